//! The store over SQL: loads records and persists decided changes, deciding nothing, written
//! once against [`Conn`] and run on SQLite (the embedded default) and PostgreSQL alike.

mod calls;
mod coaching;
pub mod copy;
pub mod imports;
pub mod postgres;
mod rows;
mod seed;
mod sessions;
mod settings;
pub mod sql;
mod sqlite;
mod vocabulary;

pub use calls::insert_calls;
pub use seed::{is_empty, seed};
pub use sessions::SessionStore;
pub use settings::{
    caller_salt, centre_zone, machine_time_zone, set_centre_time, set_dispute_policy,
};

use crate::password::{hash_password, Prepared};
use kappa_domain::calibration::{
    CalibrationId, CalibrationScore, CalibrationSession, SessionReport,
};
use kappa_domain::coaching::{ActionItem, CoachingNote, CoachingSession};
use kappa_domain::evaluation::Evaluation;
use kappa_domain::plan::{Assignment, AssignmentFilter, PlanRun, SamplingPlan, Tally};
use kappa_domain::review::{Dispute, DisputeId, DisputePolicy, ReviewDraft, ScoreEvent};
use kappa_domain::sampling::{AssignmentId, PlanId, RunId};
use kappa_domain::scorecard::{
    Answers, Draft, PublishedVersion, ScorecardDefinition, ScorecardDetail, ScorecardSummary,
    ScorecardVersion,
};
use kappa_domain::store::{Change, Loaded, Store, StoreError};
use kappa_domain::time::{date_stamp, stamp, CentreClock};
use kappa_domain::{
    Call, CallId, CallQuery, LocalizedText, Page, Team, TeamId, TranscriptLine, User, UserId,
};
use rows::{call_from_row, CALL_COLUMNS};
use sql::{args, Arg, Conn, Row};
use std::collections::{HashMap, HashSet};

pub struct SqlStore<'c> {
    conn: &'c dyn Conn,
    prepared: Option<Prepared>,
}

impl<'c> SqlStore<'c> {
    pub fn new(conn: &'c dyn Conn) -> SqlStore<'c> {
        SqlStore {
            conn,
            prepared: None,
        }
    }

    /// A password hashed before the transaction: written as is when the change sets it.
    pub fn with(mut self, prepared: Option<Prepared>) -> SqlStore<'c> {
        self.prepared = prepared;
        self
    }

    fn hash_of(&self, password: &str) -> Loaded<String> {
        match &self.prepared {
            Some(p) if p.password == password => Ok(p.hash.clone()),
            // The operator's console path: nothing else is waiting on this writer.
            _ => hash_password(password).map_err(|e| StoreError(e.to_string())),
        }
    }
}

fn definition_of(json: &str) -> Loaded<ScorecardDefinition> {
    serde_json::from_str(json).map_err(|e| StoreError(format!("stored scorecard definition: {e}")))
}

