//! Reviewing calls and what follows: drafts with a revision check, changes to submitted scores,
//! the agent's feedback (seen, acknowledged) and disputes with their rulings.

use super::{display_name, evaluation, missing, require, second, stored, Outcome};
use crate::access::Capability;
use crate::calibration::CalibrationId;
use crate::call::CallId;
use crate::evaluation::{Evaluation, EvaluationDetail, SubmissionError};
use crate::people::{User, UserId};
use crate::plan::{AssignmentFilter, AssignmentStatus};
use crate::refusal::{Entity, Refusal};
use crate::review::{
    self, Amendment, Dispute, DisputeId, DisputeLine, DisputeList, DisputeRequest, DisputeStatus,
    DisputeView, DraftWrite, FeedbackItem, ReviewContent, ReviewDraft, ReviewStart,
    ReviewerDisputes, Ruling, RulingRequest, ScoreEvent, ScoreEventKind,
};
use crate::scorecard::{self, Explanation, ScorecardVersion};
use crate::store::{Change, Store};
use chrono::NaiveDateTime;
use std::collections::BTreeMap;

/// The version a reviewer scores a call with: their draft's, their assignment's, the scorecard
/// they chose, or the first live scorecard's latest.
/// In a calibration session it is the session's version, and the draft is the one kept for it.
pub fn review_start(
    store: &(impl Store + ?Sized),
    actor: &User,
    call: CallId,
    scorecard: Option<u32>,
    calibration: Option<CalibrationId>,
) -> Outcome<ReviewStart> {
    if let Some(id) = calibration {
        let (session, version) = super::calibration::scoring_session(store, actor, id, call)?;
        super::calibration::refuse_if_scored(store, actor, id, call)?;
        let draft = store.review_draft(actor.id, call, Some(id))?;
        return Ok(ReviewStart {
            version,
            draft,
            // The deadline is an instant; the workspace shows the centre's day it falls on.
            due: Some(store.clock(session.deadline)?.today(session.deadline)),
        });
    }
    require(actor, Capability::ReviewCalls)?;
    super::call(store, actor, call)?;
    let draft = store.review_draft(actor.id, call, None)?;
    let filter = AssignmentFilter {
        reviewer: Some(actor.id),
        call: Some(call),
        status: Some(AssignmentStatus::Open),
        ..AssignmentFilter::default()
    };
    let assignment = store.assignments(&filter, 0, 1)?.0.into_iter().next();
    let pinned = match (&draft, &assignment, scorecard) {
        (Some(d), _, _) => Some(d.scorecard_version_id),
        (None, Some(a), _) => {
            Some(stored("assignment's run", store.run(a.run_id)?)?.scorecard_version_id)
        }
        (None, None, Some(card)) => latest_published(store, card)?,
        (None, None, None) => super::scorecards(store, actor)?
            .into_iter()
            .filter(|c| !c.archived)
            .find_map(|c| c.versions.first().map(|v| v.id)),
    };
    let version = match pinned {
        Some(id) => store
            .version(id)?
            .filter(|v| v.readable_by(actor.role))
            .ok_or(missing(Entity::ScorecardVersion))?,
        None => return Err(missing(Entity::Scorecard)),
    };
    Ok(ReviewStart {
        version,
        draft,
        due: assignment.map(|a| a.due),
    })
}

fn latest_published(store: &(impl Store + ?Sized), card: u32) -> Outcome<Option<u32>> {
    Ok(store
        .scorecard(card)?
        .filter(|c| !c.archived)
        .and_then(|c| c.versions.first().map(|v| v.id)))
}

/// Another reviewer's draft answers exactly as a missing one.
pub fn review_draft(
    store: &(impl Store + ?Sized),
    actor: &User,
    call: CallId,
    calibration: Option<CalibrationId>,
) -> Outcome<ReviewDraft> {
    match calibration {
        Some(id) => {
            super::calibration::scoring_session(store, actor, id, call)?;
        }
        None => require(actor, Capability::ReviewCalls)?,
    }
    store
        .review_draft(actor.id, call, calibration)?
        .ok_or(missing(Entity::ReviewDraft))
}

/// A version a reviewer may score with: published, or any version for those who edit cards.
fn scoring_version(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: u32,
) -> Outcome<ScorecardVersion> {
    match store.version(id)? {
        Some(v) if v.published || actor.role.can(Capability::ManageScorecards) => Ok(v),
        _ => Err(missing(Entity::ScorecardVersion)),
    }
}

/// Answers that name only criteria of the version and fit each one; they may be incomplete.
fn fitting(version: &ScorecardVersion, content: &ReviewContent) -> Outcome<Explanation> {
    let keys: Vec<&str> = version
        .definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| c.key.as_str())
        .collect();
    let unknown: Vec<String> = content
        .answers
        .keys()
        .filter(|k| !keys.contains(&k.as_str()))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(Refusal::from(SubmissionError::UnknownCriteria(unknown)).into());
    }
    Ok(scorecard::score(&version.definition, &content.answers).map_err(Refusal::from)?)
}

