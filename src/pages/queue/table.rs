//! The queue's table, its pager, and the two things done to an assignment from it: replacing a
//! call that cannot be scored and (for leads) handing it to another reviewer.

use crate::api::ApiError;
use crate::components::labels;
use crate::components::state::{EmptyState, ErrorView};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::api::Directory;
use kappa_domain::plan::{AssignmentStatus, QueueItem, QueuePage, QueueQuery, QueueShow};
use kappa_domain::UserId;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

#[component]
pub fn QueuePager(
    page: QueuePage,
    query: Memo<QueueQuery>,
    set_query: Callback<QueueQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pages = page.total.div_ceil(page.page_size.max(1)).max(1);
    let (current, total) = (page.page, page.total);
    let go = move |to: u32| {
        set_query.run(QueueQuery {
            page: to,
            ..query.get_untracked()
        })
    };
    view! {
        <div class="pager">
            <strong class="result-count" role="status">{move || t_string!(i18n, queue_page.count, count = format::int(total)).to_string()}</strong>
            <div class="pager-controls">
                <button type="button" class="button" disabled={current <= 1} on:click=move |_| go(current - 1)>
                    <span aria-hidden="true">"‹ "</span>{t!(i18n, calls.prev)}
                </button>
                <span class="page-of">{move || t_string!(i18n, calls.page_of, page = format::int(current), pages = format::int(pages)).to_string()}</span>
                <button type="button" class="button" disabled={current >= pages} on:click=move |_| go(current + 1)>
                    {t!(i18n, calls.next)}<span aria-hidden="true">" ›"</span>
                </button>
            </div>
        </div>
    }
}

/// What is being done to which assignment, shown in a panel above the table.
#[derive(Clone)]
enum Action {
    Replace(QueueItem),
    Reassign(QueueItem),
}

