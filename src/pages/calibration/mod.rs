//! Calibration: the sessions a lead runs and reviewers score in, with a new session's form;
//! one session's scoring, reveal, report and consensus (`detail`); each reviewer's alignment
//! across sessions (`history`).

mod consensus;
pub mod detail;
mod export;
mod form;
pub mod history;
mod report;

use crate::components::state::{EmptyState, ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::calibration::{SessionStatus, SessionSummary, Visibility};
use kappa_domain::Capability;
use leptos::prelude::*;
use leptos_router::components::A;

crate::pages::lazy::split_page!(work => CalibrationPage);

pub fn status_label(status: SessionStatus) -> &'static str {
    let i18n = use_i18n();
    match status {
        SessionStatus::Open => t_string!(i18n, calibration.status_open),
        SessionStatus::Overdue => t_string!(i18n, calibration.status_overdue),
        SessionStatus::Revealed => t_string!(i18n, calibration.status_revealed),
        SessionStatus::Agreed => t_string!(i18n, calibration.status_agreed),
    }
}

pub fn status_class(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Open => "tag tag-accent",
        SessionStatus::Overdue => "tag tag-danger",
        SessionStatus::Revealed => "tag tag-warning",
        SessionStatus::Agreed => "tag tag-ok",
    }
}

pub fn visibility_label(visibility: Visibility) -> &'static str {
    let i18n = use_i18n();
    match visibility {
        Visibility::Blind => t_string!(i18n, calibration.blind),
        Visibility::AfterSubmit => t_string!(i18n, calibration.after_submit),
    }
}

#[component]
pub fn CalibrationPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let runs = session
        .user
        .get_untracked()
        .is_some_and(|u| u.role.can(Capability::RunCalibration));
    let creating = RwSignal::new(false);
    let sessions = LocalResource::new(move || async move { session.api().calibrations().await });
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, calibration.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, calibration.subtitle).to_string())>
            <A href="/calibration/history" attr:class="button">{t!(i18n, calibration.history)}</A>
            {runs.then(|| view! {
                <button type="button" class="button button-primary" disabled=move || creating.get() on:click=move |_| creating.set(true)>
                    {t!(i18n, calibration.new)}
                </button>
            })}
        </PageHeader>
        {move || creating.get().then(|| view! { <form::SessionForm cancel=Callback::new(move |()| creating.set(false))/> })}
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t!(i18n, calibration.sessions)}</h2>
            <Transition fallback=|| view! { <TableSkeleton rows=5/> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) if list.is_empty() => view! {
                            <EmptyState title=Signal::derive(move || t_string!(i18n, calibration.empty_title).to_string())
                                body=Signal::derive(move || if runs { t_string!(i18n, calibration.empty_body).to_string() } else { t_string!(i18n, calibration.empty_body_reviewer).to_string() })/>
                        }.into_any(),
                        Ok(list) => view! { <SessionTable list/> }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SessionTable(list: Vec<SessionSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = list
        .into_iter()
        .map(|s| {
            let total = s.calls * s.scorers;
            let card = s.scorecard.clone();
            let title = s.title.clone();
            view! {
                <tr>
                    <td><A href=format!("/calibration/{}", s.id)>{move || title.pick(format::is_zh()).to_string()}</A></td>
                    <td>{move || card.pick(format::is_zh()).to_string()}</td>
                    <td><span class=status_class(s.status)>{move || status_label(s.status)}</span></td>
                    <td>{move || visibility_label(s.visibility)}</td>
                    <td class="muted">{move || format::datetime(s.deadline)}</td>
                    <td class="num">{format!("{} / {}", s.submitted, total)}</td>
                    <td>{(s.mine_open > 0).then(|| view! {
                        <A href=format!("/calibration/{}", s.id) attr:class="tag tag-warning">{move || t_string!(i18n, calibration.mine_open, count = s.mine_open)}</A>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, calibration.session)}</th>
                        <th scope="col">{t!(i18n, calibration.scorecard)}</th>
                        <th scope="col">{t!(i18n, calibration.status)}</th>
                        <th scope="col">{t!(i18n, calibration.visibility)}</th>
                        <th scope="col">{t!(i18n, calibration.deadline)}</th>
                        <th scope="col" class="num">{t!(i18n, calibration.submitted)}</th>
                        <th scope="col">{t!(i18n, calibration.yours)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
