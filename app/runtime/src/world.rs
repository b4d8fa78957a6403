//! The live world for the console: the site, the feeds, the journal and
//! (in the demo) the scenario simulator, all started off the UI thread. One
//! hub thread applies every event to the shared [`World`] and hands it to
//! the journal writer; the UI only takes a read lock to draw.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::process::Child;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::thread::JoinHandle;

use watchfloor_layers::basemap::Basemap;
use watchfloor_layers::event::{Envelope, Event, Origin};
use watchfloor_layers::journal::{Journal, JournalWriter};
use watchfloor_layers::roads::RoadGraph;
use watchfloor_layers::site::Site;
use watchfloor_layers::world::{Notice, World};

use crate::feeds::{DroneClock, FeedPorts, FeedServer, FeedStats};
use watchfloor_layers::clock::now_us;
use watchfloor_layers::feeds::mavlink::DroneKeys;
pub use watchfloor_layers::site::DEFAULT_ORIGIN;
pub use watchfloor_layers::status::WorldStatus;

/// Events queued from the feeds before they wait for the hub.
const HUB_CAPACITY: usize = 16_384;

/// A dispatched unit this close to its alert is on scene.
const ARRIVAL_RADIUS_M: f64 = 60.0;

/// Recent notices kept for the console.
const NOTICES_KEPT: usize = 200;

/// How the live world is set up.
#[derive(Debug, Clone)]
pub struct WorldOptions {
    /// Site settings file (`site.toml`), if any.
    pub site: Option<PathBuf>,
    /// Basemap file, for the road network (ETAs, reachability).
    pub basemap: Option<PathBuf>,
    /// Journal directory; `None` runs without one.
    pub journal: Option<PathBuf>,
    /// Where camera video is recorded (`<camera>/<start_ms>.mkv`), for replay.
    pub recordings: PathBuf,
    /// Where the feeds listen.
    pub ports: FeedPorts,
    /// The fleet's MAVLink signing keys (`drones.toml`), if any.
    pub drone_keys: Option<PathBuf>,
    /// Start `watchfloor sim world` as a child, pointed at our feeds.
    pub simulate: bool,
}

/// The shared world and everything feeding it. Dropping it stops the feeds,
/// the simulator and the hub, and flushes the journal.
pub struct LiveWorld {
    world: Arc<RwLock<World>>,
    /// The world shown while replaying (the replay thread writes it).
    replayed: Arc<RwLock<World>>,
    replaying: std::sync::atomic::AtomicBool,
    /// A reading handle on the journal, once it is open.
    journal: Arc<OnceLock<Journal>>,
    status: Arc<Mutex<WorldStatus>>,
    stats: Arc<OnceLock<FeedStats>>,
    roads: Arc<OnceLock<RoadGraph>>,
    notices: Arc<Mutex<VecDeque<(i64, Notice)>>>,
    submit: tokio::sync::mpsc::Sender<Envelope>,
    parts: Arc<Mutex<Parts>>,
    starter: Option<JoinHandle<()>>,
}

/// What must be stopped, in order, when the world goes.
#[derive(Default)]
struct Parts {
    simulator: Option<Child>,
    feeds: Option<FeedServer>,
    stopping: bool,
}

