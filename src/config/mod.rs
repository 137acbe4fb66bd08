//! Configuration: which accounts, tenants and projects are which environment, and what roles may do.
//!
//! The text format (TOML) is read by [`crate::parse_config`]; these are the checked values.

pub(crate) mod document;
pub(crate) mod import;
pub(crate) mod locator;
pub(crate) mod lookup;
pub(crate) mod scope;
pub(crate) mod snapshot;
pub(crate) mod toml;

use crate::model::{default_background, Colour, EnvironmentKind, Privilege, Provider};
use crate::text::pattern::{is_pattern, wildcard_match};
pub use scope::Scope;

/// The text of the bundled seed configuration.
pub const SEED_TEXT: &str = include_str!("seed.toml");

/// Everything a user or an organisation tells redline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The environments, by name.
    pub environments: Vec<EnvironmentDef>,
    /// The rules of each [`Scope`] (`[[aws.accounts]]`…), in [`Scope::ALL`]'s order.
    rules: [Vec<Rule>; Scope::COUNT],
    /// What roles of a given name may do (`[[aws.roles]]`…), by provider in [`Provider::ALL`]'s order.
    roles: [Vec<RoleRule>; 4],
    /// Where the popup offers to switch to.
    pub targets: Vec<Target>,
    /// How danger (admin in prod, root anywhere) is handled; the defaults when the text has no
    /// `[danger]` section.
    pub danger: Option<DangerSettings>,
}

/// How loudly redline insists in danger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DangerSettings {
    /// Cover the console on first entry into danger until the user confirms.
    pub acknowledge: bool,
    /// After this long in danger the banner asks again.
    pub reminder_minutes: u32,
    /// Control labels (whole words, any case) that the destructive-action guard asks about.
    pub verbs: Vec<String>,
}

/// The destructive verbs the guard asks about when the configuration names none.
pub const DEFAULT_VERBS: &[&str] =
    &["delete", "terminate", "remove", "destroy", "detach", "disable", "stop", "purge", "drop"];

impl Default for DangerSettings {
    fn default() -> Self {
        DangerSettings {
            acknowledge: true,
            reminder_minutes: 30,
            verbs: DEFAULT_VERBS.iter().map(|v| (*v).to_owned()).collect(),
        }
    }
}

/// A named environment of a given kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentDef {
    /// What rules and targets call it, e.g. `prod`.
    pub name: String,
    /// What kind it is: it sets the severity, the default colour and whether the guard is on.
    pub kind: EnvironmentKind,
    /// Banner background, `#RRGGBB`; the kind's colour when absent.
    pub colour: Option<String>,
    /// Banner text for the environment; the name in capitals when absent.
    pub label: Option<String>,
    /// Banner text colour, `#RRGGBB`; black or white, whichever reads better, when absent.
    pub text: Option<String>,
    /// Whether destructive clicks ask first in danger; on for prod when absent.
    pub guard: Option<bool>,
}

impl EnvironmentDef {
    /// Whether the destructive-action guard is on here.
    pub fn guarded(&self) -> bool {
        self.guard.unwrap_or(self.kind == EnvironmentKind::Prod)
    }

    /// The banner's background and text colours.
    pub fn colours(&self) -> (Colour, Colour) {
        let background =
            self.colour.as_deref().and_then(Colour::parse).unwrap_or_else(|| default_background(self.kind));
        let text = self.text.as_deref().and_then(Colour::parse).unwrap_or_else(|| background.readable_text());
        (background, text)
    }
}

/// Something a console shows (an account, tenant, app, subscription, resource group or project),
/// matched by `id` or `name` (`*` wildcards allowed), and what redline should know about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    /// Matched against the thing's id (see each provider's rules for which id); `*` wildcards allowed.
    pub id: Option<String>,
    /// Matched against a name the console shows for it (alias, display name, slug…); `*` wildcards allowed.
    pub name: Option<String>,
    /// The name of an environment in `environments`.
    pub environment: Option<String>,
    /// The role the user holds there, when the console does not show it.
    pub role: Option<String>,
    /// How banners name it when the console does not (an AWS account's name, say).
    pub label: Option<String>,
    /// Set by an organisation: a user's rule for the same thing cannot replace it.
    pub locked: bool,
    /// Whether the rule came from the organisation's managed configuration.
    pub managed: bool,
    /// Whether someone wrote it or redline learned it from an access portal.
    pub origin: Origin,
}

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Origin {
    /// Written by the user or the organisation (the bundled seed included).
    #[default]
    Written,
    /// Learned from an access portal's page; `named` when the configuration names that portal,
    /// whose account names are then the organisation's own.
    Portal { named: bool },
}

