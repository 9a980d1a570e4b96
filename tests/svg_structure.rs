//! The SVG keeps the map editable: a group per layer, region ids on their paths, real text.

mod common;

#[test]
fn svg_has_layer_groups_region_ids_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let o = common::run_in(
        dir.path(),
        &["render", "--phase", "north-lost-again", "--out", "m.svg"],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let svg = std::fs::read_to_string(dir.path().join("m.svg")).unwrap();
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1600\" height=\"1200\"")
    );
    let mut last = 0;
    for layer in [
        "neighbours",
        "regions",
        "hatching",
        "region-borders",
        "national-border",
        "region-labels",
        "town-labels",
        "legend",
        "scale-bar",
        "title",
        "credit",
        "towns",
        "subtitle",
    ] {
        let at = svg
            .find(&format!("<g id=\"{layer}\">"))
            .unwrap_or_else(|| panic!("no {layer} group"));
        assert!(at > last, "{layer} is out of order");
        last = at;
    }
    for id in [
        "ML-1", "ML-2", "ML-3", "ML-4", "ML-5", "ML-6", "ML-7", "ML-8", "ML-BKO", "DZA", "NER",
    ] {
        assert!(
            svg.contains(&format!("id=\"{id}\"")),
            "no element with id {id}"
        );
    }
    for text in [
        ">Northern Mali conflict<",
        ">KIDAL<",
        ">Kidal<",
        ">Gao<",
        "The north lost again",
        ">Who controls the territory<",
        "km<",
    ] {
        assert!(svg.contains(text), "missing text {text}");
    }
    assert!(
        svg.contains("<title id=\"map-title\">")
            && svg.contains("<desc id=\"map-desc\">Map of territorial control")
    );
    assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
    assert!(svg.trim_end().ends_with("</svg>"));
}
