//! Identity: who the page says the user is, and in which account, merged from several sources.

use serde::Serialize;

use crate::console::{ConsoleLocation, Partition};
use crate::signals::{normalise_account_id, AwsSessionData, AwsUserInfo, NavbarUser, Signals};

/// What kind of principal a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrincipalKind {
    /// An IAM role assumed by a person (switch-role, SAML, …).
    AssumedRole,
    /// A role created by IAM Identity Center for a permission set.
    IdentityCenter,
    IamUser,
    /// The account's root user: never meant to be used.
    Root,
    Unknown,
}

/// Who is signed in: the role (or permission set) and session, or the user name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Principal {
    pub kind: PrincipalKind,
    /// The role name, or the permission set name for Identity Center.
    pub role: Option<String>,
    pub session: Option<String>,
    /// The IAM user name, or a user text the page showed without a role.
    pub user: Option<String>,
}

impl Principal {
    pub const UNKNOWN: Principal = Principal {
        kind: PrincipalKind::Unknown,
        role: None,
        session: None,
        user: None,
    };

    /// A role name and optional session; Identity Center role names become their permission set.
    pub fn from_role(role: &str, session: Option<&str>) -> Principal {
        let session = session.filter(|s| !s.is_empty()).map(str::to_owned);
        match permission_set(role) {
            Some(set) => Principal {
                kind: PrincipalKind::IdentityCenter,
                role: Some(set.to_owned()),
                session,
                user: None,
            },
            None => Principal {
                kind: PrincipalKind::AssumedRole,
                role: Some(role.to_owned()),
                session,
                user: None,
            },
        }
    }

    /// `Role/session` as navbars show it; a text without `/` is a user name of unknown kind.
    pub fn from_display(text: &str) -> Principal {
        match text.split_once('/') {
            Some((role, session)) if !role.is_empty() => Principal::from_role(role, Some(session)),
            _ => Principal {
                user: Some(text.to_owned()),
                ..Principal::UNKNOWN
            },
        }
    }

    /// How the banner names the principal.
    pub fn display(&self) -> Option<String> {
        match (self.kind, &self.role, &self.session, &self.user) {
            (PrincipalKind::Root, ..) => Some("root user".to_owned()),
            (_, Some(role), Some(session), _) => Some(format!("{role}/{session}")),
            (_, Some(role), None, _) => Some(role.clone()),
            (PrincipalKind::IamUser, None, _, Some(user)) => Some(format!("IAM user {user}")),
            (_, None, _, Some(user)) => Some(user.clone()),
            _ => None,
        }
    }
}

/// `AWSReservedSSO_<PermissionSet>_<16 hex>` → the permission set (which may itself contain `_`).
pub fn permission_set(role: &str) -> Option<&str> {
    let rest = role.strip_prefix("AWSReservedSSO_")?;
    let (set, suffix) = rest.rsplit_once('_')?;
    (!set.is_empty() && suffix.len() == 16 && suffix.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some(set)
}

/// An IAM or STS ARN naming a principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    pub partition: Partition,
    pub account_id: String,
    pub principal: Principal,
}

impl Arn {
    /// Parses `arn:<partition>:sts::<acct>:assumed-role/<Role>/<session>`, `arn:…:iam::<acct>:role/<path/>Role`,
    /// `arn:…:iam::<acct>:user/<path/>name` and `arn:…:iam::<acct>:root`.
    ///
    /// ```
    /// use redline::{Arn, PrincipalKind};
    /// let arn = Arn::parse("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/jane").unwrap();
    /// assert_eq!(arn.principal.kind, PrincipalKind::IdentityCenter);
    /// assert_eq!(arn.principal.role.as_deref(), Some("ReadOnly"));
    /// ```
    pub fn parse(text: &str) -> Option<Arn> {
        let mut fields = text.trim().splitn(6, ':');
        let (
            Some("arn"),
            Some(partition),
            Some(service),
            Some(_region),
            Some(account),
            Some(resource),
        ) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        )
        else {
            return None;
        };
        let partition = Partition::from_arn_field(partition)?;
        let account_id = normalise_account_id(account)?;
        let last = |path: &str| {
            path.rsplit('/')
                .next()
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let principal = match (service, resource.split_once('/')) {
            ("sts", Some(("assumed-role", rest))) => {
                let (role, session) = rest.split_once('/').unwrap_or((rest, ""));
                Principal::from_role(role, Some(session))
            }
            ("iam", Some(("role", path))) => Principal::from_role(&last(path)?, None),
            ("iam", Some(("user", path))) => Principal {
                kind: PrincipalKind::IamUser,
                user: last(path),
                ..Principal::UNKNOWN
            },
            ("iam", None) if resource == "root" => Principal {
                kind: PrincipalKind::Root,
                ..Principal::UNKNOWN
            },
            _ => return None,
        };
        Some(Arn {
            partition,
            account_id,
            principal,
        })
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
}

impl Source {
    fn says_anything(&self) -> bool {
        self.account_id.is_some()
            || self.alias.is_some()
            || self.account_name.is_some()
            || self.principal.is_some()
    }
}

/// Merges every AWS source into one identity.
///
/// Precedence, most trusted first: the URL (a multi-session host names its account), the
/// `awsc-session-data` meta tag, the current navbar, the legacy navbar, the `aws-userInfo` cookie.
/// Per-page sources come before the cookie because under multi-session one browser holds several
/// identities and the one cookie may belong to another tab. A source that names a different
/// account from a more trusted one describes another identity and is set aside whole.
pub fn aws_identity(location: &ConsoleLocation, signals: &Signals) -> Identity {
    let mut evidence = Vec::new();
    let mut sources = Vec::new();
    sources.push(Source {
        name: "the multi-session host",
        account_id: location.account_id.clone(),
        ..Default::default()
    });
    sources.push(session_data_source(signals, &mut evidence));
    sources.push(navbar_source(signals));
    sources.push(legacy_navbar_source(signals));
    sources.push(cookie_source(signals, &mut evidence));

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
                evidence.push(format!(
                    "set aside {}: it names account {said}, not {known}",
                    source.name
                ));
                continue;
            }
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
        if !principal_found {
            if let Some(principal) = source.principal {
                if let Some(shown) = principal.display() {
                    evidence.push(format!("principal {shown} from {}", source.name));
                }
                identity.principal = principal;
                principal_found = true;
            }
        }
    }
    identity.evidence = evidence;
    identity
}

