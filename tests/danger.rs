//! Danger mode: what the verdict asks the extension to show and do when Admin is open in prod or
//! a root session anywhere.

use redline::{Engine, Signals, Verdict, SEED_TEXT};

fn session(account: &str, alias: &str, role: &str) -> Signals {
    let data = format!(
        r#"{{"accountId":"{account}","accountAlias":"{alias}","sessionARN":"arn:aws:sts::{account}:assumed-role/{role}/jane"}}"#
    );
    Signals { aws_session_data: Some(data), ..Signals::default() }
}

fn verdict(config: Option<&str>, url: &str, signals: &Signals) -> Verdict {
    let mut engine = Engine::new();
    let result = engine.configure(config, None, None);
    assert!(result.applied, "{:?}", result.user);
    engine.evaluate(url, signals).expect("a console")
}

const EC2: &str = "https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2#Instances:";

#[test]
fn admin_in_prod_is_danger_with_every_part() {
    let v = verdict(None, EC2, &session("111122223333", "acme-prod", "Admin"));
    assert_eq!(v.title_prefix, "[PROD ADMIN]");
    // The toolbar's tooltip: label and severity, then the first four reasons.
    let mut title = v.toolbar_title.lines();
    assert_eq!(title.next(), Some(format!("{} — danger", v.label).as_str()));
    assert_eq!(title.collect::<Vec<_>>(), v.reasons.iter().take(4).map(String::as_str).collect::<Vec<_>>());
    // The stripes: the background and the same hue at 55 %, so they read without colour vision.
    let channel = |hex: &str, at: usize| u32::from_str_radix(&hex[at..at + 2], 16).unwrap();
    for at in [1, 3, 5] {
        assert_eq!(channel(&v.colors.stripe, at), (channel(&v.colors.background, at) * 55 + 50) / 100);
    }
    let danger = v.danger.expect("danger");
    assert_eq!(danger.headline, "PRODUCTION · ADMIN");
    assert_eq!(danger.elapsed_label, "Admin in prod");
    assert_eq!(danger.acknowledge_key.as_deref(), Some("aws:111122223333"));
    assert_eq!(danger.key, "aws:111122223333");
    assert_eq!(danger.reminder_text, "Still need Admin in production?");
    assert_eq!(danger.acknowledge_text, "I need Admin in production");
    assert_eq!(danger.reminder_minutes, 30);
    let switch = danger.readonly_switch.expect("the seed names Operator as read-only");
    assert_eq!(switch.label, "Drop to read-only (Operator)");
    assert!(switch.url.starts_with("https://signin.aws.amazon.com/switchrole?account=111122223333&accountId=111122223333&roleName=Operator&displayName=Operator%20%40%20acme-prod&redirect_uri=https%3A%2F%2Feu-west-2.console.aws.amazon.com%2Fec2%2Fhome%3Fregion%3Deu-west-2%23Instances%3A"), "{}", switch.url);
    let guard = danger.guard.expect("prod is guarded by default");
    assert_eq!(guard.confirm, "prod");
    assert!(guard.verbs.iter().any(|v| v == "terminate"));
}

#[test]
fn calm_states_have_no_danger_but_a_title_prefix() {
    let v = verdict(None, EC2, &session("111122223333", "acme-prod", "Operator"));
    assert_eq!((v.title_prefix.as_str(), v.danger.is_none()), ("[PROD READ-ONLY]", true));
    let v = verdict(None, EC2, &session("111122223333", "acme-dev", "Admin"));
    assert_eq!((v.title_prefix.as_str(), v.danger.is_none()), ("[DEV ADMIN]", true));
    let v = verdict(None, EC2, &Signals::default());
    assert_eq!((v.title_prefix.as_str(), v.danger.is_none()), ("[UNKNOWN]", true));
}

#[test]
fn root_is_danger_even_in_dev_without_a_guard_or_a_switch() {
    let cookie = "%7B%22arn%22%3A%22arn%3Aaws%3Aiam%3A%3A333344445555%3Aroot%22%2C%22alias%22%3A%22acme-dev%22%7D";
    let page = r#"{"accountId":"333344445555","accountAlias":"acme-dev"}"#;
    let signals =
        Signals { aws_user_info: Some(cookie.into()), aws_session_data: Some(page.into()), ..Signals::default() };
    let v = verdict(None, "https://console.aws.amazon.com/billing/home", &signals);
    assert_eq!(v.title_prefix, "[ROOT DEV]");
    let danger = v.danger.expect("root is danger");
    assert_eq!(danger.headline, "ROOT USER · DEV");
    assert_eq!(danger.elapsed_label, "Root session");
    assert_eq!(danger.reminder_text, "Still need the root user?");
    assert!(danger.readonly_switch.is_none());
    assert!(danger.guard.is_none(), "dev is not guarded by default");
}

