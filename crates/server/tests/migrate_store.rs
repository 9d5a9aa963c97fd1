//! `kappa-server migrate-store`: a centre moved from its SQLite file into PostgreSQL, checked
//! table by table, refused into a database that holds anything, and served the same after.

mod common;

use common::server::{free_port, http, sign_in, start, BINARY};
use std::collections::BTreeMap;
use std::process::Command;

/// The copy's table list is the schema: every table SQLite has after its migrations, with every
/// column, so a later migration cannot add a column the move would leave behind.
#[test]
fn the_copy_names_every_table_and_column_of_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kappa.db");
    common::copy_seeded(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut schema = BTreeMap::new();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in tables {
        let columns: Vec<String> = conn
            .prepare(&format!(
                "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        schema.insert(table, columns.join(", "));
    }
    let copied: BTreeMap<String, String> = kappa_server::store::copy::TABLES
        .iter()
        .map(|(t, c, _)| (t.to_string(), c.to_string()))
        .collect();
    assert_eq!(copied, schema);
}

fn migrate(from: &str, to: &str) -> std::process::Output {
    Command::new(BINARY)
        .args(["migrate-store", "--from", from, "--to", to])
        .env_remove("KAPPA_DATABASE_URL")
        .output()
        .unwrap()
}

#[test]
fn a_centre_moves_from_sqlite_to_postgres_checked_and_only_into_an_empty_database() {
    if common::postgres_server().is_none() {
        eprintln!("no PostgreSQL server in this run (KAPPA_TEST_POSTGRES): nothing to test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kappa.db");
    common::copy_seeded(&file);
    let target = common::empty_postgres();
    // The server migrates an empty database when it first opens it; so does the copy.
    let moved = migrate(&format!("sqlite:{}", file.display()), &target);
    let out = String::from_utf8_lossy(&moved.stdout);
    assert!(
        moved.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&moved.stderr)
    );
    let data = &common::demo().0;
    assert!(
        out.lines()
            .any(|l| l.starts_with("calls ") && l.contains(&format!(" {} rows", data.calls.len()))),
        "{out}"
    );
    assert!(
        !out.contains("postgres://"),
        "no credentials in the report: {out}"
    );

    // Again into the same database: refused, naming why, and nothing written twice.
    let again = migrate(&format!("sqlite:{}", file.display()), &target);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("not empty"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    // The moved centre answers as the file did, and takes new records after the moved ones.
    let (sqlite_dir, pg_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::copy(&file, sqlite_dir.path().join("kappa.db")).unwrap();
    std::fs::write(pg_dir.path().join("postgres-url"), &target).unwrap();
    let ports = [free_port(), free_port()];
    let mut servers = [
        start(sqlite_dir.path(), ports[0], false),
        start(pg_dir.path(), ports[1], false),
    ];
    let pages: Vec<String> = ports
        .iter()
        .map(|&port| {
            let cookie = sign_in(port, "lead1", "demo");
            [
                "/api/calls?page=3&sort=csat",
                "/api/calls/3001",
                "/api/evaluations/5",
                "/api/scorecards",
            ]
            .iter()
            .map(|path| http(port, "GET", path, Some(&cookie), None).unwrap().2)
            .collect::<Vec<_>>()
            .join("\n")
        })
        .collect();
    assert_eq!(pages[0], pages[1]);
    let cookie = sign_in(ports[1], "admin", "demo");
    let (status, _, body) = http(
        ports[1],
        "POST",
        "/api/users",
        Some(&cookie),
        Some(r#"{"username":"moved1","display_name":"Moved One","role":"agent","team_id":1,"password":"a long password"}"#),
    )
    .unwrap();
    assert_eq!(status, 201, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        created["id"].as_u64(),
        Some(data.users.len() as u64 + 1),
        "ids continue after the moved ones"
    );
    for server in &mut servers {
        server.kill().unwrap();
        server.wait().unwrap();
    }
}

/// `kappa-server backup` while the server takes writes: the copy opens, passes SQLite's
/// integrity check, and holds the centre; an existing file is never overwritten.
#[test]
fn a_running_centre_is_backed_up_to_a_consistent_file() {
    if common::on_postgres() {
        return; // About the SQLite file; PostgreSQL is backed up with its own tools.
    }
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), port, true);
    let cookie = sign_in(port, "reviewer1", "demo");
    let writes = std::thread::spawn(move || {
        for call in 1..=40u32 {
            let body = serde_json::json!({ "scorecard_version_id": 2, "content": { "feedback": "during the backup" }, "base_revision": 0 });
            http(
                port,
                "PUT",
                &format!("/api/drafts/{call}"),
                Some(&cookie),
                Some(&body.to_string()),
            )
            .unwrap();
        }
    });
    let copy = dir.path().join("copy.db");
    let backup = |to: &std::path::Path| {
        Command::new(BINARY)
            .args(["backup", "--to"])
            .arg(to)
            .arg("--db")
            .arg(dir.path().join("kappa.db"))
            .output()
            .unwrap()
    };
    let made = backup(&copy);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    writes.join().unwrap();
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let calls: i64 = conn
        .query_row("SELECT COUNT(*) FROM calls", [], |r| r.get(0))
        .unwrap();
    assert_eq!(calls as usize, common::demo().0.calls.len());
    let again = backup(&copy);
    assert!(!again.status.success(), "an existing file is kept");
    server.kill().unwrap();
    server.wait().unwrap();
}
