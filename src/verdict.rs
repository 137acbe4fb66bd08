//! The verdict on a console tab, and `evaluate`, which reaches it.

use serde::Serialize;

use crate::config::Config;
use crate::console::{detect, is_region, ConsoleLocation, Partition, Provider};
use crate::environment::{environment_from_names, EnvironmentKind, NameEvidence};
use crate::identity::{aws_identity, Identity, Principal, PrincipalKind};
use crate::palette::{default_background, Colour};
use crate::privilege::{privilege_from_role_name, Privilege};
use crate::signals::Signals;

/// How loudly the banner speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Caution,
    Danger,
}

impl Severity {
    /// The severity of a privilege in an environment; root sessions are handled by the caller.
    ///
    /// ```
    /// use redline::{EnvironmentKind as E, Privilege as P, Severity as S};
    /// assert_eq!(S::of(E::Prod, P::Admin), S::Danger);
    /// assert_eq!(S::of(E::Prod, P::Unknown), S::Caution);
    /// assert_eq!(S::of(E::Dev, P::Admin), S::Info);
    /// ```
    pub fn of(environment: EnvironmentKind, privilege: Privilege) -> Severity {
        use EnvironmentKind as E;
        use Privilege as P;
        match (environment, privilege) {
            (E::Prod, P::Admin) => Severity::Danger,
            (E::Prod, P::Write | P::Unknown) | (E::Staging | E::Unknown, P::Admin) => {
                Severity::Caution
            }
            _ => Severity::Info,
        }
    }
}

