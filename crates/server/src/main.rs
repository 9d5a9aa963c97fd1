use clap::Parser;
use kappa_server::{app, auth, db, ApiContext, Config, Db};
use std::sync::Arc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=warn".into()))
        .init();
    match run(Config::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kappa: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::open(&config.db)?;
    if config.demo_seed && db.with(|conn| db::is_empty(conn))? {
        let data = kappa_demo::generate(kappa_demo::SEED);
        let hash = auth::hash_password(kappa_demo::DEMO_PASSWORD)?;
        db.with(|conn| db::seed(conn, &data, &hash))?;
        tracing::info!("seeded the demo contact centre: {} calls, {} users", data.calls.len(), data.users.len());
    }
    if !config.dist.join("index.html").exists() {
        tracing::warn!("{} has no index.html: build the SPA first (cargo xtask run does)", config.dist.display());
    }
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    tracing::info!("Kappa is listening on http://{}", listener.local_addr()?);
    let ctx = ApiContext { config: Arc::new(config), db };
    axum::serve(listener, app(ctx)).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, finish the requests under way, then exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
