//! Sign-in with argon2-hashed passwords and server-side sessions in an HttpOnly cookie.

use crate::db::{self, USER_COLUMNS};
use crate::error::{ApiJson, Error, Result};
use crate::ApiContext;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kappa_domain::api::LoginRequest;
use kappa_domain::{Capability, User};
use rand::RngCore;
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "kappa_session";

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
}

pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("hashing a password: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_string())
}

/// The signed-in user of a request; rejects with 401 when there is none.
pub struct CurrentUser(pub User);

impl CurrentUser {
    /// The role check every non-public handler starts with.
    pub fn require(&self, capability: Capability) -> Result<&User> {
        if self.0.role.can(capability) {
            Ok(&self.0)
        } else {
            Err(Error::Forbidden)
        }
    }
}

impl FromRequestParts<ApiContext> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, ctx: &ApiContext) -> Result<Self> {
        let token = session_token(&parts.headers).ok_or(Error::Unauthorized)?;
        let hash = token_hash(&token);
        let user = ctx
            .db
            .call(move |conn| {
                let sql = format!(
                    "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.active = 1",
                    USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
                );
                Ok(conn.query_row(&sql, params![hash, db::now()], db::user_from_row).optional()?)
            })
            .await?;
        user.map(CurrentUser).ok_or(Error::Unauthorized)
    }
}

fn cookie(ctx: &ApiContext, value: &str, max_age: i64) -> HeaderValue {
    let secure = if ctx.config.secure_cookie { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE_NAME}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"))
        .expect("cookie is ASCII")
}

async fn login(State(ctx): State<ApiContext>, ApiJson(req): ApiJson<LoginRequest>) -> Result<Response> {
    let hours = ctx.config.session_hours;
    let (user, token) = ctx
        .db
        .call(move |conn| {
            let found = conn
                .query_row(
                    &format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = ?1"),
                    [req.username.trim()],
                    |r| Ok((db::user_from_row(r)?, r.get::<_, String>(6)?)),
                )
                .optional()?;
            // Verify against a real hash even for unknown users, so timing tells nothing either.
            let (user, hash) = match found {
                Some(found) => (Some(found.0), found.1),
                None => (None, dummy_hash().to_string()),
            };
            let ok = verify_password(&req.password, &hash);
            let user = match user {
                Some(u) if ok && u.active => u,
                _ => {
                    db::audit(conn, None, "sign_in_failed", "user", None, &serde_json::json!({ "username": req.username }))?;
                    return Err(Error::InvalidCredentials);
                }
            };
            let mut bytes = [0u8; 32];
            OsRng.fill_bytes(&mut bytes);
            let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let expires = (chrono::Utc::now() + chrono::Duration::hours(hours.into())).naive_utc().format(db::TIME_FORMAT).to_string();
            conn.execute(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![token_hash(&token), user.id, db::now(), expires],
            )?;
            conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [db::now()])?;
            db::audit(conn, Some(user.id), "sign_in", "user", Some(user.id), &serde_json::json!({}))?;
            Ok((user, token))
        })
        .await?;
    let max_age = i64::from(ctx.config.session_hours) * 3600;
    Ok(([(SET_COOKIE, cookie(&ctx, &token, max_age))], Json(user)).into_response())
}

/// Signing out always succeeds and always clears the cookie, signed in or not.
async fn logout(State(ctx): State<ApiContext>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = session_token(&headers) {
        let hash = token_hash(&token);
        ctx.db
            .call(move |conn| {
                let user: Option<u32> = conn.query_row("SELECT user_id FROM sessions WHERE token_hash = ?1", [&hash], |r| r.get(0)).optional()?;
                conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
                if let Some(id) = user {
                    db::audit(conn, Some(id), "sign_out", "user", Some(id), &serde_json::json!({}))?;
                }
                Ok(())
            })
            .await?;
    }
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie(&ctx, "", 0))]).into_response())
}

async fn me(CurrentUser(user): CurrentUser) -> Json<User> {
    Json(user)
}

/// A hash of a random password nobody knows, checked for unknown usernames so that they take
/// as long as wrong passwords and timing tells nothing.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let mut secret = [0u8; 16];
        OsRng.fill_bytes(&mut secret);
        hash_password(&format!("{secret:?}")).unwrap_or_default()
    })
}
