//! One builder per map layer. Each is a function from (state, the map's geometry, style) to
//! scene items, tested on the scene it returns; `MapLayout` only arranges them.

pub mod borders;
pub mod control;
pub mod labels;
pub mod land;
pub mod legend;
pub mod locator;
pub mod names;
pub mod relief;
pub mod scale_bar;
pub mod strip;
pub mod titles;
pub mod towns;
pub mod water;

use std::sync::{Arc, OnceLock};

use geo::MultiPolygon;

use super::hatch::{
    FINE_PERIOD, FINE_WIDTH, UNCERTAIN_PERIOD, UNCERTAIN_WIDTH, contest_lines, falling_stripes,
    rings_of, stripes,
};
use super::style::colours;
use super::{Meta, Part, Ring};
use crate::colour::Rgba;
use crate::dataset::{Confidence, Control, Dataset};
use crate::lang::Lang;
use crate::territory::{TerritoryId, TownRank};
use crate::timeline::State;

/// An area territory projected into the frame.
#[derive(Debug, Clone)]
pub struct AreaGeom {
    /// Which territory.
    pub territory: TerritoryId,
    /// Its id, for SVG.
    pub id: String,
    /// The outline in pixels (simplified below what shows).
    pub px: MultiPolygon<f64>,
    /// The outline's rings.
    pub rings: Arc<Vec<Ring>>,
    /// Its hatching patterns, clipped on first use and shared by its clones.
    hatches: Arc<Hatches>,
}

/// An area's hatching patterns. Clipping stripes to an outline is a boolean operation over
/// hundreds of bands, and most areas never show most patterns (a pattern is drawn only while
/// the area is contested, has no record or an approximate one), so each is clipped when first
/// drawn.
#[derive(Debug, Default)]
struct Hatches {
    stripe: f64,
    contest: OnceLock<[Arc<Vec<Ring>>; 2]>,
    fine: OnceLock<Arc<Vec<Ring>>>,
    uncertain: OnceLock<Arc<Vec<Ring>>>,
}

impl AreaGeom {
    /// An area in pixels whose contest stripes are `stripe` pixels wide.
    pub fn new(territory: TerritoryId, id: &str, px: MultiPolygon<f64>, stripe: f64) -> AreaGeom {
        AreaGeom {
            territory,
            id: id.to_string(),
            rings: Arc::new(rings_of(&px)),
            px,
            hatches: Arc::new(Hatches {
                stripe,
                ..Hatches::default()
            }),
        }
    }

    /// A contest's two sets of lines clipped to the area (the first side's, the second's).
    pub fn contest_lines(&self) -> &[Arc<Vec<Ring>>; 2] {
        self.hatches.contest.get_or_init(|| {
            contest_lines(&self.px, self.hatches.stripe).map(|lines| Arc::new(rings_of(&lines)))
        })
    }

    /// The finer no-data lines clipped to the area.
    pub fn fine_stripes(&self) -> &Arc<Vec<Ring>> {
        let s = self.hatches.stripe;
        self.hatches.fine.get_or_init(|| {
            Arc::new(rings_of(&stripes(
                &self.px,
                s * FINE_WIDTH,
                s * FINE_PERIOD,
            )))
        })
    }

    /// The faint lines over ground whose record is approximate.
    pub fn uncertain(&self) -> &Arc<Vec<Ring>> {
        let s = self.hatches.stripe;
        self.hatches.uncertain.get_or_init(|| {
            Arc::new(rings_of(&falling_stripes(
                &self.px,
                s * UNCERTAIN_WIDTH,
                s * UNCERTAIN_PERIOD,
            )))
        })
    }
}

/// A point territory (a town) projected into the frame.
#[derive(Debug, Clone, PartialEq)]
pub struct PointGeom {
    /// Which territory.
    pub territory: TerritoryId,
    /// Where, in pixels.
    pub at: [f32; 2],
    /// Its rank: symbol and label priority.
    pub rank: TownRank,
}

/// What a territory's items say about it, and the colours of controllers.
#[derive(Debug, Clone)]
pub struct Meanings {
    infos: Vec<Info>,
    index: std::collections::HashMap<String, TerritoryId>,
    faction_ids: Vec<String>,
    /// Each faction's colour, by faction index.
    pub colours: Vec<Rgba>,
}

#[derive(Debug, Clone)]
struct Info {
    id: String,
    kind: &'static str,
    name: String,
    /// (record index, confidence, reference ids) of each record about this territory.
    records: Vec<(usize, Confidence, Vec<String>)>,
}

impl Meanings {
    /// The meanings of a dataset's territories, with names in `lang`.
    pub fn new(dataset: &Dataset, lang: Lang) -> Meanings {
        let mut infos: Vec<Info> = dataset
            .territories
            .iter()
            .map(|t| Info {
                id: t.id.clone(),
                kind: t.kind.as_str(),
                name: t.name(lang).to_string(),
                records: Vec::new(),
            })
            .collect();
        for (i, r) in dataset.records.iter().enumerate() {
            if let Some(info) = infos.get_mut(r.target.0) {
                let refs = r.reference_ids().map(str::to_string).collect();
                info.records.push((i, r.confidence, refs));
            }
        }
        Meanings {
            index: infos
                .iter()
                .enumerate()
                .map(|(i, x)| (x.id.clone(), TerritoryId(i)))
                .collect(),
            infos,
            faction_ids: dataset
                .manifest
                .factions
                .iter()
                .map(|f| f.id.clone())
                .collect(),
            colours: dataset.manifest.factions.iter().map(|f| f.colour).collect(),
        }
    }

