//! Scorecards and their versions. A scorecard is edited as one draft; publishing freezes the
//! draft as an immutable version that evaluations pin for ever; the next save starts a new draft.

use crate::auth::CurrentUser;
use crate::db;
use crate::error::{ApiJson, ApiPath, Error, Result};
use crate::ApiContext;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use kappa_domain::scorecard::{self, Draft, DraftSave, PublishedVersion, ScorecardDefinition, ScorecardDetail, ScorecardSummary, ScorecardVersion};
use kappa_domain::{Capability, LocalizedText};
use rusqlite::{params, Connection, OptionalExtension};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/scorecards", get(list).post(create))
        .route("/scorecards/{id}", get(detail))
        .route("/scorecards/{id}/draft", put(save_draft))
        .route("/scorecards/{id}/publish", post(publish))
        .route("/scorecards/{id}/archive", post(archive))
        .route("/scorecard-versions/{id}", get(version))
}

fn valid(definition: &ScorecardDefinition) -> Result<()> {
    let problems = scorecard::validate(definition);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

fn definition_of(json: &str) -> Result<ScorecardDefinition> {
    serde_json::from_str(json).map_err(|e| Error::Internal(format!("stored scorecard definition: {e}")))
}

async fn list(user: CurrentUser, State(ctx): State<ApiContext>) -> Result<Json<Vec<ScorecardSummary>>> {
    user.require(Capability::ReviewCalls)?;
    let list = ctx
        .db
        .call(|conn| {
            let ids: Vec<u32> = conn
                .prepare("SELECT id FROM scorecards ORDER BY archived_at IS NOT NULL, id")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut count = conn.prepare(
                "SELECT COUNT(*) FROM evaluations e JOIN scorecard_versions v ON v.id = e.scorecard_version_id WHERE v.scorecard_id = ?1 AND e.status = 'submitted'",
            )?;
            ids.into_iter()
                .map(|id| {
                    let mut summary = load_detail(conn, id)?.summary();
                    summary.evaluations = count.query_row([id], |r| r.get(0))?;
                    Ok(summary)
                })
                .collect::<Result<Vec<_>>>()
        })
        .await?;
    Ok(Json(list))
}

/// Runs one change to scorecard `id` in a transaction: `change` sees the scorecard as it was
/// and returns what to record in the audit log; the answer is the scorecard as it is after.
async fn change_scorecard(
    ctx: &ApiContext,
    id: u32,
    actor: u32,
    change: impl FnOnce(&rusqlite::Transaction, ScorecardDetail) -> Result<(&'static str, serde_json::Value)> + Send + 'static,
) -> Result<ScorecardDetail> {
    ctx.db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let before = load_detail(&tx, id)?;
            let (action, detail) = change(&tx, before)?;
            db::audit(&tx, Some(actor), action, "scorecard", Some(id), &detail)?;
            let after = load_detail(&tx, id)?;
            tx.commit()?;
            Ok(after)
        })
        .await
}

