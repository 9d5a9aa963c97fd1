//! Sampling plans: the list with each plan's progress, a new plan with its preview, and the
//! sample size calculator. One plan's runs and reviewers are on its own page (`plan`).

mod calculator;
mod form;
pub mod plan;
pub mod preview;

use crate::components::state::{EmptyState, ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::plan::{PlanStatus, PlanSummary, Recurrence};
use kappa_domain::sampling::{Allocation, Strategy};
use leptos::prelude::*;
use leptos_router::components::A;

crate::pages::lazy::split_page!(setup => SamplingPage);

#[component]
pub fn SamplingPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let changed = RwSignal::new(0u32);
    let plans = LocalResource::new(move || {
        changed.track();
        async move { session.api().plans().await }
    });
    let creating = RwSignal::new(false);
    let notice = RwSignal::new(None::<(String, u32)>);
    let committed = Callback::new(move |(id, sampled): (u32, u32)| {
        creating.set(false);
        notice.set(Some((
            t_string!(
                i18n,
                sampling.committed_notice,
                count = format::int(sampled)
            )
            .to_string(),
            id,
        )));
        changed.update(|n| *n += 1);
    });
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, sampling.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, sampling.subtitle).to_string())>
            <button type="button" class="button button-primary" disabled=move || creating.get() on:click=move |_| { notice.set(None); creating.set(true) }>
                {t!(i18n, sampling.new)}
            </button>
        </PageHeader>
        {move || notice.get().map(|(text, id)| view! {
            <div class="alert alert-ok" role="status">{text}" "<A href=format!("/sampling/{id}")>{t!(i18n, sampling.open_plan)}</A></div>
        })}
        {move || creating.get().then(|| view! { <form::PlanForm committed cancel=Callback::new(move |()| creating.set(false))/> })}
        <section class="card" aria-labelledby="plans-title">
                <h2 id="plans-title">{t!(i18n, sampling.plans)}</h2>
                <Transition fallback=|| view! { <TableSkeleton rows=4/> }>
                    {move || Suspend::new(async move {
                        match plans.await {
                            Ok(list) if list.is_empty() => view! {
                                <EmptyState title=Signal::derive(move || t_string!(i18n, sampling.empty_title).to_string())
                                    body=Signal::derive(move || t_string!(i18n, sampling.empty_body).to_string())/>
                            }.into_any(),
                            Ok(list) => view! { <PlanTable plans=list/> }.into_any(),
                            Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        }
                    })}
                </Transition>
        </section>
        <calculator::Calculator/>
    }
}

/// Plans, active and paused first; archived ones on request. Running is on a plan's own page,
/// where it is confirmed with what it will draw.
#[component]
fn PlanTable(plans: Vec<PlanSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let archived = plans
        .iter()
        .filter(|p| p.plan.status == PlanStatus::Archived)
        .count();
    let show_archived = RwSignal::new(false);
    let rows = plans
        .into_iter()
        .map(|summary| {
            let id = summary.plan.id;
            let status = summary.plan.status;
            let p = summary.progress;
            let total = p.open + p.done;
            let strategy = summary.plan.spec.strategy.clone();
            let recurrence = summary.plan.spec.recurrence;
            let name = summary.plan.spec.name.clone();
            view! {
                <tr hidden=move || status == PlanStatus::Archived && !show_archived.get()>
                    <td><A href=format!("/sampling/{id}")>{move || name.pick(format::is_zh()).to_string()}</A></td>
                    <td><PlanStatusTag status/></td>
                    <td>{move || strategy_text(&strategy)}</td>
                    <td>{move || recurrence_label(recurrence)}</td>
                    <td class="nowrap">{move || summary.last_run.map(format::date).unwrap_or_else(|| "–".into())}</td>
                    <td class="nowrap">{move || summary.next_run.map(format::date).unwrap_or_else(|| "–".into())}</td>
                    <td>
                        <ProgressBar done=p.done total/>
                        <span class="hint">{move || t_string!(i18n, sampling.progress_text, done = p.done, open = p.open, overdue = p.overdue).to_string()}</span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, sampling.col_name)}</th>
                    <th scope="col">{t!(i18n, sampling.col_status)}</th>
                    <th scope="col">{t!(i18n, sampling.col_strategy)}</th>
                    <th scope="col">{t!(i18n, sampling.col_recurrence)}</th>
                    <th scope="col">{t!(i18n, sampling.col_last)}</th>
                    <th scope="col">{t!(i18n, sampling.col_next)}</th>
                    <th scope="col">{t!(i18n, sampling.col_progress)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(archived > 0).then(|| view! {
            <button type="button" class="button button-small toggle-archived" aria-pressed=move || show_archived.get().to_string()
                on:click=move |_| show_archived.update(|s| *s = !*s) data-testid="toggle-archived">
                {move || if show_archived.get() { t_string!(i18n, sampling.hide_archived).to_string() } else { t_string!(i18n, sampling.show_archived, n = archived).to_string() }}
            </button>
        })}
    }
}

/// A plan's status in words; only the states that change what the plan does stand out.
#[component]
pub fn PlanStatusTag(status: PlanStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = match status {
        PlanStatus::Active => "tag tag-ok",
        PlanStatus::Paused => "tag tag-warning",
        PlanStatus::Archived => "tag",
    };
    view! {
        <span class=class data-testid="plan-status">{move || match status {
            PlanStatus::Active => t_string!(i18n, sampling.status_active),
            PlanStatus::Paused => t_string!(i18n, sampling.status_paused),
            PlanStatus::Archived => t_string!(i18n, sampling.status_archived),
        }}</span>
    }
}

/// Done out of all assigned (replaced calls do not count: their replacements do). A native
/// progress element: the page's policy allows no inline styles to draw a bar with.
#[component]
pub fn ProgressBar(done: u32, total: u32) -> impl IntoView {
    let i18n = use_i18n();
    view! { <progress class="progress" max=total.max(1) value=done aria-label=move || t_string!(i18n, sampling.col_progress)></progress> }
}

pub fn strategy_text(strategy: &Strategy) -> String {
    let i18n = use_i18n();
    match strategy {
        Strategy::PerAgent { n } => {
            t_string!(i18n, sampling.strategy_per_agent_text, n = *n).to_string()
        }
        Strategy::Total { n } => t_string!(i18n, sampling.strategy_total_text, n = *n).to_string(),
        Strategy::Stratified { by, allocation, n } => t_string!(
            i18n,
            sampling.strategy_stratified_text,
            n = *n,
            field = crate::components::labels::stratum_field(*by),
            allocation = allocation_label(*allocation)
        )
        .to_string(),
        Strategy::Targeted {
            n,
            complaints_pct,
            low_csat_pct,
        } => t_string!(
            i18n,
            sampling.strategy_targeted_text,
            n = *n,
            complaints = *complaints_pct,
            low = *low_csat_pct
        )
        .to_string(),
    }
}

pub fn allocation_label(allocation: Allocation) -> &'static str {
    let i18n = use_i18n();
    match allocation {
        Allocation::Proportional => t_string!(i18n, sampling.allocation_proportional),
        Allocation::Equal => t_string!(i18n, sampling.allocation_equal),
    }
}

pub fn recurrence_label(recurrence: Recurrence) -> &'static str {
    let i18n = use_i18n();
    match recurrence {
        Recurrence::Once => t_string!(i18n, sampling.recurrence_once),
        Recurrence::Daily => t_string!(i18n, sampling.recurrence_daily),
        Recurrence::Weekly => t_string!(i18n, sampling.recurrence_weekly),
        Recurrence::Monthly => t_string!(i18n, sampling.recurrence_monthly),
    }
}
