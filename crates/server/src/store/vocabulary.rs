//! The centre's queues and outcomes in rows.

use super::rows;
use super::sql::{args, Conn};
use kappa_domain::store::{Change, Loaded};
use kappa_domain::vocabulary::{Term, Vocabulary};
use kappa_domain::LocalizedText;

pub const TERM_COLUMNS: &str = "kind, code, name_en, name_zh, active, revision, position";

pub fn load(conn: &dyn Conn) -> Loaded<Vocabulary> {
    let terms = conn.all(
        "SELECT kind, code, name_en, name_zh, active, revision FROM terms ORDER BY position",
        args![],
        |r| {
            Ok(Term {
                kind: rows::coded(r, 0)?,
                code: r.get(1)?,
                name: LocalizedText {
                    en: r.get(2)?,
                    zh: r.get(3)?,
                },
                active: r.get(4)?,
                revision: r.get(5)?,
            })
        },
    )?;
    Ok(Vocabulary { terms })
}

/// A new term, after every other (its place in the pickers).
pub fn insert_term(conn: &dyn Conn, term: &Term) -> Loaded<()> {
    conn.execute(
        "INSERT INTO terms (kind, code, name_en, name_zh, active, revision, position) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT COALESCE(MAX(position), 0) + 1 FROM terms))",
        args![
            term.kind.code(),
            &term.code,
            &term.name.en,
            &term.name.zh,
            term.active,
            term.revision
        ],
    )?;
    Ok(())
}

/// Writes a vocabulary change; `None` for every other change.
pub fn apply(conn: &dyn Conn, change: &Change) -> Loaded<Option<u32>> {
    Ok(match change {
        Change::TermDefined(term) => {
            insert_term(conn, term)?;
            Some(term.revision)
        }
        Change::TermEdited {
            kind,
            code,
            name,
            active,
            revision,
        } => {
            conn.execute(
                "UPDATE terms SET name_en = ?1, name_zh = ?2, active = ?3, revision = ?4 \
                 WHERE kind = ?5 AND code = ?6",
                args![&name.en, &name.zh, active, revision, kind.code(), code],
            )?;
            Some(*revision)
        }
        _ => None,
    })
}
