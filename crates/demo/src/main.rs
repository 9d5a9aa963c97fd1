//! `kappa-demo fixtures DIR` writes the static-fixtures JSON; `kappa-demo audio` speaks the
//! scripts in `audio/scripts.json` into Opus recordings and `audio/recordings.json`.

use kappa_demo::recordings::{Recording, Script};
use kappa_domain::{call::Speaker, TranscriptLine};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["fixtures", dir] => write_fixtures(Path::new(dir)),
        ["audio"] => speak_scripts(),
        ["bench"] => {
            bench();
            Ok(())
        }
        _ => Err("usage: kappa-demo fixtures DIR | kappa-demo audio | kappa-demo bench".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kappa-demo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn write_fixtures(dir: &Path) -> Result<(), String> {
    let data = kappa_demo::generate(kappa_demo::SEED);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    write_json(&dir.join("teams.json"), &data.teams)?;
    write_json(&dir.join("users.json"), &data.users)?;
    write_json(&dir.join("calls.json"), &data.calls)?;
    write_json(&dir.join("transcripts.json"), &data.transcripts)?;
    write_json(&dir.join("scorecards.json"), &data.scorecards)?;
    write_json(&dir.join("evaluations.json"), &data.evaluations)?;
    write_json(&dir.join("sampling.json"), &data.sampling)?;
    write_json(&dir.join("reviews.json"), &data.reviews)?;
    write_json(&dir.join("calibration.json"), &data.calibration)?;
    write_json(&dir.join("coaching.json"), &data.coaching)?;
    write_json(&dir.join("vocabulary.json"), &data.vocabulary)?;
    write_json(&dir.join("imports.json"), &data.imports)?;
    println!(
        "wrote {} calls, {} evaluations, {} users, {} teams to {}",
        data.calls.len(),
        data.evaluations.len(),
        data.users.len(),
        data.teams.len(),
        dir.display()
    );
    Ok(())
}

/// The domain's hot paths on the demo centre, timed: what a server or a browser tab pays to
/// generate, rescore and validate.
fn bench() {
    use kappa_domain::evaluation::grade;
    use std::time::Instant;
    let started = Instant::now();
    let data = kappa_demo::generate(kappa_demo::SEED);
    println!(
        "generate demo centre ({} calls, {} evaluations): {:.1} ms",
        data.calls.len(),
        data.evaluations.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let versions: Vec<_> = data
        .evaluations
        .iter()
        .map(|e| {
            data.scorecards
                .version(e.scorecard_version_id)
                .expect("pinned version")
        })
        .collect();
    const ROUNDS: usize = 200;
    let started = Instant::now();
    let mut total = 0.0;
    for _ in 0..ROUNDS {
        for (e, v) in data.evaluations.iter().zip(&versions) {
            total += grade(v, &e.answers).expect("demo answers grade").score;
        }
    }
    let n = (ROUNDS * data.evaluations.len()) as f64;
    println!(
        "score with explanation: {:.2} µs per evaluation ({n} scored, checksum {:.0})",
        started.elapsed().as_secs_f64() * 1e6 / n,
        total
    );
    let started = Instant::now();
    let mut problems = 0;
    for _ in 0..ROUNDS {
        for v in &data.scorecards.versions {
            problems += kappa_domain::scorecard::validate(&v.definition).len();
        }
    }
    let n = (ROUNDS * data.scorecards.versions.len()) as f64;
    println!("validate a scorecard (the builder does it per keystroke): {:.2} µs ({n} validated, {problems} problems)", started.elapsed().as_secs_f64() * 1e6 / n);
    bench_sampling(&data);
}

/// Each strategy's draw over a million calls held in memory (as the static demo holds its
/// fixtures), best of three: two passes over every call, one to count and one to draw.
fn bench_sampling(data: &kappa_demo::DemoData) {
    use kappa_domain::sampling::{draw, Allocation, Strategy, StratumField};
    use std::time::Instant;
    const CALLS: usize = 1_000_000;
    let calls = kappa_demo::scaled_calls(&data.calls, CALLS);
    let strategies = [
        ("4 per agent", Strategy::PerAgent { n: 4 }),
        ("500 in total", Strategy::Total { n: 500 }),
        (
            "300 stratified by agent, equal",
            Strategy::Stratified {
                by: StratumField::Agent,
                allocation: Allocation::Equal,
                n: 300,
            },
        ),
        (
            "300 stratified by queue, proportional",
            Strategy::Stratified {
                by: StratumField::Queue,
                allocation: Allocation::Proportional,
                n: 300,
            },
        ),
        (
            "500 targeted (20 % complaints, 10 % CSAT ≤ 2)",
            Strategy::Targeted {
                n: 500,
                complaints_pct: 20,
                low_csat_pct: 10,
            },
        ),
    ];
    for (name, strategy) in strategies {
        let mut best = f64::MAX;
        let mut drawn = 0;
        for round in 0..3 {
            let started = Instant::now();
            let sample = draw(
                &strategy,
                20261127 + round,
                &mut |each: &mut dyn FnMut(&kappa_domain::Call)| calls.iter().for_each(each),
            );
            best = best.min(started.elapsed().as_secs_f64() * 1e3);
            drawn = sample.picks.len();
        }
        println!("sample {CALLS} calls, {name}: {best:.0} ms ({drawn} drawn)");
    }
}

fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), String> {
    let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
    std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))
}

