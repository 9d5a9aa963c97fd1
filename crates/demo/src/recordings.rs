//! The demo calls that have real audio: dialogue scripts spoken by espeak-ng (see `kappa-demo
//! audio`), with transcripts aligned to the recordings.

use crate::vocabulary::{Disposition, Queue};
use kappa_domain::call::Speaker;
use kappa_domain::{Direction, Language, TranscriptLine};
use serde::{Deserialize, Serialize};

/// What a recorded call is about; its call in the demo data is made to agree with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallFacts {
    pub file: String,
    /// Display name of the demo agent who speaks in it.
    pub agent: String,
    pub language: Language,
    pub queue: Queue,
    pub direction: Direction,
    pub disposition: Disposition,
    pub csat: Option<u8>,
    pub complaint: bool,
}

/// A recorded call as `kappa-demo audio` writes it into `audio/recordings.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Recording {
    #[serde(flatten)]
    pub facts: CallFacts,
    pub duration_s: u32,
    pub transcript: Vec<TranscriptLine>,
}

/// The input of `kappa-demo audio`: who says what, in order.
#[derive(Debug, Clone, Deserialize)]
pub struct Script {
    #[serde(flatten)]
    pub facts: CallFacts,
    /// espeak-ng voices of the agent and of the customer.
    pub voices: (String, String),
    pub lines: Vec<(Speaker, String)>,
}

pub fn recordings() -> Vec<Recording> {
    serde_json::from_str(include_str!("../audio/recordings.json"))
        .expect("audio/recordings.json is written by `kappa-demo audio`")
}