impl LiveWorld {
    /// Starts everything on a thread named `world-hub`, which then runs the
    /// hub; `repaint` is called after each batch of events.
    pub fn start(
        options: WorldOptions,
        repaint: impl Fn() + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let origin = options
            .site
            .as_ref()
            .and_then(|p| Site::load(p).ok())
            .map_or(DEFAULT_ORIGIN, |(s, _)| s.origin);
        let world = Arc::new(RwLock::new(World::new(origin)));
        let (submit, receiver) = tokio::sync::mpsc::channel(HUB_CAPACITY);
        let mut live = Self {
            world,
            replayed: Arc::new(RwLock::new(World::new(origin))),
            replaying: false.into(),
            journal: Arc::default(),
            status: Arc::default(),
            stats: Arc::default(),
            roads: Arc::default(),
            notices: Arc::default(),
            submit,
            parts: Arc::default(),
            starter: None,
        };
        let hub = Hub {
            world: Arc::clone(&live.world),
            journal: Arc::clone(&live.journal),
            status: Arc::clone(&live.status),
            stats: Arc::clone(&live.stats),
            roads: Arc::clone(&live.roads),
            notices: Arc::clone(&live.notices),
            parts: Arc::clone(&live.parts),
            submit: Some(live.submit.clone()),
        };
        let starter = std::thread::Builder::new()
            .name("world-hub".into())
            .spawn(move || hub.run(&options, receiver, &repaint))?;
        live.starter = Some(starter);
        Ok(live)
    }

    /// A world read back from a journal alone (an incident package): no
    /// feeds, nothing submitted; it always shows the replayed world.
    pub fn offline(journal: &Journal, origin: [f64; 2]) -> Self {
        let (submit, _) = tokio::sync::mpsc::channel(1);
        let live = Self {
            world: Arc::new(RwLock::new(World::new(origin))),
            replayed: Arc::new(RwLock::new(World::new(origin))),
            replaying: true.into(),
            journal: Arc::new(OnceLock::from(journal.clone())),
            status: Arc::default(),
            stats: Arc::default(),
            roads: Arc::default(),
            notices: Arc::default(),
            submit,
            parts: Arc::default(),
            starter: None,
        };
        live.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .journal = Some(Ok(journal.path().to_owned()));
        live
    }

