//! `redline policy`: a configuration as the managed-policy document each browser's fleet tools
//! deploy, so that the extension reads it from `storage.managed` under the key `config`
//! (extension/managed-schema.json).

use std::io::{self, Write};

use redline::{parse_config, Diagnostic, Level};

use crate::check::line;
use crate::command::{complain, Outcome};
use crate::conversion::write_file;
use crate::input::{display_name, read_text};
use crate::manifest;
use crate::output::note;

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
    /// A macOS property list for the extension's preference domain (Chrome, Edge), to deploy as a
    /// configuration profile (MDM).
    Plist,
}

/// The schema's one property (extension/managed-schema.json): the configuration text.
const PROPERTY: &str = "config";

/// Checks `file` and prints its policy document for `browser` in `form`, or writes it into
/// `output` (whole or not at all).
pub fn run(
    file: &str,
    browser: Browser,
    form: Form,
    id: Option<&str>,
    output: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    if let Some(id) = id {
        if let Err(message) = valid_id(browser, id) {
            return Ok(complain(&message));
        }
    }
    if browser == Browser::Firefox && form != Form::Json {
        return Ok(complain(
            "redline writes Firefox's policies.json only (--format json); Firefox's registry key \
             (HKLM\\Software\\Policies\\Mozilla\\Firefox) and its org.mozilla.firefox preference domain \
             are not written by this tool",
        ));
    }
    let text = match read_text(file) {
        Ok(text) => text,
        Err((outcome, message)) => {
            note(&message);
            return Ok(outcome);
        }
    };
    // A policy the extension would refuse is worse than none: every browser would keep the
    // organisation's rules out. Warnings are shown and do not stop it.
    let found = match parse_config(&text) {
        Ok(loaded) => loaded.warnings,
        Err(found) => found,
    };
    for d in &found {
        note(&line(display_name(file), d));
    }
    if found.iter().any(|d| d.level == Level::Error) {
        note(&format!("redline: {} has errors: no policy is written", crate::output::escaped(display_name(file))));
        return Ok(Outcome::Found);
    }
    let document = match browser {
        Browser::Firefox => firefox_json(id.map_or_else(manifest::gecko_id, str::to_owned).as_str(), &text),
        chromium => {
            let id = id.map_or_else(manifest::chromium_id, str::to_owned);
            let vendor = Vendor::of(chromium);
            match form {
                Form::Json => chromium_json(&id, &text),
                Form::Reg => registry(vendor, &id, &text),
                Form::Plist => match plist(&text) {
                    Ok(document) => {
                        note(&format!(
                            "redline: the preference domain is {}: deploy the property list as a configuration \
                             profile (MDM managed preferences); Chromium reads an extension's policies only from \
                             managed preferences, not from `defaults import`",
                            plist_domain(browser, &id)
                        ));
                        document
                    }
                    Err(found) => {
                        note(&line(display_name(file), &found));
                        note("redline: a property list cannot hold this text: no policy is written");
                        return Ok(Outcome::Found);
                    }
                },
            }
        }
    };
    match output {
        Some(path) => Ok(write_file(path, &document)),
        None => out.write_all(document.as_bytes()).map(|()| Outcome::Clean),
    }
}

/// Whether `id` can be the extension's id in `browser`: Chromium's are 32 letters a–p (the key's
/// hash, hex digits written a–p); Firefox's are `name@domain` or a `{GUID}`, as Firefox's own
/// check has them (`[a-z0-9-._]*@[a-z0-9-._]+`, any case).
pub fn valid_id(browser: Browser, id: &str) -> Result<(), String> {
    let shown = crate::output::escaped(id);
    if browser != Browser::Firefox {
        if id.len() == 32 && id.bytes().all(|b| (b'a'..=b'p').contains(&b)) {
            return Ok(());
        }
        return Err(format!(
            "--extension-id '{shown}' is not a Chromium extension id: expected exactly 32 letters a to p, e.g. {}",
            manifest::chromium_id()
        ));
    }
    let gecko_part = |part: &str| part.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
    let email =
        id.split_once('@').is_some_and(|(name, domain)| gecko_part(name) && !domain.is_empty() && gecko_part(domain));
    let guid = id.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')).is_some_and(|inner| {
        let groups: Vec<&str> = inner.split('-').collect();
        groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if email || guid {
        return Ok(());
    }
    Err(format!(
        "--extension-id '{shown}' is not a Firefox add-on id: expected name@domain (letters, digits, - . _) \
         or a GUID in braces, e.g. {}",
        manifest::gecko_id()
    ))
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

/// A property list of the extension's preference domain, `<vendor domain>.extensions.<id>`, whose
/// keys are the policies (https://www.chromium.org/administrators/configuring-policy-for-extensions).
/// It is deployed as a configuration profile's settings for that domain (MDM managed preferences):
/// Chromium takes an extension's policies only from managed (forced) preferences, so `defaults
/// import` into the user's domain would not put it in force.
///
/// XML 1.0 cannot carry every character: a text holding one it cannot (U+FFFE, U+FFFF, a control
/// character other than tab and line ends) is refused at its line and column. A CR is written
/// `&#13;`: a parser turns a literal CRLF into LF (XML's line-end normalisation), the reference
/// it keeps, so a CRLF text comes back exactly.
pub fn plist(text: &str) -> Result<String, Diagnostic> {
    let mut escaped = String::with_capacity(text.len() + 16);
    let (mut line, mut column) = (1, 1);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '\r' => escaped.push_str("&#13;"),
            '\t' | '\n' => escaped.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {
                return Err(Diagnostic {
                    line,
                    column,
                    level: Level::Error,
                    message: format!(
                        "U+{:04X} cannot be written in a property list (XML 1.0 has no such character); expected \
                         a text without it",
                        u32::from(c)
                    ),
                });
            }
            c => escaped.push(c),
        }
        if c == '\n' {
            (line, column) = (line + 1, 1);
        } else {
            column += 1;
        }
    }
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n<dict>\n\t<key>{PROPERTY}</key>\n\t<string>{escaped}</string>\n</dict>\n</plist>\n"
    ))
}

/// The preference domain a plist for `browser` is deployed for.
pub fn plist_domain(browser: Browser, id: &str) -> String {
    format!("{}.extensions.{id}", Vendor::of(browser).domain)
}
