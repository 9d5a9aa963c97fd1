//! Sampling plans and reviewer queues. Every decision is the domain's (`workflow`); these
//! handlers check the role, parse, run it in one transaction and answer.

use super::now;
use crate::auth::CurrentUser;
use crate::error::{Error, JsonBody, PathId, Result};
use crate::ApiContext;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use kappa_domain::plan::{
    PlanDetail, PlanEdit, PlanPreview, PlanSpec, PlanStatusChange, PlanSummary, QueueItem,
    QueuePage, QueueQuery, ReassignRequest, ReplaceRequest,
};
use kappa_domain::{workflow, Capability};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/plans", get(list).post(create))
        .route("/plans/preview", post(preview))
        .route("/plans/{id}", get(detail).put(edit))
        .route("/plans/{id}/status", post(set_status))
        .route("/plans/{id}/runs", post(run_now))
        .route("/queue", get(queue))
        .route("/assignments/{id}/replace", post(replace))
        .route("/assignments/{id}/reassign", post(reassign))
}

async fn list(user: CurrentUser, State(ctx): State<ApiContext>) -> Result<Json<Vec<PlanSummary>>> {
    user.require(Capability::ManageSampling)?;
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::plans(store, &user.0, at))
            .await?,
    ))
}

async fn preview(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<Json<PlanPreview>> {
    user.require(Capability::ManageSampling)?;
    let spec: PlanSpec = body.parse().await?;
    let at = now();
    // A preview streams the whole population: a heavy read. Only as many run at once as there
    // are cores, so the other readers stay free for everyone else's requests.
    let _permit = ctx.heavy_permit().await?;
    Ok(Json(
        ctx.db
            .view(move |store| workflow::preview_plan(store, &user.0, spec, at))
            .await?,
    ))
}

async fn create(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<(StatusCode, Json<PlanDetail>)> {
    user.require(Capability::ManageSampling)?;
    let spec: PlanSpec = body.parse().await?;
    let at = now();
    let detail = ctx
        .db
        .change(move |store| workflow::create_plan(store, &user.0, spec, at))
        .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

async fn edit(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<PlanDetail>> {
    user.require(Capability::ManageSampling)?;
    let id = path.id()?;
    let edit: PlanEdit = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::edit_plan(store, &user.0, id, edit, at))
            .await?,
    ))
}

async fn set_status(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<PlanDetail>> {
    user.require(Capability::ManageSampling)?;
    let id = path.id()?;
    let change: PlanStatusChange = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::set_plan_status(store, &user.0, id, change, at))
            .await?,
    ))
}

async fn detail(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<Json<PlanDetail>> {
    user.require(Capability::ManageSampling)?;
    let id = path.id()?;
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::plan_detail(store, &user.0, id, at))
            .await?,
    ))
}

async fn run_now(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<(StatusCode, Json<PlanDetail>)> {
    user.require(Capability::ManageSampling)?;
    let id = path.id()?;
    let at = now();
    let detail = ctx
        .db
        .change(move |store| workflow::run_plan(store, &user.0, id, at))
        .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

async fn queue(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    RawQuery(raw): RawQuery,
) -> Result<Json<QueuePage>> {
    user.require(Capability::ReviewCalls)?;
    let (query, errors) = QueueQuery::from_query_string(raw.as_deref().unwrap_or(""));
    if !errors.is_empty() {
        return Err(Error::InvalidQuery(errors));
    }
    let at = now();
    Ok(Json(
        ctx.db
            .view(move |store| workflow::queue(store, &user.0, query, at))
            .await?,
    ))
}

async fn replace(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<(StatusCode, Json<QueueItem>)> {
    user.require(Capability::ReviewCalls)?;
    let id = path.id()?;
    let request: ReplaceRequest = body.parse().await?;
    let at = now();
    let item = ctx
        .db
        .change(move |store| workflow::replace_assignment(store, &user.0, id, request, at))
        .await?;
    Ok((StatusCode::CREATED, Json(item)))
}

async fn reassign(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<QueueItem>> {
    user.require(Capability::ManageSampling)?;
    let id = path.id()?;
    let request: ReassignRequest = body.parse().await?;
    let at = now();
    Ok(Json(
        ctx.db
            .change(move |store| workflow::reassign(store, &user.0, id, request, at))
            .await?,
    ))
}

/// The scheduler: recurring plans run when they are due, checked at start and every hour.
pub async fn run_due_plans(ctx: ApiContext) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let at = now();
        match ctx
            .db
            .change(move |store| workflow::run_due_plans(store, at))
            .await
        {
            Ok(runs) => {
                tracing::info!("due plans checked: {} to run", runs.len());
                for (plan, outcome) in runs {
                    match outcome {
                        Ok(run) => tracing::info!("plan {plan}: scheduled run {run} committed"),
                        Err(refusal) => tracing::warn!(
                            "plan {plan}: its scheduled run could not be made: {refusal}"
                        ),
                    }
                }
            }
            Err(e) => tracing::error!("scheduled sampling runs failed: {e:?}"),
        }
    }
}
