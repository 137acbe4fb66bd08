//! Switching role in the AWS console: the sign-in service's form, the multi-session endpoint, the
//! prefilled page and access portal links, and where to land afterwards.

use serde::Serialize;

use crate::config::Target;
use crate::console::detect;
use crate::console::switch::{From, Plan};
use crate::model::{Partition, Provider};
use crate::signals::{present, AwsSessionData};
use crate::text::address::{percent_encode, with_query, Address};

/// `partition` and `region`: the AWS console page switched from, if it is one.
pub(crate) fn plan(target: &Target, from: &From, partition: Option<Partition>, region: Option<String>) -> Plan {
    let account = target.account.as_deref().unwrap_or_default();
    let role = target.role.as_deref().unwrap_or_default();
    let on_console = partition.is_some();
    let destination = destination(from.url, target.region.as_deref(), on_console);
    if let Some(portal) = &target.portal {
        let url = format!(
            "{}/#/console?account_id={}&role_name={}&destination={}",
            portal.trim_end_matches('/'),
            percent_encode(account),
            percent_encode(role),
            percent_encode(&destination)
        );
        return Plan::Open { url, new_tab: !on_console, wants_token: false };
    }
    let display: String =
        target.label.clone().unwrap_or_else(|| format!("{role} @ {account}")).chars().take(64).collect();
    let colour = target.colour.as_deref().map(|c| c.trim_start_matches('#').to_ascii_lowercase()).unwrap_or_default();
    let session = from.signals.and_then(|s| present(&s.aws_session_data)).and_then(|t| AwsSessionData::parse(t).ok());
    let partition = partition.unwrap_or(Partition::Aws);
    // The page names the multi-session endpoint: only one of its partition's sign-in hosts is used.
    if let Some((endpoint, differentiator)) = session
        .as_ref()
        .filter(|s| s.multi_session)
        .and_then(|s| Some((s.sign_in_endpoint.as_deref()?, s.session_differentiator.as_deref()?)))
        .filter(|(endpoint, _)| Partition::of_sign_in_host(host_of(endpoint)) == Some(partition))
    {
        let body =
            SwitchBody { account, role_name: role, display_name: &display, color: &colour, redirect_uri: &destination };
        return Plan::PostJson {
            url: format!("https://{}/sessions/{}/v1/switchrole", host_of(endpoint), percent_encode(differentiator)),
            body: serde_json::to_string(&body).unwrap_or_default(),
        };
    }
    // A partition with regional sign-in hosts only: the target's region, else the page's.
    let host = partition.sign_in_host(target.region.as_deref().or(region.as_deref()));
    match from.csrf.filter(|token| !token.is_empty() && on_console) {
        // AWS's own form puts the console URL in `redirect_uri` already percent-encoded, and the
        // form encoding encodes it once more.
        Some(csrf) => Plan::PostForm {
            url: format!("https://{host}/switchrole"),
            fields: [
                ("action", "switchFromBasis"),
                ("src", "nav"),
                ("mfaNeeded", "0"),
                ("csrf", csrf),
                ("account", account),
                ("roleName", role),
                ("displayName", &display),
                ("color", &colour),
                ("redirect_uri", &percent_encode(&destination)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        },
        // The prefilled page takes `color` only from AWS's presets, which no public source lists:
        // it is left out rather than guessed.
        None => Plan::Open {
            url: format!(
                "https://{host}/switchrole?account={0}&accountId={0}&roleName={1}&displayName={2}&redirect_uri={3}",
                percent_encode(account),
                percent_encode(role),
                percent_encode(&display),
                percent_encode(&destination)
            ),
            new_tab: !on_console,
            wants_token: on_console,
        },
    }
}

/// Whether a sign-in service's answer may be opened: an `https://` AWS console or sign-in page,
/// with no user name or port.
///
/// ```
/// use redline::is_switch_destination;
/// assert!(is_switch_destination("https://111122223333-ab12cd34.eu-west-2.console.aws.amazon.com/console/home?login_hint=x"));
/// assert!(is_switch_destination("https://eu-west-2.signin.aws.amazon.com/oauth?x=1"));
/// assert!(!is_switch_destination("https://evil.example/"));
/// assert!(!is_switch_destination("javascript:alert(1)"));
/// ```
pub fn is_switch_destination(url: &str) -> bool {
    let Some(address) = Address::split(url).filter(|a| a.scheme == "https") else { return false };
    let authority =
        url.split_once("://").map_or("", |(_, rest)| &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())]);
    !authority.contains(['@', ':'])
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        && (detect(url).is_some_and(|l| l.provider == Provider::Aws)
            || Partition::of_sign_in_host(&address.host).is_some())
}

/// The multi-session switch endpoint's request body.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SwitchBody<'a> {
    account: &'a str,
    role_name: &'a str,
    display_name: &'a str,
    color: &'a str,
    redirect_uri: &'a str,
}

/// `signin.aws.amazon.com` from an endpoint given with or without a scheme.
fn host_of(endpoint: &str) -> &str {
    let endpoint = endpoint.split("://").last().unwrap_or(endpoint);
    endpoint.split('/').next().unwrap_or(endpoint)
}

/// Where to land after switching: the current console page (in the target's region when it has
/// one), without a multi-session `<account>-<session>.` host prefix; the console home otherwise.
pub(crate) fn destination(url: &str, region: Option<&str>, on_console: bool) -> String {
    let Some(address) = Address::split(url).filter(|_| on_console) else {
        return match region {
            Some(region) => format!("https://{region}.console.aws.amazon.com/console/home?region={region}"),
            None => "https://console.aws.amazon.com/console/home".to_owned(),
        };
    };
    let labels: Vec<&str> = address.host.split('.').collect();
    let mut host: Vec<&str> = labels.iter().copied().filter(|l| !is_session_label(l)).collect();
    if let Some(region) = region {
        if host.first().is_some_and(|l| crate::model::is_region(l)) {
            host[0] = region;
        } else if host.first() == Some(&"console") {
            host.insert(0, region);
        }
    }
    let address = Address { host: host.join("."), ..address };
    match region {
        Some(region) if address.query.contains("region=") => with_query(&address, "region", region),
        _ => {
            let query = if address.query.is_empty() { String::new() } else { format!("?{}", address.query) };
            let fragment = if address.fragment.is_empty() { String::new() } else { format!("#{}", address.fragment) };
            format!("{}://{}{}{query}{fragment}", address.scheme, address.host, address.path)
        }
    }
}

fn is_session_label(label: &str) -> bool {
    label.split_once('-').is_some_and(|(account, session)| {
        account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && !session.is_empty()
    })
}
