//! How many calls to review for a given precision: Cochran's formula with the finite
//! population correction, computed as you type.

use crate::format;
use crate::i18n::*;
use kappa_domain::stats;
use leptos::prelude::*;

#[component]
pub fn Calculator() -> impl IntoView {
    let i18n = use_i18n();
    let population = RwSignal::new("1000".to_string());
    let confidence = RwSignal::new("0.95".to_string());
    let margin = RwSignal::new("5".to_string());
    let expected = RwSignal::new("50".to_string());
    let result = Memo::new(move |_| {
        let n: u64 = population.get().trim().parse().ok()?;
        let c: f64 = confidence.get().parse().ok()?;
        let e: f64 = margin
            .get()
            .trim()
            .parse()
            .ok()
            .filter(|e: &f64| *e > 0.0 && *e < 100.0)?;
        let p: f64 = expected
            .get()
            .trim()
            .parse()
            .ok()
            .filter(|p: &f64| (0.0..=100.0).contains(p))?;
        Some(stats::cochran(n, c, e / 100.0, p / 100.0))
    });
    let number = |id: &'static str, value: RwSignal<String>| {
        view! { <input id=id type="number" inputmode="numeric" min="0" prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/> }
    };
    view! {
        <section class="card calculator" aria-labelledby="calculator-title">
            <h2 id="calculator-title">{t!(i18n, sampling.calc_title)}</h2>
            <div class="field-row field-row-compact">
            <div class="field">
                <label for="calc-population">{t!(i18n, sampling.calc_population)}</label>
                {number("calc-population", population)}
            </div>
            <div class="field">
                <label for="calc-confidence">{t!(i18n, sampling.calc_confidence)}</label>
                <select id="calc-confidence" on:change=move |ev| confidence.set(event_target_value(&ev))>
                    {["0.90", "0.95", "0.99"].into_iter().map(|c| view! {
                        <option value=c selected=move || confidence.get() == c>{format!("{:.0} %", c.parse::<f64>().unwrap_or(0.0) * 100.0)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="calc-margin">{t!(i18n, sampling.calc_margin)}</label>
                {number("calc-margin", margin)}
            </div>
            <div class="field">
                <label for="calc-expected">{t!(i18n, sampling.calc_expected)}</label>
                {number("calc-expected", expected)}
            </div>
            </div>
            <p class="calc-result" role="status" aria-live="polite">
                {move || match result.get() {
                    Some(n) => t_string!(i18n, sampling.calc_result, n = format::int(n as i64)).to_string(),
                    None => t_string!(i18n, sampling.calc_invalid).to_string(),
                }}
            </p>
            <p class="hint">{t!(i18n, sampling.calc_note)}</p>
        </section>
    }
}
