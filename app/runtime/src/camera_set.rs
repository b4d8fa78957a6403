//! The console's live cameras: the ingests drained each frame, detection
//! over them, recorded players while replaying, and the newest view of
//! each for the wall. Draining never waits.

use std::sync::Arc;

use watchfloor_media::health::CameraState;
use watchfloor_media::ingest::CameraIngest;
use watchfloor_media::stats::CameraStatus;

use crate::camera_start::{ConfiguredCameras, DemoCameras};
use crate::detection::LiveDetection;
use crate::job::Reaper;
use watchfloor_media::detect::service::{CameraDetections, DetectionAlert, DetectionService};
pub use watchfloor_media::view::{CameraView, DetectionState, Recorded};

/// Requests a repaint (from any thread).
type Repaint = Arc<dyn Fn() + Send + Sync>;

/// How detection is to run: the rules file, where evidence is written, and
/// the repaint request.
struct DetectSetup {
    rules: Option<std::path::PathBuf>,
    evidence_dir: Option<std::path::PathBuf>,
    repaint: Repaint,
}

/// Cameras being started, running, or failed to start.
#[derive(Default)]
pub struct Cameras {
    /// Detection over these cameras (one service per batch of cameras added).
    /// Declared first, so it stops before the ingests it reads from.
    detection: Vec<LiveDetection>,
    /// Detection set-up: `None` = no detection; else the rules file (if any)
    /// and the repaint request.
    detect: Option<DetectSetup>,
    ingests: Vec<CameraIngest>,
    views: Vec<CameraView>,
    error: Option<String>,
    config_errors: Vec<String>,
    /// Whether `starting` has reported.
    reported: bool,
    /// Cameras from a configuration file, still loading.
    configuring: Option<ConfiguredCameras>,
    /// Recorded video players by camera id, while replaying.
    playback: Option<Playback>,
    /// Live detections while replaying (the views show none over recorded
    /// pictures; geofences and priorities still follow the live ones).
    live_detections: std::collections::HashMap<String, CameraDetections>,
    /// The demo's simulator. It stays after reporting: declared after the
    /// ingests, it is dropped after them, so the simulator outlives its clients.
    starting: Option<DemoCameras>,
}

impl Cameras {
    /// Cameras coming from the demo's simulator.
    pub fn from_demo(demo: DemoCameras) -> Self {
        Self {
            starting: Some(demo),
            ..Self::default()
        }
    }

    /// Runs detection on the cameras as they arrive, with the rules in
    /// `rules` (a `detection.toml`) if given; alert snapshots are written
    /// below `evidence_dir` (the journal folder) if given.
    pub fn enable_detection(
        &mut self,
        rules: Option<std::path::PathBuf>,
        evidence_dir: Option<std::path::PathBuf>,
        repaint: impl Fn() + Send + Sync + 'static,
    ) {
        self.detect = Some(DetectSetup {
            rules,
            evidence_dir,
            repaint: Arc::new(repaint),
        });
    }

    /// Adds cameras that are already being ingested (e.g. from `cameras.toml`),
    /// and the problems found in their configuration.
    pub fn add(&mut self, ingests: Vec<CameraIngest>, config_errors: Vec<String>) {
        if let Some(setup) = &self.detect {
            let inputs: Vec<_> = ingests
                .iter()
                .filter_map(|i| Some((i.id().as_str().to_string(), Arc::clone(i.consumer(0)?))))
                .collect();
            if !inputs.is_empty() {
                let repaint = Arc::clone(&setup.repaint);
                let (rules, evidence) = (setup.rules.clone(), setup.evidence_dir.clone());
                match LiveDetection::start(inputs, rules, evidence, move || repaint()) {
                    Ok(d) => self.detection.push(d),
                    Err(e) => tracing::error!("detection could not start: {e}"),
                }
            }
        }
        // Live views come first (recorded-only ones follow while replaying);
        // a camera now live takes over its recorded-only view.
        let at = self.ingests.len();
        let live: std::collections::HashSet<&str> =
            ingests.iter().map(|i| i.id().as_str()).collect();
        let recorded_only: Vec<CameraView> = self.views.split_off(at);
        self.views.extend(ingests.iter().map(view_of));
        self.views.extend(
            recorded_only
                .into_iter()
                .filter(|v| !live.contains(v.id.as_str())),
        );
        self.ingests.extend(ingests);
        self.config_errors.extend(config_errors);
    }

    /// Loads configured cameras in the background; they appear when ready.
    pub fn add_configured(&mut self, configured: ConfiguredCameras) {
        self.configuring = Some(configured);
    }

    /// Problems in the camera configuration, each naming file and entry.
    pub fn config_errors(&self) -> &[String] {
        &self.config_errors
    }

    /// Whether cameras are still being started.
    pub fn is_starting(&self) -> bool {
        self.starting.is_some() && !self.reported
    }

    /// Why cameras could not be started, if they could not.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// This frame's view of every camera.
    pub fn views(&self) -> &[CameraView] {
        &self.views
    }

