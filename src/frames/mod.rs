//! Animation: a dated frame sequence rendered in parallel and streamed to disk, its
//! `frames.csv`, an animated GIF and, through ffmpeg, an MP4.

pub mod folder;
pub mod plan;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::analysis::{areas_km2, describe};
use crate::dataset::Dataset;
use crate::date::{Date, Step, display_date};
use crate::error::{Error, Field, Result};
use crate::lang::Lang;
use crate::render::png::{FrameRenderer, SPARE_LOOK_BYTES, encode_png, rgb_bytes};
use crate::render::{Format, svg};
use crate::scene::{MapLayout, MapOptions};
use crate::timeline::Timeline;
use crate::write::csv::Table;
use crate::write::gif::{GifWriter, Palette, check_size};
use crate::write::png_meta;
use crate::write::write_atomic;
use plan::{PlannedFrame, dates_between, with_transitions};

/// Where the GIF goes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum GifTarget {
    /// `output/<dataset>-<first year>-<last year>.gif`.
    #[default]
    Default,
    /// A given file.
    File(PathBuf),
    /// `<dataset>-<first year>-<last year>.gif` in this folder.
    InFolder(PathBuf),
    /// No GIF.
    None,
}

/// What `controlmap frames` should make.
#[derive(Debug, Clone)]
pub struct FramesRequest {
    /// First date (default: the dataset's sequence).
    pub from: Option<Date>,
    /// Last date, included.
    pub to: Option<Date>,
    /// Distance between frames.
    pub step: Option<Step>,
    /// One held shot per phase instead of dated steps.
    pub phases: bool,
    /// Frames per held phase shot.
    pub hold: u32,
    /// Cross-fade frames wherever a target changes hands.
    pub transition: u32,
    /// Frame size.
    pub size: (u32, u32),
    /// Frame format.
    pub format: Format,
    /// Frames per second of the GIF and MP4 (25 by default: the PAL rate of European
    /// newsroom editing timelines).
    pub fps: u32,
    /// The GIF.
    pub gif: GifTarget,
    /// An MP4 through ffmpeg.
    pub mp4: Option<PathBuf>,
    /// Frame folder (default `output/frames`).
    pub out: Option<PathBuf>,
    /// Skip frames already present and complete.
    pub resume: bool,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// French labels.
    pub lang: Lang,
    /// The outlet's credit at the end of the credit line (`--credit`).
    pub credit: Option<String>,
}

impl Default for FramesRequest {
    fn default() -> Self {
        FramesRequest {
            from: None,
            to: None,
            step: None,
            phases: false,
            hold: 25,
            transition: 8,
            size: (1280, 720),
            format: Format::Png,
            fps: 25,
            gif: GifTarget::Default,
            mp4: None,
            out: None,
            resume: false,
            progress: false,
            lang: Lang::En,
            credit: None,
        }
    }
}

/// What a run made.
#[derive(Debug, Clone, PartialEq)]
pub struct FramesReport {
    /// Frames in the sequence.
    pub frames: usize,
    /// Frames drawn by this run.
    pub rendered: usize,
    /// Frames kept from an earlier run (`--resume`).
    pub kept: usize,
    /// The frame folder.
    pub dir: PathBuf,
    /// The GIF, when made.
    pub gif: Option<PathBuf>,
    /// The MP4, when made.
    pub mp4: Option<PathBuf>,
}

/// Memory the frames of a run may take, whatever the frame size and the number of cores.
pub const FRAME_MEMORY_BUDGET: u64 = 2 << 30;
/// Bytes per pixel of one frame in flight: its RGBA pixmap (4), an RGB copy (3), GIF palette
/// indices (1) and the encoded PNG (at most about 4).
const IN_FLIGHT_BYTES_PER_PIXEL: u64 = 12;
/// Bytes per pixel held for the whole run: the renderer's cached underlay and overlay (8), its
/// latest drawn state (4) and the GIF's previous frame (1); more drawn states are kept only
/// within [`SPARE_LOOK_BYTES`].
const RUN_BYTES_PER_PIXEL: u64 = 13;

