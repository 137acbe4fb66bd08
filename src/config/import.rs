//! Imports from the files people already keep: AWS Extend Switch Roles' INI configuration and the
//! AWS CLI's `~/.aws/config`. Both become redline configuration text, and every line of the input
//! is reported as converted or ignored, with the reason.
//!
//! The INI reading is line by line on purpose: AWS Extend Switch Roles has its own dialect (it
//! cuts values at `#` or `;`, so it rejects `color = #ff0000`) and each line needs its own report.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::document::{toml_string, MAX_TEXT_BYTES};
use crate::model::Arn;
use crate::model::Colour;
use crate::model::EnvironmentKind;
use crate::model::{is_region, normalise_account_id};
use crate::text::names::{environment_from_names, NameEvidence};
use crate::text::portal_url::check_portal_url;

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

// Sections and entries borrow from the text: a file of 5,000 profiles has 30,000 lines.

/// One `key = value` of a section, with its line; the key in lower case.
#[derive(Debug, Clone)]
struct Entry<'a> {
    line: usize,
    key: Cow<'a, str>,
    value: &'a str,
}

#[derive(Debug, Clone)]
struct Section<'a> {
    line: usize,
    /// `profile` for `[profile x]`, `sso-session` for `[sso-session x]`, empty for `[x]`.
    kind: &'a str,
    name: &'a str,
    /// In line order.
    entries: Vec<Entry<'a>>,
    /// Each key's place in `entries`: a section of thousands of keys is read in linear time.
    keys: BTreeMap<Cow<'a, str>, usize>,
}

impl<'a> Section<'a> {
    fn get(&self, key: &str) -> Option<&'a str> {
        self.keys.get(key).map(|&at| self.entries[at].value)
    }
}

/// The place of the first section of each name that `named` takes, so that thousands of profiles
/// naming another cost no more than a lookup each.
fn first_of_each_name<'a>(sections: &[Section<'a>], named: impl Fn(&Section) -> bool) -> BTreeMap<&'a str, usize> {
    let mut places = BTreeMap::new();
    for (at, section) in sections.iter().enumerate().filter(|(_, section)| named(section)) {
        places.entry(section.name).or_insert(at);
    }
    places
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
    let sections = read_ini(text, &mut report);
    let mut out = Output::default();
    match source {
        Source::ExtendSwitchRoles => extend_switch_roles(&sections, &mut out, &mut report),
        Source::AwsCliConfig => aws_cli_config(&sections, &mut out, &mut report),
    }
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

/// Reports are made section by section, after the lines read_ini reported: puts them in line
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

fn read_ini<'a>(text: &'a str, report: &mut Vec<LineReport>) -> Vec<Section<'a>> {
    let mut sections: Vec<Section> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') || content.starts_with(';') {
            continue;
        }
        if let Some(header) = content.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            let header = header.trim();
            let (kind, name) = match header.split_once(char::is_whitespace) {
                Some((kind @ ("profile" | "sso-session"), name)) => (kind, name.trim()),
                _ => ("", header),
            };
            sections.push(Section { line, kind, name, entries: Vec::new(), keys: BTreeMap::new() });
            continue;
        }
        let Some((key, value)) = content.split_once('=') else {
            ignored(report, line, format!("'{content}' is neither a [section] nor key = value"));
            continue;
        };
        let Some(section) = sections.last_mut() else {
            ignored(report, line, "a key before any [section] belongs to no profile".to_owned());
            continue;
        };
        let key = key.trim();
        let key = if key.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(key.to_ascii_lowercase())
        } else {
            Cow::Borrowed(key)
        };
        let mut value = value.trim();
        // `color = #ff0000` is a colour, not a comment; elsewhere ` #` and ` ;` start one.
        if !(value.starts_with('#') && Colour::parse(value).is_some()) {
            value = value.split(" #").next().unwrap_or(value).split(" ;").next().unwrap_or(value).trim();
        }
        let unquoted = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')));
        let value = unquoted.unwrap_or(value).trim();
        if value.is_empty() {
            ignored(report, line, format!("'{key}' has no value"));
            continue;
        }
        if section.get(&key).is_some() {
            ignored(report, line, format!("'{key}' is repeated in [{}]; the first value is kept", section.name));
            continue;
        }
        section.keys.insert(key.clone(), section.entries.len());
        section.entries.push(Entry { line, key, value });
    }
    sections
}

