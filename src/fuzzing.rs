//! Fuzzing support, behind the `fuzzing` feature (release and wasm builds never enable it).
//!
//! One place for what the fuzz targets (`fuzz/fuzz_targets/*.rs`) and the crash replays
//! (`tests/fuzz_regressions.rs`) share: how each target reads its bytes, and the properties it
//! checks. A target's file under `fuzz/` is one line, [`fuzz`]; a replay is [`check`] on the same
//! bytes, so a crash file reproduces exactly.
//!
//! Properties, beyond "no panic":
//! - **trust**: no input makes a verdict quieter than the same input with the sources anyone may
//!   set removed ([`strip_low_trust`]): severity, environment and privilege loudness of the full
//!   verdict are each at least those of the stripped one ([`trust`]);
//! - **imports and learned text parse**: what `import` and `Portal::config_text` write is accepted
//!   by `parse_config` on its own;
//! - **plans stay home**: every URL a switch plan (or a verdict's "Drop to read-only") opens or
//!   posts to, and every AWS page it asks the sign-in service to return to, is on the provider's
//!   own hosts ([`plan`]). Hosts are read by [`browser_host`], an oracle written from the WHATWG
//!   URL rules rather than with redline's own URL splitting;
//! - **URL checks agree with the browser**: `detect`, `is_switch_destination`,
//!   `check_portal_url` and `portal_of_page` accept only URLs whose host, as a browser reads it,
//!   is the kind of host they promise;
//! - **configuration outcomes are consistent**: an error list has an error, lines are in the
//!   text, `Engine::configure` applies exactly the texts `parse_config` accepts.
//!
//! Known open defects (each has a crash file under `tests/fixtures/hostile/fuzz/<target>/open/`)
//! are classified by [`Failure::known`]: the fuzz targets go on past them so that fuzzing can find
//! other problems, and the replay test checks that they still fail until they are fixed.

use std::fmt;
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};

use crate::text::address::percent_decode;
use crate::text::portal_url::{check_portal_url, portal_of_page};
use crate::{
    detect, evaluate, import, is_switch_destination, parse_config, plan_switch, read_portal, Config, Engine,
    EnvironmentKind, ImportSource, Level, Partition, Plan, Privilege, Provider, Signals, SwitchFrom, Target, Verdict,
    SEED_TEXT,
};

/// Every fuzz target, by the name of its file in `fuzz/fuzz_targets/` and its corpus directory.
pub const TARGETS: &[&str] = &[
    "config",
    "configure",
    "import_esr",
    "import_cli",
    "signals_json",
    "aws_signals",
    "detect",
    "evaluate",
    "portal",
    "plan",
];

/// A property that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Which property.
    pub property: &'static str,
    /// What was seen.
    pub detail: String,
    /// Set when this is a known open defect (see the module docs): its short name.
    pub known: Option<&'static str>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "property '{}' does not hold: {}", self.property, self.detail)?;
        if let Some(known) = self.known {
            write!(f, " (known open defect: {known})")?;
        }
        Ok(())
    }
}

fn fail(property: &'static str, detail: String) -> Failure {
    Failure { property, detail, known: None }
}

type Checked = Result<(), Failure>;

/// What a fuzz target runs: the check of `target` on `data`. It panics on every failure but a
/// known open defect, so that fuzzing goes on past those; with `REDLINE_FUZZ_STRICT=1` in the
/// environment it panics on those too.
pub fn fuzz(target: &str, data: &[u8]) {
    static STRICT: OnceLock<bool> = OnceLock::new();
    if let Err(failure) = check(target, data) {
        if failure.known.is_none() || *STRICT.get_or_init(|| std::env::var_os("REDLINE_FUZZ_STRICT").is_some()) {
            panic!("{failure}\ninput: {}", describe(target, data));
        }
    }
}

/// Runs the properties of `target` on `data`, read as its fuzz target reads it.
pub fn check(target: &str, data: &[u8]) -> Checked {
    match target {
        "config" => config(&String::from_utf8_lossy(data)),
        "configure" => configure(&ConfigureInput::read(data)),
        "import_esr" => imported(&String::from_utf8_lossy(data), ImportSource::ExtendSwitchRoles),
        "import_cli" => imported(&String::from_utf8_lossy(data), ImportSource::AwsCliConfig),
        "signals_json" => signals_json(&String::from_utf8_lossy(data)),
        "aws_signals" => {
            let (url, signals) = aws_signals_input(data);
            aws_signals(&url, &signals)
        }
        "detect" => urls(&String::from_utf8_lossy(data)),
        "evaluate" => structured(data, |input: EvaluateInput| input.check()),
        "portal" => structured(data, |input: PortalInput| input.check()),
        "plan" => structured(data, |input: PlanInput| input.check()),
        other => panic!("no fuzz target '{other}', expected one of {}", TARGETS.join(", ")),
    }
}

/// The input of `target` as the target reads it, for people: the text, or the decoded structure
/// and what it renders to.
pub fn describe(target: &str, data: &[u8]) -> String {
    fn decoded<'a, T: Arbitrary<'a> + fmt::Debug>(data: &'a [u8], show: impl Fn(&T) -> String) -> String {
        match T::arbitrary_take_rest(Unstructured::new(data)) {
            Ok(input) => format!("{input:#?}\n{}", show(&input)),
            Err(e) => format!("not decodable ({e}): the target skips it"),
        }
    }
    match target {
        "configure" => format!("{:#?}", ConfigureInput::read(data)),
        "aws_signals" => format!("{:#?}", aws_signals_input(data)),
        "evaluate" => decoded(data, |input: &EvaluateInput| {
            let (url, signals, texts) = input.render();
            format!("url: {url:?}\nsignals: {signals:#?}\nconfiguration: {texts:#?}")
        }),
        "portal" => decoded(data, |input: &PortalInput| {
            let (url, links) = input.render();
            format!("url: {url:?}\nlinks: {links:?}")
        }),
        "plan" => decoded(data, |input: &PlanInput| {
            let (text, url, signals, csrf) = input.render();
            format!("configuration:\n{text}\nfrom: {url:?}\nsignals: {signals:#?}\ncsrf: {csrf:?}")
        }),
        _ => format!("{:?}", String::from_utf8_lossy(data)),
    }
}

