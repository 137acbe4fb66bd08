//! Privilege: how much a role may change.

use serde::{Deserialize, Serialize};

use crate::token::{find_keywords, Keyword};

/// How much the current role may change, as far as redline can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Privilege {
    Readonly,
    Write,
    Admin,
    Unknown,
}

impl Privilege {
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
