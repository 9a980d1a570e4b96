//! Numbers and words about a state: areas, shares of the country, and a description for readers
//! who cannot see the map.

use geo::GeodesicArea;

use crate::compose::Reaches;
use crate::dataset::{Control, Dataset};
use crate::date::display_date_long;
use crate::lang::Lang;
use crate::timeline::State;

/// The areas a state's records decide: each region's whole area, and each recorded town's area
/// (the ground around it that it holds while it has a record in force). Indexing gives the whole
/// area of a territory; [`Areas::effective`] the area each territory's record decides on a date,
/// on the composed control geometry.
#[derive(Debug, Clone)]
pub struct Areas {
    whole: Vec<f64>,
    reaches: Option<std::sync::Arc<Reaches>>,
    cache: std::sync::Arc<crate::compose::Cache>,
}

impl std::ops::Index<usize> for Areas {
    type Output = f64;
    fn index(&self, i: usize) -> &f64 {
        &self.whole[i]
    }
}

impl Areas {
    /// The area each territory's record decides on the state's date, in km², indexed by
    /// territory id: a region less the areas of its towns that hold a record then, and those
    /// towns' areas (and the zones' and snapshot polygons', less what lies over them). They sum to
    /// the country's area.
    pub fn effective(&self, dataset: &Dataset, state: &State) -> Vec<f64> {
        let mut out: Vec<f64> = dataset
            .territory_ids()
            .map(|(t, x)| if x.is_region() { self.whole[t.0] } else { 0.0 })
            .collect();
        let Some(reaches) = &self.reaches else {
            return out;
        };
        if !reaches.layers().is_empty() {
            // Zones may cross region borders and overlap one another: only the composed pieces
            // say what each record decides.
            return self
                .cache
                .get(dataset, reaches, state)
                .effective_km2(out.len());
        }
        for (r, _) in dataset.regions() {
            for &t in reaches.towns_in(r) {
                if state.get(t).is_some() {
                    let km2 = reaches.km2(t);
                    out[t.0] = km2;
                    out[r.0] = (out[r.0] - km2).max(0.0);
                }
            }
        }
        out
    }

    /// The country's area: the regions' sum.
    pub fn total(&self, dataset: &Dataset) -> f64 {
        dataset.regions().map(|(r, _)| self.whole[r.0]).sum()
    }

    /// Every territory's whole area.
    pub fn iter(&self) -> impl Iterator<Item = &f64> {
        self.whole.iter()
    }
}

/// The geodesic areas (WGS84 ellipsoid) of a dataset's regions and of its towns' areas.
///
/// ```
/// use controlmap::{dataset::{Dataset, Source}, analysis::areas_km2};
/// let mali = Dataset::load(&Source::Embedded).unwrap();
/// let areas = areas_km2(&mali);
/// let total = areas.total(&mali);
/// assert!((total - 1_240_000.0).abs() / 1_240_000.0 < 0.02);
/// ```
pub fn areas_km2(dataset: &Dataset) -> Areas {
    // A dataset that loaded has every recorded town inside a region and a usable projection,
    // so the reaches can be built; without them the numbers are those of whole regions.
    areas_km2_of(dataset, Reaches::new(dataset).ok().map(std::sync::Arc::new))
}

/// [`areas_km2`] with the dataset's reaches already built (a map layout's, see
/// [`crate::scene::MapLayout::reaches`]): building them is most of the work.
pub fn areas_km2_of(dataset: &Dataset, reaches: Option<std::sync::Arc<Reaches>>) -> Areas {
    let whole = dataset
        .territory_ids()
        .map(|(t, x)| match (x.area(), &reaches) {
            // The reaches measured every outline already (the geodesic area is the dearest
            // part of a render's numbers).
            (Some(_), Some(r)) => r.region_km2(t),
            (Some(a), None) => a.geodesic_area_unsigned() / 1e6,
            (None, r) => r.as_ref().map_or(0.0, |r| r.km2(t)),
        })
        .collect();
    Areas {
        whole,
        reaches,
        cache: std::sync::Arc::default(),
    }
}

/// A share-of-country bucket: one faction, contested, or no data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Holder {
    /// A faction, by index.
    Faction(usize),
    /// Contested ground.
    Contested,
    /// No record in force.
    NoData,
}

impl Holder {
    /// The bucket of a state entry.
    pub fn of(control: Option<Control>) -> Holder {
        match control {
            Some(Control::Faction(i)) => Holder::Faction(i),
            Some(Control::Contested(_)) => Holder::Contested,
            None => Holder::NoData,
        }
    }

