//! `redline policy`: a configuration as the managed-policy document each browser's fleet tools
//! deploy, so that the extension reads it from `storage.managed` under the key `config`
//! (extension/managed-schema.json).

use redline::{parse_config, Level};

use crate::check::line;
use crate::command::Outcome;
use crate::input::{display_name, read_text};
use crate::manifest;

/// The browser whose policy is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Browser {
    /// Google Chrome.
    Chrome,
    /// Microsoft Edge.
    Edge,
    /// Mozilla Firefox.
    Firefox,
}

/// The policy document's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Form {
    /// JSON: Chrome's and Edge's policy file on Linux; Firefox's policies.json everywhere.
    Json,
    /// A Windows registry file (Chrome, Edge).
    Reg,
    /// A macOS property list for the extension's preference domain (Chrome, Edge).
    Plist,
}

/// The schema's one property (extension/managed-schema.json): the configuration text.
const PROPERTY: &str = "config";

/// Checks `file` and prints its policy document for `browser` in `form`.
pub fn run(file: &str, browser: Browser, form: Form, id: Option<&str>) -> Outcome {
    let text = match read_text(file) {
        Ok(text) => text,
        Err((outcome, message)) => {
            eprintln!("{message}");
            return outcome;
        }
    };
    // A policy the extension would refuse is worse than none: every browser would keep the
    // organisation's rules out. Warnings are shown and do not stop it.
    let found = match parse_config(&text) {
        Ok(loaded) => loaded.warnings,
        Err(found) => found,
    };
    for d in &found {
        eprintln!("{}", line(display_name(file), d));
    }
    if found.iter().any(|d| d.level == Level::Error) {
        eprintln!("redline: {} has errors: no policy is written", display_name(file));
        return Outcome::Found;
    }
    let document = match (browser, form) {
        (Browser::Firefox, Form::Json) => {
            firefox_json(id.map_or_else(manifest::gecko_id, str::to_owned).as_str(), &text)
        }
        (Browser::Firefox, _) => {
            eprintln!(
                "redline: Firefox reads policies.json (--format json); its registry and plist forms are not written"
            );
            return Outcome::Usage;
        }
        (chromium, form) => {
            let id = id.map_or_else(manifest::chromium_id, str::to_owned);
            let vendor = Vendor::of(chromium);
            match form {
                Form::Json => chromium_json(&id, &text),
                Form::Reg => registry(vendor, &id, &text),
                Form::Plist => plist(&text),
            }
        }
    };
    print!("{document}");
    Outcome::Clean
}

/// Where a Chromium browser keeps its policies on Windows and macOS.
#[derive(Debug, Clone, Copy)]
pub struct Vendor {
    /// Under `Software\Policies`.
    pub registry: &'static str,
    /// The extension's preference domain is this, then `.extensions.<id>`.
    pub domain: &'static str,
}

impl Vendor {
    fn of(browser: Browser) -> Vendor {
        match browser {
            Browser::Edge => Vendor { registry: r"Microsoft\Edge", domain: "com.microsoft.Edge" },
            _ => Vendor { registry: r"Google\Chrome", domain: "com.google.Chrome" },
        }
    }
}

/// Chrome's (and Edge's) policy file on Linux, dropped in /etc/opt/chrome/policies/managed/ (Edge:
/// /etc/opt/edge/policies/managed/): an extension's policies sit under `3rdparty` → `extensions` →
/// its id, each named as in its managed schema.
/// https://www.chromium.org/administrators/configuring-policy-for-extensions
pub fn chromium_json(id: &str, text: &str) -> String {
    let document = serde_json::json!({ "3rdparty": { "extensions": { id: { PROPERTY: text } } } });
    format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON of strings"))
}

/// Firefox's policies.json (its distribution/ folder, or /etc/firefox/policies/): the `3rdparty`
/// policy, `Extensions` (capitalised, unlike Chrome's), the add-on's id.
/// https://extensionworkshop.com/documentation/enterprise/enterprise-development/
pub fn firefox_json(id: &str, text: &str) -> String {
    let document = serde_json::json!({ "policies": { "3rdparty": { "Extensions": { id: { PROPERTY: text } } } } });
    format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON of strings"))
}

/// A Windows registry file for regedit or `reg import`: the extension's policies are values of
/// `HKEY_LOCAL_MACHINE\Software\Policies\<vendor>\3rdparty\extensions\<id>\policy`
/// (https://www.chromium.org/administrators/configuring-policy-for-extensions).
///
/// The value must be a string (REG_SZ), but a .reg file's quoted form `"config"="…"` cannot hold a
/// line break, and a configuration is many lines. So the value is written as `hex(1)`, the .reg
/// form of REG_SZ as bytes: its UTF-16LE text with the closing NUL, which holds any text exactly
/// (REG_MULTI_SZ would be a list, REG_EXPAND_SZ would expand `%…%`). Lines end in CRLF and long
/// ones continue with `\`, as regedit writes them.
pub fn registry(vendor: Vendor, id: &str, text: &str) -> String {
    let mut out = String::from("Windows Registry Editor Version 5.00\r\n\r\n");
    out.push_str(
        "; redline's organisation configuration (storage.managed key \"config\"), written by redline policy.\r\n",
    );
    out.push_str("; The value is REG_SZ as UTF-16LE bytes (hex(1)): the quoted form cannot hold line breaks.\r\n");
    out.push_str(&format!(
        "[HKEY_LOCAL_MACHINE\\Software\\Policies\\{}\\3rdparty\\extensions\\{id}\\policy]\r\n",
        vendor.registry
    ));
    let bytes: Vec<String> =
        text.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).map(|byte| format!("{byte:02x}")).collect();
    let mut line = format!("\"{PROPERTY}\"=hex(1):");
    for (at, byte) in bytes.iter().enumerate() {
        line.push_str(byte);
        if at + 1 < bytes.len() {
            line.push(',');
            if line.len() > 76 {
                out.push_str(&line);
                out.push_str("\\\r\n");
                line = "  ".to_owned();
            }
        }
    }
    out.push_str(&line);
    out.push_str("\r\n");
    out
}

/// A property list of the extension's preference domain, `<vendor domain>.extensions.<id>` (for
/// `defaults import`, or a configuration profile's custom settings for that domain), whose keys are
/// the policies (https://www.chromium.org/administrators/configuring-policy-for-extensions).
pub fn plist(text: &str) -> String {
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n<dict>\n\t<key>{PROPERTY}</key>\n\t<string>{escaped}</string>\n</dict>\n</plist>\n"
    )
}

/// The preference domain a plist for `browser` is imported as.
pub fn plist_domain(browser: Browser, id: &str) -> String {
    format!("{}.extensions.{id}", Vendor::of(browser).domain)
}