    /// The camera with this id, by index, if live here.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.views.iter().position(|v| v.id == id)
    }

    /// Gives cameras without a configured position the place and name of
    /// the site camera with the same id (the demo's simulated streams).
    pub fn place_from_site(
        &mut self,
        sites: &std::collections::BTreeMap<String, watchfloor_layers::model::CameraSite>,
    ) {
        for view in self.views.iter_mut().filter(|v| v.lonlat.is_none()) {
            if let Some(site) = sites.get(&view.id) {
                view.lonlat = Some(site.lonlat);
                view.name.clone_from(&site.name);
            }
        }
    }

    /// Plays recorded video from `recordings` (`<camera>/<start_ms>.mkv`)
    /// in place of the live pictures; recorded cameras not live here get a
    /// view of their own (named from the site when placed).
    pub fn start_replay(
        &mut self,
        recordings: &std::path::Path,
        repaint: &Arc<dyn Fn() + Send + Sync>,
    ) {
        let repaint = Arc::clone(repaint);
        let mut players = std::collections::BTreeMap::new();
        for (id, dir) in watchfloor_media::playback::recorded_cameras(recordings) {
            let repaint = Arc::clone(&repaint);
            match watchfloor_media::playback::Playback::start(
                id.clone(),
                dir,
                Some(Box::new(move || repaint())),
            ) {
                Ok(p) => {
                    players.insert(id.as_str().to_owned(), p);
                }
                Err(e) => tracing::error!(camera = %id, "recorded video cannot play: {e}"),
            }
        }
        for id in players.keys() {
            if self.index_of(id).is_none() {
                self.views.push(CameraView {
                    name: id.clone(),
                    note: None,
                    status: recorded_status(),
                    frame: None,
                    id: id.clone(),
                    detections: None,
                    lonlat: None,
                    recorded: None,
                    recording: None,
                });
            }
        }
        tracing::info!(cameras = players.len(), folder = %recordings.display(), "replaying recorded video");
        self.playback = Some(Playback { players });
    }

    /// Back to live pictures: players stop, recorded-only views go.
    pub fn stop_replay(&mut self) {
        // Players may be mid-decode: they stop on a thread of their own,
        // never holding up the UI.
        if let Some(players) = self.playback.take() {
            Reaper::drop_later("playback-stop", players);
        }
        self.views.truncate(self.ingests.len());
        for view in &mut self.views {
            view.recorded = None;
            view.frame = None;
        }
    }

    /// The live cameras with their live detections, whether or not
    /// recorded video is shown (for geofences).
    pub fn live_views(&self) -> std::borrow::Cow<'_, [CameraView]> {
        if self.playback.is_none() {
            return std::borrow::Cow::Borrowed(&self.views[..self.ingests.len()]);
        }
        std::borrow::Cow::Owned(
            self.views[..self.ingests.len()]
                .iter()
                .map(|v| CameraView {
                    detections: self.live_detections.get(&v.id).cloned(),
                    frame: None,
                    recorded: None,
                    ..v.clone()
                })
                .collect(),
        )
    }

    /// Whether recorded video is shown.
    pub fn replaying(&self) -> bool {
        self.playback.is_some()
    }

    /// Asks the players of cameras `shown` (view indices) for the picture
    /// at `at`; the others stay idle.
    pub fn show_recorded(&self, at: std::time::SystemTime, shown: &[usize]) {
        let Some(playback) = &self.playback else {
            return;
        };
        for &i in shown {
            if let Some(p) = self.views.get(i).and_then(|v| playback.players.get(&v.id)) {
                p.show(at);
            }
        }
    }

    /// Takes what arrived since the last frame; never blocks.
    pub fn poll(&mut self) {
        if let Some((ingests, errors)) = self
            .configuring
            .as_mut()
            .and_then(ConfiguredCameras::try_ready)
        {
            self.add(ingests, errors);
            self.configuring = None;
        }
        let pending = self.starting.as_mut().filter(|_| !self.reported);
        if let Some(result) = pending.and_then(DemoCameras::try_ready) {
            match result {
                Ok(ingests) => self.add(ingests, Vec::new()),
                Err(e) => self.error = Some(e),
            }
            self.reported = true;
        }
        for d in &mut self.detection {
            d.poll();
        }
        let mut results: std::collections::HashMap<String, CameraDetections> = self
            .detection
            .iter()
            .filter_map(LiveDetection::service)
            .flat_map(DetectionService::views)
            .collect();
        for (ingest, view) in self.ingests.iter().zip(&mut self.views) {
            let latest = ingest.latest();
            view.status = ingest.status();
            view.recording = ingest.recording();
            if self.playback.is_none() {
                if let Some(frame) = latest {
                    view.frame = Some(frame);
                }
                view.detections = results.remove(&view.id);
            }
        }
        self.live_detections = if self.playback.is_some() {
            results
        } else {
            std::collections::HashMap::new()
        };
        if let Some(playback) = &self.playback {
            poll_recorded(playback, &mut self.views);
        }
    }

    /// Sets each camera's detection priority from its wall index and id.
    pub fn set_priorities(
        &self,
        priority: impl Fn(usize, &str) -> watchfloor_media::detect::scheduler::Priority,
    ) {
        for service in self.detection.iter().filter_map(LiveDetection::service) {
            for (index, view) in self.views.iter().enumerate() {
                service.set_priority(&view.id, priority(index, &view.id));
            }
        }
    }

    /// Detection alerts raised since the last call.
    pub fn drain_detection_alerts(&self) -> Vec<DetectionAlert> {
        self.detection
            .iter()
            .flat_map(LiveDetection::drain_alerts)
            .collect()
    }

    /// Detection's state for the status bar: running, starting, or why not.
    pub fn detection_state(&self) -> DetectionState {
        if self.detect.is_none() {
            return DetectionState::Off;
        }
        if let Some(e) = self.detection.iter().find_map(LiveDetection::error) {
            return DetectionState::Failed(e.to_string());
        }
        if self.detection.iter().any(LiveDetection::is_starting) {
            return DetectionState::Starting;
        }
        match self.detection.iter().find_map(LiveDetection::service) {
            Some(service) => DetectionState::Running {
                runs: service.stats().runs,
                problems: self
                    .detection
                    .iter()
                    .flat_map(|d| d.problems().iter().cloned())
                    .collect(),
            },
            None => DetectionState::Waiting,
        }
    }

    /// `(live, total)` cameras.
    pub fn live_count(&self) -> (usize, usize) {
        let live = self
            .views
            .iter()
            .filter(|v| v.status.state == CameraState::Live)
            .count();
        (live, self.views.len())
    }

    /// Waits (bounded) until every camera has a frame: headless renders only.
    pub fn wait_for_frames(&mut self, timeout: std::time::Duration) {
        if self.starting.is_none() && self.views.is_empty() {
            return; // no cameras were attached
        }
        let end = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < end {
            self.poll();
            if self.error.is_some() {
                return;
            }
            if !self.is_starting()
                && !self.views.is_empty()
                && self.views.iter().all(|v| v.frame.is_some())
            {
                // Let a full rate window pass so fps and bitrate are real.
                std::thread::sleep(std::time::Duration::from_millis(1200));
                self.poll();
                self.wait_for_detection(end);
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Cameras {
    /// Waits (until `end`) for detection to have inferred every camera often
    /// enough that its tracks can be confirmed (boxes are drawn for confirmed
    /// tracks only), when it runs: headless renders only.
    fn wait_for_detection(&mut self, end: std::time::Instant) {
        let enough =
            u64::from(watchfloor_media::detect::tracker::TrackerConfig::default().min_hits) + 1;
        while std::time::Instant::now() < end {
            match self.detection_state() {
                DetectionState::Off | DetectionState::Failed(_) => return,
                DetectionState::Running { .. }
                    if self.views.iter().all(|v| {
                        v.detections
                            .as_ref()
                            .is_some_and(|d| d.inferences >= enough)
                    }) =>
                {
                    return;
                }
                _ => {}
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            self.poll();
        }
    }
}

/// The status of a camera known only from its recordings.
fn recorded_status() -> CameraStatus {
    CameraStatus {
        state: CameraState::Offline,
        last_error: Some("recorded only".into()),
        received: 0,
        decoded: 0,
        dropped: 0,
        late: 0,
        reconnects: 0,
        fps: 0.0,
        bitrate_bps: 0.0,
        newest_frame_age: None,
    }
}

/// Recorded video players, one per recorded camera.
struct Playback {
    players: std::collections::BTreeMap<String, watchfloor_media::playback::Playback>,
}

/// Puts the players' newest pictures on the views; live detections are not
/// drawn over recorded video.
fn poll_recorded(playback: &Playback, views: &mut [CameraView]) {
    use watchfloor_media::playback::Shown;
    for view in views {
        view.detections = None;
        let Some(player) = playback.players.get(&view.id) else {
            view.frame = None;
            view.recorded = Some(Recorded::Missing("not recorded".into()));
            continue;
        };
        match player.take() {
            Some(Shown::Frame { frame, at, .. }) => {
                view.frame = Some(frame);
                view.recorded = Some(Recorded::At(at));
            }
            Some(Shown::Nothing { why, .. }) => {
                view.frame = None;
                view.recorded = Some(Recorded::Missing(why));
            }
            None => {}
        }
    }
}

fn view_of(ingest: &CameraIngest) -> CameraView {
    CameraView {
        name: ingest.camera().name.clone(),
        note: ingest.camera().note.clone(),
        status: ingest.status(),
        frame: None,
        id: ingest.id().as_str().to_string(),
        detections: None,
        lonlat: ingest.camera().lonlat,
        recorded: None,
        recording: ingest.recording(),
    }
}
