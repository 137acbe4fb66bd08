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
    assert!(imported
        .report
        .iter()
        .any(|r| r.message.contains("profiles disagree ([acme-prod] says prod, [acme-dev] says dev)")));
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

/// Each real-world form of `~/.aws/config` gives the targets its row expects, or is refused whole
/// (tests/import_botocore.rs checks that botocore reads each row the same way).
#[test]
fn aws_config_forms_import_as_their_rows_expect() {
    let table: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/import/aws-config-forms.json")).expect("the forms table");
    for case in table["cases"].as_array().expect("cases") {
        let (name, text, expect) = (case["name"].as_str().unwrap(), case["text"].as_str().unwrap(), &case["expect"]);
        assert!(case["reason"].as_str().is_some_and(|r| !r.is_empty()), "{name} has no reason");
        let imported = import(text, ImportSource::AwsCliConfig);
        let refused = imported.report.iter().any(|r| r.message.starts_with("the AWS CLI cannot read this file"));
        if expect["refused"] == true {
            assert!(refused && imported.text.is_empty(), "{name}: {:#?}", imported.report);
            continue;
        }
        assert!(!refused, "{name}: {:#?}", imported.report);
        let config = parse_config(&imported.text).unwrap_or_else(|e| panic!("{name}: {e:?}\n{}", imported.text)).config;
        let mut found: Vec<[Option<String>; 5]> =
            config.targets.into_iter().map(|t| [t.label, t.account, t.role, t.region, t.portal]).collect();
        let mut wanted: Vec<[Option<String>; 5]> = expect["targets"]
            .as_array()
            .expect("targets")
            .iter()
            .map(|t| std::array::from_fn(|i| t[i].as_str().map(str::to_owned)))
            .collect();
        found.sort();
        wanted.sort();
        assert_eq!(found, wanted, "{name}: {}", case["reason"]);
    }
}

/// A line the importer cannot place is reported against no profile: the issue's example, where
/// a header with a trailing comment used to be junk and its keys were booked against the profile
/// before it.
#[test]
fn a_header_with_a_trailing_comment_owns_its_keys() {
    let text = "[profile gov]\nrole_arn = arn:aws-us-gov:iam::222233334444:role/Operator\n\
                [profile with-comment] ; trailing comment\nrole_arn = arn:aws:iam::111122223333:role/Admin\n";
    let report = import(text, ImportSource::AwsCliConfig).report;
    assert!(report.iter().all(|r| !r.message.contains("repeated")), "{report:#?}");
    assert_eq!(
        outcome_of(&report, 3),
        [(Outcome::Converted, "[profile with-comment] → a switch target for account 111122223333")]
    );
    assert_eq!(outcome_of(&report, 4), [(Outcome::Converted, "role_arn → target [profile with-comment]")]);
}

#[test]
fn a_file_the_aws_cli_refuses_is_refused_whole_line_by_line() {
    let text = "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/Admin\njunk\nROLE_ARN = x\n[profile a]\n";
    let imported = import(text, ImportSource::AwsCliConfig);
    assert_eq!((imported.targets, imported.text.as_str()), (0, ""));
    let refused: Vec<(usize, &str)> = imported
        .report
        .iter()
        .filter(|r| r.outcome == Outcome::Refused)
        .map(|r| (r.line, r.message.as_str()))
        .collect();
    assert_eq!(
        refused,
        [
            (1, "the AWS CLI cannot read this file (the lines marked say why), so nothing was imported: correct it and import again"),
            (3, "'junk' is neither a [section] nor key = value; the AWS CLI refuses a file with such a line"),
            (4, "'role_arn' is repeated in [profile a] (first on line 2); the AWS CLI refuses a repeated key"),
            (5, "[profile a] is repeated (first on line 1); the AWS CLI refuses a repeated section"),
        ]
    );
}

#[test]
fn source_profile_loops_and_missing_sources_are_reported_and_end() {
    let mut text = String::new();
    // A chain of 2,000 profiles that ends in a loop: walked once, not once per profile.
    for i in 0..2_000 {
        let next = if i == 1_999 { 1_990 } else { i + 1 };
        text.push_str(&format!(
            "[profile p{i}]\nrole_arn = arn:aws:iam::111122223333:role/R{i}\nsource_profile = p{next}\n"
        ));
    }
    text.push_str("[profile lost]\nrole_arn = arn:aws:iam::111122223333:role/Lost\nsource_profile = nowhere\n");
    let imported = import(&text, ImportSource::AwsCliConfig);
    assert_eq!(imported.targets, 2_001);
    let line_of = |profile: usize| profile * 3 + 3;
    let looped = outcome_of(&imported.report, line_of(0));
    assert!(
        looped.iter().any(|(o, m)| *o == Outcome::Ignored
            && m.starts_with("source_profile goes round in a loop (p1990 → p1991 → p1992 → p1993 → … → p1990)")),
        "{looped:?}"
    );
    let lost = outcome_of(&imported.report, line_of(2_000));
    assert_eq!(
        lost,
        [(
            Outcome::Ignored,
            "source_profile 'nowhere' is not a profile in this file; the console switch needs only the role"
        )]
    );
}

/// AWS Extend Switch Roles' documented rules, what it rejects among them, and what redline makes
/// of each form: the targets and the report lines each row names.
#[test]
fn extend_switch_roles_rules_give_the_outcomes_their_rows_name() {
    let table: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/import/extend-switch-roles-rules.json")).expect("the rules table");
    for case in table["cases"].as_array().expect("cases") {
        let (name, text) = (case["name"].as_str().unwrap(), case["text"].as_str().unwrap());
        assert!(matches!(case["extend_switch_roles"].as_str(), Some("accepts" | "rejects")), "{name}");
        let imported = import(text, ImportSource::ExtendSwitchRoles);
        let config = parse_config(&imported.text).unwrap_or_else(|e| panic!("{name}: {e:?}")).config;
        let found: Vec<[Option<String>; 5]> =
            config.targets.into_iter().map(|t| [t.label, t.account, t.role, t.region, t.colour]).collect();
        let wanted: Vec<[Option<String>; 5]> = case["targets"]
            .as_array()
            .expect("targets")
            .iter()
            .map(|t| std::array::from_fn(|i| t[i].as_str().map(str::to_owned)))
            .collect();
        assert_eq!(found, wanted, "{name}: {}", case["rule"]);
        for line in case["report"].as_array().expect("report") {
            let (at, outcome, words) =
                (line[0].as_u64().unwrap() as usize, line[1].as_str().unwrap(), line[2].as_str().unwrap());
            let reports = outcome_of(&imported.report, at);
            assert!(
                reports.iter().any(|(o, m)| serde_json::to_value(o).unwrap() == outcome && m.contains(words)),
                "{name}, line {at}: {reports:?}"
            );
        }
    }
}
