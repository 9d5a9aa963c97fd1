//! Static fixtures mode: the demo centre as JSON files shipped with the site, and the visitor's
//! changes kept in `localStorage`. Every read and change goes through the domain's `workflow`
//! on an in-memory store, the very rules the server runs on SQLite: this module only loads
//! and persists.

use super::{ApiError, ApiResult};
use crate::storage;
use kappa_domain::api::{
    ArchiveRequest, CallDetail, Directory, NewUser, PasswordReset, PublishRequest, SessionInfo,
    UserEdit, UserPatch,
};
use kappa_domain::calibration::{
    AlignmentPoint, CalibrationScore, CalibrationSession, ConsensusRequest, NewSession,
    ScoreSubmission, SessionSummary, SessionView,
};
use kappa_domain::coaching::{
    Acknowledgement, ActionChange, ActionItem, Agenda, AgentCoaching, EffectQuery, EffectReport,
    NewActionItem, NewNote, NewSession as NewCoaching, NoteView, PeriodQuery, SessionEdit,
    SessionMove, SessionView as CoachingView, TeamView,
};
use kappa_domain::evaluation::{Evaluation, EvaluationDetail, EvaluationSubmission};
use kappa_domain::file_import::{DryRunRequest, FileImport, ImportId, ImportStep, StagedFile};
use kappa_domain::notices::{Notice, NoticeSeen};
use kappa_domain::plan::{
    PlanDetail, PlanEdit, PlanPreview, PlanSpec, PlanStatusChange, PlanSummary, QueueItem,
    QueuePage, QueueQuery, ReassignRequest, ReplaceRequest,
};
use kappa_domain::refusal::Kind;
use kappa_domain::review::{
    Amendment, DisputeList, DisputeQuery, DisputeRequest, DraftWrite, FeedbackItem, ReviewDraft,
    ReviewStart, RulingRequest,
};
use kappa_domain::scorecard::{
    DraftSave, ScorecardDefinition, ScorecardDetail, ScorecardSummary, ScorecardVersion,
};
use kappa_domain::scorecard_library::ScorecardLibrary;
use kappa_domain::store::Store;
use kappa_domain::store::{CalibrationBook, CoachingBook, MemoryStore, ReviewBook, SamplingBook};
use kappa_domain::vocabulary::{NewTerm, Term, TermEdit, TermKind, Vocabulary};
use kappa_domain::workflow::{self, Failure, Outcome};
use kappa_domain::{
    Call, CallQuery, Capability, Page, Refusal, Team, TranscriptLine, User, UserId,
};
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

const SESSION_KEY: &str = "kappa.demo.session";
const USERS_KEY: &str = "kappa.demo.users";
const SCORECARDS_KEY: &str = "kappa.demo.scorecards";
/// Evaluations the visitor added or changed; the shipped ones are laid under them by id.
const EVALUATIONS_KEY: &str = "kappa.demo.evaluations";
/// Drafts and disputes whole, and the score history written beyond the shipped one.
const REVIEWS_KEY: &str = "kappa.demo.reviews";
/// Calibration sessions and scores with the visitor's changes: kept whole once anything changed.
const CALIBRATION_KEY: &str = "kappa.demo.calibration";
/// Plans, runs and assignments with the visitor's changes: kept whole once anything changed.
const SAMPLING_KEY: &str = "kappa.demo.sampling";
/// Coaching sessions, notes and action items with the visitor's changes: kept whole once
/// anything changed.
const COACHING_KEY: &str = "kappa.demo.coaching";
/// The queues and outcomes with the visitor's changes: kept whole once anything changed.
const VOCABULARY_KEY: &str = "kappa.demo.vocabulary";
/// The visitor's imports, and the calls they brought in or updated.
const IMPORTS_KEY: &str = "kappa.demo.imports";
const IMPORTED_CALLS_KEY: &str = "kappa.demo.imported_calls";

thread_local! {
    static CALLS: RefCell<Option<Arc<Vec<Call>>>> = const { RefCell::new(None) };
    static TEAMS: RefCell<Option<Arc<Vec<Team>>>> = const { RefCell::new(None) };
    static EVALUATIONS: RefCell<Option<Arc<Vec<Evaluation>>>> = const { RefCell::new(None) };
    static REVIEWS: RefCell<Option<Arc<ReviewBook>>> = const { RefCell::new(None) };
    static CALIBRATION: RefCell<Option<Arc<CalibrationBook>>> = const { RefCell::new(None) };
    static COACHING: RefCell<Option<Arc<CoachingBook>>> = const { RefCell::new(None) };
    static VOCABULARY: RefCell<Option<Arc<Vocabulary>>> = const { RefCell::new(None) };
    /// [`all_calls`]: the stored imported calls' text, and the calls with them laid over.
    static WITH_IMPORTED: RefCell<Option<(String, Arc<Vec<Call>>)>> = const { RefCell::new(None) };
}

async fn fetch_json<T: DeserializeOwned>(name: &str) -> ApiResult<T> {
    let res = gloo_net::http::Request::get(&format!("/fixtures/{name}"))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !res.ok() {
        return Err(ApiError::Network(format!(
            "/fixtures/{name}: HTTP {}",
            res.status()
        )));
    }
    res.json()
        .await
        .map_err(|e| ApiError::Network(format!("/fixtures/{name}: {e}")))
}

