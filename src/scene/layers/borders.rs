//! Borders: thin white lines between regions and a dark line around the country.

use super::super::hatch::rings_of;
use super::super::style::{colours, Style};
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
