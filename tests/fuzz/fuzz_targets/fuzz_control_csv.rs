//! Any bytes as `control.csv` of the Ruritania dataset: `Dataset::check` must not panic, and must
//! report every problem as `<file>:<line>: <message>` or `<file>: <message>`, on one line.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = common::fixture(None);
    common::check_with(dir.path(), "control.csv", data);
});
