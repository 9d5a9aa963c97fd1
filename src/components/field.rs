//! A labelled text input that shows the server's (or the rules') word on that very field.

use crate::api::ApiError;
use crate::components::labels;
use crate::i18n::*;
use leptos::prelude::*;

/// Why `field` was refused, in the user's language, if the last answer named it.
pub(crate) fn problem_of(error: &Option<ApiError>, field: &str) -> Option<String> {
    error
        .as_ref()?
        .fields()
        .into_iter()
        .find(|f| f.field == field)
        .map(|f| labels::query_problem(&f.problem))
}

/// `id` is also the field's name in the API, so a refusal lands beside the input it concerns.
#[component]
pub fn TextField(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    /// The API's name for the field, when it differs from the input's id.
    #[prop(optional)]
    field: Option<&'static str>,
) -> impl IntoView {
    let field = field.unwrap_or(id);
    let problem = Memo::new(move |_| error.with(|e| problem_of(e, field)));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if problem.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id name=id type=kind autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-invalid=move || problem.get().map(|_| "true") aria-describedby=described
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
            {hint.map(|h| view! { <span class="hint" id=hint_id.clone()>{h}</span> })}
            {move || problem.get().map(|p| view! { <span class="field-error" id=error_id.clone()>{p}</span> })}
        </div>
    }
}

/// A refusal as a form shows it: the message, then every field it names with why.
#[component]
pub fn Refusal(error: ApiError) -> impl IntoView {
    let fields = error.fields();
    view! {
        <crate::components::state::ErrorView error/>
        {(!fields.is_empty()).then(|| view! {
            <ul class="field-problems">
                {fields.into_iter().map(|f| view! { <li><code>{f.field.clone()}</code>": "{labels::query_problem(&f.problem)}</li> }).collect_view()}
            </ul>
        })}
    }
}

/// A name kept in both languages (a plan's, a session's): the reader's language first, the one
/// a form needs, and the other beside it, optional, for readers of the other language. `id` is
/// the first input's, `{id}-other` the second's; the refusal shows under the first.
#[component]
pub fn NamePair(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    en: RwSignal<String>,
    zh: RwSignal<String>,
    problem: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reader_zh = crate::format::is_zh;
    let mine = move || if reader_zh() { zh } else { en };
    let other = move || if reader_zh() { en } else { zh };
    let tag = move |chinese: bool| if chinese { "zh-CN" } else { "en" };
    let other_id = format!("{id}-other");
    let error_id = format!("{id}-error");
    let other_label = move || {
        let language = if reader_zh() {
            t_string!(i18n, builder.lang_en)
        } else {
            t_string!(i18n, builder.lang_zh)
        };
        t_string!(
            i18n,
            common.in_other_language,
            label = label.get(),
            language = language
        )
        .to_string()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" lang=move || tag(reader_zh()) prop:value=move || mine().get() on:input=move |ev| mine().set(event_target_value(&ev))
                aria-invalid=move || problem.get().map(|_| "true") aria-describedby={
                    let error_id = error_id.clone();
                    move || problem.get().map(|_| error_id.clone())
                }/>
            {move || problem.get().map(|p| view! { <span class="field-error" id=error_id.clone()>{p}</span> })}
        </div>
        <div class="field">
            <label for=other_id.clone()>{other_label}</label>
            <input id=other_id type="text" lang=move || tag(!reader_zh()) prop:value=move || other().get() on:input=move |ev| other().set(event_target_value(&ev))/>
        </div>
    }
}
