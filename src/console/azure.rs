//! Microsoft Azure: tenant and object from the hash route, directory and user from the top bar.

use super::privilege::{self, RoleSeen};
use super::switch::{From, Plan};
use super::{environment, Account, Console, ConsoleHost, ConsoleLocation, Reading};
use crate::config::lookup::Lookup;
use crate::config::{best_rule, Aspect, Config, Rule, RuleMatch, Scope, Target};
use crate::model::{is_guid, Named, Principal, Privilege, Provider, Trust};
use crate::signals::{present, shown, Signals};
use crate::text::address::{percent_decode, Address};
use crate::text::token::Keyword;

/// Reads an Azure portal tab. One tenant may hold every environment, so the environment comes from
/// the object the URL opens (app, resource group, subscription) before the tenant, and the blade
/// title counts as an app's name only on an app blade.
pub(crate) fn read(location: &ConsoleLocation, signals: &Signals, config: &Config) -> Reading {
    let mut reasons = Vec::new();
    let tenant = location.tenant.as_deref();
    let directory = present(&signals.azure_directory);
    let user = present(&signals.azure_user).map(str::to_owned);
    let app_id = location.app_id.as_deref();
    let app_name = present(&signals.azure_blade_title).filter(|_| app_id.is_some()).map(app_of_title);
    let group = location.resource_group.as_deref();
    let subscription = location.subscription.as_deref();

    for (what, value) in
        [("tenant", tenant), ("app id", app_id), ("subscription", subscription), ("resource group", group)]
    {
        if let Some(value) = value {
            reasons.push(format!("{what} {value} from the URL ({})", Trust::Console.describe()));
        }
    }
    if let Some(ambiguous) = &location.ambiguous {
        reasons.push(ambiguous.clone());
    }
    let app_names: Vec<&str> = app_name.into_iter().collect();
    let groups: Vec<&str> = group.into_iter().collect();
    let directories: Vec<&str> = directory.into_iter().collect();
    // Most specific first: the app or resource the URL opens, then its subscription, then the
    // tenant. Every rule matches what the console or the container's administrators set: ids from
    // the URL, the app registration's name, the resource group the URL opens, the directory name.
    let matching = |aspect| -> Vec<_> {
        [
            (best_rule(config.rules(Scope::AzureApp), app_id, &app_names, aspect), "this Azure app"),
            (best_rule(config.rules(Scope::AzureResourceGroup), None, &groups, aspect), "this resource group"),
            (best_rule(config.rules(Scope::AzureSubscription), subscription, &[], aspect), "this subscription"),
            (best_rule(config.rules(Scope::AzureTenant), tenant, &directories, aspect), "this tenant"),
        ]
        .into_iter()
        .filter_map(|(found, what)| found.map(|(rule, how)| (rule, how, what)))
        .collect()
    };
    let matched = matching(Aspect::Environment);
    let mut named = Vec::new();
    if let Some(name) = app_name {
        named.push(Named::new("app name", name, Trust::Administrator));
    }
    // A resource group is named by whoever may create one in the subscription: its name may raise.
    if let Some(group) = group {
        named.push(Named::new("resource group", group, Trust::Anyone));
    }
    let mut conflict = false;
    let environment = environment::decide(config, &matched, &[], &named, &mut reasons, &mut conflict);
    let role = matching(Aspect::Role).into_iter().find_map(|(rule, _, what)| rule.role.as_deref().map(|r| (r, what)));
    let role_source = role.map(|(r, what)| (r, format!("configured for {what}")));
    let roles: Vec<RoleSeen> =
        role_source.iter().map(|(name, source)| RoleSeen { name, source, trust: Trust::Configured }).collect();
    let privilege = privilege::decide(Provider::Azure, &roles, config, &mut reasons, &mut conflict);

    let object = match (app_id, app_name, group, subscription) {
        (Some(id), Some(name), ..) => Some(format!("app {name} ({})", short(id))),
        (Some(id), None, ..) => Some(format!("app {}", short(id))),
        (None, _, Some(group), _) => Some(format!("resource group {group}")),
        (None, _, None, Some(sub)) => Some(format!("subscription {}", short(sub))),
        _ => None,
    };
    let directory_text = directory.or(tenant).unwrap_or("directory unknown");
    let display = [object.as_deref(), Some(directory_text)].into_iter().flatten().collect::<Vec<_>>();
    Reading {
        region: None,
        account: Account {
            id_decides: tenant.is_some(),
            id: tenant.map(str::to_owned),
            alias: None,
            name: directory.map(str::to_owned),
            display: display.join(" · "),
        },
        principal: Principal { role: role.map(|(r, _)| r.to_owned()), user, ..Principal::UNKNOWN },
        environment,
        privilege,
        reasons,
        conflict,
    }
}

