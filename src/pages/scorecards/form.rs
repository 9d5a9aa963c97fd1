//! The builder's fields. Lists render by position and read their content reactively, so typing
//! never rebuilds a field (focus and caret stay put) while moves and removals re-read in place.
//! Every field's id comes from its path, so a problem named by path can take the user to it.

use super::editor::{use_editor, Editor};
use crate::i18n::*;
use kappa_domain::people::LocalizedText;
use kappa_domain::scorecard::{
    AnswerType, ChoiceOption, Criterion, Critical, ScorecardDefinition, SectionKind,
};
use kappa_domain::scorecard_edit::AnswerKind;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// `sections[2].criteria[0].weight` → `f-sections-2-criteria-0-weight`.
pub fn field_id(path: &str) -> String {
    format!(
        "f-{}",
        path.replace('[', "-").replace(']', "").replace('.', "-")
    )
}

/// Focuses a field once the view has caught up, opening any collapsed `<details>` around it.
pub fn focus_later(id: String) {
    request_animation_frame(move || {
        let Some(el) = document().get_element_by_id(&id) else {
            return;
        };
        let mut parent = el.parent_element();
        while let Some(p) = parent {
            if p.tag_name().eq_ignore_ascii_case("details") {
                let _ = p.set_attribute("open", "");
            }
            parent = p.parent_element();
        }
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    });
}

/// Keeps focus on the same control of a moved item: ids carry the item's index.
fn follow_focus(from: &str, to: &str) {
    let active = document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default();
    if let Some(rest) = active.strip_prefix(from) {
        focus_later(format!("{to}{rest}"));
    }
}

/// Where a piece of text lives in the scorecard.
#[derive(Clone, Copy, PartialEq)]
enum TextAt {
    Name,
    Section(usize),
    Criterion(usize, usize),
    Guideline(usize, usize),
    Level(usize, usize, usize),
    Option(usize, usize, usize),
}

fn criterion(d: &ScorecardDefinition, i: usize, j: usize) -> Option<&Criterion> {
    d.sections.get(i)?.criteria.get(j)
}

fn criterion_mut(d: &mut ScorecardDefinition, i: usize, j: usize) -> Option<&mut Criterion> {
    d.sections.get_mut(i)?.criteria.get_mut(j)
}

impl TextAt {
    fn path(self) -> String {
        match self {
            TextAt::Name => "name".into(),
            TextAt::Section(i) => format!("sections[{i}].title"),
            TextAt::Criterion(i, j) => format!("sections[{i}].criteria[{j}].title"),
            TextAt::Guideline(i, j) => format!("sections[{i}].criteria[{j}].guideline"),
            TextAt::Level(i, j, k) => {
                format!("sections[{i}].criteria[{j}].answer_type.labels[{k}]")
            }
            TextAt::Option(i, j, k) => {
                format!("sections[{i}].criteria[{j}].answer_type.options[{k}].label")
            }
        }
    }

    fn get(self, d: &ScorecardDefinition) -> Option<&LocalizedText> {
        match self {
            TextAt::Name => Some(&d.name),
            TextAt::Section(i) => d.sections.get(i).map(|s| &s.title),
            TextAt::Criterion(i, j) => criterion(d, i, j).map(|c| &c.title),
            TextAt::Guideline(i, j) => criterion(d, i, j).map(|c| &c.guideline),
            TextAt::Level(i, j, k) => match &criterion(d, i, j)?.answer_type {
                AnswerType::Scale { labels, .. } => labels.get(k),
                _ => None,
            },
            TextAt::Option(i, j, k) => match &criterion(d, i, j)?.answer_type {
                AnswerType::Choice { options } => options.get(k).map(|o| &o.label),
                _ => None,
            },
        }
    }

