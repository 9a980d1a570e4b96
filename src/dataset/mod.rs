//! Loading and checking a dataset folder: manifest, outlines, places, records, events and the
//! references they cite.
//!
//! A dataset is data, not code: another conflict is another folder of the same shape. The Mali
//! dataset is compiled into the binary so that `controlmap` works from any directory.

mod backdrop;
mod embedded;
pub mod events;
mod feature_lines;
mod ground;
pub mod manifest;
pub mod outlines;
pub mod places;
pub mod problem;
mod projection;
pub mod records;
pub mod references;
pub mod relief;
pub mod snapshots;
mod table;
pub mod water;
pub mod zones;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub use events::Event;
pub use manifest::{Faction, Manifest, Phase, Sequence};
pub use outlines::Outline;
pub use problem::{Problem, Problems, Severity};
pub use records::{Confidence, Control, Record};
pub use references::{Citation, PubDate, Reference};

use crate::lang::Lang;
use crate::territory::{Kind, Shape, Territory, TerritoryId};

use crate::error::{Error, Result};

/// Refuse any single input file larger than this before reading it.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Where a dataset's files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The Mali dataset compiled into the binary.
    Embedded,
    /// A folder on disk.
    Dir(PathBuf),
}

impl Source {
    /// The embedded dataset unless a folder is given.
    pub fn from_option(dir: Option<&Path>) -> Source {
        dir.map_or(Source::Embedded, |d| Source::Dir(d.to_path_buf()))
    }

    /// How a file of this dataset is named in messages.
    pub fn display_name(&self, name: &str) -> String {
        match self {
            Source::Embedded => format!("geodata/mali/{name}"),
            Source::Dir(d) => d.join(name).display().to_string(),
        }
    }

