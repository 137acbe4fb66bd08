//! Who can set a string decides what it may decide (the Trust table in shared/design.md): learned
//! portal labels, imports and configured portals.

use redline::{import, read_portal, Engine, ImportSource, Outcome, Signals, SEED_TEXT};

const PORTAL: &str = "https://d-1234567890.awsapps.com/start";

/// What a portal page that lists `account` under `name` teaches.
fn learned(portal_page: &str, account: &str, name: &str) -> String {
    let links = serde_json::json!([{
        "href": format!("{PORTAL}/#/console?account_id={account}&role_name=ReadOnlyAccess"),
        "text": format!("{name} #{account} | ops@acme.example"),
    }]);
    let signals = Signals { aws_portal_links: Some(links.to_string()), ..Signals::default() };
    read_portal(portal_page, &signals).expect("a portal page").config_text()
}

fn verdict(engine: &Engine, account: &str, alias: Option<&str>) -> (String, String, Vec<String>) {
    let mut data = serde_json::json!({ "accountId": account, "sessionARN": format!("arn:aws:sts::{account}:assumed-role/Admin/jane") });
    if let Some(alias) = alias {
        data["accountAlias"] = alias.into();
    }
    let signals = Signals { aws_session_data: Some(data.to_string()), ..Signals::default() };
    let v = engine.evaluate("https://console.aws.amazon.com/ec2/home", &signals).expect("a console");
    (v.environment.kind.as_str().to_owned(), v.severity.as_str().to_owned(), v.reasons)
}

#[test]
fn a_label_learned_from_a_portal_nobody_named_cannot_lower() {
    let mut engine = Engine::new();
    let text = learned(&format!("{PORTAL}/#/"), "111122223333", "sandbox dev");
    assert!(engine.configure(None, None, Some(&text)).applied);
    let (environment, severity, reasons) = verdict(&engine, "111122223333", Some("acme-prod"));
    assert_eq!((environment.as_str(), severity.as_str()), ("prod", "danger"), "{reasons:?}");
    let (environment, _, reasons) = verdict(&engine, "111122223333", None);
    assert_eq!(environment, "unknown", "an alias-less account is not dev by a learned label: {reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("an access portal") && r.contains("may only raise")), "{reasons:?}");
}

#[test]
fn a_label_learned_from_a_portal_nobody_named_may_raise() {
    let mut engine = Engine::new();
    let text = learned(&format!("{PORTAL}/#/"), "111122223333", "Payments Prod");
    assert!(engine.configure(None, None, Some(&text)).applied);
    assert_eq!(verdict(&engine, "111122223333", None).0, "prod");
}

#[test]
fn names_learned_from_the_organisations_own_portal_decide_both_ways() {
    let user = format!(
        "{SEED_TEXT}\n[[targets]]\nprovider = \"aws\"\naccount = \"999988887777\"\nrole = \"ReadOnlyAccess\"\nportal = \"{PORTAL}/\"\n"
    );
    let mut engine = Engine::new();
    let text = learned(&format!("{PORTAL}/#/"), "111122223333", "Sandbox Dev");
    assert!(engine.configure(Some(&user), None, Some(&text)).applied);
    let (environment, severity, reasons) = verdict(&engine, "111122223333", None);
    assert_eq!((environment.as_str(), severity.as_str()), ("dev", "info"), "{reasons:?}");
}

#[test]
fn only_the_portals_own_pages_are_read() {
    let links = r#"[{"href":"https://d-1.awsapps.com/start/#/console?account_id=111122223333&role_name=Admin","text":"Acme #111122223333"}]"#;
    let signals = Signals { aws_portal_links: Some(links.into()), ..Signals::default() };
    for other in [
        "https://d-1.awsapps.com/mail/",
        "https://d-1.awsapps.com/",
        "https://d-1.awsapps.com/startx",
        "http://d-1.awsapps.com/start",
        "https://d-1.awsapps.com.evil.example/start",
        "https://evil.example/start",
    ] {
        assert!(read_portal(other, &signals).is_none(), "{other}");
    }
    let gov = read_portal("https://start.us-gov-home.awsapps.com/directory/d-9067/#/", &signals).expect("GovCloud");
    assert_eq!(gov.url, "https://start.us-gov-home.awsapps.com/directory/d-9067");
}

#[test]
fn an_import_with_a_foreign_or_script_portal_is_refused_line_by_line() {
    let text = "[profile evil]\nsso_start_url = javascript:alert(1)\nsso_account_id = 111122223333\nsso_role_name = Admin\n\
                [sso-session corp]\nsso_start_url = https://evil.example/start\n\
                [profile corp-admin]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n\
                [profile good]\nsso_start_url = https://d-1.awsapps.com/start\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n";
    let imported = import(text, ImportSource::AwsCliConfig);
    let refused: Vec<usize> =
        imported.report.iter().filter(|r| r.outcome == Outcome::Refused).map(|r| r.line).collect();
    assert_eq!(refused, [2, 6], "{:?}", imported.report);
    assert_eq!(imported.targets, 1, "only the profile with an AWS portal: {}", imported.text);
    assert!(!imported.text.contains("evil") && !imported.text.contains("javascript"), "{}", imported.text);
    assert!(redline::parse_config(&imported.text).is_ok());
}
