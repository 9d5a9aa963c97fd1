//! Reviewing calls. For now: one submitted evaluation, read-only, rendered and rescored with
//! the scorecard version it pinned, so the score shown is always the one the agent was given.

use crate::components::labels;
use crate::components::score::{ExplanationTable, ScoreHeadline};
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::evaluation::EvaluationDetail;
use kappa_domain::scorecard::score;
use kappa_domain::Capability;
use leptos::prelude::*;
use leptos_router::components::A;

crate::pages::lazy::split_page!(evaluation => EvaluationPage);

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let detail = super::load_by_route_id(|api, id| api.evaluation(id));
    view! {
        <Suspense fallback=|| view! { <TableSkeleton rows=6/> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <EvaluationView detail/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EvaluationView(detail: EvaluationDetail) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let EvaluationDetail { evaluation, version, call, agent, reviewer } = detail;
    let id = evaluation.id;
    let explanation = score(&version.definition, &evaluation.answers).ok();
    let name = version.definition.name.clone();
    let pass_mark = version.definition.pass_mark;
    let (definition, answers) = (version.definition.clone(), evaluation.answers.clone());
    let can_browse = session.user.with_untracked(|u| u.as_ref().is_some_and(|u| u.role.can(Capability::BrowseCalls)));
    let call_link = move || {
        let text = t_string!(i18n, evaluation.open_call, id = call.id).to_string();
        if can_browse { view! { <A href=format!("/calls/{}", call.id)>{text}</A> }.into_any() } else { text.into_any() }
    };
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, evaluation.title, id = id).to_string())/>
        <div class="detail-grid">
            <section class="card" aria-labelledby="evaluation-facts">
                <h2 id="evaluation-facts" class="visually-hidden">{t!(i18n, call.details)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, evaluation.call)}</dt><dd>{call_link}" · "{move || format::datetime(call.started_at)}" · "{move || labels::queue(call.queue)}</dd>
                    <dt>{t!(i18n, evaluation.agent)}</dt><dd>{agent}</dd>
                    <dt>{t!(i18n, evaluation.reviewer)}</dt><dd>{reviewer}</dd>
                    <dt>{t!(i18n, evaluation.submitted)}</dt><dd>{move || format::datetime(evaluation.submitted_at)}</dd>
                    <dt>{t!(i18n, evaluation.scorecard)}</dt>
                    <dd>{move || name.pick(format::is_zh()).to_string()}" · "
                        <span class="badge" data-testid="pinned-version">{move || t_string!(i18n, evaluation.version, version = version.version).to_string()}</span></dd>
                </dl>
                <p class="hint">{t!(i18n, evaluation.pinned_note)}</p>
            </section>
            <section class="card" aria-labelledby="evaluation-score">
                <h2 id="evaluation-score">{t!(i18n, score.score)}</h2>
                {explanation.clone().map(|e| view! { <ScoreHeadline explanation=e pass_mark/> })}
            </section>
        </div>
        {explanation.map(|e| view! {
            <section class="card">
                <ExplanationTable definition=definition answers=answers explanation=e/>
            </section>
        })}
    }
}
