//! Calls the demo centre imported from its own telephony platform (a Tinet-style CDR): matched
//! to agents by agent code (工号), keyed by the platform's ids, with the columns no field took
//! kept as attributes. Brought in through the import rules, as a lead's import would be.

use kappa_domain::file_import::{DryRunRequest, FileImport, ImportStep, ImportTally, StagedFile};
use kappa_domain::import::{CallBatch, IncomingCall};
use kappa_domain::store::MemoryStore;
use kappa_domain::store::Store;
use kappa_domain::User;
use kappa_domain::{workflow, Direction, Language};
use kappa_import::check::{kept_report, FileReport};
use kappa_import::encoding::SourceEncoding;
use kappa_import::mapping::{Mapping, ReadingSettings};
use kappa_import::preset::Preset;
use kappa_import::table::{FileFormat, Shape};
use rand::Rng;
use std::collections::BTreeMap;

/// The platform's name in the centre.
pub const SOURCE: &str = "tinet";

/// The last demo day's calls from the platform, 08:00 to 18:00.
pub fn generate(rng: &mut impl Rng, store: &mut MemoryStore) {
    let lead = store
        .users
        .iter()
        .find(|u| u.username == "lead1")
        .cloned()
        .expect("the demo has lead1");
    let day =
        chrono::NaiveDate::from_ymd_opt(crate::LAST_DAY.0, crate::LAST_DAY.1, crate::LAST_DAY.2)
            .expect("valid date");
    let queues = ["bookings", "changes", "refunds", "complaints"];
    let outcomes = [
        "resolved",
        "resolved",
        "resolved",
        "follow_up",
        "transferred",
    ];
    let calls = (0..36)
        .map(|n| {
            let started_at = day.and_hms_opt(8, 0, 0).expect("valid time")
                + chrono::Duration::seconds(n * 1000 + rng.gen_range(0..600));
            let hung_up_by = if rng.gen_bool(0.7) {
                "客户"
            } else {
                "坐席"
            };
            let ivr = format!("1>{}>{}", rng.gen_range(1..4), rng.gen_range(1..3));
            let attributes = BTreeMap::from([
                ("IVR 路径".to_string(), ivr),
                ("挂机方".to_string(), hung_up_by.to_string()),
                ("中继号".to_string(), format!("0108{:04}", 2000 + n % 4)),
            ]);
            // Twenty callers for 36 calls: some call again, and are found by their hash.
            let caller = rng.gen_range(0..20u64);
            IncomingCall {
                row: n as u64 + 2,
                external_id: format!("TN2026112500{:04}", 1200 + n),
                agent: (1001 + rng.gen_range(0..27)).to_string(),
                started_at,
                duration_s: rng.gen_range(60..720),
                customer_ref: format!("****{:04}", 1000 + caller * 379 % 9000),
                // As the platform's import masks it: the number's salted hash, here the demo's.
                caller_hash: Some(format!(
                    "{:016x}{:016x}",
                    0x9e37_79b9_7f4a_7c15u64.wrapping_mul(caller + 1),
                    0xbf58_476d_1ce4_e5b9u64.wrapping_mul(caller + 7)
                )),
                queue: queues[rng.gen_range(0..queues.len())].into(),
                direction: if rng.gen_bool(0.85) {
                    Direction::Inbound
                } else {
                    Direction::Outbound
                },
                disposition: outcomes[rng.gen_range(0..outcomes.len())].into(),
                csat: rng.gen_bool(0.3).then(|| rng.gen_range(1..=5)),
                complaint: rng.gen_bool(0.08),
                language: Language::Zh,
                attributes,
            }
        })
        .collect();
    let batch = CallBatch {
        source: SOURCE.into(),
        calls,
    };
    let export = tinet_export(&batch.calls);
    let digest = |text: &str| kappa_import::value::file_digest(text.as_bytes());
    let at = |h, m| day.and_hms_opt(h, m, 0).expect("valid time");
    let lead2 = store
        .users
        .iter()
        .find(|u| u.username == "lead2")
        .cloned()
        .expect("the demo has lead2");
    let mut steps = || -> workflow::Outcome<()> {
        // A workbook that was not one: its check stopped at once.
        let failed = workflow::stage_import(
            store,
            &lead,
            StagedFile {
                file_name: "通话记录_20261125.xlsx".into(),
                sha256: digest("通话记录_20261125"),
                size: 48_213,
            },
            at(17, 2),
        )?;
        workflow::begin_dry_run(store, &lead, failed.id, dry_run_of(&failed, None))?;
        let why =
            kappa_import::problem::Refusal::new(kappa_import::problem::ImportProblem::NotAWorkbook)
                .describe(true);
        workflow::fail_import(store, failed.id, why, at(17, 2))?;
        // The day's export, checked by another lead, who left its import to lead1.
        let set_aside = stage(store, &lead2, &export, at(17, 10))?;
        workflow::begin_dry_run(
            store,
            &lead2,
            set_aside.id,
            dry_run_of(&set_aside, Some(Preset::Tinet)),
        )?;
        check(store, set_aside.id, &batch, &export)?;
        let checked = store.file_import(set_aside.id)?.expect("just checked");
        workflow::cancel_import(
            store,
            &lead2,
            checked.id,
            ImportStep {
                revision: checked.revision,
            },
            at(17, 12),
        )?;
        // lead1's import of it: checked, then committed.
        let import = stage(store, &lead, &export, at(18, 40))?;
        workflow::begin_dry_run(
            store,
            &lead,
            import.id,
            dry_run_of(&import, Some(Preset::Tinet)),
        )?;
        check(store, import.id, &batch, &export)?;
        let checked = store.file_import(import.id)?.expect("just checked");
        workflow::begin_commit(
            store,
            &lead,
            checked.id,
            ImportStep {
                revision: checked.revision,
            },
        )?;
        let report = workflow::commit_batch(store, checked.id, 1, batch.clone())?;
        // Agents 1001–1027 are all in teams: every row is taken.
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        workflow::finish_commit(store, checked.id, file_report(&export), at(18, 41))?;
        Ok(())
    };
    steps().expect("the demo's imports");
}

