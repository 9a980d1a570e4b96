//! Relief: the dataset's shaded relief resampled into the layout's pixel grid, as a light
//! modulation laid over the control colours: shade darkens a little, lit slopes lighten a
//! little, flat ground is left alone. It lies above the fills and hatching, so that the ground
//! keeps its shape whoever holds it, and under water, borders and labels, which say more.
//!
//! The raster is built once per layout (it is static) and frame renderers draw it with the
//! control layers of each state, never per frame.

use std::sync::Arc;

use super::super::style::Style;
use super::super::{Item, Layer, Meta, Part};
use crate::colour::Rgba;
use crate::dataset::relief::{FLAT, Relief};
use crate::project::{Fit, Projection};

/// The layer's name (SVG group `relief`).
pub const LAYER: &str = "relief";
/// The kind written for the relief's item.
pub const RELIEF: &str = "relief";

/// How strongly the relief shows: the opacity of black (shade) or white (lit slope) laid over
/// the colours per unit of the raster's departure from flat grey (128 ± 127), and its cap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strength {
    /// Opacity at the darkest or lightest grey.
    pub gain: f32,
    /// The most opacity any pixel gets.
    pub cap: f32,
}

/// How far (CIEDE2000) the median colour of a faction's ground may move from its swatch under
/// the relief. 5 is about where two flat patches side by side stop reading as one colour
/// at a glance; the Mali relief stays near 1. CIEDE2000 rather than CIE76 because CIE76
/// overstates differences in saturated colours (the MNLA yellow) and understates them in
/// dark ones (the Islamist near-black), the two ends of a faction palette.
pub const DELTA_E_LIMIT: f64 = 5.0;

/// Whether each of these colours, laid under the relief, keeps its median colour within
/// [`DELTA_E_LIMIT`] of itself: the layout's prediction, made once, over every pixel the relief
/// covers (the maps' own pixels are checked by `render::colour_check`). A relief that fails is
/// left out of the map: it is on by default only where it keeps the colours readable.
pub fn keeps_colours(layer: &Layer, colours: &[Rgba]) -> bool {
    let Some(Item::Raster { pixels, .. }) = layer.items.first() else {
        return true;
    };
    // Each pixel is black or white at some opacity, and a channel blended under it grows with
    // the signed opacity (black negative, white positive): the channels' medians are the
    // blend under the median signed opacity, found in one histogram.
    let mut counts = [0usize; 511];
    for px in pixels.chunks_exact(4) {
        let a = i32::from(px[3]);
        let signed = if px[0] > 0 { a } else { -a };
        counts[(signed + 255) as usize] += 1;
    }
    let half = pixels.len() / 4 / 2;
    let mut seen = 0;
    let Some(median) = counts.iter().position(|&n| {
        seen += n;
        seen > half
    }) else {
        return true;
    };
    let signed = median as i32 - 255;
    let a = signed.unsigned_abs() as u8;
    let px = if signed > 0 {
        [a, a, a, a]
    } else {
        [0, 0, 0, a]
    };
    colours
        .iter()
        .all(|&c| c.delta_e(blend(c, px)) < DELTA_E_LIMIT)
}

/// Cells of this many pixels are inverse-projected at their corners only and interpolated
/// inside: the projection bends far less than a pixel over 8 pixels.
const CELL: usize = 8;

/// The premultiplied RGBA of the modulation for a grey of the raster.
pub fn modulation(grey: f32, strength: Strength) -> [u8; 4] {
    let d = (grey - f32::from(FLAT)) / 127.0;
    let a = (d.abs() * strength.gain).min(strength.cap);
    let a8 = (a * 255.0).round() as u8;
    if d > 0.0 {
        [a8, a8, a8, a8]
    } else {
        [0, 0, 0, a8]
    }
}

/// The colour `under` takes below a modulation pixel (source-over, premultiplied).
pub fn blend(under: Rgba, px: [u8; 4]) -> Rgba {
    let inv = 255 - u32::from(px[3]);
    let c = |s: u8, d: u8| (u32::from(s) + (u32::from(d) * inv + 127) / 255) as u8;
    Rgba::rgb(c(px[0], under.r), c(px[1], under.g), c(px[2], under.b))
}

