//! `watchfloor bench media`: N simulated cameras over RTSP on loopback,
//! decoded into mailboxes by our ingest, against — in the same run, on the
//! same streams — bare `rtspsrc ! depay ! parse ! avdec_h264 ! fakesink
//! sync=false` pipelines. The simulator runs in its own process so its CPU
//! is not counted; both phases are measured as this process's CPU time.

use crate::cli::bench::MediaBenchArgs;
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use gstreamer as gst;
use gstreamer::prelude::*;
use watchfloor_media::camera::{Camera, CameraId, RtspTransport, Source};
use watchfloor_media::health::CameraState;
use watchfloor_media::ingest::{CameraIngest, Codec, IngestOptions};

use super::cpu::process_cpu_time;
use super::report::{Report, Value, percentile};

/// The RTP jitter-buffer latency used by both phases.
const LATENCY_MS: u32 = 100;
/// Time for pipelines to connect and settle before measuring.
const WARM_UP: Duration = Duration::from_secs(3);

/// Runs the benchmark and prints its report.
pub fn run(args: &MediaBenchArgs) -> anyhow::Result<()> {
    gst::init()?;
    let sim = SimProcess::start(args.streams, args.size, args.fps)?;
    tracing::info!(
        streams = sim.urls.len(),
        pid = sim.child.id(),
        "bench media: simulator serving"
    );

    let raw = measure_raw(&sim.urls, Duration::from_secs(args.seconds))?;
    let ours = measure_ours(&sim.urls, args)?;

    let mut report = Report::new(&format!(
        "bench media — {} × {}x{} H.264 @ {} fps over RTSP/TCP on loopback, {} s per phase",
        args.streams, args.size.0, args.size.1, args.fps, args.seconds
    ));
    report.add("streams", "streams", Value::Int(u64::from(args.streams)));
    report.add(
        "fps_per_stream_min",
        "ours: decoded fps, slowest stream",
        Value::Float(ours.fps_min),
    );
    report.add(
        "fps_per_stream_mean",
        "ours: decoded fps, mean per stream",
        Value::Float(ours.fps_mean),
    );
    report.add(
        "frame_age_p50_ms",
        "ours: frame age at consumer p50 (ms)",
        Value::Float(ours.age_p50_ms),
    );
    report.add(
        "frame_age_p95_ms",
        "ours: frame age at consumer p95 (ms)",
        Value::Float(ours.age_p95_ms),
    );
    report.add(
        "dropped",
        "ours: frames replaced unseen",
        Value::Int(ours.dropped),
    );
    report.add(
        "cpu_s_per_frame",
        "ours: CPU seconds per decoded frame",
        Value::Float(ours.cpu_per_frame),
    );
    report.add(
        "raw_fps_per_stream_mean",
        "raw: decoded fps, mean per stream",
        Value::Float(raw.fps_mean),
    );
    report.add(
        "raw_cpu_s_per_frame",
        "raw: CPU seconds per decoded frame",
        Value::Float(raw.cpu_per_frame),
    );
    report.add(
        "overhead_ratio",
        "overhead ratio (ours / raw CPU per frame)",
        Value::Float(ours.cpu_per_frame / raw.cpu_per_frame),
    );
    report.add(
        "cpu_cores_used",
        "ours: CPU cores busy",
        Value::Float(ours.cores),
    );
    report.add(
        "raw_cpu_cores_used",
        "raw: CPU cores busy",
        Value::Float(raw.cores),
    );
    print!("{}", report.table());
    if args.json {
        println!("{}", report.json());
    }
    Ok(())
}

/// What one phase measured.
struct Phase {
    fps_min: f64,
    fps_mean: f64,
    cpu_per_frame: f64,
    cores: f64,
    age_p50_ms: f64,
    age_p95_ms: f64,
    dropped: u64,
}

