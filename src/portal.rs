//! The IAM Identity Center access portal (`https://<directory>.awsapps.com/start`): the accounts
//! and permission sets it lists become switch targets and account names. Names and ids only;
//! never a token.

use serde::Serialize;

use crate::address::{query_param, Address};
use crate::console::is_region;
use crate::document::toml_string;
use crate::node::Node;
use crate::signals::{normalise_account_id, Signals, MAX_PORTAL_LINKS_BYTES};

/// The access portal's own pages, where redline learns accounts and permission sets (other
/// services, WorkMail's web client among them, live under `*.awsapps.com` too).
pub const PORTAL_HOSTS: &[&str] =
    &["https://*.awsapps.com/start*", "https://start.us-gov-home.awsapps.com/directory/*"];

/// The first line of what one portal taught: the engine reads each portal's lessons on their own.
pub(crate) const LESSON_HEADER: &str = "# Learned from the access portal ";

/// The GovCloud access portal's host: its portals are `/directory/<d-id>` on it.
const GOVCLOUD_PORTAL_HOST: &str = "start.us-gov-home.awsapps.com";

/// Whether `host` serves IAM Identity Center access portals: `<dir>.awsapps.com` (the GovCloud
/// portal host among them) or `<id>.portal.<region>.app.aws`. Not the whole of `amazonaws.com` or
/// `aws`: customers' buckets, APIs and function URLs live there too.
fn portal_host(host: &str) -> bool {
    let label = |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if let Some(directory) = host.strip_suffix(".awsapps.com") {
        return directory.split('.').all(label);
    }
    let parts: Vec<&str> = host.split('.').collect();
    matches!(parts.as_slice(), [id, "portal", region, "app", "aws"] if label(id) && is_region(region))
}

/// The access portal whose page `url` is (`https://<dir>.awsapps.com/start…`, or the GovCloud
/// `https://start.us-gov-home.awsapps.com/directory/<d-id>…`), as its start URL; `None` for any
/// other page.
pub fn portal_of_page(url: &str) -> Option<String> {
    let address = Address::split(url).filter(|a| a.scheme == "https" && !url_has_user_info(url))?;
    if address.host == GOVCLOUD_PORTAL_HOST {
        let directory = address
            .path
            .strip_prefix("/directory/")?
            .split('/')
            .next()
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))?;
        return Some(format!("https://{GOVCLOUD_PORTAL_HOST}/directory/{}", directory.to_ascii_lowercase()));
    }
    let directory = address.host.strip_suffix(".awsapps.com")?;
    let start = address.path == "/start" || address.path.starts_with("/start/");
    (start && !directory.is_empty() && !directory.contains('.')).then(|| format!("https://{}/start", address.host))
}

/// Checks an access portal URL that a configuration or an import names: `https:` on a portal host
/// of AWS's, with no user name or port, or the reason it is refused.
pub fn check_portal_url(url: &str) -> Result<(), String> {
    let expected = "expected an https:// access portal such as https://d-1234567890.awsapps.com/start";
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("'{url}' has spaces or control characters, {expected}"));
    }
    match url.split_once(':') {
        Some((scheme, _)) if !scheme.eq_ignore_ascii_case("https") && !scheme.contains(['/', '.']) => {
            return Err(format!("'{url}' is a {scheme}: address, {expected}"));
        }
        _ => {}
    }
    let Some(address) = Address::split(url).filter(|a| a.scheme.eq_ignore_ascii_case("https")) else {
        return Err(format!("'{url}' is not a web address, {expected}"));
    };
    if url_has_user_info(url) || authority(url).contains(':') {
        return Err(format!("'{url}' has a user name or a port, {expected}"));
    }
    if portal_host(&address.host) {
        Ok(())
    } else {
        Err(format!("'{url}' is on {}, not an AWS access portal host; {expected}", address.host))
    }
}

/// The `user:pass@host:port` part of a URL.
fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or("", |(_, rest)| rest);
    &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())]
}

fn url_has_user_info(url: &str) -> bool {
    authority(url).contains('@')
}

/// What a portal page listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Portal {
    /// `https://<directory>.awsapps.com/start`, where console links are opened.
    pub url: String,
    pub accounts: Vec<PortalAccount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalAccount {
    pub id: String,
    pub name: Option<String>,
    /// Permission sets, in the order the page listed them.
    pub roles: Vec<String>,
}

