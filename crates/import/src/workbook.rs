//! Excel workbooks (.xlsx), read by `calamine` cell by cell, so a sheet of a million rows is
//! never held whole. A workbook is a zip archive: before calamine opens it, every entry is
//! unpacked into nothing with a ceiling on the total, so a zip bomb is refused, not unpacked.

use crate::problem::{ImportProblem, Refusal};
use calamine::{DataRef, Reader, Xlsx};
use std::io::{Cursor, Read};
use std::ops::ControlFlow;

/// The most a workbook may unpack to.
pub const MAX_UNPACKED_BYTES: u64 = 512 << 20;

/// The sheets of a workbook, in order, for the lead to choose from.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, Refusal> {
    Ok(open(bytes)?.sheet_names())
}

fn open(bytes: &[u8]) -> Result<Xlsx<Cursor<&[u8]>>, Refusal> {
    measure(bytes, MAX_UNPACKED_BYTES)?;
    Xlsx::new(Cursor::new(bytes))
        .map_err(|e| Refusal::new(ImportProblem::NotAWorkbook).with_value(&e.to_string()))
}

/// Unpacks every entry into nothing, refusing past `limit` bytes in all.
fn measure(bytes: &[u8], limit: u64) -> Result<(), Refusal> {
    let not_a_workbook = |e: &dyn std::fmt::Display| {
        Refusal::new(ImportProblem::NotAWorkbook).with_value(&e.to_string())
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_a_workbook(&e))?;
    let mut left = limit;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| not_a_workbook(&e))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let mut unpacking = entry.take(left + 1);
        let mut head = Vec::new();
        let start = (&mut unpacking)
            .take(4096)
            .read_to_end(&mut head)
            .map_err(|e| not_a_workbook(&e))? as u64;
        let unpacked = start
            + std::io::copy(&mut unpacking, &mut std::io::sink())
                .map_err(|e| not_a_workbook(&e))?;
        if unpacked > left {
            return Err(Refusal::new(ImportProblem::WorkbookTooLarge));
        }
        // calamine reserves room for as many strings as the shared-string table claims: a
        // claim its few bytes cannot hold would ask for terabytes.
        if name.ends_with("sharedStrings.xml")
            && unique_count(&head).is_some_and(|n| n > unpacked / MIN_SHARED_STRING_BYTES + 1)
        {
            return Err(Refusal::new(ImportProblem::NotAWorkbook).with_value(&name));
        }
        left -= unpacked;
    }
    Ok(())
}

/// The fewest bytes a shared string takes: `<si><t/></si>`.
const MIN_SHARED_STRING_BYTES: u64 = 13;

