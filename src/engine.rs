//! The engine a service worker or extension page keeps: the configuration in force and the
//! verdicts under it.

use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::config::document::{parse_config, toml_string, Diagnostic, Level};
use crate::config::snapshot;
use crate::config::{Config, Scope, SEED_TEXT};
use crate::console::aws::portal::LESSON_HEADER;
use crate::console::switch::{plan_switch, From as SwitchFrom, Plan};
use crate::model::Provider;
use crate::signals::Signals;
use crate::verdict::target::{current_targets, filter_targets, list_targets, TargetView};
use crate::verdict::{evaluate, Verdict, Why};

/// The configuration in force and how to change it safely.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The parts merged, as the verdicts use them: the user's part itself where nothing else is
    /// merged in (no copy to make, and none to snapshot or restore). After a restore, without its
    /// targets until `parts` are read.
    config: Arc<Config>,
    parts: Parts,
    /// The popup's rows, listed once per configuration when first asked for: a worker that
    /// restarts to paint a banner need not list 5,000 targets first.
    targets: OnceLock<Vec<TargetView>>,
}

/// Where the parts of the configuration are.
#[derive(Debug, Clone)]
enum Parts {
    /// Read: the parts last found sound, the user's (the seed until one is) and the
    /// organisation's; a part whose new text is broken keeps this one, without reading its old
    /// text again.
    Read { user: Arc<Config>, managed: Option<Config> },
    /// Restored: still in the snapshot, read from it when first needed. A restarted worker's first
    /// banners need only the rules of the configuration in force, a third of the reading at 5,000
    /// profiles; the targets and the parts wait for the popup, a danger verdict or a new text.
    InSnapshot { bytes: Vec<u8>, digest: u64, read: OnceLock<Restored> },
}

/// A snapshot read whole.
#[derive(Debug, Clone)]
struct Restored {
    user: Arc<Config>,
    managed: Option<Config>,
    config: Arc<Config>,
}

impl Restored {
    /// The snapshot whose configuration in force is `in_force` (without its targets), read whole.
    fn read(bytes: &[u8], digest: u64, in_force: &Arc<Config>) -> Restored {
        match snapshot::read(bytes, digest, true) {
            Some(parts) => {
                let user = Arc::new(parts.user);
                let config = parts.merged.map_or_else(|| Arc::clone(&user), Arc::new);
                Restored { user, managed: parts.managed, config }
            }
            // Its checksum, version and digest were right, and redline's version is in the digest:
            // these are bytes this very build wrote (src/config/snapshot.rs pins the layout). Were the rest
            // unreadable all the same, the rules in force, read at the restore, stay in force alone,
            // without targets, until the next configuration: no verdict quieter than theirs.
            None => Restored { user: Arc::clone(in_force), managed: None, config: Arc::clone(in_force) },
        }
    }
}

