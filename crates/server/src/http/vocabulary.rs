//! The centre's queues and outcomes: `GET /api/vocabulary` for everyone signed in (an agent's
//! call names its queue), `POST` for administrators and leads (whose imports meet new
//! queues), `PUT /api/vocabulary/{kind}/{code}` for administrators.
//! The rules are the domain's (`workflow`).

use crate::auth::CurrentUser;
use crate::error::{Error, JsonBody, Result};
use crate::ApiContext;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use kappa_domain::vocabulary::{NewTerm, Term, TermEdit, TermKind, Vocabulary};
use kappa_domain::{workflow, Capability, Entity, Refusal};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/vocabulary", get(list).post(define))
        .route("/vocabulary/{kind}/{code}", put(edit))
}

async fn list(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
) -> Result<Json<Vocabulary>> {
    Ok(Json(
        ctx.db
            .view(move |store| workflow::vocabulary(store, &user))
            .await?,
    ))
}

async fn define(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    body: JsonBody,
) -> Result<(StatusCode, Json<Term>)> {
    workflow::may_define_terms(&user.0)?;
    let new: NewTerm = body.parse().await?;
    let term = ctx
        .db
        .change(move |store| workflow::define_term(store, &user.0, new))
        .await?;
    Ok((StatusCode::CREATED, Json(term)))
}

async fn edit(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    Path((kind, code)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<Term>> {
    user.require(Capability::ManageVocabulary)?;
    // A kind that does not exist names no term: answered as a missing one.
    let kind = TermKind::parse(&kind).ok_or(Error::Refused(Refusal::NotFound(Entity::Term)))?;
    let edit: TermEdit = body.parse().await?;
    Ok(Json(
        ctx.db
            .change(move |store| workflow::edit_term(store, &user.0, kind, &code, edit))
            .await?,
    ))
}
