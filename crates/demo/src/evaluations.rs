//! Submitted evaluations of demo calls: enough history for reports and coaching to show, with
//! the patterns a real centre has: stronger agents score higher, complaint handling is N/A on
//! calls without a complaint, and now and then an agent skips identity checks (auto-fail).

use crate::normal;
use crate::vocabulary::Queue;
use chrono::{Duration, NaiveDateTime};
use kappa_domain::evaluation::{grade, Evaluation};
use kappa_domain::scorecard::{
    Answer, AnswerType, Answers, Critical, ScorecardVersion, SectionKind,
};
use kappa_domain::scorecard_library::ScorecardLibrary;
use kappa_domain::{Call, Role, User};
use rand::Rng;

pub const COUNT: usize = 640;

/// Which published version a reviewer would have used for this call: the scorecard for its kind
/// of call, as published when the call was reviewed. `None` before any version existed.
fn version_for<'a>(
    library: &'a ScorecardLibrary,
    call: &Call,
    at: NaiveDateTime,
) -> Option<&'a ScorecardVersion> {
    let card = library.cards.get(if call.queue == Queue::Loyalty.code() {
        1
    } else {
        0
    })?;
    let at = at.format("%Y-%m-%dT%H:%M:%S").to_string();
    let published = card.versions.iter().find(|v| v.published_at <= at)?;
    library.versions.iter().find(|v| v.id == published.id)
}

/// How well this call went for the agent, 0..1: their skill with a good or bad day on top.
fn quality(rng: &mut impl Rng, skill: f64) -> f64 {
    1.0 / (1.0 + (-(1.5 + 2.0 * skill + 0.8 * normal(rng))).exp())
}

pub(crate) fn answer_all(
    rng: &mut impl Rng,
    version: &ScorecardVersion,
    call: &Call,
    skill: f64,
) -> Answers {
    let q = quality(rng, skill);
    let mut answers = Answers::new();
    for section in &version.definition.sections {
        for c in &section.criteria {
            let good = (q + 0.12 * normal(rng)).clamp(0.0, 1.0);
            let answer = if c.allow_na && section.key == "complaints" && !call.complaint
                || c.allow_na && rng.gen_bool(0.08)
            {
                Answer::NotApplicable
            } else if let Some(critical) = c.critical {
                let miss = match critical {
                    Critical::FailAll => 0.012 + 0.03 * (-skill).max(0.0),
                    Critical::FailSection => 0.04 + 0.06 * (-skill).max(0.0),
                };
                if rng.gen_bool(miss) {
                    c.answer_type.worst()
                } else {
                    c.answer_type.best()
                }
            } else if section.kind == SectionKind::Bonus {
                if rng.gen_bool((0.2 + 0.3 * skill).clamp(0.02, 0.9)) {
                    Answer::Yes
                } else {
                    Answer::No
                }
            } else {
                match &c.answer_type {
                    AnswerType::YesNo { .. } => {
                        if rng.gen_bool(good) {
                            Answer::Yes
                        } else {
                            Answer::No
                        }
                    }
                    AnswerType::Scale { .. } => Answer::Scale((1.0 + 4.0 * good).round() as u8),
                    AnswerType::Points { max } => {
                        Answer::Points((f64::from(*max) * good).round() as u32)
                    }
                    AnswerType::Choice { options } => {
                        let mut ranked: Vec<_> = options.iter().collect();
                        ranked.sort_by_key(|o| std::cmp::Reverse(o.points));
                        let pick = if rng.gen_bool(good) {
                            0
                        } else if rng.gen_bool(0.7) {
                            1
                        } else {
                            ranked.len() - 1
                        };
                        Answer::Choice(ranked[pick.min(ranked.len() - 1)].key.clone())
                    }
                }
            };
            answers.insert(c.key.clone(), answer);
        }
    }
    answers
}

