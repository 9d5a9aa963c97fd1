//! A server that bad input cannot break: each test pins one way a request once hurt it or could.

mod common;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, Method, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use common::{assert_error, sample_scorecard, test_app, test_app_with, TestApp};
use kappa_server::store::sql::Arg;
use kappa_server::ApiContext;
use serde_json::json;
use std::net::SocketAddr;

fn login_body(username: &str, password: &str) -> String {
    json!({ "username": username, "password": password }).to_string()
}

/// A sign-in as it arrives from the socket at `peer` (none: as tests drive the router), with
/// the `X-Forwarded-For` a proxy may add.
fn login_request(
    peer: Option<&str>,
    forwarded: Option<&str>,
    username: &str,
    password: &str,
) -> Request<axum::body::Body> {
    let mut req = Request::post("/api/auth/login").header(header::CONTENT_TYPE, "application/json");
    if let Some(addr) = peer {
        req = req.extension(ConnectInfo(addr.parse::<SocketAddr>().unwrap()));
    }
    if let Some(chain) = forwarded {
        req = req.header("x-forwarded-for", chain);
    }
    req.body(axum::body::Body::from(login_body(username, password)))
        .unwrap()
}

async fn login_from(t: &TestApp, addr: &str, username: &str, password: &str) -> common::Answer {
    t.request(login_request(Some(addr), None, username, password))
        .await
}