pub(super) fn checked_content(
    version: &ScorecardVersion,
    duration_s: u32,
    content: &mut ReviewContent,
) -> Outcome<()> {
    let problems = review::check_content(&version.definition, duration_s, content);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Refusal::InvalidInput(problems).into())
    }
}

/// Saves the reviewer's draft when it starts from the stored revision; otherwise refuses, so
/// that neither of two editors silently loses work.
/// A calibration draft is kept apart from the reviewer's own review of the same call, pinned
/// to the session's version, until the session is revealed.
pub fn save_review_draft(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    call: CallId,
    calibration: Option<CalibrationId>,
    mut write: DraftWrite,
    now: NaiveDateTime,
) -> Outcome<ReviewDraft> {
    let (call, version) = match calibration {
        Some(id) => {
            let (session, version) = super::calibration::scoring_session(store, actor, id, call)?;
            if write.scorecard_version_id != session.scorecard_version_id {
                return Err(missing(Entity::ScorecardVersion));
            }
            (stored("session call", store.call(call)?)?, version)
        }
        None => {
            require(actor, Capability::ReviewCalls)?;
            let call = super::call(store, actor, call)?;
            (
                call,
                scoring_version(store, actor, write.scorecard_version_id)?,
            )
        }
    };
    let earlier = store.review_draft(actor.id, call.id, calibration)?;
    let current = earlier.as_ref().map_or(0, |d| d.revision);
    if write.base_revision != current {
        return Err(scorecard::EditConflict::Stale {
            yours: write.base_revision,
            current,
        }
        .into());
    }
    checked_content(&version, call.duration_s, &mut write.content)?;
    fitting(&version, &write.content)?;
    let draft = ReviewDraft {
        call_id: call.id,
        reviewer_id: actor.id,
        scorecard_version_id: version.id,
        content: write.content,
        revision: current + 1,
        saved_at: second(now),
        started_at: earlier.map_or(Some(second(now)), |d| d.started_at),
        calibration_id: calibration,
    };
    store.write(Some(actor.id), Change::ReviewDraftSaved(draft))?;
    stored("draft", store.review_draft(actor.id, call.id, calibration)?)
}

pub(super) fn graded(version: &ScorecardVersion, content: &ReviewContent) -> Outcome<Explanation> {
    let explanation = crate::evaluation::grade(version, &content.answers)?;
    if !explanation.score.is_finite() {
        return Err(Refusal::ScoreNotFinite.into());
    }
    Ok(explanation)
}

/// A lead or admin changes a submitted evaluation; the reason is kept in its history.
pub fn amend_evaluation(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: u32,
    mut amendment: Amendment,
    now: NaiveDateTime,
) -> Outcome<EvaluationDetail> {
    require(actor, Capability::ArbitrateDisputes)?;
    let current = store.evaluation(id)?.ok_or(missing(Entity::Evaluation))?;
    let version = stored(
        "pinned version",
        store.version(current.scorecard_version_id)?,
    )?;
    let call = stored("evaluated call", store.call(current.call_id)?)?;
    let mut problems: Vec<_> = review::reason_problem("reason", &amendment.reason)
        .into_iter()
        .collect();
    problems.extend(review::check_content(
        &version.definition,
        call.duration_s,
        &mut amendment.content,
    ));
    if !problems.is_empty() {
        return Err(Refusal::InvalidInput(problems).into());
    }
    let explanation = graded(&version, &amendment.content)?;
    let event = ScoreEvent {
        kind: ScoreEventKind::Amended,
        actor_id: actor.id,
        at: second(now),
        score: explanation.score,
        passed: explanation.passed,
        reason: amendment.reason.trim().to_string(),
        answers: amendment.content.answers.clone(),
    };
    store.write(
        Some(actor.id),
        Change::EvaluationAmended {
            id,
            content: amendment.content,
            score: explanation.score,
            passed: explanation.passed,
            event,
        },
    )?;
    evaluation(store, actor, id)
}

/// The agent's own evaluation; to anyone else it does not exist.
fn own_evaluation(store: &(impl Store + ?Sized), actor: &User, id: u32) -> Outcome<Evaluation> {
    match store.evaluation(id)? {
        Some(e) if e.is_agents_own(actor) => Ok(e),
        _ => Err(missing(Entity::Evaluation)),
    }
}

/// The agent opened it: unread no more. Only the first opening counts.
pub fn mark_seen(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: u32,
    now: NaiveDateTime,
) -> Outcome<EvaluationDetail> {
    let e = own_evaluation(store, actor, id)?;
    if e.seen_at.is_none() {
        store.write(
            Some(actor.id),
            Change::EvaluationSeen {
                id,
                at: second(now),
            },
        )?;
    }
    evaluation(store, actor, id)
}

