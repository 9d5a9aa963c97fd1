//! `cargo xtask bench` loads this in Chromium and calls `sample_million` (the same draw the
//! static demo makes in the browser, over a million calls) and `agreement` (Krippendorff's α
//! with its bootstrap interval on the benchmark's ratings), timed with the page's clock.

use kappa_domain::sampling::{draw, splitmix64, Allocation, Strategy, StratumField};
use kappa_domain::{Call, Direction, Language};

/// A centre's vocabulary as the demo's: six queues, five outcomes.
const QUEUES: [&str; 6] = [
    "bookings",
    "changes",
    "cancellations",
    "refunds",
    "complaints",
    "loyalty",
];
const OUTCOMES: [&str; 5] = [
    "resolved",
    "follow_up",
    "escalated",
    "transferred",
    "unresolved",
];
use wasm_bindgen::prelude::*;

/// A million calls shaped like the demo centre's (27 agents in 3 teams, six queues, a survey on
/// a third, a complaint in twenty), made without `rand`, which needs the OS on wasm. The demo
/// generator itself does not build for the browser for that reason.
fn calls(n: u32) -> Vec<Call> {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 8, 28)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .unwrap_or_default();
    (1..=n)
        .map(|id| {
            let r = splitmix64(u64::from(id));
            let agent = 8 + (r % 27) as u32;
            Call {
                id,
                started_at: start + chrono::Duration::seconds(((r >> 8) % (90 * 86_400)) as i64),
                duration_s: 35 + ((r >> 16) % 900) as u32,
                agent_id: agent,
                team_id: 1 + (agent - 8) / 9,
                queue: QUEUES[((r >> 24) % 6) as usize].into(),
                direction: Direction::ALL[((r >> 28) % 2) as usize],
                disposition: OUTCOMES[((r >> 32) % 5) as usize].into(),
                csat: (r >> 36)
                    .is_multiple_of(3)
                    .then_some(1 + ((r >> 40) % 5) as u8),
                complaint: (r >> 44).is_multiple_of(20),
                language: Language::Zh,
                customer_ref: String::new(),
                recording: None,
                caller_hash: None,
                origin: None,
                attributes: Default::default(),
            }
        })
        .collect()
}

/// One line per strategy: its name, the best of three draws in milliseconds, how many it drew.
#[wasm_bindgen]
pub fn sample_million() -> String {
    let calls = calls(1_000_000);
    let strategies = [
        ("4 per agent", Strategy::PerAgent { n: 4 }),
        ("500 in total", Strategy::Total { n: 500 }),
        (
            "300 stratified by agent, equal",
            Strategy::Stratified {
                by: StratumField::Agent,
                allocation: Allocation::Equal,
                n: 300,
            },
        ),
        (
            "300 stratified by queue, proportional",
            Strategy::Stratified {
                by: StratumField::Queue,
                allocation: Allocation::Proportional,
                n: 300,
            },
        ),
        (
            "500 targeted (20 % complaints, 10 % CSAT ≤ 2)",
            Strategy::Targeted {
                n: 500,
                complaints_pct: 20,
                low_csat_pct: 10,
            },
        ),
    ];
    let mut lines = Vec::new();
    for (name, strategy) in strategies {
        let mut best = f64::MAX;
        let mut drawn = 0;
        for round in 0..3 {
            let started = js_sys::Date::now();
            let sample = draw(
                &strategy,
                20261127 + round,
                &mut |each: &mut dyn FnMut(&Call)| calls.iter().for_each(each),
            );
            best = best.min(js_sys::Date::now() - started);
            drawn = sample.picks.len();
        }
        lines.push(format!(
            "sample 1000000 calls in Chromium (wasm), {name}: {best:.0} ms ({drawn} drawn)"
        ));
    }
    lines.join("\n")
}

