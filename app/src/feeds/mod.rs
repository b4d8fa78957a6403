//! Feed listeners on the app's tokio runtime: Cursor on Target over UDP and
//! TCP for units, MAVLink over UDP for drones, and the drone link watchdog.
//! Bytes go to the pure decoders in `watchfloor_layers::feeds::ingest`;
//! events go to the world hub over a bounded channel. Hostile input is
//! counted and logged once per source per interval; no task ever panics on
//! it, and one bad sender never blocks another.

mod cot;
mod mavlink;
mod watchdog;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use watchfloor_layers::event::Envelope;
use watchfloor_layers::feeds::ingest::{ClockSkew, Decoded, FeedBook, FeedCounters, Outcome};
use watchfloor_layers::model::UnixMicros;

/// Where to listen. `None` turns a feed off; port 0 picks a free port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPorts {
    /// CoT datagrams (TAK's default mesh port is 4242 unicast / 6969 multicast).
    pub cot_udp: Option<SocketAddr>,
    /// CoT stream, as from a TAK server or client (8087 plain TCP).
    pub cot_tcp: Option<SocketAddr>,
    /// MAVLink 2 datagrams (the ground-station port, 14550).
    pub mavlink_udp: Option<SocketAddr>,
}

impl FeedPorts {
    /// The standard ports on loopback.
    pub fn standard() -> Self {
        Self {
            cot_udp: Some(SocketAddr::from(([127, 0, 0, 1], 4242))),
            cot_tcp: Some(SocketAddr::from(([127, 0, 0, 1], 8087))),
            mavlink_udp: Some(SocketAddr::from(([127, 0, 0, 1], 14550))),
        }
    }

    /// Free ports on loopback (demo and tests).
    pub fn any_free() -> Self {
        let any = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
        Self {
            cot_udp: any,
            cot_tcp: any,
            mavlink_udp: any,
        }
    }
}

/// Events from the feeds to the world hub.
pub type EventSender = tokio::sync::mpsc::Sender<Envelope>;

/// Counters and the malformed-input log, shared by every feed task.
#[derive(Debug, Clone, Default)]
pub struct FeedStats(Arc<Mutex<FeedBook>>);

impl FeedStats {
    /// Records what became of one message and logs it if due; checks the
    /// sender's clock when the message carries its time.
    fn record(&self, source: &str, decoded: &Decoded, at: UnixMicros) {
        let (report, skew) = {
            let mut book = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            let skew = decoded
                .sent_at
                .and_then(|sent| book.record_clock(source, sent, at));
            (book.record(source, &decoded.outcome, at), skew)
        };
        if let Some(skew) = skew {
            tracing::warn!(
                source = %skew.source,
                "{}: {} (its times are shown as sent, not shifted)",
                skew.source,
                skew.describe()
            );
        }
        if let Some(r) = report {
            tracing::warn!(
                source = %r.source,
                suppressed = r.suppressed,
                "malformed feed input: {} ({} more since the last report)",
                r.reason,
                r.suppressed
            );
        }
    }

    /// Senders whose clocks are off, by source.
    pub fn clock_skews(&self) -> Vec<ClockSkew> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clock_skews()
    }

    /// Counters summed over sources starting with `prefix` (`cot/`, `mavlink/`).
    pub fn total(&self, prefix: &str) -> FeedCounters {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total(prefix)
    }
}

/// The running feeds. Dropping it stops every task.
pub struct FeedServer {
    runtime: Option<tokio::runtime::Runtime>,
    bound: FeedPorts,
    stats: FeedStats,
}

impl std::fmt::Debug for FeedServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedServer")
            .field("bound", &self.bound)
            .finish_non_exhaustive()
    }
}

impl FeedServer {
    /// Binds every configured port and starts listening. A port that cannot
    /// be bound is an error naming it; nothing is left running then.
    /// `drones` lets the link watchdog see when each drone was last heard.
    pub fn start(
        ports: &FeedPorts,
        events: EventSender,
        drones: watchdog::DroneClock,
    ) -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("feeds")
            .enable_all()
            .build()?;
        let stats = FeedStats::default();
        let bound = runtime.block_on(async {
            let cot_udp = match ports.cot_udp {
                Some(addr) => Some(cot::start_udp(addr, events.clone(), stats.clone()).await?),
                None => None,
            };
            let cot_tcp = match ports.cot_tcp {
                Some(addr) => Some(cot::start_tcp(addr, events.clone(), stats.clone()).await?),
                None => None,
            };
            let mavlink_udp = match ports.mavlink_udp {
                Some(addr) => Some(
                    mavlink::start_udp(addr, events.clone(), stats.clone(), drones.clone()).await?,
                ),
                None => None,
            };
            watchdog::start(drones, events);
            anyhow::Ok(FeedPorts {
                cot_udp,
                cot_tcp,
                mavlink_udp,
            })
        })?;
        tracing::info!(?bound, "feeds listening");
        Ok(Self {
            runtime: Some(runtime),
            bound,
            stats,
        })
    }

    /// The addresses actually bound (ports resolved).
    pub fn bound(&self) -> &FeedPorts {
        &self.bound
    }

    /// Feed counters.
    pub fn stats(&self) -> &FeedStats {
        &self.stats
    }
}

impl Drop for FeedServer {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

pub use watchdog::DroneClock;

/// Now, as the world's time type.
pub fn now_us() -> UnixMicros {
    chrono::Utc::now().timestamp_micros()
}

/// Sends a decoded message's events to the hub (waiting if it is behind:
/// never dropping an event once decoded).
async fn forward(outcome: Outcome, events: &EventSender) -> bool {
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
async fn serve_udp(
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
    let feed = format!("{label} {bound}");
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
    Ok(bound)
}
