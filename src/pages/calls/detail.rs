//! One call: its facts, its recording with the transcript that follows the audio, and its evaluations.

use crate::components::labels;
use crate::components::player::{Playback, Player};
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::api::{CallDetail, Directory};
use kappa_domain::display::format_percent;
use kappa_domain::evaluation::EvaluationSummary;
use leptos::prelude::*;
use leptos_router::components::A;

crate::pages::lazy::split_page!(work => CallPage);

#[component]
pub fn CallPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let detail = crate::pages::load_by_route_id(|api, id| api.call(id));
    let directory = LocalResource::new(move || async move { session.api().directory().await });
    view! {
        <p class="breadcrumb"><A href="/calls"><span aria-hidden="true">"← "</span>{t!(i18n, call.back)}</A></p>
        <Suspense fallback=|| view! { <TableSkeleton rows=4/> }>
            {move || Suspend::new(async move {
                let directory = directory.await.unwrap_or(Directory { teams: vec![], users: vec![] });
                match detail.await {
                    Ok(detail) => view! { <CallView detail directory/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CallView(detail: CallDetail, directory: Directory) -> impl IntoView {
    let i18n = use_i18n();
    let call = detail.call;
    let agent = directory
        .users
        .iter()
        .find(|u| u.id == call.agent_id)
        .map(|u| u.display_name.clone())
        .unwrap_or_default();
    let team = directory.teams.into_iter().find(|t| t.id == call.team_id);
    let id = call.id;
    let reviews = use_session()
        .user
        .get_untracked()
        .is_some_and(|u| u.role.can(kappa_domain::Capability::ReviewCalls));
    let mine: Vec<(u32, u32)> = detail
        .evaluations
        .iter()
        .filter(|e| e.mine)
        .map(|e| (e.scorecard_id, e.id))
        .collect();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, call.title, id = id).to_string())>
            {reviews.then(|| view! { <ScoreActions call=id mine/> })}
        </PageHeader>
        <div class="detail-grid">
            <section class="card" aria-labelledby="details-title">
                <h2 id="details-title">{t!(i18n, call.details)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, calls.col_started)}</dt><dd>{move || format::datetime(call.started_at)}</dd>
                    <dt>{t!(i18n, calls.col_agent)}</dt><dd>{agent}</dd>
                    <dt>{t!(i18n, calls.col_team)}</dt><dd>{move || team.as_ref().map(|t| t.name.get(format::is_zh()).to_string())}</dd>
                    <dt>{t!(i18n, calls.col_queue)}</dt><dd>{let queue = call.queue.clone(); move || labels::queue(&queue)}</dd>
                    <dt>{t!(i18n, calls.col_direction)}</dt><dd>{move || labels::direction(call.direction)}</dd>
                    <dt>{t!(i18n, calls.col_duration)}</dt><dd class="num-inline">{format::duration(call.duration_s)}</dd>
                    <dt>{t!(i18n, calls.col_disposition)}</dt><dd>{let outcome = call.disposition.clone(); move || labels::disposition(&outcome)}</dd>
                    <dt>{t!(i18n, calls.col_csat)}</dt><dd>{call.csat.map(|c| c.to_string()).unwrap_or_else(|| "–".into())}</dd>
                    <dt>{t!(i18n, calls.complaint)}</dt><dd>{move || if call.complaint { t_string!(i18n, calls.yes) } else { t_string!(i18n, calls.no) }}</dd>
                    <dt>{t!(i18n, call.language)}</dt><dd>{move || labels::language(call.language)}</dd>
                    <dt>{t!(i18n, call.customer)}</dt><dd><code>{call.customer_ref.clone()}</code>{call.caller_hash.clone().map(|hash| {
                        let query = kappa_domain::CallQuery { caller: Some(hash), ..kappa_domain::CallQuery::default() };
                        view! { " · " <A href=format!("/calls?{}", query.to_query_string())>{t!(i18n, call.same_caller)}</A> }
                    })}</dd>
                    {call.origin.clone().map(|o| view! {
                        <dt>{t!(i18n, call.source)}</dt><dd><code>{o.source}</code>" · "<code>{o.external_id}</code></dd>
                    })}
                </dl>
                <Attributes attributes=call.attributes.clone()/>
            </section>
            <section class="card" aria-labelledby="recording-title">
                <h2 id="recording-title">{t!(i18n, call.recording)}</h2>
                {match use_session().api().recording_url(&call) {
                    Some(src) => view! { <Player playback=Playback::new(call.duration_s) src transcript=detail.transcript lang=if call.language == kappa_domain::Language::Zh { "zh-CN" } else { "en" }/> }.into_any(),
                    None => view! { <p class="muted">{t!(i18n, call.no_recording)}</p> }.into_any(),
                }}
            </section>
        </div>
        <Evaluations list=detail.evaluations/>
    }
}

/// The call's submitted evaluations, each opening its read-only page.
#[component]
fn Evaluations(list: Vec<EvaluationSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let body = if list.is_empty() {
        view! { <p class="muted">{t!(i18n, evaluation.none)}</p> }.into_any()
    } else {
        let rows = list
            .into_iter()
            .map(|e| {
                let name = e.scorecard_name.clone();
                view! {
                    <tr>
                        <td><A href=format!("/evaluations/{}", e.id) attr:aria-label=move || t_string!(i18n, evaluation.open, id = e.id).to_string()>{format!("#{}", e.id)}</A></td>
                        <td>{move || format!("{} · v{}", name.pick(format::is_zh()), e.version)}</td>
                        <td>{e.reviewer.clone()}</td>
                        <td>{move || format::datetime(e.submitted_at)}</td>
                        <td class="num">{format_percent(e.score / 100.0)}</td>
                        <td>{move || if e.passed {
                            view! { <span class="verdict verdict-pass"><span aria-hidden="true">"✓ "</span>{t_string!(i18n, score.pass)}</span> }
                        } else {
                            view! { <span class="verdict verdict-fail"><span aria-hidden="true">"✕ "</span>{t_string!(i18n, score.fail)}</span> }
                        }}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{t!(i18n, evaluation.scorecard)}</th>
                        <th scope="col">{t!(i18n, evaluation.reviewer)}</th>
                        <th scope="col">{t!(i18n, evaluation.submitted)}</th>
                        <th scope="col" class="num">{t!(i18n, evaluation.col_score)}</th>
                        <th scope="col">{t!(i18n, evaluation.col_result)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="evaluations-title">
            <h2 id="evaluations-title">{t!(i18n, evaluation.list_title)}</h2>
            {body}
        </section>
    }
}

/// "Score this call" on each published scorecard, the default (first) one first; where I have
/// already evaluated the call on a card, the link opens my evaluation instead of a second one.
#[component]
fn ScoreActions(call: u32, mine: Vec<(u32, u32)>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let mine = StoredValue::new(mine);
    let cards = LocalResource::new(move || async move {
        session
            .api()
            .scorecards()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|c| !c.archived && !c.versions.is_empty())
            .collect::<Vec<_>>()
    });
    view! {
        <Suspense fallback=move || view! { <A href=format!("/review/{call}") attr:class="button button-primary">{t!(i18n, call.score)}</A> }>
            {move || Suspend::new(async move {
                let cards = cards.await;
                let several = cards.len() > 1;
                cards.into_iter().enumerate().map(|(i, card)| {
                    let name = card.name.clone();
                    let class = if i == 0 { "button button-primary" } else { "button" };
                    let named = move || name.pick(format::is_zh()).to_string();
                    match mine.with_value(|m| m.iter().find(|(c, _)| *c == card.id).copied()) {
                        Some((_, evaluation)) => view! {
                            <A href=format!("/evaluations/{evaluation}") attr:class=class attr:data-testid="open-my-evaluation">
                                {move || if several { t_string!(i18n, call.open_mine_on, card = named()).to_string() } else { t_string!(i18n, call.open_mine).to_string() }}
                            </A>
                        }.into_any(),
                        None => view! {
                            <A href=format!("/review/{call}?scorecard={}", card.id) attr:class=class attr:data-testid="score-with">
                                {move || if several { t_string!(i18n, call.score_on, card = named()).to_string() } else { t_string!(i18n, call.score).to_string() }}
                            </A>
                        }.into_any(),
                    }
                }).collect_view()
            })}
        </Suspense>
    }
}

/// What the call's import kept from columns no field took, each a way to the calls with the
/// same value.
#[component]
fn Attributes(attributes: std::collections::BTreeMap<String, String>) -> impl IntoView {
    let i18n = use_i18n();
    (!attributes.is_empty()).then(|| {
        let rows = attributes
            .into_iter()
            .map(|(name, value)| {
                let query = kappa_domain::CallQuery {
                    attribute: Some(kappa_domain::call_query::AttributeFilter {
                        name: name.clone(),
                        value: value.clone(),
                    }),
                    ..kappa_domain::CallQuery::default()
                };
                let href = format!("/calls?{}", query.to_query_string());
                let context = format!(" ({name}: {value})");
                view! {
                    <dt>{name}</dt>
                    <dd>{value}" · "<A href=href>{t!(i18n, call.find_same)}<span class="visually-hidden">{context}</span></A></dd>
                }
            })
            .collect_view();
        view! {
            <h3 class="section-heading">{t!(i18n, call.attributes)}</h3>
            <dl class="facts">{rows}</dl>
        }
    })
}
