//! The configuration text: every malformed text is rejected with a message at its line and
//! column; suspicious ones are accepted with a warning; the bundled seed is valid.

use redline::{parse_config, Config, Diagnostic, Engine, Level, Scope, Signals, SEED_TEXT};
use serde::Deserialize;

#[derive(Deserialize)]
struct Table {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    level: String,
    line: usize,
    column: usize,
    message: String,
    text: String,
}

fn cases() -> Vec<Case> {
    let text = include_str!("fixtures/config/invalid.json");
    serde_json::from_str::<Table>(text).expect("invalid.json").cases
}

/// Each case's expected diagnostic must be among those reported, at its level, line and column.
#[test]
fn every_bad_config_gets_its_message_at_its_place() {
    let mut failures = Vec::new();
    for case in cases() {
        let found = match (parse_config(&case.text), case.level.as_str()) {
            (Err(found), "error") => found,
            (Ok(loaded), "warning") => loaded.warnings,
            (Ok(_), _) => {
                failures.push(format!("{}: accepted without a warning", case.name));
                continue;
            }
            (Err(found), _) => {
                failures.push(format!("{}: rejected, expected a warning: {:?}", case.name, found));
                continue;
            }
        };
        let level = if case.level == "error" { Level::Error } else { Level::Warning };
        let expected = |d: &Diagnostic| {
            (d.line, d.column, d.level) == (case.line, case.column, level) && d.message.contains(&case.message)
        };
        if !found.iter().any(expected) {
            let got: Vec<String> = found.iter().map(ToString::to_string).collect();
            failures.push(format!(
                "{}: want line {}, column {}: {}\n  got {}",
                case.name,
                case.line,
                case.column,
                case.message,
                got.join("\n      ")
            ));
        }
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_suite_is_large_enough_to_mean_something() {
    let errors = cases().iter().filter(|c| c.level == "error").count();
    assert!(errors >= 50, "only {errors} malformed configs");
}

#[test]
fn the_seed_is_valid_and_warning_free() {
    let loaded = parse_config(SEED_TEXT).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.config, Config::seed());
}

#[test]
fn several_errors_are_all_reported_in_text_order() {
    let text = "[[environments]]\nname = \"prod\"\nkind = \"nope\"\n\n[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"live\"\n";
    let found = parse_config(text).unwrap_err();
    let places: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.column)).collect();
    assert_eq!(places, [(3, 1), (7, 1)], "{found:?}");
}

const PROD_ADMIN: &str = r#"{"awsSessionData":"{\"accountId\":\"111122223333\",\"sessionARN\":\"arn:aws:sts::111122223333:assumed-role/Admin/j\"}"}"#;

fn prod_rule(locked: bool) -> String {
    format!(
        "[[environments]]\nname = \"prod\"\nkind = \"prod\"\n[[environments]]\nname = \"dev\"\nkind = \"dev\"\n\
         [[aws.roles]]\nname = \"Admin\"\nprivilege = \"admin\"\n\
         [[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\nlocked = {locked}\n"
    )
}

#[test]
fn explicit_rules_beat_heuristics_and_say_so() {
    let mut engine = Engine::new();
    let text = format!("{}[[aws.accounts]]\nname = \"*-prod\"\nenvironment = \"dev\"\n", prod_rule(false));
    assert!(engine.configure(Some(&text), None, None).applied);
    let signals = Signals::from_json(PROD_ADMIN).unwrap();
    let verdict = engine.evaluate("https://console.aws.amazon.com/", &signals).unwrap();
    assert_eq!(verdict.environment.name, "prod");
    assert!(
        verdict.reasons.iter().any(|r| r.contains("your rule for this AWS account (by id)")),
        "{:?}",
        verdict.reasons
    );
}

#[test]
fn exact_ids_beat_patterns_whatever_their_order() {
    let text = "[[environments]]\nname = \"prod\"\nkind = \"prod\"\n[[environments]]\nname = \"dev\"\nkind = \"dev\"\n\
                [[aws.accounts]]\nid = \"1111*\"\nenvironment = \"dev\"\n[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\n";
    let mut engine = Engine::new();
    assert!(engine.configure(Some(text), None, None).applied);
    let verdict = engine.evaluate("https://console.aws.amazon.com/", &Signals::from_json(PROD_ADMIN).unwrap()).unwrap();
    assert_eq!(verdict.environment.name, "prod", "{:?}", verdict.reasons);
}

