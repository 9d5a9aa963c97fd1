use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// `kappa-server` serves; `kappa-server create-admin` opens an administrator account.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "kappa-server",
    about = "Kappa: quality assurance for contact centres"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the API and the app (what runs without a command).
    Serve,
    /// Create an administrator: the first one of a new installation, or a way back in. The
    /// password is read from KAPPA_ADMIN_PASSWORD, or else from the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        username: String,
        /// The name shown in the app; the username when left out.
        #[arg(long)]
        display_name: Option<String>,
    },
    /// A consistent copy of the SQLite database, taken while the server runs (SQLite's online
    /// backup). On PostgreSQL, use its own tools (`pg_dump`, base backups).
    Backup {
        /// The copy's file; refused if it exists.
        #[arg(long)]
        to: PathBuf,
    },
    /// Check a call-record export before importing it, without touching any database: its
    /// encoding and shape, every row through a preset's mapping, the counts and the first
    /// problems in both languages, and the rejected rows written beside the file.
    CheckImport {
        /// The platform's mapping: amazon_connect, genesys_cloud, twilio, aliyun_ccc, tinet,
        /// freeswitch, yeastar. Without one, the mapping the headers suggest.
        #[arg(long)]
        preset: Option<String>,
        /// The workbook's sheet to read (the first when left out).
        #[arg(long)]
        sheet: Option<String>,
        /// Report in Chinese.
        #[arg(long)]
        zh: bool,
        /// The export: CSV, XLSX, JSON or NDJSON, in any encoding Kappa detects.
        file: PathBuf,
    },
    /// Import a call-record export into the centre: the same checks as `check-import`, then
    /// its calls in batches of 5,000 (one transaction each), matched to agents by agent code
    /// or username and keyed by source and call id, so the same file again changes nothing.
    Import {
        /// The platform's mapping (as for `check-import`).
        #[arg(long)]
        preset: Option<String>,
        /// A saved mapping (JSON): columns, value maps onto the centre's queues and outcomes,
        /// defaults; it replaces the preset's.
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// The centre's name for the platform the calls come from (a-z 0-9 . _ -); the
        /// preset's name when left out.
        #[arg(long)]
        source: Option<String>,
        /// Say what the import would do, and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The workbook's sheet to read (the first when left out).
        #[arg(long)]
        sheet: Option<String>,
        /// Report in Chinese.
        #[arg(long)]
        zh: bool,
        file: PathBuf,
    },
    /// Copy a whole centre into another, empty database (say from `sqlite:kappa.db` to
    /// `postgres://…`), then compare every table's row count and checksum between the two.
    MigrateStore {
        /// `sqlite:PATH` or `postgres://…`; its writers wait while it is read.
        #[arg(long)]
        from: String,
        /// `sqlite:PATH` or `postgres://…`; must hold no rows.
        #[arg(long)]
        to: String,
    },
}

