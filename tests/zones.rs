//! Zones and dated snapshot layers on the synthetic Djibouti dataset (tests/data/djibouti):
//! which record decides each piece of ground, and that maps, frames and history follow.

mod common;

use common::*;
use controlmap::analysis::{areas_km2, shares};
use controlmap::compose::{Active, Composition, Reaches};
use controlmap::dataset::{Control, Dataset, Source};
use controlmap::date::parse_date;
use controlmap::scene::{MapLayout, MapOptions};
use controlmap::territory::{Kind, TerritoryId};
use controlmap::timeline::{State, Timeline};
use geo::{Contains, Point};

fn djibouti() -> Dataset {
    Dataset::load(&Source::Dir(root().join("tests/data/djibouti"))).unwrap()
}

fn state(d: &Dataset, date: &str) -> State {
    Timeline::new(d).state_at(parse_date(date).unwrap())
}

fn faction(d: &Dataset, id: &str) -> Control {
    Control::Faction(d.manifest.faction_index(id).unwrap())
}

fn id(d: &Dataset, s: &str) -> TerritoryId {
    d.find(s).unwrap_or_else(|| panic!("no territory {s}"))
}

fn composition(d: &Dataset, s: &State) -> Composition {
    let reaches = Reaches::new(d).unwrap();
    Composition::new(d, &reaches, &Active::of(&reaches, s))
}

/// The territory whose piece covers a point (longitude, latitude) on a state.
fn holder_at(d: &Dataset, s: &State, lon: f64, lat: f64) -> Option<String> {
    let c = composition(d, s);
    let p = Point::new(lon, lat);
    let hits: Vec<&str> = c
        .pieces
        .iter()
        .filter(|x| x.geometry.contains(&p))
        .map(|x| d.target_id(x.territory))
        .collect();
    assert!(hits.len() <= 1, "pieces overlap at {lon},{lat}: {hits:?}");
    hits.first().map(|s| s.to_string())
}

#[test]
fn the_dataset_has_zones_and_three_snapshots() {
    let d = djibouti();
    let zones = d.layers().filter(|(_, t)| t.kind == Kind::Zone).count();
    assert_eq!(zones, 2);
    let dates: std::collections::BTreeSet<_> = d
        .layers()
        .filter(|(_, t)| t.kind == Kind::Snapshot)
        .map(|(_, t)| t.id[9..19].to_string())
        .collect();
    assert_eq!(
        dates.into_iter().collect::<Vec<_>>(),
        ["2024-02-01", "2024-03-01", "2024-04-01"]
    );
}

#[test]
fn on_each_snapshot_date_the_state_answers_from_that_snapshot() {
    let d = djibouti();
    let insurgents = faction(&d, "insurgents");
    for (date, polygon, control) in [
        ("2024-02-01", "snapshot-2024-02-01-1", insurgents),
        ("2024-03-01", "snapshot-2024-03-01-1", insurgents),
        (
            "2024-03-01",
            "snapshot-2024-03-01-2",
            Control::Contested(None),
        ),
        ("2024-04-01", "snapshot-2024-04-01-1", insurgents),
    ] {
        let s = state(&d, date);
        let held = s
            .get(id(&d, polygon))
            .unwrap_or_else(|| panic!("{polygon}"));
        assert_eq!(held.control, control, "{polygon} on {date}");
        assert_eq!(
            held.since.to_string(),
            date,
            "{polygon}: since is the snapshot's date"
        );
        // The snapshot is its own reference.
        let r = &d.records[held.record];
        let cited = &d.references[r.citations[0].reference];
        assert_eq!(cited.id, format!("snapshot-{date}"));
        // Every other snapshot's polygons are out of force.
        for (t, other) in d.layers().filter(|(_, t)| t.kind == Kind::Snapshot) {
            if !other.id.contains(date) {
                assert!(s.get(t).is_none(), "{} on {date}", other.id);
            }
        }
    }
    // The claim of 1 April maps to `unknown`: no polygon is made of it.
    assert!(d.find("snapshot-2024-04-01-2").is_none());
    // Before the first snapshot none applies.
    let before = state(&d, "2024-01-31");
    assert!(
        d.layers()
            .filter(|(_, t)| t.kind == Kind::Snapshot)
            .all(|(t, _)| before.get(t).is_none())
    );
}

