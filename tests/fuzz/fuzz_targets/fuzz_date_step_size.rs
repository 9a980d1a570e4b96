//! Any text through the date, step and size parsers: none may panic, and what they accept must
//! read back the same.
#![no_main]

use controlmap::date::{parse_date, Step};
use controlmap::cli::args::parse_size;
use controlmap::scene::layout::MAX_SIDE;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = parse_date(text) {
        assert_eq!(d.to_string(), text.trim(), "{text:?}");
    }
    if let Ok(step) = text.parse::<Step>() {
        assert_eq!(step.to_string().parse::<Step>(), Ok(step), "{text:?}");
        // Stepping from any accepted date must not panic either.
        if let Ok(d) = parse_date("2012-01-31") {
            for k in [0, 1, 2, 1000, u32::MAX] {
                let _ = step.nth_after(d, k);
            }
        }
    }
    if let Ok((w, h)) = parse_size(text) {
        assert!(
            (200..=MAX_SIDE).contains(&w) && (150..=MAX_SIDE).contains(&h),
            "{text:?}"
        );
        assert_eq!(parse_size(&format!("{w}x{h}")), Ok((w, h)));
    }
});
