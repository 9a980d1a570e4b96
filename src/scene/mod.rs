//! A styled, projected map model: named layers of plain items in pixel space.
//!
//! Scenes are plain data. The PNG and SVG renderers draw the same scene; tests assert on it
//! ("ML-8 is filled in the MNLA colour on 2012-07-01") rather than on pixels.

pub mod change_map;
pub mod grid;
pub mod hatch;
pub mod key;
pub mod layers;
pub mod layout;
pub mod pieces;
pub mod placement;
pub mod simplify;
pub mod style;
pub mod text;

use std::sync::Arc;

use crate::colour::Rgba;
use crate::dataset::Confidence;
use crate::date::Date;

pub use layout::{MapLayout, MapOptions};

/// A closed or open run of points in pixel space.
pub type Ring = Vec<[f32; 2]>;

/// Horizontal alignment of a text against its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text starts at the anchor.
    Start,
    /// Text is centred on the anchor.
    Middle,
    /// Text ends at the anchor.
    End,
}

/// Which part of a territory's drawing an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// The area's fill.
    Fill,
    /// The hatching over a contested or no-data area.
    Hatch,
    /// A town's marker.
    Marker,
    /// A name written on the map.
    Label,
    /// An outline drawn around the territory (the change map's).
    Outline,
}

impl Part {
    /// The word used in SVG classes and ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Fill => "fill",
            Part::Hatch => "hatch",
            Part::Marker => "marker",
            Part::Label => "label",
            Part::Outline => "outline",
        }
    }
}

/// What a drawn item shows: which territory, who held it, since when, how surely, and on
/// whose word. Renderers write it out (SVG attributes, HTML tooltips) without going back to the
/// dataset; tests read it to check the map says what the records say.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// The territory's id (`ML-8`, `timbuktu`).
    pub territory: String,
    /// Its kind (`region`, `town`).
    pub kind: &'static str,
    /// Its name, in the map's language.
    pub name: String,
    /// The controller's id: a faction id, `contested`, or `no-data`.
    pub controller: String,
    /// The two sides of a contest, by faction id.
    pub parties: Vec<String>,
    /// The first day of the controller's unbroken run, when there is a record.
    pub since: Option<Date>,
    /// How sure the record is.
    pub confidence: Option<Confidence>,
    /// The references the record cites.
    pub refs: Vec<String>,
    /// Which part of the territory's drawing this is.
    pub part: Part,
}

impl Meta {
    /// The same territory's meaning for another part of its drawing.
    pub fn with_part(&self, part: Part) -> Arc<Meta> {
        Arc::new(Meta {
            part,
            ..self.clone()
        })
    }
}

/// One thing to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Rings filled with the even-odd rule (so holes stay open).
    Fill {
        /// An id for SVG (`ML-8`), when the item stands for a dataset feature.
        id: Option<String>,
        /// The rings.
        rings: Arc<Vec<Ring>>,
        /// Fill colour; its alpha is the opacity.
        colour: Rgba,
        /// What it shows, when it stands for a territory.
        meta: Option<Arc<Meta>>,
    },
    /// Lines drawn with a pen.
    Stroke {
        /// The lines.
        lines: Arc<Vec<Ring>>,
        /// Whether each line closes back on its start.
        closed: bool,
        /// Pen colour.
        colour: Rgba,
        /// Pen width in pixels.
        width: f32,
        /// What it shows, when it stands for a territory.
        meta: Option<Arc<Meta>>,
    },
    /// A single line of text.
    Text {
        /// Anchor x.
        x: f32,
        /// Baseline y.
        y: f32,
        /// The text.
        text: String,
        /// Font size in pixels, as the face's full height (ascent − descent);
        /// [`text::em`] gives the em size (the CSS `font-size`), 0.859 of it for DejaVu Sans.
        size: f32,
        /// Bold face.
        bold: bool,
        /// Text colour.
        colour: Rgba,
        /// Alignment against x.
        align: Align,
        /// A surrounding halo for legibility over busy fills.
        halo: Option<Rgba>,
        /// What it names, when it names a territory.
        meta: Option<Arc<Meta>>,
    },
    /// A picture laid over what is below it (the shaded relief), pixel for pixel.
    Raster {
        /// Left edge in pixels.
        x: f32,
        /// Top edge in pixels.
        y: f32,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Premultiplied RGBA, row by row from the top, `width * height * 4` bytes.
        pixels: Arc<Vec<u8>>,
        /// What it shows.
        meta: Option<Arc<Meta>>,
    },
}

impl Item {
    /// What the item shows, when it stands for a territory.
    pub fn meta(&self) -> Option<&Meta> {
        match self {
            Item::Fill { meta, .. }
            | Item::Stroke { meta, .. }
            | Item::Text { meta, .. }
            | Item::Raster { meta, .. } => meta.as_deref(),
        }
    }
}

/// A named group of items, drawn in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layer {
    /// Name, used as the SVG group id.
    pub name: String,
    /// Items in drawing order.
    pub items: Vec<Item>,
}

