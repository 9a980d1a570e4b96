//! Placing a map in its frame: the regions projected and fitted, the corners the legend and
//! the scale bar take, and every territory's geometry in pixels.

use geo::{BoundingRect, Coord, MapCoords, MultiPolygon, Rect};

use super::layers::land::Neighbour;
use super::layers::legend::{self, Row};
use super::layers::locator::{Locator, inset};
use super::layers::water::{LakeGeom, RiverGeom};
use super::layers::{AreaGeom, PointGeom, scale_bar};
use super::style::{FIT_PAD_FRACTION, LEGEND_MAX_COVER, LOCATOR_MAX_COVER, Layout, Style};
use super::{Bounds, Layer};
use crate::dataset::Dataset;
use crate::error::{Error, Field, Result};
use crate::lang::Lang;
use crate::project::{Fit, Projection};
use crate::territory::TerritoryId;

/// An edge of a region's outline: (region, start, end).
type Edge = (usize, Coord<f64>, Coord<f64>);

/// Where the mapped regions lie in the frame: furniture and names ask how much of a box they
/// would hide dozens of times per layout, and testing each sample point against whole
/// outlines (geo's `intersects` measures an outline's bounds on every call) cost a third of a
/// map's drawing time. The outlines' edges are filed by the pixel rows they cross, so a point
/// is tested against the few edges of its row.
pub(crate) struct Cover {
    /// The first row filed.
    y0: i32,
    /// Per row from `y0`, the edges crossing it, region after region.
    rows: Vec<Vec<Edge>>,
}

impl Cover {
    /// The regions in pixels, their edges filed by row.
    pub(crate) fn of(regions: &[MultiPolygon<f64>]) -> Cover {
        let Some(b) = regions
            .iter()
            .filter_map(BoundingRect::bounding_rect)
            .reduce(union_rect)
        else {
            return Cover {
                y0: 0,
                rows: Vec::new(),
            };
        };
        let y0 = b.min().y.floor() as i32;
        let height = (b.max().y.floor() as i32 - y0 + 1).max(1) as usize;
        let mut rows = vec![Vec::new(); height];
        for (k, region) in regions.iter().enumerate() {
            let rings = region
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
            for line in rings.flat_map(|r| r.lines()) {
                let (lo, hi) = (line.start.y.min(line.end.y), line.start.y.max(line.end.y));
                let first = (lo.floor() as i32 - y0).max(0) as usize;
                let last = ((hi.floor() as i32 - y0).max(0) as usize).min(height - 1);
                for row in &mut rows[first..=last] {
                    row.push((k, line.start, line.end));
                }
            }
        }
        Cover { y0, rows }
    }

    /// Whether the point lies inside a region (even-odd, as regions are drawn).
    fn at(&self, x: f32, y: f32) -> bool {
        let (x, y) = (f64::from(x), f64::from(y));
        let row = y.floor() as i64 - i64::from(self.y0);
        let Some(edges) = usize::try_from(row).ok().and_then(|r| self.rows.get(r)) else {
            return false;
        };
        // A row's edges are filed region after region: each region's crossings are counted
        // in one stretch, and an odd count is inside it.
        let (mut region, mut odd) = (usize::MAX, false);
        for (k, a, b) in edges {
            if *k != region {
                if odd {
                    return true;
                }
                (region, odd) = (*k, false);
            }
            if (a.y > y) != (b.y > y) && x < a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x) {
                odd = !odd;
            }
        }
        odd
    }

    /// The fraction of a box that lies over the regions, from a grid of sample points.
    pub(crate) fn fraction(&self, b: &Bounds) -> f32 {
        share_of_samples(b, |x, y| self.at(x, y))
    }
}

/// The share of a 16 x 10 grid of points across a box for which `hit` holds.
pub(crate) fn share_of_samples(b: &Bounds, hit: impl Fn(f32, f32) -> bool) -> f32 {
    let (nx, ny) = (16, 10);
    let mut hits = 0;
    for i in 0..nx {
        for j in 0..ny {
            let x = b.x0 + (b.x1 - b.x0) * (i as f32 + 0.5) / nx as f32;
            let y = b.y0 + (b.y1 - b.y0) * (j as f32 + 0.5) / ny as f32;
            hits += usize::from(hit(x, y));
        }
    }
    hits as f32 / (nx * ny) as f32
}