fn structured<'a, T: Arbitrary<'a>>(data: &'a [u8], run: impl FnOnce(T) -> Checked) -> Checked {
    match T::arbitrary_take_rest(Unstructured::new(data)) {
        Ok(input) => run(input),
        // libfuzzer-sys skips an input it cannot decode in the same way.
        Err(_) => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// The trust property.

/// `signals` without what anyone may set (the Trust table's "may raise only" rows that a page
/// carries): the account menu button's text and title, the legacy navbar's switched-role display
/// names, the Google Cloud project's display name, and the `displayName` of the
/// `awsc-session-data` meta tag (dropped from its JSON object; a text that is not a JSON object
/// is left as it is).
pub fn strip_low_trust(signals: &Signals) -> Signals {
    let mut stripped = Signals {
        aws_nav_user: None,
        aws_nav_user_title: None,
        aws_legacy_role_account: None,
        aws_legacy_role_user: None,
        gcp_project_name: None,
        ..signals.clone()
    };
    if let Some(text) = &signals.aws_session_data {
        if let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_str::<serde_json::Value>(text) {
            fields.remove("displayName");
            stripped.aws_session_data = Some(serde_json::Value::Object(fields).to_string());
        }
    }
    stripped
}

/// How loud an environment is: dev < ci < unknown < staging < prod (the deciders' own order).
pub fn environment_loudness(kind: EnvironmentKind) -> u8 {
    crate::console::environment::loudness(kind)
}

/// How loud a privilege is: readonly < write < unknown < admin (the deciders' own order).
pub fn privilege_loudness(privilege: Privilege) -> u8 {
    crate::console::privilege::loudness(privilege)
}

/// The trust property on one tab, and the URL properties of its verdict.
pub fn trust(url: &str, signals: &Signals, config: &Config) -> Checked {
    let full = evaluate(url, signals, config);
    let stripped = evaluate(url, &strip_low_trust(signals), config);
    let (full, stripped) = match (full, stripped) {
        (Some(full), Some(stripped)) => (full, stripped),
        (None, None) => return Ok(()),
        (full, _) => return Err(fail("trust", format!("a console only with the page's names? {}", full.is_some()))),
    };
    let quieter = [
        ("severity", full.severity < stripped.severity),
        ("environment", environment_loudness(full.environment.kind) < environment_loudness(stripped.environment.kind)),
        ("privilege", privilege_loudness(full.privilege) < privilege_loudness(stripped.privilege)),
    ];
    if let Some((what, _)) = quieter.iter().find(|(_, quieter)| *quieter) {
        // Known open defect: a switched role's display names (which anyone may set) say the legacy
        // login names describe the identity from before the switch, so those stop deciding, and
        // what their account's rules decided (staging, say, or a configured Admin role) is then
        // unknown, which only prod or admin may raise. Removing the display names is not "the same
        // input without them" here: it makes the login names the identity in force.
        let demoted = (signals.aws_legacy_role_user.is_some() || signals.aws_legacy_role_account.is_some())
            && (signals.aws_legacy_login_user.is_some() || signals.aws_legacy_login_account.is_some());
        return Err(Failure {
            property: "trust",
            known: demoted.then_some("switched-role display names demote the legacy login names"),
            detail: format!(
                "the {what} is quieter with the low-trust sources than without them\nurl: {url:?}\nsignals: {signals:#?}\n\
                 full: {}\nstripped: {}",
                summary(&full),
                summary(&stripped)
            ),
        });
    }
    verdict_urls(&full)?;
    verdict_urls(&stripped)
}

/// One line for a verdict: severity, environment, privilege, and the reasons.
pub fn summary(verdict: &Verdict) -> String {
    format!(
        "{} / {} ({}) / {} / {:?}\n  reasons: {:#?}",
        verdict.severity.as_str(),
        verdict.environment.kind.as_str(),
        verdict.environment.name,
        verdict.privilege.as_str(),
        verdict.label,
        verdict.reasons
    )
}

/// "Drop to read-only" opens a switch: on the AWS sign-in host or an access portal only.
fn verdict_urls(verdict: &Verdict) -> Checked {
    let Some(switch) = verdict.danger.as_ref().and_then(|d| d.readonly_switch.as_ref()) else { return Ok(()) };
    aws_open(&switch.url).map_err(|why| fail("read-only switch stays home", format!("{why}: {:?}", switch.url)))
}

// ---------------------------------------------------------------------------------------------
// URLs as a browser reads them.

/// The host a browser opens for `url`, lower-case, when it can be told with certainty: after the
/// WHATWG URL parser's clean-up (leading and trailing C0 controls and spaces dropped, tabs and
/// newlines removed anywhere), the URL must be `https://` (any case), then a host of ASCII letters,
/// digits, `-` and `.` only, then the end or `/`, `?` or `#`. Anything else (user-info, a port, a
/// backslash, percent-encoded or non-ASCII hosts, extra slashes) is `None`: no plan needs it, and
/// the browser's reading of it is not this simple. A trailing dot is dropped (the same DNS name).
pub fn browser_host(url: &str) -> Option<String> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let cleaned: String = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let (scheme, rest) = cleaned.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')).unwrap_or(rest.len());
    let (host, after) = rest.split_at(end);
    if host.is_empty() || !(after.is_empty() || after.starts_with(['/', '?', '#'])) {
        return None;
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The console provider whose content-script hosts `host` is one of.
fn console_of_host(host: &str) -> Option<Provider> {
    detect(&format!("https://{host}/")).map(|location| location.provider)
}

/// Domains AWS owns: the access portal may be on any of them.
const AWS_DOMAINS: &[&str] =
    &["awsapps.com", "aws", "amazonaws.com", "amazonaws-us-gov.com", "amazonaws.cn", "amazonaws-eusc.eu"];

fn on_aws_domain(host: &str) -> bool {
    AWS_DOMAINS.iter().any(|domain| {
        host == *domain || host.strip_suffix(domain).is_some_and(|rest| rest.len() > 1 && rest.ends_with('.'))
    })
}

/// An AWS page the sign-in service or a portal is asked to return to: an AWS console page.
fn aws_destination(url: &str) -> Result<(), String> {
    match browser_host(url) {
        Some(host) if console_of_host(&host) == Some(Provider::Aws) => Ok(()),
        Some(host) => Err(format!("returns to {host}, not an AWS console")),
        None => Err(format!("returns to {url:?}, whose host a browser may read otherwise")),
    }
}

/// The last query or fragment parameter `name` of `url`, decoded once: the one a plan appends (a
/// configured portal URL may carry a query of its own before it).
fn parameter(url: &str, name: &str) -> Option<String> {
    url.rsplit(['?', '&', '#']).find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=')).map(percent_decode)
}

/// An AWS page a plan opens: the sign-in host's prefilled switch-role page, or an access portal
/// accepted by `check_portal_url` on an AWS domain; either way returning to an AWS console.
fn aws_open(url: &str) -> Result<(), String> {
    let host = browser_host(url).ok_or_else(|| "a host a browser may read otherwise".to_owned())?;
    if Partition::of_sign_in_host(&host).is_some() {
        let back = parameter(url, "redirect_uri").ok_or("no redirect_uri")?;
        return aws_destination(&back);
    }
    if on_aws_domain(&host) && check_portal_url(url).is_ok() {
        let back = parameter(url, "destination").ok_or("no destination")?;
        return aws_destination(&back);
    }
    Err(format!("opens {host}, neither an AWS sign-in host nor an access portal"))
}

/// A URL a plan posts to: an AWS sign-in host.
fn aws_sign_in(url: &str) -> Result<(), String> {
    match browser_host(url) {
        Some(host) if Partition::of_sign_in_host(&host).is_some() => Ok(()),
        Some(host) => Err(format!("posts to {host}, not an AWS sign-in host")),
        None => Err("posts to a host a browser may read otherwise".to_owned()),
    }
}

/// The "plans stay home" property for one plan to `target`.
pub fn plan(target: &Target, plan: &Plan) -> Checked {
    let checked = match (target.provider, plan) {
        (Provider::Aws, Plan::PostForm { url, fields }) => aws_sign_in(url).and_then(|()| {
            let back = fields.iter().find(|(k, _)| k == "redirect_uri").ok_or("no redirect_uri")?;
            aws_destination(&percent_decode(&back.1))
        }),
        (Provider::Aws, Plan::PostJson { url, body }) => aws_sign_in(url).and_then(|()| {
            let body: serde_json::Value = serde_json::from_str(body).map_err(|e| format!("body: {e}"))?;
            aws_destination(body.get("redirectUri").and_then(|v| v.as_str()).ok_or("no redirectUri")?)
        }),
        (Provider::Aws, Plan::Open { url, .. }) => aws_open(url),
        (provider, Plan::Open { url, .. }) => match browser_host(url) {
            Some(host) if console_of_host(&host) == Some(provider) => Ok(()),
            Some(host) => Err(format!("opens {host}, not a {} console", provider.display_name())),
            None => Err("opens a host a browser may read otherwise".to_owned()),
        },
        (provider, other) => Err(format!("a {} plan that posts: {other:?}", provider.display_name())),
    };
    checked.map_err(|why| fail("plans stay home", format!("{why}\ntarget: {target:#?}\nplan: {plan:#?}")))
}

// ---------------------------------------------------------------------------------------------
// Configuration texts.

/// `parse_config` on any text: an error list has an error, a success has only warnings, every
/// line is in the text.
pub fn config(text: &str) -> Checked {
    let lines = text.split('\n').count();
    let found = match parse_config(text) {
        Ok(loaded) => {
            if loaded.warnings.iter().any(|d| d.level != Level::Warning) {
                return Err(fail("parse outcome", format!("an error among the warnings: {:?}", loaded.warnings)));
            }
            loaded.warnings
        }
        Err(found) => {
            if !found.iter().any(|d| d.level == Level::Error) {
                return Err(fail("parse outcome", format!("rejected without an error: {found:?}")));
            }
            found
        }
    };
    match found.iter().find(|d| d.line == 0 || d.line > lines || d.column == 0) {
        Some(d) => Err(fail("diagnostic positions", format!("{d:?} in a text of {lines} lines"))),
        None => Ok(()),
    }
}

/// The texts of one `Engine::configure` call, and of a second one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigureInput {
    pub user: Option<String>,
    pub managed: Option<String>,
    pub learned: Option<String>,
    /// A second user text, configured after the first call with the same managed and learned texts.
    pub again: Option<String>,
}

impl ConfigureInput {
    /// The first byte says which texts are present (bit 0 user, 1 managed, 2 learned, 3 again);
    /// the rest is the present texts in that order, separated by NUL bytes.
    pub fn read(data: &[u8]) -> ConfigureInput {
        let Some((&flags, rest)) = data.split_first() else { return ConfigureInput::default() };
        let text = String::from_utf8_lossy(rest);
        let mut parts = text.split('\0').map(str::to_owned);
        let mut next = |bit: u8| if flags & (1 << bit) != 0 { Some(parts.next().unwrap_or_default()) } else { None };
        ConfigureInput { user: next(0), managed: next(1), learned: next(2), again: next(3) }
    }
}

/// `Engine::configure`: applies exactly the texts `parse_config` accepts, keeps the last sound
/// text otherwise, lists every target, and what it puts in force evaluates and plans within the
/// properties (one fixture row, one tab per target: the `evaluate` and `plan` targets do the rest).
pub fn configure(input: &ConfigureInput) -> Checked {
    static FRESH: OnceLock<Engine> = OnceLock::new();
    let mut engine = FRESH.get_or_init(Engine::new).clone();
    let (managed, learned) = (input.managed.as_deref(), input.learned.as_deref());
    let managed_ok = managed.is_none_or(|text| parse_config(text).is_ok());
    // What the portals taught is read lesson by lesson (one per portal): any that reads is absorbed.
    let learned_ok =
        learned.is_some_and(|text| crate::engine::lessons(text).into_iter().any(|lesson| parse_config(lesson).is_ok()));
    // The user's configuration last found sound: the seed's until one is.
    let mut sound: Option<Config> = None;
    for user in [Some(input.user.as_deref()), input.again.as_ref().map(|t| Some(t.as_str()))].into_iter().flatten() {
        let result = engine.configure(user, managed, learned);
        let parsed = match user {
            Some(text) => parse_config(text).ok().map(|loaded| loaded.config),
            None => Some(seed().clone()),
        };
        let user_ok = parsed.is_some();
        if (result.user_applied, result.managed_applied, result.applied) != (user_ok, managed_ok, user_ok && managed_ok)
        {
            return Err(fail("configure applies what parses", format!("{result:?} for {input:#?}")));
        }
        sound = parsed.or(sound);
        if managed.is_none() && !learned_ok && engine.config() != sound.as_ref().unwrap_or(seed()) {
            return Err(fail("configure applies what parses", format!("not the last sound text: {input:#?}")));
        }
        if engine.targets().len() != engine.config().targets.len() {
            return Err(fail("configure lists every target", format!("{input:#?}")));
        }
        let (url, signals) = &fixture_rows()[0];
        trust(url, signals, engine.config())?;
        restores_the_same(&engine, user, managed, learned, input)?;
        for position in 0..engine.targets().len() {
            let target = &engine.config().targets[engine.targets()[position].index];
            let from = froms(target.provider).last().expect("a console tab");
            let planned = engine.plan_switch(position, &from.as_from());
            plan(target, &planned.ok_or_else(|| fail("configure lists every target", format!("row {position}")))?)?;
        }
    }
    Ok(())
}

/// A restarted worker's engine, restored from `engine`'s snapshot, answers fixture rows as `engine`
/// does (it reads the targets only when a verdict needs them), and lists the same rows.
fn restores_the_same(
    engine: &Engine,
    user: Option<&str>,
    managed: Option<&str>,
    learned: Option<&str>,
    input: &ConfigureInput,
) -> Checked {
    let property = "a restored engine answers as the configured one";
    let mut restored = Engine::new();
    if !restored.restore(&engine.snapshot(user, managed, learned), user, managed, learned) {
        return Err(fail(property, format!("its own snapshot refused: {input:#?}")));
    }
    // Every ninth row, danger ones among them: all of them made the target thirteen times slower.
    for (url, signals) in fixture_rows().iter().step_by(9) {
        if restored.evaluate(url, signals) != engine.evaluate(url, signals) {
            return Err(fail(property, format!("{url} {signals:?}: {input:#?}")));
        }
    }
    if restored.targets() != engine.targets() || restored.config() != engine.config() {
        return Err(fail(property, format!("another configuration: {input:#?}")));
    }
    Ok(())
}

/// The seed configuration, parsed once.
fn seed() -> &'static Config {
    static SEED: OnceLock<Config> = OnceLock::new();
    SEED.get_or_init(Config::seed)
}

// ---------------------------------------------------------------------------------------------
// Imports and the portal.

/// An import's text parses on its own, as many targets as it says, each planned within the
/// properties.
pub fn imported(text: &str, source: ImportSource) -> Checked {
    let imported = import(text, source);
    let property = "import output parses";
    let loaded = parse_config(&imported.text).map_err(|found| Failure {
        property,
        known: None,
        detail: format!("{found:?}\ninput: {text:?}\noutput:\n{}", imported.text),
    })?;
    if loaded.config.targets.len() != imported.targets {
        return Err(fail(
            property,
            format!("{} targets said, {} written", imported.targets, loaded.config.targets.len()),
        ));
    }
    let lines = crate::config::import::line_count(text, source);
    if let Some(report) = imported.report.iter().find(|r| r.line == 0 || r.line > lines) {
        return Err(fail("import report lines", format!("{report:?} for {lines} lines")));
    }
    if imported.report.windows(2).any(|pair| pair[0].line > pair[1].line) {
        return Err(fail("import report lines", "not in line order".to_owned()));
    }
    // Each target from one tab, in turn: the planner itself has the `plan` target, and planning
    // every imported target from every tab made a 16 KiB import cost ~30 ms, far too slow to fuzz.
    for (index, target) in loaded.config.targets.iter().enumerate() {
        let tabs = froms(target.provider);
        plan(target, &plan_switch(target, &tabs[index % tabs.len()].as_from()))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Signals.

/// `Signals::from_json` on any text; what it reads keeps the trust property on every console.
pub fn signals_json(text: &str) -> Checked {
    let Ok(signals) = Signals::from_json(text) else { return Ok(()) };
    // The seed or the richer rules, by the text's length: half the work, both configurations.
    let config = &configs()[text.len() % 2];
    SIGNALS_URLS.iter().try_for_each(|url| trust(url, &signals, config))
}

/// Console pages of every provider, to evaluate signals on.
const SIGNALS_URLS: &[&str] = &[
    "https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2",
    "https://111111111111-abcd1234.us-east-1.console.aws.amazon.com/s3/home",
    "https://console.amazonaws-us-gov.com/iam/home",
    "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/00000000-0000-0000-0000-000000000001",
    "https://console.cloud.google.com/home/dashboard?project=acme-prod-1",
    "https://console.aiven.io/project/acme-dev/services",
];

/// The AWS fields of `aws_signals`, in the order its input gives them after the URL.
const AWS_FIELDS: usize = 11;

/// `aws_signals` input: a URL (an AWS console page unless it is one) and the AWS signals, as
/// NUL-separated texts; an empty text is an absent signal.
pub fn aws_signals_input(data: &[u8]) -> (String, Signals) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let url = parts.next().unwrap_or_default();
    let url = match detect(url) {
        Some(location) if location.provider == Provider::Aws => url.to_owned(),
        _ => SIGNALS_URLS[url.len() % 3].to_owned(),
    };
    let mut fields: Vec<Option<String>> =
        parts.take(AWS_FIELDS).map(|p| (!p.is_empty()).then(|| p.to_owned())).collect();
    fields.resize(AWS_FIELDS, None);
    let mut fields = fields.into_iter();
    let mut next = || fields.next().flatten();
    let signals = Signals {
        aws_session_data: next(),
        aws_user_info: next(),
        aws_nav_account_id: next(),
        aws_nav_principal: next(),
        aws_nav_user: next(),
        aws_nav_user_title: next(),
        aws_legacy_login_account: next(),
        aws_legacy_login_user: next(),
        aws_legacy_role_account: next(),
        aws_legacy_role_user: next(),
        aws_region: next(),
        ..Signals::default()
    };
    (url, signals)
}

/// Any meta tag, cookie and navbar texts on an AWS page keep the trust property.
pub fn aws_signals(url: &str, signals: &Signals) -> Checked {
    configs().iter().try_for_each(|config| trust(url, signals, config))
}

/// The seed, and the seed with rules of every kind for the accounts the fixtures and word list use.
fn configs() -> &'static [Config] {
    static CONFIGS: OnceLock<Vec<Config>> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        let rich = format!("{SEED_TEXT}\n{RICH_RULES}");
        let rich = parse_config(&rich).unwrap_or_else(|e| panic!("the fuzzing rules parse: {e:?}"));
        vec![Config::seed(), rich.config]
    })
}