const GAP_MS: u32 = 350;

fn speak_scripts() -> Result<(), String> {
    let audio_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("audio");
    let scripts: Vec<Script> = serde_json::from_str(
        &std::fs::read_to_string(audio_dir.join("scripts.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("audio/scripts.json: {e}"))?;
    let work = std::env::temp_dir().join("kappa-demo-audio");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let mut recordings = Vec::new();
    for script in scripts {
        let mut parts = Vec::new();
        let mut transcript = Vec::new();
        let mut at_ms = 0;
        for (i, (speaker, text)) in script.lines.iter().enumerate() {
            let voice = if *speaker == Speaker::Agent {
                &script.voices.0
            } else {
                &script.voices.1
            };
            let wav = work.join(format!("{}-{i}.wav", script.facts.file));
            run(Command::new("espeak-ng")
                .args(["-v", voice, "-s", "165", "-w"])
                .arg(&wav)
                .arg(text))?;
            let seconds: f64 = output(Command::new("soxi").arg("-D").arg(&wav))?
                .trim()
                .parse()
                .map_err(|e| format!("soxi: {e}"))?;
            let length = (seconds * 1000.0).round() as u32;
            transcript.push(TranscriptLine {
                speaker: *speaker,
                start_ms: at_ms,
                end_ms: at_ms + length,
                text: text.clone(),
            });
            at_ms += length + GAP_MS;
            parts.push(wav);
        }
        // espeak-ng writes 22.05 kHz mono; a silence of the same format separates the turns.
        let gap = work.join("gap.wav");
        run(Command::new("sox")
            .args(["-n", "-r", "22050", "-c", "1", "-b", "16"])
            .arg(&gap)
            .args(["trim", "0", &format!("{:.3}", GAP_MS as f64 / 1000.0)]))?;
        let joined = work.join(format!("{}.wav", script.facts.file));
        let mut sox = Command::new("sox");
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                sox.arg(&gap);
            }
            sox.arg(part);
        }
        run(sox.arg("-r").arg("16000").arg(&joined))?;
        let out = audio_dir.join(&script.facts.file);
        run(Command::new("opusenc")
            .args(["--quiet", "--bitrate", "12", "--speech", "--serial", "1"])
            .arg(&joined)
            .arg(&out))?;
        let duration_s = (at_ms - GAP_MS).div_ceil(1000);
        println!(
            "{}: {duration_s} s, {} bytes",
            script.facts.file,
            std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0)
        );
        recordings.push(Recording {
            facts: script.facts,
            duration_s,
            transcript,
        });
    }
    let json = serde_json::to_string_pretty(&recordings).map_err(|e| e.to_string())?;
    std::fs::write(audio_dir.join("recordings.json"), json + "\n").map_err(|e| e.to_string())
}

fn run(cmd: &mut Command) -> Result<(), String> {
    output(cmd).map(|_| ())
}

fn output(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{cmd:?}: {e} (install espeak-ng, sox and opus-tools)"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?}: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
