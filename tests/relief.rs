//! The shaded relief: where it lies in the scene, that it keeps the faction colours readable,
//! how the SVG carries it, and how it is turned off.

mod common;

use common::*;
use controlmap::dataset::{Dataset, Source};
use controlmap::date::parse_date;
use controlmap::render::colour_check::faction_colours;
use controlmap::scene::layers::relief::DELTA_E_LIMIT;
use controlmap::scene::{Item, MapLayout, MapOptions, Scene};
use controlmap::timeline::Timeline;

fn mali() -> Dataset {
    Dataset::load(&Source::Embedded).unwrap()
}

fn scene_of(d: &Dataset, options: &MapOptions, date: &str) -> Scene {
    let layout = MapLayout::new(d, options).unwrap();
    layout.scene(
        &Timeline::new(d).state_at(parse_date(date).unwrap()),
        None,
        "",
    )
}

/// The names of the scene's layers, bottom to top.
fn order(scene: &Scene) -> Vec<&str> {
    scene.layers().map(|l| l.name.as_str()).collect()
}

#[test]
fn relief_lies_over_the_fills_and_under_water_borders_and_labels() {
    let d = mali();
    let scene = scene_of(&d, &MapOptions::new(1280, 720), "2012-07-15");
    let names = order(&scene);
    let at = |n: &str| {
        names
            .iter()
            .position(|x| *x == n)
            .unwrap_or_else(|| panic!("no {n} in {names:?}"))
    };
    let relief = at("relief");
    assert_eq!(scene.water.first().map(|l| l.name.as_str()), Some("relief"));
    for below in scene.control.iter().map(|l| l.name.as_str()) {
        assert!(
            at(below) < relief,
            "{below} should be under the relief: {names:?}"
        );
    }
    for above in [
        "lakes",
        "rivers",
        "region-borders",
        "region-labels",
        "town-labels",
    ] {
        if names.contains(&above) {
            assert!(
                at(above) > relief,
                "{above} should be over the relief: {names:?}"
            );
        }
    }
    let Some(Item::Raster {
        width,
        height,
        pixels,
        ..
    }) = scene.layer("relief").unwrap().items.first()
    else {
        panic!("the relief layer holds no raster");
    };
    assert_eq!(pixels.len(), (*width * *height * 4) as usize);
    assert!(*width <= 1280 && *height <= 720);
}

#[test]
fn relief_is_left_out_when_turned_off_or_when_the_dataset_has_none() {
    let d = mali();
    let off = MapOptions {
        relief: false,
        ..MapOptions::new(800, 600)
    };
    assert!(scene_of(&d, &off, "2012-07-15").layer("relief").is_none());
    let ruritania = Dataset::load(&Source::Dir(ruritania())).unwrap();
    assert!(
        scene_of(&ruritania, &MapOptions::new(800, 600), "2020-02-15")
            .layer("relief")
            .is_none()
    );
}

#[test]
fn each_faction_keeps_its_swatch_colour_under_the_relief() {
    let d = mali();
    let mut seen = std::collections::BTreeSet::new();
    for date in [
        "2012-01-10",
        "2012-04-06",
        "2012-07-15",
        "2013-02-15",
        "2013-08-01",
        "2014-06-01",
    ] {
        let scene = scene_of(&d, &MapOptions::new(1280, 720), date);
        assert!(scene.layer("relief").is_some(), "{date}");
        let pixmap = controlmap::render::png::draw(&scene).unwrap();
        let found = faction_colours(&scene, &pixmap);
        assert!(!found.is_empty(), "{date}");
        for f in found {
            println!(
                "{date} {:<10} swatch {} median {} ΔE00 {:.2} ({} px)",
                f.controller, f.swatch, f.median, f.delta_e, f.pixels
            );
            assert!(
                f.delta_e < DELTA_E_LIMIT,
                "{date}: {} drawn {} for swatch {} (ΔE00 {:.2})",
                f.controller,
                f.median,
                f.swatch,
                f.delta_e
            );
            seen.insert(f.controller);
        }
    }
    assert_eq!(seen.len(), 4, "every faction is checked: {seen:?}");
}

#[test]
fn the_relief_changes_the_drawn_map_where_the_ground_has_relief() {
    // The Adrar des Ifoghas, north-east of Kidal, under whoever holds it: the relief is not
    // drawn flat.
    let d = mali();
    let on = scene_of(&d, &MapOptions::new(1280, 720), "2014-06-01");
    let off = scene_of(
        &d,
        &MapOptions {
            relief: false,
            ..MapOptions::new(1280, 720)
        },
        "2014-06-01",
    );
    let a = controlmap::render::png::draw(&on).unwrap();
    let b = controlmap::render::png::draw(&off).unwrap();
    let changed = a
        .data()
        .chunks_exact(4)
        .zip(b.data().chunks_exact(4))
        .filter(|(p, q)| p != q)
        .count();
    assert!(changed > 1280 * 720 / 4, "only {changed} pixels changed");
}

#[test]
fn the_svg_holds_the_relief_as_an_image_in_its_own_layer() {
    let d = mali();
    let scene = scene_of(&d, &MapOptions::new(640, 480), "2012-07-15");
    let svg = controlmap::render::svg::write_svg(&scene);
    let layer = svg
        .find("inkscape:label=\"relief\"")
        .expect("a relief layer");
    let image = svg[layer..].find("<image").expect("an image in it") + layer;
    let close = svg[layer..].find("</g>").unwrap() + layer;
    assert!(image < close, "the image is inside the relief layer");
    assert!(
        svg[image..].starts_with("<image")
            && svg[image..close].contains("xlink:href=\"data:image/png;base64,iVBORw0KGgo")
    );
    // Under the lakes and borders.
    assert!(layer < svg.find("inkscape:label=\"lakes\"").unwrap());
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert!(doc.descendants().any(|n| n.has_tag_name("image")));
}

