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

/// Findings of an adversarial review, each as it was reproduced: the verdict may only be louder.
mod review {
    use redline::{evaluate, parse_config, plan_switch, Config, Engine, Plan, Signals, SwitchFrom, SEED_TEXT};

    fn config(extra: &str) -> Config {
        parse_config(&format!("{SEED_TEXT}\n{extra}")).unwrap().config
    }

    fn signals(json: serde_json::Value) -> Signals {
        let strings: serde_json::Map<String, serde_json::Value> = json
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                (k.clone(), serde_json::Value::String(v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            })
            .collect();
        Signals::from_json(&serde_json::Value::Object(strings).to_string()).unwrap()
    }

    fn kind(url: &str, s: &Signals, c: &Config) -> (String, String) {
        let v = evaluate(url, s, c).unwrap();
        (v.environment.kind.as_str().to_owned(), v.severity.as_str().to_owned())
    }

    const EC2: &str = "https://console.aws.amazon.com/ec2/home";

    #[test]
    fn an_app_id_outside_an_app_blade_names_no_app() {
        let c =
            config("[[azure.subscriptions]]\nid = \"11111111-1111-1111-1111-111111111111\"\nenvironment = \"prod\"\n");
        let url = "https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Web/sites/Dev/appId/22222222-2222-2222-2222-222222222222";
        let s = signals(serde_json::json!({ "azureBladeTitle": "Dev | Overview" }));
        assert_eq!(kind(url, &s, &c).0, "prod");
    }

    #[test]
    fn deciding_sources_naming_two_accounts_show_the_louder_reading_in_either_order() {
        let c = config("[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"dev\"\n");
        for (meta, row) in [("111122223333", "4444-5555-6666"), ("444455556666", "1111-2222-3333")] {
            let s = signals(
                serde_json::json!({ "awsSessionData": {"accountId": meta}, "awsNavAccountId": format!("Account ID: {row}") }),
            );
            let v = evaluate(EC2, &s, &c).unwrap();
            assert_eq!(v.environment.kind.as_str(), "unknown", "meta {meta}, row {row}: {:?}", v.reasons);
            assert!(v.conflict, "meta {meta}, row {row}");
        }
    }

    #[test]
    fn after_two_accounts_no_source_decides_the_privilege_or_agrees_with_the_cookie() {
        let cookie = |role: &str| {
            serde_json::json!({"arn": format!("arn:aws:sts::111122223333:assumed-role/{role}/jane"), "alias": "acme-dev"}).to_string()
        };
        let with_cookie = signals(
            serde_json::json!({ "awsSessionData": {"accountId": "111122223333"}, "awsNavAccountId": "Account ID: 4444-5555-6666", "awsUserInfo": cookie("ReadOnly") }),
        );
        let v = evaluate(EC2, &with_cookie, &config("")).unwrap();
        assert_eq!((v.environment.kind.as_str(), v.privilege.as_str()), ("unknown", "unknown"), "{:?}", v.reasons);
        for (arn_role, row_role) in [("ReadOnly", "PlatformEngineer"), ("PlatformEngineer", "ReadOnly")] {
            let s = signals(serde_json::json!({
                "awsSessionData": {"accountId": "111122223333", "accountAlias": "acme-prod", "sessionARN": format!("arn:aws:sts::111122223333:assumed-role/{arn_role}/jane")},
                "awsNavAccountId": "Account ID: 4444-5555-6666",
                "awsNavPrincipal": format!("Federated user: {row_role}/jane"),
            }));
            let v = evaluate(EC2, &s, &config("")).unwrap();
            assert_eq!(
                (v.privilege.as_str(), v.severity.as_str()),
                ("unknown", "caution"),
                "{arn_role}, {row_role}: {:?}",
                v.reasons
            );
        }
    }

    /// Each account in a dispute is a reading, its configured role included: a configured Admin in
    /// prod stays danger whichever source named its account (it read privilege unknown, caution).
    #[test]
    fn an_account_in_dispute_keeps_its_configured_role_as_a_reading() {
        let c = config("[[aws.accounts]]\nid = \"444455556666\"\nenvironment = \"prod\"\nrole = \"Admin\"\n");
        let cookie = serde_json::json!({"arn": "arn:aws-us-gov:sts::111111111111:assumed-role/Operator/jane", "alias": "acme-dev"});
        let cases = [
            // The legacy navbar's alias beside the meta tag's id, which the cookie pairs otherwise.
            (
                "https://console.amazonaws-us-gov.com/console/home",
                serde_json::json!({"awsSessionData": {"accountId": "444455556666"}, "awsLegacyLoginAccount": "acme-dev", "awsUserInfo": cookie.to_string()}),
            ),
            // The meta tag's own session ARN names another account.
            (
                EC2,
                serde_json::json!({"awsSessionData": {"accountId": "444455556666", "sessionARN": "arn:aws:iam::777788889999:user/jane"}}),
            ),
            // The configured account is the one set aside: the navbar's row, after the meta tag's.
            (
                EC2,
                serde_json::json!({"awsSessionData": {"accountId": "777788889999"}, "awsNavAccountId": "Account ID: 4444-5555-6666"}),
            ),
        ];
        for (url, s) in cases {
            let v = evaluate(url, &signals(s.clone()), &c).unwrap();
            assert_eq!(
                (v.environment.kind.as_str(), v.privilege.as_str(), v.severity.as_str(), v.conflict),
                ("prod", "admin", "danger", true),
                "{s}: {:?}",
                v.reasons
            );
        }
    }

