//! The names written on the map: regions, towns and neighbours, each with its candidate
//! positions, placed by the one placer around the legend, the scale bar and the markers.

use geo::{Area, BoundingRect, InteriorPoint};

use super::super::placement::Furniture;
use super::super::style::{Style, colours};
use super::super::text::text_width;
use super::super::{Align, Bounds, Layer, TextStyle};
use super::labels::{LabelRequest, around, place, text_bounds};
use super::{AreaGeom, PointGeom, label_meta};
use crate::dataset::Dataset;
use crate::lang::Lang;
use crate::project::Projection;
use crate::territory::TownRank;

/// Region labels at an interior point of their largest part, nudged off town markers and,
/// where they can, away from the region's capital: "MOPTI" right by "Mopti" reads as a pile.
fn region_label_requests(
    dataset: &Dataset,
    areas: &[AreaGeom],
    towns: &[PointGeom],
    style: &Style,
    lang: Lang,
) -> Vec<LabelRequest> {
    let size = style.region_label;
    areas
        .iter()
        .map(|g| {
            let name = dataset.territory(g.territory).name(lang).to_uppercase();
            let largest =
                g.px.0
                    .iter()
                    .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
            let candidates =
                largest.map_or_else(Vec::new, |l| region_candidates(&name, l, towns, size));
            LabelRequest {
                text: name,
                style: TextStyle::new(size, colours::INK)
                    .bold()
                    .aligned(Align::Middle)
                    .halo(colours::HALO),
                candidates,
                frame: None,
                clearance: 0.0,
                always: false,
                meta: label_meta(dataset.territory(g.territory), lang),
            }
        })
        .collect()
}

/// A label position: x, baseline y, alignment.
type Candidate = (f32, f32, Align);

/// Where a region's name may go: on lines above and below an interior point of its largest
/// part, where the name fits the part's width. Preferred: wholly inside the part and away from
/// the region's capitals; then away from them with only the middle inside; then near them.
fn region_candidates(
    name: &str,
    largest: &geo::Polygon<f64>,
    towns: &[PointGeom],
    size: f32,
) -> Vec<Candidate> {
    use geo::Contains;
    let half = text_width(name, size, true) / 2.0;
    let fits = largest
        .bounding_rect()
        .is_some_and(|bb| f64::from(2.0 * half) <= bb.width() * 0.9);
    let Some(ip) = largest.interior_point().filter(|_| fits) else {
        return Vec::new();
    };
    let inside = |x: f32, y: f32| largest.contains(&geo::Point::new(f64::from(x), f64::from(y)));
    let capitals: Vec<[f32; 2]> = towns
        .iter()
        .filter(|t| t.rank != TownRank::Town && inside(t.at[0], t.at[1]))
        .map(|t| t.at)
        .collect();
    let (cx, cy) = (ip.x() as f32, ip.y() as f32);
    // (near a capital, not wholly inside) ranks each candidate: false first.
    let mut ranked: Vec<((bool, bool), Candidate)> = Vec::new();
    for k in [0.0, -1.6, 1.6, -3.2, 3.2] {
        let y = cy + k * size;
        if !inside(cx, y - size * 0.35) {
            continue;
        }
        // Both ends and the middle, at cap height and on the baseline.
        let whole = [-half, 0.0, half]
            .iter()
            .all(|dx| [0.0, size * 0.7].iter().all(|dy| inside(cx + dx, y - dy)));
        let near = capitals.iter().any(|at| {
            (y - size * 0.35 - at[1]).abs() < 2.2 * size && (cx - at[0]).abs() < half + 5.0 * size
        });
        ranked.push(((near, !whole), (cx, y, Align::Middle)));
    }
    ranked.sort_by_key(|r| r.0);
    ranked.into_iter().map(|r| r.1).collect()
}

/// Town labels, most important first, around their markers.
fn town_label_requests(
    dataset: &Dataset,
    towns: &[PointGeom],
    style: &Style,
    lang: Lang,
    frame: Bounds,
) -> Vec<LabelRequest> {
    let mut order: Vec<&PointGeom> = towns.iter().collect();
    order.sort_by_key(|g| (g.rank, g.territory));
    order
        .into_iter()
        .map(|g| {
            let rank = match g.rank {
                TownRank::Capital => 0,
                TownRank::RegionalCapital => 1,
                TownRank::Town => 2,
            };
            let size = style.town_labels[rank];
            let mut text = TextStyle::new(size, colours::INK).halo(colours::HALO);
            text.bold = g.rank != TownRank::Town;
            let radius = style.marker_radius(g.rank == TownRank::Capital);
            let territory = dataset.territory(g.territory);
            LabelRequest {
                text: territory.name(lang).to_string(),
                style: text,
                candidates: around(g.at, radius, size),
                frame: Some(frame),
                clearance: 1.0,
                always: false,
                meta: label_meta(territory, lang),
            }
        })
        .collect()
}

/// Shifts tried, in order, for a neighbour's name that would run under the mapped country's
/// fill (it is drawn beneath it): in widths and line heights of the name.
const NEIGHBOUR_SHIFTS: [(f32, f32); 7] = [
    (0.0, 0.0),
    (-0.5, 0.0),
    (0.5, 0.0),
    (0.0, -1.5),
    (0.0, 1.5),
    (-1.0, 0.0),
    (1.0, 0.0),
];