impl Layer {
    /// An empty layer.
    pub fn new(name: &str) -> Layer {
        Layer {
            name: name.to_string(),
            items: Vec::new(),
        }
    }
}

/// A whole map, drawn bottom to top: underlay, control, water, overlay, marks, annotations.
///
/// The underlay and overlay do not change with the date, so frame renderers draw them once and
/// reuse the pixels; control and marks change with the state, annotations with the day.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Paper colour.
    pub background: Rgba,
    /// Short title (SVG `<title>`).
    pub title: String,
    /// Text description of the map for readers who cannot see it (SVG `<desc>`).
    pub description: String,
    /// Scenes with the same key draw the same pixels in their underlay and overlay (their
    /// items may say different things: labels carry the date's controller), so frame renderers
    /// draw those layers once. Each layout has its own key.
    pub static_key: u64,
    /// Static layers under the control fills (neighbours, their names).
    pub underlay: Arc<Vec<Layer>>,
    /// The date-dependent fills and hatching.
    pub control: Vec<Layer>,
    /// Static layers drawn over the control layers, in their frame pass (the shaded relief,
    /// lakes, rivers): held by no one, so above the colours, and under the borders and labels. Frame renderers
    /// draw them with the control layers onto opaque ground rather than cache them with the
    /// overlay, where their soft edges under a border's would blend less exactly.
    pub water: Arc<Vec<Layer>>,
    /// Static layers above the fills (borders, labels, legend, scale, credit).
    pub overlay: Arc<Vec<Layer>>,
    /// Marks above the overlay that change with the state but not with the day (town markers):
    /// frame renderers draw them once per state, with the control layers.
    pub marks: Vec<Layer>,
    /// Date-dependent marks on top (subtitle, timeline cursor; the change map's outlines,
    /// markers and labels).
    pub annotations: Vec<Layer>,
}

impl Scene {
    /// Every layer, bottom to top.
    pub fn layers(&self) -> impl Iterator<Item = &Layer> {
        self.underlay
            .iter()
            .chain(&self.control)
            .chain(self.water.iter())
            .chain(self.overlay.iter())
            .chain(&self.marks)
            .chain(&self.annotations)
    }

    /// A layer by name.
    pub fn layer(&self, name: &str) -> Option<&Layer> {
        self.layers().find(|l| l.name == name)
    }

    /// The fill colour of the item with this id in the named layer.
    pub fn fill_of(&self, layer: &str, id: &str) -> Option<Rgba> {
        self.layer(layer)?.items.iter().find_map(|i| match i {
            Item::Fill {
                id: Some(fid),
                colour,
                ..
            } if fid == id => Some(*colour),
            _ => None,
        })
    }

