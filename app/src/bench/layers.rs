//! `watchfloor bench layers`: how fast the world takes position updates,
//! answers "nearest available units", journals events and rebuilds the
//! state at an instant. Each figure comes with the raw limit of the same
//! work measured in the same run (a bare position table, a brute-force
//! scan, bare sled inserts).

use crate::cli::bench::LayersBenchArgs;
use std::collections::HashMap;
use std::time::Instant;

use watchfloor_layers::basemap::Basemap;
use watchfloor_layers::dispatch;
use watchfloor_layers::event::{Envelope, Event, Origin, UnitReport};
use watchfloor_layers::frame::LocalFrame;
use watchfloor_layers::journal::{Journal, JournalWriter};
use watchfloor_layers::model::{AlertSource, Ring, UnitKind, UnixMicros};
use watchfloor_layers::roads::RoadGraph;
use watchfloor_layers::spatial::UnitIndex;
use watchfloor_layers::status::{AlertSeverity, AlertState, UnitStatus};
use watchfloor_layers::world::World;

use super::report::{Report, Value, percentile};

pub(crate) const ORIGIN: [f64; 2] = [71.4304, 51.1283];
pub(crate) const T0: UnixMicros = 1_790_000_000_000_000;
/// Half the side of the square units are spread over, metres.
const HALF_SIDE_M: f64 = 10_000.0;

/// Runs the benchmark and prints its report.
pub fn run(args: &LayersBenchArgs) -> anyhow::Result<()> {
    let frame = LocalFrame::new(ORIGIN);
    let mut rng = fastrand::Rng::with_seed(42);
    let mut report = Report::new(&format!(
        "bench layers: {} units; journal of {} units × {} s at 1 Hz",
        args.units, args.journal_units, args.journal_seconds
    ));
    report.add(
        "units",
        "units in the index",
        Value::Int(u64::from(args.units)),
    );
    let positions = scatter(&frame, &mut rng, args.units as usize);
    updates(args, &positions, &mut rng, &mut report);
    queries(&positions, &mut rng, &mut report);
    suggestions(&mut rng, &mut report)?;
    journal(args, &mut report)?;
    print!("{}", report.table());
    if args.json {
        println!("{}", report.json());
    }
    Ok(())
}

/// `n` random lon/lat points in the square units are spread over.
fn scatter(frame: &LocalFrame, rng: &mut fastrand::Rng, n: usize) -> Vec<[f64; 2]> {
    let mut coordinate = || rng.f64() * 2.0 * HALF_SIDE_M - HALF_SIDE_M;
    (0..n)
        .map(|_| frame.lonlat([coordinate(), coordinate()]))
        .collect()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("unit-{i:05}")).collect()
}

/// Index updates vs a bare position table, and the full world path.
fn updates(
    args: &LayersBenchArgs,
    positions: &[[f64; 2]],
    rng: &mut fastrand::Rng,
    report: &mut Report,
) {
    let n = positions.len();
    let ids = ids(n);
    let moves: Vec<(usize, [f64; 2])> = (0..args.updates as usize)
        .map(|_| {
            let i = rng.usize(..n);
            let p = positions[i];
            (
                i,
                [
                    p[0] + (rng.f64() - 0.5) * 1e-4,
                    p[1] + (rng.f64() - 0.5) * 1e-4,
                ],
            )
        })
        .collect();

    let mut index = UnitIndex::new(ORIGIN);
    for (id, &p) in ids.iter().zip(positions) {
        index.upsert(id, p, true);
    }
    let start = Instant::now();
    for &(i, p) in &moves {
        index.upsert(&ids[i], p, i % 3 == 0);
    }
    let ours = moves.len() as f64 / start.elapsed().as_secs_f64();

    let mut table: HashMap<&str, ([f64; 2], bool)> = HashMap::new();
    for (id, &p) in ids.iter().zip(positions) {
        table.insert(id, (p, true));
    }
    let start = Instant::now();
    for &(i, p) in &moves {
        table.insert(&ids[i], (p, i % 3 == 0));
    }
    let raw = moves.len() as f64 / start.elapsed().as_secs_f64();
    std::hint::black_box(&table);

    // The whole path a feed update takes: event → world (trail, rings) → index.
    let mut world = World::new(ORIGIN);
    world.apply(&Envelope {
        at: T0,
        origin: Origin::System,
        event: Event::RingDrawn(Ring::circle(
            "inner",
            "Inner",
            ORIGIN,
            4000.0,
            &LocalFrame::new(ORIGIN),
        )),
    });
    let events: Vec<Envelope> = moves
        .iter()
        .take(500_000)
        .enumerate()
        .map(|(k, &(i, p))| report_event(&ids[i], T0 + k as i64, p))
        .collect();
    let start = Instant::now();
    for e in &events {
        world.apply(e);
    }
    let world_rate = events.len() as f64 / start.elapsed().as_secs_f64();

    report.add(
        "updates_per_s",
        "position updates into the index per second",
        Value::Float(ours),
    );
    report.add(
        "raw_table_updates_per_s",
        "raw: bare position table (no index) per second",
        Value::Float(raw),
    );
    report.add(
        "updates_ratio",
        "index / bare table",
        Value::Float(ours / raw),
    );
    report.add(
        "world_updates_per_s",
        "CoT-shaped events through the world per second",
        Value::Float(world_rate),
    );
}

