//! Pre-compressed copies of the built SPA (served as they are by the server) and their sizes.

use crate::wasm::{Manifest, Page, PAGES};
use crate::Result;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::{Path, PathBuf};

const COMPRESSIBLE: &[&str] = &["wasm", "js", "css", "html", "json", "svg"];

fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            out.extend(files(&path)?);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e))
        {
            out.push(path);
        }
    }
    Ok(out)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out
}

/// Everything the SPA build reads. Kept here, beside the build, so that a new input is added
/// where it is noticed.
const SPA_INPUTS: &[&str] = &[
    "src",
    "locales",
    "style",
    "public",
    "index.html",
    "Trunk.toml",
    "Cargo.toml",
    "Cargo.lock",
    "build.rs",
    "crates/domain",
    "crates/demo",
    ".cargo/config.toml",
    "crates/xtask/src/wasm.rs",
];
const STAMP: &str = ".kappa-built-from";

fn walk(path: &Path, out: &mut Vec<(String, u64, u128)>) -> Result {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).map_err(|e| e.to_string())? {
            walk(&entry.map_err(|e| e.to_string())?.path(), out)?;
        }
    } else {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        out.push((path.to_string_lossy().into_owned(), meta.len(), modified));
    }
    Ok(())
}

/// A fingerprint of the SPA's inputs: names, sizes and modification times.
pub fn inputs_fingerprint(root: &Path) -> Result<u64> {
    use std::hash::{Hash, Hasher};
    let mut files = Vec::new();
    for input in SPA_INPUTS {
        walk(&root.join(input), &mut files)?;
    }
    files.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    files.hash(&mut hasher);
    Ok(hasher.finish())
}

pub fn built_from(dist: &Path) -> Option<u64> {
    std::fs::read_to_string(dist.join(STAMP))
        .ok()?
        .trim()
        .parse()
        .ok()
}

pub fn mark_built(dist: &Path, fingerprint: u64) -> Result {
    std::fs::write(dist.join(STAMP), fingerprint.to_string()).map_err(|e| e.to_string())
}

