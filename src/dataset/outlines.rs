//! GeoJSON outlines: the mapped regions and the neighbouring countries drawn for context.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{GeoJson, GeometryValue};
use serde_json::Value;

use super::feature_lines::feature_lines;
use super::problem::Problems;
use crate::lang::{Lang, Names};

/// Refuse a GeoJSON document with more vertices than any real map of a country needs.
pub const MAX_VERTICES: usize = 10_000_000;

/// One outlined unit with its identifier and names.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// Identifier (ISO 3166-2 for the Mali regions).
    pub id: String,
    /// Names per language.
    pub names: Names,
    /// Outline in longitude/latitude degrees.
    pub geometry: MultiPolygon<f64>,
    /// A preferred label position (`label_lon`/`label_lat` properties), when given.
    pub label_at: Option<Coord<f64>>,
    /// The line where the feature starts in its file.
    pub line: usize,
}

impl Outline {
    /// The name in the requested language, falling back to English.
    pub fn name(&self, lang: Lang) -> &str {
        self.names.get(lang)
    }
}

/// How the features of a file name their identifier and names.
#[derive(Debug, Clone)]
pub struct Properties<'a> {
    /// Property holding the id (the feature's own `id` is used when the property is missing).
    pub id: &'a str,
    /// Property holding the English name.
    pub name: &'a str,
    /// Property holding the French name.
    pub name_fr: &'a str,
    /// Whether a self-crossing outline is an error (mapped regions) or a warning (context only).
    pub strict: bool,
}

impl Default for Properties<'_> {
    fn default() -> Self {
        Properties {
            id: "id",
            name: "name",
            name_fr: "name_fr",
            strict: true,
        }
    }
}

