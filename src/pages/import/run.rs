//! One import as it goes: the dry run's progress and report (what the file's checks and the
//! centre's rules took and refused, with the rows to fix), the source's names to map onto the
//! centre's queues and outcomes (or to add as new ones), the commit with its progress and a
//! cancel, and what it did in the end.

use super::state_label;
use crate::api::{Api, ApiError, ApiResult};
use crate::components::state::ErrorView;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::file_import::{
    DryRunRequest, FileImport, ImportId, ImportState, ImportStep, ImportTally,
};
use kappa_domain::vocabulary::{suggested_code, NewTerm, TermKind, Vocabulary};
use kappa_domain::LocalizedText;
use kappa_import::check::FileReport;
use kappa_import::mapping::ReadingSettings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use std::collections::BTreeMap;

/// How often a running import is asked after.
const POLL_MS: u64 = 500;

/// Asks for the import until its job is done, keeping the answer in `shown`; stops when the
/// page no longer shows it. `moved` hears a followed job end (the list then shows it).
fn follow(
    api: Api,
    id: ImportId,
    shown: RwSignal<Option<ApiResult<FileImport>>>,
    moved: Callback<()>,
    followed: bool,
) {
    spawn_local(async move {
        let answer = api.file_import(id).await;
        let running = matches!(&answer, Ok(i) if i.state.running());
        if shown.try_set(Some(answer)).is_some() {
            return;
        }
        if running {
            set_timeout(
                move || follow(api, id, shown, moved, true),
                std::time::Duration::from_millis(POLL_MS),
            );
        } else if followed {
            moved.try_run(());
        }
    });
}

#[component]
pub fn ImportRun(id: ImportId, moved: Callback<()>) -> impl IntoView {
    let session = use_session();
    let shown = RwSignal::new(None::<ApiResult<FileImport>>);
    follow(session.api(), id, shown, moved, false);
    // A step's answer is shown at once, then followed while its job runs.
    let stepped = Callback::new(move |answer: ApiResult<FileImport>| {
        let running = matches!(&answer, Ok(i) if i.state.running());
        if shown.try_set(Some(answer)).is_some() {
            return;
        }
        if running {
            follow(session.api(), id, shown, moved, true);
        } else {
            moved.try_run(());
        }
    });
    let i18n = use_i18n();
    move || {
        match shown.get() {
        None => view! { <section class="card" aria-busy="true"><p role="status">{t!(i18n, common.loading)}</p></section> }.into_any(),
        Some(Err(e)) => view! { <section class="card"><ErrorView error=e/></section> }.into_any(),
        Some(Ok(import)) => view! { <ImportCard import stepped/> }.into_any(),
    }
    }
}

