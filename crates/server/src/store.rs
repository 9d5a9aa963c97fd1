//! The SQLite twin of the domain's `MemoryStore`: loads records and persists decided changes,
//! deciding nothing. A PostgreSQL store would implement the same trait beside it.

use crate::auth::Prepared;
use crate::db::{self, CALL_COLUMNS};
use kappa_domain::evaluation::Evaluation;
use kappa_domain::scorecard::{Answer, Answers, Draft, PublishedVersion, ScorecardDefinition, ScorecardDetail, ScorecardSummary, ScorecardVersion};
use kappa_domain::store::{Change, Loaded, Store, StoreError};
use kappa_domain::time::stamp;
use kappa_domain::{Call, CallId, LocalizedText, Team, TeamId, User, UserId};
use rusqlite::{params, Connection, OptionalExtension};

pub struct SqliteStore<'c> {
    conn: &'c Connection,
    prepared: Option<Prepared>,
}

impl<'c> SqliteStore<'c> {
    pub fn new(conn: &'c Connection) -> SqliteStore<'c> {
        SqliteStore { conn, prepared: None }
    }

    /// A password hashed before the transaction: written as is when the change sets it.
    pub fn with(mut self, prepared: Option<Prepared>) -> SqliteStore<'c> {
        self.prepared = prepared;
        self
    }

    fn hash_of(&self, password: &str) -> Loaded<String> {
        match &self.prepared {
            Some(p) if p.password == password => Ok(p.hash.clone()),
            // The operator's console path: nothing else is waiting on this writer.
            _ => crate::auth::hash_password(password).map_err(failed),
        }
    }
}

