//! The demo centre's coaching, through the very workflow the app uses: sessions in every state
//! (drafts, scheduled, held and waiting for the agent, some long overdue, acknowledged, closed),
//! notes of every kind (private ones among them), action items open, overdue, done and dropped.
//!
//! Two agents were coached at the end of October and followed up with a sample of their calls
//! since, so "did coaching work?" has something to show: 杨磊 (agent6) on stating next steps,
//! which he then missed far less than similar agents who were not coached, and 马超 (agent14)
//! on empathy, where nothing changed beyond what the others did.

use crate::evaluations::answer_all;
use crate::sampling::{at, user};
use crate::vocabulary::Queue;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use kappa_domain::coaching::{
    Acknowledgement, ActionChange, ActionOwner, ActionState, CriterionRef, Moment, NewActionItem,
    NewNote, NewSession, NoteKind, SessionMove, SessionState,
};
use kappa_domain::evaluation::{grade, Evaluation};
use kappa_domain::scorecard::Answer;
use kappa_domain::store::{MemoryStore, Store};
use kappa_domain::{workflow, Role, User};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Its own stream, so that the rest of the demo draws what it drew before coaching existed.
const SEED: u64 = 20261203;

fn october(d: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 10, d)
        .and_then(|d| d.and_hms_opt(hour, 0, 0))
        .expect("a demo date")
}

fn person(store: &MemoryStore, username: &str) -> User {
    user(&store.users, username).clone()
}

fn service(key: &str) -> CriterionRef {
    CriterionRef {
        scorecard_id: 1,
        key: key.into(),
    }
}

/// The coached sessions' follow-up sample: about nine in ten of the agent's service calls in
/// the four weeks before the session and since, scored by reviewers, `criterion` failing as
/// often as `before` and `after` say.
fn follow_up_sample(
    rng: &mut impl Rng,
    store: &mut MemoryStore,
    agent: &User,
    criterion: &str,
    held: NaiveDateTime,
    (before, after): (f64, f64),
) {
    let reviewers: Vec<u32> = ["reviewer3", "reviewer4"]
        .iter()
        .map(|r| person(store, r).id)
        .collect();
    let evaluated: std::collections::HashSet<u32> =
        store.evaluations.iter().map(|e| e.call_id).collect();
    let window = (held - Duration::weeks(4), held + Duration::weeks(4));
    let calls: Vec<_> = store
        .calls
        .iter()
        .filter(|c| {
            c.agent_id == agent.id
                && c.queue != Queue::Loyalty.code()
                && c.started_at >= window.0
                && c.started_at < window.1
                && !evaluated.contains(&c.id)
        })
        .cloned()
        .collect();
    let skill = -0.3;
    for call in calls {
        if !rng.gen_bool(0.9) {
            continue;
        }
        let submitted_at = (call.started_at + Duration::hours(rng.gen_range(20..60)))
            .min(crate::reviews::now() - Duration::hours(1));
        let card = store.scorecards.cards[0].clone();
        let published = card
            .versions
            .iter()
            .find(|v| {
                kappa_domain::time::parse_stamp(&v.published_at).is_some_and(|p| p <= submitted_at)
            })
            .expect("the service card was published before October");
        let version = store
            .scorecards
            .version(published.id)
            .expect("a published version");
        let mut answers = answer_all(rng, &version, &call, skill);
        let fails = if call.started_at < held {
            before
        } else {
            after
        };
        answers.insert(
            criterion.into(),
            if rng.gen_bool(fails) {
                Answer::No
            } else {
                Answer::Yes
            },
        );
        let explanation = grade(&version, &answers).expect("complete answers");
        let id = store.evaluations.iter().map(|e| e.id).max().unwrap_or(0) + 1;
        let evaluation = Evaluation {
            id,
            call_id: call.id,
            scorecard_version_id: version.id,
            reviewer_id: reviewers[rng.gen_range(0..reviewers.len())],
            agent_id: agent.id,
            submitted_at,
            answers,
            score: explanation.score,
            passed: explanation.passed,
            notes: Default::default(),
            feedback: crate::evaluations::feedback_for(call.id, explanation.passed, true),
            seen_at: None,
            acknowledged_at: None,
            draft_revision: 0,
            started_at: Some(submitted_at - Duration::seconds(i64::from(call.duration_s) * 2)),
        };
        store
            .reviews
            .history
            .push((id, evaluation.submission_event()));
        store.evaluations.push(evaluation);
        // The agent read it the next morning.
        if submitted_at + Duration::hours(16) < crate::reviews::now() {
            workflow::acknowledge(store, agent, id, submitted_at + Duration::hours(16))
                .expect("the agent's own evaluation");
        }
    }
}

