//! What happened to the demo's reviews, through the very workflow the app uses: agents opened
//! and acknowledged their feedback (the newest still unread), disputed a few scores (open, one
//! overdue, accepted, partly accepted, rejected), a lead corrected one evaluation, and
//! reviewers left drafts half done in their queues.

use crate::sampling::at;
use chrono::{Duration, NaiveDateTime};
use kappa_domain::plan::{AssignmentFilter, AssignmentStatus};
use kappa_domain::review::{
    Amendment, CriterionNote, DisputePoint, DisputeRequest, DraftWrite, PointRuling, ReviewContent,
    RulingRequest, Verdict,
};
use kappa_domain::scorecard::{Answer, AnswerType};
use kappa_domain::store::{MemoryStore, Store};
use kappa_domain::{workflow, Language, Role, User};
use rand::Rng;
use std::collections::BTreeSet;

/// The demo centre's "now": every review step below happened before it.
pub fn now() -> NaiveDateTime {
    at(27, 9)
}

fn user(store: &MemoryStore, username: &str) -> User {
    crate::sampling::user(&store.users, username).clone()
}

fn person(store: &MemoryStore, id: u32) -> User {
    store
        .users
        .iter()
        .find(|u| u.id == id)
        .cloned()
        .expect("a demo account")
}

/// The first yes/no criterion answered "no", and its key: what an agent would dispute.
fn missed(store: &MemoryStore, evaluation: u32, skip: usize) -> Option<String> {
    let e = store.evaluation(evaluation).ok()??;
    let version = store.version(e.scorecard_version_id).ok()??;
    version
        .definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .filter(|c| {
            matches!(c.answer_type, AnswerType::YesNo { .. })
                && c.critical.is_none()
                && e.answers.get(&c.key) == Some(&Answer::No)
        })
        .map(|c| c.key.clone())
        .nth(skip)
}

fn said(zh: bool, en: &str, zh_text: &str) -> String {
    if zh { zh_text } else { en }.to_string()
}

pub fn generate(rng: &mut impl Rng, store: &mut MemoryStore) {
    // The generated evaluations were written directly: their history starts with the submission.
    let known: BTreeSet<u32> = store.reviews.history.iter().map(|(id, _)| *id).collect();
    let mut backfill: Vec<_> = store
        .evaluations
        .iter()
        .filter(|e| !known.contains(&e.id))
        .map(|e| (e.id, e.submission_event()))
        .collect();
    backfill.extend(std::mem::take(&mut store.reviews.history));
    backfill.sort_by_key(|(id, e)| (e.at, *id));
    store.reviews.history = backfill;

    disputes(store);
    let lead1 = user(store, "lead1");
    if let Some(e) = store
        .evaluations
        .iter()
        .rev()
        .find(|e| e.reviewer_id != lead1.id && !e.passed && e.submitted_at < at(24, 0))
        .cloned()
    {
        if let Some(key) = missed(store, e.id, 0) {
            let mut content = e.content();
            content.answers.insert(key, Answer::Yes);
            let reason = "Calibration on 25 Nov: the hold script was followed · 11月25日校准：已按保留话术执行".into();
            workflow::amend_evaluation(
                store,
                &lead1,
                e.id,
                Amendment { content, reason },
                at(25, 16),
            )
            .expect("the amendment is complete");
        }
    }
    feedback_read(rng, store);
    drafts(store);
}

/// Agents open their feedback a few hours to a day after it arrives and most acknowledge it;
/// what arrived in the last day is still unread.
fn feedback_read(rng: &mut impl Rng, store: &mut MemoryStore) {
    let list: Vec<(u32, u32, NaiveDateTime)> = store
        .evaluations
        .iter()
        .map(|e| (e.id, e.agent_id, e.submitted_at))
        .collect();
    for (id, agent, submitted) in list {
        let agent = person(store, agent);
        if agent.role != Role::Agent || submitted > now() - Duration::hours(20) {
            continue;
        }
        let opened = submitted + Duration::minutes(rng.gen_range(60..26 * 60));
        if opened >= now() || rng.gen_bool(0.12) {
            continue;
        }
        workflow::mark_seen(store, &agent, id, opened).expect("the agent's own evaluation");
        let acknowledged = opened + Duration::minutes(rng.gen_range(1..90));
        if acknowledged < now() && rng.gen_bool(0.75) {
            workflow::acknowledge(store, &agent, id, acknowledged)
                .expect("the agent's own evaluation");
        }
    }
}

