//! Tests of the layout on the scenes it builds: the legend, label placement, meanings.
use super::*;
use crate::dataset::Source;
use crate::date::parse_date;
use crate::scene::layers::labels::text_bounds;
use crate::scene::style::LOCATOR_MAX_COVER;
use crate::scene::{Item, Part};
use crate::timeline::Timeline;

fn mali() -> Dataset {
    Dataset::load(&Source::Embedded).unwrap()
}

fn on(d: &Dataset, date: &str) -> State {
    Timeline::new(d).state_at(parse_date(date).unwrap())
}

/// The fraction of a box over `regions`, tested point by point against whole outlines (the
/// layout's own measure files their edges by row).
fn covered_fraction(regions: &[geo::MultiPolygon<f64>], b: &Bounds) -> f32 {
    use geo::Intersects;
    super::super::placement::share_of_samples(b, |x, y| {
        let p = geo::Point::new(f64::from(x), f64::from(y));
        regions.iter().any(|r| r.intersects(&p))
    })
}

/// Each text item of `layers`: its words, box, size (full height) and face.
pub(super) fn text_items<'a>(
    layers: impl Iterator<Item = &'a Layer>,
) -> Vec<(String, Bounds, f32, bool)> {
    layers
        .flat_map(|l| &l.items)
        .filter_map(|i| match i {
            Item::Text {
                x,
                y,
                text,
                size,
                bold,
                align,
                ..
            } => Some((
                text.clone(),
                text_bounds(text, *size, *bold, *x, *y, *align),
                *size,
                *bold,
            )),
            _ => None,
        })
        .collect()
}

/// Each text of a layer with its box and size.
fn label_boxes(scene: &Scene, layer: &str) -> Vec<(String, Bounds, f32)> {
    text_items(std::iter::once(scene.layer(layer).unwrap()))
        .into_iter()
        .map(|(t, b, size, _)| (t, b, size))
        .collect()
}

fn legend_texts(scene: &Scene) -> Vec<String> {
    scene
        .layer("legend")
        .unwrap()
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .skip(1)
        .collect()
}

#[test]
fn the_legend_lists_exactly_the_classes_drawn() {
    let d = mali();
    let state = on(&d, "2014-06-01");
    let layout = MapLayout::for_states(
        &d,
        &MapOptions::new(1600, 1200),
        std::slice::from_ref(&state),
    )
    .unwrap();
    let scene = layout.scene(&state, None, "");
    let texts = legend_texts(&scene);
    assert!(texts.iter().any(|t| t.starts_with("Government")));
    assert!(texts.iter().any(|t| t.starts_with("MNLA")));
    assert!(
        !texts.iter().any(|t| t.starts_with("Islamist")),
        "no Islamist ground or town on 1 June 2014: {texts:?}"
    );
    // The no-data row is there exactly when some drawn territory has no record in force.
    let recorded: std::collections::HashSet<TerritoryId> =
        d.records.iter().map(|r| r.target).collect();
    let blank = d
        .territory_ids()
        .filter(|(t, x)| x.is_region() || recorded.contains(t))
        .any(|(t, _)| state.get(t).is_none());
    assert_eq!(
        texts.iter().any(|t| t.starts_with("No record")),
        blank,
        "{texts:?}"
    );
    // On 15 July 2012 the Islamists hold the north and dark markers need the light rim.
    let state = on(&d, "2012-07-15");
    let layout = MapLayout::for_states(
        &d,
        &MapOptions::new(1600, 1200),
        std::slice::from_ref(&state),
    )
    .unwrap();
    let texts = legend_texts(&layout.scene(&state, None, ""));
    assert!(texts.iter().any(|t| t.starts_with("Islamist")));
    assert!(texts.iter().any(|t| t.contains("light rim")), "{texts:?}");
}

#[test]
fn a_government_islamist_contest_is_keyed_orange_over_black() {
    let d = mali();
    let government = d.manifest.factions[d.manifest.faction_index("government").unwrap()].colour;
    let islamist = d.manifest.factions[d.manifest.faction_index("islamist").unwrap()].colour;
    // Mopti was fought over between the army and the Islamists in January 2013.
    let state = on(&d, "2013-01-15");
    let layout = MapLayout::for_states(
        &d,
        &MapOptions::new(1600, 1200),
        std::slice::from_ref(&state),
    )
    .unwrap();
    let key = layout.key(&d, &[state]);
    let contests: Vec<&Row> = key
        .iter()
        .filter(|r| matches!(r, Row::Contested { .. }))
        .collect();
    assert_eq!(contests.len(), 1, "{contests:?}");
    let Row::Contested { sides_colours, .. } = contests[0] else {
        unreachable!()
    };
    let pair = *sides_colours;
    assert!(
        pair.contains(&government) && pair.contains(&islamist),
        "{pair:?}"
    );
}

