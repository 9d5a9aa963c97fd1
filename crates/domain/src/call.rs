use crate::coded;
use crate::people::{TeamId, UserId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

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
}

/// One utterance of a recorded call, aligned to the recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptLine {
    pub speaker: Speaker,
    pub start_ms: u32,
    pub end_ms: u32,
    pub text: String,
}
