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
    let dist = ctx.config.dist.clone();
    Router::new()
        .nest("/api", http::router())
        .merge(spa::router(&dist))
        .with_state(ctx)
}
