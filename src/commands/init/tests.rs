//! `init` end to end on small synthetic admin files.

use super::manifest::{degrees, slug};
use super::*;
use crate::commands::render::{RenderRequest, render};
use crate::dataset::Dataset;
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
        format!(
            "{{\"iso_3166_2\":\"RU-{code}\",\"iso_a2\":\"RU\",\"adm0_a3\":\"RUR\",\"admin\":\"Ruritania\",\"name\":\"{name}\",\"name_fr\":\"{name} FR\"}}"
        )
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
    // Named on the map: a label point inside its outline (its file has no LABEL_X/LABEL_Y).
    let at = dataset.neighbours[0]
        .label_at
        .expect("init gives the neighbour a label point");
    assert!(
        (26.0..29.0).contains(&at.x) && (10.0..13.0).contains(&at.y),
        "{at:?}"
    );
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
}

/// An admin-1 file of one country's units, each a box (x, y, w, h), with the given country
/// properties.
fn admin1_of(country_props: &str, boxes: &[(f64, f64, f64, f64)]) -> String {
    let features: Vec<String> = boxes
        .iter()
        .enumerate()
        .map(|(k, &(x, y, w, h))| {
            square(
                &format!("{{\"iso_3166_2\":\"XX-{k}\",\"name\":\"Unit {k}\",{country_props}}}"),
                x,
                y,
                w,
                h,
            )
        })
        .collect();
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}",
        features.join(",\n")
    )
}

/// Runs `init` into `d-<slug of country>` (`-2`, `-3` … when taken).
fn init_from(tmp: &tempfile::TempDir, admin1: &str, country: &str) -> Result<InitReport> {
    let path = tmp.path().join("admin1.geojson");
    std::fs::write(&path, admin1).unwrap();
    let base = format!("d-{}", slug(country));
    let dir = (1..)
        .map(|k| match k {
            1 => tmp.path().join(&base),
            k => tmp.path().join(format!("{base}-{k}")),
        })
        .find(|d| !d.exists())
        .unwrap();
    init(&InitRequest {
        dir,
        admin1: path,
        country: country.into(),
        ..Default::default()
    })
}

#[test]
fn a_country_is_found_by_its_name_without_case_or_accents() {
    let tmp = tempfile::tempdir().unwrap();
    let text = admin1_of(
        "\"iso_a2\":\"CI\",\"adm0_a3\":\"CIV\",\"admin\":\"Côte d'Ivoire\"",
        &[(-8.0, 5.0, 2.0, 2.0), (-6.0, 5.0, 2.0, 2.0)],
    );
    for name in ["Côte d'Ivoire", "cote d'ivoire", "COTE D’IVOIRE"] {
        let report = init_from(&tmp, &text, name).unwrap();
        assert_eq!(report.regions, 2, "{name}");
    }
    // A misspelt name is answered with the nearest name, accents and all.
    let e = init_from(&tmp, &text, "cote d'ivoir").unwrap_err();
    assert!(
        e.to_string().contains("did you mean 'Côte d'Ivoire'?"),
        "{e}"
    );
}

#[test]
fn a_country_across_the_antimeridian_gets_a_projection_centred_on_it() {
    let tmp = tempfile::tempdir().unwrap();
    // Fiji: islands either side of 180°.
    let fiji = admin1_of(
        "\"iso_a2\":\"FJ\",\"adm0_a3\":\"FJI\",\"admin\":\"Fiji\"",
        &[(177.0, -19.0, 3.0, 3.0), (-180.0, -18.0, 2.0, 2.0)],
    );
    init_from(&tmp, &fiji, "FJ").unwrap();
    let d = Dataset::load(&Source::Dir(tmp.path().join("d-fj"))).unwrap();
    assert_eq!(param(&d.manifest.projection, "lon_0"), 179.5);
    // Russia: from 30°E round to 170°W.
    let russia = admin1_of(
        "\"iso_a2\":\"RU\",\"adm0_a3\":\"RUS\",\"admin\":\"Russia\"",
        &[(30.0, 45.0, 150.0, 30.0), (-180.0, 60.0, 10.0, 10.0)],
    );
    init_from(&tmp, &russia, "Russia").unwrap();
    let d = Dataset::load(&Source::Dir(tmp.path().join("d-russia"))).unwrap();
    assert_eq!(param(&d.manifest.projection, "lon_0"), 110.0);
    // Both sides of Fiji lie next to each other on the map, not at either edge of the world.
    let fiji_data = Dataset::load(&Source::Dir(tmp.path().join("d-fj"))).unwrap();
    let p = crate::project::Projection::new(&fiji_data.manifest.projection).unwrap();
    let (a, b) = (
        p.forward(178.0, -17.5).unwrap(),
        p.forward(-179.0, -17.0).unwrap(),
    );
    assert!((a.x - b.x).abs() < 500_000.0, "{a:?} {b:?}");
    let out = tmp.path().join("fiji.svg");
    render(
        &fiji_data,
        &RenderRequest {
            date: Some(parse_date("2020-01-01").unwrap()),
            size: (800, 600),
            out: Some(crate::write::Output::Path(out.clone())),
            ..Default::default()
        },
    )
    .unwrap();
}

#[test]
fn the_manifest_is_serialized_toml_under_a_header_a_user_can_follow() {
    let fx = fixture();
    let req = request(&fx, "RU");
    init(&req).unwrap();
    let text = std::fs::read_to_string(req.dir.join(MANIFEST)).unwrap();
    assert!(
        text.starts_with("# A controlmap dataset made by `controlmap init`"),
        "{text}"
    );
    assert!(text.contains("control.csv"), "{text}");
    let value: toml::Value = toml::from_str(&text).unwrap();
    assert_eq!(value["files"]["neighbours"].as_str(), Some(NEIGHBOURS));
    assert_eq!(value["factions"].as_array().unwrap().len(), 3);
    assert_eq!(value["title"].as_str(), Some("Ruritania conflict"));
}

#[test]
fn a_country_across_the_equator_gets_an_azimuthal_view() {
    let tmp = tempfile::tempdir().unwrap();
    let text = admin1_of(
        "\"iso_a2\":\"KE\",\"adm0_a3\":\"KEN\",\"admin\":\"Kenya\"",
        &[(34.0, -4.0, 3.0, 4.0), (37.0, 0.0, 4.0, 4.0)],
    );
    init_from(&tmp, &text, "KE").unwrap();
    let d = Dataset::load(&Source::Dir(tmp.path().join("d-ke"))).unwrap();
    assert!(
        d.manifest.projection.starts_with("+proj=laea "),
        "{}",
        d.manifest.projection
    );
    assert_eq!(param(&d.manifest.projection, "lon_0"), 37.5);
}
