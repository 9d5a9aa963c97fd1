//! A mapping (which column fills which field, how values translate, which zone naive times are
//! in, whether caller numbers are masked) and one row read through it into a [`SourceCall`], or
//! every problem the row has, each naming its column.

use crate::field::{ColumnMap, Field};
use crate::problem::{ImportProblem, Refusal};
use crate::table::{Columns, Row};
use crate::value::{self, DurationUnit, MaskedNumber, Moment};
use chrono::{Duration, NaiveDateTime, Timelike};
use kappa_domain::call::{Direction, Language};
use kappa_domain::import::IncomingCall;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest call id, agent key, queue or outcome name: the domain's bound on a platform's id.
pub const MAX_KEY_CHARS: usize = kappa_domain::import::MAX_EXTERNAL_ID;
/// Longest value kept from a column no field takes, as the domain keeps it.
pub const MAX_ATTRIBUTE_CHARS: usize = kappa_domain::import::MAX_ATTRIBUTE_VALUE;
/// How far a duration may run past end − start: clocks of two systems, rounding.
pub const DURATION_SLACK_S: i64 = 2;

/// What a source's values mean, beyond the spellings Kappa knows by itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueMaps {
    /// Source queue name → the centre's queue code.
    #[serde(default)]
    pub queue: BTreeMap<String, String>,
    /// Source outcome → the centre's outcome code.
    #[serde(default)]
    pub outcome: BTreeMap<String, String>,
    /// Extra spellings of a direction (`"3" → inbound`).
    #[serde(default)]
    pub direction: BTreeMap<String, Direction>,
    /// Satisfaction answers onto 1–5, beside the usual words and the numbers 1–5.
    #[serde(default)]
    pub csat: BTreeMap<String, u8>,
    /// Values that flag a complaint, beside yes/no/是/否/1/0.
    #[serde(default)]
    pub complaint: BTreeMap<String, bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub columns: Vec<ColumnMap>,
    #[serde(default)]
    pub values: ValueMaps,
    #[serde(default)]
    pub duration_unit: DurationUnit,
    /// Minutes east of UTC that naive times are written in; `None`: the centre's own zone.
    #[serde(default)]
    pub source_offset_minutes: Option<i32>,
    /// Keep caller numbers only as their last four digits and a salted hash.
    #[serde(default)]
    pub mask_callers: bool,
    /// Dates with the year last put the day first (`03/11/2026` is 3 November).
    #[serde(default)]
    pub day_first: bool,
    /// Where the agent key sits in the agent column's text, when it is not all of it:
    /// `client:{agent}` (Twilio), `{agent}@*` (Aliyun), `*<{agent}>` (Yeastar).
    #[serde(default)]
    pub agent_pattern: Option<String>,
    /// What a call is when its source does not say.
    #[serde(default)]
    pub defaults: Defaults,
}

/// The queue, outcome, direction and language of calls whose source names none (a FreeSWITCH
/// CDR has no queue; a desk's export, no language).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defaults {
    pub queue: Option<String>,
    pub outcome: Option<String>,
    pub direction: Option<Direction>,
    pub language: Option<Language>,
}

/// One call as the source gave it, checked, in Kappa's terms; agents, queues and outcomes still
/// as the source names them, for the centre's data to resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCall {
    pub row: u64,
    pub external_id: String,
    pub parent_id: Option<String>,
    /// An agent code or a username.
    pub agent: String,
    /// The centre's local time.
    pub started_at: NaiveDateTime,
    pub duration_s: u32,
    pub caller: Option<Caller>,
    pub queue: Option<Mapped>,
    pub direction: Option<Direction>,
    pub outcome: Option<Mapped>,
    pub complaint: bool,
    pub csat: Option<u8>,
    pub language: Option<Language>,
    /// The columns no field takes, by header: nothing a centre exported is thrown away.
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Caller {
    Plain(String),
    Masked(MaskedNumber),
}

