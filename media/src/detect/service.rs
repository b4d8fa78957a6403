//! The detection service: one thread (`detector`) that owns the model and
//! shares it among all cameras. Every decoded frame passes the motion gate;
//! the scheduler picks which cameras' frames the next inference takes; each
//! camera's tracker and rules turn boxes into tracks and alerts. The UI reads
//! per-camera boxes and freshness, and drains alerts; it never waits on it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use super::config::CameraDetection;
use super::detector::Detector;
use super::model_problem::ModelProblem;
use super::motion::{MotionConfig, MotionGate};
use super::preprocess::PlanarImage;
use super::rules::{RuleHit, Severity};
use super::scheduler::{Priority, Scheduler, SchedulerConfig};
use super::snapshot::{jpeg_with_boxes, thumbnail_with_boxes};
use super::tracker::{Tracker, TrackerConfig};
use super::types::BBox;
use crate::MediaError;
use crate::ingest::Frame;
use crate::mailbox::Mailbox;

/// One camera handed to the service.
pub struct DetectInput {
    /// Camera id.
    pub camera: String,
    /// Where its decoded frames arrive (an extra ingest consumer).
    pub frames: Arc<Mailbox<Frame>>,
    /// Its rules, zones and homography; `None` = boxes and tracks only.
    pub setup: Option<CameraDetection>,
}

/// One tracked object as the wall draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackBox {
    /// Track id (stable within this camera only).
    pub track: u64,
    /// Class name.
    pub class: String,
    /// Latest score.
    pub score: f32,
    /// Where, in frame coordinates.
    pub bbox: BBox,
    /// Where on the ground (lon, lat), when the camera has a homography.
    pub ground: Option<[f64; 2]>,
}

/// A camera's latest detection result.
#[derive(Debug, Clone, Default)]
pub struct CameraDetections {
    /// Confirmed tracks.
    pub boxes: Vec<TrackBox>,
    /// When its frame was last inferred.
    pub last_inference: Option<Instant>,
    /// Inferences so far.
    pub inferences: u64,
    /// The inferred frame's sequence number.
    pub frame_seq: u64,
    /// Line counts so far (per-lane counts at checkpoints): rule name,
    /// crossings forward, crossings backward.
    pub counts: Vec<(String, u64, u64)>,
    /// Who is in each zone at the last inference (lanes, queues).
    pub occupancy: Vec<ZoneOccupancy>,
    /// The camera's zones and lines, to draw over its video.
    pub overlay: Option<Arc<Overlay>>,
}

/// A camera's zones and lines in image coordinates (0..1), for drawing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlay {
    /// Zone id and corners.
    pub zones: Vec<(String, Vec<[f32; 2]>)>,
    /// Line id and its ends.
    pub lines: Vec<(String, [f32; 2], [f32; 2])>,
}

/// Confirmed tracks standing in one zone (by their foot point).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZoneOccupancy {
    /// Zone id.
    pub zone: String,
    /// People in it.
    pub people: u32,
    /// Vehicles (car, motorcycle, bus, truck) in it.
    pub vehicles: u32,
    /// Of those vehicles, how many are standing still: the queue.
    pub stopped_vehicles: u32,
}

/// Below this speed (image sizes per second) a vehicle counts as standing.
const STOPPED_SPEED: f32 = 0.02;

/// Whether a COCO class name is a road vehicle.
pub fn is_vehicle(class: &str) -> bool {
    matches!(class, "car" | "motorcycle" | "bus" | "truck")
}

/// Counts the confirmed `tracks` in each of `zones` (class names from `name`).
pub fn occupancy<'a>(
    zones: &[super::rules::Zone],
    tracks: &[super::tracker::Track],
    name: impl Fn(u32) -> &'a str,
) -> Vec<ZoneOccupancy> {
    zones
        .iter()
        .map(|zone| {
            let mut o = ZoneOccupancy {
                zone: zone.id.clone(),
                ..ZoneOccupancy::default()
            };
            for t in tracks.iter().filter(|t| t.confirmed) {
                if !zone.contains(t.bbox.foot()) {
                    continue;
                }
                let class = name(t.class);
                if class == "person" {
                    o.people += 1;
                } else if is_vehicle(class) {
                    o.vehicles += 1;
                    if t.velocity[0].hypot(t.velocity[1]) < STOPPED_SPEED {
                        o.stopped_vehicles += 1;
                    }
                }
            }
            o
        })
        .collect()
}

