//! Every reason Kappa says no, as one typed set of codes. The server answers with them, the
//! static demo answers with the very same values, and the SPA translates each code: nothing
//! matches loose strings.

use crate::call_query::QueryError;
use crate::evaluation::SubmissionError;
use crate::scorecard::{EditConflict, ScoreError, ValidationError};
use serde::{Deserialize, Serialize};

/// An answer lists at most this many problems (and says how many there were): enough to fix
/// a form, never an answer larger than the request.
pub const MAX_PROBLEMS: usize = 50;

/// The machine-readable code of an error answer, also the SPA's i18n key for its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    Unauthorized,
    InvalidCredentials,
    TooManyAttempts,
    Forbidden,
    CrossSite,
    NotFound,
    InvalidQuery,
    InvalidInput,
    StaleDraft,
    Archived,
    NothingToPublish,
    InvalidDocument,
    DraftVersion,
    IncompleteEvaluation,
    UnknownCriteria,
    AnswerDoesNotFit,
    ScoreNotFinite,
    CannotDeactivateSelf,
    WrongPassword,
    ResetOwnPassword,
    UsernameTaken,
    AssignmentClosed,
    NoReplacement,
    NoEligibleReviewer,
    DisputeWindowClosed,
    DisputeLimitReached,
    DisputeAlreadyOpen,
    DisputeAlreadyRuled,
    OwnReview,
    NotAScorer,
    SessionRevealed,
    AlreadyScored,
    NotRevealed,
    NotSessionLead,
    TooFewScores,
    AlreadyEvaluated,
    EmptyReviewerPool,
    ChangedSinceOpened,
    PlanArchived,
    CannotChangeOwnRole,
    OpenAssignments,
    WrongSessionState,
    WrongImportState,
    MalformedJson,
    InvalidJsonData,
    JsonContentTypeRequired,
    PayloadTooLarge,
    UnreadableBody,
    /// The request or its body took too long to arrive or to answer.
    RequestTimeout,
    InvalidPath,
    MethodNotAllowed,
    Internal,
    /// The server could not be read at all (network, unreadable answer); never sent by it.
    Unavailable,
    /// A code this build does not know (a newer server): shown with the server's own words.
    #[serde(other)]
    Unknown,
}

/// What a refusal means for the request, which the server turns into an HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Unauthorized,
    Forbidden,
    NotFound,
    /// The request is well formed but the state forbids it now (stale lock, archived, …).
    Conflict,
    /// The request itself is wrong: fields or a document break rules.
    Invalid,
}

/// Which kind of record was missing (or, for the asker, must look missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Call,
    Recording,
    Scorecard,
    ScorecardVersion,
    Evaluation,
    User,
    SamplingPlan,
    Assignment,
    ReviewDraft,
    Dispute,
    CalibrationSession,
    CoachingSession,
    CoachingNote,
    ActionItem,
    Notice,
    Term,
    Import,
}

impl Entity {
    fn name(self) -> &'static str {
        match self {
            Entity::Call => "Call",
            Entity::Recording => "Recording",
            Entity::Scorecard => "Scorecard",
            Entity::ScorecardVersion => "Scorecard version",
            Entity::Evaluation => "Evaluation",
            Entity::User => "User",
            Entity::SamplingPlan => "Sampling plan",
            Entity::Assignment => "Assignment",
            Entity::ReviewDraft => "Draft",
            Entity::Dispute => "Dispute",
            Entity::CalibrationSession => "Calibration session",
            Entity::CoachingSession => "Coaching session",
            Entity::CoachingNote => "Coaching note",
            Entity::ActionItem => "Action item",
            Entity::Notice => "Notice",
            Entity::Import => "Import",
            Entity::Term => "Queue or outcome",
        }
    }
}

