//! Calibration: several reviewers score the same calls with the same pinned scorecard version,
//! and the reveal shows how alike they scored: each answer against the reference (the
//! calibrator's, else the recorded consensus, else the majority), each call's score spread, each
//! participant's alignment and deviation, and the agreement statistics of `agreement`, per
//! criterion at the criterion's own level and overall.

use crate::agreement::{self, Agreement, Level, Ratings};
use crate::bounded::MAX_CRITERIA;
use crate::coded;
use crate::scorecard::{score, Answer, AnswerType, Answers, Criterion, ScorecardDefinition};
use crate::{CallId, UserId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A participant whose score is further than this from the reference's, in percentage points,
/// is flagged.
pub const DEFAULT_THRESHOLD: f64 = 5.0;

/// A criterion's level of measurement: yes/no and choices are categories, a 1–5 scale is
/// ranks, points are numbers.
pub fn level(criterion: &Criterion) -> Level {
    match criterion.answer_type {
        AnswerType::YesNo { .. } | AnswerType::Choice { .. } => Level::Nominal,
        AnswerType::Scale { .. } => Level::Ordinal,
        AnswerType::Points { .. } => Level::Interval,
    }
}

/// An answer as a number for the statistics. For categories N/A is a category of its own (a
/// reviewer who says N/A where another says "no" disagrees); on a scale or in points it has no
/// place, so it counts as a missing rating.
pub fn value(criterion: &Criterion, answer: &Answer) -> Option<f64> {
    match (&criterion.answer_type, answer) {
        (AnswerType::YesNo { .. }, Answer::Yes) => Some(1.0),
        (AnswerType::YesNo { .. }, Answer::No) => Some(0.0),
        (AnswerType::YesNo { .. }, Answer::NotApplicable) => Some(2.0),
        (AnswerType::Choice { options }, Answer::Choice(key)) => {
            options.iter().position(|o| &o.key == key).map(|i| i as f64)
        }
        (AnswerType::Choice { options }, Answer::NotApplicable) => Some(options.len() as f64),
        (AnswerType::Scale { .. }, Answer::Scale(level)) => Some(f64::from(*level)),
        (AnswerType::Points { .. }, Answer::Points(p)) => Some(f64::from(*p)),
        _ => None,
    }
}

/// How close an answer is to the reference, from 0 to 1: one minus the difference in points
/// earned over the criterion's maximum. N/A against an answer is as far apart as can be.
pub fn closeness(
    criterion: &Criterion,
    answer: Option<&Answer>,
    reference: Option<&Answer>,
) -> Option<f64> {
    let (answer, reference) = (answer?, reference?);
    if answer == reference {
        return Some(1.0);
    }
    let possible = criterion.answer_type.possible();
    match (
        criterion.answer_type.earned(answer),
        criterion.answer_type.earned(reference),
    ) {
        (Some(a), Some(r)) if possible > 0.0 => Some(1.0 - (a - r).abs() / possible),
        (Some(_), Some(_)) => Some(1.0),
        _ => Some(0.0),
    }
}

/// One scorer's answers to one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scoring {
    pub call_id: CallId,
    pub user_id: UserId,
    pub answers: Answers,
}

/// Where the answers deviations are measured against come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    Calibrator,
    Consensus,
    /// The most common answer; a tie has no reference.
    Majority,
}

/// One criterion of one call: each scorer's answer (in the order of `SessionReport::scorers`),
/// the reference answer and which answers deviate from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionRow {
    pub key: String,
    pub answers: Vec<Option<Answer>>,
    pub reference: Option<Answer>,
    pub deviates: Vec<bool>,
}

/// The spread of the scorers' total scores for a call.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub min: f64,
    pub max: f64,
    /// The sample standard deviation; `None` with a single score.
    pub sd: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallReport {
    pub call_id: CallId,
    pub rows: Vec<CriterionRow>,
    /// Each scorer's total score, `None` where they did not score this call.
    pub scores: Vec<Option<f64>>,
    pub reference_score: Option<f64>,
    pub spread: Option<Spread>,
}

