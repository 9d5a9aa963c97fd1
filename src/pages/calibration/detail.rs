//! One calibration session: who has scored, the calls the signed-in scorer still has to score
//! (in the review workspace), the lead's reveal, the report and the consensus, to print or to
//! download as CSV. What the asker may see is decided by the domain before it gets here.

use super::consensus::{ConsensusForm, ConsensusNote};
use super::report::Report;
use super::{status_class, status_label, visibility_label};
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::calibration::{SessionView, Visibility};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

crate::pages::lazy::split_page!(work => SessionPage);

#[component]
pub fn SessionPage() -> impl IntoView {
    let loaded = crate::pages::load_by_route_id(|api, id| api.calibration(id));
    view! {
        <Suspense fallback=|| view! { <TableSkeleton rows=8/> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(view) => view! { <Session initial=view/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Session(initial: SessionView) -> impl IntoView {
    let current = RwSignal::new(initial);
    let updated = Callback::new(move |view: SessionView| current.set(view));
    move || {
        let view = current.get();
        view! { <SessionBody view updated/> }
    }
}

#[component]
fn SessionBody(view: SessionView, updated: Callback<SessionView>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let owner = Owner::current();
    let s = view.session.clone();
    let id = s.id;
    let revealed = s.revealed_at.is_some();
    let status = view.status;
    let title = s.title.clone();
    let card = view.version.definition.name.clone();
    let version = view.version.version;
    let creator = view.created_by.clone();
    let subtitle = Signal::derive(move || {
        t_string!(
            i18n,
            calibration.session_subtitle,
            card = format!("{} v{version}", card.pick(format::is_zh())),
            deadline = format::datetime(s.deadline),
            by = creator.clone()
        )
        .to_string()
    });
    let reveal_error = RwSignal::new(None::<crate::api::ApiError>);
    let revealing = RwSignal::new(false);
    let reveal = move |_| {
        revealing.set(true);
        reveal_error.set(None);
        spawn_local(async move {
            match session.api().reveal_calibration(id).await {
                Ok(view) => updated.run(view),
                Err(e) => {
                    let _ = reveal_error.try_set(Some(e));
                    let _ = revealing.try_set(false);
                }
            }
        });
    };
    let csv_view = view.clone();
    let download = move |_| {
        let Some(report) = csv_view.report.as_ref() else {
            return;
        };
        // A click runs outside the page's context: the page's owner lends it the language.
        let csv = owner
            .as_ref()
            .map(|o| o.with(|| super::export::report_csv(&csv_view, report)))
            .unwrap_or_default();
        super::export::download(&format!("calibration-{id}.csv"), &csv);
    };
    let has_report = view.report.is_some();
    let scorer_calls = (view.is_scorer && !revealed).then(|| view.clone());
    let report = view.report.clone().map(|r| (view.clone(), r));
    let consensus_form = (view.leads && revealed).then(|| view.clone());
    let visibility = view.session.visibility;
    view! {
        <p class="breadcrumb no-print"><A href="/calibration"><span aria-hidden="true">"← "</span>{t!(i18n, calibration.back)}</A></p>
        <PageHeader title=Signal::derive(move || title.pick(format::is_zh()).to_string()) subtitle>
            <span class=status_class(status)>{move || status_label(status)}</span>
            <span class="tag">{move || visibility_label(visibility)}</span>
            {has_report.then(|| view! {
                <button type="button" class="button no-print" on:click=download>{t!(i18n, calibration.download_csv)}</button>
                <button type="button" class="button no-print" on:click=|_| { let _ = window().print(); }>{t!(i18n, calibration.print)}</button>
            })}
            {(view.leads && !revealed).then(|| view! {
                <button type="button" class="button button-primary no-print" disabled=move || revealing.get() on:click=reveal>{t!(i18n, calibration.reveal)}</button>
            })}
        </PageHeader>
        {move || reveal_error.get().map(|e| view! { <ErrorView error=e/> })}
        {(!revealed).then(|| view! {
            <p class="alert alert-warning" role="note">{move || match visibility {
                Visibility::Blind => t_string!(i18n, calibration.blind_notice),
                Visibility::AfterSubmit => t_string!(i18n, calibration.after_submit_notice),
            }}</p>
        })}
        {scorer_calls.map(|view| view! { <YourCalls view/> })}
        <Progress view=view.clone()/>
        <ConsensusNote view=view.clone()/>
        {report.map(|(view, report)| view! { <Report view report/> })}
        {consensus_form.map(|view| view! { <ConsensusForm view saved=updated/> })}
    }
}

/// The calls the signed-in scorer scores in this session, each opening the review workspace.
#[component]
fn YourCalls(view: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = session.user.get_untracked().map_or(0, |u| u.id);
    let id = view.session.id;
    let rows = view
        .calls
        .iter()
        .map(|call| {
            let mine = view.scores.iter().find(|s| s.user_id == me && s.call_id == call.id).cloned();
            let started = call.started_at;
            let call_id = call.id;
            view! {
                <tr>
                    <td>{t_string!(i18n, calibration.call, id = call_id).to_string()}</td>
                    <td class="muted">{move || format::datetime(started)}</td>
                    <td class="num">{format::duration(call.duration_s)}</td>
                    <td>{match mine {
                        Some(score) => view! {
                            <span class="tag tag-ok">{t_string!(i18n, calibration.scored, score = format!("{:.1}", score.score)).to_string()}</span>
                            {score.late.then(|| view! { " " <span class="tag tag-warning">{t!(i18n, calibration.late)}</span> })}
                        }.into_any(),
                        None => view! { <A href=format!("/review/{call_id}?calibration={id}") attr:class="button button-small button-primary">{t!(i18n, calibration.score_call)}</A> }.into_any(),
                    }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card no-print" aria-labelledby="your-calls-title">
            <h2 id="your-calls-title">{t!(i18n, calibration.your_calls)}</h2>
            <p class="hint">{t!(i18n, calibration.your_calls_hint)}</p>
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, calibration.call_column)}</th>
                        <th scope="col">{t!(i18n, calibration.started)}</th>
                        <th scope="col" class="num">{t!(i18n, calibration.duration)}</th>
                        <th scope="col">{t!(i18n, calibration.your_score)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// Who has submitted which calls: visible in every mode, unlike the answers.
#[component]
fn Progress(view: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let calls = view.session.call_ids.len();
    let rows = view
        .progress
        .iter()
        .map(|p| {
            let done = p.submitted.len();
            view! {
                <tr>
                    <th scope="row">{p.name.clone()}{p.calibrator.then(|| view! { " " <span class="tag tag-accent">{t!(i18n, calibration.calibrator)}</span> })}</th>
                    <td class="num">{format!("{done} / {calls}")}</td>
                    <td>
                        {if done == calls { view! { <span class="tag tag-ok">{t!(i18n, calibration.complete)}</span> }.into_any() } else { view! { <span class="tag">{t!(i18n, calibration.waiting)}</span> }.into_any() }}
                        {p.late.then(|| view! { " " <span class="tag tag-warning">{t!(i18n, calibration.late)}</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="progress-title">
            <h2 id="progress-title">{t!(i18n, calibration.progress)}</h2>
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, calibration.scorer)}</th>
                        <th scope="col" class="num">{t!(i18n, calibration.submitted)}</th>
                        <th scope="col">{t!(i18n, calibration.status)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
