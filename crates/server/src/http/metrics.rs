//! The metrics listener's app: `GET /metrics` and nothing else, in the Prometheus text format.

use crate::metrics::gauge;
use crate::ApiContext;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

pub fn router(ctx: ApiContext) -> Router {
    Router::new()
        .route("/metrics", get(exposition))
        .with_state(ctx)
}

async fn exposition(State(ctx): State<ApiContext>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        render(&ctx),
    )
}

/// Every metric of this server.
pub fn render(ctx: &ApiContext) -> String {
    let mut out = String::new();
    gauge(
        &mut out,
        "kappa_info",
        "This server: its version and its store.",
        &format!(
            "version=\"{}\",store=\"{}\"",
            env!("CARGO_PKG_VERSION"),
            ctx.db.store_name()
        ),
        1,
    );
    gauge(
        &mut out,
        "kappa_uptime_seconds",
        "Seconds since this server started.",
        "",
        format!("{:.3}", ctx.started.elapsed().as_secs_f64()),
    );
    ctx.metrics.render(&mut out);
    ctx.db.waits().render(&mut out);
    gauge(
        &mut out,
        "kappa_heavy_work_running",
        "Heavy reads running now (agreement statistics, calibration reports, plan previews), at most one per core.",
        "",
        ctx.heavy_slots - ctx.heavy.available_permits(),
    );
    gauge(
        &mut out,
        "kappa_password_hashing_running",
        "Password hashes being computed now.",
        "",
        crate::context::HASHING_SLOTS - ctx.hashing.available_permits(),
    );
    out
}
