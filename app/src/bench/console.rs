//! `watchfloor bench console`: the whole console (`Console::ui`, the same
//! code the window runs) at 1920×1080 offscreen, with N live simulated
//! cameras on the wall (RTSP from a `sim cameras` child, decoded by our
//! ingest, converted from YUV on the GPU) and M units moving on the Astana
//! map; each frame timed from building the UI to its pixels in host memory.
//! In the same run, on the same adapter and size: an empty frame (clear and
//! the same copy to host memory) — the floor no console can beat.

use crate::cli::bench::ConsoleBenchArgs;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use watchfloor_layers::event::{Event, UnitReport};
use watchfloor_layers::frame::LocalFrame;
use watchfloor_layers::model::UnitKind;
use watchfloor_render::HeadlessRenderer;

use super::cpu::process_cpu_time;
use super::media::{SimProcess, start_sim_ingest};
use super::report::{Report, Value, percentile};
use crate::compose::station::Station;
use crate::console::modes::Role;
use crate::console::{Console, ConsoleOptions, theme};
use crate::i18n::Lang;
use watchfloor_layers::clock::now_us;
use watchfloor_runtime::camera_set::Cameras;
use watchfloor_runtime::feeds::FeedPorts;
use watchfloor_runtime::world::{LiveWorld, WorldOptions};

/// How often every unit reports a new position (a busy fleet: twice a second).
const REPORT_EVERY: Duration = Duration::from_millis(500);

/// Runs the benchmark and prints its report.
pub fn run(args: &ConsoleBenchArgs) -> anyhow::Result<()> {
    let mut renderer = HeadlessRenderer::new().context("needs a GPU adapter (lavapipe is fine)")?;
    // As the window: cleared to the panels' colour (the same clear for the
    // empty frame).
    renderer.set_clear_color(theme::BACKGROUND);
    let adapter = renderer.adapter().to_string();
    let sim = SimProcess::start(args.tiles, (640, 360), 15)?;
    let (mut console, mut fleet) = setup(args, &renderer, &sim, &adapter)?;
    let screen = egui::Rect::from_min_size(
        egui::Pos2::ZERO,
        egui::vec2(args.size.0 as f32, args.size.1 as f32),
    );
    let ours = measure_console(args, &mut renderer, &mut console, &mut fleet, screen)?;
    drop(console);
    drop(sim);
    let mut empty_ms = measure_empty(args, &mut renderer, screen)?;
    let Measured {
        mut frame_ms,
        mut ages_ms,
        cpu_percent,
        mut phases,
    } = ours;
    let frames = frame_ms.len();
    let p95 = percentile(&mut frame_ms, 95.0);
    let empty_p95 = percentile(&mut empty_ms, 95.0);
    let mut report = Report::new(&format!(
        "bench console: {} live tiles, {} moving units, {}×{}, {} s",
        args.tiles, args.entities, args.size.0, args.size.1, args.seconds
    ));
    report.add("adapter", "adapter", Value::Text(adapter));
    report.add(
        "tiles",
        "live camera tiles",
        Value::Int(u64::from(args.tiles)),
    );
    report.add(
        "entities",
        "moving units",
        Value::Int(u64::from(args.entities)),
    );
    report.add("frames", "frames measured", Value::Int(frames as u64));
    report.add(
        "frame_ms_p50",
        "console frame p50 (ms, pixels in host memory)",
        Value::Float(percentile(&mut frame_ms, 50.0)),
    );
    report.add("frame_ms_p95", "console frame p95 (ms)", Value::Float(p95));
    report.add(
        "empty_frame_ms_p95",
        "raw: empty frame p95 (ms)",
        Value::Float(empty_p95),
    );
    report.add(
        "frame_ratio",
        "console p95 / empty p95",
        Value::Float(p95 / empty_p95),
    );
    for (phase, (key, what)) in phases.iter_mut().zip([
        ("ui_ms_p50", "  of which building the UI p50 (ms)"),
        ("tessellate_ms_p50", "  tessellating p50 (ms)"),
        ("prepare_ms_p50", "  uploads and callbacks p50 (ms)"),
        ("raster_ms_p50", "  rasterising and read-back p50 (ms)"),
    ]) {
        report.add(key, what, Value::Float(percentile(phase, 50.0)));
    }
    report.add(
        "video_age_p95_ms",
        "tile picture age on screen p95 (ms)",
        Value::Float(percentile(&mut ages_ms, 95.0)),
    );
    report.add(
        "cpu_percent",
        "process CPU (% of one core; 200 = both)",
        Value::Float(cpu_percent),
    );
    print!("{}", report.table());
    if args.json {
        println!("{}", report.json());
    }
    Ok(())
}

