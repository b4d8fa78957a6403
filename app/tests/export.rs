//! `watchfloor export` and `watchfloor export verify` as a user runs them,
//! on a real journal (written by the journal writer: a site, units moving,
//! a drone, an alarm acknowledged) and a real recording of the plaza
//! footage (people walking) filed as camera `cam-cp-02`, whose privacy mask
//! the demo site's rules define.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use gstreamer as gst;
use gstreamer::prelude::*;
use watchfloor_layers::event::{Envelope, Event, Origin, UnitReport};
use watchfloor_layers::feeds::mavlink::DroneTelemetry;
use watchfloor_layers::journal::{Journal, JournalWriter};
use watchfloor_layers::model::{UnitKind, UnixMicros};
use watchfloor_layers::site::Site;
use watchfloor_layers::status::AlertState;
use watchfloor_layers::world::World;

/// The camera the recording is filed as (it has a privacy mask).
const CAMERA: &str = "cam-cp-02";

fn watchfloor() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_watchfloor"));
    cmd.env_remove("ORT_DYLIB_PATH");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("watchfloor runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assets() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets")
}

/// A journal and a recordings folder, made once.
struct Fixture {
    journal: PathBuf,
    recordings: PathBuf,
    /// When the journal's events start (Unix µs, whole seconds).
    t0: UnixMicros,
    origin: [f64; 2],
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        // One per process: tests run side by side, each in its own process.
        // Those of earlier runs (over an hour old) are removed.
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        for old in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
            let stale = old
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().unwrap_or_default().as_secs() > 3600);
            if stale
                && old
                    .file_name()
                    .to_string_lossy()
                    .starts_with("export-fixture-")
            {
                let _ = std::fs::remove_dir_all(old.path());
            }
        }
        let root = tmp.join(format!("export-fixture-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("fixture folder");
        let now = watchfloor_layers::clock::now_us();
        let t0 = (now / 1_000_000 - 3600) * 1_000_000;
        let (site, _) = Site::load(&assets().join("site/astana/site.toml")).expect("demo site");
        let origin = site.origin;
        let journal = root.join("journal");
        write_journal(&journal, site, t0);
        let recordings = root.join("recordings");
        record(&recordings.join(CAMERA), t0 / 1000 - 1000);
        Fixture {
            journal,
            recordings,
            t0,
            origin,
        }
    })
}

/// 20 s: the site, three units reporting every half second, a drone every
/// second, an alarm at 4 s acknowledged at 6 s.
fn write_journal(dir: &Path, site: Site, t0: UnixMicros) {
    let journal = Journal::open(dir).expect("journal");
    let origin = site.origin;
    let writer = JournalWriter::start(journal, World::new(origin)).expect("writer");
    let at = |ms: i64| t0 + ms * 1000;
    let envelope = |t, event| Envelope {
        at: t,
        origin: Origin::Feed("test".into()),
        event,
    };
    writer
        .append(envelope(at(0), Event::SiteLoaded(Box::new(site))))
        .expect("queued");
    for step in 0..40_i64 {
        let t = at(step * 500);
        for unit in 0..3_i64 {
            let lonlat = [
                origin[0] + 0.0005 * (unit + 1) as f64 + 0.00002 * step as f64,
                origin[1] + 0.0003 * unit as f64,
            ];
            let report = Event::UnitReported(UnitReport {
                id: format!("unit-{unit}"),
                callsign: Some(format!("P-{unit}")),
                kind: if unit == 2 {
                    UnitKind::Foot
                } else {
                    UnitKind::Car
                },
                lonlat,
                ce_m: 5.0,
                heading_deg: Some(90.0),
                speed_mps: Some(1.5),
                stale_at: t + 60_000_000,
            });
            writer.append(envelope(t + unit, report)).expect("queued");
        }
        if step % 2 == 0 {
            let position = DroneTelemetry::Position {
                lat_deg: origin[1] + 0.001,
                lon_deg: origin[0] + 0.00005 * step as f64,
                alt_msl_m: 400.0,
                alt_rel_m: 60.0,
                heading_deg: Some(90.0),
                ground_speed_mps: 5.0,
            };
            let event = Event::DroneTelemetry {
                system_id: 7,
                telemetry: position,
            };
            writer.append(envelope(t + 10, event)).expect("queued");
        }
        if step == 8 {
            let alarm = Event::AlarmPressed {
                site: "cp-02".into(),
                lonlat: origin,
                by: Some("GATE".into()),
            };
            writer.append(envelope(t + 100, alarm)).expect("queued");
        }
        if step == 12 {
            let ack = Event::AlertStateSet {
                id: format!("alarm:cp-02:{}", at(4_000) + 100),
                state: AlertState::Acknowledged,
                by: "Aigerim".into(),
            };
            writer.append(envelope(t + 100, ack)).expect("queued");
        }
    }
    writer.finish().expect("journal written");
}

