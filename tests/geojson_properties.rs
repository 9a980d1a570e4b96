//! Property tests for the GeoJSON loader (the CSV loaders are in tests/properties.rs, the
//! date, step and size parsers in tests/parsers.rs). Each property runs at least 10,000
//! generated cases (rendering, which is slower, 500) and must never panic; whatever the loaders refuse they report as `<file>:<line>: <message>`
//! or `<file>: <message>`, on one line, naming the file that is wrong and a line inside it.
//!
//! Failures are not persisted (no `proptest-regressions` files): a failing case is printed in
//! full, shrunk, and belongs in a unit test next to the fix.

mod common;

use std::fmt::Write as _;

use common::props::*;
use controlmap::dataset::Dataset;
use controlmap::date::parse_date;
use proptest::prelude::*;
// ---------------------------------------------------------------------------------------------
// GeoJSON.

/// A coordinate as written in the file: mostly plausible, sometimes absurd.
fn number(limit: f64) -> BoxedStrategy<String> {
    prop_oneof![
        6 => (-limit..=limit).prop_map(|v| v.to_string()),
        3 => (-limit as i32..=limit as i32).prop_map(|v| v.to_string()),
        1 => select(&[
            "1e308", "-1e308", "1.7976931348623157e308", "1e400", "-1e400", "1e-320", "-0",
            "0.0", "180.0000001", "-90.0000001", "181", "91", "1E2", "NaN", "Infinity",
            "\"12\"", "null", "true", "[]", "{}",
        ]),
        1 => any::<f64>().prop_map(|v| if v.is_finite() { format!("{v:e}") } else { "1e999".into() }),
    ]
    .boxed()
}

fn position() -> BoxedStrategy<String> {
    prop_oneof![
        12 => (number(180.0), number(90.0)).prop_map(|(x, y)| format!("[{x},{y}]")),
        1 => (number(180.0), number(90.0), number(1000.0)).prop_map(|(x, y, z)| format!("[{x},{y},{z}]")),
        1 => number(180.0).prop_map(|x| format!("[{x}]")),
        1 => Just("[]".to_string()),
        1 => (number(180.0), number(90.0)).prop_map(|(x, y)| format!("[[{x},{y}]]")),
        1 => select(&["null", "\"0,0\"", "0", "{}"]),
    ]
    .boxed()
}

/// A ring of 0–5 random positions, closed or not.
fn random_ring() -> BoxedStrategy<String> {
    (prop::collection::vec(position(), 0..=5), any::<bool>())
        .prop_map(|(mut ps, close)| {
            if close && let Some(first) = ps.first().cloned() {
                ps.push(first);
            }
            format!("[{}]", ps.join(","))
        })
        .boxed()
}

