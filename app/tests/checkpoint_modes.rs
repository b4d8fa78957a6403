//! The supervisor's checkpoint view, what each role may do, and operating
//! modes kept across a restart, on the Astana demo site with a live world
//! and a real (test-pattern) GStreamer camera; plus a snapshot of each
//! panel (wall, alert queue, overview, checkpoint view) rendered with
//! `egui_kittest` on the real wgpu adapter and compared with the committed
//! images in `tests/snapshots` (`UPDATE_SNAPSHOTS=1` rewrites them).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::kittest::{NodeT as _, Queryable};
use egui_kittest::{Harness, SnapshotOptions};
use watchfloor_app::compose::Station;
use watchfloor_app::console::area::Area;
use watchfloor_app::console::modes::{Mode, Role};
use watchfloor_app::console::{Console, ConsoleOptions, FrameCtx, ListTab, theme};
use watchfloor_app::i18n::Lang;
use watchfloor_layers::AlertState;
use watchfloor_layers::audit::AuditAction;
use watchfloor_layers::event::{Event, UnitReport};
use watchfloor_layers::frame::LocalFrame;
use watchfloor_layers::model::UnitKind;
use watchfloor_layers::world::World;
use watchfloor_media::camera::{Camera, CameraId, Source};
use watchfloor_media::ingest::{CameraIngest, IngestOptions};
use watchfloor_runtime::camera_set::Cameras;
use watchfloor_runtime::feeds::FeedPorts;
use watchfloor_runtime::world::{LiveWorld, WorldOptions};

fn assets() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets")
}

fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The Astana site with no feeds and no journal; a foot officer 40 m from
/// checkpoint cp-02, a car 2 km away, and cp-02's alarm pressed.
fn astana_world() -> LiveWorld {
    let live = LiveWorld::start(
        WorldOptions {
            site: Some(assets().join("site/astana/site.toml")),
            basemap: None,
            journal: None,
            recordings: std::env::temp_dir().join("watchfloor-unused-recordings"),
            ports: FeedPorts {
                cot_udp: None,
                cot_tcp: None,
                sa_multicast: None,
                mavlink_udp: None,
            },
            drone_keys: None,
            simulate: false,
        },
        || {},
    )
    .expect("starts");
    wait_until("the site", || live.world().state().checkpoints.len() == 12);
    let cp = live.world().state().checkpoints["cp-02"].lonlat;
    let frame = LocalFrame::new(cp);
    let unit = |id: &str, callsign: &str, kind, east: f64| {
        Event::UnitReported(UnitReport {
            id: id.into(),
            callsign: Some(callsign.into()),
            kind,
            lonlat: frame.lonlat([east, 0.0]),
            ce_m: 5.0,
            heading_deg: None,
            speed_mps: Some(0.0),
            stale_at: i64::MAX,
        })
    };
    for event in [
        unit("post-1", "F-77", UnitKind::Foot, 40.0),
        unit("car-1", "P-12", UnitKind::Car, 2000.0),
        Event::AlarmPressed {
            site: "cp-02".into(),
            lonlat: cp,
            by: Some("CP-02".into()),
        },
    ] {
        live.submit(event, "test").expect("queued");
    }
    wait_until("the events", || {
        live.world().state().units.len() == 2 && live.world().state().alerts.len() == 1
    });
    live
}

fn checkpoint_camera() -> CameraIngest {
    let camera = Camera {
        id: CameraId::new("cam-cp-02"),
        name: "Test pattern".into(),
        source: Source::TestPattern {
            pattern: "smpte".into(),
        },
        sub_source: None,
        lonlat: None,
        heading_deg: None,
        fov_deg: None,
        note: None,
    };
    CameraIngest::start(camera, IngestOptions::default(), 0, None, None).expect("ingest starts")
}

fn console(role: Option<Role>) -> Station {
    Station::of(&ConsoleOptions {
        lang: Lang::En,
        role,
        ..ConsoleOptions::default()
    })
}

fn harness(console: Station) -> Harness<'static, Station> {
    Harness::builder()
        .with_size([1920.0, 1080.0])
        .wgpu()
        .with_context_setup(theme::apply)
        .build_ui_state(|ui, console: &mut Station| console.ui(ui), console)
}

fn alert_state(h: &Harness<'_, Station>) -> AlertState {
    let world = h.state().world().expect("world").world();
    world.state().alerts.values().next().expect("alert").state
}

