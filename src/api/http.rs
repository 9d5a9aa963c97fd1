//! The Kappa server over HTTP. The session cookie is HttpOnly, so the browser carries it and
//! this code never sees it.

use super::{ApiError, ApiResult, RejectedFields};
use gloo_net::http::{Request, RequestBuilder, Response};
use kappa_domain::Code;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Fetches `url` exactly as written: gloo's builder rewrites a query (`?a=1` becomes `?a=1&`),
/// and the read the server preloaded with the page (crates/server/src/boot.rs) is reused only
/// for the very same URL.
pub async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    let request =
        web_sys::Request::new_with_str(url).map_err(|e| ApiError::Network(format!("{e:?}")))?;
    decode(Request::from(request).send().await).await
}

pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<&B>,
) -> ApiResult<T> {
    let builder = builder(method, url);
    let request = match body {
        Some(b) => builder
            .json(b)
            .map_err(|e| ApiError::Network(e.to_string()))?,
        None => builder
            .build()
            .map_err(|e| ApiError::Network(e.to_string()))?,
    };
    decode(request.send().await).await
}

pub async fn send_no_content<B: Serialize>(
    method: &str,
    url: &str,
    body: Option<&B>,
) -> ApiResult<()> {
    let builder = builder(method, url);
    let sent = match body {
        Some(b) => {
            builder
                .json(b)
                .map_err(|e| ApiError::Network(e.to_string()))?
                .send()
                .await
        }
        None => builder.send().await,
    };
    let res = sent.map_err(|e| ApiError::Network(e.to_string()))?;
    if res.ok() {
        Ok(())
    } else {
        Err(error_of(res).await)
    }
}

/// Sends a file as the request's body, as the browser reads it from disk (never whole in
/// the app's memory).
pub async fn upload<T: DeserializeOwned>(url: &str, file: &web_sys::File) -> ApiResult<T> {
    let request = Request::post(url)
        .header("Content-Type", "application/octet-stream")
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|e| ApiError::Network(e.to_string()))?;
    decode(request.send().await).await
}

fn builder(method: &str, url: &str) -> RequestBuilder {
    match method {
        "POST" => Request::post(url),
        "PATCH" => Request::patch(url),
        "PUT" => Request::put(url),
        "DELETE" => Request::delete(url),
        _ => Request::get(url),
    }
}

async fn decode<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> ApiResult<T> {
    let res = sent.map_err(|e| ApiError::Network(e.to_string()))?;
    if !res.ok() {
        return Err(error_of(res).await);
    }
    res.json::<T>()
        .await
        .map_err(|e| ApiError::Network(format!("unreadable answer: {e}")))
}

/// Reads the code and message of an error body; the fields it names are read only by the pages
/// that show them (`ApiError::fields`).
async fn error_of(res: Response) -> ApiError {
    #[derive(serde::Deserialize)]
    struct Body {
        error: Head,
    }
    #[derive(serde::Deserialize)]
    struct Head {
        code: Code,
        message: String,
    }
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    match serde_json::from_str::<Body>(&text) {
        Ok(body) => ApiError::refused(
            body.error.code,
            body.error.message,
            RejectedFields::Body(text),
        ),
        Err(_) => match status {
            401 => ApiError::Unauthorized,
            403 => ApiError::Forbidden,
            404 => ApiError::NotFound,
            _ => ApiError::rejected(Code::Unavailable, format!("HTTP {status}")),
        },
    }
}
