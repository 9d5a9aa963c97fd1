//! The reveal's report on screen (and in print): each scorer's alignment and deviation, each
//! call's answers against the reference with its spread, and the agreement statistics with their
//! reading bands. Everything shown is computed by the domain (`calibration::session_report`).

use crate::components::labels;
use crate::components::score::title_or_key;
use crate::format;
use crate::i18n::*;
use kappa_domain::agreement::{Agreement, AlphaBand, IccBand, KappaBand, Level, Undefined};
use kappa_domain::calibration::{ReferenceKind, SessionReport, SessionView};
use kappa_domain::scorecard::Criterion;
use kappa_domain::UserId;
use leptos::prelude::*;
use leptos_router::components::A;

pub fn criteria(view: &SessionView) -> Vec<Criterion> {
    view.version
        .definition
        .sections
        .iter()
        .flat_map(|s| s.criteria.iter().cloned())
        .collect()
}

pub fn name_of(view: &SessionView, user: UserId) -> String {
    view.progress
        .iter()
        .find(|p| p.user_id == user)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| format!("#{user}"))
}

pub fn level_label(level: Level) -> &'static str {
    let i18n = use_i18n();
    match level {
        Level::Nominal => t_string!(i18n, calibration.level_nominal),
        Level::Ordinal => t_string!(i18n, calibration.level_ordinal),
        Level::Interval => t_string!(i18n, calibration.level_interval),
        Level::Ratio => t_string!(i18n, calibration.level_ratio),
    }
}

pub fn reference_label(kind: ReferenceKind) -> &'static str {
    let i18n = use_i18n();
    match kind {
        ReferenceKind::Calibrator => t_string!(i18n, calibration.reference_calibrator),
        ReferenceKind::Consensus => t_string!(i18n, calibration.reference_consensus),
        ReferenceKind::Majority => t_string!(i18n, calibration.reference_majority),
    }
}

fn kappa_band(band: KappaBand) -> &'static str {
    let i18n = use_i18n();
    match band {
        KappaBand::Poor => t_string!(i18n, calibration.band_poor),
        KappaBand::Slight => t_string!(i18n, calibration.band_slight),
        KappaBand::Fair => t_string!(i18n, calibration.band_fair),
        KappaBand::Moderate => t_string!(i18n, calibration.band_moderate),
        KappaBand::Substantial => t_string!(i18n, calibration.band_substantial),
        KappaBand::AlmostPerfect => t_string!(i18n, calibration.band_almost_perfect),
    }
}

fn alpha_band(band: AlphaBand) -> &'static str {
    let i18n = use_i18n();
    match band {
        AlphaBand::Unreliable => t_string!(i18n, calibration.band_unreliable),
        AlphaBand::Tentative => t_string!(i18n, calibration.band_tentative),
        AlphaBand::Reliable => t_string!(i18n, calibration.band_reliable),
    }
}

fn icc_band(band: IccBand) -> &'static str {
    let i18n = use_i18n();
    match band {
        IccBand::Poor => t_string!(i18n, calibration.band_poor),
        IccBand::Moderate => t_string!(i18n, calibration.band_moderate),
        IccBand::Good => t_string!(i18n, calibration.band_good),
        IccBand::Excellent => t_string!(i18n, calibration.band_excellent),
    }
}

/// Why a statistic has no value, as a reader needs to hear it.
pub fn undefined_label(why: Undefined) -> String {
    let i18n = use_i18n();
    match why {
        Undefined::NoVariation => t_string!(i18n, calibration.undefined_no_variation).to_string(),
        Undefined::NoPairs => t_string!(i18n, calibration.undefined_no_pairs).to_string(),
        Undefined::MissingRatings => t_string!(i18n, calibration.undefined_missing).to_string(),
        Undefined::NotTwoRaters => t_string!(i18n, calibration.undefined_not_two).to_string(),
        Undefined::TooFewUnits => t_string!(i18n, calibration.undefined_few_units).to_string(),
        Undefined::NotAtThisLevel => {
            t_string!(i18n, calibration.undefined_not_at_level).to_string()
        }
        Undefined::TooFewUnitsForInterval => t_string!(
            i18n,
            calibration.undefined_interval_needs,
            min = kappa_domain::agreement::MIN_UNITS_FOR_INTERVAL
        )
        .to_string(),
    }
}

