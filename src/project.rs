//! Map projection (through proj4rs) and fitting projected geometry into a pixel frame.

use geo::{Coord, MapCoords, MultiPolygon, Rect};
use proj4rs::Proj;

use crate::error::{Error, Result};

/// A projection from longitude/latitude degrees to metres on the map plane.
#[derive(Debug)]
pub struct Projection {
    src: Proj,
    dst: Proj,
}

impl Projection {
    /// Builds a projection from a proj string such as `+proj=aea +lat_1=12 +lat_2=22 …`.
    pub fn new(proj_string: &str) -> Result<Projection> {
        let bad =
            |e: proj4rs::errors::Error| Error::usage(format!("projection '{proj_string}': {e}"));
        let src = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs").map_err(bad)?;
        let dst = Proj::from_proj_string(proj_string).map_err(bad)?;
        Ok(Projection { src, dst })
    }

    /// Projects one point given in degrees; `None` if the projection cannot place it.
    pub fn forward(&self, lon: f64, lat: f64) -> Option<Coord<f64>> {
        let mut p = (lon.to_radians(), lat.to_radians());
        proj4rs::transform::transform(&self.src, &self.dst, &mut p).ok()?;
        if self.dst.is_latlong() {
            p = (p.0.to_degrees(), p.1.to_degrees());
        }
        (p.0.is_finite() && p.1.is_finite()).then_some(Coord { x: p.0, y: p.1 })
    }

    /// The longitude and latitude in degrees of a projected point; `None` if there is none.
    pub fn inverse(&self, c: Coord<f64>) -> Option<Coord<f64>> {
        let mut p = if self.dst.is_latlong() {
            (c.x.to_radians(), c.y.to_radians())
        } else {
            (c.x, c.y)
        };
        proj4rs::transform::transform(&self.dst, &self.src, &mut p).ok()?;
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        (lon.is_finite() && lat.is_finite()).then_some(Coord { x: lon, y: lat })
    }

    /// Projects a multipolygon; points the projection cannot place are dropped.
    pub fn forward_multipolygon(&self, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        mp.map_coords(|c| {
            self.forward(c.x, c.y).unwrap_or(Coord {
                x: f64::NAN,
                y: f64::NAN,
            })
        })
    }
}

/// An affine map from projected metres to pixels: uniform scale, y pointing down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// Pixels per metre.
    pub scale: f64,
    /// Pixel x of projected x = 0.
    pub offset_x: f64,
    /// Pixel y of projected y = 0.
    pub offset_y: f64,
}

impl Fit {
    /// The largest uniform scale that puts `bounds` (projected) inside `frame` (pixels), centred.
    pub fn contain(bounds: Rect<f64>, frame: Rect<f64>) -> Fit {
        let sx = frame.width() / bounds.width().max(f64::EPSILON);
        let sy = frame.height() / bounds.height().max(f64::EPSILON);
        let scale = sx.min(sy);
        let cx = (bounds.min().x + bounds.max().x) / 2.0;
        let cy = (bounds.min().y + bounds.max().y) / 2.0;
        let fx = (frame.min().x + frame.max().x) / 2.0;
        let fy = (frame.min().y + frame.max().y) / 2.0;
        Fit {
            scale,
            offset_x: fx - cx * scale,
            offset_y: fy + cy * scale,
        }
    }

    /// Projected metres to pixels.
    pub fn to_px(&self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: self.offset_x + c.x * self.scale,
            y: self.offset_y - c.y * self.scale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn albers_centre_projects_to_origin_and_scales_in_metres() {
        let p = Projection::new(
            "+proj=aea +lat_1=12 +lat_2=22 +lat_0=17 +lon_0=-4 +datum=WGS84 +units=m +no_defs",
        )
        .unwrap();
        let c = p.forward(-4.0, 17.0).unwrap();
        assert!(c.x.abs() < 1e-6 && c.y.abs() < 1e-6, "{c:?}");
        // One degree of latitude is about 110.6 km at 17°N.
        let n = p.forward(-4.0, 18.0).unwrap();
        assert!((n.y - 110_700.0).abs() < 1_000.0, "{n:?}");
    }

    #[test]
    fn inverse_undoes_forward() {
        let p = Projection::new(
            "+proj=aea +lat_1=12 +lat_2=22 +lat_0=17 +lon_0=-4 +datum=WGS84 +units=m +no_defs",
        )
        .unwrap();
        let c = p.forward(-3.0074, 16.7735).unwrap();
        let back = p.inverse(c).unwrap();
        assert!((back.x + 3.0074).abs() < 1e-7 && (back.y - 16.7735).abs() < 1e-7);
    }

    #[test]
    fn fit_centres_and_flips_y() {
        let f = Fit::contain(
            Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 10.0, y: 5.0 }),
            Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 100.0, y: 100.0 }),
        );
        assert_eq!(f.to_px(Coord { x: 0.0, y: 5.0 }), Coord { x: 0.0, y: 25.0 });
        assert_eq!(
            f.to_px(Coord { x: 10.0, y: 0.0 }),
            Coord { x: 100.0, y: 75.0 }
        );
    }
}
