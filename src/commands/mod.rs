//! Every command of the command line as a library function that tests can call.

pub mod analyst;
pub mod history;
pub mod html;
pub mod init;
pub mod render;

use std::path::Path;

use crate::dataset::{Dataset, Problems, Severity, Source};
use crate::error::Result;

pub use crate::write::{DEFAULT_OUTPUT, output_dir};

/// What the main job made.
#[derive(Debug, Clone)]
pub struct MainJob {
    /// The phase maps (PNG, SVG, alt text).
    pub maps: Vec<std::path::PathBuf>,
    /// The animation.
    pub frames: crate::frames::FramesReport,
    /// The interactive page.
    pub page: std::path::PathBuf,
}

/// The main job (the command line with no command): every phase map as PNG and SVG with alt
/// text into `out`, then the animation frames into `out/frames` with `frames.csv`, and the GIF
/// into `out`.
pub fn main_job(
    dataset: &Dataset,
    out: &Path,
    progress: bool,
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<MainJob> {
    use crate::frames::{FramesRequest, GifTarget};
    let maps = render::render(
        dataset,
        &render::RenderRequest {
            size: (1600, 1200),
            out: Some(crate::write::Output::Path(out.to_path_buf())),
            ..Default::default()
        },
    )?;
    let frames = crate::frames::run(
        dataset,
        &FramesRequest {
            out: Some(out.join("frames")),
            gif: GifTarget::InFolder(out.to_path_buf()),
            progress,
            ..Default::default()
        },
        cancel,
    )?;
    let page = html::html_into(dataset, out, crate::lang::Lang::En)?;
    Ok(MainJob { maps, frames, page })
}

/// A dataset folder that does not exist is a usage error (exit 2), not an I/O failure.
pub fn check_dataset_folder(dir: Option<&Path>) -> Result<()> {
    match dir {
        Some(d) if !d.is_dir() => Err(crate::error::Error::usage_of(
            crate::error::Field::Dataset,
            format!("{} is not a dataset folder", d.display()),
        )),
        _ => Ok(()),
    }
}

/// Loads a dataset and refuses it when it has errors, naming the first.
pub fn load_dataset(dir: Option<&Path>) -> Result<Dataset> {
    check_dataset_folder(dir)?;
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

/// Warnings of one kind listed one by one only up to this many, unless asked for all.
const LISTED_WARNINGS: usize = 3;

/// The `validate` report: every problem as `file:line: message`, then a count. Unless
/// `verbose`, warnings about targets without records are summarised in one line when there
/// are more than a few.
pub fn validation_report(problems: &Problems, verbose: bool) -> (String, bool) {
    const NO_RECORD: &str = "never gets a record and is drawn as no data";
    let unrecorded: Vec<&crate::dataset::Problem> = problems
        .all()
        .iter()
        .filter(|p| p.severity == Severity::Warning && p.message.ends_with(NO_RECORD))
        .collect();
    let summarise = !verbose && unrecorded.len() > LISTED_WARNINGS;
    let mut out = String::new();
    for p in problems.all() {
        if summarise && p.severity == Severity::Warning && p.message.ends_with(NO_RECORD) {
            continue;
        }
        out.push_str(&p.to_string());
        out.push('\n');
    }
    if let (true, Some(first)) = (summarise, unrecorded.first()) {
        let names: Vec<&str> = unrecorded
            .iter()
            .take(LISTED_WARNINGS)
            .filter_map(|p| p.message.split('\'').nth(1))
            .collect();
        out.push_str(&format!(
            "{}: warning: {} targets never get a record and are drawn as no data ({}, and {} more; the verbose report lists each)\n",
            first.file,
            unrecorded.len(),
            names.join(", "),
            unrecorded.len() - names.len()
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_job_writes_phase_maps_frames_csv_and_gif() {
        let dir = tempfile::tempdir().unwrap();
        let ruritania =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ruritania");
        let dataset = load_dataset(Some(&ruritania)).unwrap();
        let out = dir.path().join("output");
        let job = main_job(
            &dataset,
            &out,
            false,
            &std::sync::atomic::AtomicBool::new(false),
        )
        .unwrap();
        for name in [
            "peace.png",
            "peace.svg",
            "peace.alt.txt",
            "siege.png",
            "frames/frames.csv",
        ] {
            assert!(out.join(name).is_file(), "{name}");
        }
        assert_eq!(job.maps.len(), 3 * 3);
        let gif = job.frames.gif.unwrap();
        assert_eq!(gif, out.join("ruritania-2020-2020.gif"));
        assert!(gif.is_file());
        assert!(job.frames.frames > 0);
        assert!(out.join("frames/frame-00001.png").is_file());
    }
}