/// The console with the map loaded, the cameras live on the wall, and the
/// fleet reporting into a live world.
fn setup(
    args: &ConsoleBenchArgs,
    renderer: &HeadlessRenderer,
    sim: &SimProcess,
    adapter: &str,
) -> anyhow::Result<(Station, Fleet)> {
    let mut console = Station::new(
        Console::new(&ConsoleOptions {
            lang: Lang::En,
            role: Some(Role::Dispatcher),
            ..ConsoleOptions::default()
        }),
        "bench",
    );
    console.set_gpu(adapter.to_owned());
    watchfloor_render::video::install(renderer.render_state());
    console.set_video_ready();
    let basemap = watchfloor_runtime::paths::asset(watchfloor_runtime::paths::ASTANA_BASEMAP)?;
    console.attach_map(watchfloor_runtime::map::start_loading(
        renderer.render_state().clone(),
        basemap.clone(),
        || {},
    )?);
    anyhow::ensure!(
        console.wait_for_map(Duration::from_secs(120)),
        "the basemap did not load"
    );
    let mut cameras = Cameras::default();
    let ids: Vec<String> = (0..sim.urls.len())
        .map(|i| format!("Bench {i:02}"))
        .collect();
    cameras.add(start_sim_ingest(&sim.urls, &ids, 0)?, Vec::new());
    console.attach_cameras(cameras);
    console
        .console_mut()
        .set_wall_side(f64::from(args.tiles).sqrt().ceil() as usize);
    let world = LiveWorld::start(
        WorldOptions {
            site: None,
            basemap: Some(basemap),
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
    )?;
    let fleet = Fleet::new(args.entities);
    fleet.report(&world)?;
    console.attach_world(world);
    Ok((console, fleet))
}

/// What the console phase measured.
struct Measured {
    frame_ms: Vec<f64>,
    ages_ms: Vec<f64>,
    cpu_percent: f64,
    /// Per frame: building the UI (`Console::ui`), tessellating, preparing
    /// (uploads, callbacks), rasterising and reading back; ms.
    phases: [Vec<f64>; 4],
}

fn raw_input(screen: egui::Rect, started: Instant) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(screen),
        time: Some(started.elapsed().as_secs_f64()),
        ..Default::default()
    }
}