#[test]
fn no_two_labels_overlap_and_none_leaves_the_frame() {
    let d = mali();
    for (w, h) in [(1600, 1200), (800, 600), (1280, 720)] {
        for lang in [Lang::En, Lang::Fr] {
            let options = MapOptions {
                lang,
                ..MapOptions::new(w, h)
            };
            let layout = MapLayout::new(&d, &options).unwrap();
            let scene = layout.scene(&on(&d, "2012-07-15"), None, "");
            let boxes: Vec<(String, Bounds)> = ["region-labels", "town-labels"]
                .iter()
                .flat_map(|l| label_boxes(&scene, l))
                .map(|(t, b, _)| (t, b))
                .collect();
            assert!(boxes.len() > 20, "{w}x{h}: only {} labels", boxes.len());
            let frame = Bounds::xywh(0.0, 0.0, w as f32, h as f32);
            for (i, (a, ab)) in boxes.iter().enumerate() {
                assert!(ab.inside(&frame), "{a} leaves the {w}x{h} frame");
                for (b, bb) in &boxes[i + 1..] {
                    assert!(!ab.overlaps(bb), "{w}x{h} {lang}: {a} overlaps {b}");
                }
            }
        }
    }
}

#[test]
fn labels_say_who_holds_what_they_name_on_the_scene_date() {
    let d = mali();
    let layout = MapLayout::new(&d, &MapOptions::new(1600, 1200)).unwrap();
    let controller_of_label = |date: &str, id: &str| {
        let scene = layout.scene(&on(&d, date), None, "");
        let found = scene
            .layers()
            .flat_map(|l| &l.items)
            .filter(|i| matches!(i, Item::Text { .. }))
            .find_map(|i| i.meta().filter(|m| m.territory == id).cloned());
        found.map(|m| (m.controller, m.part))
    };
    assert_eq!(
        controller_of_label("2012-07-15", "kidal"),
        Some(("islamist".to_string(), Part::Label))
    );
    assert_eq!(
        controller_of_label("2014-06-01", "kidal"),
        Some(("mnla".to_string(), Part::Label))
    );
    assert_eq!(
        controller_of_label("2012-07-15", "ML-8").map(|x| x.0),
        Some("islamist".to_string())
    );
    // The pixels of the static layers do not change with the date: one key per layout.
    let a = layout.scene(&on(&d, "2012-07-15"), None, "");
    let b = layout.scene(&on(&d, "2014-06-01"), None, "");
    assert_eq!(a.static_key, b.static_key);
    let other = MapLayout::new(&d, &MapOptions::new(1600, 1200)).unwrap();
    assert_ne!(
        other.scene(&on(&d, "2012-07-15"), None, "").static_key,
        a.static_key
    );
}

/// Issue 15.4: a change map's key explains its outlines and its fading; a plain map's key does
/// not claim either.
#[test]
fn the_change_maps_key_explains_outlines_and_fading() {
    let d = mali();
    let state = on(&d, "2012-07-15");
    let key_of = |change_key: bool| {
        let options = MapOptions {
            change_key,
            ..MapOptions::new(800, 600)
        };
        let layout = MapLayout::for_states(&d, &options, std::slice::from_ref(&state)).unwrap();
        legend_texts(&layout.scene(&state, None, ""))
    };
    let change = key_of(true);
    assert!(
        change.iter().any(|t| t.starts_with("Changed hands")),
        "{change:?}"
    );
    assert!(
        change.iter().any(|t| t.starts_with("Unchanged")),
        "{change:?}"
    );
    let plain = key_of(false);
    assert!(
        !plain
            .iter()
            .any(|t| t.starts_with("Changed") || t.starts_with("Unchanged")),
        "{plain:?}"
    );
}

