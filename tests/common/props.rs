//! Shared parts of the property tests: how many cases, a runner that counts them, and the
//! dataset fixture whose files each case overwrites, with the check that blames the right file.

use std::path::{Path, PathBuf};

use controlmap::dataset::{Dataset, Severity, Source};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};

/// Cases per property.
pub const CASES: u32 = 10_000;
/// Cases for the properties that lay out and render a map.
pub const RENDER_CASES: u32 = 500;

pub fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs `test` on `cases` values of `strategy`, panicking with the (shrunk) failing input.
pub fn check<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
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
// Dataset files.

pub fn ruritania() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/ruritania")
}

/// One copy of the Ruritania dataset per test; each case overwrites one or two of its files.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        for e in std::fs::read_dir(ruritania()).expect("dataset folder") {
            let e = e.expect("entry");
            std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
        }
        Fixture { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        std::fs::write(self.path().join(name), bytes).expect("write a dataset file");
    }

    pub fn source(&self) -> Source {
        Source::Dir(self.path().to_path_buf())
    }

    /// The name a problem in `name` is reported under.
    pub fn shown(&self, name: &str) -> String {
        self.source().display_name(name)
    }
}

pub const FILES: [&str; 7] = [
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
pub fn located(
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
pub struct Checked {
    pub dataset: Option<Dataset>,
    /// (file, line, message) of every error.
    pub errors: Vec<(&'static str, Option<usize>, String)>,
}

/// Checks the fixture; every problem must be well-formed, every error in one of `blame`.
/// `written` are the files this case wrote, as bytes (for line counts).
pub fn check_dataset(
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
pub fn csv_bytes(header: &'static str) -> BoxedStrategy<Vec<u8>> {
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
pub fn mutate(valid: BoxedStrategy<String>) -> BoxedStrategy<String> {
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

pub fn select(items: &[&'static str]) -> BoxedStrategy<String> {
    prop::sample::select(items.to_vec())
        .prop_map(str::to_string)
        .boxed()
}

pub fn good_date() -> BoxedStrategy<String> {
    (2019i32..=2021, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
        .boxed()
}

pub fn date_field() -> BoxedStrategy<String> {
    prop_oneof![
        6 => good_date(),
        1 => (2019i32..=2021, 1u32..=12, 29u32..=32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        1 => (2019i32..=2021, 1u32..=31, 1u32..=12).prop_map(|(y, d, m)| format!("{d:02}/{m:02}/{y}")),
        1 => (0u32..=99999, 0u32..=99, 0u32..=99).prop_map(|(y, m, d)| format!("{y}-{m}-{d}")),
    ]
    .boxed()
}

/// Line breaks so far: LF, CRLF, and a lone CR (which ends a line too, as in old Mac files).
pub fn line_breaks(s: &str) -> usize {
    s.replace("\r\n", "\n").matches(['\n', '\r']).count()
}

pub const CONTROL_HEADER: &str = "date,target,controller,parties,confidence,source,note";
