//! The JSON shapes exchanged between the SPA and the server (and mirrored by the fixtures).

use crate::call::{Call, TranscriptLine};
use crate::call_query::QueryError;
use crate::people::{Team, User};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The body of every error answer: `{"error":{"code":"...","message":"..."}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable machine-readable code, also the SPA's i18n key for the message.
    pub code: String,
    pub message: String,
    /// Parameters that were rejected, when the request had several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<QueryError>,
    /// Places in a submitted document that were rejected, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<crate::scorecard::ValidationError>,
}

/// Teams and the people in them, for filters and pickers; carries no credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Directory {
    pub teams: Vec<Team>,
    pub users: Vec<User>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallDetail {
    pub call: Call,
    pub transcript: Vec<TranscriptLine>,
    /// Submitted evaluations of this call, newest first.
    #[serde(default)]
    pub evaluations: Vec<crate::evaluation::EvaluationSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPatch {
    pub active: bool,
}
