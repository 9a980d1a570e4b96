//! CSV as this tool writes it: through `csv::Writer` (quoting as RFC 4180 asks), with text
//! neutralised against spreadsheet formula injection and numbers written as they are.

use std::borrow::Cow;

use crate::error::{Error, Result};

/// A text cell neutralised against spreadsheet formula injection as OWASP advises: text
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
/// spreadsheet shows it as text instead of running it. Numbers never go through this.
///
/// ```
/// use controlmap::write::csv::neutralise;
/// assert_eq!(neutralise("Gao"), "Gao");
/// assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralise("-2+3"), "'-2+3");
/// ```
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A CSV document built row by row: [`Table::text`] for words (neutralised),
/// [`Table::num`] for numbers and dates (written as they are, so `-3.5` stays a number),
/// [`Table::end_row`] after each row.
///
/// ```
/// use controlmap::write::csv::Table;
/// let mut t = Table::new();
/// t.text("name").text("change").end_row().unwrap();
/// t.text("Gao, Mali").num("-3.5").end_row().unwrap();
/// t.text("=1+1").num("0").end_row().unwrap();
/// assert_eq!(t.finish().unwrap(), "name,change\n\"Gao, Mali\",-3.5\n'=1+1,0\n");
/// ```
#[derive(Debug)]
pub struct Table {
    writer: csv::Writer<Vec<u8>>,
    row: Vec<String>,
}

impl Default for Table {
    fn default() -> Self {
        Table::new()
    }
}

impl Table {
    /// An empty document.
    pub fn new() -> Table {
        Table {
            writer: csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new()),
            row: Vec::new(),
        }
    }

    /// Adds a text cell to the current row.
    pub fn text(&mut self, s: &str) -> &mut Table {
        self.row.push(neutralise(s).into_owned());
        self
    }

    /// Adds a number (or date, or machine id) to the current row, unchanged.
    pub fn num(&mut self, s: impl Into<String>) -> &mut Table {
        self.row.push(s.into());
        self
    }

    /// Ends the current row.
    pub fn end_row(&mut self) -> Result<()> {
        let row = std::mem::take(&mut self.row);
        self.writer
            .write_record(&row)
            .map_err(|e| Error::Runtime(format!("CSV: {e}")))
    }

    /// Adds a whole row of text cells.
    pub fn text_row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<()> {
        for c in cells {
            self.text(c.as_ref());
        }
        self.end_row()
    }

    /// The document (a pending row that was never ended is dropped on purpose: it is a bug to
    /// leave one, and half a row would mislead a reader).
    pub fn finish(self) -> Result<String> {
        let bytes = self
            .writer
            .into_inner()
            .map_err(|e| Error::Runtime(format!("CSV: {e}")))?;
        String::from_utf8(bytes).map_err(|e| Error::Runtime(format!("CSV: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_with_a_line_break_is_quoted() {
        let mut t = Table::new();
        t.text("a\nb")
            .text("say \"hi\"")
            .text("")
            .end_row()
            .unwrap();
        assert_eq!(t.finish().unwrap(), "\"a\nb\",\"say \"\"hi\"\"\",\n");
    }

    #[test]
    fn numbers_are_not_neutralised_but_text_is() {
        let mut t = Table::new();
        t.num("-1.5").text("-1.5").end_row().unwrap();
        assert_eq!(t.finish().unwrap(), "-1.5,'-1.5\n");
    }
}
