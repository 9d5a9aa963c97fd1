//! The call library: `GET /api/calls?…` (a `CallQuery`) and `GET /api/calls/{id}`.

use crate::auth::CurrentUser;
use crate::db::{self, CALL_COLUMNS};
use crate::error::{Error, PathId, Result};
use crate::ApiContext;
use axum::extract::{RawQuery, Request, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use kappa_domain::api::CallDetail;
use kappa_domain::call::Speaker;
use kappa_domain::refusal::Entity;
use kappa_domain::{
    workflow, Call, CallQuery, Capability, Page, Problem, QueryError, Refusal, SortDir, SortField,
    TranscriptLine,
};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension};
use tower::ServiceExt;
use tower_http::services::ServeFile;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/calls", get(list))
        .route("/calls/{id}", get(detail))
        .route("/calls/{id}/recording", get(recording))
}

async fn list(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<Call>>> {
    user.require(Capability::BrowseCalls)?;
    let (query, errors) = CallQuery::from_query_string(raw.as_deref().unwrap_or(""));
    if !errors.is_empty() {
        return Err(Error::InvalidQuery(errors));
    }
    Ok(Json(ctx.db.read(move |conn| search(conn, &query)).await?))
}

/// The `WHERE` clause (possibly empty) and its arguments for a query's filters: the SQL twin of
/// `CallQuery::matches`.
pub fn filter_sql(q: &CallQuery) -> Result<(String, Vec<Value>)> {
    let mut conditions: Vec<&str> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut add = |condition: &'static str, value: Value| {
        conditions.push(condition);
        args.push(value);
    };
    if let Some(d) = q.from {
        add("started_at >= ?", Value::Text(d.to_string()));
    }
    if let Some(d) = q.to {
        // `started_at` carries a time, so "up to and including `to`" is "before the next day".
        let next_day = d.succ_opt().ok_or_else(|| {
            Error::InvalidQuery(vec![QueryError::new(
                "to",
                d.to_string(),
                Problem::NotADate,
            )])
        })?;
        add("started_at < ?", Value::Text(next_day.to_string()));
    }
    if let Some(v) = q.team {
        add("team_id = ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.agent {
        add("agent_id = ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.queue {
        add("queue = ?", Value::Text(v.code().into()));
    }
    if let Some(v) = q.direction {
        add("direction = ?", Value::Text(v.code().into()));
    }
    if let Some(v) = q.disposition {
        add("disposition = ?", Value::Text(v.code().into()));
    }
    if let Some(v) = q.min_duration {
        add("duration_s >= ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.max_duration {
        add("duration_s <= ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.min_csat {
        add("csat >= ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.max_csat {
        add("csat <= ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.complaint {
        add("complaint = ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.recorded {
        conditions.push(if v {
            "recording IS NOT NULL"
        } else {
            "recording IS NULL"
        });
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    Ok((filter, args))
}

/// The SQL twin of `CallQuery::apply`; the API tests hold the two to the same answers.
pub fn search(conn: &rusqlite::Connection, q: &CallQuery) -> Result<Page<Call>> {
    let (filter, args) = filter_sql(q)?;
    let total: u32 = conn.query_row(
        &format!("SELECT COUNT(*) FROM calls {filter}"),
        params_from_iter(&args),
        |r| r.get(0),
    )?;
    let dir = match q.sort.dir {
        SortDir::Asc => "ASC",
        SortDir::Desc => "DESC",
    };
    let order = match q.sort.field {
        SortField::StartedAt => format!("started_at {dir}, id {dir}"),
        SortField::Duration => format!("duration_s {dir}, id {dir}"),
        SortField::Csat => format!("csat IS NULL, csat {dir}, id {dir}"),
    };
    let sql = format!(
        "SELECT {CALL_COLUMNS} FROM calls {filter} ORDER BY {order} LIMIT {} OFFSET {}",
        q.page_size,
        q.offset()
    );
    let mut stmt = conn.prepare(&sql)?;
    let items = stmt
        .query_map(params_from_iter(&args), db::call_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page {
        items,
        total,
        page: q.page,
        page_size: q.page_size,
    })
}

async fn detail(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<Json<CallDetail>> {
    user.require(Capability::BrowseCalls)?;
    let id = path.id()?;
    let detail = ctx
        .db
        .read(move |conn| {
            let Some(call) = conn.query_row(&format!("SELECT {CALL_COLUMNS} FROM calls WHERE id = ?1"), [id], db::call_from_row).optional()? else {
                return Err(Refusal::NotFound(Entity::Call).into());
            };
            let mut stmt = conn.prepare("SELECT speaker, start_ms, end_ms, text FROM transcript_lines WHERE call_id = ?1 ORDER BY seq")?;
            let transcript = stmt
                .query_map([id], |r| {
                    Ok(TranscriptLine {
                        speaker: db::coded(r, 0, Speaker::parse)?,
                        start_ms: r.get(1)?,
                        end_ms: r.get(2)?,
                        text: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let evaluations = super::evaluations::summaries_of_call(conn, id)?;
            Ok(CallDetail { call, transcript, evaluations })
        })
        .await?;
    Ok(Json(detail))
}

/// A recording file name as the call row holds it: one plain name inside the recordings folder.
fn plain_file_name(name: &str) -> bool {
    !name.is_empty() && name != ".." && !name.starts_with('.') && !name.contains(['/', '\\', '\0'])
}

/// The call's recording for those who may hear the call (Range requests answered with 206, so
/// the player can seek); anyone else's call answers as a missing one.
async fn recording(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    req: Request,
) -> Result<Response> {
    let id = path.id()?;
    let call = ctx
        .db
        .view(move |store| workflow::call(store, &user, id))
        .await?;
    let file = call
        .recording
        .filter(|f| plain_file_name(f))
        .ok_or(Refusal::NotFound(Entity::Recording))?;
    let on_disk = ctx.config.recordings.join(&file);
    if !on_disk.is_file() {
        tracing::warn!("call {id}: recording {} is missing", on_disk.display());
        return Err(Refusal::NotFound(Entity::Recording).into());
    }
    let res = ServeFile::new(on_disk)
        .oneshot(req)
        .await
        .map_err(|e| Error::Internal(format!("reading a recording: {e}")))?;
    Ok(res.map(axum::body::Body::new))
}
