//! `redline targets`: the popup's list of switch targets, in its order and under its filter.

use redline::{filter_targets, TargetView};

use crate::command::{Format, Outcome};
use crate::configuration;

/// Prints the rows of the configuration `config` (under `policy`) that match `filter`.
pub fn run(config: &str, policy: Option<&str>, filter: Option<&str>, format: Format) -> Outcome {
    let engine = match configuration::engine(Some(config), policy) {
        Ok(engine) => engine,
        Err((outcome, message)) => {
            eprintln!("{message}");
            return outcome;
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
        Format::Json => println!("{}", serde_json::to_string_pretty(&rows).expect("rows serialise")),
        Format::Text => print!("{}", table(&rows)),
    }
    Outcome::Clean
}

/// One row per line, environment, label and detail in columns.
pub fn table(rows: &[&TargetView]) -> String {
    let width = |of: fn(&TargetView) -> &str| rows.iter().map(|r| of(r).chars().count()).max().unwrap_or(0);
    let (environments, labels) = (width(|r| &r.environment.label), width(|r| &r.label));
    rows.iter()
        .map(|r| {
            let line = format!("{:<environments$}  {:<labels$}  {}", r.environment.label, r.label, r.detail);
            format!("{}\n", line.trim_end())
        })
        .collect()
}
