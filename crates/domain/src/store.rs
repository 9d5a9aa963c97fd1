//! The boundary between the rules and where data lives. A store answers lookups and persists the
//! changes the rules decided, nothing more: `workflow` decides, a store never does. The server
//! implements it over SQLite, the static demo uses [`MemoryStore`] in the browser, and the
//! scenario suite runs the same scripts against both.

use crate::calibration::{
    CalibrationId, CalibrationScore, CalibrationSession, Consensus, SessionReport,
};
use crate::call::{Call, CallId, TranscriptLine};
use crate::call_query::{CallQuery, Page};
use crate::coaching::{
    ActionItem, ActionItemId, ActionState, CoachingNote, CoachingSession, CoachingSessionId,
    CriterionRef, NoteId, SessionState,
};
use crate::evaluation::Evaluation;
use crate::file_import::{FileImport, ImportId, ImportState};
use crate::people::{Team, TeamId, User, UserId};
use crate::plan::{Assignment, AssignmentFilter, AssignmentStatus, PlanRun, SamplingPlan, Tally};
use crate::progress::ScoredCall;
use crate::review::{
    Dispute, DisputeId, DisputePolicy, ReviewContent, ReviewDraft, Ruling, ScoreEvent,
};
use crate::sampling::{AssignmentId, PlanId, RunId};
use crate::scorecard::Answers;
use crate::scorecard::{
    Draft, PublishedVersion, ScorecardDefinition, ScorecardDetail, ScorecardSummary,
    ScorecardVersion,
};
use crate::scorecard_library::ScorecardLibrary;
use chrono::NaiveDateTime;
use std::collections::HashSet;
use std::sync::Arc;

/// The store could not load or persist (a broken file, a full disk): never a rule's answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("storage: {0}")]
pub struct StoreError(pub String);

pub type Loaded<T> = Result<T, StoreError>;

pub trait Store {
    fn user(&self, id: UserId) -> Loaded<Option<User>>;
    fn users(&self) -> Loaded<Vec<User>>;
    /// Usernames are unique regardless of case.
    fn username_taken(&self, username: &str) -> Loaded<bool>;
    /// Who has an agent code, regardless of case.
    fn agent_code_owner(&self, code: &str) -> Loaded<Option<UserId>>;
    fn team(&self, id: TeamId) -> Loaded<Option<Team>>;
    /// Every team, by id.
    fn teams(&self) -> Loaded<Vec<Team>>;
    fn call(&self, id: CallId) -> Loaded<Option<Call>>;
    /// How many calls the library holds.
    fn call_count(&self) -> Loaded<u64>;
    /// One page of the calls `query` selects, in its order, with how many it selects in all.
    fn search_calls(&self, query: &CallQuery) -> Loaded<Page<Call>>;
    /// A call's transcript in order; empty when it has none.
    fn transcript(&self, call: CallId) -> Loaded<Vec<TranscriptLine>>;
    /// The calls of `ids` that exist, in any order: a page's calls in one read.
    fn calls(&self, ids: &[CallId]) -> Loaded<Vec<Call>>;
    fn scorecard(&self, id: u32) -> Loaded<Option<ScorecardDetail>>;
    /// Every scorecard in any order, each counting the submitted evaluations of its versions.
    fn scorecards(&self) -> Loaded<Vec<ScorecardSummary>>;
    /// A version by row id, published or the open draft.
    fn version(&self, id: u32) -> Loaded<Option<ScorecardVersion>>;
    fn evaluation(&self, id: u32) -> Loaded<Option<Evaluation>>;
    /// `(id, score, passed)` of each submitted evaluation of `ids`, in any order: a page's
    /// scores in one read.
    fn scores(&self, ids: &[u32]) -> Loaded<Vec<(u32, f64, bool)>>;
    /// Submitted evaluations since an instant, per agent: (agent, passed, evaluated).
    fn pass_counts(&self, since: NaiveDateTime) -> Loaded<Vec<(UserId, u32, u32)>>;
    /// Calls the filters of `query` match (its sort and paging do not apply), one at a time:
    /// a store may stream them and must not hold them all.
    fn scan_calls(&self, query: &CallQuery, each: &mut dyn FnMut(&Call)) -> Loaded<()>;
    /// Calls with at least one submitted evaluation.
    fn evaluated_calls(&self) -> Loaded<HashSet<CallId>>;
    /// Calls waiting in an open assignment of any plan.
    fn assigned_calls(&self) -> Loaded<HashSet<CallId>>;
    fn plans(&self) -> Loaded<Vec<SamplingPlan>>;
    fn plan(&self, id: PlanId) -> Loaded<Option<SamplingPlan>>;
    /// A plan's runs, in any order.
    fn runs(&self, plan: PlanId) -> Loaded<Vec<PlanRun>>;
    fn run(&self, id: RunId) -> Loaded<Option<PlanRun>>;
    fn assignment(&self, id: AssignmentId) -> Loaded<Option<Assignment>>;
    /// One page of the assignments the filter selects, by due date then id, and how many it
    /// selects in all.
    fn assignments(
        &self,
        filter: &AssignmentFilter,
        offset: u32,
        limit: u32,
    ) -> Loaded<(Vec<Assignment>, u32)>;
    /// Assignments counted by reviewer, status and due date.
    fn tally(&self, plan: Option<PlanId>, reviewer: Option<UserId>) -> Loaded<Tally>;
    /// A reviewer's draft of a call, for their own review or for a calibration session.
    fn review_draft(
        &self,
        reviewer: UserId,
        call: CallId,
        calibration: Option<CalibrationId>,
    ) -> Loaded<Option<ReviewDraft>>;
    /// An evaluation's score history, oldest first.
    fn history(&self, evaluation: u32) -> Loaded<Vec<ScoreEvent>>;
    /// An agent's submitted evaluations, in any order.
    fn evaluations_of_agent(&self, agent: UserId) -> Loaded<Vec<Evaluation>>;
    /// A call's submitted evaluations, in any order.
    fn evaluations_of_call(&self, call: CallId) -> Loaded<Vec<Evaluation>>;
    fn dispute(&self, id: DisputeId) -> Loaded<Option<Dispute>>;
    /// Disputes of one evaluation, of one agent, or all, in any order.
    fn disputes(&self, evaluation: Option<u32>, agent: Option<UserId>) -> Loaded<Vec<Dispute>>;
    /// How disputes are allowed here.
    fn dispute_policy(&self) -> Loaded<DisputePolicy>;
    /// The centre's clock at a UTC instant: its zone's offset then, and where its week begins.
    fn clock(&self, at: NaiveDateTime) -> Loaded<crate::time::CentreClock>;
    fn calibration_session(&self, id: CalibrationId) -> Loaded<Option<CalibrationSession>>;
    /// Every calibration session, in any order.
    fn calibration_sessions(&self) -> Loaded<Vec<CalibrationSession>>;
    /// A session's submitted scores, in any order.
    fn calibration_scores(&self, session: CalibrationId) -> Loaded<Vec<CalibrationScore>>;
    /// The report stored when the session was revealed or its consensus last recorded.
    fn calibration_report(&self, session: CalibrationId) -> Loaded<Option<SessionReport>>;
    /// Submitted evaluations of calls taken at or after `since` (the centre's local time), of
    /// `agents` or of every agent: what progress is computed from, without answers.
    fn scored_calls(
        &self,
        agents: Option<&[UserId]>,
        since: NaiveDateTime,
    ) -> Loaded<Vec<ScoredCall>>;
    /// The answers of each submitted evaluation of `ids`, in any order.
    fn answers_of(&self, ids: &[u32]) -> Loaded<Vec<(u32, Answers)>>;
    fn coaching_session(&self, id: CoachingSessionId) -> Loaded<Option<CoachingSession>>;
    /// Coaching sessions of some agents, or of all, in any order.
    fn coaching_sessions(&self, agents: Option<&[UserId]>) -> Loaded<Vec<CoachingSession>>;
    fn coaching_note(&self, id: NoteId) -> Loaded<Option<CoachingNote>>;
    /// Coaching notes of some agents, or of all, in any order.
    fn coaching_notes(&self, agents: Option<&[UserId]>) -> Loaded<Vec<CoachingNote>>;
    fn action_item(&self, id: ActionItemId) -> Loaded<Option<ActionItem>>;
    /// Action items of some agents, or of all, in any order.
    fn action_items(&self, agents: Option<&[UserId]>) -> Loaded<Vec<ActionItem>>;
    /// `(agent, submitted)` of each submitted evaluation of `agents` the agent has not yet
    /// acknowledged, in any order.
    fn unacknowledged(&self, agents: &[UserId]) -> Loaded<Vec<(UserId, NaiveDateTime)>>;
    /// The notices `user` has marked seen.
    /// The calls of `source` with these ids there (those it has).
    fn calls_by_origin(&self, source: &str, external_ids: &[String]) -> Loaded<Vec<Call>>;
    /// Every queue and outcome of the centre, in definition order.
    fn vocabulary(&self) -> Loaded<crate::vocabulary::Vocabulary>;
    fn seen_marks(&self, user: UserId) -> Loaded<Vec<(crate::notices::NoticeKind, u32)>>;
    fn file_import(&self, id: ImportId) -> Loaded<Option<FileImport>>;
    /// The newest `limit` imports, of `by` only when given.
    fn file_imports(&self, by: Option<UserId>, limit: usize) -> Loaded<Vec<FileImport>>;
    /// Persists one decided change with its audit entry; answers the id of the record it
    /// created or changed.
    fn write(&mut self, actor: Option<UserId>, change: Change) -> Loaded<u32>;
}

