//! Google Cloud: the project in the URL, the signed-in account on the page.

use crate::config::{best_rule, Aspect, Config};
use crate::console::{ConsoleLocation, Provider};
use crate::environment;
use crate::identity::Principal;
use crate::privilege;
use crate::signals::{email_in, present, Signals};
use crate::verdict::{Account, Reading};

/// Reads a Google Cloud console tab. `authuser` is only an index into the browser's signed-in
/// accounts, so the user comes from the page, never from the URL.
pub(crate) fn read(location: &ConsoleLocation, signals: &Signals, config: &Config) -> Reading {
    let mut reasons = Vec::new();
    let project = location.project.as_deref();
    let project_name = present(&signals.gcp_project_name).filter(|_| project.is_some());
    let user = present(&signals.gcp_account).and_then(email_in);
    let names: Vec<&str> = project_name.into_iter().collect();
    let rule = best_rule(&config.gcp.projects, project, &names, Aspect::Environment);
    let role_rule = best_rule(&config.gcp.projects, project, &names, Aspect::Role);
    let mut named = Vec::new();
    match project {
        Some(id) => {
            reasons.push(format!("project {id} from the URL's project parameter"));
            named.push(("project id", id));
        }
        None => reasons.push("no project in the URL: this page is about no known project".to_owned()),
    }
    if let Some(name) = project_name {
        named.push(("project name", name));
    }
    let rules: Vec<_> = rule.into_iter().map(|(rule, how)| (rule, how, "this Google Cloud project")).collect();
    let environment = environment::decide(config, &rules, &named, &mut reasons);
    let role = role_rule.and_then(|(r, _)| r.role.as_deref()).map(|r| (r, "configured for this project"));
    let privilege = privilege::decide(Provider::Gcp, role, config, &mut reasons);
    let display = match (project, project_name) {
        (Some(id), Some(name)) if name != id => format!("project {name} ({id})"),
        (Some(id), _) => format!("project {id}"),
        (None, _) => "no project selected".to_owned(),
    };
    Reading {
        region: None,
        account: Account {
            id: project.map(str::to_owned),
            alias: None,
            name: project_name.map(str::to_owned),
            display,
        },
        principal: Principal { role: role.map(|(r, _)| r.to_owned()), user, ..Principal::UNKNOWN },
        environment,
        privilege,
        reasons,
    }
}
