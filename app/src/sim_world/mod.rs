//! `watchfloor sim world`: a scenario on the Astana basemap that speaks the
//! protocols real fleets speak, to loopback. Patrol units drive along real
//! roads and report in CoT (cars and motorbikes over UDP, foot patrols and
//! robots over TCP like TAK clients on a server); drones fly patrol patterns
//! and speak MAVLink 2 over UDP (one drops its link now and then); sites
//! press one-click alarms (TAK emergency CoT).

mod drones;
pub mod tak_clients;
mod units;

use crate::cli::bench::SimWorldArgs;
use std::io::Write as _;
use std::net::{TcpStream, UdpSocket};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use watchfloor_layers::basemap::Basemap;
use watchfloor_layers::feeds::cot::{self, CotEvent, CotPoint};
use watchfloor_layers::frame::LocalFrame;
use watchfloor_layers::model::UnitKind;
use watchfloor_layers::roads::{RoadGraph, TravelMode};
use watchfloor_layers::site::Site;

use drones::{Pattern, SimDrone};
use units::SimUnit;

/// Simulation steps per second.
const TICKS_PER_S: u32 = 10;

/// The demo site's settings file, under the assets folder.
pub const DEMO_SITE: &str = "site/astana/site.toml";
/// The Astana basemap, under the assets folder.
pub const ASTANA_BASEMAP: &str = "basemap/astana.wfmap";

/// An asset path, from the assets folder.
pub fn asset(relative: &str) -> anyhow::Result<PathBuf> {
    let dir = watchfloor_media::assets::assets_dir().map_err(|tried| {
        anyhow::anyhow!("no assets folder (tried {tried:?}; set WATCHFLOOR_ASSETS)")
    })?;
    Ok(dir.join(relative))
}

/// Runs the scenario until stopped.
pub fn run(args: &SimWorldArgs) -> anyhow::Result<ExitCode> {
    let basemap_path = match &args.basemap {
        Some(p) => p.clone(),
        None => asset(ASTANA_BASEMAP)?,
    };
    let site_path = match &args.site {
        Some(p) => p.clone(),
        None => asset(DEMO_SITE)?,
    };
    let (site, issues) = Site::load(&site_path).with_context(|| "loading the site".to_string())?;
    for i in issues {
        tracing::warn!("site: {i}");
    }
    let map = Basemap::load(&basemap_path)?;
    let frame = LocalFrame::new(site.origin);
    let graph = RoadGraph::from_basemap(&map, frame);
    let mut scenario = Scenario::new(args, &site, graph)?;
    if args.exit_on_stdin_eof {
        watch_stdin()?;
    }
    println!("ready");
    std::io::stdout().flush()?;
    Ok(scenario.run(args.seconds))
}

/// Exits the process when stdin closes (the parent console is gone).
fn watch_stdin() -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("sim-stdin".into())
        .spawn(|| {
            let mut sink = Vec::new();
            let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
            tracing::info!("standard input closed: the world simulator stops");
            std::process::exit(0);
        })?;
    Ok(())
}

/// How far from its checkpoint a unit on post walks, metres.
const POST_RADIUS_M: f64 = 150.0;

/// For each checkpoint with walkable nodes near it, those nodes (metric):
/// where an officer on post there walks.
fn checkpoint_posts(site: &Site, frame: &LocalFrame, graph: &RoadGraph) -> Vec<Vec<[f64; 2]>> {
    let walk: Vec<[f64; 2]> = graph
        .usable_nodes(TravelMode::Walk { speed_mps: 1.4 })
        .into_iter()
        .map(|p| frame.xy(p))
        .collect();
    site.checkpoints
        .iter()
        .filter_map(|c| {
            let at = frame.xy(c.lonlat);
            let near: Vec<[f64; 2]> = walk
                .iter()
                .copied()
                .filter(|p| (p[0] - at[0]).hypot(p[1] - at[1]) < POST_RADIUS_M)
                .collect();
            (!near.is_empty()).then_some(near)
        })
        .collect()
}

