//! Ramer–Douglas–Peucker simplification of projected outlines and lines, with geo's `Simplify`
//! answer to the last bit, found with fewer square roots.
//!
//! Every outline a map draws is simplified once per layout, about 20,000 vertices for Mali and
//! its neighbours. geo measures each vertex's distance to the chord with `line_segment_distance`,
//! which calls `hypot` for the chord's length at every vertex: that `hypot` was the largest
//! single cost of laying out a map (2 ms of 5 in projecting the outlines). Here the chord's
//! length is worked out once per scan. A vertex still takes a `hypot` of its own where geo's
//! distance is to an end of the chord: beyond either end, and on a closed ring's first scan,
//! whose chord starts and ends at the same point. Every other step is geo's, in geo's order, so
//! the vertices kept are the same (the tests compare with geo on every outline in the
//! repository).

use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};

/// The fewest vertices a ring keeps: geo's `POLYGON_INITIAL_MIN`.
const RING_MIN: usize = 4;
/// The fewest vertices a line keeps: geo's `LINE_STRING_INITIAL_MIN`.
const LINE_MIN: usize = 2;

/// `geo::Simplify::simplify` of a multipolygon: every ring on its own.
pub fn multi_polygon(mp: &MultiPolygon<f64>, epsilon: f64) -> MultiPolygon<f64> {
    MultiPolygon::new(mp.0.iter().map(|p| polygon(p, epsilon)).collect())
}

/// `geo::Simplify::simplify` of a polygon: every ring on its own.
pub fn polygon(p: &Polygon<f64>, epsilon: f64) -> Polygon<f64> {
    let ring = |r: &LineString<f64>| LineString::new(rdp(&r.0, epsilon, RING_MIN));
    Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect())
}

/// `geo::Simplify::simplify` of lines: every line on its own.
pub fn multi_line_string(ml: &MultiLineString<f64>, epsilon: f64) -> MultiLineString<f64> {
    MultiLineString::new(
        ml.0.iter()
            .map(|l| LineString::new(rdp(&l.0, epsilon, LINE_MIN)))
            .collect(),
    )
}

/// The vertices of `points` that Ramer–Douglas–Peucker keeps; no fewer than `min` of them.
fn rdp(points: &[Coord<f64>], epsilon: f64, min: usize) -> Vec<Coord<f64>> {
    if epsilon <= 0.0 || points.len() < 2 {
        return points.to_vec();
    }
    let mut kept = Vec::with_capacity(points.len());
    let mut left = points.len();
    keep(points, epsilon, min, &mut left, &mut kept);
    kept.push(points[points.len() - 1]);
    kept
}

/// Pushes the vertices kept of `points` (two or more), all but the last, which the caller
/// pushes or the next span starts with. `left` counts the vertices the whole line still has;
/// a span is not culled when that would leave fewer than `min` (geo's rule, in geo's order:
/// the first half of a span before the second).
fn keep(
    points: &[Coord<f64>],
    epsilon: f64,
    min: usize,
    left: &mut usize,
    kept: &mut Vec<Coord<f64>>,
) {
    let n = points.len();
    if n == 2 {
        kept.push(points[0]);
        return;
    }
    let (first, last) = (points[0], points[n - 1]);
    let from_chord = Chord::new(first, last);
    let (mut farthest, mut farthest_distance) = (0, 0.0);
    for (i, &p) in points.iter().enumerate().take(n - 1).skip(1) {
        let d = from_chord.distance(p);
        // `>=`: the last of equally far vertices, as geo's fold picks.
        if d >= farthest_distance {
            (farthest, farthest_distance) = (i, d);
        }
    }
    if farthest_distance > epsilon {
        keep(&points[..=farthest], epsilon, min, left, kept);
        keep(&points[farthest..], epsilon, min, left, kept);
        return;
    }
    let after = *left - (n - 2);
    if after < min {
        kept.extend_from_slice(&points[..n - 1]);
        return;
    }
    *left = after;
    kept.push(first);
}

/// A chord from `start` to `end`, with what measuring distances to it needs worked out once.
struct Chord {
    start: Coord<f64>,
    end: Coord<f64>,
    dx: f64,
    dy: f64,
    d_squared: f64,
    length: f64,
}

