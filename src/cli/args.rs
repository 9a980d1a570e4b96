//! Value parsers for flags, so that a bad value names its flag in clap's one-line error.

use std::str::FromStr;

use crate::date::{Date, Step, parse_date};
use crate::render::Format;
use crate::scene::layout::MAX_SIDE;
use crate::scene::style::Layout;

/// A `YYYY-MM-DD` flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateArg(pub Date);

impl FromStr for DateArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        parse_date(s).map(DateArg)
    }
}

/// Parses `WxH` for `--size`, `--cell`: a legible map no larger than the renderer allows.
///
/// ```
/// use controlmap::cli::args::parse_size;
/// assert_eq!(parse_size("1280x720"), Ok((1280, 720)));
/// assert!(parse_size("0x720").is_err());
/// assert!(parse_size("20000x720").is_err());
/// ```
pub fn parse_size(text: &str) -> std::result::Result<(u32, u32), String> {
    let bad = || format!("'{text}' is not a size: use WIDTHxHEIGHT in pixels, like 1600x1200");
    let (w, h) = text.trim().split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if w == 0 || h == 0 {
        return Err(format!("'{text}' has a zero side"));
    }
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(format!("'{text}' has a side over {MAX_SIDE} px"));
    }
    if w < 200 || h < 150 {
        return Err(format!(
            "'{text}' is too small for a legible map (at least 200x150)"
        ));
    }
    Ok((w, h))
}

/// A `WIDTHxHEIGHT` flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeArg(pub u32, pub u32);

impl FromStr for SizeArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        parse_size(s).map(|(w, h)| SizeArg(w, h))
    }
}

/// `--layout` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LayoutArg {
    /// A map in an article on a desktop screen (the key in a corner).
    Article,
    /// A map in an article on a phone (the key under the map).
    Mobile,
    /// A square for social posts.
    Square,
    /// A 9:16 frame for stories (the key under the map).
    Vertical,
    /// A map for print (type in points at --dpi).
    Print,
}

impl From<LayoutArg> for Layout {
    fn from(l: LayoutArg) -> Layout {
        match l {
            LayoutArg::Article => Layout::Article,
            LayoutArg::Mobile => Layout::Mobile,
            LayoutArg::Square => Layout::Square,
            LayoutArg::Vertical => Layout::Vertical,
            LayoutArg::Print => Layout::Print,
        }
    }
}

/// The resolution: `--dpi` when given, else 300 for print (a newspaper's) and 144 otherwise
/// (a screen's at twice CSS pixels).
pub fn dpi(dpi: Option<u32>, layout: LayoutArg) -> u32 {
    dpi.unwrap_or(match layout {
        LayoutArg::Print => 300,
        _ => crate::write::png_meta::DEFAULT_DPI,
    })
}

/// The image size: `--size` when given, else the layout's own at `--dpi`, refused (naming
/// `--dpi`) when that is larger than the renderer allows.
pub fn map_size(
    size: Option<SizeArg>,
    layout: Layout,
    dpi: u32,
) -> crate::error::Result<(u32, u32)> {
    if let Some(SizeArg(w, h)) = size {
        return Ok((w, h));
    }
    let (w, h) = layout.default_size(dpi);
    if w < 200 || h < 150 {
        return Err(crate::error::Error::usage_of(
            crate::error::Field::Dpi,
            format!("{dpi} dpi makes a {w}x{h} image, too small for a legible map; give --size"),
        ));
    }
    if w.max(h) > MAX_SIDE {
        return Err(crate::error::Error::usage_of(
            crate::error::Field::Dpi,
            format!(
                "{dpi} dpi makes a {w}x{h} image, larger than {MAX_SIDE} pixels a side; give --size"
            ),
        ));
    }
    Ok((w, h))
}

/// Label language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

impl From<Lang> for crate::lang::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::En => crate::lang::Lang::En,
            Lang::Fr => crate::lang::Lang::Fr,
        }
    }
}

/// `png` or `svg`.
pub fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| format!("'{s}' is not a format: use png or svg"))
}

/// A frame step.
pub fn parse_step(s: &str) -> Result<Step, String> {
    s.parse()
}

/// `--format` of `diff`: table, csv or json.
pub fn parse_diff_format(s: &str) -> Result<crate::commands::analyst::TextFormat, String> {
    use crate::commands::analyst::TextFormat;
    match TextFormat::parse(s) {
        Ok(TextFormat::GeoJson) | Err(_) => {
            Err(format!("'{s}' is not a format: use table, csv or json"))
        }
        Ok(f) => Ok(f),
    }
}

/// An `--out` value: `-` is standard output.
pub fn parse_output(s: &str) -> Result<crate::write::Output, String> {
    if s.is_empty() {
        return Err("give a file name, or - for standard output".into());
    }
    Ok(if s == "-" {
        crate::write::Output::Stdout
    } else {
        crate::write::Output::Path(s.into())
    })
}
