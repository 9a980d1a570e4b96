//! Problems found while loading a dataset: collected, not thrown, so `validate` can list them all.

use std::fmt;

use crate::error::Error;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The dataset cannot be drawn correctly.
    Error,
    /// Suspicious but drawable.
    Warning,
}

/// One problem, located at a file and (usually) a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The file as the user knows it.
    pub file: String,
    /// 1-based line, when the problem is on one.
    pub line: Option<usize>,
    /// What is wrong, in one line.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        match self.line {
            Some(l) => write!(f, "{}:{}: {}{}", self.file, l, tag, self.message),
            None => write!(f, "{}: {}{}", self.file, tag, self.message),
        }
    }
}

/// Collects problems in the order they are found.
#[derive(Debug, Default, Clone)]
pub struct Problems {
    list: Vec<Problem>,
}

impl Problems {
    /// Records an error.
    pub fn error(&mut self, file: &str, line: Option<usize>, message: impl fmt::Display) {
        self.push(Severity::Error, file, line, message);
    }

    /// Records a warning.
    pub fn warning(&mut self, file: &str, line: Option<usize>, message: impl fmt::Display) {
        self.push(Severity::Warning, file, line, message);
    }

    fn push(
        &mut self,
        severity: Severity,
        file: &str,
        line: Option<usize>,
        message: impl fmt::Display,
    ) {
        // A value quoted from the data may hold a line break or a terminal escape: keep every
        // problem on one line, as `<file>:<line>: <message>`.
        let mut one_line = String::new();
        for c in message.to_string().chars() {
            if c.is_control() {
                one_line.extend(c.escape_default());
            } else {
                one_line.push(c);
            }
        }
        self.list.push(Problem {
            severity,
            file: file.to_string(),
            line,
            message: one_line,
        });
    }

    /// Appends another list's problems after these.
    pub fn extend(&mut self, other: Problems) {
        self.list.extend(other.list);
    }

    /// Every problem so far.
    pub fn all(&self) -> &[Problem] {
        &self.list
    }

    /// How many errors (not warnings).
    pub fn error_count(&self) -> usize {
        self.list
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    /// The first error as an [`Error`], if there is one.
    pub fn first_error(&self) -> Option<Error> {
        self.list
            .iter()
            .find(|p| p.severity == Severity::Error)
            .map(|p| Error::data(p.file.clone(), p.line, &p.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_line_breaks_and_escapes_stay_on_one_line() {
        let mut p = Problems::default();
        p.error("f.csv", Some(2), "unknown target 'a\nb\r\u{1b}[2J\tc'");
        assert_eq!(
            p.all()[0].to_string(),
            "f.csv:2: unknown target 'a\\nb\\r\\u{1b}[2J\\tc'"
        );
    }
}
