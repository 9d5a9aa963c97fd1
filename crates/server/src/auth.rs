//! Sign-in with argon2-hashed passwords and server-side sessions in an HttpOnly cookie.

use crate::db;
use crate::error::{Error, JsonBody, Result};
use crate::http::now;
use crate::password::{hash_password, verify_password, Prepared};
use crate::store::SessionStore;
use crate::throttle;
use crate::ApiContext;
use argon2::password_hash::rand_core::OsRng;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{COOKIE, HOST, ORIGIN, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use kappa_domain::api::{LoginRequest, PasswordChange, SessionInfo};
use kappa_domain::workflow::{self, MAX_PASSWORD, MAX_USERNAME};
use kappa_domain::{Capability, User};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};

const COOKIE_NAME: &str = "kappa_session";
/// Behind HTTPS: the `__Host-` prefix makes browsers refuse the cookie unless it is Secure, set
/// by this very host and valid for every path.
const SECURE_COOKIE_NAME: &str = "__Host-kappa_session";
/// A session's last use is written at most this often, so reads stay reads.
const TOUCH_EVERY_SECONDS: i64 = 60;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/session", get(session))
        .route("/me", get(me))
        .route("/me/password", put(change_password))
}

/// Verified on the blocking pool, holding no database connection, a few at a time: a slow
/// hash stalls no one, and a flood of sign-ins cannot run the machine out of memory.
async fn verify_off_lock(ctx: &ApiContext, password: String, hash: String) -> Result<bool> {
    let _permit = ctx
        .hashing
        .acquire()
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    db::blocking(move || Ok(verify_password(&password, &hash))).await
}

impl Prepared {
    pub async fn hash(ctx: &ApiContext, password: &str) -> Result<Option<Prepared>> {
        // Out-of-policy passwords are refused by the rules; no need to hash them.
        if !(workflow::MIN_PASSWORD..=MAX_PASSWORD).contains(&password.chars().count()) {
            return Ok(None);
        }
        let _permit = ctx
            .hashing
            .acquire()
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        let password = password.to_string();
        db::blocking(move || {
            Ok(Some(Prepared {
                hash: hash_password(&password)?,
                password,
            }))
        })
        .await
    }
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn cookie_name(ctx: &ApiContext) -> &'static str {
    if ctx.config.secure_cookie {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

fn session_token(ctx: &ApiContext, headers: &HeaderMap) -> Option<String> {
    let name = cookie_name(ctx);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
}

/// The user of a live session: not expired, used within the idle timeout, account active.
async fn session_user(ctx: &ApiContext, headers: &HeaderMap) -> Result<Option<User>> {
    let Some(token) = session_token(ctx, headers) else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    let lookup = hash.clone();
    let now = now();
    let idle_since = now - chrono::Duration::minutes(ctx.config.idle_minutes.into());
    let found = ctx
        .db
        .session_view(move |store| store.live_session(&lookup, now, idle_since))
        .await?;
    let Some((user, last_seen)) = found else {
        return Ok(None);
    };
    if last_seen < now - chrono::Duration::seconds(TOUCH_EVERY_SECONDS) {
        ctx.db
            .sessions(None, move |store| store.touch_session(&hash, now))
            .await?;
    }
    Ok(Some(user))
}

/// The signed-in user of a request; rejects with 401 when there is none.
pub struct CurrentUser(pub User);

impl CurrentUser {
    /// The role check a handler makes before it reads the request's body; the domain's rules
    /// check again when they decide.
    pub fn require(&self, capability: Capability) -> Result<&User> {
        workflow::require(&self.0, capability)?;
        Ok(&self.0)
    }
}

impl FromRequestParts<ApiContext> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, ctx: &ApiContext) -> Result<Self> {
        session_user(ctx, &parts.headers)
            .await?
            .map(CurrentUser)
            .ok_or(Error::UNAUTHORIZED)
    }
}

