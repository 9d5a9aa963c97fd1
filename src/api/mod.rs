//! The one door to data. `Api` answers the same calls from the Kappa server (HTTP) or from the
//! fixtures shipped with a static build, applying the same domain rules in both.

mod fixtures;
mod http;

pub use fixtures::{STATIC_IMPORT_BYTES, STATIC_IMPORT_CALLS};

use kappa_domain::api::{
    ArchiveRequest, CallDetail, Directory, NewUser, PasswordChange, PasswordReset, PublishRequest,
    SessionInfo, UserEdit,
};
use kappa_domain::calibration::{
    AlignmentPoint, CalibrationScore, CalibrationSession, ConsensusRequest, NewSession,
    ScoreSubmission, SessionSummary, SessionView,
};
use kappa_domain::coaching::{
    Acknowledgement, ActionChange, ActionItem, Agenda, AgentCoaching, EffectReport, NewActionItem,
    NewNote, NoteView, SessionEdit, SessionMove, TeamView,
};
use kappa_domain::evaluation::{EvaluationDetail, EvaluationSubmission};
use kappa_domain::file_import::{DryRunRequest, FileImport, ImportId, ImportStep};
use kappa_domain::notices::{Notice, NoticeSeen};
use kappa_domain::plan::{
    PlanDetail, PlanEdit, PlanPreview, PlanSpec, PlanStatusChange, PlanSummary, QueueItem,
    QueuePage, QueueQuery, ReassignRequest, ReplaceRequest,
};
use kappa_domain::review::{
    Amendment, DisputeList, DisputeQuery, DisputeRequest, DraftWrite, FeedbackItem, ReviewDraft,
    ReviewStart, RulingRequest,
};
use kappa_domain::scorecard::{
    DraftSave, ScorecardDefinition, ScorecardDetail, ScorecardSummary, ScorecardVersion,
};
use kappa_domain::vocabulary::{NewTerm, Term, TermEdit, TermKind, Vocabulary};
use kappa_domain::{Call, CallQuery, Code, Page, QueryError, User, UserId};

fn in_session(calibration: Option<u32>) -> String {
    calibration
        .map(|c| format!("?calibration={c}"))
        .unwrap_or_default()
}

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
    /// Refused for a reason the server named; the code picks the message in the user's language.
    #[error("{code:?}: {message}")]
    Rejected {
        code: Code,
        message: String,
        fields: RejectedFields,
    },
}

/// The request fields a refusal names. From the server they stay as the error body until a page
/// that points at fields asks (`ApiError::fields`): decoding them is no part of the shell's
/// download, which every page pays for.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RejectedFields {
    #[default]
    None,
    /// The server's error body, as it arrived.
    Body(String),
    Decoded(Vec<QueryError>),
}

impl ApiError {
    pub fn rejected(code: Code, message: impl Into<String>) -> ApiError {
        ApiError::Rejected {
            code,
            message: message.into(),
            fields: RejectedFields::None,
        }
    }

    /// The answer for a refusal's code: the same mapping in both modes.
    pub fn refused(code: Code, message: String, fields: RejectedFields) -> ApiError {
        match code {
            Code::Unauthorized => ApiError::Unauthorized,
            Code::Forbidden => ApiError::Forbidden,
            Code::NotFound => ApiError::NotFound,
            code => ApiError::Rejected {
                code,
                message,
                fields,
            },
        }
    }

    /// The static demo's refusals, decided in the browser: already data.
    pub fn from_detail(detail: kappa_domain::api::ErrorDetail) -> ApiError {
        ApiError::refused(
            detail.code,
            detail.message,
            RejectedFields::Decoded(detail.fields),
        )
    }

