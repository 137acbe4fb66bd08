//! Privilege from role names: configured role rules, each console's role names, then names whose
//! meaning is the same everywhere; and how the roles a page shows decide.

use crate::config::Config;
use crate::model::{Privilege, Provider, Trust};
use crate::text::token::{find_keywords, Keyword};

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

/// A role name as a page, URL or rule gave it: where it was read, and who chose it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoleSeen<'a> {
    pub name: &'a str,
    pub source: &'a str,
    pub trust: Trust,
}

/// How loud a privilege is: a disagreement takes the loudest reading.
pub(crate) fn loudness(privilege: Privilege) -> u8 {
    match privilege {
        Privilege::Readonly => 0,
        Privilege::Write => 1,
        Privilege::Unknown => 2,
        Privilege::Admin => 3,
    }
}

/// What one role name says: a configured role rule, then the provider's own role names, then the
/// general keywords; `None` when nothing matches (or keywords disagree).
fn classify(provider: Provider, role: &str, config: &Config) -> Option<(Privilege, String)> {
    if let Some(rule) = config.roles(provider).iter().find(|r| r.name.eq_ignore_ascii_case(role)) {
        return Some((rule.privilege, format!("the configured {} role '{}'", provider.display_name(), rule.name)));
    }
    let from_table = |table| {
        let hits = find_keywords(role, table);
        let first = *hits.first()?;
        hits.iter().all(|(p, _)| *p == first.0).then_some(first)
    };
    from_table(super::role_keywords(provider))
        .or_else(|| privilege_from_role_name(role))
        .map(|(privilege, keyword)| (privilege, format!("the role '{role}' has the token '{keyword}'")))
}

/// What the role name `role` says, unknown when nothing matches it.
pub(crate) fn of_role(provider: Provider, role: &str, config: &Config) -> Privilege {
    classify(provider, role, config).map_or(Privilege::Unknown, |(privilege, _)| privilege)
}

/// Decides the privilege from the roles seen. Roles that may decide give it (the loudest when
/// they disagree, with `conflict` set); roles anyone may set may only raise it, to admin.
pub(crate) fn decide(
    provider: Provider,
    roles: &[RoleSeen],
    config: &Config,
    reasons: &mut Vec<String>,
    conflict: &mut bool,
) -> Privilege {
    let mut decided: Option<(Privilege, String)> = None;
    for role in roles.iter().filter(|r| r.trust.decides()) {
        // A role nothing classifies says "unknown", which is louder than read-only or write: a
        // deciding source showing it and another showing ReadOnly disagree.
        let (privilege, why) = classify(provider, role.name, config).unwrap_or_else(|| {
            (Privilege::Unknown, format!("no rule or single privilege token matches the role '{}'", role.name))
        });
        let why = format!("{why} ({}, {})", role.source, role.trust.describe());
        match &decided {
            None => decided = Some((privilege, why)),
            Some((earlier, earlier_why)) if *earlier != privilege => {
                *conflict = true;
                let louder = if loudness(privilege) > loudness(*earlier) { privilege } else { *earlier };
                reasons.push(format!(
                    "signals disagree: privilege {} by {earlier_why}, {} by {why}; the louder reading, {}, is shown",
                    earlier.as_str(),
                    privilege.as_str(),
                    louder.as_str()
                ));
                if louder != *earlier {
                    decided = Some((privilege, why));
                }
            }
            Some(_) => {}
        }
    }
    let (mut privilege, why) = decided.unwrap_or((Privilege::Unknown, String::new()));
    if why.is_empty() && !roles.iter().any(|r| r.trust.decides()) {
        reasons.push("privilege unknown: the page shows no role that may decide it and no rule names one".to_owned());
    } else if !why.is_empty() {
        reasons.push(format!("privilege {}: {why}", privilege.as_str()));
    }
    for role in roles.iter().filter(|r| !r.trust.decides()) {
        let Some((said, why)) = classify(provider, role.name, config) else { continue };
        let why = format!("{why} ({}, {})", role.source, role.trust.describe());
        if said == Privilege::Admin && privilege != Privilege::Admin {
            if privilege == Privilege::Unknown {
                reasons.push(format!("privilege admin: raised by {why}"));
            } else {
                *conflict = true;
                reasons.push(format!(
                    "signals disagree: privilege {} by what decides, but {why}; the louder reading, admin, is shown",
                    privilege.as_str()
                ));
            }
            privilege = Privilege::Admin;
        } else if said != privilege {
            reasons.push(format!("not decisive: {why}, which says {}", said.as_str()));
        }
    }
    privilege
}
