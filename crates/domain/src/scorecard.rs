//! Scorecards and the scoring engine.
//!
//! A scorecard has ordered sections, each with a weight and a kind, and each section has ordered
//! criteria. Scoring turns a reviewer's answers into a percentage and an [`Explanation`] that
//! says where every point came from, so the number can always be traced by hand.
//!
//! The rules, in the order they apply:
//! 1. A criterion earns points by its answer type (yes/no, scale 1–5, points 0..max, single
//!    choice). N/A (only where allowed) removes it from both earned and possible points, so its
//!    section is rescaled over the criteria that remain.
//! 2. Critical criteria fail when answered with zero points. A failed *fail-all* criterion makes
//!    the whole evaluation score 0 (auto-fail); a failed *fail-section* criterion makes its
//!    section earn 0 of its possible points. Precedence: fail-all > fail-section > N/A.
//! 3. A section of kind *fail-section* is all-or-nothing: it earns its points only when every
//!    applicable criterion earns full points.
//! 4. Each standard (and fail-section kind) section contributes `weight × earned / possible`;
//!    the sum is divided by the total weight of the sections that had anything to score. A
//!    section whose criteria are all N/A drops out and the others' weights are renormalised.
//! 5. Bonus sections add `weight × earned / possible` over the same total weight, so they can
//!    lift the score above 100; they never take points away and do not allow N/A.

use crate::coded;
use crate::people::LocalizedText;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MAX_TITLE: usize = 200;
/// Points per criterion or option; more only makes answer lists unusable.
pub const MAX_POINTS: u32 = 1000;
/// The largest weight one section may carry.
pub const MAX_WEIGHT: f64 = 1000.0;
pub const MAX_GUIDELINE: usize = 2000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardDefinition {
    /// Every text of a scorecard is in English and Chinese; either may be left empty, and the
    /// app shows the other instead (see [`LocalizedText::pick`]).
    pub name: LocalizedText,
    /// Percentage at or above which an evaluation passes.
    pub pass_mark: f64,
    pub sections: Vec<ScorecardSection>,
}

