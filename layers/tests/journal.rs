//! The journal rebuilds exactly the live state at any instant, and survives
//! `kill -9` losing at most the last second.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use watchfloor_layers::event::{Envelope, Event, Origin, UnitReport};
use watchfloor_layers::frame::LocalFrame;
use watchfloor_layers::journal::{Journal, JournalWriter};
use watchfloor_layers::model::{AlertSource, Ring, UnitKind, UnixMicros};
use watchfloor_layers::status::{AlertSeverity, AlertState, UnitStatus};
use watchfloor_layers::world::{World, WorldState};

const ORIGIN: [f64; 2] = [71.43, 51.13];
const T0: UnixMicros = 1_790_000_000_000_000;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn report(id: usize, t: UnixMicros, lonlat: [f64; 2]) -> Envelope {
    Envelope {
        at: t,
        origin: Origin::Feed("cot/udp test".into()),
        event: Event::UnitReported(UnitReport {
            id: format!("unit-{id}"),
            callsign: Some(format!("P-{id}")),
            kind: if id.is_multiple_of(3) {
                UnitKind::Foot
            } else {
                UnitKind::Car
            },
            lonlat,
            ce_m: 5.0,
            heading_deg: Some((id * 37 % 360) as f64),
            speed_mps: Some(10.0),
            stale_at: t + 60_000_000,
        }),
    }
}

/// Three minutes of 30 units driving in circles, with a ring drawn, alarms,
/// acknowledgement, dispatch, arrival and resolution along the way.
fn scenario() -> Vec<Envelope> {
    let frame = LocalFrame::new(ORIGIN);
    let mut events = Vec::new();
    for s in 0..180_i64 {
        let t = T0 + s * 1_000_000;
        for id in 0..30 {
            let angle = (s as f64 * 3.0 + id as f64 * 12.0).to_radians();
            let radius = 500.0 + 100.0 * id as f64;
            events.push(report(
                id,
                t + id as i64 * 1000,
                frame.lonlat([radius * angle.cos(), radius * angle.sin()]),
            ));
        }
        let op = |event| Envelope {
            at: t + 500_000,
            origin: Origin::Operator("Aigerim".into()),
            event,
        };
        match s {
            20 => events.push(op(Event::RingDrawn(Ring::circle(
                "em-1",
                "Emergency 1",
                ORIGIN,
                1200.0,
                &frame,
            )))),
            30 => events.push(op(Event::AlarmPressed {
                site: "compound-3".into(),
                lonlat: frame.lonlat([300.0, 0.0]),
                by: None,
            })),
            35 => events.push(op(Event::AlertStateSet {
                id: alarm_id(30),
                state: AlertState::Acknowledged,
                by: "Aigerim".into(),
            })),
            40 => events.push(op(Event::Dispatched {
                alert: alarm_id(30),
                units: vec!["unit-1".into(), "unit-2".into()],
                by: "Aigerim".into(),
                etas_s: vec![40.0, 55.0],
            })),
            80 => events.push(op(Event::UnitOnScene {
                unit: "unit-1".into(),
                alert: alarm_id(30),
            })),
            100 => events.push(op(Event::UnitStatusSet {
                id: "unit-7".into(),
                status: UnitStatus::OffDuty,
            })),
            120 => events.push(op(Event::AlertRaised {
                id: "det-1".into(),
                source: AlertSource::Operator,
                severity: AlertSeverity::Medium,
                title: "Crowd".into(),
                lonlat: ORIGIN,
            })),
            150 => events.push(op(Event::AlertStateSet {
                id: alarm_id(30),
                state: AlertState::Resolved,
                by: "Aigerim".into(),
            })),
            170 => events.push(op(Event::RingRemoved { id: "em-1".into() })),
            _ => {}
        }
    }
    events
}

fn alarm_id(second: i64) -> String {
    format!("alarm:compound-3:{}", T0 + second * 1_000_000 + 500_000)
}

#[test]
fn rebuilt_state_equals_the_live_state_at_sampled_instants() {
    let dir = temp_dir("journal-rebuild");
    let journal = Journal::open(&dir).expect("open");
    let writer = JournalWriter::start(journal.clone(), World::new(ORIGIN)).expect("writer");
    let mut live = World::new(ORIGIN);
    let samples: Vec<UnixMicros> = [
        0.2, 19.9, 20.6, 30.6, 44.0, 80.5, 99.0, 133.3, 150.6, 179.9, 500.0,
    ]
    .iter()
    .map(|s| T0 + (s * 1e6) as i64)
    .collect();
    let mut expected: Vec<WorldState> = Vec::new();
    let events = scenario();
    let mut next = 0;
    for e in &events {
        while next < samples.len() && e.at > samples[next] {
            expected.push(live.state().clone());
            next += 1;
        }
        live.apply(e);
        writer.append(e.clone()).expect("queued");
    }
    while expected.len() < samples.len() {
        expected.push(live.state().clone());
    }
    writer.finish().expect("written");
    assert_eq!(journal.len(), events.len());
    assert!(
        journal.snapshot_count() >= 10,
        "snapshots every 10 s: {}",
        journal.snapshot_count()
    );
    let empty = World::new(ORIGIN).state().clone();
    for (t, want) in samples.iter().zip(&expected) {
        let got = journal.state_at(*t, &empty).expect("rebuilds");
        assert!(
            got.state() == want,
            "state at +{} s differs",
            (t - T0) as f64 / 1e6
        );
    }
    // The scenario really moved the world along.
    let end = journal
        .state_at(T0 + 400_000_000, &empty)
        .expect("rebuilds");
    assert_eq!(
        end.state().alerts[&alarm_id(30)].state,
        AlertState::Resolved
    );
    assert_eq!(end.state().units["unit-7"].status, UnitStatus::OffDuty);
    drop(journal);
    std::fs::remove_dir_all(&dir).ok();
}

