//! The core's layers point one way (the README's module map): each top-level module of `src/`
//! names only the modules below it, and no console's module names another console's. The
//! compiler does not check this inside one crate, so this test reads the sources.

use std::fs;
use std::path::{Path, PathBuf};

/// Each layered module and the modules it may name (`error` is everyone's).
const LAYERS: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("text", &["model"]),
    ("config", &["model", "text", "error"]),
    ("signals", &["model", "text", "error"]),
    ("console", &["model", "text", "config", "signals", "error"]),
    ("verdict", &["model", "text", "config", "signals", "console", "error"]),
    ("engine", &["model", "text", "config", "signals", "console", "verdict", "error"]),
];

const CONSOLES: &[&str] = &["aws", "azure", "gcp", "aiven"];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of `text` without its tests (at the end of each file) and without comments.
fn code(text: &str) -> String {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end].lines().map(|line| line.split_once("//").map_or(line, |(code, _)| code)).collect::<Vec<_>>().join("\n")
}

/// The top-level module each path in `code` names: `crate::<module>`, or a `super::` path followed
/// up from `module` (the file's own module path, `["console", "aws"]` for src/console/aws/mod.rs)
/// as far as it goes; a `super::` that stays inside the file's top-level module names that one.
fn named(code: &str, module: &[&str]) -> Vec<String> {
    let word = |rest: &str| {
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        rest[..end].to_owned()
    };
    let mut found: Vec<String> = code.match_indices("crate::").map(|(at, _)| word(&code[at + 7..])).collect();
    let mut at = 0;
    while let Some(start) = code[at..].find("super::").map(|i| at + i) {
        let preceded = code[..start].ends_with("super::");
        let mut rest = &code[start..];
        let mut up = 0;
        while let Some(after) = rest.strip_prefix("super::") {
            rest = after;
            up += 1;
        }
        at = code.len() - rest.len();
        if preceded {
            continue;
        }
        let base = &module[..module.len().saturating_sub(up)];
        found.push(base.first().map_or_else(|| word(rest), |top| (*top).to_owned()));
    }
    found
}

#[test]
fn every_layer_names_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let top = relative.iter().next().unwrap().to_str().unwrap().trim_end_matches(".rs");
        let Some((_, allowed)) = LAYERS.iter().find(|(layer, _)| *layer == top) else {
            continue;
        };
        checked += 1;
        let code = code(&fs::read_to_string(file).unwrap());
        let mut path: Vec<&str> = relative.iter().map(|p| p.to_str().unwrap().trim_end_matches(".rs")).collect();
        if path.last() == Some(&"mod") {
            path.pop();
        }
        for module in named(&code, &path) {
            if module != top && !allowed.contains(&module.as_str()) {
                wrong.push(format!("{} names crate::{module}", relative.display()));
            }
        }
        let console = relative.iter().nth(1).and_then(|p| p.to_str()).map(|p| p.trim_end_matches(".rs"));
        if let Some(own) = console.filter(|c| top == "console" && CONSOLES.contains(c)) {
            for other in CONSOLES.iter().filter(|c| **c != own) {
                for path in [format!("console::{other}"), format!("super::{other}")] {
                    if code.contains(&path) {
                        wrong.push(format!("{} (the {own} console) names {path}", relative.display()));
                    }
                }
            }
        }
    }
    assert!(checked >= 25, "only {checked} files were checked: has src/ moved?");
    assert!(wrong.is_empty(), "dependencies against the layers:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_a_wrong_dependency() {
    let code = code(
        "use crate::model::Provider;\nuse crate::console::detect; // crate::engine\n#[cfg(test)]\nuse crate::engine;",
    );
    assert_eq!(named(&code, &["signals"]), ["model", "console"]);
    // From a top-level file `super::` is the crate; from deeper down it stays in the layer.
    assert_eq!(named("use super::verdict::Verdict;", &["signals"]), ["verdict"]);
    assert_eq!(named("use super::Account;", &["console", "aws"]), ["console"]);
    assert_eq!(named("use super::super::engine::Engine;", &["console", "aws"]), ["engine"]);
    assert_eq!(named("use super::super::super::engine;", &["console", "aws", "switch"]), ["engine"]);
}
