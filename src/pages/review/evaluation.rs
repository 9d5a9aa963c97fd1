//! One submitted evaluation, rendered and rescored with the scorecard version it pinned, so the
//! score shown is always the one the agent was given; with its feedback, its score history and
//! its disputes. Its agent acknowledges and disputes it here; a lead rules on the dispute here.

use crate::components::labels;
use crate::components::player::{clock, Playback, Player};
use crate::components::score::{title_or_key, ExplanationTable, ScoreHeadline};
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::display::format_percent;
use kappa_domain::evaluation::EvaluationDetail;
use kappa_domain::review::{
    self, Amendment, Dispute, DisputePoint, DisputeRequest, DisputeStatus, PointRuling,
    RulingRequest, ScoreEventKind, Verdict,
};
use kappa_domain::scorecard::{score, Answer, Criterion, ScorecardDefinition, SectionKind};
use kappa_domain::Capability;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

crate::pages::lazy::split_page!(work => EvaluationPage);

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let detail = crate::pages::load_by_route_id(|api, id| api.evaluation(id));
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

fn criterion<'a>(definition: &'a ScorecardDefinition, key: &str) -> Option<&'a Criterion> {
    definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .find(|c| c.key == key)
}

fn criterion_title(definition: &ScorecardDefinition, key: Option<&str>) -> String {
    let i18n = use_i18n();
    match key.and_then(|k| criterion(definition, k)) {
        Some(c) => title_or_key(&c.title, &c.key, format::is_zh()),
        None => t_string!(i18n, dispute.whole).to_string(),
    }
}

pub fn dispute_status(status: DisputeStatus) -> String {
    let i18n = use_i18n();
    match status {
        DisputeStatus::Open => t_string!(i18n, dispute.status_open),
        DisputeStatus::Accepted => t_string!(i18n, dispute.status_accepted),
        DisputeStatus::PartlyAccepted => t_string!(i18n, dispute.status_partly),
        DisputeStatus::Rejected => t_string!(i18n, dispute.status_rejected),
    }
    .to_string()
}

pub fn status_class(status: DisputeStatus) -> &'static str {
    match status {
        DisputeStatus::Open => "tag tag-warning",
        DisputeStatus::Accepted | DisputeStatus::PartlyAccepted => "tag tag-ok",
        DisputeStatus::Rejected => "tag",
    }
}

/// Why a form was refused, with each field the server named and what is wrong with it.
fn refused(e: &crate::api::ApiError) -> String {
    let fields = e
        .fields()
        .into_iter()
        .map(|f| format!("{}: {}", f.field, labels::query_problem(&f.problem)))
        .collect::<Vec<_>>()
        .join("; ");
    if fields.is_empty() {
        labels::api_error(e)
    } else {
        format!("{} {fields}", labels::api_error(e))
    }
}

fn verdict_label(verdict: Verdict) -> String {
    let i18n = use_i18n();
    match verdict {
        Verdict::Accepted => t_string!(i18n, dispute.accept),
        Verdict::PartlyAccepted => t_string!(i18n, dispute.partly),
        Verdict::Rejected => t_string!(i18n, dispute.reject),
    }
    .to_string()
}

