//! The SVG keeps the map editable: a group per layer, region ids on their paths, real text.

mod common;

#[test]
fn svg_has_layer_groups_region_ids_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let o = common::run_in(
        dir.path(),
        &["render", "--phase", "north-lost-again", "--out", "m.svg"],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let svg = std::fs::read_to_string(dir.path().join("m.svg")).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains(" width=\"1600\" height=\"1200\""));
    let mut last = 0;
    for layer in [
        "neighbours",
        "regions",
        "hatching",
        "region-borders",
        "national-border",
        "region-labels",
        "town-labels",
        "legend",
        "scale-bar",
        "title",
        "credit",
        "towns",
        "subtitle",
    ] {
        let at = svg
            .find(&format!("<g id=\"{layer}\" "))
            .unwrap_or_else(|| panic!("no {layer} group"));
        assert!(at > last, "{layer} is out of order");
        last = at;
    }
    for id in [
        "ML-1", "ML-2", "ML-3", "ML-4", "ML-5", "ML-6", "ML-7", "ML-8", "ML-BKO", "DZA", "NER",
    ] {
        assert!(
            svg.contains(&format!("id=\"{id}\"")),
            "no element with id {id}"
        );
    }
    for text in [
        ">Northern Mali conflict<",
        ">Kidal<",
        ">Gao<",
        "The north lost again",
        ">Who controls the territory<",
        "km<",
    ] {
        assert!(svg.contains(text), "missing text {text}");
    }
    // A region label: in capitals, or (once it carries its meaning) its name capitalised by CSS.
    assert!(
        svg.contains(">KIDAL<") || svg.contains("text-transform:uppercase\">Kidal<"),
        "no KIDAL region label"
    );
    assert!(
        svg.contains("<title id=\"map-title\">")
            && svg.contains("<desc id=\"map-desc\">Map of territorial control")
    );
    assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
    assert!(svg.trim_end().ends_with("</svg>"));
}

use std::collections::{HashMap, HashSet};

use controlmap::dataset::{Dataset, Source};
use controlmap::date::parse_date;
use controlmap::render::svg::write_svg;
use controlmap::scene::grid::{Cell, grid_scene};
use controlmap::scene::{MapLayout, MapOptions, Meta, Scene};
use controlmap::timeline::Timeline;

fn mali_scene(date: &str) -> Scene {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let layout = MapLayout::new(&d, &MapOptions::new(1600, 1200)).unwrap();
    layout.scene(&t.state_at(parse_date(date).unwrap()), None, "")
}

/// The meaning written on an element: its own data attributes or its group's.
fn written_meta<'a>(node: roxmltree::Node<'a, 'a>) -> Option<roxmltree::Node<'a, 'a>> {
    node.ancestors()
        .find(|n| n.is_element() && n.attribute("data-territory").is_some())
}

fn assert_ids_unique(doc: &roxmltree::Document) {
    let mut seen = HashSet::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        if let Some(id) = n.attribute("id") {
            assert!(seen.insert(id.to_string()), "id {id} is used twice");
        }
    }
}

#[test]
fn svg_ids_are_unique_and_ml8_says_islamist_on_2012_07_15() {
    let scene = mali_scene("2012-07-15");
    let svg = write_svg(&scene);
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
    assert_ids_unique(&doc);
    let ml8 = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("ML-8"))
        .expect("an element with id ML-8");
    assert_eq!(ml8.attribute("data-territory"), Some("ML-8"));
    assert_eq!(ml8.attribute("data-controller"), Some("islamist"));
    let class = ml8.attribute("class").unwrap();
    for c in ["controller-islamist", "kind-region", "part-fill"] {
        assert!(
            class.split(' ').any(|x| x == c),
            "ML-8 lacks class {c}: {class}"
        );
    }
    assert!(ml8.attribute("data-since").is_some() && ml8.attribute("data-refs").is_some());
}