/// Rules by id, name, pattern and label, for accounts that fixtures and [`WORDS`] name.
const RICH_RULES: &str = r#"
[[aws.accounts]]
id = "111111111111"
environment = "prod"
role = "Admin"

[[aws.accounts]]
id = "222222222222"
environment = "dev"
label = "Acme Dev"

[[aws.accounts]]
name = "acme-*-sandbox"
environment = "dev"

[[aws.accounts]]
id = "3333*"
environment = "staging"
role = "Operator"

[[aws.accounts]]
name = "acme-dev"
environment = "dev"

[[aws.accounts]]
id = "444455556666"
label = "Payments Prod"

[[aws.roles]]
name = "Deployer"
privilege = "write"

[[gcp.projects]]
name = "Acme Dev*"
environment = "dev"

[[gcp.projects]]
id = "acme-prod-1"
role = "roles/viewer"
"#;

/// Every URL the URL checks accept is the kind of host they promise, as a browser reads it.
pub fn urls(url: &str) -> Checked {
    let host = browser_host(url);
    if let (Some(location), Some(host)) = (detect(url), &host) {
        // `detect` reads `location.href`, which a browser has normalised: only URLs the oracle can
        // read are compared.
        if console_of_host(host) != Some(location.provider) {
            return Err(fail("detect", format!("{url:?} is {:?} but its host {host} is not", location.provider)));
        }
    }
    if is_switch_destination(url) {
        let home = host
            .as_deref()
            .is_some_and(|h| console_of_host(h) == Some(Provider::Aws) || Partition::of_sign_in_host(h).is_some());
        if !home {
            return Err(fail("is_switch_destination", format!("accepts {url:?}, host {host:?}")));
        }
    }
    if check_portal_url(url).is_ok() && !host.as_deref().is_some_and(on_aws_domain) {
        return Err(fail("check_portal_url", format!("accepts {url:?}, host {host:?}")));
    }
    if let Some(portal) = portal_of_page(url) {
        let ok = host.as_deref().is_some_and(|h| h.ends_with(".awsapps.com"))
            && check_portal_url(&portal).is_ok()
            && portal_of_page(&portal).as_deref() == Some(portal.as_str());
        if !ok {
            return Err(fail("portal_of_page", format!("{url:?} → {portal:?}, host {host:?}")));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The fixture rows and the places a switch starts from.

/// Every console row of `tests/fixtures/*.json`: its URL and signals as the content script sends
/// them (a JSON object value stands for its text, URL-encoded for `awsUserInfo`).
pub fn fixture_rows() -> &'static [(String, Signals)] {
    static ROWS: OnceLock<Vec<(String, Signals)>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let tables = [
            include_str!("../tests/fixtures/aws.json"),
            include_str!("../tests/fixtures/azure.json"),
            include_str!("../tests/fixtures/gcp.json"),
            include_str!("../tests/fixtures/aiven.json"),
        ];
        let mut rows = Vec::new();
        for table in tables {
            let table: serde_json::Value = serde_json::from_str(table).expect("a fixture table");
            for case in table["cases"].as_array().expect("cases") {
                let mut strings = serde_json::Map::new();
                for (key, value) in case["signals"].as_object().expect("signals") {
                    let text = match value {
                        serde_json::Value::String(text) => text.clone(),
                        other if key == "awsUserInfo" => crate::text::address::percent_encode(&other.to_string()),
                        other => other.to_string(),
                    };
                    strings.insert(key.clone(), serde_json::Value::String(text));
                }
                let signals = Signals::from_json(&serde_json::Value::Object(strings).to_string()).expect("signals");
                rows.push((case["url"].as_str().expect("url").to_owned(), signals));
            }
        }
        rows
    })
}

