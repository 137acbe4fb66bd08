//! Environments: a name people chose and the kind redline reasons about.

use serde::Serialize;

use crate::config::{Config, Rule, RuleMatch};
use crate::evidence::Named;
use crate::token::{find_keywords, Keyword};

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

/// How loud an environment is: a disagreement takes the loudest reading.
pub(crate) fn loudness(kind: EnvironmentKind) -> u8 {
    match kind {
        EnvironmentKind::Dev => 0,
        EnvironmentKind::Ci => 1,
        EnvironmentKind::Unknown => 2,
        EnvironmentKind::Staging => 3,
        EnvironmentKind::Prod => 4,
    }
}

/// Decides the environment from what may decide it, then lets what may only raise raise it.
///
/// `rules` matched evidence that decides (an id, an alias, an app's registered name): the first
/// that names an environment wins, as the configuration orders them. Without one, the deciding
/// `names` by whole tokens; when they disagree, the loudest reading, and `conflict` is set.
/// `raising` rules matched evidence anyone may set, and the names of [`Trust::Anyone`] may only
/// raise: to prod, never to anything quieter. Raising over a deciding reading is a disagreement too.
pub(crate) fn decide(
    config: &Config,
    rules: &[Matched],
    raising: &[Matched],
    names: &[Named],
    reasons: &mut Vec<String>,
    conflict: &mut bool,
) -> EnvironmentView {
    let decided = decide_by_trusted(config, rules, names, reasons, conflict);
    if decided.kind == EnvironmentKind::Prod {
        return decided;
    }
    let raised_by_rule = raising.iter().find_map(|(rule, how, what)| {
        let def = config.environment(rule.environment.as_deref()?)?;
        (def.kind == EnvironmentKind::Prod).then(|| {
            let whose = if rule.managed { "the organisation's" } else { "your" };
            (def, format!("{whose} rule for {what} (by {}), matched by what anyone may set", how.describe()))
        })
    });
    let raised_by_name = || {
        names.iter().filter(|n| !n.trust.decides()).find_map(|named| {
            let prod = find_keywords(&named.value, ENVIRONMENT_KEYWORDS)
                .into_iter()
                .find(|(kind, _)| *kind == EnvironmentKind::Prod)?;
            let def = config.environment_of_kind(EnvironmentKind::Prod);
            Some((
                def,
                format!("the {} '{}' has the token '{}' ({})", named.what, named.value, prod.1, named.trust.describe()),
            ))
        })
    };
    let raised = match raised_by_rule {
        Some((def, why)) => Some((def.name.clone(), def.label.clone(), why)),
        None => raised_by_name().map(|(def, why)| {
            (def.map_or_else(|| "prod".to_owned(), |d| d.name.clone()), def.and_then(|d| d.label.clone()), why)
        }),
    };
    let Some((name, label, why)) = raised else {
        for named in names.iter().filter(|n| !n.trust.decides()) {
            if let Some((kind, keyword)) = find_keywords(&named.value, ENVIRONMENT_KEYWORDS).first() {
                reasons.push(format!(
                    "not decisive: the {} '{}' has the token '{keyword}' ({}), and {} is not louder",
                    named.what,
                    named.value,
                    named.trust.describe(),
                    kind.as_str()
                ));
            }
        }
        return decided;
    };
    if decided.kind == EnvironmentKind::Unknown {
        reasons.push(format!("environment {name}: raised by {why}"));
    } else {
        *conflict = true;
        reasons.push(format!(
            "signals disagree: environment {} by what decides, but {why}; the louder reading, {name}, is shown",
            decided.name
        ));
    }
    EnvironmentView::of(&name, EnvironmentKind::Prod, label.as_deref())
}

fn decide_by_trusted(
    config: &Config,
    rules: &[Matched],
    names: &[Named],
    reasons: &mut Vec<String>,
    conflict: &mut bool,
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
    let trusted: Vec<&Named> = names.iter().filter(|n| n.trust.decides()).collect();
    let values: Vec<&str> = trusted.iter().map(|n| n.value.as_str()).collect();
    let what_of = |value: &str| trusted.iter().find(|n| n.value == value).map_or("name", |n| n.what.as_str());
    let of_kind = |kind: EnvironmentKind| {
        let def = config.environment_of_kind(kind);
        EnvironmentView::of(def.map_or(kind.as_str(), |d| d.name.as_str()), kind, def.and_then(|d| d.label.as_deref()))
    };
    match environment_from_names(&values) {
        NameEvidence::Kind { kind, keyword, name } => {
            let view = of_kind(kind);
            reasons.push(format!(
                "environment {}: the {} '{name}' has the token '{keyword}'",
                view.name,
                what_of(&name)
            ));
            view
        }
        NameEvidence::Conflict(hits) => {
            let loudest = hits.iter().map(|(kind, _, _)| *kind).max_by_key(|kind| loudness(*kind)).unwrap_or_default();
            let view = of_kind(loudest);
            let mut reason = String::from("signals disagree: the names say");
            for (i, (kind, keyword, name)) in hits.iter().enumerate() {
                let separator = if i == 0 { " " } else { ", " };
                reason.push_str(&format!(
                    "{separator}'{keyword}' ({}) in the {} '{name}'",
                    kind.as_str(),
                    what_of(name)
                ));
            }
            reason.push_str(&format!("; the louder reading, {}, is shown", view.name));
            reasons.push(reason);
            *conflict = true;
            view
        }
        NameEvidence::Nothing => {
            let looked: Vec<&str> = trusted.iter().map(|n| n.what.as_str()).collect();
            reasons.push(if looked.is_empty() {
                "environment unknown: no rule matches and the page names nothing that may decide it".to_owned()
            } else {
                format!("environment unknown: no rule matches and no environment token in the {}", looked.join(", "))
            });
            EnvironmentView::unknown()
        }
    }
}
