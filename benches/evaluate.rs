//! `evaluate()` time, native: every console fixture, many rounds; prints median and p95 per call.

// The bench reads only the URLs and signals of the shared fixture tables.
#[allow(dead_code)]
#[path = "../tests/support/fixtures.rs"]
mod fixtures;

use std::hint::black_box;
use std::time::Instant;

use redline::{evaluate, Config};

fn main() {
    let config = Config::seed();
    let cases: Vec<_> = fixtures::cases().into_iter().map(|c| (c.url.clone(), c.signals())).collect();
    let rounds = 2_000;
    let mut per_call_ns = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        for (url, signals) in &cases {
            black_box(evaluate(black_box(url), black_box(signals), &config));
        }
        per_call_ns.push(start.elapsed().as_nanos() as f64 / cases.len() as f64);
    }
    per_call_ns.sort_by(f64::total_cmp);
    let median = per_call_ns[rounds / 2] / 1000.0;
    let p95 = per_call_ns[rounds * 95 / 100] / 1000.0;
    println!(
        "evaluate() native, {} fixtures x {rounds} rounds: median {median:.2} µs/call, p95 {p95:.2} µs/call",
        cases.len()
    );
    println!("BENCH_JSON {{\"native_evaluate_us\":{{\"median\":{median:.3},\"p95\":{p95:.3}}}}}");
}
