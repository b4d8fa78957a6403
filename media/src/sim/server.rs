//! gst-rtsp-server with one mount per simulated camera, fed from
//! memory by one paced thread: each camera's encoded frames are pushed at
//! their real-time instants, so 32 cameras cost little more than the
//! packetising. Clients never trigger an encode.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use gstreamer as gst;
use gstreamer::glib;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;
use gstreamer_rtsp_server as rtsp;
use gstreamer_rtsp_server::prelude::*;

use super::footage::{self, AccessUnit, Encoding, VARIANTS};
use crate::MediaError;

/// What to simulate.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// How many cameras.
    pub count: usize,
    /// TCP port on 127.0.0.1 (0 picks a free one).
    pub port: u16,
    /// Encoding of every stream.
    pub encoding: Encoding,
    /// Seconds between the start offsets of cameras showing the same variant.
    pub offset_step_s: u32,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            count: 4,
            port: 8554,
            encoding: Encoding {
                width: 640,
                height: 360,
                fps: 15,
                seconds: 60,
            },
            offset_step_s: 7,
        }
    }
}

/// One simulated camera as a client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimCamera {
    /// Mount path, e.g. `/cam3`.
    pub path: String,
    /// Full URL on loopback.
    pub url: String,
    /// Human name saying what it shows (a copy of archive footage, not a place).
    pub name: String,
    /// Where the footage is from.
    pub credit: String,
}

/// The viewers of one mount: each has its own media (and appsrc), fed the same
/// pre-encoded frames; `false` until its first keyframe was pushed.
type Viewers = Arc<Mutex<Vec<(gst_app::AppSrc, bool)>>>;

/// A running simulator; dropping it stops serving and joins its threads.
pub struct Simulator {
    cameras: Vec<SimCamera>,
    port: u16,
    main_loop: glib::MainLoop,
    context: glib::MainContext,
    source: Option<glib::SourceId>,
    server: rtsp::RTSPServer,
    loop_thread: Option<JoinHandle<()>>,
    stop_feeder: Option<SyncSender<()>>,
    feeder: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Prepares footage (encoding each variant once, cached) and starts serving.
    pub fn start(options: &SimOptions) -> Result<Self, MediaError> {
        gst::init().map_err(MediaError::GstInit)?;
        let assets = crate::assets::assets_dir().map_err(|tried| MediaError::NoAssets { tried })?;
        let cache = crate::assets::cache_dir().join("sim-footage");
        let used = VARIANTS.len().min(options.count.max(1));
        let mut footage = Vec::with_capacity(used);
        for variant in &VARIANTS[..used] {
            footage.push(Arc::new(footage::prepare(
                variant,
                &options.encoding,
                &assets,
                &cache,
            )?));
        }

        let server = rtsp::RTSPServer::new();
        server.set_address("127.0.0.1");
        server.set_service(&options.port.to_string());
        // Preparing a viewer's media waits for a keyframe; with the default
        // pool, viewers are prepared one after another.
        if let Some(pool) = server.thread_pool() {
            pool.set_max_threads(i32::try_from(options.count + 2).unwrap_or(i32::MAX));
        }
        let mounts = server.mount_points().ok_or(MediaError::Serve {
            what: "the RTSP server has no mount points",
            port: options.port,
        })?;
        let fps = options.encoding.fps.max(1);
        let mut feeds = Vec::with_capacity(options.count);
        let mut cameras = Vec::with_capacity(options.count);
        for i in 0..options.count {
            let variant = VARIANTS[i % VARIANTS.len()];
            let units = Arc::clone(&footage[i % used]);
            let round = (i / VARIANTS.len()) as u32;
            let offset_s = round * options.offset_step_s;
            let start = (offset_s * fps) as usize % units.len();
            let path = format!("/cam{i}");
            let viewers = mount(&mounts, &path, &options.encoding);
            feeds.push(Feed::new(units, start, viewers, fps));
            cameras.push(SimCamera {
                url: String::new(),
                name: format!("Sim {i:02} · {} · +{offset_s} s", variant.name()),
                credit: variant.clip.credit.to_owned(),
                path,
            });
        }

        let context = glib::MainContext::new();
        let source = server
            .attach(Some(&context))
            .map_err(|_| MediaError::Serve {
                what: "cannot listen",
                port: options.port,
            })?;
        let port = u16::try_from(server.bound_port()).map_err(|_| MediaError::Serve {
            what: "the RTSP server did not bind",
            port: options.port,
        })?;
        for camera in &mut cameras {
            camera.url = format!("rtsp://127.0.0.1:{port}{}", camera.path);
        }
        let main_loop = glib::MainLoop::new(Some(&context), false);
        let loop_thread = {
            let (main_loop, context) = (main_loop.clone(), context.clone());
            std::thread::Builder::new()
                .name("sim-rtsp".into())
                .spawn(move || {
                    if context.with_thread_default(|| main_loop.run()).is_err() {
                        tracing::error!("simulator main context is owned by another thread");
                    }
                })
                .map_err(MediaError::thread("sim-rtsp"))?
        };
        let (stop_tx, stop_rx) = mpsc::sync_channel(1);
        let feeder = std::thread::Builder::new()
            .name("sim-feeder".into())
            .spawn(move || feed(feeds, &stop_rx))
            .map_err(MediaError::thread("sim-feeder"))?;
        tracing::info!(port, cameras = options.count, "camera simulator serving");
        Ok(Self {
            cameras,
            port,
            main_loop,
            context,
            source: Some(source),
            server,
            loop_thread: Some(loop_thread),
            stop_feeder: Some(stop_tx),
            feeder: Some(feeder),
        })
    }

