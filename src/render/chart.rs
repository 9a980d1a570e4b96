//! The share-of-territory chart: a plotters stacked-area chart with numbered event markers and
//! their key, drawn on the tiny-skia backend (PNG) or plotters' SVG backend.

use std::fmt::Write;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

use crate::colour::Rgba;
use crate::date::{Date, display_date_in, month_short};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::scene::hatch::{CONTEST_LINE, CONTEST_PERIOD, FINE_PERIOD, FINE_WIDTH};

/// What the chart shows, already computed.
#[derive(Debug, Clone)]
pub struct ShareChart {
    /// Title.
    pub title: String,
    /// Line under the title.
    pub subtitle: String,
    /// Credit line.
    pub credit: String,
    /// Days, one per row of `values`.
    pub days: Vec<Date>,
    /// Per day, the share of each band (bottom band first); each row sums to 1.
    pub values: Vec<Vec<f64>>,
    /// Band labels, bottom first.
    pub labels: Vec<String>,
    /// Band colours, bottom first: the ground of a striped band.
    pub colours: Vec<Rgba>,
    /// Per band, its hatching when it has one, as the maps draw that ground; `None` or
    /// missing: solid.
    pub stripes: Vec<Option<Hatch>>,
    /// Events to mark: day and caption.
    pub events: Vec<(Date, String)>,
    /// The language of the axis months and the events' dates.
    pub lang: Lang,
}

fn rgb(c: Rgba) -> RGBColor {
    RGBColor(c.r, c.g, c.b)
}

fn month_label(d: Date, lang: Lang) -> String {
    format!("{} {}", month_short(d.month(), lang), d.year())
}

/// Draws the chart onto any plotters drawing area.
pub fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ShareChart,
) -> Result<()> {
    super::png::register_fonts();
    let (w, h) = root.dim_in_pixel();
    let u = ((w as f64 * h as f64).sqrt() / 1200.0).max(0.6);
    root.fill(&WHITE).map_err(chart_err::<DB>)?;
    let n = chart.days.len();
    if n == 0 {
        return Err(Error::usage("the chart has no days"));
    }
    let key_rows = chart.events.len().div_ceil(2) as f64;
    let key_h = ((key_rows * 20.0 + 20.0) * u) as u32;
    let (top, key) = root.split_vertically(h.saturating_sub(key_h));
    draw_header(&top, chart, u)?;
    // The key of the bands sits between the subtitle and the plot, off the data.
    let legend_bottom = draw_band_key(&top, chart, u)?;
    let plot_area = top.margin(
        (legend_bottom + 10.0 * u) as u32,
        (10.0 * u) as u32,
        (20.0 * u) as u32,
        (30.0 * u) as u32,
    );
    let days = chart.days.clone();
    let mut cc = ChartBuilder::on(&plot_area)
        .x_label_area_size((36.0 * u) as u32)
        .y_label_area_size((56.0 * u) as u32)
        .build_cartesian_2d(0i32..n as i32, 0f64..100f64)
        .map_err(chart_err::<DB>)?;
    let axis_font = ("sans-serif", 14.0 * u).into_font();
    cc.configure_mesh()
        .disable_x_mesh()
        .y_label_formatter(&|v| format!("{v:.0}%"))
        .x_labels(12)
        .x_label_formatter(&|i| {
            days.get(*i as usize)
                .map_or(String::new(), |d| month_label(*d, chart.lang))
        })
        .label_style(axis_font.clone())
        .axis_desc_style(axis_font.clone())
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(chart_err::<DB>)?;
    draw_bands(root, &mut cc, chart, u)?;
    draw_event_markers(&mut cc, chart, u)?;
    draw_event_key(&key, chart, u, key_h)?;
    root.present().map_err(chart_err::<DB>)?;
    Ok(())
}

fn chart_err<DB: DrawingBackend>(e: DrawingAreaErrorKind<DB::ErrorType>) -> Error {
    Error::Runtime(format!("drawing the chart failed: {e}"))
}

type Plot<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordi32, plotters::coord::types::RangedCoordf64>,
>;