/// A place the popup offers to switch to: an AWS account and role, an Azure tenant or app, a
/// Google Cloud project or an Aiven project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Which console the target is in.
    pub provider: Provider,
    /// What the popup shows; derived from the other fields when absent.
    pub label: Option<String>,
    /// AWS account id or alias.
    pub account: Option<String>,
    /// AWS role name (or role path/name), or Identity Center permission set.
    pub role: Option<String>,
    /// AWS region to land in; the active page's region (or the console's default) when absent.
    pub region: Option<String>,
    /// `#RRGGBB` for AWS's own switch-role colour.
    pub colour: Option<String>,
    /// Azure tenant (domain or id).
    pub tenant: Option<String>,
    /// Azure app (client) id.
    pub app: Option<String>,
    /// Google Cloud project id or Aiven project slug.
    pub project: Option<String>,
    /// IAM Identity Center access portal (`https://<dir>.awsapps.com/start`).
    pub portal: Option<String>,
    /// The environment, when no rule says it.
    pub environment: Option<String>,
}

/// What a role (or Identity Center permission set) of a given name may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRule {
    /// The role or permission-set name, matched whole, ignoring ASCII case.
    pub name: String,
    /// What a role of that name may do.
    pub privilege: Privilege,
}

/// How a rule matched: exact matches beat wildcard ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RuleMatch {
    ExactId,
    ExactName,
    PatternId,
    PatternName,
}

impl RuleMatch {
    pub fn describe(self) -> &'static str {
        match self {
            RuleMatch::ExactId => "id",
            RuleMatch::ExactName => "name",
            RuleMatch::PatternId => "id pattern",
            RuleMatch::PatternName => "name pattern",
        }
    }
}

/// What a rule can say about what it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    Environment,
    Role,
    Label,
}

impl Aspect {
    /// Whether `rule` says this.
    pub fn of(self, rule: &Rule) -> bool {
        match self {
            Aspect::Environment => rule.environment.is_some(),
            Aspect::Role => rule.role.is_some(),
            Aspect::Label => rule.label.is_some(),
        }
    }
}

/// The best rule that says `aspect` for something with this `id` and these `names`: a locked rule
/// of the organisation beats every other, then exact beats pattern, id beats name, earlier beats
/// later. Rules silent on `aspect` are passed over, so a rule that only names an account never
/// hides one that gives its environment.
pub fn best_rule<'a>(
    rules: &'a [Rule],
    id: Option<&str>,
    names: &[&str],
    aspect: Aspect,
) -> Option<(&'a Rule, RuleMatch)> {
    let names = present(names);
    let mut best: Option<(bool, RuleMatch, &Rule)> = None;
    // One pass: at 5,000 account rules each evaluation asks several aspects, and a pass per match
    // kind and tier cost a restarted worker milliseconds.
    for rule in rules.iter().filter(|rule| aspect.of(rule)) {
        let unlocked = !(rule.locked && rule.managed);
        // Only a stronger match than the best so far counts: a wildcard is not even tried (on long
        // page text) once an exact match is found.
        let below = match best {
            None => None,
            Some((best_unlocked, best_how, _)) if unlocked == best_unlocked => Some(best_how),
            Some(_) if unlocked => continue,
            Some(_) => None,
        };
        let Some(how) = strongest_match(rule, id, &names, below) else { continue };
        best = Some((unlocked, how, rule));
        if (unlocked, how) == (false, RuleMatch::ExactId) {
            break;
        }
    }
    best.map(|(_, how, rule)| (rule, how))
}

