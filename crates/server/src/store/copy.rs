//! Moving a centre between databases (`kappa-server migrate-store`): every table copied row for
//! row, ids kept, into an empty database, then each table's row count and checksum compared
//! between the two. Both sides go through [`Conn`], so SQLite to PostgreSQL and back are one
//! piece of code.

use super::sql::{Arg, Conn, Row};
use kappa_domain::store::{Loaded, StoreError};

/// Every table, in an order that writes no row before the rows it refers to, with its columns
/// and the order its rows are read in. `tests/migrations.rs` holds this list to SQLite's schema.
pub const TABLES: &[(&str, &str, &str)] = &[
    // A team's lead is a user, and a user has a team: teams go first without their leads.
    ("teams", "id, name_en, name_zh, lead_id", "id"),
    (
        "users",
        "id, username, display_name, role, team_id, password_hash, active, created_at, agent_code",
        "id",
    ),
    ("sessions", "token_hash, user_id, created_at, expires_at, last_seen_at", "token_hash"),
    (
        "calls",
        super::rows::CALL_COLUMNS,
        "id",
    ),
    ("transcript_lines", "call_id, seq, speaker, start_ms, end_ms, text", "call_id, seq"),
    ("scorecards", "id, name, archived_at, created_by, created_at", "id"),
    (
        "scorecard_versions",
        "id, scorecard_id, version, status, definition, lock_version, published_at",
        "id",
    ),
    (
        "evaluations",
        "id, call_id, scorecard_version_id, scorecard_id, reviewer_id, agent_id, status, score, passed, created_at, submitted_at, notes, feedback, seen_at, acknowledged_at, draft_revision, started_at",
        "id",
    ),
    ("answers", "evaluation_id, criterion_key, value, comment", "evaluation_id, criterion_key"),
    ("audit_log", "id, at, actor_id, action, entity, entity_id, detail", "id"),
    (
        "sampling_plans",
        "id, spec, created_by, created_at, status, revision",
        "id",
    ),
    (
        "plan_runs",
        "id, plan_id, number, seed, run_on, window_from, window_to, scorecard_version_id, population, requested, sampled, due, strata, spec",
        "id",
    ),
    (
        "assignments",
        "id, plan_id, run_id, call_id, agent_id, reviewer_id, stratum, rule, due, status, reason, replaces, evaluation_id",
        "id",
    ),
    (
        "score_history",
        "id, evaluation_id, kind, actor_id, at, score, passed, reason, answers",
        "id",
    ),
    (
        "disputes",
        "id, evaluation_id, agent_id, reviewer_id, raised_at, points, ruling",
        "id",
    ),
    ("settings", "key, value", "key"),
    (
        "calibration_sessions",
        "id, title, scorecard_version_id, call_ids, participants, calibrator_id, deadline, visibility, threshold, created_by, created_at, revealed_at, consensus, report",
        "id",
    ),
    (
        "calibration_scores",
        "session_id, call_id, user_id, answers, notes, score, submitted_at, late",
        "session_id, call_id, user_id",
    ),
    (
        "review_drafts",
        "reviewer_id, call_id, calibration_id, scorecard_version_id, content, revision, saved_at, started_at",
        "reviewer_id, call_id, calibration_id",
    ),
    ("sign_in_attempts", "id, scope, key, at", "id"),
    ("coaching_sessions", super::coaching::SESSION_COLUMNS, "id"),
    ("coaching_notes", super::coaching::NOTE_COLUMNS, "id"),
    ("action_items", super::coaching::ACTION_COLUMNS, "id"),
    ("seen_marks", "user_id, kind, item_id, at", "user_id, kind, item_id"),
    ("terms", super::vocabulary::TERM_COLUMNS, "kind, code"),
    ("imports", super::imports::COLUMNS, "id"),
];

/// A value as read from either database: integers, flags (0 or 1 in SQLite), reals, text.
fn value(row: &dyn Row, idx: usize) -> Loaded<Arg<'static>> {
    if row.is_null(idx)? {
        return Ok(Arg::Null);
    }
    if let Ok(Some(v)) = row.int(idx) {
        return Ok(Arg::Int(v));
    }
    if let Ok(Some(v)) = row.boolean(idx) {
        return Ok(Arg::Int(v.into()));
    }
    if let Ok(Some(v)) = row.real(idx) {
        return Ok(Arg::Real(v));
    }
    Ok(Arg::Text(
        row.text(idx)?.unwrap_or_default().to_string().into(),
    ))
}

