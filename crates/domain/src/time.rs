//! How Kappa writes instants: ISO-8601 to the second, no zone, so they sort and compare as text
//! in SQLite, in JSON fixtures and in the browser alike.
//!
//! Read and written by hand rather than with chrono's `format`/`parse` (and its serde, which
//! uses them): that general machinery cost every browser page about 18 KB, for two fixed
//! layouts. chrono still does the calendar arithmetic.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// The centre's clock at one instant. Instants (submissions, sign-ins, deadlines) are kept in
/// UTC; calendar days (a call's date, a run's day, a due date, "overdue", a week) are the
/// centre's local days, as its call times are local. The store reads the offset of the centre's
/// time zone at the instant asked (the server from the time zone database); the rules take
/// their days from here, never from a UTC date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CentreClock {
    /// Minutes the centre's local time is ahead of UTC at that instant (Shanghai: 480).
    pub utc_offset_minutes: i32,
    /// The first day of the centre's week.
    pub week_starts: chrono::Weekday,
}

impl Default for CentreClock {
    fn default() -> Self {
        CentreClock {
            utc_offset_minutes: 0,
            week_starts: chrono::Weekday::Mon,
        }
    }
}

impl CentreClock {
    /// The demo centre's: Shanghai (UTC+8 all year), weeks from Monday. Its seed stores the zone
    /// `Asia/Shanghai`; the static demo, which has no zone database, uses this.
    pub const DEMO: CentreClock = CentreClock {
        utc_offset_minutes: 480,
        week_starts: chrono::Weekday::Mon,
    };

    /// The centre's wall-clock time at a UTC instant.
    pub fn local(&self, utc: NaiveDateTime) -> NaiveDateTime {
        utc + chrono::Duration::minutes(self.utc_offset_minutes.into())
    }

    /// The centre's calendar day at a UTC instant.
    pub fn today(&self, utc: NaiveDateTime) -> NaiveDate {
        self.local(utc).date()
    }

    /// The first day of the centre's week holding `day`.
    pub fn week_of(&self, day: NaiveDate) -> NaiveDate {
        let back = (7 + day.weekday().num_days_from_monday()
            - self.week_starts.num_days_from_monday())
            % 7;
        day - chrono::Duration::days(back.into())
    }
}

/// The layout of `stamp`, for chrono users on the server (SQLite reads and writes).
pub const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// `2026-10-03T09:30:00`.
pub fn stamp(at: NaiveDateTime) -> String {
    format!(
        "{}T{:02}:{:02}:{:02}",
        date_stamp(at.date()),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// `2026-10-03`.
pub fn date_stamp(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// A calendar date written `YYYY-MM-DD` (four-digit year, from 1000: the ranges SQL compares).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = digits(&bytes[0..4])?;
    NaiveDate::from_ymd_opt(
        i32::try_from(year).ok().filter(|y| *y >= 1000)?,
        digits(&bytes[5..7])?,
        digits(&bytes[8..10])?,
    )
}

/// An instant written as `stamp` writes it; fractions of a second, if any, are dropped.
pub fn parse_stamp(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = text.split_once('T')?;
    let time = time.split_once('.').map_or(time, |(whole, fraction)| {
        if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) {
            whole
        } else {
            ""
        }
    });
    let bytes = time.as_bytes();
    if bytes.len() != 8 || bytes[2] != b':' || bytes[5] != b':' {
        return None;
    }
    parse_date(date)?.and_hms_opt(
        digits(&bytes[0..2])?,
        digits(&bytes[3..5])?,
        digits(&bytes[6..8])?,
    )
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// `#[serde(with = "crate::time::iso")]` for an instant field.
pub mod iso {
    use chrono::NaiveDateTime;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::stamp(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<NaiveDateTime, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        super::parse_stamp(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "expected an instant as YYYY-MM-DDTHH:MM:SS, found {text:?}"
            ))
        })
    }
}

/// `#[serde(with = "crate::time::day")]` for a calendar date field.
pub mod day {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::date_stamp(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        super::parse_date(&text).ok_or_else(|| {
            D::Error::custom(format!("expected a date as YYYY-MM-DD, found {text:?}"))
        })
    }
}

