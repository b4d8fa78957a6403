//! `watchfloor bench detect`: N simulated cameras over RTSP on loopback,
//! decoded by our ingest, and the detection service (motion gate, scheduler,
//! the real model, tracking, rules, snapshots) running on them for S seconds;
//! then, in the same run, a bare ONNX Runtime loop — `session.run` on
//! pre-made tensors of the same model with the same thread count and batch —
//! for the same time. `efficiency` = our inferences/s ÷ bare inferences/s.

use crate::cli::bench::DetectBenchArgs;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use watchfloor_media::detect::config::{self, DetectionConfig};
use watchfloor_media::detect::descriptor::ModelDescriptor;
use watchfloor_media::detect::detector::{Detector, DetectorOptions, bare_inferences_per_s};
use watchfloor_media::detect::service::{
    DetectInput, DetectionService, ServiceOptions, ServiceStats,
};

use super::media::{SimProcess, start_sim_ingest};
use super::report::{Report, Value, percentile};

const WARM_UP: Duration = Duration::from_secs(3);

/// Rules for every bench camera: a person staying a second anywhere in the
/// frame raises an alert (so frame → alert latency is measured, snapshot
/// included), and a tripwire across the middle counts crossings.
const BENCH_RULES: &str = r#"
zone = [{ id = "all", polygon = [[0, 0], [1, 0], [1, 1], [0, 1]] }]
line = [{ id = "middle", a = [0.5, 0], b = [0.5, 1] }]
[[camera.rule]]
id = "person"
name = "Person in view"
kind = "intrusion"
zone = "all"
classes = ["person"]
min_dwell_s = 3.0
severity = "low"
[[camera.rule]]
id = "crossing"
name = "Crossing the middle"
kind = "line_crossing"
line = "middle"
severity = "low"
alert = false
"#;

fn bench_config(ids: &[String], model: &ModelDescriptor) -> DetectionConfig {
    let text = ids.iter().fold(String::new(), |mut text, id| {
        use std::fmt::Write as _;
        let _ = writeln!(text, "[[camera]]\nid = \"{id}\"\n{BENCH_RULES}");
        text
    });
    config::parse(&text, std::path::Path::new("bench-rules"), model)
}

/// Runs the benchmark and prints its report.
pub fn run(args: &DetectBenchArgs) -> anyhow::Result<()> {
    let descriptor = ModelDescriptor::bundled()?;
    let options = DetectorOptions {
        threads: args.threads,
        classes: None,
        max_batch: args.batch,
    };
    let detector = Detector::open(descriptor.clone(), &options)?;
    let Ours {
        before,
        after,
        elapsed,
        views_seen,
        mut freshness,
        batch,
        bare,
    } = measure_ours(args, &descriptor, detector)?;

    let frames = after.frames_inferred - before.frames_inferred;
    let runs = after.runs - before.runs;
    let new_runs = usize::try_from(runs).unwrap_or(usize::MAX);
    let mut run_ms: Vec<f64> = tail(&after.run_ms, new_runs);
    let mut latency = tail(
        &after.alert_latency_ms,
        usize::try_from(after.alerts - before.alerts).unwrap_or(usize::MAX),
    );
    let ours = frames as f64 / elapsed;
    let mut report = Report::new(&format!(
        "bench detect: {} simulated cameras, {} s, model {}, {} ORT threads",
        args.cameras, args.seconds, descriptor.name, args.threads
    ));
    report.add("cameras", "cameras", Value::Int(u64::from(args.cameras)));
    report.add(
        "cameras_inferred",
        "cameras with results",
        Value::Int(views_seen as u64),
    );
    report.add(
        "inferences_per_s",
        "ours: frames inferred / s",
        Value::Float(ours),
    );
    report.add(
        "runs_per_s",
        "ours: inference runs / s",
        Value::Float(runs as f64 / elapsed),
    );
    report.add(
        "batch",
        "most common batch (bare uses it)",
        Value::Int(batch as u64),
    );
    report.add(
        "inference_ms_p50",
        "ours: ms per run p50 (pre+model+post)",
        Value::Float(percentile(&mut run_ms, 50.0)),
    );
    report.add(
        "inference_ms_p95",
        "ours: ms per run p95",
        Value::Float(percentile(&mut run_ms, 95.0)),
    );
    add_split(&mut report, &after, new_runs);
    report.add(
        "frames_without_motion",
        "frames skipped by the motion gate",
        Value::Int(after.frames_without_motion - before.frames_without_motion),
    );
    report.add(
        "frames_seen",
        "frames seen by the motion gate",
        Value::Int(after.frames_seen - before.frames_seen),
    );
    add_demand(&mut report, (&before, &after), elapsed, &mut freshness);
    report.add(
        "alerts",
        "alerts raised",
        Value::Int(after.alerts - before.alerts),
    );
    report.add(
        "alert_latency_p95_ms",
        "frame → alert latency p95 (ms)",
        Value::Float(percentile(&mut latency, 95.0)),
    );
    report.add(
        "bare_inferences_per_s",
        "raw: bare session.run frames / s",
        Value::Float(bare),
    );
    report.add("efficiency", "ours / bare", Value::Float(ours / bare));
    print!("{}", report.table());
    if args.json {
        println!("{}", report.json());
    }
    Ok(())
}

