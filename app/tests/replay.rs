//! Record an incident live, then replay it: every state the console saw live
//! is a state the journal rebuilds, at the instant it was recorded, through
//! the same replay engine the timeline drives (stepping on and seeking
//! back); and the console in replay shows that world and the recorded video
//! at the same instant, with actions disabled.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, UNIX_EPOCH};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use watchfloor_app::compose::Station;
use watchfloor_app::console::modes::Role;
use watchfloor_app::console::{ConsoleOptions, theme};
use watchfloor_app::i18n::{Lang, Msg};
use watchfloor_layers::clock::now_us;
use watchfloor_layers::event::{Event, Origin, UnitReport};
use watchfloor_layers::frame::LocalFrame;
use watchfloor_layers::journal::Journal;
use watchfloor_layers::model::{AlertSource, UnitKind};
use watchfloor_layers::world::{World, WorldState};
use watchfloor_layers::{AlertSeverity, AlertState};
use watchfloor_runtime::feeds::FeedPorts;
use watchfloor_runtime::replay::ReplayEngine;
use watchfloor_runtime::world::{DEFAULT_ORIGIN, LiveWorld, WorldOptions};

fn report(id: usize, xy: [f64; 2], now: i64) -> Event {
    let frame = LocalFrame::new(DEFAULT_ORIGIN);
    Event::UnitReported(UnitReport {
        id: format!("car-{id}"),
        callsign: Some(format!("P-{id:02}")),
        kind: UnitKind::Car,
        lonlat: frame.lonlat(xy),
        ce_m: 5.0,
        heading_deg: Some(90.0),
        speed_mps: Some(10.0),
        stale_at: now + 60_000_000,
    })
}

/// Runs a small incident through a live world with a journal: 12 units
/// moving at 10 Hz, an alert raised, acknowledged and dispatched. Returns
/// the live states sampled every 200 ms, with when each was sampled.
fn record_incident(journal: &Path) -> Vec<(i64, WorldState)> {
    let live = start_live(journal);
    let started = Instant::now();
    let mut samples = Vec::new();
    let mut tick = 0_u32;
    while started.elapsed() < Duration::from_secs(5) {
        let now = now_us();
        for id in 0..12 {
            let t = f64::from(tick);
            let xy = [
                id as f64 * 100.0 + t * 2.0,
                (t * 0.1 + id as f64).sin() * 50.0,
            ];
            let _ = live.submit_from(Origin::Feed("cot".into()), report(id, xy, now));
        }
        match tick {
            10 => {
                let _ = live.submit_from(
                    Origin::System,
                    Event::AlertRaised {
                        id: "alarm-1".into(),
                        source: AlertSource::Alarm {
                            site: "CP-01".into(),
                        },
                        severity: AlertSeverity::Critical,
                        title: "Alarm".into(),
                        lonlat: LocalFrame::new(DEFAULT_ORIGIN).lonlat([300.0, 0.0]),
                    },
                );
            }
            20 => {
                let _ = live.submit(
                    Event::AlertStateSet {
                        id: "alarm-1".into(),
                        state: AlertState::Acknowledged,
                        by: "op".into(),
                    },
                    "op",
                );
            }
            30 => {
                let _ = live.submit(
                    Event::Dispatched {
                        alert: "alarm-1".into(),
                        units: vec!["car-4".into()],
                        by: "op".into(),
                        etas_s: vec![60.0],
                    },
                    "op",
                );
            }
            _ => {}
        }
        tick += 1;
        std::thread::sleep(Duration::from_millis(100));
        if tick.is_multiple_of(2) {
            samples.push((now_us(), live.world().state().clone()));
        }
    }
    drop(live);
    samples
}

