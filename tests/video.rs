//! Issue 14: video for editors. Frames piped to ffmpeg as raw pixels; every format checked
//! with ffprobe (codec, pixel format, colour tags, frame count, duration, faststart), alpha
//! decoded and checked, piped frames compared with the PNG frames, an interrupted encode
//! leaving nothing behind, and ffmpeg's checks and failures reported on one clear line.

mod common;

use common::*;
use std::path::Path;

/// `frames` on the small test dataset at 400x300 (20 frames), no GIF, quiet.
fn frames(dir: &Path, extra: &[&str]) -> std::process::Output {
    let data = ruritania();
    let mut args = vec![
        "frames",
        "--dataset",
        data.to_str().unwrap(),
        "--size",
        "400x300",
        "--gif",
        "none",
        "-q",
    ];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

fn csv_frames(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("frames.csv"))
        .unwrap()
        .lines()
        .count()
        - 1
}

fn value<'a>(probe: &'a str, key: &str) -> &'a str {
    probe
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key} in {probe}"))
}

fn assert_bt709(probe: &str) {
    for key in ["color_space", "color_transfer", "color_primaries"] {
        assert_eq!(value(probe, key), "bt709", "{key}: {probe}");
    }
}

#[test]
fn the_mp4_is_h264_yuv420p_bt709_faststart_with_every_frame_and_its_duration() {
    if !ffmpeg_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = frames(dir.path(), &["--mp4", "a.mp4", "--out", "f", "--fps", "25"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let n = csv_frames(&dir.path().join("f"));
    let p = ffprobe(
        &dir.path().join("a.mp4"),
        "stream=codec_name,pix_fmt,color_space,color_transfer,color_primaries,nb_read_frames:format=duration",
    );
    assert_eq!(value(&p, "codec_name"), "h264", "{p}");
    assert_eq!(value(&p, "pix_fmt"), "yuv420p", "{p}");
    assert_bt709(&p);
    assert_eq!(value(&p, "nb_read_frames"), n.to_string(), "{p}");
    let duration: f64 = value(&p, "duration").parse().unwrap();
    assert!(
        (duration - n as f64 / 25.0).abs() < 0.05,
        "{duration} s for {n} frames at 25 fps"
    );
    let bytes = std::fs::read(dir.path().join("a.mp4")).unwrap();
    let at = |b: &[u8]| bytes.windows(4).position(|w| w == b).unwrap();
    assert!(at(b"moov") < at(b"mdat"), "moov after mdat: not faststart");
}

#[test]
fn a_video_alone_makes_no_frame_files_and_no_gif() {
    if !ffmpeg_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = ruritania();
    let o = run_in(
        dir.path(),
        &[
            "frames",
            "--dataset",
            data.to_str().unwrap(),
            "--size",
            "400x300",
            "--mp4",
            "a.mp4",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.mp4"]);
}

/// The piped MP4 shows what the PNG frames show. Tolerance: H.264 at the default quality
/// with 4:2:0 chroma blurs colour across edges (text, borders), so the check is on the mean
/// absolute difference per channel over each frame (≤ 4 of 255: measured 1.5 to 3.1 on these
/// small text-heavy frames) and on 95% of the pixels
/// (within 24 of 255 on every channel); a wrong frame order, a shifted or swapped channel or
/// the BT.601 matrix all fail it.
#[test]
fn the_piped_mp4_frames_match_the_png_frames() {
    if !ffmpeg_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = frames(dir.path(), &["--mp4", "a.mp4", "--out", "f"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let video = decode_video(&dir.path().join("a.mp4"), "rgb24", None);
    let n = csv_frames(&dir.path().join("f"));
    let size = 400 * 300 * 3;
    assert_eq!(video.len(), n * size);
    for i in 0..n {
        let png = dir.path().join(format!("f/frame-{:05}.png", i + 1));
        let (_, _, rgb) = decode_png(&png);
        let got = &video[i * size..(i + 1) * size];
        let diffs: Vec<u8> = rgb.iter().zip(got).map(|(a, b)| a.abs_diff(*b)).collect();
        let mean = diffs.iter().map(|d| f64::from(*d)).sum::<f64>() / diffs.len() as f64;
        let close = diffs
            .chunks_exact(3)
            .filter(|p| p.iter().all(|d| *d <= 24))
            .count();
        assert!(mean <= 4.0, "frame {}: mean difference {mean:.2}", i + 1);
        assert!(
            close * 100 >= 95 * (size / 3),
            "frame {}: only {close} of {} pixels within 24",
            i + 1,
            size / 3
        );
    }
}

/// How far from any edge of the alpha a sampled pixel lies: VP9 codes its alpha plane in
/// transform blocks of 8 pixels and more, and its ringing around an edge reaches across such a
/// block (a 3-pixel margin let a 254 through near an edge).
const EDGE_CLEARANCE: usize = 8;

/// Pixels of a frame whose whole neighbourhood (within [`EDGE_CLEARANCE`]) has alpha `a` in
/// the PNG frame: inside the map (255) or far from it (0), away from anti-aliased,
/// chroma-blurred and block-coded edges.
fn interior(rgba: &[u8], w: usize, h: usize, a: u8) -> Vec<usize> {
    let alpha = |x: usize, y: usize| rgba[(y * w + x) * 4 + 3];
    let c = EDGE_CLEARANCE;
    let mut out = Vec::new();
    for y in (c..h - c).step_by(5) {
        for x in (c..w - c).step_by(5) {
            if (y - c..=y + c).all(|yy| (x - c..=x + c).all(|xx| alpha(xx, yy) == a)) {
                out.push(y * w + x);
            }
        }
    }
    out
}

/// The first frame of a transparent video against the PNG frame of the same run: alpha 0 in
/// the background, 255 on the map.
fn check_alpha(video: &Path, decoder: Option<&str>, png: &Path) {
    let (w, h, expected) = decode_png_rgba(png);
    let (w, h) = (w as usize, h as usize);
    let got = decode_video(video, "rgba", decoder);
    let first = &got[..w * h * 4];
    let clear = interior(&expected, w, h, 0);
    let solid = interior(&expected, w, h, 255);
    assert!(
        clear.len() > 100 && solid.len() > 100,
        "{clear:?} {solid:?}"
    );
    for i in clear {
        assert_eq!(
            first[i * 4 + 3],
            0,
            "{}: background pixel {i}",
            video.display()
        );
    }
    for i in solid {
        assert_eq!(first[i * 4 + 3], 255, "{}: map pixel {i}", video.display());
    }
}

#[test]
fn webm_and_prores_with_background_none_carry_real_transparency() {
    if !ffmpeg_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = frames(
        dir.path(),
        &[
            "--background",
            "none",
            "--webm",
            "a.webm",
            "--mov",
            "a.mov",
            "--out",
            "f",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let n = csv_frames(&dir.path().join("f")).to_string();
    let webm = dir.path().join("a.webm");
    let p = ffprobe(
        &webm,
        "stream=codec_name,color_space,color_transfer,color_primaries,nb_read_frames:stream_tags=alpha_mode",
    );
    assert_eq!(value(&p, "codec_name"), "vp9", "{p}");
    assert_eq!(value(&p, "TAG:alpha_mode"), "1", "{p}");
    assert_eq!(value(&p, "nb_read_frames"), n, "{p}");
    assert_bt709(&p);
    let mov = dir.path().join("a.mov");
    let p = ffprobe(
        &mov,
        "stream=codec_name,profile,pix_fmt,color_space,color_transfer,color_primaries,nb_read_frames",
    );
    assert_eq!(value(&p, "codec_name"), "prores", "{p}");
    assert_eq!(value(&p, "profile"), "4444", "{p}");
    assert!(value(&p, "pix_fmt").starts_with("yuva444p"), "{p}");
    assert_eq!(value(&p, "nb_read_frames"), n, "{p}");
    assert_bt709(&p);
    let png = dir.path().join("f/frame-00001.png");
    check_alpha(&webm, Some("libvpx-vp9"), &png);
    check_alpha(&mov, None, &png);
}

#[test]
fn png_frames_with_background_none_are_the_map_over_nothing() {
    let opaque = tempfile::tempdir().unwrap();
    let o = frames(opaque.path(), &["--out", "."]);
    assert!(o.status.success(), "{}", stderr(&o));
    let clear = tempfile::tempdir().unwrap();
    let o = frames(clear.path(), &["--out", ".", "--background", "none"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["frame-00001.png", "frame-00012.png"] {
        let (w, h, a) = decode_png_rgba(&opaque.path().join(name));
        let (_, _, b) = decode_png_rgba(&clear.path().join(name));
        let pixels = (w * h) as usize;
        assert_eq!(b[3], 0, "{name}: the corner is background");
        let solid: Vec<usize> = (0..pixels).filter(|i| b[i * 4 + 3] == 255).collect();
        let none = (0..pixels).filter(|i| b[i * 4 + 3] == 0).count();
        assert!(solid.len() > pixels / 5, "{name}: {} opaque", solid.len());
        assert!(none > pixels / 20, "{name}: {none} transparent");
        // Where it is opaque, it is the same map (within 2 levels: text anti-aliased over the
        // legend's translucent panel rounds differently over nothing than over the background).
        for i in solid {
            let close = (0..3).all(|k| a[i * 4 + k].abs_diff(b[i * 4 + k]) <= 2);
            assert!(
                close,
                "{name}: pixel {i}: {:?} {:?}",
                &a[i * 4..i * 4 + 3],
                &b[i * 4..i * 4 + 3]
            );
        }
    }
}

#[test]
fn transparency_that_a_format_cannot_carry_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let data = ruritania();
    for (extra, flag) in [
        (["--mp4", "a.mp4"], "--background"),
        (["--gif", "a.gif"], "--background"),
    ] {
        let mut args = vec!["frames", "--dataset", data.to_str().unwrap()];
        args.extend(["--background", "none", "--out", "f"]);
        args.extend(extra);
        let o = run_in(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).starts_with(&format!("controlmap: {flag}:")),
            "{}",
            stderr(&o)
        );
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    }
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

/// A stand-in ffmpeg: a shell script answering `-encoders` as told (its banner, with the
/// version, on standard error, as ffmpeg prints it), and failing any encode with a message on
/// its standard error.
fn fake_ffmpeg(dir: &Path, version: &str, encoders: &str) -> std::path::PathBuf {
    let p = dir.join("fake-ffmpeg");
    std::fs::write(
        &p,
        format!(
            "#!/bin/sh\ncase \"$*\" in\n*-encoders*) echo 'ffmpeg version {version} Copyright' >&2; printf '{encoders}';;\n*) cat > /dev/null; echo 'fake: Invalid argument (the encoder broke)' >&2; exit 1;;\nesac\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[test]
fn a_missing_encoder_or_an_old_ffmpeg_is_refused_before_drawing() {
    let tools = tempfile::tempdir().unwrap();
    let no_x264 = fake_ffmpeg(tools.path(), "5.1.2", " V....D libvpx-vp9  VP9\\n");
    let dir = tempfile::tempdir().unwrap();
    let o = frames(
        dir.path(),
        &["--mp4", "a.mp4", "--ffmpeg", no_x264.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.starts_with("controlmap: --mp4:"), "{e}");
    assert!(e.contains("libx264") && e.contains("libavcodec59"), "{e}");
    let old = fake_ffmpeg(tools.path(), "4.2.7", " V....D libx264  H.264\\n");
    let o = frames(
        dir.path(),
        &["--mp4", "a.mp4", "--ffmpeg", old.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("4.2 is too old"), "{}", stderr(&o));
    let o = frames(
        dir.path(),
        &["--mp4", "a.mp4", "--ffmpeg", "/nonexistent/ffmpeg"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("controlmap: --ffmpeg:"),
        "{}",
        stderr(&o)
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn ffmpeg_failing_shows_its_own_words_and_leaves_no_file() {
    let tools = tempfile::tempdir().unwrap();
    let broken = fake_ffmpeg(tools.path(), "5.1.2", " V....D libx264  H.264\\n");
    let dir = tempfile::tempdir().unwrap();
    let o = frames(
        dir.path(),
        &["--mp4", "a.mp4", "--ffmpeg", broken.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("fake: Invalid argument (the encoder broke)"),
        "{}",
        stderr(&o)
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn an_interrupted_encode_leaves_no_partial_file() {
    if !ffmpeg_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.mp4"), b"the editor's earlier cut").unwrap();
    // The whole Mali sequence day by day: long enough to be stopped mid-encode.
    let mut child = bin()
        .current_dir(dir.path())
        .args([
            "frames", "--step", "1d", "--size", "1280x720", "--mp4", "a.mp4", "-q",
        ])
        .spawn()
        .unwrap();
    let temporary = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|n| n.ends_with(".tmp"))
    };
    let mut seen = None;
    for _ in 0..600 {
        seen = temporary()
            .filter(|n| std::fs::metadata(dir.path().join(n)).is_ok_and(|m| m.len() > 0));
        if seen.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(seen.is_some(), "the encode never started writing");
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(temporary(), None, "a temporary file was left");
    assert_eq!(
        std::fs::read(dir.path().join("a.mp4")).unwrap(),
        b"the editor's earlier cut"
    );
}

#[test]
fn the_cover_is_the_frame_of_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let o = frames(
        dir.path(),
        &["--out", "f", "--transition", "0", "--cover", "last.png"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let n = csv_frames(&dir.path().join("f"));
    let last = std::fs::read(dir.path().join(format!("f/frame-{n:05}.png"))).unwrap();
    assert_eq!(std::fs::read(dir.path().join("last.png")).unwrap(), last);
    let csv = std::fs::read_to_string(dir.path().join("f/frames.csv")).unwrap();
    let row = csv.lines().nth(3).unwrap();
    let date = row.split(',').nth(1).unwrap();
    let o = frames(
        dir.path(),
        &[
            "--out",
            "f",
            "--transition",
            "0",
            "--cover",
            "c.png",
            "--cover-date",
            date,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let third = std::fs::read(dir.path().join("f/frame-00003.png")).unwrap();
    assert_eq!(std::fs::read(dir.path().join("c.png")).unwrap(), third);
    let o = frames(
        dir.path(),
        &[
            "--out",
            "f",
            "--cover",
            "d.png",
            "--cover-date",
            "1990-01-01",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("controlmap: --cover-date:"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("d.png").exists());
}

#[test]
fn held_phase_shots_are_drawn_once_and_repeated_in_the_video() {
    if !ffmpeg_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = frames(
        dir.path(),
        &[
            "--phases", "--hold", "7", "--mp4", "a.mp4", "--out", "f", "--fps", "30",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let n = csv_frames(&dir.path().join("f"));
    let p = ffprobe(
        &dir.path().join("a.mp4"),
        "stream=nb_read_frames:format=duration",
    );
    assert_eq!(value(&p, "nb_read_frames"), n.to_string(), "{p}");
    let duration: f64 = value(&p, "duration").parse().unwrap();
    assert!(
        (duration - n as f64 / 30.0).abs() < 0.05,
        "{duration} s, {n} frames"
    );
    // A held shot's frame files are the same file seven times.
    let first = std::fs::read(dir.path().join("f/frame-00001.png")).unwrap();
    let seventh = std::fs::read(dir.path().join("f/frame-00007.png")).unwrap();
    assert_eq!(first, seventh);
}

#[test]
fn presets_set_the_frame_size_of_frames_and_video() {
    if !ffmpeg_tools() {
        return;
    }
    let data = ruritania();
    for (preset, w, h) in [("vertical", 1080, 1920), ("square", 1080, 1080)] {
        let dir = tempfile::tempdir().unwrap();
        let o = run_in(
            dir.path(),
            &[
                "frames",
                "--dataset",
                data.to_str().unwrap(),
                "--preset",
                preset,
                "--step",
                "1m",
                "--transition",
                "0",
                "--mp4",
                "a.mp4",
                "--out",
                "f",
                "-q",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let p = ffprobe(&dir.path().join("a.mp4"), "stream=width,height");
        assert_eq!(value(&p, "width"), w.to_string(), "{preset}: {p}");
        assert_eq!(value(&p, "height"), h.to_string(), "{preset}: {p}");
        let (pw, ph, _) = decode_png(&dir.path().join("f/frame-00001.png"));
        assert_eq!((pw, ph), (w, h), "{preset}");
    }
}

#[test]
fn quality_trades_size_for_fidelity() {
    if !ffmpeg_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut sizes = Vec::new();
    for q in ["draft", "good", "best"] {
        let name = format!("{q}.mp4");
        let o = frames(dir.path(), &["--quality", q, "--mp4", &name]);
        assert!(o.status.success(), "{}", stderr(&o));
        sizes.push(std::fs::metadata(dir.path().join(&name)).unwrap().len());
    }
    assert!(sizes[0] < sizes[1] && sizes[1] < sizes[2], "{sizes:?}");
}

#[test]
fn the_frames_flag_keeps_frame_files_beside_a_video() {
    if !ffmpeg_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = frames(dir.path(), &["--mp4", "a.mp4", "--frames"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let n = csv_frames(&dir.path().join("output/frames"));
    assert!(
        dir.path()
            .join(format!("output/frames/frame-{n:05}.png"))
            .is_file()
    );
    assert!(dir.path().join("a.mp4").is_file());
}
