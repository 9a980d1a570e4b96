//! `controlmap html`: the interactive page of a span, one state per change date.

use std::path::{Path, PathBuf};

use crate::analysis::citations::credit_line;
use crate::analysis::{areas_km2, describe};
use crate::dataset::Dataset;
use crate::dataset::manifest::CONTESTED;
use crate::date::{Date, display_date, display_date_long};
use crate::error::{Error, Field, Result};
use crate::lang::Lang;
use crate::render::html::{HtmlPage, PageReference, PageState, write_html};
use crate::scene::layers::legend::legend;
use crate::scene::{MapLayout, MapOptions, Scene};
use crate::timeline::{State, Timeline};
use crate::write::write_atomic;

/// The phone map's size: a portrait map that a 375 px column shows at about its own scale.
pub const NARROW: (u32, u32) = (420, 520);

/// What `controlmap html` makes.
#[derive(Debug, Clone)]
pub struct HtmlRequest {
    /// First day (default: the dataset's sequence, else its first record).
    pub from: Option<Date>,
    /// Last day (default: the sequence's end, else the last record).
    pub to: Option<Date>,
    /// The page's language.
    pub lang: Lang,
    /// The desktop map's size.
    pub size: (u32, u32),
    /// The file (default: `output/<dataset name>.html`).
    pub out: Option<PathBuf>,
    /// The outlet's credit.
    pub credit: Option<String>,
}

impl Default for HtmlRequest {
    fn default() -> Self {
        HtmlRequest {
            from: None,
            to: None,
            lang: Lang::En,
            size: (1200, 900),
            out: None,
            credit: None,
        }
    }
}

/// The states of a span: its first day, then every day a record changes the map.
pub fn change_states(timeline: &Timeline, from: Date, to: Date) -> Vec<State> {
    let mut states = vec![timeline.state_at(from)];
    for d in timeline.record_dates() {
        if d <= from || d > to {
            continue;
        }
        let s = timeline.state_at(d);
        if states.last().is_some_and(|p| p.same_control(&s)) {
            continue;
        }
        states.push(s);
    }
    states
}

/// Builds the page of a span.
pub fn html_page(dataset: &Dataset, req: &HtmlRequest) -> Result<HtmlPage> {
    let timeline = Timeline::new(dataset);
    let (from, to) = super::analyst::series_span(dataset, &timeline, req.from, req.to)?;
    let states = change_states(&timeline, from, to);
    let lang = req.lang;
    let wide_options = MapOptions {
        width: req.size.0,
        height: req.size.1,
        lang,
        strip: Some((from, to)),
        compact: false,
        credit: req.credit.clone(),
        // The page leaves the relief out (see render::html's PageWriter).
        relief: false,
        ..MapOptions::new(req.size.0, req.size.1)
    };
    let narrow_options = MapOptions {
        width: NARROW.0,
        height: NARROW.1,
        compact: true,
        relief: false,
        ..MapOptions::new(NARROW.0, NARROW.1)
    };
    let narrow_options = MapOptions {
        lang,
        ..narrow_options
    };
    let wide = MapLayout::for_states(dataset, &wide_options, &states)?;
    let narrow = MapLayout::for_states(dataset, &narrow_options, &states)?;
    let areas = areas_km2(dataset);
    let page_states: Vec<PageState> = states
        .iter()
        .map(|s| PageState {
            date: s.date,
            label: display_date_long(s.date, lang),
            caption: wide.latest_event(s.date).map_or(String::new(), |(d, c)| {
                format!("{} \u{2014} {c}", display_date(d))
            }),
            description: describe(dataset, &areas, s, lang),
        })
        .collect();
    let scenes = |layout: &MapLayout| -> Vec<Scene> {
        states
            .iter()
            .zip(&page_states)
            .map(|(s, p)| layout.scene(s, None, &p.description))
            .collect()
    };
    Ok(HtmlPage {
        lang,
        title: dataset.manifest.title.clone(),
        wide: scenes(&wide),
        narrow: scenes(&narrow),
        narrow_legend: legend_scene(dataset, &narrow, &states, lang),
        states: page_states,
        holders: holders(dataset, lang),
        references: dataset
            .references
            .iter()
            .map(|r| PageReference {
                id: r.id.clone(),
                short: r.short(lang),
                title: r.title.clone(),
                url: if r.url.is_empty() {
                    r.archive_url.clone()
                } else {
                    r.url.clone()
                },
            })
            .collect(),
        credit: credit_line(dataset, req.credit.as_deref(), lang),
    })
}

/// The key of every state, alone, for under the phone map.
fn legend_scene(dataset: &Dataset, layout: &MapLayout, states: &[State], lang: Lang) -> Scene {
    let rows = layout.key(dataset, states);
    let style = layout.style();
    let (layer, b) = legend(&rows, style, lang, 1.0, 1.0);
    Scene {
        static_key: crate::scene::new_static_key(),
        width: (b.x1 + 2.0).ceil() as u32,
        height: (b.y1 + 2.0).ceil() as u32,
        background: crate::scene::style::colours::PAPER,
        title: lang
            .pick("Who controls the territory", "Qui contrôle le territoire")
            .to_string(),
        description: String::new(),
        // Static: the key covers every state, so it is drawn once, outside the states' groups.
        underlay: std::sync::Arc::new(vec![layer]),
        control: Vec::new(),
        water: std::sync::Arc::new(Vec::new()),
        overlay: std::sync::Arc::new(Vec::new()),
        marks: Vec::new(),
        annotations: Vec::new(),
    }
}

/// Words for each controller id a territory can carry.
fn holders(dataset: &Dataset, lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = dataset
        .manifest
        .factions
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.clone(), dataset.faction_label(i, lang).to_string()))
        .collect();
    out.push((
        CONTESTED.to_string(),
        lang.pick("Contested", "Disputé").to_string(),
    ));
    out.push((
        "no-data".to_string(),
        lang.pick("No record", "Pas de données").to_string(),
    ));
    out
}

/// Writes the page; returns its path.
pub fn html(dataset: &Dataset, req: &HtmlRequest) -> Result<PathBuf> {
    let out = match &req.out {
        Some(p) => {
            let ext = p
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if ext != "html" && ext != "htm" {
                return Err(Error::usage_of(
                    Field::Out,
                    format!("{}: the page is HTML: name it .html", p.display()),
                ));
            }
            p.clone()
        }
        None => {
            let name = dataset.manifest.name.as_deref().unwrap_or("controlmap");
            crate::write::output_dir(None, None)?.join(format!("{name}.html"))
        }
    };
    crate::write::check_parent(&out).map_err(|e| e.for_field(Field::Out))?;
    let page = html_page(dataset, req)?;
    write_atomic(&out, write_html(&page).as_bytes())?;
    Ok(out)
}

/// The page into a folder (the main job's `output/<name>.html`).
pub fn html_into(dataset: &Dataset, dir: &Path, lang: Lang) -> Result<PathBuf> {
    let name = dataset.manifest.name.as_deref().unwrap_or("controlmap");
    html(
        dataset,
        &HtmlRequest {
            out: Some(dir.join(format!("{name}.html"))),
            lang,
            ..HtmlRequest::default()
        },
    )
}
