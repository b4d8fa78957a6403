//! What the map draws over the basemap, as small layer objects: each
//! [`MapLayer`] says whether the operator has it on, adds its GPU markers
//! (instanced, in the order of [`LAYERS`]) and paints its outlines and text
//! with egui, all through one [`Projector`] from lon/lat to the map's
//! pixels. The map panel only handles input and runs the list.

mod areas;
mod labels;
mod layer;
mod points;
mod projector;

#[cfg(test)]
use labels::Occupied;
pub(crate) use layer::{MapLayer, Scene};
pub(crate) use projector::Projector;

use watchfloor_render::map::Marker;

use crate::modes::MapLayers;

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

#[cfg(test)]
mod tests;
