//! Shared by the API test files: the app over a real, seeded SQLite file, and request helpers.
#![allow(dead_code)]

pub mod server;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use kappa_demo::DemoData;
use kappa_server::{app_with, ApiContext, Config, Db};
use serde_json::{json, Value};
use std::sync::OnceLock;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub db: Db,
    _dir: tempfile::TempDir,
}

pub fn demo() -> &'static (DemoData, String) {
    static DEMO: OnceLock<(DemoData, String)> = OnceLock::new();
    DEMO.get_or_init(|| {
        (
            kappa_demo::generate(kappa_demo::SEED),
            kappa_server::password::hash_password(kappa_demo::DEMO_PASSWORD).unwrap(),
        )
    })
}

/// The demo centre seeded once per test binary into a file that each test copies: seeding is
/// the slow part of a fresh database, and every test starts from the same one.
pub fn seeded_database() -> &'static std::path::Path {
    static SEEDED: OnceLock<std::path::PathBuf> = OnceLock::new();
    SEEDED.get_or_init(|| {
        // Kept for the whole run: every test copies from it.
        let dir = tempfile::tempdir().unwrap().keep();
        let path = dir.join("seeded.db");
        let db = Db::open(&path).unwrap();
        let (data, hash) = demo();
        db.seed(data, hash).unwrap();
        // Everything into the main file, so that a copy of it alone is the whole database.
        db.with(|conn| Ok(conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?))
            .unwrap();
        path
    })
}

/// The PostgreSQL server the tests may use, as a URL without a database name
/// (`postgres://postgres@127.0.0.1:54329`): `cargo xtask test` starts one and says where in
/// `KAPPA_TEST_POSTGRES`. Without it the suites run on SQLite alone.
pub fn postgres_server() -> Option<&'static str> {
    static URL: OnceLock<Option<String>> = OnceLock::new();
    URL.get_or_init(|| {
        std::env::var("KAPPA_TEST_POSTGRES")
            .ok()
            .filter(|u| !u.is_empty())
    })
    .as_deref()
}

/// Whether the API suites of this run talk to PostgreSQL (`KAPPA_TEST_STORE=postgres`), as
/// `cargo xtask test` runs them a second time.
pub fn on_postgres() -> bool {
    std::env::var("KAPPA_TEST_STORE").is_ok_and(|s| s == "postgres")
}

/// Runs blocking PostgreSQL client work on a thread of its own: the client starts a runtime of
/// its own, which a thread driving an async test may not.
fn on_own_thread<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().unwrap())
}

/// Drops the database `name` if it exists and creates it anew (from `template` if given).
fn create_database(name: &str, template: Option<&str>) {
    let server = postgres_server().expect("KAPPA_TEST_POSTGRES");
    on_own_thread(|| {
        let mut client =
            postgres::Client::connect(&format!("{server}/postgres"), postgres::NoTls).unwrap();
        let template = template
            .map(|t| format!(" TEMPLATE {t}"))
            .unwrap_or_default();
        // One statement each: neither may run inside a transaction block.
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}{template}"),
        ] {
            client
                .batch_execute(&sql)
                .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        }
    });
}

/// A fresh, empty PostgreSQL database (the server migrates it); answers its URL.
pub fn empty_postgres() -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "kappa_empty_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    create_database(&name, None);
    format!("{}/{name}", postgres_server().expect("KAPPA_TEST_POSTGRES"))
}

/// A fresh PostgreSQL database holding the seeded demo centre (a copy of a template seeded
/// once per test binary); answers its URL.
pub fn fresh_postgres() -> String {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let server = postgres_server().expect("KAPPA_TEST_POSTGRES");
    let pid = std::process::id();
    let template = TEMPLATE.get_or_init(|| {
        let name = format!("kappa_seeded_{pid}");
        create_database(&name, None);
        let (data, hash) = demo();
        on_own_thread(|| {
            let db = Db::open_postgres(&format!("{server}/{name}")).unwrap();
            db.seed(data, hash).unwrap();
        });
        name
    });
    let name = format!(
        "kappa_{pid}_{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    create_database(&name, Some(template));
    format!("{server}/{name}")
}

/// A fresh copy of the seeded demo database at `path`.
pub fn copy_seeded(path: &std::path::Path) {
    std::fs::copy(seeded_database(), path).unwrap();
}

/// The index trunk writes, reduced to what the server reads from it: its inline start script,
/// the page table the build writes beside it and the `config.json` preload.
pub const TEST_INDEX: &str = concat!(
    "<!doctype html><title>kappa test index</title>",
    "<link rel=\"preload\" href=\"/config.json\" as=\"fetch\" crossorigin />",
    "<meta name=\"kappa-pkg\" content=\"/pkg-0123456789abcdef/\">",
    "<meta name=\"kappa-routes\" content=\"[[&quot;/calls&quot;,[&quot;split_work.wasm&quot;,&quot;chunk_6.wasm&quot;]],[&quot;/scorecards/:id&quot;,[&quot;split_setup.wasm&quot;,&quot;chunk_6.wasm&quot;]]]\">",
    "<script type=\"module\">import init from '/kappa.js'; init();</script>"
);

/// A test configuration over fresh files in `dir`: the demo's recordings, a test index.
pub fn test_config(dir: &std::path::Path) -> Config {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), TEST_INDEX).unwrap();
    // What a static build ships beside the app: the server must never hand these out.
    for (folder, file, text) in [
        ("fixtures", "users.json", r#"[{"username":"agent1"}]"#),
        ("audio", "en-cancellation.ogg", "agent1 speaking"),
    ] {
        std::fs::create_dir_all(dist.join(folder)).unwrap();
        std::fs::write(dist.join(folder).join(file), text).unwrap();
    }
    let mut config = Config::with_paths(dir.join("kappa.db"), dist);
    config.recordings = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/audio");
    config.imports = dir.join("imports");
    config.demo = true;
    config
}

