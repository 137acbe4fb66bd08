//! The engine configured from files as the service worker configures it from storage: the user's
//! text (the seed when none) under the organisation's.

use redline::{Engine, Level};

use crate::check::line;
use crate::command::Outcome;
use crate::input::{display_name, read_text};
use crate::output::{escaped, note};

/// An engine with `config` (the user's file) and `policy` (the organisation's) in force. Warnings
/// and notices go to standard error. A file with an error stops the command: the worker would keep
/// its previous configuration, and a command asked about this text must not answer for another.
pub fn engine(config: Option<&str>, policy: Option<&str>) -> Result<Engine, (Outcome, String)> {
    let user = config.map(read_text).transpose()?;
    let managed = policy.map(read_text).transpose()?;
    let mut engine = Engine::new();
    let configured = engine.configure(user.as_deref(), managed.as_deref(), None);
    let parts = [
        (config, &configured.user, configured.user_applied),
        (policy, &configured.managed, configured.managed_applied),
    ];
    let mut refused = Vec::new();
    for (path, found, applied) in parts {
        let name = display_name(path.unwrap_or("<seed>"));
        for d in found {
            let text = line(name, d);
            if applied || d.level == Level::Warning {
                note(&text);
            } else {
                refused.push(text);
            }
        }
    }
    if !refused.is_empty() {
        refused.push("redline: the configuration has errors: the extension would not put it in force".to_owned());
        return Err((Outcome::Found, refused.join("\n")));
    }
    for notice in &configured.notices {
        note(&format!("note: {}", escaped(notice)));
    }
    Ok(engine)
}
