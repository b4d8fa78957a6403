//! MAVLink as drones speak it, from pymavlink (PyPI): a drone with a key in
//! `drones.toml` is heard only through frames signed with it; its unsigned
//! frames, frames signed with another key and replayed frames are refused
//! and counted; a drone without a key is heard in MAVLink 2 and 1.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use watchfloor_runtime::feeds::FeedPorts;
use watchfloor_runtime::world::{LiveWorld, WorldOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn peers_python() -> PathBuf {
    let out = Command::new(root().join("scripts/peers.sh"))
        .output()
        .expect("scripts/peers.sh runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn drone(target: &str, system_id: u32, mode: &str, lat: f64, passphrase: &str) {
    let out = Command::new(peers_python())
        .arg(root().join("app/tests/peers/pymavlink_drone.py"))
        .args([
            target,
            &system_id.to_string(),
            mode,
            &lat.to_string(),
            passphrase,
        ])
        .output()
        .expect("pymavlink runs");
    assert!(
        out.status.success(),
        "pymavlink {mode}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn drone_lat(live: &LiveWorld, system_id: u32) -> Option<f64> {
    live.world()
        .state()
        .drones
        .get(&system_id)
        .and_then(|d| d.lonlat)
        .map(|p| p[1])
}

#[test]
fn signed_drones_are_heard_only_through_their_key() {
    let dir = std::env::temp_dir().join(format!("wf-mavlink-signing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let keys = dir.join("drones.toml");
    std::fs::write(
        &keys,
        "[[drone]]\nsystem_id = 7\npassphrase = \"watchfloor-test-7\"\n",
    )
    .expect("keys");
    let live = LiveWorld::start(
        WorldOptions {
            site: None,
            basemap: None,
            journal: None,
            recordings: dir.join("recordings"),
            ports: FeedPorts::any_free(),
            drone_keys: Some(keys),
            simulate: false,
        },
        || {},
    )
    .expect("starts");
    wait_until("the feeds", Duration::from_secs(20), || {
        live.status().feeds.is_some()
    });
    let bound = live.status().feeds.expect("started").expect("bound");
    let target = bound.mavlink_udp.expect("mavlink").to_string();
    let refused = || {
        live.feed_stats()
            .expect("feeds")
            .total("mavlink/udp")
            .malformed
    };
    let near = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-6);

    // Signed with its key: heard.
    drone(&target, 7, "signed", 51.10, "watchfloor-test-7");
    wait_until("drone 7, signed", Duration::from_secs(10), || {
        near(drone_lat(&live, 7), 51.10)
    });
    assert_eq!(refused(), 0);
    // Unsigned, and signed with another key: refused, counted, not moved.
    drone(&target, 7, "unsigned", 51.20, "");
    wait_until("6 unsigned frames refused", Duration::from_secs(10), || {
        refused() >= 6
    });
    drone(&target, 7, "signed", 51.30, "not-the-key");
    wait_until(
        "6 wrongly signed frames refused",
        Duration::from_secs(10),
        || refused() >= 12,
    );
    // Signed again, then two of those datagrams replayed: refused.
    drone(&target, 7, "replay", 51.15, "watchfloor-test-7");
    wait_until("2 replayed frames refused", Duration::from_secs(10), || {
        refused() >= 14
    });
    assert!(
        near(drone_lat(&live, 7), 51.15),
        "{:?}",
        drone_lat(&live, 7)
    );
    // MAVLink 1 from the signing drone: refused (it cannot be signed).
    drone(&target, 7, "v1", 51.25, "");
    wait_until(
        "6 MAVLink 1 frames refused",
        Duration::from_secs(10),
        || refused() >= 20,
    );
    assert!(
        near(drone_lat(&live, 7), 51.15),
        "{:?}",
        drone_lat(&live, 7)
    );
    // A drone without a key: heard in MAVLink 1 and 2.
    drone(&target, 9, "v1", 51.40, "");
    wait_until("drone 9 over MAVLink 1", Duration::from_secs(10), || {
        near(drone_lat(&live, 9), 51.40)
    });
    drone(&target, 9, "unsigned", 51.45, "");
    wait_until("drone 9 over MAVLink 2", Duration::from_secs(10), || {
        near(drone_lat(&live, 9), 51.45)
    });
    assert_eq!(refused(), 20, "nothing else refused");
    drop(live);
    let _ = std::fs::remove_dir_all(&dir);
}
