//! `references.csv`: the publications that records and events cite, so that a reader can find
//! and open them.
//!
//! Records and events name references by id in their `source` column, several separated by
//! `;`, each optionally with a locator after a colon (`icg-2013-04-11:p.3`). Outputs never show
//! the ids: they cite a reference by its short form, publisher and date
//! ("International Crisis Group, 11 Apr 2013").

use std::collections::HashMap;

use super::events::Event;
use super::manifest::is_slug;
use super::problem::Problems;
use super::records::Record;
use super::table::Table;
use crate::date::{Date, parse_date};
use crate::suggest::did_you_mean;

/// The columns of `references.csv`, in their documented order.
pub const COLUMNS: [&str; 10] = [
    "id",
    "author",
    "publisher",
    "title",
    "date",
    "url",
    "archive_url",
    "language",
    "accessed",
    "note",
];

/// When a reference was published: a day, a month, a year, or not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PubDate {
    /// Not known (the reference's note says why).
    Unknown,
    /// Only the year.
    Year(i16),
    /// Year and month.
    Month(i16, i8),
    /// The day.
    Day(Date),
}

impl PubDate {
    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or an empty field.
    ///
    /// ```
    /// use controlmap::dataset::references::PubDate;
    /// assert_eq!(PubDate::parse("2014-05"), Ok(PubDate::Month(2014, 5)));
    /// assert_eq!(PubDate::parse(""), Ok(PubDate::Unknown));
    /// assert!(PubDate::parse("2014-13").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<PubDate, String> {
        let bad = || format!("date '{text}' must be YYYY, YYYY-MM or YYYY-MM-DD (or empty)");
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, digits: usize| -> Result<i16, String> {
            if s.len() != digits || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        match parts.as_slice() {
            [""] => Ok(PubDate::Unknown),
            [y] => Ok(PubDate::Year(number(y, 4)?)),
            [y, m] => {
                let m = number(m, 2)?;
                if !(1..=12).contains(&m) {
                    return Err(bad());
                }
                Ok(PubDate::Month(number(y, 4)?, m as i8))
            }
            [_, _, _] => parse_date(text).map(PubDate::Day).map_err(|_| bad()),
            _ => Err(bad()),
        }
    }

    /// As a reader sees it: `11 Apr 2013`, `May 2014`, `2012`, or nothing.
    pub fn display(&self, lang: crate::lang::Lang) -> String {
        let month = |m: i8| crate::date::month_short(m, lang);
        match *self {
            PubDate::Unknown => String::new(),
            PubDate::Year(y) => y.to_string(),
            PubDate::Month(y, m) => format!("{} {y}", month(m)),
            PubDate::Day(d) => format!("{} {} {}", d.day(), month(d.month()), d.year()),
        }
    }

    /// The first day it may stand for, for sorting (unknown sorts first).
    pub fn earliest(&self) -> Option<Date> {
        match *self {
            PubDate::Unknown => None,
            PubDate::Year(y) => Date::new(y, 1, 1).ok(),
            PubDate::Month(y, m) => Date::new(y, m, 1).ok(),
            PubDate::Day(d) => Some(d),
        }
    }
}

impl std::fmt::Display for PubDate {
    /// As `references.csv` writes it: `2013-04-11`, `2014-05`, `2012`, or nothing.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            PubDate::Unknown => Ok(()),
            PubDate::Year(y) => write!(f, "{y:04}"),
            PubDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            PubDate::Day(d) => write!(f, "{d}"),
        }
    }
}

/// One publication.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Short slug cited in `source` columns, e.g. `icg-2013-04-11`. Never shown to readers.
    pub id: String,
    /// Author(s), when known.
    pub author: String,
    /// Who published it: the outlet, agency or organisation.
    pub publisher: String,
    /// Its title as published.
    pub title: String,
    /// When it was published.
    pub date: PubDate,
    /// Where to read it.
    pub url: String,
    /// An archived copy.
    pub archive_url: String,
    /// Language code (`en`, `fr`).
    pub language: String,
    /// The day it was read, when known.
    pub accessed: String,
    /// What a reader should know: a mirror, a wire copy, why the date is unknown.
    pub note: String,
    /// Line in `references.csv`.
    pub line: usize,
}

