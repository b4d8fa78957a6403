//! Place names and major-road names, from their zoom in, not overlapping
//! each other and never covering a live marker: a name that would lie over
//! a unit, drone, alert or checkpoint yields (it is not drawn), so nothing
//! live hides under a city's name.

use super::layer::{MapLayer, Scene};
use crate::modes::MapLayers;
use crate::theme;

/// The basemap's names, drawn last.
pub(crate) struct Names;

impl MapLayer for Names {
    fn shown(&self, _layers: MapLayers) -> bool {
        true
    }

    fn paint(&self, scene: &Scene<'_>, painter: &egui::Painter) {
        let (projector, rect) = (&scene.projector, scene.projector.rect());
        let mut taken = Occupied::default();
        for m in scene.markers {
            let at = projector.scene_to_screen(m.pos);
            if rect.contains(at) {
                // The marker's half size, and a little room around it.
                let side = 2.0 * m.heading_size[1] + 4.0;
                taken.add(egui::Rect::from_center_size(at, egui::vec2(side, side)));
            }
        }
        // Places first: they win the space.
        let ordered = scene
            .labels
            .iter()
            .filter(|l| l.place)
            .chain(scene.labels.iter().filter(|l| !l.place));
        for label in ordered.filter(|l| projector.zoom() >= l.min_zoom) {
            let at = projector.screen(label.lonlat);
            if !rect.shrink(20.0).contains(at) {
                continue;
            }
            let (size, color) = if label.place {
                (15.0, theme::TEXT)
            } else {
                (12.0, theme::TEXT_WEAK)
            };
            let galley =
                painter.layout_no_wrap(label.text.clone(), egui::FontId::proportional(size), color);
            let bounds = egui::Rect::from_center_size(at, galley.size()).expand(3.0);
            if taken.overlaps(bounds) {
                continue;
            }
            taken.add(bounds);
            // A dark halo keeps names readable over roads.
            painter.rect_filled(bounds, 3.0, egui::Color32::from_black_alpha(120));
            painter.galley(bounds.min + egui::vec2(3.0, 3.0), galley, color);
        }
    }
}

/// Screen rectangles already taken (markers, placed names), bucketed in
/// 64-pixel cells so thousands of markers cost little per name.
#[derive(Default)]
pub(crate) struct Occupied {
    cells: std::collections::HashMap<(i32, i32), Vec<egui::Rect>>,
}

impl Occupied {
    const CELL: f32 = 64.0;

    fn cells_of(r: egui::Rect) -> impl Iterator<Item = (i32, i32)> {
        let (x0, x1) = (
            (r.min.x / Self::CELL).floor() as i32,
            (r.max.x / Self::CELL).floor() as i32,
        );
        let (y0, y1) = (
            (r.min.y / Self::CELL).floor() as i32,
            (r.max.y / Self::CELL).floor() as i32,
        );
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    /// Marks `r` as taken.
    pub(crate) fn add(&mut self, r: egui::Rect) {
        for cell in Self::cells_of(r) {
            self.cells.entry(cell).or_default().push(r);
        }
    }

    /// Whether `r` overlaps anything taken.
    pub(crate) fn overlaps(&self, r: egui::Rect) -> bool {
        Self::cells_of(r).any(|cell| {
            self.cells
                .get(&cell)
                .is_some_and(|rs| rs.iter().any(|t| t.intersects(r)))
        })
    }
}
