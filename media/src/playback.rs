//! Recorded video shown at any instant: one player per camera, on its own
//! thread, decoding the segment that holds the instant asked for.
//!
//! The console asks for an instant every frame ([`Playback::show`], latest
//! wins, never waits). A small step forward is decoded frame by frame from
//! where the player is; anything else is an accurate seek (from the keyframe
//! before it). Frames come out planar (I420) in a "latest frame wins"
//! mailbox, as live ones do, so the wall draws them the same way.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use gstreamer as gst;

use crate::error::FileError;
use crate::gst_error::{GstError, SegmentError};

/// Why a picture could not be shown from the recordings.
#[derive(Debug, thiserror::Error)]
enum PlaybackError {
    /// The recordings folder could not be listed.
    #[error(transparent)]
    Listing(#[from] FileError),
    /// A segment could not be played.
    #[error(transparent)]
    Segment(#[from] SegmentError),
    /// Nothing was open to decode from.
    #[error("no segment open")]
    NoSegmentOpen,
}
use gstreamer::prelude::*;
use gstreamer_app as gst_app;
use gstreamer_video as gst_video;

use crate::camera::CameraId;
use crate::ingest::{Frame, PixelFormat};
use crate::mailbox::{Mailbox, Notify};
use crate::record::{Segment, list_segments};

/// A step forward at most this long is decoded on instead of seeking.
const DECODE_ON: Duration = Duration::from_secs(2);
/// How long a segment listing is trusted before the folder is read again.
const LISTING_FRESH: Duration = Duration::from_secs(2);
/// How long a pipeline may take to preroll or hand over a frame.
const WAIT: Duration = Duration::from_secs(5);

/// What a player shows for the instant last asked.
#[derive(Clone)]
pub enum Shown {
    /// The recorded picture at (or just before) the instant.
    Frame {
        /// The picture.
        frame: Frame,
        /// The wall-clock instant it was recorded.
        at: SystemTime,
        /// The instant that was asked for.
        asked: SystemTime,
    },
    /// Nothing was recorded then (or the recording cannot be read: `why`).
    Nothing {
        /// The instant that was asked for.
        asked: SystemTime,
        /// Why not, for the tile and the log.
        why: String,
    },
}

impl Shown {
    /// The instant this answers.
    pub fn asked(&self) -> SystemTime {
        match self {
            Self::Frame { asked, .. } | Self::Nothing { asked, .. } => *asked,
        }
    }
}

#[derive(Default)]
struct Wanted {
    at: Option<SystemTime>,
    generation: u64,
    stop: bool,
}

type Shared = Arc<(Mutex<Wanted>, Condvar)>;

/// One camera's recorded video, played back on the `playback-<id>` thread.
pub struct Playback {
    camera: CameraId,
    wanted: Shared,
    shown: Arc<Mailbox<Shown>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Playback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Playback")
            .field("camera", &self.camera)
            .finish_non_exhaustive()
    }
}

impl Playback {
    /// A player for the segments in `camera_dir` (`<start_ms>.mkv`);
    /// `notify` runs after each picture (e.g. to repaint).
    pub fn start(
        camera: CameraId,
        camera_dir: PathBuf,
        notify: Option<Notify>,
    ) -> std::io::Result<Self> {
        gst::init().map_err(std::io::Error::other)?;
        let wanted: Shared = Arc::default();
        let shown = Arc::new(Mailbox::new(notify));
        let mut player = Player {
            camera: camera.clone(),
            dir: camera_dir,
            listing: None,
            open: None,
            seq: 0,
        };
        let thread = {
            let wanted = Arc::clone(&wanted);
            let shown = Arc::clone(&shown);
            std::thread::Builder::new()
                .name(format!("playback-{}", camera.as_str()))
                .spawn(move || player.run(&wanted, &shown))?
        };
        Ok(Self {
            camera,
            wanted,
            shown,
            thread: Some(thread),
        })
    }

    /// The camera played.
    pub fn camera(&self) -> &CameraId {
        &self.camera
    }

    /// Asks for the picture at `at` (replaces an instant not yet served).
    pub fn show(&self, at: SystemTime) {
        let (lock, wake) = &*self.wanted;
        let mut wanted = lock.lock().unwrap_or_else(PoisonError::into_inner);
        if wanted.at == Some(at) {
            return;
        }
        wanted.at = Some(at);
        wanted.generation += 1;
        wake.notify_one();
    }

