//! Text shaped by [`crate::scene::text::shape`] and rasterised with ab_glyph at sub-pixel
//! positions, with an optional halo.
//!
//! plotters' own ab_glyph path snaps every glyph to a whole pixel and drops each glyph's left
//! bearing, which spaces letters unevenly, and it does not shape; the
//! [`super::skia::SkiaBackend`] routes plotters' text here instead, so maps and charts share one
//! text engine.

use ab_glyph::{Font, GlyphId, ScaleFont, point};
use tiny_skia::Pixmap;

use super::walk::TextRun;
use crate::colour::Rgba;
use crate::scene::Align;
use crate::scene::text::{em, face, halo_radius, px_per_unit, px_scale, shape};

/// Ascent and descent (negative) of the face at `size` pixels.
pub fn vertical_metrics(size: f32, bold: bool) -> (f32, f32) {
    match face(bold) {
        Some(f) => {
            let s = f.as_scaled(size);
            (s.ascent(), s.descent())
        }
        None => (size * 0.93, -size * 0.24),
    }
}

/// Draws one line of text with its baseline at `baseline`.
#[allow(clippy::too_many_arguments)]
pub fn draw_text(
    pixmap: &mut Pixmap,
    text: &str,
    size: f32,
    bold: bool,
    colour: Rgba,
    x: f32,
    baseline: f32,
    align: Align,
    halo: Option<Rgba>,
) {
    let run = TextRun {
        x,
        y: baseline,
        text,
        size,
        bold,
        colour,
        align,
        halo,
    };
    draw_run(pixmap, 0, &run);
}

/// The glyph mask's margin around the text's advance box: room for overhangs and the halo.
fn mask_margin(size: f32, halo: bool) -> i32 {
    let halo_r = if halo { halo_radius(size) as i32 } else { 0 };
    (size * 0.3).ceil() as i32 + halo_r + 1
}

/// The rows (first, end exclusive) a text run may touch: its glyph mask's rows. Frame
/// renderers redraw only these rows of a cached frame, so this must cover every row
/// [`draw_run`] writes.
pub fn text_rows(run: &TextRun) -> (i32, i32) {
    let (ascent, descent) = match face(run.bold) {
        Some(font) => {
            let s = font.as_scaled(px_scale(em(run.size, run.bold), run.bold));
            (s.ascent(), s.descent())
        }
        None => return (i32::MIN / 2, i32::MAX / 2),
    };
    if !(run.y.is_finite() && run.size.is_finite()) {
        return (i32::MIN / 2, i32::MAX / 2);
    }
    let margin = mask_margin(run.size, run.halo.is_some());
    let my = (run.y - ascent).floor() as i32 - margin;
    let mh = (ascent - descent).ceil() as i32 + 2 * margin;
    (my, my + mh.max(1))
}

/// Draws a text run into a pixmap whose first row is row `top` of the image the run's
/// coordinates are in (a band of a frame): positions are worked out in the image's
/// coordinates, so a band shows exactly the pixels the whole image would.
pub fn draw_run(pixmap: &mut Pixmap, top: i32, run: &TextRun) {
    let size = (pixmap.width(), pixmap.height());
    if let Some(m) = run_mask(run, size, top) {
        paint_mask(pixmap, top, &m);
    }
}

/// A text run's coverage, placed in the image: what [`draw_run`] composites. It depends on the
/// run and the pixmap's size only, so the masks of a scene's texts can be worked out on other
/// threads while the pixmap is drawn.
#[derive(Debug, Clone)]
pub struct RunMask {
    mask: Vec<f32>,
    /// The halo's coverage (the mask dilated) and colour.
    halo: Option<(Vec<f32>, Rgba)>,
    colour: Rgba,
    mw: usize,
    mh: usize,
    mx: i32,
    my: i32,
}

/// Composites a mask from [`run_mask`] made for this pixmap's size and `top`: the halo, then
/// the text.
pub fn paint_mask(pixmap: &mut Pixmap, top: i32, m: &RunMask) {
    if let Some((dilated, h)) = &m.halo {
        composite(pixmap, dilated, m.mw, m.mh, m.mx, m.my - top, *h);
    }
    composite(pixmap, &m.mask, m.mw, m.mh, m.mx, m.my - top, m.colour);
}

