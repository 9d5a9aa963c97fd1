//! The server's layers, held by reading its source: SQL and the SQLite driver only in the store
//! and the database module, and nothing below the HTTP side importing it. A second store (or a
//! route that slips a query in) is then one place to look, not fifteen.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each source file by its path under `src/` (`store/mod.rs`) with its text.
fn tree() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files
        .into_iter()
        .map(|p| {
            let name = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn holds_storage(name: &str) -> bool {
    name.starts_with("store/") || name == "db.rs"
}

/// The HTTP side: routes, sign-in, the listener, the SPA, and the binaries that wire them.
fn is_http_side(name: &str) -> bool {
    name.starts_with("http/")
        || [
            "auth.rs",
            "boot.rs",
            "spa.rs",
            "listen.rs",
            "lib.rs",
            "main.rs",
        ]
        .contains(&name)
}

#[test]
fn sql_and_the_sqlite_driver_stay_in_the_store_and_the_database_module() {
    let sql = [
        "SELECT ",
        "INSERT INTO",
        "DELETE FROM",
        "UPDATE ",
        "rusqlite",
        "execute(",
    ];
    let mut outside = Vec::new();
    for (name, text) in tree() {
        if holds_storage(&name) {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            if let Some(word) = sql.iter().find(|w| line.contains(*w)) {
                outside.push(format!("src/{name}:{}: {word:?} in {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        outside.is_empty(),
        "SQL outside the store:\n{}",
        outside.join("\n")
    );
}

#[test]
fn nothing_below_the_http_side_imports_it() {
    let upward = [
        "crate::http",
        "crate::auth",
        "crate::spa",
        "crate::boot",
        "crate::listen",
        "super::http",
        "super::auth",
        "ApiContext",
    ];
    let mut imports = Vec::new();
    for (name, text) in tree() {
        if is_http_side(&name) || name == "context.rs" {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            if let Some(word) = upward.iter().find(|w| line.contains(*w)) {
                imports.push(format!("src/{name}:{}: {word}", n + 1));
            }
        }
    }
    assert!(
        imports.is_empty(),
        "lower modules reach up:\n{}",
        imports.join("\n")
    );
}

#[test]
fn the_checks_see_the_tree() {
    // A moved `src/` would make both checks pass on nothing.
    let names: Vec<String> = tree().into_iter().map(|(name, _)| name).collect();
    for expected in [
        "store/mod.rs",
        "db.rs",
        "http/calls.rs",
        "auth.rs",
        "password.rs",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not found in {names:?}"
        );
    }
}
