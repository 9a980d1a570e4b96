//! The map's layout, computed once per dataset and frame size: projected outlines, hatching,
//! label placement, legend, scale bar and the static layers. `MapLayout::scene` then only adds
//! what depends on the date.

use std::sync::Arc;

use geo::{Area, BoundingRect, Coord, InteriorPoint, MapCoords, MultiPolygon, Rect};

use super::hatch::{rings_of, stripes};
use super::labels::{place_labels, text_bounds, LabelRequest};
use super::text::{cap_height, text_width};
use super::{circle, half_circle, star, Align, Bounds, Item, Layer, Ring, Scene};
use crate::colour::Rgba;
use crate::dataset::{Control, Dataset, PlaceKind, Target};
use crate::date::{display_date, display_date_long, Date};
use crate::error::{Error, Result};
use crate::project::{Fit, Projection};
use crate::timeline::State;

/// Neutral styles that are not a faction's colour.
pub(crate) mod style {
    use crate::colour::Rgba;
    pub const PAPER: Rgba = Rgba::rgb(0xEE, 0xF2, 0xF5);
    pub const LAND: Rgba = Rgba::rgb(0xE3, 0xE1, 0xDC);
    pub const LAND_EDGE: Rgba = Rgba::rgb(0xB4, 0xB0, 0xA8);
    pub const LAND_TEXT: Rgba = Rgba::rgb(0x8A, 0x86, 0x7E);
    pub const NO_DATA: Rgba = Rgba::rgb(0xF4, 0xF4, 0xF2);
    pub const NO_DATA_LINES: Rgba = Rgba::rgb(0xC4, 0xC4, 0xC0);
    /// A town with no record: mid grey, so it reads apart from white-rimmed dark markers.
    pub const NO_DATA_TOWN: Rgba = Rgba::rgb(0x96, 0x96, 0x96);
    pub const CONTESTED_A: Rgba = Rgba::rgb(0x6E, 0x6E, 0x6E);
    pub const CONTESTED_B: Rgba = Rgba::rgb(0xC8, 0xC8, 0xC8);
    pub const INNER_BORDER: Rgba = Rgba::rgb(0xFF, 0xFF, 0xFF);
    pub const NATIONAL_BORDER: Rgba = Rgba::rgb(0x2B, 0x2B, 0x2B);
    pub const INK: Rgba = Rgba::rgb(0x1E, 0x1E, 0x1E);
    pub const SOFT_INK: Rgba = Rgba::rgb(0x55, 0x55, 0x55);
    pub const WHITE: Rgba = Rgba::rgb(0xFF, 0xFF, 0xFF);
    pub const HALO: Rgba = Rgba {
        r: 0xFF,
        g: 0xFF,
        b: 0xFF,
        a: 0xE0,
    };
}

/// What the layout is for.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// French labels.
    pub french: bool,
    /// Reserve a timeline strip for this span (animation frames).
    pub strip: Option<(Date, Date)>,
    /// A small map for small multiples: no title, legend, scale bar or credit, one date line.
    pub compact: bool,
}

impl MapOptions {
    /// A plain map of the given size in English.
    pub fn new(width: u32, height: u32) -> MapOptions {
        MapOptions {
            width,
            height,
            french: false,
            strip: None,
            compact: false,
        }
    }
}

/// Largest side accepted for a map, in pixels.
pub const MAX_SIDE: u32 = 16384;

#[derive(Debug, Clone)]
struct RegionGeom {
    id: String,
    rings: Arc<Vec<Ring>>,
    stripes: Arc<Vec<Ring>>,
    fine_stripes: Arc<Vec<Ring>>,
}

#[derive(Debug, Clone)]
struct PlaceGeom {
    at: [f32; 2],
    kind: PlaceKind,
}

/// Where the timeline strip sits and which span it shows.
#[derive(Debug, Clone, Copy)]
struct Strip {
    from: Date,
    to: Date,
    x0: f32,
    x1: f32,
    axis_y: f32,
}

impl Strip {
    fn x_of(&self, d: Date) -> f32 {
        let span = (self.to - self.from).get_days().max(1) as f32;
        let t = ((d - self.from).get_days() as f32 / span).clamp(0.0, 1.0);
        self.x0 + (self.x1 - self.x0) * t
    }
}

/// Everything about a map that does not depend on the date.
#[derive(Debug, Clone)]
pub struct MapLayout {
    options: MapOptions,
    unit: f32,
    text_unit: f32,
    colours: Vec<Rgba>,
    regions: Vec<RegionGeom>,
    places: Vec<Option<PlaceGeom>>,
    marker_radius: f32,
    subtitle_at: (f32, f32),
    caption_at: (f32, f32),
    title: String,
    french: bool,
    events: Vec<(Date, String)>,
    strip: Option<Strip>,
    underlay: Arc<Vec<Layer>>,
    overlay: Arc<Vec<Layer>>,
    region_label_at: Vec<Option<[f32; 2]>>,
    /// The fitted projection, for callers that place more things on the map.
    pub fit: Fit,
}

/// The fraction of a box that lies over the mapped regions, from a grid of sample points.
fn covered_fraction(regions: &[MultiPolygon<f64>], b: &Bounds) -> f32 {
    use geo::Intersects;
    let (nx, ny) = (16, 10);
    let mut hits = 0;
    for i in 0..nx {
        for j in 0..ny {
            let x = b.x0 + (b.x1 - b.x0) * (i as f32 + 0.5) / nx as f32;
            let y = b.y0 + (b.y1 - b.y0) * (j as f32 + 0.5) / ny as f32;
            let p = geo::Point::new(f64::from(x), f64::from(y));
            if regions.iter().any(|r| r.intersects(&p)) {
                hits += 1;
            }
        }
    }
    hits as f32 / (nx * ny) as f32
}

