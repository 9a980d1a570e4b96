//! Every command of the command line as a library function that tests can call.

pub mod analyst;
pub mod history;
pub mod init;
pub mod render;

use std::path::Path;

use crate::dataset::{Dataset, Problems, Severity, Source};
use crate::error::Result;

pub use crate::write::{output_dir, DEFAULT_OUTPUT};

/// Loads a dataset and refuses it when it has errors, naming the first.
pub fn load_dataset(dir: Option<&Path>) -> Result<Dataset> {
    Dataset::load(&Source::from_option(dir))
}

/// The `phases` listing: id, date and title of every phase.
pub fn phases_listing(dataset: &Dataset) -> String {
    let width = dataset
        .manifest
        .phases
        .iter()
        .map(|p| p.id.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for p in &dataset.manifest.phases {
        let start = p.start.map_or_else(String::new, |s| format!(" (from {s})"));
        out.push_str(&format!(
            "{:<width$}  {}  {}{start}\n",
            p.id, p.date, p.title
        ));
    }
    out
}

/// The `validate` report: every problem as `file:line: message`, then a count.
pub fn validation_report(problems: &Problems) -> (String, bool) {
    let mut out = String::new();
    for p in problems.all() {
        out.push_str(&p.to_string());
        out.push('\n');
    }
    let errors = problems.error_count();
    let warnings = problems
        .all()
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    out.push_str(&format!("{errors} error(s), {warnings} warning(s)\n"));
    (out, errors == 0)
}
