//! What a console shows of one camera at one instant: its name and place,
//! its state and counters, the newest picture, detections and recording
//! health. The runtime fills these; the console only reads them.

use crate::detect::service::CameraDetections;
use crate::ingest::Frame;
use crate::record::RecordingHealth;
use crate::stats::CameraStatus;

/// What the wall and lists show of one camera this frame.
#[derive(Clone)]
pub struct CameraView {
    /// Name for operators.
    pub name: String,
    /// Free-text note (e.g. that it is simulated footage).
    pub note: Option<String>,
    /// State and counters.
    pub status: CameraStatus,
    /// The newest decoded picture, for the tile.
    pub frame: Option<Frame>,
    /// Camera id.
    pub id: String,
    /// The latest detection result (boxes, freshness), when detection runs.
    pub detections: Option<CameraDetections>,
    /// Where the camera stands, when configured.
    pub lonlat: Option<[f64; 2]>,
    /// In replay: when the picture shown was recorded, or why there is none.
    pub recorded: Option<Recorded>,
    /// Whether its recording is being written (`None`: not recorded).
    pub recording: Option<RecordingHealth>,
}

/// What a tile shows in replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// A picture recorded at this instant.
    At(std::time::SystemTime),
    /// Nothing recorded then (or unreadable: why).
    Missing(String),
}

/// Where detection stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DetectionState {
    /// Not asked for.
    #[default]
    Off,
    /// Waiting for cameras.
    Waiting,
    /// Opening the model.
    Starting,
    /// Running; inference runs so far, and problems in the rules file.
    Running {
        /// Inference runs.
        runs: u64,
        /// Rules-file problems.
        problems: Vec<String>,
    },
    /// Could not start, and why.
    Failed(String),
}
