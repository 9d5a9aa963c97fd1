//! Every state change Kappa makes, and every read whose answer depends on who asks, decided once.
//!
//! Each function authorizes the actor first, then loads what it needs from the [`Store`], then
//! decides: either a [`Change`] for the store to persist, or a typed [`Refusal`]. The server
//! runs these inside one SQLite transaction; the static demo runs them on its in-memory store.
//! Neither adds a rule of its own.

use crate::access::Capability;
use crate::api::{
    ArchiveRequest, CallDetail, Directory, NewUser, PasswordReset, PublishRequest, UserEdit,
    UserPatch, UserProfile,
};
use crate::call::{Call, CallId};
use crate::call_query::{CallQuery, Page, Problem, QueryError};
use crate::evaluation::{
    self, Evaluation, EvaluationDetail, EvaluationSubmission, EvaluationSummary,
};
use crate::people::{User, UserId};
use crate::plan::AssignmentStatus;
use crate::refusal::{Entity, Refusal};
use crate::scorecard::{
    self, DraftSave, ScorecardDefinition, ScorecardDetail, ScorecardSummary, ScorecardVersion,
};
use crate::store::{Change, Store, StoreError};
use chrono::{NaiveDateTime, Timelike};

mod calibration;
mod coaching;
mod file_import;
mod import;
mod notices;
mod review;
mod sampling;
mod vocabulary;
pub use calibration::*;
pub use coaching::*;
pub use file_import::*;
pub use import::*;
pub use notices::*;
pub use review::*;
pub use sampling::*;
pub use vocabulary::*;

/// Why a command or read did not happen: the rules said no, or the store failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<scorecard::EditConflict> for Failure {
    fn from(e: scorecard::EditConflict) -> Self {
        Failure::Refused(e.into())
    }
}

impl From<evaluation::SubmissionError> for Failure {
    fn from(e: evaluation::SubmissionError) -> Self {
        Failure::Refused(e.into())
    }
}

pub type Outcome<T> = Result<T, Failure>;

pub const MIN_PASSWORD: usize = 8;
/// Long enough for any passphrase, short enough that hashing it costs nothing extra.
pub const MAX_PASSWORD: usize = 256;
pub const MAX_USERNAME: usize = 64;
pub const MAX_DISPLAY_NAME: usize = 100;

/// The role check every command and read starts with; shells that check early call it too.
pub fn require(actor: &User, capability: Capability) -> Result<(), Refusal> {
    if actor.role.can(capability) {
        Ok(())
    } else {
        Err(Refusal::Forbidden)
    }
}

/// Instants are kept to the second in every store.
fn second(at: NaiveDateTime) -> NaiveDateTime {
    at.with_nanosecond(0).unwrap_or(at)
}

fn missing(entity: Entity) -> Failure {
    Failure::Refused(Refusal::NotFound(entity))
}

fn stored<T>(what: &str, found: Option<T>) -> Outcome<T> {
    found.ok_or_else(|| {
        Failure::Store(StoreError(format!(
            "{what} vanished while it was being changed"
        )))
    })
}

// ---- Scorecards ----

fn edits_scorecards(actor: &User) -> bool {
    actor.role.can(Capability::ManageScorecards)
}

/// The card as those who only use scorecards see it: its latest published version under that
/// version's name, nothing of a draft; `None` while nothing is published.
fn as_published(
    store: &(impl Store + ?Sized),
    mut card: ScorecardDetail,
) -> Outcome<Option<ScorecardDetail>> {
    let Some(latest) = card.versions.first() else {
        return Ok(None);
    };
    card.name = stored("published version", store.version(latest.id)?)?
        .definition
        .name;
    card.draft = None;
    // The lock counts draft saves: it would tell that a draft is being edited.
    card.lock_version = 0;
    Ok(Some(card))
}

