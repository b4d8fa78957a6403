//! Live cameras for the console: the demo's simulator process and the
//! ingest of its streams, started off the UI thread; the UI only drains.

use std::process::Child;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use watchfloor_media::camera::{Camera, CameraId, RtspTransport, Source};
use watchfloor_media::ingest::{CameraIngest, IngestOptions};

use crate::job::Job;
use crate::paths::DEMO_RECORDINGS;
use watchfloor_media::record::{RecordOptions, Recorder};

/// The demo site's cameras that the simulated streams stand in for, in the
/// simulator's order: the demo's tiles, detection rules and checkpoint view
/// use these ids, and the console takes each one's place and name from the
/// site (the footage itself is archive film, not these places).
pub const DEMO_PLACES: [&str; 4] = ["cam-cp-01", "cam-cp-02", "cam-cp-03", "cam-cp-04"];

/// How many simulated cameras the demo shows.
pub const DEMO_CAMERAS: usize = DEMO_PLACES.len();

/// The child process slot: the child once started, and whether the owner is
/// already stopping (then a child started late is killed at once).
type ChildSlot = Arc<Mutex<(Option<Child>, bool)>>;

/// The demo's simulated cameras: a `watchfloor sim cameras` child process
/// and one ingest per stream. Dropping it stops the ingest and the child; the
/// child also exits by itself when this process dies (its stdin closes).
pub struct DemoCameras {
    // `Drop` kills the child, which ends the job's read of its stdout;
    // the job is joined after that, when the fields drop.
    child: ChildSlot,
    starting: Job<Result<Vec<CameraIngest>, String>>,
}

impl DemoCameras {
    /// Starts the simulator and the ingest on a thread named `demo-cameras`;
    /// `repaint` is called for every new frame and when ready.
    pub fn start(repaint: impl Fn() + Send + Sync + Clone + 'static) -> std::io::Result<Self> {
        let child: ChildSlot = Arc::new(Mutex::new((None, false)));
        let child_slot = Arc::clone(&child);
        let notify = repaint.clone();
        let starting = Job::start(
            "demo-cameras",
            move || {
                let result = start_demo(&child_slot, notify);
                if let Err(e) = &result {
                    tracing::error!("demo cameras: {e}");
                }
                result
            },
            repaint,
        )?;
        Ok(Self { child, starting })
    }

    /// The ingests once they exist (or why they do not); never blocks.
    pub fn try_ready(&mut self) -> Option<Result<Vec<CameraIngest>, String>> {
        self.starting.try_take()
    }
}

impl Drop for DemoCameras {
    fn drop(&mut self) {
        // Killing the child also ends the starter's read of its stdout.
        let child = {
            let mut slot = self.child.lock().unwrap_or_else(PoisonError::into_inner);
            slot.1 = true;
            slot.0.take()
        };
        if let Some(mut child) = child {
            let _ = child.kill();
            let _ = child.wait();
        }
        // `starting` is joined when the fields drop, after this.
    }
}

