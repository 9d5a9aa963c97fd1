//! The demo centre's sampling: a weekly plan per team and a one-off complaint review, run by
//! the very workflow the app uses, with the reviewers' work since: last week's run nearly done
//! (a few calls overdue, one replaced), this week's under way.

use crate::evaluations::answer_all;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use kappa_domain::evaluation::{Evaluation, EvaluationSubmission};
use kappa_domain::plan::{
    AssignmentFilter, AssignmentStatus, PlanSpec, PlanStatus, PlanStatusChange, Recurrence,
    ReplaceRequest,
};
use kappa_domain::sampling::{Allocation, Strategy, StratumField};
use kappa_domain::store::{MemoryStore, Store};
use kappa_domain::{workflow, Call, LocalizedText, Team, User};
use rand::Rng;
use std::sync::Arc;

pub(crate) fn at(day: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, day)
        .and_then(|d| d.and_hms_opt(hour, 0, 0))
        .expect("a demo date")
}

pub(crate) fn user<'a>(users: &'a [User], username: &str) -> &'a User {
    users
        .iter()
        .find(|u| u.username == username)
        .expect("a demo account")
}

// A plan's spec, spelled out as the demo's plans differ.
#[allow(clippy::too_many_arguments)]
fn weekly(
    name: LocalizedText,
    team: u32,
    scorecard_id: u32,
    reviewers: Vec<u32>,
    by: StratumField,
    allocation: Allocation,
    n: u32,
    seed: u32,
) -> PlanSpec {
    PlanSpec {
        name,
        population: format!("team={team}"),
        rolling_days: Some(7),
        exclude_evaluated: true,
        exclude_assigned: true,
        min_duration_s: Some(60),
        scorecard_id,
        reviewers,
        conflicts: Vec::new(),
        due_days: 5,
        strategy: Strategy::Stratified { by, allocation, n },
        seed,
        recurrence: Recurrence::Weekly,
    }
}

/// Scores a run's open assignments as their reviewers would, between `from` and `until`,
/// leaving `open_share` of each reviewer's (at least one) still open.
fn work(
    store: &mut MemoryStore,
    rng: &mut impl Rng,
    run: u32,
    open_share: f64,
    from: NaiveDateTime,
    until: NaiveDateTime,
    skills: &[(u32, f64)],
) {
    let filter = AssignmentFilter {
        run: Some(run),
        status: Some(AssignmentStatus::Open),
        ..AssignmentFilter::default()
    };
    let (open, _) = store
        .assignments(&filter, 0, u32::MAX)
        .expect("memory store");
    let version_id = store
        .run(run)
        .expect("memory store")
        .expect("the run")
        .scorecard_version_id;
    let version = store
        .version(version_id)
        .expect("memory store")
        .expect("pinned version");
    let mut per_reviewer: std::collections::BTreeMap<u32, Vec<_>> = Default::default();
    for a in open {
        per_reviewer.entry(a.reviewer_id).or_default().push(a);
    }
    let span = (until - from).num_minutes().max(1);
    for (reviewer_id, list) in per_reviewer {
        let reviewer = store
            .user(reviewer_id)
            .expect("memory store")
            .expect("reviewer");
        let leave_open = ((list.len() as f64 * open_share).ceil() as usize).max(1);
        let keep = list.len().saturating_sub(leave_open);
        for a in list.into_iter().take(keep) {
            let call = store
                .call(a.call_id)
                .expect("memory store")
                .expect("assigned call");
            let skill = skills
                .iter()
                .find(|(id, _)| *id == call.agent_id)
                .map_or(0.0, |s| s.1);
            let answers = answer_all(rng, &version, &call, skill);
            let when = from + Duration::minutes(rng.gen_range(0..span));
            let explanation = kappa_domain::evaluation::grade(&version, &answers)
                .expect("a demo evaluation fits its version");
            let feedback = crate::evaluations::feedback_for(
                call.id,
                explanation.passed,
                call.language == kappa_domain::Language::Zh,
            );
            let submission = EvaluationSubmission {
                call_id: call.id,
                scorecard_version_id: version_id,
                answers,
                notes: Default::default(),
                feedback,
                draft_revision: 0,
            };
            workflow::submit_evaluation(store, &reviewer, submission, when)
                .expect("a demo evaluation fits its version");
        }
    }
}

fn replace_first(
    store: &mut MemoryStore,
    run: u32,
    reviewer: &User,
    reason: &str,
    when: NaiveDateTime,
) {
    let filter = AssignmentFilter {
        run: Some(run),
        reviewer: Some(reviewer.id),
        status: Some(AssignmentStatus::Open),
        ..AssignmentFilter::default()
    };
    let first = store
        .assignments(&filter, 0, 1)
        .expect("memory store")
        .0
        .into_iter()
        .next()
        .expect("an open assignment");
    workflow::replace_assignment(
        store,
        reviewer,
        first.id,
        ReplaceRequest {
            reason: reason.into(),
        },
        when,
    )
    .expect("the stratum has another call");
}

