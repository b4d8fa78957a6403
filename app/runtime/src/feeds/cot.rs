//! Cursor on Target listeners: one UDP socket (a datagram is a message, CoT
//! XML or TAK Protocol) and one TCP listener (each connection a stream of
//! XML `<event>…</event>` and TAK Protocol streaming messages, negotiated as
//! a TAK server does: the versions are announced on connect and a client
//! that asks for protobuf is answered yes).

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;
use watchfloor_layers::event::Origin;
use watchfloor_layers::feeds::cot::MAX_MESSAGE_BYTES;
use watchfloor_layers::feeds::ingest::{Outcome, decode_datagram, decode_frame};
use watchfloor_layers::feeds::tak::{self, Frame, StreamFramer, control};

use super::serve::{EventSender, forward};
use super::stats::FeedStats;
use watchfloor_layers::clock::now_us;

/// Most TCP senders served at once; more are refused (and logged). A TAK
/// server relays one connection, but a console may be the server for a
/// fleet: `bench feeds` runs 5,000 (each takes a file descriptor).
const MAX_TCP_CLIENTS: usize = 10_000;

/// Binds the UDP socket and starts its task; returns the bound address.
pub(super) async fn start_udp(
    addr: SocketAddr,
    events: EventSender,
    stats: FeedStats,
) -> anyhow::Result<SocketAddr> {
    // One byte over the limit (with a TAK mesh header), so an oversized
    // datagram is seen as such.
    super::serve::serve_udp(
        addr,
        "cot/udp",
        MAX_MESSAGE_BYTES + tak::MESH_HEADER.len() + 1,
        events,
        stats,
        decode_datagram,
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
    // As a TAK server does: say which TAK Protocol versions are spoken here.
    if let Err(e) = stream
        .write_all(control::announcement(chrono::Utc::now()).as_bytes())
        .await
    {
        tracing::info!(%source, "CoT sender dropped: {e}");
        return;
    }
    let mut framer = StreamFramer::default();
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
            if let Frame::Xml(xml) = &message
                && let Some(control::Control::Request { version }) = control::parse(xml)
            {
                let granted = control::grants(version);
                tracing::info!(%source, version, granted, "TAK Protocol requested");
                let answer = control::response(granted, chrono::Utc::now());
                if let Err(e) = stream.write_all(answer.as_bytes()).await {
                    tracing::info!(%source, "CoT sender dropped: {e}");
                    return;
                }
                stats.record(&source, &Outcome::Ignored.into(), at);
                continue;
            }
            let decoded = decode_frame(&message, &origin, at);
            stats.record(&source, &decoded, at);
            if !forward(decoded.outcome, events).await {
                return;
            }
        }
        if let Some(e) = complete.broken {
            // The stream's framing is lost: nothing after this can be read.
            stats.record(&source, &Outcome::Malformed(e.to_string()).into(), at);
            tracing::warn!(%source, "CoT sender cut off: {e}");
            return;
        }
    }
    tracing::info!(%source, "CoT sender disconnected");
}
