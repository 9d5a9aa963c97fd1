//! Kappa's browser app: a Leptos CSR single-page app. `api` hides whether data comes from the
//! Kappa server or from the static fixtures; pages are grouped by the user's task.

// The generated translations name a constructor `new` that answers another type.
#[allow(clippy::new_ret_no_self)]
mod translations {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use translations::i18n;

pub mod api;
mod app;
mod clock;
mod components;
mod format;
mod pages;
mod session;
mod storage;

pub use app::App;
