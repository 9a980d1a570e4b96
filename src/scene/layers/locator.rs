//! The locator inset: a small map of the continent with the mapped country in dark ink, so that
//! a reader who does not know where the country lies finds it at a glance.

use geo::{BoundingRect, Coord, MapCoords, MultiPolygon, Rect};

use super::super::hatch::rings_of;
use super::super::placement::simplify_px;
use super::super::style::{Style, colours};
use super::super::{Bounds, Item, Layer};
use crate::dataset::Dataset;

/// What the inset shows, in longitude/latitude degrees.
#[derive(Debug, Clone)]
pub struct Locator {
    /// The continent's countries.
    pub countries: Vec<MultiPolygon<f64>>,
    /// The mapped country: the union of the dataset's regions.
    pub country: MultiPolygon<f64>,
}

impl Locator {
    /// The inset of a dataset, when it has a locator file with some countries in it.
    pub fn of(dataset: &Dataset) -> Option<Locator> {
        let countries: Vec<_> = dataset
            .context
            .locator
            .iter()
            .map(|o| o.geometry.clone())
            .collect();
        if countries.is_empty() {
            return None;
        }
        Some(Locator {
            countries,
            country: crate::dataset::zones::country(&dataset.territories),
        })
    }

    /// The extent of the countries, widened to include the mapped country.
    fn extent(&self) -> Option<Rect<f64>> {
        self.countries
            .iter()
            .chain(std::iter::once(&self.country))
            .filter_map(BoundingRect::bounding_rect)
            .reduce(crate::scene::placement::union_rect)
    }
}

/// The inset drawn with its top-left corner at the origin, and its box. Degrees are drawn
/// plate carrée with longitudes shortened by the cosine of the middle latitude: at this size
/// any projection reads the same, and this one needs no proj string from the dataset.
pub fn inset(locator: &Locator, style: &Style) -> Option<(Layer, Bounds)> {
    let extent = locator.extent()?;
    let k = extent.center().y.to_radians().cos().max(0.2);
    let (dx, dy) = (extent.width() * k, extent.height());
    if dx <= 0.0 || dy <= 0.0 {
        return None;
    }
    let pad = f64::from(style.locator_pad);
    let scale = f64::from(style.locator_side) / dx.max(dy);
    let (w, h) = (dx * scale + 2.0 * pad, dy * scale + 2.0 * pad);
    let to_px = |c: Coord<f64>| Coord {
        x: pad + (c.x - extent.min().x) * k * scale,
        y: pad + (extent.max().y - c.y) * scale,
    };
    let frame = Bounds::xywh(0.0, 0.0, w as f32, h as f32);
    // Opaque, unlike the legend's box: nothing of the map shows through a map of its own, and
    // the frame path's cached overlay blends an opaque block exactly.
    let mut items = vec![
        Item::fill(vec![frame.ring()], colours::WHITE),
        Item::stroke(
            vec![frame.ring()],
            true,
            colours::LEGEND_EDGE,
            style.land_edge,
        ),
    ];
    let mut edges = Vec::new();
    for c in &locator.countries {
        let rings = rings_of(&simplify_px(&c.map_coords(to_px)));
        edges.extend(rings.iter().cloned());
        items.push(Item::fill(rings, colours::LAND));
    }
    items.push(Item::stroke(
        edges,
        true,
        colours::LAND_EDGE,
        style.locator_edge,
    ));
    let country = rings_of(&simplify_px(&locator.country.map_coords(to_px)));
    items.push(Item::fill(country, colours::NATIONAL_BORDER));
    Some((Layer::with_items("locator", items), frame))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x: f64, y: f64, side: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + side, y: y), (x: x + side, y: y + side), (x: x, y: y + side)
        ]])
    }

    #[test]
    fn the_country_is_drawn_last_in_ink_inside_the_inset_box() {
        let locator = Locator {
            countries: vec![square(-20.0, -35.0, 70.0), square(-5.0, 10.0, 10.0)],
            country: square(-5.0, 10.0, 10.0),
        };
        let style = Style::for_frame(1600, 1200);
        let (layer, b) = inset(&locator, &style).unwrap();
        assert_eq!(layer.name, "locator");
        let side = (b.x1 - b.x0).max(b.y1 - b.y0);
        assert!(
            (side - style.locator_side - 2.0 * style.locator_pad).abs() < 0.5,
            "{b:?}"
        );
        let Some(Item::Fill { rings, colour, .. }) = layer.items.last() else {
            panic!("the country is a fill on top")
        };
        assert_eq!(*colour, colours::NATIONAL_BORDER);
        assert!(rings.iter().flatten().all(|p| {
            b.x0 + style.locator_pad - 0.5 <= p[0]
                && p[0] <= b.x1 - style.locator_pad + 0.5
                && b.y0 <= p[1]
                && p[1] <= b.y1
        }));
        // North is up: the country (10-20°N) lies in the upper half of a continent 35°S-35°N.
        let top = rings
            .iter()
            .flatten()
            .map(|p| p[1])
            .fold(f32::MAX, f32::min);
        assert!(top < (b.y0 + b.y1) / 2.0);
    }

    #[test]
    fn no_countries_no_inset() {
        let locator = Locator {
            countries: vec![],
            country: MultiPolygon::new(vec![]),
        };
        assert!(inset(&locator, &Style::for_frame(800, 600)).is_none());
    }
}