#[component]
pub fn AssignmentTable(
    page: QueuePage,
    directory: Signal<Directory>,
    query: Memo<QueueQuery>,
    manages: bool,
    changed: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = RwSignal::new(None::<Action>);
    if page.items.is_empty() {
        let open = query.get_untracked().show == QueueShow::Open;
        let (title, body) = if open {
            (
                Signal::derive(move || t_string!(i18n, queue_page.empty_open_title).to_string()),
                Signal::derive(move || t_string!(i18n, queue_page.empty_open_body).to_string()),
            )
        } else {
            (
                Signal::derive(move || t_string!(i18n, queue_page.empty_title).to_string()),
                Signal::derive(move || t_string!(i18n, queue_page.empty_body).to_string()),
            )
        };
        return view! {
            <EmptyState title body>
                <A href="/calls" attr:class="button">{t!(i18n, queue_page.browse)}</A>
            </EmptyState>
        }
        .into_any();
    }
    let show_reviewer = manages && query.get_untracked().reviewer.is_none();
    let rows = page
        .items
        .into_iter()
        .map(|item| view! { <AssignmentRow item directory show_reviewer manages action/> })
        .collect_view();
    view! {
        {move || action.get().map(|a| match a {
            Action::Replace(item) => view! { <ReplacePanel item action changed notice/> }.into_any(),
            Action::Reassign(item) => view! { <ReassignPanel item directory action changed notice/> }.into_any(),
        })}
        <div class="table-wrap">
            <table class="data-table queue-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, queue_page.col_call)}</th>
                    <th scope="col">{t!(i18n, queue_page.col_agent)}</th>
                    <th scope="col">{t!(i18n, calls.col_queue)}</th>
                    <th scope="col" class="num">{t!(i18n, calls.col_duration)}</th>
                    <th scope="col">{t!(i18n, queue_page.col_due)}</th>
                    <th scope="col">{t!(i18n, queue_page.col_why)}</th>
                    {show_reviewer.then(|| view! { <th scope="col">{t!(i18n, queue_page.reviewer)}</th> })}
                    <th scope="col">{t!(i18n, queue_page.col_actions)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn AssignmentRow(
    item: QueueItem,
    directory: Signal<Directory>,
    show_reviewer: bool,
    manages: bool,
    action: RwSignal<Option<Action>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let a = item.assignment.clone();
    let call = item.call.clone();
    let open = a.status == AssignmentStatus::Open;
    let href = format!("/calls/{}", call.id);
    let stratum = a.stratum.clone();
    let why = move || directory.with(|d| labels::stratum_described(&stratum, d));
    let status = match (a.status, item.overdue) {
        (AssignmentStatus::Open, true) => Some(view! { <span class="tag tag-danger">{move || t_string!(i18n, queue_page.show_overdue)}</span> }.into_any()),
        (AssignmentStatus::Done, _) => Some(match a.evaluation_id {
            Some(e) => view! { <A href=format!("/evaluations/{e}") attr:class="tag tag-ok">{move || t_string!(i18n, queue_page.done_badge)}</A> }.into_any(),
            None => view! { <span class="tag tag-ok">{move || t_string!(i18n, queue_page.done_badge)}</span> }.into_any(),
        }),
        (AssignmentStatus::Replaced, _) => Some(view! { <span class="tag" title=a.reason.clone().unwrap_or_default()>{move || t_string!(i18n, queue_page.replaced_badge)}</span> }.into_any()),
        _ => None,
    };
    let label = format!("{} {}", item.agent, call.customer_ref);
    let (for_replace, for_reassign) = (item.clone(), item.clone());
    // Where the row leads: the review while it is open, the evaluation once done, else the call.
    let opens = match (a.status, a.evaluation_id) {
        (AssignmentStatus::Open, _) => format!("/review/{}", call.id),
        (AssignmentStatus::Done, Some(e)) => format!("/evaluations/{e}"),
        _ => href,
    };
    let navigate = leptos_router::hooks::use_navigate();
    let row_opens = opens.clone();
    // A click anywhere on the row opens it, as a click on its link would; the link and the
    // buttons stay the way keyboards and screen readers reach it.
    let open_row = move |ev: leptos::ev::MouseEvent| {
        let inside_control = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|el| {
                el.closest("a, button, input, select, textarea")
                    .ok()
                    .flatten()
            })
            .is_some();
        if !inside_control {
            navigate(&row_opens, Default::default());
        }
    };
    let plan = item.plan.clone();
    view! {
        <tr class:row-overdue=item.overdue class="row-link" on:click=open_row>
            <td class="nowrap"><A href=opens>{move || format::datetime(call.started_at)}</A><div class="hint">{call.customer_ref.clone()}</div></td>
            <td class="queue-person">{item.agent.clone()}</td>
            <td class="nowrap">{move || labels::queue(&call.queue)}</td>
            <td class="num">{format::duration(call.duration_s)}</td>
            <td class="nowrap">{move || format::date(a.due)}" "{status}</td>
            <td class="queue-why">{why}<div class="hint">{move || plan.pick(format::is_zh()).to_string()}</div>{a.reason.clone().map(|r| view! { <div class="hint">{r}</div> })}</td>
            {show_reviewer.then(|| view! { <td>{item.reviewer.clone()}</td> })}
            <td><div class="row-actions">
                // A done line shows what its evaluation scored, and leads to it.
                {match (a.evaluation_id, item.result) {
                    (Some(e), Some((score, passed))) => Some(view! {
                        <A href=format!("/evaluations/{e}") attr:class="queue-result" attr:data-testid="queue-result">
                            <span class="score-value-small">{kappa_domain::display::format_percent(score / 100.0)}</span>" "
                            <span class=if passed { "verdict verdict-pass" } else { "verdict verdict-fail" }>
                                <span aria-hidden="true">{if passed { "✓ " } else { "✕ " }}</span>
                                {move || if passed { t_string!(i18n, score.pass) } else { t_string!(i18n, score.fail) }}
                            </span>
                        </A>
                    }),
                    _ => None,
                }}
                {open.then(|| {
                    let label = label.clone();
                    let spoken = format!(" {label}");
                    view! {
                        <A href=format!("/review/{}", call.id) attr:class="button button-small button-primary" attr:data-testid="score-call">
                            {move || t_string!(i18n, queue_page.score)}<span class="visually-hidden">{spoken.clone()}</span>
                        </A>
                        <button type="button" class="button button-small" on:click=move |_| action.set(Some(Action::Replace(for_replace.clone())))>
                            {move || t_string!(i18n, queue_page.replace)}<span class="visually-hidden">{format!(" {label}")}</span>
                        </button>
                    }
                })}
                {(open && manages).then(|| view! {
                    <button type="button" class="button button-small" on:click=move |_| action.set(Some(Action::Reassign(for_reassign.clone())))>
                        {move || t_string!(i18n, queue_page.reassign)}<span class="visually-hidden">{format!(" {label}")}</span>
                    </button>
                })}
            </div></td>
        </tr>
    }
}

/// Reasons reviewers give most; the text can be anything.
fn presets() -> [&'static str; 4] {
    let i18n = use_i18n();
    [
        t_string!(i18n, queue_page.reason_silent),
        t_string!(i18n, queue_page.reason_language),
        t_string!(i18n, queue_page.reason_short),
        t_string!(i18n, queue_page.reason_duplicate),
    ]
}

#[component]
fn ReplacePanel(
    item: QueueItem,
    action: RwSignal<Option<Action>>,
    changed: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let id = item.assignment.id;
    let describe = format!(
        "{} · {} · {}",
        item.agent,
        format::datetime(item.call.started_at),
        item.call.customer_ref
    );
    let problem = move || {
        error.with(|e| {
            e.as_ref()
                .and_then(|e| e.fields().into_iter().find(|f| f.field == "reason"))
                .map(|f| labels::query_problem(&f.problem))
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match session
                .api()
                .replace_assignment(id, &reason.get_untracked())
                .await
            {
                Ok(new) => {
                    // No reactive owner here, so the locale comes from the captured context.
                    let when = kappa_domain::display::format_datetime(
                        new.call.started_at,
                        i18n.get_locale_untracked() == Locale::zh_CN,
                    );
                    notice.set(Some(
                        t_string!(
                            i18n,
                            queue_page.replaced_notice,
                            call = when,
                            agent = new.agent
                        )
                        .to_string(),
                    ));
                    action.set(None);
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    // The panel opens with the reason field focused, so a keyboard user is where the work is.
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move || {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    view! {
        <form class="card action-panel" on:submit=submit aria-labelledby="replace-title">
            <h3 id="replace-title">{t!(i18n, queue_page.replace_title)}</h3>
            <p class="muted">{describe}</p>
            {move || error.get().filter(|e| e.fields().is_empty()).map(|e| view! { <ErrorView error=e/> })}
            <div class="field">
                <label for="replace-reason">{t!(i18n, queue_page.reason)}</label>
                <input id="replace-reason" type="text" node_ref=input maxlength="200" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))
                    aria-invalid=move || problem().map(|_| "true") aria-describedby="replace-reason-hint"/>
                // The reasons given most, one press each: a text field, not a list that looks empty.
                <div class="reason-presets" role="group" aria-label=move || t_string!(i18n, queue_page.reason_presets)>
                    {move || presets().into_iter().map(|p| view! {
                        <button type="button" class="button button-small button-quiet" aria-pressed=move || (reason.get() == p).to_string() on:click=move |_| reason.set(p.to_string())>{p}</button>
                    }).collect_view()}
                </div>
                <span class="hint" id="replace-reason-hint">{t!(i18n, queue_page.reason_hint)}</span>
                {move || problem().map(|p| view! { <span class="field-error">{p}</span> })}
            </div>
            <div class="alert-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>{t!(i18n, queue_page.confirm_replace)}</button>
                <button type="button" class="button" on:click=move |_| action.set(None)>{t!(i18n, queue_page.cancel)}</button>
            </div>
        </form>
    }
}

#[component]
fn ReassignPanel(
    item: QueueItem,
    directory: Signal<Directory>,
    action: RwSignal<Option<Action>>,
    changed: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = item.assignment.id;
    let (current, agent) = (item.assignment.reviewer_id, item.assignment.agent_id);
    let to = RwSignal::new(None::<UserId>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let describe = format!(
        "{} · {} · {}",
        item.agent,
        format::datetime(item.call.started_at),
        item.reviewer
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(reviewer) = to.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match session.api().reassign(id, reviewer).await {
                Ok(moved) => {
                    notice.set(Some(
                        t_string!(i18n, queue_page.reassigned_notice, name = moved.reviewer)
                            .to_string(),
                    ));
                    action.set(None);
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let select = NodeRef::<leptos::html::Select>::new();
    Effect::new(move || {
        if let Some(el) = select.get() {
            let _ = el.focus();
        }
    });
    view! {
        <form class="card action-panel" on:submit=submit aria-labelledby="reassign-title">
            <h3 id="reassign-title">{t!(i18n, queue_page.reassign_title)}</h3>
            <p class="muted">{describe}</p>
            {move || error.get().map(|e| view! { <ErrorView error=e/> })}
            <div class="field">
                <label for="reassign-to">{t!(i18n, queue_page.reassign_to)}</label>
                <select id="reassign-to" node_ref=select on:change=move |ev| to.set(event_target_value(&ev).parse().ok())>
                    <option value="">{t!(i18n, queue_page.pick_reviewer)}</option>
                    {move || directory.get().users.into_iter().filter(|u| u.may_review_calls_of(agent) && u.id != current).map(|u| {
                        view! { <option value=u.id.to_string()>{u.display_name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="alert-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get() || to.get().is_none()>{t!(i18n, queue_page.reassign)}</button>
                <button type="button" class="button" on:click=move |_| action.set(None)>{t!(i18n, queue_page.cancel)}</button>
            </div>
        </form>
    }
}