fn draw_header<DB: DrawingBackend>(
    top: &DrawingArea<DB, Shift>,
    chart: &ShareChart,
    u: f64,
) -> Result<()> {
    let title_font = ("sans-serif", 30.0 * u).into_font().style(FontStyle::Bold);
    let sub_font = ("sans-serif", 17.0 * u).into_font();
    top.draw_text(
        &chart.title,
        &title_font.color(&BLACK),
        ((24.0 * u) as i32, (16.0 * u) as i32),
    )
    .map_err(chart_err::<DB>)?;
    top.draw_text(
        &chart.subtitle,
        &sub_font.color(&RGBColor(85, 85, 85)),
        ((24.0 * u) as i32, (56.0 * u) as i32),
    )
    .map_err(chart_err::<DB>)?;
    Ok(())
}

/// Whether a band holds ground on some day (bands that never do are left out of the key).
fn band_shows(chart: &ShareChart, k: usize) -> bool {
    chart
        .values
        .iter()
        .any(|row| row.get(k).copied().unwrap_or(0.0) > 1e-9)
}

/// The key of the bands in rows under the subtitle, each swatch as its band is drawn (striped
/// bands striped); returns the bottom of the key.
fn draw_band_key<DB: DrawingBackend>(
    top: &DrawingArea<DB, Shift>,
    chart: &ShareChart,
    u: f64,
) -> Result<f64> {
    let font = ("sans-serif", 14.0 * u).into_font();
    let (w, _) = top.dim_in_pixel();
    let (sw, sh, gap) = (22.0 * u, 14.0 * u, 22.0 * u);
    let row_h = 22.0 * u;
    let (mut x, mut y) = (24.0 * u, 86.0 * u);
    for k in (0..chart.labels.len()).filter(|k| band_shows(chart, *k)) {
        let label = &chart.labels[k];
        let text_w = crate::scene::text::text_width(label, (14.0 * u) as f32, false) as f64;
        if x + sw + 6.0 * u + text_w > f64::from(w) - 24.0 * u && x > 24.0 * u {
            x = 24.0 * u;
            y += row_h;
        }
        let (x0, y0) = (x as i32, (y - sh / 2.0) as i32);
        let (x1, y1) = ((x + sw) as i32, (y + sh / 2.0) as i32);
        let ground = rgb(chart
            .colours
            .get(k)
            .copied()
            .unwrap_or(Rgba::rgb(128, 128, 128)));
        top.draw(&Rectangle::new([(x0, y0), (x1, y1)], ground.filled()))
            .map_err(chart_err::<DB>)?;
        if let Some(Some(hatch)) = chart.stripes.get(k) {
            for (poly, c) in hatch_in((x0, y0, x1, y1), u, hatch) {
                top.draw(&Polygon::new(poly, rgb(c).filled()))
                    .map_err(chart_err::<DB>)?;
            }
        }
        top.draw(&Rectangle::new(
            [(x0, y0), (x1, y1)],
            plotters::style::Color::stroke_width(&RGBColor(120, 120, 120), 1),
        ))
        .map_err(chart_err::<DB>)?;
        top.draw_text(
            label,
            &font
                .color(&BLACK)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Left,
                    plotters::style::text_anchor::VPos::Center,
                )),
            ((x + sw + 6.0 * u) as i32, y as i32),
        )
        .map_err(chart_err::<DB>)?;
        x += sw + 6.0 * u + text_w + gap;
    }
    Ok(y + row_h / 2.0)
}

/// A band's hatching, drawn over its colour as the maps draw that ground.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hatch {
    /// Contested ground: thin lines of each side's colour (over the two blended).
    Contest([Rgba; 2]),
    /// Ground without a record: fine lines of one colour.
    Fine(Rgba),
}

/// The stripe width the chart's hatching is measured in (the maps use 5 px at 1600 px wide):
/// a contest's lines at least a pixel and a half wide before rounding.
fn stripe_unit(u: f64) -> f64 {
    (4.0 * u).max(1.5 / CONTEST_LINE)
}

