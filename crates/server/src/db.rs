//! The SQLite file: opening, migrating, seeding, and running queries off the async threads.

use crate::error::{Error, Result};
use crate::password::Prepared;
use crate::store::SqliteStore;
use kappa_demo::DemoData;
use kappa_domain::store::Store;
use kappa_domain::workflow::Outcome;
use kappa_domain::{
    Call, Direction, Disposition, Language, LocalizedText, Queue, Role, Team, User,
};
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// Migrations in order; `PRAGMA user_version` records how many have run.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_sessions_idle.sql"),
    include_str!("../migrations/0003_sampling.sql"),
    include_str!("../migrations/0004_reviews.sql"),
    include_str!("../migrations/0005_calibration.sql"),
    include_str!("../migrations/0006_one_evaluation_per_card.sql"),
    include_str!("../migrations/0007_calibration_reports.sql"),
];

/// Readers beside the one writer: WAL lets them run while it writes.
const READERS: usize = 4;

/// A small pool over one SQLite file: one writer (SQLite has one at a time anyway) and a few
/// readers. A read takes whichever reader is free (it waits, without a thread, only while all
/// are busy), so one slow read delays no one while others are idle. Queries run on tokio's
/// blocking pool so they never stall the runtime. A request that panics while holding the
/// writer leaves it poisoned and the next user opens a fresh connection; a reader a panic held
/// is dropped and replaced: no panic outlives its own request.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Slots>,
}

struct Slots {
    path: PathBuf,
    writer: Mutex<Option<Connection>>,
    /// Reader connections not in use; at most [`READERS`] exist, one per permit.
    idle_readers: Mutex<Vec<Connection>>,
    reader_permits: Arc<tokio::sync::Semaphore>,
}

/// A reader lent to one read: back to the idle list when the read ends, dropped if it panicked.
struct Lent<'a> {
    conn: Option<Connection>,
    idle: &'a Mutex<Vec<Connection>>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if !std::thread::panicking() {
                self.idle
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(conn);
            }
        }
    }
}

fn connect(path: &Path) -> Result<Connection> {
    let conn =
        Connection::open(path).map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
    // FULL: a write acknowledged with 2xx is on disk before the answer leaves, through a power
    // cut too (WAL with NORMAL may lose the last transactions).
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;")?;
    Ok(conn)
}

/// The slot's connection, reopened when a panic poisoned the slot or it was never opened.
fn checkout<'a>(
    slot: &'a Mutex<Option<Connection>>,
    path: &Path,
) -> Result<MutexGuard<'a, Option<Connection>>> {
    let mut guard = match slot.lock() {
        Ok(guard) => guard,
        Err(poisoned) => {
            let mut guard = poisoned.into_inner();
            // Whatever the panicking request left open is dropped (rolled back) with it.
            *guard = None;
            slot.clear_poison();
            tracing::warn!(
                "a request panicked while holding a database connection; it was replaced"
            );
            guard
        }
    };
    if guard.is_none() {
        *guard = Some(connect(path)?);
    }
    Ok(guard)
}

impl Db {
    pub fn open(path: &Path) -> Result<Db> {
        let db = Db {
            inner: Arc::new(Slots {
                path: path.to_path_buf(),
                writer: Mutex::new(None),
                idle_readers: Mutex::new(Vec::with_capacity(READERS)),
                reader_permits: Arc::new(tokio::sync::Semaphore::new(READERS)),
            }),
        };
        db.with(migrate)?;
        Ok(db)
    }

