//! Which console a tab shows, and what its page says: one module per console, each owning its hosts,
//! URL forms, page reader, role names and target lookup, behind [`Console`]; what they share is here and in
//! [`environment`], [`privilege`] and [`switch`]. The access portal reader is AWS's.

/// Calls `$call` on the console type of `$provider`. Defined before the modules, which use it too.
macro_rules! dispatch {
    ($provider:expr, $console:ident => $call:expr) => {
        match $provider {
            $crate::model::Provider::Aws => {
                type $console = $crate::console::aws::Aws;
                $call
            }
            $crate::model::Provider::Azure => {
                type $console = $crate::console::azure::Azure;
                $call
            }
            $crate::model::Provider::Gcp => {
                type $console = $crate::console::gcp::Gcp;
                $call
            }
            $crate::model::Provider::Aiven => {
                type $console = $crate::console::aiven::Aiven;
                $call
            }
        }
    };
}

pub(crate) mod aiven;
pub(crate) mod aws;
pub(crate) mod azure;
pub(crate) mod environment;
pub(crate) mod gcp;
pub(crate) mod privilege;
pub(crate) mod switch;

use serde::Serialize;

use crate::config::lookup::Lookup;
use crate::config::{Aspect, Config, Rule, RuleMatch, Target};
use crate::model::{Partition, Principal, Privilege, Provider};
use crate::signals::Signals;
use crate::text::address::Address;
use crate::text::token::Keyword;
use environment::EnvironmentView;

/// What redline knows of one console. Each provider is a unit type; callers dispatch over
/// [`Provider`] with a `match`, so the wasm holds no vtables.
pub(crate) trait Console {
    /// The hosts the console is served from, in the manifest's order.
    const HOSTS: &'static [ConsoleHost];
    /// Role names whose meaning belongs to this provider.
    const ROLE_KEYWORDS: &'static [Keyword<Privilege>];
    /// Where in the console `address`, on one of [`Console::HOSTS`], points.
    fn locate(address: &Address, host: &ConsoleHost) -> ConsoleLocation;
    /// What the page says, read against the configuration.
    fn read(location: &ConsoleLocation, signals: &Signals, config: &Config) -> Reading;
    /// Whether the page has shown every part of who is signed in that its top bar shows (some
    /// generation of it): later signals would only repeat them.
    fn page_complete(location: &ConsoleLocation, signals: &Signals) -> bool;
    /// The best rule that says `aspect` about where `target` (one of this console's) leads.
    fn target_rule<'l>(target: &Target, lookup: &'l Lookup, aspect: Aspect) -> Option<(&'l Rule, RuleMatch)>;
    /// How to switch to `target` (one of this console's) from the active tab; `here` is where the
    /// tab is when it shows this console.
    fn plan_switch(target: &Target, from: &switch::From, here: Option<ConsoleLocation>) -> switch::Plan;
}

/// Reads the page of a tab at `location` (from [`detect`]).
pub(crate) fn read(location: &ConsoleLocation, signals: &Signals, config: &Config) -> Reading {
    dispatch!(location.provider, C => C::read(location, signals, config))
}

/// Whether the page at `location` has shown all its top bar shows ([`Console::page_complete`]).
pub(crate) fn page_complete(location: &ConsoleLocation, signals: &Signals) -> bool {
    dispatch!(location.provider, C => C::page_complete(location, signals))
}

/// The best rule that says `aspect` about where `target` leads ([`Console::target_rule`]).
pub(crate) fn target_rule<'l>(target: &Target, lookup: &'l Lookup, aspect: Aspect) -> Option<(&'l Rule, RuleMatch)> {
    dispatch!(target.provider, C => C::target_rule(target, lookup, aspect))
}

/// The role names whose meaning belongs to `provider`.
pub(crate) fn role_keywords(provider: Provider) -> &'static [Keyword<Privilege>] {
    dispatch!(provider, C => C::ROLE_KEYWORDS)
}

/// One host a console is served from, written as an extension match pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsoleHost {
    /// `https://host/*` or `https://*.host/*`, exactly as in the manifest's `content_scripts.matches`.
    pub pattern: &'static str,
    /// Whose console the host serves.
    pub provider: Provider,
    /// The AWS partition the host belongs to; `None` for other consoles.
    pub partition: Option<Partition>,
}

impl ConsoleHost {
    const fn new(pattern: &'static str, provider: Provider, partition: Option<Partition>) -> Self {
        ConsoleHost { pattern, provider, partition }
    }

    /// The host part of the pattern, and whether subdomains match too.
    fn host(&self) -> (&'static str, bool) {
        // Every pattern is `https://…/*`: stripped once, not searched for (which would cost the wasm
        // a backwards string searcher).
        let host = self.pattern.strip_prefix("https://").and_then(|h| h.strip_suffix("/*")).unwrap_or(self.pattern);
        match host.strip_prefix("*.") {
            Some(base) => (base, true),
            None => (host, false),
        }
    }

    /// Whether `url` is on this host (https only; user-info and port ignored).
    ///
    /// ```
    /// use redline::CONSOLE_HOSTS;
    /// assert!(CONSOLE_HOSTS[1].matches_url("https://eu-west-2.console.aws.amazon.com/ec2"));
    /// assert!(!CONSOLE_HOSTS[1].matches_url("https://console.aws.amazon.com@evil.example/"));
    /// ```
    pub fn matches_url(&self, url: &str) -> bool {
        Address::split(url).is_some_and(|a| a.scheme == "https" && self.matches_host(&a.host))
    }

