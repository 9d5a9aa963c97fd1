//! Reading one value: the times, durations, directions, flags and satisfaction answers that
//! platforms and spreadsheets write in many ways, each read the one way Kappa keeps it.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime};
use kappa_domain::call::{Direction, Language};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A moment as the source wrote it: with its offset (so known in UTC), or a wall-clock time
/// in the source's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    Utc(NaiveDateTime),
    Local(NaiveDateTime),
}

/// Days from Excel's day 0 (it counts 1900 as a leap year, so its day 60 is the phantom
/// 29 February: serials from 61 on count from 30 December 1899).
fn excel_epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

/// A date and time in any of the forms exports use: ISO-8601 with an offset or `Z`, RFC 2822
/// (Twilio's API), a wall-clock time (`2026-11-03 09:15:00`, `2026/11/3 9:15`,
/// `2026年11月3日 09:15`, `11/03/2026 9:15 AM`, `20261103091500`), Unix seconds or milliseconds,
/// or an Excel serial date. A date with its year last is read month first (`11/03/2026`, as
/// US platforms write it) unless `day_first` (`03/11/2026`, as British and Hong Kong ones do).
pub fn parse_moment(text: &str, day_first: bool) -> Option<Moment> {
    // A year outside these is a misread (`11/3/26` as the year 11), not a call.
    parse_any_moment(text, day_first).filter(|m| {
        let at = match m {
            Moment::Utc(at) | Moment::Local(at) => at,
        };
        (1970..=2100).contains(&at.year())
    })
}

fn parse_any_moment(text: &str, day_first: bool) -> Option<Moment> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return numeric_moment(text);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(Moment::Utc(at.naive_utc()));
    }
    if let Ok(at) = DateTime::parse_from_rfc2822(text) {
        return Some(Moment::Utc(at.naive_utc()));
    }
    for form in [
        "%Y-%m-%d %H:%M:%S%.f%#z",
        "%Y-%m-%d %H:%M:%S%.f %#z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
    ] {
        if let Ok(at) = DateTime::parse_from_str(text, form) {
            return Some(Moment::Utc(at.naive_utc()));
        }
    }
    // The date's separators become dashes; the time's (a decimal point among them) stay.
    let spaced = text.replace('日', " ").replacen('T', " ", 1);
    let (date, time) = spaced.split_once(' ').unwrap_or((&spaced, ""));
    let plain = format!(
        "{} {}",
        date.replace(['/', '年', '月', '.'], "-"),
        time.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let year_last = if day_first { "%d-%m-%Y" } else { "%m-%d-%Y" };
    for form in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(&plain, form) {
            return Some(Moment::Local(at));
        }
    }
    for time in [" %H:%M:%S", " %H:%M", " %I:%M:%S %p", " %I:%M %p"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(&plain, &format!("{year_last}{time}")) {
            return Some(Moment::Local(at));
        }
    }
    None
}

/// `20261103091500`, Unix seconds (from 1973) or milliseconds, or an Excel serial (1902–2173).
fn numeric_moment(text: &str) -> Option<Moment> {
    for (digits, form) in [(14, "%Y%m%d%H%M%S"), (12, "%Y%m%d%H%M")] {
        if text.len() == digits && !text.contains('.') {
            if let Ok(at) = NaiveDateTime::parse_from_str(text, form) {
                return Some(Moment::Local(at));
            }
        }
    }
    let n: f64 = text.parse().ok()?;
    let utc = |ms: f64| DateTime::from_timestamp_millis(ms.round() as i64).map(|d| d.naive_utc());
    if n >= 1e11 {
        utc(n).map(Moment::Utc)
    } else if n >= 1e8 {
        utc(n * 1000.0).map(Moment::Utc)
    } else if (1000.0..100_000.0).contains(&n) {
        let seconds = (n * 86_400.0).round() as i64;
        Some(Moment::Local(excel_epoch() + Duration::seconds(seconds)))
    } else {
        None
    }
}

kappa_domain::coded!(
    /// How a duration column counts.
    #[derive(Default)]
    pub enum DurationUnit {
        /// Seconds, or `hh:mm:ss` / `mm:ss` where the value has colons, or an Excel day
        /// fraction where it is a number below one.
        #[default]
        Auto => "auto",
        Seconds => "seconds",
        Milliseconds => "milliseconds",
        ExcelDays => "excel_days",
    }
);

