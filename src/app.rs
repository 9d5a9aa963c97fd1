use crate::api::Api;
use crate::components::guard::Guarded;
use crate::components::shell::{PagePreload, Shell, Waiting};
use crate::components::state::{AppSkeleton, NotFound};
use crate::i18n::{use_i18n, I18nContextProvider, Locale};
use crate::pages;
use crate::pages::lazy::LazyPage;
use crate::session::{use_session, Session};
use crate::storage;
use kappa_domain::Section;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use std::future::Future;

#[component]
pub fn App() -> impl IntoView {
    // The server writes the mode and the session into the page; a page without them (the
    // static build, or any plain file host) asks below.
    let from_page = Api::from_page();
    let (api, info) = from_page.clone().unzip();
    let session = Session {
        api: RwSignal::new(api.unwrap_or(Api {
            mode: crate::api::Mode::Server,
        })),
        user: RwSignal::new(info.as_ref().and_then(|i| i.user.clone())),
        ready: RwSignal::new(from_page.is_some()),
        demo: RwSignal::new(info.as_ref().is_some_and(|i| i.demo)),
        needs_admin: RwSignal::new(info.is_some_and(|i| i.needs_admin)),
        vocabulary: RwSignal::new(None),
    };
    provide_context(session);
    provide_context(PagePreload(preload));
    provide_context(Waiting(RwSignal::new(None)));
    crate::components::leave_guard::install_back_guard();
    if from_page.is_none() {
        spawn_local(async move {
            let api = Api::detect().await;
            session.api.set(api);
            // An unreachable server still lets the app start; the sign-in page then reports it.
            if let Ok(info) = api.session().await {
                session.user.set(info.user);
                session.demo.set(info.demo);
                session.needs_admin.set(info.needs_admin);
            }
            session.ready.set(true);
        });
    }

    view! {
        <I18nContextProvider>
            <LanguageMemory/>
            <Show when=move || session.ready.get() fallback=|| view! { <AppSkeleton/> }>
                <AppRoutes/>
            </Show>
        </I18nContextProvider>
    }
}

#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <Shell><NotFound/></Shell> }>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/signin") view=pages::signin::SignInPage/>
                <Route path=path!("/queue") view=|| view! { <Guarded><LazyPage load=pages::queue::load_page/></Guarded> }/>
                <Route path=path!("/calls") view=|| view! { <Guarded><LazyPage load=pages::calls::load_page/></Guarded> }/>
                <Route path=path!("/calls/:id") view=|| view! { <Guarded><LazyPage load=pages::calls::detail::load_page/></Guarded> }/>
                <Route path=path!("/sampling") view=|| view! { <Guarded><LazyPage load=pages::sampling::load_page/></Guarded> }/>
                <Route path=path!("/sampling/:id") view=|| view! { <Guarded><LazyPage load=pages::sampling::plan::load_page/></Guarded> }/>
                <Route path=path!("/calibration") view=|| view! { <Guarded><LazyPage load=pages::calibration::load_page/></Guarded> }/>
                <Route path=path!("/calibration/history") view=|| view! { <Guarded><LazyPage load=pages::calibration::history::load_page/></Guarded> }/>
                <Route path=path!("/calibration/:id") view=|| view! { <Guarded><LazyPage load=pages::calibration::detail::load_page/></Guarded> }/>
                <Route path=path!("/coaching") view=|| view! { <Guarded><LazyPage load=pages::coaching::load_page/></Guarded> }/>
                <Route path=path!("/coaching/agents/:id") view=|| view! { <Guarded><LazyPage load=pages::coaching::agent::load_page/></Guarded> }/>
                <Route path=path!("/coaching/sessions/:id") view=|| view! { <Guarded><LazyPage load=pages::coaching::session::load_page/></Guarded> }/>
                <Route path=path!("/reports") view=|| view! { <Guarded><LazyPage load=pages::reports::load_page/></Guarded> }/>
                <Route path=path!("/inbox") view=|| view! { <Guarded><LazyPage load=pages::me::inbox::load_page/></Guarded> }/>
                <Route path=path!("/me") view=|| view! { <Guarded><LazyPage load=pages::me::load_page/></Guarded> }/>
                <Route path=path!("/import") view=|| view! { <Guarded><LazyPage load=pages::import::load_page/></Guarded> }/>
                <Route path=path!("/users") view=|| view! { <Guarded><LazyPage load=pages::users::load_page/></Guarded> }/>
                <Route path=path!("/scorecards") view=|| view! { <Guarded><LazyPage load=pages::scorecards::load_page/></Guarded> }/>
                <Route path=path!("/vocabulary") view=|| view! { <Guarded><LazyPage load=pages::vocabulary::load_page/></Guarded> }/>
                <Route path=path!("/scorecards/:id") view=|| view! { <Guarded><LazyPage load=pages::scorecards::editor::load_page/></Guarded> }/>
                <Route path=path!("/account") view=|| view! { <Guarded><LazyPage load=pages::me::account::load_page/></Guarded> }/>
                <Route path=path!("/evaluations/:id") view=|| view! { <Guarded><LazyPage load=pages::review::evaluation::load_page/></Guarded> }/>
                <Route path=path!("/review/:id") view=|| view! { <Guarded><LazyPage load=pages::review::load_page/></Guarded> }/>
                <Route path=path!("/disputes") view=|| view! { <Guarded><LazyPage load=pages::review::disputes::load_page/></Guarded> }/>
            </Routes>
        </Router>
    }
}

