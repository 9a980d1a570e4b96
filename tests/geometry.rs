//! Issue 12.7 (part): a vanishing polygon (1e-12 degrees) never panics in render, frames or
//! the change map, whether it sits beside normal regions or every region vanishes.

mod common;

use common::*;

fn shrink(dir: &std::path::Path, all: bool) {
    let p = dir.join("regions.geojson");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    let features = v["features"].as_array_mut().unwrap();
    let n = if all { features.len() } else { 1 };
    for (i, f) in features.iter_mut().take(n).enumerate() {
        let (x, y, e) = (21.0 + i as f64 * 1e-11, 46.5, 1e-12);
        f["geometry"] = serde_json::json!({"type": "Polygon", "coordinates":
            [[[x, y], [x + e, y], [x + e, y + e], [x, y + e], [x, y]]]});
    }
    std::fs::write(&p, v.to_string()).unwrap();
}

#[test]
fn a_vanishing_polygon_never_panics() {
    for all in [false, true] {
        let d = copy_dataset(&ruritania());
        shrink(d.path(), all);
        let data = d.path().to_str().unwrap();
        let out = tempfile::tempdir().unwrap();
        for args in [
            &[
                "render",
                "--dataset",
                data,
                "--date",
                "2020-03-15",
                "--size",
                "400x300",
                "--out",
                "m.png",
            ][..],
            &[
                "render",
                "--dataset",
                data,
                "--date",
                "2020-03-15",
                "--size",
                "400x300",
                "--out",
                "m.svg",
            ][..],
            &[
                "frames",
                "--dataset",
                data,
                "--size",
                "400x300",
                "--out",
                "f",
                "--gif",
                "g.gif",
            ][..],
            &[
                "diff",
                "--dataset",
                data,
                "--from",
                "2020-01-01",
                "--to",
                "2020-03-15",
                "--map",
                "d.png",
            ][..],
        ] {
            let o = run_in(out.path(), args);
            // Refused with a message or drawn; never a panic (exit 101).
            assert!(
                matches!(o.status.code(), Some(0 | 2)),
                "all={all} {args:?}: {}",
                stderr(&o)
            );
            assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        }
    }
}