impl Reference {
    /// The short form shown in every output: publisher and date.
    ///
    /// ```
    /// use controlmap::dataset::references::{PubDate, Reference};
    /// let r = Reference {
    ///     id: "wib-2014-05".into(), author: String::new(), publisher: "War Is Boring".into(),
    ///     title: "Mali's Army Just Lost Half the Country to Rebels—Again".into(),
    ///     date: PubDate::Month(2014, 5), url: String::new(), archive_url: String::new(),
    ///     language: "en".into(), accessed: String::new(), note: String::new(), line: 2,
    /// };
    /// assert_eq!(r.short(controlmap::lang::Lang::En), "War Is Boring, May 2014");
    /// ```
    pub fn short(&self, lang: crate::lang::Lang) -> String {
        let french = lang == crate::lang::Lang::Fr;
        match self.date {
            PubDate::Unknown => format!(
                "{}, {}",
                self.publisher,
                if french { "sans date" } else { "undated" }
            ),
            d => format!("{}, {}", self.publisher, d.display(lang)),
        }
    }
}

/// One citation in a `source` column: a reference (index into the dataset's references) and
/// an optional locator such as a page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Citation {
    /// Index into [`crate::dataset::Dataset::references`].
    pub reference: usize,
    /// Page, paragraph or section, when given (`p.3`).
    pub locator: Option<String>,
}

fn is_web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len())
        && !url.contains(char::is_whitespace)
}

/// Parses `references.csv`, reporting every problem; rows with a bad id or no publisher or
/// title are still kept (so that citations of them do not also fail), the problem is enough.
pub fn parse_references(text: &str, file: &str, problems: &mut Problems) -> Vec<Reference> {
    let required = ["id", "publisher", "title", "date", "url"];
    let Some(table) = Table::parse(text, file, &required, problems) else {
        return Vec::new();
    };
    let mut refs: Vec<Reference> = Vec::new();
    // Line of each id already read: a linear scan per row made a 100,000-row table take minutes.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let line = Some(row.line);
        let id = table.get(row, "id");
        if !is_slug(id) {
            problems.error(
                file,
                line,
                format!("reference id '{id}' must be lowercase letters, digits, '-' or '_'"),
            );
            continue;
        }
        if let Some(first) = seen.get(id) {
            problems.error(
                file,
                line,
                format!("reference '{id}' is already defined on line {first}"),
            );
            continue;
        }
        seen.insert(id.to_string(), row.line);
        let publisher = table.get(row, "publisher");
        let title = table.get(row, "title");
        match (publisher.is_empty(), title.is_empty()) {
            (true, true) => problems.error(
                file,
                line,
                format!("reference '{id}' has no publisher and no title"),
            ),
            (true, false) => {
                problems.error(file, line, format!("reference '{id}' has no publisher"))
            }
            (false, true) => problems.error(file, line, format!("reference '{id}' has no title")),
            (false, false) => {}
        }
        let note = table.get(row, "note");
        let date = match PubDate::parse(table.get(row, "date")) {
            Ok(d) => d,
            Err(e) => {
                problems.error(file, line, format!("reference '{id}': {e}"));
                PubDate::Unknown
            }
        };
        if table.get(row, "date").is_empty() && note.is_empty() {
            problems.error(
                file,
                line,
                format!("reference '{id}' has no date: give one (2012-03 is fine) or say why in its note"),
            );
        }
        for column in ["url", "archive_url"] {
            let url = table.get(row, column);
            if !url.is_empty() && !is_web_address(url) {
                problems.error(
                    file,
                    line,
                    format!(
                        "reference '{id}': {column} '{url}' is not an http:// or https:// address"
                    ),
                );
            }
        }
        let accessed = table.get(row, "accessed");
        if !accessed.is_empty()
            && let Err(e) = parse_date(accessed)
        {
            problems.error(file, line, format!("reference '{id}': accessed: {e}"));
        }
        refs.push(Reference {
            id: id.to_string(),
            author: table.get(row, "author").to_string(),
            publisher: publisher.to_string(),
            title: title.to_string(),
            date,
            url: table.get(row, "url").to_string(),
            archive_url: table.get(row, "archive_url").to_string(),
            language: table.get(row, "language").to_string(),
            accessed: accessed.to_string(),
            note: note.to_string(),
            line: row.line,
        });
    }
    refs
}

