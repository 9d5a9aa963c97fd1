//! A file of call records brought in from the browser: uploaded once and staged, read in a dry
//! run that says what the centre would take, then committed in batches exactly as the dry run
//! read it. The record is the import's audit (who, when, the file's name and hash, how it was
//! read, what it did) and the job's progress, so an interrupted commit resumes from its last
//! batch. Reading the file is `kappa-import`'s; what each batch does is [`crate::import`]'s.

use crate::coded;
use crate::import::{BatchReport, Conflict, RowRefusal};
use crate::people::UserId;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

pub type ImportId = u32;

/// The largest file the browser may upload: a million-row export is about 150 MB; larger ones
/// go through `kappa-server import` on the server's machine.
pub const MAX_UPLOAD_BYTES: u64 = 256 << 20;
/// Longest file name kept (as the lead's system named it).
pub const MAX_FILE_NAME: usize = 255;
/// Longest reading settings (a mapping with its value maps).
pub const MAX_READING_BYTES: usize = 64 << 10;
/// Imports a list shows, newest first.
pub const LISTED_IMPORTS: usize = 50;
/// Refusals and conflicts a tally lists; the rest are counted.
pub const LISTED_PROBLEMS: usize = 100;

coded!(
    /// Where an import stands.
    #[derive(Default)]
    pub enum ImportState {
        /// Uploaded; not read yet.
        #[default]
        Staged => "staged",
        /// The dry run is reading the file.
        Checking => "checking",
        /// The dry run is done: its report waits for the lead's commit.
        Checked => "checked",
        /// Batches are being written.
        Committing => "committing",
        Committed => "committed",
        /// Stopped by its lead: the batches written before stay (each was whole).
        Cancelled => "cancelled",
        /// The file could not be read through, or the server stopped it; `failure` says why.
        Failed => "failed",
    }
);

impl ImportState {
    /// A job is reading the file in this state.
    pub fn running(self) -> bool {
        matches!(self, ImportState::Checking | ImportState::Committing)
    }
}

/// What the centre took of an import's calls (or, in its dry run, would take).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportTally {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub refused: u64,
    pub conflicted: u64,
    /// The first refusals and conflicts, in file order.
    pub refusals: Vec<RowRefusal>,
    pub conflicts: Vec<Conflict>,
}

impl ImportTally {
    pub fn add(&mut self, report: BatchReport) {
        self.new += u64::from(report.new);
        self.updated += u64::from(report.updated);
        self.unchanged += u64::from(report.unchanged);
        self.refused += report.rejected.len() as u64;
        self.conflicted += report.conflicts.len() as u64;
        let room = LISTED_PROBLEMS.saturating_sub(self.refusals.len());
        self.refusals.extend(report.rejected.into_iter().take(room));
        let room = LISTED_PROBLEMS.saturating_sub(self.conflicts.len());
        self.conflicts
            .extend(report.conflicts.into_iter().take(room));
    }

    /// Calls the centre took or would take: new, updated and unchanged.
    pub fn taken(&self) -> u64 {
        self.new + self.updated + self.unchanged
    }
}

/// One import: its audit record and its job's progress.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileImport {
    pub id: ImportId,
    pub by: UserId,
    #[serde(with = "crate::time::iso")]
    pub at: NaiveDateTime,
    pub file_name: String,
    /// The file's SHA-256, hex: what the audit knows the file by.
    pub sha256: String,
    pub size: u64,
    pub state: ImportState,
    /// The platform the calls come from (a call's id is unique within it).
    pub source: String,
    /// How the file is read (`kappa-import`'s reading settings as JSON), kept as it came: the
    /// commit reads the file exactly as its dry run did, and the audit shows the mapping.
    pub reading: String,
    /// The file's own report of the last pass (`kappa-import`'s), as JSON.
    #[serde(default)]
    pub file_report: Option<serde_json::Value>,
    pub dry_run: Option<ImportTally>,
    pub committed: Option<ImportTally>,
    /// The running pass's progress: bytes of the file while checking, calls while committing.
    pub done: u64,
    pub total: u64,
    /// Batches the commit has written, each whole: a resumed commit starts after them.
    pub batches_done: u32,
    /// Why a failed import stopped.
    #[serde(default)]
    pub failure: String,
    /// Counts the lead's steps (dry run, commit, cancel): a step asked from an older revision
    /// is refused as stale.
    pub revision: u32,
    #[serde(default, with = "crate::time::maybe_iso")]
    pub finished_at: Option<NaiveDateTime>,
}

/// A file the server has received and stored under its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StagedFile {
    pub file_name: String,
    pub sha256: String,
    pub size: u64,
}

/// The lead's dry-run request: how to read the staged file, and as which source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunRequest {
    pub source: String,
    pub reading: String,
    /// The import's revision the lead saw.
    pub revision: u32,
}

/// A step asked at the import's revision the lead saw (commit, cancel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStep {
    pub revision: u32,
}