/// Unarchived first, then by id. Reviewers see published scorecards only, under their
/// published names.
pub fn scorecards(store: &(impl Store + ?Sized), actor: &User) -> Outcome<Vec<ScorecardSummary>> {
    require(actor, Capability::ReviewCalls)?;
    let mut list = Vec::new();
    for mut summary in store.scorecards()? {
        if !edits_scorecards(actor) {
            let Some(latest) = summary.versions.first() else {
                continue;
            };
            summary.name = stored("published version", store.version(latest.id)?)?
                .definition
                .name;
            summary.has_draft = false;
        }
        list.push(summary);
    }
    list.sort_by_key(|c| (c.archived, c.id));
    Ok(list)
}

pub fn scorecard(store: &(impl Store + ?Sized), actor: &User, id: u32) -> Outcome<ScorecardDetail> {
    require(actor, Capability::ReviewCalls)?;
    let card = store.scorecard(id)?.ok_or(missing(Entity::Scorecard))?;
    if edits_scorecards(actor) {
        Ok(card)
    } else {
        as_published(store, card)?.ok_or(missing(Entity::Scorecard))
    }
}

/// Drafts are work in progress: to anyone who does not edit scorecards they do not exist.
pub fn scorecard_version(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: u32,
) -> Outcome<ScorecardVersion> {
    require(actor, Capability::ReviewCalls)?;
    match store.version(id)? {
        Some(version) if version.readable_by(actor.role) => Ok(version),
        _ => Err(missing(Entity::ScorecardVersion)),
    }
}

fn edited_card(store: &(impl Store + ?Sized), actor: &User, id: u32) -> Outcome<ScorecardDetail> {
    require(actor, Capability::ManageScorecards)?;
    store.scorecard(id)?.ok_or(missing(Entity::Scorecard))
}

fn reloaded(store: &(impl Store + ?Sized), id: u32) -> Outcome<ScorecardDetail> {
    stored("scorecard", store.scorecard(id)?)
}

/// A new scorecard is a draft like any other: it may be incomplete until it is published.
pub fn create_scorecard(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    definition: ScorecardDefinition,
    now: NaiveDateTime,
) -> Outcome<ScorecardDetail> {
    require(actor, Capability::ManageScorecards)?;
    let id = store.write(
        Some(actor.id),
        Change::ScorecardCreated {
            definition,
            version: 1,
            lock_version: 1,
            created_at: second(now),
        },
    )?;
    reloaded(store, id)
}

/// Saves the draft, or opens the next version's draft after a publish. Invalid drafts may be
/// saved (work in progress); only publishing demands a valid scorecard.
pub fn save_draft(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: u32,
    save: DraftSave,
) -> Outcome<ScorecardDetail> {
    let card = edited_card(store, actor, id)?;
    let lock_version = scorecard::check_save(card.archived, card.lock_version, save.lock_version)?;
    let version = match &card.draft {
        Some(draft) => draft.version,
        None => card.versions.first().map_or(1, |v| v.version + 1),
    };
    store.write(
        Some(actor.id),
        Change::DraftSaved {
            scorecard: id,
            version,
            lock_version,
            definition: save.definition,
        },
    )?;
    reloaded(store, id)
}

pub fn publish(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: u32,
    request: PublishRequest,
    now: NaiveDateTime,
) -> Outcome<ScorecardDetail> {
    let card = edited_card(store, actor, id)?;
    let Some(draft) = card.draft else {
        return Err(Refusal::NothingToPublish.into());
    };
    // Publishing is a save too: it must start from the latest draft.
    scorecard::check_save(card.archived, card.lock_version, request.lock_version)?;
    let problems = scorecard::validate(&draft.definition);
    if !problems.is_empty() {
        return Err(Refusal::InvalidDocument(problems).into());
    }
    store.write(
        Some(actor.id),
        Change::DraftPublished {
            scorecard: id,
            published_at: second(now),
        },
    )?;
    reloaded(store, id)
}

pub fn set_archived(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: u32,
    request: ArchiveRequest,
    now: NaiveDateTime,
) -> Outcome<ScorecardDetail> {
    edited_card(store, actor, id)?;
    store.write(
        Some(actor.id),
        Change::ArchiveSet {
            scorecard: id,
            archived_at: request.archived.then(|| second(now)),
        },
    )?;
    reloaded(store, id)
}

// ---- Calls and evaluations ----

