//! Two versions of one draft (another tab, another device, or this one after a spell offline):
//! both are shown side by side and the reviewer keeps one. Nothing is dropped unasked.

use super::autosave::{Autosave, SyncState};
use crate::components::labels;
use crate::components::score::title_or_key;
use crate::format;
use crate::i18n::*;
use kappa_domain::display::format_percent;
use kappa_domain::review::ReviewContent;
use kappa_domain::scorecard::{score, ScorecardDefinition};
use leptos::prelude::*;

fn summary(definition: &ScorecardDefinition, content: &ReviewContent) -> (usize, String) {
    let score = score(definition, &content.answers)
        .map(|e| format_percent(e.score / 100.0))
        .unwrap_or_else(|_| "–".into());
    (content.answers.len(), score)
}

#[component]
pub fn ConflictPanel(
    autosave: Autosave,
    definition: StoredValue<ScorecardDefinition>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let SyncState::Conflict(theirs) = autosave.state.get() else {
            return None;
        };
        let mine = autosave.content.get();
        let zh = format::is_zh();
        let (mine_count, mine_score) = definition.with_value(|d| summary(d, &mine));
        let (their_count, their_score) = definition.with_value(|d| summary(d, &theirs.content));
        let differences = definition.with_value(|d| {
            d.sections
                .iter()
                .flat_map(|s| &s.criteria)
                .filter(|c| mine.answers.get(&c.key) != theirs.content.answers.get(&c.key))
                .map(|c| {
                    (
                        title_or_key(&c.title, &c.key, zh),
                        labels::answer(c, mine.answers.get(&c.key)),
                        labels::answer(c, theirs.content.answers.get(&c.key)),
                    )
                })
                .collect::<Vec<_>>()
        });
        let notes_differ =
            mine.notes != theirs.content.notes || mine.feedback != theirs.content.feedback;
        let saved_at = format::datetime(theirs.saved_at);
        let keep = theirs.clone();
        Some(view! {
            <section class="card conflict" role="alert" aria-labelledby="conflict-title" data-testid="conflict">
                <h2 id="conflict-title">{t!(i18n, review.conflict_title)}</h2>
                <p>{t_string!(i18n, review.conflict_body, at = saved_at).to_string()}</p>
                <div class="table-wrap">
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, review.criterion)}</th>
                            <th scope="col">{t!(i18n, review.mine)}</th>
                            <th scope="col">{t!(i18n, review.theirs)}</th>
                        </tr></thead>
                        <tbody>
                            <tr><th scope="row">{t!(i18n, review.answered)}</th><td class="num">{mine_count}</td><td class="num">{their_count}</td></tr>
                            <tr><th scope="row">{t!(i18n, score.score)}</th><td class="num">{mine_score}</td><td class="num">{their_score}</td></tr>
                            {differences.into_iter().map(|(title, m, t)| view! { <tr><th scope="row">{title}</th><td>{m}</td><td>{t}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {notes_differ.then(|| view! { <p class="hint">{t!(i18n, review.notes_differ)}</p> })}
                <div class="page-actions">
                    <button type="button" class="button button-primary" on:click=move |_| autosave.keep_mine(&keep)>{t!(i18n, review.keep_mine)}</button>
                    <button type="button" class="button" on:click=move |_| autosave.take_theirs(theirs.clone())>{t!(i18n, review.take_theirs)}</button>
                </div>
            </section>
        })
    }
}
