//! The demo contact centre, "Harbour Travel Service Desk / 海港旅行服务中心": teams, people and
//! 90 days of calls, drawn from one fixed seed so the SQLite seed and the static fixtures hold
//! exactly the same data.

pub mod calibration;
pub mod coaching;
pub mod evaluations;
pub mod imports;
pub mod recordings;
pub mod reviews;
pub mod sampling;
pub mod templates;
pub mod vocabulary;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use kappa_domain::evaluation::Evaluation;
use kappa_domain::scorecard_library::ScorecardLibrary;
use kappa_domain::{
    Call, CallId, Direction, Language, LocalizedText, Role, Team, TranscriptLine, User,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use vocabulary::{Disposition, Queue};

pub const SEED: u64 = 20261126;
/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "demo";
/// The last day with calls; fixed so that the data is the same wherever and whenever it is made.
pub const LAST_DAY: (i32, u32, u32) = (2026, 11, 25);
pub const DAYS: i64 = 90;

#[derive(Debug, Clone)]
pub struct DemoData {
    pub teams: Vec<Team>,
    pub users: Vec<User>,
    pub calls: Vec<Call>,
    pub transcripts: BTreeMap<CallId, Vec<TranscriptLine>>,
    /// The starter scorecards with their published history, numbered as the server numbers them.
    pub scorecards: ScorecardLibrary,
    pub evaluations: Vec<Evaluation>,
    /// Plans with their runs and the queues they filled.
    pub sampling: kappa_domain::store::SamplingBook,
    /// Drafts, score histories and disputes.
    pub reviews: kappa_domain::store::ReviewBook,
    /// Calibration sessions, past and open, with their scores.
    pub calibration: kappa_domain::store::CalibrationBook,
    /// Coaching sessions, notes and action items in every state.
    pub coaching: kappa_domain::store::CoachingBook,
    /// The desk's queues and outcomes.
    pub vocabulary: kappa_domain::vocabulary::Vocabulary,
    /// Its imports of call-record files: committed, set aside, failed.
    pub imports: Vec<kappa_domain::file_import::FileImport>,
}

/// (display name, preferred language, skill: how well this agent tends to do, -1..1)
const AGENTS: [(&str, f64); 27] = [
    ("王芳", 0.6),
    ("李娜", 0.2),
    ("张伟", -0.3),
    ("刘洋", 0.4),
    ("陈静", 0.0),
    ("杨磊", -0.7),
    ("赵敏", 0.8),
    ("黄强", -0.1),
    ("Emily Zhou", 0.5),
    ("周杰", 0.1),
    ("吴婷", -0.4),
    ("徐涛", 0.3),
    ("孙丽", 0.7),
    ("马超", -0.8),
    ("朱琳", 0.0),
    ("胡斌", 0.2),
    ("James Lin", -0.2),
    ("Sophie Wu", 0.6),
    ("郭鑫", -0.5),
    ("何欣", 0.4),
    ("高飞", 0.1),
    ("林晓", -0.1),
    ("罗明", 0.3),
    ("梁雪", 0.9),
    ("宋扬", -0.6),
    ("Daniel Ho", 0.2),
    ("Grace Tan", 0.0),
];

fn localized(en: &str, zh: &str) -> LocalizedText {
    LocalizedText {
        en: en.into(),
        zh: zh.into(),
    }
}

fn people() -> (Vec<Team>, Vec<User>) {
    let mut users = Vec::new();
    let mut add = |username: String, display_name: &str, role: Role, team_id: Option<u32>| {
        let id = users.len() as u32 + 1;
        users.push(User {
            id,
            username,
            display_name: display_name.into(),
            role,
            team_id,
            active: true,
            agent_code: None,
        });
        id
    };
    add("admin".into(), "系统管理员 Admin", Role::Admin, None);
    let lead1 = add("lead1".into(), "周慧 Hui Zhou", Role::Lead, Some(1));
    let lead2 = add("lead2".into(), "Mark Chen 陈明", Role::Lead, Some(2));
    for (i, name) in ["钱婉 Wan Qian", "Olivia Park", "邓凯 Kai Deng", "Lucas Ma"]
        .iter()
        .enumerate()
    {
        add(format!("reviewer{}", i + 1), name, Role::Reviewer, None);
    }
    for (i, (name, _)) in AGENTS.iter().enumerate() {
        add(
            format!("agent{}", i + 1),
            name,
            Role::Agent,
            Some(1 + i as u32 / 9),
        );
    }
    // Agent codes as a platform numbers its seats (工号): 1001 for agent1 onwards.
    for (n, agent) in users
        .iter_mut()
        .filter(|u| u.role == Role::Agent)
        .enumerate()
    {
        agent.agent_code = Some((1001 + n).to_string());
    }
    let teams = vec![
        Team {
            id: 1,
            name: localized("Bookings & Changes", "预订与改签"),
            lead_id: Some(lead1),
        },
        Team {
            id: 2,
            name: localized("Refunds & Complaints", "退款与投诉"),
            lead_id: Some(lead2),
        },
        Team {
            id: 3,
            name: localized("Loyalty & Outreach", "会员与回访"),
            lead_id: Some(lead1),
        },
    ];
    (teams, users)
}

/// What each team answers, with weights.
fn queue_mix(team: u32) -> &'static [(Queue, u32)] {
    match team {
        1 => &[
            (Queue::Bookings, 45),
            (Queue::Changes, 40),
            (Queue::Cancellations, 15),
        ],
        2 => &[
            (Queue::Refunds, 45),
            (Queue::Complaints, 35),
            (Queue::Cancellations, 20),
        ],
        _ => &[
            (Queue::Loyalty, 60),
            (Queue::Changes, 15),
            (Queue::Complaints, 25),
        ],
    }
}

