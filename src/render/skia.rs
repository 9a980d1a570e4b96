//! The tiny-skia backend: plotters' `DrawingBackend` for charts and the scene walk's
//! [`SceneBackend`] for maps, over one pixmap, with anti-aliased tiny-skia paths and the shaped,
//! sub-pixel text of [`super::glyphs`].
//!
//! Maps come through the scene walk in f32 pixels, because plotters' integer backend coordinates
//! would make 5-pixel town markers lumpy and its one-ring polygons cannot hold a region's holes
//! (see [`super::walk`]).

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle,
};

use super::walk::{Mark, SceneBackend, TextRun};
use crate::colour::Rgba;
use crate::scene::{Align, Layer, Ring};
use tiny_skia::{FillRule, LineJoin, Paint, PathBuilder, Pixmap, Stroke, Transform};

/// The error type of [`SkiaBackend`]: drawing into memory cannot fail.
#[derive(Debug)]
pub struct NoError;

impl std::fmt::Display for NoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no error")
    }
}

impl std::error::Error for NoError {}

/// Plotters' view of a tiny-skia pixmap.
pub struct SkiaBackend<'a> {
    pixmap: &'a mut Pixmap,
    /// The image row the pixmap's first row is (a band of a frame), for scene drawing.
    top: i32,
    /// The scene's text runs in walk order, with their masks as other threads work them out.
    ahead: &'a [Ahead],
    /// The next of `ahead` to draw.
    next: usize,
}

/// A text run of a scene, and its glyph mask once worked out (by whichever thread gets to it
/// first: the mask depends on the run and the pixmap's size only).
#[derive(Debug)]
pub struct Ahead {
    text: String,
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    colour: Rgba,
    align: Align,
    halo: Option<Rgba>,
    mask: std::sync::OnceLock<Option<super::glyphs::RunMask>>,
}

impl Ahead {
    /// A run to draw later.
    pub fn new(t: &TextRun) -> Ahead {
        Ahead {
            text: t.text.to_string(),
            x: t.x,
            y: t.y,
            size: t.size,
            bold: t.bold,
            colour: t.colour,
            align: t.align,
            halo: t.halo,
            mask: std::sync::OnceLock::new(),
        }
    }

    fn run(&self) -> TextRun<'_> {
        TextRun {
            x: self.x,
            y: self.y,
            text: &self.text,
            size: self.size,
            bold: self.bold,
            colour: self.colour,
            align: self.align,
            halo: self.halo,
        }
    }

    /// Whether this is that run (the walk meets the runs it was prepared from, in order).
    fn is(&self, t: &TextRun) -> bool {
        let r = self.run();
        // Bit for bit: a NaN position must still match itself.
        let bits = |a: &TextRun| (a.x.to_bits(), a.y.to_bits(), a.size.to_bits());
        bits(&r) == bits(t)
            && (r.text, r.bold, r.colour, r.align, r.halo)
                == (t.text, t.bold, t.colour, t.align, t.halo)
    }

    /// The mask for a `size` pixmap at row 0, worked out now unless it already is.
    pub fn mask(&self, size: (u32, u32)) -> Option<&super::glyphs::RunMask> {
        self.mask
            .get_or_init(|| super::glyphs::run_mask(&self.run(), size, 0))
            .as_ref()
    }
}

impl<'a> SkiaBackend<'a> {
    /// Wraps a pixmap.
    pub fn new(pixmap: &'a mut Pixmap) -> Self {
        SkiaBackend {
            pixmap,
            top: 0,
            ahead: &[],
            next: 0,
        }
    }

    /// Wraps a whole image's pixmap, with the text runs a walk will meet (from
    /// [`super::walk::text_runs`]) so that their masks come from `ahead`.
    pub fn with_ahead(pixmap: &'a mut Pixmap, ahead: &'a [Ahead]) -> Self {
        SkiaBackend {
            pixmap,
            top: 0,
            ahead,
            next: 0,
        }
    }

    /// How many of the runs prepared ahead the walk has drawn.
    pub fn ahead_taken(&self) -> usize {
        self.next
    }

    /// Wraps a pixmap that holds the rows of an image from row `top` down: scenes walked
    /// through it draw what the whole image would show in those rows.
    pub fn band(pixmap: &'a mut Pixmap, top: u32) -> Self {
        SkiaBackend {
            pixmap,
            top: i32::try_from(top).unwrap_or(i32::MAX),
            ahead: &[],
            next: 0,
        }
    }

    /// Moves scene coordinates into the pixmap: a whole-row shift, exact in f32, so a band's
    /// pixels equal the whole image's.
    fn shift(&self) -> Transform {
        Transform::from_translate(0.0, -(self.top as f32))
    }
}

/// A path through integer backend coordinates, at pixel centres.
fn path_through(
    points: impl IntoIterator<Item = BackendCoord>,
    close: bool,
) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::new();
    for (k, (x, y)) in points.into_iter().enumerate() {
        let (x, y) = (x as f32 + 0.5, y as f32 + 0.5);
        if k == 0 {
            pb.move_to(x, y);
        } else {
            pb.line_to(x, y);
        }
    }
    if close {
        pb.close();
    }
    pb.finish()
}

