//! The AWS CLI's `~/.aws/config`, read the way the AWS CLI reads it, so that an import never holds
//! a profile the AWS CLI would read differently. The AWS CLI's botocore reads the file with Python's
//! `configparser.RawConfigParser` and then builds its profile map; this module follows both, rule
//! for rule, and `tests/import_botocore.rs` compares the two on thousands of files:
//!
//! - a line is a comment only when it starts with `#` or `;`: `region = x # note` has the value
//!   `x # note`;
//! - `key = value` or `key: value`, the key in lower case; a line indented deeper than the line of
//!   the key above it continues that key's value (`s3 =` above indented `key = value` lines holds
//!   sub-keys);
//! - `[header]` is everything from the first `[` to the last `]` of the line; text after it is
//!   ignored;
//! - a profile is `[default]` or a header that starts with `profile` and splits, as a POSIX shell
//!   splits words, into exactly two (`[profile "my app"]` is `my app`); `[sso-session x]` likewise;
//!   any other section (`[x]`, which only the credentials file reads as a profile) is none; of two
//!   headers naming one profile, the later one counts, whole;
//! - every key of a `[DEFAULT]` section is a key of every section that does not set it;
//! - a repeated section or key, a line before any section, a line that is neither, or a sub-key
//!   line without `=` makes the AWS CLI refuse the whole file: redline then converts nothing and
//!   says which lines, so an import never holds what the AWS CLI would not use.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;

use super::{add, converted, ignored, AwsTarget, LineReport, Outcome, Output};
use crate::model::{is_region, Partition};
use crate::text::portal_url::check_portal_url;

/// Converts `text` into `out`, reporting on every line that is not blank or a comment.
pub(super) fn convert(text: &str, out: &mut Output, report: &mut Vec<LineReport>) {
    let ini = Ini::read(text);
    if !ini.problems.is_empty() {
        let count = ini.problems.len();
        for (line, message) in ini.problems {
            add(report, line, Outcome::Refused, message);
        }
        let lines = if count == 1 { "the line marked says" } else { "the lines marked say" };
        add(
            report,
            1,
            Outcome::Refused,
            format!(
                "the AWS CLI cannot read this file ({lines} why), so nothing was imported: correct it and import again"
            ),
        );
        return;
    }
    Profiles::of(&ini).convert(out, report);
}

/// Python's `str.isspace`: Rust's whitespace and the four information separators.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()`.
fn strip(text: &str) -> &str {
    text.trim_matches(is_space)
}

/// The lines of a text as Python reads a text file: `\n`, `\r\n` and `\r` each end one.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = &rest[..end];
        let next = if rest[end..].starts_with("\r\n") { end + 2 } else { (end + 1).min(rest.len()) };
        rest = &rest[next..];
        Some(line)
    })
}

#[cfg(feature = "fuzzing")]
pub(super) fn line_count(text: &str) -> usize {
    lines(text).count()
}

/// `[header]`: from the first `[` to the last `]`, at least one character.
fn header_of(content: &str) -> Option<&str> {
    let inside = content.strip_prefix('[')?;
    let end = inside.rfind(']')?;
    (end > 0).then(|| &inside[..end])
}

/// `key = value` or `key: value`, split at the first `=` or `:`.
fn key_value_of(content: &str) -> Option<(&str, &str)> {
    let at = content.find(['=', ':'])?;
    Some((content[..at].trim_end_matches(is_space), strip(&content[at + 1..])))
}

/// One line of a value: its line number and text, `""` for a blank line inside the value.
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    line: usize,
    text: &'a str,
}

/// A key, its value's first line and its continuation lines.
#[derive(Debug)]
struct Key<'a> {
    /// In lower case, as the AWS CLI looks keys up.
    name: String,
    pieces: Vec<Piece<'a>>,
    /// The value, joined once: a `[DEFAULT]` key is read for every profile.
    joined: OnceCell<Value<'a>>,
}

/// A key's value as the AWS CLI holds it.
#[derive(Debug)]
enum Value<'a> {
    Text(Cow<'a, str>),
    /// Indented `key = value` lines under an empty value, such as `s3 =`.
    SubKeys,
}

