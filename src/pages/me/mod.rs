//! The agent's own page: their QA score and pass rate over time with their intervals, the
//! criteria they fail most and least, their coaching (sessions, notes, action items: to
//! acknowledge and mark done), and their evaluations, newest first: score, result, the
//! reviewer's words, what is still unread or unacknowledged, and where a dispute stands.

pub mod account;
pub mod inbox;

use crate::components::labels;
use crate::components::state::{EmptyState, ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::pages::review::evaluation::{dispute_status, status_class};
use crate::session::use_session;
use kappa_domain::display::format_percent;
use kappa_domain::review::{FeedbackFilter, FeedbackItem};
use leptos::prelude::*;
use leptos_router::components::A;

crate::pages::lazy::split_page!(me => FeedbackPage);

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let list = LocalResource::new(move || async move { session.api().feedback().await });
    let refresh = RwSignal::new(0u32);
    let coaching = LocalResource::new(move || {
        refresh.track();
        async move { session.api().my_coaching(90).await }
    });
    let changed = Callback::new(move |()| {
        refresh.update(|n| *n += 1);
        inbox::count();
    });
    // The server's count comes with every page; the static demo counts here.
    if session.api().mode == crate::api::Mode::Fixtures {
        inbox::count();
    }
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, feedback.title).to_string()) subtitle=Signal::derive(move || t_string!(i18n, feedback.subtitle).to_string())/>
        <Suspense fallback=|| view! { <TableSkeleton rows=4/> }>
            {move || Suspend::new(async move {
                match coaching.await {
                    Ok(data) => view! { <MyCoaching data changed/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <h2 class="section-heading">{t!(i18n, feedback.evaluations)}</h2>
        <Suspense fallback=|| view! { <TableSkeleton rows=6/> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! {
                        <EmptyState title=Signal::derive(move || t_string!(i18n, feedback.empty_title).to_string())
                            body=Signal::derive(move || t_string!(i18n, feedback.empty_body).to_string())/>
                    }.into_any(),
                    Ok(items) => view! { <FeedbackList items/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn filter_label(filter: FeedbackFilter) -> &'static str {
    let i18n = use_i18n();
    match filter {
        FeedbackFilter::All => t_string!(i18n, feedback.show_all),
        FeedbackFilter::Unread => t_string!(i18n, feedback.show_unread),
        FeedbackFilter::ToAcknowledge => t_string!(i18n, feedback.show_to_acknowledge),
        FeedbackFilter::Failed => t_string!(i18n, feedback.show_failed),
        FeedbackFilter::OpenToDispute => t_string!(i18n, feedback.show_open_to_dispute),
    }
}

#[component]
fn FeedbackList(items: Vec<FeedbackItem>) -> impl IntoView {
    let i18n = use_i18n();
    let unread = items.iter().filter(|i| !i.seen).count();
    let unacknowledged = items.iter().filter(|i| i.acknowledged_at.is_none()).count();
    let passed = items.iter().filter(|i| i.passed).count();
    let total = items.len();
    let now = crate::clock::now();
    let filter = RwSignal::new(FeedbackFilter::All);
    let counts: Vec<(FeedbackFilter, usize)> = FeedbackFilter::ALL
        .into_iter()
        .map(|f| (f, items.iter().filter(|i| i.shown_by(f, now)).count()))
        .collect();
    let buttons = counts
        .into_iter()
        .map(|(f, n)| {
            view! {
                <button type="button" class="button button-small" aria-pressed=move || (filter.get() == f).to_string()
                    on:click=move |_| filter.set(f) data-testid=format!("feedback-filter-{}", f.code())>
                    {move || format!("{} ({n})", filter_label(f))}
                </button>
            }
        })
        .collect_view();
    let kept = StoredValue::new(items.clone());
    let visible_none =
        move |f: FeedbackFilter| kept.with_value(|all| !all.iter().any(|i| i.shown_by(f, now)));
    let cards = items
        .into_iter()
        .map(|item| {
            let id = item.id;
            let name = item.scorecard_name.clone();
            let (verdict_class, verdict) = if item.passed { ("verdict verdict-pass", "✓") } else { ("verdict verdict-fail", "✕") };
            let can_dispute = item.may_dispute(now);
            let shown = {
                let item = item.clone();
                move || item.shown_by(filter.get(), now)
            };
            let queue = item.call_queue;
            let customer = item.customer_ref.clone();
            let call_started_at = item.call_started_at;
            view! {
                <li class="feedback-item" class:unread=!item.seen data-testid="feedback-item" hidden=move || !shown()>
                    <div class="feedback-head">
                        // The call, as the agent remembers it: when, which queue, which customer.
                        <A href=format!("/evaluations/{id}")>{move || format!("{} · {} · {}", format::datetime(call_started_at), labels::queue(&queue), customer)}</A>
                        {(!item.seen).then(|| view! { <span class="tag tag-accent">{move || t_string!(i18n, feedback.new)}</span> })}
                        {item.dispute.map(|s| view! { <span class=status_class(s)>{move || t_string!(i18n, feedback.dispute, status = dispute_status(s)).to_string()}</span> })}
                    </div>
                    <p class="feedback-score">
                        <span class="score-value-small">{format_percent(item.score / 100.0)}</span>" "
                        <span class=verdict_class><span aria-hidden="true">{verdict}" "</span>{move || if item.passed { t_string!(i18n, score.pass) } else { t_string!(i18n, score.fail) }}</span>
                    </p>
                    <p class="muted">{move || format!("{} · {} · {}", name.pick(format::is_zh()), item.reviewer, format::datetime(item.submitted_at))}</p>
                    {(!item.feedback.is_empty()).then(|| view! { <p class="feedback-text">{item.feedback.clone()}</p> })}
                    <p class="hint">
                        {move || match item.acknowledged_at {
                            Some(at) => t_string!(i18n, feedback.acknowledged_at, at = format::datetime(at)).to_string(),
                            None => t_string!(i18n, feedback.to_acknowledge).to_string(),
                        }}
                        {can_dispute.then(|| view! { " · " {move || t_string!(i18n, feedback.dispute_until, at = format::datetime(item.dispute_until)).to_string()} })}
                    </p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="feedback-summary">
            <h2 id="feedback-summary" class="visually-hidden">{t!(i18n, feedback.summary)}</h2>
            <p data-testid="feedback-summary">{move || t_string!(i18n, feedback.counts, total = total, passed = passed, unread = unread, unacknowledged = unacknowledged).to_string()}</p>
        </section>
        <div class="segmented" role="group" aria-label=move || t_string!(i18n, feedback.filters)>{buttons}</div>
        <ol class="feedback-list">{cards}</ol>
        <p class="muted" hidden=move || !(filter.get() != FeedbackFilter::All && visible_none(filter.get()))>{t!(i18n, feedback.none_in_view)}</p>
    }
}

/// The agent's progress and their coaching: what to acknowledge and what to do.
#[component]
fn MyCoaching(data: kappa_domain::coaching::AgentCoaching, changed: Callback<()>) -> impl IntoView {
    use crate::components::coaching::{ActionList, NoteList, SessionList};
    let i18n = use_i18n();
    let (sessions, notes, actions, today) = (
        data.sessions.clone(),
        data.notes.clone(),
        data.actions.clone(),
        data.today,
    );
    view! {
        <crate::components::progress::ProgressSummary data/>
        <section class="card" aria-labelledby="my-coaching-title" data-testid="my-coaching">
            <h2 id="my-coaching-title">{t!(i18n, coaching.my_coaching)}</h2>
            <h3>{t!(i18n, coaching.sessions)}</h3>
            <SessionList sessions/>
            <h3>{t!(i18n, coaching.notes)}</h3>
            <NoteList notes agent_view=true changed/>
            <h3>{t!(i18n, coaching.actions)}</h3>
            <ActionList actions today coach_view=false changed/>
        </section>
    }
}