/// Every rule that says `aspect` and matches this `id` or one of these `names`, exact before
/// pattern and id before name: what may only raise looks through all of them for a louder one.
/// A rule that matches in two ways is listed under each.
pub fn all_rules<'a>(
    rules: &'a [Rule],
    id: Option<&str>,
    names: &[&str],
    aspect: Aspect,
) -> Vec<(&'a Rule, RuleMatch)> {
    let names = present(names);
    let id = id.filter(|i| !i.is_empty());
    let mut found = Vec::new();
    for (how, by_id, exact) in MATCH_ORDER {
        for rule in rules.iter().filter(|r| aspect.of(r)) {
            let hit = if by_id {
                id.is_some_and(|id| rule_matches(&rule.id, id, exact))
            } else {
                names.iter().any(|name| rule_matches(&rule.name, name, exact))
            };
            if hit {
                found.push((rule, how));
            }
        }
    }
    found
}

fn present<'n>(names: &[&'n str]) -> Vec<&'n str> {
    names.iter().copied().filter(|n| !n.is_empty()).collect()
}

/// The strongest way `rule` matches this `id` or one of these `names`: each of the rule's two
/// texts is either a pattern or exact, so it is looked at once.
fn strongest_match(rule: &Rule, id: Option<&str>, names: &[&str], below: Option<RuleMatch>) -> Option<RuleMatch> {
    let tried = |how: RuleMatch| below.is_none_or(|below| how < below);
    let id = id.filter(|i| !i.is_empty());
    let rule_id = rule.id.as_deref().zip(id).map(|(rule_id, id)| (is_pattern(rule_id), rule_id, id));
    if let Some((false, rule_id, id)) = rule_id.filter(|_| tried(RuleMatch::ExactId)) {
        if rule_id.eq_ignore_ascii_case(id) {
            return Some(RuleMatch::ExactId);
        }
    }
    let rule_name = rule.name.as_deref().filter(|_| !names.is_empty()).map(|name| (is_pattern(name), name));
    if let Some((false, rule_name)) = rule_name.filter(|_| tried(RuleMatch::ExactName)) {
        if names.iter().any(|name| rule_name.eq_ignore_ascii_case(name)) {
            return Some(RuleMatch::ExactName);
        }
    }
    if let Some((true, rule_id, id)) = rule_id.filter(|_| tried(RuleMatch::PatternId)) {
        if wildcard_match(rule_id, id) {
            return Some(RuleMatch::PatternId);
        }
    }
    match rule_name.filter(|_| tried(RuleMatch::PatternName)) {
        Some((true, rule_name)) if names.iter().any(|name| wildcard_match(rule_name, name)) => {
            Some(RuleMatch::PatternName)
        }
        _ => None,
    }
}

/// How rules are tried: (how, by id, exact).
const MATCH_ORDER: [(RuleMatch, bool, bool); 4] = [
    (RuleMatch::ExactId, true, true),
    (RuleMatch::ExactName, false, true),
    (RuleMatch::PatternId, true, false),
    (RuleMatch::PatternName, false, false),
];

fn rule_matches(pattern: &Option<String>, value: &str, exact: bool) -> bool {
    pattern.as_deref().is_some_and(|p| {
        if exact {
            !is_pattern(p) && p.eq_ignore_ascii_case(value)
        } else {
            is_pattern(p) && wildcard_match(p, value)
        }
    })
}

impl Config {
    /// The convention of the organisation redline is first built for, bundled as `src/config/seed.toml`:
    /// four environments on every provider, a read-only `Operator` role by default and `Admin`
    /// only when needed, two Google Cloud projects, and four Azure single sign-on apps in one tenant.
    pub fn seed() -> Config {
        match document::parse_config(SEED_TEXT) {
            Ok(loaded) => loaded.config,
            // Formatting the diagnostics here would pull debug formatting into the wasm.
            Err(_) => unreachable!("the bundled seed configuration is valid (tested)"),
        }
    }