/// Failed evaluations of recent days, one per agent, each disputed a day after it arrived.
fn disputes(store: &mut MemoryStore) {
    let mut agents = BTreeSet::new();
    let mut picked = Vec::new();
    let mut recent: Vec<_> = store
        .evaluations
        .iter()
        .filter(|e| e.submitted_at >= at(19, 0) && e.submitted_at < at(26, 0) && !e.passed)
        .cloned()
        .collect();
    recent.sort_by_key(|e| (e.submitted_at, e.id));
    for e in recent {
        if picked.len() == 6 || agents.contains(&e.agent_id) || missed(store, e.id, 0).is_none() {
            continue;
        }
        let reviewer = person(store, e.reviewer_id);
        if reviewer.role == Role::Lead {
            continue;
        }
        agents.insert(e.agent_id);
        picked.push(e);
    }
    let (lead1, lead2) = (user(store, "lead1"), user(store, "lead2"));
    // (accepted, partly, rejected, rejected whole, open overdue, open)
    for (i, e) in picked.into_iter().enumerate() {
        let agent = person(store, e.agent_id);
        let zh = store
            .call(e.call_id)
            .ok()
            .flatten()
            .is_some_and(|c| c.language == Language::Zh);
        let first = missed(store, e.id, 0).expect("picked for a missed criterion");
        let second = missed(store, e.id, 1);
        let mut points = vec![DisputePoint {
            criterion: Some(first),
            comment: said(
                zh,
                "I did this at the start of the call; please listen from 0:20.",
                "我在通话开始时已经做了，请从 0:20 开始听。",
            ),
            proposed: Some(Answer::Yes),
        }];
        if i == 1 {
            if let Some(second) = second {
                points.push(DisputePoint {
                    criterion: Some(second),
                    comment: said(
                        zh,
                        "The customer interrupted me before I could finish.",
                        "客户在我说完之前打断了我。",
                    ),
                    proposed: Some(Answer::Yes),
                });
            }
        }
        if i == 3 {
            points = vec![DisputePoint {
                criterion: None,
                comment: said(
                    zh,
                    "This call was transferred to me mid-way; most of it is not mine.",
                    "这通电话是中途转给我的，大部分内容不是我处理的。",
                ),
                proposed: None,
            }];
        }
        let raised = if i == 4 {
            at(23, 11)
        } else {
            (e.submitted_at + Duration::hours(26)).min(now() - Duration::hours(2))
        };
        workflow::raise_dispute(
            store,
            &agent,
            e.id,
            DisputeRequest {
                points: points.clone(),
            },
            raised,
        )
        .expect("a dispute in its window");
        let dispute = store
            .reviews
            .disputes
            .last()
            .map(|d| d.id)
            .expect("just raised");
        let arbiter = if e.reviewer_id == lead1.id {
            &lead2
        } else {
            &lead1
        };
        let reason = |verdict| match verdict {
            Verdict::Accepted => said(zh, "Confirmed in the recording.", "录音中已确认。"),
            Verdict::PartlyAccepted => said(
                zh,
                "Partly done: credit given in part.",
                "部分完成：给予部分分数。",
            ),
            Verdict::Rejected => said(
                zh,
                "Not heard in the recording; the score stands.",
                "录音中未听到；维持原评分。",
            ),
        };
        let verdicts: Vec<Verdict> = match i {
            0 => vec![Verdict::Accepted],
            1 => points
                .iter()
                .enumerate()
                .map(|(n, _)| {
                    if n == 0 {
                        Verdict::Accepted
                    } else {
                        Verdict::Rejected
                    }
                })
                .collect(),
            2 | 3 => vec![Verdict::Rejected],
            _ => continue,
        };
        let ruling = RulingRequest {
            points: verdicts
                .into_iter()
                .map(|verdict| PointRuling {
                    verdict,
                    reason: reason(verdict),
                    answer: None,
                })
                .collect(),
        };
        let ruled = (raised + Duration::hours(20)).min(now() - Duration::hours(1));
        workflow::rule_dispute(store, arbiter, dispute, ruling, ruled).expect("a complete ruling");
    }
}

/// Reviewers part-way through the last call of their queue: some answers, a note with evidence.
fn drafts(store: &mut MemoryStore) {
    for username in ["reviewer1", "reviewer3", "reviewer4"] {
        let reviewer = user(store, username);
        let filter = AssignmentFilter {
            reviewer: Some(reviewer.id),
            status: Some(AssignmentStatus::Open),
            ..AssignmentFilter::default()
        };
        let (open, total) = store
            .assignments(&filter, 0, u32::MAX)
            .expect("memory store");
        let Some(last) = open.into_iter().last().filter(|_| total > 1) else {
            continue;
        };
        let start = workflow::review_start(store, &reviewer, last.call_id, None, None)
            .expect("the assignment's version");
        let call = store
            .call(last.call_id)
            .ok()
            .flatten()
            .expect("assigned call");
        let mut content = ReviewContent::default();
        let criteria: Vec<_> = start
            .version
            .definition
            .sections
            .iter()
            .flat_map(|s| &s.criteria)
            .take(3)
            .collect();
        for c in &criteria {
            let answer = match &c.answer_type {
                AnswerType::YesNo { .. } => Answer::Yes,
                AnswerType::Scale { .. } => Answer::Scale(4),
                AnswerType::Points { max } => Answer::Points(*max),
                AnswerType::Choice { options } => Answer::Choice(options[0].key.clone()),
            };
            content.answers.insert(c.key.clone(), answer);
        }
        if let Some(c) = criteria.first() {
            let zh = call.language == Language::Zh;
            let evidence = vec![(call.duration_s / 10) * 1000, (call.duration_s / 3) * 1000];
            content.notes.insert(
                c.key.clone(),
                CriterionNote {
                    comment: said(
                        zh,
                        "Greeting and name given clearly.",
                        "问候语和姓名表达清楚。",
                    ),
                    evidence,
                },
            );
        }
        let write = DraftWrite {
            scorecard_version_id: start.version.id,
            content,
            base_revision: 0,
        };
        workflow::save_review_draft(
            store,
            &reviewer,
            last.call_id,
            None,
            write,
            now() - Duration::minutes(40),
        )
        .expect("a valid draft");
    }
}