    fn get_mut(self, d: &mut ScorecardDefinition) -> Option<&mut LocalizedText> {
        match self {
            TextAt::Name => Some(&mut d.name),
            TextAt::Section(i) => d.sections.get_mut(i).map(|s| &mut s.title),
            TextAt::Criterion(i, j) => criterion_mut(d, i, j).map(|c| &mut c.title),
            TextAt::Guideline(i, j) => criterion_mut(d, i, j).map(|c| &mut c.guideline),
            TextAt::Level(i, j, k) => match &mut criterion_mut(d, i, j)?.answer_type {
                AnswerType::Scale { labels, .. } => labels.get_mut(k),
                _ => None,
            },
            TextAt::Option(i, j, k) => match &mut criterion_mut(d, i, j)?.answer_type {
                AnswerType::Choice { options } => options.get_mut(k).map(|o| &mut o.label),
                _ => None,
            },
        }
    }
}

/// One text in both languages, side by side; each input carries its language for assistive tech.
#[component]
fn TextPair(at: TextAt, label: fn() -> String, #[prop(optional)] multiline: bool) -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    let path = at.path();
    [("en", "en"), ("zh", "zh-CN")]
        .into_iter()
        .map(|(lang, tag)| {
            let lang_path = format!("{path}.{lang}");
            let id = field_id(&lang_path);
            let value = Memo::new(move |_| editor.card.with(|d| at.get(d).map(|t| if lang == "en" { t.en.clone() } else { t.zh.clone() }).unwrap_or_default()));
            let set = move |text: String| {
                editor.edit(|d| {
                    if let Some(t) = at.get_mut(d) {
                        *(if lang == "en" { &mut t.en } else { &mut t.zh }) = text;
                    }
                })
            };
            let whole = path.clone();
            let invalid = move || (editor.invalid_at(&whole) || editor.invalid_at(&lang_path)).then_some("true");
            let language = move || if lang == "en" { t_string!(i18n, builder.lang_en) } else { t_string!(i18n, builder.lang_zh) };
            let input = if multiline {
                view! { <textarea id=id.clone() lang=tag rows="2" prop:value=value aria-invalid=invalid on:input=move |ev| set(event_target_value(&ev))></textarea> }.into_any()
            } else {
                view! { <input id=id.clone() type="text" lang=tag prop:value=value aria-invalid=invalid on:input=move |ev| set(event_target_value(&ev))/> }.into_any()
            };
            view! {
                <div class="field">
                    <label for=id>{label}" · "{language}</label>
                    {input}
                </div>
            }
        })
        .collect_view()
}

/// A number field bound to the scorecard; text that is not a number leaves the model as it was.
#[component]
fn NumberField(
    path: String,
    label: fn() -> String,
    get: impl Fn(&ScorecardDefinition) -> Option<f64> + Copy + Send + Sync + 'static,
    set: impl Fn(&mut ScorecardDefinition, f64) + Copy + Send + Sync + 'static,
    #[prop(default = "any")] step: &'static str,
) -> impl IntoView {
    let editor = use_editor();
    let id = field_id(&path);
    let value = Memo::new(move |_| {
        editor
            .card
            .with(|d| get(d).map(|v| v.to_string()).unwrap_or_default())
    });
    let invalid = move || editor.invalid_at(&path).then_some("true");
    view! {
        <div class="field field-number">
            <label for=id.clone()>{label}</label>
            <input id=id type="number" step=step inputmode="decimal" prop:value=value aria-invalid=invalid
                on:input=move |ev| { if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() { editor.edit(|d| set(d, v)) } }/>
        </div>
    }
}

