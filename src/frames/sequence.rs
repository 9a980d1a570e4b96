//! Drawing a planned sequence into its outputs: runs of identical frames are drawn once, a
//! batch of runs at a time on every core, then handed in order to the frame folder, the GIF
//! and ffmpeg. Memory holds one batch and ffmpeg's short queue, whatever the sequence length.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::plan::PlannedFrame;
use super::{
    LAST_FRAME_DELAY_CS, decode_png_rgb, frame_meta, frame_name, frame_scene, is_complete,
};
use crate::analysis::Areas;
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::render::png::{FrameRenderer, encode_png_rgba, rgb_bytes, straight_rgba};
use crate::render::{Format, svg};
use crate::scene::{MapLayout, Scene};
use crate::timeline::Timeline;
use crate::write::ffmpeg::Encoder;
use crate::write::gif::{GifWriter, Palette};
use crate::write::{png_meta, write_atomic};

/// What every frame is drawn from.
pub(super) struct Drawing<'a> {
    pub dataset: &'a Dataset,
    pub timeline: &'a Timeline,
    pub layout: &'a MapLayout,
    pub areas: &'a Areas,
    pub renderer: &'a FrameRenderer,
    /// Frames have no background (transparent where there is no map).
    pub transparent: bool,
}

/// Where the frames go.
pub(super) struct Sinks {
    /// The frame folder, when frame files are made.
    pub dir: Option<PathBuf>,
    /// Whether complete frames of an earlier run may be kept.
    pub keep: bool,
    pub format: Format,
    pub gif: Option<GifWriter>,
    pub video: Option<Encoder>,
}

/// Frames a run drew and kept.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Counts {
    pub rendered: usize,
    pub kept: usize,
}

/// Consecutive frames that show the same thing: (1-based index of the first, how many, frame).
type Run<'a> = (usize, usize, &'a PlannedFrame);

fn runs(frames: &[PlannedFrame]) -> Vec<Run<'_>> {
    let mut out: Vec<Run<'_>> = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        match out.last_mut() {
            Some((_, n, g)) if *g == f => *n += 1,
            _ => out.push((i + 1, 1, f)),
        }
    }
    out
}

/// What one drawn run gives the in-order outputs.
struct Drawn {
    rendered: usize,
    kept: usize,
    /// GIF palette indices.
    indices: Option<Vec<u8>>,
    /// Straight RGBA for ffmpeg.
    video: Option<Arc<Vec<u8>>>,
}

/// Draws every frame into the sinks, `batch` runs at a time; `cancel` stops the run between
/// batches.
pub(super) fn draw_all(
    d: &Drawing<'_>,
    frames: &[PlannedFrame],
    sinks: &mut Sinks,
    batch: usize,
    cancel: &AtomicBool,
    bar: &indicatif::ProgressBar,
) -> Result<Counts> {
    let mut counts = Counts::default();
    let all = runs(frames);
    for chunk in all.chunks(batch.max(1)) {
        if cancel.load(Ordering::SeqCst) {
            let whole = match &sinks.dir {
                Some(dir) => format!(
                    "the complete frames are in {}; a resumed run finishes them",
                    dir.display()
                ),
                None => "no video was written".to_string(),
            };
            return Err(Error::Runtime(format!("interrupted: {whole}")));
        }
        let palette = sinks.gif.as_ref().map(GifWriter::palette);
        let video = sinks.video.is_some();
        let drawn = draw_batch(d, sinks, palette, video, chunk)?;
        let last_batch = chunk
            .last()
            .is_some_and(|(i, n, _)| i + n - 1 == frames.len());
        let mut to_gif = Vec::new();
        for (run, out) in chunk.iter().zip(drawn) {
            counts.rendered += out.rendered;
            counts.kept += out.kept;
            if let (Some(v), Some(enc)) = (out.video, sinks.video.as_mut()) {
                enc.send(v, run.1)?;
            }
            if let Some(ix) = out.indices {
                to_gif.push((ix, run.1));
            }
            bar.inc(run.1 as u64);
        }
        if let Some(g) = sinks.gif.as_mut() {
            write_gif_batch(g, to_gif, last_batch)?;
        }
    }
    Ok(counts)
}

