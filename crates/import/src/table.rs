//! A file's rows, whatever its shape: CSV with any delimiter, quoted fields and newlines inside
//! quotes (read by `csv-core`, the `csv` crate's parser), a JSON array of calls or one call a
//! line (NDJSON), nested objects flattened to dotted columns (`Agent.Username`). Rows are handed
//! out one at a time as they are read, so a file of any size is never held whole, and every
//! record is bounded: a quote left open cannot make one field of a gigabyte.

use crate::encoding::{self, SourceEncoding, Utf8Reader};
use crate::problem::{ImportProblem, Refusal};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Read;
use std::ops::ControlFlow;

/// The largest record (one CSV row or one JSON call) read.
pub const MAX_RECORD_BYTES: usize = 1 << 20;
/// The most columns a file may have.
pub const MAX_COLUMNS: usize = 500;
/// The largest workbook read (it is read whole: a zip archive's directory is at its end).
pub const MAX_WORKBOOK_BYTES: u64 = 256 << 20;
/// How much of the start of a file its shape is guessed from.
pub const SNIFF_BYTES: usize = 64 * 1024;

kappa_domain::coded!(
    pub enum FileFormat {
        Csv => "csv",
        Json => "json",
        Ndjson => "ndjson",
        Xlsx => "xlsx",
    }
);

/// How a file is read: guessed from its start by [`sniff`], then confirmed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shape {
    pub encoding: SourceEncoding,
    pub format: FileFormat,
    /// The CSV delimiter, as a character (`,` `;` tab `|`).
    pub delimiter: char,
    /// A workbook's sheet; the first when none is chosen.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Where a JSON document keeps its calls (`Data.List`); the first array of objects found
    /// when none is given.
    #[serde(default)]
    pub records: Option<String>,
    /// The column names of a table without a header row (FreeSWITCH writes none): its first
    /// row is then data.
    #[serde(default)]
    pub headerless: Option<Vec<String>>,
}

/// The column names met so far: a CSV's header, or every key a JSON file has shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    pub names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Columns {
    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    fn add(&mut self, name: &str) -> Result<usize, Refusal> {
        if let Some(at) = self.index.get(name) {
            return Ok(*at);
        }
        if self.names.len() >= MAX_COLUMNS {
            return Err(Refusal::new(ImportProblem::TooManyColumns));
        }
        self.index.insert(name.to_string(), self.names.len());
        self.names.push(name.to_string());
        Ok(self.names.len() - 1)
    }
}

/// One data row: its number (1 for the first after a CSV's header, or the first JSON call) and
/// a value for each column it has, by column position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: u64,
    pub cells: Vec<Option<String>>,
}

impl Row {
    pub fn get(&self, column: usize) -> Option<&str> {
        self.cells
            .get(column)
            .and_then(|c| c.as_deref())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }
}

/// What a reading hands each row to: the columns met so far and the row, or why it could not be
/// read; it may stop the reading.
pub type EachRow<'a> = dyn FnMut(&Columns, Result<Row, Refusal>) -> ControlFlow<()> + 'a;

/// Sets one flattened JSON value.
type PutCell<'a> = dyn FnMut(&str, Option<String>) -> Result<(), Refusal> + 'a;

