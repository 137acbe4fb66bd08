//! Evidence and who chose it: the Trust table of the design. Who can set a string decides what it
//! may decide; the banner may be wrong in one direction only, louder than the truth.

/// Who chose the content of a piece of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// The configuration: the bundled seed, the user's rules, the organisation's policy.
    Configured,
    /// Put there by the console: ids in the URL or host, the session ARN, the login names.
    Console,
    /// The name of the container itself, set by its administrators: an account alias, a
    /// subscription, directory or app registration name, a role or permission-set name.
    Administrator,
    /// Anyone who may create or rename things inside the container, the user, or whoever wrote a
    /// link: names inside an account, display names, session names, page text, labels learned
    /// from a portal the configuration does not name. It may only raise.
    Anyone,
}

impl Trust {
    /// Whether evidence of this trust decides both ways; otherwise it may only raise.
    pub fn decides(self) -> bool {
        self != Trust::Anyone
    }

    /// How reasons name the trust level.
    pub fn describe(self) -> &'static str {
        match self {
            Trust::Configured => "configured: decides",
            Trust::Console => "set by the console: decides",
            Trust::Administrator => "named by its administrators: decides",
            Trust::Anyone => "anyone may set it: it may only raise",
        }
    }
}

/// A name a console shows (an alias, an app's name, a resource group, a learned label), what it
/// is, and who chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub what: String,
    pub value: String,
    pub trust: Trust,
}

impl Named {
    pub fn new(what: impl Into<String>, value: impl Into<String>, trust: Trust) -> Named {
        Named { what: what.into(), value: value.into(), trust }
    }
}