#[test]
fn between_snapshots_the_earlier_one_holds() {
    let d = djibouti();
    let s = state(&d, "2024-02-29");
    let held = s.get(id(&d, "snapshot-2024-02-01-1")).unwrap();
    assert_eq!(held.since.to_string(), "2024-02-01");
    assert!(s.get(id(&d, "snapshot-2024-03-01-1")).is_none());
    // The merged MultiPolygon's northern part, away from any town: the snapshot decides it.
    assert_eq!(
        holder_at(&d, &s, 42.15, 11.7).as_deref(),
        Some("snapshot-2024-02-01-1")
    );
    // On 15 March the 1 March file holds; its contested strip is drawn.
    let s = state(&d, "2024-03-15");
    assert_eq!(
        holder_at(&d, &s, 42.6, 11.1).as_deref(),
        Some("snapshot-2024-03-01-2")
    );
    // On 15 April the strip is only claimed (unknown): the region's record shows again.
    let s = state(&d, "2024-04-15");
    assert_eq!(holder_at(&d, &s, 42.6, 11.1).as_deref(), Some("DJ-DI"));
}

#[test]
fn a_town_record_beats_a_snapshot_polygon() {
    let d = djibouti();
    let s = state(&d, "2024-02-15");
    let dikhil = d.territory(id(&d, "dikhil")).point().unwrap();
    assert_eq!(
        holder_at(&d, &s, dikhil.x, dikhil.y).as_deref(),
        Some("dikhil")
    );
    assert_eq!(s.control(id(&d, "dikhil")), Some(faction(&d, "government")));
    // A little west of the town, outside its area, the snapshot holds.
    assert_eq!(
        holder_at(&d, &s, 41.85, 11.0).as_deref(),
        Some("snapshot-2024-02-01-1")
    );
}

#[test]
fn where_zones_overlap_the_one_listed_later_wins() {
    let d = djibouti();
    let s = state(&d, "2024-01-25");
    // Inside both zones (and no town's area): Mabla, listed second, decides.
    assert_eq!(holder_at(&d, &s, 43.0, 12.2).as_deref(), Some("mabla"));
    assert_eq!(
        s.control(id(&d, "mabla"))
            .map(|c| matches!(c, Control::Contested(_))),
        Some(true)
    );
    // Inside the northern pocket only.
    assert_eq!(
        holder_at(&d, &s, 42.8, 12.1).as_deref(),
        Some("north-pocket")
    );
    // Before either zone's first record, the regions show.
    let s = state(&d, "2024-01-10");
    assert_eq!(holder_at(&d, &s, 43.0, 12.2).as_deref(), Some("DJ-OB"));
}

#[test]
fn shares_sum_to_one_and_pieces_cover_the_country_on_every_date() {
    let d = djibouti();
    let areas = areas_km2(&d);
    let total = areas.total(&d);
    for date in [
        "2023-12-31",
        "2024-01-10",
        "2024-01-25",
        "2024-02-01",
        "2024-02-15",
        "2024-03-01",
        "2024-03-15",
        "2024-04-15",
    ] {
        let s = state(&d, date);
        let sum: f64 = shares(&d, &areas, &s).iter().map(|(_, x)| x).sum();
        assert!((sum - 1.0).abs() < 1e-3, "{date}: shares sum to {sum}");
        // Each record decides the ground drawn for it: the numbers are those of the pieces.
        let per_territory = areas.effective(&d, &s);
        let drawn = composition(&d, &s).effective_km2(d.territories.len());
        for (t, x) in d.territory_ids() {
            let (a, b) = (per_territory[t.0], drawn[t.0]);
            assert!(
                (a - b).abs() < 1e-6,
                "{date}: {} decides {a} km² but {b} is drawn",
                x.id
            );
        }
        let effective: f64 = per_territory.iter().sum();
        assert!(
            (effective - total).abs() / total < 1e-3,
            "{date}: pieces cover {effective} of {total} km²"
        );
    }
    // The 1 February snapshot moves a third of the country to the insurgents.
    let s = state(&d, "2024-02-15");
    let insurgents = shares(&d, &areas, &s)
        .into_iter()
        .find(|(h, _)| *h == controlmap::analysis::Holder::Faction(1))
        .map(|(_, x)| x)
        .unwrap();
    assert!((0.30..0.40).contains(&insurgents), "{insurgents}");
}

