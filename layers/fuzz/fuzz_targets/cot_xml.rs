//! CoT XML as a datagram brings it: parsed, and if it parses, turned into
//! events as the UDP feed does. Never panics, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_layers::event::Origin;
use watchfloor_layers::feeds::{cot, ingest};

fuzz_target!(|data: &[u8]| {
    let _ = cot::parse(data);
    let origin = Origin::Feed("cot/udp fuzz".into());
    let _ = ingest::decode_cot(data, &origin, 1_790_000_000_000_000);
});
