//! `redline targets`: the popup's list of switch targets, in its order and under its filter.

use std::io::{self, Write};

use redline::{filter_targets, TargetView};

use crate::command::{Format, Outcome};
use crate::configuration;
use crate::output::{escaped, note};

/// Prints the rows of the configuration `config` (under `policy`) that match `filter`.
pub fn run(
    config: &str,
    policy: Option<&str>,
    filter: Option<&str>,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    let engine = match configuration::engine(Some(config), policy) {
        Ok(engine) => engine,
        Err((outcome, message)) => {
            note(&message);
            return Ok(outcome);
        }
    };
    let views = engine.targets();
    // The popup's own filter (the core's), so that the same words find the same rows.
    let rows: Vec<&TargetView> = match filter {
        Some(query) => filter_targets(views, query).into_iter().map(|at| &views[at as usize]).collect(),
        None => views.iter().collect(),
    };
    match format {
        // Each row as the popup receives it (`PopupList::rows`).
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows).expect("rows serialise"))?,
        Format::Text => write!(out, "{}", table(&rows))?,
    }
    Ok(Outcome::Clean)
}

/// One row per line, environment, label and detail in columns (their control characters escaped).
pub fn table(rows: &[&TargetView]) -> String {
    let cells: Vec<[String; 3]> = rows
        .iter()
        .map(|r| [&r.environment.label, &r.label, &r.detail].map(|cell| escaped(cell).into_owned()))
        .collect();
    let width = |at: usize| cells.iter().map(|c| c[at].chars().count()).max().unwrap_or(0);
    let (environments, labels) = (width(0), width(1));
    cells
        .iter()
        .map(|[environment, label, detail]| {
            let line = format!("{environment:<environments$}  {label:<labels$}  {detail}");
            format!("{}\n", line.trim_end())
        })
        .collect()
}
