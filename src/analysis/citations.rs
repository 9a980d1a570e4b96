//! Citations as readers see them: the short form of each reference (publisher and date), the
//! references behind a map's date, and the credit line.
//!
//! A reader never sees a reference id or a file name: every output goes through
//! [`record_citations`], [`state_citations`] or [`credit_line`].

use std::collections::HashMap;

use crate::dataset::{Citation, Dataset};
use crate::date::Date;
use crate::lang::Lang;
use crate::territory::TerritoryId;
use crate::timeline::State;

/// How many citations a sentence or a table cell names before "and N more".
pub const HANDFUL: usize = 5;

/// The short forms of a record's or event's citations, with locators (`…, 11 Apr 2013, p.3`).
/// Without a references table, the `source` text is the citation and is split at `;`.
pub fn record_citations(
    dataset: &Dataset,
    source: &str,
    citations: &[Citation],
    lang: Lang,
) -> Vec<String> {
    if dataset.manifest.files.references.is_none() {
        return source
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
    }
    let mut out: Vec<String> = Vec::new();
    for c in citations {
        let Some(r) = dataset.references.get(c.reference) else {
            continue;
        };
        let text = match &c.locator {
            Some(l) => format!("{}, {l}", r.short(lang)),
            None => r.short(lang),
        };
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// The records that define a state: for every target held on that day, the record in force,
/// leaving out a target's opening record while the holder it set has never changed (Bamako
/// "government since 1 Jan 2012" is the baseline, not news on 1 June 2014). When nothing has
/// changed yet, the opening records themselves are what the map shows, so they are returned.
///
/// ```
/// use controlmap::{analysis::citations::defining_records, dataset::{Dataset, Source},
///     date::parse_date, timeline::Timeline};
/// let mali = Dataset::load(&Source::Embedded).unwrap();
/// let state = Timeline::new(&mali).state_at(parse_date("2014-06-01").unwrap());
/// let records = defining_records(&mali, &state);
/// // The coup of March 2012 and the baseline of 1 January 2012 define nothing on 1 June 2014.
/// assert!(records.iter().all(|&i| mali.records[i].date.to_string() != "2012-01-01"));
/// ```
pub fn defining_records(dataset: &Dataset, state: &State) -> Vec<usize> {
    let mut opening: HashMap<TerritoryId, Date> = HashMap::new();
    for r in &dataset.records {
        opening
            .entry(r.target)
            .and_modify(|d| *d = (*d).min(r.date))
            .or_insert(r.date);
    }
    let held = dataset
        .territory_ids()
        .filter_map(|(t, _)| state.get(t).map(|h| (t, h)));
    let (changed, baseline): (Vec<_>, Vec<_>) =
        held.partition(|(t, h)| opening.get(t).is_none_or(|d| h.since > *d));
    let chosen = if changed.is_empty() {
        baseline
    } else {
        changed
    };
    let mut out: Vec<usize> = chosen.into_iter().map(|(_, h)| h.record).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// One citation of a state: a reference of the table, or (without a table) a source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cited {
    /// A reference, by index into [`Dataset::references`].
    Reference(usize),
    /// A free-text source of a dataset without a references table.
    Text(String),
}

/// What a state cites, newest first: the references of [`defining_records`] (and of `event`,
/// an event the text also reports), ordered by the date of the newest record or event citing
/// them, then by publication date (undated last).
pub fn state_sources(dataset: &Dataset, state: &State, event: Option<usize>) -> Vec<Cited> {
    // (what, newest citing date, publication date when known)
    let mut found: Vec<(Cited, Date, Option<Date>)> = Vec::new();
    let mut add = |what: Cited, date: Date, published: Option<Date>| match found
        .iter_mut()
        .find(|(w, _, _)| *w == what)
    {
        Some(entry) => entry.1 = entry.1.max(date),
        None => found.push((what, date, published)),
    };
    let sources = defining_records(dataset, state)
        .into_iter()
        .map(|i| &dataset.records[i])
        .map(|r| (r.date, r.source.as_str(), r.citations.as_slice()))
        .chain(
            event
                .and_then(|i| dataset.events.get(i))
                .map(|e| (e.date, e.source.as_str(), e.citations.as_slice())),
        );
    for (date, source, citations) in sources {
        if dataset.manifest.files.references.is_none() {
            for text in record_citations(dataset, source, citations, Lang::En) {
                add(Cited::Text(text), date, None);
            }
            continue;
        }
        for c in citations {
            if let Some(r) = dataset.references.get(c.reference) {
                add(Cited::Reference(c.reference), date, r.date.earliest());
            }
        }
    }
    found.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
    found.into_iter().map(|(w, _, _)| w).collect()
}

/// [`state_sources`] in short form ("International Crisis Group, 11 Apr 2013"), each once.
pub fn state_citations(
    dataset: &Dataset,
    state: &State,
    event: Option<usize>,
    lang: Lang,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in state_sources(dataset, state, event) {
        let text = match c {
            Cited::Reference(i) => dataset.references[i].short(lang),
            Cited::Text(t) => t,
        };
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// At most `max` citations joined by `; `, then "and N more".
///
/// ```
/// use controlmap::analysis::citations::join_citations;
/// use controlmap::lang::Lang;
/// let list: Vec<String> = ["A, 2013", "B, May 2014", "C, undated"].map(String::from).into();
/// assert_eq!(join_citations(&list, 2, Lang::En), "A, 2013; B, May 2014 and 1 more");
/// assert_eq!(join_citations(&list, 5, Lang::Fr), "A, 2013; B, May 2014; C, undated");
/// ```
pub fn join_citations(list: &[String], max: usize, lang: Lang) -> String {
    let french = lang == Lang::Fr;
    let shown = list.len().min(max.max(1));
    let mut s = list[..shown].join("; ");
    let more = list.len() - shown;
    if more > 0 {
        s.push_str(&if french {
            format!(" et {more} autre{}", if more > 1 { "s" } else { "" })
        } else {
            format!(" and {more} more")
        });
    }
    s
}

/// The map's credit line: the dataset's attribution, the publishers its records cite most (in
/// short form, "and N more"), and the outlet's own credit (`--credit`), by default
/// "Map: controlmap.".
pub fn credit_line(dataset: &Dataset, outlet: Option<&str>, lang: Lang) -> String {
    let french = lang == Lang::Fr;
    let mut parts = Vec::new();
    let attribution = dataset.manifest.attribution.trim();
    if !attribution.is_empty() {
        parts.push(attribution.to_string());
    }
    if !dataset.references.is_empty() {
        // Publishers ranked by how many records and events cite them.
        let mut count: HashMap<&str, usize> = HashMap::new();
        let cites = dataset
            .records
            .iter()
            .map(|r| &r.citations)
            .chain(dataset.events.iter().map(|e| &e.citations));
        for list in cites {
            let mut publishers: Vec<&str> = list
                .iter()
                .filter_map(|c| dataset.references.get(c.reference))
                .map(|r| r.publisher.as_str())
                .collect();
            publishers.sort_unstable();
            publishers.dedup();
            for p in publishers {
                *count.entry(p).or_default() += 1;
            }
        }
        let mut ranked: Vec<(&str, usize)> = count.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let names: Vec<String> = ranked.iter().map(|(p, _)| p.to_string()).collect();
        if !names.is_empty() {
            parts.push(format!(
                "{} {}.",
                if french { "Sources :" } else { "Sources:" },
                join_citations(&names, 4, lang).replace("; ", ", ")
            ));
        }
    }
    let outlet = outlet.map(str::trim).filter(|s| !s.is_empty());
    parts.push(match outlet {
        Some(o) => o.to_string(),
        None => if french {
            "Carte : controlmap."
        } else {
            "Map: controlmap."
        }
        .to_string(),
    });
    parts.join("  ")
}
