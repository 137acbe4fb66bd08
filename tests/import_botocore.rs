//! The `~/.aws/config` importer against the AWS CLI's own reader. For every file of a corpus (the
//! real-world forms of `tests/fixtures/import/aws-config-forms.json`, then generated files) botocore
//! (`tests/differential/botocore_profiles.py`, in the virtual environment `scripts/setup.sh` makes)
//! builds its profile map, and redline imports the file. They must agree:
//!
//! - a file botocore refuses, redline refuses whole and says so;
//! - otherwise each profile that names a role (a role ARN, or an account id with a permission set)
//!   is one target with the same name, account, role (name and path), region and portal, and no
//!   other target is made.
//!
//! Where redline differs on purpose, the rule below says so (and so does the README's import
//! section): a region that is not a region's name, an account id that is not 12 digits and a
//! portal that is not AWS's are left out, because a target cannot use them.
//!
//! `make test` runs it on 10,000 generated files, `make fuzz` on 200,000
//! (`REDLINE_DIFFERENTIAL_FILES`; `REDLINE_DIFFERENTIAL_SEED` picks another corpus).

#[path = "differential/generator.rs"]
mod generator;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use redline::{check_portal_url, import, parse_config, ImportSource, Outcome, Scope};
use serde_json::Value;

/// What a switch target says, as both sides are compared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    label: Option<String>,
    account: String,
    role: String,
    region: Option<String>,
    portal: Option<String>,
}

fn python() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::var_os("REDLINE_BOTOCORE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".tools/botocore/bin/python"))
}

/// botocore's reading of each file, in order.
fn botocore(paths: &[PathBuf]) -> Vec<Value> {
    let python = python();
    assert!(python.exists(), "{} is missing: scripts/setup.sh makes it (make setup)", python.display());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/botocore_profiles.py");
    let mut child = Command::new(&python)
        .arg(script)
        .env("PYTHONUTF8", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python starts");
    let list: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    child.stdin.take().expect("stdin").write_all(list.as_bytes()).expect("paths written");
    let output = child.wait_with_output().expect("python ends");
    assert!(output.status.success(), "botocore_profiles.py failed");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let read: Vec<Value> = text.lines().map(|line| serde_json::from_str(line).expect("JSON")).collect();
    assert_eq!(read.len(), paths.len(), "one answer per file");
    read
}

fn string<'v>(keys: &'v Value, key: &str) -> Option<&'v str> {
    keys.get(key).and_then(Value::as_str)
}

/// IAM's characters for a role or permission set name, and for each step of a role's path.
fn iam_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

fn account_id(text: &str) -> bool {
    text.len() == 12 && text.chars().all(|c| c.is_ascii_digit())
}

/// `arn:<partition>:iam::<account>:role/<path/>Name` → the account and `path/Name`.
fn role_arn(arn: &str) -> Option<(String, String)> {
    let fields: Vec<&str> = arn.splitn(6, ':').collect();
    let ["arn", "aws" | "aws-cn" | "aws-us-gov" | "aws-eusc", "iam", "", account, resource] = fields[..] else {
        return None;
    };
    let role = resource.strip_prefix("role/")?;
    (account_id(account) && role.split('/').all(iam_name)).then(|| (account.to_owned(), role.to_owned()))
}

/// A region's name: words of lower-case letters, then a number (`eu-west-2`, `us-gov-west-1`).
fn region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let Some((number, words)) = parts.split_last() else { return false };
    words.len() >= 2
        && words.iter().all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
}

/// The targets botocore's profile map gives, by the rules above.
fn expected(read: &Value) -> Vec<Target> {
    let sessions = &read["sso_sessions"];
    let mut targets = Vec::new();
    for profile in read["profiles"].as_array().expect("profiles") {
        let (name, keys) = (profile[0].as_str().expect("name"), &profile[1]);
        let label = Some(name.trim().to_owned()).filter(|l| !l.is_empty());
        let region = string(keys, "region").filter(|r| region(r)).map(str::to_owned);
        if let Some((account, role)) = string(keys, "role_arn").and_then(role_arn) {
            targets.push(Target { label, account, role, region, portal: None });
            continue;
        }
        let portal = match string(keys, "sso_session") {
            Some(session) => sessions.get(session).and_then(|s| string(s, "sso_start_url")),
            None => string(keys, "sso_start_url"),
        };
        let account = string(keys, "sso_account_id").filter(|a| account_id(a));
        let role = string(keys, "sso_role_name").filter(|r| iam_name(r));
        if let (Some(account), Some(role), true) = (account, role, portal.is_none_or(|p| check_portal_url(p).is_ok())) {
            let portal = portal.map(str::to_owned);
            targets.push(Target { label, account: account.to_owned(), role: role.to_owned(), region, portal });
        }
    }
    targets.sort();
    targets
}