/// A place a switch starts from.
struct FromTab {
    url: String,
    signals: Option<Signals>,
    csrf: Option<String>,
}

impl FromTab {
    fn as_from(&self) -> SwitchFrom<'_> {
        SwitchFrom { url: &self.url, signals: self.signals.as_ref(), csrf: self.csrf.as_deref() }
    }
}

/// Tabs to switch to a `provider` target from: no console, and that provider's console (for AWS:
/// with a token, under multi-session, and in the European Sovereign Cloud).
fn froms(provider: Provider) -> &'static [FromTab] {
    let all = all_froms();
    match provider {
        Provider::Aws => &all[0..4],
        Provider::Azure => &all[4..6],
        Provider::Gcp => &all[6..8],
        Provider::Aiven => &all[8..10],
    }
}

fn all_froms() -> &'static [FromTab] {
    static FROMS: OnceLock<Vec<FromTab>> = OnceLock::new();
    FROMS.get_or_init(|| {
        let multi = r#"{"accountId":"111111111111","prismModeEnabled":true,"signInEndpoint":"eu-west-2.signin.aws.amazon.com","sessionDifferentiator":"abcd1234"}"#;
        let tab = |url: &str, session: Option<&str>, csrf: Option<&str>| FromTab {
            url: url.to_owned(),
            signals: Some(Signals { aws_session_data: session.map(str::to_owned), ..Signals::default() }),
            csrf: csrf.map(str::to_owned),
        };
        let none = || tab("https://example.com/", None, None);
        vec![
            none(),
            tab("https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2#Instances:", None, Some("t")),
            tab("https://111111111111-abcd1234.eu-west-2.console.aws.amazon.com/s3/home", Some(multi), Some("t")),
            tab("https://eusc-de-east-1.console.amazonaws-eusc.eu/x?region=eusc-de-east-1", None, Some("t")),
            none(),
            tab("https://portal.azure.com/#home", None, None),
            none(),
            tab("https://console.cloud.google.com/compute/instances?project=p&authuser=1#x", None, None),
            none(),
            tab("https://console.aiven.io/account/a0123456789ab/project/p/services", None, None),
        ]
    })
}

