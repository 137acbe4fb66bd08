//! Aiven: the project slug in the URL; roles are per project and not shown on the page.

use crate::config::{best_rule, Aspect, Config};
use crate::console::{ConsoleLocation, Provider};
use crate::environment;
use crate::evidence::{Named, Trust};
use crate::identity::Principal;
use crate::privilege::{self, RoleSeen};
use crate::verdict::{Account, Reading};

/// Reads an Aiven console tab.
pub(crate) fn read(location: &ConsoleLocation, config: &Config) -> Reading {
    let mut reasons = Vec::new();
    let slug = location.project.as_deref();
    let rule = best_rule(&config.aiven.projects, None, &slug.into_iter().collect::<Vec<_>>(), Aspect::Environment);
    let role_rule = best_rule(&config.aiven.projects, None, &slug.into_iter().collect::<Vec<_>>(), Aspect::Role);
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
