//! Evaluations: read one with the scorecard version it pinned, or submit a new one, scored by
//! the same engine the browser previews with. The rules are the domain's (`workflow`).

use super::now;
use crate::auth::CurrentUser;
use crate::error::{JsonBody, PathId, Result};
use crate::ApiContext;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use kappa_domain::evaluation::{EvaluationDetail, EvaluationSubmission};
use kappa_domain::{workflow, Capability};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/evaluations", post(submit))
        .route("/evaluations/{id}", get(detail).put(super::reviews::amend))
}

async fn detail(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<Json<EvaluationDetail>> {
    let id = path.id()?;
    Ok(Json(
        ctx.db
            .view(move |store| workflow::evaluation(store, &user, id))
            .await?,
    ))
}

async fn submit(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<(StatusCode, Json<EvaluationDetail>)> {
    user.require(Capability::ReviewCalls)?;
    let submission: EvaluationSubmission = body.parse().await?;
    let at = now();
    let detail = ctx
        .db
        .change(move |store| workflow::submit_evaluation(store, &user.0, submission, at))
        .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}
