//! The map: projection and camera, basemap tessellation, and the GPU
//! pipelines that draw the basemap and every marker inside an egui paint
//! callback (or offscreen, for benchmarks).

pub mod gpu;
pub mod loaded;
pub mod projection;
pub mod tessellate;

pub use gpu::{MapGpu, MapStyle, Marker, MarkerShape};
pub use loaded::{Label, LoadedMap};
pub use projection::{Camera, SceneFrame};
pub use tessellate::{FillClass, Geometry, LineClass, MapFeatures};
