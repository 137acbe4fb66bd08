//! `redline explain`: the verdict a tab at a URL would get, configured as the service worker
//! configures its engine, with every reason.

use std::io::{self, IsTerminal, Write};

use redline::{Signals, Verdict};
use serde_json::{Map, Value};

use crate::command::{Format, Outcome};
use crate::configuration;
use crate::input::read_text;
use crate::output::{escaped, note};

/// What a tab showed, as the command line gives it.
pub struct Page<'a> {
    /// The JSON object the content script sends (`--signals`): the JSON itself, `@FILE` for the
    /// file's, `-` for standard input's.
    pub signals: Option<&'a str>,
    /// Single signals by the content script's names (`--signal awsNavUser=…` and the short flags).
    pub named: Vec<(&'a str, &'a str)>,
}

/// The configuration files: the user's (the seed when none) and the organisation's.
pub struct Texts<'a> {
    /// The user's configuration file.
    pub config: Option<&'a str>,
    /// The organisation's configuration file.
    pub policy: Option<&'a str>,
}

/// Explains `url`; prints the verdict on standard output, problems on standard error.
pub fn run(url: &str, page: &Page, texts: &Texts, format: Format, out: &mut dyn Write) -> io::Result<Outcome> {
    match explain(url, page, texts) {
        Ok(verdict) => {
            match format {
                // Exactly what the wasm boundary hands the worker (src/wasm.rs `evaluate`).
                Format::Json => writeln!(out, "{}", serde_json::to_string(&verdict).expect("a verdict serialises"))?,
                Format::Text => write!(out, "{}", describe(url, verdict.as_ref(), colours_wanted()))?,
            }
            Ok(Outcome::Clean)
        }
        Err((outcome, message)) => {
            note(&message);
            Ok(outcome)
        }
    }
}

/// The `--signals` JSON: as given, or read from the file after `@`, or from standard input (`-`):
/// a page's signals can be larger than a command line may be.
fn signals_json(given: Option<&str>) -> Result<Option<String>, (Outcome, String)> {
    let Some(given) = given else { return Ok(None) };
    let path = if given == "-" { Some("-") } else { given.strip_prefix('@') };
    match path {
        Some(path) => read_text(path).map(Some),
        None => Ok(Some(given.to_owned())),
    }
}

fn explain(url: &str, page: &Page, texts: &Texts) -> Result<Option<Verdict>, (Outcome, String)> {
    let engine = configuration::engine(texts.config, texts.policy)?;
    Ok(engine.evaluate(url, &signals(page)?))
}

/// The signals as the core reads them from the content script's JSON: the single ones are put
/// into that JSON, so their limits and meanings are the extension's.
fn signals(page: &Page) -> Result<Signals, (Outcome, String)> {
    let usage = |message: String| (Outcome::Usage, format!("redline: {}", escaped(&message)));
    let json = signals_json(page.signals)?;
    if page.named.is_empty() {
        return Signals::from_json(json.as_deref().unwrap_or("{}")).map_err(|e| usage(format!("--signals: {e}")));
    }
    let mut object = match json.as_deref().map(serde_json::from_str::<Value>) {
        None => Map::new(),
        Some(Ok(Value::Object(object))) => object,
        Some(Ok(_)) => return Err(usage("--signals: expected a JSON object".to_owned())),
        Some(Err(e)) => return Err(usage(format!("--signals: {e}"))),
    };
    for (name, value) in &page.named {
        object.insert((*name).to_owned(), Value::String((*value).to_owned()));
    }
    Signals::from_json(&Value::Object(object).to_string()).map_err(|e| usage(format!("signals: {e}")))
}

/// Colours only for a person at a terminal who has not asked for none (https://no-color.org).
fn colours_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The verdict for people: the banner's line, then each part and every reason.
pub fn describe(url: &str, verdict: Option<&Verdict>, colour: bool) -> String {
    let Some(v) = verdict else {
        return format!("{} is not a console redline knows: no banner\n", escaped(url));
    };
    let mut out = String::new();
    let banner = format!(" {} ", escaped(&v.label));
    if colour {
        out.push_str(&format!("{}{banner}\x1b[0m\n", paint(&v.colors.background, &v.colors.foreground)));
    } else {
        out.push_str(&format!("{banner}\n"));
    }
    let mut row = |name: &str, value: String| out.push_str(&format!("{name:<12} {}\n", escaped(&value)));
    let provider = match (v.partition, &v.region) {
        (Some(partition), Some(region)) => {
            format!("{} (partition {}, region {region})", v.provider_name, json_name(&partition))
        }
        (Some(partition), None) => format!("{} (partition {})", v.provider_name, json_name(&partition)),
        (None, Some(region)) => format!("{} (region {region})", v.provider_name),
        (None, None) => v.provider_name.to_owned(),
    };
    row("provider", provider);
    row(
        "environment",
        format!("{} ({}, kind {})", v.environment.label, v.environment.name, v.environment.kind.as_str()),
    );
    row("privilege", v.privilege.as_str().to_owned());
    row("severity", v.severity.as_str().to_owned());
    row("account", v.account.display.clone());
    row("principal", v.principal.display.clone());
    if v.conflict {
        row("conflict", "the sources that decide disagree: the louder reading is shown".to_owned());
    }
    if let Some(danger) = &v.danger {
        row("danger", danger.headline.clone());
        if let Some(switch) = &danger.readonly_switch {
            row("read-only", format!("{}: {}", switch.label, switch.url));
        }
    }
    out.push_str("reasons:\n");
    for reason in &v.reasons {
        out.push_str(&format!("  - {}\n", escaped(reason)));
    }
    out
}

/// A value's name as its JSON gives it (`"aws-us-gov"`), for enums without a text of their own.
fn json_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The ANSI 24-bit colours of the banner: background and text as `#RRGGBB`.
fn paint(background: &str, foreground: &str) -> String {
    let rgb = |hex: &str| {
        let channel = |at: usize| u8::from_str_radix(hex.get(at..at + 2).unwrap_or("00"), 16).unwrap_or(0);
        format!("{};{};{}", channel(1), channel(3), channel(5))
    };
    format!("\x1b[1;48;2;{};38;2;{}m", rgb(background), rgb(foreground))
}
