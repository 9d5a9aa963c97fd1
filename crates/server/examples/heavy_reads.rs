//! How long `/api/health` and a call-library page take while four heavy reads run: plan
//! previews, each streaming a 200,000-call library. The numbers in BENCHMARKS.md (issue #19).
//!
//! `cargo run --release -p kappa-server --example heavy_reads -- [SERVER_BINARY]` (default: this
//! build's `target/release/kappa-server`). Loopback only; bounded in count and time.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Calls in the library besides the demo's.
const EXTRA_CALLS: usize = 200_000;
/// Heavy readers at once, and timed requests of each kind.
const HEAVY: usize = 4;
const SAMPLES: usize = 150;

fn http(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: &str,
) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the server listens");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{cookie}\r\n{body}", body.len()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// A running server, stopped (and waited for) when dropped, on every path.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(binary: &Path, db: &Path, port: u16, dist: &Path) -> Server {
    let child = Command::new(binary)
        .args(["--demo", "--addr", &format!("127.0.0.1:{port}"), "--db"])
        .arg(db)
        .arg("--dist")
        .arg(dist)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let child = Server(child);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the server did not come up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// p50, p90 and max of `SAMPLES` requests to `path`, in ms.
fn timed(port: u16, path: &str, cookie: &str) -> (f64, f64, f64) {
    let mut ms: Vec<f64> = (0..SAMPLES)
        .map(|_| {
            let started = Instant::now();
            let (status, _, body) = http(port, "GET", path, Some(cookie), "");
            assert_eq!(status, 200, "{path}: {body}");
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    (percentile(&ms, 0.5), percentile(&ms, 0.9), ms[ms.len() - 1])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let binary = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/kappa-server"));
    let dir = tempfile::tempdir()?;
    let (db, dist) = (dir.path().join("kappa.db"), dir.path().join("dist"));
    std::fs::create_dir_all(&dist)?;
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>bench</title>",
    )?;
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();

    // The demo centre as this server seeds it, then a large library beside it.
    drop(start(&binary, &db, port, &dist));
    let data = kappa_demo::generate(kappa_demo::SEED);
    let first = data.calls.iter().map(|c| c.id).max().unwrap_or(0) + 1;
    let more: Vec<kappa_domain::Call> = kappa_demo::scaled_calls(&data.calls, EXTRA_CALLS)
        .into_iter()
        .map(|c| kappa_domain::Call {
            id: c.id + first - 1,
            ..c
        })
        .collect();
    let mut conn = rusqlite::Connection::open(&db)?;
    let tx = conn.transaction()?;
    kappa_server::store::insert_calls(&tx, &more)?;
    tx.commit()?;
    drop(conn);

    let server = start(&binary, &db, port, &dist);
    let (status, head, body) = http(
        port,
        "POST",
        "/api/auth/login",
        None,
        r#"{"username":"lead1","password":"demo"}"#,
    );
    assert_eq!(status, 200, "{body}");
    let cookie = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie:")
                .then(|| l[11..].trim().split(';').next().unwrap_or("").to_string())
        })
        .ok_or("no session cookie")?;
    let calls_page = "/api/calls?page_size=25";
    let quiet = (
        timed(port, "/api/health", &cookie),
        timed(port, calls_page, &cookie),
    );

    // Four previews at a time over the whole library, for as long as the timed requests last.
    let preview = r#"{"name":"Bench","population":"","exclude_evaluated":false,"exclude_assigned":false,"scorecard_id":1,"reviewers":[4,5,6,7],"due_days":5,"strategy":{"stratified":{"by":"agent","allocation":"proportional","n":400}},"seed":9,"recurrence":"once"}"#;
    let stop = Arc::new(AtomicBool::new(false));
    let previews = Arc::new(AtomicUsize::new(0));
    let heavy: Vec<_> = (0..HEAVY)
        .map(|_| {
            let (stop, previews, cookie) = (stop.clone(), previews.clone(), cookie.clone());
            std::thread::spawn(move || {
                let mut ms = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let started = Instant::now();
                    let (status, _, body) =
                        http(port, "POST", "/api/plans/preview", Some(&cookie), preview);
                    assert_eq!(status, 200, "{body}");
                    ms.push(started.elapsed().as_secs_f64() * 1e3);
                    previews.fetch_add(1, Ordering::Relaxed);
                }
                ms
            })
        })
        .collect();
    // Let every heavy reader start before timing.
    while previews.load(Ordering::Relaxed) == 0 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let loaded = (
        timed(port, "/api/health", &cookie),
        timed(port, calls_page, &cookie),
    );
    stop.store(true, Ordering::Relaxed);
    let mut preview_ms: Vec<f64> = heavy.into_iter().flat_map(|h| h.join().unwrap()).collect();
    preview_ms.sort_by(f64::total_cmp);
    drop(server);

    println!("server: {}", binary.display());
    println!(
        "library: {} calls; {HEAVY} plan previews at once, each {:.0} ms at p50",
        data.calls.len() + EXTRA_CALLS,
        percentile(&preview_ms, 0.5)
    );
    println!("| request | quiet p50 / p90 / max | during the previews p50 / p90 / max |");
    println!("|---|---:|---:|");
    for (name, q, l) in [
        ("GET /api/health", quiet.0, loaded.0),
        ("GET /api/calls (25 a page)", quiet.1, loaded.1),
    ] {
        println!(
            "| {name} | {:.1} / {:.1} / {:.1} ms | {:.1} / {:.1} / {:.1} ms |",
            q.0, q.1, q.2, l.0, l.1, l.2
        );
    }
    Ok(())
}
