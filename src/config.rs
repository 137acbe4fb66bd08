//! Configuration: which accounts, tenants and projects are which environment, and what roles may do.
//!
//! The types are serde types so that the text format of a later release maps onto them directly.

use serde::{Deserialize, Serialize};

use crate::console::Provider;
use crate::environment::EnvironmentKind;
use crate::pattern::{is_pattern, wildcard_match};
use crate::privilege::Privilege;

/// Everything a user or an organisation tells redline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The environments, by name.
    #[serde(default)]
    pub environments: Vec<EnvironmentDef>,
    #[serde(default)]
    pub aws: AwsRules,
    #[serde(default)]
    pub azure: AzureRules,
    #[serde(default)]
    pub gcp: GcpRules,
    #[serde(default)]
    pub aiven: AivenRules,
}

/// A named environment of a given kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentDef {
    pub name: String,
    pub kind: EnvironmentKind,
    /// Banner background, `#RRGGBB`; the kind's colour when absent.
    #[serde(default)]
    pub colour: Option<String>,
    /// Banner text for the environment; the name in capitals when absent.
    #[serde(default)]
    pub label: Option<String>,
}

/// Something a console shows (an account, tenant, app, subscription, resource group or project),
/// matched by `id` or `name` (`*` wildcards allowed), and what redline should know about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// The name of an environment in `environments`.
    #[serde(default)]
    pub environment: Option<String>,
    /// The role the user holds there, when the console does not show it.
    #[serde(default)]
    pub role: Option<String>,
}

/// What a role (or Identity Center permission set) of a given name may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleRule {
    pub name: String,
    pub privilege: Privilege,
}

/// AWS: `accounts` match the account id (`id`) or alias (`name`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsRules {
    #[serde(default)]
    pub accounts: Vec<Rule>,
    #[serde(default)]
    pub roles: Vec<RoleRule>,
}

/// Microsoft Azure: tenants by domain or id, apps by app id or display name, subscriptions by id,
/// resource groups by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AzureRules {
    #[serde(default)]
    pub tenants: Vec<Rule>,
    #[serde(default)]
    pub apps: Vec<Rule>,
    #[serde(default)]
    pub subscriptions: Vec<Rule>,
    #[serde(default)]
    pub resource_groups: Vec<Rule>,
    #[serde(default)]
    pub roles: Vec<RoleRule>,
}

/// Google Cloud: projects by project id (`id`) or display name (`name`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GcpRules {
    #[serde(default)]
    pub projects: Vec<Rule>,
    #[serde(default)]
    pub roles: Vec<RoleRule>,
}

/// Aiven: projects by slug (`name`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AivenRules {
    #[serde(default)]
    pub projects: Vec<Rule>,
    #[serde(default)]
    pub roles: Vec<RoleRule>,
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

/// The best rule for something with this `id` and these `names`: exact beats pattern, id beats name,
/// earlier beats later.
pub fn best_rule<'a>(rules: &'a [Rule], id: Option<&str>, names: &[&str]) -> Option<(&'a Rule, RuleMatch)> {
    let matches = |pattern: &Option<String>, value: &str, exact: bool| {
        pattern.as_deref().is_some_and(|p| {
            if exact {
                !is_pattern(p) && p.eq_ignore_ascii_case(value)
            } else {
                is_pattern(p) && wildcard_match(p, value)
            }
        })
    };
    let id = id.filter(|i| !i.is_empty());
    let names: Vec<&str> = names.iter().copied().filter(|n| !n.is_empty()).collect();
    let attempts = [
        (RuleMatch::ExactId, true, true),
        (RuleMatch::ExactName, false, true),
        (RuleMatch::PatternId, true, false),
        (RuleMatch::PatternName, false, false),
    ];
    attempts.into_iter().find_map(|(how, by_id, exact)| {
        rules
            .iter()
            .find(|rule| {
                if by_id {
                    id.is_some_and(|id| matches(&rule.id, id, exact))
                } else {
                    names.iter().any(|name| matches(&rule.name, name, exact))
                }
            })
            .map(|rule| (rule, how))
    })
}

impl Config {
    /// The convention of the organisation redline is first built for (see the README): four
    /// environments on every provider, a read-only `Operator` role by default and `Admin` only when
    /// needed, two Google Cloud projects, and four Azure single sign-on apps in one tenant.
    pub fn seed() -> Config {
        let env = |name: &str, kind| EnvironmentDef { name: name.to_owned(), kind, colour: None, label: None };
        let role = |name: &str, privilege| RoleRule { name: name.to_owned(), privilege };
        let named = |name: &str, environment: &str| Rule {
            name: Some(name.to_owned()),
            environment: Some(environment.to_owned()),
            ..Rule::default()
        };
        let by_id = |id: &str, environment: Option<&str>| Rule {
            id: Some(id.to_owned()),
            environment: environment.map(str::to_owned),
            ..Rule::default()
        };
        Config {
            environments: vec![
                env("dev", EnvironmentKind::Dev),
                env("ci", EnvironmentKind::Ci),
                env("staging", EnvironmentKind::Staging),
                env("prod", EnvironmentKind::Prod),
            ],
            aws: AwsRules {
                accounts: Vec::new(),
                roles: vec![role("Operator", Privilege::Readonly), role("Admin", Privilege::Admin)],
            },
            azure: AzureRules {
                // The tenant holds all four environments, so it names none itself.
                tenants: vec![by_id("digital.cabinet-office.gov.uk", None)],
                apps: vec![
                    named("Dev", "dev"),
                    named("Staging London", "staging"),
                    named("Prod London", "prod"),
                    named("Prod", "prod"),
                ],
                ..AzureRules::default()
            },
            gcp: GcpRules {
                projects: vec![by_id("govuk-paas", Some("prod")), by_id("paas-development-210707", Some("dev"))],
                roles: Vec::new(),
            },
            aiven: AivenRules::default(),
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

    /// The configured role rules of a provider.
    pub fn roles(&self, provider: Provider) -> &[RoleRule] {
        match provider {
            Provider::Aws => &self.aws.roles,
            Provider::Azure => &self.azure.roles,
            Provider::Gcp => &self.gcp.roles,
            Provider::Aiven => &self.aiven.roles,
        }
    }
}
