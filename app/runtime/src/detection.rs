//! Detection for the console: the model is opened and the `detector` service
//! started on a `detection-start` thread once the cameras exist; the console
//! then reads boxes and freshness per camera, and turns the service's rule
//! alerts into world events (journaled) with their JPEG evidence on disk.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use watchfloor_layers::event::{Event, Origin};
use watchfloor_layers::model::AlertSource;
use watchfloor_layers::status::AlertSeverity;
use watchfloor_media::detect::config::{self, DetectionConfig};
use watchfloor_media::detect::descriptor::ModelDescriptor;
use watchfloor_media::detect::detector::{Detector, DetectorOptions};
use watchfloor_media::detect::rules::Severity;
use watchfloor_media::detect::service::{
    CameraDetections, DetectInput, DetectionAlert, DetectionService, ServiceOptions,
};
use watchfloor_media::ingest::Frame;
use watchfloor_media::mailbox::Mailbox;

use super::job::Job;
use super::world::LiveWorld;

/// The detection rules beside a site: `detection.toml` in the folder of
/// `site.toml`, when it exists.
pub fn rules_beside(site: Option<&Path>) -> Option<PathBuf> {
    let file = site?.parent()?.join("detection.toml");
    file.is_file().then_some(file)
}

/// The started service and the rules file's problems, or why it could not start.
type Started = Result<(DetectionService, Vec<String>), String>;

/// Detection starting, running, or unavailable (and why).
pub struct LiveDetection {
    starting: Option<Job<Started>>,
    service: Option<DetectionService>,
    error: Option<String>,
    problems: Vec<String>,
}

impl LiveDetection {
    /// Opens the bundled model and starts the service for `cameras` (id and
    /// the ingest's detection mailbox) with `rules` (a `detection.toml`);
    /// snapshots are written below `evidence_dir` (the journal folder).
    pub fn start(
        cameras: Vec<(String, Arc<Mailbox<Frame>>)>,
        rules: Option<PathBuf>,
        evidence_dir: Option<PathBuf>,
        repaint: impl Fn() + Send + Sync + Clone + 'static,
    ) -> std::io::Result<Self> {
        let notify = repaint.clone();
        let starting = Job::start(
            "detection-start",
            move || {
                let result = open(cameras, rules.as_deref(), evidence_dir, notify);
                if let Err(e) = &result {
                    tracing::error!("detection unavailable: {e}");
                }
                result
            },
            repaint,
        )?;
        Ok(Self {
            starting: Some(starting),
            service: None,
            error: None,
            problems: Vec::new(),
        })
    }

