//! The console's live cameras: the ingests it drains each frame, and the
//! newest frame of each for the wall. Draining never waits.

use std::sync::Arc;

use watchfloor_layers::FeedHealth;
use watchfloor_media::health::CameraState;
use watchfloor_media::ingest::CameraIngest;
use watchfloor_media::stats::CameraStatus;

use crate::wiring::cameras::{ConfiguredCameras, DemoCameras, TileFrame};

/// What the wall and lists show of one camera this frame.
pub struct CameraView {
    /// Name for operators.
    pub name: String,
    /// Free-text note (e.g. that it is simulated footage).
    pub note: Option<String>,
    /// State and counters.
    pub status: CameraStatus,
    /// The newest decoded frame, for the tile.
    pub frame: Option<Arc<TileFrame>>,
}

impl CameraView {
    /// The camera state in the console's shared health vocabulary.
    pub fn health(&self) -> FeedHealth {
        match self.status.state {
            CameraState::Connecting => FeedHealth::Connecting,
            CameraState::Live => FeedHealth::Live,
            CameraState::Stalled => FeedHealth::Stalled,
            CameraState::Offline => FeedHealth::Offline,
        }
    }
}

/// Cameras being started, running, or failed to start.
#[derive(Default)]
pub struct Cameras {
    ingests: Vec<CameraIngest>,
    views: Vec<CameraView>,
    error: Option<String>,
    config_errors: Vec<String>,
    /// Whether `starting` has reported.
    reported: bool,
    /// Cameras from a configuration file, still loading.
    configuring: Option<ConfiguredCameras>,
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

    /// Adds cameras that are already being ingested (e.g. from `cameras.toml`),
    /// and the problems found in their configuration.
    pub fn add(&mut self, ingests: Vec<CameraIngest>, config_errors: Vec<String>) {
        self.views.extend(ingests.iter().map(view_of));
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

    /// Takes what arrived since the last frame; never blocks.
    pub fn poll(&mut self) {
        if let Some((ingests, errors)) = self
            .configuring
            .as_ref()
            .and_then(ConfiguredCameras::try_ready)
        {
            self.add(ingests, errors);
            self.configuring = None;
        }
        let pending = self.starting.as_ref().filter(|_| !self.reported);
        if let Some(result) = pending.and_then(DemoCameras::try_ready) {
            match result {
                Ok(ingests) => self.add(ingests, Vec::new()),
                Err(e) => self.error = Some(e),
            }
            self.reported = true;
        }
        for (ingest, view) in self.ingests.iter().zip(&mut self.views) {
            if let Some(frame) = ingest.latest() {
                view.frame = Some(Arc::new(TileFrame(frame)));
            }
            view.status = ingest.status();
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
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

fn view_of(ingest: &CameraIngest) -> CameraView {
    CameraView {
        name: ingest.camera().name.clone(),
        note: ingest.camera().note.clone(),
        status: ingest.status(),
        frame: None,
    }
}
