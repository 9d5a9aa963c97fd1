//! The centre's own vocabulary: the queues (skill groups, 技能组) its calls come through and the
//! outcomes (dispositions) its agents close them with. Each centre names its own; a call keeps
//! the term's code, so renaming a term relabels every call, and retiring one takes it out of
//! the pickers for new work while the calls and plans that name it keep their label.

use crate::coded;
use crate::people::LocalizedText;
use serde::{Deserialize, Serialize};

coded!(
    /// What a term names.
    pub enum TermKind {
        /// The queue or skill group a call came through: what the customer called about.
        Queue => "queue",
        /// How the agent closed the call.
        Disposition => "disposition",
    }
);

/// Longest code: the key a platform exports (`bookings`, `sg-0042`).
pub const MAX_TERM_CODE: usize = 40;
/// Longest name in either language, as a picker shows it.
pub const MAX_TERM_NAME: usize = 60;
/// Most terms of one kind: beyond this a picker is no longer a way to choose.
pub const MAX_TERMS_PER_KIND: usize = 300;

/// One queue or outcome of the centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub kind: TermKind,
    /// Unique within its kind; what calls, filters and sampling plans keep.
    pub code: String,
    pub name: LocalizedText,
    /// Retired terms label the calls that name them but are offered for nothing new.
    pub active: bool,
    /// Counts edits, so a stale one is refused.
    pub revision: u32,
}

/// Every term of the centre, in the order pickers offer them (by kind, then as defined).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vocabulary {
    pub terms: Vec<Term>,
}

impl Vocabulary {
    pub fn of(&self, kind: TermKind) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(move |t| t.kind == kind)
    }

    /// The terms a picker offers for new work, plus `keep`: the value already chosen, so an
    /// edit of a plan that names a retired queue does not silently drop it.
    pub fn offered<'a>(
        &'a self,
        kind: TermKind,
        keep: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Term> {
        self.of(kind)
            .filter(move |t| t.active || Some(t.code.as_str()) == keep)
    }

    pub fn find(&self, kind: TermKind, code: &str) -> Option<&Term> {
        self.of(kind).find(|t| t.code == code)
    }

    /// The term's name in the reader's language; the code itself for a code the centre never
    /// defined (a call imported before its queue was named), so nothing shows blank.
    pub fn name<'a>(&'a self, kind: TermKind, code: &'a str, zh: bool) -> &'a str {
        self.find(kind, code)
            .map(|t| t.name.pick(zh))
            .filter(|n| !n.is_empty())
            .unwrap_or(code)
    }
}

/// A new term, as an administrator defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTerm {
    pub kind: TermKind,
    pub code: String,
    pub name: LocalizedText,
}

/// A term's new name and state, with the revision the editor read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermEdit {
    pub name: LocalizedText,
    pub active: bool,
    pub revision: u32,
}

/// What is wrong with a term code: its length, or characters other than lower-case letters,
/// digits, `.`, `_` and `-` (codes go in addresses and files unescaped, and one spelling per
/// code means no case variants).
pub fn term_code_problem(code: &str) -> Option<crate::Problem> {
    if !(1..=MAX_TERM_CODE).contains(&code.chars().count()) {
        Some(crate::Problem::Length {
            min: 1,
            max: MAX_TERM_CODE as u32,
        })
    } else if !code
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
    {
        Some(crate::Problem::Characters {
            allowed: "a-z 0-9 . _ -".into(),
        })
    } else {
        None
    }
}

/// A code made from a source's own name for a term (`After-sales` → `after-sales`; a name with
/// no Latin letters or digits, such as `售后技能组`, → `queue-7`), unique among `taken`.
pub fn suggested_code(kind: TermKind, name: &str, taken: &Vocabulary) -> String {
    let mut slug = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty()
            && !slug.ends_with('-')
            && (c.is_whitespace() || "-_./".contains(c))
        {
            slug.push('-');
        }
    }
    let slug: String = slug
        .trim_end_matches('-')
        .chars()
        .take(MAX_TERM_CODE - 6)
        .collect();
    let free = |code: &str| taken.find(kind, code).is_none();
    if !slug.is_empty() && free(&slug) {
        return slug;
    }
    let stem = if slug.is_empty() {
        kind.code().to_string()
    } else {
        slug
    };
    (2..)
        .map(|n| format!("{stem}-{n}"))
        .find(|code| free(code))
        .expect("some number is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(kind: TermKind, code: &str, en: &str, zh: &str) -> Term {
        Term {
            kind,
            code: code.into(),
            name: LocalizedText {
                en: en.into(),
                zh: zh.into(),
            },
            active: true,
            revision: 1,
        }
    }

    fn demo() -> Vocabulary {
        Vocabulary {
            terms: vec![
                term(TermKind::Queue, "bookings", "Bookings", "预订"),
                term(TermKind::Queue, "changes", "Changes", "改签"),
                term(TermKind::Queue, "refunds", "Refunds", "退款"),
                term(TermKind::Disposition, "resolved", "Resolved", "已解决"),
            ],
        }
    }

    #[test]
    fn a_name_falls_back_to_the_other_language_then_to_the_code() {
        let mut v = demo();
        v.terms[0].name.zh.clear();
        assert_eq!(v.name(TermKind::Queue, "bookings", true), "Bookings");
        assert_eq!(v.name(TermKind::Queue, "changes", true), "改签");
        assert_eq!(v.name(TermKind::Queue, "sg-9", false), "sg-9");
        // A queue's code names no outcome.
        assert_eq!(v.name(TermKind::Disposition, "bookings", false), "bookings");
    }

    #[test]
    fn retired_terms_are_offered_only_where_already_chosen() {
        let mut v = demo();
        v.terms[1].active = false;
        let offered = |keep| {
            v.offered(TermKind::Queue, keep)
                .map(|t| t.code.as_str())
                .collect::<Vec<_>>()
        };
        assert!(!offered(None).contains(&"changes"));
        assert!(offered(Some("changes")).contains(&"changes"));
        assert_eq!(offered(None), vec!["bookings", "refunds"]);
    }

    #[test]
    fn codes_are_lower_case_keys() {
        assert_eq!(term_code_problem("sg-0042"), None);
        assert!(matches!(
            term_code_problem("Bookings"),
            Some(crate::Problem::Characters { .. })
        ));
        assert!(matches!(
            term_code_problem("售后"),
            Some(crate::Problem::Characters { .. })
        ));
        assert!(matches!(
            term_code_problem(""),
            Some(crate::Problem::Length { .. })
        ));
        assert!(term_code_problem(&"a".repeat(MAX_TERM_CODE + 1)).is_some());
    }

    #[test]
    fn suggested_codes_are_valid_and_free() {
        let v = demo();
        assert_eq!(
            suggested_code(TermKind::Queue, " After-sales / VIP ", &v),
            "after-sales-vip"
        );
        assert_eq!(suggested_code(TermKind::Queue, "售后技能组", &v), "queue-2");
        assert_eq!(
            suggested_code(TermKind::Queue, "Bookings", &v),
            "bookings-2"
        );
        // Another kind's code is free.
        assert_eq!(
            suggested_code(TermKind::Disposition, "Bookings", &v),
            "bookings"
        );
        for name in ["A_B", "x".repeat(200).as_str(), "--", "Ünïcode 1"] {
            let code = suggested_code(TermKind::Queue, name, &v);
            assert_eq!(term_code_problem(&code), None, "{name:?} → {code:?}");
        }
    }
}
