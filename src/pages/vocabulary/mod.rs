//! The centre's own queues (skill groups) and outcomes: an administrator names them in both
//! languages, adds new ones and retires old ones. Calls keep a term's code, so a new name
//! relabels every call at once.

mod forms;

use crate::api::ApiError;
use crate::components::state::{EmptyState, ErrorView, PageHeader, TableSkeleton};
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::vocabulary::{Term, TermEdit, TermKind, Vocabulary};
use leptos::prelude::*;
use leptos::task::spawn_local;

crate::pages::lazy::split_page!(setup => VocabularyPage);

#[component]
pub fn VocabularyPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // Bumped after every write, so the lists (and the whole app's labels) load again.
    let written = RwSignal::new(0u32);
    let vocabulary = LocalResource::new(move || {
        written.track();
        async move {
            let loaded = session.api().vocabulary().await;
            if let Ok(v) = &loaded {
                session.vocabulary.set(Some(v.clone()));
            }
            loaded
        }
    });
    let notice = RwSignal::new(None::<String>);
    let done = Callback::new(move |message: String| {
        notice.set(Some(message));
        written.update(|n| *n += 1);
    });
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, vocabulary.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, vocabulary.subtitle).to_string())/>
        {move || notice.get().map(|n| view! { <div class="alert alert-ok" role="status">{n}</div> })}
        <Suspense fallback=|| view! { <section class="card"><TableSkeleton/></section> }>
            {move || Suspend::new(async move {
                match vocabulary.await {
                    Ok(v) => view! {
                        <TermSection kind=TermKind::Queue vocabulary=v.clone() notice done/>
                        <TermSection kind=TermKind::Disposition vocabulary=v notice done/>
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One kind's terms with the ways to change them.
#[component]
fn TermSection(
    kind: TermKind,
    vocabulary: Vocabulary,
    notice: RwSignal<Option<String>>,
    done: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let terms: Vec<Term> = vocabulary.of(kind).cloned().collect();
    let adding = RwSignal::new(false);
    let editing = RwSignal::new(None::<Term>);
    let heading_id = match kind {
        TermKind::Queue => "terms-queue",
        TermKind::Disposition => "terms-disposition",
    };
    let heading = move || match kind {
        TermKind::Queue => t_string!(i18n, vocabulary.queues),
        TermKind::Disposition => t_string!(i18n, vocabulary.outcomes),
    };
    let add_label = move || match kind {
        TermKind::Queue => t_string!(i18n, vocabulary.new_queue),
        TermKind::Disposition => t_string!(i18n, vocabulary.new_outcome),
    };
    let finished = Callback::new(move |message: String| {
        adding.set(false);
        editing.set(None);
        done.run(message);
    });
    let active = terms.iter().filter(|t| t.active).count();
    let count = terms.len();
    view! {
        <section class="card" aria-labelledby=heading_id>
            <div class="card-header">
                <h2 id=heading_id>{heading}</h2>
                <button type="button" class="button" disabled=move || adding.get()
                    on:click=move |_| { notice.set(None); editing.set(None); adding.set(true) }>{add_label}</button>
            </div>
            {move || adding.get().then(|| view! {
                <forms::NewTermForm kind done=finished cancel=Callback::new(move |()| adding.set(false))/>
            })}
            {move || editing.get().map(|term| view! {
                <forms::EditTermForm term done=finished cancel=Callback::new(move |()| editing.set(None))/>
            })}
            {if terms.is_empty() {
                view! {
                    <EmptyState title=Signal::derive(move || match kind {
                            TermKind::Queue => t_string!(i18n, vocabulary.no_queues),
                            TermKind::Disposition => t_string!(i18n, vocabulary.no_outcomes),
                        }.to_string())
                        body=Signal::derive(move || t_string!(i18n, vocabulary.empty_body).to_string())/>
                }.into_any()
            } else {
                view! {
                    <p class="result-count">{move || t_string!(i18n, vocabulary.count, active = active, count = count).to_string()}</p>
                    <TermTable terms notice editing done=finished/>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn TermTable(
    terms: Vec<Term>,
    notice: RwSignal<Option<String>>,
    editing: RwSignal<Option<Term>>,
    done: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let error = RwSignal::new(None::<ApiError>);
    let rows = terms
        .into_iter()
        .map(|term| {
            let saving = RwSignal::new(false);
            let edited = term.clone();
            let name = term.name.pick(crate::format::is_zh()).to_string();
            // Retiring keeps the names: it only takes the term out of the pickers.
            let flip = {
                let term = term.clone();
                move |_| {
                    let term = term.clone();
                    let zh = crate::format::is_zh();
                    saving.set(true);
                    error.set(None);
                    notice.set(None);
                    spawn_local(async move {
                        let edit = TermEdit {
                            name: term.name.clone(),
                            active: !term.active,
                            revision: term.revision,
                        };
                        let result = session.api().edit_term(term.kind, &term.code, &edit).await;
                        saving.set(false);
                        match result {
                            Ok(saved) => {
                                let name = saved.name.pick(zh).to_string();
                                done.run(if saved.active {
                                    t_string!(i18n, vocabulary.restored, name = name).to_string()
                                } else {
                                    t_string!(i18n, vocabulary.retired_notice, name = name).to_string()
                                })
                            }
                            Err(e) => error.set(Some(e)),
                        }
                    });
                }
            };
            let active = term.active;
            view! {
                <tr class:inactive=!active>
                    <td><code>{term.code.clone()}</code></td>
                    <td lang="en">{term.name.en.clone()}</td>
                    <td lang="zh-CN">{term.name.zh.clone()}</td>
                    <td>{move || if active {
                        view! { <span class="status status-ok"><span aria-hidden="true">"● "</span>{t_string!(i18n, vocabulary.active)}</span> }.into_any()
                    } else {
                        view! { <span class="status status-off"><span aria-hidden="true">"○ "</span>{t_string!(i18n, vocabulary.retired)}</span> }.into_any()
                    }}</td>
                    <td class="nowrap">
                        <button type="button" class="button button-small" on:click=move |_| { notice.set(None); editing.set(Some(edited.clone())) }>
                            {move || t_string!(i18n, vocabulary.edit)}
                            <span class="visually-hidden">{format!(" {}", name.clone())}</span>
                        </button>
                        " "
                        <button type="button" class="button button-small" disabled=move || saving.get() aria-busy=move || saving.get().then_some("true") on:click=flip>
                            {move || if active { t_string!(i18n, vocabulary.retire) } else { t_string!(i18n, vocabulary.restore) }}
                            <span class="visually-hidden">{format!(" {name}")}</span>
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <ErrorView error=e/> })}
        <div class="table-wrap">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, vocabulary.col_code)}</th>
                        <th scope="col">{t!(i18n, vocabulary.col_name_en)}</th>
                        <th scope="col">{t!(i18n, vocabulary.col_name_zh)}</th>
                        <th scope="col">{t!(i18n, vocabulary.col_state)}</th>
                        <th scope="col">{t!(i18n, vocabulary.col_actions)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
