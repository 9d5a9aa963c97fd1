//! Evaluations: a reviewer's answers for one call against one pinned scorecard version.

use crate::access::{Capability, Role};
use crate::bounded::MAX_CRITERIA;
use crate::call::{Call, CallId};
use crate::people::{LocalizedText, User, UserId};
use crate::review::{Dispute, HistoryLine, Notes, ReviewContent, ScoreEvent, ScoreEventKind};
use crate::scorecard::{self, Answers, Explanation, ScoreError, ScorecardVersion};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub id: u32,
    pub call_id: CallId,
    /// The scorecard version row it was scored with; it renders and rescores with that one only.
    pub scorecard_version_id: u32,
    pub reviewer_id: UserId,
    pub agent_id: UserId,
    #[serde(with = "crate::time::iso")]
    pub submitted_at: NaiveDateTime,
    pub answers: Answers,
    /// As scored at submission, kept so lists need not rescore.
    pub score: f64,
    pub passed: bool,
    #[serde(default)]
    pub notes: Notes,
    /// The reviewer's words to the agent.
    #[serde(default)]
    pub feedback: String,
    /// When its agent first opened it.
    #[serde(with = "crate::time::maybe_iso", default)]
    pub seen_at: Option<NaiveDateTime>,
    #[serde(with = "crate::time::maybe_iso", default)]
    pub acknowledged_at: Option<NaiveDateTime>,
    /// The revision of the reviewer's draft it was submitted from (0: none), so that a repeat
    /// of the same submission is recognised.
    #[serde(default)]
    pub draft_revision: u32,
    /// When its review started (the first save of its draft): with `submitted_at`, the time
    /// the evaluation took. Unknown when it was submitted without a draft.
    #[serde(with = "crate::time::maybe_iso", default)]
    pub started_at: Option<NaiveDateTime>,
}

impl Evaluation {
    /// The first line of its score history, which every store writes with it.
    pub fn submission_event(&self) -> ScoreEvent {
        ScoreEvent {
            kind: ScoreEventKind::Submitted,
            actor_id: self.reviewer_id,
            at: self.submitted_at,
            score: self.score,
            passed: self.passed,
            reason: String::new(),
            answers: self.answers.clone(),
        }
    }

    pub fn content(&self) -> ReviewContent {
        ReviewContent {
            answers: self.answers.clone(),
            notes: self.notes.clone(),
            feedback: self.feedback.clone(),
        }
    }

    /// Its agent, reading their own feedback (and the only one who may dispute it).
    pub fn is_agents_own(&self, user: &User) -> bool {
        self.agent_id == user.id && user.role.can(Capability::ReadOwnFeedback)
    }

    /// A lead or admin who did not score it: whoever else rules on its disputes.
    pub fn may_rule_on(&self, user: &User) -> bool {
        user.role.can(Capability::ArbitrateDisputes) && user.id != self.reviewer_id
    }

    /// Reviewers, leads and admins read any evaluation; an agent reads only their own.
    pub fn readable_by(&self, user: &User) -> bool {
        user.role.can(Capability::ReviewCalls)
            || user.role == Role::Agent && self.agent_id == user.id
    }
}

/// One line of a call's evaluation history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationSummary {
    pub id: u32,
    #[serde(default)]
    pub scorecard_id: u32,
    /// Submitted by whoever asked: a reviewer scores a call once per scorecard, so "Score this
    /// call" on that card opens this one instead.
    #[serde(default)]
    pub mine: bool,
    pub scorecard_name: LocalizedText,
    pub version: u32,
    pub reviewer: String,
    #[serde(with = "crate::time::iso")]
    pub submitted_at: NaiveDateTime,
    pub score: f64,
    pub passed: bool,
}

/// Everything the evaluation page needs, readable by an agent who cannot list people or calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationDetail {
    pub evaluation: Evaluation,
    pub version: ScorecardVersion,
    pub call: Call,
    pub agent: String,
    pub reviewer: String,
    /// Oldest first: the submission, then every change.
    #[serde(default)]
    pub history: Vec<HistoryLine>,
    /// Newest first.
    #[serde(default)]
    pub disputes: Vec<Dispute>,
    /// The last instant its agent may dispute it.
    #[serde(with = "crate::time::iso")]
    pub dispute_until: NaiveDateTime,
}

