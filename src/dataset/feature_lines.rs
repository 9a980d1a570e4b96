//! Where each feature of a GeoJSON file starts: GeoJSON parsers keep no positions, so a light
//! scan over the text recovers them, and problems in a feature can be reported at a line.

/// The starting line of every element of the top-level `features` array, in order.
///
/// GeoJSON parsers keep no positions, so this light scan over the text recovers them so that
/// problems in a feature can be reported at a line.
pub(crate) fn feature_lines(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let (mut depth, mut line, mut in_string, mut escaped) = (0usize, 1usize, false, false);
    let mut last_key_features = false;
    let mut features_depth: Option<usize> = None;
    let mut string_start = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        // Most of a file is coordinates, deep in the features: only brackets, quotes and line
        // breaks matter there, and inside strings only quotes, escapes and line breaks.
        let matters = if escaped {
            // The escaped byte itself, whatever it is.
            &ANY
        } else if in_string {
            &IN_STRING
        } else if depth >= 2 {
            &DEEP
        } else {
            &ANY
        };
        while i < bytes.len() && !matters[usize::from(bytes[i])] {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else { break };
        i += 1;
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if depth == 1 {
                    // Every key and string value of the top-level object passes here: only the
                    // key `features` (maybe written with escapes) opens the features array.
                    let s = &text[string_start..i - 1];
                    last_key_features = s == "features"
                        || (s.contains('\\')
                            && serde_json::from_str::<String>(&text[string_start - 1..i])
                                .is_ok_and(|k| k == "features"));
                }
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i;
            }
            b'[' => {
                depth += 1;
                if last_key_features && depth == 2 && features_depth.is_none() {
                    features_depth = Some(depth);
                }
            }
            b'{' => {
                if features_depth == Some(depth) {
                    lines.push(line);
                }
                depth += 1;
            }
            b']' | b'}' => {
                if features_depth == Some(depth) && b == b']' {
                    features_depth = None;
                    last_key_features = false;
                }
                depth = depth.saturating_sub(1);
            }
            b',' | b':' | b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => {
                if depth == 1 {
                    last_key_features = false;
                }
            }
        }
    }
    lines
}

/// The bytes [`feature_lines`] stops at: inside a string, deep in the features, and elsewhere.
const IN_STRING: [bool; 256] = byte_set(b"\"\\\n");
const DEEP: [bool; 256] = byte_set(b"\"[]{}\n");
const ANY: [bool; 256] = [true; 256];

const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut k = 0;
    while k < bytes.len() {
        set[bytes[k] as usize] = true;
        k += 1;
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_lines_follow_the_features_array() {
        let text = "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\",\"properties\":{\"a\":{\"b\":1}}},\n\n{\"type\":\"Feature\"}\n]}";
        assert_eq!(feature_lines(text), vec![3, 5]);
    }

    #[test]
    fn skipping_finds_the_feature_lines_a_byte_by_byte_scan_finds() {
        // Escaped quotes and backslashes, brackets and braces inside strings, a repeated key.
        let mut texts: Vec<String> = vec![
            "{\"features\":[\n{\"a\":\"x\\\\\\\"]{\\n\"},\n{\"b\":[1,{\"c\":\"}\"}]}\n,\n{}]}"
                .to_string(),
            r#"{"features":[{"p":"\\"},

{"q":"\u005d"}],"features":[
{}]}"#
                .to_string(),
        ];
        let mut folders =
            vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata/mali")];
        while let Some(dir) = folders.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    folders.push(p);
                } else if p.extension().is_some_and(|x| x == "geojson") {
                    texts.push(std::fs::read_to_string(&p).unwrap());
                }
            }
            if dir.ends_with("mali") {
                folders.push(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests"));
            }
        }
        assert!(texts.len() > 20, "{}", texts.len());
        for text in &texts {
            assert_eq!(
                feature_lines(text),
                feature_lines_byte_by_byte(text),
                "{text:.200}"
            );
        }
    }

    /// The scan as first written, a byte at a time: the oracle for the skipping one.
    fn feature_lines_byte_by_byte(text: &str) -> Vec<usize> {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let (mut depth, mut line, mut in_string, mut escaped) = (0usize, 1usize, false, false);
        let mut last_key_features = false;
        let mut features_depth: Option<usize> = None;
        let mut string_start = 0usize;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                line += 1;
            }
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                    if depth == 1 {
                        // Every key and string value of the top-level object passes here: only the
                        // key `features` (maybe written with escapes) opens the features array.
                        let s = &text[string_start..i];
                        last_key_features = s == "features"
                            || (s.contains('\\')
                                && serde_json::from_str::<String>(&text[string_start - 1..=i])
                                    .is_ok_and(|k| k == "features"));
                    }
                }
                continue;
            }
            match b {
                b'"' => {
                    in_string = true;
                    string_start = i + 1;
                }
                b'[' => {
                    depth += 1;
                    if last_key_features && depth == 2 && features_depth.is_none() {
                        features_depth = Some(depth);
                    }
                }
                b'{' => {
                    if features_depth == Some(depth) {
                        lines.push(line);
                    }
                    depth += 1;
                }
                b']' | b'}' => {
                    if features_depth == Some(depth) && b == b']' {
                        features_depth = None;
                        last_key_features = false;
                    }
                    depth = depth.saturating_sub(1);
                }
                b',' | b':' | b' ' | b'\t' | b'\r' | b'\n' => {}
                _ => {
                    if depth == 1 {
                        last_key_features = false;
                    }
                }
            }
        }
        lines
    }

    #[test]
    fn feature_lines_ignore_other_members_and_follow_the_features_key() {
        // A string value "features" is not the key; arrays of other members hold no features.
        let text = "{\"name\":\"features\",\"extra\":[{\"a\":1}],\n\"features\":[\n{}]}";
        assert_eq!(feature_lines(text), vec![3]);
        let escaped = "{\"feat\\u0075res\":[\n\n{}]}";
        assert_eq!(feature_lines(escaped), vec![3]);
    }
}
