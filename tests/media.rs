//! Issue 12.4: images that print right and a GIF that pauses on its last frame.

mod common;

use common::*;

#[test]
fn a_png_carries_srgb_its_resolution_and_its_texts() {
    let dir = tempfile::tempdir().unwrap();
    for (dpi, ppm) in [(None, 5669u32), (Some("300"), 11811)] {
        let mut args = vec![
            "render",
            "--phase",
            "north-lost",
            "--size",
            "640x480",
            "--out",
            "m.png",
        ];
        if let Some(d) = dpi {
            args.extend(["--dpi", d]);
        }
        let o = run_in(dir.path(), &args);
        assert!(o.status.success(), "{}", stderr(&o));
        let f = std::fs::File::open(dir.path().join("m.png")).unwrap();
        let r = png::Decoder::new(std::io::BufReader::new(f))
            .read_info()
            .unwrap();
        let info = r.info();
        assert!(info.srgb.is_some(), "no sRGB chunk");
        let dims = info.pixel_dims.expect("a pHYs chunk");
        assert_eq!((dims.xppu, dims.yppu), (ppm, ppm));
        let texts: Vec<(String, String)> = info
            .utf8_text
            .iter()
            .map(|t| (t.keyword.clone(), t.get_text().unwrap()))
            .collect();
        let get = |k: &str| {
            texts
                .iter()
                .find(|(kk, _)| kk == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("no {k} in {texts:?}"))
        };
        assert!(get("Title").contains("Mali"), "{texts:?}");
        let alt = std::fs::read_to_string(dir.path().join("m.alt.txt")).unwrap();
        assert_eq!(get("Description"), alt.trim_end());
        assert!(!get("Copyright").is_empty());
    }
}

/// The `sRGB` flag, the pHYs pixels per metre and the UTF-8 text chunks of a PNG.
fn png_chunks(path: &std::path::Path) -> (bool, Option<u32>, Vec<(String, String)>) {
    let f = std::fs::File::open(path).unwrap();
    let r = png::Decoder::new(std::io::BufReader::new(f))
        .read_info()
        .unwrap();
    let info = r.info();
    let texts = info
        .utf8_text
        .iter()
        .map(|t| (t.keyword.clone(), t.get_text().unwrap()))
        .collect();
    (info.srgb.is_some(), info.pixel_dims.map(|d| d.xppu), texts)
}

#[test]
fn every_png_output_carries_srgb_its_resolution_and_its_texts() {
    let dir = tempfile::tempdir().unwrap();
    let data = ruritania();
    let data = data.to_str().unwrap();
    let commands: [&[&str]; 4] = [
        &[
            "grid", "--phases", "all", "--cell", "300x225", "--out", "g.png",
        ],
        &[
            "diff",
            "--from",
            "2012-01-01",
            "--to",
            "2012-07-15",
            "--size",
            "640x480",
            "--map",
            "d.png",
        ],
        &["timeline", "--size", "600x400", "--out", "t.png"],
        &[
            "frames",
            "--dataset",
            data,
            "--size",
            "400x300",
            "--step",
            "1m",
            "--transition",
            "0",
            "--gif",
            "none",
            "--out",
            "f",
        ],
    ];
    for args in commands {
        let o = run_in(dir.path(), args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    for png in [
        "g.png",
        "d.png",
        "t.png",
        "f/frame-00001.png",
        "f/frame-00003.png",
    ] {
        let (srgb, ppm, texts) = png_chunks(&dir.path().join(png));
        assert!(srgb, "{png}: no sRGB chunk");
        assert_eq!(ppm, Some(5669), "{png}: pHYs is not 144 dpi");
        for key in ["Title", "Description", "Copyright"] {
            assert!(
                texts.iter().any(|(k, v)| k == key && !v.trim().is_empty()),
                "{png}: no {key} in {texts:?}"
            );
        }
    }
}

#[test]
fn frames_default_to_25_per_second_for_pal_editing_timelines() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "frames",
            "--dataset",
            ruritania().to_str().unwrap(),
            "--size",
            "400x300",
            "--phases",
            "--out",
            "f",
            "--gif",
            "a.gif",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let delays = gif_delays(&dir.path().join("a.gif"));
    let (last, rest) = delays.split_last().unwrap();
    assert!(rest.iter().all(|d| *d == 4), "4 cs is 25 fps: {delays:?}");
    assert!(*last >= 200, "{delays:?}");
    // A phase shot stays up a second, as it did at the old 10 fps.
    let csv = std::fs::read_to_string(dir.path().join("f/frames.csv")).unwrap();
    let first_phase = csv
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(2)
        .unwrap()
        .to_string();
    let held = csv
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(2) == Some(first_phase.as_str()) && l.ends_with(",1"))
        .count();
    assert!(held >= 25, "{held} frames of {first_phase}:\n{csv}");
}

#[test]
fn the_gif_pauses_on_its_last_frame() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "frames",
            "--dataset",
            ruritania().to_str().unwrap(),
            "--size",
            "400x300",
            "--step",
            "1m",
            "--transition",
            "0",
            "--out",
            "f",
            "--gif",
            "a.gif",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let delays = gif_delays(&dir.path().join("a.gif"));
    assert!(delays.len() > 2, "{delays:?}");
    let last = *delays.last().unwrap();
    assert!(
        delays[..delays.len() - 1].iter().all(|d| *d < last),
        "{delays:?}"
    );
    assert!(last >= 200, "{delays:?}");
}

#[test]
fn the_mp4_is_bt709_tagged_faststart_and_has_exactly_the_runs_frames() {
    let has = |tool: &str| {
        std::process::Command::new(tool)
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !has("ffmpeg") || !has("ffprobe") {
        eprintln!("skipped: ffmpeg/ffprobe not installed (.ci/run installs them)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = ruritania();
    let run = |step: &str| {
        let o = run_in(
            dir.path(),
            &[
                "frames",
                "--dataset",
                data.to_str().unwrap(),
                "--size",
                "400x300",
                "--step",
                step,
                "--transition",
                "0",
                "--gif",
                "none",
                "--out",
                "f",
                "--mp4",
                "a.mp4",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    };
    // A longer run first: its extra frames must not end up in the second run's video.
    run("1w");
    run("1m");
    let frames = std::fs::read_dir(dir.path().join("f"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("frame-")
        })
        .count();
    let o = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-count_frames",
            "-show_entries",
            "stream=nb_read_frames,color_space,color_transfer,color_primaries",
            "-of",
            "default=noprint_wrappers=1",
        ])
        .arg(dir.path().join("a.mp4"))
        .output()
        .unwrap();
    let text = stdout(&o);
    for tag in [
        "color_space=bt709",
        "color_transfer=bt709",
        "color_primaries=bt709",
    ] {
        assert!(text.contains(tag), "{text}");
    }
    assert!(
        text.contains(&format!("nb_read_frames={frames}")),
        "{frames}: {text}"
    );
    let bytes = std::fs::read(dir.path().join("a.mp4")).unwrap();
    let at = |b: &[u8]| bytes.windows(4).position(|w| w == b).unwrap();
    assert!(at(b"moov") < at(b"mdat"), "moov after mdat: not faststart");
}
