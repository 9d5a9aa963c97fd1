use crate::components::state::{EmptyState, PageHeader};
use crate::i18n::*;
use leptos::prelude::*;

crate::pages::lazy::split_page!(calibration => CalibrationPage);

#[component]
pub fn CalibrationPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, calibration.title).to_string())/>
        <EmptyState title=Signal::derive(move || t_string!(i18n, calibration.empty_title).to_string())
            body=Signal::derive(move || t_string!(i18n, calibration.empty_body).to_string())/>
    }
}
