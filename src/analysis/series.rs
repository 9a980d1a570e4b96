//! The share of the country each side held, day by day.

use crate::analysis::{Holder, shares};
use crate::dataset::{Control, Dataset};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::timeline::Timeline;

/// Shares per day for a span: `rows[k]` is the day `from + k`, its values in `holders` order.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareSeries {
    /// The buckets, factions first, then contested and no data.
    pub holders: Vec<Holder>,
    /// (day, shares summing to 1).
    pub rows: Vec<(Date, Vec<f64>)>,
}

/// Computes the daily shares from `from` to `to`, both included. Shares only change on record
/// dates, so each distinct state is computed once and repeated.
pub fn share_series(
    dataset: &Dataset,
    timeline: &Timeline,
    areas: &crate::analysis::Areas,
    from: Date,
    to: Date,
) -> Result<ShareSeries> {
    if from > to {
        return Err(Error::usage_of(
            crate::error::Field::From,
            format!("{from} is after the end date {to}"),
        ));
    }
    let days = (to - from).get_days();
    if days > 366 * 200 {
        return Err(Error::usage(format!(
            "{from} to {to} spans more than 200 years"
        )));
    }
    let holders = Holder::all(dataset);
    let changes: Vec<Date> = timeline.record_dates();
    let mut rows = Vec::with_capacity(days as usize + 1);
    let mut current: Option<Vec<f64>> = None;
    let mut day = from;
    loop {
        let changed_today = changes.binary_search(&day).is_ok();
        if current.is_none() || changed_today {
            let state = timeline.state_at(day);
            current = Some(
                shares(dataset, areas, &state)
                    .into_iter()
                    .map(|(_, s)| s)
                    .collect(),
            );
        }
        rows.push((day, current.clone().unwrap_or_default()));
        if day >= to {
            break;
        }
        day = match day.tomorrow() {
            Ok(d) => d,
            Err(_) => break,
        };
    }
    Ok(ShareSeries { holders, rows })
}

/// The contested share of each day, split by who contests it: one band per pair of parties
/// in the manifest's order (drawn as on the maps and in their key: each side's thin lines over
/// the two blended; `None` where the records name none) that contests ground on some day of
/// the span, in order of first appearance. `rows[k][b]` is band `b`'s share of the country on
/// `days[k]`; a day's bands sum to its contested share in [`share_series`].
#[derive(Debug, Clone, PartialEq)]
pub struct ContestedSeries {
    /// The parties of each band.
    pub parties: Vec<Option<(usize, usize)>>,
    /// Per day, each band's share of the country.
    pub rows: Vec<Vec<f64>>,
}

/// Splits the contested ground of each day of a share series by its parties. Like the series,
/// each distinct state is measured once.
pub fn contested_series(
    dataset: &Dataset,
    timeline: &Timeline,
    areas: &crate::analysis::Areas,
    series: &ShareSeries,
) -> ContestedSeries {
    let total = areas.total(dataset);
    let changes: Vec<Date> = timeline.record_dates();
    let mut parties: Vec<Option<(usize, usize)>> = Vec::new();
    let mut per_day: Vec<Vec<(usize, f64)>> = Vec::with_capacity(series.rows.len());
    let mut current: Option<Vec<(usize, f64)>> = None;
    for (day, _) in &series.rows {
        if current.is_none() || changes.binary_search(day).is_ok() {
            let state = timeline.state_at(*day);
            let effective = areas.effective(dataset, &state);
            let mut bands: Vec<(usize, f64)> = Vec::new();
            for (t, _) in dataset.territory_ids() {
                let Some(Control::Contested(pair)) = state.control(t) else {
                    continue;
                };
                if effective[t.0] <= 0.0 || total <= 0.0 {
                    continue;
                }
                let b = match parties.iter().position(|p| *p == pair) {
                    Some(b) => b,
                    None => {
                        parties.push(pair);
                        parties.len() - 1
                    }
                };
                match bands.iter_mut().find(|(x, _)| *x == b) {
                    Some((_, share)) => *share += effective[t.0] / total,
                    None => bands.push((b, effective[t.0] / total)),
                }
            }
            current = Some(bands);
        }
        per_day.push(current.clone().unwrap_or_default());
    }
    let rows = per_day
        .into_iter()
        .map(|bands| {
            let mut row = vec![0.0; parties.len()];
            for (b, share) in bands {
                row[b] = share;
            }
            row
        })
        .collect();
    ContestedSeries { parties, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Holder, areas_km2};
    use crate::dataset::Source;

    /// Each day's contested bands add up to the day's contested share, one band per pair of
    /// sides whichever way round the records name them.
    #[test]
    fn contested_bands_sum_to_the_contested_share() {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let t = Timeline::new(&d);
        let areas = areas_km2(&d);
        let (from, to) = t.span().unwrap();
        let series = share_series(&d, &t, &areas, from, to).unwrap();
        let c = contested_series(&d, &t, &areas, &series);
        let k = series
            .holders
            .iter()
            .position(|h| *h == Holder::Contested)
            .unwrap();
        assert!(c.parties.len() >= 2, "{:?}", c.parties);
        for ((day, shares), parts) in series.rows.iter().zip(&c.rows) {
            let sum: f64 = parts.iter().sum();
            assert!(
                (sum - shares[k]).abs() < 1e-9,
                "{day}: {sum} vs {}",
                shares[k]
            );
        }
        // Mali's records name both "islamist|mnla" and "mnla|islamist": one contest, one band.
        let flat: Vec<(usize, usize)> = c.parties.iter().flatten().copied().collect();
        let (mnla, islamist) = (
            d.manifest.faction_index("mnla").unwrap(),
            d.manifest.faction_index("islamist").unwrap(),
        );
        assert!(flat.iter().all(|&(a, b)| a < b), "{flat:?}");
        assert!(flat.contains(&(mnla, islamist)), "{flat:?}");
        let mut unique = c.parties.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), c.parties.len());
    }
}
