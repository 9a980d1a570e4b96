//! Property tests for the date, step and size parsers: each property runs 10,000 generated
//! cases and must never panic; what a parser accepts it prints back, what it refuses it names.
//! Failures are not persisted: a failing case is printed in full, shrunk, and belongs in a unit
//! test next to the fix.

mod common;

use common::props::{CASES, check};
use controlmap::cli::args::parse_size;
use controlmap::date::{Date, Step, parse_date};
use controlmap::scene::layout::MAX_SIDE;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

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
