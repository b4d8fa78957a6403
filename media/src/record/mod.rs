//! Recording without re-encoding: a branch off the camera's tee, before the
//! decoder, hands encoded samples to the recorder's own thread, which writes
//! Matroska segments (`appsrc ! splitmuxsink` + `matroskamux`, see
//! [`writer`]). Each closed segment is finalised (cues, duration); a change
//! of caps mid-stream closes one segment and opens the next; a write error
//! stops recording, never live video, and writing resumes by itself. After
//! a `kill -9` the open segment loses only its unwritten tail and its index,
//! and is repaired at the next start ([`repair`]).
//!
//! Not MPEG-TS: GStreamer 1.22's `mpegtsmux` rewrites the H.264 buffers it is
//! given in place, and the tee shares them with the decoder — the live picture
//! was damaged (measured; Matroska leaves them alone).
//!
//! Each segment is named by the wall-clock instant its first frame reached the
//! recorder, in Unix milliseconds (`<dir>/<camera>/<start_ms>.mkv`): the file
//! names are the time index, and nothing else needs to survive a crash.

pub mod repair;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;

use crate::camera::CameraId;
use crate::error::FileError;
use crate::gst_error::{GstError, SegmentError};
use writer::{ToWriter, WriterThread};

/// Encoded samples waiting for the recorder thread at most (about 20 s of a
/// 15 fps camera); more are dropped and counted, never waited for.
const QUEUE: usize = 300;

/// How and where a camera is recorded.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// Root folder; each camera gets a sub-folder named by its id.
    pub dir: PathBuf,
    /// Target segment length (segments split at the next keyframe after it).
    pub segment: Duration,
    /// Delete segments that started longer ago than this.
    pub max_age: Option<Duration>,
    /// Delete the oldest segments while the camera's folder is larger.
    pub max_bytes: Option<u64>,
}

/// Whether a camera's recording is being written, and counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordingHealth {
    /// Why recording is stopped now (`None`: it is writing, or waiting for
    /// the stream).
    pub stopped: Option<String>,
    /// Frames written.
    pub frames: u64,
    /// Segments closed.
    pub segments: u64,
    /// Frames not written while waiting for a keyframe or a retry.
    pub skipped: u64,
    /// Frames dropped because the recorder thread was behind.
    pub dropped: u64,
    /// Write failures so far.
    pub failures: u64,
}

/// One camera's recorder: its thread writes segments and applies retention;
/// [`Recorder::attach`] adds the branch that feeds it to a camera pipeline.
/// Dropping it closes the segment in progress and joins the thread.
#[derive(Debug)]
pub struct Recorder {
    camera_dir: PathBuf,
    options: RecordOptions,
    retention_lock: Arc<Mutex<()>>,
    health: Arc<Mutex<RecordingHealth>>,
    tx: Mutex<Option<SyncSender<ToWriter>>>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Which run of the camera's pipeline is feeding it (bumped at each end).
    run: std::sync::atomic::AtomicU64,
}