// ---------------------------------------------------------------------------------------------
// Structured inputs: text pieces.

/// Words and fragments redline reacts to, for [`Piece::Word`].
pub const WORDS: &[&str] = &[
    "prod",
    "production",
    "prd",
    "live",
    "staging",
    "stage",
    "preprod",
    "nonprod",
    "dev",
    "development",
    "ci",
    "sandbox",
    "Admin",
    "AdministratorAccess",
    "admin",
    "FullAccess",
    "ReadOnly",
    "ReadOnlyAccess",
    "ViewOnlyAccess",
    "Audit",
    "PowerUser",
    "Developer",
    "Operator",
    "Deployer",
    "Owner",
    "Reader",
    "Contributor",
    "viewer",
    "editor",
    "roles/viewer",
    "root",
    "jane",
    "111111111111",
    "1111-1111-1111",
    "222222222222",
    "2222-2222-2222",
    "333344445555",
    "444455556666",
    "123456789012",
    "acme-prod",
    "acme-dev",
    "acme-staging",
    "acme-x-sandbox",
    "Acme Dev",
    "Payments Prod",
    "acme-prod-1",
    "govuk-paas",
    "/",
    " @ ",
    "@",
    "-",
    "_",
    ":",
    ": ",
    " ",
    "(",
    ")",
    "#",
    "*",
    "\"",
    "\\",
    "\n",
    "\u{7f}",
    "%",
    "%2F",
    "Account ID: ",
    "Federated user: ",
    "IAM user: ",
    "arn:aws:sts::",
    "arn:aws:iam::",
    ":assumed-role/",
    ":role/",
    ":user/",
    ":root",
    "AWSReservedSSO_",
    "_0123456789abcdef",
    "https://",
    "d-1234567890.awsapps.com/start",
    "signin.aws.amazon.com",
    "eu-west-2",
    "eusc-de-east-1",
    "console.aws.amazon.com",
    "?",
    "&",
    "=",
    "{",
    "}",
    "[",
    "]",
    ".",
];

/// A text built of pieces: words from [`WORDS`], or raw text.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct Text(pub Vec<Piece>);

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Word(u8),
    Raw(String),
}

impl Text {
    pub fn render(&self) -> String {
        let mut text = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Word(i) => text.push_str(WORDS[usize::from(*i) % WORDS.len()]),
                Piece::Raw(raw) => text.push_str(raw),
            }
        }
        text
    }
}

/// A JSON value a page might put in a field.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum JsonValue {
    Text(Text),
    Number(i64),
    Big(u64),
    Null,
    Bool(bool),
}

impl JsonValue {
    fn render(&self) -> serde_json::Value {
        match self {
            JsonValue::Text(text) => text.render().into(),
            JsonValue::Number(n) => (*n).into(),
            JsonValue::Big(n) => (*n).into(),
            JsonValue::Null => serde_json::Value::Null,
            JsonValue::Bool(b) => (*b).into(),
        }
    }
}

/// An ARN, built from its parts or any text.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum ArnText {
    Parts { partition: u8, sts: bool, account: Text, resource: Resource },
    Text(Text),
}

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    AssumedRole(Text, Text),
    Role(Text),
    User(Text),
    Root,
    Other(Text),
}

impl ArnText {
    fn render(&self) -> String {
        match self {
            ArnText::Text(text) => text.render(),
            ArnText::Parts { partition, sts, account, resource } => {
                let partition = ["aws", "aws-us-gov", "aws-cn", "aws-eusc", "other"][usize::from(*partition) % 5];
                let service = if *sts { "sts" } else { "iam" };
                let resource = match resource {
                    Resource::AssumedRole(role, session) => {
                        format!("assumed-role/{}/{}", role.render(), session.render())
                    }
                    Resource::Role(role) => format!("role/{}", role.render()),
                    Resource::User(user) => format!("user/{}", user.render()),
                    Resource::Root => "root".to_owned(),
                    Resource::Other(other) => other.render(),
                };
                format!("arn:{partition}:{service}::{}:{resource}", account.render())
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Structured inputs: signals, field by field.

/// A signal: the fixture row's value, none, or a text.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Keep,
    Drop,
    Text(Text),
}

impl Field {
    fn apply(&self, slot: &mut Option<String>) {
        match self {
            Field::Keep => {}
            Field::Drop => *slot = None,
            Field::Text(text) => *slot = Some(text.render()),
        }
    }
}

/// The `awsc-session-data` meta tag's JSON.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct SessionData {
    pub account_id: Option<JsonValue>,
    pub account_alias: Option<JsonValue>,
    pub display_name: Option<JsonValue>,
    pub session_arn: Option<ArnText>,
    pub sign_in_endpoint: Option<Text>,
    pub session_differentiator: Option<Text>,
    pub prism_mode_enabled: Option<JsonValue>,
}

impl SessionData {
    fn render(&self) -> String {
        let mut fields = serde_json::Map::new();
        let mut put = |key: &str, value: Option<serde_json::Value>| {
            if let Some(value) = value {
                fields.insert(key.to_owned(), value);
            }
        };
        put("accountId", self.account_id.as_ref().map(JsonValue::render));
        put("accountAlias", self.account_alias.as_ref().map(JsonValue::render));
        put("displayName", self.display_name.as_ref().map(JsonValue::render));
        put("sessionARN", self.session_arn.as_ref().map(|a| a.render().into()));
        put("signInEndpoint", self.sign_in_endpoint.as_ref().map(|t| t.render().into()));
        put("sessionDifferentiator", self.session_differentiator.as_ref().map(|t| t.render().into()));
        put("prismModeEnabled", self.prism_mode_enabled.as_ref().map(JsonValue::render));
        serde_json::Value::Object(fields).to_string()
    }
}

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum SessionField {
    Keep,
    Drop,
    Text(Text),
    Data(SessionData),
}

impl SessionField {
    fn apply(&self, slot: &mut Option<String>) {
        match self {
            SessionField::Keep => {}
            SessionField::Drop => *slot = None,
            SessionField::Text(text) => *slot = Some(text.render()),
            SessionField::Data(data) => *slot = Some(data.render()),
        }
    }
}

/// The `aws-userInfo` cookie: its JSON, URL-encoded or not.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum CookieField {
    Keep,
    Drop,
    Text(Text),
    Info { arn: Option<ArnText>, alias: Option<JsonValue>, issuer: Option<Text>, encoded: bool },
}

/// Signals: a fixture row's (or none), then changed field by field.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct SignalsSpec {
    pub session_data: SessionField,
    pub user_info: CookieField,
    pub region: Field,
    pub nav_account_id: Field,
    pub nav_principal: Field,
    pub nav_user: Field,
    pub nav_user_title: Field,
    pub legacy_login_account: Field,
    pub legacy_login_user: Field,
    pub legacy_role_account: Field,
    pub legacy_role_user: Field,
    pub azure_directory: Field,
    pub azure_user: Field,
    pub azure_blade_title: Field,
    pub gcp_account: Field,
    pub gcp_project_name: Field,
    pub portal_links: Field,
}