/// The client's address, when the server knows it: the peer's, or behind a trusted proxy the
/// last `X-Forwarded-For` entry (the one that proxy appended; earlier ones are the client's
/// own claims).
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<ApiContext> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        ctx: &ApiContext,
    ) -> std::result::Result<Self, Self::Rejection> {
        let forwarded = || {
            let header = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .next_back()?;
            header.rsplit(',').next()?.trim().parse::<IpAddr>().ok()
        };
        let peer = || {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        };
        Ok(ClientAddr(if ctx.config.trust_forwarded_for {
            forwarded().or_else(peer)
        } else {
            peer()
        }))
    }
}

fn cookie(ctx: &ApiContext, value: &str, max_age: i64) -> HeaderValue {
    let secure = if ctx.config.secure_cookie {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}",
        cookie_name(ctx)
    ))
    .expect("cookie is ASCII")
}

/// Opens a session for `user` in the caller's transaction; answers its token.
fn open_session(store: &dyn SessionStore, user: u32, hours: u32) -> Result<String> {
    let token = crate::password::random_hex::<32>();
    let now = now();
    store.open_session(
        &token_hash(&token),
        user,
        now,
        now + chrono::Duration::hours(hours.into()),
    )?;
    Ok(token)
}

fn session_cookie(ctx: &ApiContext, token: &str) -> HeaderValue {
    cookie(ctx, token, i64::from(ctx.config.session_hours) * 3600)
}

/// Starts a sign-in attempt (or a check of a current password): counted as failed until it is
/// forgiven, in the one write transaction that checks the counts, so simultaneous guesses on
/// every server of the database are counted as a sequence would be. Refused with the wait when
/// a key has used up its tries.
async fn begin_attempt(
    ctx: &ApiContext,
    keys: Vec<throttle::Key>,
) -> Result<Vec<(throttle::Key, u32)>> {
    let throttle = ctx.throttle.clone();
    let keys = throttle.counted(&keys);
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let now = now();
    ctx.db
        .sessions(None, move |store| {
            let attempts = store.attempts(&keys, throttle.window_start(now))?;
            if let Some(retry_after) = throttle.wait(&attempts, now) {
                return Err(Error::TooManyAttempts { retry_after });
            }
            let ids = store.record_attempt(&keys, now)?;
            Ok(keys.into_iter().zip(ids).collect())
        })
        .await
}

/// What the audit log keeps of a typed username: trimmed and capped, however much was sent.
pub fn audited_username(username: &str) -> String {
    username.trim().chars().take(MAX_USERNAME).collect()
}

async fn login(
    State(ctx): State<ApiContext>,
    ClientAddr(addr): ClientAddr,
    body: JsonBody,
) -> Result<Response> {
    let req: LoginRequest = body.parse().await?;
    let username = audited_username(&req.username);
    let attempt = begin_attempt(&ctx, throttle::keys(&username, addr)).await?;
    // Over-long input is simply wrong: no account has it, and hashing it would cost time.
    let plausible = req.username.trim().chars().count() <= MAX_USERNAME
        && req.password.chars().count() <= MAX_PASSWORD;
    let lookup = username.clone();
    let found = if plausible {
        ctx.db
            .session_view(move |store| store.credentials(&lookup))
            .await?
    } else {
        None
    };
    // Verify against a real hash even for unknown users, so timing tells nothing either.
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, dummy_hash().to_string()),
    };
    let ok = plausible && verify_off_lock(&ctx, req.password, hash).await?;
    let user = match user {
        Some(u) if ok && u.active => u,
        _ => {
            let logged = username.clone();
            ctx.db
                .sessions(None, move |store| {
                    store.record(
                        None,
                        "sign_in_failed",
                        None,
                        &serde_json::json!({ "username": logged }),
                    )
                })
                .await?;
            return Err(Error::InvalidCredentials);
        }
    };
    let id = user.id;
    let hours = ctx.config.session_hours;
    let token = ctx
        .db
        .sessions(None, move |store| {
            store.forgive(&attempt)?;
            let token = open_session(store, id, hours)?;
            store.record(Some(id), "sign_in", Some(id), &serde_json::json!({}))?;
            Ok(token)
        })
        .await?;
    Ok(([(SET_COOKIE, session_cookie(&ctx, &token))], Json(user)).into_response())
}

