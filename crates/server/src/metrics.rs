//! What the server tells a centre's monitoring, in the Prometheus text format: requests by route,
//! method and status with their latency, the waits for a database connection, and the scarce
//! work under way. Counted here; served by `http::metrics` on a listener of its own
//! (`--metrics-addr`), never beside the API: route names and load are nobody's business outside
//! the centre's network.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Upper bounds of the latency buckets, in seconds: from a cached read (~1 ms) to the request
/// timeout's neighbourhood, denser where the 50 ms target lies.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Counts of observations at or under each bound, their sum and number.
#[derive(Default, Clone)]
struct Histogram {
    at_most: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, took: Duration) {
        let seconds = took.as_secs_f64();
        for (bound, n) in BUCKETS.iter().zip(self.at_most.iter_mut()) {
            if seconds <= *bound {
                *n += 1;
            }
        }
        self.sum += seconds;
        self.count += 1;
    }

    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let comma = if labels.is_empty() { "" } else { "," };
        for (bound, n) in BUCKETS.iter().zip(self.at_most) {
            let _ = writeln!(out, "{name}_bucket{{{labels}{comma}le=\"{bound}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{comma}le=\"+Inf\"}} {}",
            self.count
        );
        let _ = writeln!(out, "{name}_sum{{{labels}}} {}", self.sum);
        let _ = writeln!(out, "{name}_count{{{labels}}} {}", self.count);
    }
}

/// One series of answered requests. The route is the router's pattern (`/api/calls/{id}`), so
/// the series are as many as the routes, whatever the ids and paths asked.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Answered {
    route: String,
    method: &'static str,
    status: u16,
}

/// The requests the server has answered and is answering.
#[derive(Default)]
pub struct Metrics {
    answered: Mutex<BTreeMap<Answered, Histogram>>,
    in_flight: AtomicI64,
}

/// Where the router puts the matched route for the layer that times the whole request: set by
/// [`name_route`] inside the API, read by [`track`] outside every other layer (so a request cut
/// off by the timeout or a panic is counted under its route too).
#[derive(Clone, Default)]
struct RouteSlot(Arc<OnceLock<String>>);

/// Methods as they are counted: the ones the API serves, the rest as one.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        _ => "other",
    }
}

/// Times every request and counts its answer: the outermost layer of the app.
pub async fn track(State(metrics): State<Arc<Metrics>>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let slot = RouteSlot::default();
    req.extensions_mut().insert(slot.clone());
    let method = method_label(req.method());
    // Paths no route matched are counted together, so a scan of made-up paths makes no series.
    let unmatched = if req.uri().path().starts_with("/api/") {
        "api (no route)"
    } else {
        "app files"
    };
    metrics.in_flight.fetch_add(1, Ordering::Relaxed);
    let res = next.run(req).await;
    metrics.in_flight.fetch_sub(1, Ordering::Relaxed);
    let key = Answered {
        route: slot.0.get().map_or(unmatched, String::as_str).to_string(),
        method,
        status: res.status().as_u16(),
    };
    metrics
        .answered
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(key)
        .or_default()
        .observe(started.elapsed());
    res
}

/// Names the API route a request matched, for [`track`]: a route layer of the API.
pub async fn name_route(req: Request, next: Next) -> Response {
    if let (Some(slot), Some(path)) = (
        req.extensions().get::<RouteSlot>(),
        req.extensions().get::<MatchedPath>(),
    ) {
        let _ = slot.0.set(path.as_str().to_string());
    }
    next.run(req).await
}

/// How long requests waited for a database connection (and, for a write, for the writer), and
/// how many wait now: the first sign that a centre needs more readers or a second server.
#[derive(Default)]
pub struct DbWaits {
    read: Wait,
    write: Wait,
}

#[derive(Default)]
struct Wait {
    took: Mutex<Histogram>,
    waiting: AtomicI64,
}

/// A wait under way: counted as waiting until [`Waiting::over`] or drop. It owns its share of
/// the counts, so it can follow the request onto the blocking pool.
pub struct Waiting {
    waits: Arc<DbWaits>,
    write: bool,
    started: Instant,
}

impl DbWaits {
    /// A read starts waiting for a connection.
    pub fn read(self: &Arc<Self>) -> Waiting {
        Waiting::start(self.clone(), false)
    }

    /// A write starts waiting for a connection and the writer.
    pub fn write(self: &Arc<Self>) -> Waiting {
        Waiting::start(self.clone(), true)
    }
}

impl Waiting {
    fn start(waits: Arc<DbWaits>, write: bool) -> Waiting {
        let waiting = Waiting {
            waits,
            write,
            started: Instant::now(),
        };
        waiting.wait().waiting.fetch_add(1, Ordering::Relaxed);
        waiting
    }

    fn wait(&self) -> &Wait {
        if self.write {
            &self.waits.write
        } else {
            &self.waits.read
        }
    }

    /// The connection is in hand: the wait's length is recorded.
    pub fn over(self) {
        self.wait()
            .took
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .observe(self.started.elapsed());
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        // A wait given up (the pool closed, the request cut off) leaves the count all the same.
        self.wait().waiting.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A label value as the text format wants it.
fn quoted(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// One gauge with its help line.
pub fn gauge(
    out: &mut String,
    name: &str,
    help: &str,
    labels: &str,
    value: impl std::fmt::Display,
) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
    if labels.is_empty() {
        let _ = writeln!(out, "{name} {value}");
    } else {
        let _ = writeln!(out, "{name}{{{labels}}} {value}");
    }
}

impl Metrics {
    /// The requests' series, in the Prometheus text format.
    pub fn render(&self, out: &mut String) {
        gauge(
            out,
            "kappa_http_requests_in_flight",
            "Requests being answered now.",
            "",
            self.in_flight.load(Ordering::Relaxed),
        );
        let _ = writeln!(
            out,
            "# HELP kappa_http_request_duration_seconds Requests answered, by route, method and status, and how long each took; _count is the number of requests.\n# TYPE kappa_http_request_duration_seconds histogram"
        );
        // Copied out first: a scrape does not hold the lock every request takes while it writes.
        let answered = self
            .answered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(key, histogram)| {
                (
                    format!(
                        "route=\"{}\",method=\"{}\",status=\"{}\"",
                        quoted(&key.route),
                        key.method,
                        key.status
                    ),
                    histogram.clone(),
                )
            })
            .collect::<Vec<_>>();
        for (labels, histogram) in &answered {
            histogram.write(out, "kappa_http_request_duration_seconds", labels);
        }
    }
}

impl DbWaits {
    /// The waits' series, in the Prometheus text format.
    pub fn render(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "# HELP kappa_db_wait_seconds How long requests waited for a database connection (a write also for the writer).\n# TYPE kappa_db_wait_seconds histogram"
        );
        for (kind, wait) in [("read", &self.read), ("write", &self.write)] {
            let histogram = wait.took.lock().unwrap_or_else(|p| p.into_inner()).clone();
            histogram.write(out, "kappa_db_wait_seconds", &format!("kind=\"{kind}\""));
        }
        let _ = writeln!(
            out,
            "# HELP kappa_db_waiting Requests waiting for a database connection now.\n# TYPE kappa_db_waiting gauge"
        );
        for (kind, wait) in [("read", &self.read), ("write", &self.write)] {
            let _ = writeln!(
                out,
                "kappa_db_waiting{{kind=\"{kind}\"}} {}",
                wait.waiting.load(Ordering::Relaxed)
            );
        }
    }
}
