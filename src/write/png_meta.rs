//! What a PNG says about itself: its colour space (`sRGB`), its print resolution (`pHYs`) and
//! its Title, Description (the alt text) and Copyright (the credit) as UTF-8 `iTXt` chunks,
//! inserted after the header of an encoded PNG.

/// The print resolution used unless another is asked for.
pub const DEFAULT_DPI: u32 = crate::scene::style::SCREEN_DPI;

/// Text and resolution to record in a PNG.
#[derive(Debug, Clone, Default)]
pub struct PngMeta {
    /// Dots per inch for printing.
    pub dpi: u32,
    /// `Title`.
    pub title: String,
    /// `Description`: the alt text.
    pub description: String,
    /// `Copyright`: the credit line.
    pub copyright: String,
}

impl PngMeta {
    /// Title, description and copyright at the default resolution.
    pub fn new(title: &str, description: &str, copyright: &str) -> PngMeta {
        PngMeta {
            dpi: DEFAULT_DPI,
            title: title.to_string(),
            description: description.to_string(),
            copyright: copyright.trim().to_string(),
        }
    }
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

fn itxt(keyword: &str, text: &str) -> Vec<u8> {
    // keyword, NUL, compression flag 0, method 0, empty language tag, NUL, empty translated
    // keyword, NUL, UTF-8 text. Control characters other than LF are left out.
    let mut data = keyword.as_bytes().to_vec();
    data.extend_from_slice(&[0, 0, 0, 0, 0]);
    let clean: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    data.extend_from_slice(clean.as_bytes());
    chunk(b"iTXt", &data)
}

/// Adds `sRGB`, `pHYs` and the text chunks to an encoded PNG (right after `IHDR`). Bytes that
/// are not a PNG are returned as they are.
pub fn annotate(png: Vec<u8>, meta: &PngMeta) -> Vec<u8> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    // IHDR is always first: 8 signature bytes, then length 13, "IHDR", 13 bytes, CRC.
    let ihdr_end = SIGNATURE.len() + 4 + 4 + 13 + 4;
    if !png.starts_with(SIGNATURE) || png.len() < ihdr_end || &png[12..16] != b"IHDR" {
        return png;
    }
    let extra = chunks(meta);
    let mut out = Vec::with_capacity(png.len() + extra.len());
    out.extend_from_slice(&png[..ihdr_end]);
    out.extend(extra);
    out.extend_from_slice(&png[ihdr_end..]);
    out
}

/// The `sRGB`, `pHYs` and text chunks [`annotate`] adds, framed, for a PNG written with them.
pub fn chunks(meta: &PngMeta) -> Vec<u8> {
    let mut extra = chunk(b"sRGB", &[0]);
    // Pixels per metre, unit 1 (metre).
    let ppm = (f64::from(meta.dpi.max(1)) / 0.0254).round() as u32;
    let mut phys = ppm.to_be_bytes().to_vec();
    phys.extend_from_slice(&ppm.to_be_bytes());
    phys.push(1);
    extra.extend(chunk(b"pHYs", &phys));
    for (k, v) in [
        ("Title", &meta.title),
        ("Description", &meta.description),
        ("Copyright", &meta.copyright),
    ] {
        if !v.is_empty() {
            extra.extend(itxt(k, v));
        }
    }
    extra
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crc_is_the_png_one() {
        // The CRC of an IEND chunk's type is the well-known AE 42 60 82.
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }
}
