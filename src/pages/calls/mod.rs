//! The call library: every call, filtered and sorted by what is in the URL, so that a filtered
//! view can be bookmarked, shared and reloaded.

pub mod detail;
mod filters;
mod table;

use crate::components::shell::typing_in_a_field;
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::i18n::*;
use crate::session::use_session;
use filters::{CallFilters, InvalidParams};
use kappa_domain::api::Directory;
use kappa_domain::CallQuery;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use table::{CallTable, Pager};

crate::pages::lazy::split_page!(work => CallsPage);

#[component]
pub fn CallsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let search = crate::pages::query_of("/calls");
    let parsed = Memo::new(move |_| CallQuery::from_query_string(&search.get()));
    let query = Memo::new(move |_| parsed.get().0);
    let invalid = Memo::new(move |_| parsed.get().1);
    let navigate = use_navigate();
    let set_query = Callback::new(move |q: CallQuery| {
        let qs = q.to_query_string();
        let url = if qs.is_empty() {
            "/calls".to_string()
        } else {
            format!("/calls?{qs}")
        };
        navigate(
            &url,
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    });

    let people = LocalResource::new(move || async move { session.api().directory().await });
    let directory = Signal::derive(move || {
        people.get().and_then(Result::ok).unwrap_or(Directory {
            teams: vec![],
            users: vec![],
        })
    });
    let calls = LocalResource::new(move || {
        let q = query.get();
        async move { session.api().calls(&q).await }
    });

    let page_count = RwSignal::new(1);
    Effect::new(move || {
        if let Some(Ok(page)) = calls.get() {
            page_count.set(page.page_count());
        }
    });
    let keys = window_event_listener(ev::keydown, move |ev| {
        if typing_in_a_field(&ev) || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let q = query.get_untracked();
        match ev.key().as_str() {
            "/" => {
                ev.prevent_default();
                if let Some(el) = document().get_element_by_id("filter-from") {
                    use wasm_bindgen::JsCast;
                    let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            }
            "[" if q.page > 1 => set_query.run(CallQuery {
                page: q.page - 1,
                ..q
            }),
            "]" if q.page < page_count.get_untracked() => set_query.run(CallQuery {
                page: q.page + 1,
                ..q
            }),
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, calls.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, calls.subtitle).to_string())/>
        <InvalidParams errors=invalid/>
        <CallFilters query directory set_query/>
        <section class="card" aria-labelledby="results-title">
            <h2 id="results-title" class="visually-hidden">{t!(i18n, calls.results)}</h2>
            <Transition fallback=|| view! { <TableSkeleton/> }>
                {move || Suspend::new(async move {
                    let calls = calls.await;
                    // The rows show names: drawn once, with them, rather than again when they come.
                    let _ = people.await;
                    match calls {
                        Ok(page) => view! {
                            <Pager page=page.clone() query set_query/>
                            <CallTable page directory query set_query/>
                        }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
