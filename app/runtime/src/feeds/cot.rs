//! Cursor on Target listeners: one UDP socket (a datagram is a message) and
//! one TCP listener (each connection a stream of `<event>…</event>`).

use std::net::SocketAddr;

use tokio::io::AsyncReadExt as _;
use tokio::net::TcpListener;
use watchfloor_layers::event::Origin;
use watchfloor_layers::feeds::cot::MAX_MESSAGE_BYTES;
use watchfloor_layers::feeds::ingest::{CotStreamFramer, Outcome, decode_cot};

use super::serve::{EventSender, forward};
use super::stats::FeedStats;
use watchfloor_layers::clock::now_us;

/// Most TCP senders served at once; more are refused (and logged).
const MAX_TCP_CLIENTS: usize = 256;

/// Binds the UDP socket and starts its task; returns the bound address.
pub(super) async fn start_udp(
    addr: SocketAddr,
    events: EventSender,
    stats: FeedStats,
) -> anyhow::Result<SocketAddr> {
    // One byte over the limit, so an oversized datagram is seen as such.
    super::serve::serve_udp(
        addr,
        "cot/udp",
        MAX_MESSAGE_BYTES + 1,
        events,
        stats,
        decode_cot,
    )
    .await
}

/// Binds the TCP listener and starts accepting; returns the bound address.
pub(super) async fn start_tcp(
    addr: SocketAddr,
    events: EventSender,
    stats: FeedStats,
) -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("CoT TCP feed cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr()?;
    let feed = format!("cot/tcp {bound}");
    let clients = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_TCP_CLIENTS));
    tokio::spawn(async move {
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(feed = %feed, "accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            };
            let Ok(permit) = std::sync::Arc::clone(&clients).try_acquire_owned() else {
                tracing::warn!(feed = %feed, %peer, "refused: {MAX_TCP_CLIENTS} senders already connected");
                continue;
            };
            let (events, stats, feed) = (events.clone(), stats.clone(), feed.clone());
            tokio::spawn(async move {
                serve_stream(stream, peer, &feed, &events, &stats).await;
                drop(permit);
            });
        }
    });
    Ok(bound)
}

async fn serve_stream(
    mut stream: tokio::net::TcpStream,
    peer: SocketAddr,
    feed: &str,
    events: &EventSender,
    stats: &FeedStats,
) {
    let source = format!("{feed} from {peer}");
    let origin = Origin::Feed(feed.to_owned());
    tracing::info!(%source, "CoT sender connected");
    let mut framer = CotStreamFramer::default();
    let mut buf = vec![0_u8; 16 * 1024];
    loop {
        let n = match stream.read(&mut buf).await {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                tracing::info!(%source, "CoT sender dropped: {e}");
                return;
            }
        };
        let complete = framer.push(&buf[..n]);
        let at = now_us();
        for _ in 0..complete.oversized {
            let outcome =
                Outcome::Malformed(format!("no </event> within {MAX_MESSAGE_BYTES} bytes"));
            stats.record(&source, &outcome.into(), at);
        }
        for message in complete.messages {
            let decoded = decode_cot(&message, &origin, at);
            stats.record(&source, &decoded, at);
            if !forward(decoded.outcome, events).await {
                return;
            }
        }
    }
    tracing::info!(%source, "CoT sender disconnected");
}
