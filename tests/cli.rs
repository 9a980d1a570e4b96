//! The binary end to end: successful runs, and bad flags refused in one line with exit code 2.

mod common;

use common::*;

#[test]
fn render_a_date_writes_the_map_and_its_alt_text() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "render",
            "--date",
            "2012-07-15",
            "--out",
            "m.png",
            "--size",
            "800x600",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (w, h, _) = decode_png(&dir.path().join("m.png"));
    assert_eq!((w, h), (800, 600));
    let alt = std::fs::read_to_string(dir.path().join("m.alt.txt")).unwrap();
    assert!(alt.contains("Tombouctou, Gao and Kidal"), "{alt}");
}

#[test]
fn render_without_date_writes_every_phase_as_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "render",
            "--dataset",
            ruritania().to_str().unwrap(),
            "--size",
            "400x300",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for phase in ["peace", "uprising", "siege"] {
        for ext in ["png", "svg"] {
            assert!(
                dir.path().join(format!("output/{phase}.{ext}")).is_file(),
                "{phase}.{ext}"
            );
        }
    }
}

#[test]
fn phases_lists_every_phase_with_its_date() {
    let o = run_in(&root(), &["phases"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 9, "{text}");
    assert!(text.contains("islamist-takeover  2012-07-15"), "{text}");
}

fn refused(args: &[&str], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "{args:?} wrote a file"
    );
}

#[test]
fn bad_flags_are_refused_in_one_line() {
    refused(
        &["render", "--date", "2012-02-30", "--out", "x.png"],
        "--date",
    );
    refused(
        &["render", "--date", "2012-02-30", "--out", "x.png"],
        "not a real calendar day",
    );
    refused(
        &["render", "--phase", "north-lsot", "--out", "x.png"],
        "did you mean 'north-lost'?",
    );
    refused(
        &[
            "render",
            "--date",
            "2012-07-15",
            "--size",
            "0x600",
            "--out",
            "x.png",
        ],
        "zero side",
    );
    refused(
        &[
            "render",
            "--date",
            "2012-07-15",
            "--size",
            "20000x600",
            "--out",
            "x.png",
        ],
        "over 16384",
    );
    refused(
        &[
            "render",
            "--date",
            "2012-07-15",
            "--out",
            "x.png",
            "--format",
            "svg",
        ],
        "disagrees",
    );
    refused(
        &[
            "frames",
            "--from",
            "2013-01-01",
            "--to",
            "2012-01-01",
            "--out",
            ".",
        ],
        "--from: 2013-01-01 is after the end date 2012-01-01",
    );
    refused(&["frames", "--step", "0d", "--out", "."], "zero step");
    refused(
        &["frames", "--phases", "--from", "2012-01-01", "--out", "."],
        "--phases: phase shots cannot be combined",
    );
    refused(
        &[
            "frames",
            "--from",
            "1900-01-01",
            "--to",
            "2200-01-01",
            "--step",
            "1d",
            "--out",
            ".",
        ],
        "more than 100000 frames",
    );
    refused(
        &["frames", "--size", "70000x100", "--out", "."],
        "over 16384",
    );
}

#[test]
fn mp4_without_ffmpeg_names_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let o = bin()
        .current_dir(dir.path())
        .env("PATH", "/nonexistent")
        .args(["frames", "--mp4", "a.mp4", "--out", ".", "--gif", "none"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("install the ffmpeg package"),
        "{}",
        stderr(&o)
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn french_labels() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "render",
            "--date",
            "2012-07-15",
            "--lang",
            "fr",
            "--out",
            "m.svg",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = std::fs::read_to_string(dir.path().join("m.svg")).unwrap();
    assert!(
        svg.contains(">Tombouctou<"),
        "the town is Tombouctou in French"
    );
    assert!(svg.contains("Au 15 juillet 2012"));
}

#[test]
fn the_same_inputs_give_byte_identical_maps() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.png", "b.png", "a.svg", "b.svg"] {
        let o = run_in(
            dir.path(),
            &[
                "render",
                "--phase",
                "north-retaken",
                "--size",
                "800x600",
                "--out",
                name,
            ],
        );
        assert!(o.status.success());
    }
    let read = |n: &str| std::fs::read(dir.path().join(n)).unwrap();
    assert_eq!(read("a.png"), read("b.png"));
    assert_eq!(read("a.svg"), read("b.svg"));
}

