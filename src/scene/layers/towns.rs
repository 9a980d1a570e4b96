//! Town markers: a circle (a star for the capital) in the holder's colour, half in each side's
//! colour when contested, grey with no record, with a light rim on dark fills.

use std::sync::Arc;

use super::super::style::{Style, colours};
use super::super::{Item, Layer, Part, circle, half_circle, star};
use super::{Meanings, PointGeom, Select};
use crate::dataset::Control;
use crate::territory::TownRank;
use crate::timeline::State;

/// Appends the markers of `towns` on the state's date to `layer`.
pub fn markers(
    towns: &[PointGeom],
    state: &State,
    meanings: &Meanings,
    style: &Style,
    select: Select<'_>,
    layer: &mut Layer,
) {
    for g in towns {
        if !select.includes(g.territory) {
            continue;
        }
        let meta = Some(Arc::new(meanings.meta(g.territory, state, Part::Marker)));
        let [x, y] = g.at;
        let capital = g.rank == TownRank::Capital;
        let shape = if capital {
            star(x, y, style.marker_radius(true))
        } else {
            circle(x, y, style.marker)
        };
        let (main, second) = match state.control(g.territory) {
            Some(Control::Faction(f)) => (meanings.colour(f), None),
            Some(Control::Contested(parties)) => {
                let (a, b) = meanings.contest_colours(parties);
                (a, Some(b))
            }
            None => (colours::NO_DATA_TOWN, None),
        };
        layer.items.push(
            Item::fill(vec![shape.clone()], select.paint(g.territory, main))
                .with_meta(meta.clone()),
        );
        if let Some(s) = second {
            layer.items.push(
                Item::fill(
                    vec![half_circle(x, y, style.marker)],
                    select.paint(g.territory, s),
                )
                .with_meta(meta.clone()),
            );
        }
        // Dark fills (the Islamist near-black) get a light rim so the marker stays visible.
        let rim = if main.luminance() < colours::DARK_LUMINANCE {
            colours::WHITE
        } else {
            colours::INK
        };
        layer.items.push(
            Item::stroke(
                vec![shape],
                true,
                select.paint(g.territory, rim),
                style.marker_rim,
            )
            .with_meta(meta),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Dataset, Source};
    use crate::date::parse_date;
    use crate::scene::{MapLayout, MapOptions};
    use crate::timeline::Timeline;

    #[test]
    fn every_marker_says_which_town_it_is_and_dark_markers_get_a_white_rim() {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
        let state = Timeline::new(&d).state_at(parse_date("2012-07-15").unwrap());
        let mut layer = Layer::new("towns");
        let style = Style::for_frame(800, 600);
        markers(
            layout.towns(),
            &state,
            layout.meanings(),
            &style,
            Select::ALL,
            &mut layer,
        );
        assert!(layer.items.iter().all(|i| i.meta().is_some()));
        let gao: Vec<&Item> = layer
            .items
            .iter()
            .filter(|i| i.meta().is_some_and(|m| m.territory == "gao"))
            .collect();
        assert_eq!(gao[0].meta().unwrap().controller, "islamist");
        assert!(
            matches!(gao.last(), Some(Item::Stroke { colour, .. }) if *colour == colours::WHITE)
        );
    }
}
