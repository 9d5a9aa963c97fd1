//! How records sit in SQLite's rows: the column lists, the decoders that turn a row into a
//! domain record (an unknown code or a malformed instant is an error, never a panic), and the
//! audit entry every write leaves.

use crate::error::{Error, Result};
use kappa_domain::code::Coded;
use kappa_domain::{Call, LocalizedText, Team, User};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// JSON for a column holding a document (scorecard definitions, names, answers).
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.to_string()))
}

pub fn audit(
    conn: &Connection,
    actor: Option<u32>,
    action: &str,
    entity: &str,
    entity_id: Option<u32>,
    detail: &serde_json::Value,
) -> Result<()> {
    conn.execute(
        "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![kappa_domain::time::stamp(chrono::Utc::now().naive_utc()), actor, action, entity, entity_id, detail.to_string()],
    )?;
    Ok(())
}

/// Reads a coded column, turning an unknown code into a clear error instead of a panic.
pub fn coded<T: Coded>(row: &Row, idx: usize) -> rusqlite::Result<T> {
    // Borrowed, not copied: sampling reads every call of a million-call library this way.
    let code = text_column(row, idx)?;
    T::parse(code).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Text,
            format!("unknown code {code:?}").into(),
        )
    })
}

fn text_column<'r>(row: &'r Row, idx: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(idx)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.into())
    })
}

pub const USER_COLUMNS: &str = "id, username, display_name, role, team_id, active";

pub fn user_from_row(row: &Row) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        username: row.get(1)?,
        display_name: row.get(2)?,
        role: coded(row, 3)?,
        team_id: row.get(4)?,
        active: row.get(5)?,
    })
}

pub fn find_user(conn: &Connection, id: u32) -> Result<Option<User>> {
    Ok(conn
        .query_row(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
            [id],
            user_from_row,
        )
        .optional()?)
}

pub fn all_users(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"))?;
    let users = stmt
        .query_map([], user_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(users)
}

pub fn teams(conn: &Connection) -> Result<Vec<Team>> {
    let mut stmt = conn.prepare("SELECT id, name_en, name_zh, lead_id FROM teams ORDER BY id")?;
    let teams = stmt
        .query_map([], |r| {
            Ok(Team {
                id: r.get(0)?,
                name: LocalizedText {
                    en: r.get(1)?,
                    zh: r.get(2)?,
                },
                lead_id: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(teams)
}

pub const CALL_COLUMNS: &str =
    "id, started_at, duration_s, agent_id, team_id, queue, direction, disposition, csat, complaint, language, customer_ref, recording";

/// Reads a timestamp column written as `kappa_domain::time::stamp` writes it.
pub fn time_column(row: &Row, idx: usize) -> rusqlite::Result<chrono::NaiveDateTime> {
    let text = text_column(row, idx)?;
    kappa_domain::time::parse_stamp(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Text,
            format!("not an instant: {text:?}").into(),
        )
    })
}

/// Reads a column holding a JSON document (names, answers), the twin of [`to_json`].
pub fn json_column<T: serde::de::DeserializeOwned>(row: &Row, idx: usize) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.into())
    })
}

pub fn call_from_row(row: &Row) -> rusqlite::Result<Call> {
    Ok(Call {
        id: row.get(0)?,
        started_at: time_column(row, 1)?,
        duration_s: row.get(2)?,
        agent_id: row.get(3)?,
        team_id: row.get(4)?,
        queue: coded(row, 5)?,
        direction: coded(row, 6)?,
        disposition: coded(row, 7)?,
        csat: row.get(8)?,
        complaint: row.get(9)?,
        language: coded(row, 10)?,
        customer_ref: row.get(11)?,
        recording: row.get(12)?,
    })
}

#[cfg(test)]
mod tests {
    use super::coded;
    use kappa_domain::code::Coded;
    use kappa_domain::for_each_coded_set;

    /// Every value of every coded set goes into a column as its code and comes back as itself;
    /// a code no set has is an error naming it, not a panic.
    fn through_sql<T: Coded>(set: &str) {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE coded (value TEXT NOT NULL)")
            .unwrap();
        for &value in T::all() {
            conn.execute("DELETE FROM coded", []).unwrap();
            conn.execute("INSERT INTO coded (value) VALUES (?1)", [value.code()])
                .unwrap();
            let back: T = conn
                .query_row("SELECT value FROM coded", [], |r| coded(r, 0))
                .unwrap();
            assert_eq!(back, value, "{set}");
        }
        let unknown = conn
            .query_row("SELECT 'no_such_code'", [], |r| coded::<T>(r, 0))
            .unwrap_err();
        assert!(
            unknown.to_string().contains("no_such_code"),
            "{set}: {unknown}"
        );
    }

    #[test]
    fn every_value_of_every_coded_set_round_trips_through_a_column() {
        for_each_coded_set!(through_sql);
    }
}