#[component]
fn ImportCard(import: FileImport, stepped: Callback<ApiResult<FileImport>>) -> impl IntoView {
    let i18n = use_i18n();
    let state = import.state;
    let file_report: Option<FileReport> = import
        .file_report
        .clone()
        .and_then(|v| serde_json::from_value(v).ok());
    let capped_at = import
        .file_report
        .as_ref()
        .and_then(|v| v["capped_at"].as_u64());
    let body = match state {
        ImportState::Staged => view! { <p>{t!(i18n, import.staged_note)}</p> }.into_any(),
        ImportState::Checking | ImportState::Committing => {
            view! { <Progress import=import.clone() stepped/> }.into_any()
        }
        ImportState::Checked => view! {
            <Report import=import.clone() file=file_report.clone() tally=import.dry_run.clone().unwrap_or_default() dry_run=true/>
            {capped_at.map(|n| view! { <p class="alert alert-info" role="note">{move || t_string!(i18n, import.capped, calls = n).to_string()}</p> })}
            {file_report.clone().map(|file| view! { <ValueMaps import=import.clone() file stepped/> })}
            <CommitStep import=import.clone() stepped/>
        }
        .into_any(),
        ImportState::Committed => view! {
            <p class="alert alert-ok" role="status">{t!(i18n, import.committed_note)}</p>
            <Report import=import.clone() file=file_report.clone() tally=import.committed.clone().unwrap_or_default() dry_run=false/>
            <p><A href="/calls" attr:class="button">{t!(i18n, import.to_library)}</A></p>
        }
        .into_any(),
        ImportState::Cancelled => view! {
            <p class="alert alert-info" role="status">{t!(i18n, import.cancelled_note)}</p>
            {import.committed.clone().map(|tally| view! {
                <Report import=import.clone() file=file_report.clone() tally dry_run=false/>
            })}
        }
        .into_any(),
        ImportState::Failed => view! {
            <p class="alert alert-error" role="alert">{t!(i18n, import.failed_note)}" "{import.failure.clone()}</p>
        }
        .into_any(),
    };
    let at = crate::format::datetime(import.at);
    let size = file_size(import.size);
    view! {
        <section class="card" aria-labelledby="import-run">
            <div class="card-header">
                <h2 id="import-run" class="cell-wrap">{import.file_name.clone()}</h2>
                <span class=format!("badge import-{}", state.code())>{move || state_label(state)}</span>
            </div>
            <p class="muted">{move || t_string!(i18n, import.facts, at = at.clone(), size = size.clone(), source = import.source.clone()).to_string()}</p>
            {body}
        </section>
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// A file's size in the unit that reads best.
fn file_size(bytes: u64) -> String {
    match bytes {
        0..1_024 => format!("{bytes} B"),
        1_024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{} MB", megabytes(bytes)),
    }
}

/// A refusal's field as the mapping names it, in the reader's language.
fn field_label(field: &str, zh: bool) -> String {
    let named = match field {
        "disposition" => Some(kappa_import::field::Field::Outcome),
        "customer_ref" => Some(kappa_import::field::Field::Caller),
        other => kappa_import::field::Field::parse(other),
    };
    named.map_or_else(|| field.to_string(), |f| f.label(zh).to_string())
}

/// A running pass: how far it is, and the way to stop it.
#[component]
fn Progress(import: FileImport, stepped: Callback<ApiResult<FileImport>>) -> impl IntoView {
    let i18n = use_i18n();
    let (done, total) = (import.done, import.total.max(1));
    let checking = import.state == ImportState::Checking;
    let label = move || {
        if checking {
            t_string!(
                i18n,
                import.reading_progress,
                done = megabytes(done),
                total = megabytes(total)
            )
            .to_string()
        } else {
            t_string!(
                i18n,
                import.commit_progress,
                done = crate::format::int(done as i64),
                total = crate::format::int(total as i64)
            )
            .to_string()
        }
    };
    view! {
        <div class="import-progress">
            <label for="import-progress">{label}</label>
            <progress id="import-progress" max=total.to_string() value=done.to_string()></progress>
            <CancelStep import stepped/>
        </div>
    }
}

/// A lead's step on an import, asked at the revision the lead saw.
#[derive(Clone, Copy)]
enum Step {
    Commit,
    Cancel,
}

/// The click that asks for `step`: `busy` while it is asked, its answer to `stepped` (if the
/// page still shows the import).
fn take(
    step: Step,
    import: &FileImport,
    busy: RwSignal<bool>,
    stepped: Callback<ApiResult<FileImport>>,
) -> impl Fn(leptos::ev::MouseEvent) + Copy {
    let session = use_session();
    let (id, at) = (
        import.id,
        ImportStep {
            revision: import.revision,
        },
    );
    move |_| {
        busy.set(true);
        spawn_local(async move {
            let api = session.api();
            let answer = match step {
                Step::Commit => api.commit_import(id, at).await,
                Step::Cancel => api.cancel_import(id, at).await,
            };
            let _ = busy.try_set(false);
            stepped.try_run(answer);
        });
    }
}

#[component]
fn CancelStep(import: FileImport, stepped: Callback<ApiResult<FileImport>>) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let cancel = take(Step::Cancel, &import, busy, stepped);
    view! {
        <button type="button" class="button" disabled=move || busy.get() on:click=cancel>{t!(i18n, import.cancel)}</button>
    }
}

/// What the file's checks and the centre's rules made of the file: the counts, the rows
/// refused (downloadable, to fix) and the first problems.
#[component]
fn Report(
    import: FileImport,
    file: Option<FileReport>,
    tally: ImportTally,
    dry_run: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let zh = crate::format::is_zh();
    let api = session.api();
    let (new, updated, unchanged, refused, conflicted) = (
        tally.new,
        tally.updated,
        tally.unchanged,
        tally.refused,
        tally.conflicted,
    );
    let file_counts = file.as_ref().map(|f| {
        let (rows, valid, without, rejected) = (f.rows, f.valid, f.without_agent, f.rejected);
        move || {
            t_string!(
                i18n,
                import.file_counts,
                rows = rows,
                valid = valid,
                without = without,
                rejected = rejected
            )
            .to_string()
        }
    });
    let rejected_download = file.as_ref().filter(|f| f.rejected > 0).map(|f| {
        match api.import_rows_url(import.id, "rejected") {
            Some(url) => view! { <a class="button" href=url download="">{t!(i18n, import.download_rejected)}</a> }.into_any(),
            None => {
                let href = format!("data:text/csv;charset=utf-8,{}", js_sys::encode_uri_component(&format!("\u{feff}{}", f.rejected_csv)));
                view! { <a class="button" href=href download="rejected.csv">{t!(i18n, import.download_rejected)}</a> }.into_any()
            }
        }
    });
    let refused_download = (refused > 0)
        .then(|| api.import_rows_url(import.id, "refused"))
        .flatten()
        .map(|url| view! { <a class="button" href=url download="">{t!(i18n, import.download_refused)}</a> });
    let mut problems: Vec<(u64, String, String, String)> = file
        .as_ref()
        .map(|f| {
            f.problems
                .iter()
                .map(|p| {
                    (
                        p.row.or(p.line).unwrap_or(0),
                        p.column.clone().unwrap_or_default(),
                        p.value.clone().unwrap_or_default(),
                        p.problem.reason(zh).to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    problems.extend(tally.refusals.iter().map(|r| {
        (
            r.row,
            field_label(&r.field, zh),
            r.external_id.clone(),
            r.problem.describe(zh).to_string(),
        )
    }));
    problems.sort_by_key(|p| p.0);
    let conflicts = tally
        .conflicts
        .iter()
        .map(|c| {
            let (kept, offered) = (c.kept.clone(), c.offered.clone());
            view! {
                <tr><td>{c.row}</td><td>{field_label(&c.field, zh)}</td>
                <td>{move || t_string!(i18n, import.conflict, kept = kept.clone(), offered = offered.clone()).to_string()}</td></tr>
            }
        })
        .collect_view();
    let has_conflicts = !tally.conflicts.is_empty();
    let problem_rows = problems
        .into_iter()
        .map(|(row, field, value, why)| view! {
            <tr><td>{row}</td><td>{field}</td><td class="cell-wrap">{value}</td><td class="cell-wrap">{why}</td></tr>
        })
        .collect_view();
    let heading = if dry_run {
        "import-dry-run"
    } else {
        "import-done"
    };
    view! {
        <div class="subcard" role="group" aria-labelledby=heading>
            <h3 id=heading>{move || if dry_run { t_string!(i18n, import.dry_run_title) } else { t_string!(i18n, import.done_title) }}</h3>
            {file_counts.map(|c| view! { <p>{c}</p> })}
            <dl class="import-counts">
                <div><dt>{move || if dry_run { t_string!(i18n, import.would_new) } else { t_string!(i18n, import.new_calls) }}</dt><dd>{new}</dd></div>
                <div><dt>{t!(i18n, import.updated)}</dt><dd>{updated}</dd></div>
                <div><dt>{t!(i18n, import.unchanged)}</dt><dd>{unchanged}</dd></div>
                <div><dt>{t!(i18n, import.refused)}</dt><dd>{refused}</dd></div>
                <div><dt>{t!(i18n, import.conflicted)}</dt><dd>{conflicted}</dd></div>
            </dl>
            <div class="form-actions">{rejected_download}{refused_download}</div>
            {(!problem_rows_empty(&tally, file.as_ref())).then(|| view! {
                <h4>{t!(i18n, import.problems)}</h4>
                <div class="table-wrap">
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, import.col_row)}</th>
                            <th scope="col">{t!(i18n, import.col_field)}</th>
                            <th scope="col">{t!(i18n, import.col_value)}</th>
                            <th scope="col">{t!(i18n, import.col_reason)}</th>
                        </tr></thead>
                        <tbody>{problem_rows}</tbody>
                    </table>
                </div>
            })}
            {has_conflicts.then(|| view! {
                <h4>{t!(i18n, import.conflicts)}</h4>
                <div class="table-wrap">
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, import.col_row)}</th>
                            <th scope="col">{t!(i18n, import.col_field)}</th>
                            <th scope="col">{t!(i18n, import.col_reason)}</th>
                        </tr></thead>
                        <tbody>{conflicts}</tbody>
                    </table>
                </div>
            })}
        </div>
    }
}

fn problem_rows_empty(tally: &ImportTally, file: Option<&FileReport>) -> bool {
    tally.refusals.is_empty() && file.is_none_or(|f| f.problems.is_empty())
}

/// The source's queue and outcome names the centre does not know yet: each mapped onto one
/// of the centre's, added as a new one, or left (its calls refused); then checked again.
#[component]
fn ValueMaps(
    import: FileImport,
    file: FileReport,
    stepped: Callback<ApiResult<FileImport>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    if file.unmapped_queues.is_empty() && file.unmapped_outcomes.is_empty() {
        return ().into_any();
    }
    let vocabulary = LocalResource::new(move || session.api().vocabulary());
    let choices = RwSignal::new(BTreeMap::<(TermKind, String), String>::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let names: Vec<(TermKind, String, u64)> = file
        .unmapped_queues
        .iter()
        .map(|(n, c)| (TermKind::Queue, n.clone(), *c))
        .chain(
            file.unmapped_outcomes
                .iter()
                .map(|(n, c)| (TermKind::Disposition, n.clone(), *c)),
        )
        .collect();
    let again = {
        let import = import.clone();
        move |_| {
            let Some(Ok(vocabulary)) = vocabulary.get_untracked() else {
                return;
            };
            let Ok(mut settings) = serde_json::from_str::<ReadingSettings>(&import.reading) else {
                return;
            };
            let chosen = choices.get_untracked();
            let (id, source, revision) = (import.id, import.source.clone(), import.revision);
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                let api = session.api();
                let done = async {
                    let mut known: Vocabulary = vocabulary;
                    for ((kind, name), choice) in chosen {
                        let code = if choice == NEW_TERM {
                            let code = suggested_code(kind, &name, &known);
                            let cjk = !name.is_ascii();
                            let term = api
                                .define_term(&NewTerm {
                                    kind,
                                    code,
                                    name: LocalizedText {
                                        en: if cjk { String::new() } else { name.clone() },
                                        zh: if cjk { name.clone() } else { String::new() },
                                    },
                                })
                                .await?;
                            known.terms.push(term.clone());
                            term.code
                        } else if choice.is_empty() {
                            continue;
                        } else {
                            choice
                        };
                        let values = &mut settings.mapping.values;
                        match kind {
                            TermKind::Queue => values.queue.insert(name, code),
                            TermKind::Disposition => values.outcome.insert(name, code),
                        };
                    }
                    let _ = session.vocabulary.try_set(Some(known));
                    let request = DryRunRequest {
                        source,
                        reading: serde_json::to_string(&settings).unwrap_or_default(),
                        revision,
                    };
                    api.dry_run_import(id, &request).await
                }
                .await;
                let _ = busy.try_set(false);
                match done {
                    Ok(import) => {
                        stepped.try_run(Ok(import));
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                    }
                }
            });
        }
    };
    let rows = move |vocabulary: Vocabulary| {
        let zh = crate::format::is_zh();
        names
            .iter()
            .enumerate()
            .map(|(i, (kind, name, count))| {
                let (kind, name, count) = (*kind, name.clone(), *count);
                let id = format!("value-{}-{i}", kind.code());
                let options = vocabulary
                    .offered(kind, None)
                    .map(|t| view! { <option value=t.code.clone()>{t.name.pick(zh).to_string()}</option> })
                    .collect_view();
                let key = (kind, name.clone());
                view! {
                    <tr>
                        <td>{move || match kind {
                            TermKind::Queue => t_string!(i18n, import.kind_queue),
                            TermKind::Disposition => t_string!(i18n, import.kind_outcome),
                        }}</td>
                        <td><label for=id.clone()>{name.clone()}</label></td>
                        <td>{count}</td>
                        <td>
                            <select id=id on:change=move |ev| {
                                let value = event_target_value(&ev);
                                choices.update(|c| { c.insert(key.clone(), value); });
                            }>
                                <option value="">{t!(i18n, import.leave_unmapped)}</option>
                                <option value=NEW_TERM>{move || match kind {
                                    TermKind::Queue => t_string!(i18n, import.add_queue),
                                    TermKind::Disposition => t_string!(i18n, import.add_outcome),
                                }}</option>
                                {options}
                            </select>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="subcard" role="group" aria-labelledby="import-values">
            <h3 id="import-values">{t!(i18n, import.values)}</h3>
            <p class="hint">{t!(i18n, import.values_hint)}</p>
            {move || error.get().map(|e| view! { <ErrorView error=e/> })}
            <Suspense fallback=|| ()>
                {move || Suspend::new({
                    let rows = rows.clone();
                    async move {
                        match vocabulary.await {
                            Ok(v) => view! {
                                <div class="table-wrap">
                                    <table class="data-table">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, import.col_kind)}</th>
                                            <th scope="col">{t!(i18n, import.col_name)}</th>
                                            <th scope="col">{t!(i18n, import.col_calls)}</th>
                                            <th scope="col">{t!(i18n, import.col_maps_to)}</th>
                                        </tr></thead>
                                        <tbody>{rows(v)}</tbody>
                                    </table>
                                </div>
                            }.into_any(),
                            Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        }
                    }
                })}
            </Suspense>
            <div class="form-actions">
                <button type="button" class="button" disabled=move || busy.get() on:click=again>{t!(i18n, import.check_again)}</button>
            </div>
        </div>
    }
    .into_any()
}

/// The choice that adds the source's name as a new term.
const NEW_TERM: &str = "\u{1}new";

/// The commit: exactly what the dry run read, or setting the file aside.
#[component]
fn CommitStep(import: FileImport, stepped: Callback<ApiResult<FileImport>>) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let calls = import.dry_run.as_ref().map_or(0, |t| t.new + t.updated);
    let commit = take(Step::Commit, &import, busy, stepped);
    view! {
        <div class="form-actions">
            <button type="button" class="button button-primary" disabled=move || busy.get() || calls == 0 on:click=commit>
                {move || t_string!(i18n, import.commit, calls = crate::format::int(calls as i64)).to_string()}
            </button>
            <CancelStep import stepped/>
        </div>
    }
}
