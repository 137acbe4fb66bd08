//! Every error redline reports, each with its own message.

use std::fmt;

/// What went wrong, said so that a person can act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The signals sent by the content script are not the expected JSON object.
    Signals(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Signals(detail) => write!(f, "the page signals are not a JSON object of strings: {detail}"),
        }
    }
}

impl std::error::Error for Error {}
