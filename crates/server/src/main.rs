use clap::Parser;
use kappa_domain::api::NewUser;
use kappa_domain::{workflow, Role};
use kappa_server::store::{self, SqlStore};
use kappa_server::{app, ApiContext, Cli, Command, Config, Db};
use std::time::Duration;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        None | Some(Command::Serve) => serve(cli.config).await,
        Some(Command::CreateAdmin {
            username,
            display_name,
        }) => create_admin(&cli.config, username, display_name),
        Some(Command::MigrateStore { from, to }) => migrate_store(&from, &to),
        Some(Command::Backup { to }) => backup(&cli.config, &to),
        Some(Command::CheckImport {
            preset,
            sheet,
            zh,
            file,
        }) => check_import(&cli.config, preset.as_deref(), sheet, zh, &file),
        Some(Command::Import {
            preset,
            mapping,
            source,
            dry_run,
            sheet,
            zh,
            file,
        }) => import(
            &cli.config,
            ImportArgs {
                preset: preset.as_deref(),
                mapping: mapping.as_deref(),
                source,
                dry_run,
                sheet,
                zh,
            },
            &file,
        ),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kappa: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

const FIRST_ADMIN_HINT: &str = "This Kappa has no users yet. Create the first administrator with\n\n    kappa-server create-admin --username NAME --db DATABASE\n\n(the password is read from KAPPA_ADMIN_PASSWORD or standard input), then sign in.";

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let db = config.open_db()?;
    if db.write_now(|conn| store::is_empty(conn))? {
        if config.demo {
            let data = kappa_demo::generate(kappa_demo::SEED);
            let hash = kappa_server::password::hash_password(kappa_demo::DEMO_PASSWORD)?;
            // Checked again inside the seeding transaction: another instance starting on the
            // same database may have seeded it meanwhile.
            if db.seed_if_empty(&data, &hash)? {
                tracing::info!(
                    "seeded the demo contact centre: {} calls, {} users (password: demo)",
                    data.calls.len(),
                    data.users.len()
                );
            }
        } else {
            tracing::warn!("{FIRST_ADMIN_HINT}");
        }
    }
    db.write_now(|conn| store::set_dispute_policy(conn, &config.dispute_policy()))?;
    db.write_now(|conn| {
        store::set_centre_time(
            conn,
            config.time_zone.as_deref(),
            config.week_starts.as_deref(),
        )
    })?;
    if !config.dist.join("index.html").exists() {
        tracing::warn!(
            "{} has no index.html: build the SPA first (cargo xtask run does)",
            config.dist.display()
        );
    }
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    tracing::info!("Kappa is listening on http://{}", listener.local_addr()?);
    let header_timeout = Duration::from_secs(config.header_timeout_seconds.into());
    let metrics_listener = match config.metrics_addr {
        Some(addr) => Some(tokio::net::TcpListener::bind(addr).await?),
        None => None,
    };
    let ctx = ApiContext::new(config, db);
    if let Some(listener) = metrics_listener {
        tracing::info!("metrics on http://{}/metrics", listener.local_addr()?);
        let metrics = kappa_server::http::metrics::router(ctx.clone());
        // Stops with the process: nothing it answers needs draining.
        tokio::spawn(kappa_server::listen::serve(
            listener,
            metrics,
            header_timeout,
            std::future::pending(),
        ));
    }
    tokio::spawn(kappa_server::http::sampling::run_due_plans(ctx.clone()));
    // Imports the server was reading when it stopped carry on (a commit after its last batch).
    kappa_server::import_job::resume(&ctx.db, &ctx.config.imports)?;
    kappa_server::listen::serve(listener, app(ctx), header_timeout, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Opens an administrator account from the server's console, under the same rules as the app.
fn create_admin(
    config: &Config,
    username: String,
    display_name: Option<String>,
) -> Result<(), Box<dyn std::error::Error>> {
    let password = match std::env::var("KAPPA_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            eprintln!(
                "Password for {username} (at least {} characters), then Enter:",
                workflow::MIN_PASSWORD
            );
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let db = config.open_db()?;
    let new = NewUser {
        display_name: display_name.unwrap_or_else(|| username.clone()),
        username,
        role: Role::Admin,
        team_id: None,
        agent_code: None,
        password,
    };
    let user = db.write_now(|conn| {
        Ok(workflow::create_user_as_operator(
            &mut SqlStore::new(conn),
            new,
        )?)
    })?;
    println!(
        "Created administrator {} (id {}). Sign in with it at the server's address.",
        user.username, user.id
    );
    Ok(())
}

/// What the operator reads of a failure: its cause (an HTTP answer hides it; a console need not).
fn told(e: kappa_server::Error) -> Box<dyn std::error::Error> {
    match e {
        kappa_server::Error::Internal(cause) => cause.into(),
        other => other.into(),
    }
}

fn backup(config: &Config, to: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let started = std::time::Instant::now();
    config
        .open_db()
        .and_then(|db| db.backup(to))
        .map_err(told)?;
    println!(
        "Copied the database to {} in {:.1} s.",
        to.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn preset_named(name: Option<&str>) -> Result<Option<kappa_import::preset::Preset>, String> {
    use kappa_import::preset::Preset;
    name.map(|name| {
        Preset::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Preset::ALL.iter().map(|p| p.code()).collect();
            format!("no preset {name:?}; one of {}", known.join(", "))
        })
    })
    .transpose()
}

/// The zone naive times in an export are read in: the centre's.
fn centre_zone(config: &Config) -> Result<chrono_tz::Tz, String> {
    let zone_name = config
        .time_zone
        .clone()
        .unwrap_or_else(store::machine_time_zone);
    zone_name
        .parse()
        .map_err(|_| format!("unknown time zone {zone_name:?}"))
}

/// Tells how much of the file is read, on standard error.
fn show_progress(read: u64, size: u64) {
    let done = read * 100 / size.max(1);
    eprint!(
        "\r{:>3} % ({:.1} of {:.1} MB)",
        done,
        read as f64 / 1e6,
        size as f64 / 1e6
    );
}

/// Checks an export through a preset, telling its progress on standard error.
fn check_import(
    config: &Config,
    preset: Option<&str>,
    sheet: Option<String>,
    zh: bool,
    file: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let reading = kappa_server::import_check::Reading {
        preset: preset_named(preset)?,
        mapping: None,
        sheet,
        // A check keeps no caller's hash.
        salt: String::new(),
        encoding: None,
    };
    let zone = centre_zone(config)?;
    let started = std::time::Instant::now();
    let checked = kappa_server::import_check::check_import(
        file,
        reading,
        zone,
        zh,
        &mut show_progress,
        &mut |_| std::ops::ControlFlow::Continue(()),
    )?;
    eprintln!();
    println!("{}", kappa_server::import_check::describe(&checked, zh));
    println!("({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}

struct ImportArgs<'a> {
    preset: Option<&'a str>,
    mapping: Option<&'a std::path::Path>,
    source: Option<String>,
    dry_run: bool,
    sheet: Option<String>,
    zh: bool,
}

/// Imports an export into the centre's database, telling its progress on standard error.
fn import(
    config: &Config,
    args: ImportArgs,
    file: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let preset = preset_named(args.preset)?;
    let mapping = match args.mapping {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            Some(
                serde_json::from_str::<kappa_import::mapping::Mapping>(&text)
                    .map_err(|e| format!("{}: {e}", path.display()))?,
            )
        }
        None => None,
    };
    let source = args
        .source
        .or_else(|| preset.map(|p| p.code().replace('_', "-")))
        .ok_or("name the calls' source with --source (or use a --preset)")?;
    let zone = centre_zone(config)?;
    let db = config.open_db()?;
    let started = std::time::Instant::now();
    let imported = kappa_server::import_run::import_file(
        &db,
        file,
        kappa_server::import_check::Reading {
            preset,
            mapping,
            sheet: args.sheet,
            // The centre's own, read from its database by the import.
            salt: String::new(),
            encoding: None,
        },
        kappa_server::import_run::Target {
            source: &source,
            dry_run: args.dry_run,
        },
        zone,
        args.zh,
        &mut show_progress,
    )?;
    eprintln!();
    println!(
        "{}",
        kappa_server::import_check::describe(&imported.checked, args.zh)
    );
    println!(
        "{}",
        kappa_server::import_run::describe(&imported.outcome, args.dry_run, args.zh)
    );
    if let Some(path) = &imported.refused {
        println!(
            "{}",
            if args.zh {
                format!("本中心规则拒绝的行已写入 {}。", path.display())
            } else {
                format!(
                    "The rows the centre's rules refused are in {}.",
                    path.display()
                )
            }
        );
    }
    println!("({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}

/// Copies a centre into an empty database and checks the copy table by table. Both databases
/// are held in one transaction each: a failure writes nothing, and the source's writers wait.
fn migrate_store(from: &str, to: &str) -> Result<(), Box<dyn std::error::Error>> {
    let started = std::time::Instant::now();
    // On a thread of its own: PostgreSQL's blocking client may not run on the async threads.
    let tallies = std::thread::scope(|s| {
        s.spawn(|| {
            let (source, target) = (Db::open_named(from)?, Db::open_named(to)?);
            source.write_here(|src| target.write_here(|dst| Ok(store::copy::copy(src, dst)?)))
        })
        .join()
        .map_err(|_| "the copy panicked".to_string())
    })?
    .map_err(told)?;
    for (table, tally) in &tallies {
        println!(
            "{table:<22} {:>9} rows  checksum {:016x}  (the same on both sides)",
            tally.rows, tally.checksum
        );
    }
    println!(
        "Copied {} rows in {:.1} s.",
        tallies.iter().map(|(_, t)| t.rows).sum::<u64>(),
        started.elapsed().as_secs_f64()
    );
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