fn load_detail(conn: &Connection, id: u32) -> Result<ScorecardDetail> {
    let (name, archived): (LocalizedText, bool) = conn
        .query_row("SELECT name, archived_at IS NOT NULL FROM scorecards WHERE id = ?1", [id], |r| Ok((db::json_column(r, 0)?, r.get(1)?)))
        .optional()?
        .ok_or(Error::NotFound("Scorecard"))?;
    let draft = conn
        .query_row("SELECT id, version, lock_version, definition FROM scorecard_versions WHERE scorecard_id = ?1 AND status = 'draft'", [id], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?, r.get::<_, u32>(2)?, r.get::<_, String>(3)?))
        })
        .optional()?
        .map(|(id, version, lock_version, json)| Ok::<_, Error>(Draft { id, version, lock_version, definition: definition_of(&json)? }))
        .transpose()?;
    let lock_version: u32 = conn.query_row("SELECT COALESCE(MAX(lock_version), 0) FROM scorecard_versions WHERE scorecard_id = ?1", [id], |r| r.get(0))?;
    let mut stmt = conn.prepare("SELECT id, version, published_at FROM scorecard_versions WHERE scorecard_id = ?1 AND status = 'published' ORDER BY version DESC")?;
    let versions = stmt
        .query_map([id], |r| Ok(PublishedVersion { id: r.get(0)?, version: r.get(1)?, published_at: r.get(2)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ScorecardDetail { id, name, archived, lock_version, draft, versions })
}

async fn detail(user: CurrentUser, State(ctx): State<ApiContext>, ApiPath(id): ApiPath<u32>) -> Result<Json<ScorecardDetail>> {
    user.require(Capability::ReviewCalls)?;
    Ok(Json(ctx.db.call(move |conn| load_detail(conn, id)).await?))
}

async fn create(user: CurrentUser, State(ctx): State<ApiContext>, ApiJson(definition): ApiJson<ScorecardDefinition>) -> Result<(StatusCode, Json<ScorecardDetail>)> {
    // A new scorecard is a draft like any other: it may be incomplete until it is published.
    let actor = user.require(Capability::ManageScorecards)?.id;
    let detail = ctx
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            tx.execute("INSERT INTO scorecards (name, created_by, created_at) VALUES (?1, ?2, ?3)", params![db::to_json(&definition.name)?, actor, db::now()])?;
            let id = tx.last_insert_rowid() as u32;
            let json = db::to_json(&definition)?;
            tx.execute("INSERT INTO scorecard_versions (scorecard_id, version, status, definition, lock_version) VALUES (?1, 1, 'draft', ?2, 1)", params![id, json])?;
            db::audit(&tx, Some(actor), "scorecard_created", "scorecard", Some(id), &serde_json::json!({ "name": definition.name }))?;
            let detail = load_detail(&tx, id)?;
            tx.commit()?;
            Ok(detail)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// Saves the draft, or starts one after the last publish. Invalid drafts may be saved (work in
/// progress); only publishing demands a valid scorecard.
async fn save_draft(user: CurrentUser, State(ctx): State<ApiContext>, ApiPath(id): ApiPath<u32>, ApiJson(save): ApiJson<DraftSave>) -> Result<Json<ScorecardDetail>> {
    let actor = user.require(Capability::ManageScorecards)?.id;
    let detail = change_scorecard(&ctx, id, actor, move |tx, before| {
        let next_lock = scorecard::check_save(before.archived, before.lock_version, save.lock_version)?;
        let json = db::to_json(&save.definition)?;
        match before.draft {
            Some(_) => tx.execute(
                "UPDATE scorecard_versions SET definition = ?1, lock_version = ?2 WHERE scorecard_id = ?3 AND status = 'draft'",
                params![json, next_lock, id],
            )?,
            None => {
                let version = before.versions.first().map_or(1, |v| v.version + 1);
                tx.execute(
                    "INSERT INTO scorecard_versions (scorecard_id, version, status, definition, lock_version) VALUES (?1, ?2, 'draft', ?3, ?4)",
                    params![id, version, json, next_lock],
                )?
            }
        };
        tx.execute("UPDATE scorecards SET name = ?1 WHERE id = ?2", params![db::to_json(&save.definition.name)?, id])?;
        Ok(("scorecard_draft_saved", serde_json::json!({ "lock_version": next_lock })))
    })
    .await?;
    Ok(Json(detail))
}

#[derive(serde::Deserialize)]
struct PublishRequest {
    lock_version: u32,
}

async fn publish(user: CurrentUser, State(ctx): State<ApiContext>, ApiPath(id): ApiPath<u32>, ApiJson(req): ApiJson<PublishRequest>) -> Result<Json<ScorecardDetail>> {
    let actor = user.require(Capability::ManageScorecards)?.id;
    let detail = change_scorecard(&ctx, id, actor, move |tx, before| {
        let Some(draft) = before.draft else {
            return Err(Error::Conflict { code: "nothing_to_publish", message: "There is no draft to publish: every version is already published.".into() });
        };
        // Publishing is a save too: it must start from the latest draft.
        scorecard::check_save(before.archived, before.lock_version, req.lock_version)?;
        valid(&draft.definition)?;
        tx.execute(
            "UPDATE scorecard_versions SET status = 'published', published_at = ?1 WHERE scorecard_id = ?2 AND status = 'draft'",
            params![db::now(), id],
        )?;
        Ok(("scorecard_published", serde_json::json!({ "version": draft.version })))
    })
    .await?;
    Ok(Json(detail))
}

#[derive(serde::Deserialize)]
struct ArchiveRequest {
    archived: bool,
}

async fn archive(user: CurrentUser, State(ctx): State<ApiContext>, ApiPath(id): ApiPath<u32>, ApiJson(req): ApiJson<ArchiveRequest>) -> Result<Json<ScorecardDetail>> {
    let actor = user.require(Capability::ManageScorecards)?.id;
    let detail = change_scorecard(&ctx, id, actor, move |tx, _| {
        tx.execute("UPDATE scorecards SET archived_at = ?1 WHERE id = ?2", params![req.archived.then(db::now), id])?;
        Ok((if req.archived { "scorecard_archived" } else { "scorecard_restored" }, serde_json::json!({})))
    })
    .await?;
    Ok(Json(detail))
}

/// Any version by row id, draft or published.
pub fn load_version(conn: &Connection, id: u32) -> Result<ScorecardVersion> {
    let (scorecard_id, version, status, json): (u32, u32, String, String) = conn
        .query_row("SELECT scorecard_id, version, status, definition FROM scorecard_versions WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?
        .ok_or(Error::NotFound("Scorecard version"))?;
    Ok(ScorecardVersion { id, scorecard_id, version, published: status == "published", definition: definition_of(&json)? })
}

/// Archived scorecards stay readable, so old evaluations always render.
async fn version(user: CurrentUser, State(ctx): State<ApiContext>, ApiPath(id): ApiPath<u32>) -> Result<Json<ScorecardVersion>> {
    user.require(Capability::ReviewCalls)?;
    let version = ctx.db.call(move |conn| load_version(conn, id)).await?;
    if !version.readable_by(user.0.role) {
        return Err(Error::Forbidden);
    }
    Ok(Json(version))
}
