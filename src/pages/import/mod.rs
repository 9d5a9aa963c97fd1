//! Bringing the centre's call records in from a file: the lead picks an export, sees at once
//! how Kappa reads it (encoding, columns, first rows, how each column maps), uploads it for a
//! dry run that says what the centre would take, maps the names it does not know, and commits
//! exactly that, following its progress. Every import stays listed as its audit.

mod choose;
mod run;

use crate::api::Mode;
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::file_import::{FileImport, ImportId, ImportState};
use leptos::prelude::*;

crate::pages::lazy::split_page!(import => ImportPage);

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // The import the page follows: the one just started, or one opened from the list.
    let current = RwSignal::new(None::<ImportId>);
    // Bumped when an import moves on, so the list shows it.
    let listed = RwSignal::new(0u32);
    let fixtures = session.api().mode == Mode::Fixtures;
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, import.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, import.subtitle).to_string())/>
        {fixtures.then(|| view! {
            <p class="alert alert-info" role="note">{move || t_string!(i18n, import.static_cap,
                calls = crate::format::int(crate::api::STATIC_IMPORT_CALLS as i64),
                megabytes = crate::api::STATIC_IMPORT_BYTES >> 20).to_string()}</p>
        })}
        <choose::FileChoice started=Callback::new(move |import: FileImport| {
            current.set(Some(import.id));
            listed.update(|n| *n += 1);
        })/>
        {move || current.get().map(|id| view! {
            <run::ImportRun id moved=Callback::new(move |()| listed.update(|n| *n += 1))/>
        })}
        <ImportHistory listed current/>
    }
}

/// Every import the lead may see (an administrator: everyone's): the centre's record of what
/// came in, when, from which file, and what it did.
#[component]
fn ImportHistory(listed: RwSignal<u32>, current: RwSignal<Option<ImportId>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let imports = LocalResource::new(move || {
        listed.track();
        session.api().file_imports()
    });
    view! {
        <section class="card" aria-labelledby="import-history">
            <h2 id="import-history">{t!(i18n, import.history)}</h2>
            <Suspense fallback=|| view! { <TableSkeleton rows=3/> }>
                {move || Suspend::new(async move {
                    match imports.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty-note">{t!(i18n, import.history_empty)}</p>
                        }.into_any(),
                        Ok(list) => view! { <HistoryTable list current/> }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn HistoryTable(list: Vec<FileImport>, current: RwSignal<Option<ImportId>>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = list
        .into_iter()
        .map(|import| {
            let id = import.id;
            let tally = import.committed.as_ref().or(import.dry_run.as_ref());
            let counts = tally.map(|t| {
                let (new, updated, refused) = (t.new, t.updated, t.refused);
                move || t_string!(i18n, import.counts, new = new, updated = updated, refused = refused).to_string()
            });
            let state = import.state;
            let file = import.file_name.clone();
            view! {
                <tr>
                    <td>{crate::format::datetime(import.at)}</td>
                    <td class="cell-wrap">{import.file_name.clone()}
                        <span class="muted digest" title=import.sha256.clone()>{format!(" · {}", import.sha256.get(..12).unwrap_or(&import.sha256))}</span></td>
                    <td>{import.source.clone()}</td>
                    <td><span class=format!("badge import-{}", state.code())>{move || state_label(state)}</span></td>
                    <td>{counts}</td>
                    <td><button type="button" class="button button-small"
                        aria-label=move || t_string!(i18n, import.open_named, file = file.clone()).to_string()
                        on:click=move |_| current.set(Some(id))>{t!(i18n, import.open)}</button></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, import.col_when)}</th>
                    <th scope="col">{t!(i18n, import.col_file)}</th>
                    <th scope="col">{t!(i18n, import.col_source)}</th>
                    <th scope="col">{t!(i18n, import.col_state)}</th>
                    <th scope="col">{t!(i18n, import.col_counts)}</th>
                    <th scope="col"><span class="visually-hidden">{t!(i18n, import.open)}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

pub(crate) fn state_label(state: ImportState) -> &'static str {
    let i18n = use_i18n();
    match state {
        ImportState::Staged => t_string!(i18n, import.state_staged),
        ImportState::Checking => t_string!(i18n, import.state_checking),
        ImportState::Checked => t_string!(i18n, import.state_checked),
        ImportState::Committing => t_string!(i18n, import.state_committing),
        ImportState::Committed => t_string!(i18n, import.state_committed),
        ImportState::Cancelled => t_string!(i18n, import.state_cancelled),
        ImportState::Failed => t_string!(i18n, import.state_failed),
    }
}
