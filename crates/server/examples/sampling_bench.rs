//! Sampling against SQLite at scale: the demo centre plus a million calls in a real database
//! file, then a plan previewed (a read) and committed (a write transaction that streams the calls
//! twice and stores the run and its assignments). `cargo xtask bench` runs it.

use kappa_domain::plan::{PlanSpec, Recurrence};
use kappa_domain::sampling::{Allocation, Strategy, StratumField};
use kappa_domain::workflow;
use kappa_server::Db;
use std::time::Instant;

const CALLS: usize = 1_000_000;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("kappa-sampling-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = Db::open(&dir.join("kappa.db"))?;
    let data = kappa_demo::generate(kappa_demo::SEED);
    let hash = kappa_server::password::hash_password(kappa_demo::DEMO_PASSWORD)?;
    db.seed(&data, &hash)?;
    let started = Instant::now();
    let first = data.calls.len() as u32 + 1;
    let more: Vec<kappa_domain::Call> =
        kappa_demo::scaled_calls(&data.calls, CALLS - data.calls.len())
            .into_iter()
            .map(|c| kappa_domain::Call {
                id: c.id + first - 1,
                ..c
            })
            .collect();
    db.with(|conn| {
        let tx = conn.transaction()?;
        kappa_server::store::insert_calls(&tx, &more)?;
        tx.commit()?;
        Ok(())
    })?;
    println!(
        "load {CALLS} calls into SQLite: {:.1} s (setup, not measured below)",
        started.elapsed().as_secs_f64()
    );
    let lead = data
        .users
        .iter()
        .find(|u| u.username == "lead1")
        .cloned()
        .ok_or("no lead1")?;
    let plans = [
        (
            "300 stratified by agent, equal",
            Strategy::Stratified {
                by: StratumField::Agent,
                allocation: Allocation::Equal,
                n: 300,
            },
        ),
        ("4 per agent", Strategy::PerAgent { n: 4 }),
        (
            "500 targeted (20 % complaints, 10 % CSAT ≤ 2)",
            Strategy::Targeted {
                n: 500,
                complaints_pct: 20,
                low_csat_pct: 10,
            },
        ),
    ];
    for (i, (name, strategy)) in plans.into_iter().enumerate() {
        let spec = PlanSpec {
            name: name.into(),
            population: String::new(),
            rolling_days: None,
            exclude_evaluated: true,
            exclude_assigned: true,
            min_duration_s: Some(60),
            scorecard_id: 1,
            reviewers: vec![4, 5, 6, 7],
            conflicts: Vec::new(),
            due_days: 5,
            strategy,
            seed: 1000 + i as u32,
            recurrence: Recurrence::Once,
        };
        let now = chrono::Utc::now().naive_utc();
        let (who, what) = (lead.clone(), spec.clone());
        let started = Instant::now();
        let preview = db
            .view(move |store| workflow::preview_plan(store, &who, what, now))
            .await?;
        let previewed = started.elapsed().as_secs_f64() * 1e3;
        let who = lead.clone();
        let started = Instant::now();
        let detail = db
            .change(move |store| workflow::create_plan(store, &who, spec, now))
            .await?;
        let committed = started.elapsed().as_secs_f64() * 1e3;
        println!(
            "SQLite, {} eligible calls, {name}: preview {previewed:.0} ms, commit {committed:.0} ms ({} assignments written)",
            preview.population,
            detail.runs.first().map_or(0, |r| r.sampled)
        );
    }
    // A workload of a hundred thousand assignments, and the pages that read it.
    let spec = PlanSpec {
        name: "100,000 assignments".into(),
        population: String::new(),
        rolling_days: None,
        exclude_evaluated: false,
        exclude_assigned: true,
        min_duration_s: None,
        scorecard_id: 1,
        reviewers: vec![4, 5, 6, 7],
        conflicts: Vec::new(),
        due_days: 5,
        strategy: Strategy::PerAgent { n: 3_704 },
        seed: 77,
        recurrence: Recurrence::Once,
    };
    let now = chrono::Utc::now().naive_utc();
    let who = lead.clone();
    let started = Instant::now();
    let detail = db
        .change(move |store| workflow::create_plan(store, &who, spec, now))
        .await?;
    let sampled = detail.runs.first().map_or(0, |r| r.sampled);
    println!(
        "SQLite, commit a run of {sampled} assignments: {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let plan = detail.plan.id;
    let last = sampled.div_ceil(kappa_domain::plan::QUEUE_PAGE_SIZE);
    let reads: [(&str, kappa_domain::plan::QueueQuery); 3] = [
        (
            "everyone's queue, first page",
            kappa_domain::plan::QueueQuery {
                page: 1,
                ..Default::default()
            },
        ),
        (
            "everyone's queue, last page",
            kappa_domain::plan::QueueQuery {
                plan: Some(plan),
                page: last,
                ..Default::default()
            },
        ),
        (
            "one reviewer's queue, first page",
            kappa_domain::plan::QueueQuery {
                reviewer: Some(5),
                page: 1,
                ..Default::default()
            },
        ),
    ];
    for (name, query) in reads {
        let who = lead.clone();
        let started = Instant::now();
        let page = db
            .view(move |store| workflow::queue(store, &who, query, now))
            .await?;
        println!(
            "SQLite, {name} of {} with progress: {:.0} ms",
            page.total,
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    let who = lead.clone();
    let started = Instant::now();
    db.view(move |store| workflow::plan_detail(store, &who, plan, now))
        .await?;
    println!(
        "SQLite, the plan page with its reviewers' progress: {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let who = lead.clone();
    let started = Instant::now();
    db.view(move |store| workflow::plans(store, &who, now))
        .await?;
    println!(
        "SQLite, the plan list: {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    drop(db);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