/// Drops vertices that move the outline by less than a third of a pixel: invisible, and it
/// spares the rasteriser most of the edges of detailed outlines.
fn simplify_px(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    use geo::Simplify;
    mp.simplify(0.33)
}

/// The credit line: the dataset's attribution, shrunk to `max_width` rather than running off it.
pub(crate) fn credit_layer(
    dataset: &Dataset,
    x: f32,
    baseline: f32,
    size: f32,
    max_width: f32,
) -> Layer {
    let mut credit = Layer::new("credit");
    let credit_text = format!("{}  Map: controlmap.", dataset.manifest.attribution.trim());
    let fitted = size.min(size * max_width / text_width(&credit_text, size, false).max(1.0));
    credit.items.push(text(
        x,
        baseline,
        &credit_text,
        fitted,
        false,
        style::SOFT_INK,
        Align::Start,
        None,
    ));
    credit
}

/// A scale-bar label: kilometres, or metres below one kilometre.
fn distance(km: f32, unit: bool) -> String {
    let (v, u) = if km >= 1.0 {
        (km, "km")
    } else {
        (km * 1000.0, "m")
    };
    let v = if (v - v.round()).abs() < 1e-3 {
        format!("{}", v.round())
    } else {
        format!("{v:.1}")
    };
    if unit {
        format!("{v} {u}")
    } else {
        v
    }
}

