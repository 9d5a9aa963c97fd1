//! A new sampling plan: population, exclusions, strategy, reviewers and schedule, previewed
//! before it is committed. The rules (what is valid, what is drawn) are the domain's: the form
//! only gathers the spec and shows what the preview answers.

use super::preview::PreviewPanel;
use crate::api::{ApiError, RejectedFields};
use crate::components::labels;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::api::Directory;
use kappa_domain::plan::{PlanEdit, PlanPreview, PlanSpec, Recurrence};
use kappa_domain::sampling::{Allocation, Strategy, StrategyKind, StratumField};
use kappa_domain::vocabulary::TermKind;
use kappa_domain::{CallQuery, Code, Direction, Problem, QueryError, UserId};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Every input of the form, as typed.
#[derive(Clone, Copy)]
struct Inputs {
    name_en: RwSignal<String>,
    name_zh: RwSignal<String>,
    rolling: RwSignal<bool>,
    rolling_days: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    team: RwSignal<String>,
    agent: RwSignal<String>,
    queue: RwSignal<String>,
    direction: RwSignal<String>,
    disposition: RwSignal<String>,
    complaint: RwSignal<String>,
    csat_min: RwSignal<String>,
    csat_max: RwSignal<String>,
    dur_min: RwSignal<String>,
    dur_max: RwSignal<String>,
    exclude_evaluated: RwSignal<bool>,
    exclude_assigned: RwSignal<bool>,
    min_duration: RwSignal<String>,
    scorecard: RwSignal<String>,
    reviewers: RwSignal<Vec<UserId>>,
    due_days: RwSignal<String>,
    strategy: RwSignal<StrategyKind>,
    n: RwSignal<String>,
    by: RwSignal<StratumField>,
    allocation: RwSignal<Allocation>,
    complaints_pct: RwSignal<String>,
    low_csat_pct: RwSignal<String>,
    seed: RwSignal<String>,
    recurrence: RwSignal<Recurrence>,
    /// What the form has no input for, kept as the plan had it: the population's other
    /// filters (recorded, …) and the reviewer–agent conflicts.
    other_filters: StoredValue<Vec<(&'static str, String)>>,
    conflicts: StoredValue<Vec<kappa_domain::plan::Conflict>>,
}

fn text(v: &str) -> RwSignal<String> {
    RwSignal::new(v.to_string())
}

/// A seed from the clock: a different draw each time someone asks for one, recorded with the plan.
fn fresh_seed() -> String {
    ((js_sys::Date::now() as u64) % 1_000_000).to_string()
}

impl Inputs {
    fn new() -> Inputs {
        Inputs {
            name_en: text(""),
            name_zh: text(""),
            rolling: RwSignal::new(true),
            rolling_days: text("7"),
            from: text(""),
            to: text(""),
            team: text(""),
            agent: text(""),
            queue: text(""),
            direction: text(""),
            disposition: text(""),
            complaint: text(""),
            csat_min: text(""),
            csat_max: text(""),
            dur_min: text(""),
            dur_max: text(""),
            exclude_evaluated: RwSignal::new(true),
            exclude_assigned: RwSignal::new(true),
            min_duration: text("60"),
            scorecard: text(""),
            reviewers: RwSignal::new(Vec::new()),
            due_days: text("5"),
            strategy: RwSignal::new(StrategyKind::Stratified),
            n: text("20"),
            by: RwSignal::new(StratumField::Agent),
            allocation: RwSignal::new(Allocation::Equal),
            complaints_pct: text("20"),
            low_csat_pct: text("10"),
            seed: text(&fresh_seed()),
            recurrence: RwSignal::new(Recurrence::Weekly),
            other_filters: StoredValue::new(Vec::new()),
            conflicts: StoredValue::new(Vec::new()),
        }
    }

