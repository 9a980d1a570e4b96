//! Issue 12.5: text that cannot break a file. Control characters and non-characters are
//! refused by validate with file and line; CSV cells cannot start a spreadsheet formula; no
//! negative zero is printed.

mod common;

use common::*;

fn edit(dir: &std::path::Path, file: &str, f: impl FnOnce(String) -> String) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, f(text)).unwrap();
}

fn validate(dir: &std::path::Path) -> (Option<i32>, String) {
    let o = run_in(dir, &["validate", "--dataset", dir.to_str().unwrap()]);
    (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
}

#[test]
fn a_control_character_in_a_region_name_is_refused_at_its_line() {
    let d = copy_dataset(&ruritania());
    edit(d.path(), "regions.geojson", |t| {
        t.replacen("\"Northmark\"", "\"North\\u0007mark\"", 1)
    });
    let (code, out) = validate(d.path());
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("regions.geojson:2: feature 'RU-N'"), "{out}");
    assert!(out.contains("U+0007"), "{out}");
}

#[test]
fn a_control_character_or_non_character_in_csv_or_manifest_is_refused() {
    let d = copy_dataset(&ruritania());
    edit(d.path(), "control.csv", |t| {
        t.replacen("all quiet", "all\u{1b}[31m quiet", 1)
    });
    edit(d.path(), "events.csv", |t| {
        t.replacen("Black Michael", "Black\u{FFFE} Michael", 1)
    });
    edit(d.path(), "dataset.toml", |t| {
        t.replacen(
            "title = \"Siege of Zenda\"",
            "title = \"Siege\\u0000 of Zenda\"",
            1,
        )
    });
    let (code, out) = validate(d.path());
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("control.csv:2: the character U+001B"), "{out}");
    assert!(out.contains("events.csv:2: the character U+FFFE"), "{out}");
    assert!(out.contains("U+0000"), "{out}");
}

#[test]
fn csv_cells_cannot_start_a_formula() {
    let d = copy_dataset(&ruritania());
    edit(d.path(), "regions.geojson", |t| {
        t.replacen("\"Northmark\"", "\"=HYPERLINK(\\\"http://x\\\")\"", 1)
    });
    let o = run_in(
        d.path(),
        &[
            "state",
            "--date",
            "2020-02-15",
            "--format",
            "csv",
            "--dataset",
            ".",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("\"'=HYPERLINK("), "{text}");
    assert!(
        !text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"),
        "{text}"
    );
}

#[test]
fn no_negative_zero_in_any_number() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["timeline", "--out", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stdout(&o).contains("-0.000000"),
        "negative zero in the series"
    );
    for format in ["table", "csv", "json"] {
        let o = run_in(
            dir.path(),
            &["state", "--date", "2012-01-01", "--format", format],
        );
        assert!(!stdout(&o).contains("-0.0"), "{format}: {}", stdout(&o));
        let o = run_in(
            dir.path(),
            &[
                "diff",
                "--from",
                "2012-01-01",
                "--to",
                "2012-01-02",
                "--format",
                format,
            ],
        );
        assert!(
            !stdout(&o).contains("-0.0") && !stdout(&o).contains("-0 "),
            "{format}: {}",
            stdout(&o)
        );
    }
}
