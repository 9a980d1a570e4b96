//! Colours as datasets write them (`#RRGGBB`) and as scenes use them (RGBA).

use std::fmt;

/// An sRGB colour with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgba {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
    /// Opacity, 255 opaque.
    pub a: u8,
}

impl Rgba {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Rgba { r, g, b, a: 255 }
    }

    /// Parses `#RRGGBB` or `#RRGGBBAA`.
    ///
    /// ```
    /// use controlmap::colour::Rgba;
    /// assert_eq!(Rgba::parse_hex("#D55E00"), Ok(Rgba::rgb(0xD5, 0x5E, 0x00)));
    /// assert!(Rgba::parse_hex("red").is_err());
    /// ```
    pub fn parse_hex(text: &str) -> Result<Self, String> {
        let hex = text
            .strip_prefix('#')
            .filter(|h| (h.len() == 6 || h.len() == 8) && h.bytes().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| format!("'{text}' is not a colour of the form #RRGGBB"))?;
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
        let a = if hex.len() == 8 { byte(6) } else { 255 };
        Ok(Rgba {
            r: byte(0),
            g: byte(2),
            b: byte(4),
            a,
        })
    }

    /// The same colour with another opacity.
    pub fn with_alpha(self, a: u8) -> Self {
        Rgba { a, ..self }
    }

    /// Linear interpolation towards `other` (t = 0 gives self, 1 gives other), alpha included.
    pub fn mix(self, other: Rgba, t: f32) -> Rgba {
        let t = t.clamp(0.0, 1.0);
        let l = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
        Rgba {
            r: l(self.r, other.r),
            g: l(self.g, other.g),
            b: l(self.b, other.b),
            a: l(self.a, other.a),
        }
    }

    /// Relative luminance (0 black to 1 white), for choosing readable text over a fill.
    pub fn luminance(self) -> f32 {
        let lin = |c: u8| {
            let c = f32::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)
    }

    /// `#rrggbb`, as SVG writes it.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

impl fmt::Display for Rgba {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}