/// Fetches a section's page chunk ahead of a click on its navigation link (`PagePreload`). A
/// failure is left for the click to report.
fn preload(section: Section) {
    fn fetch(chunk: impl Future<Output = Result<(), SplitLoaderError>> + 'static) {
        spawn_local(async move {
            let _ = chunk.await;
        });
    }
    match section {
        Section::Queue => fetch(pages::queue::preload_page()),
        Section::Calls => fetch(pages::calls::preload_page()),
        Section::Disputes => fetch(pages::review::disputes::preload_page()),
        Section::Sampling => fetch(pages::sampling::preload_page()),
        Section::Calibration => fetch(pages::calibration::preload_page()),
        Section::Coaching => fetch(pages::coaching::preload_page()),
        Section::Reports => fetch(pages::reports::preload_page()),
        Section::Feedback => fetch(pages::me::preload_page()),
        Section::Users => fetch(pages::users::preload_page()),
        Section::Scorecards => fetch(pages::scorecards::preload_page()),
        Section::Vocabulary => fetch(pages::vocabulary::preload_page()),
        Section::Import => fetch(pages::import::preload_page()),
    }
}

const LANGUAGE_KEY: &str = "kappa.language";

/// Keeps the chosen language on this device. Without a stored choice the browser's preferred
/// languages decide, so a Chinese browser opens in Chinese.
#[component]
fn LanguageMemory() -> impl IntoView {
    let i18n = use_i18n();
    let saved = storage::read::<String>(LANGUAGE_KEY).and_then(|l| l.parse::<Locale>().ok());
    let restored = StoredValue::new(false);
    // Restored in an effect: the provider's own first effect sets the browser's language, and
    // effects run in creation order, so this one comes after it.
    Effect::new(move || {
        let current = i18n.get_locale();
        if !restored.get_value() {
            restored.set_value(true);
            if let Some(saved) = saved.filter(|s| *s != current) {
                i18n.set_locale(saved);
                return;
            }
        }
        storage::write(LANGUAGE_KEY, &current.to_string());
    });
}

/// `/` sends a signed-in user to the first page of their role, anyone else to sign-in.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    move || match session.user.get() {
        Some(user) => view! { <Redirect path=user.role.home().path()/> },
        None => view! { <Redirect path="/signin"/> },
    }
}
