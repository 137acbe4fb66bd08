//! Imports from the files people already keep: AWS Extend Switch Roles' INI configuration and the
//! AWS CLI's `~/.aws/config`. Both become redline configuration text, and every line of the input
//! is reported as converted or ignored, with the reason.
//!
//! Each file has its own reader, because each tool reads its file its own way: AWS Extend Switch
//! Roles cuts values at `#` or `;` (so it rejects `color = #ff0000`), while the AWS CLI keeps
//! `# note` in a value and reads indented lines as part of the key above them. An import follows
//! the tool the file was written for, so that it never holds a profile that tool would read
//! differently.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::document::{toml_string, MAX_TEXT_BYTES};
use crate::model::Colour;
use crate::model::EnvironmentKind;
use crate::model::{is_region, normalise_account_id};
use crate::text::names::{environment_from_names, NameEvidence};

mod aws_config;
mod extend_switch_roles;

/// What happened to one line of the imported file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Taken into the configuration text.
    Converted,
    /// Left out: redline has no use for it, or its value is not valid; the message says which.
    Ignored,
    /// Not taken because it is unsafe: a portal that is not an AWS `https://` address.
    Refused,
}

/// The report for one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineReport {
    /// The line of the imported file, from 1.
    pub line: usize,
    /// What happened to the line.
    pub outcome: Outcome,
    /// What was made of the line, or why it was not taken.
    pub message: String,
}

/// The result of an import: configuration text to add, and the per-line report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// redline configuration (TOML): `[[targets]]` and, where a profile name says it,
    /// `[[aws.accounts]]` environment rules.
    pub text: String,
    /// In line order; a line's reports in the order they were made.
    pub report: Vec<LineReport>,
    /// How many switch targets (`[[targets]]`) `text` holds.
    pub targets: usize,
    /// How many reports have each outcome: the summary of a report of thousands of lines.
    pub outcomes: Outcomes,
}

/// How many reports of an import have each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Outcomes {
    /// How many reports say a line was converted.
    pub converted: usize,
    /// How many reports say a line was ignored.
    pub ignored: usize,
    /// How many reports say a line was refused as unsafe.
    pub refused: usize,
}

/// Which file is being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// AWS Extend Switch Roles' configuration.
    ExtendSwitchRoles,
    /// The AWS CLI's `~/.aws/config`.
    AwsCliConfig,
}

/// Imports `text` as `source`.
///
/// ```
/// use redline::{import, ImportSource};
/// let aesr = "[acme-prod-admin]\naws_account_id = 111122223333\nrole_name = Admin\ncolor = #ff0000\n";
/// let imported = import(aesr, ImportSource::ExtendSwitchRoles);
/// assert_eq!(imported.targets, 1);
/// assert!(imported.text.contains("account = \"111122223333\""));
/// assert!(imported.text.contains("environment = \"prod\""));
/// ```
pub fn import(text: &str, source: Source) -> Imported {
    if text.len() > MAX_TEXT_BYTES {
        let message = format!(
            "the text is {} bytes, over the limit of {MAX_TEXT_BYTES} bytes (2 MiB): nothing was converted; expected a smaller file",
            text.len()
        );
        let outcomes = Outcomes { refused: 1, ..Outcomes::default() };
        return Imported {
            text: String::new(),
            report: vec![LineReport { line: 1, outcome: Outcome::Refused, message }],
            targets: 0,
            outcomes,
        };
    }
    let mut report = Vec::new();
    let mut out = Output::default();
    match source {
        Source::ExtendSwitchRoles => extend_switch_roles::convert(text, &mut out, &mut report),
        Source::AwsCliConfig => aws_config::convert(text, &mut out, &mut report),
    }
    out.finish(&mut report);
    let mut outcomes = Outcomes::default();
    for r in &report {
        *match r.outcome {
            Outcome::Converted => &mut outcomes.converted,
            Outcome::Ignored => &mut outcomes.ignored,
            Outcome::Refused => &mut outcomes.refused,
        } += 1;
    }
    Imported { text: out.text, report: in_line_order(report), targets: out.targets, outcomes }
}

/// How many lines `source`'s reader finds in `text`: every report's line is one of them. The AWS
/// CLI ends a line at a lone `\r` too.
#[cfg(feature = "fuzzing")]
pub(crate) fn line_count(text: &str, source: Source) -> usize {
    match source {
        Source::ExtendSwitchRoles => text.lines().count(),
        Source::AwsCliConfig => aws_config::line_count(text),
    }
}

/// Reports are made section by section, after the lines the reader reported: puts them in line
/// order, a line's in the order they were made. A counting sort by line: linear, and less wasm
/// than a comparison sort (inserting each in its place was quadratic in the worst case).
fn in_line_order(report: Vec<LineReport>) -> Vec<LineReport> {
    let last = report.iter().map(|r| r.line).max().unwrap_or(0);
    // The number of reports of each line, then where the next of that line goes.
    let mut next = vec![0; last + 1];
    for r in &report {
        next[r.line] += 1;
    }
    let mut start = 0;
    for place in &mut next {
        let count = *place;
        *place = start;
        start += count;
    }
    let mut placed: Vec<Option<LineReport>> = report.iter().map(|_| None).collect();
    for r in report {
        let place = &mut next[r.line];
        placed[*place] = Some(r);
        *place += 1;
    }
    placed.into_iter().flatten().collect()
}

fn add(report: &mut Vec<LineReport>, line: usize, outcome: Outcome, message: String) {
    report.push(LineReport { line, outcome, message });
}

