//! Static fixtures mode: the demo centre as JSON files shipped with the site, and the visitor's
//! changes kept in `localStorage`. Every call checks roles with the same domain rules as the
//! server, so a static demo never shows what the server would refuse.

use super::{ApiError, ApiResult};
use crate::storage;
use kappa_domain::api::{CallDetail, Directory};
use kappa_domain::scorecard::ScorecardSummary;
use kappa_domain::{Call, CallQuery, Capability, Page, Team, TranscriptLine, User, UserId};
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

const SESSION_KEY: &str = "kappa.demo.session";
const USERS_KEY: &str = "kappa.demo.users";

thread_local! {
    static CALLS: RefCell<Option<Rc<Vec<Call>>>> = const { RefCell::new(None) };
    static TEAMS: RefCell<Option<Rc<Vec<Team>>>> = const { RefCell::new(None) };
}

async fn fetch_json<T: DeserializeOwned>(name: &str) -> ApiResult<T> {
    let res = gloo_net::http::Request::get(&format!("/fixtures/{name}"))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !res.ok() {
        return Err(ApiError::Network(format!("/fixtures/{name}: HTTP {}", res.status())));
    }
    res.json().await.map_err(|e| ApiError::Network(format!("/fixtures/{name}: {e}")))
}

/// Loads a fixture file once per page load and keeps it for the rest of the visit.
async fn cached<T: DeserializeOwned + 'static>(
    cell: &'static std::thread::LocalKey<RefCell<Option<Rc<T>>>>,
    name: &str,
) -> ApiResult<Rc<T>> {
    if let Some(hit) = cell.with(|c| c.borrow().clone()) {
        return Ok(hit);
    }
    let loaded = Rc::new(fetch_json::<T>(name).await?);
    cell.with(|c| *c.borrow_mut() = Some(loaded.clone()));
    Ok(loaded)
}

/// Users as shipped, with this browser's edits laid over them.
async fn all_users() -> ApiResult<Vec<User>> {
    match storage::read::<Vec<User>>(USERS_KEY) {
        Some(users) => Ok(users),
        None => fetch_json("users.json").await,
    }
}

async fn current() -> ApiResult<User> {
    let id: UserId = storage::read(SESSION_KEY).ok_or(ApiError::Unauthorized)?;
    all_users().await?.into_iter().find(|u| u.id == id && u.active).ok_or(ApiError::Unauthorized)
}

async fn require(capability: Capability) -> ApiResult<User> {
    let user = current().await?;
    if user.role.can(capability) {
        Ok(user)
    } else {
        Err(ApiError::Forbidden)
    }
}

pub async fn me() -> ApiResult<User> {
    current().await
}

pub async fn demo_accounts() -> ApiResult<Vec<User>> {
    Ok(all_users().await?.into_iter().filter(|u| u.active).collect())
}

pub async fn sign_in_as(username: &str) -> ApiResult<User> {
    let user = all_users()
        .await?
        .into_iter()
        .find(|u| u.username == username && u.active)
        .ok_or_else(|| ApiError::Rejected { code: "invalid_credentials".into(), message: "Wrong username or password.".into(), fields: Vec::new() })?;
    storage::write(SESSION_KEY, &user.id);
    Ok(user)
}

pub fn sign_out() {
    storage::remove(SESSION_KEY);
}

pub fn reset() {
    storage::remove(USERS_KEY);
}

pub async fn calls(query: &CallQuery) -> ApiResult<Page<Call>> {
    require(Capability::BrowseCalls).await?;
    Ok(query.apply(&cached(&CALLS, "calls.json").await?))
}

pub async fn call(id: u32) -> ApiResult<CallDetail> {
    require(Capability::BrowseCalls).await?;
    let call = cached(&CALLS, "calls.json").await?.iter().find(|c| c.id == id).cloned().ok_or(ApiError::NotFound)?;
    // Transcripts are only read when a recorded call is opened.
    let transcript = if call.recording.is_some() {
        let mut all: BTreeMap<u32, Vec<TranscriptLine>> = fetch_json("transcripts.json").await?;
        all.remove(&id).unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(CallDetail { call, transcript })
}

pub async fn directory() -> ApiResult<Directory> {
    require(Capability::ListPeople).await?;
    let teams = cached(&TEAMS, "teams.json").await?;
    Ok(Directory { teams: teams.as_ref().clone(), users: all_users().await? })
}

pub async fn scorecards() -> ApiResult<Vec<ScorecardSummary>> {
    require(Capability::ReviewCalls).await?;
    fetch_json("scorecards.json").await
}

pub async fn users() -> ApiResult<Vec<User>> {
    require(Capability::ManageUsers).await?;
    all_users().await
}

pub async fn set_user_active(id: UserId, active: bool) -> ApiResult<User> {
    let actor = require(Capability::ManageUsers).await?;
    if actor.id == id && !active {
        return Err(ApiError::Rejected { code: "cannot_deactivate_self".into(), message: "You cannot deactivate your own account.".into(), fields: Vec::new() });
    }
    let mut users = all_users().await?;
    let user = users.iter_mut().find(|u| u.id == id).ok_or(ApiError::NotFound)?;
    user.active = active;
    let updated = user.clone();
    storage::write(USERS_KEY, &users);
    Ok(updated)
}
