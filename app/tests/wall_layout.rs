//! The video wall as an operator arranges it: layouts from 1 to 6×6, a
//! camera dragged from the cameras list onto a tile, a tile enlarged by
//! double-click. Real (test-pattern) GStreamer cameras; rendered with
//! `egui_kittest` on the real wgpu adapter.

use std::time::Duration;

use egui::{PointerButton, Pos2, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use watchfloor_app::compose::Station;
use watchfloor_app::console::modes::Role as OperatorRole;
use watchfloor_app::console::{ConsoleOptions, theme};
use watchfloor_app::i18n::Lang;
use watchfloor_media::camera::{Camera, CameraId, Source};
use watchfloor_media::ingest::{CameraIngest, IngestOptions};
use watchfloor_runtime::camera_set::Cameras;

fn test_camera(id: &str, pattern: &str) -> CameraIngest {
    let camera = Camera {
        id: CameraId::new(id),
        name: format!("Camera {id}"),
        source: Source::TestPattern {
            pattern: pattern.into(),
        },
        sub_source: None,
        lonlat: None,
        heading_deg: None,
        fov_deg: None,
        note: None,
    };
    CameraIngest::start(camera, IngestOptions::default(), 0, None, None).expect("ingest starts")
}

fn click(harness: &mut Harness<'_, Station>, pos: Pos2) {
    harness.hover_at(pos);
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    }
}

#[test]
fn layouts_drag_to_tile_and_double_click_enlarge() {
    let mut cameras = Cameras::default();
    cameras.add(
        vec![test_camera("a", "smpte"), test_camera("b", "ball")],
        Vec::new(),
    );
    cameras.wait_for_frames(Duration::from_secs(30));
    let mut console = Station::of(&ConsoleOptions {
        lang: Lang::En,
        role: Some(OperatorRole::Dispatcher),
        ..ConsoleOptions::default()
    });
    console.attach_cameras(cameras);
    let mut harness = Harness::builder()
        .with_size([1920.0, 1080.0])
        // Steps of 1/60 s, so two clicks make a double-click.
        .with_step_dt(1.0 / 60.0)
        .wgpu()
        .with_context_setup(theme::apply)
        .build_ui_state(|ui, console: &mut Station| console.ui(ui), console);
    harness.run_steps(4);
    assert_eq!(harness.state().console().wall().side, 2, "2×2 by default");
    assert_eq!(harness.state().console().wall().camera_of(1, 2), Some(1));

    // Layouts: one click each.
    harness.get_by_label("3×3").click();
    harness.run_steps(2);
    assert_eq!(harness.state().console().wall().visible_tiles().len(), 9);
    harness.get_by_label("1").click();
    harness.run_steps(2);
    assert_eq!(harness.state().console().wall().visible_tiles(), [0]);
    harness.get_by_label("2×2").click();
    harness.run_steps(2);
    // A tour pages through the cameras; clicking again stops it.
    harness.get_by_label("Tour").click();
    harness.run_steps(2);
    assert!(harness.state().console().wall().tour.is_some());
    harness.get_by_label("Tour").click();
    harness.run_steps(2);
    assert!(harness.state().console().wall().tour.is_none());

    // Drag camera "b" from the cameras list onto the first tile.
    harness.get_by_label("Cameras").click();
    harness.run_steps(2);
    let source = harness.get_by_label("Camera b").rect().center();
    let wall = harness
        .get_by_role_and_label(Role::Region, "Video wall")
        .rect();
    let first_tile = wall.left_top() + egui::vec2(60.0, 100.0);
    harness.drag_at(source);
    harness.step();
    for i in 1..=10 {
        let t = i as f32 / 10.0;
        harness.hover_at(source + (first_tile - source) * t);
        harness.step();
    }
    harness.drop_at(first_tile);
    harness.run_steps(2);
    assert_eq!(
        harness.state().console().wall().camera_of(0, 2),
        Some(1),
        "camera b placed on tile 0: {:?}",
        harness.state().console().wall()
    );

    // Double-click enlarges the tile; again goes back to the layout.
    click(&mut harness, first_tile);
    click(&mut harness, first_tile);
    harness.run_steps(2);
    assert_eq!(harness.state().console().wall().enlarged, Some(0));
    assert_eq!(harness.state().console().wall().visible_tiles(), [0]);
    // Half a second later (not a triple-click), double-click again.
    harness.run_steps(30);
    click(&mut harness, first_tile);
    click(&mut harness, first_tile);
    harness.run_steps(2);
    assert_eq!(harness.state().console().wall().enlarged, None);
    let image = harness.render().expect("render");
    image
        .save(concat!(env!("CARGO_TARGET_TMPDIR"), "/wall-layout.png"))
        .expect("save");
}
