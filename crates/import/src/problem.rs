//! What can be wrong with an imported file or row, each with its place (row, line or byte, and
//! column) and the offending value cut to a readable length, said in both languages. The
//! browser, the server's answers and the import command all word a problem through here.

use serde::{Deserialize, Serialize};

kappa_domain::coded!(
    pub enum ImportProblem {
        UnknownEncoding => "unknown_encoding",
        WrongEncoding => "wrong_encoding",
        EmptyFile => "empty_file",
        RecordTooLarge => "record_too_large",
        TooManyColumns => "too_many_columns",
        DuplicateColumn => "duplicate_column",
        MalformedJson => "malformed_json",
        NotAnObject => "not_an_object",
        WrongColumnCount => "wrong_column_count",
        MissingValue => "missing_value",
        ValueTooLong => "value_too_long",
        BadTime => "bad_time",
        BadDuration => "bad_duration",
        NegativeDuration => "negative_duration",
        DurationMismatch => "duration_mismatch",
        BadNumber => "bad_number",
        OutOfRange => "out_of_range",
        UnknownValue => "unknown_value",
        DuplicateId => "duplicate_id",
        ColumnNotMapped => "column_not_mapped",
        NotAWorkbook => "not_a_workbook",
        WorkbookTooLarge => "workbook_too_large",
        NoSuchSheet => "no_such_sheet",
        BadDelimiter => "bad_delimiter",
    }
);

/// Longest piece of an offending value a report repeats.
pub const MAX_QUOTED: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub problem: ImportProblem,
    /// The data row, counted from 1 after the header; blank rows are not counted (the
    /// rejected-rows file repeats each row whole, so it is found however it is numbered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// The line of the file, for problems found before rows are told apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte: Option<u64>,
    /// The source column, as its header names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Refusal {
    pub fn new(problem: ImportProblem) -> Self {
        Refusal {
            problem,
            row: None,
            line: None,
            byte: None,
            column: None,
            value: None,
        }
    }

    pub fn at_row(mut self, row: u64) -> Self {
        self.row = Some(row);
        self
    }

    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_byte(mut self, byte: u64) -> Self {
        self.byte = Some(byte);
        self
    }

    pub fn in_column(mut self, column: &str) -> Self {
        self.column = Some(quoted(column));
        self
    }

    pub fn with_value(mut self, value: &str) -> Self {
        self.value = Some(quoted(value));
        self
    }

    /// The refusal a reader stopped with, or a read error as it came.
    pub fn from_io(error: &std::io::Error) -> Self {
        error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<Refusal>())
            .cloned()
            .unwrap_or_else(|| {
                Refusal::new(ImportProblem::EmptyFile).with_value(&error.to_string())
            })
    }

    /// The whole sentence: where, what is wrong, and the value.
    pub fn describe(&self, zh: bool) -> String {
        let mut place = Vec::new();
        if let Some(row) = self.row {
            place.push(if zh {
                format!("第 {row} 行")
            } else {
                format!("Row {row}")
            });
        } else if let Some(line) = self.line {
            place.push(if zh {
                format!("第 {line} 行（文件行）")
            } else {
                format!("Line {line}")
            });
        } else if let Some(byte) = self.byte {
            place.push(if zh {
                format!("第 {byte} 字节处")
            } else {
                format!("At byte {byte}")
            });
        }
        if let Some(column) = &self.column {
            place.push(if zh {
                format!("列“{column}”")
            } else {
                format!("column \u{201c}{column}\u{201d}")
            });
        }
        let what = self.problem.reason(zh);
        let value = match &self.value {
            Some(v) if zh => format!("（值：“{v}”）"),
            Some(v) => format!(" (value: \u{201c}{v}\u{201d})"),
            None => String::new(),
        };
        match (place.is_empty(), zh) {
            (true, _) => format!("{what}{value}"),
            (false, true) => format!("{}：{what}{value}", place.join("，")),
            (false, false) => format!("{}: {what}{value}", place.join(", ")),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(false))
    }
}

impl std::error::Error for Refusal {}

