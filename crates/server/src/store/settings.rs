//! The operator's settings, kept where the rules read them: the dispute policy, the centre's
//! time zone and first day of the week.

use super::sql::{args, Conn};
use crate::error::{Error, Result};
use kappa_domain::store::Loaded;

/// A value the operator set (the dispute policy, the centre's time zone and week).
pub fn setting(conn: &dyn Conn, key: &str) -> Loaded<Option<String>> {
    conn.first(
        "SELECT value FROM settings WHERE key = ?1",
        args![key],
        |r| r.get(0),
    )
}

fn set(conn: &dyn Conn, key: &str, value: &str) -> Loaded<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        args![key, value],
    )?;
    Ok(())
}

/// Keeps the operator's dispute rules where the rules read them.
pub fn set_dispute_policy(
    conn: &dyn Conn,
    policy: &kappa_domain::review::DisputePolicy,
) -> Result<()> {
    Ok(set(conn, "dispute_policy", &super::rows::to_json(policy)?)?)
}

/// The centre's time zone and first day of the week, where the rules read them: what the
/// operator gave, else what is stored, else (a new installation) the machine's zone and Monday.
pub fn set_centre_time(
    conn: &dyn Conn,
    time_zone: Option<&str>,
    week_starts: Option<&str>,
) -> Result<()> {
    let stored = |key: &str| setting(conn, key);
    let zone = match (time_zone, stored("time_zone")?) {
        (Some(given), _) => given.to_string(),
        (None, Some(kept)) => kept,
        (None, None) => machine_time_zone(),
    };
    zone.parse::<chrono_tz::Tz>().map_err(|_| {
        Error::Internal(format!(
            "unknown time zone {zone:?} (an IANA name such as Asia/Shanghai)"
        ))
    })?;
    let week = match (week_starts, stored("week_starts")?) {
        (Some(given), _) => given.to_string(),
        (None, Some(kept)) => kept,
        (None, None) => "monday".into(),
    };
    let day: chrono::Weekday = week
        .parse()
        .map_err(|_| Error::Internal(format!("unknown day {week:?} to start the week")))?;
    for (key, value) in [
        ("time_zone", zone),
        // chrono's own spelling ("Mon"), which it reads back.
        ("week_starts", day.to_string()),
    ] {
        set(conn, key, &value)?;
    }
    Ok(())
}

/// The machine's time zone: `TZ`, `/etc/timezone`, or where `/etc/localtime` points; else UTC.
pub fn machine_time_zone() -> String {
    let valid = |name: &str| {
        name.parse::<chrono_tz::Tz>()
            .is_ok()
            .then(|| name.to_string())
    };
    std::env::var("TZ")
        .ok()
        .and_then(|tz| valid(tz.trim_start_matches(':')))
        .or_else(|| {
            std::fs::read_to_string("/etc/timezone")
                .ok()
                .and_then(|t| valid(t.trim()))
        })
        .or_else(|| {
            let link = std::fs::read_link("/etc/localtime").ok()?;
            let link = link.to_string_lossy();
            valid(link.split("zoneinfo/").nth(1)?)
        })
        .unwrap_or_else(|| "UTC".into())
}

/// The centre's secret salt for callers' hashes, made on first use: a hash of a phone number
/// with a known salt would be found by trying every number.
pub fn caller_salt(conn: &dyn Conn) -> Loaded<String> {
    if let Some(salt) = setting(conn, "caller_salt")? {
        return Ok(salt);
    }
    let salt = crate::password::random_hex::<32>();
    set(conn, "caller_salt", &salt)?;
    Ok(salt)
}

/// The centre's time zone as the server set it at start (UTC in a bare test database).
pub fn centre_zone(conn: &dyn Conn) -> Loaded<chrono_tz::Tz> {
    match setting(conn, "time_zone")? {
        Some(name) => name
            .parse()
            .map_err(|_| kappa_domain::store::StoreError(format!("stored time zone {name:?}"))),
        None => Ok(chrono_tz::UTC),
    }
}