fn key(n: &mut u32) -> String {
    *n += 1;
    format!("demo-{n}")
}

// Each demo record spelled out, as the demo's records differ.
#[allow(clippy::too_many_arguments)]
fn session(
    store: &mut MemoryStore,
    coach: &User,
    agent: &User,
    focus: &[&str],
    scheduled_for: Option<NaiveDateTime>,
    summary: &str,
    made: NaiveDateTime,
    n: &mut u32,
) -> u32 {
    let evaluation_ids: Vec<u32> = {
        let mut failed: Vec<&Evaluation> = store
            .evaluations
            .iter()
            .filter(|e| e.agent_id == agent.id && !e.passed && e.submitted_at < made)
            .collect();
        failed.sort_by_key(|e| std::cmp::Reverse(e.submitted_at));
        failed.iter().take(2).map(|e| e.id).collect()
    };
    workflow::create_session(
        store,
        coach,
        NewSession {
            agent_id: agent.id,
            focus: focus.iter().map(|k| service(k)).collect(),
            evaluation_ids,
            scheduled_for,
            summary: summary.into(),
            period_days: 30,
            client_key: key(n),
        },
        made,
    )
    .expect("a demo session")
    .session
    .id
}

fn step(store: &mut MemoryStore, coach: &User, id: u32, to: SessionState, at: NaiveDateTime) {
    let revision = store
        .coaching_session(id)
        .ok()
        .flatten()
        .expect("a demo session")
        .revision;
    workflow::move_session(store, coach, id, SessionMove { revision, to }, at)
        .expect("a demo session step");
}

#[allow(clippy::too_many_arguments)]
fn note(
    store: &mut MemoryStore,
    author: &User,
    agent: &User,
    session: Option<u32>,
    kind: NoteKind,
    body: &str,
    private: bool,
    at: NaiveDateTime,
    n: &mut u32,
) -> u32 {
    workflow::write_note(
        store,
        author,
        NewNote {
            agent_id: agent.id,
            session_id: session,
            evaluation_id: None,
            criteria: Vec::new(),
            moments: Vec::new(),
            kind,
            body: body.into(),
            private,
            client_key: key(n),
        },
        at,
    )
    .expect("a demo note")
    .note
    .id
}

#[allow(clippy::too_many_arguments)]
fn action(
    store: &mut MemoryStore,
    coach: &User,
    agent: &User,
    session: Option<u32>,
    owner: ActionOwner,
    text: &str,
    due: NaiveDate,
    at: NaiveDateTime,
    n: &mut u32,
) -> u32 {
    workflow::create_action(
        store,
        coach,
        NewActionItem {
            agent_id: agent.id,
            session_id: session,
            owner,
            text: text.into(),
            due,
            client_key: key(n),
        },
        at,
    )
    .expect("a demo action item")
    .id
}

fn ack(store: &mut MemoryStore, agent: &User, id: u32, comment: &str, at: NaiveDateTime) {
    workflow::acknowledge_session(
        store,
        agent,
        id,
        Acknowledgement {
            comment: comment.into(),
        },
        at,
    )
    .expect("a held demo session");
}

fn settle(
    store: &mut MemoryStore,
    by: &User,
    id: u32,
    state: ActionState,
    reason: &str,
    at: NaiveDateTime,
) {
    workflow::settle_action(
        store,
        by,
        id,
        ActionChange {
            state,
            reason: reason.into(),
        },
        at,
    )
    .expect("a demo action item");
}

fn nov(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("a demo date")
}

