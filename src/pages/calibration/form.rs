//! A new calibration session: calls, the scorecard version every scorer uses, participants, an
//! optional calibrator, a deadline and who sees what when. The rules are the domain's: the form
//! gathers the request and shows, beside each field, why it was refused.

use crate::api::{ApiError, RejectedFields};
use crate::components::labels;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::calibration::{NewSession, Visibility, DEFAULT_THRESHOLD};
use kappa_domain::{Capability, Code, Problem, QueryError, UserId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// A week from now at 18:00, as a `datetime-local` input writes it.
fn default_deadline() -> String {
    let day = crate::clock::now().date() + chrono::Duration::days(7);
    format!("{}T18:00", day.format("%Y-%m-%d"))
}

/// Call ids as people paste them: separated by commas, spaces or new lines.
fn call_ids(text: &str) -> Result<Vec<u32>, QueryError> {
    text.split(|c: char| c == ',' || c == '，' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.trim_start_matches('#')
                .parse::<u32>()
                .map_err(|_| QueryError::new("call_ids", t, Problem::NotANumber))
        })
        .collect()
}

fn local_refusal(problems: Vec<QueryError>) -> ApiError {
    ApiError::Rejected {
        code: Code::InvalidInput,
        message: String::new(),
        fields: RejectedFields::Decoded(problems),
    }
}

