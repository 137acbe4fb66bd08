//! "Why this banner?": what the popup shows of a tab's verdict (each reason with its source and
//! that source's trust, the signals read, what would change it) and the plain-text report a user
//! can file, with ids and query values masked unless they ask for them.

use serde::Serialize;

use super::Verdict;
use crate::config::{best_rule, Aspect, Config, Scope};
use crate::model::{is_guid, normalise_account_id, EnvironmentKind, Privilege, Provider};
use crate::signals::Signals;
use crate::text::address::percent_decode;
use crate::text::node::Node;
use crate::text::pattern::is_pattern;

/// What the popup shows of a tab's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Why {
    /// The verdict, as the banner shows it.
    pub verdict: Verdict,
    /// Each page signal read: its name and what of it is shown (names and ids, never tokens).
    pub signals: Vec<SignalRead>,
    /// What would change the verdict, in words.
    pub changes: Vec<String>,
    /// The rule the wrong-banner buttons would add, when one can be added.
    pub fix: Option<Fix>,
    /// Why no rule is offered, when `fix` is `None`.
    pub no_fix: Option<&'static str>,
}

/// One page signal, as a report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignalRead {
    /// The content script's name for it, e.g. `awsNavUser`.
    pub name: &'static str,
    /// Its names and ids; for a JSON signal only the fields that name someone or something.
    pub value: String,
}

/// A rule naming the environment of the thing a tab shows, which the user may add in two clicks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    /// The rule section, e.g. `aws.accounts`.
    pub section: String,
    /// What people call the thing, e.g. `AWS account`.
    pub noun: &'static str,
    /// `id` or `name`: what the rule matches the thing by.
    pub key: &'static str,
    /// The id (or name) the rule names.
    pub value: String,
    /// The environments the user may choose, by name, in the configuration's order.
    pub choices: Vec<String>,
    /// Why no rule of the user's can change it, when none can (an organisation's locked rule).
    pub refused: Option<String>,
}

/// What a report says about where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    /// redline's version.
    pub version: &'a str,
    /// The browser and its version, e.g. `Chromium 156.0.8078.73`.
    pub browser: &'a str,
}

/// How much of a long signal a report shows.
const SHOWN_CHARS: usize = 160;

/// The fields of a JSON signal that name someone or something; the rest (tokens, endpoints,
/// issuers) is never shown.
const NAMING_FIELDS: &[&str] = &["accountId", "accountAlias", "sessionARN", "arn", "alias", "displayName"];

impl Why {
    /// Explains `verdict`, which `config` gave the tab at `signals`.
    pub fn new(verdict: Verdict, signals: &Signals, config: &Config) -> Why {
        let fix = fix_for(&verdict, config);
        let changes = changes(&verdict, fix.as_ref());
        let no_fix = fix.as_ref().err().copied();
        Why { signals: signals_read(signals), changes, fix: fix.ok(), no_fix, verdict }
    }

    /// The plain-text report: redline's version and the browser's, the console, the URL, the
    /// signals, the verdict and its reasons. Ids, e-mail addresses and the URL's query values are
    /// masked unless `include_ids`.
    ///
    /// ```
    /// use redline::{About, Engine, Signals};
    /// let engine = Engine::new();
    /// let signals = Signals { aws_nav_account_id: Some("Account ID: 1111-2222-3333".into()), ..Signals::default() };
    /// let url = "https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2";
    /// let why = engine.why(url, &signals).unwrap();
    /// let report = why.report(url, About { version: "0.1.0", browser: "Chromium 156" }, false);
    /// assert!(report.contains("awsNavAccountId: Account ID: ••••-••••-3333"));
    /// assert!(report.contains("?region=•••"));
    /// assert!(!report.contains("1111"));
    /// ```
    pub fn report(&self, url: &str, about: About, include_ids: bool) -> String {
        let v = &self.verdict;
        let mut lines = vec![
            format!("redline {} on {}", about.version, about.browser),
            format!(
                "Console: {}{}{}",
                v.provider_name,
                v.partition.map_or(String::new(), |p| format!(", partition {}", p.as_str())),
                v.region.as_ref().map_or(String::new(), |r| format!(", region {r}"))
            ),
            format!("URL: {}", if include_ids { masked_secrets(url) } else { masked_url(url) }),
            format!("Banner: {}", v.label),
            format!(
                "Verdict: environment {}, privilege {}, severity {}{}",
                v.environment.name,
                v.privilege.as_str(),
                v.severity.as_str(),
                if v.conflict { ", the page's signals disagree (the louder reading is shown)" } else { "" }
            ),
            "Reasons:".to_owned(),
        ];
        lines.extend(v.reasons.iter().map(|r| format!("  - {r}")));
        lines.push("Signals read (names and ids only):".to_owned());
        if self.signals.is_empty() {
            lines.push("  (none)".to_owned());
        }
        lines.extend(self.signals.iter().map(|s| format!("  - {}: {}", s.name, s.value)));
        lines.push("What would change it:".to_owned());
        lines.extend(self.changes.iter().map(|c| format!("  - {c}")));
        if !include_ids {
            lines.push("Ids, e-mail addresses and the URL's query values are masked.".to_owned());
        }
        let report = lines.join("\n") + "\n";
        if include_ids {
            report
        } else {
            mask_ids(&report)
        }
    }
}

