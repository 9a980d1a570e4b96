//! Property tests for the dataset's input paths: the CSV loaders and the GeoJSON loader (the
//! date, step and size parsers are in tests/parsers.rs). Each property runs at least 10,000
//! generated cases (rendering, which is slower, 500) and must never panic; whatever the loaders refuse they report as `<file>:<line>: <message>`
//! or `<file>: <message>`, on one line, naming the file that is wrong and a line inside it.
//!
//! Failures are not persisted (no `proptest-regressions` files): a failing case is printed in
//! full, shrunk, and belongs in a unit test next to the fix.

mod common;

use common::props::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Rows of `control.csv`: the seven fields, each maybe mangled, then maybe a field too few or
/// too many.
fn control_row() -> BoxedStrategy<String> {
    let fields = (
        mutate(date_field()),
        mutate(select(&[
            "RU-N",
            "RU-SW",
            "RU-SE",
            "strelsau",
            "zenda",
            "tarlenheim",
            "RU-X",
            "ru-n",
        ])),
        mutate(select(&["crown", "rebels", "contested", "Crown", "nobody"])),
        mutate(select(&[
            "",
            "crown|rebels",
            "rebels|crown",
            "crown|crown",
            "crown|",
            "|rebels",
            "crown|rebels|crown",
            "crown||rebels",
            "crown | rebels",
            "crown|nobody",
        ])),
        mutate(select(&["confirmed", "approximate", "", "certain"])),
        mutate(select(&["invented", "a \"quoted\" source", ""])),
        mutate(prop_oneof![Just(String::new()), "[^\"\n]{0,12}"].boxed()),
    );
    (fields, -1i32..=1, any::<bool>())
        .prop_map(|(f, extra, quote_note)| {
            let mut v = vec![f.0, f.1, f.2, f.3, f.4, f.5, f.6];
            if quote_note {
                let note = v.pop().unwrap_or_default();
                v.push(format!("\"{}\"", note.replace('"', "\"\"")));
            }
            match extra {
                -1 => {
                    v.pop();
                }
                1 => v.push("extra".into()),
                _ => {}
            }
            v.join(",")
        })
        .boxed()
}

fn place_row() -> BoxedStrategy<String> {
    let number = |limit: f64| {
        prop_oneof![
            6 => (-limit..=limit).prop_map(|v| v.to_string()),
            1 => select(&["NaN", "inf", "-inf", "1e400", "90.0000001", "-180.5", "45,5", "", "0x10", "1_0"]),
            1 => any::<f64>().prop_map(|v| v.to_string()),
        ]
        .boxed()
    };
    let fields = (
        mutate(select(&[
            "strelsau", "zenda", "hentzau", "new-town", "a_b", "RU-N", "town 2", "",
        ])),
        mutate(prop_oneof![Just("Hentzau".to_string()), "[^\"\n]{0,10}"].boxed()),
        mutate(prop_oneof![Just(String::new()), "[^\"\n]{0,10}"].boxed()),
        mutate(number(90.0)),
        mutate(number(180.0)),
        mutate(select(&["capital", "regional-capital", "town", "city", ""])),
    );
    (fields, -1i32..=1)
        .prop_map(|(f, extra)| {
            let mut v = vec![f.0, f.1, f.2, f.3, f.4, f.5];
            match extra {
                -1 => {
                    v.pop();
                }
                1 => v.push("extra".into()),
                _ => {}
            }
            v.join(",")
        })
        .boxed()
}

fn event_row() -> BoxedStrategy<String> {
    let fields = (
        mutate(date_field()),
        mutate(prop_oneof![Just("A caption".to_string()), "[^\"\n]{0,12}"].boxed()),
        mutate(select(&["invented", ""])),
    );
    (fields, -1i32..=1)
        .prop_map(|(f, extra)| {
            let mut v = vec![f.0, f.1, f.2];
            match extra {
                -1 => {
                    v.pop();
                }
                1 => v.push("extra".into()),
                _ => {}
            }
            v.join(",")
        })
        .boxed()
}

