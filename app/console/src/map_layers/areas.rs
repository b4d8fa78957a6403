//! Layers of areas and outlines: the 1-3-5-minute reach around an alert,
//! grid cells with their counts, camera view cones, control rings.

use watchfloor_layers::model::RingLevel;

use super::layer::{MapLayer, Scene};
use crate::modes::MapLayers;
use crate::theme;

/// The travel-time bands prepared for one alert (outermost drawn first).
pub(crate) struct Reach;

impl MapLayer for Reach {
    fn shown(&self, layers: MapLayers) -> bool {
        layers.reach
    }

    fn paint(&self, scene: &Scene<'_>, painter: &egui::Painter) {
        let Some((_, reach)) = scene.ctx.reach else {
            return;
        };
        let colours = [
            theme::palette::BLUISH_GREEN,
            theme::palette::YELLOW,
            theme::palette::ORANGE,
        ];
        for (band, colour) in reach.iter().zip(colours).rev() {
            if let Some(area) = &band.area {
                let points = area
                    .exterior()
                    .points()
                    .map(|p| scene.projector.screen([p.x(), p.y()]))
                    .collect();
                painter.add(egui::Shape::closed_line(
                    points,
                    egui::Stroke::new(2.5, colour),
                ));
            }
        }
    }
}

/// Grid cells; zoomed in, each with its units (available/all) and open
/// alerts.
pub(crate) struct Grid;

/// From this zoom on, cells show their counts.
const GRID_COUNTS_ZOOM: f64 = 13.5;

impl MapLayer for Grid {
    fn shown(&self, layers: MapLayers) -> bool {
        layers.grid
    }

    fn paint(&self, scene: &Scene<'_>, painter: &egui::Painter) {
        let (world, projector) = (scene.world, &scene.projector);
        let stroke = egui::Stroke::new(1.0, theme::TEXT_WEAK.gamma_multiply(0.35));
        for cell in world.state().grid.values() {
            let points = cell.polygon.iter().map(|&p| projector.screen(p)).collect();
            painter.add(egui::Shape::closed_line(points, stroke));
        }
        if projector.zoom() < GRID_COUNTS_ZOOM {
            return;
        }
        for count in world
            .grid_counts()
            .iter()
            .filter(|c| c.units + c.open_alerts > 0)
        {
            if let Some(cell) = world.state().grid.get(&count.cell) {
                let n = cell.polygon.len().max(1) as f64;
                let centre = cell
                    .polygon
                    .iter()
                    .fold([0.0, 0.0], |a, p| [a[0] + p[0] / n, a[1] + p[1] / n]);
                painter.text(
                    projector.screen(centre),
                    egui::Align2::CENTER_CENTER,
                    format!(
                        "{} · {}/{} · {}",
                        count.cell, count.available, count.units, count.open_alerts
                    ),
                    egui::FontId::monospace(11.0),
                    theme::TEXT_WEAK,
                );
            }
        }
    }
}

/// What each site camera sees: a cone of its heading, field of view and
/// range.
pub(crate) struct CameraCones;

/// Edges of the cone's arc.
const CONE_STEPS: u32 = 6;

impl MapLayer for CameraCones {
    fn shown(&self, layers: MapLayers) -> bool {
        layers.cameras
    }

    fn paint(&self, scene: &Scene<'_>, painter: &egui::Painter) {
        let frame = scene.world.frame();
        for site in scene.world.state().cameras.values() {
            let half = site.fov_deg / 2.0;
            let mut points = vec![scene.projector.screen(site.lonlat)];
            for step in 0..=CONE_STEPS {
                let bearing = site.heading_deg - half
                    + site.fov_deg * f64::from(step) / f64::from(CONE_STEPS);
                points.push(scene.projector.screen(frame.offset(
                    site.lonlat,
                    bearing,
                    site.range_m,
                )));
            }
            painter.add(egui::Shape::convex_polygon(
                points,
                theme::palette::SKY_BLUE.gamma_multiply(0.15),
                egui::Stroke::new(1.0, theme::palette::SKY_BLUE.gamma_multiply(0.5)),
            ));
        }
    }
}

/// Control rings, dashed, coloured by level.
pub(crate) struct Rings;

impl MapLayer for Rings {
    fn shown(&self, layers: MapLayers) -> bool {
        layers.rings
    }

    fn paint(&self, scene: &Scene<'_>, painter: &egui::Painter) {
        for ring in scene.world.state().rings.values() {
            let colour = match ring.level {
                RingLevel::Outer => theme::palette::SKY_BLUE,
                RingLevel::Inner => theme::palette::BLUISH_GREEN,
                RingLevel::Emergency => theme::palette::VERMILLION,
            };
            let mut points: Vec<egui::Pos2> = ring
                .polygon
                .iter()
                .map(|&p| scene.projector.screen(p))
                .collect();
            if let Some(&first) = points.first() {
                points.push(first);
            }
            painter.add(egui::Shape::dashed_line(
                &points,
                egui::Stroke::new(2.0, colour.gamma_multiply(0.8)),
                10.0,
                6.0,
            ));
        }
    }
}
