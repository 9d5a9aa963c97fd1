//! Evaluations: read one with the scorecard version it pinned, or submit a new one, scored by
//! the same engine the browser previews with. The rules are the domain's (`workflow`).

use super::now;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{JsonBody, PathId, Result};
use crate::ApiContext;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use kappa_domain::evaluation::{EvaluationDetail, EvaluationSubmission, EvaluationSummary};
use kappa_domain::{workflow, Capability};
use rusqlite::Connection;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/evaluations", post(submit))
        .route("/evaluations/{id}", get(detail).put(super::reviews::amend))
}

/// A call's submitted evaluations, newest first, for the call page.
pub fn summaries_of_call(conn: &Connection, call_id: u32) -> Result<Vec<EvaluationSummary>> {
    let mut stmt = conn.prepare(
        // The name as the pinned version has it: a later draft may rename the scorecard.
        "SELECT e.id, json_extract(v.definition, '$.name'), v.version, u.display_name, e.submitted_at, e.score, e.passed
         FROM evaluations e JOIN scorecard_versions v ON v.id = e.scorecard_version_id
         JOIN users u ON u.id = e.reviewer_id
         WHERE e.call_id = ?1 AND e.status = 'submitted' ORDER BY e.submitted_at DESC, e.id DESC",
    )?;
    let list = stmt
        .query_map([call_id], |r| {
            Ok(EvaluationSummary {
                id: r.get(0)?,
                scorecard_name: db::json_column(r, 1)?,
                version: r.get(2)?,
                reviewer: r.get(3)?,
                submitted_at: db::time_column(r, 4)?,
                score: r.get(5)?,
                passed: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(list)
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
