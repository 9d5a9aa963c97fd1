//! The API driven through `app()` with `tower::ServiceExt::oneshot`, against a real SQLite file
//! seeded with the demo centre.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{assert_error, demo, test_app, TestApp};
use kappa_domain::{Call, CallQuery, Page};
use kappa_server::store::sql::Arg;
use kappa_server::{db, Db};
use tower::ServiceExt;

#[tokio::test]
async fn health_is_public_and_counts_the_calls() {
    let t = test_app();
    let res = t.send(Method::GET, "/api/health", None, None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["status"], "ok");
    assert_eq!(res.json()["calls"], demo().0.calls.len());
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_me_answers() {
    let t = test_app();
    let res = t
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(r#"{"username":"reviewer1","password":"demo"}"#),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let cookie = res.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("kappa_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert_eq!(res.json()["role"], "reviewer");
    let shouted = t
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(r#"{"username":" Reviewer1 ","password":"demo"}"#),
        )
        .await;
    assert_eq!(
        shouted.json()["username"],
        "reviewer1",
        "usernames are unique regardless of case, and sign in so"
    );
    let session = cookie.split(';').next().unwrap();
    let me = t.get("/api/me", session).await;
    assert_eq!(me.json()["username"], "reviewer1");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let t = test_app();
    let wrong = t
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(r#"{"username":"admin","password":"nope"}"#),
        )
        .await;
    let unknown = t
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(r#"{"username":"nobody","password":"demo"}"#),
        )
        .await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_eq!(wrong.text, unknown.text, "no user enumeration");
    assert!(!wrong.headers.contains_key(header::SET_COOKIE));
    let failures: i64 = t.value(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'",
        &[],
    );
    assert_eq!(failures, 2);
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let t = test_app();
    let session = t.login("lead1").await;
    let out = t
        .send(Method::POST, "/api/auth/logout", Some(&session), None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_error(
        &t.get("/api/me", &session).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
}

#[tokio::test]
async fn a_forged_or_missing_cookie_is_unauthorized() {
    let t = test_app();
    assert_error(
        &t.get("/api/me", "kappa_session=forged").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    assert_error(
        &t.send(Method::GET, "/api/calls", None, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
}

async fn page(t: &TestApp, session: &str, qs: &str) -> Page<Call> {
    let res = t.get(&format!("/api/calls?{qs}"), session).await;
    assert_eq!(res.status, StatusCode::OK, "{qs}: {}", res.text);
    serde_json::from_str(&res.text).unwrap()
}

#[tokio::test]
async fn call_filters_in_sql_answer_exactly_as_the_domain_rules() {
    let t = test_app();
    let session = t.login("reviewer1").await;
    let calls = &demo().0.calls;
    for qs in [
        "",
        "page=3&size=50",
        "from=2026-10-01&to=2026-10-07",
        "team=2&complaint=yes&sort=duration&dir=asc",
        "agent=9&queue=changes",
        "direction=outbound&disposition=follow_up",
        "dur_min=600&dur_max=900&sort=csat",
        "csat_min=1&csat_max=2&sort=csat&dir=asc&size=200",
        "csat_min=4&team=3&from=2026-11-01&page=2&size=10",
        "complaint=no&queue=refunds&to=2026-09-15",
    ] {
        let (query, errors) = CallQuery::from_query_string(qs);
        assert!(errors.is_empty(), "{qs}");
        let expected = query.apply(calls);
        let got = page(&t, &session, qs).await;
        assert_eq!(got.total, expected.total, "{qs}");
        let ids = |p: &Page<Call>| p.items.iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(ids(&got), ids(&expected), "{qs}");
        assert_eq!(
            got.items, expected.items,
            "{qs}: rows read back as they were written"
        );
    }
}

#[tokio::test]
async fn paging_reports_the_total_and_stops_at_the_end() {
    let t = test_app();
    let session = t.login("lead1").await;
    let first = page(&t, &session, "size=100").await;
    assert_eq!(first.total as usize, demo().0.calls.len());
    assert_eq!(first.items.len(), 100);
    assert!(
        first
            .items
            .windows(2)
            .all(|w| w[0].started_at >= w[1].started_at),
        "newest first by default"
    );
    let past = page(
        &t,
        &session,
        &format!("size=100&page={}", first.page_count() + 1),
    )
    .await;
    assert!(past.items.is_empty());
}

#[tokio::test]
async fn invalid_filters_are_named_in_a_400() {
    let t = test_app();
    let session = t.login("reviewer1").await;
    let res = t
        .get("/api/calls?queue=Pizza!&csat_min=9&team=2", &session)
        .await;
    assert_error(&res, StatusCode::BAD_REQUEST, "invalid_query");
    let fields: Vec<_> = res.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, vec!["queue", "csat_min"]);
}

#[tokio::test]
async fn call_detail_carries_the_aligned_transcript() {
    let t = test_app();
    let session = t.login("reviewer2").await;
    let recorded = demo()
        .0
        .calls
        .iter()
        .find(|c| c.recording.is_some())
        .unwrap();
    let res = t
        .get(&format!("/api/calls/{}", recorded.id), &session)
        .await;
    let body = res.json();
    assert_eq!(
        body["call"]["recording"],
        recorded.recording.clone().unwrap()
    );
    assert!(body["transcript"].as_array().unwrap().len() >= 6);
    assert_error(
        &t.get("/api/calls/999999", &session).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &t.get("/api/calls/abc", &session).await,
        StatusCode::BAD_REQUEST,
        "invalid_path",
    );
}

#[tokio::test]
async fn malformed_json_gets_a_json_400() {
    let t = test_app();
    let res = t
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(r#"{"username": "admin", "#),
        )
        .await;
    assert_error(&res, StatusCode::BAD_REQUEST, "malformed_json");
    let res = t
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(r#"{"user": "admin"}"#),
        )
        .await;
    assert_error(&res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_json_data");
    let req = Request::post("/api/auth/login")
        .body(Body::from(r#"{"username":"admin","password":"demo"}"#))
        .unwrap();
    let res = t.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let t = test_app();
    let big = format!(
        r#"{{"username":"{}","password":"demo"}}"#,
        "x".repeat(kappa_server::error::BODY_LIMIT)
    );
    assert_error(
        &t.send(Method::POST, "/api/auth/login", None, Some(&big))
            .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );
}

#[tokio::test]
async fn unknown_api_routes_and_methods_answer_in_json() {
    let t = test_app();
    let session = t.login("admin").await;
    assert_error(
        &t.get("/api/nope", &session).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &t.send(Method::DELETE, "/api/calls", Some(&session), None)
            .await,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
}

#[tokio::test]
async fn deactivating_a_user_signs_them_out_and_blocks_sign_in() {
    let t = test_app();
    let admin = t.login("admin").await;
    let agent = t.login("agent1").await;
    let agent_id = demo()
        .0
        .users
        .iter()
        .find(|u| u.username == "agent1")
        .unwrap()
        .id;
    let res = t
        .send(
            Method::PATCH,
            &format!("/api/users/{agent_id}"),
            Some(&admin),
            Some(r#"{"active":false}"#),
        )
        .await;
    assert_eq!(res.json()["active"], false);
    assert_error(
        &t.get("/api/me", &agent).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    let again = t
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(r#"{"username":"agent1","password":"demo"}"#),
        )
        .await;
    assert_error(&again, StatusCode::UNAUTHORIZED, "invalid_credentials");
    let admin_id = demo()
        .0
        .users
        .iter()
        .find(|u| u.username == "admin")
        .unwrap()
        .id;
    let res = t
        .send(
            Method::PATCH,
            &format!("/api/users/{admin_id}"),
            Some(&admin),
            Some(r#"{"active":false}"#),
        )
        .await;
    assert_error(&res, StatusCode::CONFLICT, "cannot_deactivate_self");
    let audited: i64 = t.value(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'user_deactivated' AND entity_id = ?1",
        &[Arg::from(agent_id)],
    );
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn client_routes_fall_back_to_the_spa_and_config_says_server() {
    let t = test_app();
    for path in ["/", "/calls?team=2", "/no/such/page"] {
        let res = t.send(Method::GET, path, None, None).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert!(res.text.contains("kappa test index"), "{path}");
        // The page carries who is signed in (crates/server/src/boot.rs): never stored.
        assert_eq!(res.headers[header::CACHE_CONTROL], "no-store");
    }
    let config = t.send(Method::GET, "/config.json", None, None).await;
    assert_eq!(config.json()["mode"], "server");
    assert_eq!(config.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(config.headers[header::X_FRAME_OPTIONS], "DENY");
}

#[tokio::test]
async fn reopening_the_file_keeps_the_data_and_does_not_migrate_twice() {
    if common::on_postgres() {
        // About the SQLite file; PostgreSQL's migrations are held by its advisory lock.
        return;
    }
    let t = test_app();
    let path: String = t.db.with(|c| Ok(c.path().unwrap().to_string())).unwrap();
    let reopened = Db::open(std::path::Path::new(&path)).unwrap();
    let (version, calls): (i64, i64) = reopened
        .with(|c| {
            Ok((
                c.query_row("PRAGMA user_version", [], |r| r.get(0))?,
                c.query_row("SELECT COUNT(*) FROM calls", [], |r| r.get(0))?,
            ))
        })
        .unwrap();
    assert_eq!(
        version as usize,
        db::MIGRATIONS.len(),
        "every migration ran once"
    );
    assert_eq!(calls as usize, demo().0.calls.len());
    assert!(!reopened.with(|c| kappa_server::store::is_empty(c)).unwrap());
}

/// Krippendorff (2011), section C, through the API: four observers, twelve units, missing data.
const KRIPPENDORFF_2011: &str = "[[1,2,3,3,2,1,4,1,2,null,null,null],[1,2,3,3,2,2,4,1,2,5,null,3],[null,3,3,3,2,3,4,2,2,5,1,null],[1,2,3,3,2,4,4,1,2,5,1,null]]";

#[tokio::test]
async fn agreement_reproduces_the_published_alphas_for_anyone_signed_in() {
    let t = test_app();
    for (username, level, alpha) in [
        ("agent1", "nominal", 0.743),
        ("reviewer1", "ordinal", 0.815),
        ("lead1", "interval", 0.849),
        ("admin", "ratio", 0.797),
    ] {
        let session = t.login(username).await;
        let body = format!(r#"{{"level":"{level}","ratings":{KRIPPENDORFF_2011}}}"#);
        let res = t
            .send(Method::POST, "/api/agreement", Some(&session), Some(&body))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let json = res.json();
        assert!(
            (json["krippendorff_alpha"].as_f64().unwrap() - alpha).abs() < 0.0005,
            "{level}: {json}"
        );
        assert_eq!(
            (json["n_raters"].as_u64(), json["n_units"].as_u64()),
            (Some(4), Some(12))
        );
        let (low, high) = (
            json["krippendorff_alpha_ci95"][0].as_f64().unwrap(),
            json["krippendorff_alpha_ci95"][1].as_f64().unwrap(),
        );
        assert!(low < alpha && alpha < high, "{json}");
        // Missing ratings: κ and the ICCs are undefined, and say why; on numbers κ means
        // nothing whatever the data.
        assert!(
            json["fleiss_kappa"].is_null()
                && json["cohen_kappa"].is_null()
                && json["icc"].is_null(),
            "{json}"
        );
        let categorical = matches!(level, "nominal" | "ordinal");
        let (fleiss, cohen) = if categorical {
            ("missing_ratings", "not_two_raters")
        } else {
            ("not_at_this_level", "not_at_this_level")
        };
        assert_eq!(json["undefined"]["fleiss_kappa"], fleiss);
        assert_eq!(json["undefined"]["cohen_kappa"], cohen);
    }
    let anonymous = t
        .send(
            Method::POST,
            "/api/agreement",
            None,
            Some(&format!(
                r#"{{"level":"nominal","ratings":{KRIPPENDORFF_2011}}}"#
            )),
        )
        .await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn agreement_gives_every_icc_for_a_complete_matrix_and_kappa_for_categories() {
    let t = test_app();
    let session = t.login("reviewer2").await;
    // Shrout & Fleiss (1979): six targets, four judges, as ratings[judge][target].
    let body = r#"{"level":"interval","ratings":[[9,6,8,7,10,6],[2,1,4,1,5,2],[5,3,6,2,6,4],[8,2,8,6,9,7]]}"#;
    let json = t
        .send(Method::POST, "/api/agreement", Some(&session), Some(body))
        .await
        .json();
    for (form, expected) in [
        ("1,1", 0.17),
        ("2,1", 0.29),
        ("3,1", 0.71),
        ("1,k", 0.44),
        ("2,k", 0.62),
        ("3,k", 0.91),
    ] {
        assert!(
            (json["icc"][form].as_f64().unwrap() - expected).abs() < 0.005,
            "ICC({form}): {json}"
        );
    }
    assert_eq!(
        json["undefined"]["fleiss_kappa"], "not_at_this_level",
        "{json}"
    );
    let two = t
        .send(
            Method::POST,
            "/api/agreement",
            Some(&session),
            Some(r#"{"level":"nominal","ratings":[[1,1,0,0,1],[1,0,0,0,1]]}"#),
        )
        .await
        .json();
    assert!(
        two["cohen_kappa"].is_number() && two["fleiss_kappa"].is_number(),
        "{two}"
    );
}

#[tokio::test]
async fn bad_ratings_get_a_400_that_names_the_rater_and_unit() {
    let t = test_app();
    let session = t.login("agent2").await;
    let post = |body: &'static str| {
        let (t, session) = (&t, session.clone());
        async move {
            t.send(Method::POST, "/api/agreement", Some(&session), Some(body))
                .await
        }
    };
    let ragged = post(r#"{"level":"nominal","ratings":[[1,2,3],[1,2]]}"#).await;
    assert_error(&ragged, StatusCode::BAD_REQUEST, "invalid_json_data");
    assert!(
        ragged.text.contains("rater 2 has 2 values"),
        "{}",
        ragged.text
    );
    let one = post(r#"{"level":"nominal","ratings":[[1,2,3]]}"#).await;
    assert_error(&one, StatusCode::BAD_REQUEST, "invalid_json_data");
    assert!(one.text.contains("at least two raters"), "{}", one.text);
    let word = post(r#"{"level":"ordinal","ratings":[[1,2],[1,"good"]]}"#).await;
    assert_error(&word, StatusCode::BAD_REQUEST, "invalid_json_data");
    assert!(word.text.contains("rater 2, unit 2"), "{}", word.text);
    assert_error(
        &post(r#"{"level":"loud","ratings":[[1],[1]]}"#).await,
        StatusCode::BAD_REQUEST,
        "invalid_json_data",
    );
    assert_error(
        &post(r#"{"level":"nominal","ratings":{"a":[1]}}"#).await,
        StatusCode::BAD_REQUEST,
        "invalid_json_data",
    );
    let cells = kappa_domain::agreement::MAX_CELLS / 2 + 1;
    let big: &'static str = Box::leak(
        format!(
            r#"{{"level":"nominal","ratings":[{row},{row}]}}"#,
            row = format!("[{}]", vec!["1"; cells].join(","))
        )
        .into_boxed_str(),
    );
    assert_error(
        &post(big).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );
    // The server still answers the next request.
    assert_eq!(
        post(r#"{"level":"nominal","ratings":[[1,2],[1,2]]}"#)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_refused_calibration_session_names_every_field_and_the_next_request_still_answers() {
    let t = test_app();
    let lead = t.login("lead1").await;
    let body = serde_json::json!({
        "title": "",
        "scorecard_version_id": 999,
        "call_ids": [1, 1, 99_999_999],
        "participants": [4],
        "calibrator": 4,
        "deadline": "2020-01-01T09:00:00",
        "visibility": "blind",
        "threshold": -1
    });
    let res = t
        .send(
            Method::POST,
            "/api/calibration",
            Some(&lead),
            Some(&body.to_string()),
        )
        .await;
    assert_error(&res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    let fields: Vec<String> = res.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        fields,
        [
            "title",
            "scorecard_version_id",
            "call_ids.1",
            "call_ids.2",
            "participants",
            "calibrator",
            "deadline",
            "threshold"
        ]
    );
    let bad_visibility = t
        .send(
            Method::POST,
            "/api/calibration",
            Some(&lead),
            Some(r#"{"title":"x","visibility":"sometimes"}"#),
        )
        .await;
    assert_error(
        &bad_visibility,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_json_data",
    );
    // Nothing was written, and the store still answers.
    let list = t.get("/api/calibration", &lead).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(
        list.json().as_array().unwrap().len(),
        demo().0.calibration.sessions.len()
    );
}
