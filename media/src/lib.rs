//! Media for the console: cameras in, frames and detections out.
//!
//! GStreamer does camera ingest, decode and recording; ONNX Runtime runs object
//! detection. This crate knows nothing of egui, wgpu or the map: it hands out
//! plain frames, counters and boxes, and `app` decides what to draw.

pub mod assets;
pub mod camera;
pub mod chime;
pub mod detect;
pub mod error;
pub mod export;
pub mod gst_error;
pub mod gst_probe;
pub mod health;
pub mod ingest;
pub mod mailbox;
pub mod playback;
pub mod readiness;
pub mod record;
pub mod sim;
pub mod stats;
pub mod view;

pub use error::MediaError;
