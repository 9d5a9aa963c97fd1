//! The review queue: a reviewer's assigned calls by due date, or, for leads, any reviewer's or
//! everyone's, with progress, replacing a call that cannot be scored, and reassigning.

mod table;

use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::api::Directory;
use kappa_domain::plan::{Progress, QueueQuery, QueueShow};
use kappa_domain::Capability;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use table::{AssignmentTable, QueuePager};

crate::pages::lazy::split_page!(work => QueuePage);

#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let manages = session
        .user
        .get_untracked()
        .is_some_and(|u| u.role.can(Capability::ManageSampling));
    let search = crate::pages::query_of("/queue");
    let query = Memo::new(move |_| QueueQuery::from_query_string(&search.get()).0);
    let navigate = use_navigate();
    let set_query = Callback::new(move |q: QueueQuery| {
        let qs = q.to_query_string();
        let url = if qs.is_empty() {
            "/queue".to_string()
        } else {
            format!("/queue?{qs}")
        };
        navigate(
            &url,
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    });
    // Bumped after a replace or reassign, so the page reloads what changed.
    let changed = RwSignal::new(0u32);
    let queue = LocalResource::new(move || {
        let q = query.get();
        changed.track();
        async move { session.api().queue(&q).await }
    });
    let people = LocalResource::new(move || async move { session.api().directory().await });
    let directory = Signal::derive(move || {
        people.get().and_then(Result::ok).unwrap_or(Directory {
            teams: vec![],
            users: vec![],
        })
    });
    let plans = LocalResource::new(move || async move {
        if manages {
            session.api().plans().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let notice = RwSignal::new(None::<String>);
    let title = move || {
        if manages {
            t_string!(i18n, queue_page.title_all)
        } else {
            t_string!(i18n, queue_page.title)
        }
    };
    view! {
        <PageHeader title=Signal::derive(move || title().to_string()) subtitle=Signal::derive(move || t_string!(i18n, queue_page.subtitle).to_string())/>
        <CalibrationWaiting/>
        {move || notice.get().map(|n| view! { <div class="alert alert-ok" role="status">{n}</div> })}
        <section class="card" aria-labelledby="queue-filters-title">
            <h2 id="queue-filters-title" class="visually-hidden">{t!(i18n, queue_page.filters)}</h2>
            <div class="field-row field-row-compact">
                {manages.then(|| view! {
                    <div class="field">
                        <label for="queue-reviewer">{t!(i18n, queue_page.reviewer)}</label>
                        <select id="queue-reviewer" on:change=move |ev| set_query.run(QueueQuery { reviewer: event_target_value(&ev).parse().ok(), page: 1, ..query.get_untracked() })>
                            <option value="" selected=move || query.get().reviewer.is_none()>{t!(i18n, queue_page.all_reviewers)}</option>
                            {move || directory.get().users.into_iter().filter(|u| u.may_review()).map(|u| {
                                let id = u.id;
                                view! { <option value=id.to_string() selected=move || query.get().reviewer == Some(id)>{u.display_name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="queue-plan">{t!(i18n, queue_page.plan)}</label>
                        <select id="queue-plan" on:change=move |ev| set_query.run(QueueQuery { plan: event_target_value(&ev).parse().ok(), page: 1, ..query.get_untracked() })>
                            <option value="" selected=move || query.get().plan.is_none()>{t!(i18n, queue_page.all_plans)}</option>
                            {move || plans.get().unwrap_or_default().into_iter().map(|p| {
                                let id = p.plan.id;
                                view! { <option value=id.to_string() selected=move || query.get().plan == Some(id)>{move || p.plan.spec.name.pick(format::is_zh()).to_string()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="field">
                    <label for="queue-show">{t!(i18n, queue_page.show)}</label>
                    <select id="queue-show" on:change=move |ev| set_query.run(QueueQuery { show: QueueShow::parse(&event_target_value(&ev)).unwrap_or_default(), page: 1, ..query.get_untracked() })>
                        {QueueShow::ALL.into_iter().map(|show| view! {
                            <option value=show.code() selected=move || query.get().show == show>{move || show_label(show)}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
        </section>
        <section class="card" aria-labelledby="queue-results-title">
            <h2 id="queue-results-title" class="visually-hidden">{t!(i18n, queue_page.results)}</h2>
            <Transition fallback=|| view! { <TableSkeleton/> }>
                {move || Suspend::new(async move {
                    let queue = queue.await;
                    // The rows show names and strata: drawn once, with them.
                    let _ = people.await;
                    match queue {
                        Ok(page) => view! {
                            <ProgressSummary progress=page.progress/>
                            <QueuePager page=page.clone() query set_query/>
                            <AssignmentTable page directory query manages changed notice/>
                        }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

pub fn show_label(show: QueueShow) -> &'static str {
    let i18n = use_i18n();
    match show {
        QueueShow::Open => t_string!(i18n, queue_page.show_open),
        QueueShow::Overdue => t_string!(i18n, queue_page.show_overdue),
        QueueShow::Done => t_string!(i18n, queue_page.show_done),
        QueueShow::Replaced => t_string!(i18n, queue_page.show_replaced),
        QueueShow::All => t_string!(i18n, queue_page.show_all),
    }
}

/// Open, overdue and done counts of the queue shown (over every page).
#[component]
fn ProgressSummary(progress: Progress) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="stat-strip">
            <div class="stat"><dt>{t!(i18n, queue_page.show_open)}</dt><dd>{format::int(progress.open)}</dd></div>
            <div class="stat" class:stat-warning={progress.overdue > 0}><dt>{t!(i18n, queue_page.show_overdue)}</dt><dd>{format::int(progress.overdue)}</dd></div>
            <div class="stat"><dt>{t!(i18n, queue_page.show_done)}</dt><dd>{format::int(progress.done)}</dd></div>
            <div class="stat"><dt>{t!(i18n, queue_page.show_replaced)}</dt><dd>{format::int(progress.replaced)}</dd></div>
        </dl>
    }
}

/// Calibration sessions still waiting for the signed-in scorer's scores: the in-app notice of a
/// new session, until every call of it is scored.
#[component]
fn CalibrationWaiting() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let waiting = LocalResource::new(move || async move {
        session
            .api()
            .calibrations()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.mine_open > 0)
            .collect::<Vec<_>>()
    });
    move || {
        let list = waiting.get().unwrap_or_default();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|s| {
                    let deadline = s.deadline;
                    let title = s.title.clone();
                    let overdue = s.status == kappa_domain::calibration::SessionStatus::Overdue;
                    view! {
                        <li>
                            <leptos_router::components::A href=format!("/calibration/{}", s.id)>{move || title.pick(format::is_zh()).to_string()}</leptos_router::components::A>
                            " · "{move || t_string!(i18n, queue_page.calibration_calls, count = s.mine_open)}
                            " · "{move || t_string!(i18n, queue_page.calibration_due, date = format::datetime(deadline))}
                            {overdue.then(|| view! { " " <span class="tag tag-danger">{move || t_string!(i18n, calibration.status_overdue)}</span> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="alert alert-warning calibration-waiting" aria-labelledby="calibration-waiting-title">
                    <h2 id="calibration-waiting-title">{t!(i18n, queue_page.calibration_waiting)}</h2>
                    <ul>{items}</ul>
                </section>
            }
        })
    }
}
