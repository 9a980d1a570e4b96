//! The analysts' commands: `state`, `diff`, `describe` and `timeline` (CSV), as text.

use serde_json::{Map, Value, json};

use crate::analysis::citations::{
    Cited, HANDFUL, join_citations, record_citations, state_citations, state_sources,
};
use crate::analysis::diff::{Diff, diff};
use crate::analysis::series::ShareSeries;
use crate::analysis::{Holder, areas_km2, describe, shares};
use crate::dataset::{Control, Dataset, Record, Reference};
use crate::date::Date;
use crate::decimal::{fixed, signed};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::territory::{Kind, TerritoryId};
use crate::timeline::{Held, Timeline};
use crate::write::csv::Table;

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

fn target_json(
    dataset: &Dataset,
    t: TerritoryId,
    held: Option<Held>,
    area: Option<f64>,
    lang: Lang,
) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(dataset.target_id(t)));
    m.insert("name".into(), json!(dataset.target_name(t, lang)));
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
        "sources".into(),
        record.map_or(Value::Null, |r| {
            json!(row_sources(dataset, r, usize::MAX, lang))
        }),
    );
    if !dataset.references.is_empty() {
        m.insert(
            "references".into(),
            record.map_or(Value::Null, |r| references_json(dataset, r, lang)),
        );
    }
    m.insert(
        "confidence".into(),
        record.map_or(Value::Null, |r| json!(r.confidence.as_str())),
    );
    Value::Object(m)
}

/// A record's citations in short form, at most `max` of them with "and N more".
fn row_sources(dataset: &Dataset, record: &Record, max: usize, lang: Lang) -> String {
    let list = record_citations(dataset, &record.source, &record.citations, lang);
    join_citations(&list, max, lang)
}

/// The full reference objects a record cites, each with its locator when the record gives one.
pub(crate) fn references_json(dataset: &Dataset, record: &Record, lang: Lang) -> Value {
    Value::Array(
        record
            .citations
            .iter()
            .filter_map(|c| {
                let reference = dataset.references.get(c.reference)?;
                let mut v = reference_json(reference, lang);
                if let (Some(l), Value::Object(o)) = (&c.locator, &mut v) {
                    o.insert("locator".into(), json!(l));
                }
                Some(v)
            })
            .collect(),
    )
}

/// The full reference object of JSON outputs: every column of `references.csv` and its short form.
fn reference_json(r: &Reference, lang: Lang) -> Value {
    let text = |s: &str| if s.is_empty() { Value::Null } else { json!(s) };
    json!({
        "id": r.id,
        "short": r.short(lang),
        "author": text(&r.author),
        "publisher": r.publisher,
        "title": r.title,
        "date": text(&r.date.to_string()),
        "url": text(&r.url),
        "archive_url": text(&r.archive_url),
        "language": text(&r.language),
        "accessed": text(&r.accessed),
        "note": text(&r.note),
    })
}

