//! Installs what a fresh machine (Rust, Node and apt only) lacks, and nothing that is already
//! there at the right version, so the second run of any command starts at once.

use crate::{cmd, root, run_step, Result};
use std::path::PathBuf;

const TRUNK_VERSION: &str = "0.21.14";
/// Splits the wasm per page (trunk cannot; see wasm.rs).
const WASM_SPLIT_VERSION: &str = "0.2.4";
/// npm's binaryen; Debian's older wasm-opt produces a module Chromium rejects (a blank page).
const WASM_OPT_VERSION: &str = "version 132";
/// Debian packages: the browser the tests drive, CJK fonts so Chinese renders in it, and the
/// PostgreSQL server the store tests run a second time against.
const APT_PACKAGES: &[&str] = &[
    "chromium",
    "chromium-driver",
    "fonts-noto-cjk",
    "postgresql",
];
/// Only `cargo xtask bench` needs Python: a venv for the agreement benchmark's PyPI reference.
pub const BENCH_APT_PACKAGES: &[&str] = &["python3", "python3-venv"];

pub fn ensure_all() -> Result {
    ensure_apt(APT_PACKAGES)?;
    ensure_wasm_target()?;
    ensure_cargo_tool("trunk", TRUNK_VERSION, &["--locked"])?;
    let bindgen = wasm_bindgen_version()?;
    // No --locked: wasm-bindgen-cli's own lock names a crate the registry mirror lacks.
    ensure_cargo_tool("wasm-bindgen-cli", &bindgen, &[])?;
    ensure_cargo_tool(
        "wasm_split_cli_support",
        WASM_SPLIT_VERSION,
        &["--features", "build-binary", "--locked"],
    )?;
    ensure_npm()
}

/// The wasm tools on PATH are the pinned ones; a stray older one would build a broken app.
pub fn check_wasm_tools() -> Result {
    let bindgen = wasm_bindgen_version()?;
    let found = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if found.split_whitespace().nth(1) != Some(bindgen.as_str()) {
        return Err(format!("wasm-bindgen {bindgen} is needed (Cargo.lock), found: {found:?}; run `cargo xtask setup`"));
    }
    let found = output("wasm-opt", &["--version"]).unwrap_or_default();
    if !found.contains(WASM_OPT_VERSION) {
        return Err(format!("wasm-opt {WASM_OPT_VERSION} (npm binaryen) is needed, found: {found:?}; run `cargo xtask setup`"));
    }
    Ok(())
}

/// PATH with the npm tools (wasm-opt 132, Playwright) and cargo's binaries first.
pub fn tool_path() -> String {
    let mut dirs = vec![root().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    {
        dirs.push(home.join("bin"));
    }
    let mut path = dirs
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(":");
    if let Ok(rest) = std::env::var("PATH") {
        path = format!("{path}:{rest}");
    }
    path
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = cmd(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Installs whichever of `packages` Debian does not have installed.
pub fn ensure_apt(packages: &[&str]) -> Result {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            !output("dpkg-query", &["-W", "-f=${Status}", p])
                .is_some_and(|s| s.contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let as_root = output("id", &["-u"]).is_some_and(|id| id.trim() == "0");
    let apt = |args: &[&str]| {
        let mut c = if as_root { cmd("apt-get") } else { cmd("sudo") };
        if !as_root {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run_step("apt-get update", &mut apt(&["update", "-qq"]))?;
    let mut install = apt(&["install", "-y", "-qq"]);
    install.args(&missing);
    run_step(&format!("installing {}", missing.join(", ")), &mut install)
}

fn ensure_wasm_target() -> Result {
    if output("rustup", &["target", "list", "--installed"])
        .is_some_and(|t| t.lines().any(|l| l.trim() == "wasm32-unknown-unknown"))
    {
        return Ok(());
    }
    run_step(
        "adding the wasm32 target",
        cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
    )
}

/// Installs a crate's binaries unless `cargo install --list` already has it at `version`.
fn ensure_cargo_tool(krate: &str, version: &str, options: &[&str]) -> Result {
    let installed = output("cargo", &["install", "--list"]).unwrap_or_default();
    let found = installed
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{krate} v")))
        .and_then(|rest| rest.split(':').next());
    if found == Some(version) {
        return Ok(());
    }
    let found = found.map_or("none".to_string(), |v| format!("v{v}"));
    run_step(
        &format!("installing {krate} {version} (found: {found})"),
        cmd("cargo")
            .args(["install", krate, "--version", version])
            .args(options),
    )
}

/// The wasm-bindgen version Cargo.lock pins; trunk insists the CLI matches it exactly.
fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(v.to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
fn ensure_npm() -> Result {
    let stamp = root().join("node_modules/.kappa-installed");
    let lock = std::fs::read(root().join("package-lock.json"))
        .map_err(|e| format!("package-lock.json: {e}"))?;
    if std::fs::read(&stamp).is_ok_and(|s| s == lock) {
        return Ok(());
    }
    run_step(
        "installing npm tools (binaryen 132, esbuild, Playwright, axe-core, Lighthouse)",
        cmd("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )?;
    std::fs::write(&stamp, lock).map_err(|e| e.to_string())
}
