//! `control.csv`: who controls each target from a date until the target's next record.

use std::collections::HashMap;

use super::manifest::{CONTESTED, Manifest, UNKNOWN};
use super::problem::Problems;
use super::references::Citation;
use super::table::Table;
use crate::date::Date;
use crate::suggest::did_you_mean;
use crate::territory::{Territory, TerritoryId};

/// Unknown ids of a file that get a "did you mean" suggestion.
const MAX_SUGGESTIONS: usize = 20;

/// Who holds a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Control {
    /// One faction, by index into the manifest's factions.
    Faction(usize),
    /// Fought over; the two parties (faction indices, in the manifest's order) when the record
    /// names them.
    Contested(Option<(usize, usize)>),
}

impl Control {
    /// A contest between two factions. A contest has no first side: `a|b` and `b|a` are the
    /// same control, drawn, keyed, counted and compared alike, so the pair is kept in the
    /// manifest's order.
    ///
    /// ```
    /// use controlmap::dataset::Control;
    /// assert_eq!(Control::contest(3, 1), Control::contest(1, 3));
    /// ```
    pub fn contest(a: usize, b: usize) -> Control {
        Control::Contested(Some((a.min(b), a.max(b))))
    }
}

/// How sure the sources are of a record's date and controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confidence {
    /// Stated by at least one source without conflict.
    Confirmed,
    /// A range, a conflict between sources, or an inference.
    Approximate,
}

impl Confidence {
    /// The word used in `control.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::Approximate => "approximate",
        }
    }
}

/// One dated control record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The day from which it holds.
    pub date: Date,
    /// The territory it is about.
    pub target: TerritoryId,
    /// Who holds it; `None` for a record that says control is no longer known (`unknown`).
    pub control: Option<Control>,
    /// How sure.
    pub confidence: Confidence,
    /// The `source` column as written: reference ids (or free text without a references table).
    pub source: String,
    /// The references `source` names, resolved against the references table (empty without one).
    pub citations: Vec<Citation>,
    /// Free note.
    pub note: String,
    /// Line in `control.csv`.
    pub line: usize,
}

