//! What goes wrong building and running a GStreamer pipeline, keeping what
//! GStreamer said: the element's path in the pipeline and its own error
//! (`glib::Error`, `BoolError`, `PadLinkError`, `StateChangeError`). Text
//! is made only where it is shown (a camera's status, the log).

use std::path::PathBuf;

use gstreamer as gst;
use gstreamer::glib;
use gstreamer::prelude::*;

/// How long [`GstError::posted_or`] waits for the error that explains a
/// failure to arrive on the bus.
pub const POSTED_WAIT: gst::ClockTime = gst::ClockTime::from_mseconds(500);

/// A pipeline that could not be built or stopped running.
#[derive(Debug, thiserror::Error)]
pub enum GstError {
    /// An element's plugin is not installed.
    #[error("GStreamer element `{factory}` is not installed ({source})")]
    Missing {
        /// The element factory.
        factory: String,
        /// GStreamer's answer.
        #[source]
        source: glib::BoolError,
    },
    /// Adding, linking or configuring elements failed.
    #[error("{what}: {source}")]
    Graph {
        /// What was being done.
        what: &'static str,
        /// GStreamer's answer.
        #[source]
        source: glib::BoolError,
    },
    /// A pad would not link.
    #[error("{what}: {source}")]
    PadLink {
        /// What was being linked.
        what: &'static str,
        /// GStreamer's answer.
        #[source]
        source: gst::PadLinkError,
    },
    /// The pipeline refused to change state (and posted no error).
    #[error("{what}: {source}")]
    State {
        /// The state asked for.
        what: &'static str,
        /// GStreamer's answer.
        #[source]
        source: gst::StateChangeError,
    },
    /// An element posted an error on the bus.
    #[error("{element}: {source}{}", debug.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Posted {
        /// The element's path in the pipeline (`/GstPipeline:camera-a/GstRTSPSrc:rtspsrc0`).
        element: String,
        /// The error it posted.
        #[source]
        source: glib::Error,
        /// Its debug text, if any.
        debug: Option<String>,
    },
    /// A stream this build does not decode.
    #[error("unsupported video {kind} {name} (only H.264 and H.265 are decoded)")]
    Unsupported {
        /// `codec` or `format`.
        kind: &'static str,
        /// What the stream is.
        name: String,
    },
    /// No decoder for a codec is installed.
    #[error("no decoder for {codec} is installed (gstreamer1.0-libav)")]
    NoDecoder {
        /// The codec.
        codec: String,
    },
    /// A file the pipeline reads is not there.
    #[error("video file {} does not exist", path.display())]
    NoFile {
        /// The file.
        path: PathBuf,
    },
    /// An element has no pad where one must be.
    #[error("{element} has no {pad} pad")]
    NoPad {
        /// The element.
        element: String,
        /// The pad.
        pad: &'static str,
    },
    /// The pipeline has no bus to watch.
    #[error("the pipeline has no bus")]
    NoBus,
    /// The recorder is being stopped.
    #[error("the recorder is stopping")]
    RecorderStopping,
    /// A pipeline description that does not parse.
    #[error("{what}: {source}")]
    Launch {
        /// What was being built.
        what: &'static str,
        /// GStreamer's answer.
        #[source]
        source: glib::Error,
    },
    /// A seek was refused.
    #[error("cannot seek to {offset:?}: {source}")]
    Seek {
        /// Where to.
        offset: std::time::Duration,
        /// GStreamer's answer.
        #[source]
        source: glib::BoolError,
    },
    /// A sample that is not a video frame of the expected layout.
    #[error("{0}")]
    Sample(&'static str),
    /// A buffer was refused downstream.
    #[error("{what}: {source:?}")]
    Flow {
        /// What was being pushed.
        what: &'static str,
        /// GStreamer's answer.
        source: gst::FlowError,
    },
    /// A named element of a pipeline description is not there (or not of
    /// the expected kind).
    #[error("the pipeline has no {name}")]
    NoElement {
        /// The element looked for.
        name: &'static str,
    },
    /// Something GStreamer was asked to do did not happen in time.
    #[error("{what} did not finish within {secs} s")]
    Timeout {
        /// What was waited for.
        what: &'static str,
        /// How long.
        secs: u64,
    },
}

