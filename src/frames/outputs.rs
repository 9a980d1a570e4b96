//! The outputs of a sequence, checked before anything is drawn (paths, ffmpeg and its
//! encoders, combinations that cannot work) and opened in order; and the cover still.

use std::path::{Path, PathBuf};

use super::plan::PlannedFrame;
use super::sequence::{Drawing, Sinks, banded_png, frame_png, scene_of};
use super::{FramesRequest, GifTarget};
use crate::dataset::Dataset;
use crate::date::Date;
use crate::error::{Error, Field, Result};
use crate::render::png::straight_rgba;
use crate::scene::Scene;
use crate::write::ffmpeg::{Encoder, Ffmpeg, VideoKind, VideoSpec};
use crate::write::gif::{GifWriter, Palette, check_size};

/// What a request will make, once checked.
pub(super) struct Plan {
    /// The GIF file, if any.
    pub gif: Option<PathBuf>,
    /// The checked ffmpeg, when videos are asked for.
    pub ffmpeg: Option<Ffmpeg>,
    /// Whether frame files are written.
    pub frame_files: bool,
}

/// Checks every output of a request before anything is drawn or written.
pub(super) fn check(
    dataset: &Dataset,
    req: &FramesRequest,
    first: Date,
    last: Date,
) -> Result<Plan> {
    let videos = !req.videos.is_empty();
    if req.transparent {
        if req.videos.iter().any(|v| !v.kind.keeps_alpha()) {
            return Err(Error::usage_of(
                Field::Background,
                "an H.264 MP4 has no alpha channel: make a WebM (VP9) or a QuickTime (ProRes 4444) file for video with transparency",
            ));
        }
        if matches!(req.gif, GifTarget::File(_) | GifTarget::InFolder(_)) {
            return Err(Error::usage_of(
                Field::Background,
                "a GIF has no partial transparency: make PNG frames, a WebM or a QuickTime file",
            ));
        }
    }
    let gif = gif_path(dataset, req, first, last, videos || req.transparent)?;
    if let Some(p) = &gif {
        check_size(req.size.0, req.size.1)?;
        crate::write::check_parent(p)?;
    }
    for v in &req.videos {
        crate::write::check_parent(&v.path).map_err(|e| e.for_field(v.kind.field()))?;
    }
    if let Some(p) = &req.cover {
        crate::write::check_parent(p).map_err(|e| e.for_field(Field::Cover))?;
    }
    match (req.cover_date, &req.cover) {
        (Some(_), None) => {
            return Err(Error::usage_of(
                Field::CoverDate,
                "is the date of a cover image: give the cover's file too",
            ));
        }
        (Some(d), Some(_)) if d < first || d > last => {
            return Err(Error::usage_of(
                Field::CoverDate,
                format!("{d} is outside the sequence, {first} to {last}"),
            ));
        }
        _ => {}
    }
    let ffmpeg = if videos {
        let kinds: Vec<VideoKind> = req.videos.iter().map(|v| v.kind).collect();
        Some(Ffmpeg::find(req.ffmpeg.as_deref(), &kinds)?)
    } else {
        None
    };
    Ok(Plan {
        gif,
        ffmpeg,
        frame_files: !videos || req.out.is_some() || req.frame_files,
    })
}

/// The GIF's path: the default one only when no video or transparency is asked for (a video
/// run makes what it names).
fn gif_path(
    dataset: &Dataset,
    req: &FramesRequest,
    first: Date,
    last: Date,
    no_default: bool,
) -> Result<Option<PathBuf>> {
    let dir = match &req.gif {
        GifTarget::None => return Ok(None),
        GifTarget::File(p) => return Ok(Some(p.clone())),
        GifTarget::Default if no_default => return Ok(None),
        GifTarget::Default => crate::write::output_dir(None, None)?,
        GifTarget::InFolder(d) => crate::write::output_dir(Some(d), None)?,
    };
    let name = dataset
        .manifest
        .name
        .clone()
        .unwrap_or_else(|| "controlmap".into());
    Ok(Some(dir.join(format!(
        "{name}-{}-{}.gif",
        first.year(),
        last.year()
    ))))
}

/// Opens the GIF and starts ffmpeg.
pub(super) fn open(
    dataset: &Dataset,
    req: &FramesRequest,
    plan: &Plan,
    first_scene: &Scene,
    dir: Option<PathBuf>,
    keep: bool,
) -> Result<Sinks> {
    let gif = match &plan.gif {
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
    let video = match &plan.ffmpeg {
        Some(ff) => {
            let spec = VideoSpec {
                width: req.size.0,
                height: req.size.1,
                fps: req.fps,
                alpha: req.transparent,
                quality: req.quality,
            };
            Some(Encoder::start(ff, &spec, &req.videos)?)
        }
        None => None,
    };
    Ok(Sinks {
        dir,
        keep,
        format: req.format,
        gif,
        video,
    })
}

/// The cover: the sequence's frame of `date` (its held shot, not a cross-fade), as a PNG.
pub(super) fn cover(
    d: &Drawing<'_>,
    frames: &[PlannedFrame],
    date: Date,
    path: &Path,
) -> Result<()> {
    let f = frames
        .iter()
        .rev()
        .find(|f| f.date == date && f.fade_from.is_none())
        .cloned()
        .unwrap_or(PlannedFrame {
            date,
            fade_from: None,
            heading: None,
        });
    let scene = scene_of(d, &f, false);
    // Encoded as the frame files are, so the cover equals its date's frame byte for byte.
    let png = if d.transparent {
        let rgba = straight_rgba(d.renderer.draw(&scene)?);
        frame_png(d, &f, scene.width, scene.height, &rgba)?
    } else {
        banded_png(d, &f, &scene)?
    };
    crate::write::write_atomic(path, &png)
}