/// Ids for one `IN (…)` statement over a whole page of records. They are numbers, so they are
/// written inline: a bound parameter each would make a new statement shape per page size.
fn id_list(ids: &[u32]) -> String {
    ids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn json(value: &impl serde::Serialize) -> Loaded<String> {
    rows::to_json(value)
}

const EVALUATION_COLUMNS: &str = "id, call_id, scorecard_version_id, reviewer_id, agent_id, submitted_at, score, passed, notes, feedback, seen_at, acknowledged_at, draft_revision, started_at";

/// An evaluation without its answers (they are rows of their own).
fn evaluation_from_row(r: &dyn Row) -> Loaded<Evaluation> {
    Ok(Evaluation {
        id: r.get(0)?,
        call_id: r.get(1)?,
        scorecard_version_id: r.get(2)?,
        reviewer_id: r.get(3)?,
        agent_id: r.get(4)?,
        submitted_at: rows::time(r, 5)?,
        answers: Answers::new(),
        score: r.get(6)?,
        passed: r.get(7)?,
        notes: rows::json(r, 8)?,
        feedback: r.get(9)?,
        seen_at: rows::maybe(r, 10, rows::time)?,
        acknowledged_at: rows::maybe(r, 11, rows::time)?,
        draft_revision: r.get(12)?,
        started_at: rows::maybe(r, 13, rows::time)?,
    })
}

const DISPUTE_COLUMNS: &str = "id, evaluation_id, agent_id, reviewer_id, raised_at, points, ruling";

fn dispute_from_row(r: &dyn Row) -> Loaded<Dispute> {
    Ok(Dispute {
        id: r.get(0)?,
        evaluation_id: r.get(1)?,
        agent_id: r.get(2)?,
        reviewer_id: r.get(3)?,
        raised_at: rows::time(r, 4)?,
        points: rows::json(r, 5)?,
        ruling: rows::maybe(r, 6, rows::json)?,
    })
}

const SESSION_COLUMNS: &str = "id, title, scorecard_version_id, call_ids, participants, calibrator_id, deadline, visibility, threshold, created_by, created_at, revealed_at, consensus";

fn session_from_row(r: &dyn Row) -> Loaded<CalibrationSession> {
    Ok(CalibrationSession {
        id: r.get(0)?,
        title: rows::json(r, 1)?,
        scorecard_version_id: r.get(2)?,
        call_ids: rows::json(r, 3)?,
        participants: rows::json(r, 4)?,
        calibrator: r.get(5)?,
        deadline: rows::time(r, 6)?,
        visibility: rows::coded(r, 7)?,
        threshold: r.get(8)?,
        created_by: r.get(9)?,
        created_at: rows::time(r, 10)?,
        revealed_at: rows::maybe(r, 11, rows::time)?,
        consensus: rows::maybe(r, 12, rows::json)?,
    })
}

const RUN_COLUMNS: &str = "id, plan_id, number, seed, run_on, window_from, window_to, scorecard_version_id, population, requested, sampled, due, strata, spec";

fn run_from_row(r: &dyn Row) -> Loaded<PlanRun> {
    Ok(PlanRun {
        id: r.get(0)?,
        plan_id: r.get(1)?,
        number: r.get(2)?,
        seed: r.get(3)?,
        run_on: rows::date(r, 4)?,
        from: rows::maybe(r, 5, rows::date)?,
        to: rows::maybe(r, 6, rows::date)?,
        scorecard_version_id: r.get(7)?,
        population: r.get(8)?,
        requested: r.get(9)?,
        sampled: r.get(10)?,
        due: rows::date(r, 11)?,
        strata: rows::json(r, 12)?,
        spec: rows::json(r, 13)?,
    })
}

const ASSIGNMENT_COLUMNS: &str = "id, plan_id, run_id, call_id, agent_id, reviewer_id, stratum, rule, due, status, reason, replaces, evaluation_id";

fn assignment_from_row(r: &dyn Row) -> Loaded<Assignment> {
    Ok(Assignment {
        id: r.get(0)?,
        plan_id: r.get(1)?,
        run_id: r.get(2)?,
        call_id: r.get(3)?,
        agent_id: r.get(4)?,
        reviewer_id: r.get(5)?,
        stratum: r.get(6)?,
        rule: rows::coded(r, 7)?,
        due: rows::date(r, 8)?,
        status: rows::coded(r, 9)?,
        reason: r.get(10)?,
        replaces: r.get(11)?,
        evaluation_id: r.get(12)?,
    })
}

const PLAN_COLUMNS: &str = "id, spec, created_by, created_at, status, revision";

fn plan_from_row(r: &dyn Row) -> Loaded<SamplingPlan> {
    Ok(SamplingPlan {
        id: r.get(0)?,
        spec: rows::json(r, 1)?,
        created_by: r.get(2)?,
        created_at: rows::time(r, 3)?,
        status: rows::coded(r, 4)?,
        revision: r.get(5)?,
    })
}

/// The `WHERE` clause for an assignment filter, with its arguments.
fn assignment_filter(filter: &AssignmentFilter) -> (String, Vec<Arg<'static>>) {
    let mut conditions = Vec::new();
    let mut args = Vec::new();
    let mut add = |condition: &'static str, value: Arg<'static>| {
        conditions.push(condition);
        args.push(value);
    };
    if let Some(v) = filter.plan {
        add("plan_id = ?", v.into());
    }
    if let Some(v) = filter.run {
        add("run_id = ?", v.into());
    }
    if let Some(v) = filter.reviewer {
        add("reviewer_id = ?", v.into());
    }
    if let Some(v) = filter.call {
        add("call_id = ?", v.into());
    }
    if let Some(v) = filter.status {
        add("status = ?", v.code().into());
    }
    if let Some(v) = filter.due_before {
        add("due < ?", date_stamp(v).into());
    }
    let clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    (clause, args)
}

impl SqlStore<'_> {
    fn ids(&self, sql: &str) -> Loaded<HashSet<CallId>> {
        Ok(self
            .conn
            .all(sql, args![], |r| r.get(0))?
            .into_iter()
            .collect())
    }

    fn load_detail(&self, id: u32) -> Loaded<Option<ScorecardDetail>> {
        let conn = self.conn;
        let Some((name, archived)) = conn.first(
            "SELECT name, archived_at IS NOT NULL FROM scorecards WHERE id = ?1",
            args![id],
            |r| Ok((rows::json::<LocalizedText>(r, 0)?, r.get::<bool>(1)?)),
        )?
        else {
            return Ok(None);
        };
        let draft = conn.first(
            "SELECT id, version, lock_version, definition FROM scorecard_versions WHERE scorecard_id = ?1 AND status = 'draft'",
            args![id],
            |r| {
                Ok(Draft {
                    id: r.get(0)?,
                    version: r.get(1)?,
                    lock_version: r.get(2)?,
                    definition: definition_of(&r.get::<String>(3)?)?,
                })
            },
        )?;
        let lock_version: u32 = conn.value(
            "SELECT COALESCE(MAX(lock_version), 0) FROM scorecard_versions WHERE scorecard_id = ?1",
            args![id],
        )?;
        let versions = conn.all(
            "SELECT id, version, published_at FROM scorecard_versions WHERE scorecard_id = ?1 AND status = 'published' ORDER BY version DESC",
            args![id],
            |r| {
                Ok(PublishedVersion {
                    id: r.get(0)?,
                    version: r.get(1)?,
                    published_at: r.get(2)?,
                })
            },
        )?;
        Ok(Some(ScorecardDetail {
            id,
            name,
            archived,
            lock_version,
            draft,
            versions,
        }))
    }

    /// An evaluation's answers in one statement per hundred: on PostgreSQL each statement is a
    /// round trip made while holding the write lock, and a card has dozens of criteria.
    fn write_answers(&self, evaluation: u32, answers: &Answers) -> Loaded<()> {
        let answers: Vec<_> = answers.iter().collect();
        for chunk in answers.chunks(100) {
            let mut sql =
                String::from("INSERT INTO answers (evaluation_id, criterion_key, value) VALUES ");
            let mut values = Vec::with_capacity(chunk.len() * 3);
            for (n, (key, answer)) in chunk.iter().enumerate() {
                let first = n * 3 + 1;
                if n > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("(?{first}, ?{}, ?{})", first + 1, first + 2));
                values.push(Arg::from(evaluation));
                values.push(Arg::from(key.as_str()));
                values.push(Arg::from(json(answer)?));
            }
            self.conn.execute(&sql, &values)?;
        }
        Ok(())
    }

    fn with_answers(&self, mut evaluation: Evaluation) -> Loaded<Evaluation> {
        evaluation.answers = self
            .conn
            .all(
                "SELECT criterion_key, value FROM answers WHERE evaluation_id = ?1",
                args![evaluation.id],
                |r| Ok((r.get::<String>(0)?, rows::json(r, 1)?)),
            )?
            .into_iter()
            .collect();
        Ok(evaluation)
    }

    /// Many evaluations' answers in one statement rather than one each.
    fn with_all_answers(&self, mut evaluations: Vec<Evaluation>) -> Loaded<Vec<Evaluation>> {
        let ids: Vec<u32> = evaluations.iter().map(|e| e.id).collect();
        let mut answers: HashMap<u32, Answers> =
            coaching::answers_of(self.conn, &ids)?.into_iter().collect();
        for e in &mut evaluations {
            e.answers = answers.remove(&e.id).unwrap_or_default();
        }
        Ok(evaluations)
    }

    fn audit(&self, actor: Option<UserId>, change: &Change, entity_id: u32) -> Loaded<()> {
        rows::audit(
            self.conn,
            actor,
            change.action(),
            change.entity(),
            Some(entity_id),
            &change.audit_detail(),
        )
    }

    fn apply(&self, actor: Option<UserId>, change: &Change) -> Loaded<u32> {
        if let Some(id) = coaching::apply(self.conn, change)? {
            return Ok(id);
        }
        if let Some(id) = vocabulary::apply(self.conn, change)? {
            return Ok(id);
        }
        if let Some(id) = imports::apply(self.conn, change)? {
            return Ok(id);
        }
        let run = |sql: &str, args: &[Arg]| self.conn.execute(sql, args);
        Ok(match change {
            Change::ScorecardCreated {
                definition,
                version,
                lock_version,
                created_at,
            } => {
                let id =
                    self.insert_scorecard(None, &definition.name, actor, &stamp(*created_at))?;
                self.insert_version(None, id, *version, definition, *lock_version, None)?;
                id
            }
            Change::DraftSaved {
                scorecard,
                version,
                lock_version,
                definition,
            } => {
                let updated = run(
                    "UPDATE scorecard_versions SET definition = ?1, lock_version = ?2 WHERE scorecard_id = ?3 AND status = 'draft'",
                    args![json(definition)?, lock_version, scorecard],
                )?;
                if updated == 0 {
                    self.insert_version(
                        None,
                        *scorecard,
                        *version,
                        definition,
                        *lock_version,
                        None,
                    )?;
                }
                run(
                    "UPDATE scorecards SET name = ?1 WHERE id = ?2",
                    args![json(&definition.name)?, scorecard],
                )?;
                *scorecard
            }
            Change::DraftPublished {
                scorecard,
                published_at,
            } => {
                run("UPDATE scorecard_versions SET status = 'published', published_at = ?1 WHERE scorecard_id = ?2 AND status = 'draft'", args![stamp(*published_at), scorecard])?;
                *scorecard
            }
            Change::ArchiveSet {
                scorecard,
                archived_at,
            } => {
                run(
                    "UPDATE scorecards SET archived_at = ?1 WHERE id = ?2",
                    args![archived_at.map(stamp), scorecard],
                )?;
                *scorecard
            }
            Change::EvaluationSubmitted(e) => {
                let id = self.insert_evaluation(None, e)?;
                self.write_event(id, &e.submission_event())?;
                id
            }
            Change::EvaluationAmended {
                id,
                content,
                score,
                passed,
                event,
            } => {
                run("UPDATE evaluations SET score = ?1, passed = ?2, notes = ?3, feedback = ?4 WHERE id = ?5", args![score, passed, json(&content.notes)?, &content.feedback, id])?;
                run("DELETE FROM answers WHERE evaluation_id = ?1", args![id])?;
                self.write_answers(*id, &content.answers)?;
                self.write_event(*id, event)?;
                *id
            }
            Change::EvaluationSeen { id, at } => {
                run(
                    "UPDATE evaluations SET seen_at = ?1 WHERE id = ?2",
                    args![stamp(*at), id],
                )?;
                *id
            }
            Change::EvaluationAcknowledged { id, at } => {
                run("UPDATE evaluations SET acknowledged_at = ?1, seen_at = COALESCE(seen_at, ?1) WHERE id = ?2", args![stamp(*at), id])?;
                *id
            }
            Change::ReviewDraftSaved(d) => {
                self.save_review_draft(d)?;
                d.call_id
            }
            Change::ReviewDraftCleared {
                reviewer,
                call,
                calibration,
            } => {
                run("DELETE FROM review_drafts WHERE reviewer_id = ?1 AND call_id = ?2 AND calibration_id = ?3", args![reviewer, call, calibration.unwrap_or(0)])?;
                *call
            }
            Change::CalibrationCreated(s) => self.insert_calibration_session(None, s, None)?,
            Change::CalibrationScored(s) => {
                self.insert_calibration_score(s)?;
                s.session_id
            }
            Change::CalibrationRevealed { id, at, report } => {
                run(
                    "UPDATE calibration_sessions SET revealed_at = ?1, report = ?2 WHERE id = ?3",
                    args![stamp(*at), json(report)?, id],
                )?;
                *id
            }
            Change::ConsensusRecorded {
                id,
                consensus,
                report,
            } => {
                run(
                    "UPDATE calibration_sessions SET consensus = ?1, report = ?2 WHERE id = ?3",
                    args![json(consensus)?, json(report)?, id],
                )?;
                *id
            }
            Change::DisputeRaised(d) => self.insert_dispute(None, d)?,
            Change::DisputeRuled { id, ruling } => {
                run(
                    "UPDATE disputes SET ruling = ?1 WHERE id = ?2",
                    args![json(ruling)?, id],
                )?;
                *id
            }
            Change::UserCreated { user, password } => {
                let hash = self.hash_of(password)?;
                self.insert_user(None, user, &hash)?
            }
            Change::UserActiveSet { user, active } => {
                run(
                    "UPDATE users SET active = ?1 WHERE id = ?2",
                    args![active, user],
                )?;
                if !active {
                    // A deactivated user is signed out everywhere at once.
                    run("DELETE FROM sessions WHERE user_id = ?1", args![user])?;
                }
                *user
            }
            Change::PasswordSet { user, password } => {
                let hash = self.hash_of(password)?;
                run(
                    "UPDATE users SET password_hash = ?1 WHERE id = ?2",
                    args![hash, user],
                )?;
                // Whoever knew the old password is signed out.
                run("DELETE FROM sessions WHERE user_id = ?1", args![user])?;
                *user
            }
            Change::PlanCreated(plan) => self.insert_plan(None, plan)?,
            Change::PlanEdited { id, spec, revision } => {
                run(
                    "UPDATE sampling_plans SET spec = ?1, revision = ?2 WHERE id = ?3",
                    args![json(spec)?, revision, id],
                )?;
                *id
            }
            Change::PlanStatusSet {
                id,
                status,
                revision,
            } => {
                run(
                    "UPDATE sampling_plans SET status = ?1, revision = ?2 WHERE id = ?3",
                    args![status.code(), revision, id],
                )?;
                *id
            }
            Change::UserEdited { user, profile } => {
                run(
                    "UPDATE users SET display_name = ?1, role = ?2, team_id = ?3, agent_code = ?4 WHERE id = ?5",
                    args![
                        &profile.display_name,
                        profile.role.code(),
                        profile.team_id,
                        &profile.agent_code,
                        user
                    ],
                )?;
                *user
            }
            Change::RunCommitted {
                run: r,
                assignments,
            } => {
                let run_id = self.insert_run(None, r)?;
                for a in assignments {
                    self.insert_assignment(None, a, run_id)?;
                }
                run_id
            }
            Change::AssignmentReplaced {
                id,
                reason,
                replacement,
            } => {
                run(
                    "UPDATE assignments SET status = 'replaced', reason = ?1 WHERE id = ?2",
                    args![reason, id],
                )?;
                self.insert_assignment(None, replacement, replacement.run_id)?
            }
            Change::AssignmentReassigned { id, reviewer } => {
                run(
                    "UPDATE assignments SET reviewer_id = ?1 WHERE id = ?2",
                    args![reviewer, id],
                )?;
                *id
            }
            Change::AssignmentDone { id, evaluation } => {
                run(
                    "UPDATE assignments SET status = 'done', evaluation_id = ?1 WHERE id = ?2",
                    args![evaluation, id],
                )?;
                *id
            }
            Change::CoachingSessionCreated(_)
            | Change::CoachingSessionEdited { .. }
            | Change::CoachingSessionMoved { .. }
            | Change::CoachingSessionAcknowledged { .. }
            | Change::CoachingNoteWritten(_)
            | Change::CoachingNoteAcknowledged { .. }
            | Change::ActionItemCreated(_)
            | Change::ActionItemSettled { .. }
            | Change::NoticeSeen(_)
            | Change::CoachingFollowUpSet { .. } => {
                unreachable!("coaching changes are written by `coaching::apply`")
            }
            Change::TermDefined(_) | Change::TermEdited { .. } => {
                unreachable!("vocabulary changes are written by `vocabulary::apply`")
            }
            Change::ImportSaved(_) | Change::ImportProgressed(_) => {
                unreachable!("import changes are written by `imports::apply`")
            }
            Change::CallsImported { new, updated, .. } => {
                calls::write_imported(self.conn, new, updated)?
            }
        })
    }
}

