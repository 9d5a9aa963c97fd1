//! `kappa-server check-import`: an export checked on the server's machine, the report in both
//! languages, the rejected rows written beside the file with the mark Excel needs.

use kappa_import::preset::Preset;
use kappa_server::import_check::{check_import, describe, Reading};
use std::path::PathBuf;

/// A copy of a sample export in a folder of its own (one per test: tests run at once), so
/// that what the check writes beside it stays there.
fn copied(name: &str) -> PathBuf {
    copied_for("check", name)
}

fn copied_for(test: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kappa-{test}-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let to = dir.join(name);
    std::fs::copy(
        format!(
            "{}/../../tests/fixtures/import/{name}",
            env!("CARGO_MANIFEST_DIR")
        ),
        &to,
    )
    .unwrap();
    to
}

#[test]
fn a_gb18030_export_is_checked_with_its_progress_and_nothing_to_refuse() {
    let file = copied("tinet_cdr.csv");
    let mut heard = Vec::new();
    let checked = check_import(
        &file,
        Reading {
            preset: Some(Preset::Tinet),
            ..Reading::default()
        },
        chrono_tz::Asia::Shanghai,
        true,
        &mut |read, size| heard.push((read, size)),
        &mut |_| std::ops::ControlFlow::Continue(()),
    )
    .unwrap();
    let report = &checked.report;
    assert_eq!(
        (
            report.rows,
            report.valid,
            report.without_agent,
            report.rejected
        ),
        (8, 7, 1, 0)
    );
    assert!(checked.rejected.is_none());
    let size = std::fs::metadata(&file).unwrap().len();
    assert_eq!(
        heard.last(),
        Some(&(size, size)),
        "the progress reaches the end"
    );
    let text = describe(&checked, true);
    assert!(
        text.starts_with(
            "编码 gb18030，格式 csv；共 8 行：可导入 7，无坐席（未接听等）1，拒绝 0。"
        ),
        "{text}"
    );
    assert!(text.contains("待映射的队列: 售后服务 (4)"), "{text}");
}

#[test]
fn refused_rows_are_named_and_written_beside_the_file() {
    let file = copied("yeastar.csv");
    let checked = check_import(
        &file,
        Reading {
            preset: Some(Preset::Yeastar),
            ..Reading::default()
        },
        chrono_tz::Asia::Shanghai,
        false,
        &mut |_, _| {},
        &mut |_| std::ops::ControlFlow::Continue(()),
    )
    .unwrap();
    let text = describe(&checked, false);
    assert!(
        text.contains("7 to import, 0 without an agent (not answered and the like), 1 refused"),
        "{text}"
    );
    assert!(text.contains("column \u{201c}Communication Type\u{201d}: a value the mapping does not know (value: \u{201c}Internal\u{201d})"), "{text}");
    let rejected = std::fs::read(checked.rejected.as_ref().unwrap()).unwrap();
    assert!(rejected.starts_with(b"\xEF\xBB\xBFID,Time,Call From"));
    assert!(String::from_utf8_lossy(&rejected).contains("Internal"));
}

#[test]
fn the_command_prints_the_report_and_refuses_an_unknown_preset() {
    let file = copied("aliyun_ccc_cdr.json");
    let run = |preset: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kappa-server"))
            .args([
                "check-import",
                "--preset",
                preset,
                "--time-zone",
                "Asia/Shanghai",
            ])
            .arg(&file)
            .output()
            .unwrap()
    };
    let out = run("aliyun_ccc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("7 rows: 6 to import, 1 without an agent"),
        "{stdout}"
    );
    // Without a preset, the headers' suggestions map the file.
    let chinese = copied("utf8_bom.csv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kappa-server"))
        .args(["check-import", "--zh", "--time-zone", "Asia/Shanghai"])
        .arg(&chinese)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("共 2 行：可导入 2"), "{stdout}");
    let wrong = run("avaya");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr)
        .contains("no preset \"avaya\"; one of amazon_connect"));
}

