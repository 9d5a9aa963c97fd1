//! What waits for me: evaluations to open, notes and held sessions to acknowledge, action items
//! falling due, rulings on my disputes, calibration sessions to score. Each opens its page;
//! opening one that nothing else clears marks it seen. The count in the top bar comes from here.

use crate::components::shell::Waiting;
use crate::components::state::{EmptyState, ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::notices::{Notice, NoticeKind, NoticeSeen};
use leptos::prelude::*;
use leptos::task::spawn_local;

crate::pages::lazy::split_page!(me => InboxPage);

fn publish(list: &[Notice]) {
    if let Some(Waiting(count)) = use_context::<Waiting>() {
        count.try_set(Some(list.len()));
    }
}

/// Counts what waits, in either mode: the personal pages call it.
pub fn count() {
    let session = use_session();
    let Some(Waiting(waiting)) = use_context::<Waiting>() else {
        return;
    };
    if session.user.get_untracked().is_none() {
        return;
    }
    spawn_local(async move {
        if let Ok(list) = session.api().notices().await {
            waiting.try_set(Some(list.len()));
        }
    });
}

/// Counts what waits when a server answers: every page calls it as it opens, but the inbox,
/// whose own list sets the count.
pub fn count_from_server() {
    let session = use_session();
    let Some(Waiting(waiting)) = use_context::<Waiting>() else {
        return;
    };
    let on_inbox = leptos_router::hooks::use_location()
        .pathname
        .get_untracked()
        == "/inbox";
    if session.user.get_untracked().is_none() || on_inbox {
        return;
    }
    spawn_local(async move {
        if let Some(Ok(list)) = session.api().server_notices().await {
            waiting.try_set(Some(list.len()));
        }
    });
}

fn kind_label(kind: NoticeKind) -> &'static str {
    let i18n = use_i18n();
    match kind {
        NoticeKind::Evaluation => t_string!(i18n, inbox.evaluation),
        NoticeKind::Note => t_string!(i18n, inbox.note),
        NoticeKind::Session => t_string!(i18n, inbox.session),
        NoticeKind::ActionDue => t_string!(i18n, inbox.action_due),
        NoticeKind::DisputeRuled => t_string!(i18n, inbox.dispute_ruled),
        NoticeKind::Calibration => t_string!(i18n, inbox.calibration),
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let list = LocalResource::new(move || async move { session.api().notices().await });
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, inbox.title).to_string()) subtitle=Signal::derive(move || t_string!(i18n, inbox.subtitle).to_string())/>
        <Suspense fallback=|| view! { <TableSkeleton rows=4/> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) => {
                        publish(&items);
                        if items.is_empty() {
                            view! {
                                <EmptyState title=Signal::derive(move || t_string!(i18n, inbox.empty_title).to_string())
                                    body=Signal::derive(move || t_string!(i18n, inbox.empty_body).to_string())/>
                            }.into_any()
                        } else {
                            view! { <NoticeList items/> }.into_any()
                        }
                    }
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NoticeList(items: Vec<Notice>) -> impl IntoView {
    let session = use_session();
    let navigate = leptos_router::hooks::use_navigate();
    let rows = items
        .into_iter()
        .map(|n| {
            let (kind, id, path) = (n.kind, n.id, n.path.clone());
            let navigate = navigate.clone();
            let open = move |ev: leptos::ev::MouseEvent| {
                if !kind.cleared_by_marker() {
                    return;
                }
                // Marked seen first, then opened: nothing else will clear it.
                ev.prevent_default();
                let (navigate, path) = (navigate.clone(), path.clone());
                spawn_local(async move {
                    if let Ok(list) = session
                        .api()
                        .mark_notice_seen(&NoticeSeen { kind, id })
                        .await
                    {
                        publish(&list);
                    }
                    navigate(&path, Default::default());
                });
            };
            view! {
                <li data-testid="notice">
                    <a href=n.path.clone() on:click=open>{move || kind_label(kind)}</a>
                    <span class="muted">" " {format::datetime(n.at)}</span>
                </li>
            }
        })
        .collect_view();
    view! { <section class="card"><ul class="coaching-list">{rows}</ul></section> }
}