/// Median handle time in seconds per queue; complaints and refunds run long.
fn median_seconds(queue: Queue) -> f64 {
    match queue {
        Queue::Bookings => 330.0,
        Queue::Changes => 300.0,
        Queue::Cancellations => 240.0,
        Queue::Refunds => 420.0,
        Queue::Complaints => 560.0,
        Queue::Loyalty => 200.0,
    }
}

pub(crate) fn weighted<T: Copy>(rng: &mut impl Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total);
    for (item, w) in items {
        if roll < *w {
            return *item;
        }
        roll -= w;
    }
    items[items.len() - 1].0
}

pub(crate) fn normal(rng: &mut impl Rng) -> f64 {
    // Box–Muller: enough for plausible spreads without another dependency.
    let (u1, u2): (f64, f64) = (rng.gen_range(f64::EPSILON..1.0), rng.gen());
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Calls per hour of the day, 08:00–21:00, with the usual mid-morning and afternoon peaks.
const HOURLY: [(u32, u32); 13] = [
    (8, 4),
    (9, 9),
    (10, 12),
    (11, 11),
    (12, 7),
    (13, 8),
    (14, 11),
    (15, 11),
    (16, 9),
    (17, 7),
    (18, 5),
    (19, 4),
    (20, 2),
];

pub fn generate(seed: u64) -> DemoData {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (teams, users) = people();
    let agents: Vec<(&User, f64)> = users
        .iter()
        .filter(|u| u.role == Role::Agent)
        .zip(AGENTS.iter().map(|(_, skill)| *skill))
        .collect();
    let last = NaiveDate::from_ymd_opt(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2).expect("valid date");
    let mut calls = Vec::new();
    for day_back in (0..DAYS).rev() {
        let day = last - Duration::days(day_back);
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let volume = if weekend {
            rng.gen_range(38..50)
        } else {
            rng.gen_range(58..74)
        };
        for _ in 0..volume {
            let (agent, skill) = agents[rng.gen_range(0..agents.len())];
            let team = agent.team_id.expect("agents have a team");
            let queue = weighted(&mut rng, queue_mix(team));
            let outbound_share = if team == 3 { 0.45 } else { 0.06 };
            let direction = if rng.gen_bool(outbound_share) {
                Direction::Outbound
            } else {
                Direction::Inbound
            };
            let hour = weighted(&mut rng, &HOURLY);
            let started_at = day
                .and_hms_opt(hour, rng.gen_range(0..60), rng.gen_range(0..60))
                .expect("valid time");
            let duration = (median_seconds(queue) * (0.45 * normal(&mut rng) - 0.1 * skill).exp())
                .clamp(35.0, 3600.0) as u32;
            let hard = matches!(queue, Queue::Complaints | Queue::Refunds);
            let resolve = 0.72 + 0.12 * skill - if hard { 0.15 } else { 0.0 };
            let disposition = if rng.gen_bool(resolve.clamp(0.2, 0.95)) {
                Disposition::Resolved
            } else {
                weighted(
                    &mut rng,
                    &[
                        (Disposition::FollowUp, 40),
                        (Disposition::Escalated, if hard { 35 } else { 15 }),
                        (Disposition::Transferred, 20),
                        (Disposition::Unresolved, 15),
                    ],
                )
            };
            let complaint = match queue {
                Queue::Complaints => rng.gen_bool(0.6),
                _ => rng.gen_bool(if disposition == Disposition::Unresolved {
                    0.25
                } else {
                    0.025
                }),
            };
            let csat = rng.gen_bool(0.32).then(|| {
                let base = 4.0 + 0.6 * skill
                    - if complaint { 1.4 } else { 0.0 }
                    - if disposition == Disposition::Resolved {
                        0.0
                    } else {
                        0.8
                    };
                (base + 0.9 * normal(&mut rng)).round().clamp(1.0, 5.0) as u8
            });
            calls.push(Call {
                id: 0,
                started_at,
                duration_s: duration,
                agent_id: agent.id,
                team_id: team,
                queue: queue.code().into(),
                direction,
                disposition: disposition.code().into(),
                csat,
                complaint,
                language: if rng.gen_bool(0.7) {
                    Language::Zh
                } else {
                    Language::En
                },
                customer_ref: format!("C-{:06}", rng.gen_range(100000..1000000)),
                recording: None,
                caller_hash: None,
                origin: None,
                attributes: Default::default(),
            });
        }
    }
    calls.sort_by_key(|c| c.started_at);
    for (i, call) in calls.iter_mut().enumerate() {
        call.id = i as u32 + 1;
    }
    let transcripts = attach_recordings(&mut calls, &users);
    let admin = users
        .iter()
        .find(|u| u.role == Role::Admin)
        .expect("the demo has an administrator");
    let scorecards = templates::library(&templates::demo_scorecards(), admin);
    let skills: Vec<(u32, f64)> = agents.iter().map(|(u, skill)| (u.id, *skill)).collect();
    let evaluations = evaluations::generate(&mut rng, &calls, &users, &skills, &scorecards);
    let mut store = sampling::generate(
        &mut rng,
        &teams,
        &users,
        &calls,
        &scorecards,
        evaluations,
        &skills,
    );
    reviews::generate(&mut rng, &mut store);
    calibration::generate(&mut rng, &mut store);
    coaching::generate(&mut store);
    store.vocabulary = vocabulary::vocabulary();
    imports::generate(&mut rng, &mut store);
    DemoData {
        teams,
        users,
        calls: store.calls.as_ref().clone(),
        transcripts,
        scorecards,
        evaluations: store.evaluations,
        sampling: store.sampling,
        reviews: store.reviews,
        calibration: store.calibration,
        coaching: store.coaching,
        vocabulary: store.vocabulary,
        imports: store.imports,
    }
}

/// `n` calls shaped like the demo's (the demo's calls over and over, renumbered): the load that
/// sampling benchmarks draw from.
pub fn scaled_calls(calls: &[Call], n: usize) -> Vec<Call> {
    (0..n)
        .map(|i| Call {
            id: i as u32 + 1,
            recording: None,
            ..calls[i % calls.len()].clone()
        })
        .collect()
}

/// Gives each recording to the latest call of the agent who speaks in it, in the recording's
/// queue, and makes that call's facts agree with what is heard.
fn attach_recordings(calls: &mut [Call], users: &[User]) -> BTreeMap<CallId, Vec<TranscriptLine>> {
    let mut transcripts = BTreeMap::new();
    for rec in recordings::recordings() {
        let facts = &rec.facts;
        let Some(agent) = users.iter().find(|u| u.display_name == facts.agent) else {
            continue;
        };
        let Some(call) = calls.iter_mut().rev().find(|c| {
            c.recording.is_none() && c.agent_id == agent.id && c.queue == facts.queue.code()
        }) else {
            continue;
        };
        call.language = facts.language;
        call.direction = facts.direction;
        call.disposition = facts.disposition.code().into();
        call.csat = facts.csat;
        call.complaint = facts.complaint;
        call.duration_s = rec.duration_s;
        call.recording = Some(facts.file.clone());
        transcripts.insert(call.id, rec.transcript);
    }
    transcripts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_centre() {
        let (a, b) = (generate(SEED), generate(SEED));
        assert_eq!(a.calls, b.calls);
        assert_ne!(generate(SEED + 1).calls, a.calls);
    }

    #[test]
    fn the_centre_is_as_large_as_the_brief_asks() {
        let d = generate(SEED);
        let count = |role| d.users.iter().filter(|u| u.role == role).count();
        assert!(d.teams.len() >= 3);
        assert!(count(Role::Agent) >= 24);
        assert_eq!(count(Role::Reviewer), 4);
        assert_eq!(count(Role::Lead), 2);
        assert!(d.calls.len() >= 5000, "{} calls", d.calls.len());
        let first = d.calls.first().unwrap().started_at.date();
        let last = d.calls.last().unwrap().started_at.date();
        assert_eq!((last - first).num_days(), DAYS - 1);
        for login in ["admin", "lead1", "reviewer1", "agent1"] {
            assert!(d.users.iter().any(|u| u.username == login), "{login}");
        }
    }

    #[test]
    fn distributions_are_plausible() {
        let d = generate(SEED);
        let n = d.calls.len() as f64;
        let answered: Vec<f64> = d
            .calls
            .iter()
            .filter_map(|c| c.csat.map(f64::from))
            .collect();
        let survey_rate = answered.len() as f64 / n;
        let mean_csat = answered.iter().sum::<f64>() / answered.len() as f64;
        let complaint_rate = d.calls.iter().filter(|c| c.complaint).count() as f64 / n;
        let mut durations: Vec<u32> = d.calls.iter().map(|c| c.duration_s).collect();
        durations.sort();
        let median = durations[durations.len() / 2];
        assert!(
            (0.25..0.40).contains(&survey_rate),
            "survey rate {survey_rate}"
        );
        assert!((3.4..4.4).contains(&mean_csat), "mean CSAT {mean_csat}");
        assert!(
            (0.05..0.15).contains(&complaint_rate),
            "complaint rate {complaint_rate}"
        );
        assert!((200..500).contains(&median), "median duration {median}");
    }

    #[test]
    fn evaluations_have_history_with_realistic_patterns() {
        let d = generate(SEED);
        let e = &d.evaluations;
        assert!(e.len() >= 600, "{} evaluations", e.len());
        let recorded = d.calls.iter().filter(|c| c.recording.is_some());
        assert!(
            recorded
                .clone()
                .all(|c| e.iter().any(|x| x.call_id == c.id)),
            "every recorded call is evaluated"
        );
        let auto_fails = e.iter().filter(|x| x.score == 0.0).count();
        assert!((3..40).contains(&auto_fails), "{auto_fails} auto-fails");
        let pass_rate = e.iter().filter(|x| x.passed).count() as f64 / e.len() as f64;
        assert!((0.4..0.85).contains(&pass_rate), "pass rate {pass_rate}");
        let mean_of = |agent: &str| {
            let id = d.users.iter().find(|u| u.display_name == agent).unwrap().id;
            let scores: Vec<f64> = e
                .iter()
                .filter(|x| x.agent_id == id)
                .map(|x| x.score)
                .collect();
            scores.iter().sum::<f64>() / scores.len() as f64
        };
        assert!(
            mean_of("梁雪") > mean_of("马超") + 10.0,
            "the strongest agent outscores the weakest"
        );
        let reviewers: std::collections::BTreeSet<_> = e.iter().map(|x| x.reviewer_id).collect();
        assert!(reviewers.len() >= 4);
        let versions: std::collections::BTreeSet<_> =
            e.iter().map(|x| x.scorecard_version_id).collect();
        assert_eq!(
            versions.len(),
            3,
            "both service versions and the sales card are in use"
        );
        // Numbered as stored: the generated history in time order, then the work done from queues.
        assert!(e.windows(2).all(|w| w[0].id < w[1].id));
        for x in e {
            let call = &d.calls[x.call_id as usize - 1];
            assert!(x.submitted_at > call.started_at && x.agent_id == call.agent_id);
            let version = d.scorecards.version(x.scorecard_version_id).unwrap();
            let rescored = kappa_domain::evaluation::grade(&version, &x.answers).unwrap();
            assert_eq!(
                rescored.score, x.score,
                "evaluation {} rescores alike with its pinned version",
                x.id
            );
        }
    }

    #[test]
    fn the_sampling_demo_has_every_state() {
        use kappa_domain::plan::AssignmentStatus;
        let d = generate(SEED);
        let book = &d.sampling;
        assert_eq!(book.plans.len(), 5);
        assert_eq!(
            book.runs.len(),
            8,
            "three weekly plans ran twice, the deep dive and the listening check once"
        );
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let count = |f: &dyn Fn(&kappa_domain::plan::Assignment) -> bool| {
            book.assignments.iter().filter(|a| f(a)).count()
        };
        assert!(count(&|a| a.status == AssignmentStatus::Done) >= 40);
        assert!(count(&|a| a.status == AssignmentStatus::Replaced) == 2);
        assert!(
            (3..=10).contains(&count(&|a| a.overdue(today))),
            "a few overdue"
        );
        assert!(count(&|a| a.status == AssignmentStatus::Open && !a.overdue(today)) >= 30);
        for reviewer in ["reviewer1", "reviewer2", "reviewer3", "reviewer4"] {
            let id = d.users.iter().find(|u| u.username == reviewer).unwrap().id;
            assert!(
                count(&|a| a.reviewer_id == id && a.status == AssignmentStatus::Open) > 0,
                "{reviewer} has open work"
            );
        }
        for a in book
            .assignments
            .iter()
            .filter(|a| a.status == AssignmentStatus::Done)
        {
            let e = d
                .evaluations
                .iter()
                .find(|e| Some(e.id) == a.evaluation_id)
                .unwrap();
            assert_eq!((e.call_id, e.reviewer_id), (a.call_id, a.reviewer_id));
        }
        for reviewer in ["reviewer1", "reviewer2", "reviewer3", "reviewer4"] {
            let id = d.users.iter().find(|u| u.username == reviewer).unwrap().id;
            let recorded = |a: &kappa_domain::plan::Assignment| {
                d.calls
                    .iter()
                    .any(|c| c.id == a.call_id && c.recording.is_some())
            };
            assert!(
                count(&|a| a.reviewer_id == id
                    && a.status == AssignmentStatus::Open
                    && recorded(a))
                    >= 2,
                "{reviewer} has recorded calls to listen to"
            );
        }
    }

    #[test]
    fn the_coaching_demo_has_every_state_and_one_success_and_one_non_result() {
        use kappa_domain::coaching::{ActionState, EffectQuery, SessionState};
        use kappa_domain::progress::Verdict;
        let d = generate(SEED);
        let c = &d.coaching;
        for state in SessionState::ALL {
            assert!(
                c.sessions.iter().any(|s| s.state == state),
                "a session {state:?}"
            );
        }
        for state in ActionState::ALL {
            assert!(
                c.actions.iter().any(|a| a.state == state),
                "an item {state:?}"
            );
        }
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert!(
            c.actions.iter().any(|a| a.overdue(today)),
            "an overdue item"
        );
        assert!(c.notes.iter().any(|n| n.private) && c.notes.iter().any(|n| !n.private));
        assert!(
            c.notes
                .iter()
                .any(|n| n.evaluation_id.is_some() && !n.moments.is_empty()),
            "a note on a moment of a call"
        );
        let mut store = kappa_domain::store::MemoryStore {
            users: d.users.clone(),
            teams: d.teams.clone(),
            calls: std::sync::Arc::new(d.calls.clone()),
            scorecards: d.scorecards.clone(),
            evaluations: d.evaluations.clone(),
            calibration: d.calibration.clone(),
            coaching: d.coaching.clone(),
            clock: kappa_domain::time::CentreClock::DEMO,
            ..Default::default()
        };
        store.reviews = d.reviews.clone();
        let verdict = |lead: &str, agent: &str| {
            let lead = d.users.iter().find(|u| u.username == lead).unwrap();
            let agent = d.users.iter().find(|u| u.username == agent).unwrap();
            let session = c
                .sessions
                .iter()
                .find(|s| s.agent_id == agent.id && s.state == SessionState::Closed)
                .unwrap();
            let report = kappa_domain::workflow::coaching_effect(
                &store,
                lead,
                session.id,
                EffectQuery { weeks: 4 },
                reviews::now(),
            )
            .unwrap();
            report.criteria[0].verdict
        };
        assert_eq!(verdict("lead1", "agent6"), Verdict::Improved);
        assert_eq!(verdict("lead2", "agent14"), Verdict::NoClearChange);
    }

    #[test]
    fn the_review_demo_has_every_state() {
        use kappa_domain::review::{DisputeStatus, ScoreEventKind};
        let d = generate(SEED);
        let r = &d.reviews;
        assert_eq!(
            r.history
                .iter()
                .filter(|(_, e)| e.kind == ScoreEventKind::Submitted)
                .count(),
            d.evaluations.len(),
            "every evaluation's history starts with its submission"
        );
        let kinds: Vec<ScoreEventKind> = r.history.iter().map(|(_, e)| e.kind).collect();
        assert!(
            kinds.contains(&ScoreEventKind::Amended)
                && kinds.contains(&ScoreEventKind::DisputeRuled)
        );
        let statuses: Vec<DisputeStatus> = r.disputes.iter().map(|x| x.status()).collect();
        for status in DisputeStatus::ALL {
            assert!(statuses.contains(&status), "a dispute {status:?}");
        }
        let now = reviews::now();
        let policy = kappa_domain::review::DisputePolicy::default();
        assert!(
            r.disputes
                .iter()
                .any(|x| x.ruling.is_none() && now > policy.ruling_due(x.raised_at)),
            "an overdue dispute"
        );
        assert!(
            r.drafts.len() >= 3 && r.drafts.iter().all(|x| !x.content.answers.is_empty()),
            "drafts in progress"
        );
        let unread = d.evaluations.iter().filter(|e| e.seen_at.is_none()).count();
        let acknowledged = d
            .evaluations
            .iter()
            .filter(|e| e.acknowledged_at.is_some())
            .count();
        assert!(
            unread >= 20 && acknowledged >= 300,
            "{unread} unread, {acknowledged} acknowledged"
        );
        assert!(
            d.evaluations.iter().all(|e| !e.feedback.is_empty()),
            "every evaluation has words for its agent"
        );
    }

    #[test]
    fn recorded_calls_have_audio_and_aligned_transcripts_in_both_languages() {
        let d = generate(SEED);
        let recorded: Vec<&Call> = d.calls.iter().filter(|c| c.recording.is_some()).collect();
        assert_eq!(
            recorded.len(),
            recordings::recordings().len(),
            "every recording found its call"
        );
        assert!(recorded.len() >= 6);
        assert!(recorded.iter().any(|c| c.language == Language::Zh));
        assert!(recorded.iter().any(|c| c.language == Language::En));
        for call in recorded {
            let lines = &d.transcripts[&call.id];
            assert!(
                lines.windows(2).all(|w| w[0].end_ms <= w[1].start_ms),
                "call {} lines overlap",
                call.id
            );
            assert!(lines.last().unwrap().end_ms <= call.duration_s * 1000 + 999);
            let path = format!(
                "{}/audio/{}",
                env!("CARGO_MANIFEST_DIR"),
                call.recording.as_ref().unwrap()
            );
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(&bytes[..4], b"OggS", "{path} is an Ogg file");
        }
    }
}
