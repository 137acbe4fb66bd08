//! The wasm-bindgen boundary: conversion only; every decision is in the core.

use wasm_bindgen::prelude::*;

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use crate::{read_portal, Engine, PopupList, PortalAccount, Signals, SwitchFrom};

/// The engine the service worker (or an extension page) keeps for its lifetime.
#[wasm_bindgen]
pub struct Redline {
    engine: Engine,
}

/// In test builds, stops the wasm on a marked input so that the extension's recovery can be tested.
#[cfg(feature = "trap-test")]
fn trap_on_marker(text: &str) {
    if text.contains("redline-test-trap") {
        core::arch::wasm32::unreachable()
    }
}

#[cfg(not(feature = "trap-test"))]
fn trap_on_marker(_: &str) {}

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
    /// / none), with what the access portal taught (`learned`); JSON of `Configured`. On any error
    /// the previous configuration stays in force.
    pub fn configure(
        &mut self,
        user: Option<String>,
        managed: Option<String>,
        learned: Option<String>,
    ) -> Result<String, JsError> {
        user.as_deref().into_iter().for_each(trap_on_marker);
        json(&self.engine.configure(user.as_deref(), managed.as_deref(), learned.as_deref()))
    }

    /// The configuration in force as bytes, for `restore` after the worker is started again; named
    /// by the texts last given to `configure`.
    pub fn snapshot(&self, user: Option<String>, managed: Option<String>, learned: Option<String>) -> Vec<u8> {
        self.engine.snapshot(user.as_deref(), managed.as_deref(), learned.as_deref())
    }

    /// Puts a snapshot of exactly these texts back in force; false (nothing changed) otherwise.
    /// The texts come as UTF-8 (`TextEncoder`): wasm-bindgen copies a string into the wasm one
    /// UTF-16 unit at a time in JS, 4 ms for 865 KB in a warm Node and more in a worker just
    /// started, where a Uint8Array is one copy.
    pub fn restore(
        &mut self,
        bytes: &[u8],
        user: Option<Vec<u8>>,
        managed: Option<Vec<u8>>,
        learned: Option<Vec<u8>>,
    ) -> bool {
        fn text(utf8: &Option<Vec<u8>>) -> Result<Option<&str>, std::str::Utf8Error> {
            utf8.as_deref().map(std::str::from_utf8).transpose()
        }
        match (text(&user), text(&managed), text(&learned)) {
            (Ok(user), Ok(managed), Ok(learned)) => self.engine.restore(bytes, user, managed, learned),
            _ => false,
        }
    }

    /// The verdict for `url` as JSON, or `"null"` when `url` is not a console.
    pub fn evaluate(&self, url: &str, signals_json: &str) -> Result<String, JsError> {
        trap_on_marker(url);
        let signals = Signals::from_json(signals_json)?;
        json(&self.engine.evaluate(url, &signals))
    }

    /// The popup's rows in display order, as JSON of `PopupList`.
    #[wasm_bindgen(js_name = popupList)]
    pub fn popup_list(&self) -> Result<String, JsError> {
        json(&PopupList::of(self.engine.targets()).map_err(|e| JsError::new(&e.to_string()))?)
    }

    /// Positions of the rows that are the identity of the tab at `url`.
    #[wasm_bindgen(js_name = currentTargets)]
    pub fn current_targets(&self, url: &str, signals_json: &str) -> Result<Vec<u32>, JsError> {
        Ok(self.engine.current_targets(url, &Signals::from_json(signals_json)?))
    }

    /// Positions of the rows matching every word of `query`.
    #[wasm_bindgen(js_name = filterTargets)]
    pub fn filter_targets(&self, query: &str) -> Vec<u32> {
        self.engine.filter_targets(query)
    }

    /// How to switch to the row at `position` from the active tab (its URL, signals and, on an AWS
    /// console, the CSRF token), as JSON; `"null"` for no such row.
    #[wasm_bindgen(js_name = planSwitch)]
    pub fn plan_switch(
        &self,
        position: usize,
        url: &str,
        signals_json: &str,
        csrf: Option<String>,
    ) -> Result<String, JsError> {
        let signals = Signals::from_json(signals_json)?;
        let from = SwitchFrom { url, signals: Some(&signals), csrf: csrf.as_deref() };
        json(&self.engine.plan_switch(position, &from))
    }
}

/// The extension pages' module only (feature `pages`): the popup's "Why this banner?" and the
/// welcome page's summary.
#[cfg(feature = "pages")]
#[wasm_bindgen]
impl Redline {
    /// What the popup shows of the tab at `url`, as JSON of `Why`; `"null"` when `url` is not a
    /// console.
    pub fn why(&self, url: &str, signals_json: &str) -> Result<String, JsError> {
        json(&self.engine.why(url, &Signals::from_json(signals_json)?))
    }

    /// The configuration in force in a few lines (JSON array of strings), for the welcome page.
    pub fn summary(&self) -> Result<String, JsError> {
        json(&self.engine.summary())
    }

