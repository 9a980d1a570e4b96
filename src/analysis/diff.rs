//! What changed between two dates: targets that changed hands, and the territory each side
//! gained or lost.

use crate::analysis::{Holder, shares};
use crate::dataset::{Control, Dataset};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::territory::TerritoryId;
use crate::timeline::{State, Timeline};

/// One target whose controller differs between the two dates.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The territory.
    pub target: TerritoryId,
    /// Controller on the first date (`None`: no data).
    pub from: Option<Control>,
    /// Controller on the second date.
    pub to: Option<Control>,
    /// Every day in between (after the first date, up to the second) on which it changed hands.
    pub changed_on: Vec<Date>,
    /// The area in km² its record decides (on the composed geometry), at whichever end it is
    /// larger; `None` for a town that holds no area.
    pub area_km2: Option<f64>,
}

/// The comparison of two dates.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// The earlier state.
    pub from: State,
    /// The later state.
    pub to: State,
    /// In territory id order (regions first, then towns).
    pub changes: Vec<Change>,
    /// Per bucket: (holder, km² gained minus lost, the same as a share of the country).
    pub net: Vec<(Holder, f64, f64)>,
}

/// Compares the states on `from` and `to`.
///
/// ```
/// use controlmap::{dataset::{Dataset, Source}, timeline::Timeline, date::parse_date};
/// use controlmap::analysis::{areas_km2, Holder, diff::diff};
/// let mali = Dataset::load(&Source::Embedded).unwrap();
/// let t = Timeline::new(&mali);
/// let areas = areas_km2(&mali);
/// let d = diff(&mali, &t, &areas, parse_date("2012-01-01").unwrap(), parse_date("2012-07-15").unwrap()).unwrap();
/// let government = mali.manifest.faction_index("government").unwrap();
/// let (_, km2, _) = d.net.iter().find(|(h, _, _)| *h == Holder::Faction(government)).unwrap();
/// assert!(*km2 < -700_000.0, "the government lost the north: {km2}");
/// ```
pub fn diff(
    dataset: &Dataset,
    timeline: &Timeline,
    areas: &crate::analysis::Areas,
    from: Date,
    to: Date,
) -> Result<Diff> {
    if from > to {
        return Err(Error::usage_of(
            crate::error::Field::From,
            format!("{from} is after the end date {to}"),
        ));
    }
    let a = timeline.state_at(from);
    let b = timeline.state_at(to);
    let mut changes = Vec::new();
    let (before, after) = (areas.effective(dataset, &a), areas.effective(dataset, &b));
    for (t, _) in dataset.territory_ids() {
        let (x, y) = (a.control(t), b.control(t));
        if x != y {
            // The ground whose holder changed: what the territory's record decided at either end.
            let km2 = before[t.0].max(after[t.0]);
            let area_km2 = (km2 > 0.0).then_some(km2);
            changes.push(Change {
                target: t,
                from: x,
                to: y,
                changed_on: timeline.changes_between(t, from, to),
                area_km2,
            });
        }
    }
    let total = areas.total(dataset);
    let before = shares(dataset, areas, &a);
    let after = shares(dataset, areas, &b);
    let net = before
        .iter()
        .zip(&after)
        .map(|((h, s0), (_, s1))| (*h, (s1 - s0) * total, s1 - s0))
        .collect();
    Ok(Diff {
        from: a,
        to: b,
        changes,
        net,
    })
}
