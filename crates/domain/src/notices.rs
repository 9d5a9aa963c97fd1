//! What waits for someone: computed from the records' own state (an evaluation not yet opened,
//! a held session not yet acknowledged, a calibration not yet scored) plus one "seen" marker per
//! item for what has no state of its own to clear it (a ruled dispute, a note, an item falling
//! due). No separate message store: nothing can drift from the records.

use crate::coded;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// An action item counts as waiting from this many days before it falls due.
pub const DUE_SOON_DAYS: i64 = 2;

coded!(
    pub enum NoticeKind {
        Evaluation => "evaluation",
        Note => "note",
        Session => "session",
        ActionDue => "action_due",
        DisputeRuled => "dispute_ruled",
        Calibration => "calibration",
    }
);

impl NoticeKind {
    /// Kinds cleared by a "seen" marker; the others clear when their record moves on.
    pub fn cleared_by_marker(self) -> bool {
        matches!(
            self,
            NoticeKind::Note | NoticeKind::ActionDue | NoticeKind::DisputeRuled
        )
    }
}

/// One thing waiting, and where it opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    /// The record's id (evaluation, note, session, action item, dispute, calibration session).
    pub id: u32,
    #[serde(with = "crate::time::iso")]
    pub at: NaiveDateTime,
    /// The page that opens it.
    pub path: String,
}

/// "I have seen this": for the kinds a marker clears.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NoticeSeen {
    pub kind: NoticeKind,
    pub id: u32,
}

/// One person's "seen" marker on one notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeenMark {
    pub user_id: crate::people::UserId,
    pub kind: NoticeKind,
    pub id: u32,
    #[serde(with = "crate::time::iso")]
    pub at: NaiveDateTime,
}
