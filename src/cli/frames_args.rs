//! The flags of `frames` and the request they make.

use std::path::PathBuf;

use super::DatasetArg;
use super::args::{self, DateArg, Lang, LayoutArg, SizeArg};
use crate::frames::{self, FramesRequest, GifTarget};
use crate::scene::style::{Layout, Medium};

/// Flags of `frames`.
#[derive(Debug, clap::Args)]
pub struct FramesArgs {
    /// First date (default: the dataset's [sequence]).
    #[arg(long)]
    pub from: Option<DateArg>,
    /// Last date, included.
    #[arg(long)]
    pub to: Option<DateArg>,
    /// Distance between frames: 1d, 7d, 2w, 1m (calendar months).
    #[arg(long, value_parser = args::parse_step)]
    pub step: Option<crate::date::Step>,
    /// One held shot per phase instead of dated steps.
    #[arg(long)]
    pub phases: bool,
    /// Frames each phase shot is held (with --phases; 25 is one second at the default rate).
    #[arg(
        long,
        default_value_t = 25,
        allow_negative_numbers = true,
        requires = "phases"
    )]
    pub hold: u32,
    /// Cross-fade frames wherever a target changes hands (0 for hard cuts; 8 is about a third
    /// of a second at the default rate).
    #[arg(long, default_value_t = 8, allow_negative_numbers = true)]
    pub transition: u32,
    /// Frame size in pixels, WIDTHxHEIGHT (default: the layout's size when --layout is given,
    /// else 1280x720).
    #[arg(long, allow_hyphen_values = true)]
    pub size: Option<SizeArg>,
    /// A video format's frame size: 720p (1280x720), 1080p (1920x1080), 4k (3840x2160),
    /// vertical (1080x1920, 9:16 for social) or square (1080x1080).
    #[arg(long, value_enum, conflicts_with = "size")]
    pub preset: Option<PresetArg>,
    /// Where the frames are seen (default: the preset's, else article): vertical and mobile
    /// put the key and the timeline under the map; see `render --help`.
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,
    /// Frame format: png or svg.
    #[arg(long, value_parser = args::parse_format, default_value = "png")]
    pub format: crate::render::Format,
    /// Frames per second of the GIF and MP4. 25, the PAL rate of European newsroom editing
    /// timelines, so the frames and the MP4 drop into an edit one for one (30 for NTSC).
    #[arg(long, default_value_t = 25, allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub fps: u32,
    /// The GIF file, or `none`; default: output/<dataset>-<first year>-<last year>.gif.
    #[arg(long, value_name = "FILE")]
    pub gif: Option<PathBuf>,
    /// H.264 MP4 (yuv420p, BT.709, index at the front): plays in every browser and editor.
    /// Frames go to ffmpeg as raw pixels; frame files are then made only with --out or --frames.
    #[arg(long, value_name = "FILE")]
    pub mp4: Option<PathBuf>,
    /// VP9 WebM: web video; with --background none it keeps the alpha channel (yuva420p).
    #[arg(long, value_name = "FILE")]
    pub webm: Option<PathBuf>,
    /// ProRes 4444 QuickTime with alpha: the editing codec, to lay the map over footage.
    #[arg(long, value_name = "FILE")]
    pub mov: Option<PathBuf>,
    /// The ffmpeg program (default: ffmpeg on PATH); its version and encoders are checked
    /// before anything is drawn.
    #[arg(long, value_name = "PATH")]
    pub ffmpeg: Option<PathBuf>,
    /// Video encoder settings: draft (small files for review), good, or best (visually
    /// lossless, for re-encoding downstream).
    #[arg(long, value_enum, default_value_t = QualityArg::Good)]
    pub quality: QualityArg,
    /// `none`: no background, transparent where there is no map (PNG frames with alpha, WebM,
    /// QuickTime), for laying over footage; legend and text keep their halos.
    #[arg(long, value_enum, value_name = "none")]
    pub background: Option<BackgroundArg>,
    /// A still PNG of the last date (or --cover-date) for the video's cover or thumbnail.
    #[arg(long, value_name = "FILE.png")]
    pub cover: Option<PathBuf>,
    /// The date of the --cover still (default: the last date).
    #[arg(long, value_name = "DATE")]
    pub cover_date: Option<DateArg>,
    /// Frame folder; default: output/frames.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write the frame files into output/frames when making a video.
    #[arg(long)]
    pub frames: bool,
    /// Skip frames already present and complete.
    #[arg(long)]
    pub resume: bool,
    /// Language of labels and legend.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// The outlet's own credit, printed at the end of the credit line in place of "Map: controlmap." (e.g. "Graphic: The Daily Planet").
    #[arg(long, value_name = "TEXT")]
    pub credit: Option<String>,
    /// Draw the shaded relief, as the still maps do. Frames leave it out by default: its
    /// texture makes each PNG frame about three times larger and 4K frames several times
    /// slower to write.
    #[arg(long)]
    pub relief: bool,
    #[command(flatten)]
    pub dataset: DatasetArg,
}

