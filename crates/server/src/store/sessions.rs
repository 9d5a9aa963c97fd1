//! Sign-in sessions and credentials: the server's own records beside the domain's. A session is
//! kept by the hash of its token, never the token.

use super::rows::{audit, user_from_row, USER_COLUMNS};
use super::SqliteStore;
use crate::error::Result;
use chrono::NaiveDateTime;
use kappa_domain::store::Store;
use kappa_domain::time::stamp;
use kappa_domain::{Role, User, UserId};
use rusqlite::{params, OptionalExtension};

/// What the sign-in routes read and write. A supertrait of [`Store`] so that a password change
/// (a domain decision) and the fresh session it opens share one transaction.
pub trait SessionStore: Store {
    /// The user of a live session (not expired at `now`, used since `idle_since`, account
    /// active), with when it was last used.
    fn live_session(
        &self,
        token_hash: &str,
        now: NaiveDateTime,
        idle_since: NaiveDateTime,
    ) -> Result<Option<(User, NaiveDateTime)>>;
    fn touch_session(&self, token_hash: &str, at: NaiveDateTime) -> Result<()>;
    /// Opens a session (and clears expired ones).
    fn open_session(
        &self,
        token_hash: &str,
        user: UserId,
        now: NaiveDateTime,
        expires: NaiveDateTime,
    ) -> Result<()>;
    /// Ends a session; answers whose it was.
    fn end_session(&self, token_hash: &str) -> Result<Option<UserId>>;
    /// An account and its password hash, by username in any case.
    fn credentials(&self, username: &str) -> Result<Option<(User, String)>>;
    fn password_hash(&self, user: UserId) -> Result<Option<String>>;
    /// Whether an active administrator exists (a new installation has none).
    fn has_active_admin(&self) -> Result<bool>;
    /// An audit entry for what the sign-in routes do (sign-ins, failures, sign-outs).
    fn record(
        &self,
        actor: Option<UserId>,
        action: &str,
        entity_id: Option<UserId>,
        detail: &serde_json::Value,
    ) -> Result<()>;
}

impl SessionStore for SqliteStore<'_> {
    fn live_session(
        &self,
        token_hash: &str,
        now: NaiveDateTime,
        idle_since: NaiveDateTime,
    ) -> Result<Option<(User, NaiveDateTime)>> {
        let columns = USER_COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns}, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?3 AND u.active = 1"
        );
        Ok(self
            .conn
            .query_row(
                &sql,
                params![token_hash, stamp(now), stamp(idle_since)],
                |r| Ok((user_from_row(r)?, super::rows::time_column(r, 6)?)),
            )
            .optional()?)
    }

    fn touch_session(&self, token_hash: &str, at: NaiveDateTime) -> Result<()> {
        self.conn.execute(
            "UPDATE sessions SET last_seen_at = ?1 WHERE token_hash = ?2",
            params![stamp(at), token_hash],
        )?;
        Ok(())
    }

    fn open_session(
        &self,
        token_hash: &str,
        user: UserId,
        now: NaiveDateTime,
        expires: NaiveDateTime,
    ) -> Result<()> {
        let now = stamp(now);
        self.conn.execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?3)",
            params![token_hash, user, now, stamp(expires)],
        )?;
        self.conn
            .execute("DELETE FROM sessions WHERE expires_at <= ?1", [&now])?;
        Ok(())
    }

    fn end_session(&self, token_hash: &str) -> Result<Option<UserId>> {
        let user = self
            .conn
            .query_row(
                "SELECT user_id FROM sessions WHERE token_hash = ?1",
                [token_hash],
                |r| r.get(0),
            )
            .optional()?;
        self.conn
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(user)
    }

    fn credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        Ok(self
            .conn
            // Usernames are unique regardless of case, so any spelling finds the one.
            .query_row(
                &format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE lower(username) = lower(?1)"),
                [username],
                |r| Ok((user_from_row(r)?, r.get::<_, String>(6)?)),
            )
            .optional()?)
    }

    fn password_hash(&self, user: UserId) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT password_hash FROM users WHERE id = ?1",
                [user],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn has_active_admin(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE role = ?1 AND active = 1)",
            [Role::Admin.code()],
            |r| r.get(0),
        )?)
    }

    fn record(
        &self,
        actor: Option<UserId>,
        action: &str,
        entity_id: Option<UserId>,
        detail: &serde_json::Value,
    ) -> Result<()> {
        audit(self.conn, actor, action, "user", entity_id, detail)
    }
}