/// A name the value map translated, or the source's own, which the lead has yet to map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mapped {
    Mapped(String),
    Unmapped(String),
}

impl SourceCall {
    /// The call as the centre's rules take it (`kappa_domain::import`): the queue and outcome
    /// as the value maps made them (a name still unmapped goes as it is, and is refused there
    /// as no queue of the centre's), the mapping's defaults where the source says nothing; a
    /// call in no language the source gives is taken as Chinese, the centre's usual one.
    pub fn incoming(self, defaults: &Defaults) -> IncomingCall {
        let term = |mapped: Option<Mapped>, default: &Option<String>| match mapped {
            Some(Mapped::Mapped(code)) => code,
            Some(Mapped::Unmapped(name)) => name,
            None => default.clone().unwrap_or_default(),
        };
        IncomingCall {
            row: self.row,
            external_id: self.external_id,
            agent: self.agent,
            started_at: self.started_at,
            duration_s: self.duration_s,
            customer_ref: match &self.caller {
                Some(Caller::Plain(number)) => number.clone(),
                Some(Caller::Masked(masked)) => masked.shown.clone(),
                None => String::new(),
            },
            caller_hash: match self.caller {
                Some(Caller::Masked(masked)) => Some(masked.hash),
                _ => None,
            },
            queue: term(self.queue, &defaults.queue),
            direction: self
                .direction
                .or(defaults.direction)
                .unwrap_or(Direction::Inbound),
            disposition: term(self.outcome, &defaults.outcome),
            csat: self.csat,
            complaint: self.complaint,
            language: self.language.or(defaults.language).unwrap_or(Language::Zh),
            attributes: self.attributes,
        }
    }
}

impl Mapping {
    /// The mapping the headers suggest (see [`crate::field::suggest`]), every other setting at
    /// its default: where a file without a preset starts.
    pub fn suggested(headers: &[String]) -> Self {
        // A duration header that says milliseconds (`Talk Time(ms)`, `时长(毫秒)`) counts them.
        let in_ms = headers
            .iter()
            .zip(crate::field::suggest(headers))
            .any(|(h, f)| {
                f == Some(Field::Duration) && {
                    let h = h.to_lowercase();
                    h.contains("ms") || h.contains("毫秒")
                }
            });
        Mapping {
            columns: headers
                .iter()
                .zip(crate::field::suggest(headers))
                .filter_map(|(column, field)| {
                    Some(ColumnMap {
                        field: field?,
                        column: column.clone(),
                    })
                })
                .collect(),
            values: ValueMaps::default(),
            duration_unit: if in_ms {
                DurationUnit::Milliseconds
            } else {
                DurationUnit::Auto
            },
            source_offset_minutes: None,
            mask_callers: false,
            day_first: false,
            agent_pattern: None,
            defaults: Defaults::default(),
        }
    }

    /// The column a field is mapped to.
    pub fn column(&self, field: Field) -> Option<&str> {
        self.columns
            .iter()
            .find(|c| c.field == field)
            .map(|c| c.column.as_str())
    }

    /// The fields a call cannot do without that have no column: an id, an agent, and a start
    /// (or an end and a duration).
    pub fn missing_fields(&self) -> Vec<Field> {
        let mut missing = Vec::new();
        for field in [Field::ExternalId, Field::Agent] {
            if self.column(field).is_none() {
                missing.push(field);
            }
        }
        let ends = self.column(Field::EndedAt).is_some() && self.column(Field::Duration).is_some();
        if self.column(Field::StartedAt).is_none() && !ends {
            missing.push(Field::StartedAt);
        }
        missing
    }

