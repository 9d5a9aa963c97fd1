//! An agent's QA progress as the agent and their coach read it: the score and pass rate with
//! their intervals, the score over time with its interval band, and the criteria failed most
//! and least, each rate with its n (or "not enough calls yet").

use crate::components::estimate::{percent, PassRate};
use crate::format;
use crate::i18n::*;
use kappa_domain::coaching::AgentCoaching;
use kappa_domain::progress::{CriterionRate, Grain, Trend};
use kappa_domain::stats::Estimate;
use leptos::prelude::*;

/// A mean score with its interval, or why there is none.
#[component]
pub fn ScoreEstimate(estimate: Option<Estimate>, n: u32) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        match estimate {
        Some(e) => view! {
            <span class="estimate">
                <strong>{format!("{:.1}", e.value)}</strong>
                " "
                <span class="muted">{t_string!(i18n, estimate.interval, low = format!("{:.1}", e.low), high = format!("{:.1}", e.high), n = e.n).to_string()}</span>
            </span>
        }
        .into_any(),
        None if n == 0 => view! { <span class="muted">{t_string!(i18n, estimate.none)}</span> }.into_any(),
        None => view! { <span class="muted">{t_string!(i18n, estimate.not_enough, n = n).to_string()}</span> }.into_any(),
    }
    }
}

/// The agent's numbers over the period, for the agent or their coach.
#[component]
pub fn ProgressSummary(data: AgentCoaching) -> impl IntoView {
    let i18n = use_i18n();
    let (n, days) = (data.n, data.days);
    let weakest: Vec<CriterionRate> = data
        .criteria
        .iter()
        .filter(|c| c.rate.rate.is_some_and(|r| r.value > 0.0))
        .take(3)
        .cloned()
        .collect();
    let mut strongest: Vec<CriterionRate> = data
        .criteria
        .iter()
        .filter(|c| c.rate.rate.is_some())
        .cloned()
        .collect();
    strongest.reverse();
    strongest.truncate(3);
    let thin: Vec<CriterionRate> = data
        .criteria
        .iter()
        .filter(|c| c.rate.rate.is_none())
        .cloned()
        .collect();
    view! {
        <section class="card" aria-labelledby="progress-title" data-testid="progress">
            <h2 id="progress-title">{t!(i18n, progress.title)}</h2>
            <p class="hint">{move || t_string!(i18n, progress.period, days = days).to_string()}</p>
            <dl class="stat-strip">
                <div class="stat"><dt>{t!(i18n, progress.score)}</dt><dd><ScoreEstimate estimate=data.score n=n/></dd></div>
                <div class="stat"><dt>{t!(i18n, progress.pass_rate)}</dt><dd><PassRate estimate=data.pass_rate n=n/></dd></div>
            </dl>
            <TrendChart trend=data.trend/>
            <div class="criteria-columns">
                <CriterionList title=Signal::derive(move || t_string!(i18n, progress.weakest).to_string()) rates=weakest id="weakest"/>
                <CriterionList title=Signal::derive(move || t_string!(i18n, progress.strongest).to_string()) rates=strongest id="strongest"/>
            </div>
            {(!thin.is_empty()).then(|| {
                let names = thin.iter().map(|c| c.label.pick(format::is_zh()).to_string()).collect::<Vec<_>>();
                view! { <p class="hint">{move || t_string!(i18n, progress.not_enough_yet, criteria = names.join(", ")).to_string()}</p> }
            })}
        </section>
    }
}