#[test]
fn every_item_with_meta_is_written_with_the_scenes_meaning() {
    for date in [
        "2012-01-15",
        "2012-04-03",
        "2012-07-15",
        "2013-02-01",
        "2014-06-01",
    ] {
        let scene = mali_scene(date);
        let svg = write_svg(&scene);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert_ids_unique(&doc);
        // The scene's meanings, by (territory, part), in drawing order.
        let mut expected: Vec<&Meta> = Vec::new();
        for item in scene.layers().flat_map(|l| &l.items) {
            if let Some(m) = item.meta() {
                expected.push(m);
            }
        }
        let mut written: Vec<_> = doc
            .descendants()
            .filter(|n| {
                n.is_element()
                    && n.attribute("class")
                        .is_some_and(|c| c.split(' ').any(|x| x.starts_with("part-")))
            })
            .collect();
        // Town labels are written in their marker's group, out of the scene's drawing order:
        // compare by (kind, territory, part).
        expected.sort_by_key(|m| (m.kind, m.territory.clone(), m.part.as_str()));
        let key = |n: &roxmltree::Node| {
            let g = written_meta(*n).unwrap();
            let class = n.attribute("class").unwrap_or("");
            let word = |p: &str| {
                class
                    .split(' ')
                    .find_map(|x| x.strip_prefix(p))
                    .unwrap_or("")
                    .to_string()
            };
            (
                word("kind-"),
                g.attribute("data-territory").unwrap_or("").to_string(),
                word("part-"),
            )
        };
        written.sort_by_key(key);
        assert_eq!(
            written.len(),
            expected.len(),
            "{date}: one element per item with meta"
        );
        for (node, m) in written.iter().zip(&expected) {
            let class = node.attribute("class").unwrap();
            // Water is held by no one: no controller class, no data-controller.
            let controller =
                (!m.controller.is_empty()).then(|| format!("controller-{}", m.controller));
            for c in controller.into_iter().chain([
                format!("kind-{}", m.kind),
                format!("part-{}", m.part.as_str()),
            ]) {
                assert!(
                    class.split(' ').any(|x| x == c),
                    "{date} {}: no class {c}",
                    m.territory
                );
            }
            let g = written_meta(*node).expect("data attributes on the item or its group");
            let attr = |k: &str| g.attribute(k).map(str::to_string);
            assert_eq!(attr("data-territory"), Some(m.territory.clone()));
            assert_eq!(attr("data-name"), Some(m.name.clone()));
            assert_eq!(
                attr("data-controller"),
                (!m.controller.is_empty()).then(|| m.controller.clone())
            );
            assert_eq!(
                attr("data-parties"),
                (!m.parties.is_empty()).then(|| m.parties.join(" "))
            );
            assert_eq!(attr("data-since"), m.since.map(|d| d.to_string()));
            assert_eq!(
                attr("data-confidence"),
                m.confidence.map(|c| c.as_str().to_string())
            );
            assert_eq!(
                attr("data-refs"),
                (!m.refs.is_empty()).then(|| m.refs.join("; "))
            );
        }
    }
}

#[test]
fn rivers_and_lakes_say_what_they_are() {
    let svg = write_svg(&mali_scene("2012-07-15"));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let by_id = |id: &str| {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no element {id}"))
    };
    for (id, name) in [
        ("river-niger", "Niger"),
        ("river-bani", "Bani"),
        ("lake-debo", "Lake Débo"),
        ("lake-faguibine", "Lake Faguibine"),
    ] {
        let e = by_id(id);
        assert_eq!(e.attribute("data-name"), Some(name), "{id}");
        assert_eq!(
            e.attribute("data-controller"),
            None,
            "{id} is held by no one"
        );
        let kind = format!("kind-{}", id.split('-').next().unwrap());
        assert!(
            e.attribute("class").unwrap().split(' ').any(|c| c == kind),
            "{id}"
        );
    }
    let niger = by_id("river-niger");
    assert_eq!(niger.tag_name().name(), "path");
    assert_eq!(niger.attribute("fill"), Some("none"), "a river is a line");
    let group = |n: roxmltree::Node| {
        n.ancestors()
            .find(|a| {
                a.attribute("inkscape:groupmode").is_some()
                    || a.attribute(("http://www.inkscape.org/namespaces/inkscape", "groupmode"))
                        .is_some()
            })
            .and_then(|a| a.attribute("id"))
            .map(str::to_string)
    };
    assert_eq!(group(niger).as_deref(), Some("rivers"));
    assert_eq!(group(by_id("lake-debo")).as_deref(), Some("lakes"));
}

