//! Feed listeners on the app's tokio runtime: Cursor on Target (XML and TAK
//! Protocol) over UDP, TCP and TAK's SA mesh multicast for units, MAVLink
//! over UDP for drones, and the drone link watchdog.
//! Bytes go to the pure decoders in `watchfloor_layers::feeds::ingest`;
//! events go to the world hub over a bounded channel. Hostile input is
//! counted and logged once per source per interval; no task ever panics on
//! it, and one bad sender never blocks another.

mod cot;
mod mavlink;
mod mesh;
mod serve;
mod stats;
mod watchdog;

pub use serve::EventSender;
pub use stats::FeedStats;
pub use watchdog::DroneClock;
pub use watchfloor_layers::feeds::ports::FeedPorts;

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
    /// `drones` lets the link watchdog see when each drone was last heard;
    /// `keys` are the fleet's MAVLink signing keys.
    pub fn start(
        ports: &FeedPorts,
        events: EventSender,
        drones: watchdog::DroneClock,
        keys: std::sync::Arc<watchfloor_layers::feeds::mavlink::DroneKeys>,
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
            // The mesh is joined where the network allows it; a host with no
            // multicast route still runs its other feeds.
            let sa_multicast = match ports.sa_multicast {
                Some(group) => match mesh::start(group, events.clone(), stats.clone()) {
                    Ok(group) => Some(group),
                    Err(e) => {
                        tracing::warn!("{e:#}");
                        None
                    }
                },
                None => None,
            };
            let mavlink_udp = match ports.mavlink_udp {
                Some(addr) => Some(
                    mavlink::start_udp(addr, events.clone(), stats.clone(), drones.clone(), keys)
                        .await?,
                ),
                None => None,
            };
            watchdog::start(drones, events);
            anyhow::Ok(FeedPorts {
                cot_udp,
                cot_tcp,
                sa_multicast,
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
