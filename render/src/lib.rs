//! Watchfloor's renderer, on wgpu.
//!
//! Today: drawing the console's egui frames without a window (for
//! `--screenshot`, tests and benchmarks) and describing the GPU adapter in use.
//! Planned: the map (basemap meshes, instanced markers, overlays) and video
//! tiles (planar YUV textures converted in a shader), behind one egui-wgpu
//! paint callback. This crate knows nothing of GStreamer, sled or sockets: it
//! takes plain data.

pub mod adapter;
pub mod error;
pub mod headless;
pub mod image;
pub mod video;

pub use adapter::AdapterSummary;
pub use error::RenderError;
pub use headless::HeadlessRenderer;
pub use image::RgbaImage;
