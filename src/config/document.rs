//! The configuration text: TOML, read by [`crate::toml`], then checked key by key so that every
//! problem says where it is, what is wrong and what is expected.

use serde::Serialize;

use crate::text::hash::fnv1a;
use crate::text::node::{Node, Table};

use crate::config::locator::{Locator, Path};
use crate::config::{Config, DangerSettings, EnvironmentDef, RoleRule, Rule, Scope, Target};
use crate::model::EnvironmentKind;
use crate::model::Privilege;
use crate::model::{is_region, Provider};
use crate::model::{Colour, MIN_CONTRAST};
use crate::text::pattern::is_pattern;
use crate::text::portal_url::check_portal_url;

/// How bad a problem is: errors stop a configuration from being used, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The configuration cannot be used.
    Error,
    /// Worth a second look; the configuration is used all the same.
    Warning,
}

/// A problem at a line and column (both from 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Line of the problem, from 1.
    pub line: usize,
    /// Column of the problem, from 1.
    pub column: usize,
    /// Whether the problem stops the configuration from being used.
    pub level: Level,
    /// What is wrong and what is expected.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "line {}, column {}: {level}: {}", self.line, self.column, self.message)
    }
}

/// A configuration that can be used, and what is worth a second look in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// The checked configuration, ready to use.
    pub config: Config,
    /// Problems that did not stop it, in text order.
    pub warnings: Vec<Diagnostic>,
}

/// Reads a configuration text. On failure, every error (and warning) found, in text order.
///
/// ```
/// use redline::parse_config;
/// let loaded = parse_config("[[environments]]\nname = \"prod\"\nkind = \"prod\"\n").unwrap();
/// assert_eq!(loaded.config.environments[0].name, "prod");
/// let errors = parse_config("[[environments]]\nname = \"prod\"\nkind = \"production\"\n").unwrap_err();
/// assert_eq!((errors[0].line, errors[0].column), (3, 1));
/// assert!(errors[0].message.contains("expected one of prod, staging, ci, dev"));
/// ```
pub fn parse_config(text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let refuse = |line, column, message| Err(vec![Diagnostic { line, column, level: Level::Error, message }]);
    if text.len() > MAX_TEXT_BYTES {
        return refuse(
            1,
            1,
            format!("the text is {} bytes, over the limit of {MAX_TEXT_BYTES} bytes (2 MiB); expected a smaller configuration", text.len()),
        );
    }
    let value = match crate::config::toml::parse(text) {
        Ok(value) => value,
        Err(error) => return refuse(error.line, error.column, format!("not valid TOML: {}", error.message)),
    };
    let mut reader = Reader { text, locator: None, found: Vec::new(), unlisted: 0, unlisted_errors: 0 };
    let mut config = reader.config(&value);
    reader.check(&config);
    add_kind_environments(&mut config);
    let mut found = reader.found;
    if reader.unlisted > 0 {
        let (line, column) = found.last().map_or((1, 1), |d| (d.line, d.column));
        let level = if reader.unlisted_errors > 0 { Level::Error } else { Level::Warning };
        let message = format!("and {} more problems, not listed: fix the ones above first", reader.unlisted);
        found.push(Diagnostic { line, column, level, message });
    }
    if found.iter().any(|d| d.level == Level::Error) {
        Err(found)
    } else {
        Ok(Loaded { config, warnings: found })
    }
}

/// `text` as a TOML basic string: quotes, backslashes and every control character (U+007F
/// included, which JSON-style quoting leaves raw and TOML refuses) escaped.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How many problems of one text are listed, each at its place; the rest are counted.
const MAX_DIAGNOSTICS: usize = 200;

/// The largest configuration text read: far above any real one (5,000 profiles are 865 KB), and
/// small enough that reading it never stalls the worker that serves every tab.
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;

