//! "Why this banner?": the report a user can file carries no token and no unmasked id unless asked,
//! and the wrong-banner rule is added only where it decides, never over an organisation's lock.

use redline::{with_environment_rule, About, Engine, Signals, SEED_TEXT};

const URL: &str = "https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2&instanceId=i-0abc#Instances:";
const ABOUT: About = About { version: "0.1.0", browser: "Chromium 156.0.8078.73" };

/// A prod Admin page as the console shows it, with the tokens and endpoints its signals also carry.
fn prod_admin() -> Signals {
    Signals {
        aws_session_data: Some(
            r#"{"accountId":"111122223333","sessionARN":"arn:aws:sts::111122223333:assumed-role/Admin/jane@example.com","signInEndpoint":"eu-west-2.signin.aws.amazon.com","sessionDifferentiator":"s3cr3t-diff","csrfToken":"tok-123456"}"#.into(),
        ),
        aws_user_info: Some(
            "%7B%22arn%22%3A%22arn%3Aaws%3Asts%3A%3A111122223333%3Aassumed-role%2FAdmin%2Fjane%40example.com%22%2C%22alias%22%3A%22acme-prod%22%2C%22issuer%22%3A%22https%3A%2F%2Fidp.example.com%2Fsaml%22%2C%22keybase%22%3A%22kb-secret%22%7D".into(),
        ),
        aws_nav_account_id: Some("Account ID: 1111-2222-3333".into()),
        aws_nav_user: Some("Admin/jane@example.com @ acme-prod".into()),
        ..Signals::default()
    }
}

fn configured(user: &str, managed: Option<&str>) -> Engine {
    let mut engine = Engine::new();
    let result = engine.configure(Some(user), managed, None);
    assert!(result.applied, "{:?}", result.user);
    engine
}

const PROD_RULE: &str = "\n[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\n";

#[test]
fn the_report_masks_ids_and_leaves_tokens_out_unless_ids_are_asked_for() {
    let engine = configured(&format!("{SEED_TEXT}{PROD_RULE}"), None);
    let why = engine.why(URL, &prod_admin()).expect("a console page");
    let report = why.report(URL, ABOUT, false);
    for secret in ["tok-123456", "s3cr3t-diff", "kb-secret", "idp.example.com", "signin.aws.amazon.com/"] {
        assert!(!report.contains(secret), "{secret} in\n{report}");
    }
    for id in ["111122223333", "1111-2222-3333", "jane@example.com", "eu-west-2&", "i-0abc"] {
        assert!(!report.contains(id), "{id} unmasked in\n{report}");
    }
    for shown in [
        "redline 0.1.0 on Chromium 156.0.8078.73",
        "Console: AWS, partition aws, region eu-west-2",
        "URL: https://eu-west-2.console.aws.amazon.com/ec2/home?region=•••&instanceId=•••#Instances:",
        "Verdict: environment prod, privilege admin, severity danger",
        "  - awsSessionData: accountId ••••••••3333, sessionARN arn:aws:sts::••••••••3333:assumed-role/Admin/j•••@example.com",
        "  - awsUserInfo: arn arn:aws:sts::••••••••3333:assumed-role/Admin/j•••@example.com, alias acme-prod",
        "  - awsNavAccountId: Account ID: ••••-••••-3333",
    ] {
        assert!(report.contains(shown), "{shown:?} not in\n{report}");
    }
    let with_ids = why.report(URL, ABOUT, true);
    assert!(
        with_ids.contains("accountId 111122223333") && with_ids.contains("?region=eu-west-2&instanceId=i-0abc"),
        "{with_ids}"
    );
    for secret in ["tok-123456", "s3cr3t-diff", "kb-secret", "idp.example.com"] {
        assert!(!with_ids.contains(secret), "{secret} in\n{with_ids}");
    }
}

#[test]
fn every_reason_is_in_the_report_with_its_source_and_trust() {
    let engine = configured(&format!("{SEED_TEXT}{PROD_RULE}"), None);
    let why = engine.why(URL, &prod_admin()).unwrap();
    let report = why.report(URL, ABOUT, true);
    assert!(!why.verdict.reasons.is_empty());
    for reason in &why.verdict.reasons {
        assert!(report.contains(reason.as_str()), "{reason}");
    }
    assert!(
        why.verdict.reasons.iter().any(|r| r.contains("anyone may set it") || r.contains("decides")),
        "{:?}",
        why.verdict.reasons
    );
}

#[test]
fn a_wrong_banner_rule_is_appended_and_decides() {
    let user = format!("{SEED_TEXT}\n# my own notes stay as they are\n");
    let text = with_environment_rule(Some(&user), None, None, URL, &prod_admin(), "staging").expect("added");
    assert!(text.starts_with(&user), "the rest of the text is untouched");
    assert!(text.ends_with("[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"staging\"\n"), "{text}");
    let verdict = configured(&text, None).evaluate(URL, &prod_admin()).unwrap();
    assert_eq!(verdict.environment.name, "staging");
}

