//! A datagram on a CoT UDP port as the feed reads it: CoT XML or TAK
//! Protocol (mesh header or streaming framing), decoded into events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_layers::event::Origin;
use watchfloor_layers::feeds::ingest;

fuzz_target!(|data: &[u8]| {
    let origin = Origin::Feed("cot/udp fuzz".into());
    let _ = ingest::decode_datagram(data, &origin, 1_790_000_000_000_000);
});
