//! Every input a fuzz target ever failed on, replayed through the same check as the target
//! (`redline::fuzzing::check`; the targets in fuzz/ call it too). The inputs are the raw files
//! libFuzzer wrote (or a hand-minimised equivalent), kept in `tests/fixtures/hostile/fuzz/<target>/`:
//!
//! - `<target>/<file>`: a defect that is fixed: the check must pass;
//! - `<target>/open/<file>`: a defect not fixed yet (the README's Fuzzing section lists them): the
//!   check must still fail. Each runs in a child process, so that an input that crashes the
//!   process (a stack overflow) counts as failing instead of ending the test run. Once a fix makes
//!   one pass, move it up to `<target>/` and drop its classification in `Failure::known`.

use std::path::{Path, PathBuf};
use std::process::Command;

use redline::fuzzing::{check, describe, TARGETS};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile/fuzz");

/// The files directly in `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> =
        entries.map(|e| e.expect("a directory entry").path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

fn name(path: &Path) -> String {
    path.strip_prefix(ROOT).unwrap_or(path).display().to_string()
}

#[test]
fn fixed_crashes_stay_fixed() {
    let mut failures = Vec::new();
    for target in TARGETS {
        for path in files(&Path::new(ROOT).join(target)) {
            let data = std::fs::read(&path).expect("a crash file");
            if let Err(failure) = check(target, &data) {
                failures.push(format!("{}: {failure}\n{}", name(&path), describe(target, &data)));
            }
        }
    }
    assert!(failures.is_empty(), "fixed fuzz crashes fail again:\n\n{}", failures.join("\n\n"));
}

#[test]
fn open_defects_still_fail() {
    let mut fixed = Vec::new();
    let mut count = 0;
    for target in TARGETS {
        for path in files(&Path::new(ROOT).join(target).join("open")) {
            count += 1;
            let output = Command::new(std::env::current_exe().expect("the test binary"))
                .args(["replay_one", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
                .env("REDLINE_FUZZ_REPLAY", format!("{target}:{}", path.display()))
                .output()
                .expect("the test binary runs");
            if output.status.success() {
                fixed.push(name(&path));
            }
        }
    }
    assert!(
        fixed.is_empty(),
        "these open defects pass now: move each up out of open/ and drop its `Failure::known` \
         classification in src/fuzzing.rs: {fixed:?}"
    );
    eprintln!("{count} open defects still fail, as recorded");
}

/// Replays the one file `REDLINE_FUZZ_REPLAY` (`<target>:<path>`) names; run by
/// `open_defects_still_fail` in a child process. The check runs on a 1 MiB stack, the wasm
/// stack the extension runs the core on, so that a deep input overflows it in debug and release
/// builds alike.
#[test]
#[ignore = "run by open_defects_still_fail, in a child process"]
fn replay_one() {
    let spec = std::env::var("REDLINE_FUZZ_REPLAY").expect("REDLINE_FUZZ_REPLAY=<target>:<path>");
    let (target, path) = spec.split_once(':').expect("<target>:<path>");
    let (target, data) = (target.to_owned(), std::fs::read(path).expect("a crash file"));
    let replay = std::thread::Builder::new().stack_size(1 << 20).spawn(move || {
        if let Err(failure) = check(&target, &data) {
            panic!("{failure}\n{}", describe(&target, &data));
        }
    });
    replay.expect("a replay thread").join().expect("the check holds");
}

/// Every target in `redline::fuzzing::TARGETS` has its file in fuzz/, and fuzz/ has no other.
#[test]
fn every_target_has_its_fuzz_target() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/fuzz_targets");
    let mut found: Vec<String> =
        files(Path::new(dir)).iter().filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned())).collect();
    found.sort();
    let mut expected: Vec<String> = TARGETS.iter().map(|t| (*t).to_owned()).collect();
    expected.sort();
    assert_eq!(found, expected);
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/Cargo.toml")).unwrap();
    for target in TARGETS {
        assert!(manifest.contains(&format!("path = \"fuzz_targets/{target}.rs\"")), "{target} in fuzz/Cargo.toml");
    }
    let kept = files(Path::new(ROOT));
    assert!(kept.is_empty(), "crash files belong in a target's directory: {kept:?}");
}
