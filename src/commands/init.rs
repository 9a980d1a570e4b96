//! `controlmap init`: a new dataset folder from a Natural Earth-style admin-1 GeoJSON.
//!
//! The folder gets the chosen country's units as `regions.geojson`, its neighbours from an
//! admin-0 file when one is given, a manifest with an equal-area projection fitted to the
//! country and the default factions, and empty `places.csv`, `control.csv`, `events.csv` and
//! `references.csv` files ready to be filled in.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::dataset::outlines::{self, Properties};
use crate::dataset::{Dataset, Problems, Source, MANIFEST};
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

/// The factions every new dataset starts with: id, label, colour.
const DEFAULT_FACTIONS: [(&str, &str, &str); 3] = [
    ("government", "Government", "#D55E00"),
    ("rebels", "Rebels", "#F0E442"),
    ("islamist", "Islamist groups", "#1B1B1B"),
];

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

/// Admin-0 properties that identify a country (upper case in Natural Earth, lower in some
/// repackagings).
const ADMIN0_KEYS: [&str; 5] = ["ISO_A2", "ADM0_A3", "ISO_A3", "NAME", "ADMIN"];

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
    let features = read_features(&req.admin1, Field::Admin1)?;
    let selected: Vec<&Value> = features
        .iter()
        .filter(|f| belongs_to(props_of(f), code))
        .collect();
    if selected.is_empty() {
        return Err(no_match(code, &features, &req.admin1));
    }

    let mut skipped = Vec::new();
    let id_key = req.id_property.as_deref();
    let name_key = req.name_property.as_deref().unwrap_or("name");
    let mut regions: Vec<Value> = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut bbox = BBox::empty();
    for (n, f) in selected.iter().enumerate() {
        let props = props_of(f);
        let id = match id_key {
            Some(k) => prop_str(props, k),
            None => prop_str(props, "iso_3166_2").or_else(|| prop_str(props, "id")),
        }
        .or_else(|| feature_id(f));
        let name = prop_str(props, name_key);
        let label = name
            .clone()
            .or_else(|| id.clone())
            .unwrap_or_else(|| format!("feature {} of {}", n + 1, admin1_name));
        let Some(id) = id else {
            skipped.push(format!(
                "{admin1_name}: region '{label}' skipped: it has no id (property '{}')",
                id_key.unwrap_or("iso_3166_2")
            ));
            continue;
        };
        if !ids.insert(id.clone()) {
            skipped.push(format!(
                "{admin1_name}: region '{label}' skipped: its id '{id}' is used by an earlier region"
            ));
            continue;
        }
        let Some(geometry) = polygonal_geometry(f) else {
            skipped.push(format!(
                "{admin1_name}: region '{label}' ({id}) skipped: its geometry is {} but must be a Polygon or MultiPolygon",
                geometry_type(f)
            ));
            continue;
        };
        let mut p = Map::new();
        p.insert("id".into(), Value::String(id.clone()));
        p.insert(
            "name".into(),
            Value::String(name.unwrap_or_else(|| id.clone())),
        );
        if let Some(fr) = prop_str(props, "name_fr") {
            p.insert("name_fr".into(), Value::String(fr));
        }
        let feature = make_feature(&id, p, geometry.clone());
        if let Some(problem) = outline_error(&feature, true) {
            skipped.push(format!(
                "{admin1_name}: region '{label}' ({id}) skipped: {problem}"
            ));
            ids.remove(&id);
            continue;
        }
        bbox.extend_geometry(geometry);
        regions.push(feature);
    }
    if regions.is_empty() {
        let why = skipped.first().cloned().unwrap_or_default();
        return Err(Error::data(
            admin1_name,
            None,
            format!(
                "none of the {} features matching '{code}' can be used as a region: {why}",
                selected.len()
            ),
        ));
    }

    let country_name = selected
        .iter()
        .find_map(|f| prop_str(props_of(f), "admin"))
        .unwrap_or_else(|| code.to_string());

    let neighbours = match &req.countries {
        Some(path) => Some(neighbours_of(
            path,
            code,
            &country_name,
            &bbox,
            &mut skipped,
        )?),
        None => None,
    };

    let manifest = manifest_text(
        code,
        &country_name,
        &admin1_name,
        req.countries.as_deref().map(file_label).as_deref(),
        &bbox,
        neighbours.is_some(),
    );

    let mut files: Vec<(&str, String)> = vec![
        (MANIFEST, manifest),
        (REGIONS, collection_text(&regions)),
        (PLACES, PLACES_HEADER.to_string()),
        (CONTROL, CONTROL_HEADER.to_string()),
        (EVENTS, EVENTS_HEADER.to_string()),
        (REFERENCES, REFERENCES_HEADER.to_string()),
    ];
    if let Some(n) = &neighbours {
        files.push((NEIGHBOURS, collection_text(n)));
    }

    let created = create_dir(&req.dir)?;
    let result = (|| {
        for (name, text) in &files {
            write_atomic(&req.dir.join(name), text.as_bytes())?;
        }
        let source = Source::Dir(req.dir.clone());
        let (_, problems) = Dataset::check(&source)?;
        if let Some(e) = problems.first_error() {
            return Err(e);
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (name, _) in &files {
            let _ = std::fs::remove_file(req.dir.join(name));
        }
        for d in created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
        return Err(e);
    }
    Ok(InitReport {
        dir: req.dir.clone(),
        regions: regions.len(),
        neighbours: neighbours.as_ref().map_or(0, Vec::len),
        skipped,
    })
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

/// Reads a GeoJSON FeatureCollection and returns its features.
fn read_features(path: &Path, field: Field) -> Result<Vec<Value>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::usage_of(
            field,
            format!("{} is a folder, not a GeoJSON file", path.display()),
        ));
    }
    let bytes = crate::dataset::read_limited(path)?;
    let file = path.display().to_string();
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.split(" at line").next().unwrap_or(&msg).to_string();
        Error::data(&file, Some(e.line()), format!("not valid GeoJSON: {msg}"))
    })?;
    let is_collection = value.get("type").and_then(Value::as_str) == Some("FeatureCollection");
    match value {
        Value::Object(mut o) if is_collection => match o.remove("features") {
            Some(Value::Array(features)) => Ok(features),
            _ => Err(Error::data(
                file,
                None,
                "a FeatureCollection without a 'features' array",
            )),
        },
        _ => Err(Error::data(
            file,
            Some(1),
            "expected a GeoJSON FeatureCollection",
        )),
    }
}