/// The longest call Kappa takes: a day.
pub const MAX_DURATION_S: i64 = 86_400;

/// A duration in whole seconds; a negative one is `Err(true)`, an unreadable one `Err(false)`.
pub fn parse_duration(text: &str, unit: DurationUnit) -> Result<i64, bool> {
    let text = text.trim();
    if text.contains(':') {
        let mut seconds = 0f64;
        let parts: Vec<&str> = text.split(':').collect();
        if parts.len() > 3 {
            return Err(false);
        }
        for part in parts {
            let part: f64 = part.trim().parse().map_err(|_| false)?;
            if !part.is_finite() {
                return Err(false);
            }
            if part < 0.0 {
                return Err(true);
            }
            seconds = seconds * 60.0 + part;
        }
        return Ok(seconds.round() as i64);
    }
    let n: f64 = text.parse().map_err(|_| false)?;
    if !n.is_finite() {
        return Err(false);
    }
    if n < 0.0 {
        return Err(true);
    }
    let seconds = match unit {
        DurationUnit::Seconds => n,
        DurationUnit::Milliseconds => n / 1000.0,
        DurationUnit::ExcelDays => n * 86_400.0,
        DurationUnit::Auto if n < 1.0 && text.contains('.') => n * 86_400.0,
        DurationUnit::Auto => n,
    };
    Ok(seconds.round() as i64)
}

/// A value as the value tables compare it: trimmed and lower case.
pub fn value_key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// The usual spellings of a direction, in both languages and as platforms code them.
pub fn direction(text: &str) -> Option<Direction> {
    match value_key(text).as_str() {
        "inbound" | "in" | "incoming" | "i" | "1" | "呼入" | "来电" | "入" | "transfer"
        | "queue_transfer" => Some(Direction::Inbound),
        "outbound" | "out" | "outgoing" | "o" | "2" | "呼出" | "外呼" | "去电" | "出"
        | "outbound-api" | "outbound-dial" | "callback" | "api" => Some(Direction::Outbound),
        _ => None,
    }
}

/// Yes and no as exports write them; `None` for anything else.
pub fn flag(text: &str) -> Option<bool> {
    match value_key(text).as_str() {
        "1" | "true" | "yes" | "y" | "t" | "是" | "有" | "投诉" | "complaint" => Some(true),
        "0" | "false" | "no" | "n" | "f" | "否" | "无" | "" => Some(false),
        _ => None,
    }
}

/// The satisfaction words surveys use, onto the 1–5 score.
pub const SATISFACTION_WORDS: [(&str, u8); 12] = [
    ("非常满意", 5),
    ("很满意", 5),
    ("满意", 4),
    ("一般", 3),
    ("不满意", 2),
    ("很不满意", 1),
    ("非常不满意", 1),
    ("very satisfied", 5),
    ("satisfied", 4),
    ("neutral", 3),
    ("dissatisfied", 2),
    ("very dissatisfied", 1),
];

/// A language as exports name it.
pub fn language(text: &str) -> Option<Language> {
    match value_key(text).as_str() {
        "zh" | "zh-cn" | "cmn" | "中文" | "普通话" | "汉语" | "chinese" | "mandarin" => {
            Some(Language::Zh)
        }
        "en" | "en-us" | "en-gb" | "英文" | "英语" | "english" => Some(Language::En),
        _ => None,
    }
}

/// A caller's number as Kappa keeps it when the source masks numbers: the last four digits to
/// show, and a salted hash of all of them, so that a repeat caller can still be found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskedNumber {
    pub shown: String,
    pub hash: String,
}

pub fn mask_number(number: &str, salt: &str) -> MaskedNumber {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let last: String = digits
        .chars()
        .skip(digits.chars().count().saturating_sub(4))
        .collect();
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update([0]);
    hasher.update(digits.as_bytes());
    let hash = hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    MaskedNumber {
        shown: format!("****{last}"),
        hash,
    }
}