/// A key field: what answers and explanations refer to.
#[component]
fn KeyField(
    path: String,
    get: impl Fn(&ScorecardDefinition) -> Option<String> + Copy + Send + Sync + 'static,
    set: impl Fn(&mut ScorecardDefinition, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    let id = field_id(&path);
    let value = Memo::new(move |_| editor.card.with(|d| get(d).unwrap_or_default()));
    let invalid = move || editor.invalid_at(&path).then_some("true");
    view! {
        <div class="field field-key">
            <label for=id.clone()>{t!(i18n, builder.key)}</label>
            <input id=id type="text" class="mono" spellcheck="false" autocomplete="off" prop:value=value aria-invalid=invalid
                on:input=move |ev| { let v = event_target_value(&ev); editor.edit(|d| set(d, v)) }/>
        </div>
    }
}

#[component]
pub fn CardForm() -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    let count = Memo::new(move |_| editor.card.with(|d| d.sections.len()));
    view! {
        <section class="card" aria-labelledby="details-title">
            <h2 id="details-title">{t!(i18n, builder.details)}</h2>
            <div class="field-row">
                <TextPair at=TextAt::Name label=|| t_string!(use_i18n(), builder.name).to_string()/>
                <NumberField path="pass_mark".into() label=|| t_string!(use_i18n(), builder.pass_mark).to_string()
                    get=|d| Some(d.pass_mark) set=|d, v| d.pass_mark = v/>
            </div>
            <Versions/>
        </section>
        <section aria-labelledby="sections-title">
            <h2 id="sections-title">{t!(i18n, builder.sections)}</h2>
            <p class="hint">{t!(i18n, builder.reorder_hint)}</p>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <SectionEditor i/>
            </For>
            <button type="button" id=field_id("sections") class="button" on:click=move |_| {
                editor.edit(ScorecardDefinition::add_section);
                focus_later(field_id(&format!("sections[{}].title.en", count.get_untracked() - 1)));
            }>"+ "{t!(i18n, builder.add_section)}</button>
        </section>
    }
}

#[component]
fn Versions() -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    let list = move || {
        editor
            .detail
            .with(|d| super::version_history(d.as_ref().map_or(&[][..], |d| &d.versions)))
    };
    view! {
        <p class="hint">{t!(i18n, builder.versions)}": "
            {move || { let l = list(); if l.is_empty() { t_string!(i18n, builder.none_published).to_string() } else { l } }}
        </p>
    }
}

/// Up, down, duplicate and remove for a section or criterion; `what` names it for screen readers.
#[component]
fn ItemActions(
    id_prefix: String,
    what: fn() -> &'static str,
    n: usize,
    on_move: impl Fn(isize) + Copy + Send + Sync + 'static,
    on_duplicate: impl Fn() + Copy + Send + Sync + 'static,
    on_remove: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="item-actions">
            <button type="button" id=format!("{id_prefix}-up") class="icon-button" aria-label=move || t_string!(i18n, builder.move_up, what = what(), n = n).to_string()
                title=move || t_string!(i18n, builder.move_up, what = what(), n = n).to_string() on:click=move |_| on_move(-1)>"↑"</button>
            <button type="button" id=format!("{id_prefix}-down") class="icon-button" aria-label=move || t_string!(i18n, builder.move_down, what = what(), n = n).to_string()
                title=move || t_string!(i18n, builder.move_down, what = what(), n = n).to_string() on:click=move |_| on_move(1)>"↓"</button>
            <button type="button" class="icon-button" aria-label=move || t_string!(i18n, builder.duplicate_item, what = what(), n = n).to_string()
                title=move || t_string!(i18n, builder.duplicate_item, what = what(), n = n).to_string() on:click=move |_| on_duplicate()>
                <svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12" fill="none" stroke="currentColor" stroke-width="1.4"><rect x="0.7" y="3.3" width="8" height="8" rx="1"/><path d="M3.3 3.3V1.7a1 1 0 0 1 1-1h6a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H8.7"/></svg>
            </button>
            <button type="button" class="icon-button icon-danger" aria-label=move || t_string!(i18n, builder.remove_item, what = what(), n = n).to_string()
                title=move || t_string!(i18n, builder.remove_item, what = what(), n = n).to_string() on:click=move |_| on_remove()>"×"</button>
        </div>
    }
}

fn moved(editor: Editor, what: &'static str, to: usize) {
    let i18n = use_i18n();
    editor
        .announce
        .set(t_string!(i18n, builder.moved, what = what, n = to + 1).to_string());
}

