//! The share of the country each side held, day by day.

use crate::analysis::{Holder, shares};
use crate::dataset::Dataset;
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
