//! Animation: a dated frame sequence rendered in parallel and streamed to disk, its
//! `frames.csv`, an animated GIF and, through ffmpeg, an MP4.

pub mod folder;
mod outputs;
pub mod plan;
mod sequence;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::analysis::describe;
use crate::dataset::Dataset;
use crate::date::{Date, Step, display_date};
use crate::error::{Error, Field, Result};
use crate::lang::Lang;
use crate::render::Format;
use crate::render::png::{FrameRenderer, SPARE_LOOK_BYTES};
use crate::scene::style::Medium;
use crate::scene::{MapLayout, MapOptions};
use crate::timeline::Timeline;
use crate::write::csv::Table;
pub use crate::write::ffmpeg::{Quality, VideoKind, VideoOutput};
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
    /// The GIF. With video outputs, the default is no GIF.
    pub gif: GifTarget,
    /// Videos encoded by ffmpeg from the drawn pixels.
    pub videos: Vec<VideoOutput>,
    /// The ffmpeg program (default: `ffmpeg` on PATH).
    pub ffmpeg: Option<PathBuf>,
    /// Encoder settings of the videos.
    pub quality: Quality,
    /// Frames without their background: transparent where there is no map, for laying over
    /// footage (PNG frames with alpha, WebM and ProRes with alpha).
    pub transparent: bool,
    /// A still PNG of one date (the last by default) for a video's cover.
    pub cover: Option<PathBuf>,
    /// The date of the cover (default: the last date of the sequence).
    pub cover_date: Option<Date>,
    /// Frame folder (default `output/frames`). With video outputs, frame files are made only
    /// when it is given or [`FramesRequest::frame_files`] is set.
    pub out: Option<PathBuf>,
    /// Make frame files in the default folder even with video outputs.
    pub frame_files: bool,
    /// Skip frames already present and complete.
    pub resume: bool,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// French labels.
    pub lang: Lang,
    /// The outlet's credit at the end of the credit line (`--credit`).
    pub credit: Option<String>,
    /// Where the frames are seen: layout (a vertical frame keys under the map), and whether
    /// they are video frames (title-safe margins, a large date stamp).
    pub medium: Medium,
    /// Leave out the dataset's shaded relief (the command line's default for frames).
    pub without_relief: bool,
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
            videos: Vec::new(),
            ffmpeg: None,
            quality: Quality::Good,
            transparent: false,
            cover: None,
            cover_date: None,
            out: None,
            frame_files: false,
            resume: false,
            progress: false,
            lang: Lang::En,
            credit: None,
            medium: Medium::default(),
            without_relief: true,
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
    /// The frame folder, when frame files were made.
    pub dir: Option<PathBuf>,
    /// The GIF, when made.
    pub gif: Option<PathBuf>,
    /// The videos made.
    pub videos: Vec<PathBuf>,
    /// The cover, when made.
    pub cover: Option<PathBuf>,
}

/// Memory the frames of a run may take, whatever the frame size and the number of cores.
pub const FRAME_MEMORY_BUDGET: u64 = 2 << 30;
/// Bytes per pixel of one frame in flight: its RGBA pixmap (4), an RGB copy (3), GIF palette
/// indices (1) and the encoded PNG (at most about 4).
const IN_FLIGHT_BYTES_PER_PIXEL: u64 = 12;
/// Bytes per pixel held for the whole run: the renderer's cached underlay and overlay (at most
/// 8), its two latest drawn states (8) and the GIF's previous frame (1); more drawn states are
/// kept only within [`SPARE_LOOK_BYTES`].
const RUN_BYTES_PER_PIXEL: u64 = 17;

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
        "{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
        dataset.manifest,
        dataset.territories,
        dataset.neighbours,
        dataset.records,
        dataset.events,
        dataset.references,
        req.credit,
        req.medium,
        req.transparent,
    );
    // The relief raster is long; its hash stands for it.
    let relief = dataset.relief.as_ref().map_or(String::from("none"), |r| {
        format!("{:016x}", folder::fnv1a(&r.grey))
    });
    let data = format!("{data}{relief}{}", req.without_relief);
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

