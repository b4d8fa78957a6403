//! The layer list on a small world: each layer honours its toggle, markers
//! come in the documented order, and names yield to markers when painted.

use watchfloor_layers::AlertSeverity;
use watchfloor_layers::event::{Envelope, Event, Origin, UnitReport};
use watchfloor_layers::model::{AlertSource, UnitKind};
use watchfloor_render::map::{Camera, Label, MarkerShape, SceneFrame};

use super::*;
use crate::frame::FrameCtx;
use watchfloor_layers::world::World;

const ORIGIN: [f64; 2] = [71.4304, 51.1283];

/// A unit at the origin and an alert 200 m east of it.
fn world() -> World {
    let mut world = World::new(ORIGIN);
    let metric = *world.frame();
    let event = |event| Envelope {
        at: 0,
        origin: Origin::System,
        event,
    };
    world.apply(&event(Event::UnitReported(UnitReport {
        id: "car-1".into(),
        callsign: None,
        kind: UnitKind::Car,
        lonlat: ORIGIN,
        ce_m: 5.0,
        heading_deg: None,
        speed_mps: None,
        stale_at: i64::MAX,
    })));
    world.apply(&event(Event::AlertRaised {
        id: "a-1".into(),
        source: AlertSource::Alarm {
            site: "cp-01".into(),
        },
        severity: AlertSeverity::High,
        title: "alarm".into(),
        lonlat: metric.lonlat([200.0, 0.0]),
    }));
    world
}

fn camera(frame: &SceneFrame) -> Camera {
    Camera {
        centre: frame.scene(ORIGIN),
        zoom: 16.0,
        rotation: 0.0,
        viewport: [800.0, 600.0],
    }
}

/// Every layer on (the grid too, which is off by default).
fn all_on() -> MapLayers {
    MapLayers {
        grid: true,
        ..MapLayers::default()
    }
}

#[test]
fn markers_follow_the_toggles_and_the_layer_order() {
    let (world, frame) = (world(), SceneFrame::new(ORIGIN));
    let ctx = FrameCtx::nothing();
    let rect = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(800.0, 600.0));
    let scene = Scene {
        world: &world,
        ctx: &ctx,
        now_us: 0,
        projector: Projector::new(camera(&frame), &frame, rect),
        markers: &[],
        labels: &[],
    };
    let shapes = |layers| -> Vec<u32> { markers(&scene, layers).iter().map(|m| m.shape).collect() };
    assert_eq!(
        shapes(all_on()),
        [MarkerShape::Alert as u32, MarkerShape::Unit as u32],
        "alerts under units"
    );
    let no_units = MapLayers {
        units: false,
        ..all_on()
    };
    assert_eq!(shapes(no_units), [MarkerShape::Alert as u32]);
    let none = MapLayers {
        units: false,
        alerts: false,
        ..all_on()
    };
    assert!(shapes(none).is_empty());
    // The unit's marker is where the projector puts the unit.
    let unit = markers(&scene, all_on())[1];
    let at = scene.projector.scene_to_screen(unit.pos);
    assert!((at - egui::pos2(400.0, 300.0)).length() < 1.0, "{at:?}");
}

/// A drone under a city's name was invisible: painted through the layer
/// list, a name over a marker is not drawn; the same name clear of every
/// marker is.
#[test]
fn names_yield_to_markers_when_painted() {
    let (world, frame) = (world(), SceneFrame::new(ORIGIN));
    let ctx = FrameCtx::nothing();
    let rect = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(800.0, 600.0));
    let projector = Projector::new(camera(&frame), &frame, rect);
    let metric = *world.frame();
    let name = |lonlat| Label {
        lonlat,
        text: "Esil".into(),
        min_zoom: 10.0,
        place: true,
    };
    let painted_names = |labels: &[Label]| {
        let placed = {
            let scene = Scene {
                world: &world,
                ctx: &ctx,
                now_us: 0,
                projector,
                markers: &[],
                labels: &[],
            };
            markers(&scene, all_on())
        };
        let scene = Scene {
            world: &world,
            ctx: &ctx,
            now_us: 0,
            projector,
            markers: &placed,
            labels,
        };
        let egui_ctx = egui::Context::default();
        let mut output = egui_ctx.run_ui(egui::RawInput::default(), |ui| {
            let painter = ui.ctx().layer_painter(egui::LayerId::background());
            paint(&scene, all_on(), &painter);
        });
        output.textures_delta.clear();
        output
            .shapes
            .iter()
            .filter(|s| matches!(s.shape, egui::epaint::Shape::Text(_)))
            .count()
    };
    assert_eq!(painted_names(&[name(ORIGIN)]), 0, "over the unit: yields");
    assert_eq!(
        painted_names(&[name(metric.lonlat([0.0, 250.0]))]),
        1,
        "clear of every marker: drawn"
    );
}

#[test]
fn taken_space_is_found_across_cells_and_names_avoid_each_other() {
    let mut taken = Occupied::default();
    let drone = egui::Rect::from_center_size(egui::pos2(300.0, 200.0), egui::vec2(22.0, 22.0));
    taken.add(drone);
    let city = egui::Rect::from_center_size(egui::pos2(310.0, 202.0), egui::vec2(80.0, 24.0));
    assert!(taken.overlaps(city), "the city name would cover the drone");
    let elsewhere = egui::Rect::from_center_size(egui::pos2(600.0, 400.0), egui::vec2(80.0, 24.0));
    assert!(!taken.overlaps(elsewhere));
    taken.add(elsewhere);
    let next_to = elsewhere.translate(egui::vec2(40.0, 0.0));
    assert!(taken.overlaps(next_to), "labels do not overlap each other");
    // Across cell borders and at negative coordinates too.
    let edge = egui::Rect::from_min_max(egui::pos2(-70.0, 60.0), egui::pos2(-60.0, 70.0));
    taken.add(edge);
    assert!(taken.overlaps(edge.translate(egui::vec2(5.0, 5.0))));
}
