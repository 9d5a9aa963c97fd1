//! Loading, empty and error states shared by every page.

use crate::api::ApiError;
use crate::components::labels;
use crate::i18n::*;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

/// The first paint, before the data source and the user are known.
#[component]
pub fn AppSkeleton() -> impl IntoView {
    view! {
        <div class="app-skeleton" aria-busy="true">
            <div class="skeleton skeleton-bar"></div>
            <div class="skeleton skeleton-block"></div>
        </div>
    }
}

/// Placeholder rows shaped like the table they stand for.
#[component]
pub fn TableSkeleton(#[prop(default = 8)] rows: usize) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-skeleton" aria-busy="true" role="status" aria-label=move || t_string!(i18n, common.loading)>
            {(0..rows).map(|_| view! { <div class="skeleton skeleton-row"></div> }).collect_view()}
        </div>
    }
}

#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    #[prop(optional, into)] subtitle: Option<Signal<String>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    Effect::new(move || document().set_title(&format!("{} · Kappa", title.get())));
    view! {
        <div class="page-header">
            <div>
                <h1>{title}</h1>
                {subtitle.map(|s| view! { <p class="page-subtitle">{s}</p> })}
            </div>
            <div class="page-actions">{children.map(|c| c())}</div>
        </div>
    }
}

/// Says what is (not) here and what to do next.
#[component]
pub fn EmptyState(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
    /// The state is the whole page (404, no access), so its title is the page's h1.
    #[prop(optional)]
    primary: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <section class="empty-state">
            <div class="empty-icon" aria-hidden="true">"○"</div>
            {if primary { view! { <h1>{title}</h1> }.into_any() } else { view! { <h2>{title}</h2> }.into_any() }}
            <p>{body}</p>
            {children.map(|c| c())}
        </section>
    }
}

#[component]
pub fn ErrorView(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    use_session().expire_if_unauthorized(&error);
    let message = labels::api_error(&error);
    // A record that is missing (or not one's own) leaves nothing to do here: offer the way back.
    let stranded = matches!(error, ApiError::NotFound | ApiError::Forbidden);
    view! {
        <div class="alert alert-error" role="alert">
            <strong>{t!(i18n, error.title)}</strong>
            " "
            <span>{message}</span>
            {stranded.then(|| view! { " " <A href="/">{t!(i18n, not_found.home)}</A> })}
        </div>
    }
}

/// A page that cannot be shown: its reason as the page title, and the way back home.
#[component]
fn Unreachable(title: fn() -> &'static str, body: fn() -> &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <EmptyState title=Signal::derive(move || title().to_string()) body=Signal::derive(move || body().to_string()) primary=true>
            <A href="/" attr:class="button">{t!(i18n, not_found.home)}</A>
        </EmptyState>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <Unreachable title=|| t_string!(use_i18n(), not_found.title) body=|| t_string!(use_i18n(), not_found.body)/> }
}

#[component]
pub fn NoAccess() -> impl IntoView {
    view! { <Unreachable title=|| t_string!(use_i18n(), no_access.title) body=|| t_string!(use_i18n(), no_access.body)/> }
}
