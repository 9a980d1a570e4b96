//! Dated snapshot layers: a folder of GeoJSON files, one per date (`YYYYMMDD` or `YYYY-MM-DD`
//! in the file name), shaped like the public DeepStateMap and ISW archives: one merged
//! (Multi)Polygon per file, or features whose `status`/`layer` property says who holds them.
//!
//! Each polygon becomes a [`Kind::Snapshot`] territory with records made from the files: it
//! holds from its snapshot's date, and ends (`unknown`) on the next snapshot's date. A snapshot
//! is cited as its own reference, so the date it shows is the `since` of what it shows.

use geojson::{GeoJson, GeometryValue};

use super::manifest::{CONTESTED, Manifest, Mapped, Snapshots, UNKNOWN};
use super::outlines::{self, Properties};
use super::problem::Problems;
use super::records::{Confidence, Control, Record};
use super::references::{Citation, PubDate, Reference};
use crate::date::{Date, parse_date};
use crate::lang::Names;
use crate::territory::{Kind, Shape, Territory, TerritoryId};

/// What the snapshot folder adds to a dataset: its polygons, their records and the references
/// the records cite (one per file).
#[derive(Debug, Default)]
pub struct Layers {
    /// One territory per polygon, in date order, then file order.
    pub territories: Vec<Territory>,
    /// Records of those territories (their ids counted from `first`), sorted by target and date.
    pub records: Vec<Record>,
    /// One reference per snapshot file.
    pub references: Vec<Reference>,
}

/// The date a snapshot's file name carries: the first run of `YYYY-MM-DD` or of eight digits
/// `YYYYMMDD` that is a real day.
///
/// ```
/// use controlmap::dataset::snapshots::date_in_name;
/// assert_eq!(date_in_name("deepstate-20240301.geojson").unwrap().to_string(), "2024-03-01");
/// assert_eq!(date_in_name("isw_2022-02-24_layers.json").unwrap().to_string(), "2022-02-24");
/// assert!(date_in_name("latest.geojson").is_none());
/// ```
pub fn date_in_name(name: &str) -> Option<Date> {
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    for start in 0..b.len() {
        // A date starts where a run of digits starts, so `120240301` is not read as 2024-03-01.
        if !digit(start) || (start > 0 && digit(start - 1)) {
            continue;
        }
        if (start..start + 4).all(digit)
            && b.get(start + 4) == Some(&b'-')
            && let Some(d) = name.get(start..start + 10).and_then(|s| parse_date(s).ok())
        {
            return Some(d);
        }
        if (start..start + 8).all(digit) && !digit(start + 8) {
            let s = &name[start..start + 8];
            let iso = format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..]);
            if let Ok(d) = parse_date(&iso) {
                return Some(d);
            }
        }
    }
    None
}

/// The controller a status value maps to: `None` for a value not in the mapping, `Some(None)`
/// for one mapped to `unknown` (not drawn).
fn resolve(
    manifest: &Manifest,
    mapped: &Mapped,
    manifest_file: &str,
    problems: &mut Problems,
) -> Option<Option<Control>> {
    match mapped.controller.as_str() {
        UNKNOWN => Some(None),
        CONTESTED => Some(Some(Control::Contested(None))),
        id => match manifest.faction_index(id) {
            Some(i) => Some(Some(Control::Faction(i))),
            None => {
                problems.error(
                    manifest_file,
                    Some(mapped.line),
                    format!(
                        "[snapshots] maps '{}' to '{id}', which is not a faction, '{CONTESTED}' or '{UNKNOWN}'",
                        mapped.value
                    ),
                );
                None
            }
        },
    }
}

/// One snapshot file on disk: its name as shown in messages, its date and its text.
#[derive(Debug)]
pub struct File {
    /// The name within the folder.
    pub name: String,
    /// The path as named in messages.
    pub display: String,
    /// Its contents.
    pub text: String,
}