#[test]
fn the_map_draws_each_piece_with_its_territory_controller_and_since() {
    let d = djibouti();
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    let s = state(&d, "2024-03-15");
    let scene = layout.scene(&s, None, "");
    let metas: Vec<_> = scene
        .layer("regions")
        .unwrap()
        .items
        .iter()
        .filter_map(|i| i.meta())
        .collect();
    let find = |t: &str| {
        metas
            .iter()
            .find(|m| m.territory == t)
            .unwrap_or_else(|| panic!("{t} is not drawn"))
    };
    let occupied = find("snapshot-2024-03-01-1");
    assert_eq!(occupied.kind, "snapshot");
    assert_eq!(occupied.controller, "insurgents");
    assert_eq!(
        occupied.since.map(|d| d.to_string()).as_deref(),
        Some("2024-03-01")
    );
    assert_eq!(occupied.refs, ["snapshot-2024-03-01"]);
    let zone = find("north-pocket");
    assert_eq!(zone.kind, "zone");
    assert_eq!(zone.controller, "insurgents");
    // The contested strip is hatched.
    assert!(
        scene
            .layer("hatching")
            .unwrap()
            .items
            .iter()
            .filter_map(|i| i.meta())
            .any(|m| m.territory == "snapshot-2024-03-01-2")
    );
    // Zones get the light outline of town areas.
    assert!(!scene.layer("town-area-borders").unwrap().items.is_empty());
    // Polygons of another snapshot are not drawn.
    assert!(
        metas
            .iter()
            .all(|m| !m.territory.starts_with("snapshot-2024-02-01"))
    );
}

#[test]
fn history_gives_each_snapshot_polygon_its_interval() {
    let d = djibouti();
    let all = controlmap::analysis::history::intervals(
        &d,
        parse_date("2024-01-01").unwrap(),
        parse_date("2024-06-30").unwrap(),
    )
    .unwrap();
    let first = id(&d, "snapshot-2024-02-01-1");
    let spans: Vec<_> = all
        .iter()
        .filter(|i| i.territory == first && i.control.is_some())
        .map(|i| (i.from.to_string(), i.to.map(|d| d.to_string())))
        .collect();
    assert_eq!(
        spans,
        [("2024-02-01".to_string(), Some("2024-02-29".to_string()))]
    );
    let last = id(&d, "snapshot-2024-04-01-1");
    assert!(
        all.iter()
            .any(|i| i.territory == last && i.from.to_string() == "2024-04-01" && i.to.is_none())
    );
}

