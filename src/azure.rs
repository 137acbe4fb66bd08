//! Microsoft Azure: tenant and object from the hash route, directory and user from the top bar.

use crate::config::{best_rule, Aspect, Config};
use crate::console::{ConsoleLocation, Provider};
use crate::environment;
use crate::evidence::{Named, Trust};
use crate::identity::Principal;
use crate::privilege::{self, RoleSeen};
use crate::signals::{present, Signals};
use crate::verdict::{Account, Reading};

/// Reads an Azure portal tab. One tenant may hold every environment, so the environment comes from
/// the object the URL opens (app, resource group, subscription) before the tenant, and the blade
/// title counts as an app's name only on an app blade.
pub(crate) fn read(location: &ConsoleLocation, signals: &Signals, config: &Config) -> Reading {
    let mut reasons = Vec::new();
    let rules = &config.azure;
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
            (best_rule(&rules.apps, app_id, &app_names, aspect), "this Azure app"),
            (best_rule(&rules.resource_groups, None, &groups, aspect), "this resource group"),
            (best_rule(&rules.subscriptions, subscription, &[], aspect), "this subscription"),
            (best_rule(&rules.tenants, tenant, &directories, aspect), "this tenant"),
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
