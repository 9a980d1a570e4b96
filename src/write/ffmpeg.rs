//! ffmpeg as a real dependency: found on PATH or at a given path, its version and encoders
//! checked before anything is drawn, fed raw RGBA frames on its standard input (no PNG round
//! trip), its standard error kept for the error message, stopped on an interruption, and its
//! outputs renamed into place only when it succeeded.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::error::{Error, Field, Result};

/// The oldest ffmpeg accepted: 4.3 is the first with every option used here (`-colorspace`
/// tags on VP9, `prores_ks` with alpha, `+faststart`); Debian 11 has 4.3, Debian 12 has 5.1.
pub const MIN_VERSION: (u32, u32) = (4, 3);

/// How many frames may wait for ffmpeg: enough to keep it busy while the next frames are
/// drawn, few enough that memory stays a handful of frames whatever the sequence length.
pub const QUEUED_FRAMES: usize = 2;

/// The video containers and codecs written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoKind {
    /// H.264 in MP4: plays in every browser and editor; no alpha.
    Mp4,
    /// VP9 in WebM: the web's video with alpha.
    WebM,
    /// ProRes 4444 in QuickTime: the editing codec with alpha.
    Mov,
}

impl VideoKind {
    /// The request field that asks for this kind.
    pub fn field(self) -> Field {
        match self {
            VideoKind::Mp4 => Field::Mp4,
            VideoKind::WebM => Field::Webm,
            VideoKind::Mov => Field::Mov,
        }
    }

    /// The ffmpeg encoder used.
    pub fn encoder(self) -> &'static str {
        match self {
            VideoKind::Mp4 => "libx264",
            VideoKind::WebM => "libvpx-vp9",
            VideoKind::Mov => "prores_ks",
        }
    }

    fn muxer(self) -> &'static str {
        match self {
            VideoKind::Mp4 => "mp4",
            VideoKind::WebM => "webm",
            VideoKind::Mov => "mov",
        }
    }

    /// Whether the file keeps an alpha channel when frames have one.
    pub fn keeps_alpha(self) -> bool {
        !matches!(self, VideoKind::Mp4)
    }
}

/// How hard the encoders work for the picture: each maps to one setting per codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quality {
    /// Small files for review.
    Draft,
    /// Broadcast-clean flat colours and text (the default).
    #[default]
    Good,
    /// Visually lossless, for re-encoding downstream.
    Best,
}

/// One video output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoOutput {
    /// Its kind.
    pub kind: VideoKind,
    /// Where it goes.
    pub path: PathBuf,
}

/// What every video output of a run shares: the frames fed to ffmpeg.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VideoSpec {
    /// Frame width.
    pub width: u32,
    /// Frame height.
    pub height: u32,
    /// Frames per second.
    pub fps: u32,
    /// Frames carry transparency (straight RGBA); otherwise every alpha is 255.
    pub alpha: bool,
    /// Encoder settings.
    pub quality: Quality,
}

/// A checked ffmpeg program.
#[derive(Debug, Clone)]
pub struct Ffmpeg {
    program: PathBuf,
    /// Its version, when it gave one (a build from git says none).
    pub version: Option<(u32, u32)>,
}

