use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::FromRequest;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kappa_domain::api::{ErrorBody, ErrorDetail};
use kappa_domain::QueryError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every failure the API reports. Each becomes `{"error":{"code","message"}}` with its status.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Sign in to continue.")]
    Unauthorized,
    /// One message for unknown users, wrong passwords and disabled accounts: no enumeration.
    #[error("Wrong username or password.")]
    InvalidCredentials,
    #[error("Your role does not allow this.")]
    Forbidden,
    #[error("{0} not found.")]
    NotFound(&'static str),
    #[error("Some query parameters are invalid: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    InvalidQuery(Vec<QueryError>),
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// A submitted document broke rules; every broken place is listed.
    #[error("{} problem(s), first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Invalid(Vec<kappa_domain::scorecard::ValidationError>),
    #[error("{message}")]
    Rejected { status: StatusCode, code: &'static str, message: String },
    #[error("Internal error; the server log has the details.")]
    Internal(String),
}

impl Error {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Error::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Error::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            Error::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Error::InvalidQuery(_) => (StatusCode::BAD_REQUEST, "invalid_query"),
            Error::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code),
            Error::Conflict { code, .. } => (StatusCode::CONFLICT, code),
            Error::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_document"),
            Error::Rejected { status, code, .. } => (*status, code),
            Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if let Error::Internal(detail) = &self {
            tracing::error!("internal error: {detail}");
        }
        let (status, code) = self.status_and_code();
        let fields = match &self {
            Error::InvalidQuery(errors) => errors.clone(),
            _ => Vec::new(),
        };
        let paths = match &self {
            Error::Invalid(errors) => errors.clone(),
            _ => Vec::new(),
        };
        let body = ErrorBody { error: ErrorDetail { code: code.into(), message: self.to_string(), fields, paths } };
        (status, axum::Json(body)).into_response()
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Internal(e.to_string())
    }
}

impl From<kappa_domain::scorecard::EditConflict> for Error {
    fn from(conflict: kappa_domain::scorecard::EditConflict) -> Self {
        let code = match conflict {
            kappa_domain::scorecard::EditConflict::Stale { .. } => "stale_draft",
            kappa_domain::scorecard::EditConflict::Archived => "archived",
        };
        Error::Conflict { code, message: conflict.to_string() }
    }
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        let code = match &rejection {
            JsonRejection::JsonDataError(_) => "invalid_json_data",
            JsonRejection::JsonSyntaxError(_) => "malformed_json",
            JsonRejection::MissingJsonContentType(_) => "json_content_type_required",
            _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            _ => "unreadable_body",
        };
        Error::Rejected { status: rejection.status(), code, message: rejection.body_text() }
    }
}

impl From<PathRejection> for Error {
    fn from(rejection: PathRejection) -> Self {
        Error::Rejected { status: StatusCode::BAD_REQUEST, code: "invalid_path", message: rejection.body_text() }
    }
}

impl From<QueryRejection> for Error {
    fn from(rejection: QueryRejection) -> Self {
        Error::Rejected { status: StatusCode::BAD_REQUEST, code: "invalid_query", message: rejection.body_text() }
    }
}

/// `axum::Json` whose rejections (bad syntax, wrong shape, too large) answer in our JSON format.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct ApiJson<T>(pub T);

/// `axum::extract::Path` that answers malformed ids in our JSON format.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Error))]
pub struct ApiPath<T>(pub T);