/// Run as a child by the kill test: appends one event per millisecond,
/// stamped with the wall clock, until killed.
#[test]
fn journal_child_writer() {
    let Some(dir) = std::env::var_os("WATCHFLOOR_JOURNAL_CHILD") else {
        return; // only meaningful as the kill test's child
    };
    let journal = Journal::open(&PathBuf::from(dir)).expect("open");
    let writer = JournalWriter::start(journal, World::new(ORIGIN)).expect("writer");
    println!("ready");
    for i in 0_usize.. {
        writer
            .append(report(i % 100, now_us(), ORIGIN))
            .expect("queued");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn now_us() -> UnixMicros {
    chrono::Utc::now().timestamp_micros()
}

#[test]
fn kill_9_loses_at_most_the_last_second() {
    let dir = temp_dir("journal-kill");
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "journal_child_writer",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("WATCHFLOOR_JOURNAL_CHILD", &dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("child starts");
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    let started = Instant::now();
    while !line.contains("ready") {
        line.clear();
        std::io::BufRead::read_line(&mut stdout, &mut line).expect("child output");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "child never got ready"
        );
    }
    std::thread::sleep(Duration::from_millis(2500));
    let killed_at = now_us();
    // SIGKILL: no destructor, no flush.
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    let journal = Journal::open(&dir).expect("reopens after a crash");
    let last = journal
        .last_key()
        .expect("readable")
        .expect("events survived");
    let lost_ms = (killed_at - last.at) as f64 / 1000.0;
    assert!(journal.len() > 1000, "{} events", journal.len());
    assert!(lost_ms <= 1000.0, "lost the last {lost_ms} ms");
    // Every surviving record decodes.
    assert_eq!(
        journal.events(0, i64::MAX).filter(Result::is_err).count(),
        0
    );
    println!(
        "kill -9: {} events kept, last {lost_ms:.0} ms lost",
        journal.len()
    );
    drop(journal);
    std::fs::remove_dir_all(&dir).ok();
}

/// A journal whose filesystem fills up (a 512 KiB tmpfs): the writer says
/// why it is not writing and keeps accepting events (held in memory), never
/// stopping; once there is room it writes again by itself, and the journal
/// then holds every event, in order, none lost. Needs root to mount the
/// tmpfs.
#[test]
fn a_full_disk_is_reported_and_writing_resumes_with_no_event_lost() {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    assert!(
        is_root,
        "this test mounts a tmpfs and needs root (CI and the project's machines run as root)"
    );
    let dir = temp_dir("journal-full");
    std::fs::create_dir_all(&dir).expect("dir");
    let dir_text = dir.to_str().expect("utf-8").to_owned();
    let mount = |args: &[&str]| {
        assert!(
            Command::new("mount")
                .args(args)
                .status()
                .expect("mount")
                .success(),
            "mount {args:?}"
        );
    };
    mount(&["-t", "tmpfs", "-o", "size=512k", "tmpfs", &dir_text]);
    let _unmount = Unmount(dir_text.clone());
    let path = dir.join("journal");
    let journal = Journal::open(&path).expect("opens");
    let writer = JournalWriter::start(journal, World::new(ORIGIN)).expect("writer");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut sent = 0;
    while writer.health().failing.is_none() {
        assert!(Instant::now() < deadline, "the disk never filled");
        for _ in 0..200 {
            let t = T0 + sent as i64 * 1_000;
            writer
                .append(report(sent % 500, t, [71.43, 51.13]))
                .expect("accepted while writing");
            sent += 1;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let health = writer.health();
    let why = health.failing.clone().expect("failing");
    assert!(why.contains("space"), "{why}");
    // Still accepting: events are held, the writer does not stop.
    for i in 0..500 {
        writer
            .append(report(i, T0 + (sent + i) as i64 * 1_000, [71.43, 51.13]))
            .expect("accepted while failing");
    }
    sent += 500;
    std::thread::sleep(Duration::from_millis(500));
    assert!(writer.health().pending > 0, "{:?}", writer.health());
    // Room again: writing resumes by itself.
    mount(&["-o", "remount,size=64m", &dir_text]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while writer.health().failing.is_some() {
        assert!(
            Instant::now() < deadline,
            "writing did not resume: {:?}",
            writer.health()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    for i in 0..100 {
        writer
            .append(report(i, T0 + (sent + i) as i64 * 1_000, [71.43, 51.13]))
            .expect("accepted again");
    }
    sent += 100;
    writer.finish().expect("finishes");
    // Sled lets go of its lock when its flusher thread has stopped, a
    // moment after the last handle is dropped.
    let deadline = Instant::now() + Duration::from_secs(10);
    let reopened = loop {
        match Journal::open(&path) {
            Ok(j) => break j,
            Err(e) if Instant::now() < deadline && e.to_string().contains("lock") => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => panic!("a sound journal: {e}"),
        }
    };
    let mut last = None;
    let mut count = 0;
    for item in reopened.events(UnixMicros::MIN, UnixMicros::MAX) {
        let (key, _) = item.expect("every stored event decodes");
        assert!(last.is_none_or(|l| l < key), "in order");
        last = Some(key);
        count += 1;
    }
    println!("{count} of {sent} events on disk after the disk filled and had room again; {why}");
    assert_eq!(count, sent, "no event lost");
}

/// Unmounts a test's tmpfs when dropped.
struct Unmount(String);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}