fn props_of(feature: &Value) -> Option<&Map<String, Value>> {
    feature.get("properties")?.as_object()
}

/// A property as trimmed text (numbers too); `None` when missing, empty or Natural Earth's `-99`.
fn prop_str(props: Option<&Map<String, Value>>, key: &str) -> Option<String> {
    let s = match props?.get(key)? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty() && s != "-99").then_some(s)
}

/// The first of `keys` present, trying each as written and lower-cased.
fn prop_any(props: Option<&Map<String, Value>>, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| prop_str(props, k).or_else(|| prop_str(props, &k.to_lowercase())))
}

fn feature_id(feature: &Value) -> Option<String> {
    match feature.get("id")? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The values of a unit's country properties (the ISO 3166-2 code reduced to its country part).
/// A feature with none of them is matched by the country part of its `id` property.
fn country_values(props: Option<&Map<String, Value>>) -> Vec<String> {
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

fn belongs_to(props: Option<&Map<String, Value>>, code: &str) -> bool {
    country_values(props)
        .iter()
        .any(|v| v.eq_ignore_ascii_case(code) || v.to_lowercase() == code.to_lowercase())
}

/// The usage error for a country no feature matches, with the nearest code in the file.
fn no_match(code: &str, features: &[Value], path: &Path) -> Error {
    let mut candidates: Vec<String> = Vec::new();
    for f in features {
        for v in country_values(props_of(f)) {
            if !candidates.contains(&v) {
                candidates.push(v);
            }
        }
    }
    let same_kind: Vec<&str> = candidates
        .iter()
        .map(String::as_str)
        .filter(|c| match code.chars().count() {
            2 | 3 => c.chars().count() == code.chars().count(),
            _ => c.chars().count() > 3,
        })
        .collect();
    let mut hint = crate::suggest::did_you_mean(code, same_kind.iter().copied());
    if hint.is_empty() {
        hint = crate::suggest::did_you_mean(code, candidates.iter().map(String::as_str));
    }
    Error::usage_of(
        Field::Country,
        format!(
            "no feature of {} belongs to '{code}' (the file has {} features){hint}",
            path.display(),
            features.len()
        ),
    )
}

fn geometry_type(feature: &Value) -> String {
    match feature.get("geometry") {
        None | Some(Value::Null) => "missing".to_string(),
        Some(g) => g
            .get("type")
            .and_then(Value::as_str)
            .map_or_else(|| "of no known type".to_string(), |t| format!("a {t}")),
    }
}

/// The geometry object when it is a Polygon or MultiPolygon.
fn polygonal_geometry(feature: &Value) -> Option<&Value> {
    let g = feature.get("geometry")?;
    match g.get("type")?.as_str()? {
        "Polygon" | "MultiPolygon" => Some(g),
        _ => None,
    }
}

fn make_feature(id: &str, properties: Map<String, Value>, geometry: Value) -> Value {
    let mut f = Map::new();
    f.insert("type".into(), Value::String("Feature".into()));
    f.insert("id".into(), Value::String(id.to_string()));
    f.insert("properties".into(), Value::Object(properties));
    f.insert("geometry".into(), geometry);
    Value::Object(f)
}

/// The first error the dataset loader would report for this feature, if any.
fn outline_error(feature: &Value, strict: bool) -> Option<String> {
    let text = collection_text(std::slice::from_ref(feature));
    let mut problems = Problems::default();
    outlines::parse_outlines(
        &text,
        "",
        &Properties {
            strict,
            ..Default::default()
        },
        &mut problems,
    );
    problems.first_error().map(|e| match e {
        Error::Data { message, .. } => message,
        other => other.to_string(),
    })
}

/// A FeatureCollection with one feature per line.
fn collection_text(features: &[Value]) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let body: Vec<String> = features.iter().map(Value::to_string).collect();
    out.push_str(&body.join(",\n"));
    out.push_str("\n]}\n");
    out
}

/// A longitude/latitude bounding box.
#[derive(Debug, Clone, Copy, PartialEq)]
struct BBox {
    min_x: f64,
    min_y: f64,
    max_x: f64,
    max_y: f64,
}

impl BBox {
    fn empty() -> BBox {
        BBox {
            min_x: f64::INFINITY,
            min_y: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            max_y: f64::NEG_INFINITY,
        }
    }

    fn is_empty(&self) -> bool {
        self.min_x > self.max_x || self.min_y > self.max_y
    }

    fn extend_geometry(&mut self, geometry: &Value) {
        if let Some(c) = geometry.get("coordinates") {
            self.extend_coordinates(c);
        }
    }

    fn extend_coordinates(&mut self, c: &Value) {
        let Some(items) = c.as_array() else { return };
        match (
            items.first().and_then(Value::as_f64),
            items.get(1).and_then(Value::as_f64),
        ) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => {
                self.min_x = self.min_x.min(x);
                self.max_x = self.max_x.max(x);
                self.min_y = self.min_y.min(y);
                self.max_y = self.max_y.max(y);
            }
            _ => items.iter().for_each(|i| self.extend_coordinates(i)),
        }
    }

    /// The box grown by `fraction` of its width and height on each side.
    fn grown(&self, fraction: f64) -> BBox {
        let dx = (self.max_x - self.min_x) * fraction;
        let dy = (self.max_y - self.min_y) * fraction;
        BBox {
            min_x: self.min_x - dx,
            min_y: self.min_y - dy,
            max_x: self.max_x + dx,
            max_y: self.max_y + dy,
        }
    }

    fn intersects(&self, other: &BBox) -> bool {
        !self.is_empty()
            && !other.is_empty()
            && self.min_x <= other.max_x
            && other.min_x <= self.max_x
            && self.min_y <= other.max_y
            && other.min_y <= self.max_y
    }
}