/// A closed star-shaped ring around a centre: simple, so usually a valid outline.
fn star_ring(cx: f64, cy: f64, radii: &[f64], turn: f64) -> String {
    let n = radii.len();
    let mut ps: Vec<String> = radii
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let a = turn + std::f64::consts::TAU * i as f64 / n as f64;
            format!("[{},{}]", cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    ps.push(ps[0].clone());
    format!("[{}]", ps.join(","))
}

/// A valid-looking polygon: a star around a random centre, maybe with a star-shaped hole.
fn star_polygon(
    centre: (f64, f64, f64, f64),
    scale: std::ops::Range<f64>,
) -> BoxedStrategy<String> {
    let (x0, x1, y0, y1) = centre;
    (
        x0..x1,
        y0..y1,
        scale,
        prop::collection::vec(0.5f64..1.0, 3..12),
        0.0..std::f64::consts::TAU,
        prop::option::of(prop::collection::vec(0.1f64..0.4, 3..6)),
    )
        .prop_map(|(cx, cy, scale, radii, turn, hole)| {
            let r = 10f64.powf(scale);
            let outer: Vec<f64> = radii.iter().map(|k| k * r).collect();
            let mut rings = vec![star_ring(cx, cy, &outer, turn)];
            if let Some(hole) = hole {
                let inner: Vec<f64> = hole.iter().map(|k| k * r).collect();
                rings.push(star_ring(cx, cy, &inner, turn + 0.3));
            }
            format!("[{}]", rings.join(","))
        })
        .boxed()
}

/// Polygon coordinates of any shape, valid or not.
fn polygon_coordinates() -> BoxedStrategy<String> {
    prop_oneof![
        4 => star_polygon((19.0, 25.0, 44.0, 48.0), -9.0..1.5),
        1 => star_polygon((-180.0, 180.0, -90.0, 90.0), -9.0..1.5),
        2 => prop::collection::vec(random_ring(), 0..3).prop_map(|r| format!("[{}]", r.join(","))),
        1 => select(&[
            "[]", "[[]]", "[[[]]]", "[[[[20,45]]]]", "[[[20,45],[21,45],[21,46],[20,45]]]",
            "[[[20,45],[21,45],[20,46],[21,46],[20,45]]]",
            "[[[20,45],[21,45],[22,45],[23,45],[20,45]]]",
            "[[[0,0],[0,0],[0,0],[0,0]]]", "[[[0,0],[1e-300,0],[0,1e-300],[0,0]]]",
            "[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]",
            "[[[179,0],[-179,0],[-179,1],[179,1],[179,0]]]",
            "[[[20,45],[24,45],[24,47],[20,47],[20,45]],[[30,30],[31,30],[31,31],[30,31],[30,30]]]",
            "\"[[0,0]]\"", "null", "{}", "1",
        ]),
    ]
    .boxed()
}

fn geometry() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        8 => polygon_coordinates().prop_map(|c| format!("{{\"type\":\"Polygon\",\"coordinates\":{c}}}")),
        3 => prop::collection::vec(polygon_coordinates(), 0..3)
            .prop_map(|c| format!("{{\"type\":\"MultiPolygon\",\"coordinates\":[{}]}}", c.join(","))),
        1 => position().prop_map(|p| format!("{{\"type\":\"Point\",\"coordinates\":{p}}}")),
        1 => random_ring().prop_map(|r| format!("{{\"type\":\"LineString\",\"coordinates\":{r}}}")),
        1 => prop::collection::vec(random_ring(), 0..3)
            .prop_map(|r| format!("{{\"type\":\"MultiLineString\",\"coordinates\":[{}]}}", r.join(","))),
        1 => random_ring().prop_map(|r| format!("{{\"type\":\"MultiPoint\",\"coordinates\":{r}}}")),
        1 => select(&[
            "null",
            "{\"type\":\"Polygon\"}",
            "{\"type\":\"Polygon\",\"coordinates\":null}",
            "{\"type\":\"Circle\",\"coordinates\":[0,0]}",
            "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}",
            "{\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}",
            "[[[0,0],[1,0],[1,1],[0,0]]]",
            "\"Polygon\"",
        ]),
    ];
    leaf.prop_recursive(2, 6, 3, |inner| {
        prop::collection::vec(inner, 0..3).prop_map(|g| {
            format!(
                "{{\"type\":\"GeometryCollection\",\"geometries\":[{}]}}",
                g.join(",")
            )
        })
    })
    .boxed()
}

fn json_string() -> BoxedStrategy<String> {
    prop_oneof![
        6 => select(&["RU-N", "RU-SW", "RU-SE", "A", "B", "C", "zenda", "", " ", "features"]),
        1 => any::<String>(),
        1 => "[a-z\\\\\"\n\t\u{0}\u{1b}\u{2028}é]{0,6}",
    ]
    .prop_map(|s| serde_json::Value::String(s).to_string())
    .boxed()
}

