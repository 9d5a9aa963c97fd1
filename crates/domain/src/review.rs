//! Reviewing a call and what follows a review: drafts that are never lost, the score history of
//! an evaluation, and disputes (an agent's appeal and a lead's ruling).
//!
//! Drafts carry a revision: a save names the revision it started from and is refused when the
//! stored draft has moved on, so two tabs (or a tab and a reconnecting offline copy) can never
//! overwrite each other silently.

use crate::bounded::MAX_CRITERIA;
use crate::call::CallId;
use crate::call_query::{Problem, QueryError};
use crate::coded;
use crate::people::{LocalizedText, UserId};
use crate::scorecard::{Answer, Answers, ScorecardDefinition};
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub type DisputeId = u32;

pub const MAX_COMMENT: usize = 2_000;
pub const MAX_FEEDBACK: usize = 5_000;
pub const MAX_EVIDENCE: usize = 20;
/// A dispute's points: one per criterion and one for the whole evaluation.
pub const MAX_POINTS: usize = MAX_CRITERIA + 1;
pub const MAX_REASON: usize = 2_000;

/// A reviewer's note on one criterion: why, and where in the recording.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionNote {
    #[serde(default)]
    pub comment: String,
    /// Playback positions in milliseconds, ascending.
    #[serde(
        default,
        deserialize_with = "crate::bounded::vec::<_, _, MAX_EVIDENCE>"
    )]
    pub evidence: Vec<u32>,
}

impl CriterionNote {
    pub fn is_empty(&self) -> bool {
        self.comment.trim().is_empty() && self.evidence.is_empty()
    }
}

pub type Notes = BTreeMap<String, CriterionNote>;

/// What a reviewer writes: answers, notes per criterion and feedback for the agent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewContent {
    #[serde(
        default,
        deserialize_with = "crate::bounded::map::<_, _, _, MAX_CRITERIA>"
    )]
    pub answers: Answers,
    #[serde(
        default,
        deserialize_with = "crate::bounded::map::<_, _, _, MAX_CRITERIA>"
    )]
    pub notes: Notes,
    #[serde(default)]
    pub feedback: String,
}

/// Work in progress: one per reviewer and call, pinned to the version it is scored with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewDraft {
    pub call_id: CallId,
    pub reviewer_id: UserId,
    pub scorecard_version_id: u32,
    pub content: ReviewContent,
    /// 1 for the first save, one more for each save after.
    pub revision: u32,
    #[serde(with = "crate::time::iso")]
    pub saved_at: NaiveDateTime,
    /// When its first revision was saved: when the review started.
    #[serde(with = "crate::time::maybe_iso", default)]
    pub started_at: Option<NaiveDateTime>,
    /// The calibration session this draft scores the call for; none for a QA review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration_id: Option<crate::calibration::CalibrationId>,
}

/// `PUT /api/drafts/{call}`: the content and the revision the editor started from (0 when it
/// started from nothing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftWrite {
    pub scorecard_version_id: u32,
    pub content: ReviewContent,
    pub base_revision: u32,
}

/// Cleans a review's notes and finds what is wrong with it, by field. Empty notes are dropped
/// and evidence is sorted, so equal reviews are stored alike.
pub fn check_content(
    definition: &ScorecardDefinition,
    duration_s: u32,
    content: &mut ReviewContent,
) -> Vec<QueryError> {
    let mut problems = Vec::new();
    let keys: Vec<&str> = definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| c.key.as_str())
        .collect();
    content.notes.retain(|_, n| !n.is_empty());
    for (key, note) in content.notes.iter_mut() {
        if !keys.contains(&key.as_str()) {
            problems.push(QueryError::new(
                format!("notes.{key}"),
                "",
                Problem::NotOneOf {
                    allowed: keys.iter().map(|k| k.to_string()).collect(),
                },
            ));
            continue;
        }
        if note.comment.chars().count() > MAX_COMMENT {
            problems.push(QueryError::new(
                format!("notes.{key}.comment"),
                "",
                Problem::Length {
                    min: 0,
                    max: MAX_COMMENT as u32,
                },
            ));
        }
        if note.evidence.len() > MAX_EVIDENCE {
            problems.push(QueryError::new(
                format!("notes.{key}.evidence"),
                note.evidence.len().to_string(),
                Problem::OutOfRange {
                    min: 0,
                    max: MAX_EVIDENCE as u32,
                },
            ));
        }
        if let Some(&late) = note
            .evidence
            .iter()
            .find(|&&ms| ms > duration_s.saturating_mul(1000))
        {
            problems.push(QueryError::new(
                format!("notes.{key}.evidence"),
                late.to_string(),
                Problem::OutOfRange {
                    min: 0,
                    max: duration_s.saturating_mul(1000),
                },
            ));
        }
        note.evidence.sort_unstable();
        note.evidence.dedup();
    }
    if content.feedback.chars().count() > MAX_FEEDBACK {
        problems.push(QueryError::new(
            "feedback",
            "",
            Problem::Length {
                min: 0,
                max: MAX_FEEDBACK as u32,
            },
        ));
    }
    problems
}