    /// The inputs of a saved plan, to edit it.
    fn of(spec: &PlanSpec) -> Inputs {
        let inputs = Inputs::new();
        let number = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        inputs.name_en.set(spec.name.en.clone());
        inputs.name_zh.set(spec.name.zh.clone());
        inputs.rolling.set(spec.rolling_days.is_some());
        inputs
            .rolling_days
            .set(number(spec.rolling_days.or(Some(7))));
        let mut other = Vec::new();
        for (key, value) in spec.query().to_pairs() {
            let input = match key {
                "from" => inputs.from,
                "to" => inputs.to,
                "team" => inputs.team,
                "agent" => inputs.agent,
                "queue" => inputs.queue,
                "direction" => inputs.direction,
                "disposition" => inputs.disposition,
                "complaint" => inputs.complaint,
                "csat_min" => inputs.csat_min,
                "csat_max" => inputs.csat_max,
                "dur_min" | "dur_max" => {
                    let input = if key == "dur_min" {
                        inputs.dur_min
                    } else {
                        inputs.dur_max
                    };
                    input.set(minutes(&value));
                    continue;
                }
                _ => {
                    other.push((key, value));
                    continue;
                }
            };
            input.set(value);
        }
        inputs.other_filters.set_value(other);
        inputs.conflicts.set_value(spec.conflicts.clone());
        inputs.exclude_evaluated.set(spec.exclude_evaluated);
        inputs.exclude_assigned.set(spec.exclude_assigned);
        inputs.min_duration.set(number(spec.min_duration_s));
        inputs.scorecard.set(spec.scorecard_id.to_string());
        inputs.reviewers.set(spec.reviewers.clone());
        inputs.due_days.set(spec.due_days.to_string());
        inputs.strategy.set(spec.strategy.kind());
        match &spec.strategy {
            Strategy::PerAgent { n } | Strategy::Total { n } => inputs.n.set(n.to_string()),
            Strategy::Stratified { by, allocation, n } => {
                inputs.n.set(n.to_string());
                inputs.by.set(*by);
                inputs.allocation.set(*allocation);
            }
            Strategy::Targeted {
                n,
                complaints_pct,
                low_csat_pct,
            } => {
                inputs.n.set(n.to_string());
                inputs.complaints_pct.set(complaints_pct.to_string());
                inputs.low_csat_pct.set(low_csat_pct.to_string());
            }
        }
        inputs.seed.set(spec.seed.to_string());
        inputs.recurrence.set(spec.recurrence);
        inputs
    }

