//! Tests of the layouts for where a map is read: legible type, nothing overlapping or off
//! the frame, the key under the map on a phone, title-safe words on video.
use super::*;
use crate::dataset::Source;
use crate::date::parse_date;
use crate::scene::Item;
use crate::scene::style::{Layout, PHONE_MIN_LABEL, PHONE_WIDTH, TITLE_SAFE};
use crate::scene::text::em;
use crate::timeline::Timeline;

fn mali() -> Dataset {
    Dataset::load(&Source::Embedded).unwrap()
}

/// A map for a medium at its layout's own size (or `size`), with a timeline strip on video.
fn scene_for(d: &Dataset, medium: Medium, size: Option<(u32, u32)>, date: &str) -> Scene {
    let (w, h) = size.unwrap_or(medium.layout.default_size(medium.dpi));
    let options = MapOptions {
        medium,
        strip: medium.video.then(|| {
            (
                parse_date("2012-01-01").unwrap(),
                parse_date("2014-12-31").unwrap(),
            )
        }),
        ..MapOptions::new(w, h)
    };
    let layout = MapLayout::new(d, &options).unwrap();
    let state = Timeline::new(d).state_at(parse_date(date).unwrap());
    layout.scene(&state, None, "")
}

/// Every text of the named layers (all layers when `None`): its words, box, em size.
fn texts(scene: &Scene, only: Option<&[&str]>) -> Vec<(String, Bounds, f32)> {
    let layers = scene
        .layers()
        .filter(|l| only.is_none_or(|names| names.contains(&l.name.as_str())));
    super::tests::text_items(layers)
        .into_iter()
        .map(|(t, b, size, bold)| (t, b, em(size, bold)))
        .collect()
}

const MAP_LABELS: [&str; 3] = ["region-labels", "town-labels", "neighbour-labels"];

fn media() -> Vec<(Medium, Option<(u32, u32)>)> {
    let m = |layout, dpi, video| Medium { layout, dpi, video };
    vec![
        (m(Layout::Article, 144, false), None),
        (m(Layout::Mobile, 144, false), None),
        (m(Layout::Square, 144, false), None),
        (m(Layout::Vertical, 144, false), None),
        (m(Layout::Print, 300, false), None),
        (m(Layout::Article, 144, true), Some((1920, 1080))),
        (m(Layout::Article, 144, true), Some((1280, 720))),
        (m(Layout::Vertical, 144, true), None),
        (m(Layout::Square, 144, true), None),
    ]
}

#[test]
fn every_layout_keeps_labels_legible_apart_and_inside_the_frame() {
    let d = mali();
    for (medium, size) in media() {
        for date in ["2012-07-15", "2013-01-27", "2014-06-01"] {
            let scene = scene_for(&d, medium, size, date);
            let (w, h) = (scene.width, scene.height);
            let frame = Bounds::xywh(0.0, 0.0, w as f32, h as f32);
            let min = medium.min_label_em(w, h);
            let labels = texts(&scene, Some(&MAP_LABELS));
            // A square video frame at a phone's type size names the fewest places: the
            // capital, some of the north's towns and a neighbour at least.
            assert!(
                labels.len() >= 5,
                "{medium:?} {date}: {} labels",
                labels.len()
            );
            for (i, (a, ab, size)) in labels.iter().enumerate() {
                assert!(ab.inside(&frame), "{medium:?}: {a} leaves the frame");
                assert!(*size >= min - 0.01, "{medium:?}: {a} at {size} px < {min}");
                for (b, bb, _) in &labels[i + 1..] {
                    assert!(!ab.overlaps(bb), "{medium:?} {date}: {a} overlaps {b}");
                }
            }
            for (t, _, size) in texts(&scene, Some(&["legend"])) {
                assert!(
                    size >= min - 0.01,
                    "{medium:?}: key '{t}' at {size} px < {min}"
                );
            }
            for (t, b, _) in texts(&scene, None) {
                assert!(
                    b.x0 >= -0.5 && b.x1 <= w as f32 + 0.5,
                    "{medium:?} {date}: '{t}' runs off the {w}px frame"
                );
            }
        }
    }
}

