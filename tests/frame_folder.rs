//! Issue 12.3: frames that belong together. The folder records the settings of its frames; a
//! resumed run keeps only frames made with the same settings; frames beyond the new count are
//! removed; a frame is complete only if it decodes; two runs never share a folder.

mod common;

use std::path::Path;

use common::*;

const BASE: &[&str] = &[
    "frames",
    "--dataset",
    "DATASET",
    "--gif",
    "none",
    "--transition",
    "0",
    "--out",
    "f",
];

fn frames(dir: &Path, extra: &[&str]) -> std::process::Output {
    let data = ruritania();
    let mut args: Vec<&str> = BASE
        .iter()
        .map(|a| {
            if *a == "DATASET" {
                data.to_str().unwrap()
            } else {
                a
            }
        })
        .collect();
    args.extend_from_slice(extra);
    let o = run_in(dir, &args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    o
}

fn frame_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("frame-"))
        .collect();
    v.sort();
    v
}

#[test]
fn resume_keeps_only_frames_made_with_the_same_settings() {
    let dir = tempfile::tempdir().unwrap();
    frames(dir.path(), &["--size", "400x300", "--step", "1m"]);
    assert!(dir.path().join("f/frames.settings").is_file());
    let o = frames(
        dir.path(),
        &["--size", "480x300", "--step", "1m", "--resume"],
    );
    assert!(stdout(&o).contains("0 kept"), "{}", stdout(&o));
    for n in frame_names(&dir.path().join("f")) {
        let (w, _, _) = decode_png(&dir.path().join("f").join(&n));
        assert_eq!(w, 480, "{n} is from the earlier run");
    }
    // Same settings: everything is kept.
    let o = frames(
        dir.path(),
        &["--size", "480x300", "--step", "1m", "--resume"],
    );
    assert!(stdout(&o).contains("0 drawn"), "{}", stdout(&o));
}

#[test]
fn a_shorter_run_removes_the_frames_beyond_its_count() {
    let dir = tempfile::tempdir().unwrap();
    frames(dir.path(), &["--size", "400x300", "--step", "1w"]);
    let long = frame_names(&dir.path().join("f")).len();
    frames(dir.path(), &["--size", "400x300", "--step", "1m"]);
    let short = frame_names(&dir.path().join("f"));
    assert!(short.len() < long, "{} vs {long}", short.len());
    assert_eq!(
        short.last().unwrap(),
        &format!("frame-{:05}.png", short.len())
    );
}

#[test]
fn a_frame_that_does_not_decode_is_drawn_again() {
    let dir = tempfile::tempdir().unwrap();
    frames(dir.path(), &["--size", "400x300", "--step", "1m"]);
    // Damage the image data but keep the PNG signature and the final IEND chunk.
    let p = dir.path().join("f/frame-00002.png");
    let mut bytes = std::fs::read(&p).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b = 0;
    }
    std::fs::write(&p, &bytes).unwrap();
    let o = frames(
        dir.path(),
        &["--size", "400x300", "--step", "1m", "--resume"],
    );
    assert!(stdout(&o).contains("(1 drawn"), "{}", stdout(&o));
    decode_png(&p);
}

#[test]
fn a_second_run_into_the_same_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("f")).unwrap();
    // A live process (this test) holds the folder's lock.
    std::fs::write(
        dir.path().join("f/.controlmap.lock"),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    std::fs::write(dir.path().join("f/.frame-00001.png.1.tmp"), b"theirs").unwrap();
    let data = ruritania();
    let o = run_in(
        dir.path(),
        &[
            "frames",
            "--dataset",
            data.to_str().unwrap(),
            "--gif",
            "none",
            "--out",
            "f",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("another run"), "{}", stderr(&o));
    assert!(
        dir.path().join("f/.frame-00001.png.1.tmp").exists(),
        "the other run's temporary file was deleted"
    );
}