/// Guesses a file's encoding, format and delimiter from its first bytes.
pub fn sniff(head: &[u8]) -> Result<Shape, Refusal> {
    if head.starts_with(b"PK\x03\x04") {
        return Ok(Shape {
            encoding: SourceEncoding::Utf8,
            format: FileFormat::Xlsx,
            delimiter: ',',
            sheet: None,
            records: None,
            headerless: None,
        });
    }
    let encoding = encoding::detect(head)?;
    let mut text = String::new();
    // The head may end mid-character: what decodes is enough to guess from.
    let _ =
        Utf8Reader::new(&head[..head.len().min(SNIFF_BYTES)], encoding).read_to_string(&mut text);
    let start = text.trim_start_matches('\u{FEFF}').trim_start();
    let format = if start.starts_with('[') {
        FileFormat::Json
    } else if start.starts_with('{') {
        // One call a line, or one document: an API's answer with the calls inside, written
        // over many lines or on one.
        let mut lines = start.lines().filter(|l| !l.trim().is_empty());
        let object = |line: &str| match serde_json::from_str::<serde_json::Value>(line) {
            Ok(value @ serde_json::Value::Object(_)) => Some(value),
            _ => None,
        };
        match (lines.next().and_then(object), lines.next()) {
            (Some(_), Some(second)) if second.trim_start().starts_with('{') => FileFormat::Ndjson,
            (Some(only), None) if !holds_calls(&only) => FileFormat::Ndjson,
            _ => FileFormat::Json,
        }
    } else {
        FileFormat::Csv
    };
    Ok(Shape {
        encoding,
        format,
        delimiter: guess_delimiter(&text),
        sheet: None,
        records: None,
        headerless: None,
    })
}

/// Whether a JSON value holds an array of objects: calls, so a document, not one call.
fn holds_calls(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Array(items) => items.first().is_some_and(|i| i.is_object()),
        serde_json::Value::Object(fields) => fields.values().any(holds_calls),
        _ => false,
    }
}