impl<'a> Key<'a> {
    fn line(&self) -> usize {
        self.pieces[0].line
    }

    /// The lines joined with `\n`, trailing space dropped; sub-keys where the first line is empty
    /// and a later one is not.
    fn value(&self) -> &Value<'a> {
        self.joined.get_or_init(|| match &self.pieces[..] {
            [only] => Value::Text(Cow::Borrowed(only.text)),
            [first, rest @ ..] if first.text.is_empty() && rest.iter().any(|p| !p.text.is_empty()) => Value::SubKeys,
            pieces => {
                let joined: Vec<&str> = pieces.iter().map(|p| p.text).collect();
                Value::Text(Cow::Owned(joined.join("\n").trim_end_matches(is_space).to_owned()))
            }
        })
    }

    fn text(&self) -> Option<&str> {
        match self.value() {
            Value::Text(text) => Some(text),
            Value::SubKeys => None,
        }
    }

    /// The first sub-key line without `=`, which the AWS CLI refuses: its line and text.
    fn bad_sub_key(&self) -> Option<(usize, &'a str)> {
        if !matches!(self.value(), Value::SubKeys) {
            return None;
        }
        // Python's `str.splitlines` ends a line at more characters than `\n`.
        let ends = ['\n', '\r', '\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}'];
        self.pieces.iter().find_map(|piece| {
            piece
                .text
                .split(ends)
                .map(strip)
                .find(|sub| !sub.is_empty() && !sub.contains('='))
                .map(|sub| (piece.line, sub))
        })
    }
}

#[derive(Debug)]
struct Section<'a> {
    header: &'a str,
    line: usize,
    keys: Vec<Key<'a>>,
    /// Each key's place in `keys`.
    places: HashMap<String, usize>,
}

impl<'a> Section<'a> {
    fn new(header: &'a str, line: usize) -> Self {
        Section { header, line, keys: Vec::new(), places: HashMap::new() }
    }

    fn own(&self, name: &str) -> Option<&Key<'a>> {
        self.places.get(name).map(|&at| &self.keys[at])
    }
}

/// The file as `configparser` reads it.
struct Ini<'a> {
    sections: Vec<Section<'a>>,
    /// `[DEFAULT]`'s keys, which every section has unless it sets its own.
    defaults: Section<'a>,
    /// Lines that make the AWS CLI refuse the file, with the reason.
    problems: Vec<(usize, String)>,
}

/// Which section the lines being read belong to.
#[derive(Clone, Copy)]
enum Place {
    BeforeAny,
    Section(usize),
    Defaults,
    /// A repeated section: its lines are read, and dropped with the file.
    Repeat,
}

