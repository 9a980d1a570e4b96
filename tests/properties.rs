//! Property tests for every input path: the date, step and size parsers, the CSV loaders and the
//! GeoJSON loader. Each property runs at least 10,000 generated cases (rendering, which is slower,
//! 500) and must never panic; whatever the loaders refuse they report as `<file>:<line>: <message>`
//! or `<file>: <message>`, on one line, naming the file that is wrong and a line inside it.
//!
//! Failures are not persisted (no `proptest-regressions` files): a failing case is printed in
//! full, shrunk, and belongs in a unit test next to the fix.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use controlmap::cli::args::parse_size;
use controlmap::dataset::{Dataset, Severity, Source};
use controlmap::date::{Date, Step, parse_date};
use controlmap::scene::layout::MAX_SIDE;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};

/// Cases per property.
const CASES: u32 = 10_000;
/// Cases for the properties that lay out and render a map.
const RENDER_CASES: u32 = 500;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs `test` on `cases` values of `strategy`, panicking with the (shrunk) failing input.
fn check<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(config(cases));
    let ran = std::sync::atomic::AtomicU32::new(0);
    let counted = |value| {
        ran.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        test(value)
    };
    if let Err(e) = runner.run(&strategy, counted) {
        panic!("{e}");
    }
    let ran = ran.into_inner();
    assert!(ran >= cases, "only {ran} of {cases} cases ran");
}

// ---------------------------------------------------------------------------------------------
// Dates, steps and sizes.

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Strings that look a little like dates, and strings that do not look like anything.
fn date_like() -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "[ \t]{0,2}[0-9]{1,5}[-/.][0-9]{1,3}[-/.][0-9]{1,3}[ \t\n]{0,2}",
        "[0-9-]{0,12}",
        "[0-9\u{0660}-\u{0669}\u{ff10}-\u{ff19}-]{8,11}",
        "\\PC{0,12}",
    ]
    .boxed()
}

#[test]
fn date_parser_never_panics_and_accepts_only_what_it_prints() {
    check(CASES, date_like(), |text| {
        if let Ok(d) = parse_date(&text) {
            prop_assert_eq!(d.to_string(), text.trim());
        }
        Ok(())
    });
}

#[test]
fn every_real_day_round_trips_and_impossible_days_are_refused() {
    let day = (1000i32..=9999, 1u32..=12).prop_flat_map(|(y, m)| {
        let last = days_in_month(y, m);
        (Just(y), Just(m), 1..=last, last + 1..=99)
    });
    check(CASES, day, |(y, m, d, impossible)| {
        let text = format!("{y:04}-{m:02}-{d:02}");
        let parsed = parse_date(&text).map_err(TestCaseError::fail)?;
        prop_assert_eq!(parsed.to_string(), text.clone());
        prop_assert_eq!(
            (i32::from(parsed.year()), parsed.month(), parsed.day()),
            (y, m as i8, d as i8)
        );
        let padded = format!(" {text}\n");
        prop_assert!(parse_date(&padded).is_ok(), "{:?} refused", padded);
        for bad in [
            format!("{y:04}-{m:02}-{impossible:02}"),
            format!("{y:04}-{:02}-{d:02}", 13 + m % 87),
            format!("{y:04}-00-{d:02}"),
            format!("{y:04}-{m:02}-00"),
            format!("{y}-{m}-{d}x"),
            text[..9].to_string(),
        ] {
            prop_assert!(parse_date(&bad).is_err(), "{} accepted", bad);
        }
        Ok(())
    });
}

fn step_like() -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        "[+-]?[0-9]{0,12}[a-zA-Z]{0,2}",
        "[ \t]{0,2}[0-9]{1,7}[dwm][ \t\n]{0,2}",
        "\\PC{0,6}",
        "[0-9\u{0660}-\u{0669}]{1,3}[dwmé]",
    ]
    .boxed()
}

#[test]
fn step_parser_never_panics_and_what_it_accepts_displays_back() {
    check(CASES, step_like(), |text| {
        if let Ok(step) = text.parse::<Step>() {
            let shown = step.to_string();
            prop_assert_eq!(shown.parse::<Step>(), Ok(step));
            match step {
                Step::Days(n) | Step::Months(n) => prop_assert!((1..=700_000).contains(&n)),
            }
        }
        Ok(())
    });
}