// ---- Rows written: one statement a table, for decided changes and for loading a whole centre.
// An id of `None` is the store's to give; a centre loaded from elsewhere keeps its own.

impl SqlStore<'_> {
    pub(crate) fn insert_team(&self, team: &Team) -> Loaded<()> {
        // Without its lead: the lead's account refers to the team. `set_team_lead` follows.
        self.conn.execute(
            "INSERT INTO teams (id, name_en, name_zh) VALUES (?1, ?2, ?3)",
            args![team.id, &team.name.en, &team.name.zh],
        )?;
        Ok(())
    }

    pub(crate) fn set_team_lead(&self, team: TeamId, lead: Option<UserId>) -> Loaded<()> {
        self.conn.execute(
            "UPDATE teams SET lead_id = ?1 WHERE id = ?2",
            args![lead, team],
        )?;
        Ok(())
    }

    pub(crate) fn insert_user(
        &self,
        id: Option<UserId>,
        user: &User,
        password_hash: &str,
    ) -> Loaded<u32> {
        self.conn.insert(
            "INSERT INTO users (id, username, display_name, role, team_id, password_hash, active, agent_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
            args![id, &user.username, &user.display_name, user.role.code(), user.team_id, password_hash, user.active, &user.agent_code],
        )
    }

    pub(crate) fn insert_scorecard(
        &self,
        id: Option<u32>,
        name: &LocalizedText,
        created_by: Option<UserId>,
        created_at: &str,
    ) -> Loaded<u32> {
        self.conn.insert(
            "INSERT INTO scorecards (id, name, created_by, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
            args![id, json(name)?, created_by, created_at],
        )
    }

    /// A published version when it has a publication date, else the card's open draft.
    pub(crate) fn insert_version(
        &self,
        id: Option<u32>,
        scorecard: u32,
        version: u32,
        definition: &ScorecardDefinition,
        lock_version: u32,
        published_at: Option<&str>,
    ) -> Loaded<u32> {
        let status = if published_at.is_some() {
            "published"
        } else {
            "draft"
        };
        self.conn.insert(
            "INSERT INTO scorecard_versions (id, scorecard_id, version, status, definition, lock_version, published_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            args![id, scorecard, version, status, json(definition)?, lock_version, published_at],
        )
    }

    /// A submitted evaluation with its answers (its score history is written apart).
    pub(crate) fn insert_evaluation(&self, id: Option<u32>, e: &Evaluation) -> Loaded<u32> {
        let at = stamp(e.submitted_at);
        let id = self.conn.insert(
            "INSERT INTO evaluations (id, call_id, scorecard_version_id, scorecard_id, reviewer_id, agent_id, status, score, passed, created_at, submitted_at, notes, feedback, seen_at, acknowledged_at, draft_revision, started_at)
             VALUES (?1, ?2, ?3, (SELECT scorecard_id FROM scorecard_versions WHERE id = ?3), ?4, ?5, 'submitted', ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id",
            args![id, e.call_id, e.scorecard_version_id, e.reviewer_id, e.agent_id, e.score, e.passed, at, json(&e.notes)?, &e.feedback, e.seen_at.map(stamp), e.acknowledged_at.map(stamp), e.draft_revision, e.started_at.map(stamp)],
        )?;
        self.write_answers(id, &e.answers)?;
        Ok(id)
    }

    /// Writes a reviewer's draft of a call, replacing the one they had.
    pub(crate) fn save_review_draft(&self, d: &ReviewDraft) -> Loaded<()> {
        self.conn.execute(
            "INSERT INTO review_drafts (reviewer_id, call_id, calibration_id, scorecard_version_id, content, revision, saved_at, started_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (reviewer_id, call_id, calibration_id) DO UPDATE SET scorecard_version_id = excluded.scorecard_version_id, content = excluded.content, revision = excluded.revision, saved_at = excluded.saved_at, started_at = excluded.started_at",
            args![d.reviewer_id, d.call_id, d.calibration_id.unwrap_or(0), d.scorecard_version_id, json(&d.content)?, d.revision, stamp(d.saved_at), d.started_at.map(stamp)],
        )?;
        Ok(())
    }

    pub(crate) fn insert_dispute(&self, id: Option<DisputeId>, d: &Dispute) -> Loaded<u32> {
        let ruling = d.ruling.as_ref().map(json).transpose()?;
        self.conn.insert(
            "INSERT INTO disputes (id, evaluation_id, agent_id, reviewer_id, raised_at, points, ruling) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            args![id, d.evaluation_id, d.agent_id, d.reviewer_id, stamp(d.raised_at), json(&d.points)?, ruling],
        )
    }

    pub(crate) fn insert_plan(&self, id: Option<PlanId>, plan: &SamplingPlan) -> Loaded<u32> {
        self.conn.insert(
            "INSERT INTO sampling_plans (id, spec, created_by, created_at, status, revision) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
            args![id, json(&plan.spec)?, plan.created_by, stamp(plan.created_at), plan.status.code(), plan.revision],
        )
    }

    pub(crate) fn insert_run(&self, id: Option<RunId>, r: &PlanRun) -> Loaded<u32> {
        self.conn.insert(
            "INSERT INTO plan_runs (id, plan_id, number, seed, run_on, window_from, window_to, scorecard_version_id, population, requested, sampled, due, strata, spec)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id",
            args![id, r.plan_id, r.number, r.seed as i64, date_stamp(r.run_on), r.from.map(date_stamp), r.to.map(date_stamp), r.scorecard_version_id, r.population, r.requested, r.sampled, date_stamp(r.due), json(&r.strata)?, json(&r.spec)?],
        )
    }

    pub(crate) fn insert_assignment(
        &self,
        id: Option<AssignmentId>,
        a: &Assignment,
        run_id: RunId,
    ) -> Loaded<u32> {
        self.conn.insert(
            "INSERT INTO assignments (id, plan_id, run_id, call_id, agent_id, reviewer_id, stratum, rule, due, status, reason, replaces, evaluation_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
            args![id, a.plan_id, run_id, a.call_id, a.agent_id, a.reviewer_id, &a.stratum, a.rule.code(), date_stamp(a.due), a.status.code(), &a.reason, a.replaces, a.evaluation_id],
        )
    }

    pub(crate) fn insert_calibration_session(
        &self,
        id: Option<CalibrationId>,
        s: &CalibrationSession,
        report: Option<&SessionReport>,
    ) -> Loaded<u32> {
        let consensus = s.consensus.as_ref().map(json).transpose()?;
        let report = report.map(json).transpose()?;
        self.conn.insert(
            "INSERT INTO calibration_sessions (id, title, scorecard_version_id, call_ids, participants, calibrator_id, deadline, visibility, threshold, created_by, created_at, revealed_at, consensus, report)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id",
            args![id, json(&s.title)?, s.scorecard_version_id, json(&s.call_ids)?, json(&s.participants)?, s.calibrator, stamp(s.deadline), s.visibility.code(), s.threshold, s.created_by, stamp(s.created_at), s.revealed_at.map(stamp), consensus, report],
        )
    }

    pub(crate) fn insert_calibration_score(&self, s: &CalibrationScore) -> Loaded<()> {
        self.conn.execute(
            "INSERT INTO calibration_scores (session_id, call_id, user_id, answers, notes, score, submitted_at, late) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            args![s.session_id, s.call_id, s.user_id, json(&s.answers)?, json(&s.notes)?, s.score, stamp(s.submitted_at), s.late],
        )?;
        Ok(())
    }

    pub(crate) fn write_event(&self, evaluation: u32, e: &ScoreEvent) -> Loaded<()> {
        self.conn.execute(
            "INSERT INTO score_history (evaluation_id, kind, actor_id, at, score, passed, reason, answers) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            args![evaluation, e.kind.code(), e.actor_id, stamp(e.at), e.score, e.passed, &e.reason, json(&e.answers)?],
        )?;
        Ok(())
    }
}

