//! Reviewing a call: the review workspace (recording, transcript, the pinned scorecard with its
//! live score), the evaluation page, and the leads' list of disputes.

mod autosave;
mod conflict;
mod criteria;
pub mod disputes;
pub mod evaluation;

use crate::components::leave_guard;
use crate::components::player::{Playback, Player};
use crate::components::score::ScoreHeadline;
use crate::components::shell::PageShortcuts;
use crate::components::state::{ErrorView, PageHeader, TableSkeleton};
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use autosave::{Autosave, SyncState};
use criteria::{CriterionCard, Entry, Item, SectionHeading};
use kappa_domain::api::CallDetail;
use kappa_domain::calibration::ScoreSubmission;
use kappa_domain::evaluation::EvaluationSubmission;
use kappa_domain::plan::{QueueQuery, QueueShow};
use kappa_domain::refusal::Code;
use kappa_domain::review::ReviewStart;
use kappa_domain::scorecard::{score, CriterionExplanation, Rule};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

crate::pages::lazy::split_page!(work => ReviewPage);

#[component]
pub fn ReviewPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let query = use_query_map();
    let loaded = LocalResource::new(move || {
        let call = params.with(|p| p.get("id").and_then(|s| s.parse::<u32>().ok()));
        let scorecard = query.with(|q| q.get("scorecard").and_then(|s| s.parse::<u32>().ok()));
        let calibration = query.with(|q| q.get("calibration").and_then(|s| s.parse::<u32>().ok()));
        async move {
            let Some(call) = call else {
                return Err(crate::api::ApiError::NotFound);
            };
            let api = session.api();
            let start = api.review_start(call, scorecard, calibration).await?;
            let detail = api.call(call).await?;
            Ok((detail, start, calibration))
        }
    });
    view! {
        <Suspense fallback=|| view! { <TableSkeleton rows=8/> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok((detail, start, calibration)) => view! { <Workspace detail start calibration/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Why the review is not submitted yet.
#[derive(Clone, PartialEq)]
enum SubmitState {
    Idle,
    Busy,
    /// Unanswered criteria: how many, and the first one's title.
    Missing(usize, String),
    Failed(crate::api::ApiError),
}

/// Keys that type into a field, where shortcuts must not fire; radios and checkboxes are answers
/// and take the shortcuts.
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| match el.tag_name().as_str() {
            "TEXTAREA" | "SELECT" => true,
            "INPUT" => !matches!(
                el.get_attribute("type").as_deref(),
                Some("radio" | "checkbox" | "range")
            ),
            _ => false,
        })
}

/// Whether the key went to a control that uses Space itself. A transcript line's time is the
/// player's own: after a click on it, Space pauses (Enter still seeks).
fn target_is_control(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().as_str(),
                "BUTTON" | "A" | "INPUT" | "SUMMARY" | "SELECT"
            ) && !el.class_list().contains("turn-time")
        })
}

fn focus_by_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

fn focus_criterion(items: &[Item], index: usize) {
    if let Some(item) = items.get(index) {
        focus_by_id(&criteria::dom_id(&item.criterion.key));
    }
}

