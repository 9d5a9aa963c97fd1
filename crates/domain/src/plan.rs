//! Sampling plans, their runs and the assignments they make: the records, the checks a plan
//! must pass before it is saved, and the answers the plan and queue pages read.

use crate::bounded::{MAX_CONFLICTS, MAX_POOL};
use crate::call::{Call, CallId};
use crate::call_query::{CallQuery, Problem, QueryError};
use crate::coded;
use crate::people::UserId;
use crate::sampling::{AssignmentId, PlanId, Rule, RunId, Strategy, StratumRow};
use crate::stats::Estimate;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub const MAX_PLAN_NAME: usize = 100;
/// Per agent, in total or per run: more than a team could review in a month.
pub const MAX_SAMPLE: u32 = 10_000;
pub const MAX_ROLLING_DAYS: u32 = 366;
pub const MAX_DUE_DAYS: u32 = 60;
pub const MAX_REASON: usize = 200;

coded!(
    pub enum Recurrence {
        Once => "once",
        Daily => "daily",
        Weekly => "weekly",
        Monthly => "monthly",
    }
);

impl Recurrence {
    /// The day the run after one on `last` is due; `None` for a plan that runs once. A weekly
    /// plan runs on the first day of the centre's next week, whatever day it last ran.
    pub fn next_after(
        self,
        last: NaiveDate,
        clock: &crate::time::CentreClock,
    ) -> Option<NaiveDate> {
        match self {
            Recurrence::Once => None,
            Recurrence::Daily => Some(last + chrono::Duration::days(1)),
            Recurrence::Weekly => Some(clock.week_of(last) + chrono::Duration::days(7)),
            Recurrence::Monthly => last
                .checked_add_months(chrono::Months::new(1))
                .or_else(|| Some(last.with_day(1)? + chrono::Duration::days(31))),
        }
    }
}

coded!(
    /// Where a plan is in its life: only an active plan runs on its schedule; a paused one keeps
    /// its runs and can still be run by hand; an archived one is kept for its history only.
    pub enum PlanStatus {
        Active => "active",
        Paused => "paused",
        Archived => "archived",
    }
);

/// A reviewer who must not score an agent (a relative, a former team-mate, themselves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub reviewer: UserId,
    pub agent: UserId,
}

/// What a lead asks for: the population, the exclusions, the strategy, who reviews, by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSpec {
    /// In both languages where the lead gives both; either one alone is enough.
    pub name: crate::LocalizedText,
    /// The call library's filters, as its URL query (`team=2&complaint=yes`).
    pub population: String,
    /// Each run covers the days before it instead of the filter's own dates.
    #[serde(default)]
    pub rolling_days: Option<u32>,
    /// Leave out calls that already have an evaluation.
    pub exclude_evaluated: bool,
    /// Leave out calls waiting in an open assignment of any plan.
    pub exclude_assigned: bool,
    /// Leave out calls shorter than this (seconds): too short to score.
    #[serde(default)]
    pub min_duration_s: Option<u32>,
    pub scorecard_id: u32,
    #[serde(deserialize_with = "crate::bounded::vec::<_, _, MAX_POOL>")]
    pub reviewers: Vec<UserId>,
    #[serde(
        default,
        deserialize_with = "crate::bounded::vec::<_, _, MAX_CONFLICTS>"
    )]
    pub conflicts: Vec<Conflict>,
    /// Days from a run to its assignments' due date.
    pub due_days: u32,
    pub strategy: Strategy,
    /// Any whole number; the same seed and population always draw the same sample.
    pub seed: u32,
    pub recurrence: Recurrence,
}

impl PlanSpec {
    /// When the assignments of a run made on `today` are due.
    pub fn due_for_run(&self, today: NaiveDate) -> NaiveDate {
        today + chrono::Duration::days(i64::from(self.due_days))
    }

    /// The population's filters; the spec was checked when saved.
    pub fn query(&self) -> CallQuery {
        CallQuery::from_query_string(&self.population).0
    }

    /// May this reviewer score this agent under the plan?
    pub fn excludes(&self, reviewer: UserId, agent: UserId) -> bool {
        reviewer == agent
            || self
                .conflicts
                .iter()
                .any(|c| c.reviewer == reviewer && c.agent == agent)
    }

    /// Whether a call of the population is left out by the plan's own exclusions (the ones
    /// that need no other records).
    pub fn too_short(&self, call: &Call) -> bool {
        self.min_duration_s.is_some_and(|min| call.duration_s < min)
    }

