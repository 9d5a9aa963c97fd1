//! The domain's locale-aware formats, bound to the language the user picked.

use crate::i18n::{use_i18n, Locale};
use chrono::NaiveDateTime;
use kappa_domain::display;

pub fn is_zh() -> bool {
    use_i18n().get_locale() == Locale::zh_CN
}

pub fn datetime(at: NaiveDateTime) -> String {
    display::format_datetime(at, is_zh())
}

pub fn date(day: chrono::NaiveDate) -> String {
    display::format_date(day, is_zh())
}

pub fn int(n: impl Into<i64>) -> String {
    display::format_int(n.into())
}

pub use display::format_duration as duration;

/// A label that reads inside a sentence ("stratified by team"), as a heading or a choice of its
/// own ("Team"). Chinese has no case: unchanged.
pub fn capitalized(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
