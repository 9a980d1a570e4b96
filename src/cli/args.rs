//! Value parsers for flags, so that a bad value names its flag in clap's one-line error.

use std::str::FromStr;

use crate::date::{parse_date, Date, Step};
use crate::render::Format;
use crate::scene::layout::parse_size;

/// A `YYYY-MM-DD` flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateArg(pub Date);

impl FromStr for DateArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        parse_date(s).map(DateArg)
    }
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

/// Label language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
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
