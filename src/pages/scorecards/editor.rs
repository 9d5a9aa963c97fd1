//! The scorecard builder: one draft edited in the browser, saved with the lock it started from,
//! published as an immutable version. A refused save never touches the editor's content.

use super::form::CardForm;
use super::preview::Preview;
use super::problems::ProblemList;
use super::transfer;
use crate::api::{ApiError, ApiResult};
use crate::components::labels;
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::scorecard::{
    validate, DraftSave, ScorecardDefinition, ScorecardDetail, ValidationError,
};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

/// What the builder's parts share: the scorecard being edited and what is stored of it.
#[derive(Clone, Copy)]
pub struct Editor {
    pub card: RwSignal<ScorecardDefinition>,
    /// The content as last stored, to tell unsaved changes.
    pub saved: RwSignal<ScorecardDefinition>,
    /// `None` until a new scorecard is first saved.
    pub detail: RwSignal<Option<ScorecardDetail>>,
    pub problems: Memo<Vec<ValidationError>>,
    /// Read out by the polite live region: moves, saves, imports.
    pub announce: RwSignal<String>,
}

impl Editor {
    fn new(card: ScorecardDefinition, detail: Option<ScorecardDetail>) -> Editor {
        let card_signal = RwSignal::new(card.clone());
        Editor {
            card: card_signal,
            saved: RwSignal::new(card),
            detail: RwSignal::new(detail),
            problems: Memo::new(move |_| card_signal.with(validate)),
            announce: RwSignal::new(String::new()),
        }
    }

    pub fn edit(&self, change: impl FnOnce(&mut ScorecardDefinition)) {
        self.card.update(change);
    }

    /// True when the field at `path` (or the text it belongs to) has a problem.
    pub fn invalid_at(&self, path: &str) -> bool {
        self.problems.with(|p| p.iter().any(|e| e.path == path))
    }

    fn archived(&self) -> bool {
        self.detail.with(|d| d.as_ref().is_some_and(|d| d.archived))
    }

    fn lock(&self) -> u32 {
        self.detail
            .with_untracked(|d| d.as_ref().map_or(0, |d| d.lock_version))
    }

    /// Publishing needs something new: an open draft, or edits not yet saved into one.
    fn publishable(&self) -> bool {
        self.dirty()
            || self
                .detail
                .with(|d| d.as_ref().is_some_and(|d| d.draft.is_some()))
    }

    /// Unsaved: edited since the last save, or never saved at all.
    fn dirty(&self) -> bool {
        self.detail.with(Option::is_none) || self.card.with(|c| self.saved.with(|s| c != s))
    }

    /// Edits that leaving would lose: changes since the last save, or anything typed into a
    /// new scorecard that was never saved.
    fn unsaved_work(&self) -> bool {
        match self.detail.with_untracked(Option::is_some) {
            true => self
                .card
                .with_untracked(|c| self.saved.with_untracked(|s| c != s)),
            false => self
                .card
                .with_untracked(|c| *c != ScorecardDefinition::blank()),
        }
    }

    /// Takes the stored state as the new starting point.
    fn stored(&self, detail: ScorecardDetail, content: ScorecardDefinition) {
        self.detail.set(Some(detail));
        self.card.set(content.clone());
        self.saved.set(content);
    }
}

pub fn use_editor() -> Editor {
    expect_context::<Editor>()
}

crate::pages::lazy::split_page!(setup => ScorecardEditorPage);