/// Renders a sequence: runs of identical frames drawn once, in parallel on every core, and
/// handed in order to the frame folder, the GIF and ffmpeg (raw pixels on its standard input,
/// no PNG round trip). `cancel` (set by Ctrl-C) stops the run between batches, leaving only
/// complete frames and no partial video.
pub fn run(dataset: &Dataset, req: &FramesRequest, cancel: &AtomicBool) -> Result<FramesReport> {
    let batch = frames_in_flight(req.size.0, req.size.1, rayon::current_num_threads())?;
    let timeline = Timeline::new(dataset);
    let frames = plan_frames(dataset, &timeline, req)?;
    let (first, last) = match (frames.first(), frames.last()) {
        (Some(a), Some(b)) => (a.date, b.date),
        _ => return Err(Error::usage("the sequence has no frames")),
    };
    let plan = outputs::check(dataset, req, first, last)?;
    let dir = match plan.frame_files {
        true => Some(crate::write::output_dir(
            req.out.as_deref(),
            Some("frames"),
        )?),
        false => None,
    };
    // One run at a time per folder; only then are leftovers of a dead run safe to remove.
    let _lock = dir.as_deref().map(folder::Lock::take).transpose()?;
    let keep = match &dir {
        Some(d) => {
            remove_stale_temporaries(d);
            let settings = settings_record(dataset, req, &frames);
            folder::prepare(d, &settings, frames.len(), req.format, req.resume)?
        }
        None => false,
    };
    let options = MapOptions {
        width: req.size.0,
        height: req.size.1,
        lang: req.lang,
        strip: Some((first, last)),
        compact: false,
        credit: req.credit.clone(),
        change_key: false,
        medium: req.medium,
        // Frames laid over footage leave the relief out: the footage is their ground.
        relief: !req.without_relief && !req.transparent,
    };
    let layout = MapLayout::new(dataset, &options)?;
    let areas = crate::analysis::areas_km2_of(dataset, Some(layout.reaches()));
    let mut first_scene = layout.scene(&timeline.state_at(first), None, "");
    if req.transparent {
        first_scene.background = sequence::NO_BACKGROUND;
    }
    let mut renderer = FrameRenderer::new(&first_scene)?;
    let png_only = plan.gif.is_none() && plan.ffmpeg.is_none() && req.format == Format::Png;
    if png_only && !req.transparent {
        renderer = renderer.png_only();
    }
    let drawing = sequence::Drawing {
        dataset,
        timeline: &timeline,
        layout: &layout,
        areas: &areas,
        renderer: &renderer,
        transparent: req.transparent,
    };
    let mut sinks = outputs::open(dataset, req, &plan, &first_scene, dir.clone(), keep)?;
    if let Some(d) = &dir {
        write_atomic(
            &d.join("frames.csv"),
            frames_csv(dataset, &frames)?.as_bytes(),
        )?;
    }
    let bar = progress_bar(req.progress, frames.len());
    let counts = sequence::draw_all(&drawing, &frames, &mut sinks, batch, cancel, &bar)?;
    bar.finish_and_clear();
    if let Some(g) = sinks.gif.take() {
        g.finish()?;
    }
    if let Some(v) = sinks.video.take() {
        v.finish()?;
    }
    if let Some(p) = &req.cover {
        outputs::cover(&drawing, &frames, req.cover_date.unwrap_or(last), p)?;
    }
    Ok(FramesReport {
        frames: frames.len(),
        rendered: counts.rendered,
        kept: counts.kept,
        dir,
        gif: plan.gif,
        videos: req.videos.iter().map(|v| v.path.clone()).collect(),
        cover: req.cover.clone(),
    })
}

fn progress_bar(shown: bool, frames: usize) -> indicatif::ProgressBar {
    let bar = if shown {
        indicatif::ProgressBar::new(frames as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} frames {per_sec} eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
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