fn start_demo(
    child_slot: &Mutex<(Option<Child>, bool)>,
    repaint: impl Fn() + Send + Sync + Clone + 'static,
) -> Result<Vec<CameraIngest>, String> {
    let mut child = crate::sim_child::spawn_child(&["--count".into(), DEMO_CAMERAS.to_string()])
        .map_err(|e| format!("cannot start the camera simulator: {e}"))?;
    let stdout = child.stdout.take().ok_or("simulator has no stdout")?;
    {
        let mut slot = child_slot.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.1 {
            // The owner is already gone: do not leave a simulator behind.
            let _ = child.kill();
            let _ = child.wait();
            return Err("stopped before the cameras started".into());
        }
        slot.0 = Some(child);
    }

    let mut cameras = Vec::new();
    for (announced, place) in crate::sim_child::read_announced(stdout)?
        .into_iter()
        .zip(DEMO_PLACES)
    {
        cameras.push(Camera {
            id: CameraId::new(place),
            name: announced.name,
            source: Source::parse(
                &announced.url,
                RtspTransport::Tcp,
                Duration::from_millis(100),
                std::path::Path::new("."),
            )
            .map_err(|e| format!("simulator announced {e}"))?,
            sub_source: None,
            lonlat: None,
            heading_deg: None,
            fov_deg: None,
            note: Some(format!(
                "Simulated: looped archive footage ({}); not a real place",
                announced.credit
            )),
        });
    }
    if cameras.is_empty() {
        return Err("the camera simulator exited before serving (see its log above)".into());
    }
    let recordings = watchfloor_media::assets::cache_dir().join(DEMO_RECORDINGS);
    tracing::info!(folder = %recordings.display(), "demo cameras are recorded (30 min, at most 1 GiB each)");
    cameras
        .into_iter()
        .map(|camera| {
            let repaint = repaint.clone();
            let recorder = Recorder::new(
                &camera.id,
                RecordOptions {
                    dir: recordings.clone(),
                    segment: Duration::from_secs(10),
                    max_age: Some(Duration::from_secs(30 * 60)),
                    max_bytes: Some(1 << 30),
                },
            )
            .map_err(|e| e.to_string())?;
            // One extra consumer: detection.
            CameraIngest::start(
                camera,
                IngestOptions::default(),
                1,
                Some(Box::new(repaint)),
                Some(Arc::new(recorder)),
            )
            .map_err(|e| e.to_string())
        })
        .collect()
}

/// Starts ingesting the cameras in a `cameras.toml`; returns the running
/// ingests and one message per problem (naming the file and the entry). A
/// bad entry never stops the others; an unreadable file is one problem.
pub fn start_configured(
    path: &std::path::Path,
    recordings: &std::path::Path,
    repaint: impl Fn() + Send + Sync + Clone + 'static,
) -> (Vec<CameraIngest>, Vec<String>) {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return (Vec::new(), vec![format!("{}: {e}", path.display())]),
    };
    let loaded = watchfloor_media::camera::parse_cameras(&text, path);
    let mut errors = loaded.errors;
    let mut ingests = Vec::new();
    for camera in loaded.cameras {
        let id = camera.id.clone();
        let repaint = repaint.clone();
        let recorder = match Recorder::new(&id, configured_recording(recordings)) {
            Ok(r) => Some(Arc::new(r)),
            Err(e) => {
                errors.push(format!(
                    "{}: camera `{id}` is not recorded: {e}",
                    path.display()
                ));
                None
            }
        };
        match CameraIngest::start(
            camera,
            IngestOptions::default(),
            1,
            Some(Box::new(repaint)),
            recorder,
        ) {
            Ok(ingest) => ingests.push(ingest),
            Err(e) => errors.push(format!("{}: camera `{id}`: {e}", path.display())),
        }
    }
    for e in &errors {
        tracing::error!("camera configuration: {e}");
    }
    tracing::info!(file = %path.display(), cameras = ingests.len(), problems = errors.len(), "cameras configured");
    (ingests, errors)
}

/// How configured cameras are recorded: 10 s segments, kept 7 days, at
/// most 50 GiB per camera.
fn configured_recording(dir: &std::path::Path) -> RecordOptions {
    RecordOptions {
        dir: dir.to_owned(),
        segment: Duration::from_secs(10),
        max_age: Some(Duration::from_secs(7 * 24 * 3600)),
        max_bytes: Some(50 << 30),
    }
}

/// `start_configured` on a thread named `camera-config`, so reading the file
/// and starting GStreamer never happen on the UI thread.
pub struct ConfiguredCameras {
    starting: Job<(Vec<CameraIngest>, Vec<String>)>,
}

impl ConfiguredCameras {
    /// Starts loading `path`; `repaint` is called for every new frame and when ready.
    pub fn start(
        path: std::path::PathBuf,
        recordings: std::path::PathBuf,
        repaint: impl Fn() + Send + Sync + Clone + 'static,
    ) -> std::io::Result<Self> {
        let notify = repaint.clone();
        let starting = Job::start(
            "camera-config",
            move || start_configured(&path, &recordings, notify),
            repaint,
        )?;
        Ok(Self { starting })
    }

    /// The ingests and problems once loaded; never blocks.
    pub fn try_ready(&mut self) -> Option<(Vec<CameraIngest>, Vec<String>)> {
        self.starting.try_take()
    }
}
