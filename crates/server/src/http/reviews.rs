//! Reviewing calls and what follows: the workspace's start, drafts, changes to submitted
//! scores, the agent's feedback and disputes. Every decision is the domain's (`workflow`);
//! handlers check the role, then parse, then run it in one transaction.

use super::now;
use crate::auth::CurrentUser;
use crate::error::{JsonBody, PathId, Result};
use crate::ApiContext;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use kappa_domain::evaluation::EvaluationDetail;
use kappa_domain::review::{
    Amendment, DisputeList, DisputeQuery, DisputeRequest, DraftWrite, FeedbackItem, ReviewDraft,
    ReviewStart, RulingRequest,
};
use kappa_domain::{workflow, Capability};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/calls/{id}/review", get(start))
        .route("/drafts/{id}", get(draft).put(save_draft))
        .route("/evaluations/{id}/seen", post(seen))
        .route("/evaluations/{id}/acknowledge", post(acknowledge))
        .route("/evaluations/{id}/disputes", post(raise))
        .route("/feedback", get(feedback))
        .route("/disputes", get(disputes))
        .route("/disputes/{id}/ruling", post(rule))
}

#[derive(serde::Deserialize)]
pub struct StartQuery {
    scorecard: Option<u32>,
    /// Scoring the call for this calibration session.
    calibration: Option<u32>,
}

#[derive(serde::Deserialize)]
pub struct DraftQuery {
    calibration: Option<u32>,
}

async fn start(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    query: std::result::Result<Query<StartQuery>, QueryRejection>,
) -> Result<Json<ReviewStart>> {
    user.require(Capability::ReviewCalls)?;
    let (call, Query(query)) = (path.id()?, query?);
    Ok(Json(
        ctx.db
            .view(move |store| {
                workflow::review_start(store, &user.0, call, query.scorecard, query.calibration)
            })
            .await?,
    ))
}

async fn draft(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    query: std::result::Result<Query<DraftQuery>, QueryRejection>,
) -> Result<Json<ReviewDraft>> {
    user.require(Capability::ReviewCalls)?;
    let (call, Query(query)) = (path.id()?, query?);
    Ok(Json(
        ctx.db
            .view(move |store| workflow::review_draft(store, &user.0, call, query.calibration))
            .await?,
    ))
}

async fn save_draft(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    query: std::result::Result<Query<DraftQuery>, QueryRejection>,
    body: JsonBody,
) -> Result<Json<ReviewDraft>> {
    user.require(Capability::ReviewCalls)?;
    let (call, Query(query)) = (path.id()?, query?);
    let write: DraftWrite = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| {
                workflow::save_review_draft(store, &user.0, call, query.calibration, write, at)
            })
            .await?,
    ))
}

/// `PUT /api/evaluations/{id}`: a lead's or admin's change, with a reason.
pub async fn amend(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<EvaluationDetail>> {
    user.require(Capability::ArbitrateDisputes)?;
    let id = path.id()?;
    let amendment: Amendment = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::amend_evaluation(store, &user.0, id, amendment, at))
            .await?,
    ))
}

async fn seen(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<Json<EvaluationDetail>> {
    user.require(Capability::ReadOwnFeedback)?;
    let (id, at) = (path.id()?, now());
    Ok(Json(
        ctx.db
            .change(move |store| workflow::mark_seen(store, &user.0, id, at))
            .await?,
    ))
}

async fn acknowledge(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<Json<EvaluationDetail>> {
    user.require(Capability::ReadOwnFeedback)?;
    let (id, at) = (path.id()?, now());
    Ok(Json(
        ctx.db
            .change(move |store| workflow::acknowledge(store, &user.0, id, at))
            .await?,
    ))
}

async fn raise(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<(StatusCode, Json<EvaluationDetail>)> {
    user.require(Capability::ReadOwnFeedback)?;
    let id = path.id()?;
    let request: DisputeRequest = body.parse().await?;
    let at = now();
    Ok((
        StatusCode::CREATED,
        Json(
            ctx.db
                .change(move |store| workflow::raise_dispute(store, &user.0, id, request, at))
                .await?,
        ),
    ))
}

async fn feedback(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
) -> Result<Json<Vec<FeedbackItem>>> {
    user.require(Capability::ReadOwnFeedback)?;
    Ok(Json(
        ctx.db
            .view(move |store| workflow::feedback(store, &user.0))
            .await?,
    ))
}

async fn disputes(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    query: std::result::Result<Query<DisputeQuery>, QueryRejection>,
) -> Result<Json<DisputeList>> {
    user.require(Capability::ArbitrateDisputes)?;
    let Query(query) = query?;
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::disputes(store, &user.0, query.view, query.reviewer, at))
            .await?,
    ))
}

async fn rule(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<EvaluationDetail>> {
    user.require(Capability::ArbitrateDisputes)?;
    let id = path.id()?;
    let request: RulingRequest = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::rule_dispute(store, &user.0, id, request, at))
            .await?,
    ))
}
