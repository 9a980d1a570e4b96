//! Drawing a [`Scene`]: PNG through plotters over tiny-skia, SVG through a layered writer, and
//! an interactive HTML page of many scenes.

pub mod bands;
pub mod chart;
pub mod colour_check;
pub mod deflate;
mod dirty;
pub mod glyphs;
pub mod html;
mod looks;
pub mod png;
pub mod skia;
pub mod svg;
pub mod walk;

use crate::scene::Scene;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Raster PNG.
    Png,
    /// Editable SVG.
    Svg,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }

    /// Parses `png` or `svg`.
    pub fn parse(text: &str) -> Option<Format> {
        match text.to_ascii_lowercase().as_str() {
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }
}

/// Draws a scene into the bytes of a file of the given format.
pub fn encode(scene: &Scene, format: Format) -> crate::Result<Vec<u8>> {
    match format {
        Format::Png => png::encode_png(&png::draw(scene)?),
        Format::Svg => Ok(svg::write_svg(scene).into_bytes()),
    }
}