    /// Takes the service once it has started; never blocks.
    pub fn poll(&mut self) {
        let Some(result) = self.starting.as_mut().and_then(Job::try_take) else {
            return;
        };
        // Dropping the job joins its (finished) thread.
        self.starting = None;
        match result {
            Ok((service, problems)) => {
                self.service = Some(service);
                self.problems = problems;
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Whether the model is still being opened.
    pub fn is_starting(&self) -> bool {
        self.starting.is_some()
    }

    /// Why detection is not running, if it is not.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Problems in the rules file, each naming file, camera and item.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// The running service.
    pub fn service(&self) -> Option<&DetectionService> {
        self.service.as_ref()
    }

    /// Boxes and freshness of one camera.
    pub fn view(&self, camera: &str) -> Option<CameraDetections> {
        self.service.as_ref()?.views().remove(camera)
    }

    /// Alerts raised since the last call.
    pub fn drain_alerts(&self) -> Vec<DetectionAlert> {
        self.service
            .as_ref()
            .map(DetectionService::drain_alerts)
            .unwrap_or_default()
    }
}

fn open(
    cameras: Vec<(String, Arc<Mailbox<Frame>>)>,
    rules: Option<&Path>,
    evidence_dir: Option<PathBuf>,
    repaint: impl Fn() + Send + Sync + 'static,
) -> Result<(DetectionService, Vec<String>), String> {
    let descriptor = ModelDescriptor::bundled().map_err(|e| e.to_string())?;
    let detector = Detector::open(descriptor.clone(), &DetectorOptions::default())
        .map_err(|e| e.to_string())?;
    let mut config = match rules {
        Some(path) => config::load(path, &descriptor),
        None => DetectionConfig::default(),
    };
    for p in &config.problems {
        tracing::error!("detection rules: {p}");
    }
    let inputs = cameras
        .into_iter()
        .map(|(camera, frames)| {
            let setup = config
                .cameras
                .iter()
                .position(|c| c.camera == camera)
                .map(|i| config.cameras.swap_remove(i));
            DetectInput {
                camera,
                frames,
                setup,
            }
        })
        .collect();
    let service = DetectionService::start(
        detector,
        inputs,
        &ServiceOptions {
            evidence_dir,
            ..ServiceOptions::default()
        },
        Some(Box::new(repaint)),
    )
    .map_err(|e| e.to_string())?;
    tracing::info!(model = %descriptor.name, "detection running");
    Ok((service, config.problems))
}

/// Turns a detection alert into world events: the alert itself (titled with
/// the camera's name; placed at its ground position, else at the camera,
/// else at the site's origin) and its evidence, naming the snapshot the
/// `evidence` thread has already written (no file work here: this runs on
/// the UI thread). Returns the alert id.
pub fn forward_alert(
    world: &LiveWorld,
    alert: &DetectionAlert,
    camera: Option<&watchfloor_media::view::CameraView>,
) -> Result<String, String> {
    let id = alert.id.clone();
    let lonlat = alert
        .ground
        .or_else(|| camera.and_then(|c| c.lonlat))
        .unwrap_or_else(|| world.world().state().origin);
    let name = camera.map_or(alert.camera.as_str(), |c| c.name.as_str());
    let title = match alert.count {
        Some(n) => format!("{} · {name} ({n})", alert.name),
        None => format!("{} · {name}", alert.name),
    };
    let origin = Origin::Detection(alert.camera.clone());
    world.submit_from(
        origin.clone(),
        Event::AlertRaised {
            id: id.clone(),
            source: AlertSource::Detection {
                camera: alert.camera.clone(),
                rule: alert.rule.clone(),
            },
            severity: severity(alert.severity),
            title,
            lonlat,
        },
    )?;
    world.submit_from(
        origin,
        Event::AlertEvidence {
            id: id.clone(),
            camera: alert.camera.clone(),
            rule: alert.rule.clone(),
            boxes: alert
                .boxes
                .iter()
                .map(|b| [b.x0, b.y0, b.x1, b.y1])
                .collect(),
            tracks: alert.tracks.clone(),
            count: alert.count,
            snapshot: alert.snapshot_file.clone(),
        },
    )?;
    Ok(id)
}

fn severity(s: Severity) -> AlertSeverity {
    match s {
        Severity::Low => AlertSeverity::Low,
        Severity::Medium => AlertSeverity::Medium,
        Severity::High => AlertSeverity::High,
        Severity::Critical => AlertSeverity::Critical,
    }
}

/// Tracked objects (with a ground position) inside emergency rings that have
/// not alerted yet: each raises one `AlertRaised` and its `AlertEvidence`.
/// Returns (camera, track, ring) of the new ones; `done` remembers them.
pub fn geofence_hits(
    world: &LiveWorld,
    views: &[watchfloor_media::view::CameraView],
    done: &mut std::collections::BTreeSet<(String, u64, String)>,
) -> Vec<(String, u64, String)> {
    let rings: Vec<watchfloor_layers::model::Ring> = world
        .live_world()
        .state()
        .rings
        .values()
        .filter(|r| r.level == watchfloor_layers::model::RingLevel::Emergency)
        .cloned()
        .collect();
    if rings.is_empty() {
        return Vec::new();
    }
    let mut new = Vec::new();
    for view in views {
        let Some(d) = &view.detections else { continue };
        for b in &d.boxes {
            let Some(ground) = b.ground else { continue };
            for ring in rings.iter().filter(|r| r.contains(ground)) {
                let key = (view.id.clone(), b.track, ring.id.clone());
                if done.contains(&key) {
                    continue;
                }
                let id = format!("geo-{}-{}-{}", view.id, b.track, ring.id);
                let raised = world.submit_from(
                    Origin::Detection(view.id.clone()),
                    Event::AlertRaised {
                        id: id.clone(),
                        source: AlertSource::Detection {
                            camera: view.id.clone(),
                            rule: format!("geofence:{}", ring.id),
                        },
                        severity: AlertSeverity::High,
                        title: format!(
                            "{} {} inside {} · {}",
                            b.class, b.track, ring.name, view.id
                        ),
                        lonlat: ground,
                    },
                );
                let evidence = raised.and_then(|()| {
                    world.submit_from(
                        Origin::Detection(view.id.clone()),
                        Event::AlertEvidence {
                            id,
                            camera: view.id.clone(),
                            rule: format!("geofence:{}", ring.id),
                            boxes: vec![[b.bbox.x0, b.bbox.y0, b.bbox.x1, b.bbox.y1]],
                            tracks: vec![b.track],
                            count: None,
                            snapshot: None,
                        },
                    )
                });
                match evidence {
                    Ok(()) => {
                        done.insert(key.clone());
                        new.push(key);
                    }
                    Err(e) => tracing::error!("geofence alert not recorded: {e}"),
                }
            }
        }
    }
    new
}
