//! Control fills and hatching: each area territory in its holder's colour, a contest as thin
//! lines of each side over the two sides' blended colour, no data as fine grey lines.

use std::sync::Arc;

use super::super::style::colours;
use super::super::{Item, Layer, Part};
use super::{AreaGeom, Meanings, Select};
use crate::dataset::{Confidence, Control};
use crate::timeline::State;

/// Appends the fills and hatching of `areas` on the state's date to the two layers.
pub fn control(
    areas: &[AreaGeom],
    state: &State,
    meanings: &Meanings,
    select: Select<'_>,
    fills: &mut Layer,
    hatching: &mut Layer,
) {
    for g in areas {
        if !select.includes(g.territory) {
            continue;
        }
        let meta = meanings.meta(g.territory, state, Part::Fill);
        let approximate = meta.confidence == Some(Confidence::Approximate);
        let hatch_meta = Some(meta.with_part(Part::Hatch));
        let meta = Some(Arc::new(meta));
        let fill = |colour| Item::Fill {
            id: Some(g.id.clone()),
            rings: g.rings.clone(),
            colour: select.paint(g.territory, colour),
            meta: meta.clone(),
        };
        let hatch = |suffix: &str, rings: &Arc<Vec<_>>, colour| Item::Fill {
            id: Some(format!("{}-{suffix}", g.id)),
            rings: rings.clone(),
            colour: select.paint(g.territory, colour),
            meta: hatch_meta.clone(),
        };
        match state.control(g.territory) {
            Some(Control::Faction(f)) => fills.items.push(fill(meanings.colour(f))),
            Some(Control::Contested(parties)) => {
                // Thin lines of each side over the two blended: calmer than broad stripes of
                // one side over the other's ground, and neither side reads as the first.
                let (a, b) = meanings.contest_colours(parties);
                fills.items.push(fill(colours::contest_ground(a, b)));
                let [lines_a, lines_b] = g.contest_lines();
                hatching.items.push(hatch("hatch", lines_a, a));
                hatching.items.push(hatch("hatch-b", lines_b, b));
            }
            None => {
                fills.items.push(fill(colours::NO_DATA));
                hatching
                    .items
                    .push(hatch("hatch", g.fine_stripes(), colours::NO_DATA_LINES));
            }
        }
        // An approximate record keeps its colour under faint lines, so a reader sees that the
        // date or the holder is less sure without losing who held it.
        if approximate {
            hatching
                .items
                .push(hatch("uncertain", g.uncertain(), colours::UNCERTAIN_LINES));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::{Layer, Scene};
    use super::*;
    use crate::dataset::{Dataset, Source};
    use crate::date::parse_date;
    use crate::scene::{MapLayout, MapOptions};
    use crate::timeline::Timeline;

    fn scene_on(date: &str) -> (Dataset, Scene) {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
        let state = Timeline::new(&d).state_at(parse_date(date).unwrap());
        let scene = layout.scene(&state, None, "");
        (d, scene)
    }

    #[test]
    fn kidal_is_filled_in_the_islamist_colour_on_15_july_2012() {
        let (d, scene) = scene_on("2012-07-15");
        let islamist = d.manifest.factions.iter().find(|f| f.id == "islamist");
        assert_eq!(scene.fill_of("regions", "ML-8"), islamist.map(|f| f.colour));
        let meta = scene
            .layer("regions")
            .and_then(|l| {
                l.items
                    .iter()
                    .find_map(|i| i.meta().filter(|m| m.territory == "ML-8"))
            })
            .unwrap();
        assert_eq!(meta.controller, "islamist");
        assert_eq!(meta.part, Part::Fill);
        assert!(meta.since.is_some() && meta.confidence.is_some() && !meta.refs.is_empty());
    }

    #[test]
    fn a_territory_with_no_record_gets_the_no_data_fill_and_lines() {
        let (_, scene) = scene_on("2011-06-01");
        let fills = scene.layer("regions").unwrap();
        assert!(
            fills
                .items
                .iter()
                .all(|i| matches!(i, Item::Fill { colour, .. } if *colour == colours::NO_DATA))
        );
        assert_eq!(
            scene.layer("hatching").unwrap().items.len(),
            fills.items.len()
        );
    }

    #[test]
    fn a_selection_draws_only_its_territories_at_its_strength() {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
        let state = Timeline::new(&d).state_at(parse_date("2012-07-15").unwrap());
        let kidal = d.find("ML-8").unwrap();
        let only = |t| t == kidal;
        let (mut fills, mut hatching) = (Layer::new("f"), Layer::new("h"));
        let select = Select::only(&only, 0.5);
        control(
            layout.areas(),
            &state,
            layout.meanings(),
            select,
            &mut fills,
            &mut hatching,
        );
        assert_eq!(fills.items.len(), 1);
        let Item::Fill { colour, .. } = &fills.items[0] else {
            panic!()
        };
        assert_eq!(colour.a, 128);
    }

    #[test]
    fn approximate_records_get_faint_lines_and_confirmed_ones_none() {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let state = Timeline::new(&d).state_at(parse_date("2013-01-27").unwrap());
        let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
        let scene = layout.scene(&state, None, "");
        let faint: Vec<String> = scene
            .layer("hatching")
            .unwrap()
            .items
            .iter()
            .filter(
                |i| matches!(i, Item::Fill { colour, .. } if *colour == colours::UNCERTAIN_LINES),
            )
            .filter_map(|i| i.meta().map(|m| m.territory.clone()))
            .collect();
        let mut checked = 0;
        for (t, r) in d.regions() {
            let Some(h) = state.get(t) else { continue };
            let approximate = d.records[h.record].confidence == Confidence::Approximate;
            assert_eq!(faint.contains(&r.id), approximate, "{}", r.id);
            checked += usize::from(approximate);
        }
        assert!(checked > 0, "no approximate region on 27 Jan 2013 to check");
    }
}