#[test]
fn render_state_history_and_frames_run_on_the_snapshot_dataset() {
    let data = root().join("tests/data/djibouti");
    let dir = data.to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let png = out.path().join("map.png");
    let o = run_in(
        out.path(),
        &[
            "render",
            "--dataset",
            dir,
            "--date",
            "2024-03-15",
            "--out",
            png.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_in(
        out.path(),
        &[
            "state",
            "--dataset",
            dir,
            "--date",
            "2024-03-15",
            "--format",
            "csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("\nsnapshot,snapshot-2024-03-01-1,"), "{text}");
    assert!(text.contains("\nzone,north-pocket,"), "{text}");
    let o = run_in(
        out.path(),
        &["history", "--dataset", dir, "--format", "csv"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2024-02-01,snapshot-2024-02-01-1,snapshot,"));
    let o = run_in(
        out.path(),
        &[
            "diff",
            "--dataset",
            dir,
            "--from",
            "2024-01-10",
            "--to",
            "2024-03-15",
            "--format",
            "csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("\nzone,north-pocket,Northern pocket,not-in-force,insurgents,2024-01-15,"),
        "{text}"
    );
    assert!(text.contains("\nsnapshot,snapshot-2024-03-01-2,"), "{text}");
    let o = run_in(
        out.path(),
        &["describe", "--dataset", dir, "--date", "2024-03-15"],
    );
    assert!(
        stdout(&o).contains("hold Northern pocket and occupied (2024-03-01)"),
        "{}",
        stdout(&o)
    );
    let frames = out.path().join("frames");
    let o = run_in(
        out.path(),
        &[
            "frames",
            "--dataset",
            dir,
            "--from",
            "2024-01-20",
            "--to",
            "2024-03-10",
            "--step",
            "7d",
            "--transition",
            "2",
            "--gif",
            "none",
            "--size",
            "400x300",
            "--out",
            frames.to_str().unwrap(),
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(frames.join("frames.csv")).unwrap();
    // Cross-fades (transition fractions below 1) where the snapshots of 1 February and
    // 1 March change hands.
    let fades: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter(|l| !l.ends_with(",1"))
        .map(|l| l.split(',').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        fades,
        ["2024-02-03", "2024-02-03", "2024-03-02", "2024-03-02"],
        "{csv}"
    );
}

/// The pixel area of a territory's fill in a scene (its rings' shoelace areas, holes counted
/// as ground: enough to compare one piece between two dates).
fn fill_px(scene: &controlmap::scene::Scene, territory: &str) -> f64 {
    use controlmap::scene::{Item, Part};
    scene
        .layer("regions")
        .unwrap()
        .items
        .iter()
        .filter(|i| {
            i.meta()
                .is_some_and(|m| m.territory == territory && m.part == Part::Fill)
        })
        .map(|i| match i {
            Item::Fill { rings, .. } => rings
                .iter()
                .map(|r| {
                    let n = r.len();
                    (0..n)
                        .map(|k| {
                            let (a, b) = (r[k], r[(k + 1) % n]);
                            f64::from(a[0]) * f64::from(b[1]) - f64::from(b[0]) * f64::from(a[1])
                        })
                        .sum::<f64>()
                        .abs()
                        / 2.0
                })
                .sum::<f64>(),
            _ => 0.0,
        })
        .sum()
}

#[test]
fn the_drawn_zone_loses_the_ground_of_the_later_zone_over_it() {
    let d = djibouti();
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    // 17 January: only the northern pocket has a record; 25 January: Mabla lies over its corner.
    let alone = fill_px(
        &layout.scene(&state(&d, "2024-01-17"), None, ""),
        "north-pocket",
    );
    let under = fill_px(
        &layout.scene(&state(&d, "2024-01-25"), None, ""),
        "north-pocket",
    );
    assert!(alone > 0.0);
    assert!(under < alone * 0.85, "{under} px² of {alone}");
}

#[test]
fn validate_lists_every_snapshot_problem_with_its_file_and_feature() {
    let data = copy_dataset(&root().join("tests/data/djibouti"));
    let snaps = data.path().join("snapshots");
    std::fs::write(
        snaps.join("latest.geojson"),
        "{\"type\":\"MultiPolygon\",\"coordinates\":[]}\n",
    )
    .unwrap();
    std::fs::write(snaps.join("20240501.geojson"), "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{\"status\":\"occupied\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[42,11],[42.2,11],[42.2,11.2],[42,11]]]}},\n{\"type\":\"Feature\",\"properties\":{\"status\":\"retaken\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[42,11],[42.2,11],[42.2,11.2],[42,11]]]}}\n]}\n").unwrap();
    std::fs::write(
        snaps.join("2024-06-01.geojson"),
        "{\"type\":\"FeatureCollection\",\n\"features\":[\n",
    )
    .unwrap();
    let zones = data.path().join("zones.geojson");
    let text = std::fs::read_to_string(&zones).unwrap().replace(
        "\n]}",
        ",\n{\"type\":\"Feature\",\"properties\":{\"id\":\"quiet\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[42,11],[42.2,11],[42.2,11.2],[42,11]]]}}\n]}",
    );
    std::fs::write(&zones, text).unwrap();
    let o = run_in(data.path(), &["validate", "--dataset", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let text = format!("{}{}", stdout(&o), stderr(&o));
    for expected in [
        "snapshots/latest.geojson: a snapshot's file name must carry its date",
        "snapshots/20240501.geojson:3: feature 2: status 'retaken' is not mapped in [snapshots] values",
        "snapshots/2024-06-01.geojson:3: not a valid GeoJSON snapshot",
        "zones.geojson:4: warning: zone 'quiet' never gets a record and is never drawn",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
}

/// A zone or snapshot polygon without a record in force is not drawn, so the state report does
/// not list it as "no data" (which contradicted the shares of the same report); once a record
/// of its own is in force it is listed with its holder.
#[test]
fn the_state_lists_only_layers_in_force() {
    use controlmap::commands::analyst::{TextFormat, state_report};
    use controlmap::lang::Lang;
    let d = djibouti();
    let before = state_report(
        &d,
        parse_date("2024-01-10").unwrap(),
        TextFormat::Csv,
        Lang::En,
    )
    .unwrap();
    assert!(!before.contains("\nzone,"), "{before}");
    let after = state_report(
        &d,
        parse_date("2024-01-16").unwrap(),
        TextFormat::Csv,
        Lang::En,
    )
    .unwrap();
    assert!(
        after.contains("\nzone,north-pocket,Northern pocket,insurgents,"),
        "{after}"
    );
    assert!(!after.contains(",no-data,"), "{after}");
}

/// One unreadable snapshot file does not hide the others' problems, and a folder named like a
/// snapshot is not read as one: validate lists the file that is not UTF-8 and the one that is
/// not GeoJSON, each by name.
#[test]
fn validate_lists_every_bad_snapshot_file() {
    let data = copy_dataset(&root().join("tests/data/djibouti"));
    let snaps = data.path().join("snapshots");
    std::fs::write(snaps.join("bad-2024-04-15.geojson"), b"\xff\xfe not text").unwrap();
    std::fs::write(snaps.join("broken-2024-04-16.geojson"), "{\"type\":").unwrap();
    std::fs::create_dir(snaps.join("dir-2024-04-20.geojson")).unwrap();
    let o = run_in(
        data.path(),
        &["validate", "--dataset", data.path().to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = format!("{}{}", stdout(&o), stderr(&o));
    assert!(err.contains("bad-2024-04-15.geojson"), "{err}");
    assert!(err.contains("broken-2024-04-16.geojson"), "{err}");
    assert!(!err.contains("dir-2024-04-20"), "{err}");
}

/// Shares sum to 1 on every day even where zones are composed over regions (the composition's
/// crumbs left 0.99997 and 1.00005 before shares were taken of the ground drawn).
#[test]
fn shares_sum_to_one_with_zones_and_snapshots() {
    let d = djibouti();
    let t = Timeline::new(&d);
    let areas = areas_km2(&d);
    let (from, to) = t.span().unwrap();
    let mut day = from;
    while day <= to {
        let sum: f64 = shares(&d, &areas, &t.state_at(day))
            .iter()
            .map(|s| s.1)
            .sum();
        assert!((sum - 1.0).abs() < 1e-9, "{day}: {sum}");
        day = day.tomorrow().unwrap();
    }
}

#[test]
fn whole_areas_measured_with_the_reaches_are_the_outlines_geodesic_areas() {
    // The reaches measure every outline once and the areas take those figures: a region's,
    // zone's or snapshot polygon's whole area must be what its own outline measures, and a
    // town's what its reach measures.
    use controlmap::analysis::areas_km2_of;
    use controlmap::compose::geodesic_km2;
    for d in [djibouti(), Dataset::load(&Source::Embedded).unwrap()] {
        let with = areas_km2(&d);
        let alone = areas_km2_of(&d, None);
        let reaches = Reaches::new(&d).unwrap();
        let mut outlines = 0;
        for (t, x) in d.territory_ids() {
            match x.area() {
                Some(a) => {
                    outlines += 1;
                    assert_eq!(with[t.0], geodesic_km2(a), "{}", x.id);
                    assert_eq!(with[t.0], alone[t.0], "{}", x.id);
                }
                None => assert_eq!(with[t.0], reaches.km2(t), "{}", x.id),
            }
        }
        assert!(
            outlines >= d.regions().count() && outlines > 0,
            "{outlines}"
        );
    }
}
