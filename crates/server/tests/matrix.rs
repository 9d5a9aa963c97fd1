//! Every API route, for every role, with the role's own data and someone else's: the status and
//! what the body says. Roles that may not make a request are refused before their body is read
//! (a reviewer posting `{}` learns nothing of the schema), and another user's record answers
//! exactly as a missing one.

mod common;

use axum::http::{header, Method, Request, StatusCode};
use common::{demo, sample_scorecard, test_app, TestApp};
use kappa_domain::{Call, Role};
use serde_json::{json, Value};

/// What one role must get from one request.
enum Expect {
    /// 2xx, and the body passes the check.
    Ok(StatusCode, Box<dyn Fn(&Value) -> bool>),
    Refused(StatusCode, &'static str),
}

fn ok(status: StatusCode, check: impl Fn(&Value) -> bool + 'static) -> Expect {
    Expect::Ok(status, Box::new(check))
}

fn refused(status: StatusCode, code: &'static str) -> Expect {
    Expect::Refused(status, code)
}

struct Fixture {
    /// The agent whose call is recorded, and that call.
    agent: String,
    agent_id: u32,
    own_call: Call,
    other_call: Call,
    own_evaluation: u32,
    other_evaluation: u32,
    /// Written by reviewer1, and by another reviewer: reviewers read both.
    reviewer1_evaluation: u32,
    other_reviewer_evaluation: u32,
    /// Open assignments: two of reviewer1's, one of reviewer3's.
    own_assignments: [u32; 2],
    other_assignment: u32,
    /// A dispute no one has ruled on, and a call reviewer3 has a draft of.
    open_dispute: u32,
    others_draft_call: u32,
}

fn fixture() -> Fixture {
    let data = &demo().0;
    let own_call = data
        .calls
        .iter()
        .find(|c| c.recording.is_some())
        .unwrap()
        .clone();
    let agent = data
        .users
        .iter()
        .find(|u| u.id == own_call.agent_id)
        .unwrap();
    let other_call = data
        .calls
        .iter()
        .find(|c| c.recording.is_some() && c.agent_id != agent.id)
        .unwrap()
        .clone();
    let own_evaluation = data
        .evaluations
        .iter()
        .find(|e| e.agent_id == agent.id)
        .unwrap()
        .id;
    let other_evaluation = data
        .evaluations
        .iter()
        .find(|e| e.agent_id != agent.id)
        .unwrap()
        .id;
    let reviewer1 = data
        .users
        .iter()
        .find(|u| u.username == "reviewer1")
        .unwrap()
        .id;
    let reviewer1_evaluation = data
        .evaluations
        .iter()
        .find(|e| e.reviewer_id == reviewer1)
        .unwrap()
        .id;
    let other_reviewer_evaluation = data
        .evaluations
        .iter()
        .find(|e| e.reviewer_id != reviewer1)
        .unwrap()
        .id;
    let open = |reviewer: &str| {
        let id = data
            .users
            .iter()
            .find(|u| u.username == reviewer)
            .unwrap()
            .id;
        data.sampling
            .assignments
            .iter()
            .filter(move |a| {
                a.reviewer_id == id && a.status == kappa_domain::plan::AssignmentStatus::Open
            })
            .map(|a| a.id)
    };
    let mut mine = open("reviewer1");
    let own_assignments = [mine.next().unwrap(), mine.next().unwrap()];
    let other_assignment = open("reviewer3").next().unwrap();
    Fixture {
        agent: agent.username.clone(),
        agent_id: agent.id,
        own_call,
        other_call,
        own_evaluation,
        other_evaluation,
        reviewer1_evaluation,
        other_reviewer_evaluation,
        own_assignments,
        other_assignment,
        open_dispute: data
            .reviews
            .disputes
            .iter()
            .find(|d| d.ruling.is_none())
            .unwrap()
            .id,
        others_draft_call: data
            .reviews
            .drafts
            .iter()
            .find(|d| d.reviewer_id == 6)
            .unwrap()
            .call_id,
    }
}

/// Every criterion of the evaluation's version at its best, as a change a lead might make.
fn amendment_for(evaluation: u32) -> Value {
    let data = &demo().0;
    let e = data
        .evaluations
        .iter()
        .find(|e| e.id == evaluation)
        .unwrap();
    let version = data.scorecards.version(e.scorecard_version_id).unwrap();
    let answers: kappa_domain::scorecard::Answers = version
        .definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| (c.key.clone(), c.answer_type.best()))
        .collect();
    json!({ "content": { "answers": answers, "feedback": "Rescored after calibration" }, "reason": "Calibration" })
}

/// A request and what each role gets: (admin, lead, reviewer, agent).
struct Case {
    method: Method,
    path: String,
    body: Option<String>,
    range: bool,
    expect: [Expect; 4],
}

fn case(method: Method, path: impl Into<String>, body: Option<Value>, expect: [Expect; 4]) -> Case {
    Case {
        method,
        path: path.into(),
        body: body.map(|b| b.to_string()),
        range: false,
        expect,
    }
}

fn answers_for(call: &Call) -> Value {
    let version = demo()
        .0
        .scorecards
        .versions
        .iter()
        .filter(|v| v.scorecard_id == 1)
        .max_by_key(|v| v.version)
        .unwrap();
    let answers: kappa_domain::scorecard::Answers = version
        .definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| (c.key.clone(), c.answer_type.best()))
        .collect();
    json!({ "call_id": call.id, "scorecard_version_id": version.id, "answers": answers })
}