impl<'a> Ini<'a> {
    fn read(text: &'a str) -> Ini<'a> {
        let mut ini = Ini { sections: Vec::new(), defaults: Section::new("DEFAULT", 0), problems: Vec::new() };
        let mut repeat = Section::new("", 0);
        let mut places: HashMap<&str, usize> = HashMap::new();
        let mut place = Place::BeforeAny;
        // The key whose value the next deeper-indented line continues, and its line's indent.
        let mut key: Option<usize> = None;
        let mut indent_level = 0;
        for (index, raw) in lines(text).enumerate() {
            let line = index + 1;
            let content = strip(raw);
            let comment = content.starts_with(['#', ';']);
            let section = match place {
                Place::BeforeAny => None,
                Place::Section(at) => Some(&mut ini.sections[at]),
                Place::Defaults => Some(&mut ini.defaults),
                Place::Repeat => Some(&mut repeat),
            };
            let current = section.and_then(|s| key.map(|at| &mut s.keys[at]));
            if content.is_empty() || comment {
                // A blank line is part of a value (a comment is not), as configparser keeps it.
                if let (false, Some(current)) = (comment, current) {
                    current.pieces.push(Piece { line, text: "" });
                }
                continue;
            }
            let indent = raw.chars().take_while(|&c| is_space(c)).count();
            if let Some(current) = current.filter(|_| indent > indent_level) {
                current.pieces.push(Piece { line, text: content });
                continue;
            }
            indent_level = indent;
            if let Some(header) = header_of(content) {
                key = None;
                place = if header == "DEFAULT" {
                    Place::Defaults
                } else if let Some(&first) = places.get(header) {
                    let first = ini.sections[first].line;
                    ini.problems.push((
                        line,
                        format!(
                            "[{header}] is repeated (first on line {first}); the AWS CLI refuses a repeated section"
                        ),
                    ));
                    repeat = Section::new(header, line);
                    Place::Repeat
                } else {
                    places.insert(header, ini.sections.len());
                    ini.sections.push(Section::new(header, line));
                    Place::Section(ini.sections.len() - 1)
                };
                continue;
            }
            let section = match place {
                Place::BeforeAny => {
                    ini.problems.push((
                        line,
                        format!("'{content}' comes before any [section]; the AWS CLI refuses a file that does not start with one"),
                    ));
                    continue;
                }
                Place::Section(at) => &mut ini.sections[at],
                Place::Defaults => &mut ini.defaults,
                Place::Repeat => &mut repeat,
            };
            match key_value_of(content) {
                Some(("", _)) => {
                    ini.problems.push((line, format!("'{content}' has no key before its '=' or ':'")));
                    key = None;
                }
                Some((name, value)) => {
                    let name = name.to_lowercase();
                    if let Some(first) = section.own(&name).map(Key::line) {
                        ini.problems.push((
                            line,
                            format!(
                                "'{name}' is repeated in [{}] (first on line {first}); the AWS CLI refuses a repeated key",
                                section.header
                            ),
                        ));
                        key = None;
                        continue;
                    }
                    section.places.insert(name.clone(), section.keys.len());
                    key = Some(section.keys.len());
                    section.keys.push(Key { name, pieces: vec![Piece { line, text: value }], joined: OnceCell::new() });
                }
                None => ini.problems.push((
                    line,
                    format!("'{content}' is neither a [section] nor key = value; the AWS CLI refuses a file with such a line"),
                )),
            }
        }
        ini.check_sub_keys();
        ini
    }

    /// A sub-key line without `=` is refused where a section has the key: the AWS CLI reads
    /// `[DEFAULT]`'s keys only through the sections that do not set their own.
    fn check_sub_keys(&mut self) {
        let sections = &self.sections;
        let defaults = self.defaults.keys.iter().filter(|key| sections.iter().any(|s| s.own(&key.name).is_none()));
        let bad = sections.iter().flat_map(|s| &s.keys).chain(defaults).filter_map(|key| {
            key.bad_sub_key().map(|(line, sub)| {
                (line, format!("'{sub}' under '{}' is not key = value; the AWS CLI refuses it", key.name))
            })
        });
        let bad: Vec<_> = bad.collect();
        self.problems.extend(bad);
        self.problems.sort_by_key(|(line, _)| *line);
    }

    /// A section's key: its own, or `[DEFAULT]`'s.
    fn get<'s>(&'s self, section: &'s Section<'a>, name: &str) -> Option<&'s Key<'a>> {
        section.own(name).or_else(|| self.defaults.own(name))
    }

    fn text<'s>(&'s self, section: &'s Section<'a>, name: &str) -> Option<&'s str> {
        self.get(section, name).and_then(Key::text)
    }
}

