//! The popup's targets and the switch each one needs, per console.

use redline::{parse_config, plan_switch, Engine, Plan, PopupList, Signals, SwitchFrom, Target, SEED_TEXT};

const TARGETS: &str = r##"
[[aws.accounts]]
id = "111122223333"
environment = "prod"

[[aws.accounts]]
id = "333344445555"
environment = "dev"

[[targets]]
provider = "aws"
label = "acme-prod admin"
account = "111122223333"
role = "Admin"
colour = "#B3261E"

[[targets]]
provider = "aws"
account = "111122223333"
role = "Operator"
region = "us-east-1"

[[targets]]
provider = "aws"
account = "333344445555"
role = "platform/Operator"

[[targets]]
provider = "aws"
account = "222233334444"
role = "ReadOnlyAccess"
portal = "https://d-1234567890.awsapps.com/start"

[[targets]]
provider = "gcp"
project = "govuk-paas"

[[targets]]
provider = "azure"
tenant = "digital.cabinet-office.gov.uk"
app = "6f1c2a9e-58c1-4d5e-9b7a-2c3d4e5f6a7b"

[[targets]]
provider = "azure"
tenant = "contoso.onmicrosoft.com"

[[targets]]
provider = "aiven"
project = "prod"
"##;

fn engine() -> Engine {
    let mut engine = Engine::new();
    let result = engine.configure(Some(&format!("{SEED_TEXT}{TARGETS}")), None, None);
    assert!(result.applied, "{:?}", result.user);
    engine
}

fn target(engine: &Engine, label: &str) -> Target {
    let text = format!("{SEED_TEXT}{TARGETS}");
    let config = parse_config(&text).unwrap().config;
    let view = engine.targets().iter().find(|v| v.label == label).unwrap_or_else(|| panic!("no target {label}"));
    config.targets[view.index].clone()
}

#[test]
fn targets_are_grouped_least_privilege_first_and_prod_last() {
    let engine = engine();
    let rows: Vec<(String, &str, &str)> =
        engine.targets().iter().map(|v| (v.label.clone(), v.environment.kind.as_str(), v.privilege.as_str())).collect();
    let kinds: Vec<&str> = rows.iter().map(|(_, k, _)| *k).collect();
    let first_prod = kinds.iter().position(|k| *k == "prod").unwrap();
    assert!(kinds[first_prod..].iter().all(|k| *k == "prod"), "prod last: {rows:?}");
    assert_eq!(rows[0].1, "dev", "{rows:?}");
    let operator = rows.iter().position(|(l, ..)| l == "Operator @ 1111-2222-3333").unwrap();
    let admin = rows.iter().position(|(l, ..)| l == "acme-prod admin").unwrap();
    assert!(operator < admin, "read-only before admin in the same account: {rows:?}");
    let admin_row = &engine.targets()[admin];
    assert_eq!(admin_row.severity.as_str(), "danger");
    assert!(admin_row.confirm.as_deref().is_some_and(|c| c.contains("production")), "{:?}", admin_row.confirm);
    assert!(engine.targets()[operator].confirm.is_none());
}

#[test]
fn the_popup_gets_each_row_on_a_line_its_environment_as_a_number_and_the_search_texts_apart() {
    let engine = engine();
    let views = engine.targets();
    let list = PopupList::of(views).unwrap();
    let rows: Vec<serde_json::Value> = list.rows.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(rows.len(), views.len());
    assert_eq!(list.environment_of.len(), views.len());
    assert_eq!(list.search.lines().collect::<Vec<_>>(), views.iter().map(|v| v.search.as_str()).collect::<Vec<_>>());
    for ((row, view), &number) in rows.iter().zip(views).zip(&list.environment_of) {
        assert_eq!(
            (row["label"].as_str(), row["severity"].as_str()),
            (Some(view.label.as_str()), Some(view.severity.as_str()))
        );
        assert_eq!(row["environment"]["name"].as_str(), Some(view.environment.name.as_str()));
        assert!(row.get("search").is_none(), "{row}");
        assert_eq!(list.environments[number], &view.environment);
    }
    let names: Vec<&str> = list.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["dev", "unknown", "prod"], "each once, in the order they first come");

    let empty = PopupList::of(&[]).unwrap();
    assert_eq!((empty.rows.as_str(), empty.search.as_str(), empty.environment_of.len()), ("", "", 0));
}

#[test]
fn filtering_is_multi_word_over_names_ids_and_projects() {
    let engine = engine();
    let labels = |query: &str| -> Vec<String> {
        engine.filter_targets(query).iter().map(|&i| engine.targets()[i as usize].label.clone()).collect()
    };
    assert_eq!(labels("1111 oper"), ["Operator @ 1111-2222-3333"]);
    assert_eq!(labels("111122223333 ADMIN"), ["acme-prod admin"]);
    assert_eq!(labels("govuk"), ["govuk-paas"]);
    assert_eq!(labels("prod aiven"), ["prod"]);
    assert!(labels("nothing-like-this").is_empty());
    assert_eq!(labels("  ").len(), engine.targets().len());
}

