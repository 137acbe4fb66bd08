//! Privilege: how much a role may change.

use serde::Serialize;

use crate::config::Config;
use crate::console::Provider;
use crate::token::{find_keywords, Keyword};

/// How much the current role may change, as far as redline can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Privilege {
    Readonly,
    Write,
    Admin,
    Unknown,
}

impl Privilege {
    /// The privilege named `text` (as written in the configuration).
    pub fn parse(text: &str) -> Option<Privilege> {
        [Privilege::Readonly, Privilege::Write, Privilege::Admin, Privilege::Unknown]
            .into_iter()
            .find(|p| p.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Privilege::Readonly => "readonly",
            Privilege::Write => "write",
            Privilege::Admin => "admin",
            Privilege::Unknown => "unknown",
        }
    }
}

/// Whole-token role names whose meaning is the same across organisations.
pub const PRIVILEGE_KEYWORDS: &[Keyword<Privilege>] = &[
    ("admin", Privilege::Admin),
    ("administrator", Privilege::Admin),
    ("AdministratorAccess", Privilege::Admin),
    ("FullAccess", Privilege::Admin),
    ("ReadOnly", Privilege::Readonly),
    ("ReadOnlyAccess", Privilege::Readonly),
    ("ViewOnly", Privilege::Readonly),
    ("ViewOnlyAccess", Privilege::Readonly),
    ("Audit", Privilege::Readonly),
    ("PowerUser", Privilege::Write),
    ("PowerUserAccess", Privilege::Write),
    ("Developer", Privilege::Write),
];

/// The privilege a role name reveals by whole tokens, with the keyword that showed it; `None` when
/// no keyword is found or keywords of different privileges are.
///
/// ```
/// use redline::{privilege_from_role_name, Privilege};
/// assert_eq!(privilege_from_role_name("AdministratorAccess").map(|(p, _)| p), Some(Privilege::Admin));
/// assert_eq!(privilege_from_role_name("acme-read-only").map(|(p, _)| p), Some(Privilege::Readonly));
/// assert_eq!(privilege_from_role_name("Administrative"), None);
/// ```
pub fn privilege_from_role_name(role: &str) -> Option<(Privilege, &'static str)> {
    let hits = find_keywords(role, PRIVILEGE_KEYWORDS);
    let first = *hits.first()?;
    hits.iter().all(|(p, _)| *p == first.0).then_some(first)
}

/// Role names whose meaning belongs to one provider. Aiven's `Operator` has full access to a
/// project's services, unlike the read-only AWS role of the same name in the seed organisation.
pub fn provider_keywords(provider: Provider) -> &'static [Keyword<Privilege>] {
    match provider {
        Provider::Aws => &[],
        Provider::Azure => {
            &[("Reader", Privilege::Readonly), ("Contributor", Privilege::Write), ("Owner", Privilege::Admin)]
        }
        Provider::Gcp => &[
            ("viewer", Privilege::Readonly),
            ("browser", Privilege::Readonly),
            ("editor", Privilege::Write),
            ("owner", Privilege::Admin),
        ],
        Provider::Aiven => &[("Operator", Privilege::Write), ("Read-only", Privilege::Readonly)],
    }
}

/// Decides the privilege of `role` (and where the role was read): a configured role rule, then the
/// provider's own role names, then the general keywords; unknown when the role is.
pub(crate) fn decide(
    provider: Provider,
    role: Option<(&str, &str)>,
    config: &Config,
    reasons: &mut Vec<String>,
) -> Privilege {
    let Some((role, source)) = role else {
        reasons.push("privilege unknown: the page shows no role and no rule names one".to_owned());
        return Privilege::Unknown;
    };
    if let Some(rule) = config.roles(provider).iter().find(|r| r.name.eq_ignore_ascii_case(role)) {
        reasons.push(format!(
            "privilege {}: the configured {} role '{}' ({source})",
            rule.privilege.as_str(),
            provider.display_name(),
            rule.name
        ));
        return rule.privilege;
    }
    let from_table = |table| {
        let hits = find_keywords(role, table);
        let first = *hits.first()?;
        hits.iter().all(|(p, _)| *p == first.0).then_some(first)
    };
    match from_table(provider_keywords(provider)).or_else(|| privilege_from_role_name(role)) {
        Some((privilege, keyword)) => {
            reasons.push(format!(
                "privilege {}: the role '{role}' ({source}) has the token '{keyword}'",
                privilege.as_str()
            ));
            privilege
        }
        None => {
            reasons.push(format!(
                "privilege unknown: no rule or single privilege token matches the role '{role}' ({source})"
            ));
            Privilege::Unknown
        }
    }
}
