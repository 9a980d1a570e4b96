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
    let k0 = ((x0 + y0) / period).floor() as i64;
    let k1 = ((x1 + y1) / period).ceil() as i64;
    let mut bands = Vec::new();
    for k in k0..=k1 {
        let s0 = k as f64 * period;
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

/// Stripes at 45° falling to the right (the mirror of [`stripes`]), for a second pattern that
/// reads apart from the first.
pub fn falling_stripes(shape: &MultiPolygon<f64>, width: f64, period: f64) -> MultiPolygon<f64> {
    let flip = |c: Coord<f64>| Coord { x: c.x, y: -c.y };
    stripes(&shape.map_coords(flip), width, period).map_coords(flip)
}
