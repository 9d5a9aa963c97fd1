//! One sampling plan: what it asks for, every run it made (with its seed, so it can be redrawn)
//! and how each reviewer is getting on.

use super::preview::PreviewPanel;
use super::{recurrence_label, strategy_text, ProgressBar};
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::pages::load_by_route_id;
use crate::session::use_session;
use kappa_domain::api::Directory;
use kappa_domain::plan::PlanDetail;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

crate::pages::lazy::split_page!(plan => PlanPage);

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
    view! {
        <Transition fallback=|| view! { <TableSkeleton/> }>
            {move || Suspend::new(async move {
                match (fresh.get(), plan.await) {
                    (Some(detail), _) | (None, Ok(detail)) => view! { <PlanView detail directory fresh/> }.into_any(),
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
    let run = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match session.api().run_plan(id).await {
                Ok(d) => fresh.set(Some(d)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let title = spec.name.clone();
    let strategy = spec.strategy.clone();
    let recurrence = spec.recurrence;
    let window = spec.rolling_days;
    let population = spec.population.clone();
    let next_run = detail.next_run;
    // What the next run would draw today, with the precision it buys: asked for, not loaded.
    let preview = RwSignal::new(None::<kappa_domain::plan::PlanPreview>);
    let previewing = RwSignal::new(false);
    let spec_for_preview = spec.clone();
    let ask_preview = move |_| {
        let spec = spec_for_preview.clone();
        previewing.set(true);
        error.set(None);
        spawn_local(async move {
            match session.api().preview_plan(&spec).await {
                Ok(p) => preview.set(Some(p)),
                Err(e) => error.set(Some(e)),
            }
            previewing.set(false);
        });
    };
    view! {
        <PageHeader title=Signal::derive(move || title.clone()) subtitle=Signal::derive(move || strategy_text(&strategy))>
            <A href="/sampling" attr:class="button">{t!(i18n, sampling.back)}</A>
            <button type="button" class="button button-primary" disabled=move || busy.get() on:click=run>{t!(i18n, sampling.run_now)}</button>
        </PageHeader>
        {move || error.get().map(|e| view! { <ErrorView error=e/> })}
        <section class="card" aria-labelledby="spec-title">
            <h2 id="spec-title">{t!(i18n, sampling.spec_title)}</h2>
            <dl class="plan-facts">
                <div><dt>{t!(i18n, sampling.col_recurrence)}</dt><dd>{move || recurrence_label(recurrence)}</dd></div>
                <div><dt>{t!(i18n, sampling.col_next)}</dt><dd>{move || next_run.map(format::date).unwrap_or_else(|| "–".into())}</dd></div>
                <div><dt>{t!(i18n, sampling.window)}</dt><dd>{move || match window {
                    Some(days) => t_string!(i18n, sampling.last_days, days = days).to_string(),
                    None => t_string!(i18n, sampling.window_fixed).to_string(),
                }}</dd></div>
                <div><dt>{t!(i18n, sampling.population)}</dt><dd><code>{if population.is_empty() { "–".to_string() } else { population.clone() }}</code></dd></div>
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
                    <button type="button" class="button" disabled=move || previewing.get() on:click=ask_preview.clone()>{t!(i18n, sampling.preview)}</button>
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