/// A scorer over the whole session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorerSummary {
    pub user_id: UserId,
    /// Σ over criteria of (1 − |difference| / the criterion's maximum), weighted by the
    /// criterion's share of the points, averaged over the calls scored; 0–1.
    pub alignment: Option<f64>,
    /// Mean of (total score − the reference's), in percentage points.
    pub deviation: Option<f64>,
    /// The deviation is beyond the session's threshold.
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionAgreement {
    pub key: String,
    pub agreement: Agreement,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionReport {
    /// Participants in order, then the calibrator (when there is one).
    pub scorers: Vec<UserId>,
    pub reference: ReferenceKind,
    pub calls: Vec<CallReport>,
    pub summaries: Vec<ScorerSummary>,
    /// Per criterion, units are the calls and raters the scorers.
    pub criteria: Vec<CriterionAgreement>,
    /// Every criterion of every call as a unit, valued as the share of its points earned
    /// (interval), so criteria of different kinds are read together.
    pub overall: Agreement,
    /// Units are the calls, values the total scores: where the ICCs are read.
    pub totals: Agreement,
    /// Criteria with the least agreement, least first: candidates for clearer guidelines.
    pub least_agreed: Vec<String>,
}

/// What the report is built from.
pub struct SessionInput<'a> {
    pub definition: &'a ScorecardDefinition,
    pub calls: &'a [CallId],
    pub participants: &'a [UserId],
    pub calibrator: Option<UserId>,
    pub scorings: &'a [Scoring],
    /// The answers the lead recorded as agreed, per call.
    pub consensus: Option<&'a [(CallId, Answers)]>,
    pub threshold: f64,
    pub seed: u64,
}

fn criteria(definition: &ScorecardDefinition) -> Vec<&Criterion> {
    definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .collect()
}