/// The signals the page offered, each as its names and ids.
fn signals_read(signals: &Signals) -> Vec<SignalRead> {
    let mut read = Vec::new();
    for (name, value) in signals.page_signals() {
        let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) else { continue };
        let shown = match name {
            "awsSessionData" | "awsUserInfo" => naming_fields(name, value),
            _ => shortened(value.trim()),
        };
        read.push(SignalRead { name, value: shown });
    }
    if let Some(links) = signals.aws_portal_links.as_deref() {
        let count = match serde_json::from_str::<Node>(links) {
            Ok(Node::List(links)) => links.len(),
            _ => 0,
        };
        read.push(SignalRead { name: "awsPortalLinks", value: format!("{count} console links") });
    }
    if let Some(names) = signals.oversized.as_deref().filter(|n| !n.is_empty()) {
        read.push(SignalRead {
            name: "oversized",
            value: format!("set aside, over their limit: {}", shortened(names)),
        });
    }
    read
}

/// The fields of a JSON signal (the cookie URL-encoded) that name someone or something.
fn naming_fields(name: &str, value: &str) -> String {
    let decoded = if name == "awsUserInfo" { percent_decode(value) } else { value.to_owned() };
    let Ok(Node::Table(fields)) = serde_json::from_str::<Node>(&decoded) else {
        return "not JSON".to_owned();
    };
    let shown: Vec<String> = NAMING_FIELDS
        .iter()
        .filter_map(|field| match fields.get(field) {
            Some(Node::Text(text)) => Some(format!("{field} {}", shortened(text))),
            Some(Node::Integer(number)) => Some(format!("{field} {number}")),
            _ => None,
        })
        .collect();
    if shown.is_empty() {
        "no account or principal in it".to_owned()
    } else {
        shown.join(", ")
    }
}

