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
        let lin = |c: u8| linear(c) as f32;
        0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)
    }

    /// `#rrggbb`, as SVG writes it.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// An sRGB channel in linear light (0 to 1).
fn linear(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// CIELAB under D65 (L* 0 to 100), as CIEDE2000 takes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lab {
    /// Lightness.
    pub l: f64,
    /// Green (negative) to red (positive).
    pub a: f64,
    /// Blue (negative) to yellow (positive).
    pub b: f64,
}

impl Rgba {
    /// The colour in CIELAB (sRGB, D65 white), alpha ignored.
    pub fn lab(self) -> Lab {
        let (r, g, b) = (linear(self.r), linear(self.g), linear(self.b));
        let x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
        let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
        let z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
        let f = |t: f64| {
            if t > 216.0 / 24389.0 {
                t.cbrt()
            } else {
                (24389.0 / 27.0 * t + 16.0) / 116.0
            }
        };
        let (fx, fy, fz) = (f(x), f(y), f(z));
        Lab {
            l: 116.0 * fy - 16.0,
            a: 500.0 * (fx - fy),
            b: 200.0 * (fy - fz),
        }
    }

    /// The CIEDE2000 colour difference to `other` (about 1 is just noticeable side by side;
    /// alpha ignored).
    ///
    /// ```
    /// use controlmap::colour::Rgba;
    /// let yellow = Rgba::rgb(0xF0, 0xE4, 0x42);
    /// assert_eq!(yellow.delta_e(yellow), 0.0);
    /// assert!(yellow.delta_e(Rgba::rgb(0xE8, 0xDC, 0x40)) < 3.0);
    /// ```
    pub fn delta_e(self, other: Rgba) -> f64 {
        delta_e_2000(self.lab(), other.lab())
    }
}

/// CIEDE2000 (Sharma, Wu and Dalal 2005), with kL = kC = kH = 1.
pub fn delta_e_2000(p: Lab, q: Lab) -> f64 {
    use std::f64::consts::PI;
    let deg = |r: f64| r * 180.0 / PI;
    let rad = |d: f64| d * PI / 180.0;
    let c1 = p.a.hypot(p.b);
    let c2 = q.a.hypot(q.b);
    let cm = (c1 + c2) / 2.0;
    let g = 0.5 * (1.0 - (cm.powi(7) / (cm.powi(7) + 25f64.powi(7))).sqrt());
    let (a1, a2) = ((1.0 + g) * p.a, (1.0 + g) * q.a);
    let (c1, c2) = (a1.hypot(p.b), a2.hypot(q.b));
    let hue = |b: f64, a: f64| {
        if a == 0.0 && b == 0.0 {
            0.0
        } else {
            deg(b.atan2(a)).rem_euclid(360.0)
        }
    };
    let (h1, h2) = (hue(p.b, a1), hue(q.b, a2));
    let dl = q.l - p.l;
    let dc = c2 - c1;
    let dh = if c1 * c2 == 0.0 {
        0.0
    } else if (h2 - h1).abs() <= 180.0 {
        h2 - h1
    } else if h2 - h1 > 180.0 {
        h2 - h1 - 360.0
    } else {
        h2 - h1 + 360.0
    };
    let dhh = 2.0 * (c1 * c2).sqrt() * rad(dh / 2.0).sin();
    let lm = (p.l + q.l) / 2.0;
    let cm = (c1 + c2) / 2.0;
    let hm = if c1 * c2 == 0.0 {
        h1 + h2
    } else if (h1 - h2).abs() <= 180.0 {
        (h1 + h2) / 2.0
    } else if h1 + h2 < 360.0 {
        (h1 + h2 + 360.0) / 2.0
    } else {
        (h1 + h2 - 360.0) / 2.0
    };
    let t = 1.0 - 0.17 * rad(hm - 30.0).cos()
        + 0.24 * rad(2.0 * hm).cos()
        + 0.32 * rad(3.0 * hm + 6.0).cos()
        - 0.20 * rad(4.0 * hm - 63.0).cos();
    let dtheta = 30.0 * (-((hm - 275.0) / 25.0).powi(2)).exp();
    let rc = 2.0 * (cm.powi(7) / (cm.powi(7) + 25f64.powi(7))).sqrt();
    let sl = 1.0 + 0.015 * (lm - 50.0).powi(2) / (20.0 + (lm - 50.0).powi(2)).sqrt();
    let sc = 1.0 + 0.045 * cm;
    let sh = 1.0 + 0.015 * cm * t;
    let rt = -rad(2.0 * dtheta).sin() * rc;
    let (tl, tc, th) = (dl / sl, dc / sc, dhh / sh);
    (tl * tl + tc * tc + th * th + rt * tc * th).sqrt()
}

impl fmt::Display for Rgba {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ciede2000_matches_sharmas_test_pairs() {
        // Pairs 1, 7, 17 and 25 of Sharma, Wu and Dalal's table.
        for (p, q, want) in [
            ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
            ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
            ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
            (
                (60.2574, -34.0099, 36.2677),
                (60.4626, -34.1751, 39.4387),
                1.2644,
            ),
        ] {
            let lab = |(l, a, b): (f64, f64, f64)| Lab { l, a, b };
            let got = delta_e_2000(lab(p), lab(q));
            assert!((got - want).abs() < 1e-4, "{p:?} {q:?}: {got} not {want}");
        }
    }

    #[test]
    fn white_is_lightness_100() {
        let w = Rgba::rgb(255, 255, 255).lab();
        assert!(
            (w.l - 100.0).abs() < 1e-3 && w.a.abs() < 1e-3 && w.b.abs() < 1e-3,
            "{w:?}"
        );
    }
}