impl Chord {
    fn new(start: Coord<f64>, end: Coord<f64>) -> Chord {
        let (dx, dy) = (end.x - start.x, end.y - start.y);
        Chord {
            start,
            end,
            dx,
            dy,
            d_squared: dx * dx + dy * dy,
            length: dx.hypot(dy),
        }
    }

    /// The distance from `p` to the chord, computed as geo-types'
    /// `line_segment_distance(p, start, end)` computes it, operation for operation.
    fn distance(&self, p: Coord<f64>) -> f64 {
        let (s, e) = (self.start, self.end);
        if s == e {
            return (s.x - p.x).hypot(s.y - p.y);
        }
        let r = ((p.x - s.x) * self.dx + (p.y - s.y) * self.dy) / self.d_squared;
        if r <= 0.0 {
            return (s.x - p.x).hypot(s.y - p.y);
        }
        if r >= 1.0 {
            return (e.x - p.x).hypot(e.y - p.y);
        }
        let t = ((s.y - p.y) * self.dx - (s.x - p.x) * self.dy) / self.d_squared;
        t.abs() * self.length
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Simplify;

    /// Bit for bit: the same vertices, the same coordinates.
    fn same_as_geo(mp: &MultiPolygon<f64>, epsilon: f64, what: &str) {
        let ours = multi_polygon(mp, epsilon);
        let geos = mp.simplify(epsilon);
        assert_eq!(ours, geos, "{what} at {epsilon}");
        let lines = MultiLineString::new(
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior().clone()).chain(p.interiors().to_vec()))
                .collect(),
        );
        assert_eq!(
            multi_line_string(&lines, epsilon),
            lines.simplify(epsilon),
            "{what} as lines at {epsilon}"
        );
    }

    /// Every outline in the repository, in degrees and scaled as far as a large map scales
    /// them, at the tolerance maps use and others.
    #[test]
    fn the_repositorys_outlines_keep_the_vertices_geo_keeps() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs = vec![root.join("geodata"), root.join("tests")];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "geojson") {
                    files.push(p);
                }
            }
        }
        files.sort();
        let mut vertices = 0;
        for f in &files {
            let Ok(geojson::GeoJson::FeatureCollection(fc)) = std::fs::read_to_string(f)
                .unwrap()
                .parse::<geojson::GeoJson>()
            else {
                continue;
            };
            for feature in fc.features {
                let Some(g) = feature.geometry else { continue };
                let Ok(g) = geo::Geometry::<f64>::try_from(g.value) else {
                    continue;
                };
                let mp = match g {
                    geo::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
                    geo::Geometry::MultiPolygon(mp) => mp,
                    geo::Geometry::LineString(l) => {
                        MultiPolygon::new(vec![Polygon::new(l, vec![])])
                    }
                    geo::Geometry::MultiLineString(ml) => MultiPolygon::new(
                        ml.0.into_iter().map(|l| Polygon::new(l, vec![])).collect(),
                    ),
                    _ => continue,
                };
                vertices += mp.0.iter().map(|p| p.exterior().0.len()).sum::<usize>();
                let what = f.display().to_string();
                for scale in [1.0, 37.0, 250.0] {
                    use geo::MapCoords;
                    let scaled = mp.map_coords(|c| Coord {
                        x: c.x * scale,
                        y: -c.y * scale,
                    });
                    for epsilon in [0.33, 0.05, 1.0, 3.0] {
                        same_as_geo(&scaled, epsilon, &what);
                    }
                }
            }
        }
        assert!(
            vertices > 15_000,
            "{vertices} vertices in {} files",
            files.len()
        );
    }

    /// Random lines on a coarse grid (repeated vertices, ties, collinear runs, short rings
    /// held at their minimum) and a fine one.
    #[test]
    fn random_lines_keep_the_vertices_geo_keeps() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for round in 0..5_000 {
            let len = next(14) as usize;
            let grid = if round % 2 == 0 { 5 } else { 10_000 };
            let mut ring: Vec<Coord<f64>> = (0..len)
                .map(|_| Coord {
                    x: next(grid) as f64 / 3.0,
                    y: next(grid) as f64 / 7.0,
                })
                .collect();
            if round % 3 == 0 && !ring.is_empty() {
                ring.push(ring[0]);
            }
            let epsilon = [0.0, 0.1, 0.33, 1.0, 40.0][round % 5];
            let mp = MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])]);
            same_as_geo(&mp, epsilon, &format!("round {round}"));
        }
    }
}