/// Everything the banner, the badge and the popup show about a tab.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub provider: Provider,
    pub provider_name: &'static str,
    pub partition: Option<Partition>,
    pub region: Option<String>,
    pub account: Account,
    pub principal: PrincipalView,
    pub environment: EnvironmentView,
    pub privilege: Privilege,
    pub severity: Severity,
    /// One line for the banner: environment, role, account.
    pub label: String,
    /// A few characters for the toolbar badge.
    pub badge: String,
    pub colors: Colors,
    /// Which source, rule or heuristic decided each part.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: Option<String>,
    pub alias: Option<String>,
    pub name: Option<String>,
    pub display: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrincipalView {
    #[serde(flatten)]
    pub principal: Principal,
    pub display: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentView {
    pub name: String,
    pub kind: EnvironmentKind,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Colors {
    pub background: String,
    pub foreground: String,
}

/// The verdict on the tab at `url` whose page showed `signals`, or `None` when `url` is not a console.
///
/// ```
/// use redline::{evaluate, Config, EnvironmentKind, Privilege, Severity, Signals};
/// let signals = Signals {
///     aws_session_data: Some(r#"{"accountId":"111122223333","accountAlias":"acme-prod",
///         "sessionARN":"arn:aws:sts::111122223333:assumed-role/Admin/jane"}"#.into()),
///     ..Signals::default()
/// };
/// let verdict = evaluate("https://console.aws.amazon.com/ec2/home", &signals, &Config::seed()).unwrap();
/// assert_eq!(verdict.environment.kind, EnvironmentKind::Prod);
/// assert_eq!(verdict.privilege, Privilege::Admin);
/// assert_eq!(verdict.severity, Severity::Danger);
/// assert!(evaluate("https://example.com/", &signals, &Config::seed()).is_none());
/// ```
pub fn evaluate(url: &str, signals: &Signals, config: &Config) -> Option<Verdict> {
    let location = detect(url)?;
    Some(match location.provider {
        Provider::Aws => aws_verdict(location, signals, config),
        _ => unidentified_verdict(location),
    })
}

fn aws_verdict(location: ConsoleLocation, signals: &Signals, config: &Config) -> Verdict {
    let identity = aws_identity(&location, signals);
    let mut reasons = identity.evidence.clone();
    let environment = aws_environment(&identity, config, &mut reasons);
    let privilege = aws_privilege(&identity.principal, config, &mut reasons);
    let region = location.region.clone().or_else(|| {
        signals
            .aws_region
            .as_deref()
            .map(str::trim)
            .filter(|r| is_region(r))
            .map(str::to_owned)
    });
    let account = Account {
        display: aws_account_display(&identity),
        id: identity.account_id,
        alias: identity.alias,
        name: identity.account_name,
    };
    assemble(
        location,
        region,
        account,
        identity.principal,
        environment,
        privilege,
        config,
        reasons,
    )
}

/// A console redline recognises but cannot read yet: it says so rather than guess.
fn unidentified_verdict(location: ConsoleLocation) -> Verdict {
    let environment = EnvironmentView {
        name: EnvironmentKind::Unknown.as_str().to_owned(),
        kind: EnvironmentKind::Unknown,
        label: "UNKNOWN".to_owned(),
    };
    let account = Account {
        id: None,
        alias: None,
        name: None,
        display: "account unknown".to_owned(),
    };
    let reasons = vec![format!(
        "{} is recognised but not read by this version",
        location.provider.display_name()
    )];
    assemble(
        location,
        None,
        account,
        Principal::UNKNOWN,
        environment,
        Privilege::Unknown,
        &Config::default(),
        reasons,
    )
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    location: ConsoleLocation,
    region: Option<String>,
    account: Account,
    principal: Principal,
    environment: EnvironmentView,
    privilege: Privilege,
    config: &Config,
    mut reasons: Vec<String>,
) -> Verdict {
    let root = principal.kind == PrincipalKind::Root;
    let privilege = if root { Privilege::Admin } else { privilege };
    let severity = if root {
        Severity::Danger
    } else {
        Severity::of(environment.kind, privilege)
    };
    reasons.push(if root {
        "severity danger: a root session, which is never meant to be used".to_owned()
    } else {
        format!(
            "severity {}: {} privilege in a {} environment",
            severity_name(severity),
            privilege.as_str(),
            environment.kind.as_str()
        )
    });
    let role_text = principal
        .display()
        .unwrap_or_else(|| "role unknown".to_owned());
    let mut parts = vec![location.provider.display_name().to_owned()];
    if root {
        parts.push("ROOT".to_owned());
    }
    parts.extend([
        environment.label.clone(),
        role_text.clone(),
        account.display.clone(),
    ]);
    let background = config
        .environment(&environment.name)
        .and_then(|e| e.colour.as_deref())
        .and_then(Colour::parse)
        .unwrap_or_else(|| default_background(environment.kind));
    Verdict {
        provider: location.provider,
        provider_name: location.provider.display_name(),
        partition: location.partition,
        region,
        badge: if root {
            "ROOT".to_owned()
        } else {
            badge(environment.kind).to_owned()
        },
        label: parts.join(" · "),
        account,
        principal: PrincipalView {
            principal,
            display: role_text,
        },
        environment,
        privilege,
        severity,
        colors: Colors {
            background: background.to_hex(),
            foreground: background.readable_text().to_hex(),
        },
        reasons,
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "info",
        Severity::Caution => "caution",
        Severity::Danger => "danger",
    }
}

fn badge(kind: EnvironmentKind) -> &'static str {
    match kind {
        EnvironmentKind::Prod => "PROD",
        EnvironmentKind::Staging => "STG",
        EnvironmentKind::Ci => "CI",
        EnvironmentKind::Dev => "DEV",
        EnvironmentKind::Unknown => "?",
    }
}

/// `acme-prod (1111-2222-3333)`, or whichever part is known.
fn aws_account_display(identity: &Identity) -> String {
    let dashed = identity
        .account_id
        .as_deref()
        .map(|id| format!("{}-{}-{}", &id[0..4], &id[4..8], &id[8..12]));
    let name = identity
        .alias
        .as_deref()
        .or(identity.account_name.as_deref());
    match (name, dashed) {
        (Some(name), Some(id)) => format!("{name} ({id})"),
        (Some(name), None) => name.to_owned(),
        (None, Some(id)) => id,
        (None, None) => "account unknown".to_owned(),
    }
}

fn aws_environment(
    identity: &Identity,
    config: &Config,
    reasons: &mut Vec<String>,
) -> EnvironmentView {
    let id = identity.account_id.as_deref();
    let alias = identity.alias.as_deref();
    if let Some(rule) = config.aws_account(id, alias) {
        let by = if rule.id.is_some() && rule.id.as_deref() == id {
            "id"
        } else {
            "alias"
        };
        if let Some(def) = config.environment(&rule.environment) {
            reasons.push(format!(
                "environment {}: the configured AWS account rule for this account {by}",
                def.name
            ));
            return view(&def.name, def.kind, def.label.as_deref());
        }
        reasons.push(format!(
            "ignored the AWS account rule: it names environment '{}', which is not defined",
            rule.environment
        ));
    }
    let names: Vec<&str> = [alias, identity.account_name.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    match environment_from_names(&names) {
        NameEvidence::Kind {
            kind,
            keyword,
            name,
        } => {
            let def = config.environment_of_kind(kind);
            let env_name = def.map_or(kind.as_str(), |d| d.name.as_str());
            reasons.push(format!(
                "environment {env_name}: the account name '{name}' has the token '{keyword}'"
            ));
            view(env_name, kind, def.and_then(|d| d.label.as_deref()))
        }
        NameEvidence::Conflict(hits) => {
            let found: Vec<String> = hits
                .iter()
                .map(|(kind, keyword, name)| format!("'{keyword}' ({}) in '{name}'", kind.as_str()))
                .collect();
            reasons.push(format!(
                "environment unknown: the account names disagree: {}",
                found.join(", ")
            ));
            view("unknown", EnvironmentKind::Unknown, None)
        }
        NameEvidence::Nothing => {
            reasons.push("environment unknown: no rule matches this account and its names carry no environment token".to_owned());
            view("unknown", EnvironmentKind::Unknown, None)
        }
    }
}

fn view(name: &str, kind: EnvironmentKind, label: Option<&str>) -> EnvironmentView {
    EnvironmentView {
        name: name.to_owned(),
        kind,
        label: label.map_or_else(|| name.to_ascii_uppercase(), str::to_owned),
    }
}

fn aws_privilege(principal: &Principal, config: &Config, reasons: &mut Vec<String>) -> Privilege {
    if principal.kind == PrincipalKind::Root {
        reasons.push("privilege admin: the root user can do everything".to_owned());
        return Privilege::Admin;
    }
    let Some(role) = principal.role.as_deref() else {
        reasons.push("privilege unknown: the page shows no role name".to_owned());
        return Privilege::Unknown;
    };
    if let Some(rule) = config.aws_role(role) {
        reasons.push(format!(
            "privilege {}: the configured AWS role '{}'",
            rule.privilege.as_str(),
            rule.name
        ));
        return rule.privilege;
    }
    match privilege_from_role_name(role) {
        Some((privilege, keyword)) => {
            reasons.push(format!(
                "privilege {}: the role name '{role}' has the token '{keyword}'",
                privilege.as_str()
            ));
            privilege
        }
        None => {
            reasons.push(format!(
                "privilege unknown: no rule or single privilege token matches the role '{role}'"
            ));
            Privilege::Unknown
        }
    }
}
