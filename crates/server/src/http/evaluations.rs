//! Evaluations: read one with the scorecard version it pinned, or submit a new one, scored here
//! by the same engine the browser previews with.

use crate::auth::CurrentUser;
use crate::db::{self, CALL_COLUMNS};
use crate::error::{ApiJson, ApiPath, Error, Result};
use crate::ApiContext;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use kappa_domain::evaluation::{self, Evaluation, EvaluationDetail, EvaluationSubmission, EvaluationSummary, SubmissionError};
use kappa_domain::scorecard::{Answer, Answers};
use kappa_domain::Capability;
use rusqlite::{params, Connection, OptionalExtension};

pub fn router() -> Router<ApiContext> {
    Router::new().route("/evaluations", post(submit)).route("/evaluations/{id}", get(detail))
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
            Ok(EvaluationSummary { id: r.get(0)?, scorecard_name: db::json_column(r, 1)?, version: r.get(2)?, reviewer: r.get(3)?, submitted_at: db::time_column(r, 4)?, score: r.get(5)?, passed: r.get(6)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(list)
}

fn load(conn: &Connection, id: u32) -> Result<EvaluationDetail> {
    let mut evaluation = conn
        .query_row(
            "SELECT id, call_id, scorecard_version_id, reviewer_id, agent_id, submitted_at, score, passed FROM evaluations WHERE id = ?1 AND status = 'submitted'",
            [id],
            |r| {
                Ok(Evaluation {
                    id: r.get(0)?,
                    call_id: r.get(1)?,
                    scorecard_version_id: r.get(2)?,
                    reviewer_id: r.get(3)?,
                    agent_id: r.get(4)?,
                    submitted_at: db::time_column(r, 5)?,
                    answers: Answers::new(),
                    score: r.get(6)?,
                    passed: r.get(7)?,
                })
            },
        )
        .optional()?
        .ok_or(Error::NotFound("Evaluation"))?;
    let mut stmt = conn.prepare("SELECT criterion_key, value FROM answers WHERE evaluation_id = ?1")?;
    evaluation.answers = stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, db::json_column::<Answer>(r, 1)?)))?.collect::<rusqlite::Result<_>>()?;
    let version = super::scorecards::load_version(conn, evaluation.scorecard_version_id)?;
    let call = conn.query_row(&format!("SELECT {CALL_COLUMNS} FROM calls WHERE id = ?1"), [evaluation.call_id], db::call_from_row)?;
    let name = |user: u32| conn.query_row("SELECT display_name FROM users WHERE id = ?1", [user], |r| r.get::<_, String>(0));
    let (agent, reviewer) = (name(evaluation.agent_id)?, name(evaluation.reviewer_id)?);
    Ok(EvaluationDetail { evaluation, version, call, agent, reviewer })
}

async fn detail(user: CurrentUser, State(ctx): State<ApiContext>, ApiPath(id): ApiPath<u32>) -> Result<Json<EvaluationDetail>> {
    let detail = ctx.db.call(move |conn| load(conn, id)).await?;
    if !detail.evaluation.readable_by(&user.0) {
        return Err(Error::Forbidden);
    }
    Ok(Json(detail))
}

fn refused(e: SubmissionError) -> Error {
    let (status, code) = match e {
        SubmissionError::DraftVersion => (StatusCode::CONFLICT, "draft_version"),
        SubmissionError::Incomplete(_) => (StatusCode::UNPROCESSABLE_ENTITY, "incomplete_evaluation"),
        SubmissionError::UnknownCriteria(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_criteria"),
        SubmissionError::Answer(_) => (StatusCode::UNPROCESSABLE_ENTITY, "answer_does_not_fit"),
    };
    Error::Rejected { status, code, message: e.to_string() }
}

async fn submit(user: CurrentUser, State(ctx): State<ApiContext>, ApiJson(submission): ApiJson<EvaluationSubmission>) -> Result<(StatusCode, Json<EvaluationDetail>)> {
    let reviewer = user.require(Capability::ReviewCalls)?.id;
    let detail = ctx
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let agent: u32 = tx
                .query_row("SELECT agent_id FROM calls WHERE id = ?1", [submission.call_id], |r| r.get(0))
                .optional()?
                .ok_or(Error::NotFound("Call"))?;
            let version = super::scorecards::load_version(&tx, submission.scorecard_version_id)?;
            let archived: bool = tx.query_row("SELECT archived_at IS NOT NULL FROM scorecards WHERE id = ?1", [version.scorecard_id], |r| r.get(0))?;
            if archived {
                return Err(kappa_domain::scorecard::EditConflict::Archived.into());
            }
            let explanation = evaluation::grade(&version, &submission.answers).map_err(refused)?;
            let now = db::now();
            tx.execute(
                "INSERT INTO evaluations (call_id, scorecard_version_id, reviewer_id, agent_id, status, score, passed, created_at, submitted_at)
                 VALUES (?1, ?2, ?3, ?4, 'submitted', ?5, ?6, ?7, ?7)",
                params![submission.call_id, version.id, reviewer, agent, explanation.score, explanation.passed, now],
            )?;
            let id = tx.last_insert_rowid() as u32;
            for (key, answer) in &submission.answers {
                tx.execute("INSERT INTO answers (evaluation_id, criterion_key, value) VALUES (?1, ?2, ?3)", params![id, key, db::to_json(answer)?])?;
            }
            db::audit(&tx, Some(reviewer), "evaluation_submitted", "evaluation", Some(id), &serde_json::json!({ "call": submission.call_id, "version": version.id, "score": explanation.score }))?;
            let detail = load(&tx, id)?;
            tx.commit()?;
            Ok(detail)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}
