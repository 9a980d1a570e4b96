//! CSV fields as this tool writes them: quoted when needed, and neutralised against spreadsheet
//! formula injection.

/// A text CSV field, quoted when it holds a comma, a quote or a line break, and neutralised
/// against spreadsheet formula injection as OWASP advises: a field starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet shows it as text
/// instead of running it. Numbers are written directly, never through this function.
///
/// ```
/// use controlmap::write::csv_field;
/// assert_eq!(csv_field("Gao"), "Gao");
/// assert_eq!(csv_field("Gao, Timbuktu"), "\"Gao, Timbuktu\"");
/// assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
/// assert_eq!(csv_field("-2+3"), "'-2+3");
/// ```
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
