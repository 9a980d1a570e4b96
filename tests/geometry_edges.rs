//! Issue 12.7: geometry and projections that cannot lie. A projection that cannot draw the
//! regions is refused at load, a polygon across the antimeridian is drawn and measured as its
//! split halves are, a vanishing polygon never panics, and a legend of dozens of factions wraps
//! into columns inside the image (or is refused), never drawn off it.

mod common;

use std::path::Path;

use common::*;
use controlmap::analysis::areas_km2;
use controlmap::dataset::{Dataset, Source};
use controlmap::scene::{Item, MapLayout, MapOptions};
use controlmap::timeline::Timeline;

/// A polygon feature from rings of (lon, lat).
fn feature(id: &str, rings: &[Vec<(f64, f64)>]) -> String {
    let rings: Vec<String> = rings
        .iter()
        .map(|r| {
            let pts: Vec<String> = r.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
            format!("[{}]", pts.join(","))
        })
        .collect();
    format!(
        "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"{id}\",\"name\":\"Region {id}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{}]}}}}",
        rings.join(",")
    )
}

fn square(x: f64, y: f64, w: f64, h: f64) -> Vec<(f64, f64)> {
    vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
}

/// Writes a dataset folder: these factions (id, colour), these regions, one record per region
/// on 2020-01-01 held by `holders[k]`.
fn dataset(
    dir: &Path,
    projection: &str,
    factions: &[(String, String)],
    regions: &[String],
    holders: &[(String, String)],
) {
    let mut toml = format!(
        "title = \"Edge cases\"\nsubtitle = \"Synthetic\"\nattribution = \"Invented.\"\nprojection = \"{projection}\"\n\n[files]\nregions = \"regions.geojson\"\ncontrol = \"control.csv\"\nreferences = \"references.csv\"\n"
    );
    for (id, colour) in factions {
        toml.push_str(&format!(
            "\n[[factions]]\nid = \"{id}\"\nlabel = \"Faction {id}\"\ncolour = \"{colour}\"\n"
        ));
    }
    std::fs::write(dir.join("dataset.toml"), toml).unwrap();
    std::fs::write(
        dir.join("regions.geojson"),
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}",
            regions.join(",\n")
        ),
    )
    .unwrap();
    let mut csv = String::from("date,target,controller,parties,confidence,source,note\n");
    for (target, holder) in holders {
        csv.push_str(&format!(
            "2020-01-01,{target},{holder},,confirmed,made-up,\n"
        ));
    }
    std::fs::write(dir.join("control.csv"), csv).unwrap();
    std::fs::write(
        dir.join("references.csv"),
        "id,author,publisher,title,date,url,archive_url,language,accessed,note\nmade-up,,controlmap tests,Invented records,2020,,,en,,\n",
    )
    .unwrap();
}

fn two_factions() -> Vec<(String, String)> {
    vec![
        ("a".into(), "#D55E00".into()),
        ("b".into(), "#0072B2".into()),
    ]
}

const AEA: &str = "+proj=aea +lat_1=45.3 +lat_2=46.7 +lat_0=46 +lon_0=22 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs";

#[test]
fn a_projection_that_cannot_draw_the_dataset_is_refused_at_load_with_its_line() {
    for bad in [
        "+proj=merc +k_0=0",
        "+proj=ortho +lat_0=-46 +lon_0=-158",
        "+proj=aea +lat_1=inf +lat_2=46 +lon_0=22",
    ] {
        let dir = tempfile::tempdir().unwrap();
        dataset(
            dir.path(),
            bad,
            &two_factions(),
            &[feature("A", &[square(20.0, 45.0, 2.0, 1.0)])],
            &[("A".into(), "a".into())],
        );
        let o = run_in(
            dir.path(),
            &[
                "render",
                "--date",
                "2020-02-01",
                "--dataset",
                ".",
                "--out",
                "m.png",
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("dataset.toml:4: projection '"), "{bad}: {err}");
        assert!(!dir.path().join("m.png").exists());
    }
}

#[test]
fn a_polygon_across_the_antimeridian_is_drawn_and_measured_as_its_halves() {
    let pacific =
        "+proj=aea +lat_1=-19 +lat_2=-15 +lat_0=-17 +lon_0=180 +datum=WGS84 +units=m +no_defs";
    // The same island, once as one ring that crosses 180° (179 → -179) and once split there.
    let whole = feature(
        "W",
        &[vec![
            (179.0, -18.0),
            (-179.0, -18.0),
            (-179.0, -16.0),
            (179.0, -16.0),
            (179.0, -18.0),
        ]],
    );
    let split = |id: &str, x: f64| feature(id, &[square(x, -18.0, 1.0, 2.0)]);
    let load = |regions: Vec<String>, ids: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        let holders: Vec<(String, String)> = ids
            .iter()
            .map(|i| (i.to_string(), "a".to_string()))
            .collect();
        dataset(dir.path(), pacific, &two_factions(), &regions, &holders);
        (
            Dataset::load(&Source::Dir(dir.path().to_path_buf())).unwrap(),
            dir,
        )
    };
    let (whole, _d1) = load(vec![whole], &["W"]);
    let (halves, _d2) = load(vec![split("E", 179.0), split("F", -180.0)], &["E", "F"]);
    let area = |d: &Dataset| -> f64 { areas_km2(d).total(d) };
    let (a_whole, a_halves) = (area(&whole), area(&halves));
    // About 2° by 2° near 17° S: some 45,000 km², not the rest of the globe.
    assert!((40_000.0..50_000.0).contains(&a_whole), "{a_whole}");
    assert!(
        (a_whole - a_halves).abs() < a_halves * 1e-3,
        "{a_whole} {a_halves}"
    );
    // Drawn in the same place at the same size.
    let filled = |d: &Dataset| {
        let layout = MapLayout::new(d, &MapOptions::new(800, 600)).unwrap();
        let state = Timeline::new(d).state_at(controlmap::date::parse_date("2020-02-01").unwrap());
        let scene = layout.scene(&state, None, "");
        let mut xs = Vec::new();
        for item in scene.control.iter().flat_map(|l| &l.items) {
            if let Item::Fill { rings, .. } = item {
                xs.extend(rings.iter().flatten().map(|p| p[0]));
            }
        }
        let min = xs.iter().copied().fold(f32::INFINITY, f32::min);
        let max = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        (min, max)
    };
    let (w, h) = (filled(&whole), filled(&halves));
    assert!(w.0.is_finite() && w.1 - w.0 < 800.0, "{w:?}");
    assert!(
        (w.0 - h.0).abs() < 2.0 && (w.1 - h.1).abs() < 2.0,
        "{w:?} {h:?}"
    );
}