    fn matches_host(&self, host: &str) -> bool {
        let (base, subdomains) = self.host();
        host == base
            || (subdomains && host.strip_suffix(base).is_some_and(|prefix| prefix.len() > 1 && prefix.ends_with('.')))
    }
}

const HOST_COUNT: usize =
    aws::Aws::HOSTS.len() + azure::Azure::HOSTS.len() + gcp::Gcp::HOSTS.len() + aiven::Aiven::HOSTS.len();

/// Every console host, in the order of the manifest's content-script matches.
pub const CONSOLE_HOSTS: &[ConsoleHost] =
    &join([aws::Aws::HOSTS, azure::Azure::HOSTS, gcp::Gcp::HOSTS, aiven::Aiven::HOSTS]);

/// The consoles' host lists, one after another.
const fn join(lists: [&[ConsoleHost]; 4]) -> [ConsoleHost; HOST_COUNT] {
    let mut out = [lists[0][0]; HOST_COUNT];
    let (mut list, mut at) = (0, 0);
    while list < lists.len() {
        let mut i = 0;
        while i < lists[list].len() {
            out[at] = lists[list][i];
            (i, at) = (i + 1, at + 1);
        }
        list += 1;
    }
    out
}

/// Hosts that serve frames inside a console page (Azure's React blades): no banner there, but the
/// destructive-action guard must run in them, as in every frame of the console.
pub const CONSOLE_FRAME_HOSTS: &[&str] = azure::FRAME_HOSTS;

/// Where in a console a URL points. Each field is filled only by the consoles whose URLs carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleLocation {
    /// Whose console the URL is in.
    pub provider: Provider,
    /// AWS partition.
    pub partition: Option<Partition>,
    /// AWS region.
    pub region: Option<String>,
    /// The AWS account the URL itself names (multi-session hosts carry it).
    pub account_id: Option<String>,
    /// Azure tenant (domain or id) from `#@tenant` or the `/<tenant>/` path.
    pub tenant: Option<String>,
    /// Azure subscription id from the URL.
    pub subscription: Option<String>,
    /// Azure resource group name from the URL.
    pub resource_group: Option<String>,
    /// Azure app (client) id of an app registration or enterprise app blade.
    pub app_id: Option<String>,
    /// Azure object id of an enterprise app blade.
    pub object_id: Option<String>,
    /// Google Cloud project id, or Aiven project slug.
    pub project: Option<String>,
    /// The URL has Google Cloud's `project` query key, blank or not: the console then shows its
    /// project picker's label.
    pub project_key: bool,
    /// Aiven account id.
    pub aiven_account: Option<String>,
    /// Why a part the URL seems to name was set aside: it names two different ones.
    pub ambiguous: Option<String>,
}

/// Which console `url` belongs to, if any.
///
/// ```
/// use redline::{detect, Provider};
/// let location = detect("https://123456789012-abcd1234.eu-west-2.console.aws.amazon.com/ec2/home").unwrap();
/// assert_eq!(location.provider, Provider::Aws);
/// assert_eq!(location.account_id.as_deref(), Some("123456789012"));
/// assert_eq!(location.region.as_deref(), Some("eu-west-2"));
/// assert!(detect("https://console.aws.amazon.com.evil.example/").is_none());
/// ```
pub fn detect(url: &str) -> Option<ConsoleLocation> {
    let address = Address::split(url)?;
    if address.scheme != "https" {
        return None;
    }
    let host = CONSOLE_HOSTS.iter().find(|h| h.matches_host(&address.host))?;
    Some(dispatch!(host.provider, C => C::locate(&address, host)))
}

impl ConsoleLocation {
    /// A location in `provider`'s console that says nothing more.
    pub fn of(provider: Provider) -> ConsoleLocation {
        ConsoleLocation {
            provider,
            partition: None,
            region: None,
            account_id: None,
            tenant: None,
            subscription: None,
            resource_group: None,
            app_id: None,
            object_id: None,
            project: None,
            project_key: false,
            aiven_account: None,
            ambiguous: None,
        }
    }
}

/// The account (AWS), directory (Azure) or project (Google Cloud, Aiven) the tab is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// The AWS account id, Azure tenant (domain or id), Google Cloud project id or Aiven account id.
    pub id: Option<String>,
    /// Whether the id came from evidence that decides (not only from what anyone may set): only
    /// such an id is put in a switch link.
    #[serde(skip)]
    pub id_decides: bool,
    /// The AWS account alias.
    pub alias: Option<String>,
    /// A name people gave it: the AWS account's name, the Azure directory's, the Google Cloud project's
    /// display name or the Aiven project's slug.
    pub name: Option<String>,
    /// How the banner names it, e.g. `acme-prod (1111-2222-3333)` or `project govuk-paas`.
    pub display: String,
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
    /// Sources that may decide disagreed; the louder reading was taken.
    pub conflict: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomain_patterns_need_a_real_label_boundary() {
        let host = CONSOLE_HOSTS[1];
        assert!(host.matches_host("eu-west-2.console.aws.amazon.com"));
        assert!(host.matches_host("console.aws.amazon.com"));
        assert!(!host.matches_host("evilconsole.aws.amazon.com"));
        assert!(!host.matches_host(".console.aws.amazon.com"));
    }
}
