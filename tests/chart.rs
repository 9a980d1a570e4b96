//! The share chart, drawn through a recording backend (as plotters' mocked backend does): the
//! test checks which texts are drawn where and how they are anchored, not pixels. A second test
//! checks that the tiny-skia backend honours each anchor when it draws.

use std::cell::RefCell;
use std::rc::Rc;

use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

use controlmap::colour::Rgba;
use controlmap::date::parse_date;
use controlmap::render::chart::{Hatch, ShareChart, draw_chart};
use controlmap::render::skia::SkiaBackend;
use geo::Distance;

#[derive(Debug)]
struct Never;
impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}
impl std::error::Error for Never {}

#[derive(Debug, Clone)]
struct TextCall {
    text: String,
    pos: BackendCoord,
    anchor: (&'static str, &'static str),
    size: f64,
}

/// What the recorder saw.
#[derive(Default)]
struct Log {
    texts: Vec<TextCall>,
    filled_circles: Vec<(BackendCoord, u32)>,
    polygons: Vec<((u8, u8, u8), Vec<BackendCoord>)>,
}

/// Records texts and filled circles into a shared log; everything else is accepted and dropped.
#[derive(Default)]
struct Recorder(Rc<RefCell<Log>>);

impl DrawingBackend for Recorder {
    type ErrorType = Never;
    fn get_size(&self) -> (u32, u32) {
        (1200, 800)
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }
    fn draw_pixel(
        &mut self,
        _: BackendCoord,
        _: BackendColor,
    ) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        _style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Never>> {
        if fill {
            self.0.borrow_mut().filled_circles.push((center, radius));
        }
        Ok(())
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        let c = style.color().rgb;
        self.0
            .borrow_mut()
            .polygons
            .push((c, vert.into_iter().collect()));
        Ok(())
    }
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.0.borrow_mut().texts.push(TextCall {
            text: text.to_string(),
            pos,
            anchor: name(style.anchor()),
            size: style.size(),
        });
        Ok(())
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Never>> {
        let size = style.size() as f32;
        Ok((
            controlmap::scene::text::text_width(text, size, false).ceil() as u32,
            size.ceil() as u32,
        ))
    }
}

fn chart() -> ShareChart {
    let days: Vec<_> = (1..=60)
        .map(|k| {
            parse_date(&format!(
                "2012-{:02}-{:02}",
                1 + (k - 1) / 30,
                1 + (k - 1) % 28
            ))
            .unwrap()
        })
        .collect();
    ShareChart {
        title: "Who holds the land".into(),
        subtitle: "Share of area".into(),
        credit: "Test credit".into(),
        lang: controlmap::lang::Lang::En,
        values: days
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let a = i as f64 / 60.0;
                vec![1.0 - a, a]
            })
            .collect(),
        events: vec![
            (days[10], "First".into()),
            (days[12], "Second".into()),
            (days[40], "Third".into()),
        ],
        days,
        labels: vec!["Government".into(), "Rebels".into()],
        colours: vec![Rgba::rgb(200, 80, 0), Rgba::rgb(240, 220, 60)],
        stripes: vec![],
    }
}

fn record(c: &ShareChart) -> Log {
    let log = Rc::new(RefCell::new(Log::default()));
    {
        let root = Recorder(log.clone()).into_drawing_area();
        draw_chart(&root, c).unwrap();
    }
    Rc::try_unwrap(log)
        .ok()
        .expect("the drawing area is gone")
        .into_inner()
}

/// An anchor as words (plotters' `Pos` has no `PartialEq` or `Debug`).
fn name(p: Pos) -> (&'static str, &'static str) {
    let h = match p.h_pos {
        HPos::Left => "left",
        HPos::Center => "center",
        HPos::Right => "right",
    };
    let v = match p.v_pos {
        VPos::Top => "top",
        VPos::Center => "center",
        VPos::Bottom => "bottom",
    };
    (h, v)
}

fn centred() -> Pos {
    Pos::new(HPos::Center, VPos::Center)
}

