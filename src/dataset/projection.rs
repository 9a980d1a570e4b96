//! Whether the manifest's projection can draw the dataset: every vertex of every region must
//! land on finite coordinates, and together they must span an area, not a point or a line.
//! A projection that fails (`+proj=merc +k_0=0`, an orthographic view of the far side,
//! `+lat_1=inf`) is refused at load with the line of `projection`, instead of drawing an empty
//! or broken map later.

use geo::CoordsIter;
use proj4rs::Proj;
use serde::Deserialize;
use toml::Spanned;

use super::problem::Problems;
use crate::territory::{Shape, Territory};

/// The manifest's `projection` value with its position.
#[derive(Deserialize)]
struct ProjectionOnly {
    projection: Spanned<String>,
}

/// The line of the `projection` key in the manifest text.
fn projection_line(text: &str) -> Option<usize> {
    let p: ProjectionOnly = toml::from_str(text).ok()?;
    Some(text[..p.projection.span().start].matches('\n').count() + 1)
}

/// Records an error at the manifest's `projection` line when the projection cannot place the
/// regions of `territories` or squeezes them into a point or a line.
pub(super) fn check_projection(
    proj_string: &str,
    territories: &[Territory],
    manifest_text: &str,
    manifest_file: &str,
    problems: &mut Problems,
) {
    let (Ok(src), Ok(dst)) = (
        Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs"),
        Proj::from_proj_string(proj_string),
    ) else {
        // A proj string that does not parse is reported by the manifest's own check.
        return;
    };
    let line = projection_line(manifest_text);
    let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for t in territories {
        let Shape::Area(mp) = &t.shape else { continue };
        for c in mp.coords_iter() {
            let mut p = (c.x.to_radians(), c.y.to_radians());
            let placed = proj4rs::transform::transform(&src, &dst, &mut p).is_ok()
                && p.0.is_finite()
                && p.1.is_finite();
            if !placed {
                problems.error(
                    manifest_file,
                    line,
                    format!(
                        "projection '{proj_string}' cannot place region '{}' (at {}, {}): choose a projection centred on the dataset",
                        t.id, c.y, c.x
                    ),
                );
                return;
            }
            min = [min[0].min(p.0), min[1].min(p.1)];
            max = [max[0].max(p.0), max[1].max(p.1)];
        }
    }
    let (w, h) = (max[0] - min[0], max[1] - min[1]);
    // Regions that span a country must span more than a rounding error in both directions.
    let degenerate =
        w.is_finite() && h.is_finite() && (w <= 0.0 || h <= 0.0 || w / h > 1e6 || h / w > 1e6);
    if degenerate {
        problems.error(
            manifest_file,
            line,
            format!(
                "projection '{proj_string}' maps the regions to a point or a line: check its parameters (a scale factor of 0?)"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Names;
    use geo::{MultiPolygon, polygon};

    fn mali_like() -> Vec<Territory> {
        let p = polygon![(x: -4.0, y: 14.0), (x: 0.0, y: 14.0), (x: 0.0, y: 18.0), (x: -4.0, y: 18.0), (x: -4.0, y: 14.0)];
        vec![Territory {
            id: "A".into(),
            kind: crate::territory::Kind::Region,
            names: Names {
                en: "A".into(),
                fr: None,
            },
            shape: Shape::Area(MultiPolygon::new(vec![p])),
            label_at: None,
            file: "regions.geojson".into(),
            line: 2,
            radius_km: None,
        }]
    }

    fn first_error(projection: &str) -> Option<String> {
        let text = format!("title = \"t\"\n\nprojection = \"{projection}\"\n");
        let mut problems = Problems::default();
        check_projection(
            projection,
            &mali_like(),
            &text,
            "dataset.toml",
            &mut problems,
        );
        problems.first_error().map(|e| e.to_string())
    }

    #[test]
    fn a_projection_that_cannot_draw_the_regions_is_refused_at_its_line() {
        for bad in [
            "+proj=merc +k_0=0",
            "+proj=ortho +lat_0=-16 +lon_0=178",
            "+proj=aea +lat_1=inf +lat_2=20 +lon_0=-2",
        ] {
            let e = first_error(bad).unwrap_or_else(|| panic!("{bad} was accepted"));
            assert!(e.starts_with("dataset.toml:3: projection '"), "{e}");
            assert!(!e.contains('\n'), "{e}");
        }
        for good in [
            "+proj=aea +lat_1=12 +lat_2=22 +lat_0=17 +lon_0=-4 +datum=WGS84 +units=m +no_defs",
            "+proj=longlat +datum=WGS84",
            "+proj=ortho +lat_0=16 +lon_0=-2",
        ] {
            assert_eq!(first_error(good), None, "{good}");
        }
    }
}
