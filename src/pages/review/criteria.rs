//! The scorecard as a form: for each criterion its answer, a comment and evidence marks in the
//! recording. One criterion is current; the page's shortcuts answer it.

use super::autosave::Autosave;
use crate::components::labels;
use crate::components::player::{clock, Playback};
use crate::components::score::title_or_key;
use crate::format;
use crate::i18n::*;
use kappa_domain::display::format_points;
use kappa_domain::review::{CriterionNote, ReviewContent};
use kappa_domain::scorecard::{
    Answer, AnswerType, Criterion, CriterionExplanation, Rule, ScorecardDefinition, SectionKind,
};
use leptos::prelude::*;

/// A criterion in reading order, with what the form needs to know of its section.
#[derive(Clone)]
pub struct Item {
    pub criterion: Criterion,
    pub bonus: bool,
    /// Its section's place on the card.
    pub section: usize,
    /// The section's first criterion: the section's heading goes before it.
    pub opens_section: bool,
}

pub fn items(definition: &ScorecardDefinition) -> Vec<Item> {
    definition
        .sections
        .iter()
        .enumerate()
        .flat_map(|(section, s)| {
            s.criteria.iter().enumerate().map(move |(i, c)| Item {
                criterion: c.clone(),
                bonus: s.kind == SectionKind::Bonus,
                section,
                opens_section: i == 0,
            })
        })
        .collect()
}

/// A section's heading while scoring, as the evaluation page shows it: its title, weight and
/// what its answers earn so far.
#[component]
pub fn SectionHeading(
    definition: StoredValue<ScorecardDefinition>,
    section: usize,
    /// The section as the engine scored it so far.
    scored: Signal<Option<kappa_domain::scorecard::SectionExplanation>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (title, key, bonus) = definition.with_value(|d| {
        let s = &d.sections[section];
        (s.title.clone(), s.key.clone(), s.kind == SectionKind::Bonus)
    });
    view! {
        <div class="section-heading" data-testid="section-heading">
            <h3>{move || title_or_key(&title, &key, format::is_zh())}{bonus.then(|| view! { " " <span class="tag">{t!(i18n, score.bonus)}</span> })}</h3>
            // Points only once some criterion of the section counts: "0 / 0" would say nothing.
            <span class="muted">{move || scored.get().map(|s| {
                let weight = format!("{} {}", t_string!(i18n, score.col_weight), format_points(s.weight));
                if s.possible > 0.0 {
                    format!("{weight} · {} {} / {}", t_string!(i18n, score.col_points), format_points(s.earned), format_points(s.possible))
                } else {
                    weight
                }
            })}</span>
        </div>
    }
}

/// The answers the form offers as choices (points are typed), each with the key that gives it.
pub fn options(item: &Item) -> Vec<(Answer, String)> {
    let mut choice = 0;
    item.criterion
        .offered(item.bonus)
        .into_iter()
        .filter_map(|a| {
            let key = match &a {
                Answer::Yes => "Y".into(),
                Answer::No => "N".into(),
                Answer::Scale(l) => l.to_string(),
                Answer::Points(_) => return None,
                Answer::Choice(_) => {
                    choice += 1;
                    if choice <= 9 {
                        choice.to_string()
                    } else {
                        String::new()
                    }
                }
                Answer::NotApplicable => "A".into(),
            };
            Some((a, key))
        })
        .collect()
}

/// The answer a key gives for this criterion, if any.
pub fn answer_for_key(item: &Item, key: &str) -> Option<Answer> {
    let key = key.to_ascii_uppercase();
    if let AnswerType::Points { max } = item.criterion.answer_type {
        return key
            .parse::<u32>()
            .ok()
            .filter(|p| *p <= max)
            .map(Answer::Points)
            .or_else(|| {
                (key == "A" && item.criterion.allow_na && !item.bonus)
                    .then_some(Answer::NotApplicable)
            });
    }
    options(item)
        .into_iter()
        .find(|(_, k)| *k == key)
        .map(|(a, _)| a)
}

/// A criterion's answer and note in a draft.
pub type Entry = (Option<Answer>, CriterionNote);

const NO_NOTE: CriterionNote = CriterionNote {
    comment: String::new(),
    evidence: Vec::new(),
};

