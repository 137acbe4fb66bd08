//! The `redline` binary as a user or a CI job runs it: exit codes, what it prints where.

// The fixture tables, of which the CLI tests need the URLs and signals only.
#[allow(dead_code)]
mod support;

use std::io::Write;
use std::process::{Command, Stdio};

const DIR: &str = "tests/fixtures/cli";

/// What one run printed and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `redline args…` in the crate's folder, with `stdin` on standard input.
fn redline(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the redline binary runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().expect("redline exits, not killed"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// One row per case: why, the arguments, standard input, the exit code, the exact standard output.
const CHECKS: &[(&str, &[&str], &str, i32, &str)] = &[
    ("a clean file prints nothing", &["check", "tests/fixtures/cli/clean.toml"], "", 0, ""),
    (
        "an error is at FILE:LINE:COLUMN and fails",
        &["check", "tests/fixtures/cli/error.toml"],
        "",
        1,
        "tests/fixtures/cli/error.toml:3:1: error: environments[0].kind: 'production' is not a kind, expected one of prod, staging, ci, dev\n",
    ),
    (
        "warnings alone pass",
        &["check", "tests/fixtures/cli/warning.toml"],
        "",
        0,
        "tests/fixtures/cli/warning.toml:6:1: warning: aws.accounts[0].id: '1111-2222-3333' can never match: expected a 12-digit AWS account id without dashes\n",
    ),
    (
        "--deny-warnings makes them fail",
        &["check", "--deny-warnings", "tests/fixtures/cli/warning.toml"],
        "",
        1,
        "tests/fixtures/cli/warning.toml:6:1: warning: aws.accounts[0].id: '1111-2222-3333' can never match: expected a 12-digit AWS account id without dashes\n",
    ),
    (
        "- reads standard input, named <stdin>",
        &["check", "-"],
        "[danger]\nreminder_minutes = \"soon\"\n",
        1,
        "<stdin>:2:1: error: danger.reminder_minutes: is 'soon', expected a whole number of minutes from 1 to 1440\n",
    ),
    (
        "several files: each one's problems, in the order given, the worst exit",
        &["check", "tests/fixtures/cli/clean.toml", "tests/fixtures/cli/warning.toml", "tests/fixtures/cli/error.toml"],
        "",
        1,
        "tests/fixtures/cli/warning.toml:6:1: warning: aws.accounts[0].id: '1111-2222-3333' can never match: expected a 12-digit AWS account id without dashes\n\
         tests/fixtures/cli/error.toml:3:1: error: environments[0].kind: 'production' is not a kind, expected one of prod, staging, ci, dev\n",
    ),
    (
        "not TOML at all",
        &["check", "-"],
        "[[environments]\n",
        1,
        "<stdin>:1:16: error: not valid TOML: expected `]]` to close the header\n",
    ),
    ("an unreadable file is a usage error", &["check", "tests/fixtures/cli/missing.toml"], "", 2, ""),
    ("no file at all is clap's usage error", &["check"], "", 2, ""),
    ("an unknown format is a usage error", &["check", "--format", "yaml", "-"], "", 2, ""),
];

#[test]
fn check_prints_each_problem_at_its_place_and_exits_as_documented() {
    for (why, args, stdin, code, stdout) in CHECKS {
        let run = redline(args, stdin);
        assert_eq!((run.code, run.stdout.as_str()), (*code, *stdout), "{why}: stderr {}", run.stderr);
    }
}

#[test]
fn check_names_an_unreadable_file_on_standard_error() {
    let run = redline(&["check", "tests/fixtures/cli/missing.toml", "tests/fixtures/cli/error.toml"], "");
    assert_eq!(run.code, 2, "an unreadable file outranks an error");
    assert!(run.stderr.starts_with("redline: cannot read tests/fixtures/cli/missing.toml: "), "{}", run.stderr);
    assert!(run.stdout.contains("error.toml:3:1: error:"), "the other files are still checked: {}", run.stdout);
}

#[test]
fn check_json_is_one_document_of_every_finding() {
    let run = redline(&["check", "--format", "json", "tests/fixtures/cli/warning.toml", "-"], &read("error.toml"));
    assert_eq!(run.code, 1);
    let found: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let expected = serde_json::json!([
        {"file": "tests/fixtures/cli/warning.toml", "line": 6, "column": 1, "level": "warning",
         "message": "aws.accounts[0].id: '1111-2222-3333' can never match: expected a 12-digit AWS account id without dashes"},
        {"file": "<stdin>", "line": 3, "column": 1, "level": "error",
         "message": "environments[0].kind: 'production' is not a kind, expected one of prod, staging, ci, dev"},
    ]);
    assert_eq!(found, expected);
    let clean = redline(&["check", "--format", "json", "tests/fixtures/cli/clean.toml"], "");
    assert_eq!((clean.code, clean.stdout.trim()), (0, "[]"));
}

#[test]
fn check_refuses_a_text_over_the_extensions_limit_naming_it() {
    let big = format!("# {}\n", "x".repeat(redline::MAX_TEXT_BYTES));
    let run = redline(&["check", "-"], &big);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("<stdin>:1:1: error: "), "{}", run.stdout);
    assert!(run.stdout.contains("over the limit of 2097152 bytes (2 MiB)"), "{}", run.stdout);
    // Exactly at the limit is read (and is a fine comment).
    let at_limit = format!("#{}", "x".repeat(redline::MAX_TEXT_BYTES - 1));
    assert_eq!(redline(&["check", "-"], &at_limit).code, 0);
}

#[test]
fn check_locates_bytes_that_are_not_utf8() {
    let dir = std::env::temp_dir().join(format!("redline-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("latin1.toml");
    std::fs::write(&path, b"[[environments]]\nname = \"pr\xe9\"\n").unwrap();
    let run = redline(&["check", path.to_str().unwrap()], "");
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        format!(
            "{}:2:11: error: not UTF-8 text (byte 27 cannot start a character); expected a UTF-8 configuration\n",
            path.display()
        )
    );
}

#[test]
fn completions_are_printed_for_a_shell() {
    let run = redline(&["completions", "bash"], "");
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("_redline()") && run.stdout.contains("check"),
        "{}",
        &run.stdout[..200.min(run.stdout.len())]
    );
    assert_eq!(redline(&["completions", "tcsh"], "").code, 2, "an unknown shell is a usage error");
}

/// Every console fixture row, explained by the binary, is the engine's verdict byte for byte: the
/// JSON the wasm boundary (`src/wasm.rs`) hands the worker for the same URL and signals.
#[test]
fn explain_json_is_the_verdict_the_extension_gets_for_every_fixture_row() {
    let engine = redline::Engine::new();
    let cases = support::fixtures::cases();
    assert!(cases.len() > 50, "the fixture tables are read");
    for case in &cases {
        let signals = case.signals_json();
        let run = redline(&["explain", &case.url, "--signals", &signals, "--format", "json"], "");
        let expected = serde_json::to_string(&engine.evaluate(&case.url, &case.signals())).unwrap();
        assert_eq!((run.code, run.stdout.trim_end()), (0, expected.as_str()), "{}: {}", case.name, run.stderr);
    }
}

#[test]
fn explain_text_names_every_part_and_every_reason() {
    let engine = redline::Engine::new();
    for case in support::fixtures::cases().iter().filter(|c| c.expect.is_some()) {
        let run = redline(&["explain", &case.url, "--signals", &case.signals_json()], "");
        let verdict = engine.evaluate(&case.url, &case.signals()).expect("an expected verdict");
        assert_eq!(run.code, 0, "{}", case.name);
        assert!(!run.stdout.contains('\x1b'), "{}: no colour into a pipe", case.name);
        let first = run.stdout.lines().next().unwrap();
        assert_eq!(first.trim(), verdict.label, "{}: the banner's line first", case.name);
        for (part, value) in [
            ("environment", verdict.environment.label.as_str()),
            ("privilege", verdict.privilege.as_str()),
            ("severity", verdict.severity.as_str()),
            ("account", verdict.account.display.as_str()),
        ] {
            let row = run.stdout.lines().find(|l| l.starts_with(part)).unwrap_or_default();
            assert!(row.contains(value), "{}: {part} row {row:?} lacks {value:?}", case.name);
        }
        for reason in &verdict.reasons {
            assert!(run.stdout.contains(&format!("  - {reason}\n")), "{}: reason {reason:?} missing", case.name);
        }
    }
}

/// One row per case: why, the arguments, the exit code, what standard output or error must hold.
const EXPLAINS: &[(&str, &[&str], i32, &str)] = &[
    (
        "the short flags are the content script's signals: the meta tag decides account and role",
        &[
            "explain",
            "https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2",
            "--meta",
            r#"{"accountId":"111111111111","accountAlias":"acme-prod","sessionARN":"arn:aws:sts::111111111111:assumed-role/Admin/jane"}"#,
        ],
        0,
        "severity     danger",
    ),
    (
        "--signal NAME=TEXT sets any signal",
        &[
            "explain",
            "https://console.cloud.google.com/home?project=my-proj",
            "--signal",
            "gcpProjectName=acme-production",
        ],
        0,
        "environment  PROD",
    ),
    (
        "--config is the user's configuration: its rule decides",
        &[
            "explain",
            "https://console.aws.amazon.com/",
            "--config",
            "tests/fixtures/cli/clean.toml",
            "--meta",
            r#"{"accountId":"111122223333","sessionARN":"arn:aws:sts::111122223333:assumed-role/Operator/jane"}"#,
        ],
        0,
        "environment  PROD",
    ),
    (
        "--policy is the organisation's: it wins over --config",
        &[
            "explain",
            "https://console.aws.amazon.com/",
            "--config",
            "tests/fixtures/cli/clean.toml",
            "--policy",
            "tests/fixtures/cli/policy.toml",
            "--meta",
            r#"{"accountId":"111122223333","sessionARN":"arn:aws:sts::111122223333:assumed-role/Operator/jane"}"#,
        ],
        0,
        "environment  STAGING",
    ),
    (
        "a page that is no console has no banner",
        &["explain", "https://example.com/"],
        0,
        "is not a console redline knows",
    ),
    (
        "JSON of no console is null, as the wasm answers",
        &["explain", "https://example.com/", "--format", "json"],
        0,
        "null\n",
    ),
    (
        "a configuration with an error is not used: its diagnostics, exit 1",
        &["explain", "https://console.aws.amazon.com/", "--config", "tests/fixtures/cli/error.toml"],
        1,
        "tests/fixtures/cli/error.toml:3:1: error:",
    ),
    (
        "signals that are not a JSON object are a usage error",
        &["explain", "https://console.aws.amazon.com/", "--signals", "[]"],
        2,
        "--signals",
    ),
    (
        "a --signal without = is a usage error",
        &["explain", "https://console.aws.amazon.com/", "--signal", "awsNavUser"],
        2,
        "NAME=TEXT",
    ),
    (
        "a missing --config file is a usage error",
        &["explain", "https://console.aws.amazon.com/", "--config", "nope.toml"],
        2,
        "cannot read nope.toml",
    ),
];

#[test]
fn explain_takes_signals_and_configurations_as_documented() {
    for (why, args, code, holds) in EXPLAINS {
        let run = redline(args, "");
        assert_eq!(run.code, *code, "{why}: {} {}", run.stdout, run.stderr);
        let printed = if *code == 0 { &run.stdout } else { &run.stderr };
        assert!(printed.contains(holds), "{why}: {holds:?} not in {printed:?}");
    }
}

#[test]
fn targets_lists_the_popups_rows_in_its_order() {
    let run = redline(&["targets", "tests/fixtures/cli/targets.toml"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Read-only before admin, prod last: the popup's order, not the file's.
    assert_eq!(
        run.stdout,
        "DEV      dev\n\
         DEV      Admin @ acme-dev      Admin · 4444-5555-6666\n\
         UNKNOWN  govuk-paas\n\
         PROD     Operator @ acme-prod  Operator · 1111-2222-3333 · eu-west-2\n\
         PROD     Admin @ acme-prod     Admin · 1111-2222-3333\n"
    );
}

/// One row per filter: why, the words, the labels of the rows the popup would keep.
const FILTERS: &[(&str, &str, &[&str])] = &[
    ("an account id's digits and a role's first letters", "1111 oper", &["Operator @ acme-prod"]),
    ("any case", "ADMIN", &["Admin @ acme-dev", "Admin @ acme-prod"]),
    ("every word must match", "admin 4444", &["Admin @ acme-dev"]),
    ("nothing matches", "azure", &[]),
    (
        "no words keep every row",
        "  ",
        &["dev", "Admin @ acme-dev", "govuk-paas", "Operator @ acme-prod", "Admin @ acme-prod"],
    ),
];

#[test]
fn targets_filter_keeps_what_the_popups_filter_keeps() {
    let text = read("targets.toml");
    let mut engine = redline::Engine::new();
    assert!(engine.configure(Some(&text), None, None).applied);
    for (why, words, labels) in FILTERS {
        let run = redline(&["targets", "tests/fixtures/cli/targets.toml", "--filter", words, "--format", "json"], "");
        let rows: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("a JSON array");
        let shown: Vec<&str> = rows.iter().map(|r| r["label"].as_str().unwrap()).collect();
        assert_eq!(&shown, labels, "{why}");
        let popup: Vec<&str> =
            engine.filter_targets(words).iter().map(|&at| engine.targets()[at as usize].label.as_str()).collect();
        assert_eq!(shown, popup, "{why}: the engine's filter");
    }
}

#[test]
fn targets_of_a_broken_configuration_are_its_errors() {
    let run = redline(&["targets", "tests/fixtures/cli/error.toml"], "");
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
    assert!(run.stderr.starts_with("tests/fixtures/cli/error.toml:3:1: error: "), "{}", run.stderr);
}

#[test]
fn import_prints_the_core_s_text_and_reports_every_line_on_standard_error() {
    for (source, file, kind) in [
        ("aesr", "tests/fixtures/import/extend-switch-roles.ini", redline::ImportSource::ExtendSwitchRoles),
        ("aws-config", "tests/fixtures/import/aws-config.ini", redline::ImportSource::AwsCliConfig),
    ] {
        let imported = redline::import(&std::fs::read_to_string(file).unwrap(), kind);
        assert!(imported.targets > 0, "{file} converts something");
        let run = redline(&["import", source, file], "");
        assert_eq!((run.code, run.stdout.as_str()), (0, imported.text.as_str()), "{source}: {}", run.stderr);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), imported.report.len() + 1, "{source}: one line per report, then the counts");
        for (printed, entry) in lines.iter().zip(&imported.report) {
            let outcome = serde_json::to_value(entry.outcome).unwrap();
            let expected = format!("{file}:{}: {}: {}", entry.line, outcome.as_str().unwrap(), entry.message);
            assert_eq!(*printed, expected, "{source}");
        }
        assert!(lines.last().unwrap().starts_with(&format!("{file}: {} targets; ", imported.targets)), "{source}");
    }
}

#[test]
fn import_reads_standard_input_and_reports_an_ignored_line_at_its_place() {
    let run =
        redline(&["import", "aesr", "-"], "[acme-prod]\naws_account_id = 111122223333\nrole_name = Admin\nimage = x\n");
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("account = \"111122223333\""), "{}", run.stdout);
    assert!(run.stderr.contains("<stdin>:4: ignored: "), "{}", run.stderr);
    assert!(run.stderr.contains("<stdin>:1: converted: "), "{}", run.stderr);
}

