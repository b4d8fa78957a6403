//! What the console is given each frame: one read of the world and what the
//! runtime prepared for it. Panels only read this; what the operator asks
//! for goes back as [`crate::Command`]s.

use watchfloor_layers::audit::AuditHealth;
use watchfloor_layers::dispatch::Suggestion;
use watchfloor_layers::feeds::ingest::{ClockSkew, FeedCounters};
use watchfloor_layers::roads::Reach;
use watchfloor_layers::status::WorldStatus;
use watchfloor_layers::timeline::Mark;
use watchfloor_layers::world::{Notice, World};
use watchfloor_media::detect::snapshot::Thumbnail;
use watchfloor_media::readiness::SystemReport;
use watchfloor_media::view::{CameraView, DetectionState};
use watchfloor_render::map::LoadedMap;

/// One frame's inputs.
#[derive(Clone, Copy)]
pub struct FrameCtx<'a> {
    /// The world shown: live, or the instant replayed (read once, so one
    /// frame never shows two versions of it). `None`: no world attached.
    pub world: Option<&'a World>,
    /// The live world while replaying (live alerts still ring); `None` when
    /// live (then it is `world`).
    pub live: Option<&'a World>,
    /// Every camera's view this frame.
    pub cameras: &'a [CameraView],
    /// The camera set's own state.
    pub camera_set: &'a CameraSet,
    /// The basemap once it is on the GPU, or why it could not load.
    pub map: Option<&'a LoadedMap>,
    /// Why the basemap could not load.
    pub map_error: Option<&'a str>,
    /// What the start-up checks found, once they have.
    pub system: Option<&'a SystemReport>,
    /// The live world's feeds, journal and site, once started.
    pub world_status: Option<&'a WorldStatus>,
    /// Feed counters and senders' clocks.
    pub feeds: Option<&'a FeedSummary>,
    /// Ring entries and exits, newest last.
    pub notices: &'a [(i64, Notice)],
    /// The timeline's marks and the journal's first instant.
    pub timeline: Timeline<'a>,
    /// Reachability areas, for the alert they were asked for.
    pub reach: Option<&'a (String, Vec<Reach>)>,
    /// Dispatch suggestions, for the alert they were asked for.
    pub suggestions: Option<&'a (String, Vec<Suggestion>)>,
    /// Detection alerts' pictures that arrived since the last frame.
    pub thumbnails: &'a [(String, Thumbnail)],
    /// Whether operator actions reach the audit log (`None`: not audited).
    pub audit: Option<&'a AuditHealth>,
    /// The export asked for last, while running or once done.
    pub export: Option<&'a ExportProgress>,
    /// Whether the video tile renderer is installed.
    pub video_ready: bool,
    /// The GPU adapter, for the status bar.
    pub gpu: Option<&'a str>,
    /// Whether the console has an alert chime.
    pub chime: bool,
}

/// What the camera set reports besides the views.
#[derive(Debug, Clone, Default)]
pub struct CameraSet {
    /// Cameras are still being started.
    pub starting: bool,
    /// Why cameras could not start.
    pub error: Option<String>,
    /// Problems in the camera configuration, each naming file and entry.
    pub config_errors: Vec<String>,
    /// Where detection stands.
    pub detection: DetectionState,
}

/// Feed counters by protocol and the senders whose clocks are off.
#[derive(Debug, Clone, Default)]
pub struct FeedSummary {
    /// CoT (UDP and TCP).
    pub cot: FeedCounters,
    /// MAVLink.
    pub mavlink: FeedCounters,
    /// Senders whose clocks differ from the console's.
    pub skews: Vec<ClockSkew>,
}

/// The timeline's marks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timeline<'a> {
    /// Whether replay can start (the engine runs on an open journal).
    pub ready: bool,
    /// The journal's first instant.
    pub start: Option<i64>,
    /// Alerts, dispatches, operator actions and camera outages.
    pub marks: &'a [Mark],
}

/// An export from the dialog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportProgress {
    /// Still writing.
    pub running: bool,
    /// The package's summary, or why it failed.
    pub outcome: Option<Result<String, String>>,
}

/// A camera set with nothing in it.
static NO_CAMERAS: CameraSet = CameraSet {
    starting: false,
    error: None,
    config_errors: Vec::new(),
    detection: DetectionState::Off,
};

impl FrameCtx<'static> {
    /// A frame with nothing attached at all.
    pub fn nothing() -> Self {
        Self::empty(&NO_CAMERAS)
    }
}

impl<'a> FrameCtx<'a> {
    /// A frame with nothing attached (no world, cameras, map or checks).
    pub fn empty(camera_set: &'a CameraSet) -> Self {
        Self {
            world: None,
            live: None,
            cameras: &[],
            camera_set,
            map: None,
            map_error: None,
            system: None,
            world_status: None,
            feeds: None,
            notices: &[],
            timeline: Timeline::default(),
            reach: None,
            suggestions: None,
            thumbnails: &[],
            audit: None,
            export: None,
            video_ready: false,
            gpu: None,
            chime: false,
        }
    }

    /// The live world: the one shown, unless replaying.
    pub fn live_world(&self) -> Option<&'a World> {
        self.live.or(self.world)
    }

    /// The camera with this id, by index.
    pub fn camera_index(&self, id: &str) -> Option<usize> {
        self.cameras.iter().position(|v| v.id == id)
    }

    /// `(live, total)` cameras.
    pub fn live_count(&self) -> (usize, usize) {
        let live = self
            .cameras
            .iter()
            .filter(|v| v.status.state == watchfloor_media::health::CameraState::Live)
            .count();
        (live, self.cameras.len())
    }
}
