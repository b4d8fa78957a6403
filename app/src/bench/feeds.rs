//! `watchfloor bench feeds`: the load a TAK server sees, into the running
//! world. A `sim tak-clients` child opens N TCP connections to the
//! console's CoT port, half speaking CoT XML and half negotiating TAK
//! Protocol, each reporting once a second, plus drones over MAVLink. The
//! console side is the real one (`LiveWorld`: feeds, hub, journal). Each
//! report says when it was sent (`stale` is exactly two minutes after), so
//! the age from send to the world is read off the world itself.
//!
//! In the same run, the raw limit: the same messages decoded on one core
//! with no sockets and no world (`bare_parse_per_s`).

use std::collections::HashMap;
use std::io::BufRead as _;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use watchfloor_layers::clock::now_us;
use watchfloor_layers::event::Origin;
use watchfloor_layers::feeds::ingest::decode_frame;
use watchfloor_layers::feeds::tak::Frame;

use super::cpu::{main_thread_cpu_time, process_cpu_time};
use super::report::{Report, Value, percentile};
use crate::cli::bench::FeedsBenchArgs;
use crate::sim_world::tak_clients::{REPORT_VALID_S, client_uid};
use watchfloor_runtime::feeds::FeedPorts;
use watchfloor_runtime::world::{LiveWorld, WorldOptions};

/// How often the world is read for new reports (the age's resolution).
const POLL: Duration = Duration::from_millis(20);

/// Seconds after every client is on the map before measuring.
const WARM_UP: Duration = Duration::from_secs(3);

