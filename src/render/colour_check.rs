//! Whether a drawn map still shows each faction in its legend colour: the median colour of the
//! pixels inside each faction's fills, against the fill colour the scene gives it (its swatch),
//! as a CIEDE2000 difference.
//!
//! The median, channel by channel, reads the colour a reader sees for the ground as a whole:
//! the borders, labels, markers and rivers drawn over a fill, and the darkest and lightest
//! slopes of the relief, are each a minority of its pixels and do not move it.

use tiny_skia::{FillRule, Mask, PathBuilder, Pixmap, Transform};

use crate::colour::Rgba;
use crate::scene::{Item, Part, Scene};

/// How one faction's ground is drawn on a map.
#[derive(Debug, Clone, PartialEq)]
pub struct FactionColour {
    /// The controller's id (a faction id).
    pub controller: String,
    /// The colour the scene fills its ground with: the legend's swatch.
    pub swatch: Rgba,
    /// The median colour of the drawn pixels inside those fills.
    pub median: Rgba,
    /// CIEDE2000 between the swatch and the median.
    pub delta_e: f64,
    /// How many pixels were read.
    pub pixels: usize,
}

/// The drawn colour of each faction's ground, in the order the scene first fills it. Only
/// single-faction fills of the control layers count (not contested or no-data ground, not
/// hatching); `pixmap` is the scene drawn.
pub fn faction_colours(scene: &Scene, pixmap: &Pixmap) -> Vec<FactionColour> {
    let mut groups: Vec<(String, Rgba, PathBuilder)> = Vec::new();
    for item in scene.control.iter().flat_map(|l| &l.items) {
        let Item::Fill {
            rings,
            colour,
            meta: Some(meta),
            ..
        } = item
        else {
            continue;
        };
        if meta.part != Part::Fill
            || !meta.parties.is_empty()
            || matches!(meta.controller.as_str(), "" | "contested" | "no-data")
            || colour.a != 255
        {
            continue;
        }
        let at = match groups
            .iter()
            .position(|(c, s, _)| *c == meta.controller && s == colour)
        {
            Some(i) => i,
            None => {
                groups.push((meta.controller.clone(), *colour, PathBuilder::new()));
                groups.len() - 1
            }
        };
        let pb = &mut groups[at].2;
        for ring in rings.iter() {
            let mut it = ring.iter();
            let Some(first) = it.next() else { continue };
            pb.move_to(first[0], first[1]);
            for p in it {
                pb.line_to(p[0], p[1]);
            }
            pb.close();
        }
    }
    groups
        .into_iter()
        .filter_map(|(controller, swatch, pb)| {
            let path = pb.finish()?;
            let mut mask = Mask::new(pixmap.width(), pixmap.height())?;
            mask.fill_path(&path, FillRule::EvenOdd, false, Transform::identity());
            let mut channels: [Vec<u8>; 3] = Default::default();
            for (m, px) in mask.data().iter().zip(pixmap.data().chunks_exact(4)) {
                if *m == 255 && px[3] == 255 {
                    for k in 0..3 {
                        channels[k].push(px[k]);
                    }
                }
            }
            let pixels = channels[0].len();
            if pixels == 0 {
                return None;
            }
            let mut median = |k: usize| {
                let mid = pixels / 2;
                *channels[k].select_nth_unstable(mid).1
            };
            let median = Rgba::rgb(median(0), median(1), median(2));
            Some(FactionColour {
                controller,
                swatch,
                median,
                delta_e: swatch.delta_e(median),
                pixels,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Dataset, Source};
    use crate::scene::{MapLayout, MapOptions};
    use crate::timeline::Timeline;

    #[test]
    fn a_map_without_relief_shows_its_swatches_exactly() {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let options = MapOptions {
            relief: false,
            ..MapOptions::new(800, 600)
        };
        let layout = MapLayout::new(&d, &options).unwrap();
        let date = crate::date::parse_date("2012-07-15").unwrap();
        let scene = layout.scene(&Timeline::new(&d).state_at(date), None, "");
        let found = faction_colours(&scene, &super::super::png::draw(&scene).unwrap());
        assert!(
            found.iter().any(|f| f.controller == "islamist"),
            "{found:?}"
        );
        for f in found {
            assert_eq!(f.median, f.swatch, "{f:?}");
        }
    }
}