#[test]
fn danger_settings_and_guard_are_configurable() {
    let text = format!(
        "{}\n[danger]\nacknowledge = false\nreminder_minutes = 10\nverbs = [\"delete\", \"Löschen\"]\n",
        SEED_TEXT.replace("name = \"prod\"\nkind = \"prod\"", "name = \"prod\"\nkind = \"prod\"\nguard = false")
    );
    let v = verdict(Some(&text), EC2, &session("111122223333", "acme-prod", "Admin"));
    let danger = v.danger.expect("still danger");
    assert_eq!((danger.acknowledge_key, danger.reminder_minutes), (None, 10));
    assert_eq!(danger.key, "aws:111122223333", "the elapsed time still has its key");
    assert!(danger.guard.is_none(), "guard switched off for prod");
    let text = format!("{SEED_TEXT}\n[danger]\nverbs = [\"delete\", \"Löschen\"]\n");
    let guard =
        verdict(Some(&text), EC2, &session("111122223333", "acme-prod", "Admin")).danger.unwrap().guard.unwrap();
    assert_eq!(guard.verbs, ["delete", "Löschen"]);
}

#[test]
fn govcloud_switches_through_its_own_sign_in_host() {
    let url = "https://us-gov-west-1.console.amazonaws-us-gov.com/ec2/home";
    let data = r#"{"accountId":"111122223333","accountAlias":"gov-prod","sessionARN":"arn:aws-us-gov:sts::111122223333:assumed-role/Admin/j"}"#;
    let signals = Signals { aws_session_data: Some(data.into()), ..Signals::default() };
    let switch = verdict(None, url, &signals).danger.unwrap().readonly_switch.unwrap();
    assert!(switch.url.starts_with("https://signin.amazonaws-us-gov.com/switchrole?"), "{}", switch.url);
}

#[test]
fn identity_center_drops_through_the_access_portal() {
    let text = format!(
        "{SEED_TEXT}\n[[targets]]\nprovider = \"aws\"\naccount = \"111122223333\"\nrole = \"ReadOnlyAccess\"\nportal = \"https://d-1234567890.awsapps.com/start\"\n"
    );
    let v = verdict(
        Some(&text),
        EC2,
        &session("111122223333", "acme-prod", "AWSReservedSSO_AdministratorAccess_0123456789abcdef"),
    );
    let switch = v.danger.unwrap().readonly_switch.expect("a read-only target with a portal");
    assert_eq!(
        switch.url,
        "https://d-1234567890.awsapps.com/start/#/console?account_id=111122223333&role_name=ReadOnlyAccess&destination=https%3A%2F%2Feu-west-2.console.aws.amazon.com%2Fec2%2Fhome%3Fregion%3Deu-west-2%23Instances%3A"
    );
    let without = verdict(
        None,
        EC2,
        &session("111122223333", "acme-prod", "AWSReservedSSO_AdministratorAccess_0123456789abcdef"),
    );
    assert!(without.danger.unwrap().readonly_switch.is_none(), "no portal known: no button");
}

#[test]
fn under_multi_session_dropping_to_read_only_returns_without_the_session_prefix() {
    let url = "https://111122223333-abcd1234.eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2";
    let switch =
        verdict(None, url, &session("111122223333", "acme-prod", "Admin")).danger.unwrap().readonly_switch.unwrap();
    assert!(
        switch.url.ends_with(
            "&redirect_uri=https%3A%2F%2Feu-west-2.console.aws.amazon.com%2Fec2%2Fhome%3Fregion%3Deu-west-2"
        ),
        "{}",
        switch.url
    );
}

#[test]
fn in_the_european_sovereign_cloud_read_only_is_reached_through_the_page_s_regional_sign_in_host() {
    let url = "https://eusc-de-west-1.console.amazonaws-eusc.eu/ec2/home?region=eusc-de-west-1";
    let data = r#"{"accountId":"111122223333","accountAlias":"acme-prod","sessionARN":"arn:aws-eusc:sts::111122223333:assumed-role/Admin/j"}"#;
    let signals = Signals { aws_session_data: Some(data.into()), ..Signals::default() };
    let switch = verdict(None, url, &signals).danger.unwrap().readonly_switch.unwrap();
    assert!(switch.url.starts_with("https://eusc-de-west-1.signin.amazonaws-eusc.eu/switchrole?"), "{}", switch.url);
}

