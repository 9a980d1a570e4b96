//! The map's layout, computed once per dataset and frame size: the projection fitted into the
//! frame, the corners the legend and scale bar take, the placed labels and the static layers.
//! Each layer comes from its builder in [`super::layers`]; `MapLayout::scene` adds only what
//! depends on the date.

use std::sync::Arc;

use geo::{Area, BoundingRect, Coord, InteriorPoint, MapCoords, MultiPolygon, Rect};

use super::hatch::{rings_of, stripes};
use super::layers::labels::{around, place, LabelRequest};
use super::layers::land::Neighbour;
use super::layers::legend::Row;
use super::layers::strip::Strip;
use super::layers::titles::Header;
use super::layers::{
    borders, control, land, legend, scale_bar, strip, titles, towns, AreaGeom, Meanings, PointGeom,
    Select,
};
use super::style::{colours, Style, FIT_PAD_FRACTION, LEGEND_MAX_COVER};
use super::{Align, Bounds, Item, Layer, Part, Scene, TextStyle};
use crate::dataset::{Control, Dataset};
use crate::date::{display_date, display_date_long, Date};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::project::{Fit, Projection};
use crate::territory::{TerritoryId, TownRank};
use crate::timeline::State;

/// What the layout is for.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The language of the words on the map.
    pub lang: Lang,
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
            lang: Lang::En,
            strip: None,
            compact: false,
        }
    }
}

/// Largest side accepted for a map, in pixels.
pub const MAX_SIDE: u32 = 16384;

/// Parses `WxH` for `--size`.
///
/// ```
/// use controlmap::scene::layout::parse_size;
/// assert_eq!(parse_size("1280x720"), Ok((1280, 720)));
/// assert!(parse_size("0x720").is_err());
/// assert!(parse_size("20000x720").is_err());
/// ```
pub fn parse_size(text: &str) -> std::result::Result<(u32, u32), String> {
    let bad = || format!("'{text}' is not a size: use WIDTHxHEIGHT in pixels, like 1600x1200");
    let (w, h) = text.trim().split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if w == 0 || h == 0 {
        return Err(format!("'{text}' has a zero side"));
    }
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(format!("'{text}' has a side over {MAX_SIDE} px"));
    }
    if w < 200 || h < 150 {
        return Err(format!(
            "'{text}' is too small for a legible map (at least 200x150)"
        ));
    }
    Ok((w, h))
}