/// Python's `shlex.split`: words split at spaces, tabs and line ends, with quotes and backslash
/// escapes as a POSIX shell reads them; `None` where Python raises (an unclosed quote, a trailing
/// backslash).
fn shell_words(text: &str) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Between,
        Word,
        Quoted(char),
        Escaped { inside_double_quotes: bool },
    }
    let mut words = Vec::new();
    let mut word = String::new();
    // A word that had quotes is a word even when empty: `''`.
    let mut had_quotes = false;
    let mut state = State::Between;
    for c in text.chars() {
        let space = matches!(c, ' ' | '\t' | '\r' | '\n');
        state = match state {
            State::Between | State::Word if space => {
                if state == State::Word {
                    words.push(std::mem::take(&mut word));
                    had_quotes = false;
                }
                State::Between
            }
            State::Between | State::Word => match c {
                '\\' => State::Escaped { inside_double_quotes: false },
                '"' | '\'' => {
                    had_quotes = true;
                    State::Quoted(c)
                }
                _ => {
                    word.push(c);
                    State::Word
                }
            },
            State::Quoted(quote) if c == quote => State::Word,
            State::Quoted('"') if c == '\\' => State::Escaped { inside_double_quotes: true },
            State::Quoted(quote) => {
                word.push(c);
                State::Quoted(quote)
            }
            State::Escaped { inside_double_quotes } => {
                // Inside double quotes a backslash escapes only `"` and `\`; before anything else it stays.
                if inside_double_quotes && c != '"' && c != '\\' {
                    word.push('\\');
                }
                word.push(c);
                if inside_double_quotes {
                    State::Quoted('"')
                } else {
                    State::Word
                }
            }
        };
    }
    match state {
        State::Quoted(_) | State::Escaped { .. } => None,
        State::Word => {
            words.push(word);
            Some(words)
        }
        State::Between => {
            if had_quotes {
                words.push(word);
            }
            Some(words)
        }
    }
}

/// What a section is to the AWS CLI.
enum Kind {
    Profile(String),
    SsoSession(String),
    Services,
    /// Not a profile, with the reason.
    Other(String),
}

/// `[profile x]` → `Profile(x)`: the header split as a shell splits words must be two words.
fn kind_of(header: &str) -> Kind {
    let named = |prefix: &str, make: fn(String) -> Kind| {
        match shell_words(header) {
        Some(mut words) if words.len() == 2 => make(words.pop().unwrap_or_default()),
        Some(words) => Kind::Other(format!(
            "[{header}] is {} word{} where the AWS CLI takes '{prefix} <name>' (quote a name with spaces), so it names no {prefix}",
            words.len(),
            if words.len() == 1 { "" } else { "s" },
        )),
        None => Kind::Other(format!(
            "[{header}] has an unclosed quote or ends in a backslash, so the AWS CLI takes it for no {prefix}"
        )),
    }
    };
    if header.starts_with("profile") {
        named("profile", Kind::Profile)
    } else if header.starts_with("sso-session") {
        named("sso-session", Kind::SsoSession)
    } else if header.starts_with("services") {
        Kind::Services
    } else if header == "default" {
        Kind::Profile("default".to_owned())
    } else {
        Kind::Other(format!(
            "[{header}] is not a profile: the AWS CLI reads profiles from [profile <name>] and [default] in this file (a [<name>] profile belongs in ~/.aws/credentials)"
        ))
    }
}

/// A role ARN as IAM writes it: `arn:<partition>:iam::<12 digits>:role/<path/>Name`.
struct RoleArn {
    partition: Partition,
    account: String,
    /// The role name with its path, as the switch-role form takes it.
    role: String,
}

/// The characters IAM allows in a role or permission set name (and, with `/`, its path).
fn is_iam_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

fn role_arn(text: &str) -> Option<RoleArn> {
    let mut fields = text.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) =
        (fields.next(), fields.next(), fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return None;
    };
    let partition = Partition::from_arn_field(partition)?;
    let role = resource.strip_prefix("role/")?;
    let (path, name) = role.rsplit_once('/').unwrap_or(("", role));
    let path_ok = path.is_empty() || path.split('/').all(is_iam_name);
    (is_account_id(account) && is_iam_name(name) && path_ok).then(|| RoleArn {
        partition,
        account: account.to_owned(),
        role: role.to_owned(),
    })
}

/// The profiles and sso-sessions of a file, as the AWS CLI maps them.
struct Profiles<'i, 'a> {
    ini: &'i Ini<'a>,
    /// Each section's kind, in section order.
    kinds: Vec<Kind>,
    /// Profile name → the section that counts (the last of that name), in the order first named.
    profiles: Vec<(String, usize)>,
    profile_places: HashMap<String, usize>,
    sessions: HashMap<String, usize>,
    /// A section that a later one of the same name replaced → that later section.
    replaced_by: HashMap<usize, usize>,
}