impl Store for SqlStore<'_> {
    fn user(&self, id: UserId) -> Loaded<Option<User>> {
        rows::find_user(self.conn, id)
    }

    fn users(&self) -> Loaded<Vec<User>> {
        rows::all_users(self.conn)
    }

    fn username_taken(&self, username: &str) -> Loaded<bool> {
        self.conn.value(
            "SELECT EXISTS (SELECT 1 FROM users WHERE lower(username) = lower(?1))",
            args![username],
        )
    }

    fn agent_code_owner(&self, code: &str) -> Loaded<Option<UserId>> {
        self.conn.first(
            "SELECT id FROM users WHERE lower(agent_code) = lower(?1)",
            args![code],
            |r| r.get(0),
        )
    }

    fn team(&self, id: TeamId) -> Loaded<Option<Team>> {
        Ok(self.teams()?.into_iter().find(|t| t.id == id))
    }

    fn teams(&self) -> Loaded<Vec<Team>> {
        rows::teams(self.conn)
    }

    fn call_count(&self) -> Loaded<u64> {
        self.conn.value("SELECT COUNT(*) FROM calls", args![])
    }

    fn search_calls(&self, query: &CallQuery) -> Loaded<Page<Call>> {
        calls::search(self.conn, query)
    }

    fn transcript(&self, call: CallId) -> Loaded<Vec<TranscriptLine>> {
        calls::transcript(self.conn, call)
    }

    fn call(&self, id: CallId) -> Loaded<Option<Call>> {
        self.conn.first(
            &format!("SELECT {CALL_COLUMNS} FROM calls WHERE id = ?1"),
            args![id],
            call_from_row,
        )
    }

    fn calls(&self, ids: &[CallId]) -> Loaded<Vec<Call>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = id_list(ids);
        self.conn.all(
            &format!("SELECT {CALL_COLUMNS} FROM calls WHERE id IN ({list})"),
            args![],
            call_from_row,
        )
    }

    fn scorecard(&self, id: u32) -> Loaded<Option<ScorecardDetail>> {
        self.load_detail(id)
    }

    fn scorecards(&self) -> Loaded<Vec<ScorecardSummary>> {
        let ids: Vec<u32> = self
            .conn
            .all("SELECT id FROM scorecards", args![], |r| r.get(0))?;
        let mut list = Vec::new();
        for id in ids {
            let mut summary = self
                .load_detail(id)?
                .ok_or_else(|| StoreError(format!("scorecard {id} vanished")))?
                .summary();
            summary.evaluations = self.conn.value(
                "SELECT COUNT(*) FROM evaluations e JOIN scorecard_versions v ON v.id = e.scorecard_version_id WHERE v.scorecard_id = ?1 AND e.status = 'submitted'",
                args![id],
            )?;
            list.push(summary);
        }
        Ok(list)
    }

    fn version(&self, id: u32) -> Loaded<Option<ScorecardVersion>> {
        self.conn.first(
            "SELECT scorecard_id, version, status, definition FROM scorecard_versions WHERE id = ?1",
            args![id],
            |r| {
                Ok(ScorecardVersion {
                    id,
                    scorecard_id: r.get(0)?,
                    version: r.get(1)?,
                    published: r.get::<String>(2)? == "published",
                    definition: definition_of(&r.get::<String>(3)?)?,
                })
            },
        )
    }

    fn evaluation(&self, id: u32) -> Loaded<Option<Evaluation>> {
        let found = self.conn.first(
            &format!("SELECT {EVALUATION_COLUMNS} FROM evaluations WHERE id = ?1 AND status = 'submitted'"),
            args![id],
            evaluation_from_row,
        )?;
        found.map(|e| self.with_answers(e)).transpose()
    }

    fn scores(&self, ids: &[u32]) -> Loaded<Vec<(u32, f64, bool)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = id_list(ids);
        self.conn.all(
            &format!("SELECT id, score, passed FROM evaluations WHERE id IN ({list}) AND status = 'submitted'"),
            args![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    fn pass_counts(&self, since: chrono::NaiveDateTime) -> Loaded<Vec<(UserId, u32, u32)>> {
        self.conn.all(
            // Counted, not summed: a sum of booleans is no number in every database.
            "SELECT agent_id, COUNT(CASE WHEN passed THEN 1 END), COUNT(*) FROM evaluations WHERE status = 'submitted' AND submitted_at >= ?1 GROUP BY agent_id ORDER BY agent_id",
            args![stamp(since)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    fn scan_calls(&self, query: &CallQuery, each: &mut dyn FnMut(&Call)) -> Loaded<()> {
        let (filter, args) = calls::filter_sql(query);
        // Row by row: the calls are never all in memory at once.
        self.conn.each(
            &format!("SELECT {CALL_COLUMNS} FROM calls {filter}"),
            &args,
            &mut |row| {
                each(&call_from_row(row)?);
                Ok(())
            },
        )
    }

    fn evaluated_calls(&self) -> Loaded<HashSet<CallId>> {
        self.ids("SELECT DISTINCT call_id FROM evaluations WHERE status = 'submitted'")
    }

    fn assigned_calls(&self) -> Loaded<HashSet<CallId>> {
        self.ids("SELECT DISTINCT call_id FROM assignments WHERE status = 'open'")
    }

    fn plans(&self) -> Loaded<Vec<SamplingPlan>> {
        self.conn.all(
            &format!("SELECT {PLAN_COLUMNS} FROM sampling_plans ORDER BY id"),
            args![],
            plan_from_row,
        )
    }

    fn plan(&self, id: PlanId) -> Loaded<Option<SamplingPlan>> {
        self.conn.first(
            &format!("SELECT {PLAN_COLUMNS} FROM sampling_plans WHERE id = ?1"),
            args![id],
            plan_from_row,
        )
    }

    fn runs(&self, plan: PlanId) -> Loaded<Vec<PlanRun>> {
        self.conn.all(
            &format!("SELECT {RUN_COLUMNS} FROM plan_runs WHERE plan_id = ?1 ORDER BY number"),
            args![plan],
            run_from_row,
        )
    }

    fn run(&self, id: RunId) -> Loaded<Option<PlanRun>> {
        self.conn.first(
            &format!("SELECT {RUN_COLUMNS} FROM plan_runs WHERE id = ?1"),
            args![id],
            run_from_row,
        )
    }

    fn assignment(&self, id: AssignmentId) -> Loaded<Option<Assignment>> {
        self.conn.first(
            &format!("SELECT {ASSIGNMENT_COLUMNS} FROM assignments WHERE id = ?1"),
            args![id],
            assignment_from_row,
        )
    }

    fn assignments(
        &self,
        filter: &AssignmentFilter,
        offset: u32,
        limit: u32,
    ) -> Loaded<(Vec<Assignment>, u32)> {
        let (clause, args) = assignment_filter(filter);
        let total: u32 = self
            .conn
            .value(&format!("SELECT COUNT(*) FROM assignments {clause}"), &args)?;
        let page = self.conn.all(
            &format!("SELECT {ASSIGNMENT_COLUMNS} FROM assignments {clause} ORDER BY due, id LIMIT {limit} OFFSET {offset}"),
            &args,
            assignment_from_row,
        )?;
        Ok((page, total))
    }

    fn tally(&self, plan: Option<PlanId>, reviewer: Option<UserId>) -> Loaded<Tally> {
        let (clause, args) = assignment_filter(&AssignmentFilter {
            plan,
            reviewer,
            ..AssignmentFilter::default()
        });
        self.conn.all(
            &format!("SELECT reviewer_id, status, due, COUNT(*) FROM assignments {clause} GROUP BY reviewer_id, status, due"),
            &args,
            |r| Ok((r.get(0)?, rows::coded(r, 1)?, rows::date(r, 2)?, r.get(3)?)),
        )
    }

    fn review_draft(
        &self,
        reviewer: UserId,
        call: CallId,
        calibration: Option<CalibrationId>,
    ) -> Loaded<Option<ReviewDraft>> {
        self.conn.first(
            "SELECT scorecard_version_id, content, revision, saved_at, started_at FROM review_drafts WHERE reviewer_id = ?1 AND call_id = ?2 AND calibration_id = ?3",
            args![reviewer, call, calibration.unwrap_or(0)],
            |r| {
                Ok(ReviewDraft {
                    call_id: call,
                    reviewer_id: reviewer,
                    scorecard_version_id: r.get(0)?,
                    content: rows::json(r, 1)?,
                    revision: r.get(2)?,
                    saved_at: rows::time(r, 3)?,
                    started_at: rows::maybe(r, 4, rows::time)?,
                    calibration_id: calibration,
                })
            },
        )
    }

    fn history(&self, evaluation: u32) -> Loaded<Vec<ScoreEvent>> {
        self.conn.all(
            "SELECT kind, actor_id, at, score, passed, reason, answers FROM score_history WHERE evaluation_id = ?1 ORDER BY id",
            args![evaluation],
            |r| {
                Ok(ScoreEvent {
                    kind: rows::coded(r, 0)?,
                    actor_id: r.get(1)?,
                    at: rows::time(r, 2)?,
                    score: r.get(3)?,
                    passed: r.get(4)?,
                    reason: r.get(5)?,
                    answers: rows::json(r, 6)?,
                })
            },
        )
    }

    fn evaluations_of_agent(&self, agent: UserId) -> Loaded<Vec<Evaluation>> {
        let found = self.conn.all(
            &format!("SELECT {EVALUATION_COLUMNS} FROM evaluations WHERE agent_id = ?1 AND status = 'submitted'"),
            args![agent],
            evaluation_from_row,
        )?;
        self.with_all_answers(found)
    }

    fn evaluations_of_call(&self, call: CallId) -> Loaded<Vec<Evaluation>> {
        let found = self.conn.all(
            &format!("SELECT {EVALUATION_COLUMNS} FROM evaluations WHERE call_id = ?1 AND status = 'submitted'"),
            args![call],
            evaluation_from_row,
        )?;
        self.with_all_answers(found)
    }

    fn dispute(&self, id: DisputeId) -> Loaded<Option<Dispute>> {
        self.conn.first(
            &format!("SELECT {DISPUTE_COLUMNS} FROM disputes WHERE id = ?1"),
            args![id],
            dispute_from_row,
        )
    }

    fn disputes(&self, evaluation: Option<u32>, agent: Option<UserId>) -> Loaded<Vec<Dispute>> {
        self.conn.all(
            &format!("SELECT {DISPUTE_COLUMNS} FROM disputes WHERE (CAST(?1 AS BIGINT) IS NULL OR evaluation_id = ?1) AND (CAST(?2 AS BIGINT) IS NULL OR agent_id = ?2)
                 AND evaluation_id IN (SELECT id FROM evaluations WHERE status = 'submitted')"),
            args![evaluation, agent],
            dispute_from_row,
        )
    }

    fn clock(&self, at: chrono::NaiveDateTime) -> Loaded<CentreClock> {
        use chrono::{Offset, TimeZone};
        let setting = |key: &str| settings::setting(self.conn, key);
        // Until the server sets them at start (a bare test database): UTC, weeks from Monday.
        let zone: chrono_tz::Tz = match setting("time_zone")? {
            Some(name) => name
                .parse()
                .map_err(|_| StoreError(format!("stored time zone {name:?}")))?,
            None => chrono_tz::UTC,
        };
        let week_starts = match setting("week_starts")? {
            Some(day) => day
                .parse()
                .map_err(|_| StoreError(format!("stored week start {day:?}")))?,
            None => chrono::Weekday::Mon,
        };
        Ok(CentreClock {
            utc_offset_minutes: zone.offset_from_utc_datetime(&at).fix().local_minus_utc() / 60,
            week_starts,
        })
    }

    fn dispute_policy(&self) -> Loaded<DisputePolicy> {
        let stored = settings::setting(self.conn, "dispute_policy")?;
        stored.map_or(Ok(DisputePolicy::default()), |json| {
            serde_json::from_str(&json)
                .map_err(|e| StoreError(format!("stored dispute policy: {e}")))
        })
    }

    fn calibration_session(&self, id: CalibrationId) -> Loaded<Option<CalibrationSession>> {
        self.conn.first(
            &format!("SELECT {SESSION_COLUMNS} FROM calibration_sessions WHERE id = ?1"),
            args![id],
            session_from_row,
        )
    }

    fn calibration_sessions(&self) -> Loaded<Vec<CalibrationSession>> {
        self.conn.all(
            &format!("SELECT {SESSION_COLUMNS} FROM calibration_sessions"),
            args![],
            session_from_row,
        )
    }

    fn calibration_scores(&self, session: CalibrationId) -> Loaded<Vec<CalibrationScore>> {
        self.conn.all(
            "SELECT session_id, call_id, user_id, answers, notes, score, submitted_at, late FROM calibration_scores WHERE session_id = ?1",
            args![session],
            |r| {
                Ok(CalibrationScore {
                    session_id: r.get(0)?,
                    call_id: r.get(1)?,
                    user_id: r.get(2)?,
                    answers: rows::json(r, 3)?,
                    notes: rows::json(r, 4)?,
                    score: r.get(5)?,
                    submitted_at: rows::time(r, 6)?,
                    late: r.get(7)?,
                })
            },
        )
    }

    fn calibration_report(&self, session: CalibrationId) -> Loaded<Option<SessionReport>> {
        let stored = self.conn.first(
            "SELECT report FROM calibration_sessions WHERE id = ?1",
            args![session],
            |r| rows::maybe(r, 0, rows::json),
        )?;
        Ok(stored.flatten())
    }

    fn scored_calls(
        &self,
        agents: Option<&[UserId]>,
        since: chrono::NaiveDateTime,
    ) -> Loaded<Vec<kappa_domain::progress::ScoredCall>> {
        coaching::scored_calls(self.conn, agents, since)
    }

    fn answers_of(&self, ids: &[u32]) -> Loaded<Vec<(u32, Answers)>> {
        coaching::answers_of(self.conn, ids)
    }

    fn coaching_session(&self, id: u32) -> Loaded<Option<CoachingSession>> {
        coaching::session(self.conn, id)
    }

    fn coaching_sessions(&self, agents: Option<&[UserId]>) -> Loaded<Vec<CoachingSession>> {
        coaching::sessions(self.conn, agents)
    }

    fn coaching_note(&self, id: u32) -> Loaded<Option<CoachingNote>> {
        coaching::note(self.conn, id)
    }

    fn coaching_notes(&self, agents: Option<&[UserId]>) -> Loaded<Vec<CoachingNote>> {
        coaching::notes(self.conn, agents)
    }

    fn action_item(&self, id: u32) -> Loaded<Option<ActionItem>> {
        coaching::action(self.conn, id)
    }

    fn action_items(&self, agents: Option<&[UserId]>) -> Loaded<Vec<ActionItem>> {
        coaching::actions(self.conn, agents)
    }

    fn unacknowledged(&self, agents: &[UserId]) -> Loaded<Vec<(UserId, chrono::NaiveDateTime)>> {
        coaching::unacknowledged(self.conn, agents)
    }

    fn calls_by_origin(&self, source: &str, external_ids: &[String]) -> Loaded<Vec<Call>> {
        calls::by_origin(self.conn, source, external_ids)
    }

    fn vocabulary(&self) -> Loaded<kappa_domain::vocabulary::Vocabulary> {
        vocabulary::load(self.conn)
    }

    fn file_import(
        &self,
        id: kappa_domain::file_import::ImportId,
    ) -> Loaded<Option<kappa_domain::file_import::FileImport>> {
        imports::import(self.conn, id)
    }

    fn file_imports(
        &self,
        by: Option<UserId>,
        limit: usize,
    ) -> Loaded<Vec<kappa_domain::file_import::FileImport>> {
        imports::imports(self.conn, by, limit)
    }

    fn seen_marks(&self, user: UserId) -> Loaded<Vec<(kappa_domain::notices::NoticeKind, u32)>> {
        coaching::seen_marks(self.conn, user)
    }

    fn write(&mut self, actor: Option<UserId>, change: Change) -> Loaded<u32> {
        let id = self.apply(actor, &change)?;
        if change.audited() {
            self.audit(actor, &change, id)?;
        }
        Ok(id)
    }
}
