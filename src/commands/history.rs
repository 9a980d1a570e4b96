//! `controlmap history`: every interval of every piece of ground, for GIS time controllers and
//! spreadsheets.

use geo::{MapCoords, Orient};
use serde_json::{Value, json};

use crate::analysis::history::{Interval, changes, intervals};
use crate::dataset::{Control, Dataset};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::timeline::Timeline;

/// The shapes `history` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryFormat {
    /// GeoJSON features with `valid_from`/`valid_to`, one per piece of ground and interval.
    GeoJson,
    /// One row per change of holder: `date,territory,kind,name,controller,confidence`.
    Csv,
    /// One row per territory, one column per change date.
    WideCsv,
}

/// What `history` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRequest {
    /// The first day (default: the first record).
    pub from: Option<Date>,
    /// The last day (default: the last record).
    pub to: Option<Date>,
    /// The output shape.
    pub format: HistoryFormat,
    /// The language of names.
    pub lang: Lang,
}

/// A controller's id as written in the dataset (`no-data` without a record).
fn controller(dataset: &Dataset, c: Option<Control>) -> String {
    c.map_or_else(
        || "no-data".to_string(),
        |c| dataset.control_id(c).to_string(),
    )
}

/// A number rounded to `digits` decimals, never negative zero.
pub(crate) fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    let r = (x * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

fn feature(dataset: &Dataset, i: &Interval, end: Date, lang: Lang) -> Value {
    let t = dataset.territory(i.territory);
    let parties = match i.control {
        Some(Control::Contested(Some((a, b)))) => vec![
            dataset.manifest.factions[a].id.clone(),
            dataset.manifest.factions[b].id.clone(),
        ],
        _ => Vec::new(),
    };
    let refs = i.record.map_or(Value::Array(Vec::new()), |r| {
        super::analyst::references_json(dataset, &dataset.records[r], lang)
    });
    json!({
        "type": "Feature",
        "properties": {
            "territory": t.id,
            "kind": t.kind.as_str(),
            "name": t.name(lang),
            "controller": controller(dataset, i.control),
            "parties": parties,
            "confidence": i.confidence.map(|c| c.as_str()),
            "valid_from": i.from.to_string(),
            "valid_to": i.to.unwrap_or(end).to_string(),
            "ongoing": i.to.is_none(),
            "area_km2": round(i.area_km2, 1),
            "references": refs,
        },
        "geometry": rfc7946(&i.geometry),
    })
}

/// A multipolygon as RFC 7946 wants it: 5 decimals (about a metre), exterior rings
/// counter-clockwise and holes clockwise, without the slivers rounding flattens.
pub fn rfc7946(mp: &geo::MultiPolygon<f64>) -> geojson::Geometry {
    let rounded = mp.map_coords(|c| geo::Coord {
        x: round(c.x, 5),
        y: round(c.y, 5),
    });
    let kept = geo::MultiPolygon::new(
        rounded
            .0
            .into_iter()
            .filter(|p| geo::Area::unsigned_area(p) > 0.0)
            .collect(),
    );
    geojson::Geometry::from(&kept.orient(geo::orient::Direction::Default))
}

fn csv_text(rows: Vec<Vec<String>>) -> Result<String> {
    let mut t = crate::write::csv::Table::new();
    for r in rows {
        t.text_row(&r)?;
    }
    t.finish()
}

/// The `history` report.
///
/// `valid_to` is the last day the holder held the ground, included (set the time controller's
/// limits to "include start, include end"); an interval still running at the end of the span has
/// `valid_to` on that end and `"ongoing": true`.
pub fn history_report(dataset: &Dataset, req: &HistoryRequest) -> Result<String> {
    let span = Timeline::new(dataset).span();
    let (Some(from), Some(to)) = (req.from.or(span.map(|s| s.0)), req.to.or(span.map(|s| s.1)))
    else {
        return Err(Error::usage("the dataset has no records to report"));
    };
    if from > to {
        return Err(Error::usage_of(
            crate::error::Field::From,
            format!("{from} is after the end date {to}"),
        ));
    }
    match req.format {
        HistoryFormat::GeoJson => {
            let features: Vec<Value> = intervals(dataset, from, to)?
                .iter()
                .map(|i| feature(dataset, i, to, req.lang))
                .collect();
            let v = json!({"type": "FeatureCollection", "features": features});
            Ok(format!(
                "{}\n",
                serde_json::to_string(&v).map_err(|e| Error::Runtime(e.to_string()))?
            ))
        }
        HistoryFormat::Csv => {
            let mut rows = vec![
                [
                    "date",
                    "territory",
                    "kind",
                    "name",
                    "controller",
                    "confidence",
                ]
                .map(String::from)
                .to_vec(),
            ];
            for r in changes(dataset, from, to) {
                let t = dataset.territory(r.territory);
                rows.push(vec![
                    r.date.to_string(),
                    t.id.clone(),
                    t.kind.as_str().to_string(),
                    t.name(req.lang).to_string(),
                    controller(dataset, r.control),
                    r.confidence.map_or("", |c| c.as_str()).to_string(),
                ]);
            }
            csv_text(rows)
        }
        HistoryFormat::WideCsv => {
            let rows = changes(dataset, from, to);
            let mut days: Vec<Date> = rows.iter().map(|r| r.date).collect();
            days.sort();
            days.dedup();
            let timeline = Timeline::new(dataset);
            let states: Vec<_> = days.iter().map(|d| timeline.state_at(*d)).collect();
            let mut out = vec![
                ["territory", "kind", "name"]
                    .iter()
                    .map(|s| s.to_string())
                    .chain(days.iter().map(Date::to_string))
                    .collect::<Vec<_>>(),
            ];
            for (t, x) in dataset.territory_ids() {
                let mut row = vec![
                    x.id.clone(),
                    x.kind.as_str().to_string(),
                    x.name(req.lang).to_string(),
                ];
                row.extend(states.iter().map(|s| controller(dataset, s.control(t))));
                out.push(row);
            }
            csv_text(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Source;

    fn mali() -> Dataset {
        Dataset::load(&Source::Embedded).unwrap()
    }

    fn req(format: HistoryFormat) -> HistoryRequest {
        HistoryRequest {
            from: None,
            to: None,
            format,
            lang: Lang::En,
        }
    }

    #[test]
    fn geojson_features_have_valid_from_and_to_and_counter_clockwise_exteriors() {
        let text = history_report(&mali(), &req(HistoryFormat::GeoJson)).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let features = v["features"].as_array().unwrap();
        assert!(features.len() > 50);
        for f in features {
            let p = &f["properties"];
            assert!(p["valid_from"].as_str().unwrap() <= p["valid_to"].as_str().unwrap());
            let g: geojson::Geometry = serde_json::from_value(f["geometry"].clone()).unwrap();
            let mp: geo::MultiPolygon<f64> = g.try_into().unwrap();
            for poly in &mp.0 {
                use geo::Winding;
                assert!(poly.exterior().is_ccw(), "{}", p["territory"]);
            }
        }
    }

    #[test]
    fn the_long_csv_has_a_row_per_change_and_the_wide_one_a_column_per_change_date() {
        let d = mali();
        let long = history_report(&d, &req(HistoryFormat::Csv)).unwrap();
        let mut r = csv::Reader::from_reader(long.as_bytes());
        assert_eq!(
            r.headers().unwrap().iter().collect::<Vec<_>>(),
            [
                "date",
                "territory",
                "kind",
                "name",
                "controller",
                "confidence"
            ]
        );
        let rows = r.records().count();
        assert!(rows > d.territories.len());
        let wide = history_report(&d, &req(HistoryFormat::WideCsv)).unwrap();
        let mut r = csv::Reader::from_reader(wide.as_bytes());
        assert_eq!(r.records().count(), d.territories.len());
        assert!(r.headers().unwrap().len() > 20);
    }

    #[test]
    fn state_geojson_has_one_feature_per_piece_and_every_town_as_a_point() {
        let d = mali();
        let date = crate::date::parse_date("2014-06-01").unwrap();
        let text = crate::commands::analyst::state_report(
            &d,
            date,
            crate::commands::analyst::TextFormat::GeoJson,
            Lang::En,
        )
        .unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let features = v["features"].as_array().unwrap();
        let points = features
            .iter()
            .filter(|f| f["geometry"]["type"] == "Point")
            .count();
        assert_eq!(points, d.towns().count());
        let timbuktu_area = features
            .iter()
            .find(|f| {
                f["properties"]["territory"] == "timbuktu"
                    && f["geometry"]["type"] == "MultiPolygon"
            })
            .expect("Timbuktu's area is a piece of its own");
        assert_eq!(timbuktu_area["properties"]["controller"], "government");
        let km2: f64 = features
            .iter()
            .filter_map(|f| f["properties"]["area_km2"].as_f64())
            .sum();
        assert!((km2 - 1_240_000.0).abs() / 1_240_000.0 < 0.02, "{km2}");
    }

    #[test]
    fn a_span_that_ends_before_it_starts_is_refused_in_every_shape() {
        let d = mali();
        for format in [
            HistoryFormat::GeoJson,
            HistoryFormat::Csv,
            HistoryFormat::WideCsv,
        ] {
            let r = HistoryRequest {
                from: crate::date::parse_date("2013-01-01").ok(),
                to: crate::date::parse_date("2012-01-01").ok(),
                ..req(format)
            };
            assert!(history_report(&d, &r).is_err(), "{format:?}");
        }
    }

    #[test]
    fn no_cell_can_be_read_as_a_formula() {
        assert_eq!(crate::write::csv::neutralise("=1+1"), "'=1+1");
        assert_eq!(crate::write::csv::neutralise("-3"), "'-3");
        assert_eq!(crate::write::csv::neutralise("Gao"), "Gao");
    }
}
