//! The addresses of IAM Identity Center access portals, which configurations, imports and the
//! portal reader all name.

use super::address::Address;
use crate::model::is_region;

/// The access portal's own pages, where redline learns accounts and permission sets (other
/// services, WorkMail's web client among them, live under `*.awsapps.com` too).
pub const PORTAL_HOSTS: &[&str] =
    &["https://*.awsapps.com/start*", "https://start.us-gov-home.awsapps.com/directory/*"];

/// The GovCloud access portal's host: its portals are `/directory/<d-id>` on it.
const GOVCLOUD_PORTAL_HOST: &str = "start.us-gov-home.awsapps.com";

/// Whether `host` serves IAM Identity Center access portals: `<dir>.awsapps.com` (the GovCloud
/// portal host among them) or `<id>.portal.<region>.app.aws`. Not the whole of `amazonaws.com` or
/// `aws`: customers' buckets, APIs and function URLs live there too.
fn portal_host(host: &str) -> bool {
    let label = |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if let Some(directory) = host.strip_suffix(".awsapps.com") {
        return directory.split('.').all(label);
    }
    let parts: Vec<&str> = host.split('.').collect();
    matches!(parts.as_slice(), [id, "portal", region, "app", "aws"] if label(id) && is_region(region))
}

/// The access portal whose page `url` is (`https://<dir>.awsapps.com/start…`, or the GovCloud
/// `https://start.us-gov-home.awsapps.com/directory/<d-id>…`), as its start URL; `None` for any
/// other page.
pub fn portal_of_page(url: &str) -> Option<String> {
    let address = Address::split(url).filter(|a| a.scheme == "https" && !url_has_user_info(url))?;
    if address.host == GOVCLOUD_PORTAL_HOST {
        let directory = address
            .path
            .strip_prefix("/directory/")?
            .split('/')
            .next()
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))?;
        return Some(format!("https://{GOVCLOUD_PORTAL_HOST}/directory/{}", directory.to_ascii_lowercase()));
    }
    let directory = address.host.strip_suffix(".awsapps.com")?;
    let start = address.path == "/start" || address.path.starts_with("/start/");
    (start && !directory.is_empty() && !directory.contains('.')).then(|| format!("https://{}/start", address.host))
}

/// Checks an access portal URL that a configuration or an import names: `https:` on a portal host
/// of AWS's, with no user name or port, or the reason it is refused.
pub fn check_portal_url(url: &str) -> Result<(), String> {
    let expected = "expected an https:// access portal such as https://d-1234567890.awsapps.com/start";
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("'{url}' has spaces or control characters, {expected}"));
    }
    match url.split_once(':') {
        Some((scheme, _)) if !scheme.eq_ignore_ascii_case("https") && !scheme.contains(['/', '.']) => {
            return Err(format!("'{url}' is a {scheme}: address, {expected}"));
        }
        _ => {}
    }
    let Some(address) = Address::split(url).filter(|a| a.scheme.eq_ignore_ascii_case("https")) else {
        return Err(format!("'{url}' is not a web address, {expected}"));
    };
    if url_has_user_info(url) || authority(url).contains(':') {
        return Err(format!("'{url}' has a user name or a port, {expected}"));
    }
    if portal_host(&address.host) {
        Ok(())
    } else {
        Err(format!("'{url}' is on {}, not an AWS access portal host; {expected}", address.host))
    }
}

/// The `user:pass@host:port` part of a URL.
fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or("", |(_, rest)| rest);
    &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())]
}

fn url_has_user_info(url: &str) -> bool {
    authority(url).contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_portal_hosts_of_aws_are_accepted() {
        assert!(check_portal_url("https://d-1234567890.awsapps.com/start").is_ok());
        assert!(check_portal_url("javascript:alert(1)").is_err());
        assert!(check_portal_url("https://evil.example/start").is_err());
        assert!(check_portal_url("https://awsapps.com.evil.example/start").is_err());
        assert!(check_portal_url("https://ssoins-1234.portal.us-east-1.app.aws/").is_ok());
        assert!(check_portal_url("https://my-bucket.s3.amazonaws.com/start").is_err(), "a customer's bucket");
    }

    #[test]
    fn a_portal_page_names_its_start_url() {
        assert_eq!(
            portal_of_page("https://d-1.awsapps.com/start/#/?tab=accounts").as_deref(),
            Some("https://d-1.awsapps.com/start")
        );
        assert_eq!(
            portal_of_page("https://start.us-gov-home.awsapps.com/directory/d-9/#/").as_deref(),
            Some("https://start.us-gov-home.awsapps.com/directory/d-9")
        );
        assert_eq!(portal_of_page("https://d-1.awsapps.com/mail/"), None, "WorkMail is no portal");
    }
}
