//! The SQLite file: opening, migrating, and lending its connections off the async threads.
//! Handlers never see a connection: they get the store ([`Db::view`], [`Db::change`], and the
//! sign-in routes' [`Db::sessions`]), so a second database is a second store, not a hunt.

use crate::error::{Error, Result};
use crate::metrics::DbWaits;
use crate::password::Prepared;
use crate::store::postgres::PgPool;
use crate::store::sql::Conn;
use crate::store::{SessionStore, SqlStore};
use kappa_domain::store::Store;
use kappa_domain::workflow::Outcome;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// A database failure is the server's, never the caller's: a 500 with the cause in the log.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Internal(e.to_string())
    }
}

/// Migrations in order; `PRAGMA user_version` records how many have run.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_sessions_idle.sql"),
    include_str!("../migrations/0003_sampling.sql"),
    include_str!("../migrations/0004_reviews.sql"),
    include_str!("../migrations/0005_calibration.sql"),
    include_str!("../migrations/0006_one_evaluation_per_card.sql"),
    include_str!("../migrations/0007_calibration_reports.sql"),
    include_str!("../migrations/0008_sign_in_attempts.sql"),
    include_str!("../migrations/0009_plan_edits_review_start.sql"),
    include_str!("../migrations/0010_bilingual_session_titles.sql"),
    include_str!("../migrations/0011_coaching.sql"),
    include_str!("../migrations/0012_agent_codes.sql"),
    include_str!("../migrations/0013_vocabulary.sql"),
    include_str!("../migrations/0014_imported_calls.sql"),
    include_str!("../migrations/0015_caller_hashes.sql"),
    include_str!("../migrations/0016_imports.sql"),
];

/// Readers beside the one writer: WAL lets them run while it writes.
const READERS: usize = 4;

/// The database: one SQLite file (the embedded default) or a PostgreSQL server. Queries run on
/// tokio's blocking pool so they never stall the runtime, and no panic outlives its own request
/// (the connection it held is dropped and replaced).
#[derive(Clone)]
pub struct Db {
    inner: Arc<Backend>,
    waits: Arc<DbWaits>,
}

enum Backend {
    Sqlite(Slots),
    Postgres(PgPool),
}

/// A small pool over one SQLite file: one writer (SQLite has one at a time anyway) and a few
/// readers. A read takes whichever reader is free (it waits, without a thread, only while all
/// are busy), so one slow read delays no one while others are idle. A request that panics
/// while holding the writer leaves it poisoned and the next user opens a fresh connection.
struct Slots {
    path: PathBuf,
    writer: Mutex<Option<Connection>>,
    /// Reader connections not in use; at most [`READERS`] exist, one per permit.
    idle_readers: Mutex<Vec<Connection>>,
    reader_permits: Arc<tokio::sync::Semaphore>,
}

/// A reader lent to one read: back to the idle list when the read ends, dropped if it panicked.
struct Lent<'a> {
    conn: Option<Connection>,
    idle: &'a Mutex<Vec<Connection>>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if !std::thread::panicking() {
                self.idle
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(conn);
            }
        }
    }
}

fn connect(path: &Path) -> Result<Connection> {
    let conn =
        Connection::open(path).map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
    // FULL: a write acknowledged with 2xx is on disk before the answer leaves, through a power
    // cut too (WAL with NORMAL may lose the last transactions).
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;")?;
    Ok(conn)
}

/// The slot's connection, reopened when a panic poisoned the slot or it was never opened.
fn checkout<'a>(
    slot: &'a Mutex<Option<Connection>>,
    path: &Path,
) -> Result<MutexGuard<'a, Option<Connection>>> {
    let mut guard = match slot.lock() {
        Ok(guard) => guard,
        Err(poisoned) => {
            let mut guard = poisoned.into_inner();
            // Whatever the panicking request left open is dropped (rolled back) with it.
            *guard = None;
            slot.clear_poison();
            tracing::warn!(
                "a request panicked while holding a database connection; it was replaced"
            );
            guard
        }
    };
    if guard.is_none() {
        let conn = connect(path)?;
        // The one writer keeps up to 64 MB of pages (SQLite's default is 2 MB) and lets the
        // log grow to 64 MB between checkpoints (default 4 MB): an import's batches insert
        // into four indexes of a table of millions of calls at scattered places. A million-row
        // import took 47 s with the defaults, 35 s so (BENCHMARKS.md).
        conn.execute_batch("PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384")?;
        *guard = Some(conn);
    }
    Ok(guard)
}

