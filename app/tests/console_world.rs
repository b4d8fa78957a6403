//! The console on a live world: units and drones in the list (stale ones
//! marked), alerts in the queue, and operator actions from the queue reach
//! the world as events (acknowledge, dispatch by road ETA, emergency ring,
//! resolve). Rendered with `egui_kittest` on the real wgpu adapter.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use watchfloor_app::compose::Station;
use watchfloor_app::console::modes::Role;
use watchfloor_app::console::{ConsoleOptions, theme};
use watchfloor_app::i18n::{Lang, Msg};
use watchfloor_layers::clock::now_us;
use watchfloor_layers::event::{Event, UnitReport};
use watchfloor_layers::feeds::mavlink::DroneTelemetry;
use watchfloor_layers::frame::LocalFrame;
use watchfloor_layers::model::UnitKind;
use watchfloor_layers::{AlertState, UnitStatus};
use watchfloor_runtime::feeds::FeedPorts;
use watchfloor_runtime::world::{LiveWorld, WorldOptions};

const CENTRE: [f64; 2] = [71.4304, 51.1283];

fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn report(id: &str, callsign: &str, kind: UnitKind, lonlat: [f64; 2], stale_at: i64) -> Event {
    Event::UnitReported(UnitReport {
        id: id.into(),
        callsign: Some(callsign.into()),
        kind,
        lonlat,
        ce_m: 5.0,
        heading_deg: Some(90.0),
        speed_mps: Some(11.0),
        stale_at,
    })
}

