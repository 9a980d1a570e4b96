//! The Mali dataset, compiled in so the binary works from any directory.

const FILES: &[(&str, &str)] = &[
    (
        "dataset.toml",
        include_str!("../../geodata/mali/dataset.toml"),
    ),
    (
        "regions.geojson",
        include_str!("../../geodata/mali/regions.geojson"),
    ),
    (
        "neighbours.geojson",
        include_str!("../../geodata/mali/neighbours.geojson"),
    ),
    (
        "rivers.geojson",
        include_str!("../../geodata/mali/rivers.geojson"),
    ),
    (
        "lakes.geojson",
        include_str!("../../geodata/mali/lakes.geojson"),
    ),
    (
        "locator.geojson",
        include_str!("../../geodata/mali/locator.geojson"),
    ),
    ("places.csv", include_str!("../../geodata/mali/places.csv")),
    (
        "control.csv",
        include_str!("../../geodata/mali/control.csv"),
    ),
    ("events.csv", include_str!("../../geodata/mali/events.csv")),
    (
        "references.csv",
        include_str!("../../geodata/mali/references.csv"),
    ),
];

/// Binary files (the relief raster), which `include_str!` cannot hold.
const BINARY: &[(&str, &[u8])] = &[(
    "relief.png",
    include_bytes!("../../geodata/mali/relief.png"),
)];

/// An embedded file's bytes by its name inside the dataset folder.
pub fn bytes(name: &str) -> Option<&'static [u8]> {
    BINARY
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
        .or_else(|| file(name).map(str::as_bytes))
}

/// An embedded file's text by its name inside the dataset folder.
pub fn file(name: &str) -> Option<&'static str> {
    FILES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}
