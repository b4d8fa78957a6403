//! The recorder's own thread and its segment writer: encoded samples from
//! the camera's tee arrive over a bounded channel and are pushed into a
//! separate `appsrc ! splitmuxsink(matroskamux)` pipeline. Because the
//! writer is apart from the camera's pipeline:
//! - a change of picture size, profile or codec closes the segment in
//!   progress cleanly (EOS: cues and duration written) and opens the next
//!   with the new caps at the next keyframe; Matroska refuses caps changes
//!   inside one file, which once failed the whole camera;
//! - a write error (disk full, folder gone) stops recording, not live video:
//!   the state says why, retention makes room where it can, and a new
//!   segment is tried every few seconds until writing works again;
//! - the camera's pipeline ending (a disconnect) closes the segment too.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use gstreamer as gst;

use crate::gst_error::{GstError, make};
use gstreamer::prelude::*;
use gstreamer_app as gst_app;

use super::{RecordOptions, RecordingHealth, SEGMENT_EXT, apply_retention, unix_ms};

/// What the camera side sends to the recorder thread.
pub(super) enum ToWriter {
    /// One encoded access unit, with its caps and segment, from run `run`
    /// of the camera's pipeline (a new run closes the segment).
    Sample(gst::Sample, u64),
    /// The camera's pipeline ended: close the segment.
    EndOfRun,
}

/// How long after a write error a new segment is tried.
const RETRY_AFTER: Duration = Duration::from_secs(2);

/// How long a segment may take to finish (EOS through the muxer).
const FINISH_TIMEOUT: Duration = Duration::from_secs(5);

/// The thread's state.
pub(super) struct WriterThread {
    pub(super) camera_dir: PathBuf,
    pub(super) options: RecordOptions,
    pub(super) health: Arc<Mutex<RecordingHealth>>,
    pub(super) retention_lock: Arc<Mutex<()>>,
    writer: Option<Segments>,
    retry_at: Option<Instant>,
    /// A segment was abandoned after a write error: repair it before the
    /// next one opens.
    needs_repair: bool,
    /// The camera pipeline run the open segment's samples came from.
    run: Option<u64>,
}

impl WriterThread {
    pub(super) fn new(
        camera_dir: PathBuf,
        options: RecordOptions,
        health: Arc<Mutex<RecordingHealth>>,
        retention_lock: Arc<Mutex<()>>,
    ) -> Self {
        Self {
            camera_dir,
            options,
            health,
            retention_lock,
            writer: None,
            retry_at: None,
            needs_repair: false,
            run: None,
        }
    }

