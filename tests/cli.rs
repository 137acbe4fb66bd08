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
    // A command that stops before reading standard input closes it: what was not read is no error.
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    if let Err(error) = written {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "standard input is written");
    }
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
    // A byte-order mark neither counts nor hides what lies past the limit (it once cut the text
    // short, and the rest went unread).
    assert_eq!(redline(&["check", "-"], &format!("\u{feff}{at_limit}")).code, 0);
    let over = format!("\u{feff}#{}\n[[", "x".repeat(redline::MAX_TEXT_BYTES));
    let run = redline(&["check", "-"], &over);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("over the limit"), "{}", run.stdout);
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

/// A fresh folder of this test run's own, named `name`.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("redline-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `redline args…` with `stdout` as its standard output: the exit code and standard error.
fn redline_into(args: &[&str], stdout: Stdio) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("the redline binary runs");
    (output.status.code().expect("redline exits, not killed"), String::from_utf8(output.stderr).unwrap())
}

/// Files in `dir` other than `keep`: the temporary files an atomic write must not leave behind.
fn leftovers(dir: &std::path::Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !keep.contains(&name.as_str()))
        .collect()
}

#[test]
fn policy_output_writes_the_file_whole_and_leaves_it_as_it_was_on_any_error() {
    let dir = scratch("policy-output");
    let target = dir.join("redline.json");
    let path = target.to_str().unwrap();
    let run = redline(&["policy", "tests/fixtures/cli/policy.toml", "--browser", "chrome", "--output", path], "");
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let written = std::fs::read_to_string(&target).unwrap();
    let printed = redline(&["policy", "tests/fixtures/cli/policy.toml", "--browser", "chrome"], "").stdout;
    assert_eq!(written, printed, "the file holds what standard output would");
    // One row per failure: why, the arguments before --output, the exit code. The old policy stays.
    let failures: &[(&str, &[&str], i32)] = &[
        ("a configuration with an error", &["policy", "tests/fixtures/cli/error.toml", "--browser", "chrome"], 1),
        ("an unreadable configuration", &["policy", "tests/fixtures/cli/missing.toml", "--browser", "chrome"], 2),
        (
            "a bad extension id",
            &["policy", "tests/fixtures/cli/policy.toml", "--browser", "chrome", "--extension-id", "x"],
            2,
        ),
        (
            "a form Firefox is not given",
            &["policy", "tests/fixtures/cli/policy.toml", "--browser", "firefox", "--format", "reg"],
            2,
        ),
    ];
    for (why, args, code) in failures {
        let args: Vec<&str> = args.iter().copied().chain(["--output", path]).collect();
        let run = redline(&args, "");
        assert_eq!(run.code, *code, "{why}: {}", run.stderr);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), written, "{why}: the old policy is left as it was");
        assert_eq!(leftovers(&dir, &["redline.json"]), Vec::<String>::new(), "{why}: no temporary file is left");
    }
    let nowhere = dir.join("no-such-folder/redline.json");
    let run = redline(
        &["policy", "tests/fixtures/cli/policy.toml", "--browser", "chrome", "-o", nowhere.to_str().unwrap()],
        "",
    );
    assert_eq!(run.code, 2, "a folder that does not exist: {}", run.stderr);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
}

#[test]
fn import_merge_in_place_is_atomic_and_a_redirect_onto_the_merged_file_is_refused() {
    let dir = scratch("merge-output");
    let me = dir.join("me.toml");
    let path = me.to_str().unwrap();
    let ini = "tests/fixtures/import/extend-switch-roles.ini";
    std::fs::write(&me, read("clean.toml")).unwrap();
    let expected = redline(&["import", "aesr", ini, "--merge", "tests/fixtures/cli/clean.toml"], "").stdout;
    let run = redline(&["import", "aesr", ini, "--merge", path, "--output", path], "");
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&me).unwrap(), expected, "merged in place");
    // A merge that does not parse writes nothing.
    std::fs::write(&me, read("inline.toml")).unwrap();
    let run = redline(&["import", "aesr", ini, "--merge", path, "--output", path], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&me).unwrap(), read("inline.toml"), "the file is left as it was");
    assert_eq!(leftovers(&dir, &["me.toml"]), Vec::<String>::new(), "no temporary file is left");
    // `--merge me.toml >> me.toml`: standard output is the merged file (`>` would have emptied it).
    std::fs::write(&me, read("clean.toml")).unwrap();
    let appended = std::fs::OpenOptions::new().append(true).open(&me).unwrap();
    let (code, stderr) = redline_into(&["import", "aesr", ini, "--merge", path], Stdio::from(appended));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--output"), "the message says what to do instead: {stderr}");
    assert_eq!(std::fs::read_to_string(&me).unwrap(), read("clean.toml"), "nothing is written");
}