/// A state change as the rules decided it: every value a store writes is in here.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A new card with its first draft.
    ScorecardCreated {
        definition: ScorecardDefinition,
        version: u32,
        lock_version: u32,
        created_at: NaiveDateTime,
    },
    /// Writes the card's one open draft, or opens it as `version` when there is none.
    DraftSaved {
        scorecard: u32,
        version: u32,
        lock_version: u32,
        definition: ScorecardDefinition,
    },
    /// Freezes the open draft for ever.
    DraftPublished {
        scorecard: u32,
        published_at: NaiveDateTime,
    },
    ArchiveSet {
        scorecard: u32,
        archived_at: Option<NaiveDateTime>,
    },
    /// A graded evaluation; its `id` is the store's to give.
    EvaluationSubmitted(Evaluation),
    /// A new account (its `id` is the store's to give) and its first password.
    UserCreated {
        user: User,
        password: String,
    },
    /// Deactivating also ends the user's sessions, where a store keeps any.
    UserActiveSet {
        user: UserId,
        active: bool,
    },
    /// Also ends the user's sessions, where a store keeps any.
    PasswordSet {
        user: UserId,
        password: String,
    },
    UserEdited {
        user: UserId,
        profile: crate::api::UserProfile,
    },
    /// A new plan; its `id` is the store's to give.
    PlanCreated(SamplingPlan),
    /// The plan's spec for its next runs, at its new revision.
    PlanEdited {
        id: PlanId,
        spec: crate::plan::PlanSpec,
        revision: u32,
    },
    PlanStatusSet {
        id: PlanId,
        status: crate::plan::PlanStatus,
        revision: u32,
    },
    /// A run and the assignments it made; the store gives the run and each assignment its id.
    RunCommitted {
        run: PlanRun,
        assignments: Vec<Assignment>,
    },
    /// The assignment is set aside with a reason and `replacement` (id the store's) takes its place.
    AssignmentReplaced {
        id: AssignmentId,
        reason: String,
        replacement: Assignment,
    },
    AssignmentReassigned {
        id: AssignmentId,
        reviewer: UserId,
    },
    /// The assignee scored the call.
    AssignmentDone {
        id: AssignmentId,
        evaluation: u32,
    },
    /// Writes the reviewer's draft of the call, replacing the one before.
    ReviewDraftSaved(ReviewDraft),
    ReviewDraftCleared {
        reviewer: UserId,
        call: CallId,
        calibration: Option<CalibrationId>,
    },
    /// New answers and score for a submitted evaluation, and the history line saying why.
    EvaluationAmended {
        id: u32,
        content: ReviewContent,
        score: f64,
        passed: bool,
        event: ScoreEvent,
    },
    EvaluationSeen {
        id: u32,
        at: NaiveDateTime,
    },
    EvaluationAcknowledged {
        id: u32,
        at: NaiveDateTime,
    },
    /// A new dispute; its `id` is the store's to give.
    DisputeRaised(Dispute),
    DisputeRuled {
        id: DisputeId,
        ruling: Ruling,
    },
    /// A new calibration session; its `id` is the store's to give.
    CalibrationCreated(CalibrationSession),
    CalibrationScored(CalibrationScore),
    /// Reveals the session with its report, computed once here: scores are final from now on.
    CalibrationRevealed {
        id: CalibrationId,
        at: NaiveDateTime,
        report: Box<SessionReport>,
    },
    /// Sets (or replaces) the session's consensus, and the report measured against it.
    ConsensusRecorded {
        id: CalibrationId,
        consensus: Consensus,
        report: Box<SessionReport>,
    },
    /// A new coaching session; its `id` is the store's to give.
    CoachingSessionCreated(CoachingSession),
    /// A draft or scheduled session's new content, at its new revision.
    CoachingSessionEdited {
        id: CoachingSessionId,
        focus: Vec<CriterionRef>,
        evaluation_ids: Vec<u32>,
        scheduled_for: Option<NaiveDateTime>,
        summary: String,
        revision: u32,
    },
    /// The coach's step: held (`delivered_at`), closed (`closed_at`), or into or out of the
    /// calendar.
    CoachingSessionMoved {
        id: CoachingSessionId,
        state: SessionState,
        at: NaiveDateTime,
        revision: u32,
    },
    CoachingSessionAcknowledged {
        id: CoachingSessionId,
        at: NaiveDateTime,
        comment: String,
        revision: u32,
    },
    /// A new note; its `id` is the store's to give.
    CoachingNoteWritten(CoachingNote),
    CoachingNoteAcknowledged {
        id: NoteId,
        at: NaiveDateTime,
        comment: String,
    },
    /// A new action item; its `id` is the store's to give.
    ActionItemCreated(ActionItem),
    NoticeSeen(crate::notices::SeenMark),
    /// The session's follow-up sample: the plan drawing the agent's calls since.
    CoachingFollowUpSet {
        id: CoachingSessionId,
        plan: PlanId,
        revision: u32,
    },
    /// A batch of imported calls: new ones (their ids the store's to give) and updated ones.
    CallsImported {
        source: String,
        new: Vec<Call>,
        updated: Vec<Call>,
    },
    /// A new import (its `id` the store's to give) or an import's next step, whole.
    ImportSaved(FileImport),
    /// A running import's progress, whole: not audited (the steps are).
    ImportProgressed(FileImport),
    /// A new queue or outcome of the centre.
    TermDefined(crate::vocabulary::Term),
    /// A term's new names or state, at its new revision; its calls follow (they keep the code).
    TermEdited {
        kind: crate::vocabulary::TermKind,
        code: String,
        name: crate::people::LocalizedText,
        active: bool,
        revision: u32,
    },
    /// Done, dropped with a reason, or open again (`at` then `None`).
    ActionItemSettled {
        id: ActionItemId,
        state: ActionState,
        reason: String,
        at: Option<NaiveDateTime>,
    },
}

