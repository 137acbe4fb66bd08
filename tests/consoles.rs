//! The console fixture tables, row by row: each URL + signals gives the expected verdict.

mod support;

use redline::{evaluate, Config, Provider, CONSOLE_HOSTS};
use support::fixtures::{cases, Case};

fn provider_name(provider: Provider) -> &'static str {
    match provider {
        Provider::Aws => "aws",
        Provider::Azure => "azure",
        Provider::Gcp => "gcp",
        Provider::Aiven => "aiven",
    }
}

fn check(case: &Case) -> Result<(), String> {
    let verdict = evaluate(&case.url, &case.signals(), &Config::seed());
    let (verdict, expect) = match (verdict, &case.expect) {
        (None, None) => return Ok(()),
        (Some(v), None) => return Err(format!("expected no console, got {}", v.label)),
        (None, Some(_)) => return Err("expected a console, got none".into()),
        (Some(v), Some(e)) => (v, e),
    };
    let json = serde_json::to_value(&verdict).unwrap();
    let field = |path: &str| json.pointer(path).and_then(|v| v.as_str()).map(str::to_owned);
    let mut wrong = Vec::new();
    let mut compare = |what: &str, got: Option<String>, want: Option<&str>| {
        if got.as_deref() != want {
            wrong.push(format!("{what}: got {got:?}, want {want:?}"));
        }
    };
    compare("provider", field("/provider"), Some(&expect.provider));
    compare("environment", field("/environment/kind"), Some(&expect.environment));
    compare("privilege", field("/privilege"), Some(&expect.privilege));
    compare("severity", field("/severity"), Some(&expect.severity));
    compare("account", field("/account/id"), expect.account.as_deref());
    compare("role", field("/principal/role"), expect.role.as_deref());
    if expect.region.is_some() {
        compare("region", field("/region"), expect.region.as_deref());
    }
    if expect.partition.is_some() {
        compare("partition", field("/partition"), expect.partition.as_deref());
    }
    if verdict.conflict != expect.conflict {
        wrong.push(format!("conflict: got {}, want {}", verdict.conflict, expect.conflict));
    }
    for text in &expect.text {
        if !verdict.label.contains(text.as_str()) {
            wrong.push(format!("label {:?} lacks {text:?}", verdict.label));
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n  reasons: {:?}", wrong.join("\n  "), verdict.reasons))
    }
}

#[test]
fn every_fixture_gives_its_expected_verdict() {
    let failures: Vec<String> = cases()
        .iter()
        .filter_map(|case| check(case).err().map(|e| format!("{} ({}):\n  {e}", case.name, case.reason)))
        .collect();
    assert!(failures.is_empty(), "{} fixture(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// Each fixture URL is matched by the hosts of its own provider and by no other provider's.
#[test]
fn every_fixture_url_matches_its_own_provider_only() {
    let providers = [Provider::Aws, Provider::Azure, Provider::Gcp, Provider::Aiven];
    for case in cases() {
        let own = case.expect.as_ref().map(|e| e.provider.as_str());
        for provider in providers {
            let matched = CONSOLE_HOSTS.iter().filter(|h| h.provider == provider).any(|h| h.matches_url(&case.url));
            let name = provider_name(provider);
            assert_eq!(matched, own == Some(name), "{}: {} for provider {name}", case.name, case.url);
        }
    }
}

#[test]
fn every_fixture_has_a_reason_and_a_unique_name() {
    let cases = cases();
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "duplicate fixture names");
    assert!(cases.iter().all(|c| c.reason.len() > 10), "every fixture says why it exists");
}
