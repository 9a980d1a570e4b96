//! Animated GIF assembly, one frame at a time: each frame is reduced to a fixed palette built
//! from the map's own colours, and only the rectangle that changed since the previous frame is
//! encoded, with unchanged pixels inside it transparent so that they compress to nothing.

use std::borrow::Cow;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::colour::Rgba;
use crate::error::{Error, Result};

/// GIF's limit on a side.
pub const MAX_GIF_SIDE: u32 = 65535;

const TRANSPARENT: u8 = 255;

/// A 255-colour palette: the map's key colours exactly, then a grey ramp and a colour cube for
/// the anti-aliased edges between them.
#[derive(Debug, Clone)]
pub struct Palette {
    colours: Vec<[u8; 3]>,
    lut: Vec<u8>,
}

impl Palette {
    /// Builds a palette around `key` colours (duplicates are dropped; at most 64 are kept).
    pub fn new(key: &[Rgba]) -> Palette {
        let mut colours: Vec<[u8; 3]> = Vec::new();
        for c in key {
            let rgb = [c.r, c.g, c.b];
            if !colours.contains(&rgb) && colours.len() < 64 {
                colours.push(rgb);
            }
        }
        for g in 0..16u8 {
            let v = g * 17;
            if !colours.contains(&[v, v, v]) {
                colours.push([v, v, v]);
            }
        }
        // A colour cube fills the rest, as fine as the space left allows.
        let room = 255 - colours.len();
        let n = (2..=6).rev().find(|n| n * n * n <= room).unwrap_or(2);
        for r in 0..n {
            for g in 0..n {
                for b in 0..n {
                    let s = |k: usize| (k * 255 / (n - 1)) as u8;
                    let c = [s(r), s(g), s(b)];
                    if !colours.contains(&c) && colours.len() < 255 {
                        colours.push(c);
                    }
                }
            }
        }
        // Nearest palette entry for every 5-bit-per-channel colour, so that mapping a pixel is a
        // table lookup.
        let mut lut = vec![0u8; 32 * 32 * 32];
        for (i, slot) in lut.iter_mut().enumerate() {
            let (r, g, b) = ((i >> 10) & 31, (i >> 5) & 31, i & 31);
            let c = [
                (r * 255 / 31) as i32,
                (g * 255 / 31) as i32,
                (b * 255 / 31) as i32,
            ];
            *slot = nearest(&colours, c);
        }
        // Key colours own their bucket, so flat fills keep their exact colour.
        for (k, c) in colours.iter().enumerate().take(key.len().min(64)) {
            lut[bucket(*c)] = k as u8;
        }
        Palette { colours, lut }
    }

    fn index_of(&self, rgb: [u8; 3]) -> u8 {
        self.lut[bucket(rgb)]
    }

    /// Maps RGB bytes to palette indices.
    pub fn quantize(&self, rgb: &[u8]) -> Vec<u8> {
        rgb.chunks_exact(3)
            .map(|p| self.index_of([p[0], p[1], p[2]]))
            .collect()
    }

    fn bytes(&self) -> Vec<u8> {
        let mut b: Vec<u8> = self.colours.iter().flatten().copied().collect();
        b.resize(256 * 3, 0);
        b
    }
}

fn bucket(rgb: [u8; 3]) -> usize {
    (usize::from(rgb[0] >> 3) << 10) | (usize::from(rgb[1] >> 3) << 5) | usize::from(rgb[2] >> 3)
}

fn nearest(colours: &[[u8; 3]], c: [i32; 3]) -> u8 {
    let mut best = (i32::MAX, 0usize);
    for (i, p) in colours.iter().enumerate() {
        let d: i32 = (0..3).map(|k| (i32::from(p[k]) - c[k]).pow(2)).sum();
        if d < best.0 {
            best = (d, i);
        }
    }
    best.1 as u8
}

/// Writes an animated GIF frame by frame; memory holds only the previous frame.
pub struct GifWriter {
    encoder: Option<gif::Encoder<BufWriter<File>>>,
    palette: Palette,
    previous: Option<Vec<u8>>,
    width: u16,
    height: u16,
    delay: u16,
    path: PathBuf,
    tmp: PathBuf,
    frames: usize,
}