#[test]
#[expect(clippy::too_many_lines, reason = "one operator workflow, start to end")]
fn units_drones_and_alerts_show_and_operator_actions_become_events() {
    let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets");
    let journal_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("console-world-journal");
    let _ = std::fs::remove_dir_all(&journal_dir);
    let live = LiveWorld::start(
        WorldOptions {
            site: None,
            basemap: Some(assets.join("basemap/astana.wfmap")),
            journal: Some(journal_dir.clone()),
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
    wait_until("the road network", || live.roads().is_some());
    let frame = LocalFrame::new(CENTRE);
    let now = now_us();
    for event in [
        report(
            "car-1",
            "P-01",
            UnitKind::Car,
            frame.lonlat([800.0, 0.0]),
            now + 60_000_000,
        ),
        report(
            "foot-1",
            "F-07",
            UnitKind::Foot,
            frame.lonlat([-300.0, 200.0]),
            now + 60_000_000,
        ),
        report(
            "old-1",
            "P-99",
            UnitKind::Car,
            frame.lonlat([0.0, 3000.0]),
            now - 1,
        ),
        Event::DroneTelemetry {
            system_id: 3,
            telemetry: DroneTelemetry::Battery {
                remaining_pct: Some(76),
                voltage_v: Some(15.6),
            },
        },
        Event::AlarmPressed {
            site: "compound-7".into(),
            lonlat: CENTRE,
            by: Some("GATE".into()),
        },
    ] {
        live.submit(event, "test").expect("queued");
    }
    wait_until("the events", || {
        live.world().state().alerts.len() == 1 && live.world().state().units.len() == 3
    });
    let alert = live
        .world()
        .state()
        .alerts
        .keys()
        .next()
        .cloned()
        .expect("alert");

    let mut console = Station::of(&ConsoleOptions {
        lang: Lang::En,
        role: Some(Role::Dispatcher),
        ..ConsoleOptions::default()
    });
    console.attach_world(live);
    let mut harness = Harness::builder()
        .with_size([1920.0, 1080.0])
        .wgpu()
        .with_context_setup(theme::apply)
        .build_ui_state(|ui, console: &mut Station| console.ui(ui), console);
    harness.run();
    for text in [
        "P-01",
        "F-07",
        "P-99",
        "UAV-3",
        "One-click alarm · compound-7 (GATE)",
    ] {
        harness.get_by_label_contains(text);
    }
    harness.get_by_label_contains("Patrol units 3 · available 2 · stale 1");
    harness.get_by_label_contains("battery 76%");
    let image = harness.render().expect("render on the wgpu adapter");
    image
        .save(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("console-world-en.png"))
        .expect("save render");

    // Selecting the alert (its title) centres the map on it.
    harness
        .get_by_label_contains("One-click alarm · compound-7 (GATE)")
        .click();
    harness.run();
    assert_eq!(
        harness.state().console().selected_alert(),
        Some(alert.as_str())
    );
    assert_eq!(harness.state().console().map_centre_request(), Some(CENTRE));

    // Find by name (Ctrl+K): typing a callsign and Enter centres the map on the unit.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run();
    let hint = Msg::SearchHint.text(Lang::En);
    harness
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.accesskit_node().placeholder() == Some(hint))
        .expect("the find field")
        .type_text("p-01");
    harness.run();
    harness.get_by_label_contains("· P-01");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().console().map_centre_request(),
        Some(frame.lonlat([800.0, 0.0])),
        "centred on P-01"
    );
    assert!(
        harness.query_by_label_contains("· P-01").is_none(),
        "find window closed"
    );

    let world = |h: &Harness<'_, Station>| h.state().world().expect("world").shared();
    let state_of =
        |h: &Harness<'_, Station>| world(h).read().expect("lock").state().alerts[&alert].state;

    harness
        .get_by_label(Msg::Acknowledge.text(Lang::En))
        .click();
    harness.run();
    wait_until("acknowledged", || {
        state_of(&harness) == AlertState::Acknowledged
    });
    // Lay out the new state before the next click (buttons move).
    harness.run();

    harness.get_by_label(Msg::DrawRing.text(Lang::En)).click();
    harness.run();
    let ring = format!("ring:{alert}");
    wait_until("the emergency ring", || {
        world(&harness)
            .read()
            .expect("lock")
            .state()
            .rings
            .contains_key(&ring)
    });
    harness.run();

    // Dispatch: the nearest by road is the car 800 m away, not the walker 360 m away.
    // The suggestions are worked out off the UI thread while the menu is open.
    harness.get_by_label(Msg::Dispatch.text(Lang::En)).click();
    harness.run_steps(2);
    let deadline = Instant::now() + Duration::from_secs(10);
    let offers: Vec<String> = loop {
        let offers: Vec<String> = harness
            .query_all_by_label_contains(" min · ")
            .map(|n| n.accesskit_node().label().unwrap_or_default())
            .collect();
        if !offers.is_empty() || Instant::now() > deadline {
            break offers;
        }
        std::thread::sleep(Duration::from_millis(20));
        harness.run_steps(2);
    };
    assert!(
        offers[0].starts_with("P-01 ·") && offers[0].contains(Msg::ByRoad.text(Lang::En)),
        "{offers:?}"
    );
    let first = harness.get_by_label_contains("P-01 ·");
    first.click();
    harness.run();
    wait_until("dispatched", || {
        state_of(&harness) == AlertState::Dispatched
    });
    assert_eq!(
        world(&harness).read().expect("lock").state().units["car-1"].status,
        UnitStatus::EnRoute
    );

    // The overview counts it: one dispatched alert, one unit en route, and a
    // running response inside the 1-minute target.
    harness
        .get_by_label(Msg::TabOverview.text(Lang::En))
        .click();
    harness.run();
    harness.get_by_label("Dispatched: 1");
    harness.get_by_label("En route: 1");
    harness
        .render()
        .expect("render")
        .save(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("console-overview-en.png"))
        .expect("save");
    harness.get_by_label_contains("0:00 · One-click alarm · compound-7 (GATE)");
    harness.get_by_label(Msg::TabUnits.text(Lang::En)).click();
    harness.run();

    // The car reports from the scene: the geofence puts it on scene and
    // stops the response timer.
    let live = harness.state().world().expect("world");
    live.submit(
        report(
            "car-1",
            "P-01",
            UnitKind::Car,
            frame.lonlat([20.0, 10.0]),
            now_us() + 60_000_000,
        ),
        "test",
    )
    .expect("queued");
    wait_until("arrival", || state_of(&harness) == AlertState::OnScene);
    assert_eq!(
        world(&harness).read().expect("lock").state().units["car-1"].status,
        UnitStatus::OnScene
    );

    // Resolve with a note: the menu asks what was found and what was done.
    harness.run();
    harness.get_by_label(Msg::Resolve.text(Lang::En)).click();
    harness.run();
    let note = harness.get_by_role(egui::accesskit::Role::MultilineTextInput);
    note.focus();
    note.type_text("Gate closed by the guard; false alarm.");
    harness.run();
    harness
        .get_by_label(Msg::ResolveConfirm.text(Lang::En))
        .click();
    harness.run();
    wait_until("resolved", || state_of(&harness) == AlertState::Resolved);
    wait_until("the ring lifted", || {
        !world(&harness)
            .read()
            .expect("lock")
            .state()
            .rings
            .contains_key(&ring)
    });
    assert_eq!(
        world(&harness).read().expect("lock").state().units["car-1"].status,
        UnitStatus::Available
    );

    // The note is in the journal, with who wrote it, for the audit trail.
    drop(harness);
    let journal = watchfloor_layers::journal::Journal::open(&journal_dir).expect("journal");
    let noted: Vec<(String, String)> = journal
        .events(0, i64::MAX)
        .filter_map(Result::ok)
        .filter_map(|(_, envelope)| match envelope.event {
            Event::AlertNoted { id, note, .. } => Some((id, note)),
            _ => None,
        })
        .collect();
    assert_eq!(
        noted,
        [(
            alert.clone(),
            "Gate closed by the guard; false alarm.".to_string()
        )]
    );
}
