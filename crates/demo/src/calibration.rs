//! The demo centre's calibration history, through the very workflow the app uses: four past
//! sessions on the service scorecard (three agreed with a consensus, one revealed and waiting for
//! it), one overdue, and one blind session open now and waiting for reviewer1. Reviewers drift
//! less from the expert session after session, so the alignment trends go somewhere.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use kappa_domain::calibration::{
    ConsensusRequest, NewSession, ScoreSubmission, Visibility, DEFAULT_THRESHOLD,
};
use kappa_domain::review::CriterionNote;
use kappa_domain::scorecard::{Answer, AnswerType, Answers, Criterion, ScorecardDefinition};
use kappa_domain::store::{MemoryStore, Store};
use kappa_domain::{workflow, CallId, LocalizedText, User};
use rand::Rng;

fn day(month: u32, d: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, month, d)
        .and_then(|d| d.and_hms_opt(hour, 0, 0))
        .expect("a demo date")
}

fn user(store: &MemoryStore, username: &str) -> User {
    crate::sampling::user(&store.users, username).clone()
}

/// What an attentive expert would answer: most agents greet and verify, fewer go the extra mile.
fn true_answer(rng: &mut impl Rng, c: &Criterion) -> Answer {
    match &c.answer_type {
        AnswerType::YesNo { .. } if c.critical.is_some() => Answer::Yes,
        AnswerType::YesNo { .. } => {
            if rng.gen_bool(0.7) {
                Answer::Yes
            } else {
                Answer::No
            }
        }
        AnswerType::Scale { .. } => Answer::Scale(rng.gen_range(2..=5)),
        AnswerType::Points { max } => Answer::Points(rng.gen_range(max / 2..=*max)),
        AnswerType::Choice { options } => {
            Answer::Choice(options[rng.gen_range(0..options.len())].key.clone())
        }
    }
}

/// A scorer's reading of the call: the expert's, except where they slip (`slip` of the time).
fn scorer_answer(rng: &mut impl Rng, c: &Criterion, truth: &Answer, slip: f64) -> Answer {
    // Critical items are rarely missed: a slip there fails the whole call.
    let slip = if c.critical.is_some() {
        slip / 6.0
    } else {
        slip
    };
    if !rng.gen_bool(slip.clamp(0.0, 1.0)) {
        return truth.clone();
    }
    match (&c.answer_type, truth) {
        (AnswerType::YesNo { .. }, Answer::Yes) => Answer::No,
        (AnswerType::YesNo { .. }, _) => Answer::Yes,
        (AnswerType::Scale { .. }, Answer::Scale(level)) => {
            Answer::Scale(if *level >= 4 || (*level > 1 && rng.gen_bool(0.5)) {
                level - 1
            } else {
                level + 1
            })
        }
        (AnswerType::Points { max }, Answer::Points(p)) => Answer::Points(if *p > max / 2 {
            p - 1 - rng.gen_range(0..=max / 4)
        } else {
            (p + 1).min(*max)
        }),
        (AnswerType::Choice { options }, Answer::Choice(key)) => {
            let others: Vec<&str> = options
                .iter()
                .map(|o| o.key.as_str())
                .filter(|k| k != key)
                .collect();
            Answer::Choice(others[rng.gen_range(0..others.len())].to_string())
        }
        _ => truth.clone(),
    }
}

fn criteria(definition: &ScorecardDefinition) -> Vec<&Criterion> {
    definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .collect()
}

