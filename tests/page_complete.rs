//! When the content script may stop watching a page for late signals: the core says so in
//! `Verdict::complete`, per console, from what the page showed and what its URL names.

use redline::{evaluate, Config, Signals};

fn signals(fields: &[(&str, &str)]) -> Signals {
    let json: serde_json::Map<String, serde_json::Value> =
        fields.iter().map(|(k, v)| ((*k).to_owned(), serde_json::Value::String((*v).to_owned()))).collect();
    Signals::from_json(&serde_json::Value::Object(json).to_string()).expect("signals")
}

/// A page's URL, the signals it showed, whether that is complete, and why.
type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], bool, &'a str);

#[test]
fn each_console_says_when_its_top_bar_has_shown_everything() {
    const AWS: &str = "https://eu-west-2.console.aws.amazon.com/ec2/home";
    const GOV: &str = "https://console.amazonaws-us-gov.com/ec2/home";
    const AZURE: &str = "https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/x";
    const GCP: &str = "https://console.cloud.google.com/home/dashboard?project=acme-prod";
    const GCP_NO_PROJECT: &str = "https://console.cloud.google.com/welcome";
    const GCP_BLANK_PROJECT: &str = "https://console.cloud.google.com/welcome?project=%20";
    const AIVEN: &str = "https://console.aiven.io/project/acme-prod/services";
    let account = ("awsNavAccountId", "Account ID: 1111-2222-3333");
    let rows: &[Row] = &[
        (AWS, &[], false, "nothing shown yet"),
        (AWS, &[("awsSessionData", "{}")], false, "the meta tag is no top bar"),
        (AWS, &[account], false, "the account without who"),
        (AWS, &[account, ("awsNavUser", "Admin/jane")], true, "account and the menu button"),
        (AWS, &[account, ("awsNavPrincipal", "Federated user: Admin/jane")], true, "account and the user row"),
        (AWS, &[("awsNavUser", "Admin/jane")], false, "who without the account"),
        (
            GOV,
            &[("awsLegacyLoginAccount", "gov-prod"), ("awsLegacyLoginUser", "Admin/jane")],
            true,
            "the older top bar",
        ),
        (
            GOV,
            &[("awsLegacyLoginAccount", "gov-prod"), ("awsNavUser", "Admin/jane")],
            false,
            "two generations, half each",
        ),
        (
            AZURE,
            &[("azureDirectory", "Contoso"), ("azureUser", "jane@contoso.com")],
            false,
            "the blade not yet rendered",
        ),
        (
            AZURE,
            &[("azureDirectory", "Contoso"), ("azureUser", "jane@contoso.com"), ("azureBladeTitle", "acme-prod")],
            true,
            "top bar and blade",
        ),
        (GCP, &[("gcpAccount", "Google Account: jane@acme.example")], false, "the URL names a project not yet shown"),
        (
            GCP,
            &[("gcpAccount", "Google Account: jane@acme.example"), ("gcpProjectName", "Acme Prod")],
            true,
            "account and project",
        ),
        (GCP_NO_PROJECT, &[("gcpAccount", "Google Account: jane@acme.example")], true, "no project to show"),
        (
            GCP_BLANK_PROJECT,
            &[("gcpAccount", "Google Account: jane@acme.example")],
            false,
            "a blank key: the picker shows",
        ),
        (AIVEN, &[], false, "Aiven's pages show nobody: watched the whole time"),
    ];
    for (url, fields, complete, reason) in rows {
        let verdict = evaluate(url, &signals(fields), &Config::seed()).expect("a console");
        assert_eq!(verdict.complete, *complete, "{url} {fields:?}: {reason}");
    }
}

#[test]
fn a_signal_set_aside_for_its_size_completes_nothing() {
    let long = "x".repeat(5_000);
    let fields = [("awsNavAccountId", "Account ID: 1111-2222-3333"), ("awsNavUser", long.as_str())];
    let verdict = evaluate("https://console.aws.amazon.com/", &signals(&fields), &Config::seed()).unwrap();
    assert!(!verdict.complete);
}