/// Every setting is a flag and an environment variable; flags win.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(
        long,
        env = "KAPPA_ADDR",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub addr: SocketAddr,
    /// Address of a second listener that serves only `/metrics` (Prometheus text format) for
    /// the centre's monitoring, e.g. `127.0.0.1:9464`; none when left out. Not the API's
    /// address: keep it inside the centre's network.
    #[arg(long, env = "KAPPA_METRICS_ADDR", global = true)]
    pub metrics_addr: Option<SocketAddr>,
    /// SQLite database file; created and migrated when missing.
    #[arg(long, env = "KAPPA_DB", default_value = "kappa.db", global = true)]
    pub db: PathBuf,
    /// A PostgreSQL database (`postgres://user@host/name`) instead of the SQLite file: for a
    /// centre that outgrows one file, or several servers on one database.
    #[arg(long, env = "KAPPA_DATABASE_URL", global = true)]
    pub database: Option<String>,
    /// Folder of the built SPA (trunk's output).
    #[arg(long, env = "KAPPA_DIST", default_value = "dist", global = true)]
    pub dist: PathBuf,
    /// Folder of the call recordings, served only through `/api/calls/{id}/recording`.
    #[arg(
        long,
        env = "KAPPA_RECORDINGS",
        default_value = "recordings",
        global = true
    )]
    pub recordings: PathBuf,
    /// Folder where files uploaded for import are staged, with their rejected-rows files.
    #[arg(long, env = "KAPPA_IMPORTS", default_value = "imports", global = true)]
    pub imports: PathBuf,
    /// Fill an empty database with the demo contact centre, whose accounts all use the
    /// password `demo`. Never on a real installation.
    #[arg(long, env = "KAPPA_DEMO", default_value_t = false, global = true)]
    pub demo: bool,
    /// Behind HTTPS: a Secure `__Host-` session cookie and Strict-Transport-Security.
    #[arg(long, env = "KAPPA_SECURE_COOKIE", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub secure_cookie: bool,
    /// Hours a sign-in lasts at most.
    #[arg(long, env = "KAPPA_SESSION_HOURS", default_value_t = 12, global = true, value_parser = clap::value_parser!(u32).range(1..=8760))]
    pub session_hours: u32,
    /// Minutes without a request after which a sign-in ends.
    #[arg(long, env = "KAPPA_IDLE_MINUTES", default_value_t = 60, global = true, value_parser = clap::value_parser!(u32).range(1..=525_600))]
    pub idle_minutes: u32,
    /// Failed sign-ins for one username within the window before further tries get 429 (0: no limit).
    #[arg(
        long,
        env = "KAPPA_LOGIN_ATTEMPTS",
        default_value_t = 10,
        global = true
    )]
    pub login_attempts: u32,
    /// Failed sign-ins from one client address within the window before further tries get 429
    /// (higher: a whole contact centre may share one address; behind a proxy see
    /// `--trust-forwarded-for`; 0 counts by username only).
    #[arg(
        long,
        env = "KAPPA_LOGIN_ATTEMPTS_PER_ADDRESS",
        default_value_t = 50,
        global = true
    )]
    pub login_attempts_per_address: u32,
    /// Behind a reverse proxy that appends the client's address to `X-Forwarded-For`: count
    /// failed sign-ins by that address (the header's last entry) instead of the proxy's.
    #[arg(
        long,
        env = "KAPPA_TRUST_FORWARDED_FOR",
        default_value_t = false,
        global = true
    )]
    pub trust_forwarded_for: bool,
    /// Minutes over which failed sign-ins are counted.
    #[arg(
        long,
        env = "KAPPA_LOGIN_WINDOW_MINUTES",
        default_value_t = 15,
        global = true
    )]
    pub login_window_minutes: u32,
    /// The centre's time zone (IANA, e.g. `Asia/Shanghai`): its calendar days are the rules' days
    /// (run days, due dates, overdue). Stored once given; a new installation takes the machine's.
    #[arg(long, env = "KAPPA_TIME_ZONE", global = true)]
    pub time_zone: Option<String>,
    /// The first day of the centre's week (`monday`, `sunday`, …); weekly plans run on it.
    #[arg(long, env = "KAPPA_WEEK_STARTS", global = true)]
    pub week_starts: Option<String>,
    /// Seconds a client has to send a request's headers; a connection that stalls is closed.
    #[arg(long, env = "KAPPA_HEADER_TIMEOUT_SECONDS", default_value_t = 10, global = true, value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub header_timeout_seconds: u32,
    /// Seconds a request body may send nothing before it is refused (408): an idle timeout, so
    /// a large upload that keeps arriving streams for as long as it needs.
    #[arg(long, env = "KAPPA_BODY_IDLE_SECONDS", default_value_t = 30, global = true, value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub body_idle_seconds: u32,
    /// Seconds a request may take in all before it is answered 408.
    #[arg(long, env = "KAPPA_REQUEST_TIMEOUT_SECONDS", default_value_t = 300, global = true, value_parser = clap::value_parser!(u32).range(1..=86_400))]
    pub request_timeout_seconds: u32,
    /// Days after an evaluation is submitted during which its agent may dispute it.
    #[arg(long, env = "KAPPA_DISPUTE_WINDOW_DAYS", default_value_t = 7, global = true, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub dispute_window_days: u32,
    /// Disputes one agent may raise per period (see `--dispute-period-days`).
    #[arg(long, env = "KAPPA_DISPUTE_LIMIT", default_value_t = 3, global = true, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub dispute_limit: u32,
    #[arg(long, env = "KAPPA_DISPUTE_PERIOD_DAYS", default_value_t = 30, global = true, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub dispute_period_days: u32,
    /// Days a lead has to rule on a dispute before it shows as overdue.
    #[arg(long, env = "KAPPA_DISPUTE_RULING_DAYS", default_value_t = 3, global = true, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub dispute_ruling_days: u32,
}

impl Config {
    /// The database this configuration names: PostgreSQL when a URL is given, else the file.
    pub fn open_db(&self) -> crate::Result<crate::Db> {
        match &self.database {
            Some(url) => crate::Db::open_postgres(url),
            None => crate::Db::open(&self.db),
        }
    }

    pub fn dispute_policy(&self) -> kappa_domain::review::DisputePolicy {
        kappa_domain::review::DisputePolicy {
            window_days: self.dispute_window_days,
            limit: self.dispute_limit,
            period_days: self.dispute_period_days,
            ruling_days: self.dispute_ruling_days,
        }
    }

    /// Defaults for tests and tools: like a fresh start, with the given files.
    pub fn with_paths(db: PathBuf, dist: PathBuf) -> Config {
        Cli::parse_from([
            "kappa-server",
            "--db",
            &db.to_string_lossy(),
            "--dist",
            &dist.to_string_lossy(),
        ])
        .config
    }
}
