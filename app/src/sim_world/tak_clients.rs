//! `watchfloor sim tak-clients`: N TAK clients on TCP, each reporting its
//! position once a second, as a TAK server sees a fleet: half speak CoT
//! XML, half negotiate TAK Protocol (`t-x-takp-q`, as ATAK does) and send
//! protobuf; plus M drones over MAVLink. Each report's `time` is when it
//! was sent and `stale` exactly two minutes later, so a receiver can tell
//! its age. Runs for `--seconds` or until standard input closes, then
//! prints one JSON line: clients connected, dropped (closed or refused by
//! the receiver), reports sent.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use watchfloor_layers::feeds::cot::{self, CotEvent, CotPoint};
use watchfloor_layers::feeds::tak::{self, control};
use watchfloor_layers::frame::LocalFrame;

use super::drones::{Pattern, SimDrone};
use crate::cli::bench::SimTakClientsArgs;

/// Validity of every report: a receiver reads the send time as `stale` less this.
pub const REPORT_VALID_S: i64 = 120;

/// Where the fleet is (central Astana).
const HOME: [f64; 2] = [71.43, 51.128];

/// The id of client `i`.
pub fn client_uid(i: u32) -> String {
    format!("BENCH-{i:05}")
}

#[derive(Default)]
struct Tally {
    connected: AtomicU64,
    dropped: AtomicU64,
    sent: AtomicU64,
    /// Standard input closed: every client stops at its next report.
    stop: AtomicBool,
}

/// Runs the clients for `args.seconds`, then prints the tally.
pub fn run(args: &SimTakClientsArgs) -> anyhow::Result<std::process::ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("tak-clients")
        .enable_all()
        .build()?;
    let tally = Arc::new(Tally::default());
    let stdin_tally = Arc::clone(&tally);
    std::thread::Builder::new()
        .name("tak-clients-stdin".into())
        .spawn(move || {
            let mut sink = Vec::new();
            let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
            stdin_tally.stop.store(true, Ordering::Relaxed);
        })?;
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for i in 0..args.clients {
            let (tally, addr) = (Arc::clone(&tally), args.cot_tcp);
            // Spread the clients' second evenly, so the load is steady.
            let phase = Duration::from_secs_f64(f64::from(i) / f64::from(args.clients));
            let protobuf = i % 2 == 1;
            let seconds = args.seconds;
            tasks.push(tokio::spawn(async move {
                if let Err(e) = client(i, addr, protobuf, phase, seconds, &tally).await {
                    tracing::debug!(client = i, "dropped: {e}");
                    tally.dropped.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        let (drone_tally, addr, count, seconds) = (
            Arc::clone(&tally),
            args.mavlink_udp,
            args.drones,
            args.seconds,
        );
        tasks.push(tokio::spawn(async move {
            drones(addr, count, seconds, &drone_tally.stop).await;
        }));
        for t in tasks {
            let _ = t.await;
        }
    });
    println!(
        r#"{{"connected":{},"dropped":{},"sent":{}}}"#,
        tally.connected.load(Ordering::Relaxed),
        tally.dropped.load(Ordering::Relaxed),
        tally.sent.load(Ordering::Relaxed)
    );
    Ok(std::process::ExitCode::SUCCESS)
}

async fn client(
    i: u32,
    addr: SocketAddr,
    protobuf: bool,
    phase: Duration,
    seconds: f64,
    tally: &Tally,
) -> anyhow::Result<()> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut inbox = Vec::new();
    // The receiver announces itself; a protobuf client asks and waits for yes.
    read_events(&mut stream, &mut inbox, 1).await?;
    if protobuf {
        stream
            .write_all(control::request(tak::PROTOCOL_VERSION, chrono::Utc::now()).as_bytes())
            .await?;
        read_events(&mut stream, &mut inbox, 2).await?;
        anyhow::ensure!(
            inbox.windows(13).any(|w| w == b"status=\"true\""),
            "TAK Protocol refused"
        );
    }
    tally.connected.fetch_add(1, Ordering::Relaxed);
    tokio::time::sleep(phase).await;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let uid = client_uid(i);
    let offset = [f64::from(i % 100) * 2e-4, f64::from(i / 100) * 1e-4];
    let end = tokio::time::Instant::now() + Duration::from_secs_f64(seconds);
    let mut n = 0_u32;
    let mut scratch = [0_u8; 512];
    while tokio::time::Instant::now() < end && !tally.stop.load(Ordering::Relaxed) {
        tokio::select! {
            _ = tick.tick() => {}
            // A receiver that closes the connection is seen at once.
            read = stream.read(&mut scratch) => {
                if matches!(read, Ok(0) | Err(_)) {
                    anyhow::bail!("closed by the receiver");
                }
                continue;
            }
        }
        n += 1;
        let event = report(
            &uid,
            [
                HOME[0] + offset[0],
                HOME[1] + offset[1] + f64::from(n) * 1e-6,
            ],
        );
        let bytes = if protobuf {
            tak::encode_stream(&event)
        } else {
            cot::encode(&event).into_bytes()
        };
        stream.write_all(&bytes).await?;
        tally.sent.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

/// Reads until `count` XML events have arrived in total.
async fn read_events(
    stream: &mut tokio::net::TcpStream,
    inbox: &mut Vec<u8>,
    count: usize,
) -> anyhow::Result<()> {
    let mut buf = [0_u8; 1024];
    while inbox.windows(8).filter(|w| *w == b"</event>").count() < count {
        let n = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buf)).await??;
        anyhow::ensure!(n > 0, "closed by the receiver");
        inbox.extend_from_slice(&buf[..n]);
    }
    Ok(())
}

/// The report client `uid` sends, at its home position (for the bare
/// decode rate of the same messages).
pub fn report_for_bench(uid: &str) -> CotEvent {
    report(uid, HOME)
}

fn report(uid: &str, lonlat: [f64; 2]) -> CotEvent {
    let now = chrono::Utc::now();
    CotEvent {
        uid: uid.to_owned(),
        kind: "a-f-G-U-C".into(),
        how: Some("m-g".into()),
        time: now,
        start: now,
        stale: now + chrono::Duration::seconds(REPORT_VALID_S),
        point: CotPoint {
            lat: lonlat[1],
            lon: lonlat[0],
            hae: 350.0,
            ce: 5.0,
            le: cot::UNKNOWN_ERROR_M,
        },
        callsign: Some(uid.to_owned()),
        course_deg: Some(90.0),
        speed_mps: Some(1.4),
        emergency: None,
        group: None,
    }
}

/// `count` drones orbiting, each sending its telemetry once a second.
async fn drones(addr: SocketAddr, count: u8, seconds: f64, stop: &AtomicBool) {
    if count == 0 {
        return;
    }
    let Ok(socket) = tokio::net::UdpSocket::bind("127.0.0.1:0").await else {
        return;
    };
    let frame = LocalFrame::new(HOME);
    let mut fleet: Vec<SimDrone> = (1..=count)
        .map(|id| {
            SimDrone::new(
                id,
                [f64::from(id) * 300.0, 0.0],
                Pattern::Orbit { radius_m: 400.0 },
                100.0,
            )
        })
        .collect();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let start = tokio::time::Instant::now();
    while start.elapsed().as_secs_f64() < seconds && !stop.load(Ordering::Relaxed) {
        tick.tick().await;
        let now_s = start.elapsed().as_secs_f64();
        for d in &mut fleet {
            d.advance(1.0);
            let mut bytes = d.fast_frames(&frame, now_s);
            bytes.extend(d.slow_frames(now_s));
            let _ = socket.send_to(&bytes, addr).await;
        }
    }
}
