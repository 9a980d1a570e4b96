//! Small multiples: several compact maps of one dataset side by side, with one title, one
//! shared legend and one credit line.

use std::sync::Arc;

use super::layout::{credit_layer, style, text, translate, MapLayout, MapOptions};
use super::text::cap_height;
use super::{Align, Bounds, Layer, Scene};
use crate::dataset::Dataset;
use crate::error::{Error, Result};
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
    french: bool,
    description: &str,
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
        french,
        strip: None,
        compact: true,
    };
    let layout = MapLayout::new(dataset, &options)?;
    let colours: Vec<_> = dataset.manifest.factions.iter().map(|f| f.colour).collect();
    let legend_frame = Bounds::xywh(24.0 * u, 0.0, width as f32, 0.0);
    let (legend, legend_box) = MapLayout::legend(
        dataset,
        &colours,
        french,
        u,
        legend_frame,
        (5.0 * u).max(2.0),
    );
    let legend_h = legend_box.y1 - legend_box.y0;
    let grid_bottom = head + (rows * ch) as f32;
    let credit_size = 12.5 * u;
    let height = (grid_bottom + 14.0 * u + legend_h + 14.0 * u + credit_size * 2.0).ceil() as u32;
    if width > super::layout::MAX_SIDE || height > super::layout::MAX_SIDE {
        return Err(Error::usage(format!("the grid would be {width}x{height} px, over {} px a side: use fewer columns or a smaller cell", super::layout::MAX_SIDE)));
    }
    let (mut underlay, mut control, mut overlay, mut annotations) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (k, c) in cells.iter().enumerate() {
        let (col, row) = (k as u32 % cols, k as u32 / cols);
        let (dx, dy) = ((col * cw) as f32, head + (row * ch) as f32);
        let scene = layout.scene(&c.state, c.heading.as_deref(), "");
        let shift = |layers: &[Layer]| -> Vec<Layer> {
            layers
                .iter()
                .map(|l| {
                    let mut moved = translate(l.clone(), dx, dy);
                    moved.name = format!("map-{}-{}", k + 1, l.name);
                    moved
                })
                .collect()
        };
        underlay.extend(shift(&scene.underlay));
        control.extend(shift(&scene.control));
        overlay.extend(shift(&scene.overlay));
        annotations.extend(shift(&scene.annotations));
        // A thin white gutter keeps neighbouring maps apart.
        let mut frame = Layer::new(&format!("map-{}-frame", k + 1));
        frame.items.push(super::Item::Stroke {
            lines: Arc::new(vec![Bounds::xywh(dx, dy, cw as f32, ch as f32).ring()]),
            closed: true,
            colour: style::WHITE,
            width: (6.0 * u).max(5.0),
        });
        annotations.push(frame);
    }
    let mut title = Layer::new("title");
    let title_size = 32.0 * u;
    title.items.push(text(
        24.0 * u,
        16.0 * u + cap_height(title_size),
        &dataset.manifest.title,
        title_size,
        true,
        style::INK,
        Align::Start,
        None,
    ));

    title.items.push(text(
        24.0 * u,
        16.0 * u + cap_height(title_size) + 30.0 * u,
        &dataset.manifest.subtitle,
        18.0 * u,
        false,
        style::SOFT_INK,
        Align::Start,
        None,
    ));
    let legend = translate(legend, 0.0, grid_bottom + 14.0 * u);
    let credit = credit_layer(
        dataset,
        24.0 * u,
        height as f32 - credit_size * 0.8,
        credit_size,
        width as f32 - 48.0 * u,
    );
    annotations.extend([title, legend, credit]);
    Ok(Scene {
        width,
        height,
        background: style::PAPER,
        title: dataset.manifest.title.clone(),
        description: description.to_string(),
        underlay: Arc::new(underlay),
        control,
        overlay: Arc::new(overlay),
        annotations,
    })
}
