//! A QA figure with its uncertainty, as every per-agent or per-team number is shown:
//! "85 % (54–96 %, n = 5)", or "not enough evaluations" below the minimum n.

use crate::format;
use crate::i18n::*;
use kappa_domain::stats::{Estimate, MIN_N};
use leptos::prelude::*;

/// A share (0–1) as a whole percentage in the user's language.
pub fn percent(share: f64) -> String {
    let value = (share * 100.0).round();
    if format::is_zh() {
        format!("{value:.0}%")
    } else {
        format!("{value:.0} %")
    }
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
