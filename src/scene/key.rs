//! What the map's key lists: a row per class the maps draw (factions, contests, no data,
//! approximate ground, town markers), gathered over the states a layout will show.

use super::layers::legend::{Drawn, Row};
use super::style::colours;
use crate::dataset::Dataset;
use crate::date::Date;
use crate::lang::Lang;
use crate::territory::TerritoryId;
use crate::timeline::State;

/// The legend's rows for what the maps draw: each faction present, each contest drawn (named
/// by its sides when there are several), no data only when some ground or town has no record,
/// and the town markers drawn (the capital's, and the light-rimmed one on dark colours).
pub fn legend_rows(dataset: &Dataset, lang: Lang, drawn: &Drawn) -> Vec<Row> {
    let colour = |f: usize| {
        dataset
            .manifest
            .factions
            .get(f)
            .map_or(colours::CONTESTED_A, |x| x.colour)
    };
    // A short name: the label up to its first parenthesis ("MNLA", "Islamist groups").
    let short = |f: usize| {
        let l = dataset.faction_label(f, lang);
        l.split(" (").next().unwrap_or(l).trim().to_string()
    };
    let mut factions = drawn.factions.clone();
    factions.sort_unstable();
    let mut rows: Vec<Row> = factions
        .iter()
        .map(|&f| Row::Faction {
            label: dataset.faction_label(f, lang).to_string(),
            short: dataset.faction_short(f, lang).to_string(),
            colour: colour(f),
        })
        .collect();
    for p in &drawn.contests {
        let sides_colours = p.map_or([colours::CONTESTED_A, colours::CONTESTED_B], |(a, b)| {
            [colour(a), colour(b)]
        });
        let named = p.filter(|_| drawn.contests.len() > 1);
        let sides = named.map(|(a, b)| format!("{} / {}", short(a), short(b)));
        let short_sides = named.map(|(a, b)| {
            let s = |f| dataset.faction_short(f, lang);
            format!("{} / {}", s(a), s(b))
        });
        rows.push(Row::Contested {
            sides_colours,
            sides,
            short_sides,
        });
    }
    if drawn.no_data {
        rows.push(Row::NoData);
    }
    if drawn.approximate {
        let sample = factions
            .first()
            .map_or(colours::NO_DATA_TOWN, |&f| colour(f));
        rows.push(Row::Approximate { colour: sample });
    }
    let light = factions
        .iter()
        .find(|f| !drawn.dark_towns.contains(f))
        .map_or(colours::NO_DATA_TOWN, |&f| colour(f));
    if drawn.towns {
        rows.push(Row::Town { colour: light });
    }
    if drawn.capital {
        rows.push(Row::Capital { colour: light });
    }
    if let Some(&f) = drawn.dark_towns.first() {
        rows.push(Row::DarkTown { colour: colour(f) });
    }
    rows
}

/// The rows with their contests keyed once, in the first contest's colours: a key read on a
/// phone has no room for a row per pair, and the map's stripes show each pair's colours.
pub(crate) fn one_contest_row(rows: Vec<Row>) -> Vec<Row> {
    let mut seen = false;
    rows.into_iter()
        .filter_map(|r| match r {
            Row::Contested { sides_colours, .. } if !seen => {
                seen = true;
                Some(Row::Contested {
                    sides_colours,
                    sides: None,
                    short_sides: None,
                })
            }
            Row::Contested { .. } => None,
            other => Some(other),
        })
        .collect()
}

/// The change map's two extra rows, sampled on the first faction the key shows.
pub(crate) fn change_rows(rows: &[Row]) -> [Row; 2] {
    let colour = rows
        .iter()
        .find_map(|r| match r {
            Row::Faction { colour, .. } => Some(*colour),
            _ => None,
        })
        .unwrap_or(colours::CONTESTED_A);
    [Row::Changed { colour }, Row::Unchanged { colour }]
}

/// What the maps of a layout will draw: the states on every record date (within the strip's
/// span, when the layout has one), so an animation's legend stays the same from frame to frame.
pub(crate) fn drawn_by_records(dataset: &Dataset, span: Option<(Date, Date)>) -> Vec<State> {
    let timeline = crate::timeline::Timeline::new(dataset);
    let mut dates = timeline.record_dates();
    if let Some((from, to)) = span {
        dates.retain(|d| *d >= from && *d <= to);
        dates.insert(0, from);
    }
    dates.into_iter().map(|d| timeline.state_at(d)).collect()
}

/// The areas a state draws: the regions, and the zones and snapshot polygons whose record is in
/// force (elsewhere they are not drawn, so they are no "no data" to key).
pub(crate) fn in_force(
    dataset: &Dataset,
    regions: &[TerritoryId],
    state: &State,
) -> Vec<TerritoryId> {
    let mut areas = regions.to_vec();
    areas.extend(
        dataset
            .layers()
            .map(|(t, _)| t)
            .filter(|t| state.get(*t).is_some()),
    );
    areas
}