impl SignalsSpec {
    fn apply(&self, signals: &mut Signals) {
        self.session_data.apply(&mut signals.aws_session_data);
        match &self.user_info {
            CookieField::Keep => {}
            CookieField::Drop => signals.aws_user_info = None,
            CookieField::Text(text) => signals.aws_user_info = Some(text.render()),
            CookieField::Info { arn, alias, issuer, encoded } => {
                let mut fields = serde_json::Map::new();
                if let Some(arn) = arn {
                    fields.insert("arn".to_owned(), arn.render().into());
                }
                if let Some(alias) = alias {
                    fields.insert("alias".to_owned(), alias.render());
                }
                if let Some(issuer) = issuer {
                    fields.insert("issuer".to_owned(), issuer.render().into());
                }
                let json = serde_json::Value::Object(fields).to_string();
                signals.aws_user_info = Some(if *encoded { crate::text::address::percent_encode(&json) } else { json });
            }
        }
        for (field, slot) in [
            (&self.region, &mut signals.aws_region),
            (&self.nav_account_id, &mut signals.aws_nav_account_id),
            (&self.nav_principal, &mut signals.aws_nav_principal),
            (&self.nav_user, &mut signals.aws_nav_user),
            (&self.nav_user_title, &mut signals.aws_nav_user_title),
            (&self.legacy_login_account, &mut signals.aws_legacy_login_account),
            (&self.legacy_login_user, &mut signals.aws_legacy_login_user),
            (&self.legacy_role_account, &mut signals.aws_legacy_role_account),
            (&self.legacy_role_user, &mut signals.aws_legacy_role_user),
            (&self.azure_directory, &mut signals.azure_directory),
            (&self.azure_user, &mut signals.azure_user),
            (&self.azure_blade_title, &mut signals.azure_blade_title),
            (&self.gcp_account, &mut signals.gcp_account),
            (&self.gcp_project_name, &mut signals.gcp_project_name),
            (&self.portal_links, &mut signals.aws_portal_links),
        ] {
            field.apply(slot);
        }
    }
}

/// A console URL: the fixture row's, another row's, one built on a console host, or any text.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum UrlSpec {
    Fixture,
    Row(u16),
    Built { host: u8, labels: Option<Text>, path: Text, query: Option<Text>, fragment: Option<Text> },
    Text(Text),
}

/// Console hosts for [`UrlSpec::Built`].
const HOSTS: &[&str] = &[
    "console.aws.amazon.com",
    "eu-west-2.console.aws.amazon.com",
    "111111111111-abcd1234.eu-west-2.console.aws.amazon.com",
    "222222222222-x1.console.aws.amazon.com",
    "console.amazonaws-us-gov.com",
    "console.amazonaws.cn",
    "eusc-de-east-1.console.amazonaws-eusc.eu",
    "health.aws.amazon.com",
    "portal.azure.com",
    "entra.microsoft.com",
    "console.cloud.google.com",
    "console.developers.google.com",
    "console.aiven.io",
    "d-1234567890.awsapps.com",
];

impl UrlSpec {
    fn render(&self, row: usize) -> String {
        let rows = fixture_rows();
        match self {
            UrlSpec::Fixture => rows[row % rows.len()].0.clone(),
            UrlSpec::Row(other) => rows[usize::from(*other) % rows.len()].0.clone(),
            UrlSpec::Built { host, labels, path, query, fragment } => {
                let mut url = "https://".to_owned();
                if let Some(labels) = labels {
                    url.push_str(&labels.render());
                    url.push('.');
                }
                url.push_str(HOSTS[usize::from(*host) % HOSTS.len()]);
                url.push('/');
                url.push_str(&path.render());
                if let Some(query) = query {
                    url.push('?');
                    url.push_str(&query.render());
                }
                if let Some(fragment) = fragment {
                    url.push('#');
                    url.push_str(&fragment.render());
                }
                url
            }
            UrlSpec::Text(text) => text.render(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Structured inputs: configuration, rendered as TOML.

/// A TOML basic string: `\` and `"` escaped, control characters (and DEL) as `\uXXXX`.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An environment name as a rule or target gives it: a kind's name, a defined environment's, or
/// any text.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum EnvName {
    Kind(u8),
    Defined(u8),
    Text(Text),
}

const KINDS: &[&str] = &["prod", "staging", "ci", "dev"];

impl EnvName {
    fn render(&self, defined: &[String]) -> String {
        match self {
            EnvName::Kind(i) => KINDS[usize::from(*i) % KINDS.len()].to_owned(),
            EnvName::Defined(i) if !defined.is_empty() => defined[usize::from(*i) % defined.len()].clone(),
            EnvName::Defined(i) => KINDS[usize::from(*i) % KINDS.len()].to_owned(),
            EnvName::Text(text) => text.render(),
        }
    }
}

/// A colour: valid, or any text.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum ColourSpec {
    Rgb(u8, u8, u8),
    Text(Text),
}

impl ColourSpec {
    fn render(&self) -> String {
        match self {
            ColourSpec::Rgb(r, g, b) => format!("#{r:02X}{g:02X}{b:02X}"),
            ColourSpec::Text(text) => text.render(),
        }
    }
}

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct EnvSpec {
    pub name: Text,
    pub kind: u8,
    pub colour: Option<ColourSpec>,
    pub label: Option<Text>,
    pub text: Option<ColourSpec>,
    pub guard: Option<bool>,
}

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    pub id: Option<Text>,
    pub name: Option<Text>,
    pub environment: Option<EnvName>,
    pub role: Option<Text>,
    pub label: Option<Text>,
    pub locked: Option<bool>,
}

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct RoleSpec {
    pub name: Text,
    pub privilege: u8,
}

/// A region: valid, or any text.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum RegionSpec {
    Known(u8),
    Text(Text),
}

const REGIONS: &[&str] = &["eu-west-2", "us-east-1", "us-gov-west-1", "cn-north-1", "eusc-de-east-1", "ap-southeast-4"];

/// An access portal: valid, or any text (which `parse_config` checks).
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum PortalSpec {
    Known(u8),
    Text(Text),
}

const PORTALS: &[&str] = &[
    "https://d-1234567890.awsapps.com/start",
    "https://d-1234567890.awsapps.com/start/",
    "https://start.us-gov-home.awsapps.com/directory/d-9067",
    "https://acme.awsapps.com/start#/",
    "HTTPS://D-1.AWSAPPS.COM/start?x=1",
    "https://login.aws/start",
];

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct TargetSpec {
    pub provider: u8,
    pub label: Option<Text>,
    pub account: Option<Text>,
    pub role: Option<Text>,
    pub region: Option<RegionSpec>,
    pub colour: Option<ColourSpec>,
    pub tenant: Option<Text>,
    pub app: Option<Text>,
    pub project: Option<Text>,
    pub portal: Option<PortalSpec>,
    pub environment: Option<EnvName>,
}

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct DangerSpec {
    pub acknowledge: Option<bool>,
    pub reminder_minutes: Option<i16>,
    pub verbs: Option<Vec<Text>>,
}