fn json_value() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        4 => json_string(),
        2 => number(1000.0),
        1 => select(&["null", "true", "false", "{}", "[]"]),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((json_string(), inner), 0..4).prop_map(|v| {
                let members: Vec<String> = v.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
    .boxed()
}

fn properties() -> BoxedStrategy<String> {
    let member = |key: &'static str, value: BoxedStrategy<String>| {
        prop::option::weighted(0.7, value).prop_map(move |v| v.map(|v| format!("\"{key}\":{v}")))
    };
    prop_oneof![
        10 => (
            member("id", prop_oneof![4 => json_string(), 1 => number(10.0), 1 => json_value()].boxed()),
            member("name", prop_oneof![json_string(), json_value()].boxed()),
            member("name_fr", json_string()),
            member("label_lon", number(180.0)),
            member("label_lat", number(90.0)),
            member("extra", json_value()),
        )
            .prop_map(|(a, b, c, d, e, f)| {
                let members: Vec<String> = [a, b, c, d, e, f].into_iter().flatten().collect();
                format!("{{{}}}", members.join(","))
            }),
        1 => select(&["null", "[]", "\"id\"", "{\"id\":null}", "{\"id\":{\"id\":\"A\"}}"]),
    ]
    .boxed()
}

fn feature() -> BoxedStrategy<String> {
    let id = prop::option::weighted(
        0.3,
        prop_oneof![json_string(), number(10.0), Just("null".into())],
    );
    (
        select(&[
            "Feature", "Feature", "Feature", "Feature", "Feature", "feature", "Polygon",
        ]),
        id,
        prop::option::weighted(0.95, properties()),
        prop::option::weighted(0.95, geometry()),
        prop::option::weighted(0.05, json_value()),
    )
        .prop_map(|(kind, id, props, geom, foreign)| {
            let mut members = vec![format!("\"type\":\"{kind}\"")];
            if let Some(id) = id {
                members.push(format!("\"id\":{id}"));
            }
            if let Some(p) = props {
                members.push(format!("\"properties\":{p}"));
            }
            if let Some(g) = geom {
                members.push(format!("\"geometry\":{g}"));
            }
            if let Some(f) = foreign {
                members.push(format!("\"foreign\":{f}"));
            }
            format!("{{{}}}", members.join(","))
        })
        .boxed()
}

/// A FeatureCollection with one feature per line (feature `i` starts on line `i + 2`), sometimes
/// with foreign members before the features or its key written with escapes; and its number of
/// features.
fn feature_collection(features: BoxedStrategy<Vec<String>>) -> BoxedStrategy<(String, usize)> {
    (
        features,
        prop::option::weighted(
            0.2,
            select(&[
                "\"name\":\"features\",",
                "\"name\":\"features\",\"extra\":[{\"a\":1},{\"b\":2}],",
                "\"bbox\":[19,44,25,48],",
                "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:4326\"}},",
                "\"features\":[{\"type\":\"Feature\"}],",
                "\"extra\":{\"features\":[{\"x\":1}]},",
            ]),
        ),
        select(&["", " ", "\n"]),
        select(&[
            "features",
            "features",
            "features",
            "feat\\u0075res",
            "\\u0066eatures",
        ]),
    )
        .prop_map(|(fs, foreign, after, key)| {
            let mut s = String::from("{\"type\":\"FeatureCollection\",");
            s.push_str(foreign.as_deref().unwrap_or(""));
            let _ = write!(s, "\"{key}\":[");
            for (i, f) in fs.iter().enumerate() {
                s.push('\n');
                s.push_str(f);
                if i + 1 < fs.len() {
                    s.push(',');
                }
            }
            s.push_str(&after);
            s.push_str("]}");
            (s, fs.len())
        })
        .boxed()
}

/// Arbitrary text that looks a little like JSON, and the real file with random edits.
fn json_ish() -> BoxedStrategy<String> {
    let original = std::fs::read_to_string(ruritania().join("regions.geojson")).expect("regions");
    let tokens = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\n",
        "null",
        "1e400",
        "-",
        "\\",
        "\"features\"",
        "\"type\":\"Feature\"",
        "[[",
        "]]",
        "\u{feff}",
        "é",
        "NaN",
    ];
    let edit = (
        any::<prop::sample::Index>(),
        0usize..40,
        prop::sample::select(tokens.to_vec()),
    );
    prop_oneof![
        1 => any::<String>(),
        2 => "[\\[\\]{}\",:0-9a-zA-Z.eE +\\-\n]{0,300}",
        2 => json_value(),
        4 => prop::collection::vec(edit, 1..5).prop_map(move |edits| {
            let mut s = original.clone();
            for (at, cut, token) in edits {
                let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
                let start = bounds[at.index(bounds.len())];
                let end = bounds.iter().copied().find(|&b| b >= start + cut).unwrap_or(s.len());
                s.replace_range(start..end, token);
            }
            s
        }),
    ]
    .boxed()
}

