//! Opening an account, editing one, and setting someone's password: an administrator's forms.

use crate::api::ApiError;
use crate::components::field::TextField;
use crate::components::labels;
use crate::components::state::ErrorView;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::api::{NewUser, UserEdit, UserProfile};
use kappa_domain::{Role, Team, User};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The form for a new account; `created` hears of each account it opens.
#[component]
pub fn NewUserForm(
    teams: Vec<Team>,
    created: Callback<User>,
    cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (username, display_name, agent_code, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let role = RwSignal::new(Role::Agent);
    let team = RwSignal::new(teams.first().map(|t| t.id));
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let new = NewUser {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            role: role.get_untracked(),
            team_id: team.get_untracked(),
            agent_code: Some(agent_code.get_untracked()),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            let result = session.api().create_user(&new).await;
            busy.set(false);
            // Last: hearing of the account closes this form, and its signals with it.
            match result {
                Ok(user) => created.run(user),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let team_options = teams.into_iter().map(|t| {
        let name = t.name.clone();
        view! { <option value=t.id.to_string() selected=move || team.get() == Some(t.id)>{move || name.pick(format::is_zh()).to_string()}</option> }
    }).collect_view();
    view! {
        <form class="card" on:submit=submit novalidate aria-labelledby="new-user-title">
            <h2 id="new-user-title">{t!(i18n, users.new_title)}</h2>
            {move || error.get().map(|e| view! { <ErrorView error=e/> })}
            <div class="field-row field-row-top">
                <TextField id="username" label=Signal::derive(move || t_string!(i18n, users.field_username).to_string()) value=username error autocomplete="off"
                    hint=Signal::derive(move || t_string!(i18n, users.username_hint).to_string())/>
                <TextField id="display_name" label=Signal::derive(move || t_string!(i18n, users.field_display_name).to_string()) value=display_name error autocomplete="off"/>
                <div class="field">
                    <label for="role">{t!(i18n, users.field_role)}</label>
                    <select id="role" on:change=move |ev| if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) }>
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.code() selected=move || role.get() == r>{move || labels::role(r)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="team_id">{t!(i18n, users.field_team)}</label>
                    <select id="team_id" on:change=move |ev| team.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || team.get().is_none()>{t!(i18n, users.no_team_option)}</option>
                        {team_options}
                    </select>
                </div>
                <TextField id="agent_code" label=Signal::derive(move || t_string!(i18n, users.field_agent_code).to_string()) value=agent_code error autocomplete="off"
                    hint=Signal::derive(move || t_string!(i18n, users.agent_code_hint).to_string())/>
                <TextField id="new-password" field="password" kind="password" autocomplete="new-password" label=Signal::derive(move || t_string!(i18n, users.field_password).to_string()) value=password error
                    hint=Signal::derive(move || t_string!(i18n, users.password_hint).to_string())/>
            </div>
            <div class="inline-form">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {move || if busy.get() { t_string!(i18n, users.creating) } else { t_string!(i18n, users.create) }}
                </button>
                <button type="button" class="button" on:click=move |_| cancel.run(())>{t!(i18n, users.cancel)}</button>
            </div>
        </form>
    }
}

/// Sets `user`'s password; every session they had ends on the server.
#[component]
pub fn PasswordResetForm(
    user: User,
    done: Callback<String>,
    cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let name = user.display_name.clone();
    let title_name = name.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let name = name.clone();
        spawn_local(async move {
            let result = session
                .api()
                .reset_password(user.id, &password.get_untracked())
                .await;
            busy.set(false);
            // Last: being done closes this form, and its signals with it.
            match result {
                Ok(()) => done.run(name),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit novalidate aria-labelledby="reset-title">
            <h2 id="reset-title">{move || t_string!(i18n, users.set_password_for, name = title_name.clone()).to_string()}</h2>
            {move || error.get().map(|e| view! { <ErrorView error=e/> })}
            <div class="inline-form">
                <TextField id="reset-password" field="password" kind="password" autocomplete="new-password" label=Signal::derive(move || t_string!(i18n, account.new).to_string()) value=password error
                    hint=Signal::derive(move || t_string!(i18n, users.password_hint).to_string())/>
                <button type="submit" class="button button-primary" disabled=move || busy.get()>{t!(i18n, users.save_password)}</button>
                <button type="button" class="button" on:click=move |_| cancel.run(())>{t!(i18n, users.cancel)}</button>
            </div>
        </form>
    }
}

/// Changes `user`'s name, role or team. The edit carries the profile this form started from, so
/// a change someone else made meanwhile is refused instead of overwritten.
#[component]
pub fn EditUserForm(
    user: User,
    teams: Vec<Team>,
    done: Callback<User>,
    cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let expected = UserProfile::of(&user);
    let display_name = RwSignal::new(user.display_name.clone());
    let role = RwSignal::new(user.role);
    let team = RwSignal::new(user.team_id);
    let agent_code = RwSignal::new(user.agent_code.clone().unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let id = user.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let edit = UserEdit {
            profile: UserProfile {
                display_name: display_name.get_untracked(),
                role: role.get_untracked(),
                team_id: team.get_untracked(),
                agent_code: Some(agent_code.get_untracked()),
            },
            expected: expected.clone(),
        };
        spawn_local(async move {
            let result = session.api().edit_user(id, &edit).await;
            busy.set(false);
            // Last: being done closes this form, and its signals with it.
            match result {
                Ok(user) => done.run(user),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let team_options = teams.into_iter().map(|t| {
        let name = t.name.clone();
        view! { <option value=t.id.to_string() selected=move || team.get() == Some(t.id)>{move || name.pick(format::is_zh()).to_string()}</option> }
    }).collect_view();
    let username = user.username.clone();
    view! {
        <form class="card" on:submit=submit novalidate aria-labelledby="edit-user-title" data-testid="edit-user">
            <h2 id="edit-user-title">{move || t_string!(i18n, users.edit_title, name = username.clone()).to_string()}</h2>
            {move || error.get().map(|e| view! { <ErrorView error=e/> })}
            <div class="field-row field-row-top">
                <TextField id="edit-display-name" field="display_name" label=Signal::derive(move || t_string!(i18n, users.field_display_name).to_string()) value=display_name error autocomplete="off"/>
                <div class="field">
                    <label for="edit-role">{t!(i18n, users.field_role)}</label>
                    <select id="edit-role" on:change=move |ev| if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) }>
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.code() selected=move || role.get() == r>{move || labels::role(r)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="edit-team">{t!(i18n, users.field_team)}</label>
                    <select id="edit-team" on:change=move |ev| team.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || team.get().is_none()>{t!(i18n, users.no_team_option)}</option>
                        {team_options}
                    </select>
                </div>
                <TextField id="edit-agent-code" field="agent_code" label=Signal::derive(move || t_string!(i18n, users.field_agent_code).to_string()) value=agent_code error autocomplete="off"
                    hint=Signal::derive(move || t_string!(i18n, users.agent_code_hint).to_string())/>
            </div>
            <div class="inline-form">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>{t!(i18n, users.save_edit)}</button>
                <button type="button" class="button" on:click=move |_| cancel.run(())>{t!(i18n, users.cancel)}</button>
            </div>
        </form>
    }
}
