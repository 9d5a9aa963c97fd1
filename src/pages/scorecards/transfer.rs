//! Scorecards as JSON files: export downloads the editor's content, import reads a file into the
//! editor (not into storage) or says where the file went wrong.

use crate::i18n::*;
use kappa_domain::scorecard::{parse_definition, ScorecardDefinition, ValidationError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// Downloads the scorecard as `<name>.json`, readable by import and by people.
pub fn export(card: &ScorecardDefinition) {
    let Ok(json) = serde_json::to_string_pretty(card) else {
        return;
    };
    let name: String = card
        .name
        .pick(false)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let href = format!(
        "data:application/json;charset=utf-8,{}",
        js_sys::encode_uri_component(&json)
    );
    let Ok(link) = document().create_element("a") else {
        return;
    };
    let _ = link.set_attribute("href", &href);
    let _ = link.set_attribute(
        "download",
        &format!(
            "{}.json",
            if name.is_empty() {
                "scorecard".into()
            } else {
                name
            }
        ),
    );
    if let Ok(link) = link.dyn_into::<web_sys::HtmlElement>() {
        link.click();
    }
}

#[component]
pub fn ImportButton(
    on_import: impl Fn(Result<ScorecardDefinition, ValidationError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    let read = move || {
        let Some(file) = input.get().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            return;
        };
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            on_import(parse_definition(&text));
            // The same file may be chosen again after fixing it.
            if let Some(i) = input.get() {
                i.set_value("");
            }
        });
    };
    view! {
        <input node_ref=input type="file" accept="application/json,.json" class="visually-hidden" tabindex="-1" aria-hidden="true"
            on:change=move |_| read()/>
        <button type="button" class="button button-small" on:click=move |_| if let Some(i) = input.get() { i.click() }>{t!(i18n, builder.import)}</button>
    }
}
