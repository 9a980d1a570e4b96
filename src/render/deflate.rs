//! A deflate encoder for filtered PNG scanlines that writes byte-aligned blocks, so that the
//! compressed bands of a frame can be cached and strung together into one zlib stream.
//!
//! The coding is fdeflate's (the png crate's `Compression::Fast`): one fixed Huffman code
//! tuned for filtered image data, literals and runs of zeros only. fdeflate writes a single
//! block per image and cannot end one on a byte boundary, hence this copy of its code table
//! (fdeflate 0.3.7, MIT OR Apache-2.0, `tables.rs` and `compress.rs`).

/// The zlib header of a stream of these blocks (deflate, 32 KiB window, fastest).
pub const ZLIB_HEADER: [u8; 2] = [0x78, 0x01];

/// An empty final block (fixed Huffman codes, just the end-of-block code): ends the stream.
pub const FINAL_BLOCK: [u8; 2] = [0x03, 0x00];

/// fdeflate's code lengths of the literal/length alphabet.
const LENGTHS: [u8; 286] = [
    2, 3, 4, 5, 5, 6, 6, 7, 7, 7, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 11, 11, 11, 11, 11, 11, 11,
    11, 11, 11, 10, 11, 10, 10, 10, 10, 10, 10, 10, 10, 10, 9, 9, 9, 9, 9, 8, 9, 8, 8, 8, 8, 8, 7,
    7, 7, 6, 6, 6, 5, 4, 3, 12, 12, 12, 9, 9, 11, 10, 11, 11, 10, 11, 11, 11, 11, 11, 11, 12, 11,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 9,
];

/// fdeflate's dynamic block header, which declares [`LENGTHS`] and a one-bit distance code,
/// after the zlib header: 53 bytes and 5 bits. Its first bit (BFINAL) is cleared here, since
/// a band's block is never the last.
const BLOCK_HEADER: [u8; 52] = [
    236, 192, 3, 160, 36, 89, 150, 198, 241, 255, 119, 238, 141, 200, 204, 167, 114, 75, 99, 174,
    109, 219, 182, 109, 219, 182, 109, 219, 182, 109, 105, 140, 158, 150, 74, 175, 158, 50, 51, 34,
    238, 249, 118, 183, 106, 122, 166, 135, 59, 107, 213, 15,
];
/// Bits of the header's last byte that belong to it.
const BLOCK_HEADER_LAST_BITS: u8 = 5;

/// Canonical codes (bit-reversed, as deflate writes them) of the code lengths.
const CODES: [u16; 286] = canonical_codes(&LENGTHS);

const fn canonical_codes(lengths: &[u8; 286]) -> [u16; 286] {
    let mut codes = [0u16; 286];
    let mut code = 0u32;
    let mut len = 1;
    while len <= 15 {
        let mut i = 0;
        while i < lengths.len() {
            if lengths[i] == len {
                codes[i] = (code as u16).reverse_bits() >> (16 - len);
                code += 1;
            }
            i += 1;
        }
        code <<= 1;
        len += 1;
    }
    codes
}

