//! An import's steps: a lead stages a file, asks for a dry run, commits it or cancels; the
//! server's job reads the file and reports each pass's progress and end. Leads see their own
//! imports, administrators everyone's (another lead's import answers as a missing one).

use super::{echo, missing, require, Outcome};
use crate::access::Capability;
use crate::call_query::{Problem, QueryError};
use crate::file_import::{
    DryRunRequest, FileImport, ImportId, ImportState, ImportStep, ImportTally, StagedFile,
    LISTED_IMPORTS, MAX_FILE_NAME, MAX_READING_BYTES, MAX_UPLOAD_BYTES,
};
use crate::import::{BatchReport, CallBatch};
use crate::people::User;
use crate::refusal::{Entity, Refusal};
use crate::store::{Change, Store};
use crate::vocabulary::term_code_problem;
use chrono::NaiveDateTime;

/// The imports `actor` may see, newest first.
pub fn file_imports(store: &(impl Store + ?Sized), actor: &User) -> Outcome<Vec<FileImport>> {
    require(actor, Capability::ImportCalls)?;
    let by = (!actor.role.can(Capability::ReadAudit)).then_some(actor.id);
    Ok(store.file_imports(by, LISTED_IMPORTS)?)
}

pub fn file_import(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: ImportId,
) -> Outcome<FileImport> {
    require(actor, Capability::ImportCalls)?;
    visible(store, actor, id)
}

fn visible(store: &(impl Store + ?Sized), actor: &User, id: ImportId) -> Outcome<FileImport> {
    match store.file_import(id)? {
        Some(i) if i.by == actor.id || actor.role.can(Capability::ReadAudit) => Ok(i),
        _ => Err(missing(Entity::Import)),
    }
}

/// Whether `actor` may stage a file named `file_name`: asked before its bytes are read, so
/// neither a role that may not import nor a name that would be refused costs an upload.
pub fn may_stage(actor: &User, file_name: &str) -> Outcome<()> {
    require(actor, Capability::ImportCalls)?;
    match file_name_problem(file_name) {
        Some(problem) => Err(Refusal::InvalidInput(vec![problem]).into()),
        None => Ok(()),
    }
}

fn file_name_problem(file_name: &str) -> Option<QueryError> {
    let file_name = file_name.trim();
    let length = file_name.chars().count();
    (length == 0 || length > MAX_FILE_NAME || file_name.chars().any(char::is_control)).then(|| {
        QueryError::new(
            "file_name",
            echo(file_name),
            Problem::Length {
                min: 1,
                max: MAX_FILE_NAME as u32,
            },
        )
    })
}

/// Records a file the server has stored. The same lead uploading the same file again (a retry,
/// a second tab) before committing it gets the same import back.
pub fn stage_import(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    file: StagedFile,
    at: NaiveDateTime,
) -> Outcome<FileImport> {
    require(actor, Capability::ImportCalls)?;
    let file_name = file.file_name.trim().to_string();
    let mut problems: Vec<QueryError> = file_name_problem(&file_name).into_iter().collect();
    if file.size == 0 || file.size > MAX_UPLOAD_BYTES {
        // In megabytes, as the bound is.
        problems.push(QueryError::new(
            "size",
            format!("{:.1}", file.size as f64 / f64::from(1u32 << 20)),
            Problem::OutOfRange {
                min: 1,
                max: (MAX_UPLOAD_BYTES >> 20) as u32,
            },
        ));
    }
    if file.sha256.len() != 64 || !file.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        problems.push(QueryError::new(
            "sha256",
            echo(&file.sha256),
            Problem::Characters {
                allowed: "0-9a-f ×64".into(),
            },
        ));
    }
    if !problems.is_empty() {
        return Err(Refusal::InvalidInput(problems).into());
    }
    let again = store
        .file_imports(Some(actor.id), LISTED_IMPORTS)?
        .into_iter()
        .find(|i| {
            i.sha256 == file.sha256
                && matches!(
                    i.state,
                    ImportState::Staged | ImportState::Checking | ImportState::Checked
                )
        });
    if let Some(import) = again {
        return Ok(import);
    }
    let import = FileImport {
        by: actor.id,
        at,
        file_name,
        sha256: file.sha256.to_ascii_lowercase(),
        size: file.size,
        revision: 1,
        ..FileImport::default()
    };
    let id = store.write(Some(actor.id), Change::ImportSaved(import.clone()))?;
    Ok(FileImport { id, ..import })
}