/// The agent confirms they have read the feedback; the first confirmation's time is kept.
pub fn acknowledge(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: u32,
    now: NaiveDateTime,
) -> Outcome<EvaluationDetail> {
    let e = own_evaluation(store, actor, id)?;
    if e.acknowledged_at.is_none() {
        store.write(
            Some(actor.id),
            Change::EvaluationAcknowledged {
                id,
                at: second(now),
            },
        )?;
    }
    evaluation(store, actor, id)
}

/// The newest dispute of each evaluation.
fn latest_disputes(disputes: Vec<Dispute>) -> BTreeMap<u32, Dispute> {
    let mut latest: BTreeMap<u32, Dispute> = BTreeMap::new();
    for d in disputes {
        if latest.get(&d.evaluation_id).is_none_or(|l| l.id < d.id) {
            latest.insert(d.evaluation_id, d);
        }
    }
    latest
}

/// The signed-in agent's evaluations, newest first.
pub fn feedback(store: &(impl Store + ?Sized), actor: &User) -> Outcome<Vec<FeedbackItem>> {
    require(actor, Capability::ReadOwnFeedback)?;
    let policy = store.dispute_policy()?;
    let disputes = latest_disputes(store.disputes(None, Some(actor.id))?);
    let mut names: BTreeMap<UserId, String> = BTreeMap::new();
    let mut items = Vec::new();
    for e in store.evaluations_of_agent(actor.id)? {
        let version = stored("pinned version", store.version(e.scorecard_version_id)?)?;
        let call = stored("evaluated call", store.call(e.call_id)?)?;
        if let std::collections::btree_map::Entry::Vacant(slot) = names.entry(e.reviewer_id) {
            slot.insert(display_name(store, e.reviewer_id)?);
        }
        items.push(FeedbackItem {
            id: e.id,
            call_id: e.call_id,
            call_started_at: call.started_at,
            call_queue: call.queue.clone(),
            customer_ref: call.customer_ref,
            scorecard_name: version.definition.name,
            reviewer: names[&e.reviewer_id].clone(),
            submitted_at: e.submitted_at,
            score: e.score,
            passed: e.passed,
            feedback: e.feedback,
            seen: e.seen_at.is_some(),
            acknowledged_at: e.acknowledged_at,
            dispute: disputes.get(&e.id).map(Dispute::status),
            dispute_until: policy.closes(e.submitted_at),
        });
    }
    items.sort_by(|a, b| b.submitted_at.cmp(&a.submitted_at).then(b.id.cmp(&a.id)));
    Ok(items)
}

/// An agent appeals their own evaluation, within the window and the limit, once.
pub fn raise_dispute(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: u32,
    request: DisputeRequest,
    now: NaiveDateTime,
) -> Outcome<EvaluationDetail> {
    let e = own_evaluation(store, actor, id)?;
    let policy = store.dispute_policy()?;
    if !review::dispute_open(false, policy.closes(e.submitted_at), now) {
        return Err(Refusal::DisputeWindowClosed {
            days: policy.window_days,
        }
        .into());
    }
    if let Some(earlier) = store.disputes(Some(id), None)?.first() {
        return Err(if earlier.ruling.is_none() {
            Refusal::DisputeAlreadyOpen
        } else {
            Refusal::DisputeAlreadyRuled
        }
        .into());
    }
    let since = policy.period_start(now);
    let recent = store
        .disputes(None, Some(actor.id))?
        .iter()
        .filter(|d| d.raised_at >= since)
        .count() as u32;
    if recent >= policy.limit {
        return Err(Refusal::DisputeLimitReached {
            limit: policy.limit,
            days: policy.period_days,
        }
        .into());
    }
    let version = stored("pinned version", store.version(e.scorecard_version_id)?)?;
    let problems = review::check_points(&version.definition, &e.answers, &request.points);
    if !problems.is_empty() {
        return Err(Refusal::InvalidInput(problems).into());
    }
    let points = request
        .points
        .into_iter()
        .map(|p| review::DisputePoint {
            comment: p.comment.trim().to_string(),
            ..p
        })
        .collect();
    let dispute = Dispute {
        id: 0,
        evaluation_id: id,
        agent_id: actor.id,
        reviewer_id: e.reviewer_id,
        raised_at: second(now),
        points,
        ruling: None,
    };
    store.write(Some(actor.id), Change::DisputeRaised(dispute))?;
    evaluation(store, actor, id)
}

