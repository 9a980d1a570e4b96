//! `controlmap render`: one map for a date or phase, or every phase of the dataset.

use std::path::{Path, PathBuf};

use crate::analysis::{areas_km2, describe};
use crate::dataset::Dataset;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::render::{encode, Format};
use crate::scene::{MapLayout, MapOptions};
use crate::territory::TerritoryId;
use crate::timeline::Timeline;
use crate::write::write_atomic;

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
    /// Output file (one map) or folder (every phase).
    pub out: Option<PathBuf>,
    /// French labels.
    pub lang: Lang,
    /// The outlet's credit at the end of the credit line (`--credit`).
    pub credit: Option<String>,
}

/// Resolves the format from `--format` and the extension of `--out`.
pub fn resolve_format(format: Option<Format>, out: Option<&Path>) -> Result<Format> {
    let from_ext = out
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_string())
        .map(|e| {
            Format::parse(&e).ok_or_else(|| {
                Error::usage(format!(
                    "--out: unknown extension '.{e}' (use .png or .svg)"
                ))
            })
        })
        .transpose()?;
    match (format, from_ext) {
        (Some(f), Some(e)) if f != e => Err(Error::usage(format!(
            "--format {} disagrees with --out ending in .{}",
            f.extension(),
            e.extension()
        ))),
        (Some(f), _) | (None, Some(f)) => Ok(f),
        (None, None) => Ok(Format::Png),
    }
}

/// Renders one map and writes it (with `NAME.alt.txt` beside a PNG); returns the files written.
#[allow(clippy::too_many_arguments)]
pub fn render_one(
    dataset: &Dataset,
    layout: &MapLayout,
    timeline: &Timeline,
    areas: &crate::analysis::Areas,
    date: Date,
    heading: Option<&str>,
    format: Format,
    out: &Path,
) -> Result<Vec<PathBuf>> {
    let state = timeline.state_at(date);
    let description = describe(dataset, areas, &state, layout.options().lang);
    let scene = layout.scene(&state, heading, &description);
    let bytes = encode(&scene, format)?;
    let mut written = Vec::new();
    if format == Format::Png {
        let alt = out.with_extension("alt.txt");
        write_atomic(&alt, format!("{description}\n").as_bytes())?;
        written.push(alt);
    }
    write_atomic(out, &bytes)?;
    written.insert(0, out.to_path_buf());
    Ok(written)
}

/// Runs `render`: one map for a date or phase, or a PNG and an SVG of every phase.
pub fn render(dataset: &Dataset, req: &RenderRequest) -> Result<Vec<PathBuf>> {
    if req.date.is_some() && req.phase.is_some() {
        return Err(Error::usage("--date and --phase cannot be used together"));
    }
    let options = MapOptions {
        width: req.size.0,
        height: req.size.1,
        lang: req.lang,
        strip: None,
        compact: false,
        credit: req.credit.clone(),
    };
    let phase = req
        .phase
        .as_deref()
        .map(|id| dataset.phase(id))
        .transpose()?;
    let single = req.date.or(phase.map(|p| p.date));
    if let Some(date) = single {
        // `--out` may name the file, or an existing folder to put the map in under its
        // default name.
        let out_dir = req.out.as_deref().filter(|p| p.is_dir());
        let format = resolve_format(req.format, req.out.as_deref().filter(|_| out_dir.is_none()))?;
        let default_name = || {
            let stem = phase.map_or_else(|| format!("map-{date}"), |p| p.id.clone());
            format!("{stem}.{}", format.extension())
        };
        let out = match (&req.out, out_dir) {
            (_, Some(dir)) => dir.join(default_name()),
            (Some(p), None) => p.clone(),
            (None, None) => super::output_dir(None, None)?.join(default_name()),
        };
        // Refuse a missing folder before the work of laying out the map.
        crate::write::check_parent(&out)?;
        let timeline = Timeline::new(dataset);
        // The legend keys exactly what this map draws.
        let layout = MapLayout::for_states(dataset, &options, &[timeline.state_at(date)])?;
        let areas = areas_km2(dataset);
        let heading = phase.map(|p| p.title_in(req.lang));
        return render_one(
            dataset, &layout, &timeline, &areas, date, heading, format, &out,
        );
    }
    // Every phase, PNG and SVG, into a folder.
    if dataset.manifest.phases.is_empty() {
        return Err(Error::usage("the dataset declares no phases: give --date"));
    }
    let dir = super::output_dir(req.out.as_deref(), None)?;
    let formats = match req.format {
        Some(f) => vec![f],
        None => vec![Format::Png, Format::Svg],
    };
    let timeline = Timeline::new(dataset);
    let areas = areas_km2(dataset);
    let mut written = Vec::new();
    for p in &dataset.manifest.phases {
        let layout = MapLayout::for_states(dataset, &options, &[timeline.state_at(p.date)])?;
        for &f in &formats {
            let out = dir.join(format!("{}.{}", p.id, f.extension()));
            written.extend(render_one(
                dataset,
                &layout,
                &timeline,
                &areas,
                p.date,
                Some(p.title_in(req.lang)),
                f,
                &out,
            )?);
        }
    }
    Ok(written)
}

