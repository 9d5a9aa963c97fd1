use crate::people::{TeamId, UserId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

pub type CallId = u32;

/// Declares a closed set of values with stable snake_case codes, used in URLs, JSON, SQL and
/// as i18n keys, so one spelling serves every layer.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

coded_enum!(
    /// The IVR queue a call came through: what the customer called about.
    Queue {
        Bookings => "bookings",
        Changes => "changes",
        Cancellations => "cancellations",
        Refunds => "refunds",
        Complaints => "complaints",
        Loyalty => "loyalty",
    }
);

coded_enum!(Direction { Inbound => "inbound", Outbound => "outbound" });

coded_enum!(
    /// How the agent closed the call in the CRM.
    Disposition {
        Resolved => "resolved",
        FollowUp => "follow_up",
        Escalated => "escalated",
        Transferred => "transferred",
        Unresolved => "unresolved",
    }
);

coded_enum!(Language { Zh => "zh", En => "en" });

coded_enum!(Speaker { Agent => "agent", Customer => "customer" });

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub id: CallId,
    /// Local time of the contact centre; date filters compare its calendar date.
    #[serde(with = "crate::time::iso")]
    pub started_at: NaiveDateTime,
    pub duration_s: u32,
    pub agent_id: UserId,
    pub team_id: TeamId,
    pub queue: Queue,
    pub direction: Direction,
    pub disposition: Disposition,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for q in Queue::ALL {
            assert_eq!(Queue::parse(q.code()), Some(*q));
            assert_eq!(
                serde_json::to_string(q).unwrap(),
                format!("\"{}\"", q.code())
            );
        }
        for d in Disposition::ALL {
            assert_eq!(Disposition::parse(d.code()), Some(*d));
            assert_eq!(
                serde_json::to_string(d).unwrap(),
                format!("\"{}\"", d.code())
            );
        }
        assert_eq!(Direction::parse("sideways"), None);
    }
}
