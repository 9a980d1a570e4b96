//! Opaque frames as PNGs of bands: each band of [`BAND_ROWS`] rows is filtered, compressed
//! and wrapped in an IDAT chunk of its own, so a frame that differs from a cached one in a few
//! rows (an animation's date line and timeline cursor) re-encodes only their bands and copies
//! the cached chunks of the rest.

use tiny_skia::Pixmap;

use super::deflate::{BlockWriter, FINAL_BLOCK, ZLIB_HEADER, adler32, adler32_combine};

/// Rows per band: small enough that a frame's changed rows re-encode little beyond
/// themselves, large enough that a band's fixed cost (about 70 bytes of block header, sync
/// flush and chunk framing) stays near 1% of it.
pub const BAND_ROWS: u32 = 16;

/// One encoded band.
#[derive(Debug, Clone)]
pub struct Band {
    /// The whole IDAT chunk: length, type, compressed blocks, CRC.
    chunk: Vec<u8>,
    /// Adler-32 of the band's filtered bytes.
    adler: u32,
    /// How many filtered bytes it holds.
    raw_len: u64,
}

/// How many bands an image of this height has.
pub fn band_count(height: u32) -> u32 {
    height.div_ceil(BAND_ROWS)
}

/// A chunk of `kind` around `data`.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[4..]);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// Encodes opaque RGBA rows (whole rows, premultiplied: for opaque pixels the same as
/// straight) as one band of RGB scanlines, each with the Sub filter.
pub fn encode_band(rgba: &[u8], width: u32) -> Band {
    let row_bytes = width as usize * 4;
    let mut line = vec![0u8; width as usize * 3 + 1];
    // Sub: each byte minus the same channel of the pixel to its left.
    line[0] = 1;
    // The chunk's length and type go first; filled in once the size is known.
    let mut w = BlockWriter::new(b"\0\0\0\0IDAT".to_vec());
    let (mut adler, mut raw_len) = (1u32, 0u64);
    for row in rgba.chunks_exact(row_bytes) {
        sub_filter(row, &mut line[1..]);
        w.write(&line);
        adler = adler32(adler, &line);
        raw_len += line.len() as u64;
    }
    let mut out = w.finish();
    let len = (out.len() - 8) as u32;
    out[..4].copy_from_slice(&len.to_be_bytes());
    let crc = crc32fast::hash(&out[4..]);
    out.extend_from_slice(&crc.to_be_bytes());
    Band {
        chunk: out,
        adler,
        raw_len,
    }
}

/// The Sub filter of an RGBA row as RGB: each channel minus the same channel of the pixel to
/// its left. Worked a pixel at a time in a u32, each byte's borrow kept from its neighbour.
fn sub_filter(row: &[u8], out: &mut [u8]) {
    let mut left = 0u32;
    for (o, px) in out.chunks_exact_mut(3).zip(row.chunks_exact(4)) {
        let p = u32::from_le_bytes([px[0], px[1], px[2], px[3]]);
        // Bytewise p - left: subtract with every byte's top bit forced, then fix the top bits.
        let d = ((p | 0x8080_8080).wrapping_sub(left & 0x7F7F_7F7F)) ^ ((p ^ !left) & 0x8080_8080);
        o.copy_from_slice(&d.to_le_bytes()[..3]);
        left = p;
    }
}

/// Encodes every band of an opaque pixmap, one after another: the frame renderer encodes under
/// its locks, where a rayon worker waiting on parallel bands could take up another frame's task
/// that waits for the same lock.
pub fn encode_bands(pixmap: &Pixmap) -> Vec<Band> {
    pixmap
        .data()
        .chunks(band_bytes(pixmap))
        .map(|rows| encode_band(rows, pixmap.width()))
        .collect()
}

/// [`encode_bands`] with the bands compressed in parallel, for callers that hold no lock.
pub fn encode_bands_in_parallel(pixmap: &Pixmap) -> Vec<Band> {
    use rayon::prelude::*;
    pixmap
        .data()
        .par_chunks(band_bytes(pixmap))
        .map(|rows| encode_band(rows, pixmap.width()))
        .collect()
}

/// The bytes of a band of a pixmap's rows.
fn band_bytes(pixmap: &Pixmap) -> usize {
    pixmap.width() as usize * 4 * BAND_ROWS as usize
}