/// A header for `columns`: as is, reordered, a column short, with an extra or doubled column.
fn header(columns: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        6 => Just(columns.join(",")),
        1 => Just(columns.to_vec()).prop_shuffle().prop_map(|c| c.join(",")),
        1 => (0..columns.len()).prop_map(move |i| {
            let mut c = columns.to_vec();
            c.remove(i);
            c.join(",")
        }),
        1 => Just(format!("{},extra", columns.join(","))),
        1 => (0..columns.len()).prop_map(move |i| {
            let mut c = columns.to_vec();
            c.insert(i, columns[i]);
            c.join(",")
        }),
        1 => Just(columns.join(" , ").to_uppercase()),
        1 => Just(columns.join(";")),
    ]
    .boxed()
}

/// A whole near-valid file: a header, then rows and blank lines, with a BOM and line endings
/// chosen at random.
fn near_valid_file(
    columns: &'static [&'static str],
    row: BoxedStrategy<String>,
) -> BoxedStrategy<Vec<u8>> {
    (
        any::<bool>(),
        header(columns),
        select(&["\n", "\r\n", "\r"]),
        prop::collection::vec((row, 0usize..3, any::<bool>()), 0..12),
        any::<bool>(),
    )
        .prop_map(|(bom, header, eol, rows, trailing)| {
            let mut s = String::new();
            if bom {
                s.push('\u{feff}');
            }
            s.push_str(&header);
            for (row, blanks, spaces) in rows {
                s.push_str(&eol);
                for _ in 0..blanks {
                    if spaces {
                        s.push_str("  ");
                    }
                    s.push_str(&eol);
                }
                s.push_str(&row);
            }
            if trailing {
                s.push_str(&eol);
            }
            s.into_bytes()
        })
        .boxed()
}

/// A valid file with one bad row at a known place: (text, first line of the bad row, its last).
fn one_bad_row(
    header: &'static str,
    good: Vec<String>,
    bad: BoxedStrategy<String>,
    at_end: bool,
) -> BoxedStrategy<(String, usize, usize)> {
    let n = good.len();
    (
        any::<bool>(),
        select(&["\n", "\r\n"]),
        bad,
        0..=n,
        prop::collection::vec(0usize..2, n + 1),
    )
        .prop_map(move |(bom, eol, bad, at, blanks)| {
            let at = if at_end { n } else { at };
            let mut s = String::new();
            if bom {
                s.push('\u{feff}');
            }
            s.push_str(header);
            s.push_str(&eol);
            let (mut first, mut last) = (0, 0);
            for (i, &blank) in blanks.iter().enumerate() {
                for _ in 0..blank {
                    s.push_str(&eol);
                }
                if i == at {
                    first = line_breaks(&s) + 1;
                    s.push_str(&bad);
                    last = line_breaks(&s) + 1;
                    s.push_str(&eol);
                }
                if let Some(g) = good.get(i) {
                    s.push_str(g);
                    s.push_str(&eol);
                }
            }
            (s, first, last)
        })
        .boxed()
}

/// Every error in `file` must point into the bad row, or be about a row that clashes with it.
fn errors_point_at(
    checked: &Checked,
    file: &str,
    first: usize,
    last: usize,
) -> Result<(), TestCaseError> {
    for (f, line, message) in &checked.errors {
        if *f != file {
            continue;
        }
        let at_row = line.is_some_and(|l| (first..=last).contains(&l));
        let mentions = (first..=last).any(|l| message.contains(&format!("line {l} ")));
        prop_assert!(
            at_row || mentions,
            "{}:{:?}: {} is not about lines {}..={}",
            f,
            line,
            message,
            first,
            last
        );
    }
    Ok(())
}

const CONTROL_COLUMNS: &[&str] = &[
    "date",
    "target",
    "controller",
    "parties",
    "confidence",
    "source",
    "note",
];
const PLACES_HEADER: &str = "id,name,name_fr,lat,lon,kind";
const PLACES_COLUMNS: &[&str] = &["id", "name", "name_fr", "lat", "lon", "kind"];
const EVENTS_HEADER: &str = "date,caption,source";
const EVENTS_COLUMNS: &[&str] = &["date", "caption", "source"];

