//! Imports: the sample files become redline configuration, every line is reported, and the
//! result gives the expected banners.

use redline::{import, parse_config, Engine, ImportSource, Outcome, Outcomes, Signals, SEED_TEXT};

const AESR: &str = include_str!("fixtures/import/extend-switch-roles.ini");
const AWS_CONFIG: &str = include_str!("fixtures/import/aws-config.ini");

fn outcome_of(report: &[redline::LineReport], line: usize) -> Vec<(Outcome, &str)> {
    report.iter().filter(|r| r.line == line).map(|r| (r.outcome, r.message.as_str())).collect()
}

/// The banner of an account's console under the seed plus the imported text.
fn banner(imported: &str, account: &str, role: &str) -> (String, String, String) {
    let mut engine = Engine::new();
    let text = format!("{SEED_TEXT}\n{imported}");
    let result = engine.configure(Some(&text), None, None);
    assert!(result.applied, "{:?}", result.user);
    let session =
        format!(r#"{{"accountId":"{account}","sessionARN":"arn:aws:sts::{account}:assumed-role/{role}/jane"}}"#);
    let signals = Signals { aws_session_data: Some(session), ..Signals::default() };
    let v = engine.evaluate("https://console.aws.amazon.com/", &signals).unwrap();
    (v.environment.name, v.privilege.as_str().to_owned(), v.severity.as_str().to_owned())
}

#[test]
fn extend_switch_roles_targets_and_environments() {
    let imported = import(AESR, ImportSource::ExtendSwitchRoles);
    assert_eq!(imported.targets, 4, "{}", imported.text);
    assert!(parse_config(&format!("{SEED_TEXT}\n{}", imported.text)).is_ok(), "{}", imported.text);
    // The base profile's target_role_name and target_region reach the profile that names it.
    assert!(imported.text.contains("label = \"acme-prod-operator\"\naccount = \"111122223333\"\nrole = \"Operator\"\nregion = \"eu-west-2\"\ncolour = \"#B3261E\""), "{}", imported.text);
    // A role path is kept: the switch-role form takes path/name.
    assert!(imported.text.contains("role = \"platform/Operator\""), "{}", imported.text);
    assert_eq!(banner(&imported.text, "111122223333", "Admin"), ("prod".into(), "admin".into(), "danger".into()));
    assert_eq!(banner(&imported.text, "333344445555", "Operator"), ("dev".into(), "readonly".into(), "info".into()));
    assert_eq!(
        banner(&imported.text, "444455556666", "Admin"),
        ("dev".into(), "admin".into(), "info".into()),
        "sandbox is dev"
    );
}

#[test]
fn extend_switch_roles_reports_every_line() {
    let report = import(AESR, ImportSource::ExtendSwitchRoles).report;
    let expect: &[(usize, Outcome, &str)] = &[
        (10, Outcome::Converted, "colour #B3261E"),
        (16, Outcome::Converted, "colour #FF0000"),
        (21, Outcome::Ignored, "images are not shown"),
        (27, Outcome::Ignored, "'colour' is not a key of AWS Extend Switch Roles"),
        (29, Outcome::Ignored, "names no account and role"),
        // A line of a section that is not imported is not converted, whatever it says.
        (30, Outcome::Ignored, "'role_name' is left out with [broken], which is not imported"),
        (31, Outcome::Ignored, "'region' has no value"),
        (32, Outcome::Ignored, "'region' is left out with [broken], which is not imported"),
    ];
    for (line, outcome, message) in expect {
        let found = outcome_of(&report, *line);
        assert!(found.iter().any(|(o, m)| o == outcome && m.contains(message)), "line {line}: {found:?}");
    }
    for line in [3, 8, 9, 14, 15, 19, 26] {
        assert!(!outcome_of(&report, line).is_empty(), "line {line} has no report");
    }
}

#[test]
fn aws_cli_config_profiles_and_sso_sessions() {
    let imported = import(AWS_CONFIG, ImportSource::AwsCliConfig);
    assert_eq!(imported.targets, 3, "{}", imported.text);
    assert!(imported.text.contains("portal = \"https://d-1234567890.awsapps.com/start\""), "{}", imported.text);
    assert!(parse_config(&format!("{SEED_TEXT}\n{}", imported.text)).is_ok());
    assert_eq!(
        banner(&imported.text, "222233334444", "AWSReservedSSO_ReadOnlyAccess_0123456789abcdef"),
        ("staging".into(), "readonly".into(), "info".into())
    );
    assert_eq!(banner(&imported.text, "111122223333", "Operator"), ("prod".into(), "readonly".into(), "info".into()));
    assert_eq!(
        banner(&imported.text, "555566667777", "AWSReservedSSO_PowerUserAccess_0123456789abcdef"),
        ("ci".into(), "write".into(), "info".into())
    );
    let report = &imported.report;
    let expect: &[(usize, Outcome, &str)] = &[
        (2, Outcome::Ignored, "[default] has no role_arn"),
        (7, Outcome::Converted, "portal of sso-session 'acme'"),
        (8, Outcome::Ignored, "'sso_region' is not needed"),
        (20, Outcome::Ignored, "'mfa_serial' is not needed"),
        (28, Outcome::Ignored, "[profile identity] has no role_arn"),
    ];
    for (line, outcome, message) in expect {
        let found = outcome_of(report, *line);
        assert!(found.iter().any(|(o, m)| o == outcome && m.contains(message)), "line {line}: {found:?}");
    }
}

#[test]
fn two_environments_for_one_account_write_no_rule() {
    let text = "[acme-prod]\naws_account_id = 111122223333\nrole_name = Admin\n[acme-dev]\naws_account_id = 111122223333\nrole_name = Operator\n";
    let imported = import(text, ImportSource::ExtendSwitchRoles);
    assert_eq!(imported.targets, 2);
    assert!(!imported.text.contains("[[aws.accounts]]"), "{}", imported.text);
    assert!(imported.report.iter().any(|r| r.message.contains("profiles disagree ([acme-prod] says prod, [acme-dev] says dev)")));
}

#[test]
fn the_report_counts_each_outcome() {
    let refused =
        "[profile evil]\nsso_start_url = javascript:alert(1)\nsso_account_id = 111122223333\nsso_role_name = Admin\n";
    for (text, source) in [
        (AESR, ImportSource::ExtendSwitchRoles),
        (AWS_CONFIG, ImportSource::AwsCliConfig),
        (refused, ImportSource::AwsCliConfig),
    ] {
        let imported = import(text, source);
        let count = |outcome| imported.report.iter().filter(|r| r.outcome == outcome).count();
        let expect = Outcomes {
            converted: count(Outcome::Converted),
            ignored: count(Outcome::Ignored),
            refused: count(Outcome::Refused),
        };
        assert_eq!(imported.outcomes, expect, "{text}");
    }
    assert_eq!(import(refused, ImportSource::AwsCliConfig).outcomes.refused, 1);
}

#[test]
fn reports_come_in_line_order_though_made_section_by_section() {
    // Lines 2 and 5 are reported as the file is read, the others after it, profile by profile.
    let text = "[acme-prod]\njunk\naws_account_id = 111122223333\nrole_name = Admin\nmore junk\n";
    let report = import(text, ImportSource::ExtendSwitchRoles).report;
    let lines: Vec<(usize, &str)> = report.iter().map(|r| (r.line, r.message.as_str())).collect();
    assert_eq!(
        lines,
        [
            (1, "[acme-prod] → a switch target for account 111122223333"),
            (1, "environment prod for account 111122223333: the name 'acme-prod' has the token 'prod'"),
            (2, "'junk' is neither a [section] nor key = value"),
            (3, "aws_account_id → target [acme-prod]"),
            (4, "role_name → target [acme-prod]"),
            (5, "'more junk' is neither a [section] nor key = value"),
        ]
    );
}

#[test]
fn keys_in_any_case_and_base_profiles_anywhere_in_the_file() {
    // The base profile comes after the profile that names it; of two sections of one name the
    // first counts; `Role_Name` is `role_name`, so the second is a repeat.
    let text =
        "[team]\nsource_profile = acme-base\naws_account_id = 111122223333\nRole_Name = Admin\nrole_name = Operator\n\
                [acme-base]\naws_account_id = 999988887777\ntarget_region = eu-west-2\n\
                [acme-base]\naws_account_id = 999988887777\ntarget_region = us-east-1\n";
    let imported = import(text, ImportSource::ExtendSwitchRoles);
    assert!(
        imported
            .text
            .contains("label = \"team\"\naccount = \"111122223333\"\nrole = \"Admin\"\nregion = \"eu-west-2\""),
        "{}",
        imported.text
    );
    let found = outcome_of(&imported.report, 5);
    assert_eq!(found, [(Outcome::Ignored, "'role_name' is repeated in [team]; the first value is kept")]);
}

#[test]
fn a_text_over_the_limit_is_refused_whole_with_a_reason() {
    let text = format!(
        "[profile dev]\naws_account_id = 111122223333\nrole_name = Operator\n{}",
        " ".repeat(redline::MAX_TEXT_BYTES)
    );
    let imported = import(&text, ImportSource::ExtendSwitchRoles);
    assert_eq!((imported.targets, imported.text.as_str()), (0, ""));
    assert_eq!(imported.report.len(), 1);
    assert!(imported.report[0].message.contains("over the limit of 2097152 bytes"), "{:?}", imported.report);
    assert_eq!(imported.report[0].outcome, redline::Outcome::Refused);
}
