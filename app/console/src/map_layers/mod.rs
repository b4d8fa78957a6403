//! What the map draws over the basemap, as small layer objects: each
//! [`MapLayer`] says whether the operator has it on, adds its GPU markers
//! (instanced, in the order of [`LAYERS`]) and paints its outlines and text
//! with egui, all through one [`Projector`] from lon/lat to the map's
//! pixels. The map panel only handles input and runs the list.

mod areas;
mod labels;
mod points;
mod projector;

#[cfg(test)]
use labels::Occupied;
pub(crate) use projector::Projector;

use watchfloor_layers::world::World;
use watchfloor_render::map::{Label, Marker};

use crate::frame::FrameCtx;
use crate::modes::MapLayers;

/// What a layer draws from: the world shown, the frame's prepared answers,
/// the clock, the projection, and (while painting) the markers already
/// placed and the basemap's names.
pub(crate) struct Scene<'a> {
    /// The world shown this frame.
    pub world: &'a World,
    /// The frame's prepared answers (reach, camera views).
    pub ctx: &'a FrameCtx<'a>,
    /// The instant shown, µs since the Unix epoch.
    pub now_us: i64,
    /// From lon/lat to the map's pixels.
    pub projector: Projector<'a>,
    /// Markers placed by every layer (empty while they are being placed).
    pub markers: &'a [Marker],
    /// Place and road names of the basemap.
    pub labels: &'a [Label],
}

/// One thing the map can show.
pub(crate) trait MapLayer: Sync {
    /// Whether the operator has it on.
    fn shown(&self, layers: MapLayers) -> bool;
    /// Adds its GPU markers.
    fn markers(&self, _scene: &Scene<'_>, _out: &mut Vec<Marker>) {}
    /// Paints its outlines and text over the map.
    fn paint(&self, _scene: &Scene<'_>, _painter: &egui::Painter) {}
}

/// Every layer, bottom first: markers are placed in this order (alerts
/// under units, drones on top) and outlines painted in it (names last, so
/// they can yield to every marker).
pub(crate) static LAYERS: [&dyn MapLayer; 10] = [
    &areas::Reach,
    &areas::Grid,
    &points::Checkpoints,
    &points::Alerts,
    &points::Units,
    &points::GroundDetections,
    &areas::CameraCones,
    &areas::Rings,
    &points::Drones,
    &labels::Names,
];

/// The markers of every layer that is on.
pub(crate) fn markers(scene: &Scene<'_>, layers: MapLayers) -> Vec<Marker> {
    let mut out = Vec::new();
    for layer in LAYERS.iter().filter(|l| l.shown(layers)) {
        layer.markers(scene, &mut out);
    }
    out
}

/// Paints every layer that is on.
pub(crate) fn paint(scene: &Scene<'_>, layers: MapLayers, painter: &egui::Painter) {
    for layer in LAYERS.iter().filter(|l| l.shown(layers)) {
        layer.paint(scene, painter);
    }
}

/// A colour as the GPU marker wants it.
fn rgba(c: egui::Color32) -> [u8; 4] {
    c.to_srgba_unmultiplied()
}

#[cfg(test)]
mod tests;
