//! How far each town's control reaches: the nearest-town partition of each region, cut to a
//! radius around each town.

use geo::{BooleanOps, Coord, LineString, MultiPolygon, Polygon};

use super::geodesic_km2;
use crate::dataset::{Dataset, SNAP_KM};
use crate::error::{Error, Result};
use crate::project::Projection;
use crate::territory::TerritoryId;

/// Vertices of the circle that bounds a town's reach.
const CIRCLE_VERTICES: usize = 72;

/// Each recorded town's area and region, and the areas laid over the regions (zones and
/// snapshot polygons), fixed for the dataset.
#[derive(Debug, Clone)]
pub struct Reaches {
    areas: Vec<Option<MultiPolygon<f64>>>,
    km2: Vec<f64>,
    towns_in: Vec<Vec<TerritoryId>>,
    layers: Vec<TerritoryId>,
    above: Vec<Vec<TerritoryId>>,
}

impl Reaches {
    /// Computes the reach of every town with at least one record.
    ///
    /// ```
    /// use controlmap::{compose::Reaches, dataset::{Dataset, Source}};
    /// let mali = Dataset::load(&Source::Embedded).unwrap();
    /// let reaches = Reaches::new(&mali).unwrap();
    /// let timbuktu = mali.find("timbuktu").unwrap();
    /// let km2 = reaches.km2(timbuktu);
    /// assert!(km2 > 1_000.0 && km2 < 3.2 * 50.0 * 50.0, "{km2}");
    /// ```
    pub fn new(dataset: &Dataset) -> Result<Reaches> {
        let projection = Projection::new(&dataset.manifest.projection)?;
        let n = dataset.territories.len();
        let mut region_of: Vec<Option<TerritoryId>> = vec![None; n];
        let recorded: std::collections::HashSet<TerritoryId> =
            dataset.records.iter().map(|r| r.target).collect();
        for (t, town) in dataset.towns().filter(|(t, _)| recorded.contains(t)) {
            let Some(at) = town.point() else { continue };
            region_of[t.0] = Some(dataset.region_under(at).ok_or_else(|| {
                Error::data(
                    town.file.clone(),
                    Some(town.line),
                    format!(
                        "town '{}' at {:.4}, {:.4} lies outside every region (more than {SNAP_KM} km from the nearest)",
                        town.id, at.y, at.x
                    ),
                )
            })?);
        }
        let mut towns_in = vec![Vec::new(); n];
        for (t, r) in region_of.iter().enumerate() {
            if let Some(r) = r {
                towns_in[r.0].push(TerritoryId(t));
            }
        }
        let mut areas = vec![None; n];
        let mut km2 = vec![0.0; n];
        // Each region's area and its towns' cells are independent of the other regions':
        // measured in parallel, then put in place.
        use rayon::prelude::*;
        let regions: Vec<(TerritoryId, &MultiPolygon<f64>)> = dataset
            .regions()
            .filter_map(|(r, region)| Some((r, region.area()?)))
            .collect();
        let measured: Vec<_> = regions
            .par_iter()
            .map(|&(r, outline)| {
                let towns = town_areas(dataset, &projection, outline, &towns_in[r.0]);
                (r, geodesic_km2(outline), towns)
            })
            .collect();
        for (r, region_km2, towns) in measured {
            km2[r.0] = region_km2;
            for (t, area) in towns {
                km2[t.0] = geodesic_km2(&area);
                areas[t.0] = Some(area);
            }
        }
        let layers: Vec<TerritoryId> = dataset
            .layers()
            .filter(|(_, z)| z.area().is_some_and(|a| !a.0.is_empty()))
            .map(|(z, _)| z)
            .collect();
        for &z in &layers {
            if let Some(a) = dataset.territory(z).area() {
                km2[z.0] = geodesic_km2(a);
                areas[z.0] = Some(a.clone());
            }
        }
        let above = above(dataset, &areas, &towns_in, &layers);
        Ok(Reaches {
            areas,
            km2,
            towns_in,
            layers,
            above,
        })
    }

    /// The zones and snapshot polygons, in the order they are laid (each over those before).
    pub fn layers(&self) -> &[TerritoryId] {
        &self.layers
    }

    /// The areas that cover part of a territory's ground when they hold a record: for a region
    /// its recorded towns, then the layers over it; for a layer the later layers and the town
    /// areas over it; nothing for a town.
    pub fn above(&self, t: TerritoryId) -> &[TerritoryId] {
        self.above.get(t.0).map_or(&[], Vec::as_slice)
    }

