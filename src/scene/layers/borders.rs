//! Borders: thin white lines between regions and a dark line around the country.

use super::super::hatch::rings_of;
use super::super::style::{Style, colours};
use super::super::{Item, Layer};
use super::AreaGeom;

/// The white borders between the mapped areas.
pub fn region_borders(areas: &[AreaGeom], style: &Style) -> Layer {
    let lines = areas.iter().flat_map(|a| a.rings.iter().cloned()).collect();
    Layer::with_items(
        "region-borders",
        vec![Item::stroke(
            lines,
            true,
            colours::INNER_BORDER,
            style.inner_border,
        )],
    )
}

/// The outline of the union of the mapped areas.
pub fn national_border(areas: &[AreaGeom], style: &Style) -> Layer {
    let union = geo::unary_union(areas.iter().map(|a| &a.px));
    Layer::with_items(
        "national-border",
        vec![Item::stroke(
            rings_of(&union),
            true,
            colours::NATIONAL_BORDER,
            style.national_border,
        )],
    )
}

#[cfg(test)]
mod tests {

    use geo::{MultiPolygon, polygon};

    use super::*;
    use crate::territory::TerritoryId;

    /// Two squares side by side, sharing the edge x = 10.
    fn two_regions() -> Vec<AreaGeom> {
        let square = |i: usize, x0: f64| {
            let px = MultiPolygon::new(vec![polygon![
                (x: x0, y: 0.0), (x: x0 + 10.0, y: 0.0), (x: x0 + 10.0, y: 10.0), (x: x0, y: 10.0)
            ]]);
            AreaGeom::new(TerritoryId(i), &format!("R-{i}"), px, 4.0)
        };
        vec![square(0, 0.0), square(1, 10.0)]
    }

    fn stroke(layer: &Layer) -> (&[crate::scene::Ring], crate::colour::Rgba, f32) {
        match layer.items.as_slice() {
            [
                Item::Stroke {
                    lines,
                    closed: true,
                    colour,
                    width,
                    ..
                },
            ] => (lines.as_slice(), *colour, *width),
            other => panic!("one closed stroke expected, got {other:?}"),
        }
    }

    #[test]
    fn region_borders_outline_every_region_in_the_inner_colour() {
        let style = Style::for_frame(1600, 1200);
        let layer = region_borders(&two_regions(), &style);
        assert_eq!(layer.name, "region-borders");
        let (lines, colour, width) = stroke(&layer);
        assert_eq!(lines.len(), 2, "one ring per region");
        assert_eq!(colour, colours::INNER_BORDER);
        assert_eq!(width, style.inner_border);
    }

    #[test]
    fn the_national_border_follows_the_outside_only_and_is_heavier() {
        let style = Style::for_frame(1600, 1200);
        let layer = national_border(&two_regions(), &style);
        assert_eq!(layer.name, "national-border");
        let (lines, colour, width) = stroke(&layer);
        assert_eq!(lines.len(), 1, "the union has one outline");
        assert_eq!(colour, colours::NATIONAL_BORDER);
        assert!(
            width > style.inner_border,
            "{width} vs {}",
            style.inner_border
        );
        // The shared edge x = 10 lies inside the country: no vertex of the outline sits on it
        // away from the outer edges.
        let inner = lines[0]
            .iter()
            .filter(|p| p[0] == 10.0 && p[1] > 0.0 && p[1] < 10.0)
            .count();
        assert_eq!(inner, 0, "{:?}", lines[0]);
        let xs: Vec<f32> = lines[0].iter().map(|p| p[0]).collect();
        let (lo, hi) = xs
            .iter()
            .fold((f32::MAX, f32::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        assert_eq!((lo, hi), (0.0, 20.0), "spans both regions");
    }
}