/// Draws a batch of runs on every core, in sequence order: each free thread takes the next
/// run, so the frames in flight are consecutive and show few distinct states (the renderer
/// keeps few drawn states; rayon's halving split would set threads on both ends of the batch).
fn draw_batch(
    d: &Drawing<'_>,
    sinks: &Sinks,
    palette: Option<&Palette>,
    video: bool,
    chunk: &[Run<'_>],
) -> Result<Vec<Drawn>> {
    let mut drawn: Vec<(usize, Result<Drawn>)> = chunk
        .iter()
        .enumerate()
        .par_bridge()
        .map(|(i, run)| (i, draw_run(d, sinks, palette, video, *run)))
        .collect();
    drawn.sort_unstable_by_key(|(i, _)| *i);
    drawn.into_iter().map(|(_, r)| r).collect()
}

/// Draws one run once and writes its frame files.
fn draw_run(
    d: &Drawing<'_>,
    sinks: &Sinks,
    palette: Option<&Palette>,
    video: bool,
    (start, count, f): Run<'_>,
) -> Result<Drawn> {
    let mut missing: Vec<PathBuf> = Vec::new();
    let mut kept = Vec::new();
    if let Some(dir) = &sinks.dir {
        for index in start..start + count {
            let path = dir.join(frame_name(index, sinks.format));
            if sinks.keep && is_complete(&path, sinks.format) {
                kept.push(path);
            } else {
                missing.push(path);
            }
        }
    }
    let svg = sinks.format == Format::Svg;
    // A run whose PNG frames are all kept gives the GIF its pixels from the first of them.
    if missing.is_empty() && !video && !svg && !kept.is_empty() {
        let indices = match palette {
            Some(p) => Some(p.quantize(&decode_png_rgb(&kept[0])?)),
            None => None,
        };
        return Ok(Drawn {
            rendered: 0,
            kept: count,
            indices,
            video: None,
        });
    }
    let scene = scene_of(d, f, svg && !missing.is_empty());
    // Opaque PNG frames are encoded by the renderer from its cached bands, without a frame's
    // worth of pixels; the GIF and the video still need them.
    let banded = !svg && !d.transparent && !missing.is_empty();
    let wants_pixels = video || palette.is_some() || (!svg && !banded && !missing.is_empty());
    let pixmap = if wants_pixels {
        let spare = sinks.video.as_ref().and_then(Encoder::spare);
        Some(d.renderer.draw_in(&scene, spare)?)
    } else {
        None
    };
    let indices = palette
        .zip(pixmap.as_ref())
        .map(|(p, px)| p.quantize(&rgb_bytes(px)));
    let (w, h) = (scene.width, scene.height);
    // Without transparency every pixel is opaque, premultiplied equals straight: no pass needed.
    let rgba = pixmap.map(|p| {
        if d.transparent {
            straight_rgba(p)
        } else {
            p.take()
        }
    });
    if !missing.is_empty() {
        let bytes = match &rgba {
            _ if banded => banded_png(d, f, &scene)?,
            Some(px) if !svg => frame_png(d, f, w, h, px)?,
            _ => svg::write_svg(&scene).into_bytes(),
        };
        for p in &missing {
            write_atomic(p, &bytes)?;
        }
    }
    Ok(Drawn {
        rendered: count - kept.len(),
        kept: kept.len(),
        indices,
        video: if video { rgba.map(Arc::new) } else { None },
    })
}

/// The transparent background of frames laid over footage.
pub(super) const NO_BACKGROUND: crate::colour::Rgba = crate::colour::Rgba {
    r: 0,
    g: 0,
    b: 0,
    a: 0,
};

/// A frame's scene, without its background when frames are transparent.
pub(super) fn scene_of(d: &Drawing<'_>, f: &PlannedFrame, with_description: bool) -> Scene {
    let mut scene = frame_scene(
        d.layout,
        d.timeline,
        f,
        d.dataset,
        d.areas,
        with_description,
    );
    if d.transparent {
        scene.background = NO_BACKGROUND;
    }
    scene
}

/// An opaque PNG frame encoded by the renderer from its cached bands, with the frame's
/// chunks: what frame files and the cover hold, byte for byte.
pub(super) fn banded_png(d: &Drawing<'_>, f: &PlannedFrame, scene: &Scene) -> Result<Vec<u8>> {
    d.renderer
        .png(scene, &png_meta::chunks(&frame_meta(d.dataset, f)))
}

/// A PNG frame: RGBA when it has transparency, RGB otherwise (a third smaller).
pub(super) fn frame_png(
    d: &Drawing<'_>,
    f: &PlannedFrame,
    w: u32,
    h: u32,
    rgba: &[u8],
) -> Result<Vec<u8>> {
    let encoded = if d.transparent {
        encode_png_rgba(w, h, rgba)?
    } else {
        crate::render::png::encode_png_rgb(w, h, &crate::render::png::rgb_of_rgba(rgba))?
    };
    Ok(png_meta::annotate(encoded, &frame_meta(d.dataset, f)))
}

/// Writes a batch's runs to the GIF in order: LZW compression is the slow part, so each run's
/// first frame is compressed in parallel against the frame before it; a run's repeats are
/// empty frames.
fn write_gif_batch(g: &mut GifWriter, runs: Vec<(Vec<u8>, usize)>, last_batch: bool) -> Result<()> {
    let previous = g.previous().map(<[u8]>::to_vec);
    let prepared: Vec<gif::Frame<'static>> = (0..runs.len())
        .into_par_iter()
        .map(|k| {
            let prev = if k == 0 {
                previous.as_deref()
            } else {
                Some(runs[k - 1].0.as_slice())
            };
            g.prepare(prev, &runs[k].0)
        })
        .collect::<Result<_>>()?;
    let n = runs.len();
    for (k, (first, (ix, count))) in prepared.into_iter().zip(runs).enumerate() {
        let repeat = if count > 1 {
            Some(g.prepare(Some(&ix), &ix)?)
        } else {
            None
        };
        for r in 0..count {
            let mut frame = if r == 0 {
                first.clone()
            } else {
                repeat.clone().unwrap_or_else(|| first.clone())
            };
            if last_batch && k + 1 == n && r + 1 == count {
                // The last frame stays up before the loop starts again, so the final state can
                // be read.
                frame.delay = LAST_FRAME_DELAY_CS.max(frame.delay);
            }
            g.write_prepared(&frame, ix.clone())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;

    #[test]
    fn identical_consecutive_frames_make_one_run() {
        let f = |d: &str, fade: Option<f32>| PlannedFrame {
            date: parse_date(d).unwrap(),
            fade_from: fade.map(|t| (parse_date("2012-01-01").unwrap(), t)),
            heading: None,
        };
        let frames = [
            f("2012-02-01", Some(0.5)),
            f("2012-02-01", None),
            f("2012-02-01", None),
            f("2012-02-01", None),
            f("2012-03-01", None),
            f("2012-02-01", None),
        ];
        let got: Vec<(usize, usize)> = runs(&frames).iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(got, [(1, 1), (2, 3), (5, 1), (6, 1)]);
    }
}
