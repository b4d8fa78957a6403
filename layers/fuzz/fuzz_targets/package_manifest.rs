//! An incident package's `manifest.json` as `watchfloor replay` and
//! `watchfloor export verify` read it (packages come from outside): parsed
//! and its format checked. Never panics, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_layers::package::Manifest;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(manifest) = Manifest::parse(text)
    {
        // What verify does next with it: walk the files it lists.
        let _ = manifest.files.iter().map(|f| f.path.len()).sum::<usize>();
    }
});
