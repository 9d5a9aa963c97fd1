//! `cargo xtask run`: set up what is missing, build, serve the demo on 127.0.0.1:8080.
//! `cargo xtask test`: set up what is missing, run every test (unit, API, browser).
//! `cargo xtask bench`: build and print the numbers recorded in BENCHMARKS.md.

mod bundle;
mod postgres;
mod setup;
mod wasm;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

pub type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => test(&args[1..]),
        Some("bench") if args.get(1).is_some_and(|a| a == "load") => {
            setup::ensure_all().and_then(|()| build()).and_then(|()| bench_load())
        }
        Some("bench") => bench(),
        Some("setup") => setup::ensure_all(),
        Some("build") => setup::ensure_all().and_then(|()| build()),
        Some("wasm") => setup::check_wasm_tools().and_then(|()| wasm::build_into_staging()),
        Some("sizes") => bundle::check_budgets(&root().join("dist")),
        _ => Err("usage: cargo xtask run | test [--no-e2e] | bench [load] | setup | build | sizes (of dist/, against the budgets) | wasm (trunk's post_build hook)".into()),
    };
    match result {
        Ok(()) => {
            eprintln!("xtask: done in {:.1} s", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask sits two levels below the root")
        .to_path_buf()
}

/// A command run from the repository root with the project's tools first on PATH.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root()).env("PATH", setup::tool_path());
    c
}

pub fn run_step(what: &str, c: &mut Command) -> Result {
    eprintln!("xtask: {what}");
    let started = Instant::now();
    let status = c
        .status()
        .map_err(|e| format!("{what}: cannot start {c:?}: {e}"))?;
    // Each phase's time, for BENCHMARKS.md's record of what the test command costs.
    eprintln!("xtask: {what}: {:.0} s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// The SPA (release, via trunk) with pre-compressed twins, and the server binary. The SPA is
/// rebuilt only when one of its inputs changed since the last build.
fn build() -> Result {
    let dist = root().join("dist");
    let fingerprint = bundle::inputs_fingerprint(&root())?;
    if bundle::built_from(&dist) == Some(fingerprint) {
        eprintln!("xtask: the SPA in dist/ is up to date");
    } else {
        run_step(
            "building the SPA (trunk, release)",
            cmd("trunk").args(["build", "--release"]),
        )?;
        bundle::precompress(&dist)?;
        bundle::mark_built(&dist, fingerprint)?;
    }
    run_step(
        "building the server (release)",
        cmd("cargo").args(["build", "--release", "--package", "kappa-server"]),
    )
}

fn run() -> Result {
    setup::ensure_all()?;
    build()?;
    let addr = std::env::var("KAPPA_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let db = std::env::var("KAPPA_DB")
        .unwrap_or_else(|_| root().join("kappa.db").to_string_lossy().into_owned());
    println!();
    println!("  Kappa is starting at http://{addr}/   (database: {db})");
    println!("  Demo sign-ins, all with the password  demo :");
    println!("    admin      administrator");
    println!("    lead1      team lead        (also lead2)");
    println!("    reviewer1  QA reviewer      (also reviewer2 … reviewer4)");
    println!("    agent1     agent            (also agent2 … agent27)");
    println!("  Stop with Ctrl-C.");
    println!();
    // The demo centre is asked for here, never by default: a real installation starts empty.
    run_step(
        "serving",
        cmd(&root().join("target/release/kappa-server").to_string_lossy())
            .arg("--demo")
            .env("KAPPA_ADDR", &addr)
            .env("KAPPA_DB", &db)
            .env("KAPPA_DIST", root().join("dist"))
            .env("KAPPA_RECORDINGS", root().join("crates/demo/audio"))
            .env("KAPPA_IMPORTS", root().join("target/imports")),
    )
}

/// The crates clippy holds to no warnings (the SPA, built for wasm only, is not yet among them).
const LINTED: &[&str] = &[
    "kappa-domain",
    "kappa-import",
    "kappa-server",
    "kappa-demo",
    "xtask",
    "kappa-bench-wasm",
];

/// The tree as `cargo fmt` writes it, and no clippy warning: checked before anything is built.
fn lint() -> Result {
    run_step(
        "formatting (cargo fmt --check)",
        cmd("cargo").args(["fmt", "--all", "--check"]),
    )?;
    let mut clippy = cmd("cargo");
    clippy.args(["clippy", "--quiet", "--all-targets"]);
    for package in LINTED {
        clippy.args(["--package", package]);
    }
    run_step(
        "lints (cargo clippy, warnings refused)",
        clippy.args(["--", "-D", "warnings"]),
    )
}

/// The server's test files that run a second time with PostgreSQL behind the API; the others
/// are about SQLite itself (its file, its pool, its migrations) or already run every store.
const POSTGRES_SUITES: &[&str] = &[
    "api",
    "matrix",
    "security",
    "fault",
    "concurrency",
    "metrics",
    "coaching",
];

fn test(args: &[String]) -> Result {
    setup::ensure_all()?;
    lint()?;
    let cluster = postgres::Cluster::start()?;
    run_step(
        "unit and API tests (cargo test; scenarios on every store)",
        cmd("cargo")
            .args([
                "test",
                "--package",
                "kappa-domain",
                "--package",
                "kappa-import",
                "--package",
                "kappa-demo",
                "--package",
                "kappa-server",
                "--package",
                "xtask",
            ])
            .env("KAPPA_TEST_POSTGRES", &cluster.url),
    )?;
    run_step(
        "the API suites again, on PostgreSQL",
        cmd("cargo")
            .args(["test", "--package", "kappa-server"])
            .args(POSTGRES_SUITES.iter().flat_map(|t| ["--test", t]))
            .env("KAPPA_TEST_POSTGRES", &cluster.url)
            .env("KAPPA_TEST_STORE", "postgres"),
    )?;
    if args.iter().any(|a| a == "--no-e2e") {
        return Ok(());
    }
    build()?;
    // The browser suite's smoke subset runs on PostgreSQL too, seeded by the server it starts.
    let e2e_database = cluster.create_database("kappa_e2e")?;
    let e2e = run_step(
        "browser tests (Playwright, Chromium; the smoke subset on PostgreSQL too)",
        cmd("npx")
            .args([
                "playwright",
                "test",
                "--config",
                "tests/e2e/playwright.config.ts",
            ])
            .env("KAPPA_E2E_POSTGRES", e2e_database),
    );
    drop(cluster);
    print_e2e_summary();
    eprintln!("xtask: download size per route against its budget");
    let budgets = bundle::check_budgets(&root().join("dist"));
    e2e.and(budgets)
}

/// Playwright's own summary is not a line CI recognises; this is, from its JSON report.
fn print_e2e_summary() {
    let Ok(report) = std::fs::read_to_string(root().join("target/e2e-report.json")) else {
        return;
    };
    let count = |key: &str| {
        report
            .split(&format!("\"{key}\":"))
            .nth(1)
            .and_then(|rest| {
                rest.trim_start()
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
            })
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let passed = count("expected") + count("flaky");
    println!(
        "browser tests: {passed} passed, {} failed, {} skipped",
        count("unexpected"),
        count("skipped")
    );
}

fn bench() -> Result {
    setup::ensure_all()?;
    build()?;
    bundle::report(&root().join("dist"))?;
    run_step(
        "domain benchmarks",
        cmd("cargo").args(["run", "-q", "--release", "-p", "kappa-demo", "--", "bench"]),
    )?;
    run_step(
        "sampling on SQLite (a million calls)",
        cmd("cargo").args([
            "run",
            "-q",
            "--release",
            "-p",
            "kappa-server",
            "--example",
            "sampling_bench",
        ]),
    )?;
    run_step(
        "import: a million-row call-record CSV through the checking pass",
        cmd("cargo").args([
            "run",
            "-q",
            "--release",
            "-p",
            "kappa-bench-wasm",
            "--example",
            "import_bench",
        ]),
    )?;
    run_step(
        "import: the million-row export committed into a demo centre on SQLite, then again",
        cmd("cargo").args([
            "run",
            "-q",
            "--release",
            "-p",
            "kappa-server",
            "--example",
            "import_commit_bench",
        ]),
    )?;
    bench_sampling_in_chromium()?;
    bench_agreement()?;
    bench_against_server()?;
    bench_static_site()?;
    bench_load()
}

/// Lighthouse on the static build, served as a host with SPA rewrites serves it (deep links
/// answered with the app, precompressed files): the app there asks `config.json` and reads
/// fixtures, so its numbers differ from the server's.
fn bench_static_site() -> Result {
    let port = free_port()?;
    let host = cmd("node")
        .args([
            "tests/e2e/static-server.mjs",
            "dist",
            &port.to_string(),
            "--rewrite",
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("starting the static host: {e}"))?;
    let mut host = listening(host, port, "the static host")?;
    let result = run_step(
        "Lighthouse (mobile) on the static build, median of three runs each",
        cmd("node")
            .arg("tests/bench/lighthouse.mjs")
            .arg(format!("http://127.0.0.1:{port}"))
            .env("MODE", "static"),
    );
    let _ = host.kill();
    let _ = host.wait();
    result
}

/// A release server with the demo centre on `database` (flags naming it), once it listens.
fn demo_server(port: u16, database: &[&str], demo: bool) -> Result<std::process::Child> {
    let mut c = cmd(&root().join("target/release/kappa-server").to_string_lossy());
    c.args(["--addr", &format!("127.0.0.1:{port}"), "--dist"])
        .arg(root().join("dist"))
        .args(database)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if demo {
        c.arg("--demo");
    }
    let server = c.spawn().map_err(|e| format!("starting the server: {e}"))?;
    // It listens only once the demo is seeded.
    listening(server, port, "the server")
}

/// `child` once it listens on `port`; stopped and refused after 120 s.
fn listening(mut child: std::process::Child, port: u16, what: &str) -> Result<std::process::Child> {
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed().as_secs() > 120 {
            let _ = child.kill();
            return Err(format!("{what} did not start within 120 s"));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Ok(child)
}

/// A loopback port nobody listens on.
pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port())
}

/// The same bounded load (examples/load_bench.rs) on SQLite, on PostgreSQL, and on two servers
/// sharing one PostgreSQL database, one after the other on this machine.
fn bench_load() -> Result {
    run_step(
        "the load tool",
        cmd("cargo").args([
            "build",
            "-q",
            "--release",
            "-p",
            "kappa-server",
            "--example",
            "load_bench",
        ]),
    )?;
    let tool = root().join("target/release/examples/load_bench");
    let load = |what: &str, ports: &[u16]| {
        run_step(
            what,
            cmd(&tool.to_string_lossy())
                .args(ports.iter().map(|p| format!("http://127.0.0.1:{p}"))),
        )
    };
    let db = std::env::temp_dir().join(format!("kappa-load-{}.db", std::process::id()));
    let port = free_port()?;
    let mut server = demo_server(port, &["--db", &db.to_string_lossy()], true)?;
    let on_sqlite = load("load on SQLite (one server)", &[port]);
    let _ = server.kill();
    let _ = server.wait();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    on_sqlite?;
    let cluster = postgres::Cluster::start()?;
    let url = cluster.create_database("kappa_load")?;
    let ports = [free_port()?, free_port()?];
    let mut first = demo_server(ports[0], &["--database", &url], true)?;
    let mut second = demo_server(ports[1], &["--database", &url], false)?;
    let result = load("load on PostgreSQL (one server)", &ports[..1])
        .and_then(|()| load("load on PostgreSQL (two servers, one database)", &ports));
    for server in [&mut first, &mut second] {
        let _ = server.kill();
        let _ = server.wait();
    }
    result
}

/// The reference the agreement benchmark compares with, pinned, in its own virtual environment
/// under target/ (nothing else of the project needs Python).
const PYTHON_REFERENCE: [&str; 2] = ["krippendorff==0.9.0", "numpy==2.4.6"];

/// Krippendorff's α with its bootstrap interval on 50 raters × 2,000 units: native, in Chromium
/// (the wasm built by `bench_sampling_in_chromium`) and PyPI's `krippendorff`, on one file.
fn bench_agreement() -> Result {
    let venv = root().join("target/bench-venv");
    let python = venv.join("bin/python");
    let pinned = cmd(&python.to_string_lossy())
        .args(["-m", "pip", "freeze"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if PYTHON_REFERENCE
        .iter()
        .any(|p| !pinned.lines().any(|l| l == *p))
    {
        setup::ensure_apt(setup::BENCH_APT_PACKAGES)?;
        run_step(
            "a Python environment for the reference",
            cmd("python3").args(["-m", "venv"]).arg(&venv),
        )?;
        run_step(
            "krippendorff and numpy from PyPI",
            cmd(&python.to_string_lossy())
                .args(["-m", "pip", "install", "-q"])
                .args(PYTHON_REFERENCE),
        )?;
    }
    run_step(
        "Krippendorff's α with a bootstrap interval: native, Chromium (wasm), PyPI",
        cmd("node")
            .arg("tests/bench/agreement.mjs")
            .arg(root().join("target/bench-wasm"))
            .arg(&python),
    )
}

/// The domain's draw compiled to wasm and timed inside the system Chromium, as the static demo
/// runs it.
fn bench_sampling_in_chromium() -> Result {
    run_step(
        "the sampling benchmark for the browser (wasm)",
        cmd("cargo").args([
            "build",
            "-q",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "kappa-bench-wasm",
        ]),
    )?;
    let out = root().join("target/bench-wasm");
    let wasm = root().join("target/wasm32-unknown-unknown/release/kappa_bench_wasm.wasm");
    run_step(
        "its JS bindings",
        cmd("wasm-bindgen")
            .args(["--target", "web", "--out-dir"])
            .arg(&out)
            .arg(&wasm),
    )?;
    run_step(
        "sampling (a million calls) and the import's preview (1,000 rows) in Chromium",
        cmd("node").arg("tests/bench/sampling.mjs").arg(&out),
    )
}

/// Durable submissions and Lighthouse against the release server on a fresh demo database.
fn bench_against_server() -> Result {
    let port = free_port()?;
    let db = std::env::temp_dir().join(format!("kappa-bench-{}.db", std::process::id()));
    let mut server = demo_server(port, &["--db", &db.to_string_lossy()], true)?;
    let base = format!("http://127.0.0.1:{port}");
    let result = run_step(
        "durable writes (evaluation submissions, synchronous=FULL)",
        cmd("node").arg("tests/bench/writes.mjs").arg(&base),
    )
    .and_then(|()| {
        run_step(
            "answer key to score on screen (review workspace, 40 criteria)",
            cmd("node").arg("tests/bench/review.mjs").arg(&base),
        )
    })
    .and_then(|()| {
        run_step(
            "Lighthouse (mobile) on sign-in and the main pages, median of three runs each",
            cmd("node").arg("tests/bench/lighthouse.mjs").arg(&base),
        )
    })
    .and_then(|()| {
        run_step(
            "the LCP element and long tasks of each main page, cold, at 4× CPU on slow 4G",
            cmd("node").arg("tests/bench/lcp.mjs").arg(&base),
        )
    });
    let _ = server.kill();
    let _ = server.wait();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    result
}
