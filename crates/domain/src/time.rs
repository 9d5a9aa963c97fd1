//! How Kappa writes instants: ISO-8601 to the second, no zone, so they sort and compare as text
//! in SQLite, in JSON fixtures and in the browser alike.
//!
//! Read and written by hand rather than with chrono's `format`/`parse` (and its serde, which
//! uses them): that general machinery cost every browser page about 18 KB, for two fixed
//! layouts. chrono still does the calendar arithmetic.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

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