/// A profile that became a switch target.
struct Converted {
    account: String,
    /// The role ARN's partition; `None` for an Identity Center role.
    partition: Option<Partition>,
    /// The keys the target took, which may be `[DEFAULT]`'s.
    used: Vec<&'static str>,
}

/// How a profile's `source_profile` chain ends.
#[derive(Clone)]
enum Chain {
    /// At a profile that names no source (or names itself and has keys of its own).
    Ends,
    /// At a name that is no profile of this file.
    Missing(String),
    /// Never: the names of the loop.
    Loops(Vec<String>),
}

impl<'i, 'a> Profiles<'i, 'a> {
    fn of(ini: &'i Ini<'a>) -> Self {
        let kinds: Vec<Kind> = ini.sections.iter().map(|s| kind_of(s.header)).collect();
        let mut profiles: Vec<(String, usize)> = Vec::new();
        let mut profile_places: HashMap<String, usize> = HashMap::new();
        let mut sessions: HashMap<String, usize> = HashMap::new();
        let mut replaced_by = HashMap::new();
        for (at, kind) in kinds.iter().enumerate() {
            match kind {
                Kind::Profile(name) => match profile_places.get(name) {
                    Some(&place) => {
                        replaced_by.insert(profiles[place].1, at);
                        profiles[place].1 = at;
                    }
                    None => {
                        profile_places.insert(name.clone(), profiles.len());
                        profiles.push((name.clone(), at));
                    }
                },
                Kind::SsoSession(name) => {
                    if let Some(earlier) = sessions.insert(name.clone(), at) {
                        replaced_by.insert(earlier, at);
                    }
                }
                Kind::Services | Kind::Other(_) => {}
            }
        }
        Profiles { ini, kinds, profiles, profile_places, sessions, replaced_by }
    }

    /// Where each profile's `source_profile` chain ends, each chain walked once.
    fn chains(&self) -> Vec<Chain> {
        let mut ends: Vec<Option<Chain>> = vec![None; self.profiles.len()];
        for start in 0..self.profiles.len() {
            let mut path: Vec<usize> = Vec::new();
            let mut on_path: HashMap<usize, usize> = HashMap::new();
            let mut at = start;
            let end = loop {
                if let Some(end) = &ends[at] {
                    break end.clone();
                }
                let (name, section) = (&self.profiles[at].0, &self.ini.sections[self.profiles[at].1]);
                let Some(source) = self.ini.text(section, "source_profile") else {
                    break Chain::Ends;
                };
                // A profile may name itself when it holds its own keys (botocore allows that).
                let own_keys = ["aws_access_key_id", "aws_secret_access_key"]
                    .iter()
                    .any(|key| self.ini.get(section, key).is_some());
                if source == name.as_str() && own_keys {
                    break Chain::Ends;
                }
                if let Some(&from) = on_path.get(&at) {
                    break Chain::Loops(path[from..].iter().map(|&p| self.profiles[p].0.clone()).collect());
                }
                on_path.insert(at, path.len());
                path.push(at);
                match self.profile_places.get(source) {
                    Some(&next) => at = next,
                    None => break Chain::Missing(source.to_owned()),
                }
            };
            for place in path {
                ends[place] = Some(end.clone());
            }
            ends[start].get_or_insert(end);
        }
        ends.into_iter().map(|end| end.unwrap_or(Chain::Ends)).collect()
    }

