//! A package's `notes.jsonl` (trainer notes) as the trainer's console reads
//! it: every line parsed, bad lines named. Never panics, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_layers::package::parse_notes;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (notes, bad) = parse_notes(text);
        assert!(notes.len() + bad.len() <= text.lines().count());
    }
});
