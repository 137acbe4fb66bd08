//! The manifest and the core must never drift apart: hosts, permissions, version.

use redline::{CONSOLE_FRAME_HOSTS, CONSOLE_HOSTS, PORTAL_HOSTS};
use serde_json::Value;

fn manifest() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/manifest.json")).expect("manifest.json");
    serde_json::from_str(&text).expect("manifest.json is JSON")
}

fn strings(value: &Value) -> Vec<&str> {
    value.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

/// The banner's content script: the console hosts of the core's table, top frame only.
#[test]
fn banner_script_matches_exactly_the_core_host_table() {
    let manifest = manifest();
    let scripts = manifest["content_scripts"].as_array().expect("content_scripts");
    let banner = &scripts[0];
    let core: Vec<&str> = CONSOLE_HOSTS.iter().map(|h| h.pattern).collect();
    assert_eq!(strings(&banner["matches"]), core);
    assert_eq!(banner["all_frames"], Value::Bool(false), "the banner belongs in the top frame only");
    assert_eq!(banner["run_at"], "document_start");
}

/// Any other content script (the destructive-action guard, the access-portal reader) runs on
/// console hosts, the hosts of frames inside consoles and the access portal, and nowhere else.
#[test]
fn other_content_scripts_stay_on_console_hosts_and_their_frames() {
    let manifest = manifest();
    let scripts = manifest["content_scripts"].as_array().expect("content_scripts");
    let allowed: Vec<&str> = CONSOLE_HOSTS
        .iter()
        .map(|h| h.pattern)
        .chain(CONSOLE_FRAME_HOSTS.iter().copied())
        .chain(PORTAL_HOSTS.iter().copied())
        .collect();
    for script in &scripts[1..] {
        for pattern in strings(&script["matches"]) {
            assert!(allowed.contains(&pattern), "{pattern} is not a console, console-frame or portal host");
        }
    }
}

/// The access-portal reader runs on the portal's own pages only, not on every `*.awsapps.com` page
/// (WorkMail's web client lives there too).
#[test]
fn portal_script_matches_exactly_the_portal_pages() {
    let manifest = manifest();
    let scripts = manifest["content_scripts"].as_array().expect("content_scripts");
    let portal =
        scripts.iter().find(|s| strings(&s["js"]).contains(&"extension/content/portal.js")).expect("portal script");
    assert_eq!(strings(&portal["matches"]), PORTAL_HOSTS);
}

/// `storage` for the configuration; `activeTab` and `scripting` to read the AWS console's CSRF token
/// from the page and submit AWS's own switch-role form, only in the tab whose toolbar button or
/// shortcut the user pressed (README, permissions table).
#[test]
fn permissions_are_the_justified_three_and_no_hosts() {
    let manifest = manifest();
    assert_eq!(strings(&manifest["permissions"]), ["storage", "activeTab", "scripting"]);
    for absent in ["host_permissions", "optional_permissions", "optional_host_permissions", "web_accessible_resources"]
    {
        assert!(manifest.get(absent).is_none(), "{absent} must not be declared");
    }
}

#[test]
fn wasm_is_allowed_for_extension_pages_and_nothing_else_is_loosened() {
    let manifest = manifest();
    let csp = manifest["content_security_policy"]["extension_pages"].as_str().expect("extension_pages CSP");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("'unsafe-eval'") && !csp.contains("http"), "{csp}");
}

#[test]
fn manifest_version_is_the_crate_version() {
    let manifest = manifest();
    assert_eq!(manifest["manifest_version"], 3);
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
}

/// One manifest for both engines: Chromium runs `service_worker`; Firefox ignores it (and refuses a
/// manifest with it alone) and runs the same module from `scripts` as an event page.
#[test]
fn both_engines_start_the_same_background_module() {
    let manifest = manifest();
    let background = &manifest["background"];
    let worker = background["service_worker"].as_str().expect("background.service_worker");
    assert_eq!(strings(&background["scripts"]), [worker]);
    assert_eq!(background["type"], "module");
}

/// Firefox needs an id to keep storage and policies across installs, and asks every new add-on to
/// declare what it collects: redline collects nothing.
#[test]
fn firefox_knows_the_add_on_and_that_it_collects_nothing() {
    let manifest = manifest();
    let gecko = &manifest["browser_specific_settings"]["gecko"];
    let id = gecko["id"].as_str().expect("gecko.id");
    assert!(id.contains('@') && !id.contains(char::is_whitespace), "{id}");
    let minimum = gecko["strict_min_version"].as_str().expect("gecko.strict_min_version");
    assert!(
        minimum.split('.').next().and_then(|major| major.parse::<u32>().ok()).is_some_and(|m| m >= 140),
        "{minimum}"
    );
    assert_eq!(strings(&gecko["data_collection_permissions"]["required"]), ["none"]);
}
