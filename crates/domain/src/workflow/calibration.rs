//! Calibration sessions: a lead sets one up, the scorers score its calls with the pinned version
//! (drafts as in any review), the lead reveals and records the consensus. Who sees whose answers
//! when is decided here and nowhere else; the report itself is `crate::calibration`.

use super::{display_name, missing, require, second, stored, Failure, Outcome};
use crate::access::Capability;
use crate::calibration::{
    AlignmentPoint, CalibrationId, CalibrationScore, CalibrationSession, Consensus,
    ConsensusRequest, NewSession, PreparedReport, ReportBasis, ScoreSubmission, ScorerProgress,
    SessionReport, SessionSummary, SessionView, Visibility, MAX_CALLS, MAX_NOTES, MAX_SCORERS,
    MAX_TITLE,
};
use crate::call_query::{Problem, QueryError};
use crate::people::{User, UserId};
use crate::refusal::{Entity, Refusal};
use crate::review::ReviewContent;
use crate::scorecard::ScorecardVersion;
use crate::store::{Change, Store};
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, HashSet};

fn invalid(problems: Vec<QueryError>) -> Failure {
    Failure::Refused(Refusal::InvalidInput(problems))
}

/// Leads and admins see every session; a reviewer only those they score in.
fn visible_to(session: &CalibrationSession, actor: &User) -> bool {
    actor.role.can(Capability::RunCalibration)
        || (actor.role.can(Capability::Calibrate) && session.scores(actor.id))
}

/// The session's creator runs it; an admin may stand in.
fn leads(session: &CalibrationSession, actor: &User) -> bool {
    actor.role.can(Capability::RunCalibration)
        && (session.created_by == actor.id || actor.role.can(Capability::ManageUsers))
}

/// A session the asker may see; any other answers exactly as a missing one.
fn visible_session(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: CalibrationId,
) -> Outcome<CalibrationSession> {
    require(actor, Capability::Calibrate)?;
    match store.calibration_session(id)? {
        Some(s) if visible_to(&s, actor) => Ok(s),
        _ => Err(missing(Entity::CalibrationSession)),
    }
}

fn may_score(user: &User) -> bool {
    user.active && user.role.can(Capability::Calibrate)
}

/// Every problem with a new session, by field.
fn check_new(
    store: &(impl Store + ?Sized),
    new: &NewSession,
    now: NaiveDateTime,
) -> Outcome<Vec<QueryError>> {
    let mut problems = Vec::new();
    let title = new.title.shown_length();
    if !(1..=MAX_TITLE).contains(&title) {
        problems.push(QueryError::new(
            "title",
            "",
            if title == 0 {
                Problem::Required
            } else {
                Problem::Length {
                    min: 1,
                    max: MAX_TITLE as u32,
                }
            },
        ));
    }
    let published = store
        .version(new.scorecard_version_id)?
        .filter(|v| v.published);
    let live = match &published {
        Some(v) => store
            .scorecard(v.scorecard_id)?
            .is_some_and(|c| !c.archived),
        None => false,
    };
    if !live {
        problems.push(QueryError::new(
            "scorecard_version_id",
            new.scorecard_version_id.to_string(),
            Problem::NoPublishedScorecard,
        ));
    }
    if new.call_ids.is_empty() || new.call_ids.len() > MAX_CALLS {
        problems.push(QueryError::new(
            "call_ids",
            new.call_ids.len().to_string(),
            Problem::OutOfRange {
                min: 1,
                max: MAX_CALLS as u32,
            },
        ));
    }
    let mut seen = HashSet::new();
    for (i, &call) in new.call_ids.iter().enumerate() {
        let field = format!("call_ids.{i}");
        if !seen.insert(call) {
            problems.push(QueryError::new(
                &field,
                call.to_string(),
                Problem::Contradicts {
                    other: "a call listed twice".into(),
                },
            ));
        } else if store.call(call)?.is_none() {
            problems.push(QueryError::new(
                &field,
                call.to_string(),
                Problem::NoSuchCall,
            ));
        }
    }
    if new.participants.len() < 2 || new.participants.len() > MAX_SCORERS {
        problems.push(QueryError::new(
            "participants",
            new.participants.len().to_string(),
            Problem::OutOfRange {
                min: 2,
                max: MAX_SCORERS as u32,
            },
        ));
    }
    let mut seen = HashSet::new();
    for (i, &user) in new.participants.iter().enumerate() {
        let field = format!("participants.{i}");
        if !seen.insert(user) {
            problems.push(QueryError::new(
                &field,
                user.to_string(),
                Problem::Contradicts {
                    other: "a participant listed twice".into(),
                },
            ));
        } else if !store.user(user)?.is_some_and(|u| may_score(&u)) {
            problems.push(QueryError::new(
                &field,
                user.to_string(),
                Problem::NotAReviewer,
            ));
        }
    }
    if let Some(expert) = new.calibrator {
        if new.participants.contains(&expert) {
            problems.push(QueryError::new(
                "calibrator",
                expert.to_string(),
                Problem::Contradicts {
                    other: "a participant".into(),
                },
            ));
        } else if !store.user(expert)?.is_some_and(|u| may_score(&u)) {
            problems.push(QueryError::new(
                "calibrator",
                expert.to_string(),
                Problem::NotAReviewer,
            ));
        }
    }
    if new.deadline <= now {
        problems.push(QueryError::new(
            "deadline",
            crate::time::stamp(new.deadline),
            Problem::NotInFuture,
        ));
    } else if new.deadline > now + chrono::Duration::days(MAX_DEADLINE_DAYS.into()) {
        problems.push(QueryError::new(
            "deadline",
            crate::time::stamp(new.deadline),
            Problem::TooFarAhead {
                days: MAX_DEADLINE_DAYS,
            },
        ));
    }
    if !(new.threshold.is_finite() && new.threshold > 0.0 && new.threshold <= 100.0) {
        problems.push(QueryError::new(
            "threshold",
            new.threshold.to_string(),
            Problem::OutOfRange { min: 0, max: 100 },
        ));
    }
    Ok(problems)
}

