//! `kappa-server check-import`: an export checked on the server's machine, the report in both
//! languages, the rejected rows written beside the file with the mark Excel needs.

use kappa_import::preset::Preset;
use kappa_server::import_check::{check_import, describe};
use std::path::PathBuf;

/// A copy of a sample export in a folder of its own, so that what the check writes beside it
/// stays there.
fn copied(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("kappa-check-import-{}-{name}", std::process::id()));
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
        Some(Preset::Tinet),
        None,
        chrono_tz::Asia::Shanghai,
        true,
        &mut |read, size| heard.push((read, size)),
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
    assert!(text.contains("待映射的技能组: 售后服务 (4)"), "{text}");
}

#[test]
fn refused_rows_are_named_and_written_beside_the_file() {
    let file = copied("yeastar.csv");
    let checked = check_import(
        &file,
        Some(Preset::Yeastar),
        None,
        chrono_tz::Asia::Shanghai,
        false,
        &mut |_, _| {},
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