impl Db {
    /// The SQLite file at `path`, created and migrated as needed.
    pub fn open(path: &Path) -> Result<Db> {
        let db = Db {
            inner: Arc::new(Backend::Sqlite(Slots {
                path: path.to_path_buf(),
                writer: Mutex::new(None),
                idle_readers: Mutex::new(Vec::with_capacity(READERS)),
                reader_permits: Arc::new(tokio::sync::Semaphore::new(READERS)),
            })),
            waits: Arc::default(),
        };
        db.with(migrate)?;
        Ok(db)
    }

    /// The PostgreSQL database at `url` (`postgres://…`), migrated as needed.
    pub fn open_postgres(url: &str) -> Result<Db> {
        Ok(Db {
            inner: Arc::new(Backend::Postgres(off_runtime(|| PgPool::open(url))?)),
            waits: Arc::default(),
        })
    }

    /// Which kind of database this is, as `/metrics` names it.
    pub fn store_name(&self) -> &'static str {
        match &*self.inner {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// How long requests have waited for connections.
    pub fn waits(&self) -> &DbWaits {
        &self.waits
    }

    /// Runs `f` with the SQLite writer on the current thread (tests and SQLite's own
    /// maintenance): never from a request.
    pub fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        match &*self.inner {
            Backend::Sqlite(slots) => {
                let mut guard = checkout(&slots.writer, &slots.path)?;
                f(guard.as_mut().expect("checkout opens the connection"))
            }
            Backend::Postgres(_) => Err(Error::Internal(
                "a SQLite connection was asked of a PostgreSQL database".into(),
            )),
        }
    }

    /// Runs `f` in one write transaction on the current thread (start-up, the operator's
    /// console, seeding): committed when it answers `Ok`, rolled back otherwise.
    pub fn write_now<T: Send>(&self, f: impl FnOnce(&dyn Conn) -> Result<T> + Send) -> Result<T> {
        match &*self.inner {
            Backend::Sqlite(_) => self.write_here(f),
            Backend::Postgres(pool) => off_runtime(|| pool.write(|conn| f(conn))),
        }
    }

    /// A consistent copy of the SQLite file at `to` (which must not exist), taken while the
    /// server runs: SQLite's online backup, which writers do not wait for.
    pub fn backup(&self, to: &Path) -> Result<()> {
        match &*self.inner {
            Backend::Sqlite(slots) => {
                if to.exists() {
                    return Err(Error::Internal(format!(
                        "{} exists: give a new file for the copy",
                        to.display()
                    )));
                }
                connect(&slots.path)?.backup(rusqlite::MAIN_DB, to, None)?;
                Ok(())
            }
            Backend::Postgres(_) => Err(Error::Internal(
                "this centre is on PostgreSQL: back it up with pg_dump or base backups".into(),
            )),
        }
    }

    /// The database a `migrate-store` argument names: `sqlite:PATH` or `postgres://…`.
    pub fn open_named(name: &str) -> Result<Db> {
        if name.starts_with("postgres://") || name.starts_with("postgresql://") {
            Db::open_postgres(name)
        } else if let Some(path) = name.strip_prefix("sqlite:") {
            Db::open(Path::new(path))
        } else {
            Err(Error::Internal(format!(
                "{name:?} names no database: give sqlite:PATH or postgres://…"
            )))
        }
    }

    /// [`Db::write_now`] on this thread, which must not be driving async tasks.
    pub fn write_here<T>(&self, f: impl FnOnce(&dyn Conn) -> Result<T>) -> Result<T> {
        match &*self.inner {
            Backend::Sqlite(_) => self.with(|conn| {
                let tx =
                    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let out = f(&tx)?;
                tx.commit()?;
                Ok(out)
            }),
            Backend::Postgres(pool) => pool.write(|conn| f(conn)),
        }
    }

    /// Writes the demo centre into an empty database, in one transaction.
    pub fn seed(&self, data: &kappa_demo::DemoData, password_hash: &str) -> Result<()> {
        self.write_now(|conn| crate::store::seed(conn, data, password_hash))
    }

    /// Writes the demo centre if the database is still empty, in one write transaction (so of
    /// several instances starting together one seeds); answers whether it did.
    pub fn seed_if_empty(&self, data: &kappa_demo::DemoData, password_hash: &str) -> Result<bool> {
        self.write_now(|conn| {
            if !crate::store::is_empty(conn)? {
                return Ok(false);
            }
            crate::store::seed(conn, data, password_hash)?;
            Ok(true)
        })
    }