#[component]
fn CriterionList(
    title: Signal<String>,
    rates: Vec<CriterionRate>,
    id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let empty = rates.is_empty();
    let items = rates
        .into_iter()
        .map(|c| {
            let rate = c.rate.rate;
            view! {
                <li>
                    <span>{move || c.label.pick(format::is_zh()).to_string()}</span>
                    " "
                    <span class="muted nowrap">{move || match rate {
                        Some(e) => t_string!(i18n, progress.fails, rate = percent(e.value), low = percent(e.low), high = percent(e.high), n = e.n).to_string(),
                        None => String::new(),
                    }}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div data-testid=format!("criteria-{id}")>
            <h3>{title}</h3>
            {if empty {
                view! { <p class="muted">{t!(i18n, progress.no_criteria)}</p> }.into_any()
            } else {
                view! { <ol class="criterion-rates">{items}</ol> }.into_any()
            }}
        </div>
    }
}

/// The mean score per week or month with its 95 % band; a point with too few calls is left
/// out of the line and said so in the table beside it.
#[component]
pub fn TrendChart(trend: Trend) -> impl IntoView {
    let i18n = use_i18n();
    let (width, height, left, top, bottom) = (640.0, 200.0, 56.0, 10.0, 34.0);
    let plot_h = height - top - bottom;
    let count = trend.points.len().max(1) as f64;
    let step = (width - left - 10.0) / count;
    let x = move |i: usize| left + step * (i as f64 + 0.5);
    let y = move |v: f64| top + plot_h * (1.0 - (v / 100.0).clamp(0.0, 1.0));
    let grid = [0.0, 50.0, 100.0]
        .into_iter()
        .map(|v| {
            view! {
                <line x1=left x2=width - 10.0 y1=y(v) y2=y(v) class="grid-line"/>
                <text x=left - 6.0 y=y(v) + 4.0 text-anchor="end" class="axis-label">{format!("{v:.0}")}</text>
            }
        })
        .collect_view();
    let month = trend.grain == Grain::Month;
    // On a phone the labels are drawn larger; every other one makes room for them.
    let crowded = trend.points.len() > 6;
    let labels = trend
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let start = p.start;
            let class = if crowded && i % 2 == 1 { "axis-label minor" } else { "axis-label" };
            view! { <text x=x(i) y=height - 8.0 text-anchor="middle" class=class>{move || short_date(start, month)}</text> }
        })
        .collect_view();
    let bands = trend
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.score.map(|e| (i, e)))
        .map(|(i, e)| view! { <rect x=x(i) - step * 0.2 width=step * 0.4 y=y(e.high) height=(y(e.low) - y(e.high)).max(1.0) class="band"/> })
        .collect_view();
    let line: String = trend
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.score.map(|e| format!("{:.1},{:.1}", x(i), y(e.value))))
        .collect::<Vec<_>>()
        .join(" ");
    let dots = trend
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.score.map(|e| (i, e)))
        .map(|(i, e)| view! { <circle cx=x(i) cy=y(e.value) r="3.5" class="dot"/> })
        .collect_view();
    let rows = trend
        .points
        .iter()
        .map(|p| {
            let (start, n, score) = (p.start, p.n, p.score);
            view! {
                <tr>
                    <th scope="row">{move || short_date(start, month)}</th>
                    <td class="num">{n}</td>
                    <td>{move || match score {
                        Some(e) => format!("{:.1} ({:.1}–{:.1})", e.value, e.low, e.high),
                        None => t_string!(i18n, progress.point_not_enough).to_string(),
                    }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="trend">
            <svg class="trend-chart" viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby="score-trend-title score-trend-desc">
                <title id="score-trend-title">{move || if month { t_string!(i18n, progress.trend_month) } else { t_string!(i18n, progress.trend_week) }}</title>
                <desc id="score-trend-desc">{t!(i18n, progress.trend_desc)}</desc>
                {grid}{labels}{bands}
                <polyline points=line class="trend-line" fill="none"/>
                {dots}
            </svg>
            <details>
                <summary>{t!(i18n, progress.as_table)}</summary>
                <div class="table-wrap" tabindex="0" role="group" aria-labelledby="score-trend-title">
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">{move || if month { t_string!(i18n, progress.month) } else { t_string!(i18n, progress.week) }}</th>
                            <th scope="col" class="num">"n"</th>
                            <th scope="col">{t!(i18n, progress.score_interval)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

/// A week's first day or a month, short.
fn short_date(day: chrono::NaiveDate, month: bool) -> String {
    kappa_domain::display::format_period_start(day, month, format::is_zh())
}

/// Weekly mean scores as a small line, for a table row; the numbers are in its title.
#[component]
pub fn Sparkline(points: Vec<Option<f64>>) -> impl IntoView {
    let (w, h) = (80.0, 22.0);
    let step = w / (points.len().max(2) - 1) as f64;
    let line: String = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            p.map(|v| {
                format!(
                    "{:.1},{:.1}",
                    i as f64 * step,
                    h - 2.0 - (h - 4.0) * (v / 100.0).clamp(0.0, 1.0)
                )
            })
        })
        .collect::<Vec<_>>()
        .join(" ");
    let words = points
        .iter()
        .map(|p| p.map(|v| format!("{v:.0}")).unwrap_or_else(|| "–".into()))
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <svg class="sparkline" viewBox=format!("0 0 {w} {h}") width=w height=h aria-hidden="true">
            <polyline points=line fill="none"/>
        </svg>
        <span class="visually-hidden">{words}</span>
    }
}
