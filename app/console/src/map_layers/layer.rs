//! The layer contract: what a layer draws from ([`Scene`]) and what it
//! does with it ([`MapLayer`]).

use watchfloor_layers::world::World;
use watchfloor_render::map::{Label, Marker};

use super::projector::Projector;
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

/// A colour as the GPU marker wants it.
pub(super) fn rgba(c: egui::Color32) -> [u8; 4] {
    c.to_srgba_unmultiplied()
}