/// Everything about a map that does not depend on the date.
#[derive(Debug, Clone)]
pub struct MapLayout {
    options: MapOptions,
    style: Style,
    meanings: Meanings,
    areas: Vec<AreaGeom>,
    towns: Vec<PointGeom>,
    header: Header,
    title: String,
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

/// The credit line's text: the dataset's attribution and the tool.
pub fn credit_text(dataset: &Dataset) -> String {
    format!("{}  Map: controlmap.", dataset.manifest.attribution.trim())
}

/// The four corners of `f` where a `w` x `h` box fits: top left, top right, bottom left,
/// bottom right.
fn corners(f: &Bounds, w: f32, h: f32) -> [Bounds; 4] {
    [
        Bounds::xywh(f.x0, f.y0, w, h),
        Bounds::xywh(f.x1 - w, f.y0, w, h),
        Bounds::xywh(f.x0, f.y1 - h, w, h),
        Bounds::xywh(f.x1 - w, f.y1 - h, w, h),
    ]
}

/// The legend's rows: every faction, a contest in the first two factions' colours, no data,
/// and the two town markers.
pub fn legend_rows(dataset: &Dataset, lang: Lang) -> Vec<Row> {
    let colours: Vec<_> = dataset.manifest.factions.iter().map(|f| f.colour).collect();
    let mut rows: Vec<Row> = colours
        .iter()
        .enumerate()
        .map(|(i, c)| Row::Faction {
            label: dataset.faction_label(i, lang).to_string(),
            colour: *c,
        })
        .collect();
    let (stripes, ground) = match colours.as_slice() {
        [a, b, ..] => (*a, *b),
        _ => (colours::CONTESTED_A, colours::CONTESTED_B),
    };
    let marker = colours.first().copied().unwrap_or(colours::INK);
    rows.extend([
        Row::Contested { stripes, ground },
        Row::NoData,
        Row::Town { colour: marker },
        Row::Capital { colour: marker },
    ]);
    rows
}

/// A region projected (not yet fitted): its territory, id and outline in projected metres.
type Projected = (TerritoryId, String, MultiPolygon<f64>);

/// The regions projected (not yet fitted), with the bounds of them all.
fn project_regions(
    dataset: &Dataset,
    projection: &Projection,
) -> Result<(Vec<Projected>, Rect<f64>)> {
    let projected: Vec<_> = dataset
        .regions()
        .filter_map(|(t, r)| Some((t, r.id.clone(), projection.forward_multipolygon(r.area()?))))
        .collect();
    let bounds = projected
        .iter()
        .filter_map(|(_, _, p)| p.bounding_rect())
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
    Ok((projected, bounds))
}

/// The projection fitted into `frame`, keeping a small pad.
fn fit_into(bounds: Rect<f64>, frame: Bounds) -> Fit {
    let pad = FIT_PAD_FRACTION * f64::from(frame.y1 - frame.y0);
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
}

/// Where the map, the legend and the scale bar go.
struct Furniture {
    fit: Fit,
    region_px: Vec<MultiPolygon<f64>>,
    legend: (Layer, Bounds),
    scale: (Layer, Bounds),
}

/// The legend takes the corner of the frame where it hides the least of the map; when every
/// corner would hide some, the map moves right to make a column for it. The scale bar then
/// takes the freest remaining corner, preferring the bottom right.
fn place_furniture(
    projected: &[Projected],
    bounds: Rect<f64>,
    rows: &[Row],
    style: &Style,
    lang: Lang,
    map_frame: Bounds,
    compact: bool,
) -> Furniture {
    let project_all = |fit: &Fit| -> Vec<MultiPolygon<f64>> {
        projected
            .iter()
            .map(|(_, _, p)| simplify_px(&p.map_coords(|c| fit.to_px(c))))
            .collect()
    };
    let mut fit = fit_into(bounds, map_frame);
    let mut region_px = project_all(&fit);
    if compact {
        let none = |name, x, y| (Layer::new(name), Bounds::xywh(x, y, 0.0, 0.0));
        return Furniture {
            fit,
            region_px,
            legend: none("legend", map_frame.x0, map_frame.y0),
            scale: none("scale-bar", map_frame.x1, map_frame.y1),
        };
    }
    let (_, size) = legend::legend(rows, style, lang, 0.0, 0.0);
    let (lw, lh) = (size.x1 - size.x0, size.y1 - size.y0);
    let mut at = corners(&map_frame, lw, lh)
        .into_iter()
        .map(|b| (covered_fraction(&region_px, &b), b))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map_or(size, |(_, b)| b);
    if covered_fraction(&region_px, &at) > LEGEND_MAX_COVER {
        let narrowed = Bounds {
            x0: map_frame.x0 + lw + style.legend_column_gap,
            ..map_frame
        };
        fit = fit_into(bounds, narrowed);
        region_px = project_all(&fit);
        at = Bounds::xywh(map_frame.x0, map_frame.y0, lw, lh);
    }
    let legend = legend::legend(rows, style, lang, at.x0, at.y0);
    let (scale_layer, scale_box) =
        scale_bar::scale_bar((fit.scale * 1000.0) as f32, style, map_frame);
    let (sw, sh) = (scale_box.x1 - scale_box.x0, scale_box.y1 - scale_box.y0);
    let mut options: Vec<Bounds> = corners(&map_frame.grow(-style.px(14.0)), sw, sh)
        .into_iter()
        .rev()
        .filter(|b| !b.overlaps(&legend.1))
        .collect();
    options.sort_by(|a, b| {
        covered_fraction(&region_px, a).total_cmp(&covered_fraction(&region_px, b))
    });
    let scale_at = options.first().copied().unwrap_or(scale_box);
    let scale = (
        scale_layer.translated(scale_at.x0 - scale_box.x0, scale_at.y0 - scale_box.y0),
        scale_at,
    );
    Furniture {
        fit,
        region_px,
        legend,
        scale,
    }
}

/// Towns with at least one record, projected; the others are context the records never use.
fn point_geoms(dataset: &Dataset, projection: &Projection, fit: &Fit) -> Vec<PointGeom> {
    let recorded: std::collections::HashSet<TerritoryId> =
        dataset.records.iter().map(|r| r.target).collect();
    dataset
        .towns()
        .filter(|(i, _)| recorded.contains(i))
        .filter_map(|(i, p)| {
            let at = p.point()?;
            let c = fit.to_px(projection.forward(at.x, at.y)?);
            Some(PointGeom {
                territory: i,
                at: [c.x as f32, c.y as f32],
                rank: p.town_rank()?,
            })
        })
        .collect()
}

/// The neighbours projected and clipped to just outside the frame (so the cut edges never
/// show): nothing spills into a neighbouring map of a grid, and the rasteriser sees only what
/// can show.
fn neighbour_geoms(
    dataset: &Dataset,
    projection: &Projection,
    fit: &Fit,
    w: f32,
    h: f32,
) -> Vec<Neighbour> {
    use geo::BooleanOps;
    let clip = Bounds::xywh(0.0, 0.0, w, h).grow(2.0).polygon();
    dataset
        .neighbours
        .iter()
        .map(|n| {
            let px = projection
                .forward_multipolygon(&n.geometry)
                .map_coords(|c| fit.to_px(c));
            Neighbour {
                id: n.id.clone(),
                px: simplify_px(&px).intersection(&clip),
            }
        })
        .collect()
}

/// Region labels at an interior point of their largest part, nudged off town markers.
fn region_label_requests(
    dataset: &Dataset,
    areas: &[AreaGeom],
    style: &Style,
    lang: Lang,
) -> Vec<LabelRequest> {
    let size = style.region_label;
    areas
        .iter()
        .map(|g| {
            let name = dataset.territory(g.territory).name(lang).to_uppercase();
            let mut candidates = Vec::new();
            let largest =
                g.px.0
                    .iter()
                    .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
            if let (Some(largest), Some(ip)) = (largest, largest.and_then(|l| l.interior_point())) {
                use geo::Contains;
                let fits = largest.bounding_rect().is_some_and(|bb| {
                    f64::from(super::text::text_width(&name, size, true)) <= bb.width() * 0.9
                });
                let (cx, cy) = (ip.x() as f32, ip.y() as f32);
                for k in [0.0, -1.6, 1.6, -3.2, 3.2].into_iter().filter(|_| fits) {
                    let y = cy + k * size;
                    let centre = geo::Point::new(f64::from(cx), f64::from(y - size * 0.35));
                    if largest.contains(&centre) {
                        candidates.push((cx, y, Align::Middle));
                    }
                }
            }
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
                meta: None,
            }
        })
        .collect()
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
            LabelRequest {
                text: dataset.territory(g.territory).name(lang).to_string(),
                style: text,
                candidates: around(g.at, radius, size),
                frame: Some(frame),
                clearance: 1.0,
                always: false,
                meta: None,
            }
        })
        .collect()
}

