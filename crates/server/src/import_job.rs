//! The server's import jobs: a staged file read through its lead's mapping, in a dry run or a
//! commit, on the blocking pool. Each batch is one short transaction; the import's record
//! holds the job's progress, so a lead's cancel takes effect at the next batch and a commit the
//! server was stopped in resumes after its last batch when the server starts again.

use crate::import_check::Reading;
use crate::import_run::{read_in_batches, Imported, Stop};
use crate::store::{caller_salt, centre_zone, SqlStore};
use crate::{Db, Error};
use kappa_domain::file_import::{FileImport, ImportId, ImportState};
use kappa_domain::import::{BatchReport, CallBatch, IncomingCall};
use kappa_domain::{workflow, Refusal};
use kappa_import::mapping::ReadingSettings;
use std::path::{Path, PathBuf};

/// How an upload's file is named while it arrives: what a start-up sweeps away.
pub const ARRIVING: &str = "arriving-";

/// One job at a time: each reads a whole file and writes a transaction a batch; two at once
/// would only share the cores and the writer. The others wait their turn.
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Where an import's files are, in the folder of staged files.
pub struct ImportFiles {
    pub staged: PathBuf,
    /// The rows the file's own checks refused, with their cells (written by the reading).
    pub rejected: PathBuf,
    /// The rows the centre's rules refused.
    pub refused: PathBuf,
}

impl ImportFiles {
    pub fn of(folder: &Path, id: ImportId) -> ImportFiles {
        // The reading writes its rejected rows beside the file, as `<name>.rejected.csv`.
        let staged = folder.join(format!("{id}.upload"));
        ImportFiles {
            rejected: staged.with_extension("rejected.csv"),
            refused: staged.with_extension("refused.csv"),
            staged,
        }
    }
}

/// Starts the job `import`'s state calls for, if any.
pub fn start(db: Db, folder: PathBuf, import: FileImport) {
    if !import.state.running() {
        return;
    }
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let id = import.id;
        let _turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Err(Stop::Failed(why)) = run(&db, &runtime, &folder, &import) {
            tracing::warn!(import = id, "import stopped: {why}");
            let failed = db.write_now(|conn| {
                Ok(workflow::fail_import(
                    &mut SqlStore::new(conn),
                    id,
                    why,
                    now(),
                )?)
            });
            if let Err(e) = failed {
                tracing::error!(import = id, "import's failure not recorded: {e}");
            }
        }
        // However it ended (done, cancelled, failed), a file no pass will read again goes.
        if let Ok(Some(now)) = db.write_now(|conn| Ok(crate::store::imports::import(conn, id)?)) {
            tidy(&folder, &now);
        }
    });
}

/// Removes the staged copy of an import that no pass will read again (committed, cancelled,
/// failed): its refused-rows files stay, to download.
pub fn tidy(folder: &Path, import: &FileImport) {
    let ended = matches!(
        import.state,
        ImportState::Committed | ImportState::Cancelled | ImportState::Failed
    );
    if ended {
        let _ = std::fs::remove_file(ImportFiles::of(folder, import.id).staged);
    }
}

/// Starts again every job the server was running when it stopped, and sweeps away the uploads
/// it was receiving.
pub fn resume(db: &Db, folder: &Path) -> crate::Result<()> {
    if let Ok(entries) = std::fs::read_dir(folder) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(ARRIVING) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let running = db.write_now(|conn| Ok(crate::store::imports::running(conn)?))?;
    for import in running {
        tracing::info!(
            import = import.id,
            state = import.state.code(),
            "resuming import"
        );
        start(db.clone(), folder.to_path_buf(), import);
    }
    Ok(())
}

/// A refusal of the import's next step: it left its pass (cancelled; or, for a batch that is
/// not the next, another job has it), or something failed.
fn stopped(e: Error) -> Stop {
    match e {
        Error::Refused(Refusal::WrongImportState(_) | Refusal::ChangedSinceOpened(_)) => Stop::Left,
        e => Stop::Failed(e.to_string()),
    }
}

fn run(
    db: &Db,
    runtime: &tokio::runtime::Handle,
    folder: &Path,
    import: &FileImport,
) -> Result<(), Stop> {
    let id = import.id;
    let files = ImportFiles::of(folder, id);
    // A new pass writes its own refused rows; a resumed commit adds to its own.
    if import.batches_done == 0 {
        let _ = std::fs::remove_file(&files.rejected);
        let _ = std::fs::remove_file(&files.refused);
    }
    let settings: ReadingSettings = serde_json::from_str(&import.reading)
        .map_err(|e| Stop::Failed(format!("reading settings: {e}")))?;
    let (salt, zone) = db
        .write_now(|conn| Ok((caller_salt(conn)?, centre_zone(conn)?)))
        .map_err(stopped)?;
    let reading = Reading {
        preset: settings.preset,
        mapping: Some(settings.mapping),
        sheet: settings.sheet,
        salt,
        encoding: settings.encoding,
    };
    let read = |send: &mut dyn FnMut(Vec<IncomingCall>) -> Result<BatchReport, Stop>,
                progress: &mut dyn FnMut(u64, u64)| {
        read_in_batches(
            &files.staged,
            reading,
            zone,
            settings.zh,
            &files.refused,
            progress,
            send,
        )
    };
    match import.state {
        ImportState::Checking => {
            // Decided on a reader: a dry run writes nothing, so it never holds the writer.
            let mut send = |calls| {
                runtime
                    .block_on(
                        db.view(move |store| workflow::dry_run_batch(store, id, batch(calls))),
                    )
                    .map_err(stopped)
            };
            let mut progress = |done: u64, _size: u64| {
                // Progress only: a cancel is heard at the next batch.
                let _ = db.write_now(|conn| {
                    Ok(workflow::dry_run_progress(
                        &mut SqlStore::new(conn),
                        id,
                        done,
                    )?)
                });
            };
            let imported = read(&mut send, &mut progress)?;
            let report = file_report(&imported);
            db.write_now(|conn| {
                Ok(workflow::finish_dry_run(
                    &mut SqlStore::new(conn),
                    id,
                    report,
                    imported.outcome,
                )?)
            })
            .map_err(stopped)?;
        }
        ImportState::Committing => {
            // Batches written before the server stopped are passed over: they were whole.
            let (skip, mut index) = (import.batches_done, 0u32);
            let mut send = |calls| {
                index += 1;
                if index <= skip {
                    return Ok(BatchReport::default());
                }
                db.write_now(|conn| {
                    Ok(workflow::commit_batch(
                        &mut SqlStore::new(conn),
                        id,
                        index,
                        batch(calls),
                    )?)
                })
                .map_err(stopped)
            };
            let imported = read(&mut send, &mut |_, _| {})?;
            let report = file_report(&imported);
            db.write_now(|conn| {
                Ok(workflow::finish_commit(
                    &mut SqlStore::new(conn),
                    id,
                    report,
                    now(),
                )?)
            })
            .map_err(stopped)?;
        }
        _ => {}
    }
    Ok(())
}

/// The calls of one batch; its source is the import's (the rules set it).
fn batch(calls: Vec<IncomingCall>) -> CallBatch {
    CallBatch {
        source: String::new(),
        calls,
    }
}

/// The file's report as the import keeps it: how it was read, and without the rejected rows,
/// which are in their own file.
fn file_report(imported: &Imported) -> serde_json::Value {
    let mut report = imported.checked.report.clone();
    report.rejected_csv.clear();
    kappa_import::check::kept_report(&report, &imported.checked.shape)
}

/// When a job's step happens, by the server's clock.
fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
