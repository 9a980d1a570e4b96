//! The drawing paths agree: a frame from the cached frame path equals `draw()` of the same
//! scene.
//!
//! Tolerance: the frame path blends its cached overlay with integer arithmetic, `draw()` with
//! tiny-skia's, so a pixel may differ by up to 3 levels per channel (measured: 3 at most on
//! five Mali dates); no pixel may differ by more.

use controlmap::dataset::{Dataset, Source};
use controlmap::date::parse_date;
use controlmap::render::png::{FrameRenderer, draw};
use controlmap::scene::{MapLayout, MapOptions};
use controlmap::timeline::Timeline;

const CHANNEL_TOLERANCE: i32 = 3;

/// (pixels off by more than the tolerance, largest difference) between two pixmaps.
fn compare(a: &tiny_skia::Pixmap, b: &tiny_skia::Pixmap) -> (usize, i32) {
    assert_eq!((a.width(), a.height()), (b.width(), b.height()));
    let mut bad = 0;
    let mut worst = 0;
    for (p, q) in a.data().chunks_exact(4).zip(b.data().chunks_exact(4)) {
        let off = (0..4)
            .map(|k| (i32::from(p[k]) - i32::from(q[k])).abs())
            .max()
            .unwrap_or(0);
        worst = worst.max(off);
        if off > CHANNEL_TOLERANCE {
            bad += 1;
        }
    }
    (bad, worst)
}

/// A video frame drawn in the buffer of an earlier frame (handed back by ffmpeg's writer)
/// holds exactly the pixels of one drawn afresh, whatever the buffer held.
#[test]
fn a_frame_drawn_in_a_used_buffer_is_the_frame_drawn_afresh() {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let layout = MapLayout::new(&d, &MapOptions::new(640, 480)).unwrap();
    let first = layout.scene(&t.state_at(parse_date("2012-01-15").unwrap()), None, "");
    let frames = FrameRenderer::new(&first).unwrap();
    let mut used = frames.draw(&first).unwrap().take();
    for (i, b) in used.iter_mut().enumerate() {
        *b = (i % 251) as u8;
    }
    for date in ["2012-04-03", "2013-01-20"] {
        let scene = layout.scene(&t.state_at(parse_date(date).unwrap()), None, "");
        let afresh = frames.draw(&scene).unwrap();
        let reused = frames.draw_in(&scene, Some(used)).unwrap();
        assert!(
            reused.data() == afresh.data(),
            "{date}: the used buffer shows through"
        );
        used = reused.take();
    }
    // A buffer of another size is not drawn in.
    let scene = layout.scene(&t.state_at(parse_date("2012-04-03").unwrap()), None, "");
    let drawn = frames.draw_in(&scene, Some(vec![7; 12])).unwrap();
    assert_eq!((drawn.width(), drawn.height()), (640, 480));
}

#[test]
fn cached_frame_path_draws_what_draw_draws() {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    let first = layout.scene(&t.state_at(parse_date("2012-01-15").unwrap()), None, "");
    let frames = FrameRenderer::new(&first).unwrap();
    for date in [
        "2012-01-15",
        "2012-04-03",
        "2012-07-15",
        "2013-01-20",
        "2014-06-01",
    ] {
        let scene = layout.scene(&t.state_at(parse_date(date).unwrap()), Some("Phase"), "");
        let cached = frames.draw(&scene).unwrap();
        let direct = draw(&scene).unwrap();
        let (bad, worst) = compare(&cached, &direct);
        assert_eq!(
            bad, 0,
            "{date}: {bad} pixels of the cached frame differ from draw() by more than \
             {CHANNEL_TOLERANCE} levels (worst {worst})"
        );
    }
}

#[test]
fn cached_frame_path_draws_cross_fades_as_draw_does() {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let layout = MapLayout::new(&d, &MapOptions::new(640, 480)).unwrap();
    let from = t.state_at(parse_date("2012-03-01").unwrap());
    let to = t.state_at(parse_date("2012-04-10").unwrap());
    let frames = FrameRenderer::new(&layout.scene(&from, None, "")).unwrap();
    for k in [0.25, 0.5, 0.75] {
        let scene = layout.scene_between(&from, &to, k, Some("Fade"), "");
        let (bad, worst) = compare(&frames.draw(&scene).unwrap(), &draw(&scene).unwrap());
        assert_eq!(
            bad, 0,
            "t = {k}: {bad} pixels differ by more than {CHANNEL_TOLERANCE} (worst {worst})"
        );
    }
}

