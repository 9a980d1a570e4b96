//! Water: lakes filled and rivers drawn in a quiet blue. They lie over the control colours,
//! because water is held by no one and the reader finds their bearings by it ("the land beyond
//! the Niger bend"), and under borders, markers and labels, which say more.

use std::sync::Arc;

use super::super::style::{Style, colours};
use super::super::{Item, Layer, Meta, Part, Ring};

/// The kind written for a river's items (SVG `kind-river`, ids `river-<id>`).
pub const RIVER: &str = "river";
/// The kind written for a lake's items.
pub const LAKE: &str = "lake";

/// A river projected and clipped to the frame.
#[derive(Debug, Clone, PartialEq)]
pub struct RiverGeom {
    /// Its id in the dataset.
    pub id: String,
    /// Its name in the map's language.
    pub name: String,
    /// 1 is the main river, drawn widest.
    pub rank: u8,
    /// Its course in pixels.
    pub lines: Vec<Ring>,
}

/// A lake projected and clipped to the frame.
#[derive(Debug, Clone, PartialEq)]
pub struct LakeGeom {
    /// Its id in the dataset.
    pub id: String,
    /// Its name in the map's language.
    pub name: String,
    /// Its outline in pixels.
    pub rings: Vec<Ring>,
}

/// What a water item shows: no controller, no record, only what it is.
fn meta(kind: &'static str, id: &str, name: &str, part: Part) -> Option<Arc<Meta>> {
    Some(Arc::new(Meta {
        territory: id.to_string(),
        kind,
        name: name.to_string(),
        controller: String::new(),
        parties: Vec::new(),
        since: None,
        confidence: None,
        refs: Vec::new(),
        part,
    }))
}

/// The rivers, one stroke each, the main ones drawn last so they stay whole where
/// tributaries join.
pub fn rivers(rivers: &[RiverGeom], style: &Style) -> Layer {
    let mut order: Vec<&RiverGeom> = rivers.iter().filter(|r| !r.lines.is_empty()).collect();
    order.sort_by_key(|r| std::cmp::Reverse(r.rank));
    let items = order
        .into_iter()
        .map(|r| {
            Item::stroke(
                r.lines.clone(),
                false,
                colours::WATER,
                style.river_width(r.rank),
            )
            .with_meta(meta(RIVER, &r.id, &r.name, Part::Outline))
        })
        .collect();
    Layer::with_items("rivers", items)
}

/// The lakes, each one fill. No edge: a hairline over the fill's own soft edge stacks two
/// half-covered pixels, which the frame path's cached overlay cannot blend within its
/// tolerance; the fill is dark enough to keep a small lake's shape on its own.
pub fn lakes(lakes: &[LakeGeom]) -> Layer {
    let items = lakes
        .iter()
        .filter(|l| !l.rings.is_empty())
        .map(|l| {
            Item::fill(l.rings.clone(), colours::LAKE).with_meta(meta(
                LAKE,
                &l.id,
                &l.name,
                Part::Fill,
            ))
        })
        .collect();
    Layer::with_items("lakes", items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn river(id: &str, rank: u8) -> RiverGeom {
        RiverGeom {
            id: id.into(),
            name: id.to_uppercase(),
            rank,
            lines: vec![vec![[0.0, 0.0], [10.0, 10.0]]],
        }
    }

    fn widths(layer: &Layer) -> Vec<(String, f32)> {
        layer
            .items
            .iter()
            .map(|i| match i {
                Item::Stroke {
                    width,
                    meta,
                    colour,
                    ..
                } => {
                    assert_eq!(*colour, colours::WATER);
                    (meta.as_ref().unwrap().name.clone(), *width)
                }
                other => panic!("a river is drawn as a stroke, not {other:?}"),
            })
            .collect()
    }

    #[test]
    fn rivers_are_named_and_wider_by_rank_the_main_one_on_top() {
        let style = Style::for_frame(1600, 1200);
        let layer = rivers(
            &[river("niger", 1), river("bani", 2), river("x", 3)],
            &style,
        );
        assert_eq!(layer.name, "rivers");
        let w = widths(&layer);
        assert_eq!(
            w.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            ["X", "BANI", "NIGER"]
        );
        assert!(w[0].1 < w[1].1 && w[1].1 < w[2].1, "{w:?}");
        let m = layer.items[2].meta().unwrap();
        assert_eq!((m.kind, m.territory.as_str()), (RIVER, "niger"));
        assert!(
            m.controller.is_empty() && m.since.is_none(),
            "water is held by no one"
        );
    }

    #[test]
    fn a_lake_is_a_named_fill_and_an_empty_one_is_left_out() {
        let square = vec![vec![[0.0, 0.0], [5.0, 0.0], [5.0, 5.0], [0.0, 0.0]]];
        let layer = lakes(&[
            LakeGeom {
                id: "debo".into(),
                name: "Lake Débo".into(),
                rings: square,
            },
            LakeGeom {
                id: "off-frame".into(),
                name: "Gone".into(),
                rings: Vec::new(),
            },
        ]);
        assert_eq!(layer.items.len(), 1);
        assert!(matches!(&layer.items[0], Item::Fill { colour, .. } if *colour == colours::LAKE));
        assert!(
            layer
                .items
                .iter()
                .all(|i| i.meta().unwrap().name == "Lake Débo")
        );
    }
}
