//! Calibration sessions: set up, scores, reveal, consensus and each reviewer's alignment over
//! time. Every decision is the domain's (`workflow`); handlers check the role, then parse, then
//! run it in one transaction.

use super::now;
use crate::auth::CurrentUser;
use crate::error::{JsonBody, PathId, Result};
use crate::ApiContext;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use kappa_domain::calibration::{
    AlignmentPoint, CalibrationId, CalibrationScore, CalibrationSession, ConsensusRequest,
    NewSession, PreparedReport, ScoreSubmission, SessionSummary, SessionView,
};
use kappa_domain::{workflow, Capability, User};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/calibration", get(list).post(create))
        .route("/calibration/history", get(history))
        .route("/calibration/{id}", get(detail))
        .route("/calibration/{id}/scores", post(score))
        .route("/calibration/{id}/reveal", post(reveal))
        .route("/calibration/{id}/consensus", put(consensus))
}

async fn list(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
) -> Result<Json<Vec<SessionSummary>>> {
    user.require(Capability::Calibrate)?;
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::calibrations(store, &user.0, at))
            .await?,
    ))
}

async fn create(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<(StatusCode, Json<CalibrationSession>)> {
    user.require(Capability::RunCalibration)?;
    let new: NewSession = body.parse().await?;
    let at = now();
    Ok((
        StatusCode::CREATED,
        Json(
            ctx.db
                .change(move |store| workflow::create_calibration(store, &user.0, new, at))
                .await?,
        ),
    ))
}

async fn history(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
) -> Result<Json<Vec<AlignmentPoint>>> {
    user.require(Capability::Calibrate)?;
    Ok(Json(
        ctx.db
            .view(move |store| workflow::alignment_history(store, &user.0))
            .await?,
    ))
}

async fn detail(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<Json<SessionView>> {
    user.require(Capability::Calibrate)?;
    let id = path.id()?;
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::calibration(store, &user.0, id, at))
            .await?,
    ))
}

async fn score(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<(StatusCode, Json<CalibrationScore>)> {
    user.require(Capability::Calibrate)?;
    let id = path.id()?;
    let submission: ScoreSubmission = body.parse().await?;
    let at = now();
    Ok((
        StatusCode::CREATED,
        Json(
            ctx.db
                .change(move |store| {
                    workflow::submit_calibration_score(store, &user.0, id, submission, at)
                })
                .await?,
        ),
    ))
}

/// A reveal's or a consensus's report, computed from what is stored before the write that keeps
/// it: on the blocking pool, holding no connection, a few at a time. The write checks it is
/// still current (and computes it itself in the rare case it is not).
async fn prepared_report(
    ctx: &ApiContext,
    user: &User,
    id: CalibrationId,
    consensus: Option<ConsensusRequest>,
    at: chrono::NaiveDateTime,
) -> Result<PreparedReport> {
    let user = user.clone();
    let basis = ctx
        .db
        .view(move |store| {
            workflow::calibration_report_basis(store, &user, id, consensus.as_ref(), at)
        })
        .await?;
    let _permit = ctx.heavy_permit().await?;
    crate::db::blocking(move || Ok(basis.prepare())).await
}

async fn reveal(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<Json<SessionView>> {
    user.require(Capability::RunCalibration)?;
    let id = path.id()?;
    let at = now();
    let prepared = prepared_report(&ctx, &user.0, id, None, at).await?;
    Ok(Json(
        ctx.db
            .change(move |store| {
                workflow::reveal_calibration(store, &user.0, id, at, Some(prepared))
            })
            .await?,
    ))
}

async fn consensus(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<SessionView>> {
    user.require(Capability::RunCalibration)?;
    let id = path.id()?;
    let request: ConsensusRequest = body.parse().await?;
    let at = now();
    let prepared = prepared_report(&ctx, &user.0, id, Some(request.clone()), at).await?;
    Ok(Json(
        ctx.db
            .change(move |store| {
                workflow::record_consensus(store, &user.0, id, request, at, Some(prepared))
            })
            .await?,
    ))
}