/// Reviewers, leads and admins hear any call; an agent only their own.
pub fn call_readable_by(call: &Call, user: &User) -> bool {
    user.role.can(Capability::BrowseCalls) || call.agent_id == user.id
}

/// A call for someone who may hear it; anyone else's call answers as a missing one.
pub fn call(store: &(impl Store + ?Sized), actor: &User, id: CallId) -> Outcome<Call> {
    match store.call(id)? {
        Some(call) if call_readable_by(&call, actor) => Ok(call),
        _ => Err(missing(Entity::Call)),
    }
}

/// One page of the call library, for those who browse it.
pub fn calls(
    store: &(impl Store + ?Sized),
    actor: &User,
    query: &CallQuery,
) -> Outcome<Page<Call>> {
    require(actor, Capability::BrowseCalls)?;
    Ok(store.search_calls(query)?)
}

/// A call's page for those who browse the library: the call, its transcript, and its submitted
/// evaluations newest first, each named as the version it pinned has the card (a later draft
/// may rename it).
pub fn call_detail(store: &(impl Store + ?Sized), actor: &User, id: CallId) -> Outcome<CallDetail> {
    require(actor, Capability::BrowseCalls)?;
    let call = store.call(id)?.ok_or(missing(Entity::Call))?;
    let mut evaluations = Vec::new();
    for e in store.evaluations_of_call(id)? {
        let version = stored("pinned version", store.version(e.scorecard_version_id)?)?;
        evaluations.push(EvaluationSummary {
            id: e.id,
            scorecard_id: version.scorecard_id,
            mine: e.reviewer_id == actor.id,
            scorecard_name: version.definition.name,
            version: version.version,
            reviewer: display_name(store, e.reviewer_id)?,
            submitted_at: e.submitted_at,
            score: e.score,
            passed: e.passed,
        });
    }
    evaluations.sort_by_key(|e| std::cmp::Reverse((e.submitted_at, e.id)));
    Ok(CallDetail {
        transcript: store.transcript(id)?,
        call,
        evaluations,
    })
}

/// Teams and people, for filters and pickers.
pub fn directory(store: &(impl Store + ?Sized), actor: &User) -> Outcome<Directory> {
    require(actor, Capability::ListPeople)?;
    Ok(Directory {
        teams: store.teams()?,
        users: store.users()?,
    })
}

fn display_name(store: &(impl Store + ?Sized), id: UserId) -> Outcome<String> {
    Ok(store.user(id)?.map(|u| u.display_name).unwrap_or_default())
}

/// An evaluation with everything its page shows. Another agent's evaluation answers exactly as
/// a missing one.
pub fn evaluation(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: u32,
) -> Outcome<EvaluationDetail> {
    let evaluation = match store.evaluation(id)? {
        Some(e) if e.readable_by(actor) => e,
        _ => return Err(missing(Entity::Evaluation)),
    };
    let version = stored(
        "pinned version",
        store.version(evaluation.scorecard_version_id)?,
    )?;
    let call = stored("evaluated call", store.call(evaluation.call_id)?)?;
    let (agent, reviewer) = (
        display_name(store, evaluation.agent_id)?,
        display_name(store, evaluation.reviewer_id)?,
    );
    let mut history = Vec::new();
    for event in store.history(id)? {
        let actor = display_name(store, event.actor_id)?;
        history.push(crate::review::HistoryLine { event, actor });
    }
    let mut disputes = store.disputes(Some(id), None)?;
    disputes.sort_by_key(|d| std::cmp::Reverse(d.id));
    let dispute_until = store.dispute_policy()?.closes(evaluation.submitted_at);
    Ok(EvaluationDetail {
        evaluation,
        version,
        call,
        agent,
        reviewer,
        history,
        disputes,
        dispute_until,
    })
}