    /// The newest answer since the last call, if any.
    pub fn take(&self) -> Option<Shown> {
        self.shown.take()
    }
}

impl Drop for Playback {
    fn drop(&mut self) {
        let (lock, wake) = &*self.wanted;
        lock.lock().unwrap_or_else(PoisonError::into_inner).stop = true;
        wake.notify_one();
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!(camera = %self.camera, "playback thread panicked");
        }
    }
}

/// The player thread's state.
struct Player {
    camera: CameraId,
    dir: PathBuf,
    listing: Option<(Instant, Vec<Segment>)>,
    open: Option<OpenSegment>,
    seq: u64,
}

impl Player {
    fn run(&mut self, wanted: &Shared, shown: &Mailbox<Shown>) {
        let mut served = 0;
        loop {
            let at = {
                let (lock, wake) = &**wanted;
                let mut w = lock.lock().unwrap_or_else(PoisonError::into_inner);
                while !w.stop && w.generation == served {
                    w = wake.wait(w).unwrap_or_else(PoisonError::into_inner);
                }
                if w.stop {
                    break;
                }
                served = w.generation;
                w.at
            };
            let Some(at) = at else { continue };
            let answer = match self.picture_at(at) {
                Ok(answer) => answer,
                Err(why) => {
                    tracing::warn!(camera = %self.camera, "playback: {why}");
                    self.open = None;
                    Shown::Nothing {
                        asked: at,
                        why: why.to_string(),
                    }
                }
            };
            shown.put(answer);
        }
        if let Some(open) = self.open.take() {
            open.close();
        }
    }

    /// The segments, read again when the listing is old or `at` lies
    /// beyond it.
    fn segments(&mut self, at: SystemTime) -> Result<&[Segment], PlaybackError> {
        let stale = self.listing.as_ref().is_none_or(|(read, list)| {
            read.elapsed() > LISTING_FRESH || list.last().is_none_or(|s| s.start < at)
        });
        if stale {
            let list = if self.dir.exists() {
                list_segments(&self.dir)?
            } else {
                Vec::new()
            };
            self.listing = Some((Instant::now(), list));
        }
        Ok(self.listing.as_ref().map_or(&[][..], |(_, l)| l.as_slice()))
    }

    fn picture_at(&mut self, at: SystemTime) -> Result<Shown, PlaybackError> {
        let segment = self
            .segments(at)?
            .iter()
            .rev()
            .find(|s| s.start <= at)
            .cloned();
        let Some(segment) = segment else {
            return Ok(Shown::Nothing {
                asked: at,
                why: "no recording at this time".into(),
            });
        };
        let offset = at.duration_since(segment.start).unwrap_or_default();
        if self.open.as_ref().is_none_or(|o| o.segment != segment) {
            if let Some(old) = self.open.take() {
                old.close();
            }
            self.open = Some(OpenSegment::open(segment.clone())?);
        }
        let Some(open) = self.open.as_mut() else {
            return Err(PlaybackError::NoSegmentOpen);
        };
        let Some((buffer, info, position)) = open.frame_at(offset)? else {
            return Ok(Shown::Nothing {
                asked: at,
                why: "no recording at this time".into(),
            });
        };
        self.seq += 1;
        let bad = |what| SegmentError {
            path: segment.path.clone(),
            source: GstError::Sample(what),
        };
        let video = gst_video::VideoFrame::from_buffer_readable(buffer, &info)
            .map_err(|_| bad("unreadable frame"))?;
        let format =
            PixelFormat::from_gst(info.format()).ok_or_else(|| bad("unexpected format"))?;
        Ok(Shown::Frame {
            frame: Frame::new(self.camera.clone(), self.seq, Instant::now(), format, video),
            at: segment.start + position,
            asked: at,
        })
    }
}

/// A segment being decoded: its pipeline and where it stands.
struct OpenSegment {
    segment: Segment,
    pipeline: gst::Pipeline,
    sink: gst_app::AppSink,
    /// The frame shown last (at or before the instant asked), and its time
    /// within the file.
    last: Option<Decoded>,
    /// A frame decoded past the instant asked, kept for the next step.
    ahead: Option<Decoded>,
    /// The file's last frame has been passed.
    ended: bool,
    /// Set playing after the first seek (frames are pulled while playing).
    playing: bool,
}

/// A decoded picture, its layout, and its time within the file.
type Decoded = (gst::Buffer, gst_video::VideoInfo, Duration);