/// Neighbour names at their label points where they fit, in the land's muted ink.
fn neighbour_label_requests(
    dataset: &Dataset,
    projection: &Projection,
    fit: &Fit,
    style: &Style,
    lang: Lang,
    map_frame: Bounds,
) -> Vec<LabelRequest> {
    dataset
        .neighbours
        .iter()
        .filter_map(|n| {
            let at = fit.to_px(n.label_at.and_then(|c| projection.forward(c.x, c.y))?);
            Some(LabelRequest {
                text: n.name(lang).to_uppercase(),
                style: TextStyle::new(style.neighbour_label, colours::LAND_TEXT)
                    .aligned(Align::Middle),
                candidates: vec![(at.x as f32, at.y as f32, Align::Middle)],
                frame: Some(map_frame),
                clearance: 0.0,
                always: false,
                meta: None,
            })
        })
        .collect()
}

/// The placed labels: (region labels, town labels, neighbour labels, each region's label
/// anchor).
type PlacedLabels = (Layer, Layer, Layer, Vec<Option<[f32; 2]>>);

/// Places every label with one placer: regions first, then towns, then neighbours, around the
/// legend, the scale bar, the header and footer bands and the town markers.
#[allow(clippy::too_many_arguments)]
fn place_labels(
    dataset: &Dataset,
    projection: &Projection,
    furniture: &Furniture,
    areas: &[AreaGeom],
    towns: &[PointGeom],
    style: &Style,
    lang: Lang,
    (w, h, map_frame): (f32, f32, Bounds),
) -> PlacedLabels {
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
    for p in towns {
        let r = style.marker_radius(p.rank == TownRank::Capital);
        obstacles.push(Bounds::xywh(p.at[0] - r, p.at[1] - r, 2.0 * r, 2.0 * r));
    }
    let mut layer = |name: &str, requests: Vec<LabelRequest>| {
        let placed = place(&requests, &mut obstacles);
        let items = requests
            .iter()
            .zip(&placed)
            .filter_map(|(r, p)| Some(r.item(p.as_ref()?)))
            .collect();
        (Layer::with_items(name, items), placed)
    };
    let (regions, anchors) = layer(
        "region-labels",
        region_label_requests(dataset, areas, style, lang),
    );
    let (town_labels, _) = layer(
        "town-labels",
        town_label_requests(
            dataset,
            towns,
            style,
            lang,
            Bounds::xywh(0.0, 0.0, w, h).grow(-2.0),
        ),
    );
    let (neighbour_labels, _) = layer(
        "neighbour-labels",
        neighbour_label_requests(dataset, projection, &furniture.fit, style, lang, map_frame),
    );
    let anchors = anchors.iter().map(|p| p.map(|p| [p.x, p.y])).collect();
    (regions, town_labels, neighbour_labels, anchors)
}