/// One row per merge: why, the configuration merged into.
const MERGES: &[(&str, &str)] = &[
    ("a configuration with comments, ending in a newline", "clean.toml"),
    ("a configuration without a newline at its end", "no-newline.toml"),
    ("a configuration with warnings (they do not stop the merge)", "warning.toml"),
];

#[test]
fn import_merge_keeps_the_configuration_byte_for_byte_and_appends_the_conversion() {
    let ini = "tests/fixtures/import/extend-switch-roles.ini";
    let imported = redline::import(&std::fs::read_to_string(ini).unwrap(), redline::ImportSource::ExtendSwitchRoles);
    for (why, name) in MERGES {
        let original = read(name);
        let run = redline(&["import", "aesr", ini, "--merge", &fixture(name)], "");
        assert_eq!(run.code, 0, "{why}: {}", run.stderr);
        assert!(run.stdout.starts_with(&original), "{why}: the original text first, untouched");
        let rest = &run.stdout[original.len()..];
        assert_eq!(rest.trim_start_matches('\n'), imported.text, "{why}: then exactly the conversion");
        assert!(rest.starts_with('\n'), "{why}: on a line of its own");
        let merged = redline::parse_config(&run.stdout).expect("the merged text parses");
        let before = redline::parse_config(&original).unwrap().config.targets.len();
        assert_eq!(merged.config.targets.len(), before + imported.targets, "{why}: every target kept");
    }
}

