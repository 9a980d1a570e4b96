//! The control geometry of a state: which piece of ground each territory holds on a date.
//!
//! A town with a record in force holds the area around it: the part of its region within its
//! radius that is nearer to it than to any other recorded town of that region (a nearest-town
//! partition in the projected plane, fixed for the dataset). Precedence runs from the most
//! specific: a town's area, then a zone or snapshot polygon (the one listed later on top), then
//! the region's own record. Where a town or zone has no record in force its ground falls back to
//! what lies under it.

pub mod reach;

use std::sync::Arc;

use geo::{BooleanOps, GeodesicArea, MultiPolygon};

use crate::dataset::Dataset;
use crate::error::Result;
use crate::territory::TerritoryId;
use crate::timeline::State;

pub use reach::Reaches;

/// One piece of drawn ground and the territory whose record decides its colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The territory whose record colours it.
    pub territory: TerritoryId,
    /// The ground, in longitude/latitude degrees.
    pub geometry: Arc<MultiPolygon<f64>>,
    /// Its geodesic area in km².
    pub area_km2: f64,
    /// The areas cut out of it (town areas and layers with a record in force): its shape is the
    /// same wherever these are.
    pub cut: Vec<TerritoryId>,
}

/// The territories whose own geometry is drawn on a state: the regions, and the towns, zones
/// and snapshot polygons with a record in force (their areas cut out of what lies under them).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Active(pub Vec<bool>);

impl Active {
    /// Which town areas a state draws.
    pub fn of(reaches: &Reaches, state: &State) -> Active {
        Active(
            (0..reaches.len())
                .map(|i| {
                    reaches.area(TerritoryId(i)).is_some() && state.get(TerritoryId(i)).is_some()
                })
                .collect(),
        )
    }

    /// Whether territory `t`'s area is drawn.
    pub fn has(&self, t: TerritoryId) -> bool {
        self.0.get(t.0).copied().unwrap_or(false)
    }
}

/// The composed control geometry for one set of active town areas.
#[derive(Debug, Clone, PartialEq)]
pub struct Composition {
    /// Every drawn piece: regions (less what is active over them) first, then zones and snapshot
    /// polygons (less what is active over them), then town areas.
    pub pieces: Vec<Piece>,
}

impl Composition {
    /// Composes the ground drawn when the `active` town areas hold their own control.
    pub fn new(dataset: &Dataset, reaches: &Reaches, active: &Active) -> Composition {
        let mut pieces = Vec::new();
        for (r, region) in dataset.regions() {
            let Some(area) = region.area() else { continue };
            let cut: Vec<TerritoryId> = reaches
                .above(r)
                .iter()
                .copied()
                .filter(|t| active.has(*t))
                .collect();
            let (geometry, area_km2) = if cut.is_empty() {
                (area.clone(), reaches.region_km2(r))
            } else if cut.iter().any(|t| reaches.layers().contains(t)) {
                // A zone may reach over the region's edge: measure what is left.
                let rest = drop_slivers(area.difference(&union_of(reaches, &cut)));
                let km2 = geodesic_km2(&rest);
                (rest, km2)
            } else {
                let holes = cut
                    .iter()
                    .filter_map(|t| reaches.area(*t))
                    .fold(MultiPolygon::new(vec![]), |acc, a| acc.union(a));
                // The towns' areas lie inside the region and do not overlap, so the rest's area
                // is the region's less theirs (no second geodesic integral over a clipped outline).
                let km2 = reaches.region_km2(r) - cut.iter().map(|t| reaches.km2(*t)).sum::<f64>();
                (drop_slivers(area.difference(&holes)), km2.max(0.0))
            };
            pieces.push(Piece {
                territory: r,
                geometry: Arc::new(geometry),
                area_km2,
                cut,
            });
        }
        for &z in reaches.layers() {
            let (true, Some(a)) = (active.has(z), reaches.area(z)) else {
                continue;
            };
            let cut: Vec<TerritoryId> = reaches
                .above(z)
                .iter()
                .copied()
                .filter(|t| active.has(*t))
                .collect();
            let (geometry, area_km2) = if cut.is_empty() {
                (a.clone(), reaches.km2(z))
            } else {
                let rest = drop_slivers(a.difference(&union_of(reaches, &cut)));
                let km2 = geodesic_km2(&rest);
                (rest, km2)
            };
            if !geometry.0.is_empty() {
                pieces.push(Piece {
                    territory: z,
                    geometry: Arc::new(geometry),
                    area_km2,
                    cut,
                });
            }
        }
        for (t, _) in dataset.towns() {
            if let (true, Some(a)) = (active.has(t), reaches.area(t)) {
                pieces.push(Piece {
                    territory: t,
                    geometry: Arc::new(a.clone()),
                    area_km2: reaches.km2(t),
                    cut: Vec::new(),
                });
            }
        }
        Composition { pieces }
    }

    /// The area each territory's record decides on this composition, indexed by territory id.
    pub fn effective_km2(&self, territories: usize) -> Vec<f64> {
        let mut out = vec![0.0; territories];
        for p in &self.pieces {
            if let Some(x) = out.get_mut(p.territory.0) {
                *x += p.area_km2;
            }
        }
        out
    }
}

/// The union of the areas of `ts`.
fn union_of(reaches: &Reaches, ts: &[TerritoryId]) -> MultiPolygon<f64> {
    ts.iter()
        .filter_map(|t| reaches.area(*t))
        .fold(MultiPolygon::new(vec![]), |acc, a| acc.union(a))
}

/// Parts of a boolean operation's result too small to be ground (under about 10 m²): the
/// crumbs left where a town's area follows the region's edge.
fn drop_slivers(mp: MultiPolygon<f64>) -> MultiPolygon<f64> {
    use geo::Area;
    MultiPolygon::new(
        mp.0.into_iter()
            .filter(|p| p.unsigned_area() > 1e-9)
            .collect(),
    )
}

/// The geodesic area of a multipolygon in km².
pub fn geodesic_km2(mp: &MultiPolygon<f64>) -> f64 {
    mp.geodesic_area_unsigned() / 1e6
}

/// Compositions cached per set of active town areas: a state's geometry is computed once, however
/// many frames or reports draw it.
#[derive(Debug, Default)]
pub struct Cache {
    map: std::sync::Mutex<std::collections::HashMap<Active, Arc<Composition>>>,
}

impl Cache {
    /// The composition of `state`, computed on first use.
    pub fn get(&self, dataset: &Dataset, reaches: &Reaches, state: &State) -> Arc<Composition> {
        let active = Active::of(reaches, state);
        if let Ok(map) = self.map.lock()
            && let Some(c) = map.get(&active)
        {
            return c.clone();
        }
        let c = Arc::new(Composition::new(dataset, reaches, &active));
        if let Ok(mut map) = self.map.lock() {
            map.insert(active, c.clone());
        }
        c
    }
}

/// The reaches of a dataset's towns and an empty cache, ready for composing states.
pub fn prepare(dataset: &Dataset) -> Result<(Reaches, Cache)> {
    Ok((Reaches::new(dataset)?, Cache::default()))
}