    /// The environment called `name`.
    pub fn environment(&self, name: &str) -> Option<&EnvironmentDef> {
        self.environments.iter().find(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// The first environment of `kind`, used when a heuristic found only the kind.
    pub fn environment_of_kind(&self, kind: EnvironmentKind) -> Option<&EnvironmentDef> {
        self.environments.iter().find(|e| e.kind == kind)
    }

    /// The rules of `scope`, in the order they apply.
    pub fn rules(&self, scope: Scope) -> &[Rule] {
        &self.rules[scope.index()]
    }

    /// The rules of `scope`, to add to or change.
    pub fn rules_mut(&mut self, scope: Scope) -> &mut Vec<Rule> {
        &mut self.rules[scope.index()]
    }

    /// The configured role rules of a provider.
    pub fn roles(&self, provider: Provider) -> &[RoleRule] {
        &self.roles[provider.index()]
    }

    /// The role rules of `provider`, to add to or change.
    pub fn roles_mut(&mut self, provider: Provider) -> &mut Vec<RoleRule> {
        &mut self.roles[provider.index()]
    }
}

impl Config {
    /// The organisation's configuration (`storage.managed`) over the user's. The organisation's
    /// environments, roles and rules come first, so they win wherever both name the same thing;
    /// a user rule that a locked rule of the organisation covers (same id or name, or matched by
    /// its pattern) is dropped, so the user cannot weaken it. Each dropped part is a notice.
    ///
    /// ```
    /// use redline::{parse_config, Config, Scope};
    /// let managed = parse_config("[[environments]]\nname = \"prod\"\nkind = \"prod\"\n[[environments]]\nname = \"dev\"\nkind = \"dev\"\n\
    ///     [[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\nlocked = true\n").unwrap().config;
    /// let user = parse_config("[[environments]]\nname = \"dev\"\nkind = \"dev\"\n\
    ///     [[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"dev\"\n").unwrap().config;
    /// let (merged, notices) = Config::merge(managed, user);
    /// assert_eq!(merged.rules(Scope::AwsAccount).len(), 1);
    /// assert_eq!(merged.rules(Scope::AwsAccount)[0].environment.as_deref(), Some("prod"));
    /// assert!(notices[0].contains("locked"));
    /// ```
    pub fn merge(managed: Config, user: Config) -> (Config, Vec<String>) {
        let managed = managed.managed();
        let mut notices = Vec::new();
        let mut environments = managed.environments;
        for environment in user.environments {
            match environments.iter().find(|e| e.name.eq_ignore_ascii_case(&environment.name)) {
                Some(theirs) if *theirs != environment => notices.push(format!(
                    "your environment '{}' is replaced by the organisation's definition",
                    environment.name
                )),
                Some(_) => {}
                None => environments.push(environment),
            }
        }
        let merge_rules = |what: &str, theirs: Vec<Rule>, yours: Vec<Rule>, notices: &mut Vec<String>| {
            let mut merged: Vec<Rule> = theirs;
            let theirs_count = merged.len();
            for rule in yours {
                match merged[..theirs_count].iter().find(|m| overrides(m, &rule)) {
                    Some(m) => notices.push(format!(
                        "your {what} rule for '{}' is not used: the organisation's {}rule for '{}' decides",
                        rule.id.as_deref().or(rule.name.as_deref()).unwrap_or_default(),
                        if m.locked { "locked " } else { "" },
                        m.id.as_deref().or(m.name.as_deref()).unwrap_or_default()
                    )),
                    None => merged.push(Rule { locked: false, ..rule }),
                }
            }
            merged
        };
        let merge_roles = |theirs: Vec<RoleRule>, yours: Vec<RoleRule>| {
            let mut merged = theirs;
            for role in yours {
                if !merged.iter().any(|m| m.name.eq_ignore_ascii_case(&role.name)) {
                    merged.push(role);
                }
            }
            merged
        };
        let (mut managed_rules, mut user_rules) = (managed.rules, user.rules);
        let rules = Scope::ALL.map(|scope| {
            let (theirs, yours) = (&mut managed_rules[scope.index()], &mut user_rules[scope.index()]);
            merge_rules(scope.noun(), std::mem::take(theirs), std::mem::take(yours), &mut notices)
        });
        let (mut managed_roles, mut user_roles) = (managed.roles, user.roles);
        let roles = Provider::ALL.map(|provider| {
            let (theirs, yours) = (&mut managed_roles[provider.index()], &mut user_roles[provider.index()]);
            merge_roles(std::mem::take(theirs), std::mem::take(yours))
        });
        let config = Config {
            environments,
            rules,
            roles,
            targets: managed.targets.into_iter().chain(user.targets).collect(),
            danger: managed.danger.or(user.danger),
        };
        (config, notices)
    }
}

/// Whether the organisation's rule `theirs` takes the place of the user's rule `yours`: both name
/// the same id or name, or `theirs` is locked and its pattern covers what `yours` names.
fn overrides(theirs: &Rule, yours: &Rule) -> bool {
    let covers = |pattern: &Option<String>, value: &Option<String>| match (pattern, value) {
        (Some(p), Some(v)) => p.eq_ignore_ascii_case(v) || (theirs.locked && wildcard_match(p, v)),
        _ => false,
    };
    covers(&theirs.id, &yours.id) || covers(&theirs.name, &yours.name)
}

impl Config {
    /// This configuration with every rule marked as the organisation's.
    pub fn managed(mut self) -> Config {
        for rules in &mut self.rules {
            for rule in rules.iter_mut() {
                rule.managed = true;
            }
        }
        self
    }

    /// Takes in what redline learned (account names and switch targets from the access portal),
    /// under this configuration: its rules come after this one's, and a target this configuration
    /// already has is not repeated.
    pub fn absorb(&mut self, mut learned: Config, named: &[String]) {
        for mut rule in std::mem::take(learned.rules_mut(Scope::AwsAccount)) {
            let portal = learned.targets.iter().find(|t| t.account.is_some() && t.account == rule.id);
            let named = portal.and_then(|t| t.portal.as_deref()).is_some_and(|p| named.contains(&portal_key(p)));
            rule.origin = Origin::Portal { named };
            self.rules_mut(Scope::AwsAccount).push(rule);
        }
        for target in learned.targets {
            let known = self.targets.iter().any(|t| {
                t.provider == target.provider
                    && t.account == target.account
                    && t.role == target.role
                    && t.project == target.project
            });
            if !known {
                self.targets.push(target);
            }
        }
    }
}

impl Config {
    /// The access portals this configuration names (its targets'), as compared: a portal's lessons
    /// decide only when it is one of these.
    pub fn named_portals(&self) -> Vec<String> {
        self.targets.iter().filter_map(|t| t.portal.as_deref()).map(portal_key).collect()
    }
}

/// A portal URL as compared: without a trailing slash, in lower case.
fn portal_key(url: &str) -> String {
    url.trim().trim_end_matches('/').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Positions in `rules` of what `all_rules` finds: per match kind in order, every rule that
    /// matches, pass by pass (the precedence `best_rule` promises within a tier).
    fn by_passes(rules: &[Rule], id: Option<&str>, names: &[&str]) -> Vec<(usize, RuleMatch)> {
        let at = |rule: &Rule| rules.iter().position(|r| std::ptr::eq(r, rule)).expect("one of the rules");
        all_rules(rules, id, names, Aspect::Environment).into_iter().map(|(rule, how)| (at(rule), how)).collect()
    }

    /// Rule sets over a few ids and names, exact and patterns, locked or not, some silent on the
    /// environment: every way two rules can compete. The one pass of `best_rule` picks the first
    /// rule the passes find among locked organisation rules, else among all.
    #[test]
    fn one_pass_keeps_the_precedence_of_every_pass() {
        const TEXTS: [Option<&str>; 6] = [None, Some("111"), Some("1*"), Some("*"), Some("Prod"), Some("p*")];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20_000 {
            let rules: Vec<Rule> = (0..next(6))
                .map(|_| Rule {
                    id: TEXTS[next(6)].map(str::to_owned),
                    name: TEXTS[next(6)].map(str::to_owned),
                    environment: (next(4) > 0).then(|| "prod".to_owned()),
                    locked: next(3) == 0,
                    managed: next(2) == 0,
                    ..Rule::default()
                })
                .collect();
            let id = [None, Some(""), Some("111"), Some("123")][next(4)];
            let names: Vec<&str> = [vec![], vec!["prod"], vec!["", "pets"], vec!["other", "PROD"]][next(4)].clone();
            let locked: Vec<Rule> = rules
                .iter()
                .map(|r| Rule { environment: r.environment.clone().filter(|_| r.locked && r.managed), ..r.clone() })
                .collect();
            let expected = by_passes(&locked, id, &names)
                .first()
                .copied()
                .or_else(|| by_passes(&rules, id, &names).first().copied());
            let best = best_rule(&rules, id, &names, Aspect::Environment)
                .map(|(rule, how)| (rules.iter().position(|r| std::ptr::eq(r, rule)).unwrap(), how));
            assert_eq!(best, expected, "best_rule for {id:?} {names:?} in {rules:#?}");
        }
    }
}