pub fn test_app() -> TestApp {
    test_app_with(|_| {}, Router::new())
}

/// The seeded app with `adjust` applied to its configuration and `extra` routes under `/api`.
pub fn test_app_with(adjust: impl FnOnce(&mut Config), extra: Router<ApiContext>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    adjust(&mut config);
    if on_postgres() {
        config.database = Some(fresh_postgres());
    } else {
        copy_seeded(&config.db);
    }
    let db = config.open_db().unwrap();
    TestApp {
        router: app_with(ApiContext::new(config, db.clone()), extra),
        db,
        _dir: dir,
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl TestApp {
    /// One value a query answers, from whichever database the app runs on (the statement in
    /// the dialect both share, `?1` placeholders).
    pub fn value<T: kappa_server::store::sql::Column + Send>(
        &self,
        sql: &str,
        args: &[kappa_server::store::sql::Arg],
    ) -> T {
        self.db
            .write_now(|conn| Ok(conn.value(sql, args)?))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs a statement on whichever database the app runs on.
    pub fn execute(&self, sql: &str, args: &[kappa_server::store::sql::Arg]) {
        self.db
            .write_now(|conn| Ok(conn.execute(sql, args)?))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        cookie: Option<&str>,
        body: Option<&str>,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        self.request(req).await
    }

    pub async fn request(&self, req: Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str, cookie: &str) -> Answer {
        self.send(Method::GET, uri, Some(cookie), None).await
    }

    /// The id of a demo account.
    pub fn id_of(&self, username: &str) -> u32 {
        demo()
            .0
            .users
            .iter()
            .find(|u| u.username == username)
            .unwrap_or_else(|| panic!("no demo user {username}"))
            .id
    }

    pub async fn login(&self, username: &str) -> String {
        let body = json!({ "username": username, "password": "demo" }).to_string();
        let res = self
            .send(Method::POST, "/api/auth/login", None, Some(&body))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{username}: {}", res.text);
        let set_cookie = res.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_string();
        set_cookie.split(';').next().unwrap().to_string()
    }
}

pub fn assert_error(res: &Answer, status: StatusCode, code: &str) {
    assert_eq!(res.status, status, "{}", res.text);
    let body = res.json();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

/// A small valid scorecard: two weighted sections, one critical item.
pub fn sample_scorecard(name: &str) -> Value {
    json!({
        "name": { "en": name, "zh": "" },
        "pass_mark": 80.0,
        "sections": [
            { "key": "open", "title": { "en": "Opening", "zh": "开场" }, "weight": 30.0, "kind": "standard", "criteria": [
                { "key": "greet", "title": { "en": "Greets with the standard phrase", "zh": "使用标准问候语" }, "answer_type": { "type": "yes_no", "points": 1 } },
                { "key": "verify", "title": { "en": "Verifies identity", "zh": "核实身份" }, "answer_type": { "type": "yes_no", "points": 1 }, "critical": "fail_all" }
            ]},
            { "key": "solve", "title": { "en": "Resolution", "zh": "问题解决" }, "weight": 70.0, "kind": "standard", "criteria": [
                { "key": "fix", "title": { "en": "Resolves the request", "zh": "解决客户诉求" }, "answer_type": { "type": "points", "max": 10 }, "allow_na": true }
            ]}
        ]
    })
}

/// The demo centre in the static demo's in-memory store, as the browser loads it.
pub fn memory_store() -> kappa_domain::store::MemoryStore {
    let data = &demo().0;
    kappa_domain::store::MemoryStore {
        users: data.users.clone(),
        teams: data.teams.clone(),
        calls: std::sync::Arc::new(data.calls.clone()),
        transcripts: data.transcripts.clone(),
        scorecards: data.scorecards.clone(),
        evaluations: data.evaluations.clone(),
        sampling: data.sampling.clone(),
        reviews: data.reviews.clone(),
        calibration: data.calibration.clone(),
        coaching: data.coaching.clone(),
        clock: kappa_domain::time::CentreClock::DEMO,
        vocabulary: data.vocabulary.clone(),
        imports: data.imports.clone(),
        audit: Vec::new(),
    }
}
