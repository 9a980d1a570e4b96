//! The analysts' numbers and commands: areas, shares, diffs, the share series, and bad input.

mod common;

use common::*;
use controlmap::analysis::{Areas, Holder, areas_km2, series::share_series, shares};
use controlmap::dataset::{Dataset, Source};
use controlmap::date::parse_date;
use controlmap::timeline::Timeline;

fn mali() -> (Dataset, Timeline, Areas) {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let a = areas_km2(&d);
    (d, t, a)
}

#[test]
fn the_nine_regions_total_mali_within_two_percent() {
    let (d, _, areas) = mali();
    let total = areas.total(&d);
    assert!((total - 1_240_000.0).abs() / 1_240_000.0 < 0.02, "{total}");
}

#[test]
fn the_three_northern_regions_are_about_two_thirds_of_mali_in_mid_july_2012() {
    let (d, t, areas) = mali();
    let s = shares(&d, &areas, &t.state_at(parse_date("2012-07-15").unwrap()));
    let islamist = Holder::Faction(d.manifest.faction_index("islamist").unwrap());
    let share = s.iter().find(|(h, _)| *h == islamist).unwrap().1;
    assert!((share - 2.0 / 3.0).abs() < 0.03, "{share}");
}

#[test]
fn shares_sum_to_one_on_every_day() {
    let (d, t, areas) = mali();
    let series = share_series(
        &d,
        &t,
        &areas,
        parse_date("2011-12-01").unwrap(),
        parse_date("2015-01-31").unwrap(),
    )
    .unwrap();
    assert_eq!(series.rows.len(), 31 + 366 + 365 + 365 + 31);
    for (day, v) in &series.rows {
        let sum: f64 = v.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9, "{day}: {sum}");
    }
    // Before the first record everything is no data.
    assert_eq!(series.rows[0].1.last().copied(), Some(1.0));
}

