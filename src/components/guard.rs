use crate::components::shell::Shell;
use crate::components::state::NoAccess;
use crate::session::use_session;
use kappa_domain::Section;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Renders a page inside the shell only for a user whose role may open it. The server checks
/// again on every request; this only spares users a page of errors.
#[component]
pub fn Guarded(
    /// The section the page belongs to; its capability decides access. Pages outside every
    /// section (an evaluation, readable by its agent) are open to anyone signed in, and the
    /// server decides per record.
    #[prop(optional)]
    section: Option<Section>,
    children: ChildrenFn,
) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    move || match session.user.get() {
        None => {
            let search = location.search.get_untracked();
            let search = search.trim_start_matches('?');
            let here = if search.is_empty() {
                location.pathname.get_untracked()
            } else {
                format!("{}?{search}", location.pathname.get_untracked())
            };
            let next = js_sys::encode_uri_component(&here)
                .as_string()
                .unwrap_or_default();
            view! { <Redirect path=format!("/signin?next={next}")/> }.into_any()
        }
        Some(user) if section.is_some_and(|s| !user.role.can(s.capability())) => {
            view! { <Shell><NoAccess/></Shell> }.into_any()
        }
        Some(_) => {
            let children = children.clone();
            view! { <Shell>{children()}</Shell> }.into_any()
        }
    }
}
