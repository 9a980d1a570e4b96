//! One walk over a scene for every backend.
//!
//! [`walk`] visits the layers bottom to top and their items in order, groups the consecutive
//! items of one territory, hands out unique element ids, and calls a [`SceneBackend`] for each
//! layer, group and item. The PNG backend ([`super::skia::SkiaBackend`], the same tiny-skia
//! backend that plotters draws charts through) and the SVG writer ([`super::svg`]) implement it,
//! so they draw the same things in the same order and differ only in how they put them down.
//!
//! Why not plotters' `DrawingBackend` for the map itself: its `fill_polygon` takes one ring (a
//! region with holes or islands needs several, filled even-odd), its `draw_path` one open
//! polyline (a border layer is one multi-line stroke with round joins), its coordinates are
//! whole pixels, and its text has no baseline anchor or halo. Each could be forced through with
//! private conventions (rings bridged by zero-width cuts, pen-up sentinels, a quarter-pixel grid,
//! a halo side channel), but the SVG would then carry the bridges into the editable paths, and
//! the trait would be plotters' in name only. So the map walk has its own small trait in f32
//! pixels, and plotters stays the drawing interface of the charts, through the same tiny-skia
//! backend and the same text engine.

use std::collections::{HashMap, HashSet};

use crate::colour::Rgba;
use crate::scene::layers::water::{LAKE, RIVER};
use crate::scene::{Align, Item, Layer, Meta, Part, Ring};

/// A line of text to draw: anchor x, baseline y, and the scene's size (the face's full height;
/// [`crate::scene::text::em`] gives the em size).
#[derive(Debug, Clone, Copy)]
pub struct TextRun<'a> {
    /// Anchor x.
    pub x: f32,
    /// Baseline y.
    pub y: f32,
    /// The text as the scene sets it.
    pub text: &'a str,
    /// Full-height size in pixels.
    pub size: f32,
    /// Bold face.
    pub bold: bool,
    /// Colour.
    pub colour: Rgba,
    /// Alignment against x.
    pub align: Align,
    /// Halo colour.
    pub halo: Option<Rgba>,
}

impl<'a> TextRun<'a> {
    /// The run of a text item; `None` for any other item.
    pub fn of(item: &'a Item) -> Option<TextRun<'a>> {
        match item {
            Item::Text {
                x,
                y,
                text,
                size,
                bold,
                colour,
                align,
                halo,
                ..
            } => Some(TextRun {
                x: *x,
                y: *y,
                text,
                size: *size,
                bold: *bold,
                colour: *colour,
                align: *align,
                halo: *halo,
            }),
            _ => None,
        }
    }
}

/// What an item is, for backends that write it down: its unique id and what it shows.
#[derive(Debug, Clone, Copy)]
pub struct Mark<'a> {
    /// A unique id in the document, when the item has one.
    pub id: Option<&'a str>,
    /// What it shows, when it stands for a territory.
    pub meta: Option<&'a Meta>,
    /// Whether it is inside a territory group (whose element carries the data attributes).
    pub grouped: bool,
}

/// A backend the scene walk draws through.
pub trait SceneBackend {
    /// Whether the backend writes ids and meaning down (the PNG does not, and the walk then
    /// spends no time making ids: the frame path walks every frame).
    fn wants_ids(&self) -> bool {
        true
    }
    /// A layer begins; `id` is unique in the document.
    fn begin_layer(&mut self, _layer: &Layer, _id: &str) {}
    /// The current layer ends.
    fn end_layer(&mut self) {}
    /// Consecutive items of one territory follow; `id` is unique in the document.
    fn begin_group(&mut self, _meta: &Meta, _id: &str) {}
    /// The current group ends.
    fn end_group(&mut self) {}
    /// Rings filled with the even-odd rule.
    fn fill(&mut self, rings: &[Ring], colour: Rgba, mark: Mark);
    /// Lines drawn with a round-joined pen.
    fn stroke(&mut self, lines: &[Ring], closed: bool, colour: Rgba, width: f32, mark: Mark);
    /// A line of text.
    fn text(&mut self, run: TextRun, mark: Mark);
    /// A picture of premultiplied RGBA pixels laid over what is drawn, its top left at (x, y).
    fn raster(&mut self, x: f32, y: f32, width: u32, height: u32, pixels: &[u8], mark: Mark);
}

