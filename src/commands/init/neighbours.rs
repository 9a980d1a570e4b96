//! The countries drawn in grey around the map: those of an admin-0 file whose box meets the
//! country's box grown by a quarter on each side (across the antimeridian too).

use std::collections::HashSet;
use std::path::Path;

use geo::{Area, InteriorPoint};
use geojson::{Feature, JsonObject, JsonValue};

use super::country::same_country;
use super::extent::Extent;
use super::features::{
    feature_id, is_polygonal, make_feature, outline_error, prop_any, prop_str, props_of,
    read_features,
};
use super::file_label;
use crate::error::{Field, Result};

/// Admin-0 properties that identify a country (upper case in Natural Earth, lower in some
/// repackagings).
const ADMIN0_KEYS: [&str; 5] = ["ISO_A2", "ADM0_A3", "ISO_A3", "NAME", "ADMIN"];

/// The neighbours of the country `code` (named `country_name`) lying in `country`, read from
/// the admin-0 file at `path`; outlines the dataset could not load are left out with a line
/// in `skipped`.
pub(super) fn of(
    path: &Path,
    code: &str,
    country_name: &str,
    country: &Extent,
    skipped: &mut Vec<String>,
) -> Result<Vec<Feature>> {
    let label = file_label(path);
    let features = read_features(path, Field::Countries)?;
    let area = country.grown(0.25);
    let mut out = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    for (n, f) in features.iter().enumerate() {
        let props = props_of(f);
        if is_self(props, code, country_name) || !is_polygonal(f) {
            continue;
        }
        if !Extent::of([f]).is_some_and(|b| b.intersects(&area)) {
            continue;
        }
        let alpha3 = prop_any(props, &["ISO_A3", "ADM0_A3"])
            .filter(|v| v.len() == 3 && v.bytes().all(|c| c.is_ascii_alphabetic()));
        let name = prop_any(props, &["NAME", "ADMIN"]);
        let id = alpha3
            .or_else(|| name.clone())
            .or_else(|| feature_id(f))
            .unwrap_or_else(|| format!("country-{}", n + 1));
        if ids.contains(&id) {
            continue;
        }
        let name = name.unwrap_or_else(|| id.clone());
        let mut p = JsonObject::new();
        p.insert("id".into(), JsonValue::String(id.clone()));
        p.insert("name".into(), JsonValue::String(name.clone()));
        if let Some(fr) = prop_any(props, &["NAME_FR"]) {
            p.insert("name_fr".into(), JsonValue::String(fr));
        }
        // Without a label point the map cannot name the neighbour.
        if let Some((lon, lat)) = label_point(props, f) {
            p.insert("label_lon".into(), JsonValue::from(round5(lon)));
            p.insert("label_lat".into(), JsonValue::from(round5(lat)));
        }
        let feature = make_feature(&id, p, f);
        if let Some(problem) = outline_error(&feature, false) {
            skipped.push(format!("{label}: neighbour '{name}' skipped: {problem}"));
            continue;
        }
        ids.insert(id);
        out.push(feature);
    }
    Ok(out)
}

/// Where to print a neighbour's name: Natural Earth's own label point (`LABEL_X`, `LABEL_Y`,
/// placed by cartographers inside the country's main body), else a point inside the outline
/// (not the centroid, which can fall outside a crescent-shaped country or in the sea).
fn label_point(props: Option<&JsonObject>, f: &Feature) -> Option<(f64, f64)> {
    let number = |k: &str| {
        let v = props?.get(k).or_else(|| props?.get(&k.to_lowercase()))?;
        v.as_f64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    };
    if let (Some(x), Some(y)) = (number("LABEL_X"), number("LABEL_Y"))
        && x.is_finite()
        && y.is_finite()
        && (-180.0..=180.0).contains(&x)
        && (-90.0..=90.0).contains(&y)
    {
        return Some((x, y));
    }
    let geometry: geo::Geometry<f64> = f.geometry.as_ref()?.clone().try_into().ok()?;
    // The largest polygon's interior point: a country's name goes on its main body, not on
    // an island.
    let polygons: Vec<geo::Polygon<f64>> = match geometry {
        geo::Geometry::Polygon(p) => vec![p],
        geo::Geometry::MultiPolygon(m) => m.0,
        _ => return None,
    };
    let largest = polygons.into_iter().max_by(|a, b| {
        a.unsigned_area()
            .partial_cmp(&b.unsigned_area())
            .unwrap_or(std::cmp::Ordering::Equal)
    })?;
    largest.interior_point().map(|p| (p.x(), p.y()))
}

fn round5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5 + 0.0
}

/// Whether an admin-0 feature is the country itself.
fn is_self(props: Option<&JsonObject>, code: &str, country_name: &str) -> bool {
    ADMIN0_KEYS.iter().any(|k| {
        [prop_str(props, k), prop_str(props, &k.to_lowercase())]
            .into_iter()
            .flatten()
            .any(|v| same_country(&v, code) || same_country(&v, country_name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square_feature(props: &str) -> Feature {
        format!(
            "{{\"type\":\"Feature\",\"properties\":{props},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[4,0],[4,4],[0,4],[0,0]]]}}}}"
        )
        .parse()
        .unwrap()
    }

    /// Natural Earth's label point is copied as it is; without one (or with one off the globe)
    /// a point inside the outline is used.
    #[test]
    fn natural_earths_label_point_is_kept_else_one_inside_is_found() {
        let f = square_feature("{\"LABEL_X\":1.25,\"LABEL_Y\":3.5}");
        assert_eq!(label_point(props_of(&f), &f), Some((1.25, 3.5)));
        for props in ["{}", "{\"LABEL_X\":1000,\"LABEL_Y\":3.5}"] {
            let f = square_feature(props);
            let (x, y) = label_point(props_of(&f), &f).unwrap();
            assert!(x > 0.0 && x < 4.0 && y > 0.0 && y < 4.0, "{props}: {x} {y}");
        }
    }
}