#[test]
fn on_a_phone_the_smallest_label_reads_at_11_css_pixels() {
    let d = mali();
    for layout in [Layout::Mobile, Layout::Square, Layout::Vertical] {
        let medium = Medium {
            layout,
            ..Medium::default()
        };
        let scene = scene_for(&d, medium, None, "2013-01-27");
        let scale = PHONE_WIDTH / scene.width as f32;
        let smallest = texts(&scene, Some(&MAP_LABELS))
            .into_iter()
            .map(|(_, _, size)| size * scale)
            .fold(f32::INFINITY, f32::min);
        assert!(smallest >= PHONE_MIN_LABEL - 0.01, "{layout:?}: {smallest}");
    }
}

#[test]
fn print_type_is_sized_in_points_at_the_resolution() {
    let d = mali();
    let at = |dpi| {
        let medium = Medium {
            layout: Layout::Print,
            dpi,
            video: false,
        };
        let scene = scene_for(&d, medium, Some((2000, 1500)), "2013-01-27");
        texts(&scene, Some(&MAP_LABELS))
            .into_iter()
            .map(|(_, _, size)| size * 72.0 / dpi as f32)
            .fold(f32::INFINITY, f32::min)
    };
    // The same image at 300 and 200 dpi: the smallest label is 7 pt either way.
    for dpi in [200, 300] {
        let pt = at(dpi);
        assert!(
            (6.99..7.5).contains(&pt),
            "{dpi} dpi: smallest label {pt} pt"
        );
    }
}

#[test]
fn phone_layouts_put_the_key_under_or_beside_the_map_and_article_in_a_corner() {
    let d = mali();
    for (medium, size) in media() {
        let scene = scene_for(&d, medium, size, "2013-01-27");
        let legend = scene.layer("legend").unwrap().items[0].clone();
        let Item::Fill { rings, .. } = legend else {
            panic!("the key's box comes first")
        };
        let key_top = rings[0].iter().map(|p| p[1]).fold(f32::INFINITY, f32::min);
        let map_bottom = scene
            .layer("regions")
            .unwrap()
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Fill { rings, .. } => Some(rings.iter().flatten().map(|p| p[1])),
                _ => None,
            })
            .flatten()
            .fold(0.0f32, f32::max);
        let key_right = rings[0].iter().map(|p| p[0]).fold(0.0f32, f32::max);
        let map_left = scene
            .layer("regions")
            .unwrap()
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Fill { rings, .. } => Some(rings.iter().flatten().map(|p| p[0])),
                _ => None,
            })
            .flatten()
            .fold(f32::INFINITY, f32::min);
        let under = key_top >= map_bottom;
        let beside = key_right <= map_left;
        if medium.layout.key_below() {
            assert!(under, "{medium:?}: key at {key_top}, map to {map_bottom}");
        } else if medium.layout.key_beside() {
            // Beside when its column fits the height, else under the map; never over it.
            assert!(beside || under, "{medium:?}: the key lies over the map");
        } else {
            assert!(key_top < map_bottom, "{medium:?}: the key left its corner");
        }
    }
}