/// A file's SHA-256 in hex: what an import is known by (the browser's copy in the static demo;
/// the server hashes what it receives as it arrives).
pub fn file_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
    }

    #[test]
    fn every_time_form() {
        let local = Moment::Local(at(2026, 11, 3, 9, 15, 0));
        let utc = Moment::Utc(at(2026, 11, 3, 1, 15, 0));
        for text in [
            "2026-11-03 09:15:00",
            "2026-11-03T09:15:00",
            "2026/11/3 9:15",
            "2026/11/03 09:15:00.000",
            "2026年11月3日 09:15:00",
            "2026.11.03 09:15",
            "11/03/2026 9:15 AM",
            "11/3/2026 09:15:00",
            "20261103091500",
            "202611030915",
        ] {
            assert_eq!(parse_moment(text, false), Some(local), "{text}");
        }
        for text in [
            "2026-11-03T09:15:00+08:00",
            "2026-11-03T09:15:00+0800",
            "2026-11-03T01:15:00Z",
            "2026-11-03T01:15:00.000Z",
            "2026-11-03 09:15:00+0800",
            "Tue, 03 Nov 2026 01:15:00 +0000",
            "1793668500",
            "1793668500000",
        ] {
            assert_eq!(parse_moment(text, false), Some(utc), "{text}");
        }
        // Excel: 46,329 is 3 November 2026; a quarter past nine is 0.3854166… of a day.
        assert_eq!(parse_moment("46329.385416667", false), Some(local));
        // Day first, as British and Hong Kong exports write it; year-first dates are unchanged.
        for text in [
            "03/11/2026 09:15",
            "3/11/2026 9:15:00 AM",
            "2026/11/03 09:15",
        ] {
            assert_eq!(parse_moment(text, true), Some(local), "{text}");
        }
        assert!(parse_moment("31/12/2026 10:00", true).is_some());
        for bad in [
            "",
            "yesterday",
            "2026-13-03 09:15",
            "2026-11-03",
            "12",
            "31/12/2026 10:00",
            // Two-digit years and years no call has: refused, not misread.
            "11/3/26 9:15",
            "26/11/03 09:15",
            "-262143-01-01 00:00:00",
            "+262142-12-31 23:59:59+00:00",
        ] {
            assert_eq!(parse_moment(bad, false), None, "{bad}");
        }
    }

    #[test]
    fn every_duration_form() {
        assert_eq!(parse_duration("245", DurationUnit::Auto), Ok(245));
        assert_eq!(parse_duration("245.4", DurationUnit::Seconds), Ok(245));
        assert_eq!(parse_duration("00:04:05", DurationUnit::Auto), Ok(245));
        assert_eq!(parse_duration("4:05", DurationUnit::Auto), Ok(245));
        assert_eq!(parse_duration("1:02:03", DurationUnit::Seconds), Ok(3723));
        assert_eq!(
            parse_duration("245000", DurationUnit::Milliseconds),
            Ok(245)
        );
        // 245 s is 0.0028356… of a day.
        assert_eq!(parse_duration("0.002835648", DurationUnit::Auto), Ok(245));
        assert_eq!(
            parse_duration("0.002835648", DurationUnit::ExcelDays),
            Ok(245)
        );
        assert_eq!(parse_duration("-3", DurationUnit::Auto), Err(true));
        assert_eq!(parse_duration("abc", DurationUnit::Auto), Err(false));
        assert_eq!(parse_duration("1:2:3:4", DurationUnit::Auto), Err(false));
        assert_eq!(parse_duration("nan:00", DurationUnit::Auto), Err(false));
    }

    #[test]
    fn directions_flags_and_languages() {
        for inbound in ["呼入", "Inbound", "IN", "1", "TRANSFER"] {
            assert_eq!(direction(inbound), Some(Direction::Inbound), "{inbound}");
        }
        for outbound in ["呼出", "外呼", "outbound-api", "out", "2"] {
            assert_eq!(direction(outbound), Some(Direction::Outbound), "{outbound}");
        }
        assert_eq!(direction("internal"), None);
        assert_eq!(flag("是"), Some(true));
        assert_eq!(flag(" N "), Some(false));
        assert_eq!(flag("maybe"), None);
        assert_eq!(language("普通话"), Some(Language::Zh));
        assert_eq!(language("English"), Some(Language::En));
    }

    #[test]
    fn masking_keeps_four_digits_and_a_stable_salted_hash() {
        let a = mask_number("+86 138-0013-8000", "centre salt");
        assert_eq!(a.shown, "****8000");
        assert_eq!(a.hash.len(), 32);
        assert_eq!(a, mask_number("8613800138000", "centre salt"));
        assert_ne!(a.hash, mask_number("8613800138000", "other salt").hash);
        assert_ne!(a.hash, mask_number("8613800138001", "centre salt").hash);
    }
}