/// The plaza footage (768×576 H.264, 10 fps) remuxed as a camera
/// recording: its first 20-s segment, named by `start_ms`.
fn record(camera: &Path, start_ms: i64) {
    std::fs::create_dir_all(camera).expect("camera folder");
    gst::init().expect("gstreamer");
    let pipeline = gst::parse::launch(&format!(
        "filesrc location=\"{}\" ! qtdemux ! h264parse \
         ! splitmuxsink muxer-factory=matroskamux max-size-time=20000000000 location=\"{}/frag%02d.mkv\"",
        assets().join("footage/vtest-plaza.mp4").display(),
        camera.display()
    ))
    .expect("pipeline");
    pipeline.set_state(gst::State::Playing).expect("plays");
    let message = pipeline
        .bus()
        .expect("bus")
        .timed_pop_filtered(
            gst::ClockTime::from_seconds(60),
            &[gst::MessageType::Eos, gst::MessageType::Error],
        )
        .expect("finishes");
    assert!(
        matches!(message.view(), gst::MessageView::Eos(_)),
        "{message:?}"
    );
    pipeline.set_state(gst::State::Null).expect("stops");
    for entry in std::fs::read_dir(camera).expect("list") {
        let path = entry.expect("entry").path();
        if path.ends_with("frag00.mkv") {
            std::fs::rename(&path, camera.join(format!("{start_ms}.mkv"))).expect("rename");
        } else {
            std::fs::remove_file(&path).expect("remove");
        }
    }
}

fn rfc3339(us: UnixMicros) -> String {
    chrono::DateTime::from_timestamp_micros(us)
        .expect("time")
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A copy of the fixture's journal for one test (sled locks a journal to
/// one process at a time, and tests run side by side).
fn journal_copy(name: &str) -> PathBuf {
    let to = out_dir(name);
    copy_dir(&fixture().journal, &to);
    to
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("list") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `export` with the fixture's journal and recordings over `from..to`
/// (seconds after the start of the journal).
fn export_cmd(journal: &Path, from_s: i64, to_s: i64, out: &Path, audit: &Path) -> Command {
    let f = fixture();
    let mut cmd = watchfloor();
    cmd.arg("export")
        .args(["--from", &rfc3339(f.t0 + from_s * 1_000_000)])
        .args(["--to", &rfc3339(f.t0 + to_s * 1_000_000)])
        .arg("--journal")
        .arg(journal)
        .arg("--recordings")
        .arg(&f.recordings)
        .arg("--out")
        .arg(out)
        .arg("--audit")
        .arg(audit);
    cmd
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).expect("manifest"))
        .expect("json")
}

fn verify(dir: &Path) -> (bool, String) {
    let out = run(watchfloor().args(["export", "verify"]).arg(dir));
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        text(&out)
    );
    (out.status.success(), text(&out))
}

/// Lines of a verify table that name a problem, as (path, state).
fn problems(table: &str) -> Vec<(String, String)> {
    table
        .lines()
        .filter(|l| !l.starts_with("package "))
        .filter(|l| l.contains("MISSING") || l.contains("ALTERED") || l.contains("UNLISTED"))
        .map(|l| {
            let path = l.split_whitespace().next().unwrap_or_default().to_owned();
            let state = l.split("  ").last().unwrap_or_default().trim().to_owned();
            (path, state)
        })
        .collect()
}