/// Draws the change map of a diff into `out` (.png or .svg).
pub fn render_diff_map(
    dataset: &Dataset,
    d: &crate::analysis::diff::Diff,
    size: (u32, u32),
    out: &Path,
) -> Result<PathBuf> {
    use crate::date::display_date_long;
    let format = resolve_format(None, Some(out))?;
    crate::write::check_parent(out)?;
    let layout = MapLayout::for_states(
        dataset,
        &MapOptions::new(size.0, size.1),
        std::slice::from_ref(&d.to),
    )?;
    let name = |c: Option<crate::dataset::Control>| {
        c.map_or_else(
            || "no data".to_string(),
            |c| dataset.control_id(c).to_string(),
        )
    };
    // Every territory that changed hands keeps its colour; regions also get an outline and a
    // "from → to" label.
    let changed: Vec<(TerritoryId, String)> = d
        .changes
        .iter()
        .map(|c| (c.target, format!("{} → {}", name(c.from), name(c.to))))
        .collect();
    let heading = format!(
        "Changes from {} to {}",
        display_date_long(d.from.date, Lang::En),
        display_date_long(d.to.date, Lang::En)
    );
    let n_regions = changed
        .iter()
        .filter(|(t, _)| dataset.territory(*t).is_region())
        .count();
    let n_places = d.changes.len() - n_regions;
    let note = format!(
        "{n_regions} region(s) and {n_places} town(s) changed hands; unchanged ground is faded."
    );
    let areas = areas_km2(dataset);
    let description = format!(
        "{heading}. {note} {}",
        describe(dataset, &areas, &d.to, Lang::En)
    );
    let changes = crate::scene::change_map::Changes {
        from: &d.from,
        changed: &changed,
    };
    let scene = layout.change_scene(&d.to, changes, &heading, &note, &description);
    write_atomic(out, &encode(&scene, format)?)?;
    Ok(out.to_path_buf())
}

/// Draws the share-of-territory chart (.png, .svg) or writes its series (.csv).
pub fn render_share_chart(
    dataset: &Dataset,
    from: Option<Date>,
    to: Option<Date>,
    size: (u32, u32),
    out: &Path,
) -> Result<PathBuf> {
    use crate::analysis::{series::share_series, Holder};
    use crate::render::chart::{chart_png, chart_svg, ShareChart};
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    crate::write::check_parent(out)?;
    let timeline = Timeline::new(dataset);
    let (from, to) = super::analyst::series_span(dataset, &timeline, from, to)?;
    let areas = areas_km2(dataset);
    let series = share_series(dataset, &timeline, &areas, from, to)?;
    if ext == "csv" {
        write_atomic(out, series.to_csv(dataset).as_bytes())?;
        return Ok(out.to_path_buf());
    }
    if ext != "png" && ext != "svg" {
        return Err(Error::usage(format!(
            "--out: unknown extension '.{ext}' (use .png, .svg or .csv)"
        )));
    }
    let labels = series
        .holders
        .iter()
        .map(|h| match h {
            Holder::Faction(i) => dataset.faction_label(*i, Lang::En).to_string(),
            Holder::Contested => "Contested".to_string(),
            Holder::NoData => "No record".to_string(),
        })
        .collect();
    let colours = series
        .holders
        .iter()
        .map(|h| match h {
            Holder::Faction(i) => dataset.manifest.factions[*i].colour,
            Holder::Contested => crate::colour::Rgba::rgb(0x9A, 0x9A, 0x9A),
            Holder::NoData => crate::colour::Rgba::rgb(0xE4, 0xE4, 0xE2),
        })
        .collect();
    let chart = ShareChart {
        title: format!("{}: who held how much of the country", dataset.manifest.title),
        subtitle: format!("Share of the country's area by controller, {} to {}, day by day (geodesic areas of the regions)", from, to),
        credit: crate::analysis::citations::credit_line(dataset, Some("Chart: controlmap."), Lang::En),
        days: series.rows.iter().map(|(d, _)| *d).collect(),
        values: series.rows.iter().map(|(_, v)| v.clone()).collect(),
        labels,
        colours,
        events: dataset.events.iter().filter(|e| e.date >= from && e.date <= to).map(|e| (e.date, e.caption.clone())).collect(),
    };
    let bytes = if ext == "png" {
        chart_png(&chart, size.0, size.1)?
    } else {
        chart_svg(&chart, size.0, size.1)?.into_bytes()
    };
    write_atomic(out, &bytes)?;
    Ok(out.to_path_buf())
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
                return Err(Error::usage("--phases: the dataset declares no phases"));
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
        _ => Err(Error::usage("give --phases all|ID,ID… or --dates D,D…")),
    }
}

/// Draws small multiples into `out` (.png or .svg).
pub fn render_grid(
    dataset: &Dataset,
    cells: &[crate::scene::grid::Cell],
    cols: Option<u32>,
    cell: (u32, u32),
    lang: Lang,
    credit: Option<&str>,
    out: &Path,
) -> Result<PathBuf> {
    let format = resolve_format(None, Some(out))?;
    crate::write::check_parent(out)?;
    let cols = cols.unwrap_or_else(|| (cells.len() as f64).sqrt().ceil() as u32);
    let areas = areas_km2(dataset);
    let description = cells
        .iter()
        .map(|c| describe(dataset, &areas, &c.state, lang))
        .collect::<Vec<_>>()
        .join(" ");
    let scene =
        crate::scene::grid::grid_scene(dataset, cells, cols, cell, lang, &description, credit)?;
    write_atomic(out, &encode(&scene, format)?)?;
    Ok(out.to_path_buf())
}
