//! Role names mean different things per provider, and names reveal environments by whole tokens.

use redline::{
    environment_from_names, evaluate, privilege_from_role_name, Config, EnvironmentKind, NameEvidence, Privilege, Rule,
    Scope, Severity, Signals,
};

/// (provider console URL, the role configured for what that URL opens, expected privilege, why)
const ROLE_SEMANTICS: &[(&str, &str, Privilege, &str)] = &[
    ("https://console.aiven.io/project/prod/services", "Operator", Privilege::Write, "Aiven Operator has full access to services"),
    ("https://console.aiven.io/project/prod/services", "Read-only", Privilege::Readonly, "Aiven's read-only role"),
    ("https://console.aiven.io/project/prod/services", "Admin", Privilege::Admin, "general admin token"),
    ("https://console.aiven.io/project/prod/services", "Developer", Privilege::Write, "Aiven Developer manages services"),
    ("https://console.cloud.google.com/home?project=govuk-paas", "roles/viewer", Privilege::Readonly, "GCP basic viewer"),
    ("https://console.cloud.google.com/home?project=govuk-paas", "roles/editor", Privilege::Write, "GCP basic editor"),
    ("https://console.cloud.google.com/home?project=govuk-paas", "roles/owner", Privilege::Admin, "GCP basic owner"),
    ("https://console.cloud.google.com/home?project=govuk-paas", "roles/browser", Privilege::Readonly, "GCP browser"),
    ("https://portal.azure.com/#@t.example/resource/subscriptions/0b1f6471-1bf0-4dda-aec3-111111111111/resourceGroups/rg-prod", "Reader", Privilege::Readonly, "Azure Reader"),
    ("https://portal.azure.com/#@t.example/resource/subscriptions/0b1f6471-1bf0-4dda-aec3-111111111111/resourceGroups/rg-prod", "Contributor", Privilege::Write, "Azure Contributor"),
    ("https://portal.azure.com/#@t.example/resource/subscriptions/0b1f6471-1bf0-4dda-aec3-111111111111/resourceGroups/rg-prod", "Owner", Privilege::Admin, "Azure Owner"),
    ("https://portal.azure.com/#@t.example/resource/subscriptions/0b1f6471-1bf0-4dda-aec3-111111111111/resourceGroups/rg-prod", "User Access Administrator", Privilege::Admin, "general administrator token"),
    ("https://portal.azure.com/#@t.example/resource/subscriptions/0b1f6471-1bf0-4dda-aec3-111111111111/resourceGroups/rg-prod", "Operator", Privilege::Unknown, "Operator means nothing general outside AWS's seed rule and Aiven"),
];

fn config_with_role(role: &str) -> Config {
    let mut config = Config::seed();
    let rule = |name: &str, id: Option<&str>| Rule {
        id: id.map(str::to_owned),
        name: Some(name.to_owned()),
        environment: Some("prod".to_owned()),
        role: Some(role.to_owned()),
        ..Rule::default()
    };
    config.rules_mut(Scope::AivenProject).push(rule("prod", None));
    config.rules_mut(Scope::GcpProject).insert(0, rule("unused", Some("govuk-paas")));
    config.rules_mut(Scope::AzureResourceGroup).push(rule("rg-prod", None));
    config
}

#[test]
fn configured_roles_mean_what_their_provider_says() {
    for (url, role, expected, why) in ROLE_SEMANTICS {
        let verdict = evaluate(url, &Signals::default(), &config_with_role(role)).expect(url);
        assert_eq!(verdict.privilege, *expected, "{role} at {url}: {why}\n{:?}", verdict.reasons);
        assert_eq!(verdict.environment.kind, EnvironmentKind::Prod, "{url}");
        let severity = Severity::of(EnvironmentKind::Prod, *expected);
        assert_eq!(verdict.severity, severity, "{role} at {url}");
    }
}

