//! Bad input and faults handled safely, end to end: a camera whose privacy
//! masks cannot be read is blanked (never shown unmasked), named in the
//! status bar and the problems window, and refused by an export that keeps
//! redaction; CoT that arrives already stale is stale at once and a sender
//! whose clock is off is named; site features that do not load are listed;
//! an audit log the console cannot write shows a banner and keeps actions
//! in a fallback. Real GStreamer cameras, real sockets, kittest on wgpu.

use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use watchfloor_app::compose::Station;
use watchfloor_app::console::modes::Role;
use watchfloor_app::console::{ConsoleOptions, theme};
use watchfloor_app::i18n::{Lang, Msg};
use watchfloor_layers::audit::{AuditLog, AuditTrail, fallback_dirs};
use watchfloor_layers::feeds::cot::{CotEvent, CotPoint, encode};
use watchfloor_media::camera::{Camera, CameraId, Source};
use watchfloor_media::detect::privacy::CameraPrivacy;
use watchfloor_media::ingest::{CameraIngest, IngestOptions};
use watchfloor_runtime::camera_set::Cameras;
use watchfloor_runtime::feeds::FeedPorts;
use watchfloor_runtime::world::{LiveWorld, WorldOptions};

fn temp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fail-safe-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A live world with no journal and no simulator: `site`, and CoT over UDP
/// on `cot_udp` if given.
fn world(site: Option<PathBuf>, cot_udp: Option<std::net::SocketAddr>) -> LiveWorld {
    LiveWorld::start(
        WorldOptions {
            site,
            basemap: None,
            journal: None,
            recordings: std::env::temp_dir().join("watchfloor-unused-recordings"),
            ports: FeedPorts {
                cot_udp,
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

fn smpte_camera(id: &str) -> CameraIngest {
    let camera = Camera {
        id: CameraId::new(id),
        name: format!("Camera {id}"),
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

fn console() -> Station {
    Station::of(&ConsoleOptions {
        lang: Lang::En,
        role: Some(Role::Dispatcher),
        ..ConsoleOptions::default()
    })
}

fn harness(console: Station) -> Harness<'static, Station> {
    let mut h = Harness::builder()
        .with_size([1600.0, 900.0])
        .wgpu()
        .with_context_setup(theme::apply)
        .build_ui_state(|ui, console: &mut Station| console.ui(ui), console);
    h.state_mut().set_video_ready();
    h
}

/// Pixels of the SMPTE bars' saturated cyan (75 % cyan: 0, 192, 192): the
/// console's own palette has no such colour, so they count test-pattern
/// picture on screen.
fn bar_pixels(console: &mut Station) -> usize {
    let (image, _) =
        watchfloor_app::screenshot::render_console(console, (1600, 900)).expect("renders");
    image
        .write_png(&std::env::temp_dir().join("wf-fail-safe-last.png"))
        .ok();
    image
        .pixels
        .chunks_exact(4)
        .filter(|p| p[0] < 40 && p[1] > 150 && p[2] > 150 && p[1].abs_diff(p[2]) < 30)
        .count()
}

/// A broken `detection.toml` (an unclosed array on line 4) once left every
/// camera shown unmasked; now no picture of any camera is drawn, the reason
/// names the file and line, and the status bar and the problems window say so.
#[test]
fn privacy_unreadable_masks_blank_the_cameras_and_name_the_file_and_line() {
    let dir = temp("privacy");
    let rules = dir.join("detection.toml");
    std::fs::write(
        &rules,
        "[[camera]]\nid = \"cam-a\"\n[[camera.privacy_mask]]\npolygon = [[0.1, 0.1], [0.5, 0.1]\n",
    )
    .expect("write");
    let mut cameras = Cameras::default();
    cameras.add(
        vec![smpte_camera("cam-a"), smpte_camera("cam-b")],
        Vec::new(),
    );
    cameras.wait_for_frames(Duration::from_secs(30));

    // The same cameras with readable (empty) rules show their pictures.
    let mut shown = console();
    let mut clear_cameras = Cameras::default();
    clear_cameras.add(
        vec![smpte_camera("cam-a"), smpte_camera("cam-b")],
        Vec::new(),
    );
    clear_cameras.wait_for_frames(Duration::from_secs(30));
    shown.attach_cameras(clear_cameras);
    let good = dir.join("good.toml");
    std::fs::write(&good, "").expect("write");
    shown
        .console_mut()
        .set_privacy(watchfloor_runtime::export::privacy_policy(Some(&good)));
    let visible = bar_pixels(&mut shown);
    assert!(visible > 1_000, "the pictures show: {visible} bar pixels");
    drop(shown);

    let mut blanked = console();
    blanked.attach_cameras(cameras);
    let policy = watchfloor_runtime::export::privacy_policy(Some(&rules));
    let CameraPrivacy::Unknown(why) = policy.for_camera("cam-b") else {
        panic!("masks must be unknown: {policy:?}")
    };
    let why = why.to_owned();
    assert!(
        why.starts_with(&format!("{}, line 4: ", rules.display())),
        "{why}"
    );
    blanked.console_mut().set_privacy(policy);
    let leaked = bar_pixels(&mut blanked);
    println!(
        "test-pattern pixels on screen: {visible} with readable masks, {leaked} with unreadable ones"
    );
    assert!(
        leaked * 200 < visible,
        "no picture may show: {leaked} bar pixels (vs {visible} unmasked)"
    );
    let mut h = harness(blanked);
    h.run_steps(4);
    // Named in the status bar, and listed with its file and line.
    let _ = h.get_by_label_contains("blanked: Camera cam-a, Camera cam-b");
    let problems = h.state_mut().problems();
    assert!(
        problems
            .iter()
            .any(|p| p.group == Msg::ProblemsPrivacy && p.text.contains(&why)),
        "{problems:?}"
    );
    h.get_by_label_contains("1 problem").click();
    h.run_steps(3);
    assert!(
        h.query_all_by_label("Problems").count() >= 1,
        "the window opened"
    );
    let _ = h.get_by_label_contains(&why);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An export that keeps redaction refuses a camera whose masks are unknown,
/// naming it; with redaction lifted (a supervisor's audited decision) it
/// goes ahead.
#[test]
fn privacy_export_refuses_a_camera_with_unknown_masks_unless_redaction_is_lifted() {
    let dir = temp("export");
    let rules = dir.join("detection.toml");
    std::fs::write(
        &rules,
        "[[camera]]\nid = \"cam-a\"\n[[camera.privacy_mask]]\npolygon = [[0.1, 0.1], [0.5, 0.5], [0.5, 0.1], [0.1, 0.5]]\n\
         [[camera]]\nid = \"cam-b\"\n",
    )
    .expect("write");
    let request = watchfloor_runtime::export::ExportRequest {
        from_us: 0,
        to_us: 1,
        out: dir.join("out"),
        recordings: dir.join("recordings"),
        cameras: Vec::new(),
        redact: true,
        privacy: watchfloor_runtime::export::privacy_policy(Some(&rules)),
        origin: None,
    };
    let refused = watchfloor_runtime::export::check_privacy(
        &request.privacy,
        request.redact,
        &["cam-b".to_owned(), "cam-a".to_owned()],
    )
    .expect_err("cam-a's bow-tie mask is unreadable");
    let text = refused.to_string();
    assert!(
        text.starts_with("camera `cam-a`: privacy masks unreadable ("),
        "{text}"
    );
    assert!(text.contains("crosses itself"), "{text}");
    watchfloor_runtime::export::check_privacy(
        &request.privacy,
        request.redact,
        &["cam-b".to_owned()],
    )
    .expect("cam-b has no masks and exports");
    let lifted = watchfloor_runtime::export::ExportRequest {
        redact: false,
        ..request
    };
    watchfloor_runtime::export::check_privacy(
        &lifted.privacy,
        lifted.redact,
        &["cam-a".to_owned()],
    )
    .expect("a supervisor lifted redaction");
    let _ = std::fs::remove_dir_all(&dir);
}

fn unit_cot(uid: &str, sent: chrono::DateTime<chrono::Utc>, valid_s: i64) -> Vec<u8> {
    encode(&CotEvent {
        uid: uid.into(),
        kind: "a-f-G-U-C".into(),
        how: Some("m-g".into()),
        time: sent,
        start: sent,
        stale: sent + chrono::Duration::seconds(valid_s),
        point: CotPoint {
            lat: 51.13,
            lon: 71.43,
            hae: 350.0,
            ce: 5.0,
            le: 9_999_999.0,
        },
        callsign: Some(uid.to_uppercase()),
        course_deg: None,
        speed_mps: None,
        emergency: None,
        group: None,
    })
    .into_bytes()
}

/// Over a real UDP socket: a report whose `stale` passed 5 minutes before it
/// arrived is stale at once (it once showed green for its whole validity);
/// a sender whose clock runs 10 minutes behind is named in the problems
/// window, and a sender on time is not.
#[test]
fn stale_cot_is_stale_at_once_and_a_slow_sender_clock_is_named() {
    let live = world(None, Some(([127, 0, 0, 1], 0).into()));
    wait_until("the feeds", Duration::from_secs(20), || {
        live.status().feeds.is_some()
    });
    let to = live
        .status()
        .feeds
        .expect("started")
        .expect("bound")
        .cot_udp
        .expect("cot udp");
    let now = chrono::Utc::now();
    let late = UdpSocket::bind("127.0.0.1:0").expect("bind");
    // Another loopback address: sources are told apart by sender address.
    let on_time = UdpSocket::bind("127.0.0.2:0").expect("bind");
    // Sent "10 minutes ago" by its clock, valid 5 minutes: stale on arrival.
    late.send_to(
        &unit_cot("late-1", now - chrono::Duration::minutes(10), 300),
        to,
    )
    .expect("send");
    on_time
        .send_to(&unit_cot("fresh-1", now, 300), to)
        .expect("send");
    wait_until("both units", Duration::from_secs(10), || {
        live.world().state().units.len() == 2
    });
    let now_us = chrono::Utc::now().timestamp_micros();
    {
        let world = live.world();
        assert!(
            world.state().units["late-1"].is_stale(now_us),
            "stale at once"
        );
        assert!(!world.state().units["fresh-1"].is_stale(now_us));
    }
    let mut console = console();
    console.attach_world(live);
    let problems = console.problems();
    let skews: Vec<&str> = problems
        .iter()
        .filter(|p| p.group == Msg::ProblemsFeeds)
        .map(|p| p.text.as_str())
        .collect();
    let late_port = late.local_addr().expect("addr").port();
    assert_eq!(skews.len(), 1, "only the late sender: {problems:?}");
    assert!(
        skews[0].starts_with("cot/udp 127.0.0.1:")
            && skews[0].ends_with("from 127.0.0.1: clock 10 min behind"),
        "{skews:?} (late sender on port {late_port})"
    );
}

/// A site layer with one feature whose coordinate is a string and one ring
/// that crosses itself: both are listed in the problems window, by file,
/// index and id, and the rest of the layer loads.
#[test]
fn site_problems_are_listed_in_the_problems_window() {
    let dir = temp("site");
    std::fs::write(
        dir.join("site.toml"),
        "name = \"T\"\norigin = [71.43, 51.13]\nlayers = [\"city.geojson\"]\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("city.geojson"),
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[71.40,51.10]},"properties":{"kind":"checkpoint","id":"cp-1"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":["71.4",51.1]},"properties":{"kind":"checkpoint","id":"cp-2"}},
          {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[71.3,51.0],[71.6,51.3],[71.6,51.0],[71.3,51.3],[71.3,51.0]]]},"properties":{"kind":"ring","id":"bow","level":"inner"}}
        ]}"#,
    )
    .expect("write");
    let live = world(Some(dir.join("site.toml")), None);
    wait_until("the site", Duration::from_secs(20), || {
        live.world().state().checkpoints.len() == 1
    });
    let mut console = console();
    console.attach_world(live);
    let mut h = harness(console);
    h.run_steps(3);
    h.get_by_label("▲ 2 problems").click();
    h.run_steps(3);
    let _ = h.get_by_label_contains("feature #1 (id \"cp-2\"): not a GeoJSON feature");
    let _ = h.get_by_label_contains(
        "feature #2 (id \"bow\"): polygon crosses itself: edge 0 crosses edge 2",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// With the audit log held by another process, the console cannot audit:
/// a banner says so on screen, every action goes to a fallback file, and
/// `audit verify` counts it.
#[test]
fn an_audit_log_that_cannot_be_written_shows_a_banner_and_keeps_a_fallback() {
    let dir = temp("audit");
    let audit = dir.join("audit");
    for f in fallback_dirs(&audit) {
        let _ = std::fs::remove_dir_all(f);
    }
    let holder = AuditLog::open(&audit).expect("another console holds it");
    let mut console = console();
    console.attach_audit(AuditTrail::start_or_fallback(&audit));
    let mut h = harness(console);
    h.run_steps(2);
    wait_until("the role in the fallback", Duration::from_secs(10), || {
        h.state()
            .audit_health()
            .is_some_and(|a| a.outside_chain >= 1)
    });
    h.run_steps(2);
    let _ = h.get_by_label_contains("AUDIT TRAIL NOT WRITING");
    let _ = h.get_by_label_contains("actions kept in a fallback file");
    let fallback = h
        .state()
        .audit_health()
        .and_then(|a| a.fallback)
        .expect("a fallback file");
    let kept = std::fs::read_to_string(&fallback).expect("fallback");
    assert!(kept.contains("role_chosen"), "{kept}");
    drop(h);
    drop(holder);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_watchfloor"))
        .args(["audit", "verify", "--dir"])
        .arg(&audit)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("actions recorded while the log could not be written"),
        "{stdout}"
    );
    for f in fallback_dirs(&audit) {
        let _ = std::fs::remove_dir_all(f);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
