//! The GStreamer graph of one camera:
//!
//! ```text
//! rtspsrc ─(pad-added)─> depay ! parse ! tee ─┬─ queue ! decoder ! videoconvert ! videoscale ! I420/NV12 WxH ! appsink
//! filesrc ! parsebin ─(pad-added)─> parse ! tee ┘└─ queue ! appsink → the recorder thread (no second decode)
//! videotestsrc ! I420 WxH ! appsink
//! ```
//!
//! Codec-specific parts are added when the source announces its stream, so an
//! unsupported codec is reported by name instead of failing to link.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use gstreamer as gst;

use crate::gst_error::{GstError, make};
use gstreamer::prelude::*;
use gstreamer_app as gst_app;
use gstreamer_video as gst_video;

use super::frame::{Frame, PixelFormat};
use crate::camera::{Camera, RtspTransport, Source};
use crate::mailbox::Mailbox;
use crate::record::Recorder;
use crate::stats::StatusCell;

/// Encoded video codecs we decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// H.264 / AVC.
    H264,
    /// H.265 / HEVC.
    H265,
}

impl Codec {
    fn from_encoding_name(name: &str) -> Option<Self> {
        match name.to_ascii_uppercase().as_str() {
            "H264" => Some(Self::H264),
            "H265" => Some(Self::H265),
            _ => None,
        }
    }

    fn from_media_type(media_type: &str) -> Option<Self> {
        match media_type {
            "video/x-h264" => Some(Self::H264),
            "video/x-h265" => Some(Self::H265),
            _ => None,
        }
    }

    fn depayloader(self) -> &'static str {
        match self {
            Self::H264 => "rtph264depay",
            Self::H265 => "rtph265depay",
        }
    }

    fn parser(self) -> &'static str {
        match self {
            Self::H264 => "h264parse",
            Self::H265 => "h265parse",
        }
    }

    /// Decoders in order of preference: hardware first, software last. A
    /// hardware plugin only registers its element when its device exists.
    fn decoder_candidates(self) -> &'static [&'static str] {
        match self {
            Self::H264 => &["nvh264dec", "vah264dec", "vaapih264dec", "avdec_h264"],
            Self::H265 => &["nvh265dec", "vah265dec", "vaapih265dec", "avdec_h265"],
        }
    }

    /// The preferred decoder installed here.
    pub fn decoder(self) -> Option<&'static str> {
        self.decoder_candidates()
            .iter()
            .copied()
            .find(|name| gst::ElementFactory::find(name).is_some())
    }
}

/// What the graph needs to know beyond the camera.
#[derive(Debug, Clone)]
pub struct GraphOptions {
    /// Output size of decoded frames.
    pub width: u32,
    /// Output size of decoded frames.
    pub height: u32,
    /// Frames slower than this from arrival to decoder output count as late.
    pub late_threshold: std::time::Duration,
    /// Use the camera's sub-stream when it has one.
    pub prefer_sub_stream: bool,
}

/// Recording branch factory, called once the codec is known.
pub type RecordBranch =
    Arc<dyn Fn(&gst::Pipeline, &gst::Element) -> Result<(), GstError> + Send + Sync>;

/// Everything the streaming threads touch for one camera.
pub struct Sinks {
    /// Consumers' mailboxes; the first is the display one (its overwrites count as drops).
    pub mailboxes: Vec<Arc<Mailbox<Frame>>>,
    /// Counters and status.
    pub status: Arc<StatusCell>,
    /// Sequence number of the last frame, across reconnects.
    pub seq: std::sync::atomic::AtomicU64,
}

/// Arrival times of recent encoded units, looked up by timestamp at decode.
#[derive(Default)]
struct Arrivals(Mutex<VecDeque<(gst::ClockTime, Instant)>>);

impl Arrivals {
    const KEEP: usize = 128;

    fn record(&self, pts: gst::ClockTime) {
        let mut q = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if q.len() == Self::KEEP {
            q.pop_front();
        }
        q.push_back((pts, Instant::now()));
    }

    fn take(&self, pts: gst::ClockTime) -> Option<Instant> {
        let mut q = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let i = q.iter().position(|(p, _)| *p == pts)?;
        let arrived = q[i].1;
        q.drain(..=i);
        Some(arrived)
    }
}

