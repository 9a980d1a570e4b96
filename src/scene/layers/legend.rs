//! The legend: one row per class the map draws (each faction's fill, each contest's lines,
//! no data, the town markers), in a boxed column.

use super::super::hatch::{
    FINE_PERIOD, FINE_WIDTH, UNCERTAIN_PERIOD, UNCERTAIN_WIDTH, contest_lines, falling_stripes,
    rings_of, stripes,
};
use super::super::style::{Style, colours};
use super::super::text::{cap_height, text_width};
use super::super::{Bounds, Item, Layer, Ring, TextStyle, circle, star};
use crate::colour::Rgba;
use crate::lang::Lang;
use crate::territory::{TerritoryId, TownRank};

/// What the maps of a legend draw, gathered from their states.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawn {
    /// Factions that hold an area or a town, by index.
    pub factions: Vec<usize>,
    /// Contests drawn on areas: the two sides' faction indices in the manifest's order, `None`
    /// when unnamed.
    pub contests: Vec<Option<(usize, usize)>>,
    /// Whether any area or town has no record.
    pub no_data: bool,
    /// Whether any town marker is drawn.
    pub towns: bool,
    /// Whether the capital's marker is drawn.
    pub capital: bool,
    /// Factions whose town markers get the light rim of dark colours.
    pub dark_towns: Vec<usize>,
    /// Whether any ground drawn rests on an approximate record.
    pub approximate: bool,
}

impl Drawn {
    /// Notes what `state` draws on these areas and towns; `dark` tells a faction whose markers
    /// get a light rim.
    pub fn add(
        &mut self,
        state: &crate::timeline::State,
        areas: &[TerritoryId],
        towns: &[(TerritoryId, TownRank)],
        dark: impl Fn(usize) -> bool,
        approximate: impl Fn(usize) -> bool,
    ) {
        use crate::dataset::Control;
        let push = |v: &mut Vec<usize>, f: usize| {
            if !v.contains(&f) {
                v.push(f);
            }
        };
        for &a in areas {
            self.approximate |= state.get(a).is_some_and(|h| approximate(h.record));
            match state.control(a) {
                Some(Control::Faction(f)) => push(&mut self.factions, f),
                Some(Control::Contested(p)) => {
                    if !self.contests.contains(&p) {
                        self.contests.push(p);
                    }
                    if let Some((x, y)) = p {
                        push(&mut self.factions, x);
                        push(&mut self.factions, y);
                    }
                }
                None => self.no_data = true,
            }
        }
        for &(t, rank) in towns {
            self.towns = true;
            self.capital |= rank == TownRank::Capital;
            // A town with a record in force also colours the area around it.
            self.approximate |= state.get(t).is_some_and(|h| approximate(h.record));
            if let Some(Control::Contested(p)) = state.control(t)
                && !self.contests.contains(&p)
            {
                self.contests.push(p);
            }
            match state.control(t) {
                Some(Control::Faction(f)) => {
                    push(&mut self.factions, f);
                    if dark(f) {
                        push(&mut self.dark_towns, f);
                    }
                }
                Some(Control::Contested(Some((x, y)))) => {
                    push(&mut self.factions, x);
                    push(&mut self.factions, y);
                }
                Some(Control::Contested(None)) => {}
                None => self.no_data = true,
            }
        }
    }
}

/// One class of what a map draws, as the legend keys it.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// A faction's fill.
    Faction {
        /// The faction's label.
        label: String,
        /// Its short name, for a key read on a phone.
        short: String,
        /// Its colour.
        colour: Rgba,
    },
    /// A contest: thin lines of each side over the two blended.
    Contested {
        /// The two sides' colours, drawn as thin lines over their blend as on the map.
        sides_colours: [Rgba; 2],
        /// The two sides' short names, when the map draws several contests.
        sides: Option<String>,
        /// The sides in their shortest names, for a key read on a phone.
        short_sides: Option<String>,
    },
    /// Ground with no record, and towns with none.
    NoData,
    /// A town marker, in its holder's colour.
    Town {
        /// The sample marker's colour.
        colour: Rgba,
    },
    /// The capital's marker.
    Capital {
        /// The sample marker's colour.
        colour: Rgba,
    },
    /// Ground whose record is approximate: faint lines over its colour.
    Approximate {
        /// A sample colour under the lines.
        colour: Rgba,
    },
    /// A town marker on a dark colour: a light rim keeps it visible.
    DarkTown {
        /// The dark colour.
        colour: Rgba,
    },
    /// The change map's changed ground: full colour inside a heavy outline.
    Changed {
        /// A sample colour.
        colour: Rgba,
    },
    /// The change map's unchanged ground: faded.
    Unchanged {
        /// The sample colour before fading.
        colour: Rgba,
    },
}

