//! A review is never lost. Every edit is written to this browser's storage as soon as it is on
//! screen (at once when the page is left) and sent to the server (or the static demo's store)
//! shortly after. A save names the revision it started from, so a save from another tab, or
//! from this one after a spell offline, is refused rather than silently overwriting: both
//! versions are then offered. Offline, saves wait and go out when the network returns.

use crate::api::{Api, ApiError};
use crate::storage;
use kappa_domain::review::{DraftWrite, ReviewContent, ReviewDraft};
use kappa_domain::Code;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

const DEBOUNCE: Duration = Duration::from_millis(700);
const RETRY: Duration = Duration::from_secs(5);

/// What this browser keeps of a review between visits.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct LocalDraft {
    version_id: u32,
    content: ReviewContent,
    /// The stored revision these edits started from.
    base_revision: u32,
    /// Edits the server has not acknowledged.
    unsynced: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SyncState {
    /// Everything is kept on the server, as of this save.
    Saved(Option<chrono::NaiveDateTime>),
    /// Kept in this browser, on its way to the server.
    Pending,
    /// Kept in this browser; the server cannot be reached, so it waits.
    Offline,
    /// The server's draft moved on elsewhere: the reviewer chooses.
    Conflict(ReviewDraft),
    Failed(ApiError),
}

#[derive(Clone, Copy)]
pub struct Autosave {
    pub content: RwSignal<ReviewContent>,
    pub state: RwSignal<SyncState>,
    api: Api,
    key: StoredValue<String>,
    call: u32,
    /// The calibration session this review scores the call for.
    calibration: Option<u32>,
    version_id: u32,
    base: StoredValue<u32>,
    /// Counts edits: a save acknowledges only the edits it carried.
    edits: StoredValue<u64>,
    in_flight: StoredValue<bool>,
    /// An edit waits for its write to this browser's storage.
    local_pending: StoredValue<bool>,
}

fn storage_key(user: u32, call: u32, calibration: Option<u32>) -> String {
    match calibration {
        Some(session) => format!("kappa.review.{user}.{call}.calibration.{session}"),
        None => format!("kappa.review.{user}.{call}"),
    }
}

impl Autosave {
    /// Picks up where the reviewer left off: this browser's unsynced edits when they start from
    /// the server's draft, the server's draft otherwise; a mismatch is a conflict to resolve.
    pub fn open(
        api: Api,
        user: u32,
        call: u32,
        calibration: Option<u32>,
        version_id: u32,
        server: Option<ReviewDraft>,
    ) -> Autosave {
        let key = storage_key(user, call, calibration);
        let local = storage::read::<LocalDraft>(&key).filter(|l| l.version_id == version_id);
        let server_revision = server.as_ref().map_or(0, |d| d.revision);
        let (content, base, state) = match (local, server) {
            (Some(local), server) if local.unsynced => {
                if local.base_revision == server_revision {
                    (local.content, server_revision, SyncState::Pending)
                } else if let Some(server) = server {
                    (
                        local.content,
                        local.base_revision,
                        SyncState::Conflict(server),
                    )
                } else {
                    // The stored draft is gone (submitted or cleared elsewhere): start it again.
                    (local.content, 0, SyncState::Pending)
                }
            }
            (_, Some(server)) => (
                server.content.clone(),
                server.revision,
                SyncState::Saved(Some(server.saved_at)),
            ),
            (_, None) => (ReviewContent::default(), 0, SyncState::Saved(None)),
        };
        let autosave = Autosave {
            content: RwSignal::new(content),
            state: RwSignal::new(state),
            api,
            key: StoredValue::new(key),
            call,
            calibration,
            version_id,
            base: StoredValue::new(base),
            edits: StoredValue::new(0),
            in_flight: StoredValue::new(false),
            local_pending: StoredValue::new(false),
        };
        if autosave.state.get_untracked() == SyncState::Pending {
            autosave.flush();
        }
        autosave
    }

    /// The stored draft revision the edits start from: a submission names it, so that the same
    /// submission sent twice is recognised as one.
    pub fn base_revision(&self) -> u32 {
        self.base.get_value()
    }

    /// Edits not yet acknowledged by the server.
    pub fn unsynced(&self) -> bool {
        !matches!(self.state.get_untracked(), SyncState::Saved(_))
    }

