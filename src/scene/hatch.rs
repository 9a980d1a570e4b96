//! Diagonal hatching, clipped exactly to a shape with geo's boolean operations.

use geo::{BooleanOps, BoundingRect, Coord, LineString, MapCoords, MultiPolygon, Polygon};

use super::Ring;

/// Every ring of a multipolygon (exteriors and holes) as pixel rings, for even-odd filling.
pub fn rings_of(mp: &MultiPolygon<f64>) -> Vec<Ring> {
    mp.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .filter(|r| r.0.len() >= 3)
        .map(|r| r.0.iter().map(|c| [c.x as f32, c.y as f32]).collect())
        .collect()
}

/// Stripes at 45° (rising to the right) of `width` pixels every `period` pixels, clipped to
/// `shape`. Drawn over a base fill in a second colour they give two-colour hatching.
///
/// ```
/// use geo::{polygon, MultiPolygon, Area};
/// use controlmap::scene::hatch::stripes;
/// let square = MultiPolygon::new(vec![polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)]]);
/// let s = stripes(&square, 5.0, 10.0);
/// // Half of the square is covered, give or take the stripes cut at its edges.
/// assert!((s.unsigned_area() - 5000.0).abs() < 300.0);
/// ```
pub fn stripes(shape: &MultiPolygon<f64>, width: f64, period: f64) -> MultiPolygon<f64> {
    stripes_from(shape, width, period, 0.0)
}

/// [`stripes`] moved `offset` pixels along the period (measured on `x + y`), for a second set
/// of stripes between the first's.
pub fn stripes_from(
    shape: &MultiPolygon<f64>,
    width: f64,
    period: f64,
    offset: f64,
) -> MultiPolygon<f64> {
    let Some(b) = shape.bounding_rect() else {
        return MultiPolygon::new(vec![]);
    };
    if !(width > 0.0 && period > width) {
        return MultiPolygon::new(vec![]);
    }
    // Stripes are the bands period*k <= x + y < period*k + width (in y-down pixel space they rise
    // to the right). Anchoring them at the origin keeps neighbouring regions' stripes aligned.
    let (x0, x1) = (b.min().x - 1.0, b.max().x + 1.0);
    let (y0, y1) = (b.min().y - 1.0, b.max().y + 1.0);
    let k0 = ((x0 + y0 - offset) / period).floor() as i64;
    let k1 = ((x1 + y1 - offset) / period).ceil() as i64;
    let mut bands = Vec::new();
    for k in k0..=k1 {
        let s0 = k as f64 * period + offset;
        let s1 = s0 + width;
        // The band between the lines x + y = s0 and x + y = s1, cut to the box's y range.
        let ring = vec![
            Coord { x: s0 - y0, y: y0 },
            Coord { x: s1 - y0, y: y0 },
            Coord { x: s1 - y1, y: y1 },
            Coord { x: s0 - y1, y: y1 },
            Coord { x: s0 - y0, y: y0 },
        ];
        bands.push(Polygon::new(LineString::new(ring), vec![]));
    }
    shape.intersection(&MultiPolygon::new(bands))
}

/// Width of the no-data lines, in stripe widths.
pub const FINE_WIDTH: f64 = 0.35;
/// Period of the no-data lines, in stripe widths.
pub const FINE_PERIOD: f64 = 1.4;
/// Width of the faint lines over ground whose record is approximate, in stripe widths.
pub const UNCERTAIN_WIDTH: f64 = 0.35;
/// Period of the faint lines over approximate ground, in stripe widths.
pub const UNCERTAIN_PERIOD: f64 = 5.0;

/// Width of each side's lines in a contest, in stripe widths.
pub const CONTEST_LINE: f64 = 0.6;
/// The period of a contest's pattern in stripe widths: a line of each side, each followed by a
/// band of their blend more than twice as wide. Broad stripes of two colours at half the period
/// each shimmer (black and yellow worst); thin lines over the blend read calmly as both.
pub const CONTEST_PERIOD: f64 = 4.0;

/// A contest's two sets of lines for a stripe width of `stripe` pixels: the first side's, and
/// the second side's half a period further on. Drawn over the two sides' blended colour
/// ([`super::style::colours::contest_ground`]) they read as both sides at once, with each
/// line differing from the ground by only half the sides' contrast.
pub fn contest_lines(shape: &MultiPolygon<f64>, stripe: f64) -> [MultiPolygon<f64>; 2] {
    let (w, p) = (stripe * CONTEST_LINE, stripe * CONTEST_PERIOD);
    [
        stripes_from(shape, w, p, 0.0),
        stripes_from(shape, w, p, p / 2.0),
    ]
}

/// Stripes at 45° falling to the right (the mirror of [`stripes`]), for a second pattern that
/// reads apart from the first.
pub fn falling_stripes(shape: &MultiPolygon<f64>, width: f64, period: f64) -> MultiPolygon<f64> {
    let flip = |c: Coord<f64>| Coord { x: c.x, y: -c.y };
    stripes(&shape.map_coords(flip), width, period).map_coords(flip)
}

#[cfg(test)]
mod tests {
    use geo::{Area, BooleanOps, MultiPolygon, polygon};

    use super::*;

    fn square(side: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: side, y: 0.0), (x: side, y: side), (x: 0.0, y: side)
        ]])
    }

    /// Each side's lines cover the same thin share of a contested area, apart from the other's.
    #[test]
    fn a_contests_two_sets_of_lines_are_thin_equal_and_apart() {
        let shape = square(400.0);
        let [a, b] = contest_lines(&shape, 5.0);
        let whole = shape.unsigned_area();
        let share = CONTEST_LINE / CONTEST_PERIOD;
        for lines in [&a, &b] {
            let s = lines.unsigned_area() / whole;
            assert!(
                (s - share).abs() < 0.01,
                "lines cover {s:.3}, not {share:.3}"
            );
        }
        assert!(
            a.intersection(&b).unsigned_area() < 1e-6,
            "the two sides overlap"
        );
        // Half a period on, the second side's lines fall midway between the first's.
        let moved = stripes_from(&shape, 5.0 * CONTEST_LINE, 5.0 * CONTEST_PERIOD, 10.0);
        assert!(b.xor(&moved).unsigned_area() < 1e-6);
    }
}