#[test]
fn a_vanishing_polygon_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = 1e-12;
    dataset(
        dir.path(),
        AEA,
        &two_factions(),
        &[
            feature("A", &[square(20.0, 45.0, 2.0, 1.0)]),
            feature("T", &[square(22.5, 45.5, tiny, tiny)]),
        ],
        &[("A".into(), "a".into()), ("T".into(), "b".into())],
    );
    for args in [
        &["render", "--date", "2020-02-01", "--out", "m.png"][..],
        &["render", "--date", "2020-02-01", "--out", "m.svg"],
        &[
            "frames",
            "--from",
            "2019-12-01",
            "--to",
            "2020-02-01",
            "--step",
            "1m",
            "--size",
            "400x300",
            "--out",
            "f",
            "--gif",
            "g.gif",
        ],
        &[
            "diff",
            "--from",
            "2019-12-01",
            "--to",
            "2020-02-01",
            "--map",
            "d.png",
            "--size",
            "400x300",
        ],
        &["grid", "--dates", "2019-12-01,2020-02-01", "--out", "g.png"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--dataset", "."]);
        let o = run_in(dir.path(), &all);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
}

/// 40 factions, each holding one of 40 regions.
fn forty_factions(dir: &Path) {
    let factions: Vec<(String, String)> = (0..40)
        .map(|k| {
            let c = (k * 6) as u8;
            (
                format!("f{k}"),
                format!("#{:02X}{:02X}{:02X}", c, 255 - c, (k * 37 % 256) as u8),
            )
        })
        .collect();
    let regions: Vec<String> = (0..40)
        .map(|k| {
            let (col, row) = ((k % 8) as f64, (k / 8) as f64);
            feature(
                &format!("R{k}"),
                &[square(20.0 + col * 0.5, 45.0 + row * 0.4, 0.5, 0.4)],
            )
        })
        .collect();
    let holders: Vec<(String, String)> = (0..40)
        .map(|k| (format!("R{k}"), format!("f{k}")))
        .collect();
    dataset(dir, AEA, &factions, &regions, &holders);
}

#[test]
fn a_legend_of_forty_factions_wraps_into_columns_inside_the_image() {
    let dir = tempfile::tempdir().unwrap();
    forty_factions(dir.path());
    let d = Dataset::load(&Source::Dir(dir.path().to_path_buf())).unwrap();
    let state = Timeline::new(&d).state_at(controlmap::date::parse_date("2020-02-01").unwrap());
    for (w, h) in [(1600, 1200), (1280, 720), (800, 600)] {
        let layout =
            MapLayout::for_states(&d, &MapOptions::new(w, h), std::slice::from_ref(&state))
                .unwrap();
        let scene = layout.scene(&state, None, "");
        let legend = scene.layer("legend").unwrap();
        let mut labels = 0;
        let mut columns: Vec<i32> = Vec::new();
        for item in &legend.items {
            match item {
                Item::Text {
                    x, y, text, size, ..
                } => {
                    let width = controlmap::scene::text::text_width(text, *size, false);
                    assert!(
                        *x >= 0.0 && x + width <= w as f32 && *y >= 0.0 && *y <= h as f32,
                        "{w}x{h}: '{text}' at ({x}, {y}) is off the image"
                    );
                    if text.starts_with("Faction") {
                        labels += 1;
                        if !columns.contains(&(*x as i32)) {
                            columns.push(*x as i32);
                        }
                    }
                }
                Item::Fill { rings, .. } => {
                    for p in rings.iter().flatten() {
                        assert!(
                            p[0] >= 0.0 && p[0] <= w as f32 && p[1] >= 0.0 && p[1] <= h as f32,
                            "{w}x{h}: a swatch at {p:?} is off the image"
                        );
                    }
                }
                Item::Stroke { .. } | Item::Raster { .. } => {}
            }
        }
        assert_eq!(labels, 40, "{w}x{h}: every faction is keyed");
        if h <= 720 {
            assert!(columns.len() > 1, "{w}x{h}: one column of 40 rows");
        }
    }
    // Too small for 40 rows even in columns: refused with one line naming --size.
    let o = run_in(
        dir.path(),
        &[
            "render",
            "--date",
            "2020-02-01",
            "--size",
            "200x150",
            "--out",
            "s.png",
            "--dataset",
            ".",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--size"), "{}", stderr(&o));
    assert!(stderr(&o).contains("legend"), "{}", stderr(&o));
    assert!(!dir.path().join("s.png").exists());
}