impl Row {
    /// The row's words: in full, or `short` for a key read on a phone.
    fn label(&self, lang: Lang, short: bool) -> String {
        if short && let Some(s) = self.short_label(lang) {
            return s;
        }
        match self {
            Row::Faction { label, .. } => label.clone(),
            Row::Contested {
                sides: Some(sides), ..
            } => format!("{} {sides}", lang.pick("Contested:", "Disputé :")),
            Row::Contested { sides: None, .. } => lang
                .pick(
                    "Contested (lines of both sides)",
                    "Disputé (lignes des deux camps)",
                )
                .to_string(),
            Row::NoData => lang
                .pick("No record for this date", "Pas de données à cette date")
                .to_string(),
            Row::Town { .. } => lang
                .pick(
                    "Town, coloured by who holds it",
                    "Ville, couleur de qui la tient",
                )
                .to_string(),
            Row::Capital { .. } => lang.pick("Capital", "Capitale").to_string(),
            Row::Approximate { .. } => lang
                .pick(
                    "Approximate date or holder (faint lines)",
                    "Date ou détenteur approximatif (lignes claires)",
                )
                .to_string(),
            Row::DarkTown { .. } => lang
                .pick(
                    "Town on a dark colour: light rim",
                    "Ville sur couleur sombre : cercle clair",
                )
                .to_string(),
            Row::Changed { .. } => lang
                .pick(
                    "Changed hands (outlined, labelled from → to)",
                    "A changé de mains (contour, « avant → après »)",
                )
                .to_string(),
            Row::Unchanged { .. } => lang
                .pick("Unchanged (faded)", "Inchangé (estompé)")
                .to_string(),
        }
    }

    /// The short words of a row whose full words run long.
    fn short_label(&self, lang: Lang) -> Option<String> {
        let words = match self {
            Row::Faction { short, .. } => return Some(short.clone()),
            Row::Contested {
                short_sides: Some(sides),
                ..
            } => return Some(format!("{} {sides}", lang.pick("Contested:", "Disputé :"))),
            Row::Contested { sides: None, .. } => {
                lang.pick("Contested (lines)", "Disputé (lignes)")
            }
            Row::NoData => lang.pick("No record", "Pas de données"),
            Row::Town { .. } => lang.pick("Town", "Ville"),
            Row::Approximate { .. } => lang.pick("Approximate", "Approximatif"),
            Row::DarkTown { .. } => lang.pick("Town on dark ground", "Ville sur fond sombre"),
            Row::Changed { .. } => {
                lang.pick("Changed hands (outlined)", "A changé de mains (contour)")
            }
            _ => return None,
        };
        Some(words.to_string())
    }
}

/// The legend with its top-left corner at (`x`, `y`), and the box it occupies: one column.
pub fn legend(rows: &[Row], style: &Style, lang: Lang, x: f32, y: f32) -> (Layer, Bounds) {
    legend_within(rows, style, lang, x, y, f32::INFINITY)
}

/// The key's box, its edge and its heading: the same for a key in columns and a flowing one.
fn box_and_heading(b: &Bounds, heading: &str, style: &Style) -> Vec<Item> {
    let (size, pad) = (style.legend_text, style.legend_pad);
    vec![
        Item::fill(vec![b.ring()], colours::LEGEND_BOX),
        Item::stroke(
            vec![b.ring()],
            true,
            colours::LEGEND_EDGE,
            style.text_px(1.0),
        ),
        Item::text(
            b.x0 + pad,
            b.y0 + pad + cap_height(size),
            heading,
            TextStyle::new(size, colours::INK).bold(),
        ),
    ]
}

