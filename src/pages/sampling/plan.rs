//! One sampling plan: what it asks for, every run it made (with its seed, so it can be redrawn)
//! and how each reviewer is getting on.

use super::form::{Editing, PlanForm};
use super::preview::PreviewPanel;
use super::{recurrence_label, strategy_text, PlanStatusTag, ProgressBar};
use crate::components::labels;
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::pages::load_by_route_id;
use crate::session::use_session;
use kappa_domain::api::Directory;
use kappa_domain::plan::{PlanDetail, PlanPreview, PlanStatus, PlanStatusChange};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

crate::pages::lazy::split_page!(setup => PlanPage);

#[component]
pub fn PlanPage() -> impl IntoView {
    let session = use_session();
    let plan = load_by_route_id(|api, id| api.plan(id));
    let directory = LocalResource::new(move || async move { session.api().directory().await });
    let directory = Signal::derive(move || {
        directory.get().and_then(Result::ok).unwrap_or(Directory {
            teams: vec![],
            users: vec![],
        })
    });
    let fresh = RwSignal::new(None::<PlanDetail>);
    // Outlives the view it is shown in: a saved edit draws the plan anew.
    let notice = RwSignal::new(None::<&'static str>);
    view! {
        <Transition fallback=|| view! { <TableSkeleton/> }>
            {move || Suspend::new(async move {
                match (fresh.get(), plan.await) {
                    (Some(detail), _) | (None, Ok(detail)) => view! { <PlanView detail directory fresh notice/> }.into_any(),
                    (None, Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PlanView(
    detail: PlanDetail,
    directory: Signal<Directory>,
    fresh: RwSignal<Option<PlanDetail>>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let spec = detail.plan.spec.clone();
    let id = detail.plan.id;
    let name_of = move |id: u32| {
        directory.with(|d| {
            d.users
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.display_name.clone())
                .unwrap_or_else(|| id.to_string())
        })
    };
    let error = RwSignal::new(None::<crate::api::ApiError>);
    let busy = RwSignal::new(false);
    // What the next run would draw today, into `into`, with `working` set while asked.
    let spec_for_preview = StoredValue::new(spec.clone());
    let fetch_preview = move |into: RwSignal<Option<PlanPreview>>, working: RwSignal<bool>| {
        let spec = spec_for_preview.get_value();
        working.set(true);
        error.set(None);
        spawn_local(async move {
            match session.api().preview_plan(&spec).await {
                Ok(p) => into.set(Some(p)),
                Err(e) => error.set(Some(e)),
            }
            working.set(false);
        });
    };
    // "Run now" assigns work: it first says what it will do (from a preview) and waits for a
    // second, explicit yes.
    let confirming = RwSignal::new(None::<PlanPreview>);
    let run = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let answer = session.api().run_plan(id).await;
            busy.try_set(false);
            match answer {
                Ok(d) => {
                    confirming.try_set(None);
                    fresh.set(Some(d));
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    // Pause, resume, archive, restore: each from the revision this page read.
    let (status, revision) = (detail.plan.status, detail.plan.revision);
    let set_status = move |to: PlanStatus| {
        busy.set(true);
        error.set(None);
        notice.set(None);
        spawn_local(async move {
            let change = PlanStatusChange {
                status: to,
                revision,
            };
            // A new plan view replaces this one (and its signals) once the answer is shown.
            busy.try_set(false);
            match session.api().set_plan_status(id, change).await {
                Ok(d) => fresh.set(Some(d)),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let editing = RwSignal::new(false);
    let edit = Editing {
        id,
        revision,
        spec: spec.clone(),
    };
    let saved = Callback::new(move |_: (u32, u32)| {
        editing.set(false);
        notice.set(Some(t_string!(i18n, sampling.edited_notice)));
        spawn_local(async move {
            match session.api().plan(id).await {
                Ok(d) => fresh.set(Some(d)),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let archived = status == PlanStatus::Archived;
    let title = spec.name.clone();
    let strategy = spec.strategy.clone();
    let recurrence = spec.recurrence;
    let window = spec.rolling_days;
    let population = spec.population.clone();
    let next_run = detail.next_run;
    // What the next run would draw today, with the precision it buys: asked for, not loaded.
    let preview = RwSignal::new(None::<PlanPreview>);
    let previewing = RwSignal::new(false);
    view! {
        <PageHeader title=Signal::derive(move || title.pick(format::is_zh()).to_string()) subtitle=Signal::derive(move || strategy_text(&strategy))>
            <A href="/sampling" attr:class="button">{t!(i18n, sampling.back)}</A>
            {(!archived).then(|| view! {
                <button type="button" class="button" disabled=move || busy.get() || editing.get() on:click=move |_| { notice.set(None); editing.set(true) } data-testid="edit-plan">{t!(i18n, sampling.edit)}</button>
            })}
            {match status {
                PlanStatus::Active => view! { <button type="button" class="button" disabled=move || busy.get() on:click=move |_| set_status(PlanStatus::Paused) data-testid="pause-plan">{t!(i18n, sampling.pause)}</button> }.into_any(),
                PlanStatus::Paused => view! { <button type="button" class="button" disabled=move || busy.get() on:click=move |_| set_status(PlanStatus::Active) data-testid="resume-plan">{t!(i18n, sampling.resume)}</button> }.into_any(),
                PlanStatus::Archived => view! { <button type="button" class="button" disabled=move || busy.get() on:click=move |_| set_status(PlanStatus::Paused) data-testid="restore-plan">{t!(i18n, sampling.restore)}</button> }.into_any(),
            }}
            {(!archived).then(|| view! {
                <button type="button" class="button" disabled=move || busy.get() on:click=move |_| set_status(PlanStatus::Archived) data-testid="archive-plan">{t!(i18n, sampling.archive)}</button>
                <button type="button" class="button button-primary" disabled=move || busy.get() || confirming.with(Option::is_some) on:click=move |_| fetch_preview(confirming, busy) data-testid="run-now">{t!(i18n, sampling.run_now)}</button>
            })}
        </PageHeader>
        {move || error.get().map(|e| view! { <ErrorView error=e/> })}
        {move || notice.get().map(|text| view! { <div class="alert alert-ok" role="status">{text}</div> })}
        {match status {
            PlanStatus::Active => None,
            PlanStatus::Paused => Some(view! { <p class="alert alert-warning" data-testid="plan-status-note"><PlanStatusTag status/>" "{t!(i18n, sampling.paused_note)}</p> }.into_any()),
            PlanStatus::Archived => Some(view! { <p class="alert" data-testid="plan-status-note"><PlanStatusTag status/>" "{t!(i18n, sampling.archived_note)}</p> }.into_any()),
        }}
        {move || editing.get().then(|| view! { <PlanForm committed=saved cancel=Callback::new(move |()| editing.set(false)) editing=edit.clone()/> })}
        {move || confirming.get().map(|p| {
            let reviewers = p.per_reviewer.iter().filter(|(_, n)| *n > 0).count();
            view! {
                <div class="alert alert-warning" role="alertdialog" aria-labelledby="run-confirm-text" data-testid="run-confirm">
                    <p id="run-confirm-text">{move || if p.sampled == 0 {
                        t_string!(i18n, sampling.run_confirm_nothing).to_string()
                    } else {
                        t_string!(i18n, sampling.run_confirm, calls = format::int(p.sampled), reviewers = reviewers, due = format::date(p.due)).to_string()
                    }}</p>
                    <div class="alert-actions">
                        <button type="button" class="button button-primary" disabled=move || busy.get() || p.sampled == 0 on:click=run data-testid="run-confirmed">{t!(i18n, sampling.run_confirmed)}</button>
                        <button type="button" class="button" on:click=move |_| confirming.set(None)>{t!(i18n, common.cancel)}</button>
                    </div>
                </div>
            }
        })}
        <section class="card" aria-labelledby="spec-title">
            <h2 id="spec-title">{t!(i18n, sampling.spec_title)}</h2>
            <dl class="plan-facts">
                <div><dt>{t!(i18n, sampling.col_recurrence)}</dt><dd>{move || recurrence_label(recurrence)}</dd></div>
                <div><dt>{t!(i18n, sampling.col_next)}</dt><dd>{move || next_run.map(format::date).unwrap_or_else(|| "–".into())}</dd></div>
                <div><dt>{t!(i18n, sampling.window)}</dt><dd>{move || match window {
                    Some(days) => t_string!(i18n, sampling.last_days, days = days).to_string(),
                    None => t_string!(i18n, sampling.window_fixed).to_string(),
                }}</dd></div>
                <div><dt>{t!(i18n, sampling.population)}</dt><dd data-testid="plan-population">{move || directory.with(|d| population_text(&population, d))}</dd></div>
                <div><dt>{t!(i18n, sampling.seed)}</dt><dd>{spec.seed}</dd></div>
                <div><dt>{t!(i18n, sampling.reviewers)}</dt><dd>{move || spec.reviewers.iter().map(|r| name_of(*r)).collect::<Vec<_>>().join(", ")}</dd></div>
            </dl>
        </section>
        <section class="card" aria-labelledby="next-preview-title">
            <h2 id="next-preview-title">{t!(i18n, sampling.next_preview_title)}</h2>
            {move || match preview.get() {
                Some(p) => view! { <PreviewPanel preview=p directory busy=previewing/> }.into_any(),
                None => view! {
                    <p class="muted">{t!(i18n, sampling.next_preview_body)}</p>
                    <button type="button" class="button" disabled=move || previewing.get() on:click=move |_| fetch_preview(preview, previewing)>{t!(i18n, sampling.preview)}</button>
                }.into_any(),
            }}
        </section>
        <section class="card" aria-labelledby="progress-title">
            <h2 id="progress-title">{t!(i18n, sampling.progress_title)}</h2>
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, queue_page.reviewer)}</th>
                        <th scope="col">{t!(i18n, sampling.col_progress)}</th>
                        <th scope="col" class="num">{t!(i18n, queue_page.show_done)}</th>
                        <th scope="col" class="num">{t!(i18n, queue_page.show_open)}</th>
                        <th scope="col" class="num">{t!(i18n, queue_page.show_overdue)}</th>
                        <th scope="col" class="num">{t!(i18n, queue_page.show_replaced)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, queue_page.col_actions)}</span></th>
                    </tr></thead>
                    <tbody>
                        {detail.progress.into_iter().map(|(reviewer, p)| view! {
                            <tr>
                                <td>{move || name_of(reviewer)}</td>
                                <td><ProgressBar done=p.done total=p.done + p.open/></td>
                                <td class="num">{format::int(p.done)}</td>
                                <td class="num">{format::int(p.open)}</td>
                                <td class="num" class:text-warning={p.overdue > 0}>{format::int(p.overdue)}</td>
                                <td class="num">{format::int(p.replaced)}</td>
                                <td><A href=format!("/queue?reviewer={reviewer}&plan={id}&show=all")>{t!(i18n, sampling.open_queue)}<span class="visually-hidden">{move || format!(" {}", name_of(reviewer))}</span></A></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="card" aria-labelledby="runs-title">
            <h2 id="runs-title">{t!(i18n, sampling.runs_title)}</h2>
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, sampling.col_run)}</th>
                        <th scope="col">{t!(i18n, sampling.col_run_on)}</th>
                        <th scope="col">{t!(i18n, sampling.window)}</th>
                        <th scope="col" class="num">{t!(i18n, sampling.population_size)}</th>
                        <th scope="col" class="num">{t!(i18n, sampling.sample_size)}</th>
                        <th scope="col">{t!(i18n, queue_page.col_due)}</th>
                        <th scope="col">{t!(i18n, sampling.run_seed)}</th>
                    </tr></thead>
                    <tbody>
                        {detail.runs.into_iter().map(|r| {
                            let short = r.short();
                            view! {
                                <tr>
                                    <td>{r.number}</td>
                                    <td class="nowrap">{move || format::date(r.run_on)}</td>
                                    <td class="nowrap">{move || match (r.from, r.to) {
                                        (Some(f), Some(t)) => format!("{} – {}", format::date(f), format::date(t)),
                                        _ => "–".into(),
                                    }}</td>
                                    <td class="num">{format::int(r.population)}</td>
                                    <td class="num">
                                        {format::int(r.sampled)}" / "{format::int(r.requested)}
                                        {short.then(|| view! { " " <span class="tag tag-warning">{move || t_string!(i18n, sampling.short_run)}</span> })}
                                    </td>
                                    <td class="nowrap">{move || format::date(r.due)}</td>
                                    <td><code>{format!("{:016x}", r.seed)}</code></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// A plan's population (a call-library query) in the reader's words: each filter named with the
/// call library's own label and its value by name, never the query's codes and ids.
fn population_text(population: &str, directory: &Directory) -> String {
    let i18n = use_i18n();
    let zh = format::is_zh();
    let (q, _) = kappa_domain::CallQuery::from_query_string(population);
    let yes_no = |v: bool| {
        if v {
            t_string!(i18n, calls.yes)
        } else {
            t_string!(i18n, calls.no)
        }
    };
    let mut parts: Vec<String> = Vec::new();
    // Chinese takes the full-width colon, with no space after it.
    let colon = if zh { "：" } else { ": " };
    let mut add = |label: &str, value: String| parts.push(format!("{label}{colon}{value}"));
    if let Some(d) = q.from {
        add(t_string!(i18n, calls.from), format::date(d));
    }
    if let Some(d) = q.to {
        add(t_string!(i18n, calls.to), format::date(d));
    }
    if let Some(team) = q.team {
        let name = directory
            .teams
            .iter()
            .find(|t| t.id == team)
            .map(|t| t.name.pick(zh).to_string())
            .unwrap_or_else(|| format!("#{team}"));
        add(t_string!(i18n, calls.team), name);
    }
    if let Some(agent) = q.agent {
        let name = directory
            .users
            .iter()
            .find(|u| u.id == agent)
            .map(|u| u.display_name.clone())
            .unwrap_or_else(|| format!("#{agent}"));
        add(t_string!(i18n, calls.agent), name);
    }
    if let Some(queue) = &q.queue {
        add(t_string!(i18n, calls.col_queue), labels::queue(queue));
    }
    if let Some(direction) = q.direction {
        add(
            t_string!(i18n, calls.direction),
            labels::direction(direction).to_string(),
        );
    }
    if let Some(disposition) = &q.disposition {
        add(
            t_string!(i18n, calls.disposition),
            labels::disposition(disposition),
        );
    }
    // A range's two ends, either one open.
    let range = |min: Option<String>, max: Option<String>| {
        (min.is_some() || max.is_some())
            .then(|| format!("{} – {}", min.unwrap_or_default(), max.unwrap_or_default()))
    };
    if let Some(r) = range(
        q.min_duration.map(format::duration),
        q.max_duration.map(format::duration),
    ) {
        add(t_string!(i18n, calls.col_duration), r);
    }
    if let Some(r) = range(
        q.min_csat.map(|v| v.to_string()),
        q.max_csat.map(|v| v.to_string()),
    ) {
        add(t_string!(i18n, calls.col_csat), r);
    }
    if let Some(v) = q.complaint {
        add(t_string!(i18n, calls.complaint), yes_no(v).to_string());
    }
    if let Some(v) = q.recorded {
        add(t_string!(i18n, calls.recorded), yes_no(v).to_string());
    }
    if parts.is_empty() {
        t_string!(i18n, sampling.population_all).to_string()
    } else {
        parts.join(" · ")
    }
}
