//! `GET /api/directory`: teams and people, for filters and pickers.

use crate::auth::CurrentUser;
use crate::db;
use crate::error::Result;
use crate::ApiContext;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use kappa_domain::api::Directory;
use kappa_domain::Capability;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/directory", get(directory))
}

async fn directory(user: CurrentUser, State(ctx): State<ApiContext>) -> Result<Json<Directory>> {
    user.require(Capability::ListPeople)?;
    let directory = ctx
        .db
        .read(|conn| {
            Ok(Directory {
                teams: db::teams(conn)?,
                users: db::all_users(conn)?,
            })
        })
        .await?;
    Ok(Json(directory))
}
