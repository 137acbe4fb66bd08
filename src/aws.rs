//! AWS: who the page says the user is, in which account, and what that means.

use crate::config::{best_rule, Aspect, Config};
use crate::console::{is_region, ConsoleLocation, Provider};
use crate::environment;
use crate::identity::{Arn, Principal, PrincipalKind};
use crate::privilege::{self, Privilege};
use crate::signals::{normalise_account_id, present, AwsSessionData, AwsUserInfo, NavbarUser, Signals};
use crate::verdict::{Account, Reading};

/// Reads an AWS console tab.
pub(crate) fn read(location: &ConsoleLocation, signals: &Signals, config: &Config) -> Reading {
    let mut identity = identity(location, signals);
    let mut reasons = identity.evidence.clone();
    let names: Vec<String> = [identity.alias.clone(), identity.account_name.clone()].into_iter().flatten().collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let id = identity.account_id.clone();
    let rule = best_rule(&config.aws.accounts, id.as_deref(), &names, Aspect::Environment);
    let rules: Vec<_> = rule.into_iter().map(|(rule, how)| (rule, how, "this AWS account")).collect();
    if identity.account_name.is_none() {
        if let Some((rule, _)) = best_rule(&config.aws.accounts, id.as_deref(), &names, Aspect::Label) {
            let whose = if rule.managed { "the organisation's" } else { "your" };
            let label = rule.label.clone().unwrap_or_default();
            reasons.push(format!("account name '{label}' from {whose} rule for this account"));
            identity.account_name = Some(label);
        }
    }
    let mut named = Vec::new();
    if let Some(alias) = identity.alias.as_deref() {
        named.push(("account alias", alias));
    }
    if let Some(name) = identity.account_name.as_deref() {
        named.push(("account name", name));
    }
    let environment = environment::decide(config, &rules, &named, &mut reasons);
    let privilege = if identity.principal.kind == PrincipalKind::Root {
        reasons.push("privilege admin: the root user can do everything".to_owned());
        Privilege::Admin
    } else {
        let configured = best_rule(&config.aws.accounts, id.as_deref(), &names, Aspect::Role)
            .and_then(|(rule, _)| rule.role.as_deref())
            .map(|r| (r, "configured for this account, the page showing none"));
        let role = identity.principal.role.as_deref().map(|r| (r, "the role on the page")).or(configured);
        privilege::decide(Provider::Aws, role, config, &mut reasons)
    };
    let region =
        location.region.clone().or_else(|| present(&signals.aws_region).filter(|r| is_region(r)).map(str::to_owned));
    Reading {
        region,
        account: Account {
            display: account_display(&identity),
            id: identity.account_id,
            alias: identity.alias,
            name: identity.account_name,
        },
        principal: identity.principal,
        environment,
        privilege,
        reasons,
    }
}

/// `acme-prod (1111-2222-3333)`, or whichever part is known.
fn account_display(identity: &Identity) -> String {
    let dashed = identity.account_id.as_deref().map(|id| format!("{}-{}-{}", &id[0..4], &id[4..8], &id[8..12]));
    let name = identity.alias.as_deref().or(identity.account_name.as_deref());
    match (name, dashed) {
        (Some(name), Some(id)) => format!("{name} ({id})"),
        (Some(name), None) => name.to_owned(),
        (None, Some(id)) => id,
        (None, None) => "account unknown".to_owned(),
    }
}

/// The identity of a console tab, with the evidence for each part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub account_id: Option<String>,
    pub alias: Option<String>,
    /// A human name of the account (Identity Center shows one).
    pub account_name: Option<String>,
    pub principal: Principal,
    /// Which source gave what, and which sources were set aside: reasons a person can read.
    pub evidence: Vec<String>,
}

/// One place on the page that says something about the identity.
#[derive(Default)]
struct Source {
    name: &'static str,
    account_id: Option<String>,
    alias: Option<String>,
    account_name: Option<String>,
    principal: Option<Principal>,
    /// The cookie is shared by every tab of the browser.
    from_cookie: bool,
    /// The session data says the browser is in multi-session mode.
    multi_session: bool,
}

impl Source {
    fn says_anything(&self) -> bool {
        self.account_id.is_some() || self.alias.is_some() || self.account_name.is_some() || self.principal.is_some()
    }
}

