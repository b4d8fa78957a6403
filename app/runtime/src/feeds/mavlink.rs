//! The MAVLink UDP listener (a ground station's port): MAVLink 2 and 1,
//! each frame checked against the fleet's signing keys.

use std::net::SocketAddr;

use watchfloor_layers::event::{Event, Origin};
use watchfloor_layers::feeds::ingest::{Decoded, Outcome, mavlink_to_events_signed};
use watchfloor_layers::feeds::mavlink::{DroneKeys, MAX_DATAGRAM_BYTES};

use super::serve::EventSender;
use super::stats::FeedStats;
use super::watchdog::DroneClock;

/// Binds the socket and starts its task; returns the bound address.
pub(super) async fn start_udp(
    addr: SocketAddr,
    events: EventSender,
    stats: FeedStats,
    drones: DroneClock,
    keys: std::sync::Arc<DroneKeys>,
) -> anyhow::Result<SocketAddr> {
    let decode = move |bytes: &[u8], origin: &Origin, at| {
        let outcome = mavlink_to_events_signed(bytes, &keys, origin, at);
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