/// How many frames may be drawn at once within [`FRAME_MEMORY_BUDGET`]; a size whose single
/// frame does not fit is refused before anything is drawn.
pub fn frames_in_flight(width: u32, height: u32, threads: usize) -> Result<usize> {
    let pixels = u64::from(width) * u64::from(height);
    let fixed = pixels * RUN_BYTES_PER_PIXEL + SPARE_LOOK_BYTES;
    let each = pixels * IN_FLIGHT_BYTES_PER_PIXEL;
    if fixed + each > FRAME_MEMORY_BUDGET {
        let side = (((FRAME_MEMORY_BUDGET - SPARE_LOOK_BYTES)
            / (RUN_BYTES_PER_PIXEL + IN_FLIGHT_BYTES_PER_PIXEL)) as f64)
            .sqrt() as u64;
        return Err(Error::usage_of(
            Field::Size,
            format!(
                "{width}x{height} frames need {} MB each, over the {} MB frames may take (about {side}x{side} at most)",
                (fixed + each) >> 20,
                FRAME_MEMORY_BUDGET >> 20
            ),
        ));
    }
    let fit = usize::try_from((FRAME_MEMORY_BUDGET - fixed) / each).unwrap_or(usize::MAX);
    Ok(fit.clamp(1, (threads * 4).max(8)))
}

/// How long a GIF's last frame stays up, in hundredths of a second.
pub const LAST_FRAME_DELAY_CS: u16 = 300;

/// The file name of frame `index` (1-based).
pub fn frame_name(index: usize, format: Format) -> String {
    format!("frame-{index:05}.{}", format.extension())
}

/// Whether a frame file is whole: a PNG that decodes (every chunk's checksum and the image
/// data, not just a final IEND), or an SVG ending in `</svg>`.
pub fn is_complete(path: &Path, format: Format) -> bool {
    match format {
        Format::Png => decode_png_rgb(path).is_ok(),
        Format::Svg => std::fs::read(path).is_ok_and(|b| b.ends_with(b"</svg>\n")),
    }
}

/// What the frames of a run depend on, recorded in the frame folder: a resumed run keeps
/// frames only when this is unchanged.
fn settings_record(dataset: &Dataset, req: &FramesRequest, frames: &[PlannedFrame]) -> String {
    let data = format!(
        "{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
        dataset.manifest,
        dataset.territories,
        dataset.neighbours,
        dataset.records,
        dataset.events,
        dataset.references,
        req.credit,
    );
    let plan = format!("{frames:?}");
    format!(
        "controlmap {}\nsize = {}x{}\nformat = {}\nlanguage = {}\ndataset = {}\ndataset_hash = {:016x}\nfrom = {}\nto = {}\nframes = {}\nplan_hash = {:016x}\n",
        env!("CARGO_PKG_VERSION"),
        req.size.0,
        req.size.1,
        req.format.extension(),
        req.lang,
        dataset.manifest.name.as_deref().unwrap_or("unnamed"),
        folder::fnv1a(data.as_bytes()),
        frames.first().map_or(String::new(), |f| f.date.to_string()),
        frames.last().map_or(String::new(), |f| f.date.to_string()),
        frames.len(),
        folder::fnv1a(plan.as_bytes()),
    )
}