/// The most common answer among those given, when one answer is more common than every other.
fn majority(answers: &[Option<Answer>]) -> Option<Answer> {
    let mut counts: Vec<(&Answer, usize)> = Vec::new();
    for a in answers.iter().flatten() {
        match counts.iter_mut().find(|(b, _)| *b == a) {
            Some((_, n)) => *n += 1,
            None => counts.push((a, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    match counts.as_slice() {
        [(a, _)] => Some((*a).clone()),
        [(a, n), (_, m), ..] if n > m => Some((*a).clone()),
        _ => None,
    }
}

fn total(definition: &ScorecardDefinition, answers: &Answers) -> Option<f64> {
    score(definition, answers).ok().map(|e| e.score)
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

pub fn session_report(input: &SessionInput) -> SessionReport {
    let SessionInput {
        definition,
        calls,
        participants,
        calibrator,
        scorings,
        consensus,
        threshold,
        seed,
    } = *input;
    let scorers: Vec<UserId> = participants.iter().copied().chain(calibrator).collect();
    let list = criteria(definition);
    let possible_total: f64 = list.iter().map(|c| c.answer_type.possible()).sum();
    let reference_kind = match (calibrator, consensus) {
        (Some(_), _) => ReferenceKind::Calibrator,
        (None, Some(_)) => ReferenceKind::Consensus,
        (None, None) => ReferenceKind::Majority,
    };
    let answers_of = |call: CallId, user: UserId| {
        scorings
            .iter()
            .find(|s| s.call_id == call && s.user_id == user)
            .map(|s| &s.answers)
    };

    let mut closeness_by_scorer: Vec<Vec<f64>> = vec![Vec::new(); scorers.len()];
    let mut deviation_by_scorer: Vec<Vec<f64>> = vec![Vec::new(); scorers.len()];
    let call_reports: Vec<CallReport> = calls
        .iter()
        .map(|&call| {
            let given: Vec<Option<&Answers>> =
                scorers.iter().map(|&u| answers_of(call, u)).collect();
            let agreed = consensus
                .and_then(|c| c.iter().find(|(id, _)| *id == call))
                .map(|(_, a)| a);
            let rows: Vec<CriterionRow> = list
                .iter()
                .map(|c| {
                    let answers: Vec<Option<Answer>> = given
                        .iter()
                        .map(|g| g.and_then(|a| a.get(&c.key)).cloned())
                        .collect();
                    let reference = match reference_kind {
                        ReferenceKind::Calibrator => answers.last().cloned().flatten(),
                        ReferenceKind::Consensus => agreed.and_then(|a| a.get(&c.key)).cloned(),
                        ReferenceKind::Majority => majority(&answers),
                    };
                    let deviates = answers
                        .iter()
                        .map(|a| a.is_some() && reference.is_some() && *a != reference)
                        .collect();
                    CriterionRow {
                        key: c.key.clone(),
                        answers,
                        reference,
                        deviates,
                    }
                })
                .collect();
            let reference_answers: Option<Answers> = match reference_kind {
                ReferenceKind::Calibrator => given.last().copied().flatten().cloned(),
                ReferenceKind::Consensus => agreed.cloned(),
                ReferenceKind::Majority => Some(
                    rows.iter()
                        .filter_map(|r| r.reference.clone().map(|a| (r.key.clone(), a)))
                        .collect(),
                ),
            };
            let reference_score = reference_answers
                .as_ref()
                .and_then(|a| total(definition, a));
            let scores: Vec<Option<f64>> = given
                .iter()
                .map(|g| g.and_then(|a| total(definition, a)))
                .collect();
            for (i, answers) in given.iter().enumerate() {
                let Some(answers) = answers else { continue };
                if let Some(reference) = &reference_answers {
                    if possible_total > 0.0 {
                        let weighted: f64 = list
                            .iter()
                            .filter_map(|c| {
                                closeness(c, answers.get(&c.key), reference.get(&c.key))
                                    .map(|x| x * c.answer_type.possible() / possible_total)
                            })
                            .sum();
                        closeness_by_scorer[i].push(weighted);
                    }
                }
                if let (Some(own), Some(reference)) = (scores[i], reference_score) {
                    deviation_by_scorer[i].push(own - reference);
                }
            }
            let present: Vec<f64> = scores.iter().flatten().copied().collect();
            let spread = (!present.is_empty()).then(|| {
                let m = present.iter().sum::<f64>() / present.len() as f64;
                Spread {
                    min: present.iter().copied().fold(f64::INFINITY, f64::min),
                    max: present.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    sd: (present.len() > 1).then(|| {
                        (present.iter().map(|x| (x - m).powi(2)).sum::<f64>()
                            / (present.len() - 1) as f64)
                            .sqrt()
                    }),
                }
            });
            CallReport {
                call_id: call,
                rows,
                scores,
                reference_score,
                spread,
            }
        })
        .collect();

    let summaries = scorers
        .iter()
        .enumerate()
        .map(|(i, &user_id)| {
            let deviation = mean(deviation_by_scorer[i].iter().copied());
            ScorerSummary {
                user_id,
                alignment: mean(closeness_by_scorer[i].iter().copied()),
                deviation,
                flagged: deviation.is_some_and(|d| d.abs() > threshold),
            }
        })
        .collect();

    // Raters are the scorers, units the calls.
    let matrix = |value: &dyn Fn(UserId, CallId) -> Option<f64>| -> Vec<Vec<Option<f64>>> {
        scorers
            .iter()
            .map(|&u| calls.iter().map(|&call| value(u, call)).collect())
            .collect()
    };
    // Scores are finite and rows equally long, so only fewer than two scorers (or a matrix past
    // the request bound) is refused: that reads as nothing to compare.
    let statistics = |rows: Vec<Vec<Option<f64>>>, level: Level| -> Agreement {
        let ratings = Ratings::new(rows, level)
            .or_else(|_| Ratings::new(vec![Vec::new(), Vec::new()], level))
            .expect("two raters of no units are a matrix");
        agreement::agreement(&ratings, level, seed)
    };
    let criteria_agreement: Vec<CriterionAgreement> = list
        .iter()
        .map(|c| {
            let rows = matrix(&|user, call| {
                answers_of(call, user)
                    .and_then(|a| a.get(&c.key))
                    .and_then(|a| value(c, a))
            });
            CriterionAgreement {
                key: c.key.clone(),
                agreement: statistics(rows, level(c)),
            }
        })
        .collect();
    let overall_rows: Vec<Vec<Option<f64>>> = scorers
        .iter()
        .map(|&u| {
            calls
                .iter()
                .flat_map(|&call| {
                    let given = answers_of(call, u);
                    list.iter().map(move |c| {
                        let possible = c.answer_type.possible();
                        given
                            .and_then(|a| a.get(&c.key))
                            .and_then(|a| c.answer_type.earned(a))
                            .filter(|_| possible > 0.0)
                            .map(|e| e / possible)
                    })
                })
                .collect()
        })
        .collect();
    let overall = statistics(overall_rows, Level::Interval);
    let totals = statistics(
        matrix(&|user, call| answers_of(call, user).and_then(|a| total(definition, a))),
        Level::Interval,
    );

    // Below Krippendorff's tentative threshold, least agreement first. A criterion everyone
    // answered alike has no α (no variation) and is never a candidate.
    let mut ranked: Vec<(f64, &str)> = criteria_agreement
        .iter()
        .filter_map(|c| {
            c.agreement
                .krippendorff_alpha
                .filter(|&a| a < agreement::ALPHA_TENTATIVE)
                .map(|a| (a, c.key.as_str()))
        })
        .collect();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
    let least_agreed = ranked.into_iter().map(|(_, k)| k.to_string()).collect();

    SessionReport {
        scorers,
        reference: reference_kind,
        calls: call_reports,
        summaries,
        criteria: criteria_agreement,
        overall,
        totals,
        least_agreed,
    }
}

// ---- Sessions ----

pub type CalibrationId = u32;

pub const MAX_TITLE: usize = 200;
pub const MAX_CALLS: usize = 20;
pub const MAX_SCORERS: usize = 30;
pub const MAX_NOTES: usize = 5_000;

coded!(
    /// When participants see each other's answers.
    pub enum Visibility {
        /// Nobody, the lead included, sees anyone else's answers until the lead reveals.
        Blind => "blind",
        /// A scorer sees the others' answers to a call once they have submitted their own.
        AfterSubmit => "after_submit",
    }
);

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Open,
    /// Past its deadline and not revealed; late scores are still taken, and marked late.
    Overdue,
    Revealed,
    /// Revealed, and the lead recorded the agreed answers.
    Agreed,
}

/// The answers the session agreed on, per call, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consensus {
    pub answers: Vec<(CallId, Answers)>,
    #[serde(default)]
    pub notes: String,
    pub recorded_by: UserId,
    #[serde(with = "crate::time::iso")]
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationSession {
    pub id: CalibrationId,
    pub title: crate::LocalizedText,
    /// Every scorer scores with this version, whatever has been published since.
    pub scorecard_version_id: u32,
    pub call_ids: Vec<CallId>,
    pub participants: Vec<UserId>,
    /// The expert whose answers are the reference; scores like a participant.
    pub calibrator: Option<UserId>,
    #[serde(with = "crate::time::iso")]
    pub deadline: NaiveDateTime,
    pub visibility: Visibility,
    /// Percentage points of deviation from the reference's score beyond which a scorer is flagged.
    pub threshold: f64,
    pub created_by: UserId,
    #[serde(with = "crate::time::iso")]
    pub created_at: NaiveDateTime,
    #[serde(default, with = "crate::time::maybe_iso")]
    pub revealed_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub consensus: Option<Consensus>,
}

impl CalibrationSession {
    /// Participants, then the calibrator.
    pub fn scorers(&self) -> Vec<UserId> {
        self.participants
            .iter()
            .copied()
            .chain(self.calibrator)
            .collect()
    }

    pub fn scores(&self, user: UserId) -> bool {
        self.participants.contains(&user) || self.calibrator == Some(user)
    }

    pub fn status(&self, now: NaiveDateTime) -> SessionStatus {
        match (self.revealed_at, &self.consensus) {
            (Some(_), Some(_)) => SessionStatus::Agreed,
            (Some(_), None) => SessionStatus::Revealed,
            (None, _) if now > self.deadline => SessionStatus::Overdue,
            (None, _) => SessionStatus::Open,
        }
    }

    /// The answers the report measures against when they are the recorded consensus.
    fn agreed_answers(&self) -> Option<&[(CallId, Answers)]> {
        self.consensus.as_ref().map(|c| c.answers.as_slice())
    }

    /// The report to store with a reveal or a consensus: the one prepared beforehand when it
    /// was computed from exactly these scores and this consensus, else computed now.
    pub fn report_with(
        &self,
        definition: &ScorecardDefinition,
        scores: &[CalibrationScore],
        prepared: Option<PreparedReport>,
    ) -> SessionReport {
        match prepared {
            Some(p)
                if p.basis.session.id == self.id
                    && p.basis.scores == scores
                    && p.basis.session.agreed_answers() == self.agreed_answers() =>
            {
                p.report
            }
            _ => self.report(definition, scores),
        }
    }

    /// The report over the given scores (all of them after the reveal).
    pub fn report(
        &self,
        definition: &ScorecardDefinition,
        scores: &[CalibrationScore],
    ) -> SessionReport {
        let scorings: Vec<Scoring> = scores
            .iter()
            .map(|s| Scoring {
                call_id: s.call_id,
                user_id: s.user_id,
                answers: s.answers.clone(),
            })
            .collect();
        let consensus = self.consensus.as_ref().map(|c| c.answers.as_slice());
        session_report(&SessionInput {
            definition,
            calls: &self.call_ids,
            participants: &self.participants,
            calibrator: self.calibrator,
            scorings: &scorings,
            consensus,
            threshold: self.threshold,
            // The same session always reports the same intervals.
            seed: u64::from(self.id),
        })
    }
}

/// What a session's report is computed from, read before the write that stores the report, so
/// the computing (a thousand bootstrap draws per criterion) holds no connection and no lock.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportBasis {
    /// With the consensus the report measures against.
    pub session: CalibrationSession,
    pub definition: ScorecardDefinition,
    /// By call, then scorer.
    pub scores: Vec<CalibrationScore>,
}

impl ReportBasis {
    pub fn prepare(self) -> PreparedReport {
        let report = self.session.report(&self.definition, &self.scores);
        PreparedReport {
            basis: self,
            report,
        }
    }
}

/// A report computed from its basis, handed to the write that stores it; the write uses it
/// only if the basis is still what is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedReport {
    basis: ReportBasis,
    report: SessionReport,
}

/// One scorer's submitted answers to one call of a session. Never an evaluation: it counts toward
/// no agent's QA score and cannot be disputed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationScore {
    pub session_id: CalibrationId,
    pub call_id: CallId,
    pub user_id: UserId,
    pub answers: Answers,
    #[serde(default)]
    pub notes: crate::review::Notes,
    pub score: f64,
    #[serde(with = "crate::time::iso")]
    pub submitted_at: NaiveDateTime,
    /// Submitted after the deadline.
    pub late: bool,
}

/// `POST /api/calibration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSession {
    pub title: crate::LocalizedText,
    pub scorecard_version_id: u32,
    #[serde(deserialize_with = "crate::bounded::vec::<_, _, MAX_CALLS>")]
    pub call_ids: Vec<CallId>,
    #[serde(deserialize_with = "crate::bounded::vec::<_, _, MAX_SCORERS>")]
    pub participants: Vec<UserId>,
    #[serde(default)]
    pub calibrator: Option<UserId>,
    #[serde(with = "crate::time::iso")]
    pub deadline: NaiveDateTime,
    pub visibility: Visibility,
    #[serde(default = "default_threshold")]
    pub threshold: f64,
}