/// Runs `cases` files from `strategy` as `name`, blaming errors on `blame`.
fn csv_property(
    name: &'static str,
    blame: &'static [&'static str],
    strategy: BoxedStrategy<Vec<u8>>,
) {
    let fx = Fixture::new();
    check(CASES, strategy, |bytes| {
        fx.write(name, &bytes);
        check_dataset(&fx, &[(name, &bytes)], blame)?;
        Ok(())
    });
}

#[test]
fn control_csv_never_panics_on_anything() {
    csv_property("control.csv", &["control.csv"], csv_bytes(CONTROL_HEADER));
}

#[test]
fn control_csv_near_valid_files_are_reported_in_place() {
    csv_property(
        "control.csv",
        &["control.csv"],
        near_valid_file(CONTROL_COLUMNS, control_row()),
    );
}

#[test]
fn control_csv_errors_point_at_the_bad_row() {
    // Good rows on distinct days, so that only the bad row can clash with another.
    let good: Vec<String> = [
        "RU-N,crown,,confirmed",
        "RU-SW,crown,,confirmed",
        "RU-SE,rebels,,approximate",
        "zenda,contested,crown|rebels,",
        "strelsau,crown,,confirmed",
        "tarlenheim,rebels,,confirmed",
    ]
    .iter()
    .enumerate()
    .map(|(i, r)| format!("2020-01-{:02},{r},invented,note {i}", i + 1))
    .collect();
    let fx = Fixture::new();
    check(
        CASES,
        one_bad_row(CONTROL_HEADER, good, control_row(), false),
        |(text, first, last)| {
            fx.write("control.csv", &text);
            let checked =
                check_dataset(&fx, &[("control.csv", text.as_bytes())], &["control.csv"])?;
            errors_point_at(&checked, "control.csv", first, last)
        },
    );
}

#[test]
fn places_csv_never_panics_on_anything() {
    csv_property(
        "places.csv",
        &["places.csv", "control.csv"],
        csv_bytes(PLACES_HEADER),
    );
}

#[test]
fn places_csv_near_valid_files_are_reported_in_place() {
    csv_property(
        "places.csv",
        &["places.csv", "control.csv"],
        near_valid_file(PLACES_COLUMNS, place_row()),
    );
}

#[test]
fn places_csv_errors_point_at_the_bad_row() {
    let good = vec![
        "strelsau,Strelsau,Strelsau,45.5,21.0,capital".to_string(),
        "zenda,Zenda,Zenda,45.5,23.0,regional-capital".to_string(),
        "tarlenheim,Tarlenheim,,46.5,22.0,town".to_string(),
    ];
    let fx = Fixture::new();
    check(
        CASES,
        one_bad_row(PLACES_HEADER, good, place_row(), true),
        |(text, first, last)| {
            fx.write("places.csv", &text);
            let checked = check_dataset(&fx, &[("places.csv", text.as_bytes())], &["places.csv"])?;
            errors_point_at(&checked, "places.csv", first, last)
        },
    );
}

#[test]
fn events_csv_never_panics_on_anything() {
    let strategy = prop_oneof![
        csv_bytes(EVENTS_HEADER),
        near_valid_file(EVENTS_COLUMNS, event_row()),
    ]
    .boxed();
    csv_property("events.csv", &["events.csv"], strategy);
}

#[test]
fn events_csv_errors_point_at_the_bad_row() {
    let good = vec![
        "2020-02-01,Black Michael seizes Zenda,invented".to_string(),
        "2020-03-01,\"Fighting spreads, north\",invented".to_string(),
    ];
    let fx = Fixture::new();
    check(
        CASES,
        one_bad_row(EVENTS_HEADER, good, event_row(), false),
        |(text, first, last)| {
            fx.write("events.csv", &text);
            let checked = check_dataset(&fx, &[("events.csv", text.as_bytes())], &["events.csv"])?;
            errors_point_at(&checked, "events.csv", first, last)
        },
    );
}
