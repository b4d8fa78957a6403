//! Object detection with ONNX Runtime, turned into alerts: the runtime
//! library, model descriptors, pre-processing, output decoders and NMS, the
//! motion gate and the scheduler sharing one detector among all cameras,
//! per-camera tracking and rules, ground homographies, snapshots, and the
//! `detector` service thread that ties them together.
//!
//! Privacy by design: generic object classes only, positions and sizes
//! only; no appearance features, no face pipeline, no re-identification.

pub mod config;
pub mod decode;
pub mod descriptor;
pub mod detector;
pub mod entry_problem;
pub mod homography;
pub mod model_problem;
pub mod motion;
pub mod nms;
pub mod outline;
pub mod preprocess;
pub mod privacy;
pub mod rules;
pub mod runtime;
pub mod scheduler;
pub mod service;
pub mod snapshot;
pub mod tracker;
pub mod types;

pub use runtime::{OnnxRuntime, locate_onnxruntime, onnx_runtime};
pub use types::{BBox, Detection};