    fn convert(&self, out: &mut Output, report: &mut Vec<LineReport>) {
        let ini = self.ini;
        let chains = self.chains();
        // How many targets took each `[DEFAULT]` key.
        let mut defaults_taken: HashMap<&str, usize> = HashMap::new();
        let mut targets: HashMap<usize, (String, Option<Partition>)> = HashMap::new();
        for ((name, at), chain) in self.profiles.iter().zip(&chains) {
            let section = &ini.sections[*at];
            if let Some(Converted { account, partition, used }) = self.profile(name, section, chain, out, report) {
                for key in used {
                    if section.own(key).is_none() && ini.defaults.own(key).is_some() {
                        *defaults_taken.entry(key).or_default() += 1;
                    }
                }
                targets.insert(*at, (account, partition));
            }
        }
        for (at, section) in ini.sections.iter().enumerate() {
            if let Some(later) = self.replaced_by.get(&at) {
                let later = &ini.sections[*later];
                ignored(
                    report,
                    section.line,
                    format!(
                        "[{}] is replaced by [{}] on line {}, which names the same; the AWS CLI reads the later one",
                        section.header, later.header, later.line
                    ),
                );
                for key in &section.keys {
                    ignored(report, key.line(), format!("'{}' is left out with [{}]", key.name, section.header));
                    continuations(key, report);
                }
                continue;
            }
            match &self.kinds[at] {
                Kind::Profile(_) => {
                    if let Some((account, partition)) = targets.get(&at) {
                        let elsewhere = match partition {
                            Some(p) if *p != Partition::Aws => {
                                format!(" (partition {}: switch from one of its console pages)", p.as_str())
                            }
                            _ => String::new(),
                        };
                        converted(
                            report,
                            section.line,
                            format!("[{}] → a switch target for account {account}{elsewhere}", section.header),
                        );
                    } else {
                        ignored(
                            report,
                            section.line,
                            format!("[{}] has no role_arn and no sso_account_id with sso_role_name", section.header),
                        );
                    }
                }
                Kind::SsoSession(name) => self.session(name, section, report),
                Kind::Services => {
                    ignored(
                        report,
                        section.line,
                        format!("[{}] sets endpoints for AWS's SDKs, which the console does not need", section.header),
                    );
                    for key in &section.keys {
                        ignored(report, key.line(), format!("'{}' is not needed to switch in the console", key.name));
                        continuations(key, report);
                    }
                }
                Kind::Other(why) => {
                    ignored(report, section.line, why.clone());
                    for key in &section.keys {
                        ignored(report, key.line(), format!("'{}' is left out with [{}]", key.name, section.header));
                        continuations(key, report);
                    }
                }
            }
        }
        for key in &ini.defaults.keys {
            match defaults_taken.get(key.name.as_str()) {
                Some(count) => converted(
                    report,
                    key.line(),
                    format!("'{}' of [DEFAULT] → the {count} target(s) that do not set their own", key.name),
                ),
                None => ignored(
                    report,
                    key.line(),
                    format!(
                        "'{}' of [DEFAULT] is taken by no switch target (every section has the keys of [DEFAULT])",
                        key.name
                    ),
                ),
            }
            continuations(key, report);
        }
    }

