//! End to end on real sockets: `watchfloor sim world` (a child process)
//! speaks CoT over UDP and TCP and MAVLink over UDP to the console's feeds on
//! loopback; units and drones appear and move; hostile bytes are counted and
//! never stop the feeds; a silent drone is declared lost; and the journal
//! rebuilds exactly the state the console ended with.

use std::io::Write as _;
use std::net::{TcpStream, UdpSocket};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use mavlink::dialects::common::{HEARTBEAT_DATA, MavMessage};
use watchfloor_layers::journal::Journal;
use watchfloor_layers::model::UnitKind;
use watchfloor_layers::world::World;
use watchfloor_runtime::feeds::FeedPorts;
use watchfloor_runtime::world::{LiveWorld, WorldOptions};

fn assets() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets")
}

fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[expect(clippy::too_many_lines, reason = "one scenario, start to end")]
fn simulated_fleet_reaches_the_console_over_real_protocols() {
    // `LiveWorld` starts `watchfloor sim world` from the current executable;
    // in a test that is the test binary, so point it at the real one.
    let journal_dir = std::env::temp_dir().join(format!("wf-world-feeds-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&journal_dir);
    let options = WorldOptions {
        site: Some(assets().join("site/astana/site.toml")),
        basemap: Some(assets().join("basemap/astana.wfmap")),
        journal: Some(journal_dir.clone()),
        recordings: std::env::temp_dir().join("watchfloor-unused-recordings"),
        ports: FeedPorts::any_free(),
        drone_keys: None,
        simulate: false,
    };
    let live = LiveWorld::start(options, || {}).expect("starts");
    wait_until("the feeds to bind", Duration::from_secs(20), || {
        live.status().feeds.is_some()
    });
    let bound = live.status().feeds.expect("started").expect("feeds bound");
    let (cot_udp, cot_tcp, mavlink_udp) = (
        bound.cot_udp.expect("cot udp"),
        bound.cot_tcp.expect("cot tcp"),
        bound.mavlink_udp.expect("mavlink"),
    );
    let mut sim = std::process::Command::new(env!("CARGO_BIN_EXE_watchfloor"))
        .args([
            "--log-level",
            "warn",
            "sim",
            "world",
            "--exit-on-stdin-eof",
            "--units",
            "44",
        ])
        .args([
            "--cot-udp",
            &cot_udp.to_string(),
            "--cot-tcp",
            &cot_tcp.to_string(),
        ])
        .args([
            "--mavlink-udp",
            &mavlink_udp.to_string(),
            "--alarm-every-s",
            "4",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("sim world starts");

    wait_until("44 units and 3 drones", Duration::from_secs(60), || {
        let w = live.world();
        w.state().units.len() >= 44 && w.state().drones.len() >= 3
    });
    let before: Vec<([f64; 2], UnitKind)> = live
        .world()
        .state()
        .units
        .values()
        .map(|u| (u.lonlat, u.kind))
        .collect();
    // Foot patrols and robots report over TCP only: their presence proves that path.
    assert!(before.iter().any(|(_, k)| *k == UnitKind::Foot));
    assert!(before.iter().any(|(_, k)| *k == UnitKind::Robot));
    std::thread::sleep(Duration::from_secs(3));
    {
        let w = live.world();
        let moved = w
            .state()
            .units
            .values()
            .zip(&before)
            .filter(|(u, (p, _))| w.frame().distance_m(u.lonlat, *p) > 5.0)
            .count();
        assert!(moved >= 20, "only {moved} units moved in 3 s");
        for d in w.state().drones.values() {
            assert!(
                d.lonlat.is_some() && d.battery_pct.is_some() && d.alt_rel_m > 50.0,
                "{d:?}"
            );
            assert!(
                d.footprint(w.frame(), 1500.0).is_some(),
                "drone {} has a footprint",
                d.system_id
            );
        }
        // Units drive on real roads: each is within a few metres of one.
        let roads = live.roads().expect("road network built");
        for u in w
            .state()
            .units
            .values()
            .filter(|u| u.kind == UnitKind::Car)
            .take(10)
        {
            let eta = roads.eta(u.lonlat, u.lonlat, UnitKind::Car.travel_mode());
            assert!(
                eta.by_road && eta.metres < 30.0,
                "{} is off the road: {eta:?}",
                u.callsign
            );
        }
    }
    wait_until("a one-click alarm", Duration::from_secs(20), || {
        !live.world().state().alerts.is_empty()
    });

    // Hostile input on every feed: garbage, hostile XML, a huge datagram,
    // a TCP sender that never closes its event.
    let udp = UdpSocket::bind("127.0.0.1:0").expect("udp");
    udp.send_to(b"\xff\xfe garbage", cot_udp).expect("send");
    udp.send_to(
        b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><event>&a;&a;</event>",
        cot_udp,
    )
    .expect("send");
    udp.send_to(&vec![b'<'; 60_000], cot_udp).expect("send");
    udp.send_to(b"not mavlink at all", mavlink_udp)
        .expect("send");
    let mut tcp = TcpStream::connect(cot_tcp).expect("tcp");
    tcp.write_all(&vec![b'x'; 70 * 1024]).expect("write");
    wait_until(
        "malformed input to be counted",
        Duration::from_secs(10),
        || {
            let stats = live.feed_stats().expect("stats");
            stats.total("cot/").malformed >= 4 && stats.total("mavlink/").malformed >= 1
        },
    );
    drop(tcp);

    // A drone that goes silent is declared lost.
    let heartbeat = watchfloor_layers::feeds::mavlink::encode(
        42,
        1,
        0,
        &MavMessage::HEARTBEAT(HEARTBEAT_DATA::default()),
    );
    udp.send_to(&heartbeat, mavlink_udp).expect("send");
    wait_until("drone 42", Duration::from_secs(5), || {
        live.world().state().drones.contains_key(&42)
    });
    wait_until("drone 42's link loss", Duration::from_secs(10), || {
        live.world().state().drones[&42].link_lost
    });

    // The feeds are still live after all that.
    let count = live.feed_stats().expect("stats").total("cot/").events;
    wait_until("more CoT after the garbage", Duration::from_secs(5), || {
        live.feed_stats().expect("stats").total("cot/").events > count + 40
    });

    drop(sim.stdin.take()); // the simulator exits when its stdin closes
    let status = sim.wait().expect("sim exits");
    assert!(status.success(), "{status:?}");
    let shared = live.shared();
    drop(live); // stops the feeds, flushes the journal
    let final_state = shared.read().expect("lock").state().clone();

    let journal = Journal::open(&journal_dir).expect("journal reopens");
    let last = journal.last_key().expect("readable").expect("events");
    let rebuilt = journal
        .state_at(last.at, World::new(final_state.origin).state())
        .expect("rebuilds");
    assert!(
        rebuilt.state() == &final_state,
        "the journal rebuilds the final state exactly"
    );
    assert!(final_state.applied > 200, "{}", final_state.applied);
    drop(journal);
    std::fs::remove_dir_all(&journal_dir).ok();
}