/// Every recorded call is evaluated (so the demo shows audio beside a score), then calls drawn
/// at random until there are [`COUNT`]. Reviewers do most of the work, leads some.
pub fn generate(
    rng: &mut impl Rng,
    calls: &[Call],
    users: &[User],
    skills: &[(u32, f64)],
    library: &ScorecardLibrary,
) -> Vec<Evaluation> {
    let reviewers: Vec<(u32, u32)> = users
        .iter()
        .filter_map(|u| match u.role {
            Role::Reviewer => Some((u.id, 5)),
            Role::Lead => Some((u.id, 1)),
            _ => None,
        })
        .collect();
    let latest = calls.iter().map(|c| c.started_at).max().unwrap_or_default();
    let mut picked: Vec<usize> = (0..calls.len())
        .filter(|&i| calls[i].recording.is_some())
        .collect();
    while picked.len() < COUNT.min(calls.len()) {
        let i = rng.gen_range(0..calls.len());
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    let mut evaluations = Vec::with_capacity(picked.len());
    for i in picked {
        let call = &calls[i];
        let delay = Duration::minutes(rng.gen_range(90..4 * 24 * 60));
        let submitted_at = (call.started_at + delay).min(latest + Duration::hours(20));
        let Some(version) = version_for(library, call, submitted_at) else {
            continue;
        };
        let skill = skills
            .iter()
            .find(|(id, _)| *id == call.agent_id)
            .map_or(0.0, |s| s.1);
        let answers = answer_all(rng, version, call, skill);
        let explanation =
            grade(version, &answers).expect("generated answers are complete and fit their version");
        let reviewer_id = crate::weighted(rng, &reviewers);
        let feedback = feedback_for(
            call.id,
            explanation.passed,
            call.language == kappa_domain::Language::Zh,
        );
        evaluations.push(Evaluation {
            id: 0,
            call_id: call.id,
            scorecard_version_id: version.id,
            reviewer_id,
            agent_id: call.agent_id,
            submitted_at,
            answers,
            score: explanation.score,
            passed: explanation.passed,
            notes: Default::default(),
            feedback,
            seen_at: None,
            acknowledged_at: None,
            draft_revision: 0,
            // Listening through the call and a little more; derived from the call, not drawn,
            // so the rest of the demo's random stream stays as it was.
            started_at: Some(
                submitted_at
                    - Duration::seconds(
                        i64::from(call.duration_s) * 3 / 2 + 180 + i64::from(call.id % 11) * 37,
                    ),
            ),
        });
    }
    evaluations.sort_by_key(|e| (e.submitted_at, e.call_id));
    for (i, e) in evaluations.iter_mut().enumerate() {
        e.id = i as u32 + 1;
    }
    evaluations
}

/// What a reviewer writes to the agent, in the call's language; chosen by the call, so the demo's
/// random draws stay as they were.
pub(crate) fn feedback_for(call: u32, passed: bool, zh: bool) -> String {
    const PASSED: [(&str, &str); 4] = [
        ("Clear greeting and a confident close. Keep summarising the next steps like this.", "开场清晰，结束有力。继续保持这样总结后续步骤。"),
        ("Good verification and a calm tone throughout. Offer the callback number a little earlier.", "核实身份到位，语气始终平稳。回拨号码可以更早告知客户。"),
        ("The customer felt heard. Watch the hold time: tell them before you put them on hold.", "客户感受到被重视。注意保留时间：让客户等待前先告知。"),
        ("Accurate answer first time. A short recap at the end would make it perfect.", "一次就给出准确答复。结尾再简短回顾一下就更完美了。"),
    ];
    const FAILED: [(&str, &str); 4] = [
        ("Identity was not verified before account details were discussed. Please review the verification steps.", "在讨论账户信息前未核实身份。请复习身份核实流程。"),
        ("The customer asked twice about the refund date without a clear answer. Check the policy before promising.", "客户两次询问退款日期都没有得到明确答复。承诺前请先查阅政策。"),
        ("Long silences while searching: narrate what you are doing so the customer is not left waiting.", "查询时长时间沉默：请告诉客户你正在做什么，避免让客户干等。"),
        ("The complaint was not acknowledged or logged. Apologise first, then log it before solving.", "投诉没有被确认或记录。先致歉，再记录，然后解决。"),
    ];
    let pick = call as usize % PASSED.len();
    let (en, zh_text) = if passed { PASSED[pick] } else { FAILED[pick] };
    if zh { zh_text } else { en }.to_string()
}