/// The references behind a state in full, newest first (see [`state_sources`]).
fn state_references_json(dataset: &Dataset, state: &crate::timeline::State, lang: Lang) -> Value {
    Value::Array(
        state_sources(dataset, state, None)
            .into_iter()
            .filter_map(|c| match c {
                Cited::Reference(i) => Some(reference_json(&dataset.references[i], lang)),
                Cited::Text(_) => None,
            })
            .collect(),
    )
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

/// `state --format geojson`: one feature per piece of ground drawn on the date (a region less
/// its towns' areas, each town's area) with who held it, its colour, since when, how surely, on
/// whose word (full references) and its area; then every town as a point with its holder.
/// Rings are wound as RFC 7946 asks, coordinates at 5 decimals.
fn pieces_geojson(dataset: &Dataset, state: &crate::timeline::State, lang: Lang) -> Result<String> {
    use crate::commands::history::{rfc7946, round};
    let reaches = crate::compose::Reaches::new(dataset)?;
    let active = crate::compose::Active::of(&reaches, state);
    let composition = crate::compose::Composition::new(dataset, &reaches, &active);
    let properties = |t: TerritoryId, area: Option<f64>| {
        let x = dataset.territory(t);
        let held = state.get(t);
        let mut p = target_json(dataset, t, held, area, lang);
        p["territory"] = json!(x.id);
        p["kind"] = json!(x.kind.as_str());
        p["label"] = json!(x.name(lang));
        p["colour"] = match held.map(|h| h.control) {
            Some(Control::Faction(f)) => json!(dataset.manifest.factions[f].colour.hex()),
            _ => Value::Null,
        };
        p
    };
    let mut features: Vec<Value> = composition
        .pieces
        .iter()
        .map(|p| {
            json!({"type": "Feature", "properties": properties(p.territory, Some(round(p.area_km2, 1))), "geometry": rfc7946(&p.geometry)})
        })
        .collect();
    for (t, town) in dataset.towns() {
        let Some(at) = town.point() else { continue };
        let mut props = properties(t, None);
        props["lat"] = json!(round(at.y, 5));
        props["lon"] = json!(round(at.x, 5));
        let point = json!({"type": "Point", "coordinates": [round(at.x, 5), round(at.y, 5)]});
        features.push(json!({"type": "Feature", "properties": props, "geometry": point}));
    }
    let v =
        json!({"type": "FeatureCollection", "date": state.date.to_string(), "features": features});
    Ok(format!(
        "{}\n",
        serde_json::to_string(&v).map_err(|e| Error::Runtime(e.to_string()))?
    ))
}

/// `controlmap state`: every region and town on a date, with areas and shares. Names, sources
/// and the table's words follow `lang`; ids, keys and numbers do not.
pub fn state_report(
    dataset: &Dataset,
    date: Date,
    format: TextFormat,
    lang: Lang,
) -> Result<String> {
    let timeline = Timeline::new(dataset);
    let areas = areas_km2(dataset);
    let state = timeline.state_at(date);
    let share_list = shares(dataset, &areas, &state);
    // Areas on the composed geometry: a region less the areas of its towns that hold a record.
    let effective = areas.effective(dataset, &state);
    let regions = dataset
        .regions()
        .map(|(i, _)| (i, state.get(i), Some(effective[i.0])));
    let places = dataset.towns().map(|(i, _)| {
        let km2 = effective[i.0];
        (i, state.get(i), (km2 > 0.0).then_some(km2))
    });
    let zones = shown_layers(dataset, &state).map(|(i, _)| (i, state.get(i), Some(effective[i.0])));
    Ok(match format {
        TextFormat::Json => {
            let mut v = json!({
                "date": date.to_string(),
                "regions": regions.map(|(t, h, a)| target_json(dataset, t, h, a, lang)).collect::<Vec<_>>(),
                "places": places.map(|(t, h, a)| target_json(dataset, t, h, a, lang)).collect::<Vec<_>>(),
                "shares": shares_json(dataset, &share_list),
                "sources": state_citations(dataset, &state, None, lang),
                "references": state_references_json(dataset, &state, lang),
            });
            if dataset.layers().next().is_some() {
                v["zones"] = zones
                    .map(|(t, h, a)| {
                        let mut z = target_json(dataset, t, h, a, lang);
                        z["kind"] = json!(dataset.territory(t).kind.as_str());
                        z
                    })
                    .collect();
            }
            format!(
                "{}\n",
                serde_json::to_string_pretty(&v).map_err(|e| Error::Runtime(e.to_string()))?
            )
        }
        TextFormat::GeoJson => pieces_geojson(dataset, &state, lang)?,
        TextFormat::Csv => {
            let mut t = Table::new();
            t.text_row(&[
                "kind",
                "id",
                "name",
                "controller",
                "parties",
                "since",
                "area_km2",
                "confidence",
                "sources",
            ])?;
            for (kind, (id, h, a)) in regions
                .map(|r| ("region", r))
                .chain(places.map(|p| ("place", p)))
                .chain(zones.map(|z| (dataset.territory(z.0).kind.as_str(), z)))
            {
                let record = h.map(|x| &dataset.records[x.record]);
                t.text(kind)
                    .text(dataset.target_id(id))
                    .text(dataset.target_name(id, lang))
                    .text(&controller_name(dataset, h))
                    .text(&parties(dataset, h))
                    .num(h.map_or(String::new(), |x| x.since.to_string()))
                    .num(a.map_or(String::new(), |a| fixed(a, 1)))
                    .text(record.map_or("", |r| r.confidence.as_str()))
                    .text(
                        &record
                            .map_or(String::new(), |r| row_sources(dataset, r, usize::MAX, lang)),
                    )
                    .end_row()?;
            }
            t.finish()?
        }
        TextFormat::Table => state_table(dataset, &state, &share_list, &effective, lang),
    })
}

/// The `state` report as aligned text for a terminal.
fn state_table(
    dataset: &Dataset,
    state: &crate::timeline::State,
    share_list: &[(Holder, f64)],
    effective: &[f64],
    lang: Lang,
) -> String {
    let head = |first: &str, area: &str| -> Vec<String> {
        vec![
            first.into(),
            lang.pick("NAME", "NOM").into(),
            lang.pick("CONTROLLER", "CONTRÔLE").into(),
            lang.pick("SINCE", "DEPUIS").into(),
            area.into(),
            lang.pick("CONFIDENCE", "FIABILITÉ").into(),
            "SOURCES".into(),
        ]
    };
    let area_head = lang.pick("AREA KM2", "SUPERFICIE KM2");
    let mut rows = vec![head(lang.pick("REGION", "RÉGION"), area_head)];
    let mut place_rows = vec![head(lang.pick("TOWN", "VILLE"), "")];
    let mut zone_rows = vec![head("ZONE", area_head)];
    let listed = dataset
        .regions()
        .chain(dataset.towns())
        .chain(shown_layers(dataset, state));
    for (t, x) in listed {
        let h = state.get(t);
        let km2 = effective[t.0];
        let a = (x.is_region() || km2 > 0.0).then_some(km2);
        let record = h.map(|x| &dataset.records[x.record]);
        let mut c = controller_name(dataset, h);
        let p = parties(dataset, h);
        if !p.is_empty() {
            c = format!("{c} ({p})");
        }
        let row = vec![
            dataset.target_id(t).to_string(),
            dataset.target_name(t, lang).to_string(),
            c,
            h.map_or("-".into(), |x| x.since.to_string()),
            a.map_or(String::new(), |a| format!("{:>9}", fixed(a, 0))),
            record.map_or("", |r| r.confidence.as_str()).to_string(),
            record.map_or(String::new(), |r| row_sources(dataset, r, HANDFUL, lang)),
        ];
        match x.kind {
            Kind::Region => rows.push(row),
            Kind::Town(_) => place_rows.push(row),
            _ => zone_rows.push(row),
        }
    }
    let zone_table = if zone_rows.len() > 1 {
        format!("{}\n", pad_table(&zone_rows))
    } else {
        String::new()
    };
    let mut s = format!(
        "{} {}\n\n{}\n{zone_table}{}\n{}\n",
        lang.pick("Control on", "Contrôle au"),
        state.date,
        pad_table(&rows),
        pad_table(&place_rows),
        lang.pick("Share of the country:", "Part du pays :")
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
    let sources = state_citations(dataset, state, None, lang);
    if !sources.is_empty() {
        s.push_str(&format!(
            "\n{} {}.\n",
            lang.pick(
                "Sources of the changes in force, newest first:",
                "Sources des changements en vigueur, les plus récents d\u{2019}abord :"
            ),
            join_citations(&sources, HANDFUL, lang)
        ));
    }
    s
}

/// The text of `controlmap describe`.
pub fn describe_report(dataset: &Dataset, date: Date, lang: Lang) -> String {
    let timeline = Timeline::new(dataset);
    let areas = areas_km2(dataset);
    format!(
        "{}\n",
        describe(dataset, &areas, &timeline.state_at(date), lang)
    )
}

/// Computes a diff for the `diff` command.
pub fn compute_diff(dataset: &Dataset, from: Date, to: Date) -> Result<Diff> {
    let timeline = Timeline::new(dataset);
    let areas = areas_km2(dataset);
    diff(dataset, &timeline, &areas, from, to)
}

fn control_name(dataset: &Dataset, c: Option<Control>) -> String {
    c.map_or_else(|| "no-data".into(), |c| dataset.control_id(c).to_string())
}

/// One end of a change: its holder, or `not-in-force` for a zone or snapshot polygon without a
/// record then (it is not drawn; its ground follows the region's record, not "no data").
fn change_end(dataset: &Dataset, t: TerritoryId, c: Option<Control>) -> String {
    if c.is_none() && dataset.territory(t).kind.is_layer() {
        return "not-in-force".into();
    }
    control_name(dataset, c)
}

fn kind_word(dataset: &Dataset, t: TerritoryId) -> &'static str {
    match dataset.territory(t).kind {
        Kind::Town(_) => "place",
        k => k.as_str(),
    }
}

/// The zones and snapshot polygons a state report lists: those with a record in force. One
/// without is not drawn (the ground under it follows its region), so listing it as "no data"
/// would contradict the shares; and an archive of a thousand snapshot files would list every
/// polygon it ever drew.
fn shown_layers<'a>(
    dataset: &'a Dataset,
    state: &'a crate::timeline::State,
) -> impl Iterator<Item = (TerritoryId, &'a crate::territory::Territory)> + 'a {
    dataset
        .layers()
        .filter(move |(i, _)| state.get(*i).is_some())
}

/// `controlmap diff` as text. Names, sources and the table's words follow `lang`.
pub fn diff_report(dataset: &Dataset, d: &Diff, format: TextFormat, lang: Lang) -> Result<String> {
    let (from, to) = (d.from.date, d.to.date);
    let changed_on = |c: &crate::analysis::diff::Change, sep: &str| {
        c.changed_on
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(sep)
    };
    Ok(match format {
        TextFormat::Json | TextFormat::GeoJson => {
            let changes: Vec<Value> = d
                .changes
                .iter()
                .map(|c| {
                    let record = d.to.get(c.target).map(|h| &dataset.records[h.record]);
                    json!({
                        "id": dataset.target_id(c.target),
                        "name": dataset.target_name(c.target, lang),
                        "kind": kind_word(dataset, c.target),
                        "from": change_end(dataset, c.target, c.from),
                        "to": change_end(dataset, c.target, c.to),
                        "changed_on": c.changed_on.iter().map(ToString::to_string).collect::<Vec<_>>(),
                        "area_km2": c.area_km2.map(|a| round(a, 1)),
                        // The sources of the record in force on the later date.
                        "sources": record.map(|r| row_sources(dataset, r, usize::MAX, lang)),
                        "references": record.map(|r| references_json(dataset, r, lang)),
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
            let mut t = Table::new();
            t.text_row(&["kind", "id", "name", "from", "to", "changed_on", "area_km2"])?;
            for c in &d.changes {
                t.text(kind_word(dataset, c.target))
                    .text(dataset.target_id(c.target))
                    .text(dataset.target_name(c.target, lang))
                    .text(&change_end(dataset, c.target, c.from))
                    .text(&change_end(dataset, c.target, c.to))
                    .num(changed_on(c, "|"))
                    .num(c.area_km2.map_or(String::new(), |a| fixed(a, 1)))
                    .end_row()?;
            }
            for (h, km2, _) in &d.net {
                t.text("net").text(h.key(dataset));
                for _ in 0..4 {
                    t.num("");
                }
                t.num(fixed(*km2, 1)).end_row()?;
            }
            t.finish()?
        }
        TextFormat::Table => {
            let mut rows = vec![vec![
                "ID".into(),
                lang.pick("NAME", "NOM").into(),
                lang.pick("FROM", "AVANT").into(),
                "".into(),
                lang.pick("TO", "APRÈS").into(),
                lang.pick("CHANGED ON", "CHANGÉ LE").into(),
                lang.pick("AREA KM2", "SUPERFICIE KM2").into(),
            ]];
            for c in &d.changes {
                rows.push(vec![
                    dataset.target_id(c.target).to_string(),
                    dataset.target_name(c.target, lang).to_string(),
                    change_end(dataset, c.target, c.from),
                    "->".into(),
                    change_end(dataset, c.target, c.to),
                    changed_on(c, ", "),
                    c.area_km2
                        .map_or(String::new(), |a| format!("{:>9}", fixed(a, 0))),
                ]);
            }
            let mut s = match lang {
                Lang::En => format!("Changes from {from} to {to}: {}\n\n", d.changes.len()),
                Lang::Fr => format!("Changements du {from} au {to} : {}\n\n", d.changes.len()),
            };
            if !d.changes.is_empty() {
                s.push_str(&pad_table(&rows));
            }
            s.push_str(lang.pick(
                "\nNet territory (gained - lost):\n",
                "\nTerritoire net (gagné - perdu) :\n",
            ));
            let net_rows: Vec<Vec<String>> = d
                .net
                .iter()
                .map(|(h, km2, share)| {
                    vec![
                        format!("  {}", h.key(dataset)),
                        format!("{:>12} km2", signed(*km2, 0)),
                        format!(
                            "{:>7}% {}",
                            signed(share * 100.0, 1),
                            lang.pick("of the country", "du pays")
                        ),
                    ]
                })
                .collect();
            s.push_str(&pad_table(&net_rows));
            s
        }
    })
}

/// A share series as CSV: `date,<holder>…`, shares to six decimals.
pub fn series_to_csv(dataset: &Dataset, series: &ShareSeries) -> Result<String> {
    let mut t = Table::new();
    t.text("date");
    for h in &series.holders {
        t.text(h.key(dataset));
    }
    t.end_row()?;
    for (d, v) in &series.rows {
        t.num(d.to_string());
        for x in v {
            t.num(fixed(*x, 6));
        }
        t.end_row()?;
    }
    t.finish()
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