/// The coverage of a text run over a `width` x `height` pixmap whose first row is image row
/// `top`; `None` when it draws nothing there.
pub fn run_mask(run: &TextRun, (pixmap_w, pixmap_h): (u32, u32), top: i32) -> Option<RunMask> {
    let TextRun {
        x,
        y: baseline,
        text,
        size,
        bold,
        colour,
        align,
        halo,
    } = *run;
    let font = face(bold)?;
    if text.is_empty() || size.is_nan() || size <= 0.5 {
        return None;
    }
    // Everything from the em size, as the SVG's font-size: ab_glyph's scale is the full
    // height, which px_scale converts back to.
    let em = em(size, bold);
    let scale = px_scale(em, bold);
    let unit = px_per_unit(em, bold);
    let scaled = font.as_scaled(scale);
    let shaped = shape(text, bold);
    let width = shaped.advance * unit;
    let x0 = match align {
        Align::Start => x,
        Align::Middle => x - width / 2.0,
        Align::End => x - width,
    };
    let halo_r = halo.map_or(0, |_| halo_radius(size) as i32);
    let (ascent, descent) = (scaled.ascent(), scaled.descent());
    let top_f = top as f32;
    // Text wholly outside the image (or at a position no pixel can hold) draws nothing; this also
    // keeps the integer arithmetic below in range.
    let reach = size + 8.0;
    let (pw, ph) = (pixmap_w as f32, pixmap_h as f32);
    if !(x0.is_finite() && baseline.is_finite() && width.is_finite())
        || x0 > pw + reach
        || x0 + width < -reach
        || baseline - ascent > top_f + ph + reach
        || baseline - descent < top_f - reach
        || width > 4.0 * pw + 1000.0
    {
        return None;
    }
    let margin = mask_margin(size, halo.is_some());
    let mx = x0.floor() as i32 - margin;
    let my = (baseline - ascent).floor() as i32 - margin;
    let mw = (width.ceil() as i32 + 2 * margin).max(1) as usize;
    let mh = ((ascent - descent).ceil() as i32 + 2 * margin).max(1) as usize;
    let mut mask = vec![0f32; mw * mh];
    for g in &shaped.glyphs {
        let glyph = GlyphId(g.id)
            .with_scale_and_position(scale, point(x0 + g.x * unit, baseline - g.y * unit));
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let b = outline.px_bounds();
        let (gx, gy) = (b.min.x as i32 - mx, b.min.y as i32 - my);
        outline.draw(|px, py, cov| {
            let (xx, yy) = (gx + px as i32, gy + py as i32);
            if xx >= 0 && yy >= 0 && (xx as usize) < mw && (yy as usize) < mh {
                let cell = &mut mask[yy as usize * mw + xx as usize];
                *cell = (*cell + cov).min(1.0);
            }
        });
    }
    let halo = halo.map(|h| {
        // A square max filter, run as two passes (rows, then columns), so its cost grows with
        // the radius rather than its square.
        let r = halo_r.max(0) as usize;
        let mut rows = vec![0f32; mw * mh];
        for y in 0..mh {
            let line = &mask[y * mw..(y + 1) * mw];
            for x in 0..mw {
                let (a, b) = (x.saturating_sub(r), (x + r + 1).min(mw));
                rows[y * mw + x] = line[a..b].iter().copied().fold(0.0, f32::max);
            }
        }
        let mut dilated = vec![0f32; mw * mh];
        for y in 0..mh {
            let (a, b) = (y.saturating_sub(r), (y + r + 1).min(mh));
            for x in 0..mw {
                dilated[y * mw + x] = (a..b).map(|yy| rows[yy * mw + x]).fold(0.0, f32::max);
            }
        }
        (dilated, h)
    });
    Some(RunMask {
        mask,
        halo,
        colour,
        mw,
        mh,
        mx,
        my,
    })
}

fn composite(pixmap: &mut Pixmap, mask: &[f32], mw: usize, mh: usize, mx: i32, my: i32, c: Rgba) {
    let (w, h) = (pixmap.width() as i32, pixmap.height() as i32);
    let data = pixmap.data_mut();
    let alpha = f32::from(c.a) / 255.0;
    for yy in 0..mh as i32 {
        let y = my + yy;
        if y < 0 || y >= h {
            continue;
        }
        for xx in 0..mw as i32 {
            let x = mx + xx;
            if x < 0 || x >= w {
                continue;
            }
            let a = mask[yy as usize * mw + xx as usize] * alpha;
            if a <= 0.0 {
                continue;
            }
            let i = ((y * w + x) * 4) as usize;
            if let Some(px) = data.get_mut(i..i + 4) {
                super::skia::blend_over(px, [c.r, c.g, c.b], a);
            }
        }
    }
}
