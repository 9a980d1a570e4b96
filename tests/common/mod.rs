//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod props;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built `controlmap` binary.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_controlmap"))
}

/// Runs the binary with arguments, in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The small non-Mali dataset.
pub fn ruritania() -> PathBuf {
    root().join("tests/data/ruritania")
}

/// Copies a dataset folder into a new temporary folder.
pub fn copy_dataset(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_into(from, dir.path());
    dir
}

/// Copies the files of `from` into `to`, and its folders (a snapshot folder) with their files.
pub fn copy_into(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).expect("dataset folder") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&target).expect("folder");
            copy_into(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Decodes a PNG into (width, height, RGB bytes).
pub fn decode_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let (w, h, rgba) = decode_png_rgba(path);
    let rgb = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    (w, h, rgb)
}

/// Headless Chromium's path, when installed. Under CI (`CI` set) its absence is a failure:
/// `.ci/run` installs it, so a missing browser there is a broken setup, not a skip.
pub fn chromium() -> Option<String> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        if let Some(path) = found.filter(|p| !p.is_empty()) {
            return Some(path);
        }
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but chromium is missing: .ci/run installs it"
    );
    eprintln!("chromium not found: browser checks skipped");
    None
}

/// Whether ffmpeg and ffprobe are on PATH. Under CI (`CI` set) their absence is a failure:
/// `.ci/run` installs them, so a missing ffmpeg there is a broken setup, not a skip.
pub fn ffmpeg_tools() -> bool {
    let has = |tool: &str| {
        Command::new(tool)
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let found = has("ffmpeg") && has("ffprobe");
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but ffmpeg or ffprobe is missing: .ci/run installs them"
        );
        eprintln!("ffmpeg/ffprobe not found: video checks skipped");
    }
    found
}

/// `ffprobe` of a file's first video stream: `key=value` lines.
pub fn ffprobe(path: &Path, entries: &str) -> String {
    let o = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-count_frames"])
        .args([
            "-show_entries",
            entries,
            "-of",
            "default=noprint_wrappers=1",
        ])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// Decodes every frame of a video into raw pixels of `pix_fmt` (`rgba`, `rgb24`), converting
/// with the BT.709 matrix the files are tagged with; `decoder` picks one (`libvpx-vp9` keeps a
/// WebM's alpha, which the built-in VP9 decoder drops).
pub fn decode_video(path: &Path, pix_fmt: &str, decoder: Option<&str>) -> Vec<u8> {
    let mut c = Command::new("ffmpeg");
    c.args(["-v", "error"]);
    if let Some(d) = decoder {
        c.args(["-c:v", d]);
    }
    let o = c
        .arg("-i")
        .arg(path)
        .args([
            "-vf",
            &format!("scale=in_color_matrix=bt709:in_range=tv,format={pix_fmt}"),
            "-f",
            "rawvideo",
            "-",
        ])
        .output()
        .expect("ffmpeg runs");
    assert!(o.status.success(), "{}", stderr(&o));
    o.stdout
}

/// Decodes a PNG into (width, height, RGBA bytes), whatever its colour type.
pub fn decode_png_rgba(path: &Path) -> (u32, u32, Vec<u8>) {
    let f = std::fs::File::open(path).expect("png exists");
    let mut r = png::Decoder::new(std::io::BufReader::new(f))
        .read_info()
        .expect("png header");
    let mut buf = vec![0; r.output_buffer_size().expect("size")];
    let info = r.next_frame(&mut buf).expect("png data");
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => panic!("unexpected colour type {other:?}"),
    };
    (info.width, info.height, rgba)
}

/// The delay of each frame of a GIF, in hundredths of a second.
pub fn gif_delays(path: &Path) -> Vec<u16> {
    let f = std::fs::File::open(path).expect("gif exists");
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::Indexed);
    let mut d = opts.read_info(f).expect("gif header");
    let mut delays = Vec::new();
    while let Some(frame) = d.read_next_frame().expect("gif frame") {
        delays.push(frame.delay);
    }
    delays
}
