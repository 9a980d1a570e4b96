//! The composed control geometry in pixels: each region less the areas of its towns that hold
//! their own record on a date, and those town areas. Town areas are projected once; each set of
//! active town areas is composed once and cached, however many frames draw it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use geo::{BooleanOps, MapCoords, MultiPolygon};

use super::layers::AreaGeom;
use super::placement::simplify_px;
use super::style::Style;
use crate::compose::{Active, Reaches};
use crate::dataset::Dataset;
use crate::project::{Fit, Projection};
use crate::territory::TerritoryId;
use crate::timeline::State;

/// The drawn ground of each state of one layout.
#[derive(Debug, Clone)]
pub struct Pieces {
    reaches: Arc<Reaches>,
    regions: Vec<AreaGeom>,
    towns: Vec<Option<AreaGeom>>,
    stripe: f64,
    cache: Arc<Mutex<HashMap<Active, Arc<Vec<AreaGeom>>>>>,
}

/// An area's rings in pixels; its hatching is clipped when first drawn.
pub fn area_geom(territory: TerritoryId, id: &str, px: MultiPolygon<f64>, stripe: f64) -> AreaGeom {
    AreaGeom::new(territory, id, px, stripe)
}

impl Pieces {
    /// The towns' reaches the pieces are cut from.
    pub fn reaches(&self) -> &Arc<Reaches> {
        &self.reaches
    }

    /// The pieces of a layout whose regions are already in pixels.
    pub fn new(
        dataset: &Dataset,
        reaches: Arc<Reaches>,
        regions: Vec<AreaGeom>,
        projection: &Projection,
        fit: &Fit,
        style: &Style,
    ) -> Pieces {
        let stripe = f64::from(style.stripe);
        let towns = (0..dataset.territories.len())
            .map(|i| {
                let t = TerritoryId(i);
                let ll = reaches.area(t)?;
                let px = projection
                    .forward_multipolygon(ll)
                    .map_coords(|c| fit.to_px(c));
                Some(area_geom(
                    t,
                    &dataset.territory(t).id,
                    simplify_px(&px),
                    stripe,
                ))
            })
            .collect();
        Pieces {
            reaches,
            regions,
            towns,
            stripe,
            cache: Arc::default(),
        }
    }

    /// The regions, whole.
    pub fn regions(&self) -> &[AreaGeom] {
        &self.regions
    }

    /// A town's area (or a zone's, a snapshot polygon's), when it has one.
    pub fn town(&self, t: TerritoryId) -> Option<&AreaGeom> {
        self.towns.get(t.0)?.as_ref()
    }

    /// Which town areas the state draws.
    pub fn active(&self, state: &State) -> Active {
        Active::of(&self.reaches, state)
    }

    /// The ground drawn on the state's date: regions less their active town areas, then the
    /// active town areas.
    pub fn of(&self, state: &State) -> Arc<Vec<AreaGeom>> {
        let active = self.active(state);
        if let Some(p) = self.cache.lock().ok().and_then(|c| c.get(&active).cloned()) {
            return p;
        }
        let composed = Arc::new(self.compose(&active));
        if let Ok(mut c) = self.cache.lock() {
            c.insert(active, composed.clone());
        }
        composed
    }

    fn compose(&self, active: &Active) -> Vec<AreaGeom> {
        use rayon::prelude::*;
        // Each region, zone or snapshot polygon less the active areas over it: independent
        // boolean operations, done in parallel and kept in order.
        let less_above = |ground: &AreaGeom| -> AreaGeom {
            let cut: Vec<&AreaGeom> = self
                .reaches
                .above(ground.territory)
                .iter()
                .filter(|t| active.has(**t))
                .filter_map(|t| self.town(*t))
                .collect();
            if cut.is_empty() {
                return ground.clone();
            }
            let holes = cut
                .iter()
                .fold(MultiPolygon::new(vec![]), |acc, a| acc.union(&a.px));
            let rest = ground.px.difference(&holes);
            area_geom(ground.territory, &ground.id, rest, self.stripe)
        };
        let mut out: Vec<AreaGeom> = self.regions.par_iter().map(less_above).collect();
        let layers: Vec<&AreaGeom> = self
            .reaches
            .layers()
            .iter()
            .filter_map(|&z| self.town(z).filter(|_| active.has(z)))
            .collect();
        out.par_extend(layers.into_par_iter().map(less_above));
        let layers = self.reaches.layers();
        out.extend(
            self.towns
                .iter()
                .flatten()
                .filter(|t| active.has(t.territory) && !layers.contains(&t.territory))
                .cloned(),
        );
        out
    }

    /// Whether a territory's drawn shape differs between two states (a region whose towns' areas
    /// came or went).
    pub fn reshaped(&self, t: TerritoryId, a: &Active, b: &Active) -> bool {
        self.reaches
            .above(t)
            .iter()
            .any(|over| a.has(*over) != b.has(*over))
    }
}
