//! The results table and its pager.

use crate::components::labels;
use crate::components::state::EmptyState;
use crate::format;
use crate::i18n::*;
use kappa_domain::api::Directory;
use kappa_domain::display;
use kappa_domain::{Call, CallQuery, CallSort, Page, SortDir, SortField};
use leptos::prelude::*;

#[component]
pub fn CallTable(
    page: Page<Call>,
    directory: Signal<Directory>,
    query: Memo<CallQuery>,
    set_query: Callback<CallQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        return view! {
            <EmptyState title=Signal::derive(move || t_string!(i18n, calls.empty_title).to_string())
                body=Signal::derive(move || t_string!(i18n, calls.empty_body).to_string())/>
        }
        .into_any();
    }
    // The rows are plain values, drawn again as a whole when the language or the directory
    // changes: one reactive scope for the table instead of several per cell keeps the first
    // render of a page of calls inside one short task on a phone.
    let items = StoredValue::new(page.items);
    let rows = move || {
        let zh = i18n.get_locale() == Locale::zh_CN;
        let no_survey = t_string!(i18n, calls.no_survey);
        let complaint = t_string!(i18n, calls.complaint_flag);
        let recorded = t_string!(i18n, calls.recorded);
        directory.with(|d| {
            let agent_name = |id| {
                d.users
                    .iter()
                    .find(|u| u.id == id)
                    .map_or("", |u| u.display_name.as_str())
            };
            let team_name = |id| d.teams.iter().find(|t| t.id == id).map_or("", |t| t.name.get(zh));
            items.with_value(|calls| {
                calls
                    .iter()
                    .map(|call| {
                        view! {
                            <tr>
                                <td class="nowrap"><a href=format!("/calls/{}", call.id)>{display::format_datetime(call.started_at, zh)}</a></td>
                                <td>{agent_name(call.agent_id).to_string()}</td>
                                <td class="muted">{team_name(call.team_id).to_string()}</td>
                                <td>{let queue = call.queue.clone(); move || labels::queue(&queue)}</td>
                                <td>{labels::direction(call.direction)}</td>
                                <td class="num">{format::duration(call.duration_s)}</td>
                                <td>{let outcome = call.disposition.clone(); move || labels::disposition(&outcome)}</td>
                                <td class="num">{match call.csat {
                                    Some(score) => view! { <span class=format!("csat csat-{score}")>{score}</span> }.into_any(),
                                    None => view! { <span class="muted" title=no_survey>"–"<span class="visually-hidden">{no_survey}</span></span> }.into_any(),
                                }}</td>
                                <td class="flags">
                                    {call.complaint.then(|| view! { <span class="tag tag-danger"><span aria-hidden="true">"⚑ "</span>{complaint}</span> })}
                                    {call.recording.is_some().then(|| view! { <span class="tag"><span aria-hidden="true">"▶ "</span>{recorded}</span> })}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead>
                    <tr>
                        <SortHeader field=SortField::StartedAt label=Signal::derive(move || t_string!(i18n, calls.col_started).to_string()) query set_query/>
                        <th scope="col">{t!(i18n, calls.col_agent)}</th>
                        <th scope="col">{t!(i18n, calls.col_team)}</th>
                        <th scope="col">{t!(i18n, calls.col_queue)}</th>
                        <th scope="col">{t!(i18n, calls.col_direction)}</th>
                        <SortHeader field=SortField::Duration numeric=true label=Signal::derive(move || t_string!(i18n, calls.col_duration).to_string()) query set_query/>
                        <th scope="col">{t!(i18n, calls.col_disposition)}</th>
                        <SortHeader field=SortField::Csat numeric=true label=Signal::derive(move || t_string!(i18n, calls.col_csat).to_string()) query set_query/>
                        <th scope="col">{t!(i18n, calls.col_flags)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A column header that sorts by its field; a second press flips the direction.
#[component]
fn SortHeader(
    field: SortField,
    label: Signal<String>,
    #[prop(optional)] numeric: bool,
    query: Memo<CallQuery>,
    set_query: Callback<CallQuery>,
) -> impl IntoView {
    let current = move || query.with(|q| (q.sort.field == field).then_some(q.sort.dir));
    let aria_sort = move || match current() {
        Some(SortDir::Asc) => Some("ascending"),
        Some(SortDir::Desc) => Some("descending"),
        None => None,
    };
    let arrow = move || match current() {
        Some(SortDir::Asc) => "↑",
        Some(SortDir::Desc) => "↓",
        None => "↕",
    };
    let press = move |_| {
        let q = query.get_untracked();
        let dir = match current() {
            Some(SortDir::Desc) => SortDir::Asc,
            _ => SortDir::Desc,
        };
        set_query.run(CallQuery {
            sort: CallSort { field, dir },
            page: 1,
            ..q
        });
    };
    view! {
        <th scope="col" class:num=numeric aria-sort=aria_sort>
            <button type="button" class="sort-button" on:click=press>
                {label}<span class="sort-arrow" aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}

#[component]
pub fn Pager(
    page: Page<Call>,
    query: Memo<CallQuery>,
    set_query: Callback<CallQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pages = page.page_count();
    let current = page.page;
    let total = page.total;
    let (at_first, at_last) = (current <= 1, current >= pages);
    let go = move |to: u32| {
        set_query.run(CallQuery {
            page: to,
            ..query.get_untracked()
        })
    };
    view! {
        <div class="pager">
            <strong class="result-count" role="status">{move || t_string!(i18n, calls.count, count = format::int(total)).to_string()}</strong>
            <div class="pager-controls">
                <label for="page-size">{t!(i18n, calls.page_size)}</label>
                <select id="page-size" on:change=move |ev| {
                    let size = event_target_value(&ev).parse().unwrap_or(kappa_domain::call_query::DEFAULT_PAGE_SIZE);
                    set_query.run(CallQuery { page_size: size, page: 1, ..query.get_untracked() });
                }>
                    {[25u32, 50, 100].into_iter().map(|n| view! { <option value=n.to_string() selected=move || query.get().page_size == n>{n}</option> }).collect_view()}
                </select>
                <button type="button" class="button" disabled=at_first on:click=move |_| go(current - 1) title="[">
                    <span aria-hidden="true">"‹ "</span>{t!(i18n, calls.prev)}
                </button>
                <span class="page-of">{move || t_string!(i18n, calls.page_of, page = format::int(current), pages = format::int(pages)).to_string()}</span>
                <button type="button" class="button" disabled=at_last on:click=move |_| go(current + 1) title="]">
                    {t!(i18n, calls.next)}<span aria-hidden="true">" ›"</span>
                </button>
            </div>
        </div>
    }
}