/// The delimiter under which the first lines have the same number of fields as the header,
/// and more than one; a comma when none does better.
fn guess_delimiter(text: &str) -> char {
    // Only whole lines: the sample's last line may be cut.
    let sample = &text[..text.rfind('\n').unwrap_or(text.len())];
    let mut best = (',', 0usize);
    for candidate in [',', '\t', ';', '|'] {
        let mut counts = Vec::new();
        let _ = read_csv(sample.as_bytes(), candidate as u8, &mut |fields| {
            counts.push(fields.len());
            if counts.len() >= 20 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        let header = counts.first().copied().unwrap_or(0);
        if header < 2 {
            continue;
        }
        let agreeing = counts.iter().filter(|c| **c == header).count();
        if agreeing > best.1 {
            best = (candidate, agreeing);
        }
    }
    best.0
}

/// Reads every row of `input`, telling `each` the columns so far and the row, or the problem
/// of a row that cannot be read (the reading goes on). A problem that stops the whole file
/// (a wrong encoding, a record too large, broken JSON) is the answer. `each` may stop early.
pub fn read_rows<R: Read>(input: R, shape: &Shape, each: &mut EachRow) -> Result<(), Refusal> {
    let mut columns = Columns::default();
    match shape.format {
        FileFormat::Csv => {
            if !shape.delimiter.is_ascii() {
                return Err(Refusal::new(ImportProblem::BadDelimiter)
                    .with_value(&shape.delimiter.to_string()));
            }
            let text = Utf8Reader::new(input, shape.encoding);
            let mut tabular = Tabular::new(each, shape.headerless.as_deref())?;
            read_csv(text, shape.delimiter as u8, &mut |fields| {
                tabular.record(fields)
            })?;
            tabular.finish()
        }
        FileFormat::Xlsx => {
            // A workbook is a zip archive, read from its directory at the end: whole.
            let mut bytes = Vec::new();
            let mut input = input.take(MAX_WORKBOOK_BYTES + 1);
            input
                .read_to_end(&mut bytes)
                .map_err(|e| Refusal::from_io(&e))?;
            if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
                return Err(Refusal::new(ImportProblem::WorkbookTooLarge));
            }
            let mut tabular = Tabular::new(each, shape.headerless.as_deref())?;
            crate::workbook::read_sheet(&bytes, shape.sheet.as_deref(), &mut |fields| {
                tabular.record(fields)
            })?;
            tabular.finish()
        }
        FileFormat::Ndjson => {
            read_ndjson(Utf8Reader::new(input, shape.encoding), &mut columns, each)
        }
        FileFormat::Json => read_json(
            Utf8Reader::new(input, shape.encoding),
            shape.records.as_deref(),
            &mut columns,
            each,
        ),
    }
}

/// A table's first record as it stands, header or not: what tells a file without a header
/// row (see [`Shape::headerless`]). JSON has no such record: empty.
pub fn first_record(head: &[u8], shape: &Shape) -> Result<Vec<String>, Refusal> {
    let mut first = Vec::new();
    let mut take = |fields: Vec<String>| {
        first = fields;
        ControlFlow::Break(())
    };
    match shape.format {
        FileFormat::Csv => read_csv(
            Utf8Reader::new(head, shape.encoding),
            shape.delimiter as u8,
            &mut take,
        )?,
        FileFormat::Xlsx => crate::workbook::read_sheet(head, shape.sheet.as_deref(), &mut take)?,
        FileFormat::Json | FileFormat::Ndjson => {}
    }
    Ok(first)
}

/// Rows of a table with a header: the header's names, then each record checked against its
/// width, blank records skipped.
struct Tabular<'e, 'a> {
    each: &'e mut EachRow<'a>,
    columns: Columns,
    number: u64,
    failed: Option<Refusal>,
}

impl<'e, 'a> Tabular<'e, 'a> {
    fn new(each: &'e mut EachRow<'a>, headerless: Option<&[String]>) -> Result<Self, Refusal> {
        let mut tabular = Tabular {
            each,
            columns: Columns::default(),
            number: 0,
            failed: None,
        };
        if let Some(names) = headerless {
            tabular.header(names.iter().map(String::as_str))?;
        }
        Ok(tabular)
    }

    /// Takes the column names; the rows after are data.
    fn header<'n>(&mut self, names: impl Iterator<Item = &'n str>) -> Result<(), Refusal> {
        for (at, name) in names.enumerate() {
            // A column without a header is named by its place, as a spreadsheet letters it.
            let name = match name.trim() {
                "" => format!("#{}", at + 1),
                name => name.to_string(),
            };
            let name = name.as_str();
            if self.columns.position(name).is_some() {
                return Err(Refusal::new(ImportProblem::DuplicateColumn).in_column(name));
            }
            self.columns.add(name)?;
        }
        self.number = 1;
        Ok(())
    }

    fn record(&mut self, fields: Vec<String>) -> ControlFlow<()> {
        if self.number == 0 {
            return match self.header(fields.iter().map(String::as_str)) {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    self.failed = Some(e);
                    ControlFlow::Break(())
                }
            };
        }
        // A blank line between rows is no row.
        if fields.iter().all(|f| f.trim().is_empty()) {
            return ControlFlow::Continue(());
        }
        let row = self.number;
        self.number += 1;
        if fields.len() != self.columns.names.len() {
            let counts = format!("{} / {}", fields.len(), self.columns.names.len());
            return (self.each)(
                &self.columns,
                Err(Refusal::new(ImportProblem::WrongColumnCount)
                    .at_row(row)
                    .with_value(&counts)),
            );
        }
        (self.each)(
            &self.columns,
            Ok(Row {
                number: row,
                cells: fields.into_iter().map(Some).collect(),
            }),
        )
    }

    fn finish(self) -> Result<(), Refusal> {
        match self.failed {
            Some(e) => Err(e),
            None if self.number == 0 => Err(Refusal::new(ImportProblem::EmptyFile)),
            None => Ok(()),
        }
    }
}

