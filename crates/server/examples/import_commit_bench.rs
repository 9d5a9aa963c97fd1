//! `cargo xtask bench` runs this: a million-row call-record CSV (about 150 MB, the same file
//! as the checking benchmark's) imported into a demo centre on SQLite through the command's
//! own path (`kappa-server import`: batches of 5,000, one transaction each), then imported
//! again (nothing changes), each timed, with the process's peak memory.

use kappa_import::mapping::Mapping;
use kappa_server::import_check::Reading;
use kappa_server::import_run::import_file;
use std::io::{BufWriter, Write};
use std::time::Instant;

const ROWS: u32 = 1_000_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let file = std::env::temp_dir().join("kappa-import-bench-utf8.csv");
    if !file.exists() {
        let mut out = BufWriter::new(std::fs::File::create(&file)?);
        for block in 0..ROWS / 10_000 {
            out.write_all(
                kappa_bench_wasm::call_export(block * 10_000..(block + 1) * 10_000).as_bytes(),
            )?;
        }
        out.flush()?;
    }
    let dir = tempfile::tempdir()?;
    let db =
        kappa_server::Db::open_named(&format!("sqlite:{}", dir.path().join("kappa.db").display()))?;
    db.seed_if_empty(&kappa_demo::generate(kappa_demo::SEED), "not a real hash")?;
    let headers: Vec<String> =
        "通话ID,坐席工号,开始时间,结束时间,通话时长,主叫号码,技能组,呼叫方向,满意度,投诉,备注"
            .split(',')
            .map(str::to_string)
            .collect();
    let mut mapping = Mapping::suggested(&headers);
    mapping.mask_callers = true;
    for (name, code) in [
        ("信用卡", "bookings"),
        ("理财", "changes"),
        ("贷款", "cancellations"),
        ("账户", "refunds"),
        ("投诉受理", "complaints"),
        ("营销", "loyalty"),
    ] {
        mapping.values.queue.insert(name.into(), code.into());
    }
    mapping.defaults.outcome = Some("resolved".into());
    let size = std::fs::metadata(&file)?.len();
    for pass in ["first import", "the same file again"] {
        let started = Instant::now();
        let imported = import_file(
            &db,
            &file,
            Reading {
                preset: None,
                mapping: Some(mapping.clone()),
                sheet: None,
                salt: String::new(),
                encoding: None,
            },
            kappa_server::import_run::Target {
                source: "bench",
                dry_run: false,
            },
            chrono_tz::Asia::Shanghai,
            false,
            &mut |_, _| {},
        )?;
        let o = &imported.outcome;
        println!(
            "{pass}: {:.0} MB, {} rows: {} new, {} updated, {} unchanged, {} refused, in {:.2} s",
            size as f64 / 1e6,
            imported.checked.report.rows,
            o.new,
            o.updated,
            o.unchanged,
            o.refused,
            started.elapsed().as_secs_f64()
        );
    }
    println!("peak memory (VmHWM): {}", kappa_bench_wasm::peak_memory());
    Ok(())
}