impl Change {
    /// The audit log's name for the change.
    pub fn action(&self) -> &'static str {
        match self {
            Change::ScorecardCreated { .. } => "scorecard_created",
            Change::DraftSaved { .. } => "scorecard_draft_saved",
            Change::DraftPublished { .. } => "scorecard_published",
            Change::ArchiveSet {
                archived_at: Some(_),
                ..
            } => "scorecard_archived",
            Change::ArchiveSet {
                archived_at: None, ..
            } => "scorecard_restored",
            Change::EvaluationSubmitted(_) => "evaluation_submitted",
            Change::UserCreated { .. } => "user_created",
            Change::UserActiveSet { active: true, .. } => "user_activated",
            Change::UserActiveSet { active: false, .. } => "user_deactivated",
            Change::PasswordSet { .. } => "password_set",
            Change::UserEdited { .. } => "user_edited",
            Change::PlanCreated(_) => "plan_created",
            Change::PlanEdited { .. } => "plan_edited",
            Change::PlanStatusSet { status, .. } => match status {
                crate::plan::PlanStatus::Active => "plan_activated",
                crate::plan::PlanStatus::Paused => "plan_paused",
                crate::plan::PlanStatus::Archived => "plan_archived",
            },
            Change::RunCommitted { .. } => "plan_run",
            Change::AssignmentReplaced { .. } => "assignment_replaced",
            Change::AssignmentReassigned { .. } => "assignment_reassigned",
            Change::AssignmentDone { .. } => "assignment_done",
            Change::ReviewDraftSaved(_) => "review_draft_saved",
            Change::ReviewDraftCleared { .. } => "review_draft_cleared",
            Change::EvaluationAmended { .. } => "evaluation_amended",
            Change::EvaluationSeen { .. } => "evaluation_seen",
            Change::EvaluationAcknowledged { .. } => "evaluation_acknowledged",
            Change::DisputeRaised(_) => "dispute_raised",
            Change::DisputeRuled { .. } => "dispute_ruled",
            Change::CalibrationCreated(_) => "calibration_created",
            Change::CalibrationScored(_) => "calibration_scored",
            Change::CalibrationRevealed { .. } => "calibration_revealed",
            Change::ConsensusRecorded { .. } => "consensus_recorded",
            Change::CoachingSessionCreated(_) => "coaching_session_created",
            Change::CoachingSessionEdited { .. } => "coaching_session_edited",
            Change::CoachingSessionMoved { state, .. } => match state {
                SessionState::Draft => "coaching_session_unscheduled",
                SessionState::Scheduled => "coaching_session_scheduled",
                SessionState::Delivered => "coaching_session_delivered",
                SessionState::Acknowledged => "coaching_session_acknowledged",
                SessionState::Closed => "coaching_session_closed",
            },
            Change::CoachingSessionAcknowledged { .. } => "coaching_session_acknowledged",
            Change::CoachingNoteWritten(_) => "coaching_note_written",
            Change::CoachingNoteAcknowledged { .. } => "coaching_note_acknowledged",
            Change::ActionItemCreated(_) => "action_item_created",
            Change::NoticeSeen(_) => "notice_seen",
            Change::CallsImported { .. } => "calls_imported",
            Change::ImportSaved(i) => match i.state {
                ImportState::Staged => "import_staged",
                ImportState::Checking => "import_dry_run_started",
                ImportState::Checked => "import_dry_run_done",
                ImportState::Committing => "import_commit_started",
                ImportState::Committed => "import_committed",
                ImportState::Cancelled => "import_cancelled",
                ImportState::Failed => "import_failed",
            },
            Change::ImportProgressed(_) => "import_progressed",
            Change::TermDefined(_) => "term_defined",
            Change::TermEdited { .. } => "term_edited",
            Change::CoachingFollowUpSet { .. } => "coaching_follow_up_sampled",
            Change::ActionItemSettled { state, .. } => match state {
                ActionState::Open => "action_item_reopened",
                ActionState::Done => "action_item_done",
                ActionState::Dropped => "action_item_dropped",
            },
        }
    }

    pub fn entity(&self) -> &'static str {
        match self {
            Change::ScorecardCreated { .. }
            | Change::DraftSaved { .. }
            | Change::DraftPublished { .. }
            | Change::ArchiveSet { .. } => "scorecard",
            Change::EvaluationSubmitted(_)
            | Change::EvaluationAmended { .. }
            | Change::EvaluationSeen { .. }
            | Change::EvaluationAcknowledged { .. } => "evaluation",
            Change::ReviewDraftSaved(_) | Change::ReviewDraftCleared { .. } => "review_draft",
            Change::DisputeRaised(_) | Change::DisputeRuled { .. } => "dispute",
            Change::UserCreated { .. }
            | Change::UserActiveSet { .. }
            | Change::UserEdited { .. }
            | Change::PasswordSet { .. } => "user",
            Change::PlanCreated(_) | Change::PlanEdited { .. } | Change::PlanStatusSet { .. } => {
                "sampling_plan"
            }
            Change::RunCommitted { .. } => "plan_run",
            Change::AssignmentReplaced { .. }
            | Change::AssignmentReassigned { .. }
            | Change::AssignmentDone { .. } => "assignment",
            Change::CalibrationCreated(_)
            | Change::CalibrationScored(_)
            | Change::CalibrationRevealed { .. }
            | Change::ConsensusRecorded { .. } => "calibration_session",
            Change::CoachingSessionCreated(_)
            | Change::CoachingSessionEdited { .. }
            | Change::CoachingSessionMoved { .. }
            | Change::CoachingSessionAcknowledged { .. }
            | Change::CoachingFollowUpSet { .. } => "coaching_session",
            Change::CoachingNoteWritten(_) | Change::CoachingNoteAcknowledged { .. } => {
                "coaching_note"
            }
            Change::ActionItemCreated(_) | Change::ActionItemSettled { .. } => "action_item",
            Change::NoticeSeen(_) => "notice",
            Change::TermDefined(_) | Change::TermEdited { .. } => "term",
            Change::CallsImported { .. } => "call",
            Change::ImportSaved(_) | Change::ImportProgressed(_) => "import",
        }
    }

    /// Whether the audit log records it: everything but a running job's progress.
    pub fn audited(&self) -> bool {
        !matches!(self, Change::ImportProgressed(_))
    }

    /// What the audit log keeps besides who and when; never a password.
    pub fn audit_detail(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Change::ScorecardCreated { definition, .. } => json!({ "name": definition.name }),
            Change::DraftSaved {
                version,
                lock_version,
                ..
            } => json!({ "version": version, "lock_version": lock_version }),
            Change::EvaluationSubmitted(e) => {
                json!({ "call": e.call_id, "version": e.scorecard_version_id, "score": e.score })
            }
            Change::UserCreated { user, .. } => {
                json!({ "username": user.username, "role": user.role })
            }
            Change::PlanCreated(plan) => json!({ "name": plan.spec.name, "seed": plan.spec.seed }),
            Change::PlanEdited { spec, revision, .. } => {
                json!({ "name": spec.name, "seed": spec.seed, "revision": revision })
            }
            Change::PlanStatusSet { revision, .. } => json!({ "revision": revision }),
            Change::UserEdited { profile, .. } => {
                json!({ "display_name": profile.display_name, "role": profile.role, "team": profile.team_id })
            }
            Change::RunCommitted { run, assignments } => {
                json!({ "plan": run.plan_id, "number": run.number, "seed": run.seed.to_string(), "population": run.population, "assignments": assignments.len() })
            }
            Change::AssignmentReplaced {
                id,
                reason,
                replacement,
            } => json!({ "replaced": id, "reason": reason, "call": replacement.call_id }),
            Change::AssignmentReassigned { reviewer, .. } => json!({ "reviewer": reviewer }),
            Change::AssignmentDone { evaluation, .. } => json!({ "evaluation": evaluation }),
            Change::ReviewDraftSaved(d) => {
                json!({ "call": d.call_id, "revision": d.revision, "calibration": d.calibration_id })
            }
            Change::ReviewDraftCleared {
                call, calibration, ..
            } => json!({ "call": call, "calibration": calibration }),
            Change::CalibrationCreated(s) => {
                json!({ "title": s.title, "calls": s.call_ids, "participants": s.participants, "calibrator": s.calibrator, "visibility": s.visibility })
            }
            Change::CalibrationScored(s) => {
                json!({ "call": s.call_id, "score": s.score, "late": s.late })
            }
            Change::ConsensusRecorded { consensus, .. } => {
                json!({ "calls": consensus.answers.len() })
            }
            Change::CalibrationRevealed { .. } => json!({}),
            Change::EvaluationAmended { score, event, .. } => {
                json!({ "kind": event.kind, "score": score, "reason": event.reason })
            }
            Change::DisputeRaised(d) => {
                json!({ "evaluation": d.evaluation_id, "points": d.points.len() })
            }
            Change::DisputeRuled { ruling, .. } => {
                json!({ "verdicts": ruling.points.iter().map(|p| p.verdict).collect::<Vec<_>>() })
            }
            Change::EvaluationSeen { .. } | Change::EvaluationAcknowledged { .. } => json!({}),
            Change::CoachingSessionCreated(c) => {
                json!({ "agent": c.agent_id, "state": c.state, "focus": c.focus.len(), "evaluations": c.evaluation_ids })
            }
            Change::CoachingSessionEdited {
                focus,
                evaluation_ids,
                revision,
                ..
            } => {
                json!({ "focus": focus.len(), "evaluations": evaluation_ids, "revision": revision })
            }
            Change::CoachingSessionMoved { revision, .. }
            | Change::CoachingSessionAcknowledged { revision, .. } => {
                json!({ "revision": revision })
            }
            Change::CoachingNoteWritten(n) => {
                json!({ "agent": n.agent_id, "kind": n.kind, "private": n.private, "session": n.session_id, "evaluation": n.evaluation_id })
            }
            Change::CoachingNoteAcknowledged { .. } => json!({}),
            Change::ActionItemCreated(a) => {
                json!({ "agent": a.agent_id, "owner": a.owner, "due": crate::time::date_stamp(a.due), "session": a.session_id })
            }
            Change::ActionItemSettled { reason, .. } => json!({ "reason": reason }),
            Change::NoticeSeen(m) => json!({ "kind": m.kind, "id": m.id }),
            Change::CallsImported {
                source,
                new,
                updated,
            } => json!({ "source": source, "new": new.len(), "updated": updated.len() }),
            Change::ImportSaved(i) => json!({
                "file_name": i.file_name, "sha256": i.sha256, "size": i.size, "source": i.source,
                "reading": i.reading, "revision": i.revision,
                "dry_run": i.dry_run.as_ref().map(|t| [t.new, t.updated, t.unchanged, t.refused, t.conflicted]),
                "committed": i.committed.as_ref().map(|t| [t.new, t.updated, t.unchanged, t.refused, t.conflicted]),
                "failure": i.failure,
            }),
            Change::ImportProgressed(i) => json!({ "done": i.done }),
            Change::TermDefined(t) => {
                json!({ "kind": t.kind, "code": t.code, "name": t.name, "active": t.active })
            }
            Change::TermEdited {
                kind,
                code,
                name,
                active,
                revision,
            } => {
                json!({ "kind": kind, "code": code, "name": name, "active": active, "revision": revision })
            }
            Change::CoachingFollowUpSet { plan, revision, .. } => {
                json!({ "plan": plan, "revision": revision })
            }
            Change::DraftPublished { .. }
            | Change::ArchiveSet { .. }
            | Change::UserActiveSet { .. }
            | Change::PasswordSet { .. } => json!({}),
        }
    }
}