/// Loads a fixture file once per page load and keeps it for the rest of the visit.
async fn cached<T: DeserializeOwned + 'static>(
    cell: &'static std::thread::LocalKey<RefCell<Option<Arc<T>>>>,
    name: &str,
) -> ApiResult<Arc<T>> {
    if let Some(hit) = cell.with(|c| c.borrow().clone()) {
        return Ok(hit);
    }
    let loaded = Arc::new(fetch_json::<T>(name).await?);
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

/// The shipped scorecards with this browser's edits: the whole library is kept, as small as it is.
async fn library() -> ApiResult<ScorecardLibrary> {
    match storage::read::<ScorecardLibrary>(SCORECARDS_KEY) {
        Some(library) => Ok(library),
        None => fetch_json("scorecards.json").await,
    }
}

/// The shipped plans and queues, or this browser's version of them.
async fn sampling() -> ApiResult<SamplingBook> {
    match storage::read::<SamplingBook>(SAMPLING_KEY) {
        Some(book) => Ok(book),
        None => fetch_json("sampling.json").await,
    }
}

/// The shipped queues and outcomes, or this browser's version of them.
async fn vocabulary_book() -> ApiResult<Vocabulary> {
    match storage::read::<Vocabulary>(VOCABULARY_KEY) {
        Some(kept) => Ok(kept),
        None => Ok(cached(&VOCABULARY, "vocabulary.json")
            .await?
            .as_ref()
            .clone()),
    }
}

/// The shipped calls with the ones this browser imported laid over them: made once for each
/// stored version (read as text and compared), not copied again on every read.
async fn all_calls() -> ApiResult<Arc<Vec<Call>>> {
    let shipped = cached(&CALLS, "calls.json").await?;
    let Some(text) = storage::read_text(IMPORTED_CALLS_KEY) else {
        return Ok(shipped);
    };
    let hit = WITH_IMPORTED.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(kept, _)| *kept == text)
            .map(|(_, calls)| calls.clone())
    });
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let mut all = shipped.as_ref().clone();
    let at: std::collections::HashMap<u32, usize> =
        all.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    for call in serde_json::from_str::<Vec<Call>>(&text).unwrap_or_default() {
        match at.get(&call.id) {
            Some(&i) => all[i] = call,
            None => all.push(call),
        }
    }
    let all = Arc::new(all);
    WITH_IMPORTED.with(|c| *c.borrow_mut() = Some((text, all.clone())));
    Ok(all)
}

/// The demo centre as the rules see it: shipped data with this browser's changes.
async fn load() -> ApiResult<MemoryStore> {
    let mut evaluations = cached(&EVALUATIONS, "evaluations.json")
        .await?
        .as_ref()
        .clone();
    for kept in storage::read::<Vec<Evaluation>>(EVALUATIONS_KEY).unwrap_or_default() {
        match evaluations.iter_mut().find(|e| e.id == kept.id) {
            Some(shipped) => *shipped = kept,
            None => evaluations.push(kept),
        }
    }
    Ok(MemoryStore {
        users: all_users().await?,
        teams: cached(&TEAMS, "teams.json").await?.as_ref().clone(),
        calls: all_calls().await?,
        // Loaded one call at a time, when a recorded call opens (`call`).
        transcripts: BTreeMap::new(),
        scorecards: library().await?,
        evaluations,
        sampling: sampling().await?,
        reviews: ReviewBook::default(),
        calibration: CalibrationBook::default(),
        coaching: Default::default(),
        // The demo centre keeps Shanghai time, as its seed does on the server.
        clock: kappa_domain::time::CentreClock::DEMO,
        vocabulary: vocabulary_book().await?,
        imports: Vec::new(),
        audit: Vec::new(),
    })
}

/// The store with drafts, score histories and disputes too. Only the reviewing calls load them,
/// so the other pages' chunks carry none of their (de)serializers.
async fn load_reviewed() -> ApiResult<MemoryStore> {
    let mut store = load().await?;
    let mut reviews = cached(&REVIEWS, "reviews.json").await?.as_ref().clone();
    if let Some(kept) = storage::read::<ReviewBook>(REVIEWS_KEY) {
        reviews.history.extend(kept.history);
        (reviews.drafts, reviews.disputes) = (kept.drafts, kept.disputes);
    }
    store.reviews = reviews;
    Ok(store)
}

/// Keeps what a change may have touched; the shipped data stays as shipped.
async fn persist(store: &MemoryStore) -> ApiResult<()> {
    let shipped = cached(&EVALUATIONS, "evaluations.json").await?;
    let shipped: std::collections::BTreeMap<u32, &Evaluation> =
        shipped.iter().map(|s| (s.id, s)).collect();
    let changed: Vec<&Evaluation> = store
        .evaluations
        .iter()
        .filter(|e| shipped.get(&e.id) != Some(e))
        .collect();
    storage::write(USERS_KEY, &store.users);
    storage::write(SCORECARDS_KEY, &store.scorecards);
    storage::write(EVALUATIONS_KEY, &changed);
    storage::write(SAMPLING_KEY, &store.sampling);
    if store.vocabulary != *cached(&VOCABULARY, "vocabulary.json").await? {
        storage::write(VOCABULARY_KEY, &store.vocabulary);
    }
    Ok(())
}