impl MapLayout {
    /// Projects and lays out a dataset's map for a frame size.
    pub fn new(dataset: &Dataset, options: &MapOptions) -> Result<MapLayout> {
        let (w, h) = (options.width as f32, options.height as f32);
        let style = Style::for_frame(options.width, options.height);
        let lang = options.lang;
        let projection = Projection::new(&dataset.manifest.projection)?;
        let header = Header::new(&style, options.compact);
        let map_frame = Self::map_frame(&style, &header, options);
        let (projected, bounds) = project_regions(dataset, &projection)?;
        let rows = legend_rows(dataset, lang);
        let furniture = place_furniture(
            &projected,
            bounds,
            &rows,
            &style,
            lang,
            map_frame,
            options.compact,
        );
        let areas = Self::area_geoms(&projected, &furniture.region_px, &style);
        let towns = point_geoms(dataset, &projection, &furniture.fit);
        let neighbours = neighbour_geoms(dataset, &projection, &furniture.fit, w, h);
        let (region_labels, town_labels, neighbour_labels, region_label_at) = place_labels(
            dataset,
            &projection,
            &furniture,
            &areas,
            &towns,
            &style,
            lang,
            (w, h, map_frame),
        );
        let strip = options
            .strip
            .map(|(from, to)| Self::strip_at(from, to, &style, options));
        let mut overlay = vec![
            borders::region_borders(&areas, &style),
            borders::national_border(&areas, &style),
            region_labels,
            town_labels,
            furniture.legend.0,
            furniture.scale.0,
        ];
        overlay.extend(Self::title_and_credit(dataset, &header, &style, options));
        if let Some(s) = &strip {
            let dates: Vec<Date> = dataset.events.iter().map(|e| e.date).collect();
            overlay.push(strip::strip(s, &dates, &style));
        }
        Ok(MapLayout {
            options: options.clone(),
            style,
            meanings: Meanings::new(dataset, lang),
            areas,
            towns,
            header,
            title: dataset.manifest.title.clone(),
            events: dataset
                .events
                .iter()
                .map(|e| (e.date, e.caption.clone()))
                .collect(),
            strip,
            // The paper itself is the scene's background colour, painted by each renderer.
            underlay: Arc::new(vec![land::land(&neighbours, &style), neighbour_labels]),
            overlay: Arc::new(overlay),
            region_label_at,
            fit: furniture.fit,
        })
    }

