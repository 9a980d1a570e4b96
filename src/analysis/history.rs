//! Every interval of every piece of ground: who held it from when to when, on the composed
//! control geometry. The shape analysts load into a GIS's time controller or a spreadsheet.

use std::sync::Arc;

use geo::MultiPolygon;

use crate::compose::{Cache, Reaches};
use crate::dataset::{Confidence, Control, Dataset};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::territory::TerritoryId;
use crate::timeline::{State, Timeline};

/// One piece of ground held by one controller, unchanged in shape, from one day to another.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    /// The territory whose record colours it.
    pub territory: TerritoryId,
    /// Who held it (`None`: no record in force).
    pub control: Option<Control>,
    /// The confidence of the record in force at its start.
    pub confidence: Option<Confidence>,
    /// The index of that record.
    pub record: Option<usize>,
    /// The first day.
    pub from: Date,
    /// The last day (inclusive); `None` when it still holds at the end of the span.
    pub to: Option<Date>,
    /// The ground, in longitude/latitude degrees.
    pub geometry: Arc<MultiPolygon<f64>>,
    /// Its geodesic area in km².
    pub area_km2: f64,
    /// The town areas cut out of it: the same list means the same shape.
    cut: Vec<TerritoryId>,
}

/// One change of holder: a territory's record starts on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    /// The day.
    pub date: Date,
    /// The territory.
    pub territory: TerritoryId,
    /// Its new holder (`None`: no longer known).
    pub control: Option<Control>,
    /// The record's confidence.
    pub confidence: Option<Confidence>,
}

/// The days on which something changes in `[from, to]`, starting with `from`.
fn change_days(timeline: &Timeline, from: Date, to: Date) -> Vec<Date> {
    let mut days = vec![from];
    days.extend(
        timeline
            .record_dates()
            .into_iter()
            .filter(|d| *d > from && *d <= to),
    );
    days
}

/// Every interval of every piece of ground between `from` and `to` (both included).
///
/// ```
/// use controlmap::{analysis::history::intervals, dataset::{Dataset, Source}, date::parse_date};
/// let mali = Dataset::load(&Source::Embedded).unwrap();
/// let all = intervals(&mali, parse_date("2012-01-01").unwrap(), parse_date("2014-12-31").unwrap()).unwrap();
/// let timbuktu = mali.find("timbuktu").unwrap();
/// // The town's area was held by someone else at least three times in the span.
/// assert!(all.iter().filter(|i| i.territory == timbuktu).count() >= 3);
/// ```
pub fn intervals(dataset: &Dataset, from: Date, to: Date) -> Result<Vec<Interval>> {
    if from > to {
        return Err(Error::usage(format!(
            "the span from {from} to {to} ends before it starts"
        )));
    }
    let timeline = Timeline::new(dataset);
    let reaches = Reaches::new(dataset)?;
    let cache = Cache::default();
    let mut open: Vec<Interval> = Vec::new();
    let mut done: Vec<Interval> = Vec::new();
    for day in change_days(&timeline, from, to) {
        let state = timeline.state_at(day);
        let composition = cache.get(dataset, &reaches, &state);
        let yesterday = day.yesterday().ok();
        let mut next: Vec<Interval> = Vec::with_capacity(open.len());
        let mut carried = vec![false; open.len()];
        for piece in &composition.pieces {
            let held = state.get(piece.territory);
            let same = open.iter().position(|i| {
                i.territory == piece.territory
                    && i.control == held.map(|h| h.control)
                    && i.cut == piece.cut
            });
            match same {
                Some(k) => {
                    carried[k] = true;
                    next.push(open[k].clone());
                }
                None => next.push(start(piece, &state, day, dataset)),
            }
        }
        for (k, i) in open.into_iter().enumerate() {
            if !carried[k] {
                done.push(Interval { to: yesterday, ..i });
            }
        }
        open = next;
    }
    done.extend(open);
    done.sort_by_key(|i| (i.territory, i.from));
    Ok(done)
}

fn start(piece: &crate::compose::Piece, state: &State, day: Date, dataset: &Dataset) -> Interval {
    let held = state.get(piece.territory);
    Interval {
        territory: piece.territory,
        control: held.map(|h| h.control),
        confidence: held.map(|h| dataset.records[h.record].confidence),
        record: held.map(|h| h.record),
        from: day,
        to: None,
        geometry: piece.geometry.clone(),
        area_km2: piece.area_km2,
        cut: piece.cut.clone(),
    }
}

/// Every change of holder of every territory in `(from, to]`, and the holders on `from`.
pub fn changes(dataset: &Dataset, from: Date, to: Date) -> Vec<ChangeRow> {
    let timeline = Timeline::new(dataset);
    let first = timeline.state_at(from);
    let mut rows: Vec<ChangeRow> = dataset
        .territory_ids()
        .map(|(t, _)| {
            let held = first.get(t);
            ChangeRow {
                date: from,
                territory: t,
                control: held.map(|h| h.control),
                confidence: held.map(|h| dataset.records[h.record].confidence),
            }
        })
        .collect();
    for (t, _) in dataset.territory_ids() {
        for day in timeline.changes_between(t, from, to) {
            let held = timeline.held(t, day);
            rows.push(ChangeRow {
                date: day,
                territory: t,
                control: held.map(|h| h.control),
                confidence: held.map(|h| dataset.records[h.record].confidence),
            });
        }
    }
    rows.sort_by_key(|r| (r.date, r.territory));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::areas_km2;
    use crate::dataset::Source;
    use crate::date::parse_date;

    #[test]
    fn on_every_day_the_intervals_in_force_cover_the_country_once() {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let (from, to) = (
            parse_date("2012-01-01").unwrap(),
            parse_date("2014-12-31").unwrap(),
        );
        let all = intervals(&d, from, to).unwrap();
        let total = areas_km2(&d).total(&d);
        let t = Timeline::new(&d);
        for day in [
            "2012-01-01",
            "2012-04-02",
            "2013-01-27",
            "2013-01-28",
            "2014-06-01",
            "2014-12-31",
        ] {
            let day = parse_date(day).unwrap();
            let live: Vec<&Interval> = all
                .iter()
                .filter(|i| i.from <= day && i.to.is_none_or(|e| day <= e))
                .collect();
            let km2: f64 = live.iter().map(|i| i.area_km2).sum();
            assert!((km2 - total).abs() < 1.0, "{day}: {km2} of {total}");
            let state = t.state_at(day);
            for i in live {
                assert_eq!(i.control, state.control(i.territory), "{day}");
            }
        }
    }

    #[test]
    fn a_territory_changes_hands_on_the_days_of_its_records() {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let (from, to) = (
            parse_date("2012-01-01").unwrap(),
            parse_date("2014-12-31").unwrap(),
        );
        let rows = changes(&d, from, to);
        let timbuktu = d.find("timbuktu").unwrap();
        let days: Vec<String> = rows
            .iter()
            .filter(|r| r.territory == timbuktu && r.date > from)
            .map(|r| r.date.to_string())
            .collect();
        assert!(days.contains(&"2013-01-28".to_string()), "{days:?}");
    }
}
