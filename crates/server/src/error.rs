use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kappa_domain::api::{ErrorBody, ErrorDetail};
use kappa_domain::refusal::{Code, Kind};
use kappa_domain::workflow::Failure;
use kappa_domain::{QueryError, Refusal};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Bodies larger than this are refused with 413 when a handler reads them (after its role
/// check). The largest legitimate body is a scorecard: 100 criteria with full bilingual
/// guidelines stay under it.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Every failure the API reports. Each becomes `{"error":{"code","message"}}` with its status.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The domain's rules said no: their code and words, the same the static demo answers with.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// One message for unknown users, wrong passwords and disabled accounts: no enumeration.
    #[error("Wrong username or password.")]
    InvalidCredentials,
    #[error("Too many failed sign-ins; try again in {retry_after} s.")]
    TooManyAttempts { retry_after: u64 },
    #[error("This request came from another site.")]
    CrossSite,
    #[error("Some query parameters are invalid: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    InvalidQuery(Vec<QueryError>),
    /// The request could not be read at all (body, path or query).
    #[error("{message}")]
    Rejected {
        status: StatusCode,
        code: Code,
        message: String,
    },
    #[error("Internal error; the server log has the details.")]
    Internal(String),
}

impl Error {
    pub const UNAUTHORIZED: Error = Error::Refused(Refusal::Unauthorized);

    fn status(&self) -> StatusCode {
        match self {
            Error::Refused(refusal) => match refusal.kind() {
                Kind::Unauthorized => StatusCode::UNAUTHORIZED,
                Kind::Forbidden => StatusCode::FORBIDDEN,
                Kind::NotFound => StatusCode::NOT_FOUND,
                Kind::Conflict => StatusCode::CONFLICT,
                Kind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            },
            Error::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Error::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::CrossSite => StatusCode::FORBIDDEN,
            Error::InvalidQuery(_) => StatusCode::BAD_REQUEST,
            Error::Rejected { status, .. } => *status,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn detail(&self) -> ErrorDetail {
        let code = match self {
            Error::Refused(refusal) => return refusal.detail(),
            Error::InvalidCredentials => Code::InvalidCredentials,
            Error::TooManyAttempts { .. } => Code::TooManyAttempts,
            Error::CrossSite => Code::CrossSite,
            Error::InvalidQuery(fields) => {
                return ErrorDetail {
                    code: Code::InvalidQuery,
                    message: self.to_string(),
                    fields: fields.clone(),
                    paths: Vec::new(),
                    evaluation: None,
                }
            }
            Error::Rejected { code, .. } => *code,
            Error::Internal(_) => Code::Internal,
        };
        ErrorDetail {
            code,
            message: self.to_string(),
            fields: Vec::new(),
            paths: Vec::new(),
            evaluation: None,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if let Error::Internal(detail) = &self {
            tracing::error!("internal error: {detail}");
        }
        let mut res = (
            self.status(),
            axum::Json(ErrorBody {
                error: self.detail(),
            }),
        )
            .into_response();
        if let Error::TooManyAttempts { retry_after } = self {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        res
    }
}

impl From<Failure> for Error {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Refused(refusal) => Error::Refused(refusal),
            Failure::Store(e) => Error::Internal(e.to_string()),
        }
    }
}

impl From<kappa_domain::store::StoreError> for Error {
    fn from(e: kappa_domain::store::StoreError) -> Self {
        Failure::Store(e).into()
    }
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        let code = match &rejection {
            JsonRejection::JsonDataError(_) => Code::InvalidJsonData,
            JsonRejection::JsonSyntaxError(_) => Code::MalformedJson,
            JsonRejection::MissingJsonContentType(_) => Code::JsonContentTypeRequired,
            _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Code::PayloadTooLarge,
            _ => Code::UnreadableBody,
        };
        Error::Rejected {
            status: rejection.status(),
            code,
            message: rejection.body_text(),
        }
    }
}

impl From<PathRejection> for Error {
    fn from(rejection: PathRejection) -> Self {
        Error::Rejected {
            status: StatusCode::BAD_REQUEST,
            code: Code::InvalidPath,
            message: rejection.body_text(),
        }
    }
}

impl From<QueryRejection> for Error {
    fn from(rejection: QueryRejection) -> Self {
        Error::Rejected {
            status: StatusCode::BAD_REQUEST,
            code: Code::InvalidQuery,
            message: rejection.body_text(),
        }
    }
}

/// A JSON request body, not yet read: handlers authorize first and read after, so a role that
/// may not make a request learns nothing of its schema, nor of the size limit.
pub struct JsonBody {
    json_content_type: bool,
    body: axum::body::Body,
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Error;

    async fn from_request(req: Request, _: &S) -> Result<Self> {
        let json_content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json"
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        Ok(JsonBody {
            json_content_type,
            body: req.into_body(),
        })
    }
}

impl JsonBody {
    /// Reads at most [`BODY_LIMIT`] bytes and parses them.
    pub async fn parse<T: serde::de::DeserializeOwned>(self) -> Result<T> {
        if !self.json_content_type {
            return Err(Error::Rejected {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: Code::JsonContentTypeRequired,
                message: "Expected request with `Content-Type: application/json`".into(),
            });
        }
        let bytes = axum::body::to_bytes(self.body, BODY_LIMIT)
            .await
            .map_err(|e| {
                let causes =
                    || std::iter::successors(Some(&e as &dyn std::error::Error), |e| e.source());
                let too_large = causes().any(|e| e.is::<http_body_util::LengthLimitError>());
                if causes().any(|e| e.is::<tower_http::timeout::TimeoutError>()) {
                    Error::Rejected {
                        status: StatusCode::REQUEST_TIMEOUT,
                        code: Code::RequestTimeout,
                        message: "The body stopped arriving before it was complete.".into(),
                    }
                } else if too_large {
                    Error::Rejected {
                        status: StatusCode::PAYLOAD_TOO_LARGE,
                        code: Code::PayloadTooLarge,
                        message: format!("The body is larger than {} bytes.", BODY_LIMIT),
                    }
                } else {
                    Error::Rejected {
                        status: StatusCode::BAD_REQUEST,
                        code: Code::UnreadableBody,
                        message: format!("The body could not be read: {e}"),
                    }
                }
            })?;
        Ok(axum::Json::<T>::from_bytes(&bytes)?.0)
    }
}

/// A record id from the path, read only when the handler asks: after the role check, so a
/// role that may not use a route gets 403 whatever id it sends.
pub struct PathId(String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathId {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state).await?;
        Ok(PathId(raw))
    }
}

impl PathId {
    pub fn id(&self) -> Result<u32> {
        self.0.parse().map_err(|_| Error::Rejected {
            status: StatusCode::BAD_REQUEST,
            code: Code::InvalidPath,
            message: format!(
                "{:?} is not a record id.",
                self.0.chars().take(32).collect::<String>()
            ),
        })
    }
}