impl OpenSegment {
    fn open(segment: Segment) -> Result<Self, SegmentError> {
        let path = segment.path.clone();
        let fail = |source| SegmentError {
            path: path.clone(),
            source,
        };
        let pipeline = gst::parse::launch(&format!(
            "filesrc location=\"{}\" ! matroskademux ! h264parse ! avdec_h264 ! videoconvert ! \
             appsink name=out sync=false max-buffers=2 caps=video/x-raw,format=I420",
            segment.path.display()
        ))
        .map_err(|source| {
            fail(GstError::Launch {
                what: "the segment player",
                source,
            })
        })?
        .downcast::<gst::Pipeline>()
        .map_err(|_| fail(GstError::Sample("the player is not a pipeline")))?;
        let sink = pipeline
            .by_name("out")
            .and_then(|e| e.downcast::<gst_app::AppSink>().ok())
            .ok_or_else(|| fail(GstError::Sample("the player has no appsink")))?;
        // Paused first: only the first frame is decoded before the seek
        // that follows (playing would decode on from the start meanwhile).
        pipeline.set_state(gst::State::Paused).map_err(|source| {
            fail(GstError::State {
                what: "pausing the segment player",
                source,
            })
        })?;
        let open = Self {
            segment,
            pipeline,
            sink,
            last: None,
            ahead: None,
            ended: false,
            playing: false,
        };
        let (res, _, _) = open.pipeline.state(gst::ClockTime::from_seconds(5));
        if let Err(source) = res {
            let why = open.bus_error().unwrap_or(GstError::State {
                what: "reading the segment",
                source,
            });
            open.close();
            return Err(fail(why));
        }
        Ok(open)
    }

    fn bus_error(&self) -> Option<GstError> {
        let bus = self.pipeline.bus()?;
        bus.iter().find_map(|m| match m.view() {
            gst::MessageView::Error(e) => Some(GstError::posted(e)),
            _ => None,
        })
    }

    fn fail(&self, source: GstError) -> SegmentError {
        SegmentError {
            path: self.segment.path.clone(),
            source,
        }
    }

    /// The frame showing at `offset` into the file: decoded on from the
    /// last one when close ahead, else sought. `None` past the file's end
    /// with nothing decoded.
    fn frame_at(&mut self, offset: Duration) -> Result<Option<Decoded>, SegmentError> {
        let step = self
            .last
            .as_ref()
            .and_then(|(_, _, pos)| offset.checked_sub(*pos));
        let sought = step.is_none_or(|s| s > DECODE_ON);
        if sought {
            self.seek(offset)?;
        }
        // Decode on until the next frame would be past the instant: the
        // picture shown is the one on screen at that instant.
        loop {
            let next = match self.ahead.take() {
                Some(d) => Some(d),
                None if self.ended => None,
                None => self.pull()?,
            };
            let Some(decoded) = next else {
                self.ended = true;
                break;
            };
            if decoded.2 > offset && self.last.is_some() {
                self.ahead = Some(decoded);
                break;
            }
            // An accurate seek's first frame is the one covering the
            // instant: no need to decode the next to know.
            let covers = sought && self.last.is_none() && decoded.2 <= offset;
            self.last = Some(decoded);
            if covers {
                break;
            }
        }
        Ok(self.last.clone())
    }

    fn seek(&mut self, offset: Duration) -> Result<(), SegmentError> {
        let target =
            gst::ClockTime::from_nseconds(u64::try_from(offset.as_nanos()).unwrap_or(u64::MAX));
        self.pipeline
            .seek_simple(gst::SeekFlags::FLUSH | gst::SeekFlags::ACCURATE, target)
            .map_err(|source| self.fail(GstError::Seek { offset, source }))?;
        self.last = None;
        self.ahead = None;
        self.ended = false;
        if !self.playing {
            self.pipeline
                .set_state(gst::State::Playing)
                .map_err(|source| {
                    self.fail(GstError::State {
                        what: "playing the segment",
                        source,
                    })
                })?;
            self.playing = true;
        }
        Ok(())
    }