/// A reviewer's submission: the server fills in who, when and the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationSubmission {
    pub call_id: CallId,
    pub scorecard_version_id: u32,
    #[serde(deserialize_with = "crate::bounded::map::<_, _, _, MAX_CRITERIA>")]
    pub answers: Answers,
    #[serde(
        default,
        deserialize_with = "crate::bounded::map::<_, _, _, MAX_CRITERIA>"
    )]
    pub notes: Notes,
    #[serde(default)]
    pub feedback: String,
    /// The revision of the draft this submits (0: none). Sent again after a lost answer, the
    /// same submission answers with the evaluation it already made.
    #[serde(default)]
    pub draft_revision: u32,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SubmissionError {
    #[error("Only published scorecard versions can be used to score calls.")]
    DraftVersion,
    #[error("Every criterion needs an answer (or N/A where allowed) before submitting; missing: {}", .0.join(", "))]
    Incomplete(Vec<String>),
    #[error("These answers name no criterion of this scorecard version: {}", .0.join(", "))]
    UnknownCriteria(Vec<String>),
    #[error(transparent)]
    Answer(#[from] ScoreError),
}

/// Scores a submission against its version, refusing drafts and unanswered criteria.
pub fn grade(
    version: &ScorecardVersion,
    answers: &Answers,
) -> Result<Explanation, SubmissionError> {
    if !version.published {
        return Err(SubmissionError::DraftVersion);
    }
    let criteria: Vec<&str> = version
        .definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| c.key.as_str())
        .collect();
    let unknown: Vec<String> = answers
        .keys()
        .filter(|k| !criteria.contains(&k.as_str()))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(SubmissionError::UnknownCriteria(unknown));
    }
    let explanation = scorecard::score(&version.definition, answers)?;
    if !explanation.complete {
        let missing = version
            .definition
            .sections
            .iter()
            .flat_map(|s| &s.criteria)
            .filter(|c| !answers.contains_key(&c.key))
            .map(|c| c.key.clone())
            .collect();
        return Err(SubmissionError::Incomplete(missing));
    }
    Ok(explanation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorecard::{
        Answer, AnswerType, Criterion, ScorecardDefinition, ScorecardSection, SectionKind,
    };

    fn version(published: bool) -> ScorecardVersion {
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
        let definition = ScorecardDefinition {
            name: text("Card"),
            pass_mark: 50.0,
            sections: vec![ScorecardSection {
                key: "s".into(),
                title: text("S"),
                weight: 1.0,
                kind: SectionKind::Standard,
                criteria: vec![yes_no("a"), yes_no("b")],
            }],
        };
        ScorecardVersion {
            id: 7,
            scorecard_id: 1,
            version: 1,
            published,
            definition,
        }
    }

    #[test]
    fn only_complete_answers_to_a_published_version_are_graded() {
        let mut answers: Answers = [("a".to_string(), Answer::Yes)].into();
        assert_eq!(
            grade(&version(false), &answers),
            Err(SubmissionError::DraftVersion)
        );
        assert_eq!(
            grade(&version(true), &answers),
            Err(SubmissionError::Incomplete(vec!["b".into()]))
        );
        answers.insert("b".into(), Answer::No);
        // One of two equal criteria: 50 %, exactly the pass mark, so it passes.
        let e = grade(&version(true), &answers).unwrap();
        assert_eq!((e.score, e.passed), (50.0, true));
        answers.insert("z".into(), Answer::Yes);
        assert_eq!(
            grade(&version(true), &answers),
            Err(SubmissionError::UnknownCriteria(vec!["z".into()]))
        );
        answers.remove("z");
        answers.insert("b".into(), Answer::Scale(3));
        assert!(matches!(
            grade(&version(true), &answers),
            Err(SubmissionError::Answer(_))
        ));
    }
}