/// A reason someone must give (for changing a submitted score, for a ruling): trimmed, required.
pub fn reason_problem(field: &str, reason: &str) -> Option<QueryError> {
    let length = crate::people::shown_length(reason);
    (!(1..=MAX_REASON).contains(&length)).then(|| {
        QueryError::new(
            field,
            "",
            if length == 0 {
                Problem::Required
            } else {
                Problem::Length {
                    min: 1,
                    max: MAX_REASON as u32,
                }
            },
        )
    })
}

// ---- Score history ----

coded!(
    pub enum ScoreEventKind {
        Submitted => "submitted",
        /// A lead or admin changed the answers after submission.
        Amended => "amended",
        /// A dispute's ruling changed the answers.
        DisputeRuled => "dispute_ruled",
    }
);

/// One step of an evaluation's score: who, when, why, and the answers it left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreEvent {
    pub kind: ScoreEventKind,
    pub actor_id: UserId,
    #[serde(with = "crate::time::iso")]
    pub at: NaiveDateTime,
    pub score: f64,
    pub passed: bool,
    #[serde(default)]
    pub reason: String,
    pub answers: Answers,
}

/// `PUT /api/evaluations/{id}`: a lead's or admin's change to a submitted evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amendment {
    pub content: ReviewContent,
    pub reason: String,
}

// ---- Disputes ----

/// How disputes are allowed: the server's configuration, the static demo's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputePolicy {
    /// Days after submission an agent may dispute.
    pub window_days: u32,
    /// Disputes an agent may raise per period.
    pub limit: u32,
    pub period_days: u32,
    /// Days a lead has to rule before the dispute is overdue.
    pub ruling_days: u32,
}

impl Default for DisputePolicy {
    fn default() -> Self {
        DisputePolicy {
            window_days: 7,
            limit: 3,
            period_days: 30,
            ruling_days: 3,
        }
    }
}

/// An evaluation may be disputed once, until the window closes (the instant itself included).
pub fn dispute_open(disputed: bool, until: NaiveDateTime, now: NaiveDateTime) -> bool {
    !disputed && now <= until
}

impl DisputePolicy {
    pub fn closes(&self, submitted_at: NaiveDateTime) -> NaiveDateTime {
        submitted_at + Duration::days(i64::from(self.window_days))
    }

    pub fn ruling_due(&self, raised_at: NaiveDateTime) -> NaiveDateTime {
        raised_at + Duration::days(i64::from(self.ruling_days))
    }

    /// Disputes raised at or after this instant count against the limit.
    pub fn period_start(&self, now: NaiveDateTime) -> NaiveDateTime {
        now - Duration::days(i64::from(self.period_days))
    }
}

