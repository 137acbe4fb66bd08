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

/// Every `crate::<module>` the code names, or the whole path when it names no module.
fn named(code: &str) -> Vec<String> {
    code.match_indices("crate::")
        .map(|(at, _)| {
            let rest = &code[at + "crate::".len()..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            rest[..end].to_owned()
        })
        .collect()
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
        for module in named(&code) {
            if module != top && !allowed.contains(&module.as_str()) {
                wrong.push(format!("{} names crate::{module}", relative.display()));
            }
        }
        if top == "model" || top == "text" {
            // The two bottom layers reach their siblings through `super::`, never above.
            assert!(!code.contains("super::super"), "{} reaches above its layer", relative.display());
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
    assert_eq!(named(&code), ["model", "console"]);
}