    /// The fields a refusal names, with why each was refused.
    pub fn fields(&self) -> Vec<QueryError> {
        #[derive(serde::Deserialize)]
        struct Body {
            error: Fields,
        }
        #[derive(serde::Deserialize)]
        struct Fields {
            #[serde(default)]
            fields: Vec<QueryError>,
        }
        match self {
            ApiError::Rejected {
                fields: RejectedFields::Decoded(fields),
                ..
            } => fields.clone(),
            ApiError::Rejected {
                fields: RejectedFields::Body(body),
                ..
            } => serde_json::from_str::<Body>(body)
                .map(|b| b.error.fields)
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    pub fn code(&self) -> Option<Code> {
        match self {
            ApiError::Rejected { code, .. } => Some(*code),
            _ => None,
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Api {
    pub mode: Mode,
}

impl Api {
    /// What the Kappa server writes into the app's page (crates/server/src/boot.rs): its mode
    /// and who is signed in, so the app starts without asking. A static build has neither.
    pub fn from_page() -> Option<(Api, SessionInfo)> {
        #[derive(serde::Deserialize)]
        struct Boot {
            mode: Mode,
            session: SessionInfo,
        }
        let text = leptos::prelude::document()
            .get_element_by_id("kappa-boot")?
            .text_content()?;
        let boot: Boot = serde_json::from_str(&text).ok()?;
        Some((Api { mode: boot.mode }, boot.session))
    }

    pub async fn detect() -> Api {
        #[derive(serde::Deserialize)]
        struct SiteConfig {
            mode: Mode,
        }
        // A missing or unreadable config means no Kappa server answered: the fixtures are the
        // only data there is.
        let mode = match gloo_net::http::Request::get("/config.json").send().await {
            Ok(res) if res.ok() => res
                .json::<SiteConfig>()
                .await
                .map(|c| c.mode)
                .unwrap_or(Mode::Fixtures),
            _ => Mode::Fixtures,
        };
        Api { mode }
    }

    /// Who is signed in, if anyone, and what the sign-in page should say; never a failed request.
    pub async fn session(self) -> ApiResult<SessionInfo> {
        match self.mode {
            Mode::Server => http::get("/api/session").await,
            Mode::Fixtures => fixtures::session().await,
        }
    }

    pub async fn sign_in(self, username: &str, password: &str) -> ApiResult<User> {
        match self.mode {
            Mode::Server => {
                let body = kappa_domain::api::LoginRequest {
                    username: username.into(),
                    password: password.into(),
                };
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
            Mode::Server => http::send_no_content::<()>("POST", "/api/auth/logout", None).await,
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

    /// Where the call's recording plays from: the server checks who asks; the static demo
    /// ships its recordings as files.
    pub fn recording_url(self, call: &Call) -> Option<String> {
        let file = call.recording.as_ref()?;
        Some(match self.mode {
            Mode::Server => format!("/api/calls/{}/recording", call.id),
            Mode::Fixtures => format!("/audio/{file}"),
        })
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
            Mode::Server => {
                http::send(
                    "PATCH",
                    &format!("/api/users/{id}"),
                    Some(&kappa_domain::api::UserPatch { active }),
                )
                .await
            }
            Mode::Fixtures => fixtures::set_user_active(id, active).await,
        }
    }

    /// Refused with `changed_since_opened` when the account moved on from `edit.expected`.
    pub async fn edit_user(self, id: UserId, edit: &UserEdit) -> ApiResult<User> {
        match self.mode {
            Mode::Server => http::send("PUT", &format!("/api/users/{id}"), Some(edit)).await,
            Mode::Fixtures => fixtures::edit_user(id, edit.clone()).await,
        }
    }

    pub async fn create_user(self, new: &NewUser) -> ApiResult<User> {
        match self.mode {
            Mode::Server => http::send("POST", "/api/users", Some(new)).await,
            Mode::Fixtures => fixtures::create_user(new.clone()).await,
        }
    }

    pub async fn vocabulary(self) -> ApiResult<Vocabulary> {
        match self.mode {
            Mode::Server => http::get("/api/vocabulary").await,
            Mode::Fixtures => fixtures::vocabulary().await,
        }
    }

    pub async fn define_term(self, new: &NewTerm) -> ApiResult<Term> {
        match self.mode {
            Mode::Server => http::send("POST", "/api/vocabulary", Some(new)).await,
            Mode::Fixtures => fixtures::define_term(new.clone()).await,
        }
    }

    pub async fn edit_term(self, kind: TermKind, code: &str, edit: &TermEdit) -> ApiResult<Term> {
        match self.mode {
            Mode::Server => {
                let path = format!("/api/vocabulary/{}/{code}", kind.code());
                http::send("PUT", &path, Some(edit)).await
            }
            Mode::Fixtures => fixtures::edit_term(kind, code.to_string(), edit.clone()).await,
        }
    }

    /// The imports the signed-in lead may see (an administrator: everyone's), newest first.
    pub async fn file_imports(self) -> ApiResult<Vec<FileImport>> {
        match self.mode {
            Mode::Server => http::get("/api/imports").await,
            Mode::Fixtures => fixtures::file_imports().await,
        }
    }

    pub async fn file_import(self, id: ImportId) -> ApiResult<FileImport> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/imports/{id}")).await,
            Mode::Fixtures => fixtures::file_import(id).await,
        }
    }

    /// Uploads a file to import; the same file again answers the import it made.
    pub async fn stage_import(self, file: &web_sys::File) -> ApiResult<FileImport> {
        match self.mode {
            Mode::Server => {
                let name = String::from(js_sys::encode_uri_component(&file.name()));
                http::upload(&format!("/api/imports?name={name}"), file).await
            }
            Mode::Fixtures => fixtures::stage_import(file).await,
        }
    }

    pub async fn dry_run_import(
        self,
        id: ImportId,
        request: &DryRunRequest,
    ) -> ApiResult<FileImport> {
        match self.mode {
            Mode::Server => {
                http::send("POST", &format!("/api/imports/{id}/dry-run"), Some(request)).await
            }
            Mode::Fixtures => fixtures::dry_run_import(id, request.clone()).await,
        }
    }

    pub async fn commit_import(self, id: ImportId, step: ImportStep) -> ApiResult<FileImport> {
        match self.mode {
            Mode::Server => {
                http::send("POST", &format!("/api/imports/{id}/commit"), Some(&step)).await
            }
            Mode::Fixtures => fixtures::commit_import(id, step).await,
        }
    }

    pub async fn cancel_import(self, id: ImportId, step: ImportStep) -> ApiResult<FileImport> {
        match self.mode {
            Mode::Server => {
                http::send("POST", &format!("/api/imports/{id}/cancel"), Some(&step)).await
            }
            Mode::Fixtures => fixtures::cancel_import(id, step).await,
        }
    }

    /// Where an import's refused rows can be downloaded: `rejected` (by the file's checks,
    /// with their cells) or `refused` (by the centre's rules). The static demo keeps the
    /// rejected rows in the import's report instead.
    pub fn import_rows_url(self, id: ImportId, which: &str) -> Option<String> {
        (self.mode == Mode::Server).then(|| format!("/api/imports/{id}/{which}.csv"))
    }

    pub async fn reset_password(self, id: UserId, password: &str) -> ApiResult<()> {
        let body = PasswordReset {
            password: password.into(),
        };
        match self.mode {
            Mode::Server => {
                http::send_no_content("PUT", &format!("/api/users/{id}/password"), Some(&body))
                    .await
            }
            Mode::Fixtures => fixtures::reset_password(id, body).await,
        }
    }

    /// Server mode only: the static demo signs in without passwords.
    pub async fn change_password(self, current: &str, password: &str) -> ApiResult<()> {
        let body = PasswordChange {
            current: current.into(),
            password: password.into(),
        };
        http::send_no_content("PUT", "/api/me/password", Some(&body)).await
    }

    pub async fn scorecards(self) -> ApiResult<Vec<ScorecardSummary>> {
        match self.mode {
            Mode::Server => http::get("/api/scorecards").await,
            Mode::Fixtures => fixtures::scorecards().await,
        }
    }

    pub async fn scorecard(self, id: u32) -> ApiResult<ScorecardDetail> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/scorecards/{id}")).await,
            Mode::Fixtures => fixtures::scorecard(id).await,
        }
    }

    /// One version by row id (draft or published): what an evaluation pinned.
    pub async fn scorecard_version(self, id: u32) -> ApiResult<ScorecardVersion> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/scorecard-versions/{id}")).await,
            Mode::Fixtures => fixtures::scorecard_version(id).await,
        }
    }

    pub async fn create_scorecard(
        self,
        definition: &ScorecardDefinition,
    ) -> ApiResult<ScorecardDetail> {
        match self.mode {
            Mode::Server => http::send("POST", "/api/scorecards", Some(definition)).await,
            Mode::Fixtures => fixtures::create_scorecard(definition.clone()).await,
        }
    }

    pub async fn save_scorecard_draft(
        self,
        id: u32,
        save: &DraftSave,
    ) -> ApiResult<ScorecardDetail> {
        match self.mode {
            Mode::Server => {
                http::send("PUT", &format!("/api/scorecards/{id}/draft"), Some(save)).await
            }
            Mode::Fixtures => fixtures::save_scorecard_draft(id, save.clone()).await,
        }
    }

    pub async fn publish_scorecard(self, id: u32, lock_version: u32) -> ApiResult<ScorecardDetail> {
        match self.mode {
            Mode::Server => {
                http::send(
                    "POST",
                    &format!("/api/scorecards/{id}/publish"),
                    Some(&PublishRequest { lock_version }),
                )
                .await
            }
            Mode::Fixtures => fixtures::publish_scorecard(id, lock_version).await,
        }
    }

    pub async fn archive_scorecard(self, id: u32, archived: bool) -> ApiResult<ScorecardDetail> {
        match self.mode {
            Mode::Server => {
                http::send(
                    "POST",
                    &format!("/api/scorecards/{id}/archive"),
                    Some(&ArchiveRequest { archived }),
                )
                .await
            }
            Mode::Fixtures => fixtures::archive_scorecard(id, archived).await,
        }
    }

    pub async fn evaluation(self, id: u32) -> ApiResult<EvaluationDetail> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/evaluations/{id}")).await,
            Mode::Fixtures => fixtures::evaluation(id).await,
        }
    }

    pub async fn plans(self) -> ApiResult<Vec<PlanSummary>> {
        match self.mode {
            Mode::Server => http::get("/api/plans").await,
            Mode::Fixtures => fixtures::plans().await,
        }
    }

    pub async fn plan(self, id: u32) -> ApiResult<PlanDetail> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/plans/{id}")).await,
            Mode::Fixtures => fixtures::plan(id).await,
        }
    }

    /// What a plan would draw today, with the precision it buys; nothing is saved.
    pub async fn preview_plan(self, spec: &PlanSpec) -> ApiResult<PlanPreview> {
        match self.mode {
            Mode::Server => http::send("POST", "/api/plans/preview", Some(spec)).await,
            Mode::Fixtures => fixtures::preview_plan(spec.clone()).await,
        }
    }

    /// Saves the plan and commits its first run.
    pub async fn create_plan(self, spec: &PlanSpec) -> ApiResult<PlanDetail> {
        match self.mode {
            Mode::Server => http::send("POST", "/api/plans", Some(spec)).await,
            Mode::Fixtures => fixtures::create_plan(spec.clone()).await,
        }
    }

    /// The next run draws with the new spec; refused with `changed_since_opened` when the plan
    /// moved on from `edit.revision`.
    pub async fn edit_plan(self, id: u32, edit: &PlanEdit) -> ApiResult<PlanDetail> {
        match self.mode {
            Mode::Server => http::send("PUT", &format!("/api/plans/{id}"), Some(edit)).await,
            Mode::Fixtures => fixtures::edit_plan(id, edit.clone()).await,
        }
    }

    pub async fn set_plan_status(self, id: u32, change: PlanStatusChange) -> ApiResult<PlanDetail> {
        match self.mode {
            Mode::Server => {
                http::send("POST", &format!("/api/plans/{id}/status"), Some(&change)).await
            }
            Mode::Fixtures => fixtures::set_plan_status(id, change).await,
        }
    }

    pub async fn run_plan(self, id: u32) -> ApiResult<PlanDetail> {
        match self.mode {
            Mode::Server => {
                http::send::<(), _>("POST", &format!("/api/plans/{id}/runs"), None).await
            }
            Mode::Fixtures => fixtures::run_plan(id).await,
        }
    }

    pub async fn queue(self, query: &QueueQuery) -> ApiResult<QueuePage> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/queue?{}", query.to_query_string())).await,
            Mode::Fixtures => fixtures::queue(query.clone()).await,
        }
    }

    pub async fn replace_assignment(self, id: u32, reason: &str) -> ApiResult<QueueItem> {
        let body = ReplaceRequest {
            reason: reason.into(),
        };
        match self.mode {
            Mode::Server => {
                http::send(
                    "POST",
                    &format!("/api/assignments/{id}/replace"),
                    Some(&body),
                )
                .await
            }
            Mode::Fixtures => fixtures::replace_assignment(id, body).await,
        }
    }

    pub async fn reassign(self, id: u32, reviewer_id: UserId) -> ApiResult<QueueItem> {
        let body = ReassignRequest { reviewer_id };
        match self.mode {
            Mode::Server => {
                http::send(
                    "POST",
                    &format!("/api/assignments/{id}/reassign"),
                    Some(&body),
                )
                .await
            }
            Mode::Fixtures => fixtures::reassign(id, body).await,
        }
    }

    /// The version to score a call with, and the reviewer's own draft of it; in a calibration
    /// session, the session's version and the draft kept for it.
    pub async fn review_start(
        self,
        call: u32,
        scorecard: Option<u32>,
        calibration: Option<u32>,
    ) -> ApiResult<ReviewStart> {
        match self.mode {
            Mode::Server => {
                let query = match (scorecard, calibration) {
                    (_, Some(c)) => format!("?calibration={c}"),
                    (Some(s), None) => format!("?scorecard={s}"),
                    (None, None) => String::new(),
                };
                http::get(&format!("/api/calls/{call}/review{query}")).await
            }
            Mode::Fixtures => fixtures::review_start(call, scorecard, calibration).await,
        }
    }

    pub async fn review_draft(self, call: u32, calibration: Option<u32>) -> ApiResult<ReviewDraft> {
        match self.mode {
            Mode::Server => {
                http::get(&format!("/api/drafts/{call}{}", in_session(calibration))).await
            }
            Mode::Fixtures => fixtures::review_draft(call, calibration).await,
        }
    }

    /// Refused with `stale_draft` when the stored draft moved on since `write.base_revision`.
    pub async fn save_review_draft(
        self,
        call: u32,
        calibration: Option<u32>,
        write: &DraftWrite,
    ) -> ApiResult<ReviewDraft> {
        match self.mode {
            Mode::Server => {
                http::send(
                    "PUT",
                    &format!("/api/drafts/{call}{}", in_session(calibration)),
                    Some(write),
                )
                .await
            }
            Mode::Fixtures => fixtures::save_review_draft(call, calibration, write.clone()).await,
        }
    }

    pub async fn calibrations(self) -> ApiResult<Vec<SessionSummary>> {
        match self.mode {
            Mode::Server => http::get("/api/calibration").await,
            Mode::Fixtures => fixtures::calibrations().await,
        }
    }

    pub async fn calibration(self, id: u32) -> ApiResult<SessionView> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/calibration/{id}")).await,
            Mode::Fixtures => fixtures::calibration(id).await,
        }
    }

    pub async fn create_calibration(self, new: &NewSession) -> ApiResult<CalibrationSession> {
        match self.mode {
            Mode::Server => http::send("POST", "/api/calibration", Some(new)).await,
            Mode::Fixtures => fixtures::create_calibration(new.clone()).await,
        }
    }

    pub async fn score_calibration(
        self,
        id: u32,
        submission: &ScoreSubmission,
    ) -> ApiResult<CalibrationScore> {
        match self.mode {
            Mode::Server => {
                http::send(
                    "POST",
                    &format!("/api/calibration/{id}/scores"),
                    Some(submission),
                )
                .await
            }
            Mode::Fixtures => fixtures::score_calibration(id, submission.clone()).await,
        }
    }

    pub async fn reveal_calibration(self, id: u32) -> ApiResult<SessionView> {
        match self.mode {
            Mode::Server => {
                http::send::<(), _>("POST", &format!("/api/calibration/{id}/reveal"), None).await
            }
            Mode::Fixtures => fixtures::reveal_calibration(id).await,
        }
    }

    pub async fn record_consensus(
        self,
        id: u32,
        request: &ConsensusRequest,
    ) -> ApiResult<SessionView> {
        match self.mode {
            Mode::Server => {
                http::send(
                    "PUT",
                    &format!("/api/calibration/{id}/consensus"),
                    Some(request),
                )
                .await
            }
            Mode::Fixtures => fixtures::record_consensus(id, request.clone()).await,
        }
    }

    /// Each scorer's alignment per revealed session: everyone's for leads, one's own otherwise.
    pub async fn alignment_history(self) -> ApiResult<Vec<AlignmentPoint>> {
        match self.mode {
            Mode::Server => http::get("/api/calibration/history").await,
            Mode::Fixtures => fixtures::alignment_history().await,
        }
    }

    pub async fn submit_evaluation(
        self,
        submission: &EvaluationSubmission,
    ) -> ApiResult<EvaluationDetail> {
        match self.mode {
            Mode::Server => http::send("POST", "/api/evaluations", Some(submission)).await,
            Mode::Fixtures => fixtures::submit_evaluation(submission.clone()).await,
        }
    }

    pub async fn amend_evaluation(
        self,
        id: u32,
        amendment: &Amendment,
    ) -> ApiResult<EvaluationDetail> {
        match self.mode {
            Mode::Server => {
                http::send("PUT", &format!("/api/evaluations/{id}"), Some(amendment)).await
            }
            Mode::Fixtures => fixtures::amend_evaluation(id, amendment.clone()).await,
        }
    }

    pub async fn mark_seen(self, id: u32) -> ApiResult<EvaluationDetail> {
        match self.mode {
            Mode::Server => {
                http::send::<(), _>("POST", &format!("/api/evaluations/{id}/seen"), None).await
            }
            Mode::Fixtures => fixtures::mark_seen(id).await,
        }
    }

    pub async fn acknowledge(self, id: u32) -> ApiResult<EvaluationDetail> {
        match self.mode {
            Mode::Server => {
                http::send::<(), _>("POST", &format!("/api/evaluations/{id}/acknowledge"), None)
                    .await
            }
            Mode::Fixtures => fixtures::acknowledge(id).await,
        }
    }

    pub async fn feedback(self) -> ApiResult<Vec<FeedbackItem>> {
        match self.mode {
            Mode::Server => http::get("/api/feedback").await,
            Mode::Fixtures => fixtures::feedback().await,
        }
    }

    pub async fn raise_dispute(
        self,
        id: u32,
        request: &DisputeRequest,
    ) -> ApiResult<EvaluationDetail> {
        match self.mode {
            Mode::Server => {
                http::send(
                    "POST",
                    &format!("/api/evaluations/{id}/disputes"),
                    Some(request),
                )
                .await
            }
            Mode::Fixtures => fixtures::raise_dispute(id, request.clone()).await,
        }
    }

    pub async fn disputes(self, query: DisputeQuery) -> ApiResult<DisputeList> {
        match self.mode {
            Mode::Server => {
                let view = query.view.code();
                http::get(&format!(
                    "/api/disputes?view={view}{}",
                    query
                        .reviewer
                        .map(|r| format!("&reviewer={r}"))
                        .unwrap_or_default()
                ))
                .await
            }
            Mode::Fixtures => fixtures::disputes(query).await,
        }
    }

    pub async fn rule_dispute(
        self,
        id: u32,
        request: &RulingRequest,
    ) -> ApiResult<EvaluationDetail> {
        match self.mode {
            Mode::Server => {
                http::send("POST", &format!("/api/disputes/{id}/ruling"), Some(request)).await
            }
            Mode::Fixtures => fixtures::rule_dispute(id, request.clone()).await,
        }
    }

    /// The lead's agents over the last `days` days.
    pub async fn coaching_team(self, days: u32) -> ApiResult<TeamView> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/coaching/team?days={days}")).await,
            Mode::Fixtures => fixtures::coaching_team(days).await,
        }
    }

    /// One agent's progress and coaching as their coach reads it.
    pub async fn agent_coaching(self, agent: UserId, days: u32) -> ApiResult<AgentCoaching> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/coaching/agents/{agent}?days={days}")).await,
            Mode::Fixtures => fixtures::agent_coaching(agent, days).await,
        }
    }

    /// The signed-in agent's own progress and coaching.
    pub async fn my_coaching(self, days: u32) -> ApiResult<AgentCoaching> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/me/coaching?days={days}")).await,
            Mode::Fixtures => fixtures::my_coaching(days).await,
        }
    }

    pub async fn agenda(self, agent: UserId, days: u32) -> ApiResult<Agenda> {
        match self.mode {
            Mode::Server => {
                http::get(&format!("/api/coaching/agents/{agent}/agenda?days={days}")).await
            }
            Mode::Fixtures => fixtures::agenda(agent, days).await,
        }
    }

    pub async fn coaching_session(self, id: u32) -> ApiResult<kappa_domain::coaching::SessionView> {
        match self.mode {
            Mode::Server => http::get(&format!("/api/coaching/sessions/{id}")).await,
            Mode::Fixtures => fixtures::coaching_session(id).await,
        }
    }

    pub async fn create_coaching_session(
        self,
        new: &kappa_domain::coaching::NewSession,
    ) -> ApiResult<kappa_domain::coaching::SessionView> {
        match self.mode {
            Mode::Server => http::send("POST", "/api/coaching/sessions", Some(new)).await,
            Mode::Fixtures => fixtures::create_coaching_session(new.clone()).await,
        }
    }

    pub async fn edit_coaching_session(
        self,
        id: u32,
        edit: &SessionEdit,
    ) -> ApiResult<kappa_domain::coaching::SessionView> {
        match self.mode {
            Mode::Server => {
                http::send("PUT", &format!("/api/coaching/sessions/{id}"), Some(edit)).await
            }
            Mode::Fixtures => fixtures::edit_coaching_session(id, edit.clone()).await,
        }
    }

    pub async fn move_coaching_session(
        self,
        id: u32,
        step: &SessionMove,
    ) -> ApiResult<kappa_domain::coaching::SessionView> {
        match self.mode {
            Mode::Server => {
                http::send(
                    "POST",
                    &format!("/api/coaching/sessions/{id}/state"),
                    Some(step),
                )
                .await
            }
            Mode::Fixtures => fixtures::move_coaching_session(id, step.clone()).await,
        }
    }

    pub async fn acknowledge_coaching_session(
        self,
        id: u32,
        ack: &Acknowledgement,
    ) -> ApiResult<kappa_domain::coaching::SessionView> {
        match self.mode {
            Mode::Server => {
                http::send(
                    "POST",
                    &format!("/api/coaching/sessions/{id}/acknowledge"),
                    Some(ack),
                )
                .await
            }
            Mode::Fixtures => fixtures::acknowledge_coaching_session(id, ack.clone()).await,
        }
    }

    pub async fn follow_up_sample(
        self,
        id: u32,
        calls_per_week: u32,
    ) -> ApiResult<kappa_domain::coaching::SessionView> {
        let request = kappa_domain::coaching::FollowUpRequest { calls_per_week };
        match self.mode {
            Mode::Server => {
                http::send(
                    "POST",
                    &format!("/api/coaching/sessions/{id}/follow-up"),
                    Some(&request),
                )
                .await
            }
            Mode::Fixtures => fixtures::follow_up_sample(id, request).await,
        }
    }

    pub async fn coaching_effect(self, id: u32, weeks: u32) -> ApiResult<EffectReport> {
        match self.mode {
            Mode::Server => {
                http::get(&format!("/api/coaching/sessions/{id}/effect?weeks={weeks}")).await
            }
            Mode::Fixtures => fixtures::coaching_effect(id, weeks).await,
        }
    }

    pub async fn write_note(self, new: &NewNote) -> ApiResult<NoteView> {
        match self.mode {
            Mode::Server => http::send("POST", "/api/coaching/notes", Some(new)).await,
            Mode::Fixtures => fixtures::write_note(new.clone()).await,
        }
    }

    pub async fn acknowledge_note(self, id: u32, ack: &Acknowledgement) -> ApiResult<NoteView> {
        match self.mode {
            Mode::Server => {
                http::send(
                    "POST",
                    &format!("/api/coaching/notes/{id}/acknowledge"),
                    Some(ack),
                )
                .await
            }
            Mode::Fixtures => fixtures::acknowledge_note(id, ack.clone()).await,
        }
    }

    pub async fn create_action(self, new: &NewActionItem) -> ApiResult<ActionItem> {
        match self.mode {
            Mode::Server => http::send("POST", "/api/coaching/actions", Some(new)).await,
            Mode::Fixtures => fixtures::create_action(new.clone()).await,
        }
    }

    pub async fn settle_action(self, id: u32, change: &ActionChange) -> ApiResult<ActionItem> {
        match self.mode {
            Mode::Server => {
                http::send(
                    "POST",
                    &format!("/api/coaching/actions/{id}/state"),
                    Some(change),
                )
                .await
            }
            Mode::Fixtures => fixtures::settle_action(id, change.clone()).await,
        }
    }

    /// What waits for the signed-in user.
    pub async fn notices(self) -> ApiResult<Vec<Notice>> {
        match self.mode {
            Mode::Server => http::get("/api/notices").await,
            Mode::Fixtures => fixtures::notices().await,
        }
    }

    /// [`Api::notices`] from the server only: the static demo counts them on its personal
    /// pages, so that every other page's code carries none of that counting.
    pub async fn server_notices(self) -> Option<ApiResult<Vec<Notice>>> {
        match self.mode {
            Mode::Server => Some(http::get("/api/notices").await),
            Mode::Fixtures => None,
        }
    }

    pub async fn mark_notice_seen(self, seen: &NoticeSeen) -> ApiResult<Vec<Notice>> {
        match self.mode {
            Mode::Server => http::send("POST", "/api/notices/seen", Some(seen)).await,
            Mode::Fixtures => fixtures::mark_notice_seen(*seen).await,
        }
    }

    /// Forgets the changes kept in this browser (fixtures mode only).
    pub fn reset_demo(self) {
        if self.mode == Mode::Fixtures {
            fixtures::reset();
        }
    }
}