/// Scores a call on the server's terms: a published version of a live scorecard, every
/// criterion answered, a finite score.
pub fn submit_evaluation(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    submission: EvaluationSubmission,
    now: NaiveDateTime,
) -> Outcome<EvaluationDetail> {
    require(actor, Capability::ReviewCalls)?;
    let call = store
        .call(submission.call_id)?
        .ok_or(missing(Entity::Call))?;
    let version = match store.version(submission.scorecard_version_id)? {
        // A reviewer cannot even learn that a draft exists; an editor is told why not.
        Some(v) if v.published || edits_scorecards(actor) => v,
        _ => return Err(missing(Entity::ScorecardVersion)),
    };
    let card = stored("scorecard", store.scorecard(version.scorecard_id)?)?;
    if card.archived {
        return Err(scorecard::EditConflict::Archived.into());
    }
    let mut content = crate::review::ReviewContent {
        answers: submission.answers,
        notes: submission.notes,
        feedback: submission.feedback,
    };
    if let Some(earlier) = earlier_evaluation(store, actor, call.id, card.id)? {
        // The same submission again (a retry after a lost answer, a second tab sending the same
        // draft) is answered with what it made; anything else would be a second score.
        let repeat = earlier.draft_revision == submission.draft_revision
            && earlier.scorecard_version_id == version.id
            && review::checked_content(&version, call.duration_s, &mut content).is_ok()
            && content.answers == earlier.answers
            && content.notes == earlier.notes
            && content.feedback.trim() == earlier.feedback;
        return if repeat {
            evaluation(store, actor, earlier.id)
        } else {
            Err(Refusal::AlreadyEvaluated(earlier.id).into())
        };
    }
    review::checked_content(&version, call.duration_s, &mut content)?;
    let explanation = evaluation::grade(&version, &content.answers)?;
    if !explanation.score.is_finite() {
        return Err(Refusal::ScoreNotFinite.into());
    }
    let draft = store.review_draft(actor.id, call.id, None)?;
    let graded = Evaluation {
        id: 0,
        call_id: call.id,
        scorecard_version_id: version.id,
        reviewer_id: actor.id,
        agent_id: call.agent_id,
        submitted_at: second(now),
        answers: content.answers,
        score: explanation.score,
        passed: explanation.passed,
        notes: content.notes,
        feedback: content.feedback.trim().to_string(),
        seen_at: None,
        acknowledged_at: None,
        draft_revision: submission.draft_revision,
        started_at: draft.as_ref().and_then(|d| d.started_at),
    };
    let id = store.write(Some(actor.id), Change::EvaluationSubmitted(graded))?;
    sampling::close_assignment(store, actor.id, call.id, id)?;
    if draft.is_some() {
        store.write(
            Some(actor.id),
            Change::ReviewDraftCleared {
                reviewer: actor.id,
                call: call.id,
                calibration: None,
            },
        )?;
    }
    evaluation(store, actor, id)
}

/// The reviewer's submitted evaluation of the call on this scorecard (any of its versions):
/// there is at most one.
fn earlier_evaluation(
    store: &(impl Store + ?Sized),
    actor: &User,
    call: CallId,
    scorecard: u32,
) -> Outcome<Option<Evaluation>> {
    for e in store.evaluations_of_call(call)? {
        if e.reviewer_id == actor.id
            && stored("pinned version", store.version(e.scorecard_version_id)?)?.scorecard_id
                == scorecard
        {
            return Ok(Some(e));
        }
    }
    Ok(None)
}

// ---- People ----

pub fn users(store: &(impl Store + ?Sized), actor: &User) -> Outcome<Vec<User>> {
    require(actor, Capability::ManageUsers)?;
    let mut users = store.users()?;
    users.sort_by_key(|u| u.id);
    Ok(users)
}

fn reloaded_user(store: &(impl Store + ?Sized), id: UserId) -> Outcome<User> {
    stored("user", store.user(id)?)
}

pub fn set_user_active(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: UserId,
    patch: UserPatch,
) -> Outcome<User> {
    require(actor, Capability::ManageUsers)?;
    if actor.id == id && !patch.active {
        return Err(Refusal::CannotDeactivateSelf.into());
    }
    store.user(id)?.ok_or(missing(Entity::User))?;
    store.write(
        Some(actor.id),
        Change::UserActiveSet {
            user: id,
            active: patch.active,
        },
    )?;
    reloaded_user(store, id)
}