/// CSV records through `csv-core`, each as its fields; a record over [`MAX_RECORD_BYTES`] or
/// [`MAX_COLUMNS`] stops the reading with the line it starts on.
fn read_csv<R: Read>(
    mut input: R,
    delimiter: u8,
    each: &mut dyn FnMut(Vec<String>) -> ControlFlow<()>,
) -> Result<(), Refusal> {
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut buffer = vec![0u8; 64 * 1024];
    let (mut start, mut end, mut at_end) = (0usize, 0usize, false);
    let mut output = vec![0u8; 4096];
    let mut written = 0usize;
    let mut ends = vec![0usize; 32];
    let mut fields = 0usize;
    let mut record_line = 1u64;
    loop {
        if start == end && !at_end {
            end = input.read(&mut buffer).map_err(|e| Refusal::from_io(&e))?;
            start = 0;
            at_end = end == 0;
        }
        let (result, read, wrote, ended) = reader.read_record(
            &buffer[start..end],
            &mut output[written..],
            &mut ends[fields..],
        );
        start += read;
        // The reader counts field ends from the record's start, across calls.
        written += wrote;
        fields += ended;
        match result {
            csv_core::ReadRecordResult::InputEmpty => {}
            csv_core::ReadRecordResult::OutputFull => {
                if output.len() >= MAX_RECORD_BYTES {
                    return Err(Refusal::new(ImportProblem::RecordTooLarge).at_line(record_line));
                }
                output.resize(output.len() * 2, 0);
            }
            csv_core::ReadRecordResult::OutputEndsFull => {
                if ends.len() > MAX_COLUMNS {
                    return Err(Refusal::new(ImportProblem::TooManyColumns).at_line(record_line));
                }
                ends.resize(ends.len() * 2, 0);
            }
            csv_core::ReadRecordResult::Record => {
                let mut record = Vec::with_capacity(fields);
                let mut from = 0;
                for &to in &ends[..fields] {
                    // The reader hands out what `Utf8Reader` decoded, cut only at delimiters.
                    record.push(String::from_utf8_lossy(&output[from..to]).into_owned());
                    from = to;
                }
                written = 0;
                fields = 0;
                // A record that ended at a CRLF's `\r` has its `\n` still to read, and not yet
                // counted as a line.
                let pending_newline = buffer[start..end].first() == Some(&b'\n');
                record_line = reader.line() + u64::from(pending_newline);
                if each(record).is_break() {
                    return Ok(());
                }
            }
            csv_core::ReadRecordResult::End => return Ok(()),
        }
    }
}

/// One JSON object a line; blank lines skipped, a line over [`MAX_RECORD_BYTES`] refused.
fn read_ndjson<R: Read>(
    input: R,
    columns: &mut Columns,
    each: &mut EachRow,
) -> Result<(), Refusal> {
    let mut lines = std::io::BufReader::new(input);
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let n = std::io::BufRead::read_until(
            &mut std::io::Read::take(&mut lines, MAX_RECORD_BYTES as u64 + 1),
            b'\n',
            &mut line,
        )
        .map_err(|e| Refusal::from_io(&e))?;
        if n == 0 {
            return if number == 0 {
                Err(Refusal::new(ImportProblem::EmptyFile))
            } else {
                Ok(())
            };
        }
        number += 1;
        if n > MAX_RECORD_BYTES {
            return Err(Refusal::new(ImportProblem::RecordTooLarge).at_row(number));
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            number -= 1;
            continue;
        }
        let row = match serde_json::from_slice::<serde_json::Value>(&line) {
            Ok(value) => object_row(columns, number, value),
            Err(e) => Err(Refusal::new(ImportProblem::MalformedJson)
                .at_row(number)
                .with_value(&e.to_string())),
        };
        if row
            .as_ref()
            .is_err_and(|e| e.problem == ImportProblem::TooManyColumns)
        {
            return row.map(|_| ());
        }
        if each(columns, row).is_break() {
            return Ok(());
        }
    }
}