    /// Converts one profile: its target, if it has one (the account, the role's partition and
    /// the keys it took), and a report on each of its own keys.
    fn profile(
        &self,
        name: &str,
        section: &Section<'a>,
        chain: &Chain,
        out: &mut Output,
        report: &mut Vec<LineReport>,
    ) -> Option<Converted> {
        let ini = self.ini;
        let text = |key: &str| ini.text(section, key);
        let session_name = text("sso_session");
        let session = session_name.and_then(|n| self.sessions.get(n)).map(|&at| &ini.sections[at]);
        // With an sso_session, the AWS CLI takes the portal from that session.
        let portal = match &session_name {
            Some(_) => session.and_then(|s| ini.text(s, "sso_start_url")),
            None => text("sso_start_url"),
        };
        let portal_refused = portal.and_then(|p| check_portal_url(p).err());
        let arn_text = text("role_arn");
        let arn = arn_text.and_then(role_arn);
        let sso_account = text("sso_account_id").filter(|a| is_account_id(a));
        let sso_role = text("sso_role_name").filter(|r| is_iam_name(r));
        let (account, role, partition, used) = match (&arn, &sso_account, &sso_role) {
            (Some(arn), ..) => {
                (Some(arn.account.clone()), Some(arn.role.clone()), Some(arn.partition), vec!["role_arn", "region"])
            }
            (None, Some(account), Some(role)) if portal_refused.is_none() => (
                Some(account.to_string()),
                Some(role.to_string()),
                None,
                vec!["sso_account_id", "sso_role_name", "region", "sso_session", "sso_start_url"],
            ),
            _ => (None, None, None, Vec::new()),
        };
        let target = account.is_some();
        let both_sources =
            ini.get(section, "source_profile").is_some() && ini.get(section, "credential_source").is_some();
        for key in &section.keys {
            let value = key.value();
            let (outcome, message) = match (key.name.as_str(), &value) {
                (key_name, Value::SubKeys) => {
                    (Outcome::Ignored, format!("'{key_name}' holds indented sub-keys, which switching does not need"))
                }
                ("role_arn", Value::Text(v)) if arn.is_none() => {
                    (Outcome::Ignored, format!("'{v}' is not a role ARN such as arn:aws:iam::111122223333:role/Name"))
                }
                ("sso_account_id", Value::Text(v)) if sso_account.is_none() => {
                    (Outcome::Ignored, format!("'{v}' is not an account id of 12 digits"))
                }
                ("sso_role_name", Value::Text(v)) if sso_role.is_none() => {
                    (Outcome::Ignored, format!("'{v}' is not a permission set name"))
                }
                ("sso_start_url", _) if portal_refused.is_some() && session_name.is_none() => {
                    (Outcome::Refused, format!("refused: {}", portal_refused.as_deref().unwrap_or_default()))
                }
                ("sso_start_url", Value::Text(v)) if session_name.is_some() => match &portal {
                    Some(p) if **p == **v => (Outcome::Converted, "the same portal as the profile's sso-session".to_owned()),
                    _ => (
                        Outcome::Ignored,
                        "the AWS CLI takes the portal from the profile's sso-session, and refuses a profile whose own differs".to_owned(),
                    ),
                },
                ("sso_session", Value::Text(v)) if session.is_none() => {
                    (Outcome::Ignored, format!("[sso-session {v}] is not in this file, so the target has no portal"))
                }
                ("sso_session", _) if portal_refused.is_some() => (
                    Outcome::Ignored,
                    "its sso-session's portal is refused (see that line), so the profile is not imported".to_owned(),
                ),
                ("region", Value::Text(v)) if !is_region(v) => {
                    (Outcome::Ignored, format!("'{v}' is not a region, expected one such as eu-west-2"))
                }
                ("role_arn" | "region", _) if target => {
                    (Outcome::Converted, format!("{} → target [{}]", key.name, section.header))
                }
                ("sso_account_id" | "sso_role_name", _) if target && arn.is_none() => {
                    (Outcome::Converted, format!("{} → target [{}]", key.name, section.header))
                }
                ("sso_session" | "sso_start_url", _) if target && arn.is_none() => {
                    (Outcome::Converted, "the Identity Center portal to switch through".to_owned())
                }
                ("source_profile", Value::Text(source)) if target => match chain {
                    _ if both_sources => (
                        Outcome::Ignored,
                        "the profile has both source_profile and credential_source, which the AWS CLI refuses; the console switch needs only the role".to_owned(),
                    ),
                    Chain::Ends => (
                        Outcome::Converted,
                        format!("signs in through profile '{source}'; the console switch needs only the role"),
                    ),
                    Chain::Missing(missing) => (
                        Outcome::Ignored,
                        format!("source_profile '{missing}' is not a profile in this file; the console switch needs only the role"),
                    ),
                    Chain::Loops(names) => (Outcome::Ignored, loop_message(names)),
                },
                ("credential_source", Value::Text(source)) if target && !both_sources => (
                    Outcome::Converted,
                    format!("signs in with {source}; the console switch needs only the role"),
                ),
                (other, _) => (Outcome::Ignored, format!("'{other}' is not needed to switch in the console")),
            };
            add(report, key.line(), outcome, message);
            continuations(key, report);
        }
        let (Some(account), Some(role)) = (account, role) else {
            return None;
        };
        let region = text("region");
        let portal = portal.filter(|_| arn.is_none());
        let written =
            out.target(AwsTarget { label: name, account: account.clone(), role, region, colour: None, portal });
        if !written {
            return None;
        }
        out.environment(&account, name, &[name], section.line);
        Some(Converted { account, partition, used })
    }