pub fn entry(content: &ReviewContent, key: &str) -> Entry {
    (
        content.answers.get(key).cloned(),
        content.notes.get(key).cloned().unwrap_or_default(),
    )
}

/// Whether the draft still holds this entry for the criterion (compared without copying).
pub fn entry_is(entry: &Entry, content: &ReviewContent, key: &str) -> bool {
    entry.0.as_ref() == content.answers.get(key)
        && entry.1 == *content.notes.get(key).unwrap_or(&NO_NOTE)
}

pub fn title(item: &Item, zh: bool) -> String {
    title_or_key(&item.criterion.title, &item.criterion.key, zh)
}

pub fn dom_id(key: &str) -> String {
    format!("criterion-{key}")
}

#[component]
pub fn CriterionCard(
    item: Item,
    index: usize,
    current: RwSignal<usize>,
    selected: Selector<usize>,
    /// This criterion's answer and note in the draft.
    entry: ReadSignal<Entry>,
    /// What the engine made of this criterion's answer.
    outcome: ReadSignal<Option<CriterionExplanation>>,
    autosave: Autosave,
    playback: Playback,
    items: StoredValue<Vec<Item>>,
    /// Whether the call has a recording to mark evidence in.
    recorded: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = item.criterion.key.clone();
    let title = item.criterion.title.clone();
    let guideline = item.criterion.guideline.clone();
    let heading_id = format!("{}-title", dom_id(&key));
    let total = items.with_value(Vec::len);
    let is_current = move || selected.selected(&index);
    let answer = Memo::new(move |_| entry.with(|e| e.0.clone()));
    let set_answer = {
        let key = key.clone();
        move |a: Option<Answer>| {
            let key = key.clone();
            autosave.edit(move |c| match a {
                Some(a) => {
                    c.answers.insert(key, a);
                }
                None => {
                    c.answers.remove(&key);
                }
            });
        }
    };
    let control = match item.criterion.answer_type {
        AnswerType::Points { max } => {
            let set = set_answer.clone();
            view! {
                <label class="points-field">
                    <span>{move || t_string!(i18n, review.points, max = max).to_string()}</span>
                    <input type="number" min="0" max=max.to_string() step="1" inputmode="numeric"
                        prop:value=move || match answer.get() { Some(Answer::Points(p)) => p.to_string(), _ => String::new() }
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            set(text.trim().parse::<u32>().ok().filter(|p| *p <= max).map(Answer::Points));
                        }/>
                </label>
                {(item.criterion.allow_na && !item.bonus).then(|| {
                    let set = set_answer.clone();
                    view! {
                        <label class="answer-option">
                            <input type="checkbox" prop:checked=move || answer.get() == Some(Answer::NotApplicable)
                                on:change=move |ev| set(event_target_checked(&ev).then_some(Answer::NotApplicable))/>
                            {move || t_string!(i18n, preview.na)}<kbd aria-hidden="true">"A"</kbd>
                        </label>
                    }
                })}
            }
            .into_any()
        }
        _ => {
            let name = format!("answer-{key}");
            let criterion = item.criterion.clone();
            let radios = options(&item)
                .into_iter()
                .map(|(option, shortcut)| {
                    let set = set_answer.clone();
                    let (checked, label_of) = (option.clone(), option.clone());
                    let criterion = criterion.clone();
                    view! {
                        <label class="answer-option" class:chosen=move || answer.get().as_ref() == Some(&checked)>
                            <input type="radio" name=name.clone() prop:checked={ let o = option.clone(); move || answer.get().as_ref() == Some(&o) }
                                on:change=move |_| set(Some(option.clone()))/>
                            {move || crate::components::labels::answer(&criterion, Some(&label_of))}
                            {(!shortcut.is_empty()).then(|| view! { <kbd aria-hidden="true">{shortcut.clone()}</kbd> })}
                        </label>
                    }
                })
                .collect_view();
            let clear = set_answer.clone();
            let section_id = dom_id(&key);
            // The button hides once the answer is gone: focus goes back to the criterion.
            let clear_and_refocus = move |_| {
                clear(None);
                use wasm_bindgen::JsCast;
                if let Some(el) = document()
                    .get_element_by_id(&section_id)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
            };
            view! {
                <div role="radiogroup" class="answer-options" aria-labelledby=heading_id.clone()>{radios}</div>
                <button type="button" class="link-button answer-clear" hidden=move || answer.get().is_none()
                    on:click=clear_and_refocus data-testid="clear-answer">
                    {move || t_string!(i18n, review.clear_answer)}
                </button>
            }.into_any()
        }
    };
    let comment = Memo::new(move |_| entry.with(|e| e.1.comment.clone()));
    let evidence = Memo::new(move |_| entry.with(|e| e.1.evidence.clone()));
    let note_key = StoredValue::new(key.clone());
    let add_evidence = move |_| {
        add_evidence_at(
            autosave,
            &note_key.get_value(),
            playback.now_ms.get_untracked(),
        )
    };
    let heading_title = title.clone();
    view! {
        <section class="criterion" class:current=is_current id=dom_id(&key) tabindex="-1" aria-labelledby=heading_id.clone()
            on:focusin=move |_| if current.get_untracked() != index { current.set(index) }>
            <h3 id=heading_id.clone()>
                <span class="criterion-number">{format!("{}/{total}", index + 1)}</span>" "
                {move || title_or_key(&heading_title, &note_key.get_value(), format::is_zh())}
                {item.criterion.critical.map(|_| view! { " " <span class="tag tag-danger">{move || t_string!(i18n, review.critical)}</span> })}
                {item.bonus.then(|| view! { " " <span class="tag">{move || t_string!(i18n, review.bonus)}</span> })}
            </h3>
            {(!guideline.en.is_empty() || !guideline.zh.is_empty()).then(|| view! { <p class="hint">{move || guideline.pick(format::is_zh()).to_string()}</p> })}
            {control}
            <p class="criterion-outcome" data-testid="outcome">{move || outcome.with(|o| o.as_ref().map(|o| {
                let zh = format::is_zh();
                let rule = labels::rule(&o.rule, |key| items.with_value(|list| list.iter().find(|i| i.criterion.key == key).map_or_else(|| key.to_string(), |i| self::title(i, zh))));
                match o.rule {
                    // Nothing counted: the points would read "0 of 0".
                    Rule::Unanswered | Rule::NotApplicable | Rule::SectionNotApplicable => rule,
                    _ => t_string!(i18n, review.outcome, earned = format_points(o.earned), possible = format_points(o.possible), rule = rule).to_string(),
                }
            }))}</p>
            <label class="comment-field">
                <span>{t!(i18n, review.comment)}</span>
                <textarea rows="2" id=format!("{}-comment", dom_id(&key)) prop:value=move || comment.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let key = note_key.get_value();
                        autosave.edit(move |c| c.notes.entry(key).or_default().comment = text);
                    }></textarea>
            </label>
            <div class="evidence" hidden=!recorded>
                <span class="evidence-label">{t!(i18n, review.evidence)}</span>
                {move || evidence.get().into_iter().map(|ms| view! {
                    <span class="evidence-tag">
                        <button type="button" class="link-button" on:click=move |_| playback.play_from(ms)
                            aria-label=move || t_string!(i18n, review.play_evidence, at = clock(ms)).to_string()>{format!("▶ {}", clock(ms))}</button>
                        <button type="button" class="link-button evidence-remove" on:click=move |_| {
                            let key = note_key.get_value();
                            autosave.edit(move |c| if let Some(n) = c.notes.get_mut(&key) { n.evidence.retain(|m| *m != ms); });
                        } aria-label=move || t_string!(i18n, review.remove_evidence, at = clock(ms)).to_string()>"×"</button>
                    </span>
                }).collect_view()}
                <button type="button" class="button button-small" on:click=add_evidence aria-keyshortcuts="E">
                    {move || t_string!(i18n, review.add_evidence, at = clock(playback.now_ms.get())).to_string()}
                </button>
            </div>
        </section>
    }
}

/// Marks the playback position as evidence for the criterion (once; kept in order).
pub fn add_evidence_at(autosave: Autosave, key: &str, ms: u32) {
    let key = key.to_string();
    autosave.edit(move |c| {
        let marks = &mut c.notes.entry(key).or_default().evidence;
        if !marks.contains(&ms) {
            marks.push(ms);
            marks.sort_unstable();
        }
    });
}