const SECTIONS: &[&str] = &["environments", "aws", "azure", "gcp", "aiven", "targets", "danger"];
const ENVIRONMENT_KEYS: &[&str] = &["name", "kind", "colour", "text", "label", "guard"];
const DANGER_KEYS: &[&str] = &["acknowledge", "reminder_minutes", "verbs"];
const RULE_KEYS: &[&str] = &["id", "name", "environment", "role", "label", "locked"];
const ROLE_KEYS: &[&str] = &["name", "privilege"];
const TARGET_KEYS: &[&str] =
    &["provider", "label", "account", "role", "region", "colour", "tenant", "app", "project", "portal", "environment"];

struct Reader<'t> {
    text: &'t str,
    /// Built on the first problem: a valid text never needs positions.
    locator: Option<Locator>,
    found: Vec<Diagnostic>,
    /// Problems past the first `MAX_DIAGNOSTICS`, counted but neither located nor worded: a text
    /// of 40,000 mistakes costs no more than the first few hundred a person can read.
    unlisted: usize,
    unlisted_errors: usize,
}

impl Reader<'_> {
    fn report(&mut self, level: Level, path: &Path, message: String) {
        if self.full() {
            self.unlisted += 1;
            self.unlisted_errors += usize::from(level == Level::Error);
            return;
        }
        let text = self.text;
        let (line, column) = self.locator.get_or_insert_with(|| Locator::new(text)).find(path);
        let message = if path.is_root() { message } else { format!("{path}: {message}") };
        // Kept in text order as they come, rather than sorted after: a sort costs kilobytes of wasm.
        let at = self.found.partition_point(|d| (d.line, d.column) <= (line, column));
        self.found.insert(at, Diagnostic { line, column, level, message });
    }

    /// Whether the problems that will be listed are all found.
    fn full(&self) -> bool {
        self.found.len() >= MAX_DIAGNOSTICS
    }

    fn error(&mut self, path: &Path, message: String) {
        self.report(Level::Error, path, message);
    }

    fn warn(&mut self, path: &Path, message: String) {
        self.report(Level::Warning, path, message);
    }

    /// `value` as a table whose keys are all in `allowed`.
    fn table<'v>(&mut self, value: &'v Node<'v>, path: &Path, allowed: &[&str]) -> Option<&'v Table<'v>> {
        let Node::Table(table) = value else {
            self.error(path, format!("is {}, expected a table", value.kind()));
            return None;
        };
        for key in table.keys().filter(|k| !allowed.contains(&k.as_ref())) {
            if self.full() {
                (self.unlisted, self.unlisted_errors) = (self.unlisted + 1, self.unlisted_errors + 1);
                continue;
            }
            self.error(&path.key(key), format!("unknown key '{key}', expected one of {}", allowed.join(", ")));
        }
        Some(table)
    }

    /// `table[key]` (at `path`) as an array of tables; absent is empty.
    fn tables<'v>(&mut self, table: &'v Table<'v>, key: &str, path: &Path) -> &'v [Node<'v>] {
        match table.get(key) {
            None => &[],
            Some(Node::List(items)) => items,
            Some(other) => {
                self.error(path, format!("is {}, expected an array of tables ([[{path}]])", other.kind()));
                &[]
            }
        }
    }

    fn text(&mut self, table: &Table, key: &str, path: &Path) -> Option<String> {
        match table.get(key)? {
            Node::Text(text) => {
                // Most values have no blank at either end: trim only when one may have (every
                // character `trim` takes is a control, a space or beyond ASCII).
                let blank = |b: Option<&u8>| b.is_none_or(|&b| b <= b' ' || b >= 0x7f);
                let text =
                    if blank(text.as_bytes().first()) || blank(text.as_bytes().last()) { text.trim() } else { text };
                if text.is_empty() {
                    self.error(&path.key(key), "is empty, expected a value".to_owned());
                    return None;
                }
                Some(text.to_owned())
            }
            other => {
                self.error(&path.key(key), format!("is {}, expected a string", other.kind()));
                None
            }
        }
    }

    fn required(&mut self, table: &Table, key: &str, path: &Path, expected: &str) -> Option<String> {
        if !table.contains_key(key) {
            self.error(path, format!("has no '{key}', expected {expected}"));
        }
        self.text(table, key, path)
    }

    fn colour(&mut self, table: &Table, key: &str, path: &Path) -> Option<String> {
        let colour = self.text(table, key, path)?;
        if Colour::parse(&colour).is_none() {
            self.error(&path.key(key), format!("'{colour}' is not a colour, expected #RRGGBB"));
        }
        Some(colour)
    }

    fn flag(&mut self, table: &Table, key: &str, path: &Path) -> bool {
        match table.get(key) {
            None => false,
            Some(Node::Bool(flag)) => *flag,
            Some(other) => {
                self.error(&path.key(key), format!("is {}, expected true or false", other.kind()));
                false
            }
        }
    }

    fn config(&mut self, root: &Node) -> Config {
        let Some(root) = self.table(root, &Path::Root, SECTIONS) else { return Config::default() };
        let mut config = Config::default();
        let list = Path::Root.key("environments");
        for (i, item) in self.tables(root, "environments", &list).iter().enumerate() {
            if let Some(environment) = self.environment(item, &list.index(i)) {
                config.environments.push(environment);
            }
        }
        for provider in Provider::ALL {
            let keys: Vec<&str> = Scope::of(provider).map(Scope::key).chain(["roles"]).collect();
            if let Some(section) = self.section(root, provider.as_str(), &keys) {
                let path = Path::Root.key(provider.as_str());
                for scope in Scope::of(provider) {
                    *config.rules_mut(scope) = self.rules(section, scope.key(), &path);
                }
                *config.roles_mut(provider) = self.roles(section, &path);
            }
        }
        let list = Path::Root.key("targets");
        for (i, item) in self.tables(root, "targets", &list).iter().enumerate() {
            if let Some(target) = self.target(item, &list.index(i)) {
                config.targets.push(target);
            }
        }
        if let Some(danger) = self.section(root, "danger", DANGER_KEYS) {
            config.danger = Some(self.danger(danger, &Path::Root.key("danger")));
        }
        config
    }

    fn danger(&mut self, table: &Table, path: &Path) -> DangerSettings {
        let mut settings = DangerSettings::default();
        if table.contains_key("acknowledge") {
            settings.acknowledge = self.flag(table, "acknowledge", path);
        }
        match table.get("reminder_minutes") {
            None => {}
            Some(Node::Integer(minutes @ 1..=1440)) => settings.reminder_minutes = *minutes as u32,
            Some(other) => self.error(
                &path.key("reminder_minutes"),
                format!("is {}, expected a whole number of minutes from 1 to 1440", describe(other)),
            ),
        }
        match table.get("verbs") {
            None => {}
            Some(Node::List(items)) if !items.is_empty() => {
                settings.verbs.clear();
                for (i, item) in items.iter().enumerate() {
                    let word = if let Node::Text(text) = item { Some(text.trim()) } else { None };
                    match word {
                        // A verb of punctuation only has no token for the guard's matcher to find.
                        Some(verb)
                            if !verb.contains(char::is_whitespace)
                                && verb.chars().any(|c| c.is_ascii_alphanumeric() || !c.is_ascii()) =>
                        {
                            settings.verbs.push(verb.to_owned());
                        }
                        _ => self.error(
                            &path.key("verbs").index(i),
                            format!("is {}, expected one word with letters or digits", describe(item)),
                        ),
                    }
                }
            }
            Some(other) => {
                self.error(&path.key("verbs"), format!("is {}, expected a list of words", describe(other)));
            }
        }
        settings
    }

    /// A provider's section, `[aws]` and the like, with its known keys.
    fn section<'v>(&mut self, root: &'v Table<'v>, name: &str, keys: &[&str]) -> Option<&'v Table<'v>> {
        root.get(name).and_then(|value| self.table(value, &Path::Root.key(name), keys))
    }

    fn environment(&mut self, item: &Node, path: &Path) -> Option<EnvironmentDef> {
        let table = self.table(item, path, ENVIRONMENT_KEYS)?;
        let name = self.required(table, "name", path, "a name such as \"prod\"");
        let kind = self.required(table, "kind", path, "one of prod, staging, ci, dev").and_then(|kind| {
            let parsed = EnvironmentKind::parse(&kind).filter(|k| *k != EnvironmentKind::Unknown);
            if parsed.is_none() {
                self.error(
                    &path.key("kind"),
                    format!("'{kind}' is not a kind, expected one of prod, staging, ci, dev"),
                );
            }
            parsed
        });
        let colour = self.colour(table, "colour", path);
        let text = self.colour(table, "text", path);
        let label = self.text(table, "label", path);
        let guard = table.contains_key("guard").then(|| self.flag(table, "guard", path));
        Some(EnvironmentDef { name: name?, kind: kind?, colour, label, text, guard })
    }

    fn rules(&mut self, section: &Table, key: &str, path: &Path) -> Vec<Rule> {
        let mut rules = Vec::new();
        let list = path.key(key);
        for (i, item) in self.tables(section, key, &list).iter().enumerate() {
            let path = list.index(i);
            let Some(table) = self.table(item, &path, RULE_KEYS) else { continue };
            let rule = Rule {
                id: self.text(table, "id", &path),
                name: self.text(table, "name", &path),
                environment: self.text(table, "environment", &path),
                role: self.text(table, "role", &path),
                label: self.text(table, "label", &path),
                locked: self.flag(table, "locked", &path),
                managed: false,
                origin: crate::config::Origin::Written,
            };
            if !table.contains_key("id") && !table.contains_key("name") {
                self.error(&path, "has neither 'id' nor 'name', expected at least one to match by".to_owned());
            }
            if !["environment", "role", "label"].iter().any(|k| table.contains_key(k)) {
                self.warn(&path, "has no 'environment', 'role' or 'label', so it never decides anything".to_owned());
            }
            rules.push(rule);
        }
        rules
    }

    fn roles(&mut self, section: &Table, path: &Path) -> Vec<RoleRule> {
        let mut roles = Vec::new();
        let list = path.key("roles");
        for (i, item) in self.tables(section, "roles", &list).iter().enumerate() {
            let path = list.index(i);
            let Some(table) = self.table(item, &path, ROLE_KEYS) else { continue };
            let name = self.required(table, "name", &path, "the role's name");
            let privilege = self.required(table, "privilege", &path, "one of readonly, write, admin").and_then(|p| {
                let parsed = Privilege::parse(&p).filter(|p| *p != Privilege::Unknown);
                if parsed.is_none() {
                    self.error(
                        &path.key("privilege"),
                        format!("'{p}' is not a privilege, expected one of readonly, write, admin"),
                    );
                }
                parsed
            });
            if let (Some(name), Some(privilege)) = (name, privilege) {
                roles.push(RoleRule { name, privilege });
            }
        }
        roles
    }

    fn target(&mut self, item: &Node, path: &Path) -> Option<Target> {
        let table = self.table(item, path, TARGET_KEYS)?;
        let provider = self.required(table, "provider", path, "one of aws, azure, gcp, aiven").and_then(|p| {
            let parsed = Provider::parse(&p);
            if parsed.is_none() {
                self.error(
                    &path.key("provider"),
                    format!("'{p}' is not a provider, expected one of aws, azure, gcp, aiven"),
                );
            }
            parsed
        })?;
        let mut text = |key| self.text(table, key, path);
        let target = Target {
            provider,
            label: text("label"),
            account: text("account"),
            role: text("role"),
            region: text("region"),
            colour: text("colour"),
            tenant: text("tenant"),
            app: text("app"),
            project: text("project"),
            portal: text("portal"),
            environment: text("environment"),
        };
        let needs: &[&str] = match provider {
            Provider::Aws => &["account", "role"],
            Provider::Azure => &["tenant"],
            Provider::Gcp | Provider::Aiven => &["project"],
        };
        for key in needs {
            if !table.contains_key(key) {
                self.error(path, format!("has no '{key}', which a {} target needs", provider.display_name()));
            }
        }
        if let Some(region) = &target.region {
            if !is_region(region) {
                self.error(&path.key("region"), format!("'{region}' is not a region, expected one such as eu-west-2"));
            }
        }
        if let Some(portal) = &target.portal {
            if let Err(why) = check_portal_url(portal) {
                self.error(&path.key("portal"), why);
            }
        }
        if let Some(colour) = &target.colour {
            if Colour::parse(colour).is_none() {
                self.error(&path.key("colour"), format!("'{colour}' is not a colour, expected #RRGGBB"));
            }
        }
        Some(target)
    }

    /// Checks that need the whole configuration: references, duplicates, and rules that can
    /// never match or that would mislead.
    fn check(&mut self, config: &Config) {
        let names: Vec<&str> = config.environments.iter().map(|e| e.name.as_str()).collect();
        let expected = {
            let mut known: Vec<&str> = names.clone();
            known.extend(KINDS.iter().copied().filter(|k| !names.iter().any(|n| n.eq_ignore_ascii_case(k))));
            known.join(", ")
        };
        let defined = |name: &str| config.environment(name).is_some() || KINDS.contains(&name);
        let list = Path::Root.key("environments");
        for (i, environment) in config.environments.iter().enumerate() {
            let path = list.index(i);
            if names[..i].iter().any(|n| n.eq_ignore_ascii_case(&environment.name)) {
                self.error(
                    &path.key("name"),
                    format!("'{}' is defined twice, expected unique names", environment.name),
                );
            }
            if environment.colour.is_none() && environment.text.is_none() {
                continue;
            }
            let (colour, text) = environment.colours();
            let contrast = colour.contrast(text);
            if contrast < MIN_CONTRAST {
                let at = if environment.text.is_some() { "text" } else { "colour" };
                self.warn(
                    &path.key(at),
                    format!(
                        "{} text on {} has a contrast of {}:1, below the 4.5:1 needed to read it",
                        text.to_hex(),
                        colour.to_hex(),
                        tenths(contrast)
                    ),
                );
            }
            if environment.kind == EnvironmentKind::Prod && environment.colour.is_some() && !colour.reads_as_danger() {
                self.warn(
                    &path.key("colour"),
                    format!(
                        "a prod environment coloured {}, which does not read as danger; expected a red",
                        colour.to_hex()
                    ),
                );
            }
        }
        for scope in Scope::ALL {
            let section = Path::Root.key(scope.provider().as_str());
            let (rules, list, shape) = (config.rules(scope), section.key(scope.key()), scope.ids());
            let repeats = earlier_same(rules);
            for (i, rule) in rules.iter().enumerate() {
                let path = list.index(i);
                if let Some(wanted) = &rule.environment {
                    if !defined(wanted) {
                        self.error(
                            &path.key("environment"),
                            format!("'{wanted}' is not a defined environment, expected one of {expected}"),
                        );
                    }
                }
                if let Some(id) = rule.id.as_deref().filter(|id| !is_pattern(id) && !shape.fits(id)) {
                    self.warn(&path.key("id"), format!("'{id}' can never match: expected {}", shape.describe()));
                }
                if let Some(earlier) = repeats[i].map(|j| &rules[j]) {
                    if earlier.environment != rule.environment {
                        self.warn(
                            &path,
                            format!(
                                "matches the same {} as an earlier rule but says environment {}, not {}; the earlier rule wins",
                                if rule.id.is_some() { "id" } else { "name" },
                                rule.environment.as_deref().unwrap_or("none"),
                                earlier.environment.as_deref().unwrap_or("none")
                            ),
                        );
                    } else {
                        self.warn(&path, "repeats an earlier rule and can never decide anything".to_owned());
                    }
                }
            }
        }
        let list = Path::Root.key("targets");
        for (i, target) in config.targets.iter().enumerate() {
            if let Some(wanted) = &target.environment {
                if !defined(wanted) {
                    self.error(
                        &list.index(i).key("environment"),
                        format!("'{wanted}' is not a defined environment, expected one of {expected}"),
                    );
                }
            }
        }
    }
}

