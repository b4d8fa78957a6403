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
    // Nothing drawn far from all three: the land colour.
    assert!(
        close(at([-300.0, -300.0]), style.background),
        "background: {:?}",
        at([-300.0, -300.0])
    );
    // North up: the road (south of centre) is below the middle of the image.
    assert!(camera.screen([0.0, -100.0])[1] > 150.0);
    assert_eq!(basemap_renders(&renderer), 1);

    // The same camera again: the cached basemap is reused, markers redrawn.
    let mut moved = (*markers).clone();
    moved[0].pos = [200.0, 100.0];
    let image = frame(&mut renderer, &ctx, camera, moved);
    assert_eq!(basemap_renders(&renderer), 1, "basemap cache reused");
    let pixel = |camera: &Camera, scene: [f32; 2]| {
        let p = camera.screen(scene);
        image
            .pixel(p[0].round() as u32, p[1].round() as u32)
            .expect("inside")
    };
    assert!(close(pixel(&camera, [197.0, 99.0]), [0, 158, 115, 255]));
    assert!(close(pixel(&camera, [-203.0, 99.0]), style.background));

    // A panned camera renders the basemap again: the road follows the camera.
    let mut panned = camera;
    panned.pan_pixels([0.0, 60.0]);
    let image = frame(&mut renderer, &ctx, panned, Vec::new());
    assert_eq!(
        basemap_renders(&renderer),
        2,
        "pan renders the basemap again"
    );
    let road = panned.screen([0.0, -100.0]);
    assert!((road[1] - camera.screen([0.0, -100.0])[1] - 60.0).abs() < 1.0);
    let p = image
        .pixel(road[0].round() as u32, road[1].round() as u32)
        .expect("inside");
    assert!(close(p, style.lines[LineClass::Primary as usize]), "{p:?}");
}

fn frame(
    renderer: &mut HeadlessRenderer,
    ctx: &egui::Context,
    camera: Camera,
    markers: Vec<Marker>,
) -> watchfloor_render::image::RgbaImage {
    let size = egui::vec2(camera.viewport[0], camera.viewport[1]);
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
        ..Default::default()
    };
    let markers = Arc::new(markers);
    let output = ctx.run_ui(input, |ui| {
        ui.painter()
            .add(map_callback(ui.max_rect(), camera, Arc::clone(&markers)));
    });
    renderer.render(ctx, output).expect("frame")
}

fn basemap_renders(renderer: &HeadlessRenderer) -> u64 {
    renderer
        .render_state()
        .renderer
        .read()
        .callback_resources
        .get::<watchfloor_render::map::MapGpu>()
        .expect("installed")
        .basemap_renders()
}