/// A decision of the rules not to do what was asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("Sign in to continue.")]
    Unauthorized,
    #[error("Your role does not allow this.")]
    Forbidden,
    /// Also the answer for another user's record: no one learns what exists.
    #[error("{} not found.", .0.name())]
    NotFound(Entity),
    #[error(transparent)]
    Conflict(#[from] EditConflict),
    #[error("There is no draft to publish: every version is already published.")]
    NothingToPublish,
    #[error("{} problem(s), first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    InvalidDocument(Vec<ValidationError>),
    #[error(transparent)]
    Submission(#[from] SubmissionError),
    #[error("The scorecard gives no finite score for these answers.")]
    ScoreNotFinite,
    #[error("You cannot deactivate your own account.")]
    CannotDeactivateSelf,
    #[error("The current password is wrong.")]
    WrongPassword,
    #[error("Change your own password on your account page, with your current one.")]
    ResetOwnPassword,
    #[error("That username is taken.")]
    UsernameTaken,
    #[error("This assignment is no longer open: it was scored or replaced.")]
    AssignmentClosed,
    #[error("No other call of this stratum is left to draw in this run.")]
    NoReplacement,
    #[error("No reviewer in the pool may review agent {0}: add a reviewer or remove a conflict.")]
    NoEligibleReviewer(crate::people::UserId),
    #[error("The {days}-day window for disputing this evaluation has closed.")]
    DisputeWindowClosed { days: u32 },
    #[error("You have raised {limit} disputes in the last {days} days, the most allowed.")]
    DisputeLimitReached { limit: u32, days: u32 },
    #[error("This evaluation already has an open dispute.")]
    DisputeAlreadyOpen,
    #[error("This dispute has already been ruled on.")]
    DisputeAlreadyRuled,
    #[error("You scored this evaluation, so someone else must rule on its dispute.")]
    OwnReview,
    #[error("You are not a scorer in this calibration session.")]
    NotAScorer,
    #[error("This calibration session has been revealed: its scores are final.")]
    SessionRevealed,
    #[error("You have already submitted your score for this call in this session.")]
    AlreadyScored,
    #[error("Reveal the session before recording the consensus.")]
    NotRevealed,
    #[error("Only the lead who set up this session, or an admin, can do this.")]
    NotSessionLead,
    #[error("At least two scorers must submit before the session can be revealed.")]
    TooFewScores,
    /// A reviewer scores a call once per scorecard; a change to that score is an amendment.
    #[error("You have already evaluated this call on this scorecard (evaluation {0}).")]
    AlreadyEvaluated(u32),
    #[error("No one in this plan's reviewer pool may review calls any more: add an active reviewer to the plan.")]
    EmptyReviewerPool,
    /// A stale edit: the record moved on since the editor read it (its revision or its values).
    #[error("{} was changed by someone else since you opened it: reload to see the change.", .0.name())]
    ChangedSinceOpened(Entity),
    #[error("This sampling plan is archived: restore it before running or editing it.")]
    PlanArchived,
    #[error("You cannot change your own role: ask another administrator.")]
    CannotChangeOwnRole,
    /// A role that no longer reviews would strand the user's queue.
    #[error(
        "This user has {0} open assignment(s): reassign them before taking away the reviewer role."
    )]
    OpenAssignments(u32),
    /// A coaching session's step asked of it in a state that does not allow it.
    #[error("This coaching session is {}: that step is not open to it now.", .0.code())]
    WrongSessionState(crate::coaching::SessionState),
    /// An import's step asked of it in a state that does not allow it.
    #[error("This import is {}: that step is not open to it now.", .0.code())]
    WrongImportState(crate::file_import::ImportState),
    #[error("{} field(s) are invalid: {}", .0.len(), .0.iter().take(MAX_PROBLEMS).map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    InvalidInput(Vec<QueryError>),
}

impl From<ScoreError> for Refusal {
    fn from(e: ScoreError) -> Self {
        Refusal::Submission(SubmissionError::Answer(e))
    }
}

