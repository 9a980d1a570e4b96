//! `dataset.toml`: the title, projection, factions, phases and file names of a dataset.

use serde::Deserialize;
use toml::Spanned;

use super::problem::Problems;
use crate::colour::Rgba;
use crate::date::{Date, Step, parse_date};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[serde(default)]
    name: Option<Spanned<String>>,
    title: String,
    #[serde(default)]
    subtitle: String,
    #[serde(default)]
    attribution: String,
    projection: Spanned<String>,
    #[serde(default)]
    town_radius_km: Option<Spanned<f64>>,
    #[serde(default)]
    files: RawFiles,
    #[serde(default)]
    sequence: Option<RawSequence>,
    #[serde(default)]
    factions: Vec<RawFaction>,
    #[serde(default)]
    phases: Vec<RawPhase>,
    #[serde(default)]
    snapshots: Option<RawSnapshots>,
    #[serde(default)]
    relief: Option<RawRelief>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelief {
    bounds: Spanned<Vec<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSnapshots {
    folder: Spanned<String>,
    #[serde(default)]
    property: Option<String>,
    #[serde(default)]
    default: Option<Spanned<String>>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    values: std::collections::BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFiles {
    regions: Option<Spanned<String>>,
    neighbours: Option<Spanned<String>>,
    places: Option<Spanned<String>>,
    control: Option<Spanned<String>>,
    events: Option<Spanned<String>>,
    references: Option<Spanned<String>>,
    zones: Option<Spanned<String>>,
    rivers: Option<Spanned<String>>,
    lakes: Option<Spanned<String>>,
    locator: Option<Spanned<String>>,
    relief: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSequence {
    from: Spanned<String>,
    to: Spanned<String>,
    #[serde(default)]
    step: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFaction {
    id: Spanned<String>,
    label: String,
    #[serde(default)]
    label_fr: Option<String>,
    #[serde(default)]
    short: Option<String>,
    #[serde(default)]
    short_fr: Option<String>,
    colour: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhase {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    title_fr: Option<String>,
    #[serde(default)]
    start: Option<Spanned<String>>,
    date: Spanned<String>,
}

/// A side in the conflict, with the colour it is drawn in.
#[derive(Debug, Clone, PartialEq)]
pub struct Faction {
    /// Identifier used in `control.csv`.
    pub id: String,
    /// Legend label.
    pub label: String,
    /// French legend label, when given.
    pub label_fr: Option<String>,
    /// A name of a word or two for tight places (change-map labels), when given.
    pub short: Option<String>,
    /// The French short name, when given.
    pub short_fr: Option<String>,
    /// Fill colour.
    pub colour: Rgba,
}

/// A named chapter of the story with the day its map shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// Identifier for `--phase`.
    pub id: String,
    /// Title shown on the map.
    pub title: String,
    /// French title, when given.
    pub title_fr: Option<String>,
    /// First day of the phase, when known.
    pub start: Option<Date>,
    /// The day the phase's map shows.
    pub date: Date,
}

impl Phase {
    /// The title in `lang`, falling back to the English title.
    pub fn title_in(&self, lang: crate::lang::Lang) -> &str {
        match (lang, &self.title_fr) {
            (crate::lang::Lang::Fr, Some(t)) => t,
            _ => &self.title,
        }
    }
}

/// The default animation sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    /// First frame's date.
    pub from: Date,
    /// Last frame's date (included).
    pub to: Date,
    /// Distance between frames.
    pub step: Step,
}

/// The file names a dataset's manifest points at, relative to its folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Files {
    /// Outlines of the units whose control is mapped.
    pub regions: String,
    /// Context outlines (optional file).
    pub neighbours: Option<String>,
    /// Towns.
    pub places: Option<String>,
    /// Dated control records.
    pub control: String,
    /// Dated captions (optional file).
    pub events: Option<String>,
    /// The publications that records and events cite (optional file; without it, `source`
    /// columns are free text).
    pub references: Option<String>,
    /// Analyst-drawn areas that records target like regions (optional file).
    pub zones: Option<String>,
    /// Rivers drawn for context, as lines (optional file).
    pub rivers: Option<String>,
    /// Lakes drawn for context, as polygons (optional file).
    pub lakes: Option<String>,
    /// The countries of the continent for the locator inset (optional file).
    pub locator: Option<String>,
    /// A shaded relief drawn over the fills, as a greyscale PNG in plate carrée whose bounds
    /// `[relief]` gives (optional file).
    pub relief: Option<String>,
}

/// A folder of dated GeoJSON snapshots (`[snapshots]`): on any date the latest file on or before
/// it shows who holds its polygons.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshots {
    /// The folder, relative to the dataset's.
    pub folder: String,
    /// The line of `folder` in the manifest.
    pub line: usize,
    /// The feature property holding the status (`status`, `layer`, …).
    pub property: String,
    /// The controller of a feature without that property (a file that is one merged polygon).
    pub default: Option<Mapped>,
    /// Who the archive's publisher is, for the reference each snapshot becomes.
    pub publisher: String,
    /// Each status value and the controller id it stands for, sorted by value.
    pub values: Vec<Mapped>,
}

/// A status value of a snapshot and the controller id (faction, `contested`, `unknown`) it maps
/// to, with the manifest line that says so.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    /// The value as the snapshot files write it.
    pub value: String,
    /// A faction id, `contested`, or `unknown` (the polygons are not drawn).
    pub controller: String,
    /// The line in the manifest.
    pub line: usize,
}