/// A session is a meeting's worth of scoring: its deadline lies within a year.
pub const MAX_DEADLINE_DAYS: u32 = 366;

/// Answers the session as created; its page reads the rest (`calibration`).
pub fn create_calibration(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    new: NewSession,
    now: NaiveDateTime,
) -> Outcome<CalibrationSession> {
    require(actor, Capability::RunCalibration)?;
    let problems = check_new(store, &new, now)?;
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let session = CalibrationSession {
        id: 0,
        title: new.title.trimmed(),
        scorecard_version_id: new.scorecard_version_id,
        call_ids: new.call_ids,
        participants: new.participants,
        calibrator: new.calibrator,
        deadline: second(new.deadline),
        visibility: new.visibility,
        threshold: new.threshold,
        created_by: actor.id,
        created_at: second(now),
        revealed_at: None,
        consensus: None,
    };
    let id = store.write(Some(actor.id), Change::CalibrationCreated(session))?;
    stored("session", store.calibration_session(id)?)
}

/// The scores `actor` may read now. Blind: their own until the reveal, for everyone, the lead
/// too. After-submit: a scorer reads a call's scores once they submitted theirs; those who run
/// sessions read what has been submitted.
fn readable_scores(
    session: &CalibrationSession,
    actor: &User,
    scores: Vec<CalibrationScore>,
) -> Vec<CalibrationScore> {
    if session.revealed_at.is_some() {
        return scores;
    }
    let submitted: HashSet<_> = scores
        .iter()
        .filter(|s| s.user_id == actor.id)
        .map(|s| s.call_id)
        .collect();
    scores
        .into_iter()
        .filter(|s| {
            s.user_id == actor.id
                || match session.visibility {
                    Visibility::Blind => false,
                    Visibility::AfterSubmit => {
                        submitted.contains(&s.call_id)
                            || (actor.role.can(Capability::RunCalibration)
                                && !session.scores(actor.id))
                    }
                }
        })
        .collect()
}