impl ImportProblem {
    /// Why, in plain words.
    pub fn reason(self, zh: bool) -> &'static str {
        use ImportProblem::*;
        match (self, zh) {
            (UnknownEncoding, false) => {
                "the file is not UTF-8, UTF-16 with a byte-order mark, or GB18030/GBK"
            }
            (UnknownEncoding, true) => "文件编码不是 UTF-8、带字节顺序标记的 UTF-16 或 GB18030/GBK",
            (WrongEncoding, false) => {
                "the text is not valid in the chosen encoding; choose another"
            }
            (WrongEncoding, true) => "文本不符合所选编码，请换一种编码",
            (EmptyFile, false) => "the file has no header row or could not be read",
            (EmptyFile, true) => "文件没有表头行或无法读取",
            (RecordTooLarge, false) => "a record is larger than 1 MB: a quote may be left open",
            (RecordTooLarge, true) => "单条记录超过 1 MB：可能有未闭合的引号",
            (TooManyColumns, false) => "more than 500 columns",
            (TooManyColumns, true) => "列数超过 500",
            (DuplicateColumn, false) => "two columns have the same header",
            (DuplicateColumn, true) => "两列的表头相同",
            (MalformedJson, false) => "not valid JSON",
            (MalformedJson, true) => "不是有效的 JSON",
            (NotAnObject, false) => "each call must be a JSON object",
            (NotAnObject, true) => "每通电话必须是一个 JSON 对象",
            (WrongColumnCount, false) => "the row has a different number of fields than the header",
            (WrongColumnCount, true) => "该行的字段数与表头不一致",
            (MissingValue, false) => "a value is required",
            (MissingValue, true) => "此项必填",
            (ValueTooLong, false) => "the value is too long",
            (ValueTooLong, true) => "值过长",
            (BadTime, false) => "not a date and time Kappa reads",
            (BadTime, true) => "无法识别的日期时间",
            (BadDuration, false) => "not a duration Kappa reads",
            (BadDuration, true) => "无法识别的时长",
            (NegativeDuration, false) => "the call ends before it starts",
            (NegativeDuration, true) => "结束时间早于开始时间",
            (DurationMismatch, false) => "the duration is longer than end minus start",
            (DurationMismatch, true) => "时长大于结束时间减开始时间",
            (BadNumber, false) => "not a number",
            (BadNumber, true) => "不是数字",
            (OutOfRange, false) => "outside the allowed range",
            (OutOfRange, true) => "超出允许范围",
            (UnknownValue, false) => "a value the mapping does not know",
            (UnknownValue, true) => "映射中没有此值",
            (DuplicateId, false) => "the same call id appears earlier in the file",
            (DuplicateId, true) => "同一通话 ID 在文件中已出现过",
            (ColumnNotMapped, false) => "a required field has no column mapped to it",
            (ColumnNotMapped, true) => "必填字段没有对应的列",
            (NotAWorkbook, false) => "not an Excel workbook (.xlsx) Kappa can read",
            (NotAWorkbook, true) => "不是可读取的 Excel 工作簿（.xlsx）",
            (WorkbookTooLarge, false) => {
                "the workbook is over 256 MB, or unpacks to over 512 MB (a zip bomb?)"
            }
            (WorkbookTooLarge, true) => "工作簿超过 256 MB，或解压后超过 512 MB（可能是压缩炸弹）",
            (NoSuchSheet, false) => "the workbook has no sheet of that name",
            (NoSuchSheet, true) => "工作簿中没有该名称的工作表",
            (BadDelimiter, false) => {
                "the delimiter must be one plain character such as , ; | or a tab"
            }
            (BadDelimiter, true) => "分隔符必须是单个半角字符，如 , ; | 或制表符",
        }
    }
}

/// At most [`MAX_QUOTED`] characters of `text`, an ellipsis marking a cut.
fn quoted(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_says_where_and_why_in_both_languages() {
        let r = Refusal::new(ImportProblem::BadTime)
            .at_row(12)
            .in_column("开始时间")
            .with_value("2026-13-40");
        assert_eq!(
            r.describe(false),
            "Row 12, column \u{201c}开始时间\u{201d}: not a date and time Kappa reads (value: \u{201c}2026-13-40\u{201d})"
        );
        assert_eq!(
            r.describe(true),
            "第 12 行，列“开始时间”：无法识别的日期时间（值：“2026-13-40”）"
        );
    }

    #[test]
    fn a_long_value_is_cut() {
        let r = Refusal::new(ImportProblem::ValueTooLong).with_value(&"长".repeat(10_000));
        assert_eq!(r.value.unwrap().chars().count(), MAX_QUOTED + 1);
    }
}