/// redline's import of `text`: its targets, or `None` when it refused the file whole. Checks on
/// the way that nothing is lost: the text it writes reads back with exactly the targets and
/// environment rules its report says were converted.
fn imported(text: &str) -> Result<Option<Vec<Target>>, String> {
    let imported = import(text, ImportSource::AwsCliConfig);
    let refused_whole = imported
        .report
        .iter()
        .any(|r| r.outcome == Outcome::Refused && r.message.starts_with("the AWS CLI cannot read this file"));
    if refused_whole {
        return if imported.text.is_empty() { Ok(None) } else { Err("refused, but wrote text".to_owned()) };
    }
    let loaded = parse_config(&imported.text).map_err(|e| format!("the imported text does not read back: {e:?}"))?;
    let config = loaded.config;
    let said_targets = imported.report.iter().filter(|r| r.message.contains("→ a switch target for account")).count();
    let mut said_rules: Vec<&str> = imported
        .report
        .iter()
        .filter(|r| r.outcome == Outcome::Converted && r.message.starts_with("environment "))
        .filter_map(|r| r.message.split(" for account ").nth(1)?.split(':').next())
        .collect();
    said_rules.sort();
    said_rules.dedup();
    let rules = config.rules(Scope::AwsAccount);
    if said_targets != config.targets.len() || said_targets != imported.targets || said_rules.len() != rules.len() {
        return Err(format!(
            "the report says {said_targets} targets and {} rules; the text holds {} targets and {} rules",
            said_rules.len(),
            config.targets.len(),
            rules.len()
        ));
    }
    let mut targets: Vec<Target> = config
        .targets
        .into_iter()
        .map(|t| Target {
            label: t.label,
            account: t.account.unwrap_or_default(),
            role: t.role.unwrap_or_default(),
            region: t.region,
            portal: t.portal,
        })
        .collect();
    targets.sort();
    Ok(Some(targets))
}

/// Where a file's two readings disagree, if they do.
fn disagreement(text: &str, read: &Value) -> Option<String> {
    let ours = match imported(text) {
        Ok(ours) => ours,
        Err(lost) => return Some(lost),
    };
    match (read.get("refused").and_then(Value::as_str), ours) {
        (Some(_), None) => None,
        (Some(why), Some(_)) => Some(format!("botocore refuses the file ({why}); redline imported it")),
        (None, None) => Some("redline refused a file botocore reads".to_owned()),
        (None, Some(ours)) => {
            let theirs = expected(read);
            (ours != theirs).then(|| format!("botocore's profiles give {theirs:#?}\nredline imported {ours:#?}"))
        }
    }
}

/// A directory of its own for each corpus: the tests run at once.
fn corpus_dir(corpus: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("redline-differential-{}-{corpus}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("corpus directory");
    dir
}

/// Runs both readers on `texts` and fails with the first disagreements, each with its file.
fn compare(corpus: &str, named: &[(String, String)]) -> usize {
    let dir = corpus_dir(corpus);
    let paths: Vec<PathBuf> = named
        .iter()
        .enumerate()
        .map(|(index, (_, text))| {
            let path = dir.join(format!("{index}.ini"));
            std::fs::write(&path, text).expect("file written");
            path
        })
        .collect();
    let read = botocore(&paths);
    std::fs::remove_dir_all(&dir).ok();
    let refused = read.iter().filter(|r| r.get("refused").is_some()).count();
    let targets: usize = read.iter().filter(|r| r.get("refused").is_none()).map(|r| expected(r).len()).sum();
    eprintln!("{} files: botocore refuses {refused}; the others give {targets} targets", named.len());
    let disagreements: Vec<String> = named
        .iter()
        .zip(&read)
        .filter_map(|((name, text), read)| disagreement(text, read).map(|why| format!("{name}:\n{text}\n---\n{why}")))
        .collect();
    assert!(
        disagreements.is_empty(),
        "{} of {} files disagree; the first:\n\n{}",
        disagreements.len(),
        named.len(),
        disagreements.iter().take(3).cloned().collect::<Vec<_>>().join("\n\n=====\n\n")
    );
    refused
}

#[test]
#[ignore = "needs botocore in .tools/botocore (scripts/setup.sh): make test runs it"]
fn the_real_world_forms_read_as_botocore_reads_them() {
    let forms: Value =
        serde_json::from_str(include_str!("fixtures/import/aws-config-forms.json")).expect("the forms table");
    let named: Vec<(String, String)> = forms["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| (case["name"].as_str().unwrap().to_owned(), case["text"].as_str().unwrap().to_owned()))
        .collect();
    assert!(named.len() >= 20, "the table holds {} forms", named.len());
    compare("forms", &named);
}

#[test]
#[ignore = "needs botocore in .tools/botocore (scripts/setup.sh): make test runs it"]
fn generated_files_read_as_botocore_reads_them() {
    let count: u64 = std::env::var("REDLINE_DIFFERENTIAL_FILES").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let seed: u64 = std::env::var("REDLINE_DIFFERENTIAL_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(16);
    let named: Vec<(String, String)> =
        (0..count).map(|i| (format!("seed {seed}, file {i}"), generator::aws_config(seed * 1_000_003 + i))).collect();
    let refused = compare("forms", &named);
    // The corpus is worth something only if it holds both kinds of file.
    let share = refused as f64 / count as f64;
    assert!((0.05..0.6).contains(&share), "{refused} of {count} files refused by botocore");
}