/// One line of the audit trail, as the memory store keeps it (the server keeps it in SQL).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub actor: Option<UserId>,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: u32,
}

/// Everything in memory: the static demo's store in the browser (loaded from the shipped
/// fixtures and this browser's edits) and the demo generator's. Ids are given as SQLite gives
/// them (one above the highest), so both stores number records alike.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    pub users: Vec<User>,
    pub teams: Vec<Team>,
    /// Read-only here and large: shared, not copied, between loads.
    pub calls: Arc<Vec<Call>>,
    /// Transcripts of the calls that have one; the static demo loads one when its call opens.
    pub transcripts: std::collections::BTreeMap<CallId, Vec<TranscriptLine>>,
    pub scorecards: ScorecardLibrary,
    pub evaluations: Vec<Evaluation>,
    pub sampling: SamplingBook,
    pub reviews: ReviewBook,
    pub calibration: CalibrationBook,
    pub coaching: CoachingBook,
    /// The centre's clock (a fixed offset: the static demo has no zone database).
    pub clock: crate::time::CentreClock,
    pub vocabulary: crate::vocabulary::Vocabulary,
    pub imports: Vec<FileImport>,
    pub audit: Vec<AuditEntry>,
}

/// Calibration sessions and their scores as plain data (the static demo's shipped file and its
/// edits).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CalibrationBook {
    pub sessions: Vec<CalibrationSession>,
    pub scores: Vec<CalibrationScore>,
    /// Each revealed session's report, as its reveal or latest consensus stored it. Not in the
    /// static demo's files: reading reports there would put their decoding into every page
    /// that loads sessions (the queue, the workspace; 13–16 KB each), so the browser computes a
    /// revealed session's report when it shows it, as the server does for sessions revealed
    /// before reports were stored.
    #[serde(skip)]
    pub reports: Vec<(CalibrationId, SessionReport)>,
}

impl CalibrationBook {
    fn keep_report(&mut self, id: CalibrationId, report: SessionReport) {
        self.reports.retain(|(session, _)| *session != id);
        self.reports.push((id, report));
    }

    fn session_mut(&mut self, id: CalibrationId) -> Loaded<&mut CalibrationSession> {
        self.sessions
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(|| StoreError(format!("no calibration session {id}")))
    }
}

/// Coaching sessions, notes and action items as plain data (the static demo's shipped file and
/// its edits).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CoachingBook {
    pub sessions: Vec<CoachingSession>,
    pub notes: Vec<CoachingNote>,
    pub actions: Vec<ActionItem>,
    /// What each person marked seen among their notices (kept here: coaching brought them).
    #[serde(default)]
    pub seen: Vec<crate::notices::SeenMark>,
}