/// Reads every snapshot file into territories (ids from `first`), records and references
/// (indices from `first_reference`), reporting a name without a date, an unmapped status and a
/// file that is not GeoJSON.
pub fn parse_snapshots(
    files: &[File],
    manifest: &Manifest,
    manifest_file: &str,
    country: &geo::MultiPolygon<f64>,
    first: usize,
    first_reference: usize,
    problems: &mut Problems,
) -> Layers {
    let Some(spec) = &manifest.snapshots else {
        return Layers::default();
    };
    let values: Vec<(String, Option<Option<Control>>)> = spec
        .values
        .iter()
        .map(|m| {
            (
                m.value.clone(),
                resolve(manifest, m, manifest_file, problems),
            )
        })
        .collect();
    let default = spec
        .default
        .as_ref()
        .map(|m| resolve(manifest, m, manifest_file, problems));
    let mut dated: Vec<(Date, &File)> = Vec::new();
    for f in files {
        match date_in_name(&f.name) {
            Some(d) => dated.push((d, f)),
            None => problems.error(
                &f.display,
                None,
                "a snapshot's file name must carry its date as YYYYMMDD or YYYY-MM-DD",
            ),
        }
    }
    dated.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    for pair in dated.windows(2) {
        if pair[0].0 == pair[1].0 {
            problems.error(
                &pair[1].1.display,
                None,
                format!(
                    "a second snapshot for {} (also {})",
                    pair[0].0, pair[0].1.name
                ),
            );
        }
    }
    let mut layers = Layers::default();
    for (k, (date, file)) in dated.iter().enumerate() {
        let next = dated.get(k + 1).map(|(d, _)| *d).filter(|d| d > date);
        let reference = first_reference + layers.references.len();
        layers.references.push(Reference {
            id: format!("snapshot-{date}"),
            author: String::new(),
            publisher: spec.publisher.clone(),
            title: format!("Snapshot {}", file.name),
            date: PubDate::Day(*date),
            url: String::new(),
            archive_url: String::new(),
            language: String::new(),
            accessed: String::new(),
            note: format!("{}/{}", spec.folder, file.name),
            line: 0,
        });
        let polygons = read_file(file, spec, &values, default.as_ref(), problems);
        for (n, line, value, control, area) in polygons {
            let Some(control) = control else { continue };
            let target = TerritoryId(first + layers.territories.len());
            let record = |date: Date, control: Option<Control>| Record {
                date,
                target,
                control,
                confidence: Confidence::Confirmed,
                source: format!("snapshot-{date}"),
                citations: vec![Citation {
                    reference,
                    locator: None,
                }],
                note: format!("{}, feature {}", file.name, n + 1),
                line,
            };
            layers.records.push(record(*date, Some(control)));
            if let Some(end) = next {
                let mut ended = record(end, None);
                ended.source = format!("snapshot-{end}");
                ended.citations[0].reference = reference + 1;
                layers.records.push(ended);
            }
            let label = if value.is_empty() { "area" } else { &value };
            layers.territories.push(Territory {
                id: format!("snapshot-{date}-{}", n + 1),
                kind: Kind::Snapshot,
                names: Names {
                    en: format!("{label} ({date})"),
                    fr: None,
                },
                shape: Shape::Area(super::zones::clip(&area, country)),
                label_at: None,
                file: file.display.clone(),
                line,
                radius_km: None,
            });
        }
    }
    layers
}

/// A polygon of a snapshot: its feature index, its line, its status value, its controller (`None` when mapped to
/// `unknown`) and its ground.
type Polygon = (
    usize,
    usize,
    String,
    Option<Control>,
    geo::MultiPolygon<f64>,
);

