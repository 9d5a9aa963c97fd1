//! Load on loopback, bounded: a fixed number of requests over a fixed number of kept-alive
//! connections, spread over one or more servers on one database, for four things a centre does
//! at once: reviewers submitting evaluations, a lead paging the call library, reviewers opening
//! their queue, a lead reading a calibration report. `cargo xtask bench` runs it against SQLite,
//! PostgreSQL, and two servers on PostgreSQL.
//!
//! Not `oha`: it sends one body for a whole run, and a repeated submission is answered from the
//! stored evaluation (a read), so it could not measure the write. Here every submission is a new
//! evaluation: each reviewer scores the next call on a scorecard published for the run.
//!
//! Usage: `load_bench URL [URL…]` (servers with the demo centre, all on one database).

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{header, Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Connections open at once: a busy centre's worth of people acting together.
const CONNECTIONS: usize = 16;
/// Requests measured per route, after a warm-up.
const REQUESTS: usize = 2_000;
const WARM_UP: usize = 200;
const REVIEWERS: [&str; 4] = ["reviewer1", "reviewer2", "reviewer3", "reviewer4"];

type Error = Box<dyn std::error::Error + Send + Sync>;

/// One kept-alive connection to one server.
struct Connection {
    addr: String,
    sender: SendRequest<Full<Bytes>>,
}

impl Connection {
    async fn open(addr: &str) -> Result<Connection, Error> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        Ok(Connection {
            addr: addr.to_string(),
            sender,
        })
    }

    async fn send(
        &mut self,
        method: Method,
        path: &str,
        cookie: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, hyper::HeaderMap, Bytes), Error> {
        self.sender.ready().await?;
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, &self.addr)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(
                body.map(Value::to_string).unwrap_or_default(),
            )))?;
        let response = self.sender.send_request(request).await?;
        let (parts, body) = response.into_parts();
        Ok((
            parts.status,
            parts.headers,
            body.collect().await?.to_bytes(),
        ))
    }

    async fn json(
        &mut self,
        method: Method,
        path: &str,
        cookie: &str,
        body: Option<&Value>,
    ) -> Result<Value, Error> {
        let (status, _, bytes) = self.send(method, path, cookie, body).await?;
        if !status.is_success() {
            return Err(format!("{path}: {status} {}", String::from_utf8_lossy(&bytes)).into());
        }
        Ok(serde_json::from_slice(&bytes)?)
    }
}

async fn sign_in(addr: &str, username: &str) -> Result<String, Error> {
    let mut connection = Connection::open(addr).await?;
    let body = json!({ "username": username, "password": "demo" });
    let (status, headers, bytes) = connection
        .send(Method::POST, "/api/auth/login", "", Some(&body))
        .await?;
    if status != StatusCode::OK {
        return Err(format!(
            "signing in {username}: {status} {}",
            String::from_utf8_lossy(&bytes)
        )
        .into());
    }
    let cookie = headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie")?;
    Ok(cookie.to_string())
}

/// What one measured request asks, given the connection's number and the request's.
#[derive(Clone, Copy)]
enum Route {
    Submission,
    CallList,
    Queue,
    CalibrationReport,
}

impl Route {
    fn name(self) -> &'static str {
        match self {
            Route::Submission => "evaluation submission (POST /api/evaluations)",
            Route::CallList => "call library, first page (GET /api/calls)",
            Route::Queue => "a reviewer's queue (GET /api/queue)",
            Route::CalibrationReport => "calibration report (GET /api/calibration/{id})",
        }
    }
}

/// What the run shares: sessions, the scorecard it submits on, the next call per reviewer.
struct Run {
    reviewers: Vec<String>,
    lead: String,
    version_id: u64,
    answers: Value,
    calibration_id: u64,
    next_call: Vec<AtomicUsize>,
    calls: usize,
}