/// Starts a dry run of a staged or checked file (checked again with another mapping). The
/// server's job then reads it.
pub fn begin_dry_run(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: ImportId,
    request: DryRunRequest,
) -> Outcome<FileImport> {
    require(actor, Capability::ImportCalls)?;
    let import = visible(store, actor, id)?;
    let mut problems = Vec::new();
    if let Some(problem) = term_code_problem(&request.source) {
        problems.push(QueryError::new("source", echo(&request.source), problem));
    }
    if request.reading.len() > MAX_READING_BYTES {
        problems.push(QueryError::new(
            "reading",
            request.reading.len().to_string(),
            Problem::OutOfRange {
                min: 0,
                max: MAX_READING_BYTES as u32,
            },
        ));
    }
    if !problems.is_empty() {
        return Err(Refusal::InvalidInput(problems).into());
    }
    if !matches!(import.state, ImportState::Staged | ImportState::Checked) {
        return Err(Refusal::WrongImportState(import.state).into());
    }
    if request.revision != import.revision {
        return Err(Refusal::ChangedSinceOpened(Entity::Import).into());
    }
    save(
        store,
        actor,
        FileImport {
            state: ImportState::Checking,
            source: request.source,
            reading: request.reading,
            file_report: None,
            dry_run: None,
            done: 0,
            total: import.size,
            revision: import.revision + 1,
            ..import
        },
    )
}

/// Starts writing a checked import's calls, read as its dry run read them, and says whether
/// this request started it. Asked again from the same dry run while it commits or after (a
/// retry, a second tab), it answers the import as it stands: there is never a second commit of
/// one dry run; a commit asked from an older dry run is refused.
pub fn begin_commit(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: ImportId,
    step: ImportStep,
) -> Outcome<(FileImport, bool)> {
    require(actor, Capability::ImportCalls)?;
    let import = visible(store, actor, id)?;
    match import.state {
        // The same commit asked again (the step before it made it): answered as it stands.
        ImportState::Committing | ImportState::Committed
            if step.revision + 1 == import.revision =>
        {
            return Ok((import, false))
        }
        ImportState::Checked => {}
        state => return Err(Refusal::WrongImportState(state).into()),
    }
    if step.revision != import.revision {
        return Err(Refusal::ChangedSinceOpened(Entity::Import).into());
    }
    // Every call the file's checks passed goes through a batch: taken or refused by the rules.
    let total = import.dry_run.as_ref().map_or(0, |t| t.taken() + t.refused);
    let import = save(
        store,
        actor,
        FileImport {
            state: ImportState::Committing,
            committed: Some(ImportTally::default()),
            done: 0,
            total,
            batches_done: 0,
            revision: import.revision + 1,
            ..import
        },
    )?;
    Ok((import, true))
}

/// Stops a running pass, or sets aside a staged or checked file. The batches a commit wrote
/// stay, each whole; cancelling again answers the import as it is.
pub fn cancel_import(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: ImportId,
    step: ImportStep,
    at: NaiveDateTime,
) -> Outcome<FileImport> {
    require(actor, Capability::ImportCalls)?;
    let import = visible(store, actor, id)?;
    match import.state {
        ImportState::Cancelled => return Ok(import),
        ImportState::Committed | ImportState::Failed => {
            return Err(Refusal::WrongImportState(import.state).into())
        }
        _ => {}
    }
    if step.revision != import.revision {
        return Err(Refusal::ChangedSinceOpened(Entity::Import).into());
    }
    save(
        store,
        actor,
        FileImport {
            state: ImportState::Cancelled,
            revision: import.revision + 1,
            finished_at: Some(at),
            ..import
        },
    )
}

fn save(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    import: FileImport,
) -> Outcome<FileImport> {
    store.write(Some(actor.id), Change::ImportSaved(import.clone()))?;
    Ok(import)
}

// ---- The server's job, which reads the staged file: no user's request, so no actor's rights;
// each step first checks the import is still in the pass it belongs to (a cancel may have come
// between two batches).

