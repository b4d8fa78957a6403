//! Live camera ingest: one supervised GStreamer pipeline per camera, frames
//! into "latest frame wins" mailboxes, counters and a connection state, and
//! reconnects with backoff. Nothing here ever blocks a caller on GStreamer:
//! state changes and bus handling happen on the camera's own thread.

pub mod frame;
pub mod graph;
pub mod probe;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use gstreamer as gst;
use gstreamer::prelude::*;

pub use frame::{Frame, PixelFormat};
pub use graph::{Codec, GraphOptions};

use crate::MediaError;
use crate::camera::{Camera, CameraId, Source};
use crate::health::{Backoff, CameraState};
use crate::mailbox::{Mailbox, Notify};
use crate::record::Recorder;
use crate::stats::{CameraStatus, StatusCell};

/// How a camera is ingested.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Decoded output size and stream choice.
    pub graph: GraphOptions,
    /// No frame for this long while live → stalled.
    pub stall_after: Duration,
    /// Stalled (or connecting without a frame) this long → reconnect.
    pub give_up_after: Duration,
    /// First reconnect delay; doubles up to `backoff_max`.
    pub backoff_first: Duration,
    /// Longest reconnect delay.
    pub backoff_max: Duration,
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            graph: GraphOptions {
                width: 640,
                height: 360,
                late_threshold: Duration::from_millis(250),
                prefer_sub_stream: true,
            },
            stall_after: Duration::from_secs(2),
            give_up_after: Duration::from_secs(8),
            backoff_first: Duration::from_millis(500),
            backoff_max: Duration::from_secs(10),
        }
    }
}

