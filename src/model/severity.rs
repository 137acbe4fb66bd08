//! Severity: how loudly the banner speaks.

use serde::Serialize;

use super::{EnvironmentKind, Privilege};

/// How loudly the banner speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nothing risky here: the banner only informs.
    Info,
    /// Worth care: write or unknown privilege in prod, or admin in staging or an unknown environment.
    Caution,
    /// Admin in prod, or a root session: danger mode (acknowledgement, reminders, the destructive-action guard).
    Danger,
}

impl Severity {
    /// The severity of a privilege in an environment; root sessions are handled by the caller.
    ///
    /// ```
    /// use redline::{EnvironmentKind as E, Privilege as P, Severity as S};
    /// assert_eq!(S::of(E::Prod, P::Admin), S::Danger);
    /// assert_eq!(S::of(E::Prod, P::Unknown), S::Caution);
    /// assert_eq!(S::of(E::Dev, P::Admin), S::Info);
    /// ```
    pub fn of(environment: EnvironmentKind, privilege: Privilege) -> Severity {
        use EnvironmentKind as E;
        use Privilege as P;
        match (environment, privilege) {
            (E::Prod, P::Admin) => Severity::Danger,
            (E::Prod, P::Write | P::Unknown) | (E::Staging | E::Unknown, P::Admin) => Severity::Caution,
            _ => Severity::Info,
        }
    }

    /// `info`, `caution` or `danger`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Caution => "caution",
            Severity::Danger => "danger",
        }
    }
}