/// The bare decode: same streams, same source settings, no ingest.
fn measure_raw(urls: &[String], seconds: Duration) -> anyhow::Result<Phase> {
    // The same decoder our ingest picks (hardware first), so both phases do the same work.
    let decoder = Codec::H264
        .decoder()
        .context("no H.264 decoder is installed")?;
    let mut pipelines = Pipelines(Vec::new());
    let mut counters = Vec::new();
    for url in urls {
        let pipeline = gst::parse::launch(&format!(
            "rtspsrc location={url} protocols=tcp latency={LATENCY_MS} ! rtph264depay ! h264parse ! \
             {decoder} ! fakesink name=sink sync=false"
        ))?
        .downcast::<gst::Pipeline>()
        .map_err(|_| anyhow::anyhow!("not a pipeline"))?;
        let count = Arc::new(AtomicU64::new(0));
        let c = Arc::clone(&count);
        pipeline
            .by_name("sink")
            .and_then(|s| s.static_pad("sink"))
            .context("fakesink pad")?
            .add_probe(gst::PadProbeType::BUFFER, move |_, _| {
                c.fetch_add(1, Ordering::Relaxed);
                gst::PadProbeReturn::Ok
            });
        pipelines.0.push(pipeline.clone());
        pipeline.set_state(gst::State::Playing)?;
        counters.push(count);
    }
    let result = (|| {
        wait_all(Duration::from_secs(60), || {
            counters.iter().all(|c| c.load(Ordering::Relaxed) > 0)
        })
        .context("raw pipelines: not every stream delivered frames")?;
        std::thread::sleep(WARM_UP);
        let before: Vec<u64> = counters.iter().map(|c| c.load(Ordering::Relaxed)).collect();
        let (cpu0, t0) = (process_cpu_time()?, Instant::now());
        std::thread::sleep(seconds);
        let (cpu1, elapsed) = (process_cpu_time()?, t0.elapsed());
        let frames: Vec<u64> = counters
            .iter()
            .zip(&before)
            .map(|(c, b)| c.load(Ordering::Relaxed) - b)
            .collect();
        Ok(phase(
            &frames,
            elapsed,
            cpu1.saturating_sub(cpu0),
            Vec::new(),
            0,
        ))
    })();
    drop(pipelines);
    result
}

/// Pipelines that go to Null however the phase ends.
struct Pipelines(Vec<gst::Pipeline>);

impl Drop for Pipelines {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = p.set_state(gst::State::Null);
        }
    }
}

/// Stops and joins the consumer thread however the phase ends.
struct Consumer {
    running: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<Vec<f64>>>,
}

impl Consumer {
    fn finish(mut self) -> anyhow::Result<Vec<f64>> {
        self.running.store(false, Ordering::Relaxed);
        self.thread
            .take()
            .context("consumer already joined")?
            .join()
            .map_err(|_| anyhow::anyhow!("consumer panicked"))
    }
}