#[test]
fn a_package_holds_the_range_and_verify_names_every_change() {
    let f = fixture();
    let journal = journal_copy("export-package-journal");
    let out = out_dir("export-package");
    let audit = out_dir("export-package-audit");
    let run_out = run(&mut export_cmd(&journal, 2, 9, &out, &audit));
    assert!(run_out.status.success(), "{}", text(&run_out));
    let table = text(&run_out);
    assert!(table.contains("redacted     yes"), "{table}");

    let m = manifest(&out);
    assert_eq!(m["format"], "watchfloor-incident/1");
    assert_eq!(m["redacted"], true);
    assert_eq!(m["cameras"], serde_json::json!([CAMERA]));
    let paths: Vec<&str> = m["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "sorted");
    let clips: Vec<&&str> = paths.iter().filter(|p| p.starts_with("clips/")).collect();
    assert_eq!(clips.len(), 1, "{paths:?}");
    let clip_ms: i64 = clips[0]
        .strip_prefix(&format!("clips/{CAMERA}/"))
        .and_then(|n| n.strip_suffix(".mkv"))
        .and_then(|n| n.parse().ok())
        .expect("clip named <ms>.mkv");
    let from_ms = (f.t0 + 2_000_000) / 1000;
    assert!(
        clip_ms.abs_diff(from_ms) <= 100,
        "named by its first frame: {clip_ms} vs {from_ms}"
    );
    for name in [
        "events.jsonl",
        "state.json",
        "tracks.geojson",
        "layers.geojson",
    ] {
        assert!(paths.contains(&name), "{name} in {paths:?}");
    }

    check_contents(&out, &journal, f);
    check_verify_and_tampering(&out, clips[0]);

    let shown = run(watchfloor().args(["audit", "show", "--dir"]).arg(&audit));
    assert!(text(&shown).contains("exported"), "{}", text(&shown));
    assert!(
        !text(&shown).contains("redaction lifted"),
        "{}",
        text(&shown)
    );
}

/// Events, state, tracks and layers against the journal itself.
fn check_contents(out: &Path, journal: &Path, f: &Fixture) {
    let (from, to) = (f.t0 + 2_000_000, f.t0 + 9_000_000);
    let journal = Journal::open(journal).expect("journal (the export has closed it)");
    let expected: Vec<Envelope> = journal
        .events(from, to)
        .map(|e| e.expect("event").1)
        .collect();
    let events = std::fs::read_to_string(out.join("events.jsonl")).expect("events");
    let lines: Vec<&str> = events.lines().collect();
    assert_eq!(lines.len(), expected.len());
    assert_eq!(
        lines.len(),
        15 + 14 + 14 + 7 + 2,
        "units, drone, alarm, acknowledgement"
    );
    for (line, want) in lines.iter().zip(&expected) {
        assert_eq!(&Envelope::from_json(line).expect("an envelope"), want);
    }

    let empty = World::new(f.origin);
    let state = journal.state_at(from, empty.state()).expect("state");
    let written = std::fs::read_to_string(out.join("state.json")).expect("state.json");
    assert_eq!(
        written.trim_end(),
        serde_json::to_string(state.state()).expect("json")
    );
    assert!(state.state().alerts.is_empty() && state.state().units.len() == 3);
    let end = journal
        .state_at(to, empty.state())
        .expect("state at the end");
    assert_eq!(
        end.state()
            .alerts
            .values()
            .map(|a| a.state)
            .collect::<Vec<_>>(),
        [AlertState::Acknowledged],
        "the alarm and its acknowledgement are in the range"
    );

    let tracks: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("tracks.geojson")).expect("tracks"))
            .expect("json");
    let features = tracks["features"].as_array().expect("features");
    assert_eq!(features.len(), 4, "three units and a drone");
    let unit0 = features
        .iter()
        .find(|t| t["properties"]["id"] == "unit-0")
        .expect("unit-0");
    assert_eq!(unit0["geometry"]["type"], "LineString");
    assert_eq!(unit0["properties"]["kind"], "car");
    assert_eq!(unit0["properties"]["name"], "P-0");
    // Its position at `from`, then one report every half second to `to`.
    let points = unit0["geometry"]["coordinates"].as_array().expect("line");
    assert_eq!(points.len(), 1 + 14, "{points:?}");
    let drone = features
        .iter()
        .find(|t| t["properties"]["kind"] == "drone")
        .expect("the drone");
    assert_eq!(drone["properties"]["id"], "7");

    let layers = std::fs::read_to_string(out.join("layers.geojson")).expect("layers");
    for layer in ["\"checkpoint\"", "\"camera\"", "\"ring\"", CAMERA] {
        assert!(layers.contains(layer), "{layer} in layers.geojson");
    }
}