#[test]
fn state_json_has_the_documented_shape() {
    let o = run_in(
        &root(),
        &["state", "--date", "2012-07-15", "--format", "json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["date"], "2012-07-15");
    let kidal = v["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "ML-8")
        .unwrap();
    assert_eq!(kidal["name"], "Kidal");
    assert_eq!(kidal["controller"], "islamist");
    assert!(kidal["since"].as_str().unwrap().starts_with("2012-"));
    // On the composed geometry: Kidal region less the areas of its towns that hold a record.
    let kidal_km2 = kidal["area_km2"].as_f64().unwrap();
    assert!(
        kidal_km2 > 110_000.0 && kidal_km2 < 146_000.0,
        "{kidal_km2}"
    );
    // The regions' and the towns' areas partition the country.
    let sum: f64 = ["regions", "places"]
        .iter()
        .flat_map(|k| v[*k].as_array().unwrap())
        .filter_map(|x| x["area_km2"].as_f64())
        .sum();
    assert!((sum - 1_240_000.0).abs() / 1_240_000.0 < 0.02, "{sum}");
    // Sources in short form, and the full reference objects behind them.
    assert!(!kidal["sources"].as_str().unwrap().is_empty());
    let refs = kidal["references"].as_array().unwrap();
    assert!(!refs.is_empty());
    for r in refs {
        for key in ["id", "short", "publisher", "title"] {
            assert!(r[key].as_str().is_some_and(|s| !s.is_empty()), "{key}: {r}");
        }
    }
    assert!(!v["references"].as_array().unwrap().is_empty());
    assert!(!v["sources"].as_array().unwrap().is_empty());
    let places = v["places"].as_array().unwrap();
    assert!(
        places
            .iter()
            .any(|p| p["id"] == "timbuktu" && p["controller"] == "islamist")
    );
    let sum: f64 = v["shares"]
        .as_object()
        .unwrap()
        .values()
        .map(|x| x.as_f64().unwrap())
        .sum();
    assert!((sum - 1.0).abs() < 1e-4, "{sum}");
}

#[test]
fn who_held_kidal_on_1_june_2014() {
    let o = run_in(
        &root(),
        &["state", "--date", "2014-06-01", "--format", "csv"],
    );
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.lines()
            .any(|l| l.starts_with("region,ML-8,Kidal,mnla,")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("place,kidal,Kidal,mnla,")),
        "{text}"
    );
}

#[test]
fn state_geojson_joins_the_state_to_the_outlines() {
    let o = run_in(
        &root(),
        &["state", "--date", "2013-02-15", "--format", "geojson"],
    );
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let features = v["features"].as_array().unwrap();
    let d = controlmap::dataset::Dataset::load(&controlmap::dataset::Source::Embedded).unwrap();
    let (areas, points): (Vec<_>, Vec<_>) = features
        .iter()
        .partition(|f| f["geometry"]["type"] != "Point");
    // Every town as a point; one piece per region and per town holding its own area.
    assert_eq!(points.len(), d.towns().count());
    assert!(areas.len() > 9, "{}", areas.len());
    let regions = areas
        .iter()
        .filter(|f| f["properties"]["kind"] == "region")
        .count();
    assert_eq!(regions, 9);
    assert!(
        areas
            .iter()
            .all(|f| f["geometry"]["type"] == "MultiPolygon")
    );
    assert!(
        features
            .iter()
            .all(|f| f["properties"]["controller"].is_string())
    );
}

#[test]
fn diff_reports_what_the_government_lost_in_2012() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("change.png");
    let o = run_in(
        &root(),
        &[
            "diff",
            "--from",
            "2012-01-01",
            "--to",
            "2012-07-15",
            "--format",
            "json",
            "--map",
            map.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let changes = v["changes"].as_array().unwrap();
    for id in ["ML-6", "ML-7", "ML-8"] {
        let c = changes
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id} did not change"));
        assert_eq!(c["from"], "government");
        assert_eq!(c["to"], "islamist");
        assert!(!c["changed_on"].as_array().unwrap().is_empty());
    }
    assert!(
        changes.iter().all(|c| c["id"] != "ML-1"),
        "Kayes did not change"
    );
    let lost = v["net"]["government"].as_f64().unwrap();
    assert!(lost < -800_000.0, "{lost}");
    let net_sum: f64 = v["net"]
        .as_object()
        .unwrap()
        .values()
        .map(|x| x.as_f64().unwrap())
        .sum();
    assert!(net_sum.abs() < 1.0, "gains and losses balance: {net_sum}");
    let (w, h, _) = decode_png(&map);
    assert_eq!((w, h), (1600, 1200));
}

#[test]
fn timeline_csv_and_chart() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "timeline",
            "--from",
            "2012-01-01",
            "--to",
            "2012-12-31",
            "--out",
            "s.csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.path().join("s.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("date,government,foreign,mnla,islamist,contested,no-data")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 366);
    for r in rows {
        let sum: f64 = r
            .split(',')
            .skip(1)
            .map(|x| x.parse::<f64>().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 1e-5, "{r}");
    }
    for out in ["s.png", "s.svg"] {
        let o = run_in(dir.path(), &["timeline", "--out", out]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let svg = std::fs::read_to_string(dir.path().join("s.svg")).unwrap();
    assert!(
        svg.contains("Islamist groups") && svg.contains("Operation Serval"),
        "legend and event key"
    );
}

#[test]
fn grid_and_describe() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "grid",
            "--phases",
            "north-lost,north-retaken,north-lost-again",
            "--cols",
            "3",
            "--cell",
            "400x300",
            "--out",
            "g.svg",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = std::fs::read_to_string(dir.path().join("g.svg")).unwrap();
    for k in 1..=3 {
        assert!(
            svg.contains(&format!("<g id=\"map-{k}-regions\" ")),
            "map {k}"
        );
    }
    assert_eq!(
        svg.matches("<g id=\"legend\" ").count(),
        1,
        "one shared legend"
    );
    let o = run_in(dir.path(), &["describe", "--date", "2012-07-15"]);
    let text = stdout(&o);
    assert!(text.contains("Islamist groups (Ansar Dine, MUJAO, AQIM) hold Tombouctou, Gao and Kidal (65% of the country)"), "{text}");
}

#[test]
fn dates_outside_the_records_are_reported_not_refused() {
    let o = run_in(
        &root(),
        &["state", "--date", "2011-01-01", "--format", "json"],
    );
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["regions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["controller"] == "no-data")
    );
    assert!(stderr(&o).contains("before the first record"));
    let o = run_in(&root(), &["state", "--date", "2030-01-01"]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("after the last record"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn analyst_bad_input_is_refused_naming_the_flag() {
    for (args, needle) in [
        (
            vec!["diff", "--from", "2013-01-01", "--to", "2012-01-01"],
            "--from: 2013-01-01 is after the end date 2012-01-01",
        ),
        (vec!["state", "--date", "2012-13-01"], "--date"),
        (
            vec!["state", "--date", "2012-07-15", "--format", "xml"],
            "--format",
        ),
        (
            vec![
                "diff",
                "--from",
                "2012-01-01",
                "--to",
                "2012-02-01",
                "--format",
                "geojson",
            ],
            "--format",
        ),
        (vec!["timeline", "--out", "x.gif"], "--out"),
        (
            vec!["grid", "--phases", "north-lsot", "--out", "g.png"],
            "did you mean 'north-lost'?",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let o = run_in(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?} printed results");
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    }
}

#[test]
fn shares_are_measured_on_the_town_areas_drawn_in_june_2014() {
    let (d, t, areas) = mali();
    let state = t.state_at(parse_date("2014-06-01").unwrap());
    let government = d.manifest.faction_index("government").unwrap();
    let s = shares(&d, &areas, &state);
    let composed = s
        .iter()
        .find(|(h, _)| *h == Holder::Faction(government))
        .unwrap()
        .1;
    // Whole regions alone would give the state only the regions it holds outright.
    let whole: f64 = d
        .regions()
        .filter(|(r, _)| Holder::of(state.control(*r)) == Holder::Faction(government))
        .map(|(r, _)| areas[r.0])
        .sum::<f64>()
        / areas.total(&d);
    assert!(
        composed > whole + 0.005,
        "the areas of Timbuktu, Gao and other held towns count: {composed} vs {whole}"
    );
    let sum: f64 = s.iter().map(|(_, x)| x).sum();
    assert!((sum - 1.0).abs() < 1e-9, "{sum}");
    let effective = areas.effective(&d, &state);
    let timbuktu = d.find("timbuktu").unwrap();
    assert!(effective[timbuktu.0] > 1_000.0);
}

/// The shares the README states (issue 10.7) are the ones `state` computes: each row of its
/// table, read back, within the rounding of one decimal.
#[test]
fn the_readme_share_table_matches_the_computed_shares() {
    let (d, t, areas) = mali();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let head = "| date | government | foreign | MNLA | Islamist groups | contested |";
    let table = readme
        .split(head)
        .nth(1)
        .expect("the README has the share table");
    let keys = ["government", "foreign", "mnla", "islamist", "contested"];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut rows = 0;
    for line in table.lines().map(str::trim).skip(2) {
        let Some(cells) = line.strip_prefix('|') else {
            break;
        };
        let cells: Vec<&str> = cells.split('|').map(str::trim).collect();
        let day: Vec<&str> = cells[0].split(' ').collect();
        let month = months.iter().position(|m| *m == day[1]).unwrap() + 1;
        let date = parse_date(&format!("{}-{month:02}-{:0>2}", day[2], day[0])).unwrap();
        let s = shares(&d, &areas, &t.state_at(date));
        for (k, key) in keys.iter().enumerate() {
            let holder = match *key {
                "contested" => Holder::Contested,
                f => Holder::Faction(d.manifest.faction_index(f).unwrap()),
            };
            let share = s.iter().find(|(h, _)| *h == holder).map_or(0.0, |x| x.1) * 100.0;
            let stated: f64 = cells[k + 1].trim_end_matches(" %").parse().unwrap();
            assert!(
                (share - stated).abs() <= 0.05 + 1e-9,
                "{date} {key}: the README says {stated} %, state computes {share:.3} %"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 3, "three dates in the README's share table");
}