/// Drops vertices that move the outline by less than a third of a pixel: invisible, and it
/// spares the rasteriser most of the edges of detailed outlines.
pub(crate) fn simplify_px(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    super::simplify::multi_polygon(mp, SIMPLIFY_PX)
}

/// How far, in pixels, a dropped vertex may lie from the simplified outline or line.
const SIMPLIFY_PX: f64 = 0.33;

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

/// A region projected (not yet fitted): its territory, id and outline in projected metres.
pub(crate) type Projected = (TerritoryId, String, MultiPolygon<f64>);

/// The regions projected (not yet fitted), with the bounds of them all.
pub(crate) fn project_regions(
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
        .reduce(union_rect)
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
pub(crate) struct Furniture {
    pub(crate) fit: Fit,
    pub(crate) region_px: Vec<MultiPolygon<f64>>,
    /// Where the regions lie, for names that keep off them.
    pub(crate) cover: Cover,
    pub(crate) legend: (Layer, Bounds),
    pub(crate) scale: (Layer, Bounds),
    /// The locator inset and its box, when the dataset has one and a corner is free for it.
    pub(crate) locator: Option<(Layer, Bounds)>,
}

/// The map fitted into its frame and the legend placed beside or under it.
struct Fitted {
    fit: Fit,
    region_px: Vec<MultiPolygon<f64>>,
    /// Where `region_px` lies, for the furniture placed after the legend.
    cover: Cover,
    legend: (Layer, Bounds),
    /// The part of the frame the map has, where the scale bar and the inset go.
    map_frame: Bounds,
}

/// The regions in pixels under a fit, simplified for drawing.
fn project_all(projected: &[Projected], fit: &Fit) -> Vec<MultiPolygon<f64>> {
    projected
        .iter()
        .map(|(_, _, p)| simplify_px(&p.map_coords(|c| fit.to_px(c))))
        .collect()
}

/// The legend takes the corner of the frame where it hides the least of the map; when every
/// corner would hide some, the map moves right to make a column for it.
fn legend_in_corner(
    projected: &[Projected],
    bounds: Rect<f64>,
    rows: &[Row],
    style: &Style,
    lang: Lang,
    map_frame: Bounds,
) -> Fitted {
    let mut fit = fit_into(bounds, map_frame);
    let mut region_px = project_all(projected, &fit);
    // Dozens of factions wrap into columns rather than run below the map, as long as the
    // columns fit across it; otherwise one column, which may reach below the map frame (an
    // image too small even for that is refused by the layout).
    let frame_h = map_frame.y1 - map_frame.y0;
    let (_, wrapped) = legend::legend_within(rows, style, lang, 0.0, 0.0, frame_h);
    let max_h = if wrapped.x1 - wrapped.x0 <= map_frame.x1 - map_frame.x0 {
        frame_h
    } else {
        f32::INFINITY
    };
    let (_, size) = legend::legend_within(rows, style, lang, 0.0, 0.0, max_h);
    let (lw, lh) = (size.x1 - size.x0, size.y1 - size.y0);
    let mut cover = Cover::of(&region_px);
    let mut at = corners(&map_frame, lw, lh)
        .into_iter()
        .map(|b| (cover.fraction(&b), b))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map_or(size, |(_, b)| b);
    if cover.fraction(&at) > LEGEND_MAX_COVER {
        let narrowed = Bounds {
            x0: map_frame.x0 + lw + style.legend_column_gap,
            ..map_frame
        };
        fit = fit_into(bounds, narrowed);
        region_px = project_all(projected, &fit);
        cover = Cover::of(&region_px);
        at = Bounds::xywh(map_frame.x0, map_frame.y0, lw, lh);
    }
    Fitted {
        fit,
        region_px,
        cover,
        legend: legend::legend_within(rows, style, lang, at.x0, at.y0, max_h),
        map_frame,
    }
}

/// The legend under the map as a flowing key across the frame's width, and the map and
/// legend together centred in the height they leave: a phone or a 9:16 frame has height to
/// spare and no corner the map does not fill.
fn legend_below(
    projected: &[Projected],
    bounds: Rect<f64>,
    rows: &[Row],
    style: &Style,
    lang: Lang,
    map_frame: Bounds,
) -> Fitted {
    let width = map_frame.x1 - map_frame.x0;
    let (_, size) = legend::legend_flow(rows, style, lang, (0.0, 0.0), width);
    let lh = size.y1 - size.y0;
    let gap = style.legend_column_gap;
    let above = Bounds {
        y1: (map_frame.y1 - lh - gap).max(map_frame.y0 + 1.0),
        ..map_frame
    };
    // The map's own height once fitted, so the slack can go above and below the pair.
    let fitted = fit_into(bounds, above);
    let map_h = (bounds.height() * fitted.scale) as f32
        + 2.0 * FIT_PAD_FRACTION as f32 * (above.y1 - above.y0);
    let slack = ((above.y1 - above.y0) - map_h).max(0.0) / 2.0;
    let frame = Bounds {
        y0: above.y0 + slack,
        y1: above.y0 + slack + map_h.min(above.y1 - above.y0),
        ..above
    };
    let fit = fit_into(bounds, frame);
    let region_px = project_all(projected, &fit);
    Fitted {
        cover: Cover::of(&region_px),
        region_px,
        fit,
        legend: legend::legend_flow(rows, style, lang, (map_frame.x0, frame.y1 + gap), width),
        map_frame: frame,
    }
}

/// The widths, as fractions of the frame's, a key beside the map may take: the narrowest
/// whose column fits the height.
const KEY_BESIDE_FRACTIONS: [f32; 4] = [0.4, 0.5, 0.6, 0.66];

/// The legend as a flowing key in a column at the left of the frame (its short words wrap
/// onto lines within the narrowest of [`KEY_BESIDE_FRACTIONS`] of the width that fits the
/// height, else under the map), centred in the height, and the map fitted into the rest.
fn legend_beside(
    projected: &[Projected],
    bounds: Rect<f64>,
    rows: &[Row],
    style: &Style,
    lang: Lang,
    map_frame: Bounds,
) -> Fitted {
    let frame_h = map_frame.y1 - map_frame.y0;
    let keys = KEY_BESIDE_FRACTIONS.iter().map(|f| {
        let max_w = (map_frame.x1 - map_frame.x0) * f;
        (
            max_w,
            legend::legend_flow(rows, style, lang, (0.0, 0.0), max_w).1,
        )
    });
    let mut keys = keys.skip_while(|(_, b)| b.y1 - b.y0 > frame_h);
    let Some((max_w, size)) = keys.next() else {
        // Too many classes for a column: under the map, across the width.
        return legend_below(projected, bounds, rows, style, lang, map_frame);
    };
    let (lw, lh) = (size.x1 - size.x0, size.y1 - size.y0);
    let frame = Bounds {
        x0: map_frame.x0 + lw + style.legend_column_gap,
        ..map_frame
    };
    let fit = fit_into(bounds, frame);
    let top = map_frame.y0 + ((map_frame.y1 - map_frame.y0) - lh).max(0.0) / 2.0;
    let region_px = project_all(projected, &fit);
    Fitted {
        cover: Cover::of(&region_px),
        region_px,
        fit,
        legend: legend::legend_flow(rows, style, lang, (map_frame.x0, top), max_w),
        map_frame: frame,
    }
}

/// Where the legend goes (under or beside the map on layouts read on a phone, else in a
/// corner). The
/// scale bar then takes the freest remaining corner, preferring the bottom right, and the
/// locator inset the freest corner left.
#[allow(clippy::too_many_arguments)]
pub(crate) fn place_furniture(
    projected: &[Projected],
    bounds: Rect<f64>,
    rows: &[Row],
    style: &Style,
    lang: Lang,
    map_frame: Bounds,
    (compact, layout): (bool, Layout),
    locator: Option<&Locator>,
) -> Furniture {
    if compact {
        let fit = fit_into(bounds, map_frame);
        let none = |name, x, y| (Layer::new(name), Bounds::xywh(x, y, 0.0, 0.0));
        let region_px = project_all(projected, &fit);
        return Furniture {
            cover: Cover::of(&region_px),
            region_px,
            fit,
            legend: none("legend", map_frame.x0, map_frame.y0),
            scale: none("scale-bar", map_frame.x1, map_frame.y1),
            locator: None,
        };
    }
    let place = if layout.key_below() {
        legend_below
    } else if layout.key_beside() {
        legend_beside
    } else {
        legend_in_corner
    };
    let Fitted {
        fit,
        region_px,
        cover,
        legend,
        map_frame,
    } = place(projected, bounds, rows, style, lang, map_frame);
    let (scale_layer, scale_box) =
        scale_bar::scale_bar((fit.scale * 1000.0) as f32, style, map_frame);
    let (sw, sh) = (scale_box.x1 - scale_box.x0, scale_box.y1 - scale_box.y0);
    let mut options: Vec<Bounds> = corners(&map_frame.grow(-style.px(14.0)), sw, sh)
        .into_iter()
        .rev()
        .filter(|b| !b.overlaps(&legend.1))
        .collect();
    options.sort_by(|a, b| cover.fraction(a).total_cmp(&cover.fraction(b)));
    let scale_at = options.first().copied().unwrap_or(scale_box);
    let scale = (
        scale_layer.translated(scale_at.x0 - scale_box.x0, scale_at.y0 - scale_box.y0),
        scale_at,
    );
    let taken = [legend.1, scale.1];
    let locator = locator.and_then(|l| place_locator(l, &cover, &taken, style, map_frame));
    Furniture {
        fit,
        region_px,
        cover,
        legend,
        scale,
        locator,
    }
}

/// The locator inset in the corner of the frame where it hides the least of the map, away from
/// what is `taken`; none when every such corner would hide some of it.
fn place_locator(
    locator: &Locator,
    cover: &Cover,
    taken: &[Bounds],
    style: &Style,
    map_frame: Bounds,
) -> Option<(Layer, Bounds)> {
    let (layer, b) = inset(locator, style)?;
    let (w, h) = (b.x1 - b.x0, b.y1 - b.y0);
    let clear = |c: &Bounds| !taken.iter().any(|t| t.grow(style.obstacle_pad).overlaps(c));
    let at = corners(&map_frame.grow(-style.px(14.0)), w, h)
        .into_iter()
        .filter(clear)
        .map(|c| (cover.fraction(&c), c))
        .filter(|(cover, _)| *cover <= LOCATOR_MAX_COVER)
        .min_by(|a, b| a.0.total_cmp(&b.0))?
        .1;
    Some((layer.translated(at.x0 - b.x0, at.y0 - b.y0), at))
}

/// Refuses a legend that even in columns runs off a `width` x `height` image (dozens of
/// factions on a small map), rather than draw it cut off.
pub(crate) fn check_legend_fits(
    legend: &Bounds,
    (width, height): (u32, u32),
    rows: usize,
) -> Result<()> {
    let inside = legend.x0 >= 0.0
        && legend.y0 >= 0.0
        && legend.x1 <= width as f32
        && legend.y1 <= height as f32;
    if inside {
        return Ok(());
    }
    Err(Error::usage_of(
        Field::Size,
        format!(
            "the legend's {rows} rows do not fit a {width}x{height} map, even in columns: give a larger size"
        ),
    ))
}

/// The towns with at least one record: the others are context the records never use.
pub(crate) fn recorded_towns(
    dataset: &Dataset,
) -> impl Iterator<Item = (TerritoryId, &crate::territory::Territory)> {
    let recorded: std::collections::HashSet<TerritoryId> =
        dataset.records.iter().map(|r| r.target).collect();
    dataset.towns().filter(move |(i, _)| recorded.contains(i))
}

/// The recorded towns, projected.
pub(crate) fn point_geoms(dataset: &Dataset, projection: &Projection, fit: &Fit) -> Vec<PointGeom> {
    recorded_towns(dataset)
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

/// The neighbours projected (not yet fitted), with their ids.
pub(crate) fn project_neighbours(
    dataset: &Dataset,
    projection: &Projection,
) -> Vec<(String, MultiPolygon<f64>)> {
    use rayon::prelude::*;
    dataset
        .neighbours
        .par_iter()
        .map(|n| (n.id.clone(), projection.forward_multipolygon(&n.geometry)))
        .collect()
}

/// The neighbours (from [`project_neighbours`]) fitted and clipped to just outside the frame (so
/// the cut edges never show): nothing spills into a neighbouring map of a grid, and the
/// rasteriser sees only what can show.
pub(crate) fn neighbour_geoms(
    projected: &[(String, MultiPolygon<f64>)],
    fit: &Fit,
    w: f32,
    h: f32,
) -> Vec<Neighbour> {
    use geo::BooleanOps;
    use rayon::prelude::*;
    let clip = Bounds::xywh(0.0, 0.0, w, h).grow(2.0).polygon();
    projected
        .par_iter()
        .map(|(id, metres)| Neighbour {
            id: id.clone(),
            px: simplify_px(&metres.map_coords(|c| fit.to_px(c))).intersection(&clip),
        })
        .collect()
}

/// Each region's outline, stripes and no-data lines in pixels.
pub(crate) fn area_geoms(
    projected: &[Projected],
    region_px: &[MultiPolygon<f64>],
    style: &Style,
) -> Vec<AreaGeom> {
    let stripe = f64::from(style.stripe);
    projected
        .iter()
        .zip(region_px)
        .map(|((t, id, _), px)| super::pieces::area_geom(*t, id, px.clone(), stripe))
        .collect()
}

/// The rivers and lakes projected into the frame, with their names in `lang`. Both are clipped
/// to just outside the frame like the neighbours, so that nothing spills into the next map of a
/// grid.
pub(crate) fn water_geoms(
    dataset: &Dataset,
    projection: &Projection,
    fit: &Fit,
    (w, h): (f32, f32),
    lang: Lang,
) -> (Vec<RiverGeom>, Vec<LakeGeom>) {
    use geo::BooleanOps;
    let frame = Bounds::xywh(0.0, 0.0, w, h).grow(2.0);
    let to_px = |c: Coord<f64>| {
        projection.forward(c.x, c.y).map_or(
            Coord {
                x: f64::NAN,
                y: f64::NAN,
            },
            |p| fit.to_px(p),
        )
    };
    let rivers = dataset
        .context
        .rivers
        .iter()
        .map(|r| {
            let px = super::simplify::multi_line_string(&r.lines.map_coords(to_px), SIMPLIFY_PX);
            RiverGeom {
                id: r.id.clone(),
                name: r.name(lang).to_string(),
                rank: r.rank,
                lines: px.0.iter().flat_map(|l| clip_line(l, &frame)).collect(),
            }
        })
        .collect();
    let clip = frame.polygon();
    let lakes = dataset
        .context
        .lakes
        .iter()
        .map(|l| LakeGeom {
            id: l.id.clone(),
            name: l.name(lang).to_string(),
            rings: super::hatch::rings_of(
                &simplify_px(&l.geometry.map_coords(to_px)).intersection(&clip),
            ),
        })
        .collect();
    (rivers, lakes)
}

/// The runs of a line inside a box, each segment cut where it crosses the box's edges
/// (Liang–Barsky), so a river leaving the frame and coming back is drawn as two runs.
fn clip_line(line: &geo::LineString<f64>, b: &Bounds) -> Vec<super::Ring> {
    let (x0, y0, x1, y1) = (
        f64::from(b.x0),
        f64::from(b.y0),
        f64::from(b.x1),
        f64::from(b.y1),
    );
    let pt = |c: Coord<f64>| [c.x as f32, c.y as f32];
    let mut runs: Vec<super::Ring> = Vec::new();
    let mut run: super::Ring = Vec::new();
    for seg in line.lines() {
        let (a, d) = (seg.start, seg.delta());
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        let edges = [
            (-d.x, a.x - x0),
            (d.x, x1 - a.x),
            (-d.y, a.y - y0),
            (d.y, y1 - a.y),
        ];
        let mut inside = a.x.is_finite() && seg.end.x.is_finite();
        for (p, q) in edges {
            if p == 0.0 {
                inside &= q >= 0.0;
            } else if p < 0.0 {
                t0 = t0.max(q / p);
            } else {
                t1 = t1.min(q / p);
            }
        }
        if !inside || t0 > t1 {
            if run.len() >= 2 {
                runs.push(std::mem::take(&mut run));
            }
            run.clear();
            continue;
        }
        let at = |t: f64| {
            pt(Coord {
                x: a.x + t * d.x,
                y: a.y + t * d.y,
            })
        };
        if run.is_empty() {
            run.push(at(t0));
        }
        run.push(at(t1));
        if t1 < 1.0 {
            runs.push(std::mem::take(&mut run));
        }
    }
    if run.len() >= 2 {
        runs.push(run);
    }
    runs
}

/// The smallest rectangle holding both.
pub(crate) fn union_rect(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
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
}
