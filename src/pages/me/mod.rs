pub mod account;

use crate::components::state::{EmptyState, PageHeader};
use crate::i18n::*;
use leptos::prelude::*;

crate::pages::lazy::split_page!(feedback => FeedbackPage);

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, feedback.title).to_string())/>
        <EmptyState title=Signal::derive(move || t_string!(i18n, feedback.empty_title).to_string())
            body=Signal::derive(move || t_string!(i18n, feedback.empty_body).to_string())/>
    }
}
