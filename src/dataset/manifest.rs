//! `dataset.toml`: the title, projection, factions, phases and file names of a dataset.

use serde::Deserialize;

use super::problem::Problems;
use crate::colour::Rgba;
use crate::date::{parse_date, Date, Step};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[serde(default)]
    name: Option<String>,
    title: String,
    #[serde(default)]
    subtitle: String,
    #[serde(default)]
    attribution: String,
    projection: String,
    #[serde(default)]
    town_radius_km: Option<f64>,
    #[serde(default)]
    files: RawFiles,
    #[serde(default)]
    sequence: Option<RawSequence>,
    #[serde(default)]
    factions: Vec<RawFaction>,
    #[serde(default)]
    phases: Vec<RawPhase>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFiles {
    regions: Option<String>,
    neighbours: Option<String>,
    places: Option<String>,
    control: Option<String>,
    events: Option<String>,
    references: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSequence {
    from: String,
    to: String,
    #[serde(default = "default_step")]
    step: String,
}

fn default_step() -> String {
    "7d".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFaction {
    id: String,
    label: String,
    #[serde(default)]
    label_fr: Option<String>,
    colour: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhase {
    id: String,
    title: String,
    #[serde(default)]
    title_fr: Option<String>,
    #[serde(default)]
    start: Option<String>,
    date: String,
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

/// The line where a top-level `key =` first appears.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(key) && l.contains('='))
        .map(|i| i + 1)
}

/// The line where `key = "value"` (or `id = "value"`) first appears, for pointing at a phase or faction.
fn line_of_value(text: &str, value: &str) -> Option<usize> {
    let needle = format!("\"{value}\"");
    text.find(&needle).map(|o| line_of(text, o))
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
            let line = line_of_value(text, &f.id);
            if !is_slug(&f.id) {
                problems.error(
                    file,
                    line,
                    format!(
                        "faction id '{}' must be lowercase letters, digits, '-' or '_'",
                        f.id
                    ),
                );
            }
            if f.id == CONTESTED || f.id == UNKNOWN {
                problems.error(
                    file,
                    line,
                    format!("'{}' is reserved and cannot be a faction id", f.id),
                );
            }
            if factions.iter().any(|g: &Faction| g.id == f.id) {
                problems.error(file, line, format!("faction '{}' is declared twice", f.id));
                continue;
            }
            let colour = match Rgba::parse_hex(&f.colour) {
                Ok(c) => c,
                Err(e) => {
                    problems.error(
                        file,
                        line_of_value(text, &f.colour),
                        format!("faction '{}': {e}", f.id),
                    );
                    Rgba::rgb(128, 128, 128)
                }
            };
            factions.push(Faction {
                id: f.id,
                label: f.label,
                label_fr: f.label_fr,
                colour,
            });
        }
        if factions.is_empty() {
            problems.error(file, None, "the manifest declares no [[factions]]");
        }
        let mut phases: Vec<Phase> = Vec::new();
        for p in raw.phases {
            let line = line_of_value(text, &p.id);
            let date = match parse_date(&p.date) {
                Ok(d) => d,
                Err(e) => {
                    problems.error(
                        file,
                        line_of_value(text, &p.date).or(line),
                        format!("phase '{}': {e}", p.id),
                    );
                    continue;
                }
            };
            let start = match p.start.as_deref().map(parse_date) {
                Some(Err(e)) => {
                    problems.error(file, line, format!("phase '{}': {e}", p.id));
                    None
                }
                Some(Ok(d)) => Some(d),
                None => None,
            };
            if !is_slug(&p.id) {
                problems.error(
                    file,
                    line,
                    format!(
                        "phase id '{}' must be lowercase letters, digits, '-' or '_'",
                        p.id
                    ),
                );
            }
            if phases.iter().any(|q| q.id == p.id) {
                problems.error(file, line, format!("phase '{}' is declared twice", p.id));
                continue;
            }
            phases.push(Phase {
                id: p.id,
                title: p.title,
                title_fr: p.title_fr,
                start,
                date,
            });
        }
        let sequence = raw.sequence.and_then(|s| {
            let line = line_of_value(text, &s.from);
            let parsed = (|| {
                let from = parse_date(&s.from)?;
                let to = parse_date(&s.to)?;
                let step: Step = s.step.parse()?;
                if from > to {
                    return Err(format!("sequence from {from} is after to {to}"));
                }
                Ok(Sequence { from, to, step })
            })();
            parsed
                .map_err(|e| problems.error(file, line, format!("[sequence]: {e}")))
                .ok()
        });
        let Some(regions) = raw.files.regions else {
            problems.error(file, None, "[files] needs 'regions' (the outlines file)");
            return None;
        };
        let Some(control) = raw.files.control else {
            problems.error(file, None, "[files] needs 'control' (the records file)");
            return None;
        };
        if let Err(e) = proj4rs::Proj::from_proj_string(&raw.projection) {
            problems.error(
                file,
                line_of_value(text, &raw.projection),
                format!(
                    "projection '{}' is not a proj string this tool understands: {e}",
                    raw.projection
                ),
            );
        }
        if let Some(n) = raw.name.as_deref().filter(|n| !is_slug(n)) {
            problems.error(
                file,
                line_of_value(text, n),
                format!("name '{n}' must be lowercase letters, digits, '-' or '_'"),
            );
        }
        let town_radius_km = match raw.town_radius_km {
            Some(km) if !valid_radius(km) => {
                problems.error(
                    file,
                    line_of_key(text, "town_radius_km"),
                    format!(
                        "town_radius_km = {km} must be over 0 and at most {MAX_TOWN_RADIUS_KM} km"
                    ),
                );
                DEFAULT_TOWN_RADIUS_KM
            }
            Some(km) => km,
            None => DEFAULT_TOWN_RADIUS_KM,
        };
        Some(Manifest {
            town_radius_km,
            name: raw.name,
            title: raw.title,
            subtitle: raw.subtitle,
            attribution: raw.attribution,
            projection: raw.projection,
            files: Files {
                regions,
                neighbours: raw.files.neighbours,
                places: raw.files.places,
                control,
                events: raw.files.events,
                references: raw.files.references,
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