/// Writes `name.gz` and `name.br` beside every text-like file of the build.
pub fn precompress(dist: &Path) -> Result {
    for path in files(dist)? {
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (ext, packed) in [("gz", gzip(&bytes)), ("br", brotli(&bytes))] {
            let target = PathBuf::from(format!("{}.{ext}", path.display()));
            std::fs::write(&target, packed).map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

/// Bytes (brotli, as served) of what sign-in needs: index.html, CSS, the main module, its glue
/// and the split loader. Set from what the build achieves, about 2 KB above (a checkout's path is
/// in the wasm's panic locations, so sizes move by a few hundred bytes between checkouts).
/// Issue #23 added the inbox link and its count to the top bar (2.4 KB with its words).
pub const SHELL_BUDGET: usize = 209_000;

/// Each page group's budget: the shell plus the group's chunks (brotli, as served), what a cold
/// load of any of its pages downloads, about 2 KB above what the build achieves. Since issue #22
/// pages used together share one chunk: a group's first page carries the whole group, and its
/// other pages then cost nothing more. The history of each route's growth is in BENCHMARKS.md.
/// Issue #24's agent codes (a users-page column and two form fields, the problem kinds every
/// group now reads whole off the wire) added 0.5–2 KB. Its centre vocabulary (queues and
/// outcomes as data: loaded on first use, parsed from the page or asked for, kept in the
/// static demo's storage) added 9.6–10 KB to every group that names a queue, and its page
/// 11 KB to setup; imported calls' origin and attributes (read with every call), the library's
/// attribute filter and the call page's attributes 3.5–5.7 KB more. Its import page is a group of
/// its own (the file reader: encodings, CSV, JSON, workbooks, 300 KB); a fifth group split the
/// shared code into 16 files per cold page, so calibration, scored in the review workspace
/// anyway, joined the reviewer's work group (work +108 KB, 8 files per page again).
pub const BUDGETS: &[(&str, usize)] = &[
    ("work", 775_000),
    ("setup", 612_500),
    // Since issue #23 the agent's pages and coaching are one group: the agent's page shows
    // their progress and coaching, and a group of its own for coaching would share chunks with
    // every other group (16 files per cold page, over the rule; BENCHMARKS.md).
    ("me", 623_500),
    // Issue #24's import page, alone: the file reader (encodings, CSV, JSON, workbooks) is no
    // other page's weight.
    ("import", 697_000),
];

fn budget(page: &Page) -> Result<usize> {
    BUDGETS
        .iter()
        .find(|(group, _)| *group == page.group)
        .map(|(_, b)| *b)
        .ok_or_else(|| {
            format!(
                "the page group `{}` ({}) has no size budget in crates/xtask/src/bundle.rs BUDGETS",
                page.group, page.route
            )
        })
}

/// Brotli bytes of a built file, as served (its precompressed twin).
fn served(path: &Path) -> Result<usize> {
    let br = PathBuf::from(format!("{}.br", path.display()));
    match std::fs::metadata(&br) {
        Ok(meta) => Ok(meta.len() as usize),
        Err(_) => {
            Ok(brotli(&std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?).len())
        }
    }
}

/// What each route costs to download: the shell (index.html, CSS, the main module, its glue and
/// the split loader) plus the chunks of its page.
pub struct RouteSizes {
    pub shell: usize,
    /// route → (its chunks' bytes, how many files)
    pub routes: Vec<(&'static Page, usize, usize)>,
    /// every file of the app: shell and all chunks
    pub whole: usize,
}

pub fn route_sizes(dist: &Path) -> Result<RouteSizes> {
    let pkg = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("pkg-"))
        })
        .ok_or("dist/ has no pkg-<hash> folder: build first")?;
    let manifest = Manifest::built(dist)?;
    let mut shell = served(&dist.join("index.html"))?;
    for path in files(dist)?
        .iter()
        .filter(|p| p.parent() == Some(dist) && p.extension().is_some_and(|e| e == "css"))
    {
        shell += served(path)?;
    }
    for file in &manifest.shell {
        shell += served(&pkg.join(file))?;
    }
    let mut routes = Vec::new();
    for page in &PAGES {
        let chunks = manifest.route_files(page);
        let bytes = chunks
            .iter()
            .map(|f| served(&pkg.join(f)))
            .sum::<Result<usize>>()?;
        routes.push((page, bytes, chunks.len()));
    }
    let mut whole = shell;
    for path in files(&pkg)? {
        if !manifest.shell.iter().any(|f| path.ends_with(f)) {
            whole += served(&path)?;
        }
    }
    Ok(RouteSizes {
        shell,
        routes,
        whole,
    })
}

/// Prints what each route costs (brotli, as served) against its budget.
pub fn report(dist: &Path) -> Result<RouteSizes> {
    let sizes = route_sizes(dist)?;
    let kb = |b: usize| format!("{:.1} KB", b as f64 / 1000.0);
    println!(
        "{:<22} {:>7} {:>12} {:>12} {:>12}",
        "route (brotli)", "files", "page chunks", "with shell", "budget"
    );
    println!(
        "{:<22} {:>7} {:>12} {:>12} {:>12}",
        "shell + /signin",
        "",
        "",
        kb(sizes.shell),
        kb(SHELL_BUDGET)
    );
    for (page, bytes, count) in &sizes.routes {
        println!(
            "{:<22} {:>7} {:>12} {:>12} {:>12}",
            page.route,
            count,
            kb(*bytes),
            kb(sizes.shell + bytes),
            kb(budget(page)?)
        );
    }
    println!(
        "{:<22} {:>7} {:>12} {:>12}",
        "whole app",
        "",
        "",
        kb(sizes.whole)
    );
    Ok(sizes)
}

/// The most wasm files a cold load of any page may fetch for its page: Lighthouse's model
/// charges every request, and on a phone's round trips each costs more than its bytes.
pub const MAX_PAGE_FILES: usize = 10;

/// Fails when the shell or any route is over its budget, or a page needs more than
/// [`MAX_PAGE_FILES`] files.
pub fn check_budgets(dist: &Path) -> Result {
    let sizes = report(dist)?;
    let mut over = Vec::new();
    if sizes.shell > SHELL_BUDGET {
        over.push(format!(
            "the shell (what sign-in needs) is {} bytes, its budget {SHELL_BUDGET}",
            sizes.shell
        ));
    }
    for (page, bytes, files) in &sizes.routes {
        if *files > MAX_PAGE_FILES {
            over.push(format!(
                "{} fetches {files} wasm files, at most {MAX_PAGE_FILES}",
                page.route
            ));
        }
        let budget = budget(page)?;
        if sizes.shell + bytes > budget {
            over.push(format!(
                "{} is {} bytes with the shell, its budget {budget}",
                page.route,
                sizes.shell + bytes
            ));
        }
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "over the size or file budget (crates/xtask/src/bundle.rs):\n  {}",
            over.join("\n  ")
        ))
    }
}
