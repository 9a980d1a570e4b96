//! The contested pattern on the map as a reader sees it at 800 px wide: calm (no strong
//! light-dark grating) and still showing both sides.

use controlmap::colour::Rgba;
use controlmap::dataset::{Dataset, Source};
use controlmap::date::parse_date;
use controlmap::render::png::draw;
use controlmap::scene::{Item, MapLayout, MapOptions, Ring, Scene};
use controlmap::timeline::Timeline;

/// Whether `p` lies inside `rings` (even-odd), and its distance to their edges.
fn locate(rings: &[Ring], p: [f32; 2]) -> (bool, f32) {
    let mut inside = false;
    let mut near = f32::INFINITY;
    for r in rings {
        for k in 0..r.len() {
            let (a, b) = (r[k], r[(k + 1) % r.len()]);
            if (a[1] > p[1]) != (b[1] > p[1])
                && p[0] < a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0])
            {
                inside = !inside;
            }
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len2 = (dx * dx + dy * dy).max(1e-9);
            let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0);
            let (ex, ey) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
            near = near.min((ex * ex + ey * ey).sqrt());
        }
    }
    (inside, near)
}

/// The pixels of a region's fill as drawn, at least `clear` pixels inside its outline, outside
/// every other area drawn over it (town areas, markers) and under nothing else.
fn pixels_of(scene: &Scene, id: &str, clear: f32) -> Vec<Rgba> {
    let fills: Vec<(&str, &[Ring])> = scene
        .layers()
        .flat_map(|l| &l.items)
        .filter_map(|i| match i {
            Item::Fill {
                id: Some(x), rings, ..
            } => Some((x.as_str(), rings.as_slice())),
            _ => None,
        })
        .collect();
    let own = fills
        .iter()
        .find(|(x, _)| *x == id)
        .expect("the region's fill")
        .1;
    // Others: any fill that is not this region's own (its fill and its lines).
    let others: Vec<&[Ring]> = fills
        .iter()
        .filter(|(x, _)| !(*x == id || x.starts_with(&format!("{id}-"))))
        .map(|f| f.1)
        .collect();
    let pixmap = draw(scene).unwrap();
    // The fills and their lines alone: where the whole map differs, something else (a label,
    // a river, a border, relief) is drawn over the pattern.
    let bare = Scene {
        water: Default::default(),
        overlay: Default::default(),
        marks: Vec::new(),
        annotations: Vec::new(),
        ..scene.clone()
    };
    let bare = draw(&bare).unwrap();
    let (w, h) = (pixmap.width(), pixmap.height());
    let (data, under) = (pixmap.data(), bare.data());
    let mut out = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let p = [x as f32 + 0.5, y as f32 + 0.5];
            let (inside, near) = locate(own, p);
            if !inside || near < clear {
                continue;
            }
            if others.iter().any(|o| {
                let (i, n) = locate(o, p);
                i || n < clear
            }) {
                continue;
            }
            let i = ((y * w + x) * 4) as usize;
            if data[i..i + 4] != under[i..i + 4] {
                continue;
            }
            out.push(Rgba::rgb(data[i], data[i + 1], data[i + 2]));
        }
    }
    out
}

/// Lightness spread allowed inside a contested area, as a share of the lightness gap between
/// its two sides: the mean distance of a pixel's L* from the area's median. Broad stripes of
/// both colours at half the period each measure 0.37 on Tombouctou (black and yellow) at
/// 800 px; the thin lines over the blend 0.17.
const MAX_SPREAD: f64 = 0.25;
/// Each side must colour at least this share of the area's pixels (within a CIEDE2000 of 15 of
/// its swatch), so that the pattern still says who contests it.
const MIN_SIDE_SHARE: f64 = 0.04;

#[test]
fn contested_areas_are_calm_and_show_both_sides_at_800_px() {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let timeline = Timeline::new(&d);
    let colour = |id: &str| d.manifest.factions[d.manifest.faction_index(id).unwrap()].colour;
    // Black and yellow, orange and yellow, orange and black; records that are not approximate
    // (approximate ground has its own lines).
    for (date, region, sides) in [
        ("2012-04-10", "ML-6", ["mnla", "islamist"]),
        ("2012-01-20", "ML-8", ["government", "mnla"]),
        ("2012-09-15", "ML-5", ["government", "islamist"]),
    ] {
        let state = timeline.state_at(parse_date(date).unwrap());
        // Relief left out: its shading is not the pattern's.
        let options = MapOptions {
            relief: false,
            ..MapOptions::new(800, 600)
        };
        let layout = MapLayout::for_states(&d, &options, std::slice::from_ref(&state)).unwrap();
        let scene = layout.scene(&state, None, "");
        let px = pixels_of(&scene, region, 4.0);
        assert!(px.len() > 1000, "{region} on {date}: {} pixels", px.len());
        let [a, b] = sides.map(colour);
        let gap = (a.lab().l - b.lab().l).abs();
        let mut l: Vec<f64> = px.iter().map(|c| c.lab().l).collect();
        l.sort_by(f64::total_cmp);
        let median = l[l.len() / 2];
        let spread = l.iter().map(|x| (x - median).abs()).sum::<f64>() / l.len() as f64 / gap;
        assert!(
            spread <= MAX_SPREAD,
            "{region} on {date}: lightness spread {spread:.2} of the sides' gap (at most {MAX_SPREAD})"
        );
        for side in [a, b] {
            let share =
                px.iter().filter(|c| c.delta_e(side) < 15.0).count() as f64 / px.len() as f64;
            assert!(
                share >= MIN_SIDE_SHARE,
                "{region} on {date}: {side} colours {share:.3} of the area (at least {MIN_SIDE_SHARE})"
            );
        }
    }
}
