//! Privilege: how much a role may change.

use serde::Serialize;

/// How much the current role may change, as far as redline can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Privilege {
    /// May look, not change.
    Readonly,
    /// May change resources, short of administering the account (a power user or developer role).
    Write,
    /// May change anything: an administrator, full-access or owner role.
    Admin,
    /// No role name or rule says what the role may do.
    Unknown,
}

impl Privilege {
    /// The privilege named `text` (as written in the configuration).
    pub fn parse(text: &str) -> Option<Privilege> {
        [Privilege::Readonly, Privilege::Write, Privilege::Admin, Privilege::Unknown]
            .into_iter()
            .find(|p| p.as_str() == text)
    }

    /// The privilege as written in the configuration: `readonly`, `write`, `admin` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Privilege::Readonly => "readonly",
            Privilege::Write => "write",
            Privilege::Admin => "admin",
            Privilege::Unknown => "unknown",
        }
    }
}
