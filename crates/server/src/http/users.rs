//! User administration: `GET /api/users`, `PATCH /api/users/{id}` (activate / deactivate).

use crate::auth::CurrentUser;
use crate::db;
use crate::error::{ApiJson, ApiPath, Error, Result};
use crate::ApiContext;
use axum::extract::State;
use axum::routing::{get, patch};
use axum::{Json, Router};
use kappa_domain::api::UserPatch;
use kappa_domain::{Capability, User};

pub fn router() -> Router<ApiContext> {
    Router::new().route("/users", get(list)).route("/users/{id}", patch(update))
}

async fn list(user: CurrentUser, State(ctx): State<ApiContext>) -> Result<Json<Vec<User>>> {
    user.require(Capability::ManageUsers)?;
    Ok(Json(ctx.db.call(|conn| db::all_users(conn)).await?))
}

async fn update(user: CurrentUser, State(ctx): State<ApiContext>, ApiPath(id): ApiPath<u32>, ApiJson(patch): ApiJson<UserPatch>) -> Result<Json<User>> {
    let actor = user.require(Capability::ManageUsers)?.id;
    if actor == id && !patch.active {
        return Err(Error::Conflict { code: "cannot_deactivate_self", message: "You cannot deactivate your own account.".into() });
    }
    let updated = ctx
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            if tx.execute("UPDATE users SET active = ?1 WHERE id = ?2", rusqlite::params![patch.active, id])? == 0 {
                return Err(Error::NotFound("User"));
            }
            if !patch.active {
                // A deactivated user is signed out everywhere at once.
                tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
            }
            let action = if patch.active { "user_activated" } else { "user_deactivated" };
            db::audit(&tx, Some(actor), action, "user", Some(id), &serde_json::json!({}))?;
            let user = db::find_user(&tx, id)?.ok_or(Error::NotFound("User"))?;
            tx.commit()?;
            Ok(user)
        })
        .await?;
    Ok(Json(updated))
}
