//! Signals: the plain strings a content script reads from a console page, and their parsers.
//!
//! The content script copies text out of the page and decides nothing; every interpretation of
//! that text happens here, where it is tested.

use serde::Deserialize;

use crate::address::percent_decode;

/// What the page showed, as plain strings. Every field is optional: consoles change their pages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Signals {
    /// `content` of `<meta name="awsc-session-data">`: JSON.
    pub aws_session_data: Option<String>,
    /// `content` of `<meta id="awsc-mezz-region">`.
    pub aws_region: Option<String>,
    /// The raw `aws-userInfo` cookie: URL-encoded JSON.
    pub aws_user_info: Option<String>,
    /// The account id the current navbar shows, e.g. `1111-2222-3333`.
    pub aws_nav_account_id: Option<String>,
    /// The current navbar's user menu text, e.g. `Admin/jane @ acme-prod`.
    pub aws_nav_user: Option<String>,
    /// Older navbar generation (GovCloud, China): `#awsc-login-display-name-account`.
    pub aws_legacy_login_account: Option<String>,
    /// `#awsc-login-display-name-user`.
    pub aws_legacy_login_user: Option<String>,
    /// `#awsc-role-display-name-account` (present after a switch-role).
    pub aws_legacy_role_account: Option<String>,
    /// `#awsc-role-display-name-user` (present after a switch-role).
    pub aws_legacy_role_user: Option<String>,
    /// Azure top bar: the directory display name (`.fxs-avatarmenu-tenant`).
    pub azure_directory: Option<String>,
    /// Azure top bar: the signed-in user (`.fxs-avatarmenu-username`).
    pub azure_user: Option<String>,
    /// Azure: the title of the open blade (`.fxs-blade-title-titleText`), e.g. an app's name.
    pub azure_blade_title: Option<String>,
    /// Google Cloud: the label of the account button, which holds the signed-in e-mail.
    pub gcp_account: Option<String>,
    /// Google Cloud: the project picker's label (`.cfc-switcher-button-label-text`).
    pub gcp_project_name: Option<String>,
}

impl Signals {
    /// Parses the JSON object the content script sends.
    pub fn from_json(json: &str) -> Result<Signals, crate::Error> {
        serde_json::from_str(json).map_err(|e| crate::Error::Signals(e.to_string()))
    }
}

/// The fields of the `awsc-session-data` meta tag that redline reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsSessionData {
    pub account_id: Option<String>,
    pub account_alias: Option<String>,
    pub display_name: Option<String>,
    #[serde(rename = "sessionARN")]
    pub session_arn: Option<String>,
}

impl AwsSessionData {
    pub fn parse(text: &str) -> Result<AwsSessionData, String> {
        serde_json::from_str(text).map_err(|e| format!("awsc-session-data is not the expected JSON ({e})"))
    }
}

/// The fields of the `aws-userInfo` cookie that redline reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct AwsUserInfo {
    pub arn: Option<String>,
    pub alias: Option<String>,
    pub issuer: Option<String>,
}

impl AwsUserInfo {
    /// Parses the cookie value as the browser shows it (URL-encoded), or already decoded.
    pub fn parse(raw: &str) -> Result<AwsUserInfo, String> {
        let raw = raw.trim().trim_matches('"');
        let json = if raw.starts_with('{') { raw.to_owned() } else { percent_decode(raw) };
        serde_json::from_str(&json).map_err(|e| format!("the aws-userInfo cookie is not the expected JSON ({e})"))
    }

    /// The account name an IAM Identity Center issuer carries: `…/saml/custom/<id> (<Name>)/…`.
    pub fn identity_center_account_name(&self) -> Option<String> {
        let issuer = percent_decode(self.issuer.as_deref()?);
        let (_, after) = issuer.split_once("/saml/custom/")?;
        let segment = after.split('/').next()?;
        let (_, name) = segment.split_once('(')?;
        let name = name.strip_suffix(')')?.trim();
        (!name.is_empty()).then(|| name.to_owned())
    }
}

/// A navbar text of the form `Role/session @ account`, `user @ account`, or either half alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NavbarUser {
    /// The part before `@`: `Role/session` or a user name.
    pub principal: Option<String>,
    /// The part after `@`: an alias or a dashed account id.
    pub account: Option<String>,
}

impl NavbarUser {
    pub fn parse(text: &str) -> NavbarUser {
        let text = text.trim();
        let (principal, account) = match text.rsplit_once(" @ ") {
            Some((p, a)) => (p.trim(), Some(a.trim())),
            None => (text, None),
        };
        let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        NavbarUser { principal: non_empty(principal), account: account.and_then(non_empty) }
    }
}

/// The first e-mail address in a text such as `Google Account: Jane Doe (jane@example.com)`.
pub fn email_in(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | ',' | ';' | '"'))
        .find(|word| {
            word.split_once('@')
                .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.') && !domain.ends_with('.'))
        })
        .map(str::to_owned)
}

/// A trimmed, non-empty signal.
pub fn present(signal: &Option<String>) -> Option<&str> {
    signal.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// `1111-2222-3333` or `111122223333` → `111122223333`; anything else is not an account id.
pub fn normalise_account_id(text: &str) -> Option<String> {
    let digits: String = text.trim().chars().filter(|c| *c != '-' && *c != ' ').collect();
    (digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_center_issuer_names_the_account() {
        let info = AwsUserInfo {
            issuer: Some("https://d-1.awsapps.com/start/#/saml/custom/333333333333%20(acme-dev)/MTI".into()),
            ..Default::default()
        };
        assert_eq!(info.identity_center_account_name().as_deref(), Some("acme-dev"));
        assert_eq!(AwsUserInfo::default().identity_center_account_name(), None);
    }

    #[test]
    fn navbar_text_splits_at_the_last_at_sign() {
        let nav = NavbarUser::parse(" jane@example.com/x @ acme-prod ");
        assert_eq!(nav.principal.as_deref(), Some("jane@example.com/x"));
        assert_eq!(nav.account.as_deref(), Some("acme-prod"));
        assert_eq!(NavbarUser::parse("Operator").account, None);
    }

    #[test]
    fn emails_are_found_in_labels() {
        assert_eq!(email_in("Google Account: Jane Doe  \n(jane@example.com)").as_deref(), Some("jane@example.com"));
        assert_eq!(email_in("Compte Google : jane.doe@gov.uk").as_deref(), Some("jane.doe@gov.uk"));
        assert_eq!(email_in("Google Account: Jane"), None);
        assert_eq!(email_in("@ x"), None);
    }

    #[test]
    fn account_ids_are_normalised() {
        assert_eq!(normalise_account_id("1111-2222-3333").as_deref(), Some("111122223333"));
        assert_eq!(normalise_account_id("acme-prod"), None);
        assert_eq!(normalise_account_id("1111-2222-333"), None);
    }
}
