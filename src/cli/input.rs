//! Reading the files named on the command line (or standard input) as the extension would take
//! their text: UTF-8, at most `MAX_TEXT_BYTES`.

use std::fs::File;
use std::io::Read;

use redline::{Diagnostic, Level, MAX_TEXT_BYTES};

use crate::command::Outcome;
use crate::output::escaped;

/// A file's name as messages show it: standard input is `<stdin>`.
pub fn display_name(path: &str) -> &str {
    if path == "-" {
        "<stdin>"
    } else {
        path
    }
}

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Standard input can be read once: refuses a command line that names it (`-`) more than once.
pub fn stdin_once<'a>(names: impl IntoIterator<Item = Option<&'a str>>) -> Result<(), String> {
    if names.into_iter().flatten().filter(|name| *name == "-").count() > 1 {
        return Err("standard input (-) is named more than once; expected it for one file at most".to_owned());
    }
    Ok(())
}

/// What a file held.
pub enum Text {
    /// Its text.
    Read(String),
    /// Not a configuration the extension would read (too large, not UTF-8): why, where.
    Refused(Diagnostic),
}

/// Reads `path` (`-`: standard input). `Err` says why it could not be read at all.
pub fn read(path: &str) -> Result<Text, String> {
    let mut bytes = Vec::new();
    // One byte over the limit is enough to know: a mistaken multi-gigabyte file is not read whole.
    // A byte-order mark, dropped below, does not count towards the limit.
    let limit = (MAX_TEXT_BYTES + BOM.len()) as u64 + 1;
    let read = if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        File::open(path).and_then(|file| file.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|error| format!("cannot read {}: {error}", display_name(path)))?;
    // A UTF-8 byte-order mark is no part of the text: the options page's `file.text()` drops it.
    let bom = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    bytes.drain(..bom);
    if bytes.len() > MAX_TEXT_BYTES {
        let size = std::fs::metadata(path).ok().filter(|_| path != "-").map(|m| m.len());
        let size = size.map_or_else(|| "more than that".to_owned(), |size| format!("{size} bytes"));
        return Ok(Text::Refused(refusal(
            1,
            1,
            format!(
                "the file is over the limit of {MAX_TEXT_BYTES} bytes (2 MiB) that the extension reads ({size}); expected a smaller configuration"
            ),
        )));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Text::Read(text)),
        Err(error) => {
            let bytes = error.as_bytes();
            let at = error.utf8_error().valid_up_to();
            let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
            // Columns count characters, as the core's do; everything before `at` is valid UTF-8.
            let column = 1 + String::from_utf8_lossy(&bytes[line_start..at]).chars().count();
            Ok(Text::Refused(refusal(
                line,
                column,
                format!("not UTF-8 text (byte {} cannot start a character); expected a UTF-8 configuration", at + bom),
            )))
        }
    }
}

fn refusal(line: usize, column: usize, message: String) -> Diagnostic {
    Diagnostic { line, column, level: Level::Error, message }
}

/// Reads `path` as text, or says why not: what could not be read, or the file's own diagnostic
/// (`FILE:LINE:COLUMN: error: …`) when its text is refused. Either way the command stops with 2
/// for an unreadable file and 1 for a refused text.
pub fn read_text(path: &str) -> Result<String, (Outcome, String)> {
    match read(path) {
        Ok(Text::Read(text)) => Ok(text),
        Ok(Text::Refused(found)) => Err((Outcome::Found, crate::check::line(display_name(path), &found))),
        Err(message) => Err((Outcome::Usage, format!("redline: {}", escaped(&message)))),
    }
}
