//! The analysts' commands: `state`, `diff`, `describe` and `timeline` (CSV), as text.

use serde_json::{json, Map, Value};

use crate::analysis::diff::{diff, Diff};
use crate::analysis::series::share_series;
use crate::analysis::{describe, region_areas_km2, shares, Holder};
use crate::dataset::{Control, Dataset, Target};
use crate::date::Date;
use crate::decimal::{fixed, signed};
use crate::error::{Error, Result};
use crate::timeline::{Held, Timeline};
use crate::write::csv_field;

/// Output formats of `state` and `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// Aligned text for a terminal.
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
    /// GeoJSON regions with the state joined (`state` only).
    GeoJson,
}

impl TextFormat {
    /// Parses a `--format` value.
    pub fn parse(s: &str) -> std::result::Result<TextFormat, String> {
        match s {
            "table" => Ok(TextFormat::Table),
            "csv" => Ok(TextFormat::Csv),
            "json" => Ok(TextFormat::Json),
            "geojson" => Ok(TextFormat::GeoJson),
            _ => Err(format!(
                "'{s}' is not a format: use table, csv, json or geojson"
            )),
        }
    }
}

/// A notice for stderr when the date lies outside the records.
pub fn coverage_note(timeline: &Timeline, date: Date) -> Option<String> {
    let (first, last) = timeline.span()?;
    if date < first {
        Some(format!(
            "note: {date} is before the first record ({first}); targets are reported as no data"
        ))
    } else if date > last {
        Some(format!(
            "note: {date} is after the last record ({last}); this is the last known state"
        ))
    } else {
        None
    }
}

fn controller_name(dataset: &Dataset, held: Option<Held>) -> String {
    held.map_or_else(
        || "no-data".to_string(),
        |h| dataset.control_id(h.control).to_string(),
    )
}

fn parties(dataset: &Dataset, held: Option<Held>) -> String {
    match held.map(|h| h.control) {
        Some(Control::Contested(Some((a, b)))) => {
            format!(
                "{}|{}",
                dataset.manifest.factions[a].id, dataset.manifest.factions[b].id
            )
        }
        _ => String::new(),
    }
}

fn shares_json(dataset: &Dataset, list: &[(Holder, f64)]) -> Value {
    let mut m = Map::new();
    for (h, s) in list {
        m.insert(h.key(dataset).to_string(), json!(round(*s, 6)));
    }
    Value::Object(m)
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    // Adding 0.0 turns a negative zero into a zero.
    (x * f).round() / f + 0.0
}

fn target_json(dataset: &Dataset, t: Target, held: Option<Held>, area: Option<f64>) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(dataset.target_id(t)));
    m.insert("name".into(), json!(dataset.target_name(t, false)));
    m.insert("controller".into(), json!(controller_name(dataset, held)));
    let p = parties(dataset, held);
    if !p.is_empty() {
        m.insert("parties".into(), json!(p));
    }
    m.insert(
        "since".into(),
        held.map_or(Value::Null, |h| json!(h.since.to_string())),
    );
    if let Some(a) = area {
        m.insert("area_km2".into(), json!(round(a, 1)));
    }
    let record = held.map(|h| &dataset.records[h.record]);
    m.insert(
        "source".into(),
        record.map_or(Value::Null, |r| json!(r.source)),
    );
    m.insert(
        "confidence".into(),
        record.map_or(Value::Null, |r| json!(r.confidence.as_str())),
    );
    Value::Object(m)
}