pub fn decimal(value: f64) -> String {
    format!("{value:.3}")
}

pub fn percent(value: f64) -> String {
    kappa_domain::display::format_percent(value)
}

pub fn points(value: f64) -> String {
    format!("{value:+.1}")
}

/// A statistic's cell: its value and band, or why it has none. Everyone answering alike is
/// perfect agreement, said so, with why the statistic itself has no value.
fn statistic(
    value: Option<String>,
    band: Option<&'static str>,
    agreement: &Agreement,
    name: &str,
) -> AnyView {
    match value {
        Some(v) => view! { <td class="num">{v}{band.map(|b| view! { <span class="stat-band">{b}</span> })}</td> }.into_any(),
        None => {
            let why = agreement.undefined.get(name).copied();
            let perfect = why == Some(Undefined::NoVariation);
            view! {
                <td class="num undefined-stat">
                    {if perfect { view! { <span class="tag tag-ok">{t!(use_i18n(), calibration.perfect)}</span> }.into_any() } else { view! { <span aria-hidden="true">"—"</span> }.into_any() }}
                    {why.map(|w| view! { <span class="stat-why">{undefined_label(w)}</span> })}
                </td>
            }
            .into_any()
        }
    }
}

/// One row of the statistics table; Cohen's κ only where there are exactly two scorers.
fn statistics_row(label: String, level: Level, a: &Agreement, two: bool) -> impl IntoView {
    let ci = a
        .krippendorff_alpha_ci95
        .map(|(lo, hi)| format!("{} – {}", decimal(lo), decimal(hi)));
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td>{level_label(level)}</td>
            {statistic(a.percent_agreement.map(percent), None, a, "percent_agreement")}
            {two.then(|| statistic(a.cohen_kappa.map(decimal), a.bands.cohen_kappa.map(kappa_band), a, "cohen_kappa"))}
            {statistic(a.fleiss_kappa.map(decimal), a.bands.fleiss_kappa.map(kappa_band), a, "fleiss_kappa")}
            {statistic(a.krippendorff_alpha.map(decimal), a.bands.krippendorff_alpha.map(alpha_band), a, "krippendorff_alpha")}
            {statistic(ci, None, a, "krippendorff_alpha_ci95")}
        </tr>
    }
}

