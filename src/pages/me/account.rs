//! Your account: who you are in Kappa, and changing your own password.

use crate::api::{ApiError, Mode};
use crate::components::field::TextField;
use crate::components::labels;
use crate::components::state::{ErrorView, PageHeader};
use crate::i18n::*;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;

crate::pages::lazy::split_page!(me => AccountPage);

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, account.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, account.subtitle).to_string())/>
        <section class="card">
            {move || session.user.get().map(|user| view! {
                <dl class="account-facts">
                    <dt>{t!(i18n, account.username)}</dt><dd><code>{user.username.clone()}</code></dd>
                    <dt>{t!(i18n, account.role)}</dt><dd>{move || labels::role(user.role)}</dd>
                </dl>
            })}
        </section>
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">{t!(i18n, account.password_title)}</h2>
            {move || match session.api.get().mode {
                Mode::Server => view! { <PasswordChangeForm/> }.into_any(),
                Mode::Fixtures => view! { <p class="muted">{t!(i18n, account.demo_note)}</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn PasswordChangeForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (current, new, repeat) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<ApiError>);
    let mismatch = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        error.set(None);
        mismatch.set(new.get_untracked() != repeat.get_untracked());
        if mismatch.get_untracked() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match session
                .api()
                .change_password(&current.get_untracked(), &new.get_untracked())
                .await
            {
                Ok(()) => {
                    error.set(None);
                    saved.set(true);
                    for field in [current, new, repeat] {
                        field.set(String::new());
                    }
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form account-form" on:submit=submit novalidate>
            {move || error.get().map(|e| view! { <ErrorView error=e/> })}
            {move || mismatch.get().then(|| view! { <div class="alert alert-error" role="alert">{t!(i18n, account.mismatch)}</div> })}
            {move || saved.get().then(|| view! { <div class="alert alert-ok" role="status">{t!(i18n, account.saved)}</div> })}
            <TextField id="current-password" field="current" kind="password" autocomplete="current-password" label=Signal::derive(move || t_string!(i18n, account.current).to_string()) value=current error/>
            <TextField id="new-password" field="password" kind="password" autocomplete="new-password" label=Signal::derive(move || t_string!(i18n, account.new).to_string()) value=new error
                hint=Signal::derive(move || t_string!(i18n, account.password_hint).to_string())/>
            <TextField id="repeat-password" field="repeat" kind="password" autocomplete="new-password" label=Signal::derive(move || t_string!(i18n, account.repeat).to_string()) value=repeat error/>
            <button type="submit" class="button button-primary" disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, account.saving) } else { t_string!(i18n, account.save) }}
            </button>
        </form>
    }
}
