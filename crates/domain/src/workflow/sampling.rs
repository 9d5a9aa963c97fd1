//! Sampling plans and reviewer queues: saving a plan, previewing and committing its runs,
//! and the queue's replace and reassign. The draw itself is `crate::sampling`.

use super::{missing, require, stored, Failure, Outcome};
use crate::access::Capability;
use crate::call::{Call, CallId};
use crate::call_query::{Problem, QueryError};
use crate::people::{User, UserId};
use crate::plan::{
    progress_of, AgentPrecision, Assignment, AssignmentFilter, AssignmentStatus, LeftOut,
    PlanDetail, PlanEdit, PlanPreview, PlanRun, PlanSpec, PlanStatus, PlanStatusChange,
    PlanSummary, Progress, QueueItem, QueuePage, QueueQuery, QueueShow, ReassignRequest,
    ReplaceRequest, SamplingPlan, MAX_REASON, QUEUE_PAGE_SIZE,
};
use crate::refusal::{Entity, Refusal};
use crate::sampling::{self, Draw, PlanId, Scan};
use crate::stats;
use crate::store::{Change, Store, StoreError};
use crate::time::CentreClock;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use std::collections::{HashMap, HashSet};

/// How far back a preview looks for an agent's current pass rate.
const PASS_RATE_DAYS: i64 = 90;

fn invalid(problems: Vec<QueryError>) -> Failure {
    Failure::Refused(Refusal::InvalidInput(problems))
}

/// The published version a plan's runs pin, or why there is none.
fn live_version(store: &(impl Store + ?Sized), scorecard: u32) -> Outcome<Option<u32>> {
    Ok(match store.scorecard(scorecard)? {
        Some(card) if !card.archived => card.versions.first().map(|v| v.id),
        _ => None,
    })
}

/// Every problem with a spec, its stored references included; the pinned version when none.
fn check(store: &(impl Store + ?Sized), spec: &PlanSpec) -> Outcome<u32> {
    let mut problems = spec.problems();
    let version = live_version(store, spec.scorecard_id)?;
    if version.is_none() {
        problems.push(QueryError::new(
            "scorecard_id",
            spec.scorecard_id.to_string(),
            Problem::NoPublishedScorecard,
        ));
    }
    let mut seen = HashSet::new();
    for (i, id) in spec.reviewers.iter().enumerate() {
        let field = format!("reviewers.{i}");
        if !seen.insert(*id) {
            problems.push(QueryError::new(
                &field,
                id.to_string(),
                Problem::Contradicts {
                    other: "a reviewer listed twice".into(),
                },
            ));
        } else if !store.user(*id)?.is_some_and(|u| u.may_review()) {
            problems.push(QueryError::new(
                &field,
                id.to_string(),
                Problem::NotAReviewer,
            ));
        }
    }
    match (problems.is_empty(), version) {
        (true, Some(version)) => Ok(version),
        _ => Err(invalid(problems)),
    }
}

/// Reads the calls a run may draw from: the plan's filters over its window, without the
/// excluded calls and those in `used`, counting what each exclusion left out. A store failure
/// inside the scan is kept and reported.
struct Eligible<'s, S: Store + ?Sized> {
    store: &'s S,
    spec: &'s PlanSpec,
    query: crate::call_query::CallQuery,
    used: HashSet<CallId>,
    evaluated: HashSet<CallId>,
    assigned: HashSet<CallId>,
    left_out: LeftOut,
    failure: Option<StoreError>,
}

impl<'s, S: Store + ?Sized> Eligible<'s, S> {
    fn new(
        store: &'s S,
        spec: &'s PlanSpec,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        used: HashSet<CallId>,
    ) -> Outcome<Self> {
        let mut query = spec.query();
        (query.from, query.to) = (from, to);
        let evaluated = if spec.exclude_evaluated {
            store.evaluated_calls()?.into_iter().collect()
        } else {
            HashSet::new()
        };
        let assigned = if spec.exclude_assigned {
            store.assigned_calls()?.into_iter().collect()
        } else {
            HashSet::new()
        };
        Ok(Eligible {
            store,
            spec,
            query,
            used,
            evaluated,
            assigned,
            left_out: LeftOut::default(),
            failure: None,
        })
    }