#[test]
fn an_organisations_locked_rule_cannot_be_weakened_from_the_popup() {
    let managed = "[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\nlocked = true\n";
    let engine = configured(SEED_TEXT, Some(managed));
    let fix = engine.why(URL, &prod_admin()).unwrap().fix.expect("the account is named");
    let refused = fix.refused.expect("locked");
    assert!(refused.contains("locked rule") && refused.contains("(prod)"), "{refused}");
    let error = with_environment_rule(Some(SEED_TEXT), Some(managed), None, URL, &prod_admin(), "dev").unwrap_err();
    assert_eq!(error, refused);
}

#[test]
fn an_earlier_rule_of_the_users_that_would_still_decide_is_named() {
    let user = format!("{SEED_TEXT}{PROD_RULE}");
    let error = with_environment_rule(Some(&user), None, None, URL, &prod_admin(), "dev").unwrap_err();
    assert!(error.contains("something else still decides (prod)"), "{error}");
}

#[test]
fn no_rule_is_offered_for_an_id_only_the_page_claims() {
    // The alias and the navbar's user text are the page's to set: an id must come from the console.
    let signals = Signals { aws_nav_user: Some("Admin/jane @ acme-prod".into()), ..Signals::default() };
    let why = configured(SEED_TEXT, None).why("https://console.aws.amazon.com/console/home", &signals).unwrap();
    assert!(why.fix.is_none(), "{:?}", why.fix);
    assert!(
        why.changes[0]
            .starts_with("No rule is offered here: the page showed no account id that the console itself sets"),
        "{:?}",
        why.changes
    );
    let error = with_environment_rule(None, None, None, "https://console.aws.amazon.com/console/home", &signals, "dev");
    assert!(error.unwrap_err().contains("no account id that the console itself sets"));
}

#[test]
fn aiven_projects_are_named_by_their_slug_from_the_url() {
    let url = "https://console.aiven.io/account/a1f23bcdef4a/project/payments-42/services";
    let text = with_environment_rule(None, None, None, url, &Signals::default(), "prod").expect("added");
    assert!(text.ends_with("[[aiven.projects]]\nname = \"payments-42\"\nenvironment = \"prod\"\n"), "{text}");
}

#[test]
fn no_wildcard_and_no_tenant_wide_rule_is_offered() {
    let engine = configured(SEED_TEXT, None);
    // Each says why no rule is offered.
    for (url, why_not) in [
        ("https://console.cloud.google.com/home/dashboard?project=%2A", "wildcard"),
        ("https://console.cloud.google.com/home/dashboard?project=*prod*", "wildcard"),
        ("https://console.aiven.io/account/a1f23bcdef4a/project/*/services", "wildcard"),
        ("https://console.cloud.google.com/home/dashboard", "names no Google Cloud project"),
        ("https://console.cloud.google.com/home/dashboard?project=Acme_Prod", "not a Google Cloud project id"),
        ("https://console.aiven.io/account/a1f23bcdef4a/project/Acme.Prod/services", "not an Aiven project name"),
        ("https://portal.azure.com/#@contoso.onmicrosoft.com/home", "a rule for the whole tenant"),
    ] {
        let why = engine.why(url, &Signals::default()).expect("a console page");
        assert!(why.fix.is_none(), "{url}: {:?}", why.fix);
        assert!(why.no_fix.is_some_and(|no| no.contains(why_not)), "{url}: {:?}", why.no_fix);
        assert!(why.changes[0].contains(why_not), "{url}: {:?}", why.changes);
    }
    // An Azure app's page names the app, never the tenant that holds every environment's apps.
    let app = "https://portal.azure.com/#@contoso.onmicrosoft.com/view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/6f1c2a9e-58c1-4d5e-9b7a-2c3d4e5f6a7b/isMSAApp~/false";
    let fix = engine.why(app, &Signals::default()).unwrap().fix.expect("the app is named");
    assert_eq!((fix.section.as_str(), fix.value.as_str()), ("azure.apps", "6f1c2a9e-58c1-4d5e-9b7a-2c3d4e5f6a7b"));
    let home = "https://portal.azure.com/#@contoso.onmicrosoft.com/home";
    assert!(engine.why(home, &Signals::default()).unwrap().fix.is_none(), "no rule for a whole tenant");
}

#[test]
fn a_rule_for_what_the_banner_already_says_is_not_added() {
    let user = format!("{SEED_TEXT}{PROD_RULE}");
    let error = with_environment_rule(Some(&user), None, None, URL, &prod_admin(), "prod").unwrap_err();
    assert_eq!(error, "the banner already says prod");
}