fn pen<S: BackendStyle>(style: &S) -> Stroke {
    Stroke {
        width: style.stroke_width().max(1) as f32,
        ..Stroke::default()
    }
}

fn paint(c: BackendColor) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(
        c.rgb.0,
        c.rgb.1,
        c.rgb.2,
        (c.alpha.clamp(0.0, 1.0) * 255.0).round() as u8,
    );
    p.anti_alias = true;
    p
}

fn paint_of(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c.r, c.g, c.b, c.a);
    p.anti_alias = true;
    p
}

fn path_of(rings: &[Ring], close: bool) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::new();
    for ring in rings {
        let mut it = ring.iter();
        let Some(first) = it.next() else { continue };
        pb.move_to(first[0], first[1]);
        for p in it {
            pb.line_to(p[0], p[1]);
        }
        if close {
            pb.close();
        }
    }
    pb.finish()
}

impl SceneBackend for SkiaBackend<'_> {
    fn wants_ids(&self) -> bool {
        false
    }

    fn begin_layer(&mut self, _layer: &Layer, _id: &str) {}

    fn fill(&mut self, rings: &[Ring], colour: Rgba, _mark: Mark) {
        if colour.a == 0 {
            return;
        }
        if let Some(path) = path_of(rings, true) {
            self.pixmap.fill_path(
                &path,
                &paint_of(colour),
                FillRule::EvenOdd,
                self.shift(),
                None,
            );
        }
    }

    fn stroke(&mut self, lines: &[Ring], closed: bool, colour: Rgba, width: f32, _mark: Mark) {
        if colour.a == 0 {
            return;
        }
        if let Some(path) = path_of(lines, closed) {
            let stroke = Stroke {
                width,
                line_join: LineJoin::Round,
                ..Stroke::default()
            };
            self.pixmap
                .stroke_path(&path, &paint_of(colour), &stroke, self.shift(), None);
        }
    }

    fn raster(&mut self, x: f32, y: f32, width: u32, height: u32, pixels: &[u8], _mark: Mark) {
        // Source-over, premultiplied, pixel for pixel: tiny-skia's draw_pixmap goes through its
        // high-precision pattern pipeline, several times slower for the same result.
        let (x0, y0) = (x.round() as i64, y.round() as i64 - i64::from(self.top));
        let (pw, ph) = (
            i64::from(self.pixmap.width()),
            i64::from(self.pixmap.height()),
        );
        let (w, h) = (i64::from(width), i64::from(height));
        if pixels.len() as i64 != w * h * 4 {
            return;
        }
        let dst = self.pixmap.data_mut();
        for row in y0.max(0)..(y0 + h).min(ph) {
            let (left, right) = (x0.max(0), (x0 + w).min(pw));
            if left >= right {
                break;
            }
            let s = (((row - y0) * w + (left - x0)) * 4) as usize;
            let d = ((row * pw + left) * 4) as usize;
            let n = ((right - left) * 4) as usize;
            for (sp, dp) in pixels[s..s + n]
                .chunks_exact(4)
                .zip(dst[d..d + n].chunks_exact_mut(4))
            {
                let inv = 255 - u32::from(sp[3]);
                for k in 0..4 {
                    // d·inv/255 rounded, without a division, so the loop vectorises.
                    let t = u32::from(dp[k]) * inv + 128;
                    dp[k] = (u32::from(sp[k]) + ((t + (t >> 8)) >> 8)) as u8;
                }
            }
        }
    }

    fn text(&mut self, t: TextRun, _mark: Mark) {
        let size = (self.pixmap.width(), self.pixmap.height());
        match self
            .ahead
            .get(self.next)
            .filter(|a| self.top == 0 && a.is(&t))
        {
            Some(a) => {
                self.next += 1;
                if let Some(m) = a.mask(size) {
                    super::glyphs::paint_mask(self.pixmap, 0, m);
                }
            }
            None => super::glyphs::draw_run(self.pixmap, self.top, &t),
        }
    }
}

/// Where plotters' text anchor puts a text: its alignment against x, and its baseline for an
/// anchor at `y` (top: the ascent below it; bottom: the descent above it). The SVG chart
/// writer places text the same way.
pub fn text_position<T: BackendTextStyle>(style: &T, y: i32) -> (Align, f32) {
    let size = style.size() as f32;
    let bold = matches!(style.style(), FontStyle::Bold);
    let (ascent, descent) = super::glyphs::vertical_metrics(size, bold);
    let anchor = style.anchor();
    let align = match anchor.h_pos {
        HPos::Left => Align::Start,
        HPos::Center => Align::Middle,
        HPos::Right => Align::End,
    };
    let baseline = y as f32
        + match anchor.v_pos {
            VPos::Top => ascent,
            VPos::Center => (ascent + descent) / 2.0,
            VPos::Bottom => descent,
        };
    (align, baseline)
}