/// The import a job works on, when it is still in `state`.
fn running(store: &(impl Store + ?Sized), id: ImportId, state: ImportState) -> Outcome<FileImport> {
    let import = store
        .file_import(id)?
        .ok_or_else(|| missing(Entity::Import))?;
    if import.state != state {
        return Err(Refusal::WrongImportState(import.state).into());
    }
    Ok(import)
}

/// How much of the file the dry run has read.
pub fn dry_run_progress(store: &mut (impl Store + ?Sized), id: ImportId, done: u64) -> Outcome<()> {
    let import = running(store, id, ImportState::Checking)?;
    store.write(
        None,
        Change::ImportProgressed(FileImport { done, ..import }),
    )?;
    Ok(())
}

/// Decides one batch of a dry run, on a reader: nothing is written.
pub fn dry_run_batch(
    store: &(impl Store + ?Sized),
    id: ImportId,
    batch: CallBatch,
) -> Outcome<BatchReport> {
    let import = running(store, id, ImportState::Checking)?;
    let batch = CallBatch {
        source: import.source.clone(),
        ..batch
    };
    Ok(super::import::decide(store, batch)?.report)
}

/// The dry run's end: the file's report and what the centre would take.
pub fn finish_dry_run(
    store: &mut (impl Store + ?Sized),
    id: ImportId,
    file_report: serde_json::Value,
    tally: ImportTally,
) -> Outcome<FileImport> {
    let import = running(store, id, ImportState::Checking)?;
    let import = FileImport {
        state: ImportState::Checked,
        file_report: Some(file_report),
        dry_run: Some(tally),
        done: import.total,
        ..import
    };
    store.write(Some(import.by), Change::ImportSaved(import.clone()))?;
    Ok(import)
}

/// Writes the commit's batch number `number` (from 1) and its place, together (the server's
/// job asks this in one transaction): a resumed commit starts after the last batch written,
/// and a batch that is not the next one (another job on the same import) is refused, so no
/// batch is counted twice or passed over.
pub fn commit_batch(
    store: &mut (impl Store + ?Sized),
    id: ImportId,
    number: u32,
    batch: CallBatch,
) -> Outcome<BatchReport> {
    let mut import = running(store, id, ImportState::Committing)?;
    if number != import.batches_done + 1 {
        return Err(Refusal::ChangedSinceOpened(Entity::Import).into());
    }
    let rows = batch.calls.len() as u64;
    let report = import_batch(store, &import, batch)?;
    import.batches_done += 1;
    import.done += rows;
    import
        .committed
        .get_or_insert_with(ImportTally::default)
        .add(report.clone());
    store.write(None, Change::ImportProgressed(import))?;
    Ok(report)
}

fn import_batch(
    store: &mut (impl Store + ?Sized),
    import: &FileImport,
    batch: CallBatch,
) -> Outcome<BatchReport> {
    let batch = CallBatch {
        source: import.source.clone(),
        ..batch
    };
    super::import::import(store, Some(import.by), batch, false)
}

/// The commit's end: every batch written.
pub fn finish_commit(
    store: &mut (impl Store + ?Sized),
    id: ImportId,
    file_report: serde_json::Value,
    at: NaiveDateTime,
) -> Outcome<FileImport> {
    let import = running(store, id, ImportState::Committing)?;
    let import = FileImport {
        state: ImportState::Committed,
        file_report: Some(file_report),
        done: import.total.max(import.done),
        finished_at: Some(at),
        ..import
    };
    store.write(Some(import.by), Change::ImportSaved(import.clone()))?;
    Ok(import)
}

/// A pass that could not go on: the file could not be read through (it changed on disk, a
/// problem that stops the whole file), or the server's store failed.
pub fn fail_import(
    store: &mut (impl Store + ?Sized),
    id: ImportId,
    failure: String,
    at: NaiveDateTime,
) -> Outcome<FileImport> {
    let import = store
        .file_import(id)?
        .ok_or_else(|| missing(Entity::Import))?;
    if !import.state.running() {
        return Ok(import);
    }
    let import = FileImport {
        state: ImportState::Failed,
        failure: failure.chars().take(2_000).collect(),
        finished_at: Some(at),
        ..import
    };
    store.write(Some(import.by), Change::ImportSaved(import.clone()))?;
    Ok(import)
}
