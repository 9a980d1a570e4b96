//! Small multiples: several compact maps of one dataset side by side, with one title, one
//! shared legend and one credit line.

use std::sync::Arc;

use super::layers::{legend, titles};
use super::layout::{MAX_SIDE, MapLayout, MapOptions, credit_text};
use super::style::{Style, colours};
use super::text::cap_height;
use super::{Bounds, Item, Layer, Scene, TextStyle};
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::timeline::State;

/// One map of the grid: its state and its caption.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The state drawn.
    pub state: State,
    /// The caption after the date (a phase title), if any.
    pub heading: Option<String>,
}

/// Lays out `cells` in rows of `cols` maps of `cell` pixels each.
pub fn grid_scene(
    dataset: &Dataset,
    cells: &[Cell],
    cols: u32,
    cell: (u32, u32),
    lang: Lang,
    description: &str,
    credit: Option<&str>,
) -> Result<Scene> {
    if cells.is_empty() {
        return Err(Error::usage("the grid has no maps"));
    }
    let cols = cols.clamp(1, cells.len() as u32);
    let rows = (cells.len() as u32).div_ceil(cols);
    let (cw, ch) = cell;
    let width = cw * cols;
    let u = ((width as f32 * 900.0).sqrt() / 1386.0).clamp(0.72, 1.4);
    let head = (92.0 * u).round();
    let options = MapOptions {
        width: cw,
        height: ch,
        lang,
        strip: None,
        compact: true,
        credit: credit.map(str::to_string),
    };
    let layout = MapLayout::new(dataset, &options)?;
    let style = Style::with_scale(u);
    let states: Vec<State> = cells.iter().map(|c| c.state.clone()).collect();
    let rows_drawn = layout.key(dataset, &states);
    let (legend, legend_box) = legend::legend(&rows_drawn, &style, lang, 24.0 * u, 0.0);
    let legend_h = legend_box.y1 - legend_box.y0;
    let grid_bottom = head + (rows * ch) as f32;
    let credit_size = 12.5 * u;
    let height = (grid_bottom + 14.0 * u + legend_h + 14.0 * u + credit_size * 2.0).ceil() as u32;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Error::usage(format!(
            "the grid would be {width}x{height} px, over {MAX_SIDE} px a side: use fewer columns or a smaller cell"
        )));
    }
    let [underlay, control, overlay, mut annotations] =
        cell_layers(&layout, cells, cols, cell, head, u);
    let title = grid_title(dataset, u);
    let legend = legend.translated(0.0, grid_bottom + 14.0 * u);
    let credit = titles::credit(
        &credit_text(dataset, &options),
        24.0 * u,
        height as f32 - credit_size * 0.8,
        credit_size,
        width as f32 - 48.0 * u,
    );
    annotations.extend([title, legend, credit]);
    Ok(Scene {
        static_key: super::new_static_key(),
        width,
        height,
        background: colours::PAPER,
        title: dataset.manifest.title.clone(),
        description: description.to_string(),
        underlay: Arc::new(underlay),
        control,
        water: Arc::new(Vec::new()),
        overlay: Arc::new(overlay),
        marks: Vec::new(),
        annotations,
    })
}

/// Each cell's map, moved into its place and renamed per cell (so SVG ids stay unique), as
/// the scene's four layer lists; a thin white gutter keeps neighbouring maps apart.
fn cell_layers(
    layout: &MapLayout,
    cells: &[Cell],
    cols: u32,
    (cw, ch): (u32, u32),
    head: f32,
    u: f32,
) -> [Vec<Layer>; 4] {
    let [mut underlay, mut control, mut overlay, mut annotations] =
        [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    for (k, c) in cells.iter().enumerate() {
        let (col, row) = (k as u32 % cols, k as u32 / cols);
        let (dx, dy) = ((col * cw) as f32, head + (row * ch) as f32);
        let scene = layout.scene(&c.state, c.heading.as_deref(), "");
        let shift = |layers: &[Layer]| -> Vec<Layer> {
            layers
                .iter()
                .map(|l| {
                    let mut moved = l.clone().translated(dx, dy);
                    moved.name = format!("map-{}-{}", k + 1, l.name);
                    moved
                })
                .collect()
        };
        underlay.extend(shift(&scene.underlay));
        control.extend(shift(&scene.control));
        // The grid is drawn once: its cells' water can go with their control layers.
        control.extend(shift(&scene.water));
        overlay.extend(shift(&scene.overlay));
        // A cell's marks stay with its annotations, so the grid's layers keep their order.
        annotations.extend(shift(&scene.marks));
        annotations.extend(shift(&scene.annotations));
        let mut frame = Layer::new(&format!("map-{}-frame", k + 1));
        frame.items.push(super::Item::Stroke {
            lines: Arc::new(vec![Bounds::xywh(dx, dy, cw as f32, ch as f32).ring()]),
            closed: true,
            colour: colours::WHITE,
            width: (6.0 * u).max(5.0),
            meta: None,
        });
        annotations.push(frame);
    }
    [underlay, control, overlay, annotations]
}

/// The grid's one title and subtitle.
fn grid_title(dataset: &Dataset, u: f32) -> Layer {
    let title_size = 32.0 * u;
    let title_base = 16.0 * u + cap_height(title_size);
    Layer::with_items(
        "title",
        vec![
            Item::text(
                24.0 * u,
                title_base,
                &dataset.manifest.title,
                TextStyle::new(title_size, colours::INK).bold(),
            ),
            Item::text(
                24.0 * u,
                title_base + 30.0 * u,
                &dataset.manifest.subtitle,
                TextStyle::new(18.0 * u, colours::SOFT_INK),
            ),
        ],
    )
}
