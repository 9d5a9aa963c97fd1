//! One call: its facts, its recording and the transcript that follows the audio.

use crate::components::labels;
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::api::{CallDetail, Directory};
use kappa_domain::display::format_percent;
use kappa_domain::evaluation::EvaluationSummary;
use kappa_domain::TranscriptLine;
use leptos::prelude::*;
use leptos_router::components::A;

crate::pages::lazy::split_page!(call => CallPage);

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
    let agent = directory.users.iter().find(|u| u.id == call.agent_id).map(|u| u.display_name.clone()).unwrap_or_default();
    let team = directory.teams.into_iter().find(|t| t.id == call.team_id);
    let id = call.id;
    let reviews = use_session().user.get_untracked().is_some_and(|u| u.role.can(kappa_domain::Capability::ReviewCalls));
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, call.title, id = id).to_string())>
            {reviews.then(|| view! { <A href=format!("/review/{id}") attr:class="button button-primary">{t!(i18n, call.score)}</A> })}
        </PageHeader>
        <div class="detail-grid">
            <section class="card" aria-labelledby="details-title">
                <h2 id="details-title">{t!(i18n, call.details)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, calls.col_started)}</dt><dd>{move || format::datetime(call.started_at)}</dd>
                    <dt>{t!(i18n, calls.col_agent)}</dt><dd>{agent}</dd>
                    <dt>{t!(i18n, calls.col_team)}</dt><dd>{move || team.as_ref().map(|t| t.name.get(format::is_zh()).to_string())}</dd>
                    <dt>{t!(i18n, calls.col_queue)}</dt><dd>{move || labels::queue(call.queue)}</dd>
                    <dt>{t!(i18n, calls.col_direction)}</dt><dd>{move || labels::direction(call.direction)}</dd>
                    <dt>{t!(i18n, calls.col_duration)}</dt><dd class="num-inline">{format::duration(call.duration_s)}</dd>
                    <dt>{t!(i18n, calls.col_disposition)}</dt><dd>{move || labels::disposition(call.disposition)}</dd>
                    <dt>{t!(i18n, calls.col_csat)}</dt><dd>{call.csat.map(|c| c.to_string()).unwrap_or_else(|| "–".into())}</dd>
                    <dt>{t!(i18n, calls.complaint)}</dt><dd>{move || if call.complaint { t_string!(i18n, calls.yes) } else { t_string!(i18n, calls.no) }}</dd>
                    <dt>{t!(i18n, call.language)}</dt><dd>{move || labels::language(call.language)}</dd>
                    <dt>{t!(i18n, call.customer)}</dt><dd><code>{call.customer_ref.clone()}</code></dd>
                </dl>
            </section>
            <section class="card" aria-labelledby="recording-title">
                <h2 id="recording-title">{t!(i18n, call.recording)}</h2>
                {match use_session().api().recording_url(&call) {
                    Some(src) => view! { <Player src transcript=detail.transcript lang=if call.language == kappa_domain::Language::Zh { "zh-CN" } else { "en" }/> }.into_any(),
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

/// The audio and its transcript: the line being spoken is highlighted, and any line plays from
/// its start when chosen.
#[component]
fn Player(src: String, transcript: Vec<TranscriptLine>, lang: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let audio = NodeRef::<leptos::html::Audio>::new();
    let now_ms = RwSignal::new(0u32);
    let seek = move |ms: u32| {
        if let Some(a) = audio.try_get().flatten() {
            a.set_current_time(f64::from(ms) / 1000.0);
            let _ = a.play();
        }
    };
    view! {
        <audio node_ref=audio controls preload="metadata" src=src class="player"
            // The element can report its time once more after the page is gone (a reload of the
            // call replaces it): by then its signals are disposed, which must not panic.
            on:timeupdate=move |_| if let Some(a) = audio.try_get().flatten() { now_ms.try_set((a.current_time() * 1000.0) as u32); }></audio>
        <h3>{t!(i18n, call.transcript)}</h3>
        <ol class="transcript" lang=lang>
            {transcript.into_iter().map(|line| {
                let (start, end) = (line.start_ms, line.end_ms);
                let speaking = move || now_ms.get() >= start && now_ms.get() < end;
                view! {
                    <li class=format!("turn turn-{}", line.speaker.code()) class:speaking=speaking>
                        <button type="button" class="turn-time" on:click=move |_| seek(start)
                            aria-label=move || format!("{} {}", t_string!(i18n, call.seek), format::duration(start / 1000))>
                            {format::duration(start / 1000)}
                        </button>
                        <span class="turn-speaker" lang=move || if format::is_zh() { "zh-CN" } else { "en" }>{move || labels::speaker(line.speaker)}</span>
                        <span class="turn-text">{line.text.clone()}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
