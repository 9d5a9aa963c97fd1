//! Imports of call-record files in rows: their audit and their jobs' progress.

use super::rows;
use super::sql::{args, Conn, Row};
use kappa_domain::file_import::{FileImport, ImportId};
use kappa_domain::store::{Change, Loaded};
use kappa_domain::time::stamp;
use kappa_domain::UserId;

pub const COLUMNS: &str = "id, by_user, at, file_name, sha256, size, state, source, reading, file_report, dry_run, committed, done, total, batches_done, failure, revision, finished_at";

fn from_row(r: &dyn Row) -> Loaded<FileImport> {
    Ok(FileImport {
        id: r.get(0)?,
        by: r.get(1)?,
        at: rows::time(r, 2)?,
        file_name: r.get(3)?,
        sha256: r.get(4)?,
        size: r.get(5)?,
        state: rows::coded(r, 6)?,
        source: r.get(7)?,
        reading: r.get(8)?,
        file_report: rows::maybe(r, 9, rows::json)?,
        dry_run: rows::maybe(r, 10, rows::json)?,
        committed: rows::maybe(r, 11, rows::json)?,
        done: r.get(12)?,
        total: r.get(13)?,
        batches_done: r.get(14)?,
        failure: r.get(15)?,
        revision: r.get(16)?,
        finished_at: rows::maybe(r, 17, rows::time)?,
    })
}

pub fn import(conn: &dyn Conn, id: ImportId) -> Loaded<Option<FileImport>> {
    conn.first(
        &format!("SELECT {COLUMNS} FROM imports WHERE id = ?1"),
        args![id],
        from_row,
    )
}

pub fn imports(conn: &dyn Conn, by: Option<UserId>, limit: usize) -> Loaded<Vec<FileImport>> {
    match by {
        Some(by) => conn.all(
            &format!("SELECT {COLUMNS} FROM imports WHERE by_user = ?1 ORDER BY id DESC LIMIT ?2"),
            args![by, limit],
            from_row,
        ),
        None => conn.all(
            &format!("SELECT {COLUMNS} FROM imports ORDER BY id DESC LIMIT ?1"),
            args![limit],
            from_row,
        ),
    }
}

/// The imports a job was reading when the server stopped: resumed at start.
pub fn running(conn: &dyn Conn) -> Loaded<Vec<FileImport>> {
    conn.all(
        &format!(
            "SELECT {COLUMNS} FROM imports WHERE state IN ('checking', 'committing') ORDER BY id"
        ),
        args![],
        from_row,
    )
}

fn json<T: serde::Serialize>(value: &Option<T>) -> Loaded<Option<String>> {
    value.as_ref().map(rows::to_json).transpose()
}

/// An import as it stands, with its id (a centre loaded from elsewhere, the demo's seed).
pub fn insert(conn: &dyn Conn, i: &FileImport) -> Loaded<u32> {
    let (report, dry_run, committed) = (
        json(&i.file_report)?,
        json(&i.dry_run)?,
        json(&i.committed)?,
    );
    conn.insert(
        "INSERT INTO imports (id, by_user, at, file_name, sha256, size, state, source, reading, file_report, dry_run, committed, done, total, batches_done, failure, revision, finished_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) RETURNING id",
        args![(i.id != 0).then_some(i.id), i.by, stamp(i.at), &i.file_name, &i.sha256, i.size, i.state.code(), &i.source, &i.reading, report, dry_run, committed, i.done, i.total, i.batches_done, &i.failure, i.revision, i.finished_at.map(stamp)],
    )
}

/// Writes an import change; `None` for every other change.
pub fn apply(conn: &dyn Conn, change: &Change) -> Loaded<Option<u32>> {
    let (Change::ImportSaved(i) | Change::ImportProgressed(i)) = change else {
        return Ok(None);
    };
    let (report, dry_run, committed) = (
        json(&i.file_report)?,
        json(&i.dry_run)?,
        json(&i.committed)?,
    );
    if i.id == 0 {
        return conn
            .insert(
                "INSERT INTO imports (by_user, at, file_name, sha256, size, state, source, reading, file_report, dry_run, committed, done, total, batches_done, failure, revision, finished_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) RETURNING id",
                args![i.by, stamp(i.at), &i.file_name, &i.sha256, i.size, i.state.code(), &i.source, &i.reading, report, dry_run, committed, i.done, i.total, i.batches_done, &i.failure, i.revision, i.finished_at.map(stamp)],
            )
            .map(Some);
    }
    conn.execute(
        "UPDATE imports SET state = ?1, source = ?2, reading = ?3, file_report = ?4, dry_run = ?5, committed = ?6, \
         done = ?7, total = ?8, batches_done = ?9, failure = ?10, revision = ?11, finished_at = ?12 WHERE id = ?13",
        args![i.state.code(), &i.source, &i.reading, report, dry_run, committed, i.done, i.total, i.batches_done, &i.failure, i.revision, i.finished_at.map(stamp), i.id],
    )?;
    Ok(Some(i.id))
}
