//! The text engine: the embedded DejaVu faces, shaped with rustybuzz, measured in em units.
//!
//! Layout, the PNG rasteriser and the SVG writer all go through [`shape`], so a text is as wide
//! in the scene's arithmetic as in the PNG and (with the same font) in a browser; Arabic and
//! other complex scripts come out joined and in visual order.
//!
//! Sizes. A scene's text size is the face's full height, ascent − descent (the layout's style
//! states its font sizes that way, and the PNG has always been drawn with it). CSS and SVG size
//! text by the em square, which for DejaVu Sans is 2048 / 2384 ≈ 0.859 of the full height;
//! [`em`] converts, and everything below works from the em size.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use ab_glyph::{Font, FontRef, PxScale};

/// The embedded regular face.
pub fn regular_font() -> &'static [u8] {
    dejavu::sans::regular()
}

/// The embedded bold face.
pub fn bold_font() -> &'static [u8] {
    dejavu::sans::bold()
}

pub(crate) fn face(bold: bool) -> Option<&'static FontRef<'static>> {
    static REGULAR: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    static BOLD: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    let cell = if bold { &BOLD } else { &REGULAR };
    cell.get_or_init(|| {
        FontRef::try_from_slice(if bold { bold_font() } else { regular_font() }).ok()
    })
    .as_ref()
}

fn shaper(bold: bool) -> Option<&'static rustybuzz::Face<'static>> {
    static REGULAR: OnceLock<Option<rustybuzz::Face<'static>>> = OnceLock::new();
    static BOLD: OnceLock<Option<rustybuzz::Face<'static>>> = OnceLock::new();
    let cell = if bold { &BOLD } else { &REGULAR };
    cell.get_or_init(|| {
        rustybuzz::Face::from_slice(if bold { bold_font() } else { regular_font() }, 0)
    })
    .as_ref()
}

/// Units per em and full height (ascent − descent) of a face, in font units.
fn units(bold: bool) -> (f32, f32) {
    match face(bold) {
        Some(f) => (f.units_per_em().unwrap_or(2048.0), f.height_unscaled()),
        None => (2048.0, 2384.0),
    }
}

/// The em size (CSS `font-size`) of a scene text of full height `size` pixels.
pub fn em(size: f32, bold: bool) -> f32 {
    let (upem, height) = units(bold);
    size * upem / height
}

/// ab_glyph's scale for an em size: ab_glyph scales by the full height, not the em.
pub fn px_scale(em: f32, bold: bool) -> PxScale {
    let (upem, height) = units(bold);
    PxScale::from(em * height / upem)
}

/// Pixels per font unit at em size `em`.
pub fn px_per_unit(em: f32, bold: bool) -> f32 {
    em / units(bold).0
}

/// One glyph of a shaped line, in font units from the line's start, y up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    /// The glyph's index in the face.
    pub id: u16,
    /// Pen position plus the glyph's own offset.
    pub x: f32,
    /// Vertical offset (marks above or below the baseline).
    pub y: f32,
    /// The byte offset in the text of the characters it draws.
    pub cluster: u32,
}

/// A line shaped by rustybuzz, in visual order (left to right on the page).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shaped {
    /// The glyphs.
    pub glyphs: Vec<PlacedGlyph>,
    /// The line's advance, in font units.
    pub advance: f32,
}

/// The shape plan `rustybuzz::shape` would make for this buffer (segment properties set),
/// made once per face, direction, script and language: making one was half the time shaping
/// took, and a map's texts need two or three.
fn plan_for(
    face: &'static rustybuzz::Face<'static>,
    buffer: &rustybuzz::UnicodeBuffer,
) -> Arc<rustybuzz::ShapePlan> {
    type Key = (
        usize,
        rustybuzz::Direction,
        Option<rustybuzz::Script>,
        Option<rustybuzz::Language>,
    );
    static PLANS: Mutex<Vec<(Key, Arc<rustybuzz::ShapePlan>)>> = Mutex::new(Vec::new());
    // A buffer whose text names no script keeps none (guessing skips Common, Inherited and
    // Unknown characters), and `script()` reports that as Unknown.
    let script = Some(buffer.script()).filter(|s| *s != rustybuzz::script::UNKNOWN);
    let key: Key = (
        std::ptr::from_ref(face) as usize,
        buffer.direction(),
        script,
        buffer.language(),
    );
    let plans = || PLANS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, plan)) = plans().iter().find(|(k, _)| *k == key) {
        return Arc::clone(plan);
    }
    let plan = Arc::new(rustybuzz::ShapePlan::new(
        face,
        key.1,
        key.2,
        key.3.as_ref(),
        &[],
    ));
    let mut plans = plans();
    match plans.iter().find(|(k, _)| *k == key) {
        // Made meanwhile on another thread.
        Some((_, made)) => Arc::clone(made),
        None => {
            plans.push((key, Arc::clone(&plan)));
            plan
        }
    }
}