/// [`persist`] for a store loaded with [`load_reviewed`].
async fn persist_reviewed(store: &MemoryStore) -> ApiResult<()> {
    persist(store).await?;
    let shipped_history = cached(&REVIEWS, "reviews.json").await?.history.len();
    let reviews = ReviewBook {
        history: store
            .reviews
            .history
            .get(shipped_history..)
            .unwrap_or_default()
            .to_vec(),
        ..store.reviews.clone()
    };
    storage::write(REVIEWS_KEY, &reviews);
    Ok(())
}

/// Lays the calibration sessions (as shipped, or this browser's version) into a loaded store.
/// Only calibration calls load them, so the other pages' chunks carry none of their
/// (de)serializers.
async fn with_calibration(mut store: MemoryStore) -> ApiResult<MemoryStore> {
    store.calibration = match storage::read::<CalibrationBook>(CALIBRATION_KEY) {
        Some(kept) => kept,
        None => cached(&CALIBRATION, "calibration.json")
            .await?
            .as_ref()
            .clone(),
    };
    Ok(store)
}

async fn keep_calibration(store: &MemoryStore) -> ApiResult<()> {
    if store.calibration != *cached(&CALIBRATION, "calibration.json").await? {
        storage::write(CALIBRATION_KEY, &store.calibration);
    }
    Ok(())
}

/// A read of calibration sessions. Each of these four is its own function, not one with a flag:
/// a page that never touches drafts must not carry the code that loads them.
async fn read_calibrated<T>(
    decide: impl FnOnce(&MemoryStore, &User) -> Outcome<T>,
) -> ApiResult<T> {
    decided(&with_calibration(load().await?).await?, decide)
}

/// [`read_calibrated`] of something that involves the scorers' drafts too.
async fn read_calibrated_drafts<T>(
    decide: impl FnOnce(&MemoryStore, &User) -> Outcome<T>,
) -> ApiResult<T> {
    decided(&with_calibration(load_reviewed().await?).await?, decide)
}

async fn change_calibrated<T>(
    decide: impl FnOnce(&mut MemoryStore, &User) -> Outcome<T>,
) -> ApiResult<T> {
    let mut store = with_calibration(load().await?).await?;
    let outcome = changed(&mut store, decide)?;
    persist(&store).await?;
    keep_calibration(&store).await?;
    Ok(outcome)
}

async fn change_calibrated_drafts<T>(
    decide: impl FnOnce(&mut MemoryStore, &User) -> Outcome<T>,
) -> ApiResult<T> {
    let mut store = with_calibration(load_reviewed().await?).await?;
    let outcome = changed(&mut store, decide)?;
    persist_reviewed(&store).await?;
    keep_calibration(&store).await?;
    Ok(outcome)
}

/// The store with coaching records, and the calibration sessions their focus criteria's
/// agreement comes from. Only coaching calls load them.
async fn load_coached() -> ApiResult<MemoryStore> {
    with_coaching(with_calibration(load().await?).await?).await
}

async fn with_coaching(mut store: MemoryStore) -> ApiResult<MemoryStore> {
    store.coaching = match storage::read::<CoachingBook>(COACHING_KEY) {
        Some(kept) => kept,
        None => cached(&COACHING, "coaching.json").await?.as_ref().clone(),
    };
    Ok(store)
}

async fn read_coached<T>(decide: impl FnOnce(&MemoryStore, &User) -> Outcome<T>) -> ApiResult<T> {
    decided(&load_coached().await?, decide)
}

async fn change_coached<T>(
    decide: impl FnOnce(&mut MemoryStore, &User) -> Outcome<T>,
) -> ApiResult<T> {
    let mut store = load_coached().await?;
    let outcome = changed(&mut store, decide)?;
    if store.coaching != *cached(&COACHING, "coaching.json").await? {
        storage::write(COACHING_KEY, &store.coaching);
    }
    Ok(outcome)
}

/// The answer the server would give for the same failure.
fn failed(failure: Failure) -> ApiError {
    match failure {
        Failure::Refused(refusal) => refused(refusal),
        Failure::Store(e) => ApiError::Network(e.to_string()),
    }
}

fn refused(refusal: Refusal) -> ApiError {
    match refusal.kind() {
        Kind::Unauthorized => ApiError::Unauthorized,
        Kind::Forbidden => ApiError::Forbidden,
        Kind::NotFound => ApiError::NotFound,
        Kind::Conflict | Kind::Invalid => ApiError::from_detail(refusal.detail()),
    }
}

/// The visitor this browser acts as, while that account is active.
fn signed_in(users: &[User]) -> Option<User> {
    let id: UserId = storage::read(SESSION_KEY)?;
    users.iter().find(|u| u.id == id && u.active).cloned()
}

fn current_in(store: &MemoryStore) -> ApiResult<User> {
    signed_in(&store.users).ok_or(ApiError::Unauthorized)
}