/// Rows `rows` of a call-record export as a Chinese centre's platform writes it (about 130
/// bytes a row), the header before row 0: what the import benchmarks read.
pub fn call_export(rows: std::ops::Range<u32>) -> String {
    let mut text = String::new();
    if rows.start == 0 {
        text.push_str(
            "通话ID,坐席工号,开始时间,结束时间,通话时长,主叫号码,技能组,呼叫方向,满意度,投诉,备注\n",
        );
    }
    let queues = ["信用卡", "理财", "贷款", "账户", "投诉受理", "营销"];
    let csat = ["满意", "一般", "不满意", "", ""];
    let at = |s: i64| {
        chrono::DateTime::from_timestamp(s, 0)
            .map(|d| d.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default()
    };
    for i in rows {
        let r = splitmix64(u64::from(i));
        let start = 1_793_664_000 + (r % (30 * 86_400)) as i64;
        let duration = 30 + (r >> 20) % 900;
        text.push_str(&format!(
            "C{i:08},{},{},{},{duration},138{:08},{},{},{},{},客户来电咨询业务办理进度\n",
            1001 + (r >> 8) % 27,
            at(start),
            at(start + duration as i64),
            (r >> 12) % 100_000_000,
            queues[((r >> 32) % 6) as usize],
            if (r >> 36).is_multiple_of(3) {
                "呼出"
            } else {
                "呼入"
            },
            csat[((r >> 40) % 5) as usize],
            if (r >> 44).is_multiple_of(20) {
                "是"
            } else {
                "否"
            },
        ));
    }
    text
}

/// The import page's first look at a file, as the browser does it: the first 1,000 rows of a
/// GB18030 export sniffed, previewed with suggested fields, and checked through the mapping
/// the suggestions make; the best of three, in milliseconds.
#[wasm_bindgen]
pub fn import_preview() -> String {
    let text = call_export(0..1_000);
    let bytes = kappa_import_gb18030(&text);
    let mut best = f64::MAX;
    let mut valid = 0;
    for _ in 0..3 {
        let started = js_sys::Date::now();
        let Ok(shape) = kappa_import::table::sniff(&bytes) else {
            return "import preview: the export is refused".to_string();
        };
        let Ok(preview) = kappa_import::check::preview(&bytes, &shape, 1_000, false) else {
            return "import preview: the preview is refused".to_string();
        };
        let mut mapping = kappa_import::mapping::Mapping::suggested(&preview.columns);
        mapping.mask_callers = true;
        valid = 0;
        let checked = kappa_import::check::check_file(
            &bytes[..],
            &shape,
            &mapping,
            &|utc| utc,
            "bench",
            false,
            &mut |_| {
                valid += 1;
                std::ops::ControlFlow::Continue(())
            },
        );
        if checked.is_err() {
            return "import preview: the check is refused".to_string();
        }
        best = best.min(js_sys::Date::now() - started);
    }
    format!("import preview in Chromium (wasm): the first 1,000 rows of a GB18030 export sniffed, previewed and checked in {best:.0} ms ({valid} valid)")
}

/// `text` in GB18030, as a Chinese Excel export is.
fn kappa_import_gb18030(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

/// Krippendorff's α and its bootstrap interval (1,000 draws) at every level for the ratings in
/// `json` (`ratings[rater][unit]`, null where missing), timed with `now` in milliseconds: one
/// line per level, `place` saying where it ran. The native example prints the same lines.
pub fn agreement_lines(json: &str, now: &dyn Fn() -> f64, place: &str) -> String {
    use kappa_domain::agreement::{
        alpha_interval, krippendorff_alpha, Level, Ratings, BOOTSTRAP_DRAWS,
    };
    let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    [Level::Nominal, Level::Ordinal, Level::Interval, Level::Ratio]
        .into_iter()
        .map(|level| {
            let ratings = match Ratings::from_json(&value, level) {
                Ok(r) => r,
                Err(e) => return format!("{place}: the ratings are refused: {e}"),
            };
            let started = now();
            let alpha = krippendorff_alpha(&ratings, level);
            let alpha_ms = now() - started;
            let started = now();
            let interval = alpha_interval(&ratings, level, BOOTSTRAP_DRAWS, 7);
            let interval_ms = now() - started;
            let alpha = alpha.map_or_else(|why| format!("undefined ({why:?})"), |a| format!("{a:.9}"));
            let interval = interval.map_or_else(|| "none".to_string(), |(low, high)| format!("[{low:.4}, {high:.4}]"));
            format!("{place}, {level:?}: α {alpha}, 95 % CI {interval}; α in {alpha_ms:.1} ms, with {BOOTSTRAP_DRAWS} bootstrap draws in {interval_ms:.0} ms", level = level)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[wasm_bindgen]
pub fn agreement(json: &str) -> String {
    use wasm_bindgen::JsCast;
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok();
    let now = move || {
        performance
            .as_ref()
            .and_then(|p| {
                js_sys::Reflect::get(p, &"now".into())
                    .ok()
                    .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                    .and_then(|f| f.call0(p).ok())
            })
            .and_then(|v| v.as_f64())
            .unwrap_or_else(js_sys::Date::now)
    };
    agreement_lines(json, &now, "Kappa in Chromium (wasm)")
}

/// The process's peak resident memory (`VmHWM`), as the native benchmarks print it.
#[cfg(not(target_arch = "wasm32"))]
pub fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}
