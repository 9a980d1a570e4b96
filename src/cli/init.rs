//! `controlmap init`: its flags and the lines it prints.

use std::path::PathBuf;

use super::say;
use crate::commands;
use crate::error::Result;

/// Flags of `init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The dataset folder to create (must not exist, or be empty).
    pub dir: PathBuf,
    /// An admin-1 GeoJSON FeatureCollection (Natural Earth style, or any with an id property).
    #[arg(long, value_name = "FILE")]
    pub admin1: PathBuf,
    /// The country: ISO alpha-2 (ML), alpha-3 (MLI) or name, in any case and with or without
    /// accents ("cote d'ivoire" finds Côte d'Ivoire).
    #[arg(long)]
    pub country: String,
    /// An admin-0 GeoJSON of countries, for the neighbours drawn in grey.
    #[arg(long, value_name = "FILE")]
    pub countries: Option<PathBuf>,
    /// The property holding each unit's id (default: iso_3166_2, then id).
    #[arg(long, value_name = "P")]
    pub id_property: Option<String>,
    /// The property holding each unit's name (default: name).
    #[arg(long, value_name = "P")]
    pub name_property: Option<String>,
}

/// Runs `init` and reports what it made (skipped units as warnings on stderr).
pub fn run(a: &InitArgs, quiet: bool) -> Result<()> {
    let req = commands::init::InitRequest {
        dir: a.dir.clone(),
        admin1: a.admin1.clone(),
        country: a.country.clone(),
        countries: a.countries.clone(),
        id_property: a.id_property.clone(),
        name_property: a.name_property.clone(),
    };
    let report = commands::init::init(&req)?;
    for line in &report.skipped {
        eprintln!("controlmap: warning: {line}");
    }
    say(
        quiet,
        &format!(
            "created {} with {} regions and {} neighbours; fill in control.csv, then run `controlmap validate --dataset {}`\n",
            report.dir.display(),
            report.regions,
            report.neighbours,
            report.dir.display()
        ),
    )?;
    Ok(())
}
