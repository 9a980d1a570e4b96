//! The analysts' exports opened by the tool analysts open them with: GDAL (`ogrinfo`, the
//! library under QGIS) reads the state and history GeoJSON with the documented fields and
//! types (QGIS's Temporal Controller wants `valid_from`/`valid_to` as dates), and its CSV driver
//! reads every CSV export with one record per data row and the header's columns.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// `ogrinfo` when installed; CI must have it (`.ci/run` installs gdal-bin).
fn ogrinfo() -> Option<&'static str> {
    let found = Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("ogrinfo");
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but ogrinfo is missing: .ci/run installs gdal-bin"
    );
    eprintln!("ogrinfo not found: GDAL checks skipped");
    None
}

/// `ogrinfo -so -al` of a file: its summary (feature count, fields and their types).
fn summary(ogr: &str, path: &Path) -> String {
    let o = Command::new(ogr)
        .args(["-ro", "-so", "-al"])
        .arg(path)
        .output()
        .expect("ogrinfo runs");
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        o.status.success() && !text.contains("FAILURE"),
        "GDAL cannot open {}: {}",
        path.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    text
}

fn count(summary: &str) -> usize {
    summary
        .lines()
        .find_map(|l| l.strip_prefix("Feature Count: "))
        .expect("a feature count")
        .trim()
        .parse()
        .unwrap()
}

/// Runs the binary in `dir` and writes its standard output to `name`.
fn export(dir: &Path, name: &str, args: &[&str]) -> std::path::PathBuf {
    let o = run_in(dir, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    let path = dir.join(name);
    std::fs::write(&path, &o.stdout).unwrap();
    path
}

#[test]
fn gdal_reads_the_state_geojson_with_its_fields() {
    let Some(ogr) = ogrinfo() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = export(
        dir.path(),
        "state.geojson",
        &["state", "--date", "2013-01-27", "--format", "geojson"],
    );
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let features = json["features"].as_array().unwrap().len();
    let s = summary(ogr, &path);
    assert_eq!(count(&s), features, "{s}");
    for field in [
        "territory: String",
        "kind: String",
        "controller: String",
        "label: String",
        "colour: String",
        "since: Date",
        "confidence: String",
        "area_km2: Real",
        "lat: Real",
        "lon: Real",
    ] {
        assert!(s.contains(field), "no '{field}' in GDAL's reading:\n{s}");
    }
    assert!(s.contains("EPSG\",4326"), "WGS 84 longitude/latitude: {s}");
}

#[test]
fn gdal_reads_the_history_with_dated_intervals() {
    let Some(ogr) = ogrinfo() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = export(
        dir.path(),
        "history.geojson",
        &["history", "--format", "geojson"],
    );
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let s = summary(ogr, &path);
    assert_eq!(count(&s), json["features"].as_array().unwrap().len(), "{s}");
    // Dates, not strings: what the Temporal Controller's "single field with date" reads.
    assert!(s.contains("valid_from: Date"), "{s}");
    assert!(s.contains("valid_to: Date"), "{s}");
    assert!(s.contains("Geometry: Multi Polygon"), "{s}");
}

#[test]
fn gdal_reads_every_csv_export_row_for_row() {
    let Some(ogr) = ogrinfo() else { return };
    let dir = tempfile::tempdir().unwrap();
    let exports: [(&str, &[&str]); 5] = [
        (
            "state.csv",
            &["state", "--date", "2014-06-01", "--format", "csv"],
        ),
        (
            "diff.csv",
            &[
                "diff",
                "--from",
                "2012-01-01",
                "--to",
                "2013-02-15",
                "--format",
                "csv",
            ],
        ),
        ("history.csv", &["history", "--format", "csv"]),
        ("wide.csv", &["history", "--format", "wide-csv"]),
        ("shares.csv", &["timeline", "--out", "-"]),
    ];
    for (name, args) in exports {
        let path = export(dir.path(), name, args);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().unwrap().clone();
        let rows = reader.records().count();
        let s = summary(ogr, &path);
        assert_eq!(count(&s), rows, "{name}: {s}");
        for column in header.iter().filter(|c| !c.is_empty()) {
            assert!(
                s.lines().any(|l| l.starts_with(&format!("{column}: "))),
                "{name}: GDAL lost the column '{column}':\n{s}"
            );
        }
    }
}

/// The map's SVG as Inkscape draws it matches the PNG of the same scene: Inkscape is where an
/// editor retouches the map. Tolerance as for Chromium: mean difference under 4 levels and at
/// least 97 % of pixels within 48 (text 30 % too large fails it; a few region names in the
/// wrong case do not, which `svg::tests::capitals_are_written_as_drawn_and_the_name_kept`
/// guards).
#[test]
fn inkscape_draws_the_svg_as_the_png() {
    let found = Command::new("inkscape")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but inkscape is missing: .ci/run installs it"
        );
        eprintln!("inkscape not found: check skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for ext in ["svg", "png"] {
        let o = run_in(
            dir.path(),
            &[
                "render",
                "--date",
                "2013-01-27",
                "--size",
                "800x600",
                "--out",
                &format!("map.{ext}"),
                "-q",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = Command::new("inkscape")
        .arg(dir.path().join("map.svg"))
        .args(["--export-type=png", "--export-filename"])
        .arg(dir.path().join("inkscape.png"))
        .env("HOME", dir.path())
        .output()
        .expect("inkscape runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (w, h, ours) = decode_png(&dir.path().join("map.png"));
    let (iw, ih, theirs) = decode_png(&dir.path().join("inkscape.png"));
    assert_eq!((iw, ih), (w, h));
    let channels = |p: &[u8]| p.len() / (w * h) as usize;
    let (ca, cb) = (channels(&ours), channels(&theirs));
    let (mut total, mut close) = (0u64, 0usize);
    for k in 0..(w * h) as usize {
        let d = (0..3)
            .map(|c| (i32::from(ours[k * ca + c]) - i32::from(theirs[k * cb + c])).unsigned_abs())
            .max()
            .unwrap();
        total += u64::from(d);
        close += usize::from(d <= 48);
    }
    let n = (w * h) as f64;
    let mean = total as f64 / n;
    assert!(mean < 4.0, "mean difference {mean:.2}");
    assert!(close as f64 / n > 0.97, "{:.4} within 48", close as f64 / n);
}