#[test]
fn chart_event_numbers_are_centred_on_their_markers() {
    let rec = record(&chart());
    for (k, _) in chart().events.iter().enumerate() {
        let n = (k + 1).to_string();
        let call = rec
            .texts
            .iter()
            .find(|t| t.text == n)
            .unwrap_or_else(|| panic!("event number {n} is not drawn"));
        assert_eq!(
            call.anchor,
            name(centred()),
            "event number {n} is not centred"
        );
        assert!(
            rec.filled_circles
                .iter()
                .any(|(c, _)| (c.0 - call.pos.0).abs() <= 1 && (c.1 - call.pos.1).abs() <= 1),
            "event number {n} at {:?} sits on no marker ({:?})",
            call.pos,
            rec.filled_circles
        );
    }
}

#[test]
fn chart_title_and_key_hang_from_their_top_left_corner() {
    let rec = record(&chart());
    let top_left = ("left", "top");
    let title = rec
        .texts
        .iter()
        .find(|t| t.text == "Who holds the land")
        .unwrap();
    assert_eq!(title.anchor, top_left);
    let subtitle = rec
        .texts
        .iter()
        .find(|t| t.text == "Share of area")
        .unwrap();
    assert_eq!(subtitle.anchor, top_left);
    assert!(
        subtitle.pos.1 > title.pos.1 + title.size as i32 / 2,
        "the subtitle sits under the title"
    );
    assert_eq!(
        title.pos.0, subtitle.pos.0,
        "title and subtitle share a left edge"
    );
    let keys: Vec<_> = rec
        .texts
        .iter()
        .filter(|t| t.text.contains("First") || t.text.contains("Third"))
        .collect();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k.anchor == top_left));
}

/// The ink box (x0, y0, x1, y1) of the pixels that differ from white.
fn ink(p: &tiny_skia::Pixmap) -> (i32, i32, i32, i32) {
    let (w, h) = (p.width() as i32, p.height() as i32);
    let mut b = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for y in 0..h {
        for x in 0..w {
            let px = &p.data()[((y * w + x) * 4) as usize..][..4];
            if px[0] < 128 {
                b = (b.0.min(x), b.1.min(y), b.2.max(x + 1), b.3.max(y + 1));
            }
        }
    }
    b
}

fn drawn(anchor: Pos) -> (i32, i32, i32, i32) {
    let mut p = tiny_skia::Pixmap::new(200, 120).unwrap();
    p.fill(tiny_skia::Color::WHITE);
    {
        let root = SkiaBackend::new(&mut p).into_drawing_area();
        let font = ("sans-serif", 40.0).into_font().color(&BLACK).pos(anchor);
        root.draw_text("HH", &font, (100, 60)).unwrap();
    }
    ink(&p)
}

#[test]
fn skia_backend_places_text_by_its_anchor() {
    controlmap::render::png::register_fonts();
    // Capitals: the ink box is the advance box less the side bearings, from the baseline up to
    // the cap height.
    let (x0, y0, x1, y1) = drawn(centred());
    assert!(
        ((x0 + x1) / 2 - 100).abs() <= 2,
        "centred text: ink {x0}..{x1}"
    );
    let (l0, _, _, _) = drawn(Pos::new(HPos::Left, VPos::Top));
    let (_, _, r1, _) = drawn(Pos::new(HPos::Right, VPos::Top));
    assert!(
        (100..=106).contains(&l0),
        "left-anchored text starts at the anchor: {l0}"
    );
    assert!(
        (94..=100).contains(&r1),
        "right-anchored text ends at the anchor: {r1}"
    );
    let (_, top_y0, _, _) = drawn(Pos::new(HPos::Left, VPos::Top));
    let (_, _, _, bottom_y1) = drawn(Pos::new(HPos::Left, VPos::Bottom));
    assert!(
        (60..=72).contains(&top_y0),
        "top-anchored text hangs below the anchor: {top_y0}"
    );
    assert!(
        (50..=60).contains(&bottom_y1),
        "bottom-anchored text sits above the anchor: {bottom_y1}"
    );
    // Centred vertically: the caps straddle the anchor line.
    assert!(y0 < 60 && y1 > 60, "vertically centred caps {y0}..{y1}");
}