    fn session(&self, name: &str, section: &Section<'a>, report: &mut Vec<LineReport>) {
        for key in &section.keys {
            match (key.name.as_str(), key.value()) {
                ("sso_start_url", Value::Text(url)) => match check_portal_url(url) {
                    Ok(()) => converted(report, key.line(), format!("portal of sso-session '{name}'")),
                    Err(why) => add(report, key.line(), Outcome::Refused, format!("refused: {why}")),
                },
                (other, _) => ignored(report, key.line(), format!("'{other}' is not needed to switch")),
            }
            continuations(key, report);
        }
        ignored(report, section.line, format!("[{}] holds sign-in settings that profiles name", section.header));
    }
}

/// Reports the continuation lines of a key's value, which belong to that key.
fn continuations(key: &Key, report: &mut Vec<LineReport>) {
    for piece in key.pieces.iter().skip(1).filter(|p| !p.text.is_empty()) {
        ignored(report, piece.line, format!("part of the value of '{}' on line {}", key.name, key.line()));
    }
}

/// How many names of a `source_profile` loop a message shows.
const LOOP_NAMES_SHOWN: usize = 4;

fn loop_message(names: &[String]) -> String {
    let mut shown: Vec<&str> = names.iter().take(LOOP_NAMES_SHOWN).map(String::as_str).collect();
    if names.len() > LOOP_NAMES_SHOWN {
        shown.push("…");
    }
    shown.push(names.first().map_or("", String::as_str));
    format!(
        "source_profile goes round in a loop ({}), which the AWS CLI refuses; the console switch needs only the role",
        shown.join(" → ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_split_as_a_posix_shell_splits_words() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            ("profile dev", Some(&["profile", "dev"])),
            ("profile  dev ", Some(&["profile", "dev"])),
            ("profile \"my app\"", Some(&["profile", "my app"])),
            ("profile 'a b'c", Some(&["profile", "a bc"])),
            ("profile a\\ b", Some(&["profile", "a b"])),
            ("profile \"a\\\"b\\x\"", Some(&["profile", "a\"b\\x"])),
            ("profile ''", Some(&["profile", ""])),
            ("profile", Some(&["profile"])),
            ("profile \"open", None),
            ("profile a\\", None),
            ("profile\ta\u{a0}b", Some(&["profile", "a\u{a0}b"])),
        ];
        for (text, expected) in cases {
            let words = shell_words(text);
            assert_eq!(
                words.as_deref().map(|w| w.iter().map(String::as_str).collect::<Vec<_>>()),
                expected.map(<[&str]>::to_vec),
                "{text:?}"
            );
        }
    }

    #[test]
    fn lines_end_as_python_ends_them() {
        let found: Vec<&str> = lines("a\r\nb\rc\n\nd").collect();
        assert_eq!(found, ["a", "b", "c", "", "d"]);
    }

    #[test]
    fn role_arns_of_every_partition_and_with_paths() {
        let role = |t: &str| role_arn(t).map(|a| (a.partition.as_str(), a.account, a.role));
        assert_eq!(role("arn:aws:iam::111122223333:role/Admin"), Some(("aws", "111122223333".into(), "Admin".into())));
        assert_eq!(
            role("arn:aws-cn:iam::111122223333:role/ops/Admin"),
            Some(("aws-cn", "111122223333".into(), "ops/Admin".into()))
        );
        for refused in [
            "arn:aws:iam::1111-2222-3333:role/Admin",
            "arn:aws:iam::111122223333:user/jane",
            "arn:aws:sts::111122223333:assumed-role/Admin/jane",
            "arn:aws:iam::111122223333:role/Ad min",
            "arn:aws:iam::111122223333:role/",
            "arn:other:iam::111122223333:role/Admin",
        ] {
            assert!(role(refused).is_none(), "{refused}");
        }
    }
}
