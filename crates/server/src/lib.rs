//! Kappa's server: parses requests, asks `kappa-domain`, reads and writes SQLite, answers JSON,
//! and serves the built SPA for every path outside `/api`.

pub mod auth;
pub mod boot;
pub mod config;
pub mod context;
pub mod db;
pub mod error;
pub mod http;
pub mod import_check;
pub mod import_job;
pub mod import_run;
pub mod listen;
pub mod metrics;
pub mod password;
pub mod spa;
pub mod store;
pub mod throttle;

use axum::Router;
use std::time::Duration;

pub use config::{Cli, Command, Config};
pub use context::ApiContext;
pub use db::Db;
pub use error::{Error, Result};

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
    let metrics = ctx.metrics.clone();
    Router::new()
        .nest(
            "/api",
            http::router()
                .merge(extra_api)
                .route_layer(axum::middleware::from_fn(metrics::name_route)),
        )
        .merge(spa::router(&ctx))
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
            move |req: axum::extract::Request, next: axum::middleware::Next| async move {
                // A file uploaded for import takes as long as the link needs: only its
                // silences are bounded (the body's idle timeout).
                if req.method() == axum::http::Method::POST && req.uri().path() == "/api/imports" {
                    return next.run(req).await;
                }
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
        // Outside every other layer: a request refused by any of them is counted too.
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            metrics::track,
        ))
        .with_state(ctx)
}

use axum::response::IntoResponse;