#[test]
fn a_locked_organisation_rule_cannot_be_weakened() {
    let mut engine = Engine::new();
    let user = prod_rule(false).replace("environment = \"prod\"\nlocked = false", "environment = \"dev\"");
    let result = engine.configure(Some(&user), Some(&prod_rule(true)), None);
    assert!(result.applied, "{result:?}");
    assert!(result.notices.iter().any(|n| n.contains("locked")), "{:?}", result.notices);
    let verdict = engine.evaluate("https://console.aws.amazon.com/", &Signals::from_json(PROD_ADMIN).unwrap()).unwrap();
    assert_eq!((verdict.environment.name.as_str(), verdict.severity.as_str()), ("prod", "danger"));
    assert!(verdict.reasons.iter().any(|r| r.contains("the organisation's rule")), "{:?}", verdict.reasons);
}

#[test]
fn a_locked_pattern_covers_the_users_exact_rule() {
    let managed = prod_rule(true).replace("id = \"111122223333\"", "id = \"1111*\"");
    let user = prod_rule(false).replace("environment = \"prod\"\nlocked = false", "environment = \"dev\"");
    let mut engine = Engine::new();
    let result = engine.configure(Some(&user), Some(&managed), None);
    assert!(result.applied && !result.notices.is_empty(), "{result:?}");
    let verdict = engine.evaluate("https://console.aws.amazon.com/", &Signals::from_json(PROD_ADMIN).unwrap()).unwrap();
    assert_eq!(verdict.environment.name, "prod", "{:?}", verdict.reasons);
}

#[test]
fn a_bad_edit_keeps_the_previous_configuration() {
    let mut engine = Engine::new();
    assert!(engine.configure(Some(&prod_rule(false)), None, None).applied);
    let before = engine.config().clone();
    let result = engine.configure(Some("[[environments]]\nname = \"prod\"\n"), None, None);
    assert!(!result.applied);
    assert_eq!(result.user[0].level, Level::Error);
    assert_eq!(engine.config(), &before);
    let broken_managed = engine.configure(Some(&prod_rule(false)), Some("aws = 1"), None);
    assert!(!broken_managed.applied && !broken_managed.managed.is_empty());
    assert_eq!(engine.config(), &before);
}

#[test]
fn five_thousand_profiles_load_and_evaluate() {
    let mut text = String::from(SEED_TEXT);
    for i in 0..5_000u64 {
        let account = 100_000_000_000 + i;
        let env = ["dev", "ci", "staging", "prod"][(i % 4) as usize];
        text.push_str(&format!(
            "\n[[aws.accounts]]\nid = \"{account}\"\nenvironment = \"{env}\"\n\n[[targets]]\nprovider = \"aws\"\nlabel = \"team-{i}\"\naccount = \"{account}\"\nrole = \"Operator\"\nregion = \"eu-west-2\"\n"
        ));
    }
    let mut engine = Engine::new();
    let result = engine.configure(Some(&text), None, None);
    assert!(result.applied, "{:?}", result.user.first());
    assert_eq!(engine.config().targets.len(), 5_000);
    let signals = Signals::from_json(
        r#"{"awsNavAccountId":"Account ID: 1000-0000-4999","awsNavPrincipal":"Federated user: Operator/j"}"#,
    )
    .unwrap();
    let verdict = engine.evaluate("https://console.aws.amazon.com/", &signals).unwrap();
    assert_eq!((verdict.environment.name.as_str(), verdict.privilege.as_str()), ("prod", "readonly"));
}

#[test]
fn a_rule_that_only_names_an_account_hides_no_environment_rule() {
    let text = format!(
        "{SEED_TEXT}\n[[aws.accounts]]\nid = \"111122223333\"\nlabel = \"Payments\"\n\
         [[aws.accounts]]\nname = \"acme-*\"\nenvironment = \"prod\"\n"
    );
    let mut engine = Engine::new();
    assert!(engine.configure(Some(&text), None, None).applied);
    let data = r#"{"awsSessionData":"{\"accountId\":\"111122223333\",\"accountAlias\":\"acme-payments\",\"sessionARN\":\"arn:aws:sts::111122223333:assumed-role/Operator/j\"}"}"#;
    let verdict = engine.evaluate("https://console.aws.amazon.com/", &Signals::from_json(data).unwrap()).unwrap();
    assert_eq!(verdict.environment.name, "prod", "{:?}", verdict.reasons);
    assert_eq!(verdict.account.name.as_deref(), Some("Payments"));
    assert!(
        verdict.reasons.iter().any(|r| r.contains("account name 'Payments' from your rule")),
        "{:?}",
        verdict.reasons
    );
}

