//! One folder per user task.

pub mod calibration;
pub mod calls;
pub mod coaching;
pub mod import;
pub mod lazy;
pub mod me;
pub mod queue;
pub mod reports;
pub mod review;
pub mod sampling;
pub mod scorecards;
pub mod signin;
pub mod users;
pub mod vocabulary;

use crate::api::{Api, ApiError, ApiResult};
use leptos::prelude::*;

/// The address's query string while the address is `path`. Leaving the page changes the address
/// a moment before the page is gone; keeping the last query then means the page's loads do not
/// start again for an address that is not its own (and then touch a page already disposed).
pub fn query_of(path: &'static str) -> Memo<String> {
    let location = leptos_router::hooks::use_location();
    Memo::new(move |previous: Option<&String>| match previous {
        Some(previous) if location.pathname.get() != path => previous.clone(),
        _ => location.search.get(),
    })
}

/// Loads what the address's `:id` names, again whenever it changes; an id that is not a number
/// names nothing, so it is simply not found.
pub fn load_by_route_id<T: 'static, F>(load: fn(Api, u32) -> F) -> LocalResource<ApiResult<T>>
where
    F: std::future::Future<Output = ApiResult<T>> + 'static,
{
    reload_by_route_id(load, RwSignal::new(0))
}

/// [`load_by_route_id`], loaded again whenever `refresh` changes: after a write on the page.
pub fn reload_by_route_id<T: 'static, F>(
    load: fn(Api, u32) -> F,
    refresh: RwSignal<u32>,
) -> LocalResource<ApiResult<T>>
where
    F: std::future::Future<Output = ApiResult<T>> + 'static,
{
    let session = crate::session::use_session();
    let params = leptos_router::hooks::use_params_map();
    LocalResource::new(move || {
        refresh.track();
        let id = params.with(|p| p.get("id").and_then(|s| s.parse::<u32>().ok()));
        async move {
            match id {
                Some(id) => load(session.api(), id).await,
                None => Err(ApiError::NotFound),
            }
        }
    })
}
