//! Closed sets of values, each value with one spelling (its code) used everywhere it goes: JSON,
//! URLs, SQL columns, form values and i18n keys. [`coded!`] declares such a set once; the serde
//! names, `code`, `parse` and `ALL` all come from the one table, so no layer can spell a value
//! its own way, and the round-trip tests cover every variant of every set.

/// A closed set of values with stable codes.
pub trait Coded: Sized + Copy + PartialEq + std::fmt::Debug + 'static {
    /// Every value, in the order forms offer them.
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn parse(code: &str) -> Option<Self>;
}

/// Declares a closed set: `coded!(pub enum Direction { Inbound => "inbound", … });`, with the
/// enum's docs and extra derives before `pub`, and a variant's docs (or `#[default]`) before it.
/// Exported so that the server's own sets (the sign-in throttle's scopes) are spelled the same
/// way; the crate using it needs `serde`.
#[macro_export]
macro_rules! coded {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl $crate::code::Coded for $name {
            fn all() -> &'static [Self] {
                &Self::ALL
            }

            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn parse(code: &str) -> Option<Self> {
                $name::parse(code)
            }
        }
    };
}

/// Calls `each` with every coded set the domain declares, by name: the one list the round-trip
/// tests walk (here, and through SQL in the server's), so a new set is covered by adding it here.
#[macro_export]
macro_rules! for_each_coded_set {
    ($each:ident) => {
        $each::<$crate::Role>("Role");
        $each::<$crate::Direction>("Direction");
        $each::<$crate::vocabulary::TermKind>("TermKind");
        $each::<$crate::Language>("Language");
        $each::<$crate::call::Speaker>("Speaker");
        $each::<$crate::SortField>("SortField");
        $each::<$crate::SortDir>("SortDir");
        $each::<$crate::plan::Recurrence>("Recurrence");
        $each::<$crate::plan::AssignmentStatus>("AssignmentStatus");
        $each::<$crate::plan::PlanStatus>("PlanStatus");
        $each::<$crate::plan::QueueShow>("QueueShow");
        $each::<$crate::sampling::StratumField>("StratumField");
        $each::<$crate::sampling::Allocation>("Allocation");
        $each::<$crate::sampling::Rule>("Rule");
        $each::<$crate::sampling::StrategyKind>("StrategyKind");
        $each::<$crate::scorecard::SectionKind>("SectionKind");
        $each::<$crate::scorecard::Critical>("Critical");
        $each::<$crate::scorecard_edit::AnswerKind>("AnswerKind");
        $each::<$crate::calibration::Visibility>("Visibility");
        $each::<$crate::review::ScoreEventKind>("ScoreEventKind");
        $each::<$crate::review::DisputeView>("DisputeView");
        $each::<$crate::review::FeedbackFilter>("FeedbackFilter");
    };
}

#[cfg(test)]
mod tests {
    use super::Coded;
    use crate::scorecard::AnswerType;
    use crate::scorecard_edit::AnswerKind;
    use serde::{de::DeserializeOwned, Serialize};

    fn round_trips<T: Coded + Serialize + DeserializeOwned>(set: &str) {
        let all = T::all();
        assert!(!all.is_empty(), "{set}");
        let mut seen = std::collections::HashSet::new();
        for &value in all {
            let code = value.code();
            assert!(seen.insert(code), "{set}: {code:?} twice");
            assert!(
                !code.is_empty()
                    && code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{set}: {code:?} is not snake_case"
            );
            assert_eq!(T::parse(code), Some(value), "{set}: parse({code:?})");
            let json = serde_json::to_value(value).unwrap();
            assert_eq!(
                json,
                serde_json::Value::String(code.into()),
                "{set}: JSON of {value:?}"
            );
            assert_eq!(
                serde_json::from_value::<T>(json).unwrap(),
                value,
                "{set}: from JSON"
            );
        }
        assert_eq!(T::parse("no_such_code"), None, "{set}");
    }

    #[test]
    fn every_value_of_every_coded_set_round_trips_through_its_code_and_json() {
        for_each_coded_set!(round_trips);
    }

    #[test]
    fn a_strategy_is_tagged_with_its_kind_s_code() {
        use crate::sampling::{Allocation, Strategy, StratumField};
        let strategies = [
            Strategy::PerAgent { n: 2 },
            Strategy::Total { n: 20 },
            Strategy::Stratified {
                by: StratumField::Queue,
                allocation: Allocation::Equal,
                n: 12,
            },
            Strategy::Targeted {
                n: 10,
                complaints_pct: 30,
                low_csat_pct: 30,
            },
        ];
        assert_eq!(strategies.len(), crate::sampling::StrategyKind::ALL.len());
        for strategy in strategies {
            let json = serde_json::to_value(&strategy).unwrap();
            let tag = json.as_object().and_then(|o| o.keys().next().cloned());
            assert_eq!(tag.as_deref(), Some(strategy.kind().code()), "{json}");
        }
    }

    #[test]
    fn an_answer_type_is_tagged_with_its_kind_s_code_and_loads_back() {
        let yes_no = AnswerType::YesNo { points: 3 };
        for kind in AnswerKind::ALL {
            let answer_type = kind.starter(&yes_no);
            assert_eq!(AnswerKind::of(&answer_type), kind);
            let json = serde_json::to_value(&answer_type).unwrap();
            assert_eq!(json["type"], kind.code(), "{json}");
            let back: AnswerType = serde_json::from_value(json).unwrap();
            assert_eq!(back, answer_type);
        }
    }
}
