//! `kappa-server import`: a call-record export brought into the centre from the server's
//! machine, for files too large for a browser. The file is read once, as it streams, through
//! the same checks as `check-import`; its good calls go to the centre's import rules in batches
//! of [`BATCH`], each its own transaction, so other users' writes never wait long. Importing
//! the same file again changes nothing, so an interrupted import is finished by running it
//! again.

use crate::import_check::{check_import, Checked, Reading};
use crate::store::SqlStore;
use crate::Db;
use kappa_domain::file_import::ImportTally;
use kappa_domain::import::{BatchReport, CallBatch, IncomingCall, RowRefusal, BATCH};
use kappa_domain::workflow;
use kappa_import::check::csv_line;
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

pub struct Imported {
    pub checked: Checked,
    pub outcome: ImportTally,
    /// Every row the centre's rules refused, written beside the file to fix, when there were
    /// any (the file's own refusals are in `checked.rejected`).
    pub refused: Option<PathBuf>,
}

/// The rows the centre's rules refused, written as they come (a large file may have many):
/// row, call id, field and reason, with the mark Excel needs to open UTF-8 as UTF-8.
struct RefusedRows {
    path: PathBuf,
    out: Option<BufWriter<std::fs::File>>,
    zh: bool,
}

impl RefusedRows {
    fn write(&mut self, refusals: &[RowRefusal]) -> std::io::Result<()> {
        if refusals.is_empty() {
            return Ok(());
        }
        let out = match &mut self.out {
            Some(out) => out,
            None => {
                let mut out = BufWriter::new(std::fs::File::create(&self.path)?);
                out.write_all(b"\xEF\xBB\xBF")?;
                let header = if self.zh {
                    ["行", "通话 ID", "字段", "原因"]
                } else {
                    ["row", "call id", "field", "reason"]
                };
                out.write_all(csv_line(&header).as_bytes())?;
                self.out.insert(out)
            }
        };
        for r in refusals {
            let row = r.row.to_string();
            let line = csv_line(&[&row, &r.external_id, &r.field, r.problem.describe(self.zh)]);
            out.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    fn finish(self) -> std::io::Result<Option<PathBuf>> {
        match self.out {
            Some(mut out) => {
                out.flush()?;
                Ok(Some(self.path))
            }
            None => Ok(None),
        }
    }
}

/// Where an import's calls go: the centre's name for their platform, and whether only to say
/// what would happen.
pub struct Target<'a> {
    pub source: &'a str,
    pub dry_run: bool,
}

/// Why reading in batches stopped before the file's end.
pub enum Stop {
    /// The import left the pass it was read for (its lead cancelled it).
    Left,
    Failed(String),
}

/// Reads `file` as `reading` says and hands its good calls to `send` in batches of [`BATCH`]
/// (its answer counted in the outcome); the rows the centre's rules refused go to `refused`.
#[allow(clippy::too_many_arguments)]
pub fn read_in_batches(
    file: &Path,
    reading: Reading,
    zone: chrono_tz::Tz,
    zh: bool,
    refused: &Path,
    progress: &mut dyn FnMut(u64, u64),
    send: &mut dyn FnMut(Vec<IncomingCall>) -> Result<BatchReport, Stop>,
) -> Result<Imported, Stop> {
    let mut outcome = ImportTally::default();
    let mut batch: Vec<IncomingCall> = Vec::with_capacity(BATCH);
    let defaults = reading
        .mapping
        .as_ref()
        .map(|m| m.defaults.clone())
        .unwrap_or_default();
    let written = |e: std::io::Error| Stop::Failed(format!("{}: {e}", refused.display()));
    let mut refused = RefusedRows {
        path: refused.to_path_buf(),
        out: None,
        zh,
    };
    let mut take = |calls: Vec<IncomingCall>,
                    outcome: &mut ImportTally,
                    refused: &mut RefusedRows|
     -> Result<(), Stop> {
        if calls.is_empty() {
            return Ok(());
        }
        let report = send(calls)?;
        refused.write(&report.rejected).map_err(written)?;
        outcome.add(report);
        Ok(())
    };
    let mut stopped = None;
    let checked = check_import(file, reading, zone, zh, progress, &mut |call| {
        batch.push(call.incoming(&defaults));
        if batch.len() == BATCH {
            if let Err(e) = take(std::mem::take(&mut batch), &mut outcome, &mut refused) {
                stopped = Some(e);
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    })
    .map_err(Stop::Failed)?;
    if let Some(e) = stopped {
        return Err(e);
    }
    take(batch, &mut outcome, &mut refused)?;
    let refused = refused.finish().map_err(written)?;
    Ok(Imported {
        checked,
        outcome,
        refused,
    })
}

/// Imports `file` into `target` (or, in a dry run, says what that would do), as the server's
/// operator: the rows the centre's rules refused go beside the file.
pub fn import_file(
    db: &Db,
    file: &Path,
    reading: Reading,
    Target { source, dry_run }: Target,
    zone: chrono_tz::Tz,
    zh: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Imported, String> {
    let salt = db
        .write_now(|conn| Ok(crate::store::caller_salt(conn)?))
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let reading = Reading { salt, ..reading };
    let mut send = |calls: Vec<IncomingCall>| {
        let batch = CallBatch {
            source: source.to_string(),
            calls,
        };
        db.write_now(|conn| {
            Ok(workflow::import_calls_as_operator(
                &mut SqlStore::new(conn),
                batch,
                dry_run,
            )?)
        })
        .map_err(|e| Stop::Failed(format!("{}: {e}", file.display())))
    };
    let refused = file.with_extension("refused.csv");
    read_in_batches(file, reading, zone, zh, &refused, progress, &mut send).map_err(|stop| {
        match stop {
            Stop::Failed(e) => e,
            Stop::Left => format!("{}: stopped", file.display()),
        }
    })
}

/// What the centre took, as the command prints it after the file's own report.
pub fn describe(outcome: &ImportTally, dry_run: bool, zh: bool) -> String {
    let o = outcome;
    let mut lines = vec![match (dry_run, zh) {
        (false, false) => format!(
            "Imported: {} new, {} updated, {} unchanged; {} refused by the centre's rules, {} kept their evaluated agent or start.",
            o.new, o.updated, o.unchanged, o.refused, o.conflicted
        ),
        (true, false) => format!(
            "Dry run, nothing written: {} would be new, {} updated, {} unchanged; {} refused by the centre's rules, {} would keep their evaluated agent or start.",
            o.new, o.updated, o.unchanged, o.refused, o.conflicted
        ),
        (false, true) => format!(
            "已导入：新增 {}，更新 {}，未变 {}；按本中心规则拒绝 {}，{} 通已评估通话保留原坐席或开始时间。",
            o.new, o.updated, o.unchanged, o.refused, o.conflicted
        ),
        (true, true) => format!(
            "试运行，未写入：将新增 {}，更新 {}，未变 {}；按本中心规则拒绝 {}，{} 通已评估通话将保留原坐席或开始时间。",
            o.new, o.updated, o.unchanged, o.refused, o.conflicted
        ),
    }];
    for r in &o.refusals {
        lines.push(if zh {
            format!(
                "  第 {} 行（{}）{}：{}",
                r.row,
                r.external_id,
                r.field,
                r.problem.describe(true)
            )
        } else {
            format!(
                "  row {} ({}) {}: {}",
                r.row,
                r.external_id,
                r.field,
                r.problem.describe(false)
            )
        });
    }
    for c in &o.conflicts {
        lines.push(if zh {
            format!(
                "  第 {} 行（通话 {}）{}：保留 {}，导出为 {}",
                c.row, c.call_id, c.field, c.kept, c.offered
            )
        } else {
            format!(
                "  row {} (call {}) {}: kept {}, the export says {}",
                c.row, c.call_id, c.field, c.kept, c.offered
            )
        });
    }
    if o.refused > o.refusals.len() as u64 || o.conflicted > o.conflicts.len() as u64 {
        lines.push(if zh {
            "  ……".into()
        } else {
            "  …".into()
        });
    }
    lines.join("\n")
}
