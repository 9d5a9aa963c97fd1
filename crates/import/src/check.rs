//! A whole file read through a mapping: each good call handed on, each bad row counted and its
//! first problems kept, the source's queue and outcome names that no map covers gathered for
//! the lead to map, and the rejected rows written out as a CSV to fix and import again. The
//! dry run, the commit and the browser's preview are all this one pass.

use crate::field::{suggest, Field};
use crate::mapping::{Mapped, Mapping, SeenIds, SourceCall};
use crate::problem::{ImportProblem, Refusal};
use crate::table::{read_rows, Columns, Row, Shape};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;
use std::ops::ControlFlow;

/// Problems a report lists; the rest are counted.
pub const MAX_LISTED_PROBLEMS: usize = 100;
/// Distinct unmapped names a report lists, most frequent kept.
pub const MAX_UNMAPPED_NAMES: usize = 200;
/// Rejected rows written to the rejected-rows file.
pub const MAX_REJECTED_ROWS: usize = 10_000;
/// The most of one cell the rejected-rows file repeats, and the most it holds in all.
pub const MAX_REJECTED_CELL_CHARS: usize = 2_000;
pub const MAX_REJECTED_BYTES: usize = 16 << 20;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub columns: Vec<String>,
    pub rows: u64,
    pub valid: u64,
    pub rejected: u64,
    /// Rows that are fine but name no agent: calls no one answered, IVR and queue legs. They
    /// are no calls to review, so they are left out rather than refused.
    pub without_agent: u64,
    /// The first problems, in file order.
    pub problems: Vec<Refusal>,
    /// Source queue names no map covers, with how many calls carry each.
    pub unmapped_queues: BTreeMap<String, u64>,
    pub unmapped_outcomes: BTreeMap<String, u64>,
    /// Whether the lists above were cut.
    pub more_problems: bool,
    pub more_unmapped: bool,
    /// Rejected rows as CSV (header, the row's own cells, then the reason), to fix and import
    /// again; cells that start like a formula are neutralised.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rejected_csv: String,
}

/// Reads `input` through `mapping`, handing each good call to `each` (which may stop the
/// pass); a problem that stops the whole file is the error.
pub fn check_file<R: Read>(
    input: R,
    shape: &Shape,
    mapping: &Mapping,
    centre: &dyn Fn(NaiveDateTime) -> NaiveDateTime,
    salt: &str,
    zh: bool,
    each: &mut dyn FnMut(SourceCall) -> ControlFlow<()>,
) -> Result<FileReport, Refusal> {
    let mut report = FileReport::default();
    let mut seen = SeenIds::default();
    let mut rejected = Rejected::new(zh);
    if let Some(field) = mapping.missing_fields().first() {
        return Err(Refusal::new(ImportProblem::ColumnNotMapped).with_value(field.label(zh)));
    }
    read_rows(input, shape, &mut |columns, row| {
        report.rows += 1;
        let checked = match &row {
            Err(refusal) => Err(vec![refusal.clone()]),
            Ok(row) => mapping.read(columns, row, centre, salt).and_then(|call| {
                if seen.first(&call.external_id) {
                    Ok(call)
                } else {
                    let column = mapping.column(Field::ExternalId).unwrap_or_default();
                    Err(vec![Refusal::new(ImportProblem::DuplicateId)
                        .at_row(call.row)
                        .in_column(column)
                        .with_value(&call.external_id)])
                }
            }),
        };
        match checked {
            Ok(call) => {
                report.valid += 1;
                for (name, names) in [
                    (&call.queue, &mut report.unmapped_queues),
                    (&call.outcome, &mut report.unmapped_outcomes),
                ] {
                    if let Some(Mapped::Unmapped(name)) = name {
                        if names.len() < MAX_UNMAPPED_NAMES || names.contains_key(name) {
                            *names.entry(name.clone()).or_default() += 1;
                        } else {
                            report.more_unmapped = true;
                        }
                    }
                }
                each(call)
            }
            Err(problems) if no_agent_only(mapping, &problems) => {
                report.without_agent += 1;
                ControlFlow::Continue(())
            }
            Err(problems) => {
                report.rejected += 1;
                rejected.add(columns, row.as_ref().ok(), &problems);
                for problem in problems {
                    if report.problems.len() < MAX_LISTED_PROBLEMS {
                        report.problems.push(problem);
                    } else {
                        report.more_problems = true;
                    }
                }
                ControlFlow::Continue(())
            }
        }
    })?;
    report.rejected_csv = rejected.finish();
    Ok(report)
}