/// What came of a configuration change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Configured {
    /// Whether every text given is now in force. A text with an error is not: its previous
    /// version stays (the seed for the user's, none for the organisation's), and the other parts
    /// still apply.
    pub applied: bool,
    /// Whether the user's text (the seed when none was given) is now in force.
    pub user_applied: bool,
    /// Whether the organisation's text is now in force (also when none was given).
    pub managed_applied: bool,
    /// Errors and warnings in the user's text.
    pub user: Vec<Diagnostic>,
    /// Errors and warnings in the organisation's text.
    pub managed: Vec<Diagnostic>,
    /// Parts of the user's configuration the organisation's replaced.
    pub notices: Vec<String>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// An engine with the bundled seed configuration.
    pub fn new() -> Engine {
        let config = Arc::new(Config::seed());
        Engine { parts: Parts::Read { user: Arc::clone(&config), managed: None }, targets: OnceLock::new(), config }
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        self.in_force()
    }

    fn in_force(&self) -> &Arc<Config> {
        self.restored().map_or(&self.config, |restored| &restored.config)
    }

    /// The snapshot restored last, read whole (once); `None` when the parts are read already.
    fn restored(&self) -> Option<&Restored> {
        match &self.parts {
            Parts::Read { .. } => None,
            Parts::InSnapshot { bytes, digest, read } => {
                Some(read.get_or_init(|| Restored::read(bytes, *digest, &self.config)))
            }
        }
    }

    /// The user's part and the organisation's.
    fn parts(&self) -> (&Arc<Config>, Option<&Config>) {
        match (&self.parts, self.restored()) {
            (Parts::Read { user, managed }, _) => (user, managed.as_ref()),
            (Parts::InSnapshot { .. }, restored) => {
                let restored = restored.expect("a snapshot's parts are read when asked for");
                (&restored.user, restored.managed.as_ref())
            }
        }
    }

    /// Puts the user's text (the seed when `None`) under the organisation's (none when `None`)
    /// in force, with what the access portal taught (`learned`, generated by redline) under both.
    /// Each text is taken on its own: one with an error leaves its previous version in force, so
    /// a broken edit never replaces a working configuration, and a broken organisation text does
    /// not stop the user's rules (it is reported).
    ///
    /// ```
    /// use redline::Engine;
    /// let mut engine = Engine::new();
    /// let result = engine.configure(Some("[[environments]]\nname = \"prod\"\nkind = \"prod\"\ncolour = \"red\"\n"), None, None);
    /// assert!(!result.applied && !result.user_applied);
    /// assert_eq!(engine.config().environments.len(), 4, "the seed is still in force");
    /// ```
    pub fn configure(&mut self, user: Option<&str>, managed: Option<&str>, learned: Option<&str>) -> Configured {
        let (previous_user, previous_managed) = self.parts();
        let (mut user_part, mut managed_part) = (Arc::clone(previous_user), previous_managed.cloned());
        let (user_found, user_applied) = match parse_config(user.unwrap_or(SEED_TEXT)) {
            Ok(loaded) => {
                user_part = Arc::new(loaded.config);
                (loaded.warnings, true)
            }
            Err(found) => (found, false),
        };
        let (managed_found, managed_applied) = match managed.map(parse_config) {
            None => {
                managed_part = None;
                (Vec::new(), true)
            }
            Some(Ok(loaded)) => {
                managed_part = Some(loaded.config);
                (loaded.warnings, true)
            }
            Some(Err(found)) => (found, false),
        };
        let (mut config, mut notices) = match &managed_part {
            Some(managed) => {
                let (merged, notices) = Config::merge(managed.clone(), (*user_part).clone());
                (Arc::new(merged), notices)
            }
            None => (Arc::clone(&user_part), Vec::new()),
        };
        // Each portal's lessons on their own: one that cannot be read takes nothing from the others.
        // Which portals are named is the written configuration's to say, not an earlier lesson's.
        let named = config.named_portals();
        for lesson in learned.map(lessons).unwrap_or_default() {
            match parse_config(lesson) {
                Ok(loaded) => Arc::make_mut(&mut config).absorb(loaded.config, &named),
                Err(found) => notices.push(format!(
                    "what an access portal taught could not be read and is left out: {}",
                    found.first().map(ToString::to_string).unwrap_or_default()
                )),
            }
        }
        self.targets = OnceLock::new();
        self.config = config;
        self.parts = Parts::Read { user: user_part, managed: managed_part };
        Configured {
            applied: user_applied && managed_applied,
            user_applied,
            managed_applied,
            user: user_found,
            managed: managed_found,
            notices,
        }
    }

    /// The configuration in force as bytes for [`Engine::restore`], named by the texts last given
    /// to [`Engine::configure`] (`user`, `managed`, `learned`).
    pub fn snapshot(&self, user: Option<&str>, managed: Option<&str>, learned: Option<&str>) -> Vec<u8> {
        let (user_part, managed_part) = self.parts();
        let config = self.in_force();
        let merged = (!Arc::ptr_eq(user_part, config)).then_some(&**config);
        let parts = snapshot::Parts { user: user_part, managed: managed_part, merged };
        snapshot::write(snapshot::digest(&[user, managed, learned]), &parts)
    }

    /// Puts a snapshot back in force, as `configure` with the same texts would, when it was taken
    /// for exactly these texts by this version of redline; otherwise changes nothing and says so.
    ///
    /// ```
    /// use redline::Engine;
    /// let text = "[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"prod\"\n";
    /// let mut engine = Engine::new();
    /// engine.configure(Some(text), None, None);
    /// let bytes = engine.snapshot(Some(text), None, None);
    /// let mut restarted = Engine::new();
    /// assert!(!restarted.restore(&bytes, Some("another text"), None, None));
    /// assert!(restarted.restore(&bytes, Some(text), None, None));
    /// assert_eq!(restarted.config(), engine.config());
    /// ```
    pub fn restore(&mut self, bytes: &[u8], user: Option<&str>, managed: Option<&str>, learned: Option<&str>) -> bool {
        let digest = snapshot::digest(&[user, managed, learned]);
        let Some(in_force) = snapshot::read(bytes, digest, false) else { return false };
        self.config = Arc::new(in_force.user);
        self.parts = Parts::InSnapshot { bytes: bytes.to_vec(), digest, read: OnceLock::new() };
        self.targets = OnceLock::new();
        true
    }

    /// The verdict on a tab under the configuration in force.
    pub fn evaluate(&self, url: &str, signals: &Signals) -> Option<Verdict> {
        let read = match &self.parts {
            Parts::InSnapshot { read, .. } => read.get(),
            Parts::Read { .. } => None,
        };
        let verdict = evaluate(url, signals, read.map_or(&self.config, |restored| &restored.config));
        // Only a danger verdict reads targets (a read-only switch through an access portal): after
        // a restore, until the snapshot is read whole, that one is made again with them.
        if read.is_none()
            && matches!(self.parts, Parts::InSnapshot { .. })
            && verdict.as_ref().is_some_and(|found| found.danger.is_some())
        {
            return evaluate(url, signals, self.config());
        }
        verdict
    }

    /// "Why this banner?" for the tab at `url`: its verdict, the signals read, what would change
    /// it, and the rule the popup may add.
    pub fn why(&self, url: &str, signals: &Signals) -> Option<Why> {
        self.evaluate(url, signals).map(|verdict| Why::new(verdict, signals, self.config()))
    }

    /// The configuration in force in a few lines, for the welcome page: its environments, each
    /// console's rules, the switch targets, and what the organisation locked.
    ///
    /// ```
    /// let lines = redline::Engine::new().summary();
    /// assert_eq!(lines[0], "4 environments: dev, ci, staging, prod");
    /// assert!(lines.contains(&"AWS: 2 role rules (Operator readonly, Admin admin)".to_owned()));
    /// ```
    pub fn summary(&self) -> Vec<String> {
        let config = self.config();
        let names: Vec<&str> = config.environments.iter().map(|e| e.name.as_str()).collect();
        let plural = |count: usize, one: &str| format!("{count} {one}{}", if count == 1 { "" } else { "s" });
        let mut lines = vec![format!("{}: {}", plural(names.len(), "environment"), names.join(", "))];
        for provider in Provider::ALL {
            let mut parts: Vec<String> = Scope::of(provider)
                .filter(|scope| !config.rules(*scope).is_empty())
                .map(|scope| {
                    format!(
                        "{} for {}s",
                        plural(config.rules(scope).len(), "rule"),
                        scope.noun().split_once(' ').map_or(scope.noun(), |(_, noun)| noun)
                    )
                })
                .collect();
            let roles = config.roles(provider);
            if !roles.is_empty() {
                let named: Vec<String> =
                    roles.iter().take(4).map(|r| format!("{} {}", r.name, r.privilege.as_str())).collect();
                let more = if roles.len() > 4 { format!(" and {} more", roles.len() - 4) } else { String::new() };
                parts.push(format!("{} ({}{more})", plural(roles.len(), "role rule"), named.join(", ")));
            }
            if !parts.is_empty() {
                lines.push(format!("{}: {}", provider.display_name(), parts.join(", ")));
            }
        }
        lines.push(format!("{} in the popup", plural(config.targets.len(), "switch target")));
        let locked = Scope::ALL.iter().flat_map(|scope| config.rules(*scope)).filter(|r| r.locked && r.managed).count();
        if locked > 0 {
            lines.push(format!("{} locked by your organisation", plural(locked, "rule")));
        }
        lines
    }

    /// The popup's rows, in display order.
    pub fn targets(&self) -> &[TargetView] {
        self.targets.get_or_init(|| list_targets(self.config()))
    }

    /// Positions of the rows that are the identity of the tab at `url`.
    pub fn current_targets(&self, url: &str, signals: &Signals) -> Vec<u32> {
        self.evaluate(url, signals).map(|verdict| current_targets(self.targets(), &verdict)).unwrap_or_default()
    }

    /// Positions of the rows matching every word of `query`.
    pub fn filter_targets(&self, query: &str) -> Vec<u32> {
        filter_targets(self.targets(), query)
    }

    /// How to switch to the row at `position`, from the active tab.
    pub fn plan_switch(&self, position: usize, from: &SwitchFrom) -> Option<Plan> {
        let view = self.targets().get(position)?;
        Some(plan_switch(&self.config().targets[view.index], from))
    }
}

