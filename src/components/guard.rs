use crate::components::shell::Shell;
use crate::components::state::{NoAccess, NotFound};
use crate::session::use_session;
use kappa_domain::pages::page_at;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Renders a page inside the shell only for a user whose role may open it (the page table,
/// `kappa_domain::pages`, names the section whose capability opens each address). The server
/// checks again on every request; this only spares users a page of errors.
#[component]
pub fn Guarded(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    // An address missing from the page table opens for no one: a page left out of it shows as
    // missing at once instead of opening to every role.
    let page = page_at(&location.pathname.get_untracked());
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
        Some(user) => match page {
            None => view! { <Shell><NotFound/></Shell> }.into_any(),
            Some(page) if !page.opens_for(user.role) => {
                view! { <Shell><NoAccess/></Shell> }.into_any()
            }
            Some(_) => {
                let children = children.clone();
                view! { <Shell>{children()}</Shell> }.into_any()
            }
        },
    }
}
