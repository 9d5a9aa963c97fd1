//! PostgreSQL's answer to [`Conn`], and its connections: a small pool of blocking clients used
//! off the async threads, as SQLite's are, each keeping the statements it prepared.
//!
//! Where the SQLite store relies on its single writer, every write transaction here first takes
//! one transaction-scoped advisory lock ([`WRITE_LOCK`]): writes from every instance on the
//! database run one at a time, each seeing all that committed before it, exactly as on SQLite.
//! The rules were written for that (a repeated submission finds the first, a stale revision is
//! refused), so no rule needs a second proof under weaker isolation, and no write can fail on a
//! serialization conflict. Reads run in REPEATABLE READ, READ ONLY: one snapshot per request, as
//! a SQLite read has.

use super::sql::{numbered, Arg, Conn, Row};
use crate::error::{Error, Result};
use kappa_domain::store::{Loaded, StoreError};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Mutex;

/// Migrations in order; the `kappa_schema` table records how many have run.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_schema.sql"),
    include_str!("../../migrations/postgres/0002_sign_in_attempts.sql"),
    include_str!("../../migrations/postgres/0003_plan_edits_review_start.sql"),
    include_str!("../../migrations/postgres/0004_bilingual_session_titles.sql"),
    include_str!("../../migrations/postgres/0005_coaching.sql"),
    include_str!("../../migrations/postgres/0006_agent_codes.sql"),
    include_str!("../../migrations/postgres/0007_vocabulary.sql"),
    include_str!("../../migrations/postgres/0008_imported_calls.sql"),
    include_str!("../../migrations/postgres/0009_caller_hashes.sql"),
    include_str!("../../migrations/postgres/0010_imports.sql"),
];

/// The advisory lock every write transaction holds (an arbitrary number, Kappa's own).
const WRITE_LOCK: i64 = 0x006b_6170_7061;
/// The advisory lock held while migrating, so instances starting together migrate once.
const MIGRATE_LOCK: i64 = 0x006b_6170_7062;

/// Connections at once: enough for the readers and the writer of a 2-core server.
const CONNECTIONS: usize = 6;
/// Prepared statements kept per connection; the call search writes many shapes of query.
const KEPT_STATEMENTS: usize = 256;

fn failed(e: postgres::Error) -> StoreError {
    match e.as_db_error() {
        // The server's own words (what failed, and its code): "db error" alone says nothing.
        Some(db) => StoreError(format!(
            "postgres: {} ({}){}",
            db.message(),
            db.code().code(),
            db.detail().map(|d| format!(": {d}")).unwrap_or_default()
        )),
        None => StoreError(format!("postgres: {e}")),
    }
}

impl ToSql for Arg<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        // The statement says what each placeholder is; a value goes over as that type.
        match self {
            Arg::Null => Ok(IsNull::Yes),
            Arg::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                _ => v.to_string().as_str().to_sql(ty, out),
            },
            Arg::Real(v) => v.to_sql(ty, out),
            Arg::Text(v) => v.as_ref().to_sql(ty, out),
            Arg::Bool(v) => match *ty {
                Type::BOOL => v.to_sql(ty, out),
                _ => i64::from(*v).to_sql(ty, out),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

struct PgRow<'a>(&'a postgres::Row);

impl PgRow<'_> {
    fn ty(&self, idx: usize) -> Loaded<&Type> {
        self.0
            .columns()
            .get(idx)
            .map(|c| c.type_())
            .ok_or_else(|| StoreError(format!("no column {idx}")))
    }

    fn read<'r, T: postgres::types::FromSql<'r>>(&'r self, idx: usize) -> Loaded<T> {
        self.0.try_get(idx).map_err(failed)
    }
}

