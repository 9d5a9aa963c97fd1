//! Submitted evaluations of demo calls: enough history for reports and coaching to show, with
//! the patterns a real centre has: stronger agents score higher, complaint handling is N/A on
//! calls without a complaint, and now and then an agent skips identity checks (auto-fail).

use crate::normal;
use chrono::{Duration, NaiveDateTime};
use kappa_domain::evaluation::{grade, Evaluation};
use kappa_domain::scorecard::{Answer, AnswerType, Answers, Critical, ScorecardVersion, SectionKind};
use kappa_domain::scorecard_library::ScorecardLibrary;
use kappa_domain::{Call, Queue, Role, User};
use rand::Rng;

pub const COUNT: usize = 640;

/// Which published version a reviewer would have used for this call: the scorecard for its kind
/// of call, as published when the call was reviewed. `None` before any version existed.
fn version_for<'a>(library: &'a ScorecardLibrary, call: &Call, at: NaiveDateTime) -> Option<&'a ScorecardVersion> {
    let card = library.cards.get(if call.queue == Queue::Loyalty { 1 } else { 0 })?;
    let at = at.format("%Y-%m-%dT%H:%M:%S").to_string();
    let published = card.versions.iter().find(|v| v.published_at <= at)?;
    library.versions.iter().find(|v| v.id == published.id)
}

/// How well this call went for the agent, 0..1: their skill with a good or bad day on top.
fn quality(rng: &mut impl Rng, skill: f64) -> f64 {
    1.0 / (1.0 + (-(1.5 + 2.0 * skill + 0.8 * normal(rng))).exp())
}

pub(crate) fn answer_all(rng: &mut impl Rng, version: &ScorecardVersion, call: &Call, skill: f64) -> Answers {
    let q = quality(rng, skill);
    let mut answers = Answers::new();
    for section in &version.definition.sections {
        for c in &section.criteria {
            let good = (q + 0.12 * normal(rng)).clamp(0.0, 1.0);
            let answer = if c.allow_na && section.key == "complaints" && !call.complaint || c.allow_na && rng.gen_bool(0.08) {
                Answer::NotApplicable
            } else if let Some(critical) = c.critical {
                let miss = match critical {
                    Critical::FailAll => 0.012 + 0.03 * (-skill).max(0.0),
                    Critical::FailSection => 0.04 + 0.06 * (-skill).max(0.0),
                };
                if rng.gen_bool(miss) { c.answer_type.worst() } else { c.answer_type.best() }
            } else if section.kind == SectionKind::Bonus {
                if rng.gen_bool((0.2 + 0.3 * skill).clamp(0.02, 0.9)) { Answer::Yes } else { Answer::No }
            } else {
                match &c.answer_type {
                    AnswerType::YesNo { .. } => if rng.gen_bool(good) { Answer::Yes } else { Answer::No },
                    AnswerType::Scale { .. } => Answer::Scale((1.0 + 4.0 * good).round() as u8),
                    AnswerType::Points { max } => Answer::Points((f64::from(*max) * good).round() as u32),
                    AnswerType::Choice { options } => {
                        let mut ranked: Vec<_> = options.iter().collect();
                        ranked.sort_by_key(|o| std::cmp::Reverse(o.points));
                        let pick = if rng.gen_bool(good) { 0 } else if rng.gen_bool(0.7) { 1 } else { ranked.len() - 1 };
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
pub fn generate(rng: &mut impl Rng, calls: &[Call], users: &[User], skills: &[(u32, f64)], library: &ScorecardLibrary) -> Vec<Evaluation> {
    let reviewers: Vec<(u32, u32)> = users
        .iter()
        .filter_map(|u| match u.role {
            Role::Reviewer => Some((u.id, 5)),
            Role::Lead => Some((u.id, 1)),
            _ => None,
        })
        .collect();
    let latest = calls.iter().map(|c| c.started_at).max().unwrap_or_default();
    let mut picked: Vec<usize> = (0..calls.len()).filter(|&i| calls[i].recording.is_some()).collect();
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
        let skill = skills.iter().find(|(id, _)| *id == call.agent_id).map_or(0.0, |s| s.1);
        let answers = answer_all(rng, version, call, skill);
        let explanation = grade(version, &answers).expect("generated answers are complete and fit their version");
        let reviewer_id = crate::weighted(rng, &reviewers);
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
        });
    }
    evaluations.sort_by_key(|e| (e.submitted_at, e.call_id));
    for (i, e) in evaluations.iter_mut().enumerate() {
        e.id = i as u32 + 1;
    }
    evaluations
}
