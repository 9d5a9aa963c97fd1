//! `kappa-server check-import`: a call-record export checked on the server's machine before it
//! is imported, for files too large for a browser. No database is opened: the file is read
//! once, as it streams, through a preset's mapping, and the report says what an import would
//! take, leave out and refuse, with the rejected rows written beside the file to fix.

use chrono::TimeZone;
use kappa_import::check::{check_file, preview, FileReport};
use kappa_import::mapping::Mapping;
use kappa_import::preset::{shape_of, Preset};
use kappa_import::table::{Shape, SNIFF_BYTES};
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// Unmapped names and problems the report lists; the rest are counted.
const LISTED: usize = 20;

pub struct Checked {
    pub shape: Shape,
    pub report: FileReport,
    /// Where the rejected rows went, when there were any.
    pub rejected: Option<PathBuf>,
}

/// How an export is read: a platform's preset (where its calls sit, whether it has a header
/// row) and a mapping, the preset's or the one the headers suggest unless one is given (a
/// saved mapping, with the centre's value maps).
#[derive(Default)]
pub struct Reading {
    pub preset: Option<Preset>,
    pub mapping: Option<Mapping>,
    pub sheet: Option<String>,
    /// What masked callers' numbers are hashed with: the centre's secret for an import (a
    /// check keeps no hash).
    pub salt: String,
    /// The text encoding the lead confirmed, over the guess.
    pub encoding: Option<kappa_import::encoding::SourceEncoding>,
}

/// Checks `file` as `reading` says; times with an offset are placed in `zone`, the centre's.
/// `progress` hears the bytes read so far and the file's size; `each` every good call.
pub fn check_import(
    file: &Path,
    reading: Reading,
    zone: chrono_tz::Tz,
    zh: bool,
    progress: &mut dyn FnMut(u64, u64),
    each: &mut dyn FnMut(kappa_import::mapping::SourceCall) -> ControlFlow<()>,
) -> Result<Checked, String> {
    let Reading {
        preset,
        mapping: given,
        sheet,
        salt,
        encoding,
    } = reading;
    let name = file.display().to_string();
    let opened = |e: std::io::Error| format!("{name}: {e}");
    let size = std::fs::metadata(file).map_err(opened)?.len();
    let mut head = Vec::new();
    std::fs::File::open(file)
        .map_err(opened)?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(opened)?;
    let refused = |r: kappa_import::problem::Refusal| format!("{name}: {}", r.describe(zh));
    let shape = shape_of(&head, preset, sheet, encoding).map_err(refused)?;
    let mapping = match preset {
        Some(preset) => preset.mapping(),
        None => Mapping::suggested(&preview(&head, &shape, 1, true).map_err(refused)?.columns),
    };
    let mapping = given.unwrap_or(mapping);
    let mut read = 0u64;
    let counted = Counted {
        inner: std::io::BufReader::new(std::fs::File::open(file).map_err(opened)?),
        read: &mut read,
        size,
        progress,
    };
    let centre = |utc: chrono::NaiveDateTime| zone.from_utc_datetime(&utc).naive_local();
    let report =
        check_file(counted, &shape, &mapping, &centre, &salt, zh, each).map_err(refused)?;
    let rejected = if report.rejected_csv.is_empty() {
        None
    } else {
        let path = file.with_extension("rejected.csv");
        // With the mark Excel needs to open UTF-8 as UTF-8.
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(report.rejected_csv.as_bytes());
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        Some(path)
    };
    Ok(Checked {
        shape,
        report,
        rejected,
    })
}

/// The report as the command prints it.
pub fn describe(checked: &Checked, zh: bool) -> String {
    let (shape, r) = (&checked.shape, &checked.report);
    let (encoding, format) = (shape.encoding.code(), shape.format.code());
    let (rows, valid, without, refused) = (r.rows, r.valid, r.without_agent, r.rejected);
    let mut lines = vec![if zh {
        format!("编码 {encoding}，格式 {format}；共 {rows} 行：可导入 {valid}，无坐席（未接听等）{without}，拒绝 {refused}。")
    } else {
        format!("Encoding {encoding}, format {format}; {rows} rows: {valid} to import, {without} without an agent (not answered and the like), {refused} refused.")
    }];
    for (names, en, zh_label) in [
        (&r.unmapped_queues, "Queues to map", "待映射的队列"),
        (&r.unmapped_outcomes, "Outcomes to map", "待映射的处理结果"),
    ] {
        if names.is_empty() {
            continue;
        }
        let mut counted: Vec<(&String, &u64)> = names.iter().collect();
        counted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = counted
            .iter()
            .take(LISTED)
            .map(|(name, n)| format!("{name} ({n})"))
            .collect();
        lines.push(format!(
            "{}: {}",
            if zh { zh_label } else { en },
            shown.join(", ")
        ));
    }
    for problem in r.problems.iter().take(LISTED) {
        lines.push(format!("  {}", problem.describe(zh)));
    }
    if r.problems.len() > LISTED || r.more_problems {
        lines.push(if zh {
            "  ……更多问题见拒绝行文件。".to_string()
        } else {
            "  … more in the rejected-rows file.".to_string()
        });
    }
    if let Some(path) = &checked.rejected {
        lines.push(if zh {
            format!("拒绝的行已写入 {}。", path.display())
        } else {
            format!("The refused rows are in {}.", path.display())
        });
    }
    lines.join("\n")
}

/// A reader that tells how far it has read, each time another percent is done.
struct Counted<'p, R> {
    inner: R,
    read: &'p mut u64,
    size: u64,
    progress: &'p mut dyn FnMut(u64, u64),
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let before = *self.read * 100 / self.size.max(1);
        *self.read += n as u64;
        if *self.read * 100 / self.size.max(1) > before || n == 0 {
            (self.progress)(*self.read, self.size);
        }
        Ok(n)
    }
}
