//! Google Cloud: the project in the URL, the signed-in account on the page.

use super::privilege::{self, RoleSeen};
use super::switch::{From, Plan};
use super::{environment, Account, Console, ConsoleHost, ConsoleLocation, Reading};
use crate::config::lookup::Lookup;
use crate::config::{all_rules, best_rule, Aspect, Config, Rule, RuleMatch, Scope, Target};
use crate::model::{Named, Principal, Privilege, Provider, Trust};
use crate::signals::{email_in, present, shown, Signals};
use crate::text::address::Address;
use crate::text::address::{percent_encode, with_query};
use crate::text::token::Keyword;

/// Reads a Google Cloud console tab. `authuser` is only an index into the browser's signed-in
/// accounts, so the user comes from the page, never from the URL.
pub(crate) fn read(location: &ConsoleLocation, signals: &Signals, config: &Config) -> Reading {
    let mut reasons = Vec::new();
    let project = location.project.as_deref();
    let project_name = present(&signals.gcp_project_name).filter(|_| project.is_some());
    let user = present(&signals.gcp_account).and_then(email_in);
    // The id was fixed when the project was created; its display name is editable by its editors,
    // so rules and names read from the display name may only raise.
    let names: Vec<&str> = project_name.into_iter().collect();
    let rule = best_rule(config.rules(Scope::GcpProject), project, &[], Aspect::Environment);
    // Every rule the display name matches: a quieter match never hides a louder one.
    let raising_rules = all_rules(config.rules(Scope::GcpProject), None, &names, Aspect::Environment);
    let role_rule = best_rule(config.rules(Scope::GcpProject), project, &[], Aspect::Role);
    let mut named = Vec::new();
    match project {
        Some(id) => {
            reasons.push(format!("project {id} from the URL's project parameter ({})", Trust::Console.describe()));
            named.push(Named::new("project id", id, Trust::Console));
        }
        None => reasons.push(match &location.ambiguous {
            Some(ambiguous) => ambiguous.clone(),
            None => "no project in the URL: this page is about no known project".to_owned(),
        }),
    }
    if let Some(name) = project_name {
        named.push(Named::new("project name", name, Trust::Anyone));
    }
    let what = "this Google Cloud project";
    let rules: Vec<_> = rule.into_iter().map(|(rule, how)| (rule, how, what)).collect();
    let raising: Vec<_> = raising_rules.into_iter().map(|(rule, how)| (rule, how, what)).collect();
    let mut conflict = false;
    let environment = environment::decide(config, &rules, &raising, &named, &mut reasons, &mut conflict);
    let role = role_rule.and_then(|(r, _)| r.role.as_deref());
    let roles: Vec<RoleSeen> = role
        .map(|name| RoleSeen { name, source: "configured for this project", trust: Trust::Configured })
        .into_iter()
        .collect();
    let privilege = privilege::decide(Provider::Gcp, &roles, config, &mut reasons, &mut conflict);
    let display = match (project, project_name) {
        (Some(id), Some(name)) if name != id => format!("project {name} ({id})"),
        (Some(id), _) => format!("project {id}"),
        (None, _) => "no project selected".to_owned(),
    };
    Reading {
        region: None,
        account: Account {
            id_decides: project.is_some(),
            id: project.map(str::to_owned),
            alias: None,
            name: project_name.map(str::to_owned),
            display,
        },
        principal: Principal { role: role.map(str::to_owned), user, ..Principal::UNKNOWN },
        environment,
        privilege,
        reasons,
        conflict,
    }
}

/// The Google Cloud console.
pub(crate) struct Gcp;

impl Console for Gcp {
    const HOSTS: &'static [ConsoleHost] = &[
        ConsoleHost::new("https://console.cloud.google.com/*", Provider::Gcp, None),
        ConsoleHost::new("https://console.cloud.google/*", Provider::Gcp, None),
        ConsoleHost::new("https://console.developers.google.com/*", Provider::Gcp, None),
    ];
    const ROLE_KEYWORDS: &'static [Keyword<Privilege>] = &[
        ("viewer", Privilege::Readonly),
        ("browser", Privilege::Readonly),
        ("editor", Privilege::Write),
        ("owner", Privilege::Admin),
    ];

    fn locate(address: &Address, _: &ConsoleHost) -> ConsoleLocation {
        location(address)
    }

    fn read(location: &ConsoleLocation, signals: &Signals, config: &Config) -> Reading {
        read(location, signals, config)
    }

    /// The account button, and the project picker's label where the URL has a `project` key, even
    /// a blank one (the console shows no picker label without one).
    fn page_complete(location: &ConsoleLocation, s: &Signals) -> bool {
        shown(&s.gcp_account) && (shown(&s.gcp_project_name) || !location.project_key)
    }

    fn target_rule<'l>(target: &Target, lookup: &'l Lookup, aspect: Aspect) -> Option<(&'l Rule, RuleMatch)> {
        lookup.by_id(Scope::GcpProject, target.project.as_deref(), aspect)
    }

    /// The same page in the target's project when the tab is on this console, else its dashboard.
    fn plan_switch(target: &Target, from: &From, here: Option<ConsoleLocation>) -> Plan {
        let same_console = here.is_some();
        let project = target.project.as_deref().unwrap_or_default();
        let url = match Address::split(from.url).filter(|_| same_console) {
            Some(address) => with_query(&address, "project", project),
            None => format!("https://console.cloud.google.com/home/dashboard?project={}", percent_encode(project)),
        };
        Plan::Open { url, new_tab: !same_console, wants_token: false }
    }
}

/// Google Cloud names the project in `?project=` (the key decoded like any query key); a page
/// without one is about no known project, and a URL with two different ones names neither.
fn location(address: &Address) -> ConsoleLocation {
    let mut projects: Vec<String> = Vec::new();
    let asked = address.query_params("project");
    let project_key = !asked.is_empty();
    for project in asked {
        let project = project.trim().to_owned();
        if !project.is_empty() && !projects.contains(&project) {
            projects.push(project);
        }
        // Two are enough to name none: no URL costs more than that.
        if projects.len() == 2 {
            break;
        }
    }
    if projects.len() > 1 {
        let ambiguous = format!("the URL names different projects ({}, …): it names none of them", projects.join(", "));
        return ConsoleLocation { ambiguous: Some(ambiguous), project_key, ..ConsoleLocation::of(Provider::Gcp) };
    }
    ConsoleLocation { project: projects.pop(), project_key, ..ConsoleLocation::of(Provider::Gcp) }
}