/// A run's text in a buffer, its script and language guessed and its direction set.
fn buffer_of(text: &str, rtl: bool) -> rustybuzz::UnicodeBuffer {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buffer
}

/// Shapes one run of one direction onto `out`, from pen position `pen`; returns the new pen.
fn shape_run(
    face: &'static rustybuzz::Face<'static>,
    text: &str,
    offset: usize,
    rtl: bool,
    pen: f32,
    out: &mut Vec<PlacedGlyph>,
) -> f32 {
    let buffer = buffer_of(text, rtl);
    let plan = plan_for(face, &buffer);
    let shaped = rustybuzz::shape_with_plan(face, &plan, buffer);
    let mut pen = pen;
    for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
        out.push(PlacedGlyph {
            id: info.glyph_id as u16,
            x: pen + pos.x_offset as f32,
            y: pos.y_offset as f32,
            cluster: info.cluster + offset as u32,
        });
        pen += pos.x_advance as f32;
    }
    pen
}

fn shape_uncached(text: &str, bold: bool) -> Shaped {
    let Some(face) = shaper(bold) else {
        return Shaped::default();
    };
    let mut glyphs = Vec::new();
    let bidi = unicode_bidi::ParagraphBidiInfo::new(text, None);
    let advance = if bidi.has_rtl() {
        // Mixed or right-to-left text: the Unicode bidi algorithm orders the runs on the line
        // ("As of 15 March — <Arabic title>"), and each run is shaped in its own direction.
        let (levels, runs) = bidi.visual_runs(0..text.len());
        let mut pen = 0.0;
        for run in runs {
            let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
            pen = shape_run(face, &text[run.clone()], run.start, rtl, pen, &mut glyphs);
        }
        pen
    } else {
        shape_run(face, text, 0, false, 0.0, &mut glyphs)
    };
    Shaped { glyphs, advance }
}

/// `text` shaped with the regular or bold face. Results are cached: frames draw the same dates
/// and captions again and again.
pub fn shape(text: &str, bold: bool) -> Arc<Shaped> {
    /// Past this many distinct texts the cache starts afresh (a long run of dated frames).
    const CACHE_LIMIT: usize = 4096;
    type Cache = Mutex<[HashMap<String, Arc<Shaped>>; 2]>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new([HashMap::new(), HashMap::new()]));
    let k = usize::from(bold);
    if let Some(s) = cache
        .lock()
        .ok()
        .and_then(|maps| maps[k].get(text).cloned())
    {
        return s;
    }
    let shaped = Arc::new(shape_uncached(text, bold));
    if let Ok(mut maps) = cache.lock() {
        if maps[k].len() >= CACHE_LIMIT {
            maps[k].clear();
        }
        maps[k].insert(text.to_string(), shaped.clone());
    }
    shaped
}

/// The advance width of `text` at `size` pixels (full height), as shaped and drawn.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    if face(bold).is_none() {
        return text.chars().count() as f32 * size * 0.6;
    }
    let e = em(size, bold);
    shape(text, bold).advance * px_per_unit(e, bold)
}

/// How far a text's halo reaches beyond its glyphs, in whole pixels, at `size` pixels: the
/// PNG dilates the glyphs by it, the SVG strokes them with twice it (a stroke is centred on
/// the outline).
pub fn halo_radius(size: f32) -> f32 {
    (size * 0.12).clamp(1.0, 4.0).round()
}

