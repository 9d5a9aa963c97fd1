//! The real binary, killed with SIGKILL while submissions are in flight (loopback only, bounded
//! in count and time): after a restart every acknowledged submission is there and the file
//! passes SQLite's integrity check. Also: a fresh start without `--demo` has no users, says how
//! to create the first administrator, and `create-admin` does it.

mod common;

use common::server::{
    database, database_flags, free_port, http, sign_in, start, stored, submission, BINARY,
};
use kappa_server::store::sql::Arg;

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn acknowledged_submissions_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), port, true);
    let cookie = sign_in(port, "reviewer1", "demo");
    let acknowledged = Arc::new(Mutex::new(Vec::<u32>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let calls: Vec<u32> = common::demo()
        .0
        .calls
        .iter()
        .map(|c| c.id)
        .take(400)
        .collect();
    // Two clients submitting at once, as reviewers do.
    let workers: Vec<_> = (0..2)
        .map(|w| {
            let (acknowledged, stop, cookie, calls) = (
                acknowledged.clone(),
                stop.clone(),
                cookie.clone(),
                calls.clone(),
            );
            std::thread::spawn(move || {
                for call in calls.iter().skip(w).step_by(2) {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    if let Ok((201, _, body)) = http(
                        port,
                        "POST",
                        "/api/evaluations",
                        Some(&cookie),
                        Some(&submission(*call)),
                    ) {
                        let id: u32 = body
                            .split("\"evaluation\":{\"id\":")
                            .nth(1)
                            .and_then(|rest| rest.split(',').next())
                            .and_then(|id| id.parse().ok())
                            .expect("a created evaluation names its id");
                        acknowledged.lock().unwrap().push(id);
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 30 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "submissions were not acknowledged"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap(); // SIGKILL: no shutdown, no flush, mid-request
    server.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let mut restarted = start(dir.path(), port, false);
    if !common::on_postgres() {
        let conn = rusqlite::Connection::open(dir.path().join("kappa.db")).unwrap();
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
    }
    let db = database(dir.path());
    for id in &acknowledged {
        let found: i64 = stored(
            &db,
            "SELECT COUNT(*) FROM evaluations WHERE id = ?1 AND status = 'submitted'",
            &[Arg::from(*id)],
        );
        assert_eq!(
            found,
            1,
            "acknowledged evaluation {id} is missing after kill -9 ({} acknowledged)",
            acknowledged.len()
        );
        let answers: i64 = stored(
            &db,
            "SELECT COUNT(*) FROM answers WHERE evaluation_id = ?1",
            &[Arg::from(*id)],
        );
        assert!(answers > 0, "evaluation {id} kept its answers");
    }
    let (status, _, _) = http(port, "GET", "/api/health", None, None).unwrap();
    assert_eq!(status, 200);
    let reviewer = sign_in(port, "reviewer1", "demo");
    let (status, _, body) = http(
        port,
        "GET",
        &format!("/api/evaluations/{}", acknowledged[0]),
        Some(&reviewer),
        None,
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    restarted.kill().unwrap();
    restarted.wait().unwrap();
}

/// Autosave as the review workspace does it: each save names the revision it started from.
#[test]
fn acknowledged_draft_saves_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), port, true);
    let version = common::server::current_version().id;
    // (reviewer, call) → the highest acknowledged revision.
    let acknowledged = Arc::new(Mutex::new(
        std::collections::BTreeMap::<(String, u32), u32>::new(),
    ));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = ["reviewer1", "reviewer2"]
        .into_iter()
        .enumerate()
        .map(|(w, reviewer)| {
            let cookie = sign_in(port, reviewer, "demo");
            let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
            std::thread::spawn(move || {
                let calls: Vec<u32> = (1..=5).map(|i| i * 10 + w as u32).collect();
                let mut revision = [0u32; 5];
                for round in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let slot = round % calls.len();
                    let body = serde_json::json!({ "scorecard_version_id": version, "content": { "feedback": format!("save {}", revision[slot] + 1) }, "base_revision": revision[slot] });
                    match http(port, "PUT", &format!("/api/drafts/{}", calls[slot]), Some(&cookie), Some(&body.to_string())) {
                        Ok((200, _, _)) => {
                            revision[slot] += 1;
                            acknowledged.lock().unwrap().insert((reviewer.to_string(), calls[slot]), revision[slot]);
                        }
                        _ => break,
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    while acknowledged.lock().unwrap().values().sum::<u32>() < 60 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "draft saves were not acknowledged"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let mut restarted = start(dir.path(), port, false);
    let db = database(dir.path());
    for ((reviewer, call), revision) in acknowledged.lock().unwrap().iter() {
        let draft = "FROM review_drafts d JOIN users u ON u.id = d.reviewer_id WHERE u.username = ?1 AND d.call_id = ?2";
        let args = [Arg::from(reviewer.as_str()), Arg::from(*call)];
        let stored_revision: u32 = stored(&db, &format!("SELECT d.revision {draft}"), &args);
        let content: String = stored(&db, &format!("SELECT d.content {draft}"), &args);
        let stored = stored_revision;
        assert!(
            stored >= *revision,
            "{reviewer}'s draft of call {call}: acknowledged save {revision}, found {stored}"
        );
        assert!(
            content.contains(&format!("save {stored}")),
            "the stored revision holds its own content: {content}"
        );
    }
    restarted.kill().unwrap();
    restarted.wait().unwrap();
}

#[test]
fn a_fresh_start_without_demo_has_no_users_and_says_how_to_create_the_first_admin() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), port, false);
    let (status, _, body) = http(port, "GET", "/api/session", None, None).unwrap();
    assert_eq!(status, 200);
    let info: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (info["user"].is_null(), &info["demo"], &info["needs_admin"]),
        (true, &serde_json::json!(false), &serde_json::json!(true))
    );
    let (status, _, _) = http(
        port,
        "POST",
        "/api/auth/login",
        None,
        Some(r#"{"username":"admin","password":"demo"}"#),
    )
    .unwrap();
    assert_eq!(status, 401, "no default credentials");
    server.kill().unwrap();
    server.wait().unwrap();
    let log = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    assert!(
        log.contains("kappa-server create-admin --username"),
        "the operator is told how: {log}"
    );

    let create = |password: &str| {
        Command::new(BINARY)
            .args([
                "create-admin",
                "--username",
                "boss",
                "--display-name",
                "主管 Boss",
            ])
            .args(database_flags(dir.path()))
            .env("KAPPA_ADMIN_PASSWORD", password)
            .output()
            .unwrap()
    };
    let short = create("short");
    assert!(!short.status.success());
    assert!(
        String::from_utf8_lossy(&short.stderr).contains("password"),
        "{}",
        String::from_utf8_lossy(&short.stderr)
    );
    let made = create("a long first password");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let mut server = start(dir.path(), port, false);
    let cookie = sign_in(port, "boss", "a long first password");
    let (_, _, body) = http(port, "GET", "/api/session", Some(&cookie), None).unwrap();
    let info: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (info["user"]["role"].as_str(), info["needs_admin"].as_bool()),
        (Some("admin"), Some(false))
    );
    server.kill().unwrap();
    server.wait().unwrap();
}