#[test]
fn the_guard_holds_labels_by_the_cores_tokens() {
    let table: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/danger/guard.json")).expect("tests/fixtures/danger/guard.json");
    let cases = table["cases"].as_array().expect("cases");
    assert!(cases.len() >= 20);
    for case in cases {
        let verbs: Option<Vec<String>> = case.get("verbs").map(|v| serde_json::from_value(v.clone()).unwrap());
        let config = verbs.as_ref().map(|verbs| format!("{SEED_TEXT}\n[danger]\nverbs = {verbs:?}\n"));
        let v = verdict(config.as_deref(), EC2, &session("111122223333", "acme-prod", "Admin"));
        let guard = v.danger.and_then(|d| d.guard).expect("a guard in prod");
        let label = case["label"].as_str().unwrap();
        assert_eq!(guard.matches(label), case["guarded"].as_bool().unwrap(), "{label:?}: {}", case["reason"]);
    }
}

/// Danger mode over time, from the worker's clock of a prod Admin tab (reminder after 30 min).
#[test]
fn danger_mode_over_time_is_a_function_of_the_clock() {
    use redline::DangerClock;
    const MIN: u64 = 60_000;
    let danger = verdict(None, EC2, &session("111122223333", "acme-prod", "Admin")).danger.unwrap();
    assert_eq!(danger.reminder_minutes, 30);
    let since = 1_000_000;
    let clock =
        |confirmed_at: Option<u64>, acknowledged| DangerClock { since, confirmed_at, acknowledged: Some(acknowledged) };
    let confirms = |step: &redline::DangerStep| step.overlay.as_ref().map(|o| o.confirms);

    // Not yet acknowledged: the acknowledgement asks, whatever the time; no reminder meanwhile.
    let asking = danger.steps(&clock(None, false), since + 45 * MIN);
    assert!(asking.steps.iter().all(|s| confirms(s) == Some("acknowledge")), "{asking:?}");
    assert_eq!(asking.steps[0].overlay.as_ref().unwrap().heading, danger.headline);
    assert_eq!(asking.steps[0].counter, format!("{} for 45 min", danger.elapsed_label));

    // Acknowledged: the counter by the minute, then the reminder 30 min after the entry.
    let calm = danger.steps(&clock(None, true), since + 10);
    assert_eq!(calm.steps[0].from, since + 10);
    assert_eq!(calm.steps[0].counter, format!("{} for less than 1 min", danger.elapsed_label));
    assert_eq!(calm.steps[1].from, since + MIN);
    assert_eq!(calm.steps[1].counter, format!("{} for 1 min", danger.elapsed_label));
    let due = calm.steps.iter().position(|s| confirms(s) == Some("reminder")).expect("the reminder within the steps");
    assert_eq!(calm.steps[due].from, since + 30 * MIN);
    assert_eq!(calm.steps[due].counter, format!("{} It has been 30 min", danger.reminder_text));
    assert!(calm.steps[..due].iter().all(|s| s.overlay.is_none()));
    assert!(calm.steps.windows(2).all(|w| w[0].from < w[1].from), "in time order");
    assert_eq!(calm.until, since + 31 * MIN, "the steps run out after the horizon: the page asks again");

    // A confirmed reminder asks again 30 min after the confirmation, not before.
    let confirmed = danger.steps(&clock(Some(since + 40 * MIN), true), since + 41 * MIN);
    assert!(confirms(&confirmed.steps[0]).is_none());
    let again = confirmed.steps.iter().find(|s| confirms(s) == Some("reminder")).expect("asked again");
    assert_eq!(again.from, since + 70 * MIN);

    // Past the reminder and not confirmed: it asks from the first step on.
    let overdue = danger.steps(&clock(None, true), since + 95 * MIN);
    assert!(overdue.steps.iter().all(|s| confirms(s) == Some("reminder")));
    assert_eq!(overdue.steps[0].counter, format!("{} It has been 95 min", danger.reminder_text));
}

#[test]
fn without_an_acknowledgement_the_reminder_only_counts() {
    use redline::DangerClock;
    let text = format!("{SEED_TEXT}\n[danger]\nacknowledge = false\nreminder_minutes = 1\n");
    let danger = verdict(Some(&text), EC2, &session("111122223333", "acme-prod", "Admin")).danger.unwrap();
    assert_eq!(danger.acknowledge_key, None);
    let steps = danger.steps(&DangerClock { since: 0, confirmed_at: None, acknowledged: None }, 0);
    assert!(steps.steps.iter().all(|s| s.overlay.is_none()), "no overlay asks");
    assert_eq!(steps.steps[1].counter, format!("{} It has been 1 min", danger.reminder_text));
}