    /// Every problem with the spec that needs no stored record, each naming its field.
    pub fn problems(&self) -> Vec<QueryError> {
        let mut problems = Vec::new();
        let name = self.name.shown_length();
        if !(1..=MAX_PLAN_NAME).contains(&name) {
            let shown = self.name.pick(false);
            problems.push(QueryError::new(
                "name",
                shown.chars().take(64).collect::<String>(),
                Problem::Length {
                    min: 1,
                    max: MAX_PLAN_NAME as u32,
                },
            ));
        }
        let (_, population) = CallQuery::from_query_string(&self.population);
        problems.extend(population.into_iter().map(|e| QueryError {
            field: format!("population.{}", e.field),
            ..e
        }));
        let mut range = |field: &str, value: Option<u32>, min: u32, max: u32| {
            if let Some(v) = value.filter(|v| !(min..=max).contains(v)) {
                problems.push(QueryError::new(
                    field,
                    v.to_string(),
                    Problem::OutOfRange { min, max },
                ));
            }
        };
        range("rolling_days", self.rolling_days, 1, MAX_ROLLING_DAYS);
        range("min_duration_s", self.min_duration_s, 0, 4 * 3600);
        range("due_days", Some(self.due_days), 1, MAX_DUE_DAYS);
        range("strategy.n", Some(self.strategy.n()), 1, MAX_SAMPLE);
        if let Strategy::Targeted {
            complaints_pct,
            low_csat_pct,
            ..
        } = self.strategy
        {
            range("strategy.complaints_pct", Some(complaints_pct), 0, 100);
            range("strategy.low_csat_pct", Some(low_csat_pct), 0, 100);
            if complaints_pct <= 100 && low_csat_pct <= 100 && complaints_pct + low_csat_pct > 100 {
                problems.push(QueryError::new(
                    "strategy.low_csat_pct",
                    low_csat_pct.to_string(),
                    Problem::OutOfRange {
                        min: 0,
                        max: 100 - complaints_pct,
                    },
                ));
            }
        }
        if self.reviewers.is_empty() {
            problems.push(QueryError::new("reviewers", "", Problem::Required));
        }
        problems
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamplingPlan {
    pub id: PlanId,
    pub spec: PlanSpec,
    pub created_by: UserId,
    #[serde(with = "crate::time::iso")]
    pub created_at: NaiveDateTime,
    pub status: PlanStatus,
    /// 1 when created, one more for each edit or status change: an editor that read an older
    /// revision is refused instead of overwriting what someone else changed.
    pub revision: u32,
}

/// `PUT /api/plans/{id}`: the plan's new spec, from the revision the editor read. The next run
/// draws with it; runs already made keep the spec they drew with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEdit {
    pub spec: PlanSpec,
    pub revision: u32,
}

/// `POST /api/plans/{id}/status`: pause, resume, archive or restore, from the revision read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStatusChange {
    pub status: PlanStatus,
    pub revision: u32,
}

/// One execution of a plan: what it drew from, with which seed, and how it came out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRun {
    pub id: RunId,
    pub plan_id: PlanId,
    /// 1 for the first run of the plan.
    pub number: u32,
    /// The run's own seed (`sampling::run_seed` of the plan's): enough to redraw it.
    pub seed: u64,
    #[serde(with = "crate::time::day")]
    pub run_on: NaiveDate,
    #[serde(with = "crate::time::maybe_day", default)]
    pub from: Option<NaiveDate>,
    #[serde(with = "crate::time::maybe_day", default)]
    pub to: Option<NaiveDate>,
    /// The published version its assignments are scored with, pinned when it ran.
    pub scorecard_version_id: u32,
    pub population: u32,
    pub requested: u32,
    pub sampled: u32,
    #[serde(with = "crate::time::day")]
    pub due: NaiveDate,
    pub strata: Vec<StratumRow>,
    /// The spec it drew with: with the seed, enough to redraw it (and its replacements) after
    /// the plan is edited.
    pub spec: PlanSpec,
}

impl PlanRun {
    /// The run found fewer calls than it asked for.
    pub fn short(&self) -> bool {
        self.sampled < self.requested
    }
}

coded!(
    pub enum AssignmentStatus {
        Open => "open",
        Done => "done",
        /// Set aside with a reason; another call of its stratum took its place.
        Replaced => "replaced",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub id: AssignmentId,
    pub plan_id: PlanId,
    pub run_id: RunId,
    pub call_id: CallId,
    pub agent_id: UserId,
    pub reviewer_id: UserId,
    pub stratum: String,
    pub rule: Rule,
    #[serde(with = "crate::time::day")]
    pub due: NaiveDate,
    pub status: AssignmentStatus,
    /// Why it was replaced.
    #[serde(default)]
    pub reason: Option<String>,
    /// The assignment this one replaced.
    #[serde(default)]
    pub replaces: Option<AssignmentId>,
    #[serde(default)]
    pub evaluation_id: Option<u32>,
}

impl Assignment {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status == AssignmentStatus::Open && self.due < today
    }
}