#[test]
fn no_relief_flag_leaves_the_relief_out_of_every_map_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).display().to_string();
    for (name, args) in [
        (
            "render.svg",
            vec![
                "render",
                "--date",
                "2012-07-15",
                "--size",
                "640x480",
                "--out",
            ],
        ),
        (
            "grid.svg",
            vec![
                "grid",
                "--dates",
                "2012-01-10,2012-07-15",
                "--cell",
                "320x240",
                "--out",
            ],
        ),
    ] {
        for (flag, expect) in [(None, true), (Some("--no-relief"), false)] {
            let out = path(name);
            let mut a = args.clone();
            a.push(&out);
            a.extend(flag);
            a.push("-q");
            let o = run_in(dir.path(), &a);
            assert!(o.status.success(), "{a:?}: {}", stderr(&o));
            let svg = std::fs::read_to_string(&out).unwrap();
            assert_eq!(svg.contains("<image"), expect, "{a:?}");
        }
    }
    let out = path("diff.svg");
    let o = run_in(
        dir.path(),
        &[
            "diff",
            "--from",
            "2012-01-10",
            "--to",
            "2012-07-15",
            "--size",
            "640x480",
            "--map",
            &out,
            "--no-relief",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!std::fs::read_to_string(&out).unwrap().contains("<image"));
    // Frames leave the relief out unless asked (`--relief`): the same dates drawn with and
    // without it differ, and the default is the plain one.
    let mut drawn = Vec::new();
    for flag in [Some("--relief"), None] {
        let frames = dir.path().join(format!("frames-{}", flag.is_some()));
        let mut a = vec![
            "frames",
            "--from",
            "2012-07-01",
            "--to",
            "2012-07-08",
            "--step",
            "7d",
            "--size",
            "800x600",
            "--gif",
            "none",
            "--out",
            frames.to_str().unwrap(),
            "-q",
        ];
        a.extend(flag);
        let o = run_in(dir.path(), &a);
        assert!(o.status.success(), "{a:?}: {}", stderr(&o));
        let mut files: Vec<_> = std::fs::read_dir(&frames)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .collect();
        files.sort();
        assert!(!files.is_empty());
        drawn.push(decode_png(&files[0]).2);
    }
    assert_ne!(drawn[0], drawn[1], "--relief changed nothing in the frames");
}

#[test]
fn a_relief_that_would_hide_the_colours_is_off_by_default() {
    // A relief dark all over moves every colour far from its swatch: the layout leaves it out.
    let data = copy_dataset(&ruritania());
    let manifest = data.path().join("dataset.toml");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("[files]\n", "[files]\nrelief = \"relief.png\"\n")
        + "\n[relief]\nbounds = [18.0, 43.0, 26.0, 49.0]\n";
    std::fs::write(&manifest, text).unwrap();
    let write = |grey: u8| {
        let mut png = Vec::new();
        let mut enc = png::Encoder::new(&mut png, 80, 60);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&vec![grey; 80 * 60]).unwrap();
        w.finish().unwrap();
        std::fs::write(data.path().join("relief.png"), png).unwrap();
    };
    write(0);
    let d = Dataset::load(&Source::Dir(data.path().to_path_buf())).unwrap();
    assert!(
        scene_of(&d, &MapOptions::new(800, 600), "2020-02-15")
            .layer("relief")
            .is_none()
    );
    // A relief light and dark in patches keeps the colours and is drawn.
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, 80, 60);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        let grey: Vec<u8> = (0..80 * 60)
            .map(|i| if i % 7 == 0 { 40 } else { 128 })
            .collect();
        w.write_image_data(&grey).unwrap();
        w.finish().unwrap();
    }
    std::fs::write(data.path().join("relief.png"), png).unwrap();
    let d = Dataset::load(&Source::Dir(data.path().to_path_buf())).unwrap();
    assert!(
        scene_of(&d, &MapOptions::new(800, 600), "2020-02-15")
            .layer("relief")
            .is_some()
    );
}

#[test]
fn the_same_inputs_draw_the_same_relief() {
    let d = mali();
    let a = scene_of(&d, &MapOptions::new(640, 480), "2012-07-15");
    let b = scene_of(&d, &MapOptions::new(640, 480), "2012-07-15");
    assert_eq!(a.layer("relief"), b.layer("relief"));
}

#[test]
fn the_relief_is_made_once_per_layout_and_shared_by_its_scenes() {
    // Frames draw many scenes of one layout: the relief is in the static water pass, one
    // picture shared by every scene, never resampled per frame.
    let d = mali();
    let layout = MapLayout::new(&d, &MapOptions::new(640, 480)).unwrap();
    let t = Timeline::new(&d);
    let a = layout.scene(&t.state_at(parse_date("2012-01-10").unwrap()), None, "");
    let b = layout.scene(&t.state_at(parse_date("2014-06-01").unwrap()), None, "");
    assert!(std::sync::Arc::ptr_eq(&a.water, &b.water));
    let pixels = |s: &Scene| match s.layer("relief").unwrap().items.first() {
        Some(Item::Raster { pixels, .. }) => pixels.clone(),
        _ => panic!("no raster"),
    };
    assert!(std::sync::Arc::ptr_eq(&pixels(&a), &pixels(&b)));
}
