//! Kappa's server: parses requests, asks `kappa-domain`, reads and writes SQLite, answers JSON,
//! and serves the built SPA for every path outside `/api`.

pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod http;
pub mod listen;
pub mod password;
pub mod spa;
pub mod store;
pub mod throttle;

use axum::Router;
use std::sync::Arc;
use std::time::Duration;

pub use config::{Cli, Command, Config};
pub use db::Db;
pub use error::{Error, Result};

#[derive(Clone)]
pub struct ApiContext {
    pub config: Arc<Config>,
    pub db: Db,
    pub throttle: Arc<throttle::Throttle>,
    /// Password hashes computed at once: each takes ~19 MiB and a core for a moment.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Heavy work at once (agreement statistics with their bootstrap, calibration reports, plan
    /// previews streaming a population), one per core: more would only queue on the cores, and
    /// heavy reads holding every reader would stall everyone else's requests.
    pub heavy: Arc<tokio::sync::Semaphore>,
}

impl ApiContext {
    /// A turn at heavy work: waits (without a thread) while every core has some.
    pub async fn heavy_permit(&self) -> Result<tokio::sync::SemaphorePermit<'_>> {
        self.heavy
            .acquire()
            .await
            .map_err(|e| Error::Internal(e.to_string()))
    }

    pub fn new(config: Config, db: Db) -> ApiContext {
        let window = Duration::from_secs(u64::from(config.login_window_minutes) * 60);
        let throttle = throttle::Throttle::new(
            config.login_attempts,
            config.login_attempts_per_address,
            window,
        );
        ApiContext {
            config: Arc::new(config),
            db,
            throttle: Arc::new(throttle),
            hashing: Arc::new(tokio::sync::Semaphore::new(4)),
            heavy: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
        }
    }
}

/// The whole application: the API under `/api`, the SPA everywhere else.
pub fn app(ctx: ApiContext) -> Router {
    app_with(ctx, Router::new())
}

/// The application with more API routes beside the real ones: tests use it to hurt a request
/// from the inside and watch the rest carry on.
pub fn app_with(ctx: ApiContext, extra_api: Router<ApiContext>) -> Router {
    use axum::http::{header, HeaderValue};
    use tower_http::catch_panic::CatchPanicLayer;
    use tower_http::set_header::SetResponseHeaderLayer;
    let dist = ctx.config.dist.clone();
    let csp = spa::content_security_policy(&dist);
    let body_idle = Duration::from_secs(ctx.config.body_idle_seconds.into());
    let request_timeout = Duration::from_secs(ctx.config.request_timeout_seconds.into());
    let hsts = ctx
        .config
        .secure_cookie
        .then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    Router::new()
        .nest("/api", http::router().merge(extra_api))
        .merge(spa::router(&dist))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &axum::http::Response<_>| hsts.clone(),
        ))
        // A body that stops arriving is refused after a while of silence (the JSON reader
        // answers 408); a request may take this long in all.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(body_idle))
        .layer(axum::middleware::from_fn(
            move |req, next: axum::middleware::Next| async move {
                match tokio::time::timeout(request_timeout, next.run(req)).await {
                    Ok(res) => res,
                    Err(_) => Error::Rejected {
                        status: axum::http::StatusCode::REQUEST_TIMEOUT,
                        code: kappa_domain::refusal::Code::RequestTimeout,
                        message: format!(
                            "The request took longer than {} s.",
                            request_timeout.as_secs()
                        ),
                    }
                    .into_response(),
                }
            },
        ))
        // A panicking handler answers 500 and the server goes on; the database pool replaces
        // any connection the panic held.
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("a request panicked");
            Error::Internal("a request panicked".into()).into_response()
        }))
        .with_state(ctx)
}

use axum::response::IntoResponse;
