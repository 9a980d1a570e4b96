//! Scenes to pixels: the scene walk through the tiny-skia backend, the frame cache, PNG
//! encoding.

use std::sync::{Mutex, OnceLock, PoisonError};

use plotters::prelude::*;
use tiny_skia::Pixmap;

use super::bands::{
    BAND_ROWS, Band, assemble, encode_band, encode_bands, encode_bands_in_parallel, with_chunks,
};
use super::dirty;
use super::looks::{Drawn, Looks, rows_of};
use super::skia::SkiaBackend;
use super::walk::walk;
use crate::error::{Error, Result};
use crate::scene::{Layer, Scene, text};

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
///
/// Not drawn in bands on several threads: tiny-skia clips a path that crosses a band's edge
/// into new edges, whose fixed-point steps differ from the whole path's, so lines crossing a
/// band edge came out up to 41 levels apart (a sharp edge a pixel over).
pub fn draw(scene: &Scene) -> Result<Pixmap> {
    draw_on(new_pixmap(scene.width, scene.height)?, scene)
}

/// A pixmap for [`draw_on`], its memory already touched: the kernel hands a fresh image's pages
/// over one fault at a time (about 2 ms for a 1280x720 map), which a caller can pay on another
/// thread while it builds the scene.
pub fn canvas(width: u32, height: u32) -> Result<Pixmap> {
    let mut pixmap = new_pixmap(width, height)?;
    pixmap.fill(tiny_skia::Color::TRANSPARENT);
    Ok(pixmap)
}

/// [`draw`] into `pixmap` (from [`canvas`]), whatever it holds: every pixel is painted over,
/// and a pixmap of another size is replaced.
pub fn draw_on(pixmap: Pixmap, scene: &Scene) -> Result<Pixmap> {
    let mut pixmap = if (pixmap.width(), pixmap.height()) == (scene.width, scene.height) {
        pixmap
    } else {
        new_pixmap(scene.width, scene.height)?
    };
    // The texts' glyph masks are worked out on another thread while the pixmap is laid down
    // and the shapes are drawn (the underlay's land comes before any text); the walk takes
    // each mask in turn, or works it out itself when it gets there first. A thread of its
    // own, not a rayon task: a rayon worker waiting here could pick up a task that waits for
    // a lock its caller holds.
    let ahead = super::walk::text_runs(scene.layers());
    let size = (scene.width, scene.height);
    std::thread::scope(|s| {
        s.spawn(|| {
            for a in &ahead {
                a.mask(size);
            }
        });
        let b = scene.background;
        pixmap.fill(tiny_skia::Color::from_rgba8(b.r, b.g, b.b, b.a));
        walk(
            &mut SkiaBackend::with_ahead(&mut pixmap, &ahead),
            scene.layers(),
            &[],
        );
        Ok(pixmap)
    })
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
    /// Looks keep their bands and the rows annotations draw on, not all their pixels.
    png_only: bool,
    /// The one frame-sized pixmap looks that keep no pixels are drawn in, in turn: a pixmap
    /// per look drawn would leave a frame-sized hole in the allocator arena of every thread
    /// that ever drew one, so the memory taken would grow with the threads.
    work: Mutex<Option<Pixmap>>,
}

/// Bytes the renderer may spend on looks beyond the first two (see [`look_capacity`]).
pub const SPARE_LOOK_BYTES: u64 = 32 << 20;
/// Most looks kept at once: frames in flight are consecutive, so they show few distinct states.
const MAX_LOOKS: usize = 4;

/// How many looks a renderer keeps for frames of this size: two whatever the size (frames in
/// flight across a change of state show the state left and the state entered), and more while
/// they fit in [`SPARE_LOOK_BYTES`].
pub fn look_capacity(width: u32, height: u32) -> usize {
    let bytes = (u64::from(width) * u64::from(height) * 4).max(1);
    2 + usize::try_from(SPARE_LOOK_BYTES / bytes)
        .unwrap_or(MAX_LOOKS)
        .min(MAX_LOOKS - 2)
}

/// The static overlay as runs of non-transparent pixels: most of it is empty, so compositing
/// only its runs (copying the opaque ones) is several times faster than a full-frame blend,
/// and only their pixels are kept.
struct Overlay {
    /// The runs' pixels, one after another.
    data: Vec<u8>,
    /// (byte offset in the frame, byte offset in `data`, byte length, opaque) of each run.
    runs: Vec<(usize, usize, usize, bool)>,
}

impl Overlay {
    fn new(pixmap: &Pixmap) -> Overlay {
        let pixels = pixmap.data();
        let mut runs: Vec<(usize, usize, usize, bool)> = Vec::new();
        let mut kept = 0;
        for (i, px) in pixels.chunks_exact(4).enumerate() {
            let opaque = match px[3] {
                0 => continue,
                a => a == 255,
            };
            match runs.last_mut() {
                Some((start, _, len, o)) if *o == opaque && *start + *len == i * 4 => *len += 4,
                _ => runs.push((i * 4, kept, 4, opaque)),
            }
            kept += 4;
        }
        let mut data = Vec::with_capacity(kept);
        for &(start, _, len, _) in &runs {
            data.extend_from_slice(&pixels[start..start + len]);
        }
        Overlay { data, runs }
    }