/// A read by the signed-in visitor, decided by the domain.
async fn read<T>(decide: impl FnOnce(&MemoryStore, &User) -> Outcome<T>) -> ApiResult<T> {
    decided(&load().await?, decide)
}

/// [`read`] of something that involves reviews (drafts, histories, disputes).
async fn read_reviewed<T>(decide: impl FnOnce(&MemoryStore, &User) -> Outcome<T>) -> ApiResult<T> {
    decided(&load_reviewed().await?, decide)
}

fn decided<T>(
    store: &MemoryStore,
    decide: impl FnOnce(&MemoryStore, &User) -> Outcome<T>,
) -> ApiResult<T> {
    let user = current_in(store)?;
    decide(store, &user).map_err(failed)
}

/// A change by the signed-in visitor, decided by the domain, kept only when it was allowed.
async fn change<T>(decide: impl FnOnce(&mut MemoryStore, &User) -> Outcome<T>) -> ApiResult<T> {
    let mut store = load().await?;
    let outcome = changed(&mut store, decide)?;
    persist(&store).await?;
    Ok(outcome)
}

/// [`change`] of something that involves reviews: every evaluation's history starts with its
/// submission, so submitting is one of these too.
async fn change_reviewed<T>(
    decide: impl FnOnce(&mut MemoryStore, &User) -> Outcome<T>,
) -> ApiResult<T> {
    let mut store = load_reviewed().await?;
    let outcome = changed(&mut store, decide)?;
    persist_reviewed(&store).await?;
    Ok(outcome)
}

fn changed<T>(
    store: &mut MemoryStore,
    decide: impl FnOnce(&mut MemoryStore, &User) -> Outcome<T>,
) -> ApiResult<T> {
    let user = current_in(store)?;
    decide(store, &user).map_err(failed)
}

use crate::clock::now;

fn require(user: &User, capability: Capability) -> ApiResult<()> {
    workflow::require(user, capability).map_err(refused)
}

pub async fn session() -> ApiResult<SessionInfo> {
    Ok(SessionInfo {
        user: signed_in(&all_users().await?),
        demo: true,
        needs_admin: false,
    })
}

pub async fn demo_accounts() -> ApiResult<Vec<User>> {
    Ok(all_users()
        .await?
        .into_iter()
        .filter(|u| u.active)
        .collect())
}

pub async fn sign_in_as(username: &str) -> ApiResult<User> {
    let user = all_users()
        .await?
        .into_iter()
        .find(|u| u.username == username && u.active)
        .ok_or_else(|| {
            ApiError::rejected(
                kappa_domain::Code::InvalidCredentials,
                "Wrong username or password.",
            )
        })?;
    storage::write(SESSION_KEY, &user.id);
    Ok(user)
}

pub fn sign_out() {
    storage::remove(SESSION_KEY);
}

pub fn reset() {
    storage::remove(USERS_KEY);
    storage::remove(SCORECARDS_KEY);
    storage::remove(EVALUATIONS_KEY);
    storage::remove(SAMPLING_KEY);
    storage::remove(REVIEWS_KEY);
    storage::remove(CALIBRATION_KEY);
    storage::remove(COACHING_KEY);
    storage::remove(VOCABULARY_KEY);
    storage::remove(IMPORTS_KEY);
    storage::remove(IMPORTED_CALLS_KEY);
}

pub async fn calls(query: &CallQuery) -> ApiResult<Page<Call>> {
    read(|store, user| workflow::calls(store, user, query)).await
}

pub async fn call(id: u32) -> ApiResult<CallDetail> {
    let mut store = load().await?;
    require(&current_in(&store)?, Capability::BrowseCalls)?;
    // Transcripts are only read when a recorded call is opened.
    if store
        .calls
        .iter()
        .any(|c| c.id == id && c.recording.is_some())
    {
        let mut all: BTreeMap<u32, Vec<TranscriptLine>> = fetch_json("transcripts.json").await?;
        if let Some(lines) = all.remove(&id) {
            store.transcripts.insert(id, lines);
        }
    }
    decided(&store, |store, user| workflow::call_detail(store, user, id))
}

pub async fn directory() -> ApiResult<Directory> {
    read(workflow::directory).await
}

pub async fn scorecards() -> ApiResult<Vec<ScorecardSummary>> {
    read(workflow::scorecards).await
}

pub async fn scorecard(id: u32) -> ApiResult<ScorecardDetail> {
    read(|store, user| workflow::scorecard(store, user, id)).await
}

pub async fn scorecard_version(id: u32) -> ApiResult<ScorecardVersion> {
    read(|store, user| workflow::scorecard_version(store, user, id)).await
}

pub async fn create_scorecard(definition: ScorecardDefinition) -> ApiResult<ScorecardDetail> {
    change(|store, user| workflow::create_scorecard(store, user, definition, now())).await
}

pub async fn save_scorecard_draft(id: u32, save: DraftSave) -> ApiResult<ScorecardDetail> {
    change(|store, user| workflow::save_draft(store, user, id, save)).await
}

pub async fn publish_scorecard(id: u32, lock_version: u32) -> ApiResult<ScorecardDetail> {
    change(|store, user| workflow::publish(store, user, id, PublishRequest { lock_version }, now()))
        .await
}