impl Refusal {
    pub fn code(&self) -> Code {
        match self {
            Refusal::Unauthorized => Code::Unauthorized,
            Refusal::Forbidden => Code::Forbidden,
            Refusal::NotFound(_) => Code::NotFound,
            Refusal::Conflict(EditConflict::Stale { .. }) => Code::StaleDraft,
            Refusal::Conflict(EditConflict::Archived) => Code::Archived,
            Refusal::NothingToPublish => Code::NothingToPublish,
            Refusal::InvalidDocument(_) => Code::InvalidDocument,
            Refusal::Submission(SubmissionError::DraftVersion) => Code::DraftVersion,
            Refusal::Submission(SubmissionError::Incomplete(_)) => Code::IncompleteEvaluation,
            Refusal::Submission(SubmissionError::UnknownCriteria(_)) => Code::UnknownCriteria,
            Refusal::Submission(SubmissionError::Answer(_)) => Code::AnswerDoesNotFit,
            Refusal::ScoreNotFinite => Code::ScoreNotFinite,
            Refusal::CannotDeactivateSelf => Code::CannotDeactivateSelf,
            Refusal::WrongPassword => Code::WrongPassword,
            Refusal::ResetOwnPassword => Code::ResetOwnPassword,
            Refusal::UsernameTaken => Code::UsernameTaken,
            Refusal::AssignmentClosed => Code::AssignmentClosed,
            Refusal::NoReplacement => Code::NoReplacement,
            Refusal::NoEligibleReviewer(_) => Code::NoEligibleReviewer,
            Refusal::InvalidInput(_) => Code::InvalidInput,
            Refusal::DisputeWindowClosed { .. } => Code::DisputeWindowClosed,
            Refusal::DisputeLimitReached { .. } => Code::DisputeLimitReached,
            Refusal::DisputeAlreadyOpen => Code::DisputeAlreadyOpen,
            Refusal::DisputeAlreadyRuled => Code::DisputeAlreadyRuled,
            Refusal::OwnReview => Code::OwnReview,
            Refusal::NotAScorer => Code::NotAScorer,
            Refusal::SessionRevealed => Code::SessionRevealed,
            Refusal::AlreadyScored => Code::AlreadyScored,
            Refusal::NotRevealed => Code::NotRevealed,
            Refusal::NotSessionLead => Code::NotSessionLead,
            Refusal::TooFewScores => Code::TooFewScores,
            Refusal::AlreadyEvaluated(_) => Code::AlreadyEvaluated,
            Refusal::EmptyReviewerPool => Code::EmptyReviewerPool,
            Refusal::ChangedSinceOpened(_) => Code::ChangedSinceOpened,
            Refusal::PlanArchived => Code::PlanArchived,
            Refusal::CannotChangeOwnRole => Code::CannotChangeOwnRole,
            Refusal::OpenAssignments(_) => Code::OpenAssignments,
            Refusal::WrongSessionState(_) => Code::WrongSessionState,
            Refusal::WrongImportState(_) => Code::WrongImportState,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Refusal::Unauthorized => Kind::Unauthorized,
            // Who may act is a permission, whatever the record's state.
            Refusal::Forbidden
            | Refusal::OwnReview
            | Refusal::NotAScorer
            | Refusal::NotSessionLead => Kind::Forbidden,
            Refusal::NotFound(_) => Kind::NotFound,
            Refusal::Conflict(_)
            | Refusal::NothingToPublish
            | Refusal::Submission(SubmissionError::DraftVersion)
            | Refusal::CannotDeactivateSelf
            | Refusal::ResetOwnPassword
            | Refusal::UsernameTaken
            | Refusal::AssignmentClosed
            | Refusal::NoReplacement
            | Refusal::NoEligibleReviewer(_)
            | Refusal::DisputeWindowClosed { .. }
            | Refusal::DisputeLimitReached { .. }
            | Refusal::DisputeAlreadyOpen
            | Refusal::DisputeAlreadyRuled
            | Refusal::SessionRevealed
            | Refusal::AlreadyScored
            | Refusal::NotRevealed
            | Refusal::TooFewScores
            | Refusal::AlreadyEvaluated(_)
            | Refusal::EmptyReviewerPool
            | Refusal::ChangedSinceOpened(_)
            | Refusal::PlanArchived
            | Refusal::CannotChangeOwnRole
            | Refusal::OpenAssignments(_)
            | Refusal::WrongSessionState(_)
            | Refusal::WrongImportState(_) => Kind::Conflict,
            Refusal::InvalidDocument(_)
            | Refusal::Submission(_)
            | Refusal::ScoreNotFinite
            | Refusal::WrongPassword
            | Refusal::InvalidInput(_) => Kind::Invalid,
        }
    }

    /// The body both the server and the static demo answer with.
    pub fn detail(&self) -> crate::api::ErrorDetail {
        let (fields, paths) = match self {
            Refusal::InvalidInput(fields) => (
                fields[..fields.len().min(MAX_PROBLEMS)].to_vec(),
                Vec::new(),
            ),
            Refusal::InvalidDocument(paths) => {
                (Vec::new(), paths[..paths.len().min(MAX_PROBLEMS)].to_vec())
            }
            _ => (Vec::new(), Vec::new()),
        };
        crate::api::ErrorDetail {
            code: self.code(),
            message: self.to_string(),
            fields,
            paths,
            evaluation: match self {
                Refusal::AlreadyEvaluated(id) => Some(*id),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_travel_as_snake_case_and_unknown_codes_still_read() {
        assert_eq!(
            serde_json::to_string(&Code::StaleDraft).unwrap(),
            "\"stale_draft\""
        );
        assert_eq!(
            serde_json::from_str::<Code>("\"from_a_newer_server\"").unwrap(),
            Code::Unknown
        );
        let missing = Refusal::NotFound(Entity::Evaluation);
        assert_eq!(
            (missing.code(), missing.kind(), missing.to_string().as_str()),
            (Code::NotFound, Kind::NotFound, "Evaluation not found.")
        );
    }
}