impl Drop for Consumer {
    fn drop(&mut self) {
        self.running.store(false, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Our ingest into mailboxes, drained by a consumer at display rate (60 Hz).
fn measure_ours(urls: &[String], args: &MediaBenchArgs) -> anyhow::Result<Phase> {
    let mut options = IngestOptions::default();
    options.graph.width = args.size.0;
    options.graph.height = args.size.1;
    let cameras: Vec<CameraIngest> = urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            let camera = Camera {
                id: CameraId::new(&format!("bench-{i}")),
                name: format!("bench {i}"),
                source: Source::parse(
                    url,
                    RtspTransport::Tcp,
                    Duration::from_millis(u64::from(LATENCY_MS)),
                    std::path::Path::new("."),
                )?,
                sub_source: None,
                lonlat: None,
                heading_deg: None,
                fov_deg: None,
                note: None,
            };
            Ok(CameraIngest::start(camera, options.clone(), 0, None, None)?)
        })
        .collect::<anyhow::Result<_>>()?;
    wait_all(Duration::from_secs(60), || {
        cameras
            .iter()
            .all(|c| c.status().state == CameraState::Live)
    })
    .context("ingest: not every stream went live")?;
    std::thread::sleep(WARM_UP);

    let cameras = Arc::new(cameras);
    let running = Arc::new(AtomicBool::new(true));
    let consumer_thread = {
        let (cameras, running) = (Arc::clone(&cameras), Arc::clone(&running));
        std::thread::Builder::new()
            .name("bench-consumer".into())
            .spawn(move || {
                let mut ages = Vec::new();
                let tick = Duration::from_micros(16_667);
                let mut next = Instant::now();
                while running.load(Ordering::Relaxed) {
                    for camera in cameras.iter() {
                        if let Some(frame) = camera.latest() {
                            ages.push(frame.age().as_secs_f64() * 1000.0);
                        }
                    }
                    next += tick;
                    std::thread::sleep(next.saturating_duration_since(Instant::now()));
                }
                ages
            })?
    };
    let consumer = Consumer {
        running: Arc::clone(&running),
        thread: Some(consumer_thread),
    };
    let before: Vec<u64> = cameras.iter().map(|c| c.status().decoded).collect();
    let dropped_before: u64 = cameras.iter().map(|c| c.status().dropped).sum();
    let (cpu0, t0) = (process_cpu_time()?, Instant::now());
    std::thread::sleep(Duration::from_secs(args.seconds));
    let (cpu1, elapsed) = (process_cpu_time()?, t0.elapsed());
    let frames: Vec<u64> = cameras
        .iter()
        .zip(&before)
        .map(|(c, b)| c.status().decoded - b)
        .collect();
    let dropped = cameras.iter().map(|c| c.status().dropped).sum::<u64>() - dropped_before;
    let ages = consumer.finish()?;
    Ok(phase(
        &frames,
        elapsed,
        cpu1.saturating_sub(cpu0),
        ages,
        dropped,
    ))
}

fn phase(
    frames: &[u64],
    elapsed: Duration,
    cpu: Duration,
    mut ages: Vec<f64>,
    dropped: u64,
) -> Phase {
    let secs = elapsed.as_secs_f64();
    let total: u64 = frames.iter().sum();
    let fps: Vec<f64> = frames.iter().map(|&f| f as f64 / secs).collect();
    Phase {
        fps_min: fps.iter().copied().fold(f64::INFINITY, f64::min),
        fps_mean: fps.iter().sum::<f64>() / fps.len().max(1) as f64,
        cpu_per_frame: cpu.as_secs_f64() / total.max(1) as f64,
        cores: cpu.as_secs_f64() / secs,
        age_p50_ms: percentile(&mut ages, 50.0),
        age_p95_ms: percentile(&mut ages, 95.0),
        dropped,
    }
}

pub(crate) fn wait_all(timeout: Duration, mut ready: impl FnMut() -> bool) -> anyhow::Result<()> {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if ready() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("timed out after {} s", timeout.as_secs())
}

/// `watchfloor sim cameras` as a child process; killed on drop.
pub(crate) struct SimProcess {
    child: Child,
    /// The RTSP URL of each stream.
    pub(crate) urls: Vec<String>,
}

impl SimProcess {
    /// Starts `streams` simulated cameras of `size` at `fps`.
    pub(crate) fn start(streams: u16, size: (u32, u32), fps: u32) -> anyhow::Result<Self> {
        let mut child = watchfloor_runtime::sim_child::spawn_child(&[
            "--count".into(),
            streams.to_string(),
            "--size".into(),
            format!("{}x{}", size.0, size.1),
            "--fps".into(),
            fps.to_string(),
        ])
        .context("starting `watchfloor sim cameras`")?;
        let stdout = child.stdout.take().context("simulator stdout")?;
        // Owned from here on: any early return kills the child.
        let mut sim = Self {
            child,
            urls: Vec::new(),
        };
        sim.urls = watchfloor_runtime::sim_child::read_announced(stdout)
            .map_err(anyhow::Error::msg)?
            .into_iter()
            .map(|c| c.url)
            .collect();
        if sim.urls.len() != usize::from(streams) {
            bail!(
                "the simulator offered {} of {} streams",
                sim.urls.len(),
                streams
            );
        }
        Ok(sim)
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Our ingest of the simulator's streams, one camera per URL named by `ids`,
/// each with `consumers` extra mailboxes (detection); waits until all are live.
pub(crate) fn start_sim_ingest(
    urls: &[String],
    ids: &[String],
    consumers: usize,
) -> anyhow::Result<Vec<CameraIngest>> {
    let ingests: Vec<CameraIngest> = urls
        .iter()
        .zip(ids)
        .map(|(url, id)| {
            let camera = Camera {
                id: CameraId::new(id),
                name: id.clone(),
                source: Source::parse(
                    url,
                    RtspTransport::Tcp,
                    Duration::from_millis(u64::from(LATENCY_MS)),
                    std::path::Path::new("."),
                )?,
                sub_source: None,
                lonlat: None,
                heading_deg: None,
                fov_deg: None,
                note: None,
            };
            Ok(CameraIngest::start(
                camera,
                IngestOptions::default(),
                consumers,
                None,
                None,
            )?)
        })
        .collect::<anyhow::Result<_>>()?;
    wait_all(Duration::from_secs(60), || {
        ingests
            .iter()
            .all(|c| c.status().state == CameraState::Live)
    })
    .context("ingest: not every stream went live")?;
    Ok(ingests)
}
