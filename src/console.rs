//! Which console a URL belongs to: the hosts and URL forms of the supported consoles.

use serde::Serialize;

use crate::address::{percent_decode, Address};

/// A cloud provider whose console redline recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Aws,
    Azure,
    Gcp,
    Aiven,
}

impl Provider {
    pub const ALL: [Provider; 4] = [Provider::Aws, Provider::Azure, Provider::Gcp, Provider::Aiven];

    /// `aws`, `azure`, `gcp` or `aiven`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Azure => "azure",
            Provider::Gcp => "gcp",
            Provider::Aiven => "aiven",
        }
    }

    pub fn parse(text: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The name shown to people.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Aws => "AWS",
            Provider::Azure => "Azure",
            Provider::Gcp => "Google Cloud",
            Provider::Aiven => "Aiven",
        }
    }
}

/// An AWS partition: each has its own console and sign-in hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Partition {
    #[serde(rename = "aws")]
    Aws,
    #[serde(rename = "aws-us-gov")]
    AwsUsGov,
    #[serde(rename = "aws-cn")]
    AwsCn,
    /// The AWS European Sovereign Cloud.
    #[serde(rename = "aws-eusc")]
    AwsEusc,
}

impl Partition {
    /// The partition as written in ARNs.
    pub fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsCn => "aws-cn",
            Partition::AwsEusc => "aws-eusc",
        }
    }

    const ALL: [Partition; 4] = [Partition::Aws, Partition::AwsUsGov, Partition::AwsCn, Partition::AwsEusc];

    /// The partition's sign-in domain: `signin.aws.amazon.com` and `<region>.signin.aws.amazon.com`
    /// take switch-role requests; the European Sovereign Cloud has regional sign-in hosts only.
    fn sign_in_domain(self) -> &'static str {
        match self {
            Partition::Aws => "signin.aws.amazon.com",
            Partition::AwsUsGov => "signin.amazonaws-us-gov.com",
            Partition::AwsCn => "signin.amazonaws.cn",
            Partition::AwsEusc => "signin.amazonaws-eusc.eu",
        }
    }

    /// The sign-in host switch-role requests go to, in `region` where the partition needs one.
    ///
    /// ```
    /// use redline::Partition;
    /// assert_eq!(Partition::Aws.sign_in_host(Some("eu-west-2")), "signin.aws.amazon.com");
    /// assert_eq!(Partition::AwsEusc.sign_in_host(None), "eusc-de-east-1.signin.amazonaws-eusc.eu");
    /// ```
    pub fn sign_in_host(self, region: Option<&str>) -> String {
        match self {
            Partition::AwsEusc => {
                let region = region.filter(|r| is_region(r) && r.starts_with("eusc-")).unwrap_or("eusc-de-east-1");
                format!("{region}.{}", self.sign_in_domain())
            }
            _ => self.sign_in_domain().to_owned(),
        }
    }

    /// The partition whose sign-in host `host` is (`signin.…` or `<region>.signin.…`).
    pub fn of_sign_in_host(host: &str) -> Option<Partition> {
        let host = host.to_ascii_lowercase();
        Partition::ALL.into_iter().find(|p| {
            let domain = p.sign_in_domain();
            (host == domain && *p != Partition::AwsEusc)
                || host.strip_suffix(domain).and_then(|r| r.strip_suffix('.')).is_some_and(is_region)
        })
    }

    /// Parses the partition field of an ARN.
    pub fn from_arn_field(field: &str) -> Option<Partition> {
        Partition::ALL.into_iter().find(|p| p.as_str() == field)
    }
}

/// One host a console is served from, written as an extension match pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsoleHost {
    /// `https://host/*` or `https://*.host/*`, exactly as in the manifest's `content_scripts.matches`.
    pub pattern: &'static str,
    pub provider: Provider,
    pub partition: Option<Partition>,
}

impl ConsoleHost {
    const fn new(pattern: &'static str, provider: Provider, partition: Option<Partition>) -> Self {
        ConsoleHost { pattern, provider, partition }
    }