/// Scores a call: for the agent's QA (an evaluation), or, with `calibration`, as one scorer of
/// that calibration session (a score that counts toward no agent's QA, with no feedback to write).
#[component]
fn Workspace(detail: CallDetail, start: ReviewStart, calibration: Option<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let user = session.user.get_untracked().map_or(0, |u| u.id);
    let CallDetail {
        call, transcript, ..
    } = detail;
    let ReviewStart {
        version,
        draft,
        due,
    } = start;
    let autosave = Autosave::open(session.api(), user, call.id, calibration, version.id, draft);
    let playback = Playback::new(call.duration_s);
    let recorded = call.recording.is_some();
    let definition = StoredValue::new(version.definition.clone());
    let items = StoredValue::new(criteria::items(&version.definition));
    let total = items.with_value(Vec::len);
    // Picks up at the first criterion still without an answer.
    let first_open = items.with_value(|list| {
        autosave.content.with_untracked(|c| {
            list.iter()
                .position(|i| !c.answers.contains_key(&i.criterion.key))
                .unwrap_or(0)
        })
    });
    let current = RwSignal::new(first_open);
    // A resumed review opens where it stopped: that criterion is brought into view (not
    // focused: the page's own focus stays where navigation put it).
    if first_open > 0 {
        let id = items.with_value(|list| criteria::dom_id(&list[first_open].criterion.key));
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&id) {
                el.scroll_into_view_with_bool(false);
            }
        });
    }
    let submitting = RwSignal::new(SubmitState::Idle);
    let explanation = Memo::new(move |_| {
        autosave
            .content
            .with(|c| definition.with_value(|d| score(d, &c.answers).ok()))
    });
    let scored = Memo::new(move |_| explanation.with(Option::is_some));
    // One signal per card for its share of the draft and of the explanation, set only when that
    // share changed: an answer wakes the card it touched, not all forty.
    let entries: Vec<RwSignal<Entry>> = items.with_value(|list| {
        autosave.content.with_untracked(|c| {
            list.iter()
                .map(|i| RwSignal::new(criteria::entry(c, &i.criterion.key)))
                .collect()
        })
    });
    let outcomes: Vec<RwSignal<Option<CriterionExplanation>>> =
        (0..total).map(|_| RwSignal::new(None)).collect();
    {
        let entries = entries.clone();
        Effect::new(move |_| {
            autosave.content.with(|c| {
                items.with_value(|list| {
                    for (item, entry) in list.iter().zip(&entries) {
                        if !entry.with_untracked(|e| criteria::entry_is(e, c, &item.criterion.key))
                        {
                            entry.set(criteria::entry(c, &item.criterion.key));
                        }
                    }
                })
            })
        });
        let outcomes = outcomes.clone();
        Effect::new(move |_| {
            explanation.with(|e| {
                let rows: Vec<&CriterionExplanation> = e
                    .iter()
                    .flat_map(|e| e.sections.iter().flat_map(|s| &s.criteria))
                    .collect();
                for (index, outcome) in outcomes.iter().enumerate() {
                    let next = rows.get(index).copied();
                    if outcome.with_untracked(|o| o.as_ref() != next) {
                        outcome.set(next.cloned());
                    }
                }
            })
        });
    }
    // Moving on touches two cards, not forty.
    let selected = Selector::new(move || current.get());

    let answer_current = move |key: &str, pressed_at: f64| -> bool {
        let index = current.get_untracked();
        let Some(item) = items.with_value(|list| list.get(index).cloned()) else {
            return false;
        };
        let Some(answer) = criteria::answer_for_key(&item, key) else {
            return false;
        };
        let criterion = item.criterion.key.clone();
        measure_answer(pressed_at);
        autosave.edit(move |c| {
            c.answers.insert(criterion, answer);
        });
        if index + 1 < total {
            current.set(index + 1);
            items.with_value(|list| focus_criterion(list, index + 1));
        } else if calibration.is_none() {
            // The last answer given: what is left is the word to the agent.
            focus_by_id("review-feedback");
        }
        true
    };
    let move_to = move |index: usize| {
        current.set(index);
        items.with_value(|list| focus_criterion(list, index));
    };

    let (call_id, version_id) = (call.id, version.id);
    // `then_next`: after submitting, open the next open item of my queue (or the queue, when
    // there is none) instead of the evaluation just made.
    let submit = move |then_next: bool| {
        if submitting.get_untracked() == SubmitState::Busy {
            return;
        }
        let content = autosave.content.get_untracked();
        let result = definition.with_value(|d| score(d, &content.answers));
        let missing: Vec<usize> = match &result {
            Ok(e) => e
                .sections
                .iter()
                .flat_map(|s| &s.criteria)
                .enumerate()
                .filter(|(_, c)| c.rule == Rule::Unanswered)
                .map(|(i, _)| i)
                .collect(),
            Err(_) => Vec::new(),
        };
        if let Some(&first) = missing.first() {
            // Runs from a key or click handler, outside the page's context: the locale is read
            // from the handle taken when the page was made.
            let zh = i18n.get_locale_untracked() == crate::i18n::Locale::zh_CN;
            let title = items.with_value(|list| criteria::title(&list[first], zh));
            submitting.set(SubmitState::Missing(missing.len(), title));
            move_to(first);
            return;
        }
        submitting.set(SubmitState::Busy);
        let navigate = navigate.clone();
        spawn_local(async move {
            let done = match calibration {
                Some(id) => {
                    let submission = ScoreSubmission {
                        call_id,
                        answers: content.answers,
                        notes: content.notes,
                    };
                    session
                        .api()
                        .score_calibration(id, &submission)
                        .await
                        .map(|_| format!("/calibration/{id}"))
                }
                None => {
                    let submission = EvaluationSubmission {
                        call_id,
                        scorecard_version_id: version_id,
                        answers: content.answers,
                        notes: content.notes,
                        feedback: content.feedback,
                        draft_revision: autosave.base_revision(),
                    };
                    match session.api().submit_evaluation(&submission).await {
                        Ok(_) if then_next => Ok(next_in_queue(session, user).await),
                        Ok(done) => Ok(format!("/evaluations/{}", done.evaluation.id)),
                        Err(e) => Err(e),
                    }
                }
            };
            match done {
                Ok(next) => {
                    autosave.forget();
                    navigate(&next, Default::default());
                }
                Err(e) => {
                    let _ = submitting.try_set(SubmitState::Failed(e));
                }
            }
        });
    };

    let submit_key = submit.clone();
    let keys = window_event_listener(ev::keydown, move |ev| {
        let key = ev.key();
        if (ev.ctrl_key() || ev.meta_key()) && key == "Enter" {
            ev.prevent_default();
            submit_key(ev.shift_key());
            return;
        }
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        if typing(&ev) {
            if key == "Escape" {
                // Read first: focusing the criterion sets `current` from its focus handler.
                let index = current.get_untracked();
                items.with_value(|list| focus_criterion(list, index));
            }
            return;
        }
        let on_input = target_is_control(&ev);
        let handled = match key.as_str() {
            " " if !on_input => {
                playback.toggle();
                true
            }
            "k" | "K" => {
                playback.toggle();
                true
            }
            "j" | "J" => {
                playback.step(false);
                true
            }
            "l" | "L" => {
                playback.step(true);
                true
            }
            "ArrowLeft" if !on_input => {
                playback.step(false);
                true
            }
            "ArrowRight" if !on_input => {
                playback.step(true);
                true
            }
            "-" | "_" => {
                playback.nudge_speed(false);
                true
            }
            "+" | "=" => {
                playback.nudge_speed(true);
                true
            }
            "ArrowDown" | "]" if key == "]" || !on_input => {
                move_to((current.get_untracked() + 1).min(total.saturating_sub(1)));
                true
            }
            "ArrowUp" | "[" if key == "[" || !on_input => {
                move_to(current.get_untracked().saturating_sub(1));
                true
            }
            // Evidence is a moment of the recording: a call without one has none to mark.
            "e" | "E" if recorded => {
                let index = current.get_untracked();
                if let Some(key) =
                    items.with_value(|list| list.get(index).map(|i| i.criterion.key.clone()))
                {
                    criteria::add_evidence_at(autosave, &key, playback.now_ms.get_untracked());
                }
                true
            }
            "c" | "C" => {
                let index = current.get_untracked();
                if let Some(key) =
                    items.with_value(|list| list.get(index).map(|i| i.criterion.key.clone()))
                {
                    focus_by_id(&format!("{}-comment", criteria::dom_id(&key)));
                }
                true
            }
            "f" | "F" if calibration.is_none() => {
                focus_by_id("review-feedback");
                true
            }
            other => answer_current(other, ev.time_stamp()),
        };
        if handled {
            ev.prevent_default();
        }
    });
    if let Some(PageShortcuts(rows)) = use_context::<PageShortcuts>() {
        // The player's keys only where there is something to play.
        let player = [
            ("Space / K", t_string!(i18n, shortcuts.play).to_string()),
            ("← / → · J / L", t_string!(i18n, shortcuts.seek).to_string()),
            ("- / +", t_string!(i18n, shortcuts.speed).to_string()),
        ];
        let scoring = [
            (
                "↓ / ↑ · ] / [",
                t_string!(i18n, shortcuts.criterion).to_string(),
            ),
            (
                "Y / N / A",
                t_string!(i18n, shortcuts.yes_no_na).to_string(),
            ),
            ("1 – 9", t_string!(i18n, shortcuts.level).to_string()),
        ];
        let evidence = ("E", t_string!(i18n, shortcuts.evidence).to_string());
        let rest = [
            ("C / F", t_string!(i18n, shortcuts.comment).to_string()),
            ("Ctrl+Enter", t_string!(i18n, shortcuts.submit).to_string()),
        ];
        let next = (calibration.is_none()).then(|| {
            (
                "Ctrl+Shift+Enter",
                t_string!(i18n, shortcuts.submit_next).to_string(),
            )
        });
        rows.set(
            player
                .into_iter()
                .filter(|_| recorded)
                .chain(scoring)
                .chain(recorded.then_some(evidence))
                .chain(rest)
                .chain(next)
                .collect(),
        );
        on_cleanup(move || {
            let _ = rows.try_set(Vec::new());
        });
    }
    let online = window_event_listener(ev::online, move |_| autosave.retry());
    let hidden = window_event_listener(ev::pagehide, move |_| autosave.keep_pending());
    let leaving = leave_guard::guard_unload(move || autosave.unsynced());
    let links = leave_guard::guard_links(
        move || autosave.unsynced(),
        t_string!(i18n, review.leave_unsynced).to_string(),
    );
    let back = leave_guard::guard_back(
        move || autosave.unsynced(),
        t_string!(i18n, review.leave_unsynced).to_string(),
    );
    on_cleanup(move || {
        autosave.keep_pending();
        keys.remove();
        online.remove();
        hidden.remove();
        leaving.remove();
        links();
        back();
    });

    let src = session.api().recording_url(&call);
    let lang = if call.language == kappa_domain::Language::Zh {
        "zh-CN"
    } else {
        "en"
    };
    let name = version.definition.name.clone();
    let pass_mark = version.definition.pass_mark;
    let started = call.started_at;
    let subtitle = Signal::derive(move || {
        let due = due
            .map(|d| format!(" · {}", t_string!(i18n, review.due, date = format::date(d))))
            .unwrap_or_default();
        format!(
            "{} · {} v{}{due}",
            format::datetime(started),
            name.pick(format::is_zh()),
            version.version
        )
    });
    let submit_click = submit.clone();
    let back = calibration.map_or_else(|| "/queue".to_string(), |id| format!("/calibration/{id}"));
    view! {
        <p class="breadcrumb"><A href=back><span aria-hidden="true">"← "</span>{move || if calibration.is_some() { t_string!(i18n, calibration.back_to_session) } else { t_string!(i18n, review.back) }}</A></p>
        {calibration.map(|_| view! { <p class="notice" role="note">{t!(i18n, calibration.workspace_notice)}</p> })}
        <PageHeader title=Signal::derive(move || t_string!(i18n, review.title, id = call_id).to_string()) subtitle>
            <SyncBadge state=autosave.state/>
        </PageHeader>
        <conflict::ConflictPanel autosave definition/>
        <div class="workspace">
            <section class="card workspace-call" aria-labelledby="recording-title">
                <h2 id="recording-title">{t!(i18n, call.recording)}</h2>
                {match src {
                    Some(src) => view! { <Player playback src transcript lang/> }.into_any(),
                    None => view! { <p class="muted">{t!(i18n, call.no_recording)}</p> }.into_any(),
                }}
            </section>
            <div class="workspace-form">
                <section class="card score-card" aria-labelledby="live-score">
                    <h2 id="live-score" class="visually-hidden">{t!(i18n, score.score)}</h2>
                    {move || scored.get().then(|| view! { <ScoreHeadline explanation=Signal::derive(move || explanation.get().unwrap_or_default()) pass_mark/> })}
                    <p class="hint">{t!(i18n, review.keys_hint)}</p>
                </section>
                <form class="criteria" on:submit=|ev| ev.prevent_default() aria-label=move || t_string!(i18n, review.form)>
                    {items.get_value().into_iter().zip(entries).zip(outcomes).enumerate().map(|(index, ((item, entry), outcome))| {
                        let heading = item.opens_section.then(|| {
                            let section = item.section;
                            let scored = Signal::derive(move || explanation.with(|e| e.as_ref().and_then(|e| e.sections.get(section).cloned())));
                            view! { <SectionHeading definition section scored/> }
                        });
                        view! {
                            {heading}
                            <CriterionCard item index current selected=selected.clone() entry=entry.read_only() outcome=outcome.read_only() autosave playback items recorded/>
                        }
                    }).collect_view()}
                    {calibration.is_none().then(|| view! {
                        <section class="card">
                            <h3><label for="review-feedback">{t!(i18n, review.feedback)}</label></h3>
                            <p class="hint">{t!(i18n, review.feedback_hint)}</p>
                            <textarea id="review-feedback" rows="4" prop:value=move || autosave.content.with(|c| c.feedback.clone())
                                on:input=move |ev| { let text = event_target_value(&ev); autosave.edit(move |c| c.feedback = text); }></textarea>
                        </section>
                    })}
                    <div class="submit-bar">
                        {calibration.is_none().then(|| {
                            let submit_click = submit_click.clone();
                            view! {
                                <button type="button" class="button button-primary" aria-keyshortcuts="Control+Shift+Enter" on:click=move |_| submit_click(true)
                                    disabled=move || submitting.get() == SubmitState::Busy data-testid="submit-next">{t!(i18n, review.submit_next)}</button>
                            }
                        })}
                        <button type="button" class=move || if calibration.is_some() { "button button-primary" } else { "button" } aria-keyshortcuts="Control+Enter" on:click=move |_| submit_click(false)
                            disabled=move || submitting.get() == SubmitState::Busy>{t!(i18n, review.submit)}</button>
                        <span role="alert" class="submit-message">{move || match submitting.get() {
                            SubmitState::Missing(count, first) => t_string!(i18n, review.missing, count = count, first = first).to_string(),
                            SubmitState::Failed(e) => crate::components::labels::api_error(&e),
                            SubmitState::Busy => t_string!(i18n, review.submitting).to_string(),
                            SubmitState::Idle => String::new(),
                        }}</span>
                        {move || submitting.with(|s| matches!(s, SubmitState::Failed(e) if e.code() == Some(Code::AlreadyEvaluated))).then(|| view! {
                            <a href=format!("/calls/{call_id}")>{t!(i18n, review.open_evaluations)}</a>
                        })}
                    </div>
                </form>
            </div>
        </div>
    }
}