    /// The spec the inputs describe, or every field that is not a number where one is needed.
    fn spec(&self) -> Result<PlanSpec, Vec<QueryError>> {
        let mut problems = Vec::new();
        let mut number = |field: &str, value: RwSignal<String>| -> Option<u32> {
            let v = value.get_untracked();
            let v = v.trim();
            if v.is_empty() {
                return None;
            }
            v.parse()
                .map_err(|_| problems.push(QueryError::new(field, v, Problem::NotANumber)))
                .ok()
        };
        let rolling = self.rolling.get_untracked();
        let rolling_days = if rolling {
            number("rolling_days", self.rolling_days)
        } else {
            None
        };
        let min_duration_s = number("min_duration_s", self.min_duration);
        let due_days = number("due_days", self.due_days).unwrap_or(0);
        let n = number("strategy.n", self.n).unwrap_or(0);
        let complaints_pct = number("strategy.complaints_pct", self.complaints_pct).unwrap_or(0);
        let low_csat_pct = number("strategy.low_csat_pct", self.low_csat_pct).unwrap_or(0);
        let seed = number("seed", self.seed).unwrap_or(0);
        let scorecard_id = number("scorecard_id", self.scorecard).unwrap_or(0);
        let pairs = [
            (
                "from",
                if rolling {
                    String::new()
                } else {
                    self.from.get_untracked()
                },
            ),
            (
                "to",
                if rolling {
                    String::new()
                } else {
                    self.to.get_untracked()
                },
            ),
            ("team", self.team.get_untracked()),
            ("agent", self.agent.get_untracked()),
            ("queue", self.queue.get_untracked()),
            ("direction", self.direction.get_untracked()),
            ("disposition", self.disposition.get_untracked()),
            ("complaint", self.complaint.get_untracked()),
            ("csat_min", self.csat_min.get_untracked()),
            ("csat_max", self.csat_max.get_untracked()),
            ("dur_min", seconds(self.dur_min.get_untracked())),
            ("dur_max", seconds(self.dur_max.get_untracked())),
        ];
        let other = self.other_filters.get_value();
        // Through CallQuery, so the population reads exactly as the call library's own links.
        let (query, mut invalid) = CallQuery::from_pairs(
            pairs
                .iter()
                .chain(other.iter())
                .map(|(k, v)| (*k, v.as_str())),
        );
        for e in &mut invalid {
            e.field = format!("population.{}", e.field);
        }
        problems.extend(invalid);
        let strategy = match self.strategy.get_untracked() {
            StrategyKind::PerAgent => Strategy::PerAgent { n },
            StrategyKind::Total => Strategy::Total { n },
            StrategyKind::Targeted => Strategy::Targeted {
                n,
                complaints_pct,
                low_csat_pct,
            },
            StrategyKind::Stratified => Strategy::Stratified {
                by: self.by.get_untracked(),
                allocation: self.allocation.get_untracked(),
                n,
            },
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(PlanSpec {
            name: kappa_domain::LocalizedText {
                en: self.name_en.get_untracked(),
                zh: self.name_zh.get_untracked(),
            },
            population: query.to_query_string(),
            rolling_days,
            exclude_evaluated: self.exclude_evaluated.get_untracked(),
            exclude_assigned: self.exclude_assigned.get_untracked(),
            min_duration_s,
            scorecard_id,
            reviewers: self.reviewers.get_untracked(),
            conflicts: self.conflicts.get_value(),
            due_days,
            strategy,
            seed,
            recurrence: self.recurrence.get_untracked(),
        })
    }
}

/// Call length is typed in minutes, as in the call library; the population keeps seconds. Text
/// that is not a whole number goes on as typed, for the query's own check to name.
fn seconds(minutes: String) -> String {
    minutes
        .trim()
        .parse::<u32>()
        .map_or(minutes, |m| (m.saturating_mul(60)).to_string())
}

fn minutes(seconds: &str) -> String {
    seconds
        .parse::<u32>()
        .map_or_else(|_| seconds.to_string(), |s| (s / 60).to_string())
}

/// Problems the browser finds before asking, shown as the server's would be.
fn local_refusal(problems: Vec<QueryError>) -> ApiError {
    ApiError::Rejected {
        code: Code::InvalidInput,
        message: String::new(),
        fields: RejectedFields::Decoded(problems),
    }
}

/// A plan being edited: its id, the revision read, and its spec.
#[derive(Clone)]
pub struct Editing {
    pub id: u32,
    pub revision: u32,
    pub spec: PlanSpec,
}

/// A new plan (committed with its first run), or `editing` a saved one (its next run draws with
/// the edit; `committed` then gets the plan's id and 0).
#[component]
pub fn PlanForm(
    committed: Callback<(u32, u32)>,
    cancel: Callback<()>,
    #[prop(optional)] editing: Option<Editing>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let inputs = editing
        .as_ref()
        .map_or_else(Inputs::new, |e| Inputs::of(&e.spec));
    let edited = editing.as_ref().map(|e| (e.id, e.revision));
    let directory = LocalResource::new(move || async move { session.api().directory().await });
    let directory = Signal::derive(move || {
        directory.get().and_then(Result::ok).unwrap_or(Directory {
            teams: vec![],
            users: vec![],
        })
    });
    let scorecards =
        LocalResource::new(
            move || async move { session.api().scorecards().await.unwrap_or_default() },
        );
    // The first live published scorecard is the default choice.
    Effect::new(move || {
        if inputs.scorecard.get_untracked().is_empty() {
            if let Some(card) = scorecards
                .get()
                .unwrap_or_default()
                .into_iter()
                .find(|c| !c.archived && !c.versions.is_empty())
            {
                inputs.scorecard.set(card.id.to_string());
            }
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    // The spec as previewed: committing commits exactly that, whatever was typed since.
    let preview = RwSignal::new(None::<(PlanSpec, PlanPreview)>);
    let busy = RwSignal::new(false);
    let ask_preview = move || {
        error.set(None);
        match inputs.spec() {
            Err(problems) => error.set(Some(local_refusal(problems))),
            Ok(spec) => {
                busy.set(true);
                spawn_local(async move {
                    match session.api().preview_plan(&spec).await {
                        Ok(p) => preview.set(Some((spec, p))),
                        Err(e) => error.set(Some(e)),
                    }
                    busy.set(false);
                });
            }
        }
    };
    let commit = Callback::new(move |()| {
        error.set(None);
        let Some((spec, _)) = preview.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let saved = match edited {
                Some((id, revision)) => session
                    .api()
                    .edit_plan(id, &PlanEdit { spec, revision })
                    .await
                    .map(|d| (d.plan.id, 0)),
                None => session
                    .api()
                    .create_plan(&spec)
                    .await
                    .map(|d| (d.plan.id, d.runs.first().map_or(0, |r| r.sampled))),
            };
            match saved {
                Ok(done) => committed.run(done),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    });
    let use_size = Callback::new(move |n: u64| inputs.n.set(n.to_string()));
    let problems = move || error.with(|e| e.as_ref().map(|e| e.fields()).unwrap_or_default());
    let problem_of = move |field: &'static str| {
        move || {
            problems()
                .into_iter()
                .find(|p| p.field == field)
                .map(|p| labels::query_problem(&p.problem))
        }
    };
    let zh = format::is_zh;
    view! {
        <form class="card plan-form" aria-labelledby="plan-form-title" on:submit=move |ev| { ev.prevent_default(); ask_preview() }>
            <h2 id="plan-form-title">{move || if edited.is_some() { t_string!(i18n, sampling.edit_title) } else { t_string!(i18n, sampling.form_title) }}</h2>
            {edited.is_some().then(|| view! { <p class="hint">{t!(i18n, sampling.edit_hint)}</p> })}
            {move || error.get().map(|e| view! { <crate::components::field::Refusal error=e/> })}
            <div class="field-row">
                <crate::components::field::NamePair id="plan-name" label=Signal::derive(move || t_string!(i18n, sampling.name).to_string()) en=inputs.name_en zh=inputs.name_zh problem=Signal::derive(problem_of("name"))/>
                <div class="field">
                    <label for="plan-scorecard">{t!(i18n, sampling.scorecard)}</label>
                    <select id="plan-scorecard" on:change=move |ev| inputs.scorecard.set(event_target_value(&ev))>
                        {move || scorecards.get().unwrap_or_default().into_iter().filter(|c| !c.archived && !c.versions.is_empty()).map(|c| {
                            let id = c.id.to_string();
                            let selected = { let id = id.clone(); move || inputs.scorecard.get() == id };
                            view! { <option value=id selected=selected>{c.name.pick(zh()).to_string()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <fieldset>
                <legend>{t!(i18n, sampling.population)}</legend>
                <div class="field-row field-row-compact">
                    <div class="field">
                        <label for="plan-window">{t!(i18n, sampling.window)}</label>
                        <select id="plan-window" on:change=move |ev| inputs.rolling.set(event_target_value(&ev) == "rolling")>
                            <option value="rolling" selected=move || inputs.rolling.get()>{t!(i18n, sampling.window_rolling)}</option>
                            <option value="fixed" selected=move || !inputs.rolling.get()>{t!(i18n, sampling.window_fixed)}</option>
                        </select>
                    </div>
                    {move || if inputs.rolling.get() {
                        view! { <Input id="plan-rolling-days" kind="number" label=Signal::derive(move || t_string!(i18n, sampling.rolling_days).to_string()) value=inputs.rolling_days problem=Signal::derive(problem_of("rolling_days"))/> }.into_any()
                    } else {
                        view! {
                            <Input id="plan-from" kind="date" label=Signal::derive(move || t_string!(i18n, calls.from).to_string()) value=inputs.from problem=Signal::derive(problem_of("population.from"))/>
                            <Input id="plan-to" kind="date" label=Signal::derive(move || t_string!(i18n, calls.to).to_string()) value=inputs.to problem=Signal::derive(problem_of("population.to"))/>
                        }.into_any()
                    }}
                    <div class="field">
                        <label for="plan-team">{t!(i18n, calls.team)}</label>
                        <select id="plan-team" on:change=move |ev| { inputs.team.set(event_target_value(&ev)); inputs.agent.set(String::new()) }>
                            <option value="">{t!(i18n, calls.any)}</option>
                            {move || directory.get().teams.into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name.pick(zh()).to_string()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="plan-agent">{t!(i18n, calls.agent)}</label>
                        <select id="plan-agent" on:change=move |ev| inputs.agent.set(event_target_value(&ev))>
                            <option value="" selected=move || inputs.agent.get().is_empty()>{t!(i18n, calls.any)}</option>
                            {move || {
                                let team = inputs.team.get().parse().ok();
                                let users = directory.get().users;
                                kappa_domain::people::agents_of(&users, team).into_iter().map(|u| {
                                    let id = u.id.to_string();
                                    let selected = { let id = id.clone(); move || inputs.agent.get() == id };
                                    view! { <option value=id selected=selected>{u.display_name.clone()}</option> }
                                }).collect_view()
                            }}
                        </select>
                    </div>
                    <TermChoice id="plan-queue" kind=TermKind::Queue label=Signal::derive(move || t_string!(i18n, calls.queue).to_string()) value=inputs.queue/>
                    <Choice id="plan-direction" label=Signal::derive(move || t_string!(i18n, calls.direction).to_string()) value=inputs.direction
                        options=Direction::ALL.iter().map(|d| (d.code(), *d)).map(|(c, d)| (c, Signal::derive(move || labels::direction(d).to_string()))).collect()/>
                    <TermChoice id="plan-disposition" kind=TermKind::Disposition label=Signal::derive(move || t_string!(i18n, calls.disposition).to_string()) value=inputs.disposition/>
                    <Choice id="plan-complaint" label=Signal::derive(move || t_string!(i18n, calls.complaint).to_string()) value=inputs.complaint
                        options=vec![("yes", Signal::derive(move || t_string!(i18n, calls.yes).to_string())), ("no", Signal::derive(move || t_string!(i18n, calls.no).to_string()))]/>
                    <Choice id="plan-csat-min" label=Signal::derive(move || t_string!(i18n, calls.csat_min).to_string()) value=inputs.csat_min
                        options=["1", "2", "3", "4", "5"].into_iter().map(|c| (c, Signal::derive(move || c.to_string()))).collect()/>
                    <Choice id="plan-csat-max" label=Signal::derive(move || t_string!(i18n, calls.csat_max).to_string()) value=inputs.csat_max
                        options=["1", "2", "3", "4", "5"].into_iter().map(|c| (c, Signal::derive(move || c.to_string()))).collect()/>
                    <Input id="plan-dur-min" kind="number" label=Signal::derive(move || t_string!(i18n, calls.duration_min).to_string()) value=inputs.dur_min problem=Signal::derive(problem_of("population.dur_min"))/>
                    <Input id="plan-dur-max" kind="number" label=Signal::derive(move || t_string!(i18n, calls.duration_max).to_string()) value=inputs.dur_max problem=Signal::derive(problem_of("population.dur_max"))/>
                </div>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, sampling.exclusions)}</legend>
                <div class="field-row field-row-compact">
                    <Check id="plan-exclude-evaluated" label=Signal::derive(move || t_string!(i18n, sampling.exclude_evaluated).to_string()) value=inputs.exclude_evaluated/>
                    <Check id="plan-exclude-assigned" label=Signal::derive(move || t_string!(i18n, sampling.exclude_assigned).to_string()) value=inputs.exclude_assigned/>
                    <Input id="plan-min-duration" kind="number" label=Signal::derive(move || t_string!(i18n, sampling.min_duration).to_string()) value=inputs.min_duration problem=Signal::derive(problem_of("min_duration_s"))/>
                </div>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, sampling.strategy)}</legend>
                <div class="field-row field-row-compact">
                    <div class="field">
                        <label for="plan-strategy">{t!(i18n, sampling.strategy_kind)}</label>
                        <select id="plan-strategy" on:change=move |ev| if let Some(kind) = StrategyKind::parse(&event_target_value(&ev)) { inputs.strategy.set(kind) }>
                            {StrategyKind::ALL.into_iter().map(|kind| view! {
                                <option value=kind.code() selected=move || inputs.strategy.get() == kind>{move || match kind {
                                    StrategyKind::PerAgent => t_string!(i18n, sampling.strategy_per_agent),
                                    StrategyKind::Total => t_string!(i18n, sampling.strategy_total),
                                    StrategyKind::Stratified => t_string!(i18n, sampling.strategy_stratified),
                                    StrategyKind::Targeted => t_string!(i18n, sampling.strategy_targeted),
                                }}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <Input id="plan-n" kind="number" label=Signal::derive(move || if inputs.strategy.get() == StrategyKind::PerAgent { t_string!(i18n, sampling.n_per_agent).to_string() } else { t_string!(i18n, sampling.n_total).to_string() }) value=inputs.n problem=Signal::derive(problem_of("strategy.n"))/>
                    {move || match inputs.strategy.get() {
                        StrategyKind::Stratified => view! {
                            <div class="field">
                                <label for="plan-by">{t!(i18n, sampling.stratify_by)}</label>
                                <select id="plan-by" on:change=move |ev| if let Some(by) = StratumField::parse(&event_target_value(&ev)) { inputs.by.set(by) }>
                                    {StratumField::ALL.into_iter().map(|f| view! { <option value=f.code() selected=move || inputs.by.get() == f>{move || crate::format::capitalized(labels::stratum_field(f))}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="plan-allocation">{t!(i18n, sampling.allocation)}</label>
                                <select id="plan-allocation" on:change=move |ev| if let Some(a) = Allocation::parse(&event_target_value(&ev)) { inputs.allocation.set(a) }>
                                    {[Allocation::Equal, Allocation::Proportional].into_iter().map(|a| view! {
                                        <option value=a.code() selected=move || inputs.allocation.get() == a>{move || crate::format::capitalized(super::allocation_label(a))}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        }.into_any(),
                        StrategyKind::Targeted => view! {
                            <Input id="plan-complaints" kind="number" label=Signal::derive(move || t_string!(i18n, sampling.complaints_pct).to_string()) value=inputs.complaints_pct problem=Signal::derive(problem_of("strategy.complaints_pct"))/>
                            <Input id="plan-low-csat" kind="number" label=Signal::derive(move || t_string!(i18n, sampling.low_csat_pct).to_string()) value=inputs.low_csat_pct problem=Signal::derive(problem_of("strategy.low_csat_pct"))/>
                        }.into_any(),
                        _ => ().into_any(),
                    }}
                </div>
                {move || (inputs.strategy.get() == StrategyKind::Targeted).then(|| view! { <p class="hint">{t!(i18n, sampling.targeted_rule)}</p> })}
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, sampling.reviewers)}</legend>
                {move || problem_of("reviewers")().map(|p| view! { <p class="field-error">{p}</p> })}
                <div class="check-grid">
                    {move || directory.get().users.into_iter().filter(|u| u.may_review()).map(|u| {
                        let id = u.id;
                        let (input_id, label_for) = (format!("plan-reviewer-{id}"), format!("plan-reviewer-{id}"));
                        view! {
                            <label class="field-check" for=label_for>
                                <input type="checkbox" id=input_id prop:checked=move || inputs.reviewers.get().contains(&id)
                                    on:change=move |ev| { let on = event_target_checked(&ev); inputs.reviewers.update(|r| { r.retain(|x| *x != id); if on { r.push(id) } }) }/>
                                {u.display_name}" "<span class="muted">{labels::role(u.role)}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, sampling.schedule)}</legend>
                <div class="field-row field-row-compact">
                    <Input id="plan-due" kind="number" label=Signal::derive(move || t_string!(i18n, sampling.due_days).to_string()) value=inputs.due_days problem=Signal::derive(problem_of("due_days"))/>
                    <div class="field">
                        <label for="plan-recurrence">{t!(i18n, sampling.recurrence)}</label>
                        <select id="plan-recurrence" on:change=move |ev| if let Some(r) = Recurrence::parse(&event_target_value(&ev)) { inputs.recurrence.set(r) }>
                            {Recurrence::ALL.into_iter().map(|r| view! { <option value=r.code() selected=move || inputs.recurrence.get() == r>{move || super::recurrence_label(r)}</option> }).collect_view()}
                        </select>
                    </div>
                    <Input id="plan-seed" kind="number" label=Signal::derive(move || t_string!(i18n, sampling.seed).to_string()) value=inputs.seed problem=Signal::derive(problem_of("seed"))
                        hint=Signal::derive(move || t_string!(i18n, sampling.seed_hint).to_string())/>
                    <div class="field field-actions">
                        <button type="button" class="button" on:click=move |_| inputs.seed.set(fresh_seed())>{t!(i18n, sampling.new_seed)}</button>
                    </div>
                </div>
            </fieldset>
            <div class="alert-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>{t!(i18n, sampling.preview)}</button>
                <button type="button" class="button" on:click=move |_| cancel.run(())>{t!(i18n, queue_page.cancel)}</button>
            </div>
            {move || preview.get().map(|(_, p)| view! { <PreviewPanel preview=p directory use_size commit edit=edited.is_some() busy/> })}
        </form>
    }
}

/// A labelled input showing the refusal of its own field.
#[component]
fn Input(
    id: &'static str,
    label: Signal<String>,
    value: RwSignal<String>,
    problem: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (error_id, hint_id, has_hint) = (error_id.clone(), hint_id.clone(), hint.is_some());
        move || {
            let ids: Vec<&str> = [
                has_hint.then_some(hint_id.as_str()),
                problem.get().map(|_| error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type=kind prop:value=value on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || problem.get().map(|_| "true") aria-describedby=described/>
            {hint.map(|h| view! { <span class="hint" id=hint_id.clone()>{h}</span> })}
            {move || problem.get().map(|p| view! { <span class="field-error" id=error_id.clone()>{p}</span> })}
        </div>
    }
}

/// A select over coded values with an "Any" choice.
#[component]
fn Choice(
    id: &'static str,
    label: Signal<String>,
    value: RwSignal<String>,
    options: Vec<(&'static str, Signal<String>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="" selected=move || value.get().is_empty()>{t!(i18n, calls.any)}</option>
                {options.into_iter().map(|(code, text)| view! { <option value=code selected=move || value.get() == code>{text}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// A choice of one of the centre's queues or outcomes (or any).
#[component]
fn TermChoice(
    id: &'static str,
    kind: TermKind,
    label: Signal<String>,
    value: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="" selected=move || value.get().is_empty()>{t!(i18n, calls.any)}</option>
                {move || labels::term_options(kind, Some(value.get()).filter(|c| !c.is_empty()))}
            </select>
        </div>
    }
}

#[component]
fn Check(id: &'static str, label: Signal<String>, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="field-check" for=id>
            <input type="checkbox" id=id prop:checked=value on:change=move |ev| value.set(event_target_checked(&ev))/>
            {label}
        </label>
    }
}