/// Issue 15.4: a region's name does not sit beside its capital's ("MOPTI" next to "Mopti"): the
/// two labels are at least a line apart, at every size where the region has room elsewhere.
#[test]
fn region_names_keep_away_from_their_capitals_names() {
    let d = mali();
    for (w, h) in [(1600, 1200), (800, 600), (1280, 720)] {
        let layout = MapLayout::new(&d, &MapOptions::new(w, h)).unwrap();
        let scene = layout.scene(&on(&d, "2012-07-15"), None, "");
        let texts = |layer: &str| label_boxes(&scene, layer);
        let towns = texts("town-labels");
        let mut pairs = 0;
        for (region, rb, size) in texts("region-labels") {
            let Some((_, tb, _)) = towns.iter().find(|t| t.0.to_uppercase() == region) else {
                continue;
            };
            pairs += 1;
            let gap_x = (rb.x0 - tb.x1).max(tb.x0 - rb.x1);
            let gap_y = (rb.y0 - tb.y1).max(tb.y0 - rb.y1);
            assert!(
                gap_y >= 0.5 * size || gap_x >= 2.0 * size,
                "{w}x{h}: {region} at {rb:?} sits beside its capital's name at {tb:?}"
            );
        }
        assert!(pairs >= 5, "{w}x{h}: only {pairs} region/capital pairs");
    }
}

/// Where a layer lies in a scene's drawing order.
fn depth(scene: &Scene, name: &str) -> usize {
    scene
        .layers()
        .position(|l| l.name == name)
        .unwrap_or_else(|| panic!("no {name} layer"))
}

#[test]
fn rivers_and_lakes_lie_over_the_fills_and_under_borders_markers_and_labels() {
    let d = mali();
    for (w, h) in [(1600, 1200), (640, 480)] {
        let layout = MapLayout::new(&d, &MapOptions::new(w, h)).unwrap();
        let scene = layout.scene(&on(&d, "2012-07-15"), None, "");
        for water in ["lakes", "rivers"] {
            for below in ["neighbours", "regions", "hatching", "town-area-borders"] {
                assert!(
                    depth(&scene, below) < depth(&scene, water),
                    "{water} under {below}"
                );
            }
            for above in [
                "region-borders",
                "national-border",
                "region-labels",
                "town-labels",
                "legend",
                "towns",
            ] {
                assert!(
                    depth(&scene, water) < depth(&scene, above),
                    "{water} over {above}"
                );
            }
        }
        assert!(depth(&scene, "lakes") < depth(&scene, "rivers"));
    }
}

#[test]
fn the_niger_is_widest_and_every_river_and_lake_is_named_and_inside_the_frame() {
    let d = mali();
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    let scene = layout.scene(&on(&d, "2013-01-15"), None, "");
    let frame = Bounds::xywh(0.0, 0.0, 800.0, 600.0).grow(2.5);
    let inside = |rings: &[crate::scene::Ring]| {
        rings
            .iter()
            .flatten()
            .all(|p| frame.x0 <= p[0] && p[0] <= frame.x1 && frame.y0 <= p[1] && p[1] <= frame.y1)
    };
    let mut widths = std::collections::HashMap::new();
    for item in &scene.layer("rivers").unwrap().items {
        let Item::Stroke { lines, width, .. } = item else {
            panic!("a river is a stroke")
        };
        assert!(!lines.is_empty() && inside(lines));
        widths.insert(item.meta().unwrap().name.clone(), *width);
    }
    assert!(widths["Niger"] > widths["Bani"], "{widths:?}");
    let mut lakes: Vec<String> = Vec::new();
    for item in &scene.layer("lakes").unwrap().items {
        if let Item::Fill { rings, .. } = item {
            assert!(inside(rings));
            lakes.push(item.meta().unwrap().name.clone());
        }
    }
    for lake in ["Faguibine", "Télé", "Fati", "Horo", "Débo", "Niangay"] {
        assert!(
            lakes.contains(&format!("Lake {lake}")),
            "no {lake} in {lakes:?}"
        );
    }
}

#[test]
fn a_dataset_without_water_files_draws_no_water_layers() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ruritania");
    let d = Dataset::load(&Source::Dir(dir)).unwrap();
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    let scene = layout.scene(&on(&d, "2020-02-15"), None, "");
    assert!(scene.layer("rivers").is_none() && scene.layer("lakes").is_none());
}

