//! One folder per user task.

pub mod calibration;
pub mod calls;
pub mod coaching;
pub mod me;
pub mod queue;
pub mod reports;
pub mod review;
pub mod scorecards;
pub mod signin;
pub mod users;

use crate::api::{Api, ApiError, ApiResult};
use leptos::prelude::*;

/// Loads what the address's `:id` names, again whenever it changes; an id that is not a number
/// names nothing, so it is simply not found.
pub fn load_by_route_id<T: 'static, F>(load: fn(Api, u32) -> F) -> LocalResource<ApiResult<T>>
where
    F: std::future::Future<Output = ApiResult<T>> + 'static,
{
    let session = crate::session::use_session();
    let params = leptos_router::hooks::use_params_map();
    LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|s| s.parse::<u32>().ok()));
        async move {
            match id {
                Some(id) => load(session.api(), id).await,
                None => Err(ApiError::NotFound),
            }
        }
    })
}