#[test]
fn the_active_tab_identity_is_marked() {
    let engine = engine();
    let data = r#"{"awsSessionData":"{\"accountId\":\"111122223333\",\"sessionARN\":\"arn:aws:sts::111122223333:assumed-role/Operator/j\"}"}"#;
    let current = engine.current_targets("https://console.aws.amazon.com/", &Signals::from_json(data).unwrap());
    let labels: Vec<&str> = current.iter().map(|&i| engine.targets()[i as usize].label.as_str()).collect();
    assert_eq!(labels, ["Operator @ 1111-2222-3333"]);
    let on_gcp =
        engine.current_targets("https://console.cloud.google.com/home?project=govuk-paas", &Signals::default());
    assert_eq!(on_gcp.len(), 1);
}

const EC2: &str = "https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2#Instances:";

#[test]
fn aws_classic_switch_posts_the_form_with_the_csrf_token() {
    let engine = engine();
    let target = target(&engine, "acme-prod admin");
    let from = SwitchFrom { url: EC2, signals: None, csrf: Some("tok-123") };
    let Plan::PostForm { url, fields } = plan_switch(&target, &from) else { panic!("expected a form") };
    assert_eq!(url, "https://signin.aws.amazon.com/switchrole");
    let field = |k: &str| fields.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    assert_eq!(field("action"), Some("switchFromBasis"));
    assert_eq!(field("csrf"), Some("tok-123"));
    assert_eq!(field("account"), Some("111122223333"));
    assert_eq!(field("roleName"), Some("Admin"));
    assert_eq!(field("displayName"), Some("acme-prod admin"));
    assert_eq!(field("color"), Some("b3261e"), "colour without #");
    let encoded = "https%3A%2F%2Feu-west-2.console.aws.amazon.com%2Fec2%2Fhome%3Fregion%3Deu-west-2%23Instances%3A";
    assert_eq!(
        field("redirect_uri"),
        Some(encoded),
        "back to the same page, percent-encoded as AWS's own form sends it"
    );
    assert_eq!(fields.len(), 9);
}

#[test]
fn aws_switch_keeps_the_path_and_takes_the_targets_region() {
    let engine = engine();
    let target = target(&engine, "Operator @ 1111-2222-3333");
    let from = SwitchFrom { url: EC2, signals: None, csrf: Some("t") };
    let Plan::PostForm { fields, .. } = plan_switch(&target, &from) else { panic!() };
    let redirect = fields.iter().find(|(k, _)| k == "redirect_uri").unwrap().1.clone();
    assert_eq!(
        redirect,
        "https%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fec2%2Fhome%3Fregion%3Dus-east-1%23Instances%3A"
    );
}

#[test]
fn aws_without_a_csrf_token_falls_back_to_the_prefilled_page() {
    let engine = engine();
    let target = target(&engine, "platform/Operator @ 3333-4444-5555");
    let govcloud = "https://console.amazonaws-us-gov.com/console/home";
    let plan = plan_switch(&target, &SwitchFrom { url: govcloud, signals: None, csrf: None });
    let Plan::Open { url, new_tab, wants_token } = plan else { panic!("{plan:?}") };
    assert!(!new_tab);
    assert!(wants_token, "on an AWS console page the core asks for the page's token");
    let elsewhere = plan_switch(&target, &SwitchFrom { url: "https://example.com/", signals: None, csrf: None });
    assert!(matches!(elsewhere, Plan::Open { wants_token: false, .. }), "no console page, no token: {elsewhere:?}");
    assert!(url.starts_with("https://signin.amazonaws-us-gov.com/switchrole?account=333344445555&accountId=333344445555&roleName=platform%2FOperator&displayName="), "{url}");
    assert!(url.ends_with("&redirect_uri=https%3A%2F%2Fconsole.amazonaws-us-gov.com%2Fconsole%2Fhome"), "{url}");
    assert!(!url.contains("color="), "AWS's preset colours are not established: no colour in the prefill link");
}

