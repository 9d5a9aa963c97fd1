use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Every setting is a flag and an environment variable; flags win.
#[derive(Debug, Clone, Parser)]
#[command(name = "kappa", about = "Kappa: quality assurance for contact centres")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "KAPPA_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// SQLite database file; created and migrated when missing.
    #[arg(long, env = "KAPPA_DB", default_value = "kappa.db")]
    pub db: PathBuf,
    /// Folder of the built SPA (trunk's output).
    #[arg(long, env = "KAPPA_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Fill an empty database with the demo contact centre on first start.
    #[arg(long, env = "KAPPA_DEMO_SEED", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_seed: bool,
    /// Mark the session cookie Secure; turn on behind HTTPS.
    #[arg(long, env = "KAPPA_SECURE_COOKIE", default_value_t = false, action = clap::ArgAction::Set)]
    pub secure_cookie: bool,
    /// Hours a sign-in lasts.
    #[arg(long, env = "KAPPA_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: u32,
}

impl Config {
    /// Defaults for tests and tools: like a fresh start, with the given files.
    pub fn with_paths(db: PathBuf, dist: PathBuf) -> Config {
        Config::parse_from(["kappa", "--db", &db.to_string_lossy(), "--dist", &dist.to_string_lossy()])
    }
}
