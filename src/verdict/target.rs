//! The popup's list of switch targets: which environment and privilege each one leads to, in the
//! order people look for them (least privilege first, prod last), and the filter as you type.

use serde::Serialize;

use std::collections::BTreeMap;

use crate::config::lookup::Lookup;
use crate::config::{Aspect, Config, Rule, RuleMatch, Target};
use crate::console;
use crate::console::environment::{self, EnvironmentView};
use crate::console::privilege;
use crate::model::{EnvironmentKind, Named, Privilege, Provider, Severity, Trust};
use crate::verdict::Verdict;

/// One row of the popup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetView {
    /// The target's index in the configuration's `targets`.
    pub index: usize,
    /// Which console the target is in.
    pub provider: Provider,
    /// The provider as people name it, e.g. `Google Cloud`.
    pub provider_name: &'static str,
    /// The row's title: the target's label, else `role @ account` (AWS) or the account's name or id.
    pub label: String,
    /// Role, account and region, as one line.
    pub detail: String,
    /// The environment switching leads to: the target's own, else its account's rules, else its names.
    pub environment: EnvironmentView,
    /// What the target's role may do, from its name and the role rules.
    pub privilege: Privilege,
    /// How loud the banner will be after switching.
    pub severity: Severity,
    /// The account id, project or tenant, for matching the active tab.
    pub account: String,
    /// The role name (without a path), for matching the active tab.
    pub role: Option<String>,
    /// Asked inside the popup before switching (admin in prod).
    pub confirm: Option<String>,
    /// Lower-case (ASCII) words a filter looks in, on one line. Not in the row's JSON: the popup
    /// gets them apart, for its filter (`PopupList::search`).
    #[serde(skip_serializing)]
    pub search: String,
}

/// The popup's rows as the extension carries them to it: a few long strings, which a port carries
/// in a millisecond or two, and which the popup reads without parsing every row (parsing 5,000
/// rows held its list back 5 to 20 ms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PopupList<'a> {
    /// Each row's JSON, one row per line (JSON text has no line breaks): the popup parses a row
    /// when it draws it.
    pub rows: String,
    /// Each row's environment, as its index in `environments`: the headings need nothing else.
    pub environment_of: Vec<usize>,
    /// The rows' environments, each name once, in the order they first come.
    pub environments: Vec<&'a EnvironmentView>,
    /// Each row's `search`, one per line (none has a line break), as the popup's filter takes them.
    pub search: String,
}

impl<'a> PopupList<'a> {
    /// The popup's list of `views` (in display order).
    ///
    /// ```
    /// use redline::{Engine, PopupList, SEED_TEXT};
    /// let text = format!("{SEED_TEXT}\n[[targets]]\nprovider = \"gcp\"\nproject = \"govuk-paas\"\n\
    ///     [[targets]]\nprovider = \"aiven\"\nproject = \"dev\"\n");
    /// let mut engine = Engine::new();
    /// engine.configure(Some(&text), None, None);
    /// let list = PopupList::of(engine.targets()).unwrap();
    /// assert_eq!(list.rows.lines().count(), 2);
    /// assert_eq!(list.search.lines().count(), 2);
    /// assert_eq!(list.environment_of.len(), 2);
    /// ```
    pub fn of(views: &'a [TargetView]) -> Result<PopupList<'a>, serde_json::Error> {
        let mut list = PopupList {
            rows: String::new(),
            environment_of: Vec::with_capacity(views.len()),
            environments: Vec::new(),
            search: String::new(),
        };
        let mut numbers: BTreeMap<String, usize> = BTreeMap::new(); // environment name → index
        for (position, view) in views.iter().enumerate() {
            if position > 0 {
                list.rows.push('\n');
                list.search.push('\n');
            }
            list.rows.push_str(&serde_json::to_string(view)?);
            list.search.push_str(&view.search);
            let name = &view.environment.name;
            let number = match numbers.get(name) {
                Some(&number) => number,
                None => {
                    numbers.insert(name.clone(), list.environments.len());
                    list.environments.push(&view.environment);
                    list.environments.len() - 1
                }
            };
            list.environment_of.push(number);
        }
        Ok(list)
    }
}

/// Every target of `config`, grouped by environment (prod last), then provider and account, with
/// read-only roles before write and admin ones.
pub fn list_targets(config: &Config) -> Vec<TargetView> {
    let lookup = Lookup::new(config);
    let views: Vec<TargetView> = config.targets.iter().enumerate().map(|(i, t)| view(i, t, config, &lookup)).collect();
    // Ordered through a map keyed by text rather than a sort: the map's code is in the wasm
    // already, a sort's would be added.
    let mut order: BTreeMap<String, usize> = BTreeMap::new();
    for (position, v) in views.iter().enumerate() {
        let key = format!(
            "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}\u{0}{position:08}",
            rank(v.environment.kind),
            v.environment.name,
            v.provider.as_str(),
            account_key(&config.targets[v.index]),
            privilege_rank(v.privilege),
            v.label
        );
        order.insert(key, position);
    }
    let mut slots: Vec<Option<TargetView>> = views.into_iter().map(Some).collect();
    order.into_values().filter_map(|position| slots[position].take()).collect()
}

/// Positions in `views` of the rows that are the identity `verdict` shows.
pub fn current_targets(views: &[TargetView], verdict: &Verdict) -> Vec<u32> {
    let shown =
        [verdict.account.id.as_deref(), verdict.location.project.as_deref(), verdict.location.tenant.as_deref()];
    let role = verdict.principal.role.as_deref();
    views
        .iter()
        .enumerate()
        .filter(|(_, v)| {
            v.provider == verdict.provider
                && shown.contains(&Some(v.account.as_str()))
                && match (&v.role, role) {
                    (Some(want), Some(have)) => want.eq_ignore_ascii_case(have),
                    (None, _) => true,
                    (Some(_), None) => false,
                }
        })
        .map(|(i, _)| i as u32)
        .collect()
}

/// Positions in `views` of the rows whose words contain every word of `query` (any case).
///
/// ```
/// use redline::{filter_targets, Engine, SEED_TEXT};
/// let text = format!("{SEED_TEXT}\n[[targets]]\nprovider = \"gcp\"\nproject = \"govuk-paas\"\n\
///     [[targets]]\nprovider = \"aws\"\naccount = \"111122223333\"\nrole = \"Operator\"\n");
/// let mut engine = Engine::new();
/// engine.configure(Some(&text), None, None);
/// assert_eq!(filter_targets(engine.targets(), "1111 oper").len(), 1);
/// assert_eq!(filter_targets(engine.targets(), "").len(), 2);
/// ```
pub fn filter_targets(views: &[TargetView], query: &str) -> Vec<u32> {
    matching(views.iter().map(|v| v.search.as_str()), query)
}

/// Positions of the `searches` (each a row's `search`) that contain every word of `query`. An
/// extension page that holds the rows filters them with this, without a round trip per keystroke.
pub fn matching<'a>(searches: impl Iterator<Item = &'a str>, query: &str) -> Vec<u32> {
    let words: Vec<String> = query.split_whitespace().map(str::to_ascii_lowercase).collect();
    searches
        .enumerate()
        .filter(|(_, search)| words.iter().all(|w| search.contains(w.as_str())))
        .map(|(i, _)| i as u32)
        .collect()
}

