//! Imports of call-record files from the browser, for leads and administrators:
//! `POST /api/imports?name=FILE` stages the file's bytes, `POST …/{id}/dry-run` reads it
//! through a mapping and says what the centre would take, `POST …/{id}/commit` writes exactly
//! that in batches, `POST …/{id}/cancel` stops either; `GET` follows their progress and hands
//! out the rows that were refused. The rules are the domain's (`workflow`); the reading is the
//! server's job (`import_job`).

use crate::auth::CurrentUser;
use crate::error::{Error, JsonBody, Result};
use crate::import_job::{self, ImportFiles};
use crate::ApiContext;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::BodyExt;
use kappa_domain::file_import::{
    DryRunRequest, FileImport, ImportId, ImportStep, StagedFile, MAX_UPLOAD_BYTES,
};
use kappa_domain::refusal::Code;
use kappa_domain::{workflow, Entity, Refusal};
use sha2::Digest;
use tokio::io::AsyncWriteExt;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/imports", get(list).post(stage))
        .route("/imports/{id}", get(one))
        .route("/imports/{id}/dry-run", post(dry_run))
        .route("/imports/{id}/commit", post(commit))
        .route("/imports/{id}/cancel", post(cancel))
        .route("/imports/{id}/{rows}", get(rows_file))
}

async fn list(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
) -> Result<Json<Vec<FileImport>>> {
    Ok(Json(
        ctx.db
            .view(move |store| workflow::file_imports(store, &user))
            .await?,
    ))
}

async fn one(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
    Path(id): Path<ImportId>,
) -> Result<Json<FileImport>> {
    Ok(Json(
        ctx.db
            .view(move |store| workflow::file_import(store, &user, id))
            .await?,
    ))
}

#[derive(serde::Deserialize)]
struct Named {
    #[serde(default)]
    name: String,
}

/// The file's bytes are the body, its name in the address. Stored as they arrive (never whole
/// in memory) and hashed; a retry of the same file answers the import it already made. The
/// role and the name are checked before a byte is read, and a body announced larger than an
/// upload may be is refused before it is read.
async fn stage(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
    headers: HeaderMap,
    named: std::result::Result<Query<Named>, axum::extract::rejection::QueryRejection>,
    body: Body,
) -> Result<(StatusCode, Json<FileImport>)> {
    // An address without a readable name names an empty file name: refused as one.
    let name = named.map(|Query(n)| n.name).unwrap_or_default();
    workflow::may_stage(&user, &name)?;
    crate::auth::same_site(&headers)?;
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_UPLOAD_BYTES) {
        return Err(too_large());
    }
    let folder = ctx.config.imports.clone();
    tokio::fs::create_dir_all(&folder)
        .await
        .map_err(|e| Error::Internal(format!("{}: {e}", folder.display())))?;
    // Removed however the request ends (an error, the client gone) unless it was kept.
    let arriving = Arriving(Some(folder.join(format!(
        "{}{}.part",
        import_job::ARRIVING,
        crate::password::random_hex::<16>()
    ))));
    let (sha256, size) = receive(body, arriving.path()).await?;
    let file = StagedFile {
        file_name: name,
        sha256,
        size,
    };
    let import = ctx
        .db
        .change(move |store| workflow::stage_import(store, &user, file, super::now()))
        .await?;
    let path = ImportFiles::of(&folder, import.id).staged;
    // The same file staged before keeps its copy: it is this one, byte for byte.
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        tokio::fs::rename(arriving.path(), &path)
            .await
            .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
    }
    Ok((StatusCode::CREATED, Json(import)))
}

/// An upload's file while it arrives: gone when the request ends, unless renamed by then.
struct Arriving(Option<std::path::PathBuf>);

impl Arriving {
    fn path(&self) -> &std::path::Path {
        self.0.as_deref().expect("set until dropped")
    }
}

impl Drop for Arriving {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            // Already renamed (kept) or never written: nothing to remove.
            let _ = std::fs::remove_file(path);
        }
    }
}

fn too_large() -> Error {
    Error::Rejected {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        code: Code::PayloadTooLarge,
        message: format!(
            "The file is larger than {} MB: import it on the server with `kappa-server import`.",
            MAX_UPLOAD_BYTES >> 20
        ),
    }
}