/// Verify passes; notes are accepted; each change is named, nothing else.
fn check_verify_and_tampering(out: &Path, clip: &str) {
    let (ok, table) = verify(out);
    let listed = manifest(out)["files"].as_array().expect("files").len();
    assert!(ok, "{table}");
    assert!(
        table.contains(&format!("package verified: {listed} files")),
        "{table}"
    );

    std::fs::write(out.join("notes.jsonl"), "{\"note\": \"reviewed\"}\n").expect("notes");
    let (ok, table) = verify(out);
    assert!(ok, "{table}");
    assert!(
        table.contains("notes.jsonl")
            && table.contains("trainer notes (not covered by the manifest)"),
        "{table}"
    );

    let clip_path = out.join(clip);
    let mut bytes = std::fs::read(&clip_path).expect("clip");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&clip_path, bytes).expect("tamper clip");
    let mut events = std::fs::read_to_string(out.join("events.jsonl")).expect("events");
    events = events.replacen("\"unit-1\"", "\"unit-9\"", 1);
    std::fs::write(out.join("events.jsonl"), events).expect("tamper events");
    let (ok, table) = verify(out);
    assert!(!ok, "{table}");
    let mut named = problems(&table);
    named.sort();
    assert_eq!(
        named.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        [clip, "events.jsonl"],
        "{table}"
    );
    assert!(named.iter().all(|(_, s)| s.contains("ALTERED")), "{table}");

    std::fs::write(out.join("extra.txt"), "added").expect("extra");
    std::fs::remove_file(out.join("state.json")).expect("remove");
    let (ok, table) = verify(out);
    assert!(!ok, "{table}");
    let named = problems(&table);
    assert!(
        named.contains(&("extra.txt".into(), "UNLISTED (not in the manifest)".into())),
        "{table}"
    );
    assert!(
        named
            .iter()
            .any(|(p, s)| p == "state.json" && s == "MISSING"),
        "{table}"
    );
    assert_eq!(named.len(), 4, "{table}");
}

#[test]
fn lifting_redaction_needs_a_supervisor_and_is_audited() {
    let journal = journal_copy("export-unredacted-journal");
    let out = out_dir("export-unredacted");
    let audit = out_dir("export-unredacted-audit");
    let refused = run(export_cmd(&journal, 3, 6, &out, &audit).args([
        "--unredacted",
        "--reason",
        "court order 17",
    ]));
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(
        text(&refused).contains("--role supervisor"),
        "{}",
        text(&refused)
    );
    assert!(!out.exists() && !audit.exists(), "nothing written");

    let no_reason = run(export_cmd(&journal, 3, 6, &out, &audit).args([
        "--unredacted",
        "--role",
        "supervisor",
    ]));
    assert!(!no_reason.status.success(), "a reason is required");
    assert!(
        text(&no_reason).contains("--reason"),
        "{}",
        text(&no_reason)
    );
    assert!(!out.exists() && !audit.exists(), "nothing written");

    let done = run(export_cmd(&journal, 3, 6, &out, &audit).args([
        "--unredacted",
        "--role",
        "supervisor",
        "--reason",
        "court order 17",
    ]));
    assert!(done.status.success(), "{}", text(&done));
    assert!(
        text(&done).contains("NO (lifted, audited)"),
        "{}",
        text(&done)
    );
    assert_eq!(manifest(&out)["redacted"], false);
    assert!(verify(&out).0);

    let shown = text(&run(watchfloor()
        .args(["audit", "show", "--dir"])
        .arg(&audit)));
    let lifted = shown.find("redaction lifted").expect(&shown);
    let exported = shown.find("exported").expect(&shown);
    assert!(lifted < exported, "lifted, then exported: {shown}");
    assert!(shown.contains("court order 17"), "{shown}");
    assert!(shown.contains("supervisor"), "{shown}");
    let verified = run(watchfloor().args(["audit", "verify", "--dir"]).arg(&audit));
    assert!(verified.status.success(), "{}", text(&verified));
}

