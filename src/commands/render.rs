//! `controlmap render`: one map for a date or phase, or every phase of the dataset.

use std::path::{Path, PathBuf};

use crate::analysis::{areas_km2, describe};
use crate::dataset::Dataset;
use crate::date::Date;
use crate::error::{Error, Field, Result};
use crate::lang::Lang;
use crate::render::chart::Hatch;
use crate::render::{Format, encode};
use crate::scene::style::{Layout, Medium};
use crate::scene::{MapLayout, MapOptions};
use crate::territory::TerritoryId;
use crate::timeline::Timeline;
use crate::write::png_meta::PngMeta;
use crate::write::{Output, write_atomic};

/// What to render.
#[derive(Debug, Clone, Default)]
pub struct RenderRequest {
    /// A date to render.
    pub date: Option<Date>,
    /// A phase to render (its date and title).
    pub phase: Option<String>,
    /// Output format; from `out`'s extension when absent, else PNG.
    pub format: Option<Format>,
    /// Width and height in pixels.
    pub size: (u32, u32),
    /// Output file (one map) or folder (every phase), or standard output (one SVG map).
    pub out: Option<Output>,
    /// French labels.
    pub lang: Lang,
    /// The outlet's credit at the end of the credit line (`--credit`).
    pub credit: Option<String>,
    /// Print resolution recorded in a PNG (0: the default, 144); a print layout sizes its type
    /// in points at this resolution.
    pub dpi: u32,
    /// Where the map is read.
    pub layout: Layout,
    /// Leave out the dataset's shaded relief.
    pub without_relief: bool,
}

/// A PNG with its `sRGB`, `pHYs` and text chunks; other formats as they are.
fn annotated(bytes: Vec<u8>, format: Format, meta: &PngMeta) -> Vec<u8> {
    match format {
        Format::Png => crate::write::png_meta::annotate(bytes, meta),
        Format::Svg => bytes,
    }
}

/// Resolves the format from `--format` and the extension of `--out`.
pub fn resolve_format(format: Option<Format>, out: Option<&Path>) -> Result<Format> {
    let from_ext = out
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_string())
        .map(|e| {
            Format::parse(&e).ok_or_else(|| {
                Error::usage_of(
                    Field::Out,
                    format!("unknown extension '.{e}' (use .png or .svg)"),
                )
            })
        })
        .transpose()?;
    match (format, from_ext) {
        (Some(f), Some(e)) if f != e => Err(Error::usage_of(
            Field::Format,
            format!(
                "{} disagrees with the output file ending in .{}",
                f.extension(),
                e.extension()
            ),
        )),
        (Some(f), _) | (None, Some(f)) => Ok(f),
        (None, None) => Ok(Format::Png),
    }
}

/// Renders one map into its files: the image, then `NAME.alt.txt` beside a PNG.
#[allow(clippy::too_many_arguments)]
pub fn map_files(
    dataset: &Dataset,
    layout: &MapLayout,
    timeline: &Timeline,
    areas: &crate::analysis::Areas,
    date: Date,
    heading: Option<&str>,
    format: Format,
    dpi: u32,
    out: &Path,
) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let state = timeline.state_at(date);
    let description = describe(dataset, areas, &state, layout.options().lang);
    // A PNG's pixmap is laid down on another thread while the scene is built.
    let (scene, canvas) = rayon::join(
        || layout.scene(&state, heading, &description),
        || {
            (format == Format::Png).then(|| {
                let o = layout.options();
                crate::render::png::canvas(o.width, o.height)
            })
        },
    );
    let mut bytes = match canvas {
        Some(canvas) => {
            crate::render::png::encode_png(&crate::render::png::draw_on(canvas?, &scene)?)?
        }
        None => encode(&scene, format)?,
    };
    if format == Format::Png {
        bytes = crate::write::png_meta::annotate(
            bytes,
            &crate::write::png_meta::PngMeta {
                dpi,
                title: heading.map_or_else(
                    || format!("{}, {date}", dataset.manifest.title),
                    |h| format!("{}: {h}", dataset.manifest.title),
                ),
                description: description.clone(),
                copyright: dataset.manifest.attribution.trim().to_string(),
            },
        );
    }
    let mut files = vec![(out.to_path_buf(), bytes)];
    if format == Format::Png {
        files.push((
            out.with_extension("alt.txt"),
            format!("{description}\n").into_bytes(),
        ));
    }
    Ok(files)
}