impl Ffmpeg {
    /// Finds ffmpeg (at `explicit`, else on PATH), checks its version and that it has the
    /// encoders of `kinds`. Errors name `explicit`'s field, else the first output's.
    pub fn find(explicit: Option<&Path>, kinds: &[VideoKind]) -> Result<Ffmpeg> {
        let field = match (explicit, kinds.first()) {
            (Some(_), _) | (None, None) => Field::Ffmpeg,
            (None, Some(k)) => k.field(),
        };
        let program = explicit.map_or_else(|| PathBuf::from("ffmpeg"), Path::to_path_buf);
        // One run tells both: the banner on standard error gives the version, the list on
        // standard output the encoders (each run of ffmpeg costs about a tenth of a second
        // before the first frame).
        let out = Command::new(&program)
            .arg("-encoders")
            .stdin(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .ok_or_else(|| match explicit {
                Some(p) => Error::usage_of(field, format!("{} is not a working ffmpeg", p.display())),
                None => Error::usage_of(
                    field,
                    "needs ffmpeg on PATH: install the ffmpeg package (for example `apt-get install ffmpeg`), or give its path",
                ),
            })?;
        let version = parse_version(&String::from_utf8_lossy(&out.stderr));
        if let Some(v) = version.filter(|v| *v < MIN_VERSION) {
            return Err(Error::usage_of(
                field,
                format!(
                    "ffmpeg {}.{} is too old: {}.{} or later is needed",
                    v.0, v.1, MIN_VERSION.0, MIN_VERSION.1
                ),
            ));
        }
        let ff = Ffmpeg { program, version };
        ff.check_encoders(kinds, &String::from_utf8_lossy(&out.stdout))?;
        Ok(ff)
    }

    /// Checks that `list` (what `ffmpeg -encoders` printed) has the encoders of `kinds`.
    fn check_encoders(&self, kinds: &[VideoKind], list: &str) -> Result<()> {
        for k in kinds {
            if !has_encoder(list, k.encoder()) {
                return Err(Error::usage_of(
                    k.field(),
                    format!(
                        "{} has no {} encoder: {}",
                        self.program.display(),
                        k.encoder(),
                        package_of(*k)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The program run.
    pub fn program(&self) -> &Path {
        &self.program
    }
}

/// The Debian package that brings an encoder.
fn package_of(kind: VideoKind) -> &'static str {
    match kind {
        VideoKind::Mp4 => {
            "install Debian's ffmpeg, whose libavcodec59 (or libavcodec-extra59) is built with libx264 (package libx264-164)"
        }
        VideoKind::WebM => {
            "install Debian's ffmpeg, whose libavcodec59 (or libavcodec-extra59) is built with libvpx (package libvpx7)"
        }
        VideoKind::Mov => {
            "install Debian's ffmpeg, whose libavcodec59 has the native prores_ks encoder"
        }
    }
}

/// `major.minor` from `ffmpeg version 5.1.9-0+deb12u1 …`; `None` for builds without one
/// (`ffmpeg version N-112233-g…`).
pub fn parse_version(text: &str) -> Option<(u32, u32)> {
    let v = text.split("version ").nth(1)?.split_whitespace().next()?;
    let v = v.trim_start_matches('n');
    let mut parts = v.split(|c: char| !c.is_ascii_digit());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

/// Whether `ffmpeg -encoders` lists an encoder of this exact name.
fn has_encoder(list: &str, name: &str) -> bool {
    list.lines()
        .any(|l| l.split_whitespace().nth(1) == Some(name))
}

/// Encoder settings of one output.
pub fn output_args(kind: VideoKind, spec: &VideoSpec) -> Vec<String> {
    let alpha = spec.alpha && kind.keeps_alpha();
    let q = spec.quality;
    let pix_fmt = match kind {
        VideoKind::Mp4 => "yuv420p",
        VideoKind::WebM if alpha => "yuva420p",
        VideoKind::WebM => "yuv420p",
        VideoKind::Mov => "yuva444p10le",
    };
    // Even sides for 4:2:0 (transparent padding), and RGB converted with the BT.709 matrix the
    // file is tagged with, so players show the faction colours as drawn. The frames carry the
    // tags too: ProRes writes its colour tags from the frames, not from the options below.
    let filter = format!(
        "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=black@0,scale=out_color_matrix=bt709:out_range=tv,format={pix_fmt},setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709"
    );
    let mut a: Vec<String> = ["-vf", &filter, "-c:v", kind.encoder(), "-pix_fmt", pix_fmt]
        .iter()
        .map(ToString::to_string)
        .collect();
    let codec: Vec<String> = match kind {
        // CRF: constant quality; flat colours stay clean at 20, the x264 default 23 smears red
        // on saturated fills' edges.
        VideoKind::Mp4 => vec![
            "-crf".into(),
            pick(q, "28", "20", "14").into(),
            "-movflags".into(),
            // The index at the front: a browser starts playing before the whole file arrives.
            "+faststart".into(),
        ],
        VideoKind::WebM => vec![
            "-b:v".into(),
            "0".into(),
            // 20 keeps the alpha plane exact in flat areas (0 off the map, 255 on it); at 30 a
            // few transparent pixels decode as 1.
            "-crf".into(),
            pick(q, "36", "20", "12").into(),
            // Rows in parallel and the faster "good" speed: the default single-threaded VP9 is
            // ten times slower than x264.
            "-row-mt".into(),
            "1".into(),
            "-deadline".into(),
            "good".into(),
            "-cpu-used".into(),
            "4".into(),
        ],
        VideoKind::Mov => vec![
            "-profile:v".into(),
            "4444".into(),
            "-vendor".into(),
            "apl0".into(),
            "-qscale:v".into(),
            pick(q, "13", "9", "4").into(),
        ],
    };
    a.extend(codec);
    for (flag, v) in [
        ("-color_primaries", "bt709"),
        ("-color_trc", "bt709"),
        ("-colorspace", "bt709"),
        ("-color_range", "tv"),
        ("-f", kind.muxer()),
    ] {
        a.push(flag.into());
        a.push(v.into());
    }
    a
}

fn pick(q: Quality, draft: &'static str, good: &'static str, best: &'static str) -> &'static str {
    match q {
        Quality::Draft => draft,
        Quality::Good => good,
        Quality::Best => best,
    }
}

/// The input side: raw straight-alpha RGBA frames on standard input.
pub fn input_args(spec: &VideoSpec) -> Vec<String> {
    let size = format!("{}x{}", spec.width, spec.height);
    let fps = spec.fps.to_string();
    [
        "-hide_banner",
        "-nostdin",
        "-y",
        "-loglevel",
        "error",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgba",
        "-s",
        &size,
        "-r",
        &fps,
        "-i",
        "-",
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

/// One frame for ffmpeg: straight RGBA bytes, written `repeat` times (a held frame is drawn
/// once).
type Queued = (Arc<Vec<u8>>, usize);

/// A running ffmpeg fed frames in order by a writer thread, with every output under a
/// temporary name until [`Encoder::finish`].
pub struct Encoder {
    queue: Option<SyncSender<Queued>>,
    writer: Option<JoinHandle<std::io::Result<()>>>,
    stderr: Option<JoinHandle<String>>,
    /// (temporary, destination) of each output.
    files: Vec<(PathBuf, PathBuf)>,
    frame_bytes: usize,
    finished: bool,
    /// Frames ffmpeg has taken, for the renderer to draw the next ones in (see
    /// [`Encoder::spare`]).
    spares: Spares,
}

/// Frame buffers written to ffmpeg and free to draw in again.
type Spares = Arc<Mutex<Vec<Vec<u8>>>>;

/// Most frame buffers kept for drawing in: a new frame-sized buffer is zeroed page by page by
/// the kernel (at 1080p that was the renderer's largest cost), a reused one is not; the frames
/// in flight bound the rest.
const MAX_SPARES: usize = 2;

impl Encoder {
    /// Starts ffmpeg writing every output.
    pub fn start(ff: &Ffmpeg, spec: &VideoSpec, outputs: &[VideoOutput]) -> Result<Encoder> {
        let mut command = Command::new(ff.program());
        command.args(input_args(spec));
        let mut files = Vec::new();
        let mut enc = Encoder {
            queue: None,
            writer: None,
            stderr: None,
            files: Vec::new(),
            frame_bytes: spec.width as usize * spec.height as usize * 4,
            finished: false,
            spares: Spares::default(),
        };
        for o in outputs {
            let dest = file_destination(o)?;
            super::create_folder_of(&dest)?;
            let tmp = super::temporary_path(&dest);
            super::interrupt::create_temporary(&tmp, |t| std::fs::File::create(t))
                .map_err(|e| Error::io(&tmp, e))?;
            enc.files.push((tmp.clone(), dest));
            command.args(output_args(o.kind, spec)).arg(&tmp);
            files.push(tmp);
        }
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let (stdin, stderr) = super::interrupt::spawn_child(command, |c| {
            let missing = || std::io::Error::other("no pipe to ffmpeg");
            Ok((
                c.stdin.take().ok_or_else(missing)?,
                c.stderr.take().ok_or_else(missing)?,
            ))
        })
        .map_err(|e| Error::Runtime(format!("ffmpeg could not run: {e}")))?;
        widen_pipe(&stdin);
        enc.stderr = Some(std::thread::spawn(move || keep_tail(stderr)));
        let (tx, rx) = sync_channel::<Queued>(QUEUED_FRAMES);
        let spares = enc.spares.clone();
        enc.writer = Some(std::thread::spawn(move || feed(stdin, rx, &spares)));
        enc.queue = Some(tx);
        Ok(enc)
    }

    /// Queues a frame (straight RGBA of the spec's size) shown `repeat` times; blocks while
    /// [`QUEUED_FRAMES`] frames wait. Fails when ffmpeg stopped taking frames.
    pub fn send(&mut self, rgba: Arc<Vec<u8>>, repeat: usize) -> Result<()> {
        if rgba.len() != self.frame_bytes {
            return Err(Error::Runtime(format!(
                "a video frame of {} bytes, expected {}",
                rgba.len(),
                self.frame_bytes
            )));
        }
        let sent = self.queue.as_ref().map(|q| q.send((rgba, repeat)));
        match sent {
            Some(Ok(())) => Ok(()),
            _ => Err(self.failure("stopped taking frames")),
        }
    }

    /// A frame buffer ffmpeg has taken, to draw another frame in, when one is free.
    pub fn spare(&self) -> Option<Vec<u8>> {
        self.spares
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
    }

    /// Closes ffmpeg's input, waits for it and renames every output into place.
    pub fn finish(mut self) -> Result<()> {
        drop(self.queue.take());
        let fed = self.writer.take().map(|w| w.join());
        let status = super::interrupt::wait_child();
        let log = self.log();
        match (fed, status) {
            (Some(Ok(Ok(()))), Ok(s)) if s.success() => {}
            (_, Ok(s)) if !s.success() => {
                return Err(Error::Runtime(format!("ffmpeg failed ({s}){log}")));
            }
            (_, Err(e)) => return Err(Error::Runtime(format!("ffmpeg: {e}{log}"))),
            _ => return Err(Error::Runtime(format!("ffmpeg stopped taking frames{log}"))),
        }
        for (tmp, dest) in std::mem::take(&mut self.files) {
            let r = super::interrupt::settle_temporary(&tmp, || std::fs::rename(&tmp, &dest));
            if let Err(e) = r {
                super::interrupt::discard_temporary(&tmp);
                return Err(Error::io(dest, e));
            }
        }
        self.finished = true;
        Ok(())
    }

    /// ffmpeg's error once it stopped: waits for it, so its own words are in the message.
    fn failure(&mut self, what: &str) -> Error {
        drop(self.queue.take());
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
        let status = super::interrupt::wait_child()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        Error::Runtime(format!("ffmpeg {what}{status}{}", self.log()))
    }

    fn log(&mut self) -> String {
        let text = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        let text = text.trim();
        if text.is_empty() {
            String::new()
        } else {
            format!(":\n{text}")
        }
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        // A failed or abandoned run: stop ffmpeg and leave no partial video behind.
        drop(self.queue.take());
        super::interrupt::kill_child();
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
        for (tmp, _) in self.files.drain(..) {
            super::interrupt::discard_temporary(&tmp);
        }
    }
}

fn file_destination(o: &VideoOutput) -> Result<PathBuf> {
    match super::destination(&o.path)? {
        super::Destination::File(p) => Ok(p),
        super::Destination::Device(d) => Err(Error::usage_of(
            o.kind.field(),
            format!("{} is a device: a video is written to a file", d.display()),
        )),
    }
}

/// Gives the pipe to ffmpeg the largest buffer an unprivileged process may set (1 MB by
/// default, against 64 kB): a 1080p frame is 8 MB, and with the small buffer the writer and
/// ffmpeg woke each other a hundred and twenty times a frame.
#[cfg(target_os = "linux")]
fn widen_pipe(stdin: &std::process::ChildStdin) {
    use std::os::fd::AsRawFd;
    let max = std::fs::read_to_string("/proc/sys/fs/pipe-max-size")
        .ok()
        .and_then(|s| s.trim().parse::<libc::c_int>().ok())
        .unwrap_or(1 << 20);
    let fd = stdin.as_raw_fd();
    // SAFETY: fcntl on a pipe descriptor this process owns; a failure leaves the size as it
    // was. Only ever grown: a system whose limit is below the default keeps the default.
    unsafe {
        if libc::fcntl(fd, libc::F_GETPIPE_SZ) < max {
            libc::fcntl(fd, libc::F_SETPIPE_SZ, max);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn widen_pipe(_: &std::process::ChildStdin) {}

fn feed(
    stdin: std::process::ChildStdin,
    rx: Receiver<Queued>,
    spares: &Mutex<Vec<Vec<u8>>>,
) -> std::io::Result<()> {
    let mut stdin = stdin;
    for (frame, repeat) in rx {
        for _ in 0..repeat {
            stdin.write_all(&frame)?;
        }
        if let Ok(buffer) = Arc::try_unwrap(frame) {
            let mut free = spares
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if free.len() < MAX_SPARES {
                free.push(buffer);
            }
        }
    }
    stdin.flush()
}

/// The last 16 KB of ffmpeg's standard error: enough for its error, bounded whatever it says.
fn keep_tail(mut stderr: std::process::ChildStderr) -> String {
    const KEEP: usize = 16 << 10;
    let mut kept = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = stderr.read(&mut buf) {
        if n == 0 {
            break;
        }
        kept.extend_from_slice(&buf[..n]);
        if kept.len() > 2 * KEEP {
            kept.drain(..kept.len() - KEEP);
        }
    }
    if kept.len() > KEEP {
        kept.drain(..kept.len() - KEEP);
    }
    String::from_utf8_lossy(&kept).into_owned()
}

#[cfg(test)]
mod tests {
    #[cfg(target_os = "linux")]
    #[test]
    fn the_pipe_to_ffmpeg_is_widened() {
        use std::os::fd::AsRawFd;
        let mut child = std::process::Command::new("cat")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        // SAFETY: a query on a pipe this test owns.
        let size = || unsafe { libc::fcntl(stdin.as_raw_fd(), libc::F_GETPIPE_SZ) };
        let before = size();
        super::widen_pipe(&stdin);
        let after = size();
        drop(stdin);
        child.wait().unwrap();
        let max: i32 = std::fs::read_to_string("/proc/sys/fs/pipe-max-size")
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(
            after >= max.max(before),
            "{before} -> {after} bytes, max {max}"
        );
    }

    use super::*;

    #[test]
    fn versions_are_read_from_release_and_git_builds() {
        assert_eq!(
            parse_version("ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026"),
            Some((5, 1))
        );
        assert_eq!(parse_version("ffmpeg version n6.0 Copyright"), Some((6, 0)));
        assert_eq!(parse_version("ffmpeg version 4.2.7"), Some((4, 2)));
        assert_eq!(
            parse_version("ffmpeg version N-112233-gabc Copyright"),
            None
        );
    }

    #[test]
    fn encoders_are_matched_by_their_exact_name() {
        let list =
            " V....D libx264rgb           libx264 H.264 RGB\n V....D libvpx-vp9   libvpx VP9\n";
        assert!(!has_encoder(list, "libx264"));
        assert!(has_encoder(list, "libvpx-vp9"));
    }

    #[test]
    fn mp4_drops_alpha_and_webm_keeps_it() {
        let spec = VideoSpec {
            width: 400,
            height: 300,
            fps: 25,
            alpha: true,
            quality: Quality::Good,
        };
        let mp4 = output_args(VideoKind::Mp4, &spec).join(" ");
        assert!(mp4.contains("-pix_fmt yuv420p"), "{mp4}");
        assert!(mp4.contains("+faststart"), "{mp4}");
        let webm = output_args(VideoKind::WebM, &spec).join(" ");
        assert!(webm.contains("-pix_fmt yuva420p"), "{webm}");
        let opaque = VideoSpec {
            alpha: false,
            ..spec
        };
        let webm = output_args(VideoKind::WebM, &opaque).join(" ");
        assert!(webm.contains("-pix_fmt yuv420p "), "{webm}");
    }
}
