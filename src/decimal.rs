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

/// Appends `x` with `digits` decimals to `out`, never a negative zero: the allocation-free
/// form of [`fixed`] for writers of many numbers (SVG path data).
///
/// ```
/// use controlmap::decimal::push_fixed;
/// let mut s = String::from("M");
/// push_fixed(&mut s, -0.04, 1);
/// s.push(' ');
/// push_fixed(&mut s, -2.25, 1);
/// assert_eq!(s, "M0.0 -2.2");
/// ```
pub fn push_fixed(out: &mut String, x: f64, digits: usize) {
    use std::fmt::Write;
    let start = out.len();
    let _ = write!(out, "{x:.digits$}");
    let written = &out.as_bytes()[start..];
    if written.first() == Some(&b'-') && written[1..].iter().all(|b| *b == b'0' || *b == b'.') {
        out.remove(start);
    }
}
