//! A dataset's shaded relief (`[files] relief`): a greyscale PNG in plate carrée over the
//! manifest's `[relief] bounds`, 128 for flat ground, darker for shade, lighter for lit slopes.
//!
//! The raster is read once with the dataset; the scene resamples it into each layout's pixel
//! grid ([`crate::scene::layers::relief`]).

use std::sync::Arc;

use super::problem::Problems;

/// The grey that means flat ground: no change to the colours under it.
pub const FLAT: u8 = 128;

/// Pixels per degree may differ this much (relatively) across and down before the raster is
/// refused: plate carrée pixels are square in degrees.
const SQUARE_TOLERANCE: f64 = 0.01;

/// A shaded relief raster with its place on the globe.
#[derive(Debug, Clone, PartialEq)]
pub struct Relief {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// West, south, east, north edges of the raster, in degrees.
    pub bounds: [f64; 4],
    /// One grey byte per pixel, rows from north to south.
    pub grey: Arc<Vec<u8>>,
}

impl Relief {
    /// The grey at a longitude and latitude, interpolated between pixel centres; `None`
    /// outside the raster.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use controlmap::dataset::relief::Relief;
    /// let r = Relief { width: 2, height: 1, bounds: [0.0, 0.0, 2.0, 1.0],
    ///                  grey: Arc::new(vec![100, 200]) };
    /// assert_eq!(r.grey_at(1.0, 0.5), Some(150.0));
    /// assert_eq!(r.grey_at(-1.0, 0.5), None);
    /// ```
    pub fn grey_at(&self, lon: f64, lat: f64) -> Option<f32> {
        let [west, south, east, north] = self.bounds;
        if !(west..=east).contains(&lon) || !(south..=north).contains(&lat) {
            return None;
        }
        let (w, h) = (self.width as usize, self.height as usize);
        let fx = ((lon - west) / (east - west) * w as f64 - 0.5).clamp(0.0, (w - 1) as f64);
        let fy = ((north - lat) / (north - south) * h as f64 - 0.5).clamp(0.0, (h - 1) as f64);
        let (x0, y0) = (fx.floor() as usize, fy.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
        let (tx, ty) = ((fx - x0 as f64) as f32, (fy - y0 as f64) as f32);
        let g = |x: usize, y: usize| f32::from(self.grey[y * w + x]);
        let top = g(x0, y0) * (1.0 - tx) + g(x1, y0) * tx;
        let bottom = g(x0, y1) * (1.0 - tx) + g(x1, y1) * tx;
        Some(top * (1.0 - ty) + bottom * ty)
    }
}

/// Decodes a relief PNG (any PNG colour type; colour is reduced to its mean grey) and checks
/// that its shape fits its bounds. Problems are recorded at `file`, or at the manifest line
/// of the bounds for a shape that does not fit them.
pub fn parse_relief(
    bytes: &[u8],
    bounds: [f64; 4],
    file: &str,
    problems: &mut Problems,
) -> Option<Relief> {
    let grey = match decode_grey(bytes) {
        Ok(g) => g,
        Err(e) => {
            problems.error(file, None, format!("not a readable PNG image: {e}"));
            return None;
        }
    };
    let (width, height, grey) = grey;
    let [west, south, east, north] = bounds;
    let across = f64::from(width) / (east - west);
    let down = f64::from(height) / (north - south);
    if width < 2 || height < 2 || (across - down).abs() > SQUARE_TOLERANCE * across.max(down) {
        problems.error(
            file,
            None,
            format!(
                "{width}x{height} pixels do not fit [relief] bounds of {}x{} degrees: \
                 {across:.2} pixels per degree across but {down:.2} down (plate carrée pixels are square)",
                east - west,
                north - south
            ),
        );
        return None;
    }
    Some(Relief {
        width,
        height,
        bounds,
        grey: Arc::new(grey),
    })
}

/// The PNG's pixels as one grey byte each.
fn decode_grey(bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let size = reader
        .output_buffer_size()
        .ok_or("the image is too large")?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let rows = buf[..info.buffer_size()].chunks_exact(info.line_size);
    if rows.len() != h || info.line_size < w * channels {
        return Err("the image data is shorter than its header says".into());
    }
    // A grey image is its own answer, row for row; otherwise each pixel is reduced to one byte.
    let grey = if channels == 1 && info.line_size == w {
        buf.truncate(w * h);
        buf
    } else {
        let mut grey = Vec::with_capacity(w * h);
        for row in rows {
            grey.extend(
                row[..w * channels]
                    .chunks_exact(channels)
                    .map(|px| match channels {
                        1 | 2 => px[0],
                        _ => {
                            ((u16::from(px[0]) + u16::from(px[1]) + u16::from(px[2]) + 1) / 3) as u8
                        }
                    }),
            );
        }
        grey
    };
    let (w, h) = (info.width, info.height);
    Ok((w, h, grey))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(w: u32, h: u32, grey: &[u8]) -> Vec<u8> {
        png_in(png::ColorType::Grayscale, png::BitDepth::Eight, w, h, grey)
    }

    fn png_in(
        colour: png::ColorType,
        depth: png::BitDepth,
        w: u32,
        h: u32,
        grey: &[u8],
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(colour);
        enc.set_depth(depth);
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(grey).unwrap();
        wr.finish().unwrap();
        out
    }

    #[test]
    fn a_grey_png_is_read_with_its_bounds() {
        let mut p = Problems::default();
        let r = parse_relief(
            &png_of(4, 2, &[1, 2, 3, 4, 5, 6, 7, 8]),
            [0.0, 0.0, 2.0, 1.0],
            "r.png",
            &mut p,
        )
        .unwrap();
        assert_eq!((r.width, r.height, r.grey[5]), (4, 2, 6));
        assert_eq!(p.error_count(), 0);
        // The north-west pixel's centre.
        assert_eq!(r.grey_at(0.25, 0.75), Some(1.0));
    }

    /// Colour is reduced to the mean of its channels, alpha is ignored, and 16-bit and 4-bit
    /// greys come out as 8-bit bytes, row after row.
    #[test]
    fn every_png_colour_type_is_read_as_one_grey_byte_per_pixel() {
        use png::{BitDepth, ColorType};
        let (w, h) = (3, 2);
        for (colour, depth, data, want) in [
            (
                ColorType::Grayscale,
                BitDepth::Eight,
                vec![10, 20, 30, 40, 50, 60],
                vec![10, 20, 30, 40, 50, 60],
            ),
            (
                ColorType::GrayscaleAlpha,
                BitDepth::Eight,
                vec![10, 255, 20, 0, 30, 9, 40, 1, 50, 2, 60, 3],
                vec![10, 20, 30, 40, 50, 60],
            ),
            (
                ColorType::Rgb,
                BitDepth::Eight,
                vec![
                    0, 0, 2, 10, 20, 30, 255, 255, 255, 1, 1, 2, 9, 9, 9, 100, 0, 0,
                ],
                // (0 + 0 + 2) / 3 rounds to 1: the mean is rounded, not cut.
                vec![1, 20, 255, 1, 9, 33],
            ),
            (
                ColorType::Rgba,
                BitDepth::Eight,
                vec![
                    0, 0, 3, 0, 10, 20, 30, 7, 255, 255, 255, 255, 1, 1, 2, 0, 9, 9, 9, 0, 100, 0,
                    0, 0,
                ],
                vec![1, 20, 255, 1, 9, 33],
            ),
            (
                ColorType::Grayscale,
                BitDepth::Sixteen,
                vec![10, 99, 20, 0, 30, 1, 40, 2, 50, 3, 60, 4],
                vec![10, 20, 30, 40, 50, 60],
            ),
            // Two rows of 3 pixels, 4 bits each, each row padded to a whole byte.
            (
                ColorType::Grayscale,
                BitDepth::Four,
                vec![0x1F, 0x20, 0xA0, 0x30],
                vec![0x11, 0xFF, 0x22, 0xAA, 0x00, 0x33],
            ),
        ] {
            let mut p = Problems::default();
            let r = parse_relief(
                &png_in(colour, depth, w, h, &data),
                [0.0, 0.0, 1.5, 1.0],
                "r.png",
                &mut p,
            )
            .unwrap_or_else(|| panic!("{colour:?} {depth:?}: {:?}", p.first_error()));
            assert_eq!((r.width, r.height), (w, h));
            assert_eq!(*r.grey, want, "{colour:?} {depth:?}");
        }
    }

    #[test]
    fn a_file_that_is_not_a_png_or_does_not_fit_its_bounds_is_an_error() {
        for (bytes, bounds, says) in [
            (
                b"not a png".to_vec(),
                [0.0, 0.0, 2.0, 1.0],
                "not a readable PNG",
            ),
            (png_of(4, 4, &[0; 16]), [0.0, 0.0, 2.0, 1.0], "do not fit"),
        ] {
            let mut p = Problems::default();
            assert!(parse_relief(&bytes, bounds, "r.png", &mut p).is_none());
            let e = p.first_error().unwrap().to_string();
            assert!(e.contains("r.png") && e.contains(says), "{e}");
        }
    }
}
