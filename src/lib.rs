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

#![warn(missing_docs)]

mod config;
mod console;
mod engine;
mod error;
#[cfg(feature = "fuzzing")]
// The fuzz targets' input grammar, for fuzz/ and the crash replays only: not the crate's surface.
#[allow(missing_docs)]
pub mod fuzzing;
mod model;
mod signals;
mod text;
mod verdict;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use config::document::{parse_config, Diagnostic, Level, Loaded, MAX_TEXT_BYTES};
pub use config::import::{import, Imported, LineReport, Outcome, Outcomes, Source as ImportSource};
pub use config::{Config, DangerSettings, EnvironmentDef, RoleRule, Rule, Scope, Target, DEFAULT_VERBS, SEED_TEXT};
pub use console::aws::portal::{read_portal, Portal, PortalAccount};
pub use console::aws::switch::is_switch_destination;
pub use console::environment::EnvironmentView;
pub use console::privilege::privilege_from_role_name;
pub use console::switch::{plan_switch, From as SwitchFrom, Plan};
pub use console::{detect, Account, ConsoleHost, ConsoleLocation, CONSOLE_FRAME_HOSTS, CONSOLE_HOSTS};
pub use engine::{with_environment_rule, Configured, Engine};
pub use error::Error;
pub use model::{Colour, EnvironmentKind, Partition, Privilege, Provider, Severity};
pub use signals::Signals;
pub use text::names::{environment_from_names, NameEvidence};
pub use text::portal_url::{check_portal_url, PORTAL_HOSTS};
pub use verdict::target::{current_targets, filter_targets, PopupList, TargetView};
pub use verdict::{
    evaluate, mask_ids, About, Colors, Danger, DangerClock, DangerOverlay, DangerStep, DangerSteps, Fix, Guard,
    PrincipalView, SignalRead, Switch, Verdict, Why,
};
