//! `redline check`: the options page's validation of configuration files.

use std::io::{self, Write};

use redline::{parse_config, Diagnostic, Level};
use serde::Serialize;

use crate::command::{complain, Format, Outcome};
use crate::input::{self, display_name, Text};
use crate::output::escaped;

/// One problem of one file, as `--format json` prints it.
#[derive(Debug, Serialize)]
pub struct Finding<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    level: Level,
    message: &'a str,
}

/// The problems of `text`, errors and warnings, in text order (as the options page lists them).
pub fn diagnostics(text: &str) -> Vec<Diagnostic> {
    match parse_config(text) {
        Ok(loaded) => loaded.warnings,
        Err(found) => found,
    }
}

/// `FILE:LINE:COLUMN: level: message`, the form editors and CI annotations read: one line, the
/// file's name and the message with their control characters escaped.
pub fn line(file: &str, found: &Diagnostic) -> String {
    let level = match found.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    format!("{}:{}:{}: {level}: {}", escaped(file), found.line, found.column, escaped(&found.message))
}

/// Checks every file; the worst outcome of them all.
pub fn run(files: &[String], deny_warnings: bool, format: Format, out: &mut dyn Write) -> io::Result<Outcome> {
    let mut outcome = Outcome::Clean;
    let mut checked: Vec<(&str, Vec<Diagnostic>)> = Vec::new();
    for path in files {
        let found = match input::read(path) {
            Ok(Text::Read(text)) => diagnostics(&text),
            Ok(Text::Refused(found)) => vec![found],
            Err(message) => {
                outcome = outcome.max(complain(&message));
                // In JSON the file is not left out: an error at line 0, where no line was read.
                if format == Format::Json {
                    let unread = Diagnostic { line: 0, column: 0, level: Level::Error, message };
                    checked.push((display_name(path), vec![unread]));
                }
                continue;
            }
        };
        let fails = |d: &Diagnostic| d.level == Level::Error || deny_warnings;
        if found.iter().any(fails) {
            outcome = outcome.max(Outcome::Found);
        }
        checked.push((display_name(path), found));
    }
    match format {
        Format::Text => {
            for (file, found) in &checked {
                for d in found {
                    writeln!(out, "{}", line(file, d))?;
                }
            }
        }
        Format::Json => {
            let findings: Vec<Finding> = checked
                .iter()
                .flat_map(|(file, found)| {
                    found.iter().map(|d| Finding {
                        file,
                        line: d.line,
                        column: d.column,
                        level: d.level,
                        message: &d.message,
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&findings).expect("findings are plain data"))?;
        }
    }
    Ok(outcome)
}
