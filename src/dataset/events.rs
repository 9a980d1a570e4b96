//! `events.csv`: dated captions for titles and the timeline strip.

use super::problem::Problems;
use super::references::Citation;
use super::table::Table;
use crate::date::Date;

/// A dated caption.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The day it happened.
    pub date: Date,
    /// A short caption, e.g. "The MNLA declares Azawad independent".
    pub caption: String,
    /// The `source` column as written: reference ids (or free text without a references table).
    pub source: String,
    /// The references `source` names, resolved against the references table (empty without one).
    pub citations: Vec<Citation>,
    /// Line in `events.csv`.
    pub line: usize,
}

/// Parses `events.csv` (`date,caption,source`); the result is sorted by date.
pub fn parse_events(text: &str, file: &str, problems: &mut Problems) -> Vec<Event> {
    let Some(table) = Table::parse(text, file, &["date", "caption", "source"], problems) else {
        return Vec::new();
    };
    let mut events = Vec::new();
    for row in &table.rows {
        let line = Some(row.line);
        let Some(date) = table.date(row, "date", file, problems) else {
            continue;
        };
        let caption = table.get(row, "caption");
        if caption.is_empty() {
            problems.error(file, line, "an event needs a caption");
            continue;
        }
        let source = table.get(row, "source");
        if source.is_empty() {
            problems.error(file, line, format!("the event of {date} has no source"));
        }
        events.push(Event {
            date,
            caption: caption.to_string(),
            source: source.to_string(),
            citations: Vec::new(),
            line: row.line,
        });
    }
    events.sort_by_key(|e| (e.date, e.line));
    events
}
