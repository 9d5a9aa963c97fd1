use crate::coded;
use crate::people::{TeamId, UserId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub type CallId = u32;

coded!(
    pub enum Direction {
        Inbound => "inbound",
        Outbound => "outbound",
    }
);

coded!(
    pub enum Language {
        Zh => "zh",
        En => "en",
    }
);

coded!(
    pub enum Speaker {
        Agent => "agent",
        Customer => "customer",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub id: CallId,
    /// Local time of the contact centre; date filters compare its calendar date.
    #[serde(with = "crate::time::iso")]
    pub started_at: NaiveDateTime,
    pub duration_s: u32,
    pub agent_id: UserId,
    pub team_id: TeamId,
    /// The code of one of the centre's queues ([`crate::vocabulary::TermKind::Queue`]).
    pub queue: String,
    pub direction: Direction,
    /// The code of one of the centre's outcomes ([`crate::vocabulary::TermKind::Disposition`]).
    pub disposition: String,
    /// Post-call survey answer, 1–5; most customers do not answer.
    pub csat: Option<u8>,
    /// The customer complained during or after the call.
    pub complaint: bool,
    pub language: Language,
    pub customer_ref: String,
    /// File name of the recording under `/audio/`, when one is kept.
    pub recording: Option<String>,
    /// The caller's number hashed with the centre's secret salt, where its import masked the
    /// number: the calls of one caller are found by it, and the number is kept nowhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_hash: Option<String>,
    /// Where an imported call came from, and its id there; none for the demo's own calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<CallOrigin>,
    /// The columns of the source's export that no field took, by header: nothing a centre
    /// exported is thrown away.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

/// A call's key in the platform it came from: importing the same export again finds it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CallOrigin {
    /// The centre's name for the platform (`genesys`, `tinet-beijing`).
    pub source: String,
    pub external_id: String,
}

/// One utterance of a recorded call, aligned to the recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptLine {
    pub speaker: Speaker,
    pub start_ms: u32,
    pub end_ms: u32,
    pub text: String,
}