#[test]
fn a_journal_in_use_is_named_and_nothing_is_written() {
    let journal = journal_copy("export-locked-journal");
    let _held = Journal::open(&journal).expect("held, as the console would");
    let out = out_dir("export-locked");
    let audit = out_dir("export-locked-audit");
    let failed = run(&mut export_cmd(&journal, 2, 4, &out, &audit));
    assert!(!failed.status.success());
    let said = text(&failed);
    assert!(
        said.contains("is in use (is the console running?)"),
        "{said}"
    );
    assert!(said.contains(&journal.display().to_string()), "{said}");
    assert!(!out.exists(), "nothing written");
}

/// Export → verify → open for a trainer: the package replays with map and
/// wall on one clock, a note is saved with the package (and verify still
/// passes, naming it), opening is audited, and a tampered package is
/// refused with the altered file named.
#[test]
#[expect(clippy::too_many_lines, reason = "one trainer's session, start to end")]
fn an_exported_package_opens_for_a_trainer_in_sync_and_keeps_notes() {
    use egui_kittest::Harness;
    use watchfloor_app::compose::Station;
    use watchfloor_app::console::{ConsoleOptions, modes::Role, theme};
    use watchfloor_runtime::camera_set::Recorded;

    let f = fixture();
    let journal = journal_copy("trainer-journal");
    let out = out_dir("trainer-package");
    let audit = out_dir("trainer-audit");
    let made = run(&mut export_cmd(&journal, 2, 9, &out, &audit));
    assert!(made.status.success(), "{}", text(&made));
    assert!(verify(&out).0);

    let opened = watchfloor_runtime::package::open(&out, &out_dir("trainer-work"))
        .expect("a verified package opens");
    let (from, to) = (opened.from_us, opened.to_us);
    assert_eq!((from, to), (f.t0 + 2_000_000, f.t0 + 9_000_000));
    let original = Journal::open(&journal).expect("the export closed it");
    let empty = World::new(f.origin).state().clone();

    let mut console = Station::of(&ConsoleOptions {
        lang: watchfloor_app::i18n::Lang::En,
        demo: false,
        role: Some(Role::Trainer),
        mode: None,
        checkpoint: None,
        ..ConsoleOptions::default()
    });
    let trainer_audit = out_dir("trainer-audit-console");
    console.attach_audit(
        watchfloor_layers::audit::AuditTrail::start(&trainer_audit).expect("audit log"),
    );
    console.train_on(opened);
    let mut h = Harness::builder()
        .with_size([1920.0, 1080.0])
        .wgpu()
        .with_context_setup(theme::apply)
        .build_ui_state(|ui, console: &mut Station| console.ui(ui), console);
    h.state_mut().set_video_ready();

    // At an instant inside the package, the map is the original journal's
    // world then and the wall shows the picture recorded then.
    let at = from + 3_500_000;
    h.state_mut().console_mut().enter_replay(at);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let then = original.state_at(at, &empty).expect("rebuilds");
    // The package opened at its start: a picture of that may still arrive
    // before the one asked for now (latest wins). Wait for both to agree.
    loop {
        h.run_steps(1);
        let c = h.state();
        let picture = c
            .camera_views()
            .iter()
            .find(|v| v.id == CAMERA)
            .and_then(|v| v.recorded.clone());
        let map_ok = c.world().expect("world").world().state() == then.state();
        let shown_us = match picture {
            Some(Recorded::At(shown)) => i64::try_from(
                shown
                    .duration_since(std::time::UNIX_EPOCH)
                    .expect("after 1970")
                    .as_micros(),
            )
            .ok(),
            _ => None,
        };
        // The picture on screen then: recorded at or less than a frame
        // (10 fps here) before the instant.
        if map_ok && shown_us.is_some_and(|s| (0..100_000).contains(&(at - s))) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "map and wall never reached the clock's instant {at}: map {map_ok}, wall {shown_us:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // A package cannot go live and acts on nothing.
    h.state_mut().console_mut().go_live();
    assert_eq!(h.state().console().replay_at(), Some(at));
    assert!(
        !h.state()
            .console()
            .may(watchfloor_app::console::modes::Action::Acknowledge)
    );

    // Play a moment at 4×, then pause: still inside the package.
    h.state_mut().console_mut().set_replay_speed(4.0);
    h.state_mut().console_mut().set_replay_playing(true);
    for _ in 0..10 {
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    h.state_mut().console_mut().set_replay_playing(false);
    let played = h.state().console().replay_at().expect("replaying");
    assert!(played > at && played <= to, "{at} → {played}");

    h.state_mut()
        .console_mut()
        .add_bookmark("Unit 2 reaches the alarm");
    drop(h);
    let notes = std::fs::read_to_string(out.join("notes.jsonl")).expect("notes saved");
    assert!(notes.contains("Unit 2 reaches the alarm"), "{notes}");
    assert!(notes.contains(&format!("\"at_us\":{played}")), "{notes}");
    let (ok, table) = verify(&out);
    assert!(ok, "notes do not break the package: {table}");
    assert!(table.contains("trainer notes"), "{table}");
    let shown = run(watchfloor()
        .args(["audit", "show", "--dir"])
        .arg(&trainer_audit));
    assert!(text(&shown).contains("replay opened"), "{}", text(&shown));

    // A tampered package is refused, naming the file.
    let events = out.join("events.jsonl");
    let mut bytes = std::fs::read(&events).expect("events");
    bytes[10] ^= 1;
    std::fs::write(&events, bytes).expect("tamper");
    let refused = run(watchfloor()
        .arg("--screenshot")
        .arg(out_dir("trainer-refused.png"))
        .arg("replay")
        .arg(&out));
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("events.jsonl") && text(&refused).contains("not opened"),
        "{}",
        text(&refused)
    );
}

/// Distinct colours in a region (fractions of the image) of a PNG.
fn distinct_colours(path: &Path, x: [f32; 2], y: [f32; 2]) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).expect("window screenshot exists"),
    ));
    let mut reader = decoder.read_info().expect("png header");
    let mut rgba = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut rgba).expect("png data");
    let (width, height) = (info.width as usize, info.height as usize);
    let xs = (x[0] * width as f32) as usize..(x[1] * width as f32) as usize;
    let ys = (y[0] * height as f32) as usize..(y[1] * height as f32) as usize;
    let mut seen = std::collections::HashSet::new();
    for row in ys {
        for col in xs.clone() {
            let i = (row * width + col) * 4;
            seen.insert([rgba[i], rgba[i + 1], rgba[i + 2]]);
        }
    }
    seen.len()
}

