//! User administration: list, open accounts, activate or deactivate, set passwords. The rules
//! are the domain's (`workflow`).

use crate::auth::CurrentUser;
use crate::error::{ApiPath, JsonBody, Result};
use crate::store::SqliteStore;
use crate::ApiContext;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch, put};
use axum::{Json, Router};
use kappa_domain::api::{NewUser, PasswordReset, UserPatch};
use kappa_domain::{workflow, Capability, User};

pub fn router() -> Router<ApiContext> {
    Router::new().route("/users", get(list).post(create)).route("/users/{id}", patch(update)).route("/users/{id}/password", put(reset_password))
}

async fn list(CurrentUser(user): CurrentUser, State(ctx): State<ApiContext>) -> Result<Json<Vec<User>>> {
    Ok(Json(ctx.db.read(move |conn| Ok(workflow::users(&SqliteStore::new(conn), &user)?)).await?))
}

async fn create(user: CurrentUser, State(ctx): State<ApiContext>, body: JsonBody) -> Result<(StatusCode, Json<User>)> {
    user.require(Capability::ManageUsers)?;
    let new: NewUser = body.parse()?;
    let created = ctx.db.write(move |tx| Ok(workflow::create_user(&mut SqliteStore::new(tx), &user.0, new)?)).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn update(user: CurrentUser, State(ctx): State<ApiContext>, ApiPath(id): ApiPath<u32>, body: JsonBody) -> Result<Json<User>> {
    user.require(Capability::ManageUsers)?;
    let patch: UserPatch = body.parse()?;
    Ok(Json(ctx.db.write(move |tx| Ok(workflow::set_user_active(&mut SqliteStore::new(tx), &user.0, id, patch)?)).await?))
}

async fn reset_password(user: CurrentUser, State(ctx): State<ApiContext>, ApiPath(id): ApiPath<u32>, body: JsonBody) -> Result<StatusCode> {
    user.require(Capability::ManageUsers)?;
    let reset: PasswordReset = body.parse()?;
    ctx.db.write(move |tx| Ok(workflow::reset_password(&mut SqliteStore::new(tx), &user.0, id, reset)?)).await?;
    Ok(StatusCode::NO_CONTENT)
}