impl CameraDetections {
    /// Age of the last inference: how stale the boxes are.
    pub fn freshness(&self) -> Option<Duration> {
        self.last_inference.map(|t| t.elapsed())
    }
}

/// An alert raised by a rule.
#[derive(Debug, Clone)]
pub struct DetectionAlert {
    /// Unique id: `det-<camera>-<rule>-<unix ms>-<sequence>` (the sequence
    /// keeps two alerts of one rule in the same millisecond apart).
    pub id: String,
    /// The snapshot file, relative to the evidence folder, once written.
    pub snapshot_file: Option<String>,
    /// Camera id.
    pub camera: String,
    /// Rule id and name.
    pub rule: String,
    /// Rule name.
    pub name: String,
    /// Rule kind (`intrusion`, `line_crossing`, …).
    pub kind: &'static str,
    /// Severity.
    pub severity: Severity,
    /// Wall-clock time of the frame.
    pub at: SystemTime,
    /// From the frame's arrival to this alert.
    pub latency: Duration,
    /// The boxes that raised it.
    pub boxes: Vec<BBox>,
    /// Their track ids.
    pub tracks: Vec<u64>,
    /// Count (line crossings, crowd size) where the rule keeps one.
    pub count: Option<u64>,
    /// Ground position of the first box, when the camera has a homography.
    pub ground: Option<[f64; 2]>,
    /// The frame as JPEG with the boxes drawn (empty if encoding failed).
    pub snapshot_jpeg: Vec<u8>,
    /// A small picture of the same, for the alert card.
    pub thumbnail: Option<super::snapshot::Thumbnail>,
}

/// Service counters.
#[derive(Debug, Clone, Default)]
pub struct ServiceStats {
    /// Inference runs.
    pub runs: u64,
    /// Frames inferred (a run may hold several).
    pub frames_inferred: u64,
    /// Frames seen by the motion gate.
    pub frames_seen: u64,
    /// Frames dropped by the motion gate (no motion, not due).
    pub frames_without_motion: u64,
    /// Milliseconds of each run (model, pre- and post-processing), last 4096.
    pub run_ms: Vec<f64>,
    /// Batch size of each run, last 4096.
    pub batch_sizes: Vec<usize>,
    /// Split of each run: pre-processing, model, post-processing (ms), last 4096.
    pub run_split: Vec<super::detector::Timing>,
    /// Milliseconds spent on tracking, rules and snapshots after each run, last 4096.
    pub after_ms: Vec<f64>,
    /// Frame → alert latency of each alert, ms, last 4096.
    pub alert_latency_ms: Vec<f64>,
    /// Alerts raised.
    pub alerts: u64,
    /// Alerts dropped because nobody drained them.
    pub alerts_dropped: u64,
    /// Last inference error, if any.
    pub last_error: Option<String>,
}

const KEEP_SAMPLES: usize = 4096;
/// Width of the alert card's picture, pixels.
const THUMBNAIL_WIDTH: usize = 240;
/// Alerts waiting for their snapshot before the detector encodes inline.
const EVIDENCE_QUEUE: usize = 64;

fn push_sample<T>(v: &mut Vec<T>, x: T) {
    if v.len() == KEEP_SAMPLES {
        v.remove(0);
    }
    v.push(x);
}

