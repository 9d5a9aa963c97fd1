//! `cargo xtask bench` runs this: a million-row call-record CSV (about 150 MB, Chinese headers,
//! caller numbers masked) read through the whole checking pass, in UTF-8 and in GB18030, timed,
//! with the process's peak memory. The file is made once under the system's temporary folder.

use kappa_import::check::check_file;
use kappa_import::mapping::Mapping;
use kappa_import::table::sniff;
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::time::Instant;

const ROWS: u32 = 1_000_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir();
    let utf8 = dir.join("kappa-import-bench-utf8.csv");
    let gb = dir.join("kappa-import-bench-gb18030.csv");
    if !utf8.exists() || !gb.exists() {
        write_files(&utf8, &gb)?;
    }
    for path in [&utf8, &gb] {
        let size = std::fs::metadata(path)?.len();
        let started = Instant::now();
        let mut head = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(
                std::fs::File::open(path)?,
                kappa_import::table::SNIFF_BYTES as u64,
            ),
            &mut head,
        )?;
        let shape = sniff(&head)?;
        let preview = kappa_import::check::preview(&head, &shape, 1, true)?;
        let mut mapping = Mapping::suggested(&preview.columns);
        mapping.mask_callers = true;
        let file = std::io::BufReader::new(std::fs::File::open(path)?);
        let mut valid = 0u64;
        let report = check_file(file, &shape, &mapping, &|u| u, "bench", false, &mut |_| {
            valid += 1;
            ControlFlow::Continue(())
        })?;
        println!(
            "{}: {:.0} MB, {} rows ({} valid, {} rejected) checked in {:.2} s",
            shape.encoding.code(),
            size as f64 / 1e6,
            report.rows,
            valid,
            report.rejected,
            started.elapsed().as_secs_f64()
        );
    }
    println!("peak memory (VmHWM): {}", kappa_bench_wasm::peak_memory());
    Ok(())
}

fn write_files(utf8: &std::path::Path, gb: &std::path::Path) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(utf8)?);
    let mut gb_out = BufWriter::new(std::fs::File::create(gb)?);
    // A block at a time: the file is never held whole.
    for block in 0..ROWS / 10_000 {
        let text = kappa_bench_wasm::call_export(block * 10_000..(block + 1) * 10_000);
        out.write_all(text.as_bytes())?;
        gb_out.write_all(&encoding_rs::GB18030.encode(&text).0)?;
    }
    out.flush()?;
    gb_out.flush()
}