#[test]
fn a_supervisor_sees_a_checkpoint_and_may_acknowledge_but_not_dispatch() {
    let mut cameras = Cameras::default();
    cameras.add(vec![checkpoint_camera()], Vec::new());
    cameras.wait_for_frames(Duration::from_secs(30));
    let audit_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("supervisor-audit");
    let _ = std::fs::remove_dir_all(&audit_dir);
    let mut c = console(Some(Role::Supervisor));
    c.attach_cameras(cameras);
    c.attach_world(astana_world());
    c.attach_audit(watchfloor_layers::audit::AuditTrail::start(&audit_dir).expect("audit"));
    let mut h = harness(c);
    h.run_steps(3);
    // A supervisor starts on a checkpoint (the first of the site).
    assert_eq!(h.state().console().checkpoint(), Some("cp-01"));

    // Another checkpoint from the picker.
    h.get_by_label("Checkpoint").click();
    h.run_steps(2);
    h.get_by_label("Outer ring 02").click();
    h.run_steps(3);
    assert_eq!(h.state().console().checkpoint(), Some("cp-02"));
    // Its camera takes the site camera's name; the officer 40 m away is on
    // duty there, the car 2 km away is not; its alarm is among its alerts.
    let site_name = h.state().world().expect("world").world().state().cameras["cam-cp-02"]
        .name
        .clone();
    assert_eq!(h.state().camera_views()[0].name, site_name);
    let summary = {
        let s = h.state();
        let world = s.world().expect("world").world();
        watchfloor_app::console::checkpoint_view::summarise(&world, s.camera_views(), "cp-02")
            .expect("summary")
    };
    assert_eq!(summary.live_cameras, vec![0]);
    assert_eq!(
        summary
            .on_duty
            .iter()
            .map(|u| u.callsign.as_str())
            .collect::<Vec<_>>(),
        ["F-77"]
    );
    assert_eq!(summary.alerts.len(), 1);

    // Dispatch is the dispatcher's: disabled. Acknowledge works.
    let dispatch = h.get_by_label("Dispatch");
    assert!(
        dispatch.accesskit_node().is_disabled(),
        "dispatch is disabled"
    );
    h.get_by_label("Acknowledge").click();
    h.run_steps(2);
    wait_until("the acknowledgement", || {
        alert_state(&h) == AlertState::Acknowledged
    });
    h.run_steps(1);

    // Esc goes back to the wall.
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert_eq!(h.state().console().checkpoint(), None);

    // Every action is in the audit trail, in order, and the chain holds.
    drop(h); // the console closes: the trail writes what is queued
    let log = watchfloor_layers::audit::AuditLog::open(&audit_dir).expect("log");
    assert_eq!(
        log.verify().expect("intact").entries,
        3,
        "{:?}",
        log.since(0)
    );
    let actions: Vec<_> = log
        .since(0)
        .expect("entries")
        .into_iter()
        .map(|e| (e.record.role, e.record.action))
        .collect();
    let supervisor = Some("supervisor".to_owned());
    assert_eq!(
        actions,
        [
            (
                supervisor.clone(),
                AuditAction::RoleChosen {
                    role: "supervisor".into()
                }
            ),
            (
                supervisor.clone(),
                AuditAction::CameraViewed {
                    camera: "cam-cp-02".into(),
                    place: "checkpoint view".into()
                }
            ),
            (
                supervisor,
                AuditAction::AlertAcknowledged {
                    alert: summary.alerts[0].clone()
                }
            ),
        ]
    );
}

#[test]
fn a_trainer_may_not_act_and_the_role_is_asked_at_start() {
    let mut c = console(None);
    c.attach_world(astana_world());
    let mut h = harness(c);
    h.run_steps(3);
    // No role yet: the start dialog asks, and nothing may be done.
    assert!(h.query_by_label("Who is at this console?").is_some());
    assert!(h.get_by_label("Acknowledge").accesskit_node().is_disabled());
    h.get_by_label("Trainer").click();
    h.run_steps(3);
    assert_eq!(h.state().console().role(), Some(Role::Trainer));
    assert!(h.query_by_label("Who is at this console?").is_none());
    for action in ["Acknowledge", "Dispatch", "Resolve"] {
        assert!(
            h.get_by_label(action).accesskit_node().is_disabled(),
            "{action} is disabled for a trainer"
        );
    }
    assert_eq!(alert_state(&h), AlertState::New);
}