/// The relief over a `width` x `height` frame, cropped to the pixels it changes; an empty
/// layer when it changes none (the raster lies outside the frame, or is flat).
pub fn relief(
    relief: &Relief,
    projection: &Projection,
    fit: &Fit,
    (width, height): (u32, u32),
    style: &Style,
) -> Layer {
    let (w, h) = (width as usize, height as usize);
    let mut pixels = vec![0u8; w * h * 4];
    // The raster's pixel coordinates are affine in longitude and latitude, so they are
    // interpolated over a cell as the longitudes and latitudes would be.
    let [west, south, east, north] = relief.bounds;
    let (rw, rh) = (relief.width as usize, relief.height as usize);
    let corners: Vec<[f32; 2]> = lon_lat_grid(projection, fit, w, h)
        .into_iter()
        .map(|[lon, lat]| {
            [
                ((lon - west) / (east - west) * rw as f64 - 0.5) as f32,
                ((north - lat) / (north - south) * rh as f64 - 0.5) as f32,
            ]
        })
        .collect();
    let table: Vec<[u8; 4]> = (0..=255 * 4)
        .map(|q| modulation(q as f32 / 4.0, style.relief))
        .collect();
    let gw = w.div_ceil(CELL) + 1;
    let inside = |v: f32, n: usize| v > -0.5 && v < n as f32 - 0.5;
    let lerp =
        |p: [f32; 2], q: [f32; 2], t: f32| [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
    use rayon::prelude::*;
    // Along each row of cell corners, the raster position under every pixel column: a pixel's
    // position is then one step between the rows above and below it (the same sums, in the
    // same order, as interpolating the four corners at each pixel).
    let along: Vec<Vec<[f32; 2]>> = corners
        .par_chunks(gw)
        .map(|row| {
            (0..w)
                .map(|x| {
                    let (gx, tx) = (x / CELL, (x % CELL) as f32 / CELL as f32);
                    lerp(row[gx], row[gx + 1], tx)
                })
                .collect()
        })
        .collect();
    // Rows are independent: drawn in parallel, each the same whatever the thread.
    pixels
        .par_chunks_mut(w * 4)
        .enumerate()
        .for_each(|(y, out)| {
            let (gy, ty) = (y / CELL, (y % CELL) as f32 / CELL as f32);
            let (above, below) = (&along[gy], &along[gy + 1]);
            for (px, (&top, &bottom)) in out.chunks_exact_mut(4).zip(above.iter().zip(below)) {
                let [fx, fy] = lerp(top, bottom, ty);
                // NaN (no inverse) fails these too.
                if !(inside(fx, rw) && inside(fy, rh)) {
                    continue;
                }
                let (fx, fy) = (
                    fx.clamp(0.0, (rw - 1) as f32),
                    fy.clamp(0.0, (rh - 1) as f32),
                );
                let (x0, y0) = (fx as usize, fy as usize);
                let (x1, y1) = ((x0 + 1).min(rw - 1), (y0 + 1).min(rh - 1));
                let (ax, ay) = (fx - x0 as f32, fy - y0 as f32);
                let g = |i: usize, j: usize| f32::from(relief.grey[j * rw + i]);
                let up = g(x0, y0) + (g(x1, y0) - g(x0, y0)) * ax;
                let down = g(x0, y1) + (g(x1, y1) - g(x0, y1)) * ax;
                let grey = up + (down - up) * ay;
                px.copy_from_slice(&table[(grey * 4.0 + 0.5) as usize]);
            }
        });
    let mut layer = Layer::new(LAYER);
    if let Some(item) = cropped(pixels, w) {
        layer.items.push(item);
    }
    layer
}

/// Longitude and latitude at the corners of the layout's cells (pixel centres), NaN where the
/// projection has no inverse.
fn lon_lat_grid(projection: &Projection, fit: &Fit, w: usize, h: usize) -> Vec<[f64; 2]> {
    use rayon::prelude::*;
    let (gw, gh) = (w.div_ceil(CELL) + 1, h.div_ceil(CELL) + 1);
    // Rows of corners in parallel: thousands of inverse projections.
    (0..gh)
        .into_par_iter()
        .flat_map_iter(|j| {
            (0..gw).map(move |i| {
                let (px, py) = ((i * CELL) as f64 + 0.5, (j * CELL) as f64 + 0.5);
                let metres = geo::Coord {
                    x: (px - fit.offset_x) / fit.scale,
                    y: (fit.offset_y - py) / fit.scale,
                };
                projection
                    .inverse(metres)
                    .map_or([f64::NAN; 2], |c| [c.x, c.y])
            })
        })
        .collect()
}

/// The raster item of the smallest rectangle holding every pixel that changes something.
fn cropped(mut pixels: Vec<u8>, w: usize) -> Option<Item> {
    // Each row's first and last drawn pixel, scanned from either end.
    let spans: Vec<(usize, usize, usize)> = pixels
        .chunks_exact(w * 4)
        .enumerate()
        .filter_map(|(y, row)| {
            let drawn = |p: &[u8]| p[3] != 0;
            let first = row.chunks_exact(4).position(drawn)?;
            let last = row.chunks_exact(4).rposition(drawn)?;
            Some((y, first, last))
        })
        .collect();
    let (y0, y1) = (spans.first()?.0, spans.last()?.0);
    let x0 = spans.iter().map(|s| s.1).min()?;
    let x1 = spans.iter().map(|s| s.2).max()?;
    let (cw, ch) = (x1 - x0 + 1, y1 - y0 + 1);
    // Moved to the front of the same buffer, row by row: a new buffer would cost as much
    // again in fresh pages as the copy itself.
    for (k, y) in (y0..=y1).enumerate() {
        let from = (y * w + x0) * 4;
        pixels.copy_within(from..from + cw * 4, k * cw * 4);
    }
    pixels.truncate(cw * ch * 4);
    // The layout keeps the layer: the frame-sized buffer is given back down to the crop (a
    // large block shrinks where it lies).
    pixels.shrink_to_fit();
    let out = pixels;
    Some(Item::Raster {
        x: x0 as f32,
        y: y0 as f32,
        width: cw as u32,
        height: ch as u32,
        pixels: Arc::new(out),
        meta: Some(Arc::new(Meta {
            territory: RELIEF.to_string(),
            kind: RELIEF,
            name: "Shaded relief".to_string(),
            controller: String::new(),
            parties: Vec::new(),
            since: None,
            confidence: None,
            refs: Vec::new(),
            part: Part::Fill,
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Strength = Strength {
        gain: 0.5,
        cap: 0.25,
    };

    #[test]
    fn flat_ground_changes_nothing_shade_darkens_and_lit_slopes_lighten() {
        assert_eq!(modulation(128.0, S)[3], 0);
        let grey = Rgba::rgb(100, 100, 100);
        assert!(blend(grey, modulation(60.0, S)).r < 100);
        assert!(blend(grey, modulation(200.0, S)).r > 100);
        // The cap holds at the extremes.
        assert_eq!(modulation(0.0, S)[3], (0.25f32 * 255.0).round() as u8);
    }

    #[test]
    fn the_relief_is_cropped_to_the_pixels_it_changes() {
        // A 6x5 frame: pixel (x, y) holds [x, y, 0, a], drawn (a > 0) where `on` says.
        let frame = |on: &dyn Fn(usize, usize) -> bool| -> Vec<u8> {
            (0..5)
                .flat_map(|y| (0..6).map(move |x| (x, y)))
                .flat_map(|(x, y)| [x as u8, y as u8, 0, if on(x, y) { 9 } else { 0 }])
                .collect()
        };
        let crop = |pixels: Vec<u8>| match cropped(pixels, 6) {
            Some(Item::Raster {
                x,
                y,
                width,
                height,
                pixels,
                ..
            }) => Some((x, y, width, height, pixels.to_vec())),
            _ => None,
        };
        let rows = |x0: u8, x1: u8, y0: u8, y1: u8| -> Vec<u8> {
            (y0..=y1)
                .flat_map(|y| (x0..=x1).map(move |x| (x, y)))
                .flat_map(|(x, y)| [x, y, 0, 9])
                .collect()
        };
        // A block inside the frame, and whole rows (kept in place): each its own rectangle.
        assert_eq!(
            crop(frame(&|x, y| (2..=3).contains(&x) && (1..=3).contains(&y))),
            Some((2.0, 1.0, 2, 3, rows(2, 3, 1, 3)))
        );
        assert_eq!(
            crop(frame(&|_, y| (1..=2).contains(&y))),
            Some((0.0, 1.0, 6, 2, rows(0, 5, 1, 2)))
        );
        assert_eq!(crop(frame(&|_, _| false)), None);
        // Rows of different extents: the rectangle spans the leftmost and rightmost of them,
        // and holds the undrawn pixels between.
        let scattered = |x: usize, y: usize| [(3, 0), (1, 2), (4, 2), (2, 3)].contains(&(x, y));
        let within: Vec<u8> = (0..=3)
            .flat_map(|y| (1..=4).map(move |x| (x, y)))
            .flat_map(|(x, y)| [x as u8, y as u8, 0, if scattered(x, y) { 9 } else { 0 }])
            .collect();
        assert_eq!(crop(frame(&scattered)), Some((1.0, 0.0, 4, 4, within)));
        assert_eq!(
            crop(frame(&|x, y| (x, y) == (5, 4))),
            Some((5.0, 4.0, 1, 1, vec![5, 4, 0, 9]))
        );
    }
}
