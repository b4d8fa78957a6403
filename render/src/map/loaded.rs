//! A basemap as the console draws it once loaded: the scene frame its GPU
//! geometry is in, the attribution line, and the names to write on it.

use std::sync::Arc;

use super::SceneFrame;

/// A name to write on the map: where, what, and from which zoom.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Lon/lat anchor.
    pub lonlat: [f64; 2],
    /// The name.
    pub text: String,
    /// Shown from this zoom in.
    pub min_zoom: f64,
    /// A district or town (larger type) rather than a road.
    pub place: bool,
}

/// What the loader hands the console: the scene frame, the attribution
/// line, and the labels.
#[derive(Debug, Clone)]
pub struct LoadedMap {
    /// Scene frame of the GPU geometry.
    pub frame: SceneFrame,
    /// Attribution to show.
    pub attribution: String,
    /// Place and major-road names.
    pub labels: Arc<Vec<Label>>,
}