/// Which assignments a store lists: always one page of them, by due date then id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssignmentFilter {
    pub plan: Option<PlanId>,
    pub run: Option<RunId>,
    pub reviewer: Option<UserId>,
    pub call: Option<CallId>,
    pub status: Option<AssignmentStatus>,
    /// Only those due before this day (with `status: Open`, the overdue ones).
    pub due_before: Option<NaiveDate>,
}

/// Open, overdue and done counts, for one reviewer or for a whole plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Progress {
    pub open: u32,
    pub overdue: u32,
    pub done: u32,
    pub replaced: u32,
}

/// `(reviewer, status, due, count)` rows a store answers; the domain decides what is overdue.
pub type Tally = Vec<(UserId, AssignmentStatus, NaiveDate, u32)>;

pub fn progress_of(tally: &Tally, today: NaiveDate) -> Vec<(UserId, Progress)> {
    let mut out: Vec<(UserId, Progress)> = Vec::new();
    for &(reviewer, status, due, count) in tally {
        let i = match out.iter().position(|(r, _)| *r == reviewer) {
            Some(i) => i,
            None => {
                out.push((reviewer, Progress::default()));
                out.len() - 1
            }
        };
        let p = &mut out[i].1;
        match status {
            AssignmentStatus::Open if due < today => {
                p.open += count;
                p.overdue += count;
            }
            AssignmentStatus::Open => p.open += count,
            AssignmentStatus::Done => p.done += count,
            AssignmentStatus::Replaced => p.replaced += count,
        }
    }
    out.sort_by_key(|(r, _)| *r);
    out
}

/// Precision an agent's share of a sample buys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentPrecision {
    pub agent_id: UserId,
    pub population: u32,
    pub sample: u32,
    /// Half-width of the 95 % interval of a pass rate measured on this sample (worst case).
    pub margin: Option<f64>,
    /// The agent's pass rate over recent evaluations, with its Wilson interval.
    pub current: Option<Estimate>,
}

/// What a sample's margin of error says, in the words a reader needs: "± 0 %" on a sample of
/// two calls would read as perfect precision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Precision {
    /// Nothing to draw from.
    NoCalls,
    /// The sample is every eligible call: the rate is the population's own, not an estimate.
    WholePopulation,
    /// Fewer calls than a rate needs ([`crate::stats::MIN_N`]): any margin would mislead.
    TooFewForRate,
    /// The half-width of the 95 % interval of a pass rate measured on the sample.
    Margin(f64),
}

/// How to read a sample of `sample` calls out of `population`, given its computed margin.
/// Too few calls for a rate comes first: a whole population of two is still two calls.
pub fn precision(sample: u32, population: u32, margin: Option<f64>) -> Precision {
    if sample == 0 || population == 0 {
        Precision::NoCalls
    } else if sample < crate::stats::MIN_N {
        Precision::TooFewForRate
    } else if sample >= population {
        Precision::WholePopulation
    } else {
        margin.map_or(Precision::TooFewForRate, Precision::Margin)
    }
}

/// `POST /api/plans/preview`: what a plan would draw today, before anything is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanPreview {
    #[serde(with = "crate::time::maybe_day", default)]
    pub from: Option<NaiveDate>,
    #[serde(with = "crate::time::maybe_day", default)]
    pub to: Option<NaiveDate>,
    pub population: u32,
    /// Calls the filters match that the plan's exclusions leave out, by reason: why a run can
    /// find fewer calls than the one before.
    pub left_out: LeftOut,
    pub requested: u32,
    pub sampled: u32,
    /// When a run made now would be due: what "Run now" asks the lead to confirm.
    #[serde(with = "crate::time::day")]
    pub due: NaiveDate,
    pub margin: Option<f64>,
    /// Cochran's suggestion for ±5 % at 95 % over this population.
    pub suggested: u64,
    pub strata: Vec<StratumRow>,
    pub agents: Vec<AgentPrecision>,
    /// Calls per reviewer, in pool order.
    pub per_reviewer: Vec<(UserId, u32)>,
}

/// Calls of the population a plan's exclusions leave out. A call evaluated and also waiting in
/// an assignment counts once, as evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LeftOut {
    pub evaluated: u32,
    pub assigned: u32,
    pub too_short: u32,
}

