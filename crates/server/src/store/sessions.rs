//! Sign-in sessions and credentials: the server's own records beside the domain's. A session is
//! kept by the hash of its token, never the token.

use super::rows::{audit, time, user_from_row, USER_COLUMNS};
use super::sql::args;
use super::SqlStore;
use crate::error::Result;
use crate::throttle::{Key, Scope};
use chrono::NaiveDateTime;
use kappa_domain::store::Store;
use kappa_domain::time::stamp;
use kappa_domain::{Role, User, UserId};

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
    /// Each key's attempts since `since`, oldest first, after forgetting every older attempt.
    fn attempts(
        &self,
        keys: &[Key],
        since: NaiveDateTime,
    ) -> Result<Vec<(Scope, Vec<NaiveDateTime>)>>;
    /// Counts an attempt at `at` against each key; answers each key's record of it.
    fn record_attempt(&self, keys: &[Key], at: NaiveDateTime) -> Result<Vec<u32>>;
    /// A success forgets the username's failures and its own count on the address.
    fn forgive(&self, attempt: &[(Key, u32)]) -> Result<()>;
    /// An audit entry for what the sign-in routes do (sign-ins, failures, sign-outs).
    fn record(
        &self,
        actor: Option<UserId>,
        action: &str,
        entity_id: Option<UserId>,
        detail: &serde_json::Value,
    ) -> Result<()>;
}

/// The column after a user's: where a query that reads a user reads on.
fn user_width() -> usize {
    USER_COLUMNS.split(", ").count()
}

impl SessionStore for SqlStore<'_> {
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
        Ok(self.conn.first(
            &format!(
                "SELECT {columns}, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?3 AND u.active"
            ),
            args![token_hash, stamp(now), stamp(idle_since)],
            |r| Ok((user_from_row(r)?, time(r, user_width())?)),
        )?)
    }

    fn touch_session(&self, token_hash: &str, at: NaiveDateTime) -> Result<()> {
        self.conn.execute(
            "UPDATE sessions SET last_seen_at = ?1 WHERE token_hash = ?2",
            args![stamp(at), token_hash],
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
            args![token_hash, user, &now, stamp(expires)],
        )?;
        self.conn
            .execute("DELETE FROM sessions WHERE expires_at <= ?1", args![&now])?;
        Ok(())
    }

    fn end_session(&self, token_hash: &str) -> Result<Option<UserId>> {
        let user = self.conn.first(
            "SELECT user_id FROM sessions WHERE token_hash = ?1",
            args![token_hash],
            |r| r.get(0),
        )?;
        self.conn.execute(
            "DELETE FROM sessions WHERE token_hash = ?1",
            args![token_hash],
        )?;
        Ok(user)
    }

    fn credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        // Usernames are unique regardless of case, so any spelling finds the one.
        Ok(self.conn.first(
            &format!(
                "SELECT {USER_COLUMNS}, password_hash FROM users WHERE lower(username) = lower(?1)"
            ),
            args![username],
            |r| Ok((user_from_row(r)?, r.get(user_width())?)),
        )?)
    }

    fn password_hash(&self, user: UserId) -> Result<Option<String>> {
        Ok(self.conn.first(
            "SELECT password_hash FROM users WHERE id = ?1",
            args![user],
            |r| r.get(0),
        )?)
    }

    fn has_active_admin(&self) -> Result<bool> {
        Ok(self.conn.value(
            "SELECT EXISTS (SELECT 1 FROM users WHERE role = ?1 AND active)",
            args![Role::Admin.code()],
        )?)
    }

    fn attempts(
        &self,
        keys: &[Key],
        since: NaiveDateTime,
    ) -> Result<Vec<(Scope, Vec<NaiveDateTime>)>> {
        let since = stamp(since);
        self.conn
            .execute("DELETE FROM sign_in_attempts WHERE at < ?1", args![&since])?;
        let mut counted = Vec::with_capacity(keys.len());
        for (scope, key) in keys {
            let times = self.conn.all(
                "SELECT at FROM sign_in_attempts WHERE scope = ?1 AND key = ?2 AND at >= ?3 ORDER BY at, id",
                args![scope.code(), key, &since],
                |r| time(r, 0),
            )?;
            counted.push((*scope, times));
        }
        Ok(counted)
    }

    fn record_attempt(&self, keys: &[Key], at: NaiveDateTime) -> Result<Vec<u32>> {
        let at = stamp(at);
        let mut ids = Vec::with_capacity(keys.len());
        for (scope, key) in keys {
            ids.push(self.conn.insert(
                "INSERT INTO sign_in_attempts (scope, key, at) VALUES (?1, ?2, ?3) RETURNING id",
                args![scope.code(), key, &at],
            )?);
        }
        Ok(ids)
    }

    fn forgive(&self, attempt: &[(Key, u32)]) -> Result<()> {
        for ((scope, key), id) in attempt {
            match scope {
                Scope::Username => self.conn.execute(
                    "DELETE FROM sign_in_attempts WHERE scope = ?1 AND key = ?2",
                    args![scope.code(), key],
                )?,
                Scope::Address => self
                    .conn
                    .execute("DELETE FROM sign_in_attempts WHERE id = ?1", args![*id])?,
            };
        }
        Ok(())
    }

    fn record(
        &self,
        actor: Option<UserId>,
        action: &str,
        entity_id: Option<UserId>,
        detail: &serde_json::Value,
    ) -> Result<()> {
        Ok(audit(self.conn, actor, action, "user", entity_id, detail)?)
    }
}