struct Scenario {
    frame: LocalFrame,
    graph: RoadGraph,
    drive_targets: Vec<[f64; 2]>,
    walk_targets: Vec<[f64; 2]>,
    units: Vec<SimUnit>,
    drones: Vec<SimDrone>,
    alarm_sites: Vec<(String, [f64; 2])>,
    alarm_every_s: f64,
    next_alarm_s: f64,
    rng: fastrand::Rng,
    udp: UdpSocket,
    tcp: Option<TcpStream>,
    tcp_retry_at_s: f64,
    args: SimWorldArgs,
}

impl Scenario {
    fn new(args: &SimWorldArgs, site: &Site, graph: RoadGraph) -> anyhow::Result<Self> {
        let frame = *graph.frame();
        let mut rng = fastrand::Rng::with_seed(args.seed);
        let to_xy = |v: Vec<[f64; 2]>| v.into_iter().map(|p| frame.xy(p)).collect::<Vec<_>>();
        let drive_targets = to_xy(graph.usable_nodes(TravelMode::CAR));
        let walk_targets: Vec<[f64; 2]> =
            to_xy(graph.usable_nodes(TravelMode::Walk { speed_mps: 1.4 }))
                .into_iter()
                .filter(|p| p[0].hypot(p[1]) < 4000.0) // foot patrols in the centre
                .collect();
        anyhow::ensure!(
            !drive_targets.is_empty(),
            "the basemap has no drivable roads"
        );
        // Foot officers on post: the first foot units each walk near one
        // checkpoint, so supervisors see who is there.
        let mut posts = checkpoint_posts(site, &frame, &graph).into_iter();
        let count = usize::from(args.units);
        let units = (0..count)
            .map(|i| {
                let kind = match i {
                    _ if i % 10 == 1 => UnitKind::Motorbike,
                    _ if i % 10 == 2 => UnitKind::Foot,
                    _ if i == 5 || i == count / 2 + 5 => UnitKind::Robot,
                    _ => UnitKind::Car,
                };
                let pool = match kind {
                    UnitKind::Foot | UnitKind::Robot if !walk_targets.is_empty() => &walk_targets,
                    _ => &drive_targets,
                };
                let post = if kind == UnitKind::Foot {
                    posts.next().unwrap_or_default()
                } else {
                    Vec::new()
                };
                let start = post
                    .first()
                    .copied()
                    .unwrap_or_else(|| pool[rng.usize(..pool.len())]);
                let mut unit = SimUnit::new(i + 1, kind, start, &mut rng);
                unit.post = post;
                unit
            })
            .collect();
        let homes = [
            [-2500.0, 1500.0],
            [3000.0, -2000.0],
            [500.0, 4500.0],
            [-4000.0, -3500.0],
        ];
        let drones = (0..args.drones)
            .map(|i| {
                let home = homes[usize::from(i) % homes.len()];
                let pattern = match i % 3 {
                    0 => Pattern::Orbit { radius_m: 900.0 },
                    1 => Pattern::Lawnmower {
                        size_m: [1600.0, 1200.0],
                        lanes: 5,
                    },
                    _ => Pattern::Loop,
                };
                let mut drone = SimDrone::new(i + 1, home, pattern, 90.0 + f64::from(i) * 20.0);
                if i % 3 == 2 {
                    // Loses its link for 6 s every 2 minutes.
                    drone.dropout = Some((6.0, 120.0));
                }
                drone
            })
            .collect();
        let mut alarm_sites: Vec<(String, [f64; 2])> = site
            .checkpoints
            .iter()
            .map(|c| (c.id.clone(), c.lonlat))
            .collect();
        // Residential compounds with alarm buttons, near the centre.
        for i in 0..6 {
            let p = walk_targets
                .get(i * 97 % walk_targets.len().max(1))
                .copied()
                .unwrap_or_default();
            alarm_sites.push((format!("compound-{}", i + 1), frame.lonlat(p)));
        }
        let udp = UdpSocket::bind(("127.0.0.1", 0)).context("binding a UDP socket")?;
        Ok(Self {
            frame,
            graph,
            drive_targets,
            walk_targets,
            units,
            drones,
            alarm_sites,
            alarm_every_s: f64::from(args.alarm_every_s),
            next_alarm_s: 3.0,
            rng,
            udp,
            tcp: None,
            tcp_retry_at_s: 0.0,
            args: args.clone(),
        })
    }

