//! The call library's search: filters, sort and paging, parsed from a URL query string.
//!
//! The SPA keeps a `CallQuery` in its URL, the server receives the same string under
//! `/api/calls`, and fixtures mode answers it with [`CallQuery::apply`]. The server answers with
//! SQL instead; its tests check that SQL and `apply` return the same calls for the same query.

use crate::call::{Call, Direction};
use crate::coded;
use crate::people::{TeamId, UserId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

pub const DEFAULT_PAGE_SIZE: u32 = 25;
pub const MAX_PAGE_SIZE: u32 = 200;

coded!(
    #[derive(Default)]
    pub enum SortField {
        #[default]
        StartedAt => "started_at",
        Duration => "duration",
        Csat => "csat",
    }
);

coded!(
    #[derive(Default)]
    pub enum SortDir {
        Asc => "asc",
        #[default]
        Desc => "desc",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CallSort {
    pub field: SortField,
    pub dir: SortDir,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub team: Option<TeamId>,
    pub agent: Option<UserId>,
    /// A queue's code: any well-formed one, so a filter on a retired or not yet named queue
    /// still reads (it finds the calls that carry it).
    pub queue: Option<String>,
    pub direction: Option<Direction>,
    pub disposition: Option<String>,
    /// Inclusive bounds in seconds.
    pub min_duration: Option<u32>,
    pub max_duration: Option<u32>,
    /// Inclusive bounds on the survey score; a bound excludes calls without a survey.
    pub min_csat: Option<u8>,
    pub max_csat: Option<u8>,
    pub complaint: Option<bool>,
    /// Calls with (or without) a kept recording: only recorded calls can be listened to.
    pub recorded: Option<bool>,
    /// Calls whose imported attribute `name` is exactly `value` (`attr=name=value`).
    pub attribute: Option<AttributeFilter>,
    /// Calls of one caller, by the salted hash of their number (`caller=…`).
    pub caller: Option<String>,
    pub sort: CallSort,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
}

impl Default for CallQuery {
    fn default() -> Self {
        CallQuery {
            from: None,
            to: None,
            team: None,
            agent: None,
            queue: None,
            direction: None,
            disposition: None,
            min_duration: None,
            max_duration: None,
            min_csat: None,
            max_csat: None,
            complaint: None,
            recorded: None,
            attribute: None,
            caller: None,
            sort: CallSort::default(),
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

/// One rejected query parameter: which one, what it held, and why it was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct QueryError {
    pub field: String,
    pub value: String,
    /// Why, as data, so each language can say it.
    pub problem: Problem,
    /// Why, in English, for API clients and logs.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    try_from = "crate::wire::ProblemWire"
)]
pub enum Problem {
    NotADate,
    NotANumber,
    NotOneOf {
        allowed: Vec<String>,
    },
    OutOfRange {
        min: u32,
        max: u32,
    },
    BelowMinimum {
        min: u32,
    },
    /// The bound contradicts the other bound named.
    Contradicts {
        other: String,
    },
    /// A text must be from `min` to `max` characters long.
    Length {
        min: u32,
        max: u32,
    },
    /// Only these characters may be used.
    Characters {
        allowed: String,
    },
    NoSuchTeam,
    /// Empty where something is needed (a name, a reviewer pool).
    Required,
    /// Not a live scorecard with a published version.
    NoPublishedScorecard,
    /// Not an active account that may review calls.
    NotAReviewer,
    NoSuchCall,
    /// An instant that must lie ahead.
    NotInFuture,
    /// An instant that must lie at most this many days ahead.
    TooFarAhead {
        days: u32,
    },
    /// Not a criterion of the scorecard version it must belong to.
    NotOnScorecard,
    /// A record of another agent than the one named.
    OtherAgent,
    /// These criteria have no answer.
    Incomplete {
        missing: Vec<String>,
    },
    /// Another record already has this value (an agent code).
    Taken,
}

impl Problem {
    pub fn describe(&self) -> String {
        match self {
            Problem::NotADate => "expected a date as YYYY-MM-DD".into(),
            Problem::NotANumber => "expected a whole number".into(),
            Problem::NotOneOf { allowed } => format!("expected one of {}", allowed.join(", ")),
            Problem::OutOfRange { min, max } => format!("expected a number from {min} to {max}"),
            Problem::BelowMinimum { min } => format!("expected a number from {min}"),
            Problem::Contradicts { other } => format!("contradicts {other}"),
            Problem::Length { min, max } => format!("expected {min} to {max} characters"),
            Problem::Characters { allowed } => format!("may only use {allowed}"),
            Problem::NoSuchTeam => "no such team".into(),
            Problem::Required => "required".into(),
            Problem::NoPublishedScorecard => "no live scorecard with a published version".into(),
            Problem::NotAReviewer => "not an active account that may review calls".into(),
            Problem::NoSuchCall => "no such call".into(),
            Problem::NotInFuture => "must be later than now".into(),
            Problem::TooFarAhead { days } => format!("must be within {days} days from now"),
            Problem::NotOnScorecard => "not a criterion of this scorecard version".into(),
            Problem::OtherAgent => "belongs to another agent".into(),
            Problem::Incomplete { missing } => {
                format!("needs an answer for {}", missing.join(", "))
            }
            Problem::Taken => "already used by another account".into(),
        }
    }
}

impl QueryError {
    pub fn new(field: impl Into<String>, value: impl Into<String>, problem: Problem) -> QueryError {
        QueryError {
            field: field.into(),
            value: value.into(),
            reason: problem.describe(),
            problem,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
}

impl<T> Page<T> {
    pub fn page_count(&self) -> u32 {
        self.total.div_ceil(self.page_size.max(1)).max(1)
    }
}

fn parse_num<T: std::str::FromStr>(field: &str, value: &str) -> Result<T, QueryError> {
    value
        .trim()
        .parse()
        .map_err(|_| QueryError::new(field, value, Problem::NotANumber))
}

/// Four-digit years only: chrono reads years up to ±262142, whose next day no calendar has.
fn parse_date(field: &str, value: &str) -> Result<NaiveDate, QueryError> {
    crate::time::parse_date(value.trim())
        .ok_or_else(|| QueryError::new(field, value, Problem::NotADate))
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> QueryError {
    QueryError::new(
        field,
        value,
        Problem::NotOneOf {
            allowed: allowed.iter().map(|a| a.to_string()).collect(),
        },
    )
}

fn parse_code<T>(
    field: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    all: &[&str],
) -> Result<T, QueryError> {
    parse(value).ok_or_else(|| one_of(field, value, all))
}

/// One imported attribute and the value a call must have for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeFilter {
    pub name: String,
    pub value: String,
}

impl AttributeFilter {
    /// `name=value`, split at the first `=` (a header rarely holds one; a value may).
    pub fn parse(text: &str) -> Result<AttributeFilter, QueryError> {
        use crate::import::{MAX_ATTRIBUTE_NAME, MAX_ATTRIBUTE_VALUE};
        let refused = |problem| {
            QueryError::new(
                "attr",
                text.chars()
                    .take(MAX_ATTRIBUTE_NAME + 1)
                    .collect::<String>(),
                problem,
            )
        };
        let (name, value) = text
            .split_once('=')
            .ok_or_else(|| refused(Problem::Required))?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_ATTRIBUTE_NAME {
            return Err(refused(Problem::Length {
                min: 1,
                max: MAX_ATTRIBUTE_NAME as u32,
            }));
        }
        if value.chars().count() > MAX_ATTRIBUTE_VALUE {
            return Err(refused(Problem::Length {
                min: 0,
                max: MAX_ATTRIBUTE_VALUE as u32,
            }));
        }
        Ok(AttributeFilter {
            name: name.to_string(),
            value: value.to_string(),
        })
    }

    /// The pair as it stands in a call's stored attributes (compact JSON of a sorted map):
    /// found in that text exactly when the call has this value for this name.
    pub fn stored_text(&self) -> String {
        format!(
            "{}:{}",
            serde_json::Value::from(self.name.as_str()),
            serde_json::Value::from(self.value.as_str())
        )
    }
}

/// A caller's hash: 32 lower-case hex digits (the first 16 bytes of a salted SHA-256).
fn parse_caller(field: &str, value: &str) -> Result<String, QueryError> {
    if value.len() == 32 && value.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) {
        Ok(value.to_string())
    } else {
        Err(QueryError::new(
            field,
            value.chars().take(33).collect::<String>(),
            Problem::Characters {
                allowed: "32 × 0-9 a-f".into(),
            },
        ))
    }
}

fn parse_term(field: &str, value: &str) -> Result<String, QueryError> {
    match crate::vocabulary::term_code_problem(value) {
        None => Ok(value.to_string()),
        Some(problem) => Err(QueryError::new(
            field,
            value
                .chars()
                .take(crate::vocabulary::MAX_TERM_CODE + 1)
                .collect::<String>(),
            problem,
        )),
    }
}

impl CallQuery {
    /// Parses URL query pairs. Every valid parameter is kept even when others are invalid, so a
    /// typo in one filter does not throw away the rest; the errors say which ones were dropped.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (CallQuery, Vec<QueryError>) {
        let mut q = CallQuery::default();
        let mut errors = Vec::new();
        for (key, value) in pairs {
            if value.is_empty() {
                continue;
            }
            let result: Result<(), QueryError> = (|| {
                match key {
                    "from" => q.from = Some(parse_date(key, value)?),
                    "to" => q.to = Some(parse_date(key, value)?),
                    "team" => q.team = Some(parse_num(key, value)?),
                    "agent" => q.agent = Some(parse_num(key, value)?),
                    "queue" => q.queue = Some(parse_term(key, value)?),
                    "direction" => {
                        let codes: Vec<_> = Direction::ALL.iter().map(|v| v.code()).collect();
                        q.direction = Some(parse_code(key, value, Direction::parse, &codes)?)
                    }
                    "disposition" => q.disposition = Some(parse_term(key, value)?),
                    "dur_min" => q.min_duration = Some(parse_num(key, value)?),
                    "dur_max" => q.max_duration = Some(parse_num(key, value)?),
                    "csat_min" => q.min_csat = Some(parse_csat(key, value)?),
                    "csat_max" => q.max_csat = Some(parse_csat(key, value)?),
                    "complaint" => {
                        q.complaint = Some(match value {
                            "yes" => true,
                            "no" => false,
                            _ => return Err(one_of(key, value, &["yes", "no"])),
                        })
                    }
                    "recorded" => {
                        q.recorded = Some(match value {
                            "yes" => true,
                            "no" => false,
                            _ => return Err(one_of(key, value, &["yes", "no"])),
                        })
                    }
                    "attr" => q.attribute = Some(AttributeFilter::parse(value)?),
                    "caller" => q.caller = Some(parse_caller(key, value)?),
                    "sort" => {
                        q.sort.field = match SortField::ALL.into_iter().find(|f| f.code() == value)
                        {
                            Some(f) => f,
                            None => {
                                return Err(one_of(
                                    key,
                                    value,
                                    &SortField::ALL.map(SortField::code),
                                ))
                            }
                        }
                    }
                    "dir" => {
                        q.sort.dir = match value {
                            "asc" => SortDir::Asc,
                            "desc" => SortDir::Desc,
                            _ => return Err(one_of(key, value, &["asc", "desc"])),
                        }
                    }
                    "page" => {
                        let page: u32 = parse_num(key, value)?;
                        if page == 0 {
                            return Err(QueryError::new(
                                key,
                                value,
                                Problem::BelowMinimum { min: 1 },
                            ));
                        }
                        q.page = page;
                    }
                    "size" => {
                        let size: u32 = parse_num(key, value)?;
                        if size == 0 || size > MAX_PAGE_SIZE {
                            return Err(QueryError::new(
                                key,
                                value,
                                Problem::OutOfRange {
                                    min: 1,
                                    max: MAX_PAGE_SIZE,
                                },
                            ));
                        }
                        q.page_size = size;
                    }
                    _ => {}
                }
                Ok(())
            })();
            if let Err(e) = result {
                errors.push(e);
            }
        }
        q.check_ranges(&mut errors);
        (q, errors)
    }

    /// Parses a raw query string such as `team=2&sort=csat` (no leading `?`).
    pub fn from_query_string(qs: &str) -> (CallQuery, Vec<QueryError>) {
        let decoded: Vec<(String, String)> = qs
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(k), percent_decode(v))
            })
            .collect();
        CallQuery::from_pairs(decoded.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// Reversed bounds are dropped (the later one) rather than silently returning nothing.
    fn check_ranges(&mut self, errors: &mut Vec<QueryError>) {
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                errors.push(QueryError::new(
                    "to",
                    to.to_string(),
                    Problem::Contradicts {
                        other: format!("from={from}"),
                    },
                ));
                self.to = None;
            }
        }
        if let (Some(lo), Some(hi)) = (self.min_duration, self.max_duration) {
            if lo > hi {
                errors.push(QueryError::new(
                    "dur_max",
                    hi.to_string(),
                    Problem::Contradicts {
                        other: format!("dur_min={lo}"),
                    },
                ));
                self.max_duration = None;
            }
        }
        if let (Some(lo), Some(hi)) = (self.min_csat, self.max_csat) {
            if lo > hi {
                errors.push(QueryError::new(
                    "csat_max",
                    hi.to_string(),
                    Problem::Contradicts {
                        other: format!("csat_min={lo}"),
                    },
                ));
                self.max_csat = None;
            }
        }
    }

    /// The query as URL pairs, leaving out defaults so links stay short and canonical.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut push = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                out.push((k, v));
            }
        };
        push("from", self.from.map(crate::time::date_stamp));
        push("to", self.to.map(crate::time::date_stamp));
        push("team", self.team.map(|v| v.to_string()));
        push("agent", self.agent.map(|v| v.to_string()));
        push("queue", self.queue.clone());
        push("direction", self.direction.map(|v| v.code().into()));
        push("disposition", self.disposition.clone());
        push("dur_min", self.min_duration.map(|v| v.to_string()));
        push("dur_max", self.max_duration.map(|v| v.to_string()));
        push("csat_min", self.min_csat.map(|v| v.to_string()));
        push("csat_max", self.max_csat.map(|v| v.to_string()));
        push(
            "complaint",
            self.complaint
                .map(|v| if v { "yes".into() } else { "no".into() }),
        );
        push(
            "recorded",
            self.recorded
                .map(|v| if v { "yes".into() } else { "no".into() }),
        );
        push(
            "attr",
            self.attribute
                .as_ref()
                .map(|a| format!("{}={}", a.name, a.value)),
        );
        push("caller", self.caller.clone());
        let default = CallQuery::default();
        push(
            "sort",
            (self.sort.field != default.sort.field).then(|| self.sort.field.code().into()),
        );
        push(
            "dir",
            (self.sort.dir != default.sort.dir).then(|| self.sort.dir.code().into()),
        );
        push("page", (self.page != 1).then(|| self.page.to_string()));
        push(
            "size",
            (self.page_size != DEFAULT_PAGE_SIZE).then(|| self.page_size.to_string()),
        );
        out
    }

    pub fn to_query_string(&self) -> String {
        self.to_pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// True when any filter narrows the list (sort and paging do not count).
    pub fn is_filtered(&self) -> bool {
        let filters_only = CallQuery {
            sort: CallSort::default(),
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
            ..self.clone()
        };
        filters_only != CallQuery::default()
    }

    pub fn matches(&self, call: &Call) -> bool {
        let date = call.started_at.date();
        let within = |v: Option<u8>, lo: Option<u8>, hi: Option<u8>| match (lo, hi) {
            (None, None) => true,
            _ => v.is_some_and(|v| lo.is_none_or(|lo| v >= lo) && hi.is_none_or(|hi| v <= hi)),
        };
        self.from.is_none_or(|d| date >= d)
            && self.to.is_none_or(|d| date <= d)
            && self.team.is_none_or(|t| call.team_id == t)
            && self.agent.is_none_or(|a| call.agent_id == a)
            && self.queue.as_ref().is_none_or(|q| call.queue == *q)
            && self.direction.is_none_or(|d| call.direction == d)
            && self
                .disposition
                .as_ref()
                .is_none_or(|d| call.disposition == *d)
            && self.min_duration.is_none_or(|m| call.duration_s >= m)
            && self.max_duration.is_none_or(|m| call.duration_s <= m)
            && within(call.csat, self.min_csat, self.max_csat)
            && self.complaint.is_none_or(|c| call.complaint == c)
            && self.recorded.is_none_or(|r| call.recording.is_some() == r)
            && self
                .attribute
                .as_ref()
                .is_none_or(|a| call.attributes.get(&a.name) == Some(&a.value))
            && self
                .caller
                .as_ref()
                .is_none_or(|h| call.caller_hash.as_ref() == Some(h))
    }

    /// Orders two calls by the chosen field; calls without a survey sort last in either
    /// direction, and ties fall back to the call id so paging never repeats or skips a call.
    pub fn compare(&self, a: &Call, b: &Call) -> Ordering {
        let directed = |o: Ordering| {
            if self.sort.dir == SortDir::Desc {
                o.reverse()
            } else {
                o
            }
        };
        let primary = match self.sort.field {
            SortField::StartedAt => directed(a.started_at.cmp(&b.started_at)),
            SortField::Duration => directed(a.duration_s.cmp(&b.duration_s)),
            SortField::Csat => match (a.csat, b.csat) {
                (Some(x), Some(y)) => directed(x.cmp(&y)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        };
        primary.then_with(|| directed(a.id.cmp(&b.id)))
    }

    pub fn offset(&self) -> u32 {
        (self.page - 1).saturating_mul(self.page_size)
    }

    /// Answers the query over calls held in memory (fixtures mode).
    pub fn apply(&self, calls: &[Call]) -> Page<Call> {
        let mut hits: Vec<&Call> = calls.iter().filter(|c| self.matches(c)).collect();
        hits.sort_by(|a, b| self.compare(a, b));
        let total = hits.len() as u32;
        let items = hits
            .into_iter()
            .skip(self.offset() as usize)
            .take(self.page_size as usize)
            .cloned()
            .collect();
        Page {
            items,
            total,
            page: self.page,
            page_size: self.page_size,
        }
    }
}

fn parse_csat(field: &str, value: &str) -> Result<u8, QueryError> {
    match value.trim().parse::<u8>() {
        Ok(v @ 1..=5) => Ok(v),
        _ => Err(QueryError::new(
            field,
            value,
            Problem::OutOfRange { min: 1, max: 5 },
        )),
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match (bytes[i], escaped) {
            (_, Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (b, None) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Language;
    use chrono::NaiveDateTime;
    use proptest::prelude::*;

    const QUEUES: [&str; 3] = ["bookings", "refunds", "loyalty"];

    fn call(id: u32, day: u32, duration_s: u32, csat: Option<u8>) -> Call {
        Call {
            id,
            started_at: NaiveDateTime::parse_from_str(
                &format!("2026-10-{day:02} 09:30:00"),
                "%Y-%m-%d %H:%M:%S",
            )
            .unwrap(),
            duration_s,
            agent_id: 100 + id % 3,
            team_id: 1 + id % 2,
            queue: QUEUES[id as usize % QUEUES.len()].into(),
            direction: if id.is_multiple_of(4) {
                Direction::Outbound
            } else {
                Direction::Inbound
            },
            disposition: ["resolved", "follow_up", "escalated"][id as usize % 3].into(),
            csat,
            complaint: id.is_multiple_of(5),
            language: Language::Zh,
            customer_ref: format!("C-{id}"),
            recording: None,
            caller_hash: None,
            origin: None,
            attributes: Default::default(),
        }
    }

    #[test]
    fn parses_every_filter_from_a_url() {
        let (q, errors) = CallQuery::from_query_string(
            "from=2026-10-01&to=2026-10-31&team=2&agent=7&queue=refunds&direction=outbound&disposition=follow_up&dur_min=60&dur_max=600&csat_min=1&csat_max=2&complaint=yes&sort=csat&dir=asc&page=3&size=50",
        );
        assert_eq!(errors, vec![]);
        assert_eq!(q.team, Some(2));
        assert_eq!(q.queue.as_deref(), Some("refunds"));
        assert_eq!(q.disposition.as_deref(), Some("follow_up"));
        assert_eq!(q.complaint, Some(true));
        assert_eq!(
            q.sort,
            CallSort {
                field: SortField::Csat,
                dir: SortDir::Asc
            }
        );
        assert_eq!((q.page, q.page_size), (3, 50));
    }

    #[test]
    fn an_attribute_filter_finds_exactly_its_pair() {
        let (q, errors) = CallQuery::from_query_string("attr=IVR%20path%3D1%3E2%3D3");
        assert_eq!(errors, vec![]);
        let a = q.attribute.clone().unwrap();
        assert_eq!((a.name.as_str(), a.value.as_str()), ("IVR path", "1>2=3"));
        assert_eq!(a.stored_text(), r#""IVR path":"1>2=3""#);
        let mut with = call(1, 1, 60, None);
        with.attributes.insert("IVR path".into(), "1>2=3".into());
        let mut other = call(2, 1, 60, None);
        other.attributes.insert("IVR path".into(), "1>2".into());
        assert!(q.matches(&with) && !q.matches(&other));
        let stored = serde_json::to_string(&with.attributes).unwrap();
        assert!(stored.contains(&a.stored_text()));
        assert!(!serde_json::to_string(&other.attributes)
            .unwrap()
            .contains(&a.stored_text()));
        assert_eq!(
            CallQuery::from_pairs(q.to_pairs().iter().map(|(k, v)| (*k, v.as_str()))).0,
            q
        );
        let (_, errors) = CallQuery::from_query_string("attr=novalue");
        assert_eq!(errors[0].field, "attr");
        // A caller is named by their number's hash only, never by the number.
        let hash = "0123456789abcdef0123456789abcdef";
        let (q, errors) = CallQuery::from_query_string(&format!("caller={hash}"));
        assert_eq!((q.caller.as_deref(), errors), (Some(hash), vec![]));
        with.caller_hash = Some(hash.into());
        assert!(q.matches(&with) && !q.matches(&other));
        let (_, errors) = CallQuery::from_query_string("caller=13800138000");
        assert_eq!(errors[0].field, "caller");
    }

    #[test]
    fn a_bad_parameter_is_named_and_the_others_are_kept() {
        let (q, errors) =
            CallQuery::from_query_string("team=2&queue=Pizza%21&direction=up&csat_min=9&page=0");
        assert_eq!(q.team, Some(2));
        assert_eq!(q.queue, None);
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["queue", "direction", "csat_min", "page"]);
        assert!(
            matches!(errors[0].problem, Problem::Characters { .. }),
            "a queue code is a lower-case key: {:?}",
            errors[0]
        );
        assert!(
            errors[1].reason.contains("inbound"),
            "lists the valid codes: {}",
            errors[1].reason
        );
        // Any well-formed code reads: the centre's vocabulary, not the parser, knows the queues.
        let (any, none) = CallQuery::from_query_string("queue=sg-0042");
        assert_eq!((any.queue.as_deref(), none), (Some("sg-0042"), vec![]));
        assert_eq!(errors[2].problem, Problem::OutOfRange { min: 1, max: 5 });
        assert_eq!(errors[2].value, "9");
    }

    #[test]
    fn reversed_ranges_are_reported_not_silently_empty() {
        let (q, errors) =
            CallQuery::from_query_string("from=2026-10-10&to=2026-10-01&dur_min=300&dur_max=60");
        assert_eq!(q.from.map(|d| d.to_string()).as_deref(), Some("2026-10-10"));
        assert_eq!(q.to, None);
        assert_eq!(q.max_duration, None);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].to_string(), "to: contradicts from=2026-10-10");
        assert_eq!(
            errors[1].problem,
            Problem::Contradicts {
                other: "dur_min=300".into()
            }
        );
    }

    #[test]
    fn the_default_query_is_an_empty_string() {
        assert_eq!(CallQuery::default().to_query_string(), "");
        assert!(!CallQuery::default().is_filtered());
        let q = CallQuery {
            page: 4,
            ..CallQuery::default()
        };
        assert!(!q.is_filtered(), "paging is not filtering");
    }

    #[test]
    fn survey_bounds_exclude_calls_without_a_survey() {
        let q = CallQuery {
            min_csat: Some(1),
            ..CallQuery::default()
        };
        assert!(!q.matches(&call(1, 1, 100, None)));
        assert!(q.matches(&call(1, 1, 100, Some(1))));
    }

    #[test]
    fn date_range_is_inclusive_of_both_days() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let q = CallQuery {
            from: d("2026-10-02"),
            to: d("2026-10-03"),
            ..CallQuery::default()
        };
        let days: Vec<bool> = (1..=4)
            .map(|day| q.matches(&call(day, day, 60, None)))
            .collect();
        assert_eq!(days, vec![false, true, true, false]);
    }

    #[test]
    fn unanswered_surveys_sort_last_both_ways() {
        let calls = vec![
            call(1, 1, 10, None),
            call(2, 1, 10, Some(2)),
            call(3, 1, 10, Some(5)),
        ];
        for dir in [SortDir::Asc, SortDir::Desc] {
            let q = CallQuery {
                sort: CallSort {
                    field: SortField::Csat,
                    dir,
                },
                ..CallQuery::default()
            };
            let ids: Vec<_> = q.apply(&calls).items.iter().map(|c| c.id).collect();
            assert_eq!(*ids.last().unwrap(), 1, "{dir:?}");
        }
    }

    #[test]
    fn a_page_past_the_end_is_empty_but_keeps_the_total() {
        let calls: Vec<_> = (1..=30).map(|i| call(i, 1 + i % 28, 60, None)).collect();
        let page = CallQuery {
            page: 9,
            ..CallQuery::default()
        }
        .apply(&calls);
        assert_eq!(
            (page.items.len(), page.total, page.page_count()),
            (0, 30, 2)
        );
    }

    fn arb_query() -> impl Strategy<Value = CallQuery> {
        (
            proptest::option::of(1u32..=28),
            proptest::option::of(1u32..=3),
            proptest::option::of(0usize..QUEUES.len()),
            proptest::option::of(0u32..900),
            proptest::option::of(1u8..=5),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            0usize..3,
            any::<bool>(),
            1u32..5,
            1u32..40,
        )
            .prop_map(
                |(day, team, queue, dur, csat, complaint, recorded, sort, asc, page, size)| {
                    CallQuery {
                        from: day.map(|d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap()),
                        team,
                        queue: queue.map(|i| QUEUES[i].to_string()),
                        min_duration: dur,
                        max_csat: csat,
                        complaint,
                        recorded,
                        sort: CallSort {
                            field: SortField::ALL[sort],
                            dir: if asc { SortDir::Asc } else { SortDir::Desc },
                        },
                        page,
                        page_size: size,
                        ..CallQuery::default()
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn url_round_trip_keeps_the_query(q in arb_query()) {
            let (back, errors) = CallQuery::from_query_string(&q.to_query_string());
            prop_assert!(errors.is_empty());
            prop_assert_eq!(back, q);
        }

        #[test]
        fn pages_partition_the_matching_calls(q in arb_query(), durations in proptest::collection::vec(0u32..1000, 0..80)) {
            let calls: Vec<_> = durations.iter().enumerate()
                .map(|(i, d)| call(i as u32, 1 + (i as u32 * 7) % 28, *d, if i % 3 == 0 { None } else { Some(1 + (i % 5) as u8) }))
                .collect();
            let expected: Vec<u32> = calls.iter().filter(|c| q.matches(c)).map(|c| c.id).collect();
            let mut seen = Vec::new();
            let first = CallQuery { page: 1, ..q.clone() }.apply(&calls);
            for page in 1..=first.page_count() {
                let p = CallQuery { page, ..q.clone() }.apply(&calls);
                prop_assert_eq!(p.total as usize, expected.len());
                prop_assert!(p.items.len() as u32 <= q.page_size);
                seen.extend(p.items.iter().map(|c| c.id));
            }
            let mut sorted_seen = seen.clone();
            sorted_seen.sort();
            let mut sorted_expected = expected.clone();
            sorted_expected.sort();
            prop_assert_eq!(sorted_seen, sorted_expected, "every match appears once across pages");
        }
    }
}
