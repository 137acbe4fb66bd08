//! redline: which cloud console a tab shows, which environment and which role, and how loudly to
//! say so.
//!
//! The core is pure: a URL, the [`Signals`] a content script read from the page and a [`Config`]
//! go in, a [`Verdict`] comes out. The browser extension only gathers signals and paints.
//!
//! ```
//! use redline::{evaluate, Config, Severity, Signals};
//! let signals = Signals {
//!     aws_user_info: Some("%7B%22arn%22%3A%22arn%3Aaws%3Aiam%3A%3A111122223333%3Aroot%22%7D".into()),
//!     ..Signals::default()
//! };
//! let verdict = evaluate("https://console.aws.amazon.com/billing/home", &signals, &Config::seed()).unwrap();
//! assert_eq!(verdict.severity, Severity::Danger);
//! assert!(verdict.label.contains("ROOT"));
//! ```

mod address;
mod aiven;
mod aws;
mod azure;
mod config;
mod console;
mod document;
mod engine;
mod environment;
mod error;
mod evidence;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod gcp;
mod identity;
mod import;
mod locator;
mod node;
mod palette;
mod pattern;
mod portal;
mod privilege;
mod signals;
mod snapshot;
mod switch;
mod target;
mod token;
mod toml;
mod verdict;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use config::{
    AivenRules, AwsRules, AzureRules, Config, DangerSettings, EnvironmentDef, GcpRules, RoleRule, Rule, Target,
    DEFAULT_VERBS, SEED_TEXT,
};
pub use console::{detect, ConsoleHost, ConsoleLocation, Partition, Provider, CONSOLE_FRAME_HOSTS, CONSOLE_HOSTS};
pub use document::{parse_config, Diagnostic, Level, Loaded, MAX_TEXT_BYTES};
pub use engine::{Configured, Engine};
pub use environment::{environment_from_names, EnvironmentKind, EnvironmentView, NameEvidence};
pub use error::Error;
pub use import::{import, Imported, LineReport, Outcome, Outcomes, Source as ImportSource};
pub use palette::Colour;
pub use portal::{read_portal, Portal, PortalAccount, PORTAL_HOSTS};
pub use privilege::{privilege_from_role_name, Privilege};
pub use signals::Signals;
pub use switch::{is_switch_destination, plan_switch, From as SwitchFrom, Plan};
pub use target::{current_targets, filter_targets, PopupList, TargetView};
pub use verdict::{evaluate, Account, Colors, Danger, Guard, PrincipalView, Severity, Switch, Verdict};