    fn keep_locally(&self, unsynced: bool) {
        self.local_pending.set_value(false);
        let local = LocalDraft {
            version_id: self.version_id,
            content: self.content.get_untracked(),
            base_revision: self.base.get_value(),
            unsynced,
        };
        storage::write(&self.key.get_value(), &local);
    }

    /// Applies an edit: kept in this browser once it is painted, sent to the server after a pause.
    pub fn edit(&self, change: impl FnOnce(&mut ReviewContent)) {
        self.content.update(change);
        self.keep_locally_soon();
        self.edits.update_value(|n| *n += 1);
        if !matches!(
            self.state.get_untracked(),
            SyncState::Conflict(_) | SyncState::Offline | SyncState::Pending
        ) {
            self.state.set(SyncState::Pending);
        }
        let (this, edits) = (*self, self.edits.get_value());
        set_timeout(
            move || {
                if this.edits.try_get_value() == Some(edits) {
                    this.flush();
                }
            },
            DEBOUNCE,
        );
    }

    /// The write waits for the frame that shows the edit, so an answer's new score is painted
    /// first and a burst of typing is written once.
    fn keep_locally_soon(&self) {
        if self.local_pending.get_value() {
            return;
        }
        self.local_pending.set_value(true);
        let this = *self;
        super::after_paint(move || this.keep_pending());
    }

    /// Writes an edit still waiting for this browser's storage: after its frame, or when the
    /// page is hidden or left.
    pub fn keep_pending(&self) {
        if self.local_pending.try_get_value() == Some(true) {
            self.keep_locally(self.unsynced());
        }
    }

    /// Sends the current content now, unless a save is already on its way or a conflict waits.
    pub fn flush(&self) {
        if self.in_flight.get_value()
            || matches!(
                self.state.get_untracked(),
                SyncState::Conflict(_) | SyncState::Saved(_)
            )
        {
            return;
        }
        self.in_flight.set_value(true);
        let this = *self;
        let sent_edits = self.edits.get_value();
        let write = DraftWrite {
            scorecard_version_id: self.version_id,
            content: self.content.get_untracked(),
            base_revision: self.base.get_value(),
        };
        spawn_local(async move {
            let answer = this
                .api
                .save_review_draft(this.call, this.calibration, &write)
                .await;
            if this.in_flight.try_set_value(false).is_some() {
                return; // the page is gone; this browser keeps the edits
            }
            match answer {
                Ok(draft) => {
                    this.base.set_value(draft.revision);
                    let current = this.edits.get_value() == sent_edits;
                    this.keep_locally(!current);
                    if current {
                        this.state.set(SyncState::Saved(Some(draft.saved_at)));
                    } else {
                        this.state.set(SyncState::Pending);
                        this.flush();
                    }
                }
                Err(ApiError::Network(_)) => {
                    this.state.set(SyncState::Offline);
                    set_timeout(move || this.retry(), RETRY);
                }
                Err(e) if e.code() == Some(Code::StaleDraft) => {
                    match this.api.review_draft(this.call, this.calibration).await {
                        Ok(server) => {
                            let _ = this.state.try_set(SyncState::Conflict(server));
                        }
                        Err(e) => {
                            let _ = this.state.try_set(SyncState::Failed(e));
                        }
                    }
                }
                Err(e) => this.state.set(SyncState::Failed(e)),
            }
        });
    }

    /// Offline saves try again when the browser says the network is back, and every few seconds.
    pub fn retry(&self) {
        if matches!(
            self.state.try_get_untracked(),
            Some(SyncState::Offline | SyncState::Failed(_))
        ) {
            self.state.set(SyncState::Pending);
            self.flush();
        }
    }

    /// Resolves a conflict with this tab's version: it becomes the next revision.
    pub fn keep_mine(&self, theirs: &ReviewDraft) {
        self.base.set_value(theirs.revision);
        self.keep_locally(true);
        self.state.set(SyncState::Pending);
        self.flush();
    }

    /// Resolves a conflict with the stored version.
    pub fn take_theirs(&self, theirs: ReviewDraft) {
        self.base.set_value(theirs.revision);
        self.content.set(theirs.content);
        self.keep_locally(false);
        self.state.set(SyncState::Saved(Some(theirs.saved_at)));
    }

    /// The review was submitted: nothing of it is kept here any more.
    pub fn forget(&self) {
        storage::remove(&self.key.get_value());
        self.state.set(SyncState::Saved(None));
    }
}