impl GifWriter {
    /// Starts a GIF at `path` (written under a temporary name until [`GifWriter::finish`]).
    pub fn create(
        path: &Path,
        width: u32,
        height: u32,
        fps: u32,
        palette: Palette,
    ) -> Result<GifWriter> {
        let (w, h) = check_size(width, height)?;
        let path = &match super::destination(path)? {
            super::Destination::File(p) => p,
            super::Destination::Device(d) => {
                return Err(Error::usage(format!(
                    "{} is a device: a GIF is written to a file",
                    d.display()
                )));
            }
        };
        super::check_parent(path)?;
        super::create_folder_of(path)?;
        let tmp = super::temporary_path(path);
        let file = super::interrupt::create_temporary(&tmp, |t| File::create(t))
            .map_err(|e| Error::io(&tmp, e))?;
        let gif_err = |e: gif::EncodingError| {
            Error::Runtime(format!("{}: GIF encoding failed: {e}", path.display()))
        };
        let mut encoder =
            gif::Encoder::new(BufWriter::new(file), w, h, &palette.bytes()).map_err(gif_err)?;
        encoder.set_repeat(gif::Repeat::Infinite).map_err(gif_err)?;
        let delay = (100 / fps.clamp(1, 100)).max(2) as u16;
        Ok(GifWriter {
            encoder: Some(encoder),
            palette,
            previous: None,
            width: w,
            height: h,
            delay,
            path: path.to_path_buf(),
            tmp,
            frames: 0,
        })
    }

    /// The delay of every frame, in hundredths of a second.
    pub fn delay(&self) -> u16 {
        self.delay
    }

    /// The palette frames must be quantised with before [`GifWriter::push_indices`].
    pub fn palette(&self) -> &Palette {
        &self.palette
    }

    /// Adds a frame already quantised with [`GifWriter::palette`] (lets callers quantise frames
    /// in parallel).
    pub fn push_indices(&mut self, indices: Vec<u8>) -> Result<()> {
        let frame = self.prepare(self.previous.as_deref(), &indices)?;
        self.write_prepared(&frame, indices)
    }

    /// The last frame written, as palette indices.
    pub fn previous(&self) -> Option<&[u8]> {
        self.previous.as_deref()
    }

    /// Builds and LZW-compresses the GIF frame for `indices` following `previous`: only the
    /// rectangle that changed, with unchanged pixels transparent. It touches no state, so
    /// callers may prepare many frames in parallel and write them in order.
    pub fn prepare(&self, previous: Option<&[u8]>, indices: &[u8]) -> Result<gif::Frame<'static>> {
        let (w, h) = (usize::from(self.width), usize::from(self.height));
        if indices.len() != w * h || previous.is_some_and(|p| p.len() != w * h) {
            return Err(Error::Runtime(format!(
                "a GIF frame of {} pixels does not match {w}x{h}",
                indices.len()
            )));
        }
        let mut frame = match previous {
            None => gif::Frame {
                width: self.width,
                height: self.height,
                buffer: Cow::Owned(indices.to_vec()),
                delay: self.delay,
                ..gif::Frame::default()
            },
            Some(prev) => {
                let (x0, y0, x1, y1) = changed_rect(prev, indices, w, h).unwrap_or((0, 0, 1, 1));
                let mut buf = Vec::with_capacity((x1 - x0) * (y1 - y0));
                for y in y0..y1 {
                    for x in x0..x1 {
                        let i = y * w + x;
                        buf.push(if prev[i] == indices[i] {
                            TRANSPARENT
                        } else {
                            indices[i]
                        });
                    }
                }
                gif::Frame {
                    left: x0 as u16,
                    top: y0 as u16,
                    width: (x1 - x0) as u16,
                    height: (y1 - y0) as u16,
                    buffer: Cow::Owned(buf),
                    delay: self.delay,
                    transparent: Some(TRANSPARENT),
                    dispose: gif::DisposalMethod::Keep,
                    ..gif::Frame::default()
                }
            }
        };
        frame.make_lzw_pre_encoded();
        Ok(frame)
    }

    /// Writes a frame from [`GifWriter::prepare`]; `indices` become the new previous frame.
    pub fn write_prepared(&mut self, frame: &gif::Frame<'_>, indices: Vec<u8>) -> Result<()> {
        let Some(enc) = self.encoder.as_mut() else {
            return Err(Error::Runtime("GIF already finished".into()));
        };
        enc.write_lzw_pre_encoded_frame(frame).map_err(|e| {
            Error::Runtime(format!("{}: GIF encoding failed: {e}", self.path.display()))
        })?;
        self.previous = Some(indices);
        self.frames += 1;
        Ok(())
    }

    /// Finishes the file and renames it into place; returns the number of frames.
    pub fn finish(mut self) -> Result<usize> {
        if let Some(enc) = self.encoder.take() {
            let flushed = enc
                .into_inner()
                .map_err(|e| {
                    Error::Runtime(format!("{}: GIF encoding failed: {e}", self.path.display()))
                })
                .and_then(|w| {
                    w.into_inner()
                        .map_err(|e| Error::io(&self.tmp, e.into_error()))
                })
                .and_then(|file| file.sync_data().map_err(|e| Error::io(&self.tmp, e)));
            if let Err(e) = flushed {
                super::interrupt::discard_temporary(&self.tmp);
                return Err(e);
            }
        }
        let renamed = super::interrupt::settle_temporary(&self.tmp, || {
            std::fs::rename(&self.tmp, &self.path)
        });
        if let Err(e) = renamed {
            super::interrupt::discard_temporary(&self.tmp);
            return Err(Error::io(&self.path, e));
        }
        Ok(self.frames)
    }
}

