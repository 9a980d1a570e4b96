//! Physical context drawn on the map but never held: `rivers.geojson` (lines), `lakes.geojson`
//! (polygons) and `locator.geojson` (the continent's countries for the locator inset). Each is
//! optional and read through the one GeoJSON reader of the outlines, with its messages.

use geo::{Coord, LineString, MultiLineString};
use geojson::GeometryValue;

use super::manifest::Files;
use super::outlines::{self, Outline, Properties, prop_str, read_collection};
use super::problem::Problems;
use super::{Source, table};
use crate::error::Result;
use crate::lang::{Lang, Names};

/// The widest and the narrowest river rank.
pub const RANKS: std::ops::RangeInclusive<u8> = 1..=3;
/// The rank of a river whose feature gives none.
pub const DEFAULT_RANK: u8 = 2;

/// A river drawn for context.
#[derive(Debug, Clone, PartialEq)]
pub struct River {
    /// Its id (`niger`).
    pub id: String,
    /// Its names per language.
    pub names: Names,
    /// Its course in longitude/latitude degrees.
    pub lines: MultiLineString<f64>,
    /// How important it is: 1 is drawn widest, 3 thinnest.
    pub rank: u8,
    /// The line where its feature starts in its file.
    pub line: usize,
}

impl River {
    /// The name in `lang`, falling back to English.
    pub fn name(&self, lang: Lang) -> &str {
        self.names.get(lang)
    }
}

/// A dataset's physical context: rivers, lakes and the locator's countries (each empty when
/// the manifest names no file).
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Rivers, in file order.
    pub rivers: Vec<River>,
    /// Lakes, in file order.
    pub lakes: Vec<Outline>,
    /// The countries of the locator inset, in file order.
    pub locator: Vec<Outline>,
}

/// Reads the context files the manifest names, recording every problem at its file and line.
pub(super) fn read_context(
    source: &Source,
    files: &Files,
    problems: &mut Problems,
) -> Result<Context> {
    // Context outlines are drawn, never coloured: a self-crossing one is worth a warning only,
    // as for neighbours.
    let lenient = Properties {
        strict: false,
        ..Properties::default()
    };
    let mut context = Context::default();
    if let Some(name) = &files.rivers {
        let text = source.read(name)?;
        context.rivers = parse_rivers(&text, &source.display_name(name), problems);
    }
    for (name, out) in [
        (&files.lakes, &mut context.lakes),
        (&files.locator, &mut context.locator),
    ] {
        if let Some(name) = name {
            let text = source.read(name)?;
            *out = outlines::parse_outlines(&text, &source.display_name(name), &lenient, problems);
        }
    }
    Ok(context)
}

/// Parses a FeatureCollection of `LineString`/`MultiLineString` rivers with `id`, `name`,
/// `name_fr` and `rank` properties.
pub fn parse_rivers(text: &str, file: &str, problems: &mut Problems) -> Vec<River> {
    let fc = match read_collection(text) {
        Ok(c) => c,
        Err(e) => {
            problems.error(file, e.line, e.message);
            return Vec::new();
        }
    };
    let mut out: Vec<River> = Vec::new();
    for (n, feature) in fc.features.iter().enumerate() {
        let line = fc.lines.get(n).copied().unwrap_or(1);
        let mut error = |m: String| problems.error(file, Some(line), m);
        let props = feature.properties.as_ref();
        let Some(id) = feature_id(feature) else {
            error(format!("feature {} has no id (property 'id')", n + 1));
            continue;
        };
        if out.iter().any(|r| r.id == id) {
            error(format!("feature id '{id}' is used twice"));
            continue;
        }
        let Some(rank) = rank_of(props) else {
            error(format!(
                "river '{id}': rank must be a whole number from {} (widest) to {}",
                RANKS.start(),
                RANKS.end()
            ));
            continue;
        };
        let lines = match feature.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::LineString { coordinates }) => vec![coordinates],
            Some(GeometryValue::MultiLineString { coordinates }) => coordinates.iter().collect(),
            Some(other) => {
                error(format!(
                    "river '{id}' is a {} but must be a LineString or MultiLineString",
                    other.type_name()
                ));
                continue;
            }
            None => {
                error(format!("river '{id}' has no geometry"));
                continue;
            }
        };
        let Some(lines) = river_lines(&lines)
            .map_err(|m| error(format!("river '{id}' {m}")))
            .ok()
        else {
            continue;
        };
        let name = prop_str(props, "name").unwrap_or_else(|| id.clone());
        let name_fr = prop_str(props, "name_fr");
        if let Some(c) = std::iter::once(&name)
            .chain(&name_fr)
            .find_map(|s| table::forbidden_char(s, false))
        {
            error(format!(
                "river '{id}': its name holds U+{:04X}, a control character or non-character",
                u32::from(c)
            ));
            continue;
        }
        out.push(River {
            id,
            names: Names {
                en: name,
                fr: name_fr,
            },
            lines,
            rank,
            line,
        });
    }
    out
}

