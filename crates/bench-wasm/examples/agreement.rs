//! The native half of the agreement benchmark: `cargo run --release -p kappa-bench-wasm
//! --example agreement -- RATINGS.json` prints the lines Chromium prints for the same file.

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: agreement RATINGS.json");
    let json = std::fs::read_to_string(&path).expect("the ratings file");
    let started = std::time::Instant::now();
    let now = move || started.elapsed().as_secs_f64() * 1e3;
    println!(
        "{}",
        kappa_bench_wasm::agreement_lines(&json, &now, "Kappa native")
    );
}
