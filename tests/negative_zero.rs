//! Issue 12.5: no negative zero in any output (`-0.0 %`, `-0.000000` in a CSV, `-0` in an SVG
//! coordinate), over every format and many dates of both shipped datasets.

use controlmap::analysis::areas_km2;
use controlmap::analysis::series::share_series;
use controlmap::commands::analyst::{
    TextFormat, compute_diff, describe_report, diff_report, series_span, series_to_csv,
    state_report,
};
use controlmap::commands::history::{HistoryFormat, HistoryRequest, history_report};
use controlmap::commands::load_dataset;
use controlmap::date::{Date, Step, parse_date};
use controlmap::frames::plan::dates_between;
use controlmap::lang::Lang;
use controlmap::render::{Format, encode};
use controlmap::scene::{MapLayout, MapOptions};
use controlmap::timeline::Timeline;

/// The first negative zero in `text` (`-0`, `-0.0`, `-0.000` not followed by a digit), with
/// some context.
fn negative_zero(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(k) = text[i..].find("-0") {
        let start = i + k;
        let mut end = start + 2;
        if b.get(end) == Some(&b'.') {
            end += 1;
            while b.get(end) == Some(&b'0') {
                end += 1;
            }
        }
        let next = b.get(end).copied();
        // `-0` after a digit is a date or a range (`2012-07-15`, `10-0`), not a number; after
        // a letter it may be one (`M-0 5` in an SVG path), and no shipped id ends in `-0`.
        let before_is_number_start =
            start == 0 || !(b[start - 1].is_ascii_digit() || matches!(b[start - 1], b'-' | b'_'));
        if before_is_number_start && !next.is_some_and(|c| c.is_ascii_digit() || c == b'.') {
            let from = start.saturating_sub(40);
            let to = (end + 40).min(text.len());
            let from = (0..=from)
                .rev()
                .find(|&j| text.is_char_boundary(j))
                .unwrap_or(0);
            let to = (to..=text.len())
                .find(|&j| text.is_char_boundary(j))
                .unwrap_or(text.len());
            return Some(text[from..to].to_string());
        }
        i = start + 2;
    }
    None
}

#[test]
fn the_detector_finds_negative_zeros_and_ignores_dates() {
    for bad in [
        "-0.0 %",
        "x,-0.000000\n",
        "M-0 5",
        "L3.0 -0.0Z",
        "y=\"-0.00\"",
    ] {
        assert!(negative_zero(bad).is_some(), "{bad}");
    }
    for good in [
        "2012-07-15",
        "frame-00001",
        "-0.5",
        "-0.05",
        "x-0.25",
        "10-0",
    ] {
        assert!(negative_zero(good).is_none(), "{good}");
    }
}

fn every(from: &str, to: &str, days: u32) -> Vec<Date> {
    dates_between(
        parse_date(from).unwrap(),
        parse_date(to).unwrap(),
        Step::Days(days),
    )
    .unwrap()
}

fn check(what: &str, text: &str) {
    if let Some(ctx) = negative_zero(text) {
        panic!("{what}: a negative zero in …{ctx}…");
    }
}

#[test]
fn no_text_output_has_a_negative_zero() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (dir, dates) in [
        (None, every("2011-12-01", "2015-01-31", 9)),
        (
            Some(root.join("tests/data/ruritania")),
            every("2019-12-20", "2020-04-10", 3),
        ),
    ] {
        let dataset = load_dataset(dir.as_deref()).unwrap();
        for &date in &dates {
            for format in [
                TextFormat::Table,
                TextFormat::Csv,
                TextFormat::Json,
                TextFormat::GeoJson,
            ] {
                let text = state_report(&dataset, date, format, Lang::En).unwrap();
                check(&format!("state {date} {format:?}"), &text);
            }
            check(
                &format!("describe {date}"),
                &describe_report(&dataset, date, Lang::En),
            );
        }
        for pair in dates.windows(2).step_by(3) {
            let d = compute_diff(&dataset, pair[0], pair[pair.len() - 1]).unwrap();
            let d_back = compute_diff(&dataset, dates[0], pair[1]).unwrap();
            for format in [TextFormat::Table, TextFormat::Csv, TextFormat::Json] {
                check(
                    &format!("diff {pair:?} {format:?}"),
                    &diff_report(&dataset, &d, format, Lang::En).unwrap(),
                );
                check(
                    &format!("diff from the start to {} {format:?}", pair[1]),
                    &diff_report(&dataset, &d_back, format, Lang::En).unwrap(),
                );
            }
        }
        let timeline = Timeline::new(&dataset);
        let (f, t) = series_span(&dataset, &timeline, None, None).unwrap();
        let series = share_series(&dataset, &timeline, &areas_km2(&dataset), f, t).unwrap();
        check("timeline csv", &series_to_csv(&dataset, &series).unwrap());
        for format in [
            HistoryFormat::GeoJson,
            HistoryFormat::Csv,
            HistoryFormat::WideCsv,
        ] {
            let req = HistoryRequest {
                from: None,
                to: None,
                format,
                lang: Lang::En,
            };
            check(
                &format!("history {format:?}"),
                &history_report(&dataset, &req).unwrap(),
            );
        }
    }
}

#[test]
fn no_svg_has_a_negative_zero_coordinate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (dir, dates) in [
        (None, every("2012-01-01", "2014-12-31", 61)),
        (
            Some(root.join("tests/data/ruritania")),
            every("2020-01-01", "2020-03-31", 15),
        ),
    ] {
        let dataset = load_dataset(dir.as_deref()).unwrap();
        let timeline = Timeline::new(&dataset);
        for (w, h) in [(800, 600), (1280, 720), (333, 777)] {
            let layout = MapLayout::new(&dataset, &MapOptions::new(w, h)).unwrap();
            for &date in &dates {
                let scene = layout.scene(&timeline.state_at(date), None, "");
                let svg = String::from_utf8(encode(&scene, Format::Svg).unwrap()).unwrap();
                check(&format!("svg {w}x{h} {date}"), &svg);
            }
        }
    }
}