/// The day's calls as the platform exports them (its CSV's header and rows): what the demo's
/// imports name by size and hash.
fn tinet_export(calls: &[IncomingCall]) -> String {
    let mut text = String::from("唯一标识,座席工号,开始时间,通话时长,客户号码,队列名称,呼叫类型,接听状态,满意度,投诉,IVR 路径,挂机方,中继号\r\n");
    for c in calls {
        let attribute = |name: &str| c.attributes.get(name).cloned().unwrap_or_default();
        text.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            c.external_id,
            c.agent,
            c.started_at.format("%Y-%m-%d %H:%M:%S"),
            c.duration_s,
            c.customer_ref,
            c.queue,
            c.direction.code(),
            c.disposition,
            c.csat.map(|n| n.to_string()).unwrap_or_default(),
            if c.complaint { "是" } else { "否" },
            attribute("IVR 路径"),
            attribute("挂机方"),
            attribute("中继号"),
        ));
    }
    text
}

fn stage(
    store: &mut MemoryStore,
    lead: &User,
    export: &str,
    at: chrono::NaiveDateTime,
) -> workflow::Outcome<FileImport> {
    workflow::stage_import(
        store,
        lead,
        StagedFile {
            file_name: "话单_20261125.csv".into(),
            sha256: kappa_import::value::file_digest(export.as_bytes()),
            size: export.len() as u64,
        },
        at,
    )
}

/// A dry run read as the platform's preset reads it, callers masked, reported in Chinese.
fn dry_run_of(import: &FileImport, preset: Option<Preset>) -> DryRunRequest {
    let mut mapping = preset.map_or_else(|| Mapping::suggested(&[]), Preset::mapping);
    mapping.mask_callers = true;
    let settings = ReadingSettings {
        preset,
        mapping,
        sheet: None,
        encoding: None,
        zh: true,
    };
    DryRunRequest {
        source: SOURCE.into(),
        reading: serde_json::to_string(&settings).expect("settings serialize"),
        revision: import.revision,
    }
}

/// The dry run's batch and end.
fn check(
    store: &mut MemoryStore,
    id: u32,
    batch: &CallBatch,
    export: &str,
) -> workflow::Outcome<FileImport> {
    let mut tally = ImportTally::default();
    tally.add(workflow::dry_run_batch(store, id, batch.clone())?);
    workflow::finish_dry_run(store, id, file_report(export), tally)
}

/// The file's report: every row a call with its agent.
fn file_report(export: &str) -> serde_json::Value {
    let mut lines = export.lines();
    let columns: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines.count() as u64;
    let report = FileReport {
        columns,
        rows,
        valid: rows,
        ..FileReport::default()
    };
    // As the platform writes it: GB18030, comma-separated.
    let shape = Shape {
        encoding: SourceEncoding::Gb18030,
        format: FileFormat::Csv,
        delimiter: ',',
        sheet: None,
        records: None,
        headerless: None,
    };
    kept_report(&report, &shape)
}