    /// The plain-text report of the tab at `url` (ids masked unless `include_ids`); empty when
    /// `url` is not a console.
    #[wasm_bindgen(js_name = whyReport)]
    pub fn why_report(
        &self,
        url: &str,
        signals_json: &str,
        version: &str,
        browser: &str,
        include_ids: bool,
    ) -> Result<String, JsError> {
        let why = self.engine.why(url, &Signals::from_json(signals_json)?);
        Ok(why.map(|why| why.report(url, crate::About { version, browser }, include_ids)).unwrap_or_default())
    }
}

/// The extension pages' module only (feature `pages`): the user's text with a rule naming
/// `environment` for the tab at `url` (see `with_environment_rule`); the reason it cannot, as the
/// error.
#[cfg(feature = "pages")]
#[wasm_bindgen(js_name = withEnvironmentRule)]
pub fn with_environment_rule(
    user: Option<String>,
    managed: Option<String>,
    learned: Option<String>,
    url: &str,
    signals_json: &str,
    environment: &str,
) -> Result<String, JsError> {
    let signals = Signals::from_json(signals_json)?;
    crate::with_environment_rule(user.as_deref(), managed.as_deref(), learned.as_deref(), url, &signals, environment)
        .map_err(|why| JsError::new(&why))
}

#[wasm_bindgen]
impl Redline {
    /// Whether the AWS sign-in service's answer to a multi-session switch may be opened.
    #[wasm_bindgen(js_name = isSwitchDestination)]
    pub fn is_switch_destination(&self, url: &str) -> bool {
        crate::is_switch_destination(url)
    }
}

impl Default for Redline {
    fn default() -> Self {
        Redline::new()
    }
}

/// The extension pages' module only (feature `pages`), which the popup loads once its list is shown:
/// the popup's filter over the rows it holds, their `search` texts, one per line.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub struct TargetFilter {
    searches: Vec<String>,
}

#[cfg(feature = "pages")]
#[wasm_bindgen]
impl TargetFilter {
    #[wasm_bindgen(constructor)]
    pub fn new(searches: &str) -> TargetFilter {
        TargetFilter { searches: searches.split('\n').map(str::to_owned).collect() }
    }

    /// Positions of the rows matching every word of `query`.
    pub fn filter(&self, query: &str) -> Vec<u32> {
        crate::verdict::target::matching(self.searches.iter().map(String::as_str), query)
    }
}

/// The options page's module only (feature `pages`). Converts an AWS Extend Switch Roles (`source = "aesr"`) or `~/.aws/config` (`"aws-config"`)
/// text; JSON of `Imported`.
#[cfg(feature = "pages")]
#[wasm_bindgen(js_name = importConfig)]
pub fn import_config(text: &str, source: &str) -> Result<String, JsError> {
    use crate::{import, ImportSource};
    let source = match source {
        "aesr" => ImportSource::ExtendSwitchRoles,
        "aws-config" => ImportSource::AwsCliConfig,
        other => return Err(JsError::new(&format!("unknown import source '{other}', expected aesr or aws-config"))),
    };
    json(&import(text, source))
}

/// What an access portal page at `url` lists, as JSON `{url, accounts, text}` (`text`: the
/// configuration it teaches), or `"null"` when the page is not a portal.
#[wasm_bindgen(js_name = learnPortal)]
pub fn learn_portal(url: &str, signals_json: &str) -> Result<String, JsError> {
    let signals = Signals::from_json(signals_json)?;
    let portal = read_portal(url, &signals);
    json(&portal.as_ref().map(|p| Learned { url: &p.url, accounts: &p.accounts, text: p.config_text() }))
}

#[derive(serde::Serialize)]
struct Learned<'a> {
    url: &'a str,
    accounts: &'a [PortalAccount],
    text: String,
}

/// The options page's module only (feature `pages`). The bundled seed configuration text, the
/// starting point of the editor.
#[cfg(feature = "pages")]
#[wasm_bindgen(js_name = seedConfig)]
pub fn seed_config() -> String {
    crate::SEED_TEXT.to_owned()
}

/// Danger mode's steps for a tab as JSON `DangerSteps` ([`crate::Danger::steps`]): the danger's
/// words as its verdict gave them (`acknowledges`: it has an `acknowledgeKey`), the tab's clock as
/// the worker keeps it, and the time now.
#[wasm_bindgen(js_name = dangerSteps)]
#[allow(clippy::too_many_arguments)]
pub fn danger_steps(
    headline: String,
    elapsed_label: String,
    reminder_text: String,
    reminder_minutes: u32,
    acknowledges: bool,
    since: f64,
    confirmed_at: Option<f64>,
    acknowledged: Option<bool>,
    now: f64,
) -> Result<String, JsError> {
    let danger = crate::Danger {
        headline,
        elapsed_label,
        key: String::new(),
        acknowledge_key: acknowledges.then(String::new),
        acknowledge_text: String::new(),
        reminder_minutes,
        reminder_text,
        readonly_switch: None,
        guard: None,
    };
    // Date.now() in whole milliseconds; a negative or fractional time (a clock set oddly) is cut.
    let ms = |time: f64| time as u64;
    json(
        &danger
            .steps(&crate::DangerClock { since: ms(since), confirmed_at: confirmed_at.map(ms), acknowledged }, ms(now)),
    )
}