/// Where "Submit & next" goes: the review of the first open item of my queue, else the queue.
async fn next_in_queue(session: crate::session::Session, user: u32) -> String {
    let query = QueueQuery {
        reviewer: Some(user),
        show: QueueShow::Open,
        page: 1,
        ..QueueQuery::default()
    };
    match session.api().queue(&query).await {
        Ok(page) => page.items.first().map_or_else(
            || "/queue".to_string(),
            |i| format!("/review/{}", i.call.id),
        ),
        Err(_) => "/queue".to_string(),
    }
}

#[component]
fn SyncBadge(state: RwSignal<SyncState>) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match state.get() {
        SyncState::Saved(Some(at)) => {
            t_string!(i18n, review.saved_at, at = format::datetime(at)).to_string()
        }
        SyncState::Saved(None) => t_string!(i18n, review.nothing_saved).to_string(),
        SyncState::Pending => t_string!(i18n, review.saving).to_string(),
        SyncState::Offline => t_string!(i18n, review.offline).to_string(),
        SyncState::Conflict(_) => t_string!(i18n, review.conflict_badge).to_string(),
        SyncState::Failed(e) => crate::components::labels::api_error(&e),
    };
    let class = move || match state.get() {
        SyncState::Saved(_) => "save-state",
        SyncState::Pending => "save-state unsaved",
        _ => "save-state save-problem",
    };
    view! { <span class=class role="status" data-testid="sync">{text}</span> }
}

