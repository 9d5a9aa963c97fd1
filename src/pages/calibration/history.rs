//! Each reviewer's alignment with the reference across revealed sessions: leads see every
//! reviewer, a reviewer sees their own. The table is the record; the chart draws the same points.

use crate::components::state::{EmptyState, ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::calibration::AlignmentPoint;
use kappa_domain::UserId;
use leptos::prelude::*;
use leptos_router::components::A;

crate::pages::lazy::split_page!(work => HistoryPage);

#[component]
pub fn HistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let points = LocalResource::new(move || async move { session.api().alignment_history().await });
    view! {
        <p class="breadcrumb"><A href="/calibration"><span aria-hidden="true">"← "</span>{t!(i18n, calibration.back)}</A></p>
        <PageHeader title=Signal::derive(move || t_string!(i18n, calibration.history_title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, calibration.history_subtitle).to_string())/>
        <Suspense fallback=|| view! { <TableSkeleton rows=5/> }>
            {move || Suspend::new(async move {
                match points.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState title=Signal::derive(move || t_string!(i18n, calibration.history_empty_title).to_string())
                            body=Signal::derive(move || t_string!(i18n, calibration.history_empty_body).to_string())/>
                    }.into_any(),
                    Ok(list) => view! { <Trends points=list/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Colours for the chart's lines, told apart without relying on hue alone by the table beside it.
const SERIES: [&str; 6] = [
    "#2f6fcb", "#c2571a", "#2b8a57", "#8a3ab9", "#b3261e", "#5f6b7a",
];

#[component]
fn Trends(points: Vec<AlignmentPoint>) -> impl IntoView {
    let i18n = use_i18n();
    // Sessions in the order they were revealed; reviewers in the order they first appear.
    let mut sessions: Vec<(u32, kappa_domain::LocalizedText, chrono::NaiveDateTime)> = Vec::new();
    let mut people: Vec<(UserId, String)> = Vec::new();
    for p in &points {
        if !sessions.iter().any(|s| s.0 == p.session_id) {
            sessions.push((p.session_id, p.title.clone(), p.revealed_at));
        }
        if !people.iter().any(|u| u.0 == p.user_id) {
            people.push((p.user_id, p.name.clone()));
        }
    }
    let at = |user: UserId, session: u32| {
        points
            .iter()
            .find(|p| p.user_id == user && p.session_id == session)
    };
    // The card's width at 1366 px, so the chart fills it; the bottom band holds the session dates.
    let (width, height, pad, axis) = (1000.0_f64, 260.0_f64, 40.0_f64, 28.0_f64);
    let x = |i: usize| {
        pad + if sessions.len() > 1 {
            i as f64 * (width - 2.0 * pad) / (sessions.len() - 1) as f64
        } else {
            (width - 2.0 * pad) / 2.0
        }
    };
    // Alignment from 50 % to 100 %: below half, a scorer is not calibrated at all.
    let y =
        |a: f64| 16.0 + (1.0 - ((a - 0.5) / 0.5).clamp(0.0, 1.0)) * (height - 16.0 - axis - 8.0);
    let lines = people
        .iter()
        .enumerate()
        .map(|(n, (user, _))| {
            let coords: Vec<(f64, f64)> = sessions.iter().enumerate().filter_map(|(i, s)| at(*user, s.0).and_then(|p| p.alignment).map(|a| (x(i), y(a)))).collect();
            let path = coords.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
            let colour = SERIES[n % SERIES.len()];
            view! {
                <g>
                    <polyline points=path fill="none" stroke=colour stroke-width="2"/>
                    {coords.into_iter().map(|(cx, cy)| view! { <circle cx=format!("{cx:.1}") cy=format!("{cy:.1}") r="4" fill=colour/> }).collect_view()}
                </g>
            }
        })
        .collect_view();
    let grid = [0.5, 0.75, 1.0]
        .into_iter()
        .map(|a| view! {
            <line x1=pad y1=y(a) x2=width - pad y2=y(a) stroke="#d8dde4"/>
            <text x="0" y=y(a) + 4.0 font-size="13" fill="#5f6b7a">{format!("{:.0}%", a * 100.0)}</text>
        })
        .collect_view();
    // Each session is labelled under its point by the day it was revealed, as the table heads it.
    let last = sessions.len().saturating_sub(1);
    let session_axis = sessions
        .iter()
        .enumerate()
        .map(|(i, (_, _, revealed))| {
            let revealed = *revealed;
            // The outer dates align with the chart's edges instead of running past them.
            let (anchor, at) = match i {
                0 if last > 0 => ("start", x(i) - 6.0),
                i if i == last && last > 0 => ("end", x(i) + 6.0),
                _ => ("middle", x(i)),
            };
            view! {
                <line x1=x(i) y1=y(1.0) x2=x(i) y2=y(0.5) stroke="#eef1f5"/>
                <text x=at y=height - 8.0 font-size="13" fill="#5f6b7a" text-anchor=anchor>{move || format::date(revealed.date())}</text>
            }
        })
        .collect_view();
    let legend = people
        .iter()
        .enumerate()
        .map(|(n, (_, name))| view! { <li><svg width="14" height="10" aria-hidden="true"><rect width="14" height="10" fill=SERIES[n % SERIES.len()]/></svg>" "{name.clone()}</li> })
        .collect_view();
    let header = sessions
        .iter()
        .map(|(id, title, revealed)| {
            let (id, title, revealed) = (*id, title.clone(), *revealed);
            view! { <th scope="col"><A href=format!("/calibration/{id}")>{move || title.pick(format::is_zh()).to_string()}</A><br/><span class="muted">{move || format::date(revealed.date())}</span></th> }
        })
        .collect_view();
    let rows = people
        .iter()
        .map(|(user, name)| {
            let cells = sessions
                .iter()
                .map(|s| match at(*user, s.0) {
                    Some(p) => {
                        let alignment = p.alignment.map(kappa_domain::display::format_percent).unwrap_or_else(|| "—".into());
                        let deviation = p.deviation.map(|d| format!("{d:+.1}")).unwrap_or_default();
                        view! {
                            <td class="num" class:flagged=p.flagged>
                                {alignment}<br/><span class="muted">{deviation}</span>
                                {p.flagged.then(|| view! { " " <span class="tag tag-danger">{t!(i18n, calibration.flagged)}</span> })}
                            </td>
                        }
                        .into_any()
                    }
                    None => view! { <td class="num muted">"—"</td> }.into_any(),
                })
                .collect_view();
            view! { <tr><th scope="row">{name.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="trend-title">
            <h2 id="trend-title">{t!(i18n, calibration.trend_title)}</h2>
            <p class="hint">{t!(i18n, calibration.trend_hint)}</p>
            <svg class="trend-chart" viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby="trend-title">{session_axis}{grid}{lines}</svg>
            <ul class="trend-legend">{legend}</ul>
        </section>
        // The table's scroll region is the landmark: a labelled section around it would repeat it.
        <section class="card">
            <h2 id="trend-table-title">{t!(i18n, calibration.trend_table)}</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="trend-table-title">
                <table class="data-table">
                    <thead><tr><th scope="col">{t!(i18n, calibration.scorer)}</th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