/// The legend as a flowing key under its heading: each class (its swatch and short words)
/// after the last, wrapping onto a new line where `max_width` ends: the compact key of a map
/// read on a phone. Returns the layer and the box it occupies.
pub fn legend_flow(
    rows: &[Row],
    style: &Style,
    lang: Lang,
    (x, y): (f32, f32),
    max_width: f32,
) -> (Layer, Bounds) {
    let size = style.legend_text;
    let (sw, sh) = style.legend_swatch;
    let (row, pad) = (style.legend_row, style.legend_pad);
    let heading = lang.pick("Who controls the territory", "Qui contrôle le territoire");
    let between = style.legend_gap * 2.5;
    let heading_w = text_width(heading, size, true);
    let inner = (max_width - 2.0 * pad).max(heading_w);
    let mut at: Vec<(usize, f32)> = Vec::new();
    let (mut line, mut cx, mut widest) = (0, 0.0f32, heading_w);
    let labels: Vec<String> = rows.iter().map(|r| r.label(lang, true)).collect();
    // A label longer than a whole line shrinks to it rather than run out of the box.
    let sizes: Vec<f32> = labels
        .iter()
        .map(|l| super::titles::shrunk(l, size, false, inner - sw - style.legend_gap))
        .collect();
    for (label, &size) in labels.iter().zip(&sizes) {
        let w = sw + style.legend_gap + text_width(label, size, false);
        if cx > 0.0 && cx + w > inner {
            line += 1;
            cx = 0.0;
        }
        at.push((line, cx));
        widest = widest.max(cx + w);
        cx += w + between;
    }
    let lines = if rows.is_empty() { 0 } else { line + 1 };
    let bh = pad * 2.0 + row * (lines as f32 + 1.0) - (row - sh) + style.text_px(4.0);
    let b = Bounds::xywh(x, y, pad * 2.0 + widest, bh);
    let mut items = box_and_heading(&b, heading, style);
    for (((r, label), (line, cx)), size) in rows.iter().zip(&labels).zip(at).zip(sizes) {
        let top = b.y0 + pad + row * (line as f32 + 1.0) + style.text_px(4.0);
        let swatch = Bounds::xywh(b.x0 + pad + cx, top, sw, sh);
        items.extend(swatch_items(r, &swatch, style));
        items.push(Item::text(
            swatch.x1 + style.legend_gap,
            top + sh / 2.0 + cap_height(size) / 2.0,
            label,
            TextStyle::new(size, colours::INK),
        ));
    }
    (Layer::with_items("legend", items), b)
}

/// The legend with its top-left corner at (`x`, `y`), its rows wrapped into as many columns as
/// it takes to stay within `max_height` (a dataset with dozens of factions), and the box it
/// occupies.
pub fn legend_within(
    rows: &[Row],
    style: &Style,
    lang: Lang,
    x: f32,
    y: f32,
    max_height: f32,
) -> (Layer, Bounds) {
    let size = style.legend_text;
    let (sw, sh) = style.legend_swatch;
    let (row, pad) = (style.legend_row, style.legend_pad);
    let heading = lang.pick("Who controls the territory", "Qui contrôle le territoire");
    let labels: Vec<String> = rows
        .iter()
        .map(|r| r.label(lang, style.short_key))
        .collect();
    let height_for = |per_column: usize| {
        pad * 2.0 + row * (per_column as f32 + 1.0) - (row - sh) + style.text_px(4.0)
    };
    let n = rows.len().max(1);
    // As many rows per column as fit, then spread evenly over the columns that takes.
    let fit = (1..=n)
        .rev()
        .find(|&k| height_for(k) <= max_height)
        .unwrap_or(1);
    let per_column = n.div_ceil(n.div_ceil(fit));
    let label_w = |c: &[String]| {
        c.iter()
            .map(|t| text_width(t, size, false))
            .fold(0.0, f32::max)
    };
    let heading_w = text_width(heading, size, true);
    let columns: Vec<&[String]> = labels.chunks(per_column).collect();
    let column_w: Vec<f32> = columns
        .iter()
        .map(|c| sw + style.legend_gap + label_w(c))
        .collect();
    let bw = if columns.len() <= 1 {
        pad * 2.0 + sw + style.legend_gap + label_w(&labels).max(heading_w)
    } else {
        let body =
            column_w.iter().sum::<f32>() + style.legend_column_gap * (columns.len() - 1) as f32;
        pad * 2.0 + body.max(heading_w)
    };
    let bh = height_for(per_column.min(rows.len()));
    let b = Bounds::xywh(x, y, bw, bh);
    let mut items = box_and_heading(&b, heading, style);
    let mut x = b.x0 + pad;
    for (c, width) in column_w.iter().enumerate() {
        for k in 0..per_column {
            let Some((r, label)) = rows
                .get(c * per_column + k)
                .zip(labels.get(c * per_column + k))
            else {
                break;
            };
            let top = b.y0 + pad + row * (k as f32 + 1.0) + style.text_px(4.0);
            let swatch = Bounds::xywh(x, top, sw, sh);
            let cy = top + sh / 2.0;
            items.extend(swatch_items(r, &swatch, style));
            items.push(Item::text(
                x + sw + style.legend_gap,
                cy + cap_height(size) / 2.0,
                label,
                TextStyle::new(size, colours::INK),
            ));
        }
        x += width + style.legend_column_gap;
    }
    (Layer::with_items("legend", items), b)
}