pub async fn archive_scorecard(id: u32, archived: bool) -> ApiResult<ScorecardDetail> {
    change(|store, user| {
        workflow::set_archived(store, user, id, ArchiveRequest { archived }, now())
    })
    .await
}

pub async fn evaluation(id: u32) -> ApiResult<EvaluationDetail> {
    read_reviewed(|store, user| workflow::evaluation(store, user, id)).await
}

pub async fn users() -> ApiResult<Vec<User>> {
    read(workflow::users).await
}

pub async fn set_user_active(id: UserId, active: bool) -> ApiResult<User> {
    change(|store, user| workflow::set_user_active(store, user, id, UserPatch { active })).await
}

pub async fn edit_user(id: UserId, edit: UserEdit) -> ApiResult<User> {
    change(|store, user| workflow::edit_user(store, user, id, edit)).await
}

pub async fn create_user(new: NewUser) -> ApiResult<User> {
    change(|store, user| workflow::create_user(store, user, new)).await
}

/// Read on its own, not with the whole centre: the app asks for it when someone signs in.
pub async fn vocabulary() -> ApiResult<Vocabulary> {
    let store = MemoryStore {
        users: all_users().await?,
        vocabulary: vocabulary_book().await?,
        ..MemoryStore::default()
    };
    decided(&store, workflow::vocabulary)
}

pub async fn define_term(new: NewTerm) -> ApiResult<Term> {
    change(|store, user| workflow::define_term(store, user, new)).await
}

pub async fn edit_term(kind: TermKind, code: String, edit: TermEdit) -> ApiResult<Term> {
    change(|store, user| workflow::edit_term(store, user, kind, &code, edit)).await
}

pub async fn reset_password(id: UserId, reset: PasswordReset) -> ApiResult<()> {
    change(|store, user| workflow::reset_password(store, user, id, reset)).await
}

/// Recurring plans that fell due since the last visit run first, as the server's scheduler
/// would have run them.
async fn change_on_schedule<T>(
    decide: impl FnOnce(&mut MemoryStore, &User) -> Outcome<T>,
) -> ApiResult<T> {
    change(|store, user| {
        workflow::run_due_plans(store, now())?;
        decide(store, user)
    })
    .await
}

pub async fn plans() -> ApiResult<Vec<PlanSummary>> {
    change_on_schedule(|store, user| workflow::plans(store, user, now())).await
}

pub async fn plan(id: u32) -> ApiResult<PlanDetail> {
    read(|store, user| workflow::plan_detail(store, user, id, now())).await
}

pub async fn preview_plan(spec: PlanSpec) -> ApiResult<PlanPreview> {
    read(|store, user| workflow::preview_plan(store, user, spec, now())).await
}

pub async fn create_plan(spec: PlanSpec) -> ApiResult<PlanDetail> {
    change(|store, user| workflow::create_plan(store, user, spec, now())).await
}

pub async fn edit_plan(id: u32, edit: PlanEdit) -> ApiResult<PlanDetail> {
    change(|store, user| workflow::edit_plan(store, user, id, edit, now())).await
}

pub async fn set_plan_status(id: u32, change_to: PlanStatusChange) -> ApiResult<PlanDetail> {
    change(|store, user| workflow::set_plan_status(store, user, id, change_to, now())).await
}

pub async fn run_plan(id: u32) -> ApiResult<PlanDetail> {
    change(|store, user| workflow::run_plan(store, user, id, now())).await
}

pub async fn queue(query: QueueQuery) -> ApiResult<QueuePage> {
    change_on_schedule(|store, user| workflow::queue(store, user, query, now())).await
}

pub async fn replace_assignment(id: u32, request: ReplaceRequest) -> ApiResult<QueueItem> {
    change(|store, user| workflow::replace_assignment(store, user, id, request, now())).await
}

pub async fn reassign(id: u32, request: ReassignRequest) -> ApiResult<QueueItem> {
    change(|store, user| workflow::reassign(store, user, id, request, now())).await
}

pub async fn review_start(
    call: u32,
    scorecard: Option<u32>,
    calibration: Option<u32>,
) -> ApiResult<ReviewStart> {
    match calibration {
        Some(_) => {
            read_calibrated_drafts(|store, user| {
                workflow::review_start(store, user, call, scorecard, calibration)
            })
            .await
        }
        None => {
            read_reviewed(|store, user| workflow::review_start(store, user, call, scorecard, None))
                .await
        }
    }
}

pub async fn review_draft(call: u32, calibration: Option<u32>) -> ApiResult<ReviewDraft> {
    match calibration {
        Some(_) => {
            read_calibrated_drafts(|store, user| {
                workflow::review_draft(store, user, call, calibration)
            })
            .await
        }
        None => read_reviewed(|store, user| workflow::review_draft(store, user, call, None)).await,
    }
}

pub async fn save_review_draft(
    call: u32,
    calibration: Option<u32>,
    write: DraftWrite,
) -> ApiResult<ReviewDraft> {
    match calibration {
        Some(_) => {
            change_calibrated_drafts(|store, user| {
                workflow::save_review_draft(store, user, call, calibration, write, now())
            })
            .await
        }
        None => {
            change_reviewed(|store, user| {
                workflow::save_review_draft(store, user, call, None, write, now())
            })
            .await
        }
    }
}