async fn still_serves(t: &TestApp) {
    let health = t.send(Method::GET, "/api/health", None, None).await;
    assert_eq!(
        (health.status, health.json()["status"].as_str()),
        (StatusCode::OK, Some("ok")),
        "{}",
        health.text
    );
    let session = t.login("reviewer1").await;
    assert_eq!(
        t.get("/api/calls?size=1", &session).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_out_of_range_date_is_a_400_naming_the_field_and_the_next_request_works() {
    let t = test_app();
    let session = t.login("reviewer1").await;
    // chrono reads this date; the day after it does not exist, which once panicked while the
    // single database lock was held and poisoned it for every later request.
    for qs in [
        "to=%2B262142-12-31",
        "from=-0001-01-01",
        "to=262142-12-31&from=2026-01-01",
    ] {
        let res = t.get(&format!("/api/calls?{qs}"), &session).await;
        assert_error(&res, StatusCode::BAD_REQUEST, "invalid_query");
        let field = res.json()["error"]["fields"][0]["field"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(qs.starts_with(&field), "{qs}: names {field}");
    }
    assert_eq!(
        t.get("/api/calls?to=9999-12-31", &session).await.status,
        StatusCode::OK,
        "the last four-digit day is fine"
    );
    still_serves(&t).await;
}

#[tokio::test]
async fn a_panic_inside_a_request_leaves_health_and_sign_in_working() {
    // Routes that panic where a bug would: inside a write transaction, inside a read, and in
    // the handler itself.
    let boom: Router<ApiContext> = Router::new()
        .route(
            "/boom/write",
            get(|State(ctx): State<ApiContext>| async move {
                ctx.db
                    .sessions(None, |store| -> kappa_server::Result<()> {
                        store.record(None, "forced", None, &serde_json::json!({}))?;
                        panic!("forced panic holding the writer mid-transaction")
                    })
                    .await
                    .map(|()| "unreachable")
            }),
        )
        .route(
            "/boom/read",
            get(|State(ctx): State<ApiContext>| async move {
                ctx.db
                    .view(|_| -> kappa_domain::workflow::Outcome<()> {
                        panic!("forced panic holding a reader")
                    })
                    .await
                    .map(|()| "unreachable")
            }),
        )
        .route(
            "/boom/handler",
            get(|| async {
                if true {
                    panic!("forced panic in a handler");
                }
                "unreachable"
            }),
        );
    let t = test_app_with(|_| {}, boom);
    let before = t.login("admin").await;
    for _ in 0..6 {
        for path in ["/api/boom/write", "/api/boom/read", "/api/boom/handler"] {
            let res = t.send(Method::GET, path, None, None).await;
            assert_error(&res, StatusCode::INTERNAL_SERVER_ERROR, "internal");
        }
    }
    still_serves(&t).await;
    assert_eq!(
        t.get("/api/me", &before).await.status,
        StatusCode::OK,
        "the panicking transaction was rolled back: no session was deleted"
    );
}

#[tokio::test]
async fn twenty_wrong_passwords_get_429_with_retry_after() {
    let t = test_app();
    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(login_from(&t, "203.0.113.7:5000", "reviewer2", "guess").await);
    }
    assert!(statuses[..10]
        .iter()
        .all(|r| r.status == StatusCode::UNAUTHORIZED));
    let limited = &statuses[19];
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
    let wait: u64 = limited.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    // Even the right password waits: the username is locked for the window, whoever asks.
    assert_eq!(
        login_from(&t, "198.51.100.1:5000", "reviewer2", "demo")
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another user is not locked out by someone else's guesses.
    assert_eq!(
        login_from(&t, "198.51.100.1:5000", "reviewer3", "demo")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn one_address_guessing_many_usernames_is_limited_too() {
    let t = test_app_with(|c| c.login_attempts_per_address = 5, Router::new());
    for i in 0..5 {
        assert_eq!(
            login_from(&t, "203.0.113.9:1", &format!("user{i}"), "x")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_error(
        &login_from(&t, "203.0.113.9:2", "agent1", "demo").await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    );
    assert_eq!(
        login_from(&t, "203.0.113.10:1", "agent1", "demo")
            .await
            .status,
        StatusCode::OK,
        "other addresses are not affected"
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_counted() {
    let t = test_app_with(
        |c| (c.login_attempts_per_address, c.trust_forwarded_for) = (3, true),
        Router::new(),
    );
    // A client may claim anything first; the proxy appends what it saw last.
    let from = |client: &str, username: &str| {
        login_request(
            Some("10.0.0.2:443"),
            Some(&format!("198.51.100.99, {client}")),
            username,
            "wrong",
        )
    };
    for i in 0..3 {
        assert_eq!(
            t.request(from("203.0.113.5", &format!("user{i}")))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_error(
        &t.request(from("203.0.113.5", "user9")).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    );
    assert_eq!(
        t.request(from("203.0.113.6", "user9")).await.status,
        StatusCode::UNAUTHORIZED,
        "another client behind the same proxy is not blocked"
    );
}

#[tokio::test]
async fn the_audit_log_keeps_a_capped_trimmed_username() {
    let t = test_app();
    let huge = format!("  {}  ", "x".repeat(512 * 1024));
    let res = t
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(&login_body(&huge, "demo")),
        )
        .await;
    assert_error(&res, StatusCode::UNAUTHORIZED, "invalid_credentials");
    let logged: String = t.value(
        "SELECT detail FROM audit_log WHERE action = 'sign_in_failed' ORDER BY id DESC LIMIT 1",
        &[],
    );
    let username = serde_json::from_str::<serde_json::Value>(&logged).unwrap()["username"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(username, "x".repeat(kappa_domain::workflow::MAX_USERNAME));
    let huge_password = t
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(&login_body("admin", &"p".repeat(100_000))),
        )
        .await;
    assert_error(
        &huge_password,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    );
}

#[tokio::test]
async fn server_mode_serves_no_demo_files() {
    let t = test_app();
    // The file server decodes and normalises paths, so the disguised ones must be refused too.
    for path in [
        "/fixtures/users.json",
        "/fixtures/calls.json",
        "/audio/en-cancellation.ogg",
        "/audio/recordings.json",
        "/%66ixtures/users.json",
        "//fixtures/calls.json",
        "/./audio/en-cancellation.ogg",
        "/%61udio/en-cancellation.ogg",
        "/%2Ffixtures/users.json",
    ] {
        let res = t.send(Method::GET, path, None, None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}: {}", res.text);
        assert!(
            !res.text.contains("agent1") && !res.text.contains("kappa test index"),
            "{path}"
        );
    }
}

/// The session the app's page carries, read as the app reads it.
fn boot_data(page: &str) -> serde_json::Value {
    let start = page
        .find("<script type=\"application/json\" id=\"kappa-boot\">")
        .expect(page)
        + "<script type=\"application/json\" id=\"kappa-boot\">".len();
    let len = page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..start + len]).unwrap()
}

#[tokio::test]
async fn the_app_page_carries_the_session_and_its_chunks_and_is_never_stored() {
    let t = test_app();
    let signed_out = t.send(Method::GET, "/scorecards/3", None, None).await;
    assert_eq!(signed_out.status, StatusCode::OK);
    assert_eq!(signed_out.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(signed_out.headers[header::VARY], "Cookie");
    let boot = boot_data(&signed_out.text);
    assert_eq!(boot["mode"], "server");
    assert_eq!(boot["session"]["user"], serde_json::Value::Null);
    assert_eq!(boot["session"]["demo"], true);
    assert!(
        !signed_out.text.contains(".wasm\""),
        "signed out, the page sends to sign-in: none of its code is needed"
    );
    assert!(signed_out
        .text
        .contains("name=\"kappa-routes\" content=\"[]\""));
    assert!(
        !signed_out.text.contains("config.json"),
        "the mode is in the page"
    );

    // Signed in, the deep link's chunks download beside the main module; the start script
    // adds none.
    let admin = t.login("admin").await;
    let deep = t.get("/scorecards/3", &admin).await;
    for file in ["split_setup.wasm", "chunk_6.wasm"] {
        assert!(
            deep.text.contains(&format!(
                "<link rel=\"preload\" href=\"/pkg-0123456789abcdef/{file}\" as=\"fetch\" type=\"application/wasm\" crossorigin>"
            )),
            "{file}: {}",
            deep.text
        );
    }
    assert!(deep.text.contains("href=\"/api/scorecards/3\""));
    assert!(!deep.text.contains("split_work.wasm"));

    let lead = t.login("lead1").await;
    for path in ["/calls", "/", "/index.html"] {
        let page = t.get(path, &lead).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(page.headers[header::CACHE_CONTROL], "no-store", "{path}");
        let boot = boot_data(&page.text);
        assert_eq!(boot["session"]["user"]["username"], "lead1", "{path}");
        assert_eq!(
            page.text.contains("split_work.wasm"),
            path == "/calls",
            "{path}"
        );
    }
    // The page's first reads download beside its code, for a user the page lets in.
    let calls = t.get("/calls?sort=csat&dir=asc", &lead).await;
    assert!(
        calls
            .text
            .contains("<link rel=\"preload\" href=\"/api/directory\" as=\"fetch\" crossorigin>"),
        "{}",
        calls.text
    );
    assert!(
        calls
            .text
            .contains("href=\"/api/calls?sort=csat&amp;dir=asc"),
        "{}",
        calls.text
    );
    let queue = t.get("/queue", &lead).await;
    assert!(
        queue.text.contains("href=\"/api/plans\""),
        "leads draw samples"
    );
    let reviewer = t.login("reviewer1").await;
    let queue = t.get("/queue", &reviewer).await;
    assert!(queue.text.contains("href=\"/api/queue?"));
    assert!(!queue.text.contains("/api/plans"), "reviewers do not");
    let agent = t.login("agent1").await;
    for path in ["/calls", "/queue", "/review/1", "/scorecards/1"] {
        let page = t.get(path, &agent).await;
        assert!(
            !page.text.contains("href=\"/api/") && !page.text.contains(".wasm\""),
            "{path}: agents may not open it"
        );
    }
    assert!(t
        .get("/me", &agent)
        .await
        .text
        .contains("href=\"/api/feedback\""));
    assert!(
        !signed_out.text.contains("href=\"/api/"),
        "nothing is read for no one"
    );
    // Signed out again, the same cookie's page names no one.
    t.send(Method::POST, "/api/auth/logout", Some(&lead), None)
        .await;
    let after = t.get("/calls", &lead).await;
    assert_eq!(
        boot_data(&after.text)["session"]["user"],
        serde_json::Value::Null
    );
    assert!(!after.text.contains("lead1"));
    // A file that is not there is missing, not the app: a chunk gone after a deploy fails its
    // fetch instead of arriving as HTML.
    let gone = t.get("/pkg-0123456789abcdef/split_gone.wasm", &lead).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(!gone.text.contains("kappa-boot"));
}

#[tokio::test]
async fn answers_carry_csp_and_api_answers_are_never_stored() {
    let t = test_app();
    let page = t.send(Method::GET, "/calls", None, None).await;
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(
        csp.contains("object-src 'none'")
            && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    // The hash is the one of the start script in the index: the browser runs it and nothing else inline.
    use base64::Engine;
    use sha2::Digest;
    let script = "import init from '/kappa.js'; init();";
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    for path in ["/api/health", "/api/session", "/api/nope"] {
        let res = t.send(Method::GET, path, None, None).await;
        assert_eq!(res.headers[header::CACHE_CONTROL], "no-store", "{path}");
        assert!(
            res.headers.contains_key(header::CONTENT_SECURITY_POLICY),
            "{path}"
        );
    }
    assert!(
        !page.headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
        "no HSTS over plain HTTP"
    );
}

#[tokio::test]
async fn behind_https_the_cookie_is_host_prefixed_and_secure_with_hsts() {
    let t = test_app_with(|c| c.secure_cookie = true, Router::new());
    let res = t
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(&login_body("lead1", "demo")),
        )
        .await;
    let cookie = res.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.starts_with("__Host-kappa_session=")
            && cookie.contains("; Secure")
            && cookie.contains("Path=/")
            && !cookie.contains("Domain"),
        "{cookie}"
    );
    assert!(res.headers[header::STRICT_TRANSPORT_SECURITY]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
    let session = cookie.split(';').next().unwrap();
    assert_eq!(t.get("/api/me", session).await.json()["username"], "lead1");
    let plain = session.replace("__Host-kappa_session", "kappa_session");
    assert_error(
        &t.get("/api/me", &plain).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
}

#[tokio::test]
async fn an_idle_session_ends() {
    let t = test_app_with(|c| c.idle_minutes = 30, Router::new());
    let session = t.login("admin").await;
    assert_eq!(t.get("/api/me", &session).await.status, StatusCode::OK);
    // Half an hour and a second without a request.
    let idle = kappa_domain::time::stamp(
        chrono::Utc::now().naive_utc() - chrono::Duration::seconds(30 * 60 + 1),
    );
    t.execute("UPDATE sessions SET last_seen_at = ?1", &[Arg::from(idle)]);
    assert_error(
        &t.get("/api/me", &session).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    let info = t.get("/api/session", &session).await;
    assert_eq!(
        (info.status, info.json()["user"].is_null()),
        (StatusCode::OK, true),
        "the probe answers 200 signed out"
    );
}

#[tokio::test]
async fn sign_out_refuses_requests_from_another_site() {
    let t = test_app();
    let session = t.login("agent1").await;
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let req = Request::post("/api/auth/logout")
            .header(header::COOKIE, &session)
            .header(header::HOST, "kappa.example")
            .header(name, value)
            .body(axum::body::Body::empty())
            .unwrap();
        assert_error(&t.request(req).await, StatusCode::FORBIDDEN, "cross_site");
    }
    assert_eq!(
        t.get("/api/me", &session).await.status,
        StatusCode::OK,
        "still signed in"
    );
    let same = Request::post("/api/auth/logout")
        .header(header::COOKIE, &session)
        .header(header::HOST, "kappa.example")
        .header("origin", "http://kappa.example")
        .header("sec-fetch-site", "same-origin")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(t.request(same).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        t.get("/api/me", &session).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn weights_that_would_overflow_are_refused_and_scores_stay_finite() {
    let t = test_app();
    let admin = t.login("admin").await;
    let mut card = sample_scorecard("Overflow");
    card["sections"][0]["weight"] = json!(1.0e308);
    card["sections"][1]["weight"] = json!(1.0e308);
    let created = t
        .send(
            Method::POST,
            "/api/scorecards",
            Some(&admin),
            Some(&card.to_string()),
        )
        .await
        .json();
    let res = t
        .send(
            Method::POST,
            &format!("/api/scorecards/{}/publish", created["id"]),
            Some(&admin),
            Some(r#"{"lock_version":1}"#),
        )
        .await;
    assert_error(&res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_document");
    let codes: Vec<String> = res.json()["error"]["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["problem"]["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, vec!["weight_too_large", "weight_too_large"]);
    let nulls: i64 = t.value(
        "SELECT COUNT(*) FROM evaluations WHERE score IS NULL OR score <> score OR abs(score) > 1e9",
        &[],
    );
    assert_eq!(nulls, 0);
}

#[tokio::test]
async fn passwords_are_set_by_admins_and_changed_by_their_owners() {
    let t = test_app();
    let admin = t.login("admin").await;
    let new = json!({ "username": "qa.new", "display_name": "新同事 New", "role": "reviewer", "password": "first password" });
    let created = t
        .send(
            Method::POST,
            "/api/users",
            Some(&admin),
            Some(&new.to_string()),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let sign_in = |password: &'static str| login_body("qa.new", password);
    let res = t
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(&sign_in("first password")),
        )
        .await;
    let session = res.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    // The owner changes it; the old session ends and a fresh one is handed back.
    let change = json!({ "current": "first password", "password": "second password" }).to_string();
    let changed = t
        .send(
            Method::PUT,
            "/api/me/password",
            Some(&session),
            Some(&change),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.text);
    let fresh = changed.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_error(
        &t.get("/api/me", &session).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    assert_eq!(t.get("/api/me", &fresh).await.json()["username"], "qa.new");
    assert_error(
        &t.send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(&sign_in("first password")),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    );
    // The admin resets it; every session of the account ends.
    let id = created.json()["id"].as_u64().unwrap();
    let reset = t
        .send(
            Method::PUT,
            &format!("/api/users/{id}/password"),
            Some(&admin),
            Some(r#"{"password":"third password"}"#),
        )
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    assert_error(
        &t.get("/api/me", &fresh).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    assert_eq!(
        t.send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(&sign_in("third password"))
        )
        .await
        .status,
        StatusCode::OK
    );
    let short = t
        .send(
            Method::PUT,
            &format!("/api/users/{id}/password"),
            Some(&admin),
            Some(r#"{"password":"short"}"#),
        )
        .await;
    assert_error(&short, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(short.json()["error"]["fields"][0]["field"], "password");
}

#[tokio::test]
async fn a_burst_of_simultaneous_guesses_gets_no_more_tries_than_a_sequence() {
    use tower::ServiceExt;
    let t = test_app();
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let router = t.router.clone();
            tokio::spawn(async move {
                router
                    .oneshot(login_request(None, None, "lead2", "guess"))
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    let mut guesses = 0;
    for task in tasks {
        if task.await.unwrap() == StatusCode::UNAUTHORIZED {
            guesses += 1;
        }
    }
    assert_eq!(guesses, 10, "each attempt counts from the moment it starts");
}

#[tokio::test]
async fn guessing_the_current_password_is_limited_like_signing_in() {
    let t = test_app();
    let session = t.login("reviewer3").await;
    let wrong = json!({ "current": "guess", "password": "a new password" }).to_string();
    for _ in 0..10 {
        assert_error(
            &t.send(
                Method::PUT,
                "/api/me/password",
                Some(&session),
                Some(&wrong),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_password",
        );
    }
    assert_error(
        &t.send(
            Method::PUT,
            "/api/me/password",
            Some(&session),
            Some(&wrong),
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    );
    let failed: i64 = t.value(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'password_change_failed'",
        &[],
    );
    assert_eq!(failed, 10);
}

#[tokio::test]
async fn a_refused_role_learns_nothing_from_a_bad_id_or_an_oversized_body() {
    let t = test_app();
    let agent = t.login("agent1").await;
    assert_error(
        &t.send(Method::PATCH, "/api/users/abc", Some(&agent), Some("{}"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_error(
        &t.get("/api/scorecards/not-a-number", &agent).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let huge = format!(
        r#"{{"name":"{}"}}"#,
        "x".repeat(kappa_server::error::BODY_LIMIT + 10)
    );
    let reviewer = t.login("reviewer1").await;
    assert_error(
        &t.send(
            Method::POST,
            "/api/scorecards",
            Some(&reviewer),
            Some(&huge),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let admin = t.login("admin").await;
    assert_error(
        &t.send(Method::POST, "/api/scorecards", Some(&admin), Some(&huge))
            .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );
    assert_error(
        &t.send(Method::PATCH, "/api/users/abc", Some(&admin), Some("{}"))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_path",
    );
}

#[tokio::test]
async fn an_admin_cannot_reset_their_own_password_around_the_current_one() {
    let t = test_app();
    let admin = t.login("admin").await;
    let res = t
        .send(
            Method::PUT,
            &format!("/api/users/{}/password", t.id_of("admin")),
            Some(&admin),
            Some(r#"{"password":"long enough"}"#),
        )
        .await;
    assert_error(&res, StatusCode::CONFLICT, "reset_own_password");
    assert_eq!(
        t.get("/api/me", &admin).await.status,
        StatusCode::OK,
        "still signed in"
    );
}

/// Issue #19: a dispute of 30,000 points held the single writer for seconds and answered with
/// a 23 MB error; a session of 120,000 calls, a plan of 150,000 reviewers and a draft of 42,000
/// notes did alike. Every list is now bounded while the body is parsed: the answer is small,
/// names the field, and the next request is served as usual.
#[tokio::test]
async fn lists_longer_than_the_domain_can_mean_are_refused_at_parse_time() {
    let t = test_app();
    let (agent, lead, reviewer) = (
        t.login("agent1").await,
        t.login("lead1").await,
        t.login("reviewer1").await,
    );
    let points: Vec<_> = (0..30_000).map(|_| json!({ "comment": "x" })).collect();
    let many_notes: serde_json::Map<String, serde_json::Value> =
        (0..42_000).map(|i| (format!("k{i}"), json!({}))).collect();
    let cases = [
        (
            Method::POST,
            "/api/evaluations/1/disputes".to_string(),
            &agent,
            json!({ "points": points }),
            "points",
        ),
        (
            Method::POST,
            "/api/calibration".into(),
            &lead,
            json!({ "title": "Big", "scorecard_version_id": 1, "call_ids": (0..120_000).collect::<Vec<u32>>(),
                    "participants": [4, 5], "deadline": "2027-01-01T00:00:00", "visibility": "blind" }),
            "call_ids",
        ),
        (
            Method::POST,
            "/api/plans/preview".into(),
            &lead,
            json!({ "name": "Big", "population": "", "exclude_evaluated": true, "exclude_assigned": true,
                    "scorecard_id": 1, "reviewers": (0..150_000).collect::<Vec<u32>>(), "due_days": 5,
                    "strategy": { "per_agent": { "n": 1 } }, "seed": 1, "recurrence": "once" }),
            "reviewers",
        ),
        (
            Method::PUT,
            format!("/api/drafts/{}", common::demo().0.calls[0].id),
            &reviewer,
            json!({ "scorecard_version_id": 1, "base_revision": 0,
                    "content": { "answers": {}, "notes": many_notes } }),
            "notes",
        ),
    ];
    for (method, uri, cookie, body, field) in cases {
        let res = t
            .send(method, &uri, Some(cookie), Some(&body.to_string()))
            .await;
        assert_error(&res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_json_data");
        assert!(
            res.text.len() < 2_000,
            "{uri}: a {} byte answer",
            res.text.len()
        );
        assert!(
            res.text.contains(field),
            "{uri} names {field}: {}",
            res.text
        );
    }
    still_serves(&t).await;
}
