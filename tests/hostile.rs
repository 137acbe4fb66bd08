//! The hostile catalogue (tests/fixtures/hostile/config.json): texts built to trap, stall or
//! confuse the configuration reader. Each gets its message at its place, and the configuration in
//! force stays. The same rows run through the wasm in tests/wasm/hostile.test.mjs, where the stack
//! is small enough for a deep text to trap.

use redline::{parse_config, Engine, Level, Signals};
use serde::Deserialize;

#[derive(Deserialize)]
struct Table {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    reason: String,
    text: Option<String>,
    build: Option<Build>,
    expect: Expect,
}

#[derive(Deserialize)]
struct Build {
    prefix: String,
    repeat: String,
    times: usize,
    suffix: String,
}

#[derive(Deserialize)]
struct Expect {
    level: String,
    line: Option<usize>,
    message: Option<String>,
}

impl Case {
    fn text(&self) -> String {
        match (&self.text, &self.build) {
            (Some(text), _) => text.clone(),
            (None, Some(b)) => {
                let mut text = b.prefix.clone();
                for i in 0..b.times {
                    text.push_str(&b.repeat.replace("{i}", &i.to_string()));
                }
                text + &b.suffix
            }
            (None, None) => panic!("{}: neither text nor build", self.name),
        }
    }
}

fn cases() -> Vec<Case> {
    serde_json::from_str::<Table>(include_str!("fixtures/hostile/config.json")).expect("hostile/config.json").cases
}

#[test]
fn every_hostile_text_gets_its_message_and_nothing_in_force_is_lost() {
    let good = format!("{}\n[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\n", redline::SEED_TEXT);
    let signals = Signals::from_json(r#"{"awsSessionData":"{\"accountId\":\"111122223333\"}"}"#).unwrap();
    let mut failures = Vec::new();
    for case in cases() {
        let text = case.text();
        let result = parse_config(&text);
        let wrong = match (&result, case.expect.level.as_str()) {
            (Ok(_), "ok") => None,
            (Err(found), "error") => {
                let first = found.iter().find(|d| d.level == Level::Error).expect("an error");
                let line_ok = case.expect.line.is_none_or(|line| first.line == line);
                let message_ok = case.expect.message.as_deref().is_none_or(|m| first.message.contains(m));
                (!(line_ok && message_ok)).then(|| format!("got {first}"))
            }
            (Ok(_), _) => Some("accepted".to_owned()),
            (Err(found), _) => Some(format!("refused: {}", found[0])),
        };
        if let Some(wrong) = wrong {
            failures.push(format!("{} ({}): {wrong}", case.name, case.reason));
            continue;
        }
        // Put in force over a good configuration: a refused text leaves the good one.
        let mut engine = Engine::new();
        assert!(engine.configure(Some(&good), None, None).applied);
        let applied = engine.configure(Some(&text), None, None).applied;
        let verdict = engine.evaluate("https://console.aws.amazon.com/", &signals).expect("a console");
        if case.expect.level == "error" && (applied || verdict.environment.name != "prod") {
            failures.push(format!("{}: the configuration in force was lost", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_portal_name_with_any_character_is_learned_and_one_bad_lesson_spoils_no_other() {
    let portal = |host: &str, name: &str| {
        let links = serde_json::json!([{
            "href": format!("https://{host}.awsapps.com/start/#/console?account_id=111122223333&role_name=ReadOnlyAccess"),
            "text": format!("{name} #111122223333"),
        }]);
        let signals = Signals { aws_portal_links: Some(links.to_string()), ..Signals::default() };
        redline::read_portal(&format!("https://{host}.awsapps.com/start/#/"), &signals).unwrap().config_text()
    };
    let odd = portal("d-1", "Acme\u{7f} \"Prod\" \\ \u{1}");
    assert!(parse_config(&odd).is_ok(), "{odd}");
    let broken =
        "# Learned from the access portal https://d-2.awsapps.com/start (names and ids only).\n[[aws.accounts]\n";
    let mut engine = Engine::new();
    let result = engine.configure(None, None, Some(&format!("{odd}\n{broken}")));
    assert!(result.notices.iter().any(|n| n.contains("could not be read")), "{:?}", result.notices);
    assert_eq!(engine.config().targets.len(), 1, "the sound lesson is still learned");
}

#[test]
fn a_snapshot_restores_exactly_and_a_damaged_one_is_refused_whole() {
    let mut user = redline::SEED_TEXT.to_owned();
    for i in 0..500u64 {
        user.push_str(&format!(
            "\n[[aws.accounts]]\nid = \"{}\"\nenvironment = \"prod\"\n[[targets]]\nprovider = \"aws\"\naccount = \"{}\"\nrole = \"Operator\"\n",
            100_000_000_000 + i,
            100_000_000_000 + i
        ));
    }
    let managed = "[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\nlocked = true\n[danger]\nreminder_minutes = 5\n";
    let mut engine = Engine::new();
    assert!(engine.configure(Some(&user), Some(managed), None).applied);
    let bytes = engine.snapshot(Some(&user), Some(managed), None);
    let mut restarted = Engine::new();
    assert!(restarted.restore(&bytes, Some(&user), Some(managed), None));
    assert_eq!(restarted.config(), engine.config());
    assert_eq!(restarted.targets().len(), engine.targets().len());
    // Other texts, every truncation, and bytes flipped here and there: refused, nothing changed.
    let mut fresh = Engine::new();
    assert!(!fresh.restore(&bytes, Some(&user), None, None), "not the texts it was taken of");
    for cut in (0..bytes.len()).step_by(97) {
        assert!(!fresh.restore(&bytes[..cut], Some(&user), Some(managed), None), "cut at {cut}");
    }
    for at in (9..bytes.len()).step_by(101) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0xff;
        assert!(!fresh.restore(&damaged, Some(&user), Some(managed), None), "byte {at} flipped");
    }
    assert_eq!(Engine::new().config(), &redline::Config::seed());
}