/// The files a GeoJSON test starts from: control.csv with no records, so that whether the
/// dataset loads depends on the regions alone.
fn geojson_fixture() -> Fixture {
    let fx = Fixture::new();
    fx.write("control.csv", format!("{CONTROL_HEADER}\n"));
    fx
}

const GEOJSON_BLAME: &[&str] = &["regions.geojson", "places.csv"];

#[test]
fn geojson_never_panics_on_json_ish_text() {
    let fx = geojson_fixture();
    check(CASES, json_ish(), |text| {
        fx.write("regions.geojson", &text);
        let checked = check_dataset(&fx, &[("regions.geojson", text.as_bytes())], GEOJSON_BLAME)?;
        if checked.errors.is_empty()
            && let Some(d) = &checked.dataset
        {
            let _ =
                controlmap::scene::MapLayout::new(d, &controlmap::scene::MapOptions::new(400, 300));
        }
        Ok(())
    });
}

#[test]
fn geojson_feature_collections_load_or_are_reported_at_their_feature() {
    let fx = geojson_fixture();
    // Random features, and valid-looking ones (unique ids, simple outlines from a millimetre to
    // thousands of kilometres across) that load often enough to exercise the layout.
    let random = prop::collection::vec(feature(), 0..6).boxed();
    let valid_looking = (1usize..5)
        .prop_flat_map(|n| {
            (0..n)
                .map(|i| valid_looking_feature(i, -8.0..1.5))
                .collect::<Vec<_>>()
        })
        .boxed();
    let collections = prop_oneof![
        3 => feature_collection(random),
        1 => feature_collection(valid_looking),
    ];
    check(CASES, collections, |(text, n)| {
        fx.write("regions.geojson", &text);
        let checked = check_dataset(&fx, &[("regions.geojson", text.as_bytes())], GEOJSON_BLAME)?;
        let invalid = checked.errors.iter().any(|(_, _, m)| {
            m.starts_with("not valid GeoJSON") || m.starts_with("expected a GeoJSON")
        });
        if !invalid {
            for (file, line, message) in &checked.errors {
                if *file == "regions.geojson"
                    && let Some(l) = line
                {
                    prop_assert!(
                        (2..n + 2).contains(l),
                        "line {} is no feature's line (features on 2..={}): {}",
                        l,
                        n + 1,
                        message
                    );
                }
            }
        }
        if checked.errors.is_empty() {
            let d = checked.dataset.as_ref().expect("a dataset without errors");
            prop_assert_eq!(d.regions().count(), n);
            for (i, (_, r)) in d.regions().enumerate() {
                prop_assert_eq!(r.line, i + 2, "{}", &r.id);
            }
            let _ =
                controlmap::scene::MapLayout::new(d, &controlmap::scene::MapOptions::new(400, 300));
        }
        Ok(())
    });
}

/// A feature with a unique id and a valid-looking outline, maybe a multipolygon.
fn valid_looking_feature(i: usize, scale: std::ops::Range<f64>) -> BoxedStrategy<String> {
    let area = prop_oneof![
        8 => Just((19.0, 25.0, 44.0, 48.0)),
        1 => Just((-180.0, 180.0, -90.0, 90.0)),
        1 => Just((-180.0, -170.0, 80.0, 90.0)),
    ];
    (
        area.prop_flat_map(move |a| prop::collection::vec(star_polygon(a, scale.clone()), 1..3)),
        any::<bool>(),
        prop::option::weighted(0.3, (number(180.0), number(90.0))),
        prop::option::of("[^\"\\\\\u{0}-\u{1f}]{0,12}"),
    )
        .prop_map(move |(polys, multi, label, name)| {
            let geometry = if multi || polys.len() > 1 {
                format!(
                    "{{\"type\":\"MultiPolygon\",\"coordinates\":[{}]}}",
                    polys.join(",")
                )
            } else {
                format!("{{\"type\":\"Polygon\",\"coordinates\":{}}}", polys[0])
            };
            let mut props = format!("\"id\":\"R{i}\"");
            if let Some(name) = name {
                let _ = write!(props, ",\"name\":{}", serde_json::Value::String(name));
            }
            if let Some((x, y)) = label {
                let _ = write!(props, ",\"label_lon\":{x},\"label_lat\":{y}");
            }
            format!("{{\"type\":\"Feature\",\"properties\":{{{props}}},\"geometry\":{geometry}}}")
        })
        .boxed()
}

