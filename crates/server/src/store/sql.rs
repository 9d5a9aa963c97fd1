//! What the store asks of a SQL database: run a statement with arguments, and hand over the rows
//! of a query one at a time. One store (`SqlStore`) is written against this, and SQLite and
//! PostgreSQL each answer it, so a rule's persistence is written once for both.
//!
//! Statements are written in the dialect both databases share, with numbered placeholders
//! (`?1`) or plain ones (`?`), which PostgreSQL's side renumbers as `$1`. Values cross as
//! [`Arg`] and are read back through [`Row`]: integers, reals, text, booleans and NULL, the
//! only kinds of column the schema has (instants and JSON documents are text).

use kappa_domain::store::{Loaded, StoreError};
use std::borrow::Cow;

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Bool(bool),
}

impl From<u32> for Arg<'_> {
    fn from(v: u32) -> Self {
        Arg::Int(v.into())
    }
}

impl From<u8> for Arg<'_> {
    fn from(v: u8) -> Self {
        Arg::Int(v.into())
    }
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

impl From<u64> for Arg<'_> {
    fn from(v: u64) -> Self {
        // Stored as the same 64 bits: a sampling seed reads back as the seed it was.
        Arg::Int(v as i64)
    }
}

impl From<usize> for Arg<'_> {
    fn from(v: usize) -> Self {
        Arg::Int(v as i64)
    }
}

impl From<f64> for Arg<'_> {
    fn from(v: f64) -> Self {
        Arg::Real(v)
    }
}

impl From<bool> for Arg<'_> {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(v))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(v))
    }
}

impl From<String> for Arg<'_> {
    fn from(v: String) -> Self {
        Arg::Text(Cow::Owned(v))
    }
}

impl<'a, T: Into<Arg<'a>>> From<Option<T>> for Arg<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Arg::Null, Into::into)
    }
}

/// Borrowed numbers and flags bind as their values (fields of a borrowed record).
macro_rules! by_value {
    ($($t:ty),*) => {
        $(impl From<&$t> for Arg<'_> {
            fn from(v: &$t) -> Self {
                (*v).into()
            }
        })*
    };
}
by_value!(u8, u32, u64, i64, usize, f64, bool, Option<u32>);

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(v: &'a Option<String>) -> Self {
        v.as_deref().into()
    }
}

/// The arguments of one statement: `args![a, b, c]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        &[$($crate::store::sql::Arg::from($value)),*]
    };
}
pub(crate) use args;

/// One row of a result, read by column index. Each accessor answers `None` for NULL and an
/// error for a column of another kind.
pub trait Row {
    fn is_null(&self, idx: usize) -> Loaded<bool>;
    fn int(&self, idx: usize) -> Loaded<Option<i64>>;
    fn real(&self, idx: usize) -> Loaded<Option<f64>>;
    fn text(&self, idx: usize) -> Loaded<Option<&str>>;
    fn boolean(&self, idx: usize) -> Loaded<Option<bool>>;
}

/// A SQL database as the store uses it, inside the transaction the caller opened.
pub trait Conn {
    /// Runs a statement; answers how many rows it changed.
    fn execute(&self, sql: &str, args: &[Arg]) -> Loaded<u64>;
    /// After rows were written with ids of their own (a loaded centre), the ids the database
    /// gives next follow them. SQLite's do already.
    fn follow_given_ids(&self) -> Loaded<()> {
        Ok(())
    }
    /// Runs a query, handing its rows to `each` one at a time (none is kept). `each` runs no
    /// statement on this connection: PostgreSQL streams the rows over it meanwhile.
    fn each(
        &self,
        sql: &str,
        args: &[Arg],
        each: &mut dyn FnMut(&dyn Row) -> Loaded<()>,
    ) -> Loaded<()>;
}