/// The box around everything a layer draws (its texts measured as the placer does).
fn extent(layer: &Layer) -> Option<Bounds> {
    let mut b: Option<Bounds> = None;
    let mut add = |o: Bounds| {
        b = Some(b.map_or(o, |a| Bounds {
            x0: a.x0.min(o.x0),
            y0: a.y0.min(o.y0),
            x1: a.x1.max(o.x1),
            y1: a.y1.max(o.y1),
        }));
    };
    for item in &layer.items {
        match item {
            Item::Fill { rings: r, .. } | Item::Stroke { lines: r, .. } => {
                for p in r.iter().flatten() {
                    add(Bounds::xywh(p[0], p[1], 0.0, 0.0));
                }
            }
            Item::Text {
                x,
                y,
                text,
                size,
                bold,
                align,
                ..
            } => add(text_bounds(text, *size, *bold, *x, *y, *align)),
            Item::Raster {
                x,
                y,
                width,
                height,
                ..
            } => add(Bounds::xywh(*x, *y, *width as f32, *height as f32)),
        }
    }
    b
}

#[test]
fn the_locator_sits_in_a_free_corner_inside_the_frame_clear_of_the_furniture() {
    let d = mali();
    let date = parse_date("2012-01-01").unwrap();
    for (w, h, strip) in [
        (1600, 1200, None),
        (800, 600, None),
        (640, 480, None),
        (1280, 720, Some((date, parse_date("2014-12-31").unwrap()))),
    ] {
        let options = MapOptions {
            strip,
            ..MapOptions::new(w, h)
        };
        let layout = MapLayout::new(&d, &options).unwrap();
        let scene = layout.scene(&on(&d, "2013-01-15"), None, "");
        let inset = extent(scene.layer("locator").expect("a locator inset")).unwrap();
        assert!(
            inset.inside(&Bounds::xywh(0.0, 0.0, w as f32, h as f32)),
            "{w}x{h}: {inset:?}"
        );
        for other in [
            "legend",
            "scale-bar",
            "title",
            "subtitle",
            "credit",
            "region-labels",
            "town-labels",
            "neighbour-labels",
            "timeline-strip",
        ] {
            let Some(layer) = scene.layer(other) else {
                continue;
            };
            for item in &layer.items {
                let one = Layer::with_items("one", vec![item.clone()]);
                let b = extent(&one).unwrap();
                assert!(!inset.overlaps(&b), "{w}x{h}: the locator overlaps {other}");
            }
        }
        let national = extent(scene.layer("national-border").unwrap()).unwrap();
        let land: Vec<_> = layout.areas().iter().map(|a| a.px.clone()).collect();
        assert!(
            covered_fraction(&land, &inset) <= LOCATOR_MAX_COVER,
            "{w}x{h}: the locator hides the map ({national:?})"
        );
        // Mali, in ink, is drawn last and lies inside the inset.
        let Some(Item::Fill { colour, .. }) = scene.layer("locator").unwrap().items.last() else {
            panic!("no highlighted country")
        };
        assert_eq!(*colour, colours::NATIONAL_BORDER);
    }
}

#[test]
fn small_multiples_and_datasets_without_a_locator_file_have_no_inset() {
    let d = mali();
    let compact = MapOptions {
        compact: true,
        ..MapOptions::new(400, 300)
    };
    let scene = MapLayout::new(&d, &compact)
        .unwrap()
        .scene(&on(&d, "2013-01-15"), None, "");
    assert!(scene.layer("locator").is_none());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ruritania");
    let r = Dataset::load(&Source::Dir(dir)).unwrap();
    let scene = MapLayout::new(&r, &MapOptions::new(800, 600))
        .unwrap()
        .scene(&on(&r, "2020-02-15"), None, "");
    assert!(scene.layer("locator").is_none());
}

/// The layout's quick measure of how much of a box hides the map (edges filed by row) agrees
/// with testing each sample point against whole outlines, box after box across the frame.
#[test]
fn the_quick_cover_agrees_with_the_outlines() {
    let d = mali();
    let layout = MapLayout::new(&d, &MapOptions::new(1280, 720)).unwrap();
    let land: Vec<_> = layout.areas().iter().map(|a| a.px.clone()).collect();
    let cover = super::super::placement::Cover::of(&land);
    let mut partial = 0;
    for i in 0..24 {
        for j in 0..14 {
            let b = Bounds::xywh(i as f32 * 53.0, j as f32 * 51.0, 97.0, 61.0);
            let (fast, exact) = (cover.fraction(&b), covered_fraction(&land, &b));
            assert_eq!(fast, exact, "{b:?}");
            partial += usize::from(exact > 0.0 && exact < 1.0);
        }
    }
    assert!(partial > 20, "only {partial} boxes straddle an outline");
}
