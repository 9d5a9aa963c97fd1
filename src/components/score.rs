//! A score and where every point came from: shared by the builder's preview and the evaluation
//! page, so reviewers and agents read the same explanation the engine computed.

use crate::components::labels;
use crate::format;
use crate::i18n::*;
use kappa_domain::display::{format_percent, format_points};
use kappa_domain::scorecard::{Answers, Explanation, Rule, ScorecardDefinition, SectionKind};
use leptos::prelude::*;

/// The headline: score, pass or fail in words and icon (never colour alone), and why.
#[component]
pub fn ScoreHeadline(
    #[prop(into)] explanation: Signal<Explanation>,
    #[prop(into)] pass_mark: Signal<f64>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The review workspace rescores on every answer: the headline reads only what it shows, so
    // an answer that moves the score updates one text node, not the whole line.
    let summary = Memo::new(move |_| {
        explanation.with(|e| {
            let unanswered = e
                .sections
                .iter()
                .flat_map(|s| &s.criteria)
                .filter(|c| c.rule == Rule::Unanswered)
                .count();
            let total = e.sections.iter().map(|s| s.criteria.len()).sum::<usize>();
            (e.score, e.auto_failed, e.passed, unanswered, total)
        })
    });
    // Nothing answered yet: there is no score to show, not a score of zero that fails. A plain
    // closure over `summary`, not a memo of it: a view reading both a memo and a memo derived
    // from it can miss the first one's change (the derived one's check consumes it).
    let blank = move || summary.with(|s| s.4 > 0 && s.3 == s.4);
    // Some criteria answered, some still open: the score may yet move.
    let provisional = move || summary.with(|s| s.3 > 0 && s.3 < s.4);
    let verdict =
        Memo::new(move |_| summary.with(|&(_, auto_failed, passed, _, _)| (auto_failed, passed)));
    let verdict_view = move || match verdict.get() {
        (true, _) => (
            "verdict verdict-fail",
            "✕",
            t_string!(i18n, score.auto_fail),
        ),
        (false, true) => ("verdict verdict-pass", "✓", t_string!(i18n, score.pass)),
        (false, false) => ("verdict verdict-fail", "✕", t_string!(i18n, score.fail)),
    };
    let unanswered = Memo::new(move |_| summary.with(|s| s.3));
    view! {
        <div class="score-headline" role="status">
            <span class="score-label">{t!(i18n, score.score)}</span>
            <span class="score-value" data-testid="score">{move || if blank() { "—".to_string() } else { format_percent(summary.with(|s| s.0) / 100.0) }}</span>
            {move || (!blank()).then(|| view! {
                <span class=move || verdict_view().0><span aria-hidden="true">{move || verdict_view().1}" "</span>{move || verdict_view().2}</span>
            })}
            {move || provisional().then(|| view! { <span class="tag" data-testid="provisional">{t!(i18n, score.provisional)}</span> })}
            <span class="muted">{move || t_string!(i18n, score.pass_mark, mark = format_percent(pass_mark.get() / 100.0)).to_string()}</span>
            {move || (unanswered.get() > 0).then(|| view! { <span class="muted">{t_string!(i18n, score.incomplete, count = unanswered.get()).to_string()}</span> })}
        </div>
    }
}

/// Every section and criterion: answer, earned of possible, weight, what it adds, and the rule.
/// The column names a stacked row repeats beside its values.
#[derive(Clone, Copy)]
struct Heads {
    answer: &'static str,
    points: &'static str,
    weight: &'static str,
    contribution: &'static str,
}

#[component]
pub fn ExplanationTable(
    #[prop(into)] definition: Signal<ScorecardDefinition>,
    #[prop(into)] answers: Signal<Answers>,
    #[prop(into)] explanation: Signal<Explanation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let zh = format::is_zh();
        // On a phone the rows stack, and each value carries its column's name.
        let heads = Heads {
            answer: t_string!(i18n, score.col_answer),
            points: t_string!(i18n, score.col_points),
            weight: t_string!(i18n, score.col_weight),
            contribution: t_string!(i18n, score.col_contribution),
        };
        let card = definition.get();
        let answers = answers.get();
        let title = |key: &str| {
            card.sections
                .iter()
                .flat_map(|s| &s.criteria)
                .find(|c| c.key == key)
                .map(|c| title_or_key(&c.title, &c.key, zh))
                .unwrap_or_else(|| key.to_string())
        };
        explanation
            .get()
            .sections
            .iter()
            .zip(&card.sections)
            .map(|(s, section)| {
                let bonus = (s.kind == SectionKind::Bonus).then(|| format!(" ({})", t_string!(i18n, score.bonus)));
                let criteria = s
                    .criteria
                    .iter()
                    .zip(&section.criteria)
                    .map(|(c, criterion)| {
                        view! {
                            <tr class="explain-criterion">
                                <th scope="row">{title_or_key(&criterion.title, &criterion.key, zh)}</th>
                                <td data-label=heads.answer>{labels::answer(criterion, answers.get(&criterion.key))}</td>
                                <td class="num" data-label=heads.points>{format!("{} / {}", format_points(c.earned), format_points(c.possible))}</td>
                                <td></td>
                                <td></td>
                                <td class=rule_class(&c.rule)>{labels::rule(&c.rule, title)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <tbody>
                        <tr class="explain-section">
                            <th scope="row">{title_or_key(&section.title, &section.key, zh)}{bonus}</th>
                            <td></td>
                            <td class="num" data-label=heads.points>{format!("{} / {}", format_points(s.earned), format_points(s.possible))}</td>
                            <td class="num" data-label=heads.weight>{format_points(s.weight)}</td>
                            <td class="num" data-label=heads.contribution>{format_points(s.contribution)}</td>
                            <td class=rule_class(&s.rule)>{labels::rule(&s.rule, title)}</td>
                        </tr>
                        {criteria}
                    </tbody>
                }
            })
            .collect_view()
    };
    view! {
        // Focusable: on narrow screens the table scrolls sideways, and keyboards must reach it.
        <div class="table-wrap" tabindex="0" role="region" aria-label=move || t_string!(i18n, score.caption)>
            <table class="data-table explain">
                <caption>{t!(i18n, score.caption)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, score.col_item)}</th>
                    <th scope="col">{t!(i18n, score.col_answer)}</th>
                    <th scope="col" class="num">{t!(i18n, score.col_points)}</th>
                    <th scope="col" class="num">{t!(i18n, score.col_weight)}</th>
                    <th scope="col" class="num">{t!(i18n, score.col_contribution)}</th>
                    <th scope="col">{t!(i18n, score.col_rule)}</th>
                </tr></thead>
                {rows}
            </table>
        </div>
    }
}

/// A title in the user's language; while a draft has none yet, its key stands in.
pub fn title_or_key(title: &kappa_domain::LocalizedText, key: &str, zh: bool) -> String {
    let text = title.pick(zh).trim();
    if text.is_empty() {
        key.to_string()
    } else {
        text.to_string()
    }
}

fn rule_class(rule: &Rule) -> &'static str {
    match rule {
        Rule::Scored => "rule",
        Rule::NotApplicable | Rule::Unanswered | Rule::SectionNotApplicable => "rule muted",
        _ => "rule rule-fail",
    }
}
