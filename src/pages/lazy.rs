//! Pages whose code is split off into the wasm chunk of their page group (pages used together:
//! work, me, setup, import), fetched when the group's first page is opened, so
//! sign-in and the shell do not pay for the scorecard builder or the users admin. A handful of
//! groups, not a chunk per page: wasm-split names a chunk by the set of split points reaching
//! each function, so files multiply with the split points (issue #22: 81–198 files per cold page
//! with one per page, 9 with five groups).
//!
//! `split_page!` marks a page as a split point; `LazyPage` renders it inside the shell. A chunk
//! that cannot be fetched (offline, blocked, a deploy that removed it) is a translated retry
//! state, never a crash: Leptos 0.8's own `#[lazy_route]` panics there, and a panic ends the app.

use crate::components::state::TableSkeleton;
use crate::i18n::*;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// A page's chunk could not be fetched.
#[derive(Debug, Clone, Copy)]
pub struct ChunkUnavailable;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkUnavailable
    }
}

pub type PageLoad = Pin<Box<dyn Future<Output = Result<AnyView, ChunkUnavailable>> + Send>>;

/// Declares, in a page's module, `load_page()` (fetch the chunk of the group `$chunk` once, then
/// render `$page`) and `preload_page()` (only fetch it). Everything only the group's pages reach
/// moves into the chunk.
macro_rules! split_page {
    ($chunk:ident => $page:ident) => {
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_page))]
        pub(crate) fn render_page() -> Result<::leptos::prelude::AnyView, $crate::pages::lazy::ChunkUnavailable> {
            $crate::pages::me::inbox::count_from_server();
            Ok(::leptos::prelude::IntoAny::into_any(::leptos::prelude::view! { <$page/> }))
        }

        pub fn load_page() -> $crate::pages::lazy::PageLoad {
            Box::pin(render_page())
        }
    };
}
pub(crate) use split_page;

/// Renders a split page, showing placeholder rows while its chunk arrives.
#[component]
pub fn LazyPage(load: fn() -> PageLoad) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=|| view! { <TableSkeleton/> }>
            {move || {
                attempt.track();
                Suspend::new(async move {
                    match load().await {
                        Ok(page) => page,
                        Err(ChunkUnavailable) => view! { <ChunkRetry retry=move || attempt.update(|n| *n += 1)/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The page's code did not arrive; the rest of the app still works. Trying again fetches it
/// afresh (a failed load is not remembered); after an update the old chunks are gone, and only
/// reloading the app (its new version) helps.
#[component]
fn ChunkRetry(retry: impl Fn() + 'static) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="empty-state chunk-unavailable" role="alert">
            <h1>{t!(i18n, chunk.title)}</h1>
            <p>{t!(i18n, chunk.body)}</p>
            <div class="chunk-actions">
                <button type="button" class="button button-primary" on:click=move |_| retry()>{t!(i18n, chunk.retry)}</button>
                <button type="button" class="button" on:click=|_| { let _ = window().location().reload(); }>{t!(i18n, chunk.reload)}</button>
            </div>
        </section>
    }
}