/// The countries of an admin-0 file whose box meets the country's box grown by 25% a side.
fn neighbours_of(
    path: &Path,
    code: &str,
    country_name: &str,
    country: &BBox,
    skipped: &mut Vec<String>,
) -> Result<Vec<Value>> {
    let label = file_label(path);
    let features = read_features(path, Field::Countries)?;
    let area = country.grown(0.25);
    let mut out = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    for (n, f) in features.iter().enumerate() {
        let props = props_of(f);
        let is_self = ADMIN0_KEYS.iter().any(|k| {
            [prop_str(props, k), prop_str(props, &k.to_lowercase())]
                .into_iter()
                .flatten()
                .any(|v| v.eq_ignore_ascii_case(code) || v.eq_ignore_ascii_case(country_name))
        });
        if is_self {
            continue;
        }
        let Some(geometry) = polygonal_geometry(f) else {
            continue;
        };
        let mut b = BBox::empty();
        b.extend_geometry(geometry);
        if !b.intersects(&area) {
            continue;
        }
        let alpha3 = prop_any(props, &["ISO_A3", "ADM0_A3"])
            .filter(|v| v.len() == 3 && v.bytes().all(|c| c.is_ascii_alphabetic()));
        let name = prop_any(props, &["NAME", "ADMIN"]);
        let id = alpha3
            .or_else(|| name.clone())
            .or_else(|| feature_id(f))
            .unwrap_or_else(|| format!("country-{}", n + 1));
        if !ids.insert(id.clone()) {
            continue;
        }
        let mut p = Map::new();
        p.insert("id".into(), Value::String(id.clone()));
        p.insert(
            "name".into(),
            Value::String(name.clone().unwrap_or_else(|| id.clone())),
        );
        if let Some(fr) = prop_any(props, &["NAME_FR"]) {
            p.insert("name_fr".into(), Value::String(fr));
        }
        let feature = make_feature(&id, p, geometry.clone());
        if let Some(problem) = outline_error(&feature, false) {
            skipped.push(format!(
                "{label}: neighbour '{}' skipped: {problem}",
                name.unwrap_or_else(|| id.clone())
            ));
            ids.remove(&id);
            continue;
        }
        out.push(feature);
    }
    Ok(out)
}