    /// Source-over onto premultiplied RGBA.
    fn composite(&self, dst: &mut [u8]) {
        for &(start, from, len, opaque) in &self.runs {
            let (src, out) = (&self.data[from..from + len], &mut dst[start..start + len]);
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
            looks: Looks::new(look_capacity(scene.width, scene.height)),
            png_only: false,
            work: Mutex::default(),
        })
    }

    /// A renderer for PNG frames only ([`FrameRenderer::png`]): each drawn state keeps its
    /// compressed bands and the rows its frames' annotations draw on rather than all its
    /// pixels, a few percent of a frame instead of a whole one. [`FrameRenderer::draw`] then
    /// draws the state anew each time.
    pub fn png_only(mut self) -> FrameRenderer {
        self.png_only = true;
        self
    }

    /// Draws a scene, reusing the cached static layers when they are this scene's, and the
    /// drawn control layers when a recent frame drew the same ones.
    pub fn draw(&self, scene: &Scene) -> Result<Pixmap> {
        self.draw_in(scene, None)
    }

    /// [`FrameRenderer::draw`] into `spare`, a buffer of an earlier frame of the same size
    /// when there is one: the kernel zeroes every page of a new frame-sized buffer, which cost
    /// more than drawing a frame from its cached state.
    pub fn draw_in(&self, scene: &Scene, spare: Option<Vec<u8>>) -> Result<Pixmap> {
        if scene.static_key != self.key {
            return draw(scene);
        }
        let reuse = |look: &Pixmap| {
            spare
                .filter(|b| b.len() == look.data().len())
                .zip(tiny_skia::IntSize::from_wh(look.width(), look.height()))
                .and_then(|(mut b, size)| {
                    b.copy_from_slice(look.data());
                    Pixmap::from_vec(b, size)
                })
                .unwrap_or_else(|| look.clone())
        };
        let held = self.looks.hold(scene, || self.draw_look(scene));
        let mut pixmap = match &look_of(&held)?.pixmap {
            Some(p) => reuse(p),
            None => self.with_look_pixels(scene, reuse),
        };
        draw_layers(&mut pixmap, &scene.annotations);
        Ok(pixmap)
    }

    /// Draws the scene below its annotations onto a copy of the underlay.
    fn paint_look(&self, pixmap: &mut Pixmap, scene: &Scene) {
        draw_layers(pixmap, scene.control.iter().chain(scene.water.iter()));
        self.overlay.composite(pixmap.data_mut());
        draw_layers(pixmap, &scene.marks);
    }

    /// Calls `f` with the scene drawn below its annotations in the renderer's one working
    /// pixmap: looks that keep no pixels are drawn one at a time, whatever the threads.
    fn with_look_pixels<R>(&self, scene: &Scene, f: impl FnOnce(&Pixmap) -> R) -> R {
        let mut work = self.work.lock().unwrap_or_else(PoisonError::into_inner);
        let pixmap = match work.as_mut() {
            Some(p) => {
                p.data_mut().copy_from_slice(self.underlay.data());
                p
            }
            None => work.insert(self.underlay.clone()),
        };
        self.paint_look(pixmap, scene);
        f(pixmap)
    }

    /// The scene's look to cache: all its pixels, or for PNG frames only its bands and the
    /// strips of rows the scene's annotations draw on (a later frame's annotations draw on
    /// the same rows, as they are laid out alike).
    fn draw_look(&self, scene: &Scene) -> Drawn {
        if !self.png_only {
            let mut pixmap = self.underlay.clone();
            self.paint_look(&mut pixmap, scene);
            return Drawn {
                pixmap: Some(pixmap),
                strips: Vec::new(),
                bands: OnceLock::new(),
            };
        }
        let (strips, bands) = self.with_look_pixels(scene, |pixmap| {
            let strips = dirty::regions(&scene.annotations, pixmap.height())
                .iter()
                .filter_map(|r| {
                    let top = r.first * BAND_ROWS;
                    let count = (r.end * BAND_ROWS).min(pixmap.height()) - top;
                    let mut strip = Pixmap::new(pixmap.width(), count)?;
                    strip
                        .data_mut()
                        .copy_from_slice(rows_of(pixmap, top, count)?);
                    Some((top, strip))
                })
                .collect();
            (strips, encode_bands(pixmap))
        });
        Drawn {
            bands: OnceLock::from(bands),
            pixmap: None,
            strips,
        }
    }

    /// The scene as an RGB PNG with `extra` chunks (framed: `sRGB`, `pHYs`, text) after its
    /// header: the same pixels as encoding
    /// [`FrameRenderer::draw`]'s, but only the bands its annotations touch are drawn and
    /// compressed; the others are the cached look's, compressed once per look. A scene of
    /// another layout or with a transparent background is drawn and encoded whole.
    pub fn png(&self, scene: &Scene, extra: &[u8]) -> Result<Vec<u8>> {
        if scene.static_key != self.key || scene.background.a != 255 {
            let pixmap = self.draw(scene)?;
            return Ok(with_chunks(encode_png(&pixmap)?, extra));
        }
        let held = self.looks.hold(scene, || self.draw_look(scene));
        let look = look_of(&held)?;
        let (w, h) = (self.underlay.width(), self.underlay.height());
        let cached = match &look.pixmap {
            Some(p) => look.bands.get_or_init(|| encode_bands(p)),
            None => look
                .bands
                .get_or_init(|| self.with_look_pixels(scene, encode_bands)),
        };
        let mut fresh: Vec<Option<Band>> = vec![None; cached.len()];
        for region in dirty::regions(&scene.annotations, h) {
            let top = region.first * BAND_ROWS;
            let count = (region.end * BAND_ROWS).min(h) - top;
            let mut band = new_pixmap(w, count)?;
            match look.rows(top, count) {
                Some(rows) => band.data_mut().copy_from_slice(rows),
                // Rows a lean look does not keep: annotations laid out unlike its first frame's.
                None => self.with_look_pixels(scene, |p| {
                    if let Some(rows) = rows_of(p, top, count) {
                        band.data_mut().copy_from_slice(rows);
                    }
                }),
            }
            walk(
                &mut SkiaBackend::band(&mut band, top),
                region.layers.iter().copied(),
                &[],
            );
            let chunks = band.data().chunks(w as usize * 4 * BAND_ROWS as usize);
            for (k, rows) in chunks.enumerate() {
                fresh[region.first as usize + k] = Some(encode_band(rows, w));
            }
        }
        let bands = fresh
            .iter()
            .zip(cached)
            .map(|(f, c)| f.as_ref().unwrap_or(c));
        Ok(assemble(w, h, extra, bands))
    }

    /// How many times this renderer has drawn control layers (once per distinct state drawn,
    /// while the states in flight fit its cache), rather than reusing drawn ones.
    pub fn looks_drawn(&self) -> usize {
        self.looks.drawn()
    }
}