fn report_event(id: &str, at: UnixMicros, lonlat: [f64; 2]) -> Envelope {
    Envelope {
        at,
        origin: Origin::Feed("cot/udp bench".into()),
        event: Event::UnitReported(UnitReport {
            id: id.to_owned(),
            callsign: None,
            kind: UnitKind::Car,
            lonlat,
            ce_m: 5.0,
            heading_deg: Some(90.0),
            speed_mps: Some(10.0),
            stale_at: at + 30_000_000,
        }),
    }
}

/// k nearest available (k = 5) with the index vs a brute-force scan.
fn queries(positions: &[[f64; 2]], rng: &mut fastrand::Rng, report: &mut Report) {
    let ids = ids(positions.len());
    let mut index = UnitIndex::new(ORIGIN);
    for (i, (id, &p)) in ids.iter().zip(positions).enumerate() {
        index.upsert(id, p, i % 10 < 3); // 30 % available
    }
    let frame = LocalFrame::new(ORIGIN);
    let points = scatter(&frame, rng, 2000);
    let mut ours = Vec::with_capacity(points.len());
    for &q in &points {
        let t = Instant::now();
        std::hint::black_box(index.nearest_available(q, 5));
        ours.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let xy: Vec<[f64; 2]> = positions.iter().map(|&p| frame.xy(p)).collect();
    let mut raw = Vec::new();
    for &q in points.iter().take(200) {
        let t = Instant::now();
        let qxy = frame.xy(q);
        let mut d: Vec<(f64, usize)> = xy
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 10 < 3)
            .map(|(i, p)| ((p[0] - qxy[0]).hypot(p[1] - qxy[1]), i))
            .collect();
        d.select_nth_unstable_by(5, |a, b| a.0.total_cmp(&b.0));
        std::hint::black_box(&d[..5]);
        raw.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let p95 = percentile(&mut ours, 95.0);
    let raw95 = percentile(&mut raw, 95.0);
    report.add(
        "knn_p50_us",
        "5 nearest available, p50 (µs)",
        Value::Float(percentile(&mut ours, 50.0)),
    );
    report.add(
        "knn_p95_us",
        "5 nearest available, p95 (µs)",
        Value::Float(p95),
    );
    report.add(
        "raw_scan_knn_p95_us",
        "raw: brute-force scan, p95 (µs)",
        Value::Float(raw95),
    );
    report.add(
        "knn_speedup",
        "scan p95 / index p95",
        Value::Float(raw95 / p95),
    );
}

/// Dispatch suggestions with road ETAs on the Astana network.
fn suggestions(rng: &mut fastrand::Rng, report: &mut Report) -> anyhow::Result<()> {
    let map = Basemap::load(&watchfloor_runtime::paths::asset(
        watchfloor_runtime::paths::ASTANA_BASEMAP,
    )?)?;
    let frame = LocalFrame::new(ORIGIN);
    let t = Instant::now();
    let graph = RoadGraph::from_basemap(&map, frame);
    let build_ms = t.elapsed().as_secs_f64() * 1e3;
    let mut world = World::new(ORIGIN);
    for i in 0..1000 {
        let p = frame.lonlat([rng.f64() * 16_000.0 - 8000.0, rng.f64() * 16_000.0 - 8000.0]);
        world.apply(&report_event(&format!("u{i}"), T0, p));
    }
    let mut times = Vec::new();
    for a in 0..100 {
        let id = format!("a{a}");
        world.apply(&Envelope {
            at: T0,
            origin: Origin::System,
            event: Event::AlertRaised {
                id: id.clone(),
                source: AlertSource::Operator,
                severity: AlertSeverity::High,
                title: String::new(),
                lonlat: frame
                    .lonlat([rng.f64() * 12_000.0 - 6000.0, rng.f64() * 12_000.0 - 6000.0]),
            },
        });
        let t = Instant::now();
        std::hint::black_box(dispatch::suggest(&world, Some(&graph), &id, 5));
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    report.add(
        "road_graph_build_ms",
        "Astana road network build (ms)",
        Value::Float(build_ms),
    );
    report.add(
        "suggest_p95_ms",
        "5 suggestions with road ETAs, 1000 units, p95 (ms)",
        Value::Float(percentile(&mut times, 95.0)),
    );
    Ok(())
}

/// The scenario journaled: every unit reports once a second; every minute an
/// alarm is raised, acknowledged, dispatched and later resolved.
pub(crate) fn journal_events(units: u32, seconds: u32) -> impl Iterator<Item = Envelope> {
    let frame = LocalFrame::new(ORIGIN);
    let ids = ids(units as usize);
    let mut rng = fastrand::Rng::with_seed(7);
    let mut pos: Vec<[f64; 2]> = (0..units)
        .map(|_| [rng.f64() * 16_000.0 - 8000.0, rng.f64() * 16_000.0 - 8000.0])
        .collect();
    (0..seconds).flat_map(move |s| {
        let t = T0 + i64::from(s) * 1_000_000;
        let mut out = Vec::with_capacity(units as usize + 4);
        for (i, p) in pos.iter_mut().enumerate() {
            p[0] += rng.f64() * 20.0 - 10.0;
            p[1] += rng.f64() * 20.0 - 10.0;
            out.push(report_event(&ids[i], t + i as i64, frame.lonlat(*p)));
        }
        let op = |event| Envelope {
            at: t + 900_000,
            origin: Origin::Operator("bench".into()),
            event,
        };
        let alert = format!("A{}", s / 60);
        match s % 60 {
            0 => out.push(op(Event::AlertRaised {
                id: alert,
                source: AlertSource::Alarm {
                    site: "bench".into(),
                },
                severity: AlertSeverity::Critical,
                title: "alarm".into(),
                lonlat: ORIGIN,
            })),
            5 => out.push(op(Event::AlertStateSet {
                id: alert,
                state: AlertState::Acknowledged,
                by: "bench".into(),
            })),
            10 => out.push(op(Event::Dispatched {
                alert,
                units: vec![ids[(s as usize) % ids.len()].clone()],
                by: "bench".into(),
                etas_s: vec![60.0],
            })),
            50 => out.push(op(Event::AlertStateSet {
                id: alert,
                state: AlertState::Resolved,
                by: "bench".into(),
            })),
            30 => out.push(op(Event::UnitStatusSet {
                id: ids[(s as usize * 7) % ids.len()].clone(),
                status: UnitStatus::OffDuty,
            })),
            _ => {}
        }
        out
    })
}

/// Journal append rate (writer thread, snapshots included) vs bare sled
/// inserts of the same records, and state rebuilds at random instants.
fn journal(args: &LayersBenchArgs, report: &mut Report) -> anyhow::Result<()> {
    let dir = args.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("watchfloor-bench-journal-{}", std::process::id()))
    });
    let _ = std::fs::remove_dir_all(&dir);
    let journal = Journal::open(&dir.join("journal"))?;
    let writer = JournalWriter::start(journal.clone(), World::new(ORIGIN))?;
    let start = Instant::now();
    let mut count = 0_u64;
    for e in journal_events(args.journal_units, args.journal_seconds) {
        writer.append(e)?;
        count += 1;
    }
    writer.finish()?;
    let append_rate = count as f64 / start.elapsed().as_secs_f64();

    // Raw: the same bytes into a bare sled tree, in the same batch size.
    let raw_db = sled::Config::new().path(dir.join("raw")).open()?;
    let raw_tree = raw_db.open_tree("raw")?;
    let sample: Vec<Vec<u8>> = journal_events(args.journal_units, 120)
        .map(|e| e.to_bytes())
        .collect();
    let start = Instant::now();
    for (chunk_no, chunk) in sample.chunks(4096).enumerate() {
        let mut batch = sled::Batch::default();
        for (i, bytes) in chunk.iter().enumerate() {
            batch.insert(
                &((chunk_no * 4096 + i) as u64).to_be_bytes(),
                bytes.as_slice(),
            );
        }
        raw_tree.apply_batch(batch)?;
    }
    raw_db.flush()?;
    let raw_rate = sample.len() as f64 / start.elapsed().as_secs_f64();
    drop(raw_tree);
    drop(raw_db);

    let empty = World::new(ORIGIN).state().clone();
    let span = i64::from(args.journal_seconds) * 1_000_000;
    let mut rng = fastrand::Rng::with_seed(99);
    let mut times = Vec::new();
    let mut units_seen = 0;
    for _ in 0..args.instants {
        let at = T0 + rng.i64(0..span);
        let t = Instant::now();
        let world = journal.state_at(at, &empty)?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        units_seen = units_seen.max(world.state().units.len());
    }
    anyhow::ensure!(
        units_seen == args.journal_units as usize,
        "rebuilt states miss units: {units_seen}"
    );
    let size = dir_size(&dir.join("journal"));
    report.add("journal_events", "events journaled", Value::Int(count));
    report.add(
        "journal_appends_per_s",
        "journal appends per second (writer thread, snapshots)",
        Value::Float(append_rate),
    );
    report.add(
        "raw_sled_inserts_per_s",
        "raw: bare sled batch inserts per second",
        Value::Float(raw_rate),
    );
    report.add(
        "journal_ratio",
        "journal / bare sled",
        Value::Float(append_rate / raw_rate),
    );
    report.add(
        "journal_snapshots",
        "snapshots written",
        Value::Int(journal.snapshot_count() as u64),
    );
    report.add(
        "journal_mib",
        "journal size on disk (MiB)",
        Value::Float(size as f64 / 1_048_576.0),
    );
    report.add(
        "state_at_p50_ms",
        "state at a random instant, p50 (ms)",
        Value::Float(percentile(&mut times, 50.0)),
    );
    report.add(
        "state_at_p95_ms",
        "state at a random instant, p95 (ms)",
        Value::Float(percentile(&mut times, 95.0)),
    );
    drop(journal);
    if args.dir.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
