//! Coaching records as lists: sessions, notes (with the moment of the call they point at) and
//! action items, for the agent (acknowledge, mark their own items done) and for the coach
//! (private notes marked, items settled).

use crate::api::ApiError;
use crate::components::labels;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::coaching::{
    Acknowledgement, ActionChange, ActionItem, ActionOwner, ActionState, Moment, NoteKind,
    NoteView, SessionLine, SessionState,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

pub fn state_label(state: SessionState) -> String {
    let i18n = use_i18n();
    match state {
        SessionState::Draft => t_string!(i18n, coaching.state_draft),
        SessionState::Scheduled => t_string!(i18n, coaching.state_scheduled),
        SessionState::Delivered => t_string!(i18n, coaching.state_delivered),
        SessionState::Acknowledged => t_string!(i18n, coaching.state_acknowledged),
        SessionState::Closed => t_string!(i18n, coaching.state_closed),
    }
    .to_string()
}

pub fn state_class(state: SessionState) -> &'static str {
    match state {
        SessionState::Draft => "tag",
        SessionState::Scheduled => "tag tag-accent",
        SessionState::Delivered => "tag tag-warning",
        SessionState::Acknowledged | SessionState::Closed => "tag tag-ok",
    }
}

pub fn kind_label(kind: NoteKind) -> String {
    let i18n = use_i18n();
    match kind {
        NoteKind::Praise => t_string!(i18n, coaching.kind_praise),
        NoteKind::Improvement => t_string!(i18n, coaching.kind_improvement),
        NoteKind::FollowUp => t_string!(i18n, coaching.kind_follow_up),
    }
    .to_string()
}

pub fn owner_label(owner: ActionOwner) -> String {
    let i18n = use_i18n();
    match owner {
        ActionOwner::Agent => t_string!(i18n, coaching.owner_agent),
        ActionOwner::Coach => t_string!(i18n, coaching.owner_coach),
    }
    .to_string()
}

/// Sessions, newest first, each opening its page.
#[component]
pub fn SessionList(sessions: Vec<SessionLine>) -> impl IntoView {
    let i18n = use_i18n();
    if sessions.is_empty() {
        return view! { <p class="muted">{t!(i18n, coaching.no_sessions)}</p> }.into_any();
    }
    let items = sessions
        .into_iter()
        .map(|s| {
            let when = s.delivered_at.or(s.scheduled_for).unwrap_or(s.created_at);
            let focus = s.focus.clone();
            view! {
                <li data-testid="session-line">
                    <A href=format!("/coaching/sessions/{}", s.id)>{move || focus.iter().map(|f| f.pick(format::is_zh()).to_string()).collect::<Vec<_>>().join(" · ")}</A>
                    " " <span class=state_class(s.state)>{move || state_label(s.state)}</span>
                    <span class="muted">" " {move || format!("{} · {}", format::datetime(when), s.coach)}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="coaching-list">{items}</ul> }.into_any()
}

/// A moment of the call, played from the note: the browser plays the recording's stretch
/// (a media fragment), so the note needs no player of its own.
#[component]
fn MomentPlayer(call: u32, recording: Option<String>, moment: Moment) -> impl IntoView {
    let session = use_session();
    let (from, to) = (moment.start_ms / 1000, moment.end_ms.div_ceil(1000));
    let src = recording.map(|file| {
        let base = match session.api().mode {
            crate::api::Mode::Server => format!("/api/calls/{call}/recording"),
            crate::api::Mode::Fixtures => format!("/audio/{file}"),
        };
        format!("{base}#t={from},{to}")
    });
    let i18n = use_i18n();
    let label = move || {
        t_string!(
            i18n,
            coaching.moment,
            from = format::duration(from),
            to = format::duration(to)
        )
        .to_string()
    };
    view! {
        <div class="moment">
            <span>{label}</span>
            {src.map(|src| view! { <audio controls preload="none" src=src aria-label=label></audio> })}
        </div>
    }
}

/// Notes, newest first. The agent acknowledges the ones they have not; the coach sees which
/// are private.
#[component]
pub fn NoteList(
    notes: Vec<NoteView>,
    agent_view: bool,
    #[prop(into)] changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    if notes.is_empty() {
        return view! { <p class="muted">{t!(i18n, coaching.no_notes)}</p> }.into_any();
    }
    let items = notes
        .into_iter()
        .map(|n| {
            let id = n.note.id;
            let titles = n.criteria_titles.clone();
            let moments = n.note.moments.clone();
            let (call, recording) = (n.call_id, n.recording.clone());
            view! {
                <li class="note" data-testid="note">
                    <div class="item-head">
                        <span class="tag">{move || kind_label(n.note.kind)}</span>
                        {n.note.private.then(|| view! { <span class="tag tag-warning" data-testid="private-note">{t!(i18n, coaching.private)}</span> })}
                        <span class="muted">{format!("{} · {}", n.author, format::datetime(n.note.created_at))}</span>
                    </div>
                    <p class="note-body">{n.note.body.clone()}</p>
                    {(!titles.is_empty()).then(|| view! { <p class="hint">{move || t_string!(i18n, coaching.about, criteria = titles.iter().map(|t| t.pick(format::is_zh()).to_string()).collect::<Vec<_>>().join(" · ")).to_string()}</p> })}
                    {n.note.evaluation_id.map(|e| view! { <p class="hint"><A href=format!("/evaluations/{e}")>{t!(i18n, coaching.open_evaluation)}</A></p> })}
                    {call.map(|call| moments.into_iter().map(|m| view! { <MomentPlayer call recording=recording.clone() moment=m/> }).collect_view())}
                    {(!n.note.private).then(|| view! { <Acknowledge key=format!("note-{id}") at=n.note.acknowledged_at comment=n.note.comment.clone() can=agent_view
                        send=move |ack: Acknowledgement| async move { session.api().acknowledge_note(id, &ack).await.map(|_| ()) }
                        changed/> })}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="coaching-list">{items}</ol> }.into_any()
}

/// When the agent acknowledged, with their comment; for the agent, the form to do it.
#[component]
pub fn Acknowledge<F, Fut>(
    /// Names the comment field, unique on the page.
    key: String,
    at: Option<chrono::NaiveDateTime>,
    comment: String,
    can: bool,
    send: F,
    #[prop(into)] changed: Callback<()>,
) -> impl IntoView
where
    F: Fn(Acknowledgement) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), ApiError>> + 'static,
{
    let i18n = use_i18n();
    if let Some(at) = at {
        return view! {
            <p class="hint">
                {move || t_string!(i18n, coaching.acknowledged_at, at = format::datetime(at)).to_string()}
                {(!comment.is_empty()).then(|| view! { " · “" {comment.clone()} "”" })}
            </p>
        }
        .into_any();
    }
    if !can {
        return view! { <p class="hint">{t!(i18n, coaching.not_acknowledged)}</p> }.into_any();
    }
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let field = format!("ack-{key}");
    view! {
        <form class="inline-form" on:submit=move |ev| {
            ev.prevent_default();
            busy.set(true);
            let ack = Acknowledgement { comment: text.get_untracked() };
            spawn_local(async move {
                match send(ack).await {
                    Ok(()) => changed.run(()),
                    Err(e) => { error.try_set(Some(e)); }
                }
                busy.try_set(false);
            });
        }>
            <label for=field.clone() class="visually-hidden">{t!(i18n, coaching.comment)}</label>
            <input id=field type="text" maxlength="500" placeholder=move || t_string!(i18n, coaching.comment_placeholder)
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
            <button type="submit" class="button button-primary button-small" disabled=move || busy.get() data-testid="acknowledge">{t!(i18n, coaching.acknowledge)}</button>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{labels::api_error(&e)}</p> })}
        </form>
    }
    .into_any()
}