#[component]
pub fn SessionForm(cancel: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let title_en = RwSignal::new(String::new());
    let title_zh = RwSignal::new(String::new());
    let version = RwSignal::new(String::new());
    let calls = RwSignal::new(String::new());
    let participants = RwSignal::new(Vec::<UserId>::new());
    let calibrator = RwSignal::new(String::new());
    let deadline = RwSignal::new(default_deadline());
    let visibility = RwSignal::new(Visibility::Blind);
    let threshold = RwSignal::new(DEFAULT_THRESHOLD.to_string());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let directory = LocalResource::new(move || async move { session.api().directory().await });
    let scorers = Signal::derive(move || {
        let mut users: Vec<_> = directory
            .get()
            .and_then(Result::ok)
            .map(|d| d.users)
            .unwrap_or_default()
            .into_iter()
            .filter(|u| u.active && u.role.can(Capability::Calibrate))
            .collect();
        users.sort_by_key(|u| (u.role, u.display_name.clone()));
        users
    });
    let scorecards =
        LocalResource::new(
            move || async move { session.api().scorecards().await.unwrap_or_default() },
        );
    // The first live scorecard's latest version is the default.
    Effect::new(move || {
        if version.get_untracked().is_empty() {
            if let Some(v) = scorecards
                .get()
                .unwrap_or_default()
                .into_iter()
                .filter(|c| !c.archived)
                .find_map(|c| c.versions.first().map(|v| v.id))
            {
                version.set(v.to_string());
            }
        }
    });
    let problems = move || error.with(|e| e.as_ref().map(|e| e.fields()).unwrap_or_default());
    let problem_of = move |prefix: &'static str| {
        move || {
            problems()
                .into_iter()
                .find(|p| p.field == prefix || p.field.starts_with(&format!("{prefix}.")))
                .map(|p| labels::query_problem(&p.problem))
        }
    };
    let submit = move || {
        error.set(None);
        let mut local = Vec::new();
        let ids = call_ids(&calls.get_untracked())
            .map_err(|e| local.push(e))
            .unwrap_or_default();
        let threshold = threshold
            .get_untracked()
            .trim()
            .parse::<f64>()
            .map_err(|_| {
                local.push(QueryError::new(
                    "threshold",
                    threshold.get_untracked(),
                    Problem::NotANumber,
                ))
            })
            .unwrap_or(0.0);
        let deadline =
            chrono::NaiveDateTime::parse_from_str(&deadline.get_untracked(), "%Y-%m-%dT%H:%M")
                .map_err(|_| {
                    local.push(QueryError::new(
                        "deadline",
                        deadline.get_untracked(),
                        Problem::NotADate,
                    ))
                });
        if !local.is_empty() {
            error.set(Some(local_refusal(local)));
            return;
        }
        let new = NewSession {
            title: kappa_domain::LocalizedText {
                en: title_en.get_untracked(),
                zh: title_zh.get_untracked(),
            },
            scorecard_version_id: version.get_untracked().parse().unwrap_or(0),
            call_ids: ids,
            participants: participants.get_untracked(),
            calibrator: calibrator.get_untracked().parse().ok(),
            deadline: deadline.unwrap_or_default(),
            visibility: visibility.get_untracked(),
            threshold,
        };
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match session.api().create_calibration(&new).await {
                Ok(created) => {
                    navigate(&format!("/calibration/{}", created.id), Default::default())
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    let _ = busy.try_set(false);
                }
            }
        });
    };
    let zh = format::is_zh;
    view! {
        <form class="card calibration-form" aria-labelledby="calibration-form-title" on:submit=move |ev| { ev.prevent_default(); submit() }>
            <h2 id="calibration-form-title">{t!(i18n, calibration.form_title)}</h2>
            {move || error.get().map(|e| view! { <crate::components::field::Refusal error=e/> })}
            <div class="field-row">
                <crate::components::field::NamePair id="calibration-title" label=Signal::derive(move || t_string!(i18n, calibration.session_title).to_string()) en=title_en zh=title_zh problem=Signal::derive(problem_of("title"))/>
                <Field id="calibration-version" label=Signal::derive(move || t_string!(i18n, calibration.scorecard).to_string()) problem=Signal::derive(problem_of("scorecard_version_id"))>
                    <select id="calibration-version" on:change=move |ev| version.set(event_target_value(&ev))>
                        {move || scorecards.get().unwrap_or_default().into_iter().filter(|c| !c.archived).filter_map(|c| {
                            let v = c.versions.first()?.clone();
                            let id = v.id.to_string();
                            let selected = { let id = id.clone(); move || version.get() == id };
                            Some(view! { <option value=id selected=selected>{format!("{} v{}", c.name.pick(zh()), v.version)}</option> })
                        }).collect_view()}
                    </select>
                </Field>
            </div>
            <Field id="calibration-calls" label=Signal::derive(move || t_string!(i18n, calibration.calls).to_string()) problem=Signal::derive(problem_of("call_ids"))
                hint=Signal::derive(move || t_string!(i18n, calibration.calls_hint).to_string())>
                <input id="calibration-calls" type="text" inputmode="numeric" aria-describedby="calibration-calls-hint" prop:value=calls on:input=move |ev| calls.set(event_target_value(&ev))/>
            </Field>
            <fieldset aria-describedby="calibration-participants-hint">
                <legend>{t!(i18n, calibration.participants)}</legend>
                <p class="hint" id="calibration-participants-hint">{t!(i18n, calibration.participants_hint)}</p>
                <div class="check-grid">
                    {move || scorers.get().into_iter().map(|u| {
                        let id = u.id;
                        let input = format!("calibration-participant-{id}");
                        view! {
                            <label class="field-check" for=input.clone()>
                                <input type="checkbox" id=input.clone() prop:checked=move || participants.with(|p| p.contains(&id))
                                    on:change=move |ev| { let on = event_target_checked(&ev); participants.update(|p| { p.retain(|x| *x != id); if on { p.push(id) } }) }/>
                                {u.display_name.clone()}" "<span class="muted">{labels::role(u.role)}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
                {move || problem_of("participants")().map(|p| view! { <span class="field-error">{p}</span> })}
            </fieldset>
            <div class="field-row">
                <Field id="calibration-expert" label=Signal::derive(move || t_string!(i18n, calibration.calibrator).to_string()) problem=Signal::derive(problem_of("calibrator"))
                    hint=Signal::derive(move || t_string!(i18n, calibration.calibrator_hint).to_string())>
                    <select id="calibration-expert" aria-describedby="calibration-expert-hint" on:change=move |ev| calibrator.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, calibration.no_calibrator)}</option>
                        {move || scorers.get().into_iter().filter(|u| !participants.with(|p| p.contains(&u.id))).map(|u| {
                            let id = u.id.to_string();
                            let selected = { let id = id.clone(); move || calibrator.get() == id };
                            view! { <option value=id selected=selected>{u.display_name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="calibration-deadline" label=Signal::derive(move || t_string!(i18n, calibration.deadline).to_string()) problem=Signal::derive(problem_of("deadline"))>
                    <input id="calibration-deadline" type="datetime-local" prop:value=deadline on:input=move |ev| deadline.set(event_target_value(&ev))/>
                </Field>
                <Field id="calibration-threshold" label=Signal::derive(move || t_string!(i18n, calibration.threshold).to_string()) problem=Signal::derive(problem_of("threshold"))
                    hint=Signal::derive(move || t_string!(i18n, calibration.threshold_hint).to_string())>
                    <input id="calibration-threshold" type="number" min="0.5" max="100" step="0.5" aria-describedby="calibration-threshold-hint" prop:value=threshold on:input=move |ev| threshold.set(event_target_value(&ev))/>
                </Field>
            </div>
            <fieldset>
                <legend>{t!(i18n, calibration.visibility)}</legend>
                {Visibility::ALL.into_iter().map(|v| {
                    let input = format!("calibration-visibility-{}", v.code());
                    view! {
                        <label class="field-check" for=input.clone()>
                            <input type="radio" name="calibration-visibility" id=input.clone() prop:checked=move || visibility.get() == v on:change=move |_| visibility.set(v)/>
                            <span><strong>{move || super::visibility_label(v)}</strong>" · "<span class="muted">{move || if v == Visibility::Blind { t_string!(i18n, calibration.blind_hint) } else { t_string!(i18n, calibration.after_submit_hint) }}</span></span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>{t!(i18n, calibration.create)}</button>
                <button type="button" class="button" on:click=move |_| cancel.run(())>{t!(i18n, common.cancel)}</button>
            </div>
        </form>
    }
}

/// A labelled control with its hint and the refusal that names it.
#[component]
fn Field(
    id: &'static str,
    label: Signal<String>,
    problem: Signal<Option<String>>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {children()}
            {hint.map(|h| view! { <span class="hint" id=format!("{id}-hint")>{h}</span> })}
            {move || problem.get().map(|p| view! { <span class="field-error" role="alert">{p}</span> })}
        </div>
    }
}