coded!(
    pub enum SectionKind {
        Standard => "standard",
        Bonus => "bonus",
        /// All-or-nothing: any criterion short of full points fails the whole section.
        FailSection => "fail_section",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardSection {
    /// Stable key, unique in the scorecard; answers and explanations refer to it.
    pub key: String,
    pub title: LocalizedText,
    pub weight: f64,
    pub kind: SectionKind,
    pub criteria: Vec<Criterion>,
}

coded!(
    pub enum Critical {
        FailSection => "fail_section",
        FailAll => "fail_all",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable key, unique in the scorecard.
    pub key: String,
    pub title: LocalizedText,
    /// What the reviewer should listen for.
    #[serde(default)]
    pub guideline: LocalizedText,
    pub answer_type: AnswerType,
    #[serde(default)]
    pub allow_na: bool,
    #[serde(default)]
    pub critical: Option<Critical>,
}

impl Criterion {
    /// Every answer this criterion takes, in the order forms offer them: yes before no, levels
    /// up, points down from the maximum (capped as validation caps it), choices as listed, and
    /// N/A last where allowed. A bonus section has no N/A: its criteria only add.
    pub fn offered(&self, bonus: bool) -> Vec<Answer> {
        let mut list: Vec<Answer> = match &self.answer_type {
            AnswerType::YesNo { .. } => vec![Answer::Yes, Answer::No],
            AnswerType::Scale { .. } => (1..=5).map(Answer::Scale).collect(),
            AnswerType::Points { max } => (0..=(*max).min(MAX_POINTS))
                .rev()
                .map(Answer::Points)
                .collect(),
            AnswerType::Choice { options } => options
                .iter()
                .map(|o| Answer::Choice(o.key.clone()))
                .collect(),
        };
        if self.allow_na && !bonus {
            list.push(Answer::NotApplicable);
        }
        list
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    try_from = "crate::wire::AnswerTypeWire"
)]
// Choices carry their options inline: boxing them would only add a pointer to every answer type.
#[allow(clippy::large_enum_variant)]
pub enum AnswerType {
    /// Yes earns `points`, no earns nothing.
    YesNo { points: u32 },
    /// Level 1 earns nothing, level 5 earns `points`, evenly in between.
    Scale {
        points: u32,
        labels: [LocalizedText; 5],
    },
    /// Any whole number from 0 to `max`.
    Points { max: u32 },
    /// One option; the best option's points are the possible points.
    Choice { options: Vec<ChoiceOption> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub key: String,
    pub label: LocalizedText,
    pub points: u32,
}

impl AnswerType {
    pub fn possible(&self) -> f64 {
        match self {
            AnswerType::YesNo { points } | AnswerType::Scale { points, .. } => f64::from(*points),
            AnswerType::Points { max } => f64::from(*max),
            AnswerType::Choice { options } => {
                f64::from(options.iter().map(|o| o.points).max().unwrap_or(0))
            }
        }
    }

    /// The answer that earns full points.
    pub fn best(&self) -> Answer {
        match self {
            AnswerType::YesNo { .. } => Answer::Yes,
            AnswerType::Scale { .. } => Answer::Scale(5),
            AnswerType::Points { max } => Answer::Points(*max),
            AnswerType::Choice { options } => Answer::Choice(
                options
                    .iter()
                    .max_by_key(|o| o.points)
                    .map(|o| o.key.clone())
                    .unwrap_or_default(),
            ),
        }
    }

    /// The answer that earns nothing: what fails a critical criterion.
    pub fn worst(&self) -> Answer {
        match self {
            AnswerType::YesNo { .. } => Answer::No,
            AnswerType::Scale { .. } => Answer::Scale(1),
            AnswerType::Points { .. } => Answer::Points(0),
            AnswerType::Choice { options } => Answer::Choice(
                options
                    .iter()
                    .min_by_key(|o| o.points)
                    .map(|o| o.key.clone())
                    .unwrap_or_default(),
            ),
        }
    }

    /// Points earned by an answer, or `None` when the answer does not fit this type.
    pub fn earned(&self, answer: &Answer) -> Option<f64> {
        match (self, answer) {
            (AnswerType::YesNo { points }, Answer::Yes) => Some(f64::from(*points)),
            (AnswerType::YesNo { .. }, Answer::No) => Some(0.0),
            (AnswerType::Scale { points, .. }, Answer::Scale(level @ 1..=5)) => {
                Some(f64::from(*points) * f64::from(level - 1) / 4.0)
            }
            (AnswerType::Points { max }, Answer::Points(p)) if p <= max => Some(f64::from(*p)),
            (AnswerType::Choice { options }, Answer::Choice(key)) => options
                .iter()
                .find(|o| &o.key == key)
                .map(|o| f64::from(o.points)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    Scale(u8),
    Points(u32),
    Choice(String),
    NotApplicable,
}

pub type Answers = BTreeMap<String, Answer>;

/// Which rule decided a criterion's or a section's points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "rule",
    rename_all = "snake_case",
    try_from = "crate::wire::RuleWire"
)]
pub enum Rule {
    Scored,
    NotApplicable,
    Unanswered,
    /// This critical criterion failed and zeroed its section.
    CriticalFailSection,
    /// This critical criterion failed and zeroed the evaluation.
    CriticalFailAll,
    /// Section zeroed by the failed critical criterion named.
    SectionFailedBy {
        criterion: String,
    },
    /// All-or-nothing section with a criterion short of full points.
    AllOrNothingMissed {
        criterion: String,
    },
    /// Evaluation zeroed by the failed critical criterion named.
    AutoFailedBy {
        criterion: String,
    },
    /// Nothing in the section could be scored; its weight went to the others.
    SectionNotApplicable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionExplanation {
    pub key: String,
    pub earned: f64,
    pub possible: f64,
    pub rule: Rule,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionExplanation {
    pub key: String,
    pub kind: SectionKind,
    pub earned: f64,
    pub possible: f64,
    pub weight: f64,
    /// Percentage points this section adds to the score.
    pub contribution: f64,
    pub rule: Rule,
    pub criteria: Vec<CriterionExplanation>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// 0–100, above 100 only through bonus sections.
    pub score: f64,
    pub passed: bool,
    pub auto_failed: bool,
    /// Every criterion has an answer; only complete evaluations may be submitted.
    pub complete: bool,
    pub sections: Vec<SectionExplanation>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ScoreError {
    #[error("{criterion}: answer {answer} does not fit this criterion")]
    AnswerDoesNotFit { criterion: String, answer: String },
    #[error("{criterion}: N/A is not allowed here")]
    NotApplicableRefused { criterion: String },
}

/// The answers that still fit the scorecard: a preview keeps what the reviewer chose while the
/// author changes the criteria underneath, and drops what no longer makes sense.
pub fn fitting_answers(card: &ScorecardDefinition, answers: &Answers) -> Answers {
    card.sections
        .iter()
        .flat_map(|s| s.criteria.iter().map(move |c| (s, c)))
        .filter_map(|(s, c)| {
            let answer = answers.get(&c.key)?;
            let fits = match answer {
                Answer::NotApplicable => c.allow_na && s.kind != SectionKind::Bonus,
                other => c.answer_type.earned(other).is_some(),
            };
            fits.then(|| (c.key.clone(), answer.clone()))
        })
        .collect()
}

pub fn score(card: &ScorecardDefinition, answers: &Answers) -> Result<Explanation, ScoreError> {
    let mut sections = Vec::with_capacity(card.sections.len());
    let mut auto_fail: Option<String> = None;
    let mut complete = true;
    for section in &card.sections {
        let mut criteria = Vec::with_capacity(section.criteria.len());
        let mut section_rule = Rule::Scored;
        for c in &section.criteria {
            let possible = c.answer_type.possible();
            let (earned, possible, rule) = match answers.get(&c.key) {
                None => {
                    complete = false;
                    (0.0, 0.0, Rule::Unanswered)
                }
                Some(Answer::NotApplicable) if c.allow_na && section.kind != SectionKind::Bonus => {
                    (0.0, 0.0, Rule::NotApplicable)
                }
                Some(Answer::NotApplicable) => {
                    return Err(ScoreError::NotApplicableRefused {
                        criterion: c.key.clone(),
                    })
                }
                Some(answer) => {
                    let earned = c.answer_type.earned(answer).ok_or_else(|| {
                        ScoreError::AnswerDoesNotFit {
                            criterion: c.key.clone(),
                            answer: format!("{answer:?}"),
                        }
                    })?;
                    let rule = match c.critical {
                        Some(Critical::FailAll) if earned == 0.0 => {
                            auto_fail.get_or_insert_with(|| c.key.clone());
                            Rule::CriticalFailAll
                        }
                        Some(Critical::FailSection) if earned == 0.0 => {
                            if !matches!(section_rule, Rule::SectionFailedBy { .. }) {
                                section_rule = Rule::SectionFailedBy {
                                    criterion: c.key.clone(),
                                };
                            }
                            Rule::CriticalFailSection
                        }
                        _ => Rule::Scored,
                    };
                    if section.kind == SectionKind::FailSection
                        && earned < possible
                        && section_rule == Rule::Scored
                    {
                        section_rule = Rule::AllOrNothingMissed {
                            criterion: c.key.clone(),
                        };
                    }
                    (earned, possible, rule)
                }
            };
            criteria.push(CriterionExplanation {
                key: c.key.clone(),
                earned,
                possible,
                rule,
            });
        }
        let possible: f64 = criteria.iter().map(|c| c.possible).sum();
        let earned = match section_rule {
            Rule::Scored => criteria.iter().map(|c| c.earned).sum(),
            _ => 0.0,
        };
        if possible == 0.0 {
            section_rule = Rule::SectionNotApplicable;
        }
        sections.push(SectionExplanation {
            key: section.key.clone(),
            kind: section.kind,
            earned,
            possible,
            weight: section.weight,
            contribution: 0.0,
            rule: section_rule,
            criteria,
        });
    }
    let total_weight: f64 = sections
        .iter()
        .filter(|s| s.kind != SectionKind::Bonus && s.possible > 0.0)
        .map(|s| s.weight)
        .sum();
    for s in &mut sections {
        s.contribution = match (&auto_fail, s.possible > 0.0 && total_weight > 0.0) {
            (Some(criterion), _) => {
                if s.rule == Rule::Scored {
                    s.rule = Rule::AutoFailedBy {
                        criterion: criterion.clone(),
                    };
                }
                0.0
            }
            (None, true) => 100.0 * s.weight * s.earned / s.possible / total_weight,
            (None, false) => 0.0,
        };
    }
    let score = sections.iter().map(|s| s.contribution).sum::<f64>();
    Ok(Explanation {
        score,
        passed: auto_fail.is_none() && score >= card.pass_mark,
        auto_failed: auto_fail.is_some(),
        complete,
        sections,
    })
}

/// A scorecard as listed: its published history and whether a draft is open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardSummary {
    pub id: u32,
    pub name: LocalizedText,
    pub archived: bool,
    /// Highest published version number, if any.
    pub published_version: Option<u32>,
    pub has_draft: bool,
    /// Every published version, newest first.
    pub versions: Vec<PublishedVersion>,
    /// Submitted evaluations scored with any of its versions: what an edit will not touch.
    #[serde(default)]
    pub evaluations: u32,
}

impl ScorecardDetail {
    pub fn summary(&self) -> ScorecardSummary {
        ScorecardSummary {
            evaluations: 0,
            id: self.id,
            name: self.name.clone(),
            archived: self.archived,
            published_version: self.versions.first().map(|v| v.version),
            has_draft: self.draft.is_some(),
            versions: self.versions.clone(),
        }
    }
}

/// The draft being edited, with the card's `lock_version` at its last save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Row id the draft keeps when it is published.
    pub id: u32,
    pub version: u32,
    pub lock_version: u32,
    pub definition: ScorecardDefinition,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedVersion {
    /// Row id: what evaluations pin.
    pub id: u32,
    pub version: u32,
    pub published_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardDetail {
    pub id: u32,
    pub name: LocalizedText,
    pub archived: bool,
    /// Rises with every save of the card and never goes back, publishing included: a save must
    /// name the one it started from, so no editor silently overwrites another, not even one
    /// whose changes were published in between.
    pub lock_version: u32,
    pub draft: Option<Draft>,
    pub versions: Vec<PublishedVersion>,
}

/// One immutable (or draft) version with its definition, as evaluations render it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardVersion {
    pub id: u32,
    pub scorecard_id: u32,
    pub version: u32,
    pub published: bool,
    pub definition: ScorecardDefinition,
}

impl ScorecardVersion {
    /// Those who review calls read published versions; drafts are work in progress, shown only
    /// to those who edit scorecards. Agents read their pinned version inside their evaluation.
    pub fn readable_by(&self, role: crate::access::Role) -> bool {
        use crate::access::Capability;
        role.can(Capability::ReviewCalls)
            && (self.published || role.can(Capability::ManageScorecards))
    }
}

/// A save of the draft: the definition and the card's `lock_version` the editor started from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftSave {
    pub lock_version: u32,
    pub definition: ScorecardDefinition,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditConflict {
    #[error("Someone saved this draft since you opened it (you started from save {yours}, it is now at save {current}). Reload to see their changes; nothing was overwritten.")]
    Stale { yours: u32, current: u32 },
    #[error("This scorecard is archived; restore it before editing.")]
    Archived,
}

/// Decides whether a save may go ahead and what the card's next `lock_version` is.
pub fn check_save(archived: bool, current: u32, yours: u32) -> Result<u32, EditConflict> {
    if archived {
        return Err(EditConflict::Archived);
    }
    if yours == current {
        Ok(current + 1)
    } else {
        Err(EditConflict::Stale { yours, current })
    }
}

/// Why a place in a scorecard is rejected: a code the app translates, with what it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "code",
    rename_all = "snake_case",
    try_from = "crate::wire::InvalidWire"
)]
pub enum Invalid {
    Empty,
    TooLong {
        max: usize,
    },
    PassMarkRange,
    NoSections,
    NoWeightedSection,
    NegativeWeight,
    WeightTooLarge {
        max: u32,
    },
    NoCriteria,
    BadKey,
    DuplicateKey {
        key: String,
    },
    BonusNotApplicable,
    BonusCritical,
    ZeroPoints,
    TooManyPoints {
        max: u32,
    },
    TooFewOptions,
    NoOptionEarns,
    /// More criteria than a request about one evaluation may hold.
    TooManyCriteria {
        max: usize,
    },
    DuplicateOption {
        key: String,
    },
    /// The document is not a scorecard at all (unreadable JSON): where, and the parser's words.
    Unreadable {
        line: usize,
        column: usize,
        detail: String,
    },
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Invalid::Empty => f.write_str("must not be empty in both languages"),
            Invalid::TooLong { max } => write!(f, "is longer than {max} characters"),
            Invalid::PassMarkRange => f.write_str("must be a percentage from 0 to 100"),
            Invalid::NoSections => f.write_str("a scorecard needs at least one section"),
            Invalid::NoWeightedSection => {
                f.write_str("at least one non-bonus section needs a weight above 0")
            }
            Invalid::NegativeWeight => f.write_str("must be 0 or more"),
            Invalid::WeightTooLarge { max } => write!(f, "must be {max} or less"),
            Invalid::NoCriteria => f.write_str("a section needs at least one criterion"),
            Invalid::BadKey => f.write_str("must be letters, digits, - or _"),
            Invalid::DuplicateKey { key } => write!(f, "duplicate key {key:?}"),
            Invalid::BonusNotApplicable => f.write_str("bonus criteria cannot be N/A"),
            Invalid::BonusCritical => f.write_str("bonus criteria cannot be critical"),
            Invalid::ZeroPoints => f.write_str("must be above 0"),
            Invalid::TooManyPoints { max } => write!(f, "must be {max} or less"),
            Invalid::TooFewOptions => f.write_str("a choice needs at least two options"),
            Invalid::TooManyCriteria { max } => {
                write!(f, "a scorecard holds at most {max} criteria")
            }
            Invalid::NoOptionEarns => f.write_str("at least one option must earn points"),
            Invalid::DuplicateOption { key } => write!(f, "duplicate option {key:?}"),
            Invalid::Unreadable {
                line,
                column,
                detail,
            } => write!(
                f,
                "line {line}, column {column}: not a readable scorecard: {detail}"
            ),
        }
    }
}

/// One problem in a scorecard: where (`sections[2].criteria[0].weight`) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct ValidationError {
    pub path: String,
    pub problem: Invalid,
    /// The problem in English, for API clients that do not translate codes.
    pub reason: String,
}

impl ValidationError {
    pub fn new(path: impl Into<String>, problem: Invalid) -> ValidationError {
        ValidationError {
            path: path.into(),
            reason: problem.to_string(),
            problem,
        }
    }
}

/// Reads a scorecard from imported JSON, or says where the JSON went wrong.
pub fn parse_definition(json: &str) -> Result<ScorecardDefinition, ValidationError> {
    serde_json::from_str(json).map_err(|e| {
        ValidationError::new(
            "",
            Invalid::Unreadable {
                line: e.line(),
                column: e.column(),
                detail: e.to_string(),
            },
        )
    })
}

/// Every problem that keeps a scorecard from being published, not just the first.
pub fn validate(card: &ScorecardDefinition) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    let mut err = |path: String, problem: Invalid| errors.push(ValidationError::new(path, problem));
    check_text(&mut err, "name".into(), &card.name, MAX_TITLE);
    if !(0.0..=100.0).contains(&card.pass_mark) || card.pass_mark.is_nan() {
        err("pass_mark".into(), Invalid::PassMarkRange);
    }
    if card.sections.is_empty() {
        err("sections".into(), Invalid::NoSections);
    } else if !card
        .sections
        .iter()
        .any(|s| s.kind != SectionKind::Bonus && s.weight > 0.0)
    {
        err("sections".into(), Invalid::NoWeightedSection);
    }
    let criteria: usize = card.sections.iter().map(|s| s.criteria.len()).sum();
    if criteria > crate::bounded::MAX_CRITERIA {
        err(
            "sections".into(),
            Invalid::TooManyCriteria {
                max: crate::bounded::MAX_CRITERIA,
            },
        );
    }
    let mut keys = std::collections::BTreeSet::new();
    for (i, s) in card.sections.iter().enumerate() {
        let at = format!("sections[{i}]");
        check_key(&mut err, &mut keys, format!("{at}.key"), &s.key);
        check_text(&mut err, format!("{at}.title"), &s.title, MAX_TITLE);
        if s.weight < 0.0 || !s.weight.is_finite() {
            err(format!("{at}.weight"), Invalid::NegativeWeight);
        } else if s.weight > MAX_WEIGHT {
            // Bounded so that no sum of weights, however many sections, leaves the finite range.
            err(
                format!("{at}.weight"),
                Invalid::WeightTooLarge {
                    max: MAX_WEIGHT as u32,
                },
            );
        }
        if s.criteria.is_empty() {
            err(format!("{at}.criteria"), Invalid::NoCriteria);
        }
        for (j, c) in s.criteria.iter().enumerate() {
            let at = format!("{at}.criteria[{j}]");
            check_key(&mut err, &mut keys, format!("{at}.key"), &c.key);
            check_text(&mut err, format!("{at}.title"), &c.title, MAX_TITLE);
            for (lang, text) in [("en", &c.guideline.en), ("zh", &c.guideline.zh)] {
                if text.chars().count() > MAX_GUIDELINE {
                    err(
                        format!("{at}.guideline.{lang}"),
                        Invalid::TooLong { max: MAX_GUIDELINE },
                    );
                }
            }
            if c.allow_na && s.kind == SectionKind::Bonus {
                err(format!("{at}.allow_na"), Invalid::BonusNotApplicable);
            }
            if c.critical.is_some() && s.kind == SectionKind::Bonus {
                err(format!("{at}.critical"), Invalid::BonusCritical);
            }
            match &c.answer_type {
                AnswerType::YesNo { points } | AnswerType::Scale { points, .. }
                    if *points > MAX_POINTS =>
                {
                    err(
                        format!("{at}.answer_type.points"),
                        Invalid::TooManyPoints { max: MAX_POINTS },
                    )
                }
                AnswerType::Points { max } if *max > MAX_POINTS => err(
                    format!("{at}.answer_type.max"),
                    Invalid::TooManyPoints { max: MAX_POINTS },
                ),
                AnswerType::YesNo { points } | AnswerType::Scale { points, .. } if *points == 0 => {
                    err(format!("{at}.answer_type.points"), Invalid::ZeroPoints)
                }
                AnswerType::Points { max: 0 } => {
                    err(format!("{at}.answer_type.max"), Invalid::ZeroPoints)
                }
                AnswerType::Scale { labels, .. } => {
                    for (k, label) in labels.iter().enumerate() {
                        check_text(
                            &mut err,
                            format!("{at}.answer_type.labels[{k}]"),
                            label,
                            MAX_TITLE,
                        );
                    }
                }
                AnswerType::Choice { options } => {
                    if options.len() < 2 {
                        err(format!("{at}.answer_type.options"), Invalid::TooFewOptions);
                    } else if options.iter().all(|o| o.points == 0) {
                        err(format!("{at}.answer_type.options"), Invalid::NoOptionEarns);
                    }
                    let mut seen = std::collections::BTreeSet::new();
                    for (k, o) in options.iter().enumerate() {
                        if !seen.insert(o.key.as_str()) {
                            err(
                                format!("{at}.answer_type.options[{k}].key"),
                                Invalid::DuplicateOption { key: o.key.clone() },
                            );
                        }
                        check_text(
                            &mut err,
                            format!("{at}.answer_type.options[{k}].label"),
                            &o.label,
                            MAX_TITLE,
                        );
                        if o.points > MAX_POINTS {
                            err(
                                format!("{at}.answer_type.options[{k}].points"),
                                Invalid::TooManyPoints { max: MAX_POINTS },
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
    errors
}

/// A text needs at least one language; neither may run past `max` characters.
fn check_text(
    err: &mut impl FnMut(String, Invalid),
    path: String,
    text: &LocalizedText,
    max: usize,
) {
    if text.en.trim().is_empty() && text.zh.trim().is_empty() {
        err(path, Invalid::Empty);
        return;
    }
    for (lang, t) in [("en", &text.en), ("zh", &text.zh)] {
        if t.chars().count() > max {
            err(format!("{path}.{lang}"), Invalid::TooLong { max });
        }
    }
}

fn check_key<'a>(
    err: &mut impl FnMut(String, Invalid),
    keys: &mut std::collections::BTreeSet<&'a str>,
    path: String,
    key: &'a str,
) {
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        err(path, Invalid::BadKey);
    } else if !keys.insert(key) {
        err(path, Invalid::DuplicateKey { key: key.into() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(s: &str) -> LocalizedText {
        LocalizedText {
            en: s.into(),
            zh: String::new(),
        }
    }

    fn yes_no(key: &str, points: u32) -> Criterion {
        Criterion {
            key: key.into(),
            title: text(key),
            guideline: LocalizedText::default(),
            answer_type: AnswerType::YesNo { points },
            allow_na: false,
            critical: None,
        }
    }

    fn section(
        key: &str,
        kind: SectionKind,
        weight: f64,
        criteria: Vec<Criterion>,
    ) -> ScorecardSection {
        ScorecardSection {
            key: key.into(),
            title: text(key),
            weight,
            kind,
            criteria,
        }
    }

    #[test]
    fn every_offered_answer_scores_and_bonus_sections_offer_no_na() {
        let definition = card();
        for section in &definition.sections {
            let bonus = section.kind == SectionKind::Bonus;
            for criterion in &section.criteria {
                for answer in criterion.offered(bonus) {
                    let answers = Answers::from([(criterion.key.clone(), answer.clone())]);
                    assert!(
                        score(&definition, &answers).is_ok(),
                        "{} offers {answer:?}, which does not score",
                        criterion.key
                    );
                }
            }
        }
        let na = Criterion {
            allow_na: true,
            ..yes_no("x", 1)
        };
        assert_eq!(
            na.offered(false),
            vec![Answer::Yes, Answer::No, Answer::NotApplicable]
        );
        assert_eq!(na.offered(true), vec![Answer::Yes, Answer::No]);
        let huge = Criterion {
            answer_type: AnswerType::Points { max: u32::MAX },
            ..yes_no("p", 0)
        };
        assert_eq!(huge.offered(false).len() as u32, MAX_POINTS + 1);
    }

    /// A: greeting (20) — a1 yes/no 2 pts, a2 scale 4 pts.
    /// B: resolution (60) — b1 points 0..10 (N/A allowed), b2 yes/no 5 pts critical fail-section,
    ///    b3 choice none 0 / partial 3 / full 6.
    /// C: compliance, all-or-nothing (20) — c1 identity check 1 pt critical fail-all, c2 1 pt.
    /// D: bonus (10) — d1 yes/no 1 pt.
    fn card() -> ScorecardDefinition {
        let labels = ["poor", "weak", "fair", "good", "great"].map(text);
        ScorecardDefinition {
            name: text("Service call"),
            pass_mark: 80.0,
            sections: vec![
                section(
                    "a",
                    SectionKind::Standard,
                    20.0,
                    vec![
                        yes_no("a1", 2),
                        Criterion {
                            answer_type: AnswerType::Scale { points: 4, labels },
                            ..yes_no("a2", 0)
                        },
                    ],
                ),
                section(
                    "b",
                    SectionKind::Standard,
                    60.0,
                    vec![
                        Criterion {
                            answer_type: AnswerType::Points { max: 10 },
                            allow_na: true,
                            ..yes_no("b1", 0)
                        },
                        Criterion {
                            critical: Some(Critical::FailSection),
                            ..yes_no("b2", 5)
                        },
                        Criterion {
                            answer_type: AnswerType::Choice {
                                options: vec![
                                    ChoiceOption {
                                        key: "none".into(),
                                        label: text("None"),
                                        points: 0,
                                    },
                                    ChoiceOption {
                                        key: "partial".into(),
                                        label: text("Partial"),
                                        points: 3,
                                    },
                                    ChoiceOption {
                                        key: "full".into(),
                                        label: text("Full"),
                                        points: 6,
                                    },
                                ],
                            },
                            ..yes_no("b3", 0)
                        },
                    ],
                ),
                section(
                    "c",
                    SectionKind::FailSection,
                    20.0,
                    vec![
                        Criterion {
                            critical: Some(Critical::FailAll),
                            ..yes_no("c1", 1)
                        },
                        yes_no("c2", 1),
                    ],
                ),
                section("d", SectionKind::Bonus, 10.0, vec![yes_no("d1", 1)]),
            ],
        }
    }

    fn answers(pairs: &[(&str, Answer)]) -> Answers {
        pairs
            .iter()
            .map(|(k, a)| (k.to_string(), a.clone()))
            .collect()
    }

    fn good() -> Answers {
        answers(&[
            ("a1", Answer::Yes),
            ("a2", Answer::Scale(4)),
            ("b1", Answer::Points(8)),
            ("b2", Answer::Yes),
            ("b3", Answer::Choice("partial".into())),
            ("c1", Answer::Yes),
            ("c2", Answer::Yes),
            ("d1", Answer::No),
        ])
    }

    fn with(mut base: Answers, key: &str, answer: Answer) -> Answers {
        base.insert(key.into(), answer);
        base
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_plain_evaluation_scores_as_computed_by_hand() {
        // A: 2 + 4·(4−1)/4 = 5 of 6.  B: 8 + 5 + 3 = 16 of 21.  C: 2 of 2.  D: 0 of 1.
        // 20·5/6 + 60·16/21 + 20·2/2 = 50/3 + 320/7 + 20 = 1310/21 + 20 = 82.38…
        let e = score(&card(), &good()).unwrap();
        assert!(
            close(e.score, 50.0 / 3.0 + 320.0 / 7.0 + 20.0),
            "{}",
            e.score
        );
        assert!(e.passed && e.complete && !e.auto_failed);
        let b = &e.sections[1];
        assert_eq!((b.earned, b.possible), (16.0, 21.0));
        assert!(close(b.contribution, 320.0 / 7.0));
    }

    #[test]
    fn not_applicable_rescales_its_section() {
        // B without b1: 5 + 3 = 8 of 11.  50/3 + 60·8/11 + 20 = 80.30…
        let e = score(&card(), &with(good(), "b1", Answer::NotApplicable)).unwrap();
        assert!(
            close(e.score, 50.0 / 3.0 + 480.0 / 11.0 + 20.0),
            "{}",
            e.score
        );
        assert_eq!(e.sections[1].criteria[0].rule, Rule::NotApplicable);
        assert_eq!(e.sections[1].possible, 11.0);
    }

    #[test]
    fn a_failed_fail_section_critical_zeroes_only_its_section() {
        // B earns 0 of 21: 50/3 + 0 + 20 = 36.67, under the pass mark.
        let e = score(&card(), &with(good(), "b2", Answer::No)).unwrap();
        assert!(close(e.score, 50.0 / 3.0 + 20.0), "{}", e.score);
        assert!(!e.passed);
        assert_eq!(
            e.sections[1].rule,
            Rule::SectionFailedBy {
                criterion: "b2".into()
            }
        );
        assert_eq!(e.sections[1].criteria[1].rule, Rule::CriticalFailSection);
        assert!(!e.auto_failed);
    }

    #[test]
    fn a_failed_fail_all_critical_zeroes_the_evaluation() {
        let e = score(
            &card(),
            &with(with(good(), "d1", Answer::Yes), "c1", Answer::No),
        )
        .unwrap();
        assert_eq!(e.score, 0.0);
        assert!(e.auto_failed && !e.passed);
        assert_eq!(
            e.sections[0].rule,
            Rule::AutoFailedBy {
                criterion: "c1".into()
            }
        );
        assert_eq!(
            e.sections[3].contribution, 0.0,
            "not even a bonus survives an auto-fail"
        );
    }

    #[test]
    fn fail_all_takes_precedence_over_fail_section_and_na() {
        let answers = with(
            with(with(good(), "b1", Answer::NotApplicable), "b2", Answer::No),
            "c1",
            Answer::No,
        );
        let e = score(&card(), &answers).unwrap();
        assert_eq!(e.score, 0.0);
        assert!(e.auto_failed);
        assert_eq!(
            e.sections[1].rule,
            Rule::SectionFailedBy {
                criterion: "b2".into()
            },
            "the section still says why it failed"
        );
    }

    #[test]
    fn an_all_or_nothing_section_earns_nothing_when_any_criterion_misses() {
        // C loses its 20: 50/3 + 320/7 = 62.38…
        let e = score(&card(), &with(good(), "c2", Answer::No)).unwrap();
        assert!(close(e.score, 50.0 / 3.0 + 320.0 / 7.0), "{}", e.score);
        assert_eq!(
            e.sections[2].rule,
            Rule::AllOrNothingMissed {
                criterion: "c2".into()
            }
        );
    }

    #[test]
    fn bonus_lifts_the_score_even_above_100() {
        let e = score(&card(), &with(good(), "d1", Answer::Yes)).unwrap();
        // The plain evaluation's 82.38… plus 100·10·(1/1)/100 = 10 points.
        assert!(
            close(e.score, 50.0 / 3.0 + 320.0 / 7.0 + 20.0 + 10.0),
            "{}",
            e.score
        );
        let perfect = answers(&[
            ("a1", Answer::Yes),
            ("a2", Answer::Scale(5)),
            ("b1", Answer::Points(10)),
            ("b2", Answer::Yes),
            ("b3", Answer::Choice("full".into())),
            ("c1", Answer::Yes),
            ("c2", Answer::Yes),
            ("d1", Answer::Yes),
        ]);
        assert!(close(score(&card(), &perfect).unwrap().score, 110.0));
    }

    #[test]
    fn a_section_with_nothing_to_score_hands_its_weight_to_the_others() {
        // Two sections of 50; the second is all N/A, so the first alone decides: 1 of 2 → 50.
        let card = ScorecardDefinition {
            name: text("x"),
            pass_mark: 50.0,
            sections: vec![
                section(
                    "s1",
                    SectionKind::Standard,
                    50.0,
                    vec![yes_no("x1", 1), yes_no("x2", 1)],
                ),
                section(
                    "s2",
                    SectionKind::Standard,
                    50.0,
                    vec![Criterion {
                        allow_na: true,
                        ..yes_no("y1", 1)
                    }],
                ),
            ],
        };
        let e = score(
            &card,
            &answers(&[
                ("x1", Answer::Yes),
                ("x2", Answer::No),
                ("y1", Answer::NotApplicable),
            ]),
        )
        .unwrap();
        assert!(close(e.score, 50.0), "{}", e.score);
        assert_eq!(e.sections[1].rule, Rule::SectionNotApplicable);
    }

    #[test]
    fn answers_that_do_not_fit_are_refused_by_name() {
        let e = score(&card(), &with(good(), "a2", Answer::Scale(6))).unwrap_err();
        assert_eq!(
            e,
            ScoreError::AnswerDoesNotFit {
                criterion: "a2".into(),
                answer: "Scale(6)".into()
            }
        );
        let e = score(&card(), &with(good(), "b2", Answer::NotApplicable)).unwrap_err();
        assert_eq!(
            e,
            ScoreError::NotApplicableRefused {
                criterion: "b2".into()
            }
        );
        let e = score(&card(), &with(good(), "b3", Answer::Choice("maybe".into()))).unwrap_err();
        assert!(matches!(e, ScoreError::AnswerDoesNotFit { criterion, .. } if criterion == "b3"));
    }

    #[test]
    fn a_missing_answer_makes_a_preview_not_a_submission() {
        let mut partial = good();
        partial.remove("b3");
        let e = score(&card(), &partial).unwrap();
        assert!(!e.complete);
        assert_eq!(e.sections[1].criteria[2].rule, Rule::Unanswered);
    }

    #[test]
    fn validation_names_the_path_and_the_reason() {
        let mut bad = card();
        bad.sections[1].weight = -5.0;
        bad.sections[2].criteria.clear();
        bad.sections[3].criteria[0].allow_na = true;
        if let AnswerType::Choice { options } = &mut bad.sections[1].criteria[2].answer_type {
            options[2].key = "partial".into();
        }
        bad.sections[0].criteria[0].title = LocalizedText {
            en: "x".repeat(MAX_TITLE + 1),
            zh: "问候".into(),
        };
        bad.sections[0].criteria[1].title = LocalizedText::default();
        let problems = validate(&bad);
        assert_eq!(
            problems[2].problem,
            Invalid::NegativeWeight,
            "a code the app can translate"
        );
        let errors: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec![
                "sections[0].criteria[0].title.en: is longer than 200 characters",
                "sections[0].criteria[1].title: must not be empty in both languages",
                "sections[1].weight: must be 0 or more",
                "sections[1].criteria[2].answer_type.options[2].key: duplicate option \"partial\"",
                "sections[2].criteria: a section needs at least one criterion",
                "sections[3].criteria[0].allow_na: bonus criteria cannot be N/A",
            ]
        );
        assert!(validate(&card()).is_empty());
        let mut huge = card();
        huge.sections[1].criteria[0].answer_type = AnswerType::Points {
            max: MAX_POINTS + 1,
        };
        assert_eq!(
            validate(&huge),
            vec![ValidationError::new(
                "sections[1].criteria[0].answer_type.max",
                Invalid::TooManyPoints { max: MAX_POINTS }
            )]
        );
    }

    #[test]
    fn unreadable_imports_say_where_the_json_broke() {
        let e = parse_definition(
            "{\"name\": {\"en\": \"x\", \"zh\": \"\"},\n \"pass_mark\": \"high\"}",
        )
        .unwrap_err();
        assert!(
            matches!(
                e.problem,
                Invalid::Unreadable {
                    line: 2,
                    column: 20,
                    ..
                }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn best_and_worst_answers_earn_all_and_nothing() {
        for c in card().sections.iter().flat_map(|s| &s.criteria) {
            assert_eq!(
                c.answer_type.earned(&c.answer_type.best()),
                Some(c.answer_type.possible()),
                "{}",
                c.key
            );
            assert_eq!(
                c.answer_type.earned(&c.answer_type.worst()),
                Some(0.0),
                "{}",
                c.key
            );
        }
    }

    #[test]
    fn a_preview_keeps_only_answers_that_still_fit() {
        let mut changed = card();
        changed.sections[0].criteria[0].answer_type = AnswerType::Points { max: 3 };
        let kept = fitting_answers(&changed, &with(good(), "b1", Answer::NotApplicable));
        assert!(
            !kept.contains_key("a1"),
            "yes is no answer to a points criterion"
        );
        assert_eq!(kept.get("b1"), Some(&Answer::NotApplicable));
        assert_eq!(kept.len(), good().len() - 1);
    }

    #[test]
    fn saves_must_start_from_the_latest_draft() {
        assert_eq!(check_save(false, 3, 3), Ok(4));
        assert_eq!(
            check_save(false, 4, 3),
            Err(EditConflict::Stale {
                yours: 3,
                current: 4
            })
        );
        assert_eq!(check_save(true, 1, 1), Err(EditConflict::Archived));
    }

    #[test]
    fn scorecards_round_trip_through_json() {
        let json = serde_json::to_string(&card()).unwrap();
        assert_eq!(
            serde_json::from_str::<ScorecardDefinition>(&json).unwrap(),
            card()
        );
    }

    fn arb_answer(key: &'static str) -> BoxedStrategy<(String, Answer)> {
        let answer = match key {
            "a1" | "b2" | "c1" | "c2" | "d1" => {
                prop_oneof![Just(Answer::Yes), Just(Answer::No)].boxed()
            }
            "a2" => (1u8..=5).prop_map(Answer::Scale).boxed(),
            "b1" => prop_oneof![
                (0u32..=10).prop_map(Answer::Points),
                Just(Answer::NotApplicable)
            ]
            .boxed(),
            _ => prop_oneof![Just("none"), Just("partial"), Just("full")]
                .prop_map(|k| Answer::Choice(k.into()))
                .boxed(),
        };
        answer.prop_map(move |a| (key.to_string(), a)).boxed()
    }

    fn arb_answers() -> impl Strategy<Value = Answers> {
        ["a1", "a2", "b1", "b2", "b3", "c1", "c2", "d1"]
            .map(arb_answer)
            .to_vec()
            .prop_map(|pairs| pairs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn without_bonus_the_score_stays_within_0_and_100(answers in arb_answers()) {
            let e = score(&card(), &with(answers, "d1", Answer::No)).unwrap();
            prop_assert!((0.0..=100.0 + 1e-9).contains(&e.score), "{}", e.score);
        }

        #[test]
        fn not_applicable_equals_removing_the_criterion(answers in arb_answers()) {
            let with_na = score(&card(), &with(answers.clone(), "b1", Answer::NotApplicable)).unwrap();
            let mut removed = card();
            removed.sections[1].criteria.remove(0);
            let mut rest = answers;
            rest.remove("b1");
            let without = score(&removed, &rest).unwrap();
            prop_assert!(close(with_na.score, without.score), "{} vs {}", with_na.score, without.score);
        }

        #[test]
        fn a_failed_fail_all_always_scores_0(answers in arb_answers()) {
            let e = score(&card(), &with(answers, "c1", Answer::No)).unwrap();
            prop_assert_eq!(e.score, 0.0);
            prop_assert!(!e.passed);
        }

        #[test]
        fn the_explanation_adds_up_to_the_score(answers in arb_answers()) {
            let e = score(&card(), &answers).unwrap();
            let sum: f64 = e.sections.iter().map(|s| s.contribution).sum();
            prop_assert!(close(sum, e.score));
            for s in &e.sections {
                prop_assert!(s.earned <= s.possible);
                if s.rule == Rule::Scored {
                    prop_assert!(close(s.criteria.iter().map(|c| c.earned).sum::<f64>(), s.earned));
                    // The fixture's non-bonus weights always total 100.
                    let expected = 100.0 * s.weight * s.earned / s.possible / 100.0;
                    prop_assert!(close(s.contribution, expected));
                }
            }
        }
    }
}