/// A JSON document read as it streams: a top-level array of calls, or an API's answer with
/// the calls inside (at `records`, like `Data.List`, or the first array of objects met). Only
/// one call is held at a time, each bounded like a CSV record; everything else is skipped
/// unread into memory. Once `each` stops (or the calls are done) the rest is not parsed.
fn read_json<R: Read>(
    input: R,
    records: Option<&str>,
    columns: &mut Columns,
    each: &mut EachRow,
) -> Result<(), Refusal> {
    let budget = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let reader = Budgeted {
        inner: input,
        budget: budget.clone(),
    };
    let path: Vec<&str> = records
        .map(|r| r.split('.').filter(|k| !k.is_empty()).collect())
        .unwrap_or_default();
    let mut calls = Calls {
        columns,
        each,
        budget,
        found: false,
        stopped: false,
        refused: None,
    };
    let mut deserializer = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let read = serde::de::DeserializeSeed::deserialize(
        Seek {
            path: &path,
            exact: records.is_some(),
            calls: &mut calls,
        },
        &mut deserializer,
    );
    if let Some(refused) = calls.refused {
        return Err(refused);
    }
    match read {
        // After the calls, what follows is not read: a cut sample or a stopped pass is fine.
        _ if calls.stopped => Ok(()),
        Ok(()) if calls.found => Ok(()),
        Ok(()) => {
            Err(Refusal::new(ImportProblem::NotAnObject).with_value(records.unwrap_or("[…]")))
        }
        Err(e) if e.is_io() => Err(Refusal::from_io(&e.into())),
        Err(e) => Err(Refusal::new(ImportProblem::MalformedJson)
            .at_line(e.line() as u64)
            .with_value(&e.to_string())),
    }
}

/// A reader that refuses to give more than [`MAX_RECORD_BYTES`] between two resets of its
/// budget: one call of a JSON file, however it is written.
struct Budgeted<R> {
    inner: R,
    budget: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Budgeted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let used = self.budget.get() + n as u64;
        self.budget.set(used);
        if used > MAX_RECORD_BYTES as u64 * 2 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                Refusal::new(ImportProblem::RecordTooLarge),
            ));
        }
        Ok(n)
    }
}

/// Where the calls go as they are met.
struct Calls<'c, 'e> {
    columns: &'c mut Columns,
    each: &'c mut EachRow<'e>,
    budget: std::rc::Rc<std::cell::Cell<u64>>,
    found: bool,
    stopped: bool,
    refused: Option<Refusal>,
}

/// Looks for the calls down `path` (or, not `exact`, in the first array of objects anywhere),
/// skipping whatever else a value holds.
struct Seek<'p, 'x, 'c, 'e> {
    path: &'p [&'p str],
    exact: bool,
    calls: &'x mut Calls<'c, 'e>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Seek<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Seek<'_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("calls, or an object holding them")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let wanted = match self.path.first() {
                Some(first) => *first == key,
                None => !self.exact,
            };
            if wanted && !self.calls.found {
                map.next_value_seed(Seek {
                    path: self.path.get(1..).unwrap_or_default(),
                    exact: self.exact,
                    calls: &mut *self.calls,
                })?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
            self.calls.budget.set(0);
            if self.calls.stopped {
                return Ok(());
            }
        }
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // An array is the calls when it is where the path leads, or (no path) when its items
        // are objects; any other array is skipped.
        if self.calls.found || !self.path.is_empty() {
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        let mut number = 0u64;
        self.calls.budget.set(0);
        while let Some(value) = seq.next_element::<serde_json::Value>()? {
            self.calls.budget.set(0);
            if number == 0 && !value.is_object() && !self.exact {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                return Ok(());
            }
            self.calls.found = true;
            number += 1;
            let row = object_row(self.calls.columns, number, value);
            if let Err(e) = &row {
                if e.problem == ImportProblem::TooManyColumns {
                    self.calls.refused = Some(e.clone());
                    self.calls.stopped = true;
                    return Ok(());
                }
            }
            if (self.calls.each)(self.calls.columns, row).is_break() {
                self.calls.stopped = true;
                return Ok(());
            }
        }
        self.calls.found = true;
        self.calls.stopped = true;
        Ok(())
    }

    // Scalars hold no calls.
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A JSON call as a row: nested objects flattened to dotted columns, arrays kept as JSON text.
fn object_row(
    columns: &mut Columns,
    number: u64,
    value: serde_json::Value,
) -> Result<Row, Refusal> {
    let serde_json::Value::Object(object) = value else {
        return Err(Refusal::new(ImportProblem::NotAnObject).at_row(number));
    };
    let mut cells: Vec<Option<String>> = Vec::new();
    let mut put = |name: &str, text: Option<String>| -> Result<(), Refusal> {
        let at = columns.add(name)?;
        if cells.len() <= at {
            cells.resize(at + 1, None);
        }
        cells[at] = text;
        Ok(())
    };
    flatten("", object, &mut put)?;
    Ok(Row { number, cells })
}