    /// Reads one row; `centre` turns a UTC instant into the centre's local time.
    pub fn read(
        &self,
        columns: &Columns,
        row: &Row,
        centre: &dyn Fn(NaiveDateTime) -> NaiveDateTime,
        salt: &str,
    ) -> Result<SourceCall, Vec<Refusal>> {
        let mut problems = Vec::new();
        // A field may have fallback columns: the first with a value fills it.
        let cell = |field: Field| -> Option<(&str, &str)> {
            self.columns
                .iter()
                .filter(|c| c.field == field)
                .find_map(|c| Some((c.column.as_str(), row.get(columns.position(&c.column)?)?)))
        };
        let number = row.number;
        let refuse = |problems: &mut Vec<Refusal>,
                      problem: ImportProblem,
                      column: &str,
                      value: Option<&str>| {
            let mut refusal = Refusal::new(problem).at_row(number).in_column(column);
            if let Some(value) = value {
                refusal = refusal.with_value(value);
            }
            problems.push(refusal);
        };
        let key = |problems: &mut Vec<Refusal>, field: Field, required: bool| -> Option<String> {
            match cell(field) {
                Some((column, v)) if v.chars().count() > MAX_KEY_CHARS => {
                    refuse(problems, ImportProblem::ValueTooLong, column, Some(v));
                    None
                }
                Some((_, v)) => Some(v.to_string()),
                None => {
                    if required {
                        let column = self.column(field).unwrap_or(field.code());
                        refuse(problems, ImportProblem::MissingValue, column, None);
                    }
                    None
                }
            }
        };
        let external_id = key(&mut problems, Field::ExternalId, true);
        let parent_id =
            key(&mut problems, Field::ParentId, false).filter(|p| Some(p) != external_id.as_ref());
        let agent = self.agent(columns, row, &mut problems);
        let queue =
            key(&mut problems, Field::Queue, false).map(|q| self.translate(&self.values.queue, q));
        let outcome = key(&mut problems, Field::Outcome, false)
            .map(|o| self.translate(&self.values.outcome, o));

        // Kappa keeps times to the second.
        let place = |moment: Moment| {
            let at = match moment {
                Moment::Utc(utc) => centre(utc),
                Moment::Local(local) => match self.source_offset_minutes {
                    None => local,
                    Some(offset) => centre(
                        local
                            .checked_sub_signed(Duration::minutes(i64::from(offset)))
                            .unwrap_or(local),
                    ),
                },
            };
            at.with_nanosecond(0).unwrap_or(at)
        };
        let moment = |problems: &mut Vec<Refusal>, field: Field| -> Option<NaiveDateTime> {
            let (column, v) = cell(field)?;
            match value::parse_moment(v, self.day_first) {
                Some(m) => Some(place(m)),
                None => {
                    refuse(problems, ImportProblem::BadTime, column, Some(v));
                    None
                }
            }
        };
        let started = moment(&mut problems, Field::StartedAt);
        let ended = moment(&mut problems, Field::EndedAt);
        let mut duration = match cell(Field::Duration) {
            None => None,
            Some((column, v)) => match value::parse_duration(v, self.duration_unit) {
                Ok(s) if s > value::MAX_DURATION_S => {
                    refuse(&mut problems, ImportProblem::OutOfRange, column, Some(v));
                    None
                }
                Ok(s) => Some(s),
                Err(true) => {
                    refuse(
                        &mut problems,
                        ImportProblem::NegativeDuration,
                        column,
                        Some(v),
                    );
                    None
                }
                Err(false) => {
                    refuse(&mut problems, ImportProblem::BadDuration, column, Some(v));
                    None
                }
            },
        };
        let started = match (started, ended, duration) {
            (Some(start), Some(end), _) => {
                let span = (end - start).num_seconds();
                let column = self.column(Field::EndedAt).unwrap_or_default();
                if span < 0 {
                    refuse(&mut problems, ImportProblem::NegativeDuration, column, None);
                } else if span > value::MAX_DURATION_S {
                    refuse(&mut problems, ImportProblem::OutOfRange, column, None);
                } else if duration.is_some_and(|d| d > span + DURATION_SLACK_S) {
                    let column = self.column(Field::Duration).unwrap_or_default();
                    refuse(
                        &mut problems,
                        ImportProblem::DurationMismatch,
                        column,
                        Some(&format!("{} > {span}", duration.unwrap_or_default())),
                    );
                } else if duration.is_none() {
                    duration = Some(span);
                }
                Some(start)
            }
            (Some(start), None, _) => Some(start),
            (None, Some(end), Some(d)) => end.checked_sub_signed(Duration::seconds(d)),
            (None, _, _) => {
                if problems.iter().all(|p| p.problem != ImportProblem::BadTime) {
                    let column = self
                        .column(Field::StartedAt)
                        .or(self.column(Field::EndedAt))
                        .unwrap_or(Field::StartedAt.code());
                    refuse(&mut problems, ImportProblem::MissingValue, column, None);
                }
                None
            }
        };

        // The source's own spellings first, then the ones Kappa knows.
        let mut unknown = |column: &str, v: &str| {
            refuse(&mut problems, ImportProblem::UnknownValue, column, Some(v))
        };
        let direction = cell(Field::Direction).and_then(|(column, v)| {
            known(
                lookup(&self.values.direction, v).or_else(|| value::direction(v)),
                || unknown(column, v),
            )
        });
        let complaint = cell(Field::Complaint)
            .and_then(|(column, v)| {
                known(
                    lookup(&self.values.complaint, v).or_else(|| value::flag(v)),
                    || unknown(column, v),
                )
            })
            .unwrap_or(false);
        let csat = cell(Field::Csat).and_then(|(column, v)| match self.csat(v) {
            Ok(score) => Some(score),
            Err(problem) => {
                refuse(&mut problems, problem, column, Some(v));
                None
            }
        });
        let language = cell(Field::Language).and_then(|(column, v)| {
            let found = value::language(v);
            if found.is_none() {
                refuse(&mut problems, ImportProblem::UnknownValue, column, Some(v));
            }
            found
        });
        let caller = cell(Field::Caller).map(|(_, v)| {
            // `tel:+8613800138000`, `sip:1001@pbx`: the number alone.
            let v = v.trim_start_matches("tel:").trim_start_matches("sip:");
            let v = v.split('@').next().unwrap_or(v);
            if self.mask_callers {
                Caller::Masked(value::mask_number(v, salt))
            } else {
                Caller::Plain(
                    v.chars()
                        .take(kappa_domain::import::MAX_CUSTOMER_REF)
                        .collect(),
                )
            }
        });
        let mut attributes = BTreeMap::new();
        for (at, name) in columns.names.iter().enumerate() {
            if self.columns.iter().any(|c| &c.column == name) {
                continue;
            }
            if let Some(v) = row.get(at) {
                if v.chars().count() > MAX_ATTRIBUTE_CHARS {
                    refuse(&mut problems, ImportProblem::ValueTooLong, name, Some(v));
                } else {
                    attributes.insert(name.clone(), v.to_string());
                }
            }
        }
        match (external_id, agent, started) {
            (Some(external_id), Some(agent), Some(started_at)) if problems.is_empty() => {
                Ok(SourceCall {
                    row: row.number,
                    external_id,
                    parent_id,
                    agent,
                    started_at,
                    duration_s: duration.unwrap_or(0) as u32,
                    caller,
                    queue,
                    direction,
                    outcome,
                    complaint,
                    csat,
                    language,
                    attributes,
                })
            }
            _ => Err(problems),
        }
    }

