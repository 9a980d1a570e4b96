//! The map's layout, computed once per dataset and frame size: the projection fitted into the
//! frame, the corners the legend and scale bar take, the placed labels and the static layers.
//! Each layer comes from its builder in [`super::layers`]; `MapLayout::scene` adds only what
//! depends on the date.

use std::sync::Arc;

use super::key::{change_rows, drawn_by_records, in_force, legend_rows, one_contest_row};
use super::layers::land::Neighbour;
use super::layers::legend::{Drawn, Row};
use super::layers::locator::Locator;
use super::layers::names::{PlacedLabels, place_labels};
use super::layers::strip::Strip;
use super::layers::titles::Header;
use super::layers::{
    AreaGeom, Meanings, PointGeom, Select, borders, control, land, relief, strip, titles, towns,
    water,
};
use super::pieces::Pieces;
use super::placement::{
    area_geoms, check_legend_fits, neighbour_geoms, place_furniture, point_geoms,
    project_neighbours, project_regions, recorded_towns, water_geoms,
};
use super::style::{Layout, Medium, Style, colours};
use super::{Bounds, Item, Layer, Scene};
use crate::analysis::citations::credit_line;
use crate::compose::Reaches;
use crate::dataset::{Confidence, Dataset};
use crate::date::{Date, display_date, display_date_long};
use crate::error::Result;
use crate::lang::Lang;
use crate::project::{Fit, Projection};
use crate::territory::{TerritoryId, TownRank};
use crate::timeline::State;
use framed::{Framed, LandAndLabels};

#[path = "layout_framed.rs"]
mod framed;

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
    /// The outlet's own credit at the end of the credit line, in place of "Map: controlmap.".
    pub credit: Option<String>,
    /// A change map's layout: its key also explains the outlined, changed ground and the faded
    /// rest.
    pub change_key: bool,
    /// Where the map is read: layout, resolution and whether it is a video frame.
    pub medium: Medium,
    /// Draw the dataset's shaded relief over the fills, when it has one and the relief keeps
    /// every faction's colour within [`relief::DELTA_E_LIMIT`] of its swatch.
    pub relief: bool,
}

impl MapOptions {
    /// The span of the timeline strip drawn: none on a square, which at a phone's type size
    /// has no height for one (its large date says when).
    pub fn drawn_strip(&self) -> Option<(Date, Date)> {
        self.strip.filter(|_| self.medium.layout != Layout::Square)
    }

    /// A plain map of the given size in English.
    pub fn new(width: u32, height: u32) -> MapOptions {
        MapOptions {
            width,
            height,
            lang: Lang::En,
            strip: None,
            compact: false,
            credit: None,
            change_key: false,
            medium: Medium::default(),
            relief: true,
        }
    }
}

/// Largest side accepted for a map, in pixels.
pub const MAX_SIDE: u32 = 16384;

/// Everything about a map that does not depend on the date.
#[derive(Debug, Clone)]
pub struct MapLayout {
    options: MapOptions,
    pub(crate) style: Style,
    pub(crate) meanings: Meanings,
    pub(crate) areas: Vec<AreaGeom>,
    pub(crate) pieces: Pieces,
    pub(crate) towns: Vec<PointGeom>,
    pub(crate) header: Header,
    title: String,
    events: Vec<(Date, String)>,
    strip: Option<Strip>,
    underlay: Arc<Vec<Layer>>,
    /// The relief, lakes and rivers: static, drawn between the control layers and the overlay.
    water: Arc<Vec<Layer>>,
    overlay: Arc<Vec<Layer>>,
    static_key: u64,
    pub(crate) region_label_at: Vec<Option<[f32; 2]>>,
    /// The fitted projection, for callers that place more things on the map.
    pub fit: Fit,
}

/// The credit line's text: the dataset's attribution, the publishers its records cite most,
/// and the outlet's credit (or the tool's).
pub fn credit_text(dataset: &Dataset, options: &MapOptions) -> String {
    credit_line(dataset, options.credit.as_deref(), options.lang)
}

impl MapLayout {
    /// Projects and lays out a dataset's map for a frame size, with a legend for every class its
    /// records draw (within the strip's span when there is one).
    pub fn new(dataset: &Dataset, options: &MapOptions) -> Result<MapLayout> {
        let states = drawn_by_records(dataset, options.strip);
        Self::for_states(dataset, options, &states)
    }