    /// The world the console shows: the live one, or while replaying the
    /// one rebuilt from the journal.
    pub fn world(&self) -> std::sync::RwLockReadGuard<'_, World> {
        if self.replaying() {
            self.replayed.read().unwrap_or_else(PoisonError::into_inner)
        } else {
            self.live_world()
        }
    }

    /// The live world, even while replaying.
    pub fn live_world(&self) -> std::sync::RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the console shows the replayed world.
    pub fn replaying(&self) -> bool {
        self.replaying.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Shows the replayed world (`true`) or the live one. A world read
    /// from a package has no live one and stays replaying.
    pub fn set_replaying(&self, on: bool) {
        let offline = self.starter.is_none();
        self.replaying
            .store(on || offline, std::sync::atomic::Ordering::Relaxed);
    }

    /// The handle the replay thread rebuilds into.
    pub fn replay_target(&self) -> Arc<RwLock<World>> {
        Arc::clone(&self.replayed)
    }

    /// A reading handle on the journal, once it is open.
    pub fn journal(&self) -> Option<Journal> {
        self.journal.get().cloned()
    }

    /// The empty world replay starts from before the first snapshot.
    pub fn empty_state(&self) -> watchfloor_layers::world::WorldState {
        World::new(self.live_world().frame().origin())
            .state()
            .clone()
    }

    /// Waits (bounded) until units, drones and alerts have arrived: for
    /// headless renders and tests only, never in a live window.
    pub fn wait_for_traffic(
        &self,
        units: usize,
        drones: usize,
        alerts: usize,
        timeout: std::time::Duration,
    ) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < deadline {
            {
                let w = self.world();
                let s = w.state();
                if s.units.len() >= units && s.drones.len() >= drones && s.alerts.len() >= alerts {
                    return true;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    }

    /// The world handle (for benchmarks and tests that wait on it).
    pub fn shared(&self) -> Arc<RwLock<World>> {
        Arc::clone(&self.world)
    }

    /// What starting found.
    pub fn status(&self) -> WorldStatus {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Feed counters, once the feeds are up.
    pub fn feed_stats(&self) -> Option<&FeedStats> {
        self.stats.get()
    }

    /// The road network, once built.
    pub fn roads(&self) -> Option<&RoadGraph> {
        self.roads.get()
    }

    /// The road network as it loads, for work on other threads.
    pub fn roads_handle(&self) -> Arc<OnceLock<RoadGraph>> {
        Arc::clone(&self.roads)
    }

    /// The most recent notices (ring crossings, refusals), newest last.
    pub fn notices(&self) -> Vec<(i64, Notice)> {
        self.notices
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }

    /// Submits an operator's event; it is applied and journaled like any
    /// other. Never blocks: if the hub is a whole queue behind, it says so.
    pub fn submit(&self, event: Event, operator: &str) -> Result<(), String> {
        self.submit_from(Origin::Operator(operator.to_owned()), event)
    }

    /// Submits an event from `origin` (e.g. detection on a camera), stamped now.
    pub fn submit_from(&self, origin: Origin, event: Event) -> Result<(), String> {
        let envelope = Envelope {
            at: now_us(),
            origin,
            event,
        };
        self.submit
            .try_send(envelope)
            .map_err(|e| format!("the world hub is not keeping up: {e}"))
    }
}

impl Drop for LiveWorld {
    fn drop(&mut self) {
        let (simulator, feeds) = {
            let mut parts = self.parts.lock().unwrap_or_else(PoisonError::into_inner);
            parts.stopping = true;
            (parts.simulator.take(), parts.feeds.take())
        };
        if let Some(mut child) = simulator {
            let _ = child.kill();
            let _ = child.wait();
        }
        // Stopping the feeds drops their senders; with ours gone too, the
        // hub's queue closes and it finishes the journal and returns.
        drop(feeds);
        let (closed, _) = tokio::sync::mpsc::channel(1);
        self.submit = closed;
        if let Some(starter) = self.starter.take()
            && starter.join().is_err()
        {
            tracing::error!("the world hub panicked");
        }
    }
}

struct Hub {
    world: Arc<RwLock<World>>,
    journal: Arc<OnceLock<Journal>>,
    status: Arc<Mutex<WorldStatus>>,
    stats: Arc<OnceLock<FeedStats>>,
    roads: Arc<OnceLock<RoadGraph>>,
    notices: Arc<Mutex<VecDeque<(i64, Notice)>>>,
    parts: Arc<Mutex<Parts>>,
    /// Handed to the feeds, then dropped so the queue closes with them.
    submit: Option<tokio::sync::mpsc::Sender<Envelope>>,
}

impl Hub {
    /// The status says "not recording, and why" while the journal's writes
    /// fail (a full disk), and "recording" again once they succeed.
    fn show_journal_health(&self, journal: &JournalWriter, options: &WorldOptions) {
        let health = journal.health();
        let shown = match health.failing {
            Some(why) => Err(format!(
                "{why} ({} events held in memory, written when it can)",
                health.pending
            )),
            None => match &options.journal {
                Some(dir) => Ok(dir.clone()),
                None => return,
            },
        };
        self.set_status(|s| {
            if s.journal.as_ref() != Some(&shown) {
                s.journal = Some(shown);
            }
        });
    }

    fn set_status(&self, f: impl FnOnce(&mut WorldStatus)) {
        f(&mut self.status.lock().unwrap_or_else(PoisonError::into_inner));
    }

    fn run(
        mut self,
        options: &WorldOptions,
        mut receiver: tokio::sync::mpsc::Receiver<Envelope>,
        repaint: &(dyn Fn() + Send + Sync),
    ) {
        let journal = self.open_journal(options);
        self.load_site(options, journal.as_ref());
        let drones = DroneClock::default();
        let Some(submit) = self.submit.take() else {
            return;
        };
        let keys = match &options.drone_keys {
            Some(path) => {
                let (keys, problems) = DroneKeys::load(path);
                for p in problems {
                    tracing::error!("drone signing keys: {p} (that drone's MAVLink is refused)");
                }
                tracing::info!(signing = ?keys.signing_systems(), "drone signing keys loaded");
                keys
            }
            None => DroneKeys::default(),
        };
        match FeedServer::start(&options.ports, submit, drones, Arc::new(keys)) {
            Ok(feeds) => {
                let bound = feeds.bound().clone();
                let _ = self.stats.set(feeds.stats().clone());
                self.set_status(|s| s.feeds = Some(Ok(bound.clone())));
                let mut parts = self.parts.lock().unwrap_or_else(PoisonError::into_inner);
                if !parts.stopping {
                    parts.feeds = Some(feeds);
                }
                drop(parts);
                if options.simulate {
                    self.start_simulator(&bound, options);
                }
            }
            Err(e) => {
                tracing::error!("feeds: {e:#}");
                self.set_status(|s| s.feeds = Some(Err(format!("{e:#}"))));
            }
        }
        self.build_roads(options);
        repaint();
        let mut batch = Vec::with_capacity(1024);
        while let Some(first) = receiver.blocking_recv() {
            batch.push(first);
            while batch.len() < 4096 {
                match receiver.try_recv() {
                    Ok(e) => batch.push(e),
                    Err(_) => break,
                }
            }
            let mut noticed = Vec::new();
            {
                let mut world = self.world.write().unwrap_or_else(PoisonError::into_inner);
                for e in &batch {
                    for n in world.apply(e) {
                        noticed.push((e.at, n));
                    }
                }
                // Geofence arrivals are events too (journaled, replayed as such).
                let arrivals: Vec<Envelope> = world
                    .arrivals(ARRIVAL_RADIUS_M)
                    .into_iter()
                    .map(|(unit, alert)| Envelope {
                        at: now_us(),
                        origin: Origin::System,
                        event: Event::UnitOnScene { unit, alert },
                    })
                    .collect();
                for e in arrivals {
                    tracing::info!(?e.event, "unit arrived on scene");
                    world.apply(&e);
                    batch.push(e);
                }
            }
            if let Some(j) = &journal {
                for e in batch.drain(..) {
                    if let Err(err) = j.append(e) {
                        tracing::error!("journal: {err}");
                        break;
                    }
                }
                self.show_journal_health(j, options);
            }
            batch.clear();
            self.keep_notices(noticed);
            repaint();
        }
        if let Some(j) = journal
            && let Err(e) = j.finish()
        {
            tracing::error!("journal: {e}");
        }
    }

    fn open_journal(&self, options: &WorldOptions) -> Option<JournalWriter> {
        let dir = options.journal.as_ref()?;
        let opened = std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))
            .and_then(|()| Journal::open(dir).map_err(|e| e.to_string()))
            .and_then(|journal| {
                // Continue from the journal's last state, so snapshots stay exact.
                let empty = World::new(
                    self.world
                        .read()
                        .unwrap_or_else(PoisonError::into_inner)
                        .frame()
                        .origin(),
                );
                let last = journal.last_key().map_err(|e| e.to_string())?;
                let world = match last {
                    Some(k) => journal
                        .state_at(k.at, empty.state())
                        .map_err(|e| e.to_string())?,
                    None => empty,
                };
                // The console shows what it knew when it last closed.
                *self.world.write().unwrap_or_else(PoisonError::into_inner) =
                    World::from_state(world.state().clone());
                let _ = self.journal.set(journal.clone());
                JournalWriter::start(journal, world).map_err(|e| e.to_string())
            });
        match opened {
            Ok(writer) => {
                tracing::info!(dir = %dir.display(), "journal recording");
                self.set_status(|s| s.journal = Some(Ok(dir.clone())));
                Some(writer)
            }
            Err(e) => {
                tracing::error!("journal not recording: {e}");
                self.set_status(|s| s.journal = Some(Err(e)));
                None
            }
        }
    }

    fn load_site(&self, options: &WorldOptions, journal: Option<&JournalWriter>) {
        let Some(path) = &options.site else {
            return;
        };
        match Site::load(path) {
            Ok((site, issues)) => {
                let issues: Vec<String> = issues.iter().map(ToString::to_string).collect();
                for i in &issues {
                    tracing::error!("site: {i}");
                }
                tracing::info!(
                    file = %path.display(),
                    checkpoints = site.checkpoints.len(),
                    rings = site.rings.len(),
                    grid = site.grid.len(),
                    cameras = site.cameras.len(),
                    "site loaded"
                );
                let envelope = Envelope {
                    at: now_us(),
                    origin: Origin::Site(path.display().to_string()),
                    event: Event::SiteLoaded(Box::new(site)),
                };
                self.world
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .apply(&envelope);
                if let Some(j) = journal
                    && let Err(e) = j.append(envelope)
                {
                    tracing::error!("journal: {e}");
                }
                self.set_status(|s| s.site_issues = issues);
            }
            Err(e) => {
                tracing::error!("site: {e}");
                self.set_status(|s| s.site_issues = vec![e.to_string()]);
            }
        }
    }

    fn build_roads(&self, options: &WorldOptions) {
        let Some(path) = &options.basemap else {
            return;
        };
        match Basemap::load(path) {
            Ok(map) => {
                let frame = *self
                    .world
                    .read()
                    .unwrap_or_else(PoisonError::into_inner)
                    .frame();
                let graph = RoadGraph::from_basemap(&map, frame);
                tracing::info!(stats = ?graph.stats(), "road network built");
                let _ = self.roads.set(graph);
            }
            Err(e) => {
                tracing::error!("road network unavailable (ETAs fall back to straight lines): {e}");
            }
        }
    }

    fn start_simulator(&self, bound: &FeedPorts, options: &WorldOptions) {
        let mut args = Vec::new();
        for (flag, addr) in [
            ("--cot-udp", bound.cot_udp),
            ("--cot-tcp", bound.cot_tcp),
            ("--mavlink-udp", bound.mavlink_udp),
        ] {
            if let Some(a) = addr {
                args.extend([flag.to_owned(), a.to_string()]);
            }
        }
        if let Some(site) = &options.site {
            args.extend(["--site".to_owned(), site.display().to_string()]);
        }
        let result = std::env::current_exe()
            .and_then(|exe| {
                std::process::Command::new(exe)
                    .args(["--log-level", "warn", "sim", "world", "--exit-on-stdin-eof"])
                    .args(&args)
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::inherit())
                    .spawn()
            })
            .map_err(|e| format!("cannot start `watchfloor sim world`: {e}"));
        match result {
            Ok(child) => {
                let mut parts = self.parts.lock().unwrap_or_else(PoisonError::into_inner);
                if parts.stopping {
                    let mut child = child;
                    let _ = child.kill();
                    let _ = child.wait();
                } else {
                    parts.simulator = Some(child);
                }
                self.set_status(|s| s.simulator = Some(Ok(())));
            }
            Err(e) => {
                tracing::error!("{e}");
                self.set_status(|s| s.simulator = Some(Err(e)));
            }
        }
    }

    fn keep_notices(&self, noticed: Vec<(i64, Notice)>) {
        if noticed.is_empty() {
            return;
        }
        let mut kept = self.notices.lock().unwrap_or_else(PoisonError::into_inner);
        for (at, n) in noticed {
            match &n {
                Notice::RingEntered { ring, unit } => tracing::info!(%ring, %unit, "entered ring"),
                Notice::RingExited { ring, unit } => tracing::info!(%ring, %unit, "left ring"),
                Notice::AlertRaised { id, severity } => {
                    tracing::info!(%id, ?severity, "alert raised");
                }
                Notice::Refused(why) => tracing::warn!("event refused: {why}"),
            }
            kept.push_back((at, n));
            while kept.len() > NOTICES_KEPT {
                kept.pop_front();
            }
        }
    }
}