#[test]
fn validate_lists_every_problem_at_once() {
    let data = copy_dataset(&ruritania());
    let control = std::fs::read_to_string(data.path().join("control.csv")).unwrap();
    let broken = control
        .replace("2020-02-01,RU-SE,rebels", "2020-02-01,RU-SE,rebel")
        .replace("2020-02-10,tarlenheim", "2020-02-31,tarlenheim")
        .replace(
            "2020-03-01,RU-N,contested,crown|rebels,approximate,invented",
            "2020-03-01,RU-N,contested,crown|rebels,approximate,",
        )
        + "2020-03-05,RU-SW,crown,,confirmed,invented,already the crown's\n";
    std::fs::write(data.path().join("control.csv"), broken).unwrap();
    let dir = data.path().display().to_string();
    let o = run_in(data.path(), &["validate", "--dataset", &dir]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    let expected = [
        format!(
            "{dir}/control.csv:7: unknown controller 'rebel' (did you mean 'rebels'?); the dataset's factions are crown, rebels, contested, unknown"
        ),
        format!("{dir}/control.csv:9: '2020-02-31' is not a real calendar day"),
        format!("{dir}/control.csv:10: the record for 'RU-N' on 2020-03-01 has no source"),
        format!(
            "{dir}/control.csv:11: warning: repeats the controller already in force for RU-SW since line 3"
        ),
        "3 error(s), 1 warning(s)".to_string(),
    ];
    for line in &expected {
        assert!(
            out.lines().any(|l| l == line),
            "missing {line:?} in:\n{out}"
        );
    }
    assert!(stderr(&o).contains("3 error(s)"), "{}", stderr(&o));
}

#[test]
fn validate_lists_problems_in_the_order_of_the_files_and_their_features() {
    // Regions, neighbours and rivers are read on different threads: their problems must still
    // come out file by file, in the order they were once read one after another, and feature
    // by feature within a file.
    let data = copy_dataset(&ruritania());
    copy_into(&root().join("tests/broken/river-not-a-line"), data.path());
    std::fs::remove_file(data.path().join("expected")).unwrap();
    let regions = std::fs::read_to_string(data.path().join("regions.geojson")).unwrap();
    let regions = regions
        .replace(
            r#""id": "RU-SW", "properties": {"id": "RU-SW", "#,
            r#""properties": {"#,
        )
        .replace(
            r#""id": "RU-SE", "properties": {"id": "RU-SE""#,
            r#""id": "RU-N", "properties": {"id": "RU-N""#,
        );
    std::fs::write(data.path().join("regions.geojson"), regions).unwrap();
    let neighbours = std::fs::read_to_string(data.path().join("neighbours.geojson")).unwrap();
    let bow_tie = "[[[18.0, 43.5], [26.0, 45.0], [26.0, 43.5], [18.0, 45.0], [18.0, 43.5]]]";
    let neighbours = neighbours.replace(
        "[[[18.0, 43.5], [26.0, 43.5], [26.0, 45.0], [18.0, 45.0], [18.0, 43.5]]]",
        bow_tie,
    );
    assert!(neighbours.contains(bow_tie));
    std::fs::write(data.path().join("neighbours.geojson"), neighbours).unwrap();
    // The places, records and events are read on the regions' thread, after the regions and
    // while the neighbours are: their problems still come after the rivers'.
    for (file, line) in [
        ("places.csv", "castle,Castle,,95.0,21.0,town"),
        (
            "control.csv",
            "2020-01-01,RU-NOWHERE,crown,,confirmed,invented,",
        ),
        ("events.csv", "2020-13-01,Bad date,invented"),
    ] {
        let mut text = std::fs::read_to_string(data.path().join(file)).unwrap();
        text.push_str(line);
        text.push('\n');
        std::fs::write(data.path().join(file), text).unwrap();
    }
    let dir = data.path().display().to_string();
    let o = run_in(data.path(), &["validate", "--dataset", &dir]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    let expected = [
        format!("{dir}/regions.geojson:4: feature 2 has no id (property 'id')"),
        format!("{dir}/regions.geojson:6: feature id 'RU-N' is used twice"),
        format!(
            "{dir}/neighbours.geojson:2: warning: feature 'GRS' is not a valid polygon: exterior ring has a self-intersection"
        ),
        format!(
            "{dir}/rivers.geojson:3: river 'tisza' is a Polygon but must be a LineString or MultiLineString"
        ),
        format!(
            "{dir}/places.csv:5: place 'castle': lat '95.0' / lon '21.0' are not coordinates in degrees"
        ),
        format!("{dir}/control.csv:11: unknown target 'RU-NOWHERE': not a region or place id"),
        format!("{dir}/events.csv:4: '2020-13-01' is not a real calendar day"),
    ];
    let at = |line: &String| {
        out.lines()
            .position(|l| l == line)
            .unwrap_or_else(|| panic!("missing {line:?} in:\n{out}"))
    };
    let positions: Vec<usize> = expected.iter().map(at).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "out of order ({positions:?}):\n{out}"
    );
}

#[test]
fn an_outline_file_without_regions_is_named_even_after_other_errors() {
    // A manifest error and a bad place around an empty regions file: the regions file's own
    // error is listed, and the records naming regions are not each called unknown.
    let data = copy_dataset(&ruritania());
    let path = data.path();
    let mut manifest = std::fs::read_to_string(path.join("dataset.toml")).unwrap();
    manifest.push_str(
        "\n[[factions]]\nid = \"crown\"\nlabel = \"Crown again\"\ncolour = \"#0072B2\"\n",
    );
    std::fs::write(path.join("dataset.toml"), manifest).unwrap();
    std::fs::write(
        path.join("regions.geojson"),
        r#"{"type":"FeatureCollection","features":[]}"#,
    )
    .unwrap();
    let mut places = std::fs::read_to_string(path.join("places.csv")).unwrap();
    places.push_str("castle,Castle,,95.0,21.0,town\n");
    std::fs::write(path.join("places.csv"), places).unwrap();
    let dir = path.display().to_string();
    let o = run_in(path, &["validate", "--dataset", &dir]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    for line in [
        format!("{dir}/dataset.toml:"),
        format!("{dir}/regions.geojson: no regions: the file has no features"),
        format!("{dir}/places.csv:5:"),
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(&line)),
            "missing {line:?} in:\n{out}"
        );
    }
    assert!(!out.contains("unknown target"), "{out}");
    assert!(out.contains("3 error(s)"), "{out}");
}

