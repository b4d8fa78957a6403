//! `layouts.json` as the console reads it at start (the file can be edited
//! or damaged by anyone): parsed, a broken one falling back to the defaults
//! with a message, and every mode's layout taken from it as the console
//! applies them. Never panics, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_console::modes::{Mode, Saved};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (saved, _problem) = Saved::from_json(Some(&text), std::path::Path::new("layouts.json"));
    for mode in Mode::ALL {
        let layout = saved.layout(mode);
        let _ = layout.wall_side.clamp(1, 6);
    }
    let _ = Saved::from_json(Some(&saved.to_json()), std::path::Path::new("layouts.json"));
});