fn shortened(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    match one_line.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

/// The rule section and key that name the environment of what a tab shows: the most specific
/// thing the console itself names, exactly (never a pattern, which would name others too). When
/// there is none, why no rule is offered, in words for the panel.
fn scope_of(verdict: &Verdict) -> Result<(Scope, &'static str, String), &'static str> {
    let location = &verdict.location;
    let exact = |value: &str, shape: fn(&str) -> bool, wrong: &'static str| {
        if is_pattern(value) {
            Err("what the page names holds a wildcard character, so a rule for it would name others too")
        } else if shape(value) {
            Ok(value.to_owned())
        } else {
            Err(wrong)
        }
    };
    let aws_id = |id: &str| normalise_account_id(id).as_deref() == Some(id);
    let (scope, key, value) = match verdict.provider {
        // Only an id the console itself gave: a rule for an id the page merely claims could make
        // another account's banner quieter.
        Provider::Aws if verdict.account.id_decides => {
            let id = verdict.account.id.as_deref().ok_or(NO_AWS_ID)?;
            (Scope::AwsAccount, "id", exact(id, aws_id, "the account id the console gave is not 12 digits")?)
        }
        Provider::Aws => return Err(NO_AWS_ID),
        // The app or subscription the URL opens; never the tenant, which holds every environment's.
        Provider::Azure => match (&location.app_id, &location.subscription) {
            (Some(app), _) => (Scope::AzureApp, "id", exact(app, is_guid, AZURE_NOT_GUID)?),
            (None, Some(subscription)) => (Scope::AzureSubscription, "id", exact(subscription, is_guid, AZURE_NOT_GUID)?),
            _ => return Err(
                "this Azure page opens no app registration or subscription, and a rule for the whole tenant would name every environment in it: open the subscription or app itself",
            ),
        },
        Provider::Gcp => {
            let project = location.project.as_deref().ok_or("the URL names no Google Cloud project (?project=)")?;
            let wrong = "the project in the URL is not a Google Cloud project id (6 to 30 lower-case letters, digits and hyphens, starting with a letter)";
            (Scope::GcpProject, "id", exact(project, is_gcp_project_id, wrong)?)
        }
        // The project's slug is in the URL's path, which the console sets.
        Provider::Aiven => {
            let project = location.project.as_deref().ok_or("the URL names no Aiven project (/project/<name>)")?;
            let wrong = "the project in the URL is not an Aiven project name (lower-case letters, digits and hyphens)";
            (Scope::AivenProject, "name", exact(project, is_aiven_slug, wrong)?)
        }
    };
    Ok((scope, key, value))
}

const NO_AWS_ID: &str = "the page showed no account id that the console itself sets (a name or text on the page may claim one, but anyone can write those)";
const AZURE_NOT_GUID: &str = "the app or subscription in the URL is not a GUID";

/// Google Cloud's project id: 6 to 30 lower-case letters, digits and hyphens, starting with a
/// letter and not ending with a hyphen.
fn is_gcp_project_id(id: &str) -> bool {
    (6..=30).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('-')
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An Aiven project's slug: lower-case letters, digits and hyphens.
fn is_aiven_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 63
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The fix for `verdict`'s tab, or why there is none.
fn fix_for(verdict: &Verdict, config: &Config) -> Result<Fix, &'static str> {
    let (scope, key, value) = scope_of(verdict)?;
    let (id, names) = if key == "id" { (Some(value.as_str()), vec![]) } else { (None, vec![value.as_str()]) };
    let refused = best_rule(config.rules(scope), id, &names, Aspect::Environment)
        .filter(|(rule, _)| rule.locked && rule.managed)
        .map(|(rule, _)| {
            format!(
                "your organisation's locked rule names this {}'s environment ({}); a rule of yours cannot change it, so ask whoever manages redline's policy",
                scope.noun(),
                rule.environment.as_deref().unwrap_or("?")
            )
        });
    let choices =
        config.environments.iter().filter(|e| e.kind != EnvironmentKind::Unknown).map(|e| e.name.clone()).collect();
    Ok(Fix {
        section: format!("{}.{}", scope.provider().as_str(), scope.key()),
        noun: scope.noun(),
        key,
        value,
        choices,
        refused,
    })
}

fn changes(verdict: &Verdict, fix: Result<&Fix, &&str>) -> Vec<String> {
    let mut changes = Vec::new();
    match fix {
        Ok(Fix { refused: Some(why), .. }) => changes.push(format!("Nothing you can add: {why}.")),
        Ok(fix) => changes.push(format!(
            "A rule of yours for {} {} would decide its environment{}: choose it below, or add [[{}]] with {} = \"{}\" in the options page.",
            fix.noun,
            fix.value,
            if verdict.environment.kind == EnvironmentKind::Unknown { " (nothing names it now)" } else { "" },
            fix.section,
            fix.key,
            fix.value
        )),
        Err(why) => changes.push(format!(
            "No rule is offered here: {why}. If you know what this is, add a rule in the options page."
        )),
    }
    if verdict.privilege == Privilege::Unknown {
        let role = verdict.principal.role.as_deref().unwrap_or("this role");
        changes.push(format!(
            "Nothing says what {role} may do: a role rule ([[{}.roles]] with name = \"{role}\") in the options page would.",
            verdict.provider.as_str()
        ));
    }
    if verdict.conflict {
        changes.push(
            "The page's signals disagree and the louder reading is shown: reload the page; if it stays, file this report."
                .to_owned(),
        );
    }
    changes
}

/// Where a URL's values end: the next parameter, fragment, query or path step.
const VALUE_ENDS: &[char] = &['&', ';', '#', '?', '/'];

/// The parameters whose values are secrets even when ids are asked for (a sign-in's `code` and
/// `state`, tokens, signatures).
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["code", "state", "token", "secret", "password", "signature", "credential", "session"]
        .iter()
        .any(|word| key.contains(word))
}