/// The length symbol (257..=285) and its extra bits for a match length of 3..=258.
fn length_symbol(length: u32) -> (usize, u32, u8) {
    const BASE: [u32; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    const EXTRA: [u8; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    let k = BASE.partition_point(|&b| b <= length) - 1;
    (257 + k, length - BASE[k], EXTRA[k])
}

/// Writes deflate blocks of filtered scanlines into a byte vector.
pub struct BlockWriter {
    out: Vec<u8>,
    buffer: u64,
    nbits: u8,
}

impl BlockWriter {
    /// Starts a (non-final) block at the end of `out`, which must end on a byte boundary.
    pub fn new(mut out: Vec<u8>) -> BlockWriter {
        out.extend_from_slice(&BLOCK_HEADER[..BLOCK_HEADER.len() - 1]);
        let mut w = BlockWriter {
            out,
            buffer: 0,
            nbits: 0,
        };
        w.bits(
            u64::from(BLOCK_HEADER[BLOCK_HEADER.len() - 1]),
            BLOCK_HEADER_LAST_BITS,
        );
        w
    }

    fn bits(&mut self, bits: u64, nbits: u8) {
        self.buffer |= bits << self.nbits;
        self.nbits += nbits;
        if self.nbits >= 64 {
            self.out.extend_from_slice(&self.buffer.to_le_bytes());
            self.nbits -= 64;
            self.buffer = bits.checked_shr(u32::from(nbits - self.nbits)).unwrap_or(0);
        }
    }

    fn literal(&mut self, b: u8) {
        self.bits(u64::from(CODES[usize::from(b)]), LENGTHS[usize::from(b)]);
    }

    /// A run of `run` zero bytes: a literal zero, then copies of it at distance 1.
    fn zeros(&mut self, mut run: u32) {
        self.literal(0);
        run -= 1;
        while run >= 258 {
            // Length 258, then the one-bit distance code 0 (distance 1).
            self.bits(u64::from(CODES[285]), LENGTHS[285] + 1);
            run -= 258;
        }
        if run >= 3 {
            let (sym, extra, extra_bits) = length_symbol(run);
            self.bits(u64::from(CODES[sym]), LENGTHS[sym]);
            self.bits(u64::from(extra), extra_bits + 1);
        } else {
            for _ in 0..run {
                self.literal(0);
            }
        }
    }

    /// Compresses bytes (a scanline with its filter byte): zeros are run-length coded, and
    /// other bytes are coded four at a time, as fdeflate does.
    pub fn write(&mut self, data: &[u8]) {
        let mut run = 0u32;
        let mut chunks = data.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            if word == 0 {
                run += 8;
                continue;
            }
            // Leading zero bytes of the chunk continue a run; trailing ones start the next.
            let head = word.trailing_zeros() / 8;
            let tail = if head > 0 || run > 0 {
                let tail = word.leading_zeros() / 8;
                if run + head > 0 {
                    self.zeros(run + head);
                }
                for &b in &chunk[head as usize..8 - tail as usize] {
                    self.literal(b);
                }
                tail
            } else {
                let tail = word.leading_zeros() / 8;
                if tail > 0 {
                    for &b in &chunk[..8 - tail as usize] {
                        self.literal(b);
                    }
                } else {
                    self.four(&chunk[..4]);
                    self.four(&chunk[4..]);
                }
                tail
            };
            run = tail;
        }
        for &b in chunks.remainder() {
            if b == 0 {
                run += 1;
                continue;
            }
            if run > 0 {
                self.zeros(run);
                run = 0;
            }
            self.literal(b);
        }
        if run > 0 {
            self.zeros(run);
        }
    }

    /// Four literals at once (at most 48 bits).
    fn four(&mut self, b: &[u8]) {
        let n = |k: usize| LENGTHS[usize::from(b[k])];
        let c = |k: usize| u64::from(CODES[usize::from(b[k])]);
        let (n0, n1, n2, n3) = (n(0), n(1), n(2), n(3));
        let bits = c(0) | c(1) << n0 | c(2) << (n0 + n1) | c(3) << (n0 + n1 + n2);
        self.bits(bits, n0 + n1 + n2 + n3);
    }

    /// Ends the block, then aligns to a byte with an empty stored block (a zlib sync flush), so
    /// the next block may be copied in after it.
    pub fn finish(mut self) -> Vec<u8> {
        self.bits(u64::from(CODES[256]), LENGTHS[256]);
        // A stored block's header (BFINAL 0, BTYPE 00), then padding to the byte.
        self.bits(0, 3);
        let bytes = usize::from(self.nbits.div_ceil(8));
        self.out
            .extend_from_slice(&self.buffer.to_le_bytes()[..bytes]);
        self.out.extend_from_slice(&[0x00, 0x00, 0xFF, 0xFF]);
        self.out
    }
}

const ADLER_MOD: u32 = 65521;

/// The Adler-32 of `data` continued from `adler` (start from 1).
pub fn adler32(adler: u32, data: &[u8]) -> u32 {
    let mut h = simd_adler32::Adler32::from_checksum(adler);
    h.write(data);
    h.finish()
}

/// The Adler-32 of two byte strings one after the other, from theirs and the second's length
/// (zlib's `adler32_combine`).
pub fn adler32_combine(first: u32, second: u32, second_len: u64) -> u32 {
    let rem = (second_len % u64::from(ADLER_MOD)) as u32;
    let a1 = first & 0xFFFF;
    let b1 = first >> 16;
    let a2 = second & 0xFFFF;
    let b2 = second >> 16;
    let mut a = a1 + a2 + ADLER_MOD - 1;
    let mut b = ((u64::from(rem) * u64::from(a1)) % u64::from(ADLER_MOD)) as u32;
    b += b1 + b2 + ADLER_MOD - rem;
    while a >= ADLER_MOD {
        a -= ADLER_MOD;
    }
    while b >= ADLER_MOD {
        b -= ADLER_MOD;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(stream: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(stream)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn blocks(parts: &[&[u8]]) -> Vec<u8> {
        let mut stream = ZLIB_HEADER.to_vec();
        let mut adler = 1;
        for p in parts {
            let mut w = BlockWriter::new(Vec::new());
            w.write(p);
            stream.extend(w.finish());
            adler = adler32_combine(adler, adler32(1, p), p.len() as u64);
        }
        stream.extend_from_slice(&FINAL_BLOCK);
        stream.extend_from_slice(&adler.to_be_bytes());
        stream
    }

    #[test]
    fn blocks_strung_together_inflate_to_their_bytes() {
        let mut long_runs = vec![0u8; 1000];
        long_runs[517] = 9;
        long_runs.extend([1, 0, 0, 255, 0, 0, 0, 7]);
        let mixed: Vec<u8> = (0..5000u32).map(|i| (i * i % 7) as u8).collect();
        let parts: [&[u8]; 5] = [&long_runs, &mixed, &[], &[0], &[0, 0, 0, 3]];
        let all: Vec<u8> = parts.concat();
        assert_eq!(inflate(&blocks(&parts)), all);
        for n in [1, 2, 3, 4, 5, 257, 258, 259, 260, 261, 516, 517, 600] {
            let zeros = vec![0u8; n];
            assert_eq!(inflate(&blocks(&[&zeros, &[4]])).len(), n + 1, "run of {n}");
        }
    }

    #[test]
    fn adler_of_parts_combines_to_the_whole() {
        let data: Vec<u8> = (0..20000u32).map(|i| (i * 31 % 251) as u8).collect();
        let whole = adler32(1, &data);
        for cut in [0, 1, 5552, 12345, 20000] {
            let (a, b) = data.split_at(cut);
            let combined = adler32_combine(adler32(1, a), adler32(1, b), b.len() as u64);
            assert_eq!(combined, whole, "cut at {cut}");
        }
        assert_eq!(adler32(1, b"Wikipedia"), 0x11E6_0398);
    }
}
