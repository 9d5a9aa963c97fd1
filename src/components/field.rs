//! A labelled text input that shows the server's (or the rules') word on that very field.

use crate::api::ApiError;
use crate::components::labels;
use leptos::prelude::*;

/// Why `field` was refused, in the user's language, if the last answer named it.
fn problem_of(error: &Option<ApiError>, field: &str) -> Option<String> {
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