/// The text being written, and what it holds.
#[derive(Default)]
struct Output {
    text: String,
    targets: usize,
    /// Account ids given an environment so far, to write one rule per account.
    environments: Vec<(String, Option<&'static str>)>,
    /// Each account's place in `environments`.
    accounts: BTreeMap<String, usize>,
}

/// A TOML basic string; JSON's escaping is valid TOML.
struct AwsTarget<'a> {
    label: &'a str,
    account: String,
    role: String,
    region: Option<&'a str>,
    colour: Option<String>,
    portal: Option<&'a str>,
}

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

    /// An environment rule for `account` when the profile's name says one, once per account; a
    /// second profile naming another environment withdraws it.
    fn environment(&mut self, account: &str, names: &[&str], line: usize, report: &mut Vec<LineReport>) {
        if normalise_account_id(account).is_none() {
            return;
        }
        let kind = match environment_from_names(names) {
            NameEvidence::Kind { kind, keyword, name } if kind != EnvironmentKind::Unknown => {
                converted(
                    report,
                    line,
                    format!(
                        "environment {} for account {account}: the name '{name}' has the token '{keyword}'",
                        kind.as_str()
                    ),
                );
                Some(kind.as_str())
            }
            _ => None,
        };
        match self.accounts.get(account).map(|&at| &mut self.environments[at]) {
            Some((_, earlier)) if *earlier != kind => {
                if earlier.is_some() && kind.is_some() {
                    ignored(
                        report,
                        line,
                        format!("account {account} is named for two environments; no environment rule is written"),
                    );
                }
                *earlier = None;
            }
            Some(_) => {}
            None => {
                self.accounts.insert(account.to_owned(), self.environments.len());
                self.environments.push((account.to_owned(), kind));
            }
        }
    }

    fn finish(&mut self) {
        let rules: Vec<String> = self
            .environments
            .iter()
            .filter_map(|(id, kind)| {
                kind.map(|kind| {
                    format!("\n[[aws.accounts]]\nid = {}\nenvironment = {}\n", toml_string(id), toml_string(kind))
                })
            })
            .collect();
        self.text.push_str(&rules.concat());
        self.text = self.text.trim_start().to_owned();
    }
}

/// `#ff0000`, `ff0000`, `"ff0000"` → `#FF0000`.
fn colour(value: &str) -> Option<String> {
    Colour::parse(value).map(Colour::to_hex)
}

fn extend_switch_roles(sections: &[Section], out: &mut Output, report: &mut Vec<LineReport>) {
    let profiles = first_of_each_name(sections, |_| true);
    for section in sections {
        let base = section.get("source_profile").and_then(|name| profiles.get(name)).map(|&at| &sections[at]);
        if let (Some(name), None) = (section.get("source_profile"), base) {
            let line = section.keys.get("source_profile").map_or(section.line, |&at| section.entries[at].line);
            ignored(report, line, format!("source_profile '{name}' is not a profile in this file"));
        }
        let arn = section.get("role_arn").and_then(Arn::parse);
        let account = arn
            .as_ref()
            .map(|a| a.account_id.clone())
            .or_else(|| section.get("aws_account_id").map(|a| a.replace('-', "")));
        let role = role_of(section.get("role_arn"))
            .or_else(|| section.get("role_name").map(str::to_owned))
            .or_else(|| base.and_then(|b| b.get("target_role_name")).map(str::to_owned));
        let is_base = role.is_none() && section.get("source_profile").is_none();
        // Held until it is known whether the section becomes a target: a line of a section that is
        // not imported is not converted, whatever it says.
        let mut lines = Vec::with_capacity(section.entries.len());
        for entry in &section.entries {
            let (outcome, message) = match entry.key.as_ref() {
                "role_arn" if arn.is_none() => (Outcome::Ignored, format!("'{}' is not a role ARN", entry.value)),
                "role_arn" | "role_name" | "aws_account_id" if is_base => (
                    Outcome::Converted,
                    format!(
                        "[{}] is a base profile: switch targets that name it start from account {}",
                        section.name, entry.value
                    ),
                ),
                "target_region" | "region" if !is_region(entry.value.trim()) => {
                    (Outcome::Ignored, format!("'{}' is not a region, expected one such as eu-west-2", entry.value))
                }
                "role_arn" | "role_name" | "aws_account_id" | "source_profile" | "target_role_name"
                | "target_region" | "region" => {
                    (Outcome::Converted, format!("{} → target [{}]", entry.key, section.name))
                }
                "aws_account_alias" => (Outcome::Converted, format!("alias '{}' → the target's label", entry.value)),
                "color" => match colour(entry.value) {
                    Some(hex) => (Outcome::Converted, format!("colour {hex}")),
                    None => (Outcome::Ignored, format!("'{}' is not a colour, expected 6 hex digits", entry.value)),
                },
                "image" => (Outcome::Ignored, "images are not shown by redline".to_owned()),
                other => (Outcome::Ignored, format!("'{other}' is not a key of AWS Extend Switch Roles")),
            };
            lines.push((entry, outcome, message));
        }
        let left_out = |report: &mut Vec<LineReport>, lines: Vec<(&Entry, Outcome, String)>| {
            for (entry, outcome, message) in lines {
                match outcome {
                    Outcome::Converted => ignored(
                        report,
                        entry.line,
                        format!("'{}' is left out with [{}], which is not imported", entry.key, section.name),
                    ),
                    _ => add(report, entry.line, outcome, message),
                }
            }
        };
        let (Some(account), Some(role)) = (account, role) else {
            if is_base {
                for (entry, outcome, message) in lines {
                    add(report, entry.line, outcome, message);
                }
            } else {
                ignored(report, section.line, format!("[{}] names no account and role to switch to", section.name));
                left_out(report, lines);
            }
            continue;
        };
        let label = section
            .get("aws_account_alias")
            .map_or(section.name.to_owned(), |alias| format!("{} ({alias})", section.name));
        let region = section.get("region").or_else(|| base.and_then(|b| b.get("target_region")));
        let written = out.target(AwsTarget {
            label: &label,
            account: account.clone(),
            role,
            region,
            colour: section.get("color").and_then(colour),
            portal: None,
        });
        if !written {
            ignored(report, section.line, format!("[{}] names a blank account or role", section.name));
            left_out(report, lines);
            continue;
        }
        for (entry, outcome, message) in lines {
            add(report, entry.line, outcome, message);
        }
        converted(report, section.line, format!("[{}] → a switch target for account {account}", section.name));
        let names: Vec<&str> = [Some(section.name), section.get("aws_account_alias")].into_iter().flatten().collect();
        out.environment(&account, &names, section.line, report);
    }
    out.finish();
}