/// A parsed, checked `dataset.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// Short name for output files (`mali` gives `mali-2012-2014.gif`).
    pub name: Option<String>,
    /// Map title.
    pub title: String,
    /// Line under the title.
    pub subtitle: String,
    /// Credit line.
    pub attribution: String,
    /// proj string of the map projection.
    pub projection: String,
    /// Data files.
    pub files: Files,
    /// Default animation sequence.
    pub sequence: Option<Sequence>,
    /// Factions in legend order.
    pub factions: Vec<Faction>,
    /// Phases in story order.
    pub phases: Vec<Phase>,
    /// How far a town's control reaches when `places.csv` gives it no `radius_km`.
    pub town_radius_km: f64,
    /// The dated snapshot folder, when the dataset has one.
    pub snapshots: Option<Snapshots>,
    /// Where the relief raster lies: west, south, east, north in degrees, with the manifest
    /// line that says so (`[relief] bounds`), when the dataset has a relief.
    pub relief_bounds: Option<([f64; 4], usize)>,
}

/// The reach of a town's control when neither the town nor the manifest says otherwise.
pub const DEFAULT_TOWN_RADIUS_KM: f64 = 50.0;
/// The largest reach a town may be given.
pub const MAX_TOWN_RADIUS_KM: f64 = 2000.0;

/// Whether a town radius is usable: positive and at most [`MAX_TOWN_RADIUS_KM`].
pub fn valid_radius(km: f64) -> bool {
    km.is_finite() && km > 0.0 && km <= MAX_TOWN_RADIUS_KM
}

/// Reserved controller id for a target fought over by two factions.
pub const CONTESTED: &str = "contested";

/// Reserved controller id for "no longer known from this date": the target is drawn as no data.
pub const UNKNOWN: &str = "unknown";

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// Refuses a control character or a non-character in text that is drawn or written.
fn text_check(file: &str, line: Option<usize>, s: &str, problems: &mut Problems) {
    if let Some(c) = super::table::forbidden_char(s, false) {
        problems.error(
            file,
            line,
            format!(
                "'{}' holds U+{:04X}, a control character or non-character",
                s.escape_debug(),
                u32::from(c)
            ),
        );
    }
}

/// The line of a value, from the span the TOML parser recorded for it.
fn line_at<T>(text: &str, value: &Spanned<T>) -> Option<usize> {
    Some(line_of(text, value.span().start))
}

/// Checks that a file named in `[files]` stays inside the dataset folder: a relative path of
/// plain names, no `..`, not absolute.
fn check_file_name(
    text: &str,
    file: &str,
    key: &str,
    name: &Spanned<String>,
    problems: &mut Problems,
) {
    use std::path::Component;
    let path = std::path::Path::new(name.get_ref());
    if name.get_ref().is_empty()
        || !path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        problems.error(
            file,
            line_at(text, name),
            format!(
                "[files] {key} = '{}' must name a file inside the dataset folder (no '..', not an absolute path)",
                name.get_ref()
            ),
        );
    }
}

