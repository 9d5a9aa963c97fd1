//! The boundary between the rules and where data lives. A store answers lookups and persists the
//! changes the rules decided, nothing more: `workflow` decides, a store never does. The server
//! implements it over SQLite, the static demo uses [`MemoryStore`] in the browser, and the
//! scenario suite runs the same scripts against both.

use crate::call::{Call, CallId};
use crate::evaluation::Evaluation;
use crate::people::{Team, TeamId, User, UserId};
use crate::scorecard::{Draft, PublishedVersion, ScorecardDefinition, ScorecardDetail, ScorecardSummary, ScorecardVersion};
use crate::scorecard_library::ScorecardLibrary;
use chrono::NaiveDateTime;
use std::sync::Arc;

/// The store could not load or persist (a broken file, a full disk): never a rule's answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("storage: {0}")]
pub struct StoreError(pub String);

pub type Loaded<T> = Result<T, StoreError>;

pub trait Store {
    fn user(&self, id: UserId) -> Loaded<Option<User>>;
    fn users(&self) -> Loaded<Vec<User>>;
    /// Usernames are unique regardless of case.
    fn username_taken(&self, username: &str) -> Loaded<bool>;
    fn team(&self, id: TeamId) -> Loaded<Option<Team>>;
    fn call(&self, id: CallId) -> Loaded<Option<Call>>;
    fn scorecard(&self, id: u32) -> Loaded<Option<ScorecardDetail>>;
    /// Every scorecard in any order, each counting the submitted evaluations of its versions.
    fn scorecards(&self) -> Loaded<Vec<ScorecardSummary>>;
    /// A version by row id, published or the open draft.
    fn version(&self, id: u32) -> Loaded<Option<ScorecardVersion>>;
    fn evaluation(&self, id: u32) -> Loaded<Option<Evaluation>>;
    /// Persists one decided change with its audit entry; answers the id of the record it
    /// created or changed.
    fn write(&mut self, actor: Option<UserId>, change: Change) -> Loaded<u32>;
}

/// A state change as the rules decided it: every value a store writes is in here.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A new card with its first draft.
    ScorecardCreated { definition: ScorecardDefinition, version: u32, lock_version: u32, created_at: NaiveDateTime },
    /// Writes the card's one open draft, or opens it as `version` when there is none.
    DraftSaved { scorecard: u32, version: u32, lock_version: u32, definition: ScorecardDefinition },
    /// Freezes the open draft for ever.
    DraftPublished { scorecard: u32, published_at: NaiveDateTime },
    ArchiveSet { scorecard: u32, archived_at: Option<NaiveDateTime> },
    /// A graded evaluation; its `id` is the store's to give.
    EvaluationSubmitted(Evaluation),
    /// A new account (its `id` is the store's to give) and its first password.
    UserCreated { user: User, password: String },
    /// Deactivating also ends the user's sessions, where a store keeps any.
    UserActiveSet { user: UserId, active: bool },
    /// Also ends the user's sessions, where a store keeps any.
    PasswordSet { user: UserId, password: String },
}

impl Change {
    /// The audit log's name for the change.
    pub fn action(&self) -> &'static str {
        match self {
            Change::ScorecardCreated { .. } => "scorecard_created",
            Change::DraftSaved { .. } => "scorecard_draft_saved",
            Change::DraftPublished { .. } => "scorecard_published",
            Change::ArchiveSet { archived_at: Some(_), .. } => "scorecard_archived",
            Change::ArchiveSet { archived_at: None, .. } => "scorecard_restored",
            Change::EvaluationSubmitted(_) => "evaluation_submitted",
            Change::UserCreated { .. } => "user_created",
            Change::UserActiveSet { active: true, .. } => "user_activated",
            Change::UserActiveSet { active: false, .. } => "user_deactivated",
            Change::PasswordSet { .. } => "password_set",
        }
    }

    pub fn entity(&self) -> &'static str {
        match self {
            Change::ScorecardCreated { .. } | Change::DraftSaved { .. } | Change::DraftPublished { .. } | Change::ArchiveSet { .. } => "scorecard",
            Change::EvaluationSubmitted(_) => "evaluation",
            Change::UserCreated { .. } | Change::UserActiveSet { .. } | Change::PasswordSet { .. } => "user",
        }
    }

    /// What the audit log keeps besides who and when; never a password.
    pub fn audit_detail(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Change::ScorecardCreated { definition, .. } => json!({ "name": definition.name }),
            Change::DraftSaved { version, lock_version, .. } => json!({ "version": version, "lock_version": lock_version }),
            Change::EvaluationSubmitted(e) => json!({ "call": e.call_id, "version": e.scorecard_version_id, "score": e.score }),
            Change::UserCreated { user, .. } => json!({ "username": user.username, "role": user.role }),
            Change::DraftPublished { .. } | Change::ArchiveSet { .. } | Change::UserActiveSet { .. } | Change::PasswordSet { .. } => json!({}),
        }
    }
}

/// One line of the audit trail, as the memory store keeps it (the server keeps it in SQL).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub actor: Option<UserId>,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: u32,
}

