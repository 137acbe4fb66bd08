//! The engine a service worker or extension page keeps: the configuration in force and the
//! verdicts under it.

use serde::Serialize;

use crate::config::{Config, SEED_TEXT};
use crate::document::{parse_config, Diagnostic};
use crate::signals::Signals;
use crate::switch::{plan_switch, From as SwitchFrom, Plan};
use crate::target::{current_targets, filter_targets, list_targets, TargetView};
use crate::verdict::{evaluate, Verdict};

/// The configuration in force and how to change it safely.
#[derive(Debug, Clone)]
pub struct Engine {
    config: Config,
    /// The popup's rows, listed once per configuration.
    targets: Vec<TargetView>,
}

/// What came of a configuration change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Configured {
    /// Whether the new configuration is now in force. When it is not, the previous one still is.
    pub applied: bool,
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
        Engine::with(Config::seed())
    }

    fn with(config: Config) -> Engine {
        Engine { targets: list_targets(&config), config }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Puts the user's text (the seed when `None`) under the organisation's (none when `None`)
    /// in force. If either text has an error nothing changes: a broken edit never replaces a
    /// working configuration.
    ///
    /// ```
    /// use redline::Engine;
    /// let mut engine = Engine::new();
    /// let result = engine.configure(Some("[[environments]]\nname = \"prod\"\nkind = \"prod\"\ncolour = \"red\"\n"), None);
    /// assert!(!result.applied);
    /// assert_eq!(engine.config().environments.len(), 4, "the seed is still in force");
    /// ```
    pub fn configure(&mut self, user: Option<&str>, managed: Option<&str>) -> Configured {
        let user_result = parse_config(user.unwrap_or(SEED_TEXT));
        let managed_result = managed.map(parse_config);
        let mut configured = Configured { applied: false, user: Vec::new(), managed: Vec::new(), notices: Vec::new() };
        let user_config = match user_result {
            Ok(loaded) => {
                configured.user = loaded.warnings;
                Some(loaded.config)
            }
            Err(found) => {
                configured.user = found;
                None
            }
        };
        let managed_config = match managed_result {
            None => Some(None),
            Some(Ok(loaded)) => {
                configured.managed = loaded.warnings;
                Some(Some(loaded.config))
            }
            Some(Err(found)) => {
                configured.managed = found;
                None
            }
        };
        if let (Some(user), Some(managed)) = (user_config, managed_config) {
            *self = Engine::with(match managed {
                Some(managed) => {
                    let (config, notices) = Config::merge(managed, user);
                    configured.notices = notices;
                    config
                }
                None => user,
            });
            configured.applied = true;
        }
        configured
    }

    /// The verdict on a tab under the configuration in force.
    pub fn evaluate(&self, url: &str, signals: &Signals) -> Option<Verdict> {
        evaluate(url, signals, &self.config)
    }

    /// The popup's rows, in display order.
    pub fn targets(&self) -> &[TargetView] {
        &self.targets
    }

    /// Positions of the rows that are the identity of the tab at `url`.
    pub fn current_targets(&self, url: &str, signals: &Signals) -> Vec<u32> {
        self.evaluate(url, signals).map(|verdict| current_targets(&self.targets, &verdict)).unwrap_or_default()
    }

    /// Positions of the rows matching every word of `query`.
    pub fn filter_targets(&self, query: &str) -> Vec<u32> {
        filter_targets(&self.targets, query)
    }

    /// How to switch to the row at `position`, from the active tab.
    pub fn plan_switch(&self, position: usize, from: &SwitchFrom) -> Option<Plan> {
        let view = self.targets.get(position)?;
        Some(plan_switch(&self.config.targets[view.index], from))
    }
}