/// What a table holds, as both sides can compare it: its row count and a checksum over every
/// value in order (FNV-1a over a fixed spelling of each value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub rows: u64,
    pub checksum: u64,
}

fn fold(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

fn fold_value(hash: &mut u64, value: &Arg) {
    match value {
        Arg::Null => fold(hash, b"n"),
        Arg::Int(v) => fold(hash, format!("i{v}").as_bytes()),
        Arg::Bool(v) => fold(hash, format!("i{}", i64::from(*v)).as_bytes()),
        // Whole reals are written as integers by some paths into SQLite: compare by value.
        Arg::Real(v) if v.fract() == 0.0 && v.abs() < 1e15 => {
            fold(hash, format!("i{}", *v as i64).as_bytes())
        }
        Arg::Real(v) => fold(hash, format!("r{}", v.to_bits()).as_bytes()),
        Arg::Text(v) => {
            fold(hash, b"t");
            fold(hash, v.as_bytes());
        }
    }
    fold(hash, &[0xff]);
}

/// Each table's row count and checksum, in [`TABLES`] order.
pub fn tally(conn: &dyn Conn) -> Loaded<Vec<(&'static str, Tally)>> {
    TABLES
        .iter()
        .map(|(table, columns, order)| {
            let width = columns.split(", ").count();
            let mut tally = Tally {
                rows: 0,
                checksum: 0xcbf2_9ce4_8422_2325,
            };
            conn.each(
                &format!("SELECT {columns} FROM {table} ORDER BY {order}"),
                &[],
                &mut |row| {
                    tally.rows += 1;
                    for idx in 0..width {
                        fold_value(&mut tally.checksum, &value(row, idx)?);
                    }
                    Ok(())
                },
            )?;
            Ok((*table, tally))
        })
        .collect()
}

/// Copies every table of `from` into `to`, which must hold no rows at all; answers each
/// table's tally, the same on both sides (else an error naming the table).
pub fn copy(from: &dyn Conn, to: &dyn Conn) -> Loaded<Vec<(&'static str, Tally)>> {
    for (table, _, _) in TABLES {
        let rows: i64 = to.value(&format!("SELECT COUNT(*) FROM {table}"), &[])?;
        if rows > 0 {
            return Err(StoreError(format!(
                "the target database is not empty ({table} has {rows} rows): migrate-store writes only into an empty database"
            )));
        }
    }
    for (table, columns, order) in TABLES {
        let width = columns.split(", ").count();
        let placeholders = (1..=width)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let insert = format!("INSERT INTO {table} ({columns}) VALUES ({placeholders})");
        let leads = *table == "teams";
        from.each(
            &format!("SELECT {columns} FROM {table} ORDER BY {order}"),
            &[],
            &mut |row| {
                let mut values = (0..width)
                    .map(|idx| value(row, idx))
                    .collect::<Loaded<Vec<_>>>()?;
                if leads {
                    // Set once the users are in (below).
                    values[3] = Arg::Null;
                }
                to.execute(&insert, &values)?;
                Ok(())
            },
        )?;
        if *table == "users" {
            from.each("SELECT id, lead_id FROM teams", &[], &mut |row| {
                to.execute(
                    "UPDATE teams SET lead_id = ?2 WHERE id = ?1",
                    &[value(row, 0)?, value(row, 1)?],
                )?;
                Ok(())
            })?;
        }
    }
    to.follow_given_ids()?;
    let (source, copied) = (tally(from)?, tally(to)?);
    for ((table, a), (_, b)) in source.iter().zip(&copied) {
        if a != b {
            return Err(StoreError(format!(
                "{table}: {} rows (checksum {:016x}) in the source, {} ({:016x}) copied",
                a.rows, a.checksum, b.rows, b.checksum
            )));
        }
    }
    Ok(copied)
}