/// Why a camera's recorder could not start.
#[derive(Debug, thiserror::Error)]
pub enum RecorderError {
    /// GStreamer would not start.
    #[error("GStreamer could not initialise: {0}")]
    Init(#[source] gstreamer::glib::Error),
    /// The camera's recording folder cannot be made.
    #[error("recording folder {}: {source}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The recorder's thread would not start.
    #[error("recorder thread for camera `{camera}`: {source}")]
    Thread {
        /// The camera.
        camera: CameraId,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl Recorder {
    /// A recorder for `camera` (creates its folder and starts its thread,
    /// which first repairs segments a crash left unfinished).
    pub fn new(camera: &CameraId, options: RecordOptions) -> Result<Self, RecorderError> {
        gst::init().map_err(RecorderError::Init)?;
        let camera_dir = options.dir.join(camera.as_str());
        std::fs::create_dir_all(&camera_dir).map_err(|source| RecorderError::Folder {
            path: camera_dir.clone(),
            source,
        })?;
        let health = Arc::new(Mutex::new(RecordingHealth::default()));
        let retention_lock = Arc::new(Mutex::new(()));
        let (tx, rx) = std::sync::mpsc::sync_channel(QUEUE);
        let thread = WriterThread::new(
            camera_dir.clone(),
            options.clone(),
            Arc::clone(&health),
            Arc::clone(&retention_lock),
        );
        let handle = std::thread::Builder::new()
            .name(format!("record-{camera}"))
            .spawn(move || thread.run(&rx))
            .map_err(|source| RecorderError::Thread {
                camera: camera.clone(),
                source,
            })?;
        Ok(Self {
            camera_dir,
            options,
            retention_lock,
            health,
            tx: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(handle)),
            run: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// The camera's segment folder.
    pub fn dir(&self) -> &Path {
        &self.camera_dir
    }

    /// Whether recording is being written, and why not.
    pub fn health(&self) -> RecordingHealth {
        self.health
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Adds `queue ! appsink` to `tee`'s free request pad: every encoded
    /// sample goes to the recorder thread (never blocking the camera).
    pub fn attach(
        &self,
        pipeline: &gst::Pipeline,
        tee: &gst::Element,
    ) -> Result<(), crate::gst_error::GstError> {
        use crate::gst_error::GstError;
        let queue = crate::gst_error::make("queue")?;
        queue.set_property("max-size-buffers", 0_u32);
        queue.set_property("max-size-bytes", 0_u32);
        queue.set_property("max-size-time", 5_000_000_000_u64);
        let tx = self
            .tx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or(GstError::RecorderStopping)?;
        let health = Arc::clone(&self.health);
        let run = self.run.load(std::sync::atomic::Ordering::SeqCst);
        let sink = gst_app::AppSink::builder()
            .sync(false)
            .async_(false)
            .callbacks(
                gst_app::AppSinkCallbacks::builder()
                    .new_sample(move |sink| {
                        let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                        if let Err(TrySendError::Full(_)) =
                            tx.try_send(ToWriter::Sample(sample, run))
                        {
                            health
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .dropped += 1;
                        }
                        Ok(gst::FlowSuccess::Ok)
                    })
                    .build(),
            )
            .build();
        pipeline
            .add_many([&queue, sink.upcast_ref()])
            .map_err(GstError::graph("adding the recording branch"))?;
        gst::Element::link_many([tee, &queue, sink.upcast_ref()])
            .map_err(GstError::graph("linking the recording branch"))?;
        for element in [&queue, sink.upcast_ref()] {
            element
                .sync_state_with_parent()
                .map_err(GstError::graph("starting the recording branch"))?;
        }
        Ok(())
    }

    /// The camera's pipeline ended (a disconnect, a restart): the segment
    /// in progress is closed cleanly; the next run opens a new one (its
    /// samples carry the next run number, so even a lost end closes it).
    pub fn end_of_run(&self) {
        self.run.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Some(tx) = &*self.tx.lock().unwrap_or_else(PoisonError::into_inner) {
            let _ = tx.try_send(ToWriter::EndOfRun);
        }
    }

    /// Deletes segments past the age or size limits, never the newest one
    /// (it may still be open). The recorder thread calls it after each
    /// segment and after a write error.
    pub fn apply_retention(&self) {
        let _guard = self
            .retention_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        apply_retention(&self.camera_dir, &self.options);
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.tx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(thread) = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            let _ = thread.join();
        }
    }
}

/// Deletes segments of `camera_dir` past `options`' age or size limits,
/// never the newest one.
fn apply_retention(camera_dir: &Path, options: &RecordOptions) {
    let segments = match list_segments(camera_dir) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!("retention: {e}");
            return;
        }
    };
    let Some((_newest, closed)) = segments.split_last() else {
        return;
    };
    let now = SystemTime::now();
    let mut total: u64 = segments.iter().map(|s| s.bytes).sum();
    for segment in closed {
        let too_old = options
            .max_age
            .is_some_and(|age| now.duration_since(segment.start).unwrap_or_default() > age);
        let too_big = options.max_bytes.is_some_and(|max| total > max);
        if !(too_old || too_big) {
            continue;
        }
        match std::fs::remove_file(&segment.path) {
            Ok(()) => {
                total = total.saturating_sub(segment.bytes);
                tracing::debug!(file = %segment.path.display(), too_old, too_big, "segment deleted");
            }
            Err(e) => {
                tracing::warn!(file = %segment.path.display(), "retention could not delete: {e}");
            }
        }
    }
}

/// One recorded segment file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The file.
    pub path: PathBuf,
    /// Wall-clock time of its first frame.
    pub start: SystemTime,
    /// File size.
    pub bytes: u64,
}

/// File extension of segments.
pub const SEGMENT_EXT: &str = "mkv";

/// The camera folder's segments, oldest first. Files that are not
/// `<unix_ms>.mkv` are ignored.
pub fn list_segments(camera_dir: &Path) -> Result<Vec<Segment>, FileError> {
    let entries = std::fs::read_dir(camera_dir).map_err(FileError::at(camera_dir))?;
    let mut segments: Vec<Segment> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let path = entry.path();
            let ms: u64 = path
                .file_name()?
                .to_str()?
                .strip_suffix(".mkv")?
                .parse()
                .ok()?;
            let bytes = entry.metadata().ok()?.len();
            Some(Segment {
                start: UNIX_EPOCH + Duration::from_millis(ms),
                path,
                bytes,
            })
        })
        .collect();
    segments.sort_by_key(|s| s.start);
    Ok(segments)
}

