//! Two `kappa-server` processes on one PostgreSQL database, driven at once (loopback only,
//! bounded in count and time): what one instance writes the other respects. Runs when the test
//! run has a PostgreSQL server (`cargo xtask test` starts one).

mod common;

use common::server::{database, free_port, http, sign_in, start, stored, submission};
use kappa_server::store::sql::Arg;
use std::collections::BTreeSet;
use std::process::Child;

/// Two servers on one database: the second started on the first's database URL.
struct Pair {
    dirs: [tempfile::TempDir; 2],
    ports: [u16; 2],
    servers: Vec<Child>,
}

impl Pair {
    /// Two servers on a seeded copy of the demo centre, or (`empty`) on an empty database
    /// that both find empty at once, each told to seed the demo there.
    fn start(empty: bool) -> Option<Pair> {
        common::postgres_server()?;
        let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        let url = if empty {
            common::empty_postgres()
        } else {
            common::fresh_postgres()
        };
        for dir in &dirs {
            std::fs::write(dir.path().join("postgres-url"), &url).unwrap();
        }
        let ports = [free_port(), free_port()];
        // Started together, as two instances behind a load balancer are after a deploy.
        let servers = std::thread::scope(|s| {
            let handles: Vec<_> = dirs
                .iter()
                .zip(ports)
                .map(|(dir, port)| s.spawn(move || start(dir.path(), port, true)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        Some(Pair {
            dirs,
            ports,
            servers,
        })
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        for server in &mut self.servers {
            let _ = server.kill();
            let _ = server.wait();
        }
    }
}

/// One request to each server at the same moment, `n` rounds; answers (server, status, body).
fn both_at_once(
    ports: [u16; 2],
    cookies: [&str; 2],
    n: usize,
    request: impl Fn(usize) -> (String, String, String) + Sync,
) -> Vec<(usize, u16, String)> {
    let barrier = std::sync::Barrier::new(2 * n);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..2 * n)
            .map(|i| {
                let (barrier, request) = (&barrier, &request);
                s.spawn(move || {
                    let server = i % 2;
                    let (method, path, body) = request(i);
                    barrier.wait();
                    let (status, _, body) = http(
                        ports[server],
                        &method,
                        &path,
                        Some(cookies[server]),
                        Some(&body),
                    )
                    .unwrap();
                    (server, status, body)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn two_servers_on_one_database_store_one_evaluation_keep_one_draft_and_count_guesses_together() {
    let Some(pair) = Pair::start(false) else {
        eprintln!("no PostgreSQL server in this run (KAPPA_TEST_POSTGRES): nothing to test");
        return;
    };
    let cookies = [
        sign_in(pair.ports[0], "reviewer1", "demo"),
        sign_in(pair.ports[1], "reviewer1", "demo"),
    ];
    let cookies = [cookies[0].as_str(), cookies[1].as_str()];
    let data = &common::demo().0;
    let evaluated: BTreeSet<u32> = data.evaluations.iter().map(|e| e.call_id).collect();
    let fresh: Vec<u32> = data
        .calls
        .iter()
        .map(|c| c.id)
        .filter(|id| !evaluated.contains(id))
        .take(2)
        .collect();

    // The same submission to both servers, four times each, at once: one evaluation, and
    // every answer names it.
    let same = submission(fresh[0]);
    let answers = both_at_once(pair.ports, cookies, 4, |_| {
        ("POST".into(), "/api/evaluations".into(), same.clone())
    });
    let ids: BTreeSet<u64> = answers
        .iter()
        .map(|(server, status, body)| {
            assert_eq!(*status, 201, "server {server}: {body}");
            let json: serde_json::Value = serde_json::from_str(body).unwrap();
            json["evaluation"]["id"].as_u64().unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let db = database(pair.dirs[0].path());
    let count: i64 = stored(
        &db,
        "SELECT COUNT(*) FROM evaluations WHERE call_id = ?1 AND status = 'submitted'",
        &[Arg::from(fresh[0])],
    );
    assert_eq!(count, 1);

    // Draft saves from the same revision to both servers at once: one is kept, every other is
    // refused as stale, and the stored draft is the winner's.
    let version = common::server::current_version().id;
    let answers = both_at_once(pair.ports, cookies, 3, |i| {
        let body = serde_json::json!({ "scorecard_version_id": version, "content": { "feedback": format!("tab {i}") }, "base_revision": 0 });
        (
            "PUT".into(),
            format!("/api/drafts/{}", fresh[1]),
            body.to_string(),
        )
    });
    let kept: Vec<&(usize, u16, String)> = answers.iter().filter(|(_, s, _)| *s == 200).collect();
    assert_eq!(kept.len(), 1, "{answers:?}");
    for (server, status, body) in answers.iter().filter(|(_, s, _)| *s != 200) {
        assert_eq!(*status, 409, "server {server}: {body}");
        assert!(body.contains("stale_draft"), "{body}");
    }
    let winner: serde_json::Value = serde_json::from_str(&kept[0].2).unwrap();
    let content: String = stored(
        &db,
        "SELECT content FROM review_drafts WHERE call_id = ?1 AND revision = 1",
        &[Arg::from(fresh[1])],
    );
    assert!(
        content.contains(winner["content"]["feedback"].as_str().unwrap()),
        "{content} / {winner}"
    );

    // Wrong passwords for one account, alternating between the servers: the limit (10 per
    // username) is counted across both.
    let guess = r#"{"username":"agent3","password":"not the password"}"#;
    for i in 0..10 {
        let (status, _, body) = http(
            pair.ports[i % 2],
            "POST",
            "/api/auth/login",
            None,
            Some(guess),
        )
        .unwrap();
        assert_eq!(status, 401, "guess {i}: {body}");
    }
    for port in pair.ports {
        let (status, head, body) =
            http(port, "POST", "/api/auth/login", None, Some(guess)).unwrap();
        assert_eq!(status, 429, "{body}");
        assert!(head.to_ascii_lowercase().contains("retry-after"), "{head}");
    }
}

#[test]
fn two_servers_starting_together_migrate_and_seed_once_and_run_each_due_plan_once() {
    let Some(pair) = Pair::start(true) else {
        eprintln!("no PostgreSQL server in this run (KAPPA_TEST_POSTGRES): nothing to test");
        return;
    };
    // Each server checks the due plans once it is up; wait until both have.
    let started = std::time::Instant::now();
    let logs: Vec<String> = loop {
        let logs: Vec<String> = pair
            .dirs
            .iter()
            .map(|d| std::fs::read_to_string(d.path().join("server.log")).unwrap())
            .collect();
        if logs.iter().all(|log| log.contains("due plans checked")) {
            break logs;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the servers did not check their due plans: {logs:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let across = |line: &str| -> usize { logs.iter().map(|log| log.matches(line).count()).sum() };
    assert_eq!(across("applied PostgreSQL migration 1\n"), 1, "{logs:?}");
    assert_eq!(across("seeded the demo contact centre"), 1, "{logs:?}");
    let db = database(pair.dirs[0].path());
    let users: i64 = stored(&db, "SELECT COUNT(*) FROM users", &[]);
    assert_eq!(users as usize, common::demo().0.users.len());
    // Each plan due when both started was run by one of them: no plan has two runs on a day,
    // and every run a server committed is one stored run.
    let runs: i64 = stored(&db, "SELECT COUNT(*) FROM plan_runs", &[]);
    let distinct_days: i64 = stored(
        &db,
        "SELECT COUNT(*) FROM (SELECT DISTINCT plan_id, run_on FROM plan_runs) AS days",
        &[],
    );
    assert_eq!(runs, distinct_days, "no plan ran twice on one day");
    let seeded = common::demo().0.sampling.runs.len() as i64;
    let committed = across("scheduled run");
    assert!(committed > 0, "the demo has plans due at start: {logs:?}");
    assert_eq!(runs - seeded, committed as i64, "{logs:?}");
}
