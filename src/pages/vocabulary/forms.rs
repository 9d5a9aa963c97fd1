//! Adding a queue or outcome, and renaming one.

use crate::api::ApiError;
use crate::components::field::TextField;
use crate::components::state::ErrorView;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::vocabulary::{NewTerm, Term, TermEdit, TermKind};
use kappa_domain::LocalizedText;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn NewTermForm(kind: TermKind, done: Callback<String>, cancel: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (code, name_en, name_zh) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let zh = crate::format::is_zh();
        let new = NewTerm {
            kind,
            code: code.get_untracked().trim().to_string(),
            name: LocalizedText {
                en: name_en.get_untracked(),
                zh: name_zh.get_untracked(),
            },
        };
        spawn_local(async move {
            let result = session.api().define_term(&new).await;
            busy.set(false);
            match result {
                Ok(term) => {
                    let name = term.name.pick(zh).to_string();
                    done.run(t_string!(i18n, vocabulary.created, name = name).to_string())
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let [title_id, code_id, en_id, zh_id] = match kind {
        TermKind::Queue => [
            "new-queue",
            "new-queue-code",
            "new-queue-en",
            "new-queue-zh",
        ],
        TermKind::Disposition => [
            "new-outcome",
            "new-outcome-code",
            "new-outcome-en",
            "new-outcome-zh",
        ],
    };
    view! {
        <form class="subcard" on:submit=submit novalidate aria-labelledby=title_id>
            <h3 id=title_id>{move || match kind {
                TermKind::Queue => t_string!(i18n, vocabulary.new_queue),
                TermKind::Disposition => t_string!(i18n, vocabulary.new_outcome),
            }}</h3>
            {move || error.get().map(|e| view! { <ErrorView error=e/> })}
            <div class="field-row field-row-top">
                <TextField id=code_id field="code" label=Signal::derive(move || t_string!(i18n, vocabulary.field_code).to_string()) value=code error autocomplete="off"
                    hint=Signal::derive(move || t_string!(i18n, vocabulary.code_hint).to_string())/>
                <TextField id=en_id field="name_en" label=Signal::derive(move || t_string!(i18n, vocabulary.field_name_en).to_string()) value=name_en error autocomplete="off"/>
                <TextField id=zh_id field="name_zh" label=Signal::derive(move || t_string!(i18n, vocabulary.field_name_zh).to_string()) value=name_zh error autocomplete="off"/>
            </div>
            <NameRequired error/>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>{t!(i18n, vocabulary.add)}</button>
                <button type="button" class="button" on:click=move |_| cancel.run(())>{t!(i18n, vocabulary.cancel)}</button>
            </div>
        </form>
    }
}

#[component]
pub fn EditTermForm(term: Term, done: Callback<String>, cancel: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let name_en = RwSignal::new(term.name.en.clone());
    let name_zh = RwSignal::new(term.name.zh.clone());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let (kind, code, revision, active) = (term.kind, term.code.clone(), term.revision, term.active);
    let [title_id, en_id, zh_id] = match kind {
        TermKind::Queue => ["edit-queue", "edit-queue-en", "edit-queue-zh"],
        TermKind::Disposition => ["edit-outcome", "edit-outcome-en", "edit-outcome-zh"],
    };
    let submit = {
        let code = code.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let zh = crate::format::is_zh();
            let edit = TermEdit {
                name: LocalizedText {
                    en: name_en.get_untracked(),
                    zh: name_zh.get_untracked(),
                },
                active,
                revision,
            };
            let code = code.clone();
            spawn_local(async move {
                let result = session.api().edit_term(kind, &code, &edit).await;
                busy.set(false);
                match result {
                    Ok(term) => {
                        let name = term.name.pick(zh).to_string();
                        done.run(t_string!(i18n, vocabulary.edited, name = name).to_string())
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    view! {
        <form class="subcard" on:submit=submit novalidate aria-labelledby=title_id>
            <h3 id=title_id>{move || t_string!(i18n, vocabulary.edit_title, code = code.clone()).to_string()}</h3>
            {move || error.get().map(|e| view! { <ErrorView error=e/> })}
            <div class="field-row field-row-top">
                <TextField id=en_id field="name_en" label=Signal::derive(move || t_string!(i18n, vocabulary.field_name_en).to_string()) value=name_en error autocomplete="off"/>
                <TextField id=zh_id field="name_zh" label=Signal::derive(move || t_string!(i18n, vocabulary.field_name_zh).to_string()) value=name_zh error autocomplete="off"/>
            </div>
            <NameRequired error/>
            <p class="hint">{t!(i18n, vocabulary.rename_hint)}</p>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>{t!(i18n, vocabulary.save)}</button>
                <button type="button" class="button" on:click=move |_| cancel.run(())>{t!(i18n, vocabulary.cancel)}</button>
            </div>
        </form>
    }
}

/// The refusal of a term with no name in either language, which belongs to neither field.
#[component]
fn NameRequired(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let problem = move || error.with(|e| crate::components::field::problem_of(e, "name"));
    move || problem().map(|p| view! { <p class="field-error" role="alert">{p}</p> })
}
