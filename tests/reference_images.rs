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
    let layout = MapLayout::new(&d, &MapOptions::new(640, 480)).unwrap();
    let mut failures = Vec::new();
    for p in &d.manifest.phases {
        let scene = layout.scene(&t.state_at(p.date), Some(&p.title), "");
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

#[test]
fn arabic_names_are_joined_and_right_to_left_in_their_reference_images() {
    // tests/data/ruritania-arabic: Ruritania with Arabic region, town, faction and title
    // names. The references were looked at: letters joined, words right to left.
    check_dataset(
        &Source::Dir(common::root().join("tests/data/ruritania-arabic")),
        "ruritania-arabic-",
    );
}