/// `--preset` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PresetArg {
    /// 1280x720.
    #[value(name = "720p")]
    P720,
    /// 1920x1080.
    #[value(name = "1080p")]
    P1080,
    /// 3840x2160 (UHD).
    #[value(name = "4k")]
    K4,
    /// 1080x1920, 9:16.
    Vertical,
    /// 1080x1080.
    Square,
}

impl PresetArg {
    /// The layout of its frames.
    pub fn layout(self) -> Layout {
        match self {
            PresetArg::P720 | PresetArg::P1080 | PresetArg::K4 => Layout::Article,
            PresetArg::Vertical => Layout::Vertical,
            PresetArg::Square => Layout::Square,
        }
    }

    /// The frame size.
    pub fn size(self) -> (u32, u32) {
        match self {
            PresetArg::P720 => (1280, 720),
            PresetArg::P1080 => (1920, 1080),
            PresetArg::K4 => (3840, 2160),
            PresetArg::Vertical => (1080, 1920),
            PresetArg::Square => (1080, 1080),
        }
    }
}

/// `--quality` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QualityArg {
    /// Small files for review.
    Draft,
    /// Clean flat colours and text.
    Good,
    /// Visually lossless.
    Best,
}

/// `--background` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BackgroundArg {
    /// Transparent: no background and no relief behind the map (footage is its ground).
    None,
}

pub(super) fn frames_request(a: &FramesArgs, quiet: bool) -> FramesRequest {
    let gif = match a.gif.as_deref() {
        None => GifTarget::Default,
        Some(p) if p.as_os_str() == "none" => GifTarget::None,
        Some(p) => GifTarget::File(p.to_path_buf()),
    };
    let videos = [
        (frames::VideoKind::Mp4, &a.mp4),
        (frames::VideoKind::WebM, &a.webm),
        (frames::VideoKind::Mov, &a.mov),
    ]
    .into_iter()
    .filter_map(|(kind, p)| p.clone().map(|path| frames::VideoOutput { kind, path }))
    .collect();
    FramesRequest {
        from: a.from.map(|d| d.0),
        to: a.to.map(|d| d.0),
        step: a.step,
        phases: a.phases,
        hold: a.hold,
        transition: a.transition,
        size: match (a.preset, a.size, a.layout) {
            (Some(p), _, _) => p.size(),
            (None, Some(SizeArg(w, h)), _) => (w, h),
            (None, None, Some(l)) => {
                Layout::from(l).default_size(crate::write::png_meta::DEFAULT_DPI)
            }
            (None, None, None) => (1280, 720),
        },
        format: a.format,
        fps: a.fps,
        gif,
        videos,
        ffmpeg: a.ffmpeg.clone(),
        quality: match a.quality {
            QualityArg::Draft => frames::Quality::Draft,
            QualityArg::Good => frames::Quality::Good,
            QualityArg::Best => frames::Quality::Best,
        },
        transparent: a.background == Some(BackgroundArg::None),
        cover: a.cover.clone(),
        cover_date: a.cover_date.map(|d| d.0),
        out: a.out.clone(),
        frame_files: a.frames,
        resume: a.resume,
        progress: !quiet,
        lang: a.lang.into(),
        credit: a.credit.clone(),
        medium: Medium {
            layout: a
                .layout
                .map(Layout::from)
                .or(a.preset.map(PresetArg::layout))
                .unwrap_or_default(),
            dpi: crate::write::png_meta::DEFAULT_DPI,
            video: a.preset.is_some(),
        },
        without_relief: !a.relief,
    }
}

pub(super) fn frames_summary(r: &frames::FramesReport) -> String {
    let mut s = match &r.dir {
        Some(dir) => format!(
            "{} frames in {} ({} drawn, {} kept)\n",
            r.frames,
            dir.display(),
            r.rendered,
            r.kept
        ),
        None => format!("{} frames\n", r.frames),
    };
    for p in r.gif.iter().chain(&r.videos).chain(&r.cover) {
        s.push_str(&format!("{}\n", p.display()));
    }
    s
}