/// The relief's bounds from `[relief] bounds = [west, south, east, north]`: four degrees,
/// west of east and south of north, on the globe; required with `[files] relief` and only
/// with it.
fn relief_bounds(
    text: &str,
    file: &str,
    relief_file: Option<&Spanned<String>>,
    relief: Option<&RawRelief>,
    problems: &mut Problems,
) -> Option<([f64; 4], usize)> {
    let (Some(_), Some(r)) = (relief_file, relief) else {
        match (relief_file, relief) {
            (Some(name), None) => problems.error(
                file,
                line_at(text, name),
                "[files] relief needs [relief] bounds = [west, south, east, north] in degrees",
            ),
            (None, Some(r)) => problems.error(
                file,
                line_at(text, &r.bounds),
                "[relief] bounds without a relief file: add [files] relief or remove [relief]",
            ),
            _ => {}
        }
        return None;
    };
    let line = line_of(text, r.bounds.span().start);
    let b = r.bounds.get_ref();
    let usable = b.len() == 4
        && b.iter().all(|v| v.is_finite())
        && (-180.0..=180.0).contains(&b[0])
        && (-180.0..=180.0).contains(&b[2])
        && (-90.0..=90.0).contains(&b[1])
        && (-90.0..=90.0).contains(&b[3])
        && b[0] < b[2]
        && b[1] < b[3];
    if !usable {
        problems.error(
            file,
            Some(line),
            format!(
                "[relief] bounds = {b:?} must be [west, south, east, north] in degrees, west < east, south < north"
            ),
        );
        return None;
    }
    Some(([b[0], b[1], b[2], b[3]], line))
}