/// Merges every AWS source into one identity.
///
/// Precedence, most trusted first: the URL (a multi-session host names its account), the
/// `awsc-session-data` meta tag, the current navbar, the legacy navbar, the `aws-userInfo` cookie.
/// Per-page sources come before the cookie because under multi-session one browser holds several
/// identities and the one cookie may belong to another tab. A source that names a different
/// account or alias from a more trusted one describes another identity and is set aside whole.
/// The cookie, which may belong to another tab, counts only where it agrees with the page on the
/// account id or alias (or the page says nothing), and not at all under multi-session, where the
/// same account may be open under another role. The principal is the first one whose kind is
/// known; a bare user text counts only when no source says more.
pub fn identity(location: &ConsoleLocation, signals: &Signals) -> Identity {
    let mut evidence = Vec::new();
    let session = session_data_source(signals, &mut evidence);
    let multi_session = location.account_id.is_some() || session.multi_session;
    let mut sources = vec![
        Source { name: "the multi-session host", account_id: location.account_id.clone(), ..Default::default() },
        session,
        navbar_source(signals),
        legacy_navbar_source(signals),
    ];
    let cookie = cookie_source(signals, &mut evidence);
    if multi_session && cookie.says_anything() {
        evidence
            .push("set aside the aws-userInfo cookie: under multi-session it may belong to another session".to_owned());
    } else {
        sources.push(cookie);
    }

    let mut identity = Identity {
        account_id: None,
        alias: None,
        account_name: None,
        principal: Principal::UNKNOWN,
        evidence: Vec::new(),
    };
    let mut principal_found = false;
    for source in sources.into_iter().filter(Source::says_anything) {
        if let (Some(known), Some(said)) = (&identity.account_id, &source.account_id) {
            if known != said {
                evidence.push(format!("set aside {}: it names account {said}, not {known}", source.name));
                continue;
            }
        }
        if let (Some(known), Some(said)) = (&identity.alias, &source.alias) {
            if !known.eq_ignore_ascii_case(said) {
                evidence.push(format!("set aside {}: it names alias '{said}', not '{known}'", source.name));
                continue;
            }
        }
        let page_knows = identity.account_id.is_some() || identity.alias.is_some();
        let agrees = (identity.account_id.is_some() && identity.account_id == source.account_id)
            || (identity.alias.is_some() && identity.alias == source.alias);
        if source.from_cookie && page_knows && !agrees {
            evidence.push(format!("set aside {}: nothing ties it to the account the page shows", source.name));
            continue;
        }
        if identity.account_id.is_none() {
            if let Some(id) = source.account_id {
                evidence.push(format!("account {id} from {}", source.name));
                identity.account_id = Some(id);
            }
        }
        if identity.alias.is_none() {
            if let Some(alias) = source.alias {
                evidence.push(format!("alias '{alias}' from {}", source.name));
                identity.alias = Some(alias);
            }
        }
        if identity.account_name.is_none() {
            if let Some(name) = source.account_name {
                evidence.push(format!("account name '{name}' from {}", source.name));
                identity.account_name = Some(name);
            }
        }
        // A bare user text (a root user's navbar shows only the account name) identifies nothing:
        // a later source that knows the kind of principal, such as a root ARN, replaces it.
        if let Some(principal) = source.principal {
            let identified = principal.kind != PrincipalKind::Unknown;
            if !principal_found && (identified || identity.principal.user.is_none()) {
                evidence.push(format!("principal {} from {}", principal.display(), source.name));
                identity.principal = principal;
                principal_found = identified;
            }
        }
    }
    identity.evidence = evidence;
    identity
}

/// An alias as AWS reports it: AWS puts the account id there when the account has no alias.
fn alias(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    (!text.is_empty() && normalise_account_id(text).is_none()).then(|| text.to_owned())
}

fn session_data_source(signals: &Signals, evidence: &mut Vec<String>) -> Source {
    let mut source = Source { name: "the awsc-session-data meta tag", ..Default::default() };
    let Some(text) = present(&signals.aws_session_data) else {
        return source;
    };
    let data = match AwsSessionData::parse(text) {
        Ok(data) => data,
        Err(problem) => {
            evidence.push(format!("ignored: {problem}"));
            return source;
        }
    };
    let arn = data.session_arn.as_deref().and_then(Arn::parse);
    let display = data.display_name.as_deref().map(NavbarUser::parse).unwrap_or_default();
    source.account_id = data
        .account_id
        .as_deref()
        .and_then(normalise_account_id)
        .or_else(|| arn.as_ref().map(|a| a.account_id.clone()));
    source.alias = alias(data.account_alias.as_deref()).or_else(|| alias(display.account.as_deref()));
    source.principal = arn.map(|a| a.principal).or_else(|| display.principal.as_deref().map(Principal::from_display));
    source.multi_session = data.multi_session;
    source
}

fn navbar_source(signals: &Signals) -> Source {
    let user = present(&signals.aws_nav_user).map(NavbarUser::parse).unwrap_or_default();
    let account_text = user.account.as_deref();
    Source {
        name: "the navbar",
        account_id: present(&signals.aws_nav_account_id)
            .and_then(normalise_account_id)
            .or_else(|| account_text.and_then(normalise_account_id)),
        alias: alias(account_text),
        principal: user.principal.as_deref().map(Principal::from_display),
        ..Default::default()
    }
}

/// The older navbar shows the signed-in identity, and after a switch-role the display names the
/// user gave the switched role: those describe the current tab, so they win over the login ones.
fn legacy_navbar_source(signals: &Signals) -> Source {
    let switched =
        present(&signals.aws_legacy_role_account).is_some() || present(&signals.aws_legacy_role_user).is_some();
    let (account, user, name) = if switched {
        (
            &signals.aws_legacy_role_account,
            &signals.aws_legacy_role_user,
            "the legacy navbar's switched-role display names",
        )
    } else {
        (&signals.aws_legacy_login_account, &signals.aws_legacy_login_user, "the legacy navbar")
    };
    let account = present(account);
    Source {
        name,
        account_id: account.and_then(normalise_account_id),
        alias: alias(account),
        principal: present(user).map(
            |u| {
                if switched {
                    Principal::from_role(u, None)
                } else {
                    Principal::from_display(u)
                }
            },
        ),
        ..Default::default()
    }
}

fn cookie_source(signals: &Signals, evidence: &mut Vec<String>) -> Source {
    let mut source = Source { name: "the aws-userInfo cookie", from_cookie: true, ..Default::default() };
    let Some(raw) = present(&signals.aws_user_info) else {
        return source;
    };
    let info = match AwsUserInfo::parse(raw) {
        Ok(info) => info,
        Err(problem) => {
            evidence.push(format!("ignored: {problem}"));
            return source;
        }
    };
    let arn = info.arn.as_deref().and_then(Arn::parse);
    source.account_id = arn.as_ref().map(|a| a.account_id.clone());
    source.alias = alias(info.alias.as_deref());
    source.account_name = source.account_id.as_deref().and_then(|id| info.identity_center_account_name(id));
    source.principal = arn.map(|a| a.principal);
    source
}