#[component]
fn EvaluationView(detail: EvaluationDetail) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = session.user.get_untracked();
    let is_agent = me
        .as_ref()
        .is_some_and(|u| detail.evaluation.is_agents_own(u));
    let arbitrates = me
        .as_ref()
        .is_some_and(|u| detail.evaluation.may_rule_on(u));
    let can_browse = me
        .as_ref()
        .is_some_and(|u| u.role.can(Capability::BrowseCalls));
    let amends = me
        .as_ref()
        .is_some_and(|u| u.role.can(Capability::ArbitrateDisputes));
    let detail = RwSignal::new(detail);
    // The agent opening it is what "read" means.
    if is_agent && detail.with_untracked(|d| d.evaluation.seen_at.is_none()) {
        let id = detail.with_untracked(|d| d.evaluation.id);
        spawn_local(async move {
            if let Ok(seen) = session.api().mark_seen(id).await {
                let _ = detail.try_set(seen);
            }
        });
    }
    let id = detail.with_untracked(|d| d.evaluation.id);
    let facts = move || {
        let d = detail.get();
        let call = d.call.clone();
        let name = d.version.definition.name.clone();
        let version = d.version.version;
        let call_text = t_string!(i18n, evaluation.open_call, id = call.id).to_string();
        let call_link = if can_browse {
            view! { <A href=format!("/calls/{}", call.id)>{call_text}</A> }.into_any()
        } else {
            call_text.into_any()
        };
        view! {
            <dl class="facts">
                <dt>{t!(i18n, evaluation.call)}</dt><dd>{call_link}" · "{format::datetime(call.started_at)}" · "{let queue = call.queue.clone(); move || labels::queue(&queue)}</dd>
                <dt>{t!(i18n, evaluation.agent)}</dt><dd>{d.agent.clone()}</dd>
                <dt>{t!(i18n, evaluation.reviewer)}</dt><dd>{d.reviewer.clone()}</dd>
                <dt>{t!(i18n, evaluation.submitted)}</dt><dd>{format::datetime(d.evaluation.submitted_at)}</dd>
                <dt>{t!(i18n, evaluation.scorecard)}</dt>
                <dd>{name.pick(format::is_zh()).to_string()}" · "
                    <span class="badge" data-testid="pinned-version">{t_string!(i18n, evaluation.version, version = version).to_string()}</span></dd>
                <dt>{t!(i18n, evaluation.acknowledged)}</dt>
                <dd data-testid="acknowledged">{match d.evaluation.acknowledged_at {
                    Some(at) => format::datetime(at),
                    None if d.evaluation.seen_at.is_some() => t_string!(i18n, evaluation.read_not_acknowledged).to_string(),
                    None => t_string!(i18n, evaluation.unread).to_string(),
                }}</dd>
            </dl>
        }
    };
    let explanation = Memo::new(move |_| {
        detail.with(|d| score(&d.version.definition, &d.evaluation.answers).ok())
    });
    let pass_mark = Signal::derive(move || detail.with(|d| d.version.definition.pass_mark));
    let definition = Signal::derive(move || detail.with(|d| d.version.definition.clone()));
    let answers = Signal::derive(move || detail.with(|d| d.evaluation.answers.clone()));
    // The way back to where this person works: an agent's feedback, else the queue for those
    // who review.
    let reviews = me
        .as_ref()
        .is_some_and(|u| u.role.can(Capability::ReviewCalls));
    let back = if is_agent {
        Some(("/me", t_string!(i18n, evaluation.back_to_feedback)))
    } else if reviews {
        Some(("/queue", t_string!(i18n, review.back)))
    } else {
        None
    };
    // The call's own recording, for everyone who may open the evaluation (its agent included):
    // each evidence moment below plays from there.
    let call = detail.with_untracked(|d| d.call.clone());
    let playback = Playback::new(call.duration_s);
    let recording = session.api().recording_url(&call).map(|src| {
        let lang = if call.language == kappa_domain::Language::Zh {
            "zh-CN"
        } else {
            "en"
        };
        (src, lang)
    });
    let has_recording = recording.is_some();
    view! {
        {back.map(|(href, text)| view! { <p class="breadcrumb"><A href=href><span aria-hidden="true">"← "</span>{text}</A></p> })}
        <PageHeader title=Signal::derive(move || t_string!(i18n, evaluation.title, id = id).to_string())>
            {is_agent.then(|| view! { <Acknowledge detail/> })}
        </PageHeader>
        <div class="detail-grid">
            <section class="card" aria-labelledby="evaluation-facts">
                <h2 id="evaluation-facts" class="visually-hidden">{t!(i18n, call.details)}</h2>
                {facts}
                <p class="hint">{t!(i18n, evaluation.pinned_note)}</p>
            </section>
            <section class="card" aria-labelledby="evaluation-score">
                <h2 id="evaluation-score">{t!(i18n, score.score)}</h2>
                {move || explanation.get().map(|e| view! { <ScoreHeadline explanation=e pass_mark/> })}
                <Feedback detail/>
            </section>
        </div>
        <Disputes detail is_agent arbitrates/>
        {move || explanation.get().map(|e| view! {
            <section class="card">
                <ExplanationTable definition answers explanation=e/>
            </section>
        })}
        {recording.map(|(src, lang)| view! {
            <section class="card" aria-labelledby="evaluation-recording">
                <h2 id="evaluation-recording">{t!(i18n, call.recording)}</h2>
                <Player playback src transcript=Vec::new() lang/>
            </section>
        })}
        <Notes detail playback=has_recording.then_some(playback)/>
        <History detail/>
        {amends.then(|| view! { <AmendForm detail/> })}
    }
}

