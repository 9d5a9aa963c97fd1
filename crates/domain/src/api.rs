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
    pub code: crate::refusal::Code,
    pub message: String,
    /// Parameters that were rejected, when the request had several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<QueryError>,
    /// Places in a submitted document that were rejected, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<crate::scorecard::ValidationError>,
    /// The record the refusal is about, where it names one (the evaluation already made).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<u32>,
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

/// What an administrator may change about an account besides its status and password; the
/// username is the sign-in name and stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserProfile {
    pub display_name: String,
    pub role: crate::access::Role,
    #[serde(default)]
    pub team_id: Option<crate::people::TeamId>,
    #[serde(default)]
    pub agent_code: Option<String>,
}

impl UserProfile {
    pub fn of(user: &User) -> Self {
        UserProfile {
            display_name: user.display_name.clone(),
            role: user.role,
            team_id: user.team_id,
            agent_code: user.agent_code.clone(),
        }
    }
}

/// `PUT /api/users/{id}`: the new profile and the one the administrator read, so that an edit
/// made meanwhile by someone else is refused instead of overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEdit {
    pub profile: UserProfile,
    pub expected: UserProfile,
}

/// `POST /api/scorecards/{id}/publish`: the card's lock the editor started from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishRequest {
    pub lock_version: u32,
}

/// `POST /api/scorecards/{id}/archive`: archive (true) or restore (false).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArchiveRequest {
    pub archived: bool,
}

/// `POST /api/users`: an account an administrator opens, with its first password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: crate::access::Role,
    #[serde(default)]
    pub team_id: Option<crate::people::TeamId>,
    #[serde(default)]
    pub agent_code: Option<String>,
    pub password: String,
}

/// `PUT /api/users/{id}/password`: an administrator sets someone's password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasswordReset {
    pub password: String,
}

/// `PUT /api/me/password`: a user changes their own password, proving they know the current one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub password: String,
}

/// `GET /api/session`: who is signed in, answered 200 either way so a signed-out visit logs no
/// failed request; and what the sign-in page should tell a visitor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<User>,
    /// The demo centre is loaded: its accounts share the password `demo`.
    pub demo: bool,
    /// No one can sign in yet: the operator must create the first administrator.
    pub needs_admin: bool,
}
