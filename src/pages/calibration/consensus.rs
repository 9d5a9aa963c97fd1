//! The consensus: the answers the session agreed on for every call, and the notes that say why.
//! The lead starts from the recorded consensus, else from the reference answers of the reveal.

use super::report::criteria;
use crate::components::labels;
use crate::components::score::title_or_key;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::calibration::{ConsensusRequest, SessionView};
use kappa_domain::scorecard::{Answer, Answers, SectionKind};
use kappa_domain::CallId;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What a recorded consensus says: its notes and who recorded it when.
#[component]
pub fn ConsensusNote(view: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    view.session.consensus.clone().map(|c| {
        let by = view.consensus_by.clone().unwrap_or_default();
        view! {
            <section class="card consensus-note" aria-labelledby="consensus-note-title">
                <h2 id="consensus-note-title">{t!(i18n, calibration.consensus_title)}</h2>
                <p class="hint">{move || t_string!(i18n, calibration.consensus_recorded, by = by.clone(), at = format::datetime(c.recorded_at)).to_string()}</p>
                {(!c.notes.is_empty()).then(|| view! { <p class="consensus-notes">{c.notes.clone()}</p> })}
            </section>
        }
    })
}

fn code_of(answer: &Answer) -> String {
    serde_json::to_string(answer).unwrap_or_default()
}

#[component]
pub fn ConsensusForm(view: SessionView, saved: Callback<SessionView>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = view.session.id;
    let list = criteria(&view);
    let bonus: Vec<bool> = view
        .version
        .definition
        .sections
        .iter()
        .flat_map(|s| s.criteria.iter().map(move |_| s.kind == SectionKind::Bonus))
        .collect();
    // Start from the recorded consensus, else each criterion's reference answer.
    let start = |call: CallId| -> Answers {
        if let Some((_, answers)) = view
            .session
            .consensus
            .as_ref()
            .and_then(|c| c.answers.iter().find(|(c, _)| *c == call))
        {
            return answers.clone();
        }
        let rows = view
            .report
            .as_ref()
            .and_then(|r| r.calls.iter().find(|c| c.call_id == call))
            .map(|c| c.rows.clone())
            .unwrap_or_default();
        rows.into_iter()
            .filter_map(|r| r.reference.map(|a| (r.key, a)))
            .collect()
    };
    let answers: Vec<(CallId, RwSignal<Answers>)> = view
        .session
        .call_ids
        .iter()
        .map(|&c| (c, RwSignal::new(start(c))))
        .collect();
    let notes = RwSignal::new(
        view.session
            .consensus
            .as_ref()
            .map(|c| c.notes.clone())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<crate::api::ApiError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let collected = answers.clone();
    let submit = move || {
        let request = ConsensusRequest {
            answers: collected
                .iter()
                .map(|(c, a)| (*c, a.get_untracked()))
                .collect(),
            notes: notes.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match session.api().record_consensus(id, &request).await {
                Ok(view) => {
                    let _ = done.try_set(true);
                    saved.run(view);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let zh = format::is_zh();
    let calls = answers
        .into_iter()
        .map(|(call, chosen)| {
            let rows = list
                .iter()
                .zip(&bonus)
                .map(|(c, &bonus)| {
                    let key = c.key.clone();
                    let input = format!("consensus-{call}-{}", c.key);
                    let options = c.offered(bonus);
                    let criterion = c.clone();
                    let current = { let key = key.clone(); move || chosen.with(|a| a.get(&key).map(code_of).unwrap_or_default()) };
                    view! {
                        <div class="field consensus-field">
                            <label for=input.clone()>{title_or_key(&c.title, &c.key, zh)}</label>
                            <select id=input on:change=move |ev| {
                                let value = event_target_value(&ev);
                                let key = key.clone();
                                chosen.update(|a| match serde_json::from_str::<Answer>(&value) {
                                    Ok(answer) => { a.insert(key, answer); }
                                    Err(_) => { a.remove(&key); }
                                });
                            }>
                                <option value="" selected={let current = current.clone(); move || current().is_empty()}>{t!(i18n, calibration.choose_answer)}</option>
                                {options.into_iter().map(|answer| {
                                    let code = code_of(&answer);
                                    let text = labels::answer(&criterion, Some(&answer));
                                    let selected = { let code = code.clone(); let current = current.clone(); move || current() == code };
                                    view! { <option value=code selected=selected>{text}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="consensus-call">
                    <legend>{t_string!(i18n, calibration.call, id = call).to_string()}</legend>
                    <div class="consensus-grid">{rows}</div>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <form class="card consensus-form no-print" aria-labelledby="consensus-form-title" on:submit=move |ev| { ev.prevent_default(); submit() }>
            <h2 id="consensus-form-title">{t!(i18n, calibration.consensus_form)}</h2>
            <p class="hint">{t!(i18n, calibration.consensus_hint)}</p>
            {move || error.get().map(|e| view! { <crate::components::field::Refusal error=e/> })}
            {calls}
            <div class="field">
                <label for="consensus-notes">{t!(i18n, calibration.consensus_notes)}</label>
                <textarea id="consensus-notes" rows="3" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>{t!(i18n, calibration.record_consensus)}</button>
                <span role="status">{move || done.get().then(|| t_string!(i18n, calibration.consensus_saved))}</span>
            </div>
        </form>
    }
}
