//! What names say about an environment, read by whole tokens.

use super::token::{find_keywords, Keyword};
use crate::model::EnvironmentKind;

/// The whole-token names that reveal an environment kind when nothing configured says otherwise.
pub const ENVIRONMENT_KEYWORDS: &[Keyword<EnvironmentKind>] = &[
    ("prod", EnvironmentKind::Prod),
    ("production", EnvironmentKind::Prod),
    ("prd", EnvironmentKind::Prod),
    ("live", EnvironmentKind::Prod),
    ("staging", EnvironmentKind::Staging),
    ("stage", EnvironmentKind::Staging),
    ("stg", EnvironmentKind::Staging),
    ("preprod", EnvironmentKind::Staging),
    ("preproduction", EnvironmentKind::Staging),
    // Names that say only what an environment is not: no environment can be read from them.
    ("nonprod", EnvironmentKind::Unknown),
    ("nonproduction", EnvironmentKind::Unknown),
    ("notprod", EnvironmentKind::Unknown),
    ("ci", EnvironmentKind::Ci),
    ("dev", EnvironmentKind::Dev),
    ("development", EnvironmentKind::Dev),
    ("sandbox", EnvironmentKind::Dev),
];

/// What the names of an account say about its environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameEvidence {
    /// One kind, and the keyword and name that showed it.
    Kind {
        /// The kind the keyword names.
        kind: EnvironmentKind,
        /// The keyword found, e.g. `prod`.
        keyword: &'static str,
        /// The name it was found in.
        name: String,
    },
    /// Keywords of different kinds: the names cannot decide.
    Conflict(Vec<(EnvironmentKind, &'static str, String)>),
    /// No keyword at all.
    Nothing,
}

/// Reads the environment kind from `names` (an alias, an account name…) by whole tokens.
///
/// ```
/// use redline::{environment_from_names, EnvironmentKind, NameEvidence};
/// let evidence = environment_from_names(&["acme-prod"]);
/// assert!(matches!(evidence, NameEvidence::Kind { kind: EnvironmentKind::Prod, .. }));
/// assert_eq!(environment_from_names(&["product-analytics"]), NameEvidence::Nothing);
/// ```
pub fn environment_from_names(names: &[&str]) -> NameEvidence {
    let mut hits: Vec<(EnvironmentKind, &'static str, String)> = Vec::new();
    for name in names {
        for (kind, keyword) in find_keywords(name, ENVIRONMENT_KEYWORDS) {
            hits.push((kind, keyword, (*name).to_owned()));
        }
    }
    let Some(first) = hits.first().cloned() else {
        return NameEvidence::Nothing;
    };
    if hits.iter().all(|(kind, _, _)| *kind == first.0) {
        NameEvidence::Kind { kind: first.0, keyword: first.1, name: first.2 }
    } else {
        NameEvidence::Conflict(hits)
    }
}