    /// Runs `f` in one write transaction on the blocking pool: committed when it answers `Ok`,
    /// rolled back otherwise (a panic included).
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Conn) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let waiting = self.waits.write();
        let permit = match &*self.inner {
            Backend::Sqlite(_) => None,
            Backend::Postgres(pool) => Some(pool.permit().await?),
        };
        let db = self.clone();
        blocking(move || {
            let _permit = permit;
            db.write_here(|tx| {
                waiting.over();
                f(tx)
            })
        })
        .await
    }

    /// Runs a domain decision in one write transaction: the rules see only the `Store`, so the
    /// handlers that call this do not know which database is behind it.
    pub async fn change<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> Outcome<T> + Send + 'static,
    ) -> Result<T> {
        self.change_with(None, f).await
    }

    /// [`Db::change`] for a change that sets a password hashed beforehand.
    pub async fn change_with<T: Send + 'static>(
        &self,
        prepared: Option<Prepared>,
        f: impl FnOnce(&mut dyn Store) -> Outcome<T> + Send + 'static,
    ) -> Result<T> {
        self.write(move |tx| Ok(f(&mut SqlStore::new(tx).with(prepared))?))
            .await
    }

    /// Runs a domain read on a reader connection.
    pub async fn view<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Outcome<T> + Send + 'static,
    ) -> Result<T> {
        self.read(move |conn| Ok(f(&SqlStore::new(conn))?)).await
    }

    /// Reads sign-in records on a reader connection.
    pub async fn session_view<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn SessionStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.read(move |conn| f(&SqlStore::new(conn))).await
    }

    /// Writes sign-in records, with a domain decision when one goes with them (a password
    /// change and the fresh session it opens), in one write transaction.
    pub async fn sessions<T: Send + 'static>(
        &self,
        prepared: Option<Prepared>,
        f: impl FnOnce(&mut dyn SessionStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.write(move |tx| f(&mut SqlStore::new(tx).with(prepared)))
            .await
    }

    /// Runs `f` on one read-only snapshot on the blocking pool.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Conn) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let waiting = self.waits.read();
        let permit = match &*self.inner {
            Backend::Sqlite(slots) => slots
                .reader_permits
                .clone()
                .acquire_owned()
                .await
                .map_err(|e| Error::Internal(format!("the reader pool closed: {e}")))?,
            Backend::Postgres(pool) => pool.permit().await?,
        };
        let db = self.clone();
        blocking(move || {
            let _permit = permit;
            let slots = match &*db.inner {
                Backend::Sqlite(slots) => slots,
                Backend::Postgres(pool) => {
                    return pool.read(|conn| {
                        waiting.over();
                        f(conn)
                    })
                }
            };
            let idle = slots
                .idle_readers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .pop();
            let lent = Lent {
                conn: Some(match idle {
                    Some(conn) => conn,
                    None => connect(&slots.path)?,
                }),
                idle: &slots.idle_readers,
            };
            // One snapshot for the whole read: a publish committing halfway cannot mix states.
            let snapshot = lent
                .conn
                .as_ref()
                .expect("lent until the read ends")
                .unchecked_transaction()?;
            waiting.over();
            f(&snapshot)
        })
        .await
    }
}

/// Runs `f` where a blocking client may start its own runtime: on this thread, or on a thread
/// of its own when this one drives async tasks (the server's start-up, an async test).
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| {
            s.spawn(f)
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
    } else {
        f()
    }
}

/// Runs `f` on the blocking pool; a panic in it becomes a 500 for this request alone.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(format!("a request's work failed: {e}")))?
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let done: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if done > MIGRATIONS.len() {
        return Err(Error::Internal(format!(
            "database schema version {done} is newer than this Kappa ({})",
            MIGRATIONS.len()
        )));
    }
    // A migration may rebuild a table others refer to (SQLite's way to change a constraint):
    // references are checked once it has run, not while the old table is dropped.
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let result = MIGRATIONS
        .iter()
        .enumerate()
        .skip(done)
        .try_for_each(|(i, sql)| {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            let broken: i64 =
                tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?;
            if broken > 0 {
                return Err(Error::Internal(format!(
                    "migration {} leaves {broken} broken references",
                    i + 1
                )));
            }
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
            tracing::info!("applied migration {}", i + 1);
            Ok(())
        });
    conn.execute_batch("PRAGMA foreign_keys = ON")?;
    result
}
