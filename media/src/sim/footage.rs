//! Real footage for the camera simulator, turned into distinct feeds.
//!
//! Two archive clips ship in `assets/footage/` (see its README for licences
//! and credits). Each simulated camera shows one *variant* of one clip —
//! as is, mirrored, or a zoomed crop — started at its own time offset. A
//! variant is encoded to H.264 once for a given size and frame rate and
//! cached; serving it never re-encodes. Camera names say which clip and
//! variant they show: they are copies, not different places.

use std::path::{Path, PathBuf};

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;

use crate::error::FileError;
use crate::gst_error::{GstError, until_eos};

/// One source clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clip {
    /// Short name used in camera names and cache files.
    pub name: &'static str,
    /// File in `assets/footage/`.
    pub file: &'static str,
    /// Credit shown with the feed.
    pub credit: &'static str,
}

/// "A Trip Down Market Street" (1906), public domain.
pub const MARKET_STREET: Clip = Clip {
    name: "market-street-1906",
    file: "market-street-1906.mp4",
    credit: "A Trip Down Market Street (1906), public domain",
};

/// OpenCV's `vtest` plaza clip (PETS 2009 scene, University of Reading).
pub const PLAZA: Clip = Clip {
    name: "vtest-plaza",
    file: "vtest-plaza.mp4",
    credit: "PETS 2009 plaza scene (University of Reading), via OpenCV's vtest.avi",
};

/// How a clip is changed to look like another camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// As filmed.
    Original,
    /// Left–right mirrored.
    Mirrored,
    /// The top-left three quarters, zoomed.
    CropTopLeft,
    /// The bottom-right three quarters, zoomed.
    CropBottomRight,
}

impl Look {
    fn name(self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::Mirrored => "mirrored",
            Self::CropTopLeft => "crop-top-left",
            Self::CropBottomRight => "crop-bottom-right",
        }
    }

    /// GStreamer elements that apply the look, ending in `!`. Crops are done
    /// on a 16:9 picture already at the output size, then scaled back up.
    fn elements(self, enc: &Encoding) -> String {
        let (w, h) = (enc.width, enc.height);
        let to_output = format!(
            "aspectratiocrop aspect-ratio=16/9 ! videoscale ! video/x-raw,width={w},height={h} ! "
        );
        match self {
            Self::Original => String::new(),
            // `video-direction`: the deprecated `method` property has no effect
            // in a launch line on GStreamer 1.22 (measured).
            Self::Mirrored => "videoflip video-direction=horiz ! ".to_owned(),
            Self::CropTopLeft => {
                format!("{to_output}videocrop right={} bottom={} ! ", w / 4, h / 4)
            }
            Self::CropBottomRight => {
                format!("{to_output}videocrop left={} top={} ! ", w / 4, h / 4)
            }
        }
    }
}

/// A clip with a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// The clip.
    pub clip: Clip,
    /// The change applied.
    pub look: Look,
}

/// The variants simulated cameras cycle through.
pub const VARIANTS: [Variant; 6] = [
    Variant {
        clip: MARKET_STREET,
        look: Look::Original,
    },
    Variant {
        clip: PLAZA,
        look: Look::Original,
    },
    Variant {
        clip: MARKET_STREET,
        look: Look::Mirrored,
    },
    Variant {
        clip: PLAZA,
        look: Look::Mirrored,
    },
    Variant {
        clip: MARKET_STREET,
        look: Look::CropTopLeft,
    },
    Variant {
        clip: PLAZA,
        look: Look::CropBottomRight,
    },
];

/// How simulated cameras are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Frames per second.
    pub fps: u32,
    /// Seconds of each clip to use (the loop length).
    pub seconds: u32,
}

impl Encoding {
    /// Frames between keyframes: one second, as many surveillance cameras
    /// use; a new viewer waits at most this long for its first picture.
    pub fn gop(&self) -> u32 {
        self.fps.max(1)
    }
}