    /// How many territories the dataset has.
    pub fn len(&self) -> usize {
        self.areas.len()
    }

    /// Whether the dataset has no territories.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// A town's area, in longitude/latitude degrees.
    pub fn area(&self, t: TerritoryId) -> Option<&MultiPolygon<f64>> {
        self.areas.get(t.0)?.as_ref()
    }

    /// A town's area in km² (0 for a town without one).
    pub fn km2(&self, t: TerritoryId) -> f64 {
        if self.area(t).is_some() {
            self.km2.get(t.0).copied().unwrap_or(0.0)
        } else {
            0.0
        }
    }

    /// The whole area in km² of a territory with an outline of its own (a region, zone or
    /// snapshot polygon), before any area over it is cut out.
    pub fn region_km2(&self, r: TerritoryId) -> f64 {
        self.km2.get(r.0).copied().unwrap_or(0.0)
    }

    /// The recorded towns of a region.
    pub fn towns_in(&self, r: TerritoryId) -> &[TerritoryId] {
        self.towns_in.get(r.0).map_or(&[], Vec::as_slice)
    }
}

/// The areas of a region's recorded towns: each town's nearest-town cell within its radius,
/// cut to the region's outline.
fn town_areas(
    dataset: &Dataset,
    projection: &Projection,
    outline: &MultiPolygon<f64>,
    towns: &[TerritoryId],
) -> Vec<(TerritoryId, MultiPolygon<f64>)> {
    let sites: Vec<(TerritoryId, Coord<f64>, f64)> = towns
        .iter()
        .filter_map(|&t| {
            let town = dataset.territory(t);
            let p = town.point()?;
            let radius = town.radius_km.unwrap_or(dataset.manifest.town_radius_km);
            Some((t, projection.forward(p.x, p.y)?, radius * 1000.0))
        })
        .collect();
    let mut out = Vec::with_capacity(sites.len());
    for (i, &(t, centre, radius)) in sites.iter().enumerate() {
        let mut cell = circle(centre, radius);
        for (j, &(_, other, _)) in sites.iter().enumerate() {
            if i != j {
                cell = nearer_half(&cell, centre, other);
            }
        }
        let Some(cell) = to_lon_lat(&cell, projection) else {
            continue;
        };
        out.push((t, outline.intersection(&MultiPolygon::new(vec![cell]))));
    }
    out
}

/// What lies over each territory (see [`Reaches::above`]). Bounding boxes rule out most pairs
/// before the exact test.
fn above(
    dataset: &Dataset,
    areas: &[Option<MultiPolygon<f64>>],
    towns_in: &[Vec<TerritoryId>],
    layers: &[TerritoryId],
) -> Vec<Vec<TerritoryId>> {
    use geo::{BoundingRect, Intersects};
    let n = dataset.territories.len();
    let mut above = towns_in.to_vec();
    above.resize(n, Vec::new());
    if layers.is_empty() {
        return above;
    }
    let ground = |t: TerritoryId| -> Option<&MultiPolygon<f64>> {
        match dataset.territory(t).kind {
            crate::territory::Kind::Region => dataset.territory(t).area(),
            _ => areas.get(t.0)?.as_ref(),
        }
    };
    let rects: Vec<Option<geo::Rect<f64>>> = (0..n)
        .map(|i| ground(TerritoryId(i)).and_then(|a| a.bounding_rect()))
        .collect();
    let overlaps = |a: TerritoryId, b: TerritoryId| {
        let (Some(ra), Some(rb)) = (rects[a.0], rects[b.0]) else {
            return false;
        };
        if !ra.intersects(&rb) {
            return false;
        }
        match (ground(a), ground(b)) {
            // Touching along an edge is not covering: only a shared interior counts.
            (Some(x), Some(y)) => geodesic_km2(&x.intersection(y)) > 1e-6,
            _ => false,
        }
    };
    let towns: Vec<TerritoryId> = towns_in.iter().flatten().copied().collect();
    for (r, _) in dataset.regions() {
        let over: Vec<TerritoryId> = layers.iter().copied().filter(|&z| overlaps(r, z)).collect();
        above[r.0].extend(over);
    }
    for (k, &z) in layers.iter().enumerate() {
        let zt = dataset.territory(z);
        // Polygons of two snapshot files are never in force together: only those of the same
        // file can lie over one another, which keeps a long archive from being compared pairwise.
        let together = |w: TerritoryId| {
            zt.kind != crate::territory::Kind::Snapshot || dataset.territory(w).file == zt.file
        };
        above[z.0] = layers[k + 1..]
            .iter()
            .copied()
            .filter(|&w| together(w) && overlaps(z, w))
            .chain(towns.iter().copied().filter(|&t| overlaps(z, t)))
            .collect();
    }
    above
}