fn flatten(
    prefix: &str,
    object: serde_json::Map<String, serde_json::Value>,
    put: &mut PutCell,
) -> Result<(), Refusal> {
    for (key, value) in object {
        let name = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            serde_json::Value::Object(inner) => flatten(&name, inner, put)?,
            serde_json::Value::Array(items) if items.first().is_some_and(|i| i.is_object()) => {
                keyed_items(&name, items, put)?
            }
            serde_json::Value::Null => put(&name, None)?,
            serde_json::Value::String(text) => put(&name, Some(text))?,
            other => put(&name, Some(other.to_string()))?,
        }
    }
    Ok(())
}

/// Keys that tell the items of an array apart by what they are (Genesys's participants by
/// `purpose`: customer, acd, agent).
const ITEM_KEYS: [&str; 2] = ["purpose", "role"];

/// An array of objects flattened by what each item is: `participants[purpose=agent].userId`
/// for the first item of each kind, `segments[0].segmentStart` for the first of items that
/// have no kind; the rest are left out, so that columns stay few and stable.
fn keyed_items(
    name: &str,
    items: Vec<serde_json::Value>,
    put: &mut PutCell,
) -> Result<(), Refusal> {
    let mut done = std::collections::HashSet::new();
    for (i, item) in items.into_iter().enumerate() {
        let serde_json::Value::Object(fields) = item else {
            continue;
        };
        let kind = ITEM_KEYS.iter().find_map(|key| {
            fields
                .get(*key)
                .and_then(|v| v.as_str())
                .map(|v| format!("{name}[{key}={v}]"))
        });
        let keyed = match kind {
            Some(keyed) => keyed,
            None if i == 0 => format!("{name}[0]"),
            None => continue,
        };
        if done.insert(keyed.clone()) {
            flatten(&keyed, fields, put)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    type Read = (Vec<String>, Vec<Result<Row, Refusal>>, Result<(), Refusal>);

    fn rows(bytes: &[u8]) -> Read {
        let shape = sniff(bytes).unwrap();
        let mut names = Vec::new();
        let mut all = Vec::new();
        let done = read_rows(bytes, &shape, &mut |columns, row| {
            names = columns.names.clone();
            all.push(row);
            ControlFlow::Continue(())
        });
        (names, all, done)
    }

    fn cells(row: &Result<Row, Refusal>) -> Vec<Option<String>> {
        row.as_ref().unwrap().cells.clone()
    }

    #[test]
    fn csv_with_quotes_newlines_and_any_delimiter() {
        let (names, all, done) =
            rows(b"id;note;agent\n1;\"two\nlines; and \"\"quotes\"\"\";a1\n\n2;plain;a2\n");
        done.unwrap();
        assert_eq!(names, ["id", "note", "agent"]);
        assert_eq!(all.len(), 2);
        assert_eq!(
            cells(&all[0])[1].as_deref(),
            Some("two\nlines; and \"quotes\"")
        );
        assert_eq!(all[1].as_ref().unwrap().number, 2);
        let tabs = sniff(b"a\tb\tc\n1\t2\t3\n").unwrap();
        assert_eq!(tabs.delimiter, '\t');
    }

    #[test]
    fn a_short_row_is_named_and_the_rest_read() {
        let (_, all, done) = rows(b"id,agent\n1,a\n2\n3,c\n");
        done.unwrap();
        let bad = all[1].as_ref().unwrap_err();
        assert_eq!(bad.problem, ImportProblem::WrongColumnCount);
        assert_eq!(bad.row, Some(2));
        assert!(all[2].is_ok());
    }

    #[test]
    fn a_quote_left_open_is_refused_at_its_line_in_crlf_files_too() {
        let mut file = b"id,note\r\n1,ok\r\n2,\"open\r\n".to_vec();
        file.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + 10));
        let (_, _, done) = rows(&file);
        assert_eq!(done.unwrap_err().line, Some(3));
    }

    #[test]
    fn a_quote_left_open_stops_at_the_bound() {
        let mut file = b"id,note\n1,\"open\n".to_vec();
        file.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + 10));
        let (_, all, done) = rows(&file);
        assert!(all.is_empty());
        let refused = done.unwrap_err();
        assert_eq!(refused.problem, ImportProblem::RecordTooLarge);
        assert_eq!(refused.line, Some(2));
    }

    #[test]
    fn repeated_headers_and_empty_files_are_refused() {
        assert_eq!(
            rows(b"id,id\n1,2\n").2.unwrap_err().problem,
            ImportProblem::DuplicateColumn
        );
        let shape = Shape {
            encoding: SourceEncoding::Utf8,
            format: FileFormat::Csv,
            delimiter: ',',
            sheet: None,
            records: None,
            headerless: None,
        };
        assert_eq!(
            read_rows(&b""[..], &shape, &mut |_, _| ControlFlow::Continue(()))
                .unwrap_err()
                .problem,
            ImportProblem::EmptyFile
        );
    }

    #[test]
    fn json_calls_flatten_to_dotted_columns() {
        let (names, all, done) = rows(
            br#"[{"ContactId":"c1","Agent":{"Username":"ana","Hierarchy":null},"Tags":["a"],"Score":4},
                {"ContactId":"c2","Queue":{"Name":"Billing"}}, 7]"#,
        );
        done.unwrap();
        // Keys come in the order serde_json keeps them: sorted within an object.
        assert_eq!(
            names,
            [
                "Agent.Hierarchy",
                "Agent.Username",
                "ContactId",
                "Score",
                "Tags",
                "Queue.Name"
            ]
        );
        assert_eq!(
            cells(&all[0]),
            [
                None,
                Some("ana".to_string()),
                Some("c1".to_string()),
                Some("4".to_string()),
                Some("[\"a\"]".to_string())
            ]
        );
        assert_eq!(all[1].as_ref().unwrap().get(5), Some("Billing"));
        assert_eq!(
            all[2].as_ref().unwrap_err().problem,
            ImportProblem::NotAnObject
        );
    }

    #[test]
    fn an_api_answer_s_calls_are_found_and_keyed_arrays_flattened() {
        let answer = br#"{
            "Code": "OK",
            "Data": {"TotalCount": 2, "List": [
                {"ContactId": "j1", "participants": [
                    {"purpose": "customer", "sessions": [{"ani": "tel:+1415"}, {"ani": "x"}]},
                    {"purpose": "agent", "userId": "u1"},
                    {"purpose": "agent", "userId": "u2"}]},
                {"ContactId": "j2"}]}}"#;
        let (names, all, done) = rows(answer);
        done.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(
            names,
            [
                "ContactId",
                "participants[purpose=customer].purpose",
                "participants[purpose=customer].sessions[0].ani",
                "participants[purpose=agent].purpose",
                "participants[purpose=agent].userId"
            ]
        );
        assert_eq!(all[0].as_ref().unwrap().get(4), Some("u1"));
        let shape = Shape {
            records: Some("Data.Nothing".to_string()),
            ..sniff(answer).unwrap()
        };
        let refused = read_rows(&answer[..], &shape, &mut |_, _| ControlFlow::Continue(()));
        assert_eq!(refused.unwrap_err().problem, ImportProblem::NotAnObject);
    }

    #[test]
    fn a_one_line_api_answer_is_a_document_and_a_stopped_read_is_no_error() {
        let answer = br#"{"Code":"OK","Data":{"List":[{"ContactId":"j1"},{"ContactId":"j2"},{"ContactId":"j3"}]}}"#;
        let shape = sniff(answer).unwrap();
        assert_eq!(shape.format, FileFormat::Json);
        let (_, all, done) = rows(answer);
        done.unwrap();
        assert_eq!(all.len(), 3);
        // Stopping after the first call leaves the rest unread, without an error.
        let mut seen = 0;
        read_rows(&answer[..], &shape, &mut |_, _| {
            seen += 1;
            ControlFlow::Break(())
        })
        .unwrap();
        assert_eq!(seen, 1);
        // An array of calls cut by the sample's end: the calls before the cut are read.
        let cut = &answer[..answer.len() - 10];
        let mut before_cut = 0;
        let _ = read_rows(cut, &shape, &mut |_, _| {
            before_cut += 1;
            ControlFlow::Continue(())
        });
        assert_eq!(before_cut, 2);
    }

    #[test]
    fn one_json_call_is_bounded_however_it_is_written() {
        let mut huge = b"[{\"id\":1},{\"note\":\"".to_vec();
        huge.extend(std::iter::repeat_n(b'x', 3 * MAX_RECORD_BYTES));
        huge.extend(b"\"}]");
        let (_, all, done) = rows(&huge);
        assert_eq!(all.len(), 1);
        assert_eq!(done.unwrap_err().problem, ImportProblem::RecordTooLarge);
    }

    #[test]
    fn a_mark_split_over_reads_blank_headers_and_odd_delimiters() {
        // A reader that hands out one byte at a time, as a slow pipe may.
        struct Trickle<'a>(&'a [u8]);
        impl std::io::Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let Some((first, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = *first;
                self.0 = rest;
                Ok(1)
            }
        }
        let file = b"\xEF\xBB\xBF[{\"id\":1}]";
        let shape = sniff(file).unwrap();
        let mut ids = Vec::new();
        read_rows(Trickle(file), &shape, &mut |_, row| {
            ids.push(row.unwrap().get(0).map(str::to_string));
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(ids, [Some("1".to_string())]);
        // Columns without a header are named by their place.
        let (names, _, done) = rows(b"id,,agent,\n1,x,a,y\n");
        done.unwrap();
        assert_eq!(names, ["id", "#2", "agent", "#4"]);
        let odd = Shape {
            delimiter: '；',
            ..sniff(b"a,b\n").unwrap()
        };
        let refused = read_rows(&b"a\xEF\xBC\x9Bb\n"[..], &odd, &mut |_, _| {
            ControlFlow::Continue(())
        });
        assert_eq!(refused.unwrap_err().problem, ImportProblem::BadDelimiter);
    }

    #[test]
    fn ndjson_reads_line_by_line_and_names_a_broken_line() {
        let (_, all, done) = rows(b"{\"id\":1}\n\n{\"id\":\n{\"id\":3}\n");
        done.unwrap();
        assert_eq!(all.len(), 3);
        let broken = all[1].as_ref().unwrap_err();
        assert_eq!(
            (broken.problem, broken.row),
            (ImportProblem::MalformedJson, Some(2))
        );
        assert_eq!(all[2].as_ref().unwrap().get(0), Some("3"));
    }

    #[test]
    fn broken_json_array_stops_with_its_line() {
        let (_, all, done) = rows(b"[{\"id\":1},\n{\"id\":2,,}]");
        assert_eq!(all.len(), 1);
        let refused = done.unwrap_err();
        assert_eq!(
            (refused.problem, refused.line),
            (ImportProblem::MalformedJson, Some(2))
        );
    }
}