    /// An account that may be the tab's raises with its configured role: the cookie's when only it
    /// names one, one a switched role's display name shows, an alias in a dispute. The base
    /// identity's after a switch-role does not: that gave danger after every switch from it.
    #[test]
    fn configured_roles_raise_for_the_accounts_that_may_be_the_tabs_only() {
        let c = config(
            "[[aws.accounts]]\nid = \"111111111111\"\nenvironment = \"dev\"\nrole = \"Admin\"\n\
             [[aws.accounts]]\nid = \"333333333333\"\nenvironment = \"prod\"\nrole = \"Admin\"\n\
             [[aws.accounts]]\nname = \"acme-prod\"\nenvironment = \"prod\"\nrole = \"Admin\"\n\
             [[aws.accounts]]\nid = \"444455556666\"\nenvironment = \"prod\"\nrole = \"Operator\"\n",
        );
        let cookie = |account: &str| {
            serde_json::json!({"arn": format!("arn:aws:sts::{account}:assumed-role/Engineer/jane")}).to_string()
        };
        const GOV: &str = "https://console.amazonaws-us-gov.com/console/home";
        let danger = [
            (EC2, serde_json::json!({ "awsUserInfo": cookie("333333333333") })),
            (
                GOV,
                serde_json::json!({"awsLegacyLoginAccount": "1111-1111-1111", "awsLegacyLoginUser": "jane", "awsLegacyRoleAccount": "3333-3333-3333", "awsLegacyRoleUser": "Engineer"}),
            ),
            (
                EC2,
                serde_json::json!({"awsSessionData": {"accountId": "777788889999", "accountAlias": "acme-prod"}, "awsNavAccountId": "Account ID: 2222-2222-2222"}),
            ),
        ];
        for (url, s) in danger {
            let v = evaluate(url, &signals(s.clone()), &c).unwrap();
            assert_eq!((v.privilege.as_str(), v.severity.as_str()), ("admin", "danger"), "{s}: {:?}", v.reasons);
        }
        // The base identity (111111111111, Admin) after a switch into prod as Operator.
        let base = [
            (
                EC2,
                serde_json::json!({"awsSessionData": {"accountId": "444455556666"}, "awsUserInfo": cookie("111111111111")}),
            ),
            (
                GOV,
                serde_json::json!({"awsLegacyLoginAccount": "1111-1111-1111", "awsLegacyLoginUser": "jane", "awsLegacyRoleAccount": "prod", "awsLegacyRoleUser": "Operator"}),
            ),
            // With the cookie, which names the base identity too: the page names an account.
            (
                GOV,
                serde_json::json!({"awsLegacyLoginAccount": "1111-1111-1111", "awsLegacyLoginUser": "jane", "awsLegacyRoleAccount": "4444-5555-6666", "awsLegacyRoleUser": "Operator", "awsUserInfo": serde_json::json!({"arn": "arn:aws-us-gov:iam::111111111111:user/jane"}).to_string()}),
            ),
            // A display name repeating the deciding alias is no other account: the exact id's
            // Operator is the configured role, not the alias rule's Admin.
            (
                EC2,
                serde_json::json!({"awsSessionData": {"accountId": "444455556666", "accountAlias": "acme-prod", "displayName": "Operator @ acme-prod"}}),
            ),
        ];
        for (url, s) in base {
            let v = evaluate(url, &signals(s.clone()), &c).unwrap();
            assert_ne!(v.privilege.as_str(), "admin", "{s}: {:?}", v.reasons);
        }
    }

