//! Environments: a name people chose and the kind redline reasons about.

use serde::Serialize;

use crate::config::{Config, Rule, RuleMatch};
use crate::model::{EnvironmentKind, Named};
use crate::text::names::{environment_from_names, NameEvidence, ENVIRONMENT_KEYWORDS};
use crate::text::token::find_keywords;

/// The environment a verdict shows: the configured name, its kind and its banner text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvironmentView {
    /// The configured environment's name (e.g. `prod`), or `unknown`.
    pub name: String,
    /// What kind it is, which sets the severity and the default colour.
    pub kind: EnvironmentKind,
    /// What the banner says: the configured label, else the name in capitals.
    pub label: String,
}

impl EnvironmentView {
    /// The environment when nothing decides one: `unknown`, shown as `UNKNOWN`.
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