    /// Runs `f` with the writer on the current thread (start-up, tests, seeding).
    pub fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut guard = checkout(&self.inner.writer, &self.inner.path)?;
        f(guard.as_mut().expect("checkout opens the connection"))
    }

    /// Runs `f` in one write transaction on the blocking pool: committed when it answers `Ok`,
    /// rolled back otherwise (a panic included).
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let db = self.clone();
        blocking(move || {
            db.with(|conn| {
                let tx =
                    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let out = f(&tx)?;
                tx.commit()?;
                Ok(out)
            })
        })
        .await
    }

    /// Runs a domain decision in one write transaction: the rules see only the `Store`, so the
    /// handlers that call this do not know which database is behind it.
    pub async fn change<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> Outcome<T> + Send + 'static,
    ) -> Result<T> {
        self.change_with(None, f).await
    }

    /// [`Db::change`] for a change that sets a password hashed beforehand.
    pub async fn change_with<T: Send + 'static>(
        &self,
        prepared: Option<Prepared>,
        f: impl FnOnce(&mut dyn Store) -> Outcome<T> + Send + 'static,
    ) -> Result<T> {
        self.write(move |tx| Ok(f(&mut SqliteStore::new(tx).with(prepared))?))
            .await
    }

    /// Runs a domain read on a reader connection.
    pub async fn view<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Outcome<T> + Send + 'static,
    ) -> Result<T> {
        self.read(move |conn| Ok(f(&SqliteStore::new(conn))?)).await
    }

    /// Runs `f` on a reader connection on the blocking pool.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let permit = self
            .inner
            .reader_permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Error::Internal(format!("the reader pool closed: {e}")))?;
        let db = self.clone();
        blocking(move || {
            let _permit = permit;
            let slots = &db.inner;
            let idle = slots
                .idle_readers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .pop();
            let lent = Lent {
                conn: Some(match idle {
                    Some(conn) => conn,
                    None => connect(&slots.path)?,
                }),
                idle: &slots.idle_readers,
            };
            // One snapshot for the whole read: a publish committing halfway cannot mix states.
            let snapshot = lent
                .conn
                .as_ref()
                .expect("lent until the read ends")
                .unchecked_transaction()?;
            f(&snapshot)
        })
        .await
    }
}

/// Runs `f` on the blocking pool; a panic in it becomes a 500 for this request alone.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(format!("a request's work failed: {e}")))?
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let done: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if done > MIGRATIONS.len() {
        return Err(Error::Internal(format!(
            "database schema version {done} is newer than this Kappa ({})",
            MIGRATIONS.len()
        )));
    }
    // A migration may rebuild a table others refer to (SQLite's way to change a constraint):
    // references are checked once it has run, not while the old table is dropped.
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let result = MIGRATIONS
        .iter()
        .enumerate()
        .skip(done)
        .try_for_each(|(i, sql)| {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            let broken: i64 =
                tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?;
            if broken > 0 {
                return Err(Error::Internal(format!(
                    "migration {} leaves {broken} broken references",
                    i + 1
                )));
            }
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
            tracing::info!("applied migration {}", i + 1);
            Ok(())
        });
    conn.execute_batch("PRAGMA foreign_keys = ON")?;
    result
}

/// A value the operator set (the dispute policy, the centre's time zone and week).
pub fn setting(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

/// Keeps the operator's dispute rules where the rules read them.
pub fn set_dispute_policy(
    conn: &Connection,
    policy: &kappa_domain::review::DisputePolicy,
) -> Result<()> {
    conn.execute("INSERT INTO settings (key, value) VALUES ('dispute_policy', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [to_json(policy)?])?;
    Ok(())
}

/// The centre's time zone and first day of the week, where the rules read them: what the
/// operator gave, else what is stored, else (a new installation) the machine's zone and Monday.
pub fn set_centre_time(
    conn: &Connection,
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
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, &value],
        )?;
    }
    Ok(())
}

/// The machine's time zone: `TZ`, `/etc/timezone`, or where `/etc/localtime` points; else UTC.
fn machine_time_zone() -> String {
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

pub fn is_empty(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get::<_, i64>(0))? == 0)
}

