//! Answer the scorecard being built and watch the score and its explanation change, computed by
//! the same engine that scores real evaluations. Nothing here is stored.

use super::editor::use_editor;
use crate::components::labels;
use crate::components::score::{title_or_key, ExplanationTable, ScoreHeadline};
use crate::format;
use crate::i18n::*;
use kappa_domain::scorecard::{fitting_answers, score, Answer, Answers, Criterion, SectionKind};
use leptos::prelude::*;

/// Every answer a criterion can take, as `(value, answer)`; the value is what the select holds.
fn choices(criterion: &Criterion, bonus: bool) -> Vec<(String, Answer)> {
    criterion
        .offered(bonus)
        .into_iter()
        .map(|a| {
            let value = match &a {
                Answer::Yes => "yes".into(),
                Answer::No => "no".into(),
                Answer::Scale(l) => format!("s{l}"),
                Answer::Points(p) => format!("p{p}"),
                Answer::Choice(key) => format!("c:{key}"),
                Answer::NotApplicable => "na".into(),
            };
            (value, a)
        })
        .collect()
}

#[component]
pub fn Preview() -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    let answers = RwSignal::new(Answers::new());
    // Answers that no longer fit (a criterion changed kind, or went) simply stop counting.
    let kept = Memo::new(move |_| {
        editor
            .card
            .with(|card| answers.with(|a| fitting_answers(card, a)))
    });
    // After `fitting_answers` scoring cannot fail; the default is never shown.
    let explanation = Memo::new(move |_| {
        editor
            .card
            .with(|card| kept.with(|a| score(card, a).unwrap_or_default()))
    });
    let definition = Signal::derive(move || editor.card.get());
    let pass_mark = Signal::derive(move || editor.card.with(|c| c.pass_mark));
    // Rebuilt when the scorecard changes, never when an answer does: the select being answered
    // keeps its focus, and reads its value reactively.
    let questions = move || {
        let zh = format::is_zh();
        editor.card.with(|card| {
            card.sections.iter().enumerate().map(|(i, section)| {
                let bonus = section.kind == SectionKind::Bonus;
                let items = section.criteria.iter().enumerate().map(|(j, c)| {
                    let id = format!("preview-{i}-{j}");
                    let options = choices(c, bonus);
                    let (key, lookup, current) = (c.key.clone(), options.clone(), options.clone());
                    let selected = move || {
                        kept.with(|a| a.get(&key).and_then(|answer| current.iter().find(|(_, o)| o == answer)).map(|(v, _)| v.clone()).unwrap_or_default())
                    };
                    let key = c.key.clone();
                    view! {
                        <div class="preview-question">
                            <label for=id.clone()>{title_or_key(&c.title, &c.key, zh)}</label>
                            <select id=id prop:value=selected title=c.guideline.pick(zh).to_string() on:change=move |ev| {
                                let value = event_target_value(&ev);
                                let answer = lookup.iter().find(|(v, _)| *v == value).map(|(_, a)| a.clone());
                                let key = key.clone();
                                answers.update(|a| match answer { Some(answer) => { a.insert(key, answer); } None => { a.remove(&key); } });
                            }>
                                <option value="">{t_string!(i18n, preview.unanswered)}</option>
                                {options.iter().map(|(value, answer)| view! { <option value=value.clone()>{labels::answer(c, Some(answer))}</option> }).collect_view()}
                            </select>
                        </div>
                    }
                }).collect_view();
                view! {
                    <div class="preview-section">
                        <h3>{title_or_key(&section.title, &section.key, zh)}</h3>
                        {items}
                    </div>
                }
            }).collect_view()
        })
    };
    view! {
        <div class="card">
            <div class="item-head">
                <h2 id="preview-title">{t!(i18n, preview.title)}</h2>
                <div class="item-actions">
                    <button type="button" class="button button-small" on:click=move |_| {
                        let all = editor.card.with(|c| c.sections.iter().flat_map(|s| &s.criteria).map(|c| (c.key.clone(), c.answer_type.best())).collect());
                        answers.set(all);
                    }>{t!(i18n, preview.best)}</button>
                    <button type="button" class="button button-small" on:click=move |_| answers.set(Answers::new())>{t!(i18n, preview.clear)}</button>
                </div>
            </div>
            <p class="hint">{t!(i18n, preview.hint)}</p>
            <ScoreHeadline explanation pass_mark/>
            <div class="preview-questions">{questions}</div>
            <ExplanationTable definition answers=Signal::derive(move || kept.get()) explanation/>
        </div>
    }
}
