//! Where a set of features lies in longitude and latitude, as the smallest box that holds them
//! on the globe: a country split at the antimeridian (Fiji, Russia) gets a box that crosses it,
//! not one that spans the whole world, so that its projection is centred on the country.

use geojson::{Feature, GeometryValue};

/// A longitude/latitude box whose east edge may lie beyond 180° (then it crosses the
/// antimeridian): `west <= east`, `east - west <= 360`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Extent {
    /// West edge, in -180..=180.
    pub west: f64,
    /// East edge, in `west..=west + 360`.
    pub east: f64,
    /// South edge.
    pub south: f64,
    /// North edge.
    pub north: f64,
}

/// The longitude span and latitude span of each polygon's exterior ring.
fn polygon_spans(feature: &Feature, out: &mut Vec<([f64; 2], [f64; 2])>) {
    let rings: Vec<&Vec<geojson::Position>> = match feature.geometry.as_ref().map(|g| &g.value) {
        Some(GeometryValue::Polygon { coordinates }) => coordinates.iter().take(1).collect(),
        Some(GeometryValue::MultiPolygon { coordinates }) => {
            coordinates.iter().filter_map(|p| p.first()).collect()
        }
        _ => return,
    };
    for ring in rings {
        let (mut lon, mut lat) = (
            [f64::INFINITY, f64::NEG_INFINITY],
            [f64::INFINITY, f64::NEG_INFINITY],
        );
        for p in ring {
            let s = p.as_slice();
            if s.len() >= 2 && s[0].is_finite() && s[1].is_finite() {
                lon = [lon[0].min(s[0]), lon[1].max(s[0])];
                lat = [lat[0].min(s[1]), lat[1].max(s[1])];
            }
        }
        if lon[0] <= lon[1] {
            out.push((lon, lat));
        }
    }
}

impl Extent {
    /// The smallest box holding every polygon of `features`; `None` when they have none.
    ///
    /// Each polygon covers its own span of longitudes; the box leaves out the widest stretch of
    /// longitudes no polygon covers, which for a country split at ±180° is on the far side.
    pub fn of<'a>(features: impl IntoIterator<Item = &'a Feature>) -> Option<Extent> {
        let mut spans = Vec::new();
        for f in features {
            polygon_spans(f, &mut spans);
        }
        let south = spans.iter().map(|s| s.1[0]).fold(f64::INFINITY, f64::min);
        let north = spans
            .iter()
            .map(|s| s.1[1])
            .fold(f64::NEG_INFINITY, f64::max);
        let mut lons: Vec<[f64; 2]> = spans.iter().map(|s| s.0).collect();
        lons.sort_by(|a, b| a[0].total_cmp(&b[0]));
        // Merge overlapping spans, then find the widest gap between them (around the back too).
        let mut merged: Vec<[f64; 2]> = Vec::new();
        for s in lons {
            match merged.last_mut() {
                Some(m) if s[0] <= m[1] => m[1] = m[1].max(s[1]),
                _ => merged.push(s),
            }
        }
        let (first, last) = (*merged.first()?, *merged.last()?);
        let mut best = (first[0] + 360.0 - last[1], first[0], last[1]);
        for w in merged.windows(2) {
            let gap = w[1][0] - w[0][1];
            if gap > best.0 {
                best = (gap, w[1][0], w[0][1] + 360.0);
            }
        }
        Some(Extent {
            west: best.1,
            east: best.2,
            south,
            north,
        })
    }

    /// The central meridian, in -180..=180.
    pub fn centre_lon(&self) -> f64 {
        let c = (self.west + self.east) / 2.0;
        if c > 180.0 { c - 360.0 } else { c }
    }

    /// The box grown by `fraction` of its width and height on each side.
    pub fn grown(&self, fraction: f64) -> Extent {
        let dx = ((self.east - self.west) * fraction).min((360.0 - (self.east - self.west)) / 2.0);
        let dy = (self.north - self.south) * fraction;
        Extent {
            west: self.west - dx,
            east: self.east + dx,
            south: self.south - dy,
            north: self.north + dy,
        }
    }

    /// Whether two boxes meet, on the globe (a box shifted by a full turn is the same box).
    pub fn intersects(&self, other: &Extent) -> bool {
        let lats = self.south <= other.north && other.south <= self.north;
        lats && [-360.0, 0.0, 360.0]
            .iter()
            .any(|shift| self.west <= other.east + shift && other.west + shift <= self.east)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, w: f64, h: f64) -> Feature {
        let ring = vec![
            vec![x, y],
            vec![x + w, y],
            vec![x + w, y + h],
            vec![x, y + h],
            vec![x, y],
        ];
        Feature {
            geometry: Some(geojson::Geometry::new(GeometryValue::new_polygon(vec![
                ring.into_iter()
                    .map(geojson::Position::from)
                    .collect::<Vec<_>>(),
            ]))),
            ..Default::default()
        }
    }

    #[test]
    fn a_country_split_at_the_antimeridian_is_centred_across_it() {
        // Fiji: islands either side of 180°.
        let fiji = [
            square(177.0, -19.0, 3.0, 3.0),
            square(-180.0, -18.0, 2.0, 2.0),
        ];
        let e = Extent::of(&fiji).unwrap();
        assert_eq!((e.west, e.east), (177.0, 182.0));
        assert_eq!(e.centre_lon(), 179.5);
        // Russia: from 30°E round to 170°W.
        let russia = [
            square(30.0, 45.0, 150.0, 30.0),
            square(-180.0, 60.0, 10.0, 10.0),
        ];
        let e = Extent::of(&russia).unwrap();
        assert_eq!((e.west, e.east), (30.0, 190.0));
        assert_eq!(e.centre_lon(), 110.0);
        // An ordinary country keeps its plain box.
        let e = Extent::of(&[square(20.0, 10.0, 6.0, 6.0)]).unwrap();
        assert_eq!((e.west, e.east, e.south, e.north), (20.0, 26.0, 10.0, 16.0));
    }

    #[test]
    fn boxes_meet_across_the_antimeridian() {
        let fiji = Extent::of(&[
            square(177.0, -19.0, 3.0, 3.0),
            square(-180.0, -18.0, 2.0, 2.0),
        ])
        .unwrap();
        let tonga = Extent::of(&[square(-176.0, -22.0, 2.0, 4.0)]).unwrap();
        let chile = Extent::of(&[square(-75.0, -40.0, 5.0, 30.0)]).unwrap();
        assert!(fiji.grown(0.5).intersects(&tonga));
        assert!(!fiji.grown(0.5).intersects(&chile));
    }
}