fn failed(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

fn definition_of(json: &str) -> Loaded<ScorecardDefinition> {
    serde_json::from_str(json).map_err(|e| StoreError(format!("stored scorecard definition: {e}")))
}

fn json(value: &impl serde::Serialize) -> Loaded<String> {
    db::to_json(value).map_err(failed)
}

impl SqliteStore<'_> {
    fn load_detail(&self, id: u32) -> Loaded<Option<ScorecardDetail>> {
        let conn = self.conn;
        let Some((name, archived)) = conn
            .query_row("SELECT name, archived_at IS NOT NULL FROM scorecards WHERE id = ?1", [id], |r| Ok((db::json_column::<LocalizedText>(r, 0)?, r.get::<_, bool>(1)?)))
            .optional()
            .map_err(failed)?
        else {
            return Ok(None);
        };
        let draft = conn
            .query_row("SELECT id, version, lock_version, definition FROM scorecard_versions WHERE scorecard_id = ?1 AND status = 'draft'", [id], |r| {
                Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?, r.get::<_, u32>(2)?, r.get::<_, String>(3)?))
            })
            .optional()
            .map_err(failed)?
            .map(|(id, version, lock_version, json)| Ok::<_, StoreError>(Draft { id, version, lock_version, definition: definition_of(&json)? }))
            .transpose()?;
        let lock_version: u32 = conn.query_row("SELECT COALESCE(MAX(lock_version), 0) FROM scorecard_versions WHERE scorecard_id = ?1", [id], |r| r.get(0)).map_err(failed)?;
        let mut stmt = conn.prepare("SELECT id, version, published_at FROM scorecard_versions WHERE scorecard_id = ?1 AND status = 'published' ORDER BY version DESC").map_err(failed)?;
        let versions = stmt
            .query_map([id], |r| Ok(PublishedVersion { id: r.get(0)?, version: r.get(1)?, published_at: r.get(2)? }))
            .map_err(failed)?
            .collect::<rusqlite::Result<_>>()
            .map_err(failed)?;
        Ok(Some(ScorecardDetail { id, name, archived, lock_version, draft, versions }))
    }

    fn audit(&self, actor: Option<UserId>, change: &Change, entity_id: u32) -> Loaded<()> {
        db::audit(self.conn, actor, change.action(), change.entity(), Some(entity_id), &change.audit_detail()).map_err(failed)
    }

    fn apply(&self, actor: Option<UserId>, change: &Change) -> Loaded<u32> {
        let conn = self.conn;
        let run = |sql: &str, params: &[&dyn rusqlite::ToSql]| conn.execute(sql, params).map_err(failed);
        let inserted = || conn.last_insert_rowid() as u32;
        Ok(match change {
            Change::ScorecardCreated { definition, version, lock_version, created_at } => {
                run("INSERT INTO scorecards (name, created_by, created_at) VALUES (?1, ?2, ?3)", params![json(&definition.name)?, actor, stamp(*created_at)])?;
                let id = inserted();
                run("INSERT INTO scorecard_versions (scorecard_id, version, status, definition, lock_version) VALUES (?1, ?2, 'draft', ?3, ?4)", params![id, version, json(definition)?, lock_version])?;
                id
            }
            Change::DraftSaved { scorecard, version, lock_version, definition } => {
                let updated = run(
                    "UPDATE scorecard_versions SET definition = ?1, lock_version = ?2 WHERE scorecard_id = ?3 AND status = 'draft'",
                    params![json(definition)?, lock_version, scorecard],
                )?;
                if updated == 0 {
                    run(
                        "INSERT INTO scorecard_versions (scorecard_id, version, status, definition, lock_version) VALUES (?1, ?2, 'draft', ?3, ?4)",
                        params![scorecard, version, json(definition)?, lock_version],
                    )?;
                }
                run("UPDATE scorecards SET name = ?1 WHERE id = ?2", params![json(&definition.name)?, scorecard])?;
                *scorecard
            }
            Change::DraftPublished { scorecard, published_at } => {
                run("UPDATE scorecard_versions SET status = 'published', published_at = ?1 WHERE scorecard_id = ?2 AND status = 'draft'", params![stamp(*published_at), scorecard])?;
                *scorecard
            }
            Change::ArchiveSet { scorecard, archived_at } => {
                run("UPDATE scorecards SET archived_at = ?1 WHERE id = ?2", params![archived_at.map(stamp), scorecard])?;
                *scorecard
            }
            Change::EvaluationSubmitted(e) => {
                let at = stamp(e.submitted_at);
                run(
                    "INSERT INTO evaluations (call_id, scorecard_version_id, reviewer_id, agent_id, status, score, passed, created_at, submitted_at)
                     VALUES (?1, ?2, ?3, ?4, 'submitted', ?5, ?6, ?7, ?7)",
                    params![e.call_id, e.scorecard_version_id, e.reviewer_id, e.agent_id, e.score, e.passed, at],
                )?;
                let id = inserted();
                for (key, answer) in &e.answers {
                    run("INSERT INTO answers (evaluation_id, criterion_key, value) VALUES (?1, ?2, ?3)", params![id, key, json(answer)?])?;
                }
                id
            }
            Change::UserCreated { user, password } => {
                let hash = self.hash_of(password)?;
                run(
                    "INSERT INTO users (username, display_name, role, team_id, password_hash, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![user.username, user.display_name, user.role.as_str(), user.team_id, hash, user.active],
                )?;
                inserted()
            }
            Change::UserActiveSet { user, active } => {
                run("UPDATE users SET active = ?1 WHERE id = ?2", params![active, user])?;
                if !active {
                    // A deactivated user is signed out everywhere at once.
                    run("DELETE FROM sessions WHERE user_id = ?1", params![user])?;
                }
                *user
            }
            Change::PasswordSet { user, password } => {
                let hash = self.hash_of(password)?;
                run("UPDATE users SET password_hash = ?1 WHERE id = ?2", params![hash, user])?;
                // Whoever knew the old password is signed out.
                run("DELETE FROM sessions WHERE user_id = ?1", params![user])?;
                *user
            }
        })
    }
}