pub fn generate(store: &mut MemoryStore) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let n = &mut 0;
    let (lead1, lead2, reviewer1) = (
        person(store, "lead1"),
        person(store, "lead2"),
        person(store, "reviewer1"),
    );
    let agent = |store: &MemoryStore, i: u32| person(store, &format!("agent{i}"));

    // Coaching that worked: agent6 and next steps, held on 28 October.
    let held = october(28, 7);
    let a6 = agent(store, 6);
    follow_up_sample(&mut rng, store, &a6, "next_steps", held, (0.5, 0.03));
    let s = session(store, &lead1, &a6, &["next_steps", "recap"], Some(october(28, 6)),
        "We agreed to close every call by saying what happens next and when. 约定：每通电话结束前说明下一步和时间。",
        october(26, 9), n);
    note(store, &lead1, &a6, Some(s), NoteKind::Improvement,
        "Three of the last five calls ended without a next step. 最近五通电话有三通没有说明下一步。", false, october(28, 6), n);
    note(store, &lead1, &a6, Some(s), NoteKind::FollowUp,
        "Keen, but rushes when the queue is long: check again in two weeks. 态度积极，但排队多时容易赶。两周后复查。", true, october(28, 7), n);
    let item = action(
        store,
        &lead1,
        &a6,
        Some(s),
        ActionOwner::Agent,
        "Use the closing checklist on every call for two weeks · 两周内每通电话使用结束语清单",
        nov(11),
        october(28, 7),
        n,
    );
    step(store, &lead1, s, SessionState::Delivered, october(28, 7));
    ack(
        store,
        &a6,
        s,
        "Thanks, the checklist helps. 谢谢，清单很有用。",
        october(28, 10),
    );
    settle(
        store,
        &a6,
        item,
        ActionState::Done,
        "",
        nov(10).and_hms_opt(8, 0, 0).unwrap_or(held),
    );
    step(
        store,
        &lead1,
        s,
        SessionState::Closed,
        nov(12).and_hms_opt(9, 0, 0).unwrap_or(held),
    );

    // Coaching that changed nothing beyond the others: agent14 and empathy.
    let a14 = agent(store, 14);
    follow_up_sample(&mut rng, store, &a14, "empathy", held, (0.45, 0.42));
    let s = session(
        store,
        &lead2,
        &a14,
        &["empathy"],
        None,
        "Acknowledge the customer's feelings before the facts. 先回应客户情绪，再讲事实。",
        october(27, 9),
        n,
    );
    step(store, &lead2, s, SessionState::Delivered, october(28, 8));
    ack(store, &a14, s, "", october(29, 9));
    action(
        store,
        &lead2,
        &a14,
        Some(s),
        ActionOwner::Coach,
        "Share two model calls on empathy · 分享两通共情示范录音",
        nov(4),
        october(28, 8),
        n,
    );
    step(
        store,
        &lead2,
        s,
        SessionState::Closed,
        nov(6).and_hms_opt(9, 0, 0).unwrap_or(held),
    );

    // Held and waiting for the agent: one for days, one long overdue.
    let a5 = agent(store, 5);
    let s = session(
        store,
        &lead1,
        &a5,
        &["policy_explained"],
        Some(at(24, 2)),
        "Explain the change fee rule before quoting. 报价前先解释改签费规则。",
        at(20, 9),
        n,
    );
    note(
        store,
        &lead1,
        &a5,
        Some(s),
        NoteKind::Praise,
        "Calm and clear with an angry caller on 19 Nov. 11月19日面对情绪激动的客户仍然冷静清晰。",
        false,
        at(24, 2),
        n,
    );
    note(store, &lead1, &a5, Some(s), NoteKind::Improvement,
        "Private: check whether the fee table in the knowledge base is out of date. 私人备注：核查知识库费用表是否过期。", true, at(24, 2), n);
    action(
        store,
        &lead1,
        &a5,
        Some(s),
        ActionOwner::Agent,
        "Read the updated change-fee policy · 阅读更新后的改签费政策",
        nov(28),
        at(24, 3),
        n,
    );
    step(store, &lead1, s, SessionState::Delivered, at(24, 3));

    let a7 = agent(store, 7);
    let s = session(
        store,
        &lead1,
        &a7,
        &["empathy", "active_listening"],
        None,
        "Let the customer finish before answering. 等客户说完再回答。",
        at(14, 9),
        n,
    );
    let overdue = action(
        store,
        &lead1,
        &a7,
        Some(s),
        ActionOwner::Agent,
        "Listen to two of your own calls and mark interruptions · 听两通自己的录音并标出打断处",
        nov(21),
        at(16, 6),
        n,
    );
    step(store, &lead1, s, SessionState::Delivered, at(16, 6));
    let _ = overdue;

    // Acknowledged, with open items: one overdue, one due next week.
    let a19 = agent(store, 19);
    let s = session(
        store,
        &lead1,
        &a19,
        &["recap"],
        Some(at(18, 3)),
        "Recap the booking before ending the call. 结束前复述预订信息。",
        at(17, 9),
        n,
    );
    action(
        store,
        &lead1,
        &a19,
        Some(s),
        ActionOwner::Agent,
        "Add a recap line to your closing · 在结束语中加入复述",
        nov(24),
        at(18, 3),
        n,
    );
    action(
        store,
        &lead1,
        &a19,
        Some(s),
        ActionOwner::Coach,
        "Review three of the agent's calls in December · 12月抽听该坐席三通电话",
        NaiveDate::from_ymd_opt(2026, 12, 10).unwrap_or(nov(30)),
        at(18, 3),
        n,
    );
    step(store, &lead1, s, SessionState::Delivered, at(18, 4));
    ack(store, &a19, s, "Understood. 明白了。", at(18, 8));

    // In preparation: a draft, and one in the calendar.
    let a2 = agent(store, 2);
    session(
        store,
        &lead1,
        &a2,
        &["greet_standard"],
        None,
        "",
        at(26, 8),
        n,
    );
    let a4 = agent(store, 4);
    session(
        store,
        &lead1,
        &a4,
        &["accurate_info"],
        Some(at(30, 2)),
        "Walk through the fare rules quiz together. 一起过一遍票价规则测验。",
        at(26, 9),
        n,
    );
    let a12 = agent(store, 12);
    session(store, &lead2, &a12, &["apology"], None, "", at(26, 10), n);

    // Held and waiting, on team 2, with an item the lead dropped.
    let a11 = agent(store, 11);
    let s = session(
        store,
        &lead2,
        &a11,
        &["escalation"],
        None,
        "Escalate refunds over the limit the same day. 超限退款当天升级。",
        at(24, 9),
        n,
    );
    let dropped = action(
        store,
        &lead2,
        &a11,
        Some(s),
        ActionOwner::Agent,
        "Shadow a senior agent for an hour · 跟随资深坐席学习一小时",
        nov(27),
        at(25, 3),
        n,
    );
    step(store, &lead2, s, SessionState::Delivered, at(25, 3));
    settle(store, &lead2, dropped, ActionState::Dropped,
        "No senior agent free this week; covered in the team meeting instead. 本周无资深坐席空闲，改在团队会议中讲解。", at(26, 7));

    // Notes outside sessions: praise waiting to be read, and a reviewer's note on a call they
    // scored, pointing at the criteria and the moment.
    let a20 = agent(store, 20);
    note(store, &lead1, &a20, None, NoteKind::Praise,
        "Lovely save on the cancelled flight call: the customer thanked you twice. 航班取消那通电话处理得很好，客户两次道谢。", false, at(25, 6), n);
    if let Some(e) = store
        .evaluations
        .iter()
        .filter(|e| e.reviewer_id == reviewer1.id)
        .filter(|e| {
            store.users.iter().any(|u| {
                u.id == e.agent_id && u.role == Role::Agent && matches!(u.team_id, Some(1 | 3))
            })
        })
        .find(|e| {
            store
                .calls
                .iter()
                .any(|c| c.id == e.call_id && c.recording.is_some())
        })
        .cloned()
    {
        let agent = store
            .users
            .iter()
            .find(|u| u.id == e.agent_id)
            .cloned()
            .expect("the evaluated agent");
        let version = store
            .scorecards
            .version(e.scorecard_version_id)
            .expect("a pinned version");
        let missed: Vec<String> = version
            .definition
            .sections
            .iter()
            .flat_map(|s| &s.criteria)
            .filter(|c| {
                !matches!(e.answers.get(&c.key), Some(Answer::Yes) | None) && c.critical.is_none()
            })
            .map(|c| c.key.clone())
            .take(2)
            .collect();
        workflow::write_note(
            store,
            &reviewer1,
            NewNote {
                agent_id: agent.id,
                session_id: None,
                evaluation_id: Some(e.id),
                criteria: missed,
                moments: vec![Moment {
                    start_ms: 2_000,
                    end_ms: 9_000,
                }],
                kind: NoteKind::FollowUp,
                body: "Listen from here: the customer asks twice before getting an answer. 从这里听：客户问了两次才得到答复。".into(),
                private: false,
                client_key: key(n),
            },
            e.submitted_at + Duration::hours(1),
        )
        .expect("the reviewer's note on their evaluation");
    }

    // Agents read the rulings on their disputes, all but those of the last day.
    let ruled: Vec<(u32, u32, NaiveDateTime)> = store
        .reviews
        .disputes
        .iter()
        .filter_map(|d| d.ruling.as_ref().map(|r| (d.id, d.agent_id, r.ruled_at)))
        .collect();
    let now = crate::reviews::now();
    for (id, agent, ruled_at) in ruled {
        if ruled_at + Duration::days(1) < now {
            let agent = store
                .users
                .iter()
                .find(|u| u.id == agent)
                .cloned()
                .expect("the disputing agent");
            workflow::mark_notice_seen(
                store,
                &agent,
                kappa_domain::notices::NoticeSeen {
                    kind: kappa_domain::notices::NoticeKind::DisputeRuled,
                    id,
                },
                ruled_at + Duration::hours(3),
            )
            .expect("the agent's own ruling");
        }
    }
}