struct Plan {
    title: LocalizedText,
    created: NaiveDateTime,
    deadline: NaiveDateTime,
    calls: Vec<CallId>,
    participants: Vec<&'static str>,
    calibrator: Option<&'static str>,
    visibility: Visibility,
    /// Who scores which calls, and when (hours after creation); the rest have not scored.
    scored: Vec<(&'static str, usize, i64)>,
    revealed: Option<NaiveDateTime>,
    agreed: Option<(NaiveDateTime, &'static str)>,
}

/// Each reviewer's chance to slip on a criterion in the first session; it shrinks as they calibrate.
fn base_slip(username: &str) -> f64 {
    match username {
        "reviewer1" => 0.22,
        "reviewer2" => 0.30,
        "reviewer3" => 0.16,
        "reviewer4" => 0.26,
        _ => 0.04,
    }
}

pub fn generate(rng: &mut impl Rng, store: &mut MemoryStore) {
    let service = store
        .scorecard(1)
        .ok()
        .flatten()
        .expect("the service scorecard");
    let version = store
        .version(service.versions.first().expect("published").id)
        .ok()
        .flatten()
        .expect("its latest version");
    let definition = version.definition.clone();
    let lead1 = user(store, "lead1");
    // Calls the centre took the week before a session; the open ones use recorded calls.
    let week_before = |store: &MemoryStore, at: NaiveDateTime, n: usize| -> Vec<CallId> {
        store
            .calls
            .iter()
            .filter(|c| {
                c.started_at < at && c.started_at > at - Duration::days(7) && c.duration_s >= 120
            })
            .step_by(37)
            .take(n)
            .map(|c| c.id)
            .collect()
    };
    let recorded: Vec<CallId> = store
        .calls
        .iter()
        .filter(|c| c.recording.is_some())
        .map(|c| c.id)
        .collect();
    let everyone = |n: usize| -> Vec<(&'static str, usize, i64)> {
        ["reviewer1", "reviewer2", "reviewer3", "reviewer4", "lead2"]
            .iter()
            .flat_map(|&u| (0..n).map(move |c| (u, c, 20 + 6 * c as i64)))
            .collect()
    };
    let plans = vec![
        Plan {
            title: crate::localized("October calibration: bookings", "十月校准：预订"),
            created: day(10, 21, 9),
            deadline: day(10, 24, 18),
            calls: week_before(store, day(10, 21, 9), 3),
            participants: vec!["reviewer1", "reviewer2", "reviewer3", "reviewer4"],
            calibrator: Some("lead2"),
            visibility: Visibility::Blind,
            scored: everyone(3),
            revealed: Some(day(10, 25, 10)),
            agreed: Some((day(10, 25, 15), "Empathy needs an acknowledgement in the customer's words, not a stock phrase. · 共情须复述客户原话，而非套话。")),
        },
        Plan {
            title: crate::localized("Refund calls: resolution and escalation", "退款来电：解决与升级"),
            created: day(11, 4, 9),
            deadline: day(11, 7, 18),
            calls: week_before(store, day(11, 4, 9), 3),
            participants: vec!["reviewer1", "reviewer2", "reviewer3", "reviewer4"],
            calibrator: Some("lead2"),
            visibility: Visibility::AfterSubmit,
            // reviewer4 scored the last call a day late.
            scored: everyone(3).into_iter().map(|(u, c, h)| if (u, c) == ("reviewer4", 2) { (u, c, 105) } else { (u, c, h) }).collect(),
            revealed: Some(day(11, 8, 10)),
            agreed: Some((day(11, 8, 16), "\"Partly resolved\" needs a dated follow-up the customer agreed to. · “部分解决”须有客户认可的跟进时间。")),
        },
        Plan {
            title: crate::localized("Peer session without an expert", "无专家的同侪校准"),
            created: day(11, 11, 9),
            deadline: day(11, 13, 18),
            calls: week_before(store, day(11, 11, 9), 3),
            participants: vec!["reviewer1", "reviewer2", "reviewer3"],
            calibrator: None,
            visibility: Visibility::Blind,
            scored: ["reviewer1", "reviewer2", "reviewer3"].iter().flat_map(|&u| (0..3).map(move |c| (u, c, 24 + 4 * c as i64))).collect(),
            revealed: Some(day(11, 14, 10)),
            agreed: Some((day(11, 14, 15), "Active listening 4 means no repeated questions. · 积极倾听 4 分意味着没有重复提问。")),
        },
        Plan {
            title: crate::localized("November calibration: complaints", "十一月校准：投诉"),
            created: day(11, 18, 9),
            deadline: day(11, 21, 18),
            calls: week_before(store, day(11, 18, 9), 3),
            participants: vec!["reviewer1", "reviewer2", "reviewer3", "reviewer4"],
            calibrator: Some("lead2"),
            visibility: Visibility::Blind,
            scored: everyone(3),
            revealed: Some(day(11, 24, 10)),
            agreed: None,
        },
        Plan {
            title: crate::localized("Loyalty outreach spot check", "会员回访抽查"),
            created: day(11, 20, 9),
            deadline: day(11, 25, 18),
            calls: recorded[recorded.len().saturating_sub(2)..].to_vec(),
            participants: vec!["reviewer3", "reviewer4"],
            calibrator: Some("lead2"),
            visibility: Visibility::AfterSubmit,
            scored: vec![("reviewer3", 0, 30), ("lead2", 0, 26), ("lead2", 1, 27)],
            revealed: None,
            agreed: None,
        },
        Plan {
            title: crate::localized("Weekly calibration: recorded calls", "每周校准：录音来电"),
            created: day(11, 26, 9),
            deadline: day(12, 4, 18),
            calls: recorded[..3.min(recorded.len())].to_vec(),
            participants: vec!["reviewer1", "reviewer2", "reviewer3"],
            calibrator: Some("lead2"),
            visibility: Visibility::Blind,
            // reviewer1 has not started; the others are part way.
            scored: vec![("reviewer2", 0, 4), ("reviewer2", 1, 5), ("reviewer3", 0, 6), ("lead2", 0, 2), ("lead2", 1, 3), ("lead2", 2, 3)],
            revealed: None,
            agreed: None,
        },
    ];
    let list = criteria(&definition);
    for (index, plan) in plans.into_iter().enumerate() {
        let new = NewSession {
            title: plan.title.clone(),
            scorecard_version_id: version.id,
            call_ids: plan.calls.clone(),
            participants: plan
                .participants
                .iter()
                .map(|u| user(store, u).id)
                .collect(),
            calibrator: plan.calibrator.map(|u| user(store, u).id),
            deadline: plan.deadline,
            visibility: plan.visibility,
            threshold: DEFAULT_THRESHOLD,
        };
        let id = workflow::create_calibration(store, &lead1, new, plan.created)
            .expect("the demo session is valid")
            .id;
        let truths: Vec<Answers> = plan
            .calls
            .iter()
            .map(|_| {
                list.iter()
                    .map(|c| (c.key.clone(), true_answer(rng, c)))
                    .collect()
            })
            .collect();
        let mut scored = plan.scored.clone();
        scored.sort_by_key(|s| s.2);
        for (username, call, hours) in scored {
            // Each session they drift less: a fifth less each time.
            let slip = base_slip(username) * 0.8f64.powi(index as i32);
            let answers: Answers = list
                .iter()
                .map(|c| {
                    (
                        c.key.clone(),
                        scorer_answer(rng, c, &truths[call][&c.key], slip),
                    )
                })
                .collect();
            let notes = if username == "reviewer2" && call == 0 {
                [(
                    "active_listening".to_string(),
                    CriterionNote {
                        comment: "Interrupted the customer twice. · 两次打断客户。".into(),
                        evidence: Vec::new(),
                    },
                )]
                .into()
            } else {
                Default::default()
            };
            let scorer = user(store, username);
            let submission = ScoreSubmission {
                call_id: plan.calls[call],
                answers,
                notes,
            };
            workflow::submit_calibration_score(
                store,
                &scorer,
                id,
                submission,
                plan.created + Duration::hours(hours),
            )
            .expect("a complete demo score");
        }
        if let Some(at) = plan.revealed {
            workflow::reveal_calibration(store, &lead1, id, at, None).expect("two or more scored");
        }
        if let Some((at, notes)) = plan.agreed {
            let answers = plan.calls.iter().copied().zip(truths).collect();
            workflow::record_consensus(
                store,
                &lead1,
                id,
                ConsensusRequest {
                    answers,
                    notes: notes.into(),
                },
                at,
                None,
            )
            .expect("complete agreed answers");
        }
    }
}
