//! The MAVLink 2 UDP listener (a ground station's port).

use std::net::SocketAddr;

use tokio::net::UdpSocket;
use watchfloor_layers::event::{Event, Origin};
use watchfloor_layers::feeds::ingest::{Outcome, mavlink_to_events};
use watchfloor_layers::feeds::mavlink::MAX_DATAGRAM_BYTES;

use super::watchdog::DroneClock;
use super::{EventSender, FeedStats, forward, now_us};

/// Binds the socket and starts its task; returns the bound address.
pub(super) async fn start_udp(
    addr: SocketAddr,
    events: EventSender,
    stats: FeedStats,
    drones: DroneClock,
) -> anyhow::Result<SocketAddr> {
    let socket = UdpSocket::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("MAVLink UDP feed cannot listen on {addr}: {e}"))?;
    let bound = socket.local_addr()?;
    let feed = format!("mavlink/udp {bound}");
    tokio::spawn(async move {
        let mut buf = vec![0_u8; MAX_DATAGRAM_BYTES];
        let origin = Origin::Feed(feed.clone());
        loop {
            let (n, peer) = match socket.recv_from(&mut buf).await {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(feed = %feed, "receive failed: {e}");
                    continue;
                }
            };
            let at = now_us();
            let outcome = mavlink_to_events(&buf[..n], &origin, at);
            if let Outcome::Events(list) = &outcome {
                for e in list {
                    if let Event::DroneTelemetry { system_id, .. } = e.event {
                        drones.heard(system_id, at);
                    }
                }
            }
            stats.record(&format!("{feed} from {}", peer.ip()), &outcome, at);
            if !forward(outcome, &events).await {
                break;
            }
        }
    });
    Ok(bound)
}
