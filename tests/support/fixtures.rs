//! Reads the console fixture tables (`tests/fixtures/*.json`) shared by the Rust and e2e tests.

use redline::Signals;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Deserialize)]
pub struct Table {
    pub cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
pub struct Case {
    pub name: String,
    pub reason: String,
    pub url: String,
    pub signals: Map<String, Value>,
    pub expect: Option<Expect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub provider: String,
    pub environment: String,
    pub privilege: String,
    pub severity: String,
    pub account: Option<String>,
    pub role: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub partition: Option<String>,
    /// Whether sources that may decide disagreed (`data-conflict`); false when absent.
    #[serde(default)]
    pub conflict: bool,
    pub text: Vec<String>,
}

/// Every table in tests/fixtures, by file name.
pub fn tables() -> Vec<(String, Table)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/fixtures")
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("fixture table");
            let table = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path.file_name().unwrap().to_string_lossy().into_owned(), table)
        })
        .collect()
}

/// Every case of every table.
pub fn cases() -> Vec<Case> {
    tables().into_iter().flat_map(|(_, t)| t.cases).collect()
}

impl Case {
    /// The signals as the content script would send them: a value written as a JSON object stands
    /// for its JSON text, and for the `awsUserInfo` cookie that text URL-encoded.
    pub fn signals(&self) -> Signals {
        Signals::from_json(&self.signals_json()).expect("fixture signals")
    }

    /// The JSON object the content script would send for this row.
    pub fn signals_json(&self) -> String {
        let strings: Map<String, Value> = self
            .signals
            .iter()
            .map(|(key, value)| {
                let text = match value {
                    Value::String(s) => s.clone(),
                    other if key == "awsUserInfo" => encode_uri_component(&other.to_string()),
                    other => other.to_string(),
                };
                (key.clone(), Value::String(text))
            })
            .collect();
        Value::Object(strings).to_string()
    }
}

/// JavaScript's `encodeURIComponent`.
fn encode_uri_component(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
