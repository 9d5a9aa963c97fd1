//! Static fixtures mode: the demo centre as JSON files shipped with the site, and the visitor's
//! changes kept in `localStorage`. Every call checks roles with the same domain rules as the
//! server, so a static demo never shows what the server would refuse.

use super::{ApiError, ApiResult};
use crate::storage;
use kappa_domain::api::{CallDetail, Directory};
use kappa_domain::evaluation::{Evaluation, EvaluationDetail, EvaluationSummary};
use kappa_domain::scorecard::{DraftSave, EditConflict, ScorecardDefinition, ScorecardDetail, ScorecardSummary, ScorecardVersion};
use kappa_domain::scorecard_library::{LibraryError, ScorecardLibrary};
use kappa_domain::{Call, CallQuery, Capability, Page, Team, TranscriptLine, User, UserId};
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

const SESSION_KEY: &str = "kappa.demo.session";
const USERS_KEY: &str = "kappa.demo.users";
const SCORECARDS_KEY: &str = "kappa.demo.scorecards";

thread_local! {
    static CALLS: RefCell<Option<Rc<Vec<Call>>>> = const { RefCell::new(None) };
    static TEAMS: RefCell<Option<Rc<Vec<Team>>>> = const { RefCell::new(None) };
    static EVALUATIONS: RefCell<Option<Rc<Vec<Evaluation>>>> = const { RefCell::new(None) };
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
        .ok_or_else(|| ApiError::rejected("invalid_credentials", "Wrong username or password."))?;
    storage::write(SESSION_KEY, &user.id);
    Ok(user)
}

pub fn sign_out() {
    storage::remove(SESSION_KEY);
}

pub fn reset() {
    storage::remove(USERS_KEY);
    storage::remove(SCORECARDS_KEY);
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
    let mut evaluations: Vec<EvaluationSummary> = Vec::new();
    let library = library().await?;
    let users = all_users().await?;
    for e in cached(&EVALUATIONS, "evaluations.json").await?.iter().filter(|e| e.call_id == id) {
        let version = library.version(e.scorecard_version_id).ok_or(ApiError::NotFound)?;
        evaluations.push(EvaluationSummary {
            id: e.id,
            // The name as the pinned version has it: a later draft may rename the scorecard.
            scorecard_name: version.definition.name,
            version: version.version,
            reviewer: name_of(&users, e.reviewer_id),
            submitted_at: e.submitted_at,
            score: e.score,
            passed: e.passed,
        });
    }
    evaluations.reverse();
    Ok(CallDetail { call, transcript, evaluations })
}

pub async fn directory() -> ApiResult<Directory> {
    require(Capability::ListPeople).await?;
    let teams = cached(&TEAMS, "teams.json").await?;
    Ok(Directory { teams: teams.as_ref().clone(), users: all_users().await? })
}

fn name_of(users: &[User], id: UserId) -> String {
    users.iter().find(|u| u.id == id).map(|u| u.display_name.clone()).unwrap_or_default()
}

/// The shipped scorecards with this browser's edits: the whole library is kept, as small as it is.
async fn library() -> ApiResult<ScorecardLibrary> {
    match storage::read::<ScorecardLibrary>(SCORECARDS_KEY) {
        Some(library) => Ok(library),
        None => fetch_json("scorecards.json").await,
    }
}

/// The same codes and words the server answers with.
fn library_error(e: LibraryError) -> ApiError {
    let code = match &e {
        LibraryError::NotFound => return ApiError::NotFound,
        LibraryError::Conflict(EditConflict::Stale { .. }) => "stale_draft",
        LibraryError::Conflict(EditConflict::Archived) => "archived",
        LibraryError::NothingToPublish => "nothing_to_publish",
        LibraryError::Invalid(paths) => {
            return ApiError::Rejected { code: "invalid_document".into(), message: e.to_string(), fields: Vec::new(), paths: paths.clone() };
        }
    };
    ApiError::rejected(code, e.to_string())
}

/// Applies one change to the stored library, saving it only when the change was allowed.
async fn change_library(change: impl FnOnce(&mut ScorecardLibrary) -> Result<ScorecardDetail, LibraryError>) -> ApiResult<ScorecardDetail> {
    require(Capability::ManageScorecards).await?;
    let mut library = library().await?;
    let detail = change(&mut library).map_err(library_error)?;
    storage::write(SCORECARDS_KEY, &library);
    Ok(detail)
}

pub async fn scorecards() -> ApiResult<Vec<ScorecardSummary>> {
    require(Capability::ReviewCalls).await?;
    let evaluations = cached(&EVALUATIONS, "evaluations.json").await?;
    Ok(library().await?.list(evaluations.iter().map(|e| e.scorecard_version_id)))
}

pub async fn scorecard(id: u32) -> ApiResult<ScorecardDetail> {
    require(Capability::ReviewCalls).await?;
    library().await?.detail(id).map_err(library_error)
}

pub async fn scorecard_version(id: u32) -> ApiResult<ScorecardVersion> {
    let user = require(Capability::ReviewCalls).await?;
    let version = library().await?.version(id).ok_or(ApiError::NotFound)?;
    if !version.readable_by(user.role) {
        return Err(ApiError::Forbidden);
    }
    Ok(version)
}

pub async fn create_scorecard(definition: ScorecardDefinition) -> ApiResult<ScorecardDetail> {
    change_library(|l| Ok(l.create(definition))).await
}

pub async fn save_scorecard_draft(id: u32, save: DraftSave) -> ApiResult<ScorecardDetail> {
    change_library(|l| l.save_draft(id, save)).await
}

pub async fn publish_scorecard(id: u32, lock_version: u32) -> ApiResult<ScorecardDetail> {
    // The server's clock format: UTC, to the second.
    let now: String = String::from(js_sys::Date::new_0().to_iso_string()).chars().take(19).collect();
    change_library(|l| l.publish(id, lock_version, &now)).await
}

pub async fn archive_scorecard(id: u32, archived: bool) -> ApiResult<ScorecardDetail> {
    change_library(|l| l.set_archived(id, archived)).await
}

pub async fn evaluation(id: u32) -> ApiResult<EvaluationDetail> {
    let user = current().await?;
    let evaluation = cached(&EVALUATIONS, "evaluations.json").await?.iter().find(|e| e.id == id).cloned().ok_or(ApiError::NotFound)?;
    if !evaluation.readable_by(&user) {
        return Err(ApiError::Forbidden);
    }
    let version = library().await?.version(evaluation.scorecard_version_id).ok_or(ApiError::NotFound)?;
    let call = cached(&CALLS, "calls.json").await?.iter().find(|c| c.id == evaluation.call_id).cloned().ok_or(ApiError::NotFound)?;
    let users = all_users().await?;
    let (agent, reviewer) = (name_of(&users, evaluation.agent_id), name_of(&users, evaluation.reviewer_id));
    Ok(EvaluationDetail { evaluation, version, call, agent, reviewer })
}

pub async fn users() -> ApiResult<Vec<User>> {
    require(Capability::ManageUsers).await?;
    all_users().await
}

pub async fn set_user_active(id: UserId, active: bool) -> ApiResult<User> {
    let actor = require(Capability::ManageUsers).await?;
    if actor.id == id && !active {
        return Err(ApiError::rejected("cannot_deactivate_self", "You cannot deactivate your own account."));
    }
    let mut users = all_users().await?;
    let user = users.iter_mut().find(|u| u.id == id).ok_or(ApiError::NotFound)?;
    user.active = active;
    let updated = user.clone();
    storage::write(USERS_KEY, &users);
    Ok(updated)
}
