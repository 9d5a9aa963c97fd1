//! Scorecards: what reviewers score calls against, with every published version kept.

pub mod editor;
mod form;
mod preview;
mod problems;
mod transfer;

use crate::components::state::{EmptyState, ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::scorecard::{PublishedVersion, ScorecardSummary};
use leptos::prelude::*;
use leptos_router::components::A;

crate::pages::lazy::split_page!(setup => ScorecardsPage);

#[component]
pub fn ScorecardsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let cards = LocalResource::new(move || async move { session.api().scorecards().await });
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, scorecards.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, scorecards.subtitle).to_string())>
            <A href="/scorecards/new" attr:class="button button-primary">"+ "{t!(i18n, scorecards.new)}</A>
        </PageHeader>
        <Suspense fallback=|| view! { <TableSkeleton rows=3/> }>
            {move || Suspend::new(async move {
                match cards.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState title=Signal::derive(move || t_string!(i18n, scorecards.empty_title).to_string())
                            body=Signal::derive(move || t_string!(i18n, scorecards.empty_body).to_string())/>
                    }.into_any(),
                    Ok(list) => view! { <ScorecardTable cards=list/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "v2 · 12 Oct 2026; v1 · 20 Aug 2026", with the date and the separator as the language
/// writes them.
fn version_history(versions: &[PublishedVersion]) -> String {
    let zh = format::is_zh();
    versions
        .iter()
        .map(|v| {
            let day = kappa_domain::time::parse_stamp(&v.published_at)
                .map(|at| kappa_domain::display::format_date(at.date(), zh))
                .unwrap_or_default();
            format!("v{} · {day}", v.version)
        })
        .collect::<Vec<_>>()
        .join(if zh { "；" } else { "; " })
}

#[component]
fn ScorecardTable(cards: Vec<ScorecardSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = cards
        .into_iter()
        .map(|card| {
            let status = move || match (card.archived, card.has_draft) {
                (true, _) => t_string!(i18n, scorecards.status_archived),
                (false, true) => t_string!(i18n, scorecards.status_draft),
                (false, false) => t_string!(i18n, scorecards.status_published),
            };
            let name = card.name.clone();
            let versions = card.versions.clone();
            view! {
                <tr>
                    <td><A href=format!("/scorecards/{}", card.id)>{move || name.pick(format::is_zh()).to_string()}</A></td>
                    <td class="num">{card.published_version.map(|v| format!("v{v}"))}</td>
                    <td class="num">{format::int(card.evaluations)}</td>
                    <td>{status}</td>
                    <td class="muted">{move || version_history(&versions)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, scorecards.col_name)}</th>
                        <th scope="col" class="num">{t!(i18n, scorecards.col_version)}</th>
                        <th scope="col" class="num">{t!(i18n, scorecards.col_evaluations)}</th>
                        <th scope="col">{t!(i18n, scorecards.col_status)}</th>
                        <th scope="col">{t!(i18n, scorecards.col_history)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