    /// The next decoded frame and its time within the file; `None` at the end.
    fn pull(&self) -> Result<Option<Decoded>, SegmentError> {
        let Some(sample) = self
            .sink
            .try_pull_sample(gst::ClockTime::from_mseconds(WAIT.as_millis() as u64))
        else {
            if self.sink.is_eos() {
                return Ok(None);
            }
            let why = self.bus_error().unwrap_or(GstError::Timeout {
                what: "the next frame",
                secs: WAIT.as_secs(),
            });
            return Err(self.fail(why));
        };
        let position = sample_position(&sample);
        let info = sample
            .caps()
            .and_then(|c| gst_video::VideoInfo::from_caps(c).ok())
            .ok_or_else(|| self.fail(GstError::Sample("no video caps")))?;
        let buffer = sample
            .buffer_owned()
            .ok_or_else(|| self.fail(GstError::Sample("empty sample")))?;
        Ok(Some((buffer, info, position)))
    }

    fn close(self) {
        let _ = self.pipeline.set_state(gst::State::Null);
    }
}

/// A sample's time within its file (stream time: stored timestamps
/// continue from the live stream's clock).
fn sample_position(sample: &gst::Sample) -> Duration {
    let pts = sample.buffer().and_then(gst::BufferRef::pts);
    let stream = sample
        .segment()
        .and_then(|s| s.downcast_ref::<gst::ClockTime>())
        .and_then(|s| pts.and_then(|p| s.to_stream_time(p)));
    Duration::from_nanos(stream.or(pts).map_or(0, gst::ClockTime::nseconds))
}

