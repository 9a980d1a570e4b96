//! Issue 12.1: resources bounded before they are spent. Each case runs under an address-space
//! limit (`prlimit`), so a regression that builds the plan or allocates the frames first aborts
//! instead of exhausting the machine.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

/// Runs the binary in `dir` with at most `bytes` of address space and `cpu_seconds` of CPU.
fn run_limited(dir: &Path, bytes: u64, cpu_seconds: u32, args: &[&str]) -> Output {
    let has_prlimit = std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_prlimit {
        return run_in(dir, args);
    }
    std::process::Command::new("prlimit")
        .arg(format!("--as={bytes}"))
        .arg(format!("--cpu={cpu_seconds}"))
        .arg(env!("CARGO_BIN_EXE_controlmap"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("prlimit runs")
}

const GIB: u64 = 1 << 30;

fn refused_within_limits(args: &[&str], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let o = run_limited(dir.path(), 3 * GIB, 60, args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}

#[test]
fn a_huge_hold_is_refused_before_the_plan_is_built() {
    refused_within_limits(
        &[
            "frames",
            "--phases",
            "--hold",
            "4294967295",
            "--gif",
            "none",
            "--out",
            "f",
        ],
        "more than 100000 frames",
    );
}

#[test]
fn a_huge_transition_is_refused_before_the_plan_is_built() {
    refused_within_limits(
        &[
            "frames",
            "--phases",
            "--transition",
            "200000000",
            "--gif",
            "none",
            "--out",
            "f",
        ],
        "more than 100000 frames",
    );
}

#[test]
fn a_frame_size_beyond_the_memory_budget_is_refused_naming_size() {
    refused_within_limits(&["frames", "--size", "16384x16384", "--out", "f"], "--size");
}

#[test]
fn frames_in_flight_shrink_with_the_frame_size() {
    use controlmap::frames::frames_in_flight;
    assert_eq!(frames_in_flight(1280, 720, 2).unwrap(), 8);
    let many = frames_in_flight(1280, 720, 64).unwrap();
    assert!((64..64 * 4).contains(&many), "{many}");
    assert_eq!(frames_in_flight(8192, 8192, 64).unwrap(), 1);
    assert!(frames_in_flight(16384, 16384, 1).is_err());
}

#[test]
fn a_device_posing_as_a_data_file_is_refused() {
    let data = copy_dataset(&ruritania());
    let control = data.path().join("control.csv");
    std::fs::remove_file(&control).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &control).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let o = run_limited(
        dir.path(),
        3 * GIB,
        60,
        &["validate", "--dataset", data.path().to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // Refused before it is read: as a link out of the folder, or as a device.
    assert!(
        stderr(&o).contains("not a regular file") || stderr(&o).contains("outside the dataset"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_device_or_fifo_is_never_read_as_data() {
    let e = controlmap::dataset::read_limited(Path::new("/dev/zero")).unwrap_err();
    assert!(e.to_string().contains("not a regular file"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("control.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let e = controlmap::dataset::read_limited(&fifo).unwrap_err();
    assert!(e.to_string().contains("not a regular file"), "{e}");
}

#[test]
fn validate_with_20000_unknown_targets_is_not_quadratic() {
    let data = tempfile::tempdir().unwrap();
    let n = 20_000;
    let mut features = Vec::new();
    let mut csv = String::from("date,target,controller,parties,confidence,source,note\n");
    for i in 0..n {
        let (x, y) = (f64::from(i % 200) * 0.01, f64::from(i / 200) * 0.01);
        features.push(format!(
            r#"{{"type":"Feature","properties":{{"id":"R-{i:05}","name":"Region {i}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
            x + 0.009,
            x + 0.009,
            y + 0.009,
            y + 0.009
        ));
        csv.push_str(&format!("2012-01-01,X-{i:05}q,gov,,confirmed,src,\n"));
    }
    std::fs::write(
        data.path().join("regions.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    std::fs::write(data.path().join("control.csv"), csv).unwrap();
    std::fs::write(
        data.path().join("dataset.toml"),
        "title = \"Big\"\nprojection = \"+proj=merc +lon_0=0 +datum=WGS84 +units=m +no_defs\"\n\n[files]\nregions = \"regions.geojson\"\ncontrol = \"control.csv\"\n\n[[factions]]\nid = \"gov\"\nlabel = \"Government\"\ncolour = \"#0072B2\"\n",
    )
    .unwrap();
    // A CPU-time ceiling far above the fraction of a second this takes, far below the minutes
    // the quadratic version took.
    let o = run_limited(data.path(), 3 * GIB, 60, &["validate", "--dataset", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stdout(&o).contains("20000 error(s)"), "{}", stdout(&o));
}