impl Store for SqliteStore<'_> {
    fn user(&self, id: UserId) -> Loaded<Option<User>> {
        db::find_user(self.conn, id).map_err(failed)
    }

    fn users(&self) -> Loaded<Vec<User>> {
        db::all_users(self.conn).map_err(failed)
    }

    fn username_taken(&self, username: &str) -> Loaded<bool> {
        self.conn.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE lower(username) = lower(?1))", [username], |r| r.get(0)).map_err(failed)
    }

    fn team(&self, id: TeamId) -> Loaded<Option<Team>> {
        Ok(db::teams(self.conn).map_err(failed)?.into_iter().find(|t| t.id == id))
    }

    fn call(&self, id: CallId) -> Loaded<Option<Call>> {
        self.conn.query_row(&format!("SELECT {CALL_COLUMNS} FROM calls WHERE id = ?1"), [id], db::call_from_row).optional().map_err(failed)
    }

    fn scorecard(&self, id: u32) -> Loaded<Option<ScorecardDetail>> {
        self.load_detail(id)
    }

    fn scorecards(&self) -> Loaded<Vec<ScorecardSummary>> {
        let ids: Vec<u32> = self.conn.prepare("SELECT id FROM scorecards").map_err(failed)?.query_map([], |r| r.get(0)).map_err(failed)?.collect::<rusqlite::Result<_>>().map_err(failed)?;
        let mut count = self
            .conn
            .prepare("SELECT COUNT(*) FROM evaluations e JOIN scorecard_versions v ON v.id = e.scorecard_version_id WHERE v.scorecard_id = ?1 AND e.status = 'submitted'")
            .map_err(failed)?;
        let mut list = Vec::new();
        for id in ids {
            let mut summary = self.load_detail(id)?.ok_or_else(|| StoreError(format!("scorecard {id} vanished")))?.summary();
            summary.evaluations = count.query_row([id], |r| r.get(0)).map_err(failed)?;
            list.push(summary);
        }
        Ok(list)
    }

    fn version(&self, id: u32) -> Loaded<Option<ScorecardVersion>> {
        let row = self
            .conn
            .query_row("SELECT scorecard_id, version, status, definition FROM scorecard_versions WHERE id = ?1", [id], |r| {
                Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })
            .optional()
            .map_err(failed)?;
        row.map(|(scorecard_id, version, status, json)| Ok(ScorecardVersion { id, scorecard_id, version, published: status == "published", definition: definition_of(&json)? })).transpose()
    }

    fn evaluation(&self, id: u32) -> Loaded<Option<Evaluation>> {
        let found = self
            .conn
            .query_row(
                "SELECT id, call_id, scorecard_version_id, reviewer_id, agent_id, submitted_at, score, passed FROM evaluations WHERE id = ?1 AND status = 'submitted'",
                [id],
                |r| {
                    Ok(Evaluation {
                        id: r.get(0)?,
                        call_id: r.get(1)?,
                        scorecard_version_id: r.get(2)?,
                        reviewer_id: r.get(3)?,
                        agent_id: r.get(4)?,
                        submitted_at: db::time_column(r, 5)?,
                        answers: Answers::new(),
                        score: r.get(6)?,
                        passed: r.get(7)?,
                    })
                },
            )
            .optional()
            .map_err(failed)?;
        let Some(mut evaluation) = found else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare("SELECT criterion_key, value FROM answers WHERE evaluation_id = ?1").map_err(failed)?;
        evaluation.answers = stmt
            .query_map([id], |r| Ok((r.get::<_, String>(0)?, db::json_column::<Answer>(r, 1)?)))
            .map_err(failed)?
            .collect::<rusqlite::Result<_>>()
            .map_err(failed)?;
        Ok(Some(evaluation))
    }

    fn write(&mut self, actor: Option<UserId>, change: Change) -> Loaded<u32> {
        let id = self.apply(actor, &change)?;
        self.audit(actor, &change, id)?;
        Ok(id)
    }
}
