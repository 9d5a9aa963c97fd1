//! How records sit in rows, for every database the store runs on: the column lists, the
//! decoders that turn a row into a domain record (an unknown code or a malformed instant is an
//! error, never a panic), and the audit entry every write leaves.

use super::sql::{args, Conn, Row};
use kappa_domain::code::Coded;
use kappa_domain::store::{Loaded, StoreError};
use kappa_domain::time::{parse_date, parse_stamp, stamp};
use kappa_domain::{Call, LocalizedText, Team, User};

/// JSON for a column holding a document (scorecard definitions, names, answers).
pub fn to_json<T: serde::Serialize>(value: &T) -> Loaded<String> {
    serde_json::to_string(value).map_err(|e| StoreError(e.to_string()))
}

pub fn audit(
    conn: &dyn Conn,
    actor: Option<u32>,
    action: &str,
    entity: &str,
    entity_id: Option<u32>,
    detail: &serde_json::Value,
) -> Loaded<()> {
    conn.execute(
        "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        args![stamp(chrono::Utc::now().naive_utc()), actor, action, entity, entity_id, detail.to_string()],
    )?;
    Ok(())
}

fn unreadable(idx: usize, what: &str, text: &str) -> StoreError {
    StoreError(format!("column {idx}: {what} {text:?}"))
}

fn text(row: &dyn Row, idx: usize) -> Loaded<&str> {
    row.text(idx)?
        .ok_or_else(|| StoreError(format!("column {idx} is NULL")))
}

/// Reads a coded column, turning an unknown code into a clear error instead of a panic.
pub fn coded<T: Coded>(row: &dyn Row, idx: usize) -> Loaded<T> {
    // Borrowed, not copied: sampling reads every call of a million-call library this way.
    let code = text(row, idx)?;
    T::parse(code).ok_or_else(|| unreadable(idx, "unknown code", code))
}

/// Reads an instant written as `kappa_domain::time::stamp` writes it.
pub fn time(row: &dyn Row, idx: usize) -> Loaded<chrono::NaiveDateTime> {
    let text = text(row, idx)?;
    parse_stamp(text).ok_or_else(|| unreadable(idx, "not an instant", text))
}

pub fn date(row: &dyn Row, idx: usize) -> Loaded<chrono::NaiveDate> {
    let text = text(row, idx)?;
    parse_date(text).ok_or_else(|| unreadable(idx, "not a date", text))
}

/// Reads a column holding a JSON document (names, answers), the twin of [`to_json`].
pub fn json<T: serde::de::DeserializeOwned>(row: &dyn Row, idx: usize) -> Loaded<T> {
    serde_json::from_str(text(row, idx)?)
        .map_err(|e| StoreError(format!("column {idx}: stored JSON: {e}")))
}

/// A column that may be NULL, read with `read` when it is not.
pub fn maybe<T>(
    row: &dyn Row,
    idx: usize,
    read: impl Fn(&dyn Row, usize) -> Loaded<T>,
) -> Loaded<Option<T>> {
    if row.is_null(idx)? {
        Ok(None)
    } else {
        read(row, idx).map(Some)
    }
}

pub const USER_COLUMNS: &str = "id, username, display_name, role, team_id, active, agent_code";

pub fn user_from_row(row: &dyn Row) -> Loaded<User> {
    Ok(User {
        id: row.get(0)?,
        username: row.get(1)?,
        display_name: row.get(2)?,
        role: coded(row, 3)?,
        team_id: row.get(4)?,
        active: row.get(5)?,
        agent_code: row.get(6)?,
    })
}

pub fn find_user(conn: &dyn Conn, id: u32) -> Loaded<Option<User>> {
    conn.first(
        &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
        args![id],
        user_from_row,
    )
}

pub fn all_users(conn: &dyn Conn) -> Loaded<Vec<User>> {
    conn.all(
        &format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"),
        args![],
        user_from_row,
    )
}

pub fn teams(conn: &dyn Conn) -> Loaded<Vec<Team>> {
    conn.all(
        "SELECT id, name_en, name_zh, lead_id FROM teams ORDER BY id",
        args![],
        |r| {
            Ok(Team {
                id: r.get(0)?,
                name: LocalizedText {
                    en: r.get(1)?,
                    zh: r.get(2)?,
                },
                lead_id: r.get(3)?,
            })
        },
    )
}

pub const CALL_COLUMNS: &str =
    "id, started_at, duration_s, agent_id, team_id, queue, direction, disposition, csat, complaint, language, customer_ref, recording, source, external_id, attributes, caller_hash";

pub fn call_from_row(row: &dyn Row) -> Loaded<Call> {
    Ok(Call {
        id: row.get(0)?,
        started_at: time(row, 1)?,
        duration_s: row.get(2)?,
        agent_id: row.get(3)?,
        team_id: row.get(4)?,
        queue: row.get(5)?,
        direction: coded(row, 6)?,
        disposition: row.get(7)?,
        csat: row.get(8)?,
        complaint: row.get(9)?,
        language: coded(row, 10)?,
        customer_ref: row.get(11)?,
        recording: row.get(12)?,
        origin: match (
            row.get::<Option<String>>(13)?,
            row.get::<Option<String>>(14)?,
        ) {
            (Some(source), Some(external_id)) => Some(kappa_domain::CallOrigin {
                source,
                external_id,
            }),
            _ => None,
        },
        attributes: maybe(row, 15, json)?.unwrap_or_default(),
        caller_hash: row.get(16)?,
    })
}

#[cfg(test)]
mod tests {
    use super::coded;
    use crate::store::sql::{args, Conn};
    use kappa_domain::code::Coded;
    use kappa_domain::for_each_coded_set;

    /// Every value of every coded set goes into a column as its code and comes back as itself;
    /// a code no set has is an error naming it, not a panic.
    fn through_sql<T: Coded>(set: &str) {
        let sqlite = rusqlite::Connection::open_in_memory().unwrap();
        let conn: &dyn Conn = &sqlite;
        conn.execute("CREATE TABLE coded (value TEXT NOT NULL)", args![])
            .unwrap();
        for &value in T::all() {
            conn.execute("DELETE FROM coded", args![]).unwrap();
            conn.execute("INSERT INTO coded (value) VALUES (?1)", args![value.code()])
                .unwrap();
            let back: Option<T> = conn
                .first("SELECT value FROM coded", args![], |r| coded(r, 0))
                .unwrap();
            assert_eq!(back, Some(value), "{set}");
        }
        let unknown = conn
            .first("SELECT 'no_such_code'", args![], |r| coded::<T>(r, 0))
            .unwrap_err();
        assert!(unknown.0.contains("no_such_code"), "{set}: {unknown}");
    }

    #[test]
    fn every_value_of_every_coded_set_round_trips_through_a_column() {
        for_each_coded_set!(through_sql);
        through_sql::<crate::throttle::Scope>("Scope");
    }
}
