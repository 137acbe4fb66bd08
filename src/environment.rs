//! Environments: a name people chose and the kind redline reasons about.

use serde::Serialize;

use crate::config::{Config, Rule, RuleMatch};
use crate::token::{find_keywords, Keyword};

/// What an environment is, as far as risk goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvironmentKind {
    Dev,
    Ci,
    Staging,
    Prod,
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
    Kind { kind: EnvironmentKind, keyword: &'static str, name: String },
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

/// The environment a verdict shows: the configured name, its kind and its banner text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvironmentView {
    pub name: String,
    pub kind: EnvironmentKind,
    pub label: String,
}

impl EnvironmentView {
    pub fn unknown() -> EnvironmentView {
        EnvironmentView { name: "unknown".to_owned(), kind: EnvironmentKind::Unknown, label: "UNKNOWN".to_owned() }
    }

    fn of(name: &str, kind: EnvironmentKind, label: Option<&str>) -> EnvironmentView {
        EnvironmentView {
            name: name.to_owned(),
            kind,
            label: label.map_or_else(|| name.to_ascii_uppercase(), str::to_owned),
        }
    }
}

/// A configured rule that matched, and what it matched (`"the AWS account"`).
pub(crate) type Matched<'a> = (&'a Rule, RuleMatch, &'static str);

/// Decides the environment: the first matched rule that names one wins; otherwise the names
/// (`(what, value)` pairs, e.g. `("resource group", "rg-prod")`) by whole tokens; otherwise unknown.
pub(crate) fn decide(
    config: &Config,
    rules: &[Matched],
    names: &[(&str, &str)],
    reasons: &mut Vec<String>,
) -> EnvironmentView {
    for (rule, how, what) in rules {
        let Some(wanted) = rule.environment.as_deref() else { continue };
        match config.environment(wanted) {
            Some(def) => {
                let whose = if rule.managed { "the organisation's" } else { "your" };
                reasons.push(format!("environment {}: {whose} rule for {what} (by {})", def.name, how.describe()));
                return EnvironmentView::of(&def.name, def.kind, def.label.as_deref());
            }
            None => reasons.push(format!("ignored the rule for {what}: environment '{wanted}' is not defined")),
        }
    }
    let values: Vec<&str> = names.iter().map(|(_, value)| *value).collect();
    let what_of = |value: &str| names.iter().find(|(_, v)| *v == value).map_or("name", |(what, _)| *what);
    match environment_from_names(&values) {
        NameEvidence::Kind { kind, keyword, name } => {
            let def = config.environment_of_kind(kind);
            let env_name = def.map_or(kind.as_str(), |d| d.name.as_str());
            reasons.push(format!("environment {env_name}: the {} '{name}' has the token '{keyword}'", what_of(&name)));
            EnvironmentView::of(env_name, kind, def.and_then(|d| d.label.as_deref()))
        }
        NameEvidence::Conflict(hits) => {
            let mut reason = String::from("environment unknown: the names disagree:");
            for (i, (kind, keyword, name)) in hits.iter().enumerate() {
                let separator = if i == 0 { " " } else { ", " };
                reason.push_str(&format!(
                    "{separator}'{keyword}' ({}) in the {} '{name}'",
                    kind.as_str(),
                    what_of(name)
                ));
            }
            reasons.push(reason);
            EnvironmentView::unknown()
        }
        NameEvidence::Nothing => {
            let looked: Vec<&str> = names.iter().map(|(what, _)| *what).collect();
            reasons.push(if looked.is_empty() {
                "environment unknown: no rule matches and the page names nothing to read it from".to_owned()
            } else {
                format!("environment unknown: no rule matches and no environment token in the {}", looked.join(", "))
            });
            EnvironmentView::unknown()
        }
    }
}
