//! The real binary on loopback: started on a fresh directory, driven over raw HTTP/1.1
//! (bounded in count and time), for the tests that need the process itself.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub const BINARY: &str = env!("CARGO_BIN_EXE_kappa-server");

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The flags naming the database a server started on `dir` uses (as [`start`] chose it).
pub fn database_flags(dir: &Path) -> Vec<String> {
    match std::fs::read_to_string(dir.join("postgres-url")) {
        Ok(url) => vec!["--database".into(), url],
        Err(_) => vec!["--db".into(), dir.join("kappa.db").to_string_lossy().into()],
    }
}

/// The database a server started on `dir` uses, opened beside it.
pub fn database(dir: &Path) -> kappa_server::Db {
    match std::fs::read_to_string(dir.join("postgres-url")) {
        Ok(url) => std::thread::scope(|s| {
            s.spawn(|| kappa_server::Db::open_postgres(&url).unwrap())
                .join()
                .unwrap()
        }),
        Err(_) => kappa_server::Db::open(&dir.join("kappa.db")).unwrap(),
    }
}

/// One value a query answers from the database a server started on `dir` uses.
pub fn stored<T: kappa_server::store::sql::Column + Send>(
    db: &kappa_server::Db,
    sql: &str,
    args: &[kappa_server::store::sql::Arg],
) -> T {
    db.write_now(|conn| Ok(conn.value(sql, args)?))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub fn start(dir: &Path, port: u16, demo: bool) -> Child {
    start_with(dir, port, demo, &[])
}

/// [`start`] with more flags.
pub fn start_with(dir: &Path, port: u16, demo: bool, flags: &[&str]) -> Child {
    let config = super::test_config(dir);
    let mut cmd = Command::new(BINARY);
    cmd.args(flags);
    // One database per directory, kept across restarts as the file would be (or given by the
    // test, for several servers on one database).
    let kept = dir.join("postgres-url");
    if kept.exists() || super::on_postgres() {
        let url = match std::fs::read_to_string(&kept) {
            Ok(url) => url,
            Err(_) => {
                let url = if demo {
                    super::fresh_postgres()
                } else {
                    super::empty_postgres()
                };
                std::fs::write(&kept, &url).unwrap();
                url
            }
        };
        cmd.args(["--database", &url]);
    } else if demo && !config.db.exists() {
        // The demo centre as `--demo` would seed it, without seeding it again.
        super::copy_seeded(&config.db);
    }
    cmd.args(["--addr", &format!("127.0.0.1:{port}")])
        .arg("--db")
        .arg(&config.db)
        .arg("--dist")
        .arg(&config.dist)
        .arg("--recordings")
        .arg(&config.recordings)
        .arg("--imports")
        .arg(&config.imports);
    if demo {
        cmd.arg("--demo");
    }
    // The log goes to a file: a pipe nobody reads could fill and stall the server.
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .unwrap();
    let child = cmd
        .env_remove("KAPPA_DEMO")
        .env_remove("KAPPA_DATABASE_URL")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while http(port, "GET", "/api/health", None, None).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not come up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

/// One HTTP/1.1 exchange over loopback: (status, headers, body).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&str>,
) -> std::io::Result<(u16, String, String)> {
    let body = body.unwrap_or("").as_bytes();
    http_bytes(port, method, path, cookie, "application/json", body)
}

/// [`http`] with a body of any bytes and type (a file uploaded for import).
pub fn http_bytes(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<(u16, String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{cookie}\r\n", body.len())?;
    stream.write_all(body)?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    Ok((status, head.to_string(), body.to_string()))
}

pub fn sign_in(port: u16, username: &str, password: &str) -> String {
    let (status, head, body) = http(
        port,
        "POST",
        "/api/auth/login",
        None,
        Some(&format!(
            r#"{{"username":"{username}","password":"{password}"}}"#
        )),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let line = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap();
    line.split_once(':')
        .unwrap()
        .1
        .trim()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// The demo's current version of its first scorecard: what the tests score with.
pub fn current_version() -> &'static kappa_domain::scorecard::ScorecardVersion {
    super::demo()
        .0
        .scorecards
        .versions
        .iter()
        .filter(|v| v.scorecard_id == 1)
        .max_by_key(|v| v.version)
        .unwrap()
}

pub fn submission(call: u32) -> String {
    let version = current_version();
    let answers: kappa_domain::scorecard::Answers = version
        .definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| (c.key.clone(), c.answer_type.best()))
        .collect();
    serde_json::json!({ "call_id": call, "scorecard_version_id": version.id, "answers": answers })
        .to_string()
}
