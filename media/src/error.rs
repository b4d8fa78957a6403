//! The media crate's one error type. Every variant names its source.

use std::path::PathBuf;

/// What went wrong in media set-up, ingest or detection.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// GStreamer itself could not start.
    #[error("GStreamer could not initialise: {0}")]
    GstInit(String),

    /// A worker thread could not be started.
    #[error("could not start a thread: {0}")]
    Thread(String),

    /// The alert chime could not play.
    #[error("alert chime: {0}")]
    Chime(String),

    /// The camera simulator could not start.
    #[error("camera simulator: {0}")]
    Simulator(String),

    /// The ONNX Runtime shared library was not found anywhere we looked.
    #[error(
        "ONNX Runtime library not found (looked in: {}); run `scripts/setup.sh` or set ORT_DYLIB_PATH",
        .searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    OrtNotFound {
        /// Every place that was tried, in order.
        searched: Vec<PathBuf>,
    },

    /// The library was found but could not be loaded or initialised.
    #[error("ONNX Runtime at {path} could not be loaded: {reason}")]
    OrtLoad {
        /// The library file that was tried.
        path: PathBuf,
        /// What ONNX Runtime or the loader said.
        reason: String,
    },

    /// A detection model could not be opened or run.
    #[error("detection model {path}: {reason}")]
    Model {
        /// The model file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}