#[test]
fn valid_looking_datasets_lay_out_and_render() {
    controlmap::render::png::register_fonts();
    let fx = Fixture::new();
    let dataset = (1usize..5).prop_flat_map(|n| {
        // Outlines from about 100 m across: see `a_region_of_a_centimetre_renders`.
        let features: Vec<BoxedStrategy<String>> = (0..n)
            .map(|i| valid_looking_feature(i, -3.0..1.5))
            .collect();
        let controllers = prop::collection::vec(
            select(&["crown", "rebels", "contested,crown|rebels", "contested,"]),
            n * 2,
        );
        (features, controllers, 0i64..120, 200u32..900, 150u32..700)
    });
    check(
        RENDER_CASES,
        dataset,
        |(features, controllers, day, w, h)| {
            let regions = format!(
                "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}",
                features.join(",\n")
            );
            let mut control = format!("{CONTROL_HEADER}\n");
            for (k, c) in controllers.iter().enumerate() {
                let c = if c.contains(',') {
                    c.to_string()
                } else {
                    format!("{c},")
                };
                let month = 1 + k / features.len();
                let _ = writeln!(
                    control,
                    "2020-0{month}-01,R{},{c},confirmed,invented,",
                    k % features.len()
                );
            }
            fx.write("regions.geojson", &regions);
            fx.write("control.csv", &control);
            let checked = check_dataset(
                &fx,
                &[
                    ("regions.geojson", regions.as_bytes()),
                    ("control.csv", control.as_bytes()),
                ],
                &["regions.geojson", "control.csv", "places.csv"],
            )?;
            if !checked.errors.is_empty() {
                return Ok(());
            }
            let d = checked.dataset.expect("a dataset without errors");
            let timeline = controlmap::timeline::Timeline::new(&d);
            let date = parse_date("2020-01-01")
                .expect("a date")
                .checked_add(jiff::Span::new().days(day))
                .expect("a date in range");
            for options in [
                controlmap::scene::MapOptions::new(400, 300),
                controlmap::scene::MapOptions::new(w, h),
            ] {
                if let Ok(layout) = controlmap::scene::MapLayout::new(&d, &options) {
                    let scene = layout.scene(&timeline.state_at(date), None, "");
                    prop_assert!(controlmap::render::png::draw(&scene).is_ok());
                }
            }
            Ok(())
        },
    );
}

/// A region a centimetre across passes the checks. Its map scale once made the scale bar's
/// smallest length (50 km) billions of pixels long, and drawing its labels overflowed `i32` in
/// `render::glyphs::draw_text`; found by the render property test above.
#[test]
fn a_region_of_a_centimetre_renders() {
    controlmap::render::png::register_fonts();
    let fx = Fixture::new();
    fx.write(
        "regions.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{\"id\":\"R0\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[19.0000000161,44],[18.9999999920,44.0000000139],[18.9999999920,43.9999999861],[19.0000000161,44]]]}}\n]}",
    );
    fx.write(
        "control.csv",
        format!("{CONTROL_HEADER}\n2020-01-01,R0,crown,,confirmed,invented,\n"),
    );
    let d = Dataset::load(&fx.source()).expect("the dataset loads");
    let timeline = controlmap::timeline::Timeline::new(&d);
    let layout =
        controlmap::scene::MapLayout::new(&d, &controlmap::scene::MapOptions::new(400, 300))
            .expect("a layout");
    let date = parse_date("2020-01-01").expect("a date");
    let scene = layout.scene(&timeline.state_at(date), None, "");
    assert!(controlmap::render::png::draw(&scene).is_ok());
}
