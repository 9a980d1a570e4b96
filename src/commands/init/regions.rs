//! The country's admin-1 units as the dataset's regions: an id and names for each, and one
//! line for every unit left out, saying why.

use std::collections::HashSet;

use geojson::{Feature, JsonObject, JsonValue};

use super::InitRequest;
use super::country::{belongs_to, no_match};
use super::extent::Extent;
use super::features::{
    feature_id, geometry_type, is_polygonal, make_feature, outline_error, prop_str, props_of,
};
use crate::error::{Error, Result};

/// The regions chosen for the dataset.
pub(super) struct Regions {
    /// One feature per region, with `id`, `name` and maybe `name_fr` properties.
    pub features: Vec<Feature>,
    /// Where they lie.
    pub extent: Extent,
    /// The country's name (its `admin` property), else the code asked for.
    pub country_name: String,
    /// One line per unit left out.
    pub skipped: Vec<String>,
}

/// How one unit is read: the properties holding its id and name, and the file's name.
struct Keys<'a> {
    id: Option<&'a str>,
    name: &'a str,
    file: &'a str,
}

/// The units of `features` that belong to `code`, as regions.
pub(super) fn select(
    features: &[Feature],
    code: &str,
    req: &InitRequest,
    admin1_name: &str,
) -> Result<Regions> {
    let selected: Vec<&Feature> = features.iter().filter(|f| belongs_to(f, code)).collect();
    if selected.is_empty() {
        return Err(no_match(code, features, &req.admin1));
    }
    let keys = Keys {
        id: req.id_property.as_deref(),
        name: req.name_property.as_deref().unwrap_or("name"),
        file: admin1_name,
    };
    let mut skipped = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut regions: Vec<Feature> = Vec::new();
    for (n, f) in selected.iter().enumerate() {
        match region(f, n, &keys, &ids) {
            Ok(r) => {
                ids.insert(feature_id(&r).unwrap_or_default());
                regions.push(r);
            }
            Err(why) => skipped.push(why),
        }
    }
    let extent = Extent::of(&regions).ok_or_else(|| {
        let why = skipped.first().cloned().unwrap_or_default();
        Error::data(
            admin1_name,
            None,
            format!(
                "none of the {} features matching '{code}' can be used as a region: {why}",
                selected.len()
            ),
        )
    })?;
    let country_name = selected
        .iter()
        .find_map(|f| prop_str(props_of(f), "admin"))
        .unwrap_or_else(|| code.to_string());
    Ok(Regions {
        features: regions,
        extent,
        country_name,
        skipped,
    })
}

/// The `n`th selected unit as a region, or the line saying why it is left out.
fn region(
    f: &Feature,
    n: usize,
    keys: &Keys<'_>,
    taken: &HashSet<String>,
) -> std::result::Result<Feature, String> {
    let file = keys.file;
    let props = props_of(f);
    let id = match keys.id {
        Some(k) => prop_str(props, k),
        None => prop_str(props, "iso_3166_2").or_else(|| prop_str(props, "id")),
    }
    .or_else(|| feature_id(f));
    let name = prop_str(props, keys.name);
    let label = name
        .clone()
        .or_else(|| id.clone())
        .unwrap_or_else(|| format!("feature {} of {file}", n + 1));
    let Some(id) = id else {
        return Err(format!(
            "{file}: region '{label}' skipped: it has no id (property '{}')",
            keys.id.unwrap_or("iso_3166_2")
        ));
    };
    if taken.contains(&id) {
        return Err(format!(
            "{file}: region '{label}' skipped: its id '{id}' is used by an earlier region"
        ));
    }
    if !is_polygonal(f) {
        return Err(format!(
            "{file}: region '{label}' ({id}) skipped: its geometry is {} but must be a Polygon or MultiPolygon",
            geometry_type(f)
        ));
    }
    let mut p = JsonObject::new();
    p.insert("id".into(), JsonValue::String(id.clone()));
    p.insert(
        "name".into(),
        JsonValue::String(name.unwrap_or_else(|| id.clone())),
    );
    if let Some(fr) = prop_str(props, "name_fr") {
        p.insert("name_fr".into(), JsonValue::String(fr));
    }
    let feature = make_feature(&id, p, f);
    match outline_error(&feature, true) {
        Some(problem) => Err(format!(
            "{file}: region '{label}' ({id}) skipped: {problem}"
        )),
        None => Ok(feature),
    }
}
