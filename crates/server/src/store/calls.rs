//! The call library in SQL: search (the SQL twin of `CallQuery::apply`, held to the same answers
//! by the API tests), transcripts, and writing calls.

use super::rows::{call_from_row, coded, CALL_COLUMNS};
use super::sql::{args, Arg, Conn};
use kappa_domain::store::Loaded;
use kappa_domain::{Call, CallId, CallQuery, Page, SortDir, SortField, TranscriptLine};

/// The `WHERE` clause (possibly empty) and its arguments for a query's filters: the SQL twin of
/// `CallQuery::matches`.
pub(super) fn filter_sql(q: &CallQuery) -> (String, Vec<Arg<'static>>) {
    let mut conditions: Vec<&str> = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let mut add = |condition: &'static str, value: Arg<'static>| {
        conditions.push(condition);
        args.push(value);
    };
    if let Some(d) = q.from {
        add("started_at >= ?", d.to_string().into());
    }
    if let Some(d) = q.to {
        // `started_at` carries a time, so "up to and including `to`" is "before the next day".
        // The last day there is has no next day, and every call is before its end.
        if let Some(next_day) = d.succ_opt() {
            add("started_at < ?", next_day.to_string().into());
        }
    }
    if let Some(v) = q.team {
        add("team_id = ?", v.into());
    }
    if let Some(v) = q.agent {
        add("agent_id = ?", v.into());
    }
    if let Some(v) = &q.queue {
        add("queue = ?", v.clone().into());
    }
    if let Some(v) = q.direction {
        add("direction = ?", v.code().into());
    }
    if let Some(v) = &q.disposition {
        add("disposition = ?", v.clone().into());
    }
    if let Some(v) = q.min_duration {
        add("duration_s >= ?", v.into());
    }
    if let Some(v) = q.max_duration {
        add("duration_s <= ?", v.into());
    }
    if let Some(v) = q.min_csat {
        add("csat >= ?", v.into());
    }
    if let Some(v) = q.max_csat {
        add("csat <= ?", v.into());
    }
    if let Some(v) = q.complaint {
        add("complaint = ?", v.into());
    }
    if let Some(a) = &q.attribute {
        // The pair's text in the stored JSON, found with `replace` (in both SQLite and
        // PostgreSQL, and case-sensitive in both, as the in-memory filter is).
        add(
            "replace(attributes, ?, '') <> attributes",
            a.stored_text().into(),
        );
    }
    if let Some(v) = &q.caller {
        add("caller_hash = ?", v.clone().into());
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
pub(super) fn search(conn: &dyn Conn, q: &CallQuery) -> Loaded<Page<Call>> {
    let (filter, args) = filter_sql(q);
    let total: u32 = conn.value(&format!("SELECT COUNT(*) FROM calls {filter}"), &args)?;
    let dir = match q.sort.dir {
        SortDir::Asc => "ASC",
        SortDir::Desc => "DESC",
    };
    let order = match q.sort.field {
        SortField::StartedAt => format!("started_at {dir}, id {dir}"),
        SortField::Duration => format!("duration_s {dir}, id {dir}"),
        SortField::Csat => format!("csat IS NULL, csat {dir}, id {dir}"),
    };
    let items = conn.all(
        &format!(
            "SELECT {CALL_COLUMNS} FROM calls {filter} ORDER BY {order} LIMIT {} OFFSET {}",
            q.page_size,
            q.offset()
        ),
        &args,
        call_from_row,
    )?;
    Ok(Page {
        items,
        total,
        page: q.page,
        page_size: q.page_size,
    })
}

/// A call's transcript lines in order.
pub(super) fn transcript(conn: &dyn Conn, call: CallId) -> Loaded<Vec<TranscriptLine>> {
    conn.all(
        "SELECT speaker, start_ms, end_ms, text FROM transcript_lines WHERE call_id = ?1 ORDER BY seq",
        args![call],
        |r| {
            Ok(TranscriptLine {
                speaker: coded(r, 0)?,
                start_ms: r.get(1)?,
                end_ms: r.get(2)?,
                text: r.get(3)?,
            })
        },
    )
}

/// Writes a call's transcript lines in order.
pub(super) fn insert_transcript(
    conn: &dyn Conn,
    call: CallId,
    lines: &[TranscriptLine],
) -> Loaded<()> {
    for (seq, l) in lines.iter().enumerate() {
        conn.execute(
            "INSERT INTO transcript_lines (call_id, seq, speaker, start_ms, end_ms, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            args![call, seq, l.speaker.code(), l.start_ms, l.end_ms, &l.text],
        )?;
    }
    Ok(())
}

/// Values a call is written with, in the order of [`CALL_COLUMNS`].
const CALL_FIELDS: usize = 17;
/// A call's values in the order of [`CALL_COLUMNS`].
fn call_values(c: &Call) -> Loaded<[Arg<'_>; CALL_FIELDS]> {
    let origin = c.origin.as_ref();
    // Attributes as stored: none when a call has none, so the demo's calls carry nothing.
    let attributes = if c.attributes.is_empty() {
        None
    } else {
        Some(super::rows::to_json(&c.attributes)?)
    };
    Ok([
        c.id.into(),
        kappa_domain::time::stamp(c.started_at).into(),
        c.duration_s.into(),
        c.agent_id.into(),
        c.team_id.into(),
        c.queue.as_str().into(),
        c.direction.code().into(),
        c.disposition.as_str().into(),
        c.csat.into(),
        c.complaint.into(),
        c.language.code().into(),
        c.customer_ref.as_str().into(),
        c.recording.as_deref().into(),
        origin.map(|o| o.source.as_str()).into(),
        origin.map(|o| o.external_id.as_str()).into(),
        attributes.into(),
        c.caller_hash.as_deref().into(),
    ])
}

/// Writes calls with their ids (the demo seed, imports, and the sampling benchmark's million),
/// a prepared statement a call: one statement of 256 calls measured slower (44 s against 35 s
/// for a million, BENCHMARKS.md).
pub fn insert_calls(conn: &dyn Conn, calls: &[Call]) -> Loaded<()> {
    let marks: Vec<String> = (1..=CALL_FIELDS).map(|k| format!("?{k}")).collect();
    let sql = format!(
        "INSERT INTO calls ({CALL_COLUMNS}) VALUES ({})",
        marks.join(", ")
    );
    for c in calls {
        conn.execute(&sql, &call_values(c)?)?;
    }
    Ok(())
}

/// Writes an import batch: new calls numbered after the last, updated ones in place.
pub fn write_imported(conn: &dyn Conn, new: &[Call], updated: &[Call]) -> Loaded<u32> {
    for c in updated {
        conn.execute(
            "UPDATE calls SET started_at = ?2, duration_s = ?3, agent_id = ?4, team_id = ?5, queue = ?6, direction = ?7, disposition = ?8, csat = ?9, complaint = ?10, language = ?11, customer_ref = ?12, recording = ?13, source = ?14, external_id = ?15, attributes = ?16, caller_hash = ?17 WHERE id = ?1",
            &call_values(c)?,
        )?;
    }
    let first = conn.value::<i64>("SELECT COALESCE(MAX(id), 0) + 1 FROM calls", args![])? as u32;
    let numbered: Vec<Call> = new
        .iter()
        .zip(first..)
        .map(|(c, id)| Call { id, ..c.clone() })
        .collect();
    insert_calls(conn, &numbered)?;
    Ok((new.len() + updated.len()) as u32)
}

/// The calls of `source` with these ids, a bounded list at a time.
pub fn by_origin(conn: &dyn Conn, source: &str, external_ids: &[String]) -> Loaded<Vec<Call>> {
    let mut found = Vec::new();
    for part in external_ids.chunks(500) {
        let marks: Vec<String> = (2..part.len() + 2).map(|i| format!("?{i}")).collect();
        let mut values: Vec<Arg> = vec![source.to_string().into()];
        values.extend(part.iter().map(|id| Arg::from(id.clone())));
        found.extend(conn.all(
            &format!(
                "SELECT {CALL_COLUMNS} FROM calls WHERE source = ?1 AND external_id IN ({})",
                marks.join(", ")
            ),
            &values,
            call_from_row,
        )?);
    }
    Ok(found)
}