    pub(super) fn run(mut self, rx: &Receiver<ToWriter>) {
        super::repair::repair_interrupted(&self.camera_dir);
        loop {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(ToWriter::Sample(sample, run)) => {
                    if self.run.is_some_and(|r| r != run) {
                        self.close("the stream restarted");
                    }
                    self.run = Some(run);
                    self.on_sample(&sample);
                }
                Ok(ToWriter::EndOfRun) => self.close("the stream ended"),
                Err(RecvTimeoutError::Timeout) => self.poll(),
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.close("the camera stopped");
    }

    fn set(&self, change: impl FnOnce(&mut RecordingHealth)) {
        change(&mut self.health.lock().unwrap_or_else(PoisonError::into_inner));
    }

    fn retention(&self) {
        let _one = self
            .retention_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        apply_retention(&self.camera_dir, &self.options);
    }

    /// Reads the writer's bus: closed fragments and errors.
    fn poll(&mut self) {
        let Some(w) = &self.writer else { return };
        let mut closed = 0;
        let mut error = None;
        while let Some(msg) = w.bus.pop() {
            match msg.view() {
                gst::MessageView::Error(e) => {
                    error = Some(format!("{}{}", e.error(), debug_of(e.debug())));
                    break;
                }
                gst::MessageView::Element(e)
                    if e.structure()
                        .is_some_and(|s| s.name() == "splitmuxsink-fragment-closed") =>
                {
                    closed += 1;
                }
                _ => {}
            }
        }
        if closed > 0 {
            self.set(|h| h.segments += closed);
            self.retention();
        }
        if let Some(why) = error {
            self.fail(&why);
        }
    }

    fn on_sample(&mut self, sample: &gst::Sample) {
        self.poll();
        let caps = sample.caps().map(ToOwned::to_owned);
        if let Some(w) = &self.writer
            && caps.as_ref() != Some(&w.caps)
        {
            tracing::info!(dir = %self.camera_dir.display(), caps = ?caps, "the stream changed: closing the segment, the next starts with the new caps");
            self.close("the stream changed");
        }
        if self.writer.is_none() {
            let keyframe = sample
                .buffer()
                .is_some_and(|b| !b.flags().contains(gst::BufferFlags::DELTA_UNIT));
            let waiting = self.retry_at.is_some_and(|t| Instant::now() < t);
            if !keyframe || waiting || caps.is_none() {
                self.set(|h| h.skipped += 1);
                return;
            }
            if self.needs_repair {
                self.needs_repair = false;
                super::repair::repair_interrupted(&self.camera_dir);
            }
            match Segments::open(
                &self.camera_dir,
                &self.options,
                caps.clone().unwrap_or_else(gst::Caps::new_empty),
            ) {
                Ok(w) => self.writer = Some(w),
                Err(e) => {
                    self.fail(&e.to_string());
                    return;
                }
            }
        }
        let Some(w) = &self.writer else { return };
        match w.src.push_sample(sample) {
            Ok(_) => {
                let resumed = self.retry_at.take().is_some();
                self.set(|h| {
                    if resumed || h.stopped.is_some() {
                        tracing::info!("recording resumed");
                    }
                    h.stopped = None;
                    h.frames += 1;
                });
            }
            Err(flow) => {
                // The writer failed; its bus says why.
                self.poll();
                if self.writer.is_some() {
                    self.fail(&format!("the segment writer refused a frame ({flow:?})"));
                }
            }
        }
    }

    /// Stops writing after an error: the state says why, retention makes
    /// room where it can, and a new segment is tried after a pause.
    fn fail(&mut self, why: &str) {
        let reason = format!("recording stopped: {why}");
        let first = self
            .health
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stopped
            .as_deref()
            != Some(reason.as_str());
        if first {
            tracing::error!(dir = %self.camera_dir.display(), "{reason}; live video goes on, writing is retried every {} s", RETRY_AFTER.as_secs());
        }
        if let Some(w) = self.writer.take() {
            w.abandon();
            self.needs_repair = true;
        }
        self.set(|h| {
            h.stopped = Some(reason);
            h.failures += 1;
        });
        self.retention();
        self.retry_at = Some(Instant::now() + RETRY_AFTER);
    }

    /// Closes the segment in progress cleanly (EOS), if there is one.
    fn close(&mut self, why: &str) {
        self.poll();
        if let Some(w) = self.writer.take() {
            tracing::debug!(dir = %self.camera_dir.display(), "segment closed: {why}");
            match w.finish() {
                Ok(()) => self.set(|h| h.segments += 1),
                Err(e) => self.fail(&e.to_string()),
            }
            self.retention();
        }
    }
}

fn debug_of(debug: Option<gst::glib::GString>) -> String {
    debug.map(|d| format!(" ({d})")).unwrap_or_default()
}

/// One writer pipeline: `appsrc ! splitmuxsink(matroskamux)`, for one run of
/// one set of caps; it splits into segments by time at keyframes.
struct Segments {
    pipeline: gst::Pipeline,
    src: gst_app::AppSrc,
    bus: gst::Bus,
    caps: gst::Caps,
    /// The file being written now (named by `format-location-full`).
    current: Arc<Mutex<Option<PathBuf>>>,
}

impl Segments {
    fn open(dir: &Path, options: &RecordOptions, caps: gst::Caps) -> Result<Self, GstError> {
        let pipeline = gst::Pipeline::with_name("recorder");
        let src = gst_app::AppSrc::builder()
            .caps(&caps)
            .format(gst::Format::Time)
            .is_live(true)
            .handle_segment_change(true)
            .max_bytes(64 << 20)
            .block(false)
            .build();
        let muxer = make("matroskamux")?;
        // Unbuffered: every muxer write reaches the kernel at once, so a
        // `kill -9` loses no more than the frame being written (filesink's
        // default 64 KiB buffer held seconds of a low-rate stream).
        let file = make("filesink")?;
        file.set_property_from_str("buffer-mode", "unbuffered");
        let split = make("splitmuxsink")?;
        split.set_property("muxer", &muxer);
        split.set_property("sink", &file);
        split.set_property(
            "max-size-time",
            u64::try_from(options.segment.as_nanos()).unwrap_or(u64::MAX),
        );
        let current = Arc::new(Mutex::new(None));
        name_segments(&split, dir.to_path_buf(), Arc::clone(&current));
        pipeline
            .add_many([src.upcast_ref(), &split])
            .map_err(GstError::graph("adding the segment writer"))?;
        src.link(&split)
            .map_err(GstError::graph("linking the segment writer"))?;
        let bus = pipeline.bus().ok_or(GstError::NoBus)?;
        if let Err(source) = pipeline.set_state(gst::State::Playing) {
            let _ = pipeline.set_state(gst::State::Null);
            return Err(GstError::State {
                what: "starting the segment writer",
                source,
            });
        }
        Ok(Self {
            pipeline,
            src,
            bus,
            caps,
            current,
        })
    }

