use crate::components::state::{EmptyState, PageHeader};
use crate::i18n::*;
use leptos::prelude::*;

crate::pages::lazy::split_page!(insight => CoachingPage);

#[component]
pub fn CoachingPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, coaching.title).to_string())/>
        <EmptyState title=Signal::derive(move || t_string!(i18n, coaching.unavailable_title).to_string())
            body=Signal::derive(move || t_string!(i18n, coaching.unavailable_body).to_string())/>
    }
}