    /// Projects and lays out a dataset's map for a frame size, with a legend for exactly the
    /// classes these states draw.
    pub fn for_states(
        dataset: &Dataset,
        options: &MapOptions,
        states: &[State],
    ) -> Result<MapLayout> {
        // The towns' reaches need only the dataset: they are measured on another thread while
        // the frame is laid out (each is a third of the work).
        let (reaches, framed) = rayon::join(
            || Reaches::new(dataset),
            || Framed::new(dataset, options, states),
        );
        let framed = framed?;
        let reaches = Arc::new(reaches?);
        let LandAndLabels {
            neighbours,
            water,
            areas,
            towns,
            labels,
        } = framed.land_and_labels(dataset, options);
        let Framed {
            style,
            projection,
            header,
            credit,
            furniture,
            ..
        } = framed;
        let (region_labels, town_labels, neighbour_labels, region_label_at) = labels;
        let strip = options
            .drawn_strip()
            .map(|(from, to)| Self::strip_at(from, to, &style, options, &credit));
        let mut overlay = vec![
            borders::region_borders(&areas, &style),
            borders::national_border(&areas, &style),
            region_labels,
            town_labels,
            furniture.legend.0,
            furniture.scale.0,
        ];
        overlay.extend(furniture.locator.map(|(layer, _)| layer));
        overlay.extend(Self::furniture_text(
            dataset,
            (&header, &credit, strip.as_ref()),
            &style,
            options,
        ));
        Ok(MapLayout {
            options: options.clone(),
            meanings: Meanings::new(dataset, options.lang),
            pieces: Pieces::new(
                dataset,
                reaches,
                areas.clone(),
                &projection,
                &furniture.fit,
                &style,
            ),
            style,
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
            water: Arc::new(water),
            overlay: Arc::new(overlay),
            static_key: super::new_static_key(),
            region_label_at,
            fit: furniture.fit,
        })
    }

    /// The title, subtitle and credit, and the timeline strip when there is one.
    fn furniture_text(
        dataset: &Dataset,
        (header, credit, strip): (&Header, &Credit, Option<&Strip>),
        style: &Style,
        options: &MapOptions,
    ) -> Vec<Layer> {
        let mut layers = Self::title_and_credit(dataset, header, style, options, credit);
        if let Some(s) = strip {
            let dates: Vec<Date> = dataset.events.iter().map(|e| e.date).collect();
            layers.push(strip::strip(s, &dates, style));
        }
        layers
    }

    /// The relief, lakes and rivers layers, leaving out those the dataset has nothing for, and
    /// the relief when it is not asked for or would move a faction's colour too far.
    fn water(
        dataset: &Dataset,
        projection: &Projection,
        fit: &Fit,
        style: &Style,
        options: &MapOptions,
    ) -> Vec<Layer> {
        let size = (options.width as f32, options.height as f32);
        let (rivers, lakes) = water_geoms(dataset, projection, fit, size, options.lang);
        let shaded = dataset
            .relief
            .as_ref()
            .filter(|_| options.relief)
            .map(|r| relief::relief(r, projection, fit, (options.width, options.height), style))
            .filter(|l| {
                let swatches: Vec<_> = dataset.manifest.factions.iter().map(|f| f.colour).collect();
                relief::keeps_colours(l, &swatches)
            });
        shaded
            .into_iter()
            .chain([water::lakes(&lakes), water::rivers(&rivers, style)])
            .filter(|l| !l.items.is_empty())
            .collect()
    }

    /// The legend's rows for what `states` draw on these areas and the recorded towns.
    fn rows_for(
        dataset: &Dataset,
        lang: Lang,
        projected: &[super::placement::Projected],
        states: &[State],
    ) -> Vec<Row> {
        let areas: Vec<TerritoryId> = projected.iter().map(|p| p.0).collect();
        let towns: Vec<(TerritoryId, TownRank)> = recorded_towns(dataset)
            .filter_map(|(t, x)| Some((t, x.town_rank()?)))
            .collect();
        let dark = |f: usize| {
            dataset
                .manifest
                .factions
                .get(f)
                .is_some_and(|x| x.colour.luminance() < colours::DARK_LUMINANCE)
        };
        let approximate = |r: usize| {
            dataset
                .records
                .get(r)
                .is_some_and(|x| x.confidence == Confidence::Approximate)
        };
        let mut drawn = Drawn::default();
        for s in states {
            drawn.add(s, &in_force(dataset, &areas, s), &towns, dark, approximate);
        }
        legend_rows(dataset, lang, &drawn)
    }