/// One disputed point: a criterion (with the answer the agent proposes) or, without one, the
/// evaluation as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputePoint {
    #[serde(default)]
    pub criterion: Option<String>,
    pub comment: String,
    #[serde(default)]
    pub proposed: Option<Answer>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accepted,
    /// Upheld in part: the arbiter sets an answer of their own.
    PartlyAccepted,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointRuling {
    pub verdict: Verdict,
    pub reason: String,
    /// The arbiter's answer, for a criterion partly accepted.
    #[serde(default)]
    pub answer: Option<Answer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ruling {
    pub arbiter_id: UserId,
    #[serde(with = "crate::time::iso")]
    pub ruled_at: NaiveDateTime,
    /// One per disputed point, in the same order.
    pub points: Vec<PointRuling>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    Open,
    Accepted,
    PartlyAccepted,
    Rejected,
}

impl DisputeStatus {
    pub const ALL: [DisputeStatus; 4] = [
        DisputeStatus::Open,
        DisputeStatus::Accepted,
        DisputeStatus::PartlyAccepted,
        DisputeStatus::Rejected,
    ];

    /// The reviewer's score was changed by it, wholly or in part.
    pub fn upheld(self) -> bool {
        matches!(
            self,
            DisputeStatus::Accepted | DisputeStatus::PartlyAccepted
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dispute {
    pub id: DisputeId,
    pub evaluation_id: u32,
    pub agent_id: UserId,
    /// The reviewer whose score is disputed (who may not arbitrate it).
    pub reviewer_id: UserId,
    #[serde(with = "crate::time::iso")]
    pub raised_at: NaiveDateTime,
    pub points: Vec<DisputePoint>,
    #[serde(default)]
    pub ruling: Option<Ruling>,
}

impl Dispute {
    pub fn status(&self) -> DisputeStatus {
        let Some(ruling) = &self.ruling else {
            return DisputeStatus::Open;
        };
        let verdicts: Vec<Verdict> = ruling.points.iter().map(|p| p.verdict).collect();
        if verdicts.iter().all(|v| *v == Verdict::Accepted) {
            DisputeStatus::Accepted
        } else if verdicts.iter().all(|v| *v == Verdict::Rejected) {
            DisputeStatus::Rejected
        } else {
            DisputeStatus::PartlyAccepted
        }
    }
}

/// `POST /api/evaluations/{id}/disputes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputeRequest {
    /// One point per criterion and one for the whole evaluation, at most.
    #[serde(deserialize_with = "crate::bounded::vec::<_, _, MAX_POINTS>")]
    pub points: Vec<DisputePoint>,
}

/// `POST /api/disputes/{id}/ruling`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulingRequest {
    #[serde(deserialize_with = "crate::bounded::vec::<_, _, MAX_POINTS>")]
    pub points: Vec<PointRuling>,
}

/// Finds what is wrong with a dispute's points, by field. `current` are the evaluation's answers.
pub fn check_points(
    definition: &ScorecardDefinition,
    current: &Answers,
    points: &[DisputePoint],
) -> Vec<QueryError> {
    let mut problems = Vec::new();
    if points.is_empty() {
        problems.push(QueryError::new("points", "", Problem::Required));
    }
    let keys: Vec<String> = definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| c.key.clone())
        .collect();
    let mut seen: std::collections::HashSet<Option<&str>> = std::collections::HashSet::new();
    for (i, point) in points.iter().enumerate() {
        let field = |name: &str| format!("points[{i}].{name}");
        let length = crate::people::shown_length(&point.comment);
        if !(1..=MAX_COMMENT).contains(&length) {
            problems.push(QueryError::new(
                field("comment"),
                "",
                if length == 0 {
                    Problem::Required
                } else {
                    Problem::Length {
                        min: 1,
                        max: MAX_COMMENT as u32,
                    }
                },
            ));
        }
        let target = point.criterion.as_deref();
        if !seen.insert(target) {
            problems.push(QueryError::new(
                field("criterion"),
                target.unwrap_or(""),
                Problem::Contradicts {
                    other: "an earlier point".into(),
                },
            ));
        }
        match target {
            None if point.proposed.is_some() => problems.push(QueryError::new(
                field("proposed"),
                "",
                Problem::NotOneOf {
                    allowed: Vec::new(),
                },
            )),
            None => {}
            Some(key) if !keys.iter().any(|k| k == key) => problems.push(QueryError::new(
                field("criterion"),
                key,
                Problem::NotOneOf {
                    allowed: keys.clone(),
                },
            )),
            Some(key) => match &point.proposed {
                None => problems.push(QueryError::new(field("proposed"), "", Problem::Required)),
                Some(answer) => {
                    let mut trial = current.clone();
                    trial.insert(key.to_string(), answer.clone());
                    if crate::scorecard::score(definition, &trial).is_err() {
                        problems.push(QueryError::new(
                            field("proposed"),
                            serde_json::to_string(answer).unwrap_or_default(),
                            Problem::NotOneOf {
                                allowed: Vec::new(),
                            },
                        ));
                    }
                }
            },
        }
    }
    problems
}

/// The answers a ruling leaves, or what is wrong with it by field.
pub fn apply_ruling(
    definition: &ScorecardDefinition,
    current: &Answers,
    points: &[DisputePoint],
    ruling: &[PointRuling],
) -> Result<Answers, Vec<QueryError>> {
    let mut problems = Vec::new();
    if ruling.len() != points.len() {
        problems.push(QueryError::new(
            "points",
            ruling.len().to_string(),
            Problem::OutOfRange {
                min: points.len() as u32,
                max: points.len() as u32,
            },
        ));
        return Err(problems);
    }
    let mut answers = current.clone();
    for (i, (point, rule)) in points.iter().zip(ruling).enumerate() {
        problems.extend(reason_problem(&format!("points[{i}].reason"), &rule.reason));
        let Some(key) = &point.criterion else {
            continue;
        };
        match (rule.verdict, &rule.answer) {
            (Verdict::Accepted, _) => {
                if let Some(proposed) = &point.proposed {
                    answers.insert(key.clone(), proposed.clone());
                }
            }
            (Verdict::PartlyAccepted, Some(answer)) => {
                answers.insert(key.clone(), answer.clone());
            }
            (Verdict::PartlyAccepted, None) => problems.push(QueryError::new(
                format!("points[{i}].answer"),
                "",
                Problem::Required,
            )),
            (Verdict::Rejected, _) => {}
        }
    }
    if problems.is_empty() && crate::scorecard::score(definition, &answers).is_err() {
        problems.push(QueryError::new(
            "points",
            "",
            Problem::NotOneOf {
                allowed: Vec::new(),
            },
        ));
    }
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(problems)
    }
}

