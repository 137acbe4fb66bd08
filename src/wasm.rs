//! The wasm-bindgen boundary: conversion only; every decision is in the core.

use wasm_bindgen::prelude::*;

use crate::{evaluate, Config, Signals};

/// The engine the service worker keeps for its lifetime.
#[wasm_bindgen]
pub struct Redline {
    config: Config,
}

#[wasm_bindgen]
impl Redline {
    /// An engine with the bundled seed configuration.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Redline {
        Redline { config: Config::seed() }
    }

    /// The verdict for `url` as JSON, or `"null"` when `url` is not a console.
    pub fn evaluate(&self, url: &str, signals_json: &str) -> Result<String, JsError> {
        let signals = Signals::from_json(signals_json)?;
        let verdict = evaluate(url, &signals, &self.config);
        serde_json::to_string(&verdict).map_err(|e| JsError::new(&e.to_string()))
    }
}

impl Default for Redline {
    fn default() -> Self {
        Redline::new()
    }
}