pub async fn calibrations() -> ApiResult<Vec<SessionSummary>> {
    read_calibrated(|store, user| workflow::calibrations(store, user, now())).await
}

pub async fn calibration(id: u32) -> ApiResult<SessionView> {
    read_calibrated(|store, user| workflow::calibration(store, user, id, now())).await
}

pub async fn create_calibration(new: NewSession) -> ApiResult<CalibrationSession> {
    change_calibrated(|store, user| workflow::create_calibration(store, user, new, now())).await
}

pub async fn score_calibration(
    id: u32,
    submission: ScoreSubmission,
) -> ApiResult<CalibrationScore> {
    change_calibrated_drafts(|store, user| {
        workflow::submit_calibration_score(store, user, id, submission, now())
    })
    .await
}

pub async fn reveal_calibration(id: u32) -> ApiResult<SessionView> {
    change_calibrated(|store, user| workflow::reveal_calibration(store, user, id, now(), None))
        .await
}

pub async fn record_consensus(id: u32, request: ConsensusRequest) -> ApiResult<SessionView> {
    change_calibrated(|store, user| {
        workflow::record_consensus(store, user, id, request, now(), None)
    })
    .await
}

pub async fn alignment_history() -> ApiResult<Vec<AlignmentPoint>> {
    read_calibrated(workflow::alignment_history).await
}

pub async fn submit_evaluation(submission: EvaluationSubmission) -> ApiResult<EvaluationDetail> {
    change_reviewed(|store, user| workflow::submit_evaluation(store, user, submission, now())).await
}

pub async fn amend_evaluation(id: u32, amendment: Amendment) -> ApiResult<EvaluationDetail> {
    change_reviewed(|store, user| workflow::amend_evaluation(store, user, id, amendment, now()))
        .await
}

pub async fn mark_seen(id: u32) -> ApiResult<EvaluationDetail> {
    change_reviewed(|store, user| workflow::mark_seen(store, user, id, now())).await
}

pub async fn acknowledge(id: u32) -> ApiResult<EvaluationDetail> {
    change_reviewed(|store, user| workflow::acknowledge(store, user, id, now())).await
}

pub async fn feedback() -> ApiResult<Vec<FeedbackItem>> {
    read_reviewed(workflow::feedback).await
}

pub async fn raise_dispute(id: u32, request: DisputeRequest) -> ApiResult<EvaluationDetail> {
    change_reviewed(|store, user| workflow::raise_dispute(store, user, id, request, now())).await
}

pub async fn disputes(query: DisputeQuery) -> ApiResult<DisputeList> {
    read_reviewed(|store, user| workflow::disputes(store, user, query.view, query.reviewer, now()))
        .await
}

pub async fn rule_dispute(id: u32, request: RulingRequest) -> ApiResult<EvaluationDetail> {
    change_reviewed(|store, user| workflow::rule_dispute(store, user, id, request, now())).await
}

pub async fn coaching_team(days: u32) -> ApiResult<TeamView> {
    read_coached(|store, user| workflow::coaching_team(store, user, PeriodQuery { days }, now()))
        .await
}

/// An agent's coaching as their coach reads it, or (`None`) the signed-in agent's own.
pub async fn agent_coaching(agent: UserId, days: u32) -> ApiResult<AgentCoaching> {
    read_coached(|store, user| {
        workflow::agent_coaching(store, user, agent, PeriodQuery { days }, now())
    })
    .await
}

pub async fn my_coaching(days: u32) -> ApiResult<AgentCoaching> {
    read_coached(|store, user| workflow::my_coaching(store, user, PeriodQuery { days }, now()))
        .await
}

pub async fn agenda(agent: UserId, days: u32) -> ApiResult<Agenda> {
    read_coached(|store, user| workflow::agenda(store, user, agent, PeriodQuery { days }, now()))
        .await
}

pub async fn coaching_session(id: u32) -> ApiResult<CoachingView> {
    read_coached(|store, user| workflow::coaching_session(store, user, id, now())).await
}

pub async fn create_coaching_session(new: NewCoaching) -> ApiResult<CoachingView> {
    change_coached(|store, user| workflow::create_session(store, user, new, now())).await
}

pub async fn edit_coaching_session(id: u32, edit: SessionEdit) -> ApiResult<CoachingView> {
    change_coached(|store, user| workflow::edit_session(store, user, id, edit, now())).await
}

pub async fn move_coaching_session(id: u32, step: SessionMove) -> ApiResult<CoachingView> {
    change_coached(|store, user| workflow::move_session(store, user, id, step, now())).await
}

pub async fn acknowledge_coaching_session(
    id: u32,
    ack: Acknowledgement,
) -> ApiResult<CoachingView> {
    change_coached(|store, user| workflow::acknowledge_session(store, user, id, ack, now())).await
}

pub async fn coaching_effect(id: u32, weeks: u32) -> ApiResult<EffectReport> {
    read_coached(|store, user| {
        workflow::coaching_effect(store, user, id, EffectQuery { weeks }, now())
    })
    .await
}

