//! Which units of an admin-1 file belong to the country asked for: by ISO code or by name,
//! ignoring case and accents ("cote d'ivoire" finds "Côte d'Ivoire"), with a suggestion by code
//! or name when nothing matches.

use std::path::Path;

use geojson::{Feature, JsonObject};
use unicode_normalization::UnicodeNormalization;

use super::features::{prop_str, props_of};
use crate::error::{Error, Field};

/// Admin-1 properties that name the country a unit belongs to.
const COUNTRY_KEYS: [&str; 8] = [
    "iso_a2",
    "adm0_a3",
    "iso_3166_2",
    "admin",
    "gu_a3",
    "sov_a3",
    "geonunit",
    "country",
];

/// A name reduced for comparison: accents dropped, lower case, typographic apostrophes plain
/// and runs of spaces single.
pub(super) fn fold(text: &str) -> String {
    let plain: String = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '`' => '\'',
            c => c,
        })
        .collect();
    plain
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two country codes or names are the same, ignoring case and accents.
pub(super) fn same_country(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || fold(a) == fold(b)
}

/// The values of a unit's country properties (the ISO 3166-2 code reduced to its country part).
/// A feature with none of them is matched by the country part of its `id` property.
fn country_values(props: Option<&JsonObject>) -> Vec<String> {
    if COUNTRY_KEYS.iter().all(|k| prop_str(props, k).is_none()) {
        return prop_str(props, "id")
            .and_then(|id| {
                let (country, _) = id.split_once('-')?;
                (!country.is_empty()).then(|| country.to_string())
            })
            .into_iter()
            .collect();
    }
    COUNTRY_KEYS
        .iter()
        .filter_map(|k| {
            let v = prop_str(props, k)?;
            Some(if *k == "iso_3166_2" {
                v.split('-').next().unwrap_or("").to_string()
            } else {
                v
            })
        })
        .filter(|v| !v.is_empty())
        .collect()
}

/// Whether a unit belongs to the country given by code or name.
pub(super) fn belongs_to(feature: &Feature, code: &str) -> bool {
    country_values(props_of(feature))
        .iter()
        .any(|v| same_country(v, code))
}

/// The usage error for a country no feature matches, with the nearest code or name in the file
/// (a code for a two- or three-letter query, a name otherwise).
pub(super) fn no_match(code: &str, features: &[Feature], path: &Path) -> Error {
    let mut candidates: Vec<String> = Vec::new();
    for f in features {
        for v in country_values(props_of(f)) {
            if !candidates.contains(&v) {
                candidates.push(v);
            }
        }
    }
    let len = code.chars().count();
    let nearest_of = |pool: Vec<&String>| {
        let folded: Vec<String> = pool.iter().map(|c| fold(c)).collect();
        crate::suggest::nearest(&fold(code), folded.iter().map(String::as_str))
            .and_then(|hit| folded.iter().position(|f| f == hit))
            .map(|k| pool[k].clone())
    };
    let same_kind = candidates
        .iter()
        .filter(|c| match len {
            2 | 3 => c.chars().count() == len,
            _ => c.chars().count() > 3,
        })
        .collect();
    let hint = nearest_of(same_kind)
        .or_else(|| nearest_of(candidates.iter().collect()))
        .map_or_else(String::new, |c| format!(" (did you mean '{c}'?)"));
    Error::usage_of(
        Field::Country,
        format!(
            "no feature of {} belongs to '{code}' (the file has {} features){hint}",
            path.display(),
            features.len()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_without_case_accents_or_curly_apostrophes() {
        assert_eq!(fold("  Côte d’Ivoire "), "cote d'ivoire");
        assert!(same_country("COTE D'IVOIRE", "Côte d'Ivoire"));
        assert!(same_country(
            "são tomé and príncipe",
            "Sao Tome and Principe"
        ));
        assert!(same_country("ml", "ML"));
        assert!(!same_country("Mali", "Malawi"));
    }
}
