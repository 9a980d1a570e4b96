//! `controlmap init`: a new dataset folder from a Natural Earth-style admin-1 GeoJSON.
//!
//! The folder gets the chosen country's units as `regions.geojson`, its neighbours from an
//! admin-0 file when one is given, a manifest with an equal-area projection fitted to the
//! country (across the antimeridian too) and the default factions, and empty `places.csv`,
//! `control.csv`, `events.csv` and `references.csv` files ready to be filled in.
//!
//! One idea per file: [`country`] finds the country's units, [`regions`] turns them into
//! regions, [`neighbours`] picks the countries around, [`extent`] measures where they lie,
//! [`manifest`] writes `dataset.toml`, and [`features`] reads and writes GeoJSON.

mod country;
mod extent;
mod features;
mod manifest;
mod neighbours;
mod regions;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use crate::dataset::{Dataset, MANIFEST, Source};
use crate::error::{Error, Field, Result};
use crate::write::write_atomic;

/// What `init` should create.
#[derive(Debug, Clone, Default)]
pub struct InitRequest {
    /// The dataset folder to create (it may exist if it is empty).
    pub dir: PathBuf,
    /// The admin-1 GeoJSON FeatureCollection (`--admin1`).
    pub admin1: PathBuf,
    /// The country: alpha-2, alpha-3 or name (`--country`).
    pub country: String,
    /// An admin-0 GeoJSON of countries for the neighbours (`--countries`).
    pub countries: Option<PathBuf>,
    /// Property holding the region id (`--id-property`).
    pub id_property: Option<String>,
    /// Property holding the region name (`--name-property`).
    pub name_property: Option<String>,
}

/// What `init` created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    /// The dataset folder.
    pub dir: PathBuf,
    /// How many regions `regions.geojson` has.
    pub regions: usize,
    /// How many neighbours `neighbours.geojson` has (0 when none was written).
    pub neighbours: usize,
    /// One line for every feature that was left out, naming it and why.
    pub skipped: Vec<String>,
}

/// File names written into the dataset folder.
const REGIONS: &str = "regions.geojson";
const NEIGHBOURS: &str = "neighbours.geojson";
const PLACES: &str = "places.csv";
const CONTROL: &str = "control.csv";
const EVENTS: &str = "events.csv";
const REFERENCES: &str = "references.csv";

const PLACES_HEADER: &str = "id,name,name_fr,lat,lon,kind\n";
const CONTROL_HEADER: &str = "date,target,controller,parties,confidence,source,note\n";
const EVENTS_HEADER: &str = "date,caption,source\n";
const REFERENCES_HEADER: &str =
    "id,author,publisher,title,date,url,archive_url,language,accessed,note\n";

/// Creates a dataset folder; see the module documentation.
pub fn init(req: &InitRequest) -> Result<InitReport> {
    let code = req.country.trim();
    if code.is_empty() {
        return Err(Error::usage_of(
            Field::Country,
            "give a country code or name",
        ));
    }
    check_target_dir(&req.dir)?;
    let admin1_name = file_label(&req.admin1);
    let admin1 = features::read_features(&req.admin1, Field::Admin1)?;
    let mut regions = regions::select(&admin1, code, req, &admin1_name)?;
    let neighbours = match &req.countries {
        Some(path) => Some(neighbours::of(
            path,
            code,
            &regions.country_name,
            &regions.extent,
            &mut regions.skipped,
        )?),
        None => None,
    };
    let manifest = manifest::text(&manifest::Origin {
        code,
        country_name: &regions.country_name,
        admin1: &admin1_name,
        countries: req
            .countries
            .as_deref()
            .map(file_label)
            .filter(|_| neighbours.is_some()),
        extent: &regions.extent,
    })?;
    let mut files: Vec<(&str, String)> = vec![
        (MANIFEST, manifest),
        (REGIONS, features::collection_text(&regions.features)),
        (PLACES, PLACES_HEADER.to_string()),
        (CONTROL, CONTROL_HEADER.to_string()),
        (EVENTS, EVENTS_HEADER.to_string()),
        (REFERENCES, REFERENCES_HEADER.to_string()),
    ];
    if let Some(n) = &neighbours {
        files.push((NEIGHBOURS, features::collection_text(n)));
    }
    write_dataset(&req.dir, &files)?;
    Ok(InitReport {
        dir: req.dir.clone(),
        regions: regions.features.len(),
        neighbours: neighbours.as_ref().map_or(0, Vec::len),
        skipped: regions.skipped,
    })
}

/// Writes the files and checks the dataset they make; on any failure removes what it wrote
/// and the folders it created, so a failed `init` leaves nothing behind.
fn write_dataset(dir: &Path, files: &[(&str, String)]) -> Result<()> {
    let created = create_dir(dir)?;
    let result = (|| {
        for (name, text) in files {
            write_atomic(&dir.join(name), text.as_bytes())?;
        }
        let (_, problems) = Dataset::check(&Source::Dir(dir.to_path_buf()))?;
        match problems.first_error() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    })();
    if result.is_err() {
        for (name, _) in files {
            let _ = std::fs::remove_file(dir.join(name));
        }
        for d in created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
    result
}

/// Refuses a target that exists and is not an empty folder.
fn check_target_dir(dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Err(_) => Ok(()),
        Ok(m) if !m.is_dir() => Err(Error::usage(format!(
            "DIR: {} exists and is not a folder",
            dir.display()
        ))),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
            if entries.next().is_some() {
                Err(Error::usage(format!(
                    "DIR: the folder {} exists and is not empty; choose a new folder",
                    dir.display()
                )))
            } else {
                Ok(())
            }
        }
    }
}

/// Creates `dir` and its missing parents; returns the folders it created, outermost first.
fn create_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        cur = d.parent();
    }
    missing.reverse();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    Ok(missing)
}

/// The file name of a path, for messages and the attribution.
fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
