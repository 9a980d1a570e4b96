//! "Did you mean" suggestions for mistyped identifiers.

/// The candidate nearest to `wanted`, if it is near enough to be a plausible typo.
///
/// ```
/// use controlmap::suggest::nearest;
/// assert_eq!(nearest("north-lsot", ["north-lost", "konna-offensive"]), Some("north-lost"));
/// assert_eq!(nearest("zzz", ["north-lost"]), None);
/// ```
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_l = wanted.to_lowercase();
    let wanted_len = wanted_l.chars().count();
    candidates
        .into_iter()
        // The distance is at least the difference in length: skip the hopeless ones cheaply.
        .filter(|c| wanted_len.abs_diff(c.len()) <= (c.len() / 3).max(2) + 4)
        .map(|c| (strsim::levenshtein(&wanted_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// ` (did you mean 'x'?)`, or nothing.
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(wanted, candidates).map_or_else(String::new, |c| format!(" (did you mean '{c}'?)"))
}
