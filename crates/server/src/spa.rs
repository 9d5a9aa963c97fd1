//! Serves the built SPA: files as they are (pre-compressed twins when the browser accepts them),
//! the app's page for every client route (`boot`), and `/config.json` telling the SPA to use this server.

use crate::{boot, ApiContext};
use axum::handler::Handler;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;
use tower_http::services::ServeDir;

pub fn router(ctx: &ApiContext) -> Router<ApiContext> {
    let files = ServeDir::new(&ctx.config.dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(boot::index_page.with_state(ctx.clone()));
    Router::new()
        .route("/config.json", get(config))
        .route("/index.html", get(boot::index_page))
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
        .layer(middleware::from_fn(refuse_demo_files))
}

/// The same build also runs from plain static hosting, where a shipped `config.json` says
/// "fixtures"; served from here it says "server".
async fn config() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, "no-cache"),
        ],
        r#"{"mode":"server"}"#,
    )
}

/// The static build ships the demo's data and recordings; a server keeps both behind its API,
/// where every request is checked. The path is judged as the file server will read it: decoded,
/// with empty and `.` segments dropped, so `/%66ixtures/…` or `//audio/…` are refused too.
async fn refuse_demo_files(req: Request<axum::body::Body>, next: Next) -> Response {
    let path = percent_decoded(req.uri().path());
    let first = path
        .split(['/', '\\'])
        .find(|segment| !segment.is_empty() && *segment != ".");
    if matches!(first, Some("fixtures" | "audio")) {
        return (
            StatusCode::NOT_FOUND,
            [(CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Not found",
        )
            .into_response();
    }
    next.run(req).await
}

fn percent_decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Scripts come from this host only, plus the one inline module in `index.html` that starts the
/// app (the same for every build, see crates/xtask/src/wasm.rs), allowed by its hash;
/// `'wasm-unsafe-eval'` lets it compile the wasm.
pub fn content_security_policy(dist: &Path) -> HeaderValue {
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let hashes: String = inline_scripts(&index)
        .map(|script| {
            format!(
                " 'sha256-{}'",
                STANDARD.encode(Sha256::digest(script.as_bytes()))
            )
        })
        .collect();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; img-src 'self' data:; media-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// The bodies of `<script>` elements without a `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        let (body, _) = rest.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

/// trunk names built assets `name-<16 hex>.ext`, and the wasm with its chunks sits in a
/// `pkg-<16 hex>/` folder: such a name never changes content, so it is cached for a year;
/// everything else is revalidated on each use.
async fn cache_headers(req: Request<axum::body::Body>, next: Next) -> Response {
    let immutable = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    if !res.headers().contains_key(CACHE_CONTROL) {
        let value = if immutable && res.status().is_success() {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        res.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

fn is_hashed_asset(path: &str) -> bool {
    let hashed = |name: &str| {
        name.rsplit_once('-').is_some_and(|(_, hash)| {
            (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
        })
    };
    let mut segments = path.trim_start_matches('/').split('/');
    match (segments.next(), segments.next(), segments.next()) {
        (Some(file), None, _) => hashed(file.split('.').next().unwrap_or("")),
        (Some(folder), Some(file), None) => {
            folder.starts_with("pkg-") && hashed(folder) && !file.is_empty()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn inline_scripts_are_found_by_their_bodies() {
        let html = r#"<head><script type="module">import init from '/a.js'; init();</script><script src="/b.js"></script></head>"#;
        assert_eq!(
            super::inline_scripts(html).collect::<Vec<_>>(),
            vec!["import init from '/a.js'; init();"]
        );
    }

    #[test]
    fn only_trunk_hashed_names_are_immutable() {
        assert!(is_hashed_asset("/kappa-3f2a9c0d1e4b5a67.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(
            is_hashed_asset("/favicon-ddf0f31e3633066.svg"),
            "trunk drops leading zeros"
        );
        assert!(is_hashed_asset("/pkg-0123456789abcdef/split_users.wasm"));
        assert!(is_hashed_asset("/pkg-0123456789abcdef/__wasm_split.js"));
        assert!(!is_hashed_asset("/pkg-0123456789abcdef/"));
        assert!(!is_hashed_asset("/fixtures-0123456789abcdef/calls.json"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/fixtures/calls.json"));
        assert!(!is_hashed_asset("/audio/zh-change-flight.ogg"));
    }
}