/// The user's configuration text (`user`; the seed when there is none) with a rule naming
/// `environment` for what the tab at `url` shows, appended and the rest untouched. Checked as the
/// options page checks a text, and by its effect: under it, the tab's verdict must have that
/// environment. Refused, with the reason, where the organisation's locked rule decides, where the
/// page shows no id the console sets, or where an earlier rule of the user's would still decide.
///
/// ```
/// use redline::{with_environment_rule, Signals};
/// let signals = Signals { aws_session_data: Some(r#"{"accountId":"111122223333"}"#.into()), ..Signals::default() };
/// let text = with_environment_rule(None, None, None, "https://console.aws.amazon.com/", &signals, "staging").unwrap();
/// assert!(text.ends_with("[[aws.accounts]]\nid = \"111122223333\"\nenvironment = \"staging\"\n"));
/// ```
pub fn with_environment_rule(
    user: Option<&str>,
    managed: Option<&str>,
    learned: Option<&str>,
    url: &str,
    signals: &Signals,
    environment: &str,
) -> Result<String, String> {
    let mut engine = Engine::new();
    engine.configure(user, managed, learned);
    let why = engine.why(url, signals).ok_or("the tab is not a console page redline knows")?;
    let fix = why.fix.ok_or_else(|| format!("no rule is offered for this tab: {}", why.no_fix.unwrap_or_default()))?;
    if let Some(refused) = fix.refused {
        return Err(refused);
    }
    if !fix.choices.iter().any(|choice| choice == environment) {
        return Err(format!("'{environment}' is not an environment of the configuration"));
    }
    if why.verdict.environment.name == environment {
        return Err(format!("the banner already says {environment}"));
    }
    let base = user.unwrap_or(SEED_TEXT).trim_end();
    let text = format!(
        "{base}\n\n# Added from the popup (\"Why this banner?\"): this {} is {environment}.\n[[{}]]\n{} = {}\nenvironment = {}\n",
        fix.noun,
        fix.section,
        fix.key,
        toml_string(&fix.value),
        toml_string(environment)
    );
    // Checked as the worker will read it: with the organisation's part, which may define the
    // environment the user's text names.
    let configured = engine.configure(Some(&text), managed, learned);
    if !configured.user_applied {
        let first =
            configured.user.iter().find(|p| p.level == Level::Error).map_or(String::new(), |p| p.message.clone());
        return Err(format!("the configuration would not be valid with it: {first}"));
    }
    match engine.evaluate(url, signals) {
        Some(verdict) if verdict.environment.name == environment => Ok(text),
        Some(verdict) => Err(format!(
            "something else still decides ({}): an earlier rule of yours or your organisation's, or a name that may only raise; the reasons above say which, and the options page changes it",
            verdict.environment.name
        )),
        None => Err("the tab is not a console page redline knows".to_owned()),
    }
}

/// The learned text split into what each portal taught: each lesson starts with its header line.
pub(crate) fn lessons(text: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = text
        .match_indices(LESSON_HEADER)
        .map(|(at, _)| at)
        .filter(|&at| at == 0 || text[..at].ends_with('\n'))
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts
        .iter()
        .zip(starts.iter().skip(1).chain([&text.len()]))
        .map(|(&from, &to)| &text[from..to])
        .filter(|t| !t.trim().is_empty())
        .collect()
}