/// Builds the camera's pipeline (not yet playing).
pub fn build(
    camera: &Camera,
    options: &GraphOptions,
    sinks: &Arc<Sinks>,
    record: Option<Arc<Recorder>>,
) -> Result<gst::Pipeline, GstError> {
    let pipeline = gst::Pipeline::with_name(&format!("camera-{}", camera.id));
    // Tiles prefer the lighter sub-stream, but a recorded camera records
    // (and so decodes) its main stream: evidence is kept at full quality.
    let source = match (
        &camera.sub_source,
        options.prefer_sub_stream && record.is_none(),
    ) {
        (Some(sub), true) => sub,
        _ => &camera.source,
    };
    let arrivals = Arc::new(Arrivals::default());
    match source {
        Source::TestPattern { pattern } => {
            if record.is_some() {
                tracing::warn!(camera = %camera.id, "test patterns have no encoded stream: not recorded");
            }
            add_test_pattern(&pipeline, pattern, camera, options, sinks, &arrivals)?;
        }
        Source::Rtsp {
            url,
            transport,
            latency,
        } => {
            let linker = Linker::new(camera, options, sinks, record, arrivals);
            add_rtsp(&pipeline, url, *transport, *latency, linker)?;
        }
        Source::File { path } => {
            let mut linker = Linker::new(camera, options, sinks, record, arrivals);
            // A file has no pace of its own: show it in real time, like a camera.
            linker.realtime = true;
            add_file(&pipeline, path, linker)?;
        }
    }
    Ok(pipeline)
}

/// `videotestsrc ! I420 WxH ! appsink` (no encoded stream: nothing to record).
fn add_test_pattern(
    pipeline: &gst::Pipeline,
    pattern: &str,
    camera: &Camera,
    options: &GraphOptions,
    sinks: &Arc<Sinks>,
    arrivals: &Arc<Arrivals>,
) -> Result<(), GstError> {
    let src = make("videotestsrc")?;
    src.set_property("is-live", true);
    src.set_property_from_str("pattern", pattern);
    let caps = gst::Caps::builder("video/x-raw")
        .field("format", "I420")
        .field("width", i32::try_from(options.width).unwrap_or(640))
        .field("height", i32::try_from(options.height).unwrap_or(360))
        .field("framerate", gst::Fraction::new(15, 1))
        .build();
    let filter = make("capsfilter")?;
    filter.set_property("caps", &caps);
    let sink = appsink(camera, options, sinks, arrivals, false);
    pipeline
        .add_many([&src, &filter, sink.upcast_ref()])
        .map_err(GstError::graph("adding the test pattern"))?;
    gst::Element::link_many([&src, &filter, sink.upcast_ref()])
        .map_err(GstError::graph("linking the test pattern"))?;
    // Test patterns have no encoded stream: count raw frames as received.
    probe_received(&filter, Arc::clone(&sinks.status), Arc::clone(arrivals));
    Ok(())
}

/// `rtspsrc`, finished by `linker` when the video stream's pad appears.
fn add_rtsp(
    pipeline: &gst::Pipeline,
    url: &url::Url,
    transport: RtspTransport,
    latency: std::time::Duration,
    linker: Linker,
) -> Result<(), GstError> {
    let src = make("rtspsrc")?;
    src.set_property("location", url.as_str());
    src.set_property(
        "latency",
        u32::try_from(latency.as_millis()).unwrap_or(u32::MAX),
    );
    src.set_property_from_str(
        "protocols",
        match transport {
            RtspTransport::Tcp => "tcp",
            RtspTransport::Udp => "udp",
        },
    );
    // Fail fast on a dead server: connection and keep-alive timeouts.
    src.set_property("tcp-timeout", 5_000_000_u64);
    src.set_property("timeout", 5_000_000_u64);
    pipeline
        .add(&src)
        .map_err(GstError::graph("adding rtspsrc"))?;
    let weak = pipeline.downgrade();
    src.connect_pad_added(move |src, pad| {
        let Some(pipeline) = weak.upgrade() else {
            return;
        };
        let caps = pad.current_caps().unwrap_or_else(|| pad.query_caps(None));
        let Some(s) = caps.structure(0) else { return };
        if s.get::<&str>("media").ok() != Some("video") {
            return; // audio or metadata: not ours
        }
        let encoding = s.get::<&str>("encoding-name").unwrap_or("unknown");
        let result = match Codec::from_encoding_name(encoding) {
            Some(codec) => linker.link_codec(&pipeline, pad, codec, true),
            None => Err(GstError::Unsupported {
                kind: "codec",
                name: encoding.to_owned(),
            }),
        };
        if let Err(e) = result {
            post_error(src, &e);
        }
    });
    Ok(())
}