/// A lead (not the reviewer who scored it) rules on each point; upheld points change the
/// answers and the engine rescores, keeping the earlier score in the history.
pub fn rule_dispute(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: DisputeId,
    request: RulingRequest,
    now: NaiveDateTime,
) -> Outcome<EvaluationDetail> {
    require(actor, Capability::ArbitrateDisputes)?;
    let dispute = store.dispute(id)?.ok_or(missing(Entity::Dispute))?;
    let e = stored(
        "disputed evaluation",
        store.evaluation(dispute.evaluation_id)?,
    )?;
    if !e.may_rule_on(actor) {
        return Err(Refusal::OwnReview.into());
    }
    if dispute.ruling.is_some() {
        return Err(Refusal::DisputeAlreadyRuled.into());
    }
    let version = stored("pinned version", store.version(e.scorecard_version_id)?)?;
    let answers = review::apply_ruling(
        &version.definition,
        &e.answers,
        &dispute.points,
        &request.points,
    )
    .map_err(Refusal::InvalidInput)?;
    let content = ReviewContent {
        answers,
        ..e.content()
    };
    let explanation = graded(&version, &content)?;
    let points: Vec<_> = request
        .points
        .into_iter()
        .map(|p| review::PointRuling {
            reason: p.reason.trim().to_string(),
            ..p
        })
        .collect();
    let reason = points
        .iter()
        .filter(|p| p.verdict != review::Verdict::Rejected)
        .map(|p| p.reason.as_str())
        .collect::<Vec<_>>()
        .join(" · ");
    store.write(
        Some(actor.id),
        Change::DisputeRuled {
            id,
            ruling: Ruling {
                arbiter_id: actor.id,
                ruled_at: second(now),
                points,
            },
        },
    )?;
    if content.answers != e.answers {
        let event = ScoreEvent {
            kind: ScoreEventKind::DisputeRuled,
            actor_id: actor.id,
            at: second(now),
            score: explanation.score,
            passed: explanation.passed,
            reason,
            answers: content.answers.clone(),
        };
        store.write(
            Some(actor.id),
            Change::EvaluationAmended {
                id: e.id,
                content,
                score: explanation.score,
                passed: explanation.passed,
                event,
            },
        )?;
    }
    evaluation(store, actor, e.id)
}

/// The leads' list: disputes in the chosen view (oldest open first, newest closed first), and
/// every reviewer's raised and upheld counts.
pub fn disputes(
    store: &(impl Store + ?Sized),
    actor: &User,
    view: DisputeView,
    reviewer: Option<UserId>,
    now: NaiveDateTime,
) -> Outcome<DisputeList> {
    require(actor, Capability::ArbitrateDisputes)?;
    let policy = store.dispute_policy()?;
    let mut names: BTreeMap<UserId, String> = BTreeMap::new();
    let mut counts: BTreeMap<UserId, (u32, u32)> = BTreeMap::new();
    let mut lines = Vec::new();
    for dispute in store.disputes(None, None)? {
        let e = stored(
            "disputed evaluation",
            store.evaluation(dispute.evaluation_id)?,
        )?;
        for person in [dispute.agent_id, dispute.reviewer_id] {
            if let std::collections::btree_map::Entry::Vacant(slot) = names.entry(person) {
                slot.insert(display_name(store, person)?);
            }
        }
        let status = dispute.status();
        let count = counts.entry(dispute.reviewer_id).or_default();
        count.0 += 1;
        count.1 += u32::from(status.upheld());
        let ruling_due = policy.ruling_due(dispute.raised_at);
        let overdue = status == DisputeStatus::Open && now > ruling_due;
        let shown = match view {
            DisputeView::Open => status == DisputeStatus::Open,
            DisputeView::Overdue => overdue,
            DisputeView::Closed => status != DisputeStatus::Open,
            DisputeView::All => true,
        };
        if shown && reviewer.is_none_or(|r| r == dispute.reviewer_id) {
            let (agent, reviewer) = (
                names[&dispute.agent_id].clone(),
                names[&dispute.reviewer_id].clone(),
            );
            lines.push(DisputeLine {
                status,
                agent,
                reviewer,
                call_id: e.call_id,
                score: e.score,
                ruling_due,
                overdue,
                dispute,
            });
        }
    }
    lines.sort_by(|a, b| {
        let open = |l: &DisputeLine| l.status != DisputeStatus::Open;
        open(a)
            .cmp(&open(b))
            .then(if open(a) {
                b.dispute.raised_at.cmp(&a.dispute.raised_at)
            } else {
                a.dispute.raised_at.cmp(&b.dispute.raised_at)
            })
            .then(a.dispute.id.cmp(&b.dispute.id))
    });
    let by_reviewer = counts
        .into_iter()
        .map(|(id, (raised, upheld))| ReviewerDisputes {
            reviewer_id: id,
            reviewer: names[&id].clone(),
            raised,
            upheld,
        })
        .collect();
    Ok(DisputeList {
        disputes: lines,
        by_reviewer,
        policy,
    })
}
