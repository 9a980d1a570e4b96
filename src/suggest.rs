//! "Did you mean" suggestions for mistyped identifiers.

/// Edit distance between two strings, counted in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

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
        .map(|c| (edit_distance(&wanted_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// ` (did you mean 'x'?)`, or nothing.
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(wanted, candidates).map_or_else(String::new, |c| format!(" (did you mean '{c}'?)"))
}
