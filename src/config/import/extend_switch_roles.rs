//! AWS Extend Switch Roles' configuration: INI in its own dialect, read line by line so that each
//! line has its own report. It cuts values at ` #` or ` ;` (a `color = #ff0000` is a colour here,
//! where AWS Extend Switch Roles rejects it), takes `[name]` and `[profile name]` alike, and keeps
//! the first of a repeated key.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::{add, colour, converted, ignored, role_of, AwsTarget, LineReport, Outcome, Output};
use crate::model::{is_region, Arn, Colour};

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
    /// `x` of `[profile x]` or `[x]`.
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

/// The place of the first section of each name, so that thousands of profiles naming another cost
/// no more than a lookup each.
fn first_of_each_name<'a>(sections: &[Section<'a>]) -> BTreeMap<&'a str, usize> {
    let mut places = BTreeMap::new();
    for (at, section) in sections.iter().enumerate() {
        places.entry(section.name).or_insert(at);
    }
    places
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
            let name = match header.split_once(char::is_whitespace) {
                Some(("profile", name)) => name.trim(),
                _ => header,
            };
            sections.push(Section { line, name, entries: Vec::new(), keys: BTreeMap::new() });
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

/// Converts AWS Extend Switch Roles' configuration into `out`, reporting on every line.
pub(super) fn convert(text: &str, out: &mut Output, report: &mut Vec<LineReport>) {
    let sections = read_ini(text, report);
    let sections = &sections[..];
    let profiles = first_of_each_name(sections);
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
        out.environment(&account, section.name, &names, section.line);
    }
}
