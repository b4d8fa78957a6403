//! A `site.toml`: settings and the generated grid (its layers named in it
//! are looked up beside a folder that does not exist).
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_layers::site::Site;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Site::parse(text, std::path::Path::new("/nonexistent-fuzz/site.toml"));
});
