//! `--lang` on every command that writes words: the state and diff reports, the change map and
//! the share chart speak French when asked, and keep ids, keys and numbers as they are.

mod common;

use common::*;

fn run_ok(dir: &std::path::Path, args: &[&str]) -> String {
    let o = run_in(dir, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn state_speaks_french_and_keeps_its_ids() {
    let dir = tempfile::tempdir().unwrap();
    let fr = run_ok(
        dir.path(),
        &["state", "--date", "2013-01-27", "--lang", "fr"],
    );
    let en = run_ok(dir.path(), &["state", "--date", "2013-01-27"]);
    assert!(fr.starts_with("Contrôle au 2013-01-27"), "{fr}");
    assert!(
        fr.contains("Part du pays :") && fr.contains("RÉGION"),
        "{fr}"
    );
    assert!(fr.contains("Tombouctou") && en.contains("Timbuktu"));
    // Citations in French: "11 avr. 2013", not "11 Apr 2013".
    assert!(fr.contains("avr. 2013") && !fr.contains("Apr 2013"), "{fr}");
    // Ids and controller keys are data, the same in both.
    for key in ["ML-6", "government", "islamist"] {
        assert!(fr.contains(key) && en.contains(key), "{key}");
    }
    let json = run_ok(
        dir.path(),
        &[
            "state",
            "--date",
            "2013-01-27",
            "--format",
            "json",
            "--lang",
            "fr",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> = v["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Tombouctou"), "{names:?}");
    assert!(v["shares"]["government"].is_number(), "keys stay English");
}

#[test]
fn diff_report_and_change_map_speak_french() {
    let dir = tempfile::tempdir().unwrap();
    let fr = run_ok(
        dir.path(),
        &[
            "diff",
            "--from",
            "2013-01-01",
            "--to",
            "2013-02-01",
            "--lang",
            "fr",
            "--map",
            "c.svg",
        ],
    );
    assert!(
        fr.starts_with("Changements du 2013-01-01 au 2013-02-01"),
        "{fr}"
    );
    assert!(fr.contains("du pays") && fr.contains("Tombouctou"), "{fr}");
    let svg = std::fs::read_to_string(dir.path().join("c.svg")).unwrap();
    assert!(svg.contains("Changements du 1er janvier 2013"), "heading");
    // Change labels name the sides in words, not as raw ids.
    assert!(svg.contains("Islamistes → Gouvernement"), "change label");
    assert!(
        svg.contains("Disputé → Gouvernement"),
        "labels start with a capital"
    );
    run_ok(
        dir.path(),
        &[
            "diff",
            "--from",
            "2013-01-01",
            "--to",
            "2013-02-01",
            "--map",
            "e.svg",
        ],
    );
    let svg = std::fs::read_to_string(dir.path().join("e.svg")).unwrap();
    assert!(
        svg.contains("Islamists → Government"),
        "English change label"
    );
    assert!(!svg.contains("islamist → government"), "no raw ids");
}

#[test]
fn the_share_chart_speaks_french() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(dir.path(), &["timeline", "--lang", "fr", "--out", "fr.svg"]);
    let svg = std::fs::read_to_string(dir.path().join("fr.svg")).unwrap();
    for word in [
        "qui tenait quelle part du pays",
        "Disputé",
        "avr. 2012",
        "Graphique : controlmap.",
    ] {
        assert!(svg.contains(word), "{word}");
    }
    assert!(!svg.contains("Apr 2012"), "months in French");
}