#[test]
fn import_merge_that_would_not_parse_writes_nothing_and_says_where() {
    let run = redline(
        &[
            "import",
            "aesr",
            "tests/fixtures/import/extend-switch-roles.ini",
            "--merge",
            "tests/fixtures/cli/inline.toml",
        ],
        "",
    );
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
    // The imported text's first `[[aws.accounts]]` is its line 30; the file wrote that table inline.
    assert!(
        run.stderr.contains("<imported>:30:1: error: not valid TOML: table `aws.accounts` is defined twice\n"),
        "{}",
        run.stderr
    );
    assert_eq!(redline(&["import", "ini", "-"], "").code, 2, "an unknown source is a usage error");
    assert_eq!(redline(&["import", "aesr", "tests/fixtures/cli/missing.ini"], "").code, 2, "an unreadable file");
}

/// The id Chromium gives the extension: `extensionIdFromKey` of tests/e2e/harness.mjs applied to
/// manifest.json's key (run with node when this was written).
const CHROMIUM_ID: &str = "imkgobmjkkeaddecdaeekohpppkkicjj";

fn manifest() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string("manifest.json").unwrap()).unwrap()
}

/// The names and types the extension's managed schema declares.
fn schema_properties() -> serde_json::Map<String, serde_json::Value> {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("extension/managed-schema.json").unwrap()).unwrap();
    schema["properties"].as_object().unwrap().clone()
}

