//! Signals: the plain strings a content script reads from a console page, and their parsers.
//!
//! The content script copies text out of the page and decides nothing; every interpretation of
//! that text happens here, where it is tested.

//!
//! JSON is read into a [`Node`] and picked apart by hand rather than through derived visitors: the
//! wasm already needs `Node` for the configuration, and every derived visitor costs kilobytes of the
//! size budget.

use crate::text::node::{Node, Table};

use crate::error::Error;
use crate::model::normalise_account_id;
use crate::text::address::percent_decode;

/// What the page showed, as plain strings. Every field is optional: consoles change their pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    /// `content` of `<meta name="awsc-session-data">`: JSON.
    pub aws_session_data: Option<String>,
    /// `content` of `<meta id="awsc-mezz-region">`.
    pub aws_region: Option<String>,
    /// The raw `aws-userInfo` cookie: URL-encoded JSON.
    pub aws_user_info: Option<String>,
    /// The account detail menu's account id row, `Account ID: 1111-2222-3333` (or the id alone).
    pub aws_nav_account_id: Option<String>,
    /// The account detail menu's user row, e.g. `Federated user: AWSReservedSSO_x_0123456789abcdef/jane`.
    pub aws_nav_principal: Option<String>,
    /// The account menu button's text, e.g. `Admin/jane`; under multi-session also the account.
    pub aws_nav_user: Option<String>,
    /// The `title` of the account menu button's label, e.g. `Admin/jane @ 1111-2222-3333`.
    pub aws_nav_user_title: Option<String>,
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
    /// IAM Identity Center access portal: its console links, a JSON list of `{href, text}` where
    /// `text` is the text of the link's account row.
    pub aws_portal_links: Option<String>,
    /// The names of signals the page showed over their limit, which were set aside (comma-separated,
    /// as the content script sends them; [`Signals::from_json`] adds its own).
    pub oversized: Option<String>,
}

/// The longest page signal read: far above any real one (the meta tag is under 1 KiB). A longer
/// one is set aside whole, never cut into another meaning.
pub const MAX_SIGNAL_BYTES: usize = 4 * 1024;

/// The access portal's links may list hundreds of accounts.
pub(crate) const MAX_PORTAL_LINKS_BYTES: usize = 512 * 1024;

impl Signals {
    /// Parses the JSON object the content script sends: names as in the extension (`awsNavUser`),
    /// every value a string (or null). Names this version does not know are ignored, so a newer
    /// content script cannot break an older core.
    pub fn from_json(json: &str) -> Result<Signals, Error> {
        let value: Node = serde_json::from_str(json).map_err(|e| Error::Signals(e.to_string()))?;
        let Node::Table(fields) = value else { return Err(Error::Signals("expected a JSON object".to_owned())) };
        let mut signals = Signals::default();
        for (name, value) in fields.0 {
            let text = match value {
                Node::Text(text) => Some(text.into_owned()),
                Node::Null => None,
                other => return Err(Error::Signals(format!("'{name}' is {}, expected a string", other.kind()))),
            };
            let limit = if name == "awsPortalLinks" { MAX_PORTAL_LINKS_BYTES } else { MAX_SIGNAL_BYTES };
            if text.as_ref().is_some_and(|t| t.len() > limit) && name != "oversized" {
                let mut names: Vec<&str> = signals.oversized.as_deref().into_iter().collect();
                names.push(&name);
                signals.oversized = Some(names.join(","));
                continue;
            }
            let slot = match &*name {
                "awsPortalLinks" => Some(&mut signals.aws_portal_links),
                "oversized" => Some(&mut signals.oversized),
                other => signals.slot(other),
            };
            if let Some(slot) = slot {
                *slot = text;
            }
        }
        Ok(signals)
    }

    /// Why signals were set aside: each named one was over its limit.
    pub fn set_aside(&self) -> Vec<String> {
        let mut names: Vec<&str> = self.oversized.iter().flat_map(|n| n.split(',')).filter(|n| !n.is_empty()).collect();
        for (name, value) in self.page_signals() {
            if value.as_ref().is_some_and(|t| t.len() > MAX_SIGNAL_BYTES) && !names.contains(&name) {
                names.push(name);
            }
        }
        names
            .into_iter()
            .filter(|name| name.len() <= 64)
            .take(32)
            .map(|name| {
                format!("set aside the page's {name}: over the limit of {MAX_SIGNAL_BYTES} bytes, so what it would say is unknown")
            })
            .collect()
    }
}

/// The signals by the names the content script sends, for reading and for setting.
macro_rules! named_signals {
    ($($name:literal => $field:ident,)*) => {
        impl Signals {
            fn slot(&mut self, name: &str) -> Option<&mut Option<String>> {
                match name {
                    $($name => Some(&mut self.$field),)*
                    _ => None,
                }
            }

            /// Every page signal (not the portal's links) with its name.
            pub(crate) fn page_signals(&self) -> impl Iterator<Item = (&'static str, &Option<String>)> {
                [$(($name, &self.$field)),*].into_iter()
            }
        }
    };
}