/// Frames of the whole console for `args.seconds`, the fleet reporting
/// twice a second.
fn measure_console(
    args: &ConsoleBenchArgs,
    renderer: &mut HeadlessRenderer,
    console: &mut Station,
    fleet: &mut Fleet,
    screen: egui::Rect,
) -> anyhow::Result<Measured> {
    let ctx = egui::Context::default();
    theme::apply(&ctx);
    let started = Instant::now();
    // Settle (layout, fonts, first uploads), then measure.
    for _ in 0..10 {
        let output = ctx.run_ui(raw_input(screen, started), |ui| console.ui(ui));
        renderer.render(&ctx, output)?;
    }
    let mut frame_ms = Vec::new();
    let mut ages_ms = Vec::new();
    let mut phases: [Vec<f64>; 4] = Default::default();
    let mut last_report = Instant::now();
    let (cpu0, t0) = (process_cpu_time()?, Instant::now());
    while t0.elapsed() < Duration::from_secs(args.seconds) {
        if last_report.elapsed() >= REPORT_EVERY {
            if let Some(world) = console.world() {
                fleet.step(REPORT_EVERY.as_secs_f64());
                fleet.report(world)?;
            }
            last_report = Instant::now();
        }
        let t = Instant::now();
        let output = ctx.run_ui(raw_input(screen, started), |ui| console.ui(ui));
        let built = t.elapsed().as_secs_f64() * 1e3;
        renderer.render(&ctx, output)?;
        frame_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let timing = renderer.last_timing();
        for (phase, ms) in phases.iter_mut().zip([
            built,
            timing.tessellate_ms,
            timing.prepare_ms,
            timing.gpu_ms,
        ]) {
            phase.push(ms);
        }
        // How old each tile's picture is now that it is on the screen.
        ages_ms.extend(
            console
                .wall_frame_ages()
                .iter()
                .map(|a| a.as_secs_f64() * 1e3),
        );
    }
    let (cpu1, elapsed) = (process_cpu_time()?, t0.elapsed());
    let cpu = cpu1.saturating_sub(cpu0);
    Ok(Measured {
        frame_ms,
        ages_ms,
        cpu_percent: 100.0 * cpu.as_secs_f64() / elapsed.as_secs_f64(),
        phases,
    })
}

/// The floor: empty frames (clear and the same copy to host memory), same
/// renderer and size, for as long.
fn measure_empty(
    args: &ConsoleBenchArgs,
    renderer: &mut HeadlessRenderer,
    screen: egui::Rect,
) -> anyhow::Result<Vec<f64>> {
    let empty = egui::Context::default();
    let started = Instant::now();
    let mut empty_ms = Vec::new();
    while started.elapsed() < Duration::from_secs(args.seconds) || empty_ms.len() < 10 {
        let t = Instant::now();
        let output = empty.run_ui(raw_input(screen, started), |_ui| {});
        renderer.render(&empty, output)?;
        empty_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    Ok(empty_ms)
}

/// Units spread over the city, each driving on its own heading.
struct Fleet {
    frame: LocalFrame,
    units: Vec<([f64; 2], f64)>,
}

impl Fleet {
    fn new(n: u32) -> Self {
        let mut rng = fastrand::Rng::with_seed(5);
        Self {
            frame: LocalFrame::new(watchfloor_layers::site::DEFAULT_ORIGIN),
            units: (0..n)
                .map(|_| {
                    (
                        [
                            rng.f64() * 16_000.0 - 8_000.0,
                            rng.f64() * 16_000.0 - 8_000.0,
                        ],
                        rng.f64() * std::f64::consts::TAU,
                    )
                })
                .collect(),
        }
    }

    /// Moves every unit `seconds` at 12 m/s.
    fn step(&mut self, seconds: f64) {
        for (p, heading) in &mut self.units {
            p[0] += heading.sin() * 12.0 * seconds;
            p[1] += heading.cos() * 12.0 * seconds;
        }
    }

    /// Every unit reports its position through the world hub.
    fn report(&self, world: &LiveWorld) -> anyhow::Result<()> {
        let stale_at = now_us() + 60_000_000;
        for (i, (p, heading)) in self.units.iter().enumerate() {
            let event = Event::UnitReported(UnitReport {
                id: format!("u{i}"),
                callsign: Some(format!("B-{i:04}")),
                kind: UnitKind::Car,
                lonlat: self.frame.lonlat(*p),
                ce_m: 5.0,
                heading_deg: Some(heading.to_degrees()),
                speed_mps: Some(12.0),
                stale_at,
            });
            world.submit(event, "bench").map_err(anyhow::Error::msg)?;
        }
        Ok(())
    }
}
