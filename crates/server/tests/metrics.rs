//! `/metrics` on the real binary: served only on its own listener, in the Prometheus text
//! format, counting each request under its route pattern with its status and latency, and the
//! waits for database connections.

mod common;

use common::server::{free_port, http, sign_in, start_with};
use std::collections::BTreeMap;

/// Every sample of an exposition: `name{labels}` → value. Fails on a line the format refuses.
fn samples(text: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        if line.starts_with("# HELP ") || line.starts_with("# TYPE ") {
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("not a sample: {line:?}"));
        let name_end = series.find('{').unwrap_or(series.len());
        assert!(
            series[..name_end]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "metric name in {line:?}"
        );
        if name_end < series.len() {
            assert!(series.ends_with('}'), "labels in {line:?}");
        }
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("value in {line:?}"));
        assert!(
            out.insert(series.to_string(), value).is_none(),
            "{line:?} twice"
        );
    }
    out
}

fn requests(samples: &BTreeMap<String, f64>, route: &str, method: &str, status: u16) -> f64 {
    samples
        .get(&format!(
            "kappa_http_request_duration_seconds_count{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}}"
        ))
        .copied()
        .unwrap_or(0.0)
}

#[test]
fn metrics_count_requests_by_route_on_their_own_listener() {
    let dir = tempfile::tempdir().unwrap();
    let (port, metrics_port) = (free_port(), free_port());
    let metrics_addr = format!("127.0.0.1:{metrics_port}");
    let mut server = start_with(dir.path(), port, true, &["--metrics-addr", &metrics_addr]);

    let cookie = sign_in(port, "lead1", "demo");
    assert_eq!(
        http(port, "GET", "/api/calls?limit=5", Some(&cookie), None)
            .unwrap()
            .0,
        200
    );
    for id in [999_901, 999_902] {
        let (status, _, _) = http(
            port,
            "GET",
            &format!("/api/calls/{id}"),
            Some(&cookie),
            None,
        )
        .unwrap();
        assert_eq!(status, 404);
    }
    assert_eq!(
        http(port, "GET", "/api/no-such-thing/7", Some(&cookie), None)
            .unwrap()
            .0,
        404
    );

    // The API's own address does not tell: `/metrics` there is the app's page like any path.
    let (_, _, page) = http(port, "GET", "/metrics", None, None).unwrap();
    assert!(!page.contains("kappa_http"), "{page}");
    // And the metrics listener serves nothing else.
    assert_eq!(
        http(metrics_port, "GET", "/api/health", None, None)
            .unwrap()
            .0,
        404
    );

    let (status, head, body) = http(metrics_port, "GET", "/metrics", None, None).unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/plain; version=0.0.4"),
        "{head}"
    );
    let samples = samples(&body);

    let store = if common::on_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(
        samples.get(&format!(
            "kappa_info{{version=\"{}\",store=\"{store}\"}}",
            env!("CARGO_PKG_VERSION")
        )),
        Some(&1.0),
        "{body}"
    );
    // Each request under its route's pattern, never its path: ids make no series of their own.
    assert_eq!(requests(&samples, "/api/auth/login", "POST", 200), 1.0);
    assert_eq!(requests(&samples, "/api/calls", "GET", 200), 1.0);
    assert_eq!(requests(&samples, "/api/calls/{id}", "GET", 404), 2.0);
    assert_eq!(requests(&samples, "api (no route)", "GET", 404), 1.0);
    assert!(!body.contains("999901") && !body.contains("no-such-thing"));
    // The start-up's health checks, counted like any request.
    assert!(requests(&samples, "/api/health", "GET", 200) >= 1.0);

    // Every histogram: buckets never fall, and +Inf is the count.
    for (series, count) in samples.iter().filter(|(s, _)| s.contains("_count{")) {
        let name = &series[..series.find("_count{").unwrap()];
        let labels = &series[series.find('{').unwrap() + 1..series.len() - 1];
        let buckets: Vec<f64> = samples
            .iter()
            .filter(|(s, _)| s.starts_with(&format!("{name}_bucket{{{labels},le=\"")))
            .map(|(_, v)| *v)
            .collect();
        assert_eq!(buckets.len(), 15, "{series}");
        let inf = samples[&format!("{name}_bucket{{{labels},le=\"+Inf\"}}")];
        assert_eq!(inf, *count, "{series}");
        let mut finite: Vec<(f64, f64)> = samples
            .iter()
            .filter_map(|(s, v)| {
                let rest = s.strip_prefix(&format!("{name}_bucket{{{labels},le=\""))?;
                Some((rest.trim_end_matches("\"}").parse::<f64>().ok()?, *v))
            })
            .collect();
        finite.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(
            finite.windows(2).all(|w| w[0].1 <= w[1].1) && finite.last().unwrap().1 <= inf,
            "{series}: {finite:?}"
        );
    }

    // Reads and writes waited for their connections, and none waits now.
    assert!(samples["kappa_db_wait_seconds_count{kind=\"read\"}"] >= 3.0);
    assert!(samples["kappa_db_wait_seconds_count{kind=\"write\"}"] >= 1.0);
    assert_eq!(samples["kappa_db_waiting{kind=\"read\"}"], 0.0);
    assert_eq!(samples["kappa_db_waiting{kind=\"write\"}"], 0.0);
    assert_eq!(samples["kappa_heavy_work_running"], 0.0);
    assert_eq!(samples["kappa_http_requests_in_flight"], 0.0);

    server.kill().unwrap();
    server.wait().unwrap();
}