fn rank(kind: EnvironmentKind) -> u8 {
    match kind {
        EnvironmentKind::Dev => 0,
        EnvironmentKind::Ci => 1,
        EnvironmentKind::Staging => 2,
        EnvironmentKind::Unknown => 3,
        EnvironmentKind::Prod => 4,
    }
}

fn privilege_rank(privilege: Privilege) -> u8 {
    match privilege {
        Privilege::Readonly => 0,
        Privilege::Write => 1,
        Privilege::Unknown => 2,
        Privilege::Admin => 3,
    }
}

fn account_key(target: &Target) -> String {
    [&target.account, &target.tenant, &target.project].into_iter().flatten().next().cloned().unwrap_or_default()
}

fn dashed(account: &str) -> String {
    if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &account[0..4], &account[4..8], &account[8..12])
    } else {
        account.to_owned()
    }
}

fn view(index: usize, target: &Target, config: &Config, lookup: &Lookup) -> TargetView {
    let mut ignored = Vec::new();
    let provider = target.provider;
    let account = account_key(target);
    let rule_for = |aspect| console::target_rule(target, lookup, aspect);
    let rule = rule_for(Aspect::Environment);
    let explicit = target.environment.as_ref().map(|name| Rule {
        name: Some(name.clone()),
        environment: Some(name.clone()),
        ..Rule::default()
    });
    let mut rules: Vec<environment::Matched> = Vec::new();
    if let Some(rule) = &explicit {
        rules.push((rule, RuleMatch::ExactName, "this target"));
    }
    if let Some((rule, how)) = rule {
        rules.push((rule, how, "this target's account"));
    }
    let named = rule_for(Aspect::Label).and_then(|(r, _)| r.label.clone()).unwrap_or_else(|| dashed(&account));
    let label = target.label.clone().unwrap_or_else(|| match (&target.role, provider) {
        (Some(role), Provider::Aws) => format!("{role} @ {named}"),
        _ => named,
    });
    let names = [Named::new("label", &label, Trust::Configured), Named::new("account", &account, Trust::Configured)];
    let mut disagree = false;
    let environment = environment::decide(config, &rules, &[], &names, &mut ignored, &mut disagree);
    let role = target.role.as_deref().or_else(|| rule_for(Aspect::Role).and_then(|(r, _)| r.role.as_deref()));
    let privilege = role.map_or(Privilege::Unknown, |role| privilege::of_role(provider, role, config));
    let severity = Severity::of(environment.kind, privilege);
    let shown_account = dashed(&account);
    let detail = [role, Some(shown_account.as_str()), target.region.as_deref()]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty() && *part != label)
        .collect::<Vec<_>>()
        .join(" · ");
    let confirm = (severity == Severity::Danger).then(|| {
        format!(
            "Switch to {} in {}? It is {} access in production.",
            role.unwrap_or("this role"),
            environment.name,
            privilege.as_str()
        )
    });
    let search = [
        label.as_str(),
        &detail,
        &account,
        &dashed(&account),
        role.unwrap_or_default(),
        &environment.name,
        provider.as_str(),
        provider.display_name(),
    ]
    .join(" ")
    .to_ascii_lowercase()
    .replace('\n', " ");
    let role = role.map(|r| r.rsplit('/').next().unwrap_or(r).to_owned());
    TargetView {
        index,
        provider,
        provider_name: provider.display_name(),
        label,
        detail,
        environment,
        privilege,
        severity,
        account,
        role,
        confirm,
        search,
    }
}