fn default_threshold() -> f64 {
    DEFAULT_THRESHOLD
}

/// `POST /api/calibration/{id}/scores`: a scorer's answers to one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreSubmission {
    pub call_id: CallId,
    #[serde(deserialize_with = "crate::bounded::map::<_, _, _, MAX_CRITERIA>")]
    pub answers: Answers,
    #[serde(
        default,
        deserialize_with = "crate::bounded::map::<_, _, _, MAX_CRITERIA>"
    )]
    pub notes: crate::review::Notes,
}

/// `PUT /api/calibration/{id}/consensus`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsensusRequest {
    #[serde(deserialize_with = "crate::bounded::vec::<_, _, MAX_CALLS>")]
    pub answers: Vec<(CallId, Answers)>,
    #[serde(default)]
    pub notes: String,
}

/// A session in a list: what a lead or scorer needs to pick it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub id: CalibrationId,
    pub title: crate::LocalizedText,
    pub scorecard: crate::LocalizedText,
    pub status: SessionStatus,
    pub visibility: Visibility,
    #[serde(with = "crate::time::iso")]
    pub deadline: NaiveDateTime,
    pub calls: u32,
    pub scorers: u32,
    /// Scores submitted of `calls × scorers`.
    pub submitted: u32,
    /// Calls the asker still has to score (0 when they are not a scorer).
    pub mine_open: u32,
    pub created_by: String,
    #[serde(default, with = "crate::time::maybe_iso")]
    pub revealed_at: Option<NaiveDateTime>,
}