impl Run {
    async fn prepare(addr: &str) -> Result<Run, Error> {
        let admin = sign_in(addr, "admin").await?;
        let lead = sign_in(addr, "lead1").await?;
        let mut reviewers = Vec::new();
        for name in REVIEWERS {
            reviewers.push(sign_in(addr, name).await?);
        }
        let mut c = Connection::open(addr).await?;
        // A scorecard of the run's own (the demo's main card, republished): no reviewer has
        // scored any call on it, so every submission below is a new evaluation.
        let mut definition = c
            .json(Method::GET, "/api/scorecard-versions/2", &admin, None)
            .await?["definition"]
            .take();
        definition["name"] =
            json!({ "en": format!("Load benchmark {}", std::process::id()), "zh": "负载测试" });
        let card = c
            .json(Method::POST, "/api/scorecards", &admin, Some(&definition))
            .await?;
        let published = c
            .json(
                Method::POST,
                &format!("/api/scorecards/{}/publish", card["id"]),
                &admin,
                Some(&json!({ "lock_version": card["lock_version"] })),
            )
            .await?;
        let version_id = published["versions"]
            .as_array()
            .and_then(|v| v.last())
            .and_then(|v| v["id"].as_u64())
            .ok_or("the published card has no version")?;
        let mut answers = serde_json::Map::new();
        for section in definition["sections"].as_array().ok_or("no sections")? {
            for criterion in section["criteria"].as_array().ok_or("no criteria")? {
                let kind = &criterion["answer_type"];
                let answer = match kind["type"].as_str() {
                    Some("yes_no") => json!("yes"),
                    Some("scale") => json!({ "scale": 5 }),
                    Some("points") => json!({ "points": kind["max"] }),
                    _ => json!({ "choice": kind["options"][0]["key"] }),
                };
                answers.insert(
                    criterion["key"].as_str().ok_or("no key")?.to_string(),
                    answer,
                );
            }
        }
        let sessions = c.json(Method::GET, "/api/calibration", &lead, None).await?;
        let calibration_id = sessions
            .as_array()
            .and_then(|s| s.iter().find(|s| !s["revealed_at"].is_null()))
            .and_then(|s| s["id"].as_u64())
            .ok_or("no revealed calibration session in the demo")?;
        let calls = c
            .json(Method::GET, "/api/calls?limit=1", &lead, None)
            .await?["items"][0]["id"]
            .as_u64()
            .ok_or("no calls")? as usize;
        Ok(Run {
            reviewers,
            lead,
            version_id,
            answers: Value::Object(answers),
            calibration_id,
            next_call: REVIEWERS.iter().map(|_| AtomicUsize::new(1)).collect(),
            calls,
        })
    }

    /// The request the `n`th connection makes next, and the status that means it worked.
    fn request(
        &self,
        route: Route,
        connection: usize,
    ) -> (Method, String, &str, Option<Value>, StatusCode) {
        let reviewer = connection % self.reviewers.len();
        match route {
            Route::Submission => {
                let call = self.next_call[reviewer].fetch_add(1, Ordering::Relaxed);
                assert!(call <= self.calls, "more submissions than calls");
                (
                    Method::POST,
                    "/api/evaluations".into(),
                    &self.reviewers[reviewer],
                    Some(
                        json!({ "call_id": call, "scorecard_version_id": self.version_id, "answers": self.answers }),
                    ),
                    StatusCode::CREATED,
                )
            }
            Route::CallList => (
                Method::GET,
                "/api/calls".into(),
                &self.lead,
                None,
                StatusCode::OK,
            ),
            Route::Queue => (
                Method::GET,
                "/api/queue".into(),
                &self.reviewers[reviewer],
                None,
                StatusCode::OK,
            ),
            Route::CalibrationReport => (
                Method::GET,
                format!("/api/calibration/{}", self.calibration_id),
                &self.lead,
                None,
                StatusCode::OK,
            ),
        }
    }
}