/// Refuses requests another site made the browser send. SameSite=Strict already keeps the
/// cookie off them; this also stops a cross-site page from signing a user out. Browsers say
/// where a request comes from in `Sec-Fetch-Site`; without it, `Origin` must name this host.
pub(crate) fn same_site(headers: &HeaderMap) -> Result<()> {
    if let Some(site) = headers.get("sec-fetch-site") {
        return if site.as_bytes() == b"cross-site" {
            Err(Error::CrossSite)
        } else {
            Ok(())
        };
    }
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    match headers.get(ORIGIN).and_then(|o| o.to_str().ok()) {
        None => Ok(()),
        Some(origin) => {
            let origin_host = origin.split_once("://").map(|(_, rest)| rest);
            if origin_host.is_some() && origin_host == host {
                Ok(())
            } else {
                Err(Error::CrossSite)
            }
        }
    }
}

/// Signing out always clears the cookie, signed in or not; only another site may not do it.
async fn logout(State(ctx): State<ApiContext>, headers: HeaderMap) -> Result<Response> {
    same_site(&headers)?;
    if let Some(token) = session_token(&ctx, &headers) {
        let hash = token_hash(&token);
        ctx.db
            .sessions(None, move |store| {
                if let Some(id) = store.end_session(&hash)? {
                    store.record(Some(id), "sign_out", Some(id), &serde_json::json!({}))?;
                }
                Ok(())
            })
            .await?;
    }
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie(&ctx, "", 0))]).into_response())
}

/// Answers 200 signed in or not, so the app's first look at the session is no failed request.
async fn session(State(ctx): State<ApiContext>, headers: HeaderMap) -> Result<Json<SessionInfo>> {
    session_info(&ctx, &headers).await.map(Json)
}

/// Who the request's cookie signs in, if anyone; the app's page carries it too (`boot`).
pub async fn session_info(ctx: &ApiContext, headers: &HeaderMap) -> Result<SessionInfo> {
    let user = session_user(ctx, headers).await?;
    let needs_admin = !ctx
        .db
        .session_view(|store| store.has_active_admin())
        .await?;
    Ok(SessionInfo {
        user,
        demo: ctx.config.demo,
        needs_admin,
    })
}

async fn me(CurrentUser(user): CurrentUser) -> Json<User> {
    Json(user)
}

/// Changing one's own password ends every session of the account, this one included, and opens
/// a fresh one here in the same transaction: whoever knew the old password is out, the user is
/// not. Wrong current passwords count against the account like failed sign-ins.
async fn change_password(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
    ClientAddr(addr): ClientAddr,
    body: JsonBody,
) -> Result<Response> {
    let change: PasswordChange = body.parse().await?;
    let attempt = begin_attempt(&ctx, throttle::keys(&user.username, addr)).await?;
    let id = user.id;
    // Signed in a moment ago: the account is there unless it was removed since.
    let hash = ctx
        .db
        .session_view(move |store| store.password_hash(id))
        .await?
        .ok_or(Error::UNAUTHORIZED)?;
    let plausible = change.current.chars().count() <= MAX_PASSWORD;
    let matches = plausible && verify_off_lock(&ctx, change.current, hash).await?;
    if matches {
        ctx.db
            .sessions(None, move |store| store.forgive(&attempt))
            .await?;
    } else {
        ctx.db
            .sessions(None, move |store| {
                store.record(
                    Some(id),
                    "password_change_failed",
                    Some(id),
                    &serde_json::json!({}),
                )
            })
            .await?;
    }
    let prepared = if matches {
        Prepared::hash(&ctx, &change.password).await?
    } else {
        None
    };
    let hours = ctx.config.session_hours;
    let token = ctx
        .db
        .sessions(prepared, move |store| {
            workflow::change_own_password(store, &user, matches, change.password)?;
            open_session(store, id, hours)
        })
        .await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(SET_COOKIE, session_cookie(&ctx, &token))],
    )
        .into_response())
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
