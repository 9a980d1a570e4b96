//! Control as of a date: the records of each territory, indexed for binary search.

use std::ops::Range;

use crate::dataset::{Control, Dataset, Record};
use crate::date::Date;
use crate::territory::TerritoryId;

/// Who held a territory on a date, and from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// The controller.
    pub control: Control,
    /// The first day of the unbroken run of this controller (repeated records do not reset it).
    pub since: Date,
    /// Index of the record in force, into [`Dataset::records`].
    pub record: usize,
}

/// The whole map's state on one day: one entry per territory, `None` for no data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The day.
    pub date: Date,
    /// Per territory, in id order.
    pub held: Vec<Option<Held>>,
}

impl State {
    /// The entry of a territory.
    pub fn get(&self, t: TerritoryId) -> Option<Held> {
        self.held.get(t.0).copied().flatten()
    }

    /// The controller of a territory (`None`: no data).
    pub fn control(&self, t: TerritoryId) -> Option<Control> {
        self.get(t).map(|h| h.control)
    }

    /// Whether two states draw the same: every territory has the same controller.
    pub fn same_control(&self, other: &State) -> bool {
        self.held.len() == other.held.len()
            && self
                .held
                .iter()
                .zip(&other.held)
                .all(|(a, b)| a.map(|h| h.control) == b.map(|h| h.control))
    }
}

/// Records indexed per territory. Building it is linear; each lookup is a binary search.
#[derive(Debug, Clone)]
pub struct Timeline {
    ranges: Vec<Range<usize>>,
    dates: Vec<Date>,
    controls: Vec<Option<Control>>,
    run_start: Vec<Date>,
    first: Option<Date>,
    last: Option<Date>,
}

impl Timeline {
    /// Indexes a dataset's records (which the loader sorted by target, then date).
    pub fn new(dataset: &Dataset) -> Timeline {
        let records: &[Record] = &dataset.records;
        let ranges = (0..dataset.territories.len())
            .map(|i| {
                let t = TerritoryId(i);
                let start = records.partition_point(|r| r.target < t);
                let end = records.partition_point(|r| r.target <= t);
                start..end
            })
            .collect();
        let mut run_start = Vec::with_capacity(records.len());
        for (i, r) in records.iter().enumerate() {
            let start = match i.checked_sub(1).map(|j| (&records[j], run_start[j])) {
                Some((prev, s)) if prev.target == r.target && prev.control == r.control => s,
                _ => r.date,
            };
            run_start.push(start);
        }
        Timeline {
            ranges,
            dates: records.iter().map(|r| r.date).collect(),
            controls: records.iter().map(|r| r.control).collect(),
            run_start,
            first: records.iter().map(|r| r.date).min(),
            last: records.iter().map(|r| r.date).max(),
        }
    }

    fn held_in(&self, range: &Range<usize>, date: Date) -> Option<Held> {
        let dates = &self.dates[range.clone()];
        let n = dates.partition_point(|d| *d <= date);
        let i = range.start + n.checked_sub(1)?;
        // An `unknown` record ends what was known: the territory has no data from then on.
        self.controls[i].map(|control| Held {
            control,
            since: self.run_start[i],
            record: i,
        })
    }

    /// Who held one territory on `date` (a record counts from its own day on).
    pub fn held(&self, target: TerritoryId, date: Date) -> Option<Held> {
        self.held_in(self.ranges.get(target.0)?, date)
    }

    /// The state of every territory on `date`.
    ///
    /// ```
    /// use controlmap::{dataset::{Dataset, Source, Control}, timeline::Timeline, date::parse_date};
    /// let mali = Dataset::load(&Source::Embedded).unwrap();
    /// let timeline = Timeline::new(&mali);
    /// let state = timeline.state_at(parse_date("2012-07-15").unwrap());
    /// let kidal = mali.find("ML-8").unwrap();
    /// let islamist = mali.manifest.faction_index("islamist").unwrap();
    /// assert_eq!(state.control(kidal), Some(Control::Faction(islamist)));
    /// ```
    pub fn state_at(&self, date: Date) -> State {
        State {
            date,
            held: self.ranges.iter().map(|r| self.held_in(r, date)).collect(),
        }
    }

    /// The dates on which `target` changed controller in `(from, to]`.
    pub fn changes_between(&self, target: TerritoryId, from: Date, to: Date) -> Vec<Date> {
        let Some(range) = self.ranges.get(target.0) else {
            return Vec::new();
        };
        range
            .clone()
            .filter(|&i| {
                self.dates[i] > from && self.dates[i] <= to && self.run_start[i] == self.dates[i]
            })
            .map(|i| self.dates[i])
            .collect()
    }

    /// Every distinct day on which some record starts, sorted.
    pub fn record_dates(&self) -> Vec<Date> {
        let mut d = self.dates.clone();
        d.sort();
        d.dedup();
        d
    }

    /// The first and last record dates, when there are records.
    pub fn span(&self) -> Option<(Date, Date)> {
        Some((self.first?, self.last?))
    }
}
