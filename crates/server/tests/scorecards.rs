//! Scorecard versioning through the API: drafts, publishing, stale saves, pinned versions.

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_error, sample_scorecard, test_app, TestApp};
use serde_json::{json, Value};

async fn create(t: &TestApp, session: &str, name: &str) -> Value {
    let res = t
        .send(
            Method::POST,
            "/api/scorecards",
            Some(session),
            Some(&sample_scorecard(name).to_string()),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    res.json()
}

async fn save(
    t: &TestApp,
    session: &str,
    id: u64,
    lock: u64,
    definition: &Value,
) -> common::Answer {
    let body = json!({ "lock_version": lock, "definition": definition }).to_string();
    t.send(
        Method::PUT,
        &format!("/api/scorecards/{id}/draft"),
        Some(session),
        Some(&body),
    )
    .await
}

async fn publish(t: &TestApp, session: &str, id: u64, lock: u64) -> common::Answer {
    t.send(
        Method::POST,
        &format!("/api/scorecards/{id}/publish"),
        Some(session),
        Some(&json!({ "lock_version": lock }).to_string()),
    )
    .await
}

#[tokio::test]
async fn the_demo_ships_both_starter_templates_with_history() {
    let t = test_app();
    let reviewer = t.login("reviewer1").await;
    let list = t.get("/api/scorecards", &reviewer).await.json();
    let summary: Vec<(String, u64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"]["zh"].as_str().unwrap().to_string(),
                s["published_version"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("客户服务通话".to_string(), 2),
            ("销售与挽留通话".to_string(), 1)
        ]
    );
    let detail = t
        .get(&format!("/api/scorecards/{}", list[0]["id"]), &reviewer)
        .await
        .json();
    let v1 = t
        .get(
            &format!("/api/scorecard-versions/{}", detail["versions"][1]["id"]),
            &reviewer,
        )
        .await
        .json();
    assert_eq!(
        v1["definition"]["sections"][4]["weight"], 20.0,
        "version 1 weighted resolution lower"
    );

    // The static fixtures number scorecards and versions exactly as the seeded database does.
    let library = &common::demo().0.scorecards;
    let served: Vec<kappa_domain::scorecard::ScorecardSummary> =
        serde_json::from_str(&t.get("/api/scorecards", &reviewer).await.text).unwrap();
    let reviewer_user = common::demo()
        .0
        .users
        .iter()
        .find(|u| u.username == "reviewer1")
        .unwrap();
    assert_eq!(
        served,
        kappa_domain::workflow::scorecards(&common::memory_store(), reviewer_user).unwrap()
    );
    assert!(
        served.iter().all(|s| s.evaluations > 100),
        "both starters have history"
    );
    for card in &library.cards {
        let served: kappa_domain::scorecard::ScorecardDetail = serde_json::from_str(
            &t.get(&format!("/api/scorecards/{}", card.id), &reviewer)
                .await
                .text,
        )
        .unwrap();
        assert_eq!(
            served,
            kappa_domain::workflow::scorecard(&common::memory_store(), reviewer_user, card.id)
                .unwrap()
        );
        assert_eq!(
            (&served.versions, served.draft.is_none()),
            (&card.versions, true)
        );
    }
    for version in &library.versions {
        let served: kappa_domain::scorecard::ScorecardVersion = serde_json::from_str(
            &t.get(
                &format!("/api/scorecard-versions/{}", version.id),
                &reviewer,
            )
            .await
            .text,
        )
        .unwrap();
        assert_eq!(&served, version);
    }
}

#[tokio::test]
async fn draft_publish_edit_publish_keeps_every_version() {
    let t = test_app();
    let admin = t.login("admin").await;
    let card = create(&t, &admin, "Service call").await;
    let id = card["id"].as_u64().unwrap();
    assert_eq!(card["draft"]["version"], 1);
    assert_eq!(card["draft"]["lock_version"], 1);

    let v1 = publish(&t, &admin, id, 1).await.json();
    assert!(v1["draft"].is_null());
    let v1_id = v1["versions"][0]["id"].as_u64().unwrap();

    // Editing a published scorecard starts a new draft at the next version; the lock goes on.
    let mut edited = sample_scorecard("Service call");
    edited["sections"][1]["weight"] = json!(50.0);
    assert_eq!(v1["lock_version"], 1);
    let draft = save(&t, &admin, id, 1, &edited).await.json();
    assert_eq!(draft["draft"]["version"], 2);
    let v2 = publish(
        &t,
        &admin,
        id,
        draft["draft"]["lock_version"].as_u64().unwrap(),
    )
    .await
    .json();
    let versions: Vec<u64> = v2["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_u64().unwrap())
        .collect();
    assert_eq!(versions, vec![2, 1]);

    let old = t
        .get(&format!("/api/scorecard-versions/{v1_id}"), &admin)
        .await
        .json();
    assert_eq!(old["version"], 1);
    assert_eq!(
        old["definition"]["sections"][1]["weight"], 70.0,
        "version 1 is frozen as published"
    );
}

#[tokio::test]
async fn a_stale_save_is_refused_with_409_and_overwrites_nothing() {
    let t = test_app();
    let admin = t.login("admin").await;
    let id = create(&t, &admin, "Sales").await["id"].as_u64().unwrap();
    let mut first = sample_scorecard("Sales");
    first["pass_mark"] = json!(70.0);
    assert_eq!(save(&t, &admin, id, 1, &first).await.status, StatusCode::OK);
    let mut second = sample_scorecard("Sales");
    second["pass_mark"] = json!(90.0);
    let res = save(&t, &admin, id, 1, &second).await;
    assert_error(&res, StatusCode::CONFLICT, "stale_draft");
    assert!(res.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("nothing was overwritten"));
    let now = t.get(&format!("/api/scorecards/{id}"), &admin).await.json();
    assert_eq!(now["draft"]["definition"]["pass_mark"], 70.0);
    assert_error(
        &publish(&t, &admin, id, 1).await,
        StatusCode::CONFLICT,
        "stale_draft",
    );

    // Publishing does not reset the lock: an editor who opened the card before someone else
    // saved and published cannot quietly revert their changes.
    assert_eq!(publish(&t, &admin, id, 2).await.status, StatusCode::OK);
    let lead = t.login("lead1").await;
    assert_error(
        &save(&t, &lead, id, 1, &second).await,
        StatusCode::CONFLICT,
        "stale_draft",
    );
    assert_eq!(
        save(&t, &lead, id, 2, &second).await.json()["draft"]["version"],
        2,
        "leads edit scorecards too"
    );
}

#[tokio::test]
async fn invalid_scorecards_name_every_broken_place_and_lose_nothing() {
    let t = test_app();
    let admin = t.login("admin").await;
    let mut bad = sample_scorecard("Broken");
    bad["sections"][0]["weight"] = json!(-1.0);
    bad["sections"][1]["criteria"] = json!([]);
    // A draft may be saved while invalid (work in progress) ...
    let id = create(&t, &admin, "Work in progress").await["id"]
        .as_u64()
        .unwrap();
    assert_eq!(save(&t, &admin, id, 1, &bad).await.status, StatusCode::OK);
    // ... but publishing names every broken place and keeps the draft as it was.
    let res = publish(&t, &admin, id, 2).await;
    assert_error(&res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_document");
    let problems = &res.json()["error"]["paths"];
    let paths: Vec<&str> = problems
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["sections[0].weight", "sections[1].criteria"]);
    assert_eq!(
        problems[0]["problem"]["code"], "negative_weight",
        "a code the app translates"
    );
    assert_eq!(problems[0]["reason"], "must be 0 or more");
    let kept = t.get(&format!("/api/scorecards/{id}"), &admin).await.json();
    assert_eq!(kept["draft"]["lock_version"], 2);
    assert_eq!(
        kept["draft"]["definition"]["sections"][0]["weight"], -1.0,
        "the draft is kept as saved"
    );
}

/// Answers for every criterion of `sample_scorecard`, `fix` being scored out of 10.
fn sample_answers(fix: Value) -> Value {
    json!({ "greet": "yes", "verify": "yes", "fix": fix })
}

async fn submit(
    t: &TestApp,
    session: &str,
    call: u64,
    version: u64,
    answers: Value,
) -> common::Answer {
    let body =
        json!({ "call_id": call, "scorecard_version_id": version, "answers": answers }).to_string();
    t.send(Method::POST, "/api/evaluations", Some(session), Some(&body))
        .await
}

#[tokio::test]
async fn evaluations_keep_the_version_they_were_scored_with() {
    let t = test_app();
    let admin = t.login("admin").await;
    let reviewer = t.login("reviewer1").await;
    let id = create(&t, &admin, "Pinned").await["id"].as_u64().unwrap();
    let v1_id = publish(&t, &admin, id, 1).await.json()["versions"][0]["id"]
        .as_u64()
        .unwrap();
    // greet 1/1 + verify 1/1 in Opening (30), fix 7/10 in Resolution (70):
    // 30 × 2/2 + 70 × 7/10 = 30 + 49 = 79 of 100, under the pass mark of 80.
    let res = submit(
        &t,
        &reviewer,
        1,
        v1_id,
        sample_answers(json!({ "points": 7 })),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let evaluation = res.json()["evaluation"].clone();
    assert_eq!(
        (evaluation["score"].as_f64().unwrap(), &evaluation["passed"]),
        (79.0, &json!(false))
    );

    let mut edited = sample_scorecard("Pinned");
    edited["pass_mark"] = json!(60.0);
    edited["sections"][1]["weight"] = json!(30.0);
    let lock = save(&t, &admin, id, 1, &edited).await.json()["draft"]["lock_version"]
        .as_u64()
        .unwrap();
    publish(&t, &admin, id, lock).await;

    // Read back by its agent: still version 1, still 79 and failed, as submitted.
    let agent_id = evaluation["agent_id"].as_u64().unwrap();
    let agent_name: String =
        t.db.with(move |c| {
            Ok(c.query_row(
                "SELECT username FROM users WHERE id = ?1",
                [agent_id],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let agent = t.login(&agent_name).await;
    let detail = t
        .get(&format!("/api/evaluations/{}", evaluation["id"]), &agent)
        .await
        .json();
    assert_eq!(detail["version"]["version"], 1);
    assert_eq!(detail["version"]["definition"]["pass_mark"], 80.0);
    assert_eq!(detail["evaluation"]["score"], 79.0);
    assert_eq!(
        detail["evaluation"]["answers"]["fix"],
        json!({ "points": 7 })
    );
    let listed = t.get("/api/calls/1", &reviewer).await.json()["evaluations"].clone();
    assert_eq!(listed[0]["id"], evaluation["id"]);
    assert_eq!(listed[0]["version"], 1);
}

#[tokio::test]
async fn submissions_must_be_complete_and_use_a_published_live_version() {
    let t = test_app();
    let admin = t.login("admin").await;
    let reviewer = t.login("reviewer1").await;
    let id = create(&t, &admin, "Rules").await["id"].as_u64().unwrap();
    let draft_id = t.get(&format!("/api/scorecards/{id}"), &admin).await.json()["draft"]["id"]
        .as_u64()
        .unwrap();
    // A reviewer cannot learn that a draft exists; an editor is told why it cannot be used.
    assert_error(
        &submit(
            &t,
            &reviewer,
            1,
            draft_id,
            sample_answers(json!("not_applicable")),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &submit(
            &t,
            &admin,
            1,
            draft_id,
            sample_answers(json!("not_applicable")),
        )
        .await,
        StatusCode::CONFLICT,
        "draft_version",
    );
    let v1 = publish(&t, &admin, id, 1).await.json()["versions"][0]["id"]
        .as_u64()
        .unwrap();
    let res = submit(&t, &reviewer, 1, v1, json!({ "greet": "yes" })).await;
    assert_error(
        &res,
        StatusCode::UNPROCESSABLE_ENTITY,
        "incomplete_evaluation",
    );
    assert!(res.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("verify, fix"));
    assert_error(
        &submit(
            &t,
            &reviewer,
            1,
            v1,
            sample_answers(json!({ "points": 11 })),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "answer_does_not_fit",
    );
    let mut stray = sample_answers(json!({ "points": 1 }));
    stray["not_on_this_card"] = json!("yes");
    assert_error(
        &submit(&t, &reviewer, 1, v1, stray).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_criteria",
    );
    let agent = t.login("agent1").await;
    assert_error(
        &submit(&t, &agent, 1, v1, sample_answers(json!({ "points": 1 }))).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    t.send(
        Method::POST,
        &format!("/api/scorecards/{id}/archive"),
        Some(&admin),
        Some(r#"{"archived":true}"#),
    )
    .await;
    assert_error(
        &submit(&t, &reviewer, 1, v1, sample_answers(json!({ "points": 1 }))).await,
        StatusCode::CONFLICT,
        "archived",
    );
    // N/A on `fix` leaves Opening alone: 2/2, 100 %, and the auto-fail rule still applies.
    let evaluations: i64 =
        t.db.with(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM evaluations WHERE scorecard_version_id = ?1",
                [v1],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(evaluations, 0, "no refused submission left anything behind");
}

#[tokio::test]
async fn seeded_evaluations_match_the_fixtures_and_agents_read_only_their_own() {
    let t = test_app();
    let reviewer = t.login("reviewer1").await;
    let demo = &common::demo().0;
    for e in demo.evaluations.iter().step_by(97) {
        let served: kappa_domain::evaluation::EvaluationDetail = serde_json::from_str(
            &t.get(&format!("/api/evaluations/{}", e.id), &reviewer)
                .await
                .text,
        )
        .unwrap();
        assert_eq!(&served.evaluation, e);
        assert_eq!(served.version.id, e.scorecard_version_id);
        let rescored =
            kappa_domain::evaluation::grade(&served.version, &served.evaluation.answers).unwrap();
        assert_eq!(rescored.score, e.score);
    }
    let agent1 = demo
        .users
        .iter()
        .find(|u| u.username == "agent1")
        .unwrap()
        .id;
    let own = demo
        .evaluations
        .iter()
        .find(|e| e.agent_id == agent1)
        .unwrap();
    let other = demo
        .evaluations
        .iter()
        .find(|e| e.agent_id != agent1)
        .unwrap();
    let agent = t.login("agent1").await;
    assert_eq!(
        t.get(&format!("/api/evaluations/{}", own.id), &agent)
            .await
            .status,
        StatusCode::OK
    );
    // Another agent's evaluation answers exactly as a missing one: no existence oracle.
    let others = t
        .get(&format!("/api/evaluations/{}", other.id), &agent)
        .await;
    assert_error(&others, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        others.text,
        t.get("/api/evaluations/99999", &agent).await.text
    );
    assert_error(
        &t.get("/api/evaluations/99999", &reviewer).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    // Agents read their pinned version inside their evaluation, never scorecard versions or drafts.
    assert_error(
        &t.get(
            &format!("/api/scorecard-versions/{}", own.scorecard_version_id),
            &agent,
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let admin = t.login("admin").await;
    let draft = t
        .send(
            Method::POST,
            "/api/scorecards",
            Some(&admin),
            Some(&sample_scorecard("Draft").to_string()),
        )
        .await
        .json()["draft"]["id"]
        .clone();
    assert_error(
        &t.get(&format!("/api/scorecard-versions/{draft}"), &reviewer)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_eq!(
        t.get(&format!("/api/scorecard-versions/{draft}"), &admin)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn archived_scorecards_stay_readable_but_not_editable() {
    let t = test_app();
    let admin = t.login("admin").await;
    let id = create(&t, &admin, "Old").await["id"].as_u64().unwrap();
    assert_eq!(publish(&t, &admin, id, 1).await.status, StatusCode::OK);
    let res = t
        .send(
            Method::POST,
            &format!("/api/scorecards/{id}/archive"),
            Some(&admin),
            Some(r#"{"archived":true}"#),
        )
        .await;
    assert_eq!(res.json()["archived"], true);
    assert_error(
        &save(&t, &admin, id, 1, &sample_scorecard("Old")).await,
        StatusCode::CONFLICT,
        "archived",
    );
    let reviewer = t.login("reviewer1").await;
    let seen = t
        .get(&format!("/api/scorecards/{id}"), &reviewer)
        .await
        .json();
    assert_eq!(
        (seen["name"]["en"].as_str(), seen["archived"].as_bool()),
        (Some("Old"), Some(true)),
        "published and archived, it stays readable"
    );
}