impl Row for PgRow<'_> {
    fn is_null(&self, idx: usize) -> Loaded<bool> {
        // Read as raw bytes, whatever the type: NULL has none.
        let raw: Option<RawValue> = self.read(idx)?;
        Ok(raw.is_none())
    }

    fn int(&self, idx: usize) -> Loaded<Option<i64>> {
        match *self.ty(idx)? {
            Type::INT8 => self.read(idx),
            Type::INT4 => Ok(self.read::<Option<i32>>(idx)?.map(i64::from)),
            Type::INT2 => Ok(self.read::<Option<i16>>(idx)?.map(i64::from)),
            ref other => Err(StoreError(format!(
                "column {idx}: an integer expected, found {other}"
            ))),
        }
    }

    fn real(&self, idx: usize) -> Loaded<Option<f64>> {
        match *self.ty(idx)? {
            Type::FLOAT8 => self.read(idx),
            Type::FLOAT4 => Ok(self.read::<Option<f32>>(idx)?.map(f64::from)),
            _ => Ok(self.int(idx)?.map(|v| v as f64)),
        }
    }

    fn text(&self, idx: usize) -> Loaded<Option<&str>> {
        self.read(idx)
    }

    fn boolean(&self, idx: usize) -> Loaded<Option<bool>> {
        match *self.ty(idx)? {
            Type::BOOL => self.read(idx),
            _ => Ok(self.int(idx)?.map(|v| v != 0)),
        }
    }
}

/// A column's bytes, whatever its type: enough to tell NULL.
struct RawValue;

impl<'a> postgres::types::FromSql<'a> for RawValue {
    fn from_sql(
        _: &Type,
        _: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawValue)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// One transaction on a pooled connection, as the store sees it.
pub struct PgConn<'t> {
    tx: RefCell<postgres::Transaction<'t>>,
    statements: RefCell<&'t mut HashMap<String, Statement>>,
}

impl PgConn<'_> {
    fn statement(&self, sql: &str) -> Loaded<Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let prepared = self
            .tx
            .borrow_mut()
            .prepare(&numbered(sql))
            .map_err(failed)?;
        let mut kept = self.statements.borrow_mut();
        if kept.len() >= KEPT_STATEMENTS {
            kept.clear();
        }
        kept.insert(sql.to_string(), prepared.clone());
        Ok(prepared)
    }
}

fn bound<'a>(args: &'a [Arg<'a>]) -> impl ExactSizeIterator<Item = &'a dyn ToSql> {
    args.iter().map(|a| a as &dyn ToSql)
}

impl Conn for PgConn<'_> {
    fn follow_given_ids(&self) -> Loaded<()> {
        // The tables numbered by `id` are the ones read in id order.
        let numbered = super::copy::TABLES
            .iter()
            .filter(|(_, _, order)| *order == "id")
            .map(|(table, _, _)| table);
        for table in numbered {
            self.execute(
                &format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"),
                &[],
            )?;
        }
        Ok(())
    }

    fn execute(&self, sql: &str, args: &[Arg]) -> Loaded<u64> {
        let statement = self.statement(sql)?;
        let args: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a as _).collect();
        self.tx
            .borrow_mut()
            .execute(&statement, &args)
            .map_err(failed)
    }

    fn each(
        &self,
        sql: &str,
        args: &[Arg],
        each: &mut dyn FnMut(&dyn Row) -> Loaded<()>,
    ) -> Loaded<()> {
        let statement = self.statement(sql)?;
        let mut tx = self.tx.borrow_mut();
        // Streamed: a scan of a large library holds one row at a time.
        let mut rows = tx.query_raw(&statement, bound(args)).map_err(failed)?;
        while let Some(row) = rows.next().map_err(failed)? {
            each(&PgRow(&row))?;
        }
        Ok(())
    }
}

struct Connection {
    client: Client,
    statements: HashMap<String, Statement>,
}

/// The database's connections: one is lent to each transaction, then kept for the next.
pub struct PgPool {
    url: String,
    idle: Mutex<Vec<Connection>>,
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

/// A connection lent to one transaction: back to the idle list when it ends, dropped if the
/// transaction panicked (the server rolls a dropped transaction back).
struct Lent<'p> {
    conn: Option<Connection>,
    pool: &'p PgPool,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if !std::thread::panicking() && !conn.client.is_closed() {
                self.pool
                    .idle
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(conn);
            }
        }
    }
}

