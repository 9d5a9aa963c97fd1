//! `cargo xtask bench` loads this in Chromium and calls `sample_million`: the same draw the
//! static demo makes in the browser, over a million calls, timed with the page's clock.

use kappa_domain::sampling::{draw, Allocation, StratumField, Strategy};
use kappa_domain::Call;
use wasm_bindgen::prelude::*;

/// One line per strategy: its name, the best of three draws in milliseconds, how many it drew.
#[wasm_bindgen]
pub fn sample_million() -> String {
    let data = kappa_demo::generate(kappa_demo::SEED);
    let calls = kappa_demo::scaled_calls(&data.calls, 1_000_000);
    let strategies = [
        ("4 per agent", Strategy::PerAgent { n: 4 }),
        ("500 in total", Strategy::Total { n: 500 }),
        ("300 stratified by agent, equal", Strategy::Stratified { by: StratumField::Agent, allocation: Allocation::Equal, n: 300 }),
        ("300 stratified by queue, proportional", Strategy::Stratified { by: StratumField::Queue, allocation: Allocation::Proportional, n: 300 }),
        ("500 targeted (20 % complaints, 10 % CSAT ≤ 2)", Strategy::Targeted { n: 500, complaints_pct: 20, low_csat_pct: 10 }),
    ];
    let mut lines = Vec::new();
    for (name, strategy) in strategies {
        let mut best = f64::MAX;
        let mut drawn = 0;
        for round in 0..3 {
            let started = js_sys::Date::now();
            let sample = draw(&strategy, 20261127 + round, &mut |each: &mut dyn FnMut(&Call)| calls.iter().for_each(each));
            best = best.min(js_sys::Date::now() - started);
            drawn = sample.picks.len();
        }
        lines.push(format!("sample 1000000 calls in Chromium (wasm), {name}: {best:.0} ms ({drawn} drawn)"));
    }
    lines.join("\n")
}