/// Why benchmark recordings could not be synthesised.
#[derive(Debug, thiserror::Error)]
pub enum SynthesisError {
    /// GStreamer would not start.
    #[error("GStreamer could not initialise: {0}")]
    Init(#[source] gst::glib::Error),
    /// A folder or link could not be made.
    #[error(transparent)]
    File(#[from] FileError),
    /// The source could not be encoded.
    #[error("encoding {}: {source}", path.display())]
    Encode {
        /// The source video.
        path: PathBuf,
        /// What GStreamer said.
        #[source]
        source: GstError,
    },
    /// The encoded loop does not play.
    #[error(transparent)]
    Segment(#[from] SegmentError),
}

/// Synthesises recordings for benchmarks: the first 10 s of `source` (any
/// video file) are encoded once as a 640×360, 15 fps H.264 segment with a
/// keyframe every second, as cameras record (kept as `<dir>/loop.mkv`), then
/// hard-linked as consecutive segments `<dir>/<camera>/<start_ms>.mkv`
/// covering `span` from `start` for each camera: a looped recording, faster
/// than real time. Returns the segment length.
pub fn synthesise_recording(
    source: &Path,
    dir: &Path,
    cameras: &[CameraId],
    start: SystemTime,
    span: Duration,
) -> Result<Duration, SynthesisError> {
    gst::init().map_err(SynthesisError::Init)?;
    std::fs::create_dir_all(dir).map_err(FileError::at(dir))?;
    let clip = dir.join("loop.mkv");
    if !clip.is_file() {
        let partial = dir.join("loop.mkv.partial");
        encode_loop(source, &partial).map_err(|e| SynthesisError::Encode {
            path: source.to_path_buf(),
            source: e,
        })?;
        std::fs::rename(&partial, &clip).map_err(FileError::at(&clip))?;
    }
    let length = crate::record::segment_duration(&clip)?;
    let step_ms = u64::try_from(length.as_millis()).unwrap_or(1).max(1);
    let start_ms = u64::try_from(
        start
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis(),
    )
    .unwrap_or(0);
    let count = span.as_millis().div_ceil(u128::from(step_ms));
    for camera in cameras {
        let folder = dir.join(camera.as_str());
        std::fs::create_dir_all(&folder).map_err(FileError::at(&folder))?;
        for k in 0..u64::try_from(count).unwrap_or(0) {
            let name = folder.join(format!("{}.mkv", start_ms + k * step_ms));
            if !name.exists() {
                std::fs::hard_link(&clip, &name).map_err(FileError::at(&name))?;
            }
        }
    }
    Ok(length)
}

/// Encodes the first 150 frames of `source` as a camera would record them.
fn encode_loop(source: &Path, out: &Path) -> Result<(), GstError> {
    let pipeline = gst::parse::launch(&format!(
        "filesrc location=\"{}\" ! decodebin ! videoconvert ! videoscale ! videorate ! \
         video/x-raw,format=I420,width=640,height=360,framerate=15/1,pixel-aspect-ratio=1/1 ! \
         identity eos-after=150 ! x264enc speed-preset=veryfast bitrate=800 key-int-max=15 bframes=0 ! h264parse ! \
         matroskamux ! filesink location=\"{}\"",
        source.display(),
        out.display()
    ))
    .map_err(|source| GstError::Launch {
        what: "encoding pipeline",
        source,
    })?
    .downcast::<gst::Pipeline>()
    .map_err(|_| GstError::NoElement {
        name: "top-level bin",
    })?;
    let result = pipeline
        .set_state(gst::State::Playing)
        .map_err(|source| {
            GstError::posted_or(
                &pipeline,
                GstError::State {
                    what: "playing",
                    source,
                },
            )
        })
        .and_then(|_| crate::gst_error::until_eos(&pipeline, 600, "encoding"));
    let _ = pipeline.set_state(gst::State::Null);
    result
}

/// The camera folders under `recordings` (each `<camera>/<start_ms>.mkv`).
pub fn recorded_cameras(recordings: &Path) -> Vec<(CameraId, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(recordings) else {
        return Vec::new();
    };
    let mut cameras: Vec<(CameraId, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            Some((CameraId::new(&name), e.path()))
        })
        .collect();
    cameras.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    cameras
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    /// Encodes `seconds` of a moving test pattern at 15 fps into `path`.
    fn write_segment(path: &Path, seconds: u32) {
        gst::init().expect("gstreamer");
        let pipeline = gst::parse::launch(&format!(
            "videotestsrc num-buffers={} pattern=ball ! video/x-raw,format=I420,width=320,height=180,framerate=15/1 ! \
             x264enc key-int-max=15 bframes=0 speed-preset=ultrafast ! h264parse ! matroskamux ! \
             filesink location=\"{}\"",
            seconds * 15,
            path.display()
        ))
        .expect("pipeline");
        pipeline.set_state(gst::State::Playing).expect("play");
        let bus = pipeline.bus().expect("bus");
        let done = bus.timed_pop_filtered(
            gst::ClockTime::from_seconds(30),
            &[gst::MessageType::Eos, gst::MessageType::Error],
        );
        assert!(
            done.as_ref()
                .is_some_and(|m| matches!(m.view(), gst::MessageView::Eos(_))),
            "{done:?}"
        );
        pipeline.set_state(gst::State::Null).expect("stop");
    }

    fn wait_for(player: &Playback) -> Shown {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(s) = player.take() {
                return s;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("no answer in 10 s");
    }

    fn shown_at(shown: &Shown) -> SystemTime {
        match shown {
            Shown::Frame { at, .. } => *at,
            Shown::Nothing { why, .. } => panic!("nothing shown: {why}"),
        }
    }

    #[test]
    fn plays_the_instant_asked_for_seeks_steps_and_names_gaps() {
        let dir = std::env::temp_dir().join(format!("wf-play-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let base = 1_800_000_000_000_u64;
        write_segment(&dir.join(format!("{base}.mkv")), 4);
        // A gap from 4 s to 10 s, then a second segment.
        write_segment(&dir.join(format!("{}.mkv", base + 10_000)), 3);
        let t = |ms: u64| UNIX_EPOCH + Duration::from_millis(base + ms);
        let player = Playback::start(CameraId::new("c"), dir.clone(), None).expect("start");
        let close = |shown: &Shown, ms: u64| {
            let at = shown_at(shown);
            let want = t(ms);
            let diff = at
                .duration_since(want)
                .or_else(|_| want.duration_since(at))
                .unwrap_or_default();
            assert!(
                diff <= Duration::from_millis(70),
                "asked {ms} ms, got {diff:?} off"
            );
        };
        for ms in [2_500, 2_600, 3_900, 700, 11_000, 12_200] {
            player.show(t(ms));
            let shown = wait_for(&player);
            close(&shown, ms);
            if let Shown::Frame { frame, .. } = &shown {
                assert_eq!((frame.width(), frame.height()), (320, 180));
            }
        }
        player.show(t(7_000));
        match wait_for(&player) {
            Shown::Nothing { why, .. } => assert!(why.contains("no recording"), "{why}"),
            Shown::Frame { at, .. } => {
                // Within the gap the first segment's last picture may show;
                // it must be the last one, not a later instant.
                assert!(at <= t(4_000), "{at:?}");
            }
        }
        player.show(t(9_000_000));
        assert!(
            matches!(wait_for(&player), Shown::Nothing { .. }),
            "long after the recording ends there is nothing to show"
        );
        drop(player);
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
