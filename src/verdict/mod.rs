//! The verdict on a console tab, and `evaluate`, which reaches it.

use serde::Serialize;

use crate::config::{Config, EnvironmentDef, Target};
mod danger;
mod guard;
pub(crate) mod target;
mod why;

pub use danger::{DangerClock, DangerOverlay, DangerStep, DangerSteps};
pub use guard::Guard;
pub use why::{mask_ids, About, Fix, SignalRead, Why};

use crate::console::environment::EnvironmentView;
use crate::console::switch::{plan_switch, From as SwitchFrom, Plan};
use crate::console::{self, detect, privilege, Account, ConsoleLocation, Reading};
use crate::model::{
    default_background, EnvironmentKind, Partition, Principal, PrincipalKind, Privilege, Provider, Severity,
};
use crate::signals::Signals;

/// Everything the banner, the badge and the popup show about a tab.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// Whose console the tab shows.
    pub provider: Provider,
    /// The provider as people name it, e.g. `Google Cloud`.
    pub provider_name: &'static str,
    /// Where in the console the URL points (tenant, subscription, project…). The extension shows
    /// the account and the label instead, so it is not sent over (its code would cost the wasm).
    #[serde(skip)]
    pub location: ConsoleLocation,
    /// The AWS partition of the console host; `None` for other consoles.
    pub partition: Option<Partition>,
    /// The AWS region, from the URL or the page; `None` in other consoles or when neither names one.
    pub region: Option<String>,
    /// The account (AWS), directory (Azure) or project (Google Cloud, Aiven) the tab is in.
    pub account: Account,
    /// Who is signed in.
    pub principal: PrincipalView,
    /// The environment decided, with the banner's text for it.
    pub environment: EnvironmentView,
    /// How much the current role may change.
    pub privilege: Privilege,
    /// How loudly the banner speaks; danger turns on danger mode (`danger`).
    pub severity: Severity,
    /// One line for the banner: provider, environment, role, account, user.
    pub label: String,
    /// A few characters for the toolbar badge.
    pub badge: String,
    /// The banner's colours.
    pub colors: Colors,
    /// Put before the tab title, e.g. `[PROD ADMIN]`.
    pub title_prefix: String,
    /// The toolbar button's tooltip: the label and severity, then the first reasons.
    pub toolbar_title: String,
    /// Present when the severity is danger: what the danger mode shows and asks.
    pub danger: Option<Danger>,
    /// Sources that may decide disagreed (or a source that may only raise raised over them): the
    /// louder reading is shown, and the label says so.
    pub conflict: bool,
    /// The page has shown every part of who is signed in that its top bar shows: the content
    /// script stops watching the page for late signals.
    pub complete: bool,
    /// Which source, rule or heuristic decided each part.
    pub reasons: Vec<String>,
}

/// What the label says when sources disagree.
pub const DISAGREE: &str = "SIGNALS DISAGREE";

/// What danger mode (admin in prod, root anywhere) shows and asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Danger {
    /// In capitals, e.g. `PRODUCTION · ADMIN`.
    pub headline: String,
    /// What the elapsed-time counter counts, e.g. `Admin in prod`.
    pub elapsed_label: String,
    /// Which danger this is (one per account): entering another restarts the elapsed time.
    pub key: String,
    /// Set when the first entry must be acknowledged: the key it is remembered by for the browser
    /// session (the same as `key`).
    pub acknowledge_key: Option<String>,
    /// The words of the acknowledgement button.
    pub acknowledge_text: String,
    /// After this long in danger the banner asks again.
    pub reminder_minutes: u32,
    /// What it asks then, before the time spent.
    pub reminder_text: String,
    /// Where "Drop to read-only" goes, when a read-only role of the same account is known.
    pub readonly_switch: Option<Switch>,
    /// Present when destructive clicks must be confirmed here.
    pub guard: Option<Guard>,
}

/// A way to leave danger for a safer role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Switch {
    /// The button's words, e.g. `Drop to read-only (Operator)`.
    pub label: String,
    /// The page the button opens: AWS's prefilled switch-role page or an access portal's console link.
    pub url: String,
}

/// Who is signed in, as a verdict shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrincipalView {
    /// Assumed role, Identity Center permission set, IAM user, root user, or unknown.
    pub kind: PrincipalKind,
    /// The role name, or the permission set name for Identity Center.
    pub role: Option<String>,
    /// The role session name (`jane` in `Admin/jane`).
    pub session: Option<String>,
    /// The IAM user name, or a user text the page showed without a role.
    pub user: Option<String>,
    /// How the banner names the principal.
    pub display: String,
}

/// The banner's colours, each `#RRGGBB`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Colors {
    /// The background: the environment's configured colour, else its kind's.
    pub background: String,
    /// The text colour: the configured one, else black or white, whichever reads better.
    pub foreground: String,
    /// The danger strip's second stripe: the background darkened, so that the stripes read
    /// without colour vision.
    pub stripe: String,
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
    let mut reading = console::read(&location, signals, config);
    reading.reasons.splice(0..0, signals.set_aside());
    let complete = console::page_complete(&location, signals);
    Some(assemble(location, reading, complete, config, url))
}