/// The id prefix of a layer: `map-K-` for the layers of grid cell K (the grid names them
/// `map-K-<name>`), nothing otherwise.
pub fn id_scope(layer_name: &str) -> &str {
    let Some(rest) = layer_name.strip_prefix("map-") else {
        return "";
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && rest.as_bytes().get(digits) == Some(&b'-') {
        &layer_name[..4 + digits + 1]
    } else {
        ""
    }
}

/// A word fit for an id or a class token: whitespace and markup characters become `-`.
pub fn token(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '&') {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// The id of a territory's drawing, before its part: `ML-8` for a region, `town-gao` for a town,
/// `<kind>-<id>` for other kinds.
fn territory_base(meta: &Meta) -> String {
    if meta.kind == "region" {
        token(&meta.territory)
    } else {
        format!("{}-{}", token(meta.kind), token(&meta.territory))
    }
}

/// Hands out ids that are unique in one document.
#[derive(Default)]
struct Ids(HashSet<String>);

impl Ids {
    /// `wanted` if no element has it yet, else `wanted-2`, `wanted-3`…
    fn unique(&mut self, wanted: String) -> String {
        if self.0.insert(wanted.clone()) {
            return wanted;
        }
        (2..)
            .map(|k| format!("{wanted}-{k}"))
            .find(|c| self.0.insert(c.clone()))
            .unwrap_or(wanted)
    }
}

fn draw_item<B: SceneBackend + ?Sized>(b: &mut B, item: &Item, mark: Mark) {
    match item {
        Item::Fill { rings, colour, .. } => b.fill(rings, *colour, mark),
        Item::Stroke {
            lines,
            closed,
            colour,
            width,
            ..
        } => b.stroke(lines, *closed, *colour, *width, mark),
        Item::Raster {
            x,
            y,
            width,
            height,
            pixels,
            ..
        } => b.raster(*x, *y, *width, *height, pixels, mark),
        Item::Text { .. } => {
            if let Some(run) = TextRun::of(item) {
                b.text(run, mark);
            }
        }
    }
}

/// The consecutive items from `k` that stand for the same territory as `items[k]` (just
/// `items[k]` when it stands for none).
fn run_end(items: &[Item], k: usize) -> usize {
    let mut end = k + 1;
    if let Some(m) = items[k].meta() {
        while end < items.len()
            && items[end]
                .meta()
                .is_some_and(|n| n.territory == m.territory && n.kind == m.kind)
        {
            end += 1;
        }
    }
    end
}

/// A town's label is written in the group of its marker, so that an editor moves them together:
/// the labels of towns with a marker in the same grid cell, by (id scope, territory), and the
/// set of label items so moved.
type TownLabels<'a> = (
    HashMap<(&'a str, &'a str), Vec<&'a Item>>,
    HashSet<*const Item>,
);

fn town_labels<'a>(layers: &[&'a Layer]) -> TownLabels<'a> {
    let mut markers: HashSet<(&str, &str)> = HashSet::new();
    for layer in layers {
        let scope = id_scope(&layer.name);
        for m in layer.items.iter().filter_map(Item::meta) {
            if m.part == Part::Marker {
                markers.insert((scope, m.territory.as_str()));
            }
        }
    }
    let mut labels: HashMap<(&str, &str), Vec<&Item>> = HashMap::new();
    let mut moved = HashSet::new();
    for layer in layers {
        let scope = id_scope(&layer.name);
        for item in &layer.items {
            let Some(m) = item.meta() else { continue };
            let key = (scope, m.territory.as_str());
            if m.part == Part::Label && m.kind == "town" && markers.contains(&key) {
                labels.entry(key).or_default().push(item);
                moved.insert(std::ptr::from_ref(item));
            }
        }
    }
    (labels, moved)
}

/// The text runs a walk of `layers` through a backend that writes no ids meets, in order.
pub fn text_runs<'a>(layers: impl IntoIterator<Item = &'a Layer>) -> Vec<super::skia::Ahead> {
    struct Runs(Vec<super::skia::Ahead>);
    impl SceneBackend for Runs {
        fn wants_ids(&self) -> bool {
            false
        }
        fn fill(&mut self, _: &[Ring], _: Rgba, _: Mark) {}
        fn stroke(&mut self, _: &[Ring], _: bool, _: Rgba, _: f32, _: Mark) {}
        fn raster(&mut self, _: f32, _: f32, _: u32, _: u32, _: &[u8], _: Mark) {}
        fn text(&mut self, t: TextRun, _: Mark) {
            self.0.push(super::skia::Ahead::new(&t));
        }
    }
    let mut runs = Runs(Vec::new());
    walk(&mut runs, layers, &[]);
    runs.0
}

