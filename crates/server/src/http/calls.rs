//! The call library: `GET /api/calls?…` (a `CallQuery`) and `GET /api/calls/{id}`.

use crate::auth::CurrentUser;
use crate::error::{Error, PathId, Result};
use crate::ApiContext;
use axum::extract::{RawQuery, Request, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use kappa_domain::api::CallDetail;
use kappa_domain::refusal::Entity;
use kappa_domain::{workflow, Call, CallQuery, Capability, Page, Refusal};
use tower::ServiceExt;
use tower_http::services::ServeFile;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/calls", get(list))
        .route("/calls/{id}", get(detail))
        .route("/calls/{id}/recording", get(recording))
}

async fn list(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<Call>>> {
    workflow::require(&user, Capability::BrowseCalls)?;
    let (query, errors) = CallQuery::from_query_string(raw.as_deref().unwrap_or(""));
    if !errors.is_empty() {
        return Err(Error::InvalidQuery(errors));
    }
    Ok(Json(
        ctx.db
            .view(move |store| workflow::calls(store, &user, &query))
            .await?,
    ))
}

async fn detail(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
) -> Result<Json<CallDetail>> {
    workflow::require(&user, Capability::BrowseCalls)?;
    let id = path.id()?;
    Ok(Json(
        ctx.db
            .view(move |store| workflow::call_detail(store, &user, id))
            .await?,
    ))
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
