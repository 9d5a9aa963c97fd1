//! Choosing a file and how it is read: its start is read here at once (encoding, format,
//! columns and first rows, through the same reader the server uses), each of Kappa's fields is
//! mapped to a column (suggested from the headers or the platform's preset), then the file is
//! uploaded and its dry run asked for.

use crate::api::ApiError;
use crate::components::field::TextField;
use crate::components::state::ErrorView;
use crate::i18n::*;
use crate::session::use_session;
use kappa_domain::file_import::{DryRunRequest, FileImport};
use kappa_import::check::{preview, Preview};
use kappa_import::encoding::SourceEncoding;
use kappa_import::field::{ColumnMap, Field};
use kappa_import::mapping::{Mapping, ReadingSettings};
use kappa_import::preset::{shape_of, Preset};
use kappa_import::table::{FileFormat, Shape, SNIFF_BYTES};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Rows the preview shows.
const PREVIEW_ROWS: usize = 8;
/// A workbook is read whole for its preview (its index is at its end), up to this size.
const WORKBOOK_PREVIEW_BYTES: f64 = 32.0 * 1024.0 * 1024.0;

/// The start of the chosen file, as read here: whether it is the whole file.
#[derive(Clone)]
struct Head {
    bytes: std::rc::Rc<Vec<u8>>,
    whole: bool,
}

