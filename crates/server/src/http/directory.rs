//! `GET /api/directory`: teams and people, for filters and pickers.

use crate::auth::CurrentUser;
use crate::error::Result;
use crate::ApiContext;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use kappa_domain::api::Directory;
use kappa_domain::workflow;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/directory", get(directory))
}

async fn directory(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
) -> Result<Json<Directory>> {
    Ok(Json(
        ctx.db
            .view(move |store| workflow::directory(store, &user))
            .await?,
    ))
}
