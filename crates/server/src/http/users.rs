//! User administration: list, open accounts, edit names, roles and teams, activate or
//! deactivate, set passwords. The rules
//! are the domain's (`workflow`).

use crate::auth::CurrentUser;
use crate::error::{JsonBody, PathId, Result};
use crate::password::Prepared;
use crate::ApiContext;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch, put};
use axum::{Json, Router};
use kappa_domain::api::{NewUser, PasswordReset, UserEdit, UserPatch};
use kappa_domain::{workflow, Capability, User};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{id}", patch(update).put(edit))
        .route("/users/{id}/password", put(reset_password))
}

async fn list(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
) -> Result<Json<Vec<User>>> {
    Ok(Json(
        ctx.db
            .view(move |store| workflow::users(store, &user))
            .await?,
    ))
}

async fn create(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<(StatusCode, Json<User>)> {
    user.require(Capability::ManageUsers)?;
    let new: NewUser = body.parse().await?;
    let prepared = Prepared::hash(&ctx, &new.password).await?;
    let created = ctx
        .db
        .change_with(prepared, move |store| {
            workflow::create_user(store, &user.0, new)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn update(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<User>> {
    user.require(Capability::ManageUsers)?;
    let id = path.id()?;
    let patch: UserPatch = body.parse().await?;
    Ok(Json(
        ctx.db
            .change(move |store| workflow::set_user_active(store, &user.0, id, patch))
            .await?,
    ))
}

async fn edit(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<Json<User>> {
    user.require(Capability::ManageUsers)?;
    let id = path.id()?;
    let edit: UserEdit = body.parse().await?;
    Ok(Json(
        ctx.db
            .change(move |store| workflow::edit_user(store, &user.0, id, edit))
            .await?,
    ))
}

async fn reset_password(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    path: PathId,
    body: JsonBody,
) -> Result<StatusCode> {
    user.require(Capability::ManageUsers)?;
    let id = path.id()?;
    let reset: PasswordReset = body.parse().await?;
    let prepared = Prepared::hash(&ctx, &reset.password).await?;
    ctx.db
        .change_with(prepared, move |store| {
            workflow::reset_password(store, &user.0, id, reset)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