    /// The host part of the pattern, and whether subdomains match too.
    fn host(&self) -> (&'static str, bool) {
        let host = self.pattern.trim_start_matches("https://").trim_end_matches("/*");
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

const AWS: Option<Partition> = Some(Partition::Aws);
const GOV: Option<Partition> = Some(Partition::AwsUsGov);
const CN: Option<Partition> = Some(Partition::AwsCn);
const EUSC: Option<Partition> = Some(Partition::AwsEusc);

/// Every console host, in the order of the manifest's content-script matches.
pub const CONSOLE_HOSTS: &[ConsoleHost] = &[
    ConsoleHost::new("https://console.aws.amazon.com/*", Provider::Aws, AWS),
    ConsoleHost::new("https://*.console.aws.amazon.com/*", Provider::Aws, AWS),
    ConsoleHost::new("https://health.aws.amazon.com/*", Provider::Aws, AWS),
    ConsoleHost::new("https://phd.aws.amazon.com/*", Provider::Aws, AWS),
    ConsoleHost::new("https://lightsail.aws.amazon.com/*", Provider::Aws, AWS),
    ConsoleHost::new("https://console.amazonaws-us-gov.com/*", Provider::Aws, GOV),
    ConsoleHost::new("https://*.console.amazonaws-us-gov.com/*", Provider::Aws, GOV),
    ConsoleHost::new("https://phd.amazonaws-us-gov.com/*", Provider::Aws, GOV),
    ConsoleHost::new("https://console.amazonaws.cn/*", Provider::Aws, CN),
    ConsoleHost::new("https://*.console.amazonaws.cn/*", Provider::Aws, CN),
    ConsoleHost::new("https://health.amazonaws.cn/*", Provider::Aws, CN),
    ConsoleHost::new("https://*.console.amazonaws-eusc.eu/*", Provider::Aws, EUSC),
    ConsoleHost::new("https://portal.azure.com/*", Provider::Azure, None),
    ConsoleHost::new("https://ms.portal.azure.com/*", Provider::Azure, None),
    ConsoleHost::new("https://preview.portal.azure.com/*", Provider::Azure, None),
    ConsoleHost::new("https://rc.portal.azure.com/*", Provider::Azure, None),
    ConsoleHost::new("https://portal.azure.us/*", Provider::Azure, None),
    ConsoleHost::new("https://portal.azure.cn/*", Provider::Azure, None),
    ConsoleHost::new("https://entra.microsoft.com/*", Provider::Azure, None),
    ConsoleHost::new("https://console.cloud.google.com/*", Provider::Gcp, None),
    ConsoleHost::new("https://console.cloud.google/*", Provider::Gcp, None),
    ConsoleHost::new("https://console.developers.google.com/*", Provider::Gcp, None),
    ConsoleHost::new("https://console.aiven.io/*", Provider::Aiven, None),
];

/// Hosts that serve frames inside a console page (Azure's React blades): no banner there, but the
/// destructive-action guard must run in them, as in every frame of the console.
pub const CONSOLE_FRAME_HOSTS: &[&str] = &[
    "https://*.reactblade.portal.azure.net/*",
    "https://*.reactblade-ms.portal.azure.net/*",
    "https://*.reactblade-rc.portal.azure.net/*",
];

/// Where in a console a URL points. Each field is filled only by the consoles whose URLs carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleLocation {
    pub provider: Provider,
    /// AWS partition.
    pub partition: Option<Partition>,
    /// AWS region.
    pub region: Option<String>,
    /// The AWS account the URL itself names (multi-session hosts carry it).
    pub account_id: Option<String>,
    /// Azure tenant (domain or id) from `#@tenant` or the `/<tenant>/` path.
    pub tenant: Option<String>,
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    /// Azure app (client) id of an app registration or enterprise app blade.
    pub app_id: Option<String>,
    /// Azure object id of an enterprise app blade.
    pub object_id: Option<String>,
    /// Google Cloud project id, or Aiven project slug.
    pub project: Option<String>,
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
    Some(match host.provider {
        Provider::Aws => aws_location(&address, host),
        Provider::Azure => azure_location(&address),
        Provider::Gcp => gcp_location(&address),
        Provider::Aiven => aiven_location(&address),
    })
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
            aiven_account: None,
            ambiguous: None,
        }
    }
}