#[test]
fn video_frames_keep_their_words_title_safe_and_stamp_a_large_date() {
    let d = mali();
    for (medium, size) in media().into_iter().filter(|(m, _)| m.video) {
        let scene = scene_for(&d, medium, size, "2013-01-27");
        let (w, h) = (scene.width as f32, scene.height as f32);
        let safe = Bounds {
            x0: w * TITLE_SAFE - 0.5,
            y0: h * TITLE_SAFE - 0.5,
            x1: w * (1.0 - TITLE_SAFE) + 0.5,
            y1: h * (1.0 - TITLE_SAFE) + 0.5,
        };
        for layer in ["title", "subtitle", "credit", "legend", "timeline-cursor"] {
            if scene.layer(layer).is_none() {
                assert_eq!((layer, medium.layout), ("timeline-cursor", Layout::Square));
                continue;
            }
            for (t, b, _) in texts(&scene, Some(&[layer])) {
                assert!(
                    b.inside(&safe),
                    "{medium:?}: '{t}' outside the title-safe area"
                );
            }
        }
        let plain = scene_for(
            &d,
            Medium {
                video: false,
                ..medium
            },
            size,
            "2013-01-27",
        );
        let date_size = |s: &Scene| texts(s, Some(&["subtitle"]))[0].2;
        assert!(
            date_size(&scene) > 1.5 * date_size(&plain),
            "{medium:?}: the date stamp is no larger than a map's date line"
        );
    }
}

#[test]
fn rivers_lie_under_the_labels_on_every_layout() {
    let d = mali();
    for (medium, size) in media() {
        let scene = scene_for(&d, medium, size, "2012-07-15");
        let depth = |name: &str| scene.layers().position(|l| l.name == name).unwrap();
        for labels in &MAP_LABELS[..2] {
            assert!(
                depth("rivers") < depth(labels),
                "{medium:?}: rivers over {labels}"
            );
        }
    }
}

#[test]
fn a_credit_that_wraps_keeps_every_line_at_one_legible_size() {
    let d = mali();
    for (medium, size) in media() {
        let scene = scene_for(&d, medium, size, "2013-01-27");
        let (w, h) = (scene.width, scene.height);
        let full = Style::for_medium(w, h, &medium).credit;
        let sizes: Vec<f32> = scene
            .layer("credit")
            .unwrap()
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { size, .. } => Some(*size),
                _ => None,
            })
            .collect();
        assert!(!sizes.is_empty());
        for s in &sizes {
            assert!(
                (s - sizes[0]).abs() < 0.01 && *s >= 0.8 * full - 0.01,
                "{medium:?}: credit lines at {sizes:?}, full size {full}"
            );
        }
    }
}

#[test]
fn no_neighbour_name_runs_under_the_mapped_regions() {
    use geo::{Coord, Intersects, LineString, Polygon, Rect};
    let d = mali();
    for (medium, size) in media() {
        let scene = scene_for(&d, medium, size, "2013-01-27");
        let regions: Vec<Polygon<f64>> = scene
            .layer("regions")
            .unwrap()
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Fill { rings, .. } => Some(rings.iter()),
                _ => None,
            })
            .flatten()
            .map(|r| {
                let pts: Vec<Coord<f64>> = r
                    .iter()
                    .map(|p| Coord {
                        x: f64::from(p[0]),
                        y: f64::from(p[1]),
                    })
                    .collect();
                Polygon::new(LineString::new(pts), vec![])
            })
            .collect();
        for (t, b, _) in texts(&scene, Some(&["neighbour-labels"])) {
            let r = Rect::new(
                Coord {
                    x: f64::from(b.x0),
                    y: f64::from(b.y0),
                },
                Coord {
                    x: f64::from(b.x1),
                    y: f64::from(b.y1),
                },
            );
            assert!(
                !regions.iter().any(|p| p.intersects(&r)),
                "{medium:?}: {t} runs under the map"
            );
        }
    }
}

#[test]
fn the_capital_is_named_on_every_layout() {
    let d = mali();
    for (medium, size) in media() {
        for date in ["2012-07-15", "2013-01-27"] {
            let scene = scene_for(&d, medium, size, date);
            let names: Vec<String> = texts(&scene, Some(&["town-labels"]))
                .into_iter()
                .map(|(t, _, _)| t)
                .collect();
            assert!(
                names.iter().any(|t| t == "Bamako"),
                "{medium:?} {date}: no Bamako in {names:?}"
            );
        }
    }
}
