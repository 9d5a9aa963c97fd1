//! Scorecard versioning through the API: drafts, publishing, stale saves, pinned versions.

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_error, sample_scorecard, test_app, TestApp};
use serde_json::{json, Value};

async fn create(t: &TestApp, session: &str, name: &str) -> Value {
    let res = t.send(Method::POST, "/api/scorecards", Some(session), Some(&sample_scorecard(name).to_string())).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    res.json()
}

async fn save(t: &TestApp, session: &str, id: u64, lock: u64, definition: &Value) -> common::Answer {
    let body = json!({ "lock_version": lock, "definition": definition }).to_string();
    t.send(Method::PUT, &format!("/api/scorecards/{id}/draft"), Some(session), Some(&body)).await
}

async fn publish(t: &TestApp, session: &str, id: u64, lock: u64) -> common::Answer {
    t.send(Method::POST, &format!("/api/scorecards/{id}/publish"), Some(session), Some(&json!({ "lock_version": lock }).to_string())).await
}

#[tokio::test]
async fn the_demo_ships_both_starter_templates_with_history() {
    let t = test_app();
    let reviewer = t.login("reviewer1").await;
    let list = t.get("/api/scorecards", &reviewer).await.json();
    let summary: Vec<(String, u64)> = list.as_array().unwrap().iter().map(|s| (s["name"]["zh"].as_str().unwrap().to_string(), s["published_version"].as_u64().unwrap())).collect();
    assert_eq!(summary, vec![("客户服务通话".to_string(), 2), ("销售与挽留通话".to_string(), 1)]);
    let detail = t.get(&format!("/api/scorecards/{}", list[0]["id"]), &reviewer).await.json();
    let v1 = t.get(&format!("/api/scorecard-versions/{}", detail["versions"][1]["id"]), &reviewer).await.json();
    assert_eq!(v1["definition"]["sections"][4]["weight"], 20.0, "version 1 weighted resolution lower");

    // The static fixtures number scorecards and versions exactly as the seeded database does.
    let (fixtures, fixture_versions) = kappa_demo::templates::as_published(&common::demo().0.scorecards);
    let served: Vec<kappa_domain::scorecard::ScorecardSummary> = serde_json::from_str(&t.get("/api/scorecards", &reviewer).await.text).unwrap();
    assert_eq!(served, fixtures.iter().map(|d| d.summary()).collect::<Vec<_>>());
    for card in &fixtures {
        let served: kappa_domain::scorecard::ScorecardDetail = serde_json::from_str(&t.get(&format!("/api/scorecards/{}", card.id), &reviewer).await.text).unwrap();
        assert_eq!(&served, card);
    }
    for version in &fixture_versions {
        let served: kappa_domain::scorecard::ScorecardVersion = serde_json::from_str(&t.get(&format!("/api/scorecard-versions/{}", version.id), &reviewer).await.text).unwrap();
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

    // Editing a published scorecard starts a new draft at the next version.
    let mut edited = sample_scorecard("Service call");
    edited["sections"][1]["weight"] = json!(50.0);
    let draft = save(&t, &admin, id, 0, &edited).await.json();
    assert_eq!(draft["draft"]["version"], 2);
    let v2 = publish(&t, &admin, id, draft["draft"]["lock_version"].as_u64().unwrap()).await.json();
    let versions: Vec<u64> = v2["versions"].as_array().unwrap().iter().map(|v| v["version"].as_u64().unwrap()).collect();
    assert_eq!(versions, vec![2, 1]);

    let old = t.get(&format!("/api/scorecard-versions/{v1_id}"), &admin).await.json();
    assert_eq!(old["version"], 1);
    assert_eq!(old["definition"]["sections"][1]["weight"], 70.0, "version 1 is frozen as published");
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
    assert!(res.json()["error"]["message"].as_str().unwrap().contains("nothing was overwritten"));
    let now = t.get(&format!("/api/scorecards/{id}"), &admin).await.json();
    assert_eq!(now["draft"]["definition"]["pass_mark"], 70.0);
    assert_error(&publish(&t, &admin, id, 1).await, StatusCode::CONFLICT, "stale_draft");
}

#[tokio::test]
async fn invalid_scorecards_name_every_broken_place() {
    let t = test_app();
    let admin = t.login("admin").await;
    let mut bad = sample_scorecard("Broken");
    bad["sections"][0]["weight"] = json!(-1.0);
    bad["sections"][1]["criteria"] = json!([]);
    let res = t.send(Method::POST, "/api/scorecards", Some(&admin), Some(&bad.to_string())).await;
    assert_error(&res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_document");
    let paths: Vec<String> = res.json()["error"]["paths"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(paths, vec!["sections[0].weight", "sections[1].criteria"]);
    let listed = t.get("/api/scorecards", &admin).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 2, "nothing was saved beside the two seeded templates");

    // A draft may be saved while invalid, but it cannot be published.
    let id = create(&t, &admin, "Work in progress").await["id"].as_u64().unwrap();
    assert_eq!(save(&t, &admin, id, 1, &bad).await.status, StatusCode::OK);
    assert_error(&publish(&t, &admin, id, 2).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_document");
}

#[tokio::test]
async fn evaluations_keep_the_version_they_were_scored_with() {
    let t = test_app();
    let admin = t.login("admin").await;
    let id = create(&t, &admin, "Pinned").await["id"].as_u64().unwrap();
    let v1_id = publish(&t, &admin, id, 1).await.json()["versions"][0]["id"].as_u64().unwrap();
    t.db.with(|c| {
        c.execute(
            "INSERT INTO evaluations (call_id, scorecard_version_id, reviewer_id, agent_id, status, created_at) VALUES (1, ?1, 4, 8, 'submitted', '2026-11-01T10:00:00')",
            [v1_id],
        )?;
        Ok(())
    })
    .unwrap();
    let mut edited = sample_scorecard("Pinned");
    edited["pass_mark"] = json!(60.0);
    let lock = save(&t, &admin, id, 0, &edited).await.json()["draft"]["lock_version"].as_u64().unwrap();
    publish(&t, &admin, id, lock).await;
    let pinned: u64 = t.db.with(|c| Ok(c.query_row("SELECT scorecard_version_id FROM evaluations", [], |r| r.get(0))?)).unwrap();
    assert_eq!(pinned, v1_id);
    let agent = t.login("agent1").await;
    let version = t.get(&format!("/api/scorecard-versions/{pinned}"), &agent).await.json();
    assert_eq!(version["definition"]["pass_mark"], 80.0, "the evaluation still reads version 1");
}

#[tokio::test]
async fn archived_scorecards_stay_readable_but_not_editable() {
    let t = test_app();
    let admin = t.login("admin").await;
    let id = create(&t, &admin, "Old").await["id"].as_u64().unwrap();
    let res = t.send(Method::POST, &format!("/api/scorecards/{id}/archive"), Some(&admin), Some(r#"{"archived":true}"#)).await;
    assert_eq!(res.json()["archived"], true);
    assert_error(&save(&t, &admin, id, 1, &sample_scorecard("Old")).await, StatusCode::CONFLICT, "archived");
    let reviewer = t.login("reviewer1").await;
    assert_eq!(t.get(&format!("/api/scorecards/{id}"), &reviewer).await.json()["name"]["en"], "Old");
}