fn aws_location(address: &Address, host: &ConsoleHost) -> ConsoleLocation {
    let (base, _) = host.host();
    let prefix = address.host.strip_suffix(base).unwrap_or("").trim_end_matches('.');
    let mut account_id = None;
    let mut region = None;
    for label in prefix.split('.').filter(|l| !l.is_empty()) {
        if let Some(account) = multi_session_account(label) {
            account_id = Some(account.to_owned());
        } else if is_region(label) {
            region = Some(label.to_owned());
        }
    }
    let region = address.query_param("region").filter(|r| is_region(r)).or(region);
    ConsoleLocation { partition: host.partition, region, account_id, ..ConsoleLocation::of(Provider::Aws) }
}

/// Azure routes in the hash: `#@tenant/resource/subscriptions/<id>/resourceGroups/<rg>/…`,
/// `#view/<Extension>/<Blade>/~/<tab>/appId/<id>/…`, legacy `#blade/…`; the tenant may also be the
/// first path segment. The hash is decoded once, as the portal decodes it; a resource id inside a
/// blade parameter is read too, and a URL that names two different subscriptions (or resource
/// groups) names none of them.
fn azure_location(address: &Address) -> ConsoleLocation {
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

/// `8-4-4-4-12` hex digits.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Google Cloud names the project in `?project=` (the key decoded like any query key); a page
/// without one is about no known project, and a URL with two different ones names neither.
fn gcp_location(address: &Address) -> ConsoleLocation {
    let mut projects: Vec<String> = Vec::new();
    for project in address.query_params("project") {
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
        return ConsoleLocation { ambiguous: Some(ambiguous), ..ConsoleLocation::of(Provider::Gcp) };
    }
    ConsoleLocation { project: projects.pop(), ..ConsoleLocation::of(Provider::Gcp) }
}

/// Aiven: `/account/<a + 12 hex>/project/<slug>/…`, or the older `/project/<slug>/…`.
fn aiven_location(address: &Address) -> ConsoleLocation {
    let segments: Vec<String> = address.path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect();
    let after = |key: &str| segments.windows(2).find(|pair| pair[0] == key).map(|pair| pair[1].clone());
    ConsoleLocation {
        project: after("project"),
        // The account id goes back into switch links: anything but a plain id is none.
        aiven_account: after("account").filter(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_alphanumeric())),
        ..ConsoleLocation::of(Provider::Aiven)
    }
}

/// `123456789012-abcd1234` → the account id of a multi-session host label.
fn multi_session_account(label: &str) -> Option<&str> {
    let (account, session) = label.split_once('-')?;
    (account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !session.is_empty()
        && session.bytes().all(|b| b.is_ascii_alphanumeric()))
    .then_some(account)
}

/// `eu-west-2`, `us-gov-west-1`, `cn-north-1`: letters in two or more dash-separated words, then a number.
pub fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && words.iter().all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_recognised_by_shape() {
        for region in ["eu-west-2", "us-gov-west-1", "cn-north-1", "ap-southeast-4"] {
            assert!(is_region(region), "{region}");
        }
        for other in ["console", "eu-west", "eu-2", "EU-west-2", "eu--2", "123456789012-abcd1234"] {
            assert!(!is_region(other), "{other}");
        }
    }

    #[test]
    fn subdomain_patterns_need_a_real_label_boundary() {
        let host = CONSOLE_HOSTS[1];
        assert!(host.matches_host("eu-west-2.console.aws.amazon.com"));
        assert!(host.matches_host("console.aws.amazon.com"));
        assert!(!host.matches_host("evilconsole.aws.amazon.com"));
        assert!(!host.matches_host(".console.aws.amazon.com"));
    }
}
