//! Everything that keeps the scorecard from being published, each named by its path and reason,
//! each a link to the field it is about.

use super::editor::use_editor;
use super::form::{field_id, focus_later};
use crate::components::labels;
use crate::i18n::*;
use leptos::prelude::*;

/// The closest field that exists for a path: the path itself, its English text, or its parent.
fn target_of(path: &str) -> String {
    let mut at = path.to_string();
    loop {
        for id in [field_id(&at), field_id(&format!("{at}.en"))] {
            if document().get_element_by_id(&id).is_some() {
                return id;
            }
        }
        match at.rfind(['.', '[']) {
            Some(cut) => at.truncate(cut),
            None => return field_id(path),
        }
    }
}

#[component]
pub fn ProblemList() -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    move || {
        let problems = editor.problems.get();
        (!problems.is_empty()).then(|| {
            let count = problems.len();
            view! {
                <section class="alert alert-warning problems" aria-labelledby="problems-title">
                    <h2 id="problems-title">{move || t_string!(i18n, builder.problems_title, count = count).to_string()}</h2>
                    <ul>
                        {problems.into_iter().map(|p| {
                            let path = p.path.clone();
                            view! {
                                <li>
                                    <a href=format!("#{}", field_id(&p.path)) on:click=move |ev| {
                                        ev.prevent_default();
                                        focus_later(target_of(&path));
                                    }><code>{p.path.clone()}</code></a>
                                    ": "{labels::invalid(&p.problem)}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