/// Writes the demo centre in one transaction. All demo accounts share the password `demo`, so
/// they share one hash: hashing it once keeps first start (and every test database) quick.
pub fn seed(conn: &mut Connection, data: &DemoData, password_hash: &str) -> Result<()> {
    let tx = conn.transaction()?;
    {
        let mut team =
            tx.prepare("INSERT INTO teams (id, name_en, name_zh) VALUES (?1, ?2, ?3)")?;
        for t in &data.teams {
            team.execute(params![t.id, t.name.en, t.name.zh])?;
        }
        let mut user = tx.prepare("INSERT INTO users (id, username, display_name, role, team_id, password_hash, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
        for u in &data.users {
            user.execute(params![
                u.id,
                u.username,
                u.display_name,
                u.role.as_str(),
                u.team_id,
                password_hash,
                u.active
            ])?;
        }
        let mut lead = tx.prepare("UPDATE teams SET lead_id = ?1 WHERE id = ?2")?;
        for t in &data.teams {
            lead.execute(params![t.lead_id, t.id])?;
        }
        insert_calls(&tx, &data.calls)?;
        let mut line = tx.prepare("INSERT INTO transcript_lines (call_id, seq, speaker, start_ms, end_ms, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        for (call_id, lines) in &data.transcripts {
            for (seq, l) in lines.iter().enumerate() {
                line.execute(params![
                    call_id,
                    seq,
                    l.speaker.code(),
                    l.start_ms,
                    l.end_ms,
                    l.text
                ])?;
            }
        }
    }
    {
        let admin = data
            .users
            .iter()
            .find(|u| u.role == Role::Admin)
            .map(|u| u.id);
        let mut card = tx.prepare("INSERT INTO scorecards (id, name, created_by, created_at, archived_at) VALUES (?1, ?2, ?3, ?4, NULL)")?;
        let mut version = tx.prepare(
            "INSERT INTO scorecard_versions (id, scorecard_id, version, status, definition, lock_version, published_at) VALUES (?1, ?2, ?3, 'published', ?4, ?5, ?6)",
        )?;
        for c in &data.scorecards.cards {
            let created = c
                .versions
                .last()
                .map(|v| v.published_at.clone())
                .unwrap_or_default();
            card.execute(params![c.id, to_json(&c.name)?, admin, created])?;
            for published in &c.versions {
                let definition = data
                    .scorecards
                    .version(published.id)
                    .map(|v| v.definition)
                    .ok_or(Error::Internal("demo version without definition".into()))?;
                // The card's lock is the highest of its versions' locks.
                version.execute(params![
                    published.id,
                    c.id,
                    published.version,
                    to_json(&definition)?,
                    c.lock_version,
                    published.published_at
                ])?;
            }
        }
        let mut evaluation = tx.prepare(
            "INSERT INTO evaluations (id, call_id, scorecard_version_id, scorecard_id, reviewer_id, agent_id, status, score, passed, created_at, submitted_at, notes, feedback, seen_at, acknowledged_at, draft_revision)
             VALUES (?1, ?2, ?3, (SELECT scorecard_id FROM scorecard_versions WHERE id = ?3), ?4, ?5, 'submitted', ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        let mut answer = tx.prepare(
            "INSERT INTO answers (evaluation_id, criterion_key, value) VALUES (?1, ?2, ?3)",
        )?;
        let stamp = kappa_domain::time::stamp;
        for e in &data.evaluations {
            let at = stamp(e.submitted_at);
            evaluation.execute(params![
                e.id,
                e.call_id,
                e.scorecard_version_id,
                e.reviewer_id,
                e.agent_id,
                e.score,
                e.passed,
                at,
                to_json(&e.notes)?,
                e.feedback,
                e.seen_at.map(stamp),
                e.acknowledged_at.map(stamp),
                e.draft_revision
            ])?;
            for (key, value) in &e.answers {
                answer.execute(params![e.id, key, to_json(value)?])?;
            }
        }
        let mut event = tx.prepare("INSERT INTO score_history (evaluation_id, kind, actor_id, at, score, passed, reason, answers) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
        for (id, e) in &data.reviews.history {
            event.execute(params![
                id,
                crate::store::code_of(e.kind),
                e.actor_id,
                stamp(e.at),
                e.score,
                e.passed,
                e.reason,
                to_json(&e.answers)?
            ])?;
        }
        let mut draft = tx.prepare("INSERT INTO review_drafts (reviewer_id, call_id, calibration_id, scorecard_version_id, content, revision, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
        for d in &data.reviews.drafts {
            draft.execute(params![
                d.reviewer_id,
                d.call_id,
                d.calibration_id.unwrap_or(0),
                d.scorecard_version_id,
                to_json(&d.content)?,
                d.revision,
                stamp(d.saved_at)
            ])?;
        }
        let mut dispute = tx.prepare("INSERT INTO disputes (id, evaluation_id, agent_id, reviewer_id, raised_at, points, ruling) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
        for d in &data.reviews.disputes {
            let ruling = d.ruling.as_ref().map(to_json).transpose()?;
            dispute.execute(params![
                d.id,
                d.evaluation_id,
                d.agent_id,
                d.reviewer_id,
                stamp(d.raised_at),
                to_json(&d.points)?,
                ruling
            ])?;
        }
    }
    {
        let mut plan = tx.prepare(
            "INSERT INTO sampling_plans (id, spec, created_by, created_at) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for p in &data.sampling.plans {
            plan.execute(params![
                p.id,
                to_json(&p.spec)?,
                p.created_by,
                kappa_domain::time::stamp(p.created_at)
            ])?;
        }
        let mut run = tx.prepare(
            "INSERT INTO plan_runs (id, plan_id, number, seed, run_on, window_from, window_to, scorecard_version_id, population, requested, sampled, due, strata)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        let day = kappa_domain::time::date_stamp;
        for r in &data.sampling.runs {
            run.execute(params![
                r.id,
                r.plan_id,
                r.number,
                r.seed as i64,
                day(r.run_on),
                r.from.map(day),
                r.to.map(day),
                r.scorecard_version_id,
                r.population,
                r.requested,
                r.sampled,
                day(r.due),
                to_json(&r.strata)?
            ])?;
        }
        let mut assignment = tx.prepare(
            "INSERT INTO assignments (id, plan_id, run_id, call_id, agent_id, reviewer_id, stratum, rule, due, status, reason, replaces, evaluation_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        for a in &data.sampling.assignments {
            assignment.execute(params![
                a.id,
                a.plan_id,
                a.run_id,
                a.call_id,
                a.agent_id,
                a.reviewer_id,
                a.stratum,
                crate::store::code_of(a.rule),
                day(a.due),
                crate::store::code_of(a.status),
                a.reason,
                a.replaces,
                a.evaluation_id
            ])?;
        }
    }
    {
        let stamp = kappa_domain::time::stamp;
        let mut session = tx.prepare(
            "INSERT INTO calibration_sessions (id, title, scorecard_version_id, call_ids, participants, calibrator_id, deadline, visibility, threshold, created_by, created_at, revealed_at, consensus, report)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        for s in &data.calibration.sessions {
            let consensus = s.consensus.as_ref().map(to_json).transpose()?;
            let report = data
                .calibration
                .reports
                .iter()
                .find(|(id, _)| *id == s.id)
                .map(|(_, report)| to_json(report))
                .transpose()?;
            session.execute(params![
                s.id,
                s.title,
                s.scorecard_version_id,
                to_json(&s.call_ids)?,
                to_json(&s.participants)?,
                s.calibrator,
                stamp(s.deadline),
                crate::store::code_of(s.visibility),
                s.threshold,
                s.created_by,
                stamp(s.created_at),
                s.revealed_at.map(stamp),
                consensus,
                report
            ])?;
        }
        let mut score = tx.prepare("INSERT INTO calibration_scores (session_id, call_id, user_id, answers, notes, score, submitted_at, late) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
        for s in &data.calibration.scores {
            score.execute(params![
                s.session_id,
                s.call_id,
                s.user_id,
                to_json(&s.answers)?,
                to_json(&s.notes)?,
                s.score,
                stamp(s.submitted_at),
                s.late
            ])?;
        }
    }
    // The demo centre is in Shanghai, its calls in Shanghai time.
    set_centre_time(&tx, Some("Asia/Shanghai"), Some("monday"))?;
    audit(
        &tx,
        None,
        "seed_demo",
        "database",
        None,
        &serde_json::json!({ "calls": data.calls.len(), "users": data.users.len() }),
    )?;
    tx.commit()?;
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
            c.started_at.format(TIME_FORMAT).to_string(),
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

/// JSON for a column holding a document (scorecard definitions, names, answers).
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.to_string()))
}

pub use kappa_domain::time::TIME_FORMAT;

pub fn now() -> String {
    from_now(chrono::Duration::zero())
}

/// The instant `offset` from now (negative: ago), written as the columns hold instants.
pub fn from_now(offset: chrono::Duration) -> String {
    kappa_domain::time::stamp(chrono::Utc::now().naive_utc() + offset)
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
        params![now(), actor, action, entity, entity_id, detail.to_string()],
    )?;
    Ok(())
}

/// Reads a coded column, turning an unknown code into a clear error instead of a panic.
pub fn coded<T>(row: &Row, idx: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    // Borrowed, not copied: sampling reads every call of a million-call library this way.
    let code = text_column(row, idx)?;
    parse(code).ok_or_else(|| {
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
        role: coded(row, 3, Role::parse)?,
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
        queue: coded(row, 5, Queue::parse)?,
        direction: coded(row, 6, Direction::parse)?,
        disposition: coded(row, 7, Disposition::parse)?,
        csat: row.get(8)?,
        complaint: row.get(9)?,
        language: coded(row, 10, Language::parse)?,
        customer_ref: row.get(11)?,
        recording: row.get(12)?,
    })
}