#[test]
fn validate_passes_the_shipped_datasets() {
    for ds in [None, Some(ruritania())] {
        let mut args = vec!["validate".to_string()];
        if let Some(d) = &ds {
            args.extend(["--dataset".to_string(), d.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run_in(&root(), &args);
        assert!(o.status.success(), "{}", stdout(&o));
        assert!(
            stdout(&o).ends_with("0 error(s), 0 warning(s)\n"),
            "{}",
            stdout(&o)
        );
    }
}

#[test]
fn init_then_validate_then_render_for_another_country() {
    let dir = tempfile::tempdir().unwrap();
    // A small admin-1 file: two units of "Ruritania" (RU) and one of a neighbour.
    let square = |x: f64, y: f64| {
        format!(
            "[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]",
            x + 2.0,
            x + 2.0,
            y + 2.0,
            y + 2.0
        )
    };
    let admin1 = format!(
        r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","properties":{{"iso_3166_2":"RU-A","name":"Alpha","iso_a2":"RU","admin":"Ruritania"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
{{"type":"Feature","properties":{{"iso_3166_2":"RU-B","name":"Beta","iso_a2":"RU","admin":"Ruritania"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
{{"type":"Feature","properties":{{"iso_3166_2":"GR-A","name":"Gamma","iso_a2":"GR","admin":"Graustark"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}
]}}"#,
        square(20.0, 44.0),
        square(22.0, 44.0),
        square(24.0, 44.0)
    );
    std::fs::write(dir.path().join("admin1.geojson"), admin1).unwrap();
    let o = run_in(
        dir.path(),
        &[
            "init",
            "rur",
            "--admin1",
            "admin1.geojson",
            "--country",
            "RU",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_in(dir.path(), &["validate", "--dataset", "rur"]);
    assert!(o.status.success(), "{}", stdout(&o));
    std::fs::write(
        dir.path().join("rur/control.csv"),
        "date,target,controller,parties,confidence,source,note\n2020-01-01,RU-A,government,,confirmed,test,\n2020-01-01,RU-B,rebels,,confirmed,test,\n",
    )
    .unwrap();
    let render = |dir: &std::path::Path| {
        run_in(
            dir,
            &[
                "render",
                "--dataset",
                "rur",
                "--date",
                "2020-06-01",
                "--out",
                "rur.png",
                "--size",
                "800x600",
            ],
        )
    };
    // init wrote an empty references table: a source must name one of its references.
    let o = render(dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("rur/control.csv:2: unknown reference 'test'"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        dir.path().join("rur/references.csv"),
        "id,author,publisher,title,date,url,archive_url,language,accessed,note\ntest,,Test Gazette,A test report,2020-06,https://example.org/report,,en,,\n",
    )
    .unwrap();
    let o = render(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(decode_png(&dir.path().join("rur.png")).0, 800);
    let o = run_in(
        dir.path(),
        &[
            "state",
            "--dataset",
            "rur",
            "--date",
            "2020-06-01",
            "--format",
            "csv",
        ],
    );
    assert!(
        stdout(&o).contains("region,RU-B,Beta,rebels,"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn an_unreadable_outline_file_is_one_error_not_one_per_record() {
    let data = copy_dataset(&ruritania());
    std::fs::copy(
        root().join("tests/broken/invalid-json/regions.geojson"),
        data.path().join("regions.geojson"),
    )
    .unwrap();
    let dir = data.path().display().to_string();
    let o = run_in(data.path(), &["validate", "--dataset", &dir]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!("{dir}/regions.geojson:4: not valid GeoJSON")),
        "{out}"
    );
    assert!(out.contains("\n1 error(s)"), "{out}");
}

#[test]
fn render_into_an_existing_folder_uses_the_default_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("maps")).unwrap();
    let o = run_in(
        dir.path(),
        &[
            "render",
            "--phase",
            "north-lost",
            "--out",
            "maps",
            "--size",
            "640x480",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("maps/north-lost.png").is_file());
    assert!(dir.path().join("maps/north-lost.alt.txt").is_file());
}
