//! What a plan would draw today: how many calls are eligible, what the sample buys in precision,
//! per stratum, per agent (with their current pass rate and its interval) and per reviewer.

use crate::components::estimate::{percent, PassRate};
use crate::components::labels;
use crate::format;
use crate::i18n::*;
use kappa_domain::api::Directory;
use kappa_domain::plan::{precision, PlanPreview, Precision};
use leptos::prelude::*;

/// A sample's precision as the domain reads it, in words where a margin would mislead.
fn margin_text(sample: u32, population: u32, margin: Option<f64>) -> String {
    let i18n = use_i18n();
    match precision(sample, population, margin) {
        Precision::NoCalls => "–".into(),
        Precision::WholePopulation => t_string!(i18n, sampling.whole_population).to_string(),
        Precision::TooFewForRate => t_string!(i18n, sampling.too_few_for_rate).to_string(),
        Precision::Margin(m) => format!("± {}", percent(m)),
    }
}

#[component]
pub fn PreviewPanel(
    preview: PlanPreview,
    directory: Signal<Directory>,
    /// Offered while the plan is being written: take Cochran's size, commit what was previewed.
    #[prop(optional)]
    use_size: Option<Callback<u64>>,
    #[prop(optional)] commit: Option<Callback<()>>,
    /// `commit` saves an edit of a saved plan: nothing is drawn now, so a preview that draws
    /// nothing today does not stop it.
    #[prop(optional)]
    edit: bool,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let p = preview;
    let name_of = move |id: u32| {
        directory.with(|d| {
            d.users
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.display_name.clone())
                .unwrap_or_else(|| id.to_string())
        })
    };
    let window = match (p.from, p.to) {
        (Some(from), Some(to)) => Some((from, to)),
        _ => None,
    };
    let short = p.sampled < p.requested;
    let left_out = p.left_out;
    let matching = p.population + left_out.total();
    let (sampled, requested, suggested) = (p.sampled, p.requested, p.suggested);
    view! {
        <section class="preview-panel" aria-labelledby="preview-title">
            <h3 id="preview-title">{t!(i18n, sampling.preview_title)}</h3>
            <dl class="stat-strip">
                <div class="stat"><dt>{t!(i18n, sampling.population_size)}</dt><dd>{format::int(p.population)}</dd></div>
                <div class="stat"><dt>{t!(i18n, sampling.sample_size)}</dt><dd>{format::int(p.sampled)}</dd></div>
                <div class="stat"><dt>{t!(i18n, sampling.margin)}</dt><dd>{move || margin_text(sampled, p.population, p.margin)}</dd></div>
            </dl>
            {(left_out.total() > 0).then(|| view! {
                <p class="muted" data-testid="left-out">{move || {
                    let parts: Vec<String> = [
                        (left_out.evaluated, t_string!(i18n, sampling.left_out_evaluated, n = format::int(left_out.evaluated)).to_string()),
                        (left_out.assigned, t_string!(i18n, sampling.left_out_assigned, n = format::int(left_out.assigned)).to_string()),
                        (left_out.too_short, t_string!(i18n, sampling.left_out_short, n = format::int(left_out.too_short)).to_string()),
                    ].into_iter().filter(|(n, _)| *n > 0).map(|(_, text)| text).collect();
                    t_string!(i18n, sampling.left_out, matching = format::int(matching), parts = parts.join(t_string!(i18n, common.list_separator))).to_string()
                }}</p>
            })}
            {window.map(|(from, to)| view! { <p class="muted">{move || t_string!(i18n, sampling.window_text, from = format::date(from), to = format::date(to)).to_string()}</p> })}
            {short.then(|| view! { <div class="alert alert-warning" role="status">{move || t_string!(i18n, sampling.short, sampled = sampled, requested = requested).to_string()}</div> })}
            // Nothing eligible: no sample size to suggest.
            {(suggested > 0).then(|| view! {
                <p>
                    {move || t_string!(i18n, sampling.suggested, n = format::int(suggested as i64)).to_string()}" "
                    {use_size.map(|use_size| view! {
                        <button type="button" class="button button-small" on:click=move |_| use_size.run(suggested)>{move || t_string!(i18n, sampling.use_suggested, n = format::int(suggested as i64)).to_string()}</button>
                    })}
                </p>
            })}
            <div class="preview-grid">
                <div>
                    <h4>{t!(i18n, sampling.strata_title)}</h4>
                    <table class="data-table compact">
                        <thead><tr>
                            <th scope="col">{t!(i18n, sampling.col_stratum)}</th>
                            <th scope="col" class="num">{t!(i18n, sampling.col_population)}</th>
                            <th scope="col" class="num">{t!(i18n, sampling.col_allocated)}</th>
                            <th scope="col" class="num">{t!(i18n, sampling.col_drawn)}</th>
                        </tr></thead>
                        <tbody>
                            {p.strata.into_iter().map(|row| {
                                let stratum = row.stratum.clone();
                                view! {
                                    <tr>
                                        <td>{move || directory.with(|d| labels::stratum(&stratum, d))}</td>
                                        <td class="num">{format::int(row.population)}</td>
                                        <td class="num">{format::int(row.allocated)}</td>
                                        <td class="num">{format::int(row.drawn)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h4>{t!(i18n, sampling.reviewers_title)}</h4>
                    <table class="data-table compact">
                        <thead><tr>
                            <th scope="col">{t!(i18n, queue_page.reviewer)}</th>
                            <th scope="col" class="num">{t!(i18n, sampling.col_calls)}</th>
                        </tr></thead>
                        <tbody>
                            {p.per_reviewer.into_iter().map(|(id, calls)| view! {
                                <tr><td>{move || name_of(id)}</td><td class="num">{format::int(calls)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <div>
                    <h4>{t!(i18n, sampling.agents_title)}</h4>
                    <table class="data-table compact">
                        <thead><tr>
                            <th scope="col">{t!(i18n, queue_page.col_agent)}</th>
                            <th scope="col" class="num">{t!(i18n, sampling.col_population)}</th>
                            <th scope="col" class="num">{t!(i18n, sampling.col_sample)}</th>
                            <th scope="col" class="num">{t!(i18n, sampling.col_margin)}</th>
                            <th scope="col">{t!(i18n, sampling.col_current)}</th>
                        </tr></thead>
                        <tbody>
                            {p.agents.into_iter().map(|a| {
                                let n = a.current.map_or(0, |e| e.n);
                                view! {
                                    <tr>
                                        <td>{move || name_of(a.agent_id)}</td>
                                        <td class="num">{format::int(a.population)}</td>
                                        <td class="num">{format::int(a.sample)}</td>
                                        <td class="num">{move || margin_text(a.sample, a.population, a.margin)}</td>
                                        <td><PassRate estimate=a.current n/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p class="hint">{t!(i18n, sampling.agents_note)}</p>
                </div>
            </div>
            {commit.map(|commit| view! {
                <div class="alert-actions">
                    <button type="button" class="button button-primary" disabled=move || busy.get() || (sampled == 0 && !edit) on:click=move |_| commit.run(())>{move || if edit { t_string!(i18n, sampling.save_edit) } else { t_string!(i18n, sampling.commit) }}</button>
                </div>
            })}
        </section>
    }
}