/// The segment holding instant `at`, and how far into it `at` is. The last
/// segment is taken to run until its file was last written.
pub fn locate(camera_dir: &Path, at: SystemTime) -> Result<Option<(Segment, Duration)>, FileError> {
    let segments = list_segments(camera_dir)?;
    for (i, segment) in segments.iter().enumerate() {
        let end = match segments.get(i + 1) {
            Some(next) => next.start,
            None => std::fs::metadata(&segment.path)
                .and_then(|m| m.modified())
                .map_err(FileError::at(&segment.path))?,
        };
        if segment.start <= at && at < end {
            let offset = at.duration_since(segment.start).unwrap_or_default();
            return Ok(Some((segment.clone(), offset)));
        }
    }
    Ok(None)
}

fn unix_ms(t: SystemTime) -> u128 {
    t.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis()
}

/// The media duration a segment file declares (finalised segments carry it;
/// one cut short by a crash may not).
pub fn segment_duration(segment: &Path) -> Result<Duration, SegmentError> {
    let failed = |source| SegmentError {
        path: segment.to_path_buf(),
        source,
    };
    let pipeline = segment_pipeline(segment, "matroskademux ! fakesink").map_err(failed)?;
    let result = (|| {
        preroll(&pipeline)?;
        pipeline
            .query_duration::<gst::ClockTime>()
            .map(|d| Duration::from_nanos(d.nseconds()))
            .ok_or(GstError::Sample("the segment declares no duration"))
    })();
    let _ = pipeline.set_state(gst::State::Null);
    result.map_err(failed)
}

/// Decodes the first frame at or after `offset` in a segment and returns its
/// timestamp within the segment: proof a segment is readable and seekable.
pub fn decode_frame_at(segment: &Path, offset: Duration) -> Result<Duration, SegmentError> {
    let failed = |source| SegmentError {
        path: segment.to_path_buf(),
        source,
    };
    let pipeline = segment_pipeline(
        segment,
        "matroskademux ! h264parse ! avdec_h264 ! appsink name=out sync=false max-buffers=1",
    )
    .map_err(failed)?;
    let result = (|| {
        let sink = pipeline
            .by_name("out")
            .and_then(|e| e.downcast::<gstreamer_app::AppSink>().ok())
            .ok_or(GstError::NoElement { name: "appsink" })?;
        preroll(&pipeline)?;
        let target =
            gst::ClockTime::from_nseconds(u64::try_from(offset.as_nanos()).unwrap_or(u64::MAX));
        if !offset.is_zero() {
            pipeline
                .seek_simple(gst::SeekFlags::FLUSH | gst::SeekFlags::ACCURATE, target)
                .map_err(|source| GstError::Seek { offset, source })?;
            let _ = pipeline.state(PREROLL_WAIT);
        }
        let sample = sink.try_pull_preroll(PREROLL_WAIT).ok_or_else(|| {
            GstError::posted_or(
                &pipeline,
                GstError::Timeout {
                    what: "a frame at the offset",
                    secs: PREROLL_WAIT.seconds(),
                },
            )
        })?;
        let pts = sample
            .buffer()
            .and_then(gst::BufferRef::pts)
            .ok_or(GstError::Sample("a frame without timestamp"))?;
        // The pipeline's position is the time within the file (the stored
        // timestamps themselves continue from the live stream's clock).
        let position = pipeline.query_position::<gst::ClockTime>().unwrap_or(pts);
        Ok(Duration::from_nanos(position.nseconds()))
    })();
    let _ = pipeline.set_state(gst::State::Null);
    result.map_err(failed)
}