/// A circle as a polygon in the projected plane.
fn circle(c: Coord<f64>, r: f64) -> Vec<Coord<f64>> {
    (0..CIRCLE_VERTICES)
        .map(|k| {
            let a = std::f64::consts::TAU * k as f64 / CIRCLE_VERTICES as f64;
            Coord {
                x: c.x + r * a.cos(),
                y: c.y + r * a.sin(),
            }
        })
        .collect()
}

/// The part of a convex polygon nearer to `me` than to `other` (one Sutherland–Hodgman step
/// against their perpendicular bisector). geo's Voronoi refuses collinear sites, which any region
/// with two recorded towns has, so the cells are built as a circle cut by half-planes: exact for
/// any number of sites.
fn nearer_half(poly: &[Coord<f64>], me: Coord<f64>, other: Coord<f64>) -> Vec<Coord<f64>> {
    let mid = Coord {
        x: (me.x + other.x) / 2.0,
        y: (me.y + other.y) / 2.0,
    };
    let dir = Coord {
        x: other.x - me.x,
        y: other.y - me.y,
    };
    let side = |p: Coord<f64>| (p.x - mid.x) * dir.x + (p.y - mid.y) * dir.y;
    let mut out = Vec::with_capacity(poly.len() + 1);
    for (k, &a) in poly.iter().enumerate() {
        let b = poly[(k + 1) % poly.len()];
        let (sa, sb) = (side(a), side(b));
        if sa <= 0.0 {
            out.push(a);
        }
        if (sa < 0.0 && sb > 0.0) || (sa > 0.0 && sb < 0.0) {
            let t = sa / (sa - sb);
            out.push(Coord {
                x: a.x + (b.x - a.x) * t,
                y: a.y + (b.y - a.y) * t,
            });
        }
    }
    out
}

/// A projected ring back in longitude/latitude, closed.
fn to_lon_lat(ring: &[Coord<f64>], projection: &Projection) -> Option<Polygon<f64>> {
    if ring.len() < 3 {
        return None;
    }
    let mut pts: Vec<Coord<f64>> = ring
        .iter()
        .map(|c| projection.inverse(*c))
        .collect::<Option<_>>()?;
    pts.push(pts[0]);
    Some(Polygon::new(LineString::new(pts), vec![]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Source;
    use geo::Intersects;

    #[test]
    fn the_half_plane_keeps_the_nearer_side() {
        let square = vec![
            Coord { x: -1.0, y: -1.0 },
            Coord { x: 1.0, y: -1.0 },
            Coord { x: 1.0, y: 1.0 },
            Coord { x: -1.0, y: 1.0 },
        ];
        let half = nearer_half(&square, Coord { x: -0.5, y: 0.0 }, Coord { x: 0.5, y: 0.0 });
        assert!(half.iter().all(|p| p.x <= 1e-12));
        assert_eq!(half.len(), 4);
    }

    #[test]
    fn town_areas_of_one_region_do_not_overlap_and_stay_inside_it() {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let r = Reaches::new(&d).unwrap();
        for (region, outline) in d.regions() {
            let towns = r.towns_in(region);
            let total: f64 = towns.iter().map(|t| r.km2(*t)).sum();
            assert!(total <= r.region_km2(region) + 1.0, "{}", outline.id);
            for (i, a) in towns.iter().enumerate() {
                for b in &towns[i + 1..] {
                    let (Some(x), Some(y)) = (r.area(*a), r.area(*b)) else {
                        continue;
                    };
                    let shared = geodesic_km2(&x.intersection(y));
                    assert!(shared < 0.5, "{} and {} share {shared} km²", a.0, b.0);
                }
            }
        }
        // Sévaré and Mopti are 12 km apart: their bisector splits them.
        let mopti = r.area(d.find("mopti").unwrap()).unwrap();
        let sevare = d.territory(d.find("sevare").unwrap()).point().unwrap();
        assert!(!mopti.intersects(&geo::Point::from(sevare)));
    }
}
