//! Reading a range of a recorded segment and writing a clip: a reader
//! pipeline (`filesrc ! matroskademux ! h264parse`, decoded to I420 when
//! the picture is edited) seeks the range and hands samples to the caller
//! through an appsink; a writer pipeline takes them through an appsrc into
//! `matroskamux ! filesink`, as they are (remux) or through `x264enc`.
//! Both appsink and appsrc hold a few buffers at most and block beyond
//! that, so memory stays bounded whatever the clip's length.

use std::path::Path;
use std::time::Duration;

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;

use crate::gst_error::GstError;

/// How long a pipeline may take to preroll, seek, hand over a sample or
/// finish writing, seconds.
const WAIT_S: u64 = 30;
const WAIT: gst::ClockTime = gst::ClockTime::from_seconds(WAIT_S);

/// Buffers the appsink holds before the reader waits for the caller.
const READ_AHEAD: u32 = 4;

/// Bytes the appsrc queues before the caller waits for the encoder.
const WRITE_QUEUE_BYTES: u64 = 8 << 20;

/// How the reader hands out the video.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// Parsed H.264 access units, as recorded; the seek lands on the
    /// keyframe at or before the start.
    Encoded,
    /// Decoded I420 pictures from exactly the start.
    Decoded,
}

/// A segment opened for reading one range. Its errors do not name the
/// segment: the caller knows which it opened.
pub(crate) struct Reader {
    pipeline: gst::Pipeline,
    sink: gst_app::AppSink,
}

impl Reader {
    /// Opens `segment` and seeks to `start..stop` (offsets within the file).
    pub(crate) fn open(
        segment: &Path,
        read: Read,
        start: Duration,
        stop: Duration,
    ) -> Result<Self, GstError> {
        let tail = match read {
            Read::Encoded => "",
            Read::Decoded => "! avdec_h264 ! videoconvert ! video/x-raw,format=I420 ",
        };
        let description = format!(
            "filesrc name=src ! matroskademux ! h264parse ! video/x-h264,alignment=au {tail}\
             ! appsink name=out sync=false max-buffers={READ_AHEAD} drop=false"
        );
        let pipeline = launch("segment reader", &description)?;
        let reader = Self {
            sink: pipeline
                .by_name("out")
                .and_then(|e| e.downcast::<gst_app::AppSink>().ok())
                .ok_or(GstError::NoElement { name: "appsink" })?,
            pipeline,
        };
        if let Some(src) = reader.pipeline.by_name("src") {
            src.set_property("location", segment.to_string_lossy().as_ref());
        }
        reader.seek(read, start, stop)?;
        Ok(reader)
    }

    /// Prerolls, seeks to the range, and starts reading.
    fn seek(&self, read: Read, start: Duration, stop: Duration) -> Result<(), GstError> {
        let failed = |what| {
            move |source| GstError::posted_or(&self.pipeline, GstError::State { what, source })
        };
        self.pipeline
            .set_state(gst::State::Paused)
            .map_err(failed("open"))?;
        let (res, _, _) = self.pipeline.state(WAIT);
        res.map_err(failed("preroll"))?;
        let flags = gst::SeekFlags::FLUSH
            | match read {
                Read::Encoded => gst::SeekFlags::KEY_UNIT | gst::SeekFlags::SNAP_BEFORE,
                Read::Decoded => gst::SeekFlags::ACCURATE,
            };
        let time = |d: Duration| {
            Some(gst::ClockTime::from_nseconds(
                u64::try_from(d.as_nanos()).unwrap_or(u64::MAX),
            ))
        };
        self.pipeline
            .seek(
                1.0,
                flags,
                gst::SeekType::Set,
                time(start),
                gst::SeekType::Set,
                time(stop),
            )
            .map_err(|source| GstError::Seek {
                offset: start,
                source,
            })?;
        let (res, _, _) = self.pipeline.state(WAIT);
        res.map_err(failed("seek"))?;
        self.pipeline
            .set_state(gst::State::Playing)
            .map_err(failed("play"))?;
        Ok(())
    }

