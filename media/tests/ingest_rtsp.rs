//! Camera ingest against real RTSP: the built-in simulator on loopback, a
//! hand-made MJPEG server for the unsupported-codec case, and a closed port.

mod common;

use std::time::Duration;

use common::{camera, sim_options, wait_until};
use gstreamer::prelude::*;
use gstreamer_rtsp_server as rtsp;
use gstreamer_rtsp_server::prelude::*;
use watchfloor_media::camera::Source;
use watchfloor_media::health::CameraState;
use watchfloor_media::ingest::{CameraIngest, IngestOptions, PixelFormat};
use watchfloor_media::sim::Simulator;

fn fast_options() -> IngestOptions {
    let mut o = IngestOptions::default();
    o.graph.width = 320;
    o.graph.height = 180;
    o.stall_after = Duration::from_millis(800);
    o.give_up_after = Duration::from_secs(3);
    o.backoff_first = Duration::from_millis(200);
    o.backoff_max = Duration::from_secs(1);
    o
}

#[test]
fn frames_arrive_planar_at_the_requested_size_over_rtsp() {
    let sim = Simulator::start(&sim_options(2, 0)).expect("simulator");
    let ingest = CameraIngest::start(
        camera("cam1", &sim.cameras()[1].url),
        fast_options(),
        1,
        None,
        None,
    )
    .expect("ingest");
    assert!(
        wait_until(Duration::from_secs(15), || ingest.status().state
            == CameraState::Live),
        "not live: {:?}",
        ingest.status()
    );
    let frame = {
        let mut got = None;
        assert!(wait_until(Duration::from_secs(5), || {
            got = ingest.latest();
            got.is_some()
        }));
        got.expect("frame")
    };
    assert_eq!((frame.width(), frame.height()), (320, 180));
    assert_eq!(frame.format(), PixelFormat::I420);
    let y = frame.plane(0).expect("luma");
    assert!(y.len() >= 320 * 180);
    assert!(frame.plane(2).is_some() && frame.plane(3).is_none());
    // Real footage: the luma plane is not flat.
    let (min, max) = y
        .iter()
        .fold((255, 0), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    assert!(max - min > 60, "luma range {min}..{max}");
    // The detection consumer gets frames too.
    assert!(wait_until(Duration::from_secs(2), || ingest
        .consumer(0)
        .is_some_and(|m| m.take().is_some())));
    // Rates settle near the simulator's 15 fps.
    std::thread::sleep(Duration::from_millis(2200));
    let status = ingest.status();
    assert!((10.0..=20.0).contains(&status.fps), "{status:?}");
    assert!(status.bitrate_bps > 50_000.0, "{status:?}");
    assert!(
        status.received >= status.decoded && status.decoded > 20,
        "{status:?}"
    );
    assert!(status.newest_frame_age.expect("a frame") < Duration::from_millis(500));
}

#[test]
fn an_unreachable_camera_goes_offline_with_a_clear_error_and_retries() {
    // Port 9 (discard) on loopback is closed: connection refused.
    let ingest = CameraIngest::start(
        camera("gate-7", "rtsp://operator:hunter2@127.0.0.1:9/stream"),
        fast_options(),
        0,
        None,
        None,
    )
    .expect("ingest starts even if the camera is down");
    assert!(wait_until(Duration::from_secs(15), || ingest
        .status()
        .reconnects
        >= 1));
    let status = ingest.status();
    let error = status.last_error.expect("an error");
    assert!(error.contains("camera gate-7"), "{error}");
    assert!(error.contains("127.0.0.1:9"), "{error}");
    assert!(
        !error.contains("hunter2") && !error.contains("operator"),
        "credentials leaked: {error}"
    );
    assert_ne!(status.state, CameraState::Live);
}

#[test]
fn an_unsupported_codec_is_named() {
    gstreamer::init().expect("gst");
    let server = rtsp::RTSPServer::new();
    server.set_address("127.0.0.1");
    server.set_service("0");
    let factory = rtsp::RTSPMediaFactory::new();
    factory.set_launch("( videotestsrc is-live=true ! video/x-raw,format=I420,width=160,height=120 ! jpegenc ! rtpjpegpay name=pay0 pt=26 )");
    factory.set_shared(true);
    server
        .mount_points()
        .expect("mounts")
        .add_factory("/mjpeg", factory);
    let context = gstreamer::glib::MainContext::new();
    let _source = server.attach(Some(&context)).expect("attach");
    let port = server.bound_port();
    let main_loop = gstreamer::glib::MainLoop::new(Some(&context), false);
    let ml = main_loop.clone();
    let thread = std::thread::Builder::new()
        .name("mjpeg-server".into())
        .spawn(move || context.with_thread_default(|| ml.run()).expect("context"))
        .expect("spawn");

    let ingest = CameraIngest::start(
        camera("old-cam", &format!("rtsp://127.0.0.1:{port}/mjpeg")),
        fast_options(),
        0,
        None,
        None,
    )
    .expect("ingest");
    assert!(wait_until(Duration::from_secs(15), || ingest
        .status()
        .last_error
        .is_some()));
    let error = ingest.status().last_error.expect("error");
    assert!(
        error.contains("camera old-cam") && error.contains("unsupported video codec JPEG"),
        "{error}"
    );
    drop(ingest);
    main_loop.quit();
    let _ = thread.join();
}

#[test]
fn a_camera_reconnects_after_its_server_restarts() {
    let sim = Simulator::start(&sim_options(1, 0)).expect("simulator");
    let port = sim.port();
    let url = sim.cameras()[0].url.clone();
    let ingest =
        CameraIngest::start(camera("cam0", &url), fast_options(), 0, None, None).expect("ingest");
    assert!(wait_until(Duration::from_secs(15), || ingest
        .status()
        .state
        == CameraState::Live));

    drop(sim);
    assert!(
        wait_until(Duration::from_secs(10), || matches!(
            ingest.status().state,
            CameraState::Stalled | CameraState::Offline | CameraState::Connecting
        )),
        "{:?}",
        ingest.status()
    );
    let decoded_before = ingest.status().decoded;

    let sim = Simulator::start(&sim_options(1, port)).expect("simulator again, same port");
    assert!(
        wait_until(Duration::from_secs(20), || {
            let s = ingest.status();
            s.state == CameraState::Live && s.decoded > decoded_before + 5
        }),
        "did not come back: {:?}",
        ingest.status()
    );
    assert!(ingest.status().reconnects >= 1);
    drop(sim);
}

/// One simulated camera on a free port, ingested with the default backoff
/// (0.5 s doubling to 10 s) and live: the simulator, its port, the ingest.
fn live_simulated_camera() -> (Simulator, u16, CameraIngest) {
    let sim = Simulator::start(&sim_options(1, 0)).expect("simulator");
    let port = sim.port();
    let url = sim.cameras()[0].url.clone();
    let mut options = IngestOptions::default();
    options.graph.width = 320;
    options.graph.height = 180;
    let ingest = CameraIngest::start(camera("cam0", &url), options, 0, None, None).expect("ingest");
    assert!(wait_until(Duration::from_secs(15), || ingest
        .status()
        .state
        == CameraState::Live));
    (sim, port, ingest)
}

/// A camera down long enough for its backoff to grow to the maximum (10 s)
/// is live again within 2 s of its server answering: the supervisor probes
/// the port while it waits instead of waiting the interval out (it once
/// took up to 10 s).
#[test]
fn a_camera_back_after_a_long_outage_is_live_within_2_s() {
    let (sim, port, ingest) = live_simulated_camera();
    drop(sim);
    // Failures at 0.5, 1, 2, 4, 8 s of backoff: after 14 s the camera is
    // inside a wait of 8-10 s.
    std::thread::sleep(Duration::from_secs(14));
    assert_ne!(ingest.status().state, CameraState::Live);
    let decoded_before = ingest.status().decoded;
    let sim = Simulator::start(&sim_options(1, port)).expect("simulator again, same port");
    let back = std::time::Instant::now();
    assert!(
        wait_until(Duration::from_secs(12), || {
            let s = ingest.status();
            s.state == CameraState::Live && s.decoded > decoded_before
        }),
        "did not come back: {:?}",
        ingest.status()
    );
    let took = back.elapsed();
    assert!(
        took < Duration::from_secs(2),
        "live again {:.2} s after the server answered",
        took.as_secs_f64()
    );
    drop(sim);
}

/// The figure for RELIABILITY.md (not run by default; about 3 minutes):
/// one camera, its server stopped for 2 to 30 s and started again eight
/// times; for each, the time from the server answering to the camera live
/// with a new frame. Prints a table and the p95.
#[test]
#[ignore = "measurement: cargo nextest run -p watchfloor-media --test ingest_rtsp --run-ignored only recovery_figures --no-capture"]
fn recovery_figures() {
    let (sim, port, ingest) = live_simulated_camera();
    let mut sim = Some(sim);
    let mut took = Vec::new();
    println!("| down (s) | live again after (s) |\n| --- | --- |");
    for down in [2_u64, 4, 8, 12, 16, 20, 25, 30] {
        drop(sim.take());
        std::thread::sleep(Duration::from_secs(down));
        let decoded = ingest.status().decoded;
        sim = Some(Simulator::start(&sim_options(1, port)).expect("simulator again"));
        let back = std::time::Instant::now();
        assert!(wait_until(Duration::from_secs(40), || {
            let s = ingest.status();
            s.state == CameraState::Live && s.decoded > decoded
        }));
        let t = back.elapsed().as_secs_f64();
        println!("| {down} | {t:.2} |");
        took.push(t);
        std::thread::sleep(Duration::from_secs(2));
    }
    took.sort_by(f64::total_cmp);
    let p95 = took[((took.len() as f64 * 0.95).ceil() as usize).min(took.len()) - 1];
    println!(
        "recovery: p50 {:.2} s, p95 {p95:.2} s, max {:.2} s over {} outages",
        took[took.len() / 2],
        took[took.len() - 1],
        took.len()
    );
}

fn count_dir(path: &str) -> usize {
    std::fs::read_dir(path).map_or(0, Iterator::count)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// 100 connect → first frame → disconnect cycles leave no threads, file
/// descriptors or memory behind.
#[test]
fn connect_disconnect_cycles_leak_nothing() {
    let sim = Simulator::start(&sim_options(1, 0)).expect("simulator");
    let url = sim.cameras()[0].url.clone();
    let cycle = || {
        let ingest = CameraIngest::start(camera("cycle", &url), fast_options(), 0, None, None)
            .expect("ingest");
        assert!(
            wait_until(Duration::from_secs(15), || ingest.latest().is_some()),
            "no frame: {:?}",
            ingest.status()
        );
    };
    // 4 lanes, so cycles overlap as they would with many cameras.
    let run_lanes = |per_lane: usize| {
        std::thread::scope(|scope| {
            for lane in 0..4 {
                std::thread::Builder::new()
                    .name(format!("cycle-lane-{lane}"))
                    .spawn_scoped(scope, || {
                        for _ in 0..per_lane {
                            cycle();
                        }
                    })
                    .expect("spawn lane");
            }
        });
    };
    // Warm up: plugin loading, thread pools and the allocator's arenas settle
    // first (measured: RSS plateaus within ~40 cycles, then moves ±5 MB).
    run_lanes(10);
    std::thread::sleep(Duration::from_millis(500));
    let (threads, fds, rss) = (
        count_dir("/proc/self/task"),
        count_dir("/proc/self/fd"),
        rss_kib(),
    );
    run_lanes(25); // 100 cycles
    std::thread::sleep(Duration::from_millis(1000));
    let (threads_after, fds_after, rss_after) = (
        count_dir("/proc/self/task"),
        count_dir("/proc/self/fd"),
        rss_kib(),
    );
    // Shown with --no-capture: the figures behind the verdict.
    println!(
        "threads {threads}->{threads_after}, fds {fds}->{fds_after}, rss {rss}->{rss_after} KiB"
    );
    assert!(
        threads_after <= threads + 2,
        "threads grew {threads} -> {threads_after}"
    );
    assert!(fds_after <= fds + 2, "fds grew {fds} -> {fds_after}");
    assert!(
        rss_after <= rss + 16 * 1024,
        "memory grew {rss} -> {rss_after} KiB"
    );
    drop(sim);
}

/// Small tiles use the camera's sub-stream when it has one: here the main
/// stream is dead and only the sub-stream (the simulator) serves video.
#[test]
fn the_sub_stream_is_preferred_for_tiles() {
    let sim = Simulator::start(&sim_options(1, 0)).expect("simulator");
    let mut with_sub = camera("dual", "rtsp://127.0.0.1:9/main");
    with_sub.sub_source = Some(camera("sub", &sim.cameras()[0].url).source);

    let ingest =
        CameraIngest::start(with_sub.clone(), fast_options(), 0, None, None).expect("ingest");
    assert!(
        wait_until(Duration::from_secs(15), || ingest.status().state
            == CameraState::Live),
        "{:?}",
        ingest.status()
    );
    drop(ingest);

    let mut main_only = fast_options();
    main_only.graph.prefer_sub_stream = false;
    let ingest = CameraIngest::start(with_sub, main_only, 0, None, None).expect("ingest");
    assert!(wait_until(Duration::from_secs(10), || ingest
        .status()
        .last_error
        .is_some()));
    assert_ne!(ingest.status().state, CameraState::Live);
}

/// A local file (for demos and drills) plays in real time and loops, and
/// frames come out at the size the console asks for, not the file's.
#[test]
fn a_local_file_loops_in_real_time_at_the_requested_size() {
    gstreamer::init().expect("gst");
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("loop-2s.mkv");
    let encode = format!(
        "videotestsrc num-buffers=30 pattern=ball ! video/x-raw,format=I420,width=320,height=240,framerate=15/1 \
         ! x264enc speed-preset=ultrafast key-int-max=15 ! h264parse ! matroskamux ! filesink location={}",
        file.display()
    );
    let pipeline = gstreamer::parse::launch(&encode).expect("encode pipeline");
    pipeline.set_state(gstreamer::State::Playing).expect("play");
    let bus = pipeline.bus().expect("bus");
    let done = bus.timed_pop_filtered(
        gstreamer::ClockTime::from_seconds(30),
        &[gstreamer::MessageType::Eos, gstreamer::MessageType::Error],
    );
    assert!(matches!(
        done.map(|m| m.type_()),
        Some(gstreamer::MessageType::Eos)
    ));
    pipeline.set_state(gstreamer::State::Null).expect("stop");

    let mut options = fast_options();
    options.graph.width = 256;
    options.graph.height = 144;
    let mut cam = camera("drill", "test://");
    cam.source = Source::File { path: file };
    let ingest = CameraIngest::start(cam, options, 0, None, None).expect("ingest");
    assert!(wait_until(Duration::from_secs(10), || ingest
        .status()
        .state
        == CameraState::Live));
    let start = ingest.status().decoded;
    std::thread::sleep(Duration::from_millis(4500));
    let decoded = ingest.status().decoded - start;
    // 4.5 s at 15 fps is ~67 frames: more than the file's 30 (it looped),
    // far fewer than decoding flat out would give (it plays in real time).
    assert!(
        (45..=90).contains(&decoded),
        "decoded {decoded} frames in 4.5 s"
    );
    let frame = ingest.latest().expect("a frame");
    assert_eq!((frame.width(), frame.height()), (256, 144));
}