/// The trainer's real window (eframe on lavapipe under Xvfb) opens an
/// exported package: the wall shows the recorded picture, and opening it
/// is in the audit trail.
#[test]
fn a_package_opens_in_the_trainer_window_under_xvfb() {
    let journal = journal_copy("trainer-window-journal");
    let out = out_dir("trainer-window-package");
    let made = run(&mut export_cmd(
        &journal,
        2,
        9,
        &out,
        &out_dir("trainer-window-export-audit"),
    ));
    assert!(made.status.success(), "{}", text(&made));
    let shot = out_dir("trainer-window.png");
    let config = out_dir("trainer-window-config");
    let window = Command::new("timeout")
        .args(["120", "xvfb-run", "-a", "-s", "-screen 0 1600x900x24"])
        .arg(env!("CARGO_BIN_EXE_watchfloor"))
        .args(["--size", "1600x900", "--config-dir"])
        .arg(&config)
        .arg("--audit")
        .arg(config.join("audit"))
        .arg("--window-shot")
        .arg("8")
        .arg(&shot)
        .arg("replay")
        .arg(&out)
        .output()
        .expect("xvfb-run is installed (scripts/setup.sh --test)");
    let log = text(&window);
    assert!(window.status.success(), "{log}");
    assert!(
        log.contains("incident package verified and opened"),
        "{log}"
    );
    assert!(log.contains("window screenshot written"), "{log}");
    // The wall's first tile (2×2 at 1600×900) shows the recorded picture.
    let colours = distinct_colours(&shot, [0.44, 0.55], [0.22, 0.33]);
    assert!(colours > 500, "the wall tile shows {colours} colours");
    let shown = run(watchfloor()
        .args(["audit", "show", "--dir"])
        .arg(config.join("audit")));
    let listed = text(&shown);
    assert!(listed.contains("role chosen: trainer"), "{listed}");
    assert!(listed.contains("replay opened: package"), "{listed}");
}