/// A hatching's lines in a box, with their colours: a contest's two sets (the second half a
/// period after the first), or the fine no-data lines.
fn hatch_in(b: (i32, i32, i32, i32), u: f64, hatch: &Hatch) -> Vec<(Vec<(i32, i32)>, Rgba)> {
    let s = stripe_unit(u);
    // Whole pixels: the chart's polygons land on the pixel grid, and widths that round to 1 or
    // 2 px by turns make thin lines uneven.
    let px = |v: f64, least: f64| v.round().max(least);
    let sets: Vec<(f64, f64, f64, Rgba)> = match *hatch {
        Hatch::Contest([a, c]) => {
            let half = px(s * CONTEST_PERIOD / 2.0, 2.0);
            let w = px(s * CONTEST_LINE, 1.0);
            vec![(2.0 * half, w, 0.0, a), (2.0 * half, w, half, c)]
        }
        Hatch::Fine(c) => vec![(px(s * FINE_PERIOD, 2.0), px(s * FINE_WIDTH, 1.0), 0.0, c)],
    };
    let mut out = Vec::new();
    for (period, width, offset, c) in sets {
        out.extend(
            stripes_in(b, period, width, offset)
                .into_iter()
                .map(|p| (p, c)),
        );
    }
    out
}

/// The diagonal stripes (`x + y` in `[k·period, k·period + width)`, so stripes line up across
/// neighbouring boxes) inside a pixel box, as polygons: a box cut by two parallel lines.
fn stripes_in(
    b: (i32, i32, i32, i32),
    period: f64,
    width: f64,
    offset: f64,
) -> Vec<Vec<(i32, i32)>> {
    let (x0, y0, x1, y1) = (b.0 as f64, b.1 as f64, b.2 as f64, b.3 as f64);
    if x1 <= x0 || y1 <= y0 {
        return Vec::new();
    }
    let first = ((x0 + y0 - width - offset) / period).floor() as i64;
    let last = ((x1 + y1 - offset) / period).ceil() as i64;
    let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
    let mut out = Vec::new();
    for k in first..=last {
        let lo = k as f64 * period + offset;
        let mut poly = clip(&corners, |p| p.0 + p.1 - lo);
        poly = clip(&poly, |p| lo + width - (p.0 + p.1));
        if poly.len() >= 3 {
            out.push(
                poly.iter()
                    .map(|p| (p.0.round() as i32, p.1.round() as i32))
                    .collect(),
            );
        }
    }
    out
}

/// The part of a convex polygon where `side` is not negative (one Sutherland–Hodgman step).
fn clip(poly: &[(f64, f64)], side: impl Fn((f64, f64)) -> f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(poly.len() + 1);
    for (i, &p) in poly.iter().enumerate() {
        let q = poly[(i + 1) % poly.len()];
        let (sp, sq) = (side(p), side(q));
        if sp >= 0.0 {
            out.push(p);
        }
        if (sp >= 0.0) != (sq >= 0.0) {
            let t = sp / (sp - sq);
            out.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
        }
    }
    out
}

/// The stacked bands as step polygons (a value holds for its whole day); striped bands get
/// their stripes over each run of days on which the band keeps its bounds.
fn draw_bands<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    cc: &mut Plot<'_, DB>,
    chart: &ShareChart,
    u: f64,
) -> Result<()> {
    let n = chart.days.len();
    let mut lower = vec![0.0; n];
    for k in 0..chart.labels.len() {
        let upper: Vec<f64> = (0..n)
            .map(|i| lower[i] + chart.values[i].get(k).copied().unwrap_or(0.0) * 100.0)
            .collect();
        let mut pts: Vec<(i32, f64)> = Vec::with_capacity(4 * n);
        for (i, v) in upper.iter().enumerate() {
            pts.push((i as i32, *v));
            pts.push((i as i32 + 1, *v));
        }
        for i in (0..n).rev() {
            pts.push((i as i32 + 1, lower[i]));
            pts.push((i as i32, lower[i]));
        }
        let colour = chart
            .colours
            .get(k)
            .copied()
            .unwrap_or(Rgba::rgb(128, 128, 128));
        cc.draw_series(std::iter::once(Polygon::new(pts, rgb(colour).filled())))
            .map_err(chart_err::<DB>)?;
        if let Some(Some(hatch)) = chart.stripes.get(k) {
            let mut i = 0;
            while i < n {
                let mut j = i + 1;
                while j < n && upper[j] == upper[i] && lower[j] == lower[i] {
                    j += 1;
                }
                if upper[i] - lower[i] > 1e-9 {
                    let (x0, y0) = cc.backend_coord(&(i as i32, upper[i]));
                    let (x1, y1) = cc.backend_coord(&(j as i32, lower[i]));
                    for (poly, c) in hatch_in((x0, y0, x1, y1), u, hatch) {
                        root.draw(&Polygon::new(poly, rgb(c).filled()))
                            .map_err(chart_err::<DB>)?;
                    }
                }
                i = j;
            }
        }
        lower = upper;
    }
    Ok(())
}