pub fn calibration(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: CalibrationId,
    now: NaiveDateTime,
) -> Outcome<SessionView> {
    let session = visible_session(store, actor, id)?;
    let version = stored(
        "pinned version",
        store.version(session.scorecard_version_id)?,
    )?;
    let mut calls = Vec::new();
    for &call in &session.call_ids {
        calls.push(stored("session call", store.call(call)?)?);
    }
    let all = store.calibration_scores(id)?;
    let progress = session
        .scorers()
        .into_iter()
        .map(|user| {
            let mine: Vec<&CalibrationScore> = all.iter().filter(|s| s.user_id == user).collect();
            Ok(ScorerProgress {
                user_id: user,
                name: display_name(store, user)?,
                calibrator: session.calibrator == Some(user),
                submitted: session
                    .call_ids
                    .iter()
                    .copied()
                    .filter(|c| mine.iter().any(|s| s.call_id == *c))
                    .collect(),
                late: mine.iter().any(|s| s.late),
            })
        })
        .collect::<Outcome<Vec<_>>>()?;
    let mut scores = readable_scores(&session, actor, all);
    scores.sort_by_key(|s| (s.call_id, s.user_id));
    let report = if session.revealed_at.is_some() {
        Some(revealed_report(store, &session, &version)?)
    } else {
        // Before the reveal the report covers what the asker may read, which changes with
        // every score: computed for this read.
        scores
            .iter()
            .any(|s| s.user_id != actor.id)
            .then(|| session.report(&version.definition, &scores))
    };
    Ok(SessionView {
        status: session.status(now),
        created_by: display_name(store, session.created_by)?,
        consensus_by: session
            .consensus
            .as_ref()
            .map(|c| display_name(store, c.recorded_by))
            .transpose()?,
        is_scorer: session.scores(actor.id),
        leads: leads(&session, actor),
        version,
        calls,
        progress,
        scores,
        report,
        session,
    })
}

/// A revealed session's report as stored with its reveal or latest consensus; sessions revealed
/// before reports were stored have theirs computed.
pub(super) fn revealed_report(
    store: &(impl Store + ?Sized),
    session: &CalibrationSession,
    version: &ScorecardVersion,
) -> Outcome<SessionReport> {
    Ok(match store.calibration_report(session.id)? {
        Some(report) => report,
        None => session.report(&version.definition, &all_scores(store, session.id)?),
    })
}

/// Every score of a session, by call then scorer: the order its report is computed in.
fn all_scores(store: &(impl Store + ?Sized), id: CalibrationId) -> Outcome<Vec<CalibrationScore>> {
    let mut scores = store.calibration_scores(id)?;
    scores.sort_by_key(|s| (s.call_id, s.user_id));
    Ok(scores)
}

/// What the report of a reveal (no request) or of a consensus (its request) will be computed
/// from, for the lead who may make that change; refused as the change itself would be.
pub fn calibration_report_basis(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: CalibrationId,
    consensus: Option<&ConsensusRequest>,
    now: NaiveDateTime,
) -> Outcome<ReportBasis> {
    let mut session = led_session(store, actor, id)?;
    if let Some(request) = consensus {
        let answers = session
            .call_ids
            .iter()
            .filter_map(|call| request.answers.iter().find(|(c, _)| c == call).cloned())
            .collect();
        session.consensus = Some(Consensus {
            answers,
            notes: String::new(),
            recorded_by: actor.id,
            recorded_at: second(now),
        });
    }
    let definition = stored(
        "pinned version",
        store.version(session.scorecard_version_id)?,
    )?
    .definition;
    Ok(ReportBasis {
        scores: all_scores(store, id)?,
        session,
        definition,
    })
}

/// Sessions the asker may see, open ones first (soonest deadline first), then the newest revealed.
pub fn calibrations(
    store: &(impl Store + ?Sized),
    actor: &User,
    now: NaiveDateTime,
) -> Outcome<Vec<SessionSummary>> {
    require(actor, Capability::Calibrate)?;
    let mut names: BTreeMap<UserId, String> = BTreeMap::new();
    let mut cards: BTreeMap<u32, crate::LocalizedText> = BTreeMap::new();
    let mut list = Vec::new();
    for session in store
        .calibration_sessions()?
        .into_iter()
        .filter(|s| visible_to(s, actor))
    {
        if let std::collections::btree_map::Entry::Vacant(slot) = names.entry(session.created_by) {
            slot.insert(display_name(store, session.created_by)?);
        }
        if let std::collections::btree_map::Entry::Vacant(slot) =
            cards.entry(session.scorecard_version_id)
        {
            slot.insert(
                stored(
                    "pinned version",
                    store.version(session.scorecard_version_id)?,
                )?
                .definition
                .name,
            );
        }
        let scores = store.calibration_scores(session.id)?;
        let mine = scores.iter().filter(|s| s.user_id == actor.id).count() as u32;
        let open = session.revealed_at.is_none() && session.scores(actor.id);
        list.push(SessionSummary {
            id: session.id,
            title: session.title.clone(),
            scorecard: cards[&session.scorecard_version_id].clone(),
            status: session.status(now),
            visibility: session.visibility,
            deadline: session.deadline,
            calls: session.call_ids.len() as u32,
            scorers: session.scorers().len() as u32,
            submitted: scores.len() as u32,
            mine_open: if open {
                session.call_ids.len() as u32 - mine
            } else {
                0
            },
            created_by: names[&session.created_by].clone(),
            revealed_at: session.revealed_at,
        });
    }
    list.sort_by(|a, b| {
        let done = |s: &SessionSummary| s.revealed_at.is_some();
        done(a)
            .cmp(&done(b))
            .then(if done(a) {
                b.revealed_at.cmp(&a.revealed_at)
            } else {
                a.deadline.cmp(&b.deadline)
            })
            .then(b.id.cmp(&a.id))
    });
    Ok(list)
}