/// The console's own export (Export… on the timeline), by a supervisor who
/// lifts redaction with a reason: the package is written from the console's
/// open journal, verifies, and the audit trail holds the lifting (with its
/// reason) and then the export with the manifest's hash.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one supervisor's export, dialog to audit"
)]
fn a_supervisor_exports_from_the_console_and_it_is_audited() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;
    use watchfloor_app::compose::Station;
    use watchfloor_app::console::{ConsoleOptions, modes::Role, theme};
    use watchfloor_app::i18n::{Lang, Msg};

    let f = fixture();
    let journal = journal_copy("console-export-journal");
    let out = out_dir("console-export-package");
    let audit = out_dir("console-export-audit");
    let live = watchfloor_runtime::world::LiveWorld::start(
        watchfloor_runtime::world::WorldOptions {
            site: None,
            basemap: None,
            journal: Some(journal),
            recordings: f.recordings.clone(),
            ports: watchfloor_runtime::feeds::FeedPorts {
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
    let mut console = Station::of(&ConsoleOptions {
        lang: Lang::En,
        demo: false,
        role: Some(Role::Supervisor),
        mode: None,
        checkpoint: None,
        ..ConsoleOptions::default()
    });
    console.attach_audit(watchfloor_layers::audit::AuditTrail::start(&audit).expect("audit"));
    console.set_recordings(f.recordings.clone());
    console.attach_world(live);
    console
        .console_mut()
        .open_export_for(f.t0 + 2_000_000, f.t0 + 6_000_000, &out);
    let mut h = Harness::builder()
        .with_size([1920.0, 1080.0])
        .wgpu()
        .with_context_setup(theme::apply)
        .build_ui_state(|ui, console: &mut Station| console.ui(ui), console);
    h.run_steps(2);
    h.get_by_label(Msg::ExportLift.text(Lang::En)).click();
    h.run_steps(2);
    let hint = Msg::ExportReason.text(Lang::En);
    let reason_field = |h: &Harness<'_, Station>| {
        use egui_kittest::kittest::NodeT as _;
        h.get_all_by_role(egui::accesskit::Role::TextInput)
            .find(|n| n.accesskit_node().placeholder() == Some(hint))
            .expect("the reason field")
            .click();
    };
    reason_field(&h);
    h.run_steps(2);
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| {
            use egui_kittest::kittest::NodeT as _;
            n.accesskit_node().is_focused()
        })
        .expect("the reason field has focus")
        .type_text("court order 17");
    h.run_steps(2);
    // The console's journal opens on the world's thread.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while h
        .state()
        .world()
        .and_then(watchfloor_runtime::world::LiveWorld::journal)
        .is_none()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the journal did not open"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.get_by_label(Msg::ExportRun.text(Lang::En)).click();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        h.run_steps(1);
        match h.state().export_outcome() {
            Some(Ok(summary)) => {
                assert!(summary.contains("verified"), "{summary}");
                break;
            }
            Some(Err(e)) => panic!("the export failed: {e}"),
            None => {}
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the export did not finish"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    h.get_by_label_contains("verified");
    drop(h);
    assert_eq!(manifest(&out)["redacted"], false);
    let (ok, table) = verify(&out);
    assert!(ok, "{table}");
    let shown = text(&run(watchfloor()
        .args(["audit", "show", "--dir"])
        .arg(&audit)));
    let lifted = shown.find("redaction lifted").expect(&shown);
    let exported = shown.find("exported").expect(&shown);
    assert!(lifted < exported, "{shown}");
    assert!(
        shown.contains("court order 17") && shown.contains("manifest SHA-256"),
        "{shown}"
    );
}
