//! Watchfloor's renderer, on wgpu.
//!
//! Drawing the console's egui frames without a window (for `--screenshot`,
//! tests and benchmarks), the map (basemap meshes, pixel-width roads,
//! instanced markers) and video tiles (planar YUV converted in a shader),
//! each behind an egui-wgpu paint callback. This crate knows nothing of GStreamer, sled or sockets: it
//! takes plain data.

pub mod adapter;
pub mod error;
pub mod headless;
pub mod image;
pub mod map;
pub mod video;

pub use adapter::AdapterSummary;
pub use egui_wgpu::RenderState;
pub use error::RenderError;
pub use headless::{FrameTiming, HeadlessRenderer};
pub use image::RgbaImage;
