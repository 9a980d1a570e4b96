//! CSV fields as this tool writes them: quoted when needed, and neutralised against spreadsheet
//! formula injection.

/// A CSV field, quoted when it holds a comma, a quote or a line break.
///
/// ```
/// use controlmap::write::csv_field;
/// assert_eq!(csv_field("Gao"), "Gao");
/// assert_eq!(csv_field("Gao, Timbuktu"), "\"Gao, Timbuktu\"");
/// ```
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
