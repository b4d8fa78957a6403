//! Recording from a real RTSP camera (the simulator) into Matroska segments:
//! coverage of the recorded span, seeking by wall-clock time, retention, and
//! surviving `kill -9` of the recording process.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::{camera, sim_options, wait_until};
use watchfloor_media::camera::CameraId;
use watchfloor_media::health::CameraState;
use watchfloor_media::ingest::{CameraIngest, IngestOptions};
use watchfloor_media::record::{self, RecordOptions, Recorder};
use watchfloor_media::sim::Simulator;

const SEGMENT: Duration = Duration::from_secs(2);

fn simulator() -> Simulator {
    Simulator::start(&sim_options(1, 0)).expect("simulator")
}

fn options() -> IngestOptions {
    let mut o = IngestOptions::default();
    o.graph.width = 320;
    o.graph.height = 180;
    o
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn skew_abs(a: SystemTime, b: SystemTime) -> Duration {
    a.duration_since(b).unwrap_or_else(|e| e.duration())
}

/// Records from `url` for `seconds`; returns when recording started and
/// stopped, the camera's folder, and the wall-clock arrival of the first
/// frame (which is also the first recorded frame: both wait for a keyframe).
fn record_for(
    url: &str,
    dir: &Path,
    seconds: u64,
    max_bytes: Option<u64>,
) -> (SystemTime, SystemTime, PathBuf, SystemTime) {
    let recorder = Arc::new(
        Recorder::new(
            &CameraId::new("rec-cam"),
            RecordOptions {
                dir: dir.to_path_buf(),
                segment: SEGMENT,
                max_age: None,
                max_bytes,
            },
        )
        .expect("recorder"),
    );
    let camera_dir = recorder.dir().to_path_buf();
    let ingest = CameraIngest::start(camera("rec-cam", url), options(), 1, None, Some(recorder))
        .expect("ingest");
    let mut first_frame = None;
    let consumer = ingest.consumer(0).expect("consumer");
    assert!(wait_until(Duration::from_secs(15), || {
        first_frame = consumer.take().map(|f| SystemTime::now() - f.age());
        first_frame.is_some()
    }));
    assert!(wait_until(Duration::from_secs(15), || ingest
        .status()
        .state
        == CameraState::Live));
    let started = SystemTime::now();
    std::thread::sleep(Duration::from_secs(seconds));
    let stopped = SystemTime::now();
    drop(ingest);
    (
        started,
        stopped,
        camera_dir,
        first_frame.expect("first frame"),
    )
}

#[test]
fn segments_cover_the_recorded_span_and_seek_to_a_wall_clock_time() {
    let sim = simulator();
    let dir = temp_dir("rec-span");
    let (started, stopped, camera_dir, first_frame) =
        record_for(&sim.cameras()[0].url, &dir, 7, None);
    let segments = record::list_segments(&camera_dir).expect("list");
    assert!(segments.len() >= 3, "{segments:?}");
    // Coverage: the first segment starts around when recording began, the
    // starts follow each other without gaps longer than a segment plus a GOP.
    let first = segments[0].start;
    // The index is accurate: the first segment is dated by its first frame.
    // (measured: within 4 ms; the bound leaves room for a loaded CI machine)
    let index_error = skew_abs(first, first_frame);
    println!("first segment dated {index_error:?} from its first frame's arrival");
    assert!(
        index_error < Duration::from_millis(100),
        "index off by {index_error:?}"
    );
    let skew = |a: SystemTime, b: SystemTime| {
        a.duration_since(b)
            .or_else(|e| Ok::<_, ()>(e.duration()))
            .unwrap_or_default()
    };
    assert!(
        skew(first, started) < Duration::from_secs(3),
        "first segment far from start"
    );
    for pair in segments.windows(2) {
        let gap = pair[1]
            .start
            .duration_since(pair[0].start)
            .expect("ordered");
        assert!(gap <= SEGMENT * 2 + Duration::from_secs(1), "gap {gap:?}");
    }
    let last_written = std::fs::metadata(&segments.last().expect("last").path)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert!(
        skew(last_written, stopped) < Duration::from_secs(2),
        "recording stopped early"
    );

    for pair in segments.windows(2) {
        let gap = pair[1]
            .start
            .duration_since(pair[0].start)
            .expect("ordered");
        let media = record::segment_duration(&pair[0].path).expect("duration");
        println!("segment gap {gap:?} media {media:?}");
        // Each segment is dated by its own first frame: the gap to the next
        // equals its media duration. (splitmuxsink names fragments a GOP
        // late; dating by the name request made every later name ~0.9 s late.)
        assert!(
            gap.abs_diff(media) < Duration::from_millis(100),
            "gap {gap:?} vs media {media:?}"
        );
    }
    // Every segment decodes from its start.
    for segment in &segments {
        record::decode_frame_at(&segment.path, Duration::ZERO).expect("segment decodes");
    }
    // Seek to a wall-clock instant in the middle of the recording.
    let middle = started + stopped.duration_since(started).expect("span") / 2;
    let (segment, offset) = record::locate(&camera_dir, middle)
        .expect("locate")
        .expect("covered");
    let position = record::decode_frame_at(&segment.path, offset).expect("seek");
    let error = position.abs_diff(offset);
    assert!(
        error < Duration::from_millis(700),
        "asked {offset:?}, got {position:?}"
    );
    // Before the recording, nothing is found.
    let before = first - Duration::from_secs(60);
    assert!(
        record::locate(&camera_dir, before)
            .expect("locate")
            .is_none()
    );
}

#[test]
fn retention_keeps_the_folder_under_its_size_limit() {
    let sim = simulator();
    let dir = temp_dir("rec-size");
    let limit = 60_000;
    let (_, _, camera_dir, _) = record_for(&sim.cameras()[0].url, &dir, 9, Some(limit));
    let segments = record::list_segments(&camera_dir).expect("list");
    let total: u64 = segments.iter().map(|s| s.bytes).sum();
    let newest = segments.last().map_or(0, |s| s.bytes);
    // Retention runs when a segment closes; the newest (open) one is kept.
    assert!(
        total <= limit + newest + 40_000,
        "total {total} bytes in {} segments",
        segments.len()
    );
    assert!(
        segments.len() < 5,
        "old segments were not deleted: {}",
        segments.len()
    );
}

/// Run as a child process by the kill -9 test: records until killed.
#[test]
#[ignore = "helper process for recording_survives_kill_9"]
fn recording_child_process() {
    let url = std::env::var("WF_CHILD_URL").expect("WF_CHILD_URL");
    let dir = PathBuf::from(std::env::var("WF_CHILD_DIR").expect("WF_CHILD_DIR"));
    let _ = record_for(&url, &dir, 3600, None);
}

#[test]
fn recording_survives_kill_9() {
    let sim = simulator();
    let dir = temp_dir("rec-kill");
    let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "recording_child_process",
            "--ignored",
            "--nocapture",
        ])
        .env("WF_CHILD_URL", &sim.cameras()[0].url)
        .env("WF_CHILD_DIR", &dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("child");
    let camera_dir = dir.join("rec-cam");
    let enough = wait_until(Duration::from_secs(30), || {
        record::list_segments(&camera_dir).is_ok_and(|s| s.len() >= 3)
    });
    std::thread::sleep(Duration::from_millis(700));
    child.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
    let _ = child.wait();
    assert!(enough, "child did not record");

    let segments = record::list_segments(&camera_dir).expect("list");
    let (open, closed) = segments.split_last().expect("segments");
    for segment in closed {
        // Closed segments are whole: finalised with their duration, and they
        // decode at the start and within the last half second.
        record::decode_frame_at(&segment.path, Duration::ZERO).expect("closed segment decodes");
        let duration =
            record::segment_duration(&segment.path).expect("closed segment is finalised");
        assert!(duration > Duration::from_millis(500), "{duration:?}");
        record::decode_frame_at(
            &segment.path,
            duration.saturating_sub(Duration::from_millis(500)),
        )
        .expect("closed segment decodes to its end");
    }
    // The open segment lost at most its unwritten tail: if anything reached
    // the disk, it decodes.
    if open.bytes > 20_000 {
        record::decode_frame_at(&open.path, Duration::ZERO)
            .expect("open segment's written part decodes");
    }
    let open_path = open.path.clone();

    // The next start repairs it (remuxed with its index) or removes it, so
    // every file in the folder plays to its end.
    let outcome = record::repair::repair_interrupted(&camera_dir);
    println!("repair: {outcome:?}");
    let repaired = outcome
        .iter()
        .find(|(p, _)| *p == open_path)
        .map(|(_, r)| r.clone())
        .expect("the interrupted segment was checked");
    assert!(
        matches!(
            repaired,
            record::repair::Repair::Repaired | record::repair::Repair::Removed(_)
        ),
        "{repaired:?}"
    );
    if matches!(repaired, record::repair::Repair::Removed(_)) {
        assert!(
            open.bytes < 1_000,
            "a segment with data is repaired, not removed"
        );
    }
    for segment in record::list_segments(&camera_dir).expect("list") {
        let played = play(&segment.path)
            .unwrap_or_else(|e| panic!("{} unplayable after repair: {e}", segment.path.display()));
        assert!(played.0 > 0, "{}", segment.path.display());
        record::segment_duration(&segment.path).expect("every segment is finalised");
    }
}