impl GstError {
    /// What an error message on the bus says, with the posting element's path.
    pub fn posted(message: &gst::message::Error) -> Self {
        Self::Posted {
            element: message.src().map_or_else(
                || "(unknown element)".to_owned(),
                |s| s.path_string().to_string(),
            ),
            source: message.error(),
            debug: message.debug().map(|d| d.to_string()),
        }
    }

    /// The first error posted on `pipeline`'s bus, else `fallback`. A
    /// state change that failed usually posted why, but a bin may report
    /// the failure a moment before it forwards the element's message to
    /// the pipeline's bus, so this waits up to [`POSTED_WAIT`] for it.
    pub fn posted_or(pipeline: &gst::Pipeline, fallback: Self) -> Self {
        pipeline
            .bus()
            .and_then(|bus| bus.timed_pop_filtered(POSTED_WAIT, &[gst::MessageType::Error]))
            .and_then(|m| match m.view() {
                gst::MessageView::Error(e) => Some(Self::posted(e)),
                _ => None,
            })
            .unwrap_or(fallback)
    }

    /// A `BoolError` while doing `what`.
    pub fn graph(what: &'static str) -> impl FnOnce(glib::BoolError) -> Self {
        move |source| Self::Graph { what, source }
    }
}

/// Waits up to `secs` for `pipeline` to reach its end: `Ok` on EOS, the
/// posted error on an error, [`GstError::Timeout`] naming `what` if neither
/// came.
pub fn until_eos(pipeline: &gst::Pipeline, secs: u64, what: &'static str) -> Result<(), GstError> {
    let bus = pipeline.bus().ok_or(GstError::NoBus)?;
    let msg = bus.timed_pop_filtered(
        gst::ClockTime::from_seconds(secs),
        &[gst::MessageType::Eos, gst::MessageType::Error],
    );
    match msg.as_ref().map(|m| m.view()) {
        Some(gst::MessageView::Eos(_)) => Ok(()),
        Some(gst::MessageView::Error(e)) => Err(GstError::posted(e)),
        _ => Err(GstError::Timeout { what, secs }),
    }
}

/// A recorded segment that cannot be played, and why.
#[derive(Debug, thiserror::Error)]
#[error("segment {}: {source}", path.display())]
pub struct SegmentError {
    /// The segment file.
    pub path: PathBuf,
    /// What GStreamer said.
    #[source]
    pub source: GstError,
}

/// Makes an element, naming the factory if its plugin is missing.
pub fn make(factory: &str) -> Result<gst::Element, GstError> {
    gst::ElementFactory::make(factory)
        .build()
        .map_err(|source| GstError::Missing {
            factory: factory.to_owned(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_element_is_named_and_keeps_gstreamers_error() {
        gst::init().expect("gstreamer");
        let e = make("no-such-element-xyz").expect_err("missing");
        assert!(
            e.to_string()
                .contains("`no-such-element-xyz` is not installed"),
            "{e}"
        );
        assert!(
            std::error::Error::source(&e).is_some(),
            "the BoolError is kept"
        );
    }

    #[test]
    fn a_posted_error_names_the_element_path() {
        gst::init().expect("gstreamer");
        let pipeline = gst::Pipeline::with_name("camera-x");
        let src = make("fakesrc").expect("fakesrc");
        pipeline.add(&src).expect("add");
        let msg = gst::message::Error::builder(gst::StreamError::Decode, "bad bytes")
            .src(&src)
            .debug("frame 7")
            .build();
        let gst::MessageView::Error(e) = msg.view() else {
            panic!("an error message");
        };
        let text = GstError::posted(e).to_string();
        assert!(text.contains("camera-x"), "{text}");
        assert!(text.contains("bad bytes (frame 7)"), "{text}");
    }
}