/// The extension's policies of a JSON document: every one a property of the schema, of its type.
fn checked_against_schema(policies: &serde_json::Value) -> String {
    let properties = schema_properties();
    let policies = policies.as_object().expect("the extension's policies are an object");
    for (name, value) in policies {
        let declared = properties.get(name).unwrap_or_else(|| panic!("'{name}' is not in managed-schema.json"));
        assert_eq!(declared["type"], "string");
        assert!(value.is_string(), "{name} is a string");
    }
    policies["config"].as_str().unwrap().to_owned()
}

#[test]
fn policy_json_puts_the_text_where_each_browser_reads_it() {
    let gecko = manifest()["browser_specific_settings"]["gecko"]["id"].as_str().unwrap().to_owned();
    for name in ["policy.toml", "policy-escapes.toml"] {
        let text = read(name);
        for browser in ["chrome", "edge"] {
            let run = redline(&["policy", &fixture(name), "--browser", browser], "");
            assert_eq!(run.code, 0, "{browser}: {}", run.stderr);
            let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            assert_eq!(document.as_object().unwrap().len(), 1, "{browser}: only 3rdparty");
            let extensions = document["3rdparty"]["extensions"].as_object().expect("3rdparty.extensions");
            assert_eq!(extensions.keys().collect::<Vec<_>>(), [CHROMIUM_ID], "{browser}");
            assert_eq!(checked_against_schema(&extensions[CHROMIUM_ID]), text, "{browser}: {name} exactly");
        }
        let run = redline(&["policy", &fixture(name), "--browser", "firefox", "--format", "json"], "");
        assert_eq!(run.code, 0, "{}", run.stderr);
        let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let extensions =
            document["policies"]["3rdparty"]["Extensions"].as_object().expect("policies.3rdparty.Extensions");
        assert_eq!(extensions.keys().collect::<Vec<_>>(), [&gecko]);
        assert_eq!(checked_against_schema(&extensions[&gecko]), text, "firefox: {name} exactly");
    }
}