impl LeftOut {
    pub fn total(&self) -> u32 {
        self.evaluated + self.assigned + self.too_short
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub plan: SamplingPlan,
    pub runs: u32,
    #[serde(with = "crate::time::maybe_day", default)]
    pub last_run: Option<NaiveDate>,
    #[serde(with = "crate::time::maybe_day", default)]
    pub next_run: Option<NaiveDate>,
    pub progress: Progress,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDetail {
    pub plan: SamplingPlan,
    /// Newest first.
    pub runs: Vec<PlanRun>,
    #[serde(with = "crate::time::maybe_day", default)]
    pub next_run: Option<NaiveDate>,
    /// Per reviewer, over every run.
    pub progress: Vec<(UserId, Progress)>,
}

/// One line of a queue: the assignment with what a reviewer needs to pick it up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub assignment: Assignment,
    pub call: Call,
    pub agent: String,
    pub reviewer: String,
    pub plan: crate::LocalizedText,
    pub overdue: bool,
    /// The score and outcome of the evaluation that closed it, once done.
    #[serde(default)]
    pub result: Option<(f64, bool)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
    pub progress: Progress,
}

/// `POST /api/assignments/{id}/replace`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplaceRequest {
    pub reason: String,
}

/// `POST /api/assignments/{id}/reassign`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReassignRequest {
    pub reviewer_id: UserId,
}

/// `GET /api/queue`: whose queue, which assignments, which page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QueueQuery {
    /// Leads and admins may look at anyone's queue, or everyone's (`None`); a reviewer always
    /// sees their own.
    pub reviewer: Option<UserId>,
    pub plan: Option<PlanId>,
    /// `open` (the default), `overdue`, `done`, `replaced` or `all`.
    pub show: QueueShow,
    pub page: u32,
}

coded!(
    #[derive(Default)]
    pub enum QueueShow {
        #[default]
        Open => "open",
        Overdue => "overdue",
        Done => "done",
        Replaced => "replaced",
        All => "all",
    }
);

pub const QUEUE_PAGE_SIZE: u32 = 50;

