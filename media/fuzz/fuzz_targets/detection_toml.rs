//! A site's `detection.toml`, checked against the bundled model: zones,
//! lines, rules, homographies and privacy masks, every problem named.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use watchfloor_media::detect::config;
use watchfloor_media::detect::descriptor::ModelDescriptor;

static MODEL: OnceLock<ModelDescriptor> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let model = MODEL.get_or_init(|| ModelDescriptor::bundled().expect("the bundled descriptor"));
    let loaded = config::parse(text, std::path::Path::new("fuzz/detection.toml"), model);
    for camera in &loaded.cameras {
        let _ = loaded.privacy.for_camera(&camera.camera);
    }
});