/// Runs the demo's plans over the generated centre; answers the store holding the sampling
/// records and every evaluation (the generated ones and those scored from queues).
pub fn generate(
    rng: &mut impl Rng,
    teams: &[Team],
    users: &[User],
    calls: &[Call],
    scorecards: &kappa_domain::scorecard_library::ScorecardLibrary,
    evaluations: Vec<Evaluation>,
    skills: &[(u32, f64)],
) -> MemoryStore {
    let mut store = MemoryStore {
        users: users.to_vec(),
        teams: teams.to_vec(),
        calls: Arc::new(calls.to_vec()),
        scorecards: scorecards.clone(),
        evaluations,
        clock: kappa_domain::time::CentreClock::DEMO,
        ..MemoryStore::default()
    };
    let (lead1, lead2) = (user(users, "lead1").clone(), user(users, "lead2").clone());
    let r = |name| user(users, name).id;
    let specs = [
        (
            &lead1,
            weekly(
                crate::localized("Weekly QA — Bookings & Changes", "每周质检（预订与改签）"),
                1,
                1,
                vec![r("reviewer1"), r("reviewer2")],
                StratumField::Agent,
                Allocation::Equal,
                18,
                1101,
            ),
        ),
        (
            &lead2,
            weekly(
                crate::localized("Weekly QA — Refunds & Complaints", "每周质检（退款与投诉）"),
                2,
                1,
                vec![r("reviewer3"), r("reviewer4")],
                StratumField::Queue,
                Allocation::Proportional,
                18,
                2202,
            ),
        ),
        (
            &lead1,
            weekly(
                crate::localized("Weekly QA — Loyalty & Outreach", "每周质检（会员与回访）"),
                3,
                2,
                vec![r("reviewer1"), r("reviewer3"), r("reviewer4")],
                StratumField::Agent,
                Allocation::Equal,
                18,
                3303,
            ),
        ),
    ];
    for (lead, spec) in specs {
        workflow::create_plan(&mut store, lead, spec, at(16, 8)).expect("the demo plan is valid");
    }
    // Last week's runs: nearly done, two calls per reviewer still open and now overdue, one
    // silent recording replaced.
    let last_week: Vec<u32> = store.sampling.runs.iter().map(|r| r.id).collect();
    let reviewer2 = user(users, "reviewer2").clone();
    replace_first(
        &mut store,
        last_week[0],
        &reviewer2,
        "Silent recording after 0:40 · 录音 0:40 后无声",
        at(17, 10),
    );
    for run in &last_week {
        work(&mut store, rng, *run, 0.1, at(16, 10), at(21, 17), skills);
    }
    // This week's runs, on schedule; a third done so far.
    let this_week = workflow::run_due_plans(&mut store, at(23, 8)).expect("the scheduler runs");
    let reviewer3 = user(users, "reviewer3").clone();
    for (i, (_, run)) in this_week.iter().enumerate() {
        let run = *run.as_ref().expect("each weekly plan runs");
        if i == 1 {
            replace_first(
                &mut store,
                run,
                &reviewer3,
                "Customer asked to stop the recording · 客户要求停止录音",
                at(24, 9),
            );
        }
        work(&mut store, rng, run, 0.65, at(23, 9), at(26, 18), skills);
    }
    // A one-off deep dive a lead previewed and committed: complaints and unhappy customers first.
    let deep_dive = PlanSpec {
        name: crate::localized("Complaint deep dive", "投诉专项抽检"),
        population: "from=2026-11-01&to=2026-11-22".into(),
        rolling_days: None,
        exclude_evaluated: true,
        exclude_assigned: true,
        min_duration_s: Some(60),
        scorecard_id: 1,
        reviewers: vec![r("reviewer2"), r("reviewer4"), lead2.id],
        conflicts: Vec::new(),
        due_days: 4,
        strategy: Strategy::Targeted {
            n: 20,
            complaints_pct: 60,
            low_csat_pct: 30,
        },
        seed: 4404,
        recurrence: Recurrence::Once,
    };
    workflow::create_plan(&mut store, &lead2, deep_dive, at(24, 14))
        .expect("the deep dive is valid");
    // Every recorded call of the week, one listening review each, shared by the four reviewers.
    let listening = PlanSpec {
        name: crate::localized("Listening check — recorded calls", "录音通话抽查"),
        population: "from=2026-11-19&to=2026-11-25&recorded=yes".into(),
        rolling_days: None,
        exclude_evaluated: false,
        exclude_assigned: true,
        min_duration_s: None,
        scorecard_id: 1,
        reviewers: vec![
            r("reviewer1"),
            r("reviewer2"),
            r("reviewer3"),
            r("reviewer4"),
        ],
        conflicts: Vec::new(),
        due_days: 3,
        strategy: Strategy::Total { n: 8 },
        seed: 5505,
        recurrence: Recurrence::Once,
    };
    workflow::create_plan(&mut store, &lead1, listening, at(26, 9))
        .expect("the listening check is valid");
    // Every state a plan can be in: the outreach team's weekly plan paused while its agents
    // train on the new loyalty offer, and the deep dive archived once its findings were in
    // (its open calls stay in the reviewers' queues).
    let first_change = |status| PlanStatusChange {
        status,
        revision: 1,
    };
    let (outreach, deep_dive) = (3, 4);
    workflow::set_plan_status(
        &mut store,
        &lead1,
        outreach,
        first_change(PlanStatus::Paused),
        at(26, 12),
    )
    .expect("the outreach plan pauses");
    workflow::set_plan_status(
        &mut store,
        &lead2,
        deep_dive,
        first_change(PlanStatus::Archived),
        at(26, 16),
    )
    .expect("the deep dive is archived");
    store
}