/// A live world on `journal`, with no feeds listening.
fn start_live(journal: &Path) -> LiveWorld {
    LiveWorld::start(
        WorldOptions {
            site: None,
            basemap: None,
            journal: Some(journal.to_owned()),
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
    .expect("starts")
}

/// Applies the journal one event at a time; each live sample must be met,
/// in order, at a journal instant within a second before it was sampled.
/// Returns, for each sample, that instant when it holds no later event (so
/// `state_at` there is exact).
fn replay_matches(journal: &Journal, samples: &[(i64, WorldState)]) -> Vec<Option<i64>> {
    let empty = World::new(DEFAULT_ORIGIN).state().clone();
    let mut world = World::from_state(empty);
    let events: Vec<_> = journal
        .events(i64::MIN, i64::MAX)
        .collect::<Result<_, _>>()
        .expect("journal reads");
    let mut met = Vec::new();
    let mut next = 0;
    for (i, (key, envelope)) in events.iter().enumerate() {
        world.apply(envelope);
        while next < samples.len() && *world.state() == samples[next].1 {
            let taken = samples[next].0;
            assert!(
                (taken - 1_000_000..=taken).contains(&key.at),
                "live sample {next} (taken at {taken}) is the journal's state at {}",
                key.at
            );
            let exact = events.get(i + 1).is_none_or(|(k, _)| k.at != key.at);
            met.push(exact.then_some(key.at));
            next += 1;
        }
    }
    assert_eq!(
        next,
        samples.len(),
        "live sample {next} of {} never occurs in replay",
        samples.len()
    );
    met
}

#[test]
fn states_seen_live_are_rebuilt_by_replay_at_their_instants() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("replay-incident-journal");
    let _ = std::fs::remove_dir_all(&dir);
    let samples = record_incident(&dir);
    assert!(samples.len() >= 15, "{} samples", samples.len());
    assert!(
        samples.last().expect("sample").1.alerts["alarm-1"].state == AlertState::Dispatched,
        "the incident ran to dispatch"
    );
    let journal = Journal::open(&dir).expect("journal");
    let met = replay_matches(&journal, &samples);

    // The replay engine, stepping on (events applied) and seeking back
    // (from a snapshot), rebuilds each state at its instant.
    let shown = std::sync::Arc::new(std::sync::RwLock::new(World::new(DEFAULT_ORIGIN)));
    let engine = ReplayEngine::start(
        journal.clone(),
        World::new(DEFAULT_ORIGIN).state().clone(),
        std::sync::Arc::clone(&shown),
        None,
        || {},
    )
    .expect("engine");
    let exact: Vec<(usize, i64)> = met
        .iter()
        .enumerate()
        .filter_map(|(i, at)| Some((i, (*at)?)))
        .collect();
    assert!(exact.len() >= 10, "{} exact instants", exact.len());
    let mut order = exact.clone();
    order.extend(exact.iter().rev().step_by(3));
    for (i, at) in order {
        let seek = engine.seek(at);
        let built = engine
            .wait_built(seek, Duration::from_secs(10))
            .expect("rebuilt");
        assert_eq!(built.at, at);
        assert!(
            *shown.read().expect("lock").state() == samples[i].1,
            "replay at {at} differs from what was live (sample {i})"
        );
    }
    // Marks are indexed in small passes between seeks: on a loaded machine
    // they may come a moment after the last seek.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let marks = loop {
        let (marks, _) = engine.marks();
        if marks.iter().any(|m| m.label == "Alarm") || std::time::Instant::now() > deadline {
            break marks;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        marks.iter().any(|m| m.label == "Alarm"),
        "the alert is on the timeline: {marks:?}"
    );
    assert!(marks.iter().any(|m| m.label.contains("car-4")), "{marks:?}");
}

/// Encodes `seconds` of a test pattern into a recording segment.
fn write_segment(path: &Path, seconds: u32) {
    let status = std::process::Command::new("gst-launch-1.0")
        .args([
            "-q",
            "videotestsrc",
            &format!("num-buffers={}", seconds * 15),
            "pattern=ball",
            "!",
        ])
        .args([
            "video/x-raw,format=I420,width=320,height=180,framerate=15/1",
            "!",
        ])
        .args([
            "x264enc",
            "key-int-max=15",
            "bframes=0",
            "speed-preset=ultrafast",
            "!",
        ])
        .args(["h264parse", "!", "matroskamux", "!", "filesink"])
        .arg(format!("location={}", path.display()))
        .status()
        .expect("gst-launch-1.0 runs");
    assert!(status.success());
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one replay session, live to replay and back"
)]
fn the_console_in_replay_shows_the_recorded_world_and_video_at_one_instant() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("replay-console");
    let _ = std::fs::remove_dir_all(&root);
    let journal_dir = root.join("journal");
    let samples = record_incident(&journal_dir);
    let (first, last) = {
        let journal = Journal::open(&journal_dir).expect("journal");
        let first = journal.first_key().expect("reads").expect("events").at;
        (
            first,
            journal.last_key().expect("reads").expect("events").at,
        )
    };
    // The console is live again on the same journal.
    let live = start_live(&journal_dir);
    let deadline = Instant::now() + Duration::from_secs(10);
    let journal = loop {
        if let Some(j) = live.journal() {
            break j;
        }
        assert!(Instant::now() < deadline, "the journal did not open");
        std::thread::sleep(Duration::from_millis(20));
    };
    // One camera recorded over the whole incident.
    let camera = root.join("recordings/cam-test");
    std::fs::create_dir_all(&camera).expect("dir");
    let start_ms = u64::try_from(first / 1000).expect("positive");
    write_segment(&camera.join(format!("{start_ms}.mkv")), 8);

    let mut console = Station::of(&ConsoleOptions {
        lang: Lang::En,
        demo: false,
        role: Some(Role::Dispatcher),
        mode: None,
        checkpoint: None,
        ..ConsoleOptions::default()
    });
    console.attach_world(live);
    console.set_recordings(root.join("recordings"));
    let middle = i64::midpoint(first, last);
    console.console_mut().enter_replay(middle);
    let mut h = Harness::builder()
        .with_size([1920.0, 1080.0])
        .wgpu()
        .with_context_setup(theme::apply)
        .build_ui_state(|ui, console: &mut Station| console.ui(ui), console);
    h.state_mut().set_video_ready();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        h.run_steps(1);
        let tile = h
            .state()
            .camera_views()
            .first()
            .and_then(|v| v.recorded.clone());
        if let Some(watchfloor_runtime::camera_set::Recorded::At(at)) = tile {
            let at_us = i64::try_from(at.duration_since(UNIX_EPOCH).expect("after").as_micros())
                .expect("fits");
            assert!(
                (0..70_000).contains(&(middle - at_us)),
                "the wall shows {at_us}, the clock is {middle}: not the picture on screen then"
            );
            break;
        }
        assert!(Instant::now() < deadline, "no recorded picture on the wall");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(h.state().console().replay_at(), Some(middle));
    h.get_by_label_contains(Msg::TimelineReplay.text(Lang::En));
    // The map shows the world as the journal had it at that instant.
    let then = journal
        .state_at(middle, World::new(DEFAULT_ORIGIN).state())
        .expect("rebuilds");
    let deadline = Instant::now() + Duration::from_secs(10);
    let shown = loop {
        let shown = h.state().world().expect("world").world().state().clone();
        if shown == *then.state() {
            break shown;
        }
        assert!(
            Instant::now() < deadline,
            "the map is not at the clock's instant"
        );
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(shown.units.len() == samples.last().expect("sample").1.units.len());
    // Actions wait for live.
    assert!(
        !h.state()
            .console()
            .may(watchfloor_app::console::modes::Action::Acknowledge)
    );
    // A step of 15 frames moves map and video together.
    h.state_mut().console_mut().step_frames(15);
    let moved = h.state().console().replay_at().expect("replaying");
    assert_eq!(
        moved,
        middle + 15 * watchfloor_app::console::replay::FRAME_US
    );
    let then = journal
        .state_at(moved, World::new(DEFAULT_ORIGIN).state())
        .expect("rebuilds");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        h.run_steps(1);
        let c = h.state();
        let map_ok = c.world().expect("world").world().state() == then.state();
        let picture = c.camera_views().first().and_then(|v| v.recorded.clone());
        if let (true, Some(watchfloor_runtime::camera_set::Recorded::At(at))) = (map_ok, picture) {
            let at_us = i64::try_from(at.duration_since(UNIX_EPOCH).expect("after").as_micros())
                .expect("fits");
            if (0..70_000).contains(&(moved - at_us)) {
                break;
            }
        }
        assert!(Instant::now() < deadline, "map and wall did not both step");
        std::thread::sleep(Duration::from_millis(50));
    }

    // Back to live: the live world and no recorded pictures.
    h.state_mut().console_mut().go_live();
    h.run_steps(2);
    let c = h.state();
    assert_eq!(c.console().replay_at(), None);
    let world = c.world().expect("world");
    assert!(*world.world().state() == *world.live_world().state());
    assert!(c.camera_views().iter().all(|v| v.recorded.is_none()));
    assert!(
        c.console()
            .may(watchfloor_app::console::modes::Action::Acknowledge)
    );
}
