//! Every coaching route, for every role, with the agent of the lead's own team and of another:
//! the status and what the body says. Another team's agent, and any record of theirs, answers
//! exactly as a missing one; the agent never receives a private note or a draft.

mod common;

use axum::http::{Method, StatusCode};
use common::{test_app, Answer, TestApp};
use serde_json::{json, Value};

/// lead1 leads agent3's team; lead2 does not. agent10 is on lead2's team.
const AGENT: &str = "agent3";
const OTHER_AGENT: &str = "agent10";

struct Records {
    agent: u32,
    /// Held, with a private and a shared note and an action item the agent owns.
    held: u32,
    /// A draft: the agent must not learn it exists.
    draft: u32,
    private_note: u32,
    shared_note: u32,
    item: u32,
}

async fn created(t: &TestApp, admin: &str, path: &str, body: Value) -> Value {
    let res = t
        .send(Method::POST, path, Some(admin), Some(&body.to_string()))
        .await;
    assert!(res.status.is_success(), "{path}: {}", res.text);
    res.json()
}

/// The records every role is asked about, made by an admin on a fresh copy of the demo.
async fn records(t: &TestApp) -> Records {
    let admin = t.login("admin").await;
    let agent = t.id_of(AGENT);
    let session = |key: &str| json!({ "agent_id": agent, "focus": [{ "scorecard_id": 1, "key": "next_steps" }], "period_days": 30, "client_key": key });
    let held = created(t, &admin, "/api/coaching/sessions", session("m1")).await["session"]["id"]
        .as_u64()
        .unwrap() as u32;
    let draft = created(t, &admin, "/api/coaching/sessions", session("m2")).await["session"]["id"]
        .as_u64()
        .unwrap() as u32;
    let note = |private: bool, key: &str| json!({ "agent_id": agent, "session_id": held, "kind": "improvement", "body": if private { "PRIVATE coach note" } else { "Shared note" }, "private": private, "client_key": key });
    let private_note = created(t, &admin, "/api/coaching/notes", note(true, "n1")).await["id"]
        .as_u64()
        .unwrap() as u32;
    let shared_note = created(t, &admin, "/api/coaching/notes", note(false, "n2")).await["id"]
        .as_u64()
        .unwrap() as u32;
    let due = (chrono::Utc::now() + chrono::Duration::days(7))
        .format("%Y-%m-%d")
        .to_string();
    let item = created(t, &admin, "/api/coaching/actions", json!({ "agent_id": agent, "session_id": held, "owner": "agent", "text": "Use the checklist", "due": due, "client_key": "a1" })).await["id"]
        .as_u64()
        .unwrap() as u32;
    let res = t
        .send(
            Method::POST,
            &format!("/api/coaching/sessions/{held}/state"),
            Some(&admin),
            Some(&json!({ "revision": 1, "to": "delivered" }).to_string()),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    Records {
        agent,
        held,
        draft,
        private_note,
        shared_note,
        item,
    }
}

/// What one of the six askers must get.
#[derive(Clone, Copy)]
enum Expect {
    Ok(StatusCode),
    /// 200 and the body must not mention the private note.
    Clean,
    Refused(StatusCode, &'static str),
}

use Expect::*;
const OK: Expect = Ok(StatusCode::OK);
const MADE: Expect = Ok(StatusCode::CREATED);
const FORBIDDEN: Expect = Refused(StatusCode::FORBIDDEN, "forbidden");
const MISSING: Expect = Refused(StatusCode::NOT_FOUND, "not_found");

/// The askers, in the order of each case's expectations. An admin reads their own (empty)
/// coaching as every role with "my feedback" does.
const ASKERS: [&str; 6] = ["admin", "lead1", "lead2", "reviewer1", AGENT, OTHER_AGENT];

struct Case {
    method: Method,
    path: String,
    body: Option<Value>,
    expect: [Expect; 6],
    /// A check on a successful body beyond its status.
    check: Option<fn(&Value) -> bool>,
}

fn case(method: Method, path: String, body: Option<Value>, expect: [Expect; 6]) -> Case {
    Case {
        method,
        path,
        body,
        expect,
        check: None,
    }
}

fn cases(r: &Records) -> Vec<Case> {
    let (agent, held, draft) = (r.agent, r.held, r.draft);
    let due = (chrono::Utc::now() + chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    vec![
        Case {
            check: Some(|v| v.is_array()),
            ..case(
                Method::GET,
                "/api/notices".into(),
                None,
                [OK, OK, OK, OK, Clean, Clean],
            )
        },
        case(
            Method::POST,
            "/api/notices/seen".into(),
            Some(json!({ "kind": "note", "id": r.shared_note })),
            [MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN, Clean, MISSING],
        ),
        case(
            Method::POST,
            "/api/notices/seen".into(),
            Some(json!({ "kind": "note", "id": r.private_note })),
            [MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, MISSING],
        ),
        Case {
            check: Some(|v| v["rows"].as_array().is_some_and(|rows| !rows.is_empty())),
            ..case(
                Method::GET,
                "/api/coaching/team".into(),
                None,
                [OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN],
            )
        },
        case(
            Method::GET,
            format!("/api/coaching/agents/{agent}"),
            None,
            [OK, OK, MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            Method::GET,
            "/api/coaching/agents/999999".into(),
            None,
            [MISSING, MISSING, MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            Method::GET,
            format!("/api/coaching/agents/{agent}/agenda?days=30"),
            None,
            [OK, OK, MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            Method::GET,
            format!("/api/coaching/agents/{agent}?days=3"),
            None,
            [
                Refused(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
                Refused(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
                MISSING,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
            ],
        ),
        Case {
            check: Some(|v| {
                v["sessions"]
                    .as_array()
                    .is_some_and(|s| s.iter().all(|s| s["state"] != "draft"))
            }),
            ..case(
                Method::GET,
                "/api/me/coaching".into(),
                None,
                [Clean, FORBIDDEN, FORBIDDEN, FORBIDDEN, Clean, Clean],
            )
        },
        case(
            Method::GET,
            format!("/api/coaching/sessions/{held}"),
            None,
            [OK, OK, MISSING, FORBIDDEN, Clean, MISSING],
        ),
        case(
            Method::GET,
            format!("/api/coaching/sessions/{draft}"),
            None,
            [OK, OK, MISSING, FORBIDDEN, MISSING, MISSING],
        ),
        case(
            Method::GET,
            format!("/api/coaching/sessions/{held}/effect"),
            None,
            [OK, OK, MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            Method::POST,
            "/api/coaching/sessions".into(),
            Some(json!({ "agent_id": agent, "focus": [], "period_days": 30, "client_key": "new" })),
            [MADE, MADE, MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            Method::PUT,
            format!("/api/coaching/sessions/{draft}"),
            Some(json!({ "revision": 1, "focus": [], "summary": "Edited" })),
            [OK, OK, MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            Method::POST,
            format!("/api/coaching/sessions/{draft}/state"),
            // After the edit above.
            Some(json!({ "revision": 2, "to": "delivered" })),
            [OK, OK, MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            Method::POST,
            "/api/coaching/notes".into(),
            Some(
                json!({ "agent_id": agent, "kind": "praise", "body": "Well done", "client_key": "x1" }),
            ),
            [MADE, MADE, MISSING, MISSING, FORBIDDEN, FORBIDDEN],
        ),
        case(
            Method::POST,
            format!("/api/coaching/notes/{}/acknowledge", r.shared_note),
            Some(json!({ "comment": "Thanks" })),
            [MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN, Clean, MISSING],
        ),
        case(
            Method::POST,
            format!("/api/coaching/notes/{}/acknowledge", r.private_note),
            Some(json!({})),
            [MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, MISSING],
        ),
        case(
            Method::POST,
            "/api/coaching/actions".into(),
            Some(
                json!({ "agent_id": agent, "owner": "agent", "text": "Recap", "due": due, "client_key": "x2" }),
            ),
            [MADE, MADE, MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            Method::POST,
            format!("/api/coaching/actions/{}/state", r.item),
            Some(json!({ "state": "done" })),
            [OK, OK, MISSING, FORBIDDEN, OK, MISSING],
        ),
        case(
            Method::POST,
            format!("/api/coaching/sessions/{held}/follow-up"),
            Some(json!({ "calls_per_week": 3 })),
            [OK, OK, MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            Method::POST,
            format!("/api/coaching/sessions/{held}/acknowledge"),
            Some(json!({ "comment": "Got it" })),
            [MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN, Clean, MISSING],
        ),
    ]
}

async fn ask(t: &TestApp, session: Option<&str>, c: &Case) -> Answer {
    t.send(
        c.method.clone(),
        &c.path,
        session,
        c.body.as_ref().map(Value::to_string).as_deref(),
    )
    .await
}

#[tokio::test]
async fn every_coaching_route_for_every_role_with_own_and_other_team() {
    let missing_session = {
        let t = test_app();
        let session = t.login(AGENT).await;
        t.get("/api/coaching/sessions/999999", &session).await.text
    };
    for (i, asker) in ASKERS.into_iter().enumerate() {
        // A fresh centre per asker: each case changes it.
        let t = test_app();
        let r = records(&t).await;
        let session = t.login(asker).await;
        for c in cases(&r) {
            let res = ask(&t, Some(&session), &c).await;
            let at = format!("{asker} {} {}", c.method, c.path);
            match c.expect[i] {
                Ok(status) => {
                    assert_eq!(res.status, status, "{at}: {}", res.text);
                    if let Some(check) = c.check {
                        assert!(check(&res.json()), "{at}: {}", res.text);
                    }
                }
                Clean => {
                    assert_eq!(res.status, StatusCode::OK, "{at}: {}", res.text);
                    assert!(
                        !res.text.contains("PRIVATE"),
                        "{at}: a private note reached the agent: {}",
                        res.text
                    );
                    if let Some(check) = c.check {
                        assert!(check(&res.json()), "{at}: {}", res.text);
                    }
                }
                Refused(status, code) => {
                    assert_eq!(res.status, status, "{at}: {}", res.text);
                    common::assert_error(&res, status, code);
                    if code == "forbidden" {
                        assert!(
                            !res.text.contains("missing field"),
                            "{at}: refused before the body is read"
                        );
                    }
                    if code == "not_found"
                        && c.path.starts_with("/api/coaching/sessions/")
                        && !c.path.ends_with("/acknowledge")
                    {
                        assert_eq!(
                            res.text, missing_session,
                            "{at}: another's session answers as a missing one"
                        );
                    }
                }
            }
        }
        // Signed out: 401, and nothing else.
        for c in cases(&r) {
            common::assert_error(
                &ask(&t, None, &c).await,
                StatusCode::UNAUTHORIZED,
                "unauthorized",
            );
        }
    }
}

/// The lead's views carry the private note; the agent's never do, and a lead of another team
/// finds no trace of the agent in the team view.
#[tokio::test]
async fn the_agent_reads_their_coaching_without_private_notes_or_drafts() {
    let t = test_app();
    let r = records(&t).await;
    let lead = t.login("lead1").await;
    let view = t
        .get(&format!("/api/coaching/agents/{}", r.agent), &lead)
        .await;
    assert!(view.text.contains("PRIVATE coach note"), "{}", view.text);
    let agent = t.login(AGENT).await;
    let mine = t.get("/api/me/coaching", &agent).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(
        mine.text.contains("Shared note") && !mine.text.contains("PRIVATE"),
        "{}",
        mine.text
    );
    let ids: Vec<u64> = mine.json()["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["id"].as_u64())
        .collect();
    assert!(
        ids.contains(&r.held.into()) && !ids.contains(&r.draft.into()),
        "{ids:?}"
    );
    let other = t.login("lead2").await;
    let team = t.get("/api/coaching/team", &other).await.json();
    assert!(team["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|row| row["agent_id"] != r.agent));
    // A body too long or out of bounds is refused with the field named, and nothing is written.
    let long = json!({ "agent_id": r.agent, "kind": "praise", "body": "x".repeat(4_001), "client_key": "long" });
    let res = t
        .send(
            Method::POST,
            "/api/coaching/notes",
            Some(&lead),
            Some(&long.to_string()),
        )
        .await;
    common::assert_error(&res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(res.json()["error"]["fields"][0]["field"], "body");
    let focus: Vec<Value> = (0..11)
        .map(|i| json!({ "scorecard_id": 1, "key": format!("k{i}") }))
        .collect();
    let too_many =
        json!({ "agent_id": r.agent, "focus": focus, "period_days": 30, "client_key": "many" });
    let res = t
        .send(
            Method::POST,
            "/api/coaching/sessions",
            Some(&lead),
            Some(&too_many.to_string()),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a list longer than the domain means is refused while parsed: {}",
        res.text
    );
}
