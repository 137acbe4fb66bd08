//! How to switch to a target: the request or link each console needs ([`Console::plan_switch`]),
//! built from the target and, when the active tab is a console, what that tab shows.

use serde::Serialize;

use super::{detect, Console};
use crate::config::Target;
use crate::signals::Signals;

/// What the extension does to switch. The prefilled page gets the account as both `account` and
/// `accountId`: AWS renamed the form field in March 2024, and either name may prefill it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case", rename_all_fields = "camelCase")]
pub enum Plan {
    /// Submit a form (AWS's classic switch-role POST, with the page's CSRF token).
    PostForm {
        /// The sign-in host's `/switchrole` endpoint.
        url: String,
        /// The form's fields as name and value, the page's CSRF token among them.
        fields: Vec<(String, String)>,
    },
    /// POST JSON with credentials and `X-CSRF-PROTECTION: 1` (AWS multi-session); the answer's
    /// `destination` is opened in a new tab; an empty destination means the session may not
    /// switch to that role.
    PostJson {
        /// The session's `/switchrole` endpoint on the sign-in host the page names.
        url: String,
        /// The JSON request: account, role, display name, colour and where to land.
        body: String,
    },
    /// Open a link, in the active tab or a new one.
    Open {
        /// The page to open.
        url: String,
        /// Open it in a new tab, leaving the active one: the active tab is not this console.
        new_tab: bool,
        /// AWS's own switch form could switch at once from this console page, given the page's
        /// CSRF token: the extension reads it and asks for the plan again (the token is read only
        /// where this says so, and only for that request).
        wants_token: bool,
    },
}

/// What the active tab offers for switching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct From<'a> {
    /// The active tab's URL (any page).
    pub url: &'a str,
    /// The active console page's signals.
    pub signals: Option<&'a Signals>,
    /// The AWS console's CSRF token, read from the page's main world.
    pub csrf: Option<&'a str>,
}

/// The plan for switching to `target` from the active tab.
///
/// ```
/// use redline::{plan_switch, parse_config, Plan, SwitchFrom, SEED_TEXT};
/// let text = format!("{SEED_TEXT}\n[[targets]]\nprovider = \"gcp\"\nproject = \"govuk-paas\"\n");
/// let target = &parse_config(&text).unwrap().config.targets[0];
/// let from = SwitchFrom { url: "https://console.cloud.google.com/compute/instances?project=dev-1&authuser=1", ..SwitchFrom::default() };
/// assert_eq!(plan_switch(target, &from), Plan::Open {
///     url: "https://console.cloud.google.com/compute/instances?project=govuk-paas&authuser=1".into(),
///     new_tab: false,
///     wants_token: false,
/// });
/// ```
pub fn plan_switch(target: &Target, from: &From) -> Plan {
    let here = detect(from.url).filter(|l| l.provider == target.provider);
    dispatch!(target.provider, C => C::plan_switch(target, from, here))
}