impl dyn Conn + '_ {
    /// The rows of a query, each decoded.
    pub fn all<T>(
        &self,
        sql: &str,
        args: &[Arg],
        decode: impl Fn(&dyn Row) -> Loaded<T>,
    ) -> Loaded<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, args, &mut |row| {
            out.push(decode(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query, decoded, if there is one.
    pub fn first<T>(
        &self,
        sql: &str,
        args: &[Arg],
        decode: impl Fn(&dyn Row) -> Loaded<T>,
    ) -> Loaded<Option<T>> {
        let mut out = None;
        self.each(sql, args, &mut |row| {
            if out.is_none() {
                out = Some(decode(row)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The one value a query answers (a count, an `EXISTS`).
    pub fn value<T: Column>(&self, sql: &str, args: &[Arg]) -> Loaded<T> {
        self.first(sql, args, |r| r.get(0))?
            .ok_or_else(|| StoreError(format!("no row from {sql}")))
    }

    /// Runs an `INSERT … RETURNING id`; answers the id.
    pub fn insert(&self, sql: &str, args: &[Arg]) -> Loaded<u32> {
        self.value(sql, args)
    }
}

/// A Rust value read from a column.
pub trait Column: Sized {
    fn read(row: &dyn Row, idx: usize) -> Loaded<Self>;
}

impl dyn Row + '_ {
    pub fn get<T: Column>(&self, idx: usize) -> Loaded<T> {
        T::read(self, idx)
    }
}

fn null(idx: usize) -> StoreError {
    StoreError(format!("column {idx} is NULL"))
}

impl<T: Column> Column for Option<T> {
    fn read(row: &dyn Row, idx: usize) -> Loaded<Self> {
        if row.is_null(idx)? {
            Ok(None)
        } else {
            T::read(row, idx).map(Some)
        }
    }
}

impl Column for i64 {
    fn read(row: &dyn Row, idx: usize) -> Loaded<Self> {
        row.int(idx)?.ok_or_else(|| null(idx))
    }
}

impl Column for u32 {
    fn read(row: &dyn Row, idx: usize) -> Loaded<Self> {
        let v = i64::read(row, idx)?;
        u32::try_from(v).map_err(|_| StoreError(format!("column {idx}: {v} is not a u32")))
    }
}

impl Column for u8 {
    fn read(row: &dyn Row, idx: usize) -> Loaded<Self> {
        let v = i64::read(row, idx)?;
        u8::try_from(v).map_err(|_| StoreError(format!("column {idx}: {v} is not a u8")))
    }
}

impl Column for u64 {
    fn read(row: &dyn Row, idx: usize) -> Loaded<Self> {
        // The same 64 bits that were stored (see `From<u64> for Arg`).
        Ok(i64::read(row, idx)? as u64)
    }
}

impl Column for f64 {
    fn read(row: &dyn Row, idx: usize) -> Loaded<Self> {
        row.real(idx)?.ok_or_else(|| null(idx))
    }
}

impl Column for bool {
    fn read(row: &dyn Row, idx: usize) -> Loaded<Self> {
        row.boolean(idx)?.ok_or_else(|| null(idx))
    }
}

impl Column for String {
    fn read(row: &dyn Row, idx: usize) -> Loaded<Self> {
        Ok(row.text(idx)?.ok_or_else(|| null(idx))?.to_string())
    }
}

/// A statement with `?1` and `?` placeholders in PostgreSQL's spelling (`$1`): a plain `?`
/// takes the number after the highest one so far, as SQLite numbers them. Text inside quotes
/// is left alone.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut highest = 0u32;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let n = match digits.parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => highest + 1,
                };
                highest = highest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn placeholders_are_renumbered_as_sqlite_numbers_them() {
        assert_eq!(
            numbered("UPDATE t SET a = ?1, b = ?2 WHERE c = ?1"),
            "UPDATE t SET a = $1, b = $2 WHERE c = $1"
        );
        assert_eq!(
            numbered("SELECT 1 WHERE a = ? AND b = ? AND c = '?'"),
            "SELECT 1 WHERE a = $1 AND b = $2 AND c = '?'"
        );
        assert_eq!(numbered("a = ?2 AND b = ?"), "a = $2 AND b = $3");
    }
}
