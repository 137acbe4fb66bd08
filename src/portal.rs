//! The IAM Identity Center access portal (`https://<directory>.awsapps.com/start`): the accounts
//! and permission sets it lists become switch targets and account names. Names and ids only;
//! never a token.

use serde::Serialize;

use crate::address::{query_param, Address};
use crate::node::Node;
use crate::signals::{normalise_account_id, present, Signals};

/// Hosts of access portals, where redline learns accounts and permission sets.
pub const PORTAL_HOSTS: &[&str] = &["https://*.awsapps.com/*"];

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
    let address = Address::split(url).filter(|a| a.scheme == "https" && a.host.ends_with(".awsapps.com"))?;
    let Ok(Node::List(links)) = serde_json::from_str::<Node>(present(&signals.aws_portal_links)?) else { return None };
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
    Some(Portal { url: format!("https://{}/start", address.host), accounts })
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
        let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
        let mut text = format!("# Learned from the access portal {} (names and ids only).\n", self.url);
        for account in &self.accounts {
            if let Some(name) = &account.name {
                text.push_str(&format!("\n[[aws.accounts]]\nid = \"{}\"\nlabel = {}\n", account.id, quoted(name)));
            }
            for role in &account.roles {
                let label = format!("{} · {role}", account.name.as_deref().unwrap_or(&account.id));
                text.push_str(&format!(
                    "\n[[targets]]\nprovider = \"aws\"\nlabel = {}\naccount = \"{}\"\nrole = {}\nportal = {}\n",
                    quoted(&label),
                    account.id,
                    quoted(role),
                    quoted(&self.url)
                ));
            }
        }
        text
    }
}