/// Writes the body to `to` as it arrives: its SHA-256 and size, or a refusal once it grows past
/// what an upload may be.
async fn receive(body: Body, to: &std::path::Path) -> Result<(String, u64)> {
    let mut out = tokio::fs::File::create(to)
        .await
        .map_err(|e| Error::Internal(format!("{}: {e}", to.display())))?;
    let mut hash = sha2::Sha256::new();
    let mut size = 0u64;
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            let timed_out =
                std::iter::successors(Some(&e as &(dyn std::error::Error + 'static)), |e| {
                    e.source()
                })
                .any(|e| e.is::<tower_http::timeout::TimeoutError>());
            if timed_out {
                Error::Rejected {
                    status: StatusCode::REQUEST_TIMEOUT,
                    code: Code::RequestTimeout,
                    message: "The file stopped arriving before it was complete.".into(),
                }
            } else {
                Error::Rejected {
                    status: StatusCode::BAD_REQUEST,
                    code: Code::UnreadableBody,
                    message: format!("The file could not be read: {e}"),
                }
            }
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        size += data.len() as u64;
        if size > MAX_UPLOAD_BYTES {
            return Err(too_large());
        }
        hash.update(&data);
        out.write_all(&data)
            .await
            .map_err(|e| Error::Internal(format!("{}: {e}", to.display())))?;
    }
    out.flush()
        .await
        .map_err(|e| Error::Internal(format!("{}: {e}", to.display())))?;
    let sha256 = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok((sha256, size))
}

async fn dry_run(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    Path(id): Path<ImportId>,
    body: JsonBody,
) -> Result<(StatusCode, Json<FileImport>)> {
    user.require(kappa_domain::Capability::ImportCalls)?;
    let request: DryRunRequest = body.parse().await?;
    // The reading settings are the file reader's to understand: refused here, by field,
    // before the import moves.
    if let Err(e) = serde_json::from_str::<kappa_import::mapping::ReadingSettings>(&request.reading)
    {
        return Err(Error::Refused(Refusal::InvalidInput(vec![
            kappa_domain::QueryError::new(
                "reading",
                e.to_string().chars().take(200).collect::<String>(),
                kappa_domain::Problem::Required,
            ),
        ])));
    }
    let import = ctx
        .db
        .change(move |store| workflow::begin_dry_run(store, &user.0, id, request))
        .await?;
    import_job::start(ctx.db.clone(), ctx.config.imports.clone(), import.clone());
    Ok((StatusCode::ACCEPTED, Json(import)))
}

async fn commit(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    Path(id): Path<ImportId>,
    body: JsonBody,
) -> Result<(StatusCode, Json<FileImport>)> {
    user.require(kappa_domain::Capability::ImportCalls)?;
    let step: ImportStep = body.parse().await?;
    let (import, started) = ctx
        .db
        .change(move |store| workflow::begin_commit(store, &user.0, id, step))
        .await?;
    if started {
        import_job::start(ctx.db.clone(), ctx.config.imports.clone(), import.clone());
    }
    Ok((StatusCode::ACCEPTED, Json(import)))
}

async fn cancel(
    user: CurrentUser,
    State(ctx): State<ApiContext>,
    Path(id): Path<ImportId>,
    body: JsonBody,
) -> Result<Json<FileImport>> {
    user.require(kappa_domain::Capability::ImportCalls)?;
    let step: ImportStep = body.parse().await?;
    let import = ctx
        .db
        .change(move |store| workflow::cancel_import(store, &user.0, id, step, super::now()))
        .await?;
    import_job::tidy(&ctx.config.imports, &import);
    Ok(Json(import))
}

/// One of an import's refused-rows files, to fix and import again, streamed from disk:
/// `rejected.csv` (the file's checks) or `refused.csv` (the centre's rules). None written (no
/// row was refused), or any other name, answers as missing.
async fn rows_file(
    CurrentUser(user): CurrentUser,
    State(ctx): State<ApiContext>,
    Path((id, rows)): Path<(ImportId, String)>,
    req: axum::extract::Request,
) -> Result<Response> {
    use tower::ServiceExt;
    let import = ctx
        .db
        .view(move |store| workflow::file_import(store, &user, id))
        .await?;
    let files = ImportFiles::of(&ctx.config.imports, import.id);
    let (path, kind) = match rows.as_str() {
        "rejected.csv" => (files.rejected, "rejected"),
        "refused.csv" => (files.refused, "refused"),
        _ => return Err(Error::Refused(Refusal::NotFound(Entity::Import))),
    };
    if !path.is_file() {
        return Err(Error::Refused(Refusal::NotFound(Entity::Import)));
    }
    let served = tower_http::services::ServeFile::new(&path)
        .oneshot(req)
        .await
        .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
    let stem = import
        .file_name
        .rsplit_once('.')
        .map_or(import.file_name.as_str(), |(stem, _)| stem);
    let name = format!("{stem}.{kind}.csv");
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut res = served.map(Body::new);
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = header::HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(res)
}