impl Variant {
    /// `market-street-1906-mirrored`.
    pub fn name(&self) -> String {
        format!("{}-{}", self.clip.name, self.look.name())
    }

    fn cache_file(&self, enc: &Encoding, cache: &Path) -> PathBuf {
        cache.join(format!(
            "v{CACHE_VERSION}-{}-{}x{}-{}fps-g{}-{}s.ts",
            self.name(),
            enc.width,
            enc.height,
            enc.fps,
            enc.gop(),
            enc.seconds
        ))
    }
}

/// Bumped when encoding changes, so caches made by older builds are not reused.
const CACHE_VERSION: u32 = 2;

/// One encoded access unit (a whole frame) of H.264 byte-stream.
#[derive(Debug, Clone)]
pub struct AccessUnit {
    /// The data, shared, never copied when served; no timestamps.
    pub buffer: gst::Buffer,
    /// Whether decoding can start here.
    pub keyframe: bool,
}

/// Why a simulator's footage could not be prepared. Each names its file.
#[derive(Debug, thiserror::Error)]
pub enum FootageError {
    /// The clip is not among the assets.
    #[error("footage {} is missing", .0.display())]
    Missing(PathBuf),
    /// The cache could not be written.
    #[error("footage cache {0}")]
    Cache(#[source] FileError),
    /// Encoding the clip or reading the encoded file failed.
    #[error("{what} {}: {source}", file.display())]
    Pipeline {
        /// `encoding` or `reading`.
        what: &'static str,
        /// The file read.
        file: PathBuf,
        /// What GStreamer said.
        #[source]
        source: Box<GstError>,
    },
    /// The encoded file has no frame to start decoding from.
    #[error("{} has no keyframe", .0.display())]
    NoKeyframe(PathBuf),
    /// The encoded file holds no frame at all.
    #[error("{} holds no video", .0.display())]
    NoVideo(PathBuf),
}

/// Encodes `variant` (once; later calls read the cache) and returns its frames.
pub fn prepare(
    variant: &Variant,
    enc: &Encoding,
    assets: &Path,
    cache: &Path,
) -> Result<Vec<AccessUnit>, FootageError> {
    let cached = variant.cache_file(enc, cache);
    if !cached.is_file() {
        let source = assets.join("footage").join(variant.clip.file);
        if !source.is_file() {
            return Err(FootageError::Missing(source));
        }
        std::fs::create_dir_all(cache)
            .map_err(FileError::at(cache))
            .map_err(FootageError::Cache)?;
        // Per-process name: several processes may prepare the same variant at once.
        let partial = cached.with_extension(format!("ts.{}.partial", std::process::id()));
        encode(variant, enc, &source, &partial).map_err(|source_error| FootageError::Pipeline {
            what: "encoding",
            file: source.clone(),
            source: Box::new(source_error),
        })?;
        std::fs::rename(&partial, &cached)
            .map_err(FileError::at(&cached))
            .map_err(FootageError::Cache)?;
        tracing::info!(file = %cached.display(), "simulator footage encoded");
    }
    let units = load(&cached).map_err(|source| FootageError::Pipeline {
        what: "reading",
        file: cached.clone(),
        source: Box::new(source),
    })?;
    if units.is_empty() {
        return Err(FootageError::NoVideo(cached));
    }
    if !units.iter().any(|u| u.keyframe) {
        return Err(FootageError::NoKeyframe(cached));
    }
    Ok(units)
}

/// Decodes, changes, scales and encodes `seconds` of the clip to MPEG-TS.
fn encode(variant: &Variant, enc: &Encoding, source: &Path, out: &Path) -> Result<(), GstError> {
    let description = format!(
        "filesrc location=\"{src}\" ! decodebin ! videoconvert ! {look}videoscale ! videorate ! \
         video/x-raw,format=I420,width={w},height={h},framerate={fps}/1,pixel-aspect-ratio=1/1 ! \
         x264enc speed-preset=veryfast tune=zerolatency bitrate={kbps} key-int-max={gop} bframes=0 ! \
         video/x-h264,profile=high ! h264parse config-interval=-1 ! mpegtsmux ! filesink location=\"{out}\"",
        src = source.display(),
        look = variant.look.elements(enc),
        w = enc.width,
        h = enc.height,
        fps = enc.fps,
        kbps = (enc.width * enc.height * enc.fps / 4000).clamp(200, 8000),
        gop = enc.gop(),
        out = out.display(),
    );
    let pipeline = launch(&description, "encoding pipeline")?;
    run_to_eos(&pipeline, Some(u64::from(enc.seconds)))
}

/// A pipeline from its description.
fn launch(description: &str, what: &'static str) -> Result<gst::Pipeline, GstError> {
    gst::parse::launch(description)
        .map_err(|source| GstError::Launch { what, source })?
        .downcast::<gst::Pipeline>()
        .map_err(|_| GstError::NoElement {
            name: "top-level bin",
        })
}

/// Reads an MPEG-TS of H.264 into access units, without decoding.
fn load(file: &Path) -> Result<Vec<AccessUnit>, GstError> {
    let description = format!(
        "filesrc location=\"{}\" ! tsdemux ! h264parse config-interval=-1 ! \
         video/x-h264,stream-format=byte-stream,alignment=au ! appsink name=units sync=false",
        file.display()
    );
    let pipeline = launch(&description, "reading pipeline")?;
    let sink = pipeline
        .by_name("units")
        .and_then(|e| e.downcast::<gst_app::AppSink>().ok())
        .ok_or(GstError::NoElement { name: "appsink" })?;
    let units = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let collected = std::sync::Arc::clone(&units);
    sink.set_callbacks(
        gst_app::AppSinkCallbacks::builder()
            .new_sample(move |sink| {
                let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                if let Some(mut buffer) = sample.buffer_owned() {
                    let keyframe = !buffer.flags().contains(gst::BufferFlags::DELTA_UNIT);
                    // The server stamps frames when it sends them (`do-timestamp`);
                    // the file's own timestamps would make a viewer that starts
                    // mid-file wait for them.
                    let b = buffer.make_mut();
                    b.set_pts(gst::ClockTime::NONE);
                    b.set_dts(gst::ClockTime::NONE);
                    collected
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(AccessUnit { buffer, keyframe });
                }
                Ok(gst::FlowSuccess::Ok)
            })
            .build(),
    );
    run_to_eos(&pipeline, None)?;
    Ok(std::mem::take(
        &mut *units
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    ))
}

/// Plays a pipeline as fast as it goes until EOS (optionally stopping after
/// `seconds` of media), then sets it to Null.
fn run_to_eos(pipeline: &gst::Pipeline, seconds: Option<u64>) -> Result<(), GstError> {
    let result = (|| {
        pipeline.set_state(gst::State::Paused).map_err(|source| {
            GstError::posted_or(
                pipeline,
                GstError::State {
                    what: "pausing",
                    source,
                },
            )
        })?;
        // Wait for preroll so a stop position can be set.
        let _ = pipeline.state(gst::ClockTime::from_seconds(30));
        if let Some(secs) = seconds {
            pipeline
                .seek(
                    1.0,
                    gst::SeekFlags::FLUSH | gst::SeekFlags::ACCURATE,
                    gst::SeekType::Set,
                    gst::ClockTime::ZERO,
                    gst::SeekType::Set,
                    gst::ClockTime::from_seconds(secs),
                )
                .map_err(|source| GstError::Seek {
                    offset: std::time::Duration::from_secs(secs),
                    source,
                })?;
        }
        pipeline.set_state(gst::State::Playing).map_err(|source| {
            GstError::posted_or(
                pipeline,
                GstError::State {
                    what: "playing",
                    source,
                },
            )
        })?;
        until_eos(pipeline, 300, "playing to the end")
    })();
    let _ = pipeline.set_state(gst::State::Null);
    result
}