    /// The GeoJSON files (`.geojson`, `.json`) of a folder of the dataset, sorted by name;
    /// `None` when there is no such folder (the embedded dataset has none).
    pub fn list(&self, folder: &str) -> Result<Option<Vec<String>>> {
        let Source::Dir(d) = self else {
            return Ok(None);
        };
        let path = d.join(folder);
        if !path.is_dir() {
            return Ok(None);
        }
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&path).map_err(|e| Error::io(&path, e))? {
            let entry = entry.map_err(|e| Error::io(&path, e))?;
            let name = entry.file_name().to_string_lossy().to_string();
            let lower = name.to_ascii_lowercase();
            // Files only: a folder named like a snapshot is not one.
            let is_file = entry
                .file_type()
                .is_ok_and(|t| t.is_file() || t.is_symlink());
            if is_file
                && !name.starts_with('.')
                && (lower.ends_with(".geojson") || lower.ends_with(".json"))
            {
                names.push(name);
            }
        }
        names.sort();
        Ok(Some(names))
    }

    /// Reads one file as text.
    pub fn read(&self, name: &str) -> Result<String> {
        match self {
            Source::Embedded => embedded::file(name).map(str::to_string).ok_or_else(|| {
                Error::data(
                    self.display_name(name),
                    None,
                    "no such file in the embedded dataset",
                )
            }),
            Source::Dir(_) => {
                let bytes = self.read_bytes(name)?;
                String::from_utf8(bytes).map_err(|e| {
                    let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                    let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
                    Error::data(self.display_name(name), Some(line), "not UTF-8 text")
                })
            }
        }
    }

    /// Reads one file as bytes, refusing a path that leads outside the dataset folder.
    pub fn read_bytes(&self, name: &str) -> Result<Vec<u8>> {
        match self {
            Source::Embedded => embedded::bytes(name).map(<[u8]>::to_vec).ok_or_else(|| {
                Error::data(
                    self.display_name(name),
                    None,
                    "no such file in the embedded dataset",
                )
            }),
            Source::Dir(d) => {
                let path = d.join(name);
                let outside = || {
                    Error::data(
                        path.display().to_string(),
                        None,
                        "lies outside the dataset folder; dataset files must stay inside it",
                    )
                };
                let plain = Path::new(name).components().all(|c| {
                    matches!(
                        c,
                        std::path::Component::Normal(_) | std::path::Component::CurDir
                    )
                });
                if !plain {
                    return Err(outside());
                }
                // A symlink inside the folder must not lead out of it either.
                if let (Ok(real), Ok(root)) = (path.canonicalize(), d.canonicalize())
                    && !real.starts_with(&root)
                {
                    return Err(outside());
                }
                read_limited(&path)
            }
        }
    }
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`]. Anything else (a device such as
/// `/dev/zero`, a FIFO, a folder) is refused before it is opened, and the read itself stops at
/// the limit, so a file that grows while it is read cannot exhaust memory either.
pub fn read_limited(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let too_big = |len: u64| {
        Error::data(
            path.display().to_string(),
            None,
            format!(
                "{len} bytes or more is larger than the {} MB this tool reads",
                MAX_FILE_BYTES >> 20
            ),
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(Error::data(
            path.display().to_string(),
            None,
            "not a regular file (a folder, device or pipe cannot be read as data)",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(MAX_FILE_BYTES + 1));
    }
    Ok(bytes)
}

/// A loaded dataset. Its parts are checked against each other: every record names a known
/// target and faction.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Where it came from.
    pub source: Source,
    /// `dataset.toml`.
    pub manifest: Manifest,
    /// Everything that can be held: the regions in file order, then the towns, the zones and the
    /// snapshots' polygons.
    pub territories: Vec<Territory>,
    /// Context outlines.
    pub neighbours: Vec<Outline>,
    /// Rivers, lakes and the locator's countries, drawn for context (empty when not given).
    pub context: water::Context,
    /// The shaded relief drawn over the fills, when the manifest names one.
    pub relief: Option<relief::Relief>,
    /// Control records, sorted by (target, date).
    pub records: Vec<Record>,
    /// Captions, sorted by date.
    pub events: Vec<Event>,
    /// The publications records and events cite (empty when the manifest names no table).
    pub references: Vec<Reference>,
}

/// A town this close outside every region (in km) belongs to the nearest one: the outlines are
/// generalised (Natural Earth 1:10m places some border towns a kilometre or two outside).
pub const SNAP_KM: f64 = 10.0;

/// The manifest's file name inside a dataset folder.
pub const MANIFEST: &str = "dataset.toml";

impl Dataset {
    /// Loads a dataset, failing with the first error (a file and line) if there is any.
    ///
    /// ```
    /// use controlmap::dataset::{Dataset, Source};
    /// let mali = Dataset::load(&Source::Embedded).unwrap();
    /// assert_eq!(mali.regions().count(), 9);
    /// ```
    pub fn load(source: &Source) -> Result<Dataset> {
        let (dataset, problems) = Dataset::check(source)?;
        match (problems.first_error(), dataset) {
            (Some(e), _) => Err(e),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(Error::data(
                source.display_name(MANIFEST),
                None,
                "the dataset could not be read",
            )),
        }
    }

    /// Loads a dataset and collects every problem (errors and warnings) instead of stopping at the
    /// first. Fails only when a file cannot be read at all.
    pub fn check(source: &Source) -> Result<(Option<Dataset>, Problems)> {
        let mut problems = Problems::default();
        let manifest_file = source.display_name(MANIFEST);
        let manifest_text = source.read(MANIFEST)?;
        let Some(manifest) = Manifest::parse(&manifest_text, &manifest_file, &mut problems) else {
            return Ok((None, problems));
        };
        let files = manifest.files.clone();
        let regions_file = source.display_name(&files.regions);
        let errors_before_regions = problems.error_count();
        let regions_text = source.read(&files.regions)?;
        // The neighbours (the largest file), rivers, lakes and relief are read on one thread,
        // and the regions, then the places, records, events and references, on the other. The
        // problems come out as when the files were read one after another: the regions', the
        // neighbours', rivers', lakes' and relief's, then the rest's.
        let mut side = Problems::default();
        let mut after = Problems::default();
        let (ground, backdrop) = rayon::join(
            || {
                let regions = outlines::parse_outlines(
                    &regions_text,
                    &regions_file,
                    &outlines::Properties::default(),
                    &mut problems,
                );
                // A file without features is an error of its own, whatever went wrong before it
                // (a manifest error no longer hides it).
                if regions.is_empty() && problems.error_count() == errors_before_regions {
                    problems.error(&regions_file, None, "no regions: the file has no features");
                }
                let regions = ground::Regions {
                    outlines: regions,
                    file: &regions_file,
                };
                Self::read_ground(source, &manifest, &manifest_text, regions, &mut after)
            },
            || backdrop::read_backdrop(source, &manifest, &mut side),
        );
        problems.extend(side);
        problems.extend(after);
        let (neighbours, context, relief) = backdrop?;
        let ground::Ground {
            territories,
            records,
            events,
            references,
            control_file,
        } = ground?;
        let dataset = Dataset {
            source: source.clone(),
            manifest,
            territories,
            neighbours,
            context,
            relief,
            records,
            events,
            references,
        };
        dataset.check_coverage(&manifest_file, &control_file, &mut problems);
        Ok((Some(dataset), problems))
    }

    /// Warnings about what the records leave out: targets without records, unused factions,
    /// phases outside the records; and an error for a recorded town outside every region
    /// (its area could not be drawn).
    fn check_coverage(&self, manifest_file: &str, control_file: &str, problems: &mut Problems) {
        let recorded: HashSet<TerritoryId> = self.records.iter().map(|r| r.target).collect();
        // Without readable regions there is nothing to place towns in: the outline file's own
        // error says why.
        let placeable = self.regions().next().is_some();
        for (_, town) in self
            .towns()
            .filter(|(t, _)| placeable && recorded.contains(t))
        {
            if let Some(at) = town.point().filter(|a| self.region_under(*a).is_none()) {
                problems.error(
                    &town.file,
                    Some(town.line),
                    format!(
                        "town '{}' at {}, {} lies outside every region (more than {SNAP_KM} km from the nearest)",
                        town.id, at.y, at.x
                    ),
                );
            }
        }
        for (i, r) in self.regions() {
            if !recorded.contains(&i) {
                problems.warning(
                    control_file,
                    None,
                    format!(
                        "region '{}' never gets a record and is drawn as no data",
                        r.id
                    ),
                );
            }
        }
        for (z, zone) in self.layers().filter(|(_, t)| t.kind == Kind::Zone) {
            if !recorded.contains(&z) {
                problems.warning(
                    &zone.file,
                    Some(zone.line),
                    format!("zone '{}' never gets a record and is never drawn", zone.id),
                );
            }
        }
        let mut used = vec![false; self.manifest.factions.len()];
        for r in &self.records {
            match r.control {
                Some(Control::Faction(i)) => used[i] = true,
                Some(Control::Contested(Some((a, b)))) => {
                    used[a] = true;
                    used[b] = true;
                }
                Some(Control::Contested(None)) | None => {}
            }
        }
        for (f, used) in self.manifest.factions.iter().zip(used) {
            if !used {
                problems.warning(
                    manifest_file,
                    None,
                    format!("faction '{}' is never used by a record", f.id),
                );
            }
        }
        let first = self.records.iter().map(|r| r.date).min();
        let last = self.records.iter().map(|r| r.date).max();
        if let (Some(first), Some(last)) = (first, last) {
            for p in &self.manifest.phases {
                if p.date < first {
                    problems.warning(
                        manifest_file,
                        None,
                        format!(
                            "phase '{}' ({}) is before the first record ({first})",
                            p.id, p.date
                        ),
                    );
                }
                if p.date > last
                    && self
                        .manifest
                        .sequence
                        .as_ref()
                        .is_some_and(|s| p.date > s.to)
                {
                    problems.warning(
                        manifest_file,
                        None,
                        format!("phase '{}' ({}) is after the sequence ends", p.id, p.date),
                    );
                }
            }
        }
    }

    /// A faction's legend label in `lang` (English when the manifest has no such label).
    pub fn faction_label(&self, index: usize, lang: Lang) -> &str {
        let f = &self.manifest.factions[index.min(self.manifest.factions.len().saturating_sub(1))];
        match (&f.label_fr, lang) {
            (Some(fr), Lang::Fr) => fr,
            _ => &f.label,
        }
    }

    /// A territory.
    pub fn territory(&self, id: TerritoryId) -> &Territory {
        &self.territories[id.0]
    }

    /// Every territory with its id, in id order.
    pub fn territory_ids(&self) -> impl Iterator<Item = (TerritoryId, &Territory)> + '_ {
        self.territories
            .iter()
            .enumerate()
            .map(|(i, t)| (TerritoryId(i), t))
    }

    /// The regions with their ids, in file order.
    pub fn regions(&self) -> impl Iterator<Item = (TerritoryId, &Territory)> + '_ {
        self.territory_ids().filter(|(_, t)| t.is_region())
    }

    /// The towns with their ids, in file order.
    pub fn towns(&self) -> impl Iterator<Item = (TerritoryId, &Territory)> + '_ {
        self.territory_ids()
            .filter(|(_, t)| t.town_rank().is_some())
    }

    /// The zones, then the snapshots' polygons, with their ids: the areas laid over the regions,
    /// each one over those before it.
    pub fn layers(&self) -> impl Iterator<Item = (TerritoryId, &Territory)> + '_ {
        self.territory_ids().filter(|(_, t)| t.kind.is_layer())
    }

    /// The territory with this id string.
    pub fn find(&self, id: &str) -> Option<TerritoryId> {
        self.territories
            .iter()
            .position(|t| t.id == id)
            .map(TerritoryId)
    }

    /// The region a point (longitude, latitude) lies in, or the nearest within [`SNAP_KM`].
    pub fn region_under(&self, at: geo::Coord<f64>) -> Option<TerritoryId> {
        use geo::{Contains, Distance, Euclidean};
        let p = geo::Point::from(at);
        // Containment first: a point's distance to an outline is far dearer, and only a town
        // just outside every region needs it.
        if let Some((r, _)) = self
            .regions()
            .find(|(_, region)| region.area().is_some_and(|a| a.contains(&p)))
        {
            return Some(r);
        }
        let mut nearest: Option<(f64, TerritoryId)> = None;
        for (r, region) in self.regions() {
            let Some(area) = region.area() else { continue };
            // Degrees to km as along a meridian: an upper bound, since a degree of longitude
            // is shorter, so the snap never reaches further than it says.
            let km = Euclidean.distance(&p, area) * 111.2;
            if nearest.is_none_or(|(best, _)| km < best) {
                nearest = Some((km, r));
            }
        }
        nearest.filter(|(km, _)| *km <= SNAP_KM).map(|(_, r)| r)
    }

    /// The id of a territory.
    pub fn target_id(&self, t: TerritoryId) -> &str {
        &self.territories[t.0].id
    }

    /// The display name of a territory.
    pub fn target_name(&self, t: TerritoryId, lang: Lang) -> &str {
        self.territories[t.0].name(lang)
    }

    /// A faction's name in a word or two, for tight places: its `short` name in `lang` when
    /// the manifest gives one, else its label up to any parenthesis ("MNLA (Tuareg
    /// separatists)" gives "MNLA").
    pub fn faction_short(&self, index: usize, lang: Lang) -> &str {
        let f = &self.manifest.factions[index.min(self.manifest.factions.len().saturating_sub(1))];
        let short = match lang {
            Lang::Fr => f.short_fr.as_ref().or(f.short.as_ref()),
            Lang::En => f.short.as_ref(),
        };
        match short {
            Some(s) => s,
            None => {
                let label = self.faction_label(index, lang);
                label.split(" (").next().unwrap_or(label).trim()
            }
        }
    }

    /// A control value in a word or two for a reader: the faction's short name, or
    /// "contested".
    pub fn control_short(&self, c: Control, lang: Lang) -> &str {
        match c {
            Control::Faction(i) => self.faction_short(i, lang),
            Control::Contested(_) => lang.pick("contested", "disputé"),
        }
    }

    /// The id a control value is written as in `control.csv` (`contested` for a contest).
    pub fn control_id(&self, c: Control) -> &str {
        match c {
            Control::Faction(i) => &self.manifest.factions[i].id,
            Control::Contested(_) => manifest::CONTESTED,
        }
    }

    /// A phase by id, or a usage error suggesting the nearest id.
    pub fn phase(&self, id: &str) -> Result<&Phase> {
        self.manifest.phase(id).ok_or_else(|| {
            Error::usage_of(
                crate::error::Field::Phase,
                format!(
                    "unknown phase '{id}'{}; `controlmap phases` lists them",
                    crate::suggest::did_you_mean(
                        id,
                        self.manifest.phases.iter().map(|p| p.id.as_str())
                    )
                ),
            )
        })
    }
}