/// Height above the baseline of capital letters at `size` pixels.
pub fn cap_height(size: f32) -> f32 {
    size * 0.73
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plans made once and kept shape exactly as `rustybuzz::shape` (which makes a plan per
    /// call) does: Latin, French, digits alone (no script), Arabic, and text mixing them, in
    /// both faces, in turn and over again.
    #[test]
    fn kept_shape_plans_shape_as_a_plan_made_per_text_does() {
        let texts = [
            "Tombouctou",
            "Région de Gao — 15 juillet 2012",
            "100 km",
            "…",
            "\u{62a}\u{645}\u{628}\u{643}\u{62a}\u{648}",
            "As of 15 March \u{2014} \u{645}\u{627}\u{644}\u{64a}",
            "Ménaka ﬁ ŉ ǅ",
        ];
        let mut planned = 0;
        for round in 0..2 {
            for text in texts {
                for bold in [false, true] {
                    let face = shaper(bold).unwrap();
                    for rtl in [false, true] {
                        let mut ours = Vec::new();
                        let pen = shape_run(face, text, 3, rtl, 10.0, &mut ours);
                        let theirs = rustybuzz::shape(face, &[], buffer_of(text, rtl));
                        let mut x = 10.0;
                        let want: Vec<PlacedGlyph> = theirs
                            .glyph_infos()
                            .iter()
                            .zip(theirs.glyph_positions())
                            .map(|(i, p)| {
                                let g = PlacedGlyph {
                                    id: i.glyph_id as u16,
                                    x: x + p.x_offset as f32,
                                    y: p.y_offset as f32,
                                    cluster: i.cluster + 3,
                                };
                                x += p.x_advance as f32;
                                g
                            })
                            .collect();
                        assert_eq!(ours, want, "{text:?} bold {bold} rtl {rtl} round {round}");
                        assert_eq!(pen, x);
                        planned += 1;
                    }
                }
            }
        }
        assert_eq!(planned, 56);
    }

    #[test]
    fn em_is_the_css_font_size_of_a_full_height_size() {
        // DejaVu Sans: 2048 units per em, ascent 1901, descent -483.
        assert!((em(100.0, false) - 100.0 * 2048.0 / 2384.0).abs() < 0.01);
        assert!((px_scale(em(31.0, true), true).y - 31.0).abs() < 1e-3);
    }

    #[test]
    fn shaped_width_is_the_sum_of_advances_for_latin() {
        // "Gao" has no kerning pair in DejaVu Sans: the width is the plain advances.
        let f = face(false).unwrap();
        let plain: f32 = "Gao"
            .chars()
            .map(|c| f.h_advance_unscaled(f.glyph_id(c)))
            .sum();
        let w = text_width("Gao", 20.0, false);
        assert!((w - plain * px_per_unit(em(20.0, false), false)).abs() < 0.01);
    }

    #[test]
    fn arabic_is_joined_and_right_to_left() {
        // تمبكتو (Timbuktu): shaping picks contextual forms, so the glyphs differ from the
        // isolated forms, and the last letter comes first on the page.
        let shaped = shape("تمبكتو", false);
        let f = face(false).unwrap();
        let isolated: Vec<u16> = "تمبكتو".chars().map(|c| f.glyph_id(c).0).collect();
        let drawn: Vec<u16> = shaped.glyphs.iter().map(|g| g.id).collect();
        assert_eq!(drawn.len(), isolated.len());
        assert_ne!(drawn, isolated, "contextual forms were chosen");
        // Visual order: the last letter is leftmost, the first rightmost.
        assert!(
            shaped
                .glyphs
                .windows(2)
                .all(|w| w[0].cluster > w[1].cluster),
            "the line is not right to left"
        );
        assert!(shaped.glyphs.windows(2).all(|w| w[0].x <= w[1].x));
    }

    #[test]
    fn mixed_text_keeps_each_run_in_its_own_order() {
        // A Latin caption ending in an Arabic name: the Latin reads left to right, then the
        // Arabic run, right to left (its last letter leftmost).
        let text = "Siege of زندا";
        let shaped = shape(text, false);
        let arabic_from = text.find('ز').unwrap() as u32;
        let (latin, arabic): (Vec<&PlacedGlyph>, Vec<&PlacedGlyph>) =
            shaped.glyphs.iter().partition(|g| g.cluster < arabic_from);
        assert!(latin.windows(2).all(|w| w[0].cluster < w[1].cluster));
        assert!(arabic.windows(2).all(|w| w[0].cluster > w[1].cluster));
        let last_latin = latin.iter().map(|g| g.x).fold(f32::MIN, f32::max);
        assert!(
            arabic.iter().all(|g| g.x > last_latin),
            "the Arabic comes after"
        );
    }
}
