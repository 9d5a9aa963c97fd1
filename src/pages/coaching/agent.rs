//! One agent as their coach sees them: the agent's own view (progress, sessions, notes, action
//! items) plus private notes and drafts, and where a new session starts: the criteria that cost
//! the agent most points, their open items and their failed evaluations, pre-filled.

use crate::api::ApiError;
use crate::components::coaching::{new_key, ActionList, NoteList, SessionList};
use crate::components::labels;
use crate::components::progress::ProgressSummary;
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::coaching::{Agenda, AgentCoaching, NewSession};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

crate::pages::lazy::split_page!(me => AgentPage);

/// The days a new session's agenda looks back over.
const AGENDA_DAYS: u32 = 30;

#[component]
pub fn AgentPage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let loaded = crate::pages::reload_by_route_id(|api, id| api.agent_coaching(id, 90), refresh);
    view! {
        <Suspense fallback=|| view! { <TableSkeleton rows=8/> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(data) => view! { <AgentBody data changed=Callback::new(move |()| refresh.update(|n| *n += 1))/> }.into_any(),
                    Err(e) => view! {
                        <PageHeader title=Signal::derive(move || t_string!(i18n, coaching.agent_title).to_string())/>
                        <ErrorView error=e/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AgentBody(data: AgentCoaching, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let name = data.agent.clone();
    let agent = data.agent_id;
    let sessions = data.sessions.clone();
    let notes = data.notes.clone();
    let actions = data.actions.clone();
    let today = data.today;
    view! {
        <nav class="breadcrumb" aria-label=move || t_string!(i18n, coaching.breadcrumb)><A href="/coaching">{t!(i18n, coaching.title)}</A></nav>
        <PageHeader title=Signal::derive(move || name.clone()) subtitle=Signal::derive(move || t_string!(i18n, coaching.agent_subtitle).to_string())/>
        <NewSessionPanel agent/>
        <ProgressSummary data/>
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t!(i18n, coaching.sessions)}</h2>
            <SessionList sessions/>
        </section>
        <section class="card" aria-labelledby="notes-title">
            <h2 id="notes-title">{t!(i18n, coaching.notes)}</h2>
            <NoteList notes agent_view=false changed/>
        </section>
        <section class="card" aria-labelledby="actions-title">
            <h2 id="actions-title">{t!(i18n, coaching.actions)}</h2>
            <ActionList actions today coach_view=true changed/>
        </section>
    }
}

/// "Start a session": the agenda, loaded when asked for, with the costliest criteria ticked.
#[component]
fn NewSessionPanel(agent: u32) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let agenda = LocalResource::new(move || {
        let wanted = open.get();
        async move {
            if wanted {
                Some(session.api().agenda(agent, AGENDA_DAYS).await)
            } else {
                None
            }
        }
    });
    view! {
        <section class="card action-panel" aria-labelledby="new-session-title">
            <h2 id="new-session-title">{t!(i18n, coaching.new_session)}</h2>
            <p class="hint">{move || t_string!(i18n, coaching.new_session_hint, days = AGENDA_DAYS).to_string()}</p>
            <button type="button" class="button button-primary" hidden=move || open.get() on:click=move |_| open.set(true) data-testid="start-session">
                {t!(i18n, coaching.start_from_weakest)}
            </button>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match agenda.await {
                        Some(Ok(agenda)) => view! { <AgendaForm agenda/> }.into_any(),
                        Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AgendaForm(agenda: Agenda) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let navigate = leptos_router::hooks::use_navigate();
    let focus = RwSignal::new(
        agenda
            .weakest
            .iter()
            .take(3)
            .map(|w| w.criterion.clone())
            .collect::<Vec<_>>(),
    );
    let linked = RwSignal::new(
        agenda
            .evaluations
            .iter()
            .filter(|e| !e.passed)
            .take(2)
            .map(|e| e.id)
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let key = StoredValue::new(new_key());
    let agent = agenda.agent_id;
    let criteria = agenda
        .weakest
        .iter()
        .map(|w| {
            let c = w.criterion.clone();
            let checked = {
                let c = c.clone();
                move || focus.get().contains(&c)
            };
            let toggle = move |on: bool| {
                focus.update(|f| {
                    f.retain(|x| *x != c);
                    if on {
                        f.push(c.clone());
                    }
                })
            };
            let (label, lost, failed, n) = (w.label.clone(), w.points_lost, w.failed, w.n);
            view! {
                <label class="field-check" data-testid="agenda-criterion">
                    <input type="checkbox" prop:checked=checked on:change=move |ev| toggle(event_target_checked(&ev))/>
                    {move || label.pick(format::is_zh()).to_string()}
                    <span class="muted">" " {move || t_string!(i18n, coaching.points_lost, points = format!("{lost:.1}"), failed = failed, n = n).to_string()}</span>
                </label>
            }
        })
        .collect_view();
    let evaluations = agenda
        .evaluations
        .iter()
        .map(|e| {
            let id = e.id;
            let (name, at, score, passed) = (e.scorecard_name.clone(), e.submitted_at, e.score, e.passed);
            view! {
                <label class="field-check" data-testid="agenda-evaluation">
                    <input type="checkbox" prop:checked=move || linked.get().contains(&id)
                        on:change=move |ev| { let on = event_target_checked(&ev); linked.update(|l| { l.retain(|x| *x != id); if on { l.push(id); } }) }/>
                    {move || format!("{} · {} · {:.1} ", format::datetime(at), name.pick(format::is_zh()), score)}
                    <span class=if passed { "verdict verdict-pass" } else { "verdict verdict-fail" }>{move || if passed { t_string!(i18n, score.pass) } else { t_string!(i18n, score.fail) }}</span>
                </label>
            }
        })
        .collect_view();
    let open_actions = agenda.open_actions.len();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let new = NewSession {
            agent_id: agent,
            focus: focus.get_untracked(),
            evaluation_ids: linked.get_untracked(),
            scheduled_for: None,
            summary: String::new(),
            period_days: AGENDA_DAYS,
            client_key: key.get_value(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match session.api().create_coaching_session(&new).await {
                Ok(view) => navigate(
                    &format!("/coaching/sessions/{}", view.session.id),
                    Default::default(),
                ),
                Err(e) => {
                    error.try_set(Some(e));
                    busy.try_set(false);
                }
            }
        });
    };
    view! {
        <form class="form" on:submit=submit data-testid="agenda-form">
            <fieldset>
                <legend>{t!(i18n, coaching.focus_legend)}</legend>
                {if agenda.weakest.is_empty() {
                    view! { <p class="muted">{t!(i18n, coaching.no_weak_criteria)}</p> }.into_any()
                } else {
                    view! { <div class="check-grid">{criteria}</div> }.into_any()
                }}
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, coaching.evaluations_legend)}</legend>
                {if agenda.evaluations.is_empty() {
                    view! { <p class="muted">{t!(i18n, coaching.no_evaluations)}</p> }.into_any()
                } else {
                    view! { <div class="check-grid">{evaluations}</div> }.into_any()
                }}
            </fieldset>
            <p class="hint">{move || t_string!(i18n, coaching.open_actions_carried, n = open_actions).to_string()}</p>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get() data-testid="create-session">{t!(i18n, coaching.create_draft)}</button>
            </div>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{labels::api_error(&e)}</p> })}
        </form>
    }
}