impl CoachingBook {
    fn session_mut(&mut self, id: CoachingSessionId) -> Loaded<&mut CoachingSession> {
        self.sessions
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(|| StoreError(format!("no coaching session {id}")))
    }
}

/// Drafts, score histories and disputes as plain data (the static demo's shipped file and its
/// edits).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReviewBook {
    pub drafts: Vec<ReviewDraft>,
    /// (evaluation, event), in the order written.
    pub history: Vec<(u32, ScoreEvent)>,
    pub disputes: Vec<Dispute>,
    #[serde(default)]
    pub policy: DisputePolicy,
}

/// Plans, runs and assignments as plain data (the static demo's shipped file and its edits).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SamplingBook {
    pub plans: Vec<SamplingPlan>,
    pub runs: Vec<PlanRun>,
    pub assignments: Vec<Assignment>,
}

impl SamplingBook {
    fn plan_mut(&mut self, id: PlanId) -> Loaded<&mut SamplingPlan> {
        self.plans
            .iter_mut()
            .find(|p| p.id == id)
            .ok_or_else(|| StoreError(format!("no plan {id}")))
    }

    fn assignment_mut(&mut self, id: AssignmentId) -> Loaded<&mut Assignment> {
        self.assignments
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(|| StoreError(format!("no assignment {id}")))
    }

    fn next_assignment_id(&self) -> AssignmentId {
        self.assignments.iter().map(|a| a.id).max().unwrap_or(0) + 1
    }
}

impl AssignmentFilter {
    pub fn admits(&self, a: &Assignment) -> bool {
        self.plan.is_none_or(|p| a.plan_id == p)
            && self.run.is_none_or(|r| a.run_id == r)
            && self.reviewer.is_none_or(|r| a.reviewer_id == r)
            && self.call.is_none_or(|c| a.call_id == c)
            && self.status.is_none_or(|s| a.status == s)
            && self.due_before.is_none_or(|d| a.due < d)
    }
}

impl MemoryStore {
    fn card_mut(&mut self, id: u32) -> Loaded<&mut ScorecardDetail> {
        self.scorecards
            .cards
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or_else(|| StoreError(format!("no scorecard {id}")))
    }

    fn evaluation_mut(&mut self, id: u32) -> Loaded<&mut Evaluation> {
        self.evaluations
            .iter_mut()
            .find(|e| e.id == id)
            .ok_or_else(|| StoreError(format!("no evaluation {id}")))
    }

    fn import_mut(&mut self, id: ImportId) -> Loaded<&mut FileImport> {
        self.imports
            .iter_mut()
            .find(|i| i.id == id)
            .ok_or_else(|| StoreError(format!("no import {id}")))
    }

    fn user_mut(&mut self, id: UserId) -> Loaded<&mut User> {
        self.users
            .iter_mut()
            .find(|u| u.id == id)
            .ok_or_else(|| StoreError(format!("no user {id}")))
    }

