//! The media crate's one error type. Every variant names its source.

use std::path::PathBuf;

/// What went wrong in media set-up, ingest or detection.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// GStreamer itself could not start.
    #[error("GStreamer could not initialise: {0}")]
    GstInit(#[source] gstreamer::glib::Error),

    /// A worker thread could not be started.
    #[error("could not start thread `{name}`: {source}")]
    Thread {
        /// The thread's name.
        name: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },

    /// The alert chime could not play.
    #[error("alert chime: {0}")]
    Chime(#[source] crate::gst_error::GstError),

    /// The camera simulator's assets folder is not where it was looked for.
    #[error(
        "camera simulator: assets folder not found (tried {}); set WATCHFLOOR_ASSETS",
        .tried.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    NoAssets {
        /// Every folder tried.
        tried: Vec<PathBuf>,
    },

    /// The camera simulator's RTSP server could not serve.
    #[error("camera simulator: {what} on 127.0.0.1:{port}")]
    Serve {
        /// What failed.
        what: &'static str,
        /// The port asked for (0: any).
        port: u16,
    },

    /// The camera simulator's footage could not be prepared.
    #[error("camera simulator: {0}")]
    Footage(#[source] Box<crate::sim::footage::FootageError>),

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
    #[error("ONNX Runtime at {path} could not be loaded: {source}")]
    OrtLoad {
        /// The library file that was tried.
        path: PathBuf,
        /// What the loader said.
        #[source]
        source: ort::LoadDynamicError,
    },

    /// The library loaded but its environment would not start.
    #[error("ONNX Runtime at {path} could not be initialised: {source}")]
    OrtInit {
        /// The library file.
        path: PathBuf,
        /// What ONNX Runtime said.
        #[source]
        source: ort::Error,
    },

    /// A detection model could not be opened or run.
    #[error("detection model {}: {problem}", path.display())]
    Model {
        /// The model file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        problem: crate::detect::model_problem::ModelProblem,
    },

    /// A model descriptor could not be used.
    #[error(transparent)]
    Descriptor(Box<crate::detect::descriptor::DescriptorError>),
}

/// A file or folder that could not be read or written, and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct FileError {
    /// The file or folder.
    pub path: PathBuf,
    /// What the system said.
    #[source]
    pub source: std::io::Error,
}

impl From<crate::sim::footage::FootageError> for MediaError {
    fn from(e: crate::sim::footage::FootageError) -> Self {
        Self::Footage(Box::new(e))
    }
}

impl From<crate::detect::descriptor::DescriptorError> for MediaError {
    fn from(e: crate::detect::descriptor::DescriptorError) -> Self {
        Self::Descriptor(Box::new(e))
    }
}

impl MediaError {
    /// A maker for `map_err` on `thread::Builder::spawn`.
    pub fn thread(name: &str) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::Thread {
            name: name.to_owned(),
            source,
        }
    }
}

impl FileError {
    /// A maker for `map_err`: `fs::read(&p).map_err(FileError::at(&p))`.
    pub fn at(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self {
            path: path.to_path_buf(),
            source,
        }
    }
}
