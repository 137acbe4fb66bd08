//! `redline import`: another tool's file as redline configuration, line by line, as the options
//! page's Import converts it; `--merge` appends the result to a configuration.

use std::io::{self, Write};

use redline::{import, parse_config, Diagnostic, ImportSource, Imported, Outcome as LineOutcome};

use crate::check::line;
use crate::command::{complain, Outcome};
use crate::input::{display_name, read_text};
use crate::output::{escaped, note, stdout_is, write_atomically};

/// Converts `file` from `source`; the TOML (or `merge`'s text with it appended) on standard
/// output or into `output`, the per-line report on standard error.
pub fn run(
    source: ImportSource,
    file: &str,
    merge: Option<&str>,
    output: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    // `--merge me.toml > me.toml`: the shell has emptied the file before redline reads it, and
    // what is printed would be all it holds. `--output me.toml` replaces it whole, once merged.
    if let (Some(merge), None) = (merge, output) {
        if merge != "-" && stdout_is(merge) {
            return Ok(complain(&format!(
                "standard output is {merge}, the file --merge reads: use --output {merge} to merge into it"
            )));
        }
    }
    let text = match convert(source, file, merge) {
        Ok(text) => text,
        Err((outcome, message)) => {
            note(&message);
            return Ok(outcome);
        }
    };
    match output {
        Some(path) => Ok(write_file(path, &text)),
        None => out.write_all(text.as_bytes()).map(|()| Outcome::Clean),
    }
}

/// Puts `text` in `path` whole (see `write_atomically`), or says why not (exit 2).
pub fn write_file(path: &str, text: &str) -> Outcome {
    match write_atomically(path, text.as_bytes()) {
        Ok(()) => Outcome::Clean,
        Err(error) => complain(&format!("cannot write {path}: {error}; it is left as it was")),
    }
}

fn convert(source: ImportSource, file: &str, merge: Option<&str>) -> Result<String, (Outcome, String)> {
    let input = read_text(file)?;
    let original = merge.map(read_text).transpose()?;
    let imported = import(&input, source);
    let report = report(display_name(file), &imported);
    note(report.strip_suffix('\n').unwrap_or(&report));
    let merged = match &original {
        Some(original) => merged(original, &imported.text),
        None => imported.text.clone(),
    };
    // The imported text parses alone (the fuzz targets hold it to that), but not necessarily after
    // another text: an `aws.accounts` written as an inline array, say, cannot take `[[aws.accounts]]`.
    // Either way nothing is written that does not parse.
    let name = display_name(merge.unwrap_or("<imported>"));
    // Lines before the imported text: the original's and the blank one between.
    let offset = merged[..merged.len() - imported.text.len()].matches('\n').count();
    match parse_config(&merged) {
        Ok(loaded) => {
            // The merged text's warnings, each where it is, as its errors would be.
            for d in loaded.warnings.iter().filter(|_| original.is_some()) {
                note(&located(name, offset, d));
            }
        }
        Err(found) => {
            let lines: Vec<String> = found.iter().map(|d| located(name, offset, d)).collect();
            let refusal = "redline: the merged configuration does not parse: nothing is written";
            return Err((Outcome::Found, format!("{}\n{refusal}", lines.join("\n"))));
        }
    }
    Ok(merged)
}

/// `original` untouched, then `imported`: on a line of its own, after a blank line.
pub fn merged(original: &str, imported: &str) -> String {
    let mut text = String::with_capacity(original.len() + imported.len() + 2);
    text.push_str(original);
    if !original.is_empty() {
        text.push_str(if original.ends_with('\n') { "\n" } else { "\n\n" });
    }
    text.push_str(imported);
    text
}

/// A problem of the merged text, at its place in the configuration file or in what was imported.
fn located(name: &str, offset: usize, found: &Diagnostic) -> String {
    if found.line <= offset {
        line(name, found)
    } else {
        let imported = Diagnostic { line: found.line - offset, ..found.clone() };
        line("<imported>", &imported)
    }
}

/// `FILE:LINE: converted|ignored|refused: message`, one per report, then the counts.
pub fn report(file: &str, imported: &Imported) -> String {
    let mut out = String::new();
    for entry in &imported.report {
        let outcome = match entry.outcome {
            LineOutcome::Converted => "converted",
            LineOutcome::Ignored => "ignored",
            LineOutcome::Refused => "refused",
        };
        out.push_str(&format!("{}:{}: {outcome}: {}\n", escaped(file), entry.line, escaped(&entry.message)));
    }
    let counts = imported.outcomes;
    out.push_str(&format!(
        "{}: {} targets; {} converted, {} ignored, {} refused\n",
        escaped(file),
        imported.targets,
        counts.converted,
        counts.ignored,
        counts.refused
    ));
    out
}
