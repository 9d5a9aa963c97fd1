//! Sign-in: a password form against the server, or a choice of demo user in fixtures mode.

use crate::api::{ApiError, Mode};
use crate::components::labels;
use crate::components::language_switch::LanguageSwitch;
use crate::components::state::ErrorView;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::{Role, User};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    // Only same-site paths are followed after sign-in, never another origin.
    let next = move || {
        query
            .with_untracked(|q| q.get("next"))
            .filter(|n| n.starts_with('/') && !n.starts_with("//"))
    };
    Effect::new(move || {
        document().set_title(&format!("{} · Kappa", t_string!(i18n, signin.title)))
    });
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(user) = session.user.get() {
            let to = next().unwrap_or_else(|| user.role.home().path().to_string());
            navigate(
                &to,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    view! {
        <div class="signin-page">
            <main id="main" class="signin-card">
                <div class="signin-brand">
                    <span class="brand-mark" aria-hidden="true">"κ"</span>
                    <span class="brand-name">{t!(i18n, app_name)}</span>
                </div>
                <p class="signin-tagline">{t!(i18n, tagline)}</p>
                <h1>{move || if session.api.get().mode == Mode::Fixtures { t_string!(i18n, signin.pick_title) } else { t_string!(i18n, signin.title) }}</h1>
                {move || match session.api.get().mode {
                    Mode::Server => view! { <PasswordForm/> }.into_any(),
                    Mode::Fixtures => view! { <DemoUserPicker/> }.into_any(),
                }}
                <LanguageSwitch class="link-button signin-lang"/>
            </main>
        </div>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (u, p) = (username.get_untracked(), password.get_untracked());
        missing.set(u.trim().is_empty() || p.is_empty());
        if missing.get_untracked() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match session.api().sign_in(&u, &p).await {
                Ok(user) => session.user.set(Some(user)),
                Err(e) => {
                    password.set(String::new());
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form" on:submit=submit novalidate>
            {move || missing.get().then(|| view! { <div class="alert alert-error" role="alert">{t!(i18n, signin.missing)}</div> })}
            {move || error.get().map(|e| view! { <ErrorView error=e/> })}
            <label for="username">{t!(i18n, signin.username)}</label>
            <input id="username" name="username" autocomplete="username" autofocus required
                prop:value=username on:input=move |ev| username.set(event_target_value(&ev))/>
            <label for="password">{t!(i18n, signin.password)}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required
                prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
            <button type="submit" class="button button-primary button-block" disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, signin.submitting) } else { t_string!(i18n, signin.submit) }}
            </button>
            // Only a demo centre has shared passwords to mention; a new installation says how
            // its first account is made.
            {move || session.demo.get().then(|| view! { <p class="hint">{t!(i18n, signin.demo_hint)}</p> })}
            {move || session.needs_admin.get().then(|| view! { <p class="alert alert-warning" role="status">{t!(i18n, signin.needs_admin)}</p> })}
        </form>
    }
}

#[component]
fn DemoUserPicker() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let accounts = LocalResource::new(move || async move { session.api().demo_accounts().await });
    let error = RwSignal::new(None::<ApiError>);
    let pick = move |username: String| {
        spawn_local(async move {
            match session.api().sign_in(&username, "").await {
                Ok(user) => session.user.set(Some(user)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <p class="hint">{t!(i18n, signin.pick_hint)}</p>
        {move || error.get().map(|e| view! { <ErrorView error=e/> })}
        <Suspense fallback=|| view! { <div class="skeleton skeleton-block"></div> }>
            {move || {
                Suspend::new(async move {
                    match accounts.await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(users) => Role::ALL.into_iter().map(|role| {
                            // The first few of each role keep the list short; the rest (agents are
                            // many) fold away but stay one choice away.
                            let mut people: Vec<User> = users.iter().filter(|u| u.role == role).cloned().collect();
                            let more = people.split_off(people.len().min(4));
                            let items = move |list: Vec<User>| list.into_iter().map(|u| {
                                let username = u.username.clone();
                                view! {
                                    <li><button type="button" class="picker-item" on:click=move |_| pick(username.clone())>
                                        <span class="picker-name">{u.display_name.clone()}</span>
                                        <span class="picker-login">{u.username.clone()}</span>
                                    </button></li>
                                }
                            }).collect_view();
                            let count = more.len();
                            view! {
                                <section class="picker-group">
                                    <h2>{move || labels::role(role)}</h2>
                                    <ul class="picker">{items(people)}</ul>
                                    {(count > 0).then(|| view! {
                                        <details class="picker-more">
                                            <summary>{move || t_string!(i18n, signin.more_accounts, count = count).to_string()}</summary>
                                            <ul class="picker">{items(more)}</ul>
                                        </details>
                                    })}
                                </section>
                            }
                        }).collect_view().into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
