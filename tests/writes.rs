//! Issue 12.2: writes that destroy nothing. Special files are never replaced, symlinks are
//! written through, side files follow their image, a set of phase maps lands whole or not at
//! all, stdout failures are seen, interruptions leave no temporary file, `--out` folders are
//! created and `--out -` writes to stdout.

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::Stdio;

use common::*;

fn mkfifo(p: &Path) {
    assert!(
        std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .unwrap()
            .success()
    );
}

fn is_fifo(p: &Path) -> bool {
    std::fs::symlink_metadata(p)
        .map(|m| m.file_type().is_fifo())
        .unwrap_or(false)
}

#[test]
fn out_naming_a_fifo_is_refused_and_the_fifo_kept_with_no_alt_text() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("m.png"));
    let o = run_in(
        dir.path(),
        &[
            "render",
            "--date",
            "2012-07-15",
            "--out",
            "m.png",
            "--size",
            "400x300",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    assert!(is_fifo(&dir.path().join("m.png")), "the FIFO was replaced");
    assert!(
        !dir.path().join("m.alt.txt").exists(),
        "alt text without its image"
    );
}

#[test]
fn out_naming_a_symlink_writes_through_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::fs::write(dir.path().join("real/map.svg"), b"old").unwrap();
    std::os::unix::fs::symlink("real/map.svg", dir.path().join("link.svg")).unwrap();
    let o = run_in(
        dir.path(),
        &[
            "render",
            "--date",
            "2012-07-15",
            "--out",
            "link.svg",
            "--size",
            "400x300",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let link = std::fs::symlink_metadata(dir.path().join("link.svg")).unwrap();
    assert!(link.file_type().is_symlink(), "the symlink was replaced");
    let svg = std::fs::read_to_string(dir.path().join("real/map.svg")).unwrap();
    assert!(svg.contains("<svg"), "the target was not written");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("real"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn a_phase_set_that_fails_half_way_leaves_the_folder_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("maps");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("peace.png"), b"old map").unwrap();
    // The last map of the set cannot be written: a folder sits where it goes.
    std::fs::create_dir(out.join("siege.svg")).unwrap();
    let o = run_in(
        dir.path(),
        &[
            "render",
            "--dataset",
            ruritania().to_str().unwrap(),
            "--size",
            "400x300",
            "--out",
            "maps",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(out.join("peace.png")).unwrap(), b"old map");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["peace.png", "siege.svg"]);
}

#[test]
fn a_failed_write_to_stdout_exits_1_with_one_line() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = bin()
        .args(["state", "--date", "2012-07-15"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}

#[test]
fn a_reader_that_quits_early_ends_the_run_quietly() {
    let mut child = bin()
        .args(["state", "--date", "2012-07-15", "--format", "geojson"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

#[test]
fn sigterm_removes_the_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = bin()
        .current_dir(dir.path())
        .args([
            "frames",
            "--out",
            "f",
            "--gif",
            "a.gif",
            "--size",
            "640x480",
            "--transition",
            "0",
            "--step",
            "1d",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait (without a clock) until the GIF's temporary file exists.
    let tmp_exists = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp"))
    };
    while !tmp_exists() {
        assert!(child.try_wait().unwrap().is_none(), "the run ended early");
        std::thread::yield_now();
    }
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    let mut left = Vec::new();
    for d in [dir.path().to_path_buf(), dir.path().join("f")] {
        for e in std::fs::read_dir(d).unwrap() {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            if n.ends_with(".tmp") {
                left.push(n);
            }
        }
    }
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn out_creates_its_missing_folders() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &[
            "render",
            "--date",
            "2012-07-15",
            "--out",
            "new/deep/m.png",
            "--size",
            "400x300",
        ][..],
        &["timeline", "--out", "charts/shares.csv"][..],
        &[
            "render",
            "--phase",
            "north-lost",
            "--out",
            "maps/",
            "--size",
            "640x480",
        ][..],
    ] {
        let o = run_in(dir.path(), args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    assert!(dir.path().join("new/deep/m.png").is_file());
    assert!(dir.path().join("new/deep/m.alt.txt").is_file());
    assert!(dir.path().join("charts/shares.csv").is_file());
    assert!(dir.path().join("maps/north-lost.png").is_file());
}

#[test]
fn out_dash_writes_svg_and_csv_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "render",
            "--date",
            "2012-07-15",
            "--format",
            "svg",
            "--out",
            "-",
            "--size",
            "400x300",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("<svg"), "{}", stdout(&o));
    let o = run_in(dir.path(), &["timeline", "--out", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("date,"), "{}", stdout(&o));
    let o = run_in(dir.path(), &["grid", "--phases", "all", "--out", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("<svg"));
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "a file was written"
    );
}