// ---- What the pages read ----

/// Everything the review workspace opens with (the call itself comes from the call page's read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewStart {
    pub version: crate::scorecard::ScorecardVersion,
    /// The reviewer's own draft of this call, if they saved one.
    #[serde(default)]
    pub draft: Option<ReviewDraft>,
    /// The reviewer's open assignment of this call, if any: its due date.
    #[serde(with = "crate::time::maybe_day", default)]
    pub due: Option<chrono::NaiveDate>,
}

/// One of an agent's evaluations on their feedback page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackItem {
    pub id: u32,
    pub call_id: CallId,
    #[serde(with = "crate::time::iso")]
    pub call_started_at: NaiveDateTime,
    /// What names the call to its agent: when, which queue, which customer.
    pub call_queue: String,
    pub customer_ref: String,
    pub scorecard_name: LocalizedText,
    pub reviewer: String,
    #[serde(with = "crate::time::iso")]
    pub submitted_at: NaiveDateTime,
    pub score: f64,
    pub passed: bool,
    pub feedback: String,
    pub seen: bool,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub acknowledged_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub dispute: Option<DisputeStatus>,
    /// The last instant a dispute may be raised.
    #[serde(with = "crate::time::iso")]
    pub dispute_until: NaiveDateTime,
}

impl FeedbackItem {
    /// Whether its agent may still dispute it at `now`.
    pub fn may_dispute(&self, now: NaiveDateTime) -> bool {
        dispute_open(self.dispute.is_some(), self.dispute_until, now)
    }

    /// Whether it is among the ones `filter` keeps at `now`.
    pub fn shown_by(&self, filter: FeedbackFilter, now: NaiveDateTime) -> bool {
        match filter {
            FeedbackFilter::All => true,
            FeedbackFilter::Unread => !self.seen,
            FeedbackFilter::ToAcknowledge => self.acknowledged_at.is_none(),
            FeedbackFilter::Failed => !self.passed,
            FeedbackFilter::OpenToDispute => self.may_dispute(now),
        }
    }
}

coded!(
    /// The agent's views of their feedback.
    #[derive(Default)]
    pub enum FeedbackFilter {
        #[default]
        All => "all",
        Unread => "unread",
        ToAcknowledge => "to_acknowledge",
        Failed => "failed",
        OpenToDispute => "open_to_dispute",
    }
);

/// An evaluation's history with names, for its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub event: ScoreEvent,
    pub actor: String,
}

/// A dispute on the leads' list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputeLine {
    pub dispute: Dispute,
    pub status: DisputeStatus,
    pub agent: String,
    pub reviewer: String,
    pub call_id: CallId,
    pub score: f64,
    #[serde(with = "crate::time::iso")]
    pub ruling_due: NaiveDateTime,
    pub overdue: bool,
}

/// Raised and upheld disputes of one reviewer's evaluations (kept for the reviewer report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerDisputes {
    pub reviewer_id: UserId,
    pub reviewer: String,
    pub raised: u32,
    pub upheld: u32,
}

coded!(
    #[derive(Default)]
    pub enum DisputeView {
        #[default]
        Open => "open",
        Overdue => "overdue",
        Closed => "closed",
        All => "all",
    }
);