impl Drop for GifWriter {
    fn drop(&mut self) {
        // An unfinished GIF (an error or an interruption) leaves nothing behind.
        if self.encoder.is_some() {
            super::interrupt::discard_temporary(&self.tmp);
        }
    }
}

/// Refuses sizes GIF cannot hold.
pub fn check_size(width: u32, height: u32) -> Result<(u16, u16)> {
    match (u16::try_from(width), u16::try_from(height)) {
        (Ok(w), Ok(h)) if w > 0 && h > 0 => Ok((w, h)),
        _ => Err(Error::usage_of(
            crate::error::Field::Size,
            format!("{width}x{height}: a GIF side cannot exceed {MAX_GIF_SIDE} px"),
        )),
    }
}

/// The bounding box `(x0, y0, x1, y1)` (exclusive ends) of the pixels that differ.
fn changed_rect(a: &[u8], b: &[u8], w: usize, h: usize) -> Option<(usize, usize, usize, usize)> {
    let differs = |y: &usize| a[y * w..(y + 1) * w] != b[y * w..(y + 1) * w];
    let y0 = (0..h).find(differs)?;
    let y1 = (0..h).rev().find(differs).unwrap_or(y0) + 1;
    let (mut x0, mut x1) = (w, 0);
    for y in y0..y1 {
        let (ra, rb) = (&a[y * w..(y + 1) * w], &b[y * w..(y + 1) * w]);
        if let Some(first) = (0..w).find(|&x| ra[x] != rb[x]) {
            x0 = x0.min(first);
            x1 = x1.max((first..w).rev().find(|&x| ra[x] != rb[x]).unwrap_or(first) + 1);
        }
    }
    Some((x0, y0, x1.max(x0 + 1), y1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_colours_are_kept_exactly() {
        let key = [
            Rgba::rgb(0xD5, 0x5E, 0x00),
            Rgba::rgb(0xF0, 0xE4, 0x42),
            Rgba::rgb(0x1B, 0x1B, 0x1B),
        ];
        let p = Palette::new(&key);
        for k in key {
            let i = p.quantize(&[k.r, k.g, k.b])[0];
            assert_eq!(p.colours[usize::from(i)], [k.r, k.g, k.b]);
        }
        assert!(p.colours.len() <= 255);
    }

    #[test]
    fn changed_rect_bounds_the_differences() {
        let a = vec![0u8; 100];
        let mut b = a.clone();
        b[3 * 10 + 4] = 1;
        b[6 * 10 + 2] = 1;
        assert_eq!(changed_rect(&a, &b, 10, 10), Some((2, 3, 5, 7)));
        assert_eq!(changed_rect(&a, &a, 10, 10), None);
    }
}