    /// Its key in tables and JSON: the faction id, `contested` or `no-data`.
    pub fn key<'a>(&self, dataset: &'a Dataset) -> &'a str {
        match self {
            Holder::Faction(i) => &dataset.manifest.factions[*i].id,
            Holder::Contested => "contested",
            Holder::NoData => "no-data",
        }
    }

    /// Every bucket of a dataset, factions first.
    pub fn all(dataset: &Dataset) -> Vec<Holder> {
        (0..dataset.manifest.factions.len())
            .map(Holder::Faction)
            .chain([Holder::Contested, Holder::NoData])
            .collect()
    }
}

/// The share of the country's area each bucket holds on the state's date, in [`Holder::all`]
/// order; the shares sum to 1.
pub fn shares(dataset: &Dataset, areas: &Areas, state: &State) -> Vec<(Holder, f64)> {
    let effective = areas.effective(dataset, state);
    // Shares of the ground drawn: composing zones over regions leaves crumbs of a few km², so
    // the pieces need not add up to the outlines' total exactly, and shares must sum to 1.
    let total: f64 = effective.iter().filter(|a| **a > 0.0).sum();
    Holder::all(dataset)
        .into_iter()
        .map(|h| {
            let held: f64 = dataset
                .territory_ids()
                .filter(|(i, _)| effective[i.0] > 0.0 && Holder::of(state.control(*i)) == h)
                .map(|(i, _)| effective[i.0])
                .sum();
            // `+ 0.0` turns the -0.0 that an empty float sum gives into 0.0 ("-0.0%" in tables).
            (h, if total > 0.0 { held / total + 0.0 } else { 0.0 })
        })
        .collect()
}

fn join_names(names: &[&str], and: &str) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// A short paragraph describing the map on the state's date.
pub fn describe(dataset: &Dataset, areas: &Areas, state: &State, lang: Lang) -> String {
    let french = lang == Lang::Fr;
    let mut parts = Vec::new();
    let date = display_date_long(state.date, lang);
    let and = if french { "et" } else { "and" };
    parts.push(if french {
        format!(
            "Carte du contrôle territorial, {}, au {date}.",
            dataset.manifest.title
        )
    } else {
        format!(
            "Map of territorial control, {}, as of {date}.",
            dataset.manifest.title
        )
    });
    for (holder, share) in shares(dataset, areas, state) {
        // Zones and snapshot polygons are named only where their record is in force: elsewhere
        // the ground under them speaks.
        let names: Vec<&str> = dataset
            .regions()
            .filter(|(i, _)| Holder::of(state.control(*i)) == holder)
            .chain(dataset.layers().filter(|(i, _)| {
                state
                    .get(*i)
                    .is_some_and(|h| Holder::of(Some(h.control)) == holder)
            }))
            .map(|(_, r)| r.name(lang))
            .collect();
        if names.is_empty() {
            continue;
        }
        let pct = (share * 100.0).round();
        let list = join_names(&names, and);
        let sentence = match holder {
            Holder::Faction(f) => {
                let who = dataset.faction_label(f, lang);
                if french {
                    format!("{who} : {list} ({pct} % du pays).")
                } else {
                    format!("{who} hold {list} ({pct}% of the country).")
                }
            }
            Holder::Contested => {
                if french {
                    format!("Disputé : {list} ({pct} %).")
                } else {
                    format!("Contested: {list} ({pct}%).")
                }
            }
            Holder::NoData => {
                if french {
                    format!("Sans données : {list}.")
                } else {
                    format!("No record yet for {list}.")
                }
            }
        };
        parts.push(sentence);
    }
    let event = dataset.events.iter().rposition(|e| e.date <= state.date);
    if let Some(e) = event.map(|i| &dataset.events[i]) {
        let d = display_date_long(e.date, lang);
        parts.push(if french {
            format!("Dernier événement ({d}) : {}.", e.caption)
        } else {
            format!("Latest event ({d}): {}.", e.caption)
        });
    }
    let sources = citations::state_citations(dataset, state, event, lang);
    if !sources.is_empty() {
        let list = citations::join_citations(&sources, citations::HANDFUL, lang);
        parts.push(if french {
            format!("Sources : {list}.")
        } else {
            format!("Sources: {list}.")
        });
    }
    parts.join(" ")
}

pub mod citations;
pub mod diff;
pub mod history;
pub mod series;