/// Runs `f` just after the next frame is painted: a task queued from an animation frame runs
/// once that frame is on screen.
fn after_paint(f: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    let task = wasm_bindgen::closure::Closure::once_into_js(f);
    let next_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = window().set_timeout_with_callback(task.unchecked_ref());
    });
    let _ = window().request_animation_frame(next_frame.unchecked_ref());
}

/// Measures, with the Performance API, from an answer's key press to just after the frame that
/// shows its new score, as the `kappa-answer-to-score` entry that `cargo xtask bench` observes.
/// Only the latest entry is kept: a day of reviewing must not fill the browser's buffer.
fn measure_answer(pressed_at: f64) {
    use wasm_bindgen::JsCast;
    after_paint(move || {
        let Some(performance) = window().performance() else {
            return;
        };
        const NAME: &str = "kappa-answer-to-score";
        performance.clear_measures_with_measure_name(NAME);
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"start".into(), &pressed_at.into());
        let _ = js_sys::Reflect::set(&options, &"end".into(), &performance.now().into());
        if let Ok(measure) = js_sys::Reflect::get(&performance, &"measure".into())
            .and_then(|f| f.dyn_into::<js_sys::Function>())
        {
            let _ = measure.call2(&performance, &NAME.into(), &options);
        }
    });
}
