//! Which frames a sequence has: dates exactly on the requested steps (both ends included),
//! held phase shots, and cross-fades wherever a target changes hands.

use crate::date::{Date, Step};
use crate::error::{Error, Field, Result};
use crate::timeline::Timeline;

/// The most frames one run may plan.
pub const MAX_FRAMES: usize = 100_000;

/// One frame to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedFrame {
    /// The date the frame shows (a cross-fade shows the date it fades to).
    pub date: Date,
    /// For a cross-fade frame: the date it fades from, and how far it has gone (0..1).
    pub fade_from: Option<(Date, f32)>,
    /// The phase title shown, in phase mode.
    pub heading: Option<String>,
}

/// The dates from `from` to `to` every `step`, both ends included (the last step is shortened
/// to land on `to`).
///
/// ```
/// use controlmap::{frames::plan::dates_between, date::{parse_date, Step}};
/// let d = dates_between(parse_date("2012-01-01").unwrap(), parse_date("2012-01-20").unwrap(), Step::Days(7)).unwrap();
/// let s: Vec<String> = d.iter().map(|d| d.to_string()).collect();
/// assert_eq!(s, ["2012-01-01", "2012-01-08", "2012-01-15", "2012-01-20"]);
/// ```
pub fn dates_between(from: Date, to: Date, step: Step) -> Result<Vec<Date>> {
    if from > to {
        return Err(Error::usage_of(
            Field::From,
            format!("{from} is after the end date {to}"),
        ));
    }
    let mut out = Vec::new();
    let mut k = 0u32;
    while let Some(d) = step.nth_after(from, k).filter(|d| *d <= to) {
        out.push(d);
        if out.len() > MAX_FRAMES {
            return Err(Error::usage_of(
                Field::Step,
                format!("{step} from {from} to {to} makes more than {MAX_FRAMES} frames"),
            ));
        }
        k += 1;
    }
    if out.last() != Some(&to) {
        out.push(to);
    }
    Ok(out)
}

fn refuse_beyond_max(planned: usize, more: u32) -> Result<()> {
    let total = u64::try_from(planned).unwrap_or(u64::MAX) + u64::from(more);
    if total > MAX_FRAMES as u64 {
        return Err(Error::usage(format!(
            "the sequence makes more than {MAX_FRAMES} frames"
        )));
    }
    Ok(())
}

/// Expands key dates into frames: each key date `hold` times, preceded by `transition`
/// cross-fade frames when any target's controller differs from the previous key date.
pub fn with_transitions(
    timeline: &Timeline,
    keys: &[(Date, Option<String>)],
    hold: u32,
    transition: u32,
) -> Result<Vec<PlannedFrame>> {
    let mut frames = Vec::new();
    let mut prev: Option<(Date, crate::timeline::State)> = None;
    for (date, heading) in keys {
        let state = timeline.state_at(*date);
        if let Some((pd, ps)) = &prev
            && !ps.same_control(&state)
        {
            // Counted before anything is pushed: a huge --transition or --hold is refused
            // without first building the plan it asks for.
            refuse_beyond_max(frames.len(), transition)?;
            for k in 1..=transition {
                let t = k as f32 / (transition + 1) as f32;
                frames.push(PlannedFrame {
                    date: *date,
                    fade_from: Some((*pd, t)),
                    heading: heading.clone(),
                });
            }
        }
        refuse_beyond_max(frames.len(), hold.max(1))?;
        for _ in 0..hold.max(1) {
            frames.push(PlannedFrame {
                date: *date,
                fade_from: None,
                heading: heading.clone(),
            });
        }
        prev = Some((*date, state));
    }
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn strings(v: &[Date]) -> Vec<String> {
        v.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn both_ends_are_included() {
        assert_eq!(
            strings(&dates_between(d("2012-01-01"), d("2012-01-03"), Step::Days(1)).unwrap()),
            ["2012-01-01", "2012-01-02", "2012-01-03"]
        );
        assert_eq!(
            strings(&dates_between(d("2012-01-01"), d("2012-01-01"), Step::Days(7)).unwrap()),
            ["2012-01-01"]
        );
    }

    #[test]
    fn leap_day_is_a_frame() {
        let v = dates_between(d("2012-02-27"), d("2012-03-02"), Step::Days(1)).unwrap();
        assert_eq!(
            strings(&v),
            [
                "2012-02-27",
                "2012-02-28",
                "2012-02-29",
                "2012-03-01",
                "2012-03-02"
            ]
        );
    }

    #[test]
    fn month_steps_keep_to_month_ends() {
        let v = dates_between(d("2012-10-31"), d("2013-03-31"), Step::Months(1)).unwrap();
        assert_eq!(
            strings(&v),
            [
                "2012-10-31",
                "2012-11-30",
                "2012-12-31",
                "2013-01-31",
                "2013-02-28",
                "2013-03-31"
            ]
        );
    }

    #[test]
    fn reversed_and_oversized_sequences_are_refused() {
        assert!(dates_between(d("2013-01-01"), d("2012-01-01"), Step::Days(1)).is_err());
        let e = dates_between(d("1800-01-01"), d("2100-01-01"), Step::Days(1)).unwrap_err();
        assert!(e.to_string().contains("more than 100000 frames"), "{e}");
    }
}