fn look_of<'a>(held: &'a super::looks::Held<'_>) -> Result<&'a Drawn> {
    held.drawn()
        .ok_or_else(|| Error::Runtime("a frame's state could not be drawn".into()))
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
    // Compressed in bands, in parallel: the same pixels as the png crate's encoder gives, in
    // half the time on one thread, for under 1 % more bytes.
    Ok(assemble(
        pixmap.width(),
        pixmap.height(),
        &[],
        &encode_bands_in_parallel(pixmap),
    ))
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
    fn texts_masked_ahead_draw_the_pixels_of_texts_masked_in_turn() {
        use crate::dataset::{Dataset, Source};
        use crate::scene::{MapLayout, MapOptions};
        let arabic =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ruritania-arabic");
        for (source, date, size) in [
            (Source::Embedded, "2012-07-15", (1280, 720)),
            (Source::Embedded, "2013-01-20", (333, 517)),
            (Source::Dir(arabic), "2020-02-15", (640, 480)),
        ] {
            let d = Dataset::load(&source).unwrap();
            let state =
                crate::timeline::Timeline::new(&d).state_at(crate::date::parse_date(date).unwrap());
            let options = MapOptions::new(size.0, size.1);
            let layout = MapLayout::for_states(&d, &options, std::slice::from_ref(&state)).unwrap();
            let scene = layout.scene(&state, None, "");
            let mut in_turn = new_pixmap(scene.width, scene.height).unwrap();
            let b = scene.background;
            in_turn.fill(tiny_skia::Color::from_rgba8(b.r, b.g, b.b, b.a));
            draw_layers(&mut in_turn, scene.layers());
            assert!(draw(&scene).unwrap() == in_turn, "{date} {size:?}");
            // A canvas that held anything is painted over whole.
            let mut used = canvas(scene.width, scene.height).unwrap();
            used.fill(tiny_skia::Color::from_rgba8(200, 10, 30, 77));
            assert!(draw_on(used, &scene).unwrap() == in_turn, "{date} {size:?}");
            // Every run drawn came from the masks made ahead.
            let ahead = super::super::walk::text_runs(scene.layers());
            assert!(ahead.len() > 10, "{}", ahead.len());
            let mut pixmap = in_turn.clone();
            let mut backend = SkiaBackend::with_ahead(&mut pixmap, &ahead);
            walk(&mut backend, scene.layers(), &[]);
            assert_eq!(backend.ahead_taken(), ahead.len(), "{date} {size:?}");
        }
    }

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