    fn scan(&mut self) -> impl FnMut(&mut dyn FnMut(&Call)) + use<'_, 's, S> {
        move |each: &mut dyn FnMut(&Call)| {
            let Eligible {
                store,
                spec,
                query,
                used,
                evaluated,
                assigned,
                left_out,
                failure,
            } = &mut *self;
            // Each pass sees the whole population, so each counts afresh.
            *left_out = LeftOut::default();
            let result = store.scan_calls(query, &mut |call| {
                if used.contains(&call.id) {
                } else if evaluated.contains(&call.id) {
                    left_out.evaluated += 1;
                } else if assigned.contains(&call.id) {
                    left_out.assigned += 1;
                } else if spec.too_short(call) {
                    left_out.too_short += 1;
                } else {
                    each(call);
                }
            });
            if let Err(e) = result {
                failure.get_or_insert(e);
            }
        }
    }

    fn done(self) -> Outcome<LeftOut> {
        self.failure.map_or(Ok(self.left_out), |e| Err(e.into()))
    }
}

/// A run's draw, who gets each call, and what the exclusions left out; refused when some agent
/// has no eligible reviewer.
fn decide(
    store: &(impl Store + ?Sized),
    spec: &PlanSpec,
    pool: &[UserId],
    seed: u64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Outcome<(Draw, Vec<UserId>, LeftOut)> {
    let mut eligible = Eligible::new(store, spec, from, to, HashSet::new())?;
    let draw = sampling::draw(&spec.strategy, seed, &mut eligible.scan() as &mut Scan);
    let left_out = eligible.done()?;
    let reviewers = sampling::distribute(&draw.picks, pool, |r, a| spec.excludes(r, a));
    let mut given = Vec::with_capacity(reviewers.len());
    for (pick, reviewer) in draw.picks.iter().zip(reviewers) {
        given.push(reviewer.ok_or(Refusal::NoEligibleReviewer(pick.agent_id))?);
    }
    Ok((draw, given, left_out))
}

/// What the plan would draw if it ran today, with the precision that buys; nothing is saved.
pub fn preview_plan(
    store: &(impl Store + ?Sized),
    actor: &User,
    spec: PlanSpec,
    now: NaiveDateTime,
) -> Outcome<PlanPreview> {
    require(actor, Capability::ManageSampling)?;
    check(store, &spec)?;
    let (today, _) = centre_today(store, now)?;
    let query = spec.query();
    let (from, to) = sampling::window(spec.rolling_days, query.from, query.to, today);
    let (draw, given, left_out) = decide(
        store,
        &spec,
        &spec.reviewers,
        sampling::run_seed(u64::from(spec.seed), 1),
        from,
        to,
    )?;
    let rates = store.pass_counts(now - Duration::days(PASS_RATE_DAYS))?;
    let agents = draw
        .agents
        .iter()
        .map(|(&agent_id, &population)| {
            let sample = draw.picks.iter().filter(|p| p.agent_id == agent_id).count() as u32;
            let current = rates
                .iter()
                .find(|r| r.0 == agent_id)
                .and_then(|&(_, passed, n)| stats::wilson(passed, n, 0.95));
            AgentPrecision {
                agent_id,
                population,
                sample,
                margin: stats::margin_of_error(u64::from(sample), u64::from(population)),
                current,
            }
        })
        .collect();
    let per_reviewer = spec
        .reviewers
        .iter()
        .map(|r| (*r, given.iter().filter(|g| *g == r).count() as u32))
        .collect();
    let sampled = draw.picks.len() as u32;
    Ok(PlanPreview {
        from,
        to,
        population: draw.population,
        left_out,
        requested: draw.requested,
        sampled,
        due: spec.due_for_run(today),
        margin: stats::margin_of_error(u64::from(sampled), u64::from(draw.population)),
        suggested: stats::cochran(u64::from(draw.population), 0.95, 0.05, 0.5),
        strata: draw.strata,
        agents,
        per_reviewer,
    })
}

fn last_run(store: &(impl Store + ?Sized), plan: PlanId) -> Outcome<Option<PlanRun>> {
    Ok(store.runs(plan)?.into_iter().max_by_key(|r| r.number))
}

/// The plan's next run on `today` and the assignments it hands out, decided but not written: a
/// refusal leaves nothing behind in any store.
fn decide_run(
    store: &(impl Store + ?Sized),
    plan: &SamplingPlan,
    today: NaiveDate,
) -> Outcome<(PlanRun, Vec<Assignment>)> {
    let version = live_version(store, plan.spec.scorecard_id)?.ok_or_else(|| {
        invalid(vec![QueryError::new(
            "scorecard_id",
            plan.spec.scorecard_id.to_string(),
            Problem::NoPublishedScorecard,
        )])
    })?;
    // The pool as it is today: a reviewer deactivated (or moved out of reviewing) since the
    // plan was saved gets no more calls from it.
    let mut pool = Vec::with_capacity(plan.spec.reviewers.len());
    for &id in &plan.spec.reviewers {
        if store.user(id)?.is_some_and(|u| u.may_review()) {
            pool.push(id);
        }
    }
    if pool.is_empty() {
        return Err(Refusal::EmptyReviewerPool.into());
    }
    let number = last_run(store, plan.id)?.map_or(1, |r| r.number + 1);
    let seed = sampling::run_seed(u64::from(plan.spec.seed), number);
    let query = plan.spec.query();
    let (from, to) = sampling::window(plan.spec.rolling_days, query.from, query.to, today);
    let (draw, given, _) = decide(store, &plan.spec, &pool, seed, from, to)?;
    let due = plan.spec.due_for_run(today);
    let assignments = draw
        .picks
        .iter()
        .zip(given)
        .map(|(pick, reviewer_id)| Assignment {
            id: 0,
            plan_id: plan.id,
            run_id: 0,
            call_id: pick.call_id,
            agent_id: pick.agent_id,
            reviewer_id,
            stratum: pick.stratum.clone(),
            rule: pick.rule,
            due,
            status: AssignmentStatus::Open,
            reason: None,
            replaces: None,
            evaluation_id: None,
        })
        .collect();
    let run = PlanRun {
        id: 0,
        plan_id: plan.id,
        number,
        seed,
        run_on: today,
        from,
        to,
        scorecard_version_id: version,
        population: draw.population,
        requested: draw.requested,
        sampled: draw.picks.len() as u32,
        due,
        strata: draw.strata,
        spec: plan.spec.clone(),
    };
    Ok((run, assignments))
}

/// Draws and records the plan's next run on `today`, handing its calls out.
fn commit_run(
    store: &mut (impl Store + ?Sized),
    actor: Option<UserId>,
    plan: &SamplingPlan,
    today: NaiveDate,
) -> Outcome<u32> {
    let (run, assignments) = decide_run(store, plan, today)?;
    Ok(store.write(actor, Change::RunCommitted { run, assignments })?)
}

/// Saves a plan and commits its first run at once: what the lead previewed is what is handed
/// out. The run is decided before anything is written, so a plan that cannot run is not saved.
pub fn create_plan(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    spec: PlanSpec,
    now: NaiveDateTime,
) -> Outcome<PlanDetail> {
    require(actor, Capability::ManageSampling)?;
    check(store, &spec)?;
    let mut plan = SamplingPlan {
        id: 0,
        spec,
        created_by: actor.id,
        created_at: super::second(now),
        status: PlanStatus::Active,
        revision: 1,
    };
    let (mut run, mut assignments) = decide_run(store, &plan, centre_today(store, now)?.0)?;
    plan.id = store.write(Some(actor.id), Change::PlanCreated(plan.clone()))?;
    run.plan_id = plan.id;
    assignments.iter_mut().for_each(|a| a.plan_id = plan.id);
    store.write(Some(actor.id), Change::RunCommitted { run, assignments })?;
    plan_detail(store, actor, plan.id, now)
}

fn managed_plan(store: &(impl Store + ?Sized), actor: &User, id: PlanId) -> Outcome<SamplingPlan> {
    require(actor, Capability::ManageSampling)?;
    store.plan(id)?.ok_or(missing(Entity::SamplingPlan))
}

/// Runs a plan now, outside its schedule (or a plan that runs once, again).
pub fn run_plan(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: PlanId,
    now: NaiveDateTime,
) -> Outcome<PlanDetail> {
    let plan = managed_plan(store, actor, id)?;
    if plan.status == PlanStatus::Archived {
        return Err(Refusal::PlanArchived.into());
    }
    let (today, _) = centre_today(store, now)?;
    commit_run(store, Some(actor.id), &plan, today)?;
    plan_detail(store, actor, id, now)
}

/// The plan as its editor read it, or why the edit may not go on: the revision moved on, or
/// the plan is archived. A repeat of an edit already made (a retry after a lost answer) is
/// recognised by `already` and answered as done.
fn editable(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: PlanId,
    revision: u32,
    already: impl Fn(&SamplingPlan) -> bool,
) -> Outcome<Option<SamplingPlan>> {
    let plan = managed_plan(store, actor, id)?;
    if already(&plan) && plan.revision >= revision {
        return Ok(None);
    }
    if plan.revision != revision {
        return Err(Refusal::ChangedSinceOpened(Entity::SamplingPlan).into());
    }
    Ok(Some(plan))
}

/// Saves a plan's new spec: its next run draws with it, and runs already made keep theirs.
/// The spec passes the same checks as a new plan's; an archived plan is not edited.
pub fn edit_plan(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: PlanId,
    edit: PlanEdit,
    now: NaiveDateTime,
) -> Outcome<PlanDetail> {
    let Some(plan) = editable(store, actor, id, edit.revision, |p| p.spec == edit.spec)? else {
        return plan_detail(store, actor, id, now);
    };
    if plan.status == PlanStatus::Archived {
        return Err(Refusal::PlanArchived.into());
    }
    check(store, &edit.spec)?;
    store.write(
        Some(actor.id),
        Change::PlanEdited {
            id,
            spec: edit.spec,
            revision: plan.revision + 1,
        },
    )?;
    plan_detail(store, actor, id, now)
}

/// Pauses, resumes, archives or restores a plan. Its open assignments stay in reviewers'
/// queues whatever its status: work handed out is not taken back.
pub fn set_plan_status(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: PlanId,
    change: PlanStatusChange,
    now: NaiveDateTime,
) -> Outcome<PlanDetail> {
    if let Some(plan) = editable(store, actor, id, change.revision, |p| {
        p.status == change.status
    })? {
        store.write(
            Some(actor.id),
            Change::PlanStatusSet {
                id,
                status: change.status,
                revision: plan.revision + 1,
            },
        )?;
    }
    plan_detail(store, actor, id, now)
}

/// Only an active plan has a next run; a paused or archived one waits for a person.
fn next_run(plan: &SamplingPlan, last: Option<&PlanRun>, clock: &CentreClock) -> Option<NaiveDate> {
    if plan.status != PlanStatus::Active {
        return None;
    }
    plan.spec.recurrence.next_after(last?.run_on, clock)
}

/// The centre's calendar day at `now`: runs, due dates and "overdue" count in its days.
fn centre_today(
    store: &(impl Store + ?Sized),
    now: NaiveDateTime,
) -> Outcome<(NaiveDate, CentreClock)> {
    let clock = store.clock(now)?;
    Ok((clock.today(now), clock))
}

/// The scheduler's turn: every recurring plan whose next run is due runs once, dated today
/// (a server that was down for three weeks does not make three weeks of work at once). A plan
/// that cannot run (its scorecard archived, say) is skipped and says why.
pub fn run_due_plans(
    store: &mut (impl Store + ?Sized),
    now: NaiveDateTime,
) -> Outcome<Vec<(PlanId, Result<u32, Refusal>)>> {
    let (today, clock) = centre_today(store, now)?;
    let mut ran = Vec::new();
    for plan in store.plans()? {
        let last = last_run(store, plan.id)?;
        if next_run(&plan, last.as_ref(), &clock).is_some_and(|next| next <= today) {
            match commit_run(store, None, &plan, today) {
                Ok(id) => ran.push((plan.id, Ok(id))),
                Err(Failure::Refused(refusal)) => ran.push((plan.id, Err(refusal))),
                Err(failure) => return Err(failure),
            }
        }
    }
    Ok(ran)
}

fn progress_total(rows: &[(UserId, Progress)]) -> Progress {
    rows.iter().fold(Progress::default(), |t, (_, p)| Progress {
        open: t.open + p.open,
        overdue: t.overdue + p.overdue,
        done: t.done + p.done,
        replaced: t.replaced + p.replaced,
    })
}

pub fn plans(
    store: &(impl Store + ?Sized),
    actor: &User,
    now: NaiveDateTime,
) -> Outcome<Vec<PlanSummary>> {
    require(actor, Capability::ManageSampling)?;
    let (today, clock) = centre_today(store, now)?;
    let mut list = Vec::new();
    for plan in store.plans()? {
        let runs = store.runs(plan.id)?;
        let last = runs.iter().max_by_key(|r| r.number);
        let progress = progress_total(&progress_of(&store.tally(Some(plan.id), None)?, today));
        list.push(PlanSummary {
            runs: runs.len() as u32,
            last_run: last.map(|r| r.run_on),
            next_run: next_run(&plan, last, &clock),
            plan,
            progress,
        });
    }
    list.sort_by_key(|p| std::cmp::Reverse(p.plan.id));
    Ok(list)
}

pub fn plan_detail(
    store: &(impl Store + ?Sized),
    actor: &User,
    id: PlanId,
    now: NaiveDateTime,
) -> Outcome<PlanDetail> {
    let plan = managed_plan(store, actor, id)?;
    let mut runs = store.runs(id)?;
    runs.sort_by_key(|r| std::cmp::Reverse(r.number));
    let (today, clock) = centre_today(store, now)?;
    let progress = progress_of(&store.tally(Some(id), None)?, today);
    Ok(PlanDetail {
        next_run: next_run(&plan, runs.first(), &clock),
        plan,
        runs,
        progress,
    })
}

fn queue_item(
    store: &(impl Store + ?Sized),
    assignment: Assignment,
    today: NaiveDate,
) -> Outcome<QueueItem> {
    let mut items = queue_items(store, vec![assignment], today)?;
    Ok(items.remove(0))
}

/// A page of assignments with their calls, people and plans, read once for the page (not
/// once per line).
fn queue_items(
    store: &(impl Store + ?Sized),
    assignments: Vec<Assignment>,
    today: NaiveDate,
) -> Outcome<Vec<QueueItem>> {
    let ids: Vec<CallId> = assignments.iter().map(|a| a.call_id).collect();
    let mut calls: HashMap<CallId, Call> =
        store.calls(&ids)?.into_iter().map(|c| (c.id, c)).collect();
    let names: HashMap<UserId, String> = store
        .users()?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let plans: HashMap<PlanId, crate::LocalizedText> = store
        .plans()?
        .into_iter()
        .map(|p| (p.id, p.spec.name))
        .collect();
    let name = |id: UserId| names.get(&id).cloned().unwrap_or_default();
    let evaluations: Vec<u32> = assignments.iter().filter_map(|a| a.evaluation_id).collect();
    let results: HashMap<u32, (f64, bool)> = store
        .scores(&evaluations)?
        .into_iter()
        .map(|(id, score, passed)| (id, (score, passed)))
        .collect();
    assignments
        .into_iter()
        .map(|assignment| {
            // A call assigned twice on one page is cloned for the second line.
            let call = match calls.remove(&assignment.call_id) {
                Some(call) => call,
                None => stored("assigned call", store.call(assignment.call_id)?)?,
            };
            Ok(QueueItem {
                overdue: assignment.overdue(today),
                agent: name(assignment.agent_id),
                reviewer: name(assignment.reviewer_id),
                plan: plans.get(&assignment.plan_id).cloned().unwrap_or_default(),
                result: assignment
                    .evaluation_id
                    .and_then(|id| results.get(&id).copied()),
                call,
                assignment,
            })
        })
        .collect()
}

/// A reviewer's queue (their own only), or any reviewer's or everyone's for those who manage
/// sampling; agents have none.
pub fn queue(
    store: &(impl Store + ?Sized),
    actor: &User,
    query: QueueQuery,
    now: NaiveDateTime,
) -> Outcome<QueuePage> {
    require(actor, Capability::ReviewCalls)?;
    let reviewer = if actor.role.can(Capability::ManageSampling) {
        query.reviewer
    } else if query.reviewer.is_none_or(|r| r == actor.id) {
        Some(actor.id)
    } else {
        return Err(Refusal::Forbidden.into());
    };
    let (today, _) = centre_today(store, now)?;
    let mut filter = AssignmentFilter {
        plan: query.plan,
        reviewer,
        ..AssignmentFilter::default()
    };
    match query.show {
        QueueShow::Open => filter.status = Some(AssignmentStatus::Open),
        QueueShow::Overdue => {
            (filter.status, filter.due_before) = (Some(AssignmentStatus::Open), Some(today))
        }
        QueueShow::Done => filter.status = Some(AssignmentStatus::Done),
        QueueShow::Replaced => filter.status = Some(AssignmentStatus::Replaced),
        QueueShow::All => {}
    }
    let page = query.page.max(1);
    let (found, total) = store.assignments(
        &filter,
        (page - 1).saturating_mul(QUEUE_PAGE_SIZE),
        QUEUE_PAGE_SIZE,
    )?;
    let items = queue_items(store, found, today)?;
    let progress = progress_total(&progress_of(&store.tally(query.plan, reviewer)?, today));
    Ok(QueuePage {
        items,
        total,
        page,
        page_size: QUEUE_PAGE_SIZE,
        progress,
    })
}

/// The assignee works it; those who manage sampling may act on any. Anyone else's assignment
/// answers as a missing one.
fn open_assignment(store: &(impl Store + ?Sized), actor: &User, id: u32) -> Outcome<Assignment> {
    require(actor, Capability::ReviewCalls)?;
    let assignment = match store.assignment(id)? {
        Some(a) if a.reviewer_id == actor.id || actor.role.can(Capability::ManageSampling) => a,
        _ => return Err(missing(Entity::Assignment)),
    };
    if assignment.status != AssignmentStatus::Open {
        return Err(Refusal::AssignmentClosed.into());
    }
    Ok(assignment)
}

/// Sets a call aside with a reason (wrong language, silent recording…) and draws the next call
/// of the same stratum from the run's seed stream; it goes to the same reviewer when they may
/// review its agent.
pub fn replace_assignment(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: u32,
    request: ReplaceRequest,
    now: NaiveDateTime,
) -> Outcome<QueueItem> {
    let old = open_assignment(store, actor, id)?;
    let reason = request.reason.trim().to_string();
    if !(1..=MAX_REASON).contains(&reason.chars().count()) {
        return Err(invalid(vec![QueryError::new(
            "reason",
            request.reason.chars().take(64).collect::<String>(),
            Problem::Length {
                min: 1,
                max: MAX_REASON as u32,
            },
        )]));
    }
    let plan = stored("plan", store.plan(old.plan_id)?)?;
    let run = stored("run", store.run(old.run_id)?)?;
    let (in_run, _) = store.assignments(
        &AssignmentFilter {
            run: Some(run.id),
            ..AssignmentFilter::default()
        },
        0,
        u32::MAX,
    )?;
    let used = in_run.iter().map(|a| a.call_id).collect();
    // The run's own spec, not the plan's: an edit since then changes the next run only.
    let spec = &run.spec;
    let mut eligible = Eligible::new(store, spec, run.from, run.to, used)?;
    // The scan leaves out every call the run used.
    let pick = sampling::replacement(
        &spec.strategy,
        run.seed,
        &old.stratum,
        old.rule,
        &mut eligible.scan() as &mut Scan,
    );
    eligible.done()?;
    let pick = pick.ok_or(Refusal::NoReplacement)?;
    // Conflicts as the plan has them now: one learned since the run applies at once.
    let reviewer_id = if plan.spec.excludes(old.reviewer_id, pick.agent_id) {
        *plan
            .spec
            .reviewers
            .iter()
            .find(|r| !plan.spec.excludes(**r, pick.agent_id))
            .ok_or(Refusal::NoEligibleReviewer(pick.agent_id))?
    } else {
        old.reviewer_id
    };
    let replacement = Assignment {
        id: 0,
        call_id: pick.call_id,
        agent_id: pick.agent_id,
        reviewer_id,
        replaces: Some(old.id),
        status: AssignmentStatus::Open,
        reason: None,
        evaluation_id: None,
        ..old
    };
    let new_id = store.write(
        Some(actor.id),
        Change::AssignmentReplaced {
            id,
            reason,
            replacement,
        },
    )?;
    queue_item(
        store,
        stored("replacement", store.assignment(new_id)?)?,
        centre_today(store, now)?.0,
    )
}

/// Hands an open assignment to another reviewer who may review its agent.
pub fn reassign(
    store: &mut (impl Store + ?Sized),
    actor: &User,
    id: u32,
    request: ReassignRequest,
    now: NaiveDateTime,
) -> Outcome<QueueItem> {
    require(actor, Capability::ManageSampling)?;
    let assignment = open_assignment(store, actor, id)?;
    let plan = stored("plan", store.plan(assignment.plan_id)?)?;
    let to = request.reviewer_id;
    if !store.user(to)?.is_some_and(|u| u.may_review()) {
        return Err(invalid(vec![QueryError::new(
            "reviewer_id",
            to.to_string(),
            Problem::NotAReviewer,
        )]));
    }
    if plan.spec.excludes(to, assignment.agent_id) {
        return Err(Refusal::NoEligibleReviewer(assignment.agent_id).into());
    }
    store.write(
        Some(actor.id),
        Change::AssignmentReassigned { id, reviewer: to },
    )?;
    queue_item(
        store,
        stored("assignment", store.assignment(id)?)?,
        centre_today(store, now)?.0,
    )
}

/// Closes the assignee's open assignment of a call they just scored, if there is one.
pub(super) fn close_assignment(
    store: &mut (impl Store + ?Sized),
    reviewer: UserId,
    call: CallId,
    evaluation: u32,
) -> Outcome<()> {
    let filter = AssignmentFilter {
        reviewer: Some(reviewer),
        call: Some(call),
        status: Some(AssignmentStatus::Open),
        ..AssignmentFilter::default()
    };
    if let Some(open) = store.assignments(&filter, 0, 1)?.0.into_iter().next() {
        store.write(
            Some(reviewer),
            Change::AssignmentDone {
                id: open.id,
                evaluation,
            },
        )?;
    }
    Ok(())
}