/// `GET /api/disputes?view=…&reviewer=…`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeQuery {
    #[serde(default)]
    pub view: DisputeView,
    #[serde(default)]
    pub reviewer: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputeList {
    pub disputes: Vec<DisputeLine>,
    pub by_reviewer: Vec<ReviewerDisputes>,
    pub policy: DisputePolicy,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorecard::{AnswerType, Criterion, ScorecardSection, SectionKind};

    #[test]
    fn feedback_filters_keep_what_their_names_say() {
        let at = |d: &str| NaiveDateTime::parse_from_str(d, "%Y-%m-%d %H:%M").unwrap();
        let now = at("2026-12-02 12:00");
        let item = |seen: bool, acknowledged: bool, passed: bool, until: &str| FeedbackItem {
            id: 1,
            call_id: 1,
            call_started_at: at("2026-11-30 09:00"),
            call_queue: "bookings".into(),
            customer_ref: "C-1".into(),
            scorecard_name: LocalizedText::default(),
            reviewer: "R".into(),
            submitted_at: at("2026-11-30 10:00"),
            score: 80.0,
            passed,
            feedback: String::new(),
            seen,
            acknowledged_at: acknowledged.then(|| at("2026-12-01 08:00")),
            dispute: None,
            dispute_until: at(until),
        };
        let fresh = item(false, false, false, "2026-12-07 10:00");
        let settled = item(true, true, true, "2026-12-01 10:00");
        for f in FeedbackFilter::ALL {
            let expected = match f {
                FeedbackFilter::All => (true, true),
                FeedbackFilter::Unread
                | FeedbackFilter::ToAcknowledge
                | FeedbackFilter::Failed
                | FeedbackFilter::OpenToDispute => (true, false),
            };
            assert_eq!(
                (fresh.shown_by(f, now), settled.shown_by(f, now)),
                expected,
                "{f:?}"
            );
        }
        // A dispute already raised closes the window, whatever the date.
        let disputed = FeedbackItem {
            dispute: Some(DisputeStatus::Open),
            ..fresh.clone()
        };
        assert!(!disputed.shown_by(FeedbackFilter::OpenToDispute, now));
    }

    fn card() -> ScorecardDefinition {
        let text = |s: &str| LocalizedText {
            en: s.into(),
            zh: String::new(),
        };
        let yes_no = |key: &str| Criterion {
            key: key.into(),
            title: text(key),
            guideline: LocalizedText::default(),
            answer_type: AnswerType::YesNo { points: 1 },
            allow_na: false,
            critical: None,
        };
        let points = Criterion {
            key: "p".into(),
            title: text("p"),
            guideline: LocalizedText::default(),
            answer_type: AnswerType::Points { max: 4 },
            allow_na: false,
            critical: None,
        };
        ScorecardDefinition {
            name: text("Card"),
            pass_mark: 50.0,
            sections: vec![ScorecardSection {
                key: "s".into(),
                title: text("S"),
                weight: 1.0,
                kind: SectionKind::Standard,
                criteria: vec![yes_no("a"), yes_no("b"), points],
            }],
        }
    }

    fn point(criterion: Option<&str>, proposed: Option<Answer>) -> DisputePoint {
        DisputePoint {
            criterion: criterion.map(str::to_string),
            comment: "I did verify the caller".into(),
            proposed,
        }
    }

    #[test]
    fn notes_are_cleaned_and_bounded_by_the_call() {
        let mut content = ReviewContent::default();
        content.notes.insert(
            "a".into(),
            CriterionNote {
                comment: "ok".into(),
                evidence: vec![9_000, 1_000, 9_000],
            },
        );
        content.notes.insert("b".into(), CriterionNote::default());
        assert!(check_content(&card(), 60, &mut content).is_empty());
        assert_eq!(content.notes.len(), 1, "an empty note is dropped");
        assert_eq!(content.notes["a"].evidence, vec![1_000, 9_000]);
        content.notes.insert(
            "zz".into(),
            CriterionNote {
                comment: "x".into(),
                evidence: vec![61_000],
            },
        );
        content.notes.get_mut("a").unwrap().evidence.push(61_000);
        let fields: Vec<String> = check_content(&card(), 60, &mut content)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, vec!["notes.a.evidence", "notes.zz"]);
    }

    #[test]
    fn dispute_points_need_a_comment_a_criterion_of_the_card_and_a_fitting_answer() {
        let current: Answers = [
            ("a".to_string(), Answer::No),
            ("b".to_string(), Answer::Yes),
            ("p".to_string(), Answer::Points(1)),
        ]
        .into();
        assert!(check_points(
            &card(),
            &current,
            &[point(Some("a"), Some(Answer::Yes)), point(None, None)]
        )
        .is_empty());
        let fields = |points: &[DisputePoint]| {
            check_points(&card(), &current, points)
                .into_iter()
                .map(|p| p.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields(&[]), vec!["points"]);
        assert_eq!(
            fields(&[point(Some("zz"), Some(Answer::Yes))]),
            vec!["points[0].criterion"]
        );
        assert_eq!(
            fields(&[point(Some("a"), None)]),
            vec!["points[0].proposed"]
        );
        assert_eq!(
            fields(&[point(Some("p"), Some(Answer::Points(9)))]),
            vec!["points[0].proposed"]
        );
        assert_eq!(
            fields(&[
                point(Some("a"), Some(Answer::Yes)),
                point(Some("a"), Some(Answer::Yes))
            ]),
            vec!["points[1].criterion"]
        );
        let mut silent = point(None, None);
        silent.comment = "  ".into();
        assert_eq!(fields(&[silent]), vec!["points[0].comment"]);
    }

    #[test]
    fn a_ruling_applies_accepted_and_partly_accepted_answers_only() {
        let current: Answers = [
            ("a".to_string(), Answer::No),
            ("b".to_string(), Answer::No),
            ("p".to_string(), Answer::Points(0)),
        ]
        .into();
        let points = vec![
            point(Some("a"), Some(Answer::Yes)),
            point(Some("b"), Some(Answer::Yes)),
            point(Some("p"), Some(Answer::Points(4))),
        ];
        let rule = |verdict, answer| PointRuling {
            verdict,
            reason: "Heard at 0:42".into(),
            answer,
        };
        let ruled = apply_ruling(
            &card(),
            &current,
            &points,
            &[
                rule(Verdict::Accepted, None),
                rule(Verdict::Rejected, None),
                rule(Verdict::PartlyAccepted, Some(Answer::Points(2))),
            ],
        )
        .unwrap();
        assert_eq!(
            (&ruled["a"], &ruled["b"], &ruled["p"]),
            (&Answer::Yes, &Answer::No, &Answer::Points(2))
        );
        let missing = apply_ruling(
            &card(),
            &current,
            &points,
            &[
                rule(Verdict::Accepted, None),
                rule(Verdict::Rejected, None),
                rule(Verdict::PartlyAccepted, None),
            ],
        )
        .unwrap_err();
        assert_eq!(missing[0].field, "points[2].answer");
        let short =
            apply_ruling(&card(), &current, &points, &[rule(Verdict::Accepted, None)]).unwrap_err();
        assert_eq!(short[0].field, "points");
        let unexplained = apply_ruling(
            &card(),
            &current,
            &points[..1],
            &[PointRuling {
                verdict: Verdict::Rejected,
                reason: " ".into(),
                answer: None,
            }],
        )
        .unwrap_err();
        assert_eq!(
            (unexplained[0].field.as_str(), &unexplained[0].problem),
            ("points[0].reason", &Problem::Required)
        );
    }

    #[test]
    fn a_dispute_is_accepted_partly_accepted_or_rejected_by_its_points() {
        let ruled = |verdicts: &[Verdict]| {
            Dispute {
                id: 1,
                evaluation_id: 1,
                agent_id: 1,
                reviewer_id: 2,
                raised_at: NaiveDateTime::default(),
                points: Vec::new(),
                ruling: Some(Ruling {
                    arbiter_id: 3,
                    ruled_at: NaiveDateTime::default(),
                    points: verdicts
                        .iter()
                        .map(|&verdict| PointRuling {
                            verdict,
                            reason: "r".into(),
                            answer: None,
                        })
                        .collect(),
                }),
            }
            .status()
        };
        assert_eq!(
            ruled(&[Verdict::Accepted, Verdict::Accepted]),
            DisputeStatus::Accepted
        );
        assert_eq!(
            ruled(&[Verdict::Accepted, Verdict::Rejected]),
            DisputeStatus::PartlyAccepted
        );
        assert_eq!(
            ruled(&[Verdict::PartlyAccepted]),
            DisputeStatus::PartlyAccepted
        );
        assert_eq!(ruled(&[Verdict::Rejected]), DisputeStatus::Rejected);
        assert!(DisputeStatus::PartlyAccepted.upheld() && !DisputeStatus::Rejected.upheld());
    }
}
