//! `watchfloor bench replay`: seeking in a 1-hour recording. The journal
//! (1,000 units reporting at 1 Hz, an alarm handled every minute) is written
//! through the real journal writer, and 16 cameras' video is a looped 360p
//! clip hard-linked as consecutive segments (faster than real time); both
//! are kept in the cache for later runs. Each seek to a random instant is
//! timed until the map's world is rebuilt by the replay engine, and until
//! every camera's player has shown its picture at that instant. The raw
//! limits in the same run: `Journal::state_at` called directly, and a bare
//! GStreamer pipeline per camera opened, sought and prerolled at the same
//! instants (`media::record::decode_frame_at`, 16 at once).

use crate::cli::bench::ReplayBenchArgs;
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context as _;
use watchfloor_layers::journal::{Journal, JournalWriter};
use watchfloor_layers::world::World;
use watchfloor_media::camera::CameraId;
use watchfloor_media::playback::{Playback, Shown};

use super::layers::{ORIGIN, T0, journal_events};
use super::report::{Report, Value, percentile};
use crate::console::replay::system_time;
use watchfloor_runtime::replay::ReplayEngine;

/// Runs the benchmark and prints its report.
pub fn run(args: &ReplayBenchArgs) -> anyhow::Result<()> {
    let dir = args.dir.clone().unwrap_or_else(|| {
        watchfloor_media::assets::cache_dir()
            .join(format!("bench-replay-v2-{}u-{}m", args.units, args.minutes))
    });
    let seconds = args.minutes * 60;
    let journal = recorded_journal(&dir.join("journal"), args.units, seconds)?;
    let cameras: Vec<CameraId> = (1..=args.cameras)
        .map(|i| CameraId::new(&format!("cam-{i:02}")))
        .collect();
    let footage = watchfloor_runtime::paths::asset("footage/vtest-plaza.mp4")?;
    let started = Instant::now();
    let segment = watchfloor_media::playback::synthesise_recording(
        &footage,
        &dir.join("video"),
        &cameras,
        system_time(T0),
        Duration::from_secs(u64::from(seconds)),
    )?;
    tracing::info!(took = ?started.elapsed(), ?segment, "recorded video ready");

    let span = i64::from(seconds) * 1_000_000;
    let mut rng = fastrand::Rng::with_seed(2026);
    let instants: Vec<i64> = (0..args.seeks).map(|_| T0 + rng.i64(0..span)).collect();

    let mut report = Report::new(&format!(
        "bench replay: {} min, {} units at 1 Hz ({} events), {} cameras at 360p ({:.0} s segments), {} seeks",
        args.minutes,
        args.units,
        journal.len(),
        args.cameras,
        segment.as_secs_f64(),
        args.seeks
    ));
    report.add(
        "minutes",
        "minutes recorded",
        Value::Int(u64::from(args.minutes)),
    );
    report.add("units", "units at 1 Hz", Value::Int(u64::from(args.units)));
    report.add(
        "events",
        "events in the journal",
        Value::Int(journal.len() as u64),
    );
    report.add(
        "cameras",
        "cameras on the wall",
        Value::Int(u64::from(args.cameras)),
    );
    report.add("seeks", "seeks timed", Value::Int(u64::from(args.seeks)));
    state_seeks(&journal, &instants, args.units, &mut report)?;
    video_seeks(&dir.join("video"), &cameras, &instants, &mut report)?;
    print!("{}", report.table());
    if args.json {
        println!("{}", report.json());
    }
    Ok(())
}

/// The journal of `units` reporting for `seconds`, written once through
/// the journal writer (snapshots included) and reused after.
fn recorded_journal(dir: &Path, units: u32, seconds: u32) -> anyhow::Result<Journal> {
    let complete = dir.join("complete");
    if !complete.is_file() {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
        let journal = Journal::open(dir)?;
        let writer = JournalWriter::start(journal, World::new(ORIGIN))?;
        let started = Instant::now();
        for e in journal_events(units, seconds) {
            writer.append(e)?;
        }
        writer.finish()?;
        tracing::info!(took = ?started.elapsed(), "journal recorded");
        std::fs::write(&complete, b"")?;
    }
    Ok(Journal::open(dir)?)
}

/// Seek → world rebuilt by the replay engine (its thread, as the console
/// uses it) vs `state_at` called directly.
fn state_seeks(
    journal: &Journal,
    instants: &[i64],
    units: u32,
    report: &mut Report,
) -> anyhow::Result<()> {
    let empty = World::new(ORIGIN).state().clone();
    let shown = Arc::new(RwLock::new(World::new(ORIGIN)));
    let engine = ReplayEngine::start(
        journal.clone(),
        empty.clone(),
        Arc::clone(&shown),
        None,
        || {},
    )?;
    let (mut ours, mut raw) = (Vec::new(), Vec::new());
    // Alternate which goes first, so neither always finds the other's
    // pages in the cache.
    for (i, &at) in instants.iter().enumerate() {
        if i % 2 == 0 {
            ours.push(engine_seek(&engine, &shown, at, units)?);
            raw.push(direct_state_at(journal, &empty, at)?);
        } else {
            raw.push(direct_state_at(journal, &empty, at)?);
            ours.push(engine_seek(&engine, &shown, at, units)?);
        }
    }
    let (p50, p95) = (percentile(&mut ours, 50.0), percentile(&mut ours, 95.0));
    let raw95 = percentile(&mut raw, 95.0);
    report.add(
        "seek_state_p50_ms",
        "seek → map state rebuilt, p50 (ms)",
        Value::Float(p50),
    );
    report.add(
        "seek_state_p95_ms",
        "seek → map state rebuilt, p95 (ms)",
        Value::Float(p95),
    );
    report.add(
        "raw_state_at_p95_ms",
        "raw: Journal::state_at directly, p95 (ms)",
        Value::Float(raw95),
    );
    report.add(
        "state_ratio",
        "state p95 / raw p95",
        Value::Float(p95 / raw95),
    );
    Ok(())
}