/// Neighbour names at their label points where they fit, in the land's muted ink; a name the
/// mapped regions would cover moves aside, or is left out rather than drawn half hidden.
fn neighbour_label_requests(
    dataset: &Dataset,
    projection: &Projection,
    furniture: &Furniture,
    style: &Style,
    lang: Lang,
    map_frame: Bounds,
) -> Vec<LabelRequest> {
    let size = style.neighbour_label;
    dataset
        .neighbours
        .iter()
        .filter_map(|n| {
            let at = furniture
                .fit
                .to_px(n.label_at.and_then(|c| projection.forward(c.x, c.y))?);
            let text = n.name(lang).to_uppercase();
            let (x, y) = (at.x as f32, at.y as f32);
            let b = text_bounds(&text, size, false, x, y, Align::Middle);
            let (w, h) = (b.x1 - b.x0, b.y1 - b.y0);
            let candidates: Vec<(f32, f32, Align)> = NEIGHBOUR_SHIFTS
                .iter()
                .map(|(dx, dy)| (x + dx * w, y + dy * h, Align::Middle))
                .filter(|(cx, cy, _)| {
                    let c = text_bounds(&text, size, false, *cx, *cy, Align::Middle);
                    furniture.cover.fraction(&c) == 0.0
                })
                .collect();
            (!candidates.is_empty()).then(|| LabelRequest {
                text,
                style: TextStyle::new(size, colours::LAND_TEXT).aligned(Align::Middle),
                candidates,
                frame: Some(map_frame),
                clearance: 0.0,
                always: false,
                meta: None,
            })
        })
        .collect()
}

/// What no label may cover: the legend, scale bar and locator (with a margin), and the bands
/// above and below the map (header and footer).
fn furniture_obstacles(
    furniture: &Furniture,
    style: &Style,
    (w, h, map_frame): (f32, f32, Bounds),
) -> Vec<Bounds> {
    let mut obstacles = vec![
        furniture.legend.1.grow(style.obstacle_pad),
        Bounds {
            x0: 0.0,
            y0: 0.0,
            x1: w,
            y1: map_frame.y0,
        },
        Bounds {
            x0: 0.0,
            y0: map_frame.y1,
            x1: w,
            y1: h,
        },
        furniture.scale.1.grow(style.obstacle_pad),
    ];
    if let Some((_, b)) = &furniture.locator {
        obstacles.push(b.grow(style.obstacle_pad));
    }
    obstacles
}

/// The placed labels: (region labels, town labels, neighbour labels, each region's label
/// anchor).
pub(crate) type PlacedLabels = (Layer, Layer, Layer, Vec<Option<[f32; 2]>>);

/// Places every label with one placer: regions first, then towns, then neighbours, around the
/// legend, the scale bar, the header and footer bands and the town markers.
#[allow(clippy::too_many_arguments)]
pub(crate) fn place_labels(
    dataset: &Dataset,
    projection: &Projection,
    furniture: &Furniture,
    areas: &[AreaGeom],
    towns: &[PointGeom],
    style: &Style,
    lang: Lang,
    (w, h, map_frame): (f32, f32, Bounds),
) -> PlacedLabels {
    let mut obstacles = furniture_obstacles(furniture, style, (w, h, map_frame));
    let marker = |p: &PointGeom| {
        let r = style.marker_radius(p.rank == TownRank::Capital);
        Bounds::xywh(p.at[0] - r, p.at[1] - r, 2.0 * r, 2.0 * r)
    };
    // The capitals' own markers are kept clear; other towns' markers only after the capitals
    // are named, so that on a small map a suburb's dot cannot leave the capital unnamed.
    obstacles.extend(
        towns
            .iter()
            .filter(|p| p.rank == TownRank::Capital)
            .map(marker),
    );
    let layer = |name: &str, requests: Vec<LabelRequest>, obstacles: &mut Vec<Bounds>| {
        let placed = place(&requests, obstacles);
        let items = requests
            .iter()
            .zip(&placed)
            .filter_map(|(r, p)| Some(r.item(p.as_ref()?)))
            .collect();
        (Layer::with_items(name, items), placed)
    };
    // The capital's name goes first: a map of a country without its capital named misleads
    // more than one whose region name moves aside.
    let mut capitals = town_label_requests(
        dataset,
        towns,
        style,
        lang,
        Bounds::xywh(0.0, 0.0, w, h).grow(-2.0),
    );
    let first_towns = towns
        .iter()
        .filter(|t| t.rank == TownRank::Capital)
        .count()
        .min(capitals.len());
    let others = capitals.split_off(first_towns);
    let (mut town_labels, _) = layer("town-labels", capitals, &mut obstacles);
    obstacles.extend(
        towns
            .iter()
            .filter(|p| p.rank != TownRank::Capital)
            .map(marker),
    );
    let (regions, anchors) = layer(
        "region-labels",
        region_label_requests(dataset, areas, towns, style, lang),
        &mut obstacles,
    );
    let (other_towns, _) = layer("town-labels", others, &mut obstacles);
    town_labels.items.extend(other_towns.items);
    let (neighbour_labels, _) = layer(
        "neighbour-labels",
        neighbour_label_requests(dataset, projection, furniture, style, lang, map_frame),
        &mut obstacles,
    );
    let anchors = anchors.iter().map(|p| p.map(|p| [p.x, p.y])).collect();
    (regions, town_labels, neighbour_labels, anchors)
}
