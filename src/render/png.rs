//! Scenes to pixels: the scene walk through the tiny-skia backend, the frame cache, PNG
//! encoding.

use std::sync::{Arc, Mutex, OnceLock};

use plotters::prelude::*;
use tiny_skia::Pixmap;

use super::skia::SkiaBackend;
use super::walk::walk;
use crate::error::{Error, Result};
use crate::scene::{Item, Layer, Scene, text};

/// Registers the embedded DejaVu fonts with plotters (once per process).
pub fn register_fonts() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        // A font that fails to register leaves plotters without it; text then is not drawn, which
        // the reference-image tests would catch. The embedded fonts are known-good.
        let _ =
            plotters::style::register_font("sans-serif", FontStyle::Normal, text::regular_font());
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, text::bold_font());
    });
}

fn new_pixmap(w: u32, h: u32) -> Result<Pixmap> {
    Pixmap::new(w, h).ok_or_else(|| Error::Runtime(format!("cannot allocate a {w}x{h} image")))
}

fn draw_layers<'a>(pixmap: &mut Pixmap, layers: impl IntoIterator<Item = &'a Layer>) {
    walk(&mut SkiaBackend::new(pixmap), layers, &[]);
}

/// Draws a whole scene into a new pixmap.
pub fn draw(scene: &Scene) -> Result<Pixmap> {
    let mut pixmap = new_pixmap(scene.width, scene.height)?;
    let b = scene.background;
    pixmap.fill(tiny_skia::Color::from_rgba8(b.r, b.g, b.b, b.a));
    draw_layers(&mut pixmap, scene.layers());
    Ok(pixmap)
}

/// Draws many scenes of one layout, drawing the static underlay and overlay only once.
///
/// Scenes from the same [`crate::scene::MapLayout`] share their static layers; the cache is
/// keyed on them, so a scene from another layout is drawn in full and still correct.
pub struct FrameRenderer {
    key: u64,
    underlay: Pixmap,
    overlay: Overlay,
    looks: Looks,
}

/// Bytes the renderer may spend on looks beyond the first (see [`look_capacity`]).
pub const SPARE_LOOK_BYTES: u64 = 32 << 20;
/// Most looks kept at once: frames in flight are consecutive, so they show few distinct states.
const MAX_LOOKS: usize = 4;

/// How many looks a renderer keeps for frames of this size: one whatever the size, and more
/// while they fit in [`SPARE_LOOK_BYTES`].
pub fn look_capacity(width: u32, height: u32) -> usize {
    let bytes = (u64::from(width) * u64::from(height) * 4).max(1);
    1 + usize::try_from(SPARE_LOOK_BYTES / bytes)
        .unwrap_or(MAX_LOOKS)
        .min(MAX_LOOKS - 1)
}

/// The drawn frames below the annotations (underlay, control, overlay, marks) of the last few
/// distinct control layers and marks, most recent first. An animation shows the same state for
/// many days in a row; its control fills, hatching, the overlay's blend and the town markers
/// are drawn once per state, not per frame.
struct Looks {
    capacity: usize,
    /// How many looks have been drawn (each miss), for tests and benchmarks.
    drawn: std::sync::atomic::AtomicUsize,
    entries: Mutex<Vec<(Look, Arc<Pixmap>)>>,
}

impl Looks {
    fn get(&self, scene: &Scene) -> Option<Arc<Pixmap>> {
        let mut entries = self.entries.lock().ok()?;
        let i = entries.iter().position(|(c, _)| shows(c, scene))?;
        let hit = entries.remove(i);
        let pixmap = hit.1.clone();
        entries.insert(0, hit);
        Some(pixmap)
    }

    fn put(&self, scene: &Scene, pixmap: Arc<Pixmap>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.iter().any(|(c, _)| shows(c, scene)) {
                return;
            }
            let look = (scene.control.clone(), scene.marks.clone());
            entries.insert(0, (look, pixmap));
            entries.truncate(self.capacity);
        }
    }
}

/// A scene's control layers and marks: what its look is drawn from.
type Look = (Vec<Layer>, Vec<Layer>);

/// Whether a scene's control layers and marks draw what a look's do.
fn shows(look: &Look, scene: &Scene) -> bool {
    draws_same(&look.0, &scene.control) && draws_same(&look.1, &scene.marks)
}

