//! The wasm-bindgen boundary: conversion only; every decision is in the core.

use wasm_bindgen::prelude::*;

use crate::{import, parse_config, Diagnostic, Engine, ImportSource, Signals, SEED_TEXT};

/// The engine the service worker (or an extension page) keeps for its lifetime.
#[wasm_bindgen]
pub struct Redline {
    engine: Engine,
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, JsError> {
    serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen]
impl Redline {
    /// An engine with the bundled seed configuration.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Redline {
        Redline { engine: Engine::new() }
    }

    /// Puts the user's and the organisation's configuration texts in force (`undefined` = the seed
    /// / none); JSON of `Configured`. On any error the previous configuration stays in force.
    pub fn configure(&mut self, user: Option<String>, managed: Option<String>) -> Result<String, JsError> {
        json(&self.engine.configure(user.as_deref(), managed.as_deref()))
    }

    /// The verdict for `url` as JSON, or `"null"` when `url` is not a console.
    pub fn evaluate(&self, url: &str, signals_json: &str) -> Result<String, JsError> {
        let signals = Signals::from_json(signals_json)?;
        json(&self.engine.evaluate(url, &signals))
    }
}

impl Default for Redline {
    fn default() -> Self {
        Redline::new()
    }
}

/// Errors and warnings of a configuration text, as JSON: `[{line, column, level, message}]`.
#[wasm_bindgen(js_name = checkConfig)]
pub fn check_config(text: &str) -> Result<String, JsError> {
    let found: Vec<Diagnostic> = match parse_config(text) {
        Ok(loaded) => loaded.warnings,
        Err(found) => found,
    };
    json(&found)
}

/// Converts an AWS Extend Switch Roles (`source = "aesr"`) or `~/.aws/config` (`"aws-config"`)
/// text; JSON of `Imported`.
#[wasm_bindgen(js_name = importConfig)]
pub fn import_config(text: &str, source: &str) -> Result<String, JsError> {
    let source = match source {
        "aesr" => ImportSource::ExtendSwitchRoles,
        "aws-config" => ImportSource::AwsCliConfig,
        other => return Err(JsError::new(&format!("unknown import source '{other}', expected aesr or aws-config"))),
    };
    json(&import(text, source))
}

/// The bundled seed configuration text, the starting point of the editor.
#[wasm_bindgen(js_name = seedConfig)]
pub fn seed_config() -> String {
    SEED_TEXT.to_owned()
}