/// An app's menu blade is titled `<app name> | <section>`; the app name is the part before the bar.
fn app_of_title(title: &str) -> &str {
    title.split(" | ").next().unwrap_or(title).trim()
}

/// The first block of a GUID, enough to tell objects apart on a banner.
fn short(guid: &str) -> String {
    match guid.split_once('-') {
        Some((head, _)) => format!("{head}…"),
        None => guid.to_owned(),
    }
}

/// The Azure portal and the Entra admin center.
pub(crate) struct Azure;

impl Console for Azure {
    const HOSTS: &'static [ConsoleHost] = &[
        ConsoleHost::new("https://portal.azure.com/*", Provider::Azure, None),
        ConsoleHost::new("https://ms.portal.azure.com/*", Provider::Azure, None),
        ConsoleHost::new("https://preview.portal.azure.com/*", Provider::Azure, None),
        ConsoleHost::new("https://rc.portal.azure.com/*", Provider::Azure, None),
        ConsoleHost::new("https://portal.azure.us/*", Provider::Azure, None),
        ConsoleHost::new("https://portal.azure.cn/*", Provider::Azure, None),
        ConsoleHost::new("https://entra.microsoft.com/*", Provider::Azure, None),
    ];
    const ROLE_KEYWORDS: &'static [Keyword<Privilege>] =
        &[("Reader", Privilege::Readonly), ("Contributor", Privilege::Write), ("Owner", Privilege::Admin)];

    fn locate(address: &Address, _: &ConsoleHost) -> ConsoleLocation {
        location(address)
    }

    fn read(location: &ConsoleLocation, signals: &Signals, config: &Config) -> Reading {
        read(location, signals, config)
    }

    /// The directory and user of the top bar, and the open blade's title (the portal renders blades
    /// after its top bar, and an app blade's title names the environment).
    fn page_complete(_: &ConsoleLocation, s: &Signals) -> bool {
        shown(&s.azure_directory) && shown(&s.azure_user) && shown(&s.azure_blade_title)
    }

    /// An app target by its app's rules, else its tenant's.
    fn target_rule<'l>(target: &Target, lookup: &'l Lookup, aspect: Aspect) -> Option<(&'l Rule, RuleMatch)> {
        (target.app.as_deref())
            .and_then(|app| lookup.by_id(Scope::AzureApp, Some(app), aspect))
            .or_else(|| lookup.by_id(Scope::AzureTenant, target.tenant.as_deref(), aspect))
    }

    /// An app's overview, Privileged Identity Management's role activation, or the tenant's home.
    fn plan_switch(target: &Target, from: &From, here: Option<ConsoleLocation>) -> Plan {
        let same_console = here.is_some();
        let host = Address::split(from.url).filter(|_| same_console).map_or("portal.azure.com".to_owned(), |a| a.host);
        let tenant = target.tenant.as_deref().unwrap_or_default();
        let url = match (&target.app, &target.role) {
            (Some(app), _) => format!(
                "https://{host}/#@{tenant}/view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/{app}"
            ),
            (None, Some(_)) => {
                format!("https://{host}/#@{tenant}/view/Microsoft_Azure_PIMCommon/ActivationMenuBlade/~/aadmigratedroles")
            }
            (None, None) => format!("https://{host}/#@{tenant}"),
        };
        Plan::Open { url, new_tab: !same_console, wants_token: false }
    }
}

