//! How numbers, dates and durations are written in each language. Pure, so both the SPA and
//! the tests use the very same rules.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Whole numbers with thousands separators (both locales group by three with a comma).
pub fn format_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// A ratio as a percentage with one decimal: 0.8765 → "87.7%".
pub fn format_percent(ratio: f64) -> String {
    // Round half away from zero on the tenth, as people expect (87.65 → 87.7).
    format!("{:.1}%", (ratio * 1000.0).round() / 10.0)
}

/// Points as people write them: whole numbers bare, otherwise at most two decimals (2.6667 → "2.67").
pub fn format_points(points: f64) -> String {
    let text = format!("{:.2}", (points * 100.0).round() / 100.0);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// 26 Nov 2026 / 2026年11月26日
pub fn format_date(date: NaiveDate, zh: bool) -> String {
    if zh {
        format!("{}年{}月{}日", date.year(), date.month(), date.day())
    } else {
        format!(
            "{} {} {}",
            date.day(),
            MONTHS_EN[date.month0() as usize],
            date.year()
        )
    }
}

/// A chart axis's short label for a period starting on `date`: 26 Nov / 11月26日 for a day or
/// a week, Nov / 11月 for a month.
pub fn format_period_start(date: NaiveDate, month: bool, zh: bool) -> String {
    let name = MONTHS_EN[date.month0() as usize];
    match (month, zh) {
        (true, true) => format!("{}月", date.month()),
        (true, false) => name.to_string(),
        (false, true) => format!("{}月{}日", date.month(), date.day()),
        (false, false) => format!("{} {name}", date.day()),
    }
}

/// 26 Nov 2026, 09:05 / 2026年11月26日 09:05
pub fn format_datetime(at: NaiveDateTime, zh: bool) -> String {
    let sep = if zh { " " } else { ", " };
    format!(
        "{}{sep}{:02}:{:02}",
        format_date(at.date(), zh),
        at.hour(),
        at.minute()
    )
}

/// Call length as a clock reads it: 4:05, or 1:02:03 past an hour.
pub fn format_duration(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(format_int(0), "0");
        assert_eq!(format_int(999), "999");
        assert_eq!(format_int(5000), "5,000");
        assert_eq!(format_int(-1234567), "-1,234,567");
    }

    #[test]
    fn dates_read_as_each_locale_writes_them() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(format_date(d, false), "26 Nov 2026");
        assert_eq!(format_date(d, true), "2026年11月26日");
        let at = d.and_hms_opt(9, 5, 0).unwrap();
        assert_eq!(format_datetime(at, true), "2026年11月26日 09:05");
        assert_eq!(format_datetime(at, false), "26 Nov 2026, 09:05");
        assert_eq!(format_period_start(d, false, false), "26 Nov");
        assert_eq!(format_period_start(d, false, true), "11月26日");
        assert_eq!(format_period_start(d, true, false), "Nov");
        assert_eq!(format_period_start(d, true, true), "11月");
    }

    #[test]
    fn durations_and_percentages() {
        assert_eq!(format_duration(245), "4:05");
        assert_eq!(format_duration(3723), "1:02:03");
        assert_eq!(format_percent(0.8765), "87.7%");
    }

    #[test]
    fn points_drop_needless_decimals() {
        assert_eq!(
            [3.0, 3.5, 2.0 / 3.0, 0.0, 12.25].map(format_points),
            ["3", "3.5", "0.67", "0", "12.25"]
        );
    }
}
