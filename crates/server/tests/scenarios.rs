//! One scenario suite, two stores: every script runs against the SQLite store (a real file, one
//! transaction per step, as the server runs them) and against the in-memory store the static
//! demo runs in the browser. Both must give the same answer at every step, refusals included,
//! and leave the same audit trail; each step's expected outcome is asserted too, so the suite
//! pins the rules, not only the agreement.

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::{demo, memory_store, sample_scorecard};
use kappa_domain::api::{
    ArchiveRequest, NewUser, PasswordReset, PublishRequest, UserPatch, UserProfile,
};
use kappa_domain::calibration::{ConsensusRequest, ReportBasis};
use kappa_domain::evaluation::EvaluationSubmission;
use kappa_domain::plan::{QueueQuery, ReassignRequest, ReplaceRequest};
use kappa_domain::review::{Amendment, DisputeRequest, DraftWrite, ReviewContent, RulingRequest};
use kappa_domain::scorecard::DraftSave;
use kappa_domain::store::Store;
use kappa_domain::workflow::{self, Failure};
use kappa_domain::{Code, Problem, Role, User};
use kappa_server::store::SqlStore;
use kappa_server::Db;
use serde_json::{json, Value};

/// One thing someone does, by username.
#[derive(Clone)]
enum Step {
    CreateScorecard(&'static str, Value),
    SaveDraft(&'static str, u32, u32, Value),
    Publish(&'static str, u32, u32),
    Archive(&'static str, u32, bool),
    Submit(&'static str, u32, u32, Value),
    /// The same submission sent again (a retry after a lost answer): (by, call, version, answers)
    SubmitAgain(&'static str, u32, u32, Value),
    SetActive(&'static str, &'static str, bool),
    CreateUser(&'static str, Value),
    ResetPassword(&'static str, &'static str, &'static str),
    ChangePassword(&'static str, bool, &'static str),
    ListScorecards(&'static str),
    ReadScorecard(&'static str, u32),
    ReadVersion(&'static str, u32),
    ReadEvaluation(&'static str, u32),
    ReadCall(&'static str, u32),
    /// (by, query string)
    SearchCalls(&'static str, &'static str),
    CallPage(&'static str, u32),
    Directory(&'static str),
    ListUsers(&'static str),
    PreviewPlan(&'static str, Value),
    CreatePlan(&'static str, Value),
    RunPlan(&'static str, u32),
    /// (by, plan, spec, revision read)
    EditPlan(&'static str, u32, Value),
    /// (by, plan, status, revision read)
    SetPlanStatus(&'static str, u32, &'static str, u32),
    /// (by, user id, `{profile, expected}`)
    EditUser(&'static str, u32, Value),
    ListPlans(&'static str),
    ReadPlan(&'static str, u32),
    Queue(&'static str, String),
    Replace(&'static str, u32, &'static str),
    Reassign(&'static str, u32, &'static str),
    StartReview(&'static str, u32),
    ReadReviewDraft(&'static str, u32),
    /// (by, call, version, content, base revision)
    SaveReviewDraft(&'static str, u32, u32, Value, u32),
    /// (by, call, version, content with notes and feedback)
    SubmitReview(&'static str, u32, u32, Value),
    Amend(&'static str, u32, Value, &'static str),
    Seen(&'static str, u32),
    Acknowledge(&'static str, u32),
    Feedback(&'static str),
    RaiseDispute(&'static str, u32, Value),
    Rule(&'static str, u32, Value),
    Disputes(&'static str, &'static str),
    CreateCalibration(&'static str, Value),
    ListCalibrations(&'static str),
    ReadCalibration(&'static str, u32),
    /// (by, call, session)
    StartCalibrationReview(&'static str, u32, u32),
    /// (by, call, session, version, content, base revision)
    SaveCalibrationDraft(&'static str, u32, u32, u32, Value, u32),
    ReadCalibrationDraft(&'static str, u32, u32),
    /// (by, session, submission)
    ScoreCalibration(&'static str, u32, Value),
    Reveal(&'static str, u32),
    Consensus(&'static str, u32, Value),
    AlignmentHistory(&'static str),
    CoachingTeam(&'static str),
    /// (by, agent's username)
    AgentCoaching(&'static str, &'static str),
    MyCoaching(&'static str),
    Agenda(&'static str, &'static str),
    ReadSession(&'static str, u32),
    Effect(&'static str, u32),
    CreateSession(&'static str, Value),
    EditSession(&'static str, u32, Value),
    MoveSession(&'static str, u32, Value),
    AcknowledgeSession(&'static str, u32, &'static str),
    WriteNote(&'static str, Value),
    AcknowledgeNote(&'static str, u32),
    CreateAction(&'static str, Value),
    SettleAction(&'static str, u32, Value),
    Notices(&'static str),
    /// (by, session, calls a week)
    FollowUp(&'static str, u32, u32),
    /// (by, `{kind, id}`)
    NoticeSeen(&'static str, Value),
    Vocabulary(&'static str),
    /// (by, `{kind, code, name}`)
    DefineTerm(&'static str, Value),
    /// (by, kind, code, `{name, active, revision}`)
    EditTerm(&'static str, &'static str, &'static str, Value),
    /// (by, `{source, calls}`, dry run)
    ImportCalls(&'static str, Value, bool),
    /// (by, file name, sha256)
    StageImport(&'static str, &'static str, &'static str),
    ListImports(&'static str),
    ReadImport(&'static str, u32),
    /// (by, import, source, revision)
    BeginDryRun(&'static str, u32, &'static str, u32),
    /// The server's job: (import, `{source, calls}`)
    DryRunBatch(u32, Value),
    FinishDryRun(u32),
    /// (by, import, revision)
    BeginCommit(&'static str, u32, u32),
    /// The server's job: (import, batch number, `{source, calls}`)
    CommitBatch(u32, u32, Value),
    FinishCommit(u32),
    CancelImport(&'static str, u32, u32),
}

/// What a step answered: the record as JSON, or the refusal's code and words.
type Answer = Result<Value, (Code, String)>;

fn at(step: usize) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 27)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
        + Duration::minutes(step as i64)
}

fn actor(store: &impl Store, username: &str) -> User {
    store
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.username == username)
        .unwrap_or_else(|| panic!("no user {username}"))
}

fn answer<T: serde::Serialize>(outcome: Result<T, Failure>) -> Answer {
    match outcome {
        Ok(value) => Ok(serde_json::to_value(value).unwrap()),
        Err(Failure::Refused(refusal)) => Err((refusal.code(), refusal.to_string())),
        Err(Failure::Store(e)) => panic!("the store failed: {e}"),
    }
}

fn from<T: serde::de::DeserializeOwned>(v: &Value) -> T {
    serde_json::from_value(v.clone()).unwrap()
}

fn run_step(store: &mut impl Store, i: usize, step: &Step) -> Answer {
    let now = at(i);
    match step {
        Step::CreateScorecard(by, definition) => answer(workflow::create_scorecard(
            store,
            &actor(store, by),
            from(definition),
            now,
        )),
        Step::SaveDraft(by, card, lock, definition) => answer(workflow::save_draft(
            store,
            &actor(store, by),
            *card,
            DraftSave {
                lock_version: *lock,
                definition: from(definition),
            },
        )),
        Step::Publish(by, card, lock) => answer(workflow::publish(
            store,
            &actor(store, by),
            *card,
            PublishRequest {
                lock_version: *lock,
            },
            now,
        )),
        Step::Archive(by, card, archived) => answer(workflow::set_archived(
            store,
            &actor(store, by),
            *card,
            ArchiveRequest {
                archived: *archived,
            },
            now,
        )),
        Step::Submit(by, call, version, answers)
        | Step::SubmitAgain(by, call, version, answers) => {
            let submission = EvaluationSubmission {
                call_id: *call,
                scorecard_version_id: *version,
                answers: from(answers),
                notes: Default::default(),
                feedback: String::new(),
                draft_revision: 0,
            };
            answer(workflow::submit_evaluation(
                store,
                &actor(store, by),
                submission,
                now,
            ))
        }
        Step::StartReview(by, call) => answer(workflow::review_start(
            store,
            &actor(store, by),
            *call,
            None,
            None,
        )),
        Step::ReadReviewDraft(by, call) => answer(workflow::review_draft(
            store,
            &actor(store, by),
            *call,
            None,
        )),
        Step::SaveReviewDraft(by, call, version, content, base) => {
            let write = DraftWrite {
                scorecard_version_id: *version,
                content: from(content),
                base_revision: *base,
            };
            answer(workflow::save_review_draft(
                store,
                &actor(store, by),
                *call,
                None,
                write,
                now,
            ))
        }
        Step::CreateCalibration(by, new) => answer(workflow::create_calibration(
            store,
            &actor(store, by),
            from(new),
            now,
        )),
        Step::ListCalibrations(by) => answer(workflow::calibrations(store, &actor(store, by), now)),
        Step::ReadCalibration(by, id) => {
            answer(workflow::calibration(store, &actor(store, by), *id, now))
        }
        Step::StartCalibrationReview(by, call, session) => answer(workflow::review_start(
            store,
            &actor(store, by),
            *call,
            None,
            Some(*session),
        )),
        Step::SaveCalibrationDraft(by, call, session, version, content, base) => {
            let write = DraftWrite {
                scorecard_version_id: *version,
                content: from(content),
                base_revision: *base,
            };
            answer(workflow::save_review_draft(
                store,
                &actor(store, by),
                *call,
                Some(*session),
                write,
                now,
            ))
        }
        Step::ReadCalibrationDraft(by, call, session) => answer(workflow::review_draft(
            store,
            &actor(store, by),
            *call,
            Some(*session),
        )),
        Step::ScoreCalibration(by, session, submission) => {
            answer(workflow::submit_calibration_score(
                store,
                &actor(store, by),
                *session,
                from(submission),
                now,
            ))
        }
        // As the server does: the report computed from what the store holds, then handed to the
        // change, which checks it is still current.
        Step::Reveal(by, session) => {
            let actor = actor(store, by);
            let prepared = workflow::calibration_report_basis(store, &actor, *session, None, now)
                .ok()
                .map(ReportBasis::prepare);
            answer(workflow::reveal_calibration(
                store, &actor, *session, now, prepared,
            ))
        }
        Step::Consensus(by, session, request) => {
            let (actor, request): (User, ConsensusRequest) = (actor(store, by), from(request));
            let prepared =
                workflow::calibration_report_basis(store, &actor, *session, Some(&request), now)
                    .ok()
                    .map(ReportBasis::prepare);
            answer(workflow::record_consensus(
                store, &actor, *session, request, now, prepared,
            ))
        }
        Step::AlignmentHistory(by) => answer(workflow::alignment_history(store, &actor(store, by))),
        Step::SubmitReview(by, call, version, content) => {
            let content: ReviewContent = from(content);
            let submission = EvaluationSubmission {
                call_id: *call,
                scorecard_version_id: *version,
                answers: content.answers,
                notes: content.notes,
                feedback: content.feedback,
                draft_revision: 0,
            };
            answer(workflow::submit_evaluation(
                store,
                &actor(store, by),
                submission,
                now,
            ))
        }
        Step::Amend(by, id, content, reason) => answer(workflow::amend_evaluation(
            store,
            &actor(store, by),
            *id,
            Amendment {
                content: from(content),
                reason: reason.to_string(),
            },
            now,
        )),
        Step::Seen(by, id) => answer(workflow::mark_seen(store, &actor(store, by), *id, now)),
        Step::Acknowledge(by, id) => {
            answer(workflow::acknowledge(store, &actor(store, by), *id, now))
        }
        Step::Feedback(by) => answer(workflow::feedback(store, &actor(store, by))),
        Step::RaiseDispute(by, id, points) => answer(workflow::raise_dispute(
            store,
            &actor(store, by),
            *id,
            DisputeRequest {
                points: from(points),
            },
            now,
        )),
        Step::Rule(by, id, points) => answer(workflow::rule_dispute(
            store,
            &actor(store, by),
            *id,
            RulingRequest {
                points: from(points),
            },
            now,
        )),
        Step::Disputes(by, view) => answer(workflow::disputes(
            store,
            &actor(store, by),
            from(&json!(view)),
            None,
            now,
        )),
        Step::SetActive(by, user, active) => {
            let id = actor(store, user).id;
            answer(workflow::set_user_active(
                store,
                &actor(store, by),
                id,
                UserPatch { active: *active },
            ))
        }
        Step::CreateUser(by, new) => {
            answer(workflow::create_user(store, &actor(store, by), from(new)))
        }
        Step::ResetPassword(by, user, password) => {
            let id = actor(store, user).id;
            answer(workflow::reset_password(
                store,
                &actor(store, by),
                id,
                PasswordReset {
                    password: password.to_string(),
                },
            ))
        }
        Step::ChangePassword(by, matches, password) => answer(workflow::change_own_password(
            store,
            &actor(store, by),
            *matches,
            password.to_string(),
        )),
        Step::ListScorecards(by) => answer(workflow::scorecards(store, &actor(store, by))),
        Step::ReadScorecard(by, card) => {
            answer(workflow::scorecard(store, &actor(store, by), *card))
        }
        Step::ReadVersion(by, version) => answer(workflow::scorecard_version(
            store,
            &actor(store, by),
            *version,
        )),
        Step::ReadEvaluation(by, id) => answer(workflow::evaluation(store, &actor(store, by), *id)),
        Step::ReadCall(by, id) => answer(workflow::call(store, &actor(store, by), *id)),
        Step::SearchCalls(by, query) => {
            let (query, errors) = kappa_domain::CallQuery::from_query_string(query);
            assert!(errors.is_empty(), "{errors:?}");
            answer(workflow::calls(store, &actor(store, by), &query))
        }
        Step::CallPage(by, id) => answer(workflow::call_detail(store, &actor(store, by), *id)),
        Step::Directory(by) => answer(workflow::directory(store, &actor(store, by))),
        Step::Vocabulary(by) => answer(workflow::vocabulary(store, &actor(store, by))),
        Step::ImportCalls(by, batch, dry_run) => answer(workflow::import_calls(
            store,
            &actor(store, by),
            from(batch),
            *dry_run,
        )),
        Step::DefineTerm(by, body) => {
            answer(workflow::define_term(store, &actor(store, by), from(body)))
        }
        Step::StageImport(by, name, sha256) => answer(workflow::stage_import(
            store,
            &actor(store, by),
            kappa_domain::file_import::StagedFile {
                file_name: name.to_string(),
                sha256: sha256.to_string(),
                size: 2_048,
            },
            now,
        )),
        Step::ListImports(by) => answer(workflow::file_imports(store, &actor(store, by))),
        Step::ReadImport(by, id) => answer(workflow::file_import(store, &actor(store, by), *id)),
        Step::BeginDryRun(by, id, source, revision) => answer(workflow::begin_dry_run(
            store,
            &actor(store, by),
            *id,
            kappa_domain::file_import::DryRunRequest {
                source: source.to_string(),
                reading: r#"{"mapping":{"columns":[]}}"#.into(),
                revision: *revision,
            },
        )),
        Step::DryRunBatch(id, batch) => answer(workflow::dry_run_batch(store, *id, from(batch))),
        Step::FinishDryRun(id) => {
            // The job's tally of its batches, as it would add them up.
            let mut tally = kappa_domain::file_import::ImportTally::default();
            tally.add(kappa_domain::import::BatchReport {
                new: 2,
                ..Default::default()
            });
            answer(workflow::finish_dry_run(
                store,
                *id,
                json!({ "rows": 3, "valid": 3 }),
                tally,
            ))
        }
        Step::BeginCommit(by, id, revision) => answer(workflow::begin_commit(
            store,
            &actor(store, by),
            *id,
            kappa_domain::file_import::ImportStep {
                revision: *revision,
            },
        )),
        Step::CommitBatch(id, number, batch) => {
            answer(workflow::commit_batch(store, *id, *number, from(batch)))
        }
        Step::FinishCommit(id) => answer(workflow::finish_commit(
            store,
            *id,
            json!({ "rows": 3, "valid": 3 }),
            now,
        )),
        Step::CancelImport(by, id, revision) => answer(workflow::cancel_import(
            store,
            &actor(store, by),
            *id,
            kappa_domain::file_import::ImportStep {
                revision: *revision,
            },
            now,
        )),
        Step::EditTerm(by, kind, code, body) => answer(workflow::edit_term(
            store,
            &actor(store, by),
            kappa_domain::vocabulary::TermKind::parse(kind).unwrap(),
            code,
            from(body),
        )),
        Step::ListUsers(by) => answer(workflow::users(store, &actor(store, by))),
        Step::PreviewPlan(by, spec) => answer(workflow::preview_plan(
            store,
            &actor(store, by),
            from(spec),
            now,
        )),
        Step::CreatePlan(by, spec) => answer(workflow::create_plan(
            store,
            &actor(store, by),
            from(spec),
            now,
        )),
        Step::RunPlan(by, id) => answer(workflow::run_plan(store, &actor(store, by), *id, now)),
        Step::EditPlan(by, id, edit) => answer(workflow::edit_plan(
            store,
            &actor(store, by),
            *id,
            from(edit),
            now,
        )),
        Step::SetPlanStatus(by, id, status, revision) => answer(workflow::set_plan_status(
            store,
            &actor(store, by),
            *id,
            from(&json!({ "status": status, "revision": revision })),
            now,
        )),
        Step::EditUser(by, id, edit) => answer(workflow::edit_user(
            store,
            &actor(store, by),
            *id,
            from(edit),
        )),
        Step::ListPlans(by) => answer(workflow::plans(store, &actor(store, by), now)),
        Step::ReadPlan(by, id) => answer(workflow::plan_detail(store, &actor(store, by), *id, now)),
        Step::Queue(by, query) => {
            let (query, errors) = QueueQuery::from_query_string(query);
            assert!(errors.is_empty(), "{errors:?}");
            answer(workflow::queue(store, &actor(store, by), query, now))
        }
        Step::Replace(by, id, reason) => answer(workflow::replace_assignment(
            store,
            &actor(store, by),
            *id,
            ReplaceRequest {
                reason: reason.to_string(),
            },
            now,
        )),
        Step::CoachingTeam(by) => answer(workflow::coaching_team(
            store,
            &actor(store, by),
            Default::default(),
            now,
        )),
        Step::AgentCoaching(by, agent) => {
            let agent = actor(store, agent).id;
            answer(workflow::agent_coaching(
                store,
                &actor(store, by),
                agent,
                Default::default(),
                now,
            ))
        }
        Step::MyCoaching(by) => answer(workflow::my_coaching(
            store,
            &actor(store, by),
            Default::default(),
            now,
        )),
        Step::Agenda(by, agent) => {
            let agent = actor(store, agent).id;
            answer(workflow::agenda(
                store,
                &actor(store, by),
                agent,
                Default::default(),
                now,
            ))
        }
        Step::ReadSession(by, id) => answer(workflow::coaching_session(
            store,
            &actor(store, by),
            *id,
            now,
        )),
        Step::Effect(by, id) => answer(workflow::coaching_effect(
            store,
            &actor(store, by),
            *id,
            from(&json!({ "weeks": 4 })),
            now,
        )),
        Step::CreateSession(by, new) => answer(workflow::create_session(
            store,
            &actor(store, by),
            from(new),
            now,
        )),
        Step::EditSession(by, id, edit) => answer(workflow::edit_session(
            store,
            &actor(store, by),
            *id,
            from(edit),
            now,
        )),
        Step::MoveSession(by, id, step) => answer(workflow::move_session(
            store,
            &actor(store, by),
            *id,
            from(step),
            now,
        )),
        Step::AcknowledgeSession(by, id, comment) => answer(workflow::acknowledge_session(
            store,
            &actor(store, by),
            *id,
            from(&json!({ "comment": comment })),
            now,
        )),
        Step::WriteNote(by, new) => answer(workflow::write_note(
            store,
            &actor(store, by),
            from(new),
            now,
        )),
        Step::AcknowledgeNote(by, id) => answer(workflow::acknowledge_note(
            store,
            &actor(store, by),
            *id,
            Default::default(),
            now,
        )),
        Step::CreateAction(by, new) => answer(workflow::create_action(
            store,
            &actor(store, by),
            from(new),
            now,
        )),
        Step::SettleAction(by, id, change) => answer(workflow::settle_action(
            store,
            &actor(store, by),
            *id,
            from(change),
            now,
        )),
        Step::Notices(by) => answer(workflow::notices(store, &actor(store, by), now)),
        Step::FollowUp(by, id, n) => answer(workflow::follow_up_sample(
            store,
            &actor(store, by),
            *id,
            from(&json!({ "calls_per_week": n })),
            now,
        )),
        Step::NoticeSeen(by, seen) => answer(workflow::mark_notice_seen(
            store,
            &actor(store, by),
            from(seen),
            now,
        )),
        Step::Reassign(by, id, to) => {
            let reviewer_id = actor(store, to).id;
            answer(workflow::reassign(
                store,
                &actor(store, by),
                *id,
                ReassignRequest { reviewer_id },
                now,
            ))
        }
    }
}

/// (actor, action, entity, id) of every change the script made, in order.
type Trail = Vec<(Option<u32>, String, String, u32)>;

fn run_in_memory(steps: &[Step]) -> (Vec<Answer>, Trail, Vec<usize>) {
    let mut store = memory_store();
    let mut written = Vec::new();
    let answers = steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let before = store.audit.len();
            let answer = run_step(&mut store, i, step);
            written.push(store.audit.len() - before);
            answer
        })
        .collect();
    let trail = store
        .audit
        .iter()
        .map(|a| {
            (
                a.actor,
                a.action.to_string(),
                a.entity.to_string(),
                a.entity_id,
            )
        })
        .collect();
    (answers, trail, written)
}

fn run_in_sqlite(steps: &[Step]) -> (Vec<Answer>, Trail) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kappa.db");
    common::copy_seeded(&path);
    let db = Db::open(&path).unwrap();
    let answers = steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            db.with(|conn| {
                // As the server does: one transaction a step, kept only when the step succeeded.
                let tx = conn.transaction()?;
                let answer = run_step(&mut SqlStore::new(&tx), i, step);
                if answer.is_ok() {
                    tx.commit()?;
                }
                Ok(answer)
            })
            .unwrap()
        })
        .collect();
    let trail = db
        .with(|conn| {
            let mut stmt = conn.prepare("SELECT actor_id, action, entity, entity_id FROM audit_log WHERE action <> 'seed_demo' ORDER BY id")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .unwrap();
    (answers, trail)
}

/// The same script on PostgreSQL (a fresh copy of the seeded centre), one transaction a step
/// as the server runs them: the write lock held, kept only when the step succeeded.
fn run_in_postgres(steps: &[Step]) -> (Vec<Answer>, Trail) {
    let url = common::fresh_postgres();
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let db = Db::open_postgres(&url).unwrap();
                let answers = steps
                    .iter()
                    .enumerate()
                    .map(|(i, step)| {
                        let mut answer = None;
                        // An error rolls the step back; the answer is kept either way.
                        let _ = db.write_now(|conn| {
                            let a = run_step(&mut SqlStore::new(conn), i, step);
                            let kept = a.is_ok();
                            answer = Some(a);
                            if kept {
                                Ok(())
                            } else {
                                Err(kappa_server::Error::Internal("refused: rolled back".into()))
                            }
                        });
                        answer.expect("the step ran")
                    })
                    .collect();
                let trail = db
                    .write_now(|conn| {
                        Ok(conn.all(
                            "SELECT actor_id, action, entity, entity_id FROM audit_log WHERE action <> 'seed_demo' ORDER BY id",
                            &[],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                        )?)
                    })
                    .unwrap();
                (answers, trail)
            })
            .join()
            .unwrap()
    })
}

/// Runs `steps` on every store (in memory, SQLite, and PostgreSQL when the run has one),
/// checks they agree, and checks each step's expected outcome: `None` for success,
/// `Some(code)` for that refusal.
fn scenario(steps: &[(Step, Option<Code>)]) -> Vec<Value> {
    let script: Vec<Step> = steps.iter().map(|(s, _)| s.clone()).collect();
    let (memory, memory_trail, written) = run_in_memory(&script);
    let mut others = vec![("SQLite", run_in_sqlite(&script))];
    if common::postgres_server().is_some() {
        others.push(("PostgreSQL", run_in_postgres(&script)));
    }
    for (store, (answers, trail)) in &others {
        for (i, ((m, s), (_, expected))) in memory.iter().zip(answers).zip(steps).enumerate() {
            assert_eq!(m, s, "step {i}: the in-memory and {store} stores disagree");
            assert_eq!(m.as_ref().err().map(|e| e.0), *expected, "step {i}: {m:?}");
        }
        assert_eq!(
            &memory_trail, trail,
            "the in-memory and {store} stores audit the same changes"
        );
    }
    for (i, ((answer, (step, _)), changes)) in memory.iter().zip(steps).zip(&written).enumerate() {
        // A command may make more than one change (a plan and its first run), each audited.
        let writes = answer.is_ok() && !is_read(step);
        // Opening or acknowledging again changes nothing: the first time is kept.
        // So does the same submission sent again: it answers with the evaluation it made.
        // So does an edit that asks for what is already so (the retry of one that was made).
        let repeatable = matches!(
            step,
            Step::Seen(..)
                | Step::Acknowledge(..)
                | Step::SubmitAgain(..)
                | Step::EditPlan(..)
                | Step::SetPlanStatus(..)
                | Step::EditUser(..)
                | Step::CreateSession(..)
                | Step::EditSession(..)
                | Step::MoveSession(..)
                | Step::AcknowledgeSession(..)
                | Step::WriteNote(..)
                | Step::AcknowledgeNote(..)
                | Step::CreateAction(..)
                | Step::SettleAction(..)
                | Step::NoticeSeen(..)
                | Step::FollowUp(..)
                | Step::DefineTerm(..)
                | Step::EditTerm(..)
                | Step::ImportCalls(..)
                | Step::StageImport(..)
                | Step::BeginCommit(..)
                | Step::CancelImport(..)
        );
        if !(repeatable && *changes == 0) {
            assert_eq!(
                *changes > 0,
                writes,
                "step {i}: every change, and only changes, is audited"
            );
        }
    }
    memory
        .into_iter()
        .map(|a| a.unwrap_or(Value::Null))
        .collect()
}

fn is_read(step: &Step) -> bool {
    matches!(
        step,
        Step::ListScorecards(_)
            | Step::ReadScorecard(..)
            | Step::ReadVersion(..)
            | Step::ReadEvaluation(..)
            | Step::ReadCall(..)
            | Step::SearchCalls(..)
            | Step::CallPage(..)
            | Step::Directory(_)
            | Step::Vocabulary(_)
            | Step::ListUsers(_)
            | Step::PreviewPlan(..)
            | Step::ListPlans(_)
            | Step::ReadPlan(..)
            | Step::Queue(..)
            | Step::StartReview(..)
            | Step::ReadReviewDraft(..)
            | Step::Feedback(_)
            | Step::Disputes(..)
            | Step::ListCalibrations(_)
            | Step::ReadCalibration(..)
            | Step::StartCalibrationReview(..)
            | Step::ReadCalibrationDraft(..)
            | Step::AlignmentHistory(_)
            | Step::CoachingTeam(_)
            | Step::AgentCoaching(..)
            | Step::MyCoaching(..)
            | Step::Agenda(..)
            | Step::ReadSession(..)
            | Step::Effect(..)
            | Step::Notices(_)
            | Step::ListImports(_)
            | Step::ReadImport(..)
            | Step::DryRunBatch(..)
    )
}

fn imported(external_id: &str, agent: &str, at: &str, queue: &str) -> Value {
    json!({
        "row": 2, "external_id": external_id, "agent": agent, "started_at": at, "duration_s": 180,
        "customer_ref": "****1234", "queue": queue, "direction": "inbound", "disposition": "resolved",
        "csat": null, "complaint": false, "language": "zh", "attributes": {}
    })
}

/// A file staged from the browser: leads stage their own (the same file again answers the
/// same import), a dry run writes nothing, a commit is started once however often it is asked,
/// its batches carry its progress, and a cancelled import takes no more batches. Another lead
/// finds no trace of it; administrators see every import; reviewers and agents none.
#[test]
fn a_staged_file_is_dry_run_then_committed_once_and_its_lead_alone_steers_it() {
    use Code::*;
    let store = memory_store();
    let first = store.calls.iter().map(|c| c.id).max().unwrap() + 1;
    let sha = "ab".repeat(32).leak();
    let other_sha = "cd".repeat(32).leak();
    // The demo centre has three imports of its own: the first new one is the fourth.
    let (one, two) = (4, 5);
    let batch = json!({ "source": "", "calls": [
        imported("c-1", "1001", "2026-11-26T10:00:00", "refunds"),
        imported("c-2", "1002", "2026-11-26T10:05:00", "refunds"),
        imported("c-3", "9999", "2026-11-26T10:10:00", "refunds"),
    ]});
    let answers = scenario(&[
        (
            Step::StageImport("reviewer1", "cdr.csv", sha),
            Some(Forbidden),
        ),
        (Step::StageImport("agent1", "cdr.csv", sha), Some(Forbidden)),
        (Step::StageImport("lead1", " ", "xyz"), Some(InvalidInput)),
        (Step::StageImport("lead1", "话单 11月.csv", sha), None),
        (Step::StageImport("lead1", "话单 11月.csv", sha), None),
        (Step::ReadImport("lead2", one), Some(NotFound)),
        (Step::ReadImport("admin", one), None),
        (Step::ListImports("lead2"), None),
        (Step::ListImports("reviewer1"), Some(Forbidden)),
        (Step::BeginCommit("lead1", one, 1), Some(WrongImportState)),
        (
            Step::BeginDryRun("lead1", one, "Tinet CDR", 1),
            Some(InvalidInput),
        ),
        (Step::BeginDryRun("lead2", one, "tinet", 1), Some(NotFound)),
        (Step::BeginDryRun("lead1", one, "tinet", 1), None),
        (
            Step::BeginDryRun("lead1", one, "tinet", 1),
            Some(WrongImportState),
        ),
        (Step::DryRunBatch(one, batch.clone()), None),
        (Step::ReadCall("admin", first), Some(NotFound)),
        (Step::FinishDryRun(one), None),
        (Step::BeginCommit("lead1", one, 1), Some(ChangedSinceOpened)),
        (Step::BeginCommit("lead1", one, 2), None),
        (Step::BeginCommit("lead1", one, 2), None),
        (Step::CommitBatch(one, 1, batch.clone()), None),
        // The same batch from a second job on the import: refused, not counted twice.
        (
            Step::CommitBatch(one, 1, batch.clone()),
            Some(ChangedSinceOpened),
        ),
        (Step::ReadCall("admin", first), None),
        (Step::FinishCommit(one), None),
        (Step::CancelImport("lead1", one, 3), Some(WrongImportState)),
        (Step::StageImport("lead1", "other.csv", other_sha), None),
        (Step::CancelImport("lead2", two, 1), Some(NotFound)),
        (Step::CancelImport("lead1", two, 1), None),
        (Step::CancelImport("lead1", two, 1), None),
        (Step::CommitBatch(two, 1, batch), Some(WrongImportState)),
        (Step::ListImports("admin"), None),
        (Step::ListImports("lead1"), None),
    ]);
    let ids = |v: &Value| -> Vec<u64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_u64().unwrap())
            .collect()
    };
    let staged = &answers[3];
    assert_eq!(
        (&staged["id"], &staged["state"], &staged["revision"]),
        (&json!(one), &json!("staged"), &json!(1))
    );
    assert_eq!(
        answers[4], *staged,
        "the same file again is the same import"
    );
    assert!(
        !ids(&answers[7]).contains(&u64::from(one)),
        "another lead sees none of it"
    );
    assert_eq!(answers[12]["state"], "checking");
    assert_eq!(answers[14]["new"], 2, "{}", answers[14]);
    assert_eq!(answers[14]["rejected"][0]["problem"], "unknown_agent");
    assert_eq!(answers[16]["state"], "checked");
    assert_eq!(answers[16]["dry_run"]["new"], 2);
    assert_eq!(
        (&answers[18][0]["state"], &answers[18][1]),
        (&json!("committing"), &json!(true))
    );
    assert_eq!(
        answers[19][1],
        json!(false),
        "asked again, the commit is not started twice"
    );
    assert_eq!(answers[20]["new"], 2);
    let committed = &answers[23];
    assert_eq!(committed["state"], "committed");
    assert_eq!(
        (
            &committed["committed"]["new"],
            &committed["committed"]["refused"]
        ),
        (&json!(2), &json!(1))
    );
    assert_eq!(
        (&committed["done"], &committed["batches_done"]),
        (&json!(3), &json!(1))
    );
    assert_eq!(answers[27]["state"], "cancelled");
    assert_eq!(answers[28], answers[27], "cancelling again changes nothing");
    assert_eq!(
        ids(&answers[30]),
        vec![5, 4, 3, 2, 1],
        "newest first, everyone's"
    );
    assert!(
        !ids(&answers[31]).contains(&2),
        "lead2's import is not lead1's"
    );
}

/// A centre's own call records come in by (source, id): a dry run decides as the commit does
/// and writes nothing; the same batch again changes nothing; a later export updates a call,
/// except that an evaluated call keeps its agent and start (each difference reported); rows
/// naming no agent, a non-agent, an unknown queue or an id twice are refused, row by row, and
/// the rest kept. Reviewers and agents may not import.
#[test]
fn imported_calls_are_matched_keyed_by_source_and_evaluated_ones_keep_their_agent() {
    use Code::*;
    let store = memory_store();
    let first = store.calls.iter().map(|c| c.id).max().unwrap() + 1;
    let mut with_ivr = imported("c-2", "AGENT2", "2026-11-26T10:05:00", "changes");
    with_ivr["attributes"] = json!({ "IVR path": "1>2", "=cmd": "@SUM(1)" });
    // One caller twice, known by the hash of their number only.
    let caller = "0123456789abcdef0123456789abcdef";
    with_ivr["caller_hash"] = json!(caller);
    let mut first_call = imported("c-1", "1001", "2026-11-26T10:00:00", "refunds");
    first_call["caller_hash"] = json!(caller);
    let batch = json!({ "source": "tinet", "calls": [
        first_call,
        with_ivr,
        imported("c-3", "9999", "2026-11-26T10:10:00", "refunds"),
        imported("c-2", "1002", "2026-11-26T10:15:00", "refunds"),
        imported("c-4", "1004", "2026-11-26T10:20:00", "pizza"),
        imported("c-5", "reviewer1", "2026-11-26T10:25:00", "refunds"),
    ]});
    let mut later = batch.clone();
    later["calls"][0]["agent"] = json!("1003");
    later["calls"][0]["started_at"] = json!("2026-11-26T11:00:00");
    later["calls"][0]["duration_s"] = json!(200);
    let answers = scenario(&[
        (
            Step::ImportCalls("reviewer1", batch.clone(), true),
            Some(Forbidden),
        ),
        (
            Step::ImportCalls("agent1", batch.clone(), false),
            Some(Forbidden),
        ),
        (
            Step::ImportCalls(
                "lead1",
                json!({ "source": "Tinet CDR", "calls": [] }),
                false,
            ),
            Some(InvalidInput),
        ),
        (Step::ImportCalls("lead1", batch.clone(), true), None),
        (Step::ReadCall("admin", first), Some(NotFound)),
        (Step::ImportCalls("lead1", batch.clone(), false), None),
        (Step::ImportCalls("admin", batch.clone(), false), None),
        (Step::CallPage("admin", first + 1), None),
        (
            Step::CreateScorecard("admin", sample_scorecard("Imported")),
            None,
        ),
        (Step::Publish("admin", NEW_CARD, 1), None),
        (
            Step::Submit(
                "admin",
                first,
                NEW_DRAFT,
                sample_answers(json!({ "points": 7 })),
            ),
            None,
        ),
        (Step::ImportCalls("lead1", later, false), None),
        (Step::ReadCall("admin", first), None),
        // The library finds a call by what an unmapped column said, exactly.
        (Step::SearchCalls("lead1", "attr=IVR%20path%3D1%3E2"), None),
        (Step::SearchCalls("lead1", "attr=IVR%20path%3D1"), None),
        (
            Step::SearchCalls("lead1", "caller=0123456789abcdef0123456789abcdef"),
            None,
        ),
    ]);
    let counts = |v: &Value| {
        (
            v["new"].as_u64().unwrap(),
            v["updated"].as_u64().unwrap(),
            v["unchanged"].as_u64().unwrap(),
        )
    };
    let dry = &answers[3];
    assert_eq!(counts(dry), (2, 0, 0));
    let refused: Vec<(u64, &str, &str)> = dry["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["row"].as_u64().unwrap(),
                r["field"].as_str().unwrap(),
                r["problem"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        refused.iter().map(|r| (r.1, r.2)).collect::<Vec<_>>(),
        vec![
            ("agent", "unknown_agent"),
            ("external_id", "duplicate_id"),
            ("queue", "unknown_queue"),
            ("agent", "not_an_agent"),
        ]
    );
    assert_eq!(answers[5], *dry, "the commit does what the dry run showed");
    assert_eq!(
        counts(&answers[6]),
        (0, 0, 2),
        "the same export again changes nothing"
    );
    let page = &answers[7]["call"];
    assert_eq!(page["queue"], "changes");
    assert_eq!(
        page["origin"],
        json!({ "source": "tinet", "external_id": "c-2" })
    );
    assert_eq!(
        page["attributes"]["IVR path"], "1>2",
        "an unmapped column is kept"
    );
    let report = &answers[11];
    assert_eq!(counts(report), (0, 1, 1));
    let conflicts: Vec<&str> = report["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(conflicts, vec!["agent", "started_at"]);
    assert_eq!(report["conflicts"][0]["kept"], "agent1");
    assert_eq!(report["conflicts"][0]["offered"], "agent3");
    let call = &answers[12];
    assert_eq!(
        call["duration_s"], 200,
        "the rest of the call follows the export"
    );
    assert_eq!(call["started_at"], "2026-11-26T10:00:00");
    assert_eq!(call["agent_id"], actor(&store, "agent1").id);
    assert_eq!(answers[13]["total"], 1);
    assert_eq!(answers[13]["items"][0]["origin"]["external_id"], "c-2");
    assert_eq!(answers[14]["total"], 0, "a value matches whole");
    assert_eq!(answers[15]["total"], 2, "a caller's calls, by their hash");
}

/// A centre names its own queues and outcomes: only administrators define, rename and retire
/// them; a retry changes nothing, a stale rename is refused, names are unique per kind; calls
/// keep the code, so a retired queue's calls still answer a filter on it.
#[test]
fn the_centre_names_retires_and_adds_its_own_queues_and_outcomes() {
    use Code::*;
    let after_sales = json!({ "kind": "queue", "code": "after-sales", "name": { "en": "After-sales", "zh": "售后" } });
    let name = |en: &str, zh: &str| json!({ "en": en, "zh": zh });
    let answers = scenario(&[
        (Step::Vocabulary("agent1"), None),
        // A lead adds the queue their import meets (renaming and retiring stay with admins).
        (Step::DefineTerm("lead1", after_sales.clone()), None),
        (
            Step::DefineTerm("reviewer1", after_sales.clone()),
            Some(Forbidden),
        ),
        (
            Step::DefineTerm("agent1", after_sales.clone()),
            Some(Forbidden),
        ),
        (Step::DefineTerm("admin", after_sales.clone()), None),
        // The retry of a lost answer: the same term, nothing written.
        (Step::DefineTerm("admin", after_sales.clone()), None),
        (
            Step::DefineTerm(
                "admin",
                json!({ "kind": "queue", "code": "after-sales", "name": name("Aftercare", "") }),
            ),
            Some(InvalidInput),
        ),
        (
            Step::DefineTerm(
                "admin",
                json!({ "kind": "queue", "code": "After Sales", "name": name("Other", "") }),
            ),
            Some(InvalidInput),
        ),
        (
            Step::DefineTerm(
                "admin",
                json!({ "kind": "queue", "code": "vip", "name": name(" ", " ") }),
            ),
            Some(InvalidInput),
        ),
        // Another queue's name, in other case: two queues a picker could not tell apart.
        (
            Step::DefineTerm(
                "admin",
                json!({ "kind": "queue", "code": "vip", "name": name("BOOKINGS", "") }),
            ),
            Some(InvalidInput),
        ),
        // The same code is free as an outcome.
        (
            Step::DefineTerm(
                "admin",
                json!({ "kind": "disposition", "code": "after-sales", "name": name("Sent to after-sales", "转售后") }),
            ),
            None,
        ),
        (
            Step::EditTerm(
                "admin",
                "queue",
                "bookings",
                json!({ "name": name("Reservations", "预约"), "active": true, "revision": 1 }),
            ),
            None,
        ),
        (
            Step::EditTerm(
                "admin",
                "queue",
                "bookings",
                json!({ "name": name("Reservations", "预约"), "active": true, "revision": 1 }),
            ),
            None,
        ),
        (
            Step::EditTerm(
                "admin",
                "queue",
                "bookings",
                json!({ "name": name("Bookings", "预订"), "active": true, "revision": 1 }),
            ),
            Some(ChangedSinceOpened),
        ),
        (
            Step::EditTerm(
                "lead1",
                "queue",
                "loyalty",
                json!({ "name": name("Loyalty", "会员"), "active": false, "revision": 1 }),
            ),
            Some(Forbidden),
        ),
        (
            Step::EditTerm(
                "admin",
                "queue",
                "loyalty",
                json!({ "name": name("Loyalty", "会员"), "active": false, "revision": 1 }),
            ),
            None,
        ),
        (
            Step::EditTerm(
                "admin",
                "queue",
                "no-such",
                json!({ "name": name("X", ""), "active": true, "revision": 1 }),
            ),
            Some(NotFound),
        ),
        (Step::SearchCalls("lead1", "queue=loyalty"), None),
        (Step::Vocabulary("agent1"), None),
    ]);
    let queues = |v: &Value| -> Vec<(String, String, bool)> {
        v["terms"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"] == "queue")
            .map(|t| {
                (
                    t["code"].as_str().unwrap().to_string(),
                    t["name"]["en"].as_str().unwrap().to_string(),
                    t["active"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let before = queues(&answers[0]);
    assert_eq!(before.len(), 6, "the demo desk's six queues");
    assert_eq!(
        answers[4], answers[5],
        "the retry answers with the same term"
    );
    assert_eq!(answers[11]["revision"], 2);
    assert_eq!(
        answers[12], answers[11],
        "the repeated rename answers as the first"
    );
    assert!(
        answers[17]["total"].as_u64().unwrap() > 0,
        "a retired queue's calls still answer a filter on it"
    );
    let after = queues(&answers[18]);
    assert_eq!(
        after[0],
        ("bookings".into(), "Reservations".into(), true),
        "renamed, in its place"
    );
    assert!(after.contains(&("loyalty".into(), "Loyalty".into(), false)));
    assert_eq!(
        after.last().unwrap(),
        &("after-sales".into(), "After-sales".into(), true),
        "a new queue comes after the others"
    );
}

/// The demo seeds scorecards 1 and 2 and versions 1 to 3; the next card is 3, its draft 4.
const NEW_CARD: u32 = 3;
const NEW_DRAFT: u32 = 4;

fn renamed(name: &str) -> Value {
    sample_scorecard(name)
}

fn broken() -> Value {
    let mut card = sample_scorecard("Broken");
    card["sections"][0]["weight"] = json!(-1.0);
    card["sections"][1]["weight"] = json!(5000.0);
    card
}

#[test]
fn scorecards_are_drafted_published_versioned_archived_and_drafts_stay_private() {
    use Code::*;
    let answers = scenario(&[
        (
            Step::CreateScorecard("reviewer1", sample_scorecard("Private")),
            Some(Forbidden),
        ),
        (
            Step::CreateScorecard("agent1", sample_scorecard("Private")),
            Some(Forbidden),
        ),
        (
            Step::CreateScorecard("lead1", sample_scorecard("Private")),
            None,
        ),
        // Unpublished, it does not exist for reviewers: not in the list, not by id, not its draft.
        (Step::ListScorecards("reviewer1"), None),
        (Step::ReadScorecard("reviewer1", NEW_CARD), Some(NotFound)),
        (Step::ReadVersion("reviewer1", NEW_DRAFT), Some(NotFound)),
        (Step::ReadVersion("lead1", NEW_DRAFT), None),
        (Step::ListScorecards("agent1"), Some(Forbidden)),
        (Step::SaveDraft("lead1", NEW_CARD, 1, broken()), None),
        (
            Step::SaveDraft("admin", NEW_CARD, 1, sample_scorecard("Stale")),
            Some(StaleDraft),
        ),
        (Step::Publish("lead1", NEW_CARD, 1), Some(StaleDraft)),
        (Step::Publish("lead1", NEW_CARD, 2), Some(InvalidDocument)),
        (
            Step::SaveDraft("lead1", NEW_CARD, 2, sample_scorecard("Published name")),
            None,
        ),
        (Step::Publish("reviewer1", NEW_CARD, 3), Some(Forbidden)),
        (Step::Publish("lead1", NEW_CARD, 3), None),
        (Step::Publish("lead1", NEW_CARD, 3), Some(NothingToPublish)),
        // A new draft renames the card; reviewers still see the published name and no draft.
        (
            Step::SaveDraft("admin", NEW_CARD, 3, renamed("Draft name")),
            None,
        ),
        (Step::ReadScorecard("reviewer1", NEW_CARD), None),
        (Step::ListScorecards("reviewer1"), None),
        (Step::ReadScorecard("lead1", NEW_CARD), None),
        (Step::Archive("reviewer1", NEW_CARD, true), Some(Forbidden)),
        (Step::Archive("lead1", NEW_CARD, true), None),
        (
            Step::SaveDraft("lead1", NEW_CARD, 4, renamed("Archived")),
            Some(Archived),
        ),
        (Step::Publish("lead1", NEW_CARD, 4), Some(Archived)),
        (Step::Archive("lead1", NEW_CARD, false), None),
        (Step::Publish("lead1", NEW_CARD, 4), None),
        (
            Step::SaveDraft("lead1", 99, 1, renamed("Nowhere")),
            Some(NotFound),
        ),
        (Step::Publish("lead1", 99, 1), Some(NotFound)),
        (Step::Archive("lead1", 99, true), Some(NotFound)),
        (Step::ReadScorecard("lead1", 99), Some(NotFound)),
    ]);
    let reviewer_list = answers[3].as_array().unwrap();
    assert!(
        reviewer_list.iter().all(|s| s["id"] != NEW_CARD),
        "the unpublished card is not listed for reviewers"
    );
    let publish = &answers[11 + 3];
    assert_eq!(publish["versions"][0]["version"], 1);
    let seen_by_reviewer = &answers[17];
    assert_eq!(seen_by_reviewer["name"]["en"], "Published name");
    assert!(seen_by_reviewer["draft"].is_null(), "{seen_by_reviewer}");
    let listed = answers[18]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == NEW_CARD)
        .unwrap();
    assert_eq!(
        (listed["name"]["en"].as_str(), listed["has_draft"].as_bool()),
        (Some("Published name"), Some(false))
    );
    assert_eq!(
        answers[19]["name"]["en"], "Draft name",
        "editors see the draft's name"
    );
    assert_eq!(
        answers[25]["versions"][0]["version"], 2,
        "restored, the draft publishes as v2"
    );
}

/// Answers for every criterion of `sample_scorecard`.
fn sample_answers(fix: Value) -> Value {
    json!({ "greet": "yes", "verify": "yes", "fix": fix })
}

#[test]
fn evaluations_are_submitted_on_live_published_versions_and_read_by_their_agent_only() {
    use Code::*;
    let data = &demo().0;
    let call = &data.calls[0];
    let agent = data.users.iter().find(|u| u.id == call.agent_id).unwrap();
    let other_agent: &'static str = if agent.username == "agent1" {
        "agent2"
    } else {
        "agent1"
    };
    let own: &'static str = Box::leak(agent.username.clone().into_boxed_str());
    // The version published in this script gets row id 4: the created card's draft.
    let v = NEW_DRAFT;
    let next_evaluation = data.evaluations.len() as u32 + 1;
    let answers = scenario(&[
        (
            Step::CreateScorecard("admin", sample_scorecard("Scored")),
            None,
        ),
        (
            Step::Submit(
                "reviewer1",
                call.id,
                v,
                sample_answers(json!({ "points": 7 })),
            ),
            Some(NotFound),
        ),
        (
            Step::Submit("admin", call.id, v, sample_answers(json!({ "points": 7 }))),
            Some(DraftVersion),
        ),
        (Step::Publish("admin", NEW_CARD, 1), None),
        (
            Step::Submit("agent1", call.id, v, sample_answers(json!({ "points": 7 }))),
            Some(Forbidden),
        ),
        (
            Step::Submit("reviewer1", call.id, v, json!({ "greet": "yes" })),
            Some(IncompleteEvaluation),
        ),
        (
            Step::Submit(
                "reviewer1",
                call.id,
                v,
                sample_answers(json!({ "points": 11 })),
            ),
            Some(AnswerDoesNotFit),
        ),
        (
            Step::Submit(
                "reviewer1",
                call.id,
                v,
                json!({ "greet": "yes", "verify": "yes", "fix": { "points": 1 }, "stray": "yes" }),
            ),
            Some(UnknownCriteria),
        ),
        (
            Step::Submit(
                "reviewer1",
                999_999,
                v,
                sample_answers(json!({ "points": 7 })),
            ),
            Some(NotFound),
        ),
        (
            Step::Submit(
                "reviewer1",
                call.id,
                999,
                sample_answers(json!({ "points": 7 })),
            ),
            Some(NotFound),
        ),
        (
            Step::Submit(
                "reviewer1",
                call.id,
                v,
                sample_answers(json!({ "points": 7 })),
            ),
            None,
        ),
        (Step::ReadEvaluation(own, next_evaluation), None),
        (
            Step::ReadEvaluation(other_agent, next_evaluation),
            Some(NotFound),
        ),
        (Step::ReadEvaluation("reviewer2", next_evaluation), None),
        (
            Step::ReadEvaluation("reviewer2", next_evaluation + 1),
            Some(NotFound),
        ),
        (Step::ReadCall(own, call.id), None),
        (Step::ReadCall(other_agent, call.id), Some(NotFound)),
        (Step::ReadCall("reviewer3", call.id), None),
        (Step::Archive("lead2", NEW_CARD, true), None),
        (
            Step::Submit(
                "reviewer1",
                call.id,
                v,
                sample_answers(json!({ "points": 7 })),
            ),
            Some(Archived),
        ),
    ]);
    // 30 × 2/2 + 70 × 7/10 = 79, under the pass mark of 80.
    let submitted = &answers[10]["evaluation"];
    assert_eq!(
        (
            submitted["score"].as_f64(),
            submitted["passed"].as_bool(),
            submitted["id"].as_u64()
        ),
        (Some(79.0), Some(false), Some(next_evaluation.into()))
    );
    assert_eq!(
        submitted["agent_id"], call.agent_id,
        "the agent is the call's, whoever submits"
    );
    assert_eq!(
        answers[11]["evaluation"], *submitted,
        "its agent reads it as submitted"
    );
}

/// A double submit once made two evaluations of one call (issue #19): every copy counted in
/// pass rates and could be disputed. A reviewer scores a call once per scorecard.
#[test]
fn a_reviewer_evaluates_a_call_once_per_scorecard_and_a_repeated_submission_answers_the_first() {
    use Code::*;
    let data = &demo().0;
    let call = data.calls[0].id;
    let first = data.evaluations.len() as u32 + 1;
    let (card, v1) = (NEW_CARD, NEW_DRAFT);
    let (other_card, other_v) = (NEW_CARD + 1, NEW_DRAFT + 1);
    let v2 = NEW_DRAFT + 2;
    let seven = || sample_answers(json!({ "points": 7 }));
    let answers = scenario(&[
        (
            Step::CreateScorecard("admin", sample_scorecard("Once")),
            None,
        ),
        (Step::Publish("admin", card, 1), None),
        (Step::Submit("reviewer1", call, v1, seven()), None),
        (Step::SubmitAgain("reviewer1", call, v1, seven()), None),
        (
            Step::Submit(
                "reviewer1",
                call,
                v1,
                sample_answers(json!({ "points": 2 })),
            ),
            Some(AlreadyEvaluated),
        ),
        (Step::Submit("reviewer2", call, v1, seven()), None),
        (
            Step::CreateScorecard("admin", sample_scorecard("Other")),
            None,
        ),
        (Step::Publish("admin", other_card, 1), None),
        (Step::Submit("reviewer1", call, other_v, seven()), None),
        (
            Step::SaveDraft("admin", card, 1, sample_scorecard("Once, v2")),
            None,
        ),
        (Step::Publish("admin", card, 2), None),
        (
            Step::Submit("reviewer1", call, v2, seven()),
            Some(AlreadyEvaluated),
        ),
        (Step::ReadCall("reviewer1", call), None),
    ]);
    let id = |i: usize| answers[i]["evaluation"]["id"].as_u64();
    assert_eq!(id(2), Some(first.into()));
    assert_eq!(
        id(3),
        id(2),
        "the repeat answers with the evaluation it made"
    );
    assert_eq!(
        (id(5), id(8)),
        (Some(first as u64 + 1), Some(first as u64 + 2))
    );
    let stored = |store: &dyn Store| {
        store
            .evaluations_of_call(call)
            .unwrap()
            .iter()
            .filter(|e| e.id >= first)
            .count()
    };
    let mut memory = memory_store();
    let script: Vec<Step> = [
        Step::CreateScorecard("admin", sample_scorecard("Once")),
        Step::Publish("admin", card, 1),
        Step::Submit("reviewer1", call, v1, seven()),
        Step::SubmitAgain("reviewer1", call, v1, seven()),
        Step::SubmitAgain("reviewer1", call, v1, seven()),
    ]
    .into();
    for (i, step) in script.iter().enumerate() {
        run_step(&mut memory, i, step).unwrap();
    }
    assert_eq!(stored(&memory), 1, "three submissions, one evaluation");
}

/// The call library, a call's page and the directory are workflow reads in both stores: the
/// same page, transcript and evaluation list from each, and only for those who browse calls.
#[test]
fn the_call_library_a_call_s_page_and_the_directory_read_alike_in_both_stores() {
    let data = &demo().0;
    let call = data
        .evaluations
        .iter()
        .map(|e| e.call_id)
        .find(|id| data.transcripts.contains_key(id))
        .expect("a recorded, evaluated demo call");
    let agent = data.calls.iter().find(|c| c.id == call).unwrap().agent_id;
    let agent: &'static str = Box::leak(
        data.users
            .iter()
            .find(|u| u.id == agent)
            .unwrap()
            .username
            .clone()
            .into_boxed_str(),
    );
    let answers = scenario(&[
        (
            Step::SearchCalls("reviewer1", "queue=bookings&sort=duration&dir=asc&page=2"),
            None,
        ),
        (
            Step::SearchCalls("lead1", "recorded=yes&csat_min=4&sort=csat"),
            None,
        ),
        (Step::SearchCalls(agent, ""), Some(Code::Forbidden)),
        (Step::CallPage("lead1", call), None),
        (Step::CallPage(agent, call), Some(Code::Forbidden)),
        (Step::CallPage("reviewer1", 999_999), Some(Code::NotFound)),
        (Step::Directory("reviewer1"), None),
        (Step::Directory(agent), Some(Code::Forbidden)),
        (
            Step::CreateScorecard("admin", sample_scorecard("Library")),
            None,
        ),
        (Step::Publish("admin", NEW_CARD, 1), None),
        (
            Step::Submit(
                "reviewer3",
                call,
                NEW_DRAFT,
                sample_answers(json!({ "points": 9 })),
            ),
            None,
        ),
        (Step::CallPage("reviewer2", call), None),
    ]);
    let page = &answers[0];
    assert_eq!(page["page"], 2);
    let durations: Vec<u64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["queue"], "bookings");
            c["duration_s"].as_u64().unwrap()
        })
        .collect();
    assert!(
        !durations.is_empty() && durations.is_sorted(),
        "{durations:?}"
    );
    let bookings = data.calls.iter().filter(|c| c.queue == "bookings").count();
    assert_eq!(page["total"].as_u64(), Some(bookings as u64));
    let detail = &answers[3];
    assert_eq!(
        detail["transcript"].as_array().unwrap().len(),
        data.transcripts[&call].len()
    );
    let listed = |d: &Value| -> Vec<u64> {
        d["evaluations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_u64().unwrap())
            .collect()
    };
    let before = listed(detail);
    assert_eq!(
        before.len(),
        data.evaluations
            .iter()
            .filter(|e| e.call_id == call)
            .count()
    );
    let after = listed(&answers[11]);
    assert_eq!(
        after.len(),
        before.len() + 1,
        "the new evaluation is listed"
    );
    assert_eq!(
        after[0],
        answers[10]["evaluation"]["id"].as_u64().unwrap(),
        "newest first"
    );
    let directory = &answers[6];
    assert_eq!(
        directory["users"].as_array().unwrap().len(),
        data.users.len()
    );
    assert_eq!(
        directory["teams"].as_array().unwrap().len(),
        data.teams.len()
    );
}

#[test]
fn accounts_are_opened_deactivated_and_given_passwords_by_admins_only() {
    use Code::*;
    let user = |username: &str, password: &str| json!({ "username": username, "display_name": "New Person", "role": "agent", "team_id": 2, "password": password });
    let answers = scenario(&[
        (Step::ListUsers("lead1"), Some(Forbidden)),
        (Step::SetActive("lead1", "agent3", false), Some(Forbidden)),
        (
            Step::SetActive("admin", "admin", false),
            Some(CannotDeactivateSelf),
        ),
        (Step::SetActive("admin", "agent3", false), None),
        (Step::SetActive("admin", "agent3", true), None),
        (
            Step::CreateUser("reviewer1", user("newbie", "long enough")),
            Some(Forbidden),
        ),
        (
            Step::CreateUser("admin", user("new bie!", "short")),
            Some(InvalidInput),
        ),
        (
            Step::CreateUser(
                "admin",
                json!({ "username": "x", "display_name": " ", "role": "agent", "team_id": 9, "password": "long enough" }),
            ),
            Some(InvalidInput),
        ),
        (
            Step::CreateUser("admin", user("AGENT1", "long enough")),
            Some(UsernameTaken),
        ),
        (
            Step::CreateUser("admin", user("newbie", "long enough")),
            None,
        ),
        (Step::ListUsers("admin"), None),
        (
            Step::ResetPassword("lead1", "newbie", "another long one"),
            Some(Forbidden),
        ),
        (
            Step::ResetPassword("admin", "newbie", "short"),
            Some(InvalidInput),
        ),
        (
            Step::ResetPassword("admin", "newbie", "another long one"),
            None,
        ),
        (
            Step::ResetPassword("admin", "admin", "another long one"),
            Some(ResetOwnPassword),
        ),
        (
            Step::ChangePassword("newbie", false, "a third password"),
            Some(WrongPassword),
        ),
        (
            Step::ChangePassword("newbie", true, "short"),
            Some(InvalidInput),
        ),
        (
            Step::ChangePassword("newbie", true, "a third password"),
            None,
        ),
    ]);
    assert_eq!(answers[3]["active"], false);
    assert_eq!(answers[4]["active"], true);
    let created = &answers[9];
    assert_eq!(
        (
            created["username"].as_str(),
            created["role"].as_str(),
            created["active"].as_bool()
        ),
        (Some("newbie"), Some("agent"), Some(true))
    );
    assert_eq!(
        created["id"],
        demo().0.users.len() + 1,
        "numbered as SQLite numbers rows"
    );
    assert!(answers[10]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["username"] == "newbie"));
}

/// Issue #21: admins could not correct a name, a role or a team. An edit is checked like a new
/// account, refused when stale, never takes away one's own role, and never strands a queue.
#[test]
fn admins_edit_names_roles_and_teams_and_a_stale_or_stranding_edit_is_refused() {
    use Code::*;
    let store = memory_store();
    let profile = |username: &str| {
        let u = actor(&store, username);
        (u.id, serde_json::to_value(UserProfile::of(&u)).unwrap())
    };
    let (agent3, agent3_was) = profile("agent3");
    let (admin, admin_was) = profile("admin");
    let (reviewer1, reviewer1_was) = profile("reviewer1");
    let (reviewer4, reviewer4_was) = profile("reviewer4");
    let edit = |was: &Value, change: Value| {
        let mut profile = was.clone();
        for (k, v) in change.as_object().unwrap() {
            profile[k] = v.clone();
        }
        json!({ "profile": profile, "expected": was })
    };
    let renamed = edit(
        &agent3_was,
        json!({ "display_name": "  Renamed Agent ", "team_id": 2 }),
    );
    let mut stale = edit(&agent3_was, json!({ "display_name": "Another Name" }));
    stale["expected"] = agent3_was.clone();
    let answers = scenario(&[
        (
            Step::EditUser("lead1", agent3, renamed.clone()),
            Some(Forbidden),
        ),
        (
            Step::EditUser("admin", 999, renamed.clone()),
            Some(NotFound),
        ),
        (Step::EditUser("admin", agent3, renamed.clone()), None),
        // The same edit again, as after a lost answer: already so.
        (Step::EditUser("admin", agent3, renamed.clone()), None),
        // Read before the rename: refused, nothing overwritten.
        (
            Step::EditUser("admin", agent3, stale),
            Some(ChangedSinceOpened),
        ),
        (
            Step::EditUser(
                "admin",
                agent3,
                edit(
                    &edit(
                        &agent3_was,
                        json!({ "display_name": "Renamed Agent", "team_id": 2 }),
                    )["profile"],
                    json!({ "display_name": "\u{200B}", "team_id": 9 }),
                ),
            ),
            Some(InvalidInput),
        ),
        (
            Step::EditUser("admin", admin, edit(&admin_was, json!({ "role": "lead" }))),
            Some(CannotChangeOwnRole),
        ),
        (
            Step::EditUser(
                "admin",
                reviewer1,
                edit(&reviewer1_was, json!({ "role": "agent" })),
            ),
            Some(OpenAssignments),
        ),
        (
            Step::EditUser(
                "admin",
                reviewer4,
                edit(&reviewer4_was, json!({ "role": "lead", "team_id": 3 })),
            ),
            None,
        ),
        (Step::ListUsers("admin"), None),
    ]);
    assert_eq!(
        (
            answers[2]["display_name"].as_str(),
            answers[2]["team_id"].as_u64()
        ),
        (Some("Renamed Agent"), Some(2)),
        "trimmed, and moved to team 2"
    );
    assert_eq!(answers[3], answers[2]);
    assert_eq!(answers[8]["role"], "lead");
    let listed = answers[9].as_array().unwrap();
    assert!(listed
        .iter()
        .any(|u| u["id"] == agent3 && u["display_name"] == "Renamed Agent"));
}

/// Issue #24: an agent code (工号) is what platforms export calls under. It is unique
/// regardless of case, kept trimmed, checked like a username, and an account keeps or clears
/// its own.
#[test]
fn agent_codes_are_unique_checked_and_kept_by_their_holder() {
    use Code::*;
    let store = memory_store();
    let profile = |username: &str| {
        let u = actor(&store, username);
        (u.id, serde_json::to_value(UserProfile::of(&u)).unwrap())
    };
    let (agent3, agent3_was) = profile("agent3");
    let (agent4, agent4_was) = profile("agent4");
    let edit = |was: &Value, code: Value| {
        let mut profile = was.clone();
        profile["agent_code"] = code;
        json!({ "profile": profile, "expected": was })
    };
    let new = |username: &str, code: &str| json!({ "username": username, "display_name": "New Agent", "role": "agent", "team_id": 1, "agent_code": code, "password": "long enough" });
    let answers = scenario(&[
        // agent3's code, in other case: taken.
        (
            Step::CreateUser("admin", new("seat99", "  1003 ")),
            Some(InvalidInput),
        ),
        (
            Step::CreateUser("admin", new("seat99", "CS 9")),
            Some(InvalidInput),
        ),
        (
            Step::CreateUser("admin", new("seat99", &"9".repeat(33))),
            Some(InvalidInput),
        ),
        (Step::CreateUser("admin", new("seat99", " CS-0099 ")), None),
        (
            Step::CreateUser("admin", new("seat98", "cs-0099")),
            Some(InvalidInput),
        ),
        // agent4 may not take agent3's code; agent3 keeps its own through an edit.
        (
            Step::EditUser("admin", agent4, edit(&agent4_was, json!("1003"))),
            Some(InvalidInput),
        ),
        (
            Step::EditUser("lead1", agent3, edit(&agent3_was, json!("7"))),
            Some(Forbidden),
        ),
        (
            Step::EditUser("admin", agent3, edit(&agent3_was, json!(" 1003"))),
            None,
        ),
        (
            Step::EditUser("admin", agent3, edit(&agent3_was, json!("A-3"))),
            None,
        ),
        // Cleared: blank is none, and the code is free for another.
        (
            Step::EditUser(
                "admin",
                agent3,
                edit(&edit(&agent3_was, json!("A-3"))["profile"], json!(" ")),
            ),
            None,
        ),
        (Step::CreateUser("admin", new("seat97", "a-3")), None),
    ]);
    assert_eq!(answers[3]["agent_code"], "CS-0099", "kept trimmed");
    assert_eq!(answers[7]["agent_code"], "1003");
    assert_eq!(answers[8]["agent_code"], "A-3");
    assert!(answers[9].get("agent_code").is_none(), "{}", answers[9]);
    assert_eq!(answers[10]["agent_code"], "a-3");
    // What the refusals say, field by field.
    let mut store = memory_store();
    let admin = actor(&store, "admin");
    for (code, kind) in [
        ("1003", Problem::Taken),
        (
            "CS 9",
            Problem::Characters {
                allowed: "a-z A-Z 0-9 . _ -".into(),
            },
        ),
        (&"9".repeat(33)[..], Problem::Length { min: 1, max: 32 }),
    ] {
        match workflow::create_user(&mut store, &admin, from(&new("seat99", code))) {
            Err(Failure::Refused(kappa_domain::Refusal::InvalidInput(fields))) => {
                assert_eq!(fields.len(), 1, "{fields:?}");
                assert_eq!(
                    (fields[0].field.as_str(), &fields[0].problem),
                    ("agent_code", &kind)
                );
            }
            other => panic!("{other:?}"),
        }
    }
    let taken = workflow::edit_user(
        &mut store,
        &admin,
        agent4,
        from(&edit(&agent4_was, json!("1003"))),
    );
    assert!(
        matches!(&taken, Err(Failure::Refused(kappa_domain::Refusal::InvalidInput(f))) if f[0].problem == Problem::Taken),
        "{taken:?}"
    );
}

#[test]
fn refused_input_names_every_field_and_never_echoes_a_password() {
    let mut store = memory_store();
    let admin = actor(&store, "admin");
    let new = NewUser {
        username: "no spaces please".into(),
        display_name: String::new(),
        role: Role::Agent,
        team_id: Some(42),
        agent_code: Some("bad code!".into()),
        password: "secret".into(),
    };
    match workflow::create_user(&mut store, &admin, new) {
        Err(Failure::Refused(kappa_domain::Refusal::InvalidInput(fields))) => {
            let named: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(
                named,
                vec![
                    "username",
                    "display_name",
                    "team_id",
                    "agent_code",
                    "password"
                ]
            );
            assert!(
                fields.iter().all(|f| !f.value.contains("secret")),
                "{fields:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A plan over October's team-1 calls: two calls per agent, shared by reviewer1 and reviewer2.
fn october_plan() -> Value {
    json!({
        "name": "October spot check",
        "population": "team=1&from=2026-10-01&to=2026-10-31",
        "exclude_evaluated": true,
        "exclude_assigned": true,
        "min_duration_s": 60,
        "scorecard_id": 1,
        "reviewers": [4, 5],
        "due_days": 5,
        "strategy": { "stratified": { "by": "agent", "allocation": "equal", "n": 18 } },
        "seed": 77,
        "recurrence": "weekly"
    })
}

/// Issue #21: a plan could not be changed, paused or archived. An edit applies to the next run
/// only (each run keeps the spec it drew with), a stale edit is refused, a paused plan has no
/// next run but runs by hand, an archived one does neither until restored.
#[test]
fn plans_are_edited_paused_archived_and_restored_and_runs_keep_their_spec() {
    use Code::*;
    let plan = demo().0.sampling.plans.len() as u32 + 1;
    let mut smaller = october_plan();
    smaller["name"] = json!("October spot check, lighter");
    smaller["strategy"] = json!({ "stratified": { "by": "agent", "allocation": "equal", "n": 9 } });
    let edit = |spec: &Value, revision: u32| json!({ "spec": spec, "revision": revision });
    let mut other = october_plan();
    other["due_days"] = json!(3);
    let mut nameless = smaller.clone();
    nameless["name"] = json!(" ");
    let answers = scenario(&[
        (Step::CreatePlan("lead1", october_plan()), None),
        (
            Step::EditPlan("reviewer1", plan, edit(&smaller, 1)),
            Some(Forbidden),
        ),
        (
            Step::EditPlan("lead1", 999, edit(&smaller, 1)),
            Some(NotFound),
        ),
        (Step::EditPlan("lead1", plan, edit(&smaller, 1)), None),
        // The same edit again (a retry after a lost answer): already so.
        (Step::EditPlan("lead1", plan, edit(&smaller, 1)), None),
        // Another editor who read revision 1: refused, nothing overwritten.
        (
            Step::EditPlan("lead1", plan, edit(&other, 1)),
            Some(ChangedSinceOpened),
        ),
        (
            Step::EditPlan("lead1", plan, edit(&nameless, 2)),
            Some(InvalidInput),
        ),
        (Step::RunPlan("lead1", plan), None),
        (
            Step::SetPlanStatus("reviewer1", plan, "paused", 2),
            Some(Forbidden),
        ),
        (Step::SetPlanStatus("lead1", plan, "paused", 2), None),
        (Step::ListPlans("lead1"), None),
        (Step::RunPlan("lead1", plan), None),
        (Step::SetPlanStatus("lead1", plan, "archived", 3), None),
        (Step::RunPlan("lead1", plan), Some(PlanArchived)),
        (
            Step::EditPlan("lead1", plan, edit(&october_plan(), 4)),
            Some(PlanArchived),
        ),
        (Step::SetPlanStatus("lead1", plan, "active", 4), None),
        (Step::ReadPlan("lead1", plan), None),
    ]);
    let edited = &answers[3];
    assert_eq!(
        (
            edited["plan"]["revision"].as_u64(),
            edited["plan"]["spec"]["name"]["en"].as_str()
        ),
        (Some(2), Some("October spot check, lighter"))
    );
    assert_eq!(
        answers[4], answers[3],
        "the retry answers with the plan as edited"
    );
    let runs = answers[7]["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(
        runs[0]["spec"]["strategy"], smaller["strategy"],
        "the new run drew with the edit"
    );
    assert_eq!(
        runs[1]["spec"]["strategy"],
        october_plan()["strategy"],
        "the first kept its own"
    );
    assert!(runs[0]["sampled"].as_u64().unwrap() <= 9);
    let paused = &answers[9];
    assert_eq!(paused["plan"]["status"], "paused");
    assert_eq!(
        paused["next_run"],
        Value::Null,
        "a paused plan has no next run"
    );
    let listed = answers[10].as_array().unwrap();
    let row = listed.iter().find(|p| p["plan"]["id"] == plan).unwrap();
    assert_eq!(
        (row["plan"]["status"].as_str(), &row["next_run"]),
        (Some("paused"), &Value::Null)
    );
    assert_eq!(
        answers[11]["runs"].as_array().unwrap().len(),
        3,
        "run by hand while paused"
    );
    let restored = &answers[16];
    assert_eq!(
        (
            restored["plan"]["status"].as_str(),
            restored["plan"]["revision"].as_u64()
        ),
        (Some("active"), Some(5))
    );
    assert!(
        restored["next_run"].is_string(),
        "active again, on its schedule"
    );
}

/// Issue #21: a run found fewer calls than the one before with no word why. The preview counts
/// what each exclusion leaves out, so the eligible calls and the left-out ones add up to what
/// the filters match.
#[test]
fn a_preview_counts_what_each_exclusion_leaves_out() {
    let mut open = october_plan();
    open["exclude_evaluated"] = json!(false);
    open["exclude_assigned"] = json!(false);
    open["min_duration_s"] = Value::Null;
    let answers = scenario(&[
        (Step::PreviewPlan("lead1", october_plan()), None),
        (Step::PreviewPlan("lead1", open), None),
    ]);
    let (excluding, all) = (&answers[0], &answers[1]);
    assert_eq!(
        all["left_out"],
        json!({ "evaluated": 0, "assigned": 0, "too_short": 0 })
    );
    let left = &excluding["left_out"];
    assert!(left["evaluated"].as_u64() > Some(0), "{left}");
    assert!(left["too_short"].as_u64() > Some(0), "{left}");
    let counted = excluding["population"].as_u64().unwrap()
        + ["evaluated", "assigned", "too_short"]
            .iter()
            .map(|k| left[k].as_u64().unwrap())
            .sum::<u64>();
    assert_eq!(
        counted,
        all["population"].as_u64().unwrap(),
        "nothing is counted twice"
    );
}

/// Issue #19: "Run now" and the scheduler kept handing calls to reviewers deactivated since
/// the plan was saved. Each run asks who may review today; a pool left empty is refused.
#[test]
fn a_run_hands_calls_only_to_reviewers_active_today() {
    use Code::*;
    let plan = demo().0.sampling.plans.len() as u32 + 1;
    let answers = scenario(&[
        (Step::CreatePlan("lead1", october_plan()), None),
        (Step::SetActive("admin", "reviewer1", false), None),
        (Step::RunPlan("lead1", plan), None),
        (Step::SetActive("admin", "reviewer2", false), None),
        (Step::RunPlan("lead1", plan), Some(EmptyReviewerPool)),
    ]);
    let progress = &answers[2]["progress"];
    let open = |reviewer: u64| {
        progress
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row[0] == reviewer)
            .map(|row| row[1]["open"].as_u64().unwrap())
    };
    assert_eq!(
        open(4),
        Some(9),
        "reviewer1 keeps the first run's calls and gets no more"
    );
    assert!(
        open(5).unwrap() > 9,
        "reviewer2 took the second run: {progress}"
    );
}

/// Issue #19: the server's day was UTC's, so at 07:30 on a Monday in Shanghai (23:30 on Sunday
/// in UTC) a run was dated Sunday and a weekly plan's next run fell on a Sunday. Days and weeks
/// are the centre's, in both stores.
#[test]
fn runs_are_dated_by_the_centre_s_day_and_weekly_plans_follow_its_week() {
    let monday_morning = NaiveDate::from_ymd_opt(2026, 11, 29)
        .unwrap()
        .and_hms_opt(23, 30, 0)
        .unwrap();
    let lead = actor(&memory_store(), "lead1");
    let dates = |store: &mut dyn Store| {
        let detail =
            workflow::create_plan(store, &lead, from(&october_plan()), monday_morning).unwrap();
        let run = &detail.runs[0];
        (run.run_on, run.due, detail.next_run)
    };
    let in_memory = dates(&mut memory_store());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kappa.db");
    common::copy_seeded(&path);
    let in_sqlite = Db::open(&path)
        .unwrap()
        .with(|conn| {
            let tx = conn.transaction()?;
            let dates = dates(&mut SqlStore::new(&tx));
            tx.commit()?;
            Ok(dates)
        })
        .unwrap();
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    assert_eq!(
        in_memory,
        (
            day(30),
            day(30) + Duration::days(5),
            Some(day(30) + Duration::days(7))
        ),
        "Monday's run, due five days on, the next on the following Monday"
    );
    assert_eq!(in_sqlite, in_memory, "both stores keep the centre's days");
}

#[test]
fn sampling_plans_are_previewed_committed_run_and_their_queues_worked() {
    use Code::*;
    let data = &demo().0;
    let (plan, first) = (
        data.sampling.plans.len() as u32 + 1,
        data.sampling.assignments.len() as u32 + 1,
    );
    let (reviewer1, reviewer2) = (
        actor(&memory_store(), "reviewer1"),
        actor(&memory_store(), "reviewer2"),
    );
    assert_eq!(
        (reviewer1.id, reviewer2.id),
        (4, 5),
        "october_plan names them by id"
    );
    let mut bad = october_plan();
    bad["name"] = json!("");
    bad["reviewers"] = json!([4, 30]);
    bad["scorecard_id"] = json!(99);
    let answers = scenario(&[
        (
            Step::CreatePlan("reviewer1", october_plan()),
            Some(Forbidden),
        ),
        (Step::PreviewPlan("agent1", october_plan()), Some(Forbidden)),
        (Step::PreviewPlan("lead1", bad.clone()), Some(InvalidInput)),
        (Step::CreatePlan("lead1", bad), Some(InvalidInput)),
        (Step::PreviewPlan("lead1", october_plan()), None),
        (Step::CreatePlan("lead1", october_plan()), None),
        (Step::Queue("reviewer1", format!("plan={plan}")), None),
        (
            Step::Queue("reviewer1", "reviewer=5".into()),
            Some(Forbidden),
        ),
        (Step::Queue("agent1", String::new()), Some(Forbidden)),
        (Step::Queue("lead2", format!("plan={plan}&show=all")), None),
        (
            Step::Replace("reviewer2", first, "Silent recording"),
            Some(NotFound),
        ),
        (Step::Replace("reviewer1", first, "  "), Some(InvalidInput)),
        (Step::Replace("reviewer1", first, "Silent recording"), None),
        (
            Step::Replace("reviewer1", first, "Again"),
            Some(AssignmentClosed),
        ),
        (Step::Replace("lead1", 999_999, "Nowhere"), Some(NotFound)),
        (
            Step::Reassign("reviewer1", first + 2, "reviewer2"),
            Some(Forbidden),
        ),
        (
            Step::Reassign("lead1", first + 2, "agent1"),
            Some(InvalidInput),
        ),
        (Step::Reassign("lead1", first + 2, "reviewer2"), None),
        (
            Step::Reassign("lead1", first, "reviewer2"),
            Some(AssignmentClosed),
        ),
        (Step::RunPlan("reviewer1", plan), Some(Forbidden)),
        (Step::RunPlan("lead1", plan), None),
        (Step::ReadPlan("lead1", plan), None),
        (Step::ReadPlan("lead1", 999), Some(NotFound)),
        (Step::ListPlans("reviewer1"), Some(Forbidden)),
        (Step::ListPlans("admin"), None),
    ]);
    let (preview, created) = (&answers[4], &answers[5]);
    let run = &created["runs"][0];
    assert_eq!(
        (preview["population"].clone(), preview["sampled"].clone()),
        (run["population"].clone(), run["sampled"].clone()),
        "the preview is what was committed"
    );
    assert_eq!(run["sampled"], 18, "nine agents, two calls each");
    assert_eq!(
        preview["per_reviewer"],
        json!([[4, 9], [5, 9]]),
        "shared evenly"
    );
    assert_eq!(preview["suggested"].as_u64().map(|n| n > 18), Some(true));
    let queue = answers[6]["items"].as_array().unwrap();
    assert_eq!(queue.len(), 9);
    assert!(queue
        .iter()
        .all(|i| i["assignment"]["reviewer_id"] == 4 && i["assignment"]["status"] == "open"));
    assert_eq!(answers[9]["total"], 18);
    // The exclusions hold: nothing already evaluated, nothing waiting in another plan's open
    // assignment, nothing shorter than a minute.
    let evaluated: std::collections::HashSet<u32> =
        data.evaluations.iter().map(|e| e.call_id).collect();
    let waiting: std::collections::HashSet<u32> = data
        .sampling
        .assignments
        .iter()
        .filter(|a| a.status == kappa_domain::plan::AssignmentStatus::Open)
        .map(|a| a.call_id)
        .collect();
    for item in answers[9]["items"].as_array().unwrap() {
        let call = item["call"]["id"].as_u64().unwrap() as u32;
        assert!(
            !evaluated.contains(&call) && !waiting.contains(&call),
            "call {call} should have been excluded"
        );
        assert!(item["call"]["duration_s"].as_u64().unwrap() >= 60);
        assert!(
            item["call"]["started_at"]
                .as_str()
                .unwrap()
                .starts_with("2026-10-"),
            "inside the plan's dates"
        );
        assert_eq!(item["call"]["team_id"], 1);
    }
    let replacement = &answers[12]["assignment"];
    let replaced = queue
        .iter()
        .find(|i| i["assignment"]["id"] == first)
        .unwrap();
    assert_eq!(
        replacement["stratum"], replaced["assignment"]["stratum"],
        "drawn from the same stratum"
    );
    assert_eq!(replacement["replaces"], first);
    assert_ne!(replacement["call_id"], replaced["assignment"]["call_id"]);
    assert_eq!(answers[17]["assignment"]["reviewer_id"], 5);
    let detail = &answers[21];
    assert_eq!(detail["runs"].as_array().map(Vec::len), Some(2));
    assert_eq!(detail["runs"][0]["number"], 2);
    let progress: Vec<(u64, u64)> = detail["progress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_u64().unwrap(),
                r[1]["open"].as_u64().unwrap() + r[1]["replaced"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        progress.iter().map(|p| p.1).sum::<u64>(),
        18 + 1 + 18,
        "both runs, and the replaced call beside its replacement"
    );
}

#[test]
fn scoring_an_assigned_call_closes_the_assignment_in_both_stores() {
    let data = &demo().0;
    let open = data
        .sampling
        .assignments
        .iter()
        .find(|a| a.status == kappa_domain::plan::AssignmentStatus::Open && a.reviewer_id == 4)
        .unwrap();
    let run = data
        .sampling
        .runs
        .iter()
        .find(|r| r.id == open.run_id)
        .unwrap();
    let version = data.scorecards.version(run.scorecard_version_id).unwrap();
    let answers: kappa_domain::scorecard::Answers = version
        .definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| (c.key.clone(), c.answer_type.best()))
        .collect();
    let answers = scenario(&[
        (
            Step::Submit(
                "reviewer1",
                open.call_id,
                version.id,
                serde_json::to_value(answers).unwrap(),
            ),
            None,
        ),
        (Step::Queue("reviewer1", "show=done".into()), None),
    ]);
    let done = answers[1]["items"].as_array().unwrap();
    assert!(done.iter().any(|i| i["assignment"]["id"] == open.id
        && i["assignment"]["evaluation_id"] == answers[0]["evaluation"]["id"]));
}

#[test]
fn a_plan_no_one_may_review_and_an_exhausted_stratum_are_refused_in_both_stores() {
    use Code::*;
    let data = &demo().0;
    let first = data.sampling.assignments.len() as u32 + 1;
    // Agent 8's calls of three days, every one of them drawn: nothing is left to replace with.
    let mut whole = october_plan();
    whole["population"] = json!("agent=8&from=2026-10-01&to=2026-10-03");
    whole["exclude_evaluated"] = json!(false);
    whole["exclude_assigned"] = json!(false);
    whole["min_duration_s"] = json!(null);
    whole["strategy"] = json!({ "total": { "n": 1000 } });
    // reviewer1 may not review agent 8, and reviewer1 is the whole pool.
    let mut conflicted = whole.clone();
    conflicted["reviewers"] = json!([4]);
    conflicted["conflicts"] = json!([{ "reviewer": 4, "agent": 8 }]);
    let mut shared = whole.clone();
    shared["conflicts"] = json!([{ "reviewer": 5, "agent": 8 }]);
    scenario(&[
        (
            Step::PreviewPlan("lead1", conflicted.clone()),
            Some(NoEligibleReviewer),
        ),
        (
            Step::CreatePlan("lead1", conflicted),
            Some(NoEligibleReviewer),
        ),
        (Step::CreatePlan("lead1", shared), None),
        (
            Step::Replace("reviewer1", first, "Silent recording"),
            Some(NoReplacement),
        ),
        (
            Step::Reassign("lead1", first, "reviewer2"),
            Some(NoEligibleReviewer),
        ),
        (Step::Reassign("lead1", first, "reviewer3"), None),
    ]);
}

/// An agent with no dispute in the demo, one of their calls, and one of their evaluations
/// submitted long before the scripts' day.
fn undisputed_agent() -> (&'static str, u32, u32) {
    let data = &demo().0;
    let disputed: Vec<u32> = data.reviews.disputes.iter().map(|d| d.agent_id).collect();
    let cutoff = NaiveDate::from_ymd_opt(2026, 11, 10)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let old = data
        .evaluations
        .iter()
        .find(|e| !disputed.contains(&e.agent_id) && e.submitted_at < cutoff)
        .unwrap();
    let agent = data.users.iter().find(|u| u.id == old.agent_id).unwrap();
    let calls: Vec<u32> = data
        .calls
        .iter()
        .filter(|c| c.agent_id == agent.id && c.duration_s >= 30)
        .map(|c| c.id)
        .collect();
    (
        Box::leak(agent.username.clone().into_boxed_str()),
        calls[0],
        old.id,
    )
}

fn content(answers: Value) -> Value {
    json!({ "answers": answers, "notes": { "greet": { "comment": "Warm greeting", "evidence": [12_000, 3_000] }, "fix": { "comment": "", "evidence": [] } }, "feedback": "Verify before you discuss the booking." })
}

#[test]
fn drafts_are_private_guarded_by_revision_and_cleared_on_submit_and_only_leads_change_a_submitted_score(
) {
    use Code::*;
    let data = &demo().0;
    let (own, call, _) = undisputed_agent();
    let other_agent = if own == "agent1" { "agent2" } else { "agent1" };
    let v = NEW_DRAFT;
    let id = data.evaluations.len() as u32 + 1;
    let answers = scenario(&[
        (
            Step::CreateScorecard("admin", sample_scorecard("Reviewed")),
            None,
        ),
        (Step::Publish("admin", NEW_CARD, 1), None),
        (
            Step::SaveReviewDraft(own, call, v, content(json!({ "greet": "yes" })), 0),
            Some(Forbidden),
        ),
        (
            Step::SaveReviewDraft("reviewer1", call, v, content(json!({ "greet": "yes" })), 0),
            None,
        ),
        // A second tab that started from nothing, and one that started from an old revision.
        (
            Step::SaveReviewDraft("reviewer1", call, v, content(json!({ "greet": "no" })), 0),
            Some(StaleDraft),
        ),
        (
            Step::SaveReviewDraft(
                "reviewer1",
                call,
                v,
                content(json!({ "greet": "yes", "verify": "no" })),
                1,
            ),
            None,
        ),
        (
            Step::SaveReviewDraft("reviewer1", call, v, content(json!({ "greet": "no" })), 1),
            Some(StaleDraft),
        ),
        (Step::ReadReviewDraft("reviewer2", call), Some(NotFound)),
        (Step::ReadReviewDraft("reviewer1", call), None),
        (Step::StartReview("reviewer1", call), None),
        (
            Step::SaveReviewDraft(
                "reviewer1",
                call,
                v,
                content(json!({ "fix": { "points": 11 } })),
                2,
            ),
            Some(AnswerDoesNotFit),
        ),
        (
            Step::SaveReviewDraft(
                "reviewer1",
                call,
                v,
                json!({ "notes": { "greet": { "evidence": [999_999_999] } } }),
                2,
            ),
            Some(InvalidInput),
        ),
        (
            Step::SubmitReview(
                "reviewer1",
                call,
                v,
                content(json!({ "greet": "yes", "verify": "yes" })),
            ),
            Some(IncompleteEvaluation),
        ),
        (
            Step::SubmitReview(
                "reviewer1",
                call,
                v,
                content(json!({ "greet": "no", "verify": "yes", "fix": { "points": 7 } })),
            ),
            None,
        ),
        (Step::ReadReviewDraft("reviewer1", call), Some(NotFound)),
        (
            Step::Amend(
                "reviewer1",
                id,
                content(json!({ "greet": "yes", "verify": "yes", "fix": { "points": 10 } })),
                "Calibrated",
            ),
            Some(Forbidden),
        ),
        (
            Step::Amend(
                "lead1",
                id,
                content(json!({ "greet": "yes", "verify": "yes", "fix": { "points": 10 } })),
                "  ",
            ),
            Some(InvalidInput),
        ),
        (
            Step::Amend(
                "lead1",
                id,
                content(json!({ "greet": "yes", "verify": "yes" })),
                "Calibrated",
            ),
            Some(IncompleteEvaluation),
        ),
        (
            Step::Amend(
                "lead1",
                id + 1,
                content(json!({ "greet": "yes", "verify": "yes", "fix": { "points": 10 } })),
                "Calibrated",
            ),
            Some(NotFound),
        ),
        (
            Step::Amend(
                "lead1",
                id,
                content(json!({ "greet": "yes", "verify": "yes", "fix": { "points": 10 } })),
                "Calibrated with the team",
            ),
            None,
        ),
        (Step::ReadEvaluation(own, id), None),
        (Step::ReadEvaluation(other_agent, id), Some(NotFound)),
    ]);
    assert_eq!(answers[3]["revision"], 1);
    assert_eq!(
        answers[3]["content"]["notes"]["greet"]["evidence"],
        json!([3_000, 12_000]),
        "evidence is kept in playback order"
    );
    assert!(
        answers[3]["content"]["notes"].get("fix").is_none(),
        "an empty note is not kept"
    );
    assert_eq!(answers[8]["revision"], 2);
    assert_eq!(
        answers[9]["draft"]["revision"], 2,
        "the workspace opens on the reviewer's draft"
    );
    let submitted = &answers[13]["evaluation"];
    // 30 × 1/2 + 70 × 7/10 = 64.
    assert_eq!(
        (submitted["score"].as_f64(), submitted["feedback"].as_str()),
        (Some(64.0), Some("Verify before you discuss the booking."))
    );
    let history: Vec<(String, f64)> = answers[20]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["event"]["kind"].as_str().unwrap().to_string(),
                h["event"]["score"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            ("submitted".to_string(), 64.0),
            ("amended".to_string(), 100.0)
        ]
    );
    assert_eq!(
        answers[20]["history"][1]["event"]["reason"],
        "Calibrated with the team"
    );
}

#[test]
fn agents_acknowledge_and_dispute_within_the_window_and_the_limit_and_leads_rule_on_each_point() {
    use Code::*;
    let data = &demo().0;
    let (own, call, old) = undisputed_agent();
    let other_agent = if own == "agent1" { "agent2" } else { "agent1" };
    let v = NEW_DRAFT;
    let first = data.evaluations.len() as u32 + 1;
    let dispute = data.reviews.disputes.len() as u32 + 1;
    let scored = |points: u32| {
        content(json!({ "greet": "no", "verify": "yes", "fix": { "points": points } }))
    };
    let greet =
        json!([{ "criterion": "greet", "comment": "I greeted at 0:03", "proposed": "yes" }]);
    let both = json!([{ "criterion": "greet", "comment": "I greeted at 0:03", "proposed": "yes" }, { "criterion": "fix", "comment": "Resolved fully", "proposed": { "points": 10 } }]);
    let answers = scenario(&[
        (
            Step::CreateScorecard("admin", sample_scorecard("Disputed")),
            None,
        ),
        (Step::Publish("admin", NEW_CARD, 1), None),
        (Step::SubmitReview("reviewer1", call, v, scored(7)), None),
        (Step::SubmitReview("lead1", call, v, scored(6)), None),
        (Step::SubmitReview("reviewer2", call, v, scored(5)), None),
        (Step::SubmitReview("reviewer3", call, v, scored(4)), None),
        (Step::Seen(other_agent, first), Some(NotFound)),
        (Step::Seen("lead1", first), Some(NotFound)),
        (Step::Seen(own, first), None),
        (Step::Acknowledge(own, first), None),
        (Step::Acknowledge(own, first), None),
        (Step::Feedback(own), None),
        (Step::Feedback("reviewer1"), Some(Forbidden)),
        (
            Step::RaiseDispute(other_agent, first, greet.clone()),
            Some(NotFound),
        ),
        (
            Step::RaiseDispute("lead1", first, greet.clone()),
            Some(NotFound),
        ),
        (
            Step::RaiseDispute(own, old, greet.clone()),
            Some(DisputeWindowClosed),
        ),
        (
            Step::RaiseDispute(own, first, json!([])),
            Some(InvalidInput),
        ),
        (
            Step::RaiseDispute(
                own,
                first,
                json!([{ "criterion": "greet", "comment": " ", "proposed": "yes" }]),
            ),
            Some(InvalidInput),
        ),
        (Step::RaiseDispute(own, first, both.clone()), None),
        (
            Step::RaiseDispute(own, first, greet.clone()),
            Some(DisputeAlreadyOpen),
        ),
        (Step::RaiseDispute(own, first + 1, greet.clone()), None),
        (Step::RaiseDispute(own, first + 2, greet.clone()), None),
        (
            Step::RaiseDispute(own, first + 3, greet.clone()),
            Some(DisputeLimitReached),
        ),
        (Step::Rule("reviewer2", dispute, json!([])), Some(Forbidden)),
        (
            Step::Rule(
                "lead1",
                dispute + 1,
                json!([{ "verdict": "accepted", "reason": "Heard it" }]),
            ),
            Some(OwnReview),
        ),
        (
            Step::Rule(
                "lead2",
                dispute,
                json!([{ "verdict": "accepted", "reason": "Heard it" }]),
            ),
            Some(InvalidInput),
        ),
        (
            Step::Rule(
                "lead2",
                dispute,
                json!([{ "verdict": "accepted", "reason": "Heard at 0:03" }, { "verdict": "partly_accepted", "reason": "" }]),
            ),
            Some(InvalidInput),
        ),
        (
            Step::Rule(
                "lead2",
                dispute,
                json!([{ "verdict": "accepted", "reason": "Heard at 0:03" }, { "verdict": "partly_accepted", "reason": "Solved, no recap", "answer": { "points": 9 } }]),
            ),
            None,
        ),
        (
            Step::Rule(
                "lead2",
                dispute,
                json!([{ "verdict": "rejected", "reason": "Again" }, { "verdict": "rejected", "reason": "Again" }]),
            ),
            Some(DisputeAlreadyRuled),
        ),
        (
            Step::Rule(
                "lead2",
                dispute + 1,
                json!([{ "verdict": "rejected", "reason": "Not heard" }]),
            ),
            None,
        ),
        (
            Step::RaiseDispute(own, first + 1, greet.clone()),
            Some(DisputeAlreadyRuled),
        ),
        (
            Step::Rule(
                "admin",
                dispute + 2,
                json!([{ "verdict": "rejected", "reason": "Not heard" }]),
            ),
            None,
        ),
        (Step::Disputes("lead1", "closed"), None),
        (Step::Disputes("agent1", "all"), Some(Forbidden)),
        (Step::ReadEvaluation("reviewer1", first), None),
    ]);
    let feedback = answers[11].as_array().unwrap();
    let newest = feedback.iter().find(|f| f["id"] == first).unwrap();
    assert_eq!(
        (
            newest["seen"].as_bool(),
            newest["acknowledged_at"].is_string()
        ),
        (Some(true), true)
    );
    assert_eq!(
        answers[9]["evaluation"]["acknowledged_at"], answers[10]["evaluation"]["acknowledged_at"],
        "the first acknowledgement is kept"
    );
    let ruled = &answers[27];
    // 30 × 2/2 + 70 × 9/10 = 93: the reviewer's 64 stays in the history beside it.
    assert_eq!(
        (
            ruled["evaluation"]["score"].as_f64(),
            ruled["evaluation"]["passed"].as_bool()
        ),
        (Some(93.0), Some(true))
    );
    let scores: Vec<f64> = ruled["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"]["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores, vec![64.0, 93.0]);
    assert_eq!(
        ruled["disputes"][0]["ruling"]["points"][1]["verdict"],
        "partly_accepted"
    );
    let list = &answers[32];
    let statuses: Vec<&str> = list["disputes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["dispute"]["agent_id"] == answers[8]["evaluation"]["agent_id"])
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 3);
    assert!(statuses.contains(&"partly_accepted") && statuses.contains(&"rejected"));
    let reviewer1 = list["by_reviewer"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reviewer_id"] == 4)
        .unwrap();
    assert!(
        reviewer1["upheld"].as_u64().unwrap() >= 1,
        "the upheld dispute counts against its reviewer"
    );
    assert_eq!(
        answers[34]["disputes"][0]["ruling"]["arbiter_id"], 3,
        "the reviewer sees lead2's ruling on the evaluation"
    );
}

/// A calibration session on the scorecard the script publishes: three calls the agent `agent1`
/// never took part in matters not; reviewers 1–3 score, lead2 is the expert, lead1 runs it.
fn calibration_session(visibility: &str, deadline_step: usize) -> Value {
    let data = &demo().0;
    let id = |name: &str| data.users.iter().find(|u| u.username == name).unwrap().id;
    let calls: Vec<u32> = data
        .calls
        .iter()
        .filter(|c| c.duration_s >= 60)
        .take(2)
        .map(|c| c.id)
        .collect();
    json!({
        "title": "Weekly calibration",
        "scorecard_version_id": NEW_DRAFT,
        "call_ids": calls,
        "participants": [id("reviewer1"), id("reviewer2"), id("reviewer3")],
        "calibrator": id("lead2"),
        "deadline": kappa_domain::time::stamp(at(deadline_step)),
        "visibility": visibility,
    })
}

fn full(greet: &str, verify: &str, fix: u32) -> Value {
    json!({ "greet": greet, "verify": verify, "fix": { "points": fix } })
}

fn scoring(call: u32, answers: Value) -> Value {
    json!({ "call_id": call, "answers": answers, "notes": { "fix": { "comment": "Offered the refund", "evidence": [] } } })
}

#[test]
fn calibration_is_blind_until_the_lead_reveals_late_scores_are_marked_and_the_consensus_closes_it()
{
    use Code::*;
    let data = &demo().0;
    let s = data.calibration.sessions.len() as u32 + 1;
    let session = calibration_session("blind", 27);
    let calls: Vec<u32> = session["call_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap() as u32)
        .collect();
    let (c1, c2) = (calls[0], calls[1]);
    let agent_id = data.calls.iter().find(|c| c.id == c1).unwrap().agent_id;
    let agent: &'static str = Box::leak(
        data.users
            .iter()
            .find(|u| u.id == agent_id)
            .unwrap()
            .username
            .clone()
            .into_boxed_str(),
    );
    let mut bad = session.clone();
    bad["participants"] = json!([bad["participants"][0]]);
    bad["calibrator"] = bad["participants"][0].clone();
    bad["call_ids"] = json!([c1, c1, 99_999_999]);
    bad["deadline"] = json!("2020-01-01T00:00:00");
    bad["title"] = json!(" ");
    let answers = scenario(&[
        (
            Step::CreateScorecard("admin", sample_scorecard("Calibrated")),
            None,
        ),
        (Step::Publish("admin", NEW_CARD, 1), None),
        (
            Step::CreateCalibration("reviewer1", session.clone()),
            Some(Forbidden),
        ),
        (Step::CreateCalibration("lead1", bad), Some(InvalidInput)),
        (Step::CreateCalibration("lead1", session.clone()), None),
        // 5: the scorers start; an agent and a reviewer outside the session see nothing.
        (Step::ReadCalibration("agent1", s), Some(Forbidden)),
        (Step::ReadCalibration("reviewer4", s), Some(NotFound)),
        (
            Step::StartCalibrationReview("reviewer4", c1, s),
            Some(NotFound),
        ),
        (
            Step::StartCalibrationReview("lead1", c1, s),
            Some(NotAScorer),
        ),
        (Step::StartCalibrationReview("reviewer1", c1, s), None),
        // 10: a calibration draft is kept apart from the reviewer's own review of the call.
        (
            Step::SaveCalibrationDraft(
                "reviewer1",
                c1,
                s,
                NEW_DRAFT,
                content(json!({ "greet": "yes" })),
                0,
            ),
            None,
        ),
        (Step::ReadReviewDraft("reviewer1", c1), Some(NotFound)),
        (Step::ReadCalibrationDraft("reviewer1", c1, s), None),
        (
            Step::ReadCalibrationDraft("reviewer2", c1, s),
            Some(NotFound),
        ),
        (
            Step::SaveCalibrationDraft(
                "reviewer1",
                c1,
                s,
                1,
                content(json!({ "greet": "yes" })),
                1,
            ),
            Some(NotFound),
        ),
        // 15: scores; the first reviewer's draft goes with their score.
        (
            Step::ScoreCalibration("reviewer1", s, scoring(c1, full("yes", "yes", 8))),
            None,
        ),
        (
            Step::ReadCalibrationDraft("reviewer1", c1, s),
            Some(NotFound),
        ),
        (
            Step::ScoreCalibration("reviewer1", s, scoring(c1, full("no", "yes", 8))),
            Some(AlreadyScored),
        ),
        (
            Step::ScoreCalibration("reviewer2", s, scoring(c1, json!({ "greet": "yes" }))),
            Some(IncompleteEvaluation),
        ),
        (
            Step::ScoreCalibration("reviewer2", s, scoring(99_999_999, full("yes", "yes", 8))),
            Some(NotFound),
        ),
        // 20
        (
            Step::ScoreCalibration("lead1", s, scoring(c1, full("yes", "yes", 8))),
            Some(NotAScorer),
        ),
        (
            Step::ScoreCalibration("reviewer2", s, scoring(c1, full("no", "yes", 6))),
            None,
        ),
        (
            Step::ScoreCalibration("lead2", s, scoring(c1, full("yes", "yes", 9))),
            None,
        ),
        // Blind: nobody, the lead who runs it included, reads another's answers.
        (Step::ReadCalibration("reviewer1", s), None),
        (Step::ReadCalibration("lead1", s), None),
        // 25: only the lead who set it up (or an admin) reveals, and not with fewer than two scorers.
        (Step::Reveal("reviewer1", s), Some(Forbidden)),
        (Step::Reveal("lead2", s), Some(NotSessionLead)),
        (
            Step::Consensus("lead1", s, json!({ "answers": [], "notes": "" })),
            Some(NotRevealed),
        ),
        (Step::ListCalibrations("reviewer1"), None),
        // Past the deadline (step 27) scores are still taken, marked late.
        (
            Step::ScoreCalibration("reviewer3", s, scoring(c1, full("yes", "no", 10))),
            None,
        ),
        // 30
        (
            Step::ScoreCalibration("reviewer1", s, scoring(c2, full("yes", "yes", 5))),
            None,
        ),
        (Step::Reveal("lead1", s), None),
        (Step::Reveal("admin", s), Some(SessionRevealed)),
        (
            Step::ScoreCalibration("reviewer2", s, scoring(c2, full("yes", "yes", 5))),
            Some(SessionRevealed),
        ),
        (
            Step::StartCalibrationReview("reviewer2", c2, s),
            Some(SessionRevealed),
        ),
        // 35: the consensus must answer every criterion of every call.
        (
            Step::Consensus(
                "lead1",
                s,
                json!({ "answers": [[c1, full("yes", "yes", 9)]], "notes": "" }),
            ),
            Some(InvalidInput),
        ),
        (
            Step::Consensus(
                "lead2",
                s,
                json!({ "answers": [[c1, full("yes", "yes", 9)], [c2, full("yes", "yes", 6)]], "notes": "" }),
            ),
            Some(NotSessionLead),
        ),
        (
            Step::Consensus(
                "lead1",
                s,
                json!({ "answers": [[c1, full("yes", "yes", 9)], [c2, full("yes", "yes", 6)]], "notes": "Fix: 9 when the refund is confirmed in the call." }),
            ),
            None,
        ),
        (Step::ReadCalibration("reviewer3", s), None),
        (Step::AlignmentHistory("reviewer1"), None),
        // 40
        (Step::AlignmentHistory("lead1"), None),
        (Step::AlignmentHistory("agent1"), Some(Forbidden)),
        (Step::Feedback(agent), None),
    ]);
    let created = &answers[4];
    assert_eq!(
        (
            created["id"].as_u64(),
            created["title"]["en"].as_str(),
            created["revealed_at"].is_null()
        ),
        (Some(s as u64), Some("Weekly calibration"), true)
    );
    assert_eq!(
        answers[9]["version"]["id"], NEW_DRAFT,
        "the workspace scores with the session's version"
    );
    assert_eq!(
        (answers[15]["score"].as_f64(), answers[15]["late"].as_bool()),
        (Some(86.0), Some(false)),
        "30 × 2/2 + 70 × 8/10"
    );
    // Blind: each sees only their own, the lead none; everyone sees who has submitted.
    let own = |view: &Value| {
        view["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["user_id"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    let reviewer1 = data
        .users
        .iter()
        .find(|u| u.username == "reviewer1")
        .unwrap()
        .id as u64;
    assert_eq!(own(&answers[23]), vec![reviewer1]);
    assert!(answers[23]["report"].is_null());
    assert_eq!(own(&answers[24]), Vec::<u64>::new());
    assert!(answers[24]["report"].is_null());
    let progress: Vec<usize> = answers[24]["progress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["submitted"].as_array().unwrap().len())
        .collect();
    assert_eq!(
        progress,
        vec![1, 1, 0, 1],
        "reviewers 1 to 3, then the calibrator"
    );
    let listed = answers[28]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == s)
        .unwrap();
    assert_eq!(
        (listed["mine_open"].as_u64(), listed["status"].as_str()),
        (Some(1), Some("overdue")),
        "past its deadline, still waiting for a call"
    );
    assert_eq!(answers[29]["late"], true, "scored after the deadline");
    // Revealed: everything, with the report against the calibrator.
    let revealed = &answers[31];
    assert_eq!(
        (
            revealed["status"].as_str(),
            revealed["scores"].as_array().unwrap().len()
        ),
        (Some("revealed"), 5)
    );
    let report = &revealed["report"];
    assert_eq!(report["reference"], "calibrator");
    assert_eq!(
        report["calls"][0]["rows"][0]["deviates"],
        json!([false, true, false, false]),
        "reviewer2 missed the greeting"
    );
    assert_eq!(report["criteria"][0]["agreement"]["level"], "nominal");
    assert_eq!(report["criteria"][2]["agreement"]["level"], "interval");
    let agreed = &answers[37];
    assert_eq!(
        (
            agreed["status"].as_str(),
            agreed["session"]["consensus"]["notes"].as_str()
        ),
        (
            Some("agreed"),
            Some("Fix: 9 when the refund is confirmed in the call.")
        )
    );
    // Trends: a reviewer sees their own points, a lead every scorer's but the calibrator's.
    let mine: Vec<u64> = answers[39]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["session_id"] == s)
        .map(|p| p["user_id"].as_u64().unwrap())
        .collect();
    assert_eq!(mine, vec![reviewer1]);
    let all = answers[40]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["session_id"] == s)
        .count();
    assert_eq!(all, 3);
    assert!(!serde_json::to_string(&answers[37]).unwrap().contains("NaN"));
    // Calibration scores are no evaluations: the agent's feedback holds only their QA evaluations.
    let evaluated = data
        .evaluations
        .iter()
        .filter(|e| e.agent_id == agent_id)
        .count();
    assert_eq!(answers[42].as_array().unwrap().len(), evaluated);
}

#[test]
fn after_submit_sessions_show_a_call_s_scores_to_those_who_scored_it() {
    use Code::*;
    let data = &demo().0;
    let s = data.calibration.sessions.len() as u32 + 1;
    let session = calibration_session("after_submit", 60);
    let calls: Vec<u32> = session["call_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap() as u32)
        .collect();
    let answers = scenario(&[
        (
            Step::CreateScorecard("admin", sample_scorecard("Calibrated")),
            None,
        ),
        (Step::Publish("admin", NEW_CARD, 1), None),
        (Step::CreateCalibration("lead1", session), None),
        (
            Step::ScoreCalibration("reviewer2", s, scoring(calls[0], full("no", "yes", 6))),
            None,
        ),
        (Step::ReadCalibration("reviewer1", s), None),
        // 5
        (
            Step::ScoreCalibration("reviewer1", s, scoring(calls[0], full("yes", "yes", 8))),
            None,
        ),
        (Step::ReadCalibration("reviewer1", s), None),
        (Step::ReadCalibration("lead1", s), None),
        (Step::Reveal("lead1", s), None),
        (Step::ReadCalibration("reviewer3", s), None),
        (
            Step::ScoreCalibration("reviewer3", s, scoring(calls[0], full("yes", "yes", 8))),
            Some(SessionRevealed),
        ),
    ]);
    assert_eq!(
        answers[4]["scores"].as_array().unwrap().len(),
        0,
        "reviewer1 has not scored call 1 yet"
    );
    assert_eq!(
        answers[5]["user_id"],
        data.users
            .iter()
            .find(|u| u.username == "reviewer1")
            .unwrap()
            .id
    );
    let having_scored = &answers[6];
    assert_eq!(
        having_scored["scores"].as_array().unwrap().len(),
        2,
        "having scored call 1, reviewer1 sees reviewer2's score of it"
    );
    assert!(having_scored["report"].is_object());
    assert_eq!(
        answers[7]["scores"].as_array().unwrap().len(),
        2,
        "the lead who runs it reads what was submitted"
    );
    assert_eq!(
        answers[9]["scores"].as_array().unwrap().len(),
        2,
        "after the reveal everyone does"
    );
    // A session with a calibrator measures against them even before they score.
    assert_eq!(answers[9]["report"]["reference"], "calibrator");
}

/// Coaching on both stores: a lead's session from draft to closed with the agent's
/// acknowledgement, notes private and shared, action items done by the agent and refused to the
/// coach after, a reviewer's note on what they scored, and every refusal of scope and state.
#[test]
fn coaching_sessions_notes_and_action_items_move_through_their_states_within_team_scope() {
    use Code::*;
    let data = &demo().0;
    let (s, n, a) = (
        data.coaching.sessions.len() as u32 + 1,
        data.coaching.notes.len() as u32 + 1,
        data.coaching.actions.len() as u32 + 1,
    );
    let agent = data.users.iter().find(|u| u.username == "agent3").unwrap();
    let own_evaluation = data
        .evaluations
        .iter()
        .find(|e| e.agent_id == agent.id)
        .unwrap();
    let other_agents = data
        .evaluations
        .iter()
        .find(|e| e.agent_id != agent.id)
        .unwrap();
    let reviewer1 = data
        .users
        .iter()
        .find(|u| u.username == "reviewer1")
        .unwrap();
    let scored = data
        .evaluations
        .iter()
        .find(|e| e.reviewer_id == reviewer1.id)
        .unwrap();
    let scored_agent = data.users.iter().find(|u| u.id == scored.agent_id).unwrap();
    let not_scored = data
        .evaluations
        .iter()
        .find(|e| e.reviewer_id != reviewer1.id && e.agent_id == scored.agent_id)
        .unwrap();
    let focus = json!([{ "scorecard_id": 1, "key": "next_steps" }]);
    let new_session = |key: &str| json!({ "agent_id": agent.id, "focus": focus, "evaluation_ids": [own_evaluation.id], "period_days": 30, "client_key": key });
    let scheduled = "2026-12-01T02:00:00";
    let note = |session: Option<u32>, private: bool, key: &str| json!({ "agent_id": agent.id, "session_id": session, "kind": if private { "improvement" } else { "praise" }, "body": if private { "PRIVATE: watch the hold times" } else { "Clear close on every call this week" }, "private": private, "client_key": key });
    let item = |owner: &str, due: &str, key: &str| json!({ "agent_id": agent.id, "session_id": s, "owner": owner, "text": "Use the closing checklist", "due": due, "client_key": key });
    let answers = scenario(&[
        // Scope and role before anything else.
        (
            Step::CreateSession("lead2", new_session("s1")),
            Some(NotFound),
        ),
        (
            Step::CreateSession("reviewer1", new_session("s1")),
            Some(Forbidden),
        ),
        (
            Step::CreateSession("agent3", new_session("s1")),
            Some(Forbidden),
        ),
        (Step::CreateSession("lead1", new_session("s1")), None),
        // The same request again (a retry after a lost answer) finds the first.
        (Step::CreateSession("lead1", new_session("s1")), None),
        (
            Step::CreateSession(
                "lead1",
                json!({ "agent_id": agent.id, "focus": [{ "scorecard_id": 1, "key": "nope" }], "evaluation_ids": [other_agents.id], "period_days": 3, "client_key": "s 2" }),
            ),
            Some(InvalidInput),
        ),
        (Step::ReadSession("agent3", s), Some(NotFound)),
        (Step::ReadSession("lead2", s), Some(NotFound)),
        (
            Step::EditSession(
                "lead1",
                s,
                json!({ "revision": 1, "focus": focus, "evaluation_ids": [own_evaluation.id], "scheduled_for": scheduled, "summary": "Next steps, every call" }),
            ),
            None,
        ),
        (
            Step::EditSession(
                "lead1",
                s,
                json!({ "revision": 1, "focus": [], "summary": "Stale" }),
            ),
            Some(ChangedSinceOpened),
        ),
        (
            Step::MoveSession("lead1", s, json!({ "revision": 2, "to": "scheduled" })),
            None,
        ),
        (
            Step::MoveSession("lead1", s, json!({ "revision": 3, "to": "acknowledged" })),
            Some(WrongSessionState),
        ),
        (Step::WriteNote("lead1", note(Some(s), true, "n1")), None),
        (Step::WriteNote("lead1", note(Some(s), false, "n2")), None),
        (Step::WriteNote("lead1", note(Some(s), false, "n2")), None),
        (
            Step::CreateAction("lead1", item("agent", "2026-12-05", "a1")),
            None,
        ),
        (
            Step::CreateAction("lead1", item("coach", "2026-12-08", "a2")),
            None,
        ),
        (
            Step::CreateAction("lead1", item("agent", "2026-11-01", "a3")),
            Some(InvalidInput),
        ),
        (
            Step::CreateAction("lead2", item("agent", "2026-12-05", "a4")),
            Some(NotFound),
        ),
        // Scheduled: the agent sees it, without its notes or the coach's preparation.
        (Step::ReadSession("agent3", s), None),
        (
            Step::AcknowledgeSession("agent3", s, "Thanks"),
            Some(WrongSessionState),
        ),
        (
            Step::MoveSession("lead1", s, json!({ "revision": 3, "to": "delivered" })),
            None,
        ),
        (Step::ReadSession("agent3", s), None),
        (
            Step::AcknowledgeSession("agent2", s, "Not mine"),
            Some(NotFound),
        ),
        (
            Step::AcknowledgeSession("agent3", s, "Thanks, will do"),
            None,
        ),
        (Step::AcknowledgeSession("agent3", s, "Again"), None),
        (
            Step::SettleAction("agent3", a, json!({ "state": "done" })),
            None,
        ),
        (
            Step::SettleAction(
                "lead1",
                a,
                json!({ "state": "dropped", "reason": "Changed plan" }),
            ),
            Some(ChangedSinceOpened),
        ),
        (
            Step::SettleAction("agent3", a, json!({ "state": "done" })),
            None,
        ),
        (
            Step::SettleAction("agent3", a + 1, json!({ "state": "done" })),
            Some(Forbidden),
        ),
        (
            Step::SettleAction("lead1", a + 1, json!({ "state": "dropped", "reason": "" })),
            Some(InvalidInput),
        ),
        (
            Step::SettleAction(
                "lead1",
                a + 1,
                json!({ "state": "dropped", "reason": "Done in the team meeting" }),
            ),
            None,
        ),
        (
            Step::SettleAction("agent2", a, json!({ "state": "done" })),
            Some(NotFound),
        ),
        (Step::AcknowledgeNote("agent3", n), Some(NotFound)),
        (Step::AcknowledgeNote("agent3", n + 1), None),
        // A reviewer writes only about what they scored, to its agent.
        (
            Step::WriteNote("reviewer1", note(None, false, "r1")),
            Some(NotFound),
        ),
        (
            Step::WriteNote(
                "reviewer1",
                json!({ "agent_id": scored_agent.id, "evaluation_id": not_scored.id, "kind": "follow_up", "body": "Listen here", "client_key": "r2" }),
            ),
            Some(NotFound),
        ),
        (
            Step::WriteNote(
                "reviewer1",
                json!({ "agent_id": scored_agent.id, "evaluation_id": scored.id, "criteria": ["nope"], "moments": [{ "start_ms": 5000, "end_ms": 1000 }], "kind": "follow_up", "body": "Listen here", "client_key": "r3" }),
            ),
            Some(InvalidInput),
        ),
        (
            Step::WriteNote(
                "reviewer1",
                json!({ "agent_id": scored_agent.id, "evaluation_id": scored.id, "moments": [{ "start_ms": 1000, "end_ms": 5000 }], "kind": "follow_up", "body": "Listen here", "client_key": "r4" }),
            ),
            None,
        ),
        (
            Step::WriteNote("agent3", note(None, false, "x")),
            Some(Forbidden),
        ),
        // Reads, within scope.
        (Step::AgentCoaching("lead1", "agent3"), None),
        (Step::AgentCoaching("lead2", "agent3"), Some(NotFound)),
        (Step::AgentCoaching("reviewer1", "agent3"), Some(Forbidden)),
        // An agent reads their own through "my coaching", never through a coach's door.
        (Step::AgentCoaching("agent3", "agent3"), Some(Forbidden)),
        (Step::AgentCoaching("agent3", "agent2"), Some(Forbidden)),
        (Step::MyCoaching("agent3"), None),
        (Step::MyCoaching("lead1"), Some(Forbidden)),
        (Step::CoachingTeam("lead1"), None),
        (Step::CoachingTeam("admin"), None),
        (Step::CoachingTeam("reviewer1"), Some(Forbidden)),
        (Step::Agenda("lead1", "agent3"), None),
        (Step::Agenda("lead2", "agent3"), Some(NotFound)),
        (Step::Effect("lead1", s), None),
        (Step::Effect("lead2", s), Some(NotFound)),
        (
            Step::MoveSession("lead1", s, json!({ "revision": 5, "to": "closed" })),
            None,
        ),
        (
            Step::WriteNote("lead1", note(Some(s), false, "n3")),
            Some(WrongSessionState),
        ),
        (
            Step::MoveSession("lead1", s, json!({ "revision": 6, "to": "draft" })),
            Some(WrongSessionState),
        ),
        // The agent's next calls, sampled for reviewers other than the coach.
        (Step::FollowUp("reviewer1", s, 3), Some(Forbidden)),
        (Step::FollowUp("lead2", s, 3), Some(NotFound)),
        (Step::FollowUp("lead1", s, 0), Some(InvalidInput)),
        (Step::FollowUp("lead1", s, 3), None),
        (Step::FollowUp("lead1", s, 5), None),
        (Step::CreateSession("lead1", new_session("s9")), None),
        (Step::FollowUp("lead1", s + 1, 3), Some(WrongSessionState)),
    ]);
    let plan = answers[60]["session"]["follow_up_plan"]
        .as_u64()
        .expect("a plan");
    assert_eq!(
        answers[61]["session"]["follow_up_plan"], plan,
        "asked again, the same plan"
    );
    let created = &answers[3];
    assert_eq!(
        (
            created["session"]["id"].as_u64(),
            created["session"]["state"].as_str()
        ),
        (Some(s.into()), Some("draft"))
    );
    assert_eq!(
        answers[4]["session"]["id"], created["session"]["id"],
        "the retry found the first"
    );
    assert_eq!(answers[10]["session"]["state"], "scheduled");
    assert_eq!(
        answers[14]["id"], answers[13]["id"],
        "the note's retry found the first"
    );
    let scheduled_view = answers[19].to_string();
    assert_eq!(
        answers[19]["notes"],
        json!([]),
        "no notes before the session is held"
    );
    assert_eq!(
        answers[19]["session"]["summary"], "",
        "nor the coach's preparation"
    );
    assert_eq!(answers[19]["coach_view"], false);
    assert!(!scheduled_view.contains("PRIVATE"));
    let held = answers[22].to_string();
    assert!(
        !held.contains("PRIVATE"),
        "the agent never receives a private note: {held}"
    );
    assert_eq!(answers[22]["notes"].as_array().map(Vec::len), Some(1));
    assert_eq!(answers[22]["session"]["summary"], "Next steps, every call");
    assert_eq!(answers[24]["session"]["state"], "acknowledged");
    assert_eq!(answers[24]["session"]["comment"], "Thanks, will do");
    assert_eq!(
        answers[25]["session"]["comment"], "Thanks, will do",
        "the first acknowledgement is kept"
    );
    assert_eq!(answers[26]["state"], "done");
    assert_eq!(answers[31]["state"], "dropped");
    assert!(answers[34]["acknowledged_at"].is_string());
    let lead_view = answers[40].to_string();
    assert!(
        lead_view.contains("PRIVATE"),
        "the coach reads the private note"
    );
    let own_view = &answers[45];
    assert!(!own_view.to_string().contains("PRIVATE"));
    assert_eq!(own_view["coach_view"], false);
    assert!(own_view["trend"]["points"].is_array() && own_view["n"].as_u64() > Some(0));
    let team = answers[47]["rows"].as_array().unwrap();
    let lead1 = data.users.iter().find(|u| u.username == "lead1").unwrap();
    let led: Vec<u32> = data
        .teams
        .iter()
        .filter(|t| t.lead_id == Some(lead1.id))
        .map(|t| t.id)
        .collect();
    assert!(
        team.iter()
            .all(|r| led.contains(&(r["team_id"].as_u64().unwrap() as u32))),
        "only lead1's teams"
    );
    assert!(
        team.iter().any(|r| r["team_id"] == 3) && team.iter().any(|r| r["team_id"] == 1),
        "both of lead1's teams"
    );
    assert!(
        answers[48]["rows"].as_array().unwrap().len() > team.len(),
        "an admin sees every agent"
    );
    assert!(answers[50]["weakest"].is_array());
    assert_eq!(answers[52]["criteria"][0]["criterion"]["key"], "next_steps");
}

/// What waits for an agent comes from the records: a held session until it is acknowledged, a
/// shared note until it is acknowledged or marked seen; a private note never. A marker is the
/// agent's own, for the kinds nothing else clears.
#[test]
fn notices_follow_the_records_and_a_marker_clears_only_its_own_kind() {
    use Code::*;
    let data = &demo().0;
    let (s, n) = (
        data.coaching.sessions.len() as u32 + 1,
        data.coaching.notes.len() as u32 + 1,
    );
    let agent = data.users.iter().find(|u| u.username == "agent3").unwrap();
    let session =
        json!({ "agent_id": agent.id, "focus": [], "period_days": 30, "client_key": "w1" });
    let note = |private: bool, key: &str| json!({ "agent_id": agent.id, "session_id": s, "kind": "praise", "body": "Well done", "private": private, "client_key": key });
    let answers = scenario(&[
        (Step::Notices("agent3"), None),
        (Step::CreateSession("lead1", session), None),
        (Step::WriteNote("lead1", note(false, "w2")), None),
        (Step::WriteNote("lead1", note(true, "w3")), None),
        (Step::Notices("agent3"), None),
        (
            Step::MoveSession("lead1", s, json!({ "revision": 1, "to": "delivered" })),
            None,
        ),
        (Step::Notices("agent3"), None),
        (
            Step::NoticeSeen("agent3", json!({ "kind": "note", "id": n + 1 })),
            Some(NotFound),
        ),
        (
            Step::NoticeSeen("agent2", json!({ "kind": "note", "id": n })),
            Some(NotFound),
        ),
        (
            Step::NoticeSeen("agent3", json!({ "kind": "session", "id": s })),
            Some(NotFound),
        ),
        (
            Step::NoticeSeen("lead1", json!({ "kind": "note", "id": n })),
            Some(Forbidden),
        ),
        (
            Step::NoticeSeen("agent3", json!({ "kind": "note", "id": n })),
            None,
        ),
        (
            Step::NoticeSeen("agent3", json!({ "kind": "note", "id": n })),
            None,
        ),
        (Step::AcknowledgeSession("agent3", s, ""), None),
        (Step::Notices("agent3"), None),
        (Step::Notices("reviewer1"), None),
    ]);
    let ids = |a: &Value, kind: &str| -> Vec<u64> {
        a.as_array()
            .unwrap()
            .iter()
            .filter(|x| x["kind"] == kind)
            .map(|x| x["id"].as_u64().unwrap())
            .collect()
    };
    let before = &answers[0];
    assert!(
        ids(&answers[4], "note").is_empty(),
        "notes of a session not yet held wait for no one"
    );
    assert_eq!(ids(&answers[6], "session"), [u64::from(s)]);
    assert_eq!(
        ids(&answers[6], "note"),
        [u64::from(n)],
        "the shared note, never the private one"
    );
    assert!(ids(&answers[11], "note").is_empty(), "marked seen");
    assert!(ids(&answers[14], "session").is_empty(), "acknowledged");
    assert_eq!(
        answers[14].as_array().unwrap().len(),
        before.as_array().unwrap().len()
    );
    assert!(
        answers[15]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["kind"] == "calibration"),
        "a reviewer's notices are calibration sessions to score"
    );
}