    /// The agent key: from the first agent column whose value fits the pattern.
    fn agent(&self, columns: &Columns, row: &Row, problems: &mut Vec<Refusal>) -> Option<String> {
        let mut unfit = None;
        for c in self.columns.iter().filter(|c| c.field == Field::Agent) {
            let Some(v) = columns.position(&c.column).and_then(|at| row.get(at)) else {
                continue;
            };
            let key = match &self.agent_pattern {
                Some(pattern) => agent_in(pattern, v),
                None => Some(v),
            };
            match key {
                Some(key) if key.chars().count() > MAX_KEY_CHARS => {
                    problems.push(
                        Refusal::new(ImportProblem::ValueTooLong)
                            .at_row(row.number)
                            .in_column(&c.column)
                            .with_value(v),
                    );
                    return None;
                }
                Some(key) => return Some(key.to_string()),
                None => unfit = unfit.or(Some((c.column.as_str(), v))),
            }
        }
        let column = self.column(Field::Agent).unwrap_or(Field::Agent.code());
        problems.push(match unfit {
            Some((column, v)) => Refusal::new(ImportProblem::UnknownValue)
                .at_row(row.number)
                .in_column(column)
                .with_value(v),
            None => Refusal::new(ImportProblem::MissingValue)
                .at_row(row.number)
                .in_column(column),
        });
        None
    }