/// October's calls of team 2, ten in all, for reviewer1 and reviewer2.
fn matrix_plan() -> Value {
    json!({
        "name": "Matrix plan",
        "population": "team=2&from=2026-10-01&to=2026-10-31",
        "exclude_evaluated": true,
        "exclude_assigned": true,
        "scorecard_id": 1,
        "reviewers": [4, 5],
        "due_days": 3,
        "strategy": { "total": { "n": 10 } },
        "seed": 5,
        "recurrence": "once"
    })
}

/// The cases in the order they run for each role; writes change what later reads see, so the
/// order is part of the test.
fn cases(f: &Fixture, me: &'static str) -> Vec<Case> {
    use StatusCode as S;
    let forbidden = || refused(S::FORBIDDEN, "forbidden");
    let agent_profile = {
        let agent = demo().0.users.iter().find(|u| u.id == f.agent_id).unwrap();
        serde_json::to_value(kappa_domain::api::UserProfile::of(agent)).unwrap()
    };
    let mut renamed_plan = serde_json::to_value(&demo().0.sampling.plans[0].spec).unwrap();
    renamed_plan["name"] = json!("Renamed by the matrix");
    let not_found = || refused(S::NOT_FOUND, "not_found");
    let it_is_me = || ok(S::OK, move |v| v["username"] == me);
    let agent_id = f.agent_id;
    let own_call = f.own_call.id;
    let reviewer_sees_no_drafts = |v: &Value| {
        v.as_array()
            .is_some_and(|list| list.iter().all(|s| s["id"] != 3 && s["has_draft"] == false))
    };
    let editor_sees_the_draft = |v: &Value| {
        v.as_array()
            .is_some_and(|list| list.iter().any(|s| s["id"] == 3 && s["has_draft"] == true))
    };
    let own_evaluation = f.own_evaluation;
    let version = answers_for(&f.own_call)["scorecard_version_id"].clone();
    let draft = json!({ "scorecard_version_id": version, "content": { "answers": {}, "feedback": "Half way" }, "base_revision": 0 });
    let evaluation_of = move |agent: u32| {
        move |v: &Value| {
            v["evaluation"]["agent_id"] == agent
                && v["version"]["definition"]["sections"].is_array()
        }
    };
    let mut list = vec![
        case(
            Method::GET,
            "/api/me",
            None,
            [it_is_me(), it_is_me(), it_is_me(), it_is_me()],
        ),
        case(
            Method::GET,
            "/api/session",
            None,
            [
                ok(S::OK, |v| v["user"]["role"] == "admin" && v["demo"] == true),
                ok(S::OK, |v| v["user"]["role"] == "lead"),
                ok(S::OK, |v| v["user"]["role"] == "reviewer"),
                ok(S::OK, |v| {
                    v["user"]["role"] == "agent" && v["needs_admin"] == false
                }),
            ],
        ),
        case(
            Method::GET,
            "/api/calls?size=5",
            None,
            [
                ok(S::OK, |v| {
                    v["items"].as_array().is_some_and(|i| i.len() == 5)
                }),
                ok(S::OK, |v| v["total"].as_u64() > Some(100)),
                ok(S::OK, |v| v["items"].is_array()),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            format!("/api/calls/{own_call}"),
            None,
            [
                ok(S::OK, move |v| v["call"]["id"] == own_call),
                ok(S::OK, |v| {
                    v["transcript"].as_array().is_some_and(|t| !t.is_empty())
                }),
                ok(S::OK, |v| v["evaluations"].is_array()),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            format!("/api/calls/{}", f.other_call.id),
            None,
            [
                ok(S::OK, |v| v["call"].is_object()),
                ok(S::OK, |v| v["call"].is_object()),
                ok(S::OK, |v| v["call"].is_object()),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/directory",
            None,
            [
                ok(S::OK, |v| {
                    v["users"].as_array().is_some_and(|u| u.len() == 34)
                }),
                ok(S::OK, |v| {
                    v["teams"].as_array().is_some_and(|t| t.len() == 3)
                }),
                ok(S::OK, |v| {
                    v["users"].is_array() && !v.to_string().contains("password")
                }),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/vocabulary",
            None,
            [
                ok(S::OK, |v| {
                    v["terms"].as_array().is_some_and(|t| t.len() == 11)
                }),
                ok(S::OK, |v| {
                    v["terms"].as_array().is_some_and(|t| t.len() == 11)
                }),
                ok(S::OK, |v| v["terms"][0]["code"] == "bookings"),
                ok(S::OK, |v| v["terms"][0]["name"]["zh"] == "预订"),
            ],
        ),
        case(
            Method::POST,
            "/api/vocabulary",
            Some(json!({ "kind": "queue", "code": "vip", "name": { "en": "VIP", "zh": "贵宾" } })),
            [
                ok(S::CREATED, |v| {
                    v["code"] == "vip" && v["active"] == true && v["revision"] == 1
                }),
                // Leads add the queues their imports meet.
                ok(S::CREATED, |v| v["code"] == "vip" && v["revision"] == 1),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/vocabulary",
            Some(json!({})),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
                forbidden(),
            ],
        ),
        // The demo's imports are 1–3 (lead1's, lead2's, lead1's); import 4 is lead2's (staged before
        // the cases); import 5 is the asker's own.
        case(
            Method::POST,
            "/api/imports?name=calls.csv",
            Some(json!({ "a": 1 })),
            [
                ok(S::CREATED, |v| {
                    v["id"] == 5 && v["state"] == "staged" && v["file_name"] == "calls.csv"
                }),
                ok(S::CREATED, |v| {
                    v["id"] == 5 && v["state"] == "staged" && v["size"] == 7
                }),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/imports",
            None,
            [
                ok(S::OK, |v| v.as_array().is_some_and(|i| i.len() == 5)),
                ok(S::OK, |v| {
                    v.as_array().is_some_and(|i| {
                        i.len() == 3 && i[0]["id"] == 5 && i.iter().all(|i| i["by"] == v[0]["by"])
                    })
                }),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/imports/4",
            None,
            [
                ok(S::OK, |v| v["file_name"] == "lead2.csv"),
                refused(S::NOT_FOUND, "not_found"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/imports/5",
            None,
            [
                ok(S::OK, |v| v["file_name"] == "calls.csv"),
                ok(S::OK, |v| v["file_name"] == "calls.csv"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/imports/5/dry-run",
            Some(json!({})),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/imports/5/dry-run",
            Some(json!({ "source": "tinet", "reading": "{}", "revision": 1 })),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_input"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_input"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/imports/5/commit",
            Some(json!({ "revision": 1 })),
            [
                refused(S::CONFLICT, "wrong_import_state"),
                refused(S::CONFLICT, "wrong_import_state"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/imports/5/rejected.csv",
            None,
            [
                refused(S::NOT_FOUND, "not_found"),
                refused(S::NOT_FOUND, "not_found"),
                forbidden(),
                forbidden(),
            ],
        ),
        // The demo's committed import (lead1's): its refused rows were never written here, and
        // no other file of an import is served.
        case(
            Method::GET,
            "/api/imports/3/refused.csv",
            None,
            [
                refused(S::NOT_FOUND, "not_found"),
                refused(S::NOT_FOUND, "not_found"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/imports/5/upload",
            None,
            [
                refused(S::NOT_FOUND, "not_found"),
                refused(S::NOT_FOUND, "not_found"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/imports/4/cancel",
            Some(json!({ "revision": 1 })),
            [
                ok(S::OK, |v| v["state"] == "cancelled" && v["revision"] == 2),
                refused(S::NOT_FOUND, "not_found"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/imports/5/cancel",
            Some(json!({ "revision": 1 })),
            [
                ok(S::OK, |v| v["state"] == "cancelled"),
                ok(S::OK, |v| v["state"] == "cancelled"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            "/api/vocabulary/disposition/escalated",
            Some(
                json!({ "name": { "en": "Escalated to a supervisor", "zh": "已升级至主管" }, "active": true, "revision": 1 }),
            ),
            [
                ok(S::OK, |v| {
                    v["revision"] == 2 && v["name"]["zh"] == "已升级至主管"
                }),
                forbidden(),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            "/api/vocabulary/queue/loyalty",
            Some(json!({})),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            "/api/vocabulary/skill/loyalty",
            Some(json!({ "name": { "en": "X", "zh": "" }, "active": true, "revision": 1 })),
            [
                refused(S::NOT_FOUND, "not_found"),
                forbidden(),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            "/api/vocabulary/queue/no-such",
            Some(json!({ "name": { "en": "X", "zh": "" }, "active": true, "revision": 1 })),
            [
                refused(S::NOT_FOUND, "not_found"),
                forbidden(),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/users",
            None,
            [
                ok(S::OK, |v| v.as_array().is_some_and(|u| u.len() == 34)),
                forbidden(),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/scorecards",
            None,
            [
                ok(S::OK, editor_sees_the_draft),
                ok(S::OK, editor_sees_the_draft),
                ok(S::OK, reviewer_sees_no_drafts),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/scorecards/3",
            None,
            [
                ok(S::OK, |v| v["draft"]["version"] == 1),
                ok(S::OK, |v| v["draft"].is_object()),
                not_found(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/scorecards/1",
            None,
            [
                ok(S::OK, |v| {
                    v["versions"].as_array().is_some_and(|x| x.len() == 2)
                }),
                ok(S::OK, |v| v["id"] == 1),
                ok(S::OK, |v| {
                    v["draft"].is_null()
                        && v["lock_version"] == 0
                        && v["versions"][0]["version"] == 2
                }),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/scorecard-versions/1",
            None,
            [
                ok(S::OK, |v| v["published"] == true),
                ok(S::OK, |v| v["version"] == 1),
                ok(S::OK, |v| v["definition"]["sections"].is_array()),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/scorecard-versions/4",
            None,
            [
                ok(S::OK, |v| v["published"] == false),
                ok(S::OK, |v| v["published"] == false),
                not_found(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            format!("/api/evaluations/{}", f.own_evaluation),
            None,
            [
                ok(S::OK, evaluation_of(agent_id)),
                ok(S::OK, evaluation_of(agent_id)),
                ok(S::OK, evaluation_of(agent_id)),
                ok(S::OK, evaluation_of(agent_id)),
            ],
        ),
        case(
            Method::GET,
            format!("/api/evaluations/{}", f.other_evaluation),
            None,
            [
                ok(S::OK, |v| v["evaluation"].is_object()),
                ok(S::OK, |v| v["evaluation"].is_object()),
                ok(S::OK, |v| v["evaluation"].is_object()),
                not_found(),
            ],
        ),
        case(
            Method::GET,
            format!("/api/evaluations/{}", f.reviewer1_evaluation),
            None,
            [
                ok(S::OK, |v| v["reviewer"].is_string()),
                ok(S::OK, |v| v["reviewer"].is_string()),
                ok(S::OK, |v| v["reviewer"].is_string()),
                if f.reviewer1_evaluation == f.own_evaluation {
                    ok(S::OK, |_| true)
                } else {
                    not_found()
                },
            ],
        ),
        case(
            Method::GET,
            format!("/api/evaluations/{}", f.other_reviewer_evaluation),
            None,
            [
                ok(S::OK, |v| v["reviewer"].is_string()),
                ok(S::OK, |v| v["reviewer"].is_string()),
                ok(S::OK, |v| v["reviewer"].is_string()),
                if demo()
                    .0
                    .evaluations
                    .iter()
                    .any(|e| e.id == f.other_reviewer_evaluation && e.agent_id == agent_id)
                {
                    ok(S::OK, |_| true)
                } else {
                    not_found()
                },
            ],
        ),
        case(
            Method::GET,
            "/api/evaluations/999999",
            None,
            [not_found(), not_found(), not_found(), not_found()],
        ),
        // Writes. Refused roles are refused before their body is read.
        case(
            Method::POST,
            "/api/scorecards",
            Some(json!({})),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            "/api/scorecards/3/draft",
            Some(json!({ "lock_version": 1, "definition": sample_scorecard("Matrix v1") })),
            [
                ok(S::OK, |v| v["draft"]["lock_version"] == 2),
                ok(S::OK, |v| v["name"]["en"] == "Matrix v1"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/scorecards/3/publish",
            Some(json!({ "lock_version": 2 })),
            [
                ok(S::OK, |v| {
                    v["versions"][0]["version"] == 1 && v["draft"].is_null()
                }),
                ok(S::OK, |v| v["versions"][0]["version"] == 1),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/scorecards/3/archive",
            Some(json!({ "archived": true })),
            [
                ok(S::OK, |v| v["archived"] == true),
                ok(S::OK, |v| v["archived"] == true),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/evaluations",
            Some(json!({})),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/evaluations",
            Some(answers_for(&f.own_call)),
            [
                ok(S::CREATED, move |v| v["evaluation"]["agent_id"] == agent_id),
                ok(S::CREATED, |v| v["evaluation"]["score"] == 105.0),
                ok(S::CREATED, |v| v["evaluation"]["passed"] == true),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/users",
            Some(
                json!({ "username": format!("new-{me}"), "display_name": "New", "role": "reviewer", "password": "long enough" }),
            ),
            [
                ok(S::CREATED, |v| {
                    v["role"] == "reviewer" && v["active"] == true
                }),
                forbidden(),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/users",
            Some(json!({})),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PATCH,
            format!("/api/users/{agent_id}"),
            Some(json!({ "active": true })),
            [
                ok(S::OK, move |v| v["id"] == agent_id && v["active"] == true),
                forbidden(),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            format!("/api/users/{agent_id}"),
            Some(json!({})),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            format!("/api/users/{agent_id}"),
            Some(json!({
                "profile": { "display_name": "Renamed by the matrix", "role": "agent", "team_id": 2 },
                "expected": agent_profile,
            })),
            [
                ok(S::OK, move |v| {
                    v["id"] == agent_id
                        && v["display_name"] == "Renamed by the matrix"
                        && v["team_id"] == 2
                }),
                forbidden(),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            "/api/users/999",
            Some(json!({ "profile": agent_profile, "expected": agent_profile })),
            [not_found(), forbidden(), forbidden(), forbidden()],
        ),
        case(
            Method::PUT,
            format!("/api/users/{agent_id}/password"),
            Some(json!({ "password": "a brand new one" })),
            [
                ok(S::NO_CONTENT, |_| true),
                forbidden(),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            "/api/me/password",
            Some(json!({ "current": "not it", "password": "a brand new one" })),
            [
                refused(S::UNPROCESSABLE_ENTITY, "wrong_password"),
                refused(S::UNPROCESSABLE_ENTITY, "wrong_password"),
                refused(S::UNPROCESSABLE_ENTITY, "wrong_password"),
                refused(S::UNPROCESSABLE_ENTITY, "wrong_password"),
            ],
        ),
        // Sampling: leads and admins manage plans; a reviewer works their own queue; agents see nothing.
        case(
            Method::GET,
            "/api/plans",
            None,
            [
                ok(S::OK, |v| v.as_array().is_some_and(|p| p.len() == 5)),
                ok(S::OK, |v| v[0]["plan"]["spec"]["name"]["en"].is_string()),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/plans/1",
            None,
            [
                ok(S::OK, |v| {
                    v["runs"].as_array().is_some_and(|r| r.len() == 2)
                }),
                ok(S::OK, |v| v["progress"].is_array()),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/plans/999",
            None,
            [not_found(), not_found(), forbidden(), forbidden()],
        ),
        case(
            Method::POST,
            "/api/plans/preview",
            Some(json!({})),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/plans/preview",
            Some(matrix_plan()),
            [
                ok(S::OK, |v| {
                    v["population"].as_u64() > Some(100) && v["sampled"] == 10
                }),
                ok(S::OK, |v| v["agents"].is_array()),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/plans",
            Some(json!({ "name": "" })),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/plans",
            Some(matrix_plan()),
            [
                ok(S::CREATED, |v| v["runs"][0]["sampled"] == 10),
                ok(S::CREATED, |v| v["plan"]["id"] == 6),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/plans/1/runs",
            None,
            [
                ok(S::CREATED, |v| v["runs"][0]["number"] == 3),
                ok(S::CREATED, |v| v["runs"][0]["number"] == 3),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            "/api/plans/1",
            Some(json!({ "spec": renamed_plan, "revision": 1 })),
            [
                ok(S::OK, |v| {
                    v["plan"]["revision"] == 2
                        && v["plan"]["spec"]["name"]["en"] == "Renamed by the matrix"
                }),
                ok(S::OK, |v| v["plan"]["revision"] == 2),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            "/api/plans/1",
            Some(json!({ "spec": matrix_plan(), "revision": 1 })),
            [
                refused(S::CONFLICT, "changed_since_opened"),
                refused(S::CONFLICT, "changed_since_opened"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            "/api/plans/999",
            Some(json!({ "spec": matrix_plan(), "revision": 1 })),
            [not_found(), not_found(), forbidden(), forbidden()],
        ),
        case(
            Method::POST,
            "/api/plans/1/status",
            Some(json!({ "status": "paused", "revision": 2 })),
            [
                ok(S::OK, |v| {
                    v["plan"]["status"] == "paused" && v["next_run"].is_null()
                }),
                ok(S::OK, |v| v["plan"]["revision"] == 3),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/queue",
            None,
            [
                ok(S::OK, |v| v["items"].is_array()),
                ok(S::OK, |v| v["total"].as_u64() > Some(10)),
                ok(S::OK, |v| {
                    v["items"].as_array().is_some_and(|i| {
                        !i.is_empty() && i.iter().all(|x| x["assignment"]["reviewer_id"] == 4)
                    })
                }),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/queue?reviewer=6&show=all",
            None,
            [
                ok(S::OK, |v| {
                    v["items"]
                        .as_array()
                        .is_some_and(|i| i.iter().all(|x| x["assignment"]["reviewer_id"] == 6))
                }),
                ok(S::OK, |v| v["progress"]["done"].as_u64() > Some(0)),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/queue?show=later",
            None,
            [
                refused(S::BAD_REQUEST, "invalid_query"),
                refused(S::BAD_REQUEST, "invalid_query"),
                refused(S::BAD_REQUEST, "invalid_query"),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            format!("/api/assignments/{}/replace", f.other_assignment),
            Some(json!({ "reason": "Silent recording" })),
            [
                ok(S::CREATED, |v| v["assignment"]["replaces"].is_number()),
                ok(S::CREATED, |v| v["assignment"]["status"] == "open"),
                not_found(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            format!("/api/assignments/{}/replace", f.own_assignments[0]),
            Some(json!({ "reason": "Wrong language" })),
            [
                ok(S::CREATED, |v| v["assignment"]["stratum"].is_string()),
                ok(S::CREATED, |v| v["call"].is_object()),
                ok(S::CREATED, |v| v["assignment"]["reviewer_id"] == 4),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            format!("/api/assignments/{}/replace", f.own_assignments[0]),
            Some(json!({ "reason": "Twice" })),
            [
                refused(S::CONFLICT, "assignment_closed"),
                refused(S::CONFLICT, "assignment_closed"),
                refused(S::CONFLICT, "assignment_closed"),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            format!("/api/assignments/{}/reassign", f.own_assignments[1]),
            Some(json!({ "reviewer_id": 5 })),
            [
                ok(S::OK, |v| v["assignment"]["reviewer_id"] == 5),
                ok(S::OK, |v| v["reviewer"].is_string()),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/assignments/999999/replace",
            Some(json!({ "reason": "Nowhere" })),
            [not_found(), not_found(), not_found(), forbidden()],
        ),
        // Reviewing: anyone who scores calls opens the workspace and keeps their own draft.
        case(
            Method::GET,
            format!("/api/calls/{own_call}/review"),
            None,
            [
                ok(S::OK, |v| v["version"]["published"] == true),
                ok(S::OK, |v| v["draft"].is_null()),
                ok(S::OK, |v| v["version"]["definition"]["sections"].is_array()),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            format!("/api/calls/{own_call}/review?scorecard=x"),
            None,
            [
                refused(S::BAD_REQUEST, "invalid_query"),
                refused(S::BAD_REQUEST, "invalid_query"),
                refused(S::BAD_REQUEST, "invalid_query"),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            format!("/api/drafts/{own_call}"),
            Some(draft.clone()),
            [
                ok(S::OK, |v| v["revision"] == 1),
                ok(S::OK, |v| v["revision"] == 1),
                ok(S::OK, |v| v["content"]["answers"].is_object()),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            format!("/api/drafts/{own_call}"),
            Some(draft),
            [
                refused(S::CONFLICT, "stale_draft"),
                refused(S::CONFLICT, "stale_draft"),
                refused(S::CONFLICT, "stale_draft"),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            format!("/api/drafts/{own_call}"),
            Some(json!({ "content": {} })),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            format!("/api/drafts/{own_call}"),
            None,
            [
                ok(S::OK, |v| v["revision"] == 1),
                ok(S::OK, |v| v["revision"] == 1),
                ok(S::OK, |v| v["revision"] == 1),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            format!("/api/drafts/{}", f.others_draft_call),
            None,
            [not_found(), not_found(), not_found(), forbidden()],
        ),
        // Feedback: an agent reads, opens and acknowledges their own evaluations only.
        case(
            Method::GET,
            "/api/feedback",
            None,
            [
                ok(S::OK, |v| v.as_array().is_some_and(Vec::is_empty)),
                forbidden(),
                forbidden(),
                ok(S::OK, move |v| {
                    v.as_array()
                        .is_some_and(|l| l.iter().any(|i| i["id"] == own_evaluation))
                }),
            ],
        ),
        case(
            Method::POST,
            format!("/api/evaluations/{own_evaluation}/seen"),
            None,
            [
                not_found(),
                forbidden(),
                forbidden(),
                ok(S::OK, |v| v["evaluation"]["seen_at"].is_string()),
            ],
        ),
        case(
            Method::POST,
            format!("/api/evaluations/{own_evaluation}/acknowledge"),
            None,
            [
                not_found(),
                forbidden(),
                forbidden(),
                ok(S::OK, |v| v["evaluation"]["acknowledged_at"].is_string()),
            ],
        ),
        case(
            Method::POST,
            format!("/api/evaluations/{}/acknowledge", f.other_evaluation),
            None,
            [not_found(), forbidden(), forbidden(), not_found()],
        ),
        case(
            Method::POST,
            format!("/api/evaluations/{own_evaluation}/disputes"),
            Some(json!({ "points": [{ "comment": "Not mine" }] })),
            [
                not_found(),
                forbidden(),
                forbidden(),
                refused(S::CONFLICT, "dispute_window_closed"),
            ],
        ),
        case(
            Method::POST,
            format!("/api/evaluations/{}/disputes", f.other_evaluation),
            Some(json!({ "points": [{ "comment": "Not mine" }] })),
            [not_found(), forbidden(), forbidden(), not_found()],
        ),
        // Disputes: leads and admins list and rule.
        case(
            Method::GET,
            "/api/disputes?view=all",
            None,
            [
                ok(S::OK, |v| {
                    v["disputes"].as_array().is_some_and(|d| d.len() == 6)
                }),
                ok(S::OK, |v| v["by_reviewer"].is_array()),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/disputes?view=someday",
            None,
            [
                refused(S::BAD_REQUEST, "invalid_query"),
                refused(S::BAD_REQUEST, "invalid_query"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            format!("/api/disputes/{}/ruling", f.open_dispute),
            Some(json!({ "points": [] })),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_input"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_input"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/disputes/999/ruling",
            Some(json!({ "points": [] })),
            [not_found(), not_found(), forbidden(), forbidden()],
        ),
        // Agreement statistics are arithmetic on the caller's own numbers: open to every role.
        case(
            Method::POST,
            "/api/agreement",
            Some(json!({ "level": "nominal", "ratings": [[1, 2, 2], [1, 2, 1]] })),
            [
                ok(S::OK, |v| {
                    v["n_raters"] == 2 && v["cohen_kappa"].is_number()
                }),
                ok(S::OK, |v| v["n_raters"] == 2),
                ok(S::OK, |v| v["n_raters"] == 2),
                ok(S::OK, |v| v["n_raters"] == 2),
            ],
        ),
        case(
            Method::POST,
            "/api/agreement",
            Some(json!({ "level": "nominal", "ratings": [[1, 2, 2], [1, 2]] })),
            [
                refused(S::BAD_REQUEST, "invalid_json_data"),
                refused(S::BAD_REQUEST, "invalid_json_data"),
                refused(S::BAD_REQUEST, "invalid_json_data"),
                refused(S::BAD_REQUEST, "invalid_json_data"),
            ],
        ),
        case(
            Method::PUT,
            format!("/api/evaluations/{own_evaluation}"),
            Some(amendment_for(own_evaluation)),
            [
                ok(S::OK, |v| {
                    v["history"].as_array().is_some_and(|h| h.len() == 2)
                }),
                ok(S::OK, |v| {
                    v["history"][1]["event"]["reason"] == "Calibration"
                }),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            format!("/api/evaluations/{own_evaluation}"),
            Some(json!({ "content": {}, "reason": "" })),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_input"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_input"),
                forbidden(),
                forbidden(),
            ],
        ),
    ];
    list.extend(calibration_cases());
    // Recordings: any call for those who browse calls; for an agent, their own call only, and
    // someone else's answers exactly as a missing one.
    let mut recording = |call: &Call, agent: Expect| {
        let mut c = case(
            Method::GET,
            format!("/api/calls/{}/recording", call.id),
            None,
            [
                ok(S::PARTIAL_CONTENT, |_| true),
                ok(S::PARTIAL_CONTENT, |_| true),
                ok(S::PARTIAL_CONTENT, |_| true),
                agent,
            ],
        );
        c.range = true;
        list.push(c);
    };
    recording(&f.own_call, ok(S::PARTIAL_CONTENT, |_| true));
    recording(&f.other_call, not_found());
    list
}

/// The demo's open blind session (6), waiting for reviewer1: lead1 runs it, reviewers 1–3 and
/// lead2 score. Session 5 is reviewer3's and reviewer4's, not reviewer1's; session 4 is revealed.
fn calibration_cases() -> Vec<Case> {
    use StatusCode as S;
    let forbidden = || refused(S::FORBIDDEN, "forbidden");
    let not_found = || refused(S::NOT_FOUND, "not_found");
    let not_a_scorer = || refused(S::FORBIDDEN, "not_a_scorer");
    let data = &demo().0;
    let open = data
        .calibration
        .sessions
        .iter()
        .find(|s| s.id == 6)
        .unwrap();
    let call = open.call_ids[0];
    let overdue_call = data
        .calibration
        .sessions
        .iter()
        .find(|s| s.id == 5)
        .unwrap()
        .call_ids[0];
    let version = data.scorecards.version(open.scorecard_version_id).unwrap();
    let answers: kappa_domain::scorecard::Answers = version
        .definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| (c.key.clone(), c.answer_type.best()))
        .collect();
    let draft = json!({ "scorecard_version_id": version.id, "content": { "answers": {} }, "base_revision": 0 });
    let blind = |v: &Value| {
        v["scores"].as_array().is_some_and(Vec::is_empty)
            && v["report"].is_null()
            && v["progress"].as_array().is_some_and(|p| {
                p.iter()
                    .any(|x| !x["submitted"].as_array().unwrap().is_empty())
            })
    };
    vec![
        case(
            Method::GET,
            "/api/calibration",
            None,
            [
                ok(S::OK, |v| v.as_array().is_some_and(|l| l.len() == 6)),
                ok(S::OK, |v| {
                    v.as_array()
                        .is_some_and(|l| l.len() == 6 && l[0]["revealed_at"].is_null())
                }),
                ok(S::OK, |v| {
                    v.as_array().is_some_and(|l| {
                        l.len() == 5 && l.iter().any(|s| s["id"] == 6 && s["mine_open"] == 3)
                    })
                }),
                forbidden(),
            ],
        ),
        // Blind: before the reveal nobody reads another's answers, the lead running it included.
        case(
            Method::GET,
            "/api/calibration/6",
            None,
            [
                ok(S::OK, blind),
                ok(S::OK, move |v| blind(v) && v["leads"] == true),
                ok(S::OK, move |v| {
                    blind(v) && v["is_scorer"] == true && v["leads"] == false
                }),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/calibration/5",
            None,
            [
                ok(S::OK, |v| v["status"] == "overdue"),
                ok(S::OK, |v| v["session"]["visibility"] == "after_submit"),
                not_found(),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/calibration/4",
            None,
            [
                ok(S::OK, |v| {
                    v["status"] == "revealed" && v["report"]["criteria"].is_array()
                }),
                ok(S::OK, |v| v["report"]["totals"]["icc"].is_object()),
                ok(S::OK, |v| {
                    v["scores"].as_array().is_some_and(|s| s.len() == 15)
                }),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            "/api/calibration/999",
            None,
            [not_found(), not_found(), not_found(), forbidden()],
        ),
        case(
            Method::GET,
            "/api/calibration/history",
            None,
            [
                ok(S::OK, |v| v.as_array().is_some_and(|l| l.len() == 15)),
                ok(S::OK, |v| {
                    v.as_array()
                        .is_some_and(|l| l.iter().any(|p| p["user_id"] == 7))
                }),
                ok(S::OK, |v| {
                    v.as_array()
                        .is_some_and(|l| l.len() == 4 && l.iter().all(|p| p["user_id"] == 4))
                }),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            format!("/api/calls/{call}/review?calibration=6"),
            None,
            [
                not_a_scorer(),
                not_a_scorer(),
                ok(S::OK, move |v| {
                    v["version"]["id"] == version.id && v["draft"].is_null()
                }),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            format!("/api/drafts/{call}?calibration=6"),
            Some(draft),
            [
                not_a_scorer(),
                not_a_scorer(),
                ok(S::OK, |v| v["revision"] == 1 && v["calibration_id"] == 6),
                forbidden(),
            ],
        ),
        case(
            Method::GET,
            format!("/api/drafts/{call}?calibration=6"),
            None,
            [
                not_a_scorer(),
                not_a_scorer(),
                ok(S::OK, |v| v["revision"] == 1 && v["calibration_id"] == 6),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/calibration/6/scores",
            Some(json!({})),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/calibration/6/scores",
            Some(json!({ "call_id": call, "answers": answers })),
            [
                not_a_scorer(),
                not_a_scorer(),
                ok(S::CREATED, |v| v["user_id"] == 4 && v["late"] == false),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/calibration/5/scores",
            Some(json!({ "call_id": overdue_call, "answers": {} })),
            [not_a_scorer(), not_a_scorer(), not_found(), forbidden()],
        ),
        case(
            Method::PUT,
            "/api/calibration/4/consensus",
            Some(json!({})),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::PUT,
            "/api/calibration/6/consensus",
            Some(json!({ "answers": [] })),
            [
                refused(S::CONFLICT, "not_revealed"),
                refused(S::CONFLICT, "not_revealed"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/calibration/6/reveal",
            None,
            [
                ok(S::OK, |v| {
                    v["status"] == "revealed" && v["report"]["reference"] == "calibrator"
                }),
                ok(S::OK, |v| {
                    v["scores"].as_array().is_some_and(|s| s.len() >= 6)
                }),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/calibration",
            Some(json!({})),
            [
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                refused(S::UNPROCESSABLE_ENTITY, "invalid_json_data"),
                forbidden(),
                forbidden(),
            ],
        ),
        case(
            Method::POST,
            "/api/calibration",
            Some(
                json!({ "title": "Matrix", "scorecard_version_id": version.id, "call_ids": [call], "participants": [4, 5], "deadline": kappa_domain::time::stamp(chrono::Utc::now().naive_utc() + chrono::Duration::days(30)), "visibility": "blind" }),
            ),
            [
                ok(S::CREATED, |v| v["id"] == 7 && v["revealed_at"].is_null()),
                ok(S::CREATED, |v| {
                    v["created_by"] == 2 && v["participants"] == serde_json::json!([4, 5])
                }),
                forbidden(),
                forbidden(),
            ],
        ),
    ]
}

async fn run(t: &TestApp, session: &str, c: &Case) -> common::Answer {
    let mut req = Request::builder()
        .method(c.method.clone())
        .uri(&c.path)
        .header(header::COOKIE, session);
    if c.range {
        req = req.header(header::RANGE, "bytes=0-99");
    }
    let req = match &c.body {
        Some(body) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(body.clone())),
        None => req.body(axum::body::Body::empty()),
    };
    t.request(req.unwrap()).await
}

#[tokio::test]
async fn every_route_for_every_role_with_own_and_other_data() {
    let f = fixture();
    let missing_evaluation = {
        let t = test_app();
        let session = t.login(&f.agent).await;
        t.get("/api/evaluations/999999", &session).await.text
    };
    for (i, (role, username)) in [
        (Role::Admin, "admin"),
        (Role::Lead, "lead1"),
        (Role::Reviewer, "reviewer1"),
        (Role::Agent, "agent"),
    ]
    .into_iter()
    .enumerate()
    {
        let username: &'static str = if role == Role::Agent {
            Box::leak(f.agent.clone().into_boxed_str())
        } else {
            username
        };
        let t = test_app();
        // Scorecard 3: a draft nobody has published, with row id 4.
        let admin = t.login("admin").await;
        assert_eq!(
            t.send(
                Method::POST,
                "/api/scorecards",
                Some(&admin),
                Some(&sample_scorecard("Matrix").to_string())
            )
            .await
            .status,
            StatusCode::CREATED
        );
        // Import 4: lead2's file, which no other lead sees.
        let lead2 = t.login("lead2").await;
        let staged = t
            .send(
                Method::POST,
                "/api/imports?name=lead2.csv",
                Some(&lead2),
                Some("id,agent\n1,1001\n"),
            )
            .await;
        assert_eq!(staged.status, StatusCode::CREATED, "{}", staged.text);
        let session = t.login(username).await;
        for c in cases(&f, username) {
            let res = run(&t, &session, &c).await;
            let at = format!("{username} {} {}", c.method, c.path);
            match &c.expect[i] {
                Expect::Ok(status, check) => {
                    assert_eq!(res.status, *status, "{at}: {}", res.text);
                    if *status == StatusCode::PARTIAL_CONTENT {
                        assert_eq!(
                            res.headers[header::CONTENT_RANGE]
                                .to_str()
                                .unwrap()
                                .split('/')
                                .next(),
                            Some("bytes 0-99"),
                            "{at}"
                        );
                        assert_eq!(
                            res.headers[header::CONTENT_LENGTH],
                            "100",
                            "{at}: a hundred bytes of audio"
                        );
                        assert_eq!(res.headers[header::CONTENT_TYPE], "audio/ogg", "{at}");
                    } else if *status != StatusCode::NO_CONTENT {
                        assert!(check(&res.json()), "{at}: unexpected body {}", res.text);
                    }
                }
                Expect::Refused(status, code) => {
                    common::assert_error(&res, *status, code);
                    if *status == StatusCode::NOT_FOUND && c.path.starts_with("/api/evaluations/") {
                        assert_eq!(
                            res.text, missing_evaluation,
                            "{at}: another's record answers as a missing one"
                        );
                    }
                    if *code == "forbidden" {
                        assert!(
                            !res.text.contains("missing field"),
                            "{at}: a refused role learns nothing of the body's schema"
                        );
                    }
                }
            }
            assert_eq!(res.headers[header::CACHE_CONTROL], "no-store", "{at}");
        }
        // Signed out, every route but the public ones answers 401 and nothing else.
        for c in cases(&f, username) {
            let mut req = Request::builder().method(c.method.clone()).uri(&c.path);
            if let Some(body) = &c.body {
                req = req.header(header::CONTENT_TYPE, "application/json");
                let res = t
                    .request(req.body(axum::body::Body::from(body.clone())).unwrap())
                    .await;
                common::assert_error(&res, StatusCode::UNAUTHORIZED, "unauthorized");
            } else if c.path != "/api/session" {
                let res = t
                    .request(req.body(axum::body::Body::empty()).unwrap())
                    .await;
                common::assert_error(&res, StatusCode::UNAUTHORIZED, "unauthorized");
            }
        }
    }
}
