//! Coaching and notices: the lead's team view, an agent's progress and coaching, sessions, notes and action
//! items, and whether coaching worked. Every decision is the domain's (`workflow`); handlers
//! check the role, then parse, then run it in one transaction.

use super::now;
use crate::auth::CurrentUser;
use crate::error::{Error, JsonBody, PathId, Result};
use crate::ApiContext;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use kappa_domain::coaching::{
    Acknowledgement, ActionChange, ActionItem, Agenda, AgentCoaching, EffectQuery, EffectReport,
    FollowUpRequest, NewActionItem, NewNote, NewSession, NoteView, PeriodQuery, SessionEdit,
    SessionMove, SessionView, TeamView,
};
use kappa_domain::notices::{Notice, NoticeSeen};
use kappa_domain::{workflow, Capability, Refusal};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/coaching/team", get(team))
        .route("/coaching/agents/{id}", get(agent))
        .route("/coaching/agents/{id}/agenda", get(agenda))
        .route("/me/coaching", get(mine))
        .route("/coaching/sessions", post(create_session))
        .route("/coaching/sessions/{id}", get(session).put(edit_session))
        .route("/coaching/sessions/{id}/state", post(move_session))
        .route(
            "/coaching/sessions/{id}/acknowledge",
            post(acknowledge_session),
        )
        .route("/coaching/sessions/{id}/effect", get(effect))
        .route("/coaching/sessions/{id}/follow-up", post(follow_up))
        .route("/coaching/notes", post(write_note))
        .route("/coaching/notes/{id}/acknowledge", post(acknowledge_note))
        .route("/coaching/actions", post(create_action))
        .route("/coaching/actions/{id}/state", post(settle_action))
        .route("/notices", get(notices))
        .route("/notices/seen", post(notice_seen))
}

/// What waits for whoever asks.
async fn notices(user: CurrentUser, State(ctx): State<ApiContext>) -> Result<Json<Vec<Notice>>> {
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::notices(store, &user.0, at))
            .await?,
    ))
}

async fn notice_seen(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<Json<Vec<Notice>>> {
    user.require(Capability::ReadOwnFeedback)?;
    let seen: NoticeSeen = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::mark_notice_seen(store, &user.0, seen, at))
            .await?,
    ))
}

type Period = std::result::Result<Query<PeriodQuery>, QueryRejection>;

async fn team(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    query: Period,
) -> Result<Json<TeamView>> {
    user.require(Capability::CoachAgents)?;
    let Query(query) = query?;
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::coaching_team(store, &user.0, query, at))
            .await?,
    ))
}

async fn agent(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    query: Period,
) -> Result<Json<AgentCoaching>> {
    user.require(Capability::CoachAgents)?;
    let (id, Query(query)) = (path.id()?, query?);
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::agent_coaching(store, &user.0, id, query, at))
            .await?,
    ))
}

async fn mine(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    query: Period,
) -> Result<Json<AgentCoaching>> {
    user.require(Capability::ReadOwnFeedback)?;
    let Query(query) = query?;
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::my_coaching(store, &user.0, query, at))
            .await?,
    ))
}

async fn agenda(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    query: Period,
) -> Result<Json<Agenda>> {
    user.require(Capability::CoachAgents)?;
    let (id, Query(query)) = (path.id()?, query?);
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::agenda(store, &user.0, id, query, at))
            .await?,
    ))
}

/// Coaches and the agent read sessions; reviewers have none.
fn reads_coaching(user: &CurrentUser) -> Result<()> {
    let role = user.0.role;
    if role.can(Capability::CoachAgents) || role.can(Capability::ReadOwnFeedback) {
        Ok(())
    } else {
        Err(Error::from(Refusal::Forbidden))
    }
}

async fn session(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<Json<SessionView>> {
    reads_coaching(&user)?;
    let id = path.id()?;
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::coaching_session(store, &user.0, id, at))
            .await?,
    ))
}

async fn create_session(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<(StatusCode, Json<SessionView>)> {
    user.require(Capability::CoachAgents)?;
    let new: NewSession = body.parse().await?;
    let at = now();
    Ok((
        StatusCode::CREATED,
        Json(
            ctx.db
                .change(move |store| workflow::create_session(store, &user.0, new, at))
                .await?,
        ),
    ))
}

async fn edit_session(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<SessionView>> {
    user.require(Capability::CoachAgents)?;
    let id = path.id()?;
    let edit: SessionEdit = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::edit_session(store, &user.0, id, edit, at))
            .await?,
    ))
}

async fn move_session(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<SessionView>> {
    user.require(Capability::CoachAgents)?;
    let id = path.id()?;
    let step: SessionMove = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::move_session(store, &user.0, id, step, at))
            .await?,
    ))
}

async fn acknowledge_session(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<SessionView>> {
    user.require(Capability::ReadOwnFeedback)?;
    let id = path.id()?;
    let ack: Acknowledgement = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::acknowledge_session(store, &user.0, id, ack, at))
            .await?,
    ))
}

/// Grades every agent's calls in the window: loaded in a read, computed after the connection
/// is back in the pool, on the blocking threads.
async fn effect(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    query: std::result::Result<Query<EffectQuery>, QueryRejection>,
) -> Result<Json<EffectReport>> {
    user.require(Capability::CoachAgents)?;
    let (id, Query(query)) = (path.id()?, query?);
    let at = now();
    let inputs = ctx
        .db
        .view(move |store| workflow::effect_inputs(store, &user.0, id, query, at))
        .await?;
    let report = tokio::task::spawn_blocking(move || inputs.report())
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Json(report))
}

/// Samples the agent's next calls into a weekly plan: a sampling action, for those who sample.
async fn follow_up(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<SessionView>> {
    user.require(Capability::ManageSampling)?;
    let id = path.id()?;
    let request: FollowUpRequest = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::follow_up_sample(store, &user.0, id, request, at))
            .await?,
    ))
}

async fn write_note(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<(StatusCode, Json<NoteView>)> {
    // Coaches, and reviewers on what they scored; never an agent.
    let role = user.0.role;
    if !(role.can(Capability::CoachAgents) || role.can(Capability::ReviewCalls)) {
        return Err(Refusal::Forbidden.into());
    }
    let new: NewNote = body.parse().await?;
    let at = now();
    Ok((
        StatusCode::CREATED,
        Json(
            ctx.db
                .change(move |store| workflow::write_note(store, &user.0, new, at))
                .await?,
        ),
    ))
}

async fn acknowledge_note(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<NoteView>> {
    user.require(Capability::ReadOwnFeedback)?;
    let id = path.id()?;
    let ack: Acknowledgement = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::acknowledge_note(store, &user.0, id, ack, at))
            .await?,
    ))
}

async fn create_action(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<(StatusCode, Json<ActionItem>)> {
    user.require(Capability::CoachAgents)?;
    let new: NewActionItem = body.parse().await?;
    let at = now();
    Ok((
        StatusCode::CREATED,
        Json(
            ctx.db
                .change(move |store| workflow::create_action(store, &user.0, new, at))
                .await?,
        ),
    ))
}

async fn settle_action(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<ActionItem>> {
    reads_coaching(&user)?;
    let id = path.id()?;
    let change: ActionChange = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::settle_action(store, &user.0, id, change, at))
            .await?,
    ))
}
