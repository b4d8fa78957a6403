//! A model descriptor (`model.toml`) as a user drops one in: input and
//! output shapes, decoder, classes (generic ones only).
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_media::detect::descriptor::ModelDescriptor;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = ModelDescriptor::parse(text, std::path::Path::new("/nonexistent-fuzz/model.toml"));
});