/// How long a segment may take to open or seek.
const PREROLL_WAIT: gst::ClockTime = gst::ClockTime::from_seconds(10);

/// `filesrc location=<segment> ! <tail>` as a pipeline.
fn segment_pipeline(segment: &Path, tail: &str) -> Result<gst::Pipeline, GstError> {
    let pipeline = gst::parse::launch(&format!("filesrc name=src ! {tail}"))
        .map_err(|source| GstError::Launch {
            what: "segment reader",
            source,
        })?
        .downcast::<gst::Pipeline>()
        .map_err(|_| GstError::NoElement { name: "pipeline" })?;
    let source = pipeline
        .by_name("src")
        .ok_or(GstError::NoElement { name: "filesrc" })?;
    source.set_property("location", segment.to_string_lossy().as_ref());
    Ok(pipeline)
}

/// Pauses `pipeline` and waits for its first frame (or what went wrong).
fn preroll(pipeline: &gst::Pipeline) -> Result<(), GstError> {
    let failed =
        |what| move |source| GstError::posted_or(pipeline, GstError::State { what, source });
    pipeline
        .set_state(gst::State::Paused)
        .map_err(failed("open"))?;
    let (res, _, _) = pipeline.state(PREROLL_WAIT);
    res.map_err(failed("preroll"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_by_age_deletes_old_segments_but_never_the_newest() {
        let dir = std::env::temp_dir().join(format!("wf-ret-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let recorder = Recorder::new(
            &CameraId::new("c"),
            RecordOptions {
                dir: dir.clone(),
                segment: Duration::from_secs(10),
                max_age: Some(Duration::from_secs(3600)),
                max_bytes: None,
            },
        )
        .expect("recorder");
        let now = unix_ms(SystemTime::now());
        let two_hours = 2 * 3600 * 1000;
        for (name, bytes) in [
            (format!("{}.mkv", now - two_hours - 20_000), 10),
            (format!("{}.mkv", now - two_hours - 10_000), 10),
            (format!("{}.mkv", now - 5_000), 10),
            ("notes.txt".to_owned(), 3),
        ] {
            std::fs::write(recorder.dir().join(name), vec![0_u8; bytes]).expect("write");
        }
        recorder.apply_retention();
        let left = list_segments(recorder.dir()).expect("list");
        assert_eq!(left.len(), 1, "{left:?}");
        assert!(
            recorder.dir().join("notes.txt").exists(),
            "other files are left alone"
        );

        // An old segment that appears later (e.g. copied back) is deleted
        // too, and the newest one still stays.
        let newest = left[0].path.clone();
        std::fs::write(
            recorder
                .dir()
                .join(format!("{}.mkv", now - two_hours - 30_000)),
            [0],
        )
        .expect("w");
        recorder.apply_retention();
        let left = list_segments(recorder.dir()).expect("list");
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!(left[0].path, newest);

        // Even a too-old newest segment stays: it may be the open one.
        let only_old = Recorder::new(
            &CameraId::new("d"),
            RecordOptions {
                dir: dir.clone(),
                segment: Duration::from_secs(10),
                max_age: Some(Duration::from_secs(1)),
                max_bytes: None,
            },
        )
        .expect("recorder");
        std::fs::write(only_old.dir().join(format!("{}.mkv", now - two_hours)), [0]).expect("w");
        only_old.apply_retention();
        assert_eq!(list_segments(only_old.dir()).expect("list").len(), 1);
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn locating_uses_file_names_as_the_index() {
        let dir = std::env::temp_dir().join(format!("wf-loc-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let base = 1_700_000_000_000_u64;
        for ms in [base, base + 2_000, base + 4_100] {
            std::fs::write(dir.join(format!("{ms}.mkv")), [0]).expect("write");
        }
        let at = UNIX_EPOCH + Duration::from_millis(base + 2_500);
        let (segment, offset) = locate(&dir, at).expect("ok").expect("found");
        assert!(segment.path.ends_with(format!("{}.mkv", base + 2_000)));
        assert_eq!(offset, Duration::from_millis(500));
        assert!(
            locate(&dir, UNIX_EPOCH + Duration::from_millis(base - 1))
                .expect("ok")
                .is_none()
        );
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
