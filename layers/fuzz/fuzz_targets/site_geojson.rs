//! A site GeoJSON layer: read feature by feature, bad ones named.
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_layers::site::Site;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut site = Site::default();
    let mut issues = Vec::new();
    site.add_geojson(std::path::Path::new("fuzz.geojson"), text, &mut issues);
});