/// Runs the benchmark and prints its report.
pub fn run(args: &FeedsBenchArgs) -> anyhow::Result<()> {
    let journal = std::env::temp_dir().join(format!("wf-bench-feeds-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&journal);
    let live = LiveWorld::start(
        WorldOptions {
            site: None,
            basemap: None,
            journal: Some(journal.clone()),
            recordings: std::env::temp_dir().join("watchfloor-bench-feeds-recordings"),
            ports: FeedPorts {
                sa_multicast: None,
                ..FeedPorts::any_free()
            },
            drone_keys: None,
            simulate: false,
        },
        || {},
    )?;
    let bound = wait_feeds(&live)?;
    let connect_s = 60.0;
    let total_s = connect_s + WARM_UP.as_secs_f64() + args.seconds as f64 + 5.0;
    let mut child = std::process::Command::new(std::env::current_exe()?)
        .args(["--log-level", "warn", "sim", "tak-clients"])
        .args(["--cot-tcp", &bound.0.to_string()])
        .args(["--mavlink-udp", &bound.1.to_string()])
        .args(["--clients", &args.clients.to_string()])
        .args(["--drones", &args.drones.to_string()])
        .args(["--seconds", &total_s.to_string()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("starting `watchfloor sim tak-clients`")?;
    let uids: Vec<String> = (0..args.clients).map(client_uid).collect();
    let start = Instant::now();
    while count_present(&live, &uids) < uids.len() {
        if start.elapsed().as_secs_f64() > connect_s {
            let _ = child.kill();
            anyhow::bail!(
                "only {} of {} clients reached the map in {connect_s} s",
                count_present(&live, &uids),
                uids.len()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let on_map_s = start.elapsed().as_secs_f64();
    std::thread::sleep(WARM_UP);
    let measured = measure(&live, &uids, Duration::from_secs(args.seconds))?;
    let tally = child_tally(&mut child)?;
    drop(live);
    let _ = std::fs::remove_dir_all(&journal);
    let bare = bare_parse_per_s(&uids);
    print(args, &measured, &tally, bare, on_map_s);
    Ok(())
}

fn wait_feeds(live: &LiveWorld) -> anyhow::Result<(std::net::SocketAddr, std::net::SocketAddr)> {
    let start = Instant::now();
    loop {
        if let Some(result) = live.status().feeds {
            let bound = result.map_err(|e| anyhow::anyhow!("feeds: {e}"))?;
            return Ok((
                bound.cot_tcp.context("no CoT TCP port")?,
                bound.mavlink_udp.context("no MAVLink port")?,
            ));
        }
        anyhow::ensure!(
            start.elapsed() < Duration::from_secs(20),
            "feeds did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn count_present(live: &LiveWorld, uids: &[String]) -> usize {
    let w = live.world();
    uids.iter()
        .filter(|u| w.state().units.contains_key(*u))
        .count()
}

struct Measured {
    applied: u64,
    drone_updates: u64,
    ages_ms: Vec<f64>,
    seconds: f64,
    cpu_cores: f64,
}

/// Reads the world every [`POLL`] for `span`: each unit whose report is
/// newer than last time is one applied message, aged from its send time.
fn measure(live: &LiveWorld, uids: &[String], span: Duration) -> anyhow::Result<Measured> {
    let valid_us = REPORT_VALID_S * 1_000_000;
    let mut last: HashMap<&str, i64> = HashMap::with_capacity(uids.len());
    let mut drones_last: HashMap<u32, i64> = HashMap::new();
    {
        let w = live.world();
        for u in uids {
            if let Some(unit) = w.state().units.get(u) {
                last.insert(u.as_str(), unit.reported_at);
            }
        }
    }
    let (mut applied, mut drone_updates) = (0_u64, 0_u64);
    let mut ages_ms = Vec::new();
    let (cpu0, ours0, t0) = (process_cpu_time()?, main_thread_cpu_time()?, Instant::now());
    while t0.elapsed() < span {
        std::thread::sleep(POLL);
        let now = now_us();
        let w = live.world();
        for u in uids {
            let Some(unit) = w.state().units.get(u) else {
                continue;
            };
            let seen = last.entry(u.as_str()).or_insert(unit.reported_at);
            if unit.reported_at != *seen {
                *seen = unit.reported_at;
                applied += 1;
                let sent = unit.stale_at - valid_us;
                ages_ms.push((now - sent) as f64 / 1000.0);
            }
        }
        for (id, d) in &w.state().drones {
            let seen = drones_last.entry(*id).or_insert(d.last_seen);
            if d.last_seen != *seen {
                *seen = d.last_seen;
                drone_updates += 1;
            }
        }
    }
    let seconds = t0.elapsed().as_secs_f64();
    // The console's CPU, less this benchmark's own reading of the world.
    let cpu = process_cpu_time()?.saturating_sub(cpu0);
    let ours = main_thread_cpu_time()?.saturating_sub(ours0);
    Ok(Measured {
        applied,
        drone_updates,
        ages_ms,
        seconds,
        cpu_cores: cpu.saturating_sub(ours).as_secs_f64() / seconds,
    })
}

/// What the client process says when it is done.
struct Tally {
    connected: u64,
    dropped: u64,
    sent: u64,
}

fn child_tally(child: &mut std::process::Child) -> anyhow::Result<Tally> {
    // Closing its standard input stops the clients; they then report.
    drop(child.stdin.take());
    let stdout = child.stdout.take().context("no stdout from tak-clients")?;
    let mut line = String::new();
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    let _ = child.wait();
    let v: serde_json::Value =
        serde_json::from_str(line.trim()).with_context(|| format!("tak-clients said {line:?}"))?;
    let get = |k: &str| v.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
    Ok(Tally {
        connected: get("connected"),
        dropped: get("dropped"),
        sent: get("sent"),
    })
}

/// Messages per second one core decodes into envelopes: the clients' own
/// reports (half XML, half TAK Protocol), no sockets, no world.
fn bare_parse_per_s(uids: &[String]) -> f64 {
    let frames: Vec<Frame> = uids
        .iter()
        .take(2000)
        .enumerate()
        .map(|(i, uid)| {
            let event = crate::sim_world::tak_clients::report_for_bench(uid);
            if i % 2 == 1 {
                let bytes = watchfloor_layers::feeds::tak::encode_stream(&event);
                let message = watchfloor_layers::feeds::tak::parse_datagram(&bytes)
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default();
                Frame::Tak(message)
            } else {
                Frame::Xml(watchfloor_layers::feeds::cot::encode(&event).into_bytes())
            }
        })
        .collect();
    let origin = Origin::Feed("bench".into());
    let (mut n, start) = (0_u64, Instant::now());
    while start.elapsed() < Duration::from_secs(2) {
        for f in &frames {
            std::hint::black_box(decode_frame(f, &origin, 0));
        }
        n += frames.len() as u64;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn print(args: &FeedsBenchArgs, m: &Measured, tally: &Tally, bare: f64, on_map_s: f64) {
    let mut ages = m.ages_ms.clone();
    let applied_per_s = m.applied as f64 / m.seconds;
    let mut report = Report::new(&format!(
        "bench feeds: {} TAK clients at 1 Hz (TCP, half XML, half TAK Protocol), {} drones, {} s",
        args.clients, args.drones, args.seconds
    ));
    report.add(
        "clients",
        "TAK clients",
        Value::Int(u64::from(args.clients)),
    );
    report.add(
        "drones",
        "MAVLink drones",
        Value::Int(u64::from(args.drones)),
    );
    report.add(
        "connected",
        "clients connected",
        Value::Int(tally.connected),
    );
    report.add(
        "dropped_clients",
        "clients dropped or refused",
        Value::Int(tally.dropped),
    );
    report.add(
        "on_map_s",
        "seconds until every client was on the map",
        Value::Float(on_map_s),
    );
    report.add(
        "offered_per_s",
        "reports offered per second",
        Value::Float(f64::from(args.clients)),
    );
    report.add(
        "applied_per_s",
        "unit reports applied to the world per second",
        Value::Float(applied_per_s),
    );
    report.add(
        "drone_updates_per_s",
        "drone updates applied per second",
        Value::Float(m.drone_updates as f64 / m.seconds),
    );
    report.add(
        "age_p50_ms",
        "age send → world p50 (ms)",
        Value::Float(percentile(&mut ages, 50.0)),
    );
    report.add(
        "age_p95_ms",
        "age send → world p95 (ms)",
        Value::Float(percentile(&mut ages, 95.0)),
    );
    report.add(
        "age_max_ms",
        "age send → world max (ms)",
        Value::Float(percentile(&mut ages, 100.0)),
    );
    report.add(
        "cpu_cores",
        "console CPU (cores)",
        Value::Float(m.cpu_cores),
    );
    report.add(
        "reports_sent",
        "reports the clients sent in all",
        Value::Int(tally.sent),
    );
    report.add(
        "bare_parse_per_s",
        "bare decode, same messages, one core (/s)",
        Value::Float(bare),
    );
    report.add(
        "bare_parse_ratio",
        "bare decode rate ÷ applied rate",
        Value::Float(bare / applied_per_s),
    );
    println!("{}", report.table());
    if args.json {
        println!("{}", report.json());
    }
}
