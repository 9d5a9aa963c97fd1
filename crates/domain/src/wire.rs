//! Reading the internally tagged enums (`{"type": "scale", "points": 10, …}`) without serde's
//! derive for them. That derive buffers the whole object into an intermediate tree before it
//! can look at the tag, and the buffering code cost the browser tens of KB of wasm. Here each
//! enum is read as one flat struct (tag plus every field any variant has), field by field, and
//! then checked: the JSON stays exactly as it was, so stored scorecards, exports and API clients
//! are untouched. Serializing still uses the derive (it needs no buffering).

use crate::call_query::Problem;
use crate::people::LocalizedText;
use crate::scorecard::{AnswerType, ChoiceOption, Invalid, Rule};
use crate::scorecard_edit::AnswerKind;
use serde::Deserialize;

/// What serde says for a field the variant needs but the object lacks.
fn need<T>(value: Option<T>, field: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

#[derive(Deserialize)]
pub struct AnswerTypeWire {
    #[serde(rename = "type")]
    kind: AnswerKind,
    points: Option<u32>,
    labels: Option<[LocalizedText; 5]>,
    max: Option<u32>,
    options: Option<Vec<ChoiceOption>>,
}

impl TryFrom<AnswerTypeWire> for AnswerType {
    type Error = String;

    fn try_from(w: AnswerTypeWire) -> Result<Self, String> {
        Ok(match w.kind {
            AnswerKind::YesNo => AnswerType::YesNo {
                points: need(w.points, "points")?,
            },
            AnswerKind::Scale => AnswerType::Scale {
                points: need(w.points, "points")?,
                labels: need(w.labels, "labels")?,
            },
            AnswerKind::Points => AnswerType::Points {
                max: need(w.max, "max")?,
            },
            AnswerKind::Choice => AnswerType::Choice {
                options: need(w.options, "options")?,
            },
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RuleKind {
    Scored,
    NotApplicable,
    Unanswered,
    CriticalFailSection,
    CriticalFailAll,
    SectionFailedBy,
    AllOrNothingMissed,
    AutoFailedBy,
    SectionNotApplicable,
}

#[derive(Deserialize)]
pub struct RuleWire {
    rule: RuleKind,
    criterion: Option<String>,
}

impl TryFrom<RuleWire> for Rule {
    type Error = String;

    fn try_from(w: RuleWire) -> Result<Self, String> {
        Ok(match w.rule {
            RuleKind::Scored => Rule::Scored,
            RuleKind::NotApplicable => Rule::NotApplicable,
            RuleKind::Unanswered => Rule::Unanswered,
            RuleKind::CriticalFailSection => Rule::CriticalFailSection,
            RuleKind::CriticalFailAll => Rule::CriticalFailAll,
            RuleKind::SectionFailedBy => Rule::SectionFailedBy {
                criterion: need(w.criterion, "criterion")?,
            },
            RuleKind::AllOrNothingMissed => Rule::AllOrNothingMissed {
                criterion: need(w.criterion, "criterion")?,
            },
            RuleKind::AutoFailedBy => Rule::AutoFailedBy {
                criterion: need(w.criterion, "criterion")?,
            },
            RuleKind::SectionNotApplicable => Rule::SectionNotApplicable,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum InvalidCode {
    Empty,
    TooLong,
    PassMarkRange,
    NoSections,
    NoWeightedSection,
    NegativeWeight,
    WeightTooLarge,
    NoCriteria,
    BadKey,
    DuplicateKey,
    BonusNotApplicable,
    BonusCritical,
    ZeroPoints,
    TooManyPoints,
    TooFewOptions,
    NoOptionEarns,
    DuplicateOption,
    Unreadable,
}

#[derive(Deserialize)]
pub struct InvalidWire {
    code: InvalidCode,
    max: Option<u32>,
    key: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    detail: Option<String>,
}

impl TryFrom<InvalidWire> for Invalid {
    type Error = String;

    fn try_from(w: InvalidWire) -> Result<Self, String> {
        use InvalidCode as C;
        Ok(match w.code {
            C::Empty => Invalid::Empty,
            C::TooLong => Invalid::TooLong {
                max: need(w.max, "max")? as usize,
            },
            C::PassMarkRange => Invalid::PassMarkRange,
            C::NoSections => Invalid::NoSections,
            C::NoWeightedSection => Invalid::NoWeightedSection,
            C::NegativeWeight => Invalid::NegativeWeight,
            C::WeightTooLarge => Invalid::WeightTooLarge {
                max: need(w.max, "max")?,
            },
            C::NoCriteria => Invalid::NoCriteria,
            C::BadKey => Invalid::BadKey,
            C::DuplicateKey => Invalid::DuplicateKey {
                key: need(w.key, "key")?,
            },
            C::BonusNotApplicable => Invalid::BonusNotApplicable,
            C::BonusCritical => Invalid::BonusCritical,
            C::ZeroPoints => Invalid::ZeroPoints,
            C::TooManyPoints => Invalid::TooManyPoints {
                max: need(w.max, "max")?,
            },
            C::TooFewOptions => Invalid::TooFewOptions,
            C::NoOptionEarns => Invalid::NoOptionEarns,
            C::DuplicateOption => Invalid::DuplicateOption {
                key: need(w.key, "key")?,
            },
            C::Unreadable => Invalid::Unreadable {
                line: need(w.line, "line")?,
                column: need(w.column, "column")?,
                detail: need(w.detail, "detail")?,
            },
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ProblemKind {
    NotADate,
    NotANumber,
    NotOneOf,
    OutOfRange,
    BelowMinimum,
    Contradicts,
    Length,
    Characters,
    NoSuchTeam,
    Required,
    NoPublishedScorecard,
    NotAReviewer,
    NoSuchCall,
    NotInFuture,
    TooFarAhead,
    NotOnScorecard,
    OtherAgent,
    Incomplete,
    Taken,
}

#[derive(Deserialize)]
pub struct ProblemWire {
    kind: ProblemKind,
    allowed: Option<Allowed>,
    min: Option<u32>,
    max: Option<u32>,
    other: Option<String>,
    days: Option<u32>,
    missing: Option<Vec<String>>,
}

/// `allowed` is a list of values for `not_one_of` and a description of characters for
/// `characters`: told apart by their JSON type, without buffering.
enum Allowed {
    Values(Vec<String>),
    Characters(String),
}

impl<'de> Deserialize<'de> for Allowed {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = Allowed;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text or a list of texts")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Allowed, E> {
                Ok(Allowed::Characters(text.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Allowed, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element()? {
                    values.push(value);
                }
                Ok(Allowed::Values(values))
            }
        }
        deserializer.deserialize_any(Either)
    }
}

impl TryFrom<ProblemWire> for Problem {
    type Error = String;

    fn try_from(w: ProblemWire) -> Result<Self, String> {
        let wrong = || "field `allowed` has the wrong type".to_string();
        Ok(match w.kind {
            ProblemKind::NotADate => Problem::NotADate,
            ProblemKind::NotANumber => Problem::NotANumber,
            ProblemKind::NotOneOf => match need(w.allowed, "allowed")? {
                Allowed::Values(allowed) => Problem::NotOneOf { allowed },
                Allowed::Characters(_) => return Err(wrong()),
            },
            ProblemKind::OutOfRange => Problem::OutOfRange {
                min: need(w.min, "min")?,
                max: need(w.max, "max")?,
            },
            ProblemKind::BelowMinimum => Problem::BelowMinimum {
                min: need(w.min, "min")?,
            },
            ProblemKind::Contradicts => Problem::Contradicts {
                other: need(w.other, "other")?,
            },
            ProblemKind::Length => Problem::Length {
                min: need(w.min, "min")?,
                max: need(w.max, "max")?,
            },
            ProblemKind::Characters => match need(w.allowed, "allowed")? {
                Allowed::Characters(allowed) => Problem::Characters { allowed },
                Allowed::Values(_) => return Err(wrong()),
            },
            ProblemKind::NoSuchTeam => Problem::NoSuchTeam,
            ProblemKind::Required => Problem::Required,
            ProblemKind::NoPublishedScorecard => Problem::NoPublishedScorecard,
            ProblemKind::NotAReviewer => Problem::NotAReviewer,
            ProblemKind::NoSuchCall => Problem::NoSuchCall,
            ProblemKind::NotInFuture => Problem::NotInFuture,
            ProblemKind::TooFarAhead => Problem::TooFarAhead {
                days: need(w.days, "days")?,
            },
            ProblemKind::NotOnScorecard => Problem::NotOnScorecard,
            ProblemKind::OtherAgent => Problem::OtherAgent,
            ProblemKind::Incomplete => Problem::Incomplete {
                missing: need(w.missing, "missing")?,
            },
            ProblemKind::Taken => Problem::Taken,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::json;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(
        values: Vec<T>,
    ) {
        for value in values {
            let text = serde_json::to_string(&value).unwrap();
            assert_eq!(serde_json::from_str::<T>(&text).unwrap(), value, "{text}");
        }
    }

    #[test]
    fn every_variant_reads_back_what_it_wrote() {
        let text = |s: &str| LocalizedText {
            en: s.into(),
            zh: s.into(),
        };
        round_trip(vec![
            AnswerType::YesNo { points: 3 },
            AnswerType::Scale {
                points: 10,
                labels: ["1", "2", "3", "4", "5"].map(text),
            },
            AnswerType::Points { max: 7 },
            AnswerType::Choice {
                options: vec![ChoiceOption {
                    key: "a".into(),
                    label: text("A"),
                    points: 2,
                }],
            },
        ]);
        let c = || "greet".to_string();
        round_trip(vec![
            Rule::Scored,
            Rule::NotApplicable,
            Rule::Unanswered,
            Rule::CriticalFailSection,
            Rule::CriticalFailAll,
            Rule::SectionFailedBy { criterion: c() },
            Rule::AllOrNothingMissed { criterion: c() },
            Rule::AutoFailedBy { criterion: c() },
            Rule::SectionNotApplicable,
        ]);
        round_trip(vec![
            Invalid::Empty,
            Invalid::TooLong { max: 80 },
            Invalid::PassMarkRange,
            Invalid::NoSections,
            Invalid::NoWeightedSection,
            Invalid::NegativeWeight,
            Invalid::WeightTooLarge { max: 1000 },
            Invalid::NoCriteria,
            Invalid::BadKey,
            Invalid::DuplicateKey { key: c() },
            Invalid::BonusNotApplicable,
            Invalid::BonusCritical,
            Invalid::ZeroPoints,
            Invalid::TooManyPoints { max: 100 },
            Invalid::TooFewOptions,
            Invalid::NoOptionEarns,
            Invalid::DuplicateOption { key: c() },
            Invalid::Unreadable {
                line: 3,
                column: 9,
                detail: "expected `,`".into(),
            },
        ]);
        round_trip(vec![
            Problem::NotADate,
            Problem::NotANumber,
            Problem::NotOneOf {
                allowed: vec!["in".into(), "out".into()],
            },
            Problem::OutOfRange { min: 1, max: 5 },
            Problem::BelowMinimum { min: 0 },
            Problem::Contradicts {
                other: "dur_min=300".into(),
            },
            Problem::Length { min: 3, max: 64 },
            Problem::Characters {
                allowed: "a-z, 0-9".into(),
            },
            Problem::NoSuchTeam,
            Problem::Required,
            Problem::NoPublishedScorecard,
            Problem::NotAReviewer,
            // Every kind crosses the wire: the browser reads each refusal the server sends.
            Problem::NoSuchCall,
            Problem::NotInFuture,
            Problem::TooFarAhead { days: 30 },
            Problem::NotOnScorecard,
            Problem::OtherAgent,
            Problem::Incomplete {
                missing: vec!["greeting".into()],
            },
            Problem::Taken,
        ]);
    }

    #[test]
    fn the_json_is_the_internally_tagged_form() {
        assert_eq!(
            serde_json::to_value(AnswerType::Points { max: 7 }).unwrap(),
            json!({"type": "points", "max": 7})
        );
        assert_eq!(
            serde_json::from_value::<Rule>(json!({"criterion": "id", "rule": "auto_failed_by"}))
                .unwrap(),
            Rule::AutoFailedBy {
                criterion: "id".into()
            }
        );
        assert_eq!(
            serde_json::from_value::<Invalid>(json!({"code": "too_long", "max": 80})).unwrap(),
            Invalid::TooLong { max: 80 }
        );
    }

    #[test]
    fn a_missing_or_mistyped_field_is_refused_with_its_name() {
        let err = serde_json::from_str::<AnswerType>(r#"{"type": "scale", "points": 10}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing field `labels`"), "{err}");
        let err = serde_json::from_str::<AnswerType>(r#"{"type": "stars", "points": 10}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown variant `stars`"), "{err}");
        let err = serde_json::from_str::<Problem>(r#"{"kind": "characters", "allowed": ["a"]}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("allowed"), "{err}");
        assert!(serde_json::from_str::<Rule>(r#"{"rule": "section_failed_by"}"#).is_err());
    }
}