/// The sample drawn for a row.
fn swatch_items(row: &Row, r: &Bounds, style: &Style) -> Vec<Item> {
    let (cx, cy) = ((r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0);
    // A town's marker as on the map: filled, with a rim.
    let marker = |shape: Ring, colour: Rgba, rim: Rgba| {
        vec![
            Item::fill(vec![shape.clone()], colour),
            Item::stroke(vec![shape], true, rim, style.text_px(1.2)),
        ]
    };
    match row {
        Row::Town { colour } => marker(circle(cx, cy, style.text_px(5.5)), *colour, colours::INK),
        Row::Capital { colour } => marker(
            star(cx, cy, style.text_px(5.5) * 1.6),
            *colour,
            colours::INK,
        ),
        Row::DarkTown { colour } => {
            // Shown as on the map: a dark marker on its own dark ground.
            let mut items = vec![Item::fill(vec![r.ring()], *colour)];
            items.extend(marker(
                circle(cx, cy, style.text_px(5.5)),
                *colour,
                colours::WHITE,
            ));
            items.push(swatch_edge(r, style));
            items
        }
        _ => ground_swatch(row, r, style),
    }
}

/// The thin frame around a swatch of ground.
fn swatch_edge(r: &Bounds, style: &Style) -> Item {
    Item::stroke(
        vec![r.ring()],
        true,
        colours::SWATCH_EDGE,
        style.text_px(0.8),
    )
}

/// The sample of a row that keys ground: a faction's fill, a contest's lines, no data, an
/// approximate record, and a change map's changed and unchanged ground.
fn ground_swatch(row: &Row, r: &Bounds, style: &Style) -> Vec<Item> {
    let stripe = f64::from(style.stripe);
    let striped = |width: f64, period: f64| rings_of(&stripes(&r.polygon(), width, period));
    let edge = swatch_edge(r, style);
    match row {
        Row::Faction { colour, .. } => vec![Item::fill(vec![r.ring()], *colour), edge],
        Row::Contested {
            sides_colours: [a, b],
            ..
        } => {
            let [lines_a, lines_b] = contest_lines(&r.polygon(), stripe);
            vec![
                Item::fill(vec![r.ring()], colours::contest_ground(*a, *b)),
                Item::fill(rings_of(&lines_a), *a),
                Item::fill(rings_of(&lines_b), *b),
                edge,
            ]
        }
        Row::NoData => {
            // Towns without a record share the row: a grey marker on the swatch.
            let c = circle((r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0, style.text_px(4.5));
            vec![
                Item::fill(vec![r.ring()], colours::NO_DATA),
                Item::fill(
                    striped(stripe * FINE_WIDTH, stripe * FINE_PERIOD),
                    colours::NO_DATA_LINES,
                ),
                Item::fill(vec![c.clone()], colours::NO_DATA_TOWN),
                Item::stroke(vec![c], true, colours::INK, style.text_px(1.0)),
                edge,
            ]
        }
        Row::Approximate { colour } => vec![
            Item::fill(vec![r.ring()], *colour),
            Item::fill(
                rings_of(&falling_stripes(
                    &r.polygon(),
                    stripe * UNCERTAIN_WIDTH,
                    stripe * UNCERTAIN_PERIOD,
                )),
                colours::UNCERTAIN_LINES,
            ),
            edge,
        ],
        Row::Changed { colour } => vec![
            Item::fill(vec![r.ring()], *colour),
            Item::stroke(vec![r.ring()], true, colours::INK, style.change_outline.0),
        ],
        Row::Unchanged { colour } => vec![
            Item::fill(
                vec![r.ring()],
                colours::PAPER.mix(colour.with_alpha(255), colours::FADE_KEEP),
            ),
            edge,
        ],
        // Markers are keyed by `swatch_items`.
        Row::Town { .. } | Row::Capital { .. } | Row::DarkTown { .. } => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Row> {
        vec![
            Row::Faction {
                label: "Government".into(),
                short: "Government".into(),
                colour: Rgba::rgb(0xD5, 0x5E, 0),
            },
            Row::Contested {
                sides_colours: [Rgba::rgb(0xD5, 0x5E, 0), Rgba::rgb(0x1B, 0x1B, 0x1B)],
                sides: None,
                short_sides: None,
            },
            Row::NoData,
        ]
    }

    #[test]
    fn every_label_fits_inside_the_box() {
        let style = Style::for_frame(1600, 1200);
        let (layer, b) = legend(&rows(), &style, Lang::Fr, 10.0, 20.0);
        for item in &layer.items {
            if let Item::Text {
                x,
                text,
                size,
                bold,
                ..
            } = item
            {
                assert!(
                    *x + text_width(text, *size, *bold) <= b.x1,
                    "{text} runs out"
                );
            }
        }
    }

    #[test]
    fn a_contest_is_keyed_in_its_two_sides_colours() {
        let style = Style::for_frame(1600, 1200);
        let (layer, _) = legend(&rows(), &style, Lang::En, 0.0, 0.0);
        let fills: Vec<Rgba> = layer
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Fill { colour, .. } => Some(*colour),
                _ => None,
            })
            .collect();
        let (orange, black) = (Rgba::rgb(0xD5, 0x5E, 0), Rgba::rgb(0x1B, 0x1B, 0x1B));
        assert!(fills.contains(&black));
        assert_eq!(
            fills.iter().filter(|c| **c == orange).count(),
            2,
            "the faction swatch and the contest's lines"
        );
        assert!(
            fills.contains(&colours::contest_ground(orange, black)),
            "the contest's blended ground"
        );
    }

    #[test]
    fn many_rows_wrap_into_even_columns_within_the_height() {
        let style = Style::for_frame(1280, 720);
        let many: Vec<Row> = (0..30)
            .map(|k| Row::Faction {
                label: format!("Faction {k}"),
                short: format!("F{k}"),
                colour: Rgba::rgb(k * 8, 0, 0),
            })
            .collect();
        let (_, tall) = legend(&many, &style, Lang::En, 0.0, 0.0);
        let max = (tall.y1 - tall.y0) / 2.5;
        let (layer, b) = legend_within(&many, &style, Lang::En, 0.0, 0.0, max);
        assert!(b.y1 - b.y0 <= max, "{b:?} taller than {max}");
        let mut xs: Vec<i32> = Vec::new();
        for item in &layer.items {
            if let Item::Text { x, text, size, .. } = item {
                assert!(
                    *x + text_width(text, *size, false) <= b.x1,
                    "{text} runs out"
                );
                if text.starts_with("Faction") && !xs.contains(&(*x as i32)) {
                    xs.push(*x as i32);
                }
            }
        }
        assert_eq!(xs.len(), 3, "30 rows in columns of 10: {xs:?}");
    }

    #[test]
    fn one_row_per_class_plus_the_heading() {
        let style = Style::for_frame(800, 600);
        let (layer, _) = legend(&rows(), &style, Lang::En, 0.0, 0.0);
        let texts = layer
            .items
            .iter()
            .filter(|i| matches!(i, Item::Text { .. }))
            .count();
        assert_eq!(texts, rows().len() + 1);
    }
}