/// Hosts that serve frames inside the portal's pages (its React blades).
pub(crate) const FRAME_HOSTS: &[&str] = &[
    "https://*.reactblade.portal.azure.net/*",
    "https://*.reactblade-ms.portal.azure.net/*",
    "https://*.reactblade-rc.portal.azure.net/*",
];

/// Azure routes in the hash: `#@tenant/resource/subscriptions/<id>/resourceGroups/<rg>/…`,
/// `#view/<Extension>/<Blade>/~/<tab>/appId/<id>/…`, legacy `#blade/…`; the tenant may also be the
/// first path segment. The hash is decoded once, as the portal decodes it; a resource id inside a
/// blade parameter is read too, and a URL that names two different subscriptions (or resource
/// groups) names none of them.
fn location(address: &Address) -> ConsoleLocation {
    let fragment = percent_decode(address.fragment);
    let (hash_tenant, route) = match fragment.strip_prefix('@') {
        Some(rest) => rest.split_once('/').unwrap_or((rest, "")),
        None => ("", fragment.as_str()),
    };
    let path_tenant =
        address.path.split('/').find(|s| !s.is_empty()).map(percent_decode).filter(|s| looks_like_tenant(s));
    let tenant = Some(hash_tenant.to_owned()).filter(|t| looks_like_tenant(t)).or(path_tenant);
    // Parameter values are decoded once more by the blade that reads them.
    let parameters = percent_decode(route);
    let every = |keys: &[&str], valid: fn(&str) -> bool| -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for text in [route, parameters.as_str()] {
            let segments: Vec<&str> = text.split('/').filter(|s| !s.is_empty()).collect();
            for pair in segments.windows(2) {
                let key = pair[0].trim_end_matches('~');
                let value = pair[1];
                if keys.iter().any(|k| k.eq_ignore_ascii_case(key))
                    && valid(value)
                    && !found.iter().any(|f| f.eq_ignore_ascii_case(value))
                {
                    found.push(value.to_owned());
                    // Two are enough to name none: no URL costs more than that.
                    if found.len() == 2 {
                        return found;
                    }
                }
            }
        }
        found
    };
    let subscriptions = every(&["subscriptions", "subscriptionId"], is_guid);
    let groups = every(&["resourceGroups", "resourceGroup"], |g| !g.is_empty());
    // An app is what an app registration's or enterprise app's own blade opens; an `appId`
    // segment elsewhere (a resource named so, a crafted link) names no app.
    let app_blade = ["Microsoft_AAD_RegisteredApps/ApplicationMenuBlade", "Microsoft_AAD_IAM/ManagedAppMenuBlade"]
        .iter()
        .any(|blade| route.contains(blade));
    let apps = if app_blade { every(&["appId"], is_guid) } else { Vec::new() };
    let objects = if app_blade { every(&["objectId"], is_guid) } else { Vec::new() };
    let mut ambiguous = Vec::new();
    let mut single = |what: &str, found: Vec<String>| match found.len() {
        0 => None,
        1 => found.into_iter().next(),
        _ => {
            ambiguous.push(format!("the URL names different {what}s ({}, …)", found.join(", ")));
            None
        }
    };
    let subscription = single("subscription", subscriptions);
    let resource_group = single("resource group", groups);
    let app_id = single("app", apps);
    let object_id = single("object", objects);
    // A resource group belongs to its subscription: with no single subscription it names nothing.
    let resource_group = resource_group.filter(|_| ambiguous.is_empty());
    ConsoleLocation {
        tenant,
        subscription,
        resource_group,
        app_id,
        object_id,
        ambiguous: (!ambiguous.is_empty()).then(|| format!("{}: it names none of them", ambiguous.join("; "))),
        ..ConsoleLocation::of(Provider::Azure)
    }
}

/// A directory domain (`contoso.onmicrosoft.com`) or id (a GUID).
fn looks_like_tenant(text: &str) -> bool {
    is_guid(text)
        || (text.contains('.')
            && !text.starts_with('.')
            && !text.ends_with('.')
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'))
}