fn pad_table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{s:<w$}", w = widths[i]))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// `controlmap state`: every region and town on a date, with areas and shares.
pub fn state_report(dataset: &Dataset, date: Date, format: TextFormat) -> Result<String> {
    let timeline = Timeline::new(dataset);
    let areas = region_areas_km2(dataset);
    let state = timeline.state_at(date);
    let share_list = shares(dataset, &areas, &state);
    let regions =
        (0..dataset.regions.len()).map(|i| (Target::Region(i), state.regions[i], Some(areas[i])));
    let places = (0..dataset.places.len()).map(|i| (Target::Place(i), state.places[i], None));
    Ok(match format {
        TextFormat::Json => {
            let v = json!({
                "date": date.to_string(),
                "regions": regions.map(|(t, h, a)| target_json(dataset, t, h, a)).collect::<Vec<_>>(),
                "places": places.map(|(t, h, a)| target_json(dataset, t, h, a)).collect::<Vec<_>>(),
                "shares": shares_json(dataset, &share_list),
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&v).map_err(|e| Error::Runtime(e.to_string()))?
            )
        }
        TextFormat::GeoJson => {
            let features: Vec<Value> = regions
                .map(|(t, h, a)| {
                    let Target::Region(i) = t else { return Value::Null };
                    let geometry = geojson::Geometry::from(&dataset.regions[i].geometry);
                    json!({"type": "Feature", "id": dataset.target_id(t), "properties": target_json(dataset, t, h, a), "geometry": geometry})
                })
                .collect();
            let v = json!({"type": "FeatureCollection", "date": date.to_string(), "features": features});
            format!(
                "{}\n",
                serde_json::to_string(&v).map_err(|e| Error::Runtime(e.to_string()))?
            )
        }
        TextFormat::Csv => {
            let mut s =
                String::from("kind,id,name,controller,parties,since,area_km2,confidence,source\n");
            for (kind, (t, h, a)) in regions
                .map(|r| ("region", r))
                .chain(places.map(|p| ("place", p)))
            {
                let record = h.map(|x| &dataset.records[x.record]);
                s.push_str(&format!(
                    "{kind},{},{},{},{},{},{},{},{}\n",
                    csv_field(dataset.target_id(t)),
                    csv_field(dataset.target_name(t, false)),
                    controller_name(dataset, h),
                    parties(dataset, h),
                    h.map_or(String::new(), |x| x.since.to_string()),
                    a.map_or(String::new(), |a| fixed(a, 1)),
                    record.map_or("", |r| r.confidence.as_str()),
                    csv_field(record.map_or("", |r| r.source.as_str())),
                ));
            }
            s
        }
        TextFormat::Table => {
            let mut rows = vec![vec![
                "REGION".into(),
                "NAME".into(),
                "CONTROLLER".into(),
                "SINCE".into(),
                "AREA KM2".into(),
                "CONFIDENCE".into(),
                "SOURCE".into(),
            ]];
            let mut place_rows = vec![vec![
                "TOWN".into(),
                "NAME".into(),
                "CONTROLLER".into(),
                "SINCE".into(),
                "".into(),
                "CONFIDENCE".into(),
                "SOURCE".into(),
            ]];
            for (t, h, a) in regions.chain(places) {
                let record = h.map(|x| &dataset.records[x.record]);
                let mut c = controller_name(dataset, h);
                let p = parties(dataset, h);
                if !p.is_empty() {
                    c = format!("{c} ({p})");
                }
                let row = vec![
                    dataset.target_id(t).to_string(),
                    dataset.target_name(t, false).to_string(),
                    c,
                    h.map_or("-".into(), |x| x.since.to_string()),
                    a.map_or(String::new(), |a| format!("{a:>9.0}")),
                    record.map_or("", |r| r.confidence.as_str()).to_string(),
                    record.map_or("", |r| r.source.as_str()).to_string(),
                ];
                match t {
                    Target::Region(_) => rows.push(row),
                    Target::Place(_) => place_rows.push(row),
                }
            }
            let mut s = format!(
                "Control on {date}\n\n{}\n{}\nShare of the country:\n",
                pad_table(&rows),
                pad_table(&place_rows)
            );
            let share_rows: Vec<Vec<String>> = share_list
                .iter()
                .map(|(h, x)| {
                    vec![
                        format!("  {}", h.key(dataset)),
                        format!("{:>6}%", fixed(x * 100.0, 1)),
                    ]
                })
                .collect();
            s.push_str(&pad_table(&share_rows));
            s
        }
    })
}

/// The text of `controlmap describe`.
pub fn describe_report(dataset: &Dataset, date: Date, french: bool) -> String {
    let timeline = Timeline::new(dataset);
    let areas = region_areas_km2(dataset);
    format!(
        "{}\n",
        describe(dataset, &areas, &timeline.state_at(date), french)
    )
}

/// Computes a diff for the `diff` command.
pub fn compute_diff(dataset: &Dataset, from: Date, to: Date) -> Result<Diff> {
    let timeline = Timeline::new(dataset);
    let areas = region_areas_km2(dataset);
    diff(dataset, &timeline, &areas, from, to)
}

fn control_name(dataset: &Dataset, c: Option<Control>) -> String {
    c.map_or_else(|| "no-data".into(), |c| dataset.control_id(c).to_string())
}