/// Issue 15.4: the key of the bands stays off the data (every key label above the top of the
/// bands), and a striped band is drawn with stripes of its colour inside the band's box while a
/// solid one has none.
#[test]
fn the_band_key_sits_above_the_data_and_striped_bands_are_striped() {
    let mut c = chart();
    let rec = record(&c);
    let band_top = |rec: &Log, colour: (u8, u8, u8)| {
        rec.polygons
            .iter()
            .filter(|(c, _)| *c == colour)
            .flat_map(|(_, v)| v.iter().map(|p| p.1))
            .min()
            .unwrap()
    };
    let plot_top = band_top(&rec, (200, 80, 0)).min(band_top(&rec, (240, 220, 60)));
    for label in ["Government", "Rebels"] {
        let t = rec.texts.iter().find(|t| t.text == label).unwrap();
        assert!(
            t.pos.1 + (t.size as i32) / 2 < plot_top,
            "{label} at {:?} is over the bands (top {plot_top})",
            t.pos
        );
    }
    let stripe = (20, 20, 20);
    assert!(!rec.polygons.iter().any(|(c, _)| *c == stripe));
    // Two runs of constant shares, so the band's outline is two steps.
    c.values = (0..c.days.len())
        .map(|i| {
            if i < 30 {
                vec![0.7, 0.3]
            } else {
                vec![0.4, 0.6]
            }
        })
        .collect();
    let second = (40, 90, 250);
    c.stripes = vec![
        None,
        Some(Hatch::Contest([
            Rgba::rgb(stripe.0, stripe.1, stripe.2),
            Rgba::rgb(second.0, second.1, second.2),
        ])),
    ];
    let rec = record(&c);
    let band: Vec<&Vec<BackendCoord>> = rec
        .polygons
        .iter()
        .filter(|(c, _)| *c == (240, 220, 60))
        .map(|(_, v)| v)
        .collect();
    // The band is the largest yellow polygon (the key's swatch is the small one).
    let outline = band.iter().max_by_key(|v| v.len()).unwrap();
    let area = geo::Polygon::new(
        geo::LineString::from(
            outline
                .iter()
                .map(|p| (f64::from(p.0), f64::from(p.1)))
                .collect::<Vec<_>>(),
        ),
        vec![],
    );
    let top = outline.iter().map(|p| p.1).min().unwrap();
    // Each side's lines, as on the maps.
    for colour in [stripe, second] {
        let stripes: Vec<&Vec<BackendCoord>> = rec
            .polygons
            .iter()
            .filter(|(c, _)| *c == colour)
            .map(|(_, v)| v)
            .collect();
        let (mut inside, mut swatch) = (0, 0);
        for v in &stripes {
            if v.iter().all(|p| p.1 < top) {
                swatch += 1;
                continue;
            }
            for p in v.iter() {
                let at = geo::Point::new(f64::from(p.0), f64::from(p.1));
                let off = geo::Euclidean.distance(&at, &area);
                assert!(
                    off <= 1.5,
                    "stripe vertex {p:?} is {off:.1} px outside the band"
                );
            }
            inside += 1;
        }
        assert!(inside > 10, "{inside} lines of {colour:?} in the band");
        // Every line equally wide (measured across it, on x + y): widths that rounded to
        // whole pixels by turns made thin lines uneven (five or six narrower lines here). Only
        // a piece cut by a corner of a box may be narrower.
        let widths: Vec<i32> = stripes
            .iter()
            .map(|v| {
                let d: Vec<i32> = v.iter().map(|p| p.0 + p.1).collect();
                d.iter().max().unwrap() - d.iter().min().unwrap()
            })
            .collect();
        let widest = *widths.iter().max().unwrap();
        let narrower = widths.iter().filter(|w| **w < widest).count();
        assert!(narrower <= 2, "line widths of {colour:?} vary: {widths:?}");
        assert!(
            (1..=6).contains(&swatch),
            "{swatch} lines of {colour:?} in the key's swatch"
        );
    }
}
