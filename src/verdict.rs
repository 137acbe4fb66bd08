//! The verdict on a console tab, and `evaluate`, which reaches it.

use serde::Serialize;

use crate::config::Config;
use crate::console::{detect, ConsoleLocation, Partition, Provider};
use crate::environment::{EnvironmentKind, EnvironmentView};
use crate::identity::{Principal, PrincipalKind};
use crate::palette::default_background;
use crate::privilege::Privilege;
use crate::signals::Signals;
use crate::{aiven, aws, azure, gcp};

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
            (E::Prod, P::Write | P::Unknown) | (E::Staging | E::Unknown, P::Admin) => Severity::Caution,
            _ => Severity::Info,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Caution => "caution",
            Severity::Danger => "danger",
        }
    }
}

/// Everything the banner, the badge and the popup show about a tab.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub provider: Provider,
    pub provider_name: &'static str,
    /// Where in the console the URL points (tenant, subscription, project…).
    pub location: ConsoleLocation,
    pub partition: Option<Partition>,
    pub region: Option<String>,
    pub account: Account,
    pub principal: PrincipalView,
    pub environment: EnvironmentView,
    pub privilege: Privilege,
    pub severity: Severity,
    /// One line for the banner: provider, environment, role, account, user.
    pub label: String,
    /// A few characters for the toolbar badge.
    pub badge: String,
    pub colors: Colors,
    /// Which source, rule or heuristic decided each part.
    pub reasons: Vec<String>,
}

/// The account (AWS), directory (Azure) or project (Google Cloud, Aiven) the tab is in.
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
pub struct Colors {
    pub background: String,
    pub foreground: String,
}

/// What one console's reader made of a tab, before severity, label and colours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reading {
    pub region: Option<String>,
    pub account: Account,
    pub principal: Principal,
    pub environment: EnvironmentView,
    pub privilege: Privilege,
    pub reasons: Vec<String>,
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
    let reading = match location.provider {
        Provider::Aws => aws::read(&location, signals, config),
        Provider::Azure => azure::read(&location, signals, config),
        Provider::Gcp => gcp::read(&location, signals, config),
        Provider::Aiven => aiven::read(&location, config),
    };
    Some(assemble(location, reading, config))
}

fn assemble(location: ConsoleLocation, reading: Reading, config: &Config) -> Verdict {
    let Reading { region, account, principal, environment, privilege, mut reasons } = reading;
    let root = principal.kind == PrincipalKind::Root;
    let severity = if root { Severity::Danger } else { Severity::of(environment.kind, privilege) };
    reasons.push(if root {
        "severity danger: a root session, which is never meant to be used".to_owned()
    } else {
        let article = if environment.kind == EnvironmentKind::Unknown { "an" } else { "a" };
        format!(
            "severity {}: {} privilege in {article} {} environment",
            severity.as_str(),
            privilege.as_str(),
            environment.kind.as_str()
        )
    });
    let role_text = principal.display();
    let mut parts = vec![location.provider.display_name().to_owned()];
    if root {
        parts.push("ROOT".to_owned());
    }
    parts.extend([environment.label.clone(), role_text.clone(), account.display.clone()]);
    let (background, foreground) = match config.environment(&environment.name) {
        Some(def) => def.colours(),
        None => {
            let background = default_background(environment.kind);
            (background, background.readable_text())
        }
    };
    Verdict {
        provider: location.provider,
        provider_name: location.provider.display_name(),
        partition: location.partition,
        location,
        region,
        badge: if root { "ROOT".to_owned() } else { badge(environment.kind).to_owned() },
        label: parts.join(" · "),
        account,
        principal: PrincipalView { principal, display: role_text },
        environment,
        privilege,
        severity,
        colors: Colors { background: background.to_hex(), foreground: foreground.to_hex() },
        reasons,
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
