//! How Kappa writes instants: ISO-8601 to the second, no zone, so they sort and compare as text
//! in SQLite, in JSON fixtures and in the browser alike.

use chrono::NaiveDateTime;

pub const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

pub fn stamp(at: NaiveDateTime) -> String {
    at.format(TIME_FORMAT).to_string()
}