impl QueueQuery {
    /// Parses `reviewer=4&plan=1&show=overdue&page=2`; each bad parameter is named and dropped.
    pub fn from_query_string(qs: &str) -> (QueueQuery, Vec<QueryError>) {
        let mut q = QueueQuery {
            page: 1,
            ..QueueQuery::default()
        };
        let mut errors = Vec::new();
        for pair in qs
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            if value.is_empty() {
                continue;
            }
            let number = || {
                value
                    .parse::<u32>()
                    .map_err(|_| QueryError::new(key, value, Problem::NotANumber))
            };
            let result = match key {
                "reviewer" => number().map(|v| q.reviewer = Some(v)),
                "plan" => number().map(|v| q.plan = Some(v)),
                "page" => number().and_then(|v| {
                    if v == 0 {
                        Err(QueryError::new(
                            key,
                            value,
                            Problem::BelowMinimum { min: 1 },
                        ))
                    } else {
                        q.page = v;
                        Ok(())
                    }
                }),
                "show" => QueueShow::parse(value).map(|v| q.show = v).ok_or_else(|| {
                    QueryError::new(
                        key,
                        value,
                        Problem::NotOneOf {
                            allowed: QueueShow::ALL
                                .iter()
                                .map(|s| s.code().to_string())
                                .collect(),
                        },
                    )
                }),
                _ => Ok(()),
            };
            errors.extend(result.err());
        }
        (q, errors)
    }

    pub fn to_query_string(&self) -> String {
        let mut pairs = Vec::new();
        if let Some(r) = self.reviewer {
            pairs.push(format!("reviewer={r}"));
        }
        if let Some(p) = self.plan {
            pairs.push(format!("plan={p}"));
        }
        if self.show != QueueShow::Open {
            pairs.push(format!("show={}", self.show.code()));
        }
        if self.page > 1 {
            pairs.push(format!("page={}", self.page));
        }
        pairs.join("&")
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_sample_s_precision_is_said_in_words_where_a_margin_would_mislead() {
        assert_eq!(precision(0, 0, None), Precision::NoCalls);
        assert_eq!(precision(0, 40, None), Precision::NoCalls);
        // One or two calls: no rate, whatever the population.
        assert_eq!(precision(1, 1, Some(0.0)), Precision::TooFewForRate);
        assert_eq!(precision(2, 90, Some(0.6)), Precision::TooFewForRate);
        // Every eligible call drawn: the population's own rate, not "± 0 %".
        assert_eq!(precision(3, 3, Some(0.0)), Precision::WholePopulation);
        assert_eq!(precision(12, 12, Some(0.0)), Precision::WholePopulation);
        assert_eq!(precision(12, 200, Some(0.27)), Precision::Margin(0.27));
    }
    use super::*;
    use crate::sampling::Strategy;

    fn spec() -> PlanSpec {
        PlanSpec {
            name: "Weekly".into(),
            population: "team=1".into(),
            rolling_days: Some(7),
            exclude_evaluated: true,
            exclude_assigned: true,
            min_duration_s: Some(30),
            scorecard_id: 1,
            reviewers: vec![4, 5],
            conflicts: vec![Conflict {
                reviewer: 4,
                agent: 9,
            }],
            due_days: 7,
            strategy: Strategy::PerAgent { n: 4 },
            seed: 1,
            recurrence: Recurrence::Weekly,
        }
    }

    #[test]
    fn a_sound_spec_has_no_problems_and_each_bad_field_is_named() {
        assert_eq!(spec().problems(), vec![]);
        let bad = PlanSpec {
            name: " ".into(),
            population: "team=x&csat_min=9".into(),
            rolling_days: Some(0),
            due_days: 90,
            strategy: Strategy::Targeted {
                n: 0,
                complaints_pct: 70,
                low_csat_pct: 40,
            },
            reviewers: vec![],
            ..spec()
        };
        let fields: Vec<String> = bad.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "name",
                "population.team",
                "population.csat_min",
                "rolling_days",
                "due_days",
                "strategy.n",
                "strategy.low_csat_pct",
                "reviewers"
            ]
        );
        // A name in either language alone is enough; one too long in either is not.
        let zh_only = PlanSpec {
            name: crate::LocalizedText {
                en: String::new(),
                zh: "每周质检".into(),
            },
            ..spec()
        };
        assert_eq!(zh_only.problems(), vec![]);
        let long = PlanSpec {
            name: crate::LocalizedText {
                en: "Weekly".into(),
                zh: "质".repeat(MAX_PLAN_NAME + 1),
            },
            ..spec()
        };
        assert_eq!(long.problems().len(), 1);
    }

    #[test]
    fn queue_queries_round_trip_and_name_bad_parameters() {
        let (q, errors) = QueueQuery::from_query_string("reviewer=4&show=overdue&page=2");
        assert!(errors.is_empty());
        assert_eq!(QueueQuery::from_query_string(&q.to_query_string()).0, q);
        let (_, errors) = QueueQuery::from_query_string("reviewer=me&show=later&page=0");
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["reviewer", "show", "page"]
        );
    }

    #[test]
    fn conflicts_and_oneself_are_excluded() {
        let s = spec();
        assert!(s.excludes(4, 9) && s.excludes(5, 5));
        assert!(!s.excludes(5, 9));
    }

    #[test]
    fn recurrences_step_by_their_period() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let monday = crate::time::CentreClock::DEMO;
        let sunday = crate::time::CentreClock {
            week_starts: chrono::Weekday::Sun,
            ..monday
        };
        // Monday 23 November 2026, then a run made on a Wednesday: the next is the week's start.
        assert_eq!(
            Recurrence::Weekly.next_after(d(11, 23), &monday),
            Some(d(11, 30))
        );
        assert_eq!(
            Recurrence::Weekly.next_after(d(11, 25), &monday),
            Some(d(11, 30))
        );
        assert_eq!(
            Recurrence::Weekly.next_after(d(11, 25), &sunday),
            Some(d(11, 29))
        );
        assert_eq!(
            Recurrence::Weekly.next_after(d(11, 29), &sunday),
            Some(d(12, 6))
        );
        assert_eq!(
            Recurrence::Monthly.next_after(d(1, 31), &monday),
            Some(d(2, 28))
        );
        assert_eq!(Recurrence::Once.next_after(d(1, 31), &monday), None);
    }

    #[test]
    fn progress_counts_overdue_among_open() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let tally = vec![
            (5, AssignmentStatus::Open, d(20), 2),
            (5, AssignmentStatus::Open, d(30), 3),
            (4, AssignmentStatus::Done, d(20), 1),
            (5, AssignmentStatus::Replaced, d(30), 1),
        ];
        assert_eq!(
            progress_of(&tally, d(27)),
            vec![
                (
                    4,
                    Progress {
                        done: 1,
                        ..Progress::default()
                    }
                ),
                (
                    5,
                    Progress {
                        open: 5,
                        overdue: 2,
                        done: 0,
                        replaced: 1
                    }
                )
            ]
        );
    }
}
