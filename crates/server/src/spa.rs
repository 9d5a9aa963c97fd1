//! Serves the built SPA: files as they are (pre-compressed twins when the browser accepts them),
//! `index.html` for every client route, and `/config.json` telling the SPA to use this server.

use crate::ApiContext;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, Request, StatusCode};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(dist: &Path) -> Router<ApiContext> {
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip());
    Router::new()
        .route("/config.json", get(config))
        // The static build ships the demo's data and recordings; a server keeps both behind
        // its API, where every request is checked.
        .route("/fixtures/{*rest}", get(not_served))
        .route("/audio/{*rest}", get(not_served))
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
}

/// The same build also runs from plain static hosting, where a shipped `config.json` says
/// "fixtures"; served from here it says "server".
async fn config() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "no-cache")], r#"{"mode":"server"}"#)
}

async fn not_served() -> impl IntoResponse {
    (StatusCode::NOT_FOUND, [(CONTENT_TYPE, "text/plain; charset=utf-8")], "Not found")
}

/// Scripts come from this host only, plus the one inline module trunk writes into `index.html`
/// to start the app, allowed by its hash; `'wasm-unsafe-eval'` lets it compile the wasm.
pub fn content_security_policy(dist: &Path) -> HeaderValue {
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let hashes: String = inline_scripts(&index).map(|script| format!(" 'sha256-{}'", STANDARD.encode(Sha256::digest(script.as_bytes())))).collect();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; img-src 'self' data:; media-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// The bodies of `<script>` elements without a `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        let (body, _) = rest.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

/// trunk names built assets `name-<16 hex>.ext`: such a name never changes content, so it is
/// cached for a year; everything else is revalidated on each use.
async fn cache_headers(req: Request<axum::body::Body>, next: Next) -> Response {
    let immutable = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    if !res.headers().contains_key(CACHE_CONTROL) {
        let value = if immutable && res.status().is_success() { "public, max-age=31536000, immutable" } else { "no-cache" };
        res.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn inline_scripts_are_found_by_their_bodies() {
        let html = r#"<head><script type="module">import init from '/a.js'; init();</script><script src="/b.js"></script></head>"#;
        assert_eq!(super::inline_scripts(html).collect::<Vec<_>>(), vec!["import init from '/a.js'; init();"]);
    }

    #[test]
    fn only_trunk_hashed_names_are_immutable() {
        assert!(is_hashed_asset("/kappa-3f2a9c0d1e4b5a67_bg.wasm"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(is_hashed_asset("/kappa-ddf0f31e3633066_bg.wasm"), "trunk drops leading zeros");
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/fixtures/calls.json"));
        assert!(!is_hashed_asset("/audio/zh-change-flight.ogg"));
    }
}
