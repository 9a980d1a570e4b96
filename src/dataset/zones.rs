//! `zones.geojson`: analyst-drawn areas that records target like regions. A zone lies over the
//! regions it covers and under town areas; where zones overlap, the one listed later is on top.

use geo::{BooleanOps, MultiPolygon};

use super::outlines::{self, Properties};
use super::problem::Problems;
use crate::territory::{Kind, Shape, Territory};

/// The country: the union of the regions' outlines, which zones and snapshots are clipped to.
pub fn country(territories: &[Territory]) -> MultiPolygon<f64> {
    geo::unary_union(
        territories
            .iter()
            .filter(|t| t.is_region())
            .filter_map(Territory::area),
    )
}

/// The part of an area inside the country, without the crumbs a boolean operation leaves along
/// a shared edge.
pub fn clip(area: &MultiPolygon<f64>, country: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    use geo::Area;
    let inside = area.intersection(country);
    MultiPolygon::new(
        inside
            .0
            .into_iter()
            .filter(|p| p.unsigned_area() > 1e-9)
            .collect(),
    )
}

/// Parses a zones file with the regions' checks (ids, closed rings, no self-crossing, positive
/// area), refuses an id that is already a region's or a town's, and clips each zone to the
/// country.
pub fn parse_zones(
    text: &str,
    file: &str,
    existing: &[Territory],
    country: &MultiPolygon<f64>,
    problems: &mut Problems,
) -> Vec<Territory> {
    let outlines = outlines::parse_outlines(text, file, &Properties::default(), problems);
    let mut zones = Vec::with_capacity(outlines.len());
    for o in outlines {
        if let Some(other) = existing.iter().find(|t| t.id == o.id) {
            problems.error(
                file,
                Some(o.line),
                format!(
                    "zone id '{}' is also a {} id ({}:{})",
                    o.id,
                    other.kind.as_str(),
                    other.file,
                    other.line
                ),
            );
            continue;
        }
        let clipped = clip(&o.geometry, country);
        if clipped.0.is_empty() && !country.0.is_empty() {
            problems.warning(
                file,
                Some(o.line),
                format!(
                    "zone '{}' lies outside the country and is never drawn",
                    o.id
                ),
            );
        }
        zones.push(Territory {
            id: o.id,
            kind: Kind::Zone,
            names: o.names,
            shape: Shape::Area(clipped),
            label_at: o.label_at,
            file: file.to_string(),
            line: o.line,
            radius_km: None,
        });
    }
    zones
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Names;

    fn region(id: &str, ring: &str) -> Territory {
        let mut p = Problems::default();
        let text = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{{\"id\":\"{id}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{ring}]}}}}]}}"
        );
        let o = outlines::parse_outlines(&text, "r", &Properties::default(), &mut p);
        Territory {
            id: id.into(),
            kind: Kind::Region,
            names: Names::new(id),
            shape: Shape::Area(o[0].geometry.clone()),
            label_at: None,
            file: "regions.geojson".into(),
            line: 2,
            radius_km: None,
        }
    }

    #[test]
    fn a_zone_is_clipped_to_the_country_and_may_not_take_a_region_id() {
        let regions = vec![region("A", "[[0,0],[1,0],[1,1],[0,1],[0,0]]")];
        let country = country(&regions);
        let text = "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{\"id\":\"z\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0.5,0],[2,0],[2,1],[0.5,1],[0.5,0]]]}},\n{\"type\":\"Feature\",\"properties\":{\"id\":\"A\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}";
        let mut p = Problems::default();
        let zones = parse_zones(text, "zones.geojson", &regions, &country, &mut p);
        assert_eq!(zones.len(), 1);
        use geo::Area;
        let area = zones[0].area().unwrap().unsigned_area();
        assert!((area - 0.5).abs() < 1e-9, "{area}");
        assert_eq!(
            p.first_error().unwrap().to_string(),
            "zones.geojson:3: zone id 'A' is also a region id (regions.geojson:2)"
        );
    }
}
