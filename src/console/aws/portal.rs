//! The IAM Identity Center access portal (`https://<directory>.awsapps.com/start`): the accounts
//! and permission sets it lists become switch targets and account names. Names and ids only;
//! never a token.

use serde::Serialize;

use crate::config::document::toml_string;
use crate::model::normalise_account_id;
use crate::signals::{Signals, MAX_PORTAL_LINKS_BYTES};
use crate::text::address::query_param;
use crate::text::node::Node;
use crate::text::portal_url::portal_of_page;

/// The first line of what one portal taught: the engine reads each portal's lessons on their own.
pub(crate) const LESSON_HEADER: &str = "# Learned from the access portal ";

/// What a portal page listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Portal {
    /// `https://<directory>.awsapps.com/start`, where console links are opened.
    pub url: String,
    /// The accounts listed, in page order, each with its permission sets.
    pub accounts: Vec<PortalAccount>,
}

/// One account the portal lists, and the permission sets it offers there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalAccount {
    /// The 12-digit AWS account id.
    pub id: String,
    /// The account's name, when its row shows one before the id.
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
            Some(Node::Text(text)) => &**text,
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