    fn translate(&self, table: &BTreeMap<String, String>, source: String) -> Mapped {
        match table.get(&source) {
            Some(code) => Mapped::Mapped(code.clone()),
            None => Mapped::Unmapped(source),
        }
    }

    /// A satisfaction answer: the source's table, the usual words, or a number from 1 to 5.
    fn csat(&self, text: &str) -> Result<u8, ImportProblem> {
        let key = value::value_key(text);
        if let Some(score) = self.values.csat.get(&key) {
            return Ok(*score);
        }
        if let Some((_, score)) = value::SATISFACTION_WORDS.iter().find(|(w, _)| *w == key) {
            return Ok(*score);
        }
        let n: f64 = key.parse().map_err(|_| ImportProblem::UnknownValue)?;
        if n.fract() == 0.0 && (1.0..=5.0).contains(&n) {
            Ok(n as u8)
        } else {
            Err(ImportProblem::OutOfRange)
        }
    }
}

/// `found`, or `otherwise` done when there is nothing.
fn known<T>(found: Option<T>, otherwise: impl FnOnce()) -> Option<T> {
    if found.is_none() {
        otherwise();
    }
    found
}

/// A value's meaning in a source's own table, compared as [`value::value_key`] writes it.
fn lookup<T: Copy>(table: &BTreeMap<String, T>, v: &str) -> Option<T> {
    table.get(&value::value_key(v)).copied()
}

/// The part of `value` that `{agent}` stands for in `pattern`: text before it must match (or,
/// after a leading `*`, be found), and the capture runs to the text after it (to its end when
/// there is none); a trailing `*` allows anything after.
pub fn agent_in<'v>(pattern: &str, value: &'v str) -> Option<&'v str> {
    let (before, after) = pattern.split_once("{agent}")?;
    let start = match before.strip_prefix('*') {
        Some(literal) => value.find(literal)? + literal.len(),
        None => value.strip_prefix(before).map(|_| before.len())?,
    };
    let rest = &value[start..];
    let open_end = after.ends_with('*');
    let end = after.trim_end_matches('*');
    let captured = if end.is_empty() {
        rest
    } else {
        let at = rest.find(end)?;
        if !open_end && &rest[at..] != end {
            return None;
        }
        &rest[..at]
    };
    Some(captured.trim()).filter(|c| !c.is_empty())
}

/// Remembers the call ids read so far, as 64-bit hashes (eight bytes a call, so a million-row
/// file costs 8 MB), to name a call id that comes twice.
#[derive(Debug, Default)]
pub struct SeenIds(std::collections::HashSet<u64>);