/// The session a scorer works in, with the call in it; to a non-scorer who may see the session
/// it is a refusal, to anyone else it does not exist.
pub(super) fn scoring_session(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: CalibrationId,
    call: crate::CallId,
) -> Outcome<(CalibrationSession, ScorecardVersion)> {
    let session = visible_session(store, actor, id)?;
    if !session.call_ids.contains(&call) {
        return Err(missing(Entity::Call));
    }
    if !session.scores(actor.id) {
        return Err(Refusal::NotAScorer.into());
    }
    if session.revealed_at.is_some() {
        return Err(Refusal::SessionRevealed.into());
    }
    let version = stored(
        "pinned version",
        store.version(session.scorecard_version_id)?,
    )?;
    Ok((session, version))
}

/// Each scorer scores each call of a session once.
pub(super) fn refuse_if_scored(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: CalibrationId,
    call: crate::CallId,
) -> Outcome<()> {
    if store
        .calibration_scores(id)?
        .iter()
        .any(|s| s.user_id == actor.id && s.call_id == call)
    {
        return Err(Refusal::AlreadyScored.into());
    }
    Ok(())
}

/// A scorer's answers to one call, once; after the deadline they are taken and marked late.
/// Answers the score as recorded.
pub fn submit_calibration_score(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: CalibrationId,
    submission: ScoreSubmission,
    now: NaiveDateTime,
) -> Outcome<CalibrationScore> {
    let (session, version) = scoring_session(store, actor, id, submission.call_id)?;
    refuse_if_scored(store, actor, id, submission.call_id)?;
    let call = stored("session call", store.call(submission.call_id)?)?;
    let mut content = ReviewContent {
        answers: submission.answers,
        notes: submission.notes,
        feedback: String::new(),
    };
    super::review::checked_content(&version, call.duration_s, &mut content)?;
    let explanation = super::review::graded(&version, &content)?;
    let score = CalibrationScore {
        session_id: id,
        call_id: call.id,
        user_id: actor.id,
        answers: content.answers,
        notes: content.notes,
        score: explanation.score,
        submitted_at: second(now),
        late: now > session.deadline,
    };
    store.write(Some(actor.id), Change::CalibrationScored(score.clone()))?;
    if store.review_draft(actor.id, call.id, Some(id))?.is_some() {
        store.write(
            Some(actor.id),
            Change::ReviewDraftCleared {
                reviewer: actor.id,
                call: call.id,
                calibration: Some(id),
            },
        )?;
    }
    Ok(score)
}

fn led_session(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: CalibrationId,
) -> Outcome<CalibrationSession> {
    require(actor, Capability::RunCalibration)?;
    let session = visible_session(store, actor, id)?;
    if !leads(&session, actor) {
        return Err(Refusal::NotSessionLead.into());
    }
    Ok(session)
}

/// Shows everyone's answers; from then on scores are final. Needs two scorers to compare.
pub fn reveal_calibration(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: CalibrationId,
    now: NaiveDateTime,
    prepared: Option<PreparedReport>,
) -> Outcome<SessionView> {
    let session = led_session(store, actor, id)?;
    if session.revealed_at.is_some() {
        return Err(Refusal::SessionRevealed.into());
    }
    let scorers: HashSet<UserId> = store
        .calibration_scores(id)?
        .iter()
        .map(|s| s.user_id)
        .collect();
    if scorers.len() < 2 {
        return Err(Refusal::TooFewScores.into());
    }
    let version = stored(
        "pinned version",
        store.version(session.scorecard_version_id)?,
    )?;
    let report = session.report_with(&version.definition, &all_scores(store, id)?, prepared);
    store.write(
        Some(actor.id),
        Change::CalibrationRevealed {
            id,
            at: second(now),
            report: Box::new(report),
        },
    )?;
    calibration(store, actor, id, now)
}