/// A layer moved by (dx, dy) pixels.
pub(crate) fn translate(mut layer: Layer, dx: f32, dy: f32) -> Layer {
    let shift = |rings: &Arc<Vec<Ring>>| {
        Arc::new(
            rings
                .iter()
                .map(|r| r.iter().map(|p| [p[0] + dx, p[1] + dy]).collect())
                .collect::<Vec<Ring>>(),
        )
    };
    for item in &mut layer.items {
        match item {
            Item::Fill { rings, .. } => *rings = shift(rings),
            Item::Stroke { lines, .. } => *lines = shift(lines),
            Item::Text { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
        }
    }
    layer
}

fn to_px(mp: &MultiPolygon<f64>, projection: &Projection, fit: &Fit) -> MultiPolygon<f64> {
    projection
        .forward_multipolygon(mp)
        .map_coords(|c| fit.to_px(c))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn text(
    x: f32,
    y: f32,
    s: &str,
    size: f32,
    bold: bool,
    colour: Rgba,
    align: Align,
    halo: Option<Rgba>,
) -> Item {
    Item::Text {
        x,
        y,
        text: s.to_string(),
        size,
        bold,
        colour,
        align,
        halo,
    }
}

fn fill(id: Option<String>, rings: Vec<Ring>, colour: Rgba) -> Item {
    Item::Fill {
        id,
        rings: Arc::new(rings),
        colour,
    }
}

fn stroke(lines: Vec<Ring>, closed: bool, colour: Rgba, width: f32) -> Item {
    Item::Stroke {
        lines: Arc::new(lines),
        closed,
        colour,
        width,
    }
}

impl MapLayout {
    /// Projects and lays out a dataset's map for a frame size.
    pub fn new(dataset: &Dataset, options: &MapOptions) -> Result<MapLayout> {
        let (w, h) = (options.width as f32, options.height as f32);
        let u = ((w * h).sqrt() / 1386.0).max(0.6);
        // Text keeps a legible size on small maps, where geometry keeps shrinking.
        let tu = u.max(0.72);
        let m = (24.0 * u).round();
        let french = options.french;
        let projection = Projection::new(&dataset.manifest.projection)?;

        // Header and footer bands; the map gets the rest.
        let compact = options.compact;
        let title_size = 38.0 * tu;
        let title_base = m + cap_height(title_size);
        let (subtitle_at, caption_at, header_bottom) = if compact {
            let line = (m, m * 0.5 + cap_height(17.0 * tu));
            (line, line, line.1 + 8.0 * tu)
        } else {
            let subtitle_at = (m, title_base + 34.0 * tu);
            let caption_at = (m, subtitle_at.1 + 28.0 * tu);
            (subtitle_at, caption_at, caption_at.1 + 12.0 * tu)
        };
        let credit_size = if compact { 0.0 } else { 12.5 * tu };
        let credit_base = if compact { h } else { h - m * 0.6 };
        let strip_h = if options.strip.is_some() {
            64.0 * u
        } else {
            0.0
        };
        let footer_top = credit_base - credit_size - 6.0 * u - strip_h;
        let map_frame = Bounds {
            x0: m,
            y0: header_bottom,
            x1: w - m,
            y1: footer_top,
        };

        // Fit the mapped regions into the map frame.
        let projected: Vec<MultiPolygon<f64>> = dataset
            .regions
            .iter()
            .map(|r| projection.forward_multipolygon(&r.geometry))
            .collect();
        let bounds = projected
            .iter()
            .filter_map(BoundingRect::bounding_rect)
            .reduce(|a, b| {
                Rect::new(
                    Coord {
                        x: a.min().x.min(b.min().x),
                        y: a.min().y.min(b.min().y),
                    },
                    Coord {
                        x: a.max().x.max(b.max().x),
                        y: a.max().y.max(b.max().y),
                    },
                )
            })
            .ok_or_else(|| {
                Error::data(
                    dataset.source.display_name(&dataset.manifest.files.regions),
                    None,
                    "no region can be projected",
                )
            })?;
        let colours: Vec<Rgba> = dataset.manifest.factions.iter().map(|f| f.colour).collect();
        let stripe_w = (5.0 * u as f64).max(2.0);
        let fit_into = |frame: Bounds| {
            let pad = 0.03 * f64::from(frame.y1 - frame.y0);
            Fit::contain(
                bounds,
                Rect::new(
                    Coord {
                        x: f64::from(frame.x0) + pad,
                        y: f64::from(frame.y0) + pad,
                    },
                    Coord {
                        x: f64::from(frame.x1) - pad,
                        y: f64::from(frame.y1) - pad,
                    },
                ),
            )
        };
        let project_all = |fit: &Fit| -> Vec<MultiPolygon<f64>> {
            projected
                .iter()
                .map(|p| simplify_px(&p.map_coords(|c| fit.to_px(c))))
                .collect()
        };
        // The legend takes the corner of the frame where it hides the least of the map; when every
        // corner would hide some, the map moves right to make a column for it.
        let (legend_layer, legend_box) = if compact {
            (
                Layer::new("legend"),
                Bounds::xywh(map_frame.x0, map_frame.y0, 0.0, 0.0),
            )
        } else {
            Self::legend(dataset, &colours, french, tu, map_frame, stripe_w as f32)
        };
        let (lw, lh) = (legend_box.x1 - legend_box.x0, legend_box.y1 - legend_box.y0);
        let corners = |f: &Bounds, w: f32, h: f32| {
            [
                Bounds::xywh(f.x0, f.y0, w, h),
                Bounds::xywh(f.x1 - w, f.y0, w, h),
                Bounds::xywh(f.x0, f.y1 - h, w, h),
                Bounds::xywh(f.x1 - w, f.y1 - h, w, h),
            ]
        };
        let mut fit = fit_into(map_frame);
        let mut region_px = project_all(&fit);
        let mut legend_at = corners(&map_frame, lw, lh)
            .into_iter()
            .map(|b| (covered_fraction(&region_px, &b), b))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(legend_box, |(_, b)| b);
        if !compact && covered_fraction(&region_px, &legend_at) > 0.02 {
            let narrowed = Bounds {
                x0: map_frame.x0 + lw + 12.0 * u,
                ..map_frame
            };
            fit = fit_into(narrowed);
            region_px = project_all(&fit);
            legend_at = Bounds::xywh(map_frame.x0, map_frame.y0, lw, lh);
        }
        let legend_layer = translate(
            legend_layer,
            legend_at.x0 - legend_box.x0,
            legend_at.y0 - legend_box.y0,
        );
        let legend = (legend_layer, legend_at);
        // The scale bar takes the freest remaining corner, preferring the bottom right.
        let (scale_layer, scale_box) = if compact {
            (
                Layer::new("scale-bar"),
                Bounds::xywh(map_frame.x1, map_frame.y1, 0.0, 0.0),
            )
        } else {
            Self::scale_bar(&fit, tu, map_frame)
        };
        let (sw_, sh_) = (scale_box.x1 - scale_box.x0, scale_box.y1 - scale_box.y0);
        let inset = 14.0 * u;
        let scale_frame = map_frame.grow(-inset);
        let mut scale_options: Vec<Bounds> = corners(&scale_frame, sw_, sh_)
            .into_iter()
            .rev()
            .filter(|b| !b.overlaps(&legend_at))
            .collect();
        scale_options.sort_by(|a, b| {
            covered_fraction(&region_px, a).total_cmp(&covered_fraction(&region_px, b))
        });
        let scale_at = scale_options.first().copied().unwrap_or(scale_box);
        let scale = (
            translate(
                scale_layer,
                scale_at.x0 - scale_box.x0,
                scale_at.y0 - scale_box.y0,
            ),
            scale_at,
        );

        let regions: Vec<RegionGeom> = dataset
            .regions
            .iter()
            .zip(&region_px)
            .map(|(r, px)| RegionGeom {
                id: r.id.clone(),
                rings: Arc::new(rings_of(px)),
                stripes: Arc::new(rings_of(&stripes(px, stripe_w, stripe_w * 2.0))),
                fine_stripes: Arc::new(rings_of(&stripes(px, stripe_w * 0.35, stripe_w * 1.4))),
            })
            .collect();

        // Towns with at least one record are drawn; the others are context the records never use.
        let recorded: std::collections::HashSet<usize> = dataset
            .records
            .iter()
            .filter_map(|r| match r.target {
                Target::Place(i) => Some(i),
                Target::Region(_) => None,
            })
            .collect();
        let places: Vec<Option<PlaceGeom>> = dataset
            .places
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let c = projection.forward(p.lon, p.lat)?;
                let c = fit.to_px(c);
                recorded.contains(&i).then_some(PlaceGeom {
                    at: [c.x as f32, c.y as f32],
                    kind: p.kind,
                })
            })
            .collect();
        let marker_radius = 5.5 * u;

        // ---- Underlay: paper and neighbours.
        let mut neighbours = Layer::new("neighbours");
        let mut neighbour_labels = Layer::new("neighbour-labels");
        let mut neighbour_rings = Vec::new();
        for n in &dataset.neighbours {
            // Clipped to just outside the frame (so the cut edges never show): nothing spills
            // into a neighbouring map of a grid, and the rasteriser sees only what can show.
            let px = {
                use geo::BooleanOps;
                simplify_px(&to_px(&n.geometry, &projection, &fit))
                    .intersection(&Bounds::xywh(0.0, 0.0, w, h).grow(2.0).polygon())
            };
            let rings = rings_of(&px);
            neighbour_rings.extend(rings.iter().cloned());
            neighbours
                .items
                .push(fill(Some(n.id.clone()), rings, style::LAND));
        }
        neighbours
            .items
            .push(stroke(neighbour_rings, true, style::LAND_EDGE, 1.0 * u));

        // ---- Overlay: borders, labels, legend, scale bar, title, credit.
        let mut obstacles: Vec<Bounds> = Vec::new();
        let frame_bounds = Bounds::xywh(0.0, 0.0, w, h);
        let mut inner = Vec::new();
        for r in &regions {
            inner.extend(r.rings.iter().cloned());
        }
        let region_borders = Layer {
            name: "region-borders".into(),
            items: vec![stroke(inner, true, style::INNER_BORDER, 1.3 * u)],
        };
        let union = geo::unary_union(region_px.iter());
        let national = Layer {
            name: "national-border".into(),
            items: vec![stroke(
                rings_of(&union),
                true,
                style::NATIONAL_BORDER,
                2.4 * u,
            )],
        };

        // Legend first: it claims the top-left corner of the map frame.
        obstacles.push(legend.1.grow(4.0 * u));
        obstacles.push(Bounds {
            x0: 0.0,
            y0: 0.0,
            x1: w,
            y1: map_frame.y0,
        });
        obstacles.push(Bounds {
            x0: 0.0,
            y0: map_frame.y1,
            x1: w,
            y1: h,
        });
        // Scale bar in the bottom-right corner.
        obstacles.push(scale.1.grow(4.0 * u));
        for p in places.iter().flatten() {
            let r = marker_radius
                * if p.kind == PlaceKind::Capital {
                    1.6
                } else {
                    1.0
                };
            obstacles.push(Bounds::xywh(p.at[0] - r, p.at[1] - r, 2.0 * r, 2.0 * r));
        }

        // Region labels at an interior point, nudged off town markers.
        let mut region_labels = Layer::new("region-labels");
        let region_size = 15.0 * tu;
        let mut region_label_at: Vec<Option<[f32; 2]>> = vec![None; dataset.regions.len()];
        for (ri, (r, px)) in dataset.regions.iter().zip(&region_px).enumerate() {
            let name = r.name_in(french).to_uppercase();
            let Some(largest) =
                px.0.iter()
                    .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
            else {
                continue;
            };
            let Some(bb) = largest.bounding_rect() else {
                continue;
            };
            let tw = text_width(&name, region_size, true);
            if f64::from(tw) > bb.width() * 0.9 {
                continue;
            }
            let Some(ip) = largest.interior_point() else {
                continue;
            };
            let (cx, cy) = (ip.x() as f32, ip.y() as f32);
            let offsets = [0.0, -1.6, 1.6, -3.2, 3.2].map(|k| k * region_size);
            for dy in offsets {
                let b = text_bounds(&name, region_size, true, cx, cy + dy, Align::Middle);
                if !obstacles.iter().any(|o| o.overlaps(&b)) {
                    use geo::Contains;
                    let centre =
                        geo::Point::new(f64::from(cx), f64::from(cy + dy - region_size * 0.35));
                    if !largest.contains(&centre) {
                        continue;
                    }
                    obstacles.push(b);
                    region_label_at[ri] = Some([cx, cy + dy]);
                    region_labels.items.push(text(
                        cx,
                        cy + dy,
                        &name,
                        region_size,
                        true,
                        style::INK,
                        Align::Middle,
                        Some(style::HALO),
                    ));
                    break;
                }
            }
        }

        // Town labels, most important first.
        let mut order: Vec<usize> = (0..places.len()).filter(|&i| places[i].is_some()).collect();
        order.sort_by_key(|&i| (dataset.places[i].kind, i));
        let requests: Vec<LabelRequest> = order
            .iter()
            .filter_map(|&i| {
                let g = places[i].as_ref()?;
                let p = &dataset.places[i];
                let size = match p.kind {
                    PlaceKind::Capital => 16.5 * tu,
                    PlaceKind::RegionalCapital => 14.5 * tu,
                    PlaceKind::Town => 13.0 * tu,
                };
                let r = marker_radius
                    * if p.kind == PlaceKind::Capital {
                        1.6
                    } else {
                        1.0
                    };
                Some(LabelRequest {
                    text: p.name_in(french).to_string(),
                    size,
                    bold: p.kind != PlaceKind::Town,
                    at: g.at,
                    radius: r,
                })
            })
            .collect();
        let placed = place_labels(&requests, &mut obstacles, frame_bounds.grow(-2.0));
        let mut town_labels = Layer::new("town-labels");
        for (req, p) in requests.iter().zip(placed) {
            if let Some(p) = p {
                town_labels.items.push(text(
                    p.x,
                    p.y,
                    &req.text,
                    req.size,
                    req.bold,
                    style::INK,
                    p.align,
                    Some(style::HALO),
                ));
            }
        }

        // Neighbour names where they fit, in the land's muted ink.
        let neighbour_size = 15.0 * tu;
        for n in &dataset.neighbours {
            let Some(at) = n.label_at.and_then(|c| projection.forward(c.x, c.y)) else {
                continue;
            };
            let at = fit.to_px(at);
            let name = n.name_in(french).to_uppercase();
            let b = text_bounds(
                &name,
                neighbour_size,
                false,
                at.x as f32,
                at.y as f32,
                Align::Middle,
            );
            if b.inside(&map_frame) && !obstacles.iter().any(|o| o.overlaps(&b)) {
                obstacles.push(b);
                neighbour_labels.items.push(text(
                    at.x as f32,
                    at.y as f32,
                    &name,
                    neighbour_size,
                    false,
                    style::LAND_TEXT,
                    Align::Middle,
                    None,
                ));
            }
        }

        let mut title = Layer::new("title");
        let mut credit = Layer::new("credit");
        if !compact {
            title.items.push(text(
                m,
                title_base,
                &dataset.manifest.title,
                title_size,
                true,
                style::INK,
                Align::Start,
                None,
            ));
            credit = credit_layer(dataset, m, credit_base, credit_size, w - 2.0 * m);
        }

        let mut overlay = vec![
            region_borders,
            national,
            region_labels,
            town_labels,
            legend.0,
            scale.0,
            title,
            credit,
        ];
        let strip = options.strip.map(|(from, to)| {
            let top = footer_top + 6.0 * u;
            let s = Strip {
                from,
                to,
                x0: m + 10.0 * u,
                x1: w - m - 10.0 * u,
                axis_y: top + 22.0 * u,
            };
            overlay.push(Self::strip_layer(&s, dataset, tu));
            s
        });

        // The paper itself is the scene's background colour, painted by each renderer.
        let underlay = vec![neighbours, neighbour_labels];

        Ok(MapLayout {
            options: options.clone(),
            unit: u,
            text_unit: tu,
            colours,
            regions,
            places,
            marker_radius,
            subtitle_at,
            caption_at,
            title: dataset.manifest.title.clone(),
            french,
            events: dataset
                .events
                .iter()
                .map(|e| (e.date, e.caption.clone()))
                .collect(),
            strip,
            underlay: Arc::new(underlay),
            region_label_at,
            overlay: Arc::new(overlay),
            fit,
        })
    }

    pub(crate) fn legend(
        dataset: &Dataset,
        colours: &[Rgba],
        french: bool,
        u: f32,
        frame: Bounds,
        stripe_w: f32,
    ) -> (Layer, Bounds) {
        let size = 14.5 * u;
        let row = 27.0 * u;
        let sw = 30.0 * u;
        let sh = 18.0 * u;
        let pad = 12.0 * u;
        let heading = if french {
            "Qui contrôle le territoire"
        } else {
            "Who controls the territory"
        };
        let mut rows: Vec<(String, u8)> = (0..colours.len())
            .map(|i| (dataset.faction_label(i, french).to_string(), 0))
            .collect();
        rows.push((
            if french {
                "Disputé (rayures : les deux camps)"
            } else {
                "Contested (stripes: both sides)"
            }
            .into(),
            1,
        ));
        rows.push((
            if french {
                "Pas de données à cette date"
            } else {
                "No record for this date"
            }
            .into(),
            2,
        ));
        rows.push((
            if french {
                "Ville, couleur de qui la tient"
            } else {
                "Town, coloured by who holds it"
            }
            .into(),
            3,
        ));
        rows.push((if french { "Capitale" } else { "Capital" }.into(), 4));
        let label_w = rows
            .iter()
            .map(|(t, _)| text_width(t, size, false))
            .fold(text_width(heading, size, true), f32::max);
        let bw = pad * 2.0 + sw + 10.0 * u + label_w;
        let bh = pad * 2.0 + row * (rows.len() as f32 + 1.0) - (row - sh) + 4.0 * u;
        let b = Bounds::xywh(frame.x0, frame.y0, bw, bh);
        let mut layer = Layer::new("legend");
        layer.items.push(fill(
            None,
            vec![b.ring()],
            Rgba::rgb(255, 255, 255).with_alpha(235),
        ));
        layer.items.push(stroke(
            vec![b.ring()],
            true,
            Rgba::rgb(0xBB, 0xBB, 0xBB),
            1.0 * u,
        ));
        let x = b.x0 + pad;
        layer.items.push(text(
            x,
            b.y0 + pad + cap_height(size),
            heading,
            size,
            true,
            style::INK,
            Align::Start,
            None,
        ));
        let swatch_stripes =
            |r: &Bounds, width: f64, period: f64| rings_of(&stripes(&r.polygon(), width, period));
        for (k, (label, kind)) in rows.iter().enumerate() {
            let top = b.y0 + pad + row * (k as f32 + 1.0) + 4.0 * u;
            let r = Bounds::xywh(x, top, sw, sh);
            let cy = top + sh / 2.0;
            match *kind {
                0 => layer.items.push(fill(None, vec![r.ring()], colours[k])),
                1 => {
                    let (a, bcol) = match colours {
                        [a, bb, ..] => (*a, *bb),
                        _ => (style::CONTESTED_A, style::CONTESTED_B),
                    };
                    layer.items.push(fill(None, vec![r.ring()], bcol));
                    layer.items.push(fill(
                        None,
                        swatch_stripes(&r, f64::from(stripe_w), f64::from(stripe_w) * 2.0),
                        a,
                    ));
                }
                2 => {
                    layer.items.push(fill(None, vec![r.ring()], style::NO_DATA));
                    layer.items.push(fill(
                        None,
                        swatch_stripes(&r, f64::from(stripe_w) * 0.35, f64::from(stripe_w) * 1.4),
                        style::NO_DATA_LINES,
                    ));
                    // Towns without a record share the row: a grey marker on the swatch.
                    let c = circle(x + sw / 2.0, cy, 4.5 * u);
                    layer
                        .items
                        .push(fill(None, vec![c.clone()], style::NO_DATA_TOWN));
                    layer.items.push(stroke(vec![c], true, style::INK, 1.0 * u));
                }
                3 => {
                    let c = circle(x + sw / 2.0, cy, 5.5 * u);
                    layer.items.push(fill(
                        None,
                        vec![c.clone()],
                        colours.first().copied().unwrap_or(style::INK),
                    ));
                    layer.items.push(stroke(vec![c], true, style::INK, 1.2 * u));
                }
                _ => {
                    let s = star(x + sw / 2.0, cy, 5.5 * u * 1.6);
                    layer.items.push(fill(
                        None,
                        vec![s.clone()],
                        colours.first().copied().unwrap_or(style::INK),
                    ));
                    layer.items.push(stroke(vec![s], true, style::INK, 1.2 * u));
                }
            }
            if *kind <= 2 {
                layer.items.push(stroke(
                    vec![r.ring()],
                    true,
                    Rgba::rgb(0x88, 0x88, 0x88),
                    0.8 * u,
                ));
            }
            layer.items.push(text(
                x + sw + 10.0 * u,
                cy + cap_height(size) / 2.0,
                label,
                size,
                false,
                style::INK,
                Align::Start,
                None,
            ));
        }
        (layer, b)
    }

    fn scale_bar(fit: &Fit, u: f32, frame: Bounds) -> (Layer, Bounds) {
        let px_per_km = (fit.scale * 1000.0) as f32;
        let target = (frame.x1 - frame.x0) * 0.16;
        // Round lengths (1, 2, 2.5, 5 times a power of ten) from a metre to 10,000 km, so that a
        // village-sized test region and a continent both get a bar of sensible length.
        let km = (-3..=4)
            .flat_map(|e| [1.0, 2.0, 2.5, 5.0].map(|m| m * 10f32.powi(e)))
            .min_by(|a: &f32, b: &f32| {
                (a * px_per_km - target)
                    .abs()
                    .total_cmp(&(b * px_per_km - target).abs())
            })
            .unwrap_or(100.0);
        let len = km * px_per_km;
        let size = 13.0 * u;
        let bar_h = 7.0 * u;
        let x1 = frame.x1 - 14.0 * u;
        let x0 = x1 - len;
        let y = frame.y1 - 14.0 * u - bar_h;
        let mut layer = Layer::new("scale-bar");
        let half = Bounds::xywh(x0, y, len / 2.0, bar_h);
        let other = Bounds::xywh(x0 + len / 2.0, y, len / 2.0, bar_h);
        layer.items.push(fill(None, vec![half.ring()], style::INK));
        layer
            .items
            .push(fill(None, vec![other.ring()], style::WHITE));
        layer.items.push(stroke(
            vec![Bounds::xywh(x0, y, len, bar_h).ring()],
            true,
            style::INK,
            1.2 * u,
        ));
        let ty = y - 5.0 * u;
        layer.items.push(text(
            x0,
            ty,
            "0",
            size,
            false,
            style::INK,
            Align::Middle,
            Some(style::HALO),
        ));
        layer.items.push(text(
            x0 + len / 2.0,
            ty,
            &distance(km / 2.0, false),
            size,
            false,
            style::INK,
            Align::Middle,
            Some(style::HALO),
        ));
        layer.items.push(text(
            x1,
            ty,
            &distance(km, true),
            size,
            false,
            style::INK,
            Align::Middle,
            Some(style::HALO),
        ));
        let km_w = text_width(&distance(km, true), size, false);
        let b = Bounds {
            x0: x0 - size,
            y0: ty - cap_height(size) - 2.0,
            x1: x1 + km_w / 2.0,
            y1: y + bar_h,
        };
        (layer, b)
    }

    fn strip_layer(s: &Strip, dataset: &Dataset, u: f32) -> Layer {
        let mut layer = Layer::new("timeline-strip");
        let tick = Rgba::rgb(0x77, 0x77, 0x77);
        let band = Bounds {
            x0: 0.0,
            y0: s.axis_y - 26.0 * u,
            x1: s.x1 + s.x0,
            y1: s.axis_y + 34.0 * u,
        };
        layer
            .items
            .push(fill(None, vec![band.ring()], style::PAPER.with_alpha(235)));
        layer.items.push(stroke(
            vec![vec![[s.x0, s.axis_y], [s.x1, s.axis_y]]],
            false,
            tick,
            1.5 * u,
        ));
        let size = 12.5 * u;
        // A labelled tick at each 1 January inside the span, and at the ends.
        let mut year = s.from.year();
        while year <= s.to.year() {
            if let Ok(d) = Date::new(year, 1, 1) {
                if d >= s.from && d <= s.to {
                    let x = s.x_of(d);
                    layer.items.push(stroke(
                        vec![vec![[x, s.axis_y - 8.0 * u], [x, s.axis_y + 8.0 * u]]],
                        false,
                        tick,
                        1.5 * u,
                    ));
                    layer.items.push(text(
                        x + 4.0 * u,
                        s.axis_y - 10.0 * u,
                        &year.to_string(),
                        size,
                        true,
                        style::SOFT_INK,
                        Align::Start,
                        None,
                    ));
                }
            }
            year += 1;
        }
        for e in &dataset.events {
            if e.date < s.from || e.date > s.to {
                continue;
            }
            let x = s.x_of(e.date);
            layer.items.push(fill(
                None,
                vec![circle(x, s.axis_y, 3.0 * u)],
                style::SOFT_INK,
            ));
        }
        layer
    }

    /// The options this layout was made for.
    pub fn options(&self) -> &MapOptions {
        &self.options
    }

    /// The latest event caption on or before `date`.
    pub fn latest_event(&self, date: Date) -> Option<(Date, &str)> {
        let n = self.events.partition_point(|(d, _)| *d <= date);
        n.checked_sub(1)
            .map(|i| (self.events[i].0, self.events[i].1.as_str()))
    }

    fn control_items(
        &self,
        state: &State,
        only: Option<&dyn Fn(Target) -> bool>,
        alpha: f32,
        fills: &mut Layer,
        hatching: &mut Layer,
    ) {
        let a = |c: Rgba| c.with_alpha((f32::from(c.a) * alpha).round() as u8);
        for (i, g) in self.regions.iter().enumerate() {
            if only.is_some_and(|f| !f(Target::Region(i))) {
                continue;
            }
            let id = Some(g.id.clone());
            match state.regions.get(i).copied().flatten().map(|h| h.control) {
                Some(Control::Faction(f)) => {
                    fills.items.push(Item::Fill {
                        id,
                        rings: g.rings.clone(),
                        colour: a(self.colours[f]),
                    });
                }
                Some(Control::Contested(parties)) => {
                    let (ca, cb) = parties
                        .map_or((style::CONTESTED_A, style::CONTESTED_B), |(p, q)| {
                            (self.colours[p], self.colours[q])
                        });
                    fills.items.push(Item::Fill {
                        id: id.clone(),
                        rings: g.rings.clone(),
                        colour: a(cb),
                    });
                    hatching.items.push(Item::Fill {
                        id: Some(format!("{}-hatch", g.id)),
                        rings: g.stripes.clone(),
                        colour: a(ca),
                    });
                }
                None => {
                    fills.items.push(Item::Fill {
                        id,
                        rings: g.rings.clone(),
                        colour: a(style::NO_DATA),
                    });
                    hatching.items.push(Item::Fill {
                        id: Some(format!("{}-hatch", g.id)),
                        rings: g.fine_stripes.clone(),
                        colour: a(style::NO_DATA_LINES),
                    });
                }
            }
        }
    }

    fn marker_items(
        &self,
        state: &State,
        only: Option<&dyn Fn(Target) -> bool>,
        alpha: f32,
        layer: &mut Layer,
    ) {
        let a = |c: Rgba| c.with_alpha((f32::from(c.a) * alpha).round() as u8);
        for (i, g) in self.places.iter().enumerate() {
            let Some(g) = g else { continue };
            if only.is_some_and(|f| !f(Target::Place(i))) {
                continue;
            }
            let [x, y] = g.at;
            let shape = if g.kind == PlaceKind::Capital {
                star(x, y, self.marker_radius * 1.6)
            } else {
                circle(x, y, self.marker_radius)
            };
            let control = state.places.get(i).copied().flatten().map(|h| h.control);
            let (main, second) = match control {
                Some(Control::Faction(f)) => (self.colours[f], None),
                Some(Control::Contested(Some((p, q)))) => (self.colours[p], Some(self.colours[q])),
                Some(Control::Contested(None)) => (style::CONTESTED_A, Some(style::CONTESTED_B)),
                None => (style::NO_DATA_TOWN, None),
            };
            layer.items.push(fill(None, vec![shape.clone()], a(main)));
            if let Some(s) = second {
                layer.items.push(fill(
                    None,
                    vec![half_circle(x, y, self.marker_radius)],
                    a(s),
                ));
            }
            // Dark fills (the Islamist near-black) get a light rim so the marker stays visible.
            let rim = if main.luminance() < 0.08 {
                style::WHITE
            } else {
                style::INK
            };
            layer
                .items
                .push(stroke(vec![shape], true, a(rim), 1.3 * self.unit));
        }
    }

    /// A change map: regions that changed hands in the new controller's colour with a heavy
    /// outline and a "from → to" label (`changed`: region index and label); the rest faded.
    pub fn diff_scene(
        &self,
        from: &State,
        to: &State,
        changed: &[(usize, String)],
        heading: &str,
        note: &str,
        description: &str,
    ) -> Scene {
        let mut scene = self.scene(to, None, description);
        let is_changed = |i: usize| changed.iter().any(|(c, _)| *c == i);
        let fade = |c: Rgba| style::PAPER.mix(c.with_alpha(255), 0.35);
        for layer in &mut scene.control {
            for item in &mut layer.items {
                if let Item::Fill {
                    id: Some(id),
                    colour,
                    ..
                } = item
                {
                    let region = self.regions.iter().position(|g| {
                        id == &g.id || id.strip_suffix("-hatch") == Some(g.id.as_str())
                    });
                    if region.is_some_and(|i| !is_changed(i)) {
                        *colour = fade(*colour);
                    }
                }
            }
        }
        for layer in &mut scene.annotations {
            if layer.name == "towns" {
                // Towns keep full colour only where they changed hands.
                let mut faded = Layer::new("towns");
                self.marker_items_changed(from, to, &mut faded);
                *layer = faded;
            }
        }
        let tu = self.text_unit;
        let mut outlines = Layer::new("changes");
        let mut labels = Layer::new("change-labels");
        for (i, label) in changed {
            let Some(g) = self.regions.get(*i) else {
                continue;
            };
            // White under ink, so the outline reads over dark and light fills alike.
            outlines.items.push(Item::Stroke {
                lines: g.rings.clone(),
                closed: true,
                colour: style::WHITE,
                width: 6.0 * self.unit,
            });
            outlines.items.push(Item::Stroke {
                lines: g.rings.clone(),
                closed: true,
                colour: style::INK,
                width: 3.0 * self.unit,
            });
            if let Some([x, y]) = self.region_label_at.get(*i).copied().flatten() {
                // Under the region's name, moved further down (or above it) off town markers.
                let size = 14.0 * tu;
                let r = self.marker_radius * 1.6;
                let markers: Vec<Bounds> = self
                    .places
                    .iter()
                    .flatten()
                    .map(|p| Bounds::xywh(p.at[0] - r, p.at[1] - r, 2.0 * r, 2.0 * r))
                    .collect();
                let y = [20.0, 38.0, -22.0, 56.0]
                    .iter()
                    .map(|dy| y + dy * tu)
                    .find(|&ty| {
                        let b = super::labels::text_bounds(label, size, true, x, ty, Align::Middle);
                        !markers.iter().any(|m| m.overlaps(&b))
                    })
                    .unwrap_or(y + 20.0 * tu);
                labels.items.push(text(
                    x,
                    y,
                    label,
                    size,
                    true,
                    style::INK,
                    Align::Middle,
                    Some(style::HALO),
                ));
            }
        }
        let mut subtitle = Layer::new("subtitle");
        subtitle.items.push(text(
            self.subtitle_at.0,
            self.subtitle_at.1,
            heading,
            21.0 * tu,
            true,
            style::INK,
            Align::Start,
            None,
        ));
        if !self.options.compact {
            subtitle.items.push(text(
                self.caption_at.0,
                self.caption_at.1,
                note,
                17.0 * tu,
                false,
                style::SOFT_INK,
                Align::Start,
                None,
            ));
        }
        scene.annotations.retain(|l| l.name != "subtitle");
        scene.annotations.insert(0, outlines);
        scene.annotations.push(labels);
        scene.annotations.push(subtitle);
        scene
    }

    fn marker_items_changed(&self, from: &State, to: &State, layer: &mut Layer) {
        let changed = |x: Target| from.get(x).map(|h| h.control) != to.get(x).map(|h| h.control);
        let unchanged = |x: Target| !changed(x);
        self.marker_items(to, Some(&unchanged), 0.35, layer);
        self.marker_items(to, Some(&changed), 1.0, layer);
    }

    /// The map on a date: control fills, town markers, subtitle and caption.
    pub fn scene(&self, state: &State, heading: Option<&str>, description: &str) -> Scene {
        self.scene_between(state, state, 1.0, heading, description)
    }

    /// A cross-fade from `from` to `to` (t = 0 shows `from`, 1 shows `to`): targets that change
    /// hands blend, so an animation shows movement rather than a jump cut. Dates and captions are
    /// those of `to`.
    pub fn scene_between(
        &self,
        from: &State,
        to: &State,
        t: f32,
        heading: Option<&str>,
        description: &str,
    ) -> Scene {
        let mut fills = Layer::new("regions");
        let mut hatching = Layer::new("hatching");
        let mut towns = Layer::new("towns");
        let t = t.clamp(0.0, 1.0);
        if t >= 1.0 || from == to {
            self.control_items(to, None, 1.0, &mut fills, &mut hatching);
            self.marker_items(to, None, 1.0, &mut towns);
        } else {
            let changed =
                |x: Target| from.get(x).map(|h| h.control) != to.get(x).map(|h| h.control);
            self.control_items(from, None, 1.0, &mut fills, &mut hatching);
            self.control_items(to, Some(&changed), t, &mut fills, &mut hatching);
            let unchanged = |x: Target| !changed(x);
            self.marker_items(to, Some(&unchanged), 1.0, &mut towns);
            self.marker_items(from, Some(&changed), 1.0 - t, &mut towns);
            self.marker_items(to, Some(&changed), t, &mut towns);
        }
        let u = self.unit;
        let tu = self.text_unit;
        let date = to.date;
        let mut subtitle = Layer::new("subtitle");
        let when = display_date_long(date, self.french);
        let line = match heading {
            Some(h) => format!("{} {when} — {h}", if self.french { "Au" } else { "As of" }),
            None => format!("{} {when}", if self.french { "Au" } else { "As of" }),
        };
        if self.options.compact {
            let line = match heading {
                Some(h) => format!("{when} — {h}"),
                None => when.clone(),
            };
            subtitle.items.push(text(
                self.subtitle_at.0,
                self.subtitle_at.1,
                &line,
                17.0 * tu,
                true,
                style::INK,
                Align::Start,
                None,
            ));
        } else {
            subtitle.items.push(text(
                self.subtitle_at.0,
                self.subtitle_at.1,
                &line,
                21.0 * tu,
                true,
                style::INK,
                Align::Start,
                None,
            ));
        }
        if let Some((d, caption)) = self.latest_event(date).filter(|_| !self.options.compact) {
            let c = format!(
                "{} {} — {caption}",
                if self.french {
                    "Dernier événement :"
                } else {
                    "Latest:"
                },
                display_date(d)
            );
            subtitle.items.push(text(
                self.caption_at.0,
                self.caption_at.1,
                &c,
                17.0 * tu,
                false,
                style::SOFT_INK,
                Align::Start,
                None,
            ));
        }
        let mut annotations = vec![towns, subtitle];
        if let Some(s) = &self.strip {
            let mut cursor = Layer::new("timeline-cursor");
            let x = s.x_of(date);
            let c = Rgba::rgb(0xC0, 0x1B, 0x1B);
            cursor.items.push(stroke(
                vec![vec![[s.x0, s.axis_y], [x, s.axis_y]]],
                false,
                c,
                3.0 * u,
            ));
            cursor
                .items
                .push(fill(None, vec![circle(x, s.axis_y, 6.5 * u)], c));
            let label = match self.latest_event(date) {
                Some((d, caption)) => format!("{} — {caption}", display_date(d)),
                None => display_date(date),
            };
            let size = 14.0 * tu;
            let tw = text_width(&label, size, false);
            let lx = (x - tw / 2.0).clamp(s.x0, (s.x1 - tw).max(s.x0));
            cursor.items.push(text(
                lx,
                s.axis_y + 24.0 * u,
                &label,
                size,
                false,
                style::INK,
                Align::Start,
                None,
            ));
            annotations.push(cursor);
        }
        Scene {
            width: self.options.width,
            height: self.options.height,
            background: style::PAPER,
            title: format!("{} — {}", self.title, display_date_long(date, self.french)),
            description: description.to_string(),
            underlay: self.underlay.clone(),
            control: vec![fills, hatching],
            overlay: self.overlay.clone(),
            annotations,
        }
    }
}