#[test]
fn readme_examples_write_files_with_output_not_a_redirect() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find("## On the command line").expect("the section");
    let end = readme[start..].find("\n## Permissions").map_or(readme.len(), |at| start + at);
    for line in readme[start..end].lines().filter(|l| l.contains("redline policy") || l.contains("redline import")) {
        assert!(!line.contains(" > "), "a redirect loses the old file when redline fails: {line}");
    }
}

/// One row per command that names standard input twice: why, the arguments.
const STDIN_TWICE: &[(&str, &[&str])] = &[
    ("import's file and --merge", &["import", "aesr", "-", "--merge", "-"]),
    ("targets' file and --policy", &["targets", "-", "--policy", "-"]),
    ("check's files", &["check", "-", "-"]),
    (
        "explain's --config and --policy",
        &["explain", "https://console.aws.amazon.com/", "--config", "-", "--policy", "-"],
    ),
    (
        "explain's --signals and --config",
        &["explain", "https://console.aws.amazon.com/", "--signals", "-", "--config", "-"],
    ),
];

#[test]
fn standard_input_named_more_than_once_is_a_usage_error() {
    for (why, args) in STDIN_TWICE {
        let run = redline(args, "[danger]\nreminder_minutes = 15\n");
        assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{why}: {}", run.stderr);
        assert!(run.stderr.contains("standard input (-) is named more than once"), "{why}: {}", run.stderr);
    }
}

