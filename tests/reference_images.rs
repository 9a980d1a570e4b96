//! Reference images: every phase of the Mali dataset (and of the Ruritania test dataset) drawn
//! at 640x480 and compared with the PNG under tests/reference/.
//!
//! Tolerance: a pixel matches when every channel is within 2 levels of the reference; a test
//! fails when more than 0.01% of the pixels do not match. On failure the expected, actual and
//! diff pictures are written to target/reference-diff/. `CONTROLMAP_BLESS=1 cargo test --test
//! reference_images` rewrites the references and then fails once, so that someone looks at them.

mod common;

use std::path::{Path, PathBuf};

use controlmap::dataset::{Dataset, Source};
use controlmap::date::parse_date;
use controlmap::lang::Lang;
use controlmap::render::png::{draw, encode_png, rgb_bytes};
use controlmap::scene::{MapLayout, MapOptions};
use controlmap::timeline::Timeline;

const CHANNEL_TOLERANCE: i32 = 2;
const MAX_MISMATCHED_FRACTION: f64 = 0.0001;

fn check(name: &str, actual_png: &[u8], w: u32, h: u32, actual_rgb: &[u8]) -> Result<(), String> {
    let reference = common::root()
        .join("tests/reference")
        .join(format!("{name}.png"));
    if std::env::var_os("CONTROLMAP_BLESS").is_some() {
        std::fs::write(&reference, actual_png).map_err(|e| e.to_string())?;
        return Err(format!(
            "{name}: reference rewritten; look at it, then run again without CONTROLMAP_BLESS"
        ));
    }
    if !reference.exists() {
        return Err(format!(
            "{name}: no reference image {}; run with CONTROLMAP_BLESS=1",
            reference.display()
        ));
    }
    let (rw, rh, expected) = common::decode_png(&reference);
    if (rw, rh) != (w, h) {
        return Err(format!(
            "{name}: size {w}x{h} but the reference is {rw}x{rh}"
        ));
    }
    let mut diff = vec![255u8; expected.len()];
    let mut bad = 0usize;
    for i in 0..(w * h) as usize {
        let off = (0..3)
            .map(|k| (i32::from(expected[i * 3 + k]) - i32::from(actual_rgb[i * 3 + k])).abs())
            .max()
            .unwrap_or(0);
        if off > CHANNEL_TOLERANCE {
            bad += 1;
            diff[i * 3..i * 3 + 3].copy_from_slice(&[255, 0, 0]);
        } else {
            let g = 200 + expected[i * 3] / 5;
            diff[i * 3..i * 3 + 3].copy_from_slice(&[g, g, g]);
        }
    }
    let fraction = bad as f64 / f64::from(w * h);
    if fraction > MAX_MISMATCHED_FRACTION {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../reference-diff");
        let _ = std::fs::create_dir_all(&out);
        let _ = std::fs::copy(&reference, out.join(format!("{name}-expected.png")));
        let _ = std::fs::write(out.join(format!("{name}-actual.png")), actual_png);
        let _ = write_rgb(&out.join(format!("{name}-diff.png")), w, h, &diff);
        return Err(format!(
            "{name}: {bad} pixels ({:.4}%) differ by more than {CHANNEL_TOLERANCE} levels; see {}",
            fraction * 100.0,
            out.display()
        ));
    }
    Ok(())
}

fn write_rgb(path: &Path, w: u32, h: u32, rgb: &[u8]) -> std::io::Result<()> {
    let f = std::fs::File::create(path)?;
    let mut e = png::Encoder::new(f, w, h);
    e.set_color(png::ColorType::Rgb);
    let mut wr = e.write_header()?;
    wr.write_image_data(rgb)?;
    Ok(())
}

