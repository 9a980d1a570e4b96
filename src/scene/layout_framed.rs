//! The first stages of [`super::MapLayout::for_states`]: the frame and its furniture laid out,
//! then the land under the map and the labels over it, each pair built side by side.

use super::*;

/// The frame of a map laid out: the style, the header and credit, the regions projected and
/// the furniture (legend, scale bar, locator) placed around them with the fit.
pub(super) struct Framed {
    pub(super) style: Style,
    pub(super) projection: Projection,
    pub(super) header: Header,
    pub(super) credit: Credit,
    pub(super) map_frame: Bounds,
    pub(super) projected: Vec<crate::scene::placement::Projected>,
    /// The neighbours projected, for fitting once the furniture is placed.
    pub(super) neighbours: Vec<(String, geo::MultiPolygon<f64>)>,
    pub(super) furniture: crate::scene::placement::Furniture,
}

impl Framed {
    pub(super) fn new(dataset: &Dataset, options: &MapOptions, states: &[State]) -> Result<Framed> {
        let style = Style::for_medium(options.width, options.height, &options.medium);
        let projection = Projection::new(&dataset.manifest.projection)?;
        let header = Header::new(
            &style,
            options.compact,
            options.width as f32,
            MapLayout::caption_lines(dataset, &style, options),
        );
        let credit = Credit::of(dataset, &style, options);
        let map_frame = MapLayout::map_frame(&style, &header, options, &credit);
        let (projected, bounds) = project_regions(dataset, &projection)?;
        let mut rows = MapLayout::rows_for(dataset, options.lang, &projected, states);
        if style.short_key {
            rows = one_contest_row(rows);
        }
        if options.change_key {
            rows.extend(change_rows(&rows));
        }
        let locator = (!options.compact).then(|| Locator::of(dataset)).flatten();
        let furniture = place_furniture(
            &projected,
            bounds,
            &rows,
            &style,
            options.lang,
            map_frame,
            (options.compact, options.medium.layout),
            locator.as_ref(),
        );
        check_legend_fits(
            &furniture.legend.1,
            (options.width, options.height),
            rows.len(),
        )?;
        let neighbours = project_neighbours(dataset, &projection);
        Ok(Framed {
            style,
            projection,
            header,
            credit,
            map_frame,
            projected,
            neighbours,
            furniture,
        })
    }
}

impl Framed {
    /// The neighbours' land and the water under the map, and the regions' and towns' shapes
    /// and labels over it: independent, so built on one thread each.
    pub(super) fn land_and_labels(&self, dataset: &Dataset, options: &MapOptions) -> LandAndLabels {
        let (w, h) = (options.width as f32, options.height as f32);
        let fit = &self.furniture.fit;
        let ((neighbours, water), (areas, towns, labels)) = rayon::join(
            || {
                (
                    neighbour_geoms(&self.neighbours, fit, w, h),
                    MapLayout::water(dataset, &self.projection, fit, &self.style, options),
                )
            },
            || {
                let areas = area_geoms(&self.projected, &self.furniture.region_px, &self.style);
                let towns = point_geoms(dataset, &self.projection, fit);
                let labels = place_labels(
                    dataset,
                    &self.projection,
                    &self.furniture,
                    &areas,
                    &towns,
                    &self.style,
                    options.lang,
                    (w, h, self.map_frame),
                );
                (areas, towns, labels)
            },
        );
        LandAndLabels {
            neighbours,
            water,
            areas,
            towns,
            labels,
        }
    }
}

/// What [`Framed::land_and_labels`] builds.
pub(super) struct LandAndLabels {
    pub(super) neighbours: Vec<Neighbour>,
    pub(super) water: Vec<Layer>,
    pub(super) areas: Vec<AreaGeom>,
    pub(super) towns: Vec<PointGeom>,
    pub(super) labels: PlacedLabels,
}