fn read_file(
    file: &File,
    spec: &Snapshots,
    values: &[(String, Option<Option<Control>>)],
    default: Option<&Option<Option<Control>>>,
    problems: &mut Problems,
) -> Vec<Polygon> {
    let geojson: GeoJson = match file.text.parse() {
        Ok(g) => g,
        Err(e) => {
            let (line, msg) = outlines::parse_error(&e);
            problems.error(
                &file.display,
                line,
                format!("not a valid GeoJSON snapshot: {msg}"),
            );
            return Vec::new();
        }
    };
    let features: Vec<(
        Option<serde_json::Map<String, serde_json::Value>>,
        GeometryValue,
    )> = match geojson {
        GeoJson::Geometry(g) => vec![(None, g.value)],
        GeoJson::Feature(f) => f
            .geometry
            .map(|g| (f.properties, g.value))
            .into_iter()
            .collect(),
        GeoJson::FeatureCollection(fc) => fc
            .features
            .into_iter()
            .map(|f| {
                let g = f.geometry.map_or(
                    GeometryValue::GeometryCollection { geometries: vec![] },
                    |g| g.value,
                );
                (f.properties, g)
            })
            .collect(),
    };
    let lines = super::feature_lines::feature_lines(&file.text);
    let total: usize = features
        .iter()
        .map(|(_, g)| outlines::count_positions(g))
        .sum();
    if total > outlines::MAX_VERTICES {
        problems.error(
            &file.display,
            None,
            format!(
                "{total} vertices is more than the {} this tool accepts",
                outlines::MAX_VERTICES
            ),
        );
        return Vec::new();
    }
    let keys = Properties {
        strict: false,
        ..Properties::default()
    };
    let mut out = Vec::new();
    let mut skipped = 0;
    for (n, (props, geometry)) in features.into_iter().enumerate() {
        let line = lines.get(n).copied().unwrap_or(1);
        let geometry = polygons_of(geometry);
        if !matches!(
            geometry,
            GeometryValue::Polygon { .. } | GeometryValue::MultiPolygon { .. }
        ) {
            // Archives mix points (unit positions, towns) and lines (front lines) with areas.
            skipped += 1;
            continue;
        }
        let value = props
            .as_ref()
            .and_then(|p| p.get(&spec.property))
            .map(|v| match v {
                serde_json::Value::String(s) => s.trim().to_string(),
                other => other.to_string(),
            });
        let control = match (&value, default) {
            (Some(v), _) => match values.iter().find(|(k, _)| k == v) {
                Some((_, Some(c))) => *c,
                // Mapped to something unknown: the manifest's own error says so.
                Some((_, None)) => continue,
                None => {
                    problems.error(
                        &file.display,
                        Some(line),
                        format!(
                            "feature {}: {} '{v}' is not mapped in [snapshots] values",
                            n + 1,
                            spec.property
                        ),
                    );
                    continue;
                }
            },
            (None, Some(Some(c))) => *c,
            (None, Some(None)) => continue,
            (None, None) => {
                problems.error(
                    &file.display,
                    Some(line),
                    format!(
                        "feature {}: no '{}' property and no [snapshots] default",
                        n + 1,
                        spec.property
                    ),
                );
                continue;
            }
        };
        let id = format!("feature {}", n + 1);
        let Some(area) =
            outlines::to_multipolygon(&geometry, &id, &file.display, line, &keys, problems)
        else {
            continue;
        };
        out.push((n, line, value.unwrap_or_default(), control, area));
    }
    if skipped > 0 && out.is_empty() {
        problems.warning(
            &file.display,
            None,
            format!("{skipped} feature(s) are not polygons and are skipped"),
        );
    }
    out
}

/// A GeometryCollection's polygons as one MultiPolygon (some archives wrap each area with its
/// label point in a collection); any other geometry as it is.
fn polygons_of(geometry: GeometryValue) -> GeometryValue {
    let GeometryValue::GeometryCollection { geometries } = geometry else {
        return geometry;
    };
    let mut polygons = Vec::new();
    for g in geometries {
        match polygons_of(g.value) {
            GeometryValue::Polygon { coordinates } => polygons.push(coordinates),
            GeometryValue::MultiPolygon { coordinates } => polygons.extend(coordinates),
            _ => {}
        }
    }
    if polygons.is_empty() {
        GeometryValue::GeometryCollection { geometries: vec![] }
    } else {
        GeometryValue::MultiPolygon {
            coordinates: polygons,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_found_in_either_shape_and_never_inside_a_longer_number() {
        assert_eq!(
            date_in_name("2024-03-01.json").unwrap().to_string(),
            "2024-03-01"
        );
        assert_eq!(
            date_in_name("x_20240301_y.geojson").unwrap().to_string(),
            "2024-03-01"
        );
        assert!(date_in_name("v120240301.geojson").is_none());
        assert!(date_in_name("202403011.geojson").is_none());
        assert!(date_in_name("2024-02-30.geojson").is_none());
        assert!(date_in_name("20241301.geojson").is_none());
    }

    #[test]
    fn a_collection_of_an_area_and_its_label_point_reads_as_the_area() {
        let text = r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[0.5,0.5]},{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}]}"#;
        let g: geojson::Geometry = text.parse::<GeoJson>().unwrap().try_into().unwrap();
        let GeometryValue::MultiPolygon { coordinates } = polygons_of(g.value) else {
            panic!("not read as an area");
        };
        assert_eq!(coordinates.len(), 1);
    }
}