    /// The part of the frame the map gets: what the header, the credit and the strip leave.
    fn map_frame(style: &Style, header: &Header, options: &MapOptions) -> Bounds {
        let w = options.width as f32;
        let (credit_size, credit_base) = Self::credit_line(style, options);
        let strip_h = if options.strip.is_some() {
            style.strip_height
        } else {
            0.0
        };
        Bounds {
            x0: style.margin,
            y0: header.bottom,
            x1: w - style.margin,
            y1: credit_base - credit_size - style.footer_gap - strip_h,
        }
    }

    /// The credit's size and baseline (none on a compact map).
    fn credit_line(style: &Style, options: &MapOptions) -> (f32, f32) {
        let h = options.height as f32;
        if options.compact {
            (0.0, h)
        } else {
            (style.credit, h - style.margin * 0.6)
        }
    }

    /// The timeline strip's axis, above the credit line.
    fn strip_at(from: Date, to: Date, style: &Style, options: &MapOptions) -> Strip {
        let (credit_size, credit_base) = Self::credit_line(style, options);
        let top = credit_base - credit_size - style.footer_gap - style.strip_height + style.px(6.0);
        Strip {
            from,
            to,
            x0: style.margin + style.px(10.0),
            x1: options.width as f32 - style.margin - style.px(10.0),
            axis_y: top + style.px(22.0),
        }
    }

    fn title_and_credit(
        dataset: &Dataset,
        header: &Header,
        style: &Style,
        options: &MapOptions,
    ) -> Vec<Layer> {
        let mut title = titles::title(header, &dataset.manifest.title, style);
        let mut credit = Layer::new("credit");
        if options.compact {
            title.items.clear();
        } else {
            let (size, base) = Self::credit_line(style, options);
            let width = options.width as f32 - 2.0 * style.margin;
            credit = titles::credit(&credit_text(dataset), style.margin, base, size, width);
        }
        vec![title, credit]
    }

    /// Each region's outline, stripes and no-data lines in pixels.
    fn area_geoms(
        projected: &[Projected],
        region_px: &[MultiPolygon<f64>],
        style: &Style,
    ) -> Vec<AreaGeom> {
        let stripe = f64::from(style.stripe);
        projected
            .iter()
            .zip(region_px)
            .map(|((t, id, _), px)| AreaGeom {
                territory: *t,
                id: id.clone(),
                px: px.clone(),
                rings: Arc::new(rings_of(px)),
                stripes: Arc::new(rings_of(&stripes(px, stripe, stripe * 2.0))),
                fine_stripes: Arc::new(rings_of(&stripes(px, stripe * 0.35, stripe * 1.4))),
            })
            .collect()
    }
}

/// A change map's request: the earlier state and the territories that changed, each with its
/// "from → to" label.
#[derive(Debug, Clone, Copy)]
pub struct Changes<'a> {
    /// The earlier state.
    pub from: &'a State,
    /// The changed territories and their labels.
    pub changed: &'a [(TerritoryId, String)],
}

impl MapLayout {
    /// The options this layout was made for.
    pub fn options(&self) -> &MapOptions {
        &self.options
    }

    /// The metrics of this layout's frame.
    pub fn style(&self) -> &Style {
        &self.style
    }

    /// The mapped areas in pixels.
    pub fn areas(&self) -> &[AreaGeom] {
        &self.areas
    }

    /// The drawn towns in pixels.
    pub fn towns(&self) -> &[PointGeom] {
        &self.towns
    }