fn converted(report: &mut Vec<LineReport>, line: usize, message: String) {
    add(report, line, Outcome::Converted, message);
}

fn ignored(report: &mut Vec<LineReport>, line: usize, message: String) {
    add(report, line, Outcome::Ignored, message);
}

/// The text being written, and what it holds.
#[derive(Default)]
struct Output {
    text: String,
    targets: usize,
    /// For each account with a target, in the order first met: what each of its profiles' names
    /// says of its environment. A rule is written only where they all say the same.
    environments: Vec<(String, Vec<Naming>)>,
    /// Each account's place in `environments`.
    accounts: BTreeMap<String, usize>,
}

/// What one profile's name says of its account's environment.
struct Naming {
    /// The profile's section line, where the rule is reported.
    line: usize,
    profile: String,
    /// The environment, the token that says it and the name it is in; `None` when the name says none.
    says: Option<(EnvironmentKind, String, String)>,
}

/// A switch target as an importer found it.
struct AwsTarget<'a> {
    label: &'a str,
    account: String,
    role: String,
    region: Option<&'a str>,
    colour: Option<String>,
    portal: Option<&'a str>,
}

/// How many profiles a message about one account names before it counts the rest.
const NAMINGS_SHOWN: usize = 3;

impl Output {
    /// Writes a switch target, every value as the configuration reader will take it: blank ones
    /// and a region that is none are left out (their lines are reported as ignored).
    fn target(&mut self, target: AwsTarget) -> bool {
        let (account, role) = (target.account.trim(), target.role.trim());
        if account.is_empty() || role.is_empty() {
            return false;
        }
        self.text.push_str("\n[[targets]]\nprovider = \"aws\"\n");
        let label = Some(target.label.trim()).filter(|l| !l.is_empty());
        let region = target.region.map(str::trim).filter(|r| is_region(r));
        for (key, value) in [
            ("label", label),
            ("account", Some(account)),
            ("role", Some(role)),
            ("region", region),
            ("colour", target.colour.as_deref()),
            ("portal", target.portal),
        ] {
            if let Some(value) = value {
                for part in [key, " = ", &toml_string(value), "\n"] {
                    self.text.push_str(part);
                }
            }
        }
        self.targets += 1;
        true
    }

    /// Notes what a target's profile name (`names`: the name and any alias) says of `account`'s
    /// environment; `finish` writes the rule and reports it.
    fn environment(&mut self, account: &str, profile: &str, names: &[&str], line: usize) {
        if normalise_account_id(account).is_none() {
            return;
        }
        let says = match environment_from_names(names) {
            NameEvidence::Kind { kind, keyword, name } if kind != EnvironmentKind::Unknown => {
                Some((kind, keyword.to_owned(), name.to_owned()))
            }
            _ => None,
        };
        let naming = Naming { line, profile: profile.to_owned(), says };
        match self.accounts.get(account) {
            Some(&at) => self.environments[at].1.push(naming),
            None => {
                self.accounts.insert(account.to_owned(), self.environments.len());
                self.environments.push((account.to_owned(), vec![naming]));
            }
        }
    }

    /// Writes an environment rule for each account whose profiles' names all say the same
    /// environment, and reports each rule, or why an account has none, on the lines that named it.
    fn finish(&mut self, report: &mut Vec<LineReport>) {
        let mut rules = String::new();
        for (account, namings) in &self.environments {
            let first = namings[0].says.as_ref().map(|(kind, ..)| *kind);
            let agree = first.is_some() && namings.iter().all(|n| n.says.as_ref().map(|(kind, ..)| *kind) == first);
            if let (true, Some(kind)) = (agree, first) {
                for naming in namings {
                    if let Some((_, keyword, name)) = &naming.says {
                        converted(
                            report,
                            naming.line,
                            format!(
                                "environment {} for account {account}: the name '{name}' has the token '{keyword}'",
                                kind.as_str()
                            ),
                        );
                    }
                }
                for part in [
                    "\n[[aws.accounts]]\nid = ",
                    &toml_string(account),
                    "\nenvironment = ",
                    &toml_string(kind.as_str()),
                    "\n",
                ] {
                    rules.push_str(part);
                }
                continue;
            }
            if first.is_none() && namings.iter().all(|n| n.says.is_none()) {
                continue;
            }
            let mut said: Vec<String> = namings
                .iter()
                .take(NAMINGS_SHOWN)
                .map(|n| {
                    let kind = n.says.as_ref().map_or("none", |(kind, ..)| kind.as_str());
                    format!("[{}] says {kind}", n.profile)
                })
                .collect();
            if namings.len() > NAMINGS_SHOWN {
                said.push(format!("and {} more", namings.len() - NAMINGS_SHOWN));
            }
            let message = format!(
                "the names of account {account}'s profiles disagree ({}); no environment rule is written",
                said.join(", ")
            );
            for naming in namings.iter().filter(|n| n.says.is_some()) {
                ignored(report, naming.line, message.clone());
            }
        }
        self.text.push_str(&rules);
        self.text = self.text.trim_start().to_owned();
    }
}

/// `#ff0000`, `ff0000`, `"ff0000"` → `#FF0000`.
fn colour(value: &str) -> Option<String> {
    Colour::parse(value).map(Colour::to_hex)
}

/// The role name, with its path, of a role ARN: what the switch-role form takes.
fn role_of(arn: Option<&str>) -> Option<String> {
    let resource = arn?.splitn(6, ':').nth(5)?;
    resource.strip_prefix("role/").map(str::to_owned)
}
