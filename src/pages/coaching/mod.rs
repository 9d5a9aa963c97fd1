//! The lead's team view: one row per agent of the teams they lead (every agent for an admin),
//! with the QA score and pass rate and their intervals, the weekly trend, open and overdue
//! action items, what waits for the agent's acknowledgement, and when they were last coached.
//! Sort and filter live in the address; each agent opens their drill-down.

pub mod agent;
pub mod session;

use crate::components::estimate::PassRate;
use crate::components::progress::{ScoreEstimate, Sparkline};
use crate::components::state::{EmptyState, ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::coaching::{AgentRow, TeamView};
use leptos::prelude::*;
use leptos_router::components::A;

crate::pages::lazy::split_page!(me => CoachingPage);

kappa_domain::coded! {
    /// How the rows are ordered, as the address spells it.
    #[derive(Default)]
    enum Sort {
        #[default]
        Attention => "attention",
        Name => "name",
        Score => "score",
        PassRate => "pass_rate",
        LastCoached => "last_coached",
    }
}

impl Sort {
    fn label(self) -> String {
        let i18n = use_i18n();
        match self {
            Sort::Attention => t_string!(i18n, coaching.sort_attention),
            Sort::Name => t_string!(i18n, coaching.sort_name),
            Sort::Score => t_string!(i18n, coaching.sort_score),
            Sort::PassRate => t_string!(i18n, coaching.sort_pass_rate),
            Sort::LastCoached => t_string!(i18n, coaching.sort_last_coached),
        }
        .to_string()
    }

    fn apply(self, rows: &mut [AgentRow]) {
        let value = |e: &Option<kappa_domain::stats::Estimate>| e.map_or(f64::MAX, |e| e.value);
        match self {
            // What needs the lead first: overdue items, then what waits longest.
            Sort::Attention => rows.sort_by(|a, b| {
                b.overdue_actions
                    .cmp(&a.overdue_actions)
                    .then(
                        a.waiting_since
                            .unwrap_or(chrono::NaiveDateTime::MAX)
                            .cmp(&b.waiting_since.unwrap_or(chrono::NaiveDateTime::MAX)),
                    )
                    .then(a.agent.cmp(&b.agent))
            }),
            Sort::Name => rows.sort_by(|a, b| a.agent.cmp(&b.agent)),
            Sort::Score => rows.sort_by(|a, b| value(&a.score).total_cmp(&value(&b.score))),
            Sort::PassRate => {
                rows.sort_by(|a, b| value(&a.pass_rate).total_cmp(&value(&b.pass_rate)))
            }
            Sort::LastCoached => rows.sort_by_key(|r| r.last_coached),
        }
    }
}

#[derive(Clone, Default, PartialEq)]
struct TeamQuery {
    sort: Sort,
    /// Part of an agent's name.
    name: String,
    /// Only agents with something overdue or waiting.
    attention: bool,
}

fn parse(search: &str) -> TeamQuery {
    let mut q = TeamQuery::default();
    for (key, value) in search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|p| p.split_once('='))
    {
        let value = js_sys::decode_uri_component(value)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        match key {
            "sort" => q.sort = Sort::parse(&value).unwrap_or_default(),
            "name" => q.name = value,
            "attention" => q.attention = value == "1",
            _ => {}
        }
    }
    q
}

fn address(q: &TeamQuery) -> String {
    let mut parts = vec![format!("sort={}", q.sort.code())];
    if !q.name.is_empty() {
        parts.push(format!(
            "name={}",
            String::from(js_sys::encode_uri_component(&q.name))
        ));
    }
    if q.attention {
        parts.push("attention=1".into());
    }
    format!("/coaching?{}", parts.join("&"))
}