    fn apply(&mut self, change: Change) -> Loaded<u32> {
        Ok(match change {
            Change::ScorecardCreated {
                definition,
                version,
                lock_version,
                ..
            } => {
                let id = self
                    .scorecards
                    .cards
                    .iter()
                    .map(|c| c.id)
                    .max()
                    .unwrap_or(0)
                    + 1;
                let draft = Draft {
                    id: self.scorecards.next_version_id(),
                    version,
                    lock_version,
                    definition,
                };
                self.scorecards.cards.push(ScorecardDetail {
                    id,
                    name: draft.definition.name.clone(),
                    archived: false,
                    lock_version,
                    draft: Some(draft),
                    versions: Vec::new(),
                });
                id
            }
            Change::DraftSaved {
                scorecard,
                version,
                lock_version,
                definition,
            } => {
                let next_id = self.scorecards.next_version_id();
                let card = self.card_mut(scorecard)?;
                let id = card.draft.as_ref().map_or(next_id, |d| d.id);
                card.name = definition.name.clone();
                card.lock_version = lock_version;
                card.draft = Some(Draft {
                    id,
                    version,
                    lock_version,
                    definition,
                });
                scorecard
            }
            Change::DraftPublished {
                scorecard,
                published_at,
            } => {
                let card = self.card_mut(scorecard)?;
                let draft = card
                    .draft
                    .take()
                    .ok_or_else(|| StoreError(format!("scorecard {scorecard} has no draft")))?;
                card.versions.insert(
                    0,
                    PublishedVersion {
                        id: draft.id,
                        version: draft.version,
                        published_at: crate::time::stamp(published_at),
                    },
                );
                self.scorecards.versions.push(ScorecardVersion {
                    id: draft.id,
                    scorecard_id: scorecard,
                    version: draft.version,
                    published: true,
                    definition: draft.definition,
                });
                scorecard
            }
            Change::ArchiveSet {
                scorecard,
                archived_at,
            } => {
                self.card_mut(scorecard)?.archived = archived_at.is_some();
                scorecard
            }
            Change::EvaluationSubmitted(mut evaluation) => {
                evaluation.id = self.evaluations.iter().map(|e| e.id).max().unwrap_or(0) + 1;
                self.reviews
                    .history
                    .push((evaluation.id, evaluation.submission_event()));
                self.evaluations.push(evaluation);
                self.evaluations.last().map_or(0, |e| e.id)
            }
            Change::EvaluationAmended {
                id,
                content,
                score,
                passed,
                event,
            } => {
                let e = self.evaluation_mut(id)?;
                (e.answers, e.notes, e.feedback, e.score, e.passed) = (
                    content.answers,
                    content.notes,
                    content.feedback,
                    score,
                    passed,
                );
                self.reviews.history.push((id, event));
                id
            }
            Change::EvaluationSeen { id, at } => {
                self.evaluation_mut(id)?.seen_at = Some(at);
                id
            }
            Change::EvaluationAcknowledged { id, at } => {
                let e = self.evaluation_mut(id)?;
                e.acknowledged_at = Some(at);
                e.seen_at.get_or_insert(at);
                id
            }
            Change::ReviewDraftSaved(draft) => {
                let call = draft.call_id;
                self.reviews.drafts.retain(|d| {
                    (d.reviewer_id, d.call_id, d.calibration_id)
                        != (draft.reviewer_id, call, draft.calibration_id)
                });
                self.reviews.drafts.push(draft);
                call
            }
            Change::ReviewDraftCleared {
                reviewer,
                call,
                calibration,
            } => {
                self.reviews.drafts.retain(|d| {
                    (d.reviewer_id, d.call_id, d.calibration_id) != (reviewer, call, calibration)
                });
                call
            }
            Change::CalibrationCreated(mut session) => {
                session.id = self
                    .calibration
                    .sessions
                    .iter()
                    .map(|s| s.id)
                    .max()
                    .unwrap_or(0)
                    + 1;
                self.calibration.sessions.push(session);
                self.calibration.sessions.last().map_or(0, |s| s.id)
            }
            Change::CalibrationScored(score) => {
                let id = score.session_id;
                self.calibration.scores.push(score);
                id
            }
            Change::CalibrationRevealed { id, at, report } => {
                self.calibration.session_mut(id)?.revealed_at = Some(at);
                self.calibration.keep_report(id, *report);
                id
            }
            Change::ConsensusRecorded {
                id,
                consensus,
                report,
            } => {
                self.calibration.session_mut(id)?.consensus = Some(consensus);
                self.calibration.keep_report(id, *report);
                id
            }
            Change::DisputeRaised(mut dispute) => {
                dispute.id = self
                    .reviews
                    .disputes
                    .iter()
                    .map(|d| d.id)
                    .max()
                    .unwrap_or(0)
                    + 1;
                self.reviews.disputes.push(dispute);
                self.reviews.disputes.last().map_or(0, |d| d.id)
            }
            Change::DisputeRuled { id, ruling } => {
                let d = self
                    .reviews
                    .disputes
                    .iter_mut()
                    .find(|d| d.id == id)
                    .ok_or_else(|| StoreError(format!("no dispute {id}")))?;
                d.ruling = Some(ruling);
                id
            }
            Change::UserCreated { mut user, .. } => {
                // The static demo signs in without passwords, so there is none to keep.
                user.id = self.users.iter().map(|u| u.id).max().unwrap_or(0) + 1;
                self.users.push(user);
                self.users.last().map_or(0, |u| u.id)
            }
            Change::UserActiveSet { user, active } => {
                self.user_mut(user)?.active = active;
                user
            }
            Change::PasswordSet { user, .. } => {
                self.user_mut(user)?;
                user
            }
            Change::ImportSaved(import) | Change::ImportProgressed(import) => {
                if import.id == 0 {
                    let id = next_id(self.imports.iter().map(|i| i.id));
                    self.imports.push(FileImport { id, ..import });
                    id
                } else {
                    let id = import.id;
                    *self.import_mut(id)? = import;
                    id
                }
            }
            Change::CallsImported { new, updated, .. } => {
                let calls = Arc::make_mut(&mut self.calls);
                let written = (new.len() + updated.len()) as u32;
                for call in updated {
                    if let Some(kept) = calls.iter_mut().find(|c| c.id == call.id) {
                        *kept = call;
                    }
                }
                let first = next_id(calls.iter().map(|c| c.id));
                for (id, call) in (first..).zip(new) {
                    calls.push(Call { id, ..call });
                }
                written
            }
            Change::TermDefined(term) => {
                let revision = term.revision;
                self.vocabulary.terms.push(term);
                revision
            }
            Change::TermEdited {
                kind,
                code,
                name,
                active,
                revision,
            } => {
                let term = self
                    .vocabulary
                    .terms
                    .iter_mut()
                    .find(|t| t.kind == kind && t.code == code)
                    .ok_or_else(|| StoreError(format!("no {} {code}", kind.code())))?;
                term.name = name;
                term.active = active;
                term.revision = revision;
                revision
            }
            Change::UserEdited { user, profile } => {
                let u = self.user_mut(user)?;
                u.display_name = profile.display_name;
                u.role = profile.role;
                u.team_id = profile.team_id;
                u.agent_code = profile.agent_code;
                user
            }
            Change::PlanEdited { id, spec, revision } => {
                let plan = self.sampling.plan_mut(id)?;
                plan.spec = spec;
                plan.revision = revision;
                id
            }
            Change::PlanStatusSet {
                id,
                status,
                revision,
            } => {
                let plan = self.sampling.plan_mut(id)?;
                plan.status = status;
                plan.revision = revision;
                id
            }
            Change::PlanCreated(mut plan) => {
                plan.id = self.sampling.plans.iter().map(|p| p.id).max().unwrap_or(0) + 1;
                self.sampling.plans.push(plan);
                self.sampling.plans.last().map_or(0, |p| p.id)
            }
            Change::RunCommitted {
                mut run,
                assignments,
            } => {
                run.id = self.sampling.runs.iter().map(|r| r.id).max().unwrap_or(0) + 1;
                for mut a in assignments {
                    a.id = self.sampling.next_assignment_id();
                    a.run_id = run.id;
                    self.sampling.assignments.push(a);
                }
                self.sampling.runs.push(run);
                self.sampling.runs.last().map_or(0, |r| r.id)
            }
            Change::AssignmentReplaced {
                id,
                reason,
                mut replacement,
            } => {
                let old = self.sampling.assignment_mut(id)?;
                old.status = AssignmentStatus::Replaced;
                old.reason = Some(reason);
                replacement.id = self.sampling.next_assignment_id();
                self.sampling.assignments.push(replacement);
                self.sampling.assignments.last().map_or(0, |a| a.id)
            }
            Change::AssignmentReassigned { id, reviewer } => {
                self.sampling.assignment_mut(id)?.reviewer_id = reviewer;
                id
            }
            Change::AssignmentDone { id, evaluation } => {
                let a = self.sampling.assignment_mut(id)?;
                a.status = AssignmentStatus::Done;
                a.evaluation_id = Some(evaluation);
                id
            }
            Change::CoachingSessionCreated(mut session) => {
                session.id = next_id(self.coaching.sessions.iter().map(|s| s.id));
                self.coaching.sessions.push(session);
                self.coaching.sessions.last().map_or(0, |s| s.id)
            }
            Change::CoachingSessionEdited {
                id,
                focus,
                evaluation_ids,
                scheduled_for,
                summary,
                revision,
            } => {
                let s = self.coaching.session_mut(id)?;
                (
                    s.focus,
                    s.evaluation_ids,
                    s.scheduled_for,
                    s.summary,
                    s.revision,
                ) = (focus, evaluation_ids, scheduled_for, summary, revision);
                id
            }
            Change::CoachingSessionMoved {
                id,
                state,
                at,
                revision,
            } => {
                let s = self.coaching.session_mut(id)?;
                s.state = state;
                s.revision = revision;
                match state {
                    SessionState::Delivered => s.delivered_at = Some(at),
                    SessionState::Closed => s.closed_at = Some(at),
                    _ => {}
                }
                id
            }
            Change::CoachingSessionAcknowledged {
                id,
                at,
                comment,
                revision,
            } => {
                let s = self.coaching.session_mut(id)?;
                s.state = SessionState::Acknowledged;
                (s.acknowledged_at, s.comment, s.revision) = (Some(at), comment, revision);
                id
            }
            Change::CoachingNoteWritten(mut note) => {
                note.id = next_id(self.coaching.notes.iter().map(|n| n.id));
                self.coaching.notes.push(note);
                self.coaching.notes.last().map_or(0, |n| n.id)
            }
            Change::CoachingNoteAcknowledged { id, at, comment } => {
                let n = self
                    .coaching
                    .notes
                    .iter_mut()
                    .find(|n| n.id == id)
                    .ok_or_else(|| StoreError(format!("no coaching note {id}")))?;
                (n.acknowledged_at, n.comment) = (Some(at), comment);
                id
            }
            Change::ActionItemCreated(mut item) => {
                item.id = next_id(self.coaching.actions.iter().map(|a| a.id));
                self.coaching.actions.push(item);
                self.coaching.actions.last().map_or(0, |a| a.id)
            }
            Change::CoachingFollowUpSet { id, plan, revision } => {
                let s = self.coaching.session_mut(id)?;
                (s.follow_up_plan, s.revision) = (Some(plan), revision);
                id
            }
            Change::NoticeSeen(mark) => {
                let id = mark.id;
                self.coaching.seen.push(mark);
                id
            }
            Change::ActionItemSettled {
                id,
                state,
                reason,
                at,
            } => {
                let a = self
                    .coaching
                    .actions
                    .iter_mut()
                    .find(|a| a.id == id)
                    .ok_or_else(|| StoreError(format!("no action item {id}")))?;
                (a.state, a.reason, a.closed_at) = (state, reason, at);
                id
            }
        })
    }
}

