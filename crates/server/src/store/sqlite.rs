//! SQLite's answer to [`Conn`]: cached prepared statements on the connection (a transaction
//! derefs to it), rows read in place.

use super::sql::{Arg, Conn, Row};
use kappa_domain::store::{Loaded, StoreError};
use rusqlite::types::{ToSqlOutput, ValueRef};

fn failed(e: rusqlite::Error) -> StoreError {
    StoreError(e.to_string())
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Arg::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Arg::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Arg::Real(v) => ToSqlOutput::Borrowed(ValueRef::Real(*v)),
            Arg::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            // SQLite has no booleans: 1 and 0, as the schema's CHECKs expect.
            Arg::Bool(v) => ToSqlOutput::Borrowed(ValueRef::Integer((*v).into())),
        })
    }
}

struct SqliteRow<'a, 'r>(&'a rusqlite::Row<'r>);

impl SqliteRow<'_, '_> {
    fn value(&self, idx: usize) -> Loaded<ValueRef<'_>> {
        self.0.get_ref(idx).map_err(failed)
    }
}

fn kind(idx: usize, wanted: &str, found: ValueRef) -> StoreError {
    StoreError(format!(
        "column {idx}: {wanted} expected, found {:?}",
        found.data_type()
    ))
}

impl Row for SqliteRow<'_, '_> {
    fn is_null(&self, idx: usize) -> Loaded<bool> {
        Ok(matches!(self.value(idx)?, ValueRef::Null))
    }

    fn int(&self, idx: usize) -> Loaded<Option<i64>> {
        match self.value(idx)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(v) => Ok(Some(v)),
            other => Err(kind(idx, "an integer", other)),
        }
    }

    fn real(&self, idx: usize) -> Loaded<Option<f64>> {
        match self.value(idx)? {
            ValueRef::Null => Ok(None),
            ValueRef::Real(v) => Ok(Some(v)),
            // A REAL column keeps whole numbers as they came (an expression's 80, say).
            ValueRef::Integer(v) => Ok(Some(v as f64)),
            other => Err(kind(idx, "a number", other)),
        }
    }

    fn text(&self, idx: usize) -> Loaded<Option<&str>> {
        match self.value(idx)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                .map(Some)
                .map_err(|e| StoreError(format!("column {idx}: {e}"))),
            other => Err(kind(idx, "text", other)),
        }
    }

    fn boolean(&self, idx: usize) -> Loaded<Option<bool>> {
        Ok(self.int(idx)?.map(|v| v != 0))
    }
}

impl Conn for rusqlite::Connection {
    fn execute(&self, sql: &str, args: &[Arg]) -> Loaded<u64> {
        let mut stmt = self.prepare_cached(sql).map_err(failed)?;
        let changed = stmt
            .execute(rusqlite::params_from_iter(args))
            .map_err(failed)?;
        Ok(changed as u64)
    }

    fn each(
        &self,
        sql: &str,
        args: &[Arg],
        each: &mut dyn FnMut(&dyn Row) -> Loaded<()>,
    ) -> Loaded<()> {
        let mut stmt = self.prepare_cached(sql).map_err(failed)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(args))
            .map_err(failed)?;
        while let Some(row) = rows.next().map_err(failed)? {
            each(&SqliteRow(row))?;
        }
        Ok(())
    }
}

impl Conn for rusqlite::Transaction<'_> {
    fn execute(&self, sql: &str, args: &[Arg]) -> Loaded<u64> {
        Conn::execute(&**self, sql, args)
    }

    fn each(
        &self,
        sql: &str,
        args: &[Arg],
        each: &mut dyn FnMut(&dyn Row) -> Loaded<()>,
    ) -> Loaded<()> {
        Conn::each(&**self, sql, args, each)
    }
}
