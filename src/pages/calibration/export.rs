//! The session report as CSV, built in the browser from what the page shows (both modes alike):
//! one block per table, with a blank line between blocks, in the reader's language.

use super::report::{
    criteria, decimal, level_label, name_of, percent, reference_label, undefined_label,
};
use crate::components::labels;
use crate::components::score::title_or_key;
use crate::format;
use crate::i18n::*;
use kappa_domain::agreement::{Agreement, Undefined};
use kappa_domain::calibration::{SessionReport, SessionView};
use wasm_bindgen::JsCast;

/// A CSV field: quoted when it holds a separator, a quote or a line break. A leading `=`, `+`,
/// `-` or `@` is prefixed so a spreadsheet does not run it as a formula.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn line(cells: impl IntoIterator<Item = String>) -> String {
    cells
        .into_iter()
        .map(|c| field(&c))
        .collect::<Vec<_>>()
        .join(",")
        + "\r\n"
}

fn stat(value: Option<f64>, agreement: &Agreement, name: &str) -> String {
    match (value, agreement.undefined.get(name)) {
        (Some(v), _) => decimal(v),
        (None, Some(Undefined::NoVariation)) => format!(
            "{}: {}",
            t_string!(use_i18n(), calibration.perfect),
            undefined_label(Undefined::NoVariation)
        ),
        (None, Some(why)) => undefined_label(*why),
        (None, None) => String::new(),
    }
}

pub fn report_csv(view: &SessionView, report: &SessionReport) -> String {
    let i18n = use_i18n();
    let zh = format::is_zh();
    let list = criteria(view);
    let title = |key: &str| {
        list.iter()
            .find(|c| c.key == key)
            .map(|c| title_or_key(&c.title, key, zh))
            .unwrap_or_else(|| key.to_string())
    };
    let names: Vec<String> = report.scorers.iter().map(|&u| name_of(view, u)).collect();
    let mut out = String::from("\u{feff}");
    out += &line([
        view.session.title.pick(zh).to_string(),
        view.version.definition.name.pick(zh).to_string(),
        format!("v{}", view.version.version),
    ]);
    out += "\r\n";
    out += &line(
        [
            t_string!(i18n, calibration.scorer),
            t_string!(i18n, calibration.alignment),
            t_string!(i18n, calibration.deviation),
            t_string!(i18n, calibration.flag),
        ]
        .map(str::to_string),
    );
    for s in &report.summaries {
        let flag = if s.flagged {
            t_string!(i18n, calibration.flagged).to_string()
        } else {
            String::new()
        };
        out += &line([
            name_of(view, s.user_id),
            s.alignment.map(percent).unwrap_or_default(),
            s.deviation.map(|d| format!("{d:+.1}")).unwrap_or_default(),
            flag,
        ]);
    }
    for call in &report.calls {
        out += "\r\n";
        let mut head = vec![t_string!(i18n, calibration.call, id = call.call_id).to_string()];
        head.extend(names.iter().cloned());
        head.push(crate::format::capitalized(reference_label(
            report.reference,
        )));
        out += &line(head);
        for row in &call.rows {
            let criterion = list.iter().find(|c| c.key == row.key);
            let text = |a: Option<&kappa_domain::scorecard::Answer>| match (criterion, a) {
                (Some(c), Some(a)) => labels::answer(c, Some(a)),
                _ => String::new(),
            };
            let mut cells = vec![title(&row.key)];
            cells.extend(row.answers.iter().zip(&row.deviates).map(|(a, &off)| {
                if off {
                    format!("{} ≠", text(a.as_ref()))
                } else {
                    text(a.as_ref())
                }
            }));
            cells.push(text(row.reference.as_ref()));
            out += &line(cells);
        }
        let mut totals = vec![t_string!(i18n, calibration.total_score).to_string()];
        totals.extend(
            call.scores
                .iter()
                .map(|s| s.map(|v| format!("{v:.1}")).unwrap_or_default()),
        );
        totals.push(
            call.reference_score
                .map(|v| format!("{v:.1}"))
                .unwrap_or_default(),
        );
        out += &line(totals);
    }
    out += "\r\n";
    out += &line(
        [
            t_string!(i18n, calibration.criterion),
            t_string!(i18n, calibration.level),
            t_string!(i18n, calibration.percent_agreement),
            t_string!(i18n, calibration.cohen),
            t_string!(i18n, calibration.fleiss),
            t_string!(i18n, calibration.alpha),
            t_string!(i18n, calibration.alpha_ci),
        ]
        .map(str::to_string),
    );
    let rows = report
        .criteria
        .iter()
        .map(|c| (title(&c.key), &c.agreement))
        .chain([
            (
                t_string!(i18n, calibration.overall).to_string(),
                &report.overall,
            ),
            (
                t_string!(i18n, calibration.total_scores).to_string(),
                &report.totals,
            ),
        ]);
    for (label, a) in rows {
        out += &line([
            label,
            level_label(a.level).to_string(),
            match a.percent_agreement {
                Some(p) => percent(p),
                None => stat(None, a, "percent_agreement"),
            },
            stat(a.cohen_kappa, a, "cohen_kappa"),
            stat(a.fleiss_kappa, a, "fleiss_kappa"),
            stat(a.krippendorff_alpha, a, "krippendorff_alpha"),
            match a.krippendorff_alpha_ci95 {
                Some((lo, hi)) => format!("{} – {}", decimal(lo), decimal(hi)),
                None => stat(None, a, "krippendorff_alpha_ci95"),
            },
        ]);
    }
    if let Some(icc) = &report.totals.icc {
        out += "\r\n";
        for (name, v) in icc.forms() {
            out += &line([name.to_string(), decimal(v)]);
        }
    }
    if let Some(c) = &view.session.consensus {
        out += "\r\n";
        out += &line([
            t_string!(i18n, calibration.consensus_title).to_string(),
            c.notes.clone(),
        ]);
    }
    out
}

/// Downloads the text as `<name>.csv`.
pub fn download(name: &str, csv: &str) {
    let href = format!(
        "data:text/csv;charset=utf-8,{}",
        js_sys::encode_uri_component(csv)
    );
    let Ok(link) = leptos::prelude::document().create_element("a") else {
        return;
    };
    let _ = link.set_attribute("href", &href);
    let _ = link.set_attribute("download", name);
    if let Ok(link) = link.dyn_into::<web_sys::HtmlElement>() {
        link.click();
    }
}