/// `id` is a scorecard id or `new`.
#[component]
pub fn ScorecardEditorPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    // Read once: saving a new scorecard moves the address to its id without reloading the editor.
    let id = params.with_untracked(|p| p.get("id"));
    let loaded = LocalResource::new(move || {
        let id = id.clone();
        async move { load(session.api(), id.as_deref()).await }
    });
    view! {
        <Suspense fallback=|| view! { <TableSkeleton rows=6/> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok((card, detail)) => view! { <EditorView card detail/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The draft if one is open, else the latest published version: editing it starts the next.
async fn load(
    api: crate::api::Api,
    id: Option<&str>,
) -> ApiResult<(ScorecardDefinition, Option<ScorecardDetail>)> {
    let Some(id) = id.filter(|id| *id != "new") else {
        return Ok((ScorecardDefinition::blank(), None));
    };
    let id: u32 = id.parse().map_err(|_| ApiError::NotFound)?;
    let detail = api.scorecard(id).await?;
    let card = content_of(api, &detail).await?;
    Ok((card, Some(detail)))
}

async fn content_of(
    api: crate::api::Api,
    detail: &ScorecardDetail,
) -> ApiResult<ScorecardDefinition> {
    match (&detail.draft, detail.versions.first()) {
        (Some(draft), _) => Ok(draft.definition.clone()),
        (None, Some(latest)) => Ok(api.scorecard_version(latest.id).await?.definition),
        (None, None) => Ok(ScorecardDefinition::blank()),
    }
}

#[derive(Clone, PartialEq)]
enum Outcome {
    Idle,
    Busy,
    Done(String),
    Failed(ApiError),
    /// Someone saved in between; their draft is untouched and so is ours.
    Conflict,
}

#[component]
fn EditorView(card: ScorecardDefinition, detail: Option<ScorecardDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let editor = Editor::new(card, detail);
    provide_context(editor);
    let outcome = RwSignal::new(Outcome::Idle);
    let import_error = RwSignal::new(None::<ValidationError>);

    let go_to = move |id: u32| {
        navigate(
            &format!("/scorecards/{id}"),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    };
    let save = {
        let go_to = go_to.clone();
        move |then_publish: bool| {
            // Saving unchanged content would open an empty draft, and publishing it a copy of
            // the last version that splits evaluations between two identical versions.
            if outcome.get_untracked() == Outcome::Busy
                || editor.archived()
                || !editor.dirty() && !then_publish
            {
                return;
            }
            outcome.set(Outcome::Busy);
            let go_to = go_to.clone();
            spawn_local(async move {
                let api = session.api();
                let content = editor.card.get_untracked();
                let existing = editor.detail.get_untracked();
                let needs_save = existing.as_ref().is_none_or(|d| {
                    d.draft.is_none() || editor.saved.with_untracked(|s| s != &content)
                });
                let mut result: ApiResult<ScorecardDetail> = match (&existing, needs_save) {
                    (None, _) => api.create_scorecard(&content).await,
                    (Some(d), true) => {
                        api.save_scorecard_draft(
                            d.id,
                            &DraftSave {
                                lock_version: editor.lock(),
                                definition: content.clone(),
                            },
                        )
                        .await
                    }
                    (Some(d), false) => Ok(d.clone()),
                };
                if let Ok(saved) = &result {
                    editor.detail.set(Some(saved.clone()));
                    editor.saved.set(content.clone());
                    if existing.is_none() {
                        go_to(saved.id);
                    }
                    if then_publish {
                        result = api.publish_scorecard(saved.id, editor.lock()).await;
                    }
                }
                match result {
                    Ok(done) => {
                        let message = match (then_publish, done.versions.first()) {
                            (true, Some(v)) => {
                                t_string!(i18n, builder.published_ok, version = v.version)
                                    .to_string()
                            }
                            _ => t_string!(i18n, builder.saved_ok).to_string(),
                        };
                        editor.detail.set(Some(done));
                        outcome.set(Outcome::Done(message));
                    }
                    Err(e) if e.code() == Some(kappa_domain::Code::StaleDraft) => {
                        outcome.set(Outcome::Conflict)
                    }
                    Err(e) => {
                        session.expire_if_unauthorized(&e);
                        outcome.set(Outcome::Failed(e));
                    }
                }
            });
        }
    };
    let reload = move || {
        let Some(id) = editor.detail.get_untracked().map(|d| d.id) else {
            return;
        };
        outcome.set(Outcome::Busy);
        spawn_local(async move {
            let api = session.api();
            let fresh = match api.scorecard(id).await {
                Ok(detail) => content_of(api, &detail)
                    .await
                    .map(|content| (detail, content)),
                Err(e) => Err(e),
            };
            match fresh {
                Ok((detail, content)) => {
                    editor.stored(detail, content);
                    outcome.set(Outcome::Idle);
                }
                Err(e) => outcome.set(Outcome::Failed(e)),
            }
        });
    };
    let duplicate = {
        let go_to = go_to.clone();
        move || {
            if outcome.get_untracked() == Outcome::Busy {
                return;
            }
            outcome.set(Outcome::Busy);
            let mut copy = editor.card.get_untracked();
            for (text, suffix) in [
                (&mut copy.name.en, " (copy)"),
                (&mut copy.name.zh, "（副本）"),
            ] {
                if !text.is_empty() {
                    text.push_str(suffix);
                }
            }
            let go_to = go_to.clone();
            spawn_local(async move {
                match session.api().create_scorecard(&copy).await {
                    Ok(detail) => {
                        let id = detail.id;
                        editor.stored(detail, copy);
                        go_to(id);
                        outcome.set(Outcome::Done(t_string!(i18n, builder.saved_ok).to_string()));
                    }
                    Err(e) => outcome.set(Outcome::Failed(e)),
                }
            });
        }
    };
    let set_archived = move |archived: bool| {
        let Some(id) = editor.detail.get_untracked().map(|d| d.id) else {
            return;
        };
        spawn_local(async move {
            match session.api().archive_scorecard(id, archived).await {
                Ok(detail) => {
                    editor.detail.set(Some(detail));
                    outcome.set(Outcome::Idle);
                }
                Err(e) => outcome.set(Outcome::Failed(e)),
            }
        });
    };

    let save_key = save.clone();
    let shortcut = window_event_listener(ev::keydown, move |ev| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("s") {
            ev.prevent_default();
            save_key(false);
        }
    });
    // Closing or reloading the tab with unsaved edits asks first.
    let leaving = crate::components::leave_guard::guard_unload(move || editor.unsaved_work());
    let link_guard = crate::components::leave_guard::guard_links(
        move || editor.unsaved_work(),
        t_string!(i18n, builder.leave_unsaved).to_string(),
    );
    on_cleanup(move || {
        shortcut.remove();
        leaving.remove();
        link_guard();
    });

    let title = Signal::derive(move || {
        let name = editor
            .card
            .with(|c| c.name.pick(format::is_zh()).to_string());
        if name.trim().is_empty() {
            t_string!(i18n, builder.untitled).to_string()
        } else {
            name
        }
    });
    let busy = move || outcome.get() == Outcome::Busy;
    let blocked =
        move || !editor.problems.with(Vec::is_empty) || editor.archived() || !editor.publishable();
    let has_card = move || editor.detail.with(Option::is_some);
    let archived = move || editor.archived();
    let (save_publish, save_click) = (save.clone(), save);
    view! {
        <p class="breadcrumb"><A href="/scorecards"><span aria-hidden="true">"← "</span>{t!(i18n, builder.back)}</A></p>
        <PageHeader title subtitle=Signal::derive(move || status_line(editor))>
            <span class="save-state" class:unsaved=move || editor.dirty()>{move || if editor.dirty() { t_string!(i18n, builder.unsaved) } else { t_string!(i18n, builder.saved) }}</span>
            <button type="button" class="button" title=move || t_string!(i18n, builder.save_hint) aria-keyshortcuts="Control+S"
                disabled=move || busy() || archived() || !editor.dirty() aria-busy=move || busy().to_string()
                on:click=move |_| save_click(false)>{move || if busy() { t_string!(i18n, builder.saving) } else { t_string!(i18n, builder.save) }}</button>
            <button type="button" class="button button-primary" disabled=move || busy() || blocked()
                aria-describedby="publish-note" on:click=move |_| save_publish(true)>{t!(i18n, builder.publish)}</button>
        </PageHeader>
        <div class="toolbar">
            // Below the form on narrower screens: one step to the preview.
            <a href="#preview-title" class="button button-small only-stacked">{t!(i18n, builder.to_preview)}<span aria-hidden="true">" ↓"</span></a>
            <button type="button" class="button button-small" on:click=move |_| transfer::export(&editor.card.get_untracked())>{t!(i18n, builder.export)}</button>
            <transfer::ImportButton on_import=move |result| match result {
                Ok(card) => {
                    import_error.set(None);
                    editor.card.set(card);
                    outcome.set(Outcome::Done(t_string!(i18n, builder.imported).to_string()));
                }
                Err(e) => import_error.set(Some(e)),
            }/>
            <button type="button" class="button button-small" disabled=move || !has_card() on:click={let d = duplicate.clone(); move |_| d()}>{t!(i18n, builder.duplicate)}</button>
            <button type="button" class="button button-small" disabled=move || !has_card() on:click=move |_| set_archived(!archived())>
                {move || if archived() { t_string!(i18n, builder.restore) } else { t_string!(i18n, builder.archive) }}
            </button>
        </div>
        <p id="publish-note" class="hint">{move || if editor.problems.with(Vec::is_empty) { t_string!(i18n, builder.no_problems) } else { t_string!(i18n, builder.publish_blocked) }}</p>
        <div class="visually-hidden" role="status" aria-live="polite">{move || editor.announce.get()}</div>
        {move || match outcome.get() {
            Outcome::Done(message) => view! { <div class="alert alert-ok" role="status">{message}</div> }.into_any(),
            Outcome::Failed(e) => view! { <ErrorView error=e/> }.into_any(),
            Outcome::Conflict => view! {
                <div class="alert alert-warning" role="alert">
                    <strong>{t!(i18n, builder.conflict_title)}</strong>
                    <p>{t!(i18n, builder.conflict_body)}</p>
                    <div class="alert-actions">
                        <button type="button" class="button button-small" on:click=move |_| transfer::export(&editor.card.get_untracked())>{t!(i18n, builder.conflict_download)}</button>
                        <button type="button" class="button button-small" on:click=move |_| reload()>{t!(i18n, builder.conflict_reload)}</button>
                    </div>
                </div>
            }.into_any(),
            Outcome::Idle | Outcome::Busy => ().into_any(),
        }}
        {move || import_error.get().map(|e| view! {
            <div class="alert alert-error" role="alert">
                <strong>{t!(i18n, builder.import_failed)}</strong>
                <p>{(!e.path.is_empty()).then(|| view! { <code>{e.path.clone()}</code>": " })}{labels::invalid(&e.problem)}</p>
            </div>
        })}
        <div class="builder">
            <div class="builder-form">
                <ProblemList/>
                <fieldset class="plain" disabled=archived>
                    <legend class="visually-hidden">{title}</legend>
                    <CardForm/>
                </fieldset>
            </div>
            <aside class="builder-preview" aria-labelledby="preview-title">
                <Preview/>
            </aside>
        </div>
    }
}

/// Asks before an in-app link leaves unsaved edits behind. The router follows links from a
/// bubbling click listener, so a capturing one can stop the click first. Returns the remover.
fn status_line(editor: Editor) -> String {
    let i18n = use_i18n();
    editor.detail.with(|d| match d {
        None => t_string!(i18n, builder.status_new).to_string(),
        Some(d) if d.archived => t_string!(i18n, builder.status_archived).to_string(),
        Some(ScorecardDetail {
            draft: Some(draft), ..
        }) => t_string!(
            i18n,
            builder.status_draft,
            version = draft.version,
            lock = draft.lock_version
        )
        .to_string(),
        Some(d) => {
            let latest = d.versions.first().map_or(0, |v| v.version);
            t_string!(
                i18n,
                builder.status_published,
                version = latest,
                next = latest + 1
            )
            .to_string()
        }
    })
}
