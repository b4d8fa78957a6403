//! A MAVLink UDP datagram: every frame in it parsed and turned into drone
//! telemetry events, as the feed does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_layers::event::Origin;
use watchfloor_layers::feeds::{ingest, mavlink};

fuzz_target!(|data: &[u8]| {
    let _ = mavlink::parse_datagram(data);
    let origin = Origin::Feed("mavlink/udp fuzz".into());
    let _ = ingest::mavlink_to_events(data, &origin, 0);
});
