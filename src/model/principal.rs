//! Identity: who the page says the user is, and in which account, merged from several sources.

use serde::Serialize;

use super::ids::normalise_account_id;
use super::Partition;

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
    pub const UNKNOWN: Principal = Principal { kind: PrincipalKind::Unknown, role: None, session: None, user: None };

    /// A role name and optional session; Identity Center role names become their permission set.
    pub fn from_role(role: &str, session: Option<&str>) -> Principal {
        let session = session.filter(|s| !s.is_empty()).map(str::to_owned);
        match permission_set(role) {
            Some(set) => {
                Principal { kind: PrincipalKind::IdentityCenter, role: Some(set.to_owned()), session, user: None }
            }
            None => Principal { kind: PrincipalKind::AssumedRole, role: Some(role.to_owned()), session, user: None },
        }
    }

    /// `Role/session` as navbars show it; a text without `/` is a user name of unknown kind.
    pub fn from_display(text: &str) -> Principal {
        match text.split_once('/') {
            Some((role, session)) if !role.is_empty() => Principal::from_role(role, Some(session)),
            _ => Principal { user: Some(text.to_owned()), ..Principal::UNKNOWN },
        }
    }

    /// How the banner names the principal; it says so when the role is unknown.
    pub fn display(&self) -> String {
        match (self.kind, &self.role, &self.session, &self.user) {
            (PrincipalKind::Root, ..) => "root user".to_owned(),
            (_, Some(role), Some(session), _) => format!("{role}/{session}"),
            (_, Some(role), None, Some(user)) => format!("{role} ({user})"),
            (_, Some(role), None, None) => role.clone(),
            (PrincipalKind::IamUser, None, _, Some(user)) => format!("IAM user {user}"),
            (_, None, _, Some(user)) => format!("{user}, role unknown"),
            _ => "role unknown".to_owned(),
        }
    }
}

/// `AWSReservedSSO_<PermissionSet>_<16 hex>` → the permission set (which may itself contain `_`).
pub fn permission_set(role: &str) -> Option<&str> {
    let rest = role.strip_prefix("AWSReservedSSO_")?;
    let (set, suffix) = rest.rsplit_once('_')?;
    (!set.is_empty() && suffix.len() == 16 && suffix.bytes().all(|b| b.is_ascii_hexdigit())).then_some(set)
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
    pub fn parse(text: &str) -> Option<Arn> {
        let mut fields = text.trim().splitn(6, ':');
        let (Some("arn"), Some(partition), Some(service), Some(_region), Some(account), Some(resource)) =
            (fields.next(), fields.next(), fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return None;
        };
        let partition = Partition::from_arn_field(partition)?;
        let account_id = normalise_account_id(account)?;
        let last = |path: &str| path.rsplit('/').next().filter(|s| !s.is_empty()).map(str::to_owned);
        let principal = match (service, resource.split_once('/')) {
            ("sts", Some(("assumed-role", rest))) => {
                let (role, session) = rest.split_once('/').unwrap_or((rest, ""));
                Principal::from_role(role, Some(session))
            }
            ("iam", Some(("role", path))) => Principal::from_role(&last(path)?, None),
            ("iam", Some(("user", path))) => {
                Principal { kind: PrincipalKind::IamUser, user: last(path), ..Principal::UNKNOWN }
            }
            ("iam", None) if resource == "root" => Principal { kind: PrincipalKind::Root, ..Principal::UNKNOWN },
            _ => return None,
        };
        Some(Arn { partition, account_id, principal })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_center_role_is_read_from_its_arn() {
        let arn =
            Arn::parse("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/jane").unwrap();
        assert_eq!(arn.principal.kind, PrincipalKind::IdentityCenter);
        assert_eq!(arn.principal.role.as_deref(), Some("ReadOnly"));
    }

    #[test]
    fn arns_of_every_principal_kind() {
        let cases = [
            (
                "arn:aws:sts::111122223333:assumed-role/ADFS-READONLY/jdoe",
                PrincipalKind::AssumedRole,
                Some("ADFS-READONLY"),
            ),
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
            assert_eq!((arn.principal.kind, arn.principal.role.as_deref()), (kind, role), "{text}");
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
        assert_eq!(permission_set("AWSReservedSSO_a_b_0123456789abcdef"), Some("a_b"));
        assert_eq!(permission_set("AWSReservedSSO_a_b"), None);
        assert_eq!(permission_set("Admin"), None);
    }
}