/// A lead or admin changes the answers of a submitted evaluation, saying why; the engine
/// rescores and the history keeps the score before.
#[component]
fn AmendForm(detail: RwSignal<EvaluationDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<crate::api::ApiError>);
    let (definition, current) =
        detail.with_untracked(|d| (d.version.definition.clone(), d.evaluation.answers.clone()));
    let criteria: Vec<(Criterion, RwSignal<Option<Answer>>)> = definition
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| (c.clone(), RwSignal::new(current.get(&c.key).cloned())))
        .collect();
    let chosen = StoredValue::new(
        criteria
            .iter()
            .map(|(c, a)| (c.key.clone(), *a))
            .collect::<Vec<_>>(),
    );
    let save = move |_| {
        let (id, mut content) =
            detail.with_untracked(|d| (d.evaluation.id, d.evaluation.content()));
        content.answers = chosen.with_value(|list| {
            list.iter()
                .filter_map(|(k, a)| a.get_untracked().map(|a| (k.clone(), a)))
                .collect()
        });
        let amendment = Amendment {
            content,
            reason: reason.get_untracked(),
        };
        spawn_local(async move {
            match session.api().amend_evaluation(id, &amendment).await {
                Ok(d) => {
                    let _ = detail.try_set(d);
                    let _ = open.try_set(false);
                    let _ = error.try_set(None);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let rows = criteria
        .into_iter()
        .enumerate()
        .map(|(i, (c, answer))| {
            let title = title_or_key(&c.title, &c.key, format::is_zh());
            let options = offered(&definition, &c.key);
            view! { <div class="field">{answer_select(c, options, format!("amend-{i}"), title, answer)}</div> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="amend-title">
            <h2 id="amend-title">{t!(i18n, amend.title)}</h2>
            <p class="hint">{t!(i18n, amend.hint)}</p>
            {move || (!open.get()).then(|| view! {
                <button type="button" class="button" on:click=move |_| open.set(true) data-testid="open-amend">{t!(i18n, amend.open)}</button>
            })}
            <div class="amend-form" prop:hidden=move || !open.get()>
                <div class="check-grid">{rows}</div>
                <label for="amend-reason">{t!(i18n, amend.reason)}</label>
                <textarea id="amend-reason" rows="2" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                <div class="page-actions">
                    <button type="button" class="button button-primary" on:click=save data-testid="save-amend">{t!(i18n, amend.save)}</button>
                    <button type="button" class="button" on:click=move |_| open.set(false)>{t!(i18n, common.cancel)}</button>
                </div>
                <p role="alert" class="field-error">{move || error.get().map(|e| refused(&e))}</p>
            </div>
        </section>
    }
}

#[component]
fn Acknowledge(detail: RwSignal<EvaluationDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let error = RwSignal::new(None::<crate::api::ApiError>);
    let acknowledge = move |_| {
        let id = detail.with_untracked(|d| d.evaluation.id);
        spawn_local(async move {
            match session.api().acknowledge(id).await {
                Ok(d) => {
                    let _ = detail.try_set(d);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        {move || detail.with(|d| d.evaluation.acknowledged_at.is_none()).then(|| view! {
            <button type="button" class="button button-primary" on:click=acknowledge data-testid="acknowledge">{t!(i18n, evaluation.acknowledge)}</button>
        })}
        <span role="alert" class="field-error">{move || error.get().map(|e| labels::api_error(&e))}</span>
    }
}

#[component]
fn Feedback(detail: RwSignal<EvaluationDetail>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let text = detail.with(|d| d.evaluation.feedback.clone());
        (!text.trim().is_empty()).then(|| {
            view! {
                <h3>{t!(i18n, evaluation.feedback)}</h3>
                <p class="feedback-text" data-testid="feedback">{text}</p>
            }
        })
    }
}

/// The reviewer's comment and evidence marks per criterion.
#[component]
fn Notes(detail: RwSignal<EvaluationDetail>, playback: Option<Playback>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let d = detail.get();
        if d.evaluation.notes.is_empty() {
            return None;
        }
        let rows = d
            .evaluation
            .notes
            .iter()
            .map(|(key, note)| {
                // Each moment plays from there when the recording is on the page; else it is read.
                let marks = note.evidence.iter().map(|&ms| match playback {
                    Some(p) => view! {
                        <button type="button" class="link-button evidence-play" on:click=move |_| p.play_from(ms)
                            aria-label=move || t_string!(i18n, review.play_evidence, at = clock(ms)).to_string()>{format!("▶ {}", clock(ms))}</button>" "
                    }.into_any(),
                    None => view! { <span>{clock(ms)}" "</span> }.into_any(),
                }).collect_view();
                view! { <tr><th scope="row">{criterion_title(&d.version.definition, Some(key))}</th><td>{note.comment.clone()}</td><td class="num-inline">{marks}</td></tr> }
            })
            .collect_view();
        Some(view! {
            <section class="card" aria-labelledby="notes-title">
                <h2 id="notes-title">{t!(i18n, evaluation.notes)}</h2>
                // On a phone the table may scroll inside its card: the keyboard must reach it.
                <div class="table-wrap" tabindex="0" role="group" aria-labelledby="notes-title"><table class="data-table">
                    <thead><tr><th scope="col">{t!(i18n, review.criterion)}</th><th scope="col">{t!(i18n, review.comment)}</th><th scope="col">{t!(i18n, review.evidence)}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            </section>
        })
    }
}

#[component]
fn History(detail: RwSignal<EvaluationDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        detail.with(|d| {
            d.history
                .iter()
                .map(|line| {
                    let e = &line.event;
                    let kind = match e.kind {
                        ScoreEventKind::Submitted => t_string!(i18n, history.submitted),
                        ScoreEventKind::Amended => t_string!(i18n, history.amended),
                        ScoreEventKind::DisputeRuled => t_string!(i18n, history.dispute_ruled),
                    };
                    let verdict = if e.passed {
                        t_string!(i18n, score.pass)
                    } else {
                        t_string!(i18n, score.fail)
                    };
                    // Labelled cells: on a phone each step stacks as lines, as the breakdown does.
                    view! {
                        <tr>
                            <th scope="row">{kind}</th>
                            <td data-label=t_string!(i18n, history.by)>{line.actor.clone()}</td>
                            <td class="nowrap" data-label=t_string!(i18n, history.at)>{format::datetime(e.at)}</td>
                            <td class="num" data-label=t_string!(i18n, evaluation.col_score)>{format_percent(e.score / 100.0)}</td>
                            <td data-label=t_string!(i18n, evaluation.col_result)>{verdict}</td>
                            <td data-label=t_string!(i18n, history.reason)>{e.reason.clone()}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, history.title)}</h2>
            <div class="table-wrap" tabindex="0" role="group" aria-labelledby="history-title"><table class="data-table explain" data-testid="history">
                <thead><tr>
                    <th scope="col">{t!(i18n, history.step)}</th>
                    <th scope="col">{t!(i18n, history.by)}</th>
                    <th scope="col">{t!(i18n, history.at)}</th>
                    <th scope="col" class="num">{t!(i18n, evaluation.col_score)}</th>
                    <th scope="col">{t!(i18n, evaluation.col_result)}</th>
                    <th scope="col">{t!(i18n, history.reason)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
}

#[component]
fn Disputes(detail: RwSignal<EvaluationDetail>, is_agent: bool, arbitrates: bool) -> impl IntoView {
    let i18n = use_i18n();
    let now = crate::clock::now();
    move || {
        let d = detail.get();
        let open_window = kappa_domain::review::dispute_open(false, d.dispute_until, now);
        let raisable = is_agent && d.disputes.is_empty();
        let list = d.disputes.iter().map(|dispute| {
            let rule = arbitrates && dispute.ruling.is_none();
            view! { <DisputeView dispute=dispute.clone() definition=d.version.definition.clone() detail rule/> }
        }).collect_view();
        let hidden = d.disputes.is_empty() && !is_agent;
        (!hidden).then(|| view! {
            <section class="card" aria-labelledby="disputes-title">
                <h2 id="disputes-title">{t!(i18n, dispute.title)}</h2>
                {list}
                {(raisable && open_window).then(|| view! {
                    <p class="hint">{t_string!(i18n, dispute.window, until = format::datetime(d.dispute_until)).to_string()}</p>
                    <RaiseDispute detail/>
                })}
                {(raisable && !open_window).then(|| view! { <p class="muted">{t_string!(i18n, dispute.window_closed, until = format::datetime(d.dispute_until)).to_string()}</p> })}
            </section>
        })
    }
}

#[component]
fn DisputeView(
    dispute: Dispute,
    definition: ScorecardDefinition,
    detail: RwSignal<EvaluationDetail>,
    rule: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = dispute.status();
    let points = dispute
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let title = criterion_title(&definition, p.criterion.as_deref());
            let proposed = match (&p.criterion, &p.proposed) {
                (Some(key), Some(answer)) => criterion(&definition, key).map(|c| t_string!(i18n, dispute.proposes, answer = labels::answer(c, Some(answer))).to_string()),
                _ => None,
            };
            let ruled = dispute.ruling.as_ref().and_then(|r| r.points.get(i)).map(|r| {
                let answer = match (&p.criterion, &r.answer) {
                    (Some(key), Some(a)) => criterion(&definition, key).map(|c| format!(" → {}", labels::answer(c, Some(a)))),
                    _ => None,
                };
                view! { <p><strong>{verdict_label(r.verdict)}</strong>{answer.unwrap_or_default()}": "{r.reason.clone()}</p> }
            });
            view! {
                <li class="dispute-point">
                    <p><strong>{title}</strong>{proposed.map(|p| format!(" · {p}"))}</p>
                    <p>{p.comment.clone()}</p>
                    {ruled}
                </li>
            }
        })
        .collect_view();
    let raised = t_string!(
        i18n,
        dispute.raised,
        at = format::datetime(dispute.raised_at)
    )
    .to_string();
    view! {
        <div class="dispute" data-testid="dispute">
            <p><span class=status_class(status)>{dispute_status(status)}</span>" "<span class="muted">{raised}</span></p>
            <ol class="dispute-points">{points}</ol>
            {rule.then(|| view! { <RulingForm dispute=dispute.clone() definition=definition.clone() detail/> })}
        </div>
    }
}

/// The answers a criterion of this card takes: N/A only outside bonus sections.
fn offered(definition: &ScorecardDefinition, key: &str) -> Vec<Answer> {
    definition
        .sections
        .iter()
        .find_map(|s| {
            s.criteria
                .iter()
                .find(|c| c.key == key)
                .map(|c| c.offered(s.kind == SectionKind::Bonus))
        })
        .unwrap_or_default()
}

fn answer_select(
    c: Criterion,
    options: Vec<Answer>,
    id: String,
    label: String,
    chosen: RwSignal<Option<Answer>>,
) -> impl IntoView {
    let values = StoredValue::new(options.clone());
    view! {
        <label for=id.clone()>{label}</label>
        <select id=id on:change=move |ev| {
            let index = event_target_value(&ev).parse::<usize>().ok();
            chosen.set(index.and_then(|i| values.with_value(|v| v.get(i).cloned())));
        }>
            <option value="">"–"</option>
            {options.into_iter().enumerate().map(|(i, a)| {
                let text = labels::answer(&c, Some(&a));
                let selected = chosen.get_untracked().as_ref() == Some(&a);
                view! { <option value=i.to_string() selected=selected>{text}</option> }
            }).collect_view()}
        </select>
    }
}

#[derive(Clone)]
struct PointDraft {
    key: Option<String>,
    chosen: RwSignal<bool>,
    comment: RwSignal<String>,
    proposed: RwSignal<Option<Answer>>,
}

#[component]
fn RaiseDispute(detail: RwSignal<EvaluationDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let open = RwSignal::new(false);
    let error = RwSignal::new(None::<crate::api::ApiError>);
    let definition = detail.with_untracked(|d| d.version.definition.clone());
    let mut drafts = vec![PointDraft {
        key: None,
        chosen: RwSignal::new(false),
        comment: RwSignal::new(String::new()),
        proposed: RwSignal::new(None),
    }];
    drafts.extend(
        definition
            .sections
            .iter()
            .flat_map(|s| &s.criteria)
            .map(|c| PointDraft {
                key: Some(c.key.clone()),
                chosen: RwSignal::new(false),
                comment: RwSignal::new(String::new()),
                proposed: RwSignal::new(None),
            }),
    );
    let drafts = StoredValue::new(drafts);
    let points = move || -> Vec<DisputePoint> {
        drafts.with_value(|list| {
            list.iter()
                .filter(|p| p.chosen.get())
                .map(|p| DisputePoint {
                    criterion: p.key.clone(),
                    comment: p.comment.get(),
                    proposed: p.proposed.get(),
                })
                .collect()
        })
    };
    // The rules' own check, as the server will run it: Send stays off, and says why, until it
    // passes (an empty dispute is never sent to be refused).
    let checked_definition = definition.clone();
    let problems = Memo::new(move |_| {
        let answers = detail.with(|d| d.evaluation.answers.clone());
        review::check_points(&checked_definition, &answers, &points())
    });
    let why_not = {
        let definition = definition.clone();
        move || {
            let problem = problems.with(|p| p.first().cloned())?;
            if problem.field == "points" {
                return Some(t_string!(i18n, dispute.choose_first).to_string());
            }
            // `points[i].field`: name the point by its criterion.
            let index: Option<usize> = problem
                .field
                .strip_prefix("points[")
                .and_then(|rest| rest.split(']').next())
                .and_then(|i| i.parse().ok());
            let chosen = points();
            let title = index
                .and_then(|i| chosen.get(i))
                .map(|p| criterion_title(&definition, p.criterion.as_deref()))
                .unwrap_or_default();
            Some(
                if problem.field.ends_with(".comment")
                    && problem.problem == kappa_domain::Problem::Required
                {
                    t_string!(i18n, dispute.say_why, point = title).to_string()
                } else {
                    format!("{title}: {}", labels::query_problem(&problem.problem))
                },
            )
        }
    };
    let toggle = NodeRef::<leptos::html::Button>::new();
    let send = move |_| {
        let points = points();
        let id = detail.with_untracked(|d| d.evaluation.id);
        spawn_local(async move {
            match session
                .api()
                .raise_dispute(id, &DisputeRequest { points })
                .await
            {
                Ok(d) => {
                    let _ = detail.try_set(d);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let rows = drafts.get_value().into_iter().enumerate().map(|(i, p)| {
        let title = criterion_title(&definition, p.key.as_deref());
        let c = p.key.as_ref().and_then(|k| criterion(&definition, k)).cloned();
        let current = c.as_ref().map(|c| labels::answer(c, detail.with_untracked(|d| d.evaluation.answers.get(&c.key).cloned()).as_ref()));
        let options = c.as_ref().map(|c| offered(&definition, &c.key)).unwrap_or_default();
        let PointDraft { chosen, comment, proposed, .. } = p;
        view! {
            <div class="dispute-choice">
                <label class="answer-option">
                    <input type="checkbox" prop:checked=move || chosen.get() on:change=move |ev| chosen.set(event_target_checked(&ev)) data-testid=format!("dispute-point-{i}")/>
                    {title}{current.map(|a| view! { <span class="muted">{format!(" · {a}")}</span> })}
                </label>
                <Show when=move || chosen.get()>
                    <div class="dispute-fields">
                        {c.clone().map(|c| answer_select(c, options.clone(), format!("propose-{i}"), t_string!(i18n, dispute.propose).to_string(), proposed))}
                        <label for=format!("dispute-comment-{i}")>{t!(i18n, dispute.comment)}</label>
                        <textarea id=format!("dispute-comment-{i}") rows="2" required prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    </div>
                </Show>
            </div>
        }
    }).collect_view();
    let why_not = StoredValue::new(why_not);
    view! {
        <button type="button" class="button" node_ref=toggle aria-expanded=move || open.get().to_string() aria-controls="dispute-form"
            on:click=move |_| open.update(|o| *o = !*o) data-testid="open-dispute">{t!(i18n, dispute.raise)}</button>
        <fieldset id="dispute-form" class="dispute-form" hidden=move || !open.get()>
            <legend>{t!(i18n, dispute.choose)}</legend>
            {rows}
            <div class="page-actions">
                <button type="button" class="button button-primary" on:click=send data-testid="send-dispute"
                    disabled=move || !problems.with(Vec::is_empty) aria-describedby="dispute-why-not">{t!(i18n, dispute.send)}</button>
                <button type="button" class="button" on:click=move |_| {
                    open.set(false);
                    if let Some(button) = toggle.get() {
                        let _ = button.focus();
                    }
                }>{t!(i18n, common.cancel)}</button>
            </div>
            <p id="dispute-why-not" class="hint" data-testid="dispute-why-not">{move || why_not.with_value(|f| f())}</p>
            <p role="alert" class="field-error">{move || error.get().map(|e| refused(&e))}</p>
        </fieldset>
    }
}

/// One disputed point's inputs: the verdict (none until the lead picks one: no ruling is
/// suggested), its reason, and the answer a ruling sets.
type PointInputs = (
    RwSignal<Option<Verdict>>,
    RwSignal<String>,
    RwSignal<Option<Answer>>,
);

#[component]
fn RulingForm(
    dispute: Dispute,
    definition: ScorecardDefinition,
    detail: RwSignal<EvaluationDetail>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let error = RwSignal::new(None::<crate::api::ApiError>);
    let verdicts: Vec<PointInputs> = dispute
        .points
        .iter()
        .map(|_| {
            (
                RwSignal::new(None),
                RwSignal::new(String::new()),
                RwSignal::new(None),
            )
        })
        .collect();
    let stored = StoredValue::new(verdicts.clone());
    let id = dispute.id;
    let undecided =
        move || stored.with_value(|list| list.iter().any(|(v, _, _)| v.get().is_none()));
    let send = move |_| {
        let Some(points) = stored.with_value(|list| {
            list.iter()
                .map(|(v, r, a)| {
                    Some(PointRuling {
                        verdict: v.get_untracked()?,
                        reason: r.get_untracked(),
                        answer: a.get_untracked(),
                    })
                })
                .collect::<Option<Vec<_>>>()
        }) else {
            return;
        };
        spawn_local(async move {
            match session
                .api()
                .rule_dispute(id, &RulingRequest { points })
                .await
            {
                Ok(d) => {
                    let _ = detail.try_set(d);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let rows = dispute.points.iter().zip(verdicts).enumerate().map(|(i, (p, (verdict, reason, answer)))| {
        let c = p.criterion.as_ref().and_then(|k| criterion(&definition, k)).cloned();
        let options = c.as_ref().map(|c| offered(&definition, &c.key)).unwrap_or_default();
        let name = format!("verdict-{id}-{i}");
        let choice = move |v: Verdict| {
            let name = name.clone();
            view! {
                <label class="answer-option">
                    <input type="radio" name=name prop:checked=move || verdict.get() == Some(v) on:change=move |_| verdict.set(Some(v)) data-testid=format!("verdict-{i}-{}", serde_json::to_string(&v).unwrap_or_default().trim_matches('"'))/>
                    {verdict_label(v)}
                </label>
            }
        };
        view! {
            <fieldset class="ruling-point">
                <legend>{criterion_title(&definition, p.criterion.as_deref())}</legend>
                <div role="radiogroup" class="answer-options">{choice(Verdict::Accepted)}{choice(Verdict::PartlyAccepted)}{choice(Verdict::Rejected)}</div>
                {c.map(|c| view! {
                    <Show when=move || verdict.get() == Some(Verdict::PartlyAccepted)>
                        {answer_select(c.clone(), options.clone(), format!("ruling-answer-{id}-{i}"), t_string!(i18n, dispute.arbiter_answer).to_string(), answer)}
                    </Show>
                })}
                <label for=format!("ruling-reason-{id}-{i}")>{t!(i18n, dispute.reason)}</label>
                <textarea id=format!("ruling-reason-{id}-{i}") rows="2" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </fieldset>
        }
    }).collect_view();
    view! {
        <div class="ruling-form">
            <h3>{t!(i18n, dispute.rule_title)}</h3>
            {rows}
            <button type="button" class="button button-primary" on:click=send data-testid="send-ruling"
                disabled=undecided aria-describedby=format!("ruling-why-not-{id}")>{t!(i18n, dispute.rule)}</button>
            <p id=format!("ruling-why-not-{id}") class="hint">{move || undecided().then(|| t_string!(i18n, dispute.choose_verdicts))}</p>
            <p role="alert" class="field-error">{move || error.get().map(|e| refused(&e))}</p>
        </div>
    }
}