/// The kinds, which are also the names of environments nobody has to define.
const KINDS: &[&str] = &["prod", "staging", "ci", "dev"];

/// Defines, with no colour or label of its own, each environment that a rule or target names by
/// a kind's name (`environment = "prod"`) without a `[[environments]]` entry: an organisation's
/// short policy need not repeat the four standard environments.
fn add_kind_environments(config: &mut Config) {
    let named: Vec<String> = Scope::ALL
        .into_iter()
        .flat_map(|scope| config.rules(scope))
        .filter_map(|rule| rule.environment.clone())
        .chain(config.targets.iter().filter_map(|t| t.environment.clone()))
        .collect();
    for name in named {
        if config.environment(&name).is_none() {
            if let Some(kind) = EnvironmentKind::parse(&name).filter(|k| *k != EnvironmentKind::Unknown) {
                config.environments.push(EnvironmentDef {
                    name,
                    kind,
                    colour: None,
                    label: None,
                    text: None,
                    guard: None,
                });
            }
        }
    }
}

/// A value as a message names it: its kind, and a number's value.
fn describe(value: &Node) -> String {
    match value {
        Node::Integer(n) => format!("the number {n}"),
        Node::Text(text) => format!("'{text}'"),
        Node::List(items) if items.is_empty() => "an empty list".to_owned(),
        other => other.kind().to_owned(),
    }
}