/// A configuration document, field by field.
#[derive(Arbitrary, Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigDoc {
    /// Start from the bundled seed text.
    pub seed: bool,
    pub environments: Vec<EnvSpec>,
    pub aws_accounts: Vec<RuleSpec>,
    pub aws_roles: Vec<RoleSpec>,
    pub azure_tenants: Vec<RuleSpec>,
    pub azure_apps: Vec<RuleSpec>,
    pub azure_subscriptions: Vec<RuleSpec>,
    pub azure_resource_groups: Vec<RuleSpec>,
    pub azure_roles: Vec<RoleSpec>,
    pub gcp_projects: Vec<RuleSpec>,
    pub gcp_roles: Vec<RoleSpec>,
    pub aiven_projects: Vec<RuleSpec>,
    pub aiven_roles: Vec<RoleSpec>,
    pub targets: Vec<TargetSpec>,
    pub danger: Option<DangerSpec>,
}

impl ConfigDoc {
    /// The TOML text.
    pub fn render(&self) -> String {
        let mut out = if self.seed { format!("{SEED_TEXT}\n") } else { String::new() };
        let mut defined: Vec<String> = Vec::new();
        for env in &self.environments {
            let name = env.name.render();
            out.push_str(&format!(
                "\n[[environments]]\nname = {}\nkind = {}\n",
                toml_string(&name),
                toml_string(KINDS[usize::from(env.kind) % KINDS.len()])
            ));
            if let Some(colour) = &env.colour {
                out.push_str(&format!("colour = {}\n", toml_string(&colour.render())));
            }
            if let Some(label) = &env.label {
                out.push_str(&format!("label = {}\n", toml_string(&label.render())));
            }
            if let Some(text) = &env.text {
                out.push_str(&format!("text = {}\n", toml_string(&text.render())));
            }
            if let Some(guard) = env.guard {
                out.push_str(&format!("guard = {guard}\n"));
            }
            defined.push(name);
        }
        let rules = |out: &mut String, header: &str, rules: &[RuleSpec]| {
            for rule in rules {
                out.push_str(&format!("\n[[{header}]]\n"));
                for (key, value) in [
                    ("id", rule.id.as_ref().map(Text::render)),
                    ("name", rule.name.as_ref().map(Text::render)),
                    ("environment", rule.environment.as_ref().map(|e| e.render(&defined))),
                    ("role", rule.role.as_ref().map(Text::render)),
                    ("label", rule.label.as_ref().map(Text::render)),
                ] {
                    if let Some(value) = value {
                        out.push_str(&format!("{key} = {}\n", toml_string(&value)));
                    }
                }
                if let Some(locked) = rule.locked {
                    out.push_str(&format!("locked = {locked}\n"));
                }
            }
        };
        let roles = |out: &mut String, header: &str, roles: &[RoleSpec]| {
            for role in roles {
                let privilege = ["readonly", "write", "admin", "unknown"][usize::from(role.privilege) % 4];
                out.push_str(&format!(
                    "\n[[{header}]]\nname = {}\nprivilege = {}\n",
                    toml_string(&role.name.render()),
                    toml_string(privilege)
                ));
            }
        };
        rules(&mut out, "aws.accounts", &self.aws_accounts);
        roles(&mut out, "aws.roles", &self.aws_roles);
        rules(&mut out, "azure.tenants", &self.azure_tenants);
        rules(&mut out, "azure.apps", &self.azure_apps);
        rules(&mut out, "azure.subscriptions", &self.azure_subscriptions);
        rules(&mut out, "azure.resource_groups", &self.azure_resource_groups);
        roles(&mut out, "azure.roles", &self.azure_roles);
        rules(&mut out, "gcp.projects", &self.gcp_projects);
        roles(&mut out, "gcp.roles", &self.gcp_roles);
        rules(&mut out, "aiven.projects", &self.aiven_projects);
        roles(&mut out, "aiven.roles", &self.aiven_roles);
        for target in &self.targets {
            let provider = ["aws", "azure", "gcp", "aiven"][usize::from(target.provider) % 4];
            out.push_str(&format!("\n[[targets]]\nprovider = \"{provider}\"\n"));
            for (key, value) in [
                ("label", target.label.as_ref().map(Text::render)),
                ("account", target.account.as_ref().map(Text::render)),
                ("role", target.role.as_ref().map(Text::render)),
                (
                    "region",
                    target.region.as_ref().map(|r| match r {
                        RegionSpec::Known(i) => REGIONS[usize::from(*i) % REGIONS.len()].to_owned(),
                        RegionSpec::Text(text) => text.render(),
                    }),
                ),
                ("colour", target.colour.as_ref().map(ColourSpec::render)),
                ("tenant", target.tenant.as_ref().map(Text::render)),
                ("app", target.app.as_ref().map(Text::render)),
                ("project", target.project.as_ref().map(Text::render)),
                (
                    "portal",
                    target.portal.as_ref().map(|p| match p {
                        PortalSpec::Known(i) => PORTALS[usize::from(*i) % PORTALS.len()].to_owned(),
                        PortalSpec::Text(text) => text.render(),
                    }),
                ),
                ("environment", target.environment.as_ref().map(|e| e.render(&defined))),
            ] {
                if let Some(value) = value {
                    out.push_str(&format!("{key} = {}\n", toml_string(&value)));
                }
            }
        }
        if let Some(danger) = &self.danger {
            out.push_str("\n[danger]\n");
            if let Some(acknowledge) = danger.acknowledge {
                out.push_str(&format!("acknowledge = {acknowledge}\n"));
            }
            if let Some(minutes) = danger.reminder_minutes {
                out.push_str(&format!("reminder_minutes = {minutes}\n"));
            }
            if let Some(verbs) = &danger.verbs {
                let verbs: Vec<String> = verbs.iter().map(|v| toml_string(&v.render())).collect();
                out.push_str(&format!("verbs = [{}]\n", verbs.join(", ")));
            }
        }
        out
    }
}

/// What an engine is configured with: the user's text (the seed's when `None`), the
/// organisation's, and what a portal taught.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub user: Option<ConfigDoc>,
    pub managed: Option<ConfigDoc>,
    pub learned: Option<PortalInput>,
}

/// The user's, the organisation's and the learned configuration texts.
pub type Texts = (Option<String>, Option<String>, Option<String>);

impl Setup {
    /// The three texts.
    pub fn render(&self) -> Texts {
        let learned = self.learned.as_ref().and_then(|p| {
            let (url, links) = p.render();
            read_portal(&url, &Signals { aws_portal_links: Some(links), ..Signals::default() })
        });
        (
            self.user.as_ref().map(ConfigDoc::render),
            self.managed.as_ref().map(ConfigDoc::render),
            learned.map(|portal| portal.config_text()),
        )
    }

    fn engine(&self) -> Engine {
        let (user, managed, learned) = self.render();
        let mut engine = Engine::new();
        engine.configure(user.as_deref(), managed.as_deref(), learned.as_deref());
        engine
    }
}

// ---------------------------------------------------------------------------------------------
// The structured targets.

/// `evaluate`: a fixture row's URL and signals changed field by field, under a configuration
/// built field by field (the user's, the organisation's and a portal's).
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct EvaluateInput {
    /// The fixture row to start from; past the last row, no signals at all.
    pub row: u16,
    pub url: UrlSpec,
    pub signals: SignalsSpec,
    pub setup: Setup,
}

impl EvaluateInput {
    pub fn render(&self) -> (String, Signals, Texts) {
        let rows = fixture_rows();
        let row = usize::from(self.row);
        let mut signals = rows.get(row).map(|(_, s)| s.clone()).unwrap_or_default();
        self.signals.apply(&mut signals);
        (self.url.render(row), signals, self.setup.render())
    }

    pub fn check(&self) -> Checked {
        let (url, signals, _) = self.render();
        let engine = self.setup.engine();
        trust(&url, &signals, engine.config())
    }
}

