//! Pre-compressed copies of the built SPA (served as they are by the server) and their sizes.

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
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| COMPRESSIBLE.contains(&e)) {
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
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out
}

/// Everything the SPA build reads. Kept here, beside the build, so that a new input is added
/// where it is noticed.
const SPA_INPUTS: &[&str] = &["src", "locales", "style", "public", "index.html", "Trunk.toml", "Cargo.toml", "Cargo.lock", "build.rs", "crates/domain", "crates/demo", ".cargo/config.toml"];
const STAMP: &str = ".kappa-built-from";

fn walk(path: &Path, out: &mut Vec<(String, u64, u128)>) -> Result {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).map_err(|e| e.to_string())? {
            walk(&entry.map_err(|e| e.to_string())?.path(), out)?;
        }
    } else {
        let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
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
    std::fs::read_to_string(dist.join(STAMP)).ok()?.trim().parse().ok()
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

/// Prints what the first page costs to download: the app's wasm, JS glue and CSS.
pub fn report(dist: &Path) -> Result {
    let mut rows = Vec::new();
    for path in files(dist)? {
        let name = path.strip_prefix(dist).unwrap_or(&path).to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        rows.push((name, bytes.len(), gzip(&bytes).len(), brotli(&bytes).len()));
    }
    rows.sort();
    println!("{:<44} {:>10} {:>10} {:>10}", "file", "raw", "gzip", "brotli");
    let mut first_page = (0, 0, 0);
    for (name, raw, gz, br) in &rows {
        println!("{name:<44} {raw:>10} {gz:>10} {br:>10}");
        if !name.contains('/') && [".wasm", ".js", ".css"].iter().any(|e| name.ends_with(e)) {
            first_page = (first_page.0 + raw, first_page.1 + gz, first_page.2 + br);
        }
    }
    println!("{:<44} {:>10} {:>10} {:>10}", "first page (wasm + js + css)", first_page.0, first_page.1, first_page.2);
    Ok(())
}