/// The answers the session agreed on, complete for every call, and the notes; recorded again,
/// it replaces the earlier record.
pub fn record_consensus(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: CalibrationId,
    request: ConsensusRequest,
    now: NaiveDateTime,
    prepared: Option<PreparedReport>,
) -> Outcome<SessionView> {
    let session = led_session(store, actor, id)?;
    if session.revealed_at.is_none() {
        return Err(Refusal::NotRevealed.into());
    }
    let version = stored(
        "pinned version",
        store.version(session.scorecard_version_id)?,
    )?;
    let mut problems = Vec::new();
    if request.notes.chars().count() > MAX_NOTES {
        problems.push(QueryError::new(
            "notes",
            "",
            Problem::Length {
                min: 0,
                max: MAX_NOTES as u32,
            },
        ));
    }
    let mut answers = Vec::new();
    for (i, &call) in session.call_ids.iter().enumerate() {
        let given: Vec<_> = request.answers.iter().filter(|(c, _)| *c == call).collect();
        match given.as_slice() {
            [(_, a)] => match crate::evaluation::grade(&version, a) {
                Ok(e) if e.score.is_finite() => answers.push((call, a.clone())),
                Ok(_) => problems.push(QueryError::new(
                    format!("answers.{i}"),
                    call.to_string(),
                    Problem::Contradicts {
                        other: "a finite score".into(),
                    },
                )),
                Err(crate::evaluation::SubmissionError::Incomplete(missing)) => {
                    problems.push(QueryError::new(
                        format!("answers.{i}"),
                        call.to_string(),
                        Problem::Incomplete { missing },
                    ))
                }
                Err(e) => problems.push(QueryError::new(
                    format!("answers.{i}"),
                    call.to_string(),
                    Problem::Contradicts {
                        other: e.to_string(),
                    },
                )),
            },
            _ => problems.push(QueryError::new(
                format!("answers.{i}"),
                call.to_string(),
                Problem::Required,
            )),
        }
    }
    if let Some((call, _)) = request
        .answers
        .iter()
        .find(|(c, _)| !session.call_ids.contains(c))
    {
        problems.push(QueryError::new(
            "answers",
            call.to_string(),
            Problem::NoSuchCall,
        ));
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let consensus = Consensus {
        answers,
        notes: request.notes.trim().to_string(),
        recorded_by: actor.id,
        recorded_at: second(now),
    };
    let agreed = CalibrationSession {
        consensus: Some(consensus.clone()),
        ..session
    };
    let report = agreed.report_with(&version.definition, &all_scores(store, id)?, prepared);
    store.write(
        Some(actor.id),
        Change::ConsensusRecorded {
            id,
            consensus,
            report: Box::new(report),
        },
    )?;
    calibration(store, actor, id, now)
}

/// Each scorer's alignment in every revealed session, oldest first: a lead's view holds every
/// scorer, a reviewer's only themselves.
pub fn alignment_history(
    store: &(impl Store + ?Sized),
    actor: &User,
) -> Outcome<Vec<AlignmentPoint>> {
    require(actor, Capability::Calibrate)?;
    let everyone = actor.role.can(Capability::RunCalibration);
    let mut names: BTreeMap<UserId, String> = BTreeMap::new();
    let mut points = Vec::new();
    for session in store.calibration_sessions()? {
        let Some(revealed_at) = session.revealed_at else {
            continue;
        };
        if !(everyone || session.scores(actor.id)) {
            continue;
        }
        let version = stored(
            "pinned version",
            store.version(session.scorecard_version_id)?,
        )?;
        let report = revealed_report(store, &session, &version)?;
        for summary in report
            .summaries
            .into_iter()
            .filter(|s| everyone || s.user_id == actor.id)
        {
            // The calibrator is the reference: their alignment with themselves says nothing.
            if session.calibrator == Some(summary.user_id) {
                continue;
            }
            if let std::collections::btree_map::Entry::Vacant(slot) = names.entry(summary.user_id) {
                slot.insert(display_name(store, summary.user_id)?);
            }
            points.push(AlignmentPoint {
                session_id: session.id,
                title: session.title.clone(),
                revealed_at,
                user_id: summary.user_id,
                name: names[&summary.user_id].clone(),
                alignment: summary.alignment,
                deviation: summary.deviation,
                flagged: summary.flagged,
            });
        }
    }
    points.sort_by(|a, b| {
        a.revealed_at
            .cmp(&b.revealed_at)
            .then(a.session_id.cmp(&b.session_id))
            .then(a.user_id.cmp(&b.user_id))
    });
    Ok(points)
}