#[test]
fn day_and_month_steps_round_trip() {
    check(
        CASES,
        (1u32..100_000, prop::sample::select(vec!['d', 'm', 'w'])),
        |(n, unit)| {
            let text = format!("{n}{unit}");
            if unit == 'w' && n * 7 > 100_000 {
                prop_assert!(text.parse::<Step>().is_err(), "{} accepted", text);
                return Ok(());
            }
            let step: Step = text.parse().map_err(TestCaseError::fail)?;
            match unit {
                'd' => {
                    prop_assert_eq!(step, Step::Days(n));
                    prop_assert_eq!(step.to_string(), text);
                }
                'm' => {
                    prop_assert_eq!(step, Step::Months(n));
                    prop_assert_eq!(step.to_string(), text);
                }
                _ => {
                    // Weeks are shown as days, and a step shown must parse again.
                    prop_assert_eq!(step, Step::Days(n * 7));
                    prop_assert_eq!(step.to_string().parse::<Step>(), Ok(step));
                }
            }
            for bad in [
                format!("0{unit}"),
                format!("{}{unit}", u64::from(n) + 100_000),
            ] {
                prop_assert!(bad.parse::<Step>().is_err(), "{} accepted", bad);
            }
            Ok(())
        },
    );
}

fn any_date() -> impl Strategy<Value = Date> {
    (-9999i16..=9999, 1i8..=12, 1i8..=31).prop_map(|(y, m, d)| {
        let first = Date::new(y, m, 1).expect("first of a month exists");
        Date::new(y, m, d.min(first.days_in_month())).expect("a day of the month")
    })
}

#[test]
fn stepping_never_panics_and_lands_where_it_should() {
    let step = prop_oneof![
        any::<u32>().prop_map(Step::Days),
        any::<u32>().prop_map(Step::Months),
        (1u32..=1000).prop_map(Step::Days),
        (1u32..=1000).prop_map(Step::Months),
    ];
    let k = prop_oneof![any::<u32>(), 0u32..100];
    check(CASES, (step, any_date(), k), |(step, start, k)| {
        let Some(d) = step.nth_after(start, k) else {
            return Ok(());
        };
        match step {
            Step::Days(n) => {
                prop_assert_eq!((d - start).get_days() as i64, i64::from(n) * i64::from(k));
            }
            Step::Months(n) => {
                let months = (i64::from(d.year()) * 12 + i64::from(d.month()))
                    - (i64::from(start.year()) * 12 + i64::from(start.month()));
                prop_assert_eq!(months, i64::from(n) * i64::from(k));
                prop_assert!(d.day() <= start.day());
            }
        }
        Ok(())
    });
}

fn size_like() -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        "[ \t]{0,2}[+-]?[0-9]{0,12}[ ]?[xX×*,]?[ ]?[+-]?[0-9]{0,12}[ \t\n]{0,2}",
        "[0-9xX]{0,12}",
        "\\PC{0,12}",
    ]
    .boxed()
}

#[test]
fn size_parser_never_panics_and_keeps_to_its_limits() {
    check(CASES, size_like(), |text| {
        if let Ok((w, h)) = parse_size(&text) {
            prop_assert!((200..=MAX_SIDE).contains(&w), "{}", w);
            prop_assert!((150..=MAX_SIDE).contains(&h), "{}", h);
        }
        Ok(())
    });
}