    /// Another account's label is not shown beside this one's id, but it may raise: a display
    /// name's account labelled `acme-prod` keeps the banner at prod (it read unknown).
    #[test]
    fn another_accounts_label_raises_without_being_shown() {
        let c = config(
            "[[aws.accounts]]\nid = \"444455556666\"\nlabel = \"acme-prod\"\n[[aws.accounts]]\nid = \"111111111111\"\nlabel = \"identity\"\n",
        );
        let cookie = serde_json::json!({"arn": "arn:aws:sts::111111111111:assumed-role/Admin/jane"}).to_string();
        let s = signals(
            serde_json::json!({"awsSessionData": {"displayName": "prod-ops @ 444455556666"}, "awsUserInfo": cookie}),
        );
        let v = evaluate(EC2, &s, &c).unwrap();
        assert_eq!(v.environment.kind.as_str(), "prod", "{}: {:?}", v.label, v.reasons);
        assert!(!v.label.contains("acme-prod"), "{}", v.label);
    }

    /// A label names the account shown: the cookie's login account's label beside the page's id
    /// read `identity (4444-5555-6666)`, naming the wrong account. Alone, the cookie's is shown.
    #[test]
    fn a_label_names_only_the_account_shown() {
        let c = config(
            "[[aws.accounts]]\nid = \"111111111111\"\nlabel = \"identity\"\n[[aws.accounts]]\nid = \"444455556666\"\nenvironment = \"prod\"\n",
        );
        let cookie = serde_json::json!({"arn": "arn:aws:iam::111111111111:user/jane"}).to_string();
        let page = signals(serde_json::json!({"awsSessionData": {"accountId": "444455556666"}, "awsUserInfo": cookie}));
        let v = evaluate(EC2, &page, &c).unwrap();
        assert!(!v.label.contains("identity"), "{}: {:?}", v.label, v.reasons);
        let alone = signals(serde_json::json!({ "awsUserInfo": cookie }));
        let v = evaluate(EC2, &alone, &c).unwrap();
        assert!(v.label.contains("identity (1111-1111-1111)"), "{}: {:?}", v.label, v.reasons);
    }

    #[test]
    fn a_display_name_naming_the_cookies_role_does_not_let_the_cookie_decide() {
        let cookie =
            serde_json::json!({"arn": "arn:aws:sts::111122223333:assumed-role/ReadOnly/jane", "alias": "acme-prod"})
                .to_string();
        for shown in [
            serde_json::json!({"displayName": "ReadOnly @ acme-prod"}),
            serde_json::json!({"displayName": "ReadOnly/jane @ acme-prod"}),
        ] {
            let mut data = serde_json::json!({"accountId": "111122223333"});
            data.as_object_mut().unwrap().extend(shown.as_object().unwrap().clone());
            let s = signals(serde_json::json!({ "awsSessionData": data, "awsUserInfo": cookie }));
            let v = evaluate(EC2, &s, &config("")).unwrap();
            assert_eq!((v.privilege.as_str(), v.severity.as_str()), ("unknown", "caution"), "{shown}: {:?}", v.reasons);
        }
        let menu = signals(
            serde_json::json!({ "awsSessionData": {"accountId": "111122223333"}, "awsUserInfo": cookie, "awsNavUser": "ReadOnly/jane" }),
        );
        assert_eq!(evaluate(EC2, &menu, &config("")).unwrap().privilege.as_str(), "unknown");
    }

    #[test]
    fn a_project_name_matching_a_quiet_and_a_loud_pattern_raises_to_the_loud_one() {
        let c = config("[[gcp.projects]]\nname = \"Pay*\"\nenvironment = \"dev\"\n[[gcp.projects]]\nname = \"*Core\"\nenvironment = \"prod\"\n");
        let s = signals(serde_json::json!({ "gcpProjectName": "Payments Core" }));
        assert_eq!(kind("https://console.cloud.google.com/home/dashboard?project=x-123", &s, &c).0, "prod");
    }

    #[test]
    fn every_account_id_anyone_shows_may_raise() {
        let c = config("[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\n[[aws.accounts]]\nid = \"444455556666\"\nenvironment = \"dev\"\n");
        let disagreeing = signals(
            serde_json::json!({ "awsSessionData": {"accountId": "444455556666"}, "awsNavAccountId": "Account ID: 1111-2222-3333" }),
        );
        assert_eq!(kind(EC2, &disagreeing, &c).0, "prod", "deciding sources disagree: the louder reading");
        let cookie = serde_json::json!({"arn": "arn:aws:sts::111122223333:assumed-role/Admin/jane"}).to_string();
        let both =
            signals(serde_json::json!({ "awsUserInfo": cookie, "awsNavUser": "Account ID: 9999-8888-7777 x/jane" }));
        assert_eq!(kind(EC2, &both, &c), ("prod".into(), "danger".into()), "another low-trust id hides no louder one");
    }