#[test]
fn an_organisation_policy_need_not_define_the_standard_environments() {
    let policy = "[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\nlocked = true\n";
    let mut engine = Engine::new();
    let result = engine.configure(None, Some(policy), None);
    assert!(result.applied && result.managed.is_empty(), "{result:?}");
    let verdict = engine.evaluate("https://console.aws.amazon.com/", &Signals::from_json(PROD_ADMIN).unwrap()).unwrap();
    assert_eq!((verdict.environment.name.as_str(), verdict.severity.as_str()), ("prod", "danger"));
    let wrong = parse_config("[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"live\"\n").unwrap_err();
    assert!(
        wrong[0].message.ends_with("'live' is not a defined environment, expected one of prod, staging, ci, dev"),
        "{wrong:?}"
    );
}

#[test]
fn a_broken_organisation_text_does_not_stop_the_users_rules() {
    let mut engine = Engine::new();
    let user = format!("{SEED_TEXT}\n[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\n");
    let result = engine.configure(Some(&user), Some("aws = 1"), None);
    assert!(result.user_applied && !result.managed_applied && !result.applied, "{result:?}");
    assert_eq!(result.managed[0].level, Level::Error);
    let verdict = engine.evaluate("https://console.aws.amazon.com/", &Signals::from_json(PROD_ADMIN).unwrap()).unwrap();
    assert_eq!(verdict.environment.name, "prod", "the user's rule applies");
    // A sound organisation text, then a broken one: the sound one stays in force.
    let policy = "[[aws.accounts]]\nid = \"222233334444\"\nenvironment = \"prod\"\nlocked = true\n";
    assert!(engine.configure(Some(&user), Some(policy), None).applied);
    assert!(!engine.configure(Some(&user), Some("aws = 1"), None).managed_applied);
    assert!(engine
        .config()
        .rules(Scope::AwsAccount)
        .iter()
        .any(|r| r.managed && r.id.as_deref() == Some("222233334444")));
}

#[test]
fn a_locked_rule_by_name_beats_the_users_rule_by_id() {
    let managed = "[[aws.accounts]]\nname = \"*-prod\"\nenvironment = \"prod\"\nlocked = true\n";
    let user = format!("{SEED_TEXT}\n[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"dev\"\n");
    let mut engine = Engine::new();
    assert!(engine.configure(Some(&user), Some(managed), None).applied);
    let data = r#"{"awsSessionData":"{\"accountId\":\"111122223333\",\"accountAlias\":\"acme-prod\",\"sessionARN\":\"arn:aws:sts::111122223333:assumed-role/Admin/j\"}"}"#;
    let verdict = engine.evaluate("https://console.aws.amazon.com/", &Signals::from_json(data).unwrap()).unwrap();
    assert_eq!(
        (verdict.environment.name.as_str(), verdict.severity.as_str()),
        ("prod", "danger"),
        "{:?}",
        verdict.reasons
    );
    assert!(verdict.reasons.iter().any(|r| r.contains("the organisation's rule")), "{:?}", verdict.reasons);
}

#[test]
fn an_aws_rule_role_counts_when_the_page_shows_none() {
    let text =
        format!("{SEED_TEXT}\n[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\nrole = \"Admin\"\n");
    let mut engine = Engine::new();
    assert!(engine.configure(Some(&text), None, None).applied);
    let shown = Signals::from_json(r#"{"awsNavAccountId":"1111-2222-3333"}"#).unwrap();
    let verdict = engine.evaluate("https://console.aws.amazon.com/", &shown).unwrap();
    assert_eq!((verdict.privilege.as_str(), verdict.severity.as_str()), ("admin", "danger"), "{:?}", verdict.reasons);
    let page_role =
        Signals::from_json(r#"{"awsNavAccountId":"1111-2222-3333","awsNavPrincipal":"Federated user: Operator/j"}"#)
            .unwrap();
    assert_eq!(
        engine.evaluate("https://console.aws.amazon.com/", &page_role).unwrap().privilege.as_str(),
        "readonly",
        "the page's role wins"
    );
    let button_role = Signals::from_json(r#"{"awsNavAccountId":"1111-2222-3333","awsNavUser":"Operator/j"}"#).unwrap();
    assert_eq!(
        engine.evaluate("https://console.aws.amazon.com/", &button_role).unwrap().privilege.as_str(),
        "admin",
        "the account menu button may show a display name: it cannot lower what the rule says"
    );
}