/// `controlmap diff` as text.
pub fn diff_report(dataset: &Dataset, d: &Diff, format: TextFormat) -> Result<String> {
    let (from, to) = (d.from.date, d.to.date);
    Ok(match format {
        TextFormat::Json | TextFormat::GeoJson => {
            let changes: Vec<Value> = d
                .changes
                .iter()
                .map(|c| {
                    json!({
                        "id": dataset.target_id(c.target),
                        "name": dataset.target_name(c.target, false),
                        "kind": if matches!(c.target, Target::Region(_)) { "region" } else { "place" },
                        "from": control_name(dataset, c.from),
                        "to": control_name(dataset, c.to),
                        "changed_on": c.changed_on.iter().map(ToString::to_string).collect::<Vec<_>>(),
                        "area_km2": c.area_km2.map(|a| round(a, 1)),
                    })
                })
                .collect();
            let mut net = Map::new();
            let mut net_share = Map::new();
            for (h, km2, share) in &d.net {
                net.insert(h.key(dataset).into(), json!(round(*km2, 1)));
                net_share.insert(h.key(dataset).into(), json!(round(*share, 6)));
            }
            let v = json!({"from": from.to_string(), "to": to.to_string(), "changes": changes, "net": net, "net_share": net_share});
            format!(
                "{}\n",
                serde_json::to_string_pretty(&v).map_err(|e| Error::Runtime(e.to_string()))?
            )
        }
        TextFormat::Csv => {
            let mut s = String::from("kind,id,name,from,to,changed_on,area_km2\n");
            for c in &d.changes {
                s.push_str(&format!(
                    "{},{},{},{},{},{},{}\n",
                    if matches!(c.target, Target::Region(_)) {
                        "region"
                    } else {
                        "place"
                    },
                    csv_field(dataset.target_id(c.target)),
                    csv_field(dataset.target_name(c.target, false)),
                    control_name(dataset, c.from),
                    control_name(dataset, c.to),
                    c.changed_on
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("|"),
                    c.area_km2.map_or(String::new(), |a| fixed(a, 1)),
                ));
            }
            for (h, km2, _) in &d.net {
                s.push_str(&format!("net,{},,,,,{}\n", h.key(dataset), fixed(*km2, 1)));
            }
            s
        }
        TextFormat::Table => {
            let mut rows = vec![vec![
                "ID".into(),
                "NAME".into(),
                "FROM".into(),
                "".into(),
                "TO".into(),
                "CHANGED ON".into(),
                "AREA KM2".into(),
            ]];
            for c in &d.changes {
                rows.push(vec![
                    dataset.target_id(c.target).to_string(),
                    dataset.target_name(c.target, false).to_string(),
                    control_name(dataset, c.from),
                    "->".into(),
                    control_name(dataset, c.to),
                    c.changed_on
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    c.area_km2.map_or(String::new(), |a| format!("{a:>9.0}")),
                ]);
            }
            let mut s = format!("Changes from {from} to {to}: {}\n\n", d.changes.len());
            if !d.changes.is_empty() {
                s.push_str(&pad_table(&rows));
            }
            s.push_str("\nNet territory (gained - lost):\n");
            let net_rows: Vec<Vec<String>> = d
                .net
                .iter()
                .map(|(h, km2, share)| {
                    vec![
                        format!("  {}", h.key(dataset)),
                        format!("{:>12} km2", signed(*km2, 0)),
                        format!("{:>7}% of the country", signed(share * 100.0, 1)),
                    ]
                })
                .collect();
            s.push_str(&pad_table(&net_rows));
            s
        }
    })
}

/// The share series as CSV for `timeline --out FILE.csv`.
pub fn series_csv(dataset: &Dataset, from: Option<Date>, to: Option<Date>) -> Result<String> {
    let timeline = Timeline::new(dataset);
    let areas = region_areas_km2(dataset);
    let (f, t) = series_span(dataset, &timeline, from, to)?;
    Ok(share_series(dataset, &timeline, &areas, f, t)?.to_csv(dataset))
}

/// The default span of a share chart: the dataset's sequence, else its records.
pub fn series_span(
    dataset: &Dataset,
    timeline: &Timeline,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<(Date, Date)> {
    let seq = dataset.manifest.sequence.as_ref();
    let f = from
        .or(seq.map(|s| s.from))
        .or(timeline.span().map(|s| s.0));
    let t = to.or(seq.map(|s| s.to)).or(timeline.span().map(|s| s.1));
    match (f, t) {
        (Some(f), Some(t)) if f <= t => Ok((f, t)),
        (Some(f), Some(t)) => Err(Error::usage_of(
            crate::error::Field::From,
            format!("{f} is after the end date {t}"),
        )),
        _ => Err(Error::usage(
            "the dataset has no records: give a start and an end date",
        )),
    }
}
