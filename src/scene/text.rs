//! Text metrics from the embedded DejaVu Sans, so that layout matches what the renderers draw.

use ab_glyph::{Font, FontRef, ScaleFont};
use std::sync::OnceLock;

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

/// The advance width of `text` at `size` pixels, measured the way plotters lays it out.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let Some(font) = face(bold) else {
        return text.chars().count() as f32 * size * 0.6;
    };
    let font = font.as_scaled(size);
    let mut width = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let g = font.glyph_id(c);
        width += font.h_advance(g);
        if let Some(p) = prev {
            width += font.kern(p, g);
        }
        prev = Some(g);
    }
    width
}

/// Height above the baseline of capital letters at `size` pixels.
pub fn cap_height(size: f32) -> f32 {
    size * 0.73
}
