//! Aiven: the project slug in the URL; roles are per project and not shown on the page.

use super::privilege::{self, RoleSeen};
use super::switch::{From, Plan};
use super::{environment, Account, Console, ConsoleHost, ConsoleLocation, Reading};
use crate::config::lookup::Lookup;
use crate::config::{best_rule, Aspect, Config, Rule, RuleMatch, Scope, Target};
use crate::model::{Named, Principal, Privilege, Provider, Trust};
use crate::signals::Signals;
use crate::text::address::percent_encode;
use crate::text::address::{percent_decode, Address};
use crate::text::token::Keyword;

/// Reads an Aiven console tab.
pub(crate) fn read(location: &ConsoleLocation, config: &Config) -> Reading {
    let mut reasons = Vec::new();
    let slug = location.project.as_deref();
    let rule =
        best_rule(config.rules(Scope::AivenProject), None, &slug.into_iter().collect::<Vec<_>>(), Aspect::Environment);
    let role_rule =
        best_rule(config.rules(Scope::AivenProject), None, &slug.into_iter().collect::<Vec<_>>(), Aspect::Role);
    let mut named = Vec::new();
    match slug {
        Some(slug) => {
            reasons.push(format!("project {slug} from the URL path"));
            named.push(Named::new("project", slug, Trust::Console));
        }
        None => reasons.push("no project in the URL".to_owned()),
    }
    let rules: Vec<_> = rule.into_iter().map(|(rule, how)| (rule, how, "this Aiven project")).collect();
    let mut conflict = false;
    let environment = environment::decide(config, &rules, &[], &named, &mut reasons, &mut conflict);
    let role = role_rule.and_then(|(r, _)| r.role.as_deref());
    let roles: Vec<RoleSeen> = role
        .map(|name| RoleSeen { name, source: "configured for this project", trust: Trust::Configured })
        .into_iter()
        .collect();
    let privilege = privilege::decide(Provider::Aiven, &roles, config, &mut reasons, &mut conflict);
    Reading {
        region: None,
        account: Account {
            id_decides: location.aiven_account.is_some(),
            id: location.aiven_account.clone(),
            alias: None,
            name: slug.map(str::to_owned),
            display: slug.map_or_else(|| "no project selected".to_owned(), |s| format!("project {s}")),
        },
        principal: Principal { role: role.map(str::to_owned), ..Principal::UNKNOWN },
        environment,
        privilege,
        reasons,
        conflict,
    }
}

/// The Aiven console.
pub(crate) struct Aiven;

impl Console for Aiven {
    const HOSTS: &'static [ConsoleHost] = &[ConsoleHost::new("https://console.aiven.io/*", Provider::Aiven, None)];
    /// Aiven's `Operator` has full access to a project's services, unlike the read-only AWS role of
    /// the same name in the seed organisation.
    const ROLE_KEYWORDS: &'static [Keyword<Privilege>] =
        &[("Operator", Privilege::Write), ("Read-only", Privilege::Readonly)];

    fn locate(address: &Address, _: &ConsoleHost) -> ConsoleLocation {
        location(address)
    }

    fn read(location: &ConsoleLocation, _: &Signals, config: &Config) -> Reading {
        read(location, config)
    }

    /// Aiven's pages show nobody: its signals are watched for as long as after any load.
    fn page_complete(_: &ConsoleLocation, _: &Signals) -> bool {
        false
    }

    /// Aiven projects are matched by their slug, which rules give as `name`.
    fn target_rule<'l>(target: &Target, lookup: &'l Lookup, aspect: Aspect) -> Option<(&'l Rule, RuleMatch)> {
        let projects: Vec<&str> = target.project.as_deref().into_iter().collect();
        lookup.by_name(Scope::AivenProject, &projects, aspect)
    }

    /// The project's services, in the tab's Aiven account when it shows one.
    fn plan_switch(target: &Target, _: &From, here: Option<ConsoleLocation>) -> Plan {
        let same_console = here.is_some();
        let project = percent_encode(target.project.as_deref().unwrap_or_default());
        let account = here.and_then(|l| l.aiven_account);
        let url = match account {
            Some(account) => format!("https://console.aiven.io/account/{account}/project/{project}/services"),
            None => format!("https://console.aiven.io/project/{project}/services"),
        };
        Plan::Open { url, new_tab: !same_console, wants_token: false }
    }
}

/// Aiven: `/account/<a + 12 hex>/project/<slug>/…`, or the older `/project/<slug>/…`.
fn location(address: &Address) -> ConsoleLocation {
    let segments: Vec<String> = address.path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect();
    let after = |key: &str| segments.windows(2).find(|pair| pair[0] == key).map(|pair| pair[1].clone());
    ConsoleLocation {
        project: after("project"),
        // The account id goes back into switch links: anything but a plain id is none.
        aiven_account: after("account").filter(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_alphanumeric())),
        ..ConsoleLocation::of(Provider::Aiven)
    }
}
