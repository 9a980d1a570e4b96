//! Any bytes as `regions.geojson` of the Ruritania dataset (with no control records, so that the
//! regions alone decide whether it loads): `Dataset::check` must not panic, must report every
//! problem on one line with its file, and a dataset it accepts must lay out as a map.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use controlmap::scene::{MapLayout, MapOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = common::fixture(Some(
        "date,target,controller,parties,confidence,source,note\n",
    ));
    if let Some(dataset) = common::check_with(dir.path(), "regions.geojson", data) {
        // An error is fine (a projection that cannot take the outlines); a panic is not.
        let _ = MapLayout::new(&dataset, &MapOptions::new(400, 300));
    }
});