    /// EOS through the muxer (the file gets its cues and duration), then
    /// the pipeline to Null.
    fn finish(self) -> Result<(), GstError> {
        let _ = self.src.end_of_stream();
        let result = match self.bus.timed_pop_filtered(
            gst::ClockTime::from_nseconds(FINISH_TIMEOUT.as_nanos() as u64),
            &[gst::MessageType::Eos, gst::MessageType::Error],
        ) {
            Some(msg) => match msg.view() {
                gst::MessageView::Error(e) => Err(GstError::posted(e)),
                _ => Ok(()),
            },
            None => Err(GstError::Timeout {
                what: "the segment",
                secs: FINISH_TIMEOUT.as_secs(),
            }),
        };
        let _ = self.pipeline.set_state(gst::State::Null);
        remove_if_empty(
            self.current
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .as_deref(),
        );
        result
    }

    /// After an error: to Null at once; a file left without content goes.
    fn abandon(self) {
        let _ = self.pipeline.set_state(gst::State::Null);
        remove_if_empty(
            self.current
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .as_deref(),
        );
    }
}

/// A segment file with no bytes (its first write failed) is no recording.
fn remove_if_empty(path: Option<&Path>) {
    if let Some(path) = path
        && std::fs::metadata(path).is_ok_and(|m| m.len() == 0)
    {
        let _ = std::fs::remove_file(path);
    }
}

/// Names each fragment by the wall-clock instant of its first frame, in
/// Unix ms. The first fragment of a writer is dated as its first frame
/// arrives and anchors running time there; later fragments (named a GOP
/// late by splitmuxsink) are dated from their first frame's running time
/// against that anchor. Names only ever increase, so none overwrites
/// another.
fn name_segments(split: &gst::Element, dir: PathBuf, current: Arc<Mutex<Option<PathBuf>>>) {
    let state: Mutex<(Option<(gst::ClockTime, SystemTime)>, u128)> = Mutex::new((None, 0));
    split.connect("format-location-full", false, move |args| {
        let now = SystemTime::now();
        let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
        let (anchor, last_name) = &mut *state;
        let start = match (first_sample_running_time(args), *anchor) {
            (Some(rt), Some((anchor_rt, anchor_wall))) if rt >= anchor_rt => {
                anchor_wall + Duration::from_nanos((rt - anchor_rt).nseconds())
            }
            (Some(rt), _) => {
                *anchor = Some((rt, now));
                now
            }
            (None, _) => now,
        };
        // Never before a segment already in the folder (a writer restarted
        // within the same millisecond, or a clock step back).
        let newest = super::list_segments(&dir)
            .ok()
            .and_then(|s| s.last().map(|s| unix_ms(s.start)))
            .unwrap_or(0);
        let name = unix_ms(start).max(*last_name + 1).max(newest + 1);
        *last_name = name;
        let path = dir.join(format!("{name}.{SEGMENT_EXT}"));
        *current.lock().unwrap_or_else(PoisonError::into_inner) = Some(path.clone());
        Some(path.to_string_lossy().into_owned().to_value())
    });
}

/// The running time of a new fragment's first frame, from
/// `format-location-full`'s (element, id, sample) arguments.
fn first_sample_running_time(args: &[gst::glib::Value]) -> Option<gst::ClockTime> {
    let sample = args.get(2)?.get::<gst::Sample>().ok()?;
    let pts = sample.buffer()?.pts()?;
    let segment = sample.segment()?.downcast_ref::<gst::ClockTime>()?;
    segment.to_running_time(pts)
}