/// Reads the portal's console links (`awsPortalLinks`: a JSON list of `{href, text}`, `text` being
/// the words of the account's row) from a portal page at `url`; `None` elsewhere.
///
/// ```
/// use redline::{read_portal, Signals};
/// let links = r#"[{"href":"https://d-1.awsapps.com/start/#/console?account_id=111122223333&role_name=ReadOnlyAccess",
///                  "text":"Acme Prod #111122223333 | prod@acme.example ReadOnlyAccess"}]"#;
/// let signals = Signals { aws_portal_links: Some(links.into()), ..Signals::default() };
/// let portal = read_portal("https://d-1.awsapps.com/start/#/?tab=accounts", &signals).unwrap();
/// assert_eq!(portal.url, "https://d-1.awsapps.com/start");
/// assert_eq!(portal.accounts[0].name.as_deref(), Some("Acme Prod"));
/// assert_eq!(portal.accounts[0].roles, ["ReadOnlyAccess"]);
/// ```
pub fn read_portal(url: &str, signals: &Signals) -> Option<Portal> {
    let portal = portal_of_page(url)?;
    let links = signals.aws_portal_links.as_deref().filter(|t| t.len() <= MAX_PORTAL_LINKS_BYTES)?;
    let Ok(Node::List(links)) = serde_json::from_str::<Node>(links) else { return None };
    let mut accounts: Vec<PortalAccount> = Vec::new();
    for link in &links {
        let Node::Table(link) = link else { continue };
        let text_of = |key| match link.get(key) {
            Some(Node::Text(text)) => text.as_str(),
            _ => "",
        };
        let href = text_of("href");
        let query = href.rsplit_once('?').map_or("", |(_, q)| q);
        let (Some(id), Some(role)) =
            (query_param(query, "account_id").and_then(|a| normalise_account_id(&a)), query_param(query, "role_name"))
        else {
            continue;
        };
        let role = role.trim().to_owned();
        if role.is_empty() {
            continue;
        }
        let name = account_name(text_of("text"), &id);
        match accounts.iter_mut().find(|a| a.id == id) {
            Some(account) => {
                if !account.roles.contains(&role) {
                    account.roles.push(role);
                }
                if account.name.is_none() {
                    account.name = name;
                }
            }
            None => accounts.push(PortalAccount { id, name, roles: vec![role] }),
        }
    }
    Some(Portal { url: portal, accounts })
}

/// The words before the account id in its row: `Acme Prod #1111…` or `Acme Prod 1111…` → `Acme Prod`.
fn account_name(text: &str, id: &str) -> Option<String> {
    let before = text.split(id).next().filter(|b| b.len() < text.len())?;
    let name = before.trim().trim_end_matches('#').trim();
    (!name.is_empty()).then(|| name.to_owned())
}

impl Portal {
    /// The configuration it teaches: a name per account and a switch target per permission set.
    pub fn config_text(&self) -> String {
        let mut text = format!("{LESSON_HEADER}{} (names and ids only).\n", self.url);
        for account in &self.accounts {
            if let Some(name) = &account.name {
                text.push_str(&format!("\n[[aws.accounts]]\nid = \"{}\"\nlabel = {}\n", account.id, toml_string(name)));
            }
            for role in &account.roles {
                let label = format!("{} · {role}", account.name.as_deref().unwrap_or(&account.id));
                text.push_str(&format!(
                    "\n[[targets]]\nprovider = \"aws\"\nlabel = {}\naccount = \"{}\"\nrole = {}\nportal = {}\n",
                    toml_string(&label),
                    account.id,
                    toml_string(role),
                    toml_string(&self.url)
                ));
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_portal_hosts_of_aws_are_accepted() {
        assert!(check_portal_url("https://d-1234567890.awsapps.com/start").is_ok());
        assert!(check_portal_url("javascript:alert(1)").is_err());
        assert!(check_portal_url("https://evil.example/start").is_err());
        assert!(check_portal_url("https://awsapps.com.evil.example/start").is_err());
        assert!(check_portal_url("https://ssoins-1234.portal.us-east-1.app.aws/").is_ok());
        assert!(check_portal_url("https://my-bucket.s3.amazonaws.com/start").is_err(), "a customer's bucket");
    }

    #[test]
    fn a_portal_page_names_its_start_url() {
        assert_eq!(
            portal_of_page("https://d-1.awsapps.com/start/#/?tab=accounts").as_deref(),
            Some("https://d-1.awsapps.com/start")
        );
        assert_eq!(
            portal_of_page("https://start.us-gov-home.awsapps.com/directory/d-9/#/").as_deref(),
            Some("https://start.us-gov-home.awsapps.com/directory/d-9")
        );
        assert_eq!(portal_of_page("https://d-1.awsapps.com/mail/"), None, "WorkMail is no portal");
    }
}