    fn run(&mut self, seconds: Option<f64>) -> ExitCode {
        tracing::info!(
            units = self.units.len(),
            drones = self.drones.len(),
            cot = %self.args.cot_udp,
            mavlink = %self.args.mavlink_udp,
            "world simulator running"
        );
        let started = Instant::now();
        let dt = 1.0 / f64::from(TICKS_PER_S);
        for tick in 0_u64.. {
            let now_s = tick as f64 * dt;
            if seconds.is_some_and(|s| now_s >= s) {
                break;
            }
            self.step(tick, now_s, dt);
            // Real time: sleep to the next tick.
            let due = started + Duration::from_secs_f64(now_s + dt);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
        ExitCode::SUCCESS
    }

    fn step(&mut self, tick: u64, now_s: f64, dt: f64) {
        let now = chrono::Utc::now();
        for i in 0..self.units.len() {
            let post = std::mem::take(&mut self.units[i].post);
            let targets = match self.units[i].kind {
                _ if !post.is_empty() => &post,
                UnitKind::Foot | UnitKind::Robot if !self.walk_targets.is_empty() => {
                    &self.walk_targets
                }
                _ => &self.drive_targets,
            };
            self.units[i].advance(now_s, dt, &self.graph, targets, &mut self.rng);
            self.units[i].post = post;
            // Each unit reports once a second, staggered across ticks.
            if tick % u64::from(TICKS_PER_S) == i as u64 % u64::from(TICKS_PER_S) {
                let report = cot::encode(&self.units[i].report(&self.frame, now, now_s));
                let over_tcp = self.units[i].over_tcp;
                self.send_cot(report.as_bytes(), over_tcp, now_s);
            }
        }
        for d in 0..self.drones.len() {
            self.drones[d].advance(dt);
            if self.drones[d].link_down(now_s) {
                continue;
            }
            let mut datagram = Vec::new();
            if tick.is_multiple_of(2) {
                datagram.extend(self.drones[d].fast_frames(&self.frame, now_s));
            }
            if tick.is_multiple_of(u64::from(TICKS_PER_S)) {
                datagram.extend(self.drones[d].slow_frames(now_s));
            }
            if !datagram.is_empty() {
                let _ = self.udp.send_to(&datagram, self.args.mavlink_udp);
            }
        }
        if self.alarm_every_s > 0.0 && now_s >= self.next_alarm_s && !self.alarm_sites.is_empty() {
            let (site, lonlat) = self.alarm_sites[self.rng.usize(..self.alarm_sites.len())].clone();
            self.send_cot(alarm(&site, lonlat, now).as_bytes(), false, now_s);
            tracing::info!(%site, "one-click alarm pressed");
            self.next_alarm_s = now_s + self.alarm_every_s * (0.5 + self.rng.f64());
        }
    }

    fn send_cot(&mut self, bytes: &[u8], over_tcp: bool, now_s: f64) {
        if over_tcp {
            if self.tcp.is_none() && now_s >= self.tcp_retry_at_s {
                match TcpStream::connect_timeout(&self.args.cot_tcp, Duration::from_millis(300)) {
                    Ok(s) => {
                        let _ = s.set_nodelay(true);
                        self.tcp = Some(s);
                    }
                    Err(e) => {
                        tracing::warn!(addr = %self.args.cot_tcp, "CoT TCP unreachable, using UDP: {e}");
                        self.tcp_retry_at_s = now_s + 5.0;
                    }
                }
            }
            if let Some(stream) = &mut self.tcp {
                if stream.write_all(bytes).is_ok() {
                    return;
                }
                self.tcp = None;
            }
        }
        let _ = self.udp.send_to(bytes, self.args.cot_udp);
    }
}

/// A TAK "911 Alert" from a site's alarm button.
fn alarm(site: &str, lonlat: [f64; 2], now: chrono::DateTime<chrono::Utc>) -> String {
    cot::encode(&CotEvent {
        uid: format!("{site}-9-1-1"),
        kind: "b-a-o-tbl".into(),
        how: Some("h-e".into()),
        time: now,
        start: now,
        stale: now + chrono::Duration::minutes(10),
        point: CotPoint {
            lat: lonlat[1],
            lon: lonlat[0],
            hae: 350.0,
            ce: 10.0,
            le: 10.0,
        },
        callsign: Some(site.to_uppercase()),
        course_deg: None,
        speed_mps: None,
        emergency: Some("911 Alert".into()),
        group: None,
    })
}