#[component]
pub fn Report(view: SessionView, report: SessionReport) -> impl IntoView {
    let i18n = use_i18n();
    let zh = format::is_zh();
    let list = criteria(&view);
    let title = |key: &str| {
        list.iter()
            .find(|c| c.key == key)
            .map(|c| title_or_key(&c.title, key, zh))
            .unwrap_or_else(|| key.to_string())
    };
    let names: Vec<String> = report.scorers.iter().map(|&u| name_of(&view, u)).collect();
    let calibrator = view.session.calibrator;

    let summaries = report
        .summaries
        .iter()
        .map(|s| {
            let expert = calibrator == Some(s.user_id);
            view! {
                <tr class:flagged=s.flagged>
                    <th scope="row">{name_of(&view, s.user_id)}{expert.then(|| view! { " " <span class="tag tag-accent">{t!(i18n, calibration.calibrator)}</span> })}</th>
                    <td class="num">{if expert { "—".to_string() } else { s.alignment.map(percent).unwrap_or_else(|| "—".into()) }}</td>
                    <td class="num">{if expert { "—".to_string() } else { s.deviation.map(points).unwrap_or_else(|| "—".into()) }}</td>
                    <td>{s.flagged.then(|| view! { <span class="tag tag-danger">{t!(i18n, calibration.flagged)}</span> })}</td>
                </tr>
            }
        })
        .collect_view();

    // When the reference is a calibrator who also scored, their own column is the reference:
    // it is marked there instead of repeated at the end.
    let reference_scored = report.reference == ReferenceKind::Calibrator
        && calibrator.is_some_and(|c| report.scorers.contains(&c));
    let calls = report
        .calls
        .iter()
        .map(|call| {
            let header = names
                .iter()
                .zip(&report.scorers)
                .map(|(n, &u)| {
                    let expert = reference_scored && calibrator == Some(u);
                    view! { <th scope="col">{n.clone()}{expert.then(|| view! { " " <span class="tag tag-accent">{t!(i18n, calibration.calibrator)}</span> })}</th> }
                })
                .collect_view();
            let rows = call
                .rows
                .iter()
                .map(|row| {
                    let criterion = list.iter().find(|c| c.key == row.key).cloned();
                    let answer_text = move |a: Option<&kappa_domain::scorecard::Answer>| criterion.as_ref().map(|c| labels::answer(c, a)).unwrap_or_default();
                    let cells = row
                        .answers
                        .iter()
                        .zip(&row.deviates)
                        .map(|(a, &off)| {
                            let text = if a.is_some() { answer_text(a.as_ref()) } else { "—".into() };
                            view! { <td class:deviates=off>{text}{off.then(|| view! { <span class="visually-hidden">{t!(i18n, calibration.differs)}</span> })}</td> }
                        })
                        .collect_view();
                    view! {
                        <tr>
                            <th scope="row">{title(&row.key)}</th>
                            {cells}
                            {(!reference_scored).then(|| view! { <td class="reference">{row.reference.as_ref().map(|a| answer_text(Some(a))).unwrap_or_else(|| "—".into())}</td> })}
                        </tr>
                    }
                })
                .collect_view();
            let scores = call.scores.iter().map(|s| view! { <td class="num">{s.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())}</td> }).collect_view();
            let spread = call.spread.map(|s| {
                let sd = s.sd.map(|sd| format!("{sd:.1}")).unwrap_or_else(|| "—".into());
                t_string!(i18n, calibration.spread, min = format!("{:.1}", s.min), max = format!("{:.1}", s.max), sd = sd).to_string()
            });
            let id = call.call_id;
            view! {
                <section class="card report-call" aria-labelledby=format!("report-call-{id}")>
                    <h3 id=format!("report-call-{id}")><A href=format!("/calls/{id}")>{t_string!(i18n, calibration.call, id = id).to_string()}</A></h3>
                    {spread.map(|s| view! { <p class="hint">{s}</p> })}
                    // Wide tables scroll sideways: the region takes focus so the keyboard scrolls it too.
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby=format!("matrix-caption-{id}")>
                        <table class="data-table compact matrix">
                            <caption class="visually-hidden" id=format!("matrix-caption-{id}")>{t_string!(i18n, calibration.matrix_caption, id = id).to_string()}</caption>
                            <thead><tr><th scope="col">{t!(i18n, calibration.criterion)}</th>{header}{(!reference_scored).then(|| view! { <th scope="col">{format::capitalized(reference_label(report.reference))}</th> })}</tr></thead>
                            <tbody>
                                {rows}
                                <tr class="total-row">
                                    <th scope="row">{t!(i18n, calibration.total_score)}</th>
                                    {scores}
                                    {(!reference_scored).then(|| view! { <td class="num reference">{call.reference_score.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())}</td> })}
                                </tr>
                            </tbody>
                        </table>
                    </div>
                </section>
            }
        })
        .collect_view();

    let two = report.scorers.len() == 2;
    let criterion_rows = report
        .criteria
        .iter()
        .map(|c| statistics_row(title(&c.key), c.agreement.level, &c.agreement, two))
        .collect_view();
    let icc = report.totals.icc;
    let least = report
        .least_agreed
        .iter()
        .map(|k| {
            let alpha = report
                .criteria
                .iter()
                .find(|c| &c.key == k)
                .and_then(|c| c.agreement.krippendorff_alpha);
            view! { <li>{title(k)}" · α = "{alpha.map(decimal).unwrap_or_default()}</li> }
        })
        .collect_view();

    view! {
        <section class="card" aria-labelledby="alignment-title">
            <h2 id="alignment-title">{t!(i18n, calibration.alignment_title)}</h2>
            <p class="hint">{t_string!(i18n, calibration.alignment_hint, reference = reference_label(report.reference), threshold = format!("{:.1}", view.session.threshold)).to_string()}</p>
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, calibration.scorer)}</th>
                        <th scope="col" class="num">{t!(i18n, calibration.alignment)}</th>
                        <th scope="col" class="num">{t!(i18n, calibration.deviation)}</th>
                        <th scope="col">{t!(i18n, calibration.flag)}</th>
                    </tr></thead>
                    <tbody>{summaries}</tbody>
                </table>
            </div>
        </section>
        <section class="report-calls" aria-labelledby="answers-title">
            <h2 id="answers-title">{t!(i18n, calibration.answers_title)}</h2>
            <p class="hint">{t!(i18n, calibration.answers_hint)}</p>
            {calls}
        </section>
        <section class="card" aria-labelledby="statistics-title">
            <h2 id="statistics-title">{t!(i18n, calibration.statistics_title)}</h2>
            <p class="hint">{t!(i18n, calibration.statistics_hint)}</p>
            {(!two).then(|| view! { <p class="hint">{t!(i18n, calibration.cohen_two_only)}</p> })}
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="statistics-caption">
                <table class="data-table compact statistics">
                    <caption class="visually-hidden" id="statistics-caption">{t!(i18n, calibration.statistics_table)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, calibration.criterion)}</th>
                        <th scope="col">{t!(i18n, calibration.level)}</th>
                        <th scope="col" class="num">{t!(i18n, calibration.percent_agreement)}</th>
                        {two.then(|| view! { <th scope="col" class="num">{t!(i18n, calibration.cohen)}</th> })}
                        <th scope="col" class="num">{t!(i18n, calibration.fleiss)}</th>
                        <th scope="col" class="num">{t!(i18n, calibration.alpha)}</th>
                        <th scope="col" class="num">{t!(i18n, calibration.alpha_ci)}</th>
                    </tr></thead>
                    <tbody>
                        {criterion_rows}
                        {statistics_row(t_string!(i18n, calibration.overall).to_string(), report.overall.level, &report.overall, two)}
                        {statistics_row(t_string!(i18n, calibration.total_scores).to_string(), report.totals.level, &report.totals, two)}
                    </tbody>
                </table>
            </div>
            <h3>{t!(i18n, calibration.icc_title)}</h3>
            {match icc {
                Some(icc) => {
                    let forms = icc.forms();
                    view! {
                        <table class="data-table compact icc">
                            <thead><tr><th scope="col">{t!(i18n, calibration.icc_form)}</th><th scope="col" class="num">{t!(i18n, calibration.value)}</th><th scope="col">{t!(i18n, calibration.band)}</th></tr></thead>
                            <tbody>{forms.into_iter().map(|(name, v)| view! {
                                <tr><th scope="row">{name}</th><td class="num">{decimal(v)}</td><td>{icc_band(kappa_domain::agreement::icc_band(v))}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any()
                }
                None => view! { <p class="hint">{report.totals.undefined.get("icc").map(|w| undefined_label(*w)).unwrap_or_default()}</p> }.into_any(),
            }}
        </section>
        <section class="card" aria-labelledby="least-title">
            <h2 id="least-title">{t!(i18n, calibration.least_title)}</h2>
            {if report.least_agreed.is_empty() {
                view! { <p class="hint">{t!(i18n, calibration.least_none)}</p> }.into_any()
            } else {
                view! { <p class="hint">{t!(i18n, calibration.least_hint)}</p><ol>{least}</ol> }.into_any()
            }}
        </section>
    }
}
