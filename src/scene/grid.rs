//! Small multiples: several compact maps of one dataset side by side, with one title, one
//! shared legend and one credit line.

use std::sync::Arc;

use super::layers::{legend, titles};
use super::layout::{MAX_SIDE, MapLayout, MapOptions, credit_text};
use super::style::{MIN_TEXT_SCALE, REFERENCE_SIDE, Style, colours};
use super::text::cap_height;
use super::{Bounds, Item, Layer, Scene, TextStyle};
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::timeline::State;

/// The credit line's type size at scale 1.
const CREDIT_SIZE: f32 = 12.5;

/// One map of the grid: its state and its caption.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The state drawn.
    pub state: State,
    /// The caption after the date (a phase title), if any.
    pub heading: Option<String>,
}

/// Lays out `cells` in rows of `cols` maps, each of the size, language, credit and relief of
/// `map` (compact, whatever `map` says).
pub fn grid_scene(
    dataset: &Dataset,
    cells: &[Cell],
    cols: u32,
    map: &MapOptions,
    description: &str,
) -> Result<Scene> {
    let (cell, lang, credit) = ((map.width, map.height), map.lang, map.credit.as_deref());
    if cells.is_empty() {
        return Err(Error::usage("the grid has no maps"));
    }
    let cols = cols.clamp(1, cells.len() as u32);
    let rows = (cells.len() as u32).div_ceil(cols);
    let (cw, ch) = cell;
    let width = cw * cols;
    let u = grid_unit(width);
    let head = (92.0 * u).round();
    let options = MapOptions {
        width: cw,
        height: ch,
        lang,
        strip: None,
        compact: true,
        credit: credit.map(str::to_string),
        relief: map.relief,
        ..MapOptions::new(cw, ch)
    };
    let layout = MapLayout::new(dataset, &options)?;
    let style = Style::with_scale(u);
    let states: Vec<State> = cells.iter().map(|c| c.state.clone()).collect();
    let rows_drawn = layout.key(dataset, &states);
    let grid_bottom = head + (rows * ch) as f32;
    let (legend, below) = grid_key(
        &rows_drawn,
        &style,
        lang,
        cells.len() as u32,
        cols,
        cell,
        head,
        width,
        grid_bottom,
        u,
    )?;
    let credit_size = CREDIT_SIZE * u;
    let height = (grid_bottom + below + 14.0 * u + credit_size * 2.0).ceil() as u32;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Error::usage(format!(
            "the grid would be {width}x{height} px, over {MAX_SIDE} px a side: use fewer columns or a smaller cell"
        )));
    }
    let capital = dataset
        .towns()
        .find(|(_, t)| t.town_rank() == Some(crate::territory::TownRank::Capital))
        .map(|(_, t)| t.name(lang).to_string());
    let [underlay, control, overlay, mut annotations] =
        cell_layers(&layout, capital.as_deref(), cells, cols, cell, head, u);
    annotations.extend([
        grid_title(dataset, u),
        legend,
        grid_credit(dataset, &options, (width, height), u),
    ]);
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

/// The grid's nominal height, with its width, for its scale: a grid is sized like a frame of
/// its width and this height, however many rows it has.
const GRID_NOMINAL_HEIGHT: f32 = 900.0;
/// The largest scale of a grid's title, key and credit (a very wide grid keeps them readable
/// beside its maps, not poster-sized).
const MAX_GRID_SCALE: f32 = 1.4;

/// The scale of the grid's title, key and credit for a grid `width` pixels wide.
fn grid_unit(width: u32) -> f32 {
    ((width as f32 * GRID_NOMINAL_HEIGHT).sqrt() / REFERENCE_SIDE)
        .clamp(MIN_TEXT_SCALE, MAX_GRID_SCALE)
}

/// The credit line along the bottom of a `width` x `height` grid.
fn grid_credit(
    dataset: &Dataset,
    options: &MapOptions,
    (width, height): (u32, u32),
    u: f32,
) -> Layer {
    let credit_size = CREDIT_SIZE * u;
    titles::credit(
        &credit_text(dataset, options),
        24.0 * u,
        height as f32 - credit_size * 0.8,
        credit_size,
        (width as f32 - 48.0 * u, 1),
    )
}

