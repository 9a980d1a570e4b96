//! Which bands of a frame its annotations may touch: the frame renderer redraws and
//! re-encodes only those, and copies the rest from the cached state below them.

use super::bands::{BAND_ROWS, band_count};
use super::glyphs::text_rows;
use super::walk::TextRun;
use crate::scene::{Item, Layer, Ring};

/// Rows of anti-aliasing and rounding kept around a shape's own extent.
const SHAPE_MARGIN: f32 = 2.0;

fn rings_rows(rings: &[Ring], reach: f32) -> Option<(f32, f32)> {
    let ys = rings.iter().flatten().map(|p| p[1]);
    let (lo, hi) = ys.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), y| {
        // A NaN coordinate makes the extent unknown: the whole frame.
        if y.is_nan() {
            (f32::NEG_INFINITY, f32::INFINITY)
        } else {
            (lo.min(y), hi.max(y))
        }
    });
    (lo <= hi).then_some((lo - reach, hi + reach))
}

/// The rows (top, bottom) an item may draw in; `None` when it draws nothing.
fn item_rows(item: &Item) -> Option<(f32, f32)> {
    match item {
        Item::Fill { rings, .. } => rings_rows(rings, SHAPE_MARGIN),
        // Round joins and butt caps reach half the width from the line.
        Item::Stroke { lines, width, .. } => rings_rows(lines, width.abs() / 2.0 + SHAPE_MARGIN),
        Item::Text { .. } => {
            let (top, end) = text_rows(&TextRun::of(item)?);
            Some((top as f32, end as f32))
        }
        Item::Raster { y, height, .. } => Some((*y, *y + *height as f32)),
    }
}

/// The bands (first, end exclusive) a layer may draw in, in an image `height` rows high.
fn layer_bands(layer: &Layer, height: u32) -> Option<(u32, u32)> {
    let (lo, hi) = layer
        .items
        .iter()
        .filter_map(item_rows)
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))?;
    let top = lo.floor().clamp(0.0, height as f32) as u32;
    let bottom = hi.ceil().clamp(0.0, height as f32) as u32;
    (top < height && bottom > 0 && top <= bottom).then(|| {
        (
            top / BAND_ROWS,
            (bottom.max(top + 1).div_ceil(BAND_ROWS)).min(band_count(height)),
        )
    })
}

/// A run of bands to redraw, with the layers that draw in it, in drawing order.
#[derive(Debug)]
pub struct Region<'a> {
    /// First band.
    pub first: u32,
    /// Band after the last.
    pub end: u32,
    /// The layers, in their order in the scene.
    pub layers: Vec<&'a Layer>,
}

/// The disjoint runs of bands that `layers` draw in, top to bottom; a layer belongs to the one
/// run that holds all of its bands.
pub fn regions(layers: &[Layer], height: u32) -> Vec<Region<'_>> {
    let spans: Vec<Option<(u32, u32)>> = layers.iter().map(|l| layer_bands(l, height)).collect();
    let mut merged: Vec<(u32, u32)> = spans.iter().flatten().copied().collect();
    merged.sort_unstable();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for (a, b) in merged {
        match runs.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => runs.push((a, b)),
        }
    }
    runs.into_iter()
        .map(|(first, end)| Region {
            first,
            end,
            layers: layers
                .iter()
                .zip(&spans)
                .filter(|(_, s)| s.is_some_and(|(a, _)| a >= first && a < end))
                .map(|(l, _)| l)
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::Rgba;

    fn bar(y0: f32, y1: f32) -> Layer {
        Layer::with_items(
            "bar",
            vec![Item::Fill {
                id: None,
                rings: std::sync::Arc::new(vec![vec![[0.0, y0], [10.0, y0], [10.0, y1]]]),
                colour: Rgba::rgb(0, 0, 0),
                meta: None,
            }],
        )
    }

    /// Rows of a pixmap with any non-transparent pixel.
    fn inked_rows(p: &tiny_skia::Pixmap) -> Option<(u32, u32)> {
        let row = p.width() as usize * 4;
        let inked: Vec<u32> = (0..p.height())
            .filter(|&y| {
                let r = &p.data()[y as usize * row..(y as usize + 1) * row];
                r.chunks_exact(4).any(|px| px[3] != 0)
            })
            .collect();
        Some((*inked.first()?, *inked.last()? + 1))
    }

    /// Every row an item draws in lies within the rows it is said to touch: texts of both
    /// faces with and without halo at fractional baselines, fills and wide strokes.
    #[test]
    fn items_draw_only_within_their_rows() {
        let black = Rgba::rgb(0, 0, 0);
        let mut items = Vec::new();
        for (k, size) in [7.0f32, 11.5, 14.0, 23.0, 41.0].into_iter().enumerate() {
            for (bold, halo) in [(false, None), (true, Some(Rgba::rgb(255, 255, 255)))] {
                items.push(Item::Text {
                    x: 10.0,
                    y: 60.0 + k as f32 * 0.37,
                    text: "Águas Ç|gjpqy ÉÑ 2013 — Kidal".to_string(),
                    size,
                    bold,
                    colour: black,
                    align: crate::scene::Align::Start,
                    halo,
                    meta: None,
                });
            }
        }
        let ring = std::sync::Arc::new(vec![vec![[20.0, 40.3], [90.0, 47.0], [30.0, 80.6]]]);
        items.push(Item::Fill {
            id: None,
            rings: ring.clone(),
            colour: black,
            meta: None,
        });
        for width in [0.5, 1.0, 6.5] {
            items.push(Item::Stroke {
                lines: ring.clone(),
                closed: true,
                colour: black,
                width,
                meta: None,
            });
        }
        for item in items {
            let mut p = tiny_skia::Pixmap::new(300, 140).unwrap();
            let layer = Layer::with_items("one", vec![item.clone()]);
            crate::render::walk::walk(
                &mut crate::render::skia::SkiaBackend::new(&mut p),
                [&layer],
                &[],
            );
            let (top, end) = inked_rows(&p).expect("the item draws something");
            let (lo, hi) = item_rows(&item).unwrap();
            assert!(
                lo <= top as f32 && hi >= end as f32,
                "{item:?} draws rows {top}..{end}, said to touch {lo}..{hi}"
            );
        }
    }

    #[test]
    fn overlapping_layers_share_a_region_and_keep_their_order() {
        let h = 10 * BAND_ROWS;
        let layers = [bar(40.0, 50.0), bar(130.0, 140.0), bar(20.0, 45.0)];
        let r = regions(&layers, h);
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].first, r[0].end), (1, 4));
        assert_eq!(r[0].layers.len(), 2);
        assert!(std::ptr::eq(r[0].layers[0], &layers[0]));
        assert_eq!((r[1].first, r[1].end), (8, 9));
    }

    #[test]
    fn shapes_off_the_image_touch_no_band_and_unknown_ones_every_band() {
        let h = 4 * BAND_ROWS;
        assert!(regions(&[bar(-50.0, -10.0), bar(500.0, 600.0)], h).is_empty());
        let unknown = [bar(f32::NAN, 3.0)];
        let r = regions(&unknown, h);
        assert_eq!((r[0].first, r[0].end), (0, 4));
    }
}