fn non_empty(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// An alias as AWS reports it: AWS puts the account id there when the account has no alias.
fn alias(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    (!text.is_empty() && normalise_account_id(text).is_none()).then(|| text.to_owned())
}

fn session_data_source(signals: &Signals, evidence: &mut Vec<String>) -> Source {
    let mut source = Source {
        name: "the awsc-session-data meta tag",
        ..Default::default()
    };
    let Some(text) = non_empty(&signals.aws_session_data) else {
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
    let display = data
        .display_name
        .as_deref()
        .map(NavbarUser::parse)
        .unwrap_or_default();
    source.account_id = data
        .account_id
        .as_deref()
        .and_then(normalise_account_id)
        .or_else(|| arn.as_ref().map(|a| a.account_id.clone()));
    source.alias =
        alias(data.account_alias.as_deref()).or_else(|| alias(display.account.as_deref()));
    source.principal = arn
        .map(|a| a.principal)
        .or_else(|| display.principal.as_deref().map(Principal::from_display));
    source
}

fn navbar_source(signals: &Signals) -> Source {
    let user = non_empty(&signals.aws_nav_user)
        .map(NavbarUser::parse)
        .unwrap_or_default();
    let account_text = user.account.as_deref();
    Source {
        name: "the navbar",
        account_id: non_empty(&signals.aws_nav_account_id)
            .and_then(normalise_account_id)
            .or_else(|| account_text.and_then(normalise_account_id)),
        alias: alias(account_text),
        account_name: None,
        principal: user.principal.as_deref().map(Principal::from_display),
    }
}

/// The older navbar shows the signed-in identity, and after a switch-role the display names the
/// user gave the switched role: those describe the current tab, so they win over the login ones.
fn legacy_navbar_source(signals: &Signals) -> Source {
    let switched = non_empty(&signals.aws_legacy_role_account).is_some()
        || non_empty(&signals.aws_legacy_role_user).is_some();
    let (account, user, name) = if switched {
        (
            &signals.aws_legacy_role_account,
            &signals.aws_legacy_role_user,
            "the legacy navbar's switched-role display names",
        )
    } else {
        (
            &signals.aws_legacy_login_account,
            &signals.aws_legacy_login_user,
            "the legacy navbar",
        )
    };
    let account = non_empty(account);
    Source {
        name,
        account_id: account.and_then(normalise_account_id),
        alias: alias(account),
        account_name: None,
        principal: non_empty(user).map(|u| {
            if switched {
                Principal::from_role(u, None)
            } else {
                Principal::from_display(u)
            }
        }),
    }
}

fn cookie_source(signals: &Signals, evidence: &mut Vec<String>) -> Source {
    let mut source = Source {
        name: "the aws-userInfo cookie",
        ..Default::default()
    };
    let Some(raw) = non_empty(&signals.aws_user_info) else {
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
    source.account_name = info.identity_center_account_name();
    source.principal = arn.map(|a| a.principal);
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_of_every_principal_kind() {
        let cases = [
            ("arn:aws:sts::111122223333:assumed-role/ADFS-READONLY/jdoe", PrincipalKind::AssumedRole, Some("ADFS-READONLY")),
            ("arn:aws-us-gov:iam::111122223333:role/team/path/Admin", PrincipalKind::AssumedRole, Some("Admin")),
            ("arn:aws-cn:iam::111122223333:user/ops/jdoe", PrincipalKind::IamUser, None),
            ("arn:aws:iam::111122223333:root", PrincipalKind::Root, None),
            (
                "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_custom_permssion-set_0123456789abcdef/x",
                PrincipalKind::IdentityCenter,
                Some("custom_permssion-set"),
            ),
        ];
        for (text, kind, role) in cases {
            let arn = Arn::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(
                (arn.principal.kind, arn.principal.role.as_deref()),
                (kind, role),
                "{text}"
            );
            assert_eq!(arn.account_id, "111122223333");
        }
        for bad in [
            "",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::12:root",
            "arn:other:iam::111122223333:root",
            "arn:aws:iam::111122223333:group/x",
        ] {
            assert_eq!(Arn::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn permission_set_strips_only_the_last_hex_suffix() {
        assert_eq!(
            permission_set("AWSReservedSSO_a_b_0123456789abcdef"),
            Some("a_b")
        );
        assert_eq!(permission_set("AWSReservedSSO_a_b"), None);
        assert_eq!(permission_set("Admin"), None);
    }
}