    /// What an item of `part` of territory `t` shows on the state's date.
    pub fn meta(&self, t: TerritoryId, state: &State, part: Part) -> Meta {
        let info = &self.infos[t.0];
        let held = state.get(t);
        let id_of = |f: usize| self.faction_ids.get(f).cloned().unwrap_or_default();
        let (controller, parties) = match held.map(|h| h.control) {
            Some(Control::Faction(f)) => (id_of(f), Vec::new()),
            Some(Control::Contested(p)) => (
                crate::dataset::manifest::CONTESTED.to_string(),
                p.map_or_else(Vec::new, |(a, b)| vec![id_of(a), id_of(b)]),
            ),
            None => ("no-data".to_string(), Vec::new()),
        };
        let record = held.and_then(|h| info.records.iter().find(|r| r.0 == h.record));
        Meta {
            territory: info.id.clone(),
            kind: info.kind,
            name: info.name.clone(),
            controller,
            parties,
            since: held.map(|h| h.since),
            confidence: record.map(|r| r.1),
            refs: record.map_or_else(Vec::new, |r| r.2.clone()),
            part,
        }
    }

    /// A faction's colour.
    pub fn colour(&self, faction: usize) -> Rgba {
        self.colours
            .get(faction)
            .copied()
            .unwrap_or(colours::CONTESTED_A)
    }

    /// The two sides' colours of a contest (grey ones when the record names no sides).
    pub fn contest_colours(&self, parties: Option<(usize, usize)>) -> (Rgba, Rgba) {
        parties.map_or((colours::CONTESTED_A, colours::CONTESTED_B), |(p, q)| {
            (self.colour(p), self.colour(q))
        })
    }

    /// The name of a territory.
    pub fn name(&self, t: TerritoryId) -> &str {
        &self.infos[t.0].name
    }

    /// The territory with this id.
    pub fn find(&self, id: &str) -> Option<TerritoryId> {
        self.index.get(id).copied()
    }

    /// The layers with every item's meaning brought to the state's date (static labels say who
    /// holds what they name on that date).
    pub fn refresh(&self, layers: &[super::Layer], state: &State) -> Vec<super::Layer> {
        layers
            .iter()
            .map(|l| {
                let mut l = l.clone();
                for item in &mut l.items {
                    let fresh = item.meta().and_then(|m| {
                        // A river may share an id with a territory: only a territory's own
                        // items take its meaning.
                        let t = self.find(&m.territory)?;
                        if self.infos[t.0].kind != m.kind {
                            return None;
                        }
                        Some(Arc::new(self.meta(t, state, m.part)))
                    });
                    if fresh.is_some() {
                        *item = item.clone().with_meta(fresh);
                    }
                }
                l
            })
            .collect()
    }
}

/// What a label names, before a date says who holds it: [`Meanings::refresh`] fills in the
/// controller, dates and references of each scene's state.
pub fn label_meta(t: &crate::territory::Territory, lang: Lang) -> Option<Arc<Meta>> {
    Some(Arc::new(Meta {
        territory: t.id.clone(),
        kind: t.kind.as_str(),
        name: t.name(lang).to_string(),
        controller: "no-data".to_string(),
        parties: Vec::new(),
        since: None,
        confidence: None,
        refs: Vec::new(),
        part: Part::Label,
    }))
}

/// Which territories a builder draws, and how strongly.
#[derive(Clone, Copy)]
pub struct Select<'a> {
    /// Only these territories (all when `None`).
    pub only: Option<&'a dyn Fn(TerritoryId) -> bool>,
    /// Opacity of what is drawn (cross-fades).
    pub alpha: f32,
    /// Territories whose colours fade towards the paper (the change map's unchanged ground).
    pub faded: Option<&'a dyn Fn(TerritoryId) -> bool>,
}

impl<'a> Select<'a> {
    /// Everything at full strength.
    pub const ALL: Select<'static> = Select {
        only: None,
        alpha: 1.0,
        faded: None,
    };

    /// Only the territories `only` accepts, at opacity `alpha`.
    pub fn only(only: &'a dyn Fn(TerritoryId) -> bool, alpha: f32) -> Select<'a> {
        Select {
            only: Some(only),
            alpha,
            faded: None,
        }
    }

    /// Whether `t` is drawn.
    pub fn includes(&self, t: TerritoryId) -> bool {
        self.only.is_none_or(|f| f(t))
    }

    /// A colour of territory `t` as this selection draws it.
    pub fn paint(&self, t: TerritoryId, c: Rgba) -> Rgba {
        let c = if self.faded.is_some_and(|f| f(t)) {
            colours::PAPER.mix(c.with_alpha(255), colours::FADE_KEEP)
        } else {
            c
        };
        super::style::at_alpha(c, self.alpha)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square() -> AreaGeom {
        let px = MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)
        ]]);
        AreaGeom::new(TerritoryId(0), "sq", px, 4.0)
    }

    #[test]
    fn hatching_is_clipped_when_first_drawn_and_shared_by_clones() {
        let a = square();
        let h = &a.hatches;
        assert!(h.contest.get().is_none() && h.fine.get().is_none() && h.uncertain.get().is_none());
        let b = a.clone();
        assert!(b.contest_lines().iter().all(|l| !l.is_empty()));
        for (x, y) in a.contest_lines().iter().zip(b.contest_lines()) {
            assert!(Arc::ptr_eq(x, y), "a clone clips again");
        }
        assert!(h.fine.get().is_none() && h.uncertain.get().is_none());
        assert_eq!(
            *a.uncertain().clone(),
            rings_of(&falling_stripes(&a.px, 4.0 * 0.35, 4.0 * 5.0))
        );
    }
}