named_signals! {
    "awsSessionData" => aws_session_data,
    "awsRegion" => aws_region,
    "awsUserInfo" => aws_user_info,
    "awsNavAccountId" => aws_nav_account_id,
    "awsNavPrincipal" => aws_nav_principal,
    "awsNavUser" => aws_nav_user,
    "awsNavUserTitle" => aws_nav_user_title,
    "awsLegacyLoginAccount" => aws_legacy_login_account,
    "awsLegacyLoginUser" => aws_legacy_login_user,
    "awsLegacyRoleAccount" => aws_legacy_role_account,
    "awsLegacyRoleUser" => aws_legacy_role_user,
    "azureDirectory" => azure_directory,
    "azureUser" => azure_user,
    "azureBladeTitle" => azure_blade_title,
    "gcpAccount" => gcp_account,
    "gcpProjectName" => gcp_project_name,
}

/// Parses a JSON object that a page produced; `what` names it in the message.
fn page_object(text: &str, what: &str) -> Result<Table<'static>, String> {
    match serde_json::from_str(text) {
        Ok(Node::Table(fields)) => Ok(fields),
        Ok(other) => Err(format!("{what} is {}, not the expected JSON object", other.kind())),
        Err(e) => Err(format!("{what} is not the expected JSON ({e})")),
    }
}

/// A text field of a page object; AWS writes some ids as numbers.
fn text_field(fields: &Table, name: &str) -> Option<String> {
    match fields.get(name)? {
        Node::Text(text) => Some(text.to_string()),
        Node::Integer(number) => Some(number.to_string()),
        _ => None,
    }
}

/// The fields of the `awsc-session-data` meta tag that redline reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsSessionData {
    pub account_id: Option<String>,
    pub account_alias: Option<String>,
    pub display_name: Option<String>,
    pub session_arn: Option<String>,
    /// Multi-session: the sign-in host the session belongs to.
    pub sign_in_endpoint: Option<String>,
    /// Multi-session: the session's id, which the switch endpoint takes.
    pub session_differentiator: Option<String>,
    /// Whether the browser is in multi-session mode (`prismModeEnabled`).
    pub multi_session: bool,
}

impl AwsSessionData {
    pub fn parse(text: &str) -> Result<AwsSessionData, String> {
        let fields = page_object(text, "awsc-session-data")?;
        Ok(AwsSessionData {
            account_id: text_field(&fields, "accountId"),
            account_alias: text_field(&fields, "accountAlias"),
            display_name: text_field(&fields, "displayName"),
            session_arn: text_field(&fields, "sessionARN"),
            sign_in_endpoint: text_field(&fields, "signInEndpoint"),
            session_differentiator: text_field(&fields, "sessionDifferentiator"),
            multi_session: matches!(fields.get("prismModeEnabled"), Some(Node::Bool(true))),
        })
    }
}

/// The fields of the `aws-userInfo` cookie that redline reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
        let fields = page_object(&json, "the aws-userInfo cookie")?;
        Ok(AwsUserInfo {
            arn: text_field(&fields, "arn"),
            alias: text_field(&fields, "alias"),
            issuer: text_field(&fields, "issuer"),
        })
    }

    /// The account name an IAM Identity Center issuer carries: `…/saml/custom/<id> (<Name>)/…`.
    /// The issuer names the account signed in to through the portal, which stays the same after
    /// a switch-role into another account: the name is only given for `account_id`.
    pub fn identity_center_account_name(&self, account_id: &str) -> Option<String> {
        let issuer = percent_decode(self.issuer.as_deref()?);
        let (_, after) = issuer.split_once("/saml/custom/")?;
        let segment = after.split('/').next()?;
        let (account, name) = segment.split_once('(')?;
        if normalise_account_id(account).as_deref() != Some(account_id) {
            return None;
        }
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
        // The last ` @ `, found forwards: a search backwards through text would cost the wasm
        // a second string searcher.
        let mut last = None;
        while let Some(at) = text[last.map_or(0, |l| l + 1)..].find(" @ ") {
            last = Some(last.map_or(0, |l| l + 1) + at);
        }
        let (principal, account) = match last {
            Some(at) => (text[..at].trim(), Some(text[at + 3..].trim())),
            None => (text, None),
        };
        let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        NavbarUser { principal: non_empty(principal), account: account.and_then(non_empty) }
    }
}

/// A labelled row as the account detail menu shows it: `Account ID: 1234-5678-9012` → the label
/// and the value; a text without a `label: ` part is all value.
pub fn labelled(text: &str) -> (Option<&str>, &str) {
    match text.split_once(": ") {
        Some((label, value)) if !label.trim().is_empty() => (Some(label.trim()), value.trim()),
        _ => (None, text.trim()),
    }
}

