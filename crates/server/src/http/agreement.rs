//! `POST /api/agreement`: every agreement statistic for any ratings matrix, for anyone signed in.
//! The domain's functions compute them, the same that score calibration sessions.

use crate::auth::CurrentUser;
use crate::error::{Error, JsonBody, Result};
use crate::ApiContext;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use kappa_domain::agreement::{self, Agreement, Level, Ratings, RatingsError};
use kappa_domain::refusal::Code;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/agreement", post(compute))
}

/// The bootstrap interval's draws start here: the same matrix always gets the same interval.
const SEED: u64 = 0x006b_6170_7061;

async fn compute(
    _user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<Json<Agreement>> {
    let request: serde_json::Value = body.parse().await?;
    let level: Level = request
        .get("level")
        .and_then(|l| serde_json::from_value(l.clone()).ok())
        .ok_or_else(|| {
            bad_request(
                Code::InvalidJsonData,
                "\"level\" must be one of \"nominal\", \"ordinal\", \"interval\" or \"ratio\"."
                    .into(),
            )
        })?;
    let ratings = request
        .get("ratings")
        .ok_or(RatingsError::NotAMatrix)
        .and_then(|r| Ratings::from_json(r, level))
        .map_err(|e| match e {
            RatingsError::TooLarge { .. } => Error::Rejected {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: Code::PayloadTooLarge,
                message: format!("{e}."),
            },
            e => bad_request(Code::InvalidJsonData, format!("{e}.")),
        })?;
    // A thousand bootstrap draws over a large matrix take seconds: off the request threads,
    // and only as many at once as there are cores.
    let _permit = ctx.heavy_permit().await?;
    let answer = tokio::task::spawn_blocking(move || agreement::agreement(&ratings, level, SEED))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Json(answer))
}

fn bad_request(code: Code, message: String) -> Error {
    Error::Rejected {
        status: StatusCode::BAD_REQUEST,
        code,
        message,
    }
}