/// Whether two runs of layers put down the same pixels: the same items in the same order with
/// the same geometry, colours and text. What items mean (ids, meanings) and the layers' names
/// do not draw, so they are not compared; shared geometry is compared by pointer first.
fn draws_same(a: &[Layer], b: &[Layer]) -> bool {
    let rings_same = |x: &Arc<Vec<crate::scene::Ring>>, y: &Arc<Vec<crate::scene::Ring>>| {
        Arc::ptr_eq(x, y) || x == y
    };
    let item_same = |x: &Item, y: &Item| match (x, y) {
        (
            Item::Fill {
                rings: r1,
                colour: c1,
                ..
            },
            Item::Fill {
                rings: r2,
                colour: c2,
                ..
            },
        ) => c1 == c2 && rings_same(r1, r2),
        (
            Item::Stroke {
                lines: l1,
                closed: k1,
                colour: c1,
                width: w1,
                ..
            },
            Item::Stroke {
                lines: l2,
                closed: k2,
                colour: c2,
                width: w2,
                ..
            },
        ) => k1 == k2 && c1 == c2 && w1 == w2 && rings_same(l1, l2),
        (
            Item::Text {
                x: x1,
                y: y1,
                text: t1,
                size: s1,
                bold: b1,
                colour: c1,
                align: a1,
                halo: h1,
                ..
            },
            Item::Text {
                x: x2,
                y: y2,
                text: t2,
                size: s2,
                bold: b2,
                colour: c2,
                align: a2,
                halo: h2,
                ..
            },
        ) => (x1, y1, t1, s1, b1, c1, a1, h1) == (x2, y2, t2, s2, b2, c2, a2, h2),
        (
            Item::Raster {
                x: x1,
                y: y1,
                width: w1,
                height: h1,
                pixels: p1,
                ..
            },
            Item::Raster {
                x: x2,
                y: y2,
                width: w2,
                height: h2,
                pixels: p2,
                ..
            },
        ) => (x1, y1, w1, h1) == (x2, y2, w2, h2) && (Arc::ptr_eq(p1, p2) || p1 == p2),
        _ => false,
    };
    fn items(layers: &[Layer]) -> impl Iterator<Item = &Item> {
        layers.iter().flat_map(|l| &l.items)
    }
    items(a).count() == items(b).count() && items(a).zip(items(b)).all(|(x, y)| item_same(x, y))
}

/// The static overlay as runs of non-transparent pixels: most of it is empty, so compositing
/// only its runs (copying the opaque ones) is several times faster than a full-frame blend.
struct Overlay {
    data: Vec<u8>,
    /// (byte offset, byte length, opaque) of each run.
    runs: Vec<(usize, usize, bool)>,
}

impl Overlay {
    fn new(pixmap: &Pixmap) -> Overlay {
        let data = pixmap.data().to_vec();
        let mut runs = Vec::new();
        let mut current: Option<(usize, usize, bool)> = None;
        for (i, px) in data.chunks_exact(4).enumerate() {
            let kind = match px[3] {
                0 => None,
                255 => Some(true),
                _ => Some(false),
            };
            current = match (current, kind) {
                (Some((start, len, opaque)), Some(k)) if k == opaque => {
                    Some((start, len + 4, opaque))
                }
                (c, k) => {
                    if let Some(run) = c {
                        runs.push(run);
                    }
                    k.map(|opaque| (i * 4, 4, opaque))
                }
            };
        }
        if let Some(run) = current {
            runs.push(run);
        }
        Overlay { data, runs }
    }

    /// Source-over onto premultiplied RGBA.
    fn composite(&self, dst: &mut [u8]) {
        for &(start, len, opaque) in &self.runs {
            let (src, out) = (&self.data[start..start + len], &mut dst[start..start + len]);
            if opaque {
                out.copy_from_slice(src);
                continue;
            }
            for (s, d) in src.chunks_exact(4).zip(out.chunks_exact_mut(4)) {
                let inv = 255 - u32::from(s[3]);
                for k in 0..4 {
                    d[k] = (u32::from(s[k]) + (u32::from(d[k]) * inv + 127) / 255) as u8;
                }
            }
        }
    }
}

impl FrameRenderer {
    /// Prepares the static layers of `scene`.
    pub fn new(scene: &Scene) -> Result<FrameRenderer> {
        let mut underlay = new_pixmap(scene.width, scene.height)?;
        let b = scene.background;
        underlay.fill(tiny_skia::Color::from_rgba8(b.r, b.g, b.b, b.a));
        draw_layers(&mut underlay, scene.underlay.iter());
        let mut overlay = new_pixmap(scene.width, scene.height)?;
        draw_layers(&mut overlay, scene.overlay.iter());
        Ok(FrameRenderer {
            key: scene.static_key,
            underlay,
            overlay: Overlay::new(&overlay),
            looks: Looks {
                capacity: look_capacity(scene.width, scene.height),
                entries: Mutex::default(),
                drawn: Default::default(),
            },
        })
    }