/// Lowercase letters, digits and '-' from a country code or name (`ML` gives `ml`).
fn slug(text: &str) -> String {
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

/// A TOML basic string, quoted and escaped.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A coordinate in degrees with at most four decimals and no trailing zeros.
fn degrees(v: f64) -> String {
    let s = format!("{:.4}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s {
        "-0" | "" => "0".to_string(),
        s => s.to_string(),
    }
}

/// The equal-area conic fitted to a box: standard parallels at 1/6 and 5/6 of its latitude span.
fn projection_for(b: &BBox) -> String {
    let span = b.max_y - b.min_y;
    let lat_1 = b.min_y + span / 6.0;
    let lat_2 = b.min_y + span * 5.0 / 6.0;
    let lat_0 = (b.min_y + b.max_y) / 2.0;
    let lon_0 = (b.min_x + b.max_x) / 2.0;
    format!(
        "+proj=aea +lat_1={} +lat_2={} +lat_0={} +lon_0={} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs",
        degrees(lat_1),
        degrees(lat_2),
        degrees(lat_0),
        degrees(lon_0)
    )
}

fn manifest_text(
    code: &str,
    country_name: &str,
    admin1_name: &str,
    countries_name: Option<&str>,
    bbox: &BBox,
    with_neighbours: bool,
) -> String {
    let mut t = String::new();
    let name = slug(code);
    if !name.is_empty() {
        t.push_str(&format!("name = {}\n", toml_str(&name)));
    }
    t.push_str(&format!(
        "title = {}\n",
        toml_str(&format!("{country_name} conflict"))
    ));
    t.push_str("subtitle = \"Territorial control\"\n");
    let attribution = match countries_name.filter(|_| with_neighbours) {
        Some(c) => format!("Outlines: {admin1_name}; neighbours: {c}."),
        None => format!("Outlines: {admin1_name}."),
    };
    t.push_str(&format!("attribution = {}\n", toml_str(&attribution)));
    t.push_str(&format!(
        "projection = {}\n",
        toml_str(&projection_for(bbox))
    ));
    t.push_str("\n[files]\n");
    t.push_str(&format!("regions = {}\n", toml_str(REGIONS)));
    if with_neighbours {
        t.push_str(&format!("neighbours = {}\n", toml_str(NEIGHBOURS)));
    }
    t.push_str(&format!("places = {}\n", toml_str(PLACES)));
    t.push_str(&format!("control = {}\n", toml_str(CONTROL)));
    t.push_str(&format!("events = {}\n", toml_str(EVENTS)));
    t.push_str(&format!("references = {}\n", toml_str(REFERENCES)));
    for (id, label, colour) in DEFAULT_FACTIONS {
        t.push_str(&format!(
            "\n[[factions]]\nid = {}\nlabel = {}\ncolour = {}\n",
            toml_str(id),
            toml_str(label),
            toml_str(colour)
        ));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::render::{render, RenderRequest};
    use crate::date::parse_date;

    fn square(props: &str, x: f64, y: f64, w: f64, h: f64) -> String {
        format!(
            "{{\"type\":\"Feature\",\"properties\":{props},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[[{x},{y}],[{x1},{y}],[{x1},{y1}],[{x},{y1}],[{x},{y}]]]}}}}",
            x1 = x + w,
            y1 = y + h
        )
    }

    /// Three Ruritanian provinces spanning 10..16 N and 20..26 E, one of Graustark, one point.
    fn admin1_text() -> String {
        let ru = |code: &str, name: &str| {
            format!("{{\"iso_3166_2\":\"RU-{code}\",\"iso_a2\":\"RU\",\"adm0_a3\":\"RUR\",\"admin\":\"Ruritania\",\"name\":\"{name}\",\"name_fr\":\"{name} FR\"}}")
        };
        let features = [
            square(&ru("N", "North"), 20.0, 13.0, 6.0, 3.0),
            square(&ru("SW", "South-West"), 20.0, 10.0, 3.0, 3.0),
            square(&ru("SE", "South-East"), 23.0, 10.0, 3.0, 3.0),
            square(
                "{\"iso_3166_2\":\"GK-A\",\"iso_a2\":\"GK\",\"adm0_a3\":\"GRK\",\"admin\":\"Graustark\",\"name\":\"Alpha\"}",
                26.0,
                10.0,
                3.0,
                3.0,
            ),
            "{\"type\":\"Feature\",\"properties\":{\"iso_3166_2\":\"RU-P\",\"iso_a2\":\"RU\",\"name\":\"Dot\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[21,11]}}".to_string(),
        ];
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}",
            features.join(",\n")
        )
    }

    fn admin0_text() -> String {
        let features = [
            square(
                "{\"ISO_A2\":\"RU\",\"ISO_A3\":\"RUR\",\"ADM0_A3\":\"RUR\",\"NAME\":\"Ruritania\"}",
                20.0,
                10.0,
                6.0,
                6.0,
            ),
            square(
                "{\"ISO_A2\":\"GK\",\"ISO_A3\":\"-99\",\"ADM0_A3\":\"GRK\",\"NAME\":\"Graustark\"}",
                26.0,
                10.0,
                3.0,
                3.0,
            ),
            square(
                "{\"ISO_A2\":\"FA\",\"ISO_A3\":\"FAR\",\"ADM0_A3\":\"FAR\",\"NAME\":\"Faraway\"}",
                100.0,
                -40.0,
                3.0,
                3.0,
            ),
        ];
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}",
            features.join(",\n")
        )
    }

    struct Fixture {
        tmp: tempfile::TempDir,
        admin1: PathBuf,
        admin0: PathBuf,
    }

    fn fixture() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let admin1 = tmp.path().join("admin1.geojson");
        let admin0 = tmp.path().join("admin0.geojson");
        std::fs::write(&admin1, admin1_text()).unwrap();
        std::fs::write(&admin0, admin0_text()).unwrap();
        Fixture {
            tmp,
            admin1,
            admin0,
        }
    }

    fn request(fx: &Fixture, country: &str) -> InitRequest {
        InitRequest {
            dir: fx.tmp.path().join("ruritania"),
            admin1: fx.admin1.clone(),
            country: country.into(),
            countries: Some(fx.admin0.clone()),
            ..Default::default()
        }
    }

    fn param(projection: &str, key: &str) -> f64 {
        projection
            .split_whitespace()
            .find_map(|p| p.strip_prefix(&format!("+{key}=")))
            .unwrap()
            .parse()
            .unwrap()
    }

    #[test]
    fn creates_a_dataset_that_validates_and_renders() {
        let fx = fixture();
        let req = request(&fx, "ru");
        let report = init(&req).unwrap();
        assert_eq!(report.regions, 3);
        assert_eq!(report.neighbours, 1);
        assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
        assert!(report.skipped[0].contains("Dot"), "{:?}", report.skipped);

        let source = Source::Dir(req.dir.clone());
        let (dataset, problems) = Dataset::check(&source).unwrap();
        assert_eq!(problems.error_count(), 0, "{:?}", problems.all());
        let dataset = dataset.unwrap();
        let m = &dataset.manifest;
        assert_eq!(m.name.as_deref(), Some("ru"));
        assert_eq!(m.title, "Ruritania conflict");
        assert_eq!(m.subtitle, "Territorial control");
        assert!(
            m.attribution.contains("admin1.geojson"),
            "{}",
            m.attribution
        );
        assert!(m.sequence.is_none());
        assert!(m.phases.is_empty());
        let ids: Vec<&str> = m.factions.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["government", "rebels", "islamist"]);
        assert_eq!(m.factions[1].label, "Rebels");
        assert_eq!(m.files.neighbours.as_deref(), Some(NEIGHBOURS));

        // Latitudes 10..16: parallels at 11 and 15, centre 13; longitudes 20..26: centre 23.
        assert!(m.projection.starts_with("+proj=aea "), "{}", m.projection);
        assert_eq!(param(&m.projection, "lat_1"), 11.0);
        assert_eq!(param(&m.projection, "lat_2"), 15.0);
        assert_eq!(param(&m.projection, "lat_0"), 13.0);
        assert_eq!(param(&m.projection, "lon_0"), 23.0);
        assert!(m.projection.ends_with("+datum=WGS84 +units=m +no_defs"));

        let region_ids: Vec<&str> = dataset.regions().map(|(_, r)| r.id.as_str()).collect();
        assert_eq!(region_ids, ["RU-N", "RU-SW", "RU-SE"]);
        assert_eq!(dataset.territories[0].names.fr.as_deref(), Some("North FR"));
        let neighbour_ids: Vec<&str> = dataset.neighbours.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(neighbour_ids, ["GRK"]);
        assert_eq!(dataset.neighbours[0].names.en, "Graustark");
        assert!(dataset.records.is_empty() && dataset.towns().next().is_none());
        assert_eq!(
            std::fs::read_to_string(req.dir.join(CONTROL)).unwrap(),
            CONTROL_HEADER
        );
        assert_eq!(m.files.references.as_deref(), Some(REFERENCES));
        assert!(dataset.references.is_empty());
        assert_eq!(
            std::fs::read_to_string(req.dir.join(REFERENCES)).unwrap(),
            REFERENCES_HEADER
        );

        let out = fx.tmp.path().join("x.png");
        let written = render(
            &dataset,
            &RenderRequest {
                date: Some(parse_date("2020-01-01").unwrap()),
                size: (800, 600),
                out: Some(crate::write::Output::Path(out.clone())),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(written[0], out);
        let png = std::fs::read(&out).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    }

    #[test]
    fn alpha3_names_and_custom_properties_select_the_country() {
        let fx = fixture();
        for country in ["RUR", "ruritania"] {
            let mut req = request(&fx, country);
            req.dir = fx.tmp.path().join(format!("d-{country}"));
            req.countries = None;
            let report = init(&req).unwrap();
            assert_eq!((report.regions, report.neighbours), (3, 0));
            assert!(!req.dir.join(NEIGHBOURS).exists());
        }
        let mut req = request(&fx, "RU");
        req.dir = fx.tmp.path().join("by-name");
        req.id_property = Some("name".into());
        req.name_property = Some("iso_3166_2".into());
        init(&req).unwrap();
        let d = Dataset::load(&Source::Dir(req.dir.clone())).unwrap();
        assert_eq!(d.territories[0].id, "North");
        assert_eq!(d.territories[0].names.en, "RU-N");
    }

    #[test]
    fn an_unknown_country_suggests_a_close_one() {
        let fx = fixture();
        let req = request(&fx, "RUX");
        let e = init(&req).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let msg = e.to_string();
        assert!(msg.starts_with("country:"), "{msg}");
        assert!(msg.contains("5 features"), "{msg}");
        assert!(msg.contains("did you mean 'RUR'?"), "{msg}");
        assert!(!msg.contains('\n'));
        assert!(!req.dir.exists());
    }

    #[test]
    fn a_non_empty_folder_is_refused() {
        let fx = fixture();
        let req = request(&fx, "RU");
        std::fs::create_dir(&req.dir).unwrap();
        std::fs::write(req.dir.join("keep.txt"), "x").unwrap();
        let e = init(&req).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("not empty"), "{e}");
        let names: Vec<_> = std::fs::read_dir(&req.dir).unwrap().collect();
        assert_eq!(names.len(), 1);
        // An empty folder is fine.
        std::fs::remove_file(req.dir.join("keep.txt")).unwrap();
        init(&req).unwrap();
    }

    #[test]
    fn bad_inputs_are_refused_without_creating_the_folder() {
        let fx = fixture();
        let mut req = request(&fx, "RU");
        req.admin1 = fx.tmp.path().join("missing.geojson");
        assert!(matches!(init(&req).unwrap_err(), Error::Io { .. }));
        let feature = fx.tmp.path().join("one.geojson");
        std::fs::write(&feature, "{\"type\":\"Feature\",\"properties\":{}}").unwrap();
        req.admin1 = feature;
        let e = init(&req).unwrap_err();
        assert!(e.to_string().contains("one.geojson"), "{e}");
        assert!(e.to_string().contains("FeatureCollection"), "{e}");
        assert!(!req.dir.exists());
    }

    #[test]
    fn a_plain_collection_with_iso_ids_works() {
        let fx = fixture();
        let mut req = request(&fx, "ML");
        req.admin1 = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/mali/regions.geojson");
        req.countries = None;
        let report = init(&req).unwrap();
        assert_eq!(report.regions, 9);
        let d = Dataset::load(&Source::Dir(req.dir.clone())).unwrap();
        assert_eq!(d.manifest.title, "ML conflict");
        assert!(d.territories.iter().any(|r| r.names.fr.is_some()));
    }

    #[test]
    fn helpers() {
        assert_eq!(slug("ML"), "ml");
        assert_eq!(slug("Côte d'Ivoire"), "c-te-d-ivoire");
        assert_eq!(degrees(-4.0), "-4");
        assert_eq!(degrees(12.345678), "12.3457");
        assert_eq!(degrees(-0.00001), "0");
        assert_eq!(toml_str("a\"b\\"), "\"a\\\"b\\\\\"");
    }
}
