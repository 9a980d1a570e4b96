//! Control as of a date: the records of each target, indexed for binary search.

use std::ops::Range;

use crate::dataset::{Control, Dataset, Record, Target};
use crate::date::Date;

/// Who held a target on a date, and from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// The controller.
    pub control: Control,
    /// The first day of the unbroken run of this controller (repeated records do not reset it).
    pub since: Date,
    /// Index of the record in force, into [`Dataset::records`].
    pub record: usize,
}

/// The whole map's state on one day: one entry per region and per place, `None` for no data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The day.
    pub date: Date,
    /// Per region, in dataset order.
    pub regions: Vec<Option<Held>>,
    /// Per place, in dataset order.
    pub places: Vec<Option<Held>>,
}

impl State {
    /// The entry of a target.
    pub fn get(&self, t: Target) -> Option<Held> {
        match t {
            Target::Region(i) => self.regions.get(i).copied().flatten(),
            Target::Place(i) => self.places.get(i).copied().flatten(),
        }
    }
}

/// Records indexed per target. Building it is linear; each lookup is a binary search.
#[derive(Debug, Clone)]
pub struct Timeline {
    region_ranges: Vec<Range<usize>>,
    place_ranges: Vec<Range<usize>>,
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
        let range_of = |t: Target| {
            let start = records.partition_point(|r| r.target < t);
            let end = records.partition_point(|r| r.target <= t);
            start..end
        };
        let region_ranges = (0..dataset.regions.len())
            .map(|i| range_of(Target::Region(i)))
            .collect();
        let place_ranges = (0..dataset.places.len())
            .map(|i| range_of(Target::Place(i)))
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
            region_ranges,
            place_ranges,
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
        // An `unknown` record ends what was known: the target has no data from then on.
        self.controls[i].map(|control| Held {
            control,
            since: self.run_start[i],
            record: i,
        })
    }

    /// Who held one target on `date` (a record counts from its own day on).
    pub fn held(&self, target: Target, date: Date) -> Option<Held> {
        let range = match target {
            Target::Region(i) => self.region_ranges.get(i)?,
            Target::Place(i) => self.place_ranges.get(i)?,
        };
        self.held_in(range, date)
    }

    /// The state of every target on `date`.
    ///
    /// ```
    /// use controlmap::{dataset::{Dataset, Source, Control}, timeline::Timeline, date::parse_date};
    /// let mali = Dataset::load(&Source::Embedded).unwrap();
    /// let timeline = Timeline::new(&mali);
    /// let state = timeline.state_at(parse_date("2012-07-15").unwrap());
    /// let kidal = mali.regions.iter().position(|r| r.id == "ML-8").unwrap();
    /// let islamist = mali.manifest.faction_index("islamist").unwrap();
    /// assert_eq!(state.regions[kidal].unwrap().control, Control::Faction(islamist));
    /// ```
    pub fn state_at(&self, date: Date) -> State {
        State {
            date,
            regions: self
                .region_ranges
                .iter()
                .map(|r| self.held_in(r, date))
                .collect(),
            places: self
                .place_ranges
                .iter()
                .map(|r| self.held_in(r, date))
                .collect(),
        }
    }

    /// The dates on which `target` changed controller in `(from, to]`.
    pub fn changes_between(&self, target: Target, from: Date, to: Date) -> Vec<Date> {
        let Some(range) = (match target {
            Target::Region(i) => self.region_ranges.get(i),
            Target::Place(i) => self.place_ranges.get(i),
        }) else {
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
