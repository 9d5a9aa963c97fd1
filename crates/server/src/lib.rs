//! Kappa's server: parses requests, asks `kappa-domain`, reads and writes SQLite, answers JSON,
//! and serves the built SPA for every path outside `/api`.

pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod http;
pub mod spa;

use axum::Router;
use std::sync::Arc;

pub use config::Config;
pub use db::Db;
pub use error::{Error, Result};

#[derive(Clone)]
pub struct ApiContext {
    pub config: Arc<Config>,
    pub db: Db,
}

/// The whole application: the API under `/api`, the SPA everywhere else.
pub fn app(ctx: ApiContext) -> Router {
    use axum::http::{header, HeaderValue};
    use tower_http::set_header::SetResponseHeaderLayer;
    let dist = ctx.config.dist.clone();
    Router::new()
        .nest("/api", http::router())
        .merge(spa::router(&dist))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .with_state(ctx)
}