    /// The lines the longest event caption takes across the frame (at most
    /// [`titles::MAX_CAPTION_LINES`]).
    fn caption_lines(dataset: &Dataset, style: &Style, options: &MapOptions) -> usize {
        let width = options.width as f32 - 2.0 * style.frame_x;
        let latest = options.lang.pick("Latest:", "Dernier événement :");
        let pitch = style.caption * titles::LINE_PITCH;
        let fit = (options.height as f32 * CAPTION_MAX_SHARE / pitch).floor() as usize;
        dataset
            .events
            .iter()
            .map(|e| {
                let line = format!("{latest} {} — {}", display_date(e.date), e.caption);
                titles::wrap(&line, style.caption, false, width).len()
            })
            .max()
            .unwrap_or(1)
            .min(options.medium.layout.caption_lines(options.medium.video))
            // At most a small share of the height, so a small map keeps its room.
            .min(fit.max(1))
    }

    /// The part of the frame the map gets: what the header, the credit and the strip leave.
    fn map_frame(style: &Style, header: &Header, options: &MapOptions, credit: &Credit) -> Bounds {
        let w = options.width as f32;
        let strip_h = if options.drawn_strip().is_some() {
            style.strip_height
        } else {
            0.0
        };
        Bounds {
            x0: style.frame_x,
            y0: header.bottom,
            x1: w - style.frame_x,
            y1: credit.top() - style.footer_gap - strip_h,
        }
    }

    /// The timeline strip's axis, above the credit line.
    fn strip_at(
        from: Date,
        to: Date,
        style: &Style,
        options: &MapOptions,
        credit: &Credit,
    ) -> Strip {
        let top = credit.top() - style.footer_gap - style.strip_height + style.text_px(6.0);
        Strip {
            from,
            to,
            x0: style.frame_x + style.px(10.0),
            x1: options.width as f32 - style.frame_x - style.px(10.0),
            axis_y: top + style.text_px(22.0),
        }
    }

    fn title_and_credit(
        dataset: &Dataset,
        header: &Header,
        style: &Style,
        options: &MapOptions,
        c: &Credit,
    ) -> Vec<Layer> {
        let mut title = titles::title(header, &dataset.manifest.title, style);
        let mut credit = Layer::new("credit");
        if options.compact {
            title.items.clear();
        } else {
            credit = titles::credit(&c.text, style.frame_x, c.base, c.size, (c.width, c.lines));
        }
        vec![title, credit]
    }
}

/// The credit at the foot of the frame: its words, size, lines and last baseline.
struct Credit {
    text: String,
    size: f32,
    lines: usize,
    base: f32,
    width: f32,
}

/// A credit wraps onto lines rather than shrink below this fraction of its size.
const CREDIT_MIN_SHRINK: f32 = 0.8;
/// The most of the frame's height a wrapped caption takes.
const CAPTION_MAX_SHARE: f32 = 0.08;
/// The most of the frame's height a wrapped credit takes.
const CREDIT_MAX_SHARE: f32 = 0.1;
/// The same on a phone, whose type is larger against the frame.
const PHONE_CREDIT_MAX_SHARE: f32 = 0.2;

impl Credit {
    /// The credit of a map: one line (shrunk a little if need be), or up to
    /// [`Layout::credit_lines`](super::style::Layout::credit_lines) on a frame too narrow for it; nothing on a compact map.
    fn of(dataset: &Dataset, style: &Style, options: &MapOptions) -> Credit {
        let h = options.height as f32;
        let width = options.width as f32 - 2.0 * style.frame_x;
        if options.compact {
            return Credit {
                text: String::new(),
                size: 0.0,
                lines: 1,
                base: h,
                width,
            };
        }
        let text = credit_text(dataset, options);
        let mut size = style.credit;
        let lines = if titles::shrunk(&text, size, false, width) >= size * CREDIT_MIN_SHRINK {
            1
        } else {
            // At most a small share of the height, so a small map keeps its room.
            let share = if options.medium.layout.on_phone() {
                PHONE_CREDIT_MAX_SHARE
            } else {
                CREDIT_MAX_SHARE
            };
            let fit = (h * share / (size * titles::LINE_PITCH)).floor() as usize;
            let lines = options.medium.layout.credit_lines().min(fit.max(1));
            // A credit longer than its lines gets smaller all through, not one crushed last
            // line: every line stays as legible as the others.
            let floor = style.credit * CREDIT_MIN_SHRINK;
            while size > floor && titles::wrap(&text, size, false, width).len() > lines {
                size = (size * 0.95).max(floor);
            }
            titles::wrap(&text, size, false, width).len().min(lines)
        };
        Credit {
            text,
            size,
            lines,
            base: h - style.frame_bottom,
            width,
        }
    }