/// A feature's id: the property `id`, else the feature's own.
fn feature_id(feature: &geojson::Feature) -> Option<String> {
    prop_str(feature.properties.as_ref(), "id").or_else(|| match &feature.id {
        Some(geojson::feature::Id::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(geojson::feature::Id::Number(k)) => Some(k.to_string()),
        _ => None,
    })
}

/// A river's rank: [`DEFAULT_RANK`] when not given, `None` when not a whole number in [`RANKS`].
fn rank_of(props: Option<&serde_json::Map<String, serde_json::Value>>) -> Option<u8> {
    match props.and_then(|p| p.get("rank")) {
        None => Some(DEFAULT_RANK),
        Some(v) => v
            .as_u64()
            .and_then(|k| u8::try_from(k).ok())
            .filter(|k| RANKS.contains(k)),
    }
}

/// A river's lines, each of two positions or more within longitude/latitude ranges.
fn river_lines(
    lines: &[&Vec<geojson::Position>],
) -> std::result::Result<MultiLineString<f64>, String> {
    let mut out = Vec::with_capacity(lines.len());
    for positions in lines {
        if positions.len() < 2 {
            return Err(format!(
                "has a line of {} position(s); a line needs at least 2",
                positions.len()
            ));
        }
        let mut coords = Vec::with_capacity(positions.len());
        for p in positions.iter() {
            let s = p.as_slice();
            if s.len() < 2 || !s[0].is_finite() || !s[1].is_finite() {
                return Err("has a position without two numbers".into());
            }
            let (x, y) = (s[0], s[1]);
            if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
                return Err(format!(
                    "has a position ({x}, {y}) outside longitude/latitude ranges"
                ));
            }
            coords.push(Coord { x, y });
        }
        out.push(LineString::new(coords));
    }
    if out.is_empty() {
        return Err("has no lines".into());
    }
    Ok(MultiLineString::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(props: &str, geometry: &str) -> String {
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{{\"type\":\"Feature\",\"properties\":{{\"id\":\"a\"}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}}}},\n{{\"type\":\"Feature\",\"properties\":{props},\"geometry\":{geometry}}}]}}"
        )
    }

    #[test]
    fn a_river_keeps_its_names_rank_and_lines() {
        let text = collection(
            "{\"id\":\"niger\",\"name\":\"Niger\",\"name_fr\":\"Niger (fleuve)\",\"rank\":1}",
            "{\"type\":\"MultiLineString\",\"coordinates\":[[[0,0],[1,1]],[[2,2],[3,3],[4,3]]]}",
        );
        let mut p = Problems::default();
        let rivers = parse_rivers(&text, "r.geojson", &mut p);
        assert_eq!(p.all(), &[]);
        assert_eq!(rivers.len(), 2);
        let niger = &rivers[1];
        assert_eq!((niger.id.as_str(), niger.rank, niger.line), ("niger", 1, 3));
        assert_eq!(niger.name(Lang::Fr), "Niger (fleuve)");
        assert_eq!(niger.lines.0.len(), 2);
        assert_eq!(rivers[0].rank, DEFAULT_RANK);
    }

    #[test]
    fn a_bad_river_is_an_error_at_its_feature_line() {
        let line = "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}";
        let cases = [
            ("{\"name\":\"x\"}", line, "feature 2 has no id"),
            ("{\"id\":\"a\"}", line, "used twice"),
            ("{\"id\":\"b\",\"rank\":4}", line, "rank must be"),
            ("{\"id\":\"b\",\"rank\":\"big\"}", line, "rank must be"),
            (
                "{\"id\":\"b\"}",
                "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}",
                "is a Polygon but must be a LineString",
            ),
            (
                "{\"id\":\"b\"}",
                "{\"type\":\"LineString\",\"coordinates\":[[0,0]]}",
                "at least 2",
            ),
            (
                "{\"id\":\"b\"}",
                "{\"type\":\"LineString\",\"coordinates\":[[0,0],[0,95]]}",
                "outside longitude",
            ),
            ("{\"id\":\"b\"}", "null", "has no geometry"),
        ];
        for (props, geometry, expect) in cases {
            let mut p = Problems::default();
            let rivers = parse_rivers(&collection(props, geometry), "r.geojson", &mut p);
            assert_eq!(rivers.len(), 1, "{expect}: the bad feature is dropped");
            let first = p.first_error().expect(expect).to_string();
            assert!(first.starts_with("r.geojson:3: "), "{first}");
            assert!(first.contains(expect), "{first} lacks {expect}");
        }
    }
}