/// Whether a row's one problem is that it names no agent.
fn no_agent_only(mapping: &Mapping, problems: &[Refusal]) -> bool {
    match problems {
        [only] => {
            // Compared as refusals write a column: a long header is cut alike.
            let agent = mapping
                .column(Field::Agent)
                .map(|c| Refusal::new(only.problem).in_column(c).column);
            only.problem == ImportProblem::MissingValue && agent == Some(only.column.clone())
        }
        _ => false,
    }
}

/// The first rows of a file, for the page to show at once, with a field suggested for each
/// column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub columns: Vec<String>,
    pub suggested: Vec<Option<Field>>,
    pub rows: Vec<Vec<Option<String>>>,
    /// Rows that could not be read, among those shown.
    pub problems: Vec<Refusal>,
}

/// `input` is the whole file, or (`cut`) only its start, as the browser has it before the
/// upload ends: then the sample's end may fall inside a record or a character, and what it
/// cut is neither shown nor refused.
pub fn preview(input: &[u8], shape: &Shape, rows: usize, cut: bool) -> Result<Preview, Refusal> {
    let mut shown = Preview::default();
    let mut names = Vec::new();
    let mut full = false;
    let done = read_rows(input, shape, &mut |columns, row| {
        names.clone_from(&columns.names);
        match row {
            Ok(row) => shown.rows.push(row.cells),
            Err(problem) => shown.problems.push(problem),
        }
        full = shown.rows.len() + shown.problems.len() >= rows;
        if full {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    if cut && !full {
        match done {
            // The sample ended at a character: its last record, read whole, may be cut.
            Ok(()) => {
                if shown.rows.pop().is_none() {
                    shown.problems.pop();
                }
            }
            // It ended inside a character or a record too large for it: the reading stopped
            // there, before that record.
            Err(_) if !shown.rows.is_empty() => return Ok(finish(shown, names)),
            Err(_) => {}
        }
    }
    done?;
    Ok(finish(shown, names))
}

fn finish(mut shown: Preview, names: Vec<String>) -> Preview {
    for row in &mut shown.rows {
        row.resize(names.len(), None);
    }
    shown.suggested = suggest(&names);
    shown.columns = names;
    shown
}

/// The report as an import keeps it (`FileImport::file_report`): with the encoding and format
/// the file was read in, which the import's page shows.
pub fn kept_report(report: &FileReport, shape: &Shape) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap_or_default();
    value["encoding"] = shape.encoding.code().into();
    value["format"] = shape.format.code().into();
    value
}

/// Text a spreadsheet would run as a formula starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return: such a cell gets a leading apostrophe, so it opens as the text it was.
pub fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// One CSV line: fields quoted where they need it.
pub fn csv_line(fields: &[&str]) -> String {
    let mut line = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let field = neutralised(field);
        if field.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&field.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&field);
        }
    }
    line.push_str("\r\n");
    line
}

/// The rejected-rows file, written as rows are refused.
struct Rejected {
    zh: bool,
    header: Option<usize>,
    text: String,
    rows: usize,
}

impl Rejected {
    fn new(zh: bool) -> Self {
        Rejected {
            zh,
            header: None,
            text: String::new(),
            rows: 0,
        }
    }

    fn add(&mut self, columns: &Columns, row: Option<&Row>, problems: &[Refusal]) {
        if self.rows >= MAX_REJECTED_ROWS || self.text.len() >= MAX_REJECTED_BYTES {
            return;
        }
        self.rows += 1;
        // A JSON file's columns grow as it is read: the header is the one met first.
        let width = *self.header.get_or_insert(columns.names.len());
        if self.text.is_empty() {
            let mut header: Vec<&str> = columns
                .names
                .iter()
                .take(width)
                .map(String::as_str)
                .collect();
            header.push(if self.zh { "行号" } else { "row" });
            header.push(if self.zh { "问题" } else { "problem" });
            self.text.push_str(&csv_line(&header));
        }
        let number = problems
            .first()
            .and_then(|p| p.row)
            .map(|n| n.to_string())
            .unwrap_or_default();
        let reasons = problems
            .iter()
            .map(|p| p.describe(self.zh))
            .collect::<Vec<_>>()
            .join("; ");
        let mut cells: Vec<&str> = (0..width)
            .map(|at| {
                let cell = row
                    .and_then(|r| r.cells.get(at))
                    .and_then(|c| c.as_deref())
                    .unwrap_or("");
                match cell.char_indices().nth(MAX_REJECTED_CELL_CHARS) {
                    Some((cut, _)) => &cell[..cut],
                    None => cell,
                }
            })
            .collect();
        cells.push(&number);
        cells.push(&reasons);
        self.text.push_str(&csv_line(&cells));
    }

    fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::ColumnMap;
    use crate::table::sniff;