fn assemble(location: ConsoleLocation, reading: Reading, complete: bool, config: &Config, url: &str) -> Verdict {
    let Reading { region, account, principal, environment, privilege, mut reasons, conflict } = reading;
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
    let mut parts = vec![location.provider.display_name()];
    if root {
        parts.push("ROOT");
    }
    parts.extend([environment.label.as_str(), role_text.as_str(), account.display.as_str()]);
    if conflict {
        parts.push(DISAGREE);
    }
    let label = parts.join(" · ");
    let (background, foreground) = match config.environment(&environment.name) {
        Some(def) => def.colours(),
        None => {
            let background = default_background(environment.kind);
            (background, background.readable_text())
        }
    };
    let privilege_word = match privilege {
        Privilege::Admin => Some("ADMIN"),
        Privilege::Write => Some("WRITE"),
        Privilege::Readonly => Some("READ-ONLY"),
        Privilege::Unknown => None,
    };
    let title_prefix = if root {
        format!("[ROOT {}]", environment.label)
    } else {
        format!(
            "[{}]",
            [Some(environment.label.as_str()), privilege_word].into_iter().flatten().collect::<Vec<_>>().join(" ")
        )
    };
    let danger = (severity == Severity::Danger).then(|| {
        let settings = config.danger.clone().unwrap_or_default();
        let role = principal.role.as_deref().unwrap_or("Admin");
        let environment_def = config.environment(&environment.name);
        let place =
            if environment.kind == EnvironmentKind::Prod { "production".to_owned() } else { environment.name.clone() };
        let key = {
            let id = account.id.as_deref().or(account.alias.as_deref()).unwrap_or(&account.display);
            format!("{}:{id}", location.provider.as_str())
        };
        Danger {
            headline: if root {
                format!("ROOT USER · {}", environment.label)
            } else {
                format!("{} · {}", place.to_ascii_uppercase(), role.to_ascii_uppercase())
            },
            elapsed_label: if root { "Root session".to_owned() } else { format!("{role} in {}", environment.name) },
            acknowledge_key: settings.acknowledge.then(|| key.clone()),
            key,
            acknowledge_text: if root {
                "I need the root user here".to_owned()
            } else {
                format!("I need {role} in {place}")
            },
            reminder_minutes: settings.reminder_minutes,
            reminder_text: if root {
                "Still need the root user?".to_owned()
            } else {
                format!("Still need {role} in {place}?")
            },
            readonly_switch: if root { None } else { readonly_switch(&location, &account, &principal, config, url) },
            guard: environment_def
                .is_none_or(EnvironmentDef::guarded)
                .then(|| Guard::new(&settings.verbs, &environment.name)),
        }
    });
    let mut toolbar_title = format!("{label} — {}", severity.as_str());
    for reason in reasons.iter().take(4) {
        toolbar_title.push('\n');
        toolbar_title.push_str(reason);
    }
    Verdict {
        title_prefix,
        danger,
        provider: location.provider,
        provider_name: location.provider.display_name(),
        partition: location.partition,
        location,
        region,
        badge: if root { "ROOT".to_owned() } else { badge(environment.kind).to_owned() },
        label,
        account,
        principal: PrincipalView {
            kind: principal.kind,
            role: principal.role,
            session: principal.session,
            user: principal.user,
            display: role_text,
        },
        environment,
        privilege,
        severity,
        colors: Colors {
            background: background.to_hex(),
            foreground: foreground.to_hex(),
            stripe: background.darker().to_hex(),
        },
        toolbar_title,
        conflict,
        complete,
        reasons,
    }
}

/// The way back to read-only, in the same account, coming back to the same page: a target made up
/// for it (the first read-only role the configuration names; for Identity Center, the first
/// configured target of this account with a portal and a read-only permission set), planned as
/// the popup plans any target. Without a CSRF token or session data the plan is AWS's prefilled
/// switch-role page (or the portal's link), which the user submits.
fn readonly_switch(
    location: &ConsoleLocation,
    account: &Account,
    principal: &Principal,
    config: &Config,
    url: &str,
) -> Option<Switch> {
    if location.provider != Provider::Aws {
        return None;
    }
    let account_id = account.id.as_deref().filter(|_| account.id_decides)?;
    let (role, label, portal) = if principal.kind == PrincipalKind::IdentityCenter {
        let target = config.targets.iter().find(|t| {
            t.provider == Provider::Aws
                && t.account.as_deref() == Some(account_id)
                && t.portal.is_some()
                && t.role
                    .as_deref()
                    .is_some_and(|role| privilege::of_role(Provider::Aws, role, config) == Privilege::Readonly)
        })?;
        (target.role.clone()?, None, target.portal.clone())
    } else {
        let role = &config.roles(Provider::Aws).iter().find(|r| r.privilege == Privilege::Readonly)?.name;
        if principal.role.as_deref().is_some_and(|current| current.eq_ignore_ascii_case(role)) {
            return None;
        }
        let label = format!("{role} @ {}", account.alias.as_deref().unwrap_or(account_id));
        (role.clone(), Some(label), None)
    };
    let target = Target {
        provider: Provider::Aws,
        label,
        account: Some(account_id.to_owned()),
        role: Some(role.clone()),
        region: None,
        colour: None,
        tenant: None,
        app: None,
        project: None,
        portal,
        environment: None,
    };
    match plan_switch(&target, &SwitchFrom { url, ..SwitchFrom::default() }) {
        Plan::Open { url, .. } => Some(Switch { label: format!("Drop to read-only ({role})"), url }),
        Plan::PostForm { .. } | Plan::PostJson { .. } => None,
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