/// The text of a .reg file's `hex(1)` value: UTF-16LE bytes ending in a NUL.
fn reg_string(value: &str) -> String {
    let hex: String = value.split("\\\r\n").map(str::trim_start).collect();
    let bytes: Vec<u8> = hex.split(',').map(|b| u8::from_str_radix(b, 16).expect("a hex byte")).collect();
    let units: Vec<u16> = bytes.chunks(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
    assert_eq!(units.last(), Some(&0), "REG_SZ ends in NUL");
    String::from_utf16(&units[..units.len() - 1]).unwrap()
}

#[test]
fn policy_reg_is_a_registry_file_of_the_extensions_policy_key() {
    for (browser, vendor) in [("chrome", r"Google\Chrome"), ("edge", r"Microsoft\Edge")] {
        let text = read("policy-escapes.toml");
        let run =
            redline(&["policy", "tests/fixtures/cli/policy-escapes.toml", "--browser", browser, "--format", "reg"], "");
        assert_eq!(run.code, 0, "{}", run.stderr);
        let reg = &run.stdout;
        assert!(reg.starts_with("Windows Registry Editor Version 5.00\r\n\r\n"), "{browser}: the header");
        assert!(!reg.replace("\r\n", "").contains('\n'), "{browser}: every line ends in CRLF");
        let key = format!(
            "\r\n[HKEY_LOCAL_MACHINE\\Software\\Policies\\{vendor}\\3rdparty\\extensions\\{CHROMIUM_ID}\\policy]\r\n"
        );
        assert!(reg.contains(&key), "{browser}: {key:?} in {reg}");
        let (_, value) = reg.split_once("\"config\"=hex(1):").expect("the config value as REG_SZ bytes");
        let value = value.strip_suffix("\r\n").unwrap();
        assert_eq!(reg_string(value), text, "{browser}: the text exactly");
        let value_lines = reg.lines().filter(|line| line.starts_with("\"config\"") || line.starts_with("  "));
        assert!(value_lines.clone().count() > 2, "{browser}: the value continues over lines");
        assert!(value_lines.clone().all(|line| line.len() <= 80), "{browser}: wrapped as regedit wraps them");
        assert!(schema_properties().contains_key("config"), "the value is the schema's property");
    }
}

#[test]
fn policy_plist_holds_the_text_escaped_for_xml() {
    let text = read("policy-escapes.toml");
    let run =
        redline(&["policy", "tests/fixtures/cli/policy-escapes.toml", "--browser", "chrome", "--format", "plist"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\""
    ));
    let (_, rest) =
        run.stdout.split_once("<dict>\n\t<key>config</key>\n\t<string>").expect("one dict with the config key");
    let (escaped, tail) = rest.split_once("</string>").unwrap();
    assert_eq!(tail, "\n</dict>\n</plist>\n");
    assert!(!escaped.contains('<') && !escaped.contains('>'), "markup characters escaped");
    assert_eq!(escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"), text);
    let domain = format!("com.google.Chrome.extensions.{CHROMIUM_ID}");
    assert!(run.stderr.contains(&domain), "the preference domain is named: {}", run.stderr);
    let edge = redline(&["policy", "tests/fixtures/cli/policy.toml", "--browser", "edge", "--format", "plist"], "");
    assert!(edge.stderr.contains(&format!("com.microsoft.Edge.extensions.{CHROMIUM_ID}")), "{}", edge.stderr);
}

/// One row per refusal: why, the arguments, the exit code.
const POLICY_REFUSALS: &[(&str, &[&str], i32)] = &[
    (
        "a configuration with an error becomes no policy",
        &["policy", "tests/fixtures/cli/error.toml", "--browser", "chrome"],
        1,
    ),
    (
        "Firefox has no .reg form here",
        &["policy", "tests/fixtures/cli/policy.toml", "--browser", "firefox", "--format", "reg"],
        2,
    ),
    ("a browser is required", &["policy", "tests/fixtures/cli/policy.toml"], 2),
    ("an unknown browser", &["policy", "tests/fixtures/cli/policy.toml", "--browser", "safari"], 2),
    ("an unreadable file", &["policy", "tests/fixtures/cli/missing.toml", "--browser", "edge"], 2),
];

#[test]
fn policy_refuses_what_no_browser_should_get() {
    for (why, args, code) in POLICY_REFUSALS {
        let run = redline(args, "");
        assert_eq!((run.code, run.stdout.as_str()), (*code, ""), "{why}: {}", run.stderr);
    }
    let run = redline(&["policy", "tests/fixtures/cli/error.toml", "--browser", "chrome"], "");
    assert!(run.stderr.starts_with("tests/fixtures/cli/error.toml:3:1: error: "), "{}", run.stderr);
    let warned = redline(&["policy", "tests/fixtures/cli/warning.toml", "--browser", "chrome"], "");
    assert_eq!(warned.code, 0, "warnings do not stop a policy");
    assert!(warned.stderr.contains("warning.toml:6:1: warning: "), "{}", warned.stderr);
}

#[test]
fn policy_takes_another_extension_id() {
    let id = "abcdefghijklmnopabcdefghijklmnop";
    let run = redline(&["policy", "tests/fixtures/cli/policy.toml", "--browser", "chrome", "--extension-id", id], "");
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(document["3rdparty"]["extensions"][id]["config"].is_string(), "{}", run.stdout);
}
