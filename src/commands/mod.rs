//! Every command of the command line as a library function that tests can call.

pub mod analyst;
pub mod init;
pub mod render;

use std::path::{Path, PathBuf};

use crate::dataset::{Dataset, Problems, Severity, Source};
use crate::error::{Error, Result};

/// The folder everything goes to unless told otherwise.
pub const DEFAULT_OUTPUT: &str = "output";

/// Loads a dataset and refuses it when it has errors, naming the first.
pub fn load_dataset(dir: Option<&Path>) -> Result<Dataset> {
    Dataset::load(&Source::from_option(dir))
}

/// Creates the default output folder when it is what the user gets by default; an explicit
/// folder must already exist.
pub fn output_dir(explicit: Option<&Path>, default_sub: Option<&str>) -> Result<PathBuf> {
    match explicit {
        Some(p) => {
            if !p.is_dir() {
                return Err(Error::usage(format!(
                    "--out: the folder {} does not exist",
                    p.display()
                )));
            }
            Ok(p.to_path_buf())
        }
        None => {
            let mut p = PathBuf::from(DEFAULT_OUTPUT);
            if let Some(s) = default_sub {
                p.push(s);
            }
            std::fs::create_dir_all(&p).map_err(|e| Error::io(&p, e))?;
            Ok(p)
        }
    }
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