#[component]
pub fn FileChoice(started: Callback<FileImport>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let file = RwSignal::new_local(None::<web_sys::File>);
    let head = RwSignal::new_local(None::<Head>);
    let preset = RwSignal::new(None::<Preset>);
    let encoding = RwSignal::new(None::<SourceEncoding>);
    let source = RwSignal::new(String::new());
    let mask = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // How the file reads with the choices made: its shape and first rows, or why not.
    let read = Memo::new(move |_| {
        let head = head.get()?;
        Some(
            shape_of(&head.bytes, preset.get(), None, encoding.get()).and_then(|shape| {
                let shown = preview(&head.bytes, &shape, PREVIEW_ROWS, !head.whole)?;
                Ok((shape, shown))
            }),
        )
    });
    // The mapping starts again from the preset's, or from the headers, when either changes (a
    // corrected encoding with the same headers keeps the lead's edits).
    let mapping = RwSignal::new(None::<Mapping>);
    Effect::new(
        move |before: Option<Option<(Vec<String>, Option<Preset>)>>| {
            let columns = read.with(|r| match r {
                Some(Ok((_, shown))) => Some(shown.columns.clone()),
                _ => None,
            });
            let Some(columns) = columns else {
                mapping.set(None);
                return None;
            };
            let now = (columns, preset.get());
            if before.flatten().as_ref() == Some(&now) && mapping.with_untracked(Option::is_some) {
                return Some(now);
            }
            let mut m = match now.1 {
                Some(p) => p.mapping(),
                None => Mapping::suggested(&now.0),
            };
            m.mask_callers = mask.get_untracked();
            mapping.set(Some(m));
            Some(now)
        },
    );
    // Which choice a read belongs to: a slower read of an earlier file lands on nothing.
    let choice = StoredValue::new(0u32);
    let choose = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let chosen = input.files().and_then(|list| list.get(0));
        error.set(None);
        head.set(None);
        encoding.set(None);
        choice.update_value(|n| *n += 1);
        let this = choice.get_value();
        if let Some(f) = &chosen {
            if source.get_untracked().is_empty() {
                source.set(default_source(preset.get_untracked()));
            }
            let f = f.clone();
            spawn_local(async move {
                let whole = f.name().to_lowercase().ends_with(".xlsx")
                    && f.size() <= WORKBOOK_PREVIEW_BYTES;
                let end = if whole {
                    f.size()
                } else {
                    f.size().min(SNIFF_BYTES as f64)
                };
                let read = match f.slice_with_f64_and_f64(0.0, end) {
                    Ok(blob) => wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
                        .await
                        .ok(),
                    Err(_) => None,
                };
                let current = choice.try_get_value() == Some(this);
                if let (Some(buffer), true) = (read, current) {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    let whole = whole || end >= f.size();
                    let _ = head.try_set(Some(Head {
                        bytes: std::rc::Rc::new(bytes),
                        whole,
                    }));
                }
            });
        }
        file.set(chosen);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (Some(f), Some(mut m)) = (file.get_untracked(), mapping.get_untracked()) else {
            return;
        };
        m.mask_callers = mask.get_untracked();
        let settings = ReadingSettings {
            preset: preset.get_untracked(),
            mapping: m,
            sheet: None,
            encoding: encoding.get_untracked(),
            zh: crate::format::is_zh(),
        };
        let source = source.get_untracked().trim().to_string();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let api = session.api();
            let done = async {
                let staged = api.stage_import(&f).await?;
                let request = DryRunRequest {
                    source,
                    reading: serde_json::to_string(&settings).unwrap_or_default(),
                    revision: staged.revision,
                };
                api.dry_run_import(staged.id, &request).await
            }
            .await;
            let _ = busy.try_set(false);
            // The page may have been left meanwhile.
            match done {
                Ok(import) => {
                    started.try_run(import);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let presets = move || {
        let zh = crate::format::is_zh();
        Preset::ALL
            .into_iter()
            .map(|p| view! { <option value=p.code() selected=move || preset.get() == Some(p)>{p.label(zh)}</option> })
            .collect_view()
    };
    let ready = move || mapping.with(|m| m.as_ref().is_some_and(|m| m.missing_fields().is_empty()));
    view! {
        <form class="card" on:submit=submit novalidate aria-labelledby="import-new">
            <h2 id="import-new">{t!(i18n, import.new)}</h2>
            <p class="hint">{t!(i18n, import.new_hint)}</p>
            {move || error.get().map(|e| view! { <ErrorView error=e/> })}
            <div class="field-row field-row-top">
                <div class="field">
                    <label for="import-file">{t!(i18n, import.file)}</label>
                    <input id="import-file" type="file" accept=".csv,.txt,.tsv,.json,.ndjson,.jsonl,.xlsx"
                        aria-describedby="import-file-hint" on:change=choose/>
                    <span class="hint" id="import-file-hint">{t!(i18n, import.file_hint)}</span>
                </div>
                <div class="field">
                    <label for="import-preset">{t!(i18n, import.platform)}</label>
                    <select id="import-preset" on:change=move |ev| {
                        let chosen = Preset::parse(&event_target_value(&ev));
                        let before = default_source(preset.get_untracked());
                        preset.set(chosen);
                        if source.get_untracked() == before || source.get_untracked().is_empty() {
                            source.set(default_source(chosen));
                        }
                    }>
                        <option value="" selected=move || preset.get().is_none()>{t!(i18n, import.platform_other)}</option>
                        {presets}
                    </select>
                </div>
                <TextField id="import-source" field="source" label=Signal::derive(move || t_string!(i18n, import.source).to_string())
                    value=source error autocomplete="off" hint=Signal::derive(move || t_string!(i18n, import.source_hint).to_string())/>
            </div>
            {move || read.get().map(|r| match r {
                Ok((shape, shown)) => view! { <Reading shape shown encoding/> }.into_any(),
                Err(refusal) => view! {
                    <p class="alert alert-error" role="alert">{refusal.describe(crate::format::is_zh())}</p>
                }.into_any(),
            })}
            {move || read.with(|r| matches!(r, Some(Ok(_)))).then(|| view! {
                <ColumnMapping mapping columns=Signal::derive(move || read.with(|r| match r {
                    Some(Ok((_, shown))) => shown.columns.clone(),
                    _ => Vec::new(),
                }))/>
                <label class="field-check">
                    <input id="import-mask" type="checkbox" prop:checked=mask
                        on:change=move |ev| mask.set(event_target_checked(&ev))/>
                    {t!(i18n, import.mask)}
                </label>
            })}
            <div class="form-actions">
                <button type="submit" class="button button-primary"
                    disabled=move || busy.get() || !ready()>{move || if busy.get() {
                        t_string!(i18n, import.uploading)
                    } else {
                        t_string!(i18n, import.check)
                    }}</button>
            </div>
        </form>
    }
}

/// What a platform's calls are named by when the lead names no source: its preset's code.
fn default_source(preset: Option<Preset>) -> String {
    preset.map_or("import", Preset::code).replace('_', "-")
}

/// How the file reads: its format and encoding (the encoding can be corrected), and its first
/// rows as Kappa sees them.
#[component]
fn Reading(
    shape: Shape,
    shown: Preview,
    encoding: RwSignal<Option<SourceEncoding>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let detected = shape.encoding;
    let format = shape.format;
    let header = shown
        .columns
        .iter()
        .map(|c| view! { <th scope="col">{c.clone()}</th> })
        .collect_view();
    let rows = shown
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .iter()
                .map(|cell| view! { <td>{cell.clone().unwrap_or_default()}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    let zh = crate::format::is_zh();
    let problems = shown
        .problems
        .iter()
        .map(|p| view! { <li>{p.describe(zh)}</li> })
        .collect_view();
    let format_name = match format {
        FileFormat::Csv => "CSV",
        FileFormat::Json => "JSON",
        FileFormat::Ndjson => "NDJSON",
        FileFormat::Xlsx => "Excel (XLSX)",
    };
    view! {
        <div class="subcard" role="group" aria-labelledby="import-reading">
            <h3 id="import-reading">{t!(i18n, import.reading)}</h3>
            <div class="field-row field-row-top">
                <p class="reading-fact">{move || t_string!(i18n, import.format, format = format_name).to_string()}</p>
                {(format != FileFormat::Xlsx).then(|| view! {
                    <div class="field">
                        <label for="import-encoding">{t!(i18n, import.encoding)}</label>
                        <select id="import-encoding" aria-describedby="import-encoding-hint"
                            on:change=move |ev| encoding.set(SourceEncoding::parse(&event_target_value(&ev)).filter(|e| *e != detected))>
                            {SourceEncoding::ALL.into_iter().map(|e| view! {
                                <option value=e.code() selected=move || encoding.get().unwrap_or(detected) == e>{encoding_name(e)}</option>
                            }).collect_view()}
                        </select>
                        <span class="hint" id="import-encoding-hint">{move || t_string!(i18n, import.encoding_detected, encoding = encoding_name(detected)).to_string()}</span>
                    </div>
                })}
            </div>
            <p class="result-count">{move || t_string!(i18n, import.preview_count, rows = shown.rows.len(), columns = shown.columns.len()).to_string()}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="import-reading">
                <table class="data-table preview-table">
                    <thead><tr>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {(!shown.problems.is_empty()).then(|| view! { <ul class="problem-list">{problems}</ul> })}
        </div>
    }
}

fn encoding_name(encoding: SourceEncoding) -> &'static str {
    match encoding {
        SourceEncoding::Utf8 => "UTF-8",
        SourceEncoding::Utf8Bom => "UTF-8 (BOM)",
        SourceEncoding::Utf16Le => "UTF-16 LE",
        SourceEncoding::Utf16Be => "UTF-16 BE",
        SourceEncoding::Gb18030 => "GB18030 / GBK",
    }
}

/// Each of Kappa's fields and the column it comes from; the fields a call needs are marked,
/// and a missing one is named.
#[component]
fn ColumnMapping(
    mapping: RwSignal<Option<Mapping>>,
    columns: Signal<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let zh = crate::format::is_zh();
    let fields = Field::ALL
        .into_iter()
        .map(|field| {
            let id = format!("map-{}", field.code());
            let chosen = move || mapping.with(|m| m.as_ref().and_then(|m| m.column(field).map(str::to_string)));
            let pick = move |ev: leptos::ev::Event| {
                let column = event_target_value(&ev);
                mapping.update(|m| {
                    if let Some(m) = m {
                        m.columns.retain(|c| c.field != field);
                        if !column.is_empty() {
                            m.columns.push(ColumnMap { field, column });
                        }
                    }
                });
            };
            let options = move || {
                let now = chosen();
                let mut names = columns.get();
                // A preset's column the file lacks stays visible, so the mismatch can be seen.
                if let Some(c) = &now {
                    if !names.contains(c) {
                        names.push(c.clone());
                    }
                }
                names
                    .into_iter()
                    .map(|c| {
                        let selected = now.as_ref() == Some(&c);
                        let shown = c.clone();
                        view! { <option value=c selected=selected>{shown}</option> }
                    })
                    .collect_view()
            };
            view! {
                <div class="field">
                    <label for=id.clone()>{field.label(zh)}</label>
                    <select id=id on:change=pick>
                        <option value="" selected=move || chosen().is_none()>{t!(i18n, import.not_in_file)}</option>
                        {options}
                    </select>
                </div>
            }
        })
        .collect_view();
    let missing = move || {
        mapping.with(|m| {
            m.as_ref()
                .map(|m| m.missing_fields())
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.label(zh))
                .collect::<Vec<_>>()
                .join(if zh { "、" } else { ", " })
        })
    };
    view! {
        <div class="subcard" role="group" aria-labelledby="import-mapping">
            <h3 id="import-mapping">{t!(i18n, import.mapping)}</h3>
            <p class="hint">{t!(i18n, import.mapping_hint)}</p>
            <div class="filters mapping-grid">{fields}</div>
            {move || {
                let names = missing();
                (!names.is_empty()).then(|| view! {
                    <p class="field-error" role="alert">{t_string!(i18n, import.missing, fields = names.clone()).to_string()}</p>
                })
            }}
        </div>
    }
}