#[test]
fn the_same_role_name_differs_between_aws_and_aiven() {
    let aws_signals = Signals {
        aws_session_data: Some(
            r#"{"accountId":"111122223333","accountAlias":"x-prod","sessionARN":"arn:aws:sts::111122223333:assumed-role/Operator/j"}"#
                .to_owned(),
        ),
        ..Signals::default()
    };
    let aws = evaluate("https://console.aws.amazon.com/", &aws_signals, &Config::seed()).unwrap();
    let aiven = evaluate("https://console.aiven.io/project/prod", &Signals::default(), &config_with_role("Operator"));
    assert_eq!(aws.privilege, Privilege::Readonly);
    assert_eq!(aiven.unwrap().privilege, Privilege::Write);
}

/// (name, environment kind it reveals, why)
const ENVIRONMENT_NAMES: &[(&str, Option<EnvironmentKind>, &str)] = &[
    ("acme-prod", Some(EnvironmentKind::Prod), "token prod"),
    ("AcmeProduction", Some(EnvironmentKind::Prod), "case change"),
    ("acme_prd_01", Some(EnvironmentKind::Prod), "prd"),
    ("live-payments", Some(EnvironmentKind::Prod), "live"),
    ("product-analytics", None, "product is not prod"),
    ("prodigy", None, "a word starting with prod"),
    ("acme-pre-prod", Some(EnvironmentKind::Staging), "pre-prod spells preprod, not prod"),
    ("acme-preprod", Some(EnvironmentKind::Staging), "preprod"),
    ("Staging London", Some(EnvironmentKind::Staging), "staging"),
    ("stg-eu", Some(EnvironmentKind::Staging), "stg"),
    ("acme-stage", Some(EnvironmentKind::Staging), "stage"),
    ("acme-ci", Some(EnvironmentKind::Ci), "ci"),
    ("circle", None, "ci inside a word"),
    ("paas-development-210707", Some(EnvironmentKind::Dev), "development"),
    ("sandbox-7", Some(EnvironmentKind::Dev), "sandbox"),
    ("devops-tools", None, "devops is not dev"),
    ("prod-to-dev-copy", None, "two kinds disagree: unknown, never a guess"),
    ("acme-non-prod", None, "non-prod says what it is not"),
    ("acme-nonprod", None, "nonprod says what it is not"),
    ("acme-pre-production", Some(EnvironmentKind::Staging), "pre-production spells preproduction"),
    ("NonProduction", None, "non-production says what it is not"),
    ("", None, "empty"),
];

#[test]
fn environment_names_by_whole_tokens() {
    for (name, expected, why) in ENVIRONMENT_NAMES {
        let found = match environment_from_names(&[name]) {
            NameEvidence::Kind { kind, .. } => Some(kind).filter(|k| *k != EnvironmentKind::Unknown),
            NameEvidence::Conflict(_) | NameEvidence::Nothing => None,
        };
        assert_eq!(found, *expected, "{name:?}: {why}");
    }
}

/// (role name, privilege it reveals, why)
const ROLE_NAMES: &[(&str, Option<Privilege>, &str)] = &[
    ("Admin", Some(Privilege::Admin), "admin"),
    ("OrganizationAccountAccessRole", None, "no keyword"),
    ("AdministratorAccess", Some(Privilege::Admin), "AWS managed policy name"),
    ("platform-administrator", Some(Privilege::Admin), "administrator"),
    ("AmazonS3FullAccess", Some(Privilege::Admin), "FullAccess"),
    ("ReadOnlyAccess", Some(Privilege::Readonly), "ReadOnlyAccess"),
    ("ADFS-READONLY", Some(Privilege::Readonly), "READONLY in capitals"),
    ("read_only", Some(Privilege::Readonly), "read_only"),
    ("ViewOnlyAccess", Some(Privilege::Readonly), "ViewOnlyAccess"),
    ("SecurityAudit", Some(Privilege::Readonly), "Audit"),
    ("PowerUserAccess", Some(Privilege::Write), "PowerUser"),
    ("Developer", Some(Privilege::Write), "Developer"),
    ("Administrative", None, "a word starting with admin"),
    ("ReadOnlyAdmin", None, "readonly and admin disagree: unknown"),
    ("Operator", None, "Operator has no general meaning; the seed config names it for AWS"),
];

#[test]
fn role_names_by_whole_tokens() {
    for (role, expected, why) in ROLE_NAMES {
        assert_eq!(privilege_from_role_name(role).map(|(p, _)| p), *expected, "{role:?}: {why}");
    }
}