/// Counters of the measured phase.
struct Ours {
    before: ServiceStats,
    after: ServiceStats,
    elapsed: f64,
    views_seen: usize,
    /// Every camera's detection age, sampled every 250 ms (seconds).
    freshness: Vec<f64>,
    /// The batch ours used most, and the bare loop's frames/s with it.
    batch: usize,
    bare: f64,
}

/// The detection service on simulated cameras for `args.seconds`.
fn measure_ours(
    args: &DetectBenchArgs,
    descriptor: &ModelDescriptor,
    detector: Detector,
) -> anyhow::Result<Ours> {
    let sim = SimProcess::start(args.cameras, (640, 360), 15)?;
    let ids: Vec<String> = (0..sim.urls.len()).map(|i| format!("bench-{i}")).collect();
    let mut config = bench_config(&ids, descriptor);
    anyhow::ensure!(config.problems.is_empty(), "{:?}", config.problems);
    let ingests = start_sim_ingest(&sim.urls, &ids, 1)?;
    let inputs = ingests
        .iter()
        .zip(&ids)
        .map(|(ingest, id)| {
            let setup = config.cameras.iter().position(|c| &c.camera == id);
            Ok(DetectInput {
                camera: id.clone(),
                frames: std::sync::Arc::clone(ingest.consumer(0).context("detection consumer")?),
                setup: setup.map(|i| config.cameras.swap_remove(i)),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let service = DetectionService::start(detector, inputs, &ServiceOptions::default(), None)?;
    std::thread::sleep(WARM_UP);
    let before = service.stats();
    let t0 = Instant::now();
    let mut views_seen = 0usize;
    let mut freshness = Vec::new();
    while t0.elapsed() < Duration::from_secs(args.seconds) {
        std::thread::sleep(Duration::from_millis(250));
        // Drain like the console does, so the alert queue never fills.
        let _ = service.drain_alerts();
        let views = service.views();
        views_seen = views.len();
        freshness.extend(
            views
                .values()
                .filter_map(watchfloor_media::detect::service::CameraDetections::freshness)
                .map(|f| f.as_secs_f64()),
        );
    }
    let elapsed = t0.elapsed().as_secs_f64();
    let after = service.stats();
    drop(service);
    // The raw limit under the same load: the cameras keep streaming and
    // being decoded while the bare loop runs, as they did for ours.
    let runs = usize::try_from(after.runs - before.runs).unwrap_or(usize::MAX);
    let batch = most_common(&tail(&after.batch_sizes, runs)).unwrap_or(1);
    let bare = bare_inferences_per_s(
        descriptor,
        args.threads,
        batch,
        Duration::from_secs(args.seconds),
    )?;
    drop(ingests);
    drop(sim);
    Ok(Ours {
        before,
        after,
        elapsed,
        views_seen,
        freshness,
        batch,
        bare,
    })
}

/// The work on offer and how fresh every camera's boxes stayed.
fn add_demand(
    report: &mut Report,
    (before, after): (&ServiceStats, &ServiceStats),
    elapsed: f64,
    freshness: &mut [f64],
) {
    // The work on offer: below the detector's capacity, ours is limited by
    // it and `efficiency` says nothing about overhead.
    report.add(
        "motion_frames_per_s",
        "demand: frames with motion / s",
        Value::Float(
            (after.frames_seen - before.frames_seen - after.frames_without_motion
                + before.frames_without_motion) as f64
                / elapsed,
        ),
    );
    report.add(
        "freshness_p95_s",
        "detection age per camera p95 (s)",
        Value::Float(percentile(freshness, 95.0)),
    );
    report.add(
        "freshness_max_s",
        "detection age per camera max (s)",
        Value::Float(freshness.iter().copied().fold(0.0, f64::max)),
    );
}

/// Where each run's time went, and the work after it.
fn add_split(report: &mut Report, after: &ServiceStats, new_runs: usize) {
    let split = tail(&after.run_split, new_runs);
    let mean = |f: fn(&watchfloor_media::detect::detector::Timing) -> f64| {
        split.iter().map(f).sum::<f64>() / split.len().max(1) as f64
    };
    report.add(
        "pre_ms_mean",
        "ours: pre-processing ms per run (mean)",
        Value::Float(mean(|t| t.pre_ms)),
    );
    report.add(
        "model_ms_mean",
        "ours: session.run ms per run (mean)",
        Value::Float(mean(|t| t.model_ms)),
    );
    report.add(
        "post_ms_mean",
        "ours: decode + NMS ms per run (mean)",
        Value::Float(mean(|t| t.post_ms)),
    );
    let after_ms = tail(&after.after_ms, new_runs);
    report.add(
        "tracking_rules_ms_mean",
        "ours: tracking, rules, snapshots ms per run (mean)",
        Value::Float(after_ms.iter().sum::<f64>() / after_ms.len().max(1) as f64),
    );
}

fn tail<T: Clone>(v: &[T], n: usize) -> Vec<T> {
    v[v.len().saturating_sub(n)..].to_vec()
}

fn most_common(v: &[usize]) -> Option<usize> {
    let mut counts = std::collections::BTreeMap::new();
    for &b in v {
        *counts.entry(b).or_insert(0usize) += 1;
    }
    counts.into_iter().max_by_key(|&(_, n)| n).map(|(b, _)| b)
}