/// One camera being ingested. Dropping it stops the pipeline and joins its thread.
pub struct CameraIngest {
    camera: Camera,
    record: Option<Arc<Recorder>>,
    display: Arc<Mailbox<Frame>>,
    extra: Vec<Arc<Mailbox<Frame>>>,
    status: Arc<StatusCell>,
    stop: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl CameraIngest {
    /// Starts ingesting `camera`. `consumers` extra mailboxes (e.g. detection)
    /// get every frame too; `notify` runs after each display frame.
    pub fn start(
        camera: Camera,
        options: IngestOptions,
        consumers: usize,
        notify: Option<Notify>,
        record: Option<Arc<Recorder>>,
    ) -> Result<Self, MediaError> {
        gst::init().map_err(MediaError::GstInit)?;
        let display = Arc::new(Mailbox::new(notify));
        let extra: Vec<_> = (0..consumers)
            .map(|_| Arc::new(Mailbox::new(None)))
            .collect();
        let status = Arc::new(StatusCell::new());
        let (stop_tx, stop_rx) = mpsc::sync_channel(1);
        let supervisor = Supervisor {
            camera: camera.clone(),
            options,
            sinks: Arc::new(graph::Sinks {
                mailboxes: std::iter::once(Arc::clone(&display))
                    .chain(extra.iter().cloned())
                    .collect(),
                status: Arc::clone(&status),
                seq: std::sync::atomic::AtomicU64::new(0),
            }),
            record: record.clone(),
            stop: stop_rx,
        };
        let name = format!("cam-{}", camera.id);
        let thread = std::thread::Builder::new()
            .name(name.clone())
            .spawn(move || supervisor.run())
            .map_err(MediaError::thread(&name))?;
        Ok(Self {
            camera,
            record,
            display,
            extra,
            status,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// The camera.
    pub fn camera(&self) -> &Camera {
        &self.camera
    }

    /// Its id.
    pub fn id(&self) -> &CameraId {
        &self.camera.id
    }

    /// The newest frame for display since the last call, if any.
    pub fn latest(&self) -> Option<Frame> {
        let frame = self.display.take();
        self.status
            .counters
            .dropped
            .store(self.display.overwritten_count(), Ordering::Relaxed);
        frame
    }

    /// Extra consumer `index`'s mailbox (e.g. detection).
    pub fn consumer(&self, index: usize) -> Option<&Arc<Mailbox<Frame>>> {
        self.extra.get(index)
    }

    /// Whether its recording is being written (`None`: not recorded).
    pub fn recording(&self) -> Option<crate::record::RecordingHealth> {
        self.record.as_deref().map(Recorder::health)
    }

    /// State, counters and rates now.
    pub fn status(&self) -> CameraStatus {
        self.status
            .counters
            .dropped
            .store(self.display.overwritten_count(), Ordering::Relaxed);
        self.status.snapshot()
    }
}

impl Drop for CameraIngest {
    fn drop(&mut self) {
        // Dropping the sender wakes the supervisor wherever it waits.
        self.stop.take();
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!(camera = %self.camera.id, "camera supervisor panicked");
        }
    }
}

/// Owns the pipeline and runs the state machine on the camera's thread.
struct Supervisor {
    camera: Camera,
    options: IngestOptions,
    sinks: Arc<graph::Sinks>,
    record: Option<Arc<Recorder>>,
    stop: Receiver<()>,
}

/// Why one run of the pipeline ended.
enum RunEnd {
    Stopped,
    Failed(RunFailure),
}

/// Why a run failed: what GStreamer said, or what the supervisor saw.
#[derive(Debug, thiserror::Error)]
enum RunFailure {
    /// Building or running the pipeline failed.
    #[error(transparent)]
    Pipeline(#[from] crate::gst_error::GstError),
    /// The source's stream ended.
    #[error("the stream ended")]
    Ended,
    /// No picture arrived in time after connecting.
    #[error("no video within {0} s")]
    NeverLive(u64),
    /// Pictures stopped for too long.
    #[error("no video for {0} s")]
    Stalled(u64),
}

/// How often the supervisor looks at the bus and the clock.
const TICK: Duration = Duration::from_millis(100);

impl Supervisor {
    fn run(self) {
        let mut backoff = Backoff::new(self.options.backoff_first, self.options.backoff_max);
        let status = Arc::clone(&self.sinks.status);
        loop {
            status.set_state(CameraState::Connecting, None);
            match self.run_once(&mut backoff) {
                RunEnd::Stopped => break,
                RunEnd::Failed(reason) => {
                    // Text only here, where it is shown: credentials in a
                    // URL never reach the status or the log.
                    let text = crate::camera::redact_url(&format!(
                        "camera {} ({}): {reason}",
                        self.camera.id,
                        self.camera.source.display()
                    ));
                    tracing::warn!("{text}");
                    status.set_state(CameraState::Offline, Some(text));
                }
            }
            if !self.back_off(backoff.next_delay()) {
                break;
            }
            status.counters.reconnects.fetch_add(1, Ordering::Relaxed);
        }
        status.set_state(CameraState::Offline, None);
    }

    /// Waits `delay` before the next reconnect, probing the source cheaply
    /// meanwhile: if it was unreachable and answers now, the wait ends at
    /// once. `false` when the camera is being stopped.
    fn back_off(&self, delay: Duration) -> bool {
        let deadline = Instant::now() + delay;
        let probe = probe::Probe::of(&self.camera.source);
        let was_down = probe.as_ref().is_some_and(|p| !p.reachable());
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            match self.stop.recv_timeout(left.min(probe::PROBE_EVERY)) {
                Err(RecvTimeoutError::Timeout) => {}
                Ok(()) | Err(RecvTimeoutError::Disconnected) => return false,
            }
            if was_down && probe.as_ref().is_some_and(probe::Probe::reachable) {
                tracing::info!(camera = %self.camera.id, "camera reachable again: reconnecting now");
                return true;
            }
        }
    }

    fn run_once(&self, backoff: &mut Backoff) -> RunEnd {
        let pipeline = match graph::build(
            &self.camera,
            &self.options.graph,
            &self.sinks,
            self.record.clone(),
        ) {
            Ok(p) => p,
            Err(e) => return RunEnd::Failed(e.into()),
        };
        let end = self.watch(&pipeline, backoff);
        // Always back to Null before dropping: releases sockets, files, threads.
        let _ = pipeline.set_state(gst::State::Null);
        if let Some(recorder) = &self.record {
            recorder.end_of_run();
        }
        end
    }

    fn watch(&self, pipeline: &gst::Pipeline, backoff: &mut Backoff) -> RunEnd {
        if let Err(source) = pipeline.set_state(gst::State::Playing) {
            return RunEnd::Failed(
                first_error(pipeline)
                    .unwrap_or(crate::gst_error::GstError::State {
                        what: "starting the pipeline",
                        source,
                    })
                    .into(),
            );
        }
        let Some(bus) = pipeline.bus() else {
            return RunEnd::Failed(crate::gst_error::GstError::NoBus.into());
        };
        let status = &self.sinks.status;
        let started = Instant::now();
        let mut state = CameraState::Connecting;
        let mut state_since = Instant::now();
        let looped = matches!(self.camera.source, Source::File { .. });
        loop {
            match self.stop.try_recv() {
                Ok(()) | Err(mpsc::TryRecvError::Disconnected) => return RunEnd::Stopped,
                Err(mpsc::TryRecvError::Empty) => {}
            }
            while let Some(msg) =
                bus.timed_pop(gst::ClockTime::from_mseconds(TICK.as_millis() as u64))
            {
                match msg.view() {
                    gst::MessageView::Error(e) => {
                        return RunEnd::Failed(crate::gst_error::GstError::posted(e).into());
                    }
                    gst::MessageView::Eos(_)
                        if looped
                            && pipeline
                                .seek_simple(
                                    gst::SeekFlags::FLUSH | gst::SeekFlags::KEY_UNIT,
                                    gst::ClockTime::ZERO,
                                )
                                .is_ok() => {}
                    gst::MessageView::Eos(_) => return RunEnd::Failed(RunFailure::Ended),
                    _ => {}
                }
                if !bus.have_pending() {
                    break;
                }
            }
            status.update_rates();
            let since_frame = status.newest_frame_age();
            let fresh = since_frame.is_some_and(|age| age < self.options.stall_after)
                && u128::from(status.newest_frame_ns.load(Ordering::Relaxed))
                    >= started.duration_since(status.epoch).as_nanos();
            let next = match (state, fresh) {
                (CameraState::Connecting | CameraState::Stalled, true) => CameraState::Live,
                (CameraState::Live, false) => CameraState::Stalled,
                (s, _) => s,
            };
            if next != state {
                tracing::info!(camera = %self.camera.id, from = state.as_str(), to = next.as_str(), "camera state");
                if next == CameraState::Live {
                    backoff.reset();
                }
                state = next;
                state_since = Instant::now();
                status.set_state(state, None);
            }
            if state != CameraState::Live && state_since.elapsed() > self.options.give_up_after {
                let secs = self.options.give_up_after.as_secs();
                return RunEnd::Failed(match state {
                    CameraState::Connecting => RunFailure::NeverLive(secs),
                    _ => RunFailure::Stalled(secs),
                });
            }
        }
    }
}

/// The first error already waiting on the bus, if any (for failed state changes).
fn first_error(pipeline: &gst::Pipeline) -> Option<crate::gst_error::GstError> {
    let bus = pipeline.bus()?;
    let msg = bus.timed_pop_filtered(
        gst::ClockTime::from_mseconds(200),
        &[gst::MessageType::Error],
    )?;
    match msg.view() {
        gst::MessageView::Error(e) => Some(crate::gst_error::GstError::posted(e)),
        _ => None,
    }
}