/// Each cell's map, moved into its place and renamed per cell (so SVG ids stay unique), as
/// the scene's four layer lists; a thin white gutter keeps neighbouring maps apart.
fn cell_layers(
    layout: &MapLayout,
    capital: Option<&str>,
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
        let mut scene = layout.scene(&c.state, c.heading.as_deref(), "");
        if cw < SMALL_PANEL {
            drop_town_labels(&mut scene, capital);
        }
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

/// Panels narrower than this (in pixels) carry no town names but the capital's: nine small
/// maps repeating every town's name read as noise, and the region names stay.
const SMALL_PANEL: u32 = 900;

/// Removes the town names from a small panel's scene, but the capital's.
fn drop_town_labels(scene: &mut Scene, capital: Option<&str>) {
    let overlay: Vec<Layer> = scene
        .overlay
        .iter()
        .map(|l| {
            let mut l = l.clone();
            if l.name == "town-labels" {
                l.items.retain(|i| match i {
                    Item::Text { text, .. } => Some(text.as_str()) == capital,
                    _ => true,
                });
            }
            l
        })
        .collect();
    scene.overlay = Arc::new(overlay);
}

/// The shared key: in the empty cells of the last row when it has some and the key fits them,
/// else under the grid in as many columns as the width takes (not one tall column beside an
/// empty band). Returns the key and the height it adds under the grid; a key wider than the
/// grid even in one column is refused rather than cut off.
#[allow(clippy::too_many_arguments)]
fn grid_key(
    rows: &[legend::Row],
    style: &Style,
    lang: Lang,
    n: u32,
    cols: u32,
    (cw, ch): (u32, u32),
    head: f32,
    width: u32,
    grid_bottom: f32,
    u: f32,
) -> Result<(Layer, f32)> {
    let pad = 24.0 * u;
    if !n.is_multiple_of(cols) {
        // The empty cells of the last row, side by side.
        let (col, row) = (n % cols, n / cols);
        let (x, y) = ((col * cw) as f32 + pad, head + (row * ch) as f32 + pad);
        let (room_w, room_h) = (
            ((cols - col) * cw) as f32 - 2.0 * pad,
            ch as f32 - 2.0 * pad,
        );
        let (layer, b) = legend::legend_within(rows, style, lang, x, y, room_h);
        if b.x1 - b.x0 <= room_w && b.y1 - b.y0 <= room_h {
            return Ok((layer, 0.0));
        }
    }
    let y = grid_bottom + 14.0 * u;
    let (_, tall) = legend::legend(rows, style, lang, pad, y);
    let full = tall.y1 - tall.y0;
    // The lowest key that still fits the width.
    let mut best = legend::legend(rows, style, lang, pad, y);
    for k in 2..=rows.len().max(1) {
        let (layer, b) = legend::legend_within(rows, style, lang, pad, y, full / k as f32 + 1.0);
        if b.x1 > width as f32 - pad {
            break;
        }
        if b.y1 - b.y0 < best.1.y1 - best.1.y0 {
            best = (layer, b);
        }
    }
    if best.1.x1 > width as f32 - pad / 2.0 {
        return Err(Error::usage(format!(
            "the grid's key needs {:.0} px across and the grid is {width} px wide: use wider cells or more columns",
            best.1.x1 - best.1.x0 + 1.5 * pad
        )));
    }
    let h = best.1.y1 - best.1.y0 + 14.0 * u;
    Ok((best.0, h))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Source;
    use crate::date::parse_date;
    use crate::timeline::Timeline;

    fn cells(d: &Dataset, dates: &[&str]) -> Vec<Cell> {
        let t = Timeline::new(d);
        dates
            .iter()
            .map(|x| Cell {
                state: t.state_at(parse_date(x).unwrap()),
                heading: None,
            })
            .collect()
    }

    fn texts(scene: &Scene, suffix: &str) -> Vec<String> {
        scene
            .layers()
            .filter(|l| l.name.ends_with(suffix))
            .flat_map(|l| &l.items)
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    fn legend_box(scene: &Scene) -> Bounds {
        let l = scene.layers().find(|l| l.name == "legend").unwrap();
        match &l.items[0] {
            Item::Fill { rings, .. } => {
                let xs = rings[0].iter().map(|p| p[0]);
                let ys = rings[0].iter().map(|p| p[1]);
                Bounds {
                    x0: xs.clone().fold(f32::MAX, f32::min),
                    x1: xs.fold(f32::MIN, f32::max),
                    y0: ys.clone().fold(f32::MAX, f32::min),
                    y1: ys.fold(f32::MIN, f32::max),
                }
            }
            other => panic!("the legend starts with its box, not {other:?}"),
        }
    }

    /// Issue 15.5: small panels name no town but the capital; a large one names them all.
    #[test]
    fn the_grids_scale_follows_its_width_between_the_text_floor_and_its_cap() {
        // √(width · 900) / 1386, kept within 0.72 and 1.4.
        for (width, scale) in [(1280, 0.774_4), (400, 0.72), (4000, 1.369_0), (6000, 1.4)] {
            assert!(
                (grid_unit(width) - scale).abs() < 1e-4,
                "{width}: {}",
                grid_unit(width)
            );
        }
    }

    #[test]
    fn small_panels_name_only_the_capital() {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let c = cells(&d, &["2012-07-15", "2014-06-01"]);
        let small = grid_scene(&d, &c, 2, &MapOptions::new(640, 480), "").unwrap();
        let names = texts(&small, "-town-labels");
        assert!(
            !names.is_empty() && names.iter().all(|n| n == "Bamako"),
            "{names:?}"
        );
        let large = grid_scene(&d, &c, 2, &MapOptions::new(1200, 900), "").unwrap();
        assert!(texts(&large, "-town-labels").len() > 10);
    }

    /// Issue 15.5: the key takes the empty cells of the last row, so the canvas ends with the
    /// grid; a full grid puts it under the maps in columns, lower than one column would be.
    #[test]
    fn the_key_fills_the_empty_cells_or_spreads_under_a_full_grid() {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let three = cells(&d, &["2012-07-15", "2013-02-10", "2014-06-01"]);
        let s = grid_scene(&d, &three, 2, &MapOptions::new(640, 480), "").unwrap();
        let b = legend_box(&s);
        let (cw, ch) = (640.0, 480.0);
        assert!(b.x0 >= cw && b.x1 <= 2.0 * cw, "{b:?}");
        assert!(
            b.y1 <= s.height as f32 - 20.0 && b.y0 >= ch,
            "{b:?} in {}",
            s.height
        );
        let four = cells(
            &d,
            &["2012-01-10", "2012-07-15", "2013-02-10", "2014-06-01"],
        );
        let full = grid_scene(&d, &four, 2, &MapOptions::new(640, 480), "").unwrap();
        let under = legend_box(&full);
        assert!(under.y0 > 2.0 * ch, "{under:?}");
        let layout = MapLayout::new(&d, &MapOptions::new(640, 480)).unwrap();
        let rows = layout.key(
            &d,
            &four.iter().map(|c| c.state.clone()).collect::<Vec<_>>(),
        );
        let style = Style::with_scale(grid_unit(1280));
        let (_, one_column) = legend::legend(&rows, &style, Lang::En, 0.0, 0.0);
        assert!(
            under.y1 - under.y0 < (one_column.y1 - one_column.y0) * 0.75,
            "{under:?} against one column {one_column:?}"
        );
        assert!(under.x1 <= full.width as f32);
    }
}

#[cfg(test)]
mod narrow_tests {
    use super::*;
    use crate::dataset::Source;
    use crate::date::parse_date;
    use crate::timeline::Timeline;

    /// A key that cannot fit the grid's width is refused, not drawn off the canvas.
    #[test]
    fn a_grid_too_narrow_for_its_key_is_refused() {
        let d = Dataset::load(&Source::Embedded).unwrap();
        let state = Timeline::new(&d).state_at(parse_date("2012-01-10").unwrap());
        let cells = [Cell {
            state,
            heading: None,
        }];
        let e = grid_scene(&d, &cells, 1, &MapOptions::new(200, 150), "").unwrap_err();
        assert!(e.to_string().contains("key"), "{e}");
        assert!(grid_scene(&d, &cells, 1, &MapOptions::new(640, 480), "").is_ok());
    }
}