/// Who has submitted what: shown in every mode, answers are not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorerProgress {
    pub user_id: UserId,
    pub name: String,
    pub calibrator: bool,
    pub submitted: Vec<CallId>,
    pub late: bool,
}

/// A session as the asker may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub session: CalibrationSession,
    pub status: SessionStatus,
    pub version: crate::scorecard::ScorecardVersion,
    pub calls: Vec<crate::Call>,
    pub created_by: String,
    /// Who recorded the consensus, by name.
    #[serde(default)]
    pub consensus_by: Option<String>,
    pub progress: Vec<ScorerProgress>,
    /// The scores the asker may read: their own, others' once the mode allows.
    pub scores: Vec<CalibrationScore>,
    /// Over `scores`, when they hold anyone else's.
    pub report: Option<SessionReport>,
    pub is_scorer: bool,
    /// The asker may reveal and record the consensus (the session's creator, or an admin).
    pub leads: bool,
}

/// One point of a reviewer's alignment trend: one revealed session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignmentPoint {
    pub session_id: CalibrationId,
    pub title: crate::LocalizedText,
    #[serde(with = "crate::time::iso")]
    pub revealed_at: NaiveDateTime,
    pub user_id: UserId,
    pub name: String,
    pub alignment: Option<f64>,
    pub deviation: Option<f64>,
    pub flagged: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorecard::{ScorecardSection, SectionKind};
    use crate::LocalizedText;

    fn criterion(key: &str, answer_type: AnswerType) -> Criterion {
        Criterion {
            key: key.into(),
            title: LocalizedText::default(),
            guideline: LocalizedText::default(),
            answer_type,
            allow_na: true,
            critical: None,
        }
    }

    /// Greeting yes/no 2 points, empathy 1–5 scale 4 points, accuracy 0–4 points: 10 in all.
    fn card() -> ScorecardDefinition {
        let labels = std::array::from_fn(|_| LocalizedText::default());
        ScorecardDefinition {
            name: LocalizedText::default(),
            pass_mark: 80.0,
            sections: vec![ScorecardSection {
                key: "s".into(),
                title: LocalizedText::default(),
                weight: 100.0,
                kind: SectionKind::Standard,
                criteria: vec![
                    criterion("greet", AnswerType::YesNo { points: 2 }),
                    criterion("empathy", AnswerType::Scale { points: 4, labels }),
                    criterion("accuracy", AnswerType::Points { max: 4 }),
                ],
            }],
        }
    }

    fn answers(greet: Answer, empathy: u8, accuracy: u32) -> Answers {
        Answers::from([
            ("greet".into(), greet),
            ("empathy".into(), Answer::Scale(empathy)),
            ("accuracy".into(), Answer::Points(accuracy)),
        ])
    }

    fn scoring(call_id: CallId, user_id: UserId, answers: Answers) -> Scoring {
        Scoring {
            call_id,
            user_id,
            answers,
        }
    }

    #[test]
    fn the_calibrator_is_the_reference_and_alignment_weighs_by_points() {
        let definition = card();
        let scorings = [
            // Call 1: participant 1 matches the calibrator; 2 says "no" to the greeting; 3 is a
            // level and a point apart.
            scoring(1, 1, answers(Answer::Yes, 5, 4)),
            scoring(1, 2, answers(Answer::No, 5, 4)),
            scoring(1, 3, answers(Answer::Yes, 4, 3)),
            scoring(1, 9, answers(Answer::Yes, 5, 4)),
            scoring(2, 1, answers(Answer::Yes, 3, 2)),
            scoring(2, 2, answers(Answer::Yes, 3, 2)),
            scoring(2, 9, answers(Answer::Yes, 3, 2)),
        ];
        let report = session_report(&SessionInput {
            definition: &definition,
            calls: &[1, 2],
            participants: &[1, 2, 3],
            calibrator: Some(9),
            scorings: &scorings,
            consensus: None,
            threshold: DEFAULT_THRESHOLD,
            seed: 1,
        });
        assert_eq!(report.scorers, vec![1, 2, 3, 9]);
        assert_eq!(report.reference, ReferenceKind::Calibrator);
        let first = &report.calls[0];
        assert_eq!(first.rows[0].deviates, vec![false, true, false, false]);
        assert_eq!(first.rows[1].deviates, vec![false, false, true, false]);
        assert_eq!(first.reference_score, Some(100.0));
        // Participant 2 loses the greeting's 2 of 10 points: alignment 0.8 on call 1, 1.0 on call 2.
        let two = &report.summaries[1];
        assert!((two.alignment.unwrap() - 0.9).abs() < 1e-9, "{two:?}");
        assert!((two.deviation.unwrap() - -10.0).abs() < 1e-9, "{two:?}");
        assert!(two.flagged);
        // Participant 3 is a quarter of the scale (1 of 4 points) and 1 of 4 points off: 0.8.
        let three = &report.summaries[2];
        assert!((three.alignment.unwrap() - 0.8).abs() < 1e-9, "{three:?}");
        assert_eq!(first.scores[2], Some(80.0));
        assert!(three.flagged, "20 points below the calibrator");
        assert!(!report.summaries[0].flagged);
        let spread = first.spread.unwrap();
        assert_eq!((spread.min, spread.max), (80.0, 100.0));
        assert!(spread.sd.unwrap() > 0.0);
        // Participant 3 did not score call 2: that cell is missing, not a disagreement.
        assert_eq!(report.calls[1].scores[2], None);
    }

    #[test]
    fn a_criterion_everyone_answered_alike_is_perfect_not_nan_and_not_a_candidate() {
        let definition = card();
        let scorings: Vec<Scoring> = [1, 2, 3]
            .iter()
            .flat_map(|&u| {
                [1, 2].map(|call| {
                    scoring(
                        call,
                        u,
                        answers(Answer::Yes, if u == 3 { 2 } else { 5 }, u + call),
                    )
                })
            })
            .collect();
        let report = session_report(&SessionInput {
            definition: &definition,
            calls: &[1, 2],
            participants: &[1, 2, 3],
            calibrator: None,
            scorings: &scorings,
            consensus: None,
            threshold: DEFAULT_THRESHOLD,
            seed: 1,
        });
        assert_eq!(report.reference, ReferenceKind::Majority);
        let greet = &report.criteria[0].agreement;
        assert_eq!(greet.krippendorff_alpha, None);
        assert_eq!(
            greet.undefined.get("krippendorff_alpha"),
            Some(&agreement::Undefined::NoVariation)
        );
        assert_eq!(greet.percent_agreement, Some(1.0));
        assert!(!report.least_agreed.contains(&"greet".to_string()));
        assert!(
            report.least_agreed.contains(&"empathy".to_string()),
            "{:?}",
            report.least_agreed
        );
        assert_eq!(report.criteria[1].agreement.level, Level::Ordinal);
        assert_eq!(report.criteria[2].agreement.level, Level::Interval);
        assert!(!serde_json::to_string(&report).unwrap().contains("NaN"));
    }

    #[test]
    fn the_majority_is_the_reference_only_without_a_tie() {
        assert_eq!(
            majority(&[Some(Answer::Yes), Some(Answer::No), Some(Answer::Yes)]),
            Some(Answer::Yes)
        );
        assert_eq!(majority(&[Some(Answer::Yes), Some(Answer::No)]), None);
        assert_eq!(majority(&[None, Some(Answer::No)]), Some(Answer::No));
        assert_eq!(majority(&[None, None]), None);
    }

    #[test]
    fn na_is_a_category_for_yes_no_and_missing_on_scales() {
        let yes_no = criterion("c", AnswerType::YesNo { points: 1 });
        assert_eq!(value(&yes_no, &Answer::NotApplicable), Some(2.0));
        let scale = criterion(
            "s",
            AnswerType::Scale {
                points: 4,
                labels: std::array::from_fn(|_| LocalizedText::default()),
            },
        );
        assert_eq!(value(&scale, &Answer::NotApplicable), None);
        assert_eq!(
            closeness(&yes_no, Some(&Answer::NotApplicable), Some(&Answer::Yes)),
            Some(0.0)
        );
        assert_eq!(
            closeness(
                &yes_no,
                Some(&Answer::NotApplicable),
                Some(&Answer::NotApplicable)
            ),
            Some(1.0)
        );
    }
}