/// Frames that come back to an earlier state, or move to a new one, show their own state: the
/// drawn states the renderer keeps are matched on what their control layers draw.
#[test]
fn cached_states_are_drawn_once_and_each_frame_shows_its_own() {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let layout = MapLayout::new(&d, &MapOptions::new(640, 480)).unwrap();
    let day = |s: &str| t.state_at(parse_date(s).unwrap());
    let frames = FrameRenderer::new(&layout.scene(&day("2012-01-15"), None, "")).unwrap();
    // Two runs of days in two different states, then back to the first.
    let dates = [
        "2012-07-12",
        "2012-07-13",
        "2012-07-14",
        "2013-02-10",
        "2013-02-11",
        "2012-07-15",
    ];
    assert!(!day(dates[0]).same_control(&day(dates[3])));
    for date in dates {
        let scene = layout.scene(&day(date), None, "");
        let (bad, worst) = compare(&frames.draw(&scene).unwrap(), &draw(&scene).unwrap());
        assert_eq!(bad, 0, "{date}: {bad} pixels differ (worst {worst})");
    }
    assert_eq!(
        frames.looks_drawn(),
        2,
        "six frames of two states should draw the control layers twice"
    );
}

/// A drawn state is matched on its marks as well as its control layers: a scene whose town
/// markers differ from a cached state's shows its own markers.
#[test]
fn cached_states_are_matched_on_their_marks_too() {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let layout = MapLayout::new(&d, &MapOptions::new(640, 480)).unwrap();
    let scene = layout.scene(&t.state_at(parse_date("2012-07-15").unwrap()), None, "");
    let frames = FrameRenderer::new(&scene).unwrap();
    frames.draw(&scene).unwrap();
    let mut other = scene.clone();
    let marker = other
        .marks
        .iter_mut()
        .flat_map(|l| l.items.iter_mut())
        .find_map(|i| match i {
            controlmap::scene::Item::Fill { colour, .. } => Some(colour),
            _ => None,
        })
        .expect("the scene has town markers among its marks");
    *marker = controlmap::colour::Rgba::rgb(255, 0, 255);
    let (bad, worst) = compare(&frames.draw(&other).unwrap(), &draw(&other).unwrap());
    assert_eq!(bad, 0, "{bad} pixels differ (worst {worst})");
}

fn decode_rgb(png: &[u8]) -> Vec<u8> {
    let mut r = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    buf
}

/// A PNG frame encoded from the renderer's cached bands, redrawing only the bands its date line
/// and timeline cursor touch, holds exactly the pixels of the whole frame the renderer draws:
/// no annotation pixel falls outside the bands redrawn, and a band drawn alone equals the
/// same rows drawn whole. Sizes whose height is not a whole number of bands, headings, long
/// captions, cross-fades and the strip's ends are all covered.
#[test]
fn banded_png_frames_hold_the_pixels_of_whole_frames() {
    use controlmap::write::png_meta::{PngMeta, chunks};
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let day = |s: &str| t.state_at(parse_date(s).unwrap());
    let meta = chunks(&PngMeta::new("Title", "Alt text", "Credit"));
    for (w, h) in [(1280, 720), (643, 481)] {
        let mut options = MapOptions::new(w, h);
        options.strip = Some((
            parse_date("2012-01-01").unwrap(),
            parse_date("2014-09-26").unwrap(),
        ));
        let layout = MapLayout::new(&d, &options).unwrap();
        let first = layout.scene(&day("2012-01-01"), None, "");
        let frames = FrameRenderer::new(&first).unwrap();
        let lean = FrameRenderer::new(&first).unwrap().png_only();
        let mut scenes = Vec::new();
        for date in [
            "2012-01-01",
            "2012-04-03",
            "2013-01-20",
            "2013-05-14",
            "2014-09-26",
        ] {
            scenes.push(layout.scene(&day(date), None, ""));
            scenes.push(layout.scene(&day(date), Some("A phase heading"), ""));
        }
        scenes.push(layout.scene_between(&day("2012-03-01"), &day("2012-04-10"), 0.5, None, ""));
        // Annotations on rows the state's first frame left alone: a renderer that keeps only
        // the rows annotations drew on must draw the others anew.
        let mut moved = layout.scene(&day("2013-05-14"), None, "");
        let mut label = moved.annotations[0].clone();
        for item in &mut label.items {
            if let controlmap::scene::Item::Text { y, .. } = item {
                *y += h as f32 / 2.0;
            }
        }
        moved.annotations.push(label);
        scenes.push(moved);
        for scene in &scenes {
            let whole = controlmap::render::png::rgb_bytes(&frames.draw(scene).unwrap());
            for (name, r) in [("cached", &frames), ("png-only", &lean)] {
                assert!(
                    decode_rgb(&r.png(scene, &meta).unwrap()) == whole,
                    "{w}x{h} {} ({name}): the banded PNG differs from the whole frame",
                    scene.title
                );
            }
        }
        assert!(
            lean.draw(&scenes[0]).unwrap() == frames.draw(&scenes[0]).unwrap(),
            "a png-only renderer draws whole frames too"
        );
    }
}