/// One seek through the replay engine, until its world is built (ms).
fn engine_seek(
    engine: &ReplayEngine,
    shown: &RwLock<World>,
    at: i64,
    units: u32,
) -> anyhow::Result<f64> {
    let t = Instant::now();
    let seek = engine.seek(at);
    let built = engine
        .wait_built(seek, Duration::from_secs(30))
        .context("the replay engine did not rebuild within 30 s")?;
    let ms = t.elapsed().as_secs_f64() * 1e3;
    anyhow::ensure!(built.at == at, "rebuilt {} for {at}", built.at);
    let n = shown.read().map_or(0, |w| w.state().units.len());
    anyhow::ensure!(n == units as usize, "the rebuilt world has {n} units");
    Ok(ms)
}

/// `Journal::state_at` called directly (ms).
fn direct_state_at(
    journal: &Journal,
    empty: &watchfloor_layers::world::WorldState,
    at: i64,
) -> anyhow::Result<f64> {
    let t = Instant::now();
    let world = journal.state_at(at, empty)?;
    let ms = t.elapsed().as_secs_f64() * 1e3;
    std::hint::black_box(world);
    Ok(ms)
}

/// Seek → every camera's player has its picture at the instant vs a bare
/// pipeline per camera opened, sought and prerolled at once.
fn video_seeks(
    video: &Path,
    cameras: &[CameraId],
    instants: &[i64],
    report: &mut Report,
) -> anyhow::Result<()> {
    let players: Vec<Playback> = cameras
        .iter()
        .map(|c| Playback::start(c.clone(), video.join(c.as_str()), None))
        .collect::<Result<_, _>>()?;
    let mut ours = Vec::new();
    for &at in instants {
        let when = system_time(at);
        let t = Instant::now();
        for p in &players {
            p.show(when);
        }
        for p in &players {
            wait_picture(p, when)?;
        }
        ours.push(t.elapsed().as_secs_f64() * 1e3);
    }
    drop(players);
    let mut raw = Vec::new();
    for &at in instants {
        let when = system_time(at);
        let t = Instant::now();
        std::thread::scope(|s| -> anyhow::Result<()> {
            let handles: Vec<_> = cameras
                .iter()
                .map(|c| {
                    let dir = video.join(c.as_str());
                    std::thread::Builder::new()
                        .name(format!("bare-{}", c.as_str()))
                        .spawn_scoped(s, move || bare_frame(&dir, when))
                })
                .collect::<Result<_, _>>()?;
            for h in handles {
                h.join()
                    .map_err(|_| anyhow::anyhow!("a bare decode panicked"))??;
            }
            Ok(())
        })?;
        raw.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let (p50, p95) = (percentile(&mut ours, 50.0), percentile(&mut ours, 95.0));
    let raw95 = percentile(&mut raw, 95.0);
    report.add(
        "seek_video_p50_ms",
        "seek → first frame of every camera, p50 (ms)",
        Value::Float(p50),
    );
    report.add(
        "seek_video_p95_ms",
        "seek → first frame of every camera, p95 (ms)",
        Value::Float(p95),
    );
    report.add(
        "raw_video_p95_ms",
        "raw: bare pipelines opened + sought at once, p95 (ms)",
        Value::Float(raw95),
    );
    report.add(
        "video_ratio",
        "video p95 / raw p95",
        Value::Float(p95 / raw95),
    );
    Ok(())
}

/// Waits for the player's picture at `when` (10 s at most).
fn wait_picture(player: &Playback, when: SystemTime) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match player.take() {
            Some(Shown::Frame { asked, .. }) if asked == when => return Ok(()),
            Some(Shown::Nothing { asked, why }) if asked == when => {
                anyhow::bail!("{}: nothing at the instant: {why}", player.camera())
            }
            _ => {}
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "{}: no picture within 10 s",
            player.camera()
        );
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// A bare pipeline: the segment holding `when`, sought, first frame decoded.
fn bare_frame(dir: &Path, when: SystemTime) -> anyhow::Result<Duration> {
    let (segment, offset) = watchfloor_media::record::locate(dir, when)?
        .ok_or_else(|| anyhow::anyhow!("{}: nothing recorded then", dir.display()))?;
    Ok(watchfloor_media::record::decode_frame_at(
        &segment.path,
        offset,
    )?)
}
