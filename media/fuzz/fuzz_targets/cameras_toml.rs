//! A `cameras.toml`: every entry checked (URLs, transports, positions),
//! bad ones named.
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_media::camera::parse_cameras;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_cameras(text, std::path::Path::new("/nonexistent-fuzz/cameras.toml"));
});
