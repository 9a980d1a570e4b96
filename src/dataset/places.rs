//! `places.csv`: towns drawn as markers, the targets of town-level records.

use super::manifest::is_slug;
use super::problem::Problems;
use super::table::Table;

/// How a town is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceKind {
    /// The national capital: its own symbol, labelled first.
    Capital,
    /// A regional capital.
    RegionalCapital,
    /// Any other town.
    Town,
}

/// A town.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Identifier used in `control.csv`.
    pub id: String,
    /// English name.
    pub name: String,
    /// French name, when given.
    pub name_fr: Option<String>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Symbol and label priority.
    pub kind: PlaceKind,
    /// Line in `places.csv`.
    pub line: usize,
}

impl Place {
    /// The name in the requested language, falling back to English.
    pub fn name_in(&self, french: bool) -> &str {
        match (&self.name_fr, french) {
            (Some(fr), true) => fr,
            _ => &self.name,
        }
    }
}

/// Parses `places.csv` (`id,name,lat,lon,kind`, optional `name_fr`).
pub fn parse_places(text: &str, file: &str, problems: &mut Problems) -> Vec<Place> {
    let Some(table) = Table::parse(text, file, &["id", "name", "lat", "lon", "kind"], problems)
    else {
        return Vec::new();
    };
    let mut places: Vec<Place> = Vec::new();
    for row in &table.rows {
        let line = Some(row.line);
        let id = table.get(row, "id");
        if !is_slug(id) {
            problems.error(
                file,
                line,
                format!("place id '{id}' must be lowercase letters, digits, '-' or '_'"),
            );
            continue;
        }
        if places.iter().any(|p| p.id == id) {
            problems.error(file, line, format!("place id '{id}' is used twice"));
            continue;
        }
        let coord = |col: &str, limit: f64| -> Option<f64> {
            table
                .get(row, col)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= limit)
        };
        let (Some(lat), Some(lon)) = (coord("lat", 90.0), coord("lon", 180.0)) else {
            problems.error(
                file,
                line,
                format!(
                    "place '{id}': lat '{}' / lon '{}' are not coordinates in degrees",
                    table.get(row, "lat"),
                    table.get(row, "lon")
                ),
            );
            continue;
        };
        let kind = match table.get(row, "kind") {
            "capital" => PlaceKind::Capital,
            "regional-capital" => PlaceKind::RegionalCapital,
            "town" => PlaceKind::Town,
            other => {
                problems.error(
                    file,
                    line,
                    format!(
                        "place '{id}': kind '{other}' must be capital, regional-capital or town"
                    ),
                );
                continue;
            }
        };
        let name = table.get(row, "name");
        let name_fr = Some(table.get(row, "name_fr"))
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        places.push(Place {
            id: id.to_string(),
            name: if name.is_empty() {
                id.to_string()
            } else {
                name.to_string()
            },
            name_fr,
            lat,
            lon,
            kind,
            line: row.line,
        });
    }
    places
}