impl Drop for PgPool {
    fn drop(&mut self) {
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(|p| p.into_inner()));
        // Closing a blocking client runs its own runtime, which a thread driving async tasks
        // may not: close them on a thread of their own there.
        if tokio::runtime::Handle::try_current().is_ok() {
            std::thread::spawn(move || drop(idle));
        } else {
            drop(idle);
        }
    }
}

impl PgPool {
    /// Connects, and migrates the database under an advisory lock.
    pub fn open(url: &str) -> Result<PgPool> {
        let pool = PgPool {
            url: url.to_string(),
            idle: Mutex::new(Vec::new()),
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(CONNECTIONS)),
        };
        let mut conn = pool.connect()?;
        migrate(&mut conn.client)?;
        pool.idle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(conn);
        Ok(pool)
    }

    fn connect(&self) -> Result<Connection> {
        let client = Client::connect(&self.url, NoTls)
            .map_err(|e| Error::Internal(format!("connecting to PostgreSQL: {e}")))?;
        Ok(Connection {
            client,
            statements: HashMap::new(),
        })
    }

    /// Waits (without a thread) for a connection to be free.
    pub async fn permit(&self) -> Result<tokio::sync::OwnedSemaphorePermit> {
        self.permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Error::Internal(format!("the connection pool closed: {e}")))
    }

    fn lend(&self) -> Result<Lent<'_>> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        Ok(Lent {
            conn: Some(match idle {
                Some(conn) => conn,
                None => self.connect()?,
            }),
            pool: self,
        })
    }

    /// Runs `f` in one write transaction, holding the write lock: committed when it answers
    /// `Ok`, rolled back otherwise. Call it on the blocking pool, holding a permit.
    pub fn write<T>(&self, f: impl FnOnce(&PgConn) -> Result<T>) -> Result<T> {
        self.transaction(
            |client| {
                let mut tx = client.transaction()?;
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
                Ok(tx)
            },
            f,
        )
    }

    /// Runs `f` on one read-only snapshot. Call it on the blocking pool, holding a permit.
    pub fn read<T>(&self, f: impl FnOnce(&PgConn) -> Result<T>) -> Result<T> {
        self.transaction(
            |client| {
                client
                    .build_transaction()
                    .isolation_level(postgres::IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()
            },
            f,
        )
    }

    /// Runs `f` in the transaction `begin` opens on a lent connection, committing when `f`
    /// answers `Ok`.
    fn transaction<T>(
        &self,
        begin: impl FnOnce(
            &mut Client,
        ) -> std::result::Result<postgres::Transaction<'_>, postgres::Error>,
        f: impl FnOnce(&PgConn) -> Result<T>,
    ) -> Result<T> {
        let mut lent = self.lend()?;
        let Connection { client, statements } = lent.conn.as_mut().expect("lent");
        let conn = PgConn {
            tx: RefCell::new(begin(client).map_err(failed)?),
            statements: RefCell::new(statements),
        };
        let out = f(&conn)?;
        conn.tx.into_inner().commit().map_err(failed)?;
        Ok(out)
    }
}

fn migrate(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction().map_err(failed)?;
    // Held to the end of this transaction: a second instance starting now waits here, then
    // finds the work done.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])
        .map_err(failed)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS kappa_schema (version BIGINT NOT NULL)")
        .map_err(failed)?;
    let done: i64 = match tx
        .query_opt("SELECT version FROM kappa_schema", &[])
        .map_err(failed)?
    {
        Some(row) => row.get(0),
        None => {
            tx.execute("INSERT INTO kappa_schema (version) VALUES (0)", &[])
                .map_err(failed)?;
            0
        }
    };
    let done = usize::try_from(done).unwrap_or(usize::MAX);
    if done > MIGRATIONS.len() {
        return Err(Error::Internal(format!(
            "database schema version {done} is newer than this Kappa ({})",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        tx.batch_execute(sql).map_err(failed)?;
        tx.execute("UPDATE kappa_schema SET version = $1", &[&((i + 1) as i64)])
            .map_err(failed)?;
        tracing::info!("applied PostgreSQL migration {}", i + 1);
    }
    tx.commit().map_err(failed)?;
    Ok(())
}
