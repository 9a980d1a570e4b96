//! Animation frames end to end: dates, cross-fades, resume, GIF and determinism.

mod common;

use common::*;
use std::path::Path;

fn frames_in(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "frames",
        "--dataset",
        "DATASET",
        "--size",
        "400x300",
        "--out",
        ".",
        "-q",
    ];
    let ds = ruritania();
    let ds = ds.to_str().unwrap().to_string();
    args[2] = &ds;
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

fn csv_rows(dir: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(dir.join("frames.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("index,date,phase,caption,transition"));
    lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn frames_land_on_the_requested_dates_both_ends_included() {
    let dir = tempfile::tempdir().unwrap();
    let o = frames_in(
        dir.path(),
        &[
            "--from",
            "2020-01-31",
            "--to",
            "2020-05-15",
            "--step",
            "1m",
            "--transition",
            "0",
            "--gif",
            "none",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let dates: Vec<String> = csv_rows(dir.path())
        .into_iter()
        .map(|r| r[1].clone())
        .collect();
    assert_eq!(
        dates,
        [
            "2020-01-31",
            "2020-02-29",
            "2020-03-31",
            "2020-04-30",
            "2020-05-15"
        ]
    );
    for i in 1..=5 {
        assert!(dir.path().join(format!("frame-{i:05}.png")).is_file());
    }
    assert!(!dir.path().join("frame-00006.png").exists());
}

#[test]
fn a_change_of_hands_gets_cross_fade_frames_with_blended_colours() {
    let dir = tempfile::tempdir().unwrap();
    // Zenda (RU-SE) passes from the crown (#0072B2) to the rebels (#E69F00) on 2020-02-01.
    let o = frames_in(
        dir.path(),
        &[
            "--from",
            "2020-01-25",
            "--to",
            "2020-02-01",
            "--step",
            "7d",
            "--transition",
            "3",
            "--gif",
            "none",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(dir.path());
    assert_eq!(rows.len(), 5, "two dates and three fades");
    assert_eq!(
        rows.iter().map(|r| r[4].as_str()).collect::<Vec<_>>(),
        ["1", "0.250", "0.500", "0.750", "1"]
    );
    // Find a pixel inside Zenda: the crown's blue in the first frame, the rebels' orange in the last.
    let frames: Vec<Vec<u8>> = (1..=5)
        .map(|k| decode_png(&dir.path().join(format!("frame-{k:05}.png"))).2)
        .collect();
    let i = (0..frames[0].len() / 3)
        .find(|&i| {
            frames[0][i * 3..i * 3 + 3] == [0x00, 0x72, 0xB2]
                && frames[4][i * 3..i * 3 + 3] == [0xE6, 0x9F, 0x00]
        })
        .expect("a pixel of Zenda");
    let reds: Vec<u8> = frames.iter().map(|f| f[i * 3]).collect();
    assert_eq!(reds[0], 0x00);
    assert_eq!(reds[4], 0xE6);
    assert!(
        reds.windows(2).all(|p| p[0] < p[1]),
        "red rises through the fade: {reds:?}"
    );
}

#[test]
fn resume_skips_complete_frames_and_redraws_a_truncated_one() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--from",
        "2020-01-01",
        "--to",
        "2020-01-05",
        "--step",
        "1d",
        "--gif",
        "none",
    ];
    assert!(frames_in(dir.path(), &args).status.success());
    let good = std::fs::read(dir.path().join("frame-00003.png")).unwrap();
    let truncated = &good[..good.len() / 2];
    std::fs::write(dir.path().join("frame-00003.png"), truncated).unwrap();
    let resume: Vec<&str> = args.iter().copied().chain(["--resume"]).collect();
    let o = frames_in(dir.path(), &resume);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(dir.path().join("frame-00003.png")).unwrap(),
        good
    );
    let o = run_in(
        dir.path(),
        &[
            "frames",
            "--dataset",
            ruritania().to_str().unwrap(),
            "--size",
            "400x300",
            "--out",
            ".",
            "--from",
            "2020-01-01",
            "--to",
            "2020-01-05",
            "--step",
            "1d",
            "--gif",
            "none",
            "--resume",
        ],
    );
    assert!(
        stdout(&o).contains("5 frames in . (0 drawn, 5 kept)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_gif_decodes_with_every_frame_and_its_delay() {
    let dir = tempfile::tempdir().unwrap();
    let o = frames_in(
        dir.path(),
        &[
            "--from",
            "2020-01-01",
            "--to",
            "2020-03-31",
            "--step",
            "1m",
            "--transition",
            "2",
            "--fps",
            "20",
            "--gif",
            "anim.gif",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = csv_rows(dir.path()).len();
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts
        .read_info(std::fs::File::open(dir.path().join("anim.gif")).unwrap())
        .unwrap();
    assert_eq!((dec.width(), dec.height()), (400, 300));
    let mut n = 0;
    while let Some(f) = dec.read_next_frame().unwrap() {
        if n + 1 < expected {
            assert_eq!(f.delay, 5, "20 fps is 5 hundredths of a second");
        } else {
            assert!(f.delay >= 200, "the last frame stays up");
        }
        n += 1;
    }
    assert_eq!(n, expected);
    // The last GIF frame, composed, matches the last PNG frame up to palette rounding.
    let (_, _, png_last) = decode_png(&dir.path().join(format!("frame-{expected:05}.png")));
    let mut screen = vec![0u8; 400 * 300 * 4];
    let mut dec = opts_rgba()
        .read_info(std::fs::File::open(dir.path().join("anim.gif")).unwrap())
        .unwrap();
    while let Some(f) = dec.read_next_frame().unwrap() {
        for y in 0..usize::from(f.height) {
            for x in 0..usize::from(f.width) {
                let s = (y * usize::from(f.width) + x) * 4;
                if f.buffer[s + 3] == 0 {
                    continue;
                }
                let d = ((y + usize::from(f.top)) * 400 + x + usize::from(f.left)) * 4;
                screen[d..d + 4].copy_from_slice(&f.buffer[s..s + 4]);
            }
        }
    }
    let far = (0..400 * 300)
        .filter(|&i| {
            (0..3)
                .any(|k| (i32::from(screen[i * 4 + k]) - i32::from(png_last[i * 3 + k])).abs() > 40)
        })
        .count();
    assert!(
        far < 400 * 300 / 100,
        "{far} pixels differ by more than 40 levels"
    );
}

fn opts_rgba() -> gif::DecodeOptions {
    let mut o = gif::DecodeOptions::new();
    o.set_color_output(gif::ColorOutput::RGBA);
    o
}

#[test]
fn the_same_inputs_give_byte_identical_frames_and_gif() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        let o = frames_in(
            d.path(),
            &[
                "--from",
                "2020-01-20",
                "--to",
                "2020-03-10",
                "--step",
                "10d",
                "--gif",
                "anim.gif",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let mut names: Vec<_> = std::fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(names.len() > 5);
    for n in names {
        assert_eq!(
            std::fs::read(a.path().join(&n)).unwrap(),
            std::fs::read(b.path().join(&n)).unwrap(),
            "{n:?} differs"
        );
    }
}

#[test]
fn phases_mode_holds_each_phase() {
    let dir = tempfile::tempdir().unwrap();
    let o = frames_in(
        dir.path(),
        &[
            "--phases",
            "--hold",
            "2",
            "--transition",
            "1",
            "--gif",
            "none",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(dir.path());
    let dates: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    // peace x2, a fade into the uprising, uprising x2, a fade into the siege, siege x2.
    assert_eq!(
        dates,
        [
            "2020-01-10",
            "2020-01-10",
            "2020-02-15",
            "2020-02-15",
            "2020-02-15",
            "2020-03-15",
            "2020-03-15",
            "2020-03-15"
        ]
    );
    assert_eq!(rows[0][2], "peace");
    assert_eq!(rows[7][2], "siege");
}

#[test]
fn an_mp4_is_encoded_through_ffmpeg() {
    let have_ffmpeg = std::process::Command::new("ffmpeg")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_ffmpeg {
        // CI installs ffmpeg (.ci/run), so there this test always runs.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have ffmpeg on PATH"
        );
        eprintln!("ffmpeg is not on PATH: skipping the MP4 test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = frames_in(
        dir.path(),
        &["--gif", "none", "--mp4", "r.mp4", "--fps", "5"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let probe = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-count_frames",
            "-show_entries",
            "stream=width,height,nb_read_frames",
            "-of",
            "csv=p=0",
        ])
        .arg(dir.path().join("r.mp4"))
        .output()
        .unwrap();
    let frames = csv_rows(dir.path()).len();
    assert_eq!(
        String::from_utf8_lossy(&probe.stdout).trim(),
        format!("400,300,{frames}")
    );
}

#[test]
fn frames_on_many_threads_never_wait_on_each_other_for_ever() {
    // Frame tasks encode under the renderer's locks: a rayon worker that waited there on
    // parallel work could take up another frame's task waiting for the same lock (it hung
    // about one run in three at 16 threads). Three runs of 547 frames at 16 threads, each given
    // two minutes (it takes seconds), must all finish.
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("f");
        let mut child = bin()
            .env("RAYON_NUM_THREADS", "16")
            .current_dir(dir.path())
            .args([
                "frames",
                "--from",
                "2012-01-01",
                "--to",
                "2013-06-30",
                "--step",
                "1d",
                "--gif",
                "none",
                "--size",
                "640x360",
                "-q",
                "--out",
            ])
            .arg(&out)
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > std::time::Duration::from_secs(120) {
                let _ = child.kill();
                panic!("round {round}: frames still running after two minutes: a deadlock");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        assert!(status.success(), "round {round}: {status}");
    }
}