pub async fn write_note(new: NewNote) -> ApiResult<NoteView> {
    change_coached(|store, user| workflow::write_note(store, user, new, now())).await
}

pub async fn acknowledge_note(id: u32, ack: Acknowledgement) -> ApiResult<NoteView> {
    change_coached(|store, user| workflow::acknowledge_note(store, user, id, ack, now())).await
}

pub async fn create_action(new: NewActionItem) -> ApiResult<ActionItem> {
    change_coached(|store, user| workflow::create_action(store, user, new, now())).await
}

pub async fn settle_action(id: u32, change: ActionChange) -> ApiResult<ActionItem> {
    change_coached(|store, user| workflow::settle_action(store, user, id, change, now())).await
}

/// Notices need everything a notice can be about: reviews (rulings), calibration, coaching.
async fn load_all() -> ApiResult<MemoryStore> {
    with_coaching(with_calibration(load_reviewed().await?).await?).await
}

pub async fn notices() -> ApiResult<Vec<Notice>> {
    decided(&load_all().await?, |store, user| {
        workflow::notices(store, user, now())
    })
}

pub async fn mark_notice_seen(seen: NoticeSeen) -> ApiResult<Vec<Notice>> {
    let mut store = load_all().await?;
    let outcome = changed(&mut store, |store, user| {
        workflow::mark_notice_seen(store, user, seen, now())
    })?;
    if store.coaching != *cached(&COACHING, "coaching.json").await? {
        storage::write(COACHING_KEY, &store.coaching);
    }
    Ok(outcome)
}

/// A follow-up sample is a sampling plan too: the plans are kept with the coaching.
pub async fn follow_up_sample(
    id: u32,
    request: kappa_domain::coaching::FollowUpRequest,
) -> ApiResult<CoachingView> {
    let mut store = load_coached().await?;
    let outcome = changed(&mut store, |store, user| {
        workflow::follow_up_sample(store, user, id, request, now())
    })?;
    persist(&store).await?;
    storage::write(COACHING_KEY, &store.coaching);
    Ok(outcome)
}

// ---- Imports: the file is read in this browser, through the same reading and rules as on the
// server; the calls it brings in are kept with the visitor's other changes.

/// Calls one import brings into the static demo at most: the browser's storage holds a few
/// megabytes, where the server takes any number.
pub const STATIC_IMPORT_CALLS: usize = 1_000;
/// The largest file the static demo reads.
pub const STATIC_IMPORT_BYTES: u64 = 8 << 20;
/// The most of an import's rejected rows the static demo keeps to download.
const STATIC_REJECTED_BYTES: usize = 512 << 10;
/// What the static demo's masked callers are hashed with: a browser keeps no secret, so the
/// hashes here only group one caller's calls.
const STATIC_CALLER_SALT: &str = "kappa-static-demo";

thread_local! {
    /// Files staged in this visit, by import: a page load later they are gone (choose the file
    /// again), as the browser keeps no file between visits.
    static STAGED: RefCell<BTreeMap<ImportId, std::rc::Rc<Vec<u8>>>> = const { RefCell::new(BTreeMap::new()) };
}

async fn load_imports() -> ApiResult<MemoryStore> {
    let mut store = load().await?;
    store.imports = match storage::read(IMPORTS_KEY) {
        Some(kept) => kept,
        None => fetch_json("imports.json").await?,
    };
    Ok(store)
}

/// Keeps the imports and every call that is not as shipped (new, or updated by an import).
async fn keep_imports(store: &MemoryStore) -> ApiResult<()> {
    let shipped = cached(&CALLS, "calls.json").await?;
    let shipped: BTreeMap<u32, &Call> = shipped.iter().map(|c| (c.id, c)).collect();
    let kept: Vec<&Call> = store
        .calls
        .iter()
        .filter(|c| shipped.get(&c.id) != Some(c))
        .collect();
    storage::write(IMPORTED_CALLS_KEY, &kept);
    storage::write(IMPORTS_KEY, &store.imports);
    persist(store).await
}

async fn change_imports<T>(
    decide: impl FnOnce(&mut MemoryStore, &User) -> Outcome<T>,
) -> ApiResult<T> {
    let mut store = load_imports().await?;
    let outcome = changed(&mut store, decide)?;
    keep_imports(&store).await?;
    Ok(outcome)
}

pub async fn file_imports() -> ApiResult<Vec<FileImport>> {
    decided(&load_imports().await?, workflow::file_imports)
}

pub async fn file_import(id: ImportId) -> ApiResult<FileImport> {
    decided(&load_imports().await?, |store, user| {
        workflow::file_import(store, user, id)
    })
}