#[test]
fn a_multi_session_endpoint_outside_the_partitions_sign_in_hosts_is_never_used() {
    let engine = engine();
    let target = target(&engine, "acme-prod admin");
    let url = "https://999988887777-abcd1234.eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2";
    for endpoint in [
        "evil.example",
        "https://evil.example/x",
        "signin.aws.amazon.com.evil.example",
        "signin.amazonaws-us-gov.com",
        "eu-west-2.signin.aws.amazon.com@evil.example",
    ] {
        let data = format!(
            r#"{{"accountId":"999988887777","prismModeEnabled":true,"signInEndpoint":"{endpoint}","sessionDifferentiator":"abcd1234"}}"#
        );
        let signals = Signals { aws_session_data: Some(data), ..Signals::default() };
        let plan = plan_switch(&target, &SwitchFrom { url, signals: Some(&signals), csrf: None });
        match &plan {
            Plan::Open { url, .. } => {
                assert!(url.starts_with("https://signin.aws.amazon.com/switchrole?"), "{endpoint}: {url}")
            }
            other => panic!("{endpoint}: {other:?}"),
        }
    }
}

#[test]
fn the_european_sovereign_cloud_switches_through_its_regional_sign_in_host() {
    let engine = engine();
    let target = target(&engine, "acme-prod admin");
    let url = "https://eusc-de-east-1.console.amazonaws-eusc.eu/console/home?region=eusc-de-east-1";
    let Plan::PostForm { url, .. } = plan_switch(&target, &SwitchFrom { url, signals: None, csrf: Some("t") }) else {
        panic!("expected a form")
    };
    assert_eq!(url, "https://eusc-de-east-1.signin.amazonaws-eusc.eu/switchrole");
    // A target without a region, from a page in another region of the partition: that region's host.
    let url = "https://eusc-de-west-1.console.amazonaws-eusc.eu/console/home?region=eusc-de-west-1";
    let Plan::PostForm { url, .. } = plan_switch(&target, &SwitchFrom { url, signals: None, csrf: Some("t") }) else {
        panic!("expected a form")
    };
    assert_eq!(url, "https://eusc-de-west-1.signin.amazonaws-eusc.eu/switchrole");
}

#[test]
fn only_aws_console_and_sign_in_pages_are_opened_after_a_multi_session_switch() {
    for good in [
        "https://111122223333-ab12cd34.eu-west-2.console.aws.amazon.com/console/home?login_hint=x",
        "https://signin.aws.amazon.com/oauth?x",
        "https://eusc-de-east-1.signin.amazonaws-eusc.eu/x",
        "https://console.amazonaws-us-gov.com/",
    ] {
        assert!(redline::is_switch_destination(good), "{good}");
    }
    for bad in [
        "javascript:alert(1)",
        "http://signin.aws.amazon.com/",
        "https://evil.example/?https://signin.aws.amazon.com",
        "https://signin.aws.amazon.com@evil.example/",
        "https://signin.aws.amazon.com.evil.example/",
        "https://signin.aws.amazon.com:8443/",
        "data:text/html,x",
        "",
    ] {
        assert!(!redline::is_switch_destination(bad), "{bad}");
    }
}

#[test]
fn aws_multi_session_uses_the_json_endpoint_without_the_session_prefix() {
    let engine = engine();
    let target = target(&engine, "acme-prod admin");
    let url = "https://999988887777-abcd1234.eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2";
    let signals = Signals::from_json(
        r#"{"awsSessionData":"{\"accountId\":\"999988887777\",\"prismModeEnabled\":true,\"signInEndpoint\":\"eu-west-2.signin.aws.amazon.com\",\"sessionDifferentiator\":\"abcd1234\"}"}"#,
    )
    .unwrap();
    let Plan::PostJson { url: endpoint, body } =
        plan_switch(&target, &SwitchFrom { url, signals: Some(&signals), csrf: None })
    else {
        panic!("expected the multi-session endpoint")
    };
    assert_eq!(endpoint, "https://eu-west-2.signin.aws.amazon.com/sessions/abcd1234/v1/switchrole");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["account"], "111122223333");
    assert_eq!(body["roleName"], "Admin");
    assert_eq!(body["redirectUri"], "https://eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2");
}

#[test]
fn identity_center_targets_go_through_the_portal() {
    let engine = engine();
    let target = target(&engine, "ReadOnlyAccess @ 2222-3333-4444");
    let plan = plan_switch(&target, &SwitchFrom { url: "https://example.com/", signals: None, csrf: None });
    assert_eq!(
        plan,
        Plan::Open {
            url: "https://d-1234567890.awsapps.com/start/#/console?account_id=222233334444&role_name=ReadOnlyAccess&destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fconsole%2Fhome".into(),
            new_tab: true,
            wants_token: false,
        }
    );
}