#[component]
pub fn CoachingPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let search = crate::pages::query_of("/coaching");
    let query = Memo::new(move |_| parse(&search.get()));
    let navigate = leptos_router::hooks::use_navigate();
    let set_query = Callback::new(move |q: TeamQuery| {
        navigate(
            &address(&q),
            leptos_router::NavigateOptions {
                scroll: false,
                replace: true,
                ..Default::default()
            },
        );
    });
    let team = LocalResource::new(move || async move { session.api().coaching_team(30).await });
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, coaching.title).to_string()) subtitle=Signal::derive(move || t_string!(i18n, coaching.subtitle).to_string())/>
        <Suspense fallback=|| view! { <TableSkeleton rows=8/> }>
            {move || Suspend::new(async move {
                match team.await {
                    Ok(team) if team.rows.is_empty() => view! {
                        <EmptyState title=Signal::derive(move || t_string!(i18n, coaching.no_agents_title).to_string())
                            body=Signal::derive(move || t_string!(i18n, coaching.no_agents_body).to_string())/>
                    }.into_any(),
                    Ok(team) => view! { <Waiting team=team.clone()/><TeamTable team query set_query/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Held sessions the agent has not acknowledged, oldest first, with how long each has waited.
#[component]
fn Waiting(team: TeamView) -> impl IntoView {
    let i18n = use_i18n();
    if team.waiting.is_empty() {
        return ().into_any();
    }
    let today = team.today;
    let items = team
        .waiting
        .into_iter()
        .map(|w| {
            let days = (today - w.delivered_at.date()).num_days().max(0);
            view! {
                <li><A href=format!("/coaching/sessions/{}", w.id)>{w.agent.clone()}</A>
                    <span class="muted">" " {move || t_string!(i18n, coaching.waiting_for, days = days).to_string()}</span></li>
            }
        })
        .collect_view();
    view! {
        <section class="card calibration-waiting" aria-labelledby="waiting-title" data-testid="waiting">
            <h2 id="waiting-title">{t!(i18n, coaching.waiting_title)}</h2>
            <ul>{items}</ul>
        </section>
    }
    .into_any()
}

#[component]
fn TeamTable(
    team: TeamView,
    query: Memo<TeamQuery>,
    set_query: Callback<TeamQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let days = team.days;
    let all = StoredValue::new(team.rows);
    let rows = move || {
        let q = query.get();
        let needle = q.name.to_lowercase();
        let mut rows: Vec<AgentRow> = all.with_value(|rows| {
            rows.iter()
                .filter(|r| needle.is_empty() || r.agent.to_lowercase().contains(&needle))
                .filter(|r| !q.attention || r.overdue_actions > 0 || r.unacknowledged > 0)
                .cloned()
                .collect()
        });
        q.sort.apply(&mut rows);
        rows
    };
    let sort_options = Sort::ALL
        .into_iter()
        .map(|s| view! { <option value=s.code() selected=move || query.get().sort == s>{move || s.label()}</option> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="team-title">
            <h2 id="team-title">{move || t_string!(i18n, coaching.team_title, days = days).to_string()}</h2>
            <div class="field-row field-row-compact filters">
                <div class="field">
                    <label for="team-name">{t!(i18n, coaching.filter_name)}</label>
                    <input id="team-name" type="search" prop:value=move || query.get().name
                        on:change=move |ev| set_query.run(TeamQuery { name: event_target_value(&ev), ..query.get_untracked() })/>
                </div>
                <div class="field">
                    <label for="team-sort">{t!(i18n, coaching.sort)}</label>
                    <select id="team-sort" on:change=move |ev| {
                        let code = event_target_value(&ev);
                        let sort = Sort::parse(&code).unwrap_or_default();
                        set_query.run(TeamQuery { sort, ..query.get_untracked() });
                    }>{sort_options}</select>
                </div>
                <label class="field-check">
                    <input type="checkbox" prop:checked=move || query.get().attention
                        on:change=move |ev| set_query.run(TeamQuery { attention: event_target_checked(&ev), ..query.get_untracked() })/>
                    {t!(i18n, coaching.filter_attention)}
                </label>
            </div>
            <div class="table-wrap" tabindex="0" role="group" aria-labelledby="team-title">
                <table class="data-table team-table" data-testid="team-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, coaching.col_agent)}</th>
                        <th scope="col">{t!(i18n, coaching.col_score)}</th>
                        <th scope="col">{t!(i18n, coaching.col_trend)}</th>
                        <th scope="col">{t!(i18n, coaching.col_pass_rate)}</th>
                        <th scope="col" class="num">{t!(i18n, coaching.col_actions)}</th>
                        <th scope="col" class="num">{t!(i18n, coaching.col_waiting)}</th>
                        <th scope="col">{t!(i18n, coaching.col_last_coached)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=rows key=|r| (r.agent_id, r.unacknowledged, r.open_actions) let:r>
                            <TeamRow row=r/>
                        </For>
                    </tbody>
                </table>
            </div>
            <p class="muted" hidden=move || !rows().is_empty()>{t!(i18n, coaching.none_in_view)}</p>
        </section>
    }
}

#[component]
fn TeamRow(row: AgentRow) -> impl IntoView {
    let i18n = use_i18n();
    let overdue = row.overdue_actions;
    let late = overdue > 0;
    view! {
        <tr class:row-overdue=late data-testid="team-row">
            <th scope="row"><A href=format!("/coaching/agents/{}", row.agent_id)>{row.agent.clone()}</A></th>
            <td><ScoreEstimate estimate=row.score n=row.n/></td>
            <td><Sparkline points=row.sparkline.clone()/></td>
            <td><PassRate estimate=row.pass_rate n=row.n/></td>
            <td class="num">
                {move || t_string!(i18n, coaching.open_count, n = row.open_actions).to_string()}
                {(overdue > 0).then(|| view! { <br/><span class="tag tag-danger">{move || t_string!(i18n, coaching.overdue_count, n = overdue).to_string()}</span> })}
            </td>
            <td class="num">
                {row.unacknowledged}
                {row.waiting_since.map(|at| view! { <br/><span class="muted">{move || t_string!(i18n, coaching.since, at = format::date(at.date())).to_string()}</span> })}
            </td>
            <td>{move || row.last_coached.map(|at| format::date(at.date())).unwrap_or_else(|| t_string!(i18n, coaching.never).to_string())}</td>
        </tr>
    }
}