    /// Draws a scene, reusing the cached static layers when they are this scene's, and the
    /// drawn control layers when a recent frame drew the same ones.
    pub fn draw(&self, scene: &Scene) -> Result<Pixmap> {
        if scene.static_key != self.key {
            return draw(scene);
        }
        let below = match self.looks.get(scene) {
            Some(p) => p,
            None => {
                let mut pixmap = self.underlay.clone();
                draw_layers(&mut pixmap, scene.control.iter().chain(scene.water.iter()));
                self.overlay.composite(pixmap.data_mut());
                draw_layers(&mut pixmap, &scene.marks);
                let pixmap = Arc::new(pixmap);
                self.looks
                    .drawn
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                self.looks.put(scene, pixmap.clone());
                pixmap
            }
        };
        let mut pixmap = Pixmap::clone(&below);
        draw_layers(&mut pixmap, &scene.annotations);
        Ok(pixmap)
    }

    /// How many times this renderer has drawn control layers (once per distinct state drawn,
    /// while the states in flight fit its cache), rather than reusing drawn ones.
    pub fn looks_drawn(&self) -> usize {
        self.looks.drawn.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The opaque RGB bytes of a pixmap (scenes always have an opaque background).
pub fn rgb_bytes(pixmap: &Pixmap) -> Vec<u8> {
    rgb_of_rgba(pixmap.data())
}

/// The RGB bytes of RGBA bytes (alpha dropped).
pub fn rgb_of_rgba(rgba: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; rgba.len() / 4 * 3];
    for (d, s) in out.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
        d.copy_from_slice(&s[..3]);
    }
    out
}

/// Encodes a pixmap as an RGB PNG, with fast compression (maps are flat colour and compress
/// well even so).
pub fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>> {
    encode_raw(
        pixmap.width(),
        pixmap.height(),
        ::png::ColorType::Rgb,
        &rgb_bytes(pixmap),
    )
}

/// Encodes RGB bytes as an RGB PNG.
pub fn encode_png_rgb(width: u32, height: u32, rgb: &[u8]) -> Result<Vec<u8>> {
    encode_raw(width, height, ::png::ColorType::Rgb, rgb)
}

/// A pixmap's straight (not premultiplied) RGBA bytes, as PNG and ffmpeg's `rgba` expect;
/// opaque pixels pass unchanged, so an opaque frame costs no arithmetic.
pub fn straight_rgba(pixmap: Pixmap) -> Vec<u8> {
    unpremultiply(pixmap.take())
}

/// Premultiplied RGBA bytes made straight, in place.
pub fn unpremultiply(mut data: Vec<u8>) -> Vec<u8> {
    for px in data.chunks_exact_mut(4) {
        let a = u32::from(px[3]);
        if a == 255 || a == 0 {
            continue;
        }
        for c in &mut px[..3] {
            *c = ((u32::from(*c) * 255 + a / 2) / a).min(255) as u8;
        }
    }
    data
}

/// Encodes straight RGBA bytes (from [`straight_rgba`]) as an RGBA PNG: a frame with
/// transparency.
pub fn encode_png_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>> {
    encode_raw(width, height, ::png::ColorType::Rgba, rgba)
}

fn encode_raw(width: u32, height: u32, colour: ::png::ColorType, data: &[u8]) -> Result<Vec<u8>> {
    let failed = |e: ::png::EncodingError| Error::Runtime(format!("PNG encoding failed: {e}"));
    let mut out = Vec::new();
    {
        let mut enc = ::png::Encoder::new(&mut out, width, height);
        enc.set_color(colour);
        enc.set_depth(::png::BitDepth::Eight);
        enc.set_compression(::png::Compression::Fast);
        // The Sub filter suits flat map colours: 1,000 Mali frames took 2.30 s and 275 MB with it,
        // 2.84 s and 242 MB with adaptive filtering.
        enc.set_filter(::png::Filter::Sub);
        let mut w = enc.write_header().map_err(failed)?;
        w.write_image_data(data).map_err(failed)?;
        w.finish().map_err(failed)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_rgba_undoes_premultiplication() {
        let mut p = Pixmap::new(3, 1).unwrap();
        p.data_mut()
            .copy_from_slice(&[100, 50, 0, 128, 10, 20, 30, 255, 0, 0, 0, 0]);
        assert_eq!(
            straight_rgba(p),
            [199, 100, 0, 128, 10, 20, 30, 255, 0, 0, 0, 0]
        );
    }
}