/// Numbered event markers, staggered when they crowd each other.
fn draw_event_markers<DB: DrawingBackend>(
    cc: &mut Plot<'_, DB>,
    chart: &ShareChart,
    u: f64,
) -> Result<()> {
    let n = chart.days.len();
    // Marker spacing in pixels, from the plot's own coordinates.
    let (left, _) = cc.backend_coord(&(0, 0.0));
    let (right, _) = cc.backend_coord(&(n as i32, 0.0));
    let px_per_day = f64::from(right - left) / n as f64;
    const LEVELS: usize = 6;
    let mut last_x: Vec<f64> = vec![f64::NEG_INFINITY; LEVELS];
    let number_font = ("sans-serif", 12.0 * u).into_font().style(FontStyle::Bold);
    for (k, (d, _)) in chart.events.iter().enumerate() {
        let Some(i) = chart.days.iter().position(|x| x == d) else {
            continue;
        };
        let x = i as f64 * px_per_day;
        let level = (0..LEVELS).find(|&l| x - last_x[l] > 20.0 * u).unwrap_or(0);
        last_x[level] = x;
        let y = 100.0 - 4.6 * (level as f64 + 1.0);
        cc.draw_series(std::iter::once(PathElement::new(
            vec![(i as i32, 0.0), (i as i32, 100.0)],
            RGBAColor(40, 40, 40, 0.35),
        )))
        .map_err(chart_err::<DB>)?;
        cc.draw_series(std::iter::once(Circle::new(
            (i as i32, y),
            (8.5 * u) as i32,
            WHITE.filled(),
        )))
        .map_err(chart_err::<DB>)?;
        cc.draw_series(std::iter::once(Circle::new(
            (i as i32, y),
            (8.5 * u) as i32,
            plotters::style::Color::stroke_width(&BLACK, 1),
        )))
        .map_err(chart_err::<DB>)?;
        cc.draw_series(std::iter::once(Text::new(
            format!("{}", k + 1),
            (i as i32, y),
            number_font
                .clone()
                .color(&BLACK)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Center,
                )),
        )))
        .map_err(chart_err::<DB>)?;
    }
    Ok(())
}

/// The key of the numbered events, in two columns, and the credit.
fn draw_event_key<DB: DrawingBackend>(
    key: &DrawingArea<DB, Shift>,
    chart: &ShareChart,
    u: f64,
    key_h: u32,
) -> Result<()> {
    let (w, _) = key.dim_in_pixel();
    let key_font = ("sans-serif", 13.5 * u).into_font();
    let col_w = f64::from(w) / 2.0;
    let rows = chart.events.len().div_ceil(2);
    for (k, (d, caption)) in chart.events.iter().enumerate() {
        let (col, row) = (k / rows.max(1), k % rows.max(1));
        let x = (24.0 * u + col as f64 * col_w) as i32;
        let y = (row as f64 * 20.0 * u) as i32;
        key.draw_text(
            &format!(
                "{:>2}  {}  {caption}",
                k + 1,
                display_date_in(*d, chart.lang)
            ),
            &key_font.color(&BLACK),
            (x, y),
        )
        .map_err(chart_err::<DB>)?;
    }
    let credit_font = ("sans-serif", 12.0 * u).into_font();
    key.draw_text(
        &chart.credit,
        &credit_font.color(&RGBColor(85, 85, 85)),
        ((24.0 * u) as i32, (key_h as f64 - 18.0 * u) as i32),
    )
    .map_err(chart_err::<DB>)?;
    Ok(())
}

