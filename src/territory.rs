//! What can hold control: every region, town (and any later kind) is a territory in one id
//! space, with a kind, names per language and a geometry.
//!
//! Records target a [`TerritoryId`]; the timeline, the analysis and the scene iterate territories
//! rather than one list per kind, so adding a kind touches the loader and the style only.

use geo::{Coord, MultiPolygon};

use crate::lang::{Lang, Names};

/// A territory's place in [`crate::dataset::Dataset::territories`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TerritoryId(pub usize);

impl TerritoryId {
    /// The index into the dataset's territories.
    pub fn index(self) -> usize {
        self.0
    }
}

/// How important a town is: its symbol and label priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TownRank {
    /// The national capital: its own symbol, labelled first.
    Capital,
    /// A regional capital.
    RegionalCapital,
    /// Any other town.
    Town,
}

/// The kinds of territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A first-level administrative region: an area that tiles the country.
    Region,
    /// A town: a point with a rank.
    Town(TownRank),
    /// An analyst-drawn area (`zones.geojson`), clipped to the country; it lies over the
    /// regions and under the town areas.
    Zone,
    /// One polygon of a dated snapshot file: it holds from the snapshot's date until the next
    /// snapshot, at the precedence of zones.
    Snapshot,
}

impl Kind {
    /// The word used in reports and exports (`region`, `town`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Region => "region",
            Kind::Town(_) => "town",
            Kind::Zone => "zone",
            Kind::Snapshot => "snapshot",
        }
    }

    /// The kind's name in a language, for words written to readers.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Kind::Region => lang.pick("region", "région"),
            Kind::Town(_) => lang.pick("town", "ville"),
            Kind::Zone => "zone",
            Kind::Snapshot => lang.pick("snapshot area", "zone d'instantané"),
        }
    }

    /// Whether it is an area laid over the regions (a zone or a snapshot polygon): drawn above
    /// them and below town areas, the one listed later on top.
    pub fn is_layer(self) -> bool {
        matches!(self, Kind::Zone | Kind::Snapshot)
    }
}

/// Where a territory lies, in longitude/latitude degrees.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// An area.
    Area(MultiPolygon<f64>),
    /// A point.
    Point(Coord<f64>),
}

/// One thing that can be held.
#[derive(Debug, Clone, PartialEq)]
pub struct Territory {
    /// The id records use (`ML-8`, `timbuktu`).
    pub id: String,
    /// Region, town, …
    pub kind: Kind,
    /// Names per language.
    pub names: Names,
    /// Its geometry.
    pub shape: Shape,
    /// A preferred label position, when the data gives one.
    pub label_at: Option<Coord<f64>>,
    /// The file it was read from, as named in messages.
    pub file: String,
    /// The line where it starts in that file.
    pub line: usize,
    /// For a town, how far its control reaches (`radius_km` in `places.csv`), when given.
    pub radius_km: Option<f64>,
}

impl Territory {
    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        self.names.get(lang)
    }

    /// The area, for an area territory.
    pub fn area(&self) -> Option<&MultiPolygon<f64>> {
        match &self.shape {
            Shape::Area(a) => Some(a),
            Shape::Point(_) => None,
        }
    }

    /// The point, for a point territory.
    pub fn point(&self) -> Option<Coord<f64>> {
        match &self.shape {
            Shape::Point(p) => Some(*p),
            Shape::Area(_) => None,
        }
    }

    /// Whether it is a region.
    pub fn is_region(&self) -> bool {
        self.kind == Kind::Region
    }

    /// The rank of a town.
    pub fn town_rank(&self) -> Option<TownRank> {
        match self.kind {
            Kind::Town(r) => Some(r),
            Kind::Region | Kind::Zone | Kind::Snapshot => None,
        }
    }
}