/// An RTSP camera on loopback (gst-rtsp-server, our own launch line, not the
/// simulator) whose picture size the test changes mid-stream, as a camera
/// does when its profile is reconfigured.
struct ChangingCamera {
    url: String,
    size: Arc<std::sync::Mutex<Option<gstreamer::Element>>>,
    main_loop: gstreamer::glib::MainLoop,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ChangingCamera {
    fn start(pattern: &str) -> Self {
        use gstreamer_rtsp_server as rtsp;
        use gstreamer_rtsp_server::prelude::*;
        gstreamer::init().expect("gst");
        let server = rtsp::RTSPServer::new();
        server.set_address("127.0.0.1");
        server.set_service("0");
        let factory = rtsp::RTSPMediaFactory::new();
        factory.set_launch(&format!(
            "( videotestsrc is-live=true pattern={pattern} ! capsfilter name=size \
             caps=video/x-raw,format=I420,width=320,height=240,framerate=15/1 ! \
             x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 ! \
             rtph264pay name=pay0 pt=96 config-interval=-1 )"
        ));
        factory.set_shared(true);
        let size = Arc::new(std::sync::Mutex::new(None));
        let slot = Arc::clone(&size);
        factory.connect_media_configure(move |_, media| {
            let bin = media.element().downcast::<gstreamer::Bin>().expect("a bin");
            *slot.lock().expect("slot") = bin.by_name("size");
        });
        server
            .mount_points()
            .expect("mounts")
            .add_factory("/changing", factory);
        let context = gstreamer::glib::MainContext::new();
        let source = server.attach(Some(&context)).expect("attach");
        let port = server.bound_port();
        let main_loop = gstreamer::glib::MainLoop::new(Some(&context), false);
        let ml = main_loop.clone();
        let thread = std::thread::Builder::new()
            .name("changing-camera".into())
            .spawn(move || {
                let _keep = (server, source);
                context.with_thread_default(|| ml.run()).expect("context");
            })
            .expect("spawn");
        Self {
            url: format!("rtsp://127.0.0.1:{port}/changing"),
            size,
            main_loop,
            thread: Some(thread),
        }
    }

    fn resize(&self, width: u32, height: u32) {
        use gstreamer::prelude::*;
        let caps: gstreamer::Caps =
            format!("video/x-raw,format=I420,width={width},height={height},framerate=15/1")
                .parse()
                .expect("caps");
        self.size
            .lock()
            .expect("slot")
            .as_ref()
            .expect("a client is playing")
            .set_property("caps", &caps);
    }
}

impl Drop for ChangingCamera {
    fn drop(&mut self) {
        self.main_loop.quit();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Decodes a segment to the end: its frames and picture sizes, or the error.
fn play(path: &Path) -> Result<(u64, Vec<(i32, i32)>), String> {
    use gstreamer::prelude::*;
    let pipeline = gstreamer::parse::launch(&format!(
        "filesrc location=\"{}\" ! matroskademux ! h264parse ! avdec_h264 ! appsink name=out sync=false",
        path.display()
    ))
    .map_err(|e| e.to_string())?
    .downcast::<gstreamer::Pipeline>()
    .map_err(|_| "not a pipeline".to_owned())?;
    let sink = pipeline
        .by_name("out")
        .expect("appsink")
        .downcast::<gstreamer_app::AppSink>()
        .expect("appsink");
    pipeline
        .set_state(gstreamer::State::Playing)
        .map_err(|e| format!("{e:?}"))?;
    let mut frames = 0;
    let mut sizes = Vec::new();
    let result = loop {
        match sink.try_pull_sample(gstreamer::ClockTime::from_seconds(5)) {
            Some(sample) => {
                frames += 1;
                if let Some(s) = sample
                    .caps()
                    .and_then(|c| c.structure(0).map(ToOwned::to_owned))
                {
                    let size = (
                        s.get::<i32>("width").unwrap_or(0),
                        s.get::<i32>("height").unwrap_or(0),
                    );
                    if sizes.last() != Some(&size) {
                        sizes.push(size);
                    }
                }
            }
            None if sink.is_eos() => break Ok((frames, sizes)),
            None => {
                let bus = pipeline.bus().expect("bus");
                let error = bus
                    .pop_filtered(&[gstreamer::MessageType::Error])
                    .map_or_else(|| "no frame within 5 s".into(), |m| format!("{m:?}"));
                break Err(error);
            }
        }
    };
    let _ = pipeline.set_state(gstreamer::State::Null);
    result
}

/// A camera that changes its picture size mid-stream: the segment in
/// progress closes cleanly, the next starts with the new size, the
/// pipeline does not restart, and every file left is playable (a muxer
/// failure once left a 0-byte segment behind on every change).
#[test]
fn a_resolution_change_mid_stream_starts_a_new_playable_segment() {
    let cam = ChangingCamera::start("ball");
    let dir = temp_dir("rec-resize");
    let recorder = Arc::new(
        Recorder::new(
            &CameraId::new("resize-cam"),
            RecordOptions {
                dir: dir.clone(),
                segment: SEGMENT,
                max_age: None,
                max_bytes: None,
            },
        )
        .expect("recorder"),
    );
    let camera_dir = recorder.dir().to_path_buf();
    let ingest = CameraIngest::start(
        camera("resize-cam", &cam.url),
        options(),
        0,
        None,
        Some(recorder),
    )
    .expect("ingest");
    assert!(wait_until(Duration::from_secs(15), || ingest
        .status()
        .state
        == CameraState::Live));
    std::thread::sleep(Duration::from_secs(3));
    cam.resize(640, 360);
    std::thread::sleep(Duration::from_secs(4));
    cam.resize(160, 120);
    std::thread::sleep(Duration::from_secs(4));
    let status = ingest.status();
    drop(ingest);
    assert_eq!(status.reconnects, 0, "the pipeline restarted: {status:?}");
    let segments = record::list_segments(&camera_dir).expect("list");
    let mut seen = Vec::new();
    for s in &segments {
        let played = play(&s.path);
        println!("{} ({} bytes): {played:?}", s.path.display(), s.bytes);
        let (frames, sizes) =
            played.unwrap_or_else(|e| panic!("{} unplayable: {e}", s.path.display()));
        assert!(frames > 0, "{} has no frames", s.path.display());
        assert_eq!(sizes.len(), 1, "one picture size per segment: {sizes:?}");
        if seen.last() != Some(&sizes[0]) {
            seen.push(sizes[0]);
        }
    }
    assert_eq!(seen, [(320, 240), (640, 360), (160, 120)], "{segments:?}");

    // Export across the changes: the whole span, remuxed and masked
    // (re-encoded), gives one playable clip per segment, each at its size.
    let (from, to) = (
        segments[0].start,
        SystemTime::now() + Duration::from_secs(1),
    );
    let masks = [vec![[0.0, 0.0], [0.3, 0.0], [0.3, 0.3]]];
    for (name, masks) in [("remux", &[][..]), ("masked", &masks[..])] {
        let out = dir.join(format!("export-{name}"));
        let mut edit = watchfloor_media::export::Edit {
            redactor: None,
            masks,
        };
        let clips = watchfloor_media::export::export_clips(&camera_dir, from, to, &out, &mut edit)
            .unwrap_or_else(|e| panic!("{name} export across the changes: {e}"));
        assert_eq!(clips.len(), segments.len(), "{name}: {clips:?}");
        let mut sizes = Vec::new();
        for clip in &clips {
            let (frames, s) = play(&clip.path)
                .unwrap_or_else(|e| panic!("{name}: {} unplayable: {e}", clip.path.display()));
            assert!(frames > 0);
            if sizes.last() != Some(&s[0]) {
                sizes.push(s[0]);
            }
        }
        assert_eq!(sizes, seen, "{name}: clips keep each segment's size");
    }
}

/// A recordings filesystem that fills up (a 1 MiB tmpfs): recording stops
/// and says why, live video goes on, and once there is room again writing
/// resumes by itself; every file left plays. Needs root to mount the tmpfs
/// (CI and the project's machines run as root).
#[test]
fn a_full_recordings_disk_stops_recording_not_video_and_writing_resumes() {
    assert!(
        is_root(),
        "this test mounts a tmpfs and needs root (CI and the project's machines run as root)"
    );
    // Noise: about 2 Mbit/s, so the tmpfs fills in seconds.
    let cam = ChangingCamera::start("snow");
    let dir = temp_dir("rec-full");
    let mount = |args: &[&str]| {
        let status = std::process::Command::new("mount")
            .args(args)
            .status()
            .expect("mount runs");
        assert!(status.success(), "mount {args:?}");
    };
    let dir_text = dir.to_str().expect("utf-8").to_owned();
    mount(&["-t", "tmpfs", "-o", "size=1m", "tmpfs", &dir_text]);
    let _unmount = Unmount(dir_text.clone());
    let recorder = Arc::new(
        Recorder::new(
            &CameraId::new("full-cam"),
            RecordOptions {
                dir: dir.clone(),
                segment: Duration::from_secs(1),
                max_age: None,
                max_bytes: None,
            },
        )
        .expect("recorder"),
    );
    let camera_dir = recorder.dir().to_path_buf();
    let ingest = CameraIngest::start(
        camera("full-cam", &cam.url),
        options(),
        0,
        None,
        Some(Arc::clone(&recorder)),
    )
    .expect("ingest");
    assert!(
        wait_until(Duration::from_secs(30), || recorder
            .health()
            .stopped
            .is_some_and(|s| s.contains("space"))),
        "recording never said the disk is full: {:?}",
        recorder.health()
    );
    println!("stopped: {:?}", recorder.health().stopped);
    // Live video goes on while recording is stopped.
    let decoded = ingest.status().decoded;
    std::thread::sleep(Duration::from_secs(2));
    let status = ingest.status();
    assert_eq!(status.state, CameraState::Live, "{status:?}");
    assert!(status.decoded > decoded + 15, "{status:?}");
    assert_eq!(
        status.reconnects, 0,
        "the camera pipeline restarted: {status:?}"
    );
    // Room again: writing resumes by itself.
    mount(&["-o", "remount,size=16m", &dir_text]);
    let frames = recorder.health().frames;
    assert!(
        wait_until(Duration::from_secs(15), || {
            let h = recorder.health();
            h.stopped.is_none() && h.frames > frames + 15
        }),
        "writing did not resume: {:?}",
        recorder.health()
    );
    drop(ingest);
    drop(recorder);
    for segment in record::list_segments(&camera_dir).expect("list") {
        let played = play(&segment.path)
            .unwrap_or_else(|e| panic!("{} unplayable: {e}", segment.path.display()));
        assert!(played.0 > 0, "{} has no frames", segment.path.display());
        assert!(
            record::repair::has_index(&segment.path),
            "{} was left unfinalised",
            segment.path.display()
        );
    }
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Unmounts a test's tmpfs when dropped.
struct Unmount(String);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}
