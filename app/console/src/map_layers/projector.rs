//! From lon/lat to the map's scene (for GPU markers) and to screen pixels
//! (for egui outlines), one per frame.

use watchfloor_render::map::{Camera, SceneFrame};

/// The map's projection this frame.
#[derive(Clone, Copy)]
pub(crate) struct Projector<'a> {
    camera: Camera,
    frame: &'a SceneFrame,
    rect: egui::Rect,
}

impl<'a> Projector<'a> {
    /// The projection of `camera` over `frame`, drawn in `rect`.
    pub(crate) fn new(camera: Camera, frame: &'a SceneFrame, rect: egui::Rect) -> Self {
        Self {
            camera,
            frame,
            rect,
        }
    }

    /// A point's place in the map's scene (where GPU markers live).
    pub(crate) fn scene(&self, lonlat: [f64; 2]) -> [f32; 2] {
        self.frame.scene(lonlat)
    }

    /// A point on screen.
    pub(crate) fn screen(&self, lonlat: [f64; 2]) -> egui::Pos2 {
        self.scene_to_screen(self.frame.scene(lonlat))
    }

    /// A scene point on screen.
    pub(crate) fn scene_to_screen(&self, scene: [f32; 2]) -> egui::Pos2 {
        let p = self.camera.screen(scene);
        self.rect.min + egui::vec2(p[0], p[1])
    }

    /// The map's zoom (web-map levels).
    pub(crate) fn zoom(&self) -> f64 {
        self.camera.zoom
    }

    /// The map's rectangle on screen.
    pub(crate) fn rect(&self) -> egui::Rect {
        self.rect
    }
}
