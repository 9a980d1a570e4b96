//! What the dataset targets share: one copy of the Ruritania test dataset per process, and the
//! check that every problem is reported as `<file>:<line>: <message>` or `<file>: <message>`.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use controlmap::dataset::{Dataset, Source};

/// The Ruritania dataset copied once into a temporary folder; with `control.csv` replaced by
/// `control` when given.
pub fn fixture(control: Option<&str>) -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/ruritania");
        let dir = tempfile::tempdir().expect("a temporary folder");
        for e in std::fs::read_dir(&from).expect("tests/data/ruritania") {
            let e = e.expect("a dataset file");
            std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
        }
        if let Some(text) = control {
            std::fs::write(dir.path().join("control.csv"), text).expect("write control.csv");
        }
        dir
    })
}

/// Writes `data` as `name` in the fixture, checks the dataset, and panics on a badly formed
/// problem. Returns the dataset when it has no errors.
pub fn check_with(dir: &Path, name: &str, data: &[u8]) -> Option<Dataset> {
    std::fs::write(dir.join(name), data).expect("write the fuzzed file");
    let source = Source::Dir(dir.to_path_buf());
    let files: Vec<String> = [
        "dataset.toml",
        "regions.geojson",
        "neighbours.geojson",
        "places.csv",
        "control.csv",
        "events.csv",
    ]
    .iter()
    .map(|f| source.display_name(f))
    .collect();
    let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
    let well_formed = |shown: &str| {
        assert!(
            !shown.contains(['\n', '\r']),
            "a problem spans lines: {shown:?}"
        );
        let file = files
            .iter()
            .find(|f| shown.starts_with(&format!("{f}:")))
            .unwrap_or_else(|| panic!("no dataset file named: {shown:?}"));
        let rest = &shown[file.len() + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let line: usize = rest[..digits].parse().expect("a line number");
            assert!(line >= 1, "line 0: {shown:?}");
            if file.ends_with(name) {
                assert!(
                    line <= lines,
                    "line {line} of a {lines}-line file: {shown:?}"
                );
            }
            assert!(rest[digits..].starts_with(": "), "{shown:?}");
        } else {
            assert!(rest.starts_with(' '), "{shown:?}");
        }
    };
    match Dataset::check(&source) {
        Err(e) => {
            well_formed(&e.to_string());
            assert!(
                std::str::from_utf8(data).is_err(),
                "only non-UTF-8 stops a check: {e}"
            );
            None
        }
        Ok((dataset, problems)) => {
            for p in problems.all() {
                well_formed(&p.to_string());
            }
            dataset.filter(|_| problems.error_count() == 0)
        }
    }
}