/// `4.4789` → `4.4`: one decimal, truncated, without the float formatting code in the wasm.
fn tenths(value: f64) -> String {
    let tenths = (value * 10.0) as u32;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// What a rule matches by: its exact id, or, for a rule without an id, its exact name (ASCII case
/// aside). Rules with the same match the same thing.
fn match_key(rule: &Rule) -> Option<(bool, &str)> {
    match (&rule.id, &rule.name) {
        (Some(id), _) => Some((true, id)),
        (None, Some(name)) => Some((false, name)),
        (None, None) => None,
    }
}

/// For each rule, the first earlier rule that matches the same thing ([`match_key`]). Found through
/// a table of its own (open addressing by the hash of the lowercased key) rather than a map of
/// lowercased copies: a policy of thousands of rules is checked without an allocation per rule.
fn earlier_same(rules: &[Rule]) -> Vec<Option<usize>> {
    const EMPTY: usize = usize::MAX;
    let mut slots = vec![EMPTY; (rules.len() * 2).next_power_of_two()];
    let mask = slots.len() - 1;
    let same = |a: (bool, &str), b: (bool, &str)| a.0 == b.0 && a.1.eq_ignore_ascii_case(b.1);
    rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let key = match_key(rule)?;
            let hash = fnv1a(std::iter::once(u8::from(key.0)).chain(key.1.bytes().map(|b| b.to_ascii_lowercase())));
            let mut slot = hash as usize & mask;
            loop {
                match slots[slot] {
                    EMPTY => {
                        slots[slot] = i;
                        return None;
                    }
                    j if match_key(&rules[j]).is_some_and(|other| same(other, key)) => return Some(j),
                    _ => slot = (slot + 1) & mask,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_trimmed_of_every_blank_trim_takes() {
        // As written in TOML (escapes included), and as read.
        for (written, read) in [
            ("prod", "prod"),
            (" prod\t", "prod"),
            (r"\u000Bprod\u000B", "prod"),
            (r"\u00A0prod\u3000", "prod"),
            ("pro d", "pro d"),
            ("été", "été"),
            (r"\u0007prod", "\u{7}prod"),
        ] {
            let text = format!("[[environments]]\nname = \"{written}\"\nkind = \"prod\"\n");
            assert_eq!(parse_config(&text).unwrap().config.environments[0].name, read, "{written}");
        }
    }

    #[test]
    fn toml_string_quotes_what_toml_refuses_raw() {
        let name = "Acme \u{7f}\"Prod\"\\\nx";
        let text = format!("[[environments]]\nname = {}\nkind = \"prod\"\n", toml_string(name));
        assert_eq!(parse_config(&text).unwrap().config.environments[0].name, name);
    }
}