/// `kappa-server import`: the Tinet export through a saved mapping (the centre's names for the
/// platform's queues and outcomes) into a demo centre; the same file again changes nothing,
/// and a dry run of it writes nothing either.
#[test]
fn an_export_is_imported_in_batches_and_the_same_file_again_changes_nothing() {
    use kappa_server::import_run::import_file;
    let file = copied_for("import", "tinet_cdr.csv");
    let dir = file.parent().unwrap();
    let db = kappa_server::Db::open_named(&format!("sqlite:{}", dir.join("kappa.db").display()))
        .unwrap();
    db.seed_if_empty(&kappa_demo::generate(kappa_demo::SEED), "not a real hash")
        .unwrap();
    let mut mapping = Preset::Tinet.mapping();
    mapping.mask_callers = true;
    for (name, code) in [
        ("售后服务", "changes"),
        ("账单咨询", "refunds"),
        ("外呼回访", "loyalty"),
    ] {
        mapping.values.queue.insert(name.into(), code.into());
    }
    for (name, code) in [
        ("座席接听", "resolved"),
        ("双方接听", "resolved"),
        ("已呼叫座席，座席未接听", "unresolved"),
        ("座席接听，客户未接听", "unresolved"),
    ] {
        mapping.values.outcome.insert(name.into(), code.into());
    }
    let run_with = |mapping: &kappa_import::mapping::Mapping, dry_run: bool| {
        import_file(
            &db,
            &file,
            Reading {
                preset: Some(Preset::Tinet),
                mapping: Some(mapping.clone()),
                sheet: None,
                salt: String::new(),
                encoding: None,
            },
            kappa_server::import_run::Target {
                source: "tinet-bj",
                dry_run,
            },
            chrono_tz::Asia::Shanghai,
            false,
            &mut |_, _| {},
        )
        .unwrap()
    };
    let run = |dry_run: bool| run_with(&mapping, dry_run);
    // Without a name for 外呼回访 the two outbound calls are no queue of the centre's: refused
    // row by row, and written beside the file to fix.
    let mut unmapped = mapping.clone();
    unmapped.values.queue.remove("外呼回访");
    let partial = run_with(&unmapped, true);
    assert_eq!((partial.outcome.new, partial.outcome.refused), (5, 2));
    let refused = std::fs::read_to_string(partial.refused.unwrap()).unwrap();
    let lines: Vec<&str> = refused.lines().collect();
    assert_eq!(lines[0], "\u{feff}row,call id,field,reason");
    assert_eq!(lines.len(), 3, "{refused}");
    assert!(
        lines[1].ends_with(",queue,not one of the centre's queues"),
        "{refused}"
    );
    let counts =
        |o: &kappa_domain::file_import::ImportTally| (o.new, o.updated, o.unchanged, o.refused);
    let dry = run(true);
    assert_eq!(counts(&dry.outcome), (7, 0, 0, 0));
    let first = run(false);
    assert_eq!(counts(&first.outcome), (7, 0, 0, 0));
    assert_eq!(first.checked.report.without_agent, 1);
    let again = run(false);
    assert_eq!(counts(&again.outcome), (0, 0, 7, 0));
    let text = kappa_server::import_run::describe(&again.outcome, false, true);
    assert!(text.starts_with("已导入：新增 0，更新 0，未变 7"), "{text}");
    let imported: i64 = db
        .write_now(|conn| {
            Ok(conn.value::<i64>(
                "SELECT COUNT(*) FROM calls WHERE source = 'tinet-bj' AND attributes LIKE '%来电地区%'",
                &[],
            )?)
        })
        .unwrap();
    assert_eq!(imported, 7, "the columns no field took are kept");
    let (masked, salt) = db
        .write_now(|conn| {
            Ok((
                conn.value::<i64>(
                    "SELECT COUNT(*) FROM calls WHERE source = 'tinet-bj' AND customer_ref LIKE '****%' AND length(caller_hash) = 32",
                    &[],
                )?,
                conn.value::<String>("SELECT value FROM settings WHERE key = 'caller_salt'", &[])?,
            ))
        })
        .unwrap();
    assert_eq!(
        masked, 7,
        "numbers kept only as their last digits and a hash"
    );
    assert_eq!(salt.len(), 64, "the centre's own secret salt: {salt}");
}