/// A PNG (8-bit RGB) of `width` x `height` from its bands in order, with `extra` chunks
/// (already framed: `sRGB`, `pHYs`, text) after the header.
pub fn assemble<'a>(
    width: u32,
    height: u32,
    extra: &[u8],
    bands: impl IntoIterator<Item = &'a Band> + Clone,
) -> Vec<u8> {
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let size: usize = bands.clone().into_iter().map(|b| b.chunk.len()).sum();
    let mut out = Vec::with_capacity(size + extra.len() + 100);
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend_from_slice(extra);
    out.extend(chunk(b"IDAT", &ZLIB_HEADER));
    let mut adler = 1;
    for b in bands {
        out.extend_from_slice(&b.chunk);
        adler = adler32_combine(adler, b.adler, b.raw_len);
    }
    let mut tail = FINAL_BLOCK.to_vec();
    tail.extend_from_slice(&adler.to_be_bytes());
    out.extend(chunk(b"IDAT", &tail));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// A PNG with `extra` chunks (framed) inserted right after its header, where [`assemble`]
/// puts them.
pub fn with_chunks(png: Vec<u8>, extra: &[u8]) -> Vec<u8> {
    // The 8-byte signature, then IHDR: length, type, 13 bytes, CRC.
    let header_end = 8 + 4 + 4 + 13 + 4;
    if extra.is_empty() || png.len() < header_end {
        return png;
    }
    let mut out = Vec::with_capacity(png.len() + extra.len());
    out.extend_from_slice(&png[..header_end]);
    out.extend_from_slice(extra);
    out.extend_from_slice(&png[header_end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut r = ::png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, ::png::ColorType::Rgb);
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    /// An opaque pixmap with flat areas, edges and noise, of a height that is not a whole
    /// number of bands.
    fn sample(w: u32, h: u32) -> Pixmap {
        let mut p = Pixmap::new(w, h).unwrap();
        for (i, px) in p.data_mut().chunks_exact_mut(4).enumerate() {
            let (x, y) = (i as u32 % w, i as u32 / w);
            let v = if x < w / 3 {
                200
            } else if y % 7 == 0 {
                (x * 13 + y * 7) as u8
            } else {
                (x / 5) as u8
            };
            px.copy_from_slice(&[v, v.wrapping_mul(3), 255 - v, 255]);
        }
        p
    }

    #[test]
    fn banded_png_decodes_to_the_pixels_the_png_encoder_gets() {
        let p = sample(301, 3 * BAND_ROWS + 5);
        let banded = assemble(p.width(), p.height(), &[], &encode_bands(&p));
        let old = super::super::png::encode_png_rgb(
            p.width(),
            p.height(),
            &super::super::png::rgb_bytes(&p),
        )
        .unwrap();
        assert_eq!(decode(&banded), decode(&old));
        assert_eq!(
            decode(&banded).2,
            super::super::png::rgb_bytes(&p),
            "the decoded pixels are the pixmap's"
        );
    }

    #[test]
    fn extra_chunks_follow_the_header_in_both_encoders() {
        let p = sample(20, 20);
        let extra = chunk(b"sRGB", &[0]);
        let banded = assemble(20, 20, &extra, &encode_bands(&p));
        let rgb = super::super::png::rgb_bytes(&p);
        let whole = with_chunks(
            super::super::png::encode_png_rgb(20, 20, &rgb).unwrap(),
            &extra,
        );
        for png in [&banded, &whole] {
            assert_eq!(&png[33..33 + extra.len()], &extra[..]);
            assert_eq!(decode(png).2, super::super::png::rgb_bytes(&p));
        }
    }

    #[test]
    fn a_band_re_encoded_alone_replaces_its_cached_one() {
        let p = sample(64, 2 * BAND_ROWS);
        let mut q = p.clone();
        q.data_mut()[64 * 4 * 20 + 8] = 7;
        let mut bands = encode_bands(&p);
        let rows = 64 * 4 * BAND_ROWS as usize;
        bands[1] = encode_band(&q.data()[rows..], 64);
        let png = assemble(64, 2 * BAND_ROWS, &[], &bands);
        assert_eq!(decode(&png).2, super::super::png::rgb_bytes(&q));
    }
}