/// Action items: open ones by due day, then the rest. The agent marks their own done; the
/// coach marks any done or drops it with a reason.
#[component]
pub fn ActionList(
    actions: Vec<ActionItem>,
    today: chrono::NaiveDate,
    coach_view: bool,
    #[prop(into)] changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    if actions.is_empty() {
        return view! { <p class="muted">{t!(i18n, coaching.no_actions)}</p> }.into_any();
    }
    let items = actions
        .into_iter()
        .map(|a| {
            let overdue = a.overdue(today);
            let may = a.state == ActionState::Open && (coach_view || a.owner == ActionOwner::Agent);
            view! {
                <li class="action-item" class:row-overdue=overdue data-testid="action-item">
                    <span class:done=a.state != ActionState::Open>{a.text.clone()}</span>
                    <span class="muted">" " {move || t_string!(i18n, coaching.owned_due, owner = owner_label(a.owner), due = format::date(a.due)).to_string()}</span>
                    {overdue.then(|| view! { " " <span class="tag tag-danger">{t!(i18n, coaching.overdue)}</span> })}
                    {(a.state == ActionState::Done).then(|| view! { " " <span class="tag tag-ok">{t!(i18n, coaching.done)}</span> })}
                    {(a.state == ActionState::Dropped).then(|| view! { " " <span class="tag">{t!(i18n, coaching.dropped)}</span> <span class="muted">" " {a.reason.clone()}</span> })}
                    {may.then(|| view! { <Settle id=a.id coach_view changed/> })}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="coaching-list">{items}</ul> }.into_any()
}

#[component]
fn Settle(id: u32, coach_view: bool, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let send = move |state: ActionState| {
        let change = ActionChange {
            state,
            reason: reason.get_untracked(),
        };
        spawn_local(async move {
            match session.api().settle_action(id, &change).await {
                Ok(_) => changed.run(()),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let field = format!("drop-{id}");
    view! {
        <span class="row-actions">
            <button type="button" class="button button-small" on:click=move |_| send(ActionState::Done) data-testid="mark-done">{t!(i18n, coaching.mark_done)}</button>
            {coach_view.then(|| view! {
                <label for=field.clone() class="visually-hidden">{t!(i18n, coaching.drop_reason)}</label>
                <input id=field.clone() type="text" maxlength="500" placeholder=move || t_string!(i18n, coaching.drop_reason)
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                <button type="button" class="button button-small" on:click=move |_| send(ActionState::Dropped)>{t!(i18n, coaching.drop)}</button>
            })}
            {move || error.get().map(|e| view! { <span class="field-error" role="alert">{labels::api_error(&e)}</span> })}
        </span>
    }
}

/// A key for a new record, sent with it so that sending it again (a retry, a second click)
/// finds the first instead of making a second.
pub fn new_key() -> String {
    format!(
        "{:x}-{:x}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e12) as u64
    )
}