#[component]
fn SectionEditor(i: usize) -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    let count = Memo::new(move |_| {
        editor
            .card
            .with(|d| d.sections.get(i).map_or(0, |s| s.criteria.len()))
    });
    let heading = move || {
        let title = editor.card.with(|d| {
            d.sections
                .get(i)
                .map(|s| s.title.pick(crate::format::is_zh()).to_string())
                .unwrap_or_default()
        });
        let n = t_string!(i18n, builder.section_n, n = i + 1).to_string();
        if title.trim().is_empty() {
            n
        } else {
            format!("{n} · {title}")
        }
    };
    let prefix = field_id(&format!("sections[{i}]"));
    let on_move = move |by: isize| {
        let mut to = None;
        editor.edit(|d| to = d.move_section(i, by));
        if let Some(to) = to {
            follow_focus(
                &field_id(&format!("sections[{i}]")),
                &field_id(&format!("sections[{to}]")),
            );
            moved(editor, t_string!(i18n, builder.section), to);
        }
    };
    let kind_id = field_id(&format!("sections[{i}].kind"));
    let kind = Memo::new(move |_| editor.card.with(|d| d.sections.get(i).map(|s| s.kind)));
    let heading_id = format!("{prefix}-heading");
    let labelled_by = heading_id.clone();
    let share = move || {
        editor.card.with(|d| {
            let share = kappa_domain::display::format_percent(d.weight_share(i)? / 100.0);
            Some(match kind.get() {
                Some(SectionKind::Bonus) => {
                    t_string!(i18n, builder.bonus_share, share = share).to_string()
                }
                _ => t_string!(i18n, builder.weight_share, share = share).to_string(),
            })
        })
    };
    view! {
        <fieldset class="card section-editor" aria-labelledby=labelled_by
            on:keydown=move |ev| if ev.alt_key() && matches!(ev.key().as_str(), "ArrowUp" | "ArrowDown") {
                ev.prevent_default();
                on_move(if ev.key() == "ArrowUp" { -1 } else { 1 });
            }>
            <div class="item-head">
                <h3 id=heading_id>{heading}</h3>
                <ItemActions id_prefix=prefix what=|| t_string!(use_i18n(), builder.section) n=i + 1 on_move
                    on_duplicate=move || editor.edit(|d| d.duplicate_section(i))
                    on_remove=move || { editor.edit(|d| { if i < d.sections.len() { d.sections.remove(i); } }); focus_later(field_id("sections")); }/>
            </div>
            <div class="field-row">
                <TextPair at=TextAt::Section(i) label=|| t_string!(use_i18n(), builder.section_title).to_string()/>
            </div>
            <div class="field-row field-row-compact">
                <KeyField path=format!("sections[{i}].key") get=move |d| d.sections.get(i).map(|s| s.key.clone())
                    set=move |d, v| if let Some(s) = d.sections.get_mut(i) { s.key = v }/>
                <div class="field-with-note">
                    <NumberField path=format!("sections[{i}].weight") label=|| t_string!(use_i18n(), builder.weight).to_string()
                        get=move |d| d.sections.get(i).map(|s| s.weight) set=move |d, v| if let Some(s) = d.sections.get_mut(i) { s.weight = v }/>
                    <span class="hint" data-testid="weight-share">{share}</span>
                </div>
                <div class="field">
                    <label for=kind_id.clone()>{t!(i18n, builder.kind)}</label>
                    <select id=kind_id prop:value=move || kind.get().unwrap_or(SectionKind::Standard).code() on:change=move |ev| {
                        let kind = SectionKind::parse(&event_target_value(&ev)).unwrap_or(SectionKind::Standard);
                        editor.edit(|d| if let Some(s) = d.sections.get_mut(i) { s.kind = kind });
                    }>
                        <option value=SectionKind::Standard.code() selected=move || kind.get() == Some(SectionKind::Standard)>{t!(i18n, builder.kind_standard)}</option>
                        <option value=SectionKind::Bonus.code() selected=move || kind.get() == Some(SectionKind::Bonus)>{t!(i18n, builder.kind_bonus)}</option>
                        <option value=SectionKind::FailSection.code() selected=move || kind.get() == Some(SectionKind::FailSection)>{t!(i18n, builder.kind_fail_section)}</option>
                    </select>
                </div>
            </div>
            <For each=move || 0..count.get() key=|j| *j let:j>
                <CriterionEditor i j/>
            </For>
            <button type="button" id=field_id(&format!("sections[{i}].criteria")) class="button button-small" on:click=move |_| {
                editor.edit(|d| d.add_criterion(i));
                focus_later(field_id(&format!("sections[{i}].criteria[{}].title.en", count.get_untracked() - 1)));
            }>"+ "{t!(i18n, builder.add_criterion)}</button>
        </fieldset>
    }
}