impl DrawingBackend for SkiaBackend<'_> {
    type ErrorType = NoError;

    fn get_size(&self) -> (u32, u32) {
        (self.pixmap.width(), self.pixmap.height())
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<NoError>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<NoError>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<NoError>> {
        let (w, h) = (self.pixmap.width() as i32, self.pixmap.height() as i32);
        let (x, y) = point;
        if x < 0 || y < 0 || x >= w || y >= h || color.alpha <= 0.0 {
            return Ok(());
        }
        let a = color.alpha.clamp(0.0, 1.0) as f32;
        let i = ((y * w + x) * 4) as usize;
        let data = self.pixmap.data_mut();
        if let Some(px) = data.get_mut(i..i + 4) {
            blend_over(px, [color.rgb.0, color.rgb.1, color.rgb.2], a);
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<NoError>> {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<NoError>> {
        let (x0, y0) = (
            upper_left.0.min(bottom_right.0) as f32,
            upper_left.1.min(bottom_right.1) as f32,
        );
        let (x1, y1) = (
            upper_left.0.max(bottom_right.0) as f32,
            upper_left.1.max(bottom_right.1) as f32,
        );
        if fill {
            if let Some(r) = tiny_skia::Rect::from_ltrb(x0, y0, x1 + 1.0, y1 + 1.0) {
                self.pixmap
                    .fill_rect(r, &paint(style.color()), Transform::identity(), None);
            }
            Ok(())
        } else {
            let (x0, y0, x1, y1) = (x0 as i32, y0 as i32, x1 as i32, y1 as i32);
            self.draw_path([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)], style)
        }
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<NoError>> {
        if let Some(p) = path_through(path, false) {
            self.pixmap.stroke_path(
                &p,
                &paint(style.color()),
                &pen(style),
                Transform::identity(),
                None,
            );
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<NoError>> {
        let (x, y) = (center.0 as f32 + 0.5, center.1 as f32 + 0.5);
        if let Some(p) = PathBuilder::from_circle(x, y, radius.max(1) as f32) {
            if fill {
                self.pixmap.fill_path(
                    &p,
                    &paint(style.color()),
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            } else {
                self.pixmap.stroke_path(
                    &p,
                    &paint(style.color()),
                    &pen(style),
                    Transform::identity(),
                    None,
                );
            }
        }
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<NoError>> {
        let c = style.color();
        let colour = Rgba {
            r: c.rgb.0,
            g: c.rgb.1,
            b: c.rgb.2,
            a: (c.alpha.clamp(0.0, 1.0) * 255.0).round() as u8,
        };
        let size = style.size() as f32;
        let bold = matches!(style.style(), FontStyle::Bold);
        let (align, baseline) = text_position(style, pos.1);
        super::glyphs::draw_text(
            self.pixmap,
            text,
            size,
            bold,
            colour,
            pos.0 as f32,
            baseline,
            align,
            None,
        );
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<NoError>> {
        let size = style.size() as f32;
        let bold = matches!(style.style(), FontStyle::Bold);
        let (ascent, descent) = super::glyphs::vertical_metrics(size, bold);
        Ok((
            crate::scene::text::text_width(text, size, bold).ceil() as u32,
            (ascent - descent).ceil() as u32,
        ))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<NoError>> {
        if let Some(p) = path_through(vert, true) {
            self.pixmap.fill_path(
                &p,
                &paint(style.color()),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
        Ok(())
    }
}

/// Source-over of an opaque colour at coverage `a` (0 to 1) onto one premultiplied RGBA
/// pixel: the one blend that plotters' pixels and shaped glyphs both go through.
pub(crate) fn blend_over(px: &mut [u8], rgb: [u8; 3], a: f32) {
    for k in 0..3 {
        px[k] = (f32::from(rgb[k]) * a + f32::from(px[k]) * (1.0 - a)).round() as u8;
    }
    px[3] = (255.0 * a + f32::from(px[3]) * (1.0 - a)).round() as u8;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raster_drawn_into_a_band_lands_on_the_bands_rows() {
        // A 4x6 raster of distinct half-transparent pixels at (3, 5) over a 10x16 image, and
        // the same drawn into the band of rows 8 to 15.
        let pixels: Vec<u8> = (0..4 * 6)
            .flat_map(|i| [i as u8 * 5, 100, 60, 128])
            .collect();
        let mark = Mark {
            id: None,
            meta: None,
            grouped: false,
        };
        let mut whole = Pixmap::new(10, 16).unwrap();
        whole.fill(tiny_skia::Color::WHITE);
        SkiaBackend::new(&mut whole).raster(3.0, 5.0, 4, 6, &pixels, mark);
        let mut band = Pixmap::new(10, 8).unwrap();
        band.fill(tiny_skia::Color::WHITE);
        SkiaBackend::band(&mut band, 8).raster(3.0, 5.0, 4, 6, &pixels, mark);
        assert_eq!(band.data(), &whole.data()[10 * 8 * 4..]);
    }
}