#[test]
fn other_consoles_get_their_links() {
    let engine = engine();
    let not_a_console = SwitchFrom { url: "https://example.com/", ..SwitchFrom::default() };
    let open = |label: &str, from: &SwitchFrom| plan_switch(&target(&engine, label), from);
    assert_eq!(
        open("govuk-paas", &not_a_console),
        Plan::Open {
            url: "https://console.cloud.google.com/home/dashboard?project=govuk-paas".into(),
            new_tab: true,
            wants_token: false
        }
    );
    assert_eq!(
        open("digital.cabinet-office.gov.uk", &not_a_console),
        Plan::Open {
            url: "https://portal.azure.com/#@digital.cabinet-office.gov.uk/view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/6f1c2a9e-58c1-4d5e-9b7a-2c3d4e5f6a7b".into(),
            new_tab: true,
            wants_token: false,
        }
    );
    let on_portal = SwitchFrom { url: "https://ms.portal.azure.com/#home", ..SwitchFrom::default() };
    assert_eq!(
        open("contoso.onmicrosoft.com", &on_portal),
        Plan::Open {
            url: "https://ms.portal.azure.com/#@contoso.onmicrosoft.com".into(),
            new_tab: false,
            wants_token: false
        }
    );
    let on_aiven = SwitchFrom {
        url: "https://console.aiven.io/account/a1f23bcdef4a/project/dev/services",
        ..SwitchFrom::default()
    };
    assert_eq!(
        open("prod", &on_aiven),
        Plan::Open {
            url: "https://console.aiven.io/account/a1f23bcdef4a/project/prod/services".into(),
            new_tab: false,
            wants_token: false,
        }
    );
}

#[test]
fn the_access_portal_teaches_targets_and_account_names() {
    let links = r#"[
        {"href": "https://d-1234567890.awsapps.com/start/#/console?account_id=111122223333&role_name=ReadOnlyAccess", "text": "Acme Prod #111122223333 | prod@acme.example"},
        {"href": "https://d-1234567890.awsapps.com/start/#/console?account_id=111122223333&role_name=AdministratorAccess", "text": "Acme Prod #111122223333 | prod@acme.example"},
        {"href": "https://d-1234567890.awsapps.com/start/#/console?account_id=444455556666&role_name=PowerUserAccess", "text": "444455556666 sandbox@acme.example"},
        {"href": "https://d-1234567890.awsapps.com/start/#/console?account_id=not-an-id&role_name=X", "text": "junk"},
        {"text": "no link"}
    ]"#;
    let signals = Signals { aws_portal_links: Some(links.into()), ..Signals::default() };
    assert!(redline::read_portal("https://example.com/start", &signals).is_none(), "only portal hosts");
    let portal = redline::read_portal("https://d-1234567890.awsapps.com/start/#/", &signals).unwrap();
    assert_eq!(portal.accounts.len(), 2);
    assert_eq!(portal.accounts[0].roles, ["ReadOnlyAccess", "AdministratorAccess"]);
    assert_eq!(portal.accounts[1].name, None, "no words before the id");
    let mut engine = Engine::new();
    assert!(engine.configure(None, None, Some(&portal.config_text())).applied);
    let labels: Vec<&str> = engine.targets().iter().map(|v| v.label.as_str()).collect();
    assert!(labels.contains(&"Acme Prod · ReadOnlyAccess"), "{labels:?}");
    let admin = engine.targets().iter().find(|v| v.label == "Acme Prod · AdministratorAccess").unwrap();
    assert_eq!(
        (admin.environment.kind.as_str(), admin.severity.as_str()),
        ("prod", "danger"),
        "the learned name says prod"
    );
    // The learned name names the account in banners too.
    let data = r#"{"awsSessionData":"{\"accountId\":\"111122223333\",\"sessionARN\":\"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnlyAccess_0123456789abcdef/j\"}"}"#;
    let verdict = engine.evaluate("https://console.aws.amazon.com/", &Signals::from_json(data).unwrap()).unwrap();
    assert!(verdict.label.contains("Acme Prod"), "{}", verdict.label);
    assert_eq!(verdict.environment.kind.as_str(), "prod");
    let plan = engine.plan_switch(
        engine.targets().iter().position(|v| v.label == "Acme Prod · ReadOnlyAccess").unwrap(),
        &SwitchFrom { url: EC2, ..SwitchFrom::default() },
    );
    let Some(Plan::Open { url, .. }) = plan else { panic!("{plan:?}") };
    assert!(url.starts_with("https://d-1234567890.awsapps.com/start/#/console?account_id=111122223333&role_name=ReadOnlyAccess&destination="), "{url}");
}

#[test]
fn session_fields_without_multi_session_mode_keep_the_classic_switch() {
    let engine = engine();
    let target = target(&engine, "acme-prod admin");
    let signals = Signals::from_json(
        r#"{"awsSessionData":"{\"accountId\":\"999988887777\",\"prismModeEnabled\":false,\"signInEndpoint\":\"signin.aws.amazon.com\",\"sessionDifferentiator\":\"abc\"}"}"#,
    )
    .unwrap();
    let plan = plan_switch(&target, &SwitchFrom { url: EC2, signals: Some(&signals), csrf: Some("t") });
    assert!(matches!(plan, Plan::PostForm { .. }), "{plan:?}");
}
