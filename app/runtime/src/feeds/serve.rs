//! What every feed task shares: the channel to the hub, forwarding decoded
//! events, and serving a UDP feed.

use std::net::SocketAddr;

use watchfloor_layers::clock::now_us;
use watchfloor_layers::event::Envelope;
use watchfloor_layers::feeds::ingest::{Decoded, Outcome};
use watchfloor_layers::model::UnixMicros;

use super::stats::FeedStats;

/// Events from the feeds to the world hub.
pub type EventSender = tokio::sync::mpsc::Sender<Envelope>;

/// Sends a decoded message's events to the hub (waiting if it is behind:
/// never dropping an event once decoded).
pub(super) async fn forward(outcome: Outcome, events: &EventSender) -> bool {
    if let Outcome::Events(list) = outcome {
        for e in list {
            if events.send(e).await.is_err() {
                return false; // the hub is gone: the console is closing
            }
        }
    }
    true
}

/// Binds a UDP feed and serves it: every datagram is decoded by `decode`
/// (bytes, origin, arrival time), counted per sender, and its events are
/// forwarded. `label` names the protocol (`cot/udp`, `mavlink/udp`).
pub(super) async fn serve_udp(
    addr: SocketAddr,
    label: &str,
    max_datagram: usize,
    events: EventSender,
    stats: FeedStats,
    decode: impl Fn(&[u8], &watchfloor_layers::event::Origin, UnixMicros) -> Decoded + Send + 'static,
) -> anyhow::Result<SocketAddr> {
    let socket = tokio::net::UdpSocket::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("{label} feed cannot listen on {addr}: {e}"))?;
    let bound = socket.local_addr()?;
    serve_socket(
        socket,
        &format!("{label} {bound}"),
        max_datagram,
        events,
        stats,
        decode,
    );
    Ok(bound)
}

/// Serves a bound UDP socket as [`serve_udp`] does; `feed` names it.
pub(super) fn serve_socket(
    socket: tokio::net::UdpSocket,
    feed: &str,
    max_datagram: usize,
    events: EventSender,
    stats: FeedStats,
    decode: impl Fn(&[u8], &watchfloor_layers::event::Origin, UnixMicros) -> Decoded + Send + 'static,
) {
    let feed = feed.to_owned();
    tokio::spawn(async move {
        let mut buf = vec![0_u8; max_datagram];
        let origin = watchfloor_layers::event::Origin::Feed(feed.clone());
        loop {
            let (n, peer) = match socket.recv_from(&mut buf).await {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(feed = %feed, "receive failed: {e}");
                    continue;
                }
            };
            let at = now_us();
            let decoded = decode(&buf[..n], &origin, at);
            stats.record(&format!("{feed} from {}", peer.ip()), &decoded, at);
            if !forward(decoded.outcome, &events).await {
                break;
            }
        }
    });
}