/// `portal`: a page of the access portal (or any URL) and its console links.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct PortalInput {
    pub page: PageSpec,
    pub links: LinksSpec,
}

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum PageSpec {
    Known(u8),
    Built { directory: Text, path: Text },
    Text(Text),
}

const PORTAL_PAGES: &[&str] = &[
    "https://d-1234567890.awsapps.com/start/#/?tab=accounts",
    "https://start.us-gov-home.awsapps.com/directory/d-9067/#/",
    "https://acme.awsapps.com/start",
    "https://d-1.awsapps.com/mail/",
];

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum LinksSpec {
    Links(Vec<LinkSpec>),
    Text(Text),
}

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct LinkSpec {
    pub href: HrefSpec,
    pub text: Option<RowText>,
}

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum HrefSpec {
    Console { account: Text, role: Text, encode: bool },
    Text(Text),
    Number(i64),
}

/// The words of an account's row: a name, then (usually) the account id.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct RowText {
    pub name: Text,
    pub hash: bool,
    pub rest: Option<Text>,
}

impl PortalInput {
    pub fn render(&self) -> (String, String) {
        let url = match &self.page {
            PageSpec::Known(i) => PORTAL_PAGES[usize::from(*i) % PORTAL_PAGES.len()].to_owned(),
            PageSpec::Built { directory, path } => {
                format!("https://{}.awsapps.com/{}", directory.render(), path.render())
            }
            PageSpec::Text(text) => text.render(),
        };
        let links = match &self.links {
            LinksSpec::Text(text) => text.render(),
            LinksSpec::Links(links) => {
                let links: Vec<serde_json::Value> = links
                    .iter()
                    .map(|link| {
                        let (href, account) = match &link.href {
                            HrefSpec::Console { account, role, encode } => {
                                let (account, role) = (account.render(), role.render());
                                let (a, r) = if *encode {
                                    (
                                        crate::text::address::percent_encode(&account),
                                        crate::text::address::percent_encode(&role),
                                    )
                                } else {
                                    (account.clone(), role)
                                };
                                let href = format!(
                                    "https://d-1234567890.awsapps.com/start/#/console?account_id={a}&role_name={r}"
                                );
                                (serde_json::Value::from(href), account)
                            }
                            HrefSpec::Text(text) => (text.render().into(), String::new()),
                            HrefSpec::Number(n) => ((*n).into(), String::new()),
                        };
                        let mut fields = serde_json::Map::new();
                        fields.insert("href".to_owned(), href);
                        if let Some(row) = &link.text {
                            let hash = if row.hash { "#" } else { "" };
                            let rest = row.rest.as_ref().map(Text::render).unwrap_or_default();
                            let text = format!("{} {hash}{account} {rest}", row.name.render());
                            fields.insert("text".to_owned(), text.into());
                        }
                        serde_json::Value::Object(fields)
                    })
                    .collect();
                serde_json::Value::Array(links).to_string()
            }
        };
        (url, links)
    }

    /// `read_portal` and `Portal::config_text`: only the portal's own pages are read, their start
    /// URL is a portal `check_portal_url` accepts, and the learned text parses and plans.
    pub fn check(&self) -> Checked {
        let (url, links) = self.render();
        let signals = Signals { aws_portal_links: Some(links), ..Signals::default() };
        let Some(portal) = read_portal(&url, &signals) else { return Ok(()) };
        let property = "portal";
        if portal_of_page(&url).as_deref() != Some(portal.url.as_str()) || check_portal_url(&portal.url).is_err() {
            return Err(fail(property, format!("{url:?} read as the portal {:?}", portal.url)));
        }
        if let Some(account) = portal.accounts.iter().find(|a| a.id.len() != 12 || a.roles.is_empty()) {
            return Err(fail(property, format!("{account:?}")));
        }
        let text = portal.config_text();
        let loaded = parse_config(&text).map_err(|found| Failure {
            property: "learned text parses",
            known: None,
            detail: format!("{found:?}\nportal: {portal:#?}\ntext:\n{text}"),
        })?;
        let mut engine = Engine::new();
        engine.configure(None, None, Some(&text));
        if engine.config().targets.len() != loaded.config.targets.len() {
            return Err(fail(property, "learned targets not all taken".to_owned()));
        }
        for target in &loaded.config.targets {
            for from in froms(target.provider) {
                plan(target, &plan_switch(target, &from.as_from()))?;
            }
        }
        Ok(())
    }
}

/// `plan`: a configuration with targets built field by field, rendered as TOML and parsed, and a
/// tab to switch from; every target is planned with `plan_switch` and `Engine::plan_switch`.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct PlanInput {
    /// The fixture row whose URL and signals the tab starts from; past the last row, no signals.
    pub row: u16,
    pub url: UrlSpec,
    pub session_data: SessionField,
    pub csrf: Option<Text>,
    pub config: ConfigDoc,
}

impl PlanInput {
    pub fn render(&self) -> (String, String, Option<Signals>, Option<String>) {
        let rows = fixture_rows();
        let row = usize::from(self.row);
        let signals = rows.get(row).map(|(_, s)| {
            let mut signals = s.clone();
            self.session_data.apply(&mut signals.aws_session_data);
            signals
        });
        (self.config.render(), self.url.render(row), signals, self.csrf.as_ref().map(Text::render))
    }

    pub fn check(&self) -> Checked {
        let (text, url, signals, csrf) = self.render();
        let Ok(loaded) = parse_config(&text) else { return Ok(()) };
        let from = SwitchFrom { url: &url, signals: signals.as_ref(), csrf: csrf.as_deref() };
        for target in &loaded.config.targets {
            plan(target, &plan_switch(target, &from))?;
        }
        let mut engine = Engine::new();
        engine.configure(Some(&text), None, None);
        for (position, view) in engine.targets().iter().enumerate() {
            let target = &engine.config().targets[view.index];
            plan(target, &engine.plan_switch(position, &from).ok_or_else(|| fail("plan", "no plan".to_owned()))?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_host_oracle_is_strict() {
        assert_eq!(browser_host(" https://Signin.AWS.amazon.com./x").as_deref(), Some("signin.aws.amazon.com"));
        assert_eq!(browser_host("https://sign\tin.aws.amazon.com?x").as_deref(), Some("signin.aws.amazon.com"));
        for url in [
            "https://signin.aws.amazon.com\\@evil.example/",
            "https://evil.example@signin.aws.amazon.com/",
            "https://signin.aws.amazon.com:443/",
            "https:///signin.aws.amazon.com/",
            "http://signin.aws.amazon.com/",
            "https://%73ignin.aws.amazon.com/",
            "https://",
        ] {
            assert_eq!(browser_host(url), None, "{url}");
        }
    }

    #[test]
    fn toml_strings_round_trip() {
        let text = "a\"b\\c\u{0}\u{7f}\n\té";
        let loaded = parse_config(&format!("[[environments]]\nname = {}\nkind = \"dev\"\n", toml_string(text)));
        assert_eq!(loaded.unwrap().config.environments[0].name, text.trim());
    }

    #[test]
    fn a_zero_input_starts_from_the_fixture_row() {
        let input = EvaluateInput::arbitrary_take_rest(Unstructured::new(&[3, 0])).unwrap();
        let (url, signals, texts) = input.render();
        assert_eq!((url, signals), fixture_rows()[3].clone());
        assert_eq!(texts, (None, None, None));
    }

    #[test]
    fn every_fixture_row_holds_the_properties() {
        for (url, signals) in fixture_rows() {
            for config in configs() {
                trust(url, signals, config).unwrap();
            }
        }
    }
}