#[component]
fn CriterionEditor(i: usize, j: usize) -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    let at = format!("sections[{i}].criteria[{j}]");
    let prefix = field_id(&at);
    let on_move = move |by: isize| {
        let mut to = None;
        editor.edit(|d| to = d.move_criterion(i, j, by));
        if let Some(to) = to {
            follow_focus(
                &field_id(&format!("sections[{i}].criteria[{j}]")),
                &field_id(&format!("sections[{i}].criteria[{to}]")),
            );
            moved(editor, t_string!(i18n, builder.criterion), to);
        }
    };
    let kind = Memo::new(move |_| {
        editor
            .card
            .with(|d| criterion(d, i, j).map(|c| AnswerKind::of(&c.answer_type)))
    });
    let critical = Memo::new(move |_| {
        editor
            .card
            .with(|d| criterion(d, i, j).and_then(|c| c.critical))
    });
    let allow_na = Memo::new(move |_| {
        editor
            .card
            .with(|d| criterion(d, i, j).is_some_and(|c| c.allow_na))
    });
    let (type_id, na_id, critical_id) = (
        field_id(&format!("{at}.answer_type")),
        field_id(&format!("{at}.allow_na")),
        field_id(&format!("{at}.critical")),
    );
    let heading_id = format!("{prefix}-heading");
    let (na_path, critical_path) = (format!("{at}.allow_na"), format!("{at}.critical"));
    let labelled_by = heading_id.clone();
    view! {
        <fieldset class="criterion-editor" aria-labelledby=labelled_by
            on:keydown=move |ev| if ev.alt_key() && matches!(ev.key().as_str(), "ArrowUp" | "ArrowDown") {
                ev.prevent_default();
                ev.stop_propagation();
                on_move(if ev.key() == "ArrowUp" { -1 } else { 1 });
            }>
            <div class="item-head">
                <h4 id=heading_id>{move || t_string!(i18n, builder.criterion_n, n = j + 1).to_string()}</h4>
                <ItemActions id_prefix=prefix what=|| t_string!(use_i18n(), builder.criterion) n=j + 1 on_move
                    on_duplicate=move || editor.edit(|d| d.duplicate_criterion(i, j))
                    on_remove=move || {
                        editor.edit(|d| { if let Some(s) = d.sections.get_mut(i) { if j < s.criteria.len() { s.criteria.remove(j); } } });
                        focus_later(field_id(&format!("sections[{i}].criteria")));
                    }/>
            </div>
            <div class="field-row">
                <TextPair at=TextAt::Criterion(i, j) label=|| t_string!(use_i18n(), builder.criterion_title).to_string()/>
            </div>
            <div class="field-row">
                <TextPair at=TextAt::Guideline(i, j) label=|| t_string!(use_i18n(), builder.guideline).to_string() multiline=true/>
            </div>
            <div class="field-row field-row-compact">
                <KeyField path=format!("{at}.key") get=move |d| criterion(d, i, j).map(|c| c.key.clone())
                    set=move |d, v| if let Some(c) = criterion_mut(d, i, j) { c.key = v }/>
                <div class="field">
                    <label for=type_id.clone()>{t!(i18n, builder.answer_type)}</label>
                    <select id=type_id prop:value=move || kind.get().map_or("", AnswerKind::code) on:change=move |ev| if let Some(kind) = AnswerKind::parse(&event_target_value(&ev)) {
                        editor.edit(|d| if let Some(c) = criterion_mut(d, i, j) { c.answer_type = kind.starter(&c.answer_type) });
                    }>
                        {AnswerKind::ALL.into_iter().map(|k| view! {
                            <option value=k.code() selected=move || kind.get() == Some(k)>{move || answer_kind_label(k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=critical_id.clone()>{t!(i18n, builder.critical)}</label>
                    <select id=critical_id prop:value=move || critical.get().map_or("", Critical::code) aria-invalid=move || editor.invalid_at(&critical_path).then_some("true") on:change=move |ev| {
                        let value = Critical::parse(&event_target_value(&ev));
                        editor.edit(|d| if let Some(c) = criterion_mut(d, i, j) { c.critical = value });
                    }>
                        <option value="" selected=move || critical.get().is_none()>{t!(i18n, builder.critical_none)}</option>
                        <option value=Critical::FailSection.code() selected=move || critical.get() == Some(Critical::FailSection)>{t!(i18n, builder.critical_fail_section)}</option>
                        <option value=Critical::FailAll.code() selected=move || critical.get() == Some(Critical::FailAll)>{t!(i18n, builder.critical_fail_all)}</option>
                    </select>
                </div>
                <div class="field field-check">
                    <input id=na_id.clone() type="checkbox" prop:checked=allow_na aria-invalid=move || editor.invalid_at(&na_path).then_some("true")
                        on:change=move |ev| { let on = event_target_checked(&ev); editor.edit(|d| if let Some(c) = criterion_mut(d, i, j) { c.allow_na = on }) }/>
                    <label for=na_id>{t!(i18n, builder.allow_na)}</label>
                </div>
            </div>
            {move || kind.get().map(|k| view! { <AnswerFields i j kind=k/> })}
        </fieldset>
    }
}

fn answer_kind_label(kind: AnswerKind) -> &'static str {
    let i18n = use_i18n();
    match kind {
        AnswerKind::YesNo => t_string!(i18n, builder.type_yes_no),
        AnswerKind::Scale => t_string!(i18n, builder.type_scale),
        AnswerKind::Points => t_string!(i18n, builder.type_points),
        AnswerKind::Choice => t_string!(i18n, builder.type_choice),
    }
}

fn points_of(d: &ScorecardDefinition, i: usize, j: usize) -> Option<f64> {
    match criterion(d, i, j)?.answer_type {
        AnswerType::YesNo { points } | AnswerType::Scale { points, .. } => Some(f64::from(points)),
        AnswerType::Points { max } => Some(f64::from(max)),
        AnswerType::Choice { .. } => None,
    }
}

fn set_points(d: &mut ScorecardDefinition, i: usize, j: usize, v: f64) {
    let v = v.max(0.0).round() as u32;
    if let Some(c) = criterion_mut(d, i, j) {
        match &mut c.answer_type {
            AnswerType::YesNo { points } | AnswerType::Scale { points, .. } => *points = v,
            AnswerType::Points { max } => *max = v,
            AnswerType::Choice { .. } => {}
        }
    }
}

/// The settings of one answer kind; rebuilt only when the kind changes.
#[component]
fn AnswerFields(i: usize, j: usize, kind: AnswerKind) -> impl IntoView {
    let i18n = use_i18n();
    let at = format!("sections[{i}].criteria[{j}].answer_type");
    match kind {
        AnswerKind::YesNo | AnswerKind::Scale => {
            let levels = (kind == AnswerKind::Scale).then(|| view! {
                <details class="levels">
                    <summary>{t!(i18n, builder.scale_labels)}</summary>
                    {(0..5).map(|k| view! { <div class="field-row"><LevelLabel i j k/></div> }).collect_view()}
                </details>
            });
            view! {
                <div class="field-row field-row-compact">
                    <NumberField path=format!("{at}.points") label=|| t_string!(use_i18n(), builder.points).to_string() step="1"
                        get=move |d| points_of(d, i, j) set=move |d, v| set_points(d, i, j, v)/>
                </div>
                {levels}
            }
            .into_any()
        }
        AnswerKind::Points => view! {
            <div class="field-row field-row-compact">
                <NumberField path=format!("{at}.max") label=|| t_string!(use_i18n(), builder.max_points).to_string() step="1"
                    get=move |d| points_of(d, i, j) set=move |d, v| set_points(d, i, j, v)/>
            </div>
        }
        .into_any(),
        AnswerKind::Choice => view! { <ChoiceOptions i j/> }.into_any(),
    }
}

#[component]
fn LevelLabel(i: usize, j: usize, k: usize) -> impl IntoView {
    // Level labels are numbered 1–5 for people, 0–4 in paths.
    let label: fn() -> String = match k {
        0 => || t_string!(use_i18n(), builder.level_n, n = 1).to_string(),
        1 => || t_string!(use_i18n(), builder.level_n, n = 2).to_string(),
        2 => || t_string!(use_i18n(), builder.level_n, n = 3).to_string(),
        3 => || t_string!(use_i18n(), builder.level_n, n = 4).to_string(),
        _ => || t_string!(use_i18n(), builder.level_n, n = 5).to_string(),
    };
    view! { <TextPair at=TextAt::Level(i, j, k) label/> }
}

fn options_mut(d: &mut ScorecardDefinition, i: usize, j: usize) -> Option<&mut Vec<ChoiceOption>> {
    match &mut criterion_mut(d, i, j)?.answer_type {
        AnswerType::Choice { options } => Some(options),
        _ => None,
    }
}

fn option_of(d: &ScorecardDefinition, i: usize, j: usize, k: usize) -> Option<&ChoiceOption> {
    match &criterion(d, i, j)?.answer_type {
        AnswerType::Choice { options } => options.get(k),
        _ => None,
    }
}

#[component]
fn ChoiceOptions(i: usize, j: usize) -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    let at = format!("sections[{i}].criteria[{j}].answer_type.options");
    let add_id = field_id(&at);
    let count = Memo::new(move |_| {
        editor
            .card
            .with(|d| match criterion(d, i, j).map(|c| &c.answer_type) {
                Some(AnswerType::Choice { options }) => options.len(),
                _ => 0,
            })
    });
    view! {
        <div class="options" role="group" aria-label=move || t_string!(i18n, builder.options)>
            <For each=move || 0..count.get() key=|k| *k let:k>
                <div class="option-row">
                    {let at = at.clone(); view! {
                    <KeyField path=format!("{at}[{k}].key") get=move |d| option_of(d, i, j, k).map(|o| o.key.clone())
                        set=move |d, v| if let Some(o) = options_mut(d, i, j).and_then(|o| o.get_mut(k)) { o.key = v }/>
                    <TextPair at=TextAt::Option(i, j, k) label=|| t_string!(use_i18n(), builder.option_label).to_string()/>
                    <NumberField path=format!("{at}[{k}].points") label=|| t_string!(use_i18n(), builder.points).to_string() step="1"
                        get=move |d| option_of(d, i, j, k).map(|o| f64::from(o.points))
                        set=move |d, v| if let Some(o) = options_mut(d, i, j).and_then(|o| o.get_mut(k)) { o.points = v.max(0.0).round() as u32 }/>
                    <button type="button" class="icon-button icon-danger" aria-label=move || t_string!(i18n, builder.remove_option, n = k + 1).to_string()
                        title=move || t_string!(i18n, builder.remove_option, n = k + 1).to_string()
                        on:click=move |_| {
                            editor.edit(|d| if let Some(o) = options_mut(d, i, j) { if k < o.len() { o.remove(k); } });
                            focus_later(field_id(&format!("sections[{i}].criteria[{j}].answer_type.options")));
                        }>"×"</button>
                    }}
                </div>
            </For>
            <button type="button" id=add_id class="button button-small" on:click=move |_| editor.edit(|d| {
                if let Some(options) = options_mut(d, i, j) {
                    let key = (1..).map(|n| format!("option_{n}")).find(|k| options.iter().all(|o| &o.key != k)).unwrap_or_default();
                    options.push(ChoiceOption { key, label: LocalizedText::default(), points: 0 });
                }
            })>"+ "{t!(i18n, builder.add_option)}</button>
        </div>
    }
}