/// Everything in memory: the static demo's store in the browser (loaded from the shipped
/// fixtures and this browser's edits) and the demo generator's. Ids are given as SQLite gives
/// them (one above the highest), so both stores number records alike.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    pub users: Vec<User>,
    pub teams: Vec<Team>,
    /// Read-only here and large: shared, not copied, between loads.
    pub calls: Arc<Vec<Call>>,
    pub scorecards: ScorecardLibrary,
    pub evaluations: Vec<Evaluation>,
    pub audit: Vec<AuditEntry>,
}

impl MemoryStore {
    fn card_mut(&mut self, id: u32) -> Loaded<&mut ScorecardDetail> {
        self.scorecards.cards.iter_mut().find(|c| c.id == id).ok_or_else(|| StoreError(format!("no scorecard {id}")))
    }

    fn user_mut(&mut self, id: UserId) -> Loaded<&mut User> {
        self.users.iter_mut().find(|u| u.id == id).ok_or_else(|| StoreError(format!("no user {id}")))
    }

    fn apply(&mut self, change: Change) -> Loaded<u32> {
        Ok(match change {
            Change::ScorecardCreated { definition, version, lock_version, .. } => {
                let id = self.scorecards.cards.iter().map(|c| c.id).max().unwrap_or(0) + 1;
                let draft = Draft { id: self.scorecards.next_version_id(), version, lock_version, definition };
                self.scorecards.cards.push(ScorecardDetail { id, name: draft.definition.name.clone(), archived: false, lock_version, draft: Some(draft), versions: Vec::new() });
                id
            }
            Change::DraftSaved { scorecard, version, lock_version, definition } => {
                let next_id = self.scorecards.next_version_id();
                let card = self.card_mut(scorecard)?;
                let id = card.draft.as_ref().map_or(next_id, |d| d.id);
                card.name = definition.name.clone();
                card.lock_version = lock_version;
                card.draft = Some(Draft { id, version, lock_version, definition });
                scorecard
            }
            Change::DraftPublished { scorecard, published_at } => {
                let card = self.card_mut(scorecard)?;
                let draft = card.draft.take().ok_or_else(|| StoreError(format!("scorecard {scorecard} has no draft")))?;
                card.versions.insert(0, PublishedVersion { id: draft.id, version: draft.version, published_at: crate::time::stamp(published_at) });
                self.scorecards.versions.push(ScorecardVersion { id: draft.id, scorecard_id: scorecard, version: draft.version, published: true, definition: draft.definition });
                scorecard
            }
            Change::ArchiveSet { scorecard, archived_at } => {
                self.card_mut(scorecard)?.archived = archived_at.is_some();
                scorecard
            }
            Change::EvaluationSubmitted(mut evaluation) => {
                evaluation.id = self.evaluations.iter().map(|e| e.id).max().unwrap_or(0) + 1;
                self.evaluations.push(evaluation);
                self.evaluations.last().map_or(0, |e| e.id)
            }
            Change::UserCreated { mut user, .. } => {
                // The static demo signs in without passwords, so there is none to keep.
                user.id = self.users.iter().map(|u| u.id).max().unwrap_or(0) + 1;
                self.users.push(user);
                self.users.last().map_or(0, |u| u.id)
            }
            Change::UserActiveSet { user, active } => {
                self.user_mut(user)?.active = active;
                user
            }
            Change::PasswordSet { user, .. } => {
                self.user_mut(user)?;
                user
            }
        })
    }
}

impl Store for MemoryStore {
    fn user(&self, id: UserId) -> Loaded<Option<User>> {
        Ok(self.users.iter().find(|u| u.id == id).cloned())
    }

    fn users(&self) -> Loaded<Vec<User>> {
        Ok(self.users.clone())
    }

    fn username_taken(&self, username: &str) -> Loaded<bool> {
        Ok(self.users.iter().any(|u| u.username.eq_ignore_ascii_case(username)))
    }

    fn team(&self, id: TeamId) -> Loaded<Option<Team>> {
        Ok(self.teams.iter().find(|t| t.id == id).cloned())
    }

    fn call(&self, id: CallId) -> Loaded<Option<Call>> {
        Ok(self.calls.iter().find(|c| c.id == id).cloned())
    }

    fn scorecard(&self, id: u32) -> Loaded<Option<ScorecardDetail>> {
        Ok(self.scorecards.cards.iter().find(|c| c.id == id).cloned())
    }

    fn scorecards(&self) -> Loaded<Vec<ScorecardSummary>> {
        let mut list: Vec<ScorecardSummary> = self.scorecards.cards.iter().map(ScorecardDetail::summary).collect();
        for e in &self.evaluations {
            let card = self.scorecards.versions.iter().find(|v| v.id == e.scorecard_version_id).map(|v| v.scorecard_id);
            if let Some(summary) = list.iter_mut().find(|s| Some(s.id) == card) {
                summary.evaluations += 1;
            }
        }
        Ok(list)
    }

    fn version(&self, id: u32) -> Loaded<Option<ScorecardVersion>> {
        Ok(self.scorecards.version(id))
    }

    fn evaluation(&self, id: u32) -> Loaded<Option<Evaluation>> {
        Ok(self.evaluations.iter().find(|e| e.id == id).cloned())
    }

    fn write(&mut self, actor: Option<UserId>, change: Change) -> Loaded<u32> {
        let (action, entity) = (change.action(), change.entity());
        let entity_id = self.apply(change)?;
        self.audit.push(AuditEntry { actor, action, entity, entity_id });
        Ok(entity_id)
    }
}