impl Record {
    /// The references the record cites: the `;`-separated entries of its source.
    pub fn reference_ids(&self) -> impl Iterator<Item = &str> {
        self.source
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// Parses `control.csv`, resolving targets and factions; the result is sorted by (target, date).
/// With `check_targets` false (the outlines could not be read), unknown targets are skipped
/// without a message, so that one broken file does not bury its own error under hundreds.
pub fn parse_records(
    text: &str,
    file: &str,
    manifest: &Manifest,
    territories: &[Territory],
    check_targets: bool,
    problems: &mut Problems,
) -> Vec<Record> {
    let required = [
        "date",
        "target",
        "controller",
        "parties",
        "confidence",
        "source",
        "note",
    ];
    let Some(table) = Table::parse(text, file, &required[..3], problems) else {
        return Vec::new();
    };
    let mut targets: HashMap<&str, TerritoryId> = HashMap::new();
    for (i, t) in territories.iter().enumerate() {
        targets.entry(&t.id).or_insert(TerritoryId(i));
    }
    let target_ids = || territories.iter().map(|t| t.id.as_str());
    let faction_ids = || {
        manifest
            .factions
            .iter()
            .map(|f| f.id.as_str())
            .chain([CONTESTED, UNKNOWN])
    };
    let mut records: Vec<Record> = Vec::new();
    let mut unknown_targets = 0usize;
    for row in &table.rows {
        let line = Some(row.line);
        // Every problem of a row is reported, not only the first.
        let date = table.date(row, "date", file, problems);
        let target_id = table.get(row, "target");
        let target = targets.get(target_id).copied();
        if target.is_none() && check_targets {
            // Suggestions cost a comparison with every id: offer them for the first few
            // unknown ids only, so a file of thousands stays fast to check.
            unknown_targets += 1;
            let hint = if unknown_targets <= MAX_SUGGESTIONS {
                did_you_mean(target_id, target_ids())
            } else {
                String::new()
            };
            problems.error(
                file,
                line,
                format!("unknown target '{target_id}': not a region or place id{hint}"),
            );
        }
        let controller = table.get(row, "controller");
        let parties_text = table.get(row, "parties");
        let mut parties = Vec::new();
        let mut parties_ok = true;
        for p in parties_text
            .split('|')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match manifest.faction_index(p) {
                Some(i) => parties.push(i),
                None => {
                    problems.error(
                        file,
                        line,
                        format!(
                            "unknown faction '{p}' in parties{}; the dataset's factions are {}",
                            did_you_mean(p, faction_ids()),
                            faction_ids().collect::<Vec<_>>().join(", ")
                        ),
                    );
                    parties_ok = false;
                }
            }
        }
        let known_factions = || faction_ids().collect::<Vec<_>>().join(", ");
        let control = if !parties_ok {
            None
        } else if controller == UNKNOWN {
            Some(None)
        } else if controller == CONTESTED {
            match parties.as_slice() {
                [] => Some(Some(Control::Contested(None))),
                [a, b] if a != b => Some(Some(Control::contest(*a, *b))),
                _ => {
                    problems.error(
                        file,
                        line,
                        format!(
                            "parties '{parties_text}' must name two different factions, like a|b"
                        ),
                    );
                    None
                }
            }
        } else {
            match manifest.faction_index(controller) {
                Some(i) => {
                    if !parties.is_empty() {
                        problems.warning(file, line, format!("parties are only used for contested targets; '{parties_text}' is ignored"));
                    }
                    Some(Some(Control::Faction(i)))
                }
                None => {
                    problems.error(
                        file,
                        line,
                        format!(
                            "unknown controller '{controller}'{}; the dataset's factions are {}",
                            did_you_mean(controller, faction_ids()),
                            known_factions()
                        ),
                    );
                    None
                }
            }
        };
        let confidence = match table.get(row, "confidence") {
            "confirmed" | "" => Some(Confidence::Confirmed),
            "approximate" => Some(Confidence::Approximate),
            other => {
                problems.error(
                    file,
                    line,
                    format!("confidence '{other}' must be confirmed or approximate"),
                );
                None
            }
        };
        let source = table.get(row, "source").to_string();
        if source.is_empty() {
            problems.error(
                file,
                line,
                format!(
                    "the record for '{target_id}' on {} has no source",
                    table.get(row, "date")
                ),
            );
        }
        let (Some(date), Some(target), Some(control), Some(confidence), false) =
            (date, target, control, confidence, source.is_empty())
        else {
            continue;
        };
        records.push(Record {
            date,
            target,
            control,
            confidence,
            source,
            citations: Vec::new(),
            note: table.get(row, "note").to_string(),
            line: row.line,
        });
    }
    records.sort_by_key(|r| (r.target, r.date, r.line));
    // Same target and day: identical rows are a harmless repeat, different ones a contradiction.
    let mut kept: Vec<Record> = Vec::with_capacity(records.len());
    for r in records {
        match kept.last() {
            Some(prev) if prev.target == r.target && prev.date == r.date => {
                if prev.control != r.control {
                    problems.error(
                        file,
                        Some(r.line),
                        format!(
                            "disagrees with line {} about {} on {}",
                            prev.line,
                            target_name(r.target, territories),
                            r.date
                        ),
                    );
                } else {
                    problems.warning(file, Some(r.line), format!("repeats line {}", prev.line));
                }
            }
            Some(prev) if prev.target == r.target && prev.control == r.control => {
                problems.warning(
                    file,
                    Some(r.line),
                    format!(
                        "repeats the controller already in force for {} since line {}",
                        target_name(r.target, territories),
                        prev.line
                    ),
                );
                kept.push(r);
            }
            _ => kept.push(r),
        }
    }
    kept
}

fn target_name(t: TerritoryId, territories: &[Territory]) -> &str {
    territories.get(t.0).map_or("?", |x| x.id.as_str())
}
