//! A restarted worker restores its compiled configuration and reads the targets and the parts only
//! when first needed (`Engine::restore`): every console fixture gets the same verdict from it as
//! from the engine that was configured, danger verdicts (which read the targets) included.

// The rows' expectations are checked in consoles.rs; here only their URLs and signals are used.
#[allow(dead_code)]
mod support;

use redline::{Engine, Signals, SEED_TEXT};
use support::fixtures::cases;

const EC2: &str = "https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2#Instances:";

/// The seed, a read-only target with an access portal (the danger strip's way back through it),
/// and rules that name the fixtures' accounts.
fn user_text() -> String {
    let mut text = format!(
        "{SEED_TEXT}\n[[targets]]\nprovider = \"aws\"\naccount = \"111122223333\"\nrole = \"ReadOnlyAccess\"\nportal = \"https://d-1234567890.awsapps.com/start\"\n"
    );
    for i in 0..200u64 {
        text.push_str(&format!(
            "\n[[aws.accounts]]\nid = \"{}\"\nenvironment = \"{}\"\n[[targets]]\nprovider = \"aws\"\naccount = \"{}\"\nrole = \"Operator\"\n",
            100_000_000_000 + i,
            ["dev", "ci", "staging", "prod"][i as usize % 4],
            100_000_000_000 + i
        ));
    }
    text
}

const MANAGED: &str =
    "[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\nlocked = true\n[danger]\nreminder_minutes = 5\n";

fn identity_center_admin() -> Signals {
    let data = r#"{"accountId":"111122223333","accountAlias":"acme-prod","sessionARN":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane"}"#;
    Signals { aws_session_data: Some(data.into()), ..Signals::default() }
}

#[test]
fn a_restored_engine_answers_every_fixture_as_the_configured_one() {
    let user = user_text();
    for managed in [None, Some(MANAGED)] {
        let mut configured = Engine::new();
        assert!(configured.configure(Some(&user), managed, None).applied);
        let bytes = configured.snapshot(Some(&user), managed, None);
        let mut restored = Engine::new();
        assert!(restored.restore(&bytes, Some(&user), managed, None));
        for case in cases() {
            let signals = case.signals();
            assert_eq!(
                restored.evaluate(&case.url, &signals),
                configured.evaluate(&case.url, &signals),
                "{} (organisation's text: {})",
                case.name,
                managed.is_some()
            );
        }
        // The first verdict that needs the targets reads them: the way back to read-only goes
        // through the access portal of the configured read-only target.
        let mut fresh = Engine::new();
        assert!(fresh.restore(&bytes, Some(&user), managed, None));
        let verdict = fresh.evaluate(EC2, &identity_center_admin()).expect("a console");
        let switch = verdict.danger.expect("admin in prod").readonly_switch.expect("a read-only target with a portal");
        assert!(switch.url.starts_with("https://d-1234567890.awsapps.com/start/#/console?"), "{}", switch.url);
        assert_eq!(fresh.evaluate(EC2, &identity_center_admin()), configured.evaluate(EC2, &identity_center_admin()));
    }
}

#[test]
fn a_restored_engine_lists_snapshots_and_reconfigures_as_the_configured_one() {
    let user = user_text();
    let mut configured = Engine::new();
    configured.configure(Some(&user), Some(MANAGED), None);
    let bytes = configured.snapshot(Some(&user), Some(MANAGED), None);

    let mut restored = Engine::new();
    assert!(restored.restore(&bytes, Some(&user), Some(MANAGED), None));
    assert_eq!(restored.targets(), configured.targets());
    assert_eq!(restored.config(), configured.config());
    assert_eq!(restored.snapshot(Some(&user), Some(MANAGED), None), bytes, "the same bytes again");

    // A broken user text keeps the user's part read from the snapshot, as it keeps a configured one.
    let mut restored = Engine::new();
    assert!(restored.restore(&bytes, Some(&user), Some(MANAGED), None));
    let broken = "[[aws.accounts]\n";
    assert_eq!(
        restored.configure(Some(broken), Some(MANAGED), None),
        configured.clone().configure(Some(broken), Some(MANAGED), None)
    );
    let mut reconfigured = configured.clone();
    reconfigured.configure(Some(broken), Some(MANAGED), None);
    assert_eq!(restored.config(), reconfigured.config());
    assert_eq!(restored.targets(), reconfigured.targets());
}
