//! The new dataset's `dataset.toml`: a short header saying what to do next, then the manifest
//! serialized from typed values, with an equal-area projection fitted to the country.

use serde::Serialize;

use super::extent::Extent;
use super::{CONTROL, EVENTS, NEIGHBOURS, PLACES, REFERENCES, REGIONS};
use crate::error::{Error, Result};

/// The factions every new dataset starts with: id, label, colour.
const DEFAULT_FACTIONS: [(&str, &str, &str); 3] = [
    ("government", "Government", "#D55E00"),
    ("rebels", "Rebels", "#F0E442"),
    ("islamist", "Islamist groups", "#1B1B1B"),
];

/// What the manifest is made from.
pub(super) struct Origin<'a> {
    /// The country code or name given to `init`.
    pub code: &'a str,
    /// The country's name.
    pub country_name: &'a str,
    /// The admin-1 file's name.
    pub admin1: &'a str,
    /// The admin-0 file's name, when neighbours were written from it.
    pub countries: Option<String>,
    /// Where the regions lie.
    pub extent: &'a Extent,
}

#[derive(Serialize)]
struct Manifest<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    title: String,
    subtitle: &'a str,
    attribution: String,
    projection: String,
    files: Files,
    factions: Vec<Faction<'a>>,
}

#[derive(Serialize)]
struct Files {
    regions: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    neighbours: Option<&'static str>,
    places: &'static str,
    control: &'static str,
    events: &'static str,
    references: &'static str,
}

#[derive(Serialize)]
struct Faction<'a> {
    id: &'a str,
    label: &'a str,
    colour: &'a str,
}

/// The text of `dataset.toml`.
pub(super) fn text(o: &Origin<'_>) -> Result<String> {
    let name = slug(o.code);
    let manifest = Manifest {
        name: (!name.is_empty()).then_some(name),
        title: format!("{} conflict", o.country_name),
        subtitle: "Territorial control",
        attribution: match &o.countries {
            Some(c) => format!("Outlines: {}; neighbours: {c}.", o.admin1),
            None => format!("Outlines: {}.", o.admin1),
        },
        projection: projection_for(o.extent),
        files: Files {
            regions: REGIONS,
            neighbours: o.countries.as_ref().map(|_| NEIGHBOURS),
            places: PLACES,
            control: CONTROL,
            events: EVENTS,
            references: REFERENCES,
        },
        factions: DEFAULT_FACTIONS
            .iter()
            .map(|&(id, label, colour)| Faction { id, label, colour })
            .collect(),
    };
    let body = toml::to_string(&manifest)
        .map_err(|e| Error::Runtime(format!("could not write dataset.toml: {e}")))?;
    Ok(format!(
        "# A controlmap dataset made by `controlmap init` for {}.\n\
         # The projection is an equal-area conic fitted to the country; the factions are a start:\n\
         # rename them, recolour them, add more. Then add towns to places.csv, dated records to\n\
         # control.csv and their sources to references.csv (see geodata/README.md), and run\n\
         # `controlmap validate`.\n\n{body}",
        o.country_name
    ))
}

/// Lowercase letters, digits and '-' from a country code or name (`ML` gives `ml`).
pub(super) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// A coordinate in degrees with at most four decimals and no trailing zeros.
pub(super) fn degrees(v: f64) -> String {
    let s = crate::decimal::fixed(v, 4);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s {
        "" => "0".to_string(),
        s => s.to_string(),
    }
}

/// The equal-area conic fitted to a box: standard parallels at 1/6 and 5/6 of its latitude
/// span, centred on its middle meridian (which may lie across the antimeridian). A country
/// across the equator gets a Lambert azimuthal equal-area view instead: a conic's parallels
/// either side of the equator cancel out (`lat_1 = -lat_2` has no cone).
pub(super) fn projection_for(b: &Extent) -> String {
    if b.south < 0.0 && b.north > 0.0 {
        return format!(
            "+proj=laea +lat_0={} +lon_0={} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs",
            degrees((b.south + b.north) / 2.0),
            degrees(b.centre_lon())
        );
    }
    let span = b.north - b.south;
    let lat_1 = b.south + span / 6.0;
    let lat_2 = b.south + span * 5.0 / 6.0;
    let lat_0 = (b.south + b.north) / 2.0;
    format!(
        "+proj=aea +lat_1={} +lat_2={} +lat_0={} +lon_0={} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs",
        degrees(lat_1),
        degrees(lat_2),
        degrees(lat_0),
        degrees(b.centre_lon())
    )
}