/// `url` with the values of its `key=value` parameters (in the query, in the fragment, and a path's
/// `;key=value`) replaced by `•••` where `mask(key)` says so.
fn mask_values(url: &str, mask: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(at) = rest.find('=') {
        let (before, after) = rest.split_at(at);
        let key = before.rsplit(|c| VALUE_ENDS.contains(&c)).next().unwrap_or("");
        let end = after[1..].find(VALUE_ENDS).map_or(after.len(), |end| end + 1);
        out.push_str(before);
        out.push('=');
        out.push_str(if mask(key) { "•••" } else { &after[1..end] });
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The URL a report shows with ids asked for: only secrets masked.
fn masked_secrets(url: &str) -> String {
    mask_values(url, is_secret_key)
}

/// The URL a report shows by default: decoded (an id written `%2F…` is an id too), every
/// parameter's value masked, the Aiven account's id masked, and then every id.
fn masked_url(url: &str) -> String {
    let decoded = percent_decode(&percent_decode(url));
    let values = mask_values(&decoded, |_| true);
    let accounts = match values.split_once("/account/") {
        Some((before, after)) => {
            let end = after.find(VALUE_ENDS).unwrap_or(after.len());
            format!("{before}/account/•••{}", &after[end..])
        }
        None => values,
    };
    mask_ids(&accounts)
}

/// How far back from an `@` an e-mail address's local part is looked for, and forward its domain.
const LOCAL_PART_MAX: usize = 64;
const DOMAIN_MAX: usize = 255;

/// Masks what identifies an account, a directory or a person, keeping the last four characters
/// to tell them apart: 12-digit AWS account ids (also `1111-2222-3333` and `1111 2222 3333`),
/// GUIDs (also the first eight digits a banner shows), and e-mail addresses. Linear in the text.
pub fn mask_ids(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut at = 0;
    while at < chars.len() {
        if starts_word(&chars, at) {
            if let Some(length) = id_at(&chars[at..]) {
                let id = &chars[at..at + length];
                let keep = id.iter().filter(|c| c.is_ascii_hexdigit()).count().saturating_sub(4);
                let mut digits = 0;
                for &c in id {
                    let hidden = c.is_ascii_hexdigit() && digits < keep;
                    digits += usize::from(c.is_ascii_hexdigit());
                    out.push(if hidden { '•' } else { c });
                }
                at += length;
                continue;
            }
        }
        if chars[at] == '@' {
            let local = out
                .iter()
                .rev()
                .take(LOCAL_PART_MAX)
                .take_while(|&&c| c.is_alphanumeric() || "._%+-".contains(c))
                .count();
            let domain: Vec<char> = chars[at + 1..]
                .iter()
                .take(DOMAIN_MAX)
                .take_while(|&&c| c.is_alphanumeric() || c == '.' || c == '-')
                .copied()
                .collect();
            if local > 0 && domain.contains(&'.') {
                out.truncate(out.len() - local + 1);
                out.extend("•••".chars());
            }
        }
        out.push(chars[at]);
        at += 1;
    }
    out.into_iter().collect()
}

/// Whether an id may start at `at`: after no letter or digit, or after a percent-encoded byte.
fn starts_word(chars: &[char], at: usize) -> bool {
    at == 0
        || !chars[at - 1].is_alphanumeric()
        || (at >= 3 && chars[at - 3] == '%' && chars[at - 2].is_ascii_hexdigit() && chars[at - 1].is_ascii_hexdigit())
}

/// The length of the id starting `chars`, if one does, not followed by another letter or digit:
/// a GUID, 12 digits, 4-4-4 digits (with `-` or spaces), or a GUID's first 8 digits before `…`.
fn id_at(chars: &[char]) -> Option<usize> {
    let shape = |groups: &[usize], separator: char, digit: fn(&char) -> bool| -> Option<usize> {
        let mut at = 0;
        for (index, &count) in groups.iter().enumerate() {
            if index > 0 {
                (chars.get(at) == Some(&separator)).then_some(())?;
                at += 1;
            }
            (chars.len() >= at + count && chars[at..at + count].iter().all(digit)).then_some(())?;
            at += count;
        }
        (!chars.get(at).is_some_and(|c| c.is_alphanumeric())).then_some(at)
    };
    shape(&[8, 4, 4, 4, 12], '-', char::is_ascii_hexdigit)
        .or_else(|| shape(&[12], '-', char::is_ascii_digit))
        .or_else(|| shape(&[4, 4, 4], '-', char::is_ascii_digit))
        .or_else(|| shape(&[4, 4, 4], ' ', char::is_ascii_digit))
        .or_else(|| shape(&[8], '-', char::is_ascii_hexdigit).filter(|_| chars.get(8) == Some(&'…')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_addresses_are_masked_but_their_last_characters() {
        let cases = [
            ("account 111122223333 from", "account ••••••••3333 from"),
            ("acme-prod (1111-2222-3333)", "acme-prod (••••-••••-3333)"),
            ("tenant 72f988bf-86f1-41af-91ab-2d7cd011db47", "tenant ••••••••-••••-••••-••••-••••••••db47"),
            ("assumed-role/Admin/jane@example.com", "assumed-role/Admin/j•••@example.com"),
            ("1111222233334444 is no account id", "1111222233334444 is no account id"),
            ("project paas-development-210707", "project paas-development-210707"),
            ("Account ID: 1111 2222 3333", "Account ID: •••• •••• 3333"),
            ("app Prod London (6f1c2a9e…)", "app Prod London (••••2a9e…)"),
            ("arn%3Aaws%3Aiam%3A%3A111122223333%3Arole", "arn%3Aaws%3Aiam%3A%3A••••••••3333%3Arole"),
            ("jane@exämple.de", "j•••@exämple.de"),
        ];
        for (text, masked) in cases {
            assert_eq!(mask_ids(text), masked, "{text}");
        }
    }

    #[test]
    fn every_value_of_the_url_is_masked_by_default_and_secrets_always() {
        let cases = [
            (
                "https://console.aws.amazon.com/ec2/home?region=eu-west-2&x#Instances:",
                "https://console.aws.amazon.com/ec2/home?region=•••&x#Instances:",
            ),
            ("https://console.aiven.io/project/prod", "https://console.aiven.io/project/prod"),
            (
                "https://console.aws.amazon.com/iam/home#/users/details/jane?section=permissions",
                "https://console.aws.amazon.com/iam/home#/users/details/jane?section=•••",
            ),
            (
                "https://console.cloud.google.com/logs/query;query=labels.user%3D%22jane%40x.com%22?project=p",
                "https://console.cloud.google.com/logs/query;query=•••?project=•••",
            ),
            (
                "https://portal.azure.com/#@t/resource/%2Fsubscriptions%2F72f988bf-86f1-41af-91ab-2d7cd011db47%2FresourceGroups",
                "https://portal.azure.com/#@t/resource//subscriptions/••••••••-••••-••••-••••-••••••••db47/resourceGroups",
            ),
            (
                "https://console.aiven.io/account/a1f23bcdef4a/project/prod/services",
                "https://console.aiven.io/account/•••/project/prod/services",
            ),
        ];
        for (url, masked) in cases {
            assert_eq!(masked_url(url), masked, "{url}");
        }
        assert_eq!(
            masked_secrets(
                "https://console.aws.amazon.com/console/home?isauthcode=true&code=abc&state=xyz&region=eu-west-2"
            ),
            "https://console.aws.amazon.com/console/home?isauthcode=•••&code=•••&state=•••&region=eu-west-2"
        );
    }

    #[test]
    fn masking_a_text_full_of_addresses_stays_linear() {
        let text = "a@b.c ".repeat(200_000);
        let masked = mask_ids(&text);
        assert!(masked.starts_with("a•••@b.c a•••@b.c"), "{}", &masked[..40]);
    }
}