/// The `uniqueCount` a shared-string table's start declares.
fn unique_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let at = text.find("uniqueCount=")? + "uniqueCount=".len();
    let digits: String = text[at..]
        .chars()
        .skip(1)
        .take_while(char::is_ascii_digit)
        .collect();
    // More digits than a u64 holds is more strings than any file.
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// Hands each row of `sheet` (the first when `None`) to `record` as text, gaps between cells
/// filled with empty text.
pub fn read_sheet(
    bytes: &[u8],
    sheet: Option<&str>,
    record: &mut dyn FnMut(Vec<String>) -> ControlFlow<()>,
) -> Result<(), Refusal> {
    let mut workbook = open(bytes)?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(chosen) => names
            .iter()
            .find(|n| *n == chosen)
            .ok_or_else(|| Refusal::new(ImportProblem::NoSuchSheet).with_value(chosen))?,
        None => names
            .first()
            .ok_or_else(|| Refusal::new(ImportProblem::EmptyFile))?,
    }
    .clone();
    let mut cells = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| Refusal::new(ImportProblem::NotAWorkbook).with_value(&e.to_string()))?;
    let mut current: Option<u32> = None;
    let mut fields: Vec<String> = Vec::new();
    // A shared string is stored once and may fill every cell: a row is bounded as a CSV
    // record is.
    let mut row_bytes = 0usize;
    // A sheet leaves out empty cells at a row's end: each row is as wide as the header.
    let mut width: Option<usize> = None;
    let mut full = |mut fields: Vec<String>| {
        let width = *width.get_or_insert(fields.len());
        while fields.len() > width && fields.last().is_some_and(String::is_empty) {
            fields.pop();
        }
        if fields.len() < width {
            fields.resize(width, String::new());
        }
        record(fields)
    };
    loop {
        let cell = cells
            .next_cell()
            .map_err(|e| Refusal::new(ImportProblem::NotAWorkbook).with_value(&e.to_string()))?;
        let Some(cell) = cell else { break };
        let (row, column) = cell.get_position();
        if current.is_some_and(|r| r != row) {
            row_bytes = 0;
            // Rows left out of the sheet's XML are blank rows.
            if full(std::mem::take(&mut fields)).is_break() {
                return Ok(());
            }
        }
        current = Some(row);
        let column = column as usize;
        let value = cell.get_value();
        // Formatted cells without a value are no columns.
        if matches!(value, DataRef::Empty) {
            continue;
        }
        if column >= crate::table::MAX_COLUMNS {
            return Err(Refusal::new(ImportProblem::TooManyColumns).at_line(u64::from(row) + 1));
        }
        if fields.len() <= column {
            fields.resize(column + 1, String::new());
        }
        let value = text(value);
        row_bytes += value.len();
        if row_bytes > crate::table::MAX_RECORD_BYTES {
            return Err(Refusal::new(ImportProblem::RecordTooLarge).at_line(u64::from(row) + 1));
        }
        fields[column] = value;
    }
    if current.is_some() {
        let _ = full(fields);
    }
    Ok(())
}

/// A cell as text the field readers take: whole numbers without a decimal point (agent codes,
/// phone numbers), dates as `2026-11-03 09:15:00`, times of day and durations as `h:mm:ss`.
fn text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(at) if at.is_duration() || at.as_f64() < 1.0 => {
            let seconds = (at.as_f64() * 86_400.0).round() as i64;
            format!(
                "{}:{:02}:{:02}",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60
            )
        }
        DataRef::DateTime(at) => at
            .as_datetime()
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| at.as_f64().to_string()),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in entries {
            out.start_file(*name, options).unwrap();
            out.write_all(body).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_unpacked() {
        // 8 MB of zeros packs to a few kilobytes; measured against a 4 MB ceiling.
        let zeros = vec![0u8; 8 << 20];
        let bomb = zip(&[("xl/worksheets/sheet1.xml", &zeros)]);
        assert!(bomb.len() < 64 << 10);
        assert_eq!(
            measure(&bomb, 4 << 20).unwrap_err().problem,
            ImportProblem::WorkbookTooLarge
        );
        assert_eq!(measure(&bomb, 16 << 20), Ok(()));
    }

    #[test]
    fn a_shared_string_table_that_claims_more_than_it_holds_is_refused() {
        let liar = zip(&[(
            "xl/sharedStrings.xml",
            br#"<sst xmlns="x" count="1" uniqueCount="100000000000"><si><t>a</t></si></sst>"#,
        )]);
        let refused = measure(&liar, MAX_UNPACKED_BYTES).unwrap_err();
        assert_eq!(refused.problem, ImportProblem::NotAWorkbook);
        let honest = zip(&[(
            "xl/sharedStrings.xml",
            br#"<sst xmlns="x" count="2" uniqueCount="2"><si><t>a</t></si><si><t>b</t></si></sst>"#,
        )]);
        assert_eq!(measure(&honest, MAX_UNPACKED_BYTES), Ok(()));
    }

    #[test]
    fn a_zip_that_is_no_workbook_and_bytes_that_are_no_zip() {
        let not_excel = zip(&[("readme.txt", b"hello")]);
        assert_eq!(
            sheet_names(&not_excel).unwrap_err().problem,
            ImportProblem::NotAWorkbook
        );
        assert_eq!(
            sheet_names(b"PK\x03\x04 truncated").unwrap_err().problem,
            ImportProblem::NotAWorkbook
        );
    }
}
