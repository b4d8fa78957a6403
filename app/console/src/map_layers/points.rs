//! Layers of things with a position: checkpoints, open alerts, units (and
//! their trails), objects cameras see on the ground, drones (and their
//! camera footprints).

use watchfloor_layers::AlertState;
use watchfloor_layers::model::CheckpointStatus;
use watchfloor_render::map::{Marker, MarkerShape};

use super::layer::{MapLayer, Scene, rgba};
use crate::modes::MapLayers;
use crate::theme;

/// Checkpoints; red while in alarm.
pub(crate) struct Checkpoints;

impl MapLayer for Checkpoints {
    fn shown(&self, layers: MapLayers) -> bool {
        layers.sites
    }

    fn markers(&self, scene: &Scene<'_>, out: &mut Vec<Marker>) {
        for c in scene.world.state().checkpoints.values() {
            let look = if c.status == CheckpointStatus::Alarm {
                theme::palette::VERMILLION
            } else {
                theme::palette::SKY_BLUE
            };
            out.push(Marker {
                pos: scene.projector.scene(c.lonlat),
                heading_size: [0.0, 7.0],
                color: rgba(look),
                shape: MarkerShape::Site as u32,
            });
        }
    }
}

/// Open alerts by severity; new ones pulse until acknowledged.
pub(crate) struct Alerts;

impl MapLayer for Alerts {
    fn shown(&self, layers: MapLayers) -> bool {
        layers.alerts
    }

    fn markers(&self, scene: &Scene<'_>, out: &mut Vec<Marker>) {
        let pulse = (scene.now_us as f64 / 1e6 * std::f64::consts::TAU * 0.8).sin() as f32;
        for a in scene
            .world
            .state()
            .alerts
            .values()
            .filter(|a| a.state.is_open())
        {
            let size = if a.state == AlertState::New {
                12.0 + 3.0 * pulse
            } else {
                12.0
            };
            out.push(Marker {
                pos: scene.projector.scene(a.lonlat),
                heading_size: [0.0, size],
                color: rgba(theme::severity_look(a.severity).color),
                shape: MarkerShape::Alert as u32,
            });
        }
    }
}

/// Patrol units by status (grey once stale), with fading trails.
pub(crate) struct Units;

/// Trail segments drawn at most.
const MAX_TRAIL_SEGMENTS: usize = 6000;
/// Trail segments shorter than this (pixels) are not drawn: in a
/// zoomed-out city a trail would be a smudge under its marker.
const MIN_TRAIL_PIXELS: f32 = 1.5;

impl MapLayer for Units {
    fn shown(&self, layers: MapLayers) -> bool {
        layers.units
    }

    fn markers(&self, scene: &Scene<'_>, out: &mut Vec<Marker>) {
        for u in scene.world.state().units.values() {
            let c = if u.is_stale(scene.now_us) {
                theme::palette::GREY
            } else {
                theme::unit_look(u.status).color
            };
            out.push(Marker {
                pos: scene.projector.scene(u.lonlat),
                heading_size: [u.heading_deg.unwrap_or(0.0).to_radians() as f32, 8.0],
                color: rgba(c),
                shape: MarkerShape::Unit as u32,
            });
        }
    }

    /// Most recent brightest; off-screen segments are skipped.
    fn paint(&self, scene: &Scene<'_>, painter: &egui::Painter) {
        let clip = painter.clip_rect();
        let mut drawn = 0;
        for unit in scene.world.state().units.values() {
            let color = theme::unit_look(unit.status).color;
            let n = unit.trail.len();
            let points: Vec<egui::Pos2> = unit
                .trail
                .iter()
                .map(|p| scene.projector.screen(p.lonlat))
                .collect();
            for (i, pair) in points.windows(2).enumerate() {
                if drawn >= MAX_TRAIL_SEGMENTS {
                    return;
                }
                let visible = clip.contains(pair[0]) || clip.contains(pair[1]);
                if !visible || pair[0].distance(pair[1]) < MIN_TRAIL_PIXELS {
                    continue;
                }
                let alpha = (i + 1) as f32 / n as f32;
                painter.line_segment(
                    [pair[0], pair[1]],
                    egui::Stroke::new(2.0, color.gamma_multiply(0.6 * alpha)),
                );
                drawn += 1;
            }
        }
    }
}

/// Objects tracked by cameras with a ground homography, where they stand
/// (shown with the cameras layer).
pub(crate) struct GroundDetections;

impl MapLayer for GroundDetections {
    fn shown(&self, layers: MapLayers) -> bool {
        layers.cameras
    }

    fn markers(&self, scene: &Scene<'_>, out: &mut Vec<Marker>) {
        let boxes = scene
            .ctx
            .cameras
            .iter()
            .flat_map(|view| view.detections.iter().flat_map(|d| &d.boxes));
        for b in boxes {
            if let Some(ground) = b.ground {
                let c = if b.class == "person" {
                    theme::palette::ORANGE
                } else {
                    theme::palette::SKY_BLUE
                };
                out.push(Marker {
                    pos: scene.projector.scene(ground),
                    heading_size: [0.0, 4.0],
                    color: rgba(c),
                    shape: MarkerShape::Unit as u32,
                });
            }
        }
    }
}

/// Drones (grey once the link is lost) and their camera footprints.
pub(crate) struct Drones;

/// How far a drone's footprint reaches at most, metres.
const FOOTPRINT_MAX_M: f64 = 1500.0;

impl MapLayer for Drones {
    fn shown(&self, layers: MapLayers) -> bool {
        layers.drones
    }

    fn markers(&self, scene: &Scene<'_>, out: &mut Vec<Marker>) {
        for d in scene.world.state().drones.values() {
            if let Some(p) = d.lonlat {
                let c = if d.is_link_lost(scene.now_us) {
                    theme::palette::GREY
                } else {
                    theme::palette::YELLOW
                };
                out.push(Marker {
                    pos: scene.projector.scene(p),
                    heading_size: [d.heading_deg.to_radians() as f32, 11.0],
                    color: rgba(c),
                    shape: MarkerShape::Drone as u32,
                });
            }
        }
    }

    fn paint(&self, scene: &Scene<'_>, painter: &egui::Painter) {
        for drone in scene.world.state().drones.values() {
            if let Some(corners) = drone.footprint(scene.world.frame(), FOOTPRINT_MAX_M) {
                let points = corners.iter().map(|&p| scene.projector.screen(p)).collect();
                painter.add(egui::Shape::convex_polygon(
                    points,
                    theme::palette::YELLOW.gamma_multiply(0.12),
                    egui::Stroke::new(1.0, theme::palette::YELLOW.gamma_multiply(0.6)),
                ));
            }
        }
    }
}