pub async fn stage_import(file: &web_sys::File) -> ApiResult<FileImport> {
    if file.size() as u64 > STATIC_IMPORT_BYTES {
        return Err(ApiError::rejected(
            kappa_domain::Code::PayloadTooLarge,
            format!(
                "The static demo reads files up to {} MB.",
                STATIC_IMPORT_BYTES >> 20
            ),
        ));
    }
    // Asked before the file is read, as the server asks before the upload is.
    let store = load().await?;
    let user = current_in(&store)?;
    workflow::may_stage(&user, &file.name()).map_err(failed)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| ApiError::Network(format!("{e:?}")))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let staged = StagedFile {
        file_name: file.name(),
        sha256: kappa_import::value::file_digest(&bytes),
        size: bytes.len() as u64,
    };
    let import =
        change_imports(|store, user| workflow::stage_import(store, user, staged, now())).await?;
    STAGED.with(|s| s.borrow_mut().insert(import.id, std::rc::Rc::new(bytes)));
    Ok(import)
}

pub async fn dry_run_import(id: ImportId, request: DryRunRequest) -> ApiResult<FileImport> {
    change_imports(|store, user| workflow::begin_dry_run(store, user, id, request)).await?;
    read_staged(id).await
}

pub async fn commit_import(id: ImportId, step: ImportStep) -> ApiResult<FileImport> {
    let (import, started) =
        change_imports(|store, user| workflow::begin_commit(store, user, id, step)).await?;
    if !started {
        return Ok(import);
    }
    read_staged(id).await
}

pub async fn cancel_import(id: ImportId, step: ImportStep) -> ApiResult<FileImport> {
    let cancelled =
        change_imports(|store, user| workflow::cancel_import(store, user, id, step, now())).await?;
    STAGED.with(|s| s.borrow_mut().remove(&id));
    Ok(cancelled)
}

/// The server's import job, here at once: the staged file read through its settings, its
/// calls (the first [`STATIC_IMPORT_CALLS`]) decided in batches, the pass finished.
async fn read_staged(id: ImportId) -> ApiResult<FileImport> {
    use kappa_domain::file_import::ImportState;
    use kappa_domain::import::{CallBatch, IncomingCall, BATCH};
    use kappa_import::mapping::ReadingSettings;
    let mut store = load_imports().await?;
    let import = store
        .file_import(id)
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let Some(import) = import else {
        return Err(ApiError::NotFound);
    };
    let bytes = STAGED.with(|s| s.borrow().get(&id).cloned());
    let settings = serde_json::from_str::<ReadingSettings>(&import.reading);
    let settings = match settings {
        Ok(settings) => settings,
        Err(e) => return failed_pass(store, id, format!("reading settings: {e}")).await,
    };
    let Some(bytes) = bytes else {
        let failure = "The file was chosen in an earlier visit: choose it again.";
        return failed_pass(store, id, failure.into()).await;
    };
    let offset = chrono::Duration::minutes(store.clock.utc_offset_minutes.into());
    let centre = move |utc: chrono::NaiveDateTime| utc + offset;
    let defaults = settings.mapping.defaults.clone();
    let mut calls: Vec<IncomingCall> = Vec::new();
    let mut capped = false;
    let read = kappa_import::preset::shape_of(
        &bytes,
        settings.preset,
        settings.sheet.clone(),
        settings.encoding,
    )
    .and_then(|shape| {
        let report = kappa_import::check::check_file(
            &bytes[..],
            &shape,
            &settings.mapping,
            &centre,
            STATIC_CALLER_SALT,
            settings.zh,
            &mut |call| {
                if calls.len() == STATIC_IMPORT_CALLS {
                    capped = true;
                    return std::ops::ControlFlow::Break(());
                }
                calls.push(call.incoming(&defaults));
                std::ops::ControlFlow::Continue(())
            },
        )?;
        Ok((shape, report))
    });
    let (shape, report) = match read {
        Ok(read) => read,
        Err(refusal) => return failed_pass(store, id, refusal.describe(settings.zh)).await,
    };
    let mut tally = kappa_domain::file_import::ImportTally::default();
    for (number, chunk) in (1..).zip(calls.chunks(BATCH)) {
        let batch = CallBatch {
            source: String::new(),
            calls: chunk.to_vec(),
        };
        let decided = match import.state {
            ImportState::Checking => workflow::dry_run_batch(&store, id, batch),
            _ => workflow::commit_batch(&mut store, id, number, batch),
        };
        tally.add(decided.map_err(failed)?);
    }
    // The rejected rows stay with the import only while the browser's storage can hold them.
    let mut report = report;
    if report.rejected_csv.len() > STATIC_REJECTED_BYTES {
        report.rejected_csv.clear();
    }
    let mut file_report = kappa_import::check::kept_report(&report, &shape);
    file_report["capped_at"] = capped.then_some(STATIC_IMPORT_CALLS).into();
    let finished = match import.state {
        ImportState::Checking => workflow::finish_dry_run(&mut store, id, file_report, tally),
        _ => workflow::finish_commit(&mut store, id, file_report, now()),
    }
    .map_err(failed)?;
    if finished.state == ImportState::Committed {
        // No pass reads it again.
        STAGED.with(|s| s.borrow_mut().remove(&id));
    }
    keep_imports(&store).await?;
    Ok(finished)
}

/// A pass that could not read its file: the import failed, saying why.
async fn failed_pass(
    mut store: MemoryStore,
    id: ImportId,
    failure: String,
) -> ApiResult<FileImport> {
    let failed = workflow::fail_import(&mut store, id, failure, now()).map_err(failed)?;
    keep_imports(&store).await?;
    Ok(failed)
}