fn ffmpeg_available() -> bool {
    std::process::Command::new("ffmpeg")
        .arg("-version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The frames of a request, with the dates they show.
pub fn plan_frames(
    dataset: &Dataset,
    timeline: &Timeline,
    req: &FramesRequest,
) -> Result<Vec<PlannedFrame>> {
    if req.phases {
        if req.from.is_some() || req.to.is_some() || req.step.is_some() {
            return Err(Error::usage_of(
                Field::Phases,
                "phase shots cannot be combined with a start date, end date or step",
            ));
        }
        if dataset.manifest.phases.is_empty() {
            return Err(Error::usage_of(
                Field::Phases,
                "the dataset declares no phases",
            ));
        }
        let mut phases: Vec<_> = dataset.manifest.phases.iter().collect();
        phases.sort_by_key(|p| p.date);
        let keys: Vec<(Date, Option<String>)> = phases
            .iter()
            .map(|p| (p.date, Some(p.title_in(req.lang).to_string())))
            .collect();
        return with_transitions(timeline, &keys, req.hold, req.transition);
    }
    let seq = dataset.manifest.sequence.as_ref();
    let from = req
        .from
        .or(seq.map(|s| s.from))
        .or(timeline.span().map(|s| s.0));
    let to = req
        .to
        .or(seq.map(|s| s.to))
        .or(timeline.span().map(|s| s.1));
    let (Some(from), Some(to)) = (from, to) else {
        return Err(Error::usage_of(
            Field::From,
            "a start and an end date are needed: the dataset has no [sequence] and no records",
        ));
    };
    let step = req.step.or(seq.map(|s| s.step)).unwrap_or(Step::Days(7));
    let keys: Vec<(Date, Option<String>)> = dates_between(from, to, step)?
        .into_iter()
        .map(|d| (d, None))
        .collect();
    with_transitions(timeline, &keys, 1, req.transition)
}

/// The phase in force on a date: the last phase that has started by then.
fn phase_on(dataset: &Dataset, date: Date) -> &str {
    dataset
        .manifest
        .phases
        .iter()
        .filter(|p| p.start.unwrap_or(p.date) <= date)
        .max_by_key(|p| p.start.unwrap_or(p.date))
        .map_or("", |p| p.id.as_str())
}

/// `frames.csv`: `index,date,phase,caption,transition` for video editors.
pub fn frames_csv(dataset: &Dataset, frames: &[PlannedFrame]) -> Result<String> {
    let mut t = Table::new();
    t.text_row(&["index", "date", "phase", "caption", "transition"])?;
    for (i, f) in frames.iter().enumerate() {
        let caption = latest_event(dataset, f.date);
        let fade = f
            .fade_from
            .map_or("1".to_string(), |(_, t)| format!("{t:.3}"));
        t.num((i + 1).to_string())
            .num(f.date.to_string())
            .text(phase_on(dataset, f.date))
            .text(&caption)
            .num(fade)
            .end_row()?;
    }
    t.finish()
}

/// Renders a sequence: frames in parallel on every core, streamed to disk in order, with the
/// GIF assembled one frame at a time. `cancel` (set by Ctrl-C) stops the run between batches,
/// leaving only complete frames.
pub fn run(dataset: &Dataset, req: &FramesRequest, cancel: &AtomicBool) -> Result<FramesReport> {
    frames_in_flight(req.size.0, req.size.1, rayon::current_num_threads())?;
    let timeline = Timeline::new(dataset);
    let frames = plan_frames(dataset, &timeline, req)?;
    let (first, last) = match (frames.first(), frames.last()) {
        (Some(a), Some(b)) => (a.date, b.date),
        _ => return Err(Error::usage("the sequence has no frames")),
    };
    let gif_path = match &req.gif {
        GifTarget::None => None,
        GifTarget::File(p) => Some(p.clone()),
        GifTarget::Default | GifTarget::InFolder(_) => {
            let dir = match &req.gif {
                GifTarget::InFolder(d) => crate::write::output_dir(Some(d), None)?,
                _ => crate::write::output_dir(None, None)?,
            };
            let name = dataset
                .manifest
                .name
                .clone()
                .unwrap_or_else(|| "controlmap".into());
            Some(dir.join(format!("{name}-{}-{}.gif", first.year(), last.year())))
        }
    };
    if let Some(p) = &gif_path {
        check_size(req.size.0, req.size.1)?;
        crate::write::check_parent(p)?;
    }
    if let Some(p) = &req.mp4 {
        crate::write::check_parent(p)?;
        if !ffmpeg_available() {
            return Err(Error::usage_of(
                Field::Mp4,
                "needs ffmpeg on PATH: install the ffmpeg package (for example `apt-get install ffmpeg`)",
            ));
        }
    }
    let dir = crate::write::output_dir(req.out.as_deref(), Some("frames"))?;
    // One run at a time per folder; only then are leftovers of a dead run safe to remove.
    let _lock = folder::Lock::take(&dir)?;
    remove_stale_temporaries(&dir);
    let keep = folder::prepare(
        &dir,
        &settings_record(dataset, req, &frames),
        frames.len(),
        req.format,
        req.resume,
    )?;

    let options = MapOptions {
        width: req.size.0,
        height: req.size.1,
        lang: req.lang,
        strip: Some((first, last)),
        compact: false,
        credit: req.credit.clone(),
        change_key: false,
    };
    let layout = MapLayout::new(dataset, &options)?;
    let areas = areas_km2(dataset);
    let first_scene = layout.scene(&timeline.state_at(first), None, "");
    let renderer = FrameRenderer::new(&first_scene)?;
    let mut gif = match &gif_path {
        Some(p) => {
            let mut key: Vec<_> = dataset.manifest.factions.iter().map(|f| f.colour).collect();
            key.extend(first_scene.colours());
            Some(GifWriter::create(
                p,
                req.size.0,
                req.size.1,
                req.fps,
                Palette::new(&key),
            )?)
        }
        None => None,
    };
    write_atomic(
        &dir.join("frames.csv"),
        frames_csv(dataset, &frames)?.as_bytes(),
    )?;

    let bar = if req.progress {
        indicatif::ProgressBar::new(frames.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} frames {per_sec} eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let (mut rendered, mut kept) = (0usize, 0usize);
    // Batches bound memory: at most `batch` frames are in flight, whatever the sequence length,
    // the frame size and the number of cores.
    let batch = frames_in_flight(req.size.0, req.size.1, rayon::current_num_threads())?;
    let indexed: Vec<(usize, &PlannedFrame)> =
        frames.iter().enumerate().map(|(i, f)| (i + 1, f)).collect();
    for chunk in indexed.chunks(batch) {
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Runtime(format!(
                "interrupted: the complete frames are in {}; a resumed run finishes them",
                dir.display()
            )));
        }
        let palette = gif.as_ref().map(GifWriter::palette);
        let results: Vec<Result<(bool, Option<Vec<u8>>)>> = chunk
            .par_iter()
            .map(|&(index, f)| {
                let path = dir.join(frame_name(index, req.format));
                if keep && is_complete(&path, req.format) {
                    let indices = match (palette, req.format) {
                        (Some(p), Format::Png) => Some(p.quantize(&decode_png_rgb(&path)?)),
                        (Some(p), Format::Svg) => {
                            Some(p.quantize(&rgb_bytes(&renderer.draw(&frame_scene(
                                &layout, &timeline, f, dataset, &areas, false,
                            ))?)))
                        }
                        (None, _) => None,
                    };
                    return Ok((false, indices));
                }
                let scene = frame_scene(
                    &layout,
                    &timeline,
                    f,
                    dataset,
                    &areas,
                    req.format == Format::Svg,
                );
                let needs_pixels = req.format == Format::Png || palette.is_some();
                let pixmap = if needs_pixels {
                    Some(renderer.draw(&scene)?)
                } else {
                    None
                };
                let bytes = match (req.format, &pixmap) {
                    (Format::Png, Some(p)) => {
                        png_meta::annotate(encode_png(p)?, &frame_meta(dataset, f))
                    }
                    _ => svg::write_svg(&scene).into_bytes(),
                };
                write_atomic(&path, &bytes)?;
                Ok((
                    true,
                    palette
                        .zip(pixmap.as_ref())
                        .map(|(pal, p)| pal.quantize(&rgb_bytes(p))),
                ))
            })
            .collect();
        let results: Vec<(bool, Option<Vec<u8>>)> = results.into_iter().collect::<Result<_>>()?;
        for (drawn, _) in &results {
            if *drawn {
                rendered += 1;
            } else {
                kept += 1;
            }
        }
        if let Some(g) = gif.as_mut() {
            // LZW compression is the slow part of a GIF: compress the batch in parallel, each
            // frame against the one before it, then write the frames in order.
            let indices: Vec<Vec<u8>> = results.into_iter().filter_map(|(_, ix)| ix).collect();
            let previous = g.previous().map(<[u8]>::to_vec);
            let prepared: Vec<gif::Frame<'static>> = (0..indices.len())
                .into_par_iter()
                .map(|k| {
                    let prev = if k == 0 {
                        previous.as_deref()
                    } else {
                        Some(indices[k - 1].as_slice())
                    };
                    g.prepare(prev, &indices[k])
                })
                .collect::<Result<_>>()?;
            let last_batch = chunk.last().is_some_and(|(i, _)| *i == frames.len());
            let n = prepared.len();
            for (k, (mut frame, ix)) in prepared.into_iter().zip(indices).enumerate() {
                if last_batch && k + 1 == n {
                    // The last frame stays up before the loop starts again, so the final state
                    // can be read.
                    frame.delay = LAST_FRAME_DELAY_CS.max(frame.delay);
                }
                g.write_prepared(&frame, ix)?;
            }
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    if let Some(g) = gif.take() {
        g.finish()?;
    }
    let mp4 = match &req.mp4 {
        Some(p) => {
            encode_mp4(&dir, req.format, req.fps, frames.len(), p)?;
            Some(p.clone())
        }
        None => None,
    };
    Ok(FramesReport {
        frames: frames.len(),
        rendered,
        kept,
        dir,
        gif: gif_path,
        mp4,
    })
}

/// The latest event on or before a date, dated: a frame's caption.
fn latest_event(dataset: &Dataset, date: Date) -> String {
    dataset
        .events
        .iter()
        .rev()
        .find(|e| e.date <= date)
        .map_or(String::new(), |e| {
            format!("{} — {}", display_date(e.date), e.caption)
        })
}

/// What a PNG frame says about itself: the date (and phase), its caption, the attribution.
/// Describing every frame's map in words would cost more than drawing it.
fn frame_meta(dataset: &Dataset, f: &PlannedFrame) -> png_meta::PngMeta {
    let title = match &f.heading {
        Some(h) => format!("{}: {h}, {}", dataset.manifest.title, f.date),
        None => format!("{}, {}", dataset.manifest.title, f.date),
    };
    let caption = latest_event(dataset, f.date);
    let description = if caption.is_empty() {
        format!(
            "{}: territorial control on {}",
            dataset.manifest.title, f.date
        )
    } else {
        caption
    };
    png_meta::PngMeta::new(&title, &description, &dataset.manifest.attribution)
}

fn frame_scene(
    layout: &MapLayout,
    timeline: &Timeline,
    f: &PlannedFrame,
    dataset: &Dataset,
    areas: &crate::analysis::Areas,
    with_description: bool,
) -> crate::scene::Scene {
    let to = timeline.state_at(f.date);
    // Descriptions only matter for SVG frames; computing them per PNG frame would waste time.
    let description = if with_description {
        describe(dataset, areas, &to, layout.options().lang)
    } else {
        String::new()
    };
    match f.fade_from {
        Some((from_date, t)) => layout.scene_between(
            &timeline.state_at(from_date),
            &to,
            t,
            f.heading.as_deref(),
            &description,
        ),
        None => layout.scene(&to, f.heading.as_deref(), &description),
    }
}

fn decode_png_rgb(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let bad = |e: ::png::DecodingError| {
        Error::data(
            path.display().to_string(),
            None,
            format!("unreadable PNG frame: {e}"),
        )
    };
    let mut reader = ::png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .map_err(bad)?;
    let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let info = reader.next_frame(&mut buf).map_err(bad)?;
    buf.truncate(info.buffer_size());
    match info.color_type {
        ::png::ColorType::Rgb => Ok(buf),
        ::png::ColorType::Rgba => Ok(buf
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect()),
        other => Err(Error::data(
            path.display().to_string(),
            None,
            format!("frame has colour type {other:?}, expected RGB"),
        )),
    }
}

fn remove_stale_temporaries(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(".frame-") && name.ends_with(".tmp") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

fn encode_mp4(dir: &Path, format: Format, fps: u32, frames: usize, out: &Path) -> Result<()> {
    if format != Format::Png {
        return Err(Error::usage_of(
            Field::Mp4,
            "needs PNG frames (a png format)",
        ));
    }
    let out = &match crate::write::destination(out)? {
        crate::write::Destination::File(p) => p,
        crate::write::Destination::Device(d) => {
            return Err(Error::usage_of(
                Field::Mp4,
                format!("{} is a device: an MP4 is written to a file", d.display()),
            ));
        }
    };
    let tmp = crate::write::temporary_path(out).with_extension("mp4");
    crate::write::interrupt::create_temporary(&tmp, |t| std::fs::File::create(t))
        .map_err(|e| Error::io(&tmp, e))?;
    let mut command = std::process::Command::new("ffmpeg");
    command
        .args([
            "-y",
            "-loglevel",
            "error",
            "-framerate",
            &fps.to_string(),
            "-i",
        ])
        .arg(dir.join("frame-%05d.png"))
        // Exactly this run's frames, even if a folder holds more.
        .args(["-frames:v", &frames.to_string()])
        .args([
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            // Even sides for 4:2:0, and RGB converted with the BT.709 matrix the file is tagged
            // with, so players show the faction colours as drawn.
            "-vf",
            "pad=ceil(iw/2)*2:ceil(ih/2)*2,scale=out_color_matrix=bt709:out_range=tv",
            "-color_primaries",
            "bt709",
            "-color_trc",
            "bt709",
            "-colorspace",
            "bt709",
            "-color_range",
            "tv",
            // The index at the front: a browser starts playing before the whole file arrives.
            "-movflags",
            "+faststart",
        ])
        .arg(&tmp);
    let status = crate::write::interrupt::run_child(command);
    let status = match status {
        Ok(s) => s,
        Err(e) => {
            crate::write::interrupt::discard_temporary(&tmp);
            return Err(Error::Runtime(format!("ffmpeg could not run: {e}")));
        }
    };
    if !status.success() {
        crate::write::interrupt::discard_temporary(&tmp);
        return Err(Error::Runtime(format!(
            "ffmpeg failed ({status}) making {}",
            out.display()
        )));
    }
    let renamed = crate::write::interrupt::settle_temporary(&tmp, || std::fs::rename(&tmp, out));
    renamed.map_err(|e| {
        crate::write::interrupt::discard_temporary(&tmp);
        Error::io(out, e)
    })
}
