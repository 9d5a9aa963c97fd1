//! Serves the built SPA: files as they are (pre-compressed twins when the browser accepts them),
//! `index.html` for every client route, and `/config.json` telling the SPA to use this server.

use crate::ApiContext;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, Request};
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
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
}

/// The same build also runs from plain static hosting, where a shipped `config.json` says
/// "fixtures"; served from here it says "server".
async fn config() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "no-cache")], r#"{"mode":"server"}"#)
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
    fn only_trunk_hashed_names_are_immutable() {
        assert!(is_hashed_asset("/kappa-3f2a9c0d1e4b5a67_bg.wasm"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(is_hashed_asset("/kappa-ddf0f31e3633066_bg.wasm"), "trunk drops leading zeros");
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/fixtures/calls.json"));
        assert!(!is_hashed_asset("/audio/zh-change-flight.ogg"));
    }
}