/// `requests` requests of one route over [`CONNECTIONS`] connections spread over the servers:
/// each request's latency, and the time for them all.
async fn load(
    run: &Arc<Run>,
    addrs: &[String],
    route: Route,
    requests: usize,
) -> Result<(Vec<Duration>, Duration), Error> {
    let remaining = Arc::new(AtomicUsize::new(requests));
    let started = Instant::now();
    let mut workers = Vec::new();
    for n in 0..CONNECTIONS {
        let (run, remaining) = (run.clone(), remaining.clone());
        let addr = addrs[n % addrs.len()].clone();
        workers.push(tokio::spawn(async move {
            let mut connection = Connection::open(&addr).await?;
            let mut took = Vec::new();
            while remaining
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |r| r.checked_sub(1))
                .is_ok()
            {
                let (method, path, cookie, body, expected) = run.request(route, n);
                let t0 = Instant::now();
                let (status, _, bytes) = connection
                    .send(method, &path, cookie, body.as_ref())
                    .await?;
                took.push(t0.elapsed());
                if status != expected {
                    return Err::<_, Error>(
                        format!("{path}: {status} {}", String::from_utf8_lossy(&bytes)).into(),
                    );
                }
            }
            Ok(took)
        }));
    }
    let mut all = Vec::with_capacity(requests);
    for worker in workers {
        all.extend(worker.await??);
    }
    Ok((all, started.elapsed()))
}

/// CPU time so far, in ms, of every `kappa-server` and `postgres` process on the machine (the
/// servers and the database; the load tool apart): what a request costs the machine, whichever
/// process spends it.
fn cpu_ms() -> (f64, f64) {
    // Linux's clock ticks are 100 a second on every common build.
    const TICK_MS: f64 = 10.0;
    let ticks = |stat: &str| -> Option<f64> {
        // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
        let rest = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        Some(fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?)
    };
    let (mut servers, mut tool) = (0.0, 0.0);
    let me = std::process::id().to_string();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
        let Some(used) = std::fs::read_to_string(entry.path().join("stat"))
            .ok()
            .and_then(|stat| ticks(&stat))
        else {
            continue;
        };
        if name == me {
            tool += used * TICK_MS;
        } else if matches!(comm.trim(), "kappa-server" | "postgres") {
            servers += used * TICK_MS;
        }
    }
    (servers, tool)
}

fn quantile(sorted: &[Duration], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0
}

// One thread: the load tool takes at most one of the machine's cores from the servers.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let addrs: Vec<String> = std::env::args()
        .skip(1)
        .map(|url| {
            url.trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string()
        })
        .collect();
    if addrs.is_empty() {
        return Err("usage: load_bench URL [URL…]".into());
    }
    let run = Arc::new(Run::prepare(&addrs[0]).await?);
    println!(
        "{} server(s), {CONNECTIONS} connections, {REQUESTS} requests per route after {WARM_UP} to warm up",
        addrs.len()
    );
    println!("| route | requests/s | p50 ms | p99 ms | max ms | CPU ms per request: servers and database | load tool |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for route in [
        Route::Submission,
        Route::CallList,
        Route::Queue,
        Route::CalibrationReport,
    ] {
        load(&run, &addrs, route, WARM_UP).await?;
        let cpu_before = cpu_ms();
        let (mut took, elapsed) = load(&run, &addrs, route, REQUESTS).await?;
        let cpu_after = cpu_ms();
        took.sort();
        println!(
            "| {} | {:.0} | {:.1} | {:.1} | {:.1} | {:.2} | {:.2} |",
            route.name(),
            REQUESTS as f64 / elapsed.as_secs_f64(),
            quantile(&took, 0.5),
            quantile(&took, 0.99),
            quantile(&took, 1.0),
            (cpu_after.0 - cpu_before.0) / REQUESTS as f64,
            (cpu_after.1 - cpu_before.1) / REQUESTS as f64,
        );
    }
    Ok(())
}
