//! User administration: who can sign in, with which role, in which team; opening accounts and
//! setting passwords.

mod accounts;

use crate::api::ApiError;
use crate::components::labels;
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::User;
use leptos::prelude::*;
use leptos::task::spawn_local;

crate::pages::lazy::split_page!(setup => UsersPage);

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // Bumped when an account is opened, so the list loads again with it.
    let opened = RwSignal::new(0u32);
    let users = LocalResource::new(move || {
        opened.track();
        async move { session.api().users().await }
    });
    let directory = LocalResource::new(move || async move { session.api().directory().await });
    let adding = RwSignal::new(false);
    let resetting = RwSignal::new(None::<User>);
    let editing = RwSignal::new(None::<User>);
    let notice = RwSignal::new(None::<String>);
    let created = Callback::new(move |user: User| {
        adding.set(false);
        notice.set(Some(
            t_string!(i18n, users.created, name = user.display_name).to_string(),
        ));
        opened.update(|n| *n += 1);
    });
    let edited = Callback::new(move |user: User| {
        editing.set(None);
        notice.set(Some(
            t_string!(i18n, users.edited, name = user.display_name).to_string(),
        ));
        opened.update(|n| *n += 1);
    });
    let password_set = Callback::new(move |name: String| {
        resetting.set(None);
        notice.set(Some(
            t_string!(i18n, users.password_saved, name = name).to_string(),
        ));
    });
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, users.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, users.subtitle).to_string())>
            <button type="button" class="button button-primary" on:click=move |_| { notice.set(None); resetting.set(None); editing.set(None); adding.set(true) }
                disabled=move || adding.get()>{t!(i18n, users.new)}</button>
        </PageHeader>
        {move || notice.get().map(|n| view! { <div class="alert alert-ok" role="status">{n}</div> })}
        {move || adding.get().then(|| view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let teams = directory.await.map(|d| d.teams).unwrap_or_default();
                    view! { <accounts::NewUserForm teams created cancel=Callback::new(move |()| adding.set(false))/> }
                })}
            </Suspense>
        })}
        {move || editing.get().map(|user| view! {
            <Suspense fallback=|| ()>
                {move || {
                    let user = user.clone();
                    Suspend::new(async move {
                        let teams = directory.await.map(|d| d.teams).unwrap_or_default();
                        view! { <accounts::EditUserForm user teams done=edited cancel=Callback::new(move |()| editing.set(None))/> }
                    })
                }}
            </Suspense>
        })}
        {move || resetting.get().map(|user| view! {
            <accounts::PasswordResetForm user done=password_set cancel=Callback::new(move |()| resetting.set(None))/>
        })}
        <section class="card">
            <Suspense fallback=|| view! { <TableSkeleton/> }>
                {move || Suspend::new(async move {
                    let teams = directory.await.map(|d| d.teams).unwrap_or_default();
                    match users.await {
                        Ok(list) => view! { <UserTable users=list teams resetting editing notice/> }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn UserTable(
    users: Vec<User>,
    teams: Vec<kappa_domain::Team>,
    resetting: RwSignal<Option<User>>,
    editing: RwSignal<Option<User>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = session.user.get_untracked().map(|u| u.id);
    let count = users.len();
    // Narrows the list as one types: name, username, role or team, in either language.
    let search = RwSignal::new(String::new());
    let teams = StoredValue::new(teams);
    let haystacks: Vec<(String, kappa_domain::Role)> = users
        .iter()
        .map(|u| (haystack(u, &teams.get_value()), u.role))
        .collect();
    let shown = Memo::new(move |_| {
        let wanted = search.get();
        haystacks
            .iter()
            .filter(|(text, role)| user_matches(text, *role, &wanted))
            .count()
    });
    let error = RwSignal::new(None::<ApiError>);
    let rows = users
        .into_iter()
        .map(|user| {
            let active = RwSignal::new(user.active);
            // Until the change is stored the button waits, so a second press cannot race it.
            let saving = RwSignal::new(false);
            let is_me = Some(user.id) == me;
            let id = user.id;
            let this = user.clone();
            // Optimistic: the row flips at once and flips back if the server refuses.
            let toggle = move |_| {
                let want = !active.get_untracked();
                active.set(want);
                saving.set(true);
                error.set(None);
                spawn_local(async move {
                    if let Err(e) = session.api().set_user_active(id, want).await {
                        active.set(!want);
                        error.set(Some(e));
                    }
                    saving.set(false);
                });
            };
            let edited = user.clone();
            let team = move || {
                teams.with_value(|ts| ts.iter().find(|t| Some(t.id) == user.team_id).map(|t| t.name.get(format::is_zh()).to_string()))
                    .unwrap_or_else(|| t_string!(i18n, users.no_team).to_string())
            };
            let text = haystack(&user, &teams.get_value());
            let role = user.role;
            let matches = move || user_matches(&text, role, &search.get());
            view! {
                <tr class:inactive=move || !active.get() hidden=move || !matches()>
                    <td>{user.display_name.clone()}{is_me.then(|| view! { " " <span class="badge badge-quiet">{move || t_string!(i18n, users.you)}</span> })}</td>
                    <td><code>{user.username.clone()}</code></td>
                    <td>{match user.agent_code.clone() {
                        Some(code) => view! { <code>{code}</code> }.into_any(),
                        None => view! { <span class="muted" aria-label=move || t_string!(i18n, users.no_agent_code)>"—"</span> }.into_any(),
                    }}</td>
                    <td>{move || labels::role(user.role)}</td>
                    <td>{team}</td>
                    <td>{move || if active.get() {
                        view! { <span class="status status-ok"><span aria-hidden="true">"● "</span>{t_string!(i18n, users.active)}</span> }.into_any()
                    } else {
                        view! { <span class="status status-off"><span aria-hidden="true">"○ "</span>{t_string!(i18n, users.inactive)}</span> }.into_any()
                    }}</td>
                    <td>
                        <button type="button" class="button button-small" on:click=move |_| { notice.set(None); resetting.set(None); editing.set(Some(edited.clone())) }>
                            {move || t_string!(i18n, users.edit)}
                            <span class="visually-hidden">{format!(" {}", user.username)}</span>
                        </button>
                        " "
                        <button type="button" class="button button-small" disabled=move || is_me || saving.get() aria-busy=move || saving.get().then_some("true") on:click=toggle>
                            {move || if active.get() { t_string!(i18n, users.deactivate) } else { t_string!(i18n, users.activate) }}
                            <span class="visually-hidden">{format!(" {}", user.username)}</span>
                        </button>
                        " "
                        // One's own password is changed on the account page, with the current one.
                        <button type="button" class="button button-small" disabled=is_me on:click=move |_| resetting.set(Some(this.clone()))>
                            {move || t_string!(i18n, users.set_password)}
                            <span class="visually-hidden">{format!(" {}", user.username)}</span>
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <ErrorView error=e/> })}
        <div class="field user-search">
            <label for="user-search">{t!(i18n, users.search)}</label>
            <input id="user-search" type="search" autocomplete="off" prop:value=search
                on:input=move |ev| search.set(event_target_value(&ev))
                aria-describedby="user-count"/>
        </div>
        <p class="result-count" id="user-count" role="status">{move || {
            let wanted = search.get();
            if wanted.trim().is_empty() {
                t_string!(i18n, users.count, count = format::int(count as i64)).to_string()
            } else {
                t_string!(i18n, users.count_matching, shown = format::int(shown.get() as i64), count = format::int(count as i64)).to_string()
            }
        }}</p>
        <div class="table-wrap">
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, users.col_name)}</th>
                    <th scope="col">{t!(i18n, users.col_username)}</th>
                    <th scope="col">{t!(i18n, users.col_agent_code)}</th>
                    <th scope="col">{t!(i18n, users.col_role)}</th>
                    <th scope="col">{t!(i18n, users.col_team)}</th>
                    <th scope="col">{t!(i18n, users.col_status)}</th>
                    <th scope="col">{t!(i18n, users.col_actions)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// What the user search looks in: the name, username, agent code, role code and team names in both
/// languages, lower-cased once.
fn haystack(user: &User, teams: &[kappa_domain::Team]) -> String {
    let team = teams
        .iter()
        .find(|t| Some(t.id) == user.team_id)
        .map(|t| format!("{} {}", t.name.en, t.name.zh))
        .unwrap_or_default();
    format!(
        "{} {} {} {} {team}",
        user.display_name,
        user.username,
        user.agent_code.as_deref().unwrap_or_default(),
        user.role.code()
    )
    .to_lowercase()
}

/// The role matches in the reader's language too ("质检员", "reviewer").
fn user_matches(haystack: &str, role: kappa_domain::Role, wanted: &str) -> bool {
    let wanted = wanted.trim().to_lowercase();
    wanted.is_empty()
        || haystack.contains(&wanted)
        || labels::role(role).to_lowercase().contains(&wanted)
}
