//! Neighbouring land: each neighbour filled in the land colour, with their common edges.

use super::super::hatch::rings_of;
use super::super::style::{Style, colours};
use super::super::{Item, Layer};

/// One neighbour clipped to the frame, in pixels.
#[derive(Debug, Clone)]
pub struct Neighbour {
    /// Its id, for SVG.
    pub id: String,
    /// Its outline in pixels.
    pub px: geo::MultiPolygon<f64>,
}

/// The neighbours' fills and edges.
pub fn land(neighbours: &[Neighbour], style: &Style) -> Layer {
    let mut items = Vec::with_capacity(neighbours.len() + 1);
    let mut edges = Vec::new();
    for n in neighbours {
        let rings = rings_of(&n.px);
        edges.extend(rings.iter().cloned());
        items.push(Item::fill(rings, colours::LAND).with_id(Some(n.id.clone())));
    }
    items.push(Item::stroke(
        edges,
        true,
        colours::LAND_EDGE,
        style.land_edge,
    ));
    Layer::with_items("neighbours", items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{MultiPolygon, polygon};

    #[test]
    fn each_neighbour_is_one_fill_with_its_id_under_one_edge_stroke() {
        let square = MultiPolygon::new(vec![
            polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 0.0)],
        ]);
        let ns = vec![
            Neighbour {
                id: "NE".into(),
                px: square.clone(),
            },
            Neighbour {
                id: "DZ".into(),
                px: square,
            },
        ];
        let layer = land(&ns, &Style::for_frame(800, 600));
        assert_eq!(layer.items.len(), 3);
        assert!(
            matches!(&layer.items[0], Item::Fill { id: Some(id), colour, .. } if id == "NE" && *colour == colours::LAND)
        );
        assert!(matches!(layer.items[2], Item::Stroke { .. }));
    }
}
