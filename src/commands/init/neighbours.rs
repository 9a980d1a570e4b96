//! The countries drawn in grey around the map: those of an admin-0 file whose box meets the
//! country's box grown by a quarter on each side (across the antimeridian too).

use std::collections::HashSet;
use std::path::Path;

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

/// Whether an admin-0 feature is the country itself.
fn is_self(props: Option<&JsonObject>, code: &str, country_name: &str) -> bool {
    ADMIN0_KEYS.iter().any(|k| {
        [prop_str(props, k), prop_str(props, &k.to_lowercase())]
            .into_iter()
            .flatten()
            .any(|v| same_country(&v, code) || same_country(&v, country_name))
    })
}
