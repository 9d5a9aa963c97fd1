//! The leads' list of disputes: open ones oldest first (overdue marked), closed ones newest
//! first, by reviewer; and each reviewer's raised and upheld counts.

use super::evaluation::{dispute_status, status_class};
use crate::components::state::{EmptyState, ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::display::format_percent;
use kappa_domain::review::{DisputeList, DisputeQuery, DisputeView};
use leptos::prelude::*;
use leptos_router::components::A;

crate::pages::lazy::split_page!(work => DisputesPage);

fn view_label(view: DisputeView) -> String {
    let i18n = use_i18n();
    match view {
        DisputeView::Open => t_string!(i18n, disputes.view_open),
        DisputeView::Overdue => t_string!(i18n, disputes.view_overdue),
        DisputeView::Closed => t_string!(i18n, disputes.view_closed),
        DisputeView::All => t_string!(i18n, disputes.view_all),
    }
    .to_string()
}

/// `view=open|overdue|closed|all&reviewer=ID`; anything else is the default (open, everyone's).
fn parse_query(search: &str) -> DisputeQuery {
    let mut query = DisputeQuery::default();
    for (key, value) in search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
    {
        match key {
            "view" => query.view = DisputeView::parse(value).unwrap_or_default(),
            "reviewer" => query.reviewer = value.parse().ok(),
            _ => {}
        }
    }
    query
}

#[component]
pub fn DisputesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // The view lives in the address, so "overdue disputes" can be bookmarked and shared.
    let search = crate::pages::query_of("/disputes");
    let navigate = leptos_router::hooks::use_navigate();
    let query = Memo::new(move |_| parse_query(&search.get()));
    let set_query = Callback::new(move |q: DisputeQuery| {
        let view = q.view.code();
        let reviewer = q
            .reviewer
            .map(|r| format!("&reviewer={r}"))
            .unwrap_or_default();
        navigate(
            &format!("/disputes?view={view}{reviewer}"),
            leptos_router::NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    });
    let list = LocalResource::new(move || {
        let q = query.get();
        async move { session.api().disputes(q).await }
    });
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, disputes.title).to_string()) subtitle=Signal::derive(move || t_string!(i18n, disputes.subtitle).to_string())/>
        <section class="card" aria-labelledby="dispute-filters">
            <h2 id="dispute-filters" class="visually-hidden">{t!(i18n, disputes.filters)}</h2>
            <div class="field-row field-row-compact">
                <div class="field">
                    <label for="dispute-view">{t!(i18n, disputes.show)}</label>
                    <select id="dispute-view" on:change=move |ev| {
                        let view = DisputeView::parse(&event_target_value(&ev)).unwrap_or_default();
                        set_query.run(DisputeQuery { view, ..query.get_untracked() });
                    }>
                        {DisputeView::ALL.into_iter().map(|v| view! {
                            <option value=v.code() selected=move || query.get().view == v>{move || view_label(v)}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
        </section>
        <Suspense fallback=|| view! { <TableSkeleton rows=6/> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <DisputeTables list query set_query/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DisputeTables(
    list: DisputeList,
    query: Memo<DisputeQuery>,
    set_query: Callback<DisputeQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let DisputeList {
        disputes,
        by_reviewer,
        policy,
    } = list;
    let reviewer = query.get_untracked().reviewer;
    let filter_note = reviewer
        .and_then(|id| by_reviewer.iter().find(|r| r.reviewer_id == id))
        .map(|r| r.reviewer.clone());
    let table = if disputes.is_empty() {
        let view = query.get_untracked().view;
        view! { <EmptyState title=Signal::derive(move || t_string!(i18n, disputes.empty_title, view = view_label(view)).to_string()) body=Signal::derive(move || t_string!(i18n, disputes.empty_body).to_string())/> }.into_any()
    } else {
        let rows = disputes
            .into_iter()
            .map(|line| {
                let d = &line.dispute;
                let status = line.status;
                let evaluation = d.evaluation_id;
                let due = if status == kappa_domain::review::DisputeStatus::Open {
                    let text = format::datetime(line.ruling_due);
                    Some(view! { <span class:overdue=line.overdue>{text}{line.overdue.then(|| view! { " " <span class="tag tag-danger">{move || t_string!(i18n, disputes.overdue)}</span> })}</span> })
                } else {
                    None
                };
                view! {
                    <tr class:row-overdue=line.overdue>
                        <td><A href=format!("/evaluations/{evaluation}") attr:aria-label=move || t_string!(i18n, evaluation.open, id = evaluation).to_string()>{format!("#{evaluation}")}</A></td>
                        <td>{line.agent.clone()}</td>
                        <td>{line.reviewer.clone()}</td>
                        <td class="nowrap">{format::datetime(d.raised_at)}</td>
                        <td class="num">{d.points.len()}</td>
                        <td class="num">{format_percent(line.score / 100.0)}</td>
                        <td><span class=status_class(status)>{dispute_status(status)}</span></td>
                        <td class="nowrap">{due}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="disputes">
                    <thead><tr>
                        <th scope="col">{t!(i18n, disputes.col_evaluation)}</th>
                        <th scope="col">{t!(i18n, evaluation.agent)}</th>
                        <th scope="col">{t!(i18n, evaluation.reviewer)}</th>
                        <th scope="col">{t!(i18n, disputes.col_raised)}</th>
                        <th scope="col" class="num">{t!(i18n, disputes.col_points)}</th>
                        <th scope="col" class="num">{t!(i18n, evaluation.col_score)}</th>
                        <th scope="col">{t!(i18n, disputes.col_status)}</th>
                        <th scope="col">{t!(i18n, disputes.col_due)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let reviewers = by_reviewer
        .into_iter()
        .map(|r| {
            let id = r.reviewer_id;
            let rate = if r.raised == 0 { "–".to_string() } else { format_percent(f64::from(r.upheld) / f64::from(r.raised)) };
            let name = r.reviewer.clone();
            view! {
                <tr>
                    <th scope="row">
                        <button type="button" class="link-button" on:click=move |_| set_query.run(DisputeQuery { reviewer: Some(id), view: DisputeView::All })
                            aria-label=move || t_string!(i18n, disputes.only_reviewer, name = name.clone()).to_string()>{r.reviewer.clone()}</button>
                    </th>
                    <td class="num">{r.raised}</td>
                    <td class="num">{r.upheld}</td>
                    <td class="num">{rate}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="dispute-list-title">
            <h2 id="dispute-list-title">{t!(i18n, disputes.list_title)}</h2>
            {filter_note.map(|name| view! {
                <p>{t_string!(i18n, disputes.filtered, name = name).to_string()}" "
                    <button type="button" class="link-button" on:click=move |_| set_query.run(DisputeQuery { reviewer: None, ..query.get_untracked() })>{t!(i18n, disputes.clear_filter)}</button></p>
            })}
            <p class="hint">{t_string!(i18n, disputes.policy, window = policy.window_days, limit = policy.limit, period = policy.period_days, ruling = policy.ruling_days).to_string()}</p>
            {table}
        </section>
        <section class="card" aria-labelledby="by-reviewer-title">
            <h2 id="by-reviewer-title">{t!(i18n, disputes.by_reviewer)}</h2>
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, evaluation.reviewer)}</th>
                        <th scope="col" class="num">{t!(i18n, disputes.raised)}</th>
                        <th scope="col" class="num">{t!(i18n, disputes.upheld)}</th>
                        <th scope="col" class="num">{t!(i18n, disputes.upheld_rate)}</th>
                    </tr></thead>
                    <tbody>{reviewers}</tbody>
                </table>
            </div>
        </section>
    }
}