#[derive(Default)]
struct Shared {
    views: Mutex<HashMap<String, CameraDetections>>,
    priorities: Mutex<HashMap<String, Priority>>,
    stats: Mutex<ServiceStats>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Tuning of the service's parts.
#[derive(Debug, Clone, Default)]
pub struct ServiceOptions {
    /// Which camera next.
    pub scheduler: SchedulerConfig,
    /// Tracking.
    pub tracker: TrackerConfig,
    /// Motion gating.
    pub motion: MotionConfig,
    /// Where snapshots are written (`evidence/<alert id>.jpg` below it),
    /// by the `evidence` thread; `None` keeps them in memory only.
    pub evidence_dir: Option<std::path::PathBuf>,
}

/// The running service. Dropping it stops and joins the thread.
pub struct DetectionService {
    shared: Arc<Shared>,
    alerts: Receiver<DetectionAlert>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    evidence: Option<JoinHandle<()>>,
}

impl DetectionService {
    /// Starts the `detector` thread; `notify` runs after each inference.
    pub fn start(
        detector: Detector,
        cameras: Vec<DetectInput>,
        options: &ServiceOptions,
        notify: Option<Box<dyn Fn() + Send>>,
    ) -> Result<Self, MediaError> {
        let shared = Arc::new(Shared::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = sync_channel(256);
        let (evidence_tx, evidence_rx) = sync_channel(EVIDENCE_QUEUE);
        let evidence_shared = Arc::clone(&shared);
        let final_tx = tx.clone();
        let dir = options.evidence_dir.clone();
        let evidence = std::thread::Builder::new()
            .name("evidence".into())
            .spawn(move || evidence_loop(&evidence_rx, &tx, &evidence_shared, dir.as_deref()))
            .map_err(MediaError::thread("evidence"))?;
        let worker = Worker::new(
            detector,
            cameras,
            options,
            Arc::clone(&shared),
            (evidence_tx, final_tx),
        );
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("detector".into())
            .spawn(move || worker.run(&flag, notify.as_deref()))
            .map_err(MediaError::thread("detector"))?;
        Ok(Self {
            shared,
            alerts: rx,
            stop,
            thread: Some(thread),
            evidence: Some(evidence),
        })
    }

    /// The latest result of every camera.
    pub fn views(&self) -> HashMap<String, CameraDetections> {
        lock(&self.shared.views).clone()
    }

    /// Sets a camera's priority (near an open alert, on the wall).
    pub fn set_priority(&self, camera: &str, priority: Priority) {
        lock(&self.shared.priorities).insert(camera.to_string(), priority);
    }

    /// Alerts raised since the last call.
    pub fn drain_alerts(&self) -> Vec<DetectionAlert> {
        self.alerts.try_iter().collect()
    }

    /// Counters so far.
    pub fn stats(&self) -> ServiceStats {
        lock(&self.shared.stats).clone()
    }
}

impl Drop for DetectionService {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        // The detector's end closed the evidence queue: it drains and ends.
        if let Some(t) = self.evidence.take() {
            let _ = t.join();
        }
    }
}

/// One camera inside the worker.
struct Slot {
    id: String,
    frames: Arc<Mailbox<Frame>>,
    gate: MotionGate,
    tracker: Tracker,
    setup: Option<CameraDetection>,
    latest: Option<Frame>,
}

struct Worker {
    detector: Detector,
    slots: Vec<Slot>,
    scheduler: Scheduler,
    shared: Arc<Shared>,
    /// To the evidence thread.
    alerts: SyncSender<Evidence>,
    /// Straight to the console (when the evidence thread is behind).
    final_alerts: SyncSender<DetectionAlert>,
    /// Where snapshots go when encoded here.
    evidence_dir: Option<std::path::PathBuf>,
    /// Alerts made so far (part of each alert's id).
    alert_seq: std::sync::atomic::AtomicU64,
    epoch: Instant,
}

impl Worker {
    fn new(
        detector: Detector,
        cameras: Vec<DetectInput>,
        options: &ServiceOptions,
        shared: Arc<Shared>,
        (alerts, final_alerts): (SyncSender<Evidence>, SyncSender<DetectionAlert>),
    ) -> Self {
        let mut scheduler = Scheduler::new(options.scheduler);
        scheduler.set_cameras(cameras.len());
        let slots = cameras
            .into_iter()
            .map(|c| Slot {
                id: c.camera,
                frames: c.frames,
                gate: MotionGate::new(options.motion),
                tracker: Tracker::new(options.tracker),
                setup: c.setup,
                latest: None,
            })
            .collect();
        Self {
            detector,
            slots,
            scheduler,
            shared,
            alerts,
            final_alerts,
            evidence_dir: options.evidence_dir.clone(),
            alert_seq: std::sync::atomic::AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    fn seconds(&self, t: Instant) -> f64 {
        t.saturating_duration_since(self.epoch).as_secs_f64()
    }

    fn run(mut self, stop: &AtomicBool, notify: Option<&(dyn Fn() + Send)>) {
        while !stop.load(Ordering::Relaxed) {
            self.observe_frames();
            self.apply_priorities();
            let now_s = self.seconds(Instant::now());
            let chosen: Vec<usize> = self
                .scheduler
                .next(now_s, self.detector.max_batch())
                .into_iter()
                .filter(|&i| self.slots[i].latest.is_some())
                .collect();
            if chosen.is_empty() {
                std::thread::sleep(Duration::from_millis(4));
                continue;
            }
            self.infer(&chosen);
            if let Some(notify) = notify {
                notify();
            }
        }
    }

    /// Takes each camera's newest frame through the motion gate.
    fn observe_frames(&mut self) {
        let mut seen = 0;
        let mut still = 0;
        for i in 0..self.slots.len() {
            let Some(frame) = self.slots[i].frames.take() else {
                continue;
            };
            let now_s = self.seconds(frame.arrived());
            let moving = match PlanarImage::of(&frame) {
                Some(image) => {
                    self.slots[i]
                        .gate
                        .observe(image.planes[0], image.width, image.height, image.strides[0])
                        .moving
                }
                None => false,
            };
            seen += 1;
            if !moving {
                still += 1;
            }
            self.scheduler.report_motion(i, now_s, moving);
            self.slots[i].latest = Some(frame);
        }
        if seen > 0 {
            let mut stats = lock(&self.shared.stats);
            stats.frames_seen += seen;
            stats.frames_without_motion += still;
        }
    }

    fn apply_priorities(&mut self) {
        let priorities = lock(&self.shared.priorities).clone();
        for (i, slot) in self.slots.iter().enumerate() {
            let mut p = priorities.get(&slot.id).copied().unwrap_or_default();
            p.checkpoint |= slot.setup.as_ref().is_some_and(|s| s.checkpoint);
            self.scheduler.set_priority(i, p);
        }
    }

    /// One inference over the chosen cameras' latest frames, then tracking
    /// and rules for each.
    fn infer(&mut self, chosen: &[usize]) {
        let frames: Vec<(usize, Frame)> = chosen
            .iter()
            .filter_map(|&i| self.slots[i].latest.clone().map(|f| (i, f)))
            .collect();
        let images: Vec<PlanarImage<'_>> = frames
            .iter()
            .filter_map(|(_, f)| PlanarImage::of(f))
            .collect();
        let started = Instant::now();
        let result = if images.len() == frames.len() {
            self.detector.detect(&images)
        } else {
            Err(MediaError::Model {
                path: self.detector.descriptor().model.clone(),
                problem: ModelProblem::UnreadableFrame,
            })
        };
        let done_s = self.seconds(Instant::now());
        for &(i, _) in &frames {
            self.scheduler.mark_inferred(i, done_s);
        }
        let detections = match result {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!("detection: {e}");
                lock(&self.shared.stats).last_error = Some(e.to_string());
                return;
            }
        };
        {
            let mut stats = lock(&self.shared.stats);
            stats.runs += 1;
            stats.frames_inferred += frames.len() as u64;
            push_sample(&mut stats.run_ms, started.elapsed().as_secs_f64() * 1e3);
            push_sample(&mut stats.batch_sizes, frames.len());
            push_sample(&mut stats.run_split, self.detector.timing());
        }
        let after = Instant::now();
        for ((i, frame), dets) in frames.iter().zip(detections) {
            self.after_inference(*i, frame, &dets);
        }
        push_sample(
            &mut lock(&self.shared.stats).after_ms,
            after.elapsed().as_secs_f64() * 1e3,
        );
    }

    fn after_inference(&mut self, i: usize, frame: &Frame, dets: &[super::types::Detection]) {
        let frame_s = self.seconds(frame.arrived());
        let slot = &mut self.slots[i];
        let kept: Vec<_> = dets
            .iter()
            .filter(|d| {
                slot.setup
                    .as_ref()
                    .is_none_or(|s| s.classes.get(d.class as usize).copied().unwrap_or(false))
            })
            .copied()
            .collect();
        let tracks = slot.tracker.update(frame_s, &kept).to_vec();
        let ground = |b: &BBox, setup: Option<&CameraDetection>| {
            let foot = b.foot();
            setup.and_then(|s| s.ground.as_ref()).and_then(|g| {
                g.homography
                    .project([f64::from(foot[0]), f64::from(foot[1])])
            })
        };
        let boxes: Vec<TrackBox> = tracks
            .iter()
            .filter(|t| t.confirmed)
            .map(|t| TrackBox {
                track: t.id,
                class: self.detector.descriptor().class_name(t.class).to_string(),
                score: t.score,
                bbox: t.bbox,
                ground: ground(&t.bbox, slot.setup.as_ref()),
            })
            .collect();
        let hits = slot
            .setup
            .as_mut()
            .map(|s| s.rules.evaluate(frame_s, &tracks))
            .unwrap_or_default();
        {
            let mut views = lock(&self.shared.views);
            let view = views.entry(slot.id.clone()).or_default();
            view.boxes = boxes;
            view.last_inference = Some(Instant::now());
            view.inferences += 1;
            view.frame_seq = frame.seq();
            if let Some(setup) = slot.setup.as_ref() {
                let descriptor = self.detector.descriptor();
                view.occupancy =
                    occupancy(setup.rules.zones(), &tracks, |c| descriptor.class_name(c));
                if view.overlay.is_none() {
                    view.overlay = Some(Arc::new(overlay_of(&setup.rules)));
                }
            }
            view.counts = slot
                .setup
                .as_ref()
                .map(|s| {
                    s.rules
                        .rules()
                        .filter_map(|r| {
                            let (forward, backward) = s.rules.counts(&r.id)?;
                            Some((r.name.clone(), forward, backward))
                        })
                        .collect()
                })
                .unwrap_or_default();
        }
        for hit in hits {
            let counting_only = self.slots[i]
                .setup
                .as_ref()
                .is_some_and(|s| s.counting_only.contains(&hit.rule));
            if !counting_only {
                let alert = self.alert(i, frame, hit);
                let masks = self.slots[i]
                    .setup
                    .as_ref()
                    .map(|s| s.privacy_masks.clone())
                    .unwrap_or_default();
                self.send(alert, frame, masks);
            }
        }
    }

    /// An alert without its snapshot yet (the evidence thread encodes it).
    fn alert(&self, i: usize, frame: &Frame, hit: RuleHit) -> DetectionAlert {
        let slot = &self.slots[i];
        let ground = hit.boxes.first().and_then(|b| {
            let foot = b.foot();
            slot.setup
                .as_ref()
                .and_then(|s| s.ground.as_ref())
                .and_then(|g| {
                    g.homography
                        .project([f64::from(foot[0]), f64::from(foot[1])])
                })
        });
        let since_frame = frame.arrived().elapsed();
        let at = SystemTime::now()
            .checked_sub(since_frame)
            .unwrap_or_else(SystemTime::now);
        let at_ms = at
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        DetectionAlert {
            id: format!(
                "det-{}-{}-{at_ms}-{}",
                slot.id,
                hit.rule,
                self.alert_seq.fetch_add(1, Ordering::Relaxed)
            ),
            snapshot_file: None,
            camera: slot.id.clone(),
            rule: hit.rule,
            name: hit.name,
            kind: hit.kind,
            severity: hit.severity,
            at,
            latency: since_frame,
            boxes: hit.boxes,
            tracks: hit.tracks,
            count: hit.count,
            ground,
            snapshot_jpeg: Vec::new(),
            thumbnail: None,
        }
    }

    /// Hands the alert and its frame to the evidence thread; if that is a
    /// whole queue behind, encodes here rather than lose the alert.
    fn send(&self, alert: DetectionAlert, frame: &Frame, masks: Vec<Vec<[f32; 2]>>) {
        match self.alerts.try_send((alert, frame.clone(), masks)) {
            Ok(()) | Err(TrySendError::Disconnected(_)) => {}
            Err(TrySendError::Full((alert, frame, masks))) => {
                let mut stats = lock(&self.shared.stats);
                let alert = with_snapshot(alert, &frame, &masks, self.evidence_dir.as_deref());
                deliver(alert, &self.final_alerts, &mut stats);
            }
        }
    }
}

/// An alert, its frame, and its camera's privacy masks (filled in the
/// evidence pictures).
type Evidence = (DetectionAlert, Frame, Vec<Vec<[f32; 2]>>);

/// Encodes each alert's snapshot and delivers it, until the detector ends.
fn evidence_loop(
    queue: &Receiver<Evidence>,
    alerts: &SyncSender<DetectionAlert>,
    shared: &Shared,
    dir: Option<&std::path::Path>,
) {
    while let Ok((alert, frame, masks)) = queue.recv() {
        let alert = with_snapshot(alert, &frame, &masks, dir);
        deliver(alert, alerts, &mut lock(&shared.stats));
    }
}

/// The alert with its JPEG snapshot (written below `dir` when given), its
/// latency now counting the encoding.
fn with_snapshot(
    mut alert: DetectionAlert,
    frame: &Frame,
    masks: &[Vec<[f32; 2]>],
    dir: Option<&std::path::Path>,
) -> DetectionAlert {
    let image = PlanarImage::of(frame);
    alert.thumbnail = image
        .as_ref()
        .map(|image| thumbnail_with_boxes(image, &alert.boxes, masks, THUMBNAIL_WIDTH));
    alert.snapshot_jpeg = match image.map(|image| jpeg_with_boxes(&image, &alert.boxes, masks)) {
        Some(Ok(jpeg)) => jpeg,
        Some(Err(e)) => {
            tracing::warn!(camera = %alert.camera, "snapshot: {e}");
            Vec::new()
        }
        None => {
            tracing::warn!(camera = %alert.camera, "snapshot: frame planes not readable");
            Vec::new()
        }
    };
    if let Some(dir) = dir.filter(|_| !alert.snapshot_jpeg.is_empty()) {
        let relative = format!("evidence/{}.jpg", alert.id);
        let path = dir.join(&relative);
        let written = std::fs::create_dir_all(dir.join("evidence"))
            .and_then(|()| std::fs::write(&path, &alert.snapshot_jpeg));
        match written {
            Ok(()) => alert.snapshot_file = Some(relative),
            Err(e) => tracing::error!(file = %path.display(), "evidence snapshot not written: {e}"),
        }
    }
    alert.latency = frame.arrived().elapsed();
    alert
}

/// Puts a finished alert where the console drains it, counting it.
fn deliver(alert: DetectionAlert, alerts: &SyncSender<DetectionAlert>, stats: &mut ServiceStats) {
    let latency_ms = alert.latency.as_secs_f64() * 1e3;
    let dropped = match alerts.try_send(alert) {
        Ok(()) => false,
        Err(TrySendError::Full(a)) => {
            tracing::warn!(camera = %a.camera, rule = %a.rule, "alert queue full: alert dropped");
            true
        }
        Err(TrySendError::Disconnected(_)) => true,
    };
    stats.alerts += 1;
    push_sample(&mut stats.alert_latency_ms, latency_ms);
    if dropped {
        stats.alerts_dropped += 1;
    }
}

/// The zones and lines of a rule set, for drawing.
fn overlay_of(rules: &super::rules::RuleSet) -> Overlay {
    Overlay {
        zones: rules
            .zones()
            .iter()
            .map(|z| (z.id.clone(), z.polygon.clone()))
            .collect(),
        lines: rules
            .lines()
            .iter()
            .map(|l| (l.id.clone(), l.a, l.b))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::rules::Zone;
    use crate::detect::tracker::Track;
    use crate::detect::types::Detection;

    fn track(id: u64, class: u32, foot: [f32; 2], velocity: [f32; 2], confirmed: bool) -> Track {
        let bbox = BBox {
            x0: foot[0] - 0.05,
            y0: foot[1] - 0.1,
            x1: foot[0] + 0.05,
            y1: foot[1],
        };
        let mut t = Track::new(
            id,
            &Detection {
                bbox,
                class,
                score: 0.9,
            },
            0.0,
        );
        t.velocity = velocity;
        t.confirmed = confirmed;
        t
    }

    #[test]
    fn occupancy_counts_people_vehicles_and_the_standing_queue_per_zone() {
        let names = ["person", "car", "truck", "dog"];
        let zones = [
            Zone {
                id: "lane-1".into(),
                polygon: vec![[0.0, 0.5], [0.5, 0.5], [0.5, 1.0], [0.0, 1.0]],
            },
            Zone {
                id: "lane-2".into(),
                polygon: vec![[0.5, 0.5], [1.0, 0.5], [1.0, 1.0], [0.5, 1.0]],
            },
        ];
        let tracks = [
            track(1, 1, [0.2, 0.8], [0.0, 0.001], true), // standing car, lane 1
            track(2, 2, [0.3, 0.9], [0.0, 0.2], true),   // moving truck, lane 1
            track(3, 0, [0.25, 0.7], [0.0, 0.0], true),  // person, lane 1
            track(4, 1, [0.7, 0.8], [0.0, 0.0], false),  // unconfirmed: ignored
            track(5, 3, [0.7, 0.8], [0.0, 0.0], true),   // not a vehicle nor a person
            track(6, 1, [0.7, 0.3], [0.0, 0.0], true),   // above both zones
            track(7, 1, [0.8, 0.9], [0.0, 0.0], true),   // standing car, lane 2
        ];
        let got = occupancy(&zones, &tracks, |c| names[c as usize]);
        assert_eq!(
            got,
            vec![
                ZoneOccupancy {
                    zone: "lane-1".into(),
                    people: 1,
                    vehicles: 2,
                    stopped_vehicles: 1,
                },
                ZoneOccupancy {
                    zone: "lane-2".into(),
                    people: 0,
                    vehicles: 1,
                    stopped_vehicles: 1,
                },
            ]
        );
    }
}
