//! Issue 12.8 (and 9.4): messages that help. clap's whole error survives, bad values name their
//! flag, a library usage error is named by its flag through the CLI's mapping.

mod common;

use common::*;

fn refused(args: &[&str], needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    for n in needles {
        assert!(
            stderr(&o).contains(n),
            "{args:?} lacks {n:?}: {}",
            stderr(&o)
        );
    }
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "{args:?} wrote a file"
    );
}

#[test]
fn a_missing_required_flag_is_named() {
    refused(&["diff", "--from", "2012-01-01"], &["not provided", "--to"]);
}

/// `--hold` holds phase shots; without `--phases` it would do nothing, so it is refused rather
/// than silently dropped.
#[test]
fn hold_without_phases_is_refused() {
    refused(
        &["frames", "--hold", "5", "--out", "f"],
        &["not provided", "--phases"],
    );
}

#[test]
fn allowed_values_and_suggestions_survive() {
    refused(
        &["render", "--lang", "de"],
        &["possible values", "en", "fr"],
    );
    refused(&["render", "--sise", "1x1"], &["--size"]);
}

#[test]
fn negative_numbers_name_their_flag() {
    refused(&["render", "--size", "-1x5"], &["--size", "-1x5"]);
    refused(&["frames", "--hold", "-1"], &["--hold"]);
    refused(&["frames", "--transition", "-3"], &["--transition"]);
}

#[test]
fn a_missing_dataset_folder_exits_2_naming_dataset() {
    refused(
        &[
            "state",
            "--date",
            "2012-07-15",
            "--dataset",
            "no-such-folder",
        ],
        &["--dataset", "no-such-folder"],
    );
    refused(&["validate", "--dataset", "no-such-folder"], &["--dataset"]);
}

#[test]
fn a_bad_change_map_name_names_map() {
    refused(
        &[
            "diff",
            "--from",
            "2012-01-01",
            "--to",
            "2012-07-15",
            "--map",
            "x.gif",
        ],
        &["--map", ".gif"],
    );
}

#[test]
fn library_usage_errors_are_named_by_their_flag() {
    refused(
        &[
            "frames",
            "--from",
            "2013-01-01",
            "--to",
            "2012-01-01",
            "--gif",
            "none",
        ],
        &["--from: 2013-01-01 is after the end date 2012-01-01"],
    );
    refused(
        &["render", "--phase", "north-lsot"],
        &["--phase: unknown phase 'north-lsot'"],
    );
}

fn small_dataset(n: usize, records: &str) -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let features: Vec<String> = (0..n)
        .map(|i| {
            let x = i as f64;
            format!(
                r#"{{"type":"Feature","properties":{{"id":"R-{i}","name":"Region {i}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},0],[{},0],[{},1],[{x},1],[{x},0]]]}}}}"#,
                x + 0.9,
                x + 0.9
            )
        })
        .collect();
    std::fs::write(
        data.path().join("regions.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    std::fs::write(
        data.path().join("control.csv"),
        format!("date,target,controller,parties,confidence,source,note\n{records}"),
    )
    .unwrap();
    std::fs::write(
        data.path().join("dataset.toml"),
        "title = \"Small\"\nprojection = \"+proj=merc +lon_0=0 +datum=WGS84 +units=m +no_defs\"\n\n[files]\nregions = \"regions.geojson\"\ncontrol = \"control.csv\"\n\n[[factions]]\nid = \"gov\"\nlabel = \"Government\"\ncolour = \"#0072B2\"\n\n[[factions]]\nid = \"rebels\"\nlabel = \"Rebels\"\ncolour = \"#E69F00\"\n",
    )
    .unwrap();
    data
}

#[test]
fn targets_without_records_are_summarised_unless_verbose() {
    let d = small_dataset(
        10,
        "2012-01-01,R-0,gov,,confirmed,src,\n2012-01-01,R-1,rebels,,confirmed,src,\n",
    );
    let o = run_in(d.path(), &["validate", "--dataset", "."]);
    assert!(o.status.success(), "{}", stdout(&o));
    let text = stdout(&o);
    let summary: Vec<&str> = text.lines().filter(|l| l.contains("never get")).collect();
    assert_eq!(summary.len(), 1, "{}", stdout(&o));
    assert!(summary[0].contains("8 targets"), "{}", summary[0]);
    let o = run_in(d.path(), &["validate", "--verbose", "--dataset", "."]);
    let each = stdout(&o)
        .lines()
        .filter(|l| l.contains("never gets"))
        .count();
    assert_eq!(each, 8, "{}", stdout(&o));
}

#[test]
fn one_row_with_several_problems_reports_all_of_them() {
    let d = small_dataset(
        2,
        "2012-02-30,R-9,goverment,,sure,,\n2012-01-01,R-0,gov,,confirmed,src,\n2012-01-01,R-1,gov,,confirmed,src,\n",
    );
    let o = run_in(d.path(), &["validate", "--dataset", "."]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let on_line_2: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("control.csv:2:"))
        .collect();
    assert_eq!(on_line_2.len(), 5, "{out}");
    assert!(
        out.contains("the dataset's factions are gov, rebels"),
        "{out}"
    );
}

/// A print map's default size comes from `--dpi`: a resolution that makes it too small to read
/// or too large to draw is refused naming `--dpi`, with nothing written.
#[test]
fn a_print_resolution_out_of_range_names_dpi() {
    refused(
        &[
            "render", "--layout", "print", "--dpi", "20", "--out", "m.png",
        ],
        &["--dpi", "too small"],
    );
    refused(
        &[
            "render", "--layout", "print", "--dpi", "9000", "--out", "m.png",
        ],
        &["--dpi", "16384"],
    );
    refused(&["render", "--layout", "poster"], &["--layout", "mobile"]);
}

/// One line, exit 0, and an image of the layout's own size when no `--size` is given.
#[test]
fn a_layout_sets_the_default_size_and_the_print_resolution() {
    let dir = tempfile::tempdir().unwrap();
    for (layout, size, dpi) in [("mobile", (750, 1125), 144), ("print", (2008, 1506), 300)] {
        let out = format!("{layout}.png");
        let o = run_in(
            dir.path(),
            &[
                "render",
                "--date",
                "2013-01-27",
                "--layout",
                layout,
                "--out",
                &out,
                "-q",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let (w, h, _) = decode_png(&dir.path().join(&out));
        assert_eq!((w, h), size, "{layout}");
        let bytes = std::fs::read(dir.path().join(&out)).unwrap();
        let at = bytes.windows(4).position(|w| w == b"pHYs").unwrap() + 4;
        let ppm = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
        assert_eq!(ppm, (f64::from(dpi) / 0.0254).round() as u32, "{layout}");
    }
}
