//! A coaching session: for the coach, its focus (with a warning where reviewers do not agree on
//! a criterion), the evaluations talked through, notes (private or shared, pointing at criteria
//! and moments of a call), agreed action items, its steps from draft to closed, and whether it
//! worked. For the agent, what was shared with them, to acknowledge.

use crate::api::ApiError;
use crate::components::coaching::{
    new_key, state_class, state_label, Acknowledge, ActionList, NoteList,
};
use crate::components::estimate::percent;
use crate::components::labels;
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::coaching::{
    Acknowledgement, ActionOwner, EffectReport, Moment, NewActionItem, NewNote, NoteKind,
    SessionMove, SessionState, SessionView,
};
use kappa_domain::progress::{Rate, Verdict};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

crate::pages::lazy::split_page!(me => CoachingSessionPage);

#[component]
pub fn CoachingSessionPage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let loaded = crate::pages::reload_by_route_id(|api, id| api.coaching_session(id), refresh);
    let changed = Callback::new(move |()| refresh.update(|n| *n += 1));
    view! {
        <Suspense fallback=|| view! { <TableSkeleton rows=8/> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(view) => view! { <SessionBody view changed/> }.into_any(),
                    Err(e) => view! {
                        <PageHeader title=Signal::derive(move || t_string!(i18n, coaching.session_title).to_string())/>
                        <ErrorView error=e/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SessionBody(view: SessionView, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_session().api();
    let s = view.session.clone();
    let (id, state, coach_view) = (s.id, s.state, view.coach_view);
    let agent = view.agent.clone();
    let subtitle = {
        let coach = view.coach.clone();
        let when = s.delivered_at.or(s.scheduled_for);
        Signal::derive(move || {
            let when = when
                .map(format::datetime)
                .unwrap_or_else(|| t_string!(i18n, coaching.not_scheduled).to_string());
            t_string!(
                i18n,
                coaching.session_subtitle,
                coach = coach.clone(),
                when = when
            )
            .to_string()
        })
    };
    let title = Signal::derive(move || {
        t_string!(i18n, coaching.session_of, agent = agent.clone()).to_string()
    });
    let focus = view
        .focus
        .iter()
        .map(|f| {
            let (title, alpha, unreliable, calibration) = (f.title.clone(), f.alpha, f.unreliable, f.calibration_id);
            view! {
                <li data-testid="focus">
                    {move || title.pick(format::is_zh()).to_string()}
                    {alpha.map(|a| view! { <span class="muted">" " {move || t_string!(i18n, coaching.alpha, alpha = format!("{a:.2}")).to_string()}</span> })}
                    {unreliable.then(|| view! {
                        <p class="alert alert-warning" role="note" data-testid="calibration-warning">
                            {t!(i18n, coaching.unreliable)} " "
                            {calibration.map(|c| view! { <A href=format!("/calibration/{c}")>{t!(i18n, coaching.open_calibration)}</A> })}
                        </p>
                    })}
                </li>
            }
        })
        .collect_view();
    let evaluations = view
        .evaluations
        .iter()
        .map(|e| {
            let (eid, name, at, score, passed) = (e.id, e.scorecard_name.clone(), e.submitted_at, e.score, e.passed);
            view! {
                <li><A href=format!("/evaluations/{eid}")>{move || format!("{} · {}", format::datetime(at), name.pick(format::is_zh()))}</A>
                    <span class="muted">" " {format!("{score:.1}")} " " {move || if passed { t_string!(i18n, score.pass) } else { t_string!(i18n, score.fail) }}</span></li>
            }
        })
        .collect_view();
    let summary = s.summary.clone();
    let agent_name = view.agent.clone();
    let held = matches!(
        state,
        SessionState::Delivered | SessionState::Acknowledged | SessionState::Closed
    );
    view! {
        <nav class="breadcrumb" aria-label=move || t_string!(i18n, coaching.breadcrumb)>
            {if coach_view {
                view! { <A href="/coaching">{t!(i18n, coaching.title)}</A> " / " <A href=format!("/coaching/agents/{}", s.agent_id)>{agent_name.clone()}</A> }.into_any()
            } else {
                view! { <A href="/me">{t!(i18n, feedback.title)}</A> }.into_any()
            }}
        </nav>
        <PageHeader title subtitle>
            <span class=state_class(state) data-testid="session-state">{move || state_label(state)}</span>
        </PageHeader>
        {coach_view.then(|| view! { <Steps view=view.clone() changed/> })}
        {(!coach_view && state == SessionState::Delivered || s.acknowledged_at.is_some()).then(|| {
            let (at, comment) = (s.acknowledged_at, s.comment.clone());
            view! {
                <section class="card action-panel" aria-labelledby="ack-title">
                    <h2 id="ack-title">{move || if coach_view { t_string!(i18n, coaching.agent_acknowledgement) } else { t_string!(i18n, coaching.acknowledgement) }}</h2>
                    <Acknowledge key=format!("session-{id}") at comment can=!coach_view
                        send=move |ack: Acknowledgement| async move { api.acknowledge_coaching_session(id, &ack).await.map(|_| ()) }
                        changed/>
                </section>
            }
        })}
        <section class="card" aria-labelledby="focus-title">
            <h2 id="focus-title">{t!(i18n, coaching.focus)}</h2>
            {if view.focus.is_empty() { view! { <p class="muted">{t!(i18n, coaching.no_focus)}</p> }.into_any() } else { view! { <ul class="coaching-list">{focus}</ul> }.into_any() }}
            {(!summary.is_empty()).then(|| view! { <h3>{t!(i18n, coaching.summary)}</h3><p class="note-body" data-testid="summary">{summary.clone()}</p> })}
        </section>
        <section class="card" aria-labelledby="linked-title">
            <h2 id="linked-title">{t!(i18n, coaching.linked)}</h2>
            {if view.evaluations.is_empty() { view! { <p class="muted">{t!(i18n, coaching.no_linked)}</p> }.into_any() } else { view! { <ul class="coaching-list">{evaluations}</ul> }.into_any() }}
        </section>
        <section class="card" aria-labelledby="notes-title">
            <h2 id="notes-title">{t!(i18n, coaching.notes)}</h2>
            {(!coach_view && !held).then(|| view! { <p class="hint">{t!(i18n, coaching.notes_after_held)}</p> })}
            <NoteList notes=view.notes.clone() agent_view=!coach_view changed/>
            {(coach_view && state.open()).then(|| view! { <NoteForm view=view.clone() changed/> })}
        </section>
        <section class="card" aria-labelledby="actions-title">
            <h2 id="actions-title">{t!(i18n, coaching.actions)}</h2>
            <ActionList actions=view.actions.clone() today=view.today coach_view changed/>
            {(coach_view && state.open()).then(|| view! { <ActionForm agent=s.agent_id session=id today=view.today changed/> })}
        </section>
        {(coach_view && held).then(|| view! { <FollowUp id plan=s.follow_up_plan changed/> <Effect id/> })}
    }
}

/// The coach's steps: schedule (with a date), hold, close, or back to draft.
#[component]
fn Steps(view: SessionView, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_session().api();
    let s = view.session;
    let (id, revision, state) = (s.id, s.revision, s.state);
    let error = RwSignal::new(None::<ApiError>);
    let date = RwSignal::new(
        s.scheduled_for
            .map(|at| kappa_domain::time::stamp(at)[..16].to_string())
            .unwrap_or_default(),
    );
    let step = move |to: SessionState| {
        spawn_local(async move {
            match api
                .move_coaching_session(id, &SessionMove { revision, to })
                .await
            {
                Ok(_) => changed.run(()),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let (focus, evaluation_ids, summary) =
        (s.focus.clone(), s.evaluation_ids.clone(), s.summary.clone());
    let schedule = move |_| {
        let Some(at) = kappa_domain::time::parse_stamp(&format!("{}:00", date.get_untracked()))
        else {
            return;
        };
        let edit = kappa_domain::coaching::SessionEdit {
            revision,
            focus: focus.clone(),
            evaluation_ids: evaluation_ids.clone(),
            scheduled_for: Some(at),
            summary: summary.clone(),
        };
        spawn_local(async move {
            let moved = match api.edit_coaching_session(id, &edit).await {
                Ok(view) if view.session.state == SessionState::Draft => {
                    api.move_coaching_session(
                        id,
                        &SessionMove {
                            revision: view.session.revision,
                            to: SessionState::Scheduled,
                        },
                    )
                    .await
                }
                other => other,
            };
            match moved {
                Ok(_) => changed.run(()),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <section class="card action-panel" aria-labelledby="steps-title">
            <h2 id="steps-title">{t!(i18n, coaching.steps)}</h2>
            <div class="field-row field-row-compact">
                {state.editable().then(|| view! {
                    <div class="field">
                        <label for="scheduled-for">{t!(i18n, coaching.scheduled_for)}</label>
                        <input id="scheduled-for" type="datetime-local" prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev))/>
                    </div>
                    <button type="button" class="button" on:click=schedule.clone() data-testid="schedule">{t!(i18n, coaching.schedule)}</button>
                    <button type="button" class="button button-primary" on:click=move |_| step(SessionState::Delivered) data-testid="deliver">{t!(i18n, coaching.deliver)}</button>
                })}
                {(state == SessionState::Scheduled).then(|| view! { <button type="button" class="button button-quiet" on:click=move |_| step(SessionState::Draft)>{t!(i18n, coaching.unschedule)}</button> })}
                {matches!(state, SessionState::Delivered | SessionState::Acknowledged).then(|| view! {
                    <button type="button" class="button" on:click=move |_| step(SessionState::Closed) data-testid="close-session">{t!(i18n, coaching.close)}</button>
                })}
            </div>
            <p class="hint">{move || match state {
                SessionState::Draft => t_string!(i18n, coaching.hint_draft),
                SessionState::Scheduled => t_string!(i18n, coaching.hint_scheduled),
                SessionState::Delivered => t_string!(i18n, coaching.hint_delivered),
                SessionState::Acknowledged => t_string!(i18n, coaching.hint_acknowledged),
                SessionState::Closed => t_string!(i18n, coaching.hint_closed),
            }}</p>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{labels::api_error(&e)}</p> })}
        </section>
    }
}

/// A note in the session: its kind, words, whether it stays with coaches, and what it points
/// at (an evaluation talked through, criteria of its card, a stretch of its call).
#[component]
fn NoteForm(view: SessionView, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_session().api();
    let s = view.session;
    let (agent, session) = (s.agent_id, s.id);
    let kind = RwSignal::new(NoteKind::Improvement);
    let body = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let evaluation = RwSignal::new(None::<u32>);
    let criteria = RwSignal::new(Vec::<String>::new());
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    let key = RwSignal::new(new_key());
    let linked = StoredValue::new(view.evaluations.clone());
    let focus = StoredValue::new(view.focus.clone());
    // Criteria offered: the session's focus on the chosen evaluation's card.
    let offered = move || {
        let card = evaluation.get().and_then(|id| {
            linked.with_value(|l| l.iter().find(|e| e.id == id).map(|e| e.scorecard_id))
        });
        focus.with_value(|f| {
            f.iter()
                .filter(|x| Some(x.criterion.scorecard_id) == card)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let kinds = NoteKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.code() selected=move || kind.get() == k>{move || crate::components::coaching::kind_label(k)}</option> })
        .collect_view();
    let evaluation_options = view
        .evaluations
        .iter()
        .map(|e| {
            let (id, at, name) = (e.id, e.submitted_at, e.scorecard_name.clone());
            view! { <option value=id.to_string()>{move || format!("{} · {}", format::datetime(at), name.pick(format::is_zh()))}</option> }
        })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let seconds = |s: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .map(|v| (v * 1000.0).round() as u32)
        };
        let moments = match (seconds(&from.get_untracked()), seconds(&to.get_untracked())) {
            (Some(start_ms), Some(end_ms)) => vec![Moment { start_ms, end_ms }],
            _ => Vec::new(),
        };
        let new = NewNote {
            agent_id: agent,
            session_id: Some(session),
            evaluation_id: evaluation.get_untracked(),
            criteria: criteria.get_untracked(),
            moments,
            kind: kind.get_untracked(),
            body: body.get_untracked(),
            private: private.get_untracked(),
            client_key: key.get_untracked(),
        };
        spawn_local(async move {
            match api.write_note(&new).await {
                Ok(_) => {
                    key.try_set(new_key());
                    changed.run(());
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="form note-form" on:submit=submit data-testid="note-form">
            <h3>{t!(i18n, coaching.add_note)}</h3>
            <div class="field-row field-row-compact">
                <div class="field">
                    <label for="note-kind">{t!(i18n, coaching.kind)}</label>
                    <select id="note-kind" on:change=move |ev| kind.set(NoteKind::parse(&event_target_value(&ev)).unwrap_or(NoteKind::Improvement))>{kinds}</select>
                </div>
                <div class="field">
                    <label for="note-evaluation">{t!(i18n, coaching.note_evaluation)}</label>
                    <select id="note-evaluation" data-testid="note-evaluation" on:change=move |ev| { evaluation.set(event_target_value(&ev).parse().ok()); criteria.set(Vec::new()); }>
                        <option value="">{t!(i18n, coaching.no_evaluation)}</option>
                        {evaluation_options}
                    </select>
                </div>
                <label class="field-check">
                    <input type="checkbox" data-testid="note-private" prop:checked=move || private.get() on:change=move |ev| private.set(event_target_checked(&ev))/>
                    {t!(i18n, coaching.private_for_coaches)}
                </label>
            </div>
            <div class="field">
                <label for="note-body">{t!(i18n, coaching.note_body)}</label>
                <textarea id="note-body" rows="3" maxlength="4000" data-testid="note-body" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            </div>
            {move || evaluation.get().is_some().then(|| {
                let boxes = offered()
                    .into_iter()
                    .map(|f| {
                        let key = f.criterion.key.clone();
                        let k2 = key.clone();
                        view! {
                            <label class="field-check">
                                <input type="checkbox" prop:checked=move || criteria.get().contains(&k2)
                                    on:change=move |ev| { let on = event_target_checked(&ev); let key = key.clone(); criteria.update(|c| { c.retain(|x| *x != key); if on { c.push(key); } }) }/>
                                {move || f.title.pick(format::is_zh()).to_string()}
                            </label>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset>
                        <legend>{t!(i18n, coaching.note_criteria)}</legend>
                        <div class="check-grid">{boxes}</div>
                    </fieldset>
                    <div class="field-row field-row-compact">
                        <div class="field">
                            <label for="moment-from">{t!(i18n, coaching.moment_from)}</label>
                            <input id="moment-from" type="number" min="0" step="1" inputmode="numeric" data-testid="moment-from" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                        </div>
                        <div class="field">
                            <label for="moment-to">{t!(i18n, coaching.moment_to)}</label>
                            <input id="moment-to" type="number" min="0" step="1" inputmode="numeric" data-testid="moment-to" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                        </div>
                    </div>
                }
            })}
            <div class="form-actions"><button type="submit" class="button button-primary" data-testid="add-note">{t!(i18n, coaching.add_note)}</button></div>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{labels::api_error(&e)}</p> })}
        </form>
    }
}

#[component]
fn ActionForm(
    agent: u32,
    session: u32,
    today: chrono::NaiveDate,
    changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_session().api();
    let owner = RwSignal::new(ActionOwner::Agent);
    let text = RwSignal::new(String::new());
    let due = RwSignal::new(kappa_domain::time::date_stamp(
        today + chrono::Duration::days(7),
    ));
    let error = RwSignal::new(None::<ApiError>);
    let key = RwSignal::new(new_key());
    let owners = ActionOwner::ALL
        .into_iter()
        .map(|o| view! { <option value=o.code() selected=move || owner.get() == o>{move || crate::components::coaching::owner_label(o)}</option> })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(day) = kappa_domain::time::parse_date(&due.get_untracked()) else {
            return;
        };
        let new = NewActionItem {
            agent_id: agent,
            session_id: Some(session),
            owner: owner.get_untracked(),
            text: text.get_untracked(),
            due: day,
            client_key: key.get_untracked(),
        };
        spawn_local(async move {
            match api.create_action(&new).await {
                Ok(_) => {
                    key.try_set(new_key());
                    changed.run(());
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="form" on:submit=submit data-testid="action-form">
            <h3>{t!(i18n, coaching.add_action)}</h3>
            <div class="field-row field-row-compact">
                <div class="field">
                    <label for="action-text">{t!(i18n, coaching.action_text)}</label>
                    <input id="action-text" type="text" maxlength="500" data-testid="action-text" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="action-owner">{t!(i18n, coaching.owner)}</label>
                    <select id="action-owner" on:change=move |ev| owner.set(ActionOwner::parse(&event_target_value(&ev)).unwrap_or(ActionOwner::Agent))>{owners}</select>
                </div>
                <div class="field">
                    <label for="action-due">{t!(i18n, coaching.due)}</label>
                    <input id="action-due" type="date" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))/>
                </div>
            </div>
            <div class="form-actions"><button type="submit" class="button" data-testid="add-action">{t!(i18n, coaching.add_action)}</button></div>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{labels::api_error(&e)}</p> })}
        </form>
    }
}

/// The agent's next calls into a weekly sampling plan, scored by reviewers other than the coach.
#[component]
fn FollowUp(id: u32, plan: Option<u32>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_session().api();
    let per_week = RwSignal::new("3".to_string());
    let error = RwSignal::new(None::<ApiError>);
    let sample = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = per_week.get_untracked().trim().parse().unwrap_or(0);
        spawn_local(async move {
            match api.follow_up_sample(id, n).await {
                Ok(_) => changed.run(()),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="follow-up-title" data-testid="follow-up">
            <h2 id="follow-up-title">{t!(i18n, coaching.follow_up_title)}</h2>
            {match plan {
                Some(plan) => view! {
                    <p>{t!(i18n, coaching.follow_up_made)} " " <A href=format!("/sampling/{plan}")>{t!(i18n, coaching.follow_up_open)}</A></p>
                }.into_any(),
                None => view! {
                    <p class="hint">{t!(i18n, coaching.follow_up_hint)}</p>
                    <form class="inline-form" on:submit=sample>
                        <label for="follow-up-n">{t!(i18n, coaching.follow_up_per_week)}</label>
                        <input id="follow-up-n" type="number" min="1" max="20" inputmode="numeric" prop:value=move || per_week.get() on:input=move |ev| per_week.set(event_target_value(&ev))/>
                        <button type="submit" class="button" data-testid="follow-up-sample">{t!(i18n, coaching.follow_up_button)}</button>
                    </form>
                    {move || error.get().map(|e| view! { <p class="field-error" role="alert">{labels::api_error(&e)}</p> })}
                }.into_any(),
            }}
        </section>
    }
}

fn rate_text(rate: &Rate) -> String {
    let i18n = use_i18n();
    match rate.rate {
        Some(e) => format!("{} · n = {}", percent(e.value), e.n),
        None => t_string!(i18n, coaching.not_enough_calls, n = rate.n).to_string(),
    }
}

/// A rate's interval, on a line of its own under it.
fn interval_text(rate: &Rate) -> String {
    rate.rate
        .map(|e| format!("{}–{}", percent(e.low), percent(e.high)))
        .unwrap_or_default()
}

fn verdict_text(verdict: Verdict) -> String {
    let i18n = use_i18n();
    match verdict {
        Verdict::NotEnough => t_string!(i18n, coaching.verdict_not_enough),
        Verdict::NoPeers => t_string!(i18n, coaching.verdict_no_peers),
        Verdict::Improved => t_string!(i18n, coaching.verdict_improved),
        Verdict::NoClearChange => t_string!(i18n, coaching.verdict_no_clear_change),
        Verdict::Worse => t_string!(i18n, coaching.verdict_worse),
    }
    .to_string()
}

/// Did coaching work: each focus criterion before and since, beside similar uncoached agents.
#[component]
fn Effect(id: u32) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let weeks = RwSignal::new(4u32);
    let report = LocalResource::new(move || {
        let w = weeks.get();
        async move { session.api().coaching_effect(id, w).await }
    });
    view! {
        <section class="card" aria-labelledby="effect-title" data-testid="effect">
            <h2 id="effect-title">{t!(i18n, coaching.effect_title)}</h2>
            <p class="hint">{t!(i18n, coaching.effect_hint)}</p>
            <div class="field field-narrow">
                <label for="effect-weeks">{t!(i18n, coaching.effect_weeks)}</label>
                <select id="effect-weeks" on:change=move |ev| weeks.set(event_target_value(&ev).parse().unwrap_or(4))>
                    {[2u32, 4, 8, 12].into_iter().map(|w| view! { <option value=w.to_string() selected=move || weeks.get() == w>{w}</option> }).collect_view()}
                </select>
            </div>
            <Suspense fallback=|| view! { <TableSkeleton rows=2/> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(report) => view! { <EffectTable report/> }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn EffectTable(report: EffectReport) -> impl IntoView {
    let i18n = use_i18n();
    let rows = report
        .criteria
        .into_iter()
        .map(|c| {
            let difference = c.difference.map(|d| (format!("{:+.1}", d.value * 100.0), format!("{:+.1} – {:+.1}", d.low * 100.0, d.high * 100.0)));
            let (before, after, pb, pa) = (c.before.clone(), c.after.clone(), c.peers_before.clone(), c.peers_after.clone());
            let peers = c.peers;
            view! {
                <tr data-testid="effect-row">
                    <th scope="row">{move || c.label.pick(format::is_zh()).to_string()}</th>
                    <td>{rate_text(&before)}<br/><span class="muted">{interval_text(&before)}</span></td>
                    <td>{rate_text(&after)}<br/><span class="muted">{interval_text(&after)}</span></td>
                    <td>{move || t_string!(i18n, coaching.peers_count, n = peers).to_string()}<br/><span class="muted">{format!("{} → {}", rate_text(&pb), rate_text(&pa))}</span></td>
                    <td class="nowrap">{match difference {
                        Some((value, interval)) => view! { {value}<br/><span class="muted">{interval}</span> }.into_any(),
                        None => view! { "—" }.into_any(),
                    }}</td>
                    <td data-testid="verdict">{move || verdict_text(c.verdict)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="group" aria-labelledby="effect-title">
            <table class="data-table">
                <caption class="visually-hidden">{t!(i18n, coaching.effect_title)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, coaching.col_criterion)}</th>
                    <th scope="col">{move || t_string!(i18n, coaching.col_before, weeks = report.weeks).to_string()}</th>
                    <th scope="col">{t!(i18n, coaching.col_since)}</th>
                    <th scope="col">{t!(i18n, coaching.col_peers)}</th>
                    <th scope="col">{t!(i18n, coaching.col_difference)}</th>
                    <th scope="col">{t!(i18n, coaching.col_verdict)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="hint">{t!(i18n, coaching.effect_reading)}</p>
    }
}