impl Manifest {
    /// Parses a manifest, recording every problem; `None` when it cannot be used at all.
    pub fn parse(text: &str, file: &str, problems: &mut Problems) -> Option<Manifest> {
        let raw: RawManifest = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                let line = e.span().map(|s| line_of(text, s.start));
                let msg = e.message().replace('\n', " ");
                problems.error(file, line, format!("invalid manifest: {}", msg.trim()));
                return None;
            }
        };
        let mut factions = Vec::new();
        for f in raw.factions {
            let line = line_at(text, &f.id);
            let colour_line = line_at(text, &f.colour);
            let (id, colour_text) = (f.id.into_inner(), f.colour.into_inner());
            if !is_slug(&id) {
                problems.error(
                    file,
                    line,
                    format!(
                        "faction id '{}' must be lowercase letters, digits, '-' or '_'",
                        id
                    ),
                );
            }
            if id == CONTESTED || id == UNKNOWN {
                problems.error(
                    file,
                    line,
                    format!("'{}' is reserved and cannot be a faction id", id),
                );
            }
            if factions.iter().any(|g: &Faction| g.id == id) {
                problems.error(file, line, format!("faction '{}' is declared twice", id));
                continue;
            }
            let colour = match Rgba::parse_hex(&colour_text) {
                Ok(c) => c,
                Err(e) => {
                    problems.error(file, colour_line, format!("faction '{}': {e}", id));
                    Rgba::rgb(128, 128, 128)
                }
            };
            text_check(file, line, &f.label, problems);
            for text in [&f.label_fr, &f.short, &f.short_fr].into_iter().flatten() {
                text_check(file, line, text, problems);
            }
            factions.push(Faction {
                id,
                label: f.label,
                label_fr: f.label_fr,
                short: f.short,
                short_fr: f.short_fr,
                colour,
            });
        }
        if factions.is_empty() {
            problems.error(file, None, "the manifest declares no [[factions]]");
        }
        let mut phases: Vec<Phase> = Vec::new();
        for p in raw.phases {
            let line = line_at(text, &p.id);
            let date_line = line_at(text, &p.date);
            let start_line = p.start.as_ref().and_then(|s| line_at(text, s));
            let id = p.id.into_inner();
            let date = match parse_date(p.date.get_ref()) {
                Ok(d) => d,
                Err(e) => {
                    problems.error(file, date_line, format!("phase '{id}': {e}"));
                    continue;
                }
            };
            let start = match p.start.as_ref().map(|s| parse_date(s.get_ref())) {
                Some(Err(e)) => {
                    problems.error(file, start_line, format!("phase '{id}': {e}"));
                    None
                }
                Some(Ok(d)) => Some(d),
                None => None,
            };
            if !is_slug(&id) {
                problems.error(
                    file,
                    line,
                    format!("phase id '{id}' must be lowercase letters, digits, '-' or '_'"),
                );
            }
            if phases.iter().any(|q| q.id == id) {
                problems.error(file, line, format!("phase '{id}' is declared twice"));
                continue;
            }
            text_check(file, line, &p.title, problems);
            text_check(file, line, p.title_fr.as_deref().unwrap_or(""), problems);
            phases.push(Phase {
                id,
                title: p.title,
                title_fr: p.title_fr,
                start,
                date,
            });
        }
        let sequence = raw.sequence.and_then(|s| {
            let line = line_at(text, &s.from);
            let parsed = (|| {
                let from = parse_date(s.from.get_ref())?;
                let to = parse_date(s.to.get_ref())?;
                let step: Step = s.step.as_ref().map_or("7d", |v| v.get_ref()).parse()?;
                if from > to {
                    return Err(format!("sequence from {from} is after to {to}"));
                }
                Ok(Sequence { from, to, step })
            })();
            parsed
                .map_err(|e| problems.error(file, line, format!("[sequence]: {e}")))
                .ok()
        });
        for (key, name) in [
            ("regions", &raw.files.regions),
            ("neighbours", &raw.files.neighbours),
            ("places", &raw.files.places),
            ("control", &raw.files.control),
            ("events", &raw.files.events),
            ("zones", &raw.files.zones),
            ("rivers", &raw.files.rivers),
            ("lakes", &raw.files.lakes),
            ("locator", &raw.files.locator),
            ("relief", &raw.files.relief),
        ] {
            if let Some(n) = name {
                check_file_name(text, file, key, n, problems);
            }
        }
        let Some(regions) = raw.files.regions.map(Spanned::into_inner) else {
            problems.error(file, None, "[files] needs 'regions' (the outlines file)");
            return None;
        };
        let Some(control) = raw.files.control.map(Spanned::into_inner) else {
            problems.error(file, None, "[files] needs 'control' (the records file)");
            return None;
        };
        if let Err(e) = proj4rs::Proj::from_proj_string(raw.projection.get_ref()) {
            problems.error(
                file,
                line_at(text, &raw.projection),
                format!(
                    "projection '{}' is not a proj string this tool understands: {e}",
                    raw.projection.get_ref()
                ),
            );
        }
        if let Some(n) = raw.name.as_ref().filter(|n| !is_slug(n.get_ref())) {
            let (line, n) = (line_at(text, n), n.get_ref());
            problems.error(
                file,
                line,
                format!("name '{n}' must be lowercase letters, digits, '-' or '_'"),
            );
        }
        for t in [&raw.title, &raw.subtitle, &raw.attribution] {
            text_check(file, None, t, problems);
        }
        let town_radius_km = match &raw.town_radius_km {
            Some(km) if !valid_radius(*km.get_ref()) => {
                problems.error(
                    file,
                    line_at(text, km),
                    format!(
                        "town_radius_km = {} must be over 0 and at most {MAX_TOWN_RADIUS_KM} km",
                        km.get_ref()
                    ),
                );
                DEFAULT_TOWN_RADIUS_KM
            }
            Some(km) => *km.get_ref(),
            None => DEFAULT_TOWN_RADIUS_KM,
        };
        let relief_bounds = relief_bounds(
            text,
            file,
            raw.files.relief.as_ref(),
            raw.relief.as_ref(),
            problems,
        );
        let snapshots = raw.snapshots.map(|r| {
            check_file_name(text, file, "snapshots folder", &r.folder, problems);
            let mapped = |value: String, c: &Spanned<String>| Mapped {
                value,
                controller: c.get_ref().clone(),
                line: line_of(text, c.span().start),
            };
            Snapshots {
                line: line_of(text, r.folder.span().start),
                folder: r.folder.into_inner(),
                property: r.property.unwrap_or_else(|| "status".into()),
                default: r.default.as_ref().map(|d| mapped(String::new(), d)),
                publisher: r.publisher.unwrap_or_else(|| "snapshot archive".into()),
                values: r.values.iter().map(|(v, c)| mapped(v.clone(), c)).collect(),
            }
        });
        Some(Manifest {
            relief_bounds,
            snapshots,
            town_radius_km,
            name: raw.name.map(Spanned::into_inner),
            title: raw.title,
            subtitle: raw.subtitle,
            attribution: raw.attribution,
            projection: raw.projection.into_inner(),
            files: Files {
                regions,
                neighbours: raw.files.neighbours.map(Spanned::into_inner),
                places: raw.files.places.map(Spanned::into_inner),
                control,
                events: raw.files.events.map(Spanned::into_inner),
                references: raw.files.references.map(Spanned::into_inner),
                zones: raw.files.zones.map(Spanned::into_inner),
                rivers: raw.files.rivers.map(Spanned::into_inner),
                lakes: raw.files.lakes.map(Spanned::into_inner),
                locator: raw.files.locator.map(Spanned::into_inner),
                relief: raw.files.relief.map(Spanned::into_inner),
            },
            sequence,
            factions,
            phases,
        })
    }

    /// The index of a faction by id.
    pub fn faction_index(&self, id: &str) -> Option<usize> {
        self.factions.iter().position(|f| f.id == id)
    }

    /// A phase by id.
    pub fn phase(&self, id: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.id == id)
    }
}

/// True for identifiers made of lowercase ASCII letters, digits, `-` and `_`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}
