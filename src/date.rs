//! Calendar dates as the datasets and flags write them (`YYYY-MM-DD`), and frame steps.

use std::fmt;
use std::str::FromStr;

pub use jiff::civil::Date;

/// Parses a strict ISO `YYYY-MM-DD` date, refusing impossible days such as 2012-02-30.
///
/// ```
/// use controlmap::date::parse_date;
/// assert_eq!(parse_date("2012-04-06").unwrap().to_string(), "2012-04-06");
/// assert!(parse_date("2012-02-30").is_err());
/// assert!(parse_date("06/04/2012").is_err());
/// ```
pub fn parse_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let b = t.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(format!("'{t}' is not a date of the form YYYY-MM-DD"));
    }
    let num = |r: std::ops::Range<usize>| t[r].parse::<i16>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7) as i8, num(8..10) as i8);
    Date::new(y, m, d).map_err(|_| format!("'{t}' is not a real calendar day"))
}

/// A distance between two frames of a sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A whole number of days.
    Days(u32),
    /// A whole number of calendar months; from the 31st a month step lands on the month's last day.
    Months(u32),
}

impl FromStr for Step {
    type Err = String;

    /// Parses `7d`, `1w`, `1m` (calendar months).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let bad =
            || format!("'{s}' is not a step: use a whole number and a unit, like 1d, 7d, 2w or 1m");
        if s.len() < 2 || !s.is_ascii() {
            return Err(bad());
        }
        let (num, unit) = s.split_at(s.len() - 1);
        let n: u32 = num.parse().map_err(|_| bad())?;
        if n == 0 {
            return Err(format!(
                "'{s}' is a zero step: a sequence would never advance"
            ));
        }
        let step = match unit {
            "d" => Step::Days(n),
            "w" => Step::Days(n.saturating_mul(7)),
            "m" => Step::Months(n),
            _ => return Err(bad()),
        };
        // The limit holds for the step as shown (`2w` is `14d`), so that what is shown parses.
        match step {
            Step::Days(n) | Step::Months(n) if n > 100_000 => {
                Err(format!("'{s}' is too large a step"))
            }
            _ => Ok(step),
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Days(n) => write!(f, "{n}d"),
            Step::Months(n) => write!(f, "{n}m"),
        }
    }
}

impl Step {
    /// The `k`-th date after `start` (k = 0 is `start`). Month steps count from `start`, so a
    /// sequence from 31 January visits 29 February, 31 March, 30 April…, never drifting.
    pub fn nth_after(self, start: Date, k: u32) -> Option<Date> {
        match self {
            Step::Days(n) => {
                let days = i64::from(n).checked_mul(i64::from(k))?;
                start
                    .checked_add(jiff::Span::new().try_days(days).ok()?)
                    .ok()
            }
            Step::Months(n) => {
                let months = i64::from(n).checked_mul(i64::from(k))?;
                let total = i64::from(start.year()) * 12 + i64::from(start.month() - 1) + months;
                let year = i16::try_from(total.div_euclid(12)).ok()?;
                let month = (total.rem_euclid(12) + 1) as i8;
                let first = Date::new(year, month, 1).ok()?;
                let day = start.day().min(first.days_in_month());
                Date::new(year, month, day).ok()
            }
        }
    }
}

/// A month's abbreviation as captions write it: `Apr`, or in French `avr.` (1 = January).
pub fn month_short(month: i8, lang: crate::lang::Lang) -> &'static str {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const FR: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        crate::lang::Lang::En => EN[i],
        crate::lang::Lang::Fr => FR[i],
    }
}

/// Formats a date the way captions write it: `6 Apr 2012`.
pub fn display_date(d: Date) -> String {
    display_date_in(d, crate::lang::Lang::En)
}

/// Formats a date the way captions write it, in a language: `6 Apr 2012`, `6 avr. 2012`.
///
/// ```
/// use controlmap::{date::{display_date_in, parse_date}, lang::Lang};
/// let d = parse_date("2012-04-06").unwrap();
/// assert_eq!(display_date_in(d, Lang::Fr), "6 avr. 2012");
/// ```
pub fn display_date_in(d: Date, lang: crate::lang::Lang) -> String {
    format!("{} {} {}", d.day(), month_short(d.month(), lang), d.year())
}

/// Formats a date in full, for titles: `15 July 2012` (or French: `15 juillet 2012`).
pub fn display_date_long(d: Date, lang: crate::lang::Lang) -> String {
    let french = lang == crate::lang::Lang::Fr;
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let m = (d.month() - 1) as usize % 12;
    let name = if french { FR[m] } else { EN[m] };
    let day = if french && d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    format!("{day} {name} {}", d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn impossible_and_malformed_dates_are_refused() {
        for bad in [
            "2012-02-30",
            "2013-02-29",
            "2012-13-01",
            "2012-4-6",
            "12/04/2012",
            "",
            "2012-04-06x",
        ] {
            assert!(parse_date(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(d("2012-02-29").day(), 29);
    }

    #[test]
    fn month_steps_from_the_31st_land_on_month_ends() {
        let s: Step = "1m".parse().unwrap();
        let got: Vec<String> = (0..4)
            .map(|k| s.nth_after(d("2012-01-31"), k).unwrap().to_string())
            .collect();
        assert_eq!(
            got,
            ["2012-01-31", "2012-02-29", "2012-03-31", "2012-04-30"]
        );
    }

    #[test]
    fn steps_parse_and_refuse_zero() {
        assert_eq!("7d".parse::<Step>(), Ok(Step::Days(7)));
        assert_eq!("2w".parse::<Step>(), Ok(Step::Days(14)));
        assert_eq!("1m".parse::<Step>(), Ok(Step::Months(1)));
        for bad in [
            "0d", "d", "7", "7y", "-1d", "1.5d", "७d", "100001d", "14286w",
        ] {
            assert!(bad.parse::<Step>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn a_step_shows_as_text_that_parses_to_it() {
        // 14286w would be 100002d, which is refused: weeks keep to the same limit as days.
        let s: Step = "14285w".parse().unwrap();
        assert_eq!(s, Step::Days(99_995));
        assert_eq!(s.to_string().parse::<Step>(), Ok(s));
        assert_eq!("100000m".parse::<Step>(), Ok(Step::Months(100_000)));
    }

    #[test]
    fn display_formats() {
        assert_eq!(display_date(d("2012-04-06")), "6 Apr 2012");
        assert_eq!(
            display_date_long(d("2012-07-15"), crate::lang::Lang::En),
            "15 July 2012"
        );
        assert_eq!(
            display_date_long(d("2013-02-01"), crate::lang::Lang::Fr),
            "1er février 2013"
        );
    }
}