/// `filesrc ! parsebin`, finished by `linker` when the video stream appears.
fn add_file(
    pipeline: &gst::Pipeline,
    path: &std::path::Path,
    linker: Linker,
) -> Result<(), GstError> {
    if !path.is_file() {
        return Err(GstError::NoFile {
            path: path.to_path_buf(),
        });
    }
    let src = make("filesrc")?;
    src.set_property("location", path.to_string_lossy().as_ref());
    let parsebin = make("parsebin")?;
    pipeline
        .add_many([&src, &parsebin])
        .map_err(GstError::graph("adding filesrc ! parsebin"))?;
    src.link(&parsebin)
        .map_err(GstError::graph("linking filesrc ! parsebin"))?;
    let weak = pipeline.downgrade();
    parsebin.connect_pad_added(move |parsebin, pad| {
        let Some(pipeline) = weak.upgrade() else {
            return;
        };
        let caps = pad.current_caps().unwrap_or_else(|| pad.query_caps(None));
        let Some(media_type) = caps.structure(0).map(|s| s.name().to_string()) else {
            return;
        };
        if !(media_type.starts_with("video/") || media_type.starts_with("image/")) {
            return;
        }
        let result = match Codec::from_media_type(&media_type) {
            Some(codec) => linker.link_codec(&pipeline, pad, codec, false),
            None => Err(GstError::Unsupported {
                kind: "format",
                name: media_type.clone(),
            }),
        };
        if let Err(e) = result {
            post_error(parsebin, &e);
        }
    });
    Ok(())
}

/// What a `pad-added` handler needs to finish the graph.
struct Linker {
    camera: Camera,
    options: GraphOptions,
    sinks: Arc<Sinks>,
    record: Option<Arc<Recorder>>,
    arrivals: Arc<Arrivals>,
    /// Sync output to the clock (files); live sources are shown on arrival.
    realtime: bool,
    /// Only the first video stream is shown (a source may offer several).
    linked: std::sync::atomic::AtomicBool,
}