    fn mapping() -> Mapping {
        Mapping {
            columns: [
                (Field::ExternalId, "id"),
                (Field::Agent, "agent"),
                (Field::StartedAt, "start"),
                (Field::Queue, "queue"),
            ]
            .into_iter()
            .map(|(field, column)| ColumnMap {
                field,
                column: column.to_string(),
            })
            .collect(),
            values: Default::default(),
            duration_unit: Default::default(),
            source_offset_minutes: None,
            mask_callers: false,
            day_first: false,
            agent_pattern: None,
            defaults: crate::mapping::Defaults::default(),
        }
    }

    #[test]
    fn a_pass_counts_rejects_and_gathers_unmapped_names() {
        let file = "id,agent,start,queue\n\
                    A,1001,2026-11-03 09:00:00,Cards\n\
                    B,1001,later,Cards\n\
                    A,1002,2026-11-03 09:05:00,Loans\n\
                    C,1002,2026-11-03 09:06:00,=HYPERLINK(\"x\")\n\
                    D,,2026-11-03 09:07:00,Cards\n\
                    E,,later,Cards\n";
        let shape = sniff(file.as_bytes()).unwrap();
        let mut good = Vec::new();
        let report = check_file(
            file.as_bytes(),
            &shape,
            &mapping(),
            &|utc| utc,
            "s",
            false,
            &mut |call| {
                good.push(call.external_id);
                ControlFlow::Continue(())
            },
        )
        .unwrap();
        assert_eq!(good, ["A", "C"]);
        // D names no agent and is left out; E has a bad time besides, and is refused.
        assert_eq!(
            (
                report.rows,
                report.valid,
                report.rejected,
                report.without_agent
            ),
            (6, 2, 3, 1)
        );
        assert_eq!(report.problems[0].problem, ImportProblem::BadTime);
        assert_eq!(report.problems[1].problem, ImportProblem::DuplicateId);
        assert_eq!(report.problems[1].row, Some(3));
        assert_eq!(report.unmapped_queues["Cards"], 1);
        assert_eq!(report.unmapped_queues.len(), 2);
        let lines: Vec<&str> = report.rejected_csv.lines().collect();
        assert_eq!(lines[0], "id,agent,start,queue,row,problem");
        assert!(
            lines[1].starts_with("B,1001,later,Cards,2,"),
            "{}",
            lines[1]
        );
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn a_mapping_without_an_id_is_refused_before_reading() {
        let mut m = mapping();
        m.columns.remove(0);
        let shape = sniff(b"a\n1\n").unwrap();
        let refused = check_file(&b"a\n1\n"[..], &shape, &m, &|u| u, "s", true, &mut |_| {
            ControlFlow::Continue(())
        })
        .unwrap_err();
        assert_eq!(refused.problem, ImportProblem::ColumnNotMapped);
        assert_eq!(refused.value.as_deref(), Some("通话 ID"));
    }

    #[test]
    fn formulas_are_neutralised_and_quotes_doubled() {
        assert_eq!(
            csv_line(&["=1+2", "-3", "a,b", "say \"hi\"", "plain"]),
            "'=1+2,'-3,\"a,b\",\"say \"\"hi\"\"\",plain\r\n"
        );
    }

    #[test]
    fn a_preview_shows_the_first_rows_with_suggestions() {
        let mut file = String::from("通话ID,坐席工号,开始时间\n");
        for i in 0..50 {
            file.push_str(&format!("C{i},1001,2026-11-03 09:00:00\n"));
        }
        // The sample ends mid-row.
        let head = &file.as_bytes()[..file.len() - 5];
        let shape = sniff(head).unwrap();
        let shown = preview(head, &shape, 10, true).unwrap();
        assert_eq!(shown.rows.len(), 10);
        // Asked for more than the sample holds, cut inside a character: the whole rows only.
        let mut chinese = String::from("通话ID,备注\n");
        for i in 0..5 {
            chinese.push_str(&format!("C{i},客户来电\n"));
        }
        let cut = &chinese.as_bytes()[..chinese.len() - 5];
        let cut_shape = sniff(cut).unwrap();
        let cut_shown = preview(cut, &cut_shape, 100, true).unwrap();
        assert_eq!(cut_shown.rows.len(), 4);
        assert!(cut_shown.problems.is_empty());
        // Cut at a row's end, nothing is lost; cut inside one, that row is left out.
        let whole = preview(chinese.as_bytes(), &cut_shape, 100, false).unwrap();
        assert_eq!(whole.rows.len(), 5);
        // "C4," of the last row: at a character, but not the row's end.
        let mid_row = &chinese.as_bytes()[..chinese.len() - 13];
        assert_eq!(
            preview(mid_row, &cut_shape, 100, true).unwrap().rows.len(),
            4
        );
        assert_eq!(
            shown.suggested,
            [
                Some(Field::ExternalId),
                Some(Field::Agent),
                Some(Field::StartedAt)
            ]
        );
    }
}