/// Splits a `source` field into (id, locator) pairs: `a; b:p.3` gives `a` and `b` with `p.3`.
///
/// ```
/// use controlmap::dataset::references::split_source;
/// assert_eq!(
///     split_source("icg-2013-04-11:p.3; afp-2013-01-28"),
///     vec![("icg-2013-04-11", Some("p.3")), ("afp-2013-01-28", None)]
/// );
/// ```
pub fn split_source(source: &str) -> Vec<(&str, Option<&str>)> {
    source
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s.split_once(':') {
            Some((id, loc)) => (id.trim(), Some(loc.trim()).filter(|l| !l.is_empty())),
            None => (s, None),
        })
        .collect()
}

fn resolve(
    source: &str,
    index: &HashMap<&str, usize>,
    refs: &[Reference],
    file: &str,
    line: usize,
    cited: &mut [bool],
    problems: &mut Problems,
) -> Vec<Citation> {
    let mut out: Vec<Citation> = Vec::new();
    for (id, locator) in split_source(source) {
        if id.is_empty() {
            problems.error(
                file,
                Some(line),
                format!(
                    "a citation has no reference id before its locator ':{}'",
                    locator.unwrap_or_default()
                ),
            );
            continue;
        }
        match index.get(id) {
            Some(&i) => {
                cited[i] = true;
                let c = Citation {
                    reference: i,
                    locator: locator.map(str::to_string),
                };
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            None => problems.error(
                file,
                Some(line),
                format!(
                    "unknown reference '{id}': not an id in the references table{}",
                    did_you_mean(id, refs.iter().map(|r| r.id.as_str()))
                ),
            ),
        }
    }
    out
}

/// Resolves the `source` of every record and event into citations, reporting unknown ids at
/// their file and line, and warns about references that nothing cites.
#[allow(clippy::too_many_arguments)]
pub fn cite(
    records: &mut [Record],
    events: &mut [Event],
    refs: &[Reference],
    control_file: &str,
    events_file: &str,
    references_file: &str,
    problems: &mut Problems,
) {
    let index: HashMap<&str, usize> = refs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut cited = vec![false; refs.len()];
    // Report in file order, as a reader fixes them.
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by_key(|&i| records[i].line);
    for i in order {
        let r = &mut records[i];
        r.citations = resolve(
            &r.source,
            &index,
            refs,
            control_file,
            r.line,
            &mut cited,
            problems,
        );
    }
    for e in events.iter_mut() {
        e.citations = resolve(
            &e.source,
            &index,
            refs,
            events_file,
            e.line,
            &mut cited,
            problems,
        );
    }
    for (r, used) in refs.iter().zip(cited) {
        if !used {
            problems.warning(
                references_file,
                Some(r.line),
                format!("reference '{}' is never cited", r.id),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,author,publisher,title,date,url,archive_url,language,accessed,note\n";

    fn parse(rows: &str) -> (Vec<Reference>, Vec<String>) {
        let mut p = Problems::default();
        let refs = parse_references(&format!("{HEADER}{rows}"), "references.csv", &mut p);
        (refs, p.all().iter().map(ToString::to_string).collect())
    }

    #[test]
    fn short_forms_show_partial_dates_as_partial() {
        let (refs, problems) = parse(
            "icg-2013-04-11,,International Crisis Group,\"Mali: Security, Dialogue and Meaningful Reform\",2013-04-11,https://example.org/a,,en,,\n\
             wib-2014-05,,War Is Boring,Lost half the country,2014-05,https://example.org/b,,en,,\n\
             blog-2012,,A blog,Three takeaways,2012,,,en,,\n\
             nodate,,A wire,Something,,,,en,,the copy carries no date\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let short: Vec<String> = refs
            .iter()
            .map(|r| r.short(crate::lang::Lang::En))
            .collect();
        assert_eq!(
            short,
            [
                "International Crisis Group, 11 Apr 2013",
                "War Is Boring, May 2014",
                "A blog, 2012",
                "A wire, undated"
            ]
        );
        assert_eq!(
            refs[0].short(crate::lang::Lang::Fr),
            "International Crisis Group, 11 avr. 2013"
        );
    }

    #[test]
    fn every_bad_reference_is_reported_at_its_line() {
        let (_, problems) = parse(
            "a,,,Title,2012,,,,,\n\
             b,,Pub,,2012,,,,,\n\
             c,,Pub,T,2012,ftp://x.org/a,,,,\n\
             d,,Pub,T,2012,,file:///etc/passwd,,,\n\
             e,,Pub,T,,,,,,\n\
             f,,Pub,T,2012-13,,,,,\n\
             a,,Pub,T,2012,,,,,\n\
             G,,Pub,T,2012,,,,,\n",
        );
        assert_eq!(
            problems,
            [
                "references.csv:2: reference 'a' has no publisher",
                "references.csv:3: reference 'b' has no title",
                "references.csv:4: reference 'c': url 'ftp://x.org/a' is not an http:// or https:// address",
                "references.csv:5: reference 'd': archive_url 'file:///etc/passwd' is not an http:// or https:// address",
                "references.csv:6: reference 'e' has no date: give one (2012-03 is fine) or say why in its note",
                "references.csv:7: reference 'f': date '2012-13' must be YYYY, YYYY-MM or YYYY-MM-DD (or empty)",
                "references.csv:8: reference 'a' is already defined on line 2",
                "references.csv:9: reference id 'G' must be lowercase letters, digits, '-' or '_'",
            ]
        );
    }

    #[test]
    fn citations_resolve_with_locators_and_unknown_ids_are_reported_where_they_are() {
        let (refs, _) = parse(
            "icg-2013-04-11,,International Crisis Group,Mali,2013-04-11,,,en,,\n\
             unused,,A wire,Never cited,2012,,,en,,\n",
        );
        let mut records = vec![Record {
            date: Date::constant(2013, 1, 28),
            target: crate::territory::TerritoryId(0),
            control: None,
            confidence: super::super::Confidence::Confirmed,
            source: "icg-2013-04-11:p.3; icg-2013-04-1".into(),
            citations: Vec::new(),
            note: String::new(),
            line: 7,
        }];
        let mut p = Problems::default();
        cite(
            &mut records,
            &mut [],
            &refs,
            "control.csv",
            "events.csv",
            "references.csv",
            &mut p,
        );
        assert_eq!(
            records[0].citations,
            [Citation {
                reference: 0,
                locator: Some("p.3".into())
            }]
        );
        let shown: Vec<String> = p.all().iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "control.csv:7: unknown reference 'icg-2013-04-1': not an id in the references table (did you mean 'icg-2013-04-11'?)",
                "references.csv:3: warning: reference 'unused' is never cited",
            ]
        );
    }

    #[test]
    fn a_locator_without_an_id_is_reported_as_such_not_as_an_unknown_id() {
        let (refs, _) = parse("ws,,A wire,Something,2012,,,en,,\n");
        let mut records = vec![Record {
            date: Date::constant(2013, 1, 28),
            target: crate::territory::TerritoryId(0),
            control: None,
            confidence: super::super::Confidence::Confirmed,
            source: ":p.3;; ws".into(),
            citations: Vec::new(),
            note: String::new(),
            line: 4,
        }];
        let mut p = Problems::default();
        cite(
            &mut records,
            &mut [],
            &refs,
            "control.csv",
            "events.csv",
            "references.csv",
            &mut p,
        );
        assert_eq!(records[0].citations.len(), 1);
        let shown: Vec<String> = p.all().iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            ["control.csv:4: a citation has no reference id before its locator ':p.3'"]
        );
    }
}