/// Changes an account's display name, role or team. The administrator's own role stays (no
/// one locks the last admin out by a slip), and a role that no longer reviews is refused while
/// the user still has open assignments, which would otherwise wait in a queue no one can work.
pub fn edit_user(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: UserId,
    edit: UserEdit,
) -> Outcome<User> {
    require(actor, Capability::ManageUsers)?;
    let user = store.user(id)?.ok_or(missing(Entity::User))?;
    let current = UserProfile::of(&user);
    let mut profile = edit.profile;
    profile.display_name = profile.display_name.trim().to_string();
    profile.agent_code = agent_code_of(profile.agent_code);
    if current == profile {
        // Already so: a repeated edit, or one that changes nothing.
        return Ok(user);
    }
    if current != edit.expected {
        return Err(Refusal::ChangedSinceOpened(Entity::User).into());
    }
    let mut problems = Vec::new();
    if let Some(problem) = display_name_problem(&profile.display_name) {
        problems.push(QueryError::new(
            "display_name",
            echo(&profile.display_name),
            problem,
        ));
    }
    if let Some(team) = profile.team_id {
        if store.team(team)?.is_none() {
            problems.push(QueryError::new(
                "team_id",
                team.to_string(),
                Problem::NoSuchTeam,
            ));
        }
    }
    problems.extend(agent_code_problems(
        store,
        profile.agent_code.as_deref(),
        Some(id),
    )?);
    if !problems.is_empty() {
        return Err(Refusal::InvalidInput(problems).into());
    }
    if profile.role != current.role {
        if actor.id == id {
            return Err(Refusal::CannotChangeOwnRole.into());
        }
        if !profile.role.can(Capability::ReviewCalls) {
            let open: u32 = store
                .tally(None, Some(id))?
                .iter()
                .filter(|(_, status, _, _)| *status == AssignmentStatus::Open)
                .map(|(_, _, _, n)| n)
                .sum();
            if open > 0 {
                return Err(Refusal::OpenAssignments(open).into());
            }
        }
    }
    store.write(Some(actor.id), Change::UserEdited { user: id, profile })?;
    reloaded_user(store, id)
}

fn display_name_problem(name: &str) -> Option<Problem> {
    (!(1..=MAX_DISPLAY_NAME).contains(&crate::people::shown_length(name))).then_some(
        Problem::Length {
            min: 1,
            max: MAX_DISPLAY_NAME as u32,
        },
    )
}

/// At most this much of a refused value is echoed back: enough to recognise it.
const ECHO: usize = 64;

fn echo(value: &str) -> String {
    value.chars().take(ECHO).collect()
}

fn password_problem(password: &str) -> Option<QueryError> {
    let length = password.chars().count();
    // The password itself is never echoed back.
    (!(MIN_PASSWORD..=MAX_PASSWORD).contains(&length)).then(|| {
        QueryError::new(
            "password",
            "",
            Problem::Length {
                min: MIN_PASSWORD as u32,
                max: MAX_PASSWORD as u32,
            },
        )
    })
}

fn check_password(password: &str) -> Result<(), Refusal> {
    password_problem(password).map_or(Ok(()), |p| Err(Refusal::InvalidInput(vec![p])))
}

/// A username is what people type to sign in: plain letters, digits, `.`, `_` and `-`.
pub fn username_problem(username: &str) -> Option<Problem> {
    plain_key_problem(username, 2, MAX_USERNAME)
}

/// A key people type or a platform exports (a username, an agent code): plain letters, digits,
/// `.`, `_` and `-`, within a length.
fn plain_key_problem(key: &str, min: usize, max: usize) -> Option<Problem> {
    if !(min..=max).contains(&key.chars().count()) {
        Some(Problem::Length {
            min: min as u32,
            max: max as u32,
        })
    } else if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        Some(Problem::Characters {
            allowed: "a-z A-Z 0-9 . _ -".into(),
        })
    } else {
        None
    }
}

/// Longest agent code: platforms' codes are short (`1001`, `CS-0042`).
pub const MAX_AGENT_CODE: usize = 32;

