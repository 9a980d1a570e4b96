//! `places.csv`: towns drawn as markers, the targets of town-level records.

use super::manifest::is_slug;
use super::problem::Problems;
use super::table::Table;
use crate::lang::Names;
use crate::territory::{Kind, Shape, Territory, TownRank};

/// Parses `places.csv` (`id,name,lat,lon,kind`, optional `name_fr`) into town territories.
pub fn parse_places(text: &str, file: &str, problems: &mut Problems) -> Vec<Territory> {
    let Some(table) = Table::parse(text, file, &["id", "name", "lat", "lon", "kind"], problems)
    else {
        return Vec::new();
    };
    let mut places: Vec<Territory> = Vec::new();
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
            "capital" => TownRank::Capital,
            "regional-capital" => TownRank::RegionalCapital,
            "town" => TownRank::Town,
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
        let radius_text = table.get(row, "radius_km").trim();
        let radius_km = if radius_text.is_empty() {
            None
        } else {
            match radius_text.parse::<f64>() {
                Ok(km) if super::manifest::valid_radius(km) => Some(km),
                _ => {
                    problems.error(
                        file,
                        line,
                        format!(
                            "place '{id}': radius_km '{radius_text}' must be a number over 0 and at most {} km",
                            super::manifest::MAX_TOWN_RADIUS_KM
                        ),
                    );
                    continue;
                }
            }
        };
        let name = table.get(row, "name");
        let name_fr = Some(table.get(row, "name_fr"))
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        places.push(Territory {
            id: id.to_string(),
            kind: Kind::Town(kind),
            names: Names {
                en: if name.is_empty() {
                    id.to_string()
                } else {
                    name.to_string()
                },
                fr: name_fr,
            },
            shape: Shape::Point(geo::Coord { x: lon, y: lat }),
            label_at: None,
            file: file.to_string(),
            line: row.line,
            radius_km,
        });
    }
    places
}