    /// The distinct colours the scene's items use, in drawing order (for building palettes).
    pub fn colours(&self) -> Vec<Rgba> {
        let mut out = vec![self.background];
        for item in self.layers().flat_map(|l| &l.items) {
            let c = match item {
                Item::Fill { colour, .. }
                | Item::Stroke { colour, .. }
                | Item::Text { colour, .. } => colour.with_alpha(255),
                // A raster's pixels are no palette entry: it blends with what is below.
                Item::Raster { .. } => continue,
            };
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// Every text in the scene.
    pub fn texts(&self) -> Vec<&str> {
        self.layers()
            .flat_map(|l| &l.items)
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// A key no other layout has, for [`Scene::static_key`].
pub fn new_static_key() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// An axis-aligned rectangle in pixels, for layout and collision tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Left.
    pub x0: f32,
    /// Top.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Bottom.
    pub y1: f32,
}

impl Bounds {
    /// From left, top, width, height.
    pub fn xywh(x: f32, y: f32, w: f32, h: f32) -> Bounds {
        Bounds {
            x0: x,
            y0: y,
            x1: x + w,
            y1: y + h,
        }
    }

    /// Whether two rectangles overlap (touching edges do not count).
    pub fn overlaps(&self, o: &Bounds) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// Whether `self` lies wholly inside `o`.
    pub fn inside(&self, o: &Bounds) -> bool {
        self.x0 >= o.x0 && self.y0 >= o.y0 && self.x1 <= o.x1 && self.y1 <= o.y1
    }

    /// Grown by `m` on every side.
    pub fn grow(&self, m: f32) -> Bounds {
        Bounds {
            x0: self.x0 - m,
            y0: self.y0 - m,
            x1: self.x1 + m,
            y1: self.y1 + m,
        }
    }

    /// The rectangle as a geo multipolygon, for clipping with boolean operations.
    pub fn polygon(&self) -> geo::MultiPolygon<f64> {
        let ring = self
            .ring()
            .iter()
            .map(|p| geo::Coord {
                x: f64::from(p[0]),
                y: f64::from(p[1]),
            })
            .collect();
        geo::MultiPolygon::new(vec![geo::Polygon::new(geo::LineString::new(ring), vec![])])
    }

    /// The rectangle as a closed ring.
    pub fn ring(&self) -> Ring {
        vec![
            [self.x0, self.y0],
            [self.x1, self.y0],
            [self.x1, self.y1],
            [self.x0, self.y1],
            [self.x0, self.y0],
        ]
    }
}

/// A circle as a ring, for markers.
pub fn circle(cx: f32, cy: f32, r: f32) -> Ring {
    let n = 32;
    (0..=n)
        .map(|k| {
            let a = std::f32::consts::TAU * (k % n) as f32 / n as f32;
            [cx + r * a.cos(), cy + r * a.sin()]
        })
        .collect()
}

/// A five-pointed star as a ring, for the capital.
pub fn star(cx: f32, cy: f32, r: f32) -> Ring {
    (0..=10)
        .map(|k| {
            let rr = if k % 2 == 0 { r } else { r * 0.45 };
            let a = -std::f32::consts::FRAC_PI_2 + std::f32::consts::PI * (k % 10) as f32 / 5.0;
            [cx + rr * a.cos(), cy + rr * a.sin()]
        })
        .collect()
}

/// The half of a circle right of its vertical diameter, for contested towns.
pub fn half_circle(cx: f32, cy: f32, r: f32) -> Ring {
    let n = 16;
    let mut ring: Ring = (0..=n)
        .map(|k| {
            let a = -std::f32::consts::FRAC_PI_2 + std::f32::consts::PI * k as f32 / n as f32;
            [cx + r * a.cos(), cy + r * a.sin()]
        })
        .collect();
    ring.push([cx, cy - r]);
    ring
}

/// How a text is set: size, weight, colour, alignment and halo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Font size in pixels.
    pub size: f32,
    /// Bold face.
    pub bold: bool,
    /// Text colour.
    pub colour: Rgba,
    /// Alignment against the anchor.
    pub align: Align,
    /// A halo for legibility over busy fills.
    pub halo: Option<Rgba>,
}

impl TextStyle {
    /// Plain text of a size and colour, starting at its anchor.
    pub fn new(size: f32, colour: Rgba) -> TextStyle {
        TextStyle {
            size,
            bold: false,
            colour,
            align: Align::Start,
            halo: None,
        }
    }

    /// The same in bold.
    pub fn bold(self) -> TextStyle {
        TextStyle { bold: true, ..self }
    }

    /// The same, aligned otherwise.
    pub fn aligned(self, align: Align) -> TextStyle {
        TextStyle { align, ..self }
    }

    /// The same with a halo.
    pub fn halo(self, halo: Rgba) -> TextStyle {
        TextStyle {
            halo: Some(halo),
            ..self
        }
    }
}

impl Item {
    /// A fill of rings with no meaning attached.
    pub fn fill(rings: Vec<Ring>, colour: Rgba) -> Item {
        Item::Fill {
            id: None,
            rings: Arc::new(rings),
            colour,
            meta: None,
        }
    }

    /// Lines drawn with a pen.
    pub fn stroke(lines: Vec<Ring>, closed: bool, colour: Rgba, width: f32) -> Item {
        Item::Stroke {
            lines: Arc::new(lines),
            closed,
            colour,
            width,
            meta: None,
        }
    }

    /// A text at an anchor (x, baseline).
    pub fn text(x: f32, y: f32, text: &str, style: TextStyle) -> Item {
        Item::Text {
            x,
            y,
            text: text.to_string(),
            size: style.size,
            bold: style.bold,
            colour: style.colour,
            align: style.align,
            halo: style.halo,
            meta: None,
        }
    }

    /// The same item saying what it shows.
    pub fn with_meta(mut self, m: Option<Arc<Meta>>) -> Item {
        match &mut self {
            Item::Fill { meta, .. }
            | Item::Stroke { meta, .. }
            | Item::Text { meta, .. }
            | Item::Raster { meta, .. } => {
                *meta = m;
            }
        }
        self
    }

    /// The same item with an SVG id.
    pub fn with_id(mut self, new_id: Option<String>) -> Item {
        if let Item::Fill { id, .. } = &mut self {
            *id = new_id;
        }
        self
    }
}

impl Layer {
    /// A layer holding these items.
    pub fn with_items(name: &str, items: Vec<Item>) -> Layer {
        Layer {
            name: name.to_string(),
            items,
        }
    }

    /// The layer moved by (dx, dy) pixels.
    pub fn translated(mut self, dx: f32, dy: f32) -> Layer {
        let shift = |rings: &Arc<Vec<Ring>>| {
            Arc::new(
                rings
                    .iter()
                    .map(|r| r.iter().map(|p| [p[0] + dx, p[1] + dy]).collect())
                    .collect::<Vec<Ring>>(),
            )
        };
        for item in &mut self.items {
            match item {
                Item::Fill { rings, .. } => *rings = shift(rings),
                Item::Stroke { lines, .. } => *lines = shift(lines),
                Item::Text { x, y, .. } | Item::Raster { x, y, .. } => {
                    *x += dx;
                    *y += dy;
                }
            }
        }
        self
    }
}