/// The `config` string of a property list, as Python's plistlib (expat) reads it.
fn plistlib_config(plist: &str) -> String {
    let mut python = Command::new("python3")
        .args([
            "-c",
            "import plistlib, sys; sys.stdout.buffer.write(plistlib.loads(sys.stdin.buffer.read())['config'].encode())",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    python.stdin.take().unwrap().write_all(plist.as_bytes()).unwrap();
    let output = python.wait_with_output().unwrap();
    assert!(output.status.success(), "plistlib reads the property list");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn policy_plist_survives_an_xml_parser_with_crlf_and_refuses_what_xml_cannot_hold() {
    let dir = scratch("plist");
    // One row per text: why, the configuration, what plistlib must read back (None: refused, and
    // the diagnostic that says where).
    let rows: &[(&str, &str, Result<(), &str>)] = &[
        ("CRLF line ends come back as CRLF", "# <a> & b\r\n[danger]\r\nreminder_minutes = 15\r\n", Ok(())),
        ("LF line ends come back as LF", "# <a> & b\n[danger]\nreminder_minutes = 15\n", Ok(())),
        ("a tab stays a tab", "#\tx\n[danger]\nreminder_minutes = 15\n", Ok(())),
        (
            "U+FFFE is not an XML character",
            "[danger]\n# ok \u{fffe}\nreminder_minutes = 15\n",
            Err(":2:6: error: U+FFFE"),
        ),
        ("U+FFFF is not an XML character", "# \u{ffff}\n[danger]\nreminder_minutes = 15\n", Err(":1:3: error: U+FFFF")),
    ];
    for (at, (why, text, expected)) in rows.iter().enumerate() {
        let file = dir.join(format!("{at}.toml"));
        std::fs::write(&file, text).unwrap();
        let run = redline(&["policy", file.to_str().unwrap(), "--browser", "chrome", "--format", "plist"], "");
        match expected {
            Ok(()) => {
                assert_eq!(run.code, 0, "{why}: {}", run.stderr);
                assert_eq!(plistlib_config(&run.stdout), *text, "{why}");
            }
            Err(holds) => {
                assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{why}");
                assert!(run.stderr.contains(&format!("{}{holds}", file.display())), "{why}: {}", run.stderr);
            }
        }
    }
}

#[test]
fn policy_plist_says_it_is_deployed_as_a_configuration_profile() {
    let run = redline(&["policy", "tests/fixtures/cli/policy.toml", "--browser", "chrome", "--format", "plist"], "");
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("configuration profile"), "{}", run.stderr);
    assert!(run.stderr.contains("not from `defaults import`"), "{}", run.stderr);
}

/// One row per --extension-id: why, the browser, the id, whether it is taken.
const EXTENSION_IDS: &[(&str, &str, &str, bool)] = &[
    ("32 letters a-p", "chrome", "abcdefghijklmnopabcdefghijklmnop", true),
    ("Edge takes the same ids", "edge", "imkgobmjkkeaddecdaeekohpppkkicjj", true),
    ("a q is past p", "chrome", "abcdefghijklmnopabcdefghijklmnoq", false),
    ("31 letters", "chrome", "abcdefghijklmnopabcdefghijklmno", false),
    ("capitals are not an id", "chrome", "ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP", false),
    ("a gecko id is not Chromium's", "chrome", "redline@example.com", false),
    ("a path would be a registry key's part", "edge", r"abc\..\x", false),
    ("Firefox: name@domain", "firefox", "redline@example.com", true),
    ("Firefox: a GUID in braces", "firefox", "{12345678-9abc-def0-1234-56789abcdef0}", true),
    ("Firefox: a GUID without braces", "firefox", "12345678-9abc-def0-1234-56789abcdef0", false),
    ("Firefox: no @", "firefox", "redline", false),
    ("Firefox: a space", "firefox", "red line@example.com", false),
    ("Firefox: nothing after @", "firefox", "redline@", false),
];

#[test]
fn extension_id_must_have_the_browsers_form() {
    for (why, browser, id, taken) in EXTENSION_IDS {
        let run =
            redline(&["policy", "tests/fixtures/cli/policy.toml", "--browser", browser, "--extension-id", id], "");
        if *taken {
            assert_eq!(run.code, 0, "{why}: {}", run.stderr);
            assert!(run.stdout.contains(&serde_json::to_string(id).unwrap()), "{why}");
        } else {
            assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{why}");
            let expected = if *browser == "firefox" { "name@domain" } else { "32 letters a to p" };
            assert!(run.stderr.contains(expected), "{why}: {}", run.stderr);
        }
    }
}

/// A configuration whose strings hold an escape sequence and a line break that forges a finding
/// and a GitHub workflow command, and a target labelled with them.
const HOSTILE: &str = "[[environments]]\nname = \"x\"\nkind = \"prod\"\nlabel = \"X\\u001b[2J\\tY\"\n\n\
[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"x\"\nlabel = \"acme\\u001b]8;;evil\\u0007\"\n\n\
[[aws.accounts]]\nid = \"444455556666\"\nenvironment = \"a\\nsrc/x.toml:1:1: error: forged\\n::error file=x::forged\"\n";

#[test]
fn text_output_escapes_control_characters_so_each_finding_stays_one_line() {
    let dir = scratch("hostile");
    let file = dir.join("hostile.toml");
    std::fs::write(&file, HOSTILE).unwrap();
    let path = file.to_str().unwrap();
    let fine = HOSTILE.replace("environment = \"a\\n", "environment = \"x\"\n# \"a\\n")
        + "\n[[targets]]\nprovider = \"aws\"\naccount = \"111122223333\"\nrole = \"Admin\"\n";
    std::fs::write(dir.join("fine.toml"), &fine).unwrap();
    let fine_path = dir.join("fine.toml");
    let fine_path = fine_path.to_str().unwrap();
    // One row per output: why, the arguments, the output (standard output or error) to look at.
    let rows: &[(&str, &[&str], bool)] = &[
        ("check's findings", &["check", path], true),
        ("targets' diagnostics on standard error", &["targets", path], false),
        ("policy's diagnostics", &["policy", path, "--browser", "chrome"], false),
        ("targets' table", &["targets", fine_path], true),
        (
            "explain's verdict (the label and the signals)",
            &["explain", "https://console.aws.amazon.com/", "--config", fine_path, "--nav", "Admin\u{1b}[31m/jane\nx"],
            true,
        ),
        ("a file name", &["check", "no\nsuch\u{1b}[1m.toml"], false),
    ];
    for (why, args, stdout) in rows {
        let run = redline(args, "");
        let printed = if *stdout { &run.stdout } else { &run.stderr };
        assert!(!printed.is_empty(), "{why}: something is printed");
        assert!(!printed.contains('\u{1b}') && !printed.contains('\u{7}'), "{why}: {printed:?}");
        assert!(
            printed.lines().all(|l| !l.starts_with("src/x.toml") && !l.starts_with("::error")),
            "{why}: a line of its own was forged: {printed}"
        );
    }
    let run = redline(&["check", path], "");
    assert_eq!(run.stdout.lines().count(), 1, "one finding, one line: {}", run.stdout);
    assert!(run.stdout.contains("'a\\nsrc/x.toml:1:1: error: forged\\n::error file=x::forged'"), "{}", run.stdout);
    let table = redline(&["targets", fine_path], "").stdout;
    assert!(table.contains("X\\u{1b}[2J\\tY") && table.contains("acme\\u{1b}]8;;evil\\u{7}"), "{table}");
    // JSON keeps the text as it is: JSON's own escapes make it safe.
    let json = redline(&["check", "--format", "json", path], "").stdout;
    let found: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(found[0]["message"].as_str().unwrap().contains("a\nsrc/x.toml"), "{json}");
}

/// `--deny-warnings` fodder: a configuration of `n` accounts whose ids can never match, a warning each.
fn many_warnings(n: usize) -> String {
    (0..n).map(|at| format!("[[aws.accounts]]\nid = \"{at:04}-2222-3333\"\nenvironment = \"prod\"\n\n")).collect()
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly_and_a_full_disk_is_reported() {
    let dir = scratch("pipes");
    let many = dir.join("many.toml");
    std::fs::write(&many, many_warnings(8000)).unwrap();
    let many = many.to_str().unwrap();
    // One row per command whose output is larger than a pipe holds: why, the arguments, the exit.
    let rows: &[(&str, &[&str], i32)] = &[
        ("check's findings (warnings pass)", &["check", many], 0),
        ("check's findings, denied: the outcome stands", &["check", "--deny-warnings", many], 1),
        ("check's JSON", &["check", "--format", "json", many], 0),
    ];
    for (why, args, code) in rows {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
            .args(*args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -c 100`: the reader takes a little and goes away.
        let mut head = [0u8; 100];
        std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut head).unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(*code), "{why}: {stderr}");
        assert!(!stderr.contains("panicked"), "{why}: {stderr}");
    }
    let (code, stderr) = redline_into(&["completions", "zsh"], Stdio::null());
    assert_eq!((code, stderr.as_str()), (0, ""), "completions into /dev/null");
    for args in [
        &["completions", "zsh"][..],
        &["check", many],
        &["policy", "tests/fixtures/cli/policy.toml", "--browser", "chrome"],
    ] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let (code, stderr) = redline_into(args, Stdio::from(full));
        assert_eq!(code, 2, "{args:?} into /dev/full: {stderr}");
        assert!(stderr.starts_with("redline: cannot write standard output: "), "{args:?}: {stderr}");
    }
}

#[test]
fn import_merge_prints_the_merged_texts_warnings_where_they_are() {
    let run = redline(
        &[
            "import",
            "aesr",
            "tests/fixtures/import/extend-switch-roles.ini",
            "--merge",
            "tests/fixtures/cli/warning.toml",
        ],
        "",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "\ntests/fixtures/cli/warning.toml:6:1: warning: aws.accounts[0].id: '1111-2222-3333' can never match"
        ),
        "the configuration's warning at its place: {}",
        run.stderr
    );
    // The imported text repeats clean.toml's account: a warning at its line of what was imported.
    let run = redline(
        &[
            "import",
            "aesr",
            "tests/fixtures/import/extend-switch-roles.ini",
            "--merge",
            "tests/fixtures/cli/clean.toml",
        ],
        "",
    );
    assert!(run.stderr.contains("\n<imported>:30:1: warning: aws.accounts[1]: "), "{}", run.stderr);
}

#[test]
fn a_byte_order_mark_is_dropped_as_the_options_page_drops_it() {
    let dir = scratch("bom");
    let config = dir.join("bom.toml");
    std::fs::write(&config, format!("\u{feff}{}", read("warning.toml"))).unwrap();
    let ini = dir.join("bom.ini");
    std::fs::write(&ini, "\u{feff}[acme-prod]\naws_account_id = 111122223333\nrole_name = Admin\n").unwrap();
    let run = redline(&["check", config.to_str().unwrap()], "");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.stdout, format!("{}:6:1: warning: aws.accounts[0].id: '1111-2222-3333' can never match: expected a 12-digit AWS account id without dashes\n", config.display()));
    let run = redline(&["check", "-"], &format!("\u{feff}{}", read("clean.toml")));
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "standard input too");
    let run = redline(&["import", "aesr", ini.to_str().unwrap()], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(":1: converted: "), "the section is read: {}", run.stderr);
    assert!(run.stdout.contains("account = \"111122223333\""), "{}", run.stdout);
    let run = redline(
        &["import", "aesr", "tests/fixtures/import/extend-switch-roles.ini", "--merge", config.to_str().unwrap()],
        "",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains('\u{feff}'), "the merged text has no mark in it");
}

#[test]
fn explain_reads_signals_from_a_file_or_standard_input() {
    let dir = scratch("signals");
    let url = "https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2";
    let meta = r#"{"accountId":"111111111111","sessionARN":"arn:aws:sts::111111111111:assumed-role/Admin/jane"}"#;
    // Far more than one argument may be (MAX_ARG_STRLEN is 128 KiB), padded with a signal the
    // extension ignores.
    let signals = serde_json::json!({ "awsSessionData": meta, "padding": "x".repeat(200_000) }).to_string();
    let file = dir.join("signals.json");
    std::fs::write(&file, &signals).unwrap();
    let verdict = redline::Engine::new().evaluate(url, &redline::Signals::from_json(&signals).unwrap());
    let expected = format!("{}\n", serde_json::to_string(&verdict).unwrap());
    assert!(expected.contains("Admin/jane"), "{expected}");
    let at_file = format!("@{}", file.display());
    let from_file = redline(&["explain", url, "--signals", &at_file, "--format", "json"], "");
    assert_eq!((from_file.code, from_file.stdout.as_str()), (0, expected.as_str()), "{}", from_file.stderr);
    let from_stdin = redline(&["explain", url, "--signals", "-", "--format", "json"], &signals);
    assert_eq!((from_stdin.code, from_stdin.stdout.as_str()), (0, expected.as_str()), "{}", from_stdin.stderr);
    let missing = redline(&["explain", url, "--signals", "@tests/fixtures/cli/missing.json"], "");
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cannot read tests/fixtures/cli/missing.json"), "{}", missing.stderr);
}

#[test]
fn check_json_names_an_unreadable_file_as_an_error_at_line_zero() {
    let run = redline(
        &["check", "--format", "json", "tests/fixtures/cli/missing.toml", "tests/fixtures/cli/warning.toml"],
        "",
    );
    assert_eq!(run.code, 2);
    let found: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(found.as_array().unwrap().len(), 2, "{found}");
    let unread = &found[0];
    assert_eq!(
        (&unread["file"], &unread["line"], &unread["column"], &unread["level"]),
        (
            &serde_json::json!("tests/fixtures/cli/missing.toml"),
            &serde_json::json!(0),
            &serde_json::json!(0),
            &serde_json::json!("error")
        )
    );
    assert!(
        unread["message"].as_str().unwrap().starts_with("cannot read tests/fixtures/cli/missing.toml: "),
        "{unread}"
    );
}

#[test]
fn firefox_other_forms_are_refused_naming_what_redline_writes() {
    for form in ["reg", "plist"] {
        let run = redline(&["policy", "tests/fixtures/cli/policy.toml", "--browser", "firefox", "--format", form], "");
        assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{form}");
        assert!(run.stderr.contains("redline writes Firefox's policies.json only"), "{form}: {}", run.stderr);
        assert!(
            run.stderr.contains(r"HKLM\Software\Policies\Mozilla\Firefox")
                && run.stderr.contains("org.mozilla.firefox"),
            "{}",
            run.stderr
        );
    }
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(readme.contains("replaces every other policy there"), "the README warns that policies.json is whole");
}
