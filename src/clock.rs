//! The time by this browser's clock in UTC, as the server keeps time.

pub fn now() -> chrono::NaiveDateTime {
    let millis = js_sys::Date::now() as i64;
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| t.naive_utc())
        .unwrap_or_default()
}