impl Linker {
    fn new(
        camera: &Camera,
        options: &GraphOptions,
        sinks: &Arc<Sinks>,
        record: Option<Arc<Recorder>>,
        arrivals: Arc<Arrivals>,
    ) -> Self {
        Self {
            camera: camera.clone(),
            options: options.clone(),
            sinks: Arc::clone(sinks),
            record,
            arrivals,
            realtime: false,
            linked: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// `[depay !] parse ! tee ! queue ! decoder ! convert ! scale ! caps ! appsink`,
    /// plus the recording branch off the tee.
    fn link_codec(
        &self,
        pipeline: &gst::Pipeline,
        pad: &gst::Pad,
        codec: Codec,
        rtp: bool,
    ) -> Result<(), GstError> {
        if self.linked.swap(true, std::sync::atomic::Ordering::SeqCst) {
            tracing::info!(camera = %self.camera.id, "ignoring an extra video stream");
            return Ok(());
        }
        let decoder_name = codec.decoder().ok_or_else(|| GstError::NoDecoder {
            codec: format!("{codec:?}"),
        })?;
        let mut chain = Vec::new();
        if rtp {
            chain.push(make(codec.depayloader())?);
        }
        let parser = make(codec.parser())?;
        // Repeat parameter sets in-band so every recorded segment can start alone.
        parser.set_property("config-interval", -1_i32);
        chain.push(parser.clone());
        let tee = make("tee")?;
        let queue = make("queue")?;
        queue.set_property("max-size-buffers", 8_u32);
        queue.set_property("max-size-bytes", 0_u32);
        queue.set_property("max-size-time", 0_u64);
        let decoder = make(decoder_name)?;
        if decoder_name.starts_with("avdec_") {
            // Never show a half-decoded picture.
            decoder.set_property("output-corrupt", false);
        }
        let convert = make("videoconvert")?;
        let scale = make("videoscale")?;
        let filter = make("capsfilter")?;
        let caps: gst::Caps = format!(
            "video/x-raw,format=(string){{I420,NV12}},width={},height={}",
            self.options.width, self.options.height
        )
        .parse()
        .map_err(GstError::graph("the tile caps"))?;
        filter.set_property("caps", &caps);
        let sink = appsink(
            &self.camera,
            &self.options,
            &self.sinks,
            &self.arrivals,
            self.realtime,
        );
        chain.extend([
            tee.clone(),
            queue,
            decoder,
            convert,
            scale,
            filter,
            sink.upcast(),
        ]);

        pipeline
            .add_many(&chain)
            .map_err(GstError::graph("adding the decode chain"))?;
        gst::Element::link_many(&chain).map_err(GstError::graph("linking the decode chain"))?;
        probe_received(
            &parser,
            Arc::clone(&self.sinks.status),
            Arc::clone(&self.arrivals),
        );
        drop_until_keyframe(&parser);
        if let Some(recorder) = &self.record {
            recorder.attach(pipeline, &tee)?;
        }
        for element in &chain {
            element
                .sync_state_with_parent()
                .map_err(GstError::graph("starting the decode chain"))?;
        }
        let sink_pad = chain[0].static_pad("sink").ok_or_else(|| GstError::NoPad {
            element: chain[0].name().to_string(),
            pad: "sink",
        })?;
        pad.link(&sink_pad).map_err(|source| GstError::PadLink {
            what: "linking the video stream",
            source,
        })?;
        tracing::info!(camera = %self.camera.id, ?codec, decoder = decoder_name, "stream linked");
        Ok(())
    }
}

/// Counts encoded units and bytes entering `element`, and notes when each arrived.
fn probe_received(element: &gst::Element, status: Arc<StatusCell>, arrivals: Arc<Arrivals>) {
    let Some(pad) = element.static_pad("sink") else {
        return;
    };
    pad.add_probe(gst::PadProbeType::BUFFER, move |_, info| {
        if let Some(buffer) = info.buffer() {
            status
                .counters
                .received
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            status
                .counters
                .received_bytes
                .fetch_add(buffer.size() as u64, std::sync::atomic::Ordering::Relaxed);
            if let Some(pts) = buffer.pts() {
                arrivals.record(pts);
            }
        }
        gst::PadProbeReturn::Ok
    });
}

/// Drops what leaves `element` until its first keyframe: a stream joined
/// mid-GOP would otherwise decode into garbage until the next keyframe, for
/// the decoder and the recording alike.
fn drop_until_keyframe(element: &gst::Element) {
    let Some(pad) = element.static_pad("src") else {
        return;
    };
    pad.add_probe(gst::PadProbeType::BUFFER, move |_, info| {
        match info.buffer() {
            Some(b) if b.flags().contains(gst::BufferFlags::DELTA_UNIT) => {
                gst::PadProbeReturn::Drop
            }
            // The first keyframe passes, and the probe removes itself.
            Some(_) => gst::PadProbeReturn::Remove,
            None => gst::PadProbeReturn::Ok,
        }
    });
}

/// The appsink that turns decoded buffers into [`Frame`]s in the mailboxes.
fn appsink(
    camera: &Camera,
    options: &GraphOptions,
    sinks: &Arc<Sinks>,
    arrivals: &Arc<Arrivals>,
    realtime: bool,
) -> gst_app::AppSink {
    let sink = gst_app::AppSink::builder()
        .name("frames")
        .sync(realtime)
        .max_buffers(1)
        .drop(true)
        .build();
    let camera_id = camera.id.clone();
    let sinks = Arc::clone(sinks);
    let arrivals = Arc::clone(arrivals);
    let late_threshold = options.late_threshold;
    sink.set_callbacks(
        gst_app::AppSinkCallbacks::builder()
            .new_sample(move |sink| {
                let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                let Some(info) = sample
                    .caps()
                    .and_then(|c| gst_video::VideoInfo::from_caps(c).ok())
                else {
                    return Err(gst::FlowError::NotNegotiated);
                };
                let Some(format) = PixelFormat::from_gst(info.format()) else {
                    return Err(gst::FlowError::NotNegotiated);
                };
                let Some(buffer) = sample.buffer_owned() else {
                    return Ok(gst::FlowSuccess::Ok);
                };
                let arrived = buffer
                    .pts()
                    .and_then(|pts| arrivals.take(pts))
                    .unwrap_or_else(Instant::now);
                let video = gst_video::VideoFrame::from_buffer_readable(buffer, &info)
                    .map_err(|_| gst::FlowError::Error)?;
                let seq = sinks.seq.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                let frame = Frame::new(camera_id.clone(), seq, arrived, format, video);
                sinks.status.frame_decoded();
                // A file is paced by the clock on purpose: its wait is not lateness.
                if !realtime && arrived.elapsed() > late_threshold {
                    sinks
                        .status
                        .counters
                        .late
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                for mailbox in &sinks.mailboxes {
                    mailbox.put(frame.clone());
                }
                Ok(gst::FlowSuccess::Ok)
            })
            .build(),
    );
    sink
}

fn post_error(element: &gst::Element, e: &GstError) {
    let message = gst::message::Error::builder(gst::StreamError::CodecNotFound, &e.to_string())
        .src(element)
        .build();
    let _ = element.post_message(message);
}
