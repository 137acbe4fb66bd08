//! Environments: the kinds redline reasons about.

use serde::Serialize;

/// What an environment is, as far as risk goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvironmentKind {
    /// Development: where people build and try things.
    Dev,
    /// Continuous integration: where automation builds and tests.
    Ci,
    /// Staging or pre-production: the last stop before prod.
    Staging,
    /// Production: admin here is danger.
    Prod,
    /// Nothing says which environment this is; louder than dev and ci, quieter than staging.
    #[default]
    Unknown,
}

impl EnvironmentKind {
    /// Every kind: prod, staging, ci and dev, then unknown.
    pub const ALL: [EnvironmentKind; 5] = [
        EnvironmentKind::Prod,
        EnvironmentKind::Staging,
        EnvironmentKind::Ci,
        EnvironmentKind::Dev,
        EnvironmentKind::Unknown,
    ];

    /// The kind named `text` (as written in the configuration).
    pub fn parse(text: &str) -> Option<EnvironmentKind> {
        EnvironmentKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The kind as written in the configuration: `dev`, `ci`, `staging`, `prod` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            EnvironmentKind::Dev => "dev",
            EnvironmentKind::Ci => "ci",
            EnvironmentKind::Staging => "staging",
            EnvironmentKind::Prod => "prod",
            EnvironmentKind::Unknown => "unknown",
        }
    }
}
