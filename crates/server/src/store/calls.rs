//! The call library in SQL: search (the SQL twin of `CallQuery::apply`, held to the same answers
//! by the API tests), transcripts, and writing calls.

use super::rows::{call_from_row, coded, CALL_COLUMNS};
use crate::error::Result;
use kappa_domain::{Call, CallId, CallQuery, Page, SortDir, SortField, TranscriptLine};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection};

/// The `WHERE` clause (possibly empty) and its arguments for a query's filters: the SQL twin of
/// `CallQuery::matches`.
pub(super) fn filter_sql(q: &CallQuery) -> (String, Vec<Value>) {
    let mut conditions: Vec<&str> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut add = |condition: &'static str, value: Value| {
        conditions.push(condition);
        args.push(value);
    };
    if let Some(d) = q.from {
        add("started_at >= ?", Value::Text(d.to_string()));
    }
    if let Some(d) = q.to {
        // `started_at` carries a time, so "up to and including `to`" is "before the next day".
        // The last day there is has no next day, and every call is before its end.
        if let Some(next_day) = d.succ_opt() {
            add("started_at < ?", Value::Text(next_day.to_string()));
        }
    }
    if let Some(v) = q.team {
        add("team_id = ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.agent {
        add("agent_id = ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.queue {
        add("queue = ?", Value::Text(v.code().into()));
    }
    if let Some(v) = q.direction {
        add("direction = ?", Value::Text(v.code().into()));
    }
    if let Some(v) = q.disposition {
        add("disposition = ?", Value::Text(v.code().into()));
    }
    if let Some(v) = q.min_duration {
        add("duration_s >= ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.max_duration {
        add("duration_s <= ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.min_csat {
        add("csat >= ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.max_csat {
        add("csat <= ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.complaint {
        add("complaint = ?", Value::Integer(v.into()));
    }
    if let Some(v) = q.recorded {
        conditions.push(if v {
            "recording IS NOT NULL"
        } else {
            "recording IS NULL"
        });
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    (filter, args)
}

/// The SQL twin of `CallQuery::apply`; the API tests hold the two to the same answers.
pub(super) fn search(conn: &Connection, q: &CallQuery) -> rusqlite::Result<Page<Call>> {
    let (filter, args) = filter_sql(q);
    let total: u32 = conn.query_row(
        &format!("SELECT COUNT(*) FROM calls {filter}"),
        params_from_iter(&args),
        |r| r.get(0),
    )?;
    let dir = match q.sort.dir {
        SortDir::Asc => "ASC",
        SortDir::Desc => "DESC",
    };
    let order = match q.sort.field {
        SortField::StartedAt => format!("started_at {dir}, id {dir}"),
        SortField::Duration => format!("duration_s {dir}, id {dir}"),
        SortField::Csat => format!("csat IS NULL, csat {dir}, id {dir}"),
    };
    let sql = format!(
        "SELECT {CALL_COLUMNS} FROM calls {filter} ORDER BY {order} LIMIT {} OFFSET {}",
        q.page_size,
        q.offset()
    );
    let mut stmt = conn.prepare(&sql)?;
    let items = stmt
        .query_map(params_from_iter(&args), call_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page {
        items,
        total,
        page: q.page,
        page_size: q.page_size,
    })
}

/// A call's transcript lines in order.
pub(super) fn transcript(conn: &Connection, call: CallId) -> rusqlite::Result<Vec<TranscriptLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT speaker, start_ms, end_ms, text FROM transcript_lines WHERE call_id = ?1 ORDER BY seq",
    )?;
    let lines = stmt
        .query_map([call], |r| {
            Ok(TranscriptLine {
                speaker: coded(r, 0)?,
                start_ms: r.get(1)?,
                end_ms: r.get(2)?,
                text: r.get(3)?,
            })
        })?
        .collect();
    lines
}

/// Writes a call's transcript lines in order.
pub(super) fn insert_transcript(
    conn: &Connection,
    call: CallId,
    lines: &[TranscriptLine],
) -> Result<()> {
    let mut line = conn.prepare_cached("INSERT INTO transcript_lines (call_id, seq, speaker, start_ms, end_ms, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    for (seq, l) in lines.iter().enumerate() {
        line.execute(params![
            call,
            seq,
            l.speaker.code(),
            l.start_ms,
            l.end_ms,
            l.text
        ])?;
    }
    Ok(())
}

/// Writes calls with their ids (the demo seed, and the sampling benchmark's million).
pub fn insert_calls(conn: &Connection, calls: &[Call]) -> Result<()> {
    let mut call = conn.prepare(
        "INSERT INTO calls (id, started_at, duration_s, agent_id, team_id, queue, direction, disposition, csat, complaint, language, customer_ref, recording)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for c in calls {
        call.execute(params![
            c.id,
            c.started_at
                .format(kappa_domain::time::TIME_FORMAT)
                .to_string(),
            c.duration_s,
            c.agent_id,
            c.team_id,
            c.queue.code(),
            c.direction.code(),
            c.disposition.code(),
            c.csat,
            c.complaint,
            c.language.code(),
            c.customer_ref,
            c.recording
        ])?;
    }
    Ok(())
}
