//! Reading the admin files and writing the dataset's GeoJSON, through the dataset's own reader
//! so that `init` accepts exactly what a dataset may hold.

use std::path::Path;

use geojson::{Feature, GeometryValue, JsonObject, JsonValue, feature::Id};

use crate::dataset::Problems;
use crate::dataset::outlines::{self, Properties};
use crate::error::{Error, Field, Result};

/// Reads a GeoJSON FeatureCollection and returns its features.
pub(super) fn read_features(path: &Path, field: Field) -> Result<Vec<Feature>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::usage_of(
            field,
            format!("{} is a folder, not a GeoJSON file", path.display()),
        ));
    }
    let bytes = crate::dataset::read_limited(path)?;
    let file = path.display().to_string();
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Error::data(&file, None, "not UTF-8 text (GeoJSON is UTF-8)"))?;
    outlines::read_collection(text)
        .map(|c| c.features)
        .map_err(|e| Error::data(file, e.line, e.message))
}

/// A feature's properties.
pub(super) fn props_of(feature: &Feature) -> Option<&JsonObject> {
    feature.properties.as_ref()
}

/// A property as trimmed text (numbers too); `None` when missing, empty or Natural Earth's `-99`.
pub(super) fn prop_str(props: Option<&JsonObject>, key: &str) -> Option<String> {
    let s = match props?.get(key)? {
        JsonValue::String(s) => s.trim().to_string(),
        JsonValue::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty() && s != "-99").then_some(s)
}

/// The first of `keys` present, trying each as written and lower-cased.
pub(super) fn prop_any(props: Option<&JsonObject>, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| prop_str(props, k).or_else(|| prop_str(props, &k.to_lowercase())))
}

/// The feature's own `id` member as text.
pub(super) fn feature_id(feature: &Feature) -> Option<String> {
    match feature.id.as_ref()? {
        Id::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Id::Number(n) => Some(n.to_string()),
        Id::String(_) => None,
    }
}

/// What a feature's geometry is, for a message.
pub(super) fn geometry_type(feature: &Feature) -> String {
    match &feature.geometry {
        None => "missing".to_string(),
        Some(g) => format!("a {}", g.value.type_name()),
    }
}

/// Whether the feature is a Polygon or MultiPolygon.
pub(super) fn is_polygonal(feature: &Feature) -> bool {
    matches!(
        feature.geometry.as_ref().map(|g| &g.value),
        Some(GeometryValue::Polygon { .. } | GeometryValue::MultiPolygon { .. })
    )
}

/// A feature with an id, the given properties and the geometry of `from`.
pub(super) fn make_feature(id: &str, properties: JsonObject, from: &Feature) -> Feature {
    Feature {
        bbox: None,
        geometry: from.geometry.clone(),
        id: Some(Id::String(id.to_string())),
        properties: Some(properties),
        foreign_members: None,
    }
}

/// The first error the dataset loader would report for this feature, if any.
pub(super) fn outline_error(feature: &Feature, strict: bool) -> Option<String> {
    let text = collection_text(std::slice::from_ref(feature));
    let mut problems = Problems::default();
    outlines::parse_outlines(
        &text,
        "",
        &Properties {
            strict,
            ..Default::default()
        },
        &mut problems,
    );
    problems.first_error().map(|e| match e {
        Error::Data { message, .. } => message,
        other => other.to_string(),
    })
}

/// A FeatureCollection with one feature per line, so that the loader's messages name a line
/// per feature.
pub(super) fn collection_text(features: &[Feature]) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let body: Vec<String> = features.iter().map(Feature::to_string).collect();
    out.push_str(&body.join(",\n"));
    out.push_str("\n]}\n");
    out
}