    /// The simulated cameras.
    pub fn cameras(&self) -> &[SimCamera] {
        &self.cameras
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop_feeder.take();
        if let Some(feeder) = self.feeder.take() {
            let _ = feeder.join();
        }
        if let Some(id) = self.source.take()
            && let Some(source) = self.context.find_source_by_id(&id)
        {
            source.destroy();
        }
        // Close client connections so the port is free for the next server.
        self.server
            .client_filter(Some(&mut |_server, _client| rtsp::RTSPFilterResult::Remove));
        let main_loop = self.main_loop.clone();
        let quit = glib::idle_source_new(None, glib::Priority::DEFAULT, move || {
            main_loop.quit();
            glib::ControlFlow::Break
        });
        quit.attach(Some(&self.context));
        if let Some(thread) = self.loop_thread.take() {
            let _ = thread.join();
        }
    }
}

/// Adds a mount whose per-viewer pipeline is `appsrc ! rtph264pay`, and
/// returns the list its viewers' appsrcs are kept in. Media are not shared:
/// a viewer that vanishes without a TEARDOWN then stalls only its own media
/// (until the server drops its session), never the others'.
fn mount(mounts: &rtsp::RTSPMountPoints, path: &str, enc: &Encoding) -> Viewers {
    let factory = rtsp::RTSPMediaFactory::new();
    factory.set_launch(&format!(
        "( appsrc name=src is-live=true format=time do-timestamp=true max-bytes=1000000 \
           caps=\"video/x-h264,stream-format=byte-stream,alignment=au,width={},height={},framerate={}/1\" \
           ! rtph264pay name=pay0 pt=96 config-interval=-1 )",
        enc.width, enc.height, enc.fps
    ));
    factory.set_shared(false);
    let viewers: Viewers = Arc::default();
    let configured = Arc::clone(&viewers);
    factory.connect_media_configure(move |_factory, media| {
        let Some(src) = media
            .element()
            .downcast::<gst::Bin>()
            .ok()
            .and_then(|bin| bin.by_name("src"))
            .and_then(|e| e.downcast::<gst_app::AppSrc>().ok())
        else {
            return;
        };
        configured
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((src.clone(), false));
        let unprepared = Arc::clone(&configured);
        media.connect_unprepared(move |_| {
            unprepared
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .retain(|(s, _)| s != &src);
        });
    });
    mounts.add_factory(path, factory);
    viewers
}

/// One camera's place in its footage and in time.
struct Feed {
    units: Arc<Vec<AccessUnit>>,
    next: usize,
    due: Instant,
    interval: Duration,
    viewers: Viewers,
}

/// An appsrc holding more than this is not being read (a vanished viewer):
/// frames are not pushed to it, so memory stays bounded until it is dropped.
const STUCK_BYTES: u64 = 500_000;

impl Feed {
    fn new(units: Arc<Vec<AccessUnit>>, start: usize, viewers: Viewers, fps: u32) -> Self {
        Self {
            units,
            next: start,
            due: Instant::now(),
            interval: Duration::from_secs(1) / fps,
            viewers,
        }
    }

    /// Pushes the frame that is due now to every viewer and moves on. The
    /// camera's timeline runs whether or not anyone watches; a new viewer
    /// starts at the next keyframe so it can decode at once.
    fn push_due(&mut self) {
        let unit = &self.units[self.next];
        let mut viewers = self.viewers.lock().unwrap_or_else(PoisonError::into_inner);
        for (src, started) in viewers.iter_mut() {
            *started |= unit.keyframe;
            if *started && src.current_level_bytes() < STUCK_BYTES {
                let _ = src.push_buffer(unit.buffer.clone());
            }
        }
        drop(viewers);
        self.next = (self.next + 1) % self.units.len();
        self.due += self.interval;
    }
}

/// The feeder loop: sleep until the earliest due frame, push it, repeat.
fn feed(mut feeds: Vec<Feed>, stop: &Receiver<()>) {
    loop {
        let Some(due) = feeds.iter().map(|f| f.due).min() else {
            return;
        };
        let wait = due.saturating_duration_since(Instant::now());
        match stop.recv_timeout(wait) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
        let now = Instant::now();
        for f in feeds.iter_mut().filter(|f| f.due <= now) {
            f.push_due();
            // After a long stall (machine suspended), do not burst to catch up.
            if now.saturating_duration_since(f.due) > Duration::from_secs(1) {
                f.due = now;
            }
        }
    }
}