fn check_dataset(source: &Source, prefix: &str) {
    let d = Dataset::load(source).unwrap();
    let t = Timeline::new(&d);
    let options = MapOptions::new(640, 480);
    let mut failures = Vec::new();
    for p in &d.manifest.phases {
        // As `render` draws it: the legend keys what this map draws.
        let state = t.state_at(p.date);
        let layout = MapLayout::for_states(&d, &options, std::slice::from_ref(&state)).unwrap();
        let scene = layout.scene(&state, Some(&p.title), "");
        let pixmap = draw(&scene).unwrap();
        let png = encode_png(&pixmap).unwrap();
        if let Err(e) = check(
            &format!("{prefix}{}", p.id),
            &png,
            640,
            480,
            &rgb_bytes(&pixmap),
        ) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn mali_phases_match_their_reference_images() {
    check_dataset(&Source::Embedded, "mali-");
}

#[test]
fn ruritania_phases_match_their_reference_images() {
    check_dataset(&Source::Dir(common::ruritania()), "ruritania-");
}

/// Compares a PNG the library wrote with its reference.
fn check_file(name: &str, path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let (w, h, rgb) = common::decode_png(path);
    if let Err(e) = check(name, &bytes, w, h, &rgb) {
        panic!("{e}");
    }
}

#[test]
fn mali_change_map_matches_its_reference_image() {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let diff = controlmap::commands::analyst::compute_diff(
        &d,
        parse_date("2012-01-01").unwrap(),
        parse_date("2012-07-15").unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("change.png");
    controlmap::commands::render::render_diff_map(
        &d,
        &diff,
        (800, 600),
        controlmap::lang::Lang::En,
        true,
        &out,
    )
    .unwrap();
    check_file("mali-change-2012", &out);
}

#[test]
fn mali_grid_matches_its_reference_image() {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let dates = ["2012-01-01", "2012-07-15", "2013-02-15", "2014-06-01"]
        .map(|x| parse_date(x).unwrap())
        .to_vec();
    let cells = controlmap::commands::render::grid_cells(&d, None, Some(dates), Lang::En).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid.png");
    controlmap::commands::render::render_grid(
        &d,
        &cells,
        Some(2),
        &MapOptions::new(400, 300),
        &controlmap::write::Output::Path(out.clone()),
    )
    .unwrap();
    check_file("mali-grid-four-dates", &out);
}

#[test]
fn mali_french_map_matches_its_reference_image() {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let state = t.state_at(parse_date("2013-01-15").unwrap());
    let options = MapOptions {
        lang: Lang::Fr,
        ..MapOptions::new(800, 600)
    };
    let layout = MapLayout::for_states(&d, &options, std::slice::from_ref(&state)).unwrap();
    let scene = layout.scene(&state, Some("Offensive sur Konna"), "");
    let pixmap = draw(&scene).unwrap();
    if let Err(e) = check(
        "mali-fr-2013-01-15",
        &encode_png(&pixmap).unwrap(),
        800,
        600,
        &rgb_bytes(&pixmap),
    ) {
        panic!("{e}");
    }
}

#[test]
fn arabic_names_are_joined_and_right_to_left_in_their_reference_images() {
    // tests/data/ruritania-arabic: Ruritania with Arabic region, town, faction and title
    // names. The references were looked at: letters joined, words right to left.
    check_dataset(
        &Source::Dir(common::root().join("tests/data/ruritania-arabic")),
        "ruritania-arabic-",
    );
}

/// Each layout for where a map is read, at a size that keeps its reference small: the key
/// under the map on a phone (mobile, vertical), beside it on a square, type in points for
/// print, and a video frame's title-safe margins and date stamp.
#[test]
fn mali_layouts_match_their_reference_images() {
    use controlmap::scene::style::{Layout, Medium};
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let state = t.state_at(parse_date("2013-01-27").unwrap());
    let medium = |layout, dpi, video| Medium { layout, dpi, video };
    let cases = [
        (
            "mali-layout-mobile",
            medium(Layout::Mobile, 144, false),
            (750, 1125),
        ),
        (
            "mali-layout-square",
            medium(Layout::Square, 144, false),
            (1080, 1080),
        ),
        (
            "mali-layout-vertical",
            medium(Layout::Vertical, 144, false),
            (540, 960),
        ),
        (
            "mali-layout-print",
            medium(Layout::Print, 150, false),
            (1004, 753),
        ),
        (
            "mali-layout-video",
            medium(Layout::Article, 144, true),
            (960, 540),
        ),
    ];
    let mut failures = Vec::new();
    for (name, medium, (w, h)) in cases {
        let options = MapOptions {
            medium,
            ..MapOptions::new(w, h)
        };
        let layout = MapLayout::for_states(&d, &options, std::slice::from_ref(&state)).unwrap();
        let scene = layout.scene(&state, None, "");
        let pixmap = draw(&scene).unwrap();
        if let Err(e) = check(
            name,
            &encode_png(&pixmap).unwrap(),
            w,
            h,
            &rgb_bytes(&pixmap),
        ) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
