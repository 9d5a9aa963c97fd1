//! A QA figure with its uncertainty, as every per-agent or per-team number is shown:
//! "85.0% (54.2–96.1%, n = 5)", or "not enough evaluations" below the minimum n.

use crate::i18n::*;
use kappa_domain::stats::{Estimate, MIN_N};
use leptos::prelude::*;

/// A share (0–1) as a percentage: the one format of every percentage in the app, both languages.
pub fn percent(share: f64) -> String {
    kappa_domain::display::format_percent(share)
}

/// A pass rate with its 95 % interval; `n` is the number of evaluations behind it.
#[component]
pub fn PassRate(estimate: Option<Estimate>, n: u32) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        match estimate {
        Some(e) => view! {
            <span class="estimate">
                <strong>{percent(e.value)}</strong>
                " "
                <span class="muted">{t_string!(i18n, estimate.interval, low = percent(e.low), high = percent(e.high), n = e.n).to_string()}</span>
            </span>
        }
        .into_any(),
        None if n == 0 => view! { <span class="muted">{t_string!(i18n, estimate.none)}</span> }.into_any(),
        None => view! { <span class="muted" title=t_string!(i18n, estimate.why, min = MIN_N).to_string()>{t_string!(i18n, estimate.not_enough, n = n).to_string()}</span> }.into_any(),
    }
    }
}
