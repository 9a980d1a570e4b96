//! A small layer over the csv crate: named columns, line numbers, and field-count checks.

use super::problem::Problems;

/// One data row with the line it came from.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line in the file.
    pub line: usize,
    fields: Vec<String>,
}

/// A CSV file read into rows, with column positions looked up by header name.
#[derive(Debug, Clone)]
pub struct Table {
    header: Vec<String>,
    /// The rows that have the header's number of fields.
    pub rows: Vec<Row>,
}

/// The line a record starts on. csv positions a record where the previous one ended, before
/// the blank lines it skips; count those too.
fn start_line(text: &str, p: &csv::Position) -> usize {
    let skipped = text
        .as_bytes()
        .get(usize::try_from(p.byte()).unwrap_or(usize::MAX)..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .filter(|&&b| b == b'\n')
        .count();
    usize::try_from(p.line())
        .unwrap_or(usize::MAX)
        .saturating_add(skipped)
}

/// The first character of `s` that text must not hold: a control character (a tab is allowed
/// only where `tab_ok`) or a Unicode non-character. Written raw, these break SVG/XML files and
/// terminals.
pub fn forbidden_char(s: &str, tab_ok: bool) -> Option<char> {
    s.chars().find(|&c| {
        (c.is_control() && !(tab_ok && c == '\t'))
            || ('\u{FDD0}'..='\u{FDEF}').contains(&c)
            || (u32::from(c) & 0xFFFE) == 0xFFFE
    })
}

impl Table {
    /// Reads `text`, requiring the `required` columns; rows with the wrong number of fields are
    /// reported and dropped. `None` when the header itself is unusable.
    pub fn parse(
        text: &str,
        file: &str,
        required: &[&str],
        problems: &mut Problems,
    ) -> Option<Table> {
        // A lone CR ends a line too (old Mac exports): make it a LF so line numbers count it.
        let normalised;
        let text = if text.contains('\r') {
            normalised = text.replace("\r\n", "\n").replace('\r', "\n");
            normalised.as_str()
        } else {
            text
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h
                .iter()
                .map(|s| s.trim_start_matches('\u{feff}').to_string())
                .collect(),
            Err(e) => {
                problems.error(file, Some(1), format!("unreadable CSV header: {e}"));
                return None;
            }
        };
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !header.iter().any(|h| h == c))
            .collect();
        if !missing.is_empty() && header.len() == 1 && header[0].contains(';') {
            problems.error(
                file,
                Some(1),
                format!(
                    "the columns are separated by semicolons (as a French-language spreadsheet exports CSV); this tool reads commas: export again choosing the comma as separator, expected {}",
                    required.join(",")
                ),
            );
            return None;
        }
        if !missing.is_empty() {
            problems.error(
                file,
                Some(1),
                format!(
                    "the header lacks the column(s) {}; expected {}",
                    missing.join(", "),
                    required.join(",")
                ),
            );
            return None;
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| start_line(text, p));
                    if r.len() == 1 && r.get(0).is_some_and(str::is_empty) {
                        continue;
                    }
                    // No field of these files may span lines: a quote that does swallowed the
                    // line break and the rows after it until the next quote.
                    if r.iter().any(|f| f.contains('\n')) {
                        problems.error(
                            file,
                            Some(line),
                            "a quote opened on this line runs past the end of the line, swallowing the rows that follow up to the next quote; close it, or remove it",
                        );
                        continue;
                    }
                    if let Some(c) = r.iter().find_map(|f| forbidden_char(f, true)) {
                        problems.error(
                            file,
                            Some(line),
                            format!(
                                "the character U+{:04X} (a control character or non-character) cannot be written into a map; remove it",
                                u32::from(c)
                            ),
                        );
                        continue;
                    }
                    if r.len() != header.len() {
                        problems.error(
                            file,
                            Some(line),
                            format!(
                                "this row has {} fields but the header has {}",
                                r.len(),
                                header.len()
                            ),
                        );
                        continue;
                    }
                    rows.push(Row {
                        line,
                        fields: r.iter().map(str::to_string).collect(),
                    });
                }
                Err(e) => {
                    let line = e.position().map(|p| start_line(text, p));
                    // Nothing after an unreadable row can be trusted to be read as written.
                    problems.error(file, line, format!("unreadable CSV row: {e}"));
                }
            }
        }
        Some(Table { header, rows })
    }

    /// The value of `column` in `row` (empty when the column is absent).
    pub fn get<'a>(&self, row: &'a Row, column: &str) -> &'a str {
        self.header
            .iter()
            .position(|h| h == column)
            .and_then(|i| row.fields.get(i))
            .map_or("", String::as_str)
    }

    /// A date column of a row, or `None` with the problem reported at the row's line.
    pub fn date(
        &self,
        row: &Row,
        column: &str,
        file: &str,
        problems: &mut Problems,
    ) -> Option<crate::date::Date> {
        crate::date::parse_date(self.get(row, column))
            .map_err(|e| problems.error(file, Some(row.line), e))
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_swallowing_a_line_break_is_an_error_where_it_opened() {
        let text = "a,b,c\n1,\"x,3\n4,5,6\n7,y\",9\n10,11,12\n";
        let mut p = Problems::default();
        let t = Table::parse(text, "f.csv", &["a", "b", "c"], &mut p).unwrap();
        assert_eq!(p.error_count(), 1, "{:?}", p.all());
        assert!(
            p.all()[0].to_string().starts_with("f.csv:2: a quote"),
            "{}",
            p.all()[0]
        );
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [5]);
    }

    #[test]
    fn lone_cr_lines_are_counted() {
        let text = "a,b\r1,2\r3\r4,5\r";
        let mut p = Problems::default();
        let t = Table::parse(text, "f.csv", &["a", "b"], &mut p).unwrap();
        assert_eq!(
            p.all()[0].to_string(),
            "f.csv:3: this row has 1 fields but the header has 2"
        );
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4]);
    }

    #[test]
    fn a_semicolon_separated_file_is_recognised() {
        let mut p = Problems::default();
        assert!(Table::parse("a;b\n1;2\n", "f.csv", &["a", "b"], &mut p).is_none());
        assert!(
            p.all()[0].to_string().contains("semicolons"),
            "{}",
            p.all()[0]
        );
    }

    #[test]
    fn rows_after_blank_lines_keep_their_own_line() {
        for eol in ["\n", "\r\n"] {
            let text = ["a,b", "", "1,2", "", "", "3", "4,5"].join(eol);
            let mut p = Problems::default();
            let t = Table::parse(&text, "f.csv", &["a", "b"], &mut p).unwrap();
            let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [3, 7], "{eol:?}");
            assert_eq!(
                p.all()[0].to_string(),
                "f.csv:6: this row has 1 fields but the header has 2"
            );
        }
    }
}
