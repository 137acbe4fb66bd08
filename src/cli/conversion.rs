//! `redline import`: another tool's file as redline configuration, line by line, as the options
//! page's Import converts it; `--merge` appends the result to a configuration.

use redline::{import, parse_config, Diagnostic, ImportSource, Imported, Outcome as LineOutcome};

use crate::check::line;
use crate::command::Outcome;
use crate::input::{display_name, read_text};

/// Converts `file` from `source`; the TOML (or `merge`'s text with it appended) on standard
/// output, the per-line report on standard error.
pub fn run(source: ImportSource, file: &str, merge: Option<&str>) -> Outcome {
    match convert(source, file, merge) {
        Ok(text) => {
            print!("{text}");
            Outcome::Clean
        }
        Err((outcome, message)) => {
            eprintln!("{message}");
            outcome
        }
    }
}

fn convert(source: ImportSource, file: &str, merge: Option<&str>) -> Result<String, (Outcome, String)> {
    let input = read_text(file)?;
    let original = merge.map(read_text).transpose()?;
    let imported = import(&input, source);
    eprint!("{}", report(display_name(file), &imported));
    let Some(original) = original else { return Ok(imported.text) };
    let merged = merged(&original, &imported.text);
    // The imported text parses alone (the fuzz targets hold it to that), but not necessarily after
    // another text: an `aws.accounts` written as an inline array, say, cannot take `[[aws.accounts]]`.
    if let Err(found) = parse_config(&merged) {
        let name = display_name(merge.unwrap_or_default());
        // Lines before the imported text: the original's and the blank one between.
        let offset = merged[..merged.len() - imported.text.len()].matches('\n').count();
        let lines: Vec<String> = found.iter().map(|d| located(name, offset, d)).collect();
        let refusal = "redline: the merged configuration does not parse: nothing is written";
        return Err((Outcome::Found, format!("{}\n{refusal}", lines.join("\n"))));
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
        out.push_str(&format!("{file}:{}: {outcome}: {}\n", entry.line, entry.message));
    }
    let counts = imported.outcomes;
    out.push_str(&format!(
        "{file}: {} targets; {} converted, {} ignored, {} refused\n",
        imported.targets, counts.converted, counts.ignored, counts.refused
    ));
    out
}
