//! The JSON API: one module per resource, each with its own router.

mod agreement;
mod calibration;
mod calls;
mod coaching;
mod directory;
mod evaluations;
mod imports;
pub mod metrics;
mod reviews;
pub mod sampling;
mod scorecards;
mod users;
mod vocabulary;

use crate::error::Error;
use crate::ApiContext;
use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::{Json, Router};
use kappa_domain::refusal::Code;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/health", get(health))
        .merge(crate::auth::router())
        .merge(calls::router())
        .merge(directory::router())
        .merge(users::router())
        .merge(vocabulary::router())
        .merge(imports::router())
        .merge(scorecards::router())
        .merge(evaluations::router())
        .merge(sampling::router())
        .merge(reviews::router())
        .merge(agreement::router())
        .merge(calibration::router())
        .merge(coaching::router())
        .fallback(|| async {
            Error::Rejected {
                status: axum::http::StatusCode::NOT_FOUND,
                code: Code::NotFound,
                message: "No such API route.".into(),
            }
        })
        .method_not_allowed_fallback(|| async {
            Error::Rejected {
                status: axum::http::StatusCode::METHOD_NOT_ALLOWED,
                code: Code::MethodNotAllowed,
                message: "This route does not accept that method.".into(),
            }
        })
        .layer(CompressionLayer::new())
        // Answers carry people's data and change with every write: no cache may keep them.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// When a command happens, by the server's clock.
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

async fn health(
    axum::extract::State(ctx): axum::extract::State<ApiContext>,
) -> crate::Result<Json<serde_json::Value>> {
    let calls = ctx.db.view(|store| Ok(store.call_count()?)).await?;
    Ok(Json(
        serde_json::json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION"), "calls": calls }),
    ))
}