/// `#[serde(with = "crate::time::maybe_day", default)]` for an optional date field.
pub mod maybe_day {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        date: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => serializer.serialize_some(&super::date_stamp(*d)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        let text = Option::<std::borrow::Cow<str>>::deserialize(deserializer)?;
        text.map(|t| {
            super::parse_date(&t).ok_or_else(|| {
                D::Error::custom(format!("expected a date as YYYY-MM-DD, found {t:?}"))
            })
        })
        .transpose()
    }
}

/// `#[serde(with = "crate::time::maybe_iso", default)]` for an optional instant field.
pub mod maybe_iso {
    use chrono::NaiveDateTime;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        at: &Option<NaiveDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => serializer.serialize_some(&super::stamp(*at)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDateTime>, D::Error> {
        let text = Option::<std::borrow::Cow<str>>::deserialize(deserializer)?;
        text.map(|t| {
            super::parse_stamp(&t).ok_or_else(|| {
                D::Error::custom(format!(
                    "expected an instant as YYYY-MM-DDTHH:MM:SS, found {t:?}"
                ))
            })
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    /// Issue #19: the centre's day and week, not UTC's. 07:30 on Monday 30 November in Shanghai
    /// is 23:30 on Sunday in UTC: the centre's day is Monday, its week began that morning.
    #[test]
    fn the_centre_s_day_and_week_begin_at_its_own_midnight() {
        let utc = NaiveDate::from_ymd_opt(2026, 11, 29)
            .unwrap()
            .and_hms_opt(23, 30, 0)
            .unwrap();
        let shanghai = CentreClock::DEMO;
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(shanghai.today(utc), monday);
        assert_eq!(
            CentreClock::default().today(utc),
            monday.pred_opt().unwrap()
        );
        assert_eq!(shanghai.week_of(shanghai.today(utc)), monday);
        assert_eq!(
            CentreClock::default().week_of(CentreClock::default().today(utc)),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            "in UTC it is still the week before"
        );
        let sunday_start = CentreClock {
            week_starts: chrono::Weekday::Sun,
            ..shanghai
        };
        assert_eq!(sunday_start.week_of(monday), monday.pred_opt().unwrap());
    }

    use super::*;

    #[test]
    fn stamps_read_back_and_agree_with_chrono() {
        let at = NaiveDate::from_ymd_opt(2026, 1, 9)
            .unwrap()
            .and_hms_opt(7, 5, 3)
            .unwrap();
        assert_eq!(stamp(at), "2026-01-09T07:05:03");
        assert_eq!(stamp(at), at.format(TIME_FORMAT).to_string());
        assert_eq!(parse_stamp("2026-01-09T07:05:03"), Some(at));
        assert_eq!(parse_stamp("2026-01-09T07:05:03.250"), Some(at));
        assert_eq!(parse_date("2026-01-09"), Some(at.date()));
        assert_eq!(date_stamp(at.date()), "2026-01-09");
    }

    #[test]
    fn anything_else_is_not_a_date() {
        for text in [
            "2026-1-09",
            "2026-02-30",
            "0999-01-01",
            "+12026-01-01",
            "2026-01-09 ",
            "２０２６-01-09",
            "",
            "2026/01/09",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        for text in [
            "2026-01-09 07:05:03",
            "2026-01-09T7:05:03",
            "2026-01-09T07:05:60",
            "2026-01-09T07:05:03.",
            "2026-01-09T07:05:03Z",
            "2026-01-09T24:00:00",
        ] {
            assert_eq!(parse_stamp(text), None, "{text}");
        }
    }

    #[test]
    fn serde_writes_and_reads_the_stamp() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct At {
            #[serde(with = "super::iso")]
            at: NaiveDateTime,
        }
        let at = At {
            at: parse_stamp("2026-10-03T09:30:00").unwrap(),
        };
        let json = serde_json::to_string(&at).unwrap();
        assert_eq!(json, r#"{"at":"2026-10-03T09:30:00"}"#);
        assert_eq!(serde_json::from_str::<At>(&json).unwrap(), at);
        assert!(serde_json::from_str::<At>(r#"{"at":"yesterday"}"#)
            .unwrap_err()
            .to_string()
            .contains("YYYY-MM-DDTHH:MM:SS"));
    }
}
