//! Configuration: which accounts are which environment, and what roles may do.
//!
//! The types are serde types so that the text format of a later release maps onto them directly.

use serde::{Deserialize, Serialize};

use crate::environment::EnvironmentKind;
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

/// Rules for AWS accounts and roles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsRules {
    #[serde(default)]
    pub accounts: Vec<AwsAccountRule>,
    #[serde(default)]
    pub roles: Vec<RoleRule>,
}

/// An AWS account, by id or alias, and the environment it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsAccountRule {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub alias: Option<String>,
    /// The name of an environment in `environments`.
    pub environment: String,
}

/// What a role (or Identity Center permission set) of a given name may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleRule {
    pub name: String,
    pub privilege: Privilege,
}

impl Config {
    /// The convention of the organisation redline is first built for: four environments, a
    /// read-only `Operator` role by default and `Admin` only when needed.
    pub fn seed() -> Config {
        let env = |name: &str, kind| EnvironmentDef {
            name: name.to_owned(),
            kind,
            colour: None,
            label: None,
        };
        let role = |name: &str, privilege| RoleRule {
            name: name.to_owned(),
            privilege,
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
                roles: vec![
                    role("Operator", Privilege::Readonly),
                    role("Admin", Privilege::Admin),
                ],
            },
        }
    }

    /// The environment called `name`.
    pub fn environment(&self, name: &str) -> Option<&EnvironmentDef> {
        self.environments
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// The first environment of `kind`, used when a heuristic found only the kind.
    pub fn environment_of_kind(&self, kind: EnvironmentKind) -> Option<&EnvironmentDef> {
        self.environments.iter().find(|e| e.kind == kind)
    }

    /// The AWS account rule for this account id or alias; an id match beats an alias match.
    pub fn aws_account(&self, id: Option<&str>, alias: Option<&str>) -> Option<&AwsAccountRule> {
        let rules = &self.aws.accounts;
        id.and_then(|id| rules.iter().find(|r| r.id.as_deref() == Some(id)))
            .or_else(|| {
                alias.and_then(|alias| {
                    rules.iter().find(|r| {
                        r.alias
                            .as_deref()
                            .is_some_and(|a| a.eq_ignore_ascii_case(alias))
                    })
                })
            })
    }

    /// The AWS role rule for this role name (IAM role names are case-insensitive).
    pub fn aws_role(&self, role: &str) -> Option<&RoleRule> {
        self.aws
            .roles
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(role))
    }
}