    #[test]
    fn a_quieter_low_trust_match_hides_no_louder_rule() {
        let c = config("[[aws.accounts]]\nid = \"1111*\"\nenvironment = \"prod\"\n[[aws.accounts]]\nname = \"sandbox\"\nenvironment = \"dev\"\n");
        let cookie = serde_json::json!({"arn": "arn:aws:sts::111122223333:assumed-role/Admin/jane"}).to_string();
        let s = signals(serde_json::json!({ "awsUserInfo": cookie, "awsLegacyRoleAccount": "sandbox" }));
        assert_eq!(kind(EC2, &s, &c), ("prod".into(), "danger".into()));
    }

    #[test]
    fn a_named_portal_label_beats_an_unnamed_one_and_case_names_no_portal() {
        let lesson = |portal: &str, label: &str| {
            format!("# Learned from the access portal {portal} (names and ids only).\n[[aws.accounts]]\nid = \"111122223333\"\nlabel = \"{label}\"\n[[targets]]\nprovider = \"aws\"\naccount = \"111122223333\"\nrole = \"ReadOnlyAccess\"\nportal = \"{portal}\"\n")
        };
        let named = "https://d-named.awsapps.com/start";
        let user = format!("{SEED_TEXT}\n[[targets]]\nprovider = \"aws\"\naccount = \"999988887777\"\nrole = \"Operator\"\nportal = \"{named}\"\n");
        let learned =
            format!("{}{}", lesson("https://d-other.awsapps.com/start", "acme dev"), lesson(named, "acme prod"));
        let mut engine = Engine::new();
        assert!(engine.configure(Some(&user), None, Some(&learned)).applied);
        let meta = signals(
            serde_json::json!({ "awsSessionData": {"accountId": "111122223333", "sessionARN": "arn:aws:sts::111122223333:assumed-role/Admin/jane"} }),
        );
        assert_eq!(engine.evaluate(EC2, &meta).unwrap().severity.as_str(), "danger");

        let gov = "https://start.us-gov-home.awsapps.com/directory/d-abc";
        let user = format!("{SEED_TEXT}\n[[targets]]\nprovider = \"aws\"\naccount = \"999988887777\"\nrole = \"Operator\"\nportal = \"https://d-unrelated.awsapps.com/start\"\n");
        let learned = format!(
            "{}{}",
            lesson(gov, "x"),
            lesson("https://start.us-gov-home.awsapps.com/directory/D-ABC", "acme dev")
        );
        let mut engine = Engine::new();
        assert!(engine.configure(Some(&user), None, Some(&learned)).applied);
        assert_eq!(
            engine.evaluate(EC2, &meta).unwrap().environment.kind.as_str(),
            "unknown",
            "no lesson names a portal"
        );
    }

    #[test]
    fn urls_with_thousands_of_ids_cost_no_more_than_two() {
        let hash: String =
            (0..20_000).map(|i| format!("/subscriptions/{:08x}-1111-1111-1111-111111111111", i)).collect();
        let url = format!("https://portal.azure.com/#@contoso.onmicrosoft.com{hash}");
        assert!(redline::detect(&url).unwrap().subscription.is_none());
        let query: String = (0..80_000).map(|i| format!("project=p{i}&")).collect();
        assert!(redline::detect(&format!("https://console.cloud.google.com/home?{query}")).unwrap().project.is_none());
    }

    #[test]
    fn switch_links_keep_what_the_url_says_in_its_place() {
        let text = format!("{SEED_TEXT}\n[[targets]]\nprovider = \"aiven\"\nproject = \"prod\"\n[[targets]]\nprovider = \"gcp\"\nproject = \"govuk-paas\"\n");
        let targets = parse_config(&text).unwrap().config.targets;
        let from = SwitchFrom {
            url: "https://console.aiven.io/account/%2F%2Fevil.example%3F/project/dev/services",
            ..SwitchFrom::default()
        };
        let Plan::Open { url, .. } = plan_switch(&targets[0], &from) else { panic!() };
        assert_eq!(url, "https://console.aiven.io/project/prod/services");
        let from = SwitchFrom {
            url: "https://console.cloud.google.com/home?pro%6Aect=paas-development-210707&x=1",
            ..SwitchFrom::default()
        };
        let Plan::Open { url, .. } = plan_switch(&targets[1], &from) else { panic!() };
        assert_eq!(url, "https://console.cloud.google.com/home?project=govuk-paas&x=1");
    }

    #[test]
    fn drop_to_read_only_names_only_an_account_that_decides() {
        let s = signals(
            serde_json::json!({ "awsNavUser": "Account ID: 9999-8888-7777 Admin/jane", "awsLegacyRoleAccount": "acme-prod" }),
        );
        let v = evaluate(EC2, &s, &Config::seed()).unwrap();
        assert_eq!(v.severity.as_str(), "danger");
        assert!(v.danger.unwrap().readonly_switch.is_none(), "no switch link to an account anyone may name");
    }
}