/// An agent code as kept: trimmed, and none when blank.
pub fn agent_code_of(code: Option<String>) -> Option<String> {
    code.map(|c| c.trim().to_string()).filter(|c| !c.is_empty())
}

/// What is wrong with an agent code: its length, its characters (those of a username), or
/// another account holding it.
fn agent_code_problems(
    store: &(impl Store + ?Sized),
    code: Option<&str>,
    holder: Option<UserId>,
) -> Outcome<Vec<QueryError>> {
    let Some(code) = code else {
        return Ok(Vec::new());
    };
    let problem = match plain_key_problem(code, 1, MAX_AGENT_CODE) {
        Some(problem) => Some(problem),
        None => match store.agent_code_owner(code)? {
            Some(owner) if Some(owner) != holder => Some(Problem::Taken),
            _ => None,
        },
    };
    Ok(problem
        .map(|p| QueryError::new("agent_code", echo(code), p))
        .into_iter()
        .collect())
}

fn decide_new_user(store: &(impl Store + ?Sized), mut new: NewUser) -> Outcome<Change> {
    new.agent_code = agent_code_of(new.agent_code);
    let mut problems = Vec::new();
    if let Some(problem) = username_problem(&new.username) {
        problems.push(QueryError::new("username", echo(&new.username), problem));
    }
    if let Some(problem) = display_name_problem(&new.display_name) {
        problems.push(QueryError::new(
            "display_name",
            echo(&new.display_name),
            problem,
        ));
    }
    if let Some(team) = new.team_id {
        if store.team(team)?.is_none() {
            problems.push(QueryError::new(
                "team_id",
                team.to_string(),
                Problem::NoSuchTeam,
            ));
        }
    }
    problems.extend(agent_code_problems(store, new.agent_code.as_deref(), None)?);
    problems.extend(password_problem(&new.password));
    if !problems.is_empty() {
        return Err(Refusal::InvalidInput(problems).into());
    }
    if store.username_taken(&new.username)? {
        return Err(Refusal::UsernameTaken.into());
    }
    let user = User {
        id: 0,
        username: new.username,
        display_name: new.display_name.trim().to_string(),
        role: new.role,
        team_id: new.team_id,
        active: true,
        agent_code: new.agent_code,
    };
    Ok(Change::UserCreated {
        user,
        password: new.password,
    })
}

pub fn create_user(store: &mut (impl Store + ?Sized), actor: &User, new: NewUser) -> Outcome<User> {
    require(actor, Capability::ManageUsers)?;
    let change = decide_new_user(store, new)?;
    let id = store.write(Some(actor.id), change)?;
    reloaded_user(store, id)
}

/// The operator at the server's console (`kappa-server create-admin`): the first administrator
/// of a new installation, or a way back in for one that lost every admin password.
pub fn create_user_as_operator(store: &mut (impl Store + ?Sized), new: NewUser) -> Outcome<User> {
    let change = decide_new_user(store, new)?;
    let id = store.write(None, change)?;
    reloaded_user(store, id)
}

/// Setting someone else's password; one's own is changed with the current one, and without
/// ending the session one is using.
pub fn reset_password(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: UserId,
    reset: PasswordReset,
) -> Outcome<()> {
    require(actor, Capability::ManageUsers)?;
    if actor.id == id {
        return Err(Refusal::ResetOwnPassword.into());
    }
    store.user(id)?.ok_or(missing(Entity::User))?;
    check_password(&reset.password)?;
    store.write(
        Some(actor.id),
        Change::PasswordSet {
            user: id,
            password: reset.password,
        },
    )?;
    Ok(())
}

/// Anyone may change their own password. Checking the current one is the store's crypto, done
/// before this is called; the rules decide what follows from the answer.
pub fn change_own_password(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    current_matches: bool,
    password: String,
) -> Outcome<()> {
    if !current_matches {
        return Err(Refusal::WrongPassword.into());
    }
    check_password(&password)?;
    store.write(
        Some(actor.id),
        Change::PasswordSet {
            user: actor.id,
            password,
        },
    )?;
    Ok(())
}