    /// What each territory's items say.
    pub fn meanings(&self) -> &Meanings {
        &self.meanings
    }

    /// The latest event caption on or before `date`.
    pub fn latest_event(&self, date: Date) -> Option<(Date, &str)> {
        let n = self.events.partition_point(|(d, _)| *d <= date);
        n.checked_sub(1)
            .map(|i| (self.events[i].0, self.events[i].1.as_str()))
    }

    /// The map on a date: control fills, town markers, subtitle and caption.
    pub fn scene(&self, state: &State, heading: Option<&str>, description: &str) -> Scene {
        self.scene_between(state, state, 1.0, heading, description)
    }

    /// A cross-fade from `from` to `to` (t = 0 shows `from`, 1 shows `to`): territories that
    /// change hands blend, so an animation shows movement rather than a jump cut. Dates and
    /// captions are those of `to`.
    pub fn scene_between(
        &self,
        from: &State,
        to: &State,
        t: f32,
        heading: Option<&str>,
        description: &str,
    ) -> Scene {
        let (mut fills, mut hatching) = (Layer::new("regions"), Layer::new("hatching"));
        let mut markers = Layer::new("towns");
        let t = t.clamp(0.0, 1.0);
        let (style, m) = (&self.style, &self.meanings);
        if t >= 1.0 || from == to {
            control::control(&self.areas, to, m, Select::ALL, &mut fills, &mut hatching);
            towns::markers(&self.towns, to, m, style, Select::ALL, &mut markers);
        } else {
            let changed = |x: TerritoryId| from.control(x) != to.control(x);
            let unchanged = |x: TerritoryId| !changed(x);
            let sel = Select::only;
            control::control(&self.areas, from, m, Select::ALL, &mut fills, &mut hatching);
            control::control(
                &self.areas,
                to,
                m,
                sel(&changed, t),
                &mut fills,
                &mut hatching,
            );
            towns::markers(
                &self.towns,
                to,
                m,
                style,
                sel(&unchanged, 1.0),
                &mut markers,
            );
            towns::markers(
                &self.towns,
                from,
                m,
                style,
                sel(&changed, 1.0 - t),
                &mut markers,
            );
            towns::markers(&self.towns, to, m, style, sel(&changed, t), &mut markers);
        }
        let subtitle = self.date_line(to.date, heading);
        self.assemble(
            to.date,
            vec![fills, hatching],
            vec![markers, subtitle],
            description,
        )
    }

    /// The date line with the latest event under it.
    fn date_line(&self, date: Date, heading: Option<&str>) -> Layer {
        let lang = self.options.lang;
        let when = display_date_long(date, lang);
        let as_of = lang.pick("As of", "Au");
        let line = match (heading, self.options.compact) {
            (Some(h), false) => format!("{as_of} {when} — {h}"),
            (None, false) => format!("{as_of} {when}"),
            (Some(h), true) => format!("{when} — {h}"),
            (None, true) => when,
        };
        let caption = self.latest_event(date).map(|(d, caption)| {
            let latest = lang.pick("Latest:", "Dernier événement :");
            format!("{latest} {} — {caption}", display_date(d))
        });
        titles::subtitle(&self.header, &line, caption.as_deref(), &self.style)
    }

    /// A scene of this layout's static layers around the given date-dependent ones, with the
    /// timeline cursor when the layout has a strip.
    fn assemble(
        &self,
        date: Date,
        control: Vec<Layer>,
        mut annotations: Vec<Layer>,
        description: &str,
    ) -> Scene {
        if let Some(s) = &self.strip {
            let latest = self.latest_event(date);
            annotations.push(strip::cursor(s, date, latest, &self.style));
        }
        Scene {
            width: self.options.width,
            height: self.options.height,
            background: colours::PAPER,
            title: format!(
                "{} — {}",
                self.title,
                display_date_long(date, self.options.lang)
            ),
            description: description.to_string(),
            underlay: self.underlay.clone(),
            control,
            overlay: self.overlay.clone(),
            annotations,
        }
    }

