//! `controlmap render`: one map for a date or phase, or every phase of the dataset.

use std::path::{Path, PathBuf};

use crate::analysis::{describe, region_areas_km2};
use crate::dataset::Dataset;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::render::{encode, Format};
use crate::scene::{MapLayout, MapOptions};
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
    pub french: bool,
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
    areas: &[f64],
    date: Date,
    heading: Option<&str>,
    format: Format,
    out: &Path,
) -> Result<Vec<PathBuf>> {
    let state = timeline.state_at(date);
    let description = describe(dataset, areas, &state, layout.options().french);
    let scene = layout.scene(&state, heading, &description);
    let bytes = encode(&scene, format)?;
    crate::write::check_parent(out)?;
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
        french: req.french,
        strip: None,
    };
    let phase = req
        .phase
        .as_deref()
        .map(|id| dataset.phase(id))
        .transpose()?;
    let single = req.date.or(phase.map(|p| p.date));
    if let Some(date) = single {
        let format = resolve_format(req.format, req.out.as_deref())?;
        let out = match &req.out {
            Some(p) => p.clone(),
            None => {
                let dir = super::output_dir(None, None)?;
                let stem = phase.map_or_else(|| format!("map-{date}"), |p| p.id.clone());
                dir.join(format!("{stem}.{}", format.extension()))
            }
        };
        crate::write::check_parent(&out)?;
        let layout = MapLayout::new(dataset, &options)?;
        let timeline = Timeline::new(dataset);
        let areas = region_areas_km2(dataset);
        let heading = phase.map(|p| title_of(p, req.french));
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
    let layout = MapLayout::new(dataset, &options)?;
    let timeline = Timeline::new(dataset);
    let areas = region_areas_km2(dataset);
    let mut written = Vec::new();
    for p in &dataset.manifest.phases {
        for &f in &formats {
            let out = dir.join(format!("{}.{}", p.id, f.extension()));
            written.extend(render_one(
                dataset,
                &layout,
                &timeline,
                &areas,
                p.date,
                Some(title_of(p, req.french)),
                f,
                &out,
            )?);
        }
    }
    Ok(written)
}

fn title_of(p: &crate::dataset::Phase, french: bool) -> &str {
    match (&p.title_fr, french) {
        (Some(t), true) => t,
        _ => &p.title,
    }
}