#[test]
fn modes_switch_in_one_action_and_are_kept_across_a_restart() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("modes-config");
    let _ = std::fs::remove_dir_all(&dir);
    let mut c = console(Some(Role::Dispatcher));
    c.keep_layouts(&dir, None);
    let mut h = harness(c);
    h.run_steps(2);
    assert_eq!(
        (h.state().console().mode(), h.state().console().wall().side),
        (Mode::Normal, 2)
    );
    // F7: major event, its own layout (4×4 wall).
    h.key_press(egui::Key::F7);
    h.run_steps(2);
    assert_eq!(h.state().console().mode(), Mode::MajorEvent);
    assert_eq!(h.state().console().wall().side, 4);
    // The operator changes the major-event wall to 5×5.
    h.get_by_label("5×5").click();
    h.run_steps(2);
    // F5 back to normal: 2×2 again; F7 brings the 5×5 major-event wall back.
    h.key_press(egui::Key::F5);
    h.run_steps(2);
    assert_eq!(h.state().console().wall().side, 2);
    h.key_press(egui::Key::F7);
    h.run_steps(2);
    assert_eq!(
        (h.state().console().mode(), h.state().console().wall().side),
        (Mode::MajorEvent, 5)
    );
    drop(h); // the console closes: its layouts are written

    // A restart: the last mode and its layout come back.
    let mut again = console(Some(Role::Dispatcher));
    again.keep_layouts(&dir, None);
    assert_eq!(
        (again.console().mode(), again.console().wall().side),
        (Mode::MajorEvent, 5)
    );
    let text = std::fs::read_to_string(dir.join("layouts.json")).expect("layouts kept");
    assert!(text.contains("major-event"), "{text}");
}

/// Snapshot options: lavapipe renders the same on every machine; a few
/// anti-aliased pixels may differ.
fn snapshot_options() -> SnapshotOptions {
    SnapshotOptions::new().threshold(0.6).max_failed_pixels(8)
}

fn snapshot<S>(h: &mut Harness<'_, S>, name: &str) {
    if let Err(e) = h.try_snapshot_options(name, &snapshot_options()) {
        panic!("{name}: {e}");
    }
}

/// One panel alone, pure: a world value and a frame in, drawn, no hub.
fn panel(
    console: Console,
    world: World,
    area: Area,
    size: [f32; 2],
) -> Harness<'static, (Console, World)> {
    let mut h = Harness::builder()
        .with_size(size)
        .wgpu()
        .with_context_setup(theme::apply)
        .build_ui_state(
            move |ui, (console, world): &mut (Console, World)| {
                // The window's clear colour, which the panels leave showing.
                let screen = ui.ctx().content_rect();
                ui.painter().rect_filled(screen, 0.0, theme::BACKGROUND);
                let ctx = FrameCtx {
                    world: Some(world),
                    ..FrameCtx::nothing()
                };
                egui::CentralPanel::default().show(ui, |ui| {
                    console.area_ui(ui, area, &ctx);
                });
            },
            (console, world),
        );
    h.run_steps(3);
    h
}

#[test]
fn each_panel_matches_its_snapshot() {
    // The live world's state as a plain value: the panels draw from it
    // without a hub behind them.
    let world = World::from_state(astana_world().world().state().clone());
    let raised = world
        .state()
        .alerts
        .values()
        .next()
        .expect("alert")
        .raised_at();
    // The clock stands 65 s after the alarm: ages and timers are fixed.
    let at = chrono::DateTime::from_timestamp_micros(raised + 65_000_000)
        .expect("time")
        .fixed_offset();
    let mut c = Console::new(&ConsoleOptions {
        lang: Lang::En,
        role: Some(Role::Dispatcher),
        ..ConsoleOptions::default()
    });
    c.freeze_clock(at);
    c.set_wall_side(3);

    let mut h = panel(c, world, Area::Wall, [900.0, 620.0]);
    snapshot(&mut h, "panel-wall");
    let (mut c, world) = h.into_state();

    c.open_checkpoint(Some("cp-02"), Some(&world));
    let mut h = panel(c, world, Area::Wall, [900.0, 620.0]);
    snapshot(&mut h, "panel-checkpoint-view");
    let (mut c, world) = h.into_state();

    c.open_checkpoint(None, Some(&world));
    let mut h = panel(c, world, Area::Alerts, [480.0, 620.0]);
    snapshot(&mut h, "panel-alert-queue");
    let (mut c, world) = h.into_state();

    c.set_list_tab(ListTab::Overview);
    let mut h = panel(c, world, Area::Units, [420.0, 900.0]);
    snapshot(&mut h, "panel-overview");
}