/// One above the highest id, as SQLite gives them.
fn next_id(ids: impl Iterator<Item = u32>) -> u32 {
    ids.max().unwrap_or(0) + 1
}

impl Store for MemoryStore {
    fn user(&self, id: UserId) -> Loaded<Option<User>> {
        Ok(self.users.iter().find(|u| u.id == id).cloned())
    }

    fn users(&self) -> Loaded<Vec<User>> {
        Ok(self.users.clone())
    }

    fn username_taken(&self, username: &str) -> Loaded<bool> {
        Ok(self
            .users
            .iter()
            .any(|u| u.username.eq_ignore_ascii_case(username)))
    }

    fn agent_code_owner(&self, code: &str) -> Loaded<Option<UserId>> {
        Ok(self
            .users
            .iter()
            .find(|u| {
                u.agent_code
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(code))
            })
            .map(|u| u.id))
    }

    fn team(&self, id: TeamId) -> Loaded<Option<Team>> {
        Ok(self.teams.iter().find(|t| t.id == id).cloned())
    }

    fn teams(&self) -> Loaded<Vec<Team>> {
        let mut teams = self.teams.clone();
        teams.sort_by_key(|t| t.id);
        Ok(teams)
    }

    fn call(&self, id: CallId) -> Loaded<Option<Call>> {
        Ok(self.calls.iter().find(|c| c.id == id).cloned())
    }

    fn call_count(&self) -> Loaded<u64> {
        Ok(self.calls.len() as u64)
    }

    fn search_calls(&self, query: &CallQuery) -> Loaded<Page<Call>> {
        Ok(query.apply(&self.calls))
    }

    fn transcript(&self, call: CallId) -> Loaded<Vec<TranscriptLine>> {
        Ok(self.transcripts.get(&call).cloned().unwrap_or_default())
    }

    fn calls(&self, ids: &[CallId]) -> Loaded<Vec<Call>> {
        let wanted: HashSet<CallId> = ids.iter().copied().collect();
        Ok(self
            .calls
            .iter()
            .filter(|c| wanted.contains(&c.id))
            .cloned()
            .collect())
    }

    fn scorecard(&self, id: u32) -> Loaded<Option<ScorecardDetail>> {
        Ok(self.scorecards.cards.iter().find(|c| c.id == id).cloned())
    }

    fn scorecards(&self) -> Loaded<Vec<ScorecardSummary>> {
        let mut list: Vec<ScorecardSummary> = self
            .scorecards
            .cards
            .iter()
            .map(ScorecardDetail::summary)
            .collect();
        for e in &self.evaluations {
            let card = self
                .scorecards
                .versions
                .iter()
                .find(|v| v.id == e.scorecard_version_id)
                .map(|v| v.scorecard_id);
            if let Some(summary) = list.iter_mut().find(|s| Some(s.id) == card) {
                summary.evaluations += 1;
            }
        }
        Ok(list)
    }

    fn version(&self, id: u32) -> Loaded<Option<ScorecardVersion>> {
        Ok(self.scorecards.version(id))
    }

    fn evaluation(&self, id: u32) -> Loaded<Option<Evaluation>> {
        Ok(self.evaluations.iter().find(|e| e.id == id).cloned())
    }

    fn scores(&self, ids: &[u32]) -> Loaded<Vec<(u32, f64, bool)>> {
        let wanted: HashSet<u32> = ids.iter().copied().collect();
        Ok(self
            .evaluations
            .iter()
            .filter(|e| wanted.contains(&e.id))
            .map(|e| (e.id, e.score, e.passed))
            .collect())
    }

    fn pass_counts(&self, since: NaiveDateTime) -> Loaded<Vec<(UserId, u32, u32)>> {
        let mut counts: std::collections::BTreeMap<UserId, (u32, u32)> = Default::default();
        for e in self.evaluations.iter().filter(|e| e.submitted_at >= since) {
            let c = counts.entry(e.agent_id).or_default();
            c.0 += u32::from(e.passed);
            c.1 += 1;
        }
        Ok(counts
            .into_iter()
            .map(|(agent, (passed, n))| (agent, passed, n))
            .collect())
    }

    fn scan_calls(&self, query: &CallQuery, each: &mut dyn FnMut(&Call)) -> Loaded<()> {
        self.calls
            .iter()
            .filter(|c| query.matches(c))
            .for_each(each);
        Ok(())
    }

    fn evaluated_calls(&self) -> Loaded<HashSet<CallId>> {
        Ok(self.evaluations.iter().map(|e| e.call_id).collect())
    }

    fn assigned_calls(&self) -> Loaded<HashSet<CallId>> {
        Ok(self
            .sampling
            .assignments
            .iter()
            .filter(|a| a.status == AssignmentStatus::Open)
            .map(|a| a.call_id)
            .collect())
    }

    fn plans(&self) -> Loaded<Vec<SamplingPlan>> {
        Ok(self.sampling.plans.clone())
    }

    fn plan(&self, id: PlanId) -> Loaded<Option<SamplingPlan>> {
        Ok(self.sampling.plans.iter().find(|p| p.id == id).cloned())
    }

    fn runs(&self, plan: PlanId) -> Loaded<Vec<PlanRun>> {
        Ok(self
            .sampling
            .runs
            .iter()
            .filter(|r| r.plan_id == plan)
            .cloned()
            .collect())
    }

    fn run(&self, id: RunId) -> Loaded<Option<PlanRun>> {
        Ok(self.sampling.runs.iter().find(|r| r.id == id).cloned())
    }

    fn assignment(&self, id: AssignmentId) -> Loaded<Option<Assignment>> {
        Ok(self
            .sampling
            .assignments
            .iter()
            .find(|a| a.id == id)
            .cloned())
    }

    fn assignments(
        &self,
        filter: &AssignmentFilter,
        offset: u32,
        limit: u32,
    ) -> Loaded<(Vec<Assignment>, u32)> {
        let mut hits: Vec<&Assignment> = self
            .sampling
            .assignments
            .iter()
            .filter(|a| filter.admits(a))
            .collect();
        hits.sort_by_key(|a| (a.due, a.id));
        let total = hits.len() as u32;
        Ok((
            hits.into_iter()
                .skip(offset as usize)
                .take(limit as usize)
                .cloned()
                .collect(),
            total,
        ))
    }

    fn tally(&self, plan: Option<PlanId>, reviewer: Option<UserId>) -> Loaded<Tally> {
        let filter = AssignmentFilter {
            plan,
            reviewer,
            ..AssignmentFilter::default()
        };
        let mut counts: std::collections::BTreeMap<
            (UserId, u8, chrono::NaiveDate),
            (AssignmentStatus, u32),
        > = Default::default();
        for a in self
            .sampling
            .assignments
            .iter()
            .filter(|a| filter.admits(a))
        {
            counts
                .entry((a.reviewer_id, a.status as u8, a.due))
                .or_insert((a.status, 0))
                .1 += 1;
        }
        Ok(counts
            .into_iter()
            .map(|((reviewer, _, due), (status, n))| (reviewer, status, due, n))
            .collect())
    }

    fn review_draft(
        &self,
        reviewer: UserId,
        call: CallId,
        calibration: Option<CalibrationId>,
    ) -> Loaded<Option<ReviewDraft>> {
        Ok(self
            .reviews
            .drafts
            .iter()
            .find(|d| {
                d.reviewer_id == reviewer && d.call_id == call && d.calibration_id == calibration
            })
            .cloned())
    }

    fn history(&self, evaluation: u32) -> Loaded<Vec<ScoreEvent>> {
        Ok(self
            .reviews
            .history
            .iter()
            .filter(|(e, _)| *e == evaluation)
            .map(|(_, event)| event.clone())
            .collect())
    }

    fn evaluations_of_agent(&self, agent: UserId) -> Loaded<Vec<Evaluation>> {
        Ok(self
            .evaluations
            .iter()
            .filter(|e| e.agent_id == agent)
            .cloned()
            .collect())
    }

    fn evaluations_of_call(&self, call: CallId) -> Loaded<Vec<Evaluation>> {
        Ok(self
            .evaluations
            .iter()
            .filter(|e| e.call_id == call)
            .cloned()
            .collect())
    }

    fn dispute(&self, id: DisputeId) -> Loaded<Option<Dispute>> {
        Ok(self.reviews.disputes.iter().find(|d| d.id == id).cloned())
    }

    fn disputes(&self, evaluation: Option<u32>, agent: Option<UserId>) -> Loaded<Vec<Dispute>> {
        Ok(self
            .reviews
            .disputes
            .iter()
            .filter(|d| {
                evaluation.is_none_or(|e| d.evaluation_id == e)
                    && agent.is_none_or(|a| d.agent_id == a)
            })
            .cloned()
            .collect())
    }

    fn clock(&self, _at: NaiveDateTime) -> Loaded<crate::time::CentreClock> {
        Ok(self.clock)
    }

    fn vocabulary(&self) -> Loaded<crate::vocabulary::Vocabulary> {
        Ok(self.vocabulary.clone())
    }

    fn file_import(&self, id: ImportId) -> Loaded<Option<FileImport>> {
        Ok(self.imports.iter().find(|i| i.id == id).cloned())
    }

    fn file_imports(&self, by: Option<UserId>, limit: usize) -> Loaded<Vec<FileImport>> {
        Ok(self
            .imports
            .iter()
            .rev()
            .filter(|i| by.is_none_or(|by| i.by == by))
            .take(limit)
            .cloned()
            .collect())
    }

    fn calls_by_origin(&self, source: &str, external_ids: &[String]) -> Loaded<Vec<Call>> {
        let wanted: HashSet<&str> = external_ids.iter().map(String::as_str).collect();
        Ok(self
            .calls
            .iter()
            .filter(|c| {
                c.origin
                    .as_ref()
                    .is_some_and(|o| o.source == source && wanted.contains(o.external_id.as_str()))
            })
            .cloned()
            .collect())
    }

    fn dispute_policy(&self) -> Loaded<DisputePolicy> {
        Ok(self.reviews.policy)
    }

    fn calibration_session(&self, id: CalibrationId) -> Loaded<Option<CalibrationSession>> {
        Ok(self
            .calibration
            .sessions
            .iter()
            .find(|s| s.id == id)
            .cloned())
    }

    fn calibration_sessions(&self) -> Loaded<Vec<CalibrationSession>> {
        Ok(self.calibration.sessions.clone())
    }

    fn calibration_scores(&self, session: CalibrationId) -> Loaded<Vec<CalibrationScore>> {
        Ok(self
            .calibration
            .scores
            .iter()
            .filter(|s| s.session_id == session)
            .cloned()
            .collect())
    }

    fn calibration_report(&self, session: CalibrationId) -> Loaded<Option<SessionReport>> {
        Ok(self
            .calibration
            .reports
            .iter()
            .find(|(id, _)| *id == session)
            .map(|(_, report)| report.clone()))
    }

    fn scored_calls(
        &self,
        agents: Option<&[UserId]>,
        since: NaiveDateTime,
    ) -> Loaded<Vec<ScoredCall>> {
        let calls: std::collections::HashMap<CallId, NaiveDateTime> = self
            .calls
            .iter()
            .filter(|c| c.started_at >= since)
            .map(|c| (c.id, c.started_at))
            .collect();
        Ok(self
            .evaluations
            .iter()
            .filter(|e| agents.is_none_or(|list| list.contains(&e.agent_id)))
            .filter_map(|e| {
                calls.get(&e.call_id).map(|at| ScoredCall {
                    evaluation_id: e.id,
                    agent_id: e.agent_id,
                    call_at: *at,
                    scorecard_version_id: e.scorecard_version_id,
                    score: e.score,
                    passed: e.passed,
                })
            })
            .collect())
    }

    fn answers_of(&self, ids: &[u32]) -> Loaded<Vec<(u32, Answers)>> {
        let wanted: HashSet<u32> = ids.iter().copied().collect();
        Ok(self
            .evaluations
            .iter()
            .filter(|e| wanted.contains(&e.id))
            .map(|e| (e.id, e.answers.clone()))
            .collect())
    }

    fn coaching_session(&self, id: CoachingSessionId) -> Loaded<Option<CoachingSession>> {
        Ok(self.coaching.sessions.iter().find(|s| s.id == id).cloned())
    }

    fn coaching_sessions(&self, agents: Option<&[UserId]>) -> Loaded<Vec<CoachingSession>> {
        Ok(self
            .coaching
            .sessions
            .iter()
            .filter(|s| agents.is_none_or(|list| list.contains(&s.agent_id)))
            .cloned()
            .collect())
    }

    fn coaching_note(&self, id: NoteId) -> Loaded<Option<CoachingNote>> {
        Ok(self.coaching.notes.iter().find(|n| n.id == id).cloned())
    }

    fn coaching_notes(&self, agents: Option<&[UserId]>) -> Loaded<Vec<CoachingNote>> {
        Ok(self
            .coaching
            .notes
            .iter()
            .filter(|n| agents.is_none_or(|list| list.contains(&n.agent_id)))
            .cloned()
            .collect())
    }

    fn action_item(&self, id: ActionItemId) -> Loaded<Option<ActionItem>> {
        Ok(self.coaching.actions.iter().find(|a| a.id == id).cloned())
    }

    fn action_items(&self, agents: Option<&[UserId]>) -> Loaded<Vec<ActionItem>> {
        Ok(self
            .coaching
            .actions
            .iter()
            .filter(|a| agents.is_none_or(|list| list.contains(&a.agent_id)))
            .cloned()
            .collect())
    }

    fn unacknowledged(&self, agents: &[UserId]) -> Loaded<Vec<(UserId, NaiveDateTime)>> {
        Ok(self
            .evaluations
            .iter()
            .filter(|e| e.acknowledged_at.is_none() && agents.contains(&e.agent_id))
            .map(|e| (e.agent_id, e.submitted_at))
            .collect())
    }

    fn seen_marks(&self, user: UserId) -> Loaded<Vec<(crate::notices::NoticeKind, u32)>> {
        Ok(self
            .coaching
            .seen
            .iter()
            .filter(|m| m.user_id == user)
            .map(|m| (m.kind, m.id))
            .collect())
    }

    fn write(&mut self, actor: Option<UserId>, change: Change) -> Loaded<u32> {
        let (action, entity) = (change.action(), change.entity());
        let audited = change.audited();
        let entity_id = self.apply(change)?;
        if audited {
            self.audit.push(AuditEntry {
                actor,
                action,
                entity,
                entity_id,
            });
        }
        Ok(entity_id)
    }
}
