use crate::components::state::{EmptyState, PageHeader};
use crate::i18n::*;
use leptos::prelude::*;

crate::pages::lazy::split_page!(me => ReportsPage);

#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, reports.title).to_string())/>
        <EmptyState title=Signal::derive(move || t_string!(i18n, reports.unavailable_title).to_string())
            body=Signal::derive(move || t_string!(i18n, reports.unavailable_body).to_string())/>
    }
}
