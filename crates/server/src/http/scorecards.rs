//! Scorecards and their versions. Every decision is the domain's (`workflow`); these handlers
//! authorize, parse, run it in one transaction and answer.

use super::now;
use crate::auth::CurrentUser;
use crate::error::{JsonBody, PathId, Result};
use crate::ApiContext;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use kappa_domain::api::{ArchiveRequest, PublishRequest};
use kappa_domain::scorecard::{
    DraftSave, ScorecardDefinition, ScorecardDetail, ScorecardSummary, ScorecardVersion,
};
use kappa_domain::{workflow, Capability};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/scorecards", get(list).post(create))
        .route("/scorecards/{id}", get(detail))
        .route("/scorecards/{id}/draft", put(save_draft))
        .route("/scorecards/{id}/publish", post(publish))
        .route("/scorecards/{id}/archive", post(archive))
        .route("/scorecard-versions/{id}", get(version))
}

async fn list(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
) -> Result<Json<Vec<ScorecardSummary>>> {
    Ok(Json(
        ctx.db
            .view(move |store| workflow::scorecards(store, &user))
            .await?,
    ))
}

async fn detail(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<Json<ScorecardDetail>> {
    user.require(Capability::ReviewCalls)?;
    let id = path.id()?;
    Ok(Json(
        ctx.db
            .view(move |store| workflow::scorecard(store, &user.0, id))
            .await?,
    ))
}

/// Archived scorecards stay readable, so old evaluations always render.
async fn version(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<Json<ScorecardVersion>> {
    user.require(Capability::ReviewCalls)?;
    let id = path.id()?;
    Ok(Json(
        ctx.db
            .view(move |store| workflow::scorecard_version(store, &user.0, id))
            .await?,
    ))
}

async fn create(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<(StatusCode, Json<ScorecardDetail>)> {
    user.require(Capability::ManageScorecards)?;
    let definition: ScorecardDefinition = body.parse().await?;
    let at = now();
    let detail = ctx
        .db
        .change(move |store| workflow::create_scorecard(store, &user.0, definition, at))
        .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

async fn save_draft(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<ScorecardDetail>> {
    user.require(Capability::ManageScorecards)?;
    let id = path.id()?;
    let save: DraftSave = body.parse().await?;
    Ok(Json(
        ctx.db
            .change(move |store| workflow::save_draft(store, &user.0, id, save))
            .await?,
    ))
}

async fn publish(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<ScorecardDetail>> {
    user.require(Capability::ManageScorecards)?;
    let id = path.id()?;
    let request: PublishRequest = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::publish(store, &user.0, id, request, at))
            .await?,
    ))
}

async fn archive(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<ScorecardDetail>> {
    user.require(Capability::ManageScorecards)?;
    let id = path.id()?;
    let request: ArchiveRequest = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::set_archived(store, &user.0, id, request, at))
            .await?,
    ))
}