impl SeenIds {
    /// True the first time an id is offered.
    pub fn first(&mut self, id: &str) -> bool {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        id.hash(&mut hasher);
        self.0.insert(hasher.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{read_rows, sniff};
    use chrono::NaiveDate;
    use std::ops::ControlFlow;

    fn shanghai(utc: NaiveDateTime) -> NaiveDateTime {
        utc + Duration::hours(8)
    }

    fn map(pairs: &[(Field, &str)]) -> Mapping {
        Mapping {
            columns: pairs
                .iter()
                .map(|(field, column)| ColumnMap {
                    field: *field,
                    column: column.to_string(),
                })
                .collect(),
            values: ValueMaps::default(),
            duration_unit: DurationUnit::Auto,
            source_offset_minutes: None,
            mask_callers: false,
            day_first: false,
            agent_pattern: None,
            defaults: Defaults::default(),
        }
    }

    fn read_all(mapping: &Mapping, file: &str) -> Vec<Result<SourceCall, Vec<Refusal>>> {
        let shape = sniff(file.as_bytes()).unwrap();
        let mut out = Vec::new();
        read_rows(file.as_bytes(), &shape, &mut |columns, row| {
            out.push(match row {
                Ok(row) => mapping.read(columns, &row, &shanghai, "salt"),
                Err(e) => Err(vec![e]),
            });
            ControlFlow::Continue(())
        })
        .unwrap();
        out
    }

    fn at(d: u32, h: u32, m: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, d)
            .unwrap()
            .and_hms_opt(h, m, s)
            .unwrap()
    }

    #[test]
    fn a_chinese_row_reads_into_a_call_with_its_other_columns_kept() {
        let mut mapping = map(&[
            (Field::ExternalId, "通话ID"),
            (Field::Agent, "坐席工号"),
            (Field::StartedAt, "开始时间"),
            (Field::Duration, "通话时长"),
            (Field::Caller, "主叫号码"),
            (Field::Queue, "技能组"),
            (Field::Direction, "呼叫方向"),
            (Field::Complaint, "投诉"),
            (Field::Csat, "满意度"),
        ]);
        mapping.mask_callers = true;
        mapping
            .values
            .queue
            .insert("信用卡".to_string(), "cards".to_string());
        let file = "通话ID,坐席工号,开始时间,通话时长,主叫号码,技能组,呼叫方向,投诉,满意度,备注\n\
                    C1,1001,2026-11-03 09:15:00,00:04:05,13800138000,信用卡,呼入,否,满意,VIP客户\n\
                    C2,1002,2026-11-03T01:20:00Z,61,13900139000,理财,外呼,是,,\n";
        let calls = read_all(&mapping, file);
        let first = calls[0].as_ref().unwrap();
        assert_eq!(first.external_id, "C1");
        assert_eq!(first.agent, "1001");
        assert_eq!(first.started_at, at(3, 9, 15, 0));
        assert_eq!(first.duration_s, 245);
        assert_eq!(first.queue, Some(Mapped::Mapped("cards".to_string())));
        assert_eq!(first.direction, Some(Direction::Inbound));
        assert!(!first.complaint);
        assert_eq!(first.csat, Some(4));
        assert!(matches!(&first.caller, Some(Caller::Masked(m)) if m.shown == "****8000"));
        assert_eq!(first.attributes["备注"], "VIP客户");
        let second = calls[1].as_ref().unwrap();
        // Written in UTC, kept in the centre's time.
        assert_eq!(second.started_at, at(3, 9, 20, 0));
        assert_eq!(second.queue, Some(Mapped::Unmapped("理财".to_string())));
        assert_eq!(second.direction, Some(Direction::Outbound));
        assert!(second.complaint);
        assert_eq!(second.csat, None);
        assert!(second.attributes.is_empty());

        // As the centre's rules take them: mapped names as codes, an unmapped one as it is
        // (refused there as no queue of the centre's), the mapping's defaults for the rest.
        let defaults = Defaults {
            queue: Some("general".into()),
            outcome: Some("resolved".into()),
            direction: None,
            language: Some(Language::En),
        };
        let first = calls[0].clone().unwrap().incoming(&defaults);
        assert_eq!(
            (first.queue.as_str(), first.disposition.as_str()),
            ("cards", "resolved")
        );
        assert_eq!(first.customer_ref, "****8000");
        assert_eq!(first.caller_hash.as_deref().map(str::len), Some(32));
        assert_eq!(first.language, Language::En);
        assert_eq!(first.attributes["备注"], "VIP客户");
        assert_eq!(first.row, 1);
        let second = calls[1].clone().unwrap().incoming(&Defaults::default());
        assert_eq!(second.queue, "理财");
        assert_eq!(
            (second.disposition.as_str(), second.language),
            ("", Language::Zh)
        );
    }

    #[test]
    fn every_problem_of_a_row_is_named_with_its_column() {
        let mapping = map(&[
            (Field::ExternalId, "id"),
            (Field::Agent, "agent"),
            (Field::StartedAt, "start"),
            (Field::EndedAt, "end"),
            (Field::Duration, "secs"),
            (Field::Direction, "dir"),
            (Field::Csat, "csat"),
        ]);
        let file = "id,agent,start,end,secs,dir,csat\n\
                    ,1001,someday,2026-11-03 09:00:00,-5,sideways,9\n\
                    C2,1001,2026-11-03 09:10:00,2026-11-03 09:00:00,,in,\n\
                    C3,1001,2026-11-03 09:00:00,2026-11-03 09:01:00,90,in,5\n\
                    C4,1001,2026-11-03 09:00:00,2026-11-03 09:01:00,,in,\n";
        let calls = read_all(&mapping, file);
        let problems: Vec<(ImportProblem, Option<String>)> = calls[0]
            .as_ref()
            .unwrap_err()
            .iter()
            .map(|p| (p.problem, p.column.clone()))
            .collect();
        assert_eq!(
            problems,
            [
                (ImportProblem::MissingValue, Some("id".to_string())),
                (ImportProblem::BadTime, Some("start".to_string())),
                (ImportProblem::NegativeDuration, Some("secs".to_string())),
                (ImportProblem::UnknownValue, Some("dir".to_string())),
                (ImportProblem::OutOfRange, Some("csat".to_string())),
            ]
        );
        assert!(calls[0]
            .as_ref()
            .unwrap_err()
            .iter()
            .all(|p| p.row == Some(1)));
        assert_eq!(
            calls[1].as_ref().unwrap_err()[0].problem,
            ImportProblem::NegativeDuration
        );
        assert_eq!(
            calls[2].as_ref().unwrap_err()[0].problem,
            ImportProblem::DurationMismatch
        );
        // Without a duration column value, end − start is the duration.
        assert_eq!(calls[3].as_ref().unwrap().duration_s, 60);
    }

    #[test]
    fn a_start_from_end_and_duration_and_a_source_zone() {
        let mut mapping = map(&[
            (Field::ExternalId, "id"),
            (Field::Agent, "agent"),
            (Field::EndedAt, "end"),
            (Field::Duration, "ms"),
        ]);
        mapping.duration_unit = DurationUnit::Milliseconds;
        // Naive times written in UTC−5.
        mapping.source_offset_minutes = Some(-300);
        let calls = read_all(
            &mapping,
            "id,agent,end,ms\nA,ana,2026-11-02 21:00:00,90000\n",
        );
        let call = calls[0].as_ref().unwrap();
        assert_eq!(call.duration_s, 90);
        // 21:00 at UTC−5 is 02:00 UTC, 10:00 in Shanghai; minus ninety seconds.
        assert_eq!(call.started_at, at(3, 9, 58, 30));
        assert_eq!(mapping.missing_fields(), []);
        assert_eq!(
            map(&[(Field::Agent, "a"), (Field::EndedAt, "e")]).missing_fields(),
            [Field::ExternalId, Field::StartedAt]
        );
    }

    #[test]
    fn a_span_over_a_day_is_refused_and_millisecond_headers_count_milliseconds() {
        let mapping = map(&[
            (Field::ExternalId, "id"),
            (Field::Agent, "agent"),
            (Field::StartedAt, "start"),
            (Field::EndedAt, "end"),
        ]);
        let calls = read_all(
            &mapping,
            "id,agent,start,end\nA,ana,2026-11-03 09:00:00,2027-11-03 09:00:00\n",
        );
        assert_eq!(
            calls[0].as_ref().unwrap_err()[0].problem,
            ImportProblem::OutOfRange
        );
        let headers: Vec<String> = ["Call ID", "Talk Time(ms)"].map(String::from).to_vec();
        assert_eq!(
            Mapping::suggested(&headers).duration_unit,
            DurationUnit::Milliseconds
        );
    }

    #[test]
    fn oversized_values_are_refused() {
        let mapping = map(&[
            (Field::ExternalId, "id"),
            (Field::Agent, "agent"),
            (Field::StartedAt, "start"),
        ]);
        let file = format!(
            "id,agent,start,note\n{},a,2026-11-03 09:00:00,x\nB,a,2026-11-03 09:00:00,{}\n",
            "9".repeat(MAX_KEY_CHARS + 1),
            "长".repeat(MAX_ATTRIBUTE_CHARS + 1)
        );
        let calls = read_all(&mapping, &file);
        let first = &calls[0].as_ref().unwrap_err()[0];
        assert_eq!(first.problem, ImportProblem::ValueTooLong);
        assert!(first.value.as_ref().unwrap().chars().count() < 70);
        let second = &calls[1].as_ref().unwrap_err()[0];
        assert_eq!(
            (second.problem, second.column.as_deref()),
            (ImportProblem::ValueTooLong, Some("note"))
        );
    }

    #[test]
    fn agent_keys_inside_richer_text() {
        assert_eq!(agent_in("client:{agent}", "client:1001"), Some("1001"));
        assert_eq!(agent_in("client:{agent}", "+18005550100"), None);
        assert_eq!(
            agent_in("{agent}@*", "1002@ccc-kappa,1003@ccc-kappa"),
            Some("1002")
        );
        assert_eq!(agent_in("*<{agent}>", "Wang Fang<1001>"), Some("1001"));
        assert_eq!(agent_in("*<{agent}>", "13800138001"), None);
        assert_eq!(agent_in("{agent}", "ana"), Some("ana"));
    }

    #[test]
    fn a_field_falls_back_to_its_next_column() {
        let mut mapping = map(&[
            (Field::ExternalId, "ID"),
            (Field::Agent, "Call To"),
            (Field::Agent, "Call From"),
            (Field::StartedAt, "Time"),
        ]);
        mapping.agent_pattern = Some("*<{agent}>".to_string());
        let calls = read_all(
            &mapping,
            "ID,Time,Call From,Call To\n\
             1,2026-11-03 09:00:05,13800138001,Wang Fang<1001>\n\
             2,2026-11-03 09:10:00,Li Lei<1002>,013900139004\n\
             3,2026-11-03 09:20:00,13800138001,013900139004\n",
        );
        assert_eq!(calls[0].as_ref().unwrap().agent, "1001");
        assert_eq!(calls[1].as_ref().unwrap().agent, "1002");
        let refused = &calls[2].as_ref().unwrap_err()[0];
        assert_eq!(
            (refused.problem, refused.column.as_deref()),
            (ImportProblem::UnknownValue, Some("Call To"))
        );
    }

    #[test]
    fn an_id_seen_before_is_told() {
        let mut seen = SeenIds::default();
        assert!(seen.first("C1"));
        assert!(seen.first("C2"));
        assert!(!seen.first("C1"));
    }
}

/// How a staged file is read, as the browser sends it and the import keeps it (its audit shows
/// the mapping): the platform's preset where one was picked (where its calls sit, whether it
/// has a header row), the mapping as the lead left it, the workbook's sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingSettings {
    #[serde(default)]
    pub preset: Option<crate::preset::Preset>,
    pub mapping: Mapping,
    #[serde(default)]
    pub sheet: Option<String>,
    /// The text encoding the lead confirmed, where it is not the one guessed.
    #[serde(default)]
    pub encoding: Option<crate::encoding::SourceEncoding>,
    /// The language the rejected-rows files are written in: the lead's.
    #[serde(default)]
    pub zh: bool,
}
