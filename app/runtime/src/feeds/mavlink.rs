//! The MAVLink 2 UDP listener (a ground station's port).

use std::net::SocketAddr;

use watchfloor_layers::event::{Event, Origin};
use watchfloor_layers::feeds::ingest::{Decoded, Outcome, mavlink_to_events};
use watchfloor_layers::feeds::mavlink::MAX_DATAGRAM_BYTES;

use super::serve::EventSender;
use super::stats::FeedStats;
use super::watchdog::DroneClock;

/// Binds the socket and starts its task; returns the bound address.
pub(super) async fn start_udp(
    addr: SocketAddr,
    events: EventSender,
    stats: FeedStats,
    drones: DroneClock,
) -> anyhow::Result<SocketAddr> {
    let decode = move |bytes: &[u8], origin: &Origin, at| {
        let outcome = mavlink_to_events(bytes, origin, at);
        if let Outcome::Events(list) = &outcome {
            for e in list {
                if let Event::DroneTelemetry { system_id, .. } = e.event {
                    drones.heard(system_id, at);
                }
            }
        }
        Decoded::from(outcome)
    };
    super::serve::serve_udp(
        addr,
        "mavlink/udp",
        MAX_DATAGRAM_BYTES,
        events,
        stats,
        decode,
    )
    .await
}