pub(super) fn prop_str(
    props: Option<&serde_json::Map<String, Value>>,
    key: &str,
) -> Option<String> {
    match props?.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn prop_f64(props: Option<&serde_json::Map<String, Value>>, key: &str) -> Option<f64> {
    props?.get(key)?.as_f64()
}

/// A GeoJSON FeatureCollection as read, with the line where each feature starts.
#[derive(Debug, Clone)]
pub struct Collection {
    /// The features, in file order.
    pub features: Vec<geojson::Feature>,
    /// The line of each feature (1 when it cannot be told).
    pub lines: Vec<usize>,
}

/// Why a text is not a usable FeatureCollection: the line when known, and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionError {
    /// The line of the problem, when the parser can place it.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Where a GeoJSON parse error is (its line, when serde_json can place it: it reports line 0
/// for an error it cannot, such as a missing field) and what it says, without the crate's
/// prefix and position.
pub(crate) fn parse_error(e: &geojson::Error) -> (Option<usize>, String) {
    let line = match e {
        geojson::Error::MalformedGeoJson(j) => Some(j.line()).filter(|&l| l > 0),
        _ => None,
    };
    let msg = e.to_string();
    let msg = msg.split(" at line").next().unwrap_or(&msg);
    let msg = msg.trim_start_matches("Error while deserializing GeoJSON: ");
    (line, msg.to_string())
}

/// Reads a GeoJSON FeatureCollection: the one reader of every outline file (a dataset's regions
/// and neighbours, and the admin files `init` takes), with the same messages and limits.
///
/// ```
/// use controlmap::dataset::outlines::read_collection;
/// let c = read_collection("{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}]}").unwrap();
/// assert_eq!(c.lines, [2]);
/// assert!(read_collection("{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}").is_err());
/// ```
pub fn read_collection(text: &str) -> Result<Collection, CollectionError> {
    // The features' lines are found in a second pass over the text, beside the parse.
    let (geojson, lines) = rayon::join(|| text.parse::<GeoJson>(), || feature_lines(text));
    let geojson: GeoJson = geojson.map_err(|e| {
        let (line, msg) = parse_error(&e);
        CollectionError {
            line,
            message: format!("not valid GeoJSON: {msg}"),
        }
    })?;
    let GeoJson::FeatureCollection(fc) = geojson else {
        return Err(CollectionError {
            line: Some(1),
            message: "expected a GeoJSON FeatureCollection".into(),
        });
    };
    let total_vertices: usize = fc
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .map(|g| count_positions(&g.value))
        .sum();
    if total_vertices > MAX_VERTICES {
        return Err(CollectionError {
            line: None,
            message: format!(
                "{total_vertices} vertices is more than the {MAX_VERTICES} this tool accepts; simplify the outlines first"
            ),
        });
    }
    Ok(Collection {
        lines,
        features: fc.features,
    })
}

/// Parses a FeatureCollection of polygons, recording every problem with its line.
pub fn parse_outlines(
    text: &str,
    file: &str,
    keys: &Properties<'_>,
    problems: &mut Problems,
) -> Vec<Outline> {
    let fc = match read_collection(text) {
        Ok(c) => c,
        Err(e) => {
            problems.error(file, e.line, e.message);
            return Vec::new();
        }
    };
    let lines = fc.lines;
    let ids: Vec<Option<String>> = fc
        .features
        .iter()
        .map(|f| {
            prop_str(f.properties.as_ref(), keys.id).or_else(|| match &f.id {
                Some(geojson::feature::Id::String(s)) if !s.trim().is_empty() => {
                    Some(s.trim().to_string())
                }
                Some(geojson::feature::Id::Number(n)) => Some(n.to_string()),
                _ => None,
            })
        })
        .collect();
    // Which features repeat an earlier id is decided in order; the features are then checked
    // in parallel (the geometry checks are most of a dataset's loading), each with its own
    // problems, put back in the features' order.
    let mut seen_ids: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let repeated: Vec<bool> = ids
        .iter()
        .map(|id| id.as_deref().is_some_and(|id| !seen_ids.insert(id)))
        .collect();
    use rayon::prelude::*;
    let checked: Vec<(Problems, Option<Outline>)> = fc
        .features
        .par_iter()
        .enumerate()
        .map(|(n, feature)| {
            let mut found = Problems::default();
            let outline = check_feature(
                feature,
                n,
                (ids[n].as_deref(), repeated[n]),
                lines.get(n).copied().unwrap_or(1),
                (file, keys),
                &mut found,
            );
            (found, outline)
        })
        .collect();
    let mut out = Vec::with_capacity(checked.len());
    for (found, outline) in checked {
        problems.extend(found);
        out.extend(outline);
    }
    out
}

/// One feature of an outline file as an outline, or its problems.
fn check_feature(
    feature: &geojson::Feature,
    n: usize,
    (id, repeated): (Option<&str>, bool),
    line: usize,
    (file, keys): (&str, &Properties<'_>),
    problems: &mut Problems,
) -> Option<Outline> {
    let props = feature.properties.as_ref();
    let Some(id) = id else {
        problems.error(
            file,
            Some(line),
            format!("feature {} has no id (property '{}')", n + 1, keys.id),
        );
        return None;
    };
    if repeated {
        problems.error(file, Some(line), format!("feature id '{id}' is used twice"));
        return None;
    }
    let Some(geometry) = &feature.geometry else {
        problems.error(file, Some(line), format!("feature '{id}' has no geometry"));
        return None;
    };
    let geometry = to_multipolygon(&geometry.value, id, file, line, keys, problems)?;
    let name = prop_str(props, keys.name).unwrap_or_else(|| id.to_string());
    let name_fr = prop_str(props, keys.name_fr);
    for n in std::iter::once(&name).chain(name_fr.as_ref()) {
        if let Some(c) = super::table::forbidden_char(n, false) {
            problems.error(
                file,
                Some(line),
                format!(
                    "feature '{id}': its name holds U+{:04X}, a control character or non-character",
                    u32::from(c)
                ),
            );
        }
    }
    let label_at = match (prop_f64(props, "label_lon"), prop_f64(props, "label_lat")) {
        (Some(x), Some(y)) => Some(Coord { x, y }),
        _ => None,
    };
    Some(Outline {
        id: id.to_string(),
        names: Names {
            en: name,
            fr: name_fr,
        },
        geometry,
        label_at,
        line,
    })
}

pub(super) fn count_positions(v: &GeometryValue) -> usize {
    match v {
        GeometryValue::Polygon { coordinates } => coordinates.iter().map(Vec::len).sum(),
        GeometryValue::MultiPolygon { coordinates } => {
            coordinates.iter().flatten().map(Vec::len).sum()
        }
        GeometryValue::LineString { coordinates } => coordinates.len(),
        GeometryValue::MultiLineString { coordinates } => coordinates.iter().map(Vec::len).sum(),
        GeometryValue::MultiPoint { coordinates } => coordinates.len(),
        GeometryValue::Point { .. } => 1,
        GeometryValue::GeometryCollection { geometries } => {
            geometries.iter().map(|g| count_positions(&g.value)).sum()
        }
    }
}

pub(super) fn to_multipolygon(
    value: &GeometryValue,
    id: &str,
    file: &str,
    line: usize,
    keys: &Properties<'_>,
    problems: &mut Problems,
) -> Option<MultiPolygon<f64>> {
    let polygons: Vec<&Vec<Vec<geojson::Position>>> = match value {
        GeometryValue::Polygon { coordinates } => vec![coordinates],
        GeometryValue::MultiPolygon { coordinates } => coordinates.iter().collect(),
        other => {
            let kind = format!("{:?}", other.type_name());
            problems.error(
                file,
                Some(line),
                format!(
                    "feature '{id}' is a {} but must be a Polygon or MultiPolygon",
                    kind.trim_matches('"')
                ),
            );
            return None;
        }
    };
    let errors_before = problems.error_count();
    let mut result = Vec::new();
    for rings in polygons {
        let mut converted = Vec::new();
        for ring in rings {
            let mut coords = Vec::with_capacity(ring.len());
            for p in ring {
                let s = p.as_slice();
                if s.len() < 2 || !s[0].is_finite() || !s[1].is_finite() {
                    problems.error(
                        file,
                        Some(line),
                        format!("feature '{id}' has a position without two numbers"),
                    );
                    return None;
                }
                let (x, y) = (s[0], s[1]);
                if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
                    problems.error(file, Some(line), format!("feature '{id}' has a position ({x}, {y}) outside longitude/latitude ranges"));
                    return None;
                }
                coords.push(Coord { x, y });
            }
            if coords.len() < 4 {
                problems.error(file, Some(line), format!("feature '{id}' has a ring of {} position(s); a polygon ring needs at least 4", coords.len()));
                return None;
            }
            if coords.first() != coords.last() {
                problems.error(file, Some(line), format!("feature '{id}' has a ring that is not closed (first and last positions differ)"));
                return None;
            }
            converted.push(LineString::new(coords));
        }
        let mut it = converted.into_iter();
        let Some(exterior) = it.next() else {
            problems.error(
                file,
                Some(line),
                format!("feature '{id}' has a polygon without rings"),
            );
            return None;
        };
        result.push(Polygon::new(exterior, it.collect()));
    }
    let mp = MultiPolygon::new(result);
    if problems.error_count() > errors_before {
        return None;
    }
    if all_on_one_line(&mp) {
        problems.error(
            file,
            Some(line),
            format!("feature '{id}' has zero area: its points lie on one line"),
        );
        return None;
    }
    for polygon in &mp.0 {
        if let Err(e) = check_polygon(polygon) {
            let message = format!("feature '{id}' is not a valid polygon: {e}");
            if keys.strict {
                problems.error(file, Some(line), message);
                return None;
            }
            problems.warning(file, Some(line), message);
        }
    }
    Some(mp)
}

/// Whether every position of the outer rings lies on one line (or all are one point): an
/// outline without area, whatever its holes hold (as the convex hull of the outer rings, whose
/// area this replaces: exact orientation tests, where the hull was a third of the checks' time).
fn all_on_one_line(mp: &MultiPolygon<f64>) -> bool {
    use geo::{Kernel, Orientation, kernels::RobustKernel};
    let outer = || mp.0.iter().flat_map(|p| p.exterior().0.iter().copied());
    let mut coords = outer();
    let Some(a) = coords.next() else { return true };
    let Some(b) = coords.find(|c| *c != a) else {
        return true;
    };
    outer().all(|c| RobustKernel::orient2d(a, b, c) == Orientation::Collinear)
}

/// Whether a ring crosses or touches itself anywhere but between consecutive edges.
///
/// geo's `Validation` compares every edge with every other (quadratic: most of a render's time
/// on a 300 kB outline file); this uses geo's sweep-line `Intersections` instead, with the same
/// rule for which contacts count.
fn ring_crosses_itself(ring: &LineString<f64>) -> bool {
    use geo::Intersections;
    ring.lines()
        .collect::<Intersections<_>>()
        .any(|(a, b, _)| a.start != b.end && a.end != b.start && a != b)
}

/// Checks a polygon's rings: none crosses itself, and each hole lies inside the exterior.
fn check_polygon(polygon: &Polygon<f64>) -> Result<(), String> {
    if ring_crosses_itself(polygon.exterior()) {
        return Err("exterior ring has a self-intersection".into());
    }
    for (k, hole) in polygon.interiors().iter().enumerate() {
        if ring_crosses_itself(hole) {
            return Err(format!("interior ring #{k} has a self-intersection"));
        }
        use geo::Contains;
        let outer = Polygon::new(polygon.exterior().clone(), vec![]);
        if !hole
            .0
            .iter()
            .all(|c| outer.contains(c) || outer.exterior().contains(c))
        {
            return Err(format!(
                "interior ring #{k} is not inside the exterior ring"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_without_a_position_names_no_line() {
        let mut p = Problems::default();
        parse_outlines(
            "{\"type\":\"FeatureCollection\"}",
            "f.geojson",
            &Properties::default(),
            &mut p,
        );
        let first = p.first_error().unwrap().to_string();
        assert!(first.starts_with("f.geojson: not valid GeoJSON"), "{first}");
    }

    fn square(props: &str, ring: &str) -> String {
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{{\"type\":\"Feature\",\"properties\":{props},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{ring}]}}}}]}}"
        )
    }

    #[test]
    fn only_outlines_on_one_line_have_no_area() {
        let mp = |pts: &[(f64, f64)]| {
            MultiPolygon::new(vec![Polygon::new(LineString::from(pts.to_vec()), vec![])])
        };
        assert!(all_on_one_line(&mp(&[
            (0.0, 0.0),
            (1.0, 1.0),
            (3.0, 3.0),
            (0.0, 0.0)
        ])));
        assert!(all_on_one_line(&mp(&[
            (2.0, 5.0),
            (2.0, 5.0),
            (2.0, 5.0),
            (2.0, 5.0)
        ])));
        // A bow tie's signed areas cancel, yet it has ground.
        assert!(!all_on_one_line(&mp(&[
            (0.0, 0.0),
            (2.0, 2.0),
            (2.0, 0.0),
            (0.0, 2.0),
            (0.0, 0.0)
        ])));
        // Off the line by one part in 10^15.
        assert!(!all_on_one_line(&mp(&[
            (0.0, 0.0),
            (1.0, 1.0),
            (3.0, 3.000000000000001),
            (0.0, 0.0)
        ])));
        // Holes do not give a flat outer ring an area; a second part off the line does.
        let flat = LineString::from(vec![(0.0, 0.0), (1.0, 1.0), (3.0, 3.0), (0.0, 0.0)]);
        let hole = LineString::from(vec![(1.0, 0.0), (2.0, 0.0), (2.0, 0.5), (1.0, 0.0)]);
        let holed = MultiPolygon::new(vec![Polygon::new(flat.clone(), vec![hole.clone()])]);
        assert!(all_on_one_line(&holed));
        let two = MultiPolygon::new(vec![Polygon::new(flat, vec![]), Polygon::new(hole, vec![])]);
        assert!(!all_on_one_line(&two));
    }

    #[test]
    fn a_good_square_loads() {
        let mut p = Problems::default();
        let o = parse_outlines(
            &square(
                "{\"id\":\"A\",\"name\":\"Aa\"}",
                "[[0,0],[1,0],[1,1],[0,1],[0,0]]",
            ),
            "f.geojson",
            &Properties::default(),
            &mut p,
        );
        assert_eq!(p.all(), &[]);
        assert_eq!(o[0].id, "A");
        assert_eq!(o[0].line, 2);
    }

    #[test]
    fn broken_geometry_is_reported_at_the_feature_line() {
        let cases = [
            (
                "{\"name\":\"x\"}",
                "[[0,0],[1,0],[1,1],[0,1],[0,0]]",
                "has no id",
            ),
            ("{\"id\":\"A\"}", "[[0,0],[1,0],[1,1],[0,1]]", "not closed"),
            ("{\"id\":\"A\"}", "[[0,0],[1,0],[0,0]]", "at least 4"),
            (
                "{\"id\":\"A\"}",
                "[[0,0],[1,1],[1,0],[0,1],[0,0]]",
                "not a valid polygon",
            ),
            (
                "{\"id\":\"A\"}",
                "[[0,0],[1,0],[2,0],[3,0],[0,0]]",
                "zero area",
            ),
            (
                "{\"id\":\"A\"}",
                "[[0,0],[200,0],[1,1],[0,0]]",
                "outside longitude",
            ),
        ];
        for (props, ring, expect) in cases {
            let mut p = Problems::default();
            let o = parse_outlines(
                &square(props, ring),
                "f.geojson",
                &Properties::default(),
                &mut p,
            );
            assert!(o.is_empty(), "{expect}");
            let first = p.first_error().unwrap().to_string();
            assert!(first.starts_with("f.geojson:2: "), "{first}");
            assert!(first.contains(expect), "{first} lacks {expect}");
        }
    }

    #[test]
    fn invalid_json_names_its_line() {
        let mut p = Problems::default();
        parse_outlines(
            "{\"type\":\n\"FeatureCollection\",,}",
            "f.geojson",
            &Properties::default(),
            &mut p,
        );
        assert!(
            p.first_error()
                .unwrap()
                .to_string()
                .starts_with("f.geojson:2: not valid GeoJSON")
        );
    }
}