/// Renders one map and writes it (with `NAME.alt.txt` beside a PNG, written only once the image
/// is); returns the files written.
#[allow(clippy::too_many_arguments)]
pub fn render_one(
    dataset: &Dataset,
    layout: &MapLayout,
    timeline: &Timeline,
    areas: &crate::analysis::Areas,
    date: Date,
    heading: Option<&str>,
    format: Format,
    dpi: u32,
    out: &Path,
) -> Result<Vec<PathBuf>> {
    let files = map_files(
        dataset, layout, timeline, areas, date, heading, format, dpi, out,
    )?;
    let mut written = Vec::new();
    for (path, bytes) in files {
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Runs `render`: one map for a date or phase, or a PNG and an SVG of every phase.
pub fn render(dataset: &Dataset, req: &RenderRequest) -> Result<Vec<PathBuf>> {
    let dpi = if req.dpi == 0 {
        crate::write::png_meta::DEFAULT_DPI
    } else {
        req.dpi
    };
    if req.date.is_some() && req.phase.is_some() {
        return Err(Error::usage_of(
            Field::Date,
            "a date and a phase cannot be used together",
        ));
    }
    let options = MapOptions {
        width: req.size.0,
        height: req.size.1,
        lang: req.lang,
        strip: None,
        compact: false,
        credit: req.credit.clone(),
        change_key: false,
        medium: Medium {
            layout: req.layout,
            dpi,
            video: false,
        },
        relief: !req.without_relief,
    };
    let phase = req
        .phase
        .as_deref()
        .map(|id| dataset.phase(id))
        .transpose()?;
    let single = req.date.or(phase.map(|p| p.date));
    if let Some(date) = single {
        let heading = phase.map(|p| p.title_in(req.lang));
        let out = match &req.out {
            Some(Output::Stdout) => {
                let format = match req.format {
                    None | Some(Format::Svg) => Format::Svg,
                    Some(Format::Png) => {
                        return Err(Error::usage(
                            "a PNG is binary: standard output takes SVG only",
                        ));
                    }
                };
                let state = Timeline::new(dataset).state_at(date);
                let layout =
                    MapLayout::for_states(dataset, &options, std::slice::from_ref(&state))?;
                let areas = areas_km2(dataset);
                let description = describe(dataset, &areas, &state, req.lang);
                let scene = layout.scene(&state, heading, &description);
                crate::write::write_stdout(&encode(&scene, format)?)?;
                return Ok(Vec::new());
            }
            Some(Output::Path(p)) => Some(p.as_path()),
            None => None,
        };
        // `--out` may name the file, or a folder (existing, or written with a trailing slash)
        // to put the map in under its default name.
        let out_dir = out.filter(|p| p.is_dir() || p.as_os_str().to_string_lossy().ends_with('/'));
        let format = resolve_format(req.format, out.filter(|_| out_dir.is_none()))?;
        let default_name = || {
            let stem = phase.map_or_else(|| format!("map-{date}"), |p| p.id.clone());
            format!("{stem}.{}", format.extension())
        };
        let out = match (out, out_dir) {
            (_, Some(dir)) => dir.join(default_name()),
            (Some(p), None) => p.to_path_buf(),
            (None, None) => super::output_dir(None, None)?.join(default_name()),
        };
        // Refuse an unwritable destination before the work of laying out the map.
        crate::write::check_parent(&out)?;
        let timeline = Timeline::new(dataset);
        // The legend keys exactly what this map draws.
        let layout = MapLayout::for_states(dataset, &options, &[timeline.state_at(date)])?;
        let areas = crate::analysis::areas_km2_of(dataset, Some(layout.reaches()));
        return render_one(
            dataset, &layout, &timeline, &areas, date, heading, format, dpi, &out,
        );
    }
    // Every phase, PNG and SVG, into a folder.
    if dataset.manifest.phases.is_empty() {
        return Err(Error::usage_of(
            Field::Date,
            "the dataset declares no phases: give a date",
        ));
    }
    let dir = match &req.out {
        Some(Output::Stdout) => {
            return Err(Error::usage(
                "every phase is many files: standard output takes one map (give a date or phase)",
            ));
        }
        Some(Output::Path(p)) => super::output_dir(Some(p), None)?,
        None => super::output_dir(None, None)?,
    };
    let formats = match req.format {
        Some(f) => vec![f],
        None => vec![Format::Png, Format::Svg],
    };
    let timeline = Timeline::new(dataset);
    let areas = areas_km2(dataset);
    // The whole set lands, or nothing changes in the folder.
    let mut set = crate::write::FileSet::new();
    let mut written = Vec::new();
    for p in &dataset.manifest.phases {
        let layout = MapLayout::for_states(dataset, &options, &[timeline.state_at(p.date)])?;
        for &f in &formats {
            let out = dir.join(format!("{}.{}", p.id, f.extension()));
            for (path, bytes) in map_files(
                dataset,
                &layout,
                &timeline,
                &areas,
                p.date,
                Some(p.title_in(req.lang)),
                f,
                dpi,
                &out,
            )? {
                set.add(&path, &bytes)?;
                written.push(path);
            }
        }
    }
    set.commit()?;
    Ok(written)
}

/// Draws the change map of a diff into `out` (.png or .svg).
pub fn render_diff_map(
    dataset: &Dataset,
    d: &crate::analysis::diff::Diff,
    size: (u32, u32),
    lang: Lang,
    relief: bool,
    out: &Path,
) -> Result<PathBuf> {
    use crate::date::display_date_long;
    let format = resolve_format(None, Some(out)).map_err(|e| e.for_field(Field::Map))?;
    crate::write::check_parent(out).map_err(|e| e.for_field(Field::Map))?;
    let layout = MapLayout::for_states(
        dataset,
        &MapOptions {
            lang,
            // Nothing outlined, nothing to explain.
            change_key: !d.changes.is_empty(),
            relief,
            ..MapOptions::new(size.0, size.1)
        },
        std::slice::from_ref(&d.to),
    )?;
    let name = |c: Option<crate::dataset::Control>| {
        c.map_or_else(
            || lang.pick("no data", "sans données").to_string(),
            |c| dataset.control_short(c, lang).to_string(),
        )
    };
    // Every territory that changed hands keeps its colour; regions also get an outline and a
    // "from → to" label.
    let changed: Vec<(TerritoryId, String)> = d
        .changes
        .iter()
        .map(|c| {
            (
                c.target,
                capitalised(&format!("{} → {}", name(c.from), name(c.to))),
            )
        })
        .collect();
    let (from, to) = (
        display_date_long(d.from.date, lang),
        display_date_long(d.to.date, lang),
    );
    let heading = match lang {
        Lang::En => format!("Changes from {from} to {to}"),
        Lang::Fr => format!("Changements du {from} au {to}"),
    };
    let n_regions = changed
        .iter()
        .filter(|(t, _)| dataset.territory(*t).is_region())
        .count();
    let n_places = d.changes.len() - n_regions;
    let note = match lang {
        Lang::En => format!(
            "{n_regions} region(s) and {n_places} town(s) changed hands; unchanged ground is faded."
        ),
        Lang::Fr => format!(
            "{n_regions} région(s) et {n_places} ville(s) ont changé de mains ; le reste est estompé."
        ),
    };
    let areas = areas_km2(dataset);
    let description = format!(
        "{heading}. {note} {}",
        describe(dataset, &areas, &d.to, lang)
    );
    let changes = crate::scene::change_map::Changes {
        from: &d.from,
        changed: &changed,
    };
    let scene = layout.change_scene(&d.to, changes, &heading, &note, &description);
    let title = format!("{}: {heading}", dataset.manifest.title);
    let meta = PngMeta::new(&title, &description, &dataset.manifest.attribution);
    write_atomic(out, &annotated(encode(&scene, format)?, format, &meta))?;
    Ok(out.to_path_buf())
}

/// A label starting with a capital, as a caption would ("contested → …" gives "Contested → …").
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// Draws the share-of-territory chart (.png, .svg) or writes its series (.csv).
pub fn render_share_chart(
    dataset: &Dataset,
    from: Option<Date>,
    to: Option<Date>,
    size: (u32, u32),
    lang: Lang,
    out: &Output,
) -> Result<Option<PathBuf>> {
    use crate::analysis::series::share_series;
    use crate::render::chart::{ShareChart, chart_png, chart_svg};
    // Standard output takes the series as CSV.
    let ext = out.path().map_or_else(
        || "csv".to_string(),
        |p| {
            p.extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default()
        },
    );
    if ext != "png" && ext != "svg" && ext != "csv" {
        return Err(Error::usage_of(
            Field::Out,
            format!("unknown extension '.{ext}' (use .png, .svg or .csv)"),
        ));
    }
    out.check()?;
    let timeline = Timeline::new(dataset);
    let (from, to) = super::analyst::series_span(dataset, &timeline, from, to)?;
    let areas = areas_km2(dataset);
    let series = share_series(dataset, &timeline, &areas, from, to)?;
    if ext == "csv" {
        out.write(super::analyst::series_to_csv(dataset, &series)?.as_bytes())?;
        return Ok(out.path().map(Path::to_path_buf));
    }
    let bands = chart_bands(dataset, &timeline, &areas, &series, lang);
    let chart = ShareChart {
        title: match lang {
            Lang::En => format!(
                "{}: who held how much of the country",
                dataset.manifest.title
            ),
            Lang::Fr => format!(
                "{} : qui tenait quelle part du pays",
                dataset.manifest.title
            ),
        },
        subtitle: match lang {
            Lang::En => format!(
                "Share of the country's area by controller, {from} to {to}, day by day (geodesic areas of the ground drawn)"
            ),
            Lang::Fr => format!(
                "Part de la superficie du pays par contrôle, du {from} au {to}, jour par jour (superficies géodésiques du terrain dessiné)"
            ),
        },
        credit: crate::analysis::citations::credit_line(
            dataset,
            Some(lang.pick("Chart: controlmap.", "Graphique : controlmap.")),
            lang,
        ),
        days: series.rows.iter().map(|(d, _)| *d).collect(),
        values: bands.values,
        labels: bands.labels,
        colours: bands.colours,
        stripes: bands.stripes,
        events: dataset
            .events
            .iter()
            .filter(|e| e.date >= from && e.date <= to)
            .map(|e| (e.date, e.caption.clone()))
            .collect(),
        lang,
    };
    let bytes = if ext == "png" {
        let description = format!("{}. {}", chart.title, chart.subtitle);
        let meta = PngMeta::new(&chart.title, &description, &chart.credit);
        annotated(chart_png(&chart, size.0, size.1)?, Format::Png, &meta)
    } else {
        chart_svg(&chart, size.0, size.1)?.into_bytes()
    };
    out.write(&bytes)?;
    Ok(out.path().map(Path::to_path_buf))
}

/// The share chart's bands: the series' holders, with contested ground split by who contests
/// it and hatched as the maps hatch it (each side's thin lines over the two blended).
struct ChartBands {
    values: Vec<Vec<f64>>,
    labels: Vec<String>,
    colours: Vec<crate::colour::Rgba>,
    stripes: Vec<Option<Hatch>>,
}

fn chart_bands(
    dataset: &Dataset,
    timeline: &Timeline,
    areas: &crate::analysis::Areas,
    series: &crate::analysis::series::ShareSeries,
    lang: Lang,
) -> ChartBands {
    use crate::analysis::Holder;
    use crate::analysis::series::contested_series;
    use crate::scene::style::colours;
    let contested = contested_series(dataset, timeline, areas, series);
    let mut bands = ChartBands {
        values: vec![Vec::new(); series.rows.len()],
        labels: Vec::new(),
        colours: Vec::new(),
        stripes: Vec::new(),
    };
    for (h, holder) in series.holders.iter().enumerate() {
        match holder {
            Holder::Contested => {
                for (b, pair) in contested.parties.iter().enumerate() {
                    let (label, sides) = match pair {
                        Some((p, q)) => (
                            format!(
                                "{} {} / {}",
                                lang.pick("Contested:", "Disputé :"),
                                dataset.faction_short(*p, lang),
                                dataset.faction_short(*q, lang)
                            ),
                            [
                                dataset.manifest.factions[*p].colour,
                                dataset.manifest.factions[*q].colour,
                            ],
                        ),
                        None => (
                            lang.pick("Contested", "Disputé").to_string(),
                            [colours::CONTESTED_A, colours::CONTESTED_B],
                        ),
                    };
                    bands.labels.push(label);
                    bands
                        .colours
                        .push(colours::contest_ground(sides[0], sides[1]));
                    bands.stripes.push(Some(Hatch::Contest(sides)));
                    for (row, parts) in bands.values.iter_mut().zip(&contested.rows) {
                        row.push(parts[b]);
                    }
                }
                continue;
            }
            Holder::Faction(i) => {
                bands
                    .labels
                    .push(dataset.faction_label(*i, lang).to_string());
                bands.colours.push(dataset.manifest.factions[*i].colour);
            }
            Holder::NoData => {
                bands
                    .labels
                    .push(lang.pick("No record", "Sans données").to_string());
                bands.colours.push(colours::NO_DATA);
                // As the maps mark ground without a record: grey lines over pale ground.
                bands
                    .stripes
                    .push(Some(Hatch::Fine(colours::NO_DATA_LINES)));
                for (row, (_, v)) in bands.values.iter_mut().zip(&series.rows) {
                    row.push(v[h]);
                }
                continue;
            }
        }
        bands.stripes.push(None);
        for (row, (_, v)) in bands.values.iter_mut().zip(&series.rows) {
            row.push(v[h]);
        }
    }
    bands
}

/// The cells of a grid: `--phases all|id,id` or `--dates`.
pub fn grid_cells(
    dataset: &Dataset,
    phases: Option<&str>,
    dates: Option<Vec<Date>>,
    lang: Lang,
) -> Result<Vec<crate::scene::grid::Cell>> {
    use crate::scene::grid::Cell;
    let timeline = Timeline::new(dataset);
    match (phases, dates) {
        (Some(p), None) => {
            let chosen: Vec<&crate::dataset::Phase> = if p == "all" {
                dataset.manifest.phases.iter().collect()
            } else {
                p.split(',')
                    .map(|id| dataset.phase(id.trim()))
                    .collect::<Result<_>>()?
            };
            if chosen.is_empty() {
                return Err(Error::usage_of(
                    Field::Phases,
                    "the dataset declares no phases",
                ));
            }
            Ok(chosen
                .into_iter()
                .map(|ph| Cell {
                    state: timeline.state_at(ph.date),
                    heading: Some(ph.title_in(lang).to_string()),
                })
                .collect())
        }
        (None, Some(ds)) if !ds.is_empty() => Ok(ds
            .into_iter()
            .map(|d| Cell {
                state: timeline.state_at(d),
                heading: None,
            })
            .collect()),
        _ => Err(Error::usage_of(
            Field::Phases,
            "give `all`, phase ids, or dates",
        )),
    }
}

/// Draws small multiples into `out` (.png or .svg), each map of the size, language, credit and
/// relief of `map`.
pub fn render_grid(
    dataset: &Dataset,
    cells: &[crate::scene::grid::Cell],
    cols: Option<u32>,
    map: &MapOptions,
    out: &Output,
) -> Result<Option<PathBuf>> {
    let lang = map.lang;
    let format = match out {
        Output::Path(p) => resolve_format(None, Some(p))?,
        Output::Stdout => Format::Svg,
    };
    out.check()?;
    let cols = cols.unwrap_or_else(|| (cells.len() as f64).sqrt().ceil() as u32);
    let areas = areas_km2(dataset);
    let description = cells
        .iter()
        .map(|c| describe(dataset, &areas, &c.state, lang))
        .collect::<Vec<_>>()
        .join(" ");
    let scene = crate::scene::grid::grid_scene(dataset, cells, cols, map, &description)?;
    let meta = PngMeta::new(
        &dataset.manifest.title,
        &description,
        &dataset.manifest.attribution,
    );
    out.write(&annotated(encode(&scene, format)?, format, &meta))?;
    Ok(out.path().map(Path::to_path_buf))
}
