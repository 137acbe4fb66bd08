//! The destructive-action guard's matcher: which control labels it asks about. The content script
//! applies it to a click at once, so the core hands it over as a regular expression that follows
//! the core's own word splitting ([`crate::text::token`]): `DeleteBucket` and `stop_all` hold
//! `delete` and `stop`, `Deleted items` and `Undelete` do not.

use serde::Serialize;

use crate::text::token::tokens;

/// The destructive-action guard: a click on a control whose label has one of `verbs` as whole
/// tokens (any case) is confirmed by typing `confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guard {
    /// The extension reads only the pattern, so the verbs are not sent over.
    #[serde(skip)]
    pub verbs: Vec<String>,
    /// What the user types to confirm a guarded click: the environment's name.
    pub confirm: String,
    /// A JavaScript regular expression (flag `u`) that finds a guarded verb in a label: what
    /// [`Guard::matches`] says, and louder only where a label splits a verb inside itself
    /// (`DeLete`, `de-lete`).
    pub pattern: String,
}

/// A token boundary where the core's [`tokens`] puts one: a character that is no letter or digit
/// on one side (or no character: any script's letters and digits count here, so that a space,
/// `…` or an icon glyph beside a verb separates it as the old whole-word matching did), a
/// lower→upper change, the last capital of a capital run, a change between letters and digits.
const BOUNDARY: &str = "(?:(?<![\\p{L}\\p{N}])|(?![\\p{L}\\p{N}])|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\\d)|(?<=\\d)(?=[A-Za-z]))";

/// What may stand between two tokens of one verb: anything but letters and digits.
const SEPARATOR: &str = "[^\\p{L}\\p{N}]*";

impl Guard {
    /// The guard for `verbs`, confirmed by typing `confirm`.
    pub fn new(verbs: &[String], confirm: &str) -> Guard {
        let mut pattern = String::from(BOUNDARY);
        pattern.push_str("(?:");
        for (v, verb) in verbs.iter().map(|v| tokens(v)).filter(|t| !t.is_empty()).enumerate() {
            pattern.push_str(if v > 0 { "|" } else { "" });
            for (i, token) in verb.iter().enumerate() {
                if i > 0 {
                    pattern.push_str(SEPARATOR);
                    pattern.push_str(BOUNDARY);
                }
                pattern.push_str("(?i:");
                pattern.push_str(token);
                pattern.push(')');
            }
        }
        pattern.push(')');
        pattern.push_str(BOUNDARY);
        Guard { verbs: verbs.to_vec(), confirm: confirm.to_owned(), pattern }
    }

    /// Whether a control labelled `label` is guarded: its tokens hold the tokens of a verb, one
    /// after another, in any case.
    ///
    /// ```
    /// use redline::Guard;
    /// let guard = Guard::new(&["delete".into(), "stop".into()], "prod");
    /// assert!(guard.matches("DeleteBucket") && guard.matches("stop_all") && guard.matches("DELETE"));
    /// assert!(!guard.matches("Deleted items") && !guard.matches("Undelete") && !guard.matches("Stopwatch"));
    /// ```
    pub fn matches(&self, label: &str) -> bool {
        // Any script's letters and digits make words; everything else separates them.
        let words: String = label.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
        let label: Vec<String> = tokens(&words).iter().map(|t| t.to_lowercase()).collect();
        self.verbs.iter().any(|verb| {
            let verb: Vec<String> = tokens(verb).iter().map(|t| t.to_lowercase()).collect();
            !verb.is_empty() && label.windows(verb.len()).any(|run| run == verb)
        })
    }
}