/// The role name, with its path, of a role ARN: what the switch-role form takes.
fn role_of(arn: Option<&str>) -> Option<String> {
    let resource = arn?.splitn(6, ':').nth(5)?;
    resource.strip_prefix("role/").map(str::to_owned)
}

fn aws_cli_config(sections: &[Section], out: &mut Output, report: &mut Vec<LineReport>) {
    let sessions = first_of_each_name(sections, |s| s.kind == "sso-session");
    for section in sections {
        if section.kind == "sso-session" {
            for entry in &section.entries {
                match entry.key.as_ref() {
                    "sso_start_url" => match check_portal_url(entry.value) {
                        Ok(()) => converted(report, entry.line, format!("portal of sso-session '{}'", section.name)),
                        Err(why) => add(report, entry.line, Outcome::Refused, format!("refused: {why}")),
                    },
                    other => ignored(report, entry.line, format!("'{other}' is not needed to switch")),
                }
            }
            continue;
        }
        let session = section.get("sso_session").and_then(|name| sessions.get(name)).map(|&at| &sections[at]);
        let portal = section.get("sso_start_url").or_else(|| session.and_then(|s| s.get("sso_start_url")));
        let refused = portal.and_then(|p| check_portal_url(p).err());
        let arn = section.get("role_arn").and_then(Arn::parse);
        let (account, role) = match (&arn, section.get("sso_account_id"), section.get("sso_role_name")) {
            (Some(arn), ..) => (Some(arn.account_id.clone()), role_of(section.get("role_arn"))),
            (None, Some(account), Some(role)) if refused.is_none() => (Some(account.to_owned()), Some(role.to_owned())),
            _ => (None, None),
        };
        for entry in &section.entries {
            let (outcome, message) = match entry.key.as_ref() {
                "role_arn" if arn.is_none() => (Outcome::Ignored, format!("'{}' is not a role ARN", entry.value)),
                "sso_start_url" if refused.is_some() => {
                    (Outcome::Refused, format!("refused: {}", refused.as_deref().unwrap_or_default()))
                }
                "region" if !is_region(entry.value.trim()) => {
                    (Outcome::Ignored, format!("'{}' is not a region, expected one such as eu-west-2", entry.value))
                }
                "role_arn" | "sso_account_id" | "sso_role_name" | "region" if account.is_some() => {
                    (Outcome::Converted, format!("{} → target [{}]", entry.key, section.name))
                }
                "sso_session" | "sso_start_url" if account.is_some() => {
                    (Outcome::Converted, "the Identity Center portal to switch through".to_owned())
                }
                "source_profile" if account.is_some() => (
                    Outcome::Converted,
                    "signs in through another profile; the console switch needs only the role".to_owned(),
                ),
                other => (Outcome::Ignored, format!("'{other}' is not needed to switch in the console")),
            };
            add(report, entry.line, outcome, message);
        }
        if let (Some(account), Some(role)) = (account, role) {
            let portal = portal.filter(|_| arn.is_none());
            let written = out.target(AwsTarget {
                label: section.name,
                account: account.clone(),
                role,
                region: section.get("region"),
                colour: None,
                portal,
            });
            if !written {
                ignored(report, section.line, format!("[{}] names a blank account or role", section.name));
                continue;
            }
            converted(report, section.line, format!("[{}] → a switch target for account {account}", section.name));
            out.environment(&account, &[section.name], section.line, report);
        } else {
            ignored(
                report,
                section.line,
                format!("[{}] has no role_arn and no sso_account_id with sso_role_name", section.name),
            );
        }
    }
    out.finish();
}