    /// The next sample, or `None` at the end of the range.
    pub(crate) fn next(&self) -> Result<Option<gst::Sample>, GstError> {
        if let Some(sample) = self.sink.try_pull_sample(WAIT) {
            return Ok(Some(sample));
        }
        if self.sink.is_eos() {
            return Ok(None);
        }
        Err(GstError::posted_or(
            &self.pipeline,
            GstError::Timeout {
                what: "the next frame",
                secs: WAIT_S,
            },
        ))
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        let _ = self.pipeline.set_state(gst::State::Null);
    }
}

/// A pipeline from its description.
fn launch(what: &'static str, description: &str) -> Result<gst::Pipeline, GstError> {
    gst::parse::launch(description)
        .map_err(|source| GstError::Launch { what, source })?
        .downcast::<gst::Pipeline>()
        .map_err(|_| GstError::NoElement { name: "pipeline" })
}

/// The time of a sample within its file (stream time), from its segment.
pub(crate) fn stream_time(sample: &gst::Sample) -> Option<Duration> {
    let pts = sample.buffer()?.pts()?;
    let segment = sample.segment()?.downcast_ref::<gst::ClockTime>()?;
    let at = segment.to_stream_time(pts).unwrap_or(pts);
    Some(Duration::from_nanos(at.nseconds()))
}

/// How the writer stores the pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    /// H.264 as given (remux).
    Remux,
    /// I420 pictures encoded with x264, a keyframe every `gop` frames.
    Encode {
        /// Frames between keyframes.
        gop: u32,
    },
}

/// A clip file being written. Its errors do not name the clip: the caller
/// knows which it opened.
pub(crate) struct Writer {
    pipeline: gst::Pipeline,
    src: gst_app::AppSrc,
}

impl Writer {
    /// Starts writing `path` from buffers of `caps`.
    pub(crate) fn open(path: &Path, caps: &gst::Caps, write: Write) -> Result<Self, GstError> {
        let middle = match write {
            Write::Remux => String::new(),
            // Constant quality (`pass=qual`, CRF 20): the picture outside
            // redacted boxes stays close to the recording.
            Write::Encode { gop } => format!(
                "! x264enc pass=qual quantizer=20 speed-preset=faster key-int-max={gop} \
                 bframes=0 ! h264parse "
            ),
        };
        let description = format!(
            "appsrc name=src format=time block=true max-bytes={WRITE_QUEUE_BYTES} {middle}\
             ! matroskamux ! filesink name=sink"
        );
        let pipeline = launch("clip writer", &description)?;
        let src = pipeline
            .by_name("src")
            .and_then(|e| e.downcast::<gst_app::AppSrc>().ok())
            .ok_or(GstError::NoElement { name: "appsrc" })?;
        src.set_caps(Some(caps));
        if let Some(sink) = pipeline.by_name("sink") {
            sink.set_property("location", path.to_string_lossy().as_ref());
        }
        if let Err(source) = pipeline.set_state(gst::State::Playing) {
            return Err(GstError::posted_or(
                &pipeline,
                GstError::State {
                    what: "start",
                    source,
                },
            ));
        }
        Ok(Self { pipeline, src })
    }

    /// Queues one buffer (waits while the queue is full).
    pub(crate) fn push(&self, buffer: gst::Buffer) -> Result<(), GstError> {
        self.src.push_buffer(buffer).map(|_| ()).map_err(|source| {
            GstError::posted_or(
                &self.pipeline,
                GstError::Flow {
                    what: "write a frame",
                    source,
                },
            )
        })
    }

    /// Ends the stream and waits until the file is complete.
    pub(crate) fn finish(self) -> Result<(), GstError> {
        self.src.end_of_stream().map_err(|source| GstError::Flow {
            what: "end the clip",
            source,
        })?;
        let bus = self.pipeline.bus().ok_or(GstError::NoBus)?;
        let message =
            bus.timed_pop_filtered(WAIT, &[gst::MessageType::Eos, gst::MessageType::Error]);
        match message.as_ref().map(|m| m.view()) {
            Some(gst::MessageView::Eos(_)) => Ok(()),
            Some(gst::MessageView::Error(e)) => Err(GstError::posted(e)),
            _ => Err(GstError::Timeout {
                what: "writing the clip's end",
                secs: WAIT_S,
            }),
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.pipeline.set_state(gst::State::Null);
    }
}
