use crate::components::state::{EmptyState, PageHeader};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

crate::pages::lazy::split_page!(queue => QueuePage);

/// A reviewer's assignments. Sampling plans fill it; until one has run, it points to the library.
#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, queue_page.title).to_string())/>
        <EmptyState title=Signal::derive(move || t_string!(i18n, queue_page.empty_title).to_string())
            body=Signal::derive(move || t_string!(i18n, queue_page.empty_body).to_string())>
            <A href="/calls" attr:class="button button-primary">{t!(i18n, queue_page.browse)}</A>
        </EmptyState>
    }
}
