//! The map pipelines on the real adapter (lavapipe on CI): a road, a
//! building and a unit marker drawn through the same egui paint callback
//! the console uses, read back and found in their colours at the places the
//! camera puts them.

use std::sync::Arc;

use watchfloor_render::HeadlessRenderer;
use watchfloor_render::map::gpu::{install, map_callback};
use watchfloor_render::map::tessellate::tessellate;
use watchfloor_render::map::{
    Camera, FillClass, LineClass, MapFeatures, MapStyle, Marker, MarkerShape,
};

fn close(a: [u8; 4], b: [u8; 4]) -> bool {
    a.iter().zip(b).take(3).all(|(x, y)| x.abs_diff(y) <= 6)
}

#[test]
fn roads_buildings_and_markers_land_where_the_camera_puts_them() {
    let mut renderer = HeadlessRenderer::new().expect("an adapter (lavapipe on CI)");
    let style = MapStyle::default();
    let features = MapFeatures {
        fills: vec![(
            FillClass::Building,
            vec![vec![
                [50.0, 50.0],
                [150.0, 50.0],
                [150.0, 150.0],
                [50.0, 150.0],
            ]],
        )],
        lines: vec![(LineClass::Primary, vec![[-500.0, -100.0], [500.0, -100.0]])],
    };
    install(renderer.render_state(), &tessellate(&features), &style);
    let size = egui::vec2(400.0, 300.0);
    let camera = Camera {
        centre: [0.0, 0.0],
        zoom: 16.0,
        rotation: 0.0,
        viewport: [size.x, size.y],
    };
    let markers = Arc::new(vec![Marker {
        pos: [-200.0, 100.0],
        heading_size: [0.0, 10.0],
        color: [0, 158, 115, 255],
        shape: MarkerShape::Unit as u32,
    }]);
    let ctx = egui::Context::default();
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
        ..Default::default()
    };
    let output = ctx.run_ui(input, |ui| {
        ui.painter()
            .add(map_callback(ui.max_rect(), camera, Arc::clone(&markers)));
    });
    let image = renderer.render(&ctx, output).expect("frame");
    let at = |scene: [f32; 2]| {
        let p = camera.screen(scene);
        image
            .pixel(p[0].round() as u32, p[1].round() as u32)
            .expect("inside")
    };
    // Zoom 16 ≥ the buildings' fade-in and the primary road's minimum zoom.
    assert!(
        close(at([0.0, -100.0]), style.lines[LineClass::Primary as usize]),
        "road: {:?}",
        at([0.0, -100.0])
    );
    assert!(
        close(
            at([100.0, 100.0]),
            style.fills[FillClass::Building as usize]
        ),
        "building: {:?}",
        at([100.0, 100.0])
    );
    // The unit's body (left of its heading tick) in its colour.
    assert!(
        close(at([-203.0, 99.0]), [0, 158, 115, 255]),
        "marker: {:?}",
        at([-203.0, 99.0])
    );
    // Nothing drawn far from all three.
    assert!(
        close(at([-300.0, -300.0]), [0, 0, 0, 255]),
        "background: {:?}",
        at([-300.0, -300.0])
    );
    // North up: the road (south of centre) is below the middle of the image.
    assert!(camera.screen([0.0, -100.0])[1] > 150.0);
}
