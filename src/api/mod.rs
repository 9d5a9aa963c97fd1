//! The one door to data. `Api` answers the same calls from the Kappa server (HTTP) or from the
//! fixtures shipped with a static build, applying the same domain rules in both.

mod fixtures;
mod http;

use kappa_domain::api::{CallDetail, Directory};
use kappa_domain::scorecard::ScorecardSummary;
use kappa_domain::{Call, CallQuery, Page, QueryError, User, UserId};

/// Where data lives, read from `/config.json` at start: the Kappa server answers "server",
/// a static build ships "fixtures". One build serves both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Server,
    Fixtures,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("network: {0}")]
    Network(String),
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Refused for a reason the server named; `code` doubles as the i18n key when there is one.
    #[error("{code}: {message}")]
    Rejected { code: String, message: String, fields: Vec<QueryError> },
}

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Api {
    pub mode: Mode,
}

impl Api {
    pub async fn detect() -> Api {
        #[derive(serde::Deserialize)]
        struct SiteConfig {
            mode: Mode,
        }
        // A missing or unreadable config means no Kappa server answered: the fixtures are the
        // only data there is.
        let mode = match gloo_net::http::Request::get("/config.json").send().await {
            Ok(res) if res.ok() => res.json::<SiteConfig>().await.map(|c| c.mode).unwrap_or(Mode::Fixtures),
            _ => Mode::Fixtures,
        };
        Api { mode }
    }

    /// The signed-in user, if any.
    pub async fn me(self) -> ApiResult<Option<User>> {
        let result = match self.mode {
            Mode::Server => http::get::<User>("/api/me").await,
            Mode::Fixtures => fixtures::me().await,
        };
        match result {
            Ok(user) => Ok(Some(user)),
            Err(ApiError::Unauthorized) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn sign_in(self, username: &str, password: &str) -> ApiResult<User> {
        match self.mode {
            Mode::Server => {
                let body = kappa_domain::api::LoginRequest { username: username.into(), password: password.into() };
                http::send("POST", "/api/auth/login", Some(&body)).await
            }
            Mode::Fixtures => fixtures::sign_in_as(username).await,
        }
    }

    /// The accounts a visitor may act as in the static demo (empty on a real server).
    pub async fn demo_accounts(self) -> ApiResult<Vec<User>> {
        match self.mode {
            Mode::Server => Ok(Vec::new()),
            Mode::Fixtures => fixtures::demo_accounts().await,
        }
    }

    pub async fn sign_out(self) -> ApiResult<()> {
        match self.mode {
            Mode::Server => http::send_no_content("POST", "/api/auth/logout").await,
            Mode::Fixtures => {
                fixtures::sign_out();
                Ok(())
            }
        }
    }

    pub async fn calls(self, query: &CallQuery) -> ApiResult<Page<Call>> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/calls?{}", query.to_query_string())).await,
            Mode::Fixtures => fixtures::calls(query).await,
        }
    }

    pub async fn call(self, id: u32) -> ApiResult<CallDetail> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/calls/{id}")).await,
            Mode::Fixtures => fixtures::call(id).await,
        }
    }

    pub async fn directory(self) -> ApiResult<Directory> {
        match self.mode {
            Mode::Server => http::get("/api/directory").await,
            Mode::Fixtures => fixtures::directory().await,
        }
    }

    pub async fn users(self) -> ApiResult<Vec<User>> {
        match self.mode {
            Mode::Server => http::get("/api/users").await,
            Mode::Fixtures => fixtures::users().await,
        }
    }

    pub async fn set_user_active(self, id: UserId, active: bool) -> ApiResult<User> {
        match self.mode {
            Mode::Server => http::send("PATCH", &format!("/api/users/{id}"), Some(&kappa_domain::api::UserPatch { active })).await,
            Mode::Fixtures => fixtures::set_user_active(id, active).await,
        }
    }

    pub async fn scorecards(self) -> ApiResult<Vec<ScorecardSummary>> {
        match self.mode {
            Mode::Server => http::get("/api/scorecards").await,
            Mode::Fixtures => fixtures::scorecards().await,
        }
    }

    /// Forgets the changes kept in this browser (fixtures mode only).
    pub fn reset_demo(self) {
        if self.mode == Mode::Fixtures {
            fixtures::reset();
        }
    }
}
