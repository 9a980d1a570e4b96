//! Numbers as text without a negative zero: `-0.0` and values that round to zero print as
//! `0.0`, not `-0.0` (a spreadsheet or a reader takes `-0.0 %` for a loss).

/// `x` with `digits` decimals, never a negative zero.
///
/// ```
/// use controlmap::decimal::fixed;
/// assert_eq!(fixed(-0.0, 6), "0.000000");
/// assert_eq!(fixed(-0.00000001, 6), "0.000000");
/// assert_eq!(fixed(-0.5, 1), "-0.5");
/// ```
pub fn fixed(x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => s,
    }
}

/// `x` with `digits` decimals and always a sign, `+0.0` for zero.
///
/// ```
/// use controlmap::decimal::signed;
/// assert_eq!(signed(-0.0, 1), "+0.0");
/// assert_eq!(signed(-2.25, 1), "-2.2");
/// assert_eq!(signed(3.0, 0), "+3");
/// ```
pub fn signed(x: f64, digits: usize) -> String {
    let s = fixed(x, digits);
    if s.starts_with('-') {
        s
    } else {
        format!("+{s}")
    }
}