    /// A change map: territories that changed hands in the new controller's colour with a heavy
    /// outline and a "from → to" label; the rest faded, built with the same builders.
    pub fn change_scene(
        &self,
        to: &State,
        changes: Changes<'_>,
        heading: &str,
        note: &str,
        description: &str,
    ) -> Scene {
        let is_changed = |t: TerritoryId| changes.changed.iter().any(|(c, _)| *c == t);
        let moved = |t: TerritoryId| changes.from.control(t) != to.control(t);
        let kept = |t: TerritoryId| !is_changed(t);
        let still = |t: TerritoryId| !moved(t);
        let (style, m) = (&self.style, &self.meanings);
        let fade_kept = Select {
            faded: Some(&kept),
            ..Select::ALL
        };
        let (mut fills, mut hatching) = (Layer::new("regions"), Layer::new("hatching"));
        control::control(&self.areas, to, m, fade_kept, &mut fills, &mut hatching);
        let mut markers = Layer::new("towns");
        let faint = Select::only(&still, colours::FADE_KEEP);
        towns::markers(&self.towns, to, m, style, faint, &mut markers);
        towns::markers(
            &self.towns,
            to,
            m,
            style,
            Select::only(&moved, 1.0),
            &mut markers,
        );
        let (outlines, labels) = self.change_marks(to, changes.changed);
        let subtitle = titles::subtitle(&self.header, heading, Some(note), style);
        let annotations = vec![outlines, markers, labels, subtitle];
        self.assemble(to.date, vec![fills, hatching], annotations, description)
    }

    /// The heavy outlines of changed areas and their "from → to" labels, placed by the one
    /// placer under each region's name and off the town markers.
    fn change_marks(&self, to: &State, changed: &[(TerritoryId, String)]) -> (Layer, Layer) {
        let style = &self.style;
        let (ink, halo) = style.change_outline;
        let mut outlines = Layer::new("changes");
        let mut requests = Vec::new();
        for (t, label) in changed {
            let Some(i) = self.areas.iter().position(|g| g.territory == *t) else {
                continue;
            };
            let g = &self.areas[i];
            let meta = Some(Arc::new(self.meanings.meta(*t, to, Part::Outline)));
            // White under ink, so the outline reads over dark and light fills alike.
            for (colour, width) in [(colours::WHITE, halo), (colours::INK, ink)] {
                outlines.items.push(Item::Stroke {
                    lines: g.rings.clone(),
                    closed: true,
                    colour,
                    width,
                    meta: meta.clone(),
                });
            }
            let Some([x, y]) = self.region_label_at.get(i).copied().flatten() else {
                continue;
            };
            let candidates = [20.0, 38.0, -22.0, 56.0]
                .iter()
                .map(|dy| (x, y + style.text_px(*dy), Align::Middle))
                .collect();
            requests.push(LabelRequest {
                text: label.clone(),
                style: TextStyle::new(style.change_label, colours::INK)
                    .bold()
                    .aligned(Align::Middle)
                    .halo(colours::HALO),
                candidates,
                frame: None,
                clearance: 0.0,
                always: true,
                meta: Some(Arc::new(self.meanings.meta(*t, to, Part::Label))),
            });
        }
        let r = style.marker_radius(true);
        let mut markers: Vec<Bounds> = self
            .towns
            .iter()
            .map(|p| Bounds::xywh(p.at[0] - r, p.at[1] - r, 2.0 * r, 2.0 * r))
            .collect();
        let mut labels = Layer::new("change-labels");
        for req in &requests {
            // Change labels avoid markers, not each other's boxes (they sit under distinct
            // region names); each is placed against the markers alone.
            let mut obstacles = markers.clone();
            if let Some(p) = place(std::slice::from_ref(req), &mut obstacles)[0] {
                labels.items.push(req.item(&p));
            }
        }
        markers.clear();
        (outlines, labels)
    }
}

/// The controller a territory shows in a state, for callers labelling changes.
pub fn control_of(state: &State, t: TerritoryId) -> Option<Control> {
    state.control(t)
}