#[test]
fn a_towns_marker_parts_are_one_group() {
    let scene = mali_scene("2012-07-15");
    let svg = write_svg(&scene);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let g = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("town-timbuktu"))
        .expect("a group for Timbuktu");
    assert_eq!(g.tag_name().name(), "g");
    assert_eq!(g.attribute("data-controller"), Some("islamist"));
    let parts: Vec<_> = g.children().filter(|n| n.is_element()).collect();
    let markers = parts
        .iter()
        .filter(|p| p.attribute("class").unwrap().contains("part-marker"))
        .count();
    assert!(markers >= 2, "the marker's fill and rim are in the group");
    // The town's label is in its marker's group, so an editor moves them together.
    let label = parts
        .iter()
        .find(|p| p.tag_name().name() == "text")
        .expect("the label in the marker's group");
    assert_eq!(label.text(), Some("Timbuktu"));
    assert!(label.attribute("class").unwrap().contains("part-label"));
    // The label is written once, and the area around the town has its own id.
    assert_eq!(
        doc.descendants()
            .filter(|n| n.tag_name().name() == "text" && n.text() == Some("Timbuktu"))
            .count(),
        1
    );
    assert!(
        doc.descendants()
            .any(|n| n.attribute("id") == Some("town-timbuktu-area"))
    );
}

#[test]
fn layers_are_inkscape_layers() {
    let scene = mali_scene("2012-07-15");
    let svg = write_svg(&scene);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    const INKSCAPE: &str = "http://www.inkscape.org/namespaces/inkscape";
    let layers: Vec<_> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("g"))
        .collect();
    assert_eq!(layers.len(), scene.layers().count());
    for (g, l) in layers.iter().zip(scene.layers()) {
        assert_eq!(g.attribute((INKSCAPE, "groupmode")), Some("layer"));
        assert_eq!(g.attribute((INKSCAPE, "label")), Some(l.name.as_str()));
    }
}

#[test]
fn grid_svg_ids_stay_unique_per_cell() {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let cells: Vec<Cell> = ["2012-01-15", "2012-07-15", "2013-02-01", "2014-06-01"]
        .iter()
        .map(|s| Cell {
            state: t.state_at(parse_date(s).unwrap()),
            heading: None,
        })
        .collect();
    let scene = grid_scene(
        &d,
        &cells,
        2,
        &controlmap::scene::MapOptions::new(480, 360),
        "",
    )
    .unwrap();
    let svg = write_svg(&scene);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_ids_unique(&doc);
    // Each cell's ML-8 is found by its cell's prefix, and says what its date's records say.
    let by_id: HashMap<&str, roxmltree::Node> = doc
        .descendants()
        .filter_map(|n| n.attribute("id").map(|i| (i, n)))
        .collect();
    assert_eq!(
        by_id["map-1-ML-8"].attribute("data-controller"),
        Some("government")
    );
    assert_eq!(
        by_id["map-2-ML-8"].attribute("data-controller"),
        Some("islamist")
    );
    assert!(by_id.contains_key("map-4-town-timbuktu"));
}

/// A change map of two dates with no change draws no outline, so its key does not explain one.
#[test]
fn a_change_map_without_changes_does_not_key_outlines() {
    let dir = tempfile::tempdir().unwrap();
    let run = |to: &str, name: &str| {
        let o = common::run_in(
            dir.path(),
            &["diff", "--from", "2013-01-01", "--to", to, "--map", name],
        );
        assert!(o.status.success(), "{}", common::stderr(&o));
        std::fs::read_to_string(dir.path().join(name)).unwrap()
    };
    assert!(!run("2013-01-01", "same.svg").contains("Changed hands"));
    assert!(run("2013-02-15", "moved.svg").contains("Changed hands"));
}

/// A contested region's two sets of lines are grouped under the part's name beside the
/// region's fill, each a path of its own, and the group says who contests it.
#[test]
fn a_contests_lines_are_grouped_beside_the_regions_fill() {
    let scene = mali_scene("2012-04-10");
    let svg = write_svg(&scene);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let group = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("ML-6-hatch-group"))
        .expect("the group of Tombouctou's lines");
    assert_eq!(group.attribute("data-controller"), Some("contested"));
    let parties = group.attribute("data-parties").unwrap_or_default();
    assert!(
        parties.contains("mnla") && parties.contains("islamist"),
        "{parties}"
    );
    let ids: Vec<&str> = group
        .children()
        .filter(|c| c.has_tag_name("path"))
        .filter_map(|c| c.attribute("id"))
        .collect();
    assert_eq!(ids, ["ML-6-hatch", "ML-6-hatch-2"]);
}
