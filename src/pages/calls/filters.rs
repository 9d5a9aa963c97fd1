//! The filter bar. Every change writes a new URL; the page re-reads the URL, so the address bar
//! is the single source of truth.

use crate::components::labels;
use crate::i18n::*;
use kappa_domain::api::Directory;
use kappa_domain::call_query::AttributeFilter;
use kappa_domain::people::agents_of;
use kappa_domain::vocabulary::TermKind;
use kappa_domain::{CallQuery, Direction, QueryError};
use leptos::prelude::*;

/// Filters a link carried that could not be understood: said once, plainly, and ignored.
#[component]
pub fn InvalidParams(errors: Memo<Vec<QueryError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let errors = errors.get();
        (!errors.is_empty()).then(|| view! {
            <div class="alert alert-warning" role="status">
                <span aria-hidden="true">"⚠ "</span>
                {t!(i18n, calls.invalid_params)}
                <ul>{errors.into_iter().map(|e| view! { <li><code>{format!("{}={}", e.field, e.value)}</code>": "{move || labels::query_problem(&e.problem)}</li> }).collect_view()}</ul>
            </div>
        })
    }
}

fn parse_opt<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.trim().parse().ok()
}

#[component]
pub fn CallFilters(
    query: Memo<CallQuery>,
    directory: Signal<Directory>,
    set_query: Callback<CallQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Any filter change goes back to page 1: the old page number means nothing for a new set.
    let change = move |edit: &dyn Fn(&mut CallQuery)| {
        let mut q = query.get_untracked();
        edit(&mut q);
        q.page = 1;
        set_query.run(q);
    };
    let zh = move || i18n.get_locale() == Locale::zh_CN;
    let any = move || t_string!(i18n, calls.any);
    let minutes = |seconds: Option<u32>| seconds.map(|s| (s / 60).to_string()).unwrap_or_default();
    view! {
        <form class="filters card" role="search" aria-label=move || t_string!(i18n, calls.filters) on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="filter-from">{t!(i18n, calls.from)}</label>
                <input id="filter-from" type="date" prop:value=move || query.get().from.map(|d| d.to_string()).unwrap_or_default()
                    on:change=move |ev| change(&|q| q.from = parse_opt(&event_target_value(&ev)))/>
            </div>
            <div class="field">
                <label for="filter-to">{t!(i18n, calls.to)}</label>
                <input id="filter-to" type="date" prop:value=move || query.get().to.map(|d| d.to_string()).unwrap_or_default()
                    on:change=move |ev| change(&|q| q.to = parse_opt(&event_target_value(&ev)))/>
            </div>
            <div class="field">
                <label for="filter-team">{t!(i18n, calls.team)}</label>
                <select id="filter-team" on:change=move |ev| change(&|q| { q.team = parse_opt(&event_target_value(&ev)); q.agent = None; })>
                    <option value="" selected=move || query.get().team.is_none()>{any}</option>
                    {move || directory.get().teams.into_iter().map(|t| view! {
                        <option value=t.id.to_string() selected=move || query.get().team == Some(t.id)>{t.name.get(zh()).to_string()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-agent">{t!(i18n, calls.agent)}</label>
                <select id="filter-agent" on:change=move |ev| change(&|q| q.agent = parse_opt(&event_target_value(&ev)))>
                    <option value="" selected=move || query.get().agent.is_none()>{any}</option>
                    {move || {
                        let dir = directory.get();
                        agents_of(&dir.users, query.get().team).into_iter().map(|u| {
                            let id = u.id;
                            view! { <option value=id.to_string() selected=move || query.get().agent == Some(id)>{u.display_name.clone()}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="filter-queue">{t!(i18n, calls.queue)}</label>
                <select id="filter-queue" on:change=move |ev| { let code = event_target_value(&ev); change(&|q| q.queue = (!code.is_empty()).then(|| code.clone())) }>
                    <option value="" selected=move || query.get().queue.is_none()>{any}</option>
                    {move || labels::term_options(TermKind::Queue, query.get().queue)}
                </select>
            </div>
            <CodeSelect id="filter-direction" label=Signal::derive(move || t_string!(i18n, calls.direction).to_string())
                options=Direction::ALL.iter().map(|v| (v.code(), Signal::derive(move || labels::direction(*v).to_string()))).collect()
                selected=Signal::derive(move || query.get().direction.map(|v| v.code()))
                on_pick=Callback::new(move |code: String| change(&|q| q.direction = Direction::parse(&code)))/>
            <div class="field">
                <label for="filter-disposition">{t!(i18n, calls.disposition)}</label>
                <select id="filter-disposition" on:change=move |ev| { let code = event_target_value(&ev); change(&|q| q.disposition = (!code.is_empty()).then(|| code.clone())) }>
                    <option value="" selected=move || query.get().disposition.is_none()>{any}</option>
                    {move || labels::term_options(TermKind::Disposition, query.get().disposition)}
                </select>
            </div>
            <div class="field field-narrow">
                <label for="filter-dur-min">{t!(i18n, calls.duration_min)}</label>
                <input id="filter-dur-min" type="number" min="0" step="1" inputmode="numeric" prop:value=move || minutes(query.get().min_duration)
                    on:change=move |ev| change(&|q| q.min_duration = parse_opt::<u32>(&event_target_value(&ev)).map(|m| m * 60))/>
            </div>
            <div class="field field-narrow">
                <label for="filter-dur-max">{t!(i18n, calls.duration_max)}</label>
                <input id="filter-dur-max" type="number" min="0" step="1" inputmode="numeric" prop:value=move || minutes(query.get().max_duration)
                    on:change=move |ev| change(&|q| q.max_duration = parse_opt::<u32>(&event_target_value(&ev)).map(|m| m * 60))/>
            </div>
            <CodeSelect id="filter-csat-min" label=Signal::derive(move || t_string!(i18n, calls.csat_min).to_string())
                options=["1", "2", "3", "4", "5"].into_iter().map(|v| (v, Signal::derive(move || v.to_string()))).collect()
                selected=Signal::derive(move || query.get().min_csat.map(csat_code))
                on_pick=Callback::new(move |code: String| change(&|q| q.min_csat = parse_opt(&code)))/>
            <CodeSelect id="filter-csat-max" label=Signal::derive(move || t_string!(i18n, calls.csat_max).to_string())
                options=["1", "2", "3", "4", "5"].into_iter().map(|v| (v, Signal::derive(move || v.to_string()))).collect()
                selected=Signal::derive(move || query.get().max_csat.map(csat_code))
                on_pick=Callback::new(move |code: String| change(&|q| q.max_csat = parse_opt(&code)))/>
            <CodeSelect id="filter-complaint" label=Signal::derive(move || t_string!(i18n, calls.complaint).to_string())
                options=vec![("yes", Signal::derive(move || t_string!(i18n, calls.yes).to_string())), ("no", Signal::derive(move || t_string!(i18n, calls.no).to_string()))]
                selected=Signal::derive(move || query.get().complaint.map(|c| if c { "yes" } else { "no" }))
                on_pick=Callback::new(move |code: String| change(&|q| q.complaint = match code.as_str() { "yes" => Some(true), "no" => Some(false), _ => None }))/>
            <CodeSelect id="filter-recorded" label=Signal::derive(move || t_string!(i18n, calls.recorded).to_string())
                options=vec![("yes", Signal::derive(move || t_string!(i18n, calls.yes).to_string())), ("no", Signal::derive(move || t_string!(i18n, calls.no).to_string()))]
                selected=Signal::derive(move || query.get().recorded.map(|c| if c { "yes" } else { "no" }))
                on_pick=Callback::new(move |code: String| change(&|q| q.recorded = match code.as_str() { "yes" => Some(true), "no" => Some(false), _ => None }))/>
            <AttributeField query change_attribute=Callback::new(move |a: Option<AttributeFilter>| change(&|q| q.attribute = a.clone()))/>
            <div class="field field-actions">
                <button type="button" class="button" disabled=move || !query.get().is_filtered()
                    on:click=move |_| {
                        let q = query.get_untracked();
                        set_query.run(CallQuery { sort: q.sort, page_size: q.page_size, ..CallQuery::default() });
                    }>
                    {t!(i18n, calls.reset)}
                </button>
            </div>
        </form>
    }
}

fn csat_code(v: u8) -> &'static str {
    ["1", "2", "3", "4", "5"][usize::from(v.clamp(1, 5)) - 1]
}

/// A labelled select over coded values with an "Any" choice.
#[component]
fn CodeSelect(
    id: &'static str,
    label: Signal<String>,
    options: Vec<(&'static str, Signal<String>)>,
    selected: Signal<Option<&'static str>>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| on_pick.run(event_target_value(&ev))>
                <option value="" selected=move || selected.get().is_none()>{move || t_string!(i18n, calls.any)}</option>
                {options.into_iter().map(|(code, text)| view! {
                    <option value=code selected=move || selected.get() == Some(code)>{text}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// Calls by what an imported column said: `name=value`, refused beside the field when it is
/// not one.
#[component]
fn AttributeField(
    query: Memo<CallQuery>,
    change_attribute: Callback<Option<AttributeFilter>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem = RwSignal::new(None::<String>);
    let shown = move || {
        query
            .get()
            .attribute
            .map(|a| format!("{}={}", a.name, a.value))
            .unwrap_or_default()
    };
    let pick = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if text.trim().is_empty() {
            problem.set(None);
            change_attribute.run(None);
            return;
        }
        match AttributeFilter::parse(&text) {
            Ok(filter) => {
                problem.set(None);
                change_attribute.run(Some(filter));
            }
            Err(e) => problem.set(Some(labels::query_problem(&e.problem))),
        }
    };
    view! {
        <div class="field">
            <label for="filter-attr">{t!(i18n, calls.attribute)}</label>
            <input id="filter-attr" type="search" autocomplete="off" prop:value=shown on:change=pick
                aria-invalid=move || problem.get().map(|_| "true")
                aria-describedby=move || if problem.get().is_some() { "filter-attr-hint filter-attr-error" } else { "filter-attr-hint" }/>
            <span class="hint" id="filter-attr-hint">{t!(i18n, calls.attribute_hint)}</span>
            {move || problem.get().map(|p| view! { <span class="field-error" id="filter-attr-error">{p}</span> })}
        </div>
    }
}