/// The account menu button's text or title: `Role/session`, `Role/session @ account`, and under
/// multi-session `<alias> (<id>)` or `Account ID: <id>` beside `Role/session`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MenuButton {
    pub account_id: Option<String>,
    pub alias: Option<String>,
    /// `Role/session`, or a bare user text.
    pub principal: Option<String>,
}

impl MenuButton {
    pub fn parse(text: &str) -> MenuButton {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let navbar = NavbarUser::parse(&text);
        if let Some(account) = navbar.account {
            let account_id = normalise_account_id(&account);
            let alias = account_id.is_none().then_some(account);
            return MenuButton { account_id, alias, principal: navbar.principal };
        }
        let words: Vec<&str> = text.split(' ').collect();
        fn bare(word: &str) -> &str {
            word.trim_matches(|c: char| matches!(c, '(' | ')' | ':' | ','))
        }
        let at_id = words.iter().position(|w| normalise_account_id(bare(w)).is_some());
        let account_id = at_id.and_then(|i| normalise_account_id(bare(words[i])));
        let alias = at_id
            .filter(|&i| i > 0 && words[i].starts_with('(') && !words[i - 1].ends_with(':'))
            .map(|i| words[i - 1].to_owned());
        let principal = words
            .iter()
            .find(|w| w.contains('/'))
            .map(|w| (*w).to_owned())
            .or_else(|| (account_id.is_none() && !text.is_empty()).then(|| text.clone()));
        MenuButton { account_id, alias, principal }
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

/// A trimmed, non-empty signal within its limit: a longer one is set aside (and said so in the
/// verdict's reasons), so that no page text makes a verdict cost more than a bounded amount.
pub fn present(signal: &Option<String>) -> Option<&str> {
    signal.as_deref().filter(|t| t.len() <= MAX_SIGNAL_BYTES).map(str::trim).filter(|t| !t.is_empty())
}

/// Whether the page showed `signal` ([`present`]). Not inlined: the consoles' completeness rules
/// ask it a dozen times, and each inlined copy would cost the wasm's size budget.
#[inline(never)]
pub fn shown(signal: &Option<String>) -> bool {
    present(signal).is_some()
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
        assert_eq!(info.identity_center_account_name("333333333333").as_deref(), Some("acme-dev"));
        assert_eq!(info.identity_center_account_name("111111111111"), None, "another account's name");
        assert_eq!(AwsUserInfo::default().identity_center_account_name("333333333333"), None);
    }

    #[test]
    fn navbar_text_splits_at_the_last_at_sign() {
        let nav = NavbarUser::parse(" jane@example.com/x @ acme-prod ");
        assert_eq!(nav.principal.as_deref(), Some("jane@example.com/x"));
        assert_eq!(nav.account.as_deref(), Some("acme-prod"));
        assert_eq!(NavbarUser::parse("Operator").account, None);
        let last = |text| {
            let nav = NavbarUser::parse(text);
            (nav.principal, nav.account)
        };
        assert_eq!(last("a @ b @ c"), (Some("a @ b".into()), Some("c".into())));
        assert_eq!(last("a @ @ b"), (Some("a @".into()), Some("b".into())), "the last of two that overlap");
    }

    #[test]
    fn menu_buttons_of_every_generation() {
        let cases = [
            ("AWSReadOnlyAccess/jane", None, None, Some("AWSReadOnlyAccess/jane")),
            (" Admin/jane @ acme-prod ", None, Some("acme-prod"), Some("Admin/jane")),
            ("x/jane @ 1234-5678-9012", Some("123456789012"), None, Some("x/jane")),
            ("acme-prod (1234-5678-9012)\n  Admin/jane", Some("123456789012"), Some("acme-prod"), Some("Admin/jane")),
            ("Account ID: 1234-5678-9012 Operator/jane", Some("123456789012"), None, Some("Operator/jane")),
            ("acme-root-name", None, None, Some("acme-root-name")),
        ];
        for (text, id, alias, principal) in cases {
            let button = MenuButton::parse(text);
            assert_eq!(
                (button.account_id.as_deref(), button.alias.as_deref(), button.principal.as_deref()),
                (id, alias, principal),
                "{text}"
            );
        }
    }

    #[test]
    fn labelled_rows_give_their_value() {
        assert_eq!(labelled("Account ID:  1234-5678-9012"), (Some("Account ID"), "1234-5678-9012"));
        assert_eq!(labelled("1234-5678-9012"), (None, "1234-5678-9012"));
        assert_eq!(labelled("Federated user: Admin/jane"), (Some("Federated user"), "Admin/jane"));
    }

    #[test]
    fn emails_are_found_in_labels() {
        assert_eq!(email_in("Google Account: Jane Doe  \n(jane@example.com)").as_deref(), Some("jane@example.com"));
        assert_eq!(email_in("Compte Google : jane.doe@gov.uk").as_deref(), Some("jane.doe@gov.uk"));
        assert_eq!(email_in("Google Account: Jane"), None);
        assert_eq!(email_in("@ x"), None);
    }
}
