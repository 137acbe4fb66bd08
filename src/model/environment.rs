//! Environments: the kinds redline reasons about.

use serde::Serialize;

/// What an environment is, as far as risk goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvironmentKind {
    Dev,
    Ci,
    Staging,
    Prod,
    #[default]
    Unknown,
}

impl EnvironmentKind {
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