    /// The top of its first line.
    fn top(&self) -> f32 {
        self.base - (self.lines - 1) as f32 * self.size * titles::LINE_PITCH - self.size
    }
}

impl MapLayout {
    /// The options this layout was made for.
    pub fn options(&self) -> &MapOptions {
        &self.options
    }

    /// The dataset's town reaches this layout was built with, for
    /// [`crate::analysis::areas_km2_of`].
    pub fn reaches(&self) -> Arc<crate::compose::Reaches> {
        self.pieces.reaches().clone()
    }

    /// The legend's rows for what these states draw on this layout's areas and towns.
    pub fn key(&self, dataset: &Dataset, states: &[State]) -> Vec<Row> {
        let areas: Vec<TerritoryId> = self.areas.iter().map(|a| a.territory).collect();
        let towns: Vec<(TerritoryId, TownRank)> =
            self.towns.iter().map(|t| (t.territory, t.rank)).collect();
        let mut drawn = Drawn::default();
        for s in states {
            drawn.add(
                s,
                &in_force(dataset, &areas, s),
                &towns,
                |f| self.meanings.colour(f).luminance() < colours::DARK_LUMINANCE,
                |r| {
                    dataset
                        .records
                        .get(r)
                        .is_some_and(|x| x.confidence == Confidence::Approximate)
                },
            );
        }
        legend_rows(dataset, self.options.lang, &drawn)
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
        let ground = self.pieces.of(to);
        if t >= 1.0 || from == to {
            control::control(&ground, to, m, Select::ALL, &mut fills, &mut hatching);
            towns::markers(&self.towns, to, m, style, Select::ALL, &mut markers);
        } else {
            let (was, now) = (self.pieces.active(from), self.pieces.active(to));
            // A region whose towns' areas came or went changes shape: it fades in anew too.
            let changed = |x: TerritoryId| {
                from.control(x) != to.control(x) || self.pieces.reshaped(x, &was, &now)
            };
            let unchanged = |x: TerritoryId| !changed(x);
            let sel = Select::only;
            let before = self.pieces.of(from);
            control::control(&before, from, m, Select::ALL, &mut fills, &mut hatching);
            control::control(&ground, to, m, sel(&changed, t), &mut fills, &mut hatching);
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
        let edges = Self::town_area_edges(&ground, &self.pieces, style);
        self.assemble(
            to,
            vec![fills, hatching, edges],
            vec![markers],
            vec![subtitle],
            description,
        )
    }

    /// Light outlines around the town areas drawn, lighter than region borders.
    fn town_area_edges(ground: &[AreaGeom], pieces: &Pieces, style: &Style) -> Layer {
        let lines: Vec<_> = ground
            .iter()
            .filter(|g| pieces.town(g.territory).is_some())
            .flat_map(|g| g.rings.iter().cloned())
            .collect();
        let items = if lines.is_empty() {
            Vec::new()
        } else {
            vec![Item::stroke(
                lines,
                true,
                colours::TOWN_AREA_EDGE,
                style.town_area_border,
            )]
        };
        Layer::with_items("town-area-borders", items)
    }

    /// The date line with the latest event under it.
    fn date_line(&self, date: Date, heading: Option<&str>) -> Layer {
        let lang = self.options.lang;
        let when = display_date_long(date, lang);
        let as_of = lang.pick("As of", "Au");
        // A video frame's date is a stamp, read at a glance: the date alone.
        let short = self.options.compact || self.options.medium.video;
        let line = match (heading, short) {
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

    /// A scene of this layout's static layers around the given state- and date-dependent ones,
    /// with the timeline cursor when the layout has a strip.
    pub(crate) fn assemble(
        &self,
        to: &State,
        control: Vec<Layer>,
        marks: Vec<Layer>,
        mut annotations: Vec<Layer>,
        description: &str,
    ) -> Scene {
        let date = to.date;
        if let Some(s) = &self.strip {
            let latest = self.latest_event(date);
            annotations.push(strip::cursor(s, date, latest, &self.style));
        }
        Scene {
            static_key: self.static_key,
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
            water: self.water.clone(),
            overlay: Arc::new(self.meanings.refresh(&self.overlay, to)),
            marks,
            annotations,
        }
    }
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "layout_media_tests.rs"]
mod media_tests;