#[test]
fn valid_sizes_round_trip_and_bad_sides_are_refused() {
    let sides = (
        200u32..=MAX_SIDE,
        150u32..=MAX_SIDE,
        prop_oneof![(MAX_SIDE + 1)..=u32::MAX, Just(MAX_SIDE + 1)],
        any::<bool>(),
        "[ \t]{0,2}",
    );
    check(CASES, sides, |(w, h, big, upper, pad)| {
        let x = if upper { 'X' } else { 'x' };
        prop_assert_eq!(parse_size(&format!("{pad}{w}{x}{h}{pad}")), Ok((w, h)));
        prop_assert_eq!(parse_size(&format!("{w} {x} {h}")), Ok((w, h)));
        for bad in [
            format!("0{x}{h}"),
            format!("{w}{x}0"),
            format!("0{x}0"),
            format!("{big}{x}{h}"),
            format!("{w}{x}{big}"),
            format!("{}{x}{h}", u64::from(big) * 10),
            format!("{w}{x}"),
            format!("{x}{h}"),
            format!("{w}"),
            format!("-{w}{x}{h}"),
        ] {
            prop_assert!(parse_size(&bad).is_err(), "{} accepted", bad);
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Dataset files.

fn ruritania() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/ruritania")
}

/// One copy of the Ruritania dataset per test; each case overwrites one or two of its files.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        for e in std::fs::read_dir(ruritania()).expect("dataset folder") {
            let e = e.expect("entry");
            std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
        }
        Fixture { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        std::fs::write(self.path().join(name), bytes).expect("write a dataset file");
    }

    fn source(&self) -> Source {
        Source::Dir(self.path().to_path_buf())
    }

    /// The name a problem in `name` is reported under.
    fn shown(&self, name: &str) -> String {
        self.source().display_name(name)
    }
}

const FILES: [&str; 7] = [
    "dataset.toml",
    "regions.geojson",
    "neighbours.geojson",
    "places.csv",
    "control.csv",
    "events.csv",
    "references.csv",
];

/// Checks one line of output: `<file>:<line>: <message>` or `<file>: <message>`, on one line, for
/// one of the dataset's files and a line inside it. Returns the file name and the line.
fn located(
    fx: &Fixture,
    shown: &str,
    texts: &[(&str, &str)],
) -> Result<(&'static str, Option<usize>), TestCaseError> {
    prop_assert!(
        !shown.contains(['\n', '\r']),
        "a problem spans lines: {:?}",
        shown
    );
    for name in FILES {
        let Some(rest) = shown.strip_prefix(&format!("{}:", fx.shown(name))) else {
            continue;
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (line, message) = if digits == 0 {
            (None, rest.strip_prefix(' '))
        } else {
            (
                rest[..digits].parse::<usize>().ok(),
                rest[digits..].strip_prefix(": "),
            )
        };
        let message = message.unwrap_or("");
        prop_assert!(
            !message.trim().is_empty() && !message.starts_with(' '),
            "not '<file>:<line>: <message>': {:?}",
            shown
        );
        if digits > 0 {
            let line = line.unwrap_or(0);
            prop_assert!(line >= 1, "line 0: {:?}", shown);
            if let Some((_, text)) = texts.iter().find(|(n, _)| *n == name) {
                let lines = line_breaks(text) + 1;
                prop_assert!(
                    line <= lines,
                    "line {} of a {}-line file: {:?}",
                    line,
                    lines,
                    shown
                );
            }
        }
        return Ok((name, line));
    }
    Err(TestCaseError::fail(format!(
        "not '<file>:<line>: <message>' for a dataset file: {shown:?}"
    )))
}

/// What a check of the fixture gave, once its output was found well-formed.
struct Checked {
    dataset: Option<Dataset>,
    /// (file, line, message) of every error.
    errors: Vec<(&'static str, Option<usize>, String)>,
}

/// Checks the fixture; every problem must be well-formed, every error in one of `blame`.
/// `written` are the files this case wrote, as bytes (for line counts).
fn check_dataset(
    fx: &Fixture,
    written: &[(&str, &[u8])],
    blame: &[&str],
) -> Result<Checked, TestCaseError> {
    let texts: Vec<(&str, String)> = written
        .iter()
        .map(|(n, b)| (*n, String::from_utf8_lossy(b).into_owned()))
        .collect();
    let texts: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (*n, t.as_str())).collect();
    match Dataset::check(&fx.source()) {
        Err(e) => {
            // Only a file that is not text stops the check.
            let shown = e.to_string();
            let (file, _) = located(fx, &shown, &texts)?;
            prop_assert!(blame.contains(&file), "{:?} blames {}", shown, file);
            prop_assert!(shown.ends_with("not UTF-8 text"), "{:?}", shown);
            let bytes = written.iter().find(|(n, _)| *n == file).map(|(_, b)| *b);
            prop_assert!(bytes.is_some_and(|b| std::str::from_utf8(b).is_err()));
            Ok(Checked {
                dataset: None,
                errors: vec![(file, None, shown)],
            })
        }
        Ok((dataset, problems)) => {
            let mut errors = Vec::new();
            for p in problems.all() {
                let shown = p.to_string();
                let (file, line) = located(fx, &shown, &texts)?;
                if p.severity == Severity::Error {
                    prop_assert!(
                        blame.contains(&file),
                        "an error in {} when only {:?} changed: {:?}",
                        file,
                        blame,
                        shown
                    );
                    errors.push((file, line, p.message.clone()));
                }
            }
            prop_assert!(dataset.is_some(), "only a bad manifest gives no dataset");
            Ok(Checked { dataset, errors })
        }
    }
}

/// Anything at all, as bytes: random bytes, text, CSV-ish text after a good header.
fn csv_bytes(header: &'static str) -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        any::<String>().prop_map(String::into_bytes),
        "[a-zA-Z0-9,\"' |\r\n\t.:/-]{0,300}".prop_map(String::into_bytes),
        (
            prop::option::of(Just("\u{feff}")),
            "[a-zA-Z0-9,\"' |\r\n\t.:/\u{feff}\u{0}é-]{0,300}",
            prop::collection::vec(any::<u8>(), 0..4),
        )
            .prop_map(move |(bom, body, tail)| {
                let mut b = format!("{}{header}\n{body}", bom.unwrap_or("")).into_bytes();
                b.extend(tail);
                b
            }),
    ]
    .boxed()
}

/// A field in one of the ways a hand-edited CSV gets it wrong (or right).
fn mutate(valid: BoxedStrategy<String>) -> BoxedStrategy<String> {
    prop_oneof![
        8 => valid.clone(),
        1 => valid.clone().prop_map(|v| format!(" {v}\t")),
        1 => valid.clone().prop_map(|v| v.to_uppercase()),
        1 => valid.clone().prop_map(|v| format!("\"{}\"", v.replace('"', "\"\""))),
        1 => (valid.clone(), any::<prop::sample::Index>(), "[\"',;|\\\\\u{feff}\u{0}\t é]")
            .prop_map(|(v, at, c)| {
                let cut = v.char_indices().map(|(i, _)| i).chain([v.len()]).collect::<Vec<_>>();
                let at = cut[at.index(cut.len())];
                format!("{}{c}{}", &v[..at], &v[at..])
            }),
        1 => valid.prop_map(|v| v.chars().skip(1).collect()),
        1 => Just(String::new()),
        1 => "[^\n]{0,8}",
    ]
    .boxed()
}

fn select(items: &[&'static str]) -> BoxedStrategy<String> {
    prop::sample::select(items.to_vec())
        .prop_map(str::to_string)
        .boxed()
}

fn good_date() -> BoxedStrategy<String> {
    (2019i32..=2021, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
        .boxed()
}

fn date_field() -> BoxedStrategy<String> {
    prop_oneof![
        6 => good_date(),
        1 => (2019i32..=2021, 1u32..=12, 29u32..=32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        1 => (2019i32..=2021, 1u32..=31, 1u32..=12).prop_map(|(y, d, m)| format!("{d:02}/{m:02}/{y}")),
        1 => (0u32..=99999, 0u32..=99, 0u32..=99).prop_map(|(y, m, d)| format!("{y}-{m}-{d}")),
    ]
    .boxed()
}

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

/// Line breaks so far: LF, CRLF, and a lone CR (which ends a line too, as in old Mac files).
fn line_breaks(s: &str) -> usize {
    s.replace("\r\n", "\n").matches(['\n', '\r']).count()
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

const CONTROL_HEADER: &str = "date,target,controller,parties,confidence,source,note";
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

// ---------------------------------------------------------------------------------------------
// GeoJSON.

/// A coordinate as written in the file: mostly plausible, sometimes absurd.
fn number(limit: f64) -> BoxedStrategy<String> {
    prop_oneof![
        6 => (-limit..=limit).prop_map(|v| v.to_string()),
        3 => (-limit as i32..=limit as i32).prop_map(|v| v.to_string()),
        1 => select(&[
            "1e308", "-1e308", "1.7976931348623157e308", "1e400", "-1e400", "1e-320", "-0",
            "0.0", "180.0000001", "-90.0000001", "181", "91", "1E2", "NaN", "Infinity",
            "\"12\"", "null", "true", "[]", "{}",
        ]),
        1 => any::<f64>().prop_map(|v| if v.is_finite() { format!("{v:e}") } else { "1e999".into() }),
    ]
    .boxed()
}

fn position() -> BoxedStrategy<String> {
    prop_oneof![
        12 => (number(180.0), number(90.0)).prop_map(|(x, y)| format!("[{x},{y}]")),
        1 => (number(180.0), number(90.0), number(1000.0)).prop_map(|(x, y, z)| format!("[{x},{y},{z}]")),
        1 => number(180.0).prop_map(|x| format!("[{x}]")),
        1 => Just("[]".to_string()),
        1 => (number(180.0), number(90.0)).prop_map(|(x, y)| format!("[[{x},{y}]]")),
        1 => select(&["null", "\"0,0\"", "0", "{}"]),
    ]
    .boxed()
}

/// A ring of 0–5 random positions, closed or not.
fn random_ring() -> BoxedStrategy<String> {
    (prop::collection::vec(position(), 0..=5), any::<bool>())
        .prop_map(|(mut ps, close)| {
            if close && let Some(first) = ps.first().cloned() {
                ps.push(first);
            }
            format!("[{}]", ps.join(","))
        })
        .boxed()
}

/// A closed star-shaped ring around a centre: simple, so usually a valid outline.
fn star_ring(cx: f64, cy: f64, radii: &[f64], turn: f64) -> String {
    let n = radii.len();
    let mut ps: Vec<String> = radii
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let a = turn + std::f64::consts::TAU * i as f64 / n as f64;
            format!("[{},{}]", cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    ps.push(ps[0].clone());
    format!("[{}]", ps.join(","))
}

/// A valid-looking polygon: a star around a random centre, maybe with a star-shaped hole.
fn star_polygon(
    centre: (f64, f64, f64, f64),
    scale: std::ops::Range<f64>,
) -> BoxedStrategy<String> {
    let (x0, x1, y0, y1) = centre;
    (
        x0..x1,
        y0..y1,
        scale,
        prop::collection::vec(0.5f64..1.0, 3..12),
        0.0..std::f64::consts::TAU,
        prop::option::of(prop::collection::vec(0.1f64..0.4, 3..6)),
    )
        .prop_map(|(cx, cy, scale, radii, turn, hole)| {
            let r = 10f64.powf(scale);
            let outer: Vec<f64> = radii.iter().map(|k| k * r).collect();
            let mut rings = vec![star_ring(cx, cy, &outer, turn)];
            if let Some(hole) = hole {
                let inner: Vec<f64> = hole.iter().map(|k| k * r).collect();
                rings.push(star_ring(cx, cy, &inner, turn + 0.3));
            }
            format!("[{}]", rings.join(","))
        })
        .boxed()
}

/// Polygon coordinates of any shape, valid or not.
fn polygon_coordinates() -> BoxedStrategy<String> {
    prop_oneof![
        4 => star_polygon((19.0, 25.0, 44.0, 48.0), -9.0..1.5),
        1 => star_polygon((-180.0, 180.0, -90.0, 90.0), -9.0..1.5),
        2 => prop::collection::vec(random_ring(), 0..3).prop_map(|r| format!("[{}]", r.join(","))),
        1 => select(&[
            "[]", "[[]]", "[[[]]]", "[[[[20,45]]]]", "[[[20,45],[21,45],[21,46],[20,45]]]",
            "[[[20,45],[21,45],[20,46],[21,46],[20,45]]]",
            "[[[20,45],[21,45],[22,45],[23,45],[20,45]]]",
            "[[[0,0],[0,0],[0,0],[0,0]]]", "[[[0,0],[1e-300,0],[0,1e-300],[0,0]]]",
            "[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]",
            "[[[179,0],[-179,0],[-179,1],[179,1],[179,0]]]",
            "[[[20,45],[24,45],[24,47],[20,47],[20,45]],[[30,30],[31,30],[31,31],[30,31],[30,30]]]",
            "\"[[0,0]]\"", "null", "{}", "1",
        ]),
    ]
    .boxed()
}

fn geometry() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        8 => polygon_coordinates().prop_map(|c| format!("{{\"type\":\"Polygon\",\"coordinates\":{c}}}")),
        3 => prop::collection::vec(polygon_coordinates(), 0..3)
            .prop_map(|c| format!("{{\"type\":\"MultiPolygon\",\"coordinates\":[{}]}}", c.join(","))),
        1 => position().prop_map(|p| format!("{{\"type\":\"Point\",\"coordinates\":{p}}}")),
        1 => random_ring().prop_map(|r| format!("{{\"type\":\"LineString\",\"coordinates\":{r}}}")),
        1 => prop::collection::vec(random_ring(), 0..3)
            .prop_map(|r| format!("{{\"type\":\"MultiLineString\",\"coordinates\":[{}]}}", r.join(","))),
        1 => random_ring().prop_map(|r| format!("{{\"type\":\"MultiPoint\",\"coordinates\":{r}}}")),
        1 => select(&[
            "null",
            "{\"type\":\"Polygon\"}",
            "{\"type\":\"Polygon\",\"coordinates\":null}",
            "{\"type\":\"Circle\",\"coordinates\":[0,0]}",
            "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}",
            "{\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}",
            "[[[0,0],[1,0],[1,1],[0,0]]]",
            "\"Polygon\"",
        ]),
    ];
    leaf.prop_recursive(2, 6, 3, |inner| {
        prop::collection::vec(inner, 0..3).prop_map(|g| {
            format!(
                "{{\"type\":\"GeometryCollection\",\"geometries\":[{}]}}",
                g.join(",")
            )
        })
    })
    .boxed()
}

fn json_string() -> BoxedStrategy<String> {
    prop_oneof![
        6 => select(&["RU-N", "RU-SW", "RU-SE", "A", "B", "C", "zenda", "", " ", "features"]),
        1 => any::<String>(),
        1 => "[a-z\\\\\"\n\t\u{0}\u{1b}\u{2028}é]{0,6}",
    ]
    .prop_map(|s| serde_json::Value::String(s).to_string())
    .boxed()
}

fn json_value() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        4 => json_string(),
        2 => number(1000.0),
        1 => select(&["null", "true", "false", "{}", "[]"]),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((json_string(), inner), 0..4).prop_map(|v| {
                let members: Vec<String> = v.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
    .boxed()
}

fn properties() -> BoxedStrategy<String> {
    let member = |key: &'static str, value: BoxedStrategy<String>| {
        prop::option::weighted(0.7, value).prop_map(move |v| v.map(|v| format!("\"{key}\":{v}")))
    };
    prop_oneof![
        10 => (
            member("id", prop_oneof![4 => json_string(), 1 => number(10.0), 1 => json_value()].boxed()),
            member("name", prop_oneof![json_string(), json_value()].boxed()),
            member("name_fr", json_string()),
            member("label_lon", number(180.0)),
            member("label_lat", number(90.0)),
            member("extra", json_value()),
        )
            .prop_map(|(a, b, c, d, e, f)| {
                let members: Vec<String> = [a, b, c, d, e, f].into_iter().flatten().collect();
                format!("{{{}}}", members.join(","))
            }),
        1 => select(&["null", "[]", "\"id\"", "{\"id\":null}", "{\"id\":{\"id\":\"A\"}}"]),
    ]
    .boxed()
}

fn feature() -> BoxedStrategy<String> {
    let id = prop::option::weighted(
        0.3,
        prop_oneof![json_string(), number(10.0), Just("null".into())],
    );
    (
        select(&[
            "Feature", "Feature", "Feature", "Feature", "Feature", "feature", "Polygon",
        ]),
        id,
        prop::option::weighted(0.95, properties()),
        prop::option::weighted(0.95, geometry()),
        prop::option::weighted(0.05, json_value()),
    )
        .prop_map(|(kind, id, props, geom, foreign)| {
            let mut members = vec![format!("\"type\":\"{kind}\"")];
            if let Some(id) = id {
                members.push(format!("\"id\":{id}"));
            }
            if let Some(p) = props {
                members.push(format!("\"properties\":{p}"));
            }
            if let Some(g) = geom {
                members.push(format!("\"geometry\":{g}"));
            }
            if let Some(f) = foreign {
                members.push(format!("\"foreign\":{f}"));
            }
            format!("{{{}}}", members.join(","))
        })
        .boxed()
}

/// A FeatureCollection with one feature per line (feature `i` starts on line `i + 2`), sometimes
/// with foreign members before the features or its key written with escapes; and its number of
/// features.
fn feature_collection(features: BoxedStrategy<Vec<String>>) -> BoxedStrategy<(String, usize)> {
    (
        features,
        prop::option::weighted(
            0.2,
            select(&[
                "\"name\":\"features\",",
                "\"name\":\"features\",\"extra\":[{\"a\":1},{\"b\":2}],",
                "\"bbox\":[19,44,25,48],",
                "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:4326\"}},",
                "\"features\":[{\"type\":\"Feature\"}],",
                "\"extra\":{\"features\":[{\"x\":1}]},",
            ]),
        ),
        select(&["", " ", "\n"]),
        select(&[
            "features",
            "features",
            "features",
            "feat\\u0075res",
            "\\u0066eatures",
        ]),
    )
        .prop_map(|(fs, foreign, after, key)| {
            let mut s = String::from("{\"type\":\"FeatureCollection\",");
            s.push_str(foreign.as_deref().unwrap_or(""));
            let _ = write!(s, "\"{key}\":[");
            for (i, f) in fs.iter().enumerate() {
                s.push('\n');
                s.push_str(f);
                if i + 1 < fs.len() {
                    s.push(',');
                }
            }
            s.push_str(&after);
            s.push_str("]}");
            (s, fs.len())
        })
        .boxed()
}

/// Arbitrary text that looks a little like JSON, and the real file with random edits.
fn json_ish() -> BoxedStrategy<String> {
    let original = std::fs::read_to_string(ruritania().join("regions.geojson")).expect("regions");
    let tokens = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\n",
        "null",
        "1e400",
        "-",
        "\\",
        "\"features\"",
        "\"type\":\"Feature\"",
        "[[",
        "]]",
        "\u{feff}",
        "é",
        "NaN",
    ];
    let edit = (
        any::<prop::sample::Index>(),
        0usize..40,
        prop::sample::select(tokens.to_vec()),
    );
    prop_oneof![
        1 => any::<String>(),
        2 => "[\\[\\]{}\",:0-9a-zA-Z.eE +\\-\n]{0,300}",
        2 => json_value(),
        4 => prop::collection::vec(edit, 1..5).prop_map(move |edits| {
            let mut s = original.clone();
            for (at, cut, token) in edits {
                let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
                let start = bounds[at.index(bounds.len())];
                let end = bounds.iter().copied().find(|&b| b >= start + cut).unwrap_or(s.len());
                s.replace_range(start..end, token);
            }
            s
        }),
    ]
    .boxed()
}

/// The files a GeoJSON test starts from: control.csv with no records, so that whether the
/// dataset loads depends on the regions alone.
fn geojson_fixture() -> Fixture {
    let fx = Fixture::new();
    fx.write("control.csv", format!("{CONTROL_HEADER}\n"));
    fx
}

const GEOJSON_BLAME: &[&str] = &["regions.geojson", "places.csv"];

#[test]
fn geojson_never_panics_on_json_ish_text() {
    let fx = geojson_fixture();
    check(CASES, json_ish(), |text| {
        fx.write("regions.geojson", &text);
        let checked = check_dataset(&fx, &[("regions.geojson", text.as_bytes())], GEOJSON_BLAME)?;
        if checked.errors.is_empty()
            && let Some(d) = &checked.dataset
        {
            let _ =
                controlmap::scene::MapLayout::new(d, &controlmap::scene::MapOptions::new(400, 300));
        }
        Ok(())
    });
}

#[test]
fn geojson_feature_collections_load_or_are_reported_at_their_feature() {
    let fx = geojson_fixture();
    // Random features, and valid-looking ones (unique ids, simple outlines from a millimetre to
    // thousands of kilometres across) that load often enough to exercise the layout.
    let random = prop::collection::vec(feature(), 0..6).boxed();
    let valid_looking = (1usize..5)
        .prop_flat_map(|n| {
            (0..n)
                .map(|i| valid_looking_feature(i, -8.0..1.5))
                .collect::<Vec<_>>()
        })
        .boxed();
    let collections = prop_oneof![
        3 => feature_collection(random),
        1 => feature_collection(valid_looking),
    ];
    check(CASES, collections, |(text, n)| {
        fx.write("regions.geojson", &text);
        let checked = check_dataset(&fx, &[("regions.geojson", text.as_bytes())], GEOJSON_BLAME)?;
        let invalid = checked.errors.iter().any(|(_, _, m)| {
            m.starts_with("not valid GeoJSON") || m.starts_with("expected a GeoJSON")
        });
        if !invalid {
            for (file, line, message) in &checked.errors {
                if *file == "regions.geojson"
                    && let Some(l) = line
                {
                    prop_assert!(
                        (2..n + 2).contains(l),
                        "line {} is no feature's line (features on 2..={}): {}",
                        l,
                        n + 1,
                        message
                    );
                }
            }
        }
        if checked.errors.is_empty() {
            let d = checked.dataset.as_ref().expect("a dataset without errors");
            prop_assert_eq!(d.regions().count(), n);
            for (i, (_, r)) in d.regions().enumerate() {
                prop_assert_eq!(r.line, i + 2, "{}", &r.id);
            }
            let _ =
                controlmap::scene::MapLayout::new(d, &controlmap::scene::MapOptions::new(400, 300));
        }
        Ok(())
    });
}

/// A feature with a unique id and a valid-looking outline, maybe a multipolygon.
fn valid_looking_feature(i: usize, scale: std::ops::Range<f64>) -> BoxedStrategy<String> {
    let area = prop_oneof![
        8 => Just((19.0, 25.0, 44.0, 48.0)),
        1 => Just((-180.0, 180.0, -90.0, 90.0)),
        1 => Just((-180.0, -170.0, 80.0, 90.0)),
    ];
    (
        area.prop_flat_map(move |a| prop::collection::vec(star_polygon(a, scale.clone()), 1..3)),
        any::<bool>(),
        prop::option::weighted(0.3, (number(180.0), number(90.0))),
        prop::option::of("[^\"\\\\\u{0}-\u{1f}]{0,12}"),
    )
        .prop_map(move |(polys, multi, label, name)| {
            let geometry = if multi || polys.len() > 1 {
                format!(
                    "{{\"type\":\"MultiPolygon\",\"coordinates\":[{}]}}",
                    polys.join(",")
                )
            } else {
                format!("{{\"type\":\"Polygon\",\"coordinates\":{}}}", polys[0])
            };
            let mut props = format!("\"id\":\"R{i}\"");
            if let Some(name) = name {
                let _ = write!(props, ",\"name\":{}", serde_json::Value::String(name));
            }
            if let Some((x, y)) = label {
                let _ = write!(props, ",\"label_lon\":{x},\"label_lat\":{y}");
            }
            format!("{{\"type\":\"Feature\",\"properties\":{{{props}}},\"geometry\":{geometry}}}")
        })
        .boxed()
}

#[test]
fn valid_looking_datasets_lay_out_and_render() {
    controlmap::render::png::register_fonts();
    let fx = Fixture::new();
    let dataset = (1usize..5).prop_flat_map(|n| {
        // Outlines from about 100 m across: see `a_region_of_a_centimetre_renders`.
        let features: Vec<BoxedStrategy<String>> = (0..n)
            .map(|i| valid_looking_feature(i, -3.0..1.5))
            .collect();
        let controllers = prop::collection::vec(
            select(&["crown", "rebels", "contested,crown|rebels", "contested,"]),
            n * 2,
        );
        (features, controllers, 0i64..120, 200u32..900, 150u32..700)
    });
    check(
        RENDER_CASES,
        dataset,
        |(features, controllers, day, w, h)| {
            let regions = format!(
                "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}",
                features.join(",\n")
            );
            let mut control = format!("{CONTROL_HEADER}\n");
            for (k, c) in controllers.iter().enumerate() {
                let c = if c.contains(',') {
                    c.to_string()
                } else {
                    format!("{c},")
                };
                let month = 1 + k / features.len();
                let _ = writeln!(
                    control,
                    "2020-0{month}-01,R{},{c},confirmed,invented,",
                    k % features.len()
                );
            }
            fx.write("regions.geojson", &regions);
            fx.write("control.csv", &control);
            let checked = check_dataset(
                &fx,
                &[
                    ("regions.geojson", regions.as_bytes()),
                    ("control.csv", control.as_bytes()),
                ],
                &["regions.geojson", "control.csv", "places.csv"],
            )?;
            if !checked.errors.is_empty() {
                return Ok(());
            }
            let d = checked.dataset.expect("a dataset without errors");
            let timeline = controlmap::timeline::Timeline::new(&d);
            let date = parse_date("2020-01-01")
                .expect("a date")
                .checked_add(jiff::Span::new().days(day))
                .expect("a date in range");
            for options in [
                controlmap::scene::MapOptions::new(400, 300),
                controlmap::scene::MapOptions::new(w, h),
            ] {
                if let Ok(layout) = controlmap::scene::MapLayout::new(&d, &options) {
                    let scene = layout.scene(&timeline.state_at(date), None, "");
                    prop_assert!(controlmap::render::png::draw(&scene).is_ok());
                }
            }
            Ok(())
        },
    );
}

/// A region a centimetre across passes the checks. Its map scale once made the scale bar's
/// smallest length (50 km) billions of pixels long, and drawing its labels overflowed `i32` in
/// `render::glyphs::draw_text`; found by the render property test above.
#[test]
fn a_region_of_a_centimetre_renders() {
    controlmap::render::png::register_fonts();
    let fx = Fixture::new();
    fx.write(
        "regions.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{\"id\":\"R0\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[19.0000000161,44],[18.9999999920,44.0000000139],[18.9999999920,43.9999999861],[19.0000000161,44]]]}}\n]}",
    );
    fx.write(
        "control.csv",
        format!("{CONTROL_HEADER}\n2020-01-01,R0,crown,,confirmed,invented,\n"),
    );
    let d = Dataset::load(&fx.source()).expect("the dataset loads");
    let timeline = controlmap::timeline::Timeline::new(&d);
    let layout =
        controlmap::scene::MapLayout::new(&d, &controlmap::scene::MapOptions::new(400, 300))
            .expect("a layout");
    let date = parse_date("2020-01-01").expect("a date");
    let scene = layout.scene(&timeline.state_at(date), None, "");
    assert!(controlmap::render::png::draw(&scene).is_ok());
}