/// The chart as PNG bytes.
pub fn chart_png(chart: &ShareChart, w: u32, h: u32) -> Result<Vec<u8>> {
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| Error::Runtime(format!("cannot allocate {w}x{h}")))?;
    {
        let root = super::skia::SkiaBackend::new(&mut pixmap).into_drawing_area();
        draw_chart(&root, chart)?;
    }
    super::png::encode_png(&pixmap)
}

/// The chart as an SVG document.
///
/// plotters' SVG backend writes text in a generic `sans-serif` at `size / 1.24` with
/// approximate baseline shifts; this writes it instead, with the em size, baseline and
/// face the PNG uses, so the two agree.
pub fn chart_svg(chart: &ShareChart, w: u32, h: u32) -> Result<String> {
    let mut s = String::new();
    let texts = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
    {
        let inner = SVGBackend::with_string(&mut s, (w, h));
        let root = ChartSvg {
            inner,
            texts: texts.clone(),
        }
        .into_drawing_area();
        draw_chart(&root, chart)?;
    }
    // The chart draws no shape over a text, so its texts can all go last.
    let texts = texts.borrow();
    match s.rfind("</svg>") {
        Some(at) => s.insert_str(at, &texts),
        None => return Err(Error::Runtime("the chart's SVG has no end".into())),
    }
    Ok(s)
}

/// plotters' SVG backend for shapes; text written by the crate's text engine's rules.
struct ChartSvg<'a> {
    inner: SVGBackend<'a>,
    texts: std::rc::Rc<std::cell::RefCell<String>>,
}

type SvgError<'a> = DrawingErrorKind<<SVGBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for ChartSvg<'a> {
    type ErrorType = <SVGBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> std::result::Result<(), SvgError<'a>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> std::result::Result<(), SvgError<'a>> {
        self.inner.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> std::result::Result<(), SvgError<'a>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> std::result::Result<(), SvgError<'a>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> std::result::Result<(), SvgError<'a>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> std::result::Result<(), SvgError<'a>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> std::result::Result<(), SvgError<'a>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> std::result::Result<(), SvgError<'a>> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> std::result::Result<(), SvgError<'a>> {
        let c = style.color();
        if c.alpha <= 0.0 {
            return Ok(());
        }
        let bold = matches!(style.style(), plotters_backend::FontStyle::Bold);
        let (align, baseline) = super::skia::text_position(style, pos.1);
        let anchor = match align {
            crate::scene::Align::Start => "start",
            crate::scene::Align::Middle => "middle",
            crate::scene::Align::End => "end",
        };
        let colour = Rgba {
            r: c.rgb.0,
            g: c.rgb.1,
            b: c.rgb.2,
            a: 255,
        };
        let _ = writeln!(
            self.texts.borrow_mut(),
            "<text xml:space=\"preserve\" x=\"{}\" y=\"{baseline:.2}\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"{:.2}\"{} text-anchor=\"{anchor}\" fill=\"{}\"{}>{}</text>",
            pos.0,
            crate::scene::text::em(style.size() as f32, bold),
            if bold { " font-weight=\"bold\"" } else { "" },
            colour.hex(),
            if c.alpha < 1.0 {
                format!(" fill-opacity=\"{:.3}\"", c.alpha)
            } else {
                String::new()
            },
            super::svg::escape(text)
        );
        Ok(())
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> std::result::Result<(u32, u32), SvgError<'a>> {
        // As the PNG backend measures, so both lay the chart out alike.
        let size = style.size() as f32;
        let bold = matches!(style.style(), plotters_backend::FontStyle::Bold);
        let (ascent, descent) = super::glyphs::vertical_metrics(size, bold);
        Ok((
            crate::scene::text::text_width(text, size, bold).ceil() as u32,
            (ascent - descent).ceil() as u32,
        ))
    }
}