/// Walks `layers` bottom to top through `backend`. `reserved` ids are taken already (the
/// document's own elements).
pub fn walk<'a, B: SceneBackend + ?Sized>(
    backend: &mut B,
    layers: impl IntoIterator<Item = &'a Layer>,
    reserved: &[&str],
) {
    if !backend.wants_ids() {
        for layer in layers {
            backend.begin_layer(layer, &layer.name);
            for item in &layer.items {
                let mark = Mark {
                    id: None,
                    meta: item.meta(),
                    grouped: false,
                };
                draw_item(backend, item, mark);
            }
            backend.end_layer();
        }
        return;
    }
    let mut ids = Ids::default();
    for r in reserved {
        ids.0.insert((*r).to_string());
    }
    let layers: Vec<&Layer> = layers.into_iter().collect();
    let (town_labels, moved) = town_labels(&layers);
    for layer in layers {
        let layer_id = ids.unique(token(&layer.name));
        backend.begin_layer(layer, &layer_id);
        let scope = id_scope(&layer.name);
        let items = &layer.items;
        let mut k = 0;
        while k < items.len() {
            let end = run_end(items, k);
            if end == k + 1 && moved.contains(&std::ptr::from_ref(&items[k])) {
                // Written inside its town's marker group.
                k = end;
                continue;
            }
            let labels = items[k]
                .meta()
                .filter(|m| m.part == Part::Marker)
                .and_then(|m| town_labels.get(&(scope, m.territory.as_str())))
                .map_or(&[][..], Vec::as_slice);
            match items[k].meta() {
                Some(m) if end - k > 1 || !labels.is_empty() => {
                    let base = format!("{scope}{}", territory_base(m));
                    // A town's parts group under the town's name; parts of one kind (a
                    // contest's two sets of lines, an approximate record's faint ones) under
                    // the part's, beside the territory's own item (`ML-8`, `ML-8-hatch-group`).
                    let one_part = labels.is_empty()
                        && m.part != Part::Marker
                        && items[k..end]
                            .iter()
                            .all(|i| i.meta().is_some_and(|x| x.part == m.part));
                    let gid = if one_part {
                        ids.unique(format!("{base}-{}-group", m.part.as_str()))
                    } else {
                        ids.unique(base.clone())
                    };
                    backend.begin_group(m, &gid);
                    for item in items[k..end].iter().chain(labels.iter().copied()) {
                        let meta = item.meta().unwrap_or(m);
                        let id = ids.unique(format!("{base}-{}", meta.part.as_str()));
                        let mark = Mark {
                            id: Some(&id),
                            meta: Some(meta),
                            grouped: true,
                        };
                        draw_item(backend, item, mark);
                    }
                    backend.end_group();
                }
                Some(m) => {
                    let base = format!("{scope}{}", territory_base(m));
                    let id = ids.unique(match m.part {
                        // A region is its fill; a town is its marker, and its fill the area
                        // around it.
                        Part::Fill if m.kind == "region" => base,
                        // A river is its one line, a lake its one fill.
                        _ if [RIVER, LAKE].contains(&m.kind) => base,
                        Part::Fill => format!("{base}-area"),
                        p => format!("{base}-{}", p.as_str()),
                    });
                    let mark = Mark {
                        id: Some(&id),
                        meta: Some(m),
                        grouped: false,
                    };
                    draw_item(backend, &items[k], mark);
                }
                None => {
                    let id = match &items[k] {
                        Item::Fill { id: Some(i), .. } => {
                            Some(ids.unique(format!("{scope}{}", token(i))))
                        }
                        _ => None,
                    };
                    let mark = Mark {
                        id: id.as_deref(),
                        meta: None,
                        grouped: false,
                    };
                    draw_item(backend, &items[k], mark);
                }
            }
            k = end;
        }
        backend.end_layer();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_cell_layers_scope_their_ids() {
        assert_eq!(id_scope("map-12-regions"), "map-12-");
        assert_eq!(id_scope("map-3-frame"), "map-3-");
        assert_eq!(id_scope("regions"), "");
        assert_eq!(id_scope("map-legend"), "");
        assert_eq!(id_scope("map-7"), "");
    }

    #[test]
    fn ids_stay_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.unique("a".into()), "a");
        assert_eq!(ids.unique("a".into()), "a-2");
        assert_eq!(ids.unique("a".into()), "a-3");
    }
}
